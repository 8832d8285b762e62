/* SPDX-License-Identifier: ISC */
/*
 * One report of a job's numbers, walked once into an output backend, as
 * bgpctl walks a neighbor into its struct output: the job's name, kind,
 * state and target; the settings its kind shows; each counter with its
 * rate; the compression ratios; the opening handshakes; the run (its
 * times, peak and full-load rates); the closes by code; the last error
 * and close.  The text and JSON of `stats` (and
 * /api/stats), the records of `watch --table` and the per-job families of
 * /metrics are backends: a number the walk gives reaches each of them, and
 * each shows what its format holds.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "counters.h"

struct job;
struct job_notes;

/* A job as the walk sees it: its counters summed over the workers once. */
struct report_job {
	struct job		*job;
	struct counter_totals	 t;
};

/* The opening handshakes summed up: their number, and their mean, median,
 * 90th and 99th percentile in microseconds (meaningless while count is
 * 0). */
struct report_hs {
	uint64_t	count, mean, p50, p90, p99;
};

/* A per-second rate over the seconds of full load; valid is 0 before one
 * whole second of it. */
struct report_rate {
	double		mean;
	uint64_t	min, max;
	int		valid;
};

/* The run section (job_run.h): its times in ns; ramp and full_load only
 * once loaded (full load began). */
struct report_run {
	struct timespec		started;	/* wall clock */
	uint64_t		duration;	/* start to finish, or to now */
	uint64_t		ramp, full_load;
	int			loaded;
	uint64_t		peak_connections;
	struct report_rate	received, sent;
};

/* The percentiles every view of a latency shows, as fractions and as
 * their names. */
#define REPORT_PERCENTILES(X)						\
	X(0.5, "p50") X(0.9, "p90") X(0.99, "p99") X(0.999, "p99.9")	\
	X(0.9999, "p99.99")

/* What a timed job (j->timing set) measured: its latency over its life,
 * over the window since the last reset (`latency --reset`), and over the
 * last second. */
struct report_latency {
	const char		*type;		/* "rtt" or "oneway" */
	const struct hdr_sum	*life;
	const struct hdr_sum	*window;
	uint64_t		 p50_1s, p99_1s;	/* ns; 0: none */
};

/* Called in this order; a backend leaves NULL what its format does not
 * hold (all but head and counter may be NULL). */
struct report_output {
	/* The job: rj->job's name, kind, state and target. */
	void	(*head)(void *, const struct report_job *);
	/* A setting the job's kind shows, as a key and its text. */
	void	(*setting)(void *, const char *key, const char *value);
	/* Each counter, its total and its rate per second over the last
	 * second, or rate NULL for one without (gauges, errors by reason). */
	void	(*counter)(void *, const struct report_job *, enum counter,
		    uint64_t total, const uint64_t *rate);
	/* After the last counter. */
	void	(*counters_end)(void *, const struct report_job *);
	/* Payload bytes against wire bytes one way, under key. */
	void	(*ratio)(void *, const char *key, uint64_t payload,
		    uint64_t wire);
	/* The histogram of the opening handshakes. */
	void	(*handshakes)(void *, const struct report_job *,
		    const struct histogram_sum *);
	/* The run: its times, peak and full-load rates. */
	void	(*run)(void *, const struct report_job *,
		    const struct report_run *);
	/* The latency of a job that times messages; not called for others,
	 * nor when memory for the sums runs out. */
	void	(*latency)(void *, const struct report_job *,
		    const struct report_latency *);
	/* The close frames peers sent, by close_class, zeros included. */
	void	(*closes)(void *, const struct report_job *,
		    const uint64_t closes[CLOSE_COUNT]);
	/* The last error and close, taken under their lock. */
	void	(*notes)(void *, const struct job_notes *);
	void	(*tail)(void *, const struct report_job *);
};

/*
 * Walks job j into o.  The caller holds the job list (the main loop, or
 * job_list_lock() from another thread): the job stays, and its rates are
 * not written meanwhile.
 */
void	report_job(const struct report_output *o, void *arg, struct job *j);
/* The mean and percentiles of a handshake histogram. */
void	report_hs(const struct histogram_sum *, struct report_hs *);
/* Room for report_time(). */
#define REPORT_TIME_LEN	32
/* A wall-clock time in RFC 3339, UTC, to the millisecond:
 * "2026-12-03T16:52:32.123Z". */
void	report_time(char *out, size_t cap, const struct timespec *);

#endif
