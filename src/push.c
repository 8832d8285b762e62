/* SPDX-License-Identifier: ISC */
/*
 * The push job: a WebSocket server that sends one message in a loop to
 * every client, as fast as each client reads.  Server frames are never
 * masked, so every copy of the message is the same bytes: the frames are
 * encoded once per job into a burst, and connections add that burst to
 * their output by reference, up to a high watermark.
 *
 * With --deflate, a client that asks for server_no_context_takeover gets
 * a second burst, of the message compressed once per job: without context
 * every compressed copy is the same bytes too.  With context takeover each
 * copy is compressed as it is queued, by the connection's own stream,
 * into chunks of frames under the same watermark; where each chunk ends is
 * kept, to count the messages written.  Compressing is the one costly
 * thing a worker does for a connection, so it is done PUSH_ZSTEP bytes a
 * call, a large message over several: the other connections of the worker,
 * and new handshakes, get their turn in between.
 *
 * With --rate N each connection instead sends stamped messages (stamp.h)
 * at N a second on a fixed timetable (pace.h), or with --rate PHASES on a
 * plan of rates that runs from the job's start: a timer wakes it at the
 * next due time and it queues every message owed by then, each stamped
 * with its sequence number and due time.  It still queues only up to the
 * watermark: a client that reads slowly leaves messages owed, sent late
 * once it catches up, so its backlog shows downstream as latency.  The
 * burst then serves as the template of one frame.  Not with --deflate:
 * every stamped copy is different, so none could share a compressed
 * burst, and compressing each one would time zlib as much as the network.
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
#include "message.h"
#include "pace.h"
#include "server.h"
#include "stamp.h"
#include "timerq.h"
#include "ws_deflate.h"
#include "ws_frame.h"

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
/* Chunks of compressed frames in the output not yet counted as written:
 * more than the watermark lets be queued. */
#define PUSH_MARKS	8
/*
 * Bytes of the message compressed per call, at most: about a millisecond
 * of zlib's time here.  A call used to go on until the output was full:
 * with 1 MB messages of generated text, which shrink to 3 KB, that was
 * some 100 MB of input, and with 200 such connections a handshake on
 * their worker waited 57 s on average.
 */
#define PUSH_ZSTEP	(256 * 1024)

#define PUSH_OPT_MESSAGE	SERVER_OPT_NEXT	/* MESSAGE_OPTS from here */
#define PUSH_OPT_RATE		(PUSH_OPT_MESSAGE + MESSAGE_OPT_COUNT)

static const struct args_opt push_opts[] = {
	JOB_OPTS,
	SERVER_OPTS,
	MESSAGE_OPTS(PUSH_OPT_MESSAGE),
	[PUSH_OPT_RATE] = ARGS_VALUE("--rate", "RATE",
	    "stamped messages a second per connection, or phases R and "
	    "FROM:TO:S (ramping over S)"),
	ARGS_END
};

/* Back-to-back copies of the message's frame, shared by connections. */
struct push_burst {
	atomic_int	refs;
	size_t		frame_len;
	size_t		payload_len;	/* the message's, uncompressed */
	size_t		len;
	uint8_t		data[];
};

struct push {
	struct server		 srv;		/* first, as server.h says */
	struct push_burst	*burst;
	struct push_burst	*zburst;	/* compressed; with --deflate */
	const uint8_t		*payload;	/* the message, in burst */
	size_t			 size;
	int			 opcode;
	uint64_t		 rate;		/* --rate N, or */
	struct pace_plan	 plan;		/* phases, when plan.n > 0 */
	uint64_t		 t0;		/* the plan's start */
	uint64_t		 offset;	/* --rate: wall - monotonic */
};

/* With --rate: stamped messages on a timetable; without, as fast as
 * read. */
static int
push_timed(const struct push *p)
{
	return p->rate != 0 || p->plan.n > 0;
}

/* Where a chunk of compressed frames ends, and the messages up to it. */
struct push_mark {
	uint64_t	end;
	uint64_t	msgs;
};

