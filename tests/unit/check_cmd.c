/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of the command grammar (cmd_parse.c) and of option parsing
 * (args.c).
 */
#include "config.h"

#include <check.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cmd_parse.h"
#include "check_run.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define WORDS_MAX	8

/* --- cmd_parse_line: lines that split ---------------------------------- */

struct split_case {
	const char	*line;
	int		 argc;
	const char	*words[WORDS_MAX];
};

static const struct split_case split_cases[] = {
	{ "", 0, { NULL } },
	{ "   \t  ", 0, { NULL } },
	{ "a", 1, { "a" } },
	{ "push  --msg\tyo", 3, { "push", "--msg", "yo" } },
	{ "  lead trail  ", 2, { "lead", "trail" } },
	{ "\t a \t\t b \t", 2, { "a", "b" } },
	{ "--msg=yo a=b,c@d%e+f:g/h.i", 2,
	    { "--msg=yo", "a=b,c@d%e+f:g/h.i" } },
	/* single quotes: everything literal */
	{ "'a b'", 1, { "a b" } },
	{ "'a\\b' '\\'", 2, { "a\\b", "\\" } },
	{ "'a\"b' '$x' '#c'", 3, { "a\"b", "$x", "#c" } },
	{ "'a\tb'", 1, { "a\tb" } },
	/* double quotes: \" \\ \$ escaped, other backslashes kept */
	{ "\"a b\"", 1, { "a b" } },
	{ "\"a\\\"b\"", 1, { "a\"b" } },
	{ "\"a\\\\b\"", 1, { "a\\b" } },
	{ "\"a\\$b\"", 1, { "a$b" } },
	{ "\"a\\nb\\x\"", 1, { "a\\nb\\x" } },
	{ "\"it's\" \"#no\"", 2, { "it's", "#no" } },
	/* bare backslash escapes the next character */
	{ "a\\ b", 1, { "a b" } },
	{ "a\\'b \\\"c", 2, { "a'b", "\"c" } },
	{ "\\\\ \\n", 2, { "\\", "n" } },
	{ "\\#x y", 2, { "#x", "y" } },
	/* joined parts */
	{ "a'b'\"c\"", 1, { "abc" } },
	{ "'a'b\\ c\"d e\"f g", 2, { "ab cd ef", "g" } },
	{ "x''y", 1, { "xy" } },
	/* empty words */
	{ "''", 1, { "" } },
	{ "\"\"", 1, { "" } },
	{ "'' a \"\"", 3, { "", "a", "" } },
	/* comments */
	{ "# comment", 0, { NULL } },
	{ "#", 0, { NULL } },
	{ "   # comment 'not a quote", 0, { NULL } },
	{ "a b # c d", 2, { "a", "b" } },
	{ "a\t#c", 1, { "a" } },
	{ "a #", 1, { "a" } },
	{ "a#b c", 2, { "a#b", "c" } },
	{ "a# b#", 2, { "a#", "b#" } },
	{ "'#' \"#\" \\#", 3, { "#", "#", "#" } },
	{ "''#x", 1, { "#x" } },
	/* line endings */
	{ "a\n", 1, { "a" } },
	{ "a b\r\n", 2, { "a", "b" } },
	{ "a b\r\nc d", 2, { "a", "b" } },
	{ "a\nb", 1, { "a" } },
	{ "a\n'", 1, { "a" } },
	{ "\n", 0, { NULL } },
	{ "\r\n", 0, { NULL } },
	{ "a\r", 1, { "a" } },
	{ "a\rb", 1, { "a\rb" } },
	{ "'a\r'\r\n", 1, { "a\r" } },
	/* bytes above 0x7f are plain characters */
	{ "\xc3\xa9t\xc3\xa9 '\xe2\x82\xac x'", 2,
	    { "\xc3\xa9t\xc3\xa9", "\xe2\x82\xac x" } },
};

START_TEST(test_split)
{
	const struct split_case	*c = &split_cases[_i];
	const char		*err = NULL;
	char			**argv;
	int			 argc, i, rv;

	rv = cmd_parse_line(c->line, &argc, &argv, &err);
	ck_assert_msg(rv == 0, "case %d: failed: %s", _i, err);
	ck_assert_ptr_nonnull(argv);
	ck_assert_msg(argc == c->argc, "case %d: %d words, want %d", _i,
	    argc, c->argc);
	for (i = 0; i < argc; i++)
		ck_assert_msg(strcmp(argv[i], c->words[i]) == 0,
		    "case %d word %d: '%s', want '%s'", _i, i, argv[i],
		    c->words[i]);
	ck_assert_ptr_null(argv[argc]);
	cmd_free_argv(argc, argv);
}
END_TEST

/* --- cmd_parse_line: lines that do not ----------------------------------- */

struct bad_case {
	const char	*line;
	const char	*err;
};

