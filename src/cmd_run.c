/* SPDX-License-Identifier: ISC */
/*
 * `run FILE`: a CI step in one line.  The file (sent after the request
 * line, control_protocol.h) holds start lines and at most one wait line;
 * every line is checked before any job starts, then the jobs start in
 * order, the run waits as `wait` does, reports and judges, and removes
 * its jobs.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "args.h"
#include "cmd.h"
#include "config_file.h"
#include "job.h"
#include "verdict.h"

static const struct args_opt cmd_run_opts[] = {
	ARGS_FLAG("-j", "JSON: the reports, requirements and verdict"),
	ARGS_FLAG("--series", "the per-second series too (wsbenchctl -o)"),
	ARGS_VALUE("--timeout", "S", "give up after S (exit status 3)"),
	ARGS_END
};
#define RUN_OPT_JSON		0
#define RUN_OPT_SERIES		1
#define RUN_OPT_TIMEOUT		2

#define RUN_JOBS_MAX	VERDICT_JOBS_MAX

/* What the check of the file found, and the run while it starts. */
struct cmd_run_file {
	char		 names[RUN_JOBS_MAX][JOB_NAME_MAX + 1]; /* "": none */
	int		 timed[RUN_JOBS_MAX];	/* has --duration */
	size_t		 njobs, ntimed;
	unsigned int	 wait_line;	/* 0: none */
	char		 waited[ARGS_POS_MAX][JOB_NAME_MAX + 1];
	int		 nwaited;	/* 0: those with --duration */
	struct cmd_ctx	*ctx;
	struct verdict	*v;
	int		 failed;	/* a job failed to start */
};

/* The value of option name in a (parsed with any template); NULL when
 * absent, "" for a flag. */
static const char *
cmd_run_opt(const struct args *a, const char *name)
{
	const struct args_opt	*o = args_opts(a->tmpl);
	int			 i;

	for (i = 0; o[i].name != NULL; i++)
		if (strcmp(o[i].name, name) == 0 && a->present[i])
			return a->value[i] != NULL ? a->value[i] : "";
	return NULL;
}

/* A start line: valid as `wsbenchd -n` finds it, and its name free. */
static int
cmd_run_check_start(struct cmd_run_file *rf, int argc, char **argv,
    char *err, size_t errlen)
{
	struct args	 a;
	const char	*name;
	size_t		 i;

	if (config_file_run(argc, argv, 1, err, errlen) == -1 ||
	    cmd_args(cmd_entry_find("start"), argc, argv, &a, err,
	    errlen) == -1)
		return -1;
	if (rf->njobs == RUN_JOBS_MAX) {
		snprintf(err, errlen, "more than %d jobs", RUN_JOBS_MAX);
		return -1;
	}
	if ((name = cmd_run_opt(&a, "--name")) == NULL)
		name = "";
	else if (job_find(name) != NULL) {
		snprintf(err, errlen, "job '%s' already exists", name);
		return -1;
	}
	for (i = 0; *name != '\0' && i < rf->njobs; i++)
		if (strcmp(rf->names[i], name) == 0) {
			snprintf(err, errlen, "job '%s' twice in the file",
			    name);
			return -1;
		}
	snprintf(rf->names[rf->njobs], sizeof(rf->names[0]), "%s", name);
	rf->timed[rf->njobs] = cmd_run_opt(&a, "--duration") != NULL;
	rf->ntimed += rf->timed[rf->njobs++];
	return 0;
}

