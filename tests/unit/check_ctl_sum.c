/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the sum of several hosts' stats (ctl_sum.c): the text
 * and the JSON of stats, jobs on some hosts only, a host with none, odd
 * JSON the scanner must get through or refuse, and sums near 2^64 that
 * must stay at 2^64 - 1 rather than wrap.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_sum.h"
#include "check_run.h"

static const struct ctl_sum_job *
job(const struct ctl_sum *s, const char *name)
{
	size_t	i;

	for (i = 0; i < s->njobs; i++)
		if (strcmp(s->jobs[i].name, name) == 0)
			return &s->jobs[i];
	ck_abort_msg("no job '%s' in the sum", name);
	return NULL;
}

static void
text(struct ctl_sum *s, const char *const *lines)
{
	ctl_sum_host(s);
	for (; *lines != NULL; lines++)
		ctl_sum_text_line(s, *lines);
}

START_TEST(test_text)
{
	static const char *const a[] = {
		"name                           r", "kind                           recv",
		"state                          running",
		"messages_received              10",
		"messages_received_per_second   3",
		"connections                    2",
		"messages_received_per_second_mean 300.0",
		"handshake_p99_us               none", "",
		"name                           p", "kind push",
		"messages_sent                  7", NULL
	};
	static const char *const b[] = {
		"name r", "kind recv", "messages_received 5",
		"messages_received_per_second 4", "connections 1",
		"connection_errors 1", NULL
	};
	static const char *const none[] = { NULL };
	struct ctl_sum			 s = { 0 };
	const struct ctl_sum_job	*r, *p;

	text(&s, a);
	text(&s, none);
	text(&s, b);
	ck_assert_uint_eq(s.njobs, 2);
	r = job(&s, "r");
	p = job(&s, "p");
	ck_assert_str_eq(r->kind, "recv");
	ck_assert_int_eq(r->hosts, 2);
	ck_assert_uint_eq(r->v[CTR_messages_received], 15);
	ck_assert_uint_eq(r->rate[CTR_messages_received], 7);
	ck_assert(r->rated[CTR_messages_received]);
	ck_assert(!r->rated[CTR_connections]);
	ck_assert_uint_eq(r->v[CTR_connections], 3);
	ck_assert_uint_eq(r->v[CTR_connection_errors], 1);
	ck_assert_int_eq(p->hosts, 1);
	ck_assert_str_eq(p->kind, "push");
	ck_assert_uint_eq(p->v[CTR_messages_sent], 7);
	ctl_sum_free(&s);
}
END_TEST

/* A name with an escaped quote, members nested and of every type, a
 * host with no job, a job on one host only. */
START_TEST(test_json)
{
	struct ctl_sum			 s = { 0 };
	const struct ctl_sum_job	*q, *r;

	ck_assert_int_eq(ctl_sum_json(&s, "[{\"name\":\"q\\\"x\\\\\","
	    "\"kind\":\"recv\",\"messages_received\":4,\"odd\":[1,[2,{\"a\":"
	    "[\"]\"]}],\"}\"],\"n\":null,\"t\":true,\"f\":-1.5e3,"
	    "\"per_second\":{\"messages_received\":2,\"x\":{\"y\":[]}},"
	    "\"connections\":3},{\"name\":\"r\",\"messages_sent\":1}]"), 0);
	ck_assert_int_eq(ctl_sum_json(&s, " [ ] "), 0);
	ck_assert_int_eq(ctl_sum_json(&s, "[{\"messages_received\":6,"
	    "\"name\":\"q\\\"x\\\\\",\"per_second\":{\"messages_received\":"
	    "5},\"connections\":1.5}]\n"), 0);
	ck_assert_uint_eq(s.njobs, 2);
	q = job(&s, "q\\\"x\\\\");
	ck_assert_int_eq(q->hosts, 2);
	ck_assert_str_eq(q->kind, "recv");
	ck_assert_uint_eq(q->v[CTR_messages_received], 10);
	ck_assert_uint_eq(q->rate[CTR_messages_received], 7);
	/* Not an integer: not a count. */
	ck_assert_uint_eq(q->v[CTR_connections], 3);
	r = job(&s, "r");
	ck_assert_int_eq(r->hosts, 1);
	ck_assert_ptr_null(r->kind);
	ck_assert_uint_eq(r->v[CTR_messages_sent], 1);
	ck_assert(!r->rated[CTR_messages_sent]);
	ctl_sum_free(&s);
}
END_TEST

