/* SPDX-License-Identifier: ISC */
/*
 * The frame reader, fed the same bytes twice: in one piece, and cut where
 * the input says.  The fast path takes only whole frames and the general
 * path the rest, so the cuts steer the bytes between them; both feeds
 * must tell the same story (the same messages, control frames, counts and
 * close code), and every callback must keep the promises of ws_reader.h.
 *
 * Input: a flags byte (role, permessage-deflate, a message limit), the
 * limit, the number of cut lengths and those lengths (used in turn, over
 * and over), then the bytes on the wire.
 *
 * Without the fail flag, a third feed in one piece gives the whole op
 * (a message whole in one frame, in one call): it must tell the story of
 * the first.
 *
 * With the fail flag, a callback sets the reader's fail at the event the
 * next byte numbers (a message's first data, its end, a control frame,
 * counted from 1), as a job does that gives up on a connection: the feed
 * must stop there with that code, and no callback may come after it.
 * Both feeds then tell the same story, unless a data callback failed:
 * the fast path checks a whole frame's UTF-8 before handing it on, the
 * general path as the bytes come, so the two may see a bad frame and a
 * failing callback in either order.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ws_reader.h"

#define READER_SERVER	0x01
#define READER_DEFLATE	0x02
#define READER_LIMIT	0x04
#define READER_FAIL	0x08
#define READER_FAIL_CODE WS_CLOSE_INTERNAL	/* one the reader never gives */
#define READER_CUTS_MAX	16

/* What one feed saw. */
struct reader_log {
	struct ws_reader *r;
	uint64_t	 digest;	/* of messages and control frames */
	uint64_t	 messages;
	uint64_t	 payload;	/* of those not compressed */
	/* The message coming in: its opcode (0 before its first data) and
	 * bytes, kept to be checked as UTF-8 when it is text. */
	int		 opcode;
	uint8_t		*msg;
	size_t		 msg_len;
	/* The events so far, the one to fail at (0: none), and whether a
	 * data callback failed. */
	unsigned int	 events, fail_at;
	int		 data_failed;
};

/* Counts an event, failing the reader at the one chosen; none may come
 * once it has failed. */
static void
reader_event(struct reader_log *log, int data)
{
	FUZZ_CHECK(log->r->fail == 0);
	if (++log->events == log->fail_at) {
		log->r->fail = READER_FAIL_CODE;
		log->data_failed = data;
	}
}

static void
reader_on_data(void *arg, int opcode, const uint8_t *p, size_t n)
{
	struct reader_log	*log = arg;

	FUZZ_CHECK(opcode == WS_OP_TEXT || opcode == WS_OP_BINARY);
	FUZZ_CHECK(n > 0);
	FUZZ_CHECK(log->opcode == 0 || log->opcode == opcode);
	FUZZ_CHECK(log->r->fail == 0);
	if (log->msg_len == 0)
		reader_event(log, 1);
	log->opcode = opcode;
	if ((log->msg = realloc(log->msg, log->msg_len + n)) == NULL)
		abort();
	memcpy(log->msg + log->msg_len, p, n);
	log->msg_len += n;
	if (log->r->max_message != 0)
		FUZZ_CHECK(log->msg_len <= log->r->max_message);
}

static void
reader_on_message(void *arg, int opcode, uint64_t len)
{
	struct reader_log	*log = arg;
	uint64_t		 event[2] = { (uint64_t)opcode, len };

	FUZZ_CHECK(opcode == WS_OP_TEXT || opcode == WS_OP_BINARY);
	FUZZ_CHECK(log->opcode == 0 || log->opcode == opcode);
	FUZZ_CHECK(len == log->msg_len);
	if (log->r->max_message != 0)
		FUZZ_CHECK(len <= log->r->max_message);
	/* A compressed payload is handed on as it came. */
	if (opcode == WS_OP_TEXT && !log->r->msg_compressed)
		FUZZ_CHECK(fuzz_utf8_ok(log->msg, log->msg_len));
	log->digest = fuzz_hash(log->digest, event, sizeof(event));
	log->digest = fuzz_hash(log->digest, log->msg, log->msg_len);
	log->messages++;
	if (!log->r->msg_compressed)
		log->payload += len;
	log->opcode = 0;
	log->msg_len = 0;
	reader_event(log, 0);
}

static int
reader_close_ok(const uint8_t *p, size_t n)
{
	unsigned int	code;

	if (n == 0)
		return 1;
	if (n == 1)
		return 0;
	code = (unsigned int)p[0] << 8 | p[1];
	if (!((code >= 1000 && code <= 1003) || (code >= 1007 &&
	    code <= 1011) || (code >= 3000 && code <= 4999)))
		return 0;
	return fuzz_utf8_ok(p + 2, n - 2);
}

