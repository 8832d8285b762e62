/* SPDX-License-Identifier: ISC */
/*
 * delay_proxy: a TCP proxy that holds every chunk it reads for exactly
 * DELAY_MS milliseconds, in each direction, before writing it on: a known
 * network delay on loopback, where the kernel has no netem.
 *
 *	delay_proxy UPSTREAM_PORT DELAY_MS [FIRST_MS PERIOD_MS STALL_MS]
 *
 * Listens on 127.0.0.1, a port the system picks, and prints that port on
 * stdout (one line, flushed).  Each connection is relayed to
 * 127.0.0.1:UPSTREAM_PORT; each direction has a reader thread, which stamps
 * each chunk with its arrival time (CLOCK_MONOTONIC) and queues it, and a
 * writer thread, which sleeps until arrival + DELAY_MS (clock_nanosleep on
 * an absolute time, to the microsecond, where a Python timer would be
 * coarser) and writes it.  A side's EOF is passed on, delayed likewise.
 *
 * With FIRST_MS, PERIOD_MS and STALL_MS, the upstream stalls like a busy
 * server: from FIRST_MS after the port is printed, and every PERIOD_MS
 * after that, for STALL_MS, nothing more is read from the clients (whose
 * receive buffer is made small), so their sends back up.
 *
 * Its own accuracy: on SIGTERM it prints on stdout
 *	"chunks N late_p50_us X late_p99_us Y late_max_us Z stalls S"
 * (how long after its due time each chunk was written, the write itself
 * included; the stalls begun) and exits 0.
 */

#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CHUNK		65536
#define LATE_SLOTS	100000		/* lateness histogram: 1 us each */
#define STALL_RCVBUF	4096		/* a client's receive buffer, stalling */
#define MS		UINT64_C(1000000)

struct chunk {
	struct chunk	*next;
	uint64_t	 due_ns;
	size_t		 len;		/* 0: the EOF */
	char		 data[];
};

/* One direction of one connection: from fd `in` to fd `out`. */
struct pipe {
	int		 in, out;
	int		 stalls;	/* from a client: its reads stall */
	pthread_mutex_t	 lock;
	pthread_cond_t	 ready;
	struct chunk	*head, *tail;
};

static uint64_t delay_ns;
static struct sockaddr_in upstream;
static int listen_fd;
static pthread_mutex_t late_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t late_us[LATE_SLOTS + 1];	/* the last slot: beyond */
static uint64_t late_max_us, chunks;
/* The stalls' timetable (stall_ns 0: none), and the last one begun. */
static uint64_t t0_ns, first_ns, period_ns, stall_ns;
static int64_t stall_last = -1;

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
die(const char *what)
{
	fprintf(stderr, "delay_proxy: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void
late_record(uint64_t due_ns)
{
	uint64_t us = (now_ns() - due_ns) / 1000;

	pthread_mutex_lock(&late_lock);
	late_us[us < LATE_SLOTS ? us : LATE_SLOTS]++;
	if (us > late_max_us)
		late_max_us = us;
	chunks++;
	pthread_mutex_unlock(&late_lock);
}

/* The lateness at quantile q, in us (LATE_SLOTS: beyond the histogram). */
static uint64_t
late_quantile(double q)
{
	uint64_t seen = 0, want = (uint64_t)(q * (double)chunks + 0.5);
	size_t i;

	for (i = 0; i < LATE_SLOTS; i++) {
		seen += late_us[i];
		if (seen >= want && seen > 0)
			break;
	}
	return i;
}

static void
pipe_push(struct pipe *p, struct chunk *c)
{
	pthread_mutex_lock(&p->lock);
	if (p->tail != NULL)
		p->tail->next = c;
	else
		p->head = c;
	p->tail = c;
	pthread_cond_signal(&p->ready);
	pthread_mutex_unlock(&p->lock);
}

static struct chunk *
pipe_pop(struct pipe *p)
{
	struct chunk *c;

	pthread_mutex_lock(&p->lock);
	while (p->head == NULL)
		pthread_cond_wait(&p->ready, &p->lock);
	c = p->head;
	p->head = c->next;
	if (p->head == NULL)
		p->tail = NULL;
	pthread_mutex_unlock(&p->lock);
	return c;
}

/* In a stall, sleeps until its end. */
static void
stall_wait(void)
{
	uint64_t now = now_ns(), since, phase;
	struct timespec ts;

	if (stall_ns == 0 || now < t0_ns + first_ns)
		return;
	since = now - t0_ns - first_ns;
	phase = since % period_ns;
	if (phase >= stall_ns)
		return;
	pthread_mutex_lock(&late_lock);
	if ((int64_t)(since / period_ns) > stall_last)
		stall_last = (int64_t)(since / period_ns);
	pthread_mutex_unlock(&late_lock);
	ts.tv_sec = (time_t)((stall_ns - phase) / 1000000000u);
	ts.tv_nsec = (long)((stall_ns - phase) % 1000000000u);
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static void *
reader(void *arg)
{
	struct pipe *p = arg;
	struct chunk *c;
	ssize_t n;

	for (;;) {
		if (p->stalls)
			stall_wait();
		if ((c = malloc(sizeof(*c) + CHUNK)) == NULL)
			die("malloc");
		do
			n = read(p->in, c->data, CHUNK);
		while (n < 0 && errno == EINTR);
		c->due_ns = now_ns() + delay_ns;
		c->len = n > 0 ? (size_t)n : 0;
		c->next = NULL;
		pipe_push(p, c);
		if (n <= 0)
			return NULL;
	}
}

static int
write_all(int fd, const char *b, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, b, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		b += n;
		len -= (size_t)n;
	}
	return 0;
}

static void *
writer(void *arg)
{
	struct pipe *p = arg;
	struct chunk *c;
	struct timespec due;
	int eof;

	do {
		c = pipe_pop(p);
		due.tv_sec = (time_t)(c->due_ns / 1000000000u);
		due.tv_nsec = (long)(c->due_ns % 1000000000u);
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due,
		    NULL) == EINTR)
			;
		eof = c->len == 0;
		if (eof)
			shutdown(p->out, SHUT_WR);
		else if (write_all(p->out, c->data, c->len) == 0)
			late_record(c->due_ns);
		else
			shutdown(p->in, SHUT_RD);	/* the reader ends */
		free(c);
	} while (!eof);
	return NULL;
}

