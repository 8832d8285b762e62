/* SPDX-License-Identifier: ISC */
/*
 * The echo job: a WebSocket server that sends every message back as it
 * came, text as text and binary as binary, in one frame whatever the
 * fragmentation it arrived in.  The payload is gathered while the message
 * arrives (the reader hands it out in pieces, from a buffer that is reused)
 * and then goes into the output behind its header: a small one copied, a
 * large one moved without a copy (see echo_append).  A client
 * that sends faster than it reads has its input paused by the connection
 * once the output passes its bound, so memory stays bounded.  With
 * permessage-deflate agreed (--deflate), the message is compressed in
 * place in that buffer before it goes out.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

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

/* Messages up to this size are copied into the output, not moved. */
#define ECHO_COPY_MAX	4096

struct echo {
	struct server	srv;		/* first, as server.h says */
};

static void
echo_data(struct conn *c, int opcode, const uint8_t *p, size_t n)
{
	struct evbuffer	*msg = conn_priv(c);

	(void)opcode;
	evbuffer_add(msg, p, n);
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
 * Moves the message in msg to the end of out.  Moving hands over
 * msg's chains, one or more per message: for small messages that is a
 * chain allocated per message, of a kilobyte or more whatever the
 * message's size, and an output of thousands of small chains, which
 * writev() takes 128 at a time; memory grows many times over the bytes
 * queued.  Copying a small message into the free space of out's last
 * chain keeps the output in few large chains and lets msg's chain be
 * freed at once, to be reused for the next message.
 */
static int
echo_append(struct evbuffer *out, struct evbuffer *msg)
{
	size_t		 n = evbuffer_get_length(msg);
	const uint8_t	*p;

	if (n > ECHO_COPY_MAX)
		return evbuffer_add_buffer(out, msg);
	if (n == 0)
		return 0;
	if ((p = evbuffer_pullup(msg, (ssize_t)n)) == NULL ||
	    evbuffer_add(out, p, n) == -1)
		return -1;
	return evbuffer_drain(msg, n);
}

static void
echo_message(struct conn *c, int opcode, uint64_t len)
{
	struct evbuffer	*msg = conn_priv(c), *out = conn_output(c);
	uint8_t		 hdr[WS_FRAME_HDR_MAX];
	size_t		 hlen;
	int		 deflate = conn_deflate_agreed(c) != NULL;

	if (deflate && echo_compress(c, msg, (size_t)len) == -1) {
		conn_close(c, WS_CLOSE_INTERNAL);
		return;
	}
	hlen = ws_frame_encode_hdr(hdr, 1, opcode, evbuffer_get_length(msg),
	    NULL);
	if (deflate)
		hdr[0] |= WS_DEFLATE_HDR_RSV1;
	if (evbuffer_add(out, hdr, hlen) == -1 ||
	    echo_append(out, msg) == -1) {
		conn_close(c, WS_CLOSE_INTERNAL);
		return;
	}
	counter_add(conn_slot(c), CTR_messages_sent, 1);
	counter_add(conn_slot(c), CTR_payload_bytes_sent, len);
}

static void
echo_closed(struct conn *c, int failed)
{
	(void)failed;
	evbuffer_free(conn_priv(c));
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
	struct evbuffer	*msg;
	struct conn	*c;

	if ((msg = evbuffer_new()) == NULL) {
		evutil_closesocket(fd);
		return;
	}
	if ((c = conn_accept(j, loop_self(), fd, e->srv.tls, &echo_conn_ops,
	    msg)) == NULL)
		evbuffer_free(msg);
	else if (e->srv.deflate)
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
