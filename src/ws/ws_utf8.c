/* SPDX-License-Identifier: ISC */
/*
 * Streaming UTF-8 validation.  Inside a character the state says which
 * range the next byte must fall in and how many continuation bytes follow
 * it, so every constraint of RFC 3629 section 4 (overlongs, surrogates, the
 * U+10FFFF ceiling) is a range check on a single byte and a bad sequence is
 * caught by the very byte that rules it out.
 *
 * The state is (bytes left after the next one) << 16 | low << 8 | high,
 * where [low, high] bounds the next byte.  low is at least 0x80, so these
 * values never collide with WS_UTF8_ACCEPT or WS_UTF8_REJECT.
 */
#include "config.h"

#include <string.h>

#include "ws_utf8.h"

#define UTF8_STATE(left, lo, hi)	\
	((uint32_t)(left) << 16 | (uint32_t)(lo) << 8 | (hi))
#define UTF8_CONT_LO	0x80
#define UTF8_CONT_HI	0xbf
#define UTF8_HIGH_BITS	0x8080808080808080ull

/* What a byte seen at a character boundary leads to. */
static uint32_t
utf8_lead(uint8_t b)
{
	if (b < 0x80)
		return WS_UTF8_ACCEPT;
	/* A continuation byte, or C0/C1 which could only encode ASCII. */
	if (b < 0xc2)
		return WS_UTF8_REJECT;
	if (b < 0xe0)
		return UTF8_STATE(0, UTF8_CONT_LO, UTF8_CONT_HI);
	/* E0 80..9F would be an overlong below U+0800. */
	if (b == 0xe0)
		return UTF8_STATE(1, 0xa0, UTF8_CONT_HI);
	/* ED A0..BF would be a surrogate, U+D800..U+DFFF. */
	if (b == 0xed)
		return UTF8_STATE(1, UTF8_CONT_LO, 0x9f);
	if (b < 0xf0)
		return UTF8_STATE(1, UTF8_CONT_LO, UTF8_CONT_HI);
	/* F0 80..8F would be an overlong below U+10000. */
	if (b == 0xf0)
		return UTF8_STATE(2, 0x90, UTF8_CONT_HI);
	if (b < 0xf4)
		return UTF8_STATE(2, UTF8_CONT_LO, UTF8_CONT_HI);
	/* F4 90..BF and F5..FF would go past U+10FFFF. */
	if (b == 0xf4)
		return UTF8_STATE(2, UTF8_CONT_LO, 0x8f);
	return WS_UTF8_REJECT;
}

static uint32_t
utf8_next(uint32_t state, uint8_t b)
{
	uint32_t	left = state >> 16;

	if (b < ((state >> 8) & 0xff) || b > (state & 0xff))
		return WS_UTF8_REJECT;
	if (left == 0)
		return WS_UTF8_ACCEPT;
	return UTF8_STATE(left - 1, UTF8_CONT_LO, UTF8_CONT_HI);
}

/*
 * Length of the ASCII run at the start of p.  Text on the wire is mostly
 * ASCII, so whole words are tested at once before the byte that ends the
 * run is looked for.
 */
static size_t
utf8_ascii_run(const uint8_t *p, size_t n)
{
	uint64_t	w;
	size_t		i = 0;

	for (; n - i >= sizeof(w); i += sizeof(w)) {
		memcpy(&w, p + i, sizeof(w));
		if ((w & UTF8_HIGH_BITS) != 0)
			break;
	}
	while (i < n && p[i] < 0x80)
		i++;
	return i;
}

uint32_t
ws_utf8_feed(uint32_t state, const uint8_t *p, size_t n)
{
	size_t	i = 0;

	while (i < n && state != WS_UTF8_REJECT) {
		if (state == WS_UTF8_ACCEPT) {
			i += utf8_ascii_run(p + i, n - i);
			if (i < n)
				state = utf8_lead(p[i++]);
		} else
			state = utf8_next(state, p[i++]);
	}
	return state;
}
