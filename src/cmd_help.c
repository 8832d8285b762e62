/* SPDX-License-Identifier: ISC */

#include "config.h"

#include "cmd.h"

static int
cmd_help_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (cmd_args_none(ctx, &cmd_help_entry, argc, argv) == -1)
		return -1;
	cmd_print_usage(ctx);
	return 0;
}

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.usage = "",
	.flags = CMD_READONLY,
	.exec = cmd_help_exec,
};
