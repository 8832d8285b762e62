/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of what the views of a latency print (latency_view.c) over
 * histograms made here, and of the one-pass bucket counts of /metrics
 * (hdr_count_le_next).  The --hdr distribution is compared with a golden
 * file; on a difference the output is left in latency_hdr.got.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "hdr.h"
#include "latency_view.h"
#include "check_run.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static struct hdr	 rec;
static struct hdr_sum	 sum;

/* 10000 values from 997 ns to 9.97 ms, ten from 50 to 59 ms, one of 2 s:
 * a body, a tail and an outlier. */
static void
sum_setup(void)
{
	int	i;

	hdr_init(&rec);
	for (i = 1; i <= 10000; i++)
		hdr_record(&rec, (uint64_t)i * 997);
	for (i = 0; i < 10; i++)
		hdr_record(&rec, 50000000 + (uint64_t)i * 1000000);
	hdr_record(&rec, 2000000000);
	hdr_sum_init(&sum);
	hdr_sum_add(&sum, &rec);
}

/* What b holds, as a string the caller frees. */
static char *
drain(struct evbuffer *b)
{
	size_t	 n = evbuffer_get_length(b);
	char	*s = malloc(n + 1);

	ck_assert_ptr_nonnull(s);
	evbuffer_remove(b, s, n);
	s[n] = '\0';
	return s;
}

