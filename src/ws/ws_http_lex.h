/* SPDX-License-Identifier: ISC */
/*
 * The pieces HTTP header values are made of (RFC 7230 sections 3.2.3,
 * 3.2.6 and 7), for every header the handshake and permessage-deflate
 * read: optional whitespace, tokens, quoted strings, comma lists of
 * elements and their "; name[=value]" parameters.  A lexer is a position
 * in a value that moves forward; values are not NUL-terminated.
 */
#ifndef WS_HTTP_LEX_H
#define WS_HTTP_LEX_H

#include <stddef.h>

struct ws_lex {
	const char	*p;
	const char	*end;
};

void	ws_lex_init(struct ws_lex *, const char *v, size_t n);

/* RFC 7230 tchar: what tokens and header names are made of. */
int	ws_lex_is_tchar(int c);
/* Whether t[0..n) is s, ignoring ASCII case only (no locale). */
int	ws_lex_ieq(const char *t, size_t n, const char *s);
/* Takes optional whitespace (SP and HTAB) off both ends of *p[0..*n). */
void	ws_lex_trim(const char **p, size_t *n);

/* After optional whitespace, takes c if it comes next.  Returns 1 or 0. */
int	ws_lex_take(struct ws_lex *, int c);
/* After optional whitespace, a token in *t, *n.  Returns 0, or -1 when
 * none is there. */
int	ws_lex_token(struct ws_lex *, const char **t, size_t *n);
/*
 * After optional whitespace, a token or a quoted string, unquoted into
 * buf[0..cap) and NUL-terminated.  Returns 0, or -1 when it is malformed
 * or does not fit.
 */
int	ws_lex_value(struct ws_lex *, char *buf, size_t cap);
/*
 * The next "; name[=value]" parameter of an element: its name in *name,
 * *nlen, and *value pointing at the value unquoted into buf[0..cap), or
 * NULL when it has none.  Returns 1, 0 when no ';' comes next, or -1 when
 * the parameter is malformed.
 */
int	ws_lex_param(struct ws_lex *, const char **name, size_t *nlen,
	    char *buf, size_t cap, const char **value);
/* After optional whitespace, whether the element ends here: at a comma or
 * at the end of the value. */
int	ws_lex_element_end(struct ws_lex *);
/*
 * Skips what is left of the element (commas in quoted strings included)
 * and the comma after it.  Returns 1 when another element follows, 0 at
 * the end of the value.
 */
int	ws_lex_next(struct ws_lex *);
/* Whether the comma list v[0..n) has an element that is token alone, in
 * any case. */
int	ws_lex_list_has(const char *v, size_t n, const char *token);

#endif
