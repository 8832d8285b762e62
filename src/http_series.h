/* SPDX-License-Identifier: ISC */
/*
 * GET /api/series?name=NAME on the status page's server: a job's
 * per-second series of its last hour, for the page's run charts.
 */
#ifndef HTTP_SERIES_H
#define HTTP_SERIES_H

#include <microhttpd.h>

enum MHD_Result	http_series(struct MHD_Connection *);

#endif
