/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <sys/ioctl.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>

#include "conn.h"
#include "conn_deflate.h"
#include "counters.h"
#include "job.h"
#include "log.h"
#include "loop.h"
#include "tls.h"
#include "ws_deflate.h"
#include "ws_frame.h"
#include "ws_handshake.h"
#include "ws_reader.h"

#define CONN_IO_MAX	(256 * 1024)	/* largest single read or write */
#define CONN_PEEK_VECS	16
#define CONN_OUTPUT_MAX	(1024 * 1024)	/* stop reading above this */

enum conn_state {
	CONN_CONNECTING,	/* client: TCP connect under way */
	CONN_HANDSHAKE,		/* waiting for the request or the 101 */
	CONN_OPEN,
	CONN_CLOSING		/* close sent or received, or dropping */
};

struct conn {
	LIST_ENTRY(conn)	 entry;
	struct job		*job;
	struct loop		*loop;
	struct counter_slot	*slot;
	struct bufferevent	*bev;
	struct event		*timer;
	struct event		*rev;		/* reads once open */
	const struct conn_ops	*ops;
	void			*priv;
	enum conn_state		 state;
	enum ws_role		 role;
	struct ws_reader	 reader;
	char			 key[WS_KEY_LEN + 1];
	int			 close_sent;
	int			 close_received;
	int			 counted;	/* in the connections gauge */
	int			 error;		/* CTR_errors_* once failed */
	const struct ws_client_opts *copts;	/* client side */
	int			 free_when_flushed;
	int			 read_paused;	/* output over CONN_OUTPUT_MAX */
	int			 tls;		/* reads stay on the bufferevent */
	uint64_t		 written;
	uint64_t		 control_queued;
	/* Where our close frame starts in what we send, and the control
	 * bytes queued before it. */
	uint64_t		 close_at, control_before_close;
	uint64_t		 started_us;	/* connect begun or socket taken */
	uint64_t		 unsent;	/* at the close timer's start */
	uint64_t		 read_ns;	/* of this read; 0: not taken */
	int			 deflate_allowed; /* server: may agree to it */
	struct conn_deflate	*z;		/* permessage-deflate agreed */
};

/* Every connection of this worker, so a stopping job can find its own. */
static __thread LIST_HEAD(, conn) conns_here;

