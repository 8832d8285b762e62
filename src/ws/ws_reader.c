/* SPDX-License-Identifier: ISC */
/*
 * The streaming frame reader.  Input alternates between a header phase and
 * a payload phase.  A header that arrives whole is decoded where it lies;
 * only one split across feeds is gathered in hbuf.  Data payloads are never
 * copied: they are unmasked in place and handed on.  Control payloads are
 * gathered in ctl, since they are only acted on whole.
 */
#include "config.h"

#include <string.h>

#include "ws_reader.h"
#include "ws_utf8.h"

void
ws_reader_init(struct ws_reader *r, enum ws_role role, uint64_t max_message)
{
	memset(r, 0, sizeof(*r));
	r->role = role;
	r->max_message = max_message;
	r->utf8 = WS_UTF8_ACCEPT;
}

/* An empty payload, or a valid code optionally followed by UTF-8 text. */
static int
reader_check_close(const uint8_t *p, size_t n)
{
	if (n == 0)
		return 0;
	if (n == 1 || !ws_close_code_valid((unsigned int)p[0] << 8 | p[1]))
		return WS_CLOSE_PROTOCOL;
	if (!ws_utf8_valid(p + 2, n - 2))
		return WS_CLOSE_BAD_DATA;
	return 0;
}

static int
reader_control(struct ws_reader *r, const struct ws_reader_ops *ops,
    void *arg)
{
	size_t	n = r->hdr.len;
	int	code;

	if (r->hdr.opcode == WS_OP_CLOSE) {
		if ((code = reader_check_close(r->ctl, n)) != 0)
			return code;
		r->closed = 1;
	}
	if (ops->control != NULL)
		ops->control(arg, r->hdr.opcode, r->ctl, n);
	return r->fail;
}

static int
reader_frame_end(struct ws_reader *r, const struct ws_reader_ops *ops,
    void *arg)
{
	uint64_t	len;
	int		opcode;

	r->in_payload = 0;
	if (WS_OP_IS_CONTROL(r->hdr.opcode))
		return reader_control(r, ops, arg);
	if (!r->hdr.fin)
		return 0;
	/* A message must not end inside a character. */
	if (r->msg_opcode == WS_OP_TEXT && r->utf8 != WS_UTF8_ACCEPT)
		return WS_CLOSE_BAD_DATA;
	/*
	 * Cleared before the callback, which may look at the reader.  The
	 * UTF-8 state needs no reset: a text message only gets here in
	 * ACCEPT, and binary ones never change it.
	 */
	opcode = r->msg_opcode;
	len = r->msg_len;
	r->msg_opcode = 0;
	r->messages++;
	if (!r->msg_compressed)
		r->payload += len;
	if (ops->message != NULL)
		ops->message(arg, opcode, len);
	return r->fail;
}

/* Opcode rules for a data frame; starts a new message on TEXT or BINARY. */
static int
reader_check_data(struct ws_reader *r)
{
	const struct ws_frame_hdr	*h = &r->hdr;
	uint64_t			 limit;

	switch (h->opcode) {
	case WS_OP_CONT:
		if (r->msg_opcode == 0)
			return WS_CLOSE_PROTOCOL;
		break;
	case WS_OP_TEXT:
	case WS_OP_BINARY:
		if (r->msg_opcode != 0)
			return WS_CLOSE_PROTOCOL;
		r->msg_opcode = h->opcode;
		r->msg_compressed = h->rsv != 0;
		r->msg_len = 0;
		break;
	default:
		return WS_CLOSE_PROTOCOL;
	}
	/*
	 * Refuse as soon as the header announces too much, before any of
	 * the payload is read.  Without a limit, the check still keeps
	 * msg_len from wrapping.
	 */
	limit = r->max_message != 0 ? r->max_message : UINT64_MAX;
	if (h->len > limit - r->msg_len)
		return WS_CLOSE_TOO_BIG;
	r->msg_len += h->len;
	return 0;
}

