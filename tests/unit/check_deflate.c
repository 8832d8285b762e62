/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for ws_deflate: the permessage-deflate negotiation on both
 * sides (every combination of offered parameters, the 8-bit window, bad
 * offers and bad answers, through the handshake functions too), and the
 * streams (round trips with and without context, in pieces, a final
 * block, the bound on a compression bomb, corrupt input).
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "ws_deflate.h"
#include "ws_frame.h"
#include "ws_handshake.h"
#include "ws_reader.h"
#include "check_run.h"

#define MIB	(1u << 20)

/* --- negotiation ---------------------------------------------------------- */

static int
accept_str(const char *v, struct ws_deflate_params *a)
{
	memset(a, 0, sizeof(*a));
	return ws_deflate_accept(v, strlen(v), a);
}

static int
check_str(const struct ws_deflate_params *o, const char *v,
    struct ws_deflate_params *a, const char **why)
{
	*why = NULL;
	return ws_deflate_check_answer(o, v, strlen(v), a, why);
}

static struct ws_deflate_params
offer_of(const char *s)
{
	struct ws_deflate_params	 p;
	const char			*why = NULL;

	ck_assert_msg(ws_deflate_offer_parse(s, &p, &why) == 0, "'%s': %s", s,
	    why);
	return p;
}

/*
 * Every offer of the four parameters (window sizes 8 to 15, and without a
 * value for the client's): the answer we make is one the client side
 * takes, it keeps what the offer asked of the server, and only an offer
 * limiting our compressor to 8 bits is declined.
 */
START_TEST(test_matrix)
{
	static const int		 sbits[] = { 0, 8, 9, 10, 12, 15 };
	static const int		 cbits[] = { 0, WS_DEFLATE_NO_VALUE, 8,
					     9, 11, 15 };
	struct ws_deflate_params	 o, a, back;
	char				 hdr[WS_DEFLATE_PARAMS_MAX];
	const char			*why;
	size_t				 i, k;
	int				 snc, cnc, n = 0;

	for (snc = 0; snc < 2; snc++)
	for (cnc = 0; cnc < 2; cnc++)
	for (i = 0; i < sizeof(sbits) / sizeof(sbits[0]); i++)
	for (k = 0; k < sizeof(cbits) / sizeof(cbits[0]); k++) {
		memset(&o, 0, sizeof(o));
		o.on = 1;
		o.server_no_context_takeover = snc;
		o.client_no_context_takeover = cnc;
		o.server_max_window_bits = sbits[i];
		o.client_max_window_bits = cbits[k];
		ck_assert_uint_gt(ws_deflate_format(hdr, sizeof(hdr), &o), 0);
		if (sbits[i] == 8) {
			ck_assert_msg(accept_str(hdr, &a) == 0, "accepted %s",
			    hdr);
			continue;
		}
		ck_assert_msg(accept_str(hdr, &a) == 1, "declined %s", hdr);
		ck_assert_int_eq(a.server_no_context_takeover, snc);
		ck_assert_int_eq(a.server_max_window_bits, sbits[i]);
		ck_assert_int_eq(a.client_max_window_bits,
		    cbits[k] > 0 ? cbits[k] : 0);
		ck_assert_uint_gt(ws_deflate_format(hdr, sizeof(hdr), &a), 0);
		ck_assert_msg(check_str(&o, hdr, &back, &why) == 0,
		    "answer '%s' refused: %s", hdr, why);
		ck_assert_mem_eq(&a, &back, sizeof(a));
		n++;
	}
	ck_assert_int_eq(n, 2 * 2 * 5 * 6);
}
END_TEST

