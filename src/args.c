/* SPDX-License-Identifier: ISC */
/*
 * Options and positional arguments of one command, after cmd_parse_line()
 * has split it, read with the command's template; and its usage, made from
 * the same template.  Unlike getopt(3) there is no abbreviation and no option
 * bundling: commands are typed rarely and read often, so names are exact.
 */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "args.h"

static const struct args_opt	args_none[] = { ARGS_END };

const struct args_opt *
args_opts(const struct args_template *t)
{
	return t->opts != NULL ? t->opts : args_none;
}

/* The index of the option a word names, ignoring any "=value"; or -1. */
static int
args_find(const struct args_opt *opts, const char *word)
{
	size_t	len = strcspn(word, "=");
	int	i;

	for (i = 0; opts[i].name != NULL; i++)
		if (strncmp(opts[i].name, word, len) == 0 &&
		    opts[i].name[len] == '\0')
			return i;
	return -1;
}

/* The message lists every option, so a typo is fixed without the manual. */
static void
args_unknown(const struct args_opt *opts, const char *word, char *err,
    size_t errlen)
{
	size_t	off;
	int	i, n;

	n = snprintf(err, errlen, "unknown option %s (valid:", word);
	off = n > 0 ? (size_t)n : 0;
	for (i = 0; opts[i].name != NULL && off < errlen; i++) {
		n = snprintf(err + off, errlen - off, " %s", opts[i].name);
		off += n > 0 ? (size_t)n : 0;
	}
	if (off < errlen)
		snprintf(err + off, errlen - off, ")");
}

/*
 * Takes the option word at argv[*ip] and its value, from "=value" or else
 * the next word, whatever that word looks like (as getopt(3) does, so a
 * message may start with a dash).
 */
static int
args_option(const struct args_opt *opts, int argc, char **argv, int *ip,
    struct args *a, char *err, size_t errlen)
{
	char	*word = argv[*ip], *eq = strchr(word, '=');
	int	 idx;

	if ((idx = args_find(opts, word)) == -1) {
		args_unknown(opts, word, err, errlen);
		return -1;
	}
	if (!opts[idx].takes_value) {
		if (eq != NULL) {
			snprintf(err, errlen, "option %s takes no value",
			    opts[idx].name);
			return -1;
		}
	} else if (eq != NULL)
		a->value[idx] = eq + 1;
	else if (*ip + 1 < argc)
		a->value[idx] = argv[++*ip];
	else {
		snprintf(err, errlen, "option %s needs a value",
		    opts[idx].name);
		return -1;
	}
	a->present[idx] = 1;
	if (opts[idx].takes_value != ARGS_MANY)
		return 0;
	if (a->nmany == ARGS_MANY_MAX) {
		snprintf(err, errlen, "too many options (at most %d %s)",
		    ARGS_MANY_MAX, opts[idx].name);
		return -1;
	}
	a->many_opt[a->nmany] = idx;
	a->many[a->nmany++] = a->value[idx];
	return 0;
}

int
args_values(const struct args *a, int idx, const char **out, int max)
{
	int	i, n = 0;

	for (i = 0; i < a->nmany && n < max; i++)
		if (a->many_opt[i] == idx)
			out[n++] = a->many[i];
	return n;
}

static int
args_positional(char *word, int max_pos, struct args *a, char *err,
    size_t errlen)
{
	if (a->npos >= max_pos) {
		snprintf(err, errlen, "unexpected argument '%s'", word);
		return -1;
	}
	a->pos[a->npos++] = word;
	return 0;
}

/* A table longer than struct args can hold is a bug in the caller. */
static int
args_opts_fit(const struct args_opt *opts, char *err, size_t errlen)
{
	int	n;

	for (n = 0; opts[n].name != NULL; n++)
		continue;
	if (n > ARGS_OPTS_MAX) {
		snprintf(err, errlen, "internal error: %d options, at most %d",
		    n, ARGS_OPTS_MAX);
		return -1;
	}
	return 0;
}

int
args_parse(const struct args_template *t, int argc, char **argv,
    struct args *a, char *err, size_t errlen)
{
	const struct args_opt	*opts = args_opts(t);
	int			 i, options;
	int			 max_pos = t->max_pos;

	memset(a, 0, sizeof(*a));
	a->tmpl = t;
	if (args_opts_fit(opts, err, errlen) == -1)
		return -1;
	if (max_pos > ARGS_POS_MAX)
		max_pos = ARGS_POS_MAX;
	/*
	 * A command with no options takes every word as an argument, "--"
	 * included: a value such as "-1" (set max-message -1) then reaches
	 * the command, which says what is wrong with it, instead of being
	 * refused as an option no one could mean.
	 */
	options = opts[0].name != NULL;
	for (i = 0; i < argc; i++) {
		if (options && strcmp(argv[i], "--") == 0)
			options = 0;
		else if (options && argv[i][0] == '-' && argv[i][1] != '\0') {
			if (args_option(opts, argc, argv, &i, a, err,
			    errlen) == -1)
				return -1;
		} else if (args_positional(argv[i], max_pos, a, err,
		    errlen) == -1)
			return -1;
	}
	if (a->npos < t->min_pos) {
		snprintf(err, errlen, "missing argument (%d needed, %d given)",
		    t->min_pos, a->npos);
		return -1;
	}
	return 0;
}

