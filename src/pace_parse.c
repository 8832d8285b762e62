/* SPDX-License-Identifier: ISC */
/*
 * A rate as people write it (pace.h): a plain number, or phases
 * "R" and "FROM:TO:S".  Apart from pace.c, which is arithmetic only, so
 * that the fuzz target and the unit tests take the parser with the
 * timetable it builds and nothing of the job.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "args.h"
#include "pace.h"

/* A rate of a phase: decimal digits, at most PACE_RATE_MAX. */
static int
pace_parse_number(const char *s, size_t len, uint64_t *out)
{
	uint64_t	n = 0;
	size_t		i;

	if (len == 0)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9' ||
		    (n = n * 10 + (uint64_t)(s[i] - '0')) > PACE_RATE_MAX)
			return -1;
	}
	*out = n;
	return 0;
}

/* One phase, len bytes at s: "R" (held from then on) or "FROM:TO:S". */
static int
pace_parse_phase(struct pace_plan *pl, const char *s, size_t len)
{
	const char	*c1 = memchr(s, ':', len), *c2;
	char		 dur[32];
	uint64_t	 from, to, ns;

	if (c1 == NULL)
		return pace_parse_number(s, len, &from) == -1 ||
		    pace_plan_add(pl, from, from, UINT64_MAX) == -1 ? -1 : 0;
	c2 = memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - s));
	if (c2 == NULL || (size_t)(s + len - c2 - 1) >= sizeof(dur))
		return -1;
	memcpy(dur, c2 + 1, (size_t)(s + len - c2 - 1));
	dur[s + len - c2 - 1] = '\0';
	if (pace_parse_number(s, (size_t)(c1 - s), &from) == -1 ||
	    pace_parse_number(c1 + 1, (size_t)(c2 - c1 - 1), &to) == -1 ||
	    args_duration_parse(dur, &ns) == -1)
		return -1;
	return pace_plan_add(pl, from, to, ns);
}

int
pace_parse(const char *v, uint64_t *rate, struct pace_plan *pl, char *err,
    size_t errlen)
{
	const char	*p = v;
	size_t		 len;

	pace_plan_init(pl);
	if (pace_parse_number(v, strlen(v), rate) == 0)
		return 0;
	for (;;) {
		len = strcspn(p, ",");
		if (pl->n == PACE_PHASES_MAX) {
			snprintf(err, errlen, "--rate: at most %d phases",
			    PACE_PHASES_MAX);
			return -1;
		}
		if (pace_parse_phase(pl, p, len) == -1) {
			snprintf(err, errlen, "--rate '%s': bad phase "
			    "'%.*s': R, or FROM:TO:S ramping over S (as 10s), "
			    "rates from 0 to %d, R only last", v, (int)len, p,
			    PACE_RATE_MAX);
			return -1;
		}
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	pace_plan_end(pl);
	return 0;
}
