/* SPDX-License-Identifier: ISC */
/*
 * The Prometheus text exposition of GET /metrics: every job's numbers, from
 * the one report walk (report.c), grouped by family, then the daemon's own.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "counters.h"
#include "hdr.h"
#include "job.h"
#include "log.h"
#include "loop.h"
#include "metrics.h"
#include "metrics_process.h"
#include "report.h"

#define METRICS_HS	"wsbench_handshake_duration_seconds"
#define METRICS_LAT	"wsbench_latency_seconds"
/* The latency buckets: 10^(k/25) s for k from METRICS_LAT_LOW (10 us) to
 * 100 s, 1.096 apart, so that histogram_quantile() is within 10%. */
#define METRICS_LAT_LOW		(-125)
#define METRICS_LAT_BOUNDS	176

/* One sample line, put together before it goes out in one piece. */
struct metrics_line {
	char	buf[256];
	size_t	len;
};

static void
metrics_put(struct metrics_line *l, const char *s, size_t n)
{
	if (n > sizeof(l->buf) - l->len)
		fatalx("%s: a sample line of over %zu bytes", __func__,
		    sizeof(l->buf));
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

/* v in decimal, with leading zeros up to width digits (at most 20). */
static void
metrics_put_u64(struct metrics_line *l, uint64_t v, size_t width)
{
	char	digits[20];
	size_t	n = sizeof(digits);

	do {
		digits[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0 || sizeof(digits) - n < width);
	metrics_put(l, digits + n, sizeof(digits) - n);
}

/* A name or a label of sample lines, its length worked out once a page
 * rather than once a line. */
struct metrics_str {
	char	s[64];
	size_t	len;
};

/*
 * The per-job families are a backend of the jobs' report (report.h): the
 * walk goes job after job, the page family after family, so each family
 * gathers its samples in a buffer of its own, in job order, and goes out
 * after its HELP and TYPE once every job is walked.  Each job's counters
 * are summed once, so its families agree (a handshake counted in the
 * histogram is in connections_opened too).
 */
struct metrics_page {
	char			 labels[JOB_NAME_MAX + 32]; /* name=..,kind=.. */
	size_t			 labels_len;
	struct evbuffer		*info;
	struct evbuffer		*counter[CTR_COUNT];	/* of those with a metric */
	struct evbuffer		*closes;
	struct evbuffer		*handshakes;
	struct evbuffer		*latency;
	struct metrics_str	 metric[CTR_COUNT];	/* the family's name */
	struct metrics_str	 reason[CTR_COUNT];	/* ,reason=".." or "" */
	struct metrics_str	 code[CLOSE_COUNT];	/* ,code=".." */
	struct metrics_str	 le[HISTOGRAM_BUCKETS];	/* ,le=".." */
	struct metrics_str	 closes_total, hs_bucket, hs_sum, hs_count;
	struct metrics_str	 lat_le[METRICS_LAT_BOUNDS + 1]; /* +Inf last */
	uint64_t		 lat_ns[METRICS_LAT_BOUNDS];
	struct metrics_str	 lat_bucket, lat_sum, lat_count;
	struct metrics_str	 none;			/* "": no third label */
};

/* A name, or with label set a third label: ,label="value". */
static void
metrics_str(struct metrics_str *ms, const char *label, const char *value)
{
	int	n;

	if (label != NULL)
		n = snprintf(ms->s, sizeof(ms->s), ",%s=\"%s\"", label, value);
	else
		n = snprintf(ms->s, sizeof(ms->s), "%s", value);
	if (n < 0 || (size_t)n >= sizeof(ms->s))
		fatalx("%s: '%s' too long", __func__, value);
	ms->len = (size_t)n;
}

/* "family{name="..",kind=".."extra" then more labels are the caller's. */
static void
metrics_open_line(struct metrics_line *l, const struct metrics_str *family,
    const struct metrics_page *pg, const struct metrics_str *extra)
{
	l->len = 0;
	metrics_put(l, family->s, family->len);
	metrics_put(l, "{", 1);
	metrics_put(l, pg->labels, pg->labels_len);
	metrics_put(l, extra->s, extra->len);
}

/* "family{name="..",kind=".."extra} " then the value is the caller's. */
static void
metrics_start_line(struct metrics_line *l, const struct metrics_str *family,
    const struct metrics_page *pg, const struct metrics_str *extra)
{
	metrics_open_line(l, family, pg, extra);
	metrics_put(l, "} ", 2);
}

static void
metrics_end_line(struct evbuffer *b, struct metrics_line *l)
{
	metrics_put(l, "\n", 1);
	evbuffer_add(b, l->buf, l->len);
}

static void
metrics_sample(struct evbuffer *b, const struct metrics_str *family,
    const struct metrics_page *pg, const struct metrics_str *extra,
    uint64_t v)
{
	struct metrics_line	l;

	metrics_start_line(&l, family, pg, extra);
	metrics_put_u64(&l, v, 1);
	metrics_end_line(b, &l);
}

/* A label value: backslash, double quote and newline escaped. */
static void
metrics_label(struct evbuffer *b, const char *s)
{
	size_t	n;

	while (*s != '\0') {
		n = strcspn(s, "\\\"\n");
		evbuffer_add(b, s, n);
		s += n;
		if (*s == '\0')
			break;
		evbuffer_add(b, *s == '\n' ? "\\n" : *s == '"' ? "\\\"" :
		    "\\\\", 2);
		s++;
	}
}

/* The job's labels, once for all its lines (job names are restricted to
 * [A-Za-z0-9_.-]: they need no escaping); and what the job is, for joins
 * in PromQL: where a server listens or the URL a client connects to is a
 * label here only, not on every counter. */
static void
metrics_job_info(void *arg, const struct report_job *rj)
{
	struct metrics_page	*pg = arg;
	const struct job	*j = rj->job;

	pg->labels_len = (size_t)snprintf(pg->labels, sizeof(pg->labels),
	    "name=\"%s\",kind=\"%s\"", j->name, j->kind->name);
	evbuffer_add_printf(pg->info, "wsbench_job_info{%s,%s=\"", pg->labels,
	    j->kind->target_label);
	metrics_label(pg->info, j->kind->target(j));
	evbuffer_add_printf(pg->info, "\"} 1\n");
}

/* Counters, not rates: PromQL computes those. */
static void
metrics_counter(void *arg, const struct report_job *rj, enum counter c,
    uint64_t total, const uint64_t *rate)
{
	struct metrics_page	*pg = arg;

	(void)rj;
	(void)rate;
	if (pg->counter[c] != NULL)
		metrics_sample(pg->counter[c], &pg->metric[c], pg,
		    &pg->reason[c], total);
}

/* Every code of the bounded set, zeros included: a series that appears
 * only at its first close would hide that close from rate(). */
static void
metrics_closes(void *arg, const struct report_job *rj,
    const uint64_t closes[CLOSE_COUNT])
{
	struct metrics_page	*pg = arg;
	int			 c;

	(void)rj;
	for (c = 0; c < CLOSE_COUNT; c++)
		metrics_sample(pg->closes, &pg->closes_total, pg,
		    &pg->code[c], closes[c]);
}

static void
metrics_handshakes(void *arg, const struct report_job *rj,
    const struct histogram_sum *h)
{
	struct metrics_page	*pg = arg;
	struct metrics_line	 l;
	uint64_t		 cum = 0;
	int			 k;

	(void)rj;
	for (k = 0; k < HISTOGRAM_BUCKETS; k++) {
		cum += h->bucket[k];
		metrics_sample(pg->handshakes, &pg->hs_bucket, pg, &pg->le[k],
		    cum);
	}
	metrics_start_line(&l, &pg->hs_sum, pg, &pg->none);
	metrics_put_u64(&l, h->sum_us / 1000000, 1);
	metrics_put(&l, ".", 1);
	metrics_put_u64(&l, h->sum_us % 1000000, 6);
	metrics_end_line(pg->handshakes, &l);
	metrics_sample(pg->handshakes, &pg->hs_count, pg, &pg->none, cum);
}

/* The life histogram, its buckets counted in one pass over hdr's; a
 * bucket holds the hdr buckets wholly under its bound (hdr_count_le), so
 * within 1% of it. */
static void
metrics_latency(void *arg, const struct report_job *rj,
    const struct report_latency *lat)
{
	struct metrics_page	*pg = arg;
	const struct hdr_sum	*s = lat->life;
	struct metrics_str	 type;
	struct metrics_line	 l;
	struct hdr_le		 le = { 0, 0 };
	int			 k;

	(void)rj;
	metrics_str(&type, "type", lat->type);
	for (k = 0; k <= METRICS_LAT_BOUNDS; k++) {
		metrics_open_line(&l, &pg->lat_bucket, pg, &type);
		metrics_put(&l, pg->lat_le[k].s, pg->lat_le[k].len);
		metrics_put(&l, "} ", 2);
		metrics_put_u64(&l, k < METRICS_LAT_BOUNDS ?
		    hdr_count_le_next(s, &le, pg->lat_ns[k]) : s->total, 1);
		metrics_end_line(pg->latency, &l);
	}
	metrics_start_line(&l, &pg->lat_sum, pg, &type);
	metrics_put_u64(&l, s->sum_ns / 1000000000, 1);
	metrics_put(&l, ".", 1);
	metrics_put_u64(&l, s->sum_ns % 1000000000, 9);
	metrics_end_line(pg->latency, &l);
	metrics_sample(pg->latency, &pg->lat_count, pg, &type, s->total);
}

/* The latency bounds, in seconds for le and in ns for hdr_count_le. */
static void
metrics_lat_bounds(struct metrics_page *pg)
{
	char	le[16];
	int	k;

	for (k = 0; k < METRICS_LAT_BOUNDS; k++) {
		snprintf(le, sizeof(le), "%.4g",
		    pow(10, (double)(METRICS_LAT_LOW + k) / 25));
		metrics_str(&pg->lat_le[k], "le", le);
		pg->lat_ns[k] = (uint64_t)(pow(10, (double)(METRICS_LAT_LOW +
		    k) / 25 + 9) + 0.5);
	}
	metrics_str(&pg->lat_le[k], "le", "+Inf");
}

static const struct report_output metrics_output = {
	.head = metrics_job_info,
	.counter = metrics_counter,
	.handshakes = metrics_handshakes,
	.latency = metrics_latency,
	.closes = metrics_closes,
};

/* The buffers of the families, and the names and third labels of their
 * lines. */
static int
metrics_page_init(struct metrics_page *pg)
{
	int	c, k, ok;

	memset(pg, 0, sizeof(*pg));
	pg->info = evbuffer_new();
	pg->closes = evbuffer_new();
	pg->handshakes = evbuffer_new();
	pg->latency = evbuffer_new();
	ok = pg->info != NULL && pg->closes != NULL && pg->handshakes != NULL &&
	    pg->latency != NULL;
	for (c = 0; c < CTR_COUNT; c++) {
		if (counter_info[c].metric == NULL)
			continue;
		if ((pg->counter[c] = evbuffer_new()) == NULL)
			ok = 0;
		metrics_str(&pg->metric[c], NULL, counter_info[c].metric);
		if (counter_info[c].reason != NULL)
			metrics_str(&pg->reason[c], "reason",
			    counter_info[c].reason);
	}
	for (c = 0; c < CLOSE_COUNT; c++)
		metrics_str(&pg->code[c], "code", close_label[c]);
	for (k = 0; k < HISTOGRAM_BUCKETS; k++)
		metrics_str(&pg->le[k], "le", histogram_le[k]);
	metrics_str(&pg->closes_total, NULL, "wsbench_closes_total");
	metrics_str(&pg->hs_bucket, NULL, METRICS_HS "_bucket");
	metrics_str(&pg->hs_sum, NULL, METRICS_HS "_sum");
	metrics_str(&pg->hs_count, NULL, METRICS_HS "_count");
	metrics_lat_bounds(pg);
	metrics_str(&pg->lat_bucket, NULL, METRICS_LAT "_bucket");
	metrics_str(&pg->lat_sum, NULL, METRICS_LAT "_sum");
	metrics_str(&pg->lat_count, NULL, METRICS_LAT "_count");
	return ok ? 0 : -1;
}

static void
metrics_page_free(struct metrics_page *pg)
{
	int	c;

	if (pg->info != NULL)
		evbuffer_free(pg->info);
	for (c = 0; c < CTR_COUNT; c++)
		if (pg->counter[c] != NULL)
			evbuffer_free(pg->counter[c]);
	if (pg->closes != NULL)
		evbuffer_free(pg->closes);
	if (pg->handshakes != NULL)
		evbuffer_free(pg->handshakes);
	if (pg->latency != NULL)
		evbuffer_free(pg->latency);
}

/* Counters sharing a family come one after another in COUNTERS, so HELP and
 * TYPE go out when the family changes. */
static void
metrics_page_out(struct evbuffer *b, struct metrics_page *pg)
{
	const struct counter_info	*ci;
	const char			*family = "";
	int				 c;

	metrics_family(b, "wsbench_job_info", "gauge",
	    "Always 1, labelled with what the job is.");
	evbuffer_add_buffer(b, pg->info);
	for (c = 0; c < CTR_COUNT; c++) {
		ci = &counter_info[c];
		if (ci->metric == NULL)
			continue;
		if (strcmp(ci->metric, family) != 0)
			metrics_family(b, ci->metric, ci->type, ci->help);
		family = ci->metric;
		evbuffer_add_buffer(b, pg->counter[c]);
	}
	metrics_family(b, "wsbench_closes_total", "counter",
	    "Close frames received from peers, by close code.");
	evbuffer_add_buffer(b, pg->closes);
	metrics_family(b, METRICS_HS, "histogram",
	    "Opening handshakes that succeeded, by duration: from the "
	    "connect or accept to the 101 checked or sent.");
	evbuffer_add_buffer(b, pg->handshakes);
	metrics_family(b, METRICS_LAT, "histogram",
	    "Latency of the timed messages over the job's life: type rtt, "
	    "round trips of a send job's stamps; oneway, from a stamp's due "
	    "time to its arrival.");
	evbuffer_add_buffer(b, pg->latency);
}

/* The list lock keeps jobs from going away meanwhile; workers never take
 * it. */
int
metrics_render(struct evbuffer *b)
{
	struct metrics_page	 pg;
	struct job		*j;

	if (metrics_page_init(&pg) == -1) {
		metrics_page_free(&pg);
		log_warnx("%s: out of memory", __func__);
		return -1;
	}
	job_list_lock();
	TAILQ_FOREACH(j, job_list(), entry)
		report_job(&metrics_output, &pg, j);
	job_list_unlock();
	metrics_page_out(b, &pg);
	metrics_page_free(&pg);
	metrics_process_render(b);
	return 0;
}
