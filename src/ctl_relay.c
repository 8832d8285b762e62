/* SPDX-License-Identifier: ISC */
/*
 * wsbenchctl -R: the far end of `wsbenchctl -H`.  ssh runs it on the host;
 * it joins its standard input and output to the control socket, so the
 * control protocol runs unchanged over ssh and the socket checks the
 * rights of the user ssh logged in as, as for any local client.
 */

#include "config.h"

#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ctl_relay.h"

/* Copies what from has to to; returns the bytes read, 0 at EOF, -1 on
 * an error (said). */
static ssize_t
relay_copy(int from, int to)
{
	char	buf[16384];
	ssize_t	n, w, off;

	if ((n = read(from, buf, sizeof(buf))) == -1) {
		if (errno == EINTR || errno == EAGAIN)
			return 1;
		fprintf(stderr, "wsbenchctl: relay: read: %s\n",
		    strerror(errno));
		return -1;
	}
	for (off = 0; off < n; off += w) {
		if ((w = write(to, buf + off, (size_t)(n - off))) == -1) {
			if (errno == EINTR)
				w = 0;
			else {
				fprintf(stderr, "wsbenchctl: relay: write: "
				    "%s\n", strerror(errno));
				return -1;
			}
		}
	}
	return n;
}

int
ctl_relay(int sock)
{
	struct pollfd	pfd[2];
	ssize_t		n;

	pfd[0].fd = STDIN_FILENO;
	pfd[0].events = POLLIN;
	pfd[1].fd = sock;
	pfd[1].events = POLLIN;
	for (;;) {
		if (poll(pfd, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "wsbenchctl: relay: poll: %s\n",
			    strerror(errno));
			return 1;
		}
		if (pfd[1].revents != 0) {
			/* The daemon's reply ends when it closes. */
			if ((n = relay_copy(sock, STDOUT_FILENO)) <= 0)
				return n == 0 ? 0 : 1;
		}
		if (pfd[0].revents != 0) {
			if ((n = relay_copy(STDIN_FILENO, sock)) == -1)
				return 1;
			if (n == 0) {
				/* The client's Ctrl-C, as a local one. */
				shutdown(sock, SHUT_WR);
				pfd[0].fd = -1;
			}
		}
	}
}
