/* SPDX-License-Identifier: ISC */

#include "config.h"

#include "cmd.h"
#include "reload.h"

static int
cmd_reload_exec(struct cmd_ctx *ctx, const struct args *a)
{
	char	msg[CMD_ERR_MAX - 16];

	(void)a;
	if (ctx->check)
		return 0;
	switch (reload_run(msg, sizeof(msg))) {
	case -1:
		return cmd_error(ctx, "reload refused: %s", msg);
	case 1:
		/* Applied, but short of a job: the reply is an error. */
		return cmd_error(ctx, "%s", msg);
	}
	cmd_print(ctx, "%s", msg);
	return 0;
}

const struct cmd_entry cmd_reload_entry = {
	.name = "reload",
	.flags = CMD_CLIENT_ONLY,
	.exec = cmd_reload_exec,
};
