/* SPDX-License-Identifier: ISC */
/*
 * The live status page on the metrics server: GET / is a page of its own
 * (src/status.html, built in) that polls GET /api/stats, the jobs and
 * their per-second rates in JSON, once a second; and what the API's
 * questions about one job (/api/latency, /api/series) share.
 */
#ifndef HTTP_STATUS_H
#define HTTP_STATUS_H

#include <microhttpd.h>

struct evbuffer;
struct job;

enum MHD_Result	http_status_page(struct MHD_Connection *);
enum MHD_Result	http_status_stats(struct MHD_Connection *);
/* A reply with the page's headers (no-store, its security policy); resp
 * NULL (out of memory) is none. */
enum MHD_Result	http_status_reply(struct MHD_Connection *, unsigned int status,
		    const char *type, struct MHD_Response *resp);
/* b as a JSON reply of the page's API. */
enum MHD_Result	http_status_json(struct MHD_Connection *, unsigned int status,
		    struct evbuffer *b);

/*
 * An API's question about one job, GET PATH?name=NAME: the job so named,
 * found under the job list lock, is handed to take(j, arg) while the lock
 * is held; take returns NULL, or why it has nothing to say of j.
 */
struct http_status_query {
	const char	*name;		/* as the query gives it; NULL: none */
	const char	*error;		/* why not */
	unsigned int	 status;	/* 400 without a name, 404 */
};
/* 0 once take() answered; -1 with the error in q. */
int		http_status_job(struct MHD_Connection *,
		    struct http_status_query *q,
		    const char *(*take)(const struct job *, void *), void *arg);
/* q's error as JSON: {"error": WHY, "name": NAME}. */
enum MHD_Result	http_status_job_error(struct MHD_Connection *,
		    const struct http_status_query *q);

#endif
