/* SPDX-License-Identifier: ISC */
/*
 * What the plain-socket bench tools (limit, floor) share: option numbers,
 * descriptors, signals, the clock, addresses, a listening socket and
 * level-triggered epoll registration.  Each exits with a message on a
 * failure: these are tools, not libraries.
 */
#ifndef NET_H
#define NET_H

#include <signal.h>

#define NET_NSEC	1000000000LL

struct addrinfo;

/* A tool's option: its long name, whether it takes a value, and the
 * modes (a mask: the i-th of net_options()'s modes is 1 << i) it is for. */
struct net_opt {
	const char	*name;
	int		 has_arg;
	int		 modes;
};

/*
 * Reads argv[1] as one of the n names in modes, then the options, which
 * opts lists (ending with a NULL name): calls set(i, value, arg) for the
 * i-th of opts as it comes.  Returns the mode's bit.  Anything else, an
 * option of another mode or an argument left over calls usage(), which
 * does not return.
 */
int		 net_options(int argc, char **argv, const char *const *modes,
		    int n, const struct net_opt *opts,
		    void (*set)(int, const char *, void *), void *arg,
		    void (*usage)(void));

/* Set by SIGTERM or SIGINT, which break epoll_wait() at once. */
extern volatile sig_atomic_t net_quit;

/* s as a number from min to max, or exit 2 naming the option what. */
long long	 net_number(const char *what, const char *s, long long min,
		    long long max);
/* s as a number of seconds in (0, 10^6) in nanoseconds, or exit 2. */
long long	 net_seconds(const char *what, const char *s);
/* Raises the soft descriptor limit to the hard one; exits if below need. */
void		 net_raise_nofile(long long need);
/* SIGTERM and SIGINT set net_quit; SIGPIPE is ignored. */
void		 net_set_signals(void);
/* CLOCK_MONOTONIC in nanoseconds. */
long long	 net_now_ns(void);
/* A numeric host and port; exits if they do not parse. */
struct addrinfo	*net_resolve(const char *host, const char *port, int passive);
/* A non-blocking listening socket on host and port. */
int		 net_listen(const char *host, const char *port);
/* epoll_ctl(op) for events on fd with ptr as its data. */
void		 net_epoll_set(int ep, int op, int fd, int events, void *ptr);

#endif
