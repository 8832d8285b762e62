/* SPDX-License-Identifier: ISC */
/*
 * limit: the loopback ceiling that wsbench is measured against.
 *
 *	limit write --port PORT [--bind ADDR] [--msg TEXT | --size N]
 *	    [--handshake]
 *	limit read --port PORT [--host ADDR] [--connections N] [--handshake]
 *	    [--duration SECONDS]
 *
 * "limit write" is a server that sends every client an endless stream of
 * whole, unmasked WebSocket frames of one message.  "limit read" is a
 * client that parses every frame header it receives and counts messages
 * and wire bytes, printing "<t> <messages> <bytes>" every half second,
 * t being CLOCK_MONOTONIC seconds.  Its first line comes once all its
 * connections are up, and --duration counts from there; a connection that
 * fails or closes makes it exit 1.
 *
 * Both do the least the protocol allows: one thread, epoll, one prebuilt
 * buffer of frames on the write side, one receive buffer and a header
 * parser that skips payloads on the read side, no per-message callback,
 * no UTF-8 check, no copy.  What they reach on a machine is a rate that no
 * WebSocket implementation using the same sockets can beat.  With
 * --handshake each side speaks the RFC 6455 opening handshake first, so
 * that either one can stand in for a wsbenchd job.
 */

#define _GNU_SOURCE

#include "config.h"

#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "net.h"

#define IOSIZE		(256 * 1024)	/* bytes per read or write call */
#define SNDBUF		(256 * 1024)	/* the writer's socket send buffer */
#define HEADMAX		8192		/* an HTTP request or response head */
#define MAXCONNS	20000
#define MAXSIZE		(16 * 1024 * 1024)
#define MAXEVENTS	256
#define CALLS_PER_EVENT	4		/* then let other connections run */
#define CONNECT_WINDOW	256		/* connections being opened at once */
#define CONNECT_TIMEOUT	30		/* seconds for all of them to be up */
#define TICK		(NET_NSEC / 2)
#define WS_GUID		"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
#define ACCEPTLEN	28		/* base64 of a SHA-1 digest */

enum mode { WRITE = 1, READ = 2 };

struct options {
	enum mode	 mode;
	const char	*host;
	const char	*port;
	const char	*msg;
	long long	 size;		/* -1 when --msg is used */
	long long	 connections;
	long long	 duration_ns;	/* 0: until a signal */
	int		 handshake;
};

/* The write side's prebuilt stream. */
struct frames {
	uint8_t		*buf;	/* one run of frames, then the same again */
	size_t		 len;	/* bytes in one run: a whole number of frames */
	size_t		 io;	/* bytes per write call */
};

enum wstate { W_LISTEN, W_HANDSHAKE, W_STREAM };

struct wconn {
	int		 fd;
	enum wstate	 state;
	size_t		 off;	/* where in the run the next write starts */
	char		*head;	/* the upgrade request, while handshaking */
	size_t		 headlen;
};

enum rstate { R_CONNECTING, R_HANDSHAKE, R_FRAMES };

/* What the read side keeps of a connection while its handshake runs. */
struct handshake {
	char		 head[HEADMAX];
	size_t		 len;
	char		 accept[ACCEPTLEN + 1];
};

struct rconn {
	int		 fd;
	int		 id;
	enum rstate	 state;
	uint64_t	 skip;		/* payload bytes still to come */
	int		 ends_msg;	/* that frame ends a message */
	unsigned	 hdrlen;	/* of a header split across reads */
	uint8_t		 hdr[14];
	struct handshake *hs;
};

struct header {
	unsigned	 len;		/* header bytes */
	int		 opcode;
	int		 fin;
	uint64_t	 payload;
};

static void		 usage(void) __attribute__((noreturn));
static void		 parse_options(int, char **, struct options *);
static void		 accept_key(const char *, size_t, char *);
static const char	*find_header(const char *, size_t, const char *,
			    size_t *);
