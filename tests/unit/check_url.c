/* SPDX-License-Identifier: ISC */
/* Unit tests for ws_url.c. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ws_url.h"
#include "check_run.h"

#define NELEM(a)	(int)(sizeof(a) / sizeof((a)[0]))

static const struct {
	const char	*url;
	int		 tls;
	const char	*host;
	int		 ipv6;
	unsigned int	 port;
	int		 port_given;
	const char	*path;
	const char	*host_header;
} good[] = {
	{ "ws://localhost:8008", 0, "localhost", 0, 8008, 1, "/",
	    "localhost:8008" },
	{ "WSS://Example.COM/a/b?c=d", 1, "example.com", 0, 443, 0,
	    "/a/b?c=d", "example.com" },
	{ "ws://[::1]:9000/x", 0, "::1", 1, 9000, 1, "/x", "[::1]:9000" },
	{ "ws://127.0.0.1", 0, "127.0.0.1", 0, 80, 0, "/", "127.0.0.1" },
	{ "ws://[::1]", 0, "::1", 1, 80, 0, "/", "[::1]" },
	{ "wss://[2001:DB8::1]/", 1, "2001:db8::1", 1, 443, 0, "/",
	    "[2001:db8::1]" },
	{ "wss://[::ffff:192.0.2.1]:8443/p", 1, "::ffff:192.0.2.1", 1, 8443,
	    1, "/p", "[::ffff:192.0.2.1]:8443" },
	{ "wss://h:443/", 1, "h", 0, 443, 1, "/", "h" },
	{ "ws://h:80", 0, "h", 0, 80, 1, "/", "h" },
	{ "ws://h:00080", 0, "h", 0, 80, 1, "/", "h" },
	{ "ws://h:443", 0, "h", 0, 443, 1, "/", "h:443" },
	{ "wss://h:80", 1, "h", 0, 80, 1, "/", "h:80" },
	{ "ws://h:1", 0, "h", 0, 1, 1, "/", "h:1" },
	{ "ws://h:65535/", 0, "h", 0, 65535, 1, "/", "h:65535" },
	{ "ws://h?x", 0, "h", 0, 80, 0, "/?x", "h" },
	{ "ws://h:8080?x=1&y", 0, "h", 0, 8080, 1, "/?x=1&y", "h:8080" },
	{ "ws://h/?x", 0, "h", 0, 80, 0, "/?x", "h" },
	{ "ws://h/", 0, "h", 0, 80, 0, "/", "h" },
	{ "wS://h/a:b/@c/%20?d=/e?f", 0, "h", 0, 80, 0, "/a:b/@c/%20?d=/e?f",
	    "h" },
	{ "wSs://Sub-Domain.Example_x.ORG.:9/Path", 1,
	    "sub-domain.example_x.org.", 0, 9, 1, "/Path",
	    "sub-domain.example_x.org.:9" },
	{ "ws://10.0.0.255:1234", 0, "10.0.0.255", 0, 1234, 1, "/",
	    "10.0.0.255:1234" },
	{ "ws://1host", 0, "1host", 0, 80, 0, "/", "1host" },
};

START_TEST(test_good)
{
	struct ws_url	 u;
	const char	*err = NULL;
	char		 hh[WS_URL_HOST_MAX + 16];

	memset(&u, 0xa5, sizeof(u));
	ck_assert_msg(ws_url_parse(good[_i].url, &u, &err) == 0, "%s: %s",
	    good[_i].url, err ? err : "");
	ck_assert_int_eq(u.tls, good[_i].tls);
	ck_assert_str_eq(u.host, good[_i].host);
	ck_assert_int_eq(u.ipv6, good[_i].ipv6);
	ck_assert_uint_eq(u.port, good[_i].port);
	ck_assert_int_eq(u.port_given, good[_i].port_given);
	ck_assert_str_eq(u.path, good[_i].path);
	ck_assert_int_eq(ws_url_host_header(&u, hh, sizeof(hh)), 0);
	ck_assert_str_eq(hh, good[_i].host_header);
}
END_TEST

static const struct {
	const char	*url;
	const char	*err;
} bad[] = {
	{ "http://x", "unsupported scheme (use ws:// or wss://)" },
	{ "https://x/", "unsupported scheme (use ws:// or wss://)" },
	{ "wsx://h", "unsupported scheme (use ws:// or wss://)" },
	{ "w://h", "unsupported scheme (use ws:// or wss://)" },
	{ "ws:/h", "unsupported scheme (use ws:// or wss://)" },
	{ "ws:h", "unsupported scheme (use ws:// or wss://)" },
	{ "localhost:8008", "unsupported scheme (use ws:// or wss://)" },
	{ "wss", "unsupported scheme (use ws:// or wss://)" },
	{ "", "unsupported scheme (use ws:// or wss://)" },
	{ "ws://", "empty host" },
	{ "wss://", "empty host" },
	{ "ws://:80", "empty host" },
	{ "ws:///path", "empty host" },
	{ "ws://?x", "empty host" },
	{ "ws://::1/", "empty host" },
	{ "ws://[]", "empty host" },
	{ "ws://u@h", "userinfo is not allowed" },
	{ "ws://u:p@h/x", "userinfo is not allowed" },
	{ "ws://@h", "userinfo is not allowed" },
	{ "ws://h/#f", "fragments are not allowed" },
	{ "ws://h#", "fragments are not allowed" },
	{ "ws://h/a?b#c", "fragments are not allowed" },
	{ "ws://[::1", "unterminated IPv6 literal" },
	{ "ws://[::1/x]", "unterminated IPv6 literal" },
	{ "ws://[zz::]/", "bad IPv6 address" },
	{ "ws://[127.0.0.1]", "bad IPv6 address" },
	{ "ws://[fe80::1%25eth0]", "bad IPv6 address" },
	{ "ws://[::1]x", "junk after IPv6 literal" },
	{ "ws://[::1]]:80", "junk after IPv6 literal" },
	{ "ws://h:0", "port out of range (1-65535)" },
	{ "ws://h:00000", "port out of range (1-65535)" },
	{ "ws://h:65536", "port out of range (1-65535)" },
	{ "ws://h:99999999999999999999999", "port out of range (1-65535)" },
	{ "ws://h:80a", "bad port" },
	{ "ws://h:", "bad port" },
	{ "ws://h:/", "bad port" },
	{ "ws://h:-1", "bad port" },
	{ "ws://h:+80", "bad port" },
	{ "ws://h:0x50", "bad port" },
	{ "ws://h:80:90", "bad port" },
	{ "ws://[::1]:", "bad port" },
	{ "ws://[::1]:x", "bad port" },
	{ "ws://h /x", "space or control character in URL" },
	{ "ws://h/a b", "space or control character in URL" },
	{ " ws://h/", "space or control character in URL" },
	{ "ws://h/\t", "space or control character in URL" },
	{ "ws://h/\r\nX-Evil: 1", "space or control character in URL" },
	{ "ws://h/\x7f", "space or control character in URL" },
	{ "ws://h\001", "space or control character in URL" },
	{ "ws://h/caf\xc3\xa9",
	    "non-ASCII character in URL (percent-encode it)" },
	{ "ws://ex!ample.com", "bad character in host" },
	{ "ws://h%41", "bad character in host" },
	{ "ws://a;b/", "bad character in host" },
	{ "ws://256.1.1.1", "bad IPv4 address" },
	{ "ws://1.2.3", "bad IPv4 address" },
	{ "ws://10.0.0.1.", "bad IPv4 address" },
};

START_TEST(test_bad)
{
	struct ws_url	 u;
	const char	*err = NULL;

	ck_assert_msg(ws_url_parse(bad[_i].url, &u, &err) == -1,
	    "\"%s\" was accepted", bad[_i].url);
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(strcmp(err, bad[_i].err) == 0, "\"%s\": \"%s\"",
	    bad[_i].url, err);
}
END_TEST

/* "ws://" + host of n chars + tail, in buf. */
static const char *
long_host_url(char *buf, size_t n, const char *tail)
{
	memcpy(buf, "ws://", 5);
	memset(buf + 5, 'a', n);
	strcpy(buf + 5 + n, tail);
	return buf;
}

