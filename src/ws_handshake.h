/*
 * The RFC 6455 opening handshake, both sides, as functions over byte
 * buffers.  Only ws_key_generate() touches anything outside its arguments
 * (OpenSSL's random generator).
 */
#ifndef WS_HANDSHAKE_H
#define WS_HANDSHAKE_H

#include <stddef.h>

#define WS_KEY_LEN		24	/* base64 of 16 random bytes */
#define WS_ACCEPT_LEN		28	/* base64 of a SHA-1 digest */
#define WS_HANDSHAKE_MAX	8192	/* largest request or response head */

/* Results of the parse functions besides 0 (complete and valid). */
#define WS_HS_MORE		1	/* no blank line yet, keep reading */
#define WS_HS_ERROR		(-1)	/* client side: bad response */

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

/* The 101 answer for a key.  Returns its length, or 0 if cap is too small. */
size_t	ws_response_accept_build(char *out, size_t cap, const char *key);

/*
 * An error answer with the reason as a text/plain body and Connection:
 * close; a 426 also carries Sec-WebSocket-Version: 13.  Returns its length,
 * or 0 if cap is too small.
 */
size_t	ws_response_error_build(char *out, size_t cap, int status,
	    const char *reason);

/*
 * Client side: the upgrade request.  host is the Host header value
 * ("example.com:8008", "[::1]:8008"), path the request target ("/", "/a?b").
 * Returns its length, or 0 if cap is too small.
 */
size_t	ws_request_build(char *out, size_t cap, const char *host,
	    const char *path, const char *key);

/*
 * Parses the server's answer at buf[0..len) to a request made with key.
 * Returns 0 when it is a valid 101 (with *head_len set to the length of the
 * head, so bytes after it are the first frames), WS_HS_MORE when the head is
 * incomplete and len is under WS_HANDSHAKE_MAX, or WS_HS_ERROR with a static
 * reason in *reason (status not 101, missing or wrong Upgrade, Connection or
 * Sec-WebSocket-Accept, an extension or subprotocol we did not offer, too
 * long).
 */
int	ws_response_parse(const char *buf, size_t len, const char *key,
	    size_t *head_len, const char **reason);

#endif
