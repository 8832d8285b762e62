/* SPDX-License-Identifier: ISC */
/*
 * The RFC 6455 opening handshake over byte buffers.  Parsing is strict
 * where a sloppy peer could confuse us (bare CR or LF, control characters,
 * duplicate keys) and liberal where RFC 7230 says so (header name case,
 * optional whitespace, comma-separated token lists).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "ws_handshake.h"
#include "ws_http_lex.h"

#define HS_GUID		"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
#define HS_KEY_RAW	16	/* bytes behind a Sec-WebSocket-Key */

/* What the header loop has found so far, for checks done at the end. */
struct hs_seen {
	int	host;
	int	upgrade;
	int	connection;
	int	version;
	int	key;
	int	accept;
};

struct hs_field {
	const char	*name;
	size_t		 name_len;
	const char	*value;
	size_t		 value_len;
};

/* The lines of a head, up to (not including) its final empty line. */
struct hs_lines {
	const char	*p;
	const char	*end;
};

static const struct {
	int		 status;
	const char	*phrase;
} hs_phrases[] = {
	{ 400, "Bad Request" },
	{ 403, "Forbidden" },
	{ 404, "Not Found" },
	{ 405, "Method Not Allowed" },
	{ 426, "Upgrade Required" },
	{ 431, "Request Header Fields Too Large" },
	{ 500, "Internal Server Error" },
	{ 503, "Service Unavailable" },
	{ 505, "HTTP Version Not Supported" },
};

/* Why a response that is not a 101 failed, by the status's first digit. */
static const char *const hs_status_why[] = {
	"unexpected 1xx status (want 101)",
	"got a 2xx status instead of 101 (not a WebSocket endpoint?)",
	"got a 3xx redirect instead of 101",
	"upgrade refused with a 4xx status",
	"server error (5xx status) instead of 101",
};

static int
hs_fail(const char **reason, const char *why, int rc)
{
	*reason = why;
	return rc;
}

static int
hs_eq(const char *p, size_t n, const char *s)
{
	return strlen(s) == n && memcmp(p, s, n) == 0;
}

static int
hs_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
hs_is_b64(int c)
{
	return hs_is_digit(c) || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || c == '+' || c == '/';
}

/* What a header line may hold: printable ASCII and tabs (RFC 7230 field
 * content, without obsolete text). */
static int
hs_is_text_char(int c)
{
	return (c >= ' ' || c == '\t') && c != 0x7f;
}

