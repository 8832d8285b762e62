/* SPDX-License-Identifier: ISC */
/*
 * What every view of a job's latency shows of a histogram (hdr.h): its
 * summary (count, min, mean, the REPORT_PERCENTILES, max) in the one
 * order, durations for people ("1.234 ms") and for JSON (microseconds
 * with three decimals), and HdrHistogram's percentile distribution, the
 * text that wrk2 --u_latency prints and HdrHistogram's plotters read.
 */
#ifndef LATENCY_VIEW_H
#define LATENCY_VIEW_H

#include <stddef.h>
#include <stdint.h>

struct evbuffer;
struct hdr_sum;

/* Room for a duration of latency_view_duration(), or of _us(). */
#define LATENCY_VIEW_LEN	32

/* Calls f with each time of the summary after the count: "min", "mean",
 * "p50" ... "p99.99", "max", in nanoseconds; ns NULL when s is empty. */
void	latency_view_each(const struct hdr_sum *s,
	    void (*f)(void *, const char *key, const uint64_t *ns), void *arg);
/* ns in the largest unit that keeps it at 1 or more: "850 ns",
 * "12.345 us", "1.234 ms", "2.500 s". */
void	latency_view_duration(char *out, size_t cap, uint64_t ns);
/* ns as microseconds with three decimals, exactly: "1234.567". */
void	latency_view_us(char *out, size_t cap, uint64_t ns);
/*
 * Appends s as HdrHistogram's outputPercentileDistribution prints it in
 * milliseconds: the header, a line at each percentile of hdr_percentiles()
 * at 5 ticks a halving, the last at 1 without 1/(1-Percentile), and the
 * #[Mean ...] trailer.  Nothing when s is empty.
 */
void	latency_view_hdr(struct evbuffer *, const struct hdr_sum *s);

#endif
