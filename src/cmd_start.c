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

/* The kinds of start are the job kinds, each with its own options. */
static const struct args_template *
cmd_start_kind(size_t i, const char **name, const char **help)
{
	const struct job_kind	*k;

	if ((k = job_kind_at(i)) == NULL)
		return NULL;
	*name = k->name;
	*help = k->help;
	return &k->args;
}

static int
cmd_start_exec(struct cmd_ctx *ctx, const struct args *a)
{
	struct job	*j;
	char		 err[CMD_ERR_MAX / 2];

	if (job_create(a, ctx->check, &j, err, sizeof(err)) == -1)
		return cmd_error(ctx, "start: %s", err);
	if (j == NULL)
		return 0;
	if (ctx->config && cmd_start_remember(j, ctx->argc, ctx->argv) == -1) {
		job_stop(j);
		return cmd_error(ctx, "start: out of memory");
	}
	cmd_print(ctx, "started %s: %s %s", j->name, j->kind->name,
	    j->kind->target(j));
	return 0;
}

const struct cmd_entry cmd_start_entry = {
	.name = "start",
	.args = { .min_pos = 1, .pos = "KIND [OPTION]..." },
	.kind = cmd_start_kind,
	.kind_noun = "job kind",
	.flags = 0,
	.exec = cmd_start_exec,
};
