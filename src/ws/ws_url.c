/* SPDX-License-Identifier: ISC */
/*
 * ws:// and wss:// URLs.  Whatever we accept ends up verbatim in a request
 * line and a Host header, so the parser refuses rather than repairs:
 * nothing but printable ASCII, no userinfo, no fragment (RFC 6455 3).
 */
#include "config.h"

#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "ws_url.h"

#define URL_PORT_MAX	65535

static int
url_fail(const char **err, const char *why)
{
	*err = why;
	return -1;
}

/* ASCII only: a locale must not change how schemes and hosts compare. */
static int
url_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int
url_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Letters, digits, '-', '.' and '_' (seen in real names, if not in DNS). */
static int
url_is_name_char(int c)
{
	return url_is_digit(c) ||
	    (url_lower(c) >= 'a' && url_lower(c) <= 'z') ||
	    c == '-' || c == '.' || c == '_';
}

static const char *
url_bad_chars(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return "space or control character in URL";
		if ((unsigned char)*s > 0x7f)
			return "non-ASCII character in URL (percent-encode it)";
	}
	return NULL;
}

/* Returns what follows "ws://" or "wss://", in any case, or NULL. */
static const char *
url_scheme(const char *s, struct ws_url *u)
{
	const char	*p = s;

	if (url_lower(*p++) != 'w' || url_lower(*p++) != 's')
		return NULL;
	if (url_lower(*p) == 's') {
		u->tls = 1;
		p++;
	}
	return strncmp(p, "://", 3) == 0 ? p + 3 : NULL;
}

/* Copies the host in lower case: names and IPv6 hex digits alike. */
static int
url_host_copy(struct ws_url *u, const char *p, size_t n, const char **err)
{
	size_t	i;

	if (n == 0)
		return url_fail(err, "empty host");
	if (n > WS_URL_HOST_MAX)
		return url_fail(err, "host too long");
	for (i = 0; i < n; i++)
		u->host[i] = (char)url_lower((unsigned char)p[i]);
	u->host[n] = '\0';
	return 0;
}

/*
 * A name made only of digits and dots is taken as an IPv4 address and
 * must be a dotted quad; otherwise a typo like 10.0.0.256 would go to DNS.
 */
static int
url_name_check(const char *host, const char **err)
{
	struct in_addr	 a4;
	const char	*p;
	int		 numeric = 1;

	for (p = host; *p != '\0'; p++) {
		if (!url_is_name_char((unsigned char)*p))
			return url_fail(err, "bad character in host");
		if (!url_is_digit(*p) && *p != '.')
			numeric = 0;
	}
	if (numeric && inet_pton(AF_INET, host, &a4) != 1)
		return url_fail(err, "bad IPv4 address");
	return 0;
}

/* "[v6]" at p, followed by the end of the authority or by ":port". */
static const char *
url_host_v6(const char *p, const char *end, struct ws_url *u,
    const char **err)
{
	struct in6_addr	 a6;
	const char	*rb = memchr(p, ']', (size_t)(end - p));

	if (rb == NULL) {
		url_fail(err, "unterminated IPv6 literal");
		return NULL;
	}
	if (url_host_copy(u, p + 1, (size_t)(rb - p - 1), err) == -1)
		return NULL;
	if (inet_pton(AF_INET6, u->host, &a6) != 1) {
		url_fail(err, "bad IPv6 address");
		return NULL;
	}
	if (rb + 1 < end && rb[1] != ':') {
		url_fail(err, "junk after IPv6 literal");
		return NULL;
	}
	u->ipv6 = 1;
	return rb + 1;
}

static const char *
url_host_name(const char *p, const char *end, struct ws_url *u,
    const char **err)
{
	const char	*colon = memchr(p, ':', (size_t)(end - p));

	if (colon == NULL)
		colon = end;
	if (url_host_copy(u, p, (size_t)(colon - p), err) == -1 ||
	    url_name_check(u->host, err) == -1)
		return NULL;
	return colon;
}

/* Decimal digits only: strtol would take signs, spaces and hex. */
static int
url_port(const char *p, const char *end, struct ws_url *u, const char **err)
{
	unsigned long	port = 0;

	if (p == end)
		return url_fail(err, "bad port");
	for (; p < end; p++) {
		if (!url_is_digit(*p))
			return url_fail(err, "bad port");
		port = port * 10 + (unsigned long)(*p - '0');
		if (port > URL_PORT_MAX)
			return url_fail(err, "port out of range (1-65535)");
	}
	if (port == 0)
		return url_fail(err, "port out of range (1-65535)");
	u->port = (uint16_t)port;
	u->port_given = 1;
	return 0;
}

/* The authority is p..end, already known to hold no '@'. */
static int
url_authority(const char *p, const char *end, struct ws_url *u,
    const char **err)
{
	const char	*rest;

	if (*p == '[')
		rest = url_host_v6(p, end, u, err);
	else
		rest = url_host_name(p, end, u, err);
	if (rest == NULL)
		return -1;
	if (rest < end)
		return url_port(rest + 1, end, u, err);
	u->port = u->tls ? 443 : 80;
	return 0;
}

/* Path and query as given; a bare query still needs the "/" before it. */
static int
url_path(const char *p, struct ws_url *u, const char **err)
{
	size_t	n = strlen(p), off = 0;

	if (*p != '/')
		u->path[off++] = '/';
	if (off + n > WS_URL_PATH_MAX)
		return url_fail(err, "path too long");
	memcpy(u->path + off, p, n + 1);
	return 0;
}

int
ws_url_parse(const char *s, struct ws_url *u, const char **err)
{
	const char	*p, *end;

	memset(u, 0, sizeof(*u));
	if ((*err = url_bad_chars(s)) != NULL)
		return -1;
	if ((p = url_scheme(s, u)) == NULL)
		return url_fail(err,
		    "unsupported scheme (use ws:// or wss://)");
	if (strchr(p, '#') != NULL)
		return url_fail(err, "fragments are not allowed");
	end = p + strcspn(p, "/?");
	if (memchr(p, '@', (size_t)(end - p)) != NULL)
		return url_fail(err, "userinfo is not allowed");
	if (url_authority(p, end, u, err) == -1)
		return -1;
	return url_path(end, u, err);
}

int
ws_url_host_header(const struct ws_url *u, char *out, size_t cap)
{
	const char	*lb = u->ipv6 ? "[" : "", *rb = u->ipv6 ? "]" : "";
	int		 n;

	if (u->port == (u->tls ? 443 : 80))
		n = snprintf(out, cap, "%s%s%s", lb, u->host, rb);
	else
		n = snprintf(out, cap, "%s%s%s:%u", lb, u->host, rb,
		    (unsigned int)u->port);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}