static size_t		 frame_header(uint8_t *, int, uint64_t);
static void		 make_frames(const struct options *, struct frames *);
static void		 accept_all(int, int, struct wconn *);
static int		 answer_upgrade(int, struct wconn *);
static int		 read_request(int, struct wconn *);
static int		 drain(struct wconn *);
static int		 stream(struct wconn *, const struct frames *);
static void		 close_wconn(struct wconn *);
static void		 serve(const struct options *);
static void		 open_conn(int, const struct addrinfo *,
			    struct rconn *);
static void		 send_upgrade(const struct options *, struct rconn *);
static void		 connected(int, const struct options *, struct rconn *);
static int		 check_upgrade(struct rconn *);
static size_t		 parse_header(const uint8_t *, size_t,
			    struct header *, int);
static const uint8_t	*skip_payload(struct rconn *, const uint8_t *,
			    const uint8_t *);
static const uint8_t	*start_frame(struct rconn *, const struct header *,
			    const uint8_t *, const uint8_t *);
static const uint8_t	*finish_header(struct rconn *, const uint8_t *,
			    const uint8_t *);
static const uint8_t	*slow_frame(struct rconn *, const uint8_t *,
			    const uint8_t *);
static void		 feed(struct rconn *, const uint8_t *, const uint8_t *);
static void		 read_head(int, struct rconn *);
static void		 read_frames(struct rconn *);
static void		 report(long long);
static void		 start_reading(int, struct rconn *, int);
static void		 receive(const struct options *);

/* The read side's totals over all connections, and its one buffer. */
static uint64_t		 messages;
static uint64_t		 wire_bytes;
static uint8_t		 rbuf[IOSIZE];

static void
usage(void)
{
	fprintf(stderr,
	    "usage: limit write --port PORT [--bind ADDR] "
	    "[--msg TEXT | --size N] [--handshake]\n"
	    "       limit read --port PORT [--host ADDR] [--connections N] "
	    "[--handshake]\n"
	    "                  [--duration SECONDS]\n");
	exit(2);
}

static const struct net_opt limit_opts[] = {
	{ "port",	 required_argument, WRITE | READ },
	{ "bind",	 required_argument, WRITE },
	{ "host",	 required_argument, READ },
	{ "msg",	 required_argument, WRITE },
	{ "size",	 required_argument, WRITE },
	{ "connections", required_argument, READ },
	{ "handshake",	 no_argument,	    WRITE | READ },
	{ "duration",	 required_argument, READ },
	{ NULL,		 0,		    0 }
};

/* The i-th of limit_opts, with its value v. */
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
		o->msg = v;
		break;
	case 4:
		o->size = net_number("--size", v, 0, MAXSIZE);
		break;
	case 5:
		o->connections = net_number("--connections", v, 1, MAXCONNS);
		break;
	case 6:
		o->handshake = 1;
		break;
	case 7:
		o->duration_ns = net_seconds("--duration", v);
		break;
	}
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	static const char *const modes[] = { "write", "read" };

	o->host = "127.0.0.1";
	o->size = -1;
	o->connections = 1;
	o->mode = net_options(argc, argv, modes, 2, limit_opts, set_option,
	    o, usage);
	if (o->port == NULL || (o->msg && o->size >= 0))
		usage();
	if (o->msg == NULL)
		o->msg = "yo";
}

/* out gets base64(SHA-1(key GUID)), NUL-terminated: ACCEPTLEN + 1 bytes. */
static void
accept_key(const char *key, size_t keylen, char *out)
{
	unsigned char	 in[128 + sizeof(WS_GUID)];
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen;

	if (keylen > 128)
		keylen = 128;
	memcpy(in, key, keylen);
	memcpy(in + keylen, WS_GUID, sizeof(WS_GUID) - 1);
	if (!EVP_Digest(in, keylen + sizeof(WS_GUID) - 1, md, &mdlen,
	    EVP_sha1(), NULL))
		errx(1, "SHA-1 failed");
	EVP_EncodeBlock((unsigned char *)out, md, mdlen);
}

/*
 * Returns the value of header name in an HTTP head of len bytes, trimmed,
 * with its length in *vlen, or NULL.  The name is matched without regard
 * to case, as HTTP wants; the request or status line is skipped.
 */
