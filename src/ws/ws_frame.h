/* SPDX-License-Identifier: ISC */
/*
 * RFC 6455 frame headers: encoding, decoding and masking over plain byte
 * buffers.  No I/O and no allocation, so every function here is safe to call
 * on data straight out of an evbuffer chunk.
 */
#ifndef WS_FRAME_H
#define WS_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define WS_OP_CONT	0x0
#define WS_OP_TEXT	0x1
#define WS_OP_BINARY	0x2
#define WS_OP_CLOSE	0x8
#define WS_OP_PING	0x9
#define WS_OP_PONG	0xa

#define WS_OP_IS_CONTROL(op)	(((op) & 0x8) != 0)

#define WS_FRAME_HDR_MAX	14	/* 2 + 8 byte length + 4 byte mask */
#define WS_CONTROL_MAX		125	/* largest control frame payload */

/* Close codes used by this implementation (RFC 6455 section 7.4.1). */
#define WS_CLOSE_NORMAL		1000
#define WS_CLOSE_GOING_AWAY	1001
#define WS_CLOSE_PROTOCOL	1002
#define WS_CLOSE_NO_STATUS	1005	/* never sent: "no code in the frame" */
#define WS_CLOSE_BAD_DATA	1007
#define WS_CLOSE_TOO_BIG	1009
#define WS_CLOSE_INTERNAL	1011

struct ws_frame_hdr {
	uint8_t		fin;		/* 0 or 1 */
	uint8_t		rsv;		/* RSV1..3 as bits 2..0 */
	uint8_t		opcode;		/* 4 bits */
	uint8_t		masked;		/* 0 or 1 */
	uint8_t		mask[4];	/* valid when masked */
	uint8_t		hdr_len;	/* bytes of header, 2..14 */
	uint64_t	len;		/* payload length */
};

/* Results of ws_frame_decode() besides a header length. */
#define WS_DECODE_MORE		0	/* not enough bytes yet */
#define WS_DECODE_BAD_LEN	(-1)	/* 64-bit length with the top bit set */
#define WS_DECODE_NONMINIMAL	(-2)	/* length not in its shortest form */

/*
 * Decodes the frame header at p[0..n).  Returns the header length (> 0) and
 * fills *h, WS_DECODE_MORE when n is too short to hold the whole header, or
 * a negative WS_DECODE_* error.  Reads no byte past the header.
 */
int	ws_frame_decode(const uint8_t *p, size_t n, struct ws_frame_hdr *h);

/*
 * Writes a frame header for a payload of len bytes into out and returns its
 * length.  The length uses its minimal form; mask is NULL for an unmasked
 * (server) frame or the 4-byte key of a masked (client) frame.
 */
size_t	ws_frame_encode_hdr(uint8_t out[WS_FRAME_HDR_MAX], int fin, int opcode,
	    uint64_t len, const uint8_t *mask);

/*
 * Writes a whole frame (header, then payload masked with mask when mask is
 * not NULL) into out.  Returns its length, or 0 if cap is too small.
 */
size_t	ws_frame_encode(uint8_t *out, size_t cap, int fin, int opcode,
	    const uint8_t *payload, size_t len, const uint8_t *mask);

/*
 * XORs p[0..n) in place with mask, where p[0] is byte number offset of the
 * payload (so a payload can be unmasked in pieces).  Masking and unmasking
 * are the same operation.
 */
void	ws_mask(uint8_t *p, size_t n, const uint8_t mask[4], uint64_t offset);

/* True for a close code a peer may send (RFC 6455 section 7.4). */
int	ws_close_code_valid(unsigned int code);

#endif
