/* SPDX-License-Identifier: ISC */
/*
 * GET /api/latency?name=NAME on the status page's server: the latency
 * distribution of a job that times messages, for the page's percentile
 * chart.
 */
#ifndef HTTP_LATENCY_H
#define HTTP_LATENCY_H

#include <microhttpd.h>

enum MHD_Result	http_latency(struct MHD_Connection *);

#endif
