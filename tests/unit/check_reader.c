/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for ws_reader.  Streams are built with ws_frame_encode (or by
 * hand where they must be malformed) and fed whole, byte by byte and split
 * at every position; the callbacks are recorded, with consecutive data
 * pieces joined, so that any way of cutting the input must give the same
 * record.
 *
 * check logs every passing ck_assert, which is slow in loops run hundreds
 * of thousands of times, so those use if and ck_abort_msg instead.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ws_frame.h"
#include "ws_reader.h"
#include "check_run.h"

#define STREAM_MAX	(1 << 18)
#define REC_EVENTS	4096
#define REC_DATA	(1 << 18)

enum ev_kind {
	EV_DATA,
	EV_MESSAGE,
	EV_CONTROL
};

struct ev {
	enum ev_kind	kind;
	int		opcode;
	uint64_t	len;		/* EV_MESSAGE */
	size_t		off, n;		/* bytes in rec.data */
};

struct rec {
	struct ev	ev[REC_EVENTS];
	size_t		nev;
	uint8_t		data[REC_DATA];
	size_t		ndata;
	size_t		data_calls;
	size_t		whole_calls;
};

struct stream {
	uint8_t		buf[STREAM_MAX];
	size_t		len;
	unsigned int	nkeys;		/* to vary the mask key per frame */
};

static struct rec	rec_a, rec_b;
static struct stream	st;
static uint8_t		work[STREAM_MAX];

static void
rec_reset(struct rec *rec)
{
	rec->nev = 0;
	rec->ndata = 0;
	rec->data_calls = 0;
	rec->whole_calls = 0;
}

static struct ev *
rec_add(struct rec *rec, enum ev_kind kind, int opcode)
{
	struct ev	*e;

	if (rec->nev == REC_EVENTS)
		ck_abort_msg("too many events");
	e = &rec->ev[rec->nev++];
	e->kind = kind;
	e->opcode = opcode;
	e->len = 0;
	e->off = rec->ndata;
	e->n = 0;
	return e;
}

static void
rec_bytes(struct rec *rec, struct ev *e, const uint8_t *p, size_t n)
{
	if (n > REC_DATA - rec->ndata)
		ck_abort_msg("too much data");
	if (n > 0)
		memcpy(rec->data + rec->ndata, p, n);
	rec->ndata += n;
	e->n += n;
}

static void
on_data(void *arg, int opcode, const uint8_t *p, size_t n)
{
	struct rec	*rec = arg;
	struct ev	*e = rec->nev > 0 ? &rec->ev[rec->nev - 1] : NULL;

	if (n == 0)
		ck_abort_msg("data callback with no data");
	rec->data_calls++;
	if (e == NULL || e->kind != EV_DATA || e->opcode != opcode)
		e = rec_add(rec, EV_DATA, opcode);
	rec_bytes(rec, e, p, n);
}

static void
on_message(void *arg, int opcode, uint64_t len)
{
	rec_add(arg, EV_MESSAGE, opcode)->len = len;
}

static void
on_control(void *arg, int opcode, const uint8_t *p, size_t n)
{
	struct rec	*rec = arg;

	if (n > WS_CONTROL_MAX)
		ck_abort_msg("control payload of %zu", n);
	rec_bytes(rec, rec_add(rec, EV_CONTROL, opcode), p, n);
}

/* A message whole in one frame: the events data and message would give. */
static void
on_whole(void *arg, int opcode, const uint8_t *p, uint64_t len)
{
	struct rec	*rec = arg;

	rec->whole_calls++;
	if (len > 0)
		rec_bytes(rec, rec_add(rec, EV_DATA, opcode), p, (size_t)len);
	rec_add(rec, EV_MESSAGE, opcode)->len = len;
}

static const struct ws_reader_ops	ops_all = {
	.data = on_data,
	.message = on_message,
	.control = on_control,
};

static const struct ws_reader_ops	ops_whole = {
	.data = on_data,
	.message = on_message,
	.whole = on_whole,
	.control = on_control,
};

static const struct ws_reader_ops	ops_none;

static int
ev_equal(const struct rec *a, const struct ev *x, const struct rec *b,
    const struct ev *y)
{
	return x->kind == y->kind && x->opcode == y->opcode &&
	    x->len == y->len && x->n == y->n &&
	    memcmp(a->data + x->off, b->data + y->off, x->n) == 0;
}

/*
 * When the stream fails, how much data came before the failure depends on
 * how it was cut, so only messages and control frames are compared then.
 */
static void
rec_expect_equal(const struct rec *a, const struct rec *b, int with_data,
    const char *what)
{
	size_t	i = 0, j = 0;

	for (;;) {
		while (!with_data && i < a->nev && a->ev[i].kind == EV_DATA)
			i++;
		while (!with_data && j < b->nev && b->ev[j].kind == EV_DATA)
			j++;
		if (i == a->nev || j == b->nev)
			break;
		if (!ev_equal(a, &a->ev[i], b, &b->ev[j]))
			ck_abort_msg("%s: event %zu differs", what, j);
		i++;
		j++;
	}
	if (i != a->nev || j != b->nev)
		ck_abort_msg("%s: %zu events, want %zu", what, b->nev, a->nev);
}

/* Checks the next event of rec; *i walks through them. */
static void
expect_ev(const struct rec *rec, size_t *i, enum ev_kind kind, int opcode,
    const void *p, size_t n, uint64_t len)
{
	const struct ev	*e;

	ck_assert_msg(*i < rec->nev, "event %zu missing", *i);
	e = &rec->ev[(*i)++];
	ck_assert_msg(e->kind == kind && e->opcode == opcode,
	    "event %zu: kind %d opcode %d, want %d %d", *i - 1, e->kind,
	    e->opcode, kind, opcode);
	ck_assert_uint_eq(e->n, n);
	if (n > 0)
		ck_assert_mem_eq(rec->data + e->off, p, n);
	ck_assert_uint_eq(e->len, len);
}

static void
expect_data(const struct rec *rec, size_t *i, int opcode, const char *s)
{
	expect_ev(rec, i, EV_DATA, opcode, s, strlen(s), 0);
}

static void
expect_message(const struct rec *rec, size_t *i, int opcode, uint64_t len)
{
	expect_ev(rec, i, EV_MESSAGE, opcode, NULL, 0, len);
}

