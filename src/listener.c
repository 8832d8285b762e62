/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/listener.h>

#include "listener.h"
#include "log.h"

#define LISTENER_PAUSE_MS	100

struct listener {
	struct evconnlistener	*lev;
	struct event		*resume;
	listener_cb		 cb;
	void			*arg;
	int			 failing;	/* logged; quiet until it works */
	char			 name[64];
};

static void
listener_accept_cb(struct evconnlistener *lev, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct listener	*l = arg;

	(void)lev;
	(void)sa;
	(void)salen;
	if (l->failing) {
		log_info("%s: accepting again", l->name);
		l->failing = 0;
	}
	l->cb(fd, l->arg);
}

static void
listener_error_cb(struct evconnlistener *lev, void *arg)
{
	struct listener	*l = arg;
	struct timeval	 tv = { 0, LISTENER_PAUSE_MS * 1000 };
	int		 err = EVUTIL_SOCKET_ERROR();

	if (!l->failing)
		log_warnx("%s: accept: %s; pausing", l->name, strerror(err));
	l->failing = 1;
	evconnlistener_disable(lev);
	evtimer_add(l->resume, &tv);
}

static void
listener_resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct listener	*l = arg;

	(void)fd;
	(void)what;
	evconnlistener_enable(l->lev);
}

struct listener *
listener_new(struct event_base *base, const struct sockaddr *sa,
    socklen_t salen, int backlog, listener_cb cb, void *arg, const char *name)
{
	struct listener	*l;
	int		 saved;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	l->cb = cb;
	l->arg = arg;
	snprintf(l->name, sizeof(l->name), "%s", name);
	if ((l->resume = evtimer_new(base, listener_resume_cb, l)) == NULL)
		goto fail;
	l->lev = evconnlistener_new_bind(base, listener_accept_cb, l,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_EXEC,
	    backlog, sa, (int)salen);
	if (l->lev == NULL)
		goto fail;
	evconnlistener_set_error_cb(l->lev, listener_error_cb);
	return l;
fail:
	saved = errno;
	if (l->resume != NULL)
		event_free(l->resume);
	free(l);
	errno = saved;
	return NULL;
}

evutil_socket_t
listener_fd(const struct listener *l)
{
	return evconnlistener_get_fd(l->lev);
}

void
listener_free(struct listener *l)
{
	evconnlistener_free(l->lev);
	event_free(l->resume);
	free(l);
}
