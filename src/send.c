/* SPDX-License-Identifier: ISC */
/*
 * The send job: N client connections (client.h) that each send stamped
 * messages (stamp.h) and time the echoes of their own stamps, round trip.
 *
 * With --rate N a connection sends on a fixed timetable (pace.h), with
 * --rate PHASES on a plan of rates held or ramped, the job's own clock
 * from its start, so that the job sends connections x rate(t): a
 * precise timer (timerq.h) set to the next due time queues every message
 * owed by then, each stamped with its own due time.  When the output is
 * above SEND_HIGH the connection stops queueing until it falls to
 * SEND_LOW: the messages it owes meanwhile go late, and their wait shows
 * as latency, since latency is always measured from the due time
 * (coordinated omission).  Without a rate, the output is kept filled to
 * SEND_HIGH and a message is due when it is queued.
 *
 * The stamp carries CLOCK_REALTIME, for a receiver on another host; the
 * timetable and the round trip run on CLOCK_MONOTONIC, and the job takes
 * the offset between the two once (client.h), so a step of the wall clock
 * does not bend a round trip.
 */

#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <openssl/rand.h>

#include "client.h"
#include "conn.h"
#include "counters.h"
#include "job.h"
#include "log.h"
#include "message.h"
#include "pace.h"
#include "stamp.h"
#include "timerq.h"
#include "ws_deflate.h"
#include "ws_frame.h"

#define SEND_HIGH	(64 * 1024)	/* output kept at most this full */
#define SEND_LOW	(16 * 1024)	/* go on queueing under this */
/* Masking keys drawn at once, per worker: a CSPRNG call per frame is
 * most of the cost of a small frame. */
#define SEND_KEYS	1024
#define SEND_NS		UINT64_C(1000000000)
#define SEND_PHASES	8	/* groups of connections due together */

#define SEND_OPT_MESSAGE	CLIENT_OPT_NEXT	/* MESSAGE_OPTS from here */
#define SEND_OPT_RATE		(SEND_OPT_MESSAGE + MESSAGE_OPT_COUNT)
#define SEND_OPT_NO_TIMING	(SEND_OPT_RATE + 1)

static const struct args_opt send_opts[] = {
	JOB_OPTS,
	CLIENT_OPTS,
	MESSAGE_OPTS(SEND_OPT_MESSAGE),
	[SEND_OPT_RATE] = ARGS_VALUE("--rate", "RATE",
	    "messages a second per connection, or phases R and FROM:TO:S "
	    "by commas; 0, the default: as fast as the socket takes them"),
	[SEND_OPT_NO_TIMING] = ARGS_FLAG("--no-timing",
	    "count the echoes without timing them"),
	ARGS_END
};

struct send {
	struct client	cl;		/* first, as client.h says */
	struct message	msg;
	uint64_t	rate;		/* a fixed rate, or */
	struct pace_plan plan;		/* phases, when plan.n > 0 */
	uint64_t	t0;		/* CLOCK_MONOTONIC at start */
};

/* A connection's sending, while it is open. */
struct send_conn {
	const struct send	*snd;
	struct conn		*conn;
	struct ws_deflate	*z;		/* permessage-deflate agreed */
	struct timerq_entry	 timer;		/* the next due time */
	struct pace		 pace;		/* pace.next: the next seq */
	int			 blocked;	/* output over SEND_HIGH */
};

static __thread uint8_t	send_keys[SEND_KEYS][4];
static __thread size_t	send_keys_left;
static __thread unsigned int send_phase;	/* the next connection's */

/* NULL before open, or when open ran out of memory. */
static struct send_conn *
send_conn_of(struct conn *c)
{
	return ((struct client_slot *)conn_priv(c))->state;
}

/* Masking keys must not be predictable (RFC 6455 section 5.3). */
static const uint8_t *
send_mask_key(void)
{
	if (send_keys_left == 0) {
		if (RAND_bytes(&send_keys[0][0], sizeof(send_keys)) != 1)
			fatalx("%s: RAND_bytes failed", __func__);
		send_keys_left = SEND_KEYS;
	}
	return send_keys[--send_keys_left];
}

