/* SPDX-License-Identifier: ISC */
/*
 * permessage-deflate streams: raw deflate over whole messages, the
 * 0x00 0x00 0xff 0xff tail of each sync flush taken off when sending and
 * put back when receiving (RFC 7692 section 7.2).
 */
#include "config.h"

#include <limits.h>
#include <string.h>

#include "ws_deflate.h"
#include "ws_frame.h"

#define DFL_MEM_LEVEL	8	/* zlib's default */

static const uint8_t	dfl_tail[4] = { 0x00, 0x00, 0xff, 0xff };

int
ws_deflate_init(struct ws_deflate *d, int window_bits,
    int no_context_takeover)
{
	memset(d, 0, sizeof(*d));
	d->no_context_takeover = no_context_takeover;
	if (window_bits == 0)
		window_bits = WS_DEFLATE_BITS_MAX;
	if (deflateInit2(&d->zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED,
	    -window_bits, DFL_MEM_LEVEL, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	return 0;
}

void
ws_deflate_end(struct ws_deflate *d)
{
	deflateEnd(&d->zs);
}

/*
 * Stored blocks at worst (5 bytes per 16 KiB and a few), plus the flush's
 * empty block: the bound zlib gives for any window or memory level, with
 * room to spare.
 */
size_t
ws_deflate_bound(size_t n)
{
	return n + (n >> 3) + (n >> 6) + 64;
}

long
ws_deflate_feed(struct ws_deflate *d, const uint8_t *in, size_t n, int fin,
    uint8_t *out, size_t cap)
{
	size_t	len;
	int	rc;

	if (n > UINT_MAX || cap > UINT_MAX || cap > LONG_MAX)
		return -1;
	d->zs.next_in = (Bytef *)(uintptr_t)in;
	d->zs.avail_in = (uInt)n;
	d->zs.next_out = out;
	d->zs.avail_out = (uInt)cap;
	rc = deflate(&d->zs, fin ? Z_SYNC_FLUSH : Z_NO_FLUSH);
	if ((rc != Z_OK && rc != Z_BUF_ERROR) || d->zs.avail_in != 0 ||
	    d->zs.avail_out == 0)
		return -1;
	len = cap - d->zs.avail_out;
	if (!fin)
		return (long)len;
	/*
	 * A sync flush ends in an empty stored block: its 4 bytes go, the
	 * receiver puts them back (RFC 7692 section 7.2.1).  With nothing
	 * to flush zlib writes no block: the byte with that block's header
	 * bits is written here, so the tail still completes one.
	 */
	if (len == 0) {
		out[0] = 0x00;
		len = 1;
	} else {
		if (len < sizeof(dfl_tail) || memcmp(out + len -
		    sizeof(dfl_tail), dfl_tail, sizeof(dfl_tail)) != 0)
			return -1;
		len -= sizeof(dfl_tail);
	}
	if (d->no_context_takeover && deflateReset(&d->zs) != Z_OK)
		return -1;
	return (long)len;
}

int
ws_inflate_init(struct ws_inflate *z, uint64_t max)
{
	memset(z, 0, sizeof(*z));
	z->max = max;
	if (inflateInit2(&z->zs, -WS_DEFLATE_BITS_MAX) != Z_OK)
		return -1;
	return 0;
}

void
ws_inflate_end(struct ws_inflate *z)
{
	inflateEnd(&z->zs);
}

/*
 * Runs inflate over in[0..n) until it is used up and the output drained.
 * Output space is held to one byte past what the message may still grow
 * by, so a bomb is caught after max bytes, not after the whole of it.
 */
static int
dfl_inflate_run(struct ws_inflate *z, const uint8_t *in, size_t n,
    uint8_t *buf, size_t cap, ws_inflate_out *out, void *arg)
{
	size_t	room, got;
	int	rc;

	z->zs.next_in = (Bytef *)(uintptr_t)in;
	z->zs.avail_in = (uInt)n;
	do {
		room = cap;
		if (z->max != 0 && z->max - z->total < room)
			room = (size_t)(z->max - z->total) + 1;
		z->zs.next_out = buf;
		z->zs.avail_out = (uInt)room;
		rc = inflate(&z->zs, Z_SYNC_FLUSH);
		if (rc == Z_NEED_DICT || rc == Z_DATA_ERROR ||
		    rc == Z_STREAM_ERROR)
			return WS_CLOSE_BAD_DATA;
		if (rc == Z_MEM_ERROR)
			return WS_CLOSE_INTERNAL;
		got = room - z->zs.avail_out;
		if (z->max != 0 && got > z->max - z->total)
			return WS_CLOSE_TOO_BIG;
		z->total += got;
		if (got > 0)
			out(arg, buf, got);
		/* A final block ends the stream: the rest of the message,
		 * the tail put back at least, is not deflate data. */
		if (rc == Z_STREAM_END) {
			z->ended = 1;
			return 0;
		}
	} while (rc != Z_BUF_ERROR &&
	    (z->zs.avail_in > 0 || z->zs.avail_out == 0));
	return 0;
}

int
ws_inflate_feed(struct ws_inflate *z, const uint8_t *in, size_t n, int fin,
    uint8_t *buf, size_t cap, ws_inflate_out *out, void *arg)
{
	size_t	take;
	int	code = 0;

	if (cap > UINT_MAX)
		cap = UINT_MAX;
	while (code == 0 && !z->ended && n > 0) {
		take = n < UINT_MAX ? n : UINT_MAX;
		code = dfl_inflate_run(z, in, take, buf, cap, out, arg);
		in += take;
		n -= take;
	}
	if (code == 0 && fin && !z->ended)
		code = dfl_inflate_run(z, dfl_tail, sizeof(dfl_tail), buf, cap,
		    out, arg);
	if (fin) {
		/* After a final block the next message is a new stream. */
		if (z->ended && inflateReset(&z->zs) != Z_OK)
			code = WS_CLOSE_INTERNAL;
		z->ended = 0;
		z->total = 0;
	}
	return code;
}
