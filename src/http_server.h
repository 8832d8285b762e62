/* SPDX-License-Identifier: ISC */
/*
 * The daemon's HTTP server, libmicrohttpd on a thread of its own: GET
 * /metrics (metrics.c renders it, gzipped for scrapers that take gzip),
 * and the status page, GET / and /api/stats (http_status.c) and
 * /api/latency (http_latency.c).  What it serves reads the counters
 * without stopping any loop.
 */
#ifndef HTTP_SERVER_H
#define HTTP_SERVER_H

#define HTTP_SERVER_DEFAULT_ADDR	"127.0.0.1:9808"

/* Starts serving on "ADDR:PORT" ("[::1]:9808" for IPv6).  Returns 0, -1. */
int	http_server_start(const char *addr);
void	http_server_stop(void);

#endif
