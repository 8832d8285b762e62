/* SPDX-License-Identifier: ISC */
/*
 * What the server kinds (push, echo) share: --port, --bind and TLS, a
 * listening socket on the main loop, and accepted sockets handed
 * round-robin to the worker loops, where the kind makes them connections.
 */
#ifndef SERVER_H
#define SERVER_H

#include <sys/socket.h>

#include "args.h"
#include "sockaddr.h"

struct job;
struct listener;
struct loop;
struct tls;

/* Options every server kind has, right after the JOB_OPT_*: SERVER_OPTS
 * after JOB_OPTS in its table. */
#define SERVER_OPT_PORT		2	/* --port N (0: the system picks) */
#define SERVER_OPT_BIND		3	/* --bind ADDR */
#define SERVER_OPT_TLS_CERT	4	/* --tls-cert FILE */
#define SERVER_OPT_TLS_KEY	5	/* --tls-key FILE */
#define SERVER_OPT_DEFLATE	6	/* --deflate */
#define SERVER_OPT_NEXT		7	/* a kind's own options from here */
#define SERVER_PORT_DEFAULT	8008
#define SERVER_OPTS \
	[SERVER_OPT_PORT] = ARGS_NUMBER("--port", "N", 0, 65535, \
	    "the TCP port to listen on, 0 for any free one; 8008 by default"), \
	[SERVER_OPT_BIND] = ARGS_VALUE("--bind", "ADDR", \
	    "the IPv4 or IPv6 address to listen on (default 127.0.0.1)"), \
	[SERVER_OPT_TLS_CERT] = ARGS_VALUE("--tls-cert", "FILE", \
	    "serve wss://: the certificate chain, PEM, with --tls-key"), \
	[SERVER_OPT_TLS_KEY] = ARGS_VALUE("--tls-key", "FILE", \
	    "the private key of --tls-cert, PEM"), \
	[SERVER_OPT_DEFLATE] = ARGS_FLAG("--deflate", \
	    "accept permessage-deflate when a client offers it")

/* A server kind's j->priv begins with its struct server. */
struct server {
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;
	char			 target[SOCKADDR_STR_MAX];
	struct listener		*listener;
	struct tls		*tls;		/* NULL: plain TCP */
	int			 deflate;	/* --deflate: may agree to it */
	/* On the worker that is to own it: makes fd a connection of the
	 * job, or closes it. */
	void			(*accept)(struct job *, int fd);
};

/* Reads --port, --bind, --deflate, and --tls-cert with --tls-key, loading
 * them. */
int		 server_prepare(struct server *, const struct args *,
		    char *err, size_t errlen);
/* Job kind operations for a kind whose j->priv begins with its server:
 * listen, stop listening (connections stay), name the address, and close
 * 1001 to every connection on the calling worker. */
int		 server_job_start(struct job *, char *err, size_t errlen);
void		 server_job_stop(struct job *);
/* Stops listening and frees what server_prepare() kept; the kind frees
 * the rest of j->priv. */
void		 server_job_free(struct job *);
const char	*server_job_target(const struct job *);
/* Shows "deflate" when the server agrees to it (job.h, settings). */
void		 server_job_settings(const struct job *,
		    void (*show)(void *, const char *, const char *), void *);
void		 server_job_worker_stop(struct job *, struct loop *);

#endif