/* Plain decimal digits only: a sign, blank or "0x" is a typo, not a value. */
static int
args_decimal(const char *s, unsigned long *out)
{
	unsigned long	n = 0, d;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		d = (unsigned long)(*s - '0');
		if (n > (ULONG_MAX - d) / 10)
			return -1;
		n = n * 10 + d;
	}
	*out = n;
	return 0;
}

int
args_uint(const struct args *a, int idx, unsigned long dflt,
    unsigned long *out, char *err, size_t errlen)
{
	const struct args_opt	*o = &args_opts(a->tmpl)[idx];
	const char		*s = a->value[idx];
	unsigned long		 n;

	if (s == NULL) {
		*out = dflt;
		return 0;
	}
	if (args_decimal(s, &n) == -1 || n < o->min || n > o->max) {
		snprintf(err, errlen, "%s: expected a number from %lu to %lu, "
		    "got '%s'", o->name, o->min, o->max, s);
		return -1;
	}
	*out = n;
	return 0;
}

/* The unit ending a duration and its nanoseconds; "ms" before "m". */
static const struct {
	const char	*name;
	uint64_t	 ns;
} args_units[] = {
	{ "ms", UINT64_C(1000000) },
	{ "s", UINT64_C(1000000000) },
	{ "m", UINT64_C(60000000000) },
	{ "h", UINT64_C(3600000000000) },
	{ "", UINT64_C(1000000000) },
};

/* The nanoseconds of unit u, or 0 for an unknown one. */
static uint64_t
args_unit_ns(const char *u)
{
	size_t	i;

	for (i = 0; i < sizeof(args_units) / sizeof(args_units[0]); i++)
		if (strcmp(u, args_units[i].name) == 0)
			return args_units[i].ns;
	return 0;
}

/*
 * Whole and fraction are read apart, so 1.5s is exactly 1,500,000,000 ns;
 * fraction digits past the ninth are dropped.  The whole part is
 * capped far above any valid duration before it could overflow.
 */
int
args_duration_parse(const char *s, uint64_t *ns)
{
	uint64_t	whole = 0, frac = 0, scale = 1, unit, q, v;
	int		digits = 0;

	for (; *s >= '0' && *s <= '9'; s++, digits++)
		if ((whole = whole * 10 + (uint64_t)(*s - '0')) >
		    ARGS_DURATION_MAX)
			return -1;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, digits++)
			if (scale < UINT64_C(1000000000)) {
				frac = frac * 10 + (uint64_t)(*s - '0');
				scale *= 10;
			}
	}
	if (digits == 0 || (unit = args_unit_ns(s)) == 0 ||
	    whole > ARGS_DURATION_MAX / unit)
		return -1;
	/* Every unit is whole milliseconds: q = frac * unit / 10^6 is below
	 * 10^9 * 3.6 10^6, and the remainder's part below 10^15. */
	q = frac * (unit / 1000000);
	v = whole * unit + q / scale * 1000000 + q % scale * 1000000 / scale;
	if (v < ARGS_DURATION_MIN || v > ARGS_DURATION_MAX)
		return -1;
	*ns = v;
	return 0;
}

int
args_duration(const char *name, const char *s, uint64_t *ns, char *err,
    size_t errlen)
{
	if (args_duration_parse(s, ns) == 0)
		return 0;
	snprintf(err, errlen, "%s: expected a duration from 1ms to 7 days, "
	    "a number with ms, s (the default), m or h, got '%s'", name, s);
	return -1;
}

/* Appends to the string in out, cut at cap. */
static void __attribute__((format(printf, 3, 4)))
args_cat(char *out, size_t cap, const char *fmt, ...)
{
	size_t	len = strnlen(out, cap);
	va_list	ap;

	if (len + 1 >= cap)
		return;
	va_start(ap, fmt);
	vsnprintf(out + len, cap - len, fmt, ap);
	va_end(ap);
}

void
args_opt_usage(const struct args_opt *o, char *out, size_t cap)
{
	if (o->takes_value)
		args_cat(out, cap, "%s %s", o->name,
		    o->value_name != NULL ? o->value_name : "VALUE");
	else
		args_cat(out, cap, "%s", o->name);
}

void
args_usage(const struct args_template *t, char *out, size_t cap)
{
	const struct args_opt	*o;
	const char		*sep = "";

	for (o = args_opts(t); o->name != NULL; o++) {
		args_cat(out, cap, "%s[", sep);
		args_opt_usage(o, out, cap);
		args_cat(out, cap, "]%s", o->takes_value == ARGS_MANY ?
		    "..." : "");
		sep = " ";
	}
	if (t->pos != NULL)
		args_cat(out, cap, "%s%s", sep, t->pos);
}
