/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <stdio.h>

#include <event2/buffer.h>

#include "args.h"
#include "cmd.h"
#include "counters.h"
#include "job.h"
#include "json.h"
#include "latency_view.h"
#include "report.h"

static const struct args_opt cmd_stats_opts[] = {
	ARGS_FLAG("-j", "JSON: an array of objects, one a job"),
	ARGS_END
};

/*
 * `stats` shows a job's report (report.h) as "key value" lines, or as a
 * JSON object; both from the one walk, so they carry the same fields: a
 * text key is a JSON member, or for the groups of JSON, a rate is
 * KEY_per_second, a member of handshake handshake_MEMBER, a close code
 * closes_CODE, of latency latency_MEMBER, with a time in people's units
 * for MEMBER_us (latency_life_p99 for latency.life.p99_us).  The run's
 * members are keys of their own: its times in people's units for
 * MEMBER_ms, and a full-load rate's mean, min and max
 * DIRECTION_per_second_mean|min|max.
 */

/* The text: a line a key, the key padded to 30 columns. */
static void
cmd_stats_text_head(void *arg, const struct report_job *rj)
{
	struct cmd_ctx		*ctx = arg;
	const struct job	*j = rj->job;

	cmd_print(ctx, "%-30s %s", "name", j->name);
	cmd_print(ctx, "%-30s %s", "kind", j->kind->name);
	cmd_print(ctx, "%-30s %s", "state", job_state_name(j));
	cmd_print(ctx, "%-30s %s", "target", j->kind->target(j));
}

static void
cmd_stats_text_setting(void *arg, const char *key, const char *value)
{
	cmd_print(arg, "%-30s %s", key, value);
}

/* Each rate right under its counter. */
static void
cmd_stats_text_counter(void *arg, const struct report_job *rj,
    enum counter c, uint64_t total, const uint64_t *rate)
{
	struct cmd_ctx	*ctx = arg;
	char		 key[64];

	(void)rj;
	cmd_print(ctx, "%-30s %llu", counter_info[c].name,
	    (unsigned long long)total);
	if (rate == NULL)
		return;
	snprintf(key, sizeof(key), "%s_per_second", counter_info[c].name);
	cmd_print(ctx, "%-30s %llu", key, (unsigned long long)*rate);
}

/* Payload bytes per wire byte: over 1 where compression pays, a little
 * under for plain frames (their headers). */
static void
cmd_stats_text_ratio(void *arg, const char *key, uint64_t payload,
    uint64_t wire)
{
	if (wire == 0)
		cmd_print(arg, "%-30s %s", key, "none");
	else
		cmd_print(arg, "%-30s %.2f", key, (double)payload /
		    (double)wire);
}

static void
cmd_stats_text_hs(struct cmd_ctx *ctx, const char *key, uint64_t count,
    uint64_t us)
{
	if (count > 0)
		cmd_print(ctx, "%-30s %llu", key, (unsigned long long)us);
	else
		cmd_print(ctx, "%-30s %s", key, "none");
}

static void
cmd_stats_text_handshakes(void *arg, const struct report_job *rj,
    const struct histogram_sum *h)
{
	struct cmd_ctx		*ctx = arg;
	struct report_hs	 hs;

	(void)rj;
	report_hs(h, &hs);
	cmd_print(ctx, "%-30s %llu", "handshake_count",
	    (unsigned long long)hs.count);
	cmd_stats_text_hs(ctx, "handshake_mean_us", hs.count, hs.mean);
	cmd_stats_text_hs(ctx, "handshake_p50_us", hs.count, hs.p50);
	cmd_stats_text_hs(ctx, "handshake_p90_us", hs.count, hs.p90);
	cmd_stats_text_hs(ctx, "handshake_p99_us", hs.count, hs.p99);
}

/* A time of the run for people, or none where it has none yet. */
static void
cmd_stats_text_span(struct cmd_ctx *ctx, const char *key, int valid,
    uint64_t ns)
{
	char	v[LATENCY_VIEW_LEN];

	if (valid)
		latency_view_duration(v, sizeof(v), ns);
	cmd_print(ctx, "%-30s %s", key, valid ? v : "none");
}

