/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <string.h>

#include "stamp.h"

#define STAMP_MAGIC	"wsb1:"
#define STAMP_MAGIC_LEN	5
#define STAMP_DIGITS	16

static void
stamp_hex(uint8_t *out, uint64_t v)
{
	static const char	digits[] = "0123456789abcdef";
	int			i;

	for (i = STAMP_DIGITS - 1; i >= 0; i--, v >>= 4)
		out[i] = (uint8_t)digits[v & 0xf];
}

/* -1 unless p holds 16 lowercase hexadecimal digits. */
static int
stamp_unhex(const uint8_t *p, uint64_t *v)
{
	int	i;

	*v = 0;
	for (i = 0; i < STAMP_DIGITS; i++) {
		if (p[i] >= '0' && p[i] <= '9')
			*v = *v << 4 | (uint64_t)(p[i] - '0');
		else if (p[i] >= 'a' && p[i] <= 'f')
			*v = *v << 4 | (uint64_t)(p[i] - 'a' + 10);
		else
			return -1;
	}
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
