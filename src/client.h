/* SPDX-License-Identifier: ISC */
/*
 * What the client kinds (recv, send) share: the URL and the options of the
 * upgrade request, TLS, and N connections, each with a slot on its worker
 * that outlives it: when the connection is lost the slot reconnects after
 * a backoff, until the job stops.  The load takes a shape: the slots
 * start at --connect-rate a second instead of all at once; --hold closes
 * each connection after a time and opens the next at once; --duration
 * finishes the job after a time at full load, which begins when every
 * slot's first attempt has ended (the ramp).  A kind gives the conn_ops of its
 * connections; their open and closed ops call client_conn_open() and
 * client_conn_closed().  The slot also gathers the stamp at the start of
 * each message received (stamp.h), for the kinds that time messages.
 */
#ifndef CLIENT_H
#define CLIENT_H

#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "args.h"
#include "job.h"
#include "stamp.h"
#include "ws_handshake.h"
#include "ws_url.h"

struct conn;
struct conn_ops;
struct event;
struct loop;
struct tls;

/* Options every client kind has, right after the JOB_OPT_*: CLIENT_OPTS
 * after JOB_OPTS in its table. */
#define CLIENT_OPT_CONNECTIONS	2	/* --connections N */
#define CLIENT_OPT_HEADER	3	/* --header 'NAME: VALUE' */
#define CLIENT_OPT_PROTOCOL	4	/* --protocol NAME */
#define CLIENT_OPT_ORIGIN	5	/* --origin ORIGIN */
#define CLIENT_OPT_CA		6	/* --ca FILE */
#define CLIENT_OPT_INSECURE	7	/* --insecure */
#define CLIENT_OPT_DEFLATE	8	/* --deflate */
#define CLIENT_OPT_DEFLATE_OFFER 9	/* --deflate-offer PARAMS */
#define CLIENT_OPT_CONNECT_RATE	10	/* --connect-rate C */
#define CLIENT_OPT_DURATION	11	/* --duration S */
#define CLIENT_OPT_HOLD		12	/* --hold S */
#define CLIENT_OPT_SOURCE	13	/* --source ADDR[,ADDR...] */
#define CLIENT_OPT_NEXT		14	/* a kind's own options from here */
#define CLIENT_CONNECTIONS_MAX	100000
#define CLIENT_SOURCES_MAX	16
#define CLIENT_CONNECT_RATE_MAX	1000000
#define CLIENT_OPTS \
	[CLIENT_OPT_CONNECTIONS] = ARGS_NUMBER("--connections", "N", 1, \
	    CLIENT_CONNECTIONS_MAX, \
	    "how many connections to open, 1 by default"), \
	[CLIENT_OPT_HEADER] = ARGS_REPEAT("--header", "'NAME: VALUE'", \
	    "a header of the upgrade request"), \
	[CLIENT_OPT_PROTOCOL] = ARGS_REPEAT("--protocol", "NAME", \
	    "a subprotocol to offer"), \
	[CLIENT_OPT_ORIGIN] = ARGS_VALUE("--origin", "ORIGIN", \
	    "the Origin header, as a browser sends it"), \
	[CLIENT_OPT_CA] = ARGS_VALUE("--ca", "FILE", \
	    "wss://: trust the CA certificates of FILE, PEM"), \
	[CLIENT_OPT_INSECURE] = ARGS_FLAG("--insecure", \
	    "wss://: do not verify the server's certificate"), \
	[CLIENT_OPT_DEFLATE] = ARGS_FLAG("--deflate", \
	    "offer permessage-deflate, as browsers do"), \
	[CLIENT_OPT_DEFLATE_OFFER] = ARGS_VALUE("--deflate-offer", "PARAMS", \
	    "offer permessage-deflate with these parameters"), \
	[CLIENT_OPT_CONNECT_RATE] = ARGS_NUMBER("--connect-rate", "C", 1, \
	    CLIENT_CONNECT_RATE_MAX, \
	    "open the connections at C a second, not all at once"), \
	[CLIENT_OPT_DURATION] = ARGS_VALUE("--duration", "S", \
	    "finish after S (as 30s, 5m) at full load"), \
	[CLIENT_OPT_HOLD] = ARGS_VALUE("--hold", "S", \
	    "close each connection after S open, and open another"), \
	[CLIENT_OPT_SOURCE] = ARGS_VALUE("--source", "ADDR[,ADDR...]", \
	    "bind the connections to these addresses in turn")