static const struct bad_case bad_cases[] = {
	{ "'abc", "unterminated quote" },
	{ "\"abc", "unterminated quote" },
	{ "ok 'x", "unterminated quote" },
	{ "a 'b\nc'", "unterminated quote" },
	{ "a \"b\nc\"", "unterminated quote" },
	{ "\"abc\\\"", "unterminated quote" },
	{ "\"abc\\", "unterminated quote" },
	{ "'a\r\n'", "unterminated quote" },
	{ "abc\\", "trailing backslash" },
	{ "a b c \\", "trailing backslash" },
	{ "abc\\\n", "trailing backslash" },
	{ "abc\\\r\n", "trailing backslash" },
};

START_TEST(test_split_error)
{
	const struct bad_case	*c = &bad_cases[_i];
	const char		*err = NULL;
	char			*sentinel[] = { NULL };
	char			**argv = sentinel;
	int			 argc = 99;

	ck_assert_int_eq(cmd_parse_line(c->line, &argc, &argv, &err), -1);
	ck_assert_ptr_null(argv);
	ck_assert_int_eq(argc, 0);
	ck_assert_ptr_nonnull(err);
	ck_assert_str_eq(err, c->err);
}
END_TEST

/* A line of n words "w0 w1 ...", optionally followed by a comment. */
static char *
make_line(int n, const char *tail)
{
	size_t	 cap = (size_t)n * 8 + strlen(tail) + 1, off = 0;
	char	*line;
	int	 i;

	line = malloc(cap);
	ck_assert_ptr_nonnull(line);
	line[0] = '\0';
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(line + off, cap - off, "w%d ", i);
	snprintf(line + off, cap - off, "%s", tail);
	return line;
}

START_TEST(test_max_words)
{
	const char	*err = NULL;
	char		**argv, *line, want[16];
	int		 argc, i;

	line = make_line(CMD_ARGS_MAX, "# and a comment");
	ck_assert_int_eq(cmd_parse_line(line, &argc, &argv, &err), 0);
	ck_assert_int_eq(argc, CMD_ARGS_MAX);
	for (i = 0; i < argc; i++) {
		snprintf(want, sizeof(want), "w%d", i);
		ck_assert_str_eq(argv[i], want);
	}
	ck_assert_ptr_null(argv[argc]);
	cmd_free_argv(argc, argv);
	free(line);
}
END_TEST

START_TEST(test_too_many_words)
{
	const char	*err = NULL;
	char		**argv, *line;
	int		 argc;

	line = make_line(CMD_ARGS_MAX + 1, "");
	ck_assert_int_eq(cmd_parse_line(line, &argc, &argv, &err), -1);
	ck_assert_str_eq(err, "too many words");
	ck_assert_ptr_null(argv);
	ck_assert_int_eq(argc, 0);
	free(line);
}
END_TEST

START_TEST(test_free_null)
{
	cmd_free_argv(0, NULL);
	cmd_free_argv(3, NULL);
}
END_TEST

/* --- cmd_quote_argv ------------------------------------------------------ */

static char tricky[][24] = {
	"plain", "with space", "tab\there", "it's", "''", "'", "\"dq\"",
	"\"", "back\\slash", "\\", "trailing\\", "#hash", "mid#hash", "#",
	"", "$HOME", "a'b\"c\\d", "\xc3\xa9t\xc3\xa9", "\xe2\x82\xac",
	"--msg=yo", "*?[]", "~user", "semi;colon|pipe&", "  ", "\x01\x7f",
	"(paren)", "{b}", "`tick`", "!bang", "<in>", "-",
};

/* Quotes argv and checks it splits back into the same words. */
static void
check_roundtrip(int argc, char **argv)
{
	const char	*err = NULL;
	char		 line[4096], **back;
	int		 n, len, i;

	len = cmd_quote_argv(argc, argv, line, sizeof(line));
	ck_assert_int_ge(len, 0);
	ck_assert_int_eq((int)strlen(line), len);
	ck_assert_msg(cmd_parse_line(line, &n, &back, &err) == 0,
	    "'%s': %s", line, err);
	ck_assert_int_eq(n, argc);
	for (i = 0; i < argc; i++)
		ck_assert_msg(strcmp(back[i], argv[i]) == 0,
		    "word %d: '%s' came back as '%s' from %s", i, argv[i],
		    back[i], line);
	cmd_free_argv(n, back);
}

START_TEST(test_roundtrip_each)
{
	char	*argv[1] = { tricky[_i] };

	check_roundtrip(1, argv);
}
END_TEST

START_TEST(test_roundtrip_all)
{
	char	*argv[NELEM(tricky)];
	size_t	 i;

	for (i = 0; i < NELEM(tricky); i++)
		argv[i] = tricky[i];
	check_roundtrip((int)NELEM(tricky), argv);
}
END_TEST

/* Random words over the characters the grammar cares about. */
START_TEST(test_roundtrip_random)
{
	static const char	 alpha[] = " \t'\"\\#$a-=\xc3\xa9;";
	char			 words[6][12], *argv[6];
	int			 round, i, j, n, len;

	srand(1);
	for (round = 0; round < 3000; round++) {
		n = 1 + rand() % 6;
		for (i = 0; i < n; i++) {
			len = rand() % 12;
			for (j = 0; j < len; j++)
				words[i][j] = alpha[rand() %
				    (int)(sizeof(alpha) - 1)];
			words[i][len] = '\0';
			argv[i] = words[i];
		}
		check_roundtrip(n, argv);
	}
}
END_TEST