/* Visible ASCII only, so nothing we put in a request can split a line. */
static int
hs_is_visible(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

/*
 * Finds the blank line ending the head.  Only the first WS_HANDSHAKE_MAX
 * bytes count, so a head that ends just past the limit is too large even
 * when the caller handed us more.  Returns 0, WS_HS_MORE, or -1 if too
 * large.
 */
static int
hs_head(const char *buf, size_t len, struct hs_lines *l, size_t *head_len)
{
	size_t	i, n = len < WS_HANDSHAKE_MAX ? len : WS_HANDSHAKE_MAX;

	for (i = 3; i < n; i++) {
		if (buf[i] == '\n' && buf[i - 1] == '\r' &&
		    buf[i - 2] == '\n' && buf[i - 3] == '\r') {
			*head_len = i + 1;
			l->p = buf;
			l->end = buf + i - 1;
			return 0;
		}
	}
	return len < WS_HANDSHAKE_MAX ? WS_HS_MORE : -1;
}

/*
 * Takes the next CRLF-terminated line.  A bare LF, a bare CR or any other
 * control character but HTAB is refused: peers that disagree on where a
 * line ends are how requests get smuggled.  The head ends in CRLF, so a
 * line end is always found before l->end.
 */
static int
hs_next_line(struct hs_lines *l, const char **line, size_t *n)
{
	const char	*nl = memchr(l->p, '\n', (size_t)(l->end - l->p));
	size_t		 i;

	*line = l->p;
	*n = (size_t)(nl - l->p);
	l->p = nl + 1;
	if (*n == 0 || (*line)[*n - 1] != '\r')
		return -1;
	(*n)--;
	for (i = 0; i < *n; i++)
		if (!hs_is_text_char((unsigned char)(*line)[i]))
			return -1;
	return 0;
}

/* "Name: value"; no space is allowed before the colon (RFC 7230 3.2.4). */
static int
hs_field_parse(const char *line, size_t n, struct hs_field *f)
{
	const char	*colon = memchr(line, ':', n);
	size_t		 i;

	if (colon == NULL || colon == line)
		return -1;
	f->name = line;
	f->name_len = (size_t)(colon - line);
	for (i = 0; i < f->name_len; i++)
		if (!ws_lex_is_tchar((unsigned char)line[i]))
			return -1;
	f->value = colon + 1;
	f->value_len = n - f->name_len - 1;
	ws_lex_trim(&f->value, &f->value_len);
	return 0;
}

/*
 * A key that decodes to 16 bytes is exactly 22 base64 characters then
 * "==".  Checked by hand: EVP_DecodeBlock skips surrounding whitespace and
 * takes '=' anywhere as zero bits, so it would pass keys RFC 6455 refuses.
 */
static int
hs_key_valid(const char *v, size_t n)
{
	size_t	i;

	if (n != WS_KEY_LEN || v[n - 2] != '=' || v[n - 1] != '=')
		return 0;
	for (i = 0; i < n - 2; i++)
		if (!hs_is_b64((unsigned char)v[i]))
			return 0;
	return 1;
}

int
ws_key_generate(char key[WS_KEY_LEN + 1])
{
	unsigned char	raw[HS_KEY_RAW];

	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return -1;
	EVP_EncodeBlock((unsigned char *)key, raw, sizeof(raw));
	return 0;
}

/*
 * On a digest failure out is left empty: an empty accept never matches a
 * real one, so the handshake fails instead of going on unchecked.
 */
void
ws_accept_compute(const char *key, size_t key_len,
    char out[WS_ACCEPT_LEN + 1])
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 md_len = 0;
	EVP_MD_CTX	*ctx;
	int		 ok;

	out[0] = '\0';
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return;
	ok = EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) == 1 &&
	    EVP_DigestUpdate(ctx, key, key_len) == 1 &&
	    EVP_DigestUpdate(ctx, HS_GUID, sizeof(HS_GUID) - 1) == 1 &&
	    EVP_DigestFinal_ex(ctx, md, &md_len) == 1;
	EVP_MD_CTX_free(ctx);
	if (ok && md_len == SHA_DIGEST_LENGTH)
		EVP_EncodeBlock((unsigned char *)out, md, (int)md_len);
}

/*
 * The version is checked after the method, so "POST / HTTP/1.0" gets 405.
 * A well-formed version other than 1.1 gets 505 (we speak HTTP/1.1 only,
 * and RFC 6455 needs 1.1 for Upgrade); a malformed one is a 400.  Only the
 * origin form ("/path?query") is taken as target, which every WebSocket
 * client sends.
 */
static int
hs_request_line(const char *line, size_t n, struct ws_request *req,
    const char **reason)
{
	const char	*end = line + n, *target, *version;
	size_t		 i;

	if ((target = memchr(line, ' ', n)) == NULL || target == line)
		return hs_fail(reason, "bad request line", 400);
	target++;
	version = memchr(target, ' ', (size_t)(end - target));
	if (version == NULL || version == target)
		return hs_fail(reason, "bad request line", 400);
	if (!hs_eq(line, (size_t)(target - 1 - line), "GET"))
		return hs_fail(reason, "method must be GET", 405);
	req->path = target;
	req->path_len = (size_t)(version - target);
	version++;
	if (!hs_eq(version, (size_t)(end - version), "HTTP/1.1")) {
		if (end - version == 8 && memcmp(version, "HTTP/", 5) == 0 &&
		    hs_is_digit(version[5]) && version[6] == '.' &&
		    hs_is_digit(version[7]))
			return hs_fail(reason, "HTTP version must be 1.1", 505);
		return hs_fail(reason, "bad request line", 400);
	}
	if (req->path[0] != '/')
		return hs_fail(reason, "bad request target", 400);
	for (i = 0; i < req->path_len; i++)
		if ((unsigned char)req->path[i] <= ' ' ||
		    (unsigned char)req->path[i] >= 0x7f)
			return hs_fail(reason, "bad request target", 400);
	return 0;
}

