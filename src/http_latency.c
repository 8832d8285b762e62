/* SPDX-License-Identifier: ISC */
/*
 * The latency distribution of one job as JSON: the window since its last
 * `latency --reset` (as `wsbenchctl latency NAME` prints it), walked as
 * HdrHistogram's percentile output walks it (hdr_percentiles), so that
 * the page plots what --hdr prints:
 *
 *	{"name": NAME, "type": "rtt", "count": N,
 *	 "points": [[value_us, percentile, count], ...]}
 *
 * percentile from 0 to 1; count the recordings at or below value_us.
 */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <microhttpd.h>

#include "hdr.h"
#include "http_latency.h"
#include "http_status.h"
#include "job.h"
#include "json.h"
#include "latency_view.h"

/* Steps each time the distance to 100% halves: HdrHistogram's default. */
#define HTTP_LATENCY_TICKS	5

struct http_latency_walk {
	struct evbuffer	*b;
	const char	*sep;
};

static void
http_latency_point(void *arg, uint64_t ns, double level, uint64_t count)
{
	struct http_latency_walk	*w = arg;
	char				 us[LATENCY_VIEW_LEN];

	/* Microseconds as /api/stats gives them. */
	latency_view_us(us, sizeof(us), ns);
	evbuffer_add_printf(w->b, "%s[%s,%.12g,%llu]", w->sep, us, level,
	    (unsigned long long)count);
	w->sep = ",";
}

/* What http_latency() takes of its job under the list lock. */
struct http_latency_take {
	struct hdr_sum	*window;
	const char	*type;
};

/* The window of job j, and its kind of timing. */
static const char *
http_latency_window(const struct job *j, void *arg)
{
	struct http_latency_take	*t = arg;

	if (j->timing == NULL)
		return "the job times nothing";
	job_latency(j, NULL, t->window);
	t->type = j->timing;
	return NULL;
}

enum MHD_Result
http_latency(struct MHD_Connection *conn)
{
	struct http_latency_walk	 w = { .sep = "" };
	struct http_latency_take	 t;
	struct http_status_query	 q;
	enum MHD_Result			 rc;

	/* 31 KiB: not on the HTTP thread's stack. */
	if ((t.window = malloc(sizeof(*t.window))) == NULL)
		return MHD_NO;
	if (http_status_job(conn, &q, http_latency_window, &t) == -1) {
		free(t.window);
		return http_status_job_error(conn, &q);
	}
	if ((w.b = evbuffer_new()) == NULL) {
		free(t.window);
		return MHD_NO;
	}
	evbuffer_add_printf(w.b, "{\"name\":");
	json_string(w.b, q.name);
	evbuffer_add_printf(w.b, ",\"type\":");
	json_string(w.b, t.type);
	evbuffer_add_printf(w.b, ",\"count\":%llu,\"points\":[",
	    (unsigned long long)t.window->total);
	hdr_percentiles(t.window, HTTP_LATENCY_TICKS, http_latency_point, &w);
	evbuffer_add_printf(w.b, "]}\n");
	free(t.window);
	rc = http_status_json(conn, MHD_HTTP_OK, w.b);
	evbuffer_free(w.b);
	return rc;
}
