/* SPDX-License-Identifier: ISC */
/*
 * A reply of the control socket, whether from the local daemon or through
 * ssh from a host's: its last line, its output flushed, and the Ctrl-C of
 * wait and run that half-closes the socket meanwhile.
 */

#include "config.h"

#include <sys/socket.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control_protocol.h"
#include "ctl.h"
#include "ctl_host.h"

/* While wait or run waits, the first Ctrl-C half-closes the socket (each
 * host's): the daemon stops waiting and replies (a run with its report);
 * a second one leaves at once. */
static int			ctl_wait_fds[CTL_HOSTS_MAX];
static volatile sig_atomic_t	ctl_wait_nfds;
static volatile sig_atomic_t	ctl_wait_interrupted;

static void
ctl_wait_signal(int sig)
{
	int	i;

	(void)sig;
	if (ctl_wait_interrupted)
		_exit(130);
	ctl_wait_interrupted = 1;
	for (i = 0; i < ctl_wait_nfds; i++)
		shutdown(ctl_wait_fds[i], SHUT_WR);
}

void
ctl_wait_catch(int fd)
{
	struct sigaction	sa;

	if (ctl_wait_nfds == CTL_HOSTS_MAX)
		return;
	ctl_wait_fds[ctl_wait_nfds] = fd;
	ctl_wait_nfds = ctl_wait_nfds + 1;
	if (ctl_wait_nfds > 1)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = ctl_wait_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
}

/* A watch piped into a reader that has had enough ends there, well. */
int
ctl_flush(void)
{
	if (fflush(stdout) == 0)
		return -1;
	if (errno == EPIPE)
		return 0;
	fprintf(stderr, "wsbenchctl: standard output: %s\n", strerror(errno));
	return 1;
}

int
ctl_end(const char *line, const char **text)
{
	char	*end;
	long	 n;

	switch (line[0]) {
	case CONTROL_TAG_OK:
		*text = "";
		return 0;
	case CONTROL_TAG_ERROR:
		*text = line + 1;
		return 1;
	case CONTROL_TAG_EXIT:
		/* "#N TEXT": exit N, TEXT on stderr. */
		n = strtol(line + 1, &end, 10);
		if (end == line + 1 || n < 0 || n > 125)
			n = 1;
		while (*end == ' ')
			end++;
		*text = end;
		return (int)n;
	}
	return -1;
}
