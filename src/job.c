/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "job.h"
#include "job_run.h"
#include "log.h"
#include "settings.h"
#include "loop.h"
#include "timerq.h"
#include "ws_frame.h"

/* Given by the daemon (job_set_kinds()): the kinds know this file, not
 * it them. */
static const struct job_kind *const	*job_kinds;
static size_t				 job_nkinds;

static struct job_list	jobs = TAILQ_HEAD_INITIALIZER(jobs);
static pthread_mutex_t	jobs_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned int	job_seq;
static void		(*job_drained_cb)(void);
static void		(*job_changed_cb)(void);

void
job_set_kinds(const struct job_kind *const *kinds, size_t n)
{
	job_kinds = kinds;
	job_nkinds = n;
}

const struct job_kind *
job_kind_at(size_t i)
{
	return i < job_nkinds ? job_kinds[i] : NULL;
}

/* The kind whose template a was parsed with. */
static const struct job_kind *
job_kind_of(const struct args *a)
{
	size_t	i;

	for (i = 0; i < job_nkinds; i++)
		if (&job_kinds[i]->args == a->tmpl)
			return job_kinds[i];
	return NULL;
}

static int
job_name_valid(const char *name)
{
	size_t	i, len = strlen(name);

	if (len == 0 || len > JOB_NAME_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)name[i]) &&
		    strchr("_.-", name[i]) == NULL)
			return 0;
	return 1;
}

static int
job_name_set(struct job *j, const char *name, int check, char *err,
    size_t errlen)
{
	if (name == NULL) {
		do {
			snprintf(j->name, sizeof(j->name), "%s-%u",
			    j->kind->name, ++job_seq);
		} while (job_find(j->name) != NULL);
		return 0;
	}
	if (!job_name_valid(name)) {
		snprintf(err, errlen, "bad job name '%s' (up to %d letters, "
		    "digits, '_', '.' or '-')", name, JOB_NAME_MAX);
		return -1;
	}
	/* Checking a config says nothing of the jobs running now: a reload
	 * finds out itself which names stay taken. */
	if (!check && job_find(name) != NULL) {
		snprintf(err, errlen, "job '%s' already exists", name);
		return -1;
	}
	snprintf(j->name, sizeof(j->name), "%s", name);
	return 0;
}

static struct job *
job_alloc(const struct job_kind *kind, int check)
{
	struct job	*j;
	size_t		 n = check ? 0 : (size_t)loop_nworkers(), i;

	if ((j = calloc(1, sizeof(*j))) == NULL)
		return NULL;
	j->kind = kind;
	pthread_mutex_init(&j->notes.mu, NULL);
	atomic_init(&j->refs, 1);
	atomic_init(&j->stopping, 0);
	atomic_init(&j->state, JOB_RUNNING);
	j->close_code = WS_CLOSE_GOING_AWAY;
	if (n > 0) {
		j->slots = aligned_alloc(_Alignof(struct counter_slot),
		    n * sizeof(struct counter_slot));
		if (j->slots == NULL || (j->run = job_run_new()) == NULL) {
			free(j->slots);
			free(j);
			return NULL;
		}
		memset(j->slots, 0, n * sizeof(struct counter_slot));
		for (i = 0; i < n; i++)
			hdr_init(&j->slots[i].latency);
	}
	return j;
}

static void
job_free(struct job *j)
{
	j->kind->free(j);
	pthread_mutex_destroy(&j->notes.mu);
	free(j->config_line);
	free(j->latency_base);
	free(j->latency_prev);
	if (j->duration_timer != NULL)
		event_free(j->duration_timer);
	job_run_free(j->run);
	free(j->slots);
	free(j);
}