static const struct {
	const char	*offer;
	int		 accepted;
	const char	*answer;	/* when accepted */
} offers[] = {
	{ "permessage-deflate", 1, "permessage-deflate" },
	{ "PerMessage-Deflate ;Server_No_Context_Takeover", 1,
	    "permessage-deflate; server_no_context_takeover" },
	{ "permessage-deflate; client_max_window_bits", 1,
	    "permessage-deflate" },
	{ "permessage-deflate; client_max_window_bits=\"10\"", 1,
	    "permessage-deflate; client_max_window_bits=10" },
	{ "permessage-deflate; client_max_window_bits=8", 1,
	    "permessage-deflate; client_max_window_bits=8" },
	/* zlib cannot compress with an 8-bit window: declined, and the next
	 * offer taken. */
	{ "permessage-deflate; server_max_window_bits=8", 0, NULL },
	{ "permessage-deflate; server_max_window_bits=8, permessage-deflate; "
	    "server_max_window_bits=9", 1,
	    "permessage-deflate; server_max_window_bits=9" },
	{ "x-webkit-deflate-frame, permessage-deflate; "
	    "client_no_context_takeover", 1,
	    "permessage-deflate; client_no_context_takeover" },
	{ "foo; a=\"x,y\", permessage-deflate", 1, "permessage-deflate" },
	{ "permessage-deflate; foo", 0, NULL },
	{ "permessage-deflate; server_no_context_takeover; "
	    "server_no_context_takeover", 0, NULL },
	{ "permessage-deflate; server_no_context_takeover=1", 0, NULL },
	{ "permessage-deflate; server_max_window_bits", 0, NULL },
	{ "permessage-deflate; server_max_window_bits=7", 0, NULL },
	{ "permessage-deflate; server_max_window_bits=16", 0, NULL },
	{ "permessage-deflate; server_max_window_bits=010", 0, NULL },
	{ "permessage-deflate; client_max_window_bits=\"1 0\"", 0, NULL },
	{ "permessage-deflate; client_max_window_bits=10 x", 0, NULL },
	{ "permessage-deflate;", 0, NULL },
	{ "deflate-frame", 0, NULL },
	{ "", 0, NULL },
};

START_TEST(test_offers)
{
	struct ws_deflate_params	 a;
	char				 out[WS_DEFLATE_PARAMS_MAX];

	ck_assert_msg(accept_str(offers[_i].offer, &a) == offers[_i].accepted,
	    "'%s'", offers[_i].offer);
	if (!offers[_i].accepted)
		return;
	ck_assert_uint_gt(ws_deflate_format(out, sizeof(out), &a), 0);
	ck_assert_str_eq(out, offers[_i].answer);
}
END_TEST

static const struct {
	const char	*offer;		/* parameters, as --deflate-offer */
	const char	*answer;
	int		 good;
} answers[] = {
	{ "", "permessage-deflate", 1 },
	{ "", "permessage-deflate; server_no_context_takeover", 1 },
	{ "", "permessage-deflate; client_no_context_takeover", 1 },
	{ "", "permessage-deflate; server_max_window_bits=12", 1 },
	{ "", "permessage-deflate; client_max_window_bits=12", 0 },
	{ "client_max_window_bits", "permessage-deflate; "
	    "client_max_window_bits=8", 1 },
	{ "client_max_window_bits", "permessage-deflate; "
	    "client_max_window_bits", 0 },
	{ "client_max_window_bits=10", "permessage-deflate; "
	    "client_max_window_bits=11", 0 },
	{ "server_no_context_takeover", "permessage-deflate", 0 },
	{ "server_max_window_bits=10", "permessage-deflate", 0 },
	{ "server_max_window_bits=10", "permessage-deflate; "
	    "server_max_window_bits=11", 0 },
	{ "server_max_window_bits=10", "permessage-deflate; "
	    "server_max_window_bits=9", 1 },
	{ "", "permessage-deflate; foo", 0 },
	{ "", "permessage-deflate; server_max_window_bits=16", 0 },
	{ "", "permessage-deflate, permessage-deflate", 0 },
	{ "", "x-webkit-deflate-frame", 0 },
	{ "", "", 0 },
};

START_TEST(test_answers)
{
	struct ws_deflate_params	 o = offer_of(answers[_i].offer), a;
	const char			*why;
	int				 rc;

	rc = check_str(&o, answers[_i].answer, &a, &why);
	ck_assert_msg((rc == 0) == answers[_i].good, "offer '%s' answer "
	    "'%s': %d %s", answers[_i].offer, answers[_i].answer, rc, why);
	if (rc == -1)
		ck_assert_ptr_nonnull(why);
}
END_TEST

START_TEST(test_offer_parse)
{
	struct ws_deflate_params	 p;
	const char			*why;
	char				 out[WS_DEFLATE_PARAMS_MAX];

	p = offer_of("");
	ck_assert_int_eq(p.on, 1);
	ws_deflate_format(out, sizeof(out), &p);
	ck_assert_str_eq(out, "permessage-deflate");
	p = offer_of("client_max_window_bits; server_no_context_takeover; "
	    "server_max_window_bits=10");
	ws_deflate_format(out, sizeof(out), &p);
	ck_assert_str_eq(out, "permessage-deflate; server_no_context_takeover;"
	    " server_max_window_bits=10; client_max_window_bits");
	ck_assert_int_eq(ws_deflate_offer_parse("foo", &p, &why), -1);
	ck_assert_int_eq(ws_deflate_offer_parse("server_no_context_takeover, "
	    "x", &p, &why), -1);
	ck_assert_int_eq(ws_deflate_offer_parse("server_max_window_bits=20",
	    &p, &why), -1);
	ck_assert_uint_eq(ws_deflate_format(out, 10, &p), 0);
}
END_TEST

