/* SPDX-License-Identifier: ISC */

#include "config.h"

#include "cmd.h"

static int
cmd_version_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (cmd_args_none(ctx, &cmd_version_entry, argc, argv) == -1)
		return -1;
	cmd_print(ctx, "%s %s", PACKAGE_NAME, PACKAGE_VERSION);
	return 0;
}

const struct cmd_entry cmd_version_entry = {
	.name = "version",
	.usage = "",
	.flags = CMD_READONLY,
	.exec = cmd_version_exec,
};
