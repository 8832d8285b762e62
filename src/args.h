/* SPDX-License-Identifier: ISC */
/*
 * Options of a command, after the command words: "--msg yo", "--msg=yo",
 * "--binary", "-j", with "--" ending the options.  Options and positional
 * arguments may be mixed.
 */
#ifndef ARGS_H
#define ARGS_H

#include <stddef.h>

#define ARGS_OPTS_MAX	16
#define ARGS_POS_MAX	8
#define ARGS_MANY_MAX	32	/* values of repeatable options, in all */

/* takes_value: 0 for a flag, 1 for a value, ARGS_MANY for a value that
 * may be given again and again ("--header A --header B"). */
#define ARGS_MANY	2

struct args_opt {
	const char	*name;		/* with its dashes: "--msg", "-j" */
	int		 takes_value;
};

struct args {
	const char	*value[ARGS_OPTS_MAX];	/* by option index; the last */
	int		 present[ARGS_OPTS_MAX];
	int		 npos;
	char		*pos[ARGS_POS_MAX];
	/* Every value of the ARGS_MANY options, in order, with its option. */
	int		 nmany;
	int		 many_opt[ARGS_MANY_MAX];
	const char	*many[ARGS_MANY_MAX];
};

/*
 * Parses argv against opts (terminated by a NULL name), requiring between
 * min_pos and max_pos positional arguments.  Returns 0, or -1 with a
 * one-line message in err naming the bad word and the valid options.
 */
int	args_parse(const struct args_opt *opts, int argc, char **argv,
	    int min_pos, int max_pos, struct args *a, char *err, size_t errlen);

/*
 * The value of option idx as an unsigned number in [min, max], or dflt when
 * absent.  Returns 0, or -1 with a message in err.
 */
int	args_uint(const struct args_opt *opts, const struct args *a, int idx,
	    unsigned long min, unsigned long max, unsigned long dflt,
	    unsigned long *out, char *err, size_t errlen);

/* Stores in out[] the values given to option idx, in order; returns how
 * many (at most max). */
int	args_values(const struct args *a, int idx, const char **out, int max);

#endif
