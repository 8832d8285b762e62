/* SPDX-License-Identifier: ISC */
/* What the libFuzzer targets share (fuzz.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#define FUZZ_FNV_PRIME	0x100000001b3ull

void
fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
	abort();
}

uint8_t
fuzz_byte(struct fuzz_in *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

uint8_t *
fuzz_copy(const uint8_t *p, size_t n, int nul)
{
	uint8_t	*c;

	/* malloc(0) may give NULL, and callers want a pointer. */
	if ((c = malloc(n + (nul ? 1 : 0) + (n == 0 && !nul))) == NULL)
		abort();
	if (p == NULL)
		memset(c, 0, n);
	else if (n > 0)
		memcpy(c, p, n);
	if (nul)
		c[n] = '\0';
	return c;
}

uint64_t
fuzz_hash(uint64_t h, const void *p, size_t n)
{
	const uint8_t	*b = p;
	size_t		 i;

	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * FUZZ_FNV_PRIME;
	return h;
}

/* Bytes in a sequence that starts with b, or 0 for no lead byte. */
static int
utf8_seq_len(uint8_t b)
{
	if (b < 0x80)
		return 1;
	if ((b & 0xe0) == 0xc0)
		return 2;
	if ((b & 0xf0) == 0xe0)
		return 3;
	if ((b & 0xf8) == 0xf0)
		return 4;
	return 0;
}

/*
 * Whether a sequence of len bytes whose first k give the bits cp can
 * still end as a valid code point: the ones it can reach are the interval
 * [lo, hi], which must meet the valid ones, [min, U+10FFFF] less the
 * surrogates.
 */
static int
utf8_can_end(uint32_t cp, int k, int len)
{
	static const uint32_t	 min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	int			 rest = 6 * (len - k);
	uint32_t		 lo = cp << rest, hi = lo | ((1u << rest) - 1);

	if (lo < min[len])
		lo = min[len];
	if (hi > 0x10ffff)
		hi = 0x10ffff;
	if (lo > hi)
		return 0;
	return !(lo >= 0xd800 && hi <= 0xdfff);
}

size_t
fuzz_utf8_first_bad(const uint8_t *p, size_t n, size_t *whole)
{
	size_t		i;
	uint32_t	cp;
	int		len, k;

	for (i = 0; i < n; i += (size_t)len) {
		*whole = i;
		if ((len = utf8_seq_len(p[i])) == 0)
			return i;
		/* The lead byte's own bits: all 7 of ASCII, else those
		 * after the length's 1s and their 0. */
		cp = len == 1 ? p[i] : p[i] & (0xffu >> (len + 1));
		if (!utf8_can_end(cp, 1, len))
			return i;
		for (k = 1; k < len; k++) {
			if (i + (size_t)k == n)
				return n;
			if ((p[i + (size_t)k] & 0xc0) != 0x80)
				return i + (size_t)k;
			cp = cp << 6 | (p[i + (size_t)k] & 0x3f);
			if (!utf8_can_end(cp, k + 1, len))
				return i + (size_t)k;
		}
	}
	*whole = n;
	return n;
}

int
fuzz_utf8_ok(const uint8_t *p, size_t n)
{
	size_t	whole;

	return fuzz_utf8_first_bad(p, n, &whole) == n && whole == n;
}
