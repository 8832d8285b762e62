/* SPDX-License-Identifier: ISC */
/*
 * A connection's permessage-deflate, once agreed: the inflating of the
 * compressed messages it receives (held to the job's largest message,
 * checked as UTF-8 when text) and the compressor for the messages it
 * sends, set up as agreed on first use.  conn.c calls in here only on
 * connections that agreed to deflate.
 */
#ifndef CONN_DEFLATE_H
#define CONN_DEFLATE_H

#include <stddef.h>
#include <stdint.h>

struct conn_deflate;
struct ws_deflate;
struct ws_deflate_params;

/* Inflated bytes of a message, in order and in pieces, out of a buffer
 * that is reused once this returns. */
typedef void	conn_inflated(void *arg, int opcode, const uint8_t *p,
		    size_t n);

/* As agreed in p, for messages of up to max bytes inflated (0: any),
 * handing them to out.  NULL when out of memory. */
struct conn_deflate *conn_deflate_new(const struct ws_deflate_params *p,
		    uint64_t max, conn_inflated *out, void *arg);
void		 conn_deflate_free(struct conn_deflate *);
const struct ws_deflate_params *conn_deflate_params(
		    const struct conn_deflate *);

/*
 * A piece of a compressed message of opcode, then its end.  Return 0 or
 * the close code to fail the connection with: bad deflate data or UTF-8
 * (1007), too big (1009).  The end gives the message's inflated length.
 */
int		 conn_deflate_inflate(struct conn_deflate *, int opcode,
		    const uint8_t *p, size_t n);
int		 conn_deflate_inflate_end(struct conn_deflate *, int opcode,
		    uint64_t *len);

/* The compressor for what we send as server (or client); NULL when zlib
 * cannot set it up. */
struct ws_deflate *conn_deflate_compressor(struct conn_deflate *,
		    int server);

#endif
