/* SPDX-License-Identifier: ISC */
/*
 * The permessage-deflate streams.  Inflating any bytes, a message at a
 * time and in pieces, must never hand on more than the limit of one
 * message nor more than the buffer at once, and must fail only with the
 * codes it promises.  And messages compressed with ws_deflate_feed(), in
 * pieces, with the window and context takeover the input chooses, must
 * inflate back to themselves.
 *
 * Input: the limit (in 16 bytes, 0 for none), a flags byte (round trip
 * or not, window, context takeover, the size of the output buffer), then
 * pieces of messages: a byte with the piece's length and whether it ends
 * its message, and that many bytes.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ws_deflate.h"
#include "ws_frame.h"

#define INFLATE_ROUND_TRIP	0x01
#define INFLATE_BITS(f)		(9 + ((f) >> 1 & 7) % 7)	/* 9..15 */
#define INFLATE_NO_TAKEOVER	0x10
#define INFLATE_CAP(f)		((size_t)16 << ((f) >> 5))	/* 16..2048 */
#define INFLATE_FIN		0x80
#define INFLATE_LEN		0x7f

/* What inflated of the message coming in. */
struct inflate_out {
	size_t	 cap;		/* of the buffer */
	uint64_t max;
	uint8_t	*msg;
	size_t	 len;
};

static void
inflate_on_out(void *arg, const uint8_t *p, size_t n)
{
	struct inflate_out	*o = arg;

	FUZZ_CHECK(n > 0 && n <= o->cap);
	if (o->max != 0)
		FUZZ_CHECK(o->len + n <= o->max);
	if ((o->msg = realloc(o->msg, o->len + n)) == NULL)
		abort();
	memcpy(o->msg + o->len, p, n);
	o->len += n;
}

/* The next piece: *fin, and its bytes in a buffer of their own. */
static uint8_t *
inflate_piece(struct fuzz_in *in, size_t *len, int *fin)
{
	uint8_t	 b = fuzz_byte(in);
	uint8_t	*p;

	*fin = (b & INFLATE_FIN) != 0;
	*len = b & INFLATE_LEN;
	if (*len > in->n)
		*len = in->n;
	p = fuzz_copy(in->p, *len, 0);
	in->p += *len;
	in->n -= *len;
	return p;
}

/* Any bytes, inflated until the first failure. */
static void
inflate_any(struct fuzz_in *in, struct inflate_out *o, uint8_t *buf)
{
	struct ws_inflate	 z;
	uint8_t			*piece;
	size_t			 len;
	int			 fin, code = 0;

	FUZZ_CHECK(ws_inflate_init(&z, o->max) == 0);
	while (code == 0 && in->n > 0) {
		piece = inflate_piece(in, &len, &fin);
		code = ws_inflate_feed(&z, piece, len, fin, buf, o->cap,
		    inflate_on_out, o);
		FUZZ_CHECK(code == 0 || code == WS_CLOSE_BAD_DATA ||
		    code == WS_CLOSE_TOO_BIG);
		if (fin)
			o->len = 0;
		free(piece);
	}
	ws_inflate_end(&z);
}

/* Messages deflated, then inflated back, piece by piece. */
static void
inflate_round_trip(struct fuzz_in *in, struct inflate_out *o, uint8_t *buf,
    uint8_t flags)
{
	struct ws_deflate	 d;
	struct ws_inflate	 z;
	uint8_t			*piece, *msg = NULL, *zbuf;
	size_t			 len, msg_len = 0, zcap;
	long			 zlen;
	int			 fin;

	/* Room for any message: no piece is longer than the input. */
	zcap = ws_deflate_bound(in->n);
	zbuf = fuzz_copy(NULL, zcap, 0);
	FUZZ_CHECK(ws_deflate_init(&d, INFLATE_BITS(flags),
	    (flags & INFLATE_NO_TAKEOVER) != 0) == 0);
	FUZZ_CHECK(ws_inflate_init(&z, 0) == 0);
	while (in->n > 0) {
		piece = inflate_piece(in, &len, &fin);
		if ((msg = realloc(msg, msg_len + len + 1)) == NULL)
			abort();
		memcpy(msg + msg_len, piece, len);
		msg_len += len;
		zlen = ws_deflate_feed(&d, piece, len, fin, zbuf, zcap);
		FUZZ_CHECK(zlen >= 0);
		FUZZ_CHECK(ws_inflate_feed(&z, zbuf, (size_t)zlen, fin, buf,
		    o->cap, inflate_on_out, o) == 0);
		if (fin) {
			FUZZ_CHECK(o->len == msg_len && (msg_len == 0 ||
			    memcmp(o->msg, msg, msg_len) == 0));
			o->len = msg_len = 0;
		}
		free(piece);
	}
	ws_deflate_end(&d);
	ws_inflate_end(&z);
	free(zbuf);
	free(msg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in		 in = { data, size };
	struct inflate_out	 o;
	uint8_t			 flags, *buf;

	memset(&o, 0, sizeof(o));
	o.max = (uint64_t)fuzz_byte(&in) * 16;
	flags = fuzz_byte(&in);
	o.cap = INFLATE_CAP(flags);
	buf = fuzz_copy(NULL, o.cap, 0);
	if (flags & INFLATE_ROUND_TRIP) {
		o.max = 0;
		inflate_round_trip(&in, &o, buf, flags);
	} else
		inflate_any(&in, &o, buf);
	free(buf);
	free(o.msg);
	return 0;
}