static const char *
find_header(const char *head, size_t len, const char *name, size_t *vlen)
{
	const char	*p, *end = head + len, *eol, *v;
	size_t		 nlen = strlen(name);

	p = memchr(head, '\n', len);
	for (; p != NULL && p + 1 < end; p = eol) {
		p++;
		if ((eol = memchr(p, '\n', end - p)) == NULL)
			break;
		if ((size_t)(eol - p) <= nlen || p[nlen] != ':' ||
		    strncasecmp(p, name, nlen) != 0)
			continue;
		for (v = p + nlen + 1; v < eol && (*v == ' ' || *v == '\t');
		    v++)
			;
		for (*vlen = eol - v; *vlen > 0 && (v[*vlen - 1] == '\r' ||
		    v[*vlen - 1] == ' ' || v[*vlen - 1] == '\t'); (*vlen)--)
			;
		return v;
	}
	return NULL;
}

/* A server frame header: FIN set, unmasked, the shortest length form. */
static size_t
frame_header(uint8_t *h, int opcode, uint64_t len)
{
	int	 i;

	h[0] = 0x80 | opcode;
	if (len < 126) {
		h[1] = len;
		return 2;
	}
	if (len <= 0xffff) {
		h[1] = 126;
		h[2] = len >> 8;
		h[3] = len & 0xff;
		return 4;
	}
	h[1] = 127;
	for (i = 0; i < 8; i++)
		h[2 + i] = (len >> (56 - 8 * i)) & 0xff;
	return 10;
}

/*
 * Lays out the frames once: as many whole frames as fit in IOSIZE (at
 * least one), then the same run again right after it, so that a write
 * of o->io bytes can start at any offset within the first run and the
 * stream, whatever the partial writes, stays a sequence of whole frames.
 */
static void
make_frames(const struct options *o, struct frames *f)
{
	uint8_t		 h[14];
	const uint8_t	*payload;
	uint8_t		*p, *gen = NULL;
	size_t		 hlen, plen, flen, n, i;

	if (o->size >= 0) {
		plen = o->size;
		if ((gen = malloc(plen + 1)) == NULL)
			err(1, NULL);
		for (i = 0; i < plen; i++)
			gen[i] = 'a' + i % 26;
		payload = gen;
		hlen = frame_header(h, 0x2, plen);
	} else {
		payload = (const uint8_t *)o->msg;
		plen = strlen(o->msg);
		hlen = frame_header(h, 0x1, plen);
	}
	flen = hlen + plen;
	n = flen < IOSIZE ? IOSIZE / flen : 1;
	f->len = n * flen;
	f->io = f->len < IOSIZE ? f->len : IOSIZE;
	if ((f->buf = malloc(2 * f->len)) == NULL)
		err(1, NULL);
	for (p = f->buf, i = 0; i < 2 * n; i++) {
		memcpy(p, h, hlen);
		memcpy(p + hlen, payload, plen);
		p += flen;
	}
	free(gen);
}

static void
accept_all(int ep, int handshake, struct wconn *l)
{
	struct wconn	*c;
	int		 fd, sndbuf = SNDBUF;

	while ((fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK |
	    SOCK_CLOEXEC)) != -1) {
		if ((c = calloc(1, sizeof(*c))) == NULL)
			err(1, NULL);
		c->fd = fd;
		/* As wsbench's push does: a bounded send buffer stays in
		 * cache, which is faster than one autotuned to megabytes. */
		if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf,
		    sizeof(sndbuf)) == -1)
			err(1, "setsockopt SO_SNDBUF");
		if (handshake) {
			if ((c->head = malloc(HEADMAX)) == NULL)
				err(1, NULL);
			c->state = W_HANDSHAKE;
			net_epoll_set(ep, EPOLL_CTL_ADD, c->fd, EPOLLIN, c);
		} else {
			c->state = W_STREAM;
			net_epoll_set(ep, EPOLL_CTL_ADD, c->fd, EPOLLIN |
			    EPOLLOUT, c);
		}
	}
	/* Out of descriptors, or a connection reset while queued: go on. */
	if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
		warn("accept");
}

