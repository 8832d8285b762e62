/* SPDX-License-Identifier: ISC */
/*
 * The Prometheus endpoint: GET /metrics in the text exposition format,
 * served by libmicrohttpd from a thread of its own.  It reads the counters
 * without stopping any loop.
 */
#ifndef METRICS_H
#define METRICS_H

#define METRICS_DEFAULT_ADDR	"127.0.0.1:9808"

/* Starts serving on "ADDR:PORT" ("[::1]:9808" for IPv6).  Returns 0, -1. */
int	metrics_start(const char *addr);
void	metrics_stop(void);

#endif