struct quote_case {
	int		 argc;
	char		*words[4];
	const char	*want;
};

static char q_push[] = "push", q_msg[] = "--msg", q_yo[] = "yo",
    q_space[] = "a b", q_empty[] = "", q_its[] = "it's", q_hash[] = "#x",
    q_bs[] = "a\\b", q_safe[] = "A-z_0.9/:=,@%+";

static const struct quote_case quote_cases[] = {
	{ 0, { NULL }, "" },
	{ 3, { q_push, q_msg, q_yo }, "push --msg yo" },
	{ 1, { q_safe }, "A-z_0.9/:=,@%+" },
	{ 1, { q_space }, "'a b'" },
	{ 1, { q_empty }, "''" },
	{ 2, { q_empty, q_empty }, "'' ''" },
	{ 1, { q_its }, "'it'\\''s'" },
	{ 1, { q_hash }, "'#x'" },
	{ 1, { q_bs }, "'a\\b'" },
};

START_TEST(test_quote_exact)
{
	const struct quote_case	*c = &quote_cases[_i];
	char			 out[64];

	ck_assert_int_eq(cmd_quote_argv(c->argc, c->words, out, sizeof(out)),
	    (int)strlen(c->want));
	ck_assert_str_eq(out, c->want);
}
END_TEST

/* Every cap too small fails, touching nothing past it; the exact one fits. */
START_TEST(test_quote_cap)
{
	char	*argv[] = { q_push, q_space, q_its, q_empty };
	char	 want[64], out[64];
	int	 len, cap, i;

	len = cmd_quote_argv(4, argv, want, sizeof(want));
	ck_assert_str_eq(want, "push 'a b' 'it'\\''s' ''");
	for (cap = 0; cap <= len + 1; cap++) {
		memset(out, 'X', sizeof(out));
		ck_assert_int_eq(cmd_quote_argv(4, argv, out, (size_t)cap),
		    cap > len ? len : -1);
		if (cap > len)
			ck_assert_str_eq(out, want);
		else if (cap > 0)
			ck_assert_int_eq(out[0], '\0');
		for (i = cap; i < (int)sizeof(out); i++)
			ck_assert_int_eq(out[i], 'X');
	}
	ck_assert_int_eq(cmd_quote_argv(1, argv, NULL, 0), -1);
}
END_TEST

START_TEST(test_quote_newline)
{
	static char	 nl[] = "a\nb", cr[] = "a\rb", lone[] = "\n";
	char		*argv[2], out[64];

	argv[0] = nl;
	ck_assert_int_eq(cmd_quote_argv(1, argv, out, sizeof(out)), -1);
	argv[0] = q_yo;
	argv[1] = cr;
	ck_assert_int_eq(cmd_quote_argv(2, argv, out, sizeof(out)), -1);
	ck_assert_str_eq(out, "");
	argv[1] = lone;
	ck_assert_int_eq(cmd_quote_argv(2, argv, out, sizeof(out)), -1);
}
END_TEST

/* --- args_parse ---------------------------------------------------------- */

enum { T_MSG, T_SIZE, T_BIN, T_J };

static const struct args_opt topts[] = {
	[T_MSG] =	ARGS_VALUE("--msg", "TEXT", "a message"),
	[T_SIZE] =	ARGS_NUMBER("--size", "N", 1, 5, "a size"),
	[T_BIN] =	ARGS_FLAG("--binary", "binary"),
	[T_J] =		ARGS_FLAG("-j", "JSON"),
	ARGS_END
};

#define T_VALID	"(valid: --msg --size --binary -j)"

static char		**t_argv;
static int		  t_argc;
static struct args_template t_tmpl;
static struct args	  t_a;
static char		  t_err[256];

static void
args_teardown(void)
{
	cmd_free_argv(t_argc, t_argv);
	t_argv = NULL;
	t_argc = 0;
}

/* Splits line and parses it against opts, keeping the argv for teardown. */
static int
run_opts(const struct args_opt *opts, const char *line, int min_pos,
    int max_pos)
{
	const char	*err = NULL;

	cmd_free_argv(t_argc, t_argv);
	ck_assert_int_eq(cmd_parse_line(line, &t_argc, &t_argv, &err), 0);
	memset(&t_a, 0xa5, sizeof(t_a));
	strcpy(t_err, "untouched");
	t_tmpl.opts = opts;
	t_tmpl.min_pos = min_pos;
	t_tmpl.max_pos = max_pos;
	return args_parse(&t_tmpl, t_argc, t_argv, &t_a, t_err, sizeof(t_err));
}

static int
run(const char *line, int min_pos, int max_pos)
{
	return run_opts(topts, line, min_pos, max_pos);
}