static void
expect_control(const struct rec *rec, size_t *i, int opcode, const void *p,
    size_t n)
{
	expect_ev(rec, i, EV_CONTROL, opcode, p, n, 0);
}

static void
expect_end(const struct rec *rec, size_t i)
{
	ck_assert_msg(i == rec->nev, "%zu events, want %zu", rec->nev, i);
}

static void
s_reset(void)
{
	st.len = 0;
	st.nkeys = 0;
}

static void
s_raw(const void *p, size_t n)
{
	ck_assert_uint_le(n, STREAM_MAX - st.len);
	memcpy(st.buf + st.len, p, n);
	st.len += n;
}

/* A frame as the peer of a reader in role would send it. */
static void
s_frame(enum ws_role role, int fin, int opcode, const void *p, size_t n)
{
	uint8_t	key[4];
	size_t	len;

	st.nkeys++;
	key[0] = (uint8_t)(0x5a + st.nkeys);
	key[1] = (uint8_t)(0xc3 ^ st.nkeys);
	key[2] = (uint8_t)(st.nkeys * 37);
	key[3] = 0x81;
	len = ws_frame_encode(st.buf + st.len, STREAM_MAX - st.len, fin,
	    opcode, p, n, role == WS_ROLE_SERVER ? key : NULL);
	ck_assert_uint_ne(len, 0);
	st.len += len;
}

static void
s_text(enum ws_role role, int fin, int opcode, const char *s)
{
	s_frame(role, fin, opcode, s, strlen(s));
}

/* Only the header: the payload is left out on purpose. */
static void
s_header(enum ws_role role, int fin, int opcode, uint64_t len)
{
	static const uint8_t	key[4] = { 1, 2, 3, 4 };

	st.len += ws_frame_encode_hdr(st.buf + st.len, fin, opcode, len,
	    role == WS_ROLE_SERVER ? key : NULL);
}

static void
s_close(enum ws_role role, unsigned int code, const char *reason)
{
	uint8_t	p[WS_CONTROL_MAX];
	size_t	n = strlen(reason);

	p[0] = (uint8_t)(code >> 8);
	p[1] = (uint8_t)code;
	memcpy(p + 2, reason, n);
	s_frame(role, 1, WS_OP_CLOSE, p, 2 + n);
}

/*
 * Feeds a fresh copy of the stream (unmasking writes to it) in the pieces
 * cuts[] marks, stopping at the first code, which is returned.  *at gets
 * the end of the piece that returned it.
 */
static int
run_cuts(enum ws_role role, uint64_t max, const size_t *cuts, size_t ncuts,
    struct rec *rec, const struct ws_reader_ops *ops, size_t *at)
{
	struct ws_reader	r;
	size_t			i, from = 0, to;
	int			code;

	memcpy(work, st.buf, st.len);
	rec_reset(rec);
	ws_reader_init(&r, role, max);
	for (i = 0; i <= ncuts; i++) {
		to = i < ncuts ? cuts[i] : st.len;
		code = ws_reader_feed(&r, work + from, to - from, ops, rec);
		if (code != 0) {
			if (at != NULL)
				*at = to;
			return code;
		}
		from = to;
	}
	return 0;
}

static int
run_whole(enum ws_role role, uint64_t max, struct rec *rec)
{
	return run_cuts(role, max, NULL, 0, rec, &ops_all, NULL);
}

/* Byte by byte; *at is the index of the byte whose feed failed, plus 1. */
static int
run_bytes(enum ws_role role, uint64_t max, struct rec *rec, size_t *at)
{
	static size_t	cuts[STREAM_MAX];
	size_t		i;

	for (i = 0; i + 1 < st.len; i++)
		cuts[i] = i + 1;
	return run_cuts(role, max, cuts, st.len > 0 ? st.len - 1 : 0, rec,
	    &ops_all, at);
}

/*
 * Whole, byte by byte, at every single split and (for short streams) at
 * every pair of splits: the same code and the same callbacks each time.
 */
static int
run_all_ways(enum ws_role role, uint64_t max, struct rec *rec)
{
	size_t	cuts[2];
	int	code, c;

	code = run_whole(role, max, rec);
	ck_assert_int_eq(run_bytes(role, max, &rec_b, NULL), code);
	rec_expect_equal(rec, &rec_b, code == 0, "byte by byte");
	for (cuts[0] = 0; cuts[0] <= st.len; cuts[0]++) {
		c = run_cuts(role, max, cuts, 1, &rec_b, &ops_all, NULL);
		if (c != code)
			ck_abort_msg("cut at %zu: %d, want %d", cuts[0], c,
			    code);
		rec_expect_equal(rec, &rec_b, code == 0, "one cut");
	}
	for (cuts[0] = 0; cuts[0] <= st.len && st.len <= 300; cuts[0]++)
	for (cuts[1] = cuts[0]; cuts[1] <= st.len; cuts[1]++) {
		c = run_cuts(role, max, cuts, 2, &rec_b, &ops_all, NULL);
		if (c != code)
			ck_abort_msg("cuts at %zu/%zu: %d, want %d", cuts[0],
			    cuts[1], c, code);
		rec_expect_equal(rec, &rec_b, code == 0, "two cuts");
	}
	/* A whole op stands for data and message: the same events, whole
	 * and cut once anywhere. */
	for (cuts[0] = 0; cuts[0] <= st.len; cuts[0]++) {
		ck_assert_int_eq(run_cuts(role, max, cuts, 1, &rec_b,
		    &ops_whole, NULL), code);
		rec_expect_equal(rec, &rec_b, code == 0, "with a whole op");
	}
	/* Without callbacks, the verdict is the same. */
	ck_assert_int_eq(run_cuts(role, max, NULL, 0, &rec_b, &ops_none,
	    NULL), code);
	return code;
}

/*
 * The stream must fail with code, and byte by byte it must do so on the
 * byte at index at (the last header byte, the bad UTF-8 byte, ...).
 */
static void
expect_fail(enum ws_role role, uint64_t max, int code, size_t at)
{
	size_t	got_at = 0;

	ck_assert_int_eq(run_all_ways(role, max, &rec_a), code);
	ck_assert_int_eq(run_bytes(role, max, &rec_b, &got_at), code);
	ck_assert_msg(got_at == at + 1, "failed at byte %zu, want %zu",
	    got_at - 1, at);
}

