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

static enum MHD_Result
http_latency_error(struct MHD_Connection *conn, unsigned int status,
    struct evbuffer *b, const char *what, const char *name)
{
	enum MHD_Result	rc;

	evbuffer_add_printf(b, "{\"error\":");
	json_string(b, what);
	evbuffer_add_printf(b, ",\"name\":");
	json_string(b, name != NULL ? name : "");
	evbuffer_add_printf(b, "}\n");
	rc = http_status_json(conn, status, b);
	evbuffer_free(b);
	return rc;
}

/* The window of job name into *window, and its kind of timing; under the
 * list lock, which job_latency() wants. */
static int
http_latency_window(const char *name, struct hdr_sum *window,
    const char **type, const char **error)
{
	struct job	*j;
	int		 rc = -1;

	job_list_lock();
	if ((j = job_find(name)) == NULL)
		*error = "no such job";
	else if (j->timing == NULL)
		*error = "the job times nothing";
	else {
		job_latency(j, NULL, window);
		*type = j->timing;
		rc = 0;
	}
	job_list_unlock();
	return rc;
}

enum MHD_Result
http_latency(struct MHD_Connection *conn)
{
	struct http_latency_walk	 w = { .sep = "" };
	struct hdr_sum			*window;
	const char			*name, *type, *error = NULL;
	enum MHD_Result			 rc;

	if ((w.b = evbuffer_new()) == NULL)
		return MHD_NO;
	name = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND,
	    "name");
	if (name == NULL || *name == '\0')
		return http_latency_error(conn, MHD_HTTP_BAD_REQUEST, w.b,
		    "no name=NAME in the query", name);
	/* 31 KiB: not on the HTTP thread's stack. */
	if ((window = malloc(sizeof(*window))) == NULL) {
		evbuffer_free(w.b);
		return MHD_NO;
	}
	if (http_latency_window(name, window, &type, &error) == -1) {
		free(window);
		return http_latency_error(conn, MHD_HTTP_NOT_FOUND, w.b, error,
		    name);
	}
	evbuffer_add_printf(w.b, "{\"name\":");
	json_string(w.b, name);
	evbuffer_add_printf(w.b, ",\"type\":");
	json_string(w.b, type);
	evbuffer_add_printf(w.b, ",\"count\":%llu,\"points\":[",
	    (unsigned long long)window->total);
	hdr_percentiles(window, HTTP_LATENCY_TICKS, http_latency_point, &w);
	evbuffer_add_printf(w.b, "]}\n");
	free(window);
	rc = http_status_json(conn, MHD_HTTP_OK, w.b);
	evbuffer_free(w.b);
	return rc;
}
