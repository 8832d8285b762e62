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
	X(reconnects, "wsbench_reconnects_total", "counter", NULL,	\
	    "Connection attempts made after a lost connection.")	\
	X(connections_opened, "wsbench_connections_opened_total",	\
	    "counter", NULL, "WebSocket connections that completed the "\
	    "opening handshake.")					\
	X(connections, "wsbench_connections", "gauge", NULL,		\
	    "WebSocket connections open.")

enum counter {
#define COUNTER_ENUM(n, m, t, r, h)	CTR_##n,
	COUNTERS(COUNTER_ENUM)
#undef COUNTER_ENUM
	CTR_COUNT
};

/* One worker's counters for one job, on cache lines of its own. */
struct counter_slot {
	_Atomic uint64_t	v[CTR_COUNT];
} __attribute__((aligned(64)));

/*
 * Adds n to a counter of the calling worker's slot.  Only the owner writes
 * a slot, so a relaxed load and store suffice: no locked instruction on the
 * hot path, and readers still see whole values.  A gauge goes down by
 * adding (uint64_t)-1; the sum over slots wraps back to the right value.
 */
static inline void
counter_add(struct counter_slot *s, enum counter c, uint64_t n)
{
	uint64_t	v = atomic_load_explicit(&s->v[c], memory_order_relaxed);

	atomic_store_explicit(&s->v[c], v + n, memory_order_relaxed);
}

struct counter_info {
	const char	*name;		/* "messages_received" */
	const char	*metric;	/* "wsbench_messages_received_total" */
	const char	*type;		/* "counter" or "gauge" */
	const char	*reason;	/* the reason label's value, or NULL */
	const char	*help;
};

extern const struct counter_info counter_info[CTR_COUNT];

#endif
