/* SPDX-License-Identifier: ISC */
/*
 * Requirements of a run, as k6's thresholds: "[JOB:]FIELD OP NUMBER[UNIT]"
 * ("load:p99<50ms", "errors==0", "rate>=10k").  Pure: what a field is,
 * and whether it is a time, is the caller's (its field table); this file
 * only reads the expression and compares.
 */
#ifndef REQUIRE_H
#define REQUIRE_H

#include <stddef.h>

#define REQUIRE_NAME_MAX	64	/* a job's or a field's name, NUL too */
#define REQUIRE_EXPR_MAX	160	/* the expression as given, NUL too */

enum require_op {
	REQUIRE_LT, REQUIRE_LE, REQUIRE_GT, REQUIRE_GE, REQUIRE_EQ, REQUIRE_NE
};

/* What a field holds: a time takes a unit (ns us ms s) and is kept in
 * ns; a count takes k, M, G or none. */
enum require_kind {
	REQUIRE_UNKNOWN = -1,
	REQUIRE_COUNT,
	REQUIRE_TIME
};

struct require {
	char		 job[REQUIRE_NAME_MAX];		/* "": each job */
	char		 field[REQUIRE_NAME_MAX];
	enum require_op	 op;
	enum require_kind kind;
	double		 bound;		/* in ns for a time */
	char		 expr[REQUIRE_EXPR_MAX];
};

/* The kind of field name, REQUIRE_UNKNOWN for no such field. */
typedef enum require_kind (*require_kind_fn)(const char *field);

/*
 * Parses expr.  Returns 0, or -1 with a one-line message in err:
 * "bad requirement 'p99<<5ms': two operators".
 */
int	require_parse(const char *expr, require_kind_fn kind,
	    struct require *r, char *err, size_t errlen);
/* Whether value (in ns for a time) meets r. */
int	require_held(const struct require *r, double value);
/* value as people read it: "1.23ms", "1500". */
void	require_format(char *out, size_t cap, const struct require *r,
	    double value);

#endif