static char *
read_golden(const char *name)
{
	char	 path[1024], *s;
	FILE	*f;
	long	 n;

	snprintf(path, sizeof(path), "%s/%s", GOLDEN_DIR, name);
	ck_assert_msg((f = fopen(path, "r")) != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	return s;
}

static char *
hdr_text(const struct hdr_sum *s)
{
	struct evbuffer	*b = evbuffer_new();
	char		*out;

	ck_assert_ptr_nonnull(b);
	latency_view_hdr(b, s);
	out = drain(b);
	evbuffer_free(b);
	return out;
}

START_TEST(test_hdr_golden)
{
	char	*got = hdr_text(&sum), *want = read_golden("latency_hdr.out");
	FILE	*f;

	if (strcmp(got, want) != 0 && (f = fopen("latency_hdr.got", "w")) !=
	    NULL) {
		fputs(got, f);
		fclose(f);
	}
	ck_assert_msg(strcmp(got, want) == 0, "--hdr output differs from "
	    "golden/latency_hdr.out: see latency_hdr.got");
	free(got);
	free(want);
}
END_TEST

/* HdrHistogram's layout, whatever the numbers: what its plotters parse. */
START_TEST(test_hdr_layout)
{
	char		*text = hdr_text(&sum), *line, *save = NULL;
	double		 v, p, inv, lastv = 0, lastp = -1;
	unsigned long	 c, lastc = 0;
	int		 n = 0, last = 0, f;

	line = strtok_r(text, "\n", &save);
	ck_assert_str_eq(line,
	    "       Value   Percentile   TotalCount 1/(1-Percentile)");
	while ((line = strtok_r(NULL, "\n", &save)) != NULL && line[0] != '#') {
		ck_assert_msg(!last, "a line after the last: %s", line);
		f = sscanf(line, "%lf %lf %lu %lf", &v, &p, &c, &inv);
		last = f == 3;
		ck_assert_msg(f == 4 || (last && p == 1.0), "bad line %s", line);
		ck_assert_uint_eq(strlen(line), (last ? 38 : 51));
		ck_assert(v >= lastv && p > lastp && c >= lastc);
		lastv = v, lastp = p, lastc = c;
		n++;
	}
	ck_assert(last && c == sum.total && n > 50);
	ck_assert_ptr_nonnull(line);
	ck_assert(strncmp(line, "#[Mean    = ", 12) == 0);
	line = strtok_r(NULL, "\n", &save);
	ck_assert_str_eq(line,
	    "#[Max     =     2000.000, Total count    =        10011]");
	line = strtok_r(NULL, "\n", &save);
	ck_assert_str_eq(line,
	    "#[Buckets =           30, SubBuckets     =          256]");
	ck_assert_ptr_null(strtok_r(NULL, "\n", &save));
	free(text);
}
END_TEST

START_TEST(test_hdr_empty)
{
	struct hdr_sum	*s = malloc(sizeof(*s));
	char		*text;

	ck_assert_ptr_nonnull(s);
	hdr_sum_init(s);
	text = hdr_text(s);
	ck_assert_str_eq(text, "");
	free(text);
	free(s);
}
END_TEST

static const struct {
	uint64_t	 ns;
	const char	*text, *us;
} durations[] = {
	{ 0, "0 ns", "0.000" },
	{ 999, "999 ns", "0.999" },
	{ 1000, "1.000 us", "1.000" },
	{ 12345, "12.345 us", "12.345" },
	{ 1234567, "1.235 ms", "1234.567" },
	{ 2500000000ULL, "2.500 s", "2500000.000" },
};

START_TEST(test_duration)
{
	char	out[LATENCY_VIEW_LEN];

	latency_view_duration(out, sizeof(out), durations[_i].ns);
	ck_assert_str_eq(out, durations[_i].text);
	latency_view_us(out, sizeof(out), durations[_i].ns);
	ck_assert_str_eq(out, durations[_i].us);
}
END_TEST

struct each {
	char		keys[128];
	uint64_t	ns[16];
	int		n, nulls;
};

static void
each_cb(void *arg, const char *key, const uint64_t *ns)
{
	struct each	*e = arg;

	strcat(e->keys, key);
	strcat(e->keys, " ");
	if (ns == NULL)
		e->nulls++;
	else
		e->ns[e->n++] = *ns;
}

START_TEST(test_each)
{
	struct each	 e = { "", { 0 }, 0, 0 };
	struct hdr_sum	*empty = malloc(sizeof(*empty));
	int		 i;

	latency_view_each(&sum, each_cb, &e);
	ck_assert_str_eq(e.keys, "min mean p50 p90 p99 p99.9 p99.99 max ");
	ck_assert_int_eq(e.nulls, 0);
	ck_assert_uint_eq(e.ns[0], 997);
	ck_assert_uint_eq(e.ns[1], hdr_mean(&sum));
	ck_assert_uint_eq(e.ns[2], hdr_quantile(&sum, 0.5));
	ck_assert_uint_eq(e.ns[6], hdr_quantile(&sum, 0.9999));
	ck_assert_uint_eq(e.ns[7], 2000000000);
	/* min, then the percentiles and max rising; the mean aside. */
	for (i = 2; i < e.n; i++)
		ck_assert(e.ns[i] >= e.ns[i == 2 ? 0 : i - 1]);
	ck_assert_ptr_nonnull(empty);
	hdr_sum_init(empty);
	memset(&e, 0, sizeof(e));
	latency_view_each(empty, each_cb, &e);
	ck_assert_int_eq(e.nulls, 8);
	ck_assert_int_eq(e.n, 0);
	free(empty);
}
END_TEST

/* One pass over rising bounds counts what a pass a bound counts. */
START_TEST(test_count_le_next)
{
	struct hdr_le	le = { 0, 0 };
	uint64_t	ns;

	for (ns = 1000; ns < 4000000000ULL; ns = ns * 11 / 10)
		ck_assert_uint_eq(hdr_count_le_next(&sum, &le, ns),
		    hdr_count_le(&sum, ns));
	ck_assert_uint_eq(le.n, sum.total);
}
END_TEST

static Suite *
latency_suite(void)
{
	Suite	*s = suite_create("latency_view");
	TCase	*tc = tcase_create("view");

	tcase_add_checked_fixture(tc, sum_setup, NULL);
	tcase_add_test(tc, test_hdr_golden);
	tcase_add_test(tc, test_hdr_layout);
	tcase_add_test(tc, test_hdr_empty);
	tcase_add_loop_test(tc, test_duration, 0, (int)NELEM(durations));
	tcase_add_test(tc, test_each);
	tcase_add_test(tc, test_count_le_next);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(latency_suite(), NULL);
}
