/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the pure parts of latency timing: the HDR histogram
 * (hdr.c) against sorted arrays of the values recorded, the stamp
 * (stamp.c) against every single-byte corruption of a good one, the send
 * timetable (pace.c) against 128-bit arithmetic, --rate as written
 * (pace_parse.c), and the message options
 * (message.c) through the same args templates the kinds use.
 */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cmd_parse.h"
#include "hdr.h"
#include "message.h"
#include "pace.h"
#include "stamp.h"
#include "ws_frame.h"
#include "ws_utf8.h"
#include "check_run.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define NS		UINT64_C(1000000000)
#define SAMPLES		20000

/* --- helpers ------------------------------------------------------------ */

/* A reproducible generator: the tests must fail the same way each run. */
static uint64_t	rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t
rng(void)
{
	uint64_t	z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Log-uniform over [1, 2^bits): every power of two as likely. */
static uint64_t
rng_log(int bits)
{
	int	e = (int)(rng() % (uint64_t)bits);

	return (UINT64_C(1) << e) + (rng() & ((UINT64_C(1) << e) - 1));
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t	x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* The values recorded into a slot, summed, and the values sorted. */
struct recorded {
	struct hdr	*h;
	struct hdr_sum	*s;
	uint64_t	*v;
	size_t		 n;
};

static void
recorded_init(struct recorded *r)
{
	r->h = malloc(sizeof(*r->h));
	r->s = malloc(sizeof(*r->s));
	r->v = calloc(SAMPLES * 2, sizeof(*r->v));
	ck_assert(r->h != NULL && r->s != NULL && r->v != NULL);
	hdr_init(r->h);
	r->n = 0;
}

static void
recorded_add(struct recorded *r, uint64_t ns)
{
	ck_assert_uint_lt(r->n, SAMPLES * 2);
	hdr_record(r->h, ns);
	r->v[r->n++] = ns;
}

/* Sums the slot and sorts the values. */
static void
recorded_sum(struct recorded *r)
{
	hdr_sum_init(r->s);
	hdr_sum_add(r->s, r->h);
	qsort(r->v, r->n, sizeof(*r->v), cmp_u64);
}

static void
recorded_free(struct recorded *r)
{
	free(r->h);
	free(r->s);
	free(r->v);
}

/* --- hdr: buckets --------------------------------------------------------- */

/* Buckets tile 0..HDR_MAX_NS: each begins where the last ended, and the
 * values at both ends of one index back to it. */
START_TEST(test_hdr_buckets_tile)
{
	size_t	i;

	ck_assert_uint_eq(hdr_lowest(0), 0);
	for (i = 0; i < HDR_BUCKETS; i++) {
		ck_assert_uint_le(hdr_lowest(i), hdr_highest(i));
		ck_assert_uint_eq(hdr_index(hdr_lowest(i)), i);
		ck_assert_uint_eq(hdr_index(hdr_highest(i)), i);
		if (i > 0)
			ck_assert_uint_eq(hdr_lowest(i), hdr_highest(i - 1) + 1);
	}
	ck_assert_uint_eq(hdr_highest(HDR_BUCKETS - 1), HDR_MAX_NS);
}
END_TEST

/* Every value falls within the bounds of its bucket: all of them up to a
 * few powers past the exact range, and a spread up to HDR_MAX_NS. */
START_TEST(test_hdr_index_bounds)
{
	uint64_t	v;
	size_t		i;
	int		k;

	for (v = 0; v < 1 << 17; v++) {
		i = hdr_index(v);
		ck_assert_uint_le(hdr_lowest(i), v);
		ck_assert_uint_ge(hdr_highest(i), v);
	}
	for (k = 0; k < 200000; k++) {
		v = rng_log(HDR_TOP_BIT);
		i = hdr_index(v);
		ck_assert_msg(hdr_lowest(i) <= v && v <= hdr_highest(i),
		    "%llu in bucket %zu [%llu, %llu]", (unsigned long long)v,
		    i, (unsigned long long)hdr_lowest(i),
		    (unsigned long long)hdr_highest(i));
	}
}
END_TEST

/* Under 1% relative width (1/128 in fact) from 1 us to HDR_MAX_NS. */
START_TEST(test_hdr_bucket_width)
{
	uint64_t	width;
	size_t		i;

	for (i = hdr_index(1000); i < HDR_BUCKETS; i++) {
		width = hdr_highest(i) - hdr_lowest(i) + 1;
		ck_assert_msg(width * 128 <= hdr_lowest(i), "bucket %zu: "
		    "%llu wide from %llu", i, (unsigned long long)width,
		    (unsigned long long)hdr_lowest(i));
		ck_assert_msg((double)width / (double)hdr_lowest(i) < 0.01,
		    "bucket %zu", i);
	}
}
END_TEST

/* Past HDR_MAX_NS values go to the last bucket; min and max stay exact. */
START_TEST(test_hdr_clamp)
{
	struct recorded	r;

	ck_assert_uint_eq(hdr_index(HDR_MAX_NS), HDR_BUCKETS - 1);
	ck_assert_uint_eq(hdr_index(HDR_MAX_NS + 1), HDR_BUCKETS - 1);
	ck_assert_uint_eq(hdr_index(UINT64_MAX), HDR_BUCKETS - 1);
	recorded_init(&r);
	recorded_add(&r, 5);
	recorded_add(&r, HDR_MAX_NS + 12345);
	recorded_add(&r, UINT64_MAX);
	recorded_sum(&r);
	ck_assert_uint_eq(r.s->count[HDR_BUCKETS - 1], 2);
	ck_assert_uint_eq(r.s->total, 3);
	ck_assert_uint_eq(r.s->min_ns, 5);
	ck_assert_uint_eq(r.s->max_ns, UINT64_MAX);
	/* The last bucket's highest value: HdrHistogram has none higher. */
	ck_assert_uint_eq(hdr_quantile(r.s, 1), HDR_MAX_NS);
	ck_assert_uint_eq(hdr_quantile(r.s, 0.5), HDR_MAX_NS);
	recorded_free(&r);
}
END_TEST

/* --- hdr: what a sum tells ------------------------------------------------- */

/* hdr_quantile as HdrHistogram's value-at-percentile: the sorted array's
 * value at the same rank, within its bucket. */
START_TEST(test_hdr_quantile)
{
	static const double	qs[] = { 0.0001, 0.01, 0.1, 0.25, 0.5, 0.75,
	    0.9, 0.99, 0.999, 0.9999, 0.99999 };
	struct recorded		r;
	uint64_t		rank, want, got;
	size_t			k;

	recorded_init(&r);
	for (k = 0; k < SAMPLES; k++)
		recorded_add(&r, 1000 + rng_log(34));	/* 1 us to 17 s */
	recorded_sum(&r);
	ck_assert_uint_eq(hdr_quantile(r.s, 0), r.v[0]);
	ck_assert_uint_eq(hdr_quantile(r.s, 1), r.v[r.n - 1]);
	for (k = 0; k < NELEM(qs); k++) {
		rank = (uint64_t)(qs[k] * (double)r.n + 0.5);
		want = r.v[rank == 0 ? 0 : rank - 1];
		got = hdr_quantile(r.s, qs[k]);
		ck_assert_msg(hdr_index(got) == hdr_index(want) && got >= want,
		    "q %g: %llu, the array says %llu", qs[k],
		    (unsigned long long)got, (unsigned long long)want);
		ck_assert_uint_le(got - want, want / 128);
	}
	recorded_free(&r);
}
END_TEST

START_TEST(test_hdr_empty)
{
	struct hdr_sum	*s = malloc(sizeof(*s));

	ck_assert_ptr_nonnull(s);
	hdr_sum_init(s);
	ck_assert_uint_eq(hdr_quantile(s, 0.5), 0);
	ck_assert_uint_eq(hdr_mean(s), 0);
	ck_assert_uint_eq(hdr_count_le(s, HDR_MAX_NS), 0);
	free(s);
}
END_TEST

START_TEST(test_hdr_mean)
{
	struct recorded	r;
	uint64_t	sum = 0;
	size_t		k;

	recorded_init(&r);
	recorded_add(&r, 1);
	recorded_add(&r, 2);
	recorded_sum(&r);
	ck_assert_uint_eq(hdr_mean(r.s), 2);		/* 1.5, rounded */
	recorded_free(&r);

	recorded_init(&r);
	for (k = 0; k < SAMPLES; k++) {
		recorded_add(&r, rng_log(30));
		sum += r.v[k];
	}
	recorded_sum(&r);
	ck_assert_uint_eq(r.s->sum_ns, sum);
	ck_assert_uint_eq(hdr_mean(r.s), (sum + SAMPLES / 2) / SAMPLES);
	recorded_free(&r);
}
END_TEST

/* Whole buckets at most ns, as a Prometheus bucket counts. */
START_TEST(test_hdr_count_le)
{
	struct recorded	r;
	uint64_t	le, want;
	size_t		k, i;

	recorded_init(&r);
	for (k = 0; k < SAMPLES; k++)
		recorded_add(&r, rng_log(HDR_TOP_BIT));
	recorded_add(&r, 0);
	recorded_sum(&r);
	for (k = 0; k < 300; k++) {
		le = k < 100 ? k : rng_log(HDR_TOP_BIT);
		for (want = 0, i = 0; i < r.n; i++)
			want += hdr_highest(hdr_index(r.v[i])) <= le;
		ck_assert_msg(hdr_count_le(r.s, le) == want, "le %llu: %llu, "
		    "want %llu", (unsigned long long)le, (unsigned long long)
		    hdr_count_le(r.s, le), (unsigned long long)want);
	}
	ck_assert_uint_eq(hdr_count_le(r.s, HDR_MAX_NS), r.n);
	ck_assert_uint_eq(hdr_count_le(r.s, UINT64_MAX), r.n);
	recorded_free(&r);
}
END_TEST

/* A window: what was recorded after base, with min and max exact when the
 * life's fall in it, else within the window's end buckets. */
START_TEST(test_hdr_since)
{
	struct recorded	r;
	struct hdr_sum	*base = malloc(sizeof(*base));
	uint64_t	lo = UINT64_MAX, hi = 0, sum = 0, v;
	size_t		k, i;

	ck_assert_ptr_nonnull(base);
	recorded_init(&r);
	recorded_add(&r, 100);			/* the life's min ... */
	recorded_add(&r, 50 * NS);		/* ... and max, before */
	recorded_sum(&r);
	memcpy(base, r.s, sizeof(*base));

	/* An empty window. */
	hdr_sum_since(r.s, base);
	ck_assert_uint_eq(r.s->total, 0);
	ck_assert_uint_eq(r.s->sum_ns, 0);
	ck_assert_uint_eq(r.s->min_ns, UINT64_MAX);
	ck_assert_uint_eq(r.s->max_ns, 0);

	for (k = 0; k < SAMPLES; k++) {
		v = 10000 + rng_log(30);
		hdr_record(r.h, v);
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
		sum += v;
	}
	hdr_sum_init(r.s);
	hdr_sum_add(r.s, r.h);
	hdr_sum_since(r.s, base);
	ck_assert_uint_eq(r.s->total, SAMPLES);
	ck_assert_uint_eq(r.s->sum_ns, sum);
	ck_assert_uint_eq(r.s->count[hdr_index(100)], 0);
	ck_assert_uint_eq(r.s->count[hdr_index(50 * NS)], 0);
	for (i = 0, k = 0; i < HDR_BUCKETS; i++)
		k += r.s->count[i];
	ck_assert_uint_eq(k, SAMPLES);
	ck_assert_uint_eq(hdr_index(r.s->min_ns), hdr_index(lo));
	ck_assert_uint_le(r.s->min_ns, lo);
	ck_assert_uint_eq(hdr_index(r.s->max_ns), hdr_index(hi));
	ck_assert_uint_ge(r.s->max_ns, hi);

	/* The life's new extremes, recorded in the window: exact. */
	hdr_record(r.h, 7);
	hdr_record(r.h, 60 * NS + 3);
	hdr_sum_init(r.s);
	hdr_sum_add(r.s, r.h);
	hdr_sum_since(r.s, base);
	ck_assert_uint_eq(r.s->total, SAMPLES + 2);
	ck_assert_uint_eq(r.s->min_ns, 7);
	ck_assert_uint_eq(r.s->max_ns, 60 * NS + 3);
	ck_assert_uint_eq(hdr_quantile(r.s, 1), 60 * NS + 3);
	free(base);
	recorded_free(&r);
}
END_TEST

/* --- hdr_percentiles -------------------------------------------------------- */

struct pline {
	uint64_t	ns, count;
	double		level;
};

struct plines {
	struct pline	l[4096];
	size_t		n;
};

static void
plines_add(void *arg, uint64_t ns, double level, uint64_t count)
{
	struct plines	*p = arg;

	ck_assert_uint_lt(p->n, NELEM(p->l));
	p->l[p->n].ns = ns;
	p->l[p->n].level = level;
	p->l[p->n].count = count;
	p->n++;
}

START_TEST(test_hdr_percentiles)
{
	struct recorded	 r;
	struct plines	*p = calloc(1, sizeof(*p));
	const struct pline *l;
	uint64_t	 want;
	size_t		 k, i;

	ck_assert_ptr_nonnull(p);
	recorded_init(&r);
	recorded_sum(&r);
	hdr_percentiles(r.s, 5, plines_add, p);
	ck_assert_uint_eq(p->n, 0);			/* nothing when empty */

	for (k = 0; k < SAMPLES; k++)
		recorded_add(&r, 1000 + rng_log(32));
	recorded_sum(&r);
	hdr_percentiles(r.s, 5, plines_add, p);
	ck_assert_uint_gt(p->n, 20);
	ck_assert(p->l[0].level == 0);
	ck_assert_uint_eq(p->l[0].ns, hdr_highest(hdr_index(r.v[0])));
	for (k = 0; k < p->n; k++) {
		l = &p->l[k];
		if (k > 0) {
			ck_assert(l->level >= l[-1].level);
			ck_assert_uint_ge(l->ns, l[-1].ns);
			ck_assert_uint_ge(l->count, l[-1].count);
		}
		/* The recordings at or below the line's value's bucket, which
		 * reach the line's level. */
		for (want = 0, i = 0; i < r.n; i++)
			want += hdr_index(r.v[i]) <= hdr_index(l->ns);
		ck_assert_uint_eq(l->count, want);
		ck_assert(l->level <= (double)l->count / (double)r.n + 1e-12);
	}
	l = &p->l[p->n - 1];
	ck_assert(l->level == 1);
	ck_assert_uint_eq(l->ns, r.v[r.n - 1]);
	ck_assert_uint_eq(l->count, r.n);
	/* Ever closer to 1: a line within the max's own bucket, past the
	 * level of the buckets below it. */
	l = &p->l[p->n - 2];
	ck_assert_uint_eq(hdr_index(l->ns), hdr_index(r.v[r.n - 1]));
	ck_assert(l->level > (double)(r.n - r.s->count[hdr_index(l->ns)]) /
	    (double)r.n);
	free(p);
	recorded_free(&r);
}
END_TEST

/* --- stamp ------------------------------------------------------------------ */

START_TEST(test_stamp_bytes)
{
	static const char	want[] =
	    "wsb1:0000000000000001:0123456789abcdef;";
	uint8_t			out[STAMP_LEN + 1];
	uint64_t		seq, ns;

	ck_assert_uint_eq(sizeof(want) - 1, STAMP_LEN);
	memset(out, 'x', sizeof(out));
	stamp_write(out, 1, UINT64_C(0x0123456789abcdef));
	ck_assert_mem_eq(out, want, STAMP_LEN);
	ck_assert_int_eq(out[STAMP_LEN], 'x');		/* nothing past it */
	ck_assert_int_eq(stamp_read(out, STAMP_LEN, &seq, &ns), 0);
	ck_assert_uint_eq(seq, 1);
	ck_assert_uint_eq(ns, UINT64_C(0x0123456789abcdef));
}
END_TEST

START_TEST(test_stamp_round_trip)
{
	static const uint64_t	fixed[] = { 0, 1, 0xf, 0x10, UINT64_MAX,
	    UINT64_MAX - 1, UINT64_C(1) << 63 };
	uint8_t			buf[STAMP_LEN + 8];
	uint64_t		a, b, seq, ns;
	size_t			k;

	for (k = 0; k < 10000; k++) {
		a = k < NELEM(fixed) ? fixed[k] : rng();
		b = k < NELEM(fixed) ? fixed[NELEM(fixed) - 1 - k] : rng();
		stamp_write(buf, a, b);
		memcpy(buf + STAMP_LEN, "padding!", 8);
		ck_assert_int_eq(stamp_read(buf, STAMP_LEN, &seq, &ns), 0);
		ck_assert_uint_eq(seq, a);
		ck_assert_uint_eq(ns, b);
		/* Padding after it is no concern of the stamp's. */
		ck_assert_int_eq(stamp_read(buf, sizeof(buf), &seq, &ns), 0);
		ck_assert_uint_eq(seq, a);
		ck_assert_uint_eq(ns, b);
	}
}
END_TEST

START_TEST(test_stamp_short)
{
	uint8_t		buf[STAMP_LEN];
	uint64_t	seq, ns;
	size_t		n;

	stamp_write(buf, 42, 43);
	for (n = 0; n < STAMP_LEN; n++)
		ck_assert_int_eq(stamp_read(buf, n, &seq, &ns), -1);
}
END_TEST

/* Every single-byte change of a good stamp: accepted only where it puts
 * another lowercase hex digit in place of a digit. */
START_TEST(test_stamp_corrupt)
{
	uint8_t		good[STAMP_LEN], bad[STAMP_LEN];
	uint64_t	seq, ns;
	size_t		i;
	int		b, digit, hex;

	stamp_write(good, UINT64_C(0x0123456789abcdef),
	    UINT64_C(0xfedcba9876543210));
	for (i = 0; i < STAMP_LEN; i++) {
		digit = (i >= 5 && i < 21) || (i >= 22 && i < 38);
		for (b = 0; b < 256; b++) {
			if (b == good[i])
				continue;
			memcpy(bad, good, STAMP_LEN);
			bad[i] = (uint8_t)b;
			hex = (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f');
			ck_assert_msg(stamp_read(bad, STAMP_LEN, &seq, &ns) ==
			    (digit && hex ? 0 : -1), "byte %zu set to %d", i, b);
		}
	}
	/* The named cases, for the record. */
	memcpy(bad, good, STAMP_LEN);
	memcpy(bad, "WSB1:", 5);
	ck_assert_int_eq(stamp_read(bad, STAMP_LEN, &seq, &ns), -1);
	memcpy(bad, good, STAMP_LEN);
	bad[6] = 'A';					/* uppercase */
	ck_assert_int_eq(stamp_read(bad, STAMP_LEN, &seq, &ns), -1);
	memcpy(bad, good, STAMP_LEN);
	bad[21] = ';';
	bad[38] = ':';					/* swapped */
	ck_assert_int_eq(stamp_read(bad, STAMP_LEN, &seq, &ns), -1);
}
END_TEST

/* --- pace ------------------------------------------------------------------- */

static const uint64_t	pace_rates[] = { 1, 3, 7, 1000, 999983, 1000000,
    3333333, 10000000 };

/* t0 + k / rate in ns, rounded down, from 128-bit arithmetic. */
static uint64_t
pace_ref(uint64_t t0, uint64_t rate, uint64_t k)
{
	return t0 + (uint64_t)((unsigned __int128)k * NS / rate);
}

START_TEST(test_pace_due)
{
	struct pace	p;
	uint64_t	t0 = UINT64_C(1700000000) * NS, k;
	size_t		r;

	pace_start(&p, 5, 1000);
	ck_assert_uint_eq(pace_due(&p, 0), 5);
	ck_assert_uint_eq(pace_due(&p, 1), 5 + 1000000);
	ck_assert_uint_eq(pace_due(&p, 1234), 5 + 1234000000);
	ck_assert_uint_eq(pace_interval(&p), 1000000);
	pace_start(&p, 0, 3);
	ck_assert_uint_eq(pace_due(&p, 1), 333333333);
	ck_assert_uint_eq(pace_due(&p, 2), 666666666);
	ck_assert_uint_eq(pace_due(&p, 3), NS);
	pace_start(&p, 9, 0);				/* no timetable */
	ck_assert_uint_eq(pace_due(&p, 77), 9);
	ck_assert_uint_eq(pace_interval(&p), 0);
	ck_assert_int_eq(pace_late(&p, 0, UINT64_MAX), 0);

	for (r = 0; r < NELEM(pace_rates); r++) {
		pace_start(&p, t0, pace_rates[r]);
		ck_assert_uint_eq(pace_interval(&p), NS / pace_rates[r]);
		for (k = 0; k < 3000; k++)
			ck_assert_uint_eq(pace_due(&p, k),
			    pace_ref(t0, pace_rates[r], k));
	}
}
END_TEST

/* Message k is owed from its due time on, not a nanosecond before. */
START_TEST(test_pace_owed)
{
	struct pace	p;
	uint64_t	t0 = UINT64_C(1700000000) * NS + 17, k, due;
	size_t		r;

	for (r = 0; r < NELEM(pace_rates); r++) {
		pace_start(&p, t0, pace_rates[r]);
		ck_assert_uint_eq(pace_owed(&p, t0 - 1), 0);
		ck_assert_uint_eq(pace_owed(&p, 0), 0);
		for (k = 0; k < 3000; k++) {
			due = pace_due(&p, k);
			ck_assert_msg(pace_owed(&p, due) == k + 1, "rate %llu, "
			    "at message %llu's due time: %llu owed",
			    (unsigned long long)pace_rates[r],
			    (unsigned long long)k,
			    (unsigned long long)pace_owed(&p, due));
			if (due > t0)
				ck_assert_uint_eq(pace_owed(&p, due - 1), k);
			/* Between two due times. */
			if (pace_due(&p, k + 1) > due + 1)
				ck_assert_uint_eq(pace_owed(&p, due + 1), k + 1);
		}
		/* Taken messages are owed no more. */
		due = pace_due(&p, 10);
		p.next = 4;
		ck_assert_uint_eq(pace_owed(&p, due), 7);
		p.next = 11;
		ck_assert_uint_eq(pace_owed(&p, due), 0);
		p.next = 50;
		ck_assert_uint_eq(pace_owed(&p, due), 0);
	}
}
END_TEST

START_TEST(test_pace_late)
{
	struct pace	p;
	uint64_t	k;
	size_t		r;

	for (r = 0; r < NELEM(pace_rates); r++) {
		pace_start(&p, 1000, pace_rates[r]);
		for (k = 0; k < 1000; k += 7) {
			ck_assert_int_eq(pace_late(&p, k, pace_due(&p, k)), 0);
			ck_assert_int_eq(pace_late(&p, k, pace_due(&p, k) +
			    pace_interval(&p)), 0);
			ck_assert_int_eq(pace_late(&p, k, pace_due(&p, k) +
			    pace_interval(&p) + 1), 1);
		}
	}
}
END_TEST

/* Where k * 10^9 overflows 64 bits but the due time does not. */
START_TEST(test_pace_huge)
{
	struct pace	p;
	uint64_t	t0 = UINT64_C(1700000000) * NS, rate, k, due;
	int		i;

	for (i = 0; i < 20000; i++) {
		rate = 1 + rng() % 10000000;
		/* Due up to some 500 years after t0, with room for an
		 * interval more. */
		k = rng() % (((UINT64_MAX - t0) / NS - 2) * rate);
		pace_start(&p, t0, rate);
		due = pace_due(&p, k);
		ck_assert_uint_eq(due, pace_ref(t0, rate, k));
		ck_assert_uint_eq(pace_owed(&p, due), k + 1);
		if (due > t0)
			ck_assert_uint_eq(pace_owed(&p, due - 1), k);
		ck_assert_int_eq(pace_late(&p, k, due), 0);
	}
	pace_start(&p, 0, 10000000);
	ck_assert_uint_eq(pace_owed(&p, UINT64_MAX - 1),
	    (uint64_t)(((unsigned __int128)UINT64_MAX * 10000000 + NS - 1) /
	    NS));
}
END_TEST

/* --- pace on a plan of phases ---------------------------------------------- */

/* Builds a plan of n phases {from, to, len ns}; len UINT64_MAX: held. */
static void
plan_of(struct pace_plan *pl, const uint64_t (*ph)[3], size_t n)
{
	size_t	i;

	pace_plan_init(pl);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(pace_plan_add(pl, ph[i][0], ph[i][1],
		    ph[i][2]), 0);
	pace_plan_end(pl);
}

/* A due time within 2 ns of the reference, in ns after t0. */
static void
near(uint64_t due, uint64_t t0, long double ref_s, uint64_t k)
{
	long double	ref = (long double)t0 + ref_s * 1e9L;

	ck_assert_msg(due + 2 >= ref && due <= ref + 2, "message %llu due "
	    "%llu, expected %.1Lf", (unsigned long long)k,
	    (unsigned long long)due, ref);
}

/* 100:1000:10s: 100 t + 45 t^2 messages by t, so message k is due at
 * (sqrt(100^2 + 180 k) - 100) / 90; then 1,000 a second held. */
START_TEST(test_plan_ramp)
{
	static const uint64_t	ph[][3] = { { 100, 1000, 10 * NS } };
	struct pace_plan	pl;
	struct pace		p;
	uint64_t		t0 = UINT64_C(1700000000) * NS + 3, k;

	plan_of(&pl, ph, 1);
	pace_start_plan(&p, t0, &pl, 0);
	ck_assert_int_eq(pace_timed(&p), 1);
	ck_assert_uint_eq(pace_plan_peak(&pl), 1000);
	ck_assert_uint_eq(pace_due(&p, 0), t0);
	for (k = 0; k <= 5500; k++)
		near(pace_due(&p, k), t0, (sqrtl(10000.0L + 180.0L * k) -
		    100) / 90, k);
	for (k = 5500; k < 9000; k++)
		near(pace_due(&p, k), t0, 10 + (k - 5500) / 1000.0L, k);
}
END_TEST

/* Message k is owed from its due time on, not a nanosecond before, on
 * every phase and across their bounds; what was taken is owed no more. */
START_TEST(test_plan_owed)
{
	static const uint64_t	ph[][3] = { { 100, 1000, 10 * NS },
	    { 1000, 1000, 30 * NS }, { 1000, 0, 10 * NS } };
	struct pace_plan	pl;
	struct pace		p;
	uint64_t		t0 = 12345, k, due, prev = 0;

	plan_of(&pl, ph, 3);
	pace_start_plan(&p, t0, &pl, 0);
	ck_assert_uint_eq(pace_owed(&p, t0 - 1), 0);
	for (k = 0; k <= 40500; k++) {
		due = pace_due(&p, k);
		ck_assert_msg(pace_owed(&p, due) == k + 1, "message %llu "
		    "due %llu: %llu owed", (unsigned long long)k,
		    (unsigned long long)due,
		    (unsigned long long)pace_owed(&p, due));
		if (k > 0 && due > prev)
			ck_assert_uint_eq(pace_owed(&p, due - 1), k);
		prev = due;
	}
	/* The bounds: 5,500 by 10 s, 35,500 by 40 s, 40,500 by 50 s. */
	ck_assert_uint_eq(pace_due(&p, 5500), t0 + 10 * NS);
	ck_assert_uint_eq(pace_due(&p, 35500), t0 + 40 * NS);
	near(pace_due(&p, 40500), t0, 50, 40500);
	/* Then rate 0 for ever: nothing more is ever due. */
	ck_assert_uint_eq(pace_due(&p, 40501), UINT64_MAX);
	ck_assert_uint_eq(pace_owed(&p, t0 + 1000 * NS), 40501);
	p.next = 40000;
	ck_assert_uint_eq(pace_owed(&p, t0 + 1000 * NS), 501);
	p.next = 50000;
	ck_assert_uint_eq(pace_owed(&p, t0 + 1000 * NS), 0);
}
END_TEST

/* A phase at rate 0 sends nothing; the next resumes. */
START_TEST(test_plan_pause)
{
	static const uint64_t	ph[][3] = { { 10, 10, NS }, { 0, 0, 2 * NS },
	    { 10, 10, UINT64_MAX } };
	struct pace_plan	pl;
	struct pace		p;
	uint64_t		k;

	plan_of(&pl, ph, 3);
	ck_assert_uint_eq(pl.n, 3);		/* held: nothing added */
	pace_start_plan(&p, 0, &pl, 0);
	for (k = 0; k <= 10; k++)
		ck_assert_uint_eq(pace_due(&p, k), k * NS / 10);
	ck_assert_uint_eq(pace_owed(&p, NS), 11);
	ck_assert_uint_eq(pace_owed(&p, 3 * NS), 11);
	ck_assert_uint_eq(pace_owed(&p, 3 * NS + NS / 10 - 1), 11);
	ck_assert_uint_eq(pace_due(&p, 11), 3 * NS + NS / 10);
	ck_assert_uint_eq(pace_owed(&p, 3 * NS + NS / 10), 12);
	ck_assert_uint_eq(pace_due(&p, 20), 4 * NS);
	/* A plan at 0 throughout owes nothing, ever. */
	pace_plan_init(&pl);
	ck_assert_int_eq(pace_plan_add(&pl, 0, 0, NS), 0);
	pace_plan_end(&pl);
	pace_start_plan(&p, 0, &pl, 0);
	ck_assert_uint_eq(pace_due(&p, 0), UINT64_MAX);
	ck_assert_uint_eq(pace_owed(&p, UINT64_MAX / 2), 0);
}
END_TEST

/* A connection opened mid-phase takes the job's timetable from its first
 * message not yet due: the same due times, renumbered from 0. */
START_TEST(test_plan_mid_phase)
{
	static const uint64_t	ph[][3] = { { 0, 2000, 4 * NS },
	    { 500, 500, UINT64_MAX } };
	struct pace_plan	pl;
	struct pace		job, p;
	uint64_t		now = 3 * NS + 7, base, k;

	plan_of(&pl, ph, 2);
	pace_start_plan(&job, 0, &pl, 0);
	base = pace_owed(&job, now);
	ck_assert_uint_eq(base, 2251);		/* 250 t^2 by t = 3 s */
	pace_start_plan(&p, 0, &pl, base);
	ck_assert_uint_ge(pace_due(&p, 0), now);
	ck_assert_uint_lt(pace_due(&job, base - 1), now + 1);
	for (k = 0; k < 3000; k++)
		ck_assert_uint_eq(pace_due(&p, k), pace_due(&job, base + k));
	ck_assert_uint_eq(pace_owed(&p, now), 0);
	ck_assert_uint_eq(pace_owed(&p, 5 * NS), 4000 + 500 - base + 1);
}
END_TEST

/* Late: sent once the next message is due too; the count of a batch is
 * the count message by message. */
START_TEST(test_plan_late)
{
	static const uint64_t	ph[][3] = { { 100, 1000, 10 * NS } };
	struct pace_plan	pl;
	struct pace		p;
	uint64_t		k, n, now, owed, late;

	plan_of(&pl, ph, 1);
	pace_start_plan(&p, 0, &pl, 0);
	for (k = 0; k < 6000; k += 13) {
		ck_assert_int_eq(pace_late(&p, k, pace_due(&p, k)), 0);
		ck_assert_int_eq(pace_late(&p, k, pace_due(&p, k + 1) - 1), 0);
		ck_assert_int_eq(pace_late(&p, k, pace_due(&p, k + 1)), 1);
	}
	for (now = 0; now < 12 * NS; now += NS / 7) {
		p.next = now / 3 / NS * 700;
		owed = pace_owed(&p, now);
		for (n = 0; n <= owed; n += owed / 5 + 1) {
			late = 0;
			for (k = p.next; k < p.next + n; k++)
				late += pace_late(&p, k, now);
			ck_assert_uint_eq(pace_late_count(&p, n, owed, now),
			    late);
		}
	}
}
END_TEST

/* A plan takes PACE_PHASES_MAX phases, and nothing after a held one. */
START_TEST(test_plan_full)
{
	struct pace_plan	pl;
	int			i;

	pace_plan_init(&pl);
	for (i = 0; i < PACE_PHASES_MAX; i++)
		ck_assert_int_eq(pace_plan_add(&pl, 1, 2, NS), 0);
	ck_assert_int_eq(pace_plan_add(&pl, 1, 2, NS), -1);
	pace_plan_end(&pl);
	ck_assert_uint_eq(pl.n, PACE_PHASES_MAX + 1);
	pace_plan_init(&pl);
	ck_assert_int_eq(pace_plan_add(&pl, 5, 5, UINT64_MAX), 0);
	ck_assert_int_eq(pace_plan_add(&pl, 1, 2, NS), -1);
}
END_TEST

/* --rate as written: a plain rate, phases, and what is refused, the
 * message naming the bad phase. */
START_TEST(test_plan_parse)
{
	static const struct {
		const char	*text;
		const char	*why;
	} bad[] = {
		{ "", "bad phase ''" }, { "10000001", "bad phase" },
		{ "5,10", "bad phase '10'" }, { "1:2", "bad phase '1:2'" },
		{ "1:2:3:4s", "bad phase" }, { "1:2:0s", "bad phase" },
		{ "1:2:1s,", "bad phase ''" }, { "-1", "bad phase" },
		{ "1:2:1s,1:2:1s,1:2:1s,1:2:1s,1:2:1s,1:2:1s,1:2:1s,1:2:1s,"
		    "1:2:1s,1:2:1s,1:2:1s,1:2:1s,1:2:1s,1:2:1s,1:2:1s,1:2:1s,"
		    "3", "at most 16 phases" },
	};
	struct pace_plan	pl;
	uint64_t		rate = 7;
	char			err[256];
	size_t			i;

	ck_assert_int_eq(pace_parse("500", &rate, &pl, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(rate, 500);
	ck_assert_uint_eq(pl.n, 0);
	ck_assert_int_eq(pace_parse("100:1000:10s,0:0:1.5ms,20",
	    &rate, &pl, err, sizeof(err)), 0);
	ck_assert_uint_eq(pl.n, 3);
	ck_assert(pl.phase[0].from == 100 && pl.phase[0].to == 1000);
	ck_assert_uint_eq(pl.phase[0].len, 10 * NS);
	ck_assert_uint_eq(pl.phase[1].len, 1500000);
	ck_assert_uint_eq(pl.phase[2].len, UINT64_MAX);
	ck_assert(pl.phase[2].from == 20);
	ck_assert_int_eq(pace_parse("0:10:1s", &rate, &pl, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(pl.n, 2);		/* 10 held after the ramp */
	ck_assert(pl.phase[1].from == 10 && pl.phase[1].to == 10);
	for (i = 0; i < NELEM(bad); i++) {
		err[0] = '\0';
		ck_assert_msg(pace_parse(bad[i].text, &rate, &pl,
		    err, sizeof(err)) == -1, "'%s' taken", bad[i].text);
		ck_assert_msg(strstr(err, bad[i].why) != NULL, "'%s': %s",
		    bad[i].text, err);
	}
}
END_TEST

/* --- message ---------------------------------------------------------------- */

static const struct args_opt	msg_opts[] = {
	MESSAGE_OPTS(0),
	ARGS_END
};
static const struct args_template msg_tmpl = { .opts = msg_opts };

/* Prepares a message from the words of line; returns what
 * message_prepare returns, its error in msg_err. */
static char	msg_err[256];

static int
msg_prepare(struct message *m, int stamped, const char *line)
{
	const char	*perr = NULL;
	struct args	 a;
	char		**argv;
	int		 argc, rc;

	ck_assert_int_eq(cmd_parse_line(line, &argc, &argv, &perr), 0);
	ck_assert_int_eq(args_parse(&msg_tmpl, argc, argv, &a, msg_err,
	    sizeof(msg_err)), 0);
	msg_err[0] = '\0';
	memset(m, 0, sizeof(*m));
	rc = message_prepare(m, &a, 0, stamped, msg_err, sizeof(msg_err));
	cmd_free_argv(argc, argv);
	return rc;
}

START_TEST(test_message_default)
{
	struct message	 m;
	uint64_t	 seq, ns;

	ck_assert_int_eq(msg_prepare(&m, 0, ""), 0);
	ck_assert_uint_eq(m.size, 2);
	ck_assert_mem_eq(m.payload, "yo", 2);
	ck_assert_int_eq(m.opcode, WS_OP_TEXT);
	message_free(&m);

	ck_assert_int_eq(msg_prepare(&m, 1, ""), 0);
	ck_assert_uint_eq(m.size, STAMP_LEN + 2);
	ck_assert_int_eq(stamp_read(m.payload, m.size, &seq, &ns), 0);
	ck_assert_mem_eq(m.payload + STAMP_LEN, "yo", 2);
	ck_assert(ws_utf8_valid(m.payload, m.size));
	message_free(&m);
	ck_assert_ptr_null(m.payload);
}
END_TEST

START_TEST(test_message_msg)
{
	struct message	 m;

	ck_assert_int_eq(msg_prepare(&m, 0, "--msg 'hello there'"), 0);
	ck_assert_uint_eq(m.size, 11);
	ck_assert_mem_eq(m.payload, "hello there", 11);
	message_free(&m);
	ck_assert_int_eq(msg_prepare(&m, 1, "--msg 'hello there'"), 0);
	ck_assert_uint_eq(m.size, STAMP_LEN + 11);
	ck_assert_mem_eq(m.payload + STAMP_LEN, "hello there", 11);
	message_free(&m);
	ck_assert_int_eq(msg_prepare(&m, 0, "--msg ''"), 0);
	ck_assert_uint_eq(m.size, 0);
	message_free(&m);
	ck_assert_int_eq(msg_prepare(&m, 1, "--msg ''"), 0);
	ck_assert_uint_eq(m.size, STAMP_LEN);
	message_free(&m);
}
END_TEST

START_TEST(test_message_size)
{
	struct message	 m;
	uint64_t	 seq, ns;

	ck_assert_int_eq(msg_prepare(&m, 0, "--size 100"), 0);
	ck_assert_uint_eq(m.size, 100);
	ck_assert(ws_utf8_valid(m.payload, m.size));
	message_free(&m);
	/* The stamp is counted in --size. */
	ck_assert_int_eq(msg_prepare(&m, 1, "--size 100"), 0);
	ck_assert_uint_eq(m.size, 100);
	ck_assert_int_eq(stamp_read(m.payload, m.size, &seq, &ns), 0);
	ck_assert(ws_utf8_valid(m.payload, m.size));
	message_free(&m);
	ck_assert_int_eq(msg_prepare(&m, 0, "--size 0"), 0);
	ck_assert_uint_eq(m.size, 0);
	message_free(&m);
	ck_assert_int_eq(msg_prepare(&m, 1, "--size 39"), 0);
	ck_assert_uint_eq(m.size, STAMP_LEN);
	message_free(&m);
	/* Too small for a stamp. */
	ck_assert_int_eq(msg_prepare(&m, 0, "--size 38"), 0);
	message_free(&m);
	ck_assert_int_eq(msg_prepare(&m, 1, "--size 38"), -1);
	ck_assert_ptr_nonnull(strstr(msg_err, "stamp"));
	ck_assert_int_eq(msg_prepare(&m, 1, "--size 0"), -1);
}
END_TEST

START_TEST(test_message_refused)
{
	struct message	 m;

	ck_assert_int_eq(msg_prepare(&m, 0, "--msg a --size 5"), -1);
	ck_assert_ptr_nonnull(strstr(msg_err, "--size"));
	ck_assert_int_eq(msg_prepare(&m, 0, "--msg caf\xc3"), -1);
	ck_assert_ptr_nonnull(strstr(msg_err, "UTF-8"));
	ck_assert_int_eq(msg_prepare(&m, 1, "--msg caf\xc3"), -1);
	/* Binary messages need not be UTF-8. */
	ck_assert_int_eq(msg_prepare(&m, 1, "--msg caf\xc3 --binary"), 0);
	ck_assert_int_eq(m.opcode, WS_OP_BINARY);
	ck_assert_uint_eq(m.size, STAMP_LEN + 4);
	ck_assert_mem_eq(m.payload + STAMP_LEN, "caf\xc3", 4);
	message_free(&m);
	ck_assert_int_eq(msg_prepare(&m, 0, "--size 64 --binary"), 0);
	ck_assert_int_eq(m.opcode, WS_OP_BINARY);
	ck_assert_uint_eq(m.size, 64);
	message_free(&m);
}
END_TEST

static Suite *
latency_suite(void)
{
	Suite	*s = suite_create("latency");
	TCase	*tc;

	tc = tcase_create("hdr");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_hdr_buckets_tile);
	tcase_add_test(tc, test_hdr_index_bounds);
	tcase_add_test(tc, test_hdr_bucket_width);
	tcase_add_test(tc, test_hdr_clamp);
	tcase_add_test(tc, test_hdr_quantile);
	tcase_add_test(tc, test_hdr_empty);
	tcase_add_test(tc, test_hdr_mean);
	tcase_add_test(tc, test_hdr_count_le);
	tcase_add_test(tc, test_hdr_since);
	tcase_add_test(tc, test_hdr_percentiles);
	suite_add_tcase(s, tc);

	tc = tcase_create("stamp");
	tcase_add_test(tc, test_stamp_bytes);
	tcase_add_test(tc, test_stamp_round_trip);
	tcase_add_test(tc, test_stamp_short);
	tcase_add_test(tc, test_stamp_corrupt);
	suite_add_tcase(s, tc);

	tc = tcase_create("pace");
	tcase_add_test(tc, test_pace_due);
	tcase_add_test(tc, test_pace_owed);
	tcase_add_test(tc, test_pace_late);
	tcase_add_test(tc, test_pace_huge);
	suite_add_tcase(s, tc);

	tc = tcase_create("plan");
	tcase_add_test(tc, test_plan_ramp);
	tcase_add_test(tc, test_plan_owed);
	tcase_add_test(tc, test_plan_pause);
	tcase_add_test(tc, test_plan_mid_phase);
	tcase_add_test(tc, test_plan_late);
	tcase_add_test(tc, test_plan_full);
	tcase_add_test(tc, test_plan_parse);
	suite_add_tcase(s, tc);

	tc = tcase_create("message");
	tcase_add_test(tc, test_message_default);
	tcase_add_test(tc, test_message_msg);
	tcase_add_test(tc, test_message_size);
	tcase_add_test(tc, test_message_refused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(latency_suite(), NULL);
}