int
job_create(const struct args *a, int check, struct job **jobp, char *err,
    size_t errlen)
{
	const struct job_kind	*kind = job_kind_of(a);
	struct job		*j;
	unsigned long		 max_message;

	*jobp = NULL;
	if (kind == NULL) {
		snprintf(err, errlen, "internal error: no such job kind");
		return -1;
	}
	if ((j = job_alloc(kind, check)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (job_name_set(j, a->value[JOB_OPT_NAME], check, err, errlen) == -1 ||
	    args_uint(a, JOB_OPT_MAX_MESSAGE, settings_number(SET_MAX_MESSAGE),
	    &max_message, err, errlen) == -1) {
		job_free(j);
		return -1;
	}
	/* Set before start(): its connections read it at once. */
	j->max_message = max_message;
	if (kind->prepare(j, a, err, errlen) == -1 ||
	    (!check && kind->start(j, err, errlen) == -1)) {
		job_free(j);
		return -1;
	}
	if (check) {
		job_free(j);
		return 0;
	}
	job_list_lock();
	TAILQ_INSERT_TAIL(&jobs, j, entry);
	job_list_unlock();
	log_info("job %s: started %s %s", j->name, kind->name, kind->target(j));
	*jobp = j;
	return 0;
}

static void
job_worker_stop_task(void *arg)
{
	struct job	*j = arg;

	j->kind->worker_stop(j, loop_self());
	job_unref(j);
}

/* The load ends now: no timer left to end it again, and the run record
 * keeps the time. */
static void
job_load_end(struct job *j)
{
	if (j->duration_timer != NULL)
		event_del(j->duration_timer);
	job_list_lock();
	job_run_end(j->run, timerq_now());
	job_list_unlock();
}

/* Tells the kind and each worker to let the job's connections go, closing
 * them with code.  Each task holds a reference, so a finishing job becomes
 * finished only once every worker has let go. */
static void
job_stop_workers(struct job *j, int code)
{
	int	i;

	j->close_code = code;
	atomic_store(&j->stopping, 1);
	if (j->kind->stop != NULL)
		j->kind->stop(j);
	for (i = 0; i < loop_nworkers(); i++) {
		job_ref(j);
		if (loop_post(loop_worker(i), job_worker_stop_task, j) == -1)
			fatalx("%s: cannot reach worker %d", __func__, i);
	}
}

void
job_stop(struct job *j)
{
	int	state = atomic_load(&j->state);

	if (state == JOB_STOPPING)
		return;
	job_load_end(j);
	/* Set before the workers' tasks can let go: job_unref() reads it. */
	atomic_store(&j->state, JOB_STOPPING);
	/* A finishing job's connections are closing already. */
	if (state == JOB_RUNNING)
		job_stop_workers(j, WS_CLOSE_GOING_AWAY);
	log_info("job %s: stopping", j->name);
	job_unref(j);		/* the list's reference */
}

void
job_finish(struct job *j)
{
	if (atomic_load(&j->state) != JOB_RUNNING)
		return;
	job_load_end(j);
	atomic_store(&j->state, JOB_FINISHING);
	job_stop_workers(j, WS_CLOSE_NORMAL);
	log_info("job %s: finishing", j->name);
}

/* Arms the duration timer for what is left of the full load. */
static void
job_duration_arm(struct job *j, uint64_t left)
{
	loop_timer_add_ns(j->duration_timer, left);
}

/* libevent may read a coarse clock and fire a few ms early: the full load
 * lasts its duration on the precise one. */
static void
job_duration_cb(evutil_socket_t fd, short what, void *arg)
{
	struct job	*j = arg;
	uint64_t	 due = j->run->full_load_ns + j->duration_ns;
	uint64_t	 now = timerq_now();

	(void)fd;
	(void)what;
	if (now < due)
		job_duration_arm(j, due - now);
	else
		job_finish(j);
}

void
job_full_load(struct job *j)
{
	if (atomic_load(&j->state) != JOB_RUNNING)
		return;
	job_list_lock();
	job_run_full_load(j->run, timerq_now());
	job_list_unlock();
	log_info("job %s: at full load", j->name);
	if (j->duration_ns == 0 || j->duration_timer != NULL)
		return;
	j->duration_timer = evtimer_new(loop_base(loop_main()),
	    job_duration_cb, j);
	if (j->duration_timer == NULL)
		fatalx("%s: out of memory", __func__);
	job_duration_arm(j, j->duration_ns);
}

void
job_stop_all(void)
{
	struct job	*j, *next;

	for (j = TAILQ_FIRST(&jobs); j != NULL; j = next) {
		next = TAILQ_NEXT(j, entry);
		job_stop(j);
	}
	if (TAILQ_EMPTY(&jobs) && job_drained_cb != NULL)
		job_drained_cb();
}

void
job_set_drained_cb(void (*cb)(void))
{
	job_drained_cb = cb;
}

void
job_set_changed_cb(void (*cb)(void))
{
	job_changed_cb = cb;
}

static void
job_changed(void)
{
	if (job_changed_cb != NULL)
		job_changed_cb();
}

struct job *
job_find(const char *name)
{
	struct job	*j;

	TAILQ_FOREACH(j, &jobs, entry)
		if (strcmp(j->name, name) == 0)
			return j;
	return NULL;
}

struct job_list *
job_list(void)
{
	return &jobs;
}

void
job_list_lock(void)
{
	pthread_mutex_lock(&jobs_mu);
}

void
job_list_unlock(void)
{
	pthread_mutex_unlock(&jobs_mu);
}

void
job_ref(struct job *j)
{
	atomic_fetch_add(&j->refs, 1);
}

static void
job_destroy_task(void *arg)
{
	struct job	*j = arg;

	job_list_lock();
	TAILQ_REMOVE(&jobs, j, entry);
	job_list_unlock();
	log_info("job %s: stopped", j->name);
	job_free(j);
	job_changed();
	if (TAILQ_EMPTY(&jobs) && job_drained_cb != NULL)
		job_drained_cb();
}

/* Holds the reference of the last holder but the list of a finishing
 * job.  Finished if nothing took another meanwhile; else the next holder
 * to let go posts this again.  A stop meanwhile made it stopping: then
 * this reference may be the last. */
static void
job_finished_task(void *arg)
{
	struct job	*j = arg;

	if (atomic_load(&j->state) == JOB_FINISHING &&
	    atomic_load(&j->refs) == 2) {
		atomic_store(&j->state, JOB_FINISHED);
		log_info("job %s: finished", j->name);
		job_changed();
	}
	job_unref(j);
}

void
job_unref(struct job *j)
{
	int	refs = atomic_load(&j->refs);

	/*
	 * Letting go of a finishing job's last reference but the list's
	 * hands it to the main loop instead, which marks the job finished:
	 * with the reference the job cannot go meanwhile.  Only a holder
	 * takes a reference, so at 2 no one else can let go concurrently.
	 */
	do {
		if (refs == 2 && atomic_load(&j->state) == JOB_FINISHING) {
			if (loop_post(loop_main(), job_finished_task, j) == -1)
				fatalx("%s: cannot reach the main loop",
				    __func__);
			return;
		}
	} while (!atomic_compare_exchange_weak(&j->refs, &refs, refs - 1));
	if (refs != 1)
		return;
	/* The list is the main loop's: leave it there. */
	if (loop_post(loop_main(), job_destroy_task, j) == -1)
		fatalx("%s: cannot reach the main loop", __func__);
}

struct loop *
job_next_worker(struct job *j)
{
	return loop_worker(j->next_worker++ % (unsigned int)loop_nworkers());
}

struct counter_slot *
job_slot(struct job *j, struct loop *l)
{
	return &j->slots[loop_id(l)];
}

uint64_t
job_total(const struct job *j, enum counter c)
{
	uint64_t	sum = 0;
	int		i;

	for (i = 0; i < loop_nworkers(); i++)
		sum += atomic_load_explicit(&j->slots[i].v[c],
		    memory_order_relaxed);
	return sum;
}

void
job_latency(const struct job *j, struct hdr_sum *life,
    struct hdr_sum *window)
{
	struct hdr_sum	*s = life != NULL ? life : window;
	int		 i;

	hdr_sum_init(s);
	for (i = 0; i < loop_nworkers(); i++)
		hdr_sum_add(s, &j->slots[i].latency);
	if (window == NULL)
		return;
	if (window != s)
		memcpy(window, s, sizeof(*window));
	if (j->latency_base != NULL)
		hdr_sum_since(window, j->latency_base);
}

int
job_latency_reset(struct job *j)
{
	struct hdr_sum	*base;

	if ((base = malloc(sizeof(*base))) == NULL)
		return -1;
	job_latency(j, base, NULL);
	job_list_lock();
	free(j->latency_base);
	j->latency_base = base;
	job_list_unlock();
	return 0;
}

/*
 * The median and 99th percentile of the second since the last sample.
 * The sums are 31 KiB each: the job keeps the last one, and the main loop
 * (the only caller) two scratch sums for all jobs, taken once.
 */
static void
job_sample_latency(struct job *j)
{
	static struct hdr_sum	*now, *second;

	if (j->timing == NULL)
		return;
	if (now == NULL && (now = malloc(sizeof(*now))) == NULL)
		return;
	if (second == NULL && (second = malloc(sizeof(*second))) == NULL)
		return;
	/* The first sample's second is the job's life so far. */
	if (j->latency_prev == NULL) {
		if ((j->latency_prev = malloc(sizeof(*j->latency_prev))) == NULL)
			return;
		hdr_sum_init(j->latency_prev);
	}
	job_latency(j, now, NULL);
	memcpy(second, now, sizeof(*second));
	hdr_sum_since(second, j->latency_prev);
	j->latency_p50_1s = hdr_quantile(second, 0.5);
	j->latency_p99_1s = hdr_quantile(second, 0.99);
	memcpy(j->latency_prev, now, sizeof(*now));
}

/* The second just sampled, into the run's series. */
static void
job_sample_run(struct job *j, uint64_t now)
{
	uint64_t	v[JOB_SERIES_COUNT];

#define JOB_SERIES_SAMPLE(name, source, help)			\
	v[JOB_SERIES_##name] = j->source;
	JOB_SERIES(JOB_SERIES_SAMPLE)
#undef JOB_SERIES_SAMPLE
	job_run_sample(j->run, now, v);
}

/* A finished job's counters stand still: its rates fall to 0 and its
 * series ends at its finish. */
void
job_sample_all(double elapsed)
{
	struct job	*j;
	uint64_t	 now, mono = timerq_now();
	int		 c;

	/* The HTTP thread reads the rates (/api/stats) under this lock. */
	job_list_lock();
	TAILQ_FOREACH(j, &jobs, entry) {
		for (c = 0; c < CTR_COUNT; c++) {
			now = job_total(j, c);
			j->rate[c] = (uint64_t)((double)(now - j->last[c]) /
			    elapsed + 0.5);
			j->last[c] = now;
		}
		if (job_finished(j)) {
			j->latency_p50_1s = j->latency_p99_1s = 0;
			continue;
		}
		job_sample_latency(j);
		job_sample_run(j, mono);
	}
	job_list_unlock();
}

size_t
job_series_len(const struct job *j)
{
	return j->run->len;
}

const struct job_second *
job_series_at(const struct job *j, size_t i)
{
	return job_run_second(j->run, i);
}

const char *
job_state_name(const struct job *j)
{
	static const char *const names[] = {
		[JOB_RUNNING] = "running",
		[JOB_STOPPING] = "stopping",
		[JOB_FINISHING] = "finishing",
		[JOB_FINISHED] = "finished",
	};

	return names[atomic_load(&j->state)];
}

int
job_finished(const struct job *j)
{
	return atomic_load(&j->state) == JOB_FINISHED;
}

void
job_note_error(struct job *j, const char *fmt, ...)
{
	va_list	ap;

	pthread_mutex_lock(&j->notes.mu);
	va_start(ap, fmt);
	vsnprintf(j->notes.error, sizeof(j->notes.error), fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&j->notes.mu);
}

void
job_note_close(struct job *j, int code, const uint8_t *reason, size_t n)
{
	size_t	i;

	if (n >= sizeof(j->notes.close_reason))
		n = sizeof(j->notes.close_reason) - 1;
	pthread_mutex_lock(&j->notes.mu);
	j->notes.close_code = code;
	for (i = 0; i < n; i++)
		j->notes.close_reason[i] = reason[i] < 0x20 ||
		    reason[i] == 0x7f ? '?' : (char)reason[i];
	j->notes.close_reason[n] = '\0';
	pthread_mutex_unlock(&j->notes.mu);
}

void
job_notes_get(struct job *j, struct job_notes *out)
{
	pthread_mutex_lock(&j->notes.mu);
	memcpy(out->error, j->notes.error, sizeof(out->error));
	out->close_code = j->notes.close_code;
	memcpy(out->close_reason, j->notes.close_reason,
	    sizeof(out->close_reason));
	pthread_mutex_unlock(&j->notes.mu);
}