/* run() must fail with exactly this message. */
static void
run_fails(const char *line, int min_pos, int max_pos, const char *want)
{
	ck_assert_msg(run(line, min_pos, max_pos) == -1, "'%s' parsed", line);
	ck_assert_str_eq(t_err, want);
}

START_TEST(test_args_basic)
{
	ck_assert_int_eq(run("--msg yo p1 p2", 1, 2), 0);
	ck_assert_int_eq(t_a.present[T_MSG], 1);
	ck_assert_str_eq(t_a.value[T_MSG], "yo");
	ck_assert_int_eq(t_a.present[T_SIZE], 0);
	ck_assert_ptr_null(t_a.value[T_SIZE]);
	ck_assert_int_eq(t_a.present[T_BIN], 0);
	ck_assert_int_eq(t_a.present[T_J], 0);
	ck_assert_int_eq(t_a.npos, 2);
	ck_assert_ptr_eq(t_a.pos[0], t_argv[2]);
	ck_assert_ptr_eq(t_a.pos[1], t_argv[3]);
	ck_assert_ptr_eq(t_a.value[T_MSG], t_argv[1]);
}
END_TEST

START_TEST(test_args_empty)
{
	int	i;

	ck_assert_int_eq(run("", 0, 0), 0);
	ck_assert_int_eq(t_a.npos, 0);
	for (i = 0; i < ARGS_OPTS_MAX; i++) {
		ck_assert_int_eq(t_a.present[i], 0);
		ck_assert_ptr_null(t_a.value[i]);
	}
	ck_assert_str_eq(t_err, "untouched");
}
END_TEST

START_TEST(test_args_equals)
{
	ck_assert_int_eq(run("--msg=yo", 0, 0), 0);
	ck_assert_str_eq(t_a.value[T_MSG], "yo");
	ck_assert_int_eq(t_a.present[T_MSG], 1);
	ck_assert_int_eq(run("--msg=", 0, 0), 0);
	ck_assert_str_eq(t_a.value[T_MSG], "");
	ck_assert_int_eq(t_a.present[T_MSG], 1);
	ck_assert_int_eq(run("--msg=a=b --size=10 p", 1, 1), 0);
	ck_assert_str_eq(t_a.value[T_MSG], "a=b");
	ck_assert_str_eq(t_a.value[T_SIZE], "10");
	ck_assert_str_eq(t_a.pos[0], "p");
	ck_assert_int_eq(run("'--msg=a b'", 0, 0), 0);
	ck_assert_str_eq(t_a.value[T_MSG], "a b");
}
END_TEST

START_TEST(test_args_flags)
{
	ck_assert_int_eq(run("--binary -j", 0, 0), 0);
	ck_assert_int_eq(t_a.present[T_BIN], 1);
	ck_assert_int_eq(t_a.present[T_J], 1);
	ck_assert_ptr_null(t_a.value[T_BIN]);
	ck_assert_ptr_null(t_a.value[T_J]);
	ck_assert_int_eq(t_a.present[T_MSG], 0);
	ck_assert_int_eq(run("--binary --binary", 0, 0), 0);
	ck_assert_int_eq(t_a.present[T_BIN], 1);
}
END_TEST

START_TEST(test_args_flag_value)
{
	run_fails("--binary=x", 0, 0, "option --binary takes no value");
	run_fails("-j=", 0, 0, "option -j takes no value");
}
END_TEST

START_TEST(test_args_needs_value)
{
	run_fails("--msg", 0, 0, "option --msg needs a value");
	run_fails("p --binary --size", 0, 1, "option --size needs a value");
}
END_TEST

/* The word after a value option is its value, even if it looks like one. */
START_TEST(test_args_value_literal)
{
	ck_assert_int_eq(run("--msg --binary", 0, 0), 0);
	ck_assert_str_eq(t_a.value[T_MSG], "--binary");
	ck_assert_int_eq(t_a.present[T_BIN], 0);
	ck_assert_int_eq(run("--msg -- -j", 0, 0), 0);
	ck_assert_str_eq(t_a.value[T_MSG], "--");
	ck_assert_int_eq(t_a.present[T_J], 1);
	ck_assert_int_eq(run("--msg '' p", 1, 1), 0);
	ck_assert_str_eq(t_a.value[T_MSG], "");
	ck_assert_str_eq(t_a.pos[0], "p");
}
END_TEST

START_TEST(test_args_last_wins)
{
	ck_assert_int_eq(run("--msg a --msg b", 0, 0), 0);
	ck_assert_str_eq(t_a.value[T_MSG], "b");
	ck_assert_int_eq(run("--msg=a --size 1 --msg b --size=2", 0, 0), 0);
	ck_assert_str_eq(t_a.value[T_MSG], "b");
	ck_assert_str_eq(t_a.value[T_SIZE], "2");
}
END_TEST

