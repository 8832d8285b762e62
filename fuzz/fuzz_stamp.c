/* SPDX-License-Identifier: ISC */
/*
 * The stamp reader, on what a peer sends: the start of any message a
 * timing job receives.  stamp_read must take exactly what the format
 * describes, checked here the plain way against a pattern, and read back
 * the numbers stamp_write puts there: a stamp it takes is written again
 * byte for byte.  The input is copied into a buffer of its own length so
 * that a read past it is seen.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "stamp.h"

/* The format, a byte each: h a lowercase hexadecimal digit, others
 * themselves. */
static const char	stamp_pattern[] =
    "wsb1:hhhhhhhhhhhhhhhh:hhhhhhhhhhhhhhhh;";

static int
stamp_matches(const uint8_t *p, size_t n)
{
	size_t	i;

	if (n < STAMP_LEN)
		return 0;
	for (i = 0; i < STAMP_LEN; i++) {
		if (stamp_pattern[i] != 'h') {
			if (p[i] != (uint8_t)stamp_pattern[i])
				return 0;
		} else if (strchr("0123456789abcdef", p[i]) == NULL ||
		    p[i] == '\0')
			return 0;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t		*p = fuzz_copy(data, size, 0), out[STAMP_LEN];
	uint64_t	 seq = 0, ns = 0, seq2, ns2;
	int		 rc;

	FUZZ_CHECK(sizeof(stamp_pattern) - 1 == STAMP_LEN);
	rc = stamp_read(p, size, &seq, &ns);
	FUZZ_CHECK(rc == 0 || rc == -1);
	FUZZ_CHECK((rc == 0) == stamp_matches(p, size));
	if (rc == 0) {
		stamp_write(out, seq, ns);
		FUZZ_CHECK(memcmp(out, p, STAMP_LEN) == 0);
	}
	/* And the other way: the input's first bytes as the numbers. */
	if (size >= 16) {
		memcpy(&seq, data, sizeof(seq));
		memcpy(&ns, data + 8, sizeof(ns));
		stamp_write(out, seq, ns);
		FUZZ_CHECK(stamp_matches(out, STAMP_LEN));
		FUZZ_CHECK(stamp_read(out, STAMP_LEN, &seq2, &ns2) == 0);
		FUZZ_CHECK(seq2 == seq && ns2 == ns);
	}
	free(p);
	return 0;
}
