/* SPDX-License-Identifier: ISC */
/*
 * The permessage-deflate negotiation.  The header grammar is RFC 6455
 * section 9.1: a comma list of elements, each a token then "; name[=value]"
 * parameters, values tokens or quoted strings.  The parameter rules are
 * RFC 7692 section 7.1.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ws_deflate.h"

#define DFL_VALUE_MAX	16	/* longer values are never valid */

/* A position in a header value. */
struct dfl_lex {
	const char	*p;
	const char	*end;
};

static int
dfl_is_tchar(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') ||
	    (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static void
dfl_ows(struct dfl_lex *l)
{
	while (l->p < l->end && (*l->p == ' ' || *l->p == '\t'))
		l->p++;
}

/* Takes the next character if it is c, after optional whitespace. */
static int
dfl_take(struct dfl_lex *l, int c)
{
	dfl_ows(l);
	if (l->p < l->end && *l->p == c) {
		l->p++;
		return 1;
	}
	return 0;
}

static int
dfl_token(struct dfl_lex *l, const char **t, size_t *n)
{
	dfl_ows(l);
	*t = l->p;
	while (l->p < l->end && dfl_is_tchar((unsigned char)*l->p))
		l->p++;
	*n = (size_t)(l->p - *t);
	return *n > 0 ? 0 : -1;
}

/* A token or a quoted string, unquoted into buf (NUL-terminated). */
static int
dfl_value(struct dfl_lex *l, char *buf, size_t cap)
{
	const char	*t;
	size_t		 n = 0;

	dfl_ows(l);
	if (l->p < l->end && *l->p == '"') {
		for (l->p++; l->p < l->end && *l->p != '"'; l->p++) {
			if (*l->p == '\\' && ++l->p == l->end)
				return -1;
			if (n + 1 >= cap)
				return -1;
			buf[n++] = *l->p;
		}
		if (l->p == l->end)
			return -1;
		l->p++;
	} else {
		if (dfl_token(l, &t, &n) == -1 || n >= cap)
			return -1;
		memcpy(buf, t, n);
	}
	buf[n] = '\0';
	return 0;
}

/* Skips the rest of an element we do not take, up to its comma. */
static void
dfl_skip_element(struct dfl_lex *l)
{
	int	quoted = 0;

	for (; l->p < l->end; l->p++) {
		if (quoted && *l->p == '\\' && l->p + 1 < l->end)
			l->p++;
		else if (*l->p == '"')
			quoted = !quoted;
		else if (!quoted && *l->p == ',')
			return;
	}
}

/* 8 to 15 in decimal, no leading zero (RFC 7692 section 7.1.2). */
static int
dfl_bits(const char *v)
{
	if (v[0] < '1' || v[0] > '9')
		return -1;
	if (v[1] == '\0')
		return v[0] >= '8' ? v[0] - '0' : -1;
	if (v[0] == '1' && v[1] >= '0' && v[1] <= '5' && v[2] == '\0')
		return 10 + v[1] - '0';
	return -1;
}

static int
dfl_fail(const char **reason, const char *why)
{
	if (reason != NULL)
		*reason = why;
	return -1;
}

static int
dfl_name_is(const char *t, size_t n, const char *s)
{
	return strlen(s) == n && strncasecmp(t, s, n) == 0;
}

/*
 * One parameter: name, and value (NULL if none).  offer: a value may be
 * left off client_max_window_bits.
 */
static int
dfl_param(struct ws_deflate_params *p, const char *name, size_t nlen,
    const char *value, int offer, const char **reason)
{
	int	*flag = NULL, *bits = NULL;

	if (dfl_name_is(name, nlen, "server_no_context_takeover"))
		flag = &p->server_no_context_takeover;
	else if (dfl_name_is(name, nlen, "client_no_context_takeover"))
		flag = &p->client_no_context_takeover;
	else if (dfl_name_is(name, nlen, "server_max_window_bits"))
		bits = &p->server_max_window_bits;
	else if (dfl_name_is(name, nlen, "client_max_window_bits"))
		bits = &p->client_max_window_bits;
	else
		return dfl_fail(reason, "unknown permessage-deflate parameter");
	if ((flag != NULL && *flag) || (bits != NULL && *bits != 0))
		return dfl_fail(reason, "repeated permessage-deflate "
		    "parameter");
	if (flag != NULL) {
		if (value != NULL)
			return dfl_fail(reason, "a value on a "
			    "no_context_takeover parameter");
		*flag = 1;
	} else if (value == NULL) {
		if (!offer || bits != &p->client_max_window_bits)
			return dfl_fail(reason, "max_window_bits without a "
			    "value");
		*bits = WS_DEFLATE_NO_VALUE;
	} else if ((*bits = dfl_bits(value)) == -1)
		return dfl_fail(reason, "max_window_bits not 8 to 15");
	return 0;
}

/*
 * The parameters of an element whose name has been read, up to the comma
 * or the end.
 */
static int
dfl_params(struct dfl_lex *l, struct ws_deflate_params *p, int offer,
    const char **reason)
{
	char		 value[DFL_VALUE_MAX];
	const char	*name;
	size_t		 nlen;
	int		 has_value;

	memset(p, 0, sizeof(*p));
	p->on = 1;
	while (dfl_take(l, ';')) {
		if (dfl_token(l, &name, &nlen) == -1 ||
		    ((has_value = dfl_take(l, '=')) &&
		    dfl_value(l, value, sizeof(value)) == -1))
			return dfl_fail(reason, "malformed extension "
			    "parameter");
		if (dfl_param(p, name, nlen, has_value ? value : NULL, offer,
		    reason) == -1)
			return -1;
	}
	dfl_ows(l);
	if (l->p < l->end && *l->p != ',')
		return dfl_fail(reason, "malformed extension element");
	return 0;
}

int
ws_deflate_offer_parse(const char *s, struct ws_deflate_params *p,
    const char **reason)
{
	char		buf[WS_DEFLATE_PARAMS_MAX];
	struct dfl_lex	l;
	int		n;

	/* Read as the element a client sends, which starts with ';'. */
	n = snprintf(buf, sizeof(buf), "%s%s", *s != '\0' ? ";" : "", s);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return dfl_fail(reason, "too long");
	l.p = buf;
	l.end = buf + n;
	if (dfl_params(&l, p, 1, reason) == -1)
		return -1;
	if (l.p != l.end)
		return dfl_fail(reason, "a comma in the parameters");
	return 0;
}

static void
dfl_append(char *out, size_t cap, size_t *off, const char *name, int bits)
{
	int	n;

	if (*off >= cap)
		return;
	if (bits > 0)
		n = snprintf(out + *off, cap - *off, "; %s=%d", name, bits);
	else
		n = snprintf(out + *off, cap - *off, "; %s", name);
	*off = n < 0 ? cap : *off + (size_t)n;
}

size_t
ws_deflate_format(char *out, size_t cap, const struct ws_deflate_params *p)
{
	size_t	off;
	int	n;

	n = snprintf(out, cap, "%s", WS_DEFLATE_NAME);
	if (n < 0 || (size_t)n >= cap)
		return 0;
	off = (size_t)n;
	if (p->server_no_context_takeover)
		dfl_append(out, cap, &off, "server_no_context_takeover", 0);
	if (p->client_no_context_takeover)
		dfl_append(out, cap, &off, "client_no_context_takeover", 0);
	if (p->server_max_window_bits != 0)
		dfl_append(out, cap, &off, "server_max_window_bits",
		    p->server_max_window_bits);
	if (p->client_max_window_bits != 0)
		dfl_append(out, cap, &off, "client_max_window_bits",
		    p->client_max_window_bits);
	return off < cap ? off : 0;
}

/*
 * The answer to an offer, or -1 to decline it.  We honour what the client
 * asks of our compressor; of its own window we say nothing unless it named
 * a size, since we inflate with the largest window anyway.
 */
static int
dfl_answer(const struct ws_deflate_params *o, struct ws_deflate_params *a)
{
	/* zlib's raw deflate has no 8-bit window: a limit of 8 would
	 * silently become 9, which the client did not allow. */
	if (o->server_max_window_bits == 8)
		return -1;
	*a = *o;
	if (a->client_max_window_bits == WS_DEFLATE_NO_VALUE)
		a->client_max_window_bits = 0;
	return 0;
}

int
ws_deflate_accept(const char *v, size_t n, struct ws_deflate_params *agreed)
{
	struct ws_deflate_params	 o;
	struct dfl_lex			 l = { v, v + n };
	const char			*name;
	size_t				 nlen;

	do {
		if (dfl_token(&l, &name, &nlen) == 0 &&
		    dfl_name_is(name, nlen, WS_DEFLATE_NAME) &&
		    dfl_params(&l, &o, 1, NULL) == 0 &&
		    dfl_answer(&o, agreed) == 0)
			return 1;
		dfl_skip_element(&l);
	} while (dfl_take(&l, ','));
	return 0;
}

/* What the answer may say, given the offer (RFC 7692 section 7.1). */
static int
dfl_answer_allowed(const struct ws_deflate_params *o,
    const struct ws_deflate_params *a, const char **reason)
{
	if (o->server_no_context_takeover && !a->server_no_context_takeover)
		return dfl_fail(reason, "server_no_context_takeover offered "
		    "but not in the answer");
	if (o->server_max_window_bits != 0 &&
	    (a->server_max_window_bits == 0 ||
	    a->server_max_window_bits > o->server_max_window_bits))
		return dfl_fail(reason, "server_max_window_bits in the answer "
		    "missing or larger than offered");
	if (a->client_max_window_bits != 0 &&
	    (o->client_max_window_bits == 0 ||
	    (o->client_max_window_bits != WS_DEFLATE_NO_VALUE &&
	    a->client_max_window_bits > o->client_max_window_bits)))
		return dfl_fail(reason, "client_max_window_bits in the answer "
		    "not offered or larger than offered");
	return 0;
}

int
ws_deflate_check_answer(const struct ws_deflate_params *offer, const char *v,
    size_t n, struct ws_deflate_params *agreed, const char **reason)
{
	struct dfl_lex	 l = { v, v + n };
	const char	*name;
	size_t		 nlen;

	if (!offer->on)
		return dfl_fail(reason, "server chose an extension we did "
		    "not offer");
	if (dfl_token(&l, &name, &nlen) == -1 ||
	    !dfl_name_is(name, nlen, WS_DEFLATE_NAME))
		return dfl_fail(reason, "server chose an extension we did "
		    "not offer");
	if (dfl_params(&l, agreed, 0, reason) == -1)
		return -1;
	if (l.p != l.end)
		return dfl_fail(reason, "more than one extension in the "
		    "answer");
	return dfl_answer_allowed(offer, agreed, reason);
}
