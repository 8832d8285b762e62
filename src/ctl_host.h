/* SPDX-License-Identifier: ISC */
/*
 * wsbenchctl -H: the hosts, and the ssh that reaches each one's daemon
 * through `wsbenchctl -R` there.
 */
#ifndef CTL_HOST_H
#define CTL_HOST_H

#include <sys/types.h>

#include <stddef.h>

#define CTL_HOSTS_MAX	256

struct ctl_host {
	char	*name;		/* [user@]host, as ssh takes it */
	pid_t	 pid;		/* its ssh, -1 once reaped */
	int	 fd;		/* our end of ssh's stdin and stdout */
	char	*in;		/* what came, a line not yet whole at the end */
	size_t	 inlen, incap;
	int	 eof;
};

/* "a,b,c" or "@FILE" into *hosts; returns how many, or -1 (said). */
int	ctl_hosts_parse(const char *arg, struct ctl_host **hosts);
void	ctl_hosts_free(struct ctl_host *, int n);
/* Starts h's ssh running `wsbenchctl -R [-s sock]` there; returns 0, or
 * -1 (said). */
int	ctl_host_spawn(struct ctl_host *h, const char *sock);
/* Waits for h's ssh; returns its exit status (128 + a signal's). */
int	ctl_host_reap(struct ctl_host *h);
/* Says why h gave no whole reply: ssh's status, or the connection
 * closed; returns the message (static). */
const char *ctl_host_lost(struct ctl_host *h);
/* Reads every host until each has closed (or line returned -1 for it),
 * calling line for each whole line, its newline cut, and with NULL when
 * the host closed.  Returns 0, or -1 when a signal came first: call
 * again to go on. */
int	ctl_hosts_read(struct ctl_host *, int n,
	    int (*line)(void *, int host, char *line), void *arg);

#endif