struct push_conn {
	const struct push	*push;
	struct push_burst	*burst;
	uint64_t		 data_start;	/* output bytes before data */
	uint64_t		 counted;	/* messages counted so far */
	/* Context takeover: each copy compressed as it is queued. */
	uint8_t			*zbuf;		/* one compressed copy */
	size_t			 zcap;
	size_t			 zin;		/* of the message, compressed */
	size_t			 zlen;		/* into zbuf so far */
	uint64_t		 queued;	/* data bytes queued */
	uint64_t		 queued_msgs;
	struct push_mark	 marks[PUSH_MARKS];
	unsigned int		 mark_first, nmarks;
	/* --rate: the timetable (CLOCK_MONOTONIC), and the timer set for
	 * its next message, on the worker's timer queue once attached. */
	struct pace		 pace;
	struct timerq_entry	 timer;
	struct conn		*conn;
	int			 attached;
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

/* Frames of payload[0..size), RSV1 set when it is the compressed form of
 * a message of payload_len bytes. */
static struct push_burst *
push_burst_new(const uint8_t *payload, size_t size, int opcode, int rsv1,
    size_t payload_len)
{
	uint8_t			 hdr[WS_FRAME_HDR_MAX];
	struct push_burst	*b;
	size_t			 hlen, frame_len, count, i;

	hlen = ws_frame_encode_hdr(hdr, 1, opcode, size, NULL);
	if (rsv1)
		hdr[0] |= WS_DEFLATE_HDR_RSV1;
	frame_len = hlen + size;
	count = PUSH_BURST_MIN / frame_len;
	if (count == 0)
		count = 1;
	if ((b = malloc(sizeof(*b) + count * frame_len)) == NULL)
		return NULL;
	atomic_init(&b->refs, 1);
	b->frame_len = frame_len;
	b->payload_len = payload_len;
	b->len = count * frame_len;
	memcpy(b->data, hdr, hlen);
	memcpy(b->data + hlen, payload, size);
	for (i = 1; i < count; i++)
		memcpy(b->data + i * frame_len, b->data, frame_len);
	return b;
}

/* The message compressed once, with no context, as every copy is when
 * the client asked for server_no_context_takeover. */
static struct push_burst *
push_zburst_new(const struct push *p)
{
	struct ws_deflate	 d;
	struct push_burst	*b = NULL;
	size_t			 cap = ws_deflate_bound(p->size);
	uint8_t			*z;
	long			 n;

	if ((z = malloc(cap)) == NULL)
		return NULL;
	if (ws_deflate_init(&d, 0, 1) == 0) {
		if ((n = ws_deflate_feed(&d, p->payload, p->size, 1, z,
		    cap)) >= 0)
			b = push_burst_new(z, (size_t)n, p->opcode, 1, p->size);
		ws_deflate_end(&d);
	}
	free(z);
	return b;
}

static int
push_message(struct push *p, const struct args *a, char *err, size_t errlen)
{
	struct message	m;

	if (message_prepare(&m, a, PUSH_OPT_MESSAGE, push_timed(p), err,
	    errlen) == -1)
		return -1;
	p->opcode = m.opcode;
	p->size = m.size;
	p->burst = push_burst_new(m.payload, m.size, m.opcode, 0, m.size);
	message_free(&m);
	if (p->burst == NULL)
		goto nomem;
	/* The message, where the burst's first frame holds it. */
	p->payload = p->burst->data + p->burst->frame_len - p->size;
	if (p->srv.deflate && (p->zburst = push_zburst_new(p)) == NULL)
		goto nomem;
	return 0;
nomem:
	snprintf(err, errlen, "out of memory");
	return -1;
}

static void	push_accept(struct job *, int);

/* --rate, which excludes --deflate (see the top). */
static int
push_rate(struct push *p, const struct args *a, char *err, size_t errlen)
{
	const char	*v = a->value[PUSH_OPT_RATE];

	if (v == NULL)
		return 0;
	if (pace_parse(v, &p->rate, &p->plan, err, errlen) == -1)
		return -1;
	if (!push_timed(p)) {
		snprintf(err, errlen, "--rate 0: a rate of 1 to %d, or phases",
		    PACE_RATE_MAX);
		return -1;
	}
	if (p->srv.deflate) {
		snprintf(err, errlen, "--rate and --deflate exclude each "
		    "other: stamped messages are not compressed");
		return -1;
	}
	p->offset = timerq_wall_offset();
	return 0;
}

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
	if (server_prepare(&p->srv, a, err, errlen) == -1 ||
	    push_rate(p, a, err, errlen) == -1)
		return -1;
	return push_message(p, a, err, errlen);
}

