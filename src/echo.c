/* SPDX-License-Identifier: ISC */
/*
 * The echo job: a WebSocket server that sends every message back as it
 * came, text as text and binary as binary, in one frame whatever the
 * fragmentation it arrived in.  The payload is gathered while the message
 * arrives (the reader hands it out in pieces, from a buffer that is reused)
 * and then goes into the output behind its header: a small one gathered in
 * the connection's own bytes and added with its header in one piece, a
 * large one gathered in an evbuffer and moved without a copy (echo_small,
 * echo_big).  A client that sends faster than it reads has its input
 * paused by the connection once the output passes its bound, so memory
 * stays bounded.  With permessage-deflate agreed (--deflate), the message
 * is gathered in the evbuffer and compressed in place there before it goes
 * out.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "conn.h"
#include "counters.h"
#include "job.h"
#include "loop.h"
#include "server.h"
#include "ws_deflate.h"
#include "ws_frame.h"

static const struct args_opt echo_opts[] = {
	JOB_OPTS,
	SERVER_OPTS,
	ARGS_END
};

/* Messages up to this size are gathered in the connection's bytes. */
#define ECHO_SMALL	1024

struct echo {
	struct server	srv;		/* first, as server.h says */
};

/*
 * A connection's message being gathered: in small while it fits, with
 * room for the frame header before it, else all of it in big.
 */
struct echo_conn {
	struct evbuffer	*big;
	size_t		 len;		/* bytes in small */
	int		 spilled;	/* the message is in big */
	uint8_t		 small[WS_FRAME_HDR_MAX + ECHO_SMALL];
};

/* Moves the message gathered so far from small into big. */
static void
echo_spill(struct echo_conn *ec)
{
	ec->spilled = 1;
	evbuffer_add(ec->big, ec->small + WS_FRAME_HDR_MAX, ec->len);
	ec->len = 0;
}

static void
echo_data(struct conn *c, int opcode, const uint8_t *p, size_t n)
{
	struct echo_conn *ec = conn_priv(c);

	(void)opcode;
	if (!ec->spilled && ec->len + n <= ECHO_SMALL) {
		memcpy(ec->small + WS_FRAME_HDR_MAX + ec->len, p, n);
		ec->len += n;
		return;
	}
	if (!ec->spilled)
		echo_spill(ec);
	evbuffer_add(ec->big, p, n);
}

/*
 * Replaces the len bytes in msg with their compressed form, written into
 * space reserved behind them.  The reservation may move the message
 * (never split it), so it is pulled up again after.
 */
static int
echo_compress(struct conn *c, struct evbuffer *msg, size_t len)
{
	struct ws_deflate	*d;
	struct evbuffer_iovec	 v;
	const uint8_t		*in = (const uint8_t *)"";
	long			 n;

	if ((d = conn_deflater(c)) == NULL)
		return -1;
	if ((len > 0 && evbuffer_pullup(msg, (ssize_t)len) == NULL) ||
	    evbuffer_reserve_space(msg, (ssize_t)ws_deflate_bound(len), &v,
	    1) != 1)
		return -1;
	if (len > 0)
		in = evbuffer_pullup(msg, (ssize_t)len);
	if ((n = ws_deflate_feed(d, in, len, 1, v.iov_base, v.iov_len)) < 0)
		return -1;
	v.iov_len = (size_t)n;
	if (evbuffer_commit_space(msg, &v, 1) == -1)
		return -1;
	return evbuffer_drain(msg, len);
}

/*
 * A small message goes out with one copy into the free space of the
 * output's last chain, its header written just before it.  Moving an
 * evbuffer's chains instead would allocate a chain of a kilobyte or more
 * per message and leave thousands of small chains in the output, which
 * writev() takes 128 at a time, memory growing many times over the bytes
 * queued.
 */
