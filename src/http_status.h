/* SPDX-License-Identifier: ISC */
/*
 * The live status page on the metrics server: GET / is a page of its own
 * (src/status.html, built in) that polls GET /api/stats, the jobs and
 * their per-second rates in JSON, once a second.
 */
#ifndef HTTP_STATUS_H
#define HTTP_STATUS_H

#include <microhttpd.h>

enum MHD_Result	http_status_page(struct MHD_Connection *);
enum MHD_Result	http_status_stats(struct MHD_Connection *);

#endif