/* DIRECTION_per_second_mean, _min and _max. */
static void
cmd_stats_text_rate(struct cmd_ctx *ctx, const char *dir,
    const struct report_rate *r)
{
	static const char *const	what[] = { "mean", "min", "max" };
	char				k[64];
	size_t				i;

	for (i = 0; i < sizeof(what) / sizeof(what[0]); i++) {
		snprintf(k, sizeof(k), "%s_per_second_%s", dir, what[i]);
		if (!r->valid)
			cmd_print(ctx, "%-30s %s", k, "none");
		else if (i == 0)
			cmd_print(ctx, "%-30s %.1f", k, r->mean);
		else
			cmd_print(ctx, "%-30s %llu", k, (unsigned long long)
			    (i == 1 ? r->min : r->max));
	}
}

static void
cmd_stats_text_run(void *arg, const struct report_job *rj,
    const struct report_run *run)
{
	struct cmd_ctx	*ctx = arg;
	char		 t[REPORT_TIME_LEN];

	(void)rj;
	report_time(t, sizeof(t), &run->started);
	cmd_print(ctx, "%-30s %s", "started", t);
	cmd_stats_text_span(ctx, "duration", 1, run->duration);
	cmd_stats_text_span(ctx, "ramp", run->loaded, run->ramp);
	cmd_stats_text_span(ctx, "full_load", run->loaded, run->full_load);
	cmd_print(ctx, "%-30s %llu", "peak_connections",
	    (unsigned long long)run->peak_connections);
	cmd_stats_text_rate(ctx, "messages_received", &run->received);
	cmd_stats_text_rate(ctx, "messages_sent", &run->sent);
}

/* One group of latency lines: latency_GROUP_KEY. */
struct cmd_stats_text_lat {
	struct cmd_ctx	*ctx;
	const char	*group;
};

static void
cmd_stats_text_time(void *arg, const char *key, const uint64_t *ns)
{
	struct cmd_stats_text_lat	*tl = arg;
	char				 k[64], v[LATENCY_VIEW_LEN];

	snprintf(k, sizeof(k), "latency_%s%s", tl->group, key);
	if (ns != NULL)
		latency_view_duration(v, sizeof(v), *ns);
	cmd_print(tl->ctx, "%-30s %s", k, ns != NULL ? v : "none");
}

static void
cmd_stats_text_lat_sum(struct cmd_ctx *ctx, const char *group,
    const struct hdr_sum *s)
{
	struct cmd_stats_text_lat	tl = { ctx, group };
	char				 k[64];

	snprintf(k, sizeof(k), "latency_%scount", group);
	cmd_print(ctx, "%-30s %llu", k, (unsigned long long)s->total);
	latency_view_each(s, cmd_stats_text_time, &tl);
}

static void
cmd_stats_text_latency(void *arg, const struct report_job *rj,
    const struct report_latency *l)
{
	struct cmd_stats_text_lat	tl = { arg, "" };

	(void)rj;
	cmd_print(arg, "%-30s %s", "latency_type", l->type);
	cmd_stats_text_lat_sum(arg, "life_", l->life);
	cmd_stats_text_lat_sum(arg, "window_", l->window);
	cmd_stats_text_time(&tl, "p50_1s", l->p50_1s != 0 ? &l->p50_1s : NULL);
	cmd_stats_text_time(&tl, "p99_1s", l->p99_1s != 0 ? &l->p99_1s : NULL);
}

/* A line for each close code received. */
static void
cmd_stats_text_closes(void *arg, const struct report_job *rj,
    const uint64_t closes[CLOSE_COUNT])
{
	char	key[64];
	int	c;

	(void)rj;
	for (c = 0; c < CLOSE_COUNT; c++) {
		if (closes[c] == 0)
			continue;
		snprintf(key, sizeof(key), "closes_%s", close_label[c]);
		cmd_print(arg, "%-30s %llu", key,
		    (unsigned long long)closes[c]);
	}
}