static int
hs_request_key(const struct hs_field *f, struct hs_seen *seen,
    struct ws_request *req, const char **reason)
{
	if (seen->key++ > 0)
		return hs_fail(reason, "duplicate Sec-WebSocket-Key", 400);
	if (!hs_key_valid(f->value, f->value_len))
		return hs_fail(reason, "bad Sec-WebSocket-Key", 400);
	memcpy(req->key, f->value, WS_KEY_LEN);
	req->key[WS_KEY_LEN] = '\0';
	return 0;
}

/* Upgrade and Connection may come more than once; any instance counts. */
static int
hs_request_field(const struct hs_field *f, struct hs_seen *seen,
    struct ws_request *req, const char **reason)
{
	if (ws_lex_ieq(f->name, f->name_len, "Host")) {
		if (seen->host++ > 0)
			return hs_fail(reason, "duplicate Host", 400);
		if (f->value_len == 0)
			return hs_fail(reason, "empty Host", 400);
	} else if (ws_lex_ieq(f->name, f->name_len, "Upgrade"))
		seen->upgrade |= ws_lex_list_has(f->value, f->value_len,
		    "websocket");
	else if (ws_lex_ieq(f->name, f->name_len, "Connection"))
		seen->connection |= ws_lex_list_has(f->value, f->value_len,
		    "upgrade");
	else if (ws_lex_ieq(f->name, f->name_len, "Sec-WebSocket-Version")) {
		seen->version = 1;
		if (!hs_eq(f->value, f->value_len, "13"))
			return hs_fail(reason, "unsupported version", 426);
	} else if (ws_lex_ieq(f->name, f->name_len, "Sec-WebSocket-Key"))
		return hs_request_key(f, seen, req, reason);
	else if (ws_lex_ieq(f->name, f->name_len, "Sec-WebSocket-Extensions") &&
	    !req->deflate.on)
		ws_deflate_accept(f->value, f->value_len, &req->deflate);
	return 0;
}

static int
hs_request_check(const struct hs_seen *seen, const char **reason)
{
	if (!seen->host)
		return hs_fail(reason, "missing Host", 400);
	if (!seen->upgrade)
		return hs_fail(reason, "missing Upgrade: websocket", 400);
	if (!seen->connection)
		return hs_fail(reason, "missing Connection: Upgrade", 400);
	if (!seen->version)
		return hs_fail(reason, "missing Sec-WebSocket-Version", 426);
	if (!seen->key)
		return hs_fail(reason, "missing Sec-WebSocket-Key", 400);
	return 0;
}

int
ws_request_parse(const char *buf, size_t len, struct ws_request *req,
    const char **reason)
{
	struct hs_lines	 l;
	struct hs_field	 f;
	struct hs_seen	 seen;
	const char	*line;
	size_t		 n;
	int		 rc;

	if ((rc = hs_head(buf, len, &l, &req->head_len)) != 0) {
		if (rc == WS_HS_MORE)
			return rc;
		return hs_fail(reason, "request head too large", 431);
	}
	if (hs_next_line(&l, &line, &n) == -1)
		return hs_fail(reason, "bad request line", 400);
	if ((rc = hs_request_line(line, n, req, reason)) != 0)
		return rc;
	memset(&seen, 0, sizeof(seen));
	memset(&req->deflate, 0, sizeof(req->deflate));
	while (l.p < l.end) {
		if (hs_next_line(&l, &line, &n) == -1 ||
		    hs_field_parse(line, n, &f) == -1)
			return hs_fail(reason, "malformed header line", 400);
		if ((rc = hs_request_field(&f, &seen, req, reason)) != 0)
			return rc;
	}
	return hs_request_check(&seen, reason);
}

