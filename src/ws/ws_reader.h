/* SPDX-License-Identifier: ISC */
/*
 * A streaming WebSocket frame reader.  Bytes are fed as they arrive, in
 * pieces of any size (an evbuffer chunk, a recv() buffer); the reader keeps
 * only the partial-frame state between calls: at most a frame header, a
 * control frame payload and the UTF-8 state of the current text message.
 * It enforces the protocol rules of RFC 6455 and reports the close code a
 * violation calls for.  No I/O, no allocation.
 */
#ifndef WS_READER_H
#define WS_READER_H

#include <stddef.h>
#include <stdint.h>

#include "ws_frame.h"

#define WS_RSV1		0x4	/* ws_frame_hdr.rsv: RSV1 alone */

enum ws_role {
	WS_ROLE_CLIENT,		/* we are the client: frames must be unmasked */
	WS_ROLE_SERVER		/* we are the server: frames must be masked */
};

struct ws_reader_ops {
	/*
	 * Unmasked payload bytes of a data message, in order, possibly in
	 * several pieces per frame.  opcode is the message's (TEXT or
	 * BINARY), also for continuation frames.  May be NULL.
	 */
	void	(*data)(void *arg, int opcode, const uint8_t *p, size_t n);
	/* A whole message (all fragments) has arrived; len is its size. */
	void	(*message)(void *arg, int opcode, uint64_t len);
	/*
	 * A message that came in one frame, whole within the bytes fed:
	 * called with its unmasked payload instead of data and message, one
	 * call a message for a reader of every message's start.  May be
	 * NULL; data and message still see the other messages.
	 */
	void	(*whole)(void *arg, int opcode, const uint8_t *p, uint64_t len);
	/*
	 * A complete, valid control frame: PING, PONG or CLOSE with its
	 * unmasked payload (n <= 125).  A CLOSE payload has been checked: it
	 * is empty, or a valid code followed by UTF-8 text.
	 */
	void	(*control)(void *arg, int opcode, const uint8_t *p, size_t n);
};

struct ws_reader {
	enum ws_role	role;
	uint64_t	max_message;	/* 0: no limit */
	int		closed;		/* a CLOSE frame was delivered */
	/* permessage-deflate was agreed: RSV1 may mark the first frame of
	 * a data message as compressed.  Such a payload is handed on as it
	 * came, neither counted in payload nor checked as UTF-8. */
	int		deflate;
	/* Set by a callback to stop the feed with this close code. */
	int		fail;
	uint64_t	messages;	/* data messages completed so far */
	uint64_t	payload;	/* and their bytes, if not compressed */

	/* current frame */
	int		in_payload;	/* header done, payload bytes due */
	struct ws_frame_hdr hdr;
	uint8_t		hbuf[WS_FRAME_HDR_MAX];
	size_t		hbuf_len;
	uint64_t	pos;		/* payload bytes seen of this frame */

	/* current data message */
	int		msg_opcode;	/* 0: no message in progress */
	int		msg_compressed;	/* RSV1 was set; kept past its end */
	uint64_t	msg_len;
	uint32_t	utf8;

	/* current control frame */
	uint8_t		ctl[WS_CONTROL_MAX];
};

void	ws_reader_init(struct ws_reader *r, enum ws_role role,
	    uint64_t max_message);

/*
 * Feeds p[0..n).  Masked payloads are unmasked in place, so p must be
 * writable.  Callbacks run synchronously and must not free the reader.
 * Returns 0 when all bytes were consumed (after a CLOSE frame, the rest are
 * ignored), or the close code the connection must fail with:
 * WS_CLOSE_PROTOCOL (1002), WS_CLOSE_BAD_DATA (1007) or WS_CLOSE_TOO_BIG
 * (1009).  Once it has returned a code the reader must not be fed again.
 */
int	ws_reader_feed(struct ws_reader *r, uint8_t *p, size_t n,
	    const struct ws_reader_ops *ops, void *arg);

#endif
