/*
 * The push job: a WebSocket server that sends one message in a loop to
 * every client, as fast as each client reads.  Server frames are never
 * masked, so every copy of the message is the same bytes: the frames are
 * encoded once per job into a burst, and connections add that burst to
 * their output by reference, up to a high watermark.
 */
#include "config.h"

#include <sys/socket.h>

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "conn.h"
#include "counters.h"
#include "job.h"
#include "log.h"
#include "loop.h"
#include "server.h"
#include "ws_frame.h"
#include "ws_utf8.h"

#define PUSH_BURST_MIN	(64 * 1024)	/* bytes of frames per reference */
#define PUSH_HIGH	(256 * 1024)	/* output kept at most this full */
#define PUSH_LOW	(64 * 1024)	/* refill under this */
/*
 * The kernel's send buffer of a push connection.  Left to autotuning it
 * grows to megabytes: a slow client then holds that much kernel memory,
 * and a close waits behind millions of queued messages.  Bounded, the
 * burst stays cache-warm too: 'yo' to one reader went from about 200 to
 * 320 million messages a second here.
 */
#define PUSH_SNDBUF	(256 * 1024)

enum {
	PUSH_OPT_NAME = JOB_OPT_NAME,
	PUSH_OPT_MAX_MESSAGE = JOB_OPT_MAX_MESSAGE,
	PUSH_OPT_PORT = SERVER_OPT_PORT,
	PUSH_OPT_BIND = SERVER_OPT_BIND,
	PUSH_OPT_MSG,
	PUSH_OPT_SIZE,
	PUSH_OPT_BINARY
};

static const struct args_opt push_opts[] = {
	[PUSH_OPT_NAME] =	{ "--name", 1 },
	[PUSH_OPT_MAX_MESSAGE] = { "--max-message", 1 },
	[PUSH_OPT_PORT] =	{ "--port", 1 },
	[PUSH_OPT_BIND] =	{ "--bind", 1 },
	[PUSH_OPT_MSG] =	{ "--msg", 1 },
	[PUSH_OPT_SIZE] =	{ "--size", 1 },
	[PUSH_OPT_BINARY] =	{ "--binary", 0 },
	{ NULL, 0 }
};

/* Back-to-back copies of the message's frame, shared by connections. */
struct push_burst {
	atomic_int	refs;
	size_t		frame_len;
	size_t		len;
	uint8_t		data[];
};

struct push {
	struct server		 srv;		/* first, as server.h says */
	struct push_burst	*burst;
};

struct push_conn {
	struct push_burst	*burst;
	uint64_t		 data_start;	/* output bytes before data */
	uint64_t		 counted;	/* messages counted so far */
};

static void
push_burst_unref(struct push_burst *b)
{
	if (atomic_fetch_sub(&b->refs, 1) == 1)
		free(b);
}

static void
push_burst_cleanup(const void *data, size_t len, void *arg)
{
	(void)data;
	(void)len;
	push_burst_unref(arg);
}

/* Fills generated text: printable, so valid UTF-8 for text frames. */
static void
push_fill_text(uint8_t *p, size_t n)
{
	static const char	alphabet[] =
	    "abcdefghijklmnopqrstuvwxyz0123456789";
	size_t			i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)alphabet[i % (sizeof(alphabet) - 1)];
}

static struct push_burst *
push_burst_new(const char *msg, size_t size, int opcode)
{
	uint8_t			 hdr[WS_FRAME_HDR_MAX];
	struct push_burst	*b;
	size_t			 hlen, frame_len, count, i;

	hlen = ws_frame_encode_hdr(hdr, 1, opcode, size, NULL);
	frame_len = hlen + size;
	count = PUSH_BURST_MIN / frame_len;
	if (count == 0)
		count = 1;
	if ((b = malloc(sizeof(*b) + count * frame_len)) == NULL)
		return NULL;
	atomic_init(&b->refs, 1);
	b->frame_len = frame_len;
	b->len = count * frame_len;
	memcpy(b->data, hdr, hlen);
	if (msg != NULL)
		memcpy(b->data + hlen, msg, size);
	else
		push_fill_text(b->data + hlen, size);
	for (i = 1; i < count; i++)
		memcpy(b->data + i * frame_len, b->data, frame_len);
	return b;
}