/*
 * The response is a few hundred bytes on a fresh socket, whose send
 * buffer is empty: a short send would mean a broken connection.
 */
static int
answer_upgrade(int ep, struct wconn *c)
{
	char		 accept[ACCEPTLEN + 1], resp[256];
	const char	*key;
	size_t		 keylen;
	int		 n;

	key = find_header(c->head, c->headlen, "Sec-WebSocket-Key", &keylen);
	if (strncmp(c->head, "GET ", 4) != 0 || key == NULL || keylen == 0) {
		warnx("connection %d: not a WebSocket upgrade request", c->fd);
		return -1;
	}
	accept_key(key, keylen, accept);
	n = snprintf(resp, sizeof(resp), "HTTP/1.1 101 Switching Protocols"
	    "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Accept: %s\r\n\r\n", accept);
	if (send(c->fd, resp, n, MSG_NOSIGNAL) != n)
		return -1;
	free(c->head);
	c->head = NULL;
	c->state = W_STREAM;
	net_epoll_set(ep, EPOLL_CTL_MOD, c->fd, EPOLLIN | EPOLLOUT, c);
	return 0;
}

/* Reads the upgrade request up to its blank line; -1 drops the client. */
static int
read_request(int ep, struct wconn *c)
{
	ssize_t	 n;

	n = recv(c->fd, c->head + c->headlen, HEADMAX - c->headlen, 0);
	if (n == -1)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	if (n == 0)
		return -1;
	c->headlen += n;
	if (memmem(c->head, c->headlen, "\r\n\r\n", 4) != NULL)
		return answer_upgrade(ep, c);
	if (c->headlen == HEADMAX) {
		warnx("connection %d: request head over %d bytes", c->fd,
		    HEADMAX);
		return -1;
	}
	return 0;
}

/* Whatever a client sends once streaming (pongs, a close) is dropped. */
static int
drain(struct wconn *c)
{
	static uint8_t	 sink[16384];
	ssize_t		 n;

	n = recv(c->fd, sink, sizeof(sink), 0);
	if (n == -1)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	return n == 0 ? -1 : 0;
}

static int
stream(struct wconn *c, const struct frames *f)
{
	ssize_t	 n;
	int	 i;

	for (i = 0; i < CALLS_PER_EVENT; i++) {
		n = send(c->fd, f->buf + c->off, f->io, MSG_NOSIGNAL);
		if (n == -1)
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		c->off = (c->off + n) % f->len;
		if ((size_t)n < f->io)
			break;		/* the socket is full */
	}
	return 0;
}

static void
close_wconn(struct wconn *c)
{
	close(c->fd);
	free(c->head);
	free(c);
}

static void
serve(const struct options *o)
{
	struct epoll_event	 ev[MAXEVENTS];
	struct frames		 f;
	struct wconn		 l, *c;
	int			 ep, n, i, bad;

	make_frames(o, &f);
	memset(&l, 0, sizeof(l));
	l.fd = net_listen(o->host, o->port);
	l.state = W_LISTEN;
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
			if (c->state == W_LISTEN) {
				accept_all(ep, o->handshake, c);
				continue;
			}
			if (c->state == W_HANDSHAKE)
				bad = read_request(ep, c);
			else
				bad = ((ev[i].events & ~EPOLLOUT) &&
				    drain(c) == -1) ||
				    ((ev[i].events & EPOLLOUT) &&
				    stream(c, &f) == -1);
			/* Closing removes the descriptor from the epoll set. */
			if (bad)
				close_wconn(c);
		}
	}
	free(f.buf);
}

static void
open_conn(int ep, const struct addrinfo *ai, struct rconn *c)
{
	c->fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (c->fd == -1)
		err(1, "socket");
	if (connect(c->fd, ai->ai_addr, ai->ai_addrlen) == -1 &&
	    errno != EINPROGRESS)
		err(1, "connection %d: connect", c->id);
	c->state = R_CONNECTING;
	net_epoll_set(ep, EPOLL_CTL_ADD, c->fd, EPOLLOUT, c);
}