static void
start(void *(*fn)(void *), void *arg)
{
	pthread_t t;

	if ((errno = pthread_create(&t, NULL, fn, arg)) != 0)
		die("pthread_create");
	pthread_detach(t);
}

static void
relay(int in, int out, int stalls)
{
	struct pipe *p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		die("calloc");
	p->in = in;
	p->out = out;
	p->stalls = stalls;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->ready, NULL);
	start(reader, p);
	start(writer, p);
}

static void
nodelay(int fd)
{
	int one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static void *
acceptor(void *arg)
{
	int c, u;

	(void)arg;
	while (listen_fd >= 0) {
		if ((c = accept(listen_fd, NULL, NULL)) < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			die("accept");
		}
		if ((u = socket(AF_INET, SOCK_STREAM, 0)) < 0)
			die("socket");
		if (connect(u, (struct sockaddr *)&upstream, sizeof(upstream)) < 0) {
			fprintf(stderr, "delay_proxy: connect upstream: %s\n",
			    strerror(errno));
			close(u);
			close(c);
			continue;
		}
		nodelay(c);
		nodelay(u);
		relay(c, u, 1);
		relay(u, c, 0);
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	sigset_t set;
	int sig;

	if (argc != 3 && argc != 6) {
		fprintf(stderr, "usage: delay_proxy UPSTREAM_PORT DELAY_MS "
		    "[FIRST_MS PERIOD_MS STALL_MS]\n");
		return 2;
	}
	if (argc == 6) {
		first_ns = strtoull(argv[3], NULL, 10) * MS;
		period_ns = strtoull(argv[4], NULL, 10) * MS;
		stall_ns = strtoull(argv[5], NULL, 10) * MS;
		if (period_ns == 0 || stall_ns >= period_ns) {
			fprintf(stderr, "delay_proxy: a stall must be shorter "
			    "than its period\n");
			return 2;
		}
	}
	/* The default 50 us of timer slack would be late on every chunk. */
	prctl(PR_SET_TIMERSLACK, 1UL);
	delay_ns = (uint64_t)strtoul(argv[2], NULL, 10) * 1000000u;
	memset(&upstream, 0, sizeof(upstream));
	upstream.sin_family = AF_INET;
	upstream.sin_port = htons((uint16_t)atoi(argv[1]));
	upstream.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((listen_fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		die("socket");
	/* Before listen: the accepted sockets inherit it, and their window. */
	if (stall_ns > 0)
		setsockopt(listen_fd, SOL_SOCKET, SO_RCVBUF,
		    &(int){ STALL_RCVBUF }, sizeof(int));
	if (bind(listen_fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    listen(listen_fd, 64) < 0 ||
	    getsockname(listen_fd, (struct sockaddr *)&sin, &len) < 0)
		die("listen");

	/* Every thread inherits the mask: only sigwait below takes these. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	t0_ns = now_ns();
	start(acceptor, NULL);
	printf("%u\n", ntohs(sin.sin_port));
	fflush(stdout);

	do
		sigwait(&set, &sig);
	while (sig == SIGPIPE);
	pthread_mutex_lock(&late_lock);
	printf("chunks %llu late_p50_us %llu late_p99_us %llu late_max_us %llu "
	    "stalls %lld\n", (unsigned long long)chunks,
	    (unsigned long long)late_quantile(0.5),
	    (unsigned long long)late_quantile(0.99),
	    (unsigned long long)late_max_us, (long long)(stall_last + 1));
	fflush(stdout);
	_exit(0);
}