/* A repeatable option keeps every value in order; others keep the last. */
START_TEST(test_args_many)
{
	static const struct args_opt	mopts[] = {
		ARGS_REPEAT("--header", "TEXT", "a header"),
		ARGS_VALUE("--msg", "TEXT", "a message"),
		ARGS_END
	};
	const char			*v[ARGS_MANY_MAX];
	char				 line[1024];
	size_t				 off = 0;
	int				 i;

	ck_assert_int_eq(run_opts(mopts, "--header 'A: 1' --msg x "
	    "--header=B:2 p", 1, 1), 0);
	ck_assert_int_eq(args_values(&t_a, 0, v, ARGS_MANY_MAX), 2);
	ck_assert_str_eq(v[0], "A: 1");
	ck_assert_str_eq(v[1], "B:2");
	ck_assert_int_eq(args_values(&t_a, 0, v, 1), 1);
	ck_assert_int_eq(args_values(&t_a, 1, v, ARGS_MANY_MAX), 0);
	ck_assert_str_eq(t_a.value[1], "x");
	ck_assert_int_eq(run_opts(mopts, "p", 1, 1), 0);
	ck_assert_int_eq(args_values(&t_a, 0, v, ARGS_MANY_MAX), 0);

	for (i = 0; i <= ARGS_MANY_MAX; i++)
		off += (size_t)snprintf(line + off, sizeof(line) - off,
		    "--header=h%d ", i);
	ck_assert_int_eq(run_opts(mopts, line, 0, 0), -1);
	ck_assert_str_eq(t_err, "too many options (at most 32 --header)");
}
END_TEST

START_TEST(test_args_double_dash)
{
	ck_assert_int_eq(run("a -- --x -j - --msg=1 --", 0, 6), 0);
	ck_assert_int_eq(t_a.npos, 6);
	ck_assert_str_eq(t_a.pos[0], "a");
	ck_assert_str_eq(t_a.pos[1], "--x");
	ck_assert_str_eq(t_a.pos[2], "-j");
	ck_assert_str_eq(t_a.pos[3], "-");
	ck_assert_str_eq(t_a.pos[4], "--msg=1");
	ck_assert_str_eq(t_a.pos[5], "--");
	ck_assert_int_eq(t_a.present[T_J], 0);
	ck_assert_int_eq(t_a.present[T_MSG], 0);
	ck_assert_int_eq(run("-j --", 0, 0), 0);
	ck_assert_int_eq(t_a.present[T_J], 1);
	ck_assert_int_eq(t_a.npos, 0);
}
END_TEST

START_TEST(test_args_dash_positional)
{
	ck_assert_int_eq(run("- -j", 1, 1), 0);
	ck_assert_str_eq(t_a.pos[0], "-");
	ck_assert_int_eq(t_a.present[T_J], 1);
}
END_TEST

START_TEST(test_args_mixed)
{
	ck_assert_int_eq(run("p1 --msg yo p2 -j p3", 3, 3), 0);
	ck_assert_int_eq(t_a.npos, 3);
	ck_assert_str_eq(t_a.pos[0], "p1");
	ck_assert_str_eq(t_a.pos[1], "p2");
	ck_assert_str_eq(t_a.pos[2], "p3");
	ck_assert_str_eq(t_a.value[T_MSG], "yo");
	ck_assert_int_eq(t_a.present[T_J], 1);
}
END_TEST

static const char *const unknown_words[] = {
	"--foo", "--ms", "--msgx", "---msg", "-x", "-jj", "--=", "-5",
	"--foo=bar", "--MSG", "--msg\t",
};

START_TEST(test_args_unknown)
{
	const char	*w = unknown_words[_i];
	char		 line[64], want[128];

	snprintf(line, sizeof(line), "p '%s'", w);
	snprintf(want, sizeof(want), "unknown option %s " T_VALID, w);
	run_fails(line, 0, 2, want);
	ck_assert_ptr_nonnull(strstr(t_err, w));
	ck_assert_ptr_nonnull(strstr(t_err, "--msg --size --binary -j"));
}
END_TEST

/* With no options to take, no word is one: "set max-message -1" gets to
 * say what is wrong with -1. */
START_TEST(test_args_no_options)
{
	ck_assert_int_eq(run_opts(NULL, "a", 1, 1), 0);
	ck_assert_int_eq(run_opts(NULL, "max-message -1", 0, 2), 0);
	ck_assert_str_eq(t_a.pos[1], "-1");
	ck_assert_int_eq(run_opts(NULL, "-- --x", 0, 2), 0);
	ck_assert_str_eq(t_a.pos[0], "--");
	ck_assert_str_eq(t_a.pos[1], "--x");
	ck_assert_int_eq(run_opts(NULL, "a --x", 0, 1), -1);
	ck_assert_str_eq(t_err, "unexpected argument '--x'");
}
END_TEST

START_TEST(test_args_missing)
{
	run_fails("", 1, 1, "missing argument (1 needed, 0 given)");
	run_fails("a --msg b", 2, 3, "missing argument (2 needed, 1 given)");
	ck_assert_int_eq(run("a b", 2, 3), 0);
	ck_assert_int_eq(run("a b c", 2, 3), 0);
	ck_assert_int_eq(t_a.npos, 3);
}
END_TEST