/* As answer_upgrade(): a fresh socket takes a short request whole. */
static void
send_upgrade(const struct options *o, struct rconn *c)
{
	unsigned char	 nonce[16];
	char		 key[32], req[512];
	int		 n;

	if ((c->hs = calloc(1, sizeof(*c->hs))) == NULL)
		err(1, NULL);
	if (RAND_bytes(nonce, sizeof(nonce)) != 1)
		errx(1, "RAND_bytes failed");
	EVP_EncodeBlock((unsigned char *)key, nonce, sizeof(nonce));
	accept_key(key, strlen(key), c->hs->accept);
	n = snprintf(req, sizeof(req), "GET / HTTP/1.1\r\n"
	    "Host: %s%s%s:%s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n",
	    strchr(o->host, ':') ? "[" : "", o->host,
	    strchr(o->host, ':') ? "]" : "", o->port, key);
	if (n < 0 || (size_t)n >= sizeof(req))
		errx(1, "upgrade request too long");
	if (send(c->fd, req, n, MSG_NOSIGNAL) != n)
		err(1, "connection %d: sending the upgrade request", c->id);
	c->state = R_HANDSHAKE;
}

/*
 * The connect() has finished: the connection waits for its upgrade
 * response, or is up.  A connection that is up is left muted (no event
 * but a hang-up or an error) until all are up: reading frames meanwhile
 * would starve the connections still being set up.
 */
static void
connected(int ep, const struct options *o, struct rconn *c)
{
	socklen_t	 len = sizeof(int);
	int		 e;

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &e, &len) == -1)
		err(1, "getsockopt");
	if (e != 0)
		errx(1, "connection %d: connect: %s", c->id, strerror(e));
	if (o->handshake) {
		send_upgrade(o, c);
		net_epoll_set(ep, EPOLL_CTL_MOD, c->fd, EPOLLIN, c);
	} else {
		c->state = R_FRAMES;
		net_epoll_set(ep, EPOLL_CTL_MOD, c->fd, 0, c);
	}
}

/* Checks the response head; exits if the server did not upgrade. */
static int
check_upgrade(struct rconn *c)
{
	struct handshake *hs = c->hs;
	const char	*eoh, *v;
	size_t		 hlen, vlen;

	if ((eoh = memmem(hs->head, hs->len, "\r\n\r\n", 4)) == NULL) {
		if (hs->len == HEADMAX)
			errx(1, "connection %d: response head over %d bytes",
			    c->id, HEADMAX);
		return 0;
	}
	hlen = eoh + 4 - hs->head;
	if (hs->len < 12 || memcmp(hs->head, "HTTP/1.1 101", 12) != 0)
		errx(1, "connection %d: no upgrade: %.*s", c->id,
		    (int)strcspn(hs->head, "\r\n"), hs->head);
	v = find_header(hs->head, hlen, "Sec-WebSocket-Accept", &vlen);
	if (v == NULL || vlen != ACCEPTLEN || memcmp(v, hs->accept,
	    ACCEPTLEN) != 0)
		errx(1, "connection %d: wrong Sec-WebSocket-Accept, "
		    "expected %s", c->id, hs->accept);
	return (int)hlen;
}

/*
 * Returns the length of the frame header at p, 0 if fewer than avail
 * bytes hold it, and exits on a frame a server must not send.
 */
static size_t
parse_header(const uint8_t *p, size_t avail, struct header *h, int id)
{
	int	 i;

	if (avail < 2)
		return 0;
	if (p[1] & 0x80)
		errx(1, "connection %d: masked frame from the server", id);
	if (p[0] & 0x70)
		errx(1, "connection %d: reserved bits set", id);
	h->fin = p[0] >> 7;
	h->opcode = p[0] & 0x0f;
	h->payload = p[1] & 0x7f;
	h->len = h->payload == 126 ? 4 : h->payload == 127 ? 10 : 2;
	if (avail < h->len)
		return 0;
	if (h->payload == 126)
		h->payload = (uint64_t)p[2] << 8 | p[3];
	else if (h->payload == 127)
		for (h->payload = 0, i = 2; i < 10; i++)
			h->payload = h->payload << 8 | p[i];
	if (h->payload >> 63)
		errx(1, "connection %d: frame length over 2^63", id);
	if (h->opcode == 0x8)
		errx(1, "connection %d: closed by the server", id);
	if ((h->opcode > 0x2 && h->opcode < 0x9) || h->opcode > 0xa)
		errx(1, "connection %d: reserved opcode %d", id, h->opcode);
	if (h->opcode >= 0x8 && (!h->fin || h->payload > 125))
		errx(1, "connection %d: bad control frame", id);
	return h->len;
}

