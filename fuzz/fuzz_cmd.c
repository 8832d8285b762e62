/* SPDX-License-Identifier: ISC */
/*
 * The command grammar on any line: cmd_parse_line() must split it or say
 * why not, without leaking; what it splits, cmd_quote_argv() must join
 * into a line that splits back into the same words; and the words must go
 * through args_parse() with a template that has every kind of option,
 * whose usage must fit the room it is given.  A duration it takes must be
 * in range and read back the same, written as seconds with nine decimals.
 * cmd_line_is_text() must agree with a plain reading of its rule, and
 * cmd_quote_argv_dup() with cmd_quote_argv().
 *
 * Input: a byte for the usage's room, then the line (up to a NUL).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cmd_parse.h"
#include "fuzz.h"

enum { CMD_OPT_J, CMD_OPT_MSG, CMD_OPT_PORT, CMD_OPT_HEADER, CMD_OPT_DURATION };

static const struct args_opt cmd_opts[] = {
	ARGS_FLAG("-j", "a flag"),
	ARGS_VALUE("--msg", "TEXT", "a value"),
	ARGS_NUMBER("--port", "N", 1, 65535, "a number"),
	ARGS_REPEAT("--header", "LINE", "a value that repeats"),
	ARGS_VALUE("--duration", "S", "a duration"),
	ARGS_END
};

static const struct args_template cmd_tmpl = {
	.opts = cmd_opts, .min_pos = 1, .max_pos = 2, .pos = "NAME [URL]"
};

/* Joined and split again, the words must come back the same. */
static void
cmd_round_trip(int argc, char **argv, size_t line_len)
{
	char		*line, *dup, **again;
	const char	*err;
	size_t		 cap = 4 * line_len + 3 * (size_t)argc + 1;
	int		 n, i, again_argc;

	/* A word with a '\r' in it is refused: a line cannot hold it. */
	for (i = 0; i < argc; i++)
		if (strchr(argv[i], '\r') != NULL)
			return;
	line = (char *)fuzz_copy(NULL, cap, 0);
	n = cmd_quote_argv(argc, argv, line, cap);
	FUZZ_CHECK(n >= 0 && (size_t)n == strlen(line));
	FUZZ_CHECK(cmd_quote_argv(argc, argv, line, (size_t)n) == -1);
	FUZZ_CHECK(cmd_quote_argv(argc, argv, line, cap) == n);
	dup = cmd_quote_argv_dup(argc, argv);
	FUZZ_CHECK(dup != NULL && strcmp(dup, line) == 0);
	free(dup);
	FUZZ_CHECK(cmd_parse_line(line, &again_argc, &again, &err) == 0);
	FUZZ_CHECK(again_argc == argc);
	for (i = 0; i < argc; i++)
		FUZZ_CHECK(strcmp(again[i], argv[i]) == 0);
	cmd_free_argv(again_argc, again);
	free(line);
}

/* What a duration option takes is in range, and written as seconds with
 * nine decimals, reads back to the same nanoseconds. */
static void
cmd_duration(const struct args *a)
{
	const char	*s = a->value[CMD_OPT_DURATION];
	char		 err[256], again[64];
	uint64_t	 ns, ns_again;

	if (s == NULL)
		return;
	if (args_duration("--duration", s, &ns, err, sizeof(err)) == -1) {
		FUZZ_CHECK(args_duration_parse(s, &ns) == -1);
		FUZZ_CHECK(err[0] != '\0');
		return;
	}
	FUZZ_CHECK(ns >= ARGS_DURATION_MIN && ns <= ARGS_DURATION_MAX);
	snprintf(again, sizeof(again), "%" PRIu64 ".%09" PRIu64 "s",
	    ns / 1000000000, ns % 1000000000);
	FUZZ_CHECK(args_duration_parse(again, &ns_again) == 0);
	FUZZ_CHECK(ns_again == ns);
}

/* The rule of cmd_line_is_text(), read plainly: tab and printable ASCII
 * or any byte from 0x80, and a CR only as the last byte. */
static int
cmd_text_reference(const char *line, size_t len)
{
	size_t		i;
	unsigned char	c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)line[i];
		if (c == '\t' || (c >= 0x20 && c != 0x7f))
			continue;
		if (c == '\r' && i == len - 1)
			continue;
		return 0;
	}
	return 1;
}

static void
cmd_args(int argc, char **argv, size_t room)
{
	struct args	 a;
	char		 err[256], *usage;
	const char	*values[ARGS_MANY_MAX];
	unsigned long	 port;
	int		 i, n;

	if (args_parse(&cmd_tmpl, argc, argv, &a, err, sizeof(err)) == 0) {
		FUZZ_CHECK(a.npos >= 1 && a.npos <= 2);
		for (i = 0; i < a.npos; i++)
			FUZZ_CHECK(a.pos[i] != NULL);
		if (args_uint(&a, CMD_OPT_PORT, 80, &port, err,
		    sizeof(err)) == 0)
			FUZZ_CHECK(port >= 1 && port <= 65535);
		n = args_values(&a, CMD_OPT_HEADER, values, ARGS_MANY_MAX);
		FUZZ_CHECK(n >= 0 && n <= a.nmany);
		for (i = 0; i < n; i++)
			FUZZ_CHECK(values[i] != NULL);
		cmd_duration(&a);
	} else
		FUZZ_CHECK(strlen(err) < sizeof(err));
	usage = (char *)fuzz_copy(NULL, room, 0);
	args_usage(&cmd_tmpl, usage, room);
	FUZZ_CHECK(strnlen(usage, room) < room);
	free(usage);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in	  in = { data, size };
	char		 *line, **argv;
	const char	 *err = NULL;
	size_t		  room;
	int		  argc, i;

	room = 1 + fuzz_byte(&in);
	line = (char *)fuzz_copy(in.p, in.n, 1);
	FUZZ_CHECK(cmd_line_is_text((const char *)in.p, in.n) ==
	    cmd_text_reference((const char *)in.p, in.n));
	if (cmd_parse_line(line, &argc, &argv, &err) == -1) {
		FUZZ_CHECK(err != NULL && argc == 0 && argv == NULL);
		free(line);
		return 0;
	}
	FUZZ_CHECK(argc >= 0 && argc <= CMD_ARGS_MAX && argv[argc] == NULL);
	for (i = 0; i < argc; i++)
		FUZZ_CHECK(strlen(argv[i]) <= strlen(line));
	cmd_round_trip(argc, argv, strlen(line));
	cmd_args(argc, argv, room);
	cmd_free_argv(argc, argv);
	free(line);
	return 0;
}
