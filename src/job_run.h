/* SPDX-License-Identifier: ISC */
/*
 * A job's run record: when it started (monotonic and wall clock), when
 * its ramp ended and full load began, when its load ended; the highest
 * connection count seen; the per-second rates of messages each way over
 * full load (kept as sums, so a run longer than the series still reports
 * them whole); and the per-second series of its last hour, a ring that
 * grows by doubling up to JOB_SERIES_MAX and then overwrites its oldest.
 * The main loop writes it under the job list's lock; readers hold the
 * list (the main loop, or job_list_lock()).
 */
#ifndef JOB_RUN_H
#define JOB_RUN_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct job;

/* The per-second series, declared once: X(name, source, help).  source is
 * where job.c samples it each second, a member of struct job: a counter's
 * rate over the second (rate[]), a gauge's value (last[]), or the
 * second's latency. */
#define JOB_SERIES(X)							\
	X(connections, last[CTR_connections],				\
	    "connections open at the second's end")			\
	X(connections_opened, rate[CTR_connections_opened],		\
	    "connections opened in the second")				\
	X(messages_received, rate[CTR_messages_received],		\
	    "messages received in the second")				\
	X(messages_sent, rate[CTR_messages_sent],			\
	    "messages sent in the second")				\
	X(bytes_received, rate[CTR_bytes_received],			\
	    "bytes received in the second")				\
	X(bytes_sent, rate[CTR_bytes_sent], "bytes sent in the second")	\
	X(connection_errors, rate[CTR_connection_errors],		\
	    "connection errors in the second")				\
	X(latency_p50_ns, latency_p50_1s,				\
	    "the second's median latency, 0: none")			\
	X(latency_p99_ns, latency_p99_1s,				\
	    "the second's 99th percentile latency, 0: none")

enum job_series {
#define JOB_SERIES_ENUM(name, source, help)	JOB_SERIES_##name,
	JOB_SERIES(JOB_SERIES_ENUM)
#undef JOB_SERIES_ENUM
	JOB_SERIES_COUNT
};

extern const char *const job_series_name[JOB_SERIES_COUNT];

#define JOB_SERIES_MAX	3600		/* seconds kept: the last hour */

struct job_second {
	uint64_t	t_ms;			/* since the job's start */
	uint64_t	v[JOB_SERIES_COUNT];	/* a second's count, or a gauge;
						   latency 0: none */
};

/* The per-second rate of one direction over the seconds of full load. */
struct job_run_rate {
	uint64_t	sum, min, max;
	uint64_t	seconds;		/* 0: none yet */
};

/* The directions whose full-load rates the run keeps. */
enum job_run_dir {
	JOB_RUN_RECEIVED,
	JOB_RUN_SENT,
	JOB_RUN_DIRS
};

struct job_run {
	uint64_t		 start_ns;	/* CLOCK_MONOTONIC */
	struct timespec		 started;	/* CLOCK_REALTIME */
	uint64_t		 full_load_ns;	/* 0: still ramping */
	uint64_t		 end_ns;	/* load ended (finish); 0: not */
	uint64_t		 last_sample_ns;
	uint64_t		 peak_connections;
	struct job_run_rate	 rate[JOB_RUN_DIRS];
	struct job_second	*ring;
	size_t			 cap, head, len;	/* head: the oldest */
};

/* A record started now; NULL when out of memory. */
struct job_run	*job_run_new(void);
void		 job_run_free(struct job_run *);
/* The ramp is over / the load ended, at now (CLOCK_MONOTONIC ns); each
 * keeps the first time it is told. */
void		 job_run_full_load(struct job_run *, uint64_t now);
void		 job_run_end(struct job_run *, uint64_t now);
/* Adds the second ending at now to the series and the peak, and to the
 * full-load rates when the whole second since the last sample was at full
 * load.  Main loop, under the list lock. */
void		 job_run_sample(struct job_run *, uint64_t now,
		    const uint64_t v[JOB_SERIES_COUNT]);

/* The i-th second of the series kept, oldest first; i < len. */
const struct job_second *job_run_second(const struct job_run *, size_t i);

/* The same of a job's run (in job.c, which knows the job).  Oldest
 * first; the caller holds the job list (main loop, or job_list_lock()). */
size_t		 job_series_len(const struct job *);
const struct job_second *job_series_at(const struct job *, size_t i);

#endif
