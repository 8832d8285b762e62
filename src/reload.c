/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "cmd_parse.h"
#include "config_file.h"
#include "job.h"
#include "log.h"
#include "reload.h"
#include "sd_notify.h"
#include "settings.h"

#define RELOAD_LINES_MAX	1024

/* A start line of the file, in one spelling (cmd_quote_argv_dup()), the
 * --name it gives, or NULL when the job is named for it, and where it
 * stands in the file. */
struct reload_line {
	char		*text;
	char		*name;
	unsigned int	 lineno;
};

/* What became of the lines started, for the reply. */
struct reload_count {
	int	started;
	int	failed;
	char	first[CMD_ERR_MAX];	/* the first failure */
};

struct reload_lines {
	struct reload_line	line[RELOAD_LINES_MAX];
	int			n;
};

static char		*reload_path;
static int		 reload_given;
/* Lines waiting for the name a stopping job still holds. */
static struct reload_lines	pending;

void
reload_set_path(const char *path, int given)
{
	free(reload_path);
	if ((reload_path = strdup(path)) == NULL)
		fatal("%s: strdup", __func__);
	reload_given = given;
}

static void
reload_line_free(struct reload_line *l)
{
	free(l->text);
	free(l->name);
}

/* Drops line i, moving the last one into its place. */
static void
reload_lines_drop(struct reload_lines *rl, int i)
{
	reload_line_free(&rl->line[i]);
	rl->line[i] = rl->line[--rl->n];
}

static void
reload_lines_clear(struct reload_lines *rl)
{
	while (rl->n > 0)
		reload_line_free(&rl->line[--rl->n]);
}

/* The --name of a start command's argv, or NULL: read by the parser
 * start runs with, so that both agree whatever the other options say. */
static const char *
reload_argv_name(int argc, char **argv)
{
	struct args	a;
	char		err[CMD_ERR_MAX];

	if (cmd_args(cmd_entry_find("start"), argc, argv, &a, err, sizeof(err)) == -1)
		return NULL;
	return a.value[JOB_OPT_NAME];
}

