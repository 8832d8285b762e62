/* SPDX-License-Identifier: ISC */
/*
 * Reading and judging requirements (require.h).
 */

#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "require.h"

/* Longest first, so that "<=" is not read as "<". */
static const struct {
	const char	*text;
	enum require_op	 op;
} require_ops[] = {
	{ "<=", REQUIRE_LE }, { ">=", REQUIRE_GE }, { "==", REQUIRE_EQ },
	{ "!=", REQUIRE_NE }, { "<", REQUIRE_LT }, { ">", REQUIRE_GT },
};

#define REQUIRE_OP_CHARS	"<>=!"

struct require_unit {
	const char	*name;
	double		 scale;
};

static const struct require_unit require_time_units[] = {
	{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 }, { NULL, 0 }
};
static const struct require_unit require_count_units[] = {
	{ "", 1 }, { "k", 1e3 }, { "M", 1e6 }, { "G", 1e9 }, { NULL, 0 }
};

static int __attribute__((format(printf, 4, 5)))
require_error(const char *expr, char *err, size_t errlen, const char *fmt,
    ...)
{
	char	why[128];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "bad requirement '%s': %s", expr, why);
	return -1;
}

/* s[0..len) without the blanks around it, into out. */
static int
require_word(const char *s, size_t len, char *out, size_t cap)
{
	while (len > 0 && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len >= cap)
		return -1;
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}

/* "[JOB:]FIELD" of the left side. */
static int
require_left(const char *expr, const char *s, size_t len,
    require_kind_fn kind, struct require *r, char *err, size_t errlen)
{
	char	 left[2 * REQUIRE_NAME_MAX], *colon, *field = left;

	if (require_word(s, len, left, sizeof(left)) == -1)
		return require_error(expr, err, errlen, "name too long");
	if ((colon = strchr(left, ':')) != NULL) {
		*colon = '\0';
		field = colon + 1;
		if (left[0] == '\0')
			return require_error(expr, err, errlen,
			    "no job before ':'");
		if (require_word(left, strlen(left), r->job,
		    sizeof(r->job)) == -1)
			return require_error(expr, err, errlen,
			    "job name too long");
		while (isspace((unsigned char)*field))
			field++;
	}
	if (*field == '\0')
		return require_error(expr, err, errlen, "no field");
	if (strlen(field) >= sizeof(r->field))
		return require_error(expr, err, errlen, "field name too long");
	snprintf(r->field, sizeof(r->field), "%s", field);
	if ((r->kind = kind(r->field)) == REQUIRE_UNKNOWN)
		return require_error(expr, err, errlen, "unknown field '%s'",
		    r->field);
	return 0;
}

/* The operator at s; its length in *n, or 0 for none. */
static size_t
require_op_at(const char *s, enum require_op *op)
{
	size_t	i, n;

	for (i = 0; i < sizeof(require_ops) / sizeof(require_ops[0]); i++) {
		n = strlen(require_ops[i].text);
		if (strncmp(s, require_ops[i].text, n) == 0) {
			*op = require_ops[i].op;
			return n;
		}
	}
	return 0;
}

/* "NUMBER[UNIT]": a plain decimal number (no sign, no hex, no inf, and
 * none that its unit takes past a double's range), then a unit that fits
 * the field. */
static int
require_right(const char *expr, const char *s, struct require *r, char *err,
    size_t errlen)
{
	const struct require_unit	*u;
	char				 word[64], *end;
	size_t				 digits;

	if (require_word(s, strlen(s), word, sizeof(word)) == -1)
		return require_error(expr, err, errlen, "number too long");
	if (strpbrk(word, REQUIRE_OP_CHARS) != NULL)
		return require_error(expr, err, errlen, "two operators");
	digits = strspn(word, "0123456789.eE+-");
	if (word[0] == '\0' || !(isdigit((unsigned char)word[0]) ||
	    word[0] == '.'))
		return require_error(expr, err, errlen, "no number after the "
		    "operator");
	r->bound = strtod(word, &end);
	if (end == word || (size_t)(end - word) != digits)
		return require_error(expr, err, errlen, "bad number");
	while (isspace((unsigned char)*end))
		end++;
	u = r->kind == REQUIRE_TIME ? require_time_units :
	    require_count_units;
	for (; u->name != NULL; u++)
		if (strcmp(end, u->name) == 0) {
			r->bound *= u->scale;
			return isfinite(r->bound) ? 0 : require_error(expr,
			    err, errlen, "number too large");
		}
	if (r->kind == REQUIRE_TIME && *end == '\0')
		return require_error(expr, err, errlen, "%s is a time: give "
		    "a unit (ns us ms s)", r->field);
	if (r->kind == REQUIRE_TIME)
		return require_error(expr, err, errlen, "'%s' is not a unit "
		    "of time (ns us ms s)", end);
	return require_error(expr, err, errlen, "%s is a count: '%s' does "
	    "not fit (k M G or none)", r->field, end);
}

int
require_parse(const char *expr, require_kind_fn kind, struct require *r,
    char *err, size_t errlen)
{
	size_t	at, n;

	memset(r, 0, sizeof(*r));
	if (strlen(expr) >= sizeof(r->expr))
		return require_error("...", err, errlen, "too long");
	snprintf(r->expr, sizeof(r->expr), "%s", expr);
	at = strcspn(expr, REQUIRE_OP_CHARS);
	if (expr[at] == '\0')
		return require_error(expr, err, errlen, "no operator (< <= > "
		    ">= == !=)");
	if ((n = require_op_at(expr + at, &r->op)) == 0)
		return require_error(expr, err, errlen, "bad operator (< <= "
		    "> >= == !=)");
	if (require_left(expr, expr, at, kind, r, err, errlen) == -1)
		return -1;
	return require_right(expr, expr + at + n, r, err, errlen);
}

int
require_held(const struct require *r, double v)
{
	switch (r->op) {
	case REQUIRE_LT:
		return v < r->bound;
	case REQUIRE_LE:
		return v <= r->bound;
	case REQUIRE_GT:
		return v > r->bound;
	case REQUIRE_GE:
		return v >= r->bound;
	case REQUIRE_EQ:
		return v == r->bound;
	case REQUIRE_NE:
		return v != r->bound;
	}
	return 0;
}

/* A time in the largest unit that keeps it at 1 or more; a count as
 * it is, with decimals only when it has some (a mean). */
void
require_format(char *out, size_t cap, const struct require *r, double v)
{
	const struct require_unit	*u = require_time_units;

	if (r->kind != REQUIRE_TIME) {
		snprintf(out, cap, "%.15g", v);
		return;
	}
	while (u[1].name != NULL && v >= u[1].scale)
		u++;
	v /= u->scale;
	snprintf(out, cap, v >= 1000 ? "%.0f%s" : "%.3g%s", v, u->name);
}
