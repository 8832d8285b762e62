/* SPDX-License-Identifier: ISC */
/*
 * A WebSocket connection on a worker loop: the opening handshake on either
 * side, frame reading through ws_reader, the ping and close rules, and the
 * counters every job shares (bytes, messages received, connections,
 * errors).  What a job does with an open connection is in its conn_ops.
 */
#ifndef CONN_H
#define CONN_H

#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>

struct conn;
struct evbuffer;
struct job;
struct loop;
struct tls;
struct ws_client_opts;
struct ws_deflate;
struct ws_deflate_params;

#define CONN_HANDSHAKE_TIMEOUT	10	/* seconds to connect and upgrade */
#define CONN_CLOSE_TIMEOUT	2	/* seconds to finish a close */

struct conn_ops {
	/* The handshake is done. */
	void	(*open)(struct conn *);
	/* Output fell to the low watermark set with conn_set_lowmark(). */
	void	(*writable)(struct conn *);
	/* The connection is about to be freed; failed: not a clean close. */
	void	(*closed)(struct conn *, int failed);
	/*
	 * Payload of the data message being received, in order and in
	 * pieces, out of a buffer that is reused once this returns; then
	 * the message's end.  Not called once a close was sent.  Both or
	 * neither: NULL spares the receive path a call per message.
	 */
	void	(*data)(struct conn *, int opcode, const uint8_t *p, size_t n);
	void	(*message)(struct conn *, int opcode, uint64_t len);
	/* With data and message: a message that came whole in one read and
	 * one frame, with its payload, instead of them.  May be NULL. */
	void	(*whole)(struct conn *, int opcode, const uint8_t *p,
		    uint64_t len);
};

/* Server side: takes over an accepted socket, speaking TLS over it unless
 * tls is NULL. */
struct conn	*conn_accept(struct job *, struct loop *, int fd,
		    const struct tls *, const struct conn_ops *, void *priv);
/* Client side: connects to sa from src (unless NULL: the kernel picks),
 * through TLS unless tls is NULL, and upgrades as copts says; copts must
 * outlive the connection (the job holds it). */
struct conn	*conn_connect(struct job *, struct loop *,
		    const struct sockaddr *sa, socklen_t salen,
		    const struct sockaddr *src, socklen_t srclen,
		    const struct tls *, const struct ws_client_opts *copts,
		    const struct conn_ops *, void *priv);
/* Starts the closing handshake with code (or drops a connection that is
 * not open yet). */
void		 conn_close(struct conn *, int code);
/* Closes every connection of job on the calling worker's loop. */
void		 conn_close_job(struct job *, int code);

void		*conn_priv(struct conn *);
/* The job's counters on this connection's worker. */
struct counter_slot *conn_slot(struct conn *);
/* True from the handshake's end until a close is sent or received:
 * data frames may be queued. */
int		 conn_is_open(const struct conn *);
/* Output buffer of an open connection, to add whole frames to. */
struct evbuffer	*conn_output(struct conn *);
void		 conn_set_lowmark(struct conn *, size_t);
/* Calls the writable op again once the loop has seen to its other ready
 * events: a job that bounds its work per call goes on from there. */
void		 conn_writable_later(struct conn *);
/* When the bytes being handed to the data and message ops were read, in
 * ns on CLOCK_MONOTONIC: one clock reading serves every message of a
 * read, which arrived together. */
uint64_t	 conn_read_ns(struct conn *);
/* Bytes written to the socket so far, and of them those that were not
 * control frames the connection queued itself (pongs, close): a control
 * frame queued before the close is taken as written until it is, so that
 * the second may lag behind the truth but never runs ahead of it; the
 * close and what follows it are never counted. */
uint64_t	 conn_written(const struct conn *);
uint64_t	 conn_data_written(const struct conn *);

/*
 * permessage-deflate.  A server connection agrees to a client's offer only
 * when allowed, right after conn_accept(); a client offers what its copts
 * say.  Once open: what was agreed (NULL: no deflate), and the compressor
 * for the messages we send, set up as agreed on first use (NULL: no
 * deflate, or no memory).  Sent compressed frames carry RSV1 on the first.
 */
void		 conn_allow_deflate(struct conn *);
const struct ws_deflate_params *conn_deflate_agreed(const struct conn *);
struct ws_deflate *conn_deflater(struct conn *);

#endif
