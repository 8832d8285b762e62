/* SPDX-License-Identifier: ISC */
/*
 * The one command grammar: a config file line, a control-socket request and
 * a wsbenchctl command line all become an argv through these functions.
 * Words are split on blanks; 'single quotes' take everything literally;
 * "double quotes" and bare words take a backslash escape; an unquoted # at
 * the start of a word begins a comment that runs to the end of the line.
 */
#ifndef CMD_PARSE_H
#define CMD_PARSE_H

#include <stddef.h>

#define CMD_ARGS_MAX	64	/* most words in one command */
#define CMD_LINE_MAX	8192	/* longest command line */

/*
 * Splits line (ending at its NUL or first newline) into *argc words in a
 * freshly allocated *argv (NULL-terminated; free with cmd_free_argv()).  A
 * blank or comment-only line gives *argc == 0.  Returns 0, or -1 with a
 * static message in *err (unterminated quote, trailing backslash, too many
 * words, out of memory).
 */
int	cmd_parse_line(const char *line, int *argc, char ***argv,
	    const char **err);
void	cmd_free_argv(int argc, char **argv);

/*
 * True when the len bytes of line (its newline left out) are text: no NUL
 * and no control character but a tab, and a carriage return only as the
 * last byte, of a CRLF.  A config line and a control request must be.
 */
int	cmd_line_is_text(const char *line, size_t len);

/*
 * Joins argv into one line (no newline) that cmd_parse_line() splits back
 * into the same words, quoting where needed.  Returns the length written,
 * or -1 if it does not fit in cap bytes with its NUL.
 */
int	cmd_quote_argv(int argc, char *const argv[], char *out, size_t cap);
/* The same line in a buffer of its size (free it), so that any line of
 * text that splits can be joined back; NULL with a newline or no memory. */
char	*cmd_quote_argv_dup(int argc, char *const argv[]);

#endif
