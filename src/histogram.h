/* SPDX-License-Identifier: ISC */
/*
 * Fixed-bucket histograms of durations, kept like the counters: each worker
 * observes into a slot of its own, readers add the slots up.  Buckets are
 * not cumulative in a slot (one store an observation); a reader makes them
 * cumulative.  The bounds are Prometheus's usual latency buckets, in
 * microseconds.
 */
#ifndef HISTOGRAM_H
#define HISTOGRAM_H

#include <stdatomic.h>
#include <stdint.h>

/* X(upper bound in microseconds, its "le" label in seconds) */
#define HISTOGRAM_BOUNDS(X)						\
	X(100, "0.0001") X(250, "0.00025") X(500, "0.0005")		\
	X(1000, "0.001") X(2500, "0.0025") X(5000, "0.005")		\
	X(10000, "0.01") X(25000, "0.025") X(50000, "0.05")		\
	X(100000, "0.1") X(250000, "0.25") X(500000, "0.5")		\
	X(1000000, "1") X(2500000, "2.5") X(5000000, "5")		\
	X(10000000, "10")

enum {
#define HISTOGRAM_ENUM(us, le)	HISTOGRAM_LE_##us,
	HISTOGRAM_BOUNDS(HISTOGRAM_ENUM)
#undef HISTOGRAM_ENUM
	HISTOGRAM_INF,			/* the +Inf bucket */
	HISTOGRAM_BUCKETS
};

/* One worker's observations. */
struct histogram {
	_Atomic uint64_t	bucket[HISTOGRAM_BUCKETS];
	_Atomic uint64_t	sum_us;
};

/* What a reader adds up from the slots. */
struct histogram_sum {
	uint64_t	bucket[HISTOGRAM_BUCKETS];	/* not cumulative */
	uint64_t	count;
	uint64_t	sum_us;
};

extern const char *const histogram_le[HISTOGRAM_BUCKETS];	/* "+Inf" last */

/* Microseconds on the monotonic clock, for the start and end of a span. */
uint64_t	histogram_now_us(void);
/* Records a duration; only the slot's owner calls it. */
void		histogram_observe(struct histogram *, uint64_t us);
void		histogram_add(struct histogram_sum *, const struct histogram *);
/* The q-quantile in microseconds, interpolated within its bucket as
 * Prometheus's histogram_quantile() does; 0 without observations. */
uint64_t	histogram_quantile_us(const struct histogram_sum *, double q);

#endif
