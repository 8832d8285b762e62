/* SPDX-License-Identifier: ISC */
/*
 * Jobs: named push and echo servers and recv clients living in the
 * daemon.  A job is created and stopped on the main loop; its connections
 * live on worker loops.  Every holder of a job (the main loop's list, each
 * connection, each task posted about it) keeps a reference; the last one
 * to let go frees it on the main loop.
 */
#ifndef JOB_H
#define JOB_H

#include <sys/queue.h>

#include <pthread.h>

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "args.h"
#include "counters.h"

struct event;
struct job;
struct job_run;
struct loop;

#define JOB_NAME_MAX	63
/* Options every kind has, first in its opts: JOB_OPTS, then its own. */
#define JOB_OPT_NAME		0	/* --name NAME */
#define JOB_OPT_MAX_MESSAGE	1	/* --max-message BYTES */
#define JOB_OPT_NEXT		2	/* a kind's own options from here */
#define JOB_MAX_MESSAGE_DEFAULT	(16u << 20)
#define JOB_MAX_MESSAGE_LIMIT	(1u << 30)
#define JOB_OPTS \
	[JOB_OPT_NAME] = ARGS_VALUE("--name", "NAME", \
	    "the job's name (default: the kind and a number)"), \
	[JOB_OPT_MAX_MESSAGE] = ARGS_NUMBER("--max-message", "N", 1, \
	    JOB_MAX_MESSAGE_LIMIT, "the largest message accepted, in bytes")

#define JOB_ERROR_MAX	160	/* the last error's text, with its NUL */
#define JOB_CLOSE_MAX	124	/* a close reason, with its NUL */

/* What stats shows of how connections ended.  Workers write it now and
 * then, on an error or a close, so it has a lock of its own. */
struct job_notes {
	pthread_mutex_t	mu;
	char		error[JOB_ERROR_MAX];	/* "" until an error */
	int		close_code;		/* 0 until a peer closes */
	char		close_reason[JOB_CLOSE_MAX];
};

struct job_kind {
	const char		*name;
	const char		*help;		/* one line, for `help` */
	struct args_template	 args;		/* after `start NAME` */
	/* Checks the arguments and keeps what the job needs, with no
	 * side effect outside the job (so `wsbenchd -n` can run it). */
	int	(*prepare)(struct job *, const struct args *, char *, size_t);
	/* Starts listening or connecting; main loop. */
	int	(*start)(struct job *, char *, size_t);
	/* Stops accepting or connecting; main loop.  May be NULL. */
	void	(*stop)(struct job *);
	/* Closes the job's connections on the calling worker loop. */
	void	(*worker_stop)(struct job *, struct loop *);
	/* Frees what prepare() and start() kept; main loop. */
	void	(*free)(struct job *);
	/* A short description of the target ("127.0.0.1:8008", a URL). */
	const char *(*target)(const struct job *);
	/* The label naming the target on wsbench_job_info: "listen" for a
	 * server's address, "url" for a client's URL. */
	const char	*target_label;
	/*
	 * What the plain line of `watch` shows of the kind's jobs: their
	 * busier direction, CTR_messages_received or CTR_messages_sent.
	 * Without a job named, the line shows the running kind of the
	 * highest watch_rank: a client's count before a server's, since a
	 * recv job fed by a push job of the same daemon counts the same
	 * messages.
	 */
	enum counter	 watch_counter;
	int		 watch_rank;
	/* Shows the settings worth seeing beside the job's numbers (TLS
	 * verification off, deflate), each as a key and its text, through
	 * show(arg, key, value); may be NULL. */
	void	(*settings)(const struct job *,
		    void (*show)(void *, const char *, const char *), void *);
};

