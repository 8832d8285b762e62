/* SPDX-License-Identifier: ISC */

#include "config.h"

#include "args.h"
#include "cmd.h"
#include "settings.h"

static void
cmd_set_print(void *arg, const char *name, const char *value,
    const char *from)
{
	cmd_print(arg, "%-20s %-28s %s", name, value, from);
}

/*
 * In the config file, a setting is staged while the file is checked and
 * put in force once the whole file is good (settings.h); from wsbenchctl
 * it changes at once, if it can change at run time.  Alone, `set` shows
 * every setting with where its value comes from.
 */
static int
cmd_set_exec(struct cmd_ctx *ctx, const struct args *a)
{
	char	err[CMD_ERR_MAX / 2], usage[CMD_ERR_MAX / 4];
	int	rc = 0;

	if (a->npos == 1 || (a->npos == 0 && ctx->config)) {
		cmd_usage(ctx->entry, usage, sizeof(usage));
		return cmd_error(ctx, "set: missing %s (usage: %s)",
		    a->npos == 0 ? "NAME and VALUE" : "VALUE", usage);
	}
	if (a->npos == 0) {
		settings_each(cmd_set_print, ctx);
		return 0;
	}
	if (ctx->config)
		rc = settings_stage(a->pos[0], a->pos[1], err, sizeof(err));
	else if (!ctx->check)
		rc = settings_set(a->pos[0], a->pos[1], err, sizeof(err));
	return rc == -1 ? cmd_error(ctx, "set: %s", err) : 0;
}

const struct cmd_entry cmd_set_entry = {
	.name = "set",
	.args = { .max_pos = 2, .pos = "[NAME VALUE]" },
	.flags = 0,
	.exec = cmd_set_exec,
};
