/* SPDX-License-Identifier: ISC */
/*
 * floor: the loopback round-trip floor that wsbench's send and echo jobs
 * are measured against.
 *
 *	floor echo --port PORT [--bind ADDR]
 *	floor rtt --port PORT [--host ADDR] [--connections N] [--rate R]
 *	    [--size N] [--warmup SECONDS] [--duration SECONDS] [--handshake]
 *
 * "floor echo" is a server that writes back whatever each client sends
 * it.  "floor rtt" is a client whose connections each send messages of
 * --size bytes (default 64) at --rate R a second on a fixed timetable
 * (pace.h), or as fast as the socket takes them with --rate 0, each
 * carrying the stamp of stamp.h, and time the echoes from the messages'
 * due times (the correction for coordinated omission) into an HDR
 * histogram (hdr.h).  It prints "<t> <messages> <bytes>" every half
 * second, t being CLOCK_MONOTONIC seconds and the totals those of echoed
 * messages, as "limit read" does; its first line comes once every
 * connection is up.  The histogram takes what comes after --warmup
 * seconds (default 0) from there, and after --duration more (or on
 * SIGTERM) it prints one last line
 *
 *	latency count N p50_us X p99_us X max_us X
 *
 * and exits.  An echo that is not the stamp sent makes it exit 1.
 *
 * No WebSocket framing: a message is --size bytes of the TCP stream.  With
 * --handshake the client speaks WebSocket instead, so that it can time a
 * wsbenchd echo job: the opening handshake (the response's status checked,
 * not its accept key), then each message a binary frame masked with the
 * key 0 (so the payload goes as it is) and each echo an unmasked frame of
 * the same payload, its header skipped.  Both
 * sides do the least they can: one thread, level-triggered epoll,
 * TCP_NODELAY, one buffer per connection, a timerfd per timed connection
 * so that a message goes out at its due time to the microsecond.  What
 * they reach is a latency and a rate no WebSocket implementation over the
 * same sockets can beat.
 */

#define _GNU_SOURCE

#include "config.h"

#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hdr.h"
#include "net.h"
#include "pace.h"
#include "stamp.h"

#define IOSIZE		(256 * 1024)	/* the client's receive buffer */
#define ECHOBUF		(64 * 1024)	/* an echo connection's buffer */
#define OUTMAX		(64 * 1024)	/* a client connection's output */
#define MAXCONNS	10000
#define MAXSIZE		(1024 * 1024)
#define MAXRATE		100000000
#define MAXEVENTS	256
#define CALLS_PER_EVENT	4		/* then let other connections run */
#define TICK		(NET_NSEC / 2)
#define TIMER_BIT	1		/* in epoll data: the timerfd's event */

enum mode { ECHO = 1, RTT = 2 };

struct options {
	enum mode	 mode;
	const char	*host;
	const char	*port;
	long long	 connections;
	long long	 rate;		/* per connection; 0: as fast as taken */
	long long	 size;
	long long	 warmup_ns;
	long long	 duration_ns;	/* 0: until a signal */
	int		 handshake;
};

/* An echo server's connection: what it read and has not written back. */
struct econn {
	int		 fd;		/* -1: the listening socket */
	size_t		 off;
	size_t		 len;
	uint8_t		 buf[ECHOBUF];
};

/* A timing client's connection. */
struct tconn {
	int		 fd;
	int		 timer;		/* a timerfd, -1 without a rate */
	int		 id;
	struct pace	 pace;
	uint8_t		*out;		/* messages at multiples of size */
	size_t		 off;		/* sent of out */
	size_t		 len;		/* queued in out */
	size_t		 pos;		/* received of the current message */
	uint8_t		 stamp[STAMP_LEN];
	int		 writing;	/* EPOLLOUT is on */
};

