/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for ws_handshake.c.  Every parse runs on a heap copy of
 * exactly the bytes given, so AddressSanitizer catches a read past len.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "ws_handshake.h"
#include "check_run.h"

#define RFC_KEY		"dGhlIHNhbXBsZSBub25jZQ=="
#define RFC_ACCEPT	"s3pPLMBiTxaQ9kYGzzhZRbK+xOo="

/* Pieces of a valid request (RFC 6455 1.3) to build cases from. */
#define RQ_LINE		"GET /chat HTTP/1.1\r\n"
#define RQ_HOST		"Host: server.example.com\r\n"
#define RQ_UPGRADE	"Upgrade: websocket\r\n"
#define RQ_CONN		"Connection: Upgrade\r\n"
#define RQ_KEY		"Sec-WebSocket-Key: " RFC_KEY "\r\n"
#define RQ_VERSION	"Sec-WebSocket-Version: 13\r\n"
#define RQ_VALID	\
	RQ_LINE RQ_HOST RQ_UPGRADE RQ_CONN RQ_KEY RQ_VERSION "\r\n"

/* Pieces of the valid answer to RFC_KEY. */
#define RS_LINE		"HTTP/1.1 101 Switching Protocols\r\n"
#define RS_UPGRADE	"Upgrade: websocket\r\n"
#define RS_CONN		"Connection: Upgrade\r\n"
#define RS_ACCEPT	"Sec-WebSocket-Accept: " RFC_ACCEPT "\r\n"
#define RS_VALID	RS_LINE RS_UPGRADE RS_CONN RS_ACCEPT "\r\n"

static char *
dup_exact(const char *s, size_t n)
{
	char	*p = malloc(n > 0 ? n : 1);

	ck_assert_ptr_nonnull(p);
	memcpy(p, s, n);
	return p;
}

static int
req_parse(const char *s, size_t n, struct ws_request *req,
    const char **reason)
{
	char	*p = dup_exact(s, n);
	int	 rc;

	rc = ws_request_parse(p, n, req, reason);
	/* Rebased so the path outlives the copy. */
	if (rc == 0)
		req->path = s + (req->path - p);
	free(p);
	return rc;
}

static const char *const offered[] = { "chat", "superchat" };

/* Options for a request to host for path, and nothing else. */
static struct ws_client_opts
opts(const char *host, const char *path)
{
	struct ws_client_opts	o;

	memset(&o, 0, sizeof(o));
	o.host = host;
	o.path = path;
	return o;
}

static size_t
build(char *out, size_t cap, const char *host, const char *path,
    const char *key)
{
	struct ws_client_opts	o = opts(host, path);

	return ws_request_build(out, cap, &o, key);
}

/* Parses an answer to a request that offered the two subprotocols in
 * offered[]; *protocol gets the index of the one chosen. */
static int
resp_parse_proto(const char *s, size_t n, const char *key, size_t *head_len,
    int *protocol, const char **reason)
{
	struct ws_client_opts	 o = opts("h", "/");
	struct ws_deflate_params deflate;
	char			*p = dup_exact(s, n);
	int			 rc;

	o.protocols = offered;
	o.nprotocols = 2;
	rc = ws_response_parse(p, n, key, &o, head_len, protocol, &deflate,
	    reason);
	free(p);
	return rc;
}

/* Parses an answer to a request that offered no subprotocol. */
static int
resp_parse(const char *s, size_t n, const char *key, size_t *head_len,
    const char **reason)
{
	struct ws_client_opts	 o = opts("h", "/");
	struct ws_deflate_params deflate;
	char			*p = dup_exact(s, n);
	int			 rc, protocol;

	rc = ws_response_parse(p, n, key, &o, head_len, &protocol, &deflate,
	    reason);
	if (rc == 0)
		ck_assert_int_eq(protocol, -1);
	free(p);
	return rc;
}

/* Decoded length of a 24-char key, padding excluded. */
static int
key_decoded_len(const char *key)
{
	unsigned char	raw[32];
	int		n;

	n = EVP_DecodeBlock(raw, (const unsigned char *)key, (int)strlen(key));
	if (n < 0)
		return n;
	if (strlen(key) >= 2 && key[strlen(key) - 1] == '=')
		n -= key[strlen(key) - 2] == '=' ? 2 : 1;
	return n;
}

START_TEST(test_accept_rfc_example)
{
	char	out[WS_ACCEPT_LEN + 1];

	ws_accept_compute(RFC_KEY, strlen(RFC_KEY), out);
	ck_assert_str_eq(out, RFC_ACCEPT);
	/* key_len counts: a shorter key gives another accept. */
	ws_accept_compute(RFC_KEY, strlen(RFC_KEY) - 1, out);
	ck_assert_str_ne(out, RFC_ACCEPT);
	ck_assert_uint_eq(strlen(out), WS_ACCEPT_LEN);
}
END_TEST