static int
echo_small(struct evbuffer *out, struct echo_conn *ec, int opcode)
{
	uint8_t		 hdr[WS_FRAME_HDR_MAX], *start;
	size_t		 hlen, n = ec->len;

	hlen = ws_frame_encode_hdr(hdr, 1, opcode, n, NULL);
	start = ec->small + WS_FRAME_HDR_MAX - hlen;
	memcpy(start, hdr, hlen);
	ec->len = 0;
	return evbuffer_add(out, start, hlen + n);
}

/* A large or compressed message: its chains moved over, not copied. */
static int
echo_big(struct conn *c, struct echo_conn *ec, int opcode, uint64_t len)
{
	struct evbuffer	*out = conn_output(c);
	uint8_t		 hdr[WS_FRAME_HDR_MAX];
	size_t		 hlen;
	int		 deflate = conn_deflate_agreed(c) != NULL;

	ec->spilled = 0;
	if (deflate && echo_compress(c, ec->big, (size_t)len) == -1)
		return -1;
	hlen = ws_frame_encode_hdr(hdr, 1, opcode,
	    evbuffer_get_length(ec->big), NULL);
	if (deflate)
		hdr[0] |= WS_DEFLATE_HDR_RSV1;
	if (evbuffer_add(out, hdr, hlen) == -1)
		return -1;
	return evbuffer_add_buffer(out, ec->big);
}

static void
echo_message(struct conn *c, int opcode, uint64_t len)
{
	struct echo_conn *ec = conn_priv(c);
	int		 r;

	if (!ec->spilled && conn_deflate_agreed(c) != NULL)
		echo_spill(ec);
	if (ec->spilled)
		r = echo_big(c, ec, opcode, len);
	else
		r = echo_small(conn_output(c), ec, opcode);
	if (r == -1) {
		conn_close(c, WS_CLOSE_INTERNAL);
		return;
	}
	counter_add(conn_slot(c), CTR_messages_sent, 1);
	counter_add(conn_slot(c), CTR_payload_bytes_sent, len);
}

static void
echo_closed(struct conn *c, int failed)
{
	struct echo_conn *ec = conn_priv(c);

	(void)failed;
	evbuffer_free(ec->big);
	free(ec);
}

static const struct conn_ops echo_conn_ops = {
	.closed = echo_closed,
	.data = echo_data,
	.message = echo_message,
};

/* On the worker that will own the connection. */
static void
echo_accept(struct job *j, int fd)
{
	struct echo	*e = j->priv;
	struct echo_conn *ec;
	struct conn	*c;

	if ((ec = calloc(1, sizeof(*ec))) == NULL ||
	    (ec->big = evbuffer_new()) == NULL) {
		free(ec);
		evutil_closesocket(fd);
		return;
	}
	if ((c = conn_accept(j, loop_self(), fd, e->srv.tls, &echo_conn_ops,
	    ec)) == NULL) {
		evbuffer_free(ec->big);
		free(ec);
	} else if (e->srv.deflate)
		conn_allow_deflate(c);
}

static int
echo_prepare(struct job *j, const struct args *a, char *err, size_t errlen)
{
	struct echo	*e;

	if ((e = calloc(1, sizeof(*e))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	j->priv = e;
	e->srv.accept = echo_accept;
	return server_prepare(&e->srv, a, err, errlen);
}

static void
echo_free(struct job *j)
{
	struct echo	*e = j->priv;

	if (e == NULL)
		return;
	server_job_free(j);
	free(e);
}

const struct job_kind job_kind_echo = {
	.name = "echo",
	.help = "a server sending back every message it receives",
	.args = { .opts = echo_opts },
	.prepare = echo_prepare,
	.start = server_job_start,
	.stop = server_job_stop,
	.worker_stop = server_job_worker_stop,
	.free = echo_free,
	.target = server_job_target,
	.target_label = "listen",
	.watch_counter = CTR_messages_received,
	.watch_rank = 0,
	.settings = server_job_settings,
};