/* The client's state over all connections. */
struct client {
	const struct options *o;
	int		 ep;
	size_t		 outcap;	/* bytes of out: whole messages */
	size_t		 txhead;	/* frame header before each message */
	size_t		 rxhead;	/* and before each echo */
	size_t		 txlen;		/* txhead + size */
	size_t		 rxlen;		/* rxhead + size */
	long long	 offset;	/* CLOCK_REALTIME - CLOCK_MONOTONIC */
	int		 recording;
	uint64_t	 messages;
	uint64_t	 bytes;
	struct hdr	*hdr;
	struct tconn	*conns;
};

static uint8_t		 rbuf[IOSIZE];

static void
usage(void)
{
	fprintf(stderr,
	    "usage: floor echo --port PORT [--bind ADDR]\n"
	    "       floor rtt --port PORT [--host ADDR] [--connections N] "
	    "[--rate R]\n"
	    "                 [--size N] [--warmup SECONDS] "
	    "[--duration SECONDS]\n");
	exit(2);
}

static const struct net_opt floor_opts[] = {
	{ "port",	 required_argument, ECHO | RTT },
	{ "bind",	 required_argument, ECHO },
	{ "host",	 required_argument, RTT },
	{ "connections", required_argument, RTT },
	{ "rate",	 required_argument, RTT },
	{ "size",	 required_argument, RTT },
	{ "warmup",	 required_argument, RTT },
	{ "duration",	 required_argument, RTT },
	{ "handshake",	 no_argument,	    RTT },
	{ NULL,		 0,		    0 }
};

/* The i-th of floor_opts, with its value v. */
static void
set_option(int i, const char *v, void *arg)
{
	struct options	*o = arg;

	switch (i) {
	case 0:
		net_number("--port", v, 1, 65535);
		o->port = v;
		break;
	case 1:
	case 2:
		o->host = v;
		break;
	case 3:
		o->connections = net_number("--connections", v, 1, MAXCONNS);
		break;
	case 4:
		o->rate = net_number("--rate", v, 0, MAXRATE);
		break;
	case 5:
		o->size = net_number("--size", v, STAMP_LEN, MAXSIZE);
		break;
	case 6:
		o->warmup_ns = net_seconds("--warmup", v);
		break;
	case 7:
		o->duration_ns = net_seconds("--duration", v);
		break;
	case 8:
		o->handshake = 1;
		break;
	}
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	static const char *const modes[] = { "echo", "rtt" };

	o->host = "127.0.0.1";
	o->connections = 1;
	o->size = 64;
	o->mode = net_options(argc, argv, modes, 2, floor_opts, set_option,
	    o, usage);
	if (o->port == NULL)
		usage();
}

/* Small messages go out as they are written, as wsbench's do. */
static void
set_nodelay(int fd)
{
	int	 one = 1;

	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == -1)
		err(1, "TCP_NODELAY");
}

/* -- the echo server ------------------------------------------------------ */

static void
accept_all(int ep, int lfd)
{
	struct econn	*c;
	int		 fd;

	while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK |
	    SOCK_CLOEXEC)) != -1) {
		if ((c = malloc(sizeof(*c))) == NULL)
			err(1, NULL);
		c->fd = fd;
		c->off = c->len = 0;
		set_nodelay(fd);
		net_epoll_set(ep, EPOLL_CTL_ADD, fd, EPOLLIN, c);
	}
	if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
		warn("accept");
}

/* Writes back what is pending; 1 when all of it went, -1 on an error. */
static int
echo_flush(struct econn *c)
{
	ssize_t	 n;

	n = send(c->fd, c->buf + c->off, c->len - c->off, MSG_NOSIGNAL);
	if (n == -1)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	c->off += n;
	if (c->off < c->len)
		return 0;
	c->off = c->len = 0;
	return 1;
}

/*
 * Reads and writes back, a few times while the buffer comes back full.
 * A write the socket does not take whole leaves the rest pending and the
 * connection waiting for EPOLLOUT alone: reading no more meanwhile is
 * what pushes back on a client that sends faster than it reads.
 */