struct job {
	TAILQ_ENTRY(job)	 entry;
	char			 name[JOB_NAME_MAX + 1];
	const struct job_kind	*kind;
	atomic_int		 refs;
	/* Set once job_stop() or job_finish() ran: what workers test (no
	 * new connection, no reconnect). */
	atomic_int		 stopping;
	atomic_int		 state;		/* enum job_state */
	/* --duration: full load this long, then finish; 0: none.  Set by
	 * the kind's prepare(). */
	uint64_t		 duration_ns;
	/* What worker_stop() closes connections with: 1001 (job_stop),
	 * 1000 (job_finish); set before the workers are told. */
	int			 close_code;
	struct event		*duration_timer;
	struct job_run		*run;		/* the run record (job_run.h) */
	struct counter_slot	*slots;		/* one per worker */
	uint64_t		 last[CTR_COUNT];	/* totals at last sample */
	uint64_t		 rate[CTR_COUNT];	/* per second, last second;
						   written under the list lock */
	unsigned int		 next_worker;	/* round robin */
	uint64_t		 max_message;	/* largest message accepted */
	/* What the slots' latency histograms hold, set by prepare: NULL (the
	 * job times nothing), "rtt" or "oneway". */
	const char		*timing;
	/* The latency window's start (NULL: the job's start), the sum a
	 * second ago, and the median and 99th percentile of the second
	 * between, in ns (0: none): the main loop writes them under the
	 * list lock. */
	struct hdr_sum		*latency_base;
	struct hdr_sum		*latency_prev;
	uint64_t		 latency_p50_1s, latency_p99_1s;
	struct job_notes	 notes;
	char			*config_line;	/* the config's start line */
	void			*priv;
};

TAILQ_HEAD(job_list, job);

/*
 * running -> (job_stop) -> stopping -> gone, and
 * running -> (job_finish) -> finishing: closing its connections with 1000
 * -> finished: no connection, no worker touches it, its numbers stay
 * readable -> (job_stop) -> gone.
 */
enum job_state {
	JOB_RUNNING,
	JOB_STOPPING,
	JOB_FINISHING,
	JOB_FINISHED
};

/* The i-th job kind, or NULL past the last. */
const struct job_kind *job_kind_at(size_t i);
/* The kinds of job there are; before any is created. */
void		 job_set_kinds(const struct job_kind *const *, size_t n);

/*
 * Creates and starts a job from a's options and arguments, parsed with
 * the args of one of the kinds: that kind's.  With check set, only
 * validates and sets *jobp to NULL.  Returns 0, or -1 with a one-line
 * message in err.
 */
int		 job_create(const struct args *a, int check, struct job **jobp,
		    char *err, size_t errlen);
/* Stops a job; it leaves the list once its last connection is gone.  A
 * finishing or finished job leaves it too. */
void		 job_stop(struct job *);
/* Main loop.  Stops the job keeping its report: kind->stop(), then each
 * worker's worker_stop() with close_code 1000; the job stays in the list,
 * "finishing" until its last connection is gone, then "finished".  No-op
 * unless running. */
void		 job_finish(struct job *);
/* Main loop only.  The job's ramp is over: every connection made its
 * first attempt.  Starts the full-load clock and, with duration_ns, the
 * timer that calls job_finish(). */
void		 job_full_load(struct job *);
void		 job_stop_all(void);
struct job	*job_find(const char *name);
struct job_list	*job_list(void);
/* Held by readers outside the main loop (metrics) while they walk the list;
 * the main loop holds it while adding or removing jobs. */
void		 job_list_lock(void);
void		 job_list_unlock(void);
/* Called with no job left after job_stop_all(). */
void		 job_set_drained_cb(void (*)(void));
/* Called on the main loop each time a job becomes finished or leaves the
 * list (waiters re-check). */
void		 job_set_changed_cb(void (*)(void));

void		 job_ref(struct job *);
void		 job_unref(struct job *);

/* The next worker loop for a new connection of this job. */
struct loop	*job_next_worker(struct job *);
/* The calling worker's counter slot for this job. */
struct counter_slot *job_slot(struct job *, struct loop *);
/* Sums a counter over all workers. */
uint64_t	 job_total(const struct job *, enum counter);
/* The latency histograms of a timed job summed over its workers: over
 * its life, and over the window since job_latency_reset() (or its start);
 * either may be NULL.  The caller holds the list, as for report_job(). */
void		 job_latency(const struct job *, struct hdr_sum *life,
		    struct hdr_sum *window);
/* Starts a new window; main loop.  Returns -1 when out of memory. */
int		 job_latency_reset(struct job *);
/* Samples totals and computes per-second rates, and the last second's
 * latency percentiles; main loop, once a second. */
void		 job_sample_all(double elapsed);
/* "running", "stopping", "finishing", "finished"; any thread. */
const char	*job_state_name(const struct job *);
int		 job_finished(const struct job *);	/* any thread */
/* The last connection error, and the last close a peer sent (its reason
 * with control characters made '?'); any thread. */
void		 job_note_error(struct job *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
void		 job_note_close(struct job *, int code, const uint8_t *reason,
		    size_t n);
/* A copy of the notes, taken under their lock. */
void		 job_notes_get(struct job *, struct job_notes *out);

#endif