static int
reader_check_header(struct ws_reader *r)
{
	const struct ws_frame_hdr	*h = &r->hdr;

	/* Only RSV1, only with permessage-deflate, and only on the first
	 * frame of a data message (RFC 7692 section 6). */
	if (h->rsv != 0 && (h->rsv != WS_RSV1 || !r->deflate ||
	    (h->opcode != WS_OP_TEXT && h->opcode != WS_OP_BINARY)))
		return WS_CLOSE_PROTOCOL;
	/* Clients mask, servers do not (RFC 6455 section 5.1). */
	if (h->masked != (r->role == WS_ROLE_SERVER))
		return WS_CLOSE_PROTOCOL;
	if (!WS_OP_IS_CONTROL(h->opcode))
		return reader_check_data(r);
	if (h->opcode != WS_OP_CLOSE && h->opcode != WS_OP_PING &&
	    h->opcode != WS_OP_PONG)
		return WS_CLOSE_PROTOCOL;
	if (!h->fin || h->len > WS_CONTROL_MAX)
		return WS_CLOSE_PROTOCOL;
	return 0;
}

/* r->hdr has just been decoded. */
static int
reader_begin_frame(struct ws_reader *r, const struct ws_reader_ops *ops,
    void *arg)
{
	int	code;

	if ((code = reader_check_header(r)) != 0)
		return code;
	r->pos = 0;
	if (r->hdr.len == 0)
		return reader_frame_end(r, ops, arg);
	r->in_payload = 1;
	return 0;
}

/*
 * Adds to a header split across feeds.  Only the header may be taken from
 * p, and its length shows only once its first bytes are in, so this goes a
 * byte at a time; it is the rare case, and at most 13 bytes.
 */
static int
reader_header_rest(struct ws_reader *r, const uint8_t *p, size_t n,
    size_t *used)
{
	int	hlen;

	*used = 0;
	do {
		r->hbuf[r->hbuf_len++] = p[(*used)++];
		hlen = ws_frame_decode(r->hbuf, r->hbuf_len, &r->hdr);
	} while (hlen == WS_DECODE_MORE && *used < n);
	if (hlen != WS_DECODE_MORE)
		r->hbuf_len = 0;
	return hlen;
}

static int
reader_header(struct ws_reader *r, const uint8_t *p, size_t n, size_t *used,
    const struct ws_reader_ops *ops, void *arg)
{
	int	hlen;

	if (r->hbuf_len != 0)
		hlen = reader_header_rest(r, p, n, used);
	else if ((hlen = ws_frame_decode(p, n, &r->hdr)) > 0)
		*used = (size_t)hlen;
	else if (hlen == WS_DECODE_MORE) {
		/* All of p is header, or the decode would have finished. */
		memcpy(r->hbuf, p, n);
		r->hbuf_len = n;
		*used = n;
	}
	if (hlen == WS_DECODE_MORE)
		return 0;
	if (hlen < 0)
		return WS_CLOSE_PROTOCOL;
	return reader_begin_frame(r, ops, arg);
}

static int
reader_data(struct ws_reader *r, const uint8_t *p, size_t n,
    const struct ws_reader_ops *ops, void *arg)
{
	if (r->msg_opcode == WS_OP_TEXT && !r->msg_compressed) {
		r->utf8 = ws_utf8_feed(r->utf8, p, n);
		if (r->utf8 == WS_UTF8_REJECT)
			return WS_CLOSE_BAD_DATA;
	}
	if (ops->data != NULL)
		ops->data(arg, r->msg_opcode, p, n);
	return r->fail;
}

/* Called with n > 0 and payload bytes due, so at least one is taken. */
static int
reader_payload(struct ws_reader *r, uint8_t *p, size_t n, size_t *used,
    const struct ws_reader_ops *ops, void *arg)
{
	uint64_t	left = r->hdr.len - r->pos;
	size_t		take = n < left ? n : (size_t)left;
	int		code;

	if (r->hdr.masked)
		ws_mask(p, take, r->hdr.mask, r->pos);
	if (WS_OP_IS_CONTROL(r->hdr.opcode))
		memcpy(r->ctl + r->pos, p, take);
	else if ((code = reader_data(r, p, take, ops, arg)) != 0)
		return code;
	r->pos += take;
	*used = take;
	if (r->pos == r->hdr.len)
		return reader_frame_end(r, ops, arg);
	return 0;
}

