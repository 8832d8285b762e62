/* SPDX-License-Identifier: ISC */
/*
 * Frames made with ws_frame_encode() must decode to the header they were
 * made with, and a reader of the other side must hand back the payload
 * and opcode they carried: a message whole or in two fragments (with a
 * ping between them if the input says), or one control frame.  Text that
 * is not UTF-8 and close payloads that break the rules must be refused
 * with the code the RFC gives.
 *
 * Input: a flags byte, the mask, a length for a long payload (which is
 * the rest of the input repeated, to reach 16- and 64-bit lengths) and
 * where to split it, then the payload.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ws_reader.h"

#define FRAME_MASKED	0x01	/* a client's frames, to a server */
#define FRAME_SPLIT	0x02	/* the message in two fragments */
#define FRAME_PING	0x04	/* and a ping between them */
#define FRAME_LONG	0x08	/* the payload repeated to a long length */
#define FRAME_OP_SHIFT	4	/* the opcode's index in frame_ops */
#define FRAME_LONG_MIN	100

static const int frame_ops[] = {
	WS_OP_TEXT, WS_OP_BINARY, WS_OP_PING, WS_OP_PONG, WS_OP_CLOSE
};

/* The frames on the wire, one after another. */
struct frame_wire {
	uint8_t	*p;
	size_t	 len;
};

/* What the reader gave back. */
struct frame_got {
	const struct ws_reader *r;
	int	 opcode;	/* of the data or control frame */
	uint8_t	*data;
	size_t	 len;
	int	 messages;
	int	 controls;
	int	 pings;
};

/* Encodes one frame, checks that its header decodes back, appends it. */
static void
frame_add(struct frame_wire *w, int fin, int opcode, const uint8_t *payload,
    size_t len, const uint8_t *mask)
{
	struct ws_frame_hdr	 h;
	size_t			 cap = WS_FRAME_HDR_MAX + len, n;
	uint8_t			*out = fuzz_copy(NULL, cap, 0);

	n = ws_frame_encode(out, cap, fin, opcode, payload, len, mask);
	FUZZ_CHECK(n > len && n - len <= WS_FRAME_HDR_MAX);
	FUZZ_CHECK(ws_frame_encode(out, n - 1, fin, opcode, payload, len,
	    mask) == 0);
	FUZZ_CHECK(ws_frame_decode(out, n - len - 1, &h) == WS_DECODE_MORE);
	FUZZ_CHECK(ws_frame_decode(out, n, &h) == (int)(n - len));
	FUZZ_CHECK(h.fin == (fin != 0) && h.rsv == 0 && h.opcode == opcode);
	FUZZ_CHECK(h.len == len && h.hdr_len == n - len);
	FUZZ_CHECK(h.masked == (mask != NULL));
	if (mask != NULL)
		FUZZ_CHECK(memcmp(h.mask, mask, 4) == 0);
	if ((w->p = realloc(w->p, w->len + n)) == NULL)
		abort();
	memcpy(w->p + w->len, out, n);
	w->len += n;
	free(out);
}

static void
frame_on_data(void *arg, int opcode, const uint8_t *p, size_t n)
{
	struct frame_got	*got = arg;

	FUZZ_CHECK(got->opcode == 0 || got->opcode == opcode);
	got->opcode = opcode;
	if ((got->data = realloc(got->data, got->len + n)) == NULL)
		abort();
	memcpy(got->data + got->len, p, n);
	got->len += n;
}

static void
frame_on_message(void *arg, int opcode, uint64_t len)
{
	struct frame_got	*got = arg;

	FUZZ_CHECK(got->opcode == 0 || got->opcode == opcode);
	FUZZ_CHECK(len == got->len);
	got->opcode = opcode;
	got->messages++;
}

static void
frame_on_control(void *arg, int opcode, const uint8_t *p, size_t n)
{
	struct frame_got	*got = arg;

	/* Inside a message: the ping between its fragments. */
	if (got->r->msg_opcode != 0) {
		FUZZ_CHECK(opcode == WS_OP_PING && n == 0);
		got->pings++;
		return;
	}
	got->opcode = opcode;
	got->controls++;
	got->data = fuzz_copy(p, n, 0);
	got->len = n;
}

static const struct ws_reader_ops frame_ops_cb = {
	.data = frame_on_data,
	.message = frame_on_message,
	.control = frame_on_control,
};