static int
echo_read(int ep, struct econn *c)
{
	ssize_t	 n;
	int	 i, r;

	for (i = 0; i < CALLS_PER_EVENT; i++) {
		n = recv(c->fd, c->buf, sizeof(c->buf), 0);
		if (n == -1)
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		if (n == 0)
			return -1;
		c->len = n;
		if ((r = echo_flush(c)) == -1)
			return -1;
		if (r == 0) {
			net_epoll_set(ep, EPOLL_CTL_MOD, c->fd, EPOLLOUT, c);
			return 0;
		}
		if ((size_t)n < sizeof(c->buf))
			break;
	}
	return 0;
}

static int
echo_write(int ep, struct econn *c)
{
	int	 r;

	if ((r = echo_flush(c)) == 1)
		net_epoll_set(ep, EPOLL_CTL_MOD, c->fd, EPOLLIN, c);
	return r;
}

static void
serve(const struct options *o)
{
	struct epoll_event	 ev[MAXEVENTS];
	struct econn		 l, *c;
	int			 ep, n, i, bad;

	l.fd = net_listen(o->host, o->port);
	if ((ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
		err(1, "epoll_create1");
	net_epoll_set(ep, EPOLL_CTL_ADD, l.fd, EPOLLIN, &l);
	while (!net_quit) {
		if ((n = epoll_wait(ep, ev, MAXEVENTS, -1)) == -1) {
			if (errno == EINTR)
				continue;
			err(1, "epoll_wait");
		}
		for (i = 0; i < n; i++) {
			c = ev[i].data.ptr;
			if (c == &l) {
				accept_all(ep, l.fd);
				continue;
			}
			if (c->len > 0)
				bad = echo_write(ep, c) == -1;
			else
				bad = echo_read(ep, c) == -1;
			/* Closing removes the descriptor from the epoll set. */
			if (bad) {
				close(c->fd);
				free(c);
			}
		}
	}
}

/* -- the timing client ---------------------------------------------------- */

static long long
realtime_offset(void)
{
	struct timespec	 ts;
	long long	 mono = net_now_ns();

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * NET_NSEC + ts.tv_nsec - mono;
}

static void
tconn_watch(struct client *cl, struct tconn *c, int writing)
{
	struct epoll_event ev;

	if (c->writing == writing)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | (writing ? EPOLLOUT : 0);
	ev.data.u64 = (uint64_t)c->id << 1;
	if (epoll_ctl(cl->ep, EPOLL_CTL_MOD, c->fd, &ev) == -1)
		err(1, "epoll_ctl");
	c->writing = writing;
}

/*
 * The header lengths of a message of size bytes: a client's frame (with
 * its 4-byte mask key) and a server's, or none without --handshake.
 */
static void
frame_sizes(struct client *cl)
{
	size_t	 size = cl->o->size, ext = size < 126 ? 0 : size < 65536 ?
		    2 : 8;

	cl->txhead = cl->o->handshake ? 2 + ext + 4 : 0;
	cl->rxhead = cl->o->handshake ? 2 + ext : 0;
	cl->txlen = cl->txhead + size;
	cl->rxlen = cl->rxhead + size;
}

/* One message as it goes out but for its stamp: header, then padding. */
static void
lay_out(const struct client *cl, uint8_t *m)
{
	size_t	 size = cl->o->size, i;

	if (cl->o->handshake) {
		/* FIN and binary; masked, with the key 0 at the end. */
		memset(m, 0, cl->txhead);
		m[0] = 0x82;
		if (size < 126)
			m[1] = 0x80 | size;
		else if (size < 65536) {
			m[1] = 0x80 | 126;
			m[2] = size >> 8;
			m[3] = size & 0xff;
		} else {
			m[1] = 0x80 | 127;
			for (i = 0; i < 8; i++)
				m[2 + i] = (uint64_t)size >> (56 - 8 * i);
		}
	}
	for (i = STAMP_LEN; i < size; i++)
		m[cl->txhead + i] = 'a' + i % 26;
}

/* The opening handshake, on the blocking socket; exits on a refusal. */
static void
handshake(const struct options *o, struct tconn *c)
{
	char		 head[4096];
	size_t		 len = 0;
	ssize_t		 n;
	int		 r;

	r = snprintf(head, sizeof(head), "GET / HTTP/1.1\r\nHost: %s:%s\r\n"
	    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
	    "Sec-WebSocket-Version: 13\r\n\r\n", o->host, o->port);
	if (send(c->fd, head, r, MSG_NOSIGNAL) != r)
		err(1, "connection %d: sending the upgrade request", c->id);
	/* The server sends nothing after its head before we send. */
	while (memmem(head, len, "\r\n\r\n", 4) == NULL) {
		if (len == sizeof(head) ||
		    (n = recv(c->fd, head + len, sizeof(head) - len, 0)) <= 0)
			errx(1, "connection %d: no upgrade response", c->id);
		len += n;
	}
	if (len < 12 || memcmp(head, "HTTP/1.1 101", 12) != 0)
		errx(1, "connection %d: no upgrade: %.*s", c->id,
		    (int)((char *)memchr(head, '\r', len) - head), head);
}

static void
tconn_open(struct client *cl, const struct addrinfo *ai, struct tconn *c)
{
	struct epoll_event ev;
	size_t		 i;

	c->fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd == -1)
		err(1, "socket");
	/* A blocking connect: loopback answers at once. */
	if (connect(c->fd, ai->ai_addr, ai->ai_addrlen) == -1)
		err(1, "connection %d: connect", c->id);
	set_nodelay(c->fd);
	if (cl->o->handshake)
		handshake(cl->o, c);
	if (fcntl(c->fd, F_SETFL, O_NONBLOCK) == -1)
		err(1, "fcntl");
	if ((c->out = malloc(cl->outcap)) == NULL)
		err(1, NULL);
	/* Each message's header and the padding after its stamp, laid out
	 * once. */
	for (i = 0; i < cl->outcap; i += cl->txlen)
		lay_out(cl, c->out + i);
	c->timer = -1;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.u64 = (uint64_t)c->id << 1;
	if (epoll_ctl(cl->ep, EPOLL_CTL_ADD, c->fd, &ev) == -1)
		err(1, "epoll_ctl");
}

/* Starts the timetable, every connection's at the same t0. */
static void
tconn_start(struct client *cl, struct tconn *c, long long t0)
{
	struct itimerspec it;
	struct epoll_event ev;

	pace_start(&c->pace, (uint64_t)t0, (uint64_t)cl->o->rate);
	if (cl->o->rate == 0) {
		tconn_watch(cl, c, 1);
		return;
	}
	c->timer = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK |
	    TFD_CLOEXEC);
	if (c->timer == -1)
		err(1, "timerfd_create");
	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = t0 / NET_NSEC;
	it.it_value.tv_nsec = t0 % NET_NSEC;
	it.it_interval.tv_sec = 0;
	it.it_interval.tv_nsec = (long)pace_interval(&c->pace);
	if (it.it_interval.tv_nsec >= NET_NSEC) {
		it.it_interval.tv_sec = it.it_interval.tv_nsec / NET_NSEC;
		it.it_interval.tv_nsec %= NET_NSEC;
	}
	if (timerfd_settime(c->timer, TFD_TIMER_ABSTIME, &it, NULL) == -1)
		err(1, "timerfd_settime");
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.u64 = (uint64_t)c->id << 1 | TIMER_BIT;
	if (epoll_ctl(cl->ep, EPOLL_CTL_ADD, c->timer, &ev) == -1)
		err(1, "epoll_ctl");
}

