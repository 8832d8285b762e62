/* SPDX-License-Identifier: ISC */
/*
 * permessage-deflate.  The header grammar is RFC 6455 section 9.1: a comma
 * list of elements, each a token then "; name[=value]" parameters, values
 * tokens or quoted strings.  The parameter rules are RFC 7692 section 7.1.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ws_deflate.h"
#include "ws_frame.h"

#define DFL_VALUE_MAX	16	/* longer values are never valid */
#define DFL_MEM_LEVEL	8	/* zlib's default */

static const uint8_t	dfl_tail[4] = { 0x00, 0x00, 0xff, 0xff };

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

int
ws_deflate_init(struct ws_deflate *d, int window_bits,
    int no_context_takeover)
{
	memset(d, 0, sizeof(*d));
	d->no_context_takeover = no_context_takeover;
	if (window_bits == 0)
		window_bits = WS_DEFLATE_BITS_MAX;
	if (deflateInit2(&d->zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED,
	    -window_bits, DFL_MEM_LEVEL, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	return 0;
}

void
ws_deflate_end(struct ws_deflate *d)
{
	deflateEnd(&d->zs);
}

/*
 * Stored blocks at worst (5 bytes per 16 KiB and a few), plus the flush's
 * empty block: the bound zlib gives for any window or memory level, with
 * room to spare.
 */
size_t
ws_deflate_bound(size_t n)
{
	return n + (n >> 3) + (n >> 6) + 64;
}

long
ws_deflate_feed(struct ws_deflate *d, const uint8_t *in, size_t n, int fin,
    uint8_t *out, size_t cap)
{
	size_t	len;
	int	rc;

	if (n > UINT_MAX || cap > UINT_MAX || cap > LONG_MAX)
		return -1;
	d->zs.next_in = (Bytef *)(uintptr_t)in;
	d->zs.avail_in = (uInt)n;
	d->zs.next_out = out;
	d->zs.avail_out = (uInt)cap;
	rc = deflate(&d->zs, fin ? Z_SYNC_FLUSH : Z_NO_FLUSH);
	if ((rc != Z_OK && rc != Z_BUF_ERROR) || d->zs.avail_in != 0 ||
	    d->zs.avail_out == 0)
		return -1;
	len = cap - d->zs.avail_out;
	if (!fin)
		return (long)len;
	/*
	 * A sync flush ends in an empty stored block: its 4 bytes go, the
	 * receiver puts them back (RFC 7692 section 7.2.1).  With nothing
	 * to flush zlib writes no block: the byte with that block's header
	 * bits is written here, so the tail still completes one.
	 */
	if (len == 0) {
		out[0] = 0x00;
		len = 1;
	} else {
		if (len < sizeof(dfl_tail) || memcmp(out + len -
		    sizeof(dfl_tail), dfl_tail, sizeof(dfl_tail)) != 0)
			return -1;
		len -= sizeof(dfl_tail);
	}
	if (d->no_context_takeover && deflateReset(&d->zs) != Z_OK)
		return -1;
	return (long)len;
}

int
ws_inflate_init(struct ws_inflate *z, uint64_t max)
{
	memset(z, 0, sizeof(*z));
	z->max = max;
	if (inflateInit2(&z->zs, -WS_DEFLATE_BITS_MAX) != Z_OK)
		return -1;
	return 0;
}

void
ws_inflate_end(struct ws_inflate *z)
{
	inflateEnd(&z->zs);
}

/*
 * Runs inflate over in[0..n) until it is used up and the output drained.
 * Output space is held to one byte past what the message may still grow
 * by, so a bomb is caught after max bytes, not after the whole of it.
 */
static int
dfl_inflate_run(struct ws_inflate *z, const uint8_t *in, size_t n,
    uint8_t *buf, size_t cap, ws_inflate_out *out, void *arg)
{
	size_t	room, got;
	int	rc;

	z->zs.next_in = (Bytef *)(uintptr_t)in;
	z->zs.avail_in = (uInt)n;
	do {
		room = cap;
		if (z->max != 0 && z->max - z->total < room)
			room = (size_t)(z->max - z->total) + 1;
		z->zs.next_out = buf;
		z->zs.avail_out = (uInt)room;
		rc = inflate(&z->zs, Z_SYNC_FLUSH);
		if (rc == Z_NEED_DICT || rc == Z_DATA_ERROR ||
		    rc == Z_STREAM_ERROR)
			return WS_CLOSE_BAD_DATA;
		if (rc == Z_MEM_ERROR)
			return WS_CLOSE_INTERNAL;
		got = room - z->zs.avail_out;
		if (z->max != 0 && got > z->max - z->total)
			return WS_CLOSE_TOO_BIG;
		z->total += got;
		if (got > 0)
			out(arg, buf, got);
		/* A final block ends the stream: the rest of the message,
		 * the tail put back at least, is not deflate data. */
		if (rc == Z_STREAM_END) {
			z->ended = 1;
			return 0;
		}
	} while (rc != Z_BUF_ERROR &&
	    (z->zs.avail_in > 0 || z->zs.avail_out == 0));
	return 0;
}

int
ws_inflate_feed(struct ws_inflate *z, const uint8_t *in, size_t n, int fin,
    uint8_t *buf, size_t cap, ws_inflate_out *out, void *arg)
{
	size_t	take;
	int	code = 0;

	if (cap > UINT_MAX)
		cap = UINT_MAX;
	while (code == 0 && !z->ended && n > 0) {
		take = n < UINT_MAX ? n : UINT_MAX;
		code = dfl_inflate_run(z, in, take, buf, cap, out, arg);
		in += take;
		n -= take;
	}
	if (code == 0 && fin && !z->ended)
		code = dfl_inflate_run(z, dfl_tail, sizeof(dfl_tail), buf, cap,
		    out, arg);
	if (fin) {
		/* After a final block the next message is a new stream. */
		if (z->ended && inflateReset(&z->zs) != Z_OK)
			code = WS_CLOSE_INTERNAL;
		z->ended = 0;
		z->total = 0;
	}
	return code;
}
