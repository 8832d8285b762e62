/* SPDX-License-Identifier: ISC */
/*
 * The sum of several hosts' stats for wsbenchctl -H: per job name, every
 * counter of counters.h and its rate added up over the hosts that have
 * the job.  Percentiles do not add up and are not summed.
 */
#ifndef CTL_SUM_H
#define CTL_SUM_H

#include <stdint.h>
#include <stdio.h>

#include "counters.h"

struct ctl_sum_job {
	char		*name;		/* as the hosts wrote it (JSON: escaped) */
	char		*kind;
	int		 hosts;		/* how many have it */
	uint64_t	 v[CTR_COUNT];
	uint64_t	 rate[CTR_COUNT];	/* its _per_second */
	unsigned char	 rated[CTR_COUNT];	/* a host gave the rate */
};

struct ctl_sum {
	struct ctl_sum_job	*jobs;		/* in the order first seen */
	size_t			 njobs, cap;
	struct ctl_sum_job	*cur;		/* the text's job being read */
};

/* Starts the next host's stats. */
void	ctl_sum_host(struct ctl_sum *);
/* One line of a host's `stats` text: a job's "key value" lines, each
 * job's first being its name. */
void	ctl_sum_text_line(struct ctl_sum *, const char *line);
/* A host's `stats -j`: a JSON array of job objects, the counters their
 * members and the rates in their "per_second".  Returns 0, or -1 if it
 * is not such JSON (the sum may then have some of its jobs). */
int	ctl_sum_json(struct ctl_sum *, const char *json);
/* The sum in the layout of stats, a job after another. */
void	ctl_sum_print_text(const struct ctl_sum *, FILE *);
/* The sum as a JSON array of objects, one a job name. */
void	ctl_sum_print_json(const struct ctl_sum *, FILE *);
void	ctl_sum_free(struct ctl_sum *);

#endif
