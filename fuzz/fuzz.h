/* SPDX-License-Identifier: ISC */
/*
 * What the libFuzzer targets share: the entry point's prototype, a check
 * that aborts (so libFuzzer keeps the input), a reader of the input's
 * leading bytes as the choices a target makes before the rest is data, and
 * a UTF-8 reference written for clarity, not speed, to hold ws_utf8.c to.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Like assert(), but never compiled out. */
#define FUZZ_CHECK(cond) do {						\
	if (!(cond))							\
		fuzz_fail(__FILE__, __LINE__, #cond);			\
} while (0)

void	fuzz_fail(const char *file, int line, const char *what)
	    __attribute__((noreturn));

/* The input, taken from the front. */
struct fuzz_in {
	const uint8_t	*p;
	size_t		 n;
};

/* The next byte, or 0 once the input is used up. */
uint8_t	fuzz_byte(struct fuzz_in *in);

/*
 * A copy of p[0..n) in a buffer of its own, exactly n bytes long (so that
 * AddressSanitizer sees a read past its end), plus a NUL that is not part
 * of it when nul is set; zeroed when p is NULL.  Free with free().
 */
uint8_t	*fuzz_copy(const uint8_t *p, size_t n, int nul);

/* FNV-1a over p[0..n), from h. */
uint64_t fuzz_hash(uint64_t h, const void *p, size_t n);

/*
 * RFC 3629 UTF-8, checked the plain way: a lead byte says how long the
 * sequence is, continuation bytes add six bits each, and the code point
 * must be the shortest form, at most U+10FFFF and no surrogate.  Returns
 * the index of the first byte after which p[0..n) can no longer become
 * valid UTF-8, or n when it can; *whole is set to the length of the
 * longest prefix made of whole characters before that.
 */
size_t	fuzz_utf8_first_bad(const uint8_t *p, size_t n, size_t *whole);
/* Whether p[0..n) is complete, valid UTF-8, by the reference above. */
int	fuzz_utf8_ok(const uint8_t *p, size_t n);

#endif
