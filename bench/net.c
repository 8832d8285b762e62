/* SPDX-License-Identifier: ISC */
/*
 * The helpers the plain-socket bench tools share (net.h).
 */

#include "config.h"

#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net.h"

volatile sig_atomic_t net_quit;

long long
net_number(const char *what, const char *s, long long min, long long max)
{
	char		*end;
	long long	 n;

	errno = 0;
	n = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || n < min || n > max)
		errx(2, "%s: %s: not a number from %lld to %lld", what, s,
		    min, max);
	return n;
}

long long
net_seconds(const char *what, const char *s)
{
	char	*end;
	double	 d;

	errno = 0;
	d = strtod(s, &end);
	if (*s == '\0' || *end != '\0' || errno != 0 || !(d > 0 && d < 1e6))
		errx(2, "%s: %s: not a number of seconds", what, s);
	return (long long)(d * NET_NSEC);
}

/* Thousands of sockets need more descriptors than the usual soft limit. */
void
net_raise_nofile(long long need)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		err(1, "getrlimit");
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
		err(1, "setrlimit");
	if (rl.rlim_cur != RLIM_INFINITY && (long long)rl.rlim_cur < need)
		errx(1, "%lld connections need more than the %llu descriptors "
		    "allowed", need - 16, (unsigned long long)rl.rlim_cur);
}

static void
on_signal(int sig)
{
	(void)sig;
	net_quit = 1;
}

/* No SA_RESTART, so that a signal breaks epoll_wait() at once. */
void
net_set_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) == -1 ||
	    sigaction(SIGINT, &sa, NULL) == -1)
		err(1, "sigaction");
	signal(SIGPIPE, SIG_IGN);
}

long long
net_now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NET_NSEC + ts.tv_nsec;
}

struct addrinfo *
net_resolve(const char *host, const char *port, int passive)
{
	struct addrinfo	 hints, *res;
	int		 e;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV |
	    (passive ? AI_PASSIVE : 0);
	if ((e = getaddrinfo(host, port, &hints, &res)) != 0)
		errx(2, "%s: %s", host, gai_strerror(e));
	return res;
}

int
net_listen(const char *host, const char *port)
{
	struct addrinfo	*res;
	int		 fd, one = 1;

	res = net_resolve(host, port, 1);
	fd = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd == -1)
		err(1, "socket");
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1)
		err(1, "SO_REUSEADDR");
	if (bind(fd, res->ai_addr, res->ai_addrlen) == -1)
		err(1, "bind %s port %s", host, port);
	/* The kernel caps the backlog at net.core.somaxconn. */
	if (listen(fd, 65535) == -1)
		err(1, "listen");
	freeaddrinfo(res);
	return fd;
}

/* Level-triggered throughout: a connection not drained is seen again. */
void
net_epoll_set(int ep, int op, int fd, int events, void *ptr)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.events = events;
	ev.data.ptr = ptr;
	if (epoll_ctl(ep, op, fd, &ev) == -1)
		err(1, "epoll_ctl");
}

int
net_options(int argc, char **argv, const char *const *modes, int n,
    const struct net_opt *opts, void (*set)(int, const char *, void *),
    void *arg, void (*usage)(void))
{
	struct option	 longopts[32];
	int		 ch, i, mode = 0;

	for (i = 0; i < n && argc >= 2; i++)
		if (strcmp(argv[1], modes[i]) == 0)
			mode = 1 << i;
	if (mode == 0)
		usage();
	for (i = 0; opts[i].name != NULL; i++) {
		if (i + 1 >= (int)(sizeof(longopts) / sizeof(longopts[0])))
			errx(2, "%s: too many options", __func__);
		longopts[i] = (struct option){ opts[i].name, opts[i].has_arg,
		    NULL, 0 };
	}
	longopts[i] = (struct option){ NULL, 0, NULL, 0 };
	argc--;
	argv++;
	while ((ch = getopt_long(argc, argv, "", longopts, &i)) != -1) {
		if (ch != 0 || !(opts[i].modes & mode))
			usage();
		set(i, optarg, arg);
	}
	if (optind != argc)
		usage();
	return mode;
}