/* The wait line, read as `wait` reads it; its names kept. */
static int
cmd_run_check_wait(struct cmd_run_file *rf, unsigned int lineno, int argc,
    char **argv, char *err, size_t errlen)
{
	struct verdict	*scratch;
	struct args	 a;
	int		 i, rc;

	if (rf->wait_line != 0) {
		snprintf(err, errlen, "a second wait line (the first is line "
		    "%u)", rf->wait_line);
		return -1;
	}
	rf->wait_line = lineno;
	if (cmd_args(cmd_entry_find("wait"), argc, argv, &a, err,
	    errlen) == -1)
		return -1;
	for (i = 0; i < a.npos; i++)
		snprintf(rf->waited[i], sizeof(rf->waited[0]), "%s",
		    a.pos[i]);
	rf->nwaited = a.npos;
	if ((scratch = verdict_new(0, 0, 0)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rc = cmd_wait_options(scratch, &a, err, errlen);
	verdict_pending.free(scratch);
	return rc;
}

static int
cmd_run_check_line(void *arg, unsigned int lineno, int argc, char **argv,
    char *err, size_t errlen)
{
	if (strcmp(argv[0], "start") == 0)
		return cmd_run_check_start(arg, argc, argv, err, errlen);
	if (strcmp(argv[0], "wait") == 0)
		return cmd_run_check_wait(arg, lineno, argc, argv, err, errlen);
	snprintf(err, errlen, "'%s': a run file holds start lines and one "
	    "wait line", argv[0]);
	return -1;
}

/* The names of the wait line are jobs of the file; something finishes. */
static int
cmd_run_check_waited(struct cmd_run_file *rf, const char *file, char *err,
    size_t errlen)
{
	size_t	i;
	int	k;

	for (k = 0; k < rf->nwaited; k++) {
		for (i = 0; i < rf->njobs; i++)
			if (strcmp(rf->names[i], rf->waited[k]) == 0)
				break;
		if (i == rf->njobs) {
			snprintf(err, errlen, "%s:%u: wait: job '%s' is not "
			    "one the file starts", file, rf->wait_line,
			    rf->waited[k]);
			return -1;
		}
		if (!rf->timed[i]) {
			snprintf(err, errlen, "%s:%u: wait: job '%s' has no "
			    "--duration: it would never finish", file,
			    rf->wait_line, rf->waited[k]);
			return -1;
		}
	}
	if (rf->nwaited == 0 && rf->ntimed == 0) {
		snprintf(err, errlen, "%s: no job has --duration: nothing "
		    "would finish", file);
		return -1;
	}
	return 0;
}

/* Whether the run waits for job j: named on the wait line, or without
 * names, one with --duration. */
static int
cmd_run_waits_for(const struct cmd_run_file *rf, const struct job *j)
{
	int	k;

	if (rf->nwaited == 0)
		return j->duration_ns != 0;
	for (k = 0; k < rf->nwaited; k++)
		if (strcmp(rf->waited[k], j->name) == 0)
			return 1;
	return 0;
}

/* Starts a start line's job as `start` would from wsbenchctl; reads the
 * wait line's requirements into the verdict.  The first failure ends
 * the walk's work. */
static int
cmd_run_start_line(void *arg, unsigned int lineno, int argc, char **argv,
    char *err, size_t errlen)
{
	struct cmd_run_file	*rf = arg;
	struct cmd_ctx		 ctx;
	struct args		 a;
	struct job		*j;

	(void)lineno;
	if (rf->failed)
		return 0;
	if (strcmp(argv[0], "wait") == 0) {
		if (cmd_args(cmd_entry_find("wait"), argc, argv, &a, err,
		    errlen) == -1 || cmd_wait_options(rf->v, &a, err,
		    errlen) == -1)
			rf->failed = 1;
		return rf->failed ? -1 : 0;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.client = rf->ctx->client;
	if (cmd_exec(&ctx, argc, argv) == -1) {
		snprintf(err, errlen, "%s", ctx.err);
		rf->failed = 1;
		return -1;
	}
	/* A job joins the list at its end. */
	j = TAILQ_LAST(job_list(), job_list);
	if (verdict_add_job(rf->v, j, cmd_run_waits_for(rf, j), err,
	    errlen) == -1) {
		job_stop(j);
		rf->failed = 1;
		return -1;
	}
	return 0;
}

/* A wrong file exits 2, a job that fails to start 3; either way no job
 * of the run stays. */
static int
cmd_run_fail(struct cmd_ctx *ctx, struct verdict *v, int status,
    const char *err)
{
	if (v != NULL)
		verdict_pending.free(v);
	ctx->status = status;
	return cmd_error(ctx, "run: %s", err);
}

static int
cmd_run_exec(struct cmd_ctx *ctx, const struct args *a)
{
	struct cmd_run_file	rf;
	const char		*file = a->pos[0];
	char			 err[CMD_ERR_MAX / 2];
	uint64_t		 ns = 0;

	memset(&rf, 0, sizeof(rf));
	rf.ctx = ctx;
	if (a->present[RUN_OPT_TIMEOUT] && args_duration("--timeout",
	    a->value[RUN_OPT_TIMEOUT], &ns, err, sizeof(err)) == -1)
		return cmd_run_fail(ctx, NULL, 2, err);
	if (config_file_each_text(file, ctx->body, ctx->body_len,
	    cmd_run_check_line, &rf, err, sizeof(err)) != 0 ||
	    cmd_run_check_waited(&rf, file, err, sizeof(err)) == -1)
		return cmd_run_fail(ctx, NULL, 2, err);
	if ((rf.v = verdict_new(ctx->json || a->present[RUN_OPT_JSON],
	    a->present[RUN_OPT_SERIES], 1)) == NULL)
		return cmd_run_fail(ctx, NULL, 3, "out of memory");
	if (config_file_each_text(file, ctx->body, ctx->body_len,
	    cmd_run_start_line, &rf, err, sizeof(err)) != 0)
		return cmd_run_fail(ctx, rf.v, 3, err);
	if (verdict_check(rf.v, err, sizeof(err)) == -1)
		return cmd_run_fail(ctx, rf.v, 2, err);
	/* Its own --timeout over the wait line's. */
	if (ns != 0)
		verdict_timeout(rf.v, ns);
	ctx->pending.ops = &verdict_pending;
	ctx->pending.arg = rf.v;
	return 0;
}

const struct cmd_entry cmd_run_entry = {
	.name = "run",
	.args = { .opts = cmd_run_opts, .min_pos = 1, .max_pos = 1,
	    .pos = "FILE" },
	.flags = CMD_CLIENT_ONLY | CMD_STATUS | CMD_BODY,
	.exec = cmd_run_exec,
};
