/* SPDX-License-Identifier: ISC */
/*
 * The walk over a job's numbers that every view of them shares (report.h).
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "counters.h"
#include "job.h"
#include "job_run.h"
#include "loop.h"
#include "report.h"
#include "timerq.h"

/* Rates of the counters, but not of the gauge or of each error reason:
 * the total of errors has one. */
static int
report_has_rate(enum counter c)
{
	return counter_info[c].type[0] == 'c' && counter_info[c].reason == NULL;
}

void
report_hs(const struct histogram_sum *h, struct report_hs *hs)
{
	hs->count = h->count;
	hs->mean = h->count > 0 ? (h->sum_us + h->count / 2) / h->count : 0;
	hs->p50 = histogram_quantile_us(h, 0.5);
	hs->p90 = histogram_quantile_us(h, 0.9);
	hs->p99 = histogram_quantile_us(h, 0.99);
}

void
report_time(char *out, size_t cap, const struct timespec *ts)
{
	struct tm	tm;
	char		s[24];

	gmtime_r(&ts->tv_sec, &tm);
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, cap, "%s.%03ldZ", s, ts->tv_nsec / 1000000);
}

static void
report_rate(const struct job_run_rate *rr, struct report_rate *out)
{
	out->valid = rr->seconds > 0;
	out->mean = out->valid ? (double)rr->sum / (double)rr->seconds : 0;
	out->min = rr->min;
	out->max = rr->max;
}

/* The run's times up to its end, or to now while it runs. */
static void
report_run(const struct report_output *o, void *arg,
    const struct report_job *rj)
{
	const struct job_run	*r = rj->job->run;
	struct report_run	 run;
	uint64_t		 end = r->end_ns != 0 ? r->end_ns : timerq_now();

	run.started = r->started;
	run.duration = end - r->start_ns;
	run.loaded = r->full_load_ns != 0;
	run.ramp = run.loaded ? r->full_load_ns - r->start_ns : 0;
	run.full_load = run.loaded ? end - r->full_load_ns : 0;
	run.peak_connections = r->peak_connections;
	report_rate(&r->rate[JOB_RUN_RECEIVED], &run.received);
	report_rate(&r->rate[JOB_RUN_SENT], &run.sent);
	o->run(arg, rj, &run);
}

static void
report_ratios(const struct report_output *o, void *arg,
    const struct counter_totals *t)
{
	o->ratio(arg, "compression_received", t->v[CTR_payload_bytes_received],
	    t->v[CTR_bytes_received]);
	o->ratio(arg, "compression_sent", t->v[CTR_payload_bytes_sent],
	    t->v[CTR_bytes_sent]);
}

/* Sums are 31 KiB each: on the heap, not on a thread's stack. */
static void
report_latency(const struct report_output *o, void *arg,
    const struct report_job *rj)
{
	struct job		*j = rj->job;
	struct report_latency	 l;
	struct hdr_sum		*life, *window;

	life = malloc(sizeof(*life));
	window = malloc(sizeof(*window));
	if (life != NULL && window != NULL) {
		job_latency(j, life, window);
		l.type = j->timing;
		l.life = life;
		l.window = window;
		l.p50_1s = j->latency_p50_1s;
		l.p99_1s = j->latency_p99_1s;
		o->latency(arg, rj, &l);
	}
	free(life);
	free(window);
}

void
report_job(const struct report_output *o, void *arg, struct job *j)
{
	struct report_job	rj;
	struct job_notes	n;
	int			c;

	rj.job = j;
	counter_totals(j->slots, loop_nworkers(), &rj.t);
	o->head(arg, &rj);
	if (o->setting != NULL && j->kind->settings != NULL)
		j->kind->settings(j, o->setting, arg);
	for (c = 0; c < CTR_COUNT; c++)
		o->counter(arg, &rj, c, rj.t.v[c],
		    report_has_rate(c) ? &j->rate[c] : NULL);
	if (o->counters_end != NULL)
		o->counters_end(arg, &rj);
	if (o->ratio != NULL)
		report_ratios(o, arg, &rj.t);
	if (o->handshakes != NULL)
		o->handshakes(arg, &rj, &rj.t.handshake);
	if (o->run != NULL)
		report_run(o, arg, &rj);
	if (o->latency != NULL && j->timing != NULL)
		report_latency(o, arg, &rj);
	if (o->closes != NULL)
		o->closes(arg, &rj, rj.t.closes);
	if (o->notes != NULL) {
		job_notes_get(j, &n);
		o->notes(arg, &n);
	}
	if (o->tail != NULL)
		o->tail(arg, &rj);
}