START_TEST(test_host_limits)
{
	static char	 buf[WS_URL_HOST_MAX + 64];
	struct ws_url	 u;
	const char	*err = NULL;
	char		 hh[WS_URL_HOST_MAX + 7];

	ck_assert_int_eq(ws_url_parse(long_host_url(buf, WS_URL_HOST_MAX,
	    ":65535"), &u, &err), 0);
	ck_assert_uint_eq(strlen(u.host), WS_URL_HOST_MAX);
	/* Longest host header: the name, ':' and 5 digits, and the NUL. */
	ck_assert_int_eq(ws_url_host_header(&u, hh, sizeof(hh)), 0);
	ck_assert_uint_eq(strlen(hh), WS_URL_HOST_MAX + 6);
	ck_assert_int_eq(ws_url_parse(long_host_url(buf, WS_URL_HOST_MAX + 1,
	    ""), &u, &err), -1);
	ck_assert_str_eq(err, "host too long");
	ck_assert_int_eq(ws_url_parse(long_host_url(buf, WS_URL_HOST_MAX + 1,
	    ":80/x"), &u, &err), -1);
	ck_assert_str_eq(err, "host too long");
}
END_TEST

START_TEST(test_path_limits)
{
	static char	 buf[WS_URL_PATH_MAX + 64];
	struct ws_url	 u;
	const char	*err = NULL;

	/* Path of exactly WS_URL_PATH_MAX chars. */
	strcpy(buf, "ws://h/");
	memset(buf + 7, 'p', WS_URL_PATH_MAX - 1);
	buf[7 + WS_URL_PATH_MAX - 1] = '\0';
	ck_assert_int_eq(ws_url_parse(buf, &u, &err), 0);
	ck_assert_uint_eq(strlen(u.path), WS_URL_PATH_MAX);
	ck_assert_int_eq(memcmp(u.path, buf + 6, WS_URL_PATH_MAX), 0);
	strcat(buf, "p");
	ck_assert_int_eq(ws_url_parse(buf, &u, &err), -1);
	ck_assert_str_eq(err, "path too long");

	/* A bare query: the '/' we add counts against the limit. */
	strcpy(buf, "ws://h?");
	memset(buf + 7, 'q', WS_URL_PATH_MAX - 2);
	buf[7 + WS_URL_PATH_MAX - 2] = '\0';
	ck_assert_int_eq(ws_url_parse(buf, &u, &err), 0);
	ck_assert_uint_eq(strlen(u.path), WS_URL_PATH_MAX);
	ck_assert(u.path[0] == '/' && u.path[1] == '?');
	strcat(buf, "q");
	ck_assert_int_eq(ws_url_parse(buf, &u, &err), -1);
	ck_assert_str_eq(err, "path too long");
}
END_TEST