START_TEST(test_args_unexpected)
{
	run_fails("a b c", 0, 2, "unexpected argument 'c'");
	run_fails("x", 0, 0, "unexpected argument 'x'");
	run_fails("-- -j", 0, 0, "unexpected argument '-j'");
}
END_TEST

/* struct args holds ARGS_POS_MAX words, whatever max_pos says. */
START_TEST(test_args_pos_cap)
{
	char	*line, want[64];

	line = make_line(ARGS_POS_MAX, "");
	ck_assert_int_eq(run(line, 0, 100), 0);
	ck_assert_int_eq(t_a.npos, ARGS_POS_MAX);
	free(line);
	line = make_line(ARGS_POS_MAX + 1, "");
	ck_assert_int_eq(run(line, 0, 100), -1);
	free(line);
	snprintf(want, sizeof(want), "unexpected argument 'w%d'", ARGS_POS_MAX);
	ck_assert_str_eq(t_err, want);
}
END_TEST

START_TEST(test_args_opts_cap)
{
	struct args_opt	many[ARGS_OPTS_MAX + 2];
	char		names[ARGS_OPTS_MAX + 1][16], line[16];
	int		i;

	memset(many, 0, sizeof(many));
	for (i = 0; i <= ARGS_OPTS_MAX; i++) {
		snprintf(names[i], sizeof(names[i]), "-o%d", i);
		many[i].name = names[i];
		many[i].takes_value = 0;
	}
	many[ARGS_OPTS_MAX].name = NULL;
	snprintf(line, sizeof(line), "-o%d", ARGS_OPTS_MAX - 1);
	ck_assert_int_eq(run_opts(many, line, 0, 0), 0);
	ck_assert_int_eq(t_a.present[ARGS_OPTS_MAX - 1], 1);
	many[ARGS_OPTS_MAX].name = names[ARGS_OPTS_MAX];
	many[ARGS_OPTS_MAX + 1].name = NULL;
	ck_assert_int_eq(run_opts(many, "", 0, 0), -1);
	ck_assert_ptr_nonnull(strstr(t_err, "internal error"));
}
END_TEST

/* Every err size gets a NUL-terminated prefix and nothing past it. */
START_TEST(test_args_err_truncated)
{
	const char	*full = "unknown option --nope " T_VALID;
	size_t		 len = strlen(full), errlen, i;
	char		 err[128], want[128];

	ck_assert_int_eq(run("--nope", 0, 0), -1);
	ck_assert_str_eq(t_err, full);
	for (errlen = 1; errlen <= len + 1; errlen++) {
		memset(err, 'Z', sizeof(err));
		ck_assert_int_eq(args_parse(&t_tmpl, t_argc, t_argv, &t_a,
		    err, errlen), -1);
		snprintf(want, errlen, "%s", full);
		ck_assert_str_eq(err, want);
		for (i = errlen; i < sizeof(err); i++)
			ck_assert_int_eq(err[i], 'Z');
	}
	ck_assert_int_eq(args_parse(&t_tmpl, t_argc, t_argv, &t_a, NULL, 0),
	    -1);
}
END_TEST

/* An option's value is the next word whatever it looks like, so in
 * "--msg --name --name foo" the name is foo: reload reads start's --name
 * through args_parse() for this. */
START_TEST(test_args_value_is_option)
{
	static const struct args_opt	nopts[] = {
		ARGS_VALUE("--msg", "TEXT", "a message"),
		ARGS_VALUE("--name", "NAME", "a name"),
		ARGS_END
	};

	ck_assert_int_eq(run_opts(nopts, "--msg --name --name foo", 0, 0), 0);
	ck_assert_str_eq(t_a.value[0], "--name");
	ck_assert_str_eq(t_a.value[1], "foo");
	ck_assert_int_eq(run_opts(nopts, "--name --msg --msg=--name", 0, 0), 0);
	ck_assert_str_eq(t_a.value[0], "--name");
	ck_assert_str_eq(t_a.value[1], "--msg");
}
END_TEST

/* The usage is made from the template alone. */
START_TEST(test_args_usage)
{
	static const struct args_opt	mopts[] = {
		ARGS_REPEAT("--header", "TEXT", "a header"),
		ARGS_FLAG("-j", "JSON"),
		ARGS_END
	};
	struct args_template		t = { topts, 0, 0, "[NAME]" };
	char				u[128] = "x ";

	args_usage(&t, u, sizeof(u));
	ck_assert_str_eq(u, "x [--msg TEXT] [--size N] [--binary] [-j] [NAME]");
	t.opts = mopts;
	t.pos = "URL";
	u[0] = '\0';
	args_usage(&t, u, sizeof(u));
	ck_assert_str_eq(u, "[--header TEXT]... [-j] URL");
	t.opts = NULL;
	u[0] = '\0';
	args_usage(&t, u, sizeof(u));
	ck_assert_str_eq(u, "URL");
	t.pos = NULL;
	u[0] = '\0';
	args_usage(&t, u, sizeof(u));
	ck_assert_str_eq(u, "");
	/* Cut, with its NUL, at any size. */
	t.opts = topts;
	memset(u, 'Z', sizeof(u));
	u[0] = '\0';
	args_usage(&t, u, 10);
	ck_assert_str_eq(u, "[--msg TE");
	ck_assert_int_eq(u[10], 'Z');
}
END_TEST