/* Skips what of the current payload is in [p, end). */
static const uint8_t *
skip_payload(struct rconn *c, const uint8_t *p, const uint8_t *end)
{
	if (c->skip > (uint64_t)(end - p)) {
		c->skip -= end - p;
		return end;
	}
	p += c->skip;
	c->skip = 0;
	messages += c->ends_msg;
	c->ends_msg = 0;
	return p;
}

/* A data frame with FIN ends a message; pings and pongs count as none. */
static const uint8_t *
start_frame(struct rconn *c, const struct header *h, const uint8_t *p,
    const uint8_t *end)
{
	c->skip = h->payload;
	c->ends_msg = h->fin && h->opcode < 0x8;
	return skip_payload(c, p, end);
}

/* Completes a header split across reads; returns what follows it. */
static const uint8_t *
finish_header(struct rconn *c, const uint8_t *p, const uint8_t *end)
{
	struct header	 h;
	size_t		 take, used;

	take = sizeof(c->hdr) - c->hdrlen;
	if (take > (size_t)(end - p))
		take = end - p;
	memcpy(c->hdr + c->hdrlen, p, take);
	if (parse_header(c->hdr, c->hdrlen + take, &h, c->id) == 0) {
		c->hdrlen += take;
		return end;
	}
	used = h.len - c->hdrlen;
	c->hdrlen = 0;
	return start_frame(c, &h, p + used, end);
}

/* Any frame the fast loop in feed() leaves: long, control, or split. */
static const uint8_t *
slow_frame(struct rconn *c, const uint8_t *p, const uint8_t *end)
{
	struct header	 h;

	if (parse_header(p, end - p, &h, c->id) == 0) {
		memcpy(c->hdr, p, end - p);
		c->hdrlen = end - p;
		return end;
	}
	return start_frame(c, &h, p + h.len, end);
}

/*
 * Parses the frames in [p, end).  The inner loop takes whole unfragmented
 * text or binary frames with a 7-bit length, the bulk of a benchmark, in
 * a few instructions each: a byte compare, a length check, an add.  The
 * rest goes to slow_frame(), which checks everything.
 */
static void
feed(struct rconn *c, const uint8_t *p, const uint8_t *end)
{
	const uint8_t	*next, *last = end - 1;	/* p[1] must be in */
	uint64_t	 n = 0;

	if (c->skip > 0)
		p = skip_payload(c, p, end);
	if (c->hdrlen > 0 && p < end)
		p = finish_header(c, p, end);
	while (p < end) {
		while (p < last && (uint8_t)(p[0] - 0x81) < 2 && p[1] < 126 &&
		    (next = p + 2 + p[1]) <= end) {
			p = next;
			n++;
		}
		if (p < end)
			p = slow_frame(c, p, end);
	}
	messages += n;
}

static void
read_head(int ep, struct rconn *c)
{
	struct handshake *hs = c->hs;
	ssize_t		 n;
	int		 hlen;

	n = recv(c->fd, hs->head + hs->len, HEADMAX - hs->len, 0);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n == -1)
		err(1, "connection %d: reading the upgrade response", c->id);
	if (n == 0)
		errx(1, "connection %d: closed during the handshake", c->id);
	hs->len += n;
	if ((hlen = check_upgrade(c)) == 0)
		return;
	c->state = R_FRAMES;
	net_epoll_set(ep, EPOLL_CTL_MOD, c->fd, 0, c);
	/* What came after the head is frame data already. */
	wire_bytes += hs->len - hlen;
	feed(c, (uint8_t *)hs->head + hlen, (uint8_t *)hs->head + hs->len);
	free(hs);
	c->hs = NULL;
}