/* The handshake functions carry the offer and the answer. */
START_TEST(test_handshake)
{
	static const char	key[] = "dGhlIHNhbXBsZSBub25jZQ==";
	struct ws_client_opts	o;
	struct ws_request	req;
	struct ws_deflate_params d;
	char			buf[1024];
	const char		*why = NULL;
	size_t			len, head_len;
	int			protocol;

	memset(&o, 0, sizeof(o));
	o.host = "h";
	o.path = "/";
	o.deflate = offer_of("server_no_context_takeover; "
	    "client_max_window_bits");
	len = ws_request_build(buf, sizeof(buf), &o, key);
	ck_assert_uint_gt(len, 0);
	ck_assert_ptr_nonnull(strstr(buf, "\r\nSec-WebSocket-Extensions: "
	    "permessage-deflate; server_no_context_takeover; "
	    "client_max_window_bits\r\n"));
	ck_assert_int_eq(ws_request_parse(buf, len, &req, &why), 0);
	ck_assert_int_eq(req.deflate.on, 1);
	ck_assert_int_eq(req.deflate.server_no_context_takeover, 1);
	len = ws_response_accept_build(buf, sizeof(buf), req.key, &req.deflate);
	ck_assert_ptr_nonnull(strstr(buf, "\r\nSec-WebSocket-Extensions: "
	    "permessage-deflate; server_no_context_takeover\r\n\r\n"));
	ck_assert_int_eq(ws_response_parse(buf, len, key, &o, &head_len,
	    &protocol, &d, &why), 0);
	ck_assert_int_eq(d.on, 1);
	ck_assert_int_eq(d.server_no_context_takeover, 1);

	/* An answer naming it twice, or to a request that did not offer
	 * it, fails. */
	buf[len - 2] = '\0';
	strcat(buf, "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n");
	ck_assert_int_eq(ws_response_parse(buf, strlen(buf), key, &o,
	    &head_len, &protocol, &d, &why), WS_HS_ERROR);
	o.deflate.on = 0;
	len = ws_response_accept_build(buf, sizeof(buf), req.key, &req.deflate);
	ck_assert_int_eq(ws_response_parse(buf, len, key, &o, &head_len,
	    &protocol, &d, &why), WS_HS_ERROR);

	/* No acceptable offer: no extension, and the request still valid. */
	len = (size_t)snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\nHost: h\r\n"
	    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n"
	    "Sec-WebSocket-Extensions: permessage-deflate; "
	    "server_max_window_bits=8\r\n\r\n", key);
	ck_assert_int_eq(ws_request_parse(buf, len, &req, &why), 0);
	ck_assert_int_eq(req.deflate.on, 0);
}
END_TEST

/* --- streams -------------------------------------------------------------- */

struct sink {
	uint8_t		*p;
	size_t		 n, cap;
	size_t		 calls;
};

static void
sink_add(void *arg, const uint8_t *p, size_t n)
{
	struct sink	*s = arg;

	ck_assert_uint_le(s->n + n, s->cap);
	memcpy(s->p + s->n, p, n);
	s->n += n;
	s->calls++;
}

static uint8_t *
message_of(size_t n, int text)
{
	uint8_t	*p = malloc(n + 1);
	size_t	 i;

	ck_assert_ptr_nonnull(p);
	for (i = 0; i < n; i++)
		p[i] = text ? (uint8_t)("abcdefghij klmnopq"[(i * 7 + i / 13) %
		    18]) : (uint8_t)(i * 2654435761u >> 24);
	return p;
}

/* Compresses msg as one message; returns the compressed length. */
static size_t
compress_one(struct ws_deflate *d, const uint8_t *msg, size_t n,
    uint8_t *out, size_t cap, size_t piece)
{
	size_t	off = 0, done = 0, take;
	long	got;

	do {
		take = n - done < piece ? n - done : piece;
		got = ws_deflate_feed(d, msg + done, take, done + take == n,
		    out + off, cap - off);
		ck_assert_int_ge(got, 0);
		off += (size_t)got;
		done += take;
	} while (done < n);
	return off;
}