static void	conn_read_cb(struct bufferevent *, void *);
static void	conn_write_cb(struct bufferevent *, void *);
static void	conn_event_cb(struct bufferevent *, short, void *);
static void	conn_timer_cb(evutil_socket_t, short, void *);
static void	conn_free(struct conn *);
static void	conn_pace_input(struct conn *);
static void	conn_raw_read_cb(evutil_socket_t, short, void *);
static void	conn_lost(struct conn *, int);
static void	conn_error(struct conn *, enum counter, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

/* Reads go through the bufferevent until the handshake is done, then
 * straight from the socket (conn_raw_read_cb). */
static void
conn_reading(struct conn *c, int on)
{
	if (c->rev == NULL) {
		if (on)
			bufferevent_enable(c->bev, EV_READ);
		else
			bufferevent_disable(c->bev, EV_READ);
	} else if (on)
		event_add(c->rev, NULL);
	else
		event_del(c->rev);
}

static void
conn_output_cb(struct evbuffer *buf, const struct evbuffer_cb_info *info,
    void *arg)
{
	struct conn	*c = arg;

	(void)buf;
	if (info->n_deleted == 0)
		return;
	c->written += info->n_deleted;
	counter_add(c->slot, CTR_bytes_sent, info->n_deleted);
}

static void
conn_input_cb(struct evbuffer *buf, const struct evbuffer_cb_info *info,
    void *arg)
{
	struct conn	*c = arg;

	(void)buf;
	if (info->n_added > 0)
		counter_add(c->slot, CTR_bytes_received, info->n_added);
}

static void
conn_timer_set(struct conn *c, int seconds)
{
	struct timeval	tv = { seconds, 0 };

	evtimer_add(c->timer, &tv);
}

/* Bytes of ours the peer has not taken yet: our output, and what the
 * kernel holds unacknowledged. */
static uint64_t
conn_unsent(struct conn *c)
{
	int	outq = 0;

	if (ioctl(bufferevent_getfd(c->bev), SIOCOUTQ, &outq) == -1)
		outq = 0;
	return evbuffer_get_length(bufferevent_get_output(c->bev)) +
	    (uint64_t)outq;
}

/*
 * Waits CONN_CLOSE_TIMEOUT for a close to finish.  A peer still taking
 * what was sent before the close (a push job's hundreds of thousands of
 * small messages queued to a slow reader) makes progress: it gets another
 * CONN_CLOSE_TIMEOUT, so a close is given up only on a peer that stalls.
 */
static void
conn_close_timer_set(struct conn *c)
{
	c->unsent = conn_unsent(c);
	conn_timer_set(c, CONN_CLOSE_TIMEOUT);
}

/* With TLS, a peer that drops TCP without a close_notify is lost, not
 * broken: many do. */
static struct bufferevent *
conn_bev_new(struct event_base *base, int fd, const struct tls *tls,
    enum ws_role role)
{
	struct bufferevent	*bev;
	SSL			*ssl;

	if (tls == NULL)
		return bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	if ((ssl = tls_ssl_new(tls)) == NULL)
		return NULL;
	bev = bufferevent_openssl_socket_new(base, fd, ssl,
	    role == WS_ROLE_CLIENT ? BUFFEREVENT_SSL_CONNECTING :
	    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL) {
		SSL_free(ssl);
		return NULL;
	}
	bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
	return bev;
}

static struct conn *
conn_new(struct job *j, struct loop *l, int fd, const struct tls *tls,
    enum ws_role role, const struct conn_ops *ops, void *priv)
{
	struct event_base	*base = loop_base(l);
	struct conn		*c;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		log_warn("%s: calloc", __func__);
		return NULL;
	}
	c->bev = conn_bev_new(base, fd, tls, role);
	c->tls = tls != NULL;
	c->timer = evtimer_new(base, conn_timer_cb, c);
	if (c->bev == NULL || c->timer == NULL) {
		log_warnx("%s: out of memory", __func__);
		if (c->bev != NULL)
			bufferevent_free(c->bev);
		if (c->timer != NULL)
			event_free(c->timer);
		free(c);
		return NULL;
	}
	c->job = j;
	c->loop = l;
	c->slot = job_slot(j, l);
	c->ops = ops;
	c->priv = priv;
	c->role = role;
	c->started_us = histogram_now_us();
	ws_reader_init(&c->reader, role, j->max_message);
	job_ref(j);
	LIST_INSERT_HEAD(&conns_here, c, entry);
	bufferevent_set_max_single_read(c->bev, CONN_IO_MAX);
	bufferevent_set_max_single_write(c->bev, CONN_IO_MAX);
	evbuffer_add_cb(bufferevent_get_input(c->bev), conn_input_cb, c);
	evbuffer_add_cb(bufferevent_get_output(c->bev), conn_output_cb, c);
	bufferevent_setcb(c->bev, conn_read_cb, conn_write_cb, conn_event_cb,
	    c);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	conn_timer_set(c, CONN_HANDSHAKE_TIMEOUT);
	return c;
}

static void
conn_nodelay(int fd)
{
	int	on = 1;

	/* Frames are whole when written; waiting to coalesce only adds
	 * latency to pongs and closes. */
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) == -1)
		log_debug("setsockopt TCP_NODELAY failed");
}

struct conn *
conn_accept(struct job *j, struct loop *l, int fd, const struct tls *tls,
    const struct conn_ops *ops, void *priv)
{
	struct conn	*c;

	conn_nodelay(fd);
	if ((c = conn_new(j, l, fd, tls, WS_ROLE_SERVER, ops, priv)) == NULL) {
		evutil_closesocket(fd);
		return NULL;
	}
	c->state = CONN_HANDSHAKE;
	return c;
}

/* Queues the upgrade request, to go once connected.  Returns NULL, or
 * what went wrong: none of these set errno. */
