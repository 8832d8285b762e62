/* SPDX-License-Identifier: ISC */
/*
 * A stamp is written for every message sent and read for every message
 * timed, so its 32 hexadecimal digits are converted eight at a time in a
 * 64-bit word (one byte a digit, the first digit in the lowest byte as a
 * little-endian load puts it), with no branch and no table; on x86-64
 * they are read sixteen at a time in an SSE2 register, which every
 * x86-64 processor has.
 */

#include "config.h"

#include <endian.h>
#include <string.h>

#if defined(__SSE2__) && defined(__x86_64__)
#include <emmintrin.h>
#endif

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

#if defined(__SSE2__) && defined(__x86_64__)
/* -1 unless p holds 16 lowercase hexadecimal digits: the sixteen at once,
 * a byte each in an SSE2 register. */
static inline __attribute__((always_inline)) int
stamp_unhex(const uint8_t *p, uint64_t *v)
{
	__m128i	x = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i	digit, letter, n;

	digit = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
	    _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1)));
	letter = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('a' - 1)),
	    _mm_cmplt_epi8(x, _mm_set1_epi8('f' + 1)));
	if (_mm_movemask_epi8(_mm_or_si128(digit, letter)) != 0xffff)
		return -1;
	n = _mm_add_epi8(_mm_and_si128(x, _mm_set1_epi8(0x0f)),
	    _mm_and_si128(letter, _mm_set1_epi8(9)));
	/* A 16-bit lane holds two digits, the first low: first << 4 | second,
	 * then the lanes packed to bytes, the most significant first. */
	n = _mm_or_si128(_mm_slli_epi16(_mm_and_si128(n,
	    _mm_set1_epi16(0x00ff)), 4), _mm_srli_epi16(n, 8));
	n = _mm_packus_epi16(n, n);
	*v = be64toh((uint64_t)_mm_cvtsi128_si64(n));
	return 0;
}
#else
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
#endif

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
