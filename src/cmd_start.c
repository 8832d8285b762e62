#include "config.h"

#include "cmd.h"
#include "job.h"

static int
cmd_start_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct job	*j;
	char		 err[CMD_ERR_MAX / 2];

	if (job_create(argc - 1, argv + 1, ctx->check, &j, err,
	    sizeof(err)) == -1)
		return cmd_error(ctx, "start: %s", err);
	if (j != NULL)
		cmd_print(ctx, "started %s: %s %s", j->name, j->kind->name,
		    j->kind->target(j));
	return 0;
}

const struct cmd_entry cmd_start_entry = {
	.name = "start",
	.usage = "push [--msg TEXT | --size N] [--binary] [--port N] "
	    "[--bind ADDR] [--name NAME] [--max-message N] | "
	    "recv URL [--connections N] [--name NAME] [--max-message N]",
	.flags = 0,
	.exec = cmd_start_exec,
};
