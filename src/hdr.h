/* SPDX-License-Identifier: ISC */
/*
 * Latency histograms after HdrHistogram: log-linear buckets over
 * nanoseconds.  Values under 2^HDR_SUB_BITS are counted exactly; above,
 * each power of two is cut into 2^(HDR_SUB_BITS - 1) equal buckets, so a
 * bucket is never wider than 1/128 of its lowest value (under 1%
 * relative error) from 1 ns to HDR_MAX_NS (about 137 s); larger values
 * are counted in the last bucket.  Like the counters, each worker records
 * into a slot of its own with plain relaxed stores (no lock, no
 * allocation) and readers add the slots up.  A slot is HDR_BUCKETS
 * 64-bit counts plus five words: 31 KiB.
 */
#ifndef HDR_H
#define HDR_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define HDR_SUB_BITS	8
#define HDR_SUB		(1u << HDR_SUB_BITS)		/* 256 exact values */
#define HDR_HALF	(HDR_SUB / 2)			/* buckets per power */
#define HDR_TOP_BIT	37				/* 2^37 ns: 137 s */
#define HDR_MAX_NS	((UINT64_C(1) << HDR_TOP_BIT) - 1)
#define HDR_BUCKETS	(HDR_SUB + (HDR_TOP_BIT - HDR_SUB_BITS) * HDR_HALF)

/* One worker's recordings; only its owner writes.  No total: a reader
 * adds up the buckets anyway, and a record costs a store less. */
struct hdr {
	_Atomic uint64_t	count[HDR_BUCKETS];
	_Atomic uint64_t	sum_ns;
	_Atomic uint64_t	min_ns;		/* UINT64_MAX: none yet */
	_Atomic uint64_t	max_ns;
};

/* Slots added up, or a difference of two sums (a window). */
struct hdr_sum {
	uint64_t	count[HDR_BUCKETS];
	uint64_t	total;
	uint64_t	sum_ns;
	uint64_t	min_ns;		/* UINT64_MAX while total is 0 */
	uint64_t	max_ns;
};

/* An empty slot (min_ns at UINT64_MAX); before its owner records. */
void		hdr_init(struct hdr *);
/* Records one value; only the slot's owner calls it. */
void		hdr_record(struct hdr *, uint64_t ns);
/* An empty sum, then each slot added into it. */
void		hdr_sum_init(struct hdr_sum *);
void		hdr_sum_add(struct hdr_sum *, const struct hdr *);
/* What was recorded since base was taken from the same slots: counts,
 * total and sum subtracted; min and max from the lowest and highest
 * bucket left (within a bucket's width). */
void		hdr_sum_since(struct hdr_sum *, const struct hdr_sum *base);

/* The bucket a value falls in, and the lowest and highest value a bucket
 * holds. */
size_t		hdr_index(uint64_t ns);
uint64_t	hdr_lowest(size_t i);
uint64_t	hdr_highest(size_t i);
/* The value at quantile q in [0, 1], as HdrHistogram gives it: the
 * highest value equivalent to the smallest one with at least q of the
 * recordings at or below it, but never above max_ns; 0 when empty. */
uint64_t	hdr_quantile(const struct hdr_sum *, double q);
/* The mean in nanoseconds, rounded; 0 when empty. */
uint64_t	hdr_mean(const struct hdr_sum *);
/* How many recordings are at most ns (whole buckets whose highest value
 * is at most ns): a Prometheus bucket's count. */
uint64_t	hdr_count_le(const struct hdr_sum *, uint64_t ns);
/* The same for each of rising bounds in one pass over the buckets: le,
 * zeroed before the first bound, keeps the place and the count so far. */
struct hdr_le {
	size_t		i;
	uint64_t	n;
};
uint64_t	hdr_count_le_next(const struct hdr_sum *, struct hdr_le *,
		    uint64_t ns);

/*
 * Walks the distribution as HdrHistogram's percentile iterator does, for
 * its percentile-distribution output: a line at percentile 0, then ever
 * closer steps toward 100 (ticks_per_half steps each time the distance
 * to 100% halves), each giving the value reached (ns), the percentile
 * level (0 to 1) and the recordings at or below the value; and a last
 * line at 1.  Nothing when empty.
 */
void		hdr_percentiles(const struct hdr_sum *, int ticks_per_half,
		    void (*line)(void *, uint64_t ns, double level,
		    uint64_t count), void *arg);

#endif
