/* SPDX-License-Identifier: ISC */
/*
 * Run requirements ("load:p99<50ms"): require_parse() on what a user
 * writes in a run file or on the command line.  What it refuses gets a
 * one-line message that fits the room given; what it takes has a known
 * field of the kind the field table says, names without blanks around
 * them, and a finite bound of zero or more.  Written back the plain way
 * ("JOB:FIELD OP BOUND", the bound with 17 digits, a time in ns) it must
 * read back the same; it must hold at its bound for <=, >= and == only,
 * and require_format() must fit any room it is given.
 *
 * Input: a byte for the message's room, a byte for the format's, then
 * the expression (up to a NUL).
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "require.h"

#define REQUIRE_PREFIX	"bad requirement '"

/* A field table of both kinds, as require_field.c gives one. */
static enum require_kind
require_kind_of(const char *field)
{
	static const char	*const times[] = { "p50", "p99", "p99.9", "max",
		"connect_p99", "duration" };
	static const char	*const counts[] = { "errors", "rate",
		"messages", "opens" };
	size_t			 i;

	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++)
		if (strcmp(field, times[i]) == 0)
			return REQUIRE_TIME;
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		if (strcmp(field, counts[i]) == 0)
			return REQUIRE_COUNT;
	return REQUIRE_UNKNOWN;
}

static int
require_trimmed(const char *s)
{
	size_t	n = strlen(s);

	return n == 0 || (!isspace((unsigned char)s[0]) &&
	    !isspace((unsigned char)s[n - 1]));
}

static const char *const require_op_text[] = {
	[REQUIRE_LT] = "<", [REQUIRE_LE] = "<=", [REQUIRE_GT] = ">",
	[REQUIRE_GE] = ">=", [REQUIRE_EQ] = "==", [REQUIRE_NE] = "!="
};

/* r written back the plain way reads back as r. */
static void
require_round_trip(const struct require *r)
{
	struct require	again;
	char		text[REQUIRE_EXPR_MAX], err[256];
	int		n;

	n = snprintf(text, sizeof(text), "%s%s%s%s%.17g%s", r->job,
	    r->job[0] != '\0' ? ":" : "", r->field, require_op_text[r->op],
	    r->bound, r->kind == REQUIRE_TIME ? "ns" : "");
	FUZZ_CHECK(n > 0 && (size_t)n < sizeof(text));
	FUZZ_CHECK(require_parse(text, require_kind_of, &again, err,
	    sizeof(err)) == 0);
	FUZZ_CHECK(strcmp(again.job, r->job) == 0);
	FUZZ_CHECK(strcmp(again.field, r->field) == 0);
	FUZZ_CHECK(again.op == r->op && again.kind == r->kind);
	FUZZ_CHECK(again.bound == r->bound);
}

static void
require_check_taken(const struct require *r, const char *expr, size_t fcap)
{
	char	*out;
	int	 at_bound;

	FUZZ_CHECK(strcmp(r->expr, expr) == 0);
	FUZZ_CHECK(r->field[0] != '\0' && require_trimmed(r->field));
	FUZZ_CHECK(require_trimmed(r->job) && strchr(r->job, ':') == NULL);
	FUZZ_CHECK(r->job[0] == '\0' || strchr(expr, ':') != NULL);
	FUZZ_CHECK(r->kind == require_kind_of(r->field));
	FUZZ_CHECK(isfinite(r->bound) && r->bound >= 0);
	require_round_trip(r);
	at_bound = r->op == REQUIRE_LE || r->op == REQUIRE_GE ||
	    r->op == REQUIRE_EQ;
	FUZZ_CHECK(require_held(r, r->bound) == at_bound);
	out = (char *)fuzz_copy(NULL, fcap, 0);
	require_format(out, fcap, r, r->bound);
	FUZZ_CHECK(memchr(out, '\0', fcap) != NULL);
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in	 in = { data, size };
	struct require	 r;
	size_t		 errlen = fuzz_byte(&in) + 1, fcap = fuzz_byte(&in) % 32 + 1;
	char		*expr = (char *)fuzz_copy(in.p, in.n, 1);
	char		*err = (char *)fuzz_copy(NULL, errlen, 0);
	int		 rc;

	rc = require_parse(expr, require_kind_of, &r, err, errlen);
	FUZZ_CHECK(rc == 0 || rc == -1);
	if (rc == -1) {
		FUZZ_CHECK(memchr(err, '\0', errlen) != NULL);
		FUZZ_CHECK(strncmp(err, REQUIRE_PREFIX, errlen - 1 <
		    strlen(REQUIRE_PREFIX) ? errlen - 1 : strlen(REQUIRE_PREFIX)) == 0);
		FUZZ_CHECK(strchr(expr, '\n') != NULL || strchr(err, '\n') == NULL);
	} else
		require_check_taken(&r, expr, fcap);
	free(err);
	free(expr);
	return 0;
}
