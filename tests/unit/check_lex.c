/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for ws_http_lex: tokens and whitespace, quoted strings with
 * their escapes, parameters with and without values, elements skipped
 * past commas in quoted strings, and token lists as the handshake reads
 * Upgrade and Connection.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ws_http_lex.h"
#include "check_run.h"

#define NELEM(a)	(int)(sizeof(a) / sizeof((a)[0]))

static struct ws_lex
lex_of(const char *s)
{
	struct ws_lex	l;

	ws_lex_init(&l, s, strlen(s));
	return l;
}

START_TEST(test_tchar)
{
	const char	*tchars = "!#$%&'*+-.^_`|~09azAZ";
	const char	*others = "\"(),/:;<=>?@[\\]{} \t";

	for (; *tchars != '\0'; tchars++)
		ck_assert_msg(ws_lex_is_tchar(*tchars), "'%c'", *tchars);
	for (; *others != '\0'; others++)
		ck_assert_msg(!ws_lex_is_tchar(*others), "'%c'", *others);
	ck_assert(!ws_lex_is_tchar('\0'));
	ck_assert(!ws_lex_is_tchar(0x7f));
	ck_assert(!ws_lex_is_tchar(0xe9));
}
END_TEST

START_TEST(test_ieq)
{
	ck_assert(ws_lex_ieq("WebSocket", 9, "websocket"));
	ck_assert(ws_lex_ieq("websocketX", 9, "WEBSOCKET"));
	ck_assert(!ws_lex_ieq("websocket", 8, "websocket"));
	ck_assert(!ws_lex_ieq("websockeu", 9, "websocket"));
	ck_assert(ws_lex_ieq("", 0, ""));
	/* ASCII only: no letter outside it folds. */
	ck_assert(!ws_lex_ieq("\xc9", 1, "\xe9"));
}
END_TEST

