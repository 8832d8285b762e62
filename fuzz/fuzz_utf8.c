/* SPDX-License-Identifier: ISC */
/*
 * ws_utf8.c against the plain reference in fuzz.c: the same verdict on the
 * whole text, and, fed in pieces cut where the input says, after each
 * piece the state the reference gives for that prefix: REJECT once the
 * first impossible byte is in, ACCEPT at a character boundary, else
 * inside a character.
 *
 * Input: the number of cut lengths and those lengths (used in turn), then
 * the text.
 */
#include "config.h"

#include <stdlib.h>

#include "fuzz.h"
#include "ws_utf8.h"

#define UTF8_CUTS_MAX	8

/*
 * What the state must be after text[0..end), by the reference.  Only
 * text[*base..end) is looked at: *base is a character boundary before
 * which all is valid, and is moved up to the last one.
 */
static void
utf8_check_state(uint32_t state, const uint8_t *text, size_t end,
    size_t *base)
{
	size_t	bad, whole;

	bad = *base + fuzz_utf8_first_bad(text + *base, end - *base, &whole);
	*base += whole;
	if (bad < end)
		FUZZ_CHECK(state == WS_UTF8_REJECT);
	else if (*base == end)
		FUZZ_CHECK(state == WS_UTF8_ACCEPT);
	else
		FUZZ_CHECK(state != WS_UTF8_ACCEPT && state != WS_UTF8_REJECT);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in	 in = { data, size };
	size_t		 cuts[UTF8_CUTS_MAX], ncuts, i, off, len, base = 0;
	uint8_t		*text;
	uint32_t	 state = WS_UTF8_ACCEPT;

	ncuts = 1 + fuzz_byte(&in) % UTF8_CUTS_MAX;
	for (i = 0; i < ncuts; i++)
		cuts[i] = fuzz_byte(&in);
	text = fuzz_copy(in.p, in.n, 0);

	FUZZ_CHECK(ws_utf8_valid(text, in.n) == fuzz_utf8_ok(text, in.n));
	utf8_check_state(ws_utf8_feed(WS_UTF8_ACCEPT, text, in.n), text,
	    in.n, &base);
	/* A length of 0 feeds nothing, then one byte, so that the loop
	 * ends whatever the lengths. */
	for (base = 0, off = 0, i = 0; off < in.n; off += len) {
		len = cuts[i++ % ncuts];
		if (len > in.n - off)
			len = in.n - off;
		state = ws_utf8_feed(state, text + off, len);
		if (len == 0)
			state = ws_utf8_feed(state, text + off, len = 1);
		utf8_check_state(state, text, off + len, &base);
	}
	free(text);
	return 0;
}