static void
cmd_stats_text_notes(void *arg, const struct job_notes *n)
{
	cmd_print(arg, "%-30s %s", "last_error",
	    n->error[0] != '\0' ? n->error : "none");
	if (n->close_code != 0)
		cmd_print(arg, "%-30s %d%s%s", "last_close", n->close_code,
		    n->close_reason[0] != '\0' ? " " : "", n->close_reason);
	else
		cmd_print(arg, "%-30s %s", "last_close", "none");
}

static const struct report_output cmd_stats_text = {
	.head = cmd_stats_text_head,
	.setting = cmd_stats_text_setting,
	.counter = cmd_stats_text_counter,
	.ratio = cmd_stats_text_ratio,
	.handshakes = cmd_stats_text_handshakes,
	.run = cmd_stats_text_run,
	.latency = cmd_stats_text_latency,
	.closes = cmd_stats_text_closes,
	.notes = cmd_stats_text_notes,
};

/* The JSON: the rates go in an object of their own after the counters,
 * so they wait here meanwhile. */
struct cmd_stats_json {
	struct evbuffer	*b;
	uint64_t	 rate[CTR_COUNT];
	int		 rated[CTR_COUNT];
};

static void
cmd_stats_json_head(void *arg, const struct report_job *rj)
{
	struct cmd_stats_json	*sj = arg;
	const struct job	*j = rj->job;

	evbuffer_add_printf(sj->b, "{\"name\":");
	json_string(sj->b, j->name);
	evbuffer_add_printf(sj->b, ",\"kind\":\"%s\",\"state\":\"%s\","
	    "\"target\":", j->kind->name, job_state_name(j));
	json_string(sj->b, j->kind->target(j));
}

static void
cmd_stats_json_setting(void *arg, const char *key, const char *value)
{
	struct cmd_stats_json	*sj = arg;

	evbuffer_add_printf(sj->b, ",\"%s\":", key);
	json_string(sj->b, value);
}

static void
cmd_stats_json_counter(void *arg, const struct report_job *rj,
    enum counter c, uint64_t total, const uint64_t *rate)
{
	struct cmd_stats_json	*sj = arg;

	(void)rj;
	evbuffer_add_printf(sj->b, ",\"%s\":%llu", counter_info[c].name,
	    (unsigned long long)total);
	sj->rated[c] = rate != NULL;
	if (rate != NULL)
		sj->rate[c] = *rate;
}

/* "per_second": {counter: rate} */
static void
cmd_stats_json_rates(void *arg, const struct report_job *rj)
{
	struct cmd_stats_json	*sj = arg;
	const char		*sep = "";
	int			 c;

	(void)rj;
	evbuffer_add_printf(sj->b, ",\"per_second\":{");
	for (c = 0; c < CTR_COUNT; c++) {
		if (!sj->rated[c])
			continue;
		evbuffer_add_printf(sj->b, "%s\"%s\":%llu", sep,
		    counter_info[c].name, (unsigned long long)sj->rate[c]);
		sep = ",";
	}
	evbuffer_add_printf(sj->b, "}");
}

/* A number with two decimals, null before the first byte. */
static void
cmd_stats_json_ratio(void *arg, const char *key, uint64_t payload,
    uint64_t wire)
{
	struct cmd_stats_json	*sj = arg;

	if (wire == 0)
		evbuffer_add_printf(sj->b, ",\"%s\":null", key);
	else
		evbuffer_add_printf(sj->b, ",\"%s\":%.2f", key,
		    (double)payload / (double)wire);
}

/* "handshake": {count, mean_us, p50_us, p90_us, p99_us}, null times
 * without a handshake. */
static void
cmd_stats_json_handshakes(void *arg, const struct report_job *rj,
    const struct histogram_sum *h)
{
	struct cmd_stats_json	*sj = arg;
	struct report_hs	 hs;

	(void)rj;
	report_hs(h, &hs);
	evbuffer_add_printf(sj->b, ",\"handshake\":{\"count\":%llu",
	    (unsigned long long)hs.count);
	if (hs.count > 0)
		evbuffer_add_printf(sj->b, ",\"mean_us\":%llu,\"p50_us\":%llu,"
		    "\"p90_us\":%llu,\"p99_us\":%llu}",
		    (unsigned long long)hs.mean, (unsigned long long)hs.p50,
		    (unsigned long long)hs.p90, (unsigned long long)hs.p99);
	else
		evbuffer_add_printf(sj->b, ",\"mean_us\":null,\"p50_us\":null,"
		    "\"p90_us\":null,\"p99_us\":null}");
}

