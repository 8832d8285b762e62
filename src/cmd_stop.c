/* SPDX-License-Identifier: ISC */

#include "config.h"

#include "args.h"
#include "cmd.h"
#include "job.h"

static int
cmd_stop_exec(struct cmd_ctx *ctx, const struct args *a)
{
	struct job	*j;

	if (ctx->check)
		return 0;
	if ((j = job_find(a->pos[0])) == NULL)
		return cmd_error(ctx, "stop: no job named '%s'", a->pos[0]);
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
	.args = { .min_pos = 1, .max_pos = 1, .pos = "NAME" },
	.flags = 0,
	.exec = cmd_stop_exec,
};
