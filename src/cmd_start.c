/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd_parse.h"
#include "job.h"

/* A job of the config file keeps its line, in one spelling, so that a
 * reload can tell whether the file still says the same. */
static int
cmd_start_remember(struct job *j, int argc, char **argv)
{
	char	line[CMD_LINE_MAX];

	if (cmd_quote_argv(argc, argv, line, sizeof(line)) == -1 ||
	    (j->config_line = strdup(line)) == NULL)
		return -1;
	return 0;
}

static int
cmd_start_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct job	*j;
	char		 err[CMD_ERR_MAX / 2];

	if (job_create(argc - 1, argv + 1, ctx->check, &j, err,
	    sizeof(err)) == -1)
		return cmd_error(ctx, "start: %s", err);
	if (j == NULL)
		return 0;
	if (ctx->config && cmd_start_remember(j, argc, argv) == -1) {
		job_stop(j);
		return cmd_error(ctx, "start: out of memory");
	}
	cmd_print(ctx, "started %s: %s %s", j->name, j->kind->name,
	    j->kind->target(j));
	return 0;
}

const struct cmd_entry cmd_start_entry = {
	.name = "start",
	.usage = "push [--msg TEXT | --size N] [--binary] [--port N] "
	    "[--bind ADDR] [--tls-cert FILE --tls-key FILE] [--deflate] "
	    "[--name NAME] [--max-message N] | "
	    "recv URL [--connections N] [--header 'NAME: VALUE']... "
	    "[--protocol NAME]... [--origin ORIGIN] [--ca FILE | --insecure] "
	    "[--deflate | --deflate-offer PARAMS] [--name NAME] "
	    "[--max-message N] | "
	    "echo [--port N] [--bind ADDR] [--tls-cert FILE --tls-key FILE] "
	    "[--deflate] [--name NAME] [--max-message N]",
	.flags = 0,
	.exec = cmd_start_exec,
};
