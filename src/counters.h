/*
 * Per-job counters, declared once.  Each worker thread writes only its own
 * slot, without atomics that lock the bus; readers (the control socket, the
 * metrics endpoint) sum the slots.  X(name, metric, type, help).
 */
#ifndef COUNTERS_H
#define COUNTERS_H

#include <stdatomic.h>
#include <stdint.h>

#define COUNTERS(X)							\
	X(messages_received, "wsbench_messages_received_total", "counter",\
	    "WebSocket messages received.")				\
	X(messages_sent, "wsbench_messages_sent_total", "counter",	\
	    "WebSocket messages sent.")					\
	X(bytes_received, "wsbench_bytes_received_total", "counter",	\
	    "Bytes received on WebSocket connections, as on the wire.")	\
	X(bytes_sent, "wsbench_bytes_sent_total", "counter",		\
	    "Bytes sent on WebSocket connections, as on the wire.")	\
	X(connection_errors, "wsbench_connection_errors_total", "counter",\
	    "Connections that failed or were closed on an error.")	\
	X(reconnects, "wsbench_reconnects_total", "counter",		\
	    "Connection attempts made after a lost connection.")	\
	X(connections, "wsbench_connections", "gauge",			\
	    "WebSocket connections open.")

enum counter {
#define COUNTER_ENUM(n, m, t, h)	CTR_##n,
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
	const char	*help;
};

extern const struct counter_info counter_info[CTR_COUNT];

#endif
