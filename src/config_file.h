/* SPDX-License-Identifier: ISC */
/* The config file: a list of commands, one a line, run through cmd_exec(). */
#ifndef CONFIG_FILE_H
#define CONFIG_FILE_H

/*
 * Runs every command of the file at path (with check set, only validates
 * them).  Each error is logged as "path:line: message".  Returns the
 * number of errors, or -1 when the file cannot be read.
 */
int	config_file_load(const char *path, int check);

/*
 * Runs one command as a line of the config file does (with check set,
 * only validates it).  Returns 0, or -1 with the message in err.
 */
int	config_file_run(int argc, char **argv, int check, char *err,
	    size_t errlen);

/* Called for a line numbered lineno; returns 0, or -1 with a message. */
typedef int (*config_file_fn)(void *arg, unsigned int lineno, int argc,
	    char **argv, char *err, size_t errlen);

/*
 * Calls fn for each line of the file with its argv (blank and comment
 * lines skipped).  A line that is not text or does not parse, or for
 * which fn returns -1, is logged as "path:line: message" (fn's message in
 * err) and counted, as is a failed read.  Returns the number of errors,
 * or -1 when the file cannot be opened; the text of the first error goes
 * to first (may be NULL).
 */
int	config_file_each(const char *path, config_file_fn fn, void *arg,
	    char *first, size_t firstlen);
/* The same over the text of len bytes named name (a run's file, sent by
 * wsbenchctl), logging nothing: its errors are the client's.  first is
 * required. */
int	config_file_each_text(const char *name, const char *text, size_t len,
	    config_file_fn fn, void *arg, char *first, size_t firstlen);

#endif