/* A parse starts from scratch: nothing is left from the one before. */
START_TEST(test_reuse)
{
	struct ws_url	 u;
	const char	*err = NULL;

	ck_assert_int_eq(ws_url_parse("wss://[::1]:9000/x", &u, &err), 0);
	ck_assert_int_eq(ws_url_parse("ws://h", &u, &err), 0);
	ck_assert_int_eq(u.tls, 0);
	ck_assert_int_eq(u.ipv6, 0);
	ck_assert_int_eq(u.port_given, 0);
	ck_assert_uint_eq(u.port, 80);
	ck_assert_str_eq(u.path, "/");
}
END_TEST

START_TEST(test_host_header_cap)
{
	struct ws_url	 u;
	const char	*err = NULL;
	char		 hh[64];
	size_t		 cap;

	ck_assert_int_eq(ws_url_parse("ws://[::1]:9000", &u, &err), 0);
	/* "[::1]:9000" is 10 chars: it needs a cap of 11. */
	for (cap = 0; cap <= 10; cap++)
		ck_assert_int_eq(ws_url_host_header(&u, hh, cap), -1);
	ck_assert_int_eq(ws_url_host_header(&u, hh, 11), 0);
	ck_assert_str_eq(hh, "[::1]:9000");

	ck_assert_int_eq(ws_url_parse("wss://example.com", &u, &err), 0);
	ck_assert_int_eq(ws_url_host_header(&u, hh, 11), -1);
	ck_assert_int_eq(ws_url_host_header(&u, hh, 12), 0);
	ck_assert_str_eq(hh, "example.com");
}
END_TEST

static Suite *
url_suite(void)
{
	Suite	*s = suite_create("url");
	TCase	*tc;

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_good, 0, NELEM(good));
	tcase_add_loop_test(tc, test_bad, 0, NELEM(bad));
	tcase_add_test(tc, test_host_limits);
	tcase_add_test(tc, test_path_limits);
	tcase_add_test(tc, test_reuse);
	suite_add_tcase(s, tc);

	tc = tcase_create("host_header");
	tcase_add_test(tc, test_host_header_cap);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(url_suite(), NULL);
}
