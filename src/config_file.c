/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd_parse.h"
#include "config_file.h"
#include "log.h"

int
config_file_run(int argc, char **argv, int check, char *err, size_t errlen)
{
	struct cmd_ctx	ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.check = check;
	ctx.config = 1;
	if (cmd_exec(&ctx, argc, argv) == -1) {
		snprintf(err, errlen, "%s", ctx.err);
		return -1;
	}
	return 0;
}

static int
config_file_run_each(void *arg, unsigned int lineno, int argc, char **argv,
    char *err, size_t errlen)
{
	const int	*check = arg;

	(void)lineno;
	return config_file_run(argc, argv, *check, err, errlen);
}

int
config_file_load(const char *path, int check)
{
	return config_file_each(path, config_file_run_each, &check, NULL, 0);
}

/*
 * A line of len bytes, its newline included.  One holding a NUL or another
 * control character is refused, as a control request is: the parser would
 * end the line at a NUL and say nothing of what follows.
 */
static int
config_file_line(const char *path, unsigned int lineno, const char *line,
    size_t len, int quiet, config_file_fn fn, void *arg, char *first,
    size_t firstlen)
{
	const char	 *perr;
	char		  err[CMD_ERR_MAX];
	char		**argv;
	int		  argc, rc = 0;

	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (!cmd_line_is_text(line, len)) {
		snprintf(err, sizeof(err), "line is not text (a NUL or a "
		    "control character)");
		rc = -1;
	} else if (cmd_parse_line(line, &argc, &argv, &perr) == -1) {
		snprintf(err, sizeof(err), "%s", perr);
		rc = -1;
	} else {
		if (argc > 0)
			rc = fn(arg, lineno, argc, argv, err, sizeof(err));
		cmd_free_argv(argc, argv);
	}
	if (rc == -1) {
		if (!quiet)
			log_warnx("%s:%u: %s", path, lineno, err);
		if (first != NULL && first[0] == '\0')
			snprintf(first, firstlen, "%s:%u: %s", path, lineno,
			    err);
	}
	return rc;
}

/* The lines of f, named path in messages. */
static int
config_file_walk(FILE *f, const char *path, int quiet, config_file_fn fn,
    void *arg, char *first, size_t firstlen)
{
	char		*line = NULL;
	size_t		 cap = 0;
	ssize_t		 len;
	unsigned int	 lineno = 0;
	int		 errors = 0, saved;

	while ((len = getline(&line, &cap, f)) != -1) {
		lineno++;
		if (config_file_line(path, lineno, line, (size_t)len, quiet,
		    fn, arg, first, firstlen) == -1)
			errors++;
	}
	/* A directory opens, and fails at the first read. */
	if (ferror(f)) {
		saved = errno;
		if (!quiet)
			log_warn("cannot read %s", path);
		if (first != NULL && first[0] == '\0')
			snprintf(first, firstlen, "cannot read %s: %s", path,
			    strerror(saved));
		errors++;
	}
	free(line);
	fclose(f);
	return errors;
}

int
config_file_each(const char *path, config_file_fn fn, void *arg,
    char *first, size_t firstlen)
{
	FILE	*f;

	if (first != NULL && firstlen > 0)
		first[0] = '\0';
	if ((f = fopen(path, "r")) == NULL) {
		log_warn("cannot read %s", path);
		if (first != NULL)
			snprintf(first, firstlen, "cannot read %s: %s", path,
			    strerror(errno));
		return -1;
	}
	return config_file_walk(f, path, 0, fn, arg, first, firstlen);
}

int
config_file_each_text(const char *name, const char *text, size_t len,
    config_file_fn fn, void *arg, char *first, size_t firstlen)
{
	FILE	*f;

	first[0] = '\0';
	/* An empty text is no file: fmemopen() would refuse its size. */
	if (len == 0)
		return 0;
	if ((f = fmemopen((void *)(uintptr_t)text, len, "r")) == NULL) {
		snprintf(first, firstlen, "%s: out of memory", name);
		return -1;
	}
	return config_file_walk(f, name, 1, fn, arg, first, firstlen);
}
