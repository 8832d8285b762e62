/* SPDX-License-Identifier: ISC */
/*
 * Streaming UTF-8 validation (RFC 3629: no overlongs, no surrogates, nothing
 * above U+10FFFF).  The state is carried across calls so a text message can
 * be checked fragment by fragment, and a bad sequence is reported on the
 * first byte that makes it impossible to complete.
 */
#ifndef WS_UTF8_H
#define WS_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define WS_UTF8_ACCEPT	0u	/* at a character boundary */
#define WS_UTF8_REJECT	1u	/* invalid; sticky */

/* Feeds p[0..n) and returns the new state.  Any other value than ACCEPT or
 * REJECT means "inside a character". */
uint32_t	ws_utf8_feed(uint32_t state, const uint8_t *p, size_t n);

/*
 * True when p[0..n) is complete, valid UTF-8.  Inline for its first test:
 * short ASCII text, most of what a benchmark sends, is settled without a
 * call, which matters when it is asked once per message.
 */
static inline int
ws_utf8_valid(const uint8_t *p, size_t n)
{
	uint8_t	acc = 0;
	size_t	i;

	if (n <= 16) {
		for (i = 0; i < n; i++)
			acc |= p[i];
		if (acc < 0x80)
			return 1;
	}
	return ws_utf8_feed(WS_UTF8_ACCEPT, p, n) == WS_UTF8_ACCEPT;
}

#endif
