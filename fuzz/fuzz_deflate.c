/* SPDX-License-Identifier: ISC */
/*
 * The permessage-deflate negotiation on any text, read three ways: as the
 * parameters of an offer a user writes (which, formatted and read again,
 * must give the same offer), as the Sec-WebSocket-Extensions a client
 * sends (whose answer, formatted, must satisfy a client that offered what
 * was agreed), and as a server's answer to an offer the first byte
 * chooses (which, when taken, must keep within the offer).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ws_deflate.h"

#define DEFLATE_SERVER_NCT	0x01
#define DEFLATE_CLIENT_NCT	0x02

static const int deflate_server_bits[] = { 0, 8, 11, 15 };
static const int deflate_client_bits[] = { 0, WS_DEFLATE_NO_VALUE, 9, 15 };

static int
deflate_bits_ok(int bits, int no_value)
{
	return bits == 0 || (bits >= 8 && bits <= 15) ||
	    (no_value && bits == WS_DEFLATE_NO_VALUE);
}

static void
deflate_offer(const char *s)
{
	struct ws_deflate_params	 p, again;
	char				 out[WS_DEFLATE_PARAMS_MAX];
	const char			*reason = NULL, *rest;
	size_t				 n;

	if (ws_deflate_offer_parse(s, &p, &reason) == -1) {
		FUZZ_CHECK(reason != NULL);
		return;
	}
	FUZZ_CHECK(p.on);
	FUZZ_CHECK(deflate_bits_ok(p.server_max_window_bits, 0));
	FUZZ_CHECK(deflate_bits_ok(p.client_max_window_bits, 1));
	n = ws_deflate_format(out, sizeof(out), &p);
	FUZZ_CHECK(n > 0 && n == strlen(out));
	FUZZ_CHECK(strncmp(out, WS_DEFLATE_NAME, strlen(WS_DEFLATE_NAME)) == 0);
	FUZZ_CHECK(ws_deflate_format(out, n, &p) == 0);
	FUZZ_CHECK(ws_deflate_format(out, sizeof(out), &p) == n);
	/* "permessage-deflate" then nothing, or "; " and the parameters. */
	rest = out + strlen(WS_DEFLATE_NAME);
	if (*rest != '\0') {
		FUZZ_CHECK(strncmp(rest, "; ", 2) == 0);
		rest += 2;
	}
	FUZZ_CHECK(ws_deflate_offer_parse(rest, &again, &reason) == 0);
	FUZZ_CHECK(memcmp(&again, &p, sizeof(p)) == 0);
}

static void
deflate_accept(const char *v, size_t n)
{
	struct ws_deflate_params	 agreed, again;
	char				 out[WS_DEFLATE_PARAMS_MAX];
	const char			*reason;
	size_t				 len;

	if (!ws_deflate_accept(v, n, &agreed))
		return;
	FUZZ_CHECK(agreed.on);
	FUZZ_CHECK(agreed.server_max_window_bits == 0 ||
	    (agreed.server_max_window_bits >= 9 &&
	    agreed.server_max_window_bits <= 15));
	FUZZ_CHECK(deflate_bits_ok(agreed.client_max_window_bits, 0));
	len = ws_deflate_format(out, sizeof(out), &agreed);
	FUZZ_CHECK(len > 0);
	FUZZ_CHECK(ws_deflate_check_answer(&agreed, out, len, &again,
	    &reason) == 0);
	FUZZ_CHECK(memcmp(&again, &agreed, sizeof(agreed)) == 0);
}

static void
deflate_answer(uint8_t flags, const char *v, size_t n)
{
	struct ws_deflate_params	 o, a;
	const char			*reason = NULL;

	memset(&o, 0, sizeof(o));
	o.on = 1;
	o.server_no_context_takeover = (flags & DEFLATE_SERVER_NCT) != 0;
	o.client_no_context_takeover = (flags & DEFLATE_CLIENT_NCT) != 0;
	o.server_max_window_bits = deflate_server_bits[flags >> 2 & 3];
	o.client_max_window_bits = deflate_client_bits[flags >> 4 & 3];
	if (ws_deflate_check_answer(&o, v, n, &a, &reason) == -1) {
		FUZZ_CHECK(reason != NULL);
		return;
	}
	FUZZ_CHECK(a.on);
	FUZZ_CHECK(deflate_bits_ok(a.server_max_window_bits, 0));
	FUZZ_CHECK(deflate_bits_ok(a.client_max_window_bits, 0));
	if (o.server_no_context_takeover)
		FUZZ_CHECK(a.server_no_context_takeover);
	if (o.server_max_window_bits != 0)
		FUZZ_CHECK(a.server_max_window_bits != 0 &&
		    a.server_max_window_bits <= o.server_max_window_bits);
	if (a.client_max_window_bits != 0)
		FUZZ_CHECK(o.client_max_window_bits == WS_DEFLATE_NO_VALUE ||
		    a.client_max_window_bits <= o.client_max_window_bits);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in	 in = { data, size };
	uint8_t		 flags, *text;

	flags = fuzz_byte(&in);
	text = fuzz_copy(in.p, in.n, 1);
	deflate_offer((const char *)text);
	deflate_accept((const char *)text, in.n);
	deflate_answer(flags, (const char *)text, in.n);
	free(text);
	return 0;
}