/*
 * Length of the whole, final, unfragmented TEXT or BINARY frame at p with
 * a 7- or 16-bit length and the masking our role expects, or 0 when p
 * holds anything else.  *hlen and *len describe the frame.
 */
static size_t
reader_run_frame(const struct ws_reader *r, const uint8_t *p, size_t n,
    size_t *hlen, uint64_t *len)
{
	size_t	mlen = r->role == WS_ROLE_SERVER ? 4 : 0;
	uint8_t	op = p[0] ^ 0x80;	/* FIN set, no RSV bit */

	if (op != WS_OP_TEXT && op != WS_OP_BINARY)
		return 0;
	if ((p[1] >> 7) != (mlen != 0))
		return 0;
	*len = p[1] & 0x7f;
	*hlen = 2 + mlen;
	if (*len == 126) {
		if (n < 4)
			return 0;
		*len = (uint64_t)p[2] << 8 | p[3];
		if (*len < 126)		/* not minimal: the general path says so */
			return 0;
		*hlen += 2;
	} else if (*len == 127)
		return 0;
	if (n < *hlen || n - *hlen < *len ||
	    (r->max_message != 0 && *len > r->max_message))
		return 0;
	return *hlen + (size_t)*len;
}

/*
 * The common case, a stream of whole small messages, taken in one loop with
 * the same checks as the general path makes; the first frame that is
 * anything else (split, fragmented, control, too big, wrongly masked) is
 * left to the general path.  Works only between messages, with no partial
 * header pending.  Returns the bytes taken.
 */
static size_t
reader_run(struct ws_reader *r, uint8_t *p, size_t n,
    const struct ws_reader_ops *ops, void *arg, int *code)
{
	uint64_t	len, messages = 0, payload = 0;
	size_t		off = 0, flen, hlen;
	uint8_t		*pl;
	int		op;

	/* With deflate agreed, every frame takes the general path, which
	 * knows RSV1: the plain case pays one flag test a feed. */
	if (r->hbuf_len != 0 || r->msg_opcode != 0 || r->deflate)
		return 0;
	/* The counts stay in registers until the end: kept in *r, they
	 * would make a store and a load a frame, since the callbacks might
	 * read them. */
	while (n - off >= 2 &&
	    (flen = reader_run_frame(r, p + off, n - off, &hlen, &len)) > 0) {
		op = p[off] & 0x0f;
		pl = p + off + hlen;
		if (r->role == WS_ROLE_SERVER)
			ws_mask(pl, (size_t)len, pl - 4, 0);
		if (op == WS_OP_TEXT && !ws_utf8_valid(pl, (size_t)len)) {
			/* Unmasked already: the general path can't retry. */
			*code = WS_CLOSE_BAD_DATA;
			break;
		}
		/* A callback may set fail: looked at only after one ran, so
		 * a loop without callbacks pays nothing for it. */
		if (ops->whole != NULL) {
			messages++;
			payload += len;
			ops->whole(arg, op, pl, len);
			if ((*code = r->fail) != 0)
				break;
			off += flen;
			continue;
		}
		if (ops->data != NULL && len > 0) {
			ops->data(arg, op, pl, (size_t)len);
			if ((*code = r->fail) != 0)
				break;
		}
		messages++;
		payload += len;
		if (ops->message != NULL) {
			ops->message(arg, op, len);
			if ((*code = r->fail) != 0)
				break;
		}
		off += flen;
	}
	r->messages += messages;
	r->payload += payload;
	return off;
}

int
ws_reader_feed(struct ws_reader *r, uint8_t *p, size_t n,
    const struct ws_reader_ops *ops, void *arg)
{
	size_t	used;
	int	code = 0;

	while (n > 0 && !r->closed) {
		if (r->in_payload)
			code = reader_payload(r, p, n, &used, ops, arg);
		else if ((used = reader_run(r, p, n, ops, arg, &code)) == 0 &&
		    code == 0)
			code = reader_header(r, p, n, &used, ops, arg);
		if (code != 0)
			return code;
		p += used;
		n -= used;
	}
	return 0;
}