/* A --source address: the port is left to connect(). */
struct client_source {
	struct sockaddr_storage	 ss;
	socklen_t		 len;
};

/* A client kind's j->priv begins with its struct client. */
struct client {
	char			 url[WS_URL_PATH_MAX + WS_URL_HOST_MAX + 16];
	struct ws_url		 parsed;
	char			 host[WS_URL_HOST_MAX + 16];	/* Host: */
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;
	unsigned long		 connections;
	struct tls		*tls;		/* wss:// */
	struct ws_client_opts	 copts;		/* points at what follows */
	char			*origin;
	char			*protocols[ARGS_MANY_MAX];
	char			*headers[ARGS_MANY_MAX];
	/* --source: connection i binds to source[i % nsources]; the URL's
	 * name resolves to their family. */
	char			*source_text;
	struct client_source	 source[CLIENT_SOURCES_MAX];
	size_t			 nsources;
	int			 source_family;	/* AF_UNSPEC: none */
	/* The kind's, set before client_job_start(). */
	const struct conn_ops	*ops;
	unsigned long		 connect_rate;	/* 0: all at once */
	uint64_t		 hold_ns;	/* 0: none */
	/* The ramp, on the main loop: the slots posted so far from t0 on,
	 * by a timer while some are left. */
	unsigned long		 posted;
	uint64_t		 ramp_t0;
	struct event		*ramp;
	/* Slots whose first attempt has ended; workers add. */
	atomic_ulong		 tried;
	/* CLOCK_REALTIME - CLOCK_MONOTONIC at prepare (timerq.h): stamps
	 * carry the wall clock, reads are timed on the monotonic one. */
	uint64_t		 wall_offset;
};

/* One connection's place on its worker, across reconnects: the priv of
 * its connection. */
struct client_slot {
	LIST_ENTRY(client_slot)	 entry;
	struct job		*job;
	struct loop		*loop;
	struct conn		*conn;
	struct event		*retry;
	struct event		*hold;		/* --hold: close, then reopen */
	const struct client_source *source;	/* NULL: the kernel's */
	int			 held;		/* closed by the hold */
	int			 tried;		/* its first attempt ended */
	int			 failures;	/* in a row, capped */
	struct timeval		 opened;	/* zero: not open */
	int			 connecting;	/* inside conn_connect() */
	void			*state;		/* the kind's, while open */
	/* The head of the message being received, up to its stamp. */
	uint8_t			 head[STAMP_LEN];
	size_t			 head_len;
	int			 stamped;	/* once head_len is whole */
	uint64_t		 due;		/* the stamp's due time */
};

/* Reads the URL (pos[0]) and the CLIENT_OPTS into the client j->priv
 * begins with; sets j->duration_ns. */
int		 client_prepare(struct job *, const struct args *,
		    char *err, size_t errlen);
/* Job kind operations for a kind whose j->priv begins with its client:
 * resolve and open the connections (or start the ramp), end the ramp,
 * close those of the calling worker with j->close_code, name the URL,
 * show the settings worth seeing. */
int		 client_job_start(struct job *, char *err, size_t errlen);
void		 client_job_stop(struct job *);
void		 client_job_worker_stop(struct job *, struct loop *);
const char	*client_job_target(const struct job *);
void		 client_job_settings(const struct job *,
		    void (*show)(void *, const char *, const char *), void *);
/* Frees what client_prepare() kept; the kind frees the rest of j->priv. */
void		 client_job_free(struct job *);

/* The open and closed ops of a client connection, or what the kind's own
 * call: first thing on open, last thing on closed (the slot may go). */
void		 client_conn_open(struct conn *);
void		 client_conn_closed(struct conn *, int failed);
/*
 * The data, message and whole ops of a kind that times every stamped
 * message it receives from its stamp's due time to the read that brought
 * it (a stamp ahead of our clock counts 0); one without a stamp is
 * counted in messages_unstamped.  The data op keeps the first STAMP_LEN
 * bytes of a message that comes in pieces.
 */
void		 client_conn_data(struct conn *, int opcode, const uint8_t *p,
		    size_t n);
void		 client_conn_timed_message(struct conn *, int opcode,
		    uint64_t len);
void		 client_conn_timed_whole(struct conn *, int opcode,
		    const uint8_t *p, uint64_t len);

#endif