static const char *
conn_request(struct conn *c)
{
	char	req[WS_HANDSHAKE_MAX];
	size_t	len;

	if (ws_key_generate(c->key) == -1)
		return "no random bytes for a Sec-WebSocket-Key";
	if ((len = ws_request_build(req, sizeof(req), c->copts, c->key)) == 0)
		return "too long, or a value in it would break its lines";
	if (bufferevent_write(c->bev, req, len) == -1)
		return "out of memory";
	return NULL;
}

/* A socket bound to src with its port left to connect() (Linux's
 * IP_BIND_ADDRESS_NO_PORT), which picks one free towards the destination:
 * a bind() alone would take a port for all destinations, and so end at
 * 64k connections from an address in all.  Returns -1 with errno set. */
static int
conn_bound_socket(const struct sockaddr *src, socklen_t srclen)
{
	int	fd, saved;
#ifdef IP_BIND_ADDRESS_NO_PORT
	int	on = 1;
#endif

	if ((fd = socket(src->sa_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1)
		return -1;
#ifdef IP_BIND_ADDRESS_NO_PORT
	/* Without it (an old kernel) the bind takes a port: still works. */
	(void)setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &on,
	    sizeof(on));
#endif
	if (bind(fd, src, srclen) == -1) {
		saved = errno;
		evutil_closesocket(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

struct conn *
conn_connect(struct job *j, struct loop *l, const struct sockaddr *sa,
    socklen_t salen, const struct sockaddr *src, socklen_t srclen,
    const struct tls *tls, const struct ws_client_opts *copts,
    const struct conn_ops *ops, void *priv)
{
	struct conn	*c;
	const char	*why;
	int		 fd = -1, bind_errno = 0;

	if (src != NULL && (fd = conn_bound_socket(src, srclen)) == -1)
		bind_errno = errno;
	if ((c = conn_new(j, l, fd, tls, WS_ROLE_CLIENT, ops, priv)) == NULL) {
		if (fd != -1)
			evutil_closesocket(fd);
		return NULL;
	}
	c->state = CONN_CONNECTING;
	c->copts = copts;
	if (bind_errno != 0)
		conn_error(c, CTR_errors_refused, "cannot bind to the source "
		    "address: %s", strerror(bind_errno));
	else if ((why = conn_request(c)) != NULL)
		conn_error(c, CTR_errors_handshake, "cannot make the upgrade "
		    "request: %s", why);
	else if (bufferevent_socket_connect(c->bev, sa, (int)salen) == -1)
		conn_error(c, CTR_errors_refused, "cannot connect: %s",
		    strerror(errno));
	else
		return c;
	conn_free(c);
	return NULL;
}

/* Queues a frame the connection sends on its own: a pong or a close. */
static void
conn_send_control(struct conn *c, int opcode, const uint8_t *p, size_t n)
{
	uint8_t		 frame[WS_FRAME_HDR_MAX + WS_CONTROL_MAX];
	uint8_t		 mask[4], *maskp = NULL;
	size_t		 len;

	if (c->role == WS_ROLE_CLIENT) {
		if (RAND_bytes(mask, sizeof(mask)) != 1)
			fatalx("%s: RAND_bytes failed", __func__);
		maskp = mask;
	}
	len = ws_frame_encode(frame, sizeof(frame), 1, opcode, p, n, maskp);
	if (len == 0)
		fatalx("%s: control frame of %zu bytes", __func__, n);
	c->control_queued += len;
	bufferevent_write(c->bev, frame, len);
}

static void
conn_send_close(struct conn *c, int code)
{
	uint8_t	payload[2];

	c->close_sent = 1;
	c->close_at = c->written +
	    evbuffer_get_length(bufferevent_get_output(c->bev));
	c->control_before_close = c->control_queued;
	if (code == WS_CLOSE_NO_STATUS) {
		conn_send_control(c, WS_OP_CLOSE, NULL, 0);
		return;
	}
	payload[0] = (uint8_t)(code >> 8);
	payload[1] = (uint8_t)code;
	conn_send_control(c, WS_OP_CLOSE, payload, sizeof(payload));
}

/* Stops reading and frees the connection once its output is written. */
static void
conn_free_when_flushed(struct conn *c)
{
	c->state = CONN_CLOSING;
	c->free_when_flushed = 1;
	conn_reading(c, 0);
	bufferevent_setwatermark(c->bev, EV_WRITE, 0, 0);
	if (evbuffer_get_length(bufferevent_get_output(c->bev)) == 0) {
		conn_free(c);
		return;
	}
	conn_close_timer_set(c);
}

void
conn_close(struct conn *c, int code)
{
	if (c->state != CONN_OPEN) {
		if (c->state != CONN_CLOSING)
			conn_free(c);
		return;
	}
	c->state = CONN_CLOSING;
	conn_send_close(c, code);
	/* Wait for the peer's close; the timer ends the wait. */
	conn_close_timer_set(c);
}

void
conn_close_job(struct job *j, int code)
{
	struct conn	*c, *next;

	for (c = LIST_FIRST(&conns_here); c != NULL; c = next) {
		next = LIST_NEXT(c, entry);
		if (c->job == j)
			conn_close(c, code);
	}
}

/* Fails the connection (RFC 6455 section 7.1.7): a close frame with the
 * reason, then the TCP connection goes. */
static void
conn_fail(struct conn *c, int code)
{
	conn_error(c, CTR_errors_protocol, "the peer broke the protocol: "
	    "closed with %d", code);
	if (!c->close_sent)
		conn_send_close(c, code);
	conn_free_when_flushed(c);
}

static void
conn_opened(struct conn *c)
{
	c->state = CONN_OPEN;
	c->counted = 1;
	counter_add(c->slot, CTR_connections, 1);
	counter_add(c->slot, CTR_connections_opened, 1);
	histogram_observe(&c->slot->handshake,
	    histogram_now_us() - c->started_us);
	evtimer_del(c->timer);
	if (c->ops->open != NULL)
		c->ops->open(c);
}

static void
on_control(void *arg, int opcode, const uint8_t *p, size_t n)
{
	struct conn	*c = arg;
	int		 code;

	switch (opcode) {
	case WS_OP_PING:
		/* Also after our close: only a received close ends the duty
		 * to answer (RFC 6455 section 5.5.2), and the reader stops
		 * at one. */
		conn_send_control(c, WS_OP_PONG, p, n);
		break;
	case WS_OP_CLOSE:
		c->close_received = 1;
		code = n >= 2 ? (p[0] << 8 | p[1]) : WS_CLOSE_NO_STATUS;
		counter_close(c->slot, code);
		job_note_close(c->job, code, p + 2 * (n >= 2),
		    n >= 2 ? n - 2 : 0);
		if (!c->close_sent)
			conn_send_close(c, code);
		break;
	default:
		break;		/* unsolicited pongs are ignored */
	}
}

static void
on_data(void *arg, int opcode, const uint8_t *p, size_t n)
{
	struct conn	*c = arg;

	if (!c->close_sent)
		c->ops->data(c, opcode, p, n);
}

static void
on_message(void *arg, int opcode, uint64_t len)
{
	struct conn	*c = arg;

	if (!c->close_sent)
		c->ops->message(c, opcode, len);
}

static void
on_whole(void *arg, int opcode, const uint8_t *p, uint64_t n)
{
	struct conn	*c = arg;

	if (!c->close_sent)
		c->ops->whole(c, opcode, p, n);
}

/* Jobs that only count messages take no call per message. */
static const struct ws_reader_ops conn_reader_ops = {
	.control = on_control,
};

static const struct ws_reader_ops conn_reader_ops_messages = {
	.data = on_data,
	.message = on_message,
	.control = on_control,
};

/* Jobs that read each message's start take one call for most. */
static const struct ws_reader_ops conn_reader_ops_whole = {
	.data = on_data,
	.message = on_message,
	.whole = on_whole,
	.control = on_control,
};

/* Inflated bytes of a compressed message, handed on. */
static void
on_inflated(void *arg, int opcode, const uint8_t *p, size_t n)
{
	struct conn	*c = arg;

	if (c->ops->data != NULL && !c->close_sent)
		c->ops->data(c, opcode, p, n);
}

/* With deflate agreed, compressed messages are inflated on their way. */
static void
on_data_deflate(void *arg, int opcode, const uint8_t *p, size_t n)
{
	struct conn	*c = arg;
	int		 code;

	if (c->reader.msg_compressed) {
		if ((code = conn_deflate_inflate(c->z, opcode, p, n)) != 0)
			c->reader.fail = code;
	} else if (c->ops->data != NULL)
		on_data(arg, opcode, p, n);
}

static void
on_message_deflate(void *arg, int opcode, uint64_t len)
{
	struct conn	*c = arg;
	int		 code;

	/* Counted once inflated whole: a message refused on the way (too
	 * big, bad data) adds no payload, as an uncompressed one would not. */
	if (c->reader.msg_compressed) {
		if ((code = conn_deflate_inflate_end(c->z, opcode, &len)) != 0) {
			c->reader.fail = code;
			return;
		}
		counter_add(c->slot, CTR_payload_bytes_received, len);
	}
	if (c->ops->message != NULL)
		on_message(arg, opcode, len);
}

static const struct ws_reader_ops conn_reader_ops_deflate = {
	.data = on_data_deflate,
	.message = on_message_deflate,
	.control = on_control,
};

static const struct ws_reader_ops *
conn_reader_ops_of(const struct conn *c)
{
	if (c->z != NULL)
		return &conn_reader_ops_deflate;
	if (c->ops->whole != NULL)
		return &conn_reader_ops_whole;
	return c->ops->message != NULL ? &conn_reader_ops_messages :
	    &conn_reader_ops;
}

/*
 * Messages and their payload bytes are counted once a feed, from the
 * reader's own counts (compressed ones once inflated, on their end).
 */
static int
conn_feed(struct conn *c, uint8_t *p, size_t n)
{
	uint64_t	before = c->reader.messages;
	uint64_t	payload = c->reader.payload;
	int		code;

	code = ws_reader_feed(&c->reader, p, n, conn_reader_ops_of(c), c);
	counter_add(c->slot, CTR_messages_received,
	    c->reader.messages - before);
	counter_add(c->slot, CTR_payload_bytes_received,
	    c->reader.payload - payload);
	return code;
}

/* Agrees to permessage-deflate as p says, for the rest of the connection. */
static int
conn_deflate_start(struct conn *c, const struct ws_deflate_params *p)
{
	if ((c->z = conn_deflate_new(p, c->job->max_message, on_inflated,
	    c)) == NULL)
		return -1;
	c->reader.deflate = 1;
	return 0;
}

/* Feeds the input to the frame reader chunk by chunk, without copying. */
static int
conn_read_frames(struct conn *c, struct evbuffer *in)
{
	struct evbuffer_iovec	 v[CONN_PEEK_VECS];
	size_t			 total = 0;
	int			 i, n, code = 0;

	while (code == 0 && evbuffer_get_length(in) > 0) {
		n = evbuffer_peek(in, -1, NULL, v, CONN_PEEK_VECS);
		if (n > CONN_PEEK_VECS)
			n = CONN_PEEK_VECS;
		total = 0;
		for (i = 0; i < n && code == 0; i++) {
			code = conn_feed(c, v[i].iov_base, v[i].iov_len);
			total += v[i].iov_len;
		}
		evbuffer_drain(in, total);
	}
	return code;
}

static void
conn_after_frames(struct conn *c, int code)
{
	if (code != 0) {
		log_debug("job %s: protocol error, closing with %d",
		    c->job->name, code);
		conn_fail(c, code);
	} else if (c->close_received) {
		if (c->state == CONN_OPEN)
			c->state = CONN_CLOSING;
		/* The server closes TCP first (RFC 6455 section 7.1.1);
		 * the client waits for it, within the close timeout. */
		if (c->role == WS_ROLE_SERVER)
			conn_free_when_flushed(c);
		else
			conn_close_timer_set(c);
	} else
		conn_pace_input(c);
}

static void
conn_reject(struct conn *c, int status, const char *reason)
{
	char	resp[512];
	size_t	len;

	log_debug("job %s: handshake refused: %d %s", c->job->name, status,
	    reason);
	len = ws_response_error_build(resp, sizeof(resp), status, reason);
	if (len > 0)
		bufferevent_write(c->bev, resp, len);
	conn_error(c, CTR_errors_handshake, "refused an upgrade request: "
	    "%d %s", status, reason);
	conn_free_when_flushed(c);
}

/* Server side: answers the upgrade request once its head is in. */
static int
conn_handshake_server(struct conn *c, struct evbuffer *in)
{
	struct ws_request	 req;
	char			 resp[256 + WS_DEFLATE_PARAMS_MAX];
	const char		*reason = NULL;
	size_t			 len = evbuffer_get_length(in);
	int			 rc;

	if (len > WS_HANDSHAKE_MAX)
		len = WS_HANDSHAKE_MAX;
	rc = ws_request_parse((char *)evbuffer_pullup(in, (ssize_t)len), len,
	    &req, &reason);
	if (rc == WS_HS_MORE)
		return -1;
	if (rc != 0) {
		conn_reject(c, rc, reason);
		return -1;
	}
	if (!c->deflate_allowed)
		req.deflate.on = 0;
	if (req.deflate.on && conn_deflate_start(c, &req.deflate) == -1) {
		conn_reject(c, 500, "out of memory");
		return -1;
	}
	len = ws_response_accept_build(resp, sizeof(resp), req.key,
	    req.deflate.on ? &req.deflate : NULL);
	if (len == 0) {
		conn_reject(c, 500, "cannot build the response");
		return -1;
	}
	evbuffer_drain(in, req.head_len);
	bufferevent_write(c->bev, resp, len);
	conn_opened(c);
	return 0;
}

/* Client side: checks the server's 101. */
static int
conn_handshake_client(struct conn *c, struct evbuffer *in)
{
	struct ws_deflate_params deflate;
	const char		*reason = NULL;
	size_t			 len = evbuffer_get_length(in), head_len = 0;
	int			 rc, protocol;

	if (len > WS_HANDSHAKE_MAX)
		len = WS_HANDSHAKE_MAX;
	rc = ws_response_parse((char *)evbuffer_pullup(in, (ssize_t)len), len,
	    c->key, c->copts, &head_len, &protocol, &deflate, &reason);
	if (rc == WS_HS_MORE)
		return -1;
	if (rc != 0) {
		conn_error(c, rc == WS_HS_BAD_STATUS ? CTR_errors_bad_status :
		    rc == WS_HS_BAD_ACCEPT ? CTR_errors_bad_accept :
		    CTR_errors_handshake, "handshake failed: %s", reason);
		conn_free(c);
		return -1;
	}
	if (deflate.on && conn_deflate_start(c, &deflate) == -1) {
		conn_error(c, CTR_errors_handshake, "out of memory");
		conn_free(c);
		return -1;
	}
	evbuffer_drain(in, head_len);
	conn_opened(c);
	return 0;
}

/*
 * Past the handshake, reading the socket directly into the loop's large
 * buffer beats evbuffer_read(), which takes at most 4096 bytes a call in
 * libevent 2.1; the frame reader keeps the partial-frame state between
 * reads, so nothing is copied.  A TLS connection keeps reading through its
 * bufferevent, which decrypts.
 */
static int
conn_raw_start(struct conn *c)
{
	c->rev = event_new(loop_base(c->loop), bufferevent_getfd(c->bev),
	    EV_READ | EV_PERSIST, conn_raw_read_cb, c);
	if (c->rev == NULL) {
		log_warnx("%s: out of memory", __func__);
		conn_error(c, CTR_errors_lost, "out of memory");
		conn_free(c);
		return -1;
	}
	bufferevent_disable(c->bev, EV_READ);
	if (!c->read_paused)
		event_add(c->rev, NULL);
	return 0;
}

static void
conn_raw_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn	*c = arg;
	ssize_t		 n;
	int		 code;

	(void)what;
	n = recv(fd, loop_scratch(c->loop), LOOP_SCRATCH, 0);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR))
		return;
	if (n <= 0) {
		conn_lost(c, n == -1 ? errno : 0);
		return;
	}
	counter_add(c->slot, CTR_bytes_received, (uint64_t)n);
	c->read_ns = 0;
	code = conn_feed(c, loop_scratch(c->loop), (size_t)n);
	conn_after_frames(c, code);
}

static void
conn_read_cb(struct bufferevent *bev, void *arg)
{
	struct conn	*c = arg;
	struct evbuffer	*in = bufferevent_get_input(bev);
	int		 code;

	if (c->state == CONN_HANDSHAKE) {
		if ((c->role == WS_ROLE_SERVER ?
		    conn_handshake_server(c, in) :
		    conn_handshake_client(c, in)) == -1)
			return;
	}
	c->read_ns = 0;
	code = conn_read_frames(c, in);
	if (code == 0 && c->state == CONN_OPEN && !c->tls &&
	    conn_raw_start(c) == -1)
		return;
	conn_after_frames(c, code);
}

/*
 * A peer that sends pings but does not read would grow our output with
 * pongs: stop reading it until it has read what is there.
 */
static void
conn_pace_input(struct conn *c)
{
	size_t	out = evbuffer_get_length(bufferevent_get_output(c->bev));

	if (!c->read_paused && out > CONN_OUTPUT_MAX) {
		c->read_paused = 1;
		conn_reading(c, 0);
	} else if (c->read_paused && out <= CONN_OUTPUT_MAX / 2) {
		c->read_paused = 0;
		conn_reading(c, 1);
	}
}

static void
conn_write_cb(struct bufferevent *bev, void *arg)
{
	struct conn	*c = arg;

	if (c->free_when_flushed) {
		if (evbuffer_get_length(bufferevent_get_output(bev)) == 0)
			conn_free(c);
		return;
	}
	if (c->read_paused)
		conn_pace_input(c);
	if (c->state == CONN_OPEN && c->ops->writable != NULL)
		c->ops->writable(c);
}

/*
 * A TLS failure: OpenSSL recorded an error, or the connection ended
 * within the TLS handshake.  Before the handshake began it is TCP's.
 */
static int
conn_tls_failed(struct conn *c)
{
	SSL		*ssl = bufferevent_openssl_get_ssl(c->bev);
	unsigned long	 e, err = 0;
	char		 why[JOB_ERROR_MAX];

	/* The oldest OpenSSL error is the cause; libevent 2.1.12 also keeps
	 * SSL_get_error()'s code there, which names no library. */
	while ((e = bufferevent_get_openssl_error(c->bev)) != 0)
		if (ERR_GET_LIB(e) != 0)
			err = e;
	if (SSL_in_before(ssl) || (err == 0 && SSL_is_init_finished(ssl)))
		return 0;
	conn_error(c, tls_failure(ssl, err, why, sizeof(why)), "%s", why);
	conn_free(c);
	return 1;
}

static void
conn_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct conn	*c = arg;

	(void)bev;
	if (what & BEV_EVENT_CONNECTED) {
		/* With TLS: once its handshake is done. */
		conn_nodelay(bufferevent_getfd(c->bev));
		c->state = CONN_HANDSHAKE;
		return;
	}
	if (c->tls && conn_tls_failed(c))
		return;
	conn_lost(c, (what & BEV_EVENT_ERROR) ? EVUTIL_SOCKET_ERROR() : 0);
}

