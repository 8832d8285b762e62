/* SPDX-License-Identifier: ISC */
/*
 * `latency NAME`: the latency distribution of a timed job, from the report
 * walk (report.h): the window since the last --reset, or with --life
 * since the job started; as the summary every view shows, or with --hdr
 * as HdrHistogram's percentile distribution.
 */

#include "config.h"

#include <event2/buffer.h>

#include "args.h"
#include "cmd.h"
#include "job.h"
#include "latency_view.h"
#include "report.h"

enum { CMD_LATENCY_LIFE, CMD_LATENCY_HDR, CMD_LATENCY_RESET };

static const struct args_opt cmd_latency_opts[] = {
	ARGS_FLAG("--life", "since the job started, not the window"),
	ARGS_FLAG("--hdr", "HdrHistogram's percentile distribution, in ms"),
	ARGS_FLAG("--reset", "then start a new window (not the read group)"),
	ARGS_END
};

struct cmd_latency {
	struct cmd_ctx	*ctx;
	int		 life, hdr;
	int		 shown;		/* the walk had memory for the sums */
};

static void
cmd_latency_time(void *arg, const char *key, const uint64_t *ns)
{
	char	v[LATENCY_VIEW_LEN];

	if (ns != NULL)
		latency_view_duration(v, sizeof(v), *ns);
	cmd_print(arg, "%-8s %s", key, ns != NULL ? v : "none");
}

static void
cmd_latency_show(void *arg, const struct report_job *rj,
    const struct report_latency *l)
{
	struct cmd_latency	*cl = arg;
	const struct hdr_sum	*s = cl->life ? l->life : l->window;

	cl->shown = 1;
	if (cl->hdr) {
		latency_view_hdr(cl->ctx->out, s);
		return;
	}
	cmd_print(cl->ctx, "%-8s %s", "name", rj->job->name);
	cmd_print(cl->ctx, "%-8s %s", "type", l->type);
	cmd_print(cl->ctx, "%-8s %s", "over", cl->life ? "life" : "window");
	cmd_print(cl->ctx, "%-8s %llu", "count", (unsigned long long)s->total);
	latency_view_each(s, cmd_latency_time, cl->ctx);
}

/* The walk calls these for every job; this view wants the latency only. */
static void
cmd_latency_head(void *arg, const struct report_job *rj)
{
	(void)arg;
	(void)rj;
}

static void
cmd_latency_counter(void *arg, const struct report_job *rj, enum counter c,
    uint64_t total, const uint64_t *rate)
{
	(void)arg;
	(void)rj;
	(void)c;
	(void)total;
	(void)rate;
}

static const struct report_output cmd_latency_output = {
	.head = cmd_latency_head,
	.counter = cmd_latency_counter,
	.latency = cmd_latency_show,
};

static int
cmd_latency_exec(struct cmd_ctx *ctx, const struct args *a)
{
	struct cmd_latency	 cl = { ctx, a->present[CMD_LATENCY_LIFE],
				    a->present[CMD_LATENCY_HDR], 0 };
	struct job		*j;

	if (ctx->check || ctx->out == NULL)
		return 0;
	if ((j = job_find(a->pos[0])) == NULL)
		return cmd_error(ctx, "latency: no job named '%s'", a->pos[0]);
	if (j->timing == NULL)
		return cmd_error(ctx, "latency: job '%s' times nothing", j->name);
	report_job(&cmd_latency_output, &cl, j);
	if (!cl.shown)
		return cmd_error(ctx, "latency: out of memory for the sums");
	if (a->present[CMD_LATENCY_RESET] && job_latency_reset(j) == -1)
		return cmd_error(ctx, "latency: out of memory for a new window");
	return 0;
}

const struct cmd_entry cmd_latency_entry = {
	.name = "latency",
	.args = { .opts = cmd_latency_opts, .min_pos = 1, .max_pos = 1,
	    .pos = "NAME" },
	.flags = CMD_READONLY,
	.writes = 1u << CMD_LATENCY_RESET,
	.exec = cmd_latency_exec,
};
