/* SPDX-License-Identifier: ISC */
/*
 * A stamp is written for every message sent and read for every message
 * timed, so its 32 hexadecimal digits are converted eight at a time in a
 * 64-bit word (one byte a digit, the first digit in the lowest byte as a
 * little-endian load puts it), with no branch and no table.
 */

#include "config.h"

#include <endian.h>
#include <string.h>

#include "stamp.h"

#define STAMP_MAGIC	"wsb1:"
#define STAMP_MAGIC_LEN	5
#define STAMP_DIGITS	16
#define STAMP_BYTES(b)	(UINT64_C(0x0101010101010101) * (b))

/* The eight digits of v (32 bits), most significant first. */
static inline __attribute__((always_inline)) uint64_t
stamp_hex8(uint32_t v)
{
	uint64_t	x = v, letter;

	/* Spread the nibbles one to a byte, the high one lowest. */
	x = (x >> 16 | x << 32) & UINT64_C(0x0000ffff0000ffff);
	x = (x >> 8 | x << 16) & UINT64_C(0x00ff00ff00ff00ff);
	x = (x >> 4 | x << 8) & STAMP_BYTES(0x0f);
	/* 10..15 become 'a'..'f', 0..9 '0'..'9'. */
	letter = ((x + STAMP_BYTES(0x06)) >> 4) & STAMP_BYTES(0x01);
	return x + STAMP_BYTES('0') + letter * ('a' - '0' - 10);
}

static void
stamp_hex(uint8_t *out, uint64_t v)
{
	uint64_t	w[2];

	w[0] = htole64(stamp_hex8((uint32_t)(v >> 32)));
	w[1] = htole64(stamp_hex8((uint32_t)v));
	memcpy(out, w, sizeof(w));
}

/* The value of eight digits at p (32 bits), or -1 when one is not a
 * lowercase hexadecimal digit: the digits the value gives back must be
 * the bytes read. */
static inline __attribute__((always_inline)) int64_t
stamp_unhex8(const uint8_t *p)
{
	uint64_t	x, v, bad;

	memcpy(&x, p, sizeof(x));
	x = le64toh(x);
	/* '0'..'9' give 0..9, 'a'..'f' 10..15 (bit 6 set adds 9); other
	 * bytes give something else, or above 15. */
	v = (x & STAMP_BYTES(0x0f)) + ((x >> 6) & STAMP_BYTES(0x01)) * 9;
	bad = (v + STAMP_BYTES(0x70)) & STAMP_BYTES(0x80);
	bad |= x ^ (v + STAMP_BYTES('0') +
	    (((v + STAMP_BYTES(0x06)) >> 4) & STAMP_BYTES(0x01)) *
	    ('a' - '0' - 10));
	if (bad != 0)
		return -1;
	/* Gather the nibbles, the lowest byte's the most significant. */
	v = (v << 4 | v >> 8) & UINT64_C(0x00ff00ff00ff00ff);
	v = (v << 8 | v >> 16) & UINT64_C(0x0000ffff0000ffff);
	return (int64_t)((v << 16 | v >> 32) & UINT64_C(0xffffffff));
}

/* -1 unless p holds 16 lowercase hexadecimal digits. */
static int
stamp_unhex(const uint8_t *p, uint64_t *v)
{
	int64_t	hi = stamp_unhex8(p), lo = stamp_unhex8(p + 8);

	if (hi < 0 || lo < 0)
		return -1;
	*v = (uint64_t)hi << 32 | (uint64_t)lo;
	return 0;
}

void
stamp_write(uint8_t out[STAMP_LEN], uint64_t seq, uint64_t ns)
{
	memcpy(out, STAMP_MAGIC, STAMP_MAGIC_LEN);
	stamp_hex(out + STAMP_MAGIC_LEN, seq);
	out[STAMP_MAGIC_LEN + STAMP_DIGITS] = ':';
	stamp_hex(out + STAMP_MAGIC_LEN + STAMP_DIGITS + 1, ns);
	out[STAMP_LEN - 1] = ';';
}

int
stamp_read(const uint8_t *p, size_t n, uint64_t *seq, uint64_t *ns)
{
	if (n < STAMP_LEN || memcmp(p, STAMP_MAGIC, STAMP_MAGIC_LEN) != 0 ||
	    p[STAMP_MAGIC_LEN + STAMP_DIGITS] != ':' ||
	    p[STAMP_LEN - 1] != ';')
		return -1;
	if (stamp_unhex(p + STAMP_MAGIC_LEN, seq) == -1 ||
	    stamp_unhex(p + STAMP_MAGIC_LEN + STAMP_DIGITS + 1, ns) == -1)
		return -1;
	return 0;
}
