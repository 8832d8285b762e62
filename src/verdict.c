/* SPDX-License-Identifier: ISC */
/*
 * Waiting for jobs to finish and judging them (verdict.h).
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>

#include "cmd.h"
#include "job.h"
#include "job_run.h"
#include "json.h"
#include "require.h"
#include "require_field.h"
#include "series_view.h"
#include "verdict.h"

/*
 * A job by its name and identity, not by a reference: a finishing job
 * becomes finished once only the list holds it (job.h).  The job is the
 * one it was while the list holds that address under that name, started
 * at that time.
 */
struct verdict_job {
	char		 name[JOB_NAME_MAX + 1];
	const struct job *id;
	uint64_t	 start_ns;
	int		 waited;
};

struct verdict {
	int			 json, series, run;
	size_t			 njobs, nreq;
	struct verdict_job	 jobs[VERDICT_JOBS_MAX];
	struct require		 req[VERDICT_REQUIRE_MAX];
	uint64_t		 deadline;	/* CLOCK_MONOTONIC ns; 0: none */
	uint64_t		 timeout;
	int			 interrupted;
	/* Why it stopped waiting before its jobs finished: judged not. */
	char			 why[CMD_ERR_MAX / 2];
};

static uint64_t
verdict_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

struct verdict *
verdict_new(int json, int series, int run)
{
	struct verdict	*v;

	if ((v = calloc(1, sizeof(*v))) == NULL)
		return NULL;
	v->json = json;
	v->series = series;
	v->run = run;
	return v;
}

/* The job of vj while it is in the list; NULL once removed. */
static struct job *
verdict_get(const struct verdict_job *vj)
{
	struct job	*j = job_find(vj->name);

	if (j == NULL || j != vj->id || j->run->start_ns != vj->start_ns)
		return NULL;
	return j;
}

static void
verdict_free(void *arg)
{
	struct verdict	*v = arg;
	struct job	*j;
	size_t		 i;

	for (i = 0; v->run && i < v->njobs; i++)
		if ((j = verdict_get(&v->jobs[i])) != NULL)
			job_stop(j);
	free(v);
}

static struct verdict_job *
verdict_job(struct verdict *v, const char *name)
{
	size_t	i;

	for (i = 0; i < v->njobs; i++)
		if (strcmp(v->jobs[i].name, name) == 0)
			return &v->jobs[i];
	return NULL;
}

int
verdict_add_job(struct verdict *v, struct job *j, int waited, char *err,
    size_t errlen)
{
	struct verdict_job	*vj;

	if ((vj = verdict_job(v, j->name)) != NULL) {
		vj->waited |= waited;
		return 0;
	}
	if (waited && j->duration_ns == 0) {
		snprintf(err, errlen, "job '%s' has no --duration: it would "
		    "never finish", j->name);
		return -1;
	}
	if (v->njobs == VERDICT_JOBS_MAX) {
		snprintf(err, errlen, "more than %d jobs", VERDICT_JOBS_MAX);
		return -1;
	}
	vj = &v->jobs[v->njobs++];
	snprintf(vj->name, sizeof(vj->name), "%s", j->name);
	vj->id = j;
	vj->start_ns = j->run->start_ns;
	vj->waited = waited;
	return 0;
}

int
verdict_add_timed(struct verdict *v, char *err, size_t errlen)
{
	struct job	*j;

	TAILQ_FOREACH(j, job_list(), entry)
		if (j->duration_ns != 0 &&
		    verdict_add_job(v, j, 1, err, errlen) == -1)
			return -1;
	if (v->njobs == 0) {
		snprintf(err, errlen, "no job has --duration: nothing would "
		    "finish");
		return -1;
	}
	return 0;
}

int
verdict_require(struct verdict *v, const char *expr, char *err,
    size_t errlen)
{
	if (v->nreq == VERDICT_REQUIRE_MAX) {
		snprintf(err, errlen, "more than %d requirements",
		    VERDICT_REQUIRE_MAX);
		return -1;
	}
	if (require_parse(expr, require_field_kind, &v->req[v->nreq], err,
	    errlen) == -1)
		return -1;
	v->nreq++;
	return 0;
}

/* Whether requirement r applies to job vj: the job it names, or each
 * job waited for. */