/* Message k's due time (CLOCK_MONOTONIC): on the timetable, or now
 * without a rate. */
static uint64_t
send_due(const struct send_conn *sc, uint64_t k, uint64_t now)
{
	return pace_timed(&sc->pace) ? pace_due(&sc->pace, k) : now;
}

/*
 * Queues n messages from sc->pace.next on, each a masked frame with its
 * own stamp, in one reservation of the output: a lock of the buffer a
 * batch, not a message.
 */
static int
send_queue(struct evbuffer *out, const struct send_conn *sc, uint64_t n,
    uint64_t now)
{
	const struct send	*snd = sc->snd;
	const struct message	*m = &snd->msg;
	const uint8_t		*key;
	struct evbuffer_iovec	 v;
	uint8_t			*p;
	uint64_t		 k;
	size_t			 hlen;

	if (evbuffer_reserve_space(out, (ssize_t)(n * (WS_FRAME_HDR_MAX +
	    m->size)), &v, 1) != 1)
		return -1;
	p = v.iov_base;
	for (k = sc->pace.next; k < sc->pace.next + n; k++) {
		key = send_mask_key();
		hlen = ws_frame_encode_hdr(p, 1, m->opcode, m->size, key);
		memcpy(p + hlen, m->payload, m->size);
		stamp_write(p + hlen, k, send_due(sc, k, now) +
		    snd->cl.wall_offset);
		ws_mask(p + hlen, m->size, key, 0);
		p += hlen + m->size;
	}
	v.iov_len = (size_t)(p - (uint8_t *)v.iov_base);
	return evbuffer_commit_space(out, &v, 1);
}

/*
 * The same, compressed by the connection's own stream: the stamp, then
 * the rest, into space behind room for the largest header, which is then
 * moved up against the header the compressed length takes.
 */
static int
send_queue_deflate(struct evbuffer *out, struct send_conn *sc, uint64_t seq,
    uint64_t due)
{
	const struct message	*m = &sc->snd->msg;
	const uint8_t		*key = send_mask_key();
	uint8_t			 stamp[STAMP_LEN], hdr[WS_FRAME_HDR_MAX], *p;
	size_t			 cap, hlen, len;
	struct evbuffer_iovec	 v;
	long			 a, b;

	cap = ws_deflate_bound(STAMP_LEN) + ws_deflate_bound(m->size);
	if (evbuffer_reserve_space(out, (ssize_t)(WS_FRAME_HDR_MAX + cap), &v,
	    1) != 1)
		return -1;
	p = (uint8_t *)v.iov_base + WS_FRAME_HDR_MAX;
	stamp_write(stamp, seq, due + sc->snd->cl.wall_offset);
	if ((a = ws_deflate_feed(sc->z, stamp, STAMP_LEN, 0, p, cap)) < 0 ||
	    (b = ws_deflate_feed(sc->z, m->payload + STAMP_LEN,
	    m->size - STAMP_LEN, 1, p + a, cap - (size_t)a)) < 0)
		return -1;
	len = (size_t)(a + b);
	hlen = ws_frame_encode_hdr(hdr, 1, m->opcode, len, key);
	hdr[0] |= WS_DEFLATE_HDR_RSV1;
	memmove((uint8_t *)v.iov_base + hlen, p, len);
	memcpy(v.iov_base, hdr, hlen);
	ws_mask((uint8_t *)v.iov_base + hlen, len, key, 0);
	v.iov_len = hlen + len;
	return evbuffer_commit_space(out, &v, 1);
}

/* Queues n messages from sc->pace.next on, and moves next past them. */
static int
send_batch(struct evbuffer *out, struct send_conn *sc, uint64_t n,
    uint64_t now)
{
	uint64_t	k;

	if (sc->z == NULL) {
		if (send_queue(out, sc, n, now) == -1)
			return -1;
	} else {
		for (k = sc->pace.next; k < sc->pace.next + n; k++)
			if (send_queue_deflate(out, sc, k,
			    send_due(sc, k, now)) == -1)
				return -1;
	}
	sc->pace.next += n;
	return 0;
}