static void
reader_on_control(void *arg, int opcode, const uint8_t *p, size_t n)
{
	struct reader_log	*log = arg;
	uint64_t		 event[2] = { (uint64_t)opcode, n };

	FUZZ_CHECK(opcode == WS_OP_PING || opcode == WS_OP_PONG ||
	    opcode == WS_OP_CLOSE);
	FUZZ_CHECK(n <= WS_CONTROL_MAX);
	if (opcode == WS_OP_CLOSE)
		FUZZ_CHECK(reader_close_ok(p, n));
	log->digest = fuzz_hash(log->digest, event, sizeof(event));
	log->digest = fuzz_hash(log->digest, p, n);
	reader_event(log, 0);
}

/* A message whole in one frame: what data and message would see. */
static void
reader_on_whole(void *arg, int opcode, const uint8_t *p, uint64_t len)
{
	if (len > 0)
		reader_on_data(arg, opcode, p, (size_t)len);
	reader_on_message(arg, opcode, len);
}

static const struct ws_reader_ops reader_ops = {
	.data = reader_on_data,
	.message = reader_on_message,
	.control = reader_on_control,
};

static const struct ws_reader_ops reader_ops_whole = {
	.data = reader_on_data,
	.message = reader_on_message,
	.whole = reader_on_whole,
	.control = reader_on_control,
};

/*
 * Feeds wire[0..n) in pieces of cuts[0], cuts[1]... bytes (cycling), each
 * in a buffer of its own so that a read past a piece is seen, failing at
 * event fail_at.  Returns the close code.
 */
static int
reader_feed(struct ws_reader *r, struct reader_log *log, const uint8_t *wire,
    size_t n, const size_t *cuts, size_t ncuts, unsigned int fail_at,
    const struct ws_reader_ops *ops)
{
	uint8_t	*piece;
	size_t	 off = 0, len, i = 0;
	int	 code = 0;

	memset(log, 0, sizeof(*log));
	log->r = r;
	log->fail_at = fail_at;
	while (code == 0 && off < n) {
		len = cuts[i++ % ncuts];
		if (len > n - off)
			len = n - off;
		piece = fuzz_copy(wire + off, len, 0);
		code = ws_reader_feed(r, piece, len, ops, log);
		free(piece);
		off += len;
	}
	FUZZ_CHECK(code == 0 || code == WS_CLOSE_PROTOCOL ||
	    code == WS_CLOSE_BAD_DATA || code == WS_CLOSE_TOO_BIG ||
	    code == READER_FAIL_CODE);
	/* The failing callback stops the feed with its code, at once. */
	FUZZ_CHECK((code == READER_FAIL_CODE) == (r->fail != 0));
	FUZZ_CHECK(r->fail == 0 || log->events == fail_at);
	FUZZ_CHECK(r->messages == log->messages);
	FUZZ_CHECK(r->payload == log->payload);
	free(log->msg);
	log->msg = NULL;
	return code;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in		 in = { data, size };
	struct ws_reader	 whole, cut, op;
	struct reader_log	 whole_log, cut_log, op_log;
	size_t			 cuts[READER_CUTS_MAX], ncuts, i, all;
	uint64_t		 max;
	unsigned int		 fail_at;
	uint8_t			 flags;
	int			 whole_code, cut_code, op_code;

	flags = fuzz_byte(&in);
	max = flags & READER_LIMIT ? 1 + (uint64_t)fuzz_byte(&in) * 3 : 0;
	fail_at = flags & READER_FAIL ? 1 + fuzz_byte(&in) % 16 : 0;
	ncuts = 1 + fuzz_byte(&in) % READER_CUTS_MAX;
	for (i = 0; i < ncuts; i++)
		cuts[i] = 1 + (size_t)fuzz_byte(&in);

	ws_reader_init(&whole, flags & READER_SERVER ? WS_ROLE_SERVER :
	    WS_ROLE_CLIENT, max);
	whole.deflate = (flags & READER_DEFLATE) != 0;
	cut = op = whole;
	all = in.n;
	whole_code = reader_feed(&whole, &whole_log, in.p, in.n, &all, 1,
	    fail_at, &reader_ops);
	cut_code = reader_feed(&cut, &cut_log, in.p, in.n, cuts, ncuts,
	    fail_at, &reader_ops);
	/* The whole op stands for data and message: the same story, but for
	 * where a failing callback stops (it is one call for two events). */
	if (fail_at == 0) {
		op_code = reader_feed(&op, &op_log, in.p, in.n, &all, 1, 0,
		    &reader_ops_whole);
		FUZZ_CHECK(op_code == whole_code);
		FUZZ_CHECK(op_log.digest == whole_log.digest);
		FUZZ_CHECK(op.messages == whole.messages);
		FUZZ_CHECK(op.payload == whole.payload);
	}
	if (whole_log.data_failed || cut_log.data_failed)
		return 0;

	FUZZ_CHECK(whole_code == cut_code);
	FUZZ_CHECK(whole_log.digest == cut_log.digest);
	FUZZ_CHECK(whole.messages == cut.messages);
	FUZZ_CHECK(whole.payload == cut.payload);
	FUZZ_CHECK(whole.closed == cut.closed);
	return 0;
}