static int
verdict_applies(const struct require *r, const struct verdict_job *vj)
{
	if (r->job[0] != '\0')
		return strcmp(r->job, vj->name) == 0;
	return vj->waited;
}

int
verdict_check(struct verdict *v, char *err, size_t errlen)
{
	struct require_fields	*fs;
	struct job		*j;
	size_t			 i, k;
	int			 rc = -1;

	if ((fs = malloc(sizeof(*fs))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (k = 0; k < v->nreq; k++)
		if (v->req[k].job[0] != '\0' &&
		    verdict_job(v, v->req[k].job) == NULL) {
			snprintf(err, errlen, "requirement '%s': job '%s' is "
			    "not one of the jobs waited for", v->req[k].expr,
			    v->req[k].job);
			goto out;
		}
	for (i = 0; i < v->njobs; i++) {
		if ((j = verdict_get(&v->jobs[i])) == NULL)
			continue;
		require_fields_get(j, fs);
		for (k = 0; k < v->nreq; k++)
			if (verdict_applies(&v->req[k], &v->jobs[i]) &&
			    require_fields_find(fs, j, v->req[k].field) ==
			    NULL) {
				snprintf(err, errlen, "requirement '%s': job "
				    "'%s' has no field '%s'", v->req[k].expr,
				    j->name, v->req[k].field);
				goto out;
			}
	}
	rc = 0;
out:
	free(fs);
	return rc;
}

void
verdict_timeout(struct verdict *v, uint64_t ns)
{
	v->timeout = ns;
	v->deadline = verdict_now() + ns;
}

static uint64_t
verdict_left(void *arg)
{
	struct verdict	*v = arg;
	uint64_t	 now;

	if (v->deadline == 0 || v->why[0] != '\0')
		return 0;
	now = verdict_now();
	return v->deadline > now ? v->deadline - now : 1;
}

static void
verdict_interrupt(void *arg)
{
	((struct verdict *)arg)->interrupted = 1;
}

/* Whether it should stop waiting, and why, in v->why. */
static int
verdict_give_up(struct verdict *v)
{
	struct job	*j;
	size_t		 i;

	if (v->why[0] != '\0')
		return 1;
	if (v->interrupted)
		snprintf(v->why, sizeof(v->why), "interrupted");
	else if (v->deadline != 0 && verdict_now() >= v->deadline)
		snprintf(v->why, sizeof(v->why), "timed out after %.3g s",
		    (double)v->timeout / 1e9);
	for (i = 0; v->why[0] == '\0' && i < v->njobs; i++)
		if (verdict_get(&v->jobs[i]) == NULL)
			snprintf(v->why, sizeof(v->why), "job '%s' was removed "
			    "while waited for", v->jobs[i].name);
	if (v->why[0] == '\0')
		return 0;
	/* A run stops its jobs now, and reports them once finished. */
	for (i = 0; v->run && i < v->njobs; i++)
		if ((j = verdict_get(&v->jobs[i])) != NULL)
			job_finish(j);
	return 1;
}

/* Whether every job it waits for has finished: once it gave up, a run
 * waits for all its jobs. */
static int
verdict_all_finished(const struct verdict *v, int all)
{
	struct job	*j;
	size_t		 i;

	for (i = 0; i < v->njobs; i++)
		if ((all || v->jobs[i].waited) &&
		    (j = verdict_get(&v->jobs[i])) != NULL && !job_finished(j))
			return 0;
	return 1;
}

static void
verdict_report(struct verdict *v, struct evbuffer *out)
{
	struct job	*j;
	const char	*sep = "";
	size_t		 i;

	for (i = 0; i < v->njobs; i++) {
		if ((j = verdict_get(&v->jobs[i])) == NULL)
			continue;
		if (v->json) {
			evbuffer_add_printf(out, "%s", sep);
			cmd_stats_json_job(out, j);
			sep = ",";
			continue;
		}
		if (*sep != '\0')
			evbuffer_add_printf(out, "\n");
		cmd_stats_text_job(out, j);
		sep = "\n";
	}
}

/* One requirement on one job, as a line or a JSON object; whether it
 * held (a value the report shows as "none" does not). */
static int
verdict_judge_one(struct verdict *v, const struct require *r,
    struct job *j, const struct require_fields *fs, struct evbuffer *out,
    const char *sep)
{
	const struct require_field	*f;
	char				 text[64];
	int				 held = 0;

	f = require_fields_find(fs, j, r->field);
	if (f != NULL && f->valid) {
		held = require_held(r, f->value);
		require_format(text, sizeof(text), r, f->value);
	} else
		snprintf(text, sizeof(text), "none");
	if (!v->json) {
		evbuffer_add_printf(out, "requirement %s %s: %s, %s\n",
		    j->name, r->expr, text, held ? "held" : "FAILED");
		return held;
	}
	evbuffer_add_printf(out, "%s{\"job\":", sep);
	json_string(out, j->name);
	evbuffer_add_printf(out, ",\"expr\":");
	json_string(out, r->expr);
	if (f == NULL || !f->valid)
		evbuffer_add_printf(out, ",\"value\":null");
	else if (r->kind == REQUIRE_TIME)
		evbuffer_add_printf(out, ",\"value\":%.3f", f->value / 1e3);
	else
		evbuffer_add_printf(out, ",\"value\":%.15g", f->value);
	evbuffer_add_printf(out, ",\"unit\":%s,\"held\":%s}",
	    r->kind == REQUIRE_TIME ? "\"us\"" : "null",
	    held ? "true" : "false");
	return held;
}

/* Every requirement on every job it applies to; returns how many
 * failed, and their number in *total. */
static size_t
verdict_judge(struct verdict *v, struct evbuffer *out, size_t *total)
{
	struct require_fields	*fs;
	struct job		*j;
	size_t			 i, k, failed = 0;
	const char		*sep = "";

	*total = 0;
	if ((fs = malloc(sizeof(*fs))) == NULL)
		return 0;
	for (i = 0; i < v->njobs; i++) {
		if ((j = verdict_get(&v->jobs[i])) == NULL)
			continue;
		require_fields_get(j, fs);
		for (k = 0; k < v->nreq; k++) {
			if (!verdict_applies(&v->req[k], &v->jobs[i]))
				continue;
			(*total)++;
			if (!verdict_judge_one(v, &v->req[k], j, fs, out,
			    sep))
				failed++;
			sep = ",";
		}
	}
	free(fs);
	return failed;
}

static void
verdict_series(struct verdict *v, struct evbuffer *series)
{
	struct job	*j;
	size_t		 i;
	int		 header = 1;

	for (i = 0; i < v->njobs; i++) {
		if ((j = verdict_get(&v->jobs[i])) == NULL)
			continue;
		series_csv(series, j, header, 1);
		header = 0;
	}
}

/* The reply once the jobs finished: reports, requirements, verdict. */
static void
verdict_reply(struct verdict *v, struct cmd_done *done)
{
	const char	*verdict;
	size_t		 failed, total;

	if (v->json)
		evbuffer_add_printf(done->out, "{\"jobs\":[");
	verdict_report(v, done->out);
	if (v->json)
		evbuffer_add_printf(done->out, "],\"requirements\":[");
	else
		evbuffer_add_printf(done->out, "\n");
	failed = verdict_judge(v, done->out, &total);
	verdict = v->why[0] != '\0' ? "not judged" : failed > 0 ? "fail" :
	    "pass";
	if (v->json)
		evbuffer_add_printf(done->out, "],\"verdict\":\"%s\"}\n",
		    verdict);
	else
		evbuffer_add_printf(done->out, "verdict %s\n", verdict);
	if (v->series)
		verdict_series(v, done->series);
	if (v->why[0] != '\0') {
		done->status = 3;
		snprintf(done->err, sizeof(done->err), "%s", v->why);
	} else if (failed > 0) {
		done->status = 1;
		snprintf(done->err, sizeof(done->err), "%zu of %zu "
		    "requirements failed", failed, total);
	}
}

static int
verdict_poll(void *arg, struct cmd_done *done)
{
	struct verdict	*v = arg;
	int		 gave_up = verdict_give_up(v);

	/* wait only waits: giving up, it has nothing to report. */
	if (gave_up && !v->run) {
		done->status = 3;
		snprintf(done->err, sizeof(done->err), "%s", v->why);
		return 1;
	}
	if (!verdict_all_finished(v, gave_up))
		return 0;
	verdict_reply(v, done);
	return 1;
}

const struct cmd_pending_ops verdict_pending = {
	.poll = verdict_poll,
	.interrupt = verdict_interrupt,
	.left = verdict_left,
	.free = verdict_free,
};