static size_t
hs_fit(int n, size_t cap)
{
	return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
}

size_t
ws_response_accept_build(char *out, size_t cap, const char *key,
    const struct ws_deflate_params *deflate)
{
	char	accept[WS_ACCEPT_LEN + 1], ext[WS_DEFLATE_PARAMS_MAX];

	ws_accept_compute(key, strlen(key), accept);
	if (accept[0] == '\0')
		return 0;
	if (deflate != NULL &&
	    ws_deflate_format(ext, sizeof(ext), deflate) == 0)
		return 0;
	return hs_fit(snprintf(out, cap,
	    "HTTP/1.1 101 Switching Protocols\r\n"
	    "Upgrade: websocket\r\n"
	    "Connection: Upgrade\r\n"
	    "Sec-WebSocket-Accept: %s\r\n"
	    "%s%s%s"
	    "\r\n", accept, deflate != NULL ? "Sec-WebSocket-Extensions: " : "",
	    deflate != NULL ? ext : "", deflate != NULL ? "\r\n" : ""), cap);
}

static const char *
hs_phrase(int status)
{
	size_t	i;

	for (i = 0; i < sizeof(hs_phrases) / sizeof(hs_phrases[0]); i++)
		if (hs_phrases[i].status == status)
			return hs_phrases[i].phrase;
	return "Error";
}

/*
 * 426 names the version we speak (RFC 6455 4.4) and 405 the method we
 * allow (RFC 7231 6.5.5 makes Allow a MUST there).
 */
size_t
ws_response_error_build(char *out, size_t cap, int status, const char *reason)
{
	const char	*extra = "";

	if (status < 100 || status > 599)
		return 0;
	if (status == 426)
		extra = "Sec-WebSocket-Version: 13\r\n";
	else if (status == 405)
		extra = "Allow: GET\r\n";
	return hs_fit(snprintf(out, cap,
	    "HTTP/1.1 %d %s\r\n"
	    "%s"
	    "Content-Type: text/plain\r\n"
	    "Content-Length: %zu\r\n"
	    "Connection: close\r\n"
	    "\r\n"
	    "%s\n", status, hs_phrase(status), extra, strlen(reason) + 1,
	    reason), cap);
}

/* A header value we write: it may hold spaces. */
static int
hs_is_text(const char *s)
{
	for (; *s != '\0'; s++)
		if (!hs_is_text_char((unsigned char)*s))
			return 0;
	return 1;
}

int
ws_token_valid(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!ws_lex_is_tchar((unsigned char)*s))
			return 0;
	return 1;
}

int
ws_origin_valid(const char *s)
{
	return hs_is_visible(s);
}

/* What the handshake writes itself, so --header may not. */
static const char *const hs_own_headers[] = {
	"Host", "Upgrade", "Connection", "Sec-WebSocket-Key",
	"Sec-WebSocket-Version", "Sec-WebSocket-Protocol",
	"Sec-WebSocket-Extensions", "Origin",
};

const char *
ws_header_check(const char *line)
{
	struct hs_field	f;
	size_t		i;

	if (hs_field_parse(line, strlen(line), &f) == -1)
		return "not a 'Name: value' header";
	if (!hs_is_text(f.value))
		return "control characters in the value";
	for (i = 0; i < sizeof(hs_own_headers) / sizeof(hs_own_headers[0]);
	    i++)
		if (ws_lex_ieq(f.name, f.name_len, hs_own_headers[i]))
			return "a header the handshake sets itself (see "
			    "--origin and --protocol)";
	return NULL;
}

