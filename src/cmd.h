/* SPDX-License-Identifier: ISC */
/*
 * The table of commands.  The config file, the control socket and (through
 * the control socket) wsbenchctl all run their commands through cmd_exec(),
 * so every command means the same wherever it is written.
 */
#ifndef CMD_H
#define CMD_H

#include <stddef.h>
#include <stdio.h>

#include "args.h"

struct control_client;
struct evbuffer;

#define CMD_ERR_MAX	512

/* How a command that completes later (wait, run) ended: its output, the
 * series lines asked for (--series), its exit status (0; 1 with err; 2, 3
 * with err, CONTROL_TAG_EXIT) and the text of the last line. */
struct cmd_done {
	struct evbuffer		*out;
	struct evbuffer		*series;
	int			 status;
	char			 err[CMD_ERR_MAX];
};

/* A pending command, kept by its client until poll says it is done. */
struct cmd_pending_ops {
	/* After a job finished or left, on the client's half-close and
	 * each second: 1 once done, with how it ended in done. */
	int	(*poll)(void *, struct cmd_done *);
	/* The client half-closed: stop waiting (Ctrl-C). */
	void	(*interrupt)(void *);
	/* Nanoseconds until it gives up by itself (--timeout), 0 if it
	 * never will or already has: it is polled then, not at the next
	 * second. */
	uint64_t (*left)(void *);
	/* Done and replied, or the client is gone: let go of everything. */
	void	(*free)(void *);
};

struct cmd_ctx {
	struct evbuffer		*out;		/* output lines, or NULL */
	struct control_client	*client;	/* NULL in the config file */
	int			 check;		/* -n: validate only */
	int			 config;	/* a line of the config file */
	int			 json;		/* -j: output JSON */
	int			 readonly;	/* may run CMD_READONLY only */
	/* The command running, and its words, -j taken out (set by
	 * cmd_exec()). */
	const struct cmd_entry	*entry;
	int			 argc;
	char			**argv;
	struct {			/* set by `watch`, for the caller */
		int		 on;
		const char	*name;		/* in argv; NULL: all jobs */
		int		 table;		/* records, not a line */
	} watch;
	struct {			/* set by wait and run */
		const struct cmd_pending_ops *ops;
		void		*arg;
	} pending;
	int			 status;	/* an error's exit status;
						   0: 1 */
	const char		*body;		/* CMD_BODY: its lines */
	size_t			 body_len;
	char			 err[CMD_ERR_MAX];
};

#define CMD_CLIENT_ONLY	0x1	/* makes sense on the control socket only */
#define CMD_READONLY	0x2	/* changes nothing: open to the read group */
#define CMD_STATUS	0x4	/* a wrong command line exits 2, as a CI
				   step's misuse should (wait, run) */
#define CMD_BODY	0x8	/* the request line is followed by a body
				   (control_protocol.h): run's file */

/*
 * A command: its arguments are parsed with args before exec runs, and its
 * usage is made from args.  A command whose first argument names a kind
 * with options of its own (start push ...) has kind: the i-th kind's
 * template, name and one-line description, or NULL past the last; the
 * rest of its words are parsed with that kind's template, and args says
 * only how its usage reads ("KIND [OPTION]...").
 */
struct cmd_entry {
	const char		*name;
	struct args_template	 args;
	const struct args_template *(*kind)(size_t i, const char **name,
				    const char **help);
	const char		*kind_noun;	/* "job kind", in messages */
	int			 flags;
	/* The options (a bit an index in args.opts) that change something:
	 * a CMD_READONLY command the read group may not run with them. */
	unsigned int		 writes;
	int			(*exec)(struct cmd_ctx *, const struct args *);
};

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
/* The i-th command of the table, or NULL past the last. */
const struct cmd_entry *cmd_entry_at(size_t i);
/* The command named name, or NULL. */
const struct cmd_entry *cmd_entry_find(const char *name);
/* The usage of e, with its name: "stats [-j] [NAME]". */
void	cmd_usage(const struct cmd_entry *e, char *out, size_t cap);
/*
 * Parses a command's words (argv[0] is its name, e's) as cmd_exec() does
 * before running it, so that whoever reads a command line (reload, for
 * start's --name) reads it as it runs.  Returns 0, or -1 with a message.
 */
int	cmd_args(const struct cmd_entry *e, int argc, char **argv,
	    struct args *a, char *err, size_t errlen);
/* Prints the words of the tables as shell assignments, for the bash
 * completion of wsbenchctl (wsbenchd -W). */
void	cmd_words(FILE *);
/* Appends what `watch` sends each second for job name (NULL: all jobs):
 * its line, or with table set its table's records.  Returns 0, or -1 when
 * that job is gone. */
int	cmd_watch_lines(struct evbuffer *, const char *name, int table);
/* A job as `stats -j` shows it, one JSON object, or as `stats NAME`
 * shows it, its "key value" lines; the caller holds the job list (the
 * main loop, or job_list_lock()). */
struct job;
void	cmd_stats_json_job(struct evbuffer *, struct job *);
void	cmd_stats_text_job(struct evbuffer *, struct job *);

#endif
