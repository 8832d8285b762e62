/* SPDX-License-Identifier: ISC */
/*
 * HTTP header values, lexed.  Quoted strings are taken as RFC 7230 writes
 * them, but what they may hold is left to the caller: the handshake has
 * refused control characters in the whole line already.
 */
#include "config.h"

#include <string.h>

#include "ws_http_lex.h"

void
ws_lex_init(struct ws_lex *l, const char *v, size_t n)
{
	l->p = v;
	l->end = v + n;
}

int
ws_lex_is_tchar(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') ||
	    (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static int
lex_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

int
ws_lex_ieq(const char *t, size_t n, const char *s)
{
	size_t	i;

	if (strlen(s) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (lex_lower((unsigned char)t[i]) !=
		    lex_lower((unsigned char)s[i]))
			return 0;
	return 1;
}

static int
lex_is_ows(int c)
{
	return c == ' ' || c == '\t';
}

void
ws_lex_trim(const char **p, size_t *n)
{
	while (*n > 0 && lex_is_ows(**p)) {
		(*p)++;
		(*n)--;
	}
	while (*n > 0 && lex_is_ows((*p)[*n - 1]))
		(*n)--;
}

/* Skips optional whitespace. */
static void
ws_lex_ows(struct ws_lex *l)
{
	while (l->p < l->end && lex_is_ows(*l->p))
		l->p++;
}

int
ws_lex_take(struct ws_lex *l, int c)
{
	ws_lex_ows(l);
	if (l->p < l->end && *l->p == c) {
		l->p++;
		return 1;
	}
	return 0;
}

int
ws_lex_token(struct ws_lex *l, const char **t, size_t *n)
{
	ws_lex_ows(l);
	*t = l->p;
	while (l->p < l->end && ws_lex_is_tchar((unsigned char)*l->p))
		l->p++;
	*n = (size_t)(l->p - *t);
	return *n > 0 ? 0 : -1;
}

/* The rest of a quoted string whose opening quote was taken. */
static int
lex_quoted(struct ws_lex *l, char *buf, size_t cap)
{
	size_t	n = 0;

	for (; l->p < l->end && *l->p != '"'; l->p++) {
		if (*l->p == '\\' && ++l->p == l->end)
			return -1;
		if (n + 1 >= cap)
			return -1;
		buf[n++] = *l->p;
	}
	if (l->p == l->end)
		return -1;
	l->p++;
	buf[n] = '\0';
	return 0;
}

int
ws_lex_value(struct ws_lex *l, char *buf, size_t cap)
{
	const char	*t;
	size_t		 n;

	if (ws_lex_take(l, '"'))
		return lex_quoted(l, buf, cap);
	if (ws_lex_token(l, &t, &n) == -1 || n >= cap)
		return -1;
	memcpy(buf, t, n);
	buf[n] = '\0';
	return 0;
}

int
ws_lex_param(struct ws_lex *l, const char **name, size_t *nlen, char *buf,
    size_t cap, const char **value)
{
	if (!ws_lex_take(l, ';'))
		return 0;
	if (ws_lex_token(l, name, nlen) == -1)
		return -1;
	*value = NULL;
	if (ws_lex_take(l, '=')) {
		if (ws_lex_value(l, buf, cap) == -1)
			return -1;
		*value = buf;
	}
	return 1;
}

int
ws_lex_element_end(struct ws_lex *l)
{
	ws_lex_ows(l);
	return l->p == l->end || *l->p == ',';
}

int
ws_lex_next(struct ws_lex *l)
{
	int	quoted = 0;

	for (; l->p < l->end; l->p++) {
		if (quoted && *l->p == '\\' && l->p + 1 < l->end)
			l->p++;
		else if (*l->p == '"')
			quoted = !quoted;
		else if (!quoted && *l->p == ',')
			break;
	}
	return ws_lex_take(l, ',');
}

int
ws_lex_list_has(const char *v, size_t n, const char *token)
{
	struct ws_lex	 l;
	const char	*t;
	size_t		 tn;

	ws_lex_init(&l, v, n);
	do {
		if (ws_lex_token(&l, &t, &tn) == 0 && ws_lex_element_end(&l) &&
		    ws_lex_ieq(t, tn, token))
			return 1;
	} while (ws_lex_next(&l));
	return 0;
}