/* How many messages take the output past SEND_HIGH from len bytes. */
static uint64_t
send_room(const struct send_conn *sc, size_t len)
{
	size_t	frame = sc->snd->msg.size + 6;	/* a masked short header */

	return len >= SEND_HIGH ? 0 : (SEND_HIGH - len) / frame + 1;
}

static void
send_counted(struct conn *c, const struct send *snd, uint64_t n,
    uint64_t late)
{
	counter_add(conn_slot(c), CTR_messages_sent, n);
	counter_add(conn_slot(c), CTR_payload_bytes_sent, n * snd->msg.size);
	if (late > 0)
		counter_add(conn_slot(c), CTR_sends_late, late);
}

/* Without a rate: fills the output, every message due now. */
static void
send_fill(struct conn *c, struct send_conn *sc)
{
	struct evbuffer	*out = conn_output(c);
	uint64_t	 n = send_room(sc, evbuffer_get_length(out));

	if (n == 0)
		return;
	if (send_batch(out, sc, n, timerq_now()) == -1) {
		conn_close(c, WS_CLOSE_INTERNAL);
		return;
	}
	send_counted(c, sc->snd, n, 0);
}

/* On the timetable: queues what is owed, then waits for the next due
 * time, or for the output to drain. */
static void
send_pace(struct conn *c, struct send_conn *sc)
{
	struct evbuffer	*out = conn_output(c);
	uint64_t	 now = timerq_now(), late, due;
	uint64_t	 owed = pace_owed(&sc->pace, now), n = owed;

	if (n > send_room(sc, evbuffer_get_length(out)))
		n = send_room(sc, evbuffer_get_length(out));
	late = pace_late_count(&sc->pace, n, owed, now);
	if (n > 0 && send_batch(out, sc, n, now) == -1) {
		conn_close(c, WS_CLOSE_INTERNAL);
		return;
	}
	send_counted(c, sc->snd, n, late);
	/* A plan that ends at rate 0 owes nothing more. */
	if (!(sc->blocked = n < owed) &&
	    (due = pace_due(&sc->pace, sc->pace.next)) != UINT64_MAX)
		timerq_add(&sc->timer, due);
}

static void
send_timer_cb(struct timerq_entry *e)
{
	struct send_conn	*sc = TIMERQ_OWNER(e, struct send_conn, timer);

	if (conn_is_open(sc->conn))
		send_pace(sc->conn, sc);
}

static void
send_writable(struct conn *c)
{
	struct send_conn	*sc = send_conn_of(c);

	if (sc == NULL || !conn_is_open(c))
		return;
	if (!pace_timed(&sc->pace))
		send_fill(c, sc);
	else if (sc->blocked)
		send_pace(c, sc);
}

/*
 * A connection's timetable starts at a due time of the job's own, shifted
 * by one of SEND_PHASES fractions of an interval, taken in turn: the
 * connections of a worker come due in SEND_PHASES groups, whose timers
 * fire in one turn of its loop each, rather than one turn per connection,
 * while a group stays small enough not to delay its last connection
 * much behind its first.  A plan shifts by fractions of its peak's.
 * A connection opened late takes the timetable where it is then: its
 * message 0 is the job's first not yet due.
 */
static void
send_timetable(struct send_conn *sc, const struct send *snd)
{
	struct pace	job;
	uint64_t	now = timerq_now(), t0, peak;

	peak = snd->plan.n > 0 ? pace_plan_peak(&snd->plan) : snd->rate;
	if (peak == 0 && snd->plan.n > 0)	/* at rate 0 throughout */
		pace_start_plan(&sc->pace, now, &snd->plan, 0);
	else if (peak == 0)
		pace_start(&sc->pace, now, 0);
	if (peak == 0)
		return;
	t0 = snd->t0 + SEND_NS / peak * (send_phase++ % SEND_PHASES) /
	    SEND_PHASES;
	if (snd->plan.n > 0) {
		pace_join_plan(&sc->pace, t0, &snd->plan, now);
		return;
	}
	pace_start(&job, t0, snd->rate);
	pace_start(&sc->pace, pace_due(&job, pace_owed(&job, now)), snd->rate);
}