static const enum ws_role	roles[] = { WS_ROLE_CLIENT, WS_ROLE_SERVER };
static const int		data_and_control[] = { WS_OP_TEXT, WS_OP_PING };

START_TEST(test_single_text)
{
	enum ws_role	role = roles[_i];
	size_t		i = 0;

	s_reset();
	s_text(role, 1, WS_OP_TEXT, "yo");
	ck_assert_int_eq(run_all_ways(role, 0, &rec_a), 0);
	expect_data(&rec_a, &i, WS_OP_TEXT, "yo");
	expect_message(&rec_a, &i, WS_OP_TEXT, 2);
	expect_end(&rec_a, i);
}
END_TEST

/* The payload handed to data is unmasked in the caller's buffer. */
START_TEST(test_unmask_in_place)
{
	static const uint8_t	frame[] = {
		0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d,
		0x7f, 0x9f, 0x4d, 0x51, 0x58
	};
	uint8_t			buf[sizeof(frame)];
	struct ws_reader	r;
	size_t			i = 0;

	memcpy(buf, frame, sizeof(frame));
	rec_reset(&rec_a);
	ws_reader_init(&r, WS_ROLE_SERVER, 0);
	ck_assert_int_eq(ws_reader_feed(&r, buf, sizeof(buf), &ops_all,
	    &rec_a), 0);
	ck_assert_mem_eq(buf + 6, "Hello", 5);
	expect_data(&rec_a, &i, WS_OP_TEXT, "Hello");
	expect_message(&rec_a, &i, WS_OP_TEXT, 5);
	expect_end(&rec_a, i);
}
END_TEST

/* A bit of everything, checked event by event, cut every way. */
START_TEST(test_mixed_stream)
{
	enum ws_role	role = roles[_i];
	uint8_t		bin[160];
	size_t		i = 0, k;

	for (k = 0; k < sizeof(bin); k++)
		bin[k] = (uint8_t)(k * 13);
	s_reset();
	s_text(role, 1, WS_OP_TEXT, "Hello");
	s_text(role, 1, WS_OP_TEXT, "");
	s_frame(role, 0, WS_OP_BINARY, bin, 30);
	s_text(role, 1, WS_OP_PING, "ping!");
	s_frame(role, 0, WS_OP_CONT, bin + 30, 0);
	s_frame(role, 1, WS_OP_CONT, bin + 30, 130);
	s_text(role, 1, WS_OP_PONG, "");
	s_text(role, 1, WS_OP_TEXT, "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc"
	    "\xce\xb5");
	s_close(role, 1000, "bye");
	ck_assert_int_eq(run_all_ways(role, 0, &rec_a), 0);

	expect_data(&rec_a, &i, WS_OP_TEXT, "Hello");
	expect_message(&rec_a, &i, WS_OP_TEXT, 5);
	expect_message(&rec_a, &i, WS_OP_TEXT, 0);
	expect_ev(&rec_a, &i, EV_DATA, WS_OP_BINARY, bin, 30, 0);
	expect_control(&rec_a, &i, WS_OP_PING, "ping!", 5);
	expect_ev(&rec_a, &i, EV_DATA, WS_OP_BINARY, bin + 30, 130, 0);
	expect_message(&rec_a, &i, WS_OP_BINARY, 160);
	expect_control(&rec_a, &i, WS_OP_PONG, "", 0);
	expect_data(&rec_a, &i, WS_OP_TEXT, "\xce\xba\xe1\xbd\xb9\xcf\x83"
	    "\xce\xbc\xce\xb5");
	expect_message(&rec_a, &i, WS_OP_TEXT, 11);
	expect_control(&rec_a, &i, WS_OP_CLOSE, "\x03\xe8" "bye", 5);
	expect_end(&rec_a, i);
}
END_TEST

/* RFC 6455 5.4: control frames in the middle of a fragmented message. */
START_TEST(test_fragments_with_ping)
{
	enum ws_role	role = roles[_i];
	size_t		i = 0;

	s_reset();
	s_text(role, 0, WS_OP_TEXT, "Hel");
	s_text(role, 1, WS_OP_PING, "p");
	s_text(role, 0, WS_OP_CONT, "lo");
	s_text(role, 1, WS_OP_PONG, "");
	s_text(role, 1, WS_OP_PING, "");
	s_text(role, 1, WS_OP_CONT, " world");
	s_text(role, 1, WS_OP_BINARY, "x");
	ck_assert_int_eq(run_all_ways(role, 0, &rec_a), 0);

	expect_data(&rec_a, &i, WS_OP_TEXT, "Hel");
	expect_control(&rec_a, &i, WS_OP_PING, "p", 1);
	expect_data(&rec_a, &i, WS_OP_TEXT, "lo");
	expect_control(&rec_a, &i, WS_OP_PONG, "", 0);
	expect_control(&rec_a, &i, WS_OP_PING, "", 0);
	expect_data(&rec_a, &i, WS_OP_TEXT, " world");
	expect_message(&rec_a, &i, WS_OP_TEXT, 11);
	expect_data(&rec_a, &i, WS_OP_BINARY, "x");
	expect_message(&rec_a, &i, WS_OP_BINARY, 1);
	expect_end(&rec_a, i);
}
END_TEST