START_TEST(test_trim)
{
	const char	*p = " \t a b\t ";
	size_t		 n = strlen(p);

	ws_lex_trim(&p, &n);
	ck_assert_uint_eq(n, 3);
	ck_assert(memcmp(p, "a b", 3) == 0);
	p = " \t ";
	n = strlen(p);
	ws_lex_trim(&p, &n);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(test_token)
{
	struct ws_lex	 l = lex_of(" \tabc-1.x;y");
	const char	*t;
	size_t		 n;

	ck_assert_int_eq(ws_lex_token(&l, &t, &n), 0);
	ck_assert_uint_eq(n, 7);
	ck_assert(memcmp(t, "abc-1.x", 7) == 0);
	ck_assert_int_eq(*l.p, ';');
	ck_assert_int_eq(ws_lex_token(&l, &t, &n), -1);
	ck_assert(ws_lex_take(&l, ';'));
	ck_assert(!ws_lex_take(&l, ';'));
	ck_assert_int_eq(ws_lex_token(&l, &t, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert(l.p == l.end);
	ck_assert_int_eq(ws_lex_token(&l, &t, &n), -1);
	ck_assert(!ws_lex_take(&l, ';'));
}
END_TEST

/* The lexer keeps to its end: a token may not run past it. */
START_TEST(test_bounds)
{
	const char	*s = "abcdef";
	struct ws_lex	 l;
	const char	*t;
	size_t		 n;

	ws_lex_init(&l, s, 3);
	ck_assert_int_eq(ws_lex_token(&l, &t, &n), 0);
	ck_assert_uint_eq(n, 3);
	ws_lex_init(&l, "\"ab\"", 3);
	ck_assert_int_eq(ws_lex_value(&l, (char[8]){ 0 }, 8), -1);
}
END_TEST

static const struct {
	const char	*in;
	const char	*value;		/* NULL: malformed */
	const char	*rest;
} values[] = {
	{ "15", "15", "" },
	{ " 15 ;", "15", " ;" },
	{ "\"15\"", "15", "" },
	{ "\"a,b; c\",d", "a,b; c", ",d" },
	{ "\"a\\\"b\\\\c\"", "a\"b\\c", "" },
	{ "\"\"", "", "" },
	{ "\"abc", NULL, NULL },		/* unterminated */
	{ "\"abc\\", NULL, NULL },		/* escape at the end */
	{ "", NULL, NULL },
	{ ",", NULL, NULL },
	{ "=", NULL, NULL },
	{ "1234567", "1234567", "" },		/* the most that fits in 8 */
	{ "12345678", NULL, NULL },
	{ "\"12345678\"", NULL, NULL },
};

START_TEST(test_value)
{
	struct ws_lex	l = lex_of(values[_i].in);
	char		buf[8];
	int		rc;

	rc = ws_lex_value(&l, buf, sizeof(buf));
	if (values[_i].value == NULL) {
		ck_assert_msg(rc == -1, "'%s' taken", values[_i].in);
		return;
	}
	ck_assert_msg(rc == 0, "'%s' refused", values[_i].in);
	ck_assert_str_eq(buf, values[_i].value);
	ck_assert_uint_eq((size_t)(l.end - l.p), strlen(values[_i].rest));
	ck_assert(memcmp(l.p, values[_i].rest, strlen(values[_i].rest)) == 0);
}
END_TEST

START_TEST(test_params)
{
	struct ws_lex	 l = lex_of("x; a ;b=1; c = \"q;,\" , y");
	char		 buf[8];
	const char	*name, *value;
	size_t		 nlen;

	ck_assert_int_eq(ws_lex_token(&l, &name, &nlen), 0);
	ck_assert_int_eq(ws_lex_param(&l, &name, &nlen, buf, sizeof(buf),
	    &value), 1);
	ck_assert(ws_lex_ieq(name, nlen, "a"));
	ck_assert_ptr_null(value);
	ck_assert_int_eq(ws_lex_param(&l, &name, &nlen, buf, sizeof(buf),
	    &value), 1);
	ck_assert(ws_lex_ieq(name, nlen, "b"));
	ck_assert_str_eq(value, "1");
	ck_assert_int_eq(ws_lex_param(&l, &name, &nlen, buf, sizeof(buf),
	    &value), 1);
	ck_assert(ws_lex_ieq(name, nlen, "c"));
	ck_assert_str_eq(value, "q;,");
	ck_assert_int_eq(ws_lex_param(&l, &name, &nlen, buf, sizeof(buf),
	    &value), 0);
	ck_assert(ws_lex_element_end(&l));
	ck_assert(ws_lex_next(&l));
	ck_assert_int_eq(ws_lex_token(&l, &name, &nlen), 0);
	ck_assert(ws_lex_ieq(name, nlen, "y"));
	ck_assert(ws_lex_element_end(&l));
	ck_assert(!ws_lex_next(&l));
}
END_TEST

static const char *const bad_params[] = {
	"x;", "x; ;a", "x;=1", "x; a=", "x; a=\"1", "x; a=123456789",
	"x; a=,",
};

START_TEST(test_bad_param)
{
	struct ws_lex	 l = lex_of(bad_params[_i]);
	char		 buf[8];
	const char	*name, *value;
	size_t		 nlen;
	int		 rc;

	ck_assert_int_eq(ws_lex_token(&l, &name, &nlen), 0);
	while ((rc = ws_lex_param(&l, &name, &nlen, buf, sizeof(buf),
	    &value)) == 1)
		;
	ck_assert_msg(rc == -1, "'%s' taken", bad_params[_i]);
}
END_TEST

/* Skipping an element stops at its comma, not at one in a quoted string,
 * and leaves an escaped quote inside the string. */
START_TEST(test_next)
{
	struct ws_lex	 l = lex_of("a; p=\"x,\\\",y\" junk, b ,, \"c,d\"");
	const char	*t;
	size_t		 n;

	ck_assert(ws_lex_next(&l));
	ck_assert_int_eq(ws_lex_token(&l, &t, &n), 0);
	ck_assert(ws_lex_ieq(t, n, "b"));
	ck_assert(ws_lex_next(&l));
	ck_assert_int_eq(ws_lex_token(&l, &t, &n), -1);	/* empty element */
	ck_assert(ws_lex_next(&l));
	ck_assert(!ws_lex_element_end(&l));
	ck_assert(!ws_lex_next(&l));
	ck_assert(l.p == l.end);
}
END_TEST

static const struct {
	const char	*list;
	int		 has;
} lists[] = {
	{ "websocket", 1 },
	{ "WebSocket", 1 },
	{ " websocket ", 1 },
	{ "keep-alive, Upgrade, websocket", 1 },
	{ ",,websocket,", 1 },
	{ "h2c,\twebsocket", 1 },
	{ "", 0 },
	{ "websockets", 0 },
	{ "websocket/13", 0 },
	{ "web socket", 0 },
	{ "websocket;q=1", 0 },
	{ "\"websocket\"", 0 },
	{ "\"a,websocket\"", 0 },
	{ "x; p=\"a,websocket\"", 0 },
};

START_TEST(test_list_has)
{
	ck_assert_msg(ws_lex_list_has(lists[_i].list, strlen(lists[_i].list),
	    "websocket") == lists[_i].has, "'%s'", lists[_i].list);
}
END_TEST

static Suite *
lex_suite(void)
{
	Suite	*s = suite_create("lex");
	TCase	*tc;

	tc = tcase_create("pieces");
	tcase_add_test(tc, test_tchar);
	tcase_add_test(tc, test_ieq);
	tcase_add_test(tc, test_trim);
	tcase_add_test(tc, test_token);
	tcase_add_test(tc, test_bounds);
	tcase_add_loop_test(tc, test_value, 0, NELEM(values));
	suite_add_tcase(s, tc);

	tc = tcase_create("elements");
	tcase_add_test(tc, test_params);
	tcase_add_loop_test(tc, test_bad_param, 0, NELEM(bad_params));
	tcase_add_test(tc, test_next);
	tcase_add_loop_test(tc, test_list_has, 0, NELEM(lists));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(lex_suite(), NULL);
}