/* Appends to out[*off..cap); *off goes past cap once anything is cut. */
static void
hs_append(char *out, size_t cap, size_t *off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
hs_append(char *out, size_t cap, size_t *off, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	if (*off >= cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(out + *off, cap - *off, fmt, ap);
	va_end(ap);
	*off = n < 0 ? cap : *off + (size_t)n;
}

static int
hs_client_opts_valid(const struct ws_client_opts *o, const char *key)
{
	size_t	i;

	if (!hs_is_visible(o->host) || !hs_is_visible(o->path) ||
	    !hs_is_visible(key) ||
	    (o->origin != NULL && !hs_is_visible(o->origin)))
		return 0;
	for (i = 0; i < o->nprotocols; i++)
		if (!ws_token_valid(o->protocols[i]))
			return 0;
	for (i = 0; i < o->nheaders; i++)
		if (ws_header_check(o->headers[i]) != NULL)
			return 0;
	return 1;
}

static int
hs_has_user_agent(const struct ws_client_opts *o)
{
	size_t	i;

	for (i = 0; i < o->nheaders; i++)
		if (strncasecmp(o->headers[i], "User-Agent:", 11) == 0)
			return 1;
	return 0;
}

size_t
ws_request_build(char *out, size_t cap, const struct ws_client_opts *o,
    const char *key)
{
	char	ext[WS_DEFLATE_PARAMS_MAX];
	size_t	off = 0, i;

	if (!hs_client_opts_valid(o, key))
		return 0;
	hs_append(out, cap, &off,
	    "GET %s HTTP/1.1\r\n"
	    "Host: %s\r\n"
	    "Upgrade: websocket\r\n"
	    "Connection: Upgrade\r\n"
	    "Sec-WebSocket-Key: %s\r\n"
	    "Sec-WebSocket-Version: 13\r\n", o->path, o->host, key);
	if (o->origin != NULL)
		hs_append(out, cap, &off, "Origin: %s\r\n", o->origin);
	for (i = 0; i < o->nprotocols; i++)
		hs_append(out, cap, &off, "%s%s%s", i == 0 ?
		    "Sec-WebSocket-Protocol: " : ", ", o->protocols[i],
		    i == o->nprotocols - 1 ? "\r\n" : "");
	if (o->deflate.on) {
		if (ws_deflate_format(ext, sizeof(ext), &o->deflate) == 0)
			return 0;
		hs_append(out, cap, &off, "Sec-WebSocket-Extensions: %s\r\n",
		    ext);
	}
	if (!hs_has_user_agent(o))
		hs_append(out, cap, &off, "User-Agent: wsbench\r\n");
	for (i = 0; i < o->nheaders; i++)
		hs_append(out, cap, &off, "%s\r\n", o->headers[i]);
	hs_append(out, cap, &off, "\r\n");
	return off < cap ? off : 0;
}

/* "HTTP/1.1 101 ..."; anything else gets a reason naming its class. */
static int
hs_status_line(const char *line, size_t n, const char **reason)
{
	if (n < 12 || memcmp(line, "HTTP/1.1 ", 9) != 0 ||
	    line[9] < '1' || line[9] > '5' ||
	    !hs_is_digit(line[10]) || !hs_is_digit(line[11]) ||
	    (n > 12 && line[12] != ' '))
		return hs_fail(reason, "bad status line", WS_HS_ERROR);
	if (memcmp(line + 9, "101", 3) != 0)
		return hs_fail(reason, hs_status_why[line[9] - '1'],
		    WS_HS_BAD_STATUS);
	return 0;
}

/* The server may pick one of the subprotocols we offered, and only once. */
static int
hs_response_protocol(const struct hs_field *f, const struct ws_client_opts *o,
    int *protocol, const char **reason)
{
	size_t	i;

	if (*protocol != -1)
		return hs_fail(reason, "more than one Sec-WebSocket-Protocol",
		    WS_HS_ERROR);
	for (i = 0; i < o->nprotocols; i++)
		if (hs_eq(f->value, f->value_len, o->protocols[i])) {
			*protocol = (int)i;
			return 0;
		}
	return hs_fail(reason, "server chose a subprotocol we did not offer",
	    WS_HS_ERROR);
}

/* Only permessage-deflate, when we offered it, and only once. */
static int
hs_response_extension(const struct hs_field *f,
    const struct ws_client_opts *o, struct ws_deflate_params *deflate,
    const char **reason)
{
	if (deflate->on)
		return hs_fail(reason, "permessage-deflate agreed twice",
		    WS_HS_ERROR);
	if (ws_deflate_check_answer(&o->deflate, f->value, f->value_len,
	    deflate, reason) == -1)
		return WS_HS_ERROR;
	return 0;
}

static int
hs_response_field(const struct hs_field *f, struct hs_seen *seen,
    const char *accept, const struct ws_client_opts *o, int *protocol,
    struct ws_deflate_params *deflate, const char **reason)
{
	if (ws_lex_ieq(f->name, f->name_len, "Upgrade"))
		seen->upgrade |= ws_lex_list_has(f->value, f->value_len,
		    "websocket");
	else if (ws_lex_ieq(f->name, f->name_len, "Connection"))
		seen->connection |= ws_lex_list_has(f->value, f->value_len,
		    "upgrade");
	else if (ws_lex_ieq(f->name, f->name_len, "Sec-WebSocket-Accept")) {
		if (seen->accept++ > 0)
			return hs_fail(reason, "duplicate Sec-WebSocket-Accept",
			    WS_HS_BAD_ACCEPT);
		if (!hs_eq(f->value, f->value_len, accept))
			return hs_fail(reason, "wrong Sec-WebSocket-Accept",
			    WS_HS_BAD_ACCEPT);
	} else if (ws_lex_ieq(f->name, f->name_len, "Sec-WebSocket-Extensions"))
		return hs_response_extension(f, o, deflate, reason);
	else if (ws_lex_ieq(f->name, f->name_len, "Sec-WebSocket-Protocol"))
		return hs_response_protocol(f, o, protocol, reason);
	return 0;
}

static int
hs_response_check(const struct hs_seen *seen, const char **reason)
{
	if (!seen->upgrade)
		return hs_fail(reason, "missing Upgrade: websocket",
		    WS_HS_ERROR);
	if (!seen->connection)
		return hs_fail(reason, "missing Connection: Upgrade",
		    WS_HS_ERROR);
	if (!seen->accept)
		return hs_fail(reason, "missing Sec-WebSocket-Accept",
		    WS_HS_BAD_ACCEPT);
	return 0;
}

int
ws_response_parse(const char *buf, size_t len, const char *key,
    const struct ws_client_opts *o, size_t *head_len, int *protocol,
    struct ws_deflate_params *deflate, const char **reason)
{
	struct hs_lines	 l;
	struct hs_field	 f;
	struct hs_seen	 seen;
	char		 accept[WS_ACCEPT_LEN + 1];
	const char	*line;
	size_t		 n;
	int		 rc;

	if ((rc = hs_head(buf, len, &l, head_len)) != 0) {
		if (rc == WS_HS_MORE)
			return rc;
		return hs_fail(reason, "response head too large", WS_HS_ERROR);
	}
	if (hs_next_line(&l, &line, &n) == -1)
		return hs_fail(reason, "bad status line", WS_HS_ERROR);
	if ((rc = hs_status_line(line, n, reason)) != 0)
		return rc;
	ws_accept_compute(key, strlen(key), accept);
	if (accept[0] == '\0')
		return hs_fail(reason, "cannot compute Sec-WebSocket-Accept",
		    WS_HS_ERROR);
	memset(&seen, 0, sizeof(seen));
	memset(deflate, 0, sizeof(*deflate));
	*protocol = -1;
	while (l.p < l.end) {
		if (hs_next_line(&l, &line, &n) == -1 ||
		    hs_field_parse(line, n, &f) == -1)
			return hs_fail(reason, "malformed header line",
			    WS_HS_ERROR);
		if ((rc = hs_response_field(&f, &seen, accept, o, protocol,
		    deflate, reason)) != 0)
			return rc;
	}
	return hs_response_check(&seen, reason);
}