START_TEST(test_key_generate)
{
	char	a[WS_KEY_LEN + 1], b[WS_KEY_LEN + 1];
	size_t	i;

	memset(a, 'x', sizeof(a));
	memset(b, 'x', sizeof(b));
	ck_assert_int_eq(ws_key_generate(a), 0);
	ck_assert_int_eq(ws_key_generate(b), 0);
	ck_assert_uint_eq(strlen(a), WS_KEY_LEN);
	ck_assert_uint_eq(strlen(b), WS_KEY_LEN);
	ck_assert_int_eq(key_decoded_len(a), 16);
	ck_assert_int_eq(key_decoded_len(b), 16);
	ck_assert(a[22] == '=' && a[23] == '=');
	for (i = 0; i < 22; i++)
		ck_assert_ptr_nonnull(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789+/", a[i]));
	ck_assert_str_ne(a, b);
}
END_TEST

START_TEST(test_request_valid)
{
	const char		*s = RQ_VALID;
	struct ws_request	 req;
	const char		*reason = NULL;

	ck_assert_int_eq(req_parse(s, strlen(s), &req, &reason), 0);
	ck_assert_ptr_null(reason);
	ck_assert_str_eq(req.key, RFC_KEY);
	ck_assert_uint_eq(req.path_len, 5);
	ck_assert_uint_eq(req.head_len, strlen(s));
}
END_TEST

/* Valid requests written differently; each has path "/p?q=1". */
static const char *const valid_variants[] = {
	/* names in odd case, values with extra whitespace */
	"GET /p?q=1 HTTP/1.1\r\n"
	"hOsT:example.com:8008\r\n"
	"UPGRADE: WebSocket\r\n"
	"connection:\tkeep-alive, Upgrade \r\n"
	"sec-websocket-key:   " RFC_KEY "  \r\n"
	"SEC-WEBSOCKET-VERSION: 13\r\n"
	"\r\n",
	/* extra headers, Upgrade as a list, headers in another order */
	"GET /p?q=1 HTTP/1.1\r\n"
	"Sec-WebSocket-Version: 13\r\n"
	"User-Agent: test/1.0\r\n"
	"Sec-WebSocket-Key: " RFC_KEY "\r\n"
	"Origin: http://example.com\r\n"
	"Connection: Upgrade,keep-alive\r\n"
	"Upgrade: h2c, websocket\r\n"
	"Sec-WebSocket-Protocol: chat\r\n"
	"X-Empty:\r\n"
	"Host: [::1]:9000\r\n"
	"\r\n",
	/* Connection given twice; the second one has the token */
	"GET /p?q=1 HTTP/1.1\r\n"
	"Host: h\r\n"
	"Upgrade: websocket\r\n"
	"Connection: keep-alive\r\n"
	"Connection: upgrade\r\n"
	RQ_KEY RQ_VERSION
	"\r\n",
};

START_TEST(test_request_variants)
{
	const char		*s = valid_variants[_i];
	struct ws_request	 req;
	const char		*reason = NULL;
	int			 rc;

	rc = req_parse(s, strlen(s), &req, &reason);
	ck_assert_msg(rc == 0, "variant %d: rc %d (%s)", _i, rc,
	    reason ? reason : "");
	ck_assert_str_eq(req.key, RFC_KEY);
	ck_assert_uint_eq(req.path_len, 6);
	ck_assert_int_eq(memcmp(req.path, "/p?q=1", 6), 0);
	ck_assert_uint_eq(req.head_len, strlen(s));
}
END_TEST

START_TEST(test_request_trailing_bytes)
{
	const char		 frame[] = "\x81\x85\x01\x02\x03\x04hello";
	char			 buf[1024];
	struct ws_request	 req;
	const char		*reason = NULL;
	size_t			 head = strlen(RQ_VALID);

	memcpy(buf, RQ_VALID, head);
	memcpy(buf + head, frame, sizeof(frame) - 1);
	ck_assert_int_eq(req_parse(buf, head + sizeof(frame) - 1, &req,
	    &reason), 0);
	ck_assert_uint_eq(req.head_len, head);
	ck_assert_int_eq(req.path - buf, 4);
	ck_assert_str_eq(req.key, RFC_KEY);

	/* A second request pipelined after the first is not looked at. */
	memcpy(buf + head, "GARBAGE\r\n\r\n", 11);
	ck_assert_int_eq(req_parse(buf, head + 11, &req, &reason), 0);
	ck_assert_uint_eq(req.head_len, head);
}
END_TEST

/* A key using all of the alphabet's odd corners: '+', '/', digits. */
START_TEST(test_request_key_alphabet)
{
	const char		*s = RQ_LINE RQ_HOST RQ_UPGRADE RQ_CONN
	    "Sec-WebSocket-Key: +/09azAZ+/09azAZ+/09Aw==\r\n" RQ_VERSION
	    "\r\n";
	struct ws_request	 req;
	const char		*reason = NULL;

	ck_assert_int_eq(req_parse(s, strlen(s), &req, &reason), 0);
	ck_assert_str_eq(req.key, "+/09azAZ+/09azAZ+/09Aw==");
	ck_assert_int_eq(key_decoded_len(req.key), 16);
}
END_TEST

START_TEST(test_request_prefixes)
{
	const char		*s = RQ_VALID;
	struct ws_request	 req;
	const char		*reason;
	size_t			 n;

	for (n = 0; n < strlen(s); n++) {
		reason = NULL;
		ck_assert_msg(req_parse(s, n, &req, &reason) == WS_HS_MORE,
		    "prefix of %zu bytes", n);
		ck_assert_ptr_null(reason);
	}
}
END_TEST

static const struct {
	const char	*name;
	const char	*req;
	int		 status;
	const char	*reason;
} bad_requests[] = {
	{ "POST", "POST /chat HTTP/1.1\r\n" RQ_HOST RQ_UPGRADE RQ_CONN RQ_KEY
	    RQ_VERSION "\r\n", 405, "method must be GET" },
	{ "lower-case get", "get /chat HTTP/1.1\r\n" RQ_HOST RQ_UPGRADE
	    RQ_CONN RQ_KEY RQ_VERSION "\r\n", 405, "method must be GET" },
	{ "POST HTTP/1.0", "POST /chat HTTP/1.0\r\n" RQ_HOST "\r\n", 405,
	    "method must be GET" },
	{ "HTTP/1.0", "GET /chat HTTP/1.0\r\n" RQ_HOST RQ_UPGRADE RQ_CONN
	    RQ_KEY RQ_VERSION "\r\n", 505, "HTTP version must be 1.1" },
	{ "HTTP/2.0", "GET /chat HTTP/2.0\r\n" RQ_HOST RQ_UPGRADE RQ_CONN
	    RQ_KEY RQ_VERSION "\r\n", 505, "HTTP version must be 1.1" },
	{ "bad version", "GET /chat HTTP/1.1x\r\n" RQ_HOST RQ_UPGRADE RQ_CONN
	    RQ_KEY RQ_VERSION "\r\n", 400, "bad request line" },
	{ "no version", "GET /chat\r\n" RQ_HOST RQ_UPGRADE RQ_CONN RQ_KEY
	    RQ_VERSION "\r\n", 400, "bad request line" },
	{ "double space", "GET  /chat HTTP/1.1\r\n" RQ_HOST RQ_UPGRADE
	    RQ_CONN RQ_KEY RQ_VERSION "\r\n", 400, "bad request line" },
	{ "empty request line", "\r\n" RQ_HOST "\r\n", 400,
	    "bad request line" },
	{ "nothing but the blank line", "\r\n\r\n", 400,
	    "bad request line" },
	{ "no target", "GET  HTTP/1.1\r\n" RQ_HOST RQ_UPGRADE RQ_CONN RQ_KEY
	    RQ_VERSION "\r\n", 400, "bad request line" },
	{ "version HTTP/1.x", "GET /chat HTTP/1.x\r\n" RQ_HOST RQ_UPGRADE
	    RQ_CONN RQ_KEY RQ_VERSION "\r\n", 400, "bad request line" },
	{ "absolute target", "GET http://h/chat HTTP/1.1\r\n" RQ_HOST
	    RQ_UPGRADE RQ_CONN RQ_KEY RQ_VERSION "\r\n", 400,
	    "bad request target" },
	{ "tab in target", "GET /a\tb HTTP/1.1\r\n" RQ_HOST RQ_UPGRADE
	    RQ_CONN RQ_KEY RQ_VERSION "\r\n", 400, "bad request target" },
	{ "no Host", RQ_LINE RQ_UPGRADE RQ_CONN RQ_KEY RQ_VERSION "\r\n",
	    400, "missing Host" },
	{ "two Hosts", RQ_LINE RQ_HOST RQ_UPGRADE RQ_CONN RQ_KEY RQ_VERSION
	    "Host: other.example\r\n\r\n", 400, "duplicate Host" },
	{ "empty Host", RQ_LINE "Host: \r\n" RQ_UPGRADE RQ_CONN RQ_KEY
	    RQ_VERSION "\r\n", 400, "empty Host" },
	{ "no Upgrade", RQ_LINE RQ_HOST RQ_CONN RQ_KEY RQ_VERSION "\r\n",
	    400, "missing Upgrade: websocket" },
	{ "Upgrade: h2c", RQ_LINE RQ_HOST "Upgrade: h2c\r\n" RQ_CONN RQ_KEY
	    RQ_VERSION "\r\n", 400, "missing Upgrade: websocket" },
	{ "Upgrade: websockets", RQ_LINE RQ_HOST "Upgrade: websockets\r\n"
	    RQ_CONN RQ_KEY RQ_VERSION "\r\n", 400,
	    "missing Upgrade: websocket" },
	{ "no Connection", RQ_LINE RQ_HOST RQ_UPGRADE RQ_KEY RQ_VERSION
	    "\r\n", 400, "missing Connection: Upgrade" },
	{ "Connection: keep-alive", RQ_LINE RQ_HOST RQ_UPGRADE
	    "Connection: keep-alive\r\n" RQ_KEY RQ_VERSION "\r\n", 400,
	    "missing Connection: Upgrade" },
	{ "Connection: upgraded", RQ_LINE RQ_HOST RQ_UPGRADE
	    "Connection: keep-alive upgrade, upgraded\r\n" RQ_KEY RQ_VERSION
	    "\r\n", 400, "missing Connection: Upgrade" },
	{ "version 8", RQ_LINE RQ_HOST RQ_UPGRADE RQ_CONN RQ_KEY
	    "Sec-WebSocket-Version: 8\r\n\r\n", 426, "unsupported version" },
	{ "version 13, 8", RQ_LINE RQ_HOST RQ_UPGRADE RQ_CONN RQ_KEY
	    "Sec-WebSocket-Version: 13, 8\r\n\r\n", 426,
	    "unsupported version" },
	{ "no version", RQ_LINE RQ_HOST RQ_UPGRADE RQ_CONN RQ_KEY "\r\n",
	    426, "missing Sec-WebSocket-Version" },
	{ "no key", RQ_LINE RQ_HOST RQ_UPGRADE RQ_CONN RQ_VERSION "\r\n",
	    400, "missing Sec-WebSocket-Key" },
	{ "key 23 chars", RQ_LINE RQ_HOST RQ_UPGRADE RQ_CONN
	    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=\r\n" RQ_VERSION
	    "\r\n", 400, "bad Sec-WebSocket-Key" },
	{ "key 25 chars", RQ_LINE RQ_HOST RQ_UPGRADE RQ_CONN
	    "Sec-WebSocket-Key: AdGhlIHNhbXBsZSBub25jZQ==\r\n" RQ_VERSION
	    "\r\n", 400, "bad Sec-WebSocket-Key" },
	{ "key without padding", RQ_LINE RQ_HOST RQ_UPGRADE RQ_CONN
	    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ\r\n" RQ_VERSION
	    "\r\n", 400, "bad Sec-WebSocket-Key" },
	{ "key with '!'", RQ_LINE RQ_HOST RQ_UPGRADE RQ_CONN
	    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZ!==\r\n" RQ_VERSION
	    "\r\n", 400, "bad Sec-WebSocket-Key" },
	{ "key with inner '='", RQ_LINE RQ_HOST RQ_UPGRADE RQ_CONN
	    "Sec-WebSocket-Key: dGhlIHNhbXBs=SBub25jZQ==\r\n" RQ_VERSION
	    "\r\n", 400, "bad Sec-WebSocket-Key" },
	{ "key with inner space", RQ_LINE RQ_HOST RQ_UPGRADE RQ_CONN
	    "Sec-WebSocket-Key: dGhlIHNhbXBs ZSBub25jZQ==\r\n" RQ_VERSION
	    "\r\n", 400, "bad Sec-WebSocket-Key" },
	{ "key in base64url", RQ_LINE RQ_HOST RQ_UPGRADE RQ_CONN
	    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25j-_==\r\n" RQ_VERSION
	    "\r\n", 400, "bad Sec-WebSocket-Key" },
	{ "key of 15 bytes", RQ_LINE RQ_HOST RQ_UPGRADE RQ_CONN
	    "Sec-WebSocket-Key: QUJDREVGR0hJSktMTU5P\r\n" RQ_VERSION
	    "\r\n", 400, "bad Sec-WebSocket-Key" },
	{ "key of 17 bytes", RQ_LINE RQ_HOST RQ_UPGRADE RQ_CONN
	    "Sec-WebSocket-Key: QUJDREVGR0hJSktMTU5PUFE=\r\n" RQ_VERSION
	    "\r\n", 400, "bad Sec-WebSocket-Key" },
	{ "key of 18 bytes", RQ_LINE RQ_HOST RQ_UPGRADE RQ_CONN
	    "Sec-WebSocket-Key: QUJDREVGR0hJSktMTU5PUFFS\r\n" RQ_VERSION
	    "\r\n", 400, "bad Sec-WebSocket-Key" },
	{ "empty key", RQ_LINE RQ_HOST RQ_UPGRADE RQ_CONN
	    "Sec-WebSocket-Key:\r\n" RQ_VERSION "\r\n", 400,
	    "bad Sec-WebSocket-Key" },
	{ "two keys", RQ_LINE RQ_HOST RQ_UPGRADE RQ_CONN RQ_KEY
	    "Sec-WebSocket-Key: QUJDREVGR0hJSktMTU5PUA==\r\n" RQ_VERSION
	    "\r\n", 400, "duplicate Sec-WebSocket-Key" },
	{ "same key twice", RQ_LINE RQ_HOST RQ_UPGRADE RQ_CONN RQ_KEY RQ_KEY
	    RQ_VERSION "\r\n", 400, "duplicate Sec-WebSocket-Key" },
	{ "line without colon", RQ_LINE RQ_HOST "Upgrade websocket\r\n"
	    RQ_CONN RQ_KEY RQ_VERSION "\r\n", 400, "malformed header line" },
	{ "empty name", RQ_LINE RQ_HOST ": x\r\n" RQ_UPGRADE RQ_CONN RQ_KEY
	    RQ_VERSION "\r\n", 400, "malformed header line" },
	{ "space before colon", RQ_LINE "Host : h\r\n" RQ_UPGRADE RQ_CONN
	    RQ_KEY RQ_VERSION "\r\n", 400, "malformed header line" },
	{ "folded line", RQ_LINE RQ_HOST RQ_UPGRADE RQ_CONN " keep-alive\r\n"
	    RQ_KEY RQ_VERSION "\r\n", 400, "malformed header line" },
	{ "bare LF", RQ_LINE RQ_HOST "Upgrade: websocket\n" RQ_CONN RQ_KEY
	    RQ_VERSION "\r\n", 400, "malformed header line" },
	{ "bare CR", RQ_LINE RQ_HOST "X-A: a\rX-B: b\r\n" RQ_UPGRADE RQ_CONN
	    RQ_KEY RQ_VERSION "\r\n", 400, "malformed header line" },
	{ "control char", RQ_LINE RQ_HOST "X-A: a\001b\r\n" RQ_UPGRADE
	    RQ_CONN RQ_KEY RQ_VERSION "\r\n", 400, "malformed header line" },
	{ "DEL", RQ_LINE RQ_HOST "X-A: a\177b\r\n" RQ_UPGRADE RQ_CONN RQ_KEY
	    RQ_VERSION "\r\n", 400, "malformed header line" },
	{ "bare LF in request line", "GET /chat HTTP/1.1\n" RQ_HOST
	    RQ_UPGRADE RQ_CONN RQ_KEY RQ_VERSION "\r\n", 400,
	    "bad request line" },
};

START_TEST(test_request_bad)
{
	const char		*s = bad_requests[_i].req;
	struct ws_request	 req;
	const char		*reason = NULL;
	int			 rc;

	rc = req_parse(s, strlen(s), &req, &reason);
	ck_assert_msg(rc == bad_requests[_i].status, "%s: got %d, want %d",
	    bad_requests[_i].name, rc, bad_requests[_i].status);
	ck_assert_ptr_nonnull(reason);
	ck_assert_msg(strcmp(reason, bad_requests[_i].reason) == 0,
	    "%s: reason \"%s\"", bad_requests[_i].name, reason);
}
END_TEST

/* A NUL is no end of string here: the head is bytes, and it is refused. */
START_TEST(test_request_nul)
{
	const char		 s[] = RQ_LINE RQ_HOST "X-A: a\0b\r\n"
	    RQ_UPGRADE RQ_CONN RQ_KEY RQ_VERSION "\r\n";
	struct ws_request	 req;
	const char		*reason = NULL;

	ck_assert_int_eq(req_parse(s, sizeof(s) - 1, &req, &reason), 400);
	ck_assert_str_eq(reason, "malformed header line");
}
END_TEST

/* A valid request padded with an X-Pad header to exactly n bytes. */
static size_t
padded_request(char *buf, size_t n)
{
	const char	*head = RQ_LINE RQ_HOST RQ_UPGRADE RQ_CONN RQ_KEY
	    RQ_VERSION "X-Pad: ";
	size_t		 hl = strlen(head);

	ck_assert_uint_gt(n, hl + 4);
	memcpy(buf, head, hl);
	memset(buf + hl, 'p', n - hl - 4);
	memcpy(buf + n - 4, "\r\n\r\n", 4);
	return n;
}

START_TEST(test_request_too_large)
{
	static char		 buf[WS_HANDSHAKE_MAX + 64];
	struct ws_request	 req;
	const char		*reason = NULL;

	/* No end of head in sight: keep reading until the limit. */
	memset(buf, 'a', sizeof(buf));
	ck_assert_int_eq(req_parse(buf, WS_HANDSHAKE_MAX - 1, &req, &reason),
	    WS_HS_MORE);
	ck_assert_int_eq(req_parse(buf, WS_HANDSHAKE_MAX, &req, &reason),
	    431);
	ck_assert_str_eq(reason, "request head too large");

	/* A head of exactly the limit is fine, one byte more is not. */
	padded_request(buf, WS_HANDSHAKE_MAX);
	ck_assert_int_eq(req_parse(buf, WS_HANDSHAKE_MAX, &req, &reason), 0);
	ck_assert_uint_eq(req.head_len, WS_HANDSHAKE_MAX);
	padded_request(buf, WS_HANDSHAKE_MAX + 1);
	reason = NULL;
	ck_assert_int_eq(req_parse(buf, WS_HANDSHAKE_MAX, &req, &reason),
	    431);
	ck_assert_int_eq(req_parse(buf, WS_HANDSHAKE_MAX + 1, &req, &reason),
	    431);
	ck_assert_str_eq(reason, "request head too large");
}
END_TEST

START_TEST(test_accept_build)
{
	const char	*want = "HTTP/1.1 101 Switching Protocols\r\n"
	    "Upgrade: websocket\r\n"
	    "Connection: Upgrade\r\n"
	    "Sec-WebSocket-Accept: " RFC_ACCEPT "\r\n"
	    "\r\n";
	char		 out[256];

	ck_assert_uint_eq(ws_response_accept_build(out, sizeof(out), RFC_KEY,
	    NULL),
	    strlen(want));
	ck_assert_str_eq(out, want);
}
END_TEST

START_TEST(test_request_build)
{
	const char	*want = "GET /a/b?c=d HTTP/1.1\r\n"
	    "Host: [::1]:8008\r\n"
	    "Upgrade: websocket\r\n"
	    "Connection: Upgrade\r\n"
	    "Sec-WebSocket-Key: " RFC_KEY "\r\n"
	    "Sec-WebSocket-Version: 13\r\n"
	    "User-Agent: wsbench\r\n"
	    "\r\n";
	char		 out[512];

	ck_assert_uint_eq(build(out, sizeof(out), "[::1]:8008",
	    "/a/b?c=d", RFC_KEY), strlen(want));
	ck_assert_str_eq(out, want);
}
END_TEST

START_TEST(test_request_build_refuses)
{
	char	out[512];

	ck_assert_uint_eq(build(out, sizeof(out),
	    "h\r\nX-Evil: 1", "/", RFC_KEY), 0);
	ck_assert_uint_eq(build(out, sizeof(out), "h", "/a b",
	    RFC_KEY), 0);
	ck_assert_uint_eq(build(out, sizeof(out), "h", "/\n",
	    RFC_KEY), 0);
	ck_assert_uint_eq(build(out, sizeof(out), "", "/",
	    RFC_KEY), 0);
	ck_assert_uint_eq(build(out, sizeof(out), "h", "/",
	    "key\r\n"), 0);
	ck_assert_uint_gt(build(out, sizeof(out), "h", "/",
	    RFC_KEY), 0);
}
END_TEST

/* --origin, --protocol and --header, and a User-Agent that replaces ours. */
START_TEST(test_request_build_options)
{
	static const char *const	 headers[] = {
		"Authorization: Bearer a b", "User-Agent: probe/1"
	};
	const char			*want =
	    "GET / HTTP/1.1\r\n"
	    "Host: h:1\r\n"
	    "Upgrade: websocket\r\n"
	    "Connection: Upgrade\r\n"
	    "Sec-WebSocket-Key: " RFC_KEY "\r\n"
	    "Sec-WebSocket-Version: 13\r\n"
	    "Origin: http://example.com\r\n"
	    "Sec-WebSocket-Protocol: chat, superchat\r\n"
	    "Authorization: Bearer a b\r\n"
	    "User-Agent: probe/1\r\n"
	    "\r\n";
	struct ws_client_opts		 o = opts("h:1", "/");
	struct ws_request		 req;
	const char			*reason;
	char				 out[1024];

	o.origin = "http://example.com";
	o.protocols = offered;
	o.nprotocols = 2;
	o.headers = headers;
	o.nheaders = 2;
	ck_assert_uint_eq(ws_request_build(out, sizeof(out), &o, RFC_KEY),
	    strlen(want));
	ck_assert_str_eq(out, want);
	/* Our own server side takes it. */
	ck_assert_int_eq(req_parse(out, strlen(out), &req, &reason), 0);

	o.nheaders = 1;
	o.nprotocols = 1;
	ck_assert_uint_gt(ws_request_build(out, sizeof(out), &o, RFC_KEY), 0);
	ck_assert_ptr_nonnull(strstr(out, "Sec-WebSocket-Protocol: chat\r\n"));
	ck_assert_ptr_nonnull(strstr(out, "User-Agent: wsbench\r\n"));
	o.origin = "http://a b";
	ck_assert_uint_eq(ws_request_build(out, sizeof(out), &o, RFC_KEY), 0);
}
END_TEST

static const struct {
	const char	*line;
	int		 good;
} header_lines[] = {
	{ "X-Test: 1", 1 },
	{ "Authorization: Bearer abc def", 1 },
	{ "X-Empty:", 1 },
	{ "User-Agent: me", 1 },
	{ "Cookie: a=b;\tc=d", 1 },
	{ "X-Test 1", 0 },
	{ ": 1", 0 },
	{ "X Test: 1", 0 },
	{ "X-Test: a\r\nX-Evil: 1", 0 },
	{ "X-Test: a\nb", 0 },
	{ "X-Test: \x7f", 0 },
	{ "Host: other", 0 },
	{ "upgrade: h2c", 0 },
	{ "Connection: close", 0 },
	{ "Sec-WebSocket-Key: x", 0 },
	{ "Sec-WebSocket-Version: 8", 0 },
	{ "Sec-WebSocket-Protocol: chat", 0 },
	{ "Sec-WebSocket-Extensions: permessage-deflate", 0 },
	{ "origin: http://x", 0 },
};

START_TEST(test_header_check)
{
	const char	*why = ws_header_check(header_lines[_i].line);

	ck_assert_msg((why == NULL) == header_lines[_i].good, "'%s': %s",
	    header_lines[_i].line, why != NULL ? why : "accepted");
}
END_TEST

START_TEST(test_token_valid)
{
	ck_assert_int_eq(ws_token_valid("chat"), 1);
	ck_assert_int_eq(ws_token_valid("v2.bin+json"), 1);
	ck_assert_int_eq(ws_token_valid(""), 0);
	ck_assert_int_eq(ws_token_valid("a b"), 0);
	ck_assert_int_eq(ws_token_valid("a,b"), 0);
	ck_assert_int_eq(ws_token_valid("a\"b"), 0);
	ck_assert_int_eq(ws_origin_valid("http://example.com:8080"), 1);
	ck_assert_int_eq(ws_origin_valid("null"), 1);
	ck_assert_int_eq(ws_origin_valid(""), 0);
	ck_assert_int_eq(ws_origin_valid("http://a\r\n"), 0);
}
END_TEST

/* The server may pick one subprotocol of those offered, once. */
START_TEST(test_response_protocol)
{
	const char	*reason = NULL, *s;
	size_t		 head_len;
	int		 protocol = 7;

	s = RS_LINE RS_UPGRADE RS_CONN RS_ACCEPT "\r\n";
	ck_assert_int_eq(resp_parse_proto(s, strlen(s), RFC_KEY, &head_len,
	    &protocol, &reason), 0);
	ck_assert_int_eq(protocol, -1);
	s = RS_LINE RS_UPGRADE RS_CONN RS_ACCEPT
	    "Sec-WebSocket-Protocol: superchat\r\n\r\n";
	ck_assert_int_eq(resp_parse_proto(s, strlen(s), RFC_KEY, &head_len,
	    &protocol, &reason), 0);
	ck_assert_int_eq(protocol, 1);
	s = RS_LINE RS_UPGRADE RS_CONN RS_ACCEPT
	    "Sec-WebSocket-Protocol: other\r\n\r\n";
	ck_assert_int_eq(resp_parse_proto(s, strlen(s), RFC_KEY, &head_len,
	    &protocol, &reason), WS_HS_ERROR);
	ck_assert_str_eq(reason, "server chose a subprotocol we did not offer");
	s = RS_LINE RS_UPGRADE RS_CONN RS_ACCEPT
	    "Sec-WebSocket-Protocol: chat, superchat\r\n\r\n";
	ck_assert_int_eq(resp_parse_proto(s, strlen(s), RFC_KEY, &head_len,
	    &protocol, &reason), WS_HS_ERROR);
	s = RS_LINE RS_UPGRADE RS_CONN RS_ACCEPT
	    "Sec-WebSocket-Protocol: chat\r\n"
	    "Sec-WebSocket-Protocol: chat\r\n\r\n";
	ck_assert_int_eq(resp_parse_proto(s, strlen(s), RFC_KEY, &head_len,
	    &protocol, &reason), WS_HS_ERROR);
	ck_assert_str_eq(reason, "more than one Sec-WebSocket-Protocol");
}
END_TEST

static const struct {
	int		 status;
	const char	*line;
} error_statuses[] = {
	{ 400, "HTTP/1.1 400 Bad Request\r\n" },
	{ 405, "HTTP/1.1 405 Method Not Allowed\r\n" },
	{ 426, "HTTP/1.1 426 Upgrade Required\r\n" },
	{ 431, "HTTP/1.1 431 Request Header Fields Too Large\r\n" },
	{ 505, "HTTP/1.1 505 HTTP Version Not Supported\r\n" },
	{ 418, "HTTP/1.1 418 Error\r\n" },
};

START_TEST(test_error_build)
{
	const char	*reason = "some reason";
	char		 out[512], *body, *cl;
	size_t		 len;

	len = ws_response_error_build(out, sizeof(out),
	    error_statuses[_i].status, reason);
	ck_assert_uint_gt(len, 0);
	ck_assert_uint_eq(len, strlen(out));
	ck_assert_int_eq(strncmp(out, error_statuses[_i].line,
	    strlen(error_statuses[_i].line)), 0);
	ck_assert_ptr_nonnull(strstr(out, "\r\nContent-Type: text/plain\r\n"));
	ck_assert_ptr_nonnull(strstr(out, "\r\nConnection: close\r\n"));
	body = strstr(out, "\r\n\r\n");
	ck_assert_ptr_nonnull(body);
	body += 4;
	ck_assert_str_eq(body, "some reason\n");
	cl = strstr(out, "\r\nContent-Length: ");
	ck_assert_ptr_nonnull(cl);
	ck_assert_uint_eq(strtoul(cl + 18, NULL, 10), strlen(body));
	ck_assert_int_eq(strstr(out, "Sec-WebSocket-Version: 13\r\n") != NULL,
	    error_statuses[_i].status == 426);
	ck_assert_int_eq(strstr(out, "\r\nAllow: GET\r\n") != NULL,
	    error_statuses[_i].status == 405);
}
END_TEST

START_TEST(test_error_build_exact)
{
	const char	*want = "HTTP/1.1 426 Upgrade Required\r\n"
	    "Sec-WebSocket-Version: 13\r\n"
	    "Content-Type: text/plain\r\n"
	    "Content-Length: 20\r\n"
	    "Connection: close\r\n"
	    "\r\n"
	    "unsupported version\n";
	char		 out[512];

	ck_assert_uint_eq(ws_response_error_build(out, sizeof(out), 426,
	    "unsupported version"), strlen(want));
	ck_assert_str_eq(out, want);
	ck_assert_uint_eq(ws_response_error_build(out, sizeof(out), 99, "x"),
	    0);
	ck_assert_uint_eq(ws_response_error_build(out, sizeof(out), 600, "x"),
	    0);
}
END_TEST

/* Client builds, server parses and answers, client checks the answer. */
START_TEST(test_roundtrip)
{
	char			 key[WS_KEY_LEN + 1], buf[1024];
	struct ws_request	 req;
	const char		*reason = NULL;
	size_t			 len, head_len = 0;

	ck_assert_int_eq(ws_key_generate(key), 0);
	len = build(buf, sizeof(buf), "example.com:8008",
	    "/a?b=c", key);
	ck_assert_uint_gt(len, 0);
	ck_assert_int_eq(req_parse(buf, len, &req, &reason), 0);
	ck_assert_str_eq(req.key, key);
	ck_assert_uint_eq(req.head_len, len);
	ck_assert_uint_eq(req.path_len, 6);
	ck_assert_int_eq(memcmp(req.path, "/a?b=c", 6), 0);

	len = ws_response_accept_build(buf, sizeof(buf), req.key, NULL);
	ck_assert_uint_gt(len, 0);
	memcpy(buf + len, "\x81\x02hi", 4);
	ck_assert_int_eq(resp_parse(buf, len + 4, key, &head_len, &reason),
	    0);
	ck_assert_uint_eq(head_len, len);
}
END_TEST

/* Valid answers to RFC_KEY written differently. */
static const char *const valid_responses[] = {
	RS_VALID,
	"HTTP/1.1 101\r\n" RS_UPGRADE RS_CONN RS_ACCEPT "\r\n",
	"HTTP/1.1 101 Web Socket Protocol Handshake\r\n"
	"Server: test\r\n"
	"date: Thu, 01 Jan 1970 00:00:00 GMT\r\n"
	"CONNECTION: keep-alive, upgrade\r\n"
	"sec-websocket-accept:  " RFC_ACCEPT " \r\n"
	"upgrade: WebSocket\r\n"
	"\r\n",
};

START_TEST(test_response_valid)
{
	const char	*s = valid_responses[_i];
	const char	*reason = NULL;
	size_t		 head_len = 0;
	int		 rc;

	rc = resp_parse(s, strlen(s), RFC_KEY, &head_len, &reason);
	ck_assert_msg(rc == 0, "response %d: %d (%s)", _i, rc,
	    reason ? reason : "");
	ck_assert_uint_eq(head_len, strlen(s));
}
END_TEST

START_TEST(test_response_prefixes)
{
	const char	*s = RS_VALID, *reason;
	size_t		 n, head_len;

	for (n = 0; n < strlen(s); n++) {
		reason = NULL;
		ck_assert_msg(resp_parse(s, n, RFC_KEY, &head_len, &reason) ==
		    WS_HS_MORE, "prefix of %zu bytes", n);
		ck_assert_ptr_null(reason);
	}
}
END_TEST

static const struct {
	const char	*name;
	const char	*resp;
	int		 rc;
	const char	*reason;
} bad_responses[] = {
	{ "wrong accept", RS_LINE RS_UPGRADE RS_CONN
	    "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo\r\n\r\n",
	    WS_HS_BAD_ACCEPT,
	    "wrong Sec-WebSocket-Accept" },
	{ "accept of another key", RS_LINE RS_UPGRADE RS_CONN
	    "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n",
	    WS_HS_BAD_ACCEPT,
	    "wrong Sec-WebSocket-Accept" },
	{ "accept in other case", RS_LINE RS_UPGRADE RS_CONN
	    "Sec-WebSocket-Accept: S3PPLMBITXAQ9KYGZZHZRBK+XOO=\r\n\r\n",
	    WS_HS_BAD_ACCEPT,
	    "wrong Sec-WebSocket-Accept" },
	{ "empty accept", RS_LINE RS_UPGRADE RS_CONN
	    "Sec-WebSocket-Accept:\r\n\r\n",
	    WS_HS_BAD_ACCEPT, "wrong Sec-WebSocket-Accept" },
	{ "two accepts", RS_LINE RS_UPGRADE RS_CONN RS_ACCEPT RS_ACCEPT
	    "\r\n", WS_HS_BAD_ACCEPT, "duplicate Sec-WebSocket-Accept" },
	{ "no accept", RS_LINE RS_UPGRADE RS_CONN "\r\n", WS_HS_BAD_ACCEPT,
	    "missing Sec-WebSocket-Accept" },
	{ "status 200", "HTTP/1.1 200 OK\r\n" RS_UPGRADE RS_CONN RS_ACCEPT
	    "\r\n",
	    WS_HS_BAD_STATUS,
	    "got a 2xx status instead of 101 (not a WebSocket "
	    "endpoint?)" },
	{ "status 100", "HTTP/1.1 100 Continue\r\n\r\n", WS_HS_BAD_STATUS,
	    "unexpected 1xx status (want 101)" },
	{ "status 302", "HTTP/1.1 302 Found\r\nLocation: /x\r\n\r\n",
	    WS_HS_BAD_STATUS,
	    "got a 3xx redirect instead of 101" },
	{ "status 426", "HTTP/1.1 426 Upgrade Required\r\n"
	    "Sec-WebSocket-Version: 13\r\n\r\n", WS_HS_BAD_STATUS,
	    "upgrade refused with a 4xx status" },
	{ "status 503", "HTTP/1.1 503 Service Unavailable\r\n\r\n",
	    WS_HS_BAD_STATUS,
	    "server error (5xx status) instead of 101" },
	{ "status 601", "HTTP/1.1 601 What\r\n\r\n",
	    WS_HS_ERROR, "bad status line" },
	{ "status 1010", "HTTP/1.1 1010 Switching\r\n" RS_UPGRADE RS_CONN
	    RS_ACCEPT "\r\n", WS_HS_ERROR, "bad status line" },
	{ "HTTP/1.0", "HTTP/1.0 101 Switching Protocols\r\n" RS_UPGRADE
	    RS_CONN RS_ACCEPT "\r\n", WS_HS_ERROR, "bad status line" },
	{ "not HTTP", "SSH-2.0-OpenSSH_9.2\r\n\r\n",
	    WS_HS_ERROR, "bad status line" },
	{ "no Upgrade", RS_LINE RS_CONN RS_ACCEPT "\r\n", WS_HS_ERROR,
	    "missing Upgrade: websocket" },
	{ "Upgrade: h2c", RS_LINE "Upgrade: h2c\r\n" RS_CONN RS_ACCEPT
	    "\r\n", WS_HS_ERROR, "missing Upgrade: websocket" },
	{ "no Connection", RS_LINE RS_UPGRADE RS_ACCEPT "\r\n", WS_HS_ERROR,
	    "missing Connection: Upgrade" },
	{ "Connection: close", RS_LINE RS_UPGRADE "Connection: close\r\n"
	    RS_ACCEPT "\r\n", WS_HS_ERROR, "missing Connection: Upgrade" },
	{ "extensions", RS_LINE RS_UPGRADE RS_CONN RS_ACCEPT
	    "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n",
	    WS_HS_ERROR,
	    "server chose an extension we did not offer" },
	{ "protocol", RS_LINE RS_UPGRADE RS_CONN RS_ACCEPT
	    "sec-websocket-protocol: chat\r\n\r\n", WS_HS_ERROR,
	    "server chose a subprotocol we did not offer" },
	{ "line without colon", RS_LINE RS_UPGRADE "Connection Upgrade\r\n"
	    RS_ACCEPT "\r\n", WS_HS_ERROR, "malformed header line" },
	{ "bare LF", RS_LINE "Upgrade: websocket\n" RS_CONN RS_ACCEPT "\r\n",
	    WS_HS_ERROR,
	    "malformed header line" },
	{ "empty status line", "\r\n" RS_UPGRADE "\r\n",
	    WS_HS_ERROR, "bad status line" },
};

START_TEST(test_response_bad)
{
	const char	*s = bad_responses[_i].resp, *reason = NULL;
	size_t		 head_len;
	int		 rc;

	rc = resp_parse(s, strlen(s), RFC_KEY, &head_len, &reason);
	ck_assert_msg(rc == bad_responses[_i].rc, "%s: got %d",
	    bad_responses[_i].name, rc);
	ck_assert_ptr_nonnull(reason);
	ck_assert_msg(strcmp(reason, bad_responses[_i].reason) == 0,
	    "%s: reason \"%s\"", bad_responses[_i].name, reason);
}
END_TEST

START_TEST(test_response_wrong_key)
{
	const char	*s = RS_VALID, *reason = NULL;
	size_t		 head_len;

	ck_assert_int_eq(resp_parse(s, strlen(s), "QUJDREVGR0hJSktMTU5PUA==",
	    &head_len, &reason), WS_HS_BAD_ACCEPT);
	ck_assert_str_eq(reason, "wrong Sec-WebSocket-Accept");
}
END_TEST

START_TEST(test_response_too_large)
{
	static char	 buf[WS_HANDSHAKE_MAX + 1];
	const char	*reason = NULL;
	size_t		 head_len;

	memset(buf, 'a', sizeof(buf));
	ck_assert_int_eq(resp_parse(buf, WS_HANDSHAKE_MAX - 1, RFC_KEY,
	    &head_len, &reason), WS_HS_MORE);
	ck_assert_int_eq(resp_parse(buf, WS_HANDSHAKE_MAX, RFC_KEY,
	    &head_len, &reason), WS_HS_ERROR);
	ck_assert_str_eq(reason, "response head too large");
}
END_TEST

/* Each builder returns 0 until cap holds the text and its NUL. */
START_TEST(test_small_cap)
{
	char	out[512];
	size_t	len, cap;

	len = ws_response_accept_build(out, sizeof(out), RFC_KEY, NULL);
	for (cap = 0; cap <= len; cap++)
		ck_assert_uint_eq(ws_response_accept_build(out, cap, RFC_KEY,
		    NULL), 0);
	ck_assert_uint_eq(ws_response_accept_build(out, len + 1, RFC_KEY,
	    NULL), len);

	len = ws_response_error_build(out, sizeof(out), 400, "bad");
	for (cap = 0; cap <= len; cap++)
		ck_assert_uint_eq(ws_response_error_build(out, cap, 400,
		    "bad"), 0);
	ck_assert_uint_eq(ws_response_error_build(out, len + 1, 400, "bad"),
	    len);

	len = build(out, sizeof(out), "h", "/", RFC_KEY);
	for (cap = 0; cap <= len; cap++)
		ck_assert_uint_eq(build(out, cap, "h", "/",
		    RFC_KEY), 0);
	ck_assert_uint_eq(build(out, len + 1, "h", "/", RFC_KEY),
	    len);
}
END_TEST

#define NELEM(a)	(int)(sizeof(a) / sizeof((a)[0]))

static Suite *
handshake_suite(void)
{
	Suite	*s = suite_create("handshake");
	TCase	*tc;

	tc = tcase_create("keys");
	tcase_add_test(tc, test_accept_rfc_example);
	tcase_add_test(tc, test_key_generate);
	suite_add_tcase(s, tc);

	tc = tcase_create("server");
	tcase_add_test(tc, test_request_valid);
	tcase_add_loop_test(tc, test_request_variants, 0,
	    NELEM(valid_variants));
	tcase_add_test(tc, test_request_trailing_bytes);
	tcase_add_test(tc, test_request_key_alphabet);
	tcase_add_test(tc, test_request_prefixes);
	tcase_add_loop_test(tc, test_request_bad, 0, NELEM(bad_requests));
	tcase_add_test(tc, test_request_nul);
	tcase_add_test(tc, test_request_too_large);
	tcase_add_test(tc, test_accept_build);
	tcase_add_loop_test(tc, test_error_build, 0, NELEM(error_statuses));
	tcase_add_test(tc, test_error_build_exact);
	suite_add_tcase(s, tc);

	tc = tcase_create("client");
	tcase_add_test(tc, test_request_build);
	tcase_add_test(tc, test_request_build_refuses);
	tcase_add_test(tc, test_request_build_options);
	tcase_add_loop_test(tc, test_header_check, 0, NELEM(header_lines));
	tcase_add_test(tc, test_token_valid);
	tcase_add_test(tc, test_roundtrip);
	tcase_add_loop_test(tc, test_response_valid, 0,
	    NELEM(valid_responses));
	tcase_add_test(tc, test_response_prefixes);
	tcase_add_loop_test(tc, test_response_bad, 0, NELEM(bad_responses));
	tcase_add_test(tc, test_response_wrong_key);
	tcase_add_test(tc, test_response_protocol);
	tcase_add_test(tc, test_response_too_large);
	tcase_add_test(tc, test_small_cap);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(handshake_suite(), NULL);
}
