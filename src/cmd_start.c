/* SPDX-License-Identifier: ISC */

#include "config.h"

#include "cmd.h"
#include "cmd_parse.h"
#include "job.h"

/*
 * A job of the config file keeps its line, in one spelling, so that a
 * reload can tell whether the file still says the same.  The spelling
 * gets a buffer of its own size: a file line has no length limit, and
 * quoting may make it four times longer, so a fixed buffer would fail
 * here lines that `wsbenchd -n` passed.  Only memory can fail it: a file
 * line is text (config_file.c), so no word holds a CR or a newline.
 */
static int
cmd_start_remember(struct job *j, int argc, char **argv)
{
	return (j->config_line = cmd_quote_argv_dup(argc, argv)) == NULL ?
	    -1 : 0;
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
