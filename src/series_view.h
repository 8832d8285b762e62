/* SPDX-License-Identifier: ISC */
/*
 * A job's per-second series (job_run.h) as the views show it: CSV lines
 * (wsbenchctl -o) and a JSON object (/api/series, the status page).
 */
#ifndef SERIES_VIEW_H
#define SERIES_VIEW_H

struct evbuffer;
struct job;

/* The series of job j as CSV lines (header first, unless header is 0), each
 * line's first column the job's name when named is set; as the JSON object
 *	{"name": NAME, "fields": ["t", ...], "rows": [[...], ...]}
 * The caller holds the list. */
void	series_csv(struct evbuffer *, const struct job *, int header,
	    int named);
void	series_json(struct evbuffer *, const struct job *);

#endif
