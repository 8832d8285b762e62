/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <string.h>

#include "hdr.h"
#include "slot_add.h"

void
hdr_init(struct hdr *h)
{
	memset(h, 0, sizeof(*h));
	atomic_store_explicit(&h->min_ns, UINT64_MAX, memory_order_relaxed);
}

size_t
hdr_index(uint64_t ns)
{
	int	e;

	if (ns < HDR_SUB)
		return (size_t)ns;
	if (ns > HDR_MAX_NS)
		ns = HDR_MAX_NS;
	e = 63 - __builtin_clzll(ns);		/* HDR_SUB_BITS..TOP_BIT-1 */
	return HDR_SUB + (size_t)(e - HDR_SUB_BITS) * HDR_HALF +
	    (size_t)(ns >> (e - HDR_SUB_BITS + 1)) - HDR_HALF;
}

uint64_t
hdr_lowest(size_t i)
{
	size_t	k;

	if (i < HDR_SUB)
		return i;
	k = i - HDR_SUB;
	return (uint64_t)(HDR_HALF + k % HDR_HALF) << (k / HDR_HALF + 1);
}

uint64_t
hdr_highest(size_t i)
{
	if (i < HDR_SUB)
		return i;
	return hdr_lowest(i) + (UINT64_C(1) << ((i - HDR_SUB) / HDR_HALF + 1))
	    - 1;
}

void
hdr_record(struct hdr *h, uint64_t ns)
{
	slot_add(&h->count[hdr_index(ns)], 1);
	slot_add(&h->sum_ns, ns);
	if (ns < atomic_load_explicit(&h->min_ns, memory_order_relaxed))
		atomic_store_explicit(&h->min_ns, ns, memory_order_relaxed);
	if (ns > atomic_load_explicit(&h->max_ns, memory_order_relaxed))
		atomic_store_explicit(&h->max_ns, ns, memory_order_relaxed);
}

void
hdr_sum_init(struct hdr_sum *s)
{
	memset(s, 0, sizeof(*s));
	s->min_ns = UINT64_MAX;
}

void
hdr_sum_add(struct hdr_sum *s, const struct hdr *h)
{
	uint64_t	v;
	size_t		i;

	/* A slot that recorded nothing still has its first minimum. */
	if (atomic_load_explicit(&h->min_ns, memory_order_relaxed) ==
	    UINT64_MAX)
		return;
	for (i = 0; i < HDR_BUCKETS; i++) {
		v = atomic_load_explicit(&h->count[i], memory_order_relaxed);
		s->count[i] += v;
		s->total += v;
	}
	s->sum_ns += atomic_load_explicit(&h->sum_ns, memory_order_relaxed);
	if ((v = atomic_load_explicit(&h->min_ns, memory_order_relaxed)) <
	    s->min_ns)
		s->min_ns = v;
	if ((v = atomic_load_explicit(&h->max_ns, memory_order_relaxed)) >
	    s->max_ns)
		s->max_ns = v;
}

void
hdr_sum_since(struct hdr_sum *s, const struct hdr_sum *base)
{
	size_t	i, lo = HDR_BUCKETS, hi = 0;

	s->total = 0;
	for (i = 0; i < HDR_BUCKETS; i++) {
		s->count[i] -= base->count[i];
		s->total += s->count[i];
		if (s->count[i] != 0) {
			if (lo == HDR_BUCKETS)
				lo = i;
			hi = i;
		}
	}
	s->sum_ns -= base->sum_ns;
	if (s->total == 0) {
		s->min_ns = UINT64_MAX;
		s->max_ns = 0;
		return;
	}
	/* The life's extremes where they fall in the window's end buckets,
	 * else the buckets' own bounds. */
	if (hdr_index(s->min_ns) != lo)
		s->min_ns = hdr_lowest(lo);
	if (hdr_index(s->max_ns) != hi)
		s->max_ns = hdr_highest(hi);
}

uint64_t
hdr_quantile(const struct hdr_sum *s, double q)
{
	uint64_t	rank, below = 0, v;
	size_t		i;

	if (s->total == 0)
		return 0;
	if (q <= 0)
		return s->min_ns;
	rank = q >= 1 ? s->total : (uint64_t)(q * (double)s->total + 0.5);
	if (rank == 0)
		rank = 1;
	for (i = 0; i < HDR_BUCKETS - 1; i++) {
		below += s->count[i];
		if (below >= rank)
			break;
	}
	v = hdr_highest(i);
	return v > s->max_ns ? s->max_ns : v;
}

uint64_t
hdr_mean(const struct hdr_sum *s)
{
	return s->total > 0 ? (s->sum_ns + s->total / 2) / s->total : 0;
}

uint64_t
hdr_count_le_next(const struct hdr_sum *s, struct hdr_le *le, uint64_t ns)
{
	for (; le->i < HDR_BUCKETS && hdr_highest(le->i) <= ns; le->i++)
		le->n += s->count[le->i];
	return le->n;
}

uint64_t
hdr_count_le(const struct hdr_sum *s, uint64_t ns)
{
	struct hdr_le	le = { 0, 0 };

	return hdr_count_le_next(s, &le, ns);
}

/* The next level after level, in percent. */
static double
hdr_next_level(double level, int ticks_per_half)
{
	double	ticks = 2.0 * ticks_per_half, x = 100 / (100 - level);

	/* ticks_per_half * 2^(floor(log2(x)) + 1), without libm. */
	for (; x >= 2; x /= 2)
		ticks *= 2;
	return level + 100 / ticks;
}

void
hdr_percentiles(const struct hdr_sum *s, int ticks_per_half,
    void (*line)(void *, uint64_t, double, uint64_t), void *arg)
{
	uint64_t	below = 0, v;
	double		level = 0;
	size_t		i;

	if (s->total == 0)
		return;
	for (i = 0; i < HDR_BUCKETS && below < s->total; i++) {
		if (s->count[i] == 0)
			continue;
		below += s->count[i];
		v = hdr_highest(i) > s->max_ns ? s->max_ns : hdr_highest(i);
		while (level <= 100.0 * (double)below / (double)s->total) {
			line(arg, v, level / 100, below);
			if (below == s->total)
				break;
			level = hdr_next_level(level, ticks_per_half);
		}
	}
	line(arg, s->max_ns, 1, s->total);
}