START_TEST(test_json_bad)
{
	static const char *const bad[] = {
		"", "{}", "[", "[{]", "[{\"name\":\"a\"}", "[{\"name\":\"a\"},]",
		"[{\"name\":\"a\"}] x", "[{\"kind\":\"recv\"}]",
		"[{\"name\":\"a\",\"x\":\"open}]",
		"[{\"name\":\"a\" \"x\":1}]", "[{\"name\":\"a\",\"x\":}]",
		"[{\"name\":\"a\\\"}]", NULL
	};
	struct ctl_sum		 s = { 0 };
	char			 deep[400];
	const char *const	*p;

	for (p = bad; *p != NULL; p++)
		ck_assert_msg(ctl_sum_json(&s, *p) == -1, "'%s' taken", *p);
	/* Nested past any reason: refused, not a deep recursion. */
	snprintf(deep, sizeof(deep), "[{\"name\":\"a\",\"x\":%0*d}]",
	    200, 0);
	memset(deep + 17, '[', 100);
	memset(deep + 117, ']', 100);
	ck_assert_int_eq(ctl_sum_json(&s, deep), -1);
	/* Nested as deep as it may: taken. */
	memset(deep + 17, ' ', 200);
	memset(deep + 17, '[', 60);
	memset(deep + 117, ']', 60);
	ck_assert_int_eq(ctl_sum_json(&s, deep), 0);
	ctl_sum_free(&s);
}
END_TEST

/* Near 2^64 the sum stays at 2^64 - 1; a number past it too. */
START_TEST(test_saturate)
{
	struct ctl_sum			 s = { 0 };
	const struct ctl_sum_job	*j;
	static const char *const	 a[] = { "name j",
	    "messages_received 18446744073709551615",
	    "messages_sent 18446744073709551000", NULL };
	static const char *const	 b[] = { "name j", "messages_received 1",
	    "messages_sent 615", "bytes_sent 99999999999999999999999", NULL };

	text(&s, a);
	text(&s, b);
	ck_assert_int_eq(ctl_sum_json(&s, "[{\"name\":\"j\","
	    "\"messages_sent\":1,\"bytes_received\":"
	    "18446744073709551616}]"), 0);
	j = job(&s, "j");
	ck_assert_uint_eq(j->v[CTR_messages_received], UINT64_MAX);
	ck_assert_uint_eq(j->v[CTR_messages_sent], UINT64_MAX);
	ck_assert_uint_eq(j->v[CTR_bytes_sent], UINT64_MAX);
	ck_assert_uint_eq(j->v[CTR_bytes_received], UINT64_MAX);
	ctl_sum_free(&s);
}
END_TEST

/* The sum printed, as text and as JSON. */
START_TEST(test_print)
{
	struct ctl_sum	 s = { 0 };
	char		*buf = NULL;
	size_t		 len = 0;
	FILE		*f;

	ck_assert_int_eq(ctl_sum_json(&s, "[{\"name\":\"r\",\"kind\":\"recv\","
	    "\"messages_received\":4,\"per_second\":{\"messages_received\":"
	    "2}}]"), 0);
	ck_assert_ptr_nonnull(f = open_memstream(&buf, &len));
	ctl_sum_print_text(&s, f);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "name                           r\n"
	    "kind                           recv\n"
	    "hosts                          1\n"
	    "messages_received              4\n"
	    "messages_received_per_second   2\n"
	    "messages_sent                  0\n"
	    "bytes_received                 0\n"));
	free(buf);
	ck_assert_ptr_nonnull(f = open_memstream(&buf, &len));
	ctl_sum_print_json(&s, f);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "[{\"name\":\"r\",\"kind\":\"recv\","
	    "\"hosts\":1,\"messages_received\":4,\"messages_sent\":0,"));
	ck_assert_ptr_nonnull(strstr(buf, ",\"per_second\":{"
	    "\"messages_received\":2}}]"));
	free(buf);
	ctl_sum_free(&s);
}
END_TEST

static Suite *
sum_suite(void)
{
	Suite	*s = suite_create("ctl_sum");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_text);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_json_bad);
	tcase_add_test(tc, test_saturate);
	tcase_add_test(tc, test_print);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(sum_suite(), NULL);
}
