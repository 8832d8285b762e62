/* SPDX-License-Identifier: ISC */
/*
 * send --rate: pace_parse() on what a user writes, then the timetable it
 * builds.  What it takes must be what a plain reading of the grammar
 * takes, phase for phase; what it refuses gets a one-line message.  On
 * the plan built, at times the input picks (around the phases' ends,
 * where rounding bites, and across the plan), the messages owed by then
 * and the due times must agree: message owed-1 is due by then, message
 * owed is not, due times do not go back, owed never falls as time goes
 * on, and owed stays within a message of the rate's integral, summed
 * here in long double.  The late ones among the last messages owed are as
 * many counted one by one (pace_late(), as push counts them) as at once
 * (pace_late_count(), as send does).  A worker asks these of every
 * message it sends.
 *
 * Input: four bytes that pick the times, then the text (up to a NUL).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "fuzz.h"
#include "pace.h"

#define RATE_T0		UINT64_C(1000000000)
#define RATE_PROBES	4

/* A run of decimal digits, saturating past max. */
static int
rate_number(const char *s, size_t len, uint64_t *out)
{
	uint64_t	n = 0;
	size_t		i;

	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (n <= PACE_RATE_MAX)
			n = n * 10 + (uint64_t)(s[i] - '0');
	}
	*out = n;
	return len > 0 && n <= PACE_RATE_MAX ? 0 : -1;
}

/*
 * The grammar read the plain way into want[]: a number alone is a rate;
 * else up to PACE_PHASES_MAX phases split at commas, "R" last only, or
 * "FROM:TO:S" with a duration args_duration_parse() takes.  Returns the
 * phases (0 for a plain rate), or -1.
 */
static int
rate_reference(const char *v, uint64_t *rate, struct pace_phase *want)
{
	const char	*p = v, *c1, *c2;
	char		 dur[64];
	size_t		 len, n = 0;
	uint64_t	 from, to;

	if (rate_number(v, strlen(v), rate) == 0)
		return 0;
	for (;; p += len + 1) {
		len = strcspn(p, ",");
		if (n == PACE_PHASES_MAX)
			return -1;
		c1 = memchr(p, ':', len);
		c2 = c1 == NULL ? NULL : memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - p));
		if (c1 == NULL) {
			if (rate_number(p, len, &from) == -1 || p[len] != '\0')
				return -1;
			want[n].len = UINT64_MAX;
			to = from;
		} else {
			if (c2 == NULL || (size_t)(p + len - c2 - 1) >= 32 ||
			    memchr(c2 + 1, ':', len - (size_t)(c2 + 1 - p)) != NULL ||
			    rate_number(p, (size_t)(c1 - p), &from) == -1 ||
			    rate_number(c1 + 1, (size_t)(c2 - c1 - 1), &to) == -1)
				return -1;
			memcpy(dur, c2 + 1, (size_t)(p + len - c2 - 1));
			dur[p + len - c2 - 1] = '\0';
			if (args_duration_parse(dur, &want[n].len) == -1)
				return -1;
		}
		want[n].from = (double)from;
		want[n++].to = (double)to;
		if (p[len] == '\0')
			return (int)n;
	}
}

/* The rate's integral over [0, t) in long double: messages due by t. */
static long double
rate_integral(const struct pace_phase *ph, int n, uint64_t t)
{
	long double	sum = 0, s, l;
	int		i;

	for (i = 0; i < n && t > 0; i++) {
		l = ph[i].len == UINT64_MAX ? (long double)t : ph[i].len;
		s = (long double)t < l ? (long double)t : l;
		/* the rate at s: from + (to - from) s / len */
		sum += (ph[i].from + (ph[i].from + (ph[i].to - ph[i].from) *
		    (s / l))) / 2 * s / 1e9L;
		t -= (uint64_t)s;
	}
	return sum;
}

static void
rate_check_plan(const struct pace_plan *pl, const struct pace_phase *want,
    int n)
{
	double	peak = 0;
	int	i;

	/* The phases as written, then the last rate held if a ramp ended. */
	FUZZ_CHECK(pl->n == (size_t)n + (want[n - 1].len != UINT64_MAX));
	FUZZ_CHECK(pl->phase[pl->n - 1].len == UINT64_MAX);
	for (i = 0; i < (int)pl->n; i++) {
		const struct pace_phase	*ph = &pl->phase[i];
		const struct pace_phase	*w = &want[i < n ? i : n - 1];

		FUZZ_CHECK(ph->from == (i < n ? w->from : w->to));
		FUZZ_CHECK(ph->to == w->to);
		FUZZ_CHECK(i < n ? ph->len == w->len : ph->len == UINT64_MAX);
		FUZZ_CHECK(i == 0 ? ph->at == 0 && ph->before == 0 :
		    ph->at == pl->phase[i - 1].at + pl->phase[i - 1].len &&
		    ph->before >= pl->phase[i - 1].before);
		peak = ph->from > peak ? ph->from : peak;
		peak = ph->to > peak ? ph->to : peak;
	}
	FUZZ_CHECK(pace_plan_peak(pl) == (uint64_t)peak);
}