/* Messages in the chunks written whole by now, data bytes in. */
static uint64_t
push_marks_written(struct push_conn *pc, uint64_t data)
{
	uint64_t	msgs = pc->counted;

	while (pc->nmarks > 0 && pc->marks[pc->mark_first].end <= data) {
		msgs = pc->marks[pc->mark_first].msgs;
		pc->mark_first = (pc->mark_first + 1) % PUSH_MARKS;
		pc->nmarks--;
	}
	return msgs;
}

/* Counts messages from bytes actually written, so the count is exact. */
static void
push_count_sent(struct conn *c, struct push_conn *pc)
{
	uint64_t	data = conn_data_written(c);
	uint64_t	msgs;

	/* Nothing until the 101 is out. */
	if (data < pc->data_start)
		return;
	if (pc->zbuf != NULL)
		msgs = push_marks_written(pc, data - pc->data_start);
	else
		msgs = (data - pc->data_start) / pc->burst->frame_len;
	if (msgs > pc->counted) {
		counter_add(conn_slot(c), CTR_messages_sent, msgs - pc->counted);
		counter_add(conn_slot(c), CTR_payload_bytes_sent,
		    (msgs - pc->counted) * pc->burst->payload_len);
		pc->counted = msgs;
	}
}

/* Goes on compressing the copy in zbuf, *budget bytes at most; returns 1
 * once it is whole, 0 if not yet, -1 on failure. */
static int
push_compress(struct ws_deflate *d, struct push_conn *pc, size_t *budget)
{
	const struct push	*p = pc->push;
	size_t			 n = p->size - pc->zin;
	long			 z;

	if (n > *budget)
		n = *budget;
	z = ws_deflate_feed(d, p->payload + pc->zin, n, pc->zin + n ==
	    p->size, pc->zbuf + pc->zlen, pc->zcap - pc->zlen);
	if (z < 0)
		return -1;
	*budget -= n;
	pc->zin += n;
	pc->zlen += (size_t)z;
	return pc->zin == p->size;
}

/* Writes compressed copies into out[0..] until PUSH_BURST_MIN is passed or
 * the budget is spent; returns the bytes written and the copies in *msgs,
 * or -1 on failure. */
static ssize_t
push_chunk(struct ws_deflate *d, struct push_conn *pc, uint8_t *out,
    uint64_t *msgs, size_t *budget)
{
	const struct push	*p = pc->push;
	size_t			 off = 0, hlen;
	int			 rc;

	for (*msgs = 0; off < PUSH_BURST_MIN && *budget > 0; (*msgs)++) {
		if ((rc = push_compress(d, pc, budget)) != 1)
			return rc == 0 ? (ssize_t)off : -1;
		hlen = ws_frame_encode_hdr(out + off, 1, p->opcode, pc->zlen,
		    NULL);
		out[off] |= WS_DEFLATE_HDR_RSV1;
		memcpy(out + off + hlen, pc->zbuf, pc->zlen);
		off += hlen + pc->zlen;
		pc->zin = pc->zlen = 0;
	}
	return (ssize_t)off;
}

/* Context takeover: chunks compressed as they are queued, PUSH_ZSTEP bytes
 * of the message a call; the next call is asked for if there is more to
 * queue. */
static void
push_fill_compressed(struct conn *c, struct push_conn *pc)
{
	struct evbuffer		*out = conn_output(c);
	struct ws_deflate	*d = conn_deflater(c);
	struct evbuffer_iovec	 v;
	struct push_mark	*m;
	uint64_t		 msgs;
	size_t			 budget = PUSH_ZSTEP;
	ssize_t			 len;

	while (evbuffer_get_length(out) < PUSH_HIGH &&
	    pc->nmarks < PUSH_MARKS) {
		if (budget == 0) {
			conn_writable_later(c);
			return;
		}
		/* Room for the last copy to start just under the minimum. */
		if (d == NULL || evbuffer_reserve_space(out,
		    (ssize_t)(PUSH_BURST_MIN + WS_FRAME_HDR_MAX + pc->zcap),
		    &v, 1) != 1 ||
		    (len = push_chunk(d, pc, v.iov_base, &msgs, &budget)) ==
		    -1) {
			conn_close(c, WS_CLOSE_INTERNAL);
			return;
		}
		if (len == 0)
			continue;
		v.iov_len = (size_t)len;
		if (evbuffer_commit_space(out, &v, 1) == -1) {
			conn_close(c, WS_CLOSE_INTERNAL);
			return;
		}
		pc->queued += v.iov_len;
		pc->queued_msgs += msgs;
		m = &pc->marks[(pc->mark_first + pc->nmarks++) % PUSH_MARKS];
		m->end = pc->queued;
		m->msgs = pc->queued_msgs;
	}
}