/* Inflates z[0..n) as one message fed in pieces of piece bytes. */
static int
inflate_one(struct ws_inflate *z, const uint8_t *in, size_t n, size_t piece,
    struct sink *s)
{
	uint8_t	buf[4096];
	size_t	off = 0, take;
	int	code;

	s->n = 0;
	do {
		take = n - off < piece ? n - off : piece;
		code = ws_inflate_feed(z, in + off, take, off + take == n, buf,
		    sizeof(buf), sink_add, s);
		if (code != 0)
			return code;
		off += take;
	} while (off < n);
	return 0;
}

static const size_t	sizes[] = { 0, 1, 16, 125, 126, 4096, 65536, MIB };

/*
 * Three copies of each message through one pair of streams, whole and
 * in pieces: with context takeover the later copies shrink, without it
 * every copy is the same bytes; both inflate back to the message.
 */
START_TEST(test_round_trip)
{
	struct ws_deflate	 d;
	struct ws_inflate	 z;
	struct sink		 s;
	size_t			 n = sizes[_i % 8], cap = ws_deflate_bound(n);
	int			 noctx = _i / 8, text, copy;
	uint8_t			*msg, *out = malloc(cap), *first = malloc(cap);
	size_t			 len, first_len = 0;

	ck_assert_int_eq(ws_inflate_init(&z, 2 * MIB), 0);
	s.cap = n;
	s.p = malloc(n + 1);
	for (text = 0; text < 2; text++) {
		msg = message_of(n, text);
		ck_assert_int_eq(ws_deflate_init(&d, noctx ? 9 : 0, noctx), 0);
		for (copy = 0; copy < 3; copy++) {
			len = compress_one(&d, msg, n, out, cap, copy == 1 ?
			    1000 : n + 1);
			if (copy == 0) {
				memcpy(first, out, len);
				first_len = len;
			} else if (noctx) {
				ck_assert_uint_eq(len, first_len);
				ck_assert_mem_eq(out, first, len);
			} else if (n >= 16)
				ck_assert_uint_lt(len, first_len);
			ck_assert_int_eq(inflate_one(&z, out, len, copy == 2 ?
			    1 + n / 100 : len + 1, &s), 0);
			ck_assert_uint_eq(s.n, n);
			ck_assert_mem_eq(s.p, msg, n);
		}
		ws_deflate_end(&d);
		free(msg);
	}
	ws_inflate_end(&z);
	free(s.p);
	free(out);
	free(first);
}
END_TEST

/* Another sender's ways: a smaller window, and a final block (BFINAL)
 * instead of the empty one, after which a new stream starts. */