/* The hot case: thousands of 4-byte frames in one buffer. */
START_TEST(test_many_tiny_frames)
{
	struct ws_reader	r;
	size_t			k, i = 0;

	s_reset();
	for (k = 0; k < 2000; k++)
		s_raw("\x81\x02yo", 4);
	ck_assert_int_eq(run_whole(WS_ROLE_CLIENT, 0, &rec_a), 0);
	for (k = 0; k < 2000; k++) {
		expect_data(&rec_a, &i, WS_OP_TEXT, "yo");
		expect_message(&rec_a, &i, WS_OP_TEXT, 2);
	}
	expect_end(&rec_a, i);
	ck_assert_uint_eq(rec_a.data_calls, 2000);

	/* Every split of a shorter run of them gives the same. */
	s_reset();
	for (k = 0; k < 20; k++)
		s_raw("\x81\x02yo", 4);
	ck_assert_int_eq(run_all_ways(WS_ROLE_CLIENT, 0, &rec_a), 0);
	ck_assert_uint_eq(rec_a.nev, 40);

	/* A header split across feeds is complete in the next one. */
	memcpy(work, "\x81\x02yo\x81", 5);
	rec_reset(&rec_a);
	ws_reader_init(&r, WS_ROLE_CLIENT, 0);
	ck_assert_int_eq(ws_reader_feed(&r, work, 5, &ops_all, &rec_a), 0);
	ck_assert_uint_eq(rec_a.nev, 2);
	memcpy(work, "\x02hi", 3);
	ck_assert_int_eq(ws_reader_feed(&r, work, 3, &ops_all, &rec_a), 0);
	ck_assert_uint_eq(rec_a.nev, 4);
	ck_assert_uint_eq(r.hbuf_len, 0);
	ck_assert_int_eq(r.in_payload, 0);
}
END_TEST

/* 16- and 64-bit lengths, masked at odd offsets across pieces. */
START_TEST(test_long_frames)
{
	static uint8_t	big[70000];
	enum ws_role	role = roles[_i];
	size_t		k, i = 0, cuts[5] = { 1, 3, 777, 65541, 69999 };
	int		code;

	for (k = 0; k < sizeof(big); k++)
		big[k] = (uint8_t)(k ^ (k >> 8));
	s_reset();
	s_frame(role, 1, WS_OP_BINARY, big, 126);
	s_frame(role, 0, WS_OP_BINARY, big, 65536);
	s_frame(role, 1, WS_OP_CONT, big + 65536, sizeof(big) - 65536);
	ck_assert_int_eq(run_whole(role, 0, &rec_a), 0);
	expect_ev(&rec_a, &i, EV_DATA, WS_OP_BINARY, big, 126, 0);
	expect_message(&rec_a, &i, WS_OP_BINARY, 126);
	expect_ev(&rec_a, &i, EV_DATA, WS_OP_BINARY, big, sizeof(big), 0);
	expect_message(&rec_a, &i, WS_OP_BINARY, sizeof(big));
	expect_end(&rec_a, i);

	code = run_cuts(role, 0, cuts, 5, &rec_b, &ops_all, NULL);
	ck_assert_int_eq(code, 0);
	rec_expect_equal(&rec_a, &rec_b, 1, "cuts");
	ck_assert_int_eq(run_bytes(role, 0, &rec_b, NULL), 0);
	rec_expect_equal(&rec_a, &rec_b, 1, "bytes");
}
END_TEST

START_TEST(test_empty_messages)
{
	enum ws_role	role = roles[_i];
	size_t		i = 0;

	s_reset();
	s_text(role, 1, WS_OP_TEXT, "");
	s_text(role, 1, WS_OP_BINARY, "");
	s_text(role, 0, WS_OP_TEXT, "");
	s_text(role, 0, WS_OP_CONT, "");
	s_text(role, 1, WS_OP_CONT, "");
	s_text(role, 1, WS_OP_PING, "");
	ck_assert_int_eq(run_all_ways(role, 0, &rec_a), 0);
	expect_message(&rec_a, &i, WS_OP_TEXT, 0);
	expect_message(&rec_a, &i, WS_OP_BINARY, 0);
	expect_message(&rec_a, &i, WS_OP_TEXT, 0);
	expect_control(&rec_a, &i, WS_OP_PING, "", 0);
	expect_end(&rec_a, i);
	ck_assert_uint_eq(rec_a.data_calls, 0);
}
END_TEST

/* Control frames of the largest size, split across feeds. */
START_TEST(test_control_125)
{
	enum ws_role	role = roles[_i];
	uint8_t		p[125], c[125];
	size_t		i = 0;

	memset(p, 'z', sizeof(p));
	memset(c, 'c', sizeof(c));
	c[0] = 0x0f;	/* 4000 */
	c[1] = 0xa0;
	s_reset();
	s_frame(role, 1, WS_OP_PING, p, 125);
	s_frame(role, 1, WS_OP_PONG, p, 124);
	s_frame(role, 1, WS_OP_CLOSE, c, 125);
	ck_assert_int_eq(run_all_ways(role, 0, &rec_a), 0);
	expect_control(&rec_a, &i, WS_OP_PING, p, 125);
	expect_control(&rec_a, &i, WS_OP_PONG, p, 124);
	expect_control(&rec_a, &i, WS_OP_CLOSE, c, 125);
	expect_end(&rec_a, i);
}
END_TEST

/* Any RSV bit, on data and control frames, at the last header byte. */
START_TEST(test_rsv)
{
	enum ws_role	role = roles[_i];
	size_t		first, k;
	int		bit;

	for (bit = 0x10; bit <= 0x40; bit <<= 1)
	for (k = 0; k < 2; k++) {
		s_reset();
		s_text(role, 1, WS_OP_TEXT, "ok");
		first = st.len;
		s_text(role, 1, data_and_control[k], "x");
		st.buf[first] |= (uint8_t)bit;
		expect_fail(role, 0, WS_CLOSE_PROTOCOL,
		    first + (role == WS_ROLE_SERVER ? 5 : 1));
		ck_assert_uint_eq(rec_a.nev, 2);
	}
}
END_TEST

START_TEST(test_unknown_opcodes)
{
	static const int	bad[] = {
		3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf
	};
	enum ws_role		role = roles[_i];
	size_t			k;

	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		s_reset();
		s_text(role, 1, bad[k], "");
		expect_fail(role, 0, WS_CLOSE_PROTOCOL, st.len - 1);
		/* Also in the middle of a message. */
		s_reset();
		s_text(role, 0, WS_OP_BINARY, "ab");
		s_header(role, 1, bad[k], 3);
		expect_fail(role, 0, WS_CLOSE_PROTOCOL, st.len - 1);
	}
}
END_TEST