/* A few reads while the buffer comes back full, then other connections. */
static void
read_frames(struct rconn *c)
{
	ssize_t	 n;
	int	 i;

	for (i = 0; i < CALLS_PER_EVENT; i++) {
		n = recv(c->fd, rbuf, sizeof(rbuf), 0);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n == -1)
			err(1, "connection %d", c->id);
		if (n == 0)
			errx(1, "connection %d: closed by the server", c->id);
		wire_bytes += n;
		feed(c, rbuf, rbuf + n);
		if ((size_t)n < sizeof(rbuf))
			return;
	}
}

static void
start_reading(int ep, struct rconn *conns, int nconns)
{
	int	 i;

	for (i = 0; i < nconns; i++)
		net_epoll_set(ep, EPOLL_CTL_MOD, conns[i].fd, EPOLLIN, &conns[i]);
}

static void
report(long long t)
{
	printf("%lld.%06lld %" PRIu64 " %" PRIu64 "\n", t / NET_NSEC,
	    t % NET_NSEC / 1000, messages, wire_bytes);
	fflush(stdout);
}

/*
 * Opens the connections, at most CONNECT_WINDOW at a time so as not to
 * overflow the server's accept queue, and counts what they receive.  The
 * clock is read once per epoll_wait(), never per frame; the reports start
 * when every connection is up, and the duration counts from there.
 */
static void
receive(const struct options *o)
{
	struct epoll_event	 ev[MAXEVENTS];
	struct addrinfo		*ai;
	struct rconn		*conns, *c;
	long long		 t, deadline, tick = 0, stop = 0;
	int			 ep, n, i, opened = 0, up = 0, timeout;
	int			 nconns = (int)o->connections;

	ai = net_resolve(o->host, o->port, 0);
	if ((conns = calloc(nconns, sizeof(*conns))) == NULL)
		err(1, NULL);
	if ((ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
		err(1, "epoll_create1");
	deadline = net_now_ns() + CONNECT_TIMEOUT * NET_NSEC;
	while (!net_quit) {
		for (; opened < nconns && opened - up < CONNECT_WINDOW;
		    opened++) {
			conns[opened].id = opened;
			open_conn(ep, ai, &conns[opened]);
		}
		timeout = 100;
		if (tick != 0)
			timeout = (int)(((stop != 0 && stop < tick ? stop :
			    tick) - net_now_ns() + 999999) / 1000000);
		if ((n = epoll_wait(ep, ev, MAXEVENTS,
		    timeout < 0 ? 0 : timeout)) == -1 && errno != EINTR)
			err(1, "epoll_wait");
		for (i = 0; i < n; i++) {
			c = ev[i].data.ptr;
			if (c->state == R_FRAMES) {
				read_frames(c);
				continue;
			}
			if (c->state == R_CONNECTING)
				connected(ep, o, c);
			else
				read_head(ep, c);
			if (c->state == R_FRAMES)
				up++;
		}
		t = net_now_ns();
		if (tick == 0 && up < nconns && t > deadline)
			errx(1, "%d of %d connections up after %d seconds",
			    up, nconns, CONNECT_TIMEOUT);
		if (tick == 0 && up == nconns) {
			start_reading(ep, conns, nconns);
			tick = t;
			stop = o->duration_ns ? t + o->duration_ns : 0;
		}
		if (tick != 0 && t >= tick) {
			report(t);
			tick = t - tick >= TICK ? t + TICK : tick + TICK;
		}
		if (stop != 0 && t >= stop)
			break;
	}
	report(net_now_ns());
	freeaddrinfo(ai);
	free(conns);
}

int
main(int argc, char *argv[])
{
	struct options	 o;

	memset(&o, 0, sizeof(o));
	parse_options(argc, argv, &o);
	net_raise_nofile(o.connections + 16);
	net_set_signals();
	if (o.mode == WRITE)
		serve(&o);
	else
		receive(&o);
	return 0;
}
