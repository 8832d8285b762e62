/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for requirements (require.c): every operator at and around
 * its bound, the units of times and counts, the JOB: prefix, and the bad
 * forms, each refused with its reason.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "require.h"
#include "check_run.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* The caller's field table, as small as the tests need. */
static enum require_kind
fields(const char *f)
{
	if (strcmp(f, "p99") == 0 || strcmp(f, "p99.9") == 0)
		return REQUIRE_TIME;
	if (strcmp(f, "errors") == 0 || strcmp(f, "rate") == 0)
		return REQUIRE_COUNT;
	return REQUIRE_UNKNOWN;
}

static struct require
parse_ok(const char *expr)
{
	struct require	r;
	char		err[256];

	if (require_parse(expr, fields, &r, err, sizeof(err)) == -1)
		ck_abort_msg("'%s' refused: %s", expr, err);
	return r;
}

START_TEST(test_ops)
{
	static const struct {
		const char	*expr;
		int		 below, at, above;	/* 4, 5, 6 */
	} t[] = {
		{ "errors<5", 1, 0, 0 },
		{ "errors<=5", 1, 1, 0 },
		{ "errors>5", 0, 0, 1 },
		{ "errors>=5", 0, 1, 1 },
		{ "errors==5", 0, 1, 0 },
		{ "errors!=5", 1, 0, 1 },
	};
	struct require	r;
	size_t		i;

	for (i = 0; i < NELEM(t); i++) {
		r = parse_ok(t[i].expr);
		ck_assert_str_eq(r.expr, t[i].expr);
		ck_assert_msg(require_held(&r, 4) == t[i].below, "%s at 4",
		    t[i].expr);
		ck_assert_msg(require_held(&r, 5) == t[i].at, "%s at 5",
		    t[i].expr);
		ck_assert_msg(require_held(&r, 6) == t[i].above, "%s at 6",
		    t[i].expr);
	}
}
END_TEST

START_TEST(test_units)
{
	static const struct {
		const char	*expr;
		double		 bound;
	} t[] = {
		{ "p99<7ns", 7 }, { "p99<50us", 50e3 }, { "p99<50ms", 50e6 },
		{ "p99<2s", 2e9 }, { "p99<1.5ms", 1.5e6 }, { "p99 < 3 ms", 3e6 },
		{ "rate>=10k", 1e4 }, { "rate>=2M", 2e6 }, { "rate>=1G", 1e9 },
		{ "rate>=.5k", 500 }, { "rate>=1e3", 1000 }, { "errors==0", 0 },
	};
	struct require	r;
	size_t		i;

	for (i = 0; i < NELEM(t); i++) {
		r = parse_ok(t[i].expr);
		ck_assert_msg(r.bound == t[i].bound, "%s: %g", t[i].expr,
		    r.bound);
	}
	r = parse_ok("p99.9<1ms");
	ck_assert_str_eq(r.field, "p99.9");
	ck_assert_int_eq(r.kind, REQUIRE_TIME);
}
END_TEST

START_TEST(test_job)
{
	struct require	r;

	r = parse_ok("p99<1ms");
	ck_assert_str_eq(r.job, "");
	ck_assert_str_eq(r.field, "p99");
	r = parse_ok("load:p99<1ms");
	ck_assert_str_eq(r.job, "load");
	ck_assert_str_eq(r.field, "p99");
	ck_assert_int_eq(r.op, REQUIRE_LT);
	r = parse_ok(" load : errors != 0 ");
	ck_assert_str_eq(r.job, "load");
	ck_assert_str_eq(r.field, "errors");
	ck_assert_int_eq(r.op, REQUIRE_NE);
}
END_TEST

/* A bound typed as an integer equals the integer counted: the compare
 * is exact on the doubles a report's integers become. */
START_TEST(test_boundaries)
{
	struct require	r;

	r = parse_ok("rate==9007199254740992");
	ck_assert(require_held(&r, 9007199254740992.0));
	r = parse_ok("rate==3k");
	ck_assert(require_held(&r, 3000.0));
	ck_assert(!require_held(&r, 2999.0));
	r = parse_ok("p99<=1ms");
	ck_assert(require_held(&r, 1000000.0));
	ck_assert(!require_held(&r, 1000001.0));
	r = parse_ok("p99==0.001ms");
	ck_assert(require_held(&r, 1000.0));
}
END_TEST

START_TEST(test_bad)
{
	static const struct {
		const char	*expr;
		const char	*why;
	} t[] = {
		{ "", "no operator" },
		{ "errors", "no operator" },
		{ "errors 5", "no operator" },
		{ "errors=5", "bad operator" },
		{ "errors!5", "bad operator" },
		{ "p99<<5ms", "two operators" },
		{ "p99<5ms<6ms", "two operators" },
		{ "errors<", "no number" },
		{ "errors<x", "no number" },
		{ "errors<-1", "no number" },
		{ "errors<0x10", "bad number" },
		{ "errors<1.2.3", "bad number" },
		{ "errors<5e", "bad number" },
		{ "errors<1e309", "number too large" },
		{ "rate>=1e308k", "number too large" },
		{ "p99<1e300s", "number too large" },
		{ "p99<50", "give a unit" },
		{ "p99<50k", "not a unit of time" },
		{ "p99<50msx", "not a unit of time" },
		{ "errors<5ms", "does not fit" },
		{ "errors<5kk", "does not fit" },
		{ "errors<5 junk", "does not fit" },
		{ "<5", "no field" },
		{ "load:<5", "no field" },
		{ ":p99<5ms", "no job" },
		{ "p98<5ms", "unknown field 'p98'" },
		{ "load:p98<5ms", "unknown field 'p98'" },
	};
	struct require	r;
	char		err[256];
	size_t		i;

	for (i = 0; i < NELEM(t); i++) {
		err[0] = '\0';
		ck_assert_msg(require_parse(t[i].expr, fields, &r, err,
		    sizeof(err)) == -1, "'%s' taken", t[i].expr);
		ck_assert_msg(strstr(err, t[i].why) != NULL, "'%s': %s",
		    t[i].expr, err);
		ck_assert_msg(strncmp(err, "bad requirement '", 17) == 0,
		    "'%s': %s", t[i].expr, err);
	}
}
END_TEST

START_TEST(test_format)
{
	struct require	r;
	char		v[32];

	r = parse_ok("p99<1s");
	require_format(v, sizeof(v), &r, 1234500);
	ck_assert_str_eq(v, "1.23ms");
	require_format(v, sizeof(v), &r, 850);
	ck_assert_str_eq(v, "850ns");
	require_format(v, sizeof(v), &r, 2.5e9);
	ck_assert_str_eq(v, "2.5s");
	r = parse_ok("rate>1");
	require_format(v, sizeof(v), &r, 1500);
	ck_assert_str_eq(v, "1500");
	require_format(v, sizeof(v), &r, 12.25);
	ck_assert_str_eq(v, "12.25");
}
END_TEST

static Suite *
require_suite(void)
{
	Suite	*s = suite_create("require");
	TCase	*tc = tcase_create("parse");

	tcase_add_test(tc, test_ops);
	tcase_add_test(tc, test_units);
	tcase_add_test(tc, test_job);
	tcase_add_test(tc, test_boundaries);
	tcase_add_test(tc, test_bad);
	tcase_add_test(tc, test_format);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(require_suite(), NULL);
}
