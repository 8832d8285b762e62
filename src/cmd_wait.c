/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <stdio.h>

#include "args.h"
#include "cmd.h"
#include "job.h"
#include "verdict.h"

static const struct args_opt cmd_wait_opts[] = {
	ARGS_FLAG("-j", "JSON: the reports, requirements and verdict"),
	ARGS_FLAG("--series", "the per-second series too (wsbenchctl -o)"),
	ARGS_VALUE("--timeout", "S", "give up after S (exit status 3)"),
	ARGS_REPEAT("--require", "EXPR",
	    "a requirement: [JOB:]FIELD OP NUMBER[UNIT]"),
	ARGS_END
};
#define WAIT_OPT_JSON		0
#define WAIT_OPT_SERIES		1
#define WAIT_OPT_TIMEOUT	2
#define WAIT_OPT_REQUIRE	3

int
cmd_wait_options(struct verdict *v, const struct args *a, char *err,
    size_t errlen)
{
	const char	*expr[ARGS_MANY_MAX];
	uint64_t	 ns;
	int		 i, n;

	if (a->present[WAIT_OPT_TIMEOUT]) {
		if (args_duration("--timeout", a->value[WAIT_OPT_TIMEOUT], &ns,
		    err, errlen) == -1)
			return -1;
		verdict_timeout(v, ns);
	}
	n = args_values(a, WAIT_OPT_REQUIRE, expr, ARGS_MANY_MAX);
	for (i = 0; i < n; i++)
		if (verdict_require(v, expr[i], err, errlen) == -1)
			return -1;
	return 0;
}

/* The jobs named, or every job with --duration. */
static int
cmd_wait_jobs(struct verdict *v, const struct args *a, char *err,
    size_t errlen)
{
	struct job	*j;
	int		 i;

	if (a->npos == 0)
		return verdict_add_timed(v, err, errlen);
	for (i = 0; i < a->npos; i++) {
		if ((j = job_find(a->pos[i])) == NULL) {
			snprintf(err, errlen, "no job named '%s'", a->pos[i]);
			return -1;
		}
		if (verdict_add_job(v, j, 1, err, errlen) == -1)
			return -1;
	}
	return 0;
}

/* Everything is checked before anything waits: a wrong command exits 2. */
static int
cmd_wait_exec(struct cmd_ctx *ctx, const struct args *a)
{
	struct verdict	*v;
	char		 err[CMD_ERR_MAX / 2];

	if ((v = verdict_new(ctx->json || a->present[WAIT_OPT_JSON],
	    a->present[WAIT_OPT_SERIES], 0)) == NULL)
		return cmd_error(ctx, "wait: out of memory");
	if (cmd_wait_jobs(v, a, err, sizeof(err)) == -1 ||
	    cmd_wait_options(v, a, err, sizeof(err)) == -1 ||
	    verdict_check(v, err, sizeof(err)) == -1) {
		verdict_pending.free(v);
		ctx->status = 2;
		return cmd_error(ctx, "wait: %s", err);
	}
	ctx->pending.ops = &verdict_pending;
	ctx->pending.arg = v;
	return 0;
}

const struct cmd_entry cmd_wait_entry = {
	.name = "wait",
	.args = { .opts = cmd_wait_opts, .max_pos = ARGS_POS_MAX,
	    .pos = "[NAME]..." },
	.flags = CMD_CLIENT_ONLY | CMD_READONLY | CMD_STATUS,
	.exec = cmd_wait_exec,
};
