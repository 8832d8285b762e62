/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <stdio.h>

#include <event2/buffer.h>

#include "args.h"
#include "cmd.h"
#include "counters.h"
#include "job.h"
#include "json.h"
#include "loop.h"

static const struct args_opt cmd_stats_opts[] = {
	{ "-j", 0 },
	{ NULL, 0 }
};

/* Rates of the counters, but not of the gauge or of each error reason:
 * the total of errors has one. */
static int
counter_has_rate(int c)
{
	return counter_info[c].type[0] == 'c' && counter_info[c].reason == NULL;
}

/* The opening handshakes in microseconds: mean and quantiles (from the
 * histogram's buckets, as Prometheus would estimate them). */
struct cmd_stats_hs {
	uint64_t	count, mean, p50, p99;
};

static void
cmd_stats_hs(const struct counter_totals *t, struct cmd_stats_hs *hs)
{
	const struct histogram_sum	*h = &t->handshake;

	hs->count = h->count;
	hs->mean = h->count > 0 ? (h->sum_us + h->count / 2) / h->count : 0;
	hs->p50 = histogram_quantile_us(h, 0.5);
	hs->p99 = histogram_quantile_us(h, 0.99);
}

/* "handshake": {count, mean_us, p50_us, p99_us} (null times without a
 * handshake), "closes": {code: count} of the codes received. */
static void
cmd_stats_json_more(struct evbuffer *b, const struct counter_totals *t)
{
	struct cmd_stats_hs	hs;
	const char		*sep = "";
	int			c;

	cmd_stats_hs(t, &hs);
	evbuffer_add_printf(b, ",\"handshake\":{\"count\":%llu",
	    (unsigned long long)hs.count);
	if (hs.count > 0)
		evbuffer_add_printf(b, ",\"mean_us\":%llu,\"p50_us\":%llu,"
		    "\"p99_us\":%llu}", (unsigned long long)hs.mean,
		    (unsigned long long)hs.p50, (unsigned long long)hs.p99);
	else
		evbuffer_add_printf(b, ",\"mean_us\":null,\"p50_us\":null,"
		    "\"p99_us\":null}");
	evbuffer_add_printf(b, ",\"closes\":{");
	for (c = 0; c < CLOSE_COUNT; c++) {
		if (t->closes[c] == 0)
			continue;
		evbuffer_add_printf(b, "%s\"%s\":%llu", sep, close_label[c],
		    (unsigned long long)t->closes[c]);
		sep = ",";
	}
	evbuffer_add_printf(b, "}");
}

/* "last_error": text or null, "last_close": {code, reason} or null. */
static void
cmd_stats_json_notes(struct evbuffer *b, struct job *j)
{
	struct job_notes	n;

	job_notes_get(j, &n);
	evbuffer_add_printf(b, ",\"last_error\":");
	if (n.error[0] != '\0')
		json_string(b, n.error);
	else
		evbuffer_add_printf(b, "null");
	evbuffer_add_printf(b, ",\"last_close\":");
	if (n.close_code != 0) {
		evbuffer_add_printf(b, "{\"code\":%d,\"reason\":",
		    n.close_code);
		json_string(b, n.close_reason);
		evbuffer_add_printf(b, "}");
	} else
		evbuffer_add_printf(b, "null");
}

void
cmd_stats_json_job(struct evbuffer *b, struct job *j)
{
	struct counter_totals	 t;
	const char		*sep = "";
	int			 c;

	counter_totals(j->slots, loop_nworkers(), &t);
	evbuffer_add_printf(b, "{\"name\":");
	json_string(b, j->name);
	evbuffer_add_printf(b, ",\"kind\":\"%s\",\"state\":\"%s\",\"target\":",
	    j->kind->name, job_state_name(j));
	json_string(b, j->kind->target(j));
	for (c = 0; c < CTR_COUNT; c++)
		evbuffer_add_printf(b, ",\"%s\":%llu", counter_info[c].name,
		    (unsigned long long)t.v[c]);
	evbuffer_add_printf(b, ",\"per_second\":{");
	for (c = 0; c < CTR_COUNT; c++) {
		if (!counter_has_rate(c))
			continue;
		evbuffer_add_printf(b, "%s\"%s\":%llu", sep,
		    counter_info[c].name, (unsigned long long)j->rate[c]);
		sep = ",";
	}
	evbuffer_add_printf(b, "}");
	cmd_stats_json_more(b, &t);
	cmd_stats_json_notes(b, j);
	evbuffer_add_printf(b, "}");
}

