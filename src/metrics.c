/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "counters.h"
#include "job.h"
#include "log.h"
#include "loop.h"
#include "metrics.h"
#include "metrics_process.h"

/* What /metrics shows of a job, taken in one pass over its slots. */
struct metrics_job {
	char			 labels[JOB_NAME_MAX + 32];	/* name=..,kind=.. */
	size_t			 labels_len;
	struct counter_totals	 t;
};

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

static void
metrics_puts(struct metrics_line *l, const char *s)
{
	metrics_put(l, s, strlen(s));
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

/* "family{name="..",kind=".."extra} " then the value is the caller's. */
static void
metrics_start_line(struct metrics_line *l, const char *family,
    const struct metrics_job *mj, const char *extra)
{
	l->len = 0;
	metrics_puts(l, family);
	metrics_put(l, "{", 1);
	metrics_put(l, mj->labels, mj->labels_len);
	if (extra != NULL)
		metrics_puts(l, extra);
	metrics_put(l, "} ", 2);
}

static void
metrics_end_line(struct evbuffer *b, struct metrics_line *l)
{
	metrics_put(l, "\n", 1);
	evbuffer_add(b, l->buf, l->len);
}

static void
metrics_sample(struct evbuffer *b, const char *family,
    const struct metrics_job *mj, const char *extra, uint64_t v)
{
	struct metrics_line	l;

	metrics_start_line(&l, family, mj, extra);
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

/* What a job is, for joins in PromQL: where a server listens or the URL a
 * client connects to is a label here only, not on every counter. */
extern const struct job_kind job_kind_recv;

static void
metrics_job_info(struct evbuffer *b, const struct job *j,
    const struct metrics_job *mj)
{
	evbuffer_add_printf(b, "wsbench_job_info{%s,%s=\"", mj->labels,
	    j->kind == &job_kind_recv ? "url" : "listen");
	metrics_label(b, j->kind->target(j));
	evbuffer_add_printf(b, "\"} 1\n");
}

/*
 * Takes every job's totals at once, so that the families of one page agree
 * (a handshake counted in the histogram is in connections_opened too).  Job
 * names are restricted to [A-Za-z0-9_.-]: their labels need no escaping.
 * The list lock keeps jobs from going away meanwhile; workers never take
 * it.  Returns the number of jobs in *mjp, or -1.
 */
static int
metrics_snapshot(struct evbuffer *b, struct metrics_job **mjp)
{
	struct metrics_job	*mj;
	struct job		*j;
	int			 n = 0, len;

	metrics_family(b, "wsbench_job_info", "gauge",
	    "Always 1, labelled with what the job is.");
	job_list_lock();
	TAILQ_FOREACH(j, job_list(), entry)
		n++;
	if ((*mjp = calloc(n > 0 ? (size_t)n : 1, sizeof(**mjp))) == NULL) {
		job_list_unlock();
		log_warn("%s: calloc", __func__);
		return -1;
	}
	mj = *mjp;
	TAILQ_FOREACH(j, job_list(), entry) {
		len = snprintf(mj->labels, sizeof(mj->labels),
		    "name=\"%s\",kind=\"%s\"", j->name, j->kind->name);
		mj->labels_len = (size_t)len;
		counter_totals(j->slots, loop_nworkers(), &mj->t);
		metrics_job_info(b, j, mj);
		mj++;
	}
	job_list_unlock();
	return n;
}

/* Counters sharing a family come one after another in COUNTERS, so HELP and
 * TYPE go out when the family changes. */
static void
metrics_counters(struct evbuffer *b, const struct metrics_job *mj, int n)
{
	const struct counter_info	*ci;
	const char			*family = "";
	char				 reason[64];
	int				 c, i;

	for (c = 0; c < CTR_COUNT; c++) {
		ci = &counter_info[c];
		if (ci->metric == NULL)
			continue;
		if (strcmp(ci->metric, family) != 0)
			metrics_family(b, ci->metric, ci->type, ci->help);
		family = ci->metric;
		if (ci->reason != NULL)
			snprintf(reason, sizeof(reason), ",reason=\"%s\"",
			    ci->reason);
		for (i = 0; i < n; i++)
			metrics_sample(b, ci->metric, &mj[i],
			    ci->reason != NULL ? reason : NULL, mj[i].t.v[c]);
	}
}

/* Every code of the bounded set, zeros included: a series that appears
 * only at its first close would hide that close from rate(). */
static void
metrics_closes(struct evbuffer *b, const struct metrics_job *mj, int n)
{
	char	code[CLOSE_COUNT][32];
	int	c, i;

	metrics_family(b, "wsbench_closes_total", "counter",
	    "Close frames received from peers, by close code.");
	for (c = 0; c < CLOSE_COUNT; c++)
		snprintf(code[c], sizeof(code[c]), ",code=\"%s\"",
		    close_label[c]);
	for (i = 0; i < n; i++)
		for (c = 0; c < CLOSE_COUNT; c++)
			metrics_sample(b, "wsbench_closes_total", &mj[i],
			    code[c], mj[i].t.closes[c]);
}

static void
metrics_handshakes(struct evbuffer *b, const struct metrics_job *mj, int n)
{
	const struct histogram_sum	*h;
	struct metrics_line		 l;
	char				 le[HISTOGRAM_BUCKETS][32];
	uint64_t			 cum;
	int				 k, i;

	metrics_family(b, "wsbench_handshake_duration_seconds", "histogram",
	    "Opening handshakes that succeeded, by duration: from the "
	    "connect or accept to the 101 checked or sent.");
	for (k = 0; k < HISTOGRAM_BUCKETS; k++)
		snprintf(le[k], sizeof(le[k]), ",le=\"%s\"", histogram_le[k]);
	for (i = 0; i < n; i++) {
		h = &mj[i].t.handshake;
		cum = 0;
		for (k = 0; k < HISTOGRAM_BUCKETS; k++) {
			cum += h->bucket[k];
			metrics_sample(b, "wsbench_handshake_duration_seconds"
			    "_bucket", &mj[i], le[k], cum);
		}
		metrics_start_line(&l, "wsbench_handshake_duration_seconds_sum",
		    &mj[i], NULL);
		metrics_put_u64(&l, h->sum_us / 1000000, 1);
		metrics_put(&l, ".", 1);
		metrics_put_u64(&l, h->sum_us % 1000000, 6);
		metrics_end_line(b, &l);
		metrics_sample(b, "wsbench_handshake_duration_seconds_count",
		    &mj[i], NULL, cum);
	}
}

int
metrics_render(struct evbuffer *b)
{
	struct metrics_job	*mj;
	int			 n;

	if ((n = metrics_snapshot(b, &mj)) == -1)
		return -1;
	metrics_counters(b, mj, n);
	metrics_closes(b, mj, n);
	metrics_handshakes(b, mj, n);
	free(mj);
	metrics_process_render(b);
	return 0;
}
