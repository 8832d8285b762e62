/* SPDX-License-Identifier: ISC */
/*
 * The deflate side of a connection: its streams (ws_deflate_stream.c) with
 * what a connection adds, the limit and the UTF-8 check on what inflates,
 * and a buffer per worker for it.
 */
#include "config.h"

#include <stdlib.h>

#include "conn_deflate.h"
#include "log.h"
#include "ws_deflate.h"
#include "ws_frame.h"
#include "ws_utf8.h"

#define CONN_INFLATE_BUF (64 * 1024)	/* inflated bytes per callback */

struct conn_deflate {
	struct ws_deflate_params agreed;
	struct ws_inflate	 in;
	struct ws_deflate	 out;
	int			 out_ready;
	conn_inflated		*cb;		/* where inflated bytes go */
	void			*arg;
	int			 opcode;	/* of the message inflating */
	int			 fail;		/* its close code, once bad */
	uint64_t		 len;		/* its inflated bytes so far */
	uint32_t		 utf8;		/* and their UTF-8 state */
};

/* Inflated bytes are handed on from here, before the next are made. */
static __thread uint8_t	conn_inflate_buf[CONN_INFLATE_BUF];

struct conn_deflate *
conn_deflate_new(const struct ws_deflate_params *p, uint64_t max,
    conn_inflated *out, void *arg)
{
	struct conn_deflate	*z;

	if ((z = calloc(1, sizeof(*z))) == NULL) {
		log_warn("%s: calloc", __func__);
		return NULL;
	}
	if (ws_inflate_init(&z->in, max) == -1) {
		log_warnx("%s: inflateInit2 failed", __func__);
		free(z);
		return NULL;
	}
	z->agreed = *p;
	z->cb = out;
	z->arg = arg;
	z->utf8 = WS_UTF8_ACCEPT;
	return z;
}

void
conn_deflate_free(struct conn_deflate *z)
{
	ws_inflate_end(&z->in);
	if (z->out_ready)
		ws_deflate_end(&z->out);
	free(z);
}

const struct ws_deflate_params *
conn_deflate_params(const struct conn_deflate *z)
{
	return &z->agreed;
}

/* Inflated bytes: counted, checked as UTF-8 if text, handed on. */
static void
conn_deflate_out(void *arg, const uint8_t *p, size_t n)
{
	struct conn_deflate	*z = arg;

	if (z->fail != 0)
		return;
	z->len += n;
	if (z->opcode == WS_OP_TEXT &&
	    (z->utf8 = ws_utf8_feed(z->utf8, p, n)) == WS_UTF8_REJECT) {
		z->fail = WS_CLOSE_BAD_DATA;
		return;
	}
	z->cb(z->arg, z->opcode, p, n);
}

static int
conn_deflate_feed(struct conn_deflate *z, int opcode, const uint8_t *p,
    size_t n, int fin)
{
	int	code;

	z->opcode = opcode;
	code = ws_inflate_feed(&z->in, p, n, fin, conn_inflate_buf,
	    sizeof(conn_inflate_buf), conn_deflate_out, z);
	return z->fail != 0 ? z->fail : code;
}

int
conn_deflate_inflate(struct conn_deflate *z, int opcode, const uint8_t *p,
    size_t n)
{
	return conn_deflate_feed(z, opcode, p, n, 0);
}

/* A text message must also end on a whole character. */
int
conn_deflate_inflate_end(struct conn_deflate *z, int opcode, uint64_t *len)
{
	int	code;

	code = conn_deflate_feed(z, opcode, NULL, 0, 1);
	if (code == 0 && opcode == WS_OP_TEXT && z->utf8 != WS_UTF8_ACCEPT)
		code = WS_CLOSE_BAD_DATA;
	*len = z->len;
	z->len = 0;
	z->utf8 = WS_UTF8_ACCEPT;
	z->fail = 0;
	return code;
}

struct ws_deflate *
conn_deflate_compressor(struct conn_deflate *z, int server)
{
	if (!z->out_ready) {
		if (ws_deflate_init(&z->out, server ?
		    z->agreed.server_max_window_bits :
		    z->agreed.client_max_window_bits, server ?
		    z->agreed.server_no_context_takeover :
		    z->agreed.client_no_context_takeover) == -1)
			return NULL;
		z->out_ready = 1;
	}
	return &z->out;
}