/* The handshake times, then a line for each close code received. */
static void
cmd_stats_text_more(struct cmd_ctx *ctx, const struct counter_totals *t)
{
	struct cmd_stats_hs	hs;
	char			key[64];
	int			c;

	cmd_stats_hs(t, &hs);
	cmd_print(ctx, "%-30s %llu", "handshake_count",
	    (unsigned long long)hs.count);
	if (hs.count > 0) {
		cmd_print(ctx, "%-30s %llu", "handshake_mean_us",
		    (unsigned long long)hs.mean);
		cmd_print(ctx, "%-30s %llu", "handshake_p50_us",
		    (unsigned long long)hs.p50);
		cmd_print(ctx, "%-30s %llu", "handshake_p99_us",
		    (unsigned long long)hs.p99);
	} else {
		cmd_print(ctx, "%-30s %s", "handshake_mean_us", "none");
		cmd_print(ctx, "%-30s %s", "handshake_p50_us", "none");
		cmd_print(ctx, "%-30s %s", "handshake_p99_us", "none");
	}
	for (c = 0; c < CLOSE_COUNT; c++) {
		if (t->closes[c] == 0)
			continue;
		snprintf(key, sizeof(key), "closes_%s", close_label[c]);
		cmd_print(ctx, "%-30s %llu", key,
		    (unsigned long long)t->closes[c]);
	}
}

/* Payload bytes per wire byte: over 1 where compression pays, a little
 * under for plain frames (their headers). */
static void
cmd_stats_text_ratio(struct cmd_ctx *ctx, const char *key, uint64_t payload,
    uint64_t wire)
{
	if (wire == 0)
		cmd_print(ctx, "%-30s %s", key, "none");
	else
		cmd_print(ctx, "%-30s %.2f", key, (double)payload /
		    (double)wire);
}

/* A setting the job's kind shows, as a key and its text. */
static void
cmd_stats_text_setting(void *arg, const char *key, const char *value)
{
	cmd_print(arg, "%-30s %s", key, value);
}

static void
cmd_stats_text_job(struct cmd_ctx *ctx, struct job *j)
{
	struct counter_totals	t;
	struct job_notes	n;
	char			key[64];
	int			c;

	cmd_print(ctx, "%-30s %s", "name", j->name);
	cmd_print(ctx, "%-30s %s", "kind", j->kind->name);
	cmd_print(ctx, "%-30s %s", "state", job_state_name(j));
	cmd_print(ctx, "%-30s %s", "target", j->kind->target(j));
	if (j->kind->settings != NULL)
		j->kind->settings(j, cmd_stats_text_setting, ctx);
	counter_totals(j->slots, loop_nworkers(), &t);
	for (c = 0; c < CTR_COUNT; c++) {
		cmd_print(ctx, "%-30s %llu", counter_info[c].name,
		    (unsigned long long)t.v[c]);
		if (!counter_has_rate(c))
			continue;
		snprintf(key, sizeof(key), "%s_per_second",
		    counter_info[c].name);
		cmd_print(ctx, "%-30s %llu", key,
		    (unsigned long long)j->rate[c]);
	}
	cmd_stats_text_ratio(ctx, "compression_received",
	    t.v[CTR_payload_bytes_received], t.v[CTR_bytes_received]);
	cmd_stats_text_ratio(ctx, "compression_sent",
	    t.v[CTR_payload_bytes_sent], t.v[CTR_bytes_sent]);
	cmd_stats_text_more(ctx, &t);
	job_notes_get(j, &n);
	cmd_print(ctx, "%-30s %s", "last_error",
	    n.error[0] != '\0' ? n.error : "none");
	if (n.close_code != 0)
		cmd_print(ctx, "%-30s %d%s%s", "last_close", n.close_code,
		    n.close_reason[0] != '\0' ? " " : "", n.close_reason);
	else
		cmd_print(ctx, "%-30s %s", "last_close", "none");
}

static int
cmd_stats_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct args	 a;
	struct job	*j, *only = NULL;
	const char	*sep = "";
	int		 json;

	if (cmd_args(ctx, &cmd_stats_entry, cmd_stats_opts, argc - 1,
	    argv + 1, 0, 1, &a) == -1)
		return -1;
	if (ctx->check || ctx->out == NULL)
		return 0;
	if (a.npos == 1 && (only = job_find(a.pos[0])) == NULL)
		return cmd_error(ctx, "stats: no job named '%s'", a.pos[0]);
	json = ctx->json || a.present[0];
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
			cmd_stats_text_job(ctx, j);
		}
		sep = ",";
	}
	if (json)
		evbuffer_add_printf(ctx->out, "]\n");
	return 0;
}

const struct cmd_entry cmd_stats_entry = {
	.name = "stats",
	.usage = "[-j] [NAME]",
	.flags = CMD_READONLY,
	.exec = cmd_stats_exec,
};
