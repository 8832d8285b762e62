/* SPDX-License-Identifier: ISC */
/*
 * The RFC 6455 opening handshake, both sides, as functions over byte
 * buffers.  Only ws_key_generate() touches anything outside its arguments
 * (OpenSSL's random generator).
 */
#ifndef WS_HANDSHAKE_H
#define WS_HANDSHAKE_H

#include <stddef.h>

#include "ws_deflate.h"

#define WS_KEY_LEN		24	/* base64 of 16 random bytes */
#define WS_ACCEPT_LEN		28	/* base64 of a SHA-1 digest */
#define WS_HANDSHAKE_MAX	8192	/* largest request or response head */

/* Results of the parse functions besides 0 (complete and valid). */
#define WS_HS_MORE		1	/* no blank line yet, keep reading */
#define WS_HS_ERROR		(-1)	/* client side: bad response */
#define WS_HS_BAD_STATUS	(-2)	/* client side: a status other than 101 */
#define WS_HS_BAD_ACCEPT	(-3)	/* client side: wrong or no accept */

/* A fresh Sec-WebSocket-Key, NUL-terminated.  Returns 0, -1 on failure. */
int	ws_key_generate(char key[WS_KEY_LEN + 1]);

/* Sec-WebSocket-Accept for a key: base64(SHA-1(key + GUID)). */
void	ws_accept_compute(const char *key, size_t key_len,
	    char out[WS_ACCEPT_LEN + 1]);

/* Server side: what a valid upgrade request carried. */
struct ws_request {
	char		key[WS_KEY_LEN + 1];
	const char	*path;		/* points into the parsed buffer */
	size_t		path_len;
	size_t		head_len;	/* bytes up to and including CRLFCRLF */
	/* The answer to the first permessage-deflate offer we can accept;
	 * deflate.on is 0 when there was none. */
	struct ws_deflate_params deflate;
};

/*
 * Parses an upgrade request at buf[0..len).  Returns 0 when it is complete
 * and valid, WS_HS_MORE when the head is incomplete and len is still under
 * WS_HANDSHAKE_MAX, or else the HTTP status to answer with (400, 405, 426,
 * 431, 505) and a static reason in *reason.  Checks: method GET, HTTP/1.1,
 * Host present, Upgrade: websocket and Connection: Upgrade (case-insensitive
 * tokens in comma lists), a Sec-WebSocket-Key that decodes to 16 bytes,
 * Sec-WebSocket-Version: 13 (else 426).
 */
int	ws_request_parse(const char *buf, size_t len, struct ws_request *req,
	    const char **reason);

/* The 101 answer for a key, agreeing to permessage-deflate as deflate
 * says when it is not NULL.  Returns its length, or 0 if cap is too
 * small. */
size_t	ws_response_accept_build(char *out, size_t cap, const char *key,
	    const struct ws_deflate_params *deflate);

/*
 * An error answer with the reason as a text/plain body and Connection:
 * close; a 426 also carries Sec-WebSocket-Version: 13.  Returns its length,
 * or 0 if cap is too small.
 */
size_t	ws_response_error_build(char *out, size_t cap, int status,
	    const char *reason);

/* Client side: what the upgrade request carries besides its key. */
struct ws_client_opts {
	const char		*host;	/* "example.com:8008", "[::1]:8008" */
	const char		*path;	/* the request target: "/", "/a?b" */
	const char		*origin;	/* or NULL */
	const char *const	*protocols;	/* offered, in order */
	size_t			 nprotocols;
	const char *const	*headers;	/* more "Name: value" lines */
	size_t			 nheaders;
	struct ws_deflate_params deflate;	/* offered when deflate.on */
};

/*
 * The upgrade request.  A User-Agent among the headers replaces ours.
 * Returns its length, or 0 if cap is too small or a string could break the
 * request's lines (check user input with the functions below first).
 */
size_t	ws_request_build(char *out, size_t cap, const struct ws_client_opts *o,
	    const char *key);

/*
 * Parses the server's answer at buf[0..len) to a request made with o and
 * key.  Returns 0 when it is a valid 101 (with *head_len set to the length
 * of the head, so bytes after it are the first frames, and *protocol to the
 * index in o->protocols of the subprotocol the server chose, or -1, and
 * *deflate to the permessage-deflate agreement, deflate->on 0 for none),
 * WS_HS_MORE when the head is incomplete and len is under WS_HANDSHAKE_MAX,
 * or else with a static reason in *reason: WS_HS_BAD_STATUS (not a 101),
 * WS_HS_BAD_ACCEPT (wrong or missing Sec-WebSocket-Accept) or WS_HS_ERROR
 * (missing or wrong Upgrade or Connection, an extension we did not offer or
 * parameters our offer did not allow, a subprotocol we did not offer, a
 * malformed or too long head).
 */
int	ws_response_parse(const char *buf, size_t len, const char *key,
	    const struct ws_client_opts *o, size_t *head_len, int *protocol,
	    struct ws_deflate_params *deflate, const char **reason);

/*
 * Checks an extra request header "Name: value": a token name, a value of
 * printable text, and none of the headers the handshake writes itself.
 * Returns NULL when it is good, or a static reason.
 */
const char *ws_header_check(const char *line);
/* True when s can be a subprotocol name (an HTTP token). */
int	ws_token_valid(const char *s);
/* True when s can be an Origin value (visible ASCII). */
int	ws_origin_valid(const char *s);

#endif
