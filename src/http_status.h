/* SPDX-License-Identifier: ISC */
/*
 * The live status page on the metrics server: GET / is a page of its own
 * (src/status.html, built in) that polls GET /api/stats, the jobs and
 * their per-second rates in JSON, once a second.
 */
#ifndef HTTP_STATUS_H
#define HTTP_STATUS_H

#include <microhttpd.h>

struct evbuffer;

enum MHD_Result	http_status_page(struct MHD_Connection *);
enum MHD_Result	http_status_stats(struct MHD_Connection *);
/* A reply with the page's headers (no-store, its security policy); resp
 * NULL (out of memory) is none. */
enum MHD_Result	http_status_reply(struct MHD_Connection *, unsigned int status,
		    const char *type, struct MHD_Response *resp);
/* b as a JSON reply of the page's API. */
enum MHD_Result	http_status_json(struct MHD_Connection *, unsigned int status,
		    struct evbuffer *b);

#endif