/*
 * Queues the messages owed by now (with --rate 0, as many as fit), each
 * stamped with its due time on the realtime clock.  Messages sit at
 * multiples of size in out, so the padding is in place already.  What
 * does not fit stays owed and goes out late, its lateness counted.
 */
static void
tconn_fill(struct client *cl, struct tconn *c, long long now)
{
	size_t		 size = cl->txlen;
	uint64_t	 owed, due;

	if (c->off == c->len)
		c->off = c->len = 0;
	owed = cl->o->rate == 0 ? UINT64_MAX : pace_owed(&c->pace, now);
	for (; owed > 0 && c->len + size <= cl->outcap; owed--) {
		due = cl->o->rate == 0 ? (uint64_t)now :
		    pace_due(&c->pace, c->pace.next);
		stamp_write(c->out + c->len + cl->txhead, c->pace.next,
		    due + cl->offset);
		c->pace.next++;
		c->len += size;
	}
}

static void
tconn_flush(struct client *cl, struct tconn *c)
{
	ssize_t	 n;

	if (c->off < c->len) {
		n = send(c->fd, c->out + c->off, c->len - c->off,
		    MSG_NOSIGNAL);
		if (n == -1 && errno != EAGAIN && errno != EINTR)
			err(1, "connection %d: send", c->id);
		if (n > 0)
			c->off += n;
	}
	if (cl->o->rate != 0)
		tconn_watch(cl, c, c->off < c->len);
}

