/* SPDX-License-Identifier: ISC */
/*
 * The daemon's own families on /metrics: build, threads, control requests,
 * and the process metrics Prometheus clients conventionally export, read
 * from /proc/self when scraped.
 */
#ifndef METRICS_PROCESS_H
#define METRICS_PROCESS_H

struct evbuffer;

/* The HELP and TYPE lines that open a family. */
void	metrics_family(struct evbuffer *, const char *name, const char *type,
	    const char *help);
/* Notes the daemon's start time; once, at start. */
void	metrics_process_init(void);
/* That time, in seconds since the epoch. */
double	metrics_process_started(void);
/* Control requests by result, counted by the main loop. */
void	metrics_count_request(int ok);
void	metrics_process_render(struct evbuffer *);

#endif