static int
push_message(struct push *p, const struct args *a, char *err, size_t errlen)
{
	const char	*msg = a->value[PUSH_OPT_MSG];
	unsigned long	 size;
	int		 opcode;

	opcode = a->present[PUSH_OPT_BINARY] ? WS_OP_BINARY : WS_OP_TEXT;
	if (msg != NULL && a->present[PUSH_OPT_SIZE]) {
		snprintf(err, errlen, "--msg and --size exclude each other");
		return -1;
	}
	if (a->present[PUSH_OPT_SIZE]) {
		if (args_uint(push_opts, a, PUSH_OPT_SIZE, 0, JOB_MAX_MESSAGE_DEFAULT,
		    0, &size, err, errlen) == -1)
			return -1;
	} else {
		if (msg == NULL)
			msg = "yo";
		size = strlen(msg);
		if (opcode == WS_OP_TEXT &&
		    !ws_utf8_valid((const uint8_t *)msg, size)) {
			snprintf(err, errlen, "--msg is not valid UTF-8 "
			    "(use --binary)");
			return -1;
		}
	}
	if ((p->burst = push_burst_new(msg, size, opcode)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

static void	push_accept(struct job *, int);

static int
push_prepare(struct job *j, const struct args *a, char *err, size_t errlen)
{
	struct push	*p;

	if ((p = calloc(1, sizeof(*p))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	j->priv = p;
	p->srv.accept = push_accept;
	if (server_prepare(&p->srv, push_opts, a, err, errlen) == -1)
		return -1;
	return push_message(p, a, err, errlen);
}

/* Counts messages from bytes actually written, so the count is exact. */
static void
push_count_sent(struct conn *c, struct push_conn *pc)
{
	uint64_t	start = pc->data_start + conn_control_queued(c);
	uint64_t	msgs;

	/* Nothing until the 101 is out.  A queued control frame is taken as
	 * written until it is: the count may lag behind the truth but never
	 * runs ahead of it. */
	if (conn_written(c) < start)
		return;
	msgs = (conn_written(c) - start) / pc->burst->frame_len;
	if (msgs > pc->counted) {
		counter_add(conn_slot(c), CTR_messages_sent, msgs - pc->counted);
		pc->counted = msgs;
	}
}

static void
push_fill(struct conn *c, struct push_conn *pc)
{
	struct evbuffer		*out = conn_output(c);
	struct push_burst	*b = pc->burst;

	while (evbuffer_get_length(out) < PUSH_HIGH) {
		atomic_fetch_add(&b->refs, 1);
		if (evbuffer_add_reference(out, b->data, b->len,
		    push_burst_cleanup, b) == -1) {
			push_burst_unref(b);
			break;
		}
	}
}

static void
push_open(struct conn *c)
{
	struct push_conn	*pc = conn_priv(c);

	pc->data_start = conn_written(c) +
	    evbuffer_get_length(conn_output(c));
	conn_set_lowmark(c, PUSH_LOW);
	push_fill(c, pc);
}

static void
push_writable(struct conn *c)
{
	struct push_conn	*pc = conn_priv(c);

	push_count_sent(c, pc);
	push_fill(c, pc);
}

static void
push_closed(struct conn *c, int failed)
{
	struct push_conn	*pc = conn_priv(c);

	(void)failed;
	if (pc->data_start > 0)
		push_count_sent(c, pc);
	push_burst_unref(pc->burst);
	free(pc);
}

static const struct conn_ops push_conn_ops = {
	.open = push_open,
	.writable = push_writable,
	.closed = push_closed,
};

/* On the worker that will own the connection. */
static void
push_accept(struct job *j, int fd)
{
	struct push		*p = j->priv;
	struct push_conn	*pc;
	int			 sndbuf = PUSH_SNDBUF;

	if ((pc = calloc(1, sizeof(*pc))) == NULL) {
		evutil_closesocket(fd);
		return;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf,
	    sizeof(sndbuf)) == -1)
		log_debug("job %s: setsockopt SO_SNDBUF: %s", j->name,
		    strerror(errno));
	pc->burst = p->burst;
	atomic_fetch_add(&pc->burst->refs, 1);
	if (conn_accept(j, loop_self(), fd, &push_conn_ops, pc) == NULL) {
		push_burst_unref(pc->burst);
		free(pc);
	}
}

static void
push_free(struct job *j)
{
	struct push	*p = j->priv;

	if (p == NULL)
		return;
	server_job_stop(j);
	if (p->burst != NULL)
		push_burst_unref(p->burst);
	free(p);
}

const struct job_kind job_kind_push = {
	.name = "push",
	.opts = push_opts,
	.min_pos = 0,
	.max_pos = 0,
	.prepare = push_prepare,
	.start = server_job_start,
	.stop = server_job_stop,
	.worker_stop = server_job_worker_stop,
	.free = push_free,
	.target = server_job_target,
};
