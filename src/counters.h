/* SPDX-License-Identifier: ISC */
/*
 * Per-job counters, declared once.  Each worker thread writes only its own
 * slot, without atomics that lock the bus; readers (the control socket, the
 * metrics endpoint) sum the slots.  X(name, metric, type, reason, help):
 * metric is NULL for a counter /metrics leaves out; reason, when not NULL,
 * is the value of the reason label of a metric family several counters
 * share (connection errors, by reason).
 */
#ifndef COUNTERS_H
#define COUNTERS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "hdr.h"
#include "histogram.h"
#include "slot_add.h"

#define CTR_ERRORS_METRIC	"wsbench_connection_errors_total"
#define CTR_ERRORS_HELP		"Connections that failed, by reason."

#define COUNTERS(X)							\
	X(messages_received, "wsbench_messages_received_total", "counter",\
	    NULL, "WebSocket messages received.")			\
	X(messages_sent, "wsbench_messages_sent_total", "counter", NULL,\
	    "WebSocket messages sent.")					\
	X(bytes_received, "wsbench_bytes_received_total", "counter",	\
	    NULL, "Bytes received on WebSocket connections, as on the wire.")\
	X(bytes_sent, "wsbench_bytes_sent_total", "counter", NULL,	\
	    "Bytes sent on WebSocket connections, as on the wire.")	\
	X(payload_bytes_received, "wsbench_payload_bytes_received_total",\
	    "counter", NULL, "Payload bytes of WebSocket messages "	\
	    "received, before compression.")				\
	X(payload_bytes_sent, "wsbench_payload_bytes_sent_total",	\
	    "counter", NULL, "Payload bytes of WebSocket messages sent, "\
	    "before compression.")					\
	X(connection_errors, NULL, "counter", NULL,			\
	    "Connections that failed, all reasons.")			\
	X(errors_refused, CTR_ERRORS_METRIC, "counter", "refused",	\
	    CTR_ERRORS_HELP)						\
	X(errors_timeout, CTR_ERRORS_METRIC, "counter", "timeout",	\
	    CTR_ERRORS_HELP)						\
	X(errors_bad_status, CTR_ERRORS_METRIC, "counter", "bad_status",\
	    CTR_ERRORS_HELP)						\
	X(errors_bad_accept, CTR_ERRORS_METRIC, "counter", "bad_accept",\
	    CTR_ERRORS_HELP)						\
	X(errors_handshake, CTR_ERRORS_METRIC, "counter", "handshake",	\
	    CTR_ERRORS_HELP)						\
	X(errors_protocol, CTR_ERRORS_METRIC, "counter", "protocol",	\
	    CTR_ERRORS_HELP)						\
	X(errors_lost, CTR_ERRORS_METRIC, "counter", "lost",		\
	    CTR_ERRORS_HELP)						\
	X(errors_tls_handshake, CTR_ERRORS_METRIC, "counter",		\
	    "tls_handshake", CTR_ERRORS_HELP)				\
	X(errors_tls_verify, CTR_ERRORS_METRIC, "counter", "tls_verify",\
	    CTR_ERRORS_HELP)						\
	X(reconnects, "wsbench_reconnects_total", "counter", NULL,	\
	    "Connection attempts made after a lost connection.")	\
	X(connections_opened, "wsbench_connections_opened_total",	\
	    "counter", NULL, "WebSocket connections that completed the "\
	    "opening handshake.")					\
	X(connections, "wsbench_connections", "gauge", NULL,		\
	    "WebSocket connections open.")				\
	X(messages_unstamped, "wsbench_messages_unstamped_total",	\
	    "counter", NULL, "Messages received without a stamp by a job "\
	    "that times what it receives.")				\
	X(sends_late, "wsbench_sends_late_total", "counter", NULL,	\
	    "Messages sent more than one interval after they were due.")

enum counter {
#define COUNTER_ENUM(n, m, t, r, h)	CTR_##n,
	COUNTERS(COUNTER_ENUM)
#undef COUNTER_ENUM
	CTR_COUNT
};

/*
 * Close codes a peer's close frame may carry, each counted on its own
 * (wsbench_closes_total{code}): the registered ones.  The rest (3000-4999
 * among them) are counted as "other", a close frame without a code as
 * "none", so the label takes a bounded set of values.
 */
#define CLOSE_CODES(X)							\
	X(1000) X(1001) X(1002) X(1003) X(1007) X(1008) X(1009) X(1010)	\
	X(1011) X(1012) X(1013) X(1014)

enum close_class {
#define CLOSE_ENUM(code)	CLOSE_##code,
	CLOSE_CODES(CLOSE_ENUM)
#undef CLOSE_ENUM
	CLOSE_OTHER,
	CLOSE_NONE,
	CLOSE_COUNT
};

/* The code label's value of each class: "1000", ..., "other", "none". */
extern const char *const close_label[CLOSE_COUNT];

/* One worker's counters for one job, on cache lines of its own. */
struct counter_slot {
	_Atomic uint64_t	v[CTR_COUNT];
	_Atomic uint64_t	closes[CLOSE_COUNT];	/* by close_class */
	struct histogram	handshake;		/* opening handshakes */
	struct hdr		latency;		/* of timed messages */
} __attribute__((aligned(64)));

/* A job's counters added up over its slots. */
struct counter_totals {
	uint64_t		v[CTR_COUNT];
	uint64_t		closes[CLOSE_COUNT];
	struct histogram_sum	handshake;
};

/* Adds n to a value of the calling worker's slot (slot_add.h). */
static inline void
counter_add(struct counter_slot *s, enum counter c, uint64_t n)
{
	slot_add(&s->v[c], n);
}

/* Counts a close frame received with code (1005: none in the frame). */
void	counter_close(struct counter_slot *, int code);
/* Adds up n slots (a job's, one per worker) into t. */
void	counter_totals(const struct counter_slot *slots, int n,
	    struct counter_totals *t);

struct counter_info {
	const char	*name;		/* "messages_received" */
	const char	*metric;	/* "wsbench_messages_received_total" */
	const char	*type;		/* "counter" or "gauge" */
	const char	*reason;	/* the reason label's value, or NULL */
	const char	*help;
};

extern const struct counter_info counter_info[CTR_COUNT];

#endif
