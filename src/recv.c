/* SPDX-License-Identifier: ISC */
/*
 * The recv job: N client connections to a ws:// URL (client.h), counting
 * what they receive.  With --latency it times the stamped messages it
 * receives one way: from the time in the stamp, the sender's clock, to
 * its own clock now.
 */

#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "client.h"
#include "conn.h"
#include "counters.h"
#include "job.h"

#define RECV_OPT_LATENCY	CLIENT_OPT_NEXT

static const struct args_opt recv_opts[] = {
	JOB_OPTS,
	CLIENT_OPTS,
	[RECV_OPT_LATENCY] = ARGS_FLAG("--latency",
	    "time stamped messages one way, from their stamp to now"),
	ARGS_END
};

struct recv {
	struct client	cl;		/* first, as client.h says */
};

static const struct conn_ops recv_conn_ops = {
	.open = client_conn_open,
	.closed = client_conn_closed,
};

static const struct conn_ops recv_latency_ops = {
	.open = client_conn_open,
	.closed = client_conn_closed,
	.data = client_conn_data,
	.message = client_conn_timed_message,
	.whole = client_conn_timed_whole,
};

static int
recv_prepare(struct job *j, const struct args *a, char *err, size_t errlen)
{
	struct recv	*r;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	j->priv = r;
	r->cl.ops = &recv_conn_ops;
	if (a->present[RECV_OPT_LATENCY]) {
		r->cl.ops = &recv_latency_ops;
		j->timing = "oneway";
	}
	return client_prepare(j, a, err, errlen);
}

static void
recv_free(struct job *j)
{
	struct recv	*r = j->priv;

	if (r == NULL)
		return;
	client_job_free(j);
	free(r);
}

const struct job_kind job_kind_recv = {
	.name = "recv",
	.help = "a client opening connections to URL, counting what it gets",
	.args = { .opts = recv_opts, .min_pos = 1, .max_pos = 1,
	    .pos = "URL" },
	.prepare = recv_prepare,
	.start = client_job_start,
	.stop = client_job_stop,
	.worker_stop = client_job_worker_stop,
	.free = recv_free,
	.target = client_job_target,
	.target_label = "url",
	.watch_counter = CTR_messages_received,
	.watch_rank = 2,
	.settings = client_job_settings,
};