/* ,"KEY_ms":N, or null where the run has none yet. */
static void
cmd_stats_json_span(struct evbuffer *b, const char *key, int valid,
    uint64_t ns)
{
	if (valid)
		evbuffer_add_printf(b, ",\"%s_ms\":%llu", key,
		    (unsigned long long)(ns / 1000000));
	else
		evbuffer_add_printf(b, ",\"%s_ms\":null", key);
}

/* ,"DIRECTION_per_second":{mean, min, max} or null. */
static void
cmd_stats_json_rate(struct evbuffer *b, const char *dir,
    const struct report_rate *r)
{
	if (!r->valid) {
		evbuffer_add_printf(b, ",\"%s_per_second\":null", dir);
		return;
	}
	evbuffer_add_printf(b, ",\"%s_per_second\":{\"mean\":%.1f,"
	    "\"min\":%llu,\"max\":%llu}", dir, r->mean,
	    (unsigned long long)r->min, (unsigned long long)r->max);
}

/* "run": {started, duration_ms, ramp_ms, full_load_ms, peak_connections,
 * messages_received_per_second, messages_sent_per_second}. */
static void
cmd_stats_json_run(void *arg, const struct report_job *rj,
    const struct report_run *run)
{
	struct evbuffer	*b = ((struct cmd_stats_json *)arg)->b;
	char		 t[REPORT_TIME_LEN];

	(void)rj;
	report_time(t, sizeof(t), &run->started);
	evbuffer_add_printf(b, ",\"run\":{\"started\":\"%s\"", t);
	cmd_stats_json_span(b, "duration", 1, run->duration);
	cmd_stats_json_span(b, "ramp", run->loaded, run->ramp);
	cmd_stats_json_span(b, "full_load", run->loaded, run->full_load);
	evbuffer_add_printf(b, ",\"peak_connections\":%llu",
	    (unsigned long long)run->peak_connections);
	cmd_stats_json_rate(b, "messages_received", &run->received);
	cmd_stats_json_rate(b, "messages_sent", &run->sent);
	evbuffer_add_printf(b, "}");
}

/* ,"KEY_us":X or null, into the evbuffer arg. */
static void
cmd_stats_json_time(void *arg, const char *key, const uint64_t *ns)
{
	char	v[LATENCY_VIEW_LEN];

	if (ns != NULL)
		latency_view_us(v, sizeof(v), *ns);
	evbuffer_add_printf(arg, ",\"%s_us\":%s", key, ns != NULL ? v :
	    "null");
}

/* "GROUP": {count, min_us, mean_us, p50_us ... max_us}, null times when
 * empty. */
static void
cmd_stats_json_lat_sum(struct evbuffer *b, const char *group,
    const struct hdr_sum *s)
{
	evbuffer_add_printf(b, ",\"%s\":{\"count\":%llu", group,
	    (unsigned long long)s->total);
	latency_view_each(s, cmd_stats_json_time, b);
	evbuffer_add_printf(b, "}");
}

/* "latency": {type, life, window, p50_1s_us, p99_1s_us}. */
static void
cmd_stats_json_latency(void *arg, const struct report_job *rj,
    const struct report_latency *l)
{
	struct evbuffer	*b = ((struct cmd_stats_json *)arg)->b;

	(void)rj;
	evbuffer_add_printf(b, ",\"latency\":{\"type\":\"%s\"", l->type);
	cmd_stats_json_lat_sum(b, "life", l->life);
	cmd_stats_json_lat_sum(b, "window", l->window);
	cmd_stats_json_time(b, "p50_1s", l->p50_1s != 0 ? &l->p50_1s : NULL);
	cmd_stats_json_time(b, "p99_1s", l->p99_1s != 0 ? &l->p99_1s : NULL);
	evbuffer_add_printf(b, "}");
}

