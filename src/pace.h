/* SPDX-License-Identifier: ISC */
/*
 * A connection's timetable of sends at a fixed rate: message k is due at
 * t0 + k/rate, whenever it actually goes out.  Latency is measured from
 * the due time, so a sender held back (a full socket, a stalled server)
 * does not skip the messages it owed meanwhile: it sends them late and
 * their wait shows as latency, the correction for coordinated omission
 * that wrk2 makes.  Pure arithmetic over nanoseconds: the caller reads
 * the clock.
 */
#ifndef PACE_H
#define PACE_H

#include <stdint.h>

struct pace {
	uint64_t	t0;		/* ns, when message 0 is due */
	uint64_t	rate;		/* messages a second; 0: no timetable */
	uint64_t	next;		/* the next message's number */
};

/* Starts a timetable of rate messages a second at t0. */
void		pace_start(struct pace *, uint64_t t0, uint64_t rate);
/* When message k is due (t0 for every k without a rate). */
uint64_t	pace_due(const struct pace *, uint64_t k);
/* The nanoseconds between two messages (0 without a rate). */
uint64_t	pace_interval(const struct pace *);
/* How many messages are due by now and not yet taken. */
uint64_t	pace_owed(const struct pace *, uint64_t now);
/* True when message k, sent at now, goes out more than one interval
 * after it was due. */
int		pace_late(const struct pace *, uint64_t k, uint64_t now);

#endif
