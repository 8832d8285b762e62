/* SPDX-License-Identifier: ISC */

#include "config.h"

#include "args.h"
#include "cmd.h"
#include "job.h"

#define CMD_STOP_KEEP	0

static const struct args_opt cmd_stop_opts[] = {
	[CMD_STOP_KEEP] = ARGS_FLAG("--keep", "finish the job: close its "
	    "connections with 1000 and keep its report until it is stopped "
	    "again"),
	ARGS_END
};

/* --keep finishes a running job as the end of its --duration does; a
 * finished job is already kept. */
static int
cmd_stop_keep(struct cmd_ctx *ctx, struct job *j)
{
	if (atomic_load(&j->state) != JOB_RUNNING)
		return cmd_error(ctx, "stop --keep: job '%s' is %s, not "
		    "running", j->name, job_state_name(j));
	job_finish(j);
	cmd_print(ctx, "finishing %s", j->name);
	return 0;
}

static int
cmd_stop_exec(struct cmd_ctx *ctx, const struct args *a)
{
	struct job	*j;

	if (ctx->check)
		return 0;
	if ((j = job_find(a->pos[0])) == NULL)
		return cmd_error(ctx, "stop: no job named '%s'", a->pos[0]);
	if (a->present[CMD_STOP_KEEP])
		return cmd_stop_keep(ctx, j);
	/* A finishing or finished job goes: its report was the point. */
	if (atomic_load(&j->state) == JOB_STOPPING)
		return cmd_error(ctx, "stop: job '%s' is already stopping",
		    a->pos[0]);
	job_stop(j);
	cmd_print(ctx, "stopping %s", j->name);
	return 0;
}

const struct cmd_entry cmd_stop_entry = {
	.name = "stop",
	.args = { .opts = cmd_stop_opts, .min_pos = 1, .max_pos = 1,
	    .pos = "NAME" },
	.flags = 0,
	.exec = cmd_stop_exec,
};
