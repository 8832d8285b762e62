/* SPDX-License-Identifier: ISC */
/*
 * Listening sockets on an event loop.  Out of descriptors, accept() fails
 * every time the socket is polled, and a listener that went on polling would
 * spin its loop and starve everything else on it (the control socket among
 * them); these pause instead and try again a moment later, when closing
 * connections may have freed some.
 */
#ifndef LISTENER_H
#define LISTENER_H

#include <sys/socket.h>

#include <event2/event.h>

struct listener;

/* Called with each accepted socket, which it then owns. */
typedef void	(*listener_cb)(evutil_socket_t fd, void *arg);

/* Binds and listens on sa; name is for the log.  NULL with errno set. */
struct listener	*listener_new(struct event_base *base,
		    const struct sockaddr *sa, socklen_t salen, int backlog,
		    listener_cb cb, void *arg, const char *name);
evutil_socket_t	 listener_fd(const struct listener *l);
void		 listener_free(struct listener *l);

#endif
