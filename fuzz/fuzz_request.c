/* SPDX-License-Identifier: ISC */
/*
 * ws_request_parse(), the server's side of the handshake, on any bytes.
 * It must answer with one of the codes it promises; a request it takes
 * must point inside its head and read the same from the head alone (and
 * be incomplete one byte short), and the answer built for it must satisfy
 * a client that offered what was agreed.  An error answer must read, to
 * a client, as a refusal.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ws_handshake.h"

#define REQUEST_OUT_MAX	1024

static const char request_key[] = "dGhlIHNhbXBsZSBub25jZQ==";

/* The answer to a request taken: a 101 a client that offered what was
 * agreed must accept, with the same agreement. */
static void
request_answer_ok(const struct ws_request *req)
{
	struct ws_client_opts		 o = { .host = "h", .path = "/" };
	struct ws_deflate_params	 agreed;
	char				 out[REQUEST_OUT_MAX];
	const char			*reason;
	size_t				 n, head_len;
	int				 protocol;

	o.deflate = req->deflate;
	n = ws_response_accept_build(out, sizeof(out), req->key,
	    req->deflate.on ? &req->deflate : NULL);
	FUZZ_CHECK(n > 0);
	FUZZ_CHECK(ws_response_parse(out, n, req->key, &o, &head_len,
	    &protocol, &agreed, &reason) == 0);
	FUZZ_CHECK(head_len == n && protocol == -1);
	FUZZ_CHECK(memcmp(&agreed, &req->deflate, sizeof(agreed)) == 0);
}

static void
request_refusal_ok(int status, const char *reason)
{
	struct ws_client_opts		 o = { .host = "h", .path = "/" };
	struct ws_deflate_params	 agreed;
	char				 out[REQUEST_OUT_MAX];
	size_t				 n, head_len;
	int				 protocol;

	n = ws_response_error_build(out, sizeof(out), status, reason);
	FUZZ_CHECK(n > 0);
	FUZZ_CHECK(ws_response_parse(out, n, request_key, &o, &head_len,
	    &protocol, &agreed, &reason) == WS_HS_BAD_STATUS);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ws_request	 req, again;
	const char		*reason = NULL, *buf;
	uint8_t			*copy;
	int			 rc;

	copy = fuzz_copy(data, size, 0);
	buf = (const char *)copy;
	rc = ws_request_parse(buf, size, &req, &reason);
	FUZZ_CHECK(rc == 0 || rc == WS_HS_MORE || rc == 400 || rc == 405 ||
	    rc == 426 || rc == 431 || rc == 505);
	if (rc == WS_HS_MORE)
		FUZZ_CHECK(size < WS_HANDSHAKE_MAX);
	else if (rc != 0) {
		FUZZ_CHECK(reason != NULL);
		request_refusal_ok(rc, reason);
	} else {
		FUZZ_CHECK(req.head_len >= 4 && req.head_len <= size);
		FUZZ_CHECK(req.path > buf && req.path_len > 0 &&
		    req.path + req.path_len < buf + req.head_len);
		FUZZ_CHECK(req.path[0] == '/');
		FUZZ_CHECK(strlen(req.key) == WS_KEY_LEN);
		FUZZ_CHECK(ws_request_parse(buf, req.head_len, &again,
		    &reason) == 0);
		FUZZ_CHECK(again.head_len == req.head_len &&
		    again.path == req.path && again.path_len == req.path_len &&
		    strcmp(again.key, req.key) == 0 &&
		    memcmp(&again.deflate, &req.deflate,
		    sizeof(req.deflate)) == 0);
		FUZZ_CHECK(ws_request_parse(buf, req.head_len - 1, &again,
		    &reason) == WS_HS_MORE);
		request_answer_ok(&req);
	}
	free(copy);
	return 0;
}
