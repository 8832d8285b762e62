/* SPDX-License-Identifier: ISC */
/*
 * A job's report as the fields of requirements (require_field.h).
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "counters.h"
#include "hdr.h"
#include "histogram.h"
#include "job.h"
#include "latency_view.h"
#include "report.h"
#include "require_field.h"

/* The short names and the report key each stands for; "rate" is the
 * kind's busier direction, found apart. */
static const struct {
	const char	*name;
	const char	*key;
} require_short[] = {
	{ "p50", "latency_life_p50" }, { "p90", "latency_life_p90" },
	{ "p99", "latency_life_p99" }, { "p99.9", "latency_life_p99.9" },
	{ "p99.99", "latency_life_p99.99" }, { "max", "latency_life_max" },
	{ "mean", "latency_life_mean" }, { "errors", "connection_errors" },
	{ "connect_p50", "handshake_p50_us" },
	{ "connect_p90", "handshake_p90_us" },
	{ "connect_p99", "handshake_p99_us" },
	{ "duration", "duration" }, { "ramp", "ramp" },
};
#define REQUIRE_NSHORT	(sizeof(require_short) / sizeof(require_short[0]))

/* The report key name stands for, for j (NULL: any job). */
static const char *
require_field_key(const char *name, const struct job *j)
{
	size_t	i;

	if (strcmp(name, "rate") == 0)
		return j != NULL && j->kind->watch_counter == CTR_messages_sent ?
		    "messages_sent_per_second_mean" :
		    "messages_received_per_second_mean";
	for (i = 0; i < REQUIRE_NSHORT; i++)
		if (strcmp(name, require_short[i].name) == 0)
			return require_short[i].key;
	return name;
}

