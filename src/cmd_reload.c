/* SPDX-License-Identifier: ISC */

#include "config.h"

#include "cmd.h"
#include "reload.h"

static int
cmd_reload_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	char	msg[CMD_ERR_MAX / 2];

	if (cmd_args_none(ctx, &cmd_reload_entry, argc, argv) == -1)
		return -1;
	if (ctx->check)
		return 0;
	if (reload_run(msg, sizeof(msg)) == -1)
		return cmd_error(ctx, "reload refused: %s", msg);
	cmd_print(ctx, "%s", msg);
	return 0;
}

const struct cmd_entry cmd_reload_entry = {
	.name = "reload",
	.usage = "",
	.flags = CMD_CLIENT_ONLY,
	.exec = cmd_reload_exec,
};