/* Lengths that decode refuses: the reader fails at the header's end. */
START_TEST(test_bad_lengths)
{
	static const uint8_t	nonmin16[] = { 0x82, 0x7e, 0x00, 0x7d };
	static const uint8_t	nonmin64[] = {
		0x82, 0x7f, 0, 0, 0, 0, 0, 0, 0xff, 0xff
	};
	static const uint8_t	toplen[] = {
		0x82, 0x7f, 0x80, 0, 0, 0, 0, 0, 0, 1
	};
	static const uint8_t	key[4] = { 1, 2, 3, 4 };
	const uint8_t		*cases[] = { nonmin16, nonmin64, toplen };
	const size_t		 lens[] = { 4, 10, 10 };
	size_t			 k;

	for (k = 0; k < 3; k++) {
		s_reset();
		s_raw(cases[k], lens[k]);
		expect_fail(WS_ROLE_CLIENT, 0, WS_CLOSE_PROTOCOL, lens[k] - 1);
		/* The same, masked, to a server. */
		s_reset();
		s_raw(cases[k], lens[k]);
		st.buf[1] |= 0x80;
		s_raw(key, 4);
		expect_fail(WS_ROLE_SERVER, 0, WS_CLOSE_PROTOCOL, lens[k] + 3);
	}
}
END_TEST

/* A server wants masked frames, a client unmasked ones. */
START_TEST(test_masking_by_role)
{
	size_t	k;

	for (k = 0; k < 2; k++) {
		s_reset();
		s_text(WS_ROLE_CLIENT, 1, data_and_control[k], "abc");
		expect_fail(WS_ROLE_SERVER, 0, WS_CLOSE_PROTOCOL, 1);
		s_reset();
		s_text(WS_ROLE_SERVER, 1, data_and_control[k], "abc");
		expect_fail(WS_ROLE_CLIENT, 0, WS_CLOSE_PROTOCOL, 5);
	}
}
END_TEST

START_TEST(test_control_rules)
{
	enum ws_role	role = roles[_i];
	uint8_t		p[126];
	size_t		hl = role == WS_ROLE_SERVER ? 4 : 0;
	int		op;

	memset(p, 0, sizeof(p));
	p[0] = 0x03;	/* 1000, for the close frames */
	p[1] = 0xe8;
	for (op = WS_OP_CLOSE; op <= WS_OP_PONG; op++) {
		/* Too long, refused on the header alone. */
		s_reset();
		s_header(role, 1, op, 126);
		expect_fail(role, 0, WS_CLOSE_PROTOCOL, 3 + hl);
		s_reset();
		s_frame(role, 1, op, p, 126);
		expect_fail(role, 0, WS_CLOSE_PROTOCOL, 3 + hl);
		/* Fragmented. */
		s_reset();
		s_text(role, 0, WS_OP_TEXT, "a");
		s_header(role, 0, op, 2);
		expect_fail(role, 0, WS_CLOSE_PROTOCOL, st.len - 1);
	}
}
END_TEST

START_TEST(test_data_sequence)
{
	enum ws_role	role = roles[_i];

	/* Continuation with nothing to continue. */
	s_reset();
	s_text(role, 1, WS_OP_CONT, "x");
	expect_fail(role, 0, WS_CLOSE_PROTOCOL, st.len - 2);
	s_reset();
	s_text(role, 1, WS_OP_TEXT, "done");
	s_text(role, 0, WS_OP_CONT, "");
	expect_fail(role, 0, WS_CLOSE_PROTOCOL, st.len - 1);
	ck_assert_uint_eq(rec_a.nev, 2);
	/* A new message while one is in progress. */
	s_reset();
	s_text(role, 0, WS_OP_TEXT, "a");
	s_text(role, 1, WS_OP_TEXT, "b");
	expect_fail(role, 0, WS_CLOSE_PROTOCOL, st.len - 2);
	s_reset();
	s_text(role, 0, WS_OP_BINARY, "a");
	s_text(role, 1, WS_OP_PING, "");
	s_text(role, 0, WS_OP_BINARY, "");
	expect_fail(role, 0, WS_CLOSE_PROTOCOL, st.len - 1);
	ck_assert_uint_eq(rec_a.nev, 2);
}
END_TEST

START_TEST(test_close_payload)
{
	static const unsigned int	good[] = {
		1000, 1001, 1002, 1003, 1007, 1011, 3000, 4999
	};
	static const unsigned int	bad[] = {
		0, 999, 1004, 1005, 1006, 1012, 1015, 1016, 2999, 5000, 65535
	};
	enum ws_role			role = roles[_i];
	size_t				k, i;

	for (k = 0; k < sizeof(good) / sizeof(good[0]); k++) {
		s_reset();
		s_close(role, good[k], "");
		ck_assert_int_eq(run_all_ways(role, 0, &rec_a), 0);
		ck_assert_uint_eq(rec_a.nev, 1);
		ck_assert_uint_eq(rec_a.ev[0].n, 2);
		ck_assert_uint_eq(rec_a.data[0] << 8 | rec_a.data[1],
		    good[k]);
	}
	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		s_reset();
		s_close(role, bad[k], "why");
		expect_fail(role, 0, WS_CLOSE_PROTOCOL, st.len - 1);
		ck_assert_uint_eq(rec_a.nev, 0);
	}
	/* Empty: fine. */
	s_reset();
	s_text(role, 1, WS_OP_CLOSE, "");
	ck_assert_int_eq(run_all_ways(role, 0, &rec_a), 0);
	i = 0;
	expect_control(&rec_a, &i, WS_OP_CLOSE, "", 0);
	expect_end(&rec_a, i);
	/*
	 * One byte: no room for a code.  The ping leaves what would make a
	 * valid code, 1000, in the control buffer.
	 */
	s_reset();
	s_text(role, 1, WS_OP_PING, "\x03\xe8");
	s_text(role, 1, WS_OP_CLOSE, "\x03");
	expect_fail(role, 0, WS_CLOSE_PROTOCOL, st.len - 1);
	ck_assert_uint_eq(rec_a.nev, 1);
	/* UTF-8 reasons. */
	s_reset();
	s_close(role, 1001, "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5");
	ck_assert_int_eq(run_all_ways(role, 0, &rec_a), 0);
	ck_assert_uint_eq(rec_a.nev, 1);
	s_reset();
	s_close(role, 1000, "bad \xed\xa0\x80");
	expect_fail(role, 0, WS_CLOSE_BAD_DATA, st.len - 1);
	ck_assert_uint_eq(rec_a.nev, 0);
	s_reset();
	s_close(role, 1000, "cut \xe2\x82");
	expect_fail(role, 0, WS_CLOSE_BAD_DATA, st.len - 1);
}
END_TEST