/* The close code a reader must answer the payload of a frame with. */
static int
frame_expect(int opcode, const uint8_t *p, size_t n)
{
	unsigned int	code;

	if (opcode == WS_OP_TEXT && !fuzz_utf8_ok(p, n))
		return WS_CLOSE_BAD_DATA;
	if (opcode != WS_OP_CLOSE || n == 0)
		return 0;
	if (n == 1)
		return WS_CLOSE_PROTOCOL;
	code = (unsigned int)p[0] << 8 | p[1];
	if (!((code >= 1000 && code <= 1003) || (code >= 1007 &&
	    code <= 1011) || (code >= 3000 && code <= 4999)))
		return WS_CLOSE_PROTOCOL;
	return fuzz_utf8_ok(p + 2, n - 2) ? 0 : WS_CLOSE_BAD_DATA;
}

/* The payload: the input as it is, or repeated up to a long length, by
 * copies that double what is there (a loop over 64 KiB, each comparison
 * traced for the fuzzer, took most of a run's time). */
static uint8_t *
frame_payload(struct fuzz_in *in, int flags, size_t len, size_t *n)
{
	uint8_t	*p;
	size_t	 have;

	if (!(flags & FRAME_LONG) || in->n == 0) {
		*n = in->n;
		return fuzz_copy(in->p, in->n, 0);
	}
	*n = len;
	p = fuzz_copy(NULL, len, 0);
	have = in->n < len ? in->n : len;
	memcpy(p, in->p, have);
	for (; have < len; have *= 2)
		memcpy(p + have, p, have < len - have ? have : len - have);
	return p;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in		 in = { data, size };
	struct frame_wire	 w = { NULL, 0 };
	struct frame_got	 got;
	struct ws_reader	 r;
	uint8_t			 mask[4], *payload;
	const uint8_t		*m;
	size_t			 len, hi, lo, split, i;
	int			 flags, opcode, code;

	flags = fuzz_byte(&in);
	opcode = frame_ops[(flags >> FRAME_OP_SHIFT) % 5];
	for (i = 0; i < sizeof(mask); i++)
		mask[i] = fuzz_byte(&in);
	m = flags & FRAME_MASKED ? mask : NULL;
	/* 100 to 1123 bytes (7- and 16-bit lengths), or past 65535 (64-bit)
	 * when the first byte is 255, which keeps most runs quick. */
	hi = fuzz_byte(&in);
	lo = fuzz_byte(&in);
	len = hi == 0xff ? 0x10000 + lo : FRAME_LONG_MIN + hi * 4 + lo % 4;
	split = fuzz_byte(&in);
	payload = frame_payload(&in, flags, len, &len);
	if (WS_OP_IS_CONTROL(opcode) && len > WS_CONTROL_MAX)
		len = WS_CONTROL_MAX;

	if (!WS_OP_IS_CONTROL(opcode) && flags & FRAME_SPLIT) {
		split = len * split / 255;
		frame_add(&w, 0, opcode, payload, split, m);
		if (flags & FRAME_PING)
			frame_add(&w, 1, WS_OP_PING, NULL, 0, m);
		frame_add(&w, 1, WS_OP_CONT, payload + split, len - split, m);
	} else
		frame_add(&w, 1, opcode, payload, len, m);

	memset(&got, 0, sizeof(got));
	got.r = &r;
	ws_reader_init(&r, m != NULL ? WS_ROLE_SERVER : WS_ROLE_CLIENT, 0);
	code = ws_reader_feed(&r, w.p, w.len, &frame_ops_cb, &got);
	FUZZ_CHECK(code == frame_expect(opcode, payload, len));
	if (code == 0) {
		FUZZ_CHECK(got.opcode == opcode && got.len == len);
		FUZZ_CHECK(len == 0 || memcmp(got.data, payload, len) == 0);
		FUZZ_CHECK(got.messages == !WS_OP_IS_CONTROL(opcode));
		FUZZ_CHECK(got.controls == WS_OP_IS_CONTROL(opcode));
		FUZZ_CHECK(got.pings == ((flags & (FRAME_SPLIT | FRAME_PING)) ==
		    (FRAME_SPLIT | FRAME_PING) && !WS_OP_IS_CONTROL(opcode)));
		FUZZ_CHECK(r.closed == (opcode == WS_OP_CLOSE));
	}
	free(got.data);
	free(w.p);
	free(payload);
	return 0;
}
