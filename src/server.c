/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/util.h>

#include "conn.h"
#include "job.h"
#include "listener.h"
#include "log.h"
#include "loop.h"
#include "server.h"
#include "tls.h"

struct server_accept {
	struct server	*srv;
	struct job	*job;
	int		 fd;
};

/* Loading the certificate and key now makes a bad one a config error. */
static int
server_prepare_tls(struct server *srv, const struct args *a, char *err,
    size_t errlen)
{
	const char	*cert = a->value[SERVER_OPT_TLS_CERT];
	const char	*key = a->value[SERVER_OPT_TLS_KEY];

	if (cert == NULL && key == NULL)
		return 0;
	if (cert == NULL || key == NULL) {
		snprintf(err, errlen, "--tls-cert and --tls-key go together");
		return -1;
	}
	srv->tls = tls_server_new(cert, key, err, errlen);
	return srv->tls != NULL ? 0 : -1;
}

int
server_prepare(struct server *srv, const struct args *a, char *err,
    size_t errlen)
{
	const char	*bind = a->value[SERVER_OPT_BIND];
	unsigned long	 port;

	if (args_uint(a, SERVER_OPT_PORT, SERVER_PORT_DEFAULT, &port, err,
	    errlen) == -1)
		return -1;
	if (sockaddr_parse(bind != NULL ? bind : "127.0.0.1", (uint16_t)port,
	    &srv->ss, &srv->sslen) == -1) {
		snprintf(err, errlen, "--bind: '%s' is not an IPv4 or IPv6 "
		    "address", bind);
		return -1;
	}
	sockaddr_str((struct sockaddr *)&srv->ss, srv->target,
	    sizeof(srv->target));
	srv->deflate = a->present[SERVER_OPT_DEFLATE];
	return server_prepare_tls(srv, a, err, errlen);
}

/* On the worker that will own the connection. */
static void
server_accept_task(void *arg)
{
	struct server_accept	*sa = arg;

	if (atomic_load(&sa->job->stopping))
		evutil_closesocket(sa->fd);
	else
		sa->srv->accept(sa->job, sa->fd);
	job_unref(sa->job);
	free(sa);
}

static void
server_accept_cb(evutil_socket_t fd, void *arg)
{
	struct job		*j = arg;
	struct server_accept	*sa;

	if ((sa = malloc(sizeof(*sa))) == NULL) {
		log_warn("%s: malloc", __func__);
		evutil_closesocket(fd);
		return;
	}
	sa->srv = j->priv;
	sa->job = j;
	sa->fd = fd;
	job_ref(j);
	if (loop_post(job_next_worker(j), server_accept_task, sa) == -1) {
		job_unref(j);
		evutil_closesocket(fd);
		free(sa);
	}
}

int
server_job_start(struct job *j, char *err, size_t errlen)
{
	struct server		*srv = j->priv;
	struct sockaddr_storage	ss;
	socklen_t		sslen = sizeof(ss);
	char			name[128];

	snprintf(name, sizeof(name), "job %s", j->name);
	srv->listener = listener_new(loop_base(loop_main()),
	    (struct sockaddr *)&srv->ss, srv->sslen, SOMAXCONN,
	    server_accept_cb, j, name);
	if (srv->listener == NULL) {
		snprintf(err, errlen, "cannot listen on %s: %s", srv->target,
		    strerror(errno));
		return -1;
	}
	/* With --port 0 the system picked the port: show the real one. */
	if (getsockname(listener_fd(srv->listener), (struct sockaddr *)&ss,
	    &sslen) == 0)
		sockaddr_str((struct sockaddr *)&ss, srv->target,
		    sizeof(srv->target));
	return 0;
}

void
server_job_stop(struct job *j)
{
	struct server	*srv = j->priv;

	if (srv->listener != NULL) {
		listener_free(srv->listener);
		srv->listener = NULL;
	}
}

void
server_job_free(struct job *j)
{
	struct server	*srv = j->priv;

	server_job_stop(j);
	tls_free(srv->tls);
}

const char *
server_job_target(const struct job *j)
{
	const struct server	*srv = j->priv;

	return srv->target;
}

void
server_job_settings(const struct job *j,
    void (*show)(void *, const char *, const char *), void *arg)
{
	const struct server	*srv = j->priv;

	if (srv->deflate)
		show(arg, "deflate", "agreed when offered");
}

void
server_job_worker_stop(struct job *j, struct loop *l)
{
	(void)l;
	conn_close_job(j, j->close_code);
}