/* "closes": {code: count} of the codes received. */
static void
cmd_stats_json_closes(void *arg, const struct report_job *rj,
    const uint64_t closes[CLOSE_COUNT])
{
	struct cmd_stats_json	*sj = arg;
	const char		*sep = "";
	int			 c;

	(void)rj;
	evbuffer_add_printf(sj->b, ",\"closes\":{");
	for (c = 0; c < CLOSE_COUNT; c++) {
		if (closes[c] == 0)
			continue;
		evbuffer_add_printf(sj->b, "%s\"%s\":%llu", sep, close_label[c],
		    (unsigned long long)closes[c]);
		sep = ",";
	}
	evbuffer_add_printf(sj->b, "}");
}

/* "last_error": text or null, "last_close": {code, reason} or null. */
static void
cmd_stats_json_notes(void *arg, const struct job_notes *n)
{
	struct evbuffer	*b = ((struct cmd_stats_json *)arg)->b;

	evbuffer_add_printf(b, ",\"last_error\":");
	if (n->error[0] != '\0')
		json_string(b, n->error);
	else
		evbuffer_add_printf(b, "null");
	evbuffer_add_printf(b, ",\"last_close\":");
	if (n->close_code != 0) {
		evbuffer_add_printf(b, "{\"code\":%d,\"reason\":",
		    n->close_code);
		json_string(b, n->close_reason);
		evbuffer_add_printf(b, "}");
	} else
		evbuffer_add_printf(b, "null");
}

static void
cmd_stats_json_tail(void *arg, const struct report_job *rj)
{
	(void)rj;
	evbuffer_add_printf(((struct cmd_stats_json *)arg)->b, "}");
}

static const struct report_output cmd_stats_json = {
	.head = cmd_stats_json_head,
	.setting = cmd_stats_json_setting,
	.counter = cmd_stats_json_counter,
	.counters_end = cmd_stats_json_rates,
	.ratio = cmd_stats_json_ratio,
	.handshakes = cmd_stats_json_handshakes,
	.run = cmd_stats_json_run,
	.latency = cmd_stats_json_latency,
	.closes = cmd_stats_json_closes,
	.notes = cmd_stats_json_notes,
	.tail = cmd_stats_json_tail,
};

void
cmd_stats_json_job(struct evbuffer *b, struct job *j)
{
	struct cmd_stats_json	sj = { .b = b };

	report_job(&cmd_stats_json, &sj, j);
}

void
cmd_stats_text_job(struct evbuffer *b, struct job *j)
{
	struct cmd_ctx	ctx = { .out = b };

	report_job(&cmd_stats_text, &ctx, j);
}

static int
cmd_stats_exec(struct cmd_ctx *ctx, const struct args *a)
{
	struct job	*j, *only = NULL;
	const char	*sep = "";
	int		 json;

	if (ctx->check || ctx->out == NULL)
		return 0;
	if (a->npos == 1 && (only = job_find(a->pos[0])) == NULL)
		return cmd_error(ctx, "stats: no job named '%s'", a->pos[0]);
	json = ctx->json || a->present[0];
	if (json)
		evbuffer_add_printf(ctx->out, "[");
	TAILQ_FOREACH(j, job_list(), entry) {
		if (only != NULL && j != only)
			continue;
		if (json) {
			evbuffer_add_printf(ctx->out, "%s", sep);
			cmd_stats_json_job(ctx->out, j);
		} else {
			if (*sep != '\0')
				cmd_print(ctx, "%s", "");
			cmd_stats_text_job(ctx->out, j);
		}
		sep = ",";
	}
	if (json)
		evbuffer_add_printf(ctx->out, "]\n");
	return 0;
}

const struct cmd_entry cmd_stats_entry = {
	.name = "stats",
	.args = { .opts = cmd_stats_opts, .max_pos = 1, .pos = "[NAME]" },
	.flags = CMD_READONLY,
	.exec = cmd_stats_exec,
};