static void
send_open(struct conn *c)
{
	struct client_slot	*s = conn_priv(c);
	struct send		*snd = s->job->priv;
	struct send_conn	*sc;

	client_conn_open(c);
	if ((sc = calloc(1, sizeof(*sc))) == NULL || timerq_attach() == -1) {
		free(sc);
		log_warnx("job %s: out of memory", s->job->name);
		conn_close(c, WS_CLOSE_INTERNAL);
		return;
	}
	sc->snd = snd;
	sc->conn = c;
	timerq_entry_init(&sc->timer, send_timer_cb);
	s->state = sc;
	if (conn_deflate_agreed(c) != NULL &&
	    (sc->z = conn_deflater(c)) == NULL) {
		conn_close(c, WS_CLOSE_INTERNAL);
		return;
	}
	send_timetable(sc, snd);
	conn_set_lowmark(c, SEND_LOW);
	if (!pace_timed(&sc->pace))
		send_fill(c, sc);
	else
		send_pace(c, sc);
}

static void
send_closed(struct conn *c, int failed)
{
	struct client_slot	*s = conn_priv(c);
	struct send_conn	*sc = s->state;

	if (sc != NULL) {
		timerq_del(&sc->timer);
		timerq_detach();
		free(sc);
		s->state = NULL;
	}
	client_conn_closed(c, failed);
}

static const struct conn_ops send_conn_ops = {
	.open = send_open,
	.writable = send_writable,
	.closed = send_closed,
	.data = client_conn_data,
	.message = client_conn_timed_message,
	.whole = client_conn_timed_whole,
};

/* --no-timing: the echoes only counted, by the connection. */
static const struct conn_ops send_untimed_ops = {
	.open = send_open,
	.writable = send_writable,
	.closed = send_closed,
};

static int
send_prepare(struct job *j, const struct args *a, char *err, size_t errlen)
{
	struct send	*snd;

	if ((snd = calloc(1, sizeof(*snd))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	j->priv = snd;
	if (a->value[SEND_OPT_RATE] != NULL &&
	    pace_parse(a->value[SEND_OPT_RATE], &snd->rate, &snd->plan, err,
	    errlen) == -1)
		return -1;
	if (a->present[SEND_OPT_NO_TIMING])
		snd->cl.ops = &send_untimed_ops;
	else {
		snd->cl.ops = &send_conn_ops;
		j->timing = "rtt";
	}
	if (message_prepare(&snd->msg, a, SEND_OPT_MESSAGE, 1, err,
	    errlen) == -1)
		return -1;
	return client_prepare(j, a, err, errlen);
}

static int
send_start(struct job *j, char *err, size_t errlen)
{
	struct send	*snd = j->priv;

	snd->t0 = timerq_now();
	return client_job_start(j, err, errlen);
}

static void
send_free(struct job *j)
{
	struct send	*snd = j->priv;

	if (snd == NULL)
		return;
	client_job_free(j);
	message_free(&snd->msg);
	free(snd);
}

const struct job_kind job_kind_send = {
	.name = "send",
	.help = "a client sending stamped messages to URL, timing the echoes",
	.args = { .opts = send_opts, .min_pos = 1, .max_pos = 1,
	    .pos = "URL" },
	.prepare = send_prepare,
	.start = send_start,
	.stop = client_job_stop,
	.worker_stop = client_job_worker_stop,
	.free = send_free,
	.target = client_job_target,
	.target_label = "url",
	.watch_counter = CTR_messages_sent,
	.watch_rank = 3,
	.settings = client_job_settings,
};