/* --- args_uint ----------------------------------------------------------- */

/* Parses "--size <value>" and reads it with args_uint(), --size's range
 * being [min, max] in the table. */
static int
size_of(const char *value, unsigned long min, unsigned long max,
    unsigned long *out)
{
	static struct args_opt	opts[NELEM(topts)];
	static struct args_template t = { .opts = opts };
	char			*argv[3], opt[] = "--size", val[64];

	memcpy(opts, topts, sizeof(opts));
	opts[T_SIZE].min = min;
	opts[T_SIZE].max = max;
	snprintf(val, sizeof(val), "%s", value);
	argv[0] = opt;
	argv[1] = val;
	argv[2] = NULL;
	ck_assert_int_eq(args_parse(&t, 2, argv, &t_a, t_err, sizeof(t_err)),
	    0);
	strcpy(t_err, "untouched");
	return args_uint(&t_a, T_SIZE, 7, out, t_err, sizeof(t_err));
}

START_TEST(test_uint_default)
{
	unsigned long	n = 0;

	ck_assert_int_eq(run("", 0, 0), 0);
	ck_assert_int_eq(args_uint(&t_a, T_SIZE, 99, &n, t_err,
	    sizeof(t_err)), 0);
	ck_assert_uint_eq(n, 99);
	ck_assert_int_eq(run("--binary", 0, 0), 0);
	ck_assert_int_eq(args_uint(&t_a, T_BIN, 3, &n, t_err,
	    sizeof(t_err)), 0);
	ck_assert_uint_eq(n, 3);
}
END_TEST

