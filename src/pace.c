/* SPDX-License-Identifier: ISC */
/*
 * The timetable (pace.h).  A fixed rate keeps to integers, one division a
 * message.  A plan keeps to doubles: within a phase the rate is
 * r(t) = a + b t, so the messages due by t are a t + b t^2 / 2, and the
 * time the count c is reached solves that quadratic, a square root a
 * message.
 */

#include "config.h"

#include <math.h>

#include "pace.h"

#define PACE_NS		UINT64_C(1000000000)
#define PACE_NS_F	1e9

void
pace_start(struct pace *p, uint64_t t0, uint64_t rate)
{
	p->t0 = t0;
	p->rate = rate;
	p->next = 0;
	p->plan = NULL;
	p->base = 0;
}

void
pace_start_plan(struct pace *p, uint64_t t0, const struct pace_plan *plan,
    uint64_t base)
{
	pace_start(p, t0, 0);
	p->plan = plan;
	p->base = base;
}

void
pace_join_plan(struct pace *p, uint64_t t0, const struct pace_plan *plan,
    uint64_t now)
{
	struct pace	job;

	pace_start_plan(&job, t0, plan, 0);
	pace_start_plan(p, t0, plan, pace_owed(&job, now));
}

void
pace_plan_init(struct pace_plan *pl)
{
	pl->n = 0;
}

/* The messages a finite phase holds. */
static double
pace_phase_count(const struct pace_phase *ph)
{
	return (ph->from + ph->to) / 2 * ((double)ph->len / PACE_NS_F);
}

/* Appends a phase, starting where the one before ends. */
static void
pace_plan_put(struct pace_plan *pl, uint64_t from, uint64_t to, uint64_t len)
{
	struct pace_phase	*ph = &pl->phase[pl->n], *prev;

	ph->from = (double)from;
	ph->to = (double)to;
	ph->len = len;
	ph->at = 0;
	ph->before = 0;
	if (pl->n > 0) {
		prev = &pl->phase[pl->n - 1];
		ph->at = prev->at + prev->len;
		ph->before = prev->before + pace_phase_count(prev);
	}
	pl->n++;
}

int
pace_plan_add(struct pace_plan *pl, uint64_t from, uint64_t to, uint64_t len)
{
	if (pl->n == PACE_PHASES_MAX ||
	    (pl->n > 0 && pl->phase[pl->n - 1].len == UINT64_MAX))
		return -1;
	pace_plan_put(pl, from, to, len);
	return 0;
}

/* The room for it is the one phase past PACE_PHASES_MAX. */
void
pace_plan_end(struct pace_plan *pl)
{
	const struct pace_phase	*last = &pl->phase[pl->n - 1];

	if (last->len != UINT64_MAX)
		pace_plan_put(pl, (uint64_t)last->to, (uint64_t)last->to,
		    UINT64_MAX);
}

uint64_t
pace_plan_peak(const struct pace_plan *pl)
{
	double	peak = 0;
	size_t	i;

	for (i = 0; i < pl->n; i++) {
		if (pl->phase[i].from > peak)
			peak = pl->phase[i].from;
		if (pl->phase[i].to > peak)
			peak = pl->phase[i].to;
	}
	return (uint64_t)peak;
}

/* The messages due on the plan by t ns after t0 (a real number). */
static double
pace_plan_count(const struct pace_plan *pl, uint64_t t)
{
	const struct pace_phase	*ph = &pl->phase[0];
	double			 s, b;
	size_t			 i;

	for (i = 1; i < pl->n && pl->phase[i].at <= t; i++)
		ph = &pl->phase[i];
	s = (double)(t - ph->at) / PACE_NS_F;
	b = ph->len == UINT64_MAX ? 0 :
	    (ph->to - ph->from) / ((double)ph->len / PACE_NS_F);
	return ph->before + ph->from * s + b * s * s / 2;
}

/*
 * When the count c is reached, ns after t0: in the first phase that
 * reaches it (a phase at rate 0 reaches nothing, so a message lands at
 * the end of a ramp down or the start of what follows a pause).  The
 * root is taken as 2c / (a + sqrt(a^2 + 2bc)), which holds for b of
 * either sign and for b = 0.
 */
static uint64_t
pace_plan_time(const struct pace_plan *pl, double c)
{
	const struct pace_phase	*ph;
	double			 a, b, d, s;
	size_t			 i;

	for (i = 0; i < pl->n; i++) {
		ph = &pl->phase[i];
		if (ph->len == UINT64_MAX) {
			if (ph->from == 0)
				return UINT64_MAX;
			break;
		}
		if (pace_phase_count(ph) > 0 &&
		    c <= ph->before + pace_phase_count(ph))
			break;
	}
	if (i == pl->n)
		return UINT64_MAX;
	c -= ph->before;
	if (c <= 0)
		return ph->at;
	a = ph->from;
	b = ph->len == UINT64_MAX ? 0 :
	    (ph->to - ph->from) / ((double)ph->len / PACE_NS_F);
	d = a * a + 2 * b * c;
	s = 2 * c / (a + sqrt(d > 0 ? d : 0)) * PACE_NS_F;
	if (ph->len != UINT64_MAX && s > (double)ph->len)
		return ph->at + ph->len;
	return ph->at + (uint64_t)s;
}

/* Apart, so that the fixed rate's path stays as short as it was: no
 * spilled registers for the plan's doubles. */
static __attribute__((noinline)) uint64_t
pace_plan_due(const struct pace *p, uint64_t k)
{
	uint64_t	t = pace_plan_time(p->plan, (double)(p->base + k));

	return t == UINT64_MAX ? t : p->t0 + t;
}

/* k / rate seconds in nanoseconds, without the overflow of k * 10^9. */
uint64_t
pace_due(const struct pace *p, uint64_t k)
{
	if (p->plan != NULL)
		return pace_plan_due(p, k);
	if (p->rate == 0)
		return p->t0;
	return p->t0 + k / p->rate * PACE_NS + k % p->rate * PACE_NS / p->rate;
}

uint64_t
pace_interval(const struct pace *p)
{
	return p->rate == 0 ? 0 : PACE_NS / p->rate;
}

/*
 * On a plan: the count by now gives the first message not yet due, to
 * within the rounding of doubles, which the due times themselves settle,
 * so that owed and due never disagree (a timer set to a due time must
 * find that message owed).
 */
static uint64_t
pace_plan_owed(const struct pace *p, uint64_t now)
{
	double		c = pace_plan_count(p->plan, now - p->t0);
	uint64_t	end;

	end = c < (double)p->base ? 0 : (uint64_t)c + 1 - p->base;
	while (end > 0 && pace_due(p, end - 1) > now)
		end--;
	while (pace_due(p, end) <= now)
		end++;
	return end > p->next ? end - p->next : 0;
}

uint64_t
pace_owed(const struct pace *p, uint64_t now)
{
	uint64_t	s, due;

	if (now < p->t0)
		return 0;
	if (p->plan != NULL)
		return pace_plan_owed(p, now);
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
	if (p->plan != NULL)
		return now >= pace_due(p, k + 1);
	return p->rate != 0 && now > pace_due(p, k) + pace_interval(p);
}

/* On a plan the late messages are those whose successor is due too:
 * all owed but the last. */
uint64_t
pace_late_count(const struct pace *p, uint64_t n, uint64_t owed,
    uint64_t now)
{
	uint64_t	k, late = 0;

	if (p->plan != NULL) {
		late = owed > 0 ? owed - 1 : 0;
		return late < n ? late : n;
	}
	for (k = p->next; k < p->next + n; k++)
		late += pace_late(p, k, now);
	return late;
}
