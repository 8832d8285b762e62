/* SPDX-License-Identifier: ISC */
/*
 * The table of commands.  The config file, the control socket and (through
 * the control socket) wsbenchctl all run their commands through cmd_exec(),
 * so every command means the same wherever it is written.
 */
#ifndef CMD_H
#define CMD_H

#include <stddef.h>

struct control_client;
struct evbuffer;

#define CMD_ERR_MAX	512

struct cmd_ctx {
	struct evbuffer		*out;		/* output lines, or NULL */
	struct control_client	*client;	/* NULL in the config file */
	int			 check;		/* -n: validate only */
	int			 config;	/* a line of the config file */
	int			 json;		/* -j: output JSON */
	int			 readonly;	/* may run CMD_READONLY only */
	struct {			/* set by `watch`, for the caller */
		int		 on;
		const char	*name;		/* in argv; NULL: all jobs */
		int		 table;		/* records, not a line */
	} watch;
	char			 err[CMD_ERR_MAX];
};

#define CMD_CLIENT_ONLY	0x1	/* makes sense on the control socket only */
#define CMD_READONLY	0x2	/* changes nothing: open to the read group */

struct cmd_entry {
	const char	*name;
	const char	*usage;		/* arguments, after the name */
	int		 flags;
	int		(*exec)(struct cmd_ctx *, int, char **);
};

extern const struct cmd_entry cmd_start_entry;
extern const struct cmd_entry cmd_stop_entry;
extern const struct cmd_entry cmd_list_entry;
extern const struct cmd_entry cmd_stats_entry;
extern const struct cmd_entry cmd_watch_entry;
extern const struct cmd_entry cmd_version_entry;
extern const struct cmd_entry cmd_help_entry;
extern const struct cmd_entry cmd_reload_entry;
extern const struct cmd_entry cmd_set_entry;

/* The commands there are, in the order help lists them; before any runs. */
void	cmd_set_table(const struct cmd_entry *const *, size_t n);

/*
 * Runs argv (argv[0] is the command name).  Returns 0, or -1 with a
 * one-line message in ctx->err.
 */
int	cmd_exec(struct cmd_ctx *, int argc, char **argv);
/* Appends a line of output. */
void	cmd_print(struct cmd_ctx *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Sets the error message; returns -1 for "return cmd_error(...)". */
int	cmd_error(struct cmd_ctx *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Every command with its usage, a line each. */
void	cmd_print_usage(struct cmd_ctx *);
/* args_parse() for a command: errors carry the command's usage. */
struct args;
struct args_opt;
int	cmd_args(struct cmd_ctx *, const struct cmd_entry *,
	    const struct args_opt *, int argc, char **argv, int min_pos,
	    int max_pos, struct args *);
/* Appends what `watch` sends each second for job name (NULL: all jobs):
 * its line, or with table set its table's records.  Returns 0, or -1 when
 * that job is gone. */
int	cmd_watch_lines(struct evbuffer *, const char *name, int table);
/* A job as `stats -j` shows it, one JSON object; the caller holds the
 * job list (the main loop, or job_list_lock()). */
struct job;
void	cmd_stats_json_job(struct evbuffer *, struct job *);
/* For commands that take no arguments at all. */
int	cmd_args_none(struct cmd_ctx *, const struct cmd_entry *, int argc,
	    char **argv);

#endif