static void
tconn_record(struct client *cl, struct tconn *c, long long now)
{
	uint64_t	 seq, ns;

	if (stamp_read(c->stamp, STAMP_LEN, &seq, &ns) == -1)
		errx(1, "connection %d: an echo without the stamp sent",
		    c->id);
	cl->messages++;
	if (cl->recording)
		hdr_record(cl->hdr, (uint64_t)(now - ((long long)ns -
		    cl->offset)));
}

/* How much of [p, end) falls short of need bytes. */
static size_t
span(size_t need, const uint8_t *p, const uint8_t *end)
{
	return need < (size_t)(end - p) ? need : (size_t)(end - p);
}

/*
 * Takes the stamps out of [p, end) and times each echo completed: an
 * echo is rxhead bytes of frame header (none without --handshake), the
 * stamp, then padding up to rxlen.
 */
static void
tconn_feed(struct client *cl, struct tconn *c, const uint8_t *p,
    const uint8_t *end, long long now)
{
	size_t		 stamp_end = cl->rxhead + STAMP_LEN, take;

	while (p < end) {
		if (c->pos < cl->rxhead)
			take = span(cl->rxhead - c->pos, p, end);
		else if (c->pos < stamp_end) {
			take = span(stamp_end - c->pos, p, end);
			memcpy(c->stamp + c->pos - cl->rxhead, p, take);
		} else
			take = span(cl->rxlen - c->pos, p, end);
		c->pos += take;
		p += take;
		if (c->pos == cl->rxlen) {
			tconn_record(cl, c, now);
			c->pos = 0;
		}
	}
}

static void
tconn_read(struct client *cl, struct tconn *c)
{
	ssize_t		 n;
	int		 i;

	for (i = 0; i < CALLS_PER_EVENT; i++) {
		n = recv(c->fd, rbuf, sizeof(rbuf), 0);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n == -1)
			err(1, "connection %d", c->id);
		if (n == 0)
			errx(1, "connection %d: closed by the server", c->id);
		cl->bytes += n;
		tconn_feed(cl, c, rbuf, rbuf + n, net_now_ns());
		if ((size_t)n < sizeof(rbuf))
			return;
	}
}

static void
tconn_due(struct client *cl, struct tconn *c)
{
	uint64_t	 ticks;

	if (read(c->timer, &ticks, sizeof(ticks)) == -1 && errno != EAGAIN)
		err(1, "timerfd");
	tconn_fill(cl, c, net_now_ns());
	tconn_flush(cl, c);
}

static void
tconn_event(struct client *cl, uint64_t data, uint32_t events)
{
	struct tconn	*c = &cl->conns[data >> 1];

	if (data & TIMER_BIT) {
		tconn_due(cl, c);
		return;
	}
	if (events & ~EPOLLOUT)
		tconn_read(cl, c);
	if (events & EPOLLOUT) {
		tconn_fill(cl, c, net_now_ns());
		tconn_flush(cl, c);
	}
}

