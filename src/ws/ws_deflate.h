/* SPDX-License-Identifier: ISC */
/*
 * The permessage-deflate extension (RFC 7692) as functions over byte
 * buffers: the negotiation (offers, answers and their rules, both sides;
 * ws_deflate_params.c) and raw deflate streams that compress and inflate
 * whole messages, with the 0x00 0x00 0xff 0xff tail taken off and put back
 * as the RFC says (ws_deflate_stream.c).
 * No I/O; only zlib allocates, once per stream.
 */
#ifndef WS_DEFLATE_H
#define WS_DEFLATE_H

#include <stddef.h>
#include <stdint.h>

#include <zlib.h>

#define WS_DEFLATE_NAME		"permessage-deflate"
#define WS_DEFLATE_BITS_MIN	8	/* what the RFC allows */
#define WS_DEFLATE_BITS_MAX	15
#define WS_DEFLATE_NO_VALUE	(-1)	/* client_max_window_bits alone */
#define WS_DEFLATE_PARAMS_MAX	160	/* the longest formatted element */
#define WS_DEFLATE_HDR_RSV1	0x40	/* RSV1 in a frame's first byte */

/*
 * One offer, or an agreement (what the answer said).  A window size of 0
 * means the parameter is absent; WS_DEFLATE_NO_VALUE, only in an offer's
 * client_max_window_bits, that it came without a value.
 */
struct ws_deflate_params {
	int	on;			/* offered, or agreed */
	int	server_no_context_takeover;
	int	client_no_context_takeover;
	int	server_max_window_bits;
	int	client_max_window_bits;
};

/*
 * Parses the parameters of an offer as a user writes them, without the
 * extension name: "server_no_context_takeover; client_max_window_bits=10"
 * or "" for none.  Returns 0 with p->on set, or -1 with a static reason.
 */
int	ws_deflate_offer_parse(const char *s, struct ws_deflate_params *p,
	    const char **reason);

/*
 * Writes "permessage-deflate; ..." for p (an offer or an agreement) into
 * out, NUL-terminated.  Returns its length, or 0 if cap is too small.
 */
size_t	ws_deflate_format(char *out, size_t cap,
	    const struct ws_deflate_params *p);

/*
 * Server side: looks through one Sec-WebSocket-Extensions value for the
 * first permessage-deflate offer we can accept and fills *agreed with the
 * answer to send.  Offers with unknown, repeated or invalid parameters are
 * declined, and so is one that limits our compressor to an 8-bit window,
 * which zlib's raw deflate cannot honour.  Returns 1 when an offer was
 * accepted, else 0 (*agreed untouched).
 */
int	ws_deflate_accept(const char *v, size_t n,
	    struct ws_deflate_params *agreed);

/*
 * Client side: checks one Sec-WebSocket-Extensions value of the answer
 * against what we offered.  Returns 0 with *agreed filled, or -1 with a
 * static reason: not exactly one permessage-deflate element, bad or
 * repeated parameters, or a parameter the offer did not allow.
 */
int	ws_deflate_check_answer(const struct ws_deflate_params *offer,
	    const char *v, size_t n, struct ws_deflate_params *agreed,
	    const char **reason);

/* A compressing stream: one message after another. */
struct ws_deflate {
	z_stream	zs;
	int		no_context_takeover;	/* start afresh each message */
};

/*
 * Sets up a stream with a window of window_bits (9 to 15; 0 means 15).
 * Returns 0, or -1 when zlib refuses or is out of memory.
 */
int	ws_deflate_init(struct ws_deflate *, int window_bits,
	    int no_context_takeover);
void	ws_deflate_end(struct ws_deflate *);
/* Room the compressed form of a message of n bytes may need. */
size_t	ws_deflate_bound(size_t n);
/*
 * Compresses in[0..n), a piece of a message, into out[0..cap); fin ends
 * the message: it is flushed and its 4-byte tail left off.  Give a cap of
 * ws_deflate_bound() of the rest of the message.  Returns the bytes
 * written, or -1 when cap was too small or zlib failed.
 */
long	ws_deflate_feed(struct ws_deflate *, const uint8_t *in, size_t n,
	    int fin, uint8_t *out, size_t cap);

/* The inflated bytes of a message, in order, in pieces. */
typedef void	ws_inflate_out(void *arg, const uint8_t *p, size_t n);

/*
 * An inflating stream.  Its window is always the largest, so it takes any
 * window size the peer uses, and it is kept across messages, which is
 * right whether or not the peer takes its context over.
 */
struct ws_inflate {
	z_stream	zs;
	uint64_t	max;		/* a message's inflated size; 0: any */
	uint64_t	total;		/* inflated so far of this message */
	int		ended;		/* the message had a final block */
};

int	ws_inflate_init(struct ws_inflate *, uint64_t max);
void	ws_inflate_end(struct ws_inflate *);
/*
 * Inflates in[0..n), a piece of a compressed message, handing the output
 * to out through buf[0..cap); fin ends the message (the tail is put back).
 * Never hands on more than max bytes of one message.  Returns 0, or the
 * close code to fail with: WS_CLOSE_TOO_BIG (1009) past max,
 * WS_CLOSE_BAD_DATA (1007) for data zlib refuses.
 */
int	ws_inflate_feed(struct ws_inflate *, const uint8_t *in, size_t n,
	    int fin, uint8_t *buf, size_t cap, ws_inflate_out *out, void *arg);

#endif