static void
push_fill(struct conn *c, struct push_conn *pc)
{
	struct evbuffer		*out = conn_output(c);
	struct push_burst	*b = pc->burst;

	if (pc->zbuf != NULL) {
		push_fill_compressed(c, pc);
		return;
	}
	while (evbuffer_get_length(out) < PUSH_HIGH) {
		atomic_fetch_add(&b->refs, 1);
		if (evbuffer_add_reference(out, b->data, b->len,
		    push_burst_cleanup, b) == -1) {
			push_burst_unref(b);
			break;
		}
	}
}

/*
 * The compressed burst serves a connection whose client asked for no
 * context, if the message fits the window it allows (so no distance in it
 * reaches further); any other gets its copies compressed as they go.
 */
static int
push_open_deflate(struct push_conn *pc, const struct ws_deflate_params *a)
{
	const struct push	*p = pc->push;
	int			 bits = a->server_max_window_bits;

	if (bits == 0)
		bits = WS_DEFLATE_BITS_MAX;
	if (a->server_no_context_takeover && p->size <= (size_t)1 << bits) {
		push_burst_unref(pc->burst);
		pc->burst = p->zburst;
		atomic_fetch_add(&pc->burst->refs, 1);
		return 0;
	}
	pc->zcap = ws_deflate_bound(p->size);
	if ((pc->zbuf = malloc(pc->zcap)) == NULL)
		return -1;
	return 0;
}

/* Messages are counted from the bytes written after what is queued now
 * (the 101), and the writable op comes when the output runs low. */
static void
push_begin(struct conn *c, struct push_conn *pc)
{
	pc->data_start = conn_written(c) +
	    evbuffer_get_length(conn_output(c));
	conn_set_lowmark(c, PUSH_LOW);
}

static void
push_open(struct conn *c)
{
	struct push_conn		*pc = conn_priv(c);
	const struct ws_deflate_params	*a = conn_deflate_agreed(c);

	if (a != NULL && push_open_deflate(pc, a) == -1) {
		conn_close(c, WS_CLOSE_INTERNAL);
		return;
	}
	push_begin(c, pc);
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
	free(pc->zbuf);
	if (pc->attached) {
		timerq_del(&pc->timer);
		timerq_detach();
	}
	free(pc);
}

static const struct conn_ops push_conn_ops = {
	.open = push_open,
	.writable = push_writable,
	.closed = push_closed,
};

/*
 * Queues the messages owed by now, each a copy of the burst's first frame
 * with its own stamp, until the output passes the watermark.  Every
 * stamped frame is as long as the burst's frames, so push_count_sent()
 * counts them from the bytes written, exactly, as it does the burst's.
 */
static int
push_rate_queue(struct conn *c, struct push_conn *pc, uint64_t now)
{
	struct evbuffer		*out = conn_output(c);
	const struct push_burst	*b = pc->burst;
	size_t			 len = evbuffer_get_length(out);
	size_t			 at = b->frame_len - b->payload_len;
	struct evbuffer_iovec	 v;
	uint64_t		 n, i, k, late = 0;
	uint8_t			*f;

	if (len >= PUSH_HIGH || (n = pace_owed(&pc->pace, now)) == 0)
		return 0;
	if (n > (PUSH_HIGH - len) / b->frame_len + 1)
		n = (PUSH_HIGH - len) / b->frame_len + 1;
	if (evbuffer_reserve_space(out, (ssize_t)(n * b->frame_len), &v,
	    1) != 1)
		return -1;
	for (i = 0, f = v.iov_base; i < n; i++, f += b->frame_len) {
		k = pc->pace.next++;
		memcpy(f, b->data, b->frame_len);
		stamp_write(f + at, k, pace_due(&pc->pace, k) +
		    pc->push->offset);
		late += pace_late(&pc->pace, k, now);
	}
	v.iov_len = n * b->frame_len;
	if (evbuffer_commit_space(out, &v, 1) == -1)
		return -1;
	if (late > 0)
		counter_add(conn_slot(c), CTR_sends_late, late);
	return 0;
}

