/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <string.h>

#include <event2/buffer.h>

#include "args.h"
#include "cmd.h"
#include "control_protocol.h"
#include "job.h"

static const struct args_opt cmd_watch_opts[] = {
	ARGS_FLAG("-p", "the same as --plain"),
	ARGS_FLAG("--plain", "a line a second, even on a terminal"),
	ARGS_FLAG("--table", "a table redrawn each second"),
	ARGS_END
};
#define WATCH_OPT_PLAIN		0
#define WATCH_OPT_PLAIN_LONG	1
#define WATCH_OPT_TABLE		2

static int
cmd_watch_exec(struct cmd_ctx *ctx, const struct args *a)
{
	int	table;

	table = a->present[WATCH_OPT_TABLE];
	if (table && (a->present[WATCH_OPT_PLAIN] ||
	    a->present[WATCH_OPT_PLAIN_LONG]))
		return cmd_error(ctx, "watch: --table and --plain exclude "
		    "each other");
	if (a->npos == 1 && job_find(a->pos[0]) == NULL)
		return cmd_error(ctx, "watch: no job named '%s'", a->pos[0]);
	ctx->watch.on = 1;
	ctx->watch.name = a->npos == 1 ? a->pos[0] : NULL;
	ctx->watch.table = table;
	return 0;
}

/*
 * A recv job shows what it received, a push job what it sent.  With no
 * name: what all recv jobs received, or with none, what push jobs sent.
 */
static void
cmd_watch_plain(struct evbuffer *out, const char *name)
{
	struct job	*j;
	enum counter	 c = CTR_messages_received;
	const char	*kind = "recv";
	uint64_t	 rate = 0, total = 0;

	if (name != NULL)
		kind = job_find(name)->kind->name;
	else if (!job_kind_running("recv"))
		kind = "push";
	if (strcmp(kind, "push") == 0)
		c = CTR_messages_sent;
	TAILQ_FOREACH(j, job_list(), entry) {
		if ((name != NULL && strcmp(j->name, name) != 0) ||
		    strcmp(j->kind->name, kind) != 0)
			continue;
		rate += j->rate[c];
		total += job_total(j, c);
	}
	evbuffer_add_printf(out, "messages %s: %llu per second %llu total\n",
	    c == CTR_messages_sent ? "sent" : "received",
	    (unsigned long long)rate, (unsigned long long)total);
}

/*
 * The records wsbenchctl draws its table from, for programs too: one
 * "job" line a job, fields separated by tabs (a job name holds none),
 * then "end".  Fields may be added at the end of a record, never
 * between.
 */
static void
cmd_watch_records(struct evbuffer *out, const char *name)
{
	struct job	*j;

	TAILQ_FOREACH(j, job_list(), entry) {
		if (name != NULL && strcmp(j->name, name) != 0)
			continue;
		evbuffer_add_printf(out,
		    CONTROL_WATCH_JOB "\t%s\t%s\t%llu\t%llu\t%llu\t%llu"
		    "\t%llu\t%llu\n",
		    j->name, j->kind->name,
		    (unsigned long long)job_total(j, CTR_connections),
		    (unsigned long long)j->rate[CTR_messages_received],
		    (unsigned long long)j->rate[CTR_messages_sent],
		    (unsigned long long)j->rate[CTR_bytes_received],
		    (unsigned long long)j->rate[CTR_bytes_sent],
		    (unsigned long long)job_total(j, CTR_connection_errors));
	}
	evbuffer_add_printf(out, CONTROL_WATCH_END "\n");
}

int
cmd_watch_lines(struct evbuffer *out, const char *name, int table)
{
	if (name != NULL && job_find(name) == NULL)
		return -1;
	if (table)
		cmd_watch_records(out, name);
	else
		cmd_watch_plain(out, name);
	return 0;
}

const struct cmd_entry cmd_watch_entry = {
	.name = "watch",
	.args = { .opts = cmd_watch_opts, .max_pos = 1, .pos = "[NAME]" },
	.flags = CMD_CLIENT_ONLY | CMD_READONLY,
	.exec = cmd_watch_exec,
};