/* After a CLOSE, the rest is swallowed, even garbage. */
START_TEST(test_after_close)
{
	enum ws_role		role = roles[_i];
	struct ws_reader	r;
	size_t			i = 0;

	s_reset();
	s_text(role, 0, WS_OP_TEXT, "unfinished");
	s_close(role, 1001, "");
	s_text(role, 1, WS_OP_CONT, "ignored");
	s_raw("\xff\xff\xff\xff\x00\x7f", 6);
	s_text(role, 1, WS_OP_PING, "ignored");
	ck_assert_int_eq(run_all_ways(role, 0, &rec_a), 0);
	expect_data(&rec_a, &i, WS_OP_TEXT, "unfinished");
	expect_control(&rec_a, &i, WS_OP_CLOSE, "\x03\xe9", 2);
	expect_end(&rec_a, i);

	/* And it stays so over later feeds. */
	memcpy(work, st.buf, st.len);
	rec_reset(&rec_a);
	ws_reader_init(&r, role, 0);
	ck_assert_int_eq(ws_reader_feed(&r, work, st.len, &ops_all, &rec_a),
	    0);
	ck_assert_int_eq(r.closed, 1);
	memset(work, 0xff, 100);
	ck_assert_int_eq(ws_reader_feed(&r, work, 100, &ops_all, &rec_a), 0);
	ck_assert_int_eq(ws_reader_feed(&r, NULL, 0, &ops_all, &rec_a), 0);
	ck_assert_uint_eq(rec_a.nev, 2);
}
END_TEST

START_TEST(test_max_message)
{
	enum ws_role	role = roles[_i];
	uint8_t		p[200];
	size_t		i = 0;

	memset(p, 'm', sizeof(p));
	/* Exactly the limit, in one frame or in fragments. */
	s_reset();
	s_frame(role, 1, WS_OP_BINARY, p, 100);
	s_frame(role, 0, WS_OP_TEXT, p, 60);
	s_text(role, 1, WS_OP_PING, "");
	s_frame(role, 0, WS_OP_CONT, p, 0);
	s_frame(role, 1, WS_OP_CONT, p, 40);
	/* Control frames do not count. */
	s_frame(role, 1, WS_OP_PING, p, 125);
	ck_assert_int_eq(run_all_ways(role, 100, &rec_a), 0);
	expect_ev(&rec_a, &i, EV_DATA, WS_OP_BINARY, p, 100, 0);
	expect_message(&rec_a, &i, WS_OP_BINARY, 100);
	expect_ev(&rec_a, &i, EV_DATA, WS_OP_TEXT, p, 60, 0);
	expect_control(&rec_a, &i, WS_OP_PING, "", 0);
	expect_ev(&rec_a, &i, EV_DATA, WS_OP_TEXT, p, 40, 0);
	expect_message(&rec_a, &i, WS_OP_TEXT, 100);
	expect_ev(&rec_a, &i, EV_CONTROL, WS_OP_PING, p, 125, 0);
	expect_end(&rec_a, i);

	/* One byte over: refused on the header, no payload needed. */
	s_reset();
	s_header(role, 1, WS_OP_BINARY, 101);
	expect_fail(role, 100, WS_CLOSE_TOO_BIG, st.len - 1);
	s_reset();
	s_header(role, 1, WS_OP_BINARY, UINT64_C(0x7fffffffffffffff));
	expect_fail(role, 100, WS_CLOSE_TOO_BIG, st.len - 1);
	/* Over in the sum of the fragments. */
	s_reset();
	s_frame(role, 0, WS_OP_TEXT, p, 60);
	s_frame(role, 0, WS_OP_CONT, p, 40);
	s_header(role, 1, WS_OP_CONT, 1);
	expect_fail(role, 100, WS_CLOSE_TOO_BIG, st.len - 1);
	ck_assert_uint_eq(rec_a.nev, 1);
	ck_assert_uint_eq(rec_a.ev[0].n, 100);
	/* No limit: even the largest length is let in. */
	s_reset();
	s_header(role, 0, WS_OP_BINARY, UINT64_C(0x7fffffffffffffff));
	ck_assert_int_eq(run_all_ways(role, 0, &rec_a), 0);
}
END_TEST

/* msg_len cannot wrap without a limit: UINT64_MAX is the limit then. */
START_TEST(test_no_limit_wrap)
{
	struct ws_reader	r;
	uint8_t			hdr[WS_FRAME_HDR_MAX];
	size_t			n;

	ws_reader_init(&r, WS_ROLE_CLIENT, 0);
	r.msg_opcode = WS_OP_BINARY;	/* as if after 2^64 - 10 bytes */
	r.msg_len = UINT64_MAX - 10;
	n = ws_frame_encode_hdr(hdr, 0, WS_OP_CONT, 10, NULL);
	ck_assert_int_eq(ws_reader_feed(&r, hdr, n, &ops_none, NULL), 0);
	ck_assert_uint_eq(r.msg_len, UINT64_MAX);

	ws_reader_init(&r, WS_ROLE_CLIENT, 0);
	r.msg_opcode = WS_OP_BINARY;
	r.msg_len = UINT64_MAX - 10;
	n = ws_frame_encode_hdr(hdr, 0, WS_OP_CONT, 11, NULL);
	ck_assert_int_eq(ws_reader_feed(&r, hdr, n, &ops_none, NULL),
	    WS_CLOSE_TOO_BIG);
}
END_TEST

