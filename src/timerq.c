/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <sys/timerfd.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "log.h"
#include "loop.h"
#include "timerq.h"

#define TIMERQ_NS	UINT64_C(1000000000)

/* The calling worker's queue: a binary min-heap on at. */
struct timerq {
	int			  fd;
	struct event		 *ev;
	struct timerq_entry	**heap;
	size_t			  n, cap;
	uint64_t		  armed;	/* 0: disarmed */
	unsigned int		  users;
};

static __thread struct timerq	*tq_here;

uint64_t
timerq_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * TIMERQ_NS + (uint64_t)ts.tv_nsec;
}

static void
timerq_set(struct timerq *q, size_t i, struct timerq_entry *e)
{
	q->heap[i] = e;
	e->idx = i;
}

static void
timerq_up(struct timerq *q, size_t i)
{
	struct timerq_entry	*e = q->heap[i];
	size_t			 parent;

	while (i > 0 && q->heap[parent = (i - 1) / 2]->at > e->at) {
		timerq_set(q, i, q->heap[parent]);
		i = parent;
	}
	timerq_set(q, i, e);
}

static void
timerq_down(struct timerq *q, size_t i)
{
	struct timerq_entry	*e = q->heap[i];
	size_t			 child;

	while ((child = 2 * i + 1) < q->n) {
		if (child + 1 < q->n && q->heap[child + 1]->at <
		    q->heap[child]->at)
			child++;
		if (q->heap[child]->at >= e->at)
			break;
		timerq_set(q, i, q->heap[child]);
		i = child;
	}
	timerq_set(q, i, e);
}

/* Arms the timerfd for the soonest entry, when that changed. */
static void
timerq_arm(struct timerq *q)
{
	struct itimerspec	its = { { 0, 0 }, { 0, 0 } };
	uint64_t		at = q->n > 0 ? q->heap[0]->at : 0;

	if (at == q->armed)
		return;
	/* 0 would disarm it: a time that early is due anyway. */
	if (q->n > 0 && at == 0)
		at = 1;
	its.it_value.tv_sec = (time_t)(at / TIMERQ_NS);
	its.it_value.tv_nsec = (long)(at % TIMERQ_NS);
	if (timerfd_settime(q->fd, TFD_TIMER_ABSTIME, &its, NULL) == -1)
		fatal("%s: timerfd_settime", __func__);
	q->armed = at;
}

static void
timerq_cb(evutil_socket_t fd, short what, void *arg)
{
	struct timerq		*q = arg;
	struct timerq_entry	*e;
	uint64_t		 expirations, now = timerq_now();

	(void)what;
	if (read(fd, &expirations, sizeof(expirations)) == -1 &&
	    errno != EAGAIN)
		log_debug("%s: read: %s", __func__, strerror(errno));
	q->armed = 0;
	/* Held, in case an fn lets go of the last user.  An entry fn adds
	 * again is due later than now. */
	q->users++;
	while (q->n > 0 && (e = q->heap[0])->at <= now) {
		timerq_del(e);
		e->fn(e);
	}
	timerq_arm(q);
	timerq_detach();
}

int
timerq_attach(void)
{
	struct timerq	*q = tq_here;

	if (q != NULL) {
		q->users++;
		return 0;
	}
	if ((q = calloc(1, sizeof(*q))) == NULL)
		return -1;
	q->fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (q->fd == -1) {
		log_warn("%s: timerfd_create", __func__);
		free(q);
		return -1;
	}
	q->ev = event_new(loop_base(loop_self()), q->fd, EV_READ | EV_PERSIST,
	    timerq_cb, q);
	if (q->ev == NULL || event_add(q->ev, NULL) == -1) {
		if (q->ev != NULL)
			event_free(q->ev);
		close(q->fd);
		free(q);
		return -1;
	}
	q->users = 1;
	tq_here = q;
	return 0;
}

void
timerq_detach(void)
{
	struct timerq	*q = tq_here;

	if (--q->users > 0)
		return;
	event_free(q->ev);
	close(q->fd);
	free(q->heap);
	free(q);
	tq_here = NULL;
}

void
timerq_entry_init(struct timerq_entry *e, void (*fn)(struct timerq_entry *))
{
	e->at = 0;
	e->idx = TIMERQ_IDLE;
	e->fn = fn;
}

void
timerq_add(struct timerq_entry *e, uint64_t at)
{
	struct timerq		 *q = tq_here;
	struct timerq_entry	**heap;
	size_t			  cap;

	if (q->n == q->cap) {
		cap = q->cap > 0 ? q->cap * 2 : 64;
		if ((heap = reallocarray(q->heap, cap, sizeof(*heap))) == NULL)
			fatal("%s: reallocarray", __func__);
		q->heap = heap;
		q->cap = cap;
	}
	e->at = at;
	timerq_set(q, q->n++, e);
	timerq_up(q, e->idx);
	if (e->idx == 0)
		timerq_arm(q);
}

void
timerq_del(struct timerq_entry *e)
{
	struct timerq		*q = tq_here;
	size_t			 i = e->idx;

	if (i == TIMERQ_IDLE)
		return;
	e->idx = TIMERQ_IDLE;
	if (i == --q->n)
		return;
	/* The last entry fills the hole, then finds its place below or
	 * above it. */
	timerq_set(q, i, q->heap[q->n]);
	timerq_down(q, i);
	timerq_up(q, i);
}
