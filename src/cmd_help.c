/* SPDX-License-Identifier: ISC */
/*
 * help: every command with its usage, a line each; help COMMAND or help
 * KIND: that one's usage and each option with what it does.  All of it
 * comes from the commands' and kinds' argument templates.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "args.h"
#include "cmd.h"

#define CMD_HELP_LINE	1024

/* "  --port N     the TCP port ... (0 to 65535)" for each option. */
static void
cmd_help_opts(struct cmd_ctx *ctx, const struct args_template *t)
{
	const struct args_opt	*o;
	char			 u[64], range[64];

	for (o = args_opts(t); o->name != NULL; o++) {
		u[0] = range[0] = '\0';
		args_opt_usage(o, u, sizeof(u));
		if (o->number)
			snprintf(range, sizeof(range), " (%lu to %lu)", o->min,
			    o->max);
		cmd_print(ctx, "  %-26s %s%s%s", u,
		    o->help != NULL ? o->help : "", range,
		    o->takes_value == ARGS_MANY ? ", again for more" : "");
	}
}

/* A kind of e: "start push [--name NAME]...", what it is, its options. */
static void
cmd_help_kind(struct cmd_ctx *ctx, const struct cmd_entry *e,
    const char *name, const char *help, const struct args_template *t)
{
	char	line[CMD_HELP_LINE];

	snprintf(line, sizeof(line), "%s %s ", e->name, name);
	args_usage(t, line, sizeof(line));
	cmd_print(ctx, "%s", line);
	cmd_print(ctx, "  %s", help);
	cmd_help_opts(ctx, t);
}

/* help COMMAND, or for a command with kinds, each of them. */
static void
cmd_help_entry_print(struct cmd_ctx *ctx, const struct cmd_entry *e)
{
	const struct args_template	*t;
	const char			*name, *help;
	char				 line[CMD_HELP_LINE];
	size_t				 i;

	if (e->kind == NULL) {
		cmd_usage(e, line, sizeof(line));
		cmd_print(ctx, "%s", line);
		cmd_help_opts(ctx, &e->args);
		return;
	}
	for (i = 0; (t = e->kind(i, &name, &help)) != NULL; i++) {
		if (i > 0)
			cmd_print(ctx, "%s", "");
		cmd_help_kind(ctx, e, name, help, t);
	}
}

/* help KIND: the kind of whichever command has it. */
static int
cmd_help_kind_find(struct cmd_ctx *ctx, const char *word)
{
	const struct cmd_entry		*e;
	const struct args_template	*t;
	const char			*name, *help;
	size_t				 i, k;

	for (i = 0; (e = cmd_entry_at(i)) != NULL; i++)
		for (k = 0; e->kind != NULL &&
		    (t = e->kind(k, &name, &help)) != NULL; k++)
			if (strcmp(name, word) == 0) {
				cmd_help_kind(ctx, e, name, help, t);
				return 0;
			}
	return -1;
}

static int
cmd_help_exec(struct cmd_ctx *ctx, const struct args *a)
{
	const struct cmd_entry	*e;
	char			 line[CMD_HELP_LINE];
	size_t			 i;

	if (a->npos == 1) {
		if ((e = cmd_entry_find(a->pos[0])) != NULL)
			cmd_help_entry_print(ctx, e);
		else if (cmd_help_kind_find(ctx, a->pos[0]) == -1)
			return cmd_error(ctx, "help: no command or kind named "
			    "'%s'", a->pos[0]);
		return 0;
	}
	for (i = 0; (e = cmd_entry_at(i)) != NULL; i++) {
		cmd_usage(e, line, sizeof(line));
		cmd_print(ctx, "%s", line);
	}
	return 0;
}

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.args = { .max_pos = 1, .pos = "[COMMAND | KIND]" },
	.flags = CMD_READONLY,
	.exec = cmd_help_exec,
};
