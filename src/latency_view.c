/* SPDX-License-Identifier: ISC */
/*
 * The summary, the durations and the percentile distribution that the
 * views of a latency share (latency_view.h).
 */

#include "config.h"

#include <math.h>
#include <stdio.h>

#include <event2/buffer.h>

#include "hdr.h"
#include "latency_view.h"
#include "report.h"

#define LATENCY_VIEW_TICKS	5	/* HdrHistogram's and wrk2's default */
#define LATENCY_VIEW_MS		1e6	/* ns in the unit of the distribution */

/* f(arg, key, value), or without a value when empty. */
#define LATENCY_VIEW_F(key, v)	do {					\
	uint64_t ns_ = (v);						\
	f(arg, key, s->total > 0 ? &ns_ : NULL);			\
} while (0)

void
latency_view_each(const struct hdr_sum *s,
    void (*f)(void *, const char *, const uint64_t *), void *arg)
{
	LATENCY_VIEW_F("min", s->min_ns);
	LATENCY_VIEW_F("mean", hdr_mean(s));
#define LATENCY_VIEW_P(q, name)	LATENCY_VIEW_F(name, hdr_quantile(s, q));
	REPORT_PERCENTILES(LATENCY_VIEW_P)
#undef LATENCY_VIEW_P
	LATENCY_VIEW_F("max", s->max_ns);
}

void
latency_view_duration(char *out, size_t cap, uint64_t ns)
{
	static const struct {
		uint64_t	 ns;
		const char	*name;
	} units[] = { { 1000000000, "s" }, { 1000000, "ms" }, { 1000, "us" } };
	size_t	i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (ns >= units[i].ns) {
			snprintf(out, cap, "%.3f %s", (double)ns /
			    (double)units[i].ns, units[i].name);
			return;
		}
	snprintf(out, cap, "%llu ns", (unsigned long long)ns);
}

/* In integers: a double would print 0.1 us as 0.100 only by luck. */
void
latency_view_us(char *out, size_t cap, uint64_t ns)
{
	snprintf(out, cap, "%llu.%03llu", (unsigned long long)(ns / 1000),
	    (unsigned long long)(ns % 1000));
}

/* HdrHistogram's standard deviation: each bucket taken at its middle
 * value (its "median equivalent"), around the mean. */
static double
latency_view_stddev(const struct hdr_sum *s)
{
	double	mean = (double)s->sum_ns / (double)s->total, dev, var = 0;
	size_t	i;

	for (i = 0; i < HDR_BUCKETS; i++) {
		if (s->count[i] == 0)
			continue;
		dev = (double)(hdr_lowest(i) + (hdr_highest(i) -
		    hdr_lowest(i) + 1) / 2) - mean;
		var += dev * dev * (double)s->count[i];
	}
	return sqrt(var / (double)s->total);
}

/* The widths of HdrHistogram_c's hdr_percentiles_print (CLASSIC), which
 * wrk2 prints: the plotters split on blanks, but people read columns. */
static void
latency_view_hdr_line(void *arg, uint64_t ns, double level, uint64_t count)
{
	struct evbuffer	*b = arg;

	if (level < 1)
		evbuffer_add_printf(b, "%12.3f %12f %12llu %12.2f\n",
		    (double)ns / LATENCY_VIEW_MS, level,
		    (unsigned long long)count, 1 / (1 - level));
	else
		evbuffer_add_printf(b, "%12.3f %12f %12llu\n",
		    (double)ns / LATENCY_VIEW_MS, level,
		    (unsigned long long)count);
}

void
latency_view_hdr(struct evbuffer *b, const struct hdr_sum *s)
{
	if (s->total == 0)
		return;
	evbuffer_add_printf(b, "%12s %12s %12s %12s\n\n", "Value",
	    "Percentile", "TotalCount", "1/(1-Percentile)");
	hdr_percentiles(s, LATENCY_VIEW_TICKS, latency_view_hdr_line, b);
	evbuffer_add_printf(b, "#[Mean    = %12.3f, StdDeviation   = %12.3f]\n",
	    (double)s->sum_ns / (double)s->total / LATENCY_VIEW_MS,
	    latency_view_stddev(s) / LATENCY_VIEW_MS);
	evbuffer_add_printf(b, "#[Max     = %12.3f, Total count    = %12llu]\n",
	    (double)s->max_ns / LATENCY_VIEW_MS,
	    (unsigned long long)s->total);
	/* The layout of hdr.h in HdrHistogram's terms: 2^HDR_SUB_BITS
	 * values in the first bucket, then a bucket a power of two. */
	evbuffer_add_printf(b, "#[Buckets = %12d, SubBuckets     = %12d]\n",
	    HDR_TOP_BIT - HDR_SUB_BITS + 1, HDR_SUB);
}
