/* SPDX-License-Identifier: ISC */
/*
 * A connection's timetable of sends.  At a fixed rate message k is due at
 * t0 + k/rate; on a plan of phases, each holding a rate or ramping it
 * linearly, message k is due where the integral of the rate from t0
 * reaches k.  Either way it is due then whenever it actually goes out.
 * Latency is measured from the due time, so a sender held back (a full
 * socket, a stalled server) does not skip the messages it owed
 * meanwhile: it sends them late and their wait shows as latency, the
 * correction for coordinated omission that wrk2 makes.  Pure arithmetic
 * over nanoseconds: the caller reads the clock.
 */
#ifndef PACE_H
#define PACE_H

#include <stddef.h>
#include <stdint.h>

#define PACE_PHASES_MAX	16
#define PACE_RATE_MAX	10000000	/* messages a second, --rate's top */

/* A stretch of the plan: the rate goes linearly from `from` to `to`
 * (messages a second) over len ns. */
struct pace_phase {
	double		from, to;
	uint64_t	len;		/* UINT64_MAX: for ever */
	uint64_t	at;		/* its start, ns after t0 */
	double		before;		/* messages due before its start */
};

/* The phases, then the last rate held for ever. */
struct pace_plan {
	size_t			n;
	struct pace_phase	phase[PACE_PHASES_MAX + 1];
};

struct pace {
	uint64_t		 t0;	/* ns, when message 0 is due */
	uint64_t		 rate;	/* messages a second; 0: none */
	uint64_t		 next;	/* the next message's number */
	const struct pace_plan	*plan;	/* or NULL: the fixed rate */
	uint64_t		 base;	/* on a plan, message k is its
					   message base + k */
};

/* Starts a timetable of rate messages a second at t0. */
void		pace_start(struct pace *, uint64_t t0, uint64_t rate);
/* Starts a timetable on plan from t0, at the plan's message base. */
void		pace_start_plan(struct pace *, uint64_t t0,
		    const struct pace_plan *, uint64_t base);
/* Starts a connection that joins at now a plan running from t0 where it
 * is then: its message 0 is the plan's first not yet due. */
void		pace_join_plan(struct pace *, uint64_t t0,
		    const struct pace_plan *, uint64_t now);
/* Builds a plan: init, then each phase in order (len ns, or UINT64_MAX
 * for a rate held from then on: the last phase), then end.  add returns
 * -1 past PACE_PHASES_MAX phases or after one held for ever. */
void		pace_plan_init(struct pace_plan *);
int		pace_plan_add(struct pace_plan *, uint64_t from, uint64_t to,
		    uint64_t len);
void		pace_plan_end(struct pace_plan *);
/*
 * --rate as people write it (pace_parse.c): a plain number, at most
 * PACE_RATE_MAX, into *rate (0: none), with pl left empty; or phases,
 * comma-separated, each "R" (held from then on: the last) or "FROM:TO:S"
 * (a ramp over a duration, args.h), rates at most PACE_RATE_MAX, into pl,
 * a whole plan.  Returns 0, or -1 with a one-line message in err that
 * names the bad phase.
 */
int		pace_parse(const char *v, uint64_t *rate, struct pace_plan *pl,
		    char *err, size_t errlen);
/* The highest rate of the plan. */
uint64_t	pace_plan_peak(const struct pace_plan *);
/* True when there is a timetable (a rate or a plan); inline, as the
 * sender asks it of every message. */
static inline int
pace_timed(const struct pace *p)
{
	return p->rate != 0 || p->plan != NULL;
}
/* When message k is due (t0 for every k without a timetable; UINT64_MAX
 * for one a plan ending at rate 0 never reaches). */
uint64_t	pace_due(const struct pace *, uint64_t k);
/* The nanoseconds between two messages at the fixed rate (0 without). */
uint64_t	pace_interval(const struct pace *);
/* How many messages are due by now and not yet taken. */
uint64_t	pace_owed(const struct pace *, uint64_t now);
/* True when message k, sent at now, goes out late: more than an interval
 * after it was due, or on a plan once the message that follows it is due
 * too. */
int		pace_late(const struct pace *, uint64_t k, uint64_t now);
/* How many of the n messages from next on, sent at now, go out late;
 * owed is pace_owed(now). */
uint64_t	pace_late_count(const struct pace *, uint64_t n, uint64_t owed,
		    uint64_t now);

#endif