/* The last RATE_LATE messages owed at now: pace_late_count() must count
 * the late ones as pace_late() does. */
#define RATE_LATE	64
static void
rate_check_late(const struct pace *p, uint64_t owed, uint64_t now)
{
	struct pace	q = *p;
	uint64_t	m = owed < RATE_LATE ? owed : RATE_LATE, k, late = 0;

	q.next = owed - m;
	FUZZ_CHECK(pace_owed(&q, now) == m);
	for (k = q.next; k < owed; k++)
		late += (uint64_t)pace_late(&q, k, now);
	FUZZ_CHECK(pace_late_count(&q, m, m, now) == late);
}

/* Owed and due at t ns after the start, and owed against the integral;
 * returns owed. */
static uint64_t
rate_check_at(const struct pace *p, const struct pace_phase *ph, int n,
    uint64_t t)
{
	uint64_t	owed = pace_owed(p, RATE_T0 + t), due = pace_due(p, owed);
	long double	c = rate_integral(ph, n, t), tol = 1 + c * 1e-9L;

	FUZZ_CHECK(owed == 0 || pace_due(p, owed - 1) <= RATE_T0 + t);
	FUZZ_CHECK(due > RATE_T0 + t);
	FUZZ_CHECK(owed == 0 || pace_due(p, owed - 1) <= due);
	FUZZ_CHECK(due == UINT64_MAX || due <= pace_due(p, owed + 1));
	FUZZ_CHECK((long double)owed >= c - tol && (long double)owed <= c + 1 + tol);
	rate_check_late(p, owed, RATE_T0 + t);
	return owed;
}

/* The times (on pl, checked against the text already): a phase's start give or take 127 ns, or a share of the
 * plan's finite part (10 s for a fixed rate) up to four times it. */
static void
rate_probe(const struct pace_plan *pl, uint64_t rate, const uint8_t *pick)
{
	struct pace		 p;
	struct pace_phase	 fixed = { (double)rate, (double)rate, UINT64_MAX, 0, 0 };
	uint64_t		 t[RATE_PROBES], span, owed, last = 0;
	int			 i, j;

	if (pl->n > 0)
		pace_start_plan(&p, RATE_T0, pl, 0);
	else
		pace_start(&p, RATE_T0, rate);
	span = pl->n > 0 ? pl->phase[pl->n - 1].at : 0;
	span = span > 0 ? span : UINT64_C(10000000000);
	for (i = 0; i < RATE_PROBES; i++) {
		if (pick[i] & 1 && pl->n > 0) {
			t[i] = pl->phase[(pick[i] >> 1) % pl->n].at;
			t[i] += (uint64_t)(int8_t)(pick[(i + 1) % RATE_PROBES] | 1);
			t[i] = t[i] > span * 4 ? 0 : t[i];
		} else
			t[i] = span / 64 * (pick[i] >> 1);
	}
	for (i = 1; i < RATE_PROBES; i++)	/* in order */
		for (j = i; j > 0 && t[j - 1] > t[j]; j--) {
			uint64_t x = t[j];
			t[j] = t[j - 1];
			t[j - 1] = x;
		}
	for (i = 0; i < RATE_PROBES; i++) {
		owed = pl->n > 0 ? rate_check_at(&p, pl->phase, (int)pl->n, t[i]) :
		    rate_check_at(&p, &fixed, 1, t[i]);
		FUZZ_CHECK(owed >= last);
		last = owed;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pace_plan	 pl;
	struct pace_phase	 want[PACE_PHASES_MAX];
	uint8_t			 pick[RATE_PROBES] = { 0 };
	char			*v, err[256];
	uint64_t		 rate = 0, ref_rate = 0;
	int			 rc, n;

	memcpy(pick, data, size < RATE_PROBES ? size : RATE_PROBES);
	data += size < RATE_PROBES ? size : RATE_PROBES;
	size -= size < RATE_PROBES ? size : RATE_PROBES;
	v = (char *)fuzz_copy(data, size, 1);
	err[0] = '\0';
	rc = pace_parse(v, &rate, &pl, err, sizeof(err));
	n = rate_reference(v, &ref_rate, want);
	FUZZ_CHECK(rc == 0 || rc == -1);
	FUZZ_CHECK((rc == 0) == (n != -1));
	if (rc == -1) {
		FUZZ_CHECK(strncmp(err, "--rate", 6) == 0);
		FUZZ_CHECK(strchr(v, '\n') != NULL || strchr(err, '\n') == NULL);
	} else if (n == 0) {
		FUZZ_CHECK(pl.n == 0 && rate == ref_rate);
		if (rate > 0)
			rate_probe(&pl, rate, pick);
	} else {
		rate_check_plan(&pl, want, n);
		rate_probe(&pl, 0, pick);
	}
	free(v);
	return 0;
}