static void
report(const struct client *cl, long long t)
{
	printf("%lld.%06lld %" PRIu64 " %" PRIu64 "\n", t / NET_NSEC,
	    t % NET_NSEC / 1000, cl->messages, cl->bytes);
	fflush(stdout);
}

static void
report_latency(const struct client *cl)
{
	struct hdr_sum	*sum;

	if ((sum = malloc(sizeof(*sum))) == NULL)
		err(1, NULL);
	hdr_sum_init(sum);
	hdr_sum_add(sum, cl->hdr);
	printf("latency count %" PRIu64 " p50_us %.3f p99_us %.3f "
	    "max_us %.3f\n", sum->total, hdr_quantile(sum, 0.5) / 1e3,
	    hdr_quantile(sum, 0.99) / 1e3,
	    (sum->total ? sum->max_ns : 0) / 1e3);
	fflush(stdout);
	free(sum);
}

/* When the loop must look at the clock next: a report, or a phase. */
static long long
next_event(const struct client *cl, long long tick, long long record,
    long long stop)
{
	long long	 next = tick;

	if (!cl->recording && record < next)
		next = record;
	if (stop != 0 && stop < next)
		next = stop;
	return next;
}

/*
 * Connects every connection, starts their timetables together and runs
 * until --duration after --warmup, or a signal.  The clock is read per
 * receive, for the round trips, and once per epoll_wait() for the rest.
 */
static void
time_echoes(const struct options *o)
{
	struct epoll_event	 ev[MAXEVENTS];
	struct addrinfo		*ai;
	struct client		 cl;
	long long		 t, start, tick, record, stop;
	int			 n, i, timeout;

	memset(&cl, 0, sizeof(cl));
	cl.o = o;
	frame_sizes(&cl);
	cl.outcap = OUTMAX / cl.txlen * cl.txlen;
	if (cl.outcap == 0)
		cl.outcap = cl.txlen;
	if ((cl.hdr = malloc(sizeof(*cl.hdr))) == NULL ||
	    (cl.conns = calloc(o->connections, sizeof(*cl.conns))) == NULL)
		err(1, NULL);
	hdr_init(cl.hdr);
	if ((cl.ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
		err(1, "epoll_create1");
	ai = net_resolve(o->host, o->port, 0);
	for (i = 0; i < o->connections; i++) {
		cl.conns[i].id = i;
		tconn_open(&cl, ai, &cl.conns[i]);
	}
	freeaddrinfo(ai);
	cl.offset = realtime_offset();
	start = tick = net_now_ns();
	for (i = 0; i < o->connections; i++)
		tconn_start(&cl, &cl.conns[i], start);
	record = start + o->warmup_ns;
	stop = o->duration_ns ? record + o->duration_ns : 0;
	cl.recording = o->warmup_ns == 0;
	while (!net_quit) {
		t = net_now_ns();
		if (t >= tick) {
			report(&cl, t);
			tick += TICK;
		}
		if (!cl.recording && t >= record)
			cl.recording = 1;
		if (stop != 0 && t >= stop)
			break;
		timeout = (int)((next_event(&cl, tick, record, stop) - t +
		    999999) / 1000000);
		if ((n = epoll_wait(cl.ep, ev, MAXEVENTS, timeout)) == -1 &&
		    errno != EINTR)
			err(1, "epoll_wait");
		for (i = 0; i < n; i++)
			tconn_event(&cl, ev[i].data.u64, ev[i].events);
	}
	report(&cl, net_now_ns());
	report_latency(&cl);
	for (i = 0; i < o->connections; i++)
		free(cl.conns[i].out);
	free(cl.conns);
	free(cl.hdr);
}

int
main(int argc, char *argv[])
{
	struct options	 o;

	memset(&o, 0, sizeof(o));
	parse_options(argc, argv, &o);
	net_raise_nofile(2 * o.connections + 16);
	net_set_signals();
	if (o.mode == ECHO)
		serve(&o);
	else
		time_echoes(&o);
	return 0;
}
