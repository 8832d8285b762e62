/* SPDX-License-Identifier: ISC */
/*
 * Options of a command, after the command words: "--msg yo", "--msg=yo",
 * "--binary", "-j", with "--" ending the options.  Options and positional
 * arguments may be mixed.  A command (and a job kind) declares them in a
 * template, as tmux's cmd_entry does; the parser, the usage, `help`, the
 * "valid:" lists and the shell completion all read that one table.
 */
#ifndef ARGS_H
#define ARGS_H

#include <stddef.h>
#include <stdint.h>

#define ARGS_OPTS_MAX	24
#define ARGS_POS_MAX	8
#define ARGS_MANY_MAX	32	/* values of repeatable options, in all */

/* takes_value: 0 for a flag, 1 for a value, ARGS_MANY for a value that
 * may be given again and again ("--header A --header B"). */
#define ARGS_MANY	2

struct args_opt {
	const char	*name;		/* with its dashes: "--msg", "-j" */
	int		 takes_value;
	const char	*value_name;	/* in usage: "N", "FILE" */
	int		 number;	/* a number from min to max */
	unsigned long	 min, max;
	const char	*help;		/* one line, for `help` */
};

/* One line of a table each; ARGS_END closes it. */
#define ARGS_FLAG(n, h)		{ .name = (n), .help = (h) }
#define ARGS_VALUE(n, v, h)	{ .name = (n), .takes_value = 1, \
				  .value_name = (v), .help = (h) }
#define ARGS_REPEAT(n, v, h)	{ .name = (n), .takes_value = ARGS_MANY, \
				  .value_name = (v), .help = (h) }
#define ARGS_NUMBER(n, v, lo, hi, h) \
				{ .name = (n), .takes_value = 1, \
				  .value_name = (v), .number = 1, .min = (lo), \
				  .max = (hi), .help = (h) }
#define ARGS_END		{ .name = NULL }

struct args_template {
	const struct args_opt	*opts;		/* NULL: none */
	int			 min_pos, max_pos;
	const char		*pos;		/* in usage: "URL", "[NAME]" */
};

struct args {
	const struct args_template *tmpl;	/* parsed with */
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
 * Parses argv against t.  Returns 0, or -1 with a one-line message in err
 * naming the bad word and the valid options.
 */
int	args_parse(const struct args_template *t, int argc, char **argv,
	    struct args *a, char *err, size_t errlen);

/*
 * The value of option idx as an unsigned number in the option's range, or
 * dflt when absent.  Returns 0, or -1 with a message in err.
 */
int	args_uint(const struct args *a, int idx, unsigned long dflt,
	    unsigned long *out, char *err, size_t errlen);

/* The durations an option may take: 1 ms to 7 days. */
#define ARGS_DURATION_MIN	UINT64_C(1000000)
#define ARGS_DURATION_MAX	(UINT64_C(7) * 24 * 3600 * 1000000000)

/*
 * A duration, "N[.F][UNIT]" with UNIT one of ms, s (the default), m, h,
 * into *ns.  args_duration_parse() returns -1 for a malformed text or one
 * outside ARGS_DURATION_MIN..MAX; args_duration() then says so in err,
 * naming the option (name: "--duration").
 */
int	args_duration_parse(const char *s, uint64_t *ns);
int	args_duration(const char *name, const char *s, uint64_t *ns,
	    char *err, size_t errlen);

/* Stores in out[] the values given to option idx, in order; returns how
 * many (at most max). */
int	args_values(const struct args *a, int idx, const char **out, int max);

/* The options of t, NULL-name terminated (never NULL). */
const struct args_opt *args_opts(const struct args_template *t);

/* Appends to out (holding a string) the usage of t: "[-j] [NAME]". */
void	args_usage(const struct args_template *t, char *out, size_t cap);
/* Appends "--port N" (or "--binary") for option o. */
void	args_opt_usage(const struct args_opt *o, char *out, size_t cap);

#endif
