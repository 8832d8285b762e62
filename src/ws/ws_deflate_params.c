/* SPDX-License-Identifier: ISC */
/*
 * The permessage-deflate negotiation.  The header grammar is RFC 6455
 * section 9.1: a comma list of elements, each a token then "; name[=value]"
 * parameters, values tokens or quoted strings (ws_http_lex.c reads them).
 * The parameter rules are RFC 7692 section 7.1.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ws_deflate.h"
#include "ws_http_lex.h"

#define DFL_VALUE_MAX	16	/* longer values are never valid */

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

/*
 * One parameter: name, and value (NULL if none).  offer: a value may be
 * left off client_max_window_bits.
 */
static int
dfl_param(struct ws_deflate_params *p, const char *name, size_t nlen,
    const char *value, int offer, const char **reason)
{
	int	*flag = NULL, *bits = NULL;

	if (ws_lex_ieq(name, nlen, "server_no_context_takeover"))
		flag = &p->server_no_context_takeover;
	else if (ws_lex_ieq(name, nlen, "client_no_context_takeover"))
		flag = &p->client_no_context_takeover;
	else if (ws_lex_ieq(name, nlen, "server_max_window_bits"))
		bits = &p->server_max_window_bits;
	else if (ws_lex_ieq(name, nlen, "client_max_window_bits"))
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
dfl_params(struct ws_lex *l, struct ws_deflate_params *p, int offer,
    const char **reason)
{
	char		 buf[DFL_VALUE_MAX];
	const char	*name, *value;
	size_t		 nlen;
	int		 rc;

	memset(p, 0, sizeof(*p));
	p->on = 1;
	while ((rc = ws_lex_param(l, &name, &nlen, buf, sizeof(buf),
	    &value)) == 1)
		if (dfl_param(p, name, nlen, value, offer, reason) == -1)
			return -1;
	if (rc == -1)
		return dfl_fail(reason, "malformed extension parameter");
	if (!ws_lex_element_end(l))
		return dfl_fail(reason, "malformed extension element");
	return 0;
}

int
ws_deflate_offer_parse(const char *s, struct ws_deflate_params *p,
    const char **reason)
{
	char		buf[WS_DEFLATE_PARAMS_MAX];
	struct ws_lex	l;
	int		n;

	/* Read as the element a client sends, which starts with ';'. */
	n = snprintf(buf, sizeof(buf), "%s%s", *s != '\0' ? ";" : "", s);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return dfl_fail(reason, "too long");
	ws_lex_init(&l, buf, (size_t)n);
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
	struct ws_lex			 l;
	const char			*name;
	size_t				 nlen;

	ws_lex_init(&l, v, n);
	do {
		if (ws_lex_token(&l, &name, &nlen) == 0 &&
		    ws_lex_ieq(name, nlen, WS_DEFLATE_NAME) &&
		    dfl_params(&l, &o, 1, NULL) == 0 &&
		    dfl_answer(&o, agreed) == 0)
			return 1;
	} while (ws_lex_next(&l));
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
	struct ws_lex	 l;
	const char	*name;
	size_t		 nlen;

	ws_lex_init(&l, v, n);
	if (!offer->on)
		return dfl_fail(reason, "server chose an extension we did "
		    "not offer");
	if (ws_lex_token(&l, &name, &nlen) == -1 ||
	    !ws_lex_ieq(name, nlen, WS_DEFLATE_NAME))
		return dfl_fail(reason, "server chose an extension we did "
		    "not offer");
	if (dfl_params(&l, agreed, 0, reason) == -1)
		return -1;
	if (l.p != l.end)
		return dfl_fail(reason, "more than one extension in the "
		    "answer");
	return dfl_answer_allowed(offer, agreed, reason);
}
