/* SPDX-License-Identifier: ISC */
/*
 * The Prometheus page, GET /metrics (served by http_server.c): every
 * job's counters, close codes and handshake histogram, and the daemon's
 * own families, in the text exposition format.
 */
#ifndef METRICS_H
#define METRICS_H

#define METRICS_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

struct evbuffer;

/* Appends the page to b.  Returns 0, or -1 when out of memory. */
int	metrics_render(struct evbuffer *b);

#endif
