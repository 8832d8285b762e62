/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <string.h>

#include <event2/buffer.h>

#include "args.h"
#include "cmd.h"
#include "control_protocol.h"
#include "job.h"
#include "latency_view.h"
#include "report.h"

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

/* The kind the plain line shows: the named job's, or the running kind
 * ranked first (job.h).  NULL with no job. */
static const struct job_kind *
cmd_watch_kind(const char *name)
{
	const struct job_kind	*kind = NULL;
	struct job		*j;

	if (name != NULL)
		return job_find(name)->kind;
	TAILQ_FOREACH(j, job_list(), entry)
		if (kind == NULL || j->kind->watch_rank > kind->watch_rank)
			kind = j->kind;
	return kind;
}

/* A named job that times messages: its last second's 99th percentile,
 * after the count.  Percentiles of several jobs do not add up: none for
 * a line summing them. */
static void
cmd_watch_plain_p99(struct evbuffer *out, const char *name)
{
	struct job	*j;
	char		 p99[LATENCY_VIEW_LEN] = CONTROL_WATCH_NONE;

	if (name == NULL || (j = job_find(name))->timing == NULL)
		return;
	/* As stats shows it. */
	if (j->latency_p99_1s != 0)
		latency_view_duration(p99, sizeof(p99), j->latency_p99_1s);
	evbuffer_add_printf(out, " p99 %s", p99);
}

/* The busier direction of a kind's jobs (job.h), summed over them, or of
 * the named job only. */
static void
cmd_watch_plain(struct evbuffer *out, const char *name)
{
	const struct job_kind	*kind = cmd_watch_kind(name);
	struct job		*j;
	enum counter		 c = CTR_messages_received;
	uint64_t		 rate = 0, total = 0;

	if (kind != NULL)
		c = kind->watch_counter;
	TAILQ_FOREACH(j, job_list(), entry) {
		if ((name != NULL && strcmp(j->name, name) != 0) ||
		    j->kind != kind)
			continue;
		rate += j->rate[c];
		total += job_total(j, c);
	}
	evbuffer_add_printf(out, "messages %s: %llu per second %llu total",
	    c == CTR_messages_sent ? "sent" : "received",
	    (unsigned long long)rate, (unsigned long long)total);
	cmd_watch_plain_p99(out, name);
	evbuffer_add_printf(out, "\n");
}

/*
 * The records wsbenchctl draws its table from, for programs too: one
 * "job" line a job, fields separated by tabs (a job name holds none),
 * then "end".  Fields may be added at the end of a record, never
 * between.  A record is a backend of the job's report (report.h) that
 * keeps the numbers of its columns as they go by.
 */
struct cmd_watch_record {
	struct evbuffer	*out;
	uint64_t	 total[CTR_COUNT];
	uint64_t	 rate[CTR_COUNT];
	int		 timed;		/* the walk gave a latency */
	uint64_t	 p99_1s;
};

static void
cmd_watch_record_head(void *arg, const struct report_job *rj)
{
	struct cmd_watch_record	*r = arg;

	evbuffer_add_printf(r->out, "job\t%s\t%s", rj->job->name,
	    rj->job->kind->name);
	r->timed = 0;
}

static void
cmd_watch_record_counter(void *arg, const struct report_job *rj,
    enum counter c, uint64_t total, const uint64_t *rate)
{
	struct cmd_watch_record	*r = arg;

	(void)rj;
	r->total[c] = total;
	r->rate[c] = rate != NULL ? *rate : 0;
}

static void
cmd_watch_record_latency(void *arg, const struct report_job *rj,
    const struct report_latency *l)
{
	struct cmd_watch_record	*r = arg;

	(void)rj;
	r->timed = 1;
	r->p99_1s = l->p99_1s;
}

static void
cmd_watch_record_tail(void *arg, const struct report_job *rj)
{
	struct cmd_watch_record	*r = arg;

	(void)rj;
	evbuffer_add_printf(r->out, "\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu",
	    (unsigned long long)r->total[CTR_connections],
	    (unsigned long long)r->rate[CTR_messages_received],
	    (unsigned long long)r->rate[CTR_messages_sent],
	    (unsigned long long)r->rate[CTR_bytes_received],
	    (unsigned long long)r->rate[CTR_bytes_sent],
	    (unsigned long long)r->total[CTR_connection_errors]);
	if (r->timed)
		evbuffer_add_printf(r->out, "\t%llu\n",
		    (unsigned long long)r->p99_1s);
	else
		evbuffer_add_printf(r->out, "\t" CONTROL_WATCH_NONE "\n");
}

static const struct report_output cmd_watch_record = {
	.head = cmd_watch_record_head,
	.counter = cmd_watch_record_counter,
	.latency = cmd_watch_record_latency,
	.tail = cmd_watch_record_tail,
};

static void
cmd_watch_records(struct evbuffer *out, const char *name)
{
	struct cmd_watch_record	 r = { .out = out };
	struct job		*j;

	TAILQ_FOREACH(j, job_list(), entry) {
		if (name != NULL && strcmp(j->name, name) != 0)
			continue;
		report_job(&cmd_watch_record, &r, j);
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
