/* SPDX-License-Identifier: ISC */

#include "config.h"

#include "cmd.h"

static int
cmd_version_exec(struct cmd_ctx *ctx, const struct args *a)
{
	(void)a;
	cmd_print(ctx, "%s %s", PACKAGE_NAME, PACKAGE_VERSION);
	return 0;
}

const struct cmd_entry cmd_version_entry = {
	.name = "version",
	.flags = CMD_READONLY,
	.exec = cmd_version_exec,
};
