/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <event2/buffer.h>
#include <microhttpd.h>

#include "cmd.h"
#include "http_status.h"
#include "job.h"
#include "json.h"
#include "metrics_process.h"

/* The page loads nothing from elsewhere; a policy allowing only itself
 * makes any such load fail in the browser's console instead of quietly
 * reaching out. */
#define HTTP_STATUS_CSP	"default-src 'none'; script-src 'unsafe-inline'; " \
	"style-src 'unsafe-inline'; connect-src 'self'; img-src data:"

/* status.html as a C string, generated at build time (Makefile.am). */
extern const char	http_status_html[];
extern const size_t	http_status_html_len;

static double
http_status_seconds(const struct timespec *ts)
{
	return (double)ts->tv_sec + (double)ts->tv_nsec / 1e9;
}

enum MHD_Result
http_status_reply(struct MHD_Connection *conn, unsigned int status,
    const char *type, struct MHD_Response *resp)
{
	enum MHD_Result	rc;

	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
	    "no-store");
	MHD_add_response_header(resp,
	    MHD_HTTP_HEADER_CONTENT_SECURITY_POLICY, HTTP_STATUS_CSP);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_X_CONTENT_TYPE_OPTIONS,
	    "nosniff");
	rc = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return rc;
}

enum MHD_Result
http_status_page(struct MHD_Connection *conn)
{
	return http_status_reply(conn, MHD_HTTP_OK, "text/html; charset=utf-8",
	    MHD_create_response_from_buffer(http_status_html_len,
	    (void *)(uintptr_t)http_status_html, MHD_RESPMEM_PERSISTENT));
}

static void
http_status_render(struct evbuffer *b)
{
	struct timespec	 now;
	struct job	*j;
	const char	*sep = "";

	clock_gettime(CLOCK_REALTIME, &now);
	evbuffer_add_printf(b, "{\"version\":");
	json_string(b, PACKAGE_VERSION);
	evbuffer_add_printf(b, ",\"uptime\":%.3f,\"time\":%.3f,\"jobs\":[",
	    http_status_seconds(&now) - metrics_process_started(),
	    http_status_seconds(&now));
	job_list_lock();
	TAILQ_FOREACH(j, job_list(), entry) {
		evbuffer_add_printf(b, "%s", sep);
		cmd_stats_json_job(b, j);
		sep = ",";
	}
	job_list_unlock();
	evbuffer_add_printf(b, "]}\n");
}

enum MHD_Result
http_status_stats(struct MHD_Connection *conn)
{
	struct evbuffer	*b;
	enum MHD_Result	 rc;

	if ((b = evbuffer_new()) == NULL)
		return MHD_NO;
	http_status_render(b);
	rc = http_status_json(conn, MHD_HTTP_OK, b);
	evbuffer_free(b);
	return rc;
}

enum MHD_Result
http_status_json(struct MHD_Connection *conn, unsigned int status,
    struct evbuffer *b)
{
	return http_status_reply(conn, status, "application/json",
	    MHD_create_response_from_buffer(evbuffer_get_length(b),
	    evbuffer_pullup(b, -1), MHD_RESPMEM_MUST_COPY));
}

int
http_status_job(struct MHD_Connection *conn, struct http_status_query *q,
    const char *(*take)(const struct job *, void *), void *arg)
{
	struct job	*j;

	q->name = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND,
	    "name");
	q->status = MHD_HTTP_BAD_REQUEST;
	if (q->name == NULL || *q->name == '\0') {
		q->error = "no name=NAME in the query";
		return -1;
	}
	q->status = MHD_HTTP_NOT_FOUND;
	job_list_lock();
	if ((j = job_find(q->name)) == NULL)
		q->error = "no such job";
	else
		q->error = take(j, arg);
	job_list_unlock();
	return q->error == NULL ? 0 : -1;
}

enum MHD_Result
http_status_job_error(struct MHD_Connection *conn,
    const struct http_status_query *q)
{
	struct evbuffer	*b;
	enum MHD_Result	 rc;

	if ((b = evbuffer_new()) == NULL)
		return MHD_NO;
	evbuffer_add_printf(b, "{\"error\":");
	json_string(b, q->error);
	evbuffer_add_printf(b, ",\"name\":");
	json_string(b, q->name != NULL ? q->name : "");
	evbuffer_add_printf(b, "}\n");
	rc = http_status_json(conn, q->status, b);
	evbuffer_free(b);
	return rc;
}
