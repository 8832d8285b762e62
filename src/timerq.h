/* SPDX-License-Identifier: ISC */
/*
 * Precise timers on a worker, to the microsecond: a heap of entries,
 * soonest first, and one timerfd armed for the soonest.  libevent's own
 * timers on epoll wait whole milliseconds, unless the base is made precise,
 * which costs every turn of every loop a timerfd_settime(); these cost a
 * system call only when the soonest entry changes, and only on the workers
 * whose jobs use them.  Entries due at the same time fire in one wakeup.
 * Everything here runs on the calling worker, without a lock.
 */
#ifndef TIMERQ_H
#define TIMERQ_H

#include <stddef.h>
#include <stdint.h>

struct timerq_entry {
	uint64_t	at;	/* due, in CLOCK_MONOTONIC ns */
	size_t		idx;	/* in the heap; TIMERQ_IDLE when not */
	void		(*fn)(struct timerq_entry *);
};

#define TIMERQ_IDLE	((size_t)-1)

/* The TYPE whose MEMBER is the entry e, in its fn. */
#define TIMERQ_OWNER(e, type, member) \
	((type *)(void *)((char *)(e) - offsetof(type, member)))

/* The calling worker's queue is made on the first attach and freed after
 * the last detach: each user of it attaches once.  Returns -1 when out of
 * memory or file descriptors. */
int		timerq_attach(void);
void		timerq_detach(void);
void		timerq_entry_init(struct timerq_entry *,
		    void (*fn)(struct timerq_entry *));
/* Calls e->fn(e) once CLOCK_MONOTONIC reaches at; e must be idle. */
void		timerq_add(struct timerq_entry *e, uint64_t at);
/* Takes e off the queue if it is on it. */
void		timerq_del(struct timerq_entry *e);
/* CLOCK_MONOTONIC, in ns. */
uint64_t	timerq_now(void);
/* CLOCK_REALTIME minus CLOCK_MONOTONIC now, in ns: a job takes it once,
 * to turn the monotonic due times it keeps into the wall-clock times its
 * stamps carry, so that a step of the wall clock moves no timetable. */
uint64_t	timerq_wall_offset(void);

#endif
