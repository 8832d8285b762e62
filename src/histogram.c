/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <time.h>

#include "histogram.h"
#include "slot_add.h"

static const uint64_t histogram_bound_us[HISTOGRAM_INF] = {
#define HISTOGRAM_BOUND(us, le)	us,
	HISTOGRAM_BOUNDS(HISTOGRAM_BOUND)
#undef HISTOGRAM_BOUND
};

const char *const histogram_le[HISTOGRAM_BUCKETS] = {
#define HISTOGRAM_LE(us, le)	le,
	HISTOGRAM_BOUNDS(HISTOGRAM_LE)
#undef HISTOGRAM_LE
	"+Inf"
};

uint64_t
histogram_now_us(void)
{
	struct timespec	ts;

	/* Cannot fail: the clock exists and ts is valid. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

void
histogram_observe(struct histogram *h, uint64_t us)
{
	int	i;

	for (i = 0; i < HISTOGRAM_INF && us > histogram_bound_us[i]; i++)
		continue;
	slot_add(&h->bucket[i], 1);
	slot_add(&h->sum_us, us);
}

void
histogram_add(struct histogram_sum *s, const struct histogram *h)
{
	uint64_t	n;
	int		i;

	for (i = 0; i < HISTOGRAM_BUCKETS; i++) {
		n = atomic_load_explicit(&h->bucket[i], memory_order_relaxed);
		s->bucket[i] += n;
		s->count += n;
	}
	s->sum_us += atomic_load_explicit(&h->sum_us, memory_order_relaxed);
}

uint64_t
histogram_quantile_us(const struct histogram_sum *s, double q)
{
	double		rank = q * (double)s->count, below = 0, lo, hi;
	int		i;

	if (s->count == 0)
		return 0;
	for (i = 0; i < HISTOGRAM_INF; i++) {
		if (below + (double)s->bucket[i] >= rank)
			break;
		below += (double)s->bucket[i];
	}
	/* Past the last bound all Prometheus can say is that bound. */
	if (i == HISTOGRAM_INF)
		return histogram_bound_us[HISTOGRAM_INF - 1];
	lo = i == 0 ? 0 : (double)histogram_bound_us[i - 1];
	hi = (double)histogram_bound_us[i];
	return (uint64_t)(lo + (hi - lo) * (rank - below) /
	    (double)s->bucket[i] + 0.5);
}
