/* SPDX-License-Identifier: ISC */
/*
 * The client's request, built from what a user gives (host, path, origin,
 * subprotocols, extra headers: recv's options), after the checks recv
 * makes of them.  Whatever got through must make a request that cannot
 * be split or smuggled: ws_request_parse() must read it back whole, with
 * the same path and key, and agree to the permessage-deflate offer unless
 * it asks for a window zlib cannot honour.
 *
 * Input: a flags byte (the deflate offer), then the strings, each ended
 * by a NUL: host, path, origin, then subprotocols and headers by turns.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ws_handshake.h"

#define BUILD_DEFLATE		0x01
#define BUILD_SERVER_NCT	0x02
#define BUILD_CLIENT_NCT	0x04
#define BUILD_ORIGIN		0x80
#define BUILD_STRINGS_MAX	8	/* subprotocols, and headers */

static const char build_key[] = "dGhlIHNhbXBsZSBub25jZQ==";
static const int build_server_bits[] = { 0, 8, 10, 15 };
static const int build_client_bits[] = { 0, WS_DEFLATE_NO_VALUE, 9, 15 };

/* The next NUL-ended string of the input, or all that is left. */
static char *
build_string(struct fuzz_in *in, char **copy)
{
	const uint8_t	*nul = memchr(in->p, '\0', in->n);
	size_t		 len = nul != NULL ? (size_t)(nul - in->p) : in->n;

	*copy = (char *)fuzz_copy(in->p, len, 1);
	in->p += len;
	in->n -= len;
	if (in->n > 0) {
		in->p++;
		in->n--;
	}
	return *copy;
}

static void
build_offer(uint8_t flags, struct ws_deflate_params *d)
{
	memset(d, 0, sizeof(*d));
	d->on = (flags & BUILD_DEFLATE) != 0;
	d->server_no_context_takeover = (flags & BUILD_SERVER_NCT) != 0;
	d->client_no_context_takeover = (flags & BUILD_CLIENT_NCT) != 0;
	d->server_max_window_bits = build_server_bits[flags >> 3 & 3];
	d->client_max_window_bits = build_client_bits[flags >> 5 & 3];
}

/* The request must read back as it was made. */
static void
build_check(const char *out, size_t n, const struct ws_client_opts *o)
{
	struct ws_request	 req;
	const char		*reason = NULL;
	int			 rc;

	rc = ws_request_parse(out, n, &req, &reason);
	if (o->path[0] != '/') {
		FUZZ_CHECK(rc == 400);
		return;
	}
	FUZZ_CHECK(rc == 0);
	FUZZ_CHECK(req.head_len == n);
	FUZZ_CHECK(req.path_len == strlen(o->path) &&
	    memcmp(req.path, o->path, req.path_len) == 0);
	FUZZ_CHECK(strcmp(req.key, build_key) == 0);
	FUZZ_CHECK(req.deflate.on == (o->deflate.on &&
	    o->deflate.server_max_window_bits != 8));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in		 in = { data, size };
	struct ws_client_opts	 o;
	const char		*protocols[BUILD_STRINGS_MAX];
	const char		*headers[BUILD_STRINGS_MAX];
	char			*copies[3 + 2 * BUILD_STRINGS_MAX], *s;
	char			 out[WS_HANDSHAKE_MAX];
	size_t			 ncopies = 0, i, n;
	uint8_t			 flags;

	memset(&o, 0, sizeof(o));
	o.protocols = protocols;
	o.headers = headers;
	flags = fuzz_byte(&in);
	build_offer(flags, &o.deflate);
	o.host = build_string(&in, &copies[ncopies++]);
	o.path = build_string(&in, &copies[ncopies++]);
	s = build_string(&in, &copies[ncopies++]);
	if (flags & BUILD_ORIGIN && ws_origin_valid(s))
		o.origin = s;
	/* What recv refuses never reaches the request. */
	for (i = 0; i < 2 * BUILD_STRINGS_MAX && in.n > 0; i++) {
		s = build_string(&in, &copies[ncopies++]);
		if (i % 2 == 0 && ws_token_valid(s))
			protocols[o.nprotocols++] = s;
		else if (i % 2 == 1 && ws_header_check(s) == NULL)
			headers[o.nheaders++] = s;
	}
	n = ws_request_build(out, sizeof(out), &o, build_key);
	if (n > 0)
		build_check(out, n, &o);
	for (i = 0; i < ncopies; i++)
		free(copies[i]);
	return 0;
}