/* EOF, or err: clean only after a completed close handshake. */
static void
conn_lost(struct conn *c, int err)
{
	if (c->state == CONN_CONNECTING)
		conn_error(c, CTR_errors_refused, "cannot connect: %s",
		    err != 0 ? strerror(err) : "closed");
	else if (!(c->close_sent && c->close_received))
		conn_error(c, CTR_errors_lost, "connection lost without a "
		    "close handshake%s%s", err != 0 ? ": " : "",
		    err != 0 ? strerror(err) : "");
	conn_free(c);
}

static void
conn_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn	*c = arg;

	(void)fd;
	(void)what;
	if (c->state == CONN_CLOSING && c->unsent > 0 &&
	    conn_unsent(c) < c->unsent) {
		conn_close_timer_set(c);
		return;
	}
	if (c->state != CONN_CLOSING)
		conn_error(c, CTR_errors_timeout, "%s timed out after %d s",
		    c->state == CONN_CONNECTING ? "connect" : "handshake",
		    CONN_HANDSHAKE_TIMEOUT);
	conn_free(c);
}

/* The first reason a connection fails for is the one counted. */
static void
conn_error(struct conn *c, enum counter reason, const char *fmt, ...)
{
	va_list	ap;
	char	msg[JOB_ERROR_MAX];

	if (c->error != 0)
		return;
	c->error = reason;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_debug("job %s: %s", c->job->name, msg);
	job_note_error(c->job, "%s", msg);
}

