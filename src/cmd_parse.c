/* SPDX-License-Identifier: ISC */
/*
 * The command grammar shared by the config file, the control socket and
 * wsbenchctl: a small, predictable subset of sh(1) word splitting.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_parse.h"

#define CMD_BLANKS	" \t"

/* Characters that never need quoting, in any position of a word. */
#define CMD_SAFE	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
			"0123456789_./:=,@%+-"

/* Where output goes in cmd_quote_argv(); len keeps counting past cap. */
struct cmd_out {
	char	*buf;
	size_t	 cap;
	size_t	 len;
};

/*
 * 'literal': copies up to the closing quote.  *pp is on the opening quote.
 */
static int
cmd_squote(const char **pp, const char *end, char **wp, const char **err)
{
	const char	*p = *pp + 1, *q;

	if ((q = memchr(p, '\'', (size_t)(end - p))) == NULL) {
		*err = "unterminated quote";
		return -1;
	}
	memcpy(*wp, p, (size_t)(q - p));
	*wp += q - p;
	*pp = q + 1;
	return 0;
}

/*
 * "text": as in sh(1), a backslash only escapes the characters that would
 * otherwise end or alter the quoted text; before anything else it stays.
 */
static int
cmd_dquote(const char **pp, const char *end, char **wp, const char **err)
{
	const char	*p = *pp + 1;
	char		*w = *wp;

	for (; p < end && *p != '"'; p++) {
		if (*p == '\\' && p + 1 < end && strchr("\"\\$", p[1]) != NULL)
			p++;
		*w++ = *p;
	}
	if (p == end) {
		*err = "unterminated quote";
		return -1;
	}
	*wp = w;
	*pp = p + 1;
	return 0;
}

/*
 * Copies the word at *pp into w, joining its quoted and bare parts, and
 * leaves *pp after it.  The word never comes out longer than its source.
 */
static int
cmd_word(const char **pp, const char *end, char *w, const char **err)
{
	const char	*p = *pp;

	/* Before end no byte is NUL, which strchr() would find in any set. */
	while (p < end && strchr(CMD_BLANKS, *p) == NULL) {
		switch (*p) {
		case '\'':
			if (cmd_squote(&p, end, &w, err) == -1)
				return -1;
			break;
		case '"':
			if (cmd_dquote(&p, end, &w, err) == -1)
				return -1;
			break;
		case '\\':
			if (p + 1 == end) {
				*err = "trailing backslash";
				return -1;
			}
			*w++ = p[1];
			p += 2;
			break;
		default:
			*w++ = *p++;
		}
	}
	*w = '\0';
	*pp = p;
	return 0;
}

/*
 * The end of the line's text: its NUL or first newline, less one '\r' just
 * before it, so that CRLF lines from a socket or an editor split the same.
 */
static const char *
cmd_line_end(const char *line)
{
	size_t	len = strcspn(line, "\n");

	if (len > 0 && line[len - 1] == '\r')
		len--;
	return line + len;
}

int
cmd_parse_line(const char *line, int *argc, char ***argv, const char **err)
{
	const char	*p = line, *end = cmd_line_end(line);
	char		*scratch, **v;
	int		 n = 0;

	*argc = 0;
	*argv = NULL;
	/* Any word fits in the scratch buffer: quoting only ever shrinks. */
	scratch = malloc((size_t)(end - line) + 1);
	v = calloc(CMD_ARGS_MAX + 1, sizeof(*v));
	if (scratch == NULL || v == NULL) {
		*err = "out of memory";
		goto fail;
	}
	for (;;) {
		while (p < end && strchr(CMD_BLANKS, *p) != NULL)
			p++;
		if (p == end || *p == '#')
			break;
		if (n == CMD_ARGS_MAX) {
			*err = "too many words";
			goto fail;
		}
		if (cmd_word(&p, end, scratch, err) == -1)
			goto fail;
		if ((v[n] = strdup(scratch)) == NULL) {
			*err = "out of memory";
			goto fail;
		}
		n++;
	}
	free(scratch);
	*argc = n;
	*argv = v;
	return 0;
fail:
	free(scratch);
	cmd_free_argv(n, v);
	return -1;
}

int
cmd_line_is_text(const char *line, size_t len)
{
	size_t	i;

	/* A lone CR would be taken for a line end by some, not by others. */
	for (i = 0; i < len; i++)
		if (((unsigned char)line[i] < ' ' && line[i] != '\t' &&
		    (line[i] != '\r' || i + 1 != len)) || line[i] == 0x7f)
			return 0;
	return 1;
}

void
cmd_free_argv(int argc, char **argv)
{
	int	i;

	if (argv == NULL)
		return;
	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

static void
cmd_putc(struct cmd_out *o, char c)
{
	if (o->len < o->cap)
		o->buf[o->len] = c;
	o->len++;
}

static void
cmd_puts(struct cmd_out *o, const char *s)
{
	while (*s != '\0')
		cmd_putc(o, *s++);
}

/*
 * Single quotes keep everything literal but themselves, so an embedded
 * quote closes the quoting, is escaped bare, and reopens it.
 */
static void
cmd_quote_word(struct cmd_out *o, const char *w)
{
	if (*w != '\0' && strspn(w, CMD_SAFE) == strlen(w)) {
		cmd_puts(o, w);
		return;
	}
	cmd_putc(o, '\'');
	for (; *w != '\0'; w++) {
		if (*w == '\'')
			cmd_puts(o, "'\\''");
		else
			cmd_putc(o, *w);
	}
	cmd_putc(o, '\'');
}

/*
 * A word holding '\n' or '\r' is refused (-1): the parser ends a line at a
 * newline, and drops a '\r' before it, whatever the quoting.
 */
static int
cmd_quote_out(struct cmd_out *o, int argc, char *const argv[])
{
	int	i;

	for (i = 0; i < argc; i++) {
		if (strpbrk(argv[i], "\n\r") != NULL)
			return -1;
		if (i > 0)
			cmd_putc(o, ' ');
		cmd_quote_word(o, argv[i]);
	}
	return 0;
}

int
cmd_quote_argv(int argc, char *const argv[], char *out, size_t cap)
{
	struct cmd_out	 o = { out, cap, 0 };

	if (cmd_quote_out(&o, argc, argv) == -1 || o.len >= cap ||
	    o.len > INT_MAX) {
		if (cap > 0)
			out[0] = '\0';
		return -1;
	}
	out[o.len] = '\0';
	return (int)o.len;
}

/* Measured first: cmd_out counts on past its cap, here 0. */
char *
cmd_quote_argv_dup(int argc, char *const argv[])
{
	struct cmd_out	 o = { NULL, 0, 0 };

	if (cmd_quote_out(&o, argc, argv) == -1 ||
	    (o.buf = malloc(o.len + 1)) == NULL)
		return NULL;
	o.cap = o.len + 1;
	o.len = 0;
	cmd_quote_out(&o, argc, argv);
	o.buf[o.len] = '\0';
	return o.buf;
}
