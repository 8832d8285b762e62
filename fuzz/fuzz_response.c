/* SPDX-License-Identifier: ISC */
/*
 * ws_response_parse(), the client's side of the handshake, on any bytes
 * after a request whose subprotocols and permessage-deflate offer the
 * first byte chooses.  It must answer with one of the codes it promises;
 * an answer it takes must read the same from its head alone (and be
 * incomplete one byte short), name an offered subprotocol, and agree to
 * no more than the offer allowed (RFC 7692 section 7.1, checked here
 * afresh).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ws_handshake.h"

#define RESPONSE_DEFLATE	0x01
#define RESPONSE_SERVER_NCT	0x02
#define RESPONSE_CLIENT_NCT	0x04
#define RESPONSE_PROTOCOLS	0x80

/* The key of RFC 6455 section 1.3, whose accept the dictionary holds. */
static const char response_key[] = "dGhlIHNhbXBsZSBub25jZQ==";
static const char *const response_protocols[] = { "chat", "superchat" };
static const int response_server_bits[] = { 0, 9, 12, 15 };
static const int response_client_bits[] = {
	0, WS_DEFLATE_NO_VALUE, 10, 15
};

static void
response_offer(uint8_t flags, struct ws_client_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->host = "h";
	o->path = "/";
	if (flags & RESPONSE_PROTOCOLS) {
		o->protocols = response_protocols;
		o->nprotocols = 2;
	}
	o->deflate.on = (flags & RESPONSE_DEFLATE) != 0;
	o->deflate.server_no_context_takeover =
	    (flags & RESPONSE_SERVER_NCT) != 0;
	o->deflate.client_no_context_takeover =
	    (flags & RESPONSE_CLIENT_NCT) != 0;
	o->deflate.server_max_window_bits =
	    response_server_bits[flags >> 3 & 3];
	o->deflate.client_max_window_bits =
	    response_client_bits[flags >> 5 & 3];
}

/* An agreement must be within the offer. */
static void
response_agreed_ok(const struct ws_deflate_params *o,
    const struct ws_deflate_params *a)
{
	if (!a->on)
		return;
	FUZZ_CHECK(o->on);
	if (o->server_no_context_takeover)
		FUZZ_CHECK(a->server_no_context_takeover);
	FUZZ_CHECK(a->server_max_window_bits == 0 ||
	    (a->server_max_window_bits >= 8 &&
	    a->server_max_window_bits <= 15));
	if (o->server_max_window_bits != 0)
		FUZZ_CHECK(a->server_max_window_bits != 0 &&
		    a->server_max_window_bits <= o->server_max_window_bits);
	FUZZ_CHECK(a->client_max_window_bits == 0 ||
	    (a->client_max_window_bits >= 8 &&
	    a->client_max_window_bits <= 15));
	if (a->client_max_window_bits != 0)
		FUZZ_CHECK(o->client_max_window_bits == WS_DEFLATE_NO_VALUE ||
		    a->client_max_window_bits <= o->client_max_window_bits);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in			 in = { data, size };
	struct ws_client_opts		 o;
	struct ws_deflate_params	 agreed, again_agreed;
	const char			*reason = NULL, *buf;
	uint8_t				*copy;
	size_t				 head_len, again_len;
	int				 rc, protocol, again_protocol;

	response_offer(fuzz_byte(&in), &o);
	copy = fuzz_copy(in.p, in.n, 0);
	buf = (const char *)copy;
	rc = ws_response_parse(buf, in.n, response_key, &o, &head_len,
	    &protocol, &agreed, &reason);
	FUZZ_CHECK(rc == 0 || rc == WS_HS_MORE || rc == WS_HS_ERROR ||
	    rc == WS_HS_BAD_STATUS || rc == WS_HS_BAD_ACCEPT);
	if (rc == WS_HS_MORE)
		FUZZ_CHECK(in.n < WS_HANDSHAKE_MAX);
	else if (rc != 0)
		FUZZ_CHECK(reason != NULL);
	else {
		FUZZ_CHECK(head_len >= 4 && head_len <= in.n);
		FUZZ_CHECK(protocol >= -1 && protocol < (int)o.nprotocols);
		response_agreed_ok(&o.deflate, &agreed);
		FUZZ_CHECK(ws_response_parse(buf, head_len, response_key, &o,
		    &again_len, &again_protocol, &again_agreed, &reason) == 0);
		FUZZ_CHECK(again_len == head_len &&
		    again_protocol == protocol &&
		    memcmp(&again_agreed, &agreed, sizeof(agreed)) == 0);
		FUZZ_CHECK(ws_response_parse(buf, head_len - 1, response_key,
		    &o, &again_len, &again_protocol, &again_agreed,
		    &reason) == WS_HS_MORE);
	}
	free(copy);
	return 0;
}