static void
conn_free(struct conn *c)
{
	if (c->counted)
		counter_add(c->slot, CTR_connections, (uint64_t)-1);
	if (c->error != 0) {
		counter_add(c->slot, CTR_connection_errors, 1);
		counter_add(c->slot, c->error, 1);
	}
	if (c->ops->closed != NULL)
		c->ops->closed(c, c->error != 0);
	LIST_REMOVE(c, entry);
	if (c->z != NULL)
		conn_deflate_free(c->z);
	if (c->rev != NULL)
		event_free(c->rev);
	bufferevent_free(c->bev);
	event_free(c->timer);
	job_unref(c->job);
	free(c);
}

void *
conn_priv(struct conn *c)
{
	return c->priv;
}

struct counter_slot *
conn_slot(struct conn *c)
{
	return c->slot;
}

int
conn_is_open(const struct conn *c)
{
	return c->state == CONN_OPEN && !c->close_sent;
}

struct evbuffer *
conn_output(struct conn *c)
{
	return bufferevent_get_output(c->bev);
}

void
conn_set_lowmark(struct conn *c, size_t low)
{
	bufferevent_setwatermark(c->bev, EV_WRITE, low, 0);
}

/* Deferred, the call queues behind the callbacks already due, and
 * libevent holds those past the first 32 of a turn for the next: new
 * accepts and handshakes are polled for between two rounds of them. */
