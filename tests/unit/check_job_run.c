/* SPDX-License-Identifier: ISC */
/* Unit tests for job_run.c: the series keeps the last JOB_SERIES_MAX
 * seconds in order; the full-load rates count only the whole seconds
 * between full load and the end, yet all of them past the series' hour;
 * the peak is the highest gauge sampled. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "job_run.h"
#include "check_run.h"

#define SEC	1000000000ull

/* One second of samples, at start + t seconds, with received = sent = v
 * and connections = conns. */
static void
sample(struct job_run *r, uint64_t t, uint64_t v, uint64_t conns)
{
	uint64_t	x[JOB_SERIES_COUNT] = { 0 };

	x[JOB_SERIES_connections] = conns;
	x[JOB_SERIES_messages_received] = v;
	x[JOB_SERIES_messages_sent] = 2 * v;
	job_run_sample(r, r->start_ns + t * SEC, x);
}

START_TEST(test_ring)
{
	struct job_run	*r = job_run_new();
	uint64_t	 t, n = JOB_SERIES_MAX + 150;

	ck_assert_ptr_nonnull(r);
	for (t = 1; t <= n; t++)
		sample(r, t, t, 1);
	ck_assert_uint_eq(r->len, JOB_SERIES_MAX);
	/* Oldest first: the last hour's seconds, one after the other. */
	for (t = 0; t < JOB_SERIES_MAX; t++) {
		ck_assert_uint_eq(job_run_second(r, t)->t_ms,
		    (n - JOB_SERIES_MAX + 1 + t) * 1000);
		ck_assert_uint_eq(job_run_second(r, t)->v[
		    JOB_SERIES_messages_received], n - JOB_SERIES_MAX + 1 + t);
	}
	job_run_free(r);
}
END_TEST

START_TEST(test_rates)
{
	struct job_run	*r = job_run_new();
	uint64_t	 t, n = JOB_SERIES_MAX + 100;

	ck_assert_ptr_nonnull(r);
	/* The ramp's seconds count in the peak, not in the rates. */
	sample(r, 1, 1000000, 7);
	sample(r, 2, 1000000, 9);
	ck_assert_uint_eq(r->rate[JOB_RUN_RECEIVED].seconds, 0);
	/* Full load in the middle of the third second: it does not count. */
	job_run_full_load(r, r->start_ns + 2 * SEC + SEC / 2);
	sample(r, 3, 1000000, 8);
	ck_assert_uint_eq(r->rate[JOB_RUN_RECEIVED].seconds, 0);
	/* Seconds 4 .. n count whole, more than the series keeps. */
	for (t = 4; t <= n; t++)
		sample(r, t, 100 + t % 3, 8);
	job_run_end(r, r->start_ns + n * SEC + SEC / 2);
	/* The second the load ended in does not count, nor any after. */
	sample(r, n + 1, 5, 8);
	sample(r, n + 2, 5, 8);
	ck_assert_uint_eq(r->rate[JOB_RUN_RECEIVED].seconds, n - 3);
	ck_assert_uint_eq(r->rate[JOB_RUN_RECEIVED].min, 100);
	ck_assert_uint_eq(r->rate[JOB_RUN_RECEIVED].max, 102);
	ck_assert_uint_eq(r->rate[JOB_RUN_SENT].min, 200);
	ck_assert_uint_eq(r->rate[JOB_RUN_SENT].max, 204);
	ck_assert_uint_eq(r->rate[JOB_RUN_RECEIVED].sum, 101 * (n - 3));
	ck_assert_uint_eq(r->peak_connections, 9);
	/* Each time keeps the first it was told. */
	job_run_full_load(r, r->start_ns + n * SEC);
	job_run_end(r, r->start_ns + (n + 2) * SEC);
	ck_assert_uint_eq(r->full_load_ns, r->start_ns + 2 * SEC + SEC / 2);
	ck_assert_uint_eq(r->end_ns, r->start_ns + n * SEC + SEC / 2);
	job_run_free(r);
}
END_TEST

static Suite *
job_run_suite(void)
{
	Suite	*s = suite_create("job_run");
	TCase	*tc = tcase_create("run");

	tcase_add_test(tc, test_ring);
	tcase_add_test(tc, test_rates);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(job_run_suite(), NULL);
}
