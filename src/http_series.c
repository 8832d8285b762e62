/* SPDX-License-Identifier: ISC */
/*
 * A job's per-second series as JSON (series_view.h), taken under the job
 * list lock: the sampler adds to it on the main loop under the same lock.
 */
#include "config.h"

#include <stddef.h>

#include <event2/buffer.h>
#include <microhttpd.h>

#include "http_series.h"
#include "http_status.h"
#include "series_view.h"

static const char *
http_series_take(const struct job *j, void *arg)
{
	series_json(arg, j);
	return NULL;
}

enum MHD_Result
http_series(struct MHD_Connection *conn)
{
	struct http_status_query	 q;
	struct evbuffer			*b;
	enum MHD_Result			 rc;

	if ((b = evbuffer_new()) == NULL)
		return MHD_NO;
	if (http_status_job(conn, &q, http_series_take, b) == -1) {
		evbuffer_free(b);
		return http_status_job_error(conn, &q);
	}
	evbuffer_add_printf(b, "\n");
	rc = http_status_json(conn, MHD_HTTP_OK, b);
	evbuffer_free(b);
	return rc;
}
