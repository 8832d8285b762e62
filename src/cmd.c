/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>

#include "args.h"
#include "cmd.h"
#include "cmd_parse.h"

/* Given by the daemon (cmd_set_table()): the commands know this file,
 * not it them. */
static const struct cmd_entry *const	*cmd_table;
static size_t				 cmd_ntable;

void
cmd_set_table(const struct cmd_entry *const *table, size_t n)
{
	cmd_table = table;
	cmd_ntable = n;
}

/* "valid: start stop ...", bgpctl style, for an unknown word; those
 * with all of flags. */
static void
cmd_names(char *out, size_t cap, int flags)
{
	size_t	i, len = 0;

	out[0] = '\0';
	for (i = 0; i < cmd_ntable && len < cap; i++)
		if ((cmd_table[i]->flags & flags) == flags)
			len += (size_t)snprintf(out + len, cap - len, "%s%s",
			    len > 0 ? " " : "", cmd_table[i]->name);
}

int
cmd_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	char	*v[CMD_ARGS_MAX + 1];
	char	 names[128];
	size_t	 i;

	ctx->err[0] = '\0';
	if (argc < 1)
		return 0;
	/* wsbenchctl -j puts -j after the command name, for any command;
	 * those with a JSON form use it.  The caller's argv stays whole. */
	if (argc > 1 && strcmp(argv[1], "-j") == 0) {
		if (argc > CMD_ARGS_MAX)
			return cmd_error(ctx, "too many words");
		ctx->json = 1;
		v[0] = argv[0];
		memcpy(v + 1, argv + 2, (size_t)(argc - 1) * sizeof(*v));
		argc--;
		argv = v;
	}
	for (i = 0; i < cmd_ntable; i++) {
		if (strcmp(cmd_table[i]->name, argv[0]) != 0)
			continue;
		if ((cmd_table[i]->flags & CMD_CLIENT_ONLY) &&
		    ctx->client == NULL)
			return cmd_error(ctx, "%s: only for wsbenchctl",
			    argv[0]);
		if (ctx->readonly && !(cmd_table[i]->flags & CMD_READONLY)) {
			cmd_names(names, sizeof(names), CMD_READONLY);
			return cmd_error(ctx, "%s: permission denied: the read "
			    "group may run only %s", argv[0], names);
		}
		return cmd_table[i]->exec(ctx, argc, argv);
	}
	cmd_names(names, sizeof(names), 0);
	return cmd_error(ctx, "unknown command '%s' (valid: %s)", argv[0],
	    names);
}

void
cmd_print(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list	ap;

	if (ctx->out == NULL)
		return;
	va_start(ap, fmt);
	evbuffer_add_vprintf(ctx->out, fmt, ap);
	va_end(ap);
	evbuffer_add(ctx->out, "\n", 1);
}

int
cmd_error(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(ctx->err, sizeof(ctx->err), fmt, ap);
	va_end(ap);
	return -1;
}

void
cmd_print_usage(struct cmd_ctx *ctx)
{
	size_t	i;

	for (i = 0; i < cmd_ntable; i++)
		cmd_print(ctx, "%s%s%s", cmd_table[i]->name,
		    *cmd_table[i]->usage != '\0' ? " " : "",
		    cmd_table[i]->usage);
}

int
cmd_args(struct cmd_ctx *ctx, const struct cmd_entry *e,
    const struct args_opt *opts, int argc, char **argv, int min_pos,
    int max_pos, struct args *a)
{
	char	err[CMD_ERR_MAX / 2];

	if (args_parse(opts, argc, argv, min_pos, max_pos, a, err,
	    sizeof(err)) == -1)
		return cmd_error(ctx, "%s: %s (usage: %s%s%s)", e->name, err,
		    e->name, *e->usage != '\0' ? " " : "", e->usage);
	return 0;
}

int
cmd_args_none(struct cmd_ctx *ctx, const struct cmd_entry *e, int argc,
    char **argv)
{
	static const struct args_opt	none[] = { { NULL, 0 } };
	struct args			a;

	return cmd_args(ctx, e, none, argc - 1, argv + 1, 0, 0, &a);
}
