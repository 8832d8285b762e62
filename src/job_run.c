/* SPDX-License-Identifier: ISC */
/*
 * A job's run record and its per-second series (job_run.h).
 */

#include "config.h"

#include <stdlib.h>

#include "job_run.h"
#include "timerq.h"

const char *const job_series_name[JOB_SERIES_COUNT] = {
#define JOB_SERIES_NAME(name, source, help)	#name,
	JOB_SERIES(JOB_SERIES_NAME)
#undef JOB_SERIES_NAME
};

/* The first second's room; doubled as the job lives on. */
#define JOB_RUN_CAP0	64

struct job_run *
job_run_new(void)
{
	struct job_run	*r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	clock_gettime(CLOCK_REALTIME, &r->started);
	r->start_ns = timerq_now();
	r->last_sample_ns = r->start_ns;
	return r;
}

void
job_run_free(struct job_run *r)
{
	if (r == NULL)
		return;
	free(r->ring);
	free(r);
}

void
job_run_full_load(struct job_run *r, uint64_t now)
{
	if (r->full_load_ns == 0 && r->end_ns == 0)
		r->full_load_ns = now;
}

void
job_run_end(struct job_run *r, uint64_t now)
{
	if (r->end_ns == 0)
		r->end_ns = now;
}

static void
job_run_rate_add(struct job_run_rate *rr, uint64_t v)
{
	if (rr->seconds == 0 || v < rr->min)
		rr->min = v;
	if (v > rr->max)
		rr->max = v;
	rr->sum += v;
	rr->seconds++;
}

/* The next slot of the ring: a new one while it may grow (before it
 * first wraps, so head is still 0), else the oldest.  NULL when out of
 * memory: the second is lost, the aggregates still count it. */
static struct job_second *
job_run_slot(struct job_run *r)
{
	struct job_second	*ring;
	size_t			 cap;

	if (r->len == r->cap && r->cap < JOB_SERIES_MAX) {
		cap = r->cap == 0 ? JOB_RUN_CAP0 : r->cap * 2;
		if (cap > JOB_SERIES_MAX)
			cap = JOB_SERIES_MAX;
		if ((ring = realloc(r->ring, cap * sizeof(*ring))) == NULL)
			return NULL;
		r->ring = ring;
		r->cap = cap;
	}
	if (r->len < r->cap)
		return &r->ring[r->len++];
	ring = &r->ring[r->head];
	r->head = (r->head + 1) % r->cap;
	return ring;
}

void
job_run_sample(struct job_run *r, uint64_t now,
    const uint64_t v[JOB_SERIES_COUNT])
{
	struct job_second	*s;
	int			 loaded;
	size_t			 i;

	loaded = r->full_load_ns != 0 && r->full_load_ns <= r->last_sample_ns &&
	    r->end_ns == 0;
	r->last_sample_ns = now;
	if (v[JOB_SERIES_connections] > r->peak_connections)
		r->peak_connections = v[JOB_SERIES_connections];
	if (loaded) {
		job_run_rate_add(&r->rate[JOB_RUN_RECEIVED],
		    v[JOB_SERIES_messages_received]);
		job_run_rate_add(&r->rate[JOB_RUN_SENT],
		    v[JOB_SERIES_messages_sent]);
	}
	if ((s = job_run_slot(r)) == NULL)
		return;
	s->t_ms = (now - r->start_ns) / 1000000;
	for (i = 0; i < JOB_SERIES_COUNT; i++)
		s->v[i] = v[i];
}

const struct job_second *
job_run_second(const struct job_run *r, size_t i)
{
	return &r->ring[(r->head + i) % r->cap];
}
