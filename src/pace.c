/* SPDX-License-Identifier: ISC */

#include "config.h"

#include "pace.h"

#define PACE_NS	UINT64_C(1000000000)

void
pace_start(struct pace *p, uint64_t t0, uint64_t rate)
{
	p->t0 = t0;
	p->rate = rate;
	p->next = 0;
}

/* k / rate seconds in nanoseconds, without the overflow of k * 10^9. */
uint64_t
pace_due(const struct pace *p, uint64_t k)
{
	if (p->rate == 0)
		return p->t0;
	return p->t0 + k / p->rate * PACE_NS + k % p->rate * PACE_NS / p->rate;
}

uint64_t
pace_interval(const struct pace *p)
{
	return p->rate == 0 ? 0 : PACE_NS / p->rate;
}

uint64_t
pace_owed(const struct pace *p, uint64_t now)
{
	uint64_t	s, due;

	if (now < p->t0)
		return 0;
	/* The number of messages k with pace_due(k) <= now, that is with
	 * floor(k / rate) <= now - t0, or k / rate < s = now - t0 + 1 ns:
	 * ceil(s * rate). */
	s = now - p->t0 + 1;
	due = s / PACE_NS * p->rate +
	    (s % PACE_NS * p->rate + PACE_NS - 1) / PACE_NS;
	return due > p->next ? due - p->next : 0;
}

int
pace_late(const struct pace *p, uint64_t k, uint64_t now)
{
	return p->rate != 0 && now > pace_due(p, k) + pace_interval(p);
}