START_TEST(test_utf8_whole_frames)
{
	enum ws_role	role = roles[_i];
	size_t		i = 0;

	/* A character split across fragments, with a ping in between. */
	s_reset();
	s_text(role, 0, WS_OP_TEXT, "\xce");
	s_text(role, 1, WS_OP_PING, "");
	s_text(role, 0, WS_OP_CONT, "\xba\xf0\x9f");
	s_text(role, 1, WS_OP_CONT, "\x98\x80");
	ck_assert_int_eq(run_all_ways(role, 0, &rec_a), 0);
	expect_data(&rec_a, &i, WS_OP_TEXT, "\xce");
	expect_control(&rec_a, &i, WS_OP_PING, "", 0);
	expect_data(&rec_a, &i, WS_OP_TEXT, "\xba\xf0\x9f\x98\x80");
	expect_message(&rec_a, &i, WS_OP_TEXT, 6);
	expect_end(&rec_a, i);

	/* Binary messages are not checked. */
	s_reset();
	s_text(role, 1, WS_OP_BINARY, "\xff\xc0");
	ck_assert_int_eq(run_all_ways(role, 0, &rec_a), 0);

	/* The state starts afresh with each message. */
	s_reset();
	s_text(role, 1, WS_OP_BINARY, "\xe2");
	s_text(role, 1, WS_OP_TEXT, "\x82\xac");
	expect_fail(role, 0, WS_CLOSE_BAD_DATA, st.len - 2);
}
END_TEST

/* Bad UTF-8 fails on the very byte that rules it out. */
START_TEST(test_utf8_fail_fast)
{
	enum ws_role	role = roles[_i];
	size_t		bad;

	s_reset();
	s_text(role, 1, WS_OP_TEXT, "hello \xff world");
	expect_fail(role, 0, WS_CLOSE_BAD_DATA, st.len - 7);
	/* A piece holding a bad byte is not delivered. */
	ck_assert_uint_eq(rec_a.ndata, 0);

	/* Split across fragments: the first fragment is fine. */
	s_reset();
	s_text(role, 0, WS_OP_TEXT, "abc\xed");
	s_text(role, 1, WS_OP_PONG, "");
	bad = st.len;
	s_text(role, 0, WS_OP_CONT, "\xa0\x80 and more");
	s_text(role, 1, WS_OP_CONT, "never read");
	expect_fail(role, 0, WS_CLOSE_BAD_DATA,
	    bad + (role == WS_ROLE_SERVER ? 6 : 2));
	ck_assert_uint_eq(rec_a.nev, 2);

	/* The bad byte ends a non-final fragment. */
	s_reset();
	s_text(role, 0, WS_OP_TEXT, "ok \xf4\x90");
	s_text(role, 1, WS_OP_CONT, "\x80\x80");
	expect_fail(role, 0, WS_CLOSE_BAD_DATA,
	    (role == WS_ROLE_SERVER ? 6 : 2) + 4);
}
END_TEST

/* A text message may not end inside a character. */
START_TEST(test_utf8_truncated)
{
	enum ws_role	role = roles[_i];

	s_reset();
	s_text(role, 1, WS_OP_TEXT, "abc\xe2\x82");
	expect_fail(role, 0, WS_CLOSE_BAD_DATA, st.len - 1);
	s_reset();
	s_text(role, 0, WS_OP_TEXT, "abc\xe2");
	s_text(role, 0, WS_OP_CONT, "\x82");
	s_text(role, 1, WS_OP_CONT, "");
	expect_fail(role, 0, WS_CLOSE_BAD_DATA, st.len - 1);
}
END_TEST

/* Callbacks may be missing one by one; nothing else changes. */
/*
 * Whole small messages take a fast path, anything else the general one:
 * the reader's own count must agree with the message callbacks however the
 * stream mixes them and however it is cut.
 */
START_TEST(test_message_count)
{
	enum ws_role		role = _i ? WS_ROLE_SERVER : WS_ROLE_CLIENT;
	struct ws_reader	r;
	uint8_t			big[300];
	size_t			k, step, n, messages;

	memset(big, 'b', sizeof(big));
	s_reset();
	for (k = 0; k < 50; k++) {
		s_text(role, 1, WS_OP_TEXT, "yo");
		s_frame(role, 1, WS_OP_BINARY, big, sizeof(big));
		s_text(role, 0, WS_OP_TEXT, "fr");
		s_text(role, 1, WS_OP_PING, "p");
		s_text(role, 1, WS_OP_CONT, "ag");
		s_text(role, 1, WS_OP_TEXT, "");
	}
	for (step = 1; step <= st.len; step = step * 3 + 1) {
		memcpy(work, st.buf, st.len);
		rec_reset(&rec_a);
		ws_reader_init(&r, role, 0);
		for (k = 0; k < st.len; k += n) {
			n = st.len - k < step ? st.len - k : step;
			ck_assert_int_eq(ws_reader_feed(&r, work + k, n,
			    &ops_all, &rec_a), 0);
		}
		for (messages = 0, k = 0; k < rec_a.nev; k++)
			messages += rec_a.ev[k].kind == EV_MESSAGE;
		ck_assert_uint_eq(messages, 200);
		ck_assert_uint_eq(r.messages, 200);
	}
}
END_TEST

/*
 * A callback that sets fail stops the feed at once, on the fast path as on
 * the general one: the first message's data callback, or its message
 * callback, fails the stream, whole or however it is cut.
 */
static struct ws_reader	failing;	/* the reader the callbacks fail */

static void
fail_data(void *arg, int opcode, const uint8_t *p, size_t n)
{
	on_data(arg, opcode, p, n);
	failing.fail = WS_CLOSE_BAD_DATA;
}

static void
fail_message(void *arg, int opcode, uint64_t len)
{
	on_message(arg, opcode, len);
	failing.fail = WS_CLOSE_BAD_DATA;
}

START_TEST(test_callback_fail)
{
	static const struct ws_reader_ops	ops[] = {
		{ .data = fail_data, .message = on_message },
		{ .data = on_data, .message = fail_message },
	};
	enum ws_role		role = _i ? WS_ROLE_SERVER : WS_ROLE_CLIENT;
	size_t			k, o, step, n, messages;
	int			code;

	s_reset();
	for (k = 0; k < 3; k++)
		s_text(role, 1, WS_OP_TEXT, "yo");
	/* Whole (the fast path), byte by byte (the general one), between. */
	for (o = 0; o < 2; o++)
	for (step = st.len; step > 0; step = step > 1 ? step / 3 : 0) {
		memcpy(work, st.buf, st.len);
		rec_reset(&rec_a);
		ws_reader_init(&failing, role, 0);
		for (code = 0, k = 0; code == 0 && k < st.len; k += n) {
			n = st.len - k < step ? st.len - k : step;
			code = ws_reader_feed(&failing, work + k, n, &ops[o],
			    &rec_a);
		}
		ck_assert_int_eq(code, WS_CLOSE_BAD_DATA);
		for (messages = 0, k = 0; k < rec_a.nev; k++)
			messages += rec_a.ev[k].kind == EV_MESSAGE;
		ck_assert_uint_eq(messages, o);
		ck_assert_uint_eq(failing.messages, o);
	}
}
END_TEST