void
conn_writable_later(struct conn *c)
{
	bufferevent_trigger(c->bev, EV_WRITE, BEV_TRIG_IGNORE_WATERMARKS |
	    BEV_TRIG_DEFER_CALLBACKS);
}

uint64_t
conn_read_ns(struct conn *c)
{
	struct timespec	ts;

	if (c->read_ns == 0) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		c->read_ns = (uint64_t)ts.tv_sec * 1000000000 +
		    (uint64_t)ts.tv_nsec;
	}
	return c->read_ns;
}

uint64_t
conn_written(const struct conn *c)
{
	return c->written;
}

uint64_t
conn_data_written(const struct conn *c)
{
	uint64_t	w = c->written, control = c->control_queued;

	if (c->close_sent) {
		if (w > c->close_at)
			w = c->close_at;
		control = c->control_before_close;
	}
	return w > control ? w - control : 0;
}

void
conn_allow_deflate(struct conn *c)
{
	c->deflate_allowed = 1;
}

const struct ws_deflate_params *
conn_deflate_agreed(const struct conn *c)
{
	return c->z != NULL ? conn_deflate_params(c->z) : NULL;
}

struct ws_deflate *
conn_deflater(struct conn *c)
{
	struct ws_deflate	*d;

	if (c->z == NULL)
		return NULL;
	if ((d = conn_deflate_compressor(c->z, c->role == WS_ROLE_SERVER)) ==
	    NULL)
		log_warnx("job %s: cannot set up a compressor", c->job->name);
	return d;
}