/* Queues what is owed, then sleeps until the next message is due; with
 * messages still owed the output is full, and its writable op comes back
 * once the client has read enough. */
static void
push_rate_fill(struct conn *c, struct push_conn *pc)
{
	uint64_t	now = timerq_now(), due;

	push_count_sent(c, pc);
	if (push_rate_queue(c, pc, now) == -1) {
		conn_close(c, WS_CLOSE_INTERNAL);
		return;
	}
	if (pace_owed(&pc->pace, now) > 0)
		return;
	timerq_del(&pc->timer);
	/* A plan that ends at rate 0 owes nothing more. */
	if ((due = pace_due(&pc->pace, pc->pace.next)) != UINT64_MAX)
		timerq_add(&pc->timer, due);
}

/* Through the connection, which calls the writable op only while it is
 * open: the timer may go off once a close has been sent. */
static void
push_rate_due(struct timerq_entry *e)
{
	struct push_conn	*pc = TIMERQ_OWNER(e, struct push_conn, timer);

	conn_writable_later(pc->conn);
}

/* A fixed rate starts when the connection opens; a plan runs on the
 * job's clock, and a connection opened later joins it where it is then. */
static void
push_timetable(struct push_conn *pc, const struct push *p)
{
	if (p->plan.n == 0)
		pace_start(&pc->pace, timerq_now(), p->rate);
	else
		pace_join_plan(&pc->pace, p->t0, &p->plan, timerq_now());
}

static void
push_rate_open(struct conn *c)
{
	struct push_conn	*pc = conn_priv(c);

	if (timerq_attach() == -1) {
		conn_close(c, WS_CLOSE_INTERNAL);
		return;
	}
	pc->attached = 1;
	pc->conn = c;
	timerq_entry_init(&pc->timer, push_rate_due);
	push_begin(c, pc);
	push_timetable(pc, pc->push);
	push_rate_fill(c, pc);
}

static void
push_rate_writable(struct conn *c)
{
	push_rate_fill(c, conn_priv(c));
}

static const struct conn_ops push_rate_conn_ops = {
	.open = push_rate_open,
	.writable = push_rate_writable,
	.closed = push_closed,
};

/* On the worker that will own the connection. */
static void
push_accept(struct job *j, int fd)
{
	struct push		*p = j->priv;
	struct push_conn	*pc;
	struct conn		*c;
	int			 sndbuf = PUSH_SNDBUF;

	if ((pc = calloc(1, sizeof(*pc))) == NULL) {
		evutil_closesocket(fd);
		return;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf,
	    sizeof(sndbuf)) == -1)
		log_debug("job %s: setsockopt SO_SNDBUF: %s", j->name,
		    strerror(errno));
	pc->push = p;
	pc->burst = p->burst;
	atomic_fetch_add(&pc->burst->refs, 1);
	if ((c = conn_accept(j, loop_self(), fd, p->srv.tls, push_timed(p) ?
	    &push_rate_conn_ops : &push_conn_ops, pc)) == NULL) {
		push_burst_unref(pc->burst);
		free(pc);
	} else if (p->srv.deflate)
		conn_allow_deflate(c);
}

static int
push_start(struct job *j, char *err, size_t errlen)
{
	struct push	*p = j->priv;

	p->t0 = timerq_now();
	return server_job_start(j, err, errlen);
}

static void
push_free(struct job *j)
{
	struct push	*p = j->priv;

	if (p == NULL)
		return;
	server_job_free(j);
	if (p->burst != NULL)
		push_burst_unref(p->burst);
	if (p->zburst != NULL)
		push_burst_unref(p->zburst);
	free(p);
}

const struct job_kind job_kind_push = {
	.name = "push",
	.help = "a server sending one message again and again",
	.args = { .opts = push_opts },
	.prepare = push_prepare,
	.start = push_start,
	.stop = server_job_stop,
	.worker_stop = server_job_worker_stop,
	.free = push_free,
	.target = server_job_target,
	.target_label = "listen",
	.watch_counter = CTR_messages_sent,
	.watch_rank = 1,
	.settings = server_job_settings,
};