/* Checks a line as `wsbenchd -n` does and keeps it if it starts a job. */
static int
reload_collect(void *arg, unsigned int lineno, int argc, char **argv,
    char *err, size_t errlen)
{
	struct reload_lines	*rl = arg;
	struct reload_line	*l;
	const char		*name;

	if (config_file_run(argc, argv, 1, err, errlen) == -1)
		return -1;
	if (strcmp(argv[0], "start") != 0)
		return 0;
	if (rl->n == RELOAD_LINES_MAX) {
		snprintf(err, errlen, "more than %d start lines",
		    RELOAD_LINES_MAX);
		return -1;
	}
	l = &rl->line[rl->n];
	memset(l, 0, sizeof(*l));
	l->lineno = lineno;
	name = reload_argv_name(argc, argv);
	/* Spelt as start spells the job's line (cmd_start.c). */
	if ((l->text = cmd_quote_argv_dup(argc, argv)) == NULL ||
	    (name != NULL && (l->name = strdup(name)) == NULL)) {
		reload_line_free(l);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rl->n++;
	return 0;
}

/* Runs a start line as the config file would; counts it in c. */
static void
reload_start(const struct reload_line *l, struct reload_count *c)
{
	const char	 *perr;
	char		  err[CMD_ERR_MAX / 2];	/* with room for FILE:LINE */
	char		**argv;
	int		  argc, rc;

	/* The text was joined from words, and splits back into them. */
	if ((rc = cmd_parse_line(l->text, &argc, &argv, &perr)) == -1)
		snprintf(err, sizeof(err), "%s", perr);
	else {
		rc = config_file_run(argc, argv, 0, err, sizeof(err));
		cmd_free_argv(argc, argv);
	}
	if (rc == 0) {
		c->started++;
		return;
	}
	log_warnx("reload: %s:%u: %s", reload_path, l->lineno, err);
	if (c->failed++ == 0)
		snprintf(c->first, sizeof(c->first), "%s:%u: %s", reload_path,
		    l->lineno, err);
}

/* Starts the waiting lines whose names are free. */
static void
reload_start_free(struct reload_count *c)
{
	int	i = 0;

	while (i < pending.n) {
		if (pending.line[i].name != NULL &&
		    job_find(pending.line[i].name) != NULL) {
			i++;
			continue;
		}
		reload_start(&pending.line[i], c);
		reload_lines_drop(&pending, i);
	}
}

/* Takes out the line a running job was started with; whether there was
 * one. */
static int
reload_take(struct reload_lines *rl, const char *text)
{
	int	i;

	for (i = 0; i < rl->n; i++)
		if (strcmp(rl->line[i].text, text) == 0) {
			reload_lines_drop(rl, i);
			return 1;
		}
	return 0;
}

/* A name the file gives twice, or that a job outside the file holds:
 * either would keep a line waiting for its name for ever. */
static int
reload_name_clash(const struct reload_lines *rl, char *msg, size_t msglen)
{
	const char	*name;
	struct job	*j;
	int		 i, k;

	for (i = 0; i < rl->n; i++) {
		if ((name = rl->line[i].name) == NULL)
			continue;
		for (k = 0; k < i; k++)
			if (rl->line[k].name != NULL &&
			    strcmp(name, rl->line[k].name) == 0) {
				snprintf(msg, msglen, "%s: two jobs named '%s'",
				    reload_path, name);
				return -1;
			}
		if ((j = job_find(name)) != NULL && j->config_line == NULL) {
			snprintf(msg, msglen, "%s: job '%s' exists and is not "
			    "the file's", reload_path, name);
			return -1;
		}
	}
	return 0;
}

/* Stops the file's jobs whose line is gone; returns how many. */
static int
reload_stop_gone(struct reload_lines *rl, int *kept)
{
	struct job	*j, *next;
	int		 stopped = 0;

	for (j = TAILQ_FIRST(job_list()); j != NULL; j = next) {
		next = TAILQ_NEXT(j, entry);
		/* A finished job is kept or removed as a running one. */
		if (j->config_line == NULL ||
		    atomic_load(&j->state) == JOB_STOPPING)
			continue;
		if (reload_take(rl, j->config_line)) {
			(*kept)++;
			continue;
		}
		job_stop(j);
		stopped++;
	}
	return stopped;
}

/*
 * Reads and checks the file whole, then applies it; rl is then empty.
 * A line waiting for its name counts as started: it starts as soon as the
 * name is free, and only the log tells if that fails.
 */
static int
reload_apply(struct reload_lines *rl, char *msg, size_t msglen)
{
	struct reload_count	c;
	int			kept = 0, stopped, n;

	settings_stage_reset();
	if (!reload_given && access(reload_path, F_OK) == -1 &&
	    errno == ENOENT)
		log_info("reload: no %s, as if empty", reload_path);
	else if (config_file_each(reload_path, reload_collect, rl, msg,
	    msglen) != 0) {
		reload_lines_clear(rl);
		return -1;
	}
	if (reload_name_clash(rl, msg, msglen) == -1) {
		reload_lines_clear(rl);
		return -1;
	}
	settings_commit(0);
	reload_lines_clear(&pending);
	stopped = reload_stop_gone(rl, &kept);
	pending = *rl;
	rl->n = 0;
	memset(&c, 0, sizeof(c));
	reload_start_free(&c);
	n = snprintf(msg, msglen, "reloaded %s: %d kept, %d stopped, "
	    "%d started", reload_path, kept, stopped, c.started + pending.n);
	if (c.failed > 0 && n >= 0 && (size_t)n < msglen)
		snprintf(msg + n, msglen - (size_t)n, ", %d failed: %s",
		    c.failed, c.first);
	log_info("%s", msg);
	return c.failed > 0;
}

int
reload_run(char *msg, size_t msglen)
{
	static struct reload_lines	rl;
	int				rc;

	sd_notify_send("RELOADING=1");
	rc = reload_apply(&rl, msg, msglen);
	sd_notify_send("READY=1");
	return rc;
}

void
reload_tick(void)
{
	struct reload_count	c;

	/* Failures are logged; the reply has gone long ago. */
	memset(&c, 0, sizeof(c));
	reload_start_free(&c);
}
