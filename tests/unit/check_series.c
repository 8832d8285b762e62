/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of a job's per-second series as CSV and JSON (series_view.c),
 * over a series made here: the header and field names as the spec has
 * them, t and latency with 3 decimals, latency absent in a second without
 * one and for a job that times nothing, the name column.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "job.h"
#include "job_run.h"
#include "series_view.h"
#include "check_run.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* What job_run.c would name and keep: its own names, from JOB_SERIES. */
#define NAME(name, source, help)	#name,
const char *const job_series_name[JOB_SERIES_COUNT] = { JOB_SERIES(NAME) };
#undef NAME

#define P50	JOB_SERIES_latency_p50_ns
#define P99	JOB_SERIES_latency_p99_ns

static const struct job_second seconds[] = {
	{ 1000, { 3, 3, 100, 0, 4500, 0, 0, 1234567, 9000000 } },
	{ 2001, { 2, 0, 120, 0, 5400, 0, 1, 0, 0 } },
	{ 3500, { 2, 1, 7, 0, 315, 0, 0, 999, 1000 } },
};
static size_t		 nseconds;
static struct job	 job;

size_t
job_series_len(const struct job *j)
{
	ck_assert_ptr_eq(j, &job);
	return nseconds;
}

const struct job_second *
job_series_at(const struct job *j, size_t i)
{
	ck_assert_ptr_eq(j, &job);
	ck_assert_uint_lt(i, nseconds);
	return &seconds[i];
}

static void
setup(void)
{
	memset(&job, 0, sizeof(job));
	strcpy(job.name, "load-1");
	job.timing = "rtt";
	nseconds = NELEM(seconds);
}

/* What b holds, as a string the caller frees; b freed. */
static char *
drain(struct evbuffer *b)
{
	size_t	 n = evbuffer_get_length(b);
	char	*s = malloc(n + 1);

	ck_assert_ptr_nonnull(s);
	evbuffer_remove(b, s, n);
	s[n] = '\0';
	evbuffer_free(b);
	return s;
}

static char *
csv(int header, int named)
{
	struct evbuffer	*b = evbuffer_new();

	ck_assert_ptr_nonnull(b);
	series_csv(b, &job, header, named);
	return drain(b);
}

static char *
json(void)
{
	struct evbuffer	*b = evbuffer_new();

	ck_assert_ptr_nonnull(b);
	series_json(b, &job);
	return drain(b);
}

#define HEADER	"t,connections,connections_opened,messages_received," \
	"messages_sent,bytes_received,bytes_sent,connection_errors," \
	"latency_p50_us,latency_p99_us\n"
#define ROWS \
	"1.000,3,3,100,0,4500,0,0,1234.567,9000.000\n" \
	"2.001,2,0,120,0,5400,0,1,,\n" \
	"3.500,2,1,7,0,315,0,0,0.999,1.000\n"

START_TEST(test_csv)
{
	char	*s = csv(1, 0);

	ck_assert_str_eq(s, HEADER ROWS);
	free(s);
}
END_TEST

START_TEST(test_csv_named)
{
	char	*s = csv(1, 1);

#define NAMED_ROWS \
	"load-1,1.000,3,3,100,0,4500,0,0,1234.567,9000.000\n" \
	"load-1,2.001,2,0,120,0,5400,0,1,,\n" \
	"load-1,3.500,2,1,7,0,315,0,0,0.999,1.000\n"
	ck_assert_str_eq(s, "name," HEADER NAMED_ROWS);
	free(s);
	s = csv(0, 1);
	ck_assert_str_eq(s, NAMED_ROWS);
	free(s);
}
END_TEST

/* A job that times nothing has no latency, whatever the series holds. */
START_TEST(test_csv_untimed)
{
	char	*s;

	job.timing = NULL;
	s = csv(0, 0);
	ck_assert_str_eq(s, "1.000,3,3,100,0,4500,0,0,,\n"
	    "2.001,2,0,120,0,5400,0,1,,\n"
	    "3.500,2,1,7,0,315,0,0,,\n");
	free(s);
}
END_TEST

START_TEST(test_csv_empty)
{
	char	*s;

	nseconds = 0;
	s = csv(1, 0);
	ck_assert_str_eq(s, HEADER);
	free(s);
	s = csv(0, 1);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

#define FIELDS	"\"fields\":[\"t\",\"connections\",\"connections_opened\"," \
	"\"messages_received\",\"messages_sent\",\"bytes_received\"," \
	"\"bytes_sent\",\"connection_errors\",\"latency_p50_us\"," \
	"\"latency_p99_us\"]"

START_TEST(test_json)
{
	char	*s = json();

	ck_assert_str_eq(s, "{\"name\":\"load-1\"," FIELDS ",\"rows\":["
	    "[1.000,3,3,100,0,4500,0,0,1234.567,9000.000],"
	    "[2.001,2,0,120,0,5400,0,1,null,null],"
	    "[3.500,2,1,7,0,315,0,0,0.999,1.000]]}");
	free(s);
	job.timing = NULL;
	nseconds = 1;
	s = json();
	ck_assert_str_eq(s, "{\"name\":\"load-1\"," FIELDS ",\"rows\":["
	    "[1.000,3,3,100,0,4500,0,0,null,null]]}");
	free(s);
	nseconds = 0;
	s = json();
	ck_assert_str_eq(s, "{\"name\":\"load-1\"," FIELDS ",\"rows\":[]}");
	free(s);
}
END_TEST

static Suite *
series_suite(void)
{
	Suite	*s = suite_create("series_view");
	TCase	*tc = tcase_create("view");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_csv);
	tcase_add_test(tc, test_csv_named);
	tcase_add_test(tc, test_csv_untimed);
	tcase_add_test(tc, test_csv_empty);
	tcase_add_test(tc, test_json);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(series_suite(), NULL);
}