START_TEST(test_uint_good)
{
	unsigned long	n;

	ck_assert_int_eq(size_of("80", 1, 65535, &n), 0);
	ck_assert_uint_eq(n, 80);
	ck_assert_int_eq(size_of("1", 1, 65535, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(size_of("65535", 1, 65535, &n), 0);
	ck_assert_uint_eq(n, 65535);
	ck_assert_int_eq(size_of("0", 0, 0, &n), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(size_of("007", 0, 10, &n), 0);
	ck_assert_uint_eq(n, 7);
	ck_assert_str_eq(t_err, "untouched");
}
END_TEST

static const char *const bad_numbers[] = {
	"abc", "", "+5", "-5", " 5", "5 ", "0x10", "1e3", "5.0", "12a",
	"0", "65536", "99999999999999999999999999",
};

START_TEST(test_uint_bad)
{
	const char	*s = bad_numbers[_i];
	unsigned long	 n;
	char		 want[128];

	ck_assert_int_eq(size_of(s, 1, 65535, &n), -1);
	snprintf(want, sizeof(want), "--size: expected a number from 1 to "
	    "65535, got '%s'", s);
	ck_assert_str_eq(t_err, want);
}
END_TEST

/* Not numbers even where 0 is in range, so no check hides behind min. */
static const char *const bad_zeros[] = { "", "+0", "-0", " 0", "0 ", "0x0" };

START_TEST(test_uint_bad_zero)
{
	unsigned long	n;

	ck_assert_int_eq(size_of(bad_zeros[_i], 0, ULONG_MAX, &n), -1);
	ck_assert_ptr_nonnull(strstr(t_err, "expected a number"));
}
END_TEST

/* Adds one to a string of decimal digits, in place (room for a carry). */
static void
decimal_incr(char *s)
{
	size_t	i = strlen(s);

	while (i > 0 && s[i - 1] == '9')
		s[--i] = '0';
	if (i > 0)
		s[i - 1]++;
	else {
		memmove(s + 1, s, strlen(s) + 1);
		s[0] = '1';
	}
}

START_TEST(test_uint_overflow)
{
	unsigned long	n = 0;
	char		s[32];

	snprintf(s, sizeof(s), "%lu", ULONG_MAX);
	ck_assert_int_eq(size_of(s, 0, ULONG_MAX, &n), 0);
	ck_assert_uint_eq(n, ULONG_MAX);
	decimal_incr(s);
	ck_assert_int_eq(size_of(s, 0, ULONG_MAX, &n), -1);
	ck_assert_ptr_nonnull(strstr(t_err, s));
	snprintf(s, sizeof(s), "%lu0", ULONG_MAX);
	ck_assert_int_eq(size_of(s, 0, ULONG_MAX, &n), -1);
	snprintf(s, sizeof(s), "%lu", ULONG_MAX / 10 + 1);
	strcat(s, "0");
	ck_assert_int_eq(size_of(s, 0, ULONG_MAX, &n), -1);
}
END_TEST

/* --- args_duration ------------------------------------------------------- */

struct duration_case {
	const char	*text;
	uint64_t	 ns;		/* 0: refused */
};

static const struct duration_case duration_cases[] = {
	{ "1", UINT64_C(1000000000) },
	{ "3s", UINT64_C(3000000000) },
	{ "1.5s", UINT64_C(1500000000) },
	{ "1.5", UINT64_C(1500000000) },
	{ "250ms", UINT64_C(250000000) },
	{ "1.5ms", UINT64_C(1500000) },
	{ "1ms", UINT64_C(1000000) },
	{ ".5m", UINT64_C(30000000000) },
	{ "2m", UINT64_C(120000000000) },
	{ "1.25h", UINT64_C(4500000000000) },
	{ "168h", UINT64_C(604800000000000) },
	{ "0.001", UINT64_C(1000000) },
	{ "0.0011111111111", UINT64_C(1111111) },	/* past 9 digits: cut */
	{ "0", 0 },
	{ "0.5ms", 0 },		/* under 1 ms */
	{ "168.001h", 0 },	/* over 7 days */
	{ "604801", 0 },
	{ "99999999999999999999999s", 0 },
	{ "", 0 },
	{ ".", 0 },
	{ "s", 0 },
	{ "-1s", 0 },
	{ "1 s", 0 },
	{ "1sec", 0 },
	{ "1us", 0 },
	{ "1.2.3", 0 },
	{ "1e3", 0 },
};

START_TEST(test_duration)
{
	const struct duration_case *dc = &duration_cases[_i];
	uint64_t	 ns = 42;
	char		 err[256];

	if (dc->ns != 0) {
		ck_assert_int_eq(args_duration("--duration", dc->text, &ns,
		    err, sizeof(err)), 0);
		ck_assert_uint_eq(ns, dc->ns);
		return;
	}
	ck_assert_int_eq(args_duration("--duration", dc->text, &ns, err,
	    sizeof(err)), -1);
	ck_assert_uint_eq(ns, 42);
	ck_assert_msg(strncmp(err, "--duration: ", 12) == 0, "%s", err);
	ck_assert_ptr_nonnull(strstr(err, dc->text));
}
END_TEST

/* ------------------------------------------------------------------------- */

static Suite *
cmd_suite(void)
{
	Suite	*s = suite_create("cmd_parse");
	TCase	*tc = tcase_create("split");

	tcase_add_loop_test(tc, test_split, 0, (int)NELEM(split_cases));
	tcase_add_loop_test(tc, test_split_error, 0, (int)NELEM(bad_cases));
	tcase_add_test(tc, test_max_words);
	tcase_add_test(tc, test_too_many_words);
	tcase_add_test(tc, test_free_null);
	suite_add_tcase(s, tc);

	tc = tcase_create("quote");
	tcase_add_loop_test(tc, test_roundtrip_each, 0, (int)NELEM(tricky));
	tcase_add_test(tc, test_roundtrip_all);
	tcase_add_test(tc, test_roundtrip_random);
	tcase_add_loop_test(tc, test_quote_exact, 0, (int)NELEM(quote_cases));
	tcase_add_test(tc, test_quote_cap);
	tcase_add_test(tc, test_quote_newline);
	suite_add_tcase(s, tc);
	return s;
}

static Suite *
args_suite(void)
{
	Suite	*s = suite_create("args");
	TCase	*tc = tcase_create("parse");

	tcase_add_checked_fixture(tc, NULL, args_teardown);
	tcase_add_test(tc, test_args_basic);
	tcase_add_test(tc, test_args_empty);
	tcase_add_test(tc, test_args_equals);
	tcase_add_test(tc, test_args_flags);
	tcase_add_test(tc, test_args_flag_value);
	tcase_add_test(tc, test_args_needs_value);
	tcase_add_test(tc, test_args_value_literal);
	tcase_add_test(tc, test_args_last_wins);
	tcase_add_test(tc, test_args_many);
	tcase_add_test(tc, test_args_value_is_option);
	tcase_add_test(tc, test_args_usage);
	tcase_add_test(tc, test_args_double_dash);
	tcase_add_test(tc, test_args_dash_positional);
	tcase_add_test(tc, test_args_mixed);
	tcase_add_loop_test(tc, test_args_unknown, 0,
	    (int)NELEM(unknown_words));
	tcase_add_test(tc, test_args_no_options);
	tcase_add_test(tc, test_args_missing);
	tcase_add_test(tc, test_args_unexpected);
	tcase_add_test(tc, test_args_pos_cap);
	tcase_add_test(tc, test_args_opts_cap);
	tcase_add_test(tc, test_args_err_truncated);
	suite_add_tcase(s, tc);

	tc = tcase_create("uint");
	tcase_add_checked_fixture(tc, NULL, args_teardown);
	tcase_add_test(tc, test_uint_default);
	tcase_add_test(tc, test_uint_good);
	tcase_add_loop_test(tc, test_uint_bad, 0, (int)NELEM(bad_numbers));
	tcase_add_loop_test(tc, test_uint_bad_zero, 0, (int)NELEM(bad_zeros));
	tcase_add_test(tc, test_uint_overflow);
	suite_add_tcase(s, tc);

	tc = tcase_create("duration");
	tcase_add_loop_test(tc, test_duration, 0, (int)NELEM(duration_cases));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(cmd_suite(), args_suite(), NULL);
}