START_TEST(test_other_senders)
{
	static const char	 m1[] = "hello hello hello hello";
	static const char	 m2[] = "world world world";
	struct ws_inflate	 z;
	struct sink		 s;
	z_stream		 zs;
	uint8_t			 out[256], p[64];
	size_t			 len;

	s.p = p;
	s.cap = sizeof(p);
	ck_assert_int_eq(ws_inflate_init(&z, 0), 0);
	memset(&zs, 0, sizeof(zs));
	ck_assert_int_eq(deflateInit2(&zs, 9, Z_DEFLATED, -9, 1,
	    Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (Bytef *)(uintptr_t)m1;
	zs.avail_in = sizeof(m1) - 1;
	zs.next_out = out;
	zs.avail_out = sizeof(out);
	ck_assert_int_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
	len = sizeof(out) - zs.avail_out;
	deflateEnd(&zs);
	ck_assert_int_eq(inflate_one(&z, out, len, 3, &s), 0);
	ck_assert_uint_eq(s.n, sizeof(m1) - 1);
	ck_assert_mem_eq(p, m1, s.n);

	memset(&zs, 0, sizeof(zs));
	ck_assert_int_eq(deflateInit2(&zs, 9, Z_DEFLATED, -15, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (Bytef *)(uintptr_t)m2;
	zs.avail_in = sizeof(m2) - 1;
	zs.next_out = out;
	zs.avail_out = sizeof(out);
	ck_assert_int_eq(deflate(&zs, Z_SYNC_FLUSH), Z_OK);
	len = sizeof(out) - zs.avail_out - 4;
	deflateEnd(&zs);
	ck_assert_int_eq(inflate_one(&z, out, len, len, &s), 0);
	ck_assert_uint_eq(s.n, sizeof(m2) - 1);
	ck_assert_mem_eq(p, m2, s.n);
	ws_inflate_end(&z);
}
END_TEST

/* 64 MiB of zeros in a few KiB: inflating stops at the limit, having
 * handed on no more than it. */
START_TEST(test_bomb)
{
	static const uint8_t	 zeros[MIB];
	struct ws_deflate	 d;
	struct ws_inflate	 z;
	struct sink		 s;
	uint8_t			*out, buf[4096];
	size_t			 cap = 256 * 1024, off = 0;
	long			 got;
	int			 i, code;

	out = malloc(cap);
	ck_assert_int_eq(ws_deflate_init(&d, 0, 0), 0);
	for (i = 0; i < 64; i++) {
		got = ws_deflate_feed(&d, zeros, sizeof(zeros), i == 63,
		    out + off, cap - off);
		ck_assert_int_ge(got, 0);
		off += (size_t)got;
	}
	ws_deflate_end(&d);
	ck_assert_uint_lt(off, 128 * 1024);

	s.cap = MIB;
	s.p = malloc(MIB);
	s.n = 0;
	ck_assert_int_eq(ws_inflate_init(&z, MIB), 0);
	code = ws_inflate_feed(&z, out, off, 1, buf, sizeof(buf), sink_add,
	    &s);
	ck_assert_int_eq(code, WS_CLOSE_TOO_BIG);
	ck_assert_uint_le(s.n, MIB);
	ck_assert_uint_ge(s.n, MIB - sizeof(buf));
	ws_inflate_end(&z);

	/* The limit itself passes. */
	ck_assert_int_eq(ws_inflate_init(&z, MIB), 0);
	ck_assert_int_eq(ws_deflate_init(&d, 0, 0), 0);
	got = ws_deflate_feed(&d, zeros, sizeof(zeros), 1, out, cap);
	ck_assert_int_gt(got, 0);
	ck_assert_int_eq(inflate_one(&z, out, (size_t)got, 100, &s), 0);
	ck_assert_uint_eq(s.n, MIB);
	ws_deflate_end(&d);
	ws_inflate_end(&z);
	free(s.p);
	free(out);
}
END_TEST

/* Data zlib refuses closes with 1007, whole or in pieces. */
START_TEST(test_corrupt)
{
	static const uint8_t	 bad[][6] = {
		{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },	/* block type 3 */
		{ 0x01, 0x05, 0x00, 0x00, 0x00, 0x61 },	/* stored, bad NLEN */
		{ 0xfc, 0xff, 0x00, 0x00, 0x00, 0x00 },	/* bad code lengths */
	};
	struct ws_inflate	 z;
	struct sink		 s;
	uint8_t			 p[4096];

	s.p = p;
	s.cap = sizeof(p);
	ck_assert_int_eq(ws_inflate_init(&z, 0), 0);
	ck_assert_int_eq(inflate_one(&z, bad[_i], sizeof(bad[_i]),
	    (size_t)_i + 1, &s), WS_CLOSE_BAD_DATA);
	ws_inflate_end(&z);
}
END_TEST

/* A compressor made for window sizes 9 to 15; 8 is refused. */
START_TEST(test_windows)
{
	struct ws_deflate	d;
	int			bits;

	for (bits = 9; bits <= 15; bits++) {
		ck_assert_int_eq(ws_deflate_init(&d, bits, 0), 0);
		ws_deflate_end(&d);
	}
	ck_assert_int_eq(ws_deflate_init(&d, 8, 0), -1);
}
END_TEST

/* --- the reader's RSV1 rule ----------------------------------------------- */

struct seen {
	int	compressed;	/* msg_compressed at the message's end */
	int	messages;
	size_t	bytes;
};

static void
seen_data(void *arg, int opcode, const uint8_t *p, size_t n)
{
	struct seen	*s = arg;

	(void)opcode;
	(void)p;
	s->bytes += n;
}

static struct ws_reader	*seen_reader;

static void
seen_message(void *arg, int opcode, uint64_t len)
{
	struct seen	*s = arg;

	(void)opcode;
	(void)len;
	s->compressed = seen_reader->msg_compressed;
	s->messages++;
}

static const struct ws_reader_ops seen_ops = {
	.data = seen_data,
	.message = seen_message,
};

/* Feeds frames (server side: a fixed mask) to a reader with deflate on
 * or off; returns the reader's result. */
static int
feed(int deflate, const uint8_t *bytes, size_t n, struct seen *s)
{
	static struct ws_reader	r;
	uint8_t			buf[256];

	memcpy(buf, bytes, n);
	ws_reader_init(&r, WS_ROLE_SERVER, 0);
	r.deflate = deflate;
	seen_reader = &r;
	memset(s, 0, sizeof(*s));
	return ws_reader_feed(&r, buf, n, &seen_ops, s);
}

START_TEST(test_reader_rsv1)
{
	/* RSV1 text "ab" (not UTF-8 checked: compressed bytes), then a
	 * plain one. */
	static const uint8_t	ok[] = { 0xc1, 0x82, 0, 0, 0, 0, 0xff, 0xfe,
				    0x81, 0x82, 0, 0, 0, 0, 'o', 'k' };
	static const uint8_t	cont[] = { 0x41, 0x81, 0, 0, 0, 0, 'a',
				    0xc0, 0x81, 0, 0, 0, 0, 'b' };
	static const uint8_t	ping[] = { 0xc9, 0x80, 0, 0, 0, 0 };
	static const uint8_t	rsv2[] = { 0xa1, 0x80, 0, 0, 0, 0 };
	struct seen		 s;

	ck_assert_int_eq(feed(1, ok, 8, &s), 0);
	ck_assert_int_eq(s.compressed, 1);
	ck_assert_int_eq(s.messages, 1);
	ck_assert_int_eq(feed(1, ok, sizeof(ok), &s), 0);
	ck_assert_int_eq(s.compressed, 0);
	ck_assert_int_eq(s.messages, 2);
	ck_assert_uint_eq(s.bytes, 4);
	/* The reader counts the payload of the plain one only; inflating
	 * counts the other. */
	ck_assert_uint_eq(seen_reader->payload, 2);
	/* Off: RSV1 fails the connection, even on a valid text. */
	ck_assert_int_eq(feed(0, ok, sizeof(ok), &s), WS_CLOSE_PROTOCOL);
	/* On continuation and control frames, and RSV2, never. */
	ck_assert_int_eq(feed(1, cont, sizeof(cont), &s), WS_CLOSE_PROTOCOL);
	ck_assert_int_eq(feed(1, ping, sizeof(ping), &s), WS_CLOSE_PROTOCOL);
	ck_assert_int_eq(feed(1, rsv2, sizeof(rsv2), &s), WS_CLOSE_PROTOCOL);
}
END_TEST

/* A callback's fail stops the feed with its code. */
static void
fail_data(void *arg, int opcode, const uint8_t *p, size_t n)
{
	(void)arg;
	(void)opcode;
	(void)p;
	(void)n;
	seen_reader->fail = WS_CLOSE_TOO_BIG;
}

START_TEST(test_reader_fail)
{
	static const struct ws_reader_ops	ops = { .data = fail_data };
	static struct ws_reader			r;
	uint8_t					buf[] = { 0xc2, 0x81, 0, 0, 0,
						    0, 'x', 0x82, 0x81, 0, 0,
						    0, 0, 'y' };

	ws_reader_init(&r, WS_ROLE_SERVER, 0);
	r.deflate = 1;
	seen_reader = &r;
	ck_assert_int_eq(ws_reader_feed(&r, buf, sizeof(buf), &ops, NULL),
	    WS_CLOSE_TOO_BIG);
	ck_assert_uint_eq(r.messages, 0);
}
END_TEST

static Suite *
deflate_suite(void)
{
	Suite	*s = suite_create("ws_deflate");
	TCase	*tc = tcase_create("negotiation");

	tcase_add_test(tc, test_matrix);
	tcase_add_loop_test(tc, test_offers, 0,
	    (int)(sizeof(offers) / sizeof(offers[0])));
	tcase_add_loop_test(tc, test_answers, 0,
	    (int)(sizeof(answers) / sizeof(answers[0])));
	tcase_add_test(tc, test_offer_parse);
	tcase_add_test(tc, test_handshake);
	suite_add_tcase(s, tc);
	tc = tcase_create("streams");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_round_trip, 0, 16);
	tcase_add_test(tc, test_other_senders);
	tcase_add_test(tc, test_bomb);
	tcase_add_loop_test(tc, test_corrupt, 0, 3);
	tcase_add_test(tc, test_windows);
	suite_add_tcase(s, tc);
	tc = tcase_create("reader");
	tcase_add_test(tc, test_reader_rsv1);
	tcase_add_test(tc, test_reader_fail);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(deflate_suite(), NULL);
}