/* Frames whole in a feed take the whole op, one call each; split over
 * feeds, data and message. */
START_TEST(test_whole_op)
{
	static size_t	cuts[64];
	enum ws_role	role = roles[_i];
	size_t		i = 0, k;

	s_reset();
	for (k = 0; k < 3; k++)
		s_text(role, 1, WS_OP_TEXT, "yo");
	s_text(role, 1, WS_OP_BINARY, "");
	ck_assert_int_eq(run_cuts(role, 0, NULL, 0, &rec_a, &ops_whole, NULL),
	    0);
	ck_assert_uint_eq(rec_a.whole_calls, 4);
	ck_assert_uint_eq(rec_a.data_calls, 0);
	for (k = 0; k < 3; k++) {
		expect_data(&rec_a, &i, WS_OP_TEXT, "yo");
		expect_message(&rec_a, &i, WS_OP_TEXT, 2);
	}
	expect_message(&rec_a, &i, WS_OP_BINARY, 0);
	expect_end(&rec_a, i);
	for (k = 0; k + 1 < st.len; k++)
		cuts[k] = k + 1;
	ck_assert_int_eq(run_cuts(role, 0, cuts, st.len - 1, &rec_b,
	    &ops_whole, NULL), 0);
	rec_expect_equal(&rec_a, &rec_b, 1, "byte by byte");
	ck_assert_uint_eq(rec_b.whole_calls, 0);
}
END_TEST

START_TEST(test_null_callbacks)
{
	static const struct ws_reader_ops	only_data = { .data = on_data };
	static const struct ws_reader_ops	only_ctl = {
		.control = on_control
	};

	s_reset();
	s_text(WS_ROLE_CLIENT, 0, WS_OP_TEXT, "abc");
	s_text(WS_ROLE_CLIENT, 1, WS_OP_PING, "p");
	s_text(WS_ROLE_CLIENT, 1, WS_OP_CONT, "def");
	s_close(WS_ROLE_CLIENT, 1000, "");
	ck_assert_int_eq(run_cuts(WS_ROLE_CLIENT, 0, NULL, 0, &rec_a,
	    &ops_none, NULL), 0);
	ck_assert_uint_eq(rec_a.nev, 0);
	ck_assert_int_eq(run_cuts(WS_ROLE_CLIENT, 0, NULL, 0, &rec_a,
	    &only_data, NULL), 0);
	ck_assert_uint_eq(rec_a.nev, 1);
	ck_assert_uint_eq(rec_a.ev[0].n, 6);
	ck_assert_int_eq(run_cuts(WS_ROLE_CLIENT, 0, NULL, 0, &rec_a,
	    &only_ctl, NULL), 0);
	ck_assert_uint_eq(rec_a.nev, 2);
	ck_assert_int_eq(rec_a.ev[0].opcode, WS_OP_PING);
	ck_assert_int_eq(rec_a.ev[1].opcode, WS_OP_CLOSE);
}
END_TEST

/* Empty feeds anywhere: before, inside a header, inside a payload. */
START_TEST(test_empty_feeds)
{
	struct ws_reader	r;
	size_t			k, i = 0;

	s_reset();
	s_text(WS_ROLE_SERVER, 1, WS_OP_TEXT, "hello");
	memcpy(work, st.buf, st.len);
	rec_reset(&rec_a);
	ws_reader_init(&r, WS_ROLE_SERVER, 0);
	for (k = 0; k < st.len; k++) {
		ck_assert_int_eq(ws_reader_feed(&r, work + k, 0, &ops_all,
		    &rec_a), 0);
		ck_assert_int_eq(ws_reader_feed(&r, work + k, 1, &ops_all,
		    &rec_a), 0);
	}
	ck_assert_int_eq(ws_reader_feed(&r, NULL, 0, &ops_all, &rec_a), 0);
	expect_data(&rec_a, &i, WS_OP_TEXT, "hello");
	expect_message(&rec_a, &i, WS_OP_TEXT, 5);
	expect_end(&rec_a, i);
}
END_TEST

static Suite *
reader_suite(void)
{
	Suite	*s = suite_create("ws_reader");
	TCase	*tc;

	tc = tcase_create("good");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_single_text, 0, 2);
	tcase_add_test(tc, test_unmask_in_place);
	tcase_add_loop_test(tc, test_mixed_stream, 0, 2);
	tcase_add_loop_test(tc, test_fragments_with_ping, 0, 2);
	tcase_add_test(tc, test_many_tiny_frames);
	tcase_add_loop_test(tc, test_long_frames, 0, 2);
	tcase_add_loop_test(tc, test_empty_messages, 0, 2);
	tcase_add_loop_test(tc, test_control_125, 0, 2);
	tcase_add_loop_test(tc, test_message_count, 0, 2);
	tcase_add_loop_test(tc, test_callback_fail, 0, 2);
	tcase_add_test(tc, test_null_callbacks);
	tcase_add_loop_test(tc, test_whole_op, 0, 2);
	tcase_add_test(tc, test_empty_feeds);
	suite_add_tcase(s, tc);

	tc = tcase_create("violations");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_rsv, 0, 2);
	tcase_add_loop_test(tc, test_unknown_opcodes, 0, 2);
	tcase_add_test(tc, test_bad_lengths);
	tcase_add_test(tc, test_masking_by_role);
	tcase_add_loop_test(tc, test_control_rules, 0, 2);
	tcase_add_loop_test(tc, test_data_sequence, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("close");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_close_payload, 0, 2);
	tcase_add_loop_test(tc, test_after_close, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_max_message, 0, 2);
	tcase_add_test(tc, test_no_limit_wrap);
	suite_add_tcase(s, tc);

	tc = tcase_create("utf8");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_utf8_whole_frames, 0, 2);
	tcase_add_loop_test(tc, test_utf8_fail_fast, 0, 2);
	tcase_add_loop_test(tc, test_utf8_truncated, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(reader_suite(), NULL);
}