static int
require_suffix(const char *s, const char *suffix)
{
	size_t	n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

enum require_kind
require_field_kind(const char *name)
{
	const char	*key = require_field_key(name, NULL);
	size_t		 i;

	if (key[0] == '\0' || strcmp(key, "latency_type") == 0)
		return REQUIRE_UNKNOWN;
	/* Names are words of letters, digits, '_' and '.'. */
	for (i = 0; key[i] != '\0'; i++)
		if (!((key[i] >= 'a' && key[i] <= 'z') ||
		    (key[i] >= '0' && key[i] <= '9') || key[i] == '_' ||
		    key[i] == '.'))
			return REQUIRE_UNKNOWN;
	if (require_suffix(key, "count"))
		return REQUIRE_COUNT;
	if (strncmp(key, "latency_", 8) == 0 || require_suffix(key, "_us") ||
	    strcmp(key, "duration") == 0 || strcmp(key, "ramp") == 0 ||
	    strcmp(key, "full_load") == 0)
		return REQUIRE_TIME;
	return REQUIRE_COUNT;
}

static void
require_fields_add(struct require_fields *fs, const char *key,
    enum require_kind kind, int valid, double value)
{
	struct require_field	*f;

	if (fs->n == REQUIRE_FIELDS_MAX)
		return;
	f = &fs->f[fs->n++];
	snprintf(f->key, sizeof(f->key), "%s", key);
	f->kind = kind;
	f->valid = valid;
	f->value = value;
}

static void
require_fields_counter(void *arg, const struct report_job *rj, enum counter c,
    uint64_t total, const uint64_t *rate)
{
	char	key[REQUIRE_NAME_MAX];

	(void)rj;
	require_fields_add(arg, counter_info[c].name, REQUIRE_COUNT, 1,
	    (double)total);
	if (rate == NULL)
		return;
	snprintf(key, sizeof(key), "%s_per_second", counter_info[c].name);
	require_fields_add(arg, key, REQUIRE_COUNT, 1, (double)*rate);
}

static void
require_fields_ratio(void *arg, const char *key, uint64_t payload,
    uint64_t wire)
{
	require_fields_add(arg, key, REQUIRE_COUNT, wire > 0,
	    wire > 0 ? (double)payload / (double)wire : 0);
}

/* A handshake time: microseconds in the report, ns here. */
static void
require_fields_hs(struct require_fields *fs, const char *key,
    const struct report_hs *hs, uint64_t us)
{
	require_fields_add(fs, key, REQUIRE_TIME, hs->count > 0,
	    (double)us * 1e3);
}

static void
require_fields_handshakes(void *arg, const struct report_job *rj,
    const struct histogram_sum *h)
{
	struct report_hs	hs;

	(void)rj;
	report_hs(h, &hs);
	require_fields_add(arg, "handshake_count", REQUIRE_COUNT, 1,
	    (double)hs.count);
	require_fields_hs(arg, "handshake_mean_us", &hs, hs.mean);
	require_fields_hs(arg, "handshake_p50_us", &hs, hs.p50);
	require_fields_hs(arg, "handshake_p90_us", &hs, hs.p90);
	require_fields_hs(arg, "handshake_p99_us", &hs, hs.p99);
}

/* DIRECTION_per_second_mean, _min and _max. */
static void
require_fields_rate(struct require_fields *fs, const char *dir,
    const struct report_rate *r)
{
	char	k[REQUIRE_NAME_MAX];

	snprintf(k, sizeof(k), "%s_per_second_mean", dir);
	require_fields_add(fs, k, REQUIRE_COUNT, r->valid, r->mean);
	snprintf(k, sizeof(k), "%s_per_second_min", dir);
	require_fields_add(fs, k, REQUIRE_COUNT, r->valid, (double)r->min);
	snprintf(k, sizeof(k), "%s_per_second_max", dir);
	require_fields_add(fs, k, REQUIRE_COUNT, r->valid, (double)r->max);
}

static void
require_fields_run(void *arg, const struct report_job *rj,
    const struct report_run *run)
{
	(void)rj;
	require_fields_add(arg, "duration", REQUIRE_TIME, 1,
	    (double)run->duration);
	require_fields_add(arg, "ramp", REQUIRE_TIME, run->loaded,
	    (double)run->ramp);
	require_fields_add(arg, "full_load", REQUIRE_TIME, run->loaded,
	    (double)run->full_load);
	require_fields_add(arg, "peak_connections", REQUIRE_COUNT, 1,
	    (double)run->peak_connections);
	require_fields_rate(arg, "messages_received", &run->received);
	require_fields_rate(arg, "messages_sent", &run->sent);
}

/* One group of latency keys: latency_GROUP_KEY. */
struct require_fields_lat {
	struct require_fields	*fs;
	const char		*group;
};

static void
require_fields_time(void *arg, const char *key, const uint64_t *ns)
{
	struct require_fields_lat	*fl = arg;
	char				 k[REQUIRE_NAME_MAX];

	snprintf(k, sizeof(k), "latency_%s%s", fl->group, key);
	require_fields_add(fl->fs, k, REQUIRE_TIME, ns != NULL,
	    ns != NULL ? (double)*ns : 0);
}

static void
require_fields_lat_sum(struct require_fields *fs, const char *group,
    const struct hdr_sum *s)
{
	struct require_fields_lat	fl = { fs, group };
	char				k[REQUIRE_NAME_MAX];

	snprintf(k, sizeof(k), "latency_%scount", group);
	require_fields_add(fs, k, REQUIRE_COUNT, 1, (double)s->total);
	latency_view_each(s, require_fields_time, &fl);
}

static void
require_fields_latency(void *arg, const struct report_job *rj,
    const struct report_latency *l)
{
	struct require_fields_lat	fl = { arg, "" };

	(void)rj;
	require_fields_lat_sum(arg, "life_", l->life);
	require_fields_lat_sum(arg, "window_", l->window);
	require_fields_time(&fl, "p50_1s", l->p50_1s != 0 ? &l->p50_1s : NULL);
	require_fields_time(&fl, "p99_1s", l->p99_1s != 0 ? &l->p99_1s : NULL);
}

/* Every close code, zeros too: "closes_1006==0" asks of one not seen. */
static void
require_fields_closes(void *arg, const struct report_job *rj,
    const uint64_t closes[CLOSE_COUNT])
{
	char	key[REQUIRE_NAME_MAX];
	int	c;

	(void)rj;
	for (c = 0; c < CLOSE_COUNT; c++) {
		snprintf(key, sizeof(key), "closes_%s", close_label[c]);
		require_fields_add(arg, key, REQUIRE_COUNT, 1,
		    (double)closes[c]);
	}
}

static void
require_fields_head(void *arg, const struct report_job *rj)
{
	(void)rj;
	((struct require_fields *)arg)->n = 0;
}

static const struct report_output require_fields_output = {
	.head = require_fields_head,
	.counter = require_fields_counter,
	.ratio = require_fields_ratio,
	.handshakes = require_fields_handshakes,
	.run = require_fields_run,
	.latency = require_fields_latency,
	.closes = require_fields_closes,
};

void
require_fields_get(struct job *j, struct require_fields *fs)
{
	report_job(&require_fields_output, fs, j);
}

const struct require_field *
require_fields_find(const struct require_fields *fs, const struct job *j,
    const char *name)
{
	const char	*key = require_field_key(name, j);
	size_t		 i;

	for (i = 0; i < fs->n; i++)
		if (strcmp(fs->f[i].key, key) == 0)
			return &fs->f[i];
	return NULL;
}
