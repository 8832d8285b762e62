/* SPDX-License-Identifier: ISC */

#include "config.h"

#include "args.h"
#include "cmd.h"
#include "job.h"

static const struct args_opt cmd_stop_opts[] = {
	{ NULL, 0 }
};

static int
cmd_stop_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct args	 a;
	struct job	*j;

	if (cmd_args(ctx, &cmd_stop_entry, cmd_stop_opts, argc - 1, argv + 1,
	    1, 1, &a) == -1)
		return -1;
	if (ctx->check)
		return 0;
	if ((j = job_find(a.pos[0])) == NULL)
		return cmd_error(ctx, "stop: no job named '%s'", a.pos[0]);
	if (atomic_load(&j->stopping))
		return cmd_error(ctx, "stop: job '%s' is already stopping",
		    a.pos[0]);
	job_stop(j);
	cmd_print(ctx, "stopping %s", j->name);
	return 0;
}

const struct cmd_entry cmd_stop_entry = {
	.name = "stop",
	.usage = "NAME",
	.flags = 0,
	.exec = cmd_stop_exec,
};
