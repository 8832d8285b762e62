/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <event2/buffer.h>

#include "args.h"
#include "cmd.h"
#include "job.h"
#include "json.h"

static const struct args_opt cmd_list_opts[] = {
	ARGS_FLAG("-j", "JSON: an array of objects"),
	ARGS_END
};

static void
cmd_list_json(struct cmd_ctx *ctx)
{
	struct evbuffer	*b = ctx->out;
	struct job	*j;
	const char	*sep = "";

	evbuffer_add_printf(b, "[");
	TAILQ_FOREACH(j, job_list(), entry) {
		evbuffer_add_printf(b, "%s{\"name\":", sep);
		json_string(b, j->name);
		evbuffer_add_printf(b, ",\"kind\":\"%s\",\"state\":\"%s\","
		    "\"target\":", j->kind->name, job_state_name(j));
		json_string(b, j->kind->target(j));
		evbuffer_add_printf(b, ",\"connections\":%llu}",
		    (unsigned long long)job_total(j, CTR_connections));
		sep = ",";
	}
	evbuffer_add_printf(b, "]\n");
}

static int
cmd_list_exec(struct cmd_ctx *ctx, const struct args *a)
{
	struct job	*j;

	if (ctx->out == NULL)
		return 0;
	if (ctx->json || a->present[0]) {
		cmd_list_json(ctx);
		return 0;
	}
	cmd_print(ctx, "%-20s %-6s %-9s %7s %s", "NAME", "KIND", "STATE",
	    "CONNS", "TARGET");
	TAILQ_FOREACH(j, job_list(), entry)
		cmd_print(ctx, "%-20s %-6s %-9s %7llu %s", j->name,
		    j->kind->name, job_state_name(j),
		    (unsigned long long)job_total(j, CTR_connections),
		    j->kind->target(j));
	return 0;
}

const struct cmd_entry cmd_list_entry = {
	.name = "list",
	.args = { .opts = cmd_list_opts },
	.flags = CMD_READONLY,
	.exec = cmd_list_exec,
};
