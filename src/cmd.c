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

const struct cmd_entry *
cmd_entry_at(size_t i)
{
	return i < cmd_ntable ? cmd_table[i] : NULL;
}

const struct cmd_entry *
cmd_entry_find(const char *name)
{
	size_t	i;

	for (i = 0; i < cmd_ntable; i++)
		if (strcmp(cmd_table[i]->name, name) == 0)
			return cmd_table[i];
	return NULL;
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

void
cmd_usage(const struct cmd_entry *e, char *out, size_t cap)
{
	size_t	len;

	len = (size_t)snprintf(out, cap, "%s ", e->name);
	args_usage(&e->args, out, cap);
	/* No argument at all: no blank after the name. */
	if (len < cap && out[len] == '\0')
		out[len - 1] = '\0';
}

/* The template of e's kind named word; or NULL with a message naming the
 * valid kinds in err. */
static const struct args_template *
cmd_kind_find(const struct cmd_entry *e, const char *word, char *err,
    size_t errlen)
{
	const struct args_template	*t;
	const char			*name, *help;
	char				 names[128];
	size_t				 i, len = 0;

	names[0] = '\0';
	for (i = 0; (t = e->kind(i, &name, &help)) != NULL; i++) {
		if (word != NULL && strcmp(name, word) == 0)
			return t;
		if (len < sizeof(names))
			len += (size_t)snprintf(names + len, sizeof(names) -
			    len, "%s%s", len > 0 ? " " : "", name);
	}
	if (word == NULL)
		snprintf(err, errlen, "missing %s (valid: %s)", e->kind_noun,
		    names);
	else
		snprintf(err, errlen, "unknown %s '%s' (valid: %s)",
		    e->kind_noun, word, names);
	return NULL;
}

int
cmd_args(const struct cmd_entry *e, int argc, char **argv, struct args *a,
    char *err, size_t errlen)
{
	const struct args_template	*t;
	char				 msg[CMD_ERR_MAX / 2];
	char				 usage[CMD_ERR_MAX / 2];

	/* A kind's own message already lists what is valid. */
	if (e->kind != NULL) {
		if ((t = cmd_kind_find(e, argc > 1 ? argv[1] : NULL, err,
		    errlen)) == NULL)
			return -1;
		return args_parse(t, argc - 2, argv + 2, a, err, errlen);
	}
	if (args_parse(&e->args, argc - 1, argv + 1, a, msg,
	    sizeof(msg)) == -1) {
		cmd_usage(e, usage, sizeof(usage));
		snprintf(err, errlen, "%s (usage: %s)", msg, usage);
		return -1;
	}
	return 0;
}

/* Whether a gives an option of e's writes; its name in out. */
static int
cmd_writing(const struct cmd_entry *e, const struct args *a, char *out,
    size_t cap)
{
	const struct args_opt	*o = args_opts(&e->args);
	int			 i;

	for (i = 0; o[i].name != NULL; i++)
		if ((e->writes & (1u << i)) && a->present[i]) {
			snprintf(out, cap, "%s", o[i].name);
			return 1;
		}
	return 0;
}

int
cmd_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry	*e;
	struct args		 a;
	char			*v[CMD_ARGS_MAX + 1];
	char			 names[128], err[CMD_ERR_MAX - 16];

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
	if ((e = cmd_entry_find(argv[0])) == NULL) {
		cmd_names(names, sizeof(names), 0);
		return cmd_error(ctx, "unknown command '%s' (valid: %s)",
		    argv[0], names);
	}
	if ((e->flags & CMD_CLIENT_ONLY) && ctx->client == NULL)
		return cmd_error(ctx, "%s: only for wsbenchctl", argv[0]);
	if (ctx->readonly && !(e->flags & CMD_READONLY)) {
		cmd_names(names, sizeof(names), CMD_READONLY);
		return cmd_error(ctx, "%s: permission denied: the read "
		    "group may run only %s", argv[0], names);
	}
	if (cmd_args(e, argc, argv, &a, err, sizeof(err)) == -1) {
		if (e->flags & CMD_STATUS)
			ctx->status = 2;
		return cmd_error(ctx, "%s: %s", e->name, err);
	}
	if (ctx->readonly && cmd_writing(e, &a, names, sizeof(names)))
		return cmd_error(ctx, "%s: permission denied: the read group "
		    "may not give %s", argv[0], names);
	ctx->entry = e;
	ctx->argc = argc;
	ctx->argv = argv;
	return e->exec(ctx, &a);
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
