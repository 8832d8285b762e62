/* SPDX-License-Identifier: ISC */
/*
 * The client kinds' connections (client.h): the upgrade request from the
 * options, the address resolved at start, and a slot per connection on
 * its worker that reconnects after a backoff when its connection is lost.
 * The ramp posts the slots from the main loop; each worker counts the
 * slots' first attempts, and the one that counts the last tells the main
 * loop the job is at full load.
 */

#include "config.h"

#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <arpa/inet.h>
#include <netdb.h>

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "client.h"
#include "conn.h"
#include "counters.h"
#include "job.h"
#include "log.h"
#include "loop.h"
#include "stamp.h"
#include "timerq.h"
#include "tls.h"
#include "ws_deflate.h"
#include "ws_frame.h"
#include "ws_handshake.h"
#include "ws_url.h"

/* A retry waits a random time in [0, min(MAX, BASE * 2^n)] after the n-th
 * failure in a row ("full jitter"): the connections of a job lost at once
 * do not all come back at once. */
#define CLIENT_BACKOFF_BASE_MS	100
#define CLIENT_BACKOFF_MAX_MS	5000
#define CLIENT_BACKOFF_DOUBLINGS	6	/* BASE * 2^6 is past MAX */
#define CLIENT_STABLE_SEC	1	/* open this long: the backoff starts over */
/* What --deflate offers, as browsers do: context takeover both ways. */
#define CLIENT_DEFLATE_OFFER	"client_max_window_bits"
/* The ramp's tick: the slots that came due since the last are posted. */
#define CLIENT_RAMP_TICK_US	10000
#define CLIENT_NS		UINT64_C(1000000000)

static __thread LIST_HEAD(, client_slot) slots_here;
/* The backoff's PRNG: one per worker, so no lock; zero until seeded. */
static __thread uint64_t backoff_rng;

static void	client_slot_connect(struct client_slot *);

/* Copies the values of option idx, each checked by valid. */
static int
client_copy_values(const struct args *a, int idx, char **out, size_t *n,
    const char *(*valid)(const char *), char *err, size_t errlen)
{
	const char	*v[ARGS_MANY_MAX], *why;
	int		 i, count = args_values(a, idx, v, ARGS_MANY_MAX);

	for (i = 0; i < count; i++) {
		if ((why = valid(v[i])) != NULL) {
			snprintf(err, errlen, "%s '%s': %s",
			    a->tmpl->opts[idx].name, v[i], why);
			return -1;
		}
		if ((out[i] = strdup(v[i])) == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		*n = (size_t)i + 1;
	}
	return 0;
}

static const char *
client_protocol_check(const char *s)
{
	return ws_token_valid(s) ? NULL : "not a token (letters, digits and "
	    "!#$%&'*+-.^_`|~)";
}

/* --deflate offers permessage-deflate; --deflate-offer PARAMS names its
 * parameters ("" for none). */
static int
client_prepare_deflate(struct client *r, const struct args *a, char *err,
    size_t errlen)
{
	const char	*offer = a->value[CLIENT_OPT_DEFLATE_OFFER], *why;

	if (offer == NULL && !a->present[CLIENT_OPT_DEFLATE])
		return 0;
	if (offer != NULL && a->present[CLIENT_OPT_DEFLATE]) {
		snprintf(err, errlen, "--deflate and --deflate-offer exclude "
		    "each other");
		return -1;
	}
	if (ws_deflate_offer_parse(offer != NULL ? offer : CLIENT_DEFLATE_OFFER,
	    &r->copts.deflate, &why) == -1) {
		snprintf(err, errlen, "--deflate-offer '%s': %s", offer, why);
		return -1;
	}
	return 0;
}

/* What the upgrade request says besides the URL: --origin, --protocol,
 * --header, --deflate. */
static int
client_prepare_handshake(struct client *r, const struct args *a, char *err,
    size_t errlen)
{
	const char	*origin = a->value[CLIENT_OPT_ORIGIN];

	r->copts.host = r->host;
	r->copts.path = r->parsed.path;
	if (origin != NULL) {
		if (!ws_origin_valid(origin)) {
			snprintf(err, errlen, "--origin '%s': not visible "
			    "ASCII without spaces", origin);
			return -1;
		}
		if ((r->origin = strdup(origin)) == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		r->copts.origin = r->origin;
	}
	if (client_prepare_deflate(r, a, err, errlen) == -1)
		return -1;
	r->copts.protocols = (const char *const *)r->protocols;
	r->copts.headers = (const char *const *)r->headers;
	if (client_copy_values(a, CLIENT_OPT_PROTOCOL, r->protocols,
	    &r->copts.nprotocols, client_protocol_check, err, errlen) == -1)
		return -1;
	return client_copy_values(a, CLIENT_OPT_HEADER, r->headers,
	    &r->copts.nheaders, ws_header_check, err, errlen);
}

/* wss://: --ca or the system's roots, or --insecure. */
static int
client_prepare_tls(struct client *r, const struct args *a, char *err,
    size_t errlen)
{
	const char	*ca = a->value[CLIENT_OPT_CA];
	int		 insecure = a->present[CLIENT_OPT_INSECURE];

	if (!r->parsed.tls) {
		if (ca == NULL && !insecure)
			return 0;
		snprintf(err, errlen, "--ca and --insecure are for wss:// "
		    "URLs");
		return -1;
	}
	if (ca != NULL && insecure) {
		snprintf(err, errlen, "--ca and --insecure exclude each other");
		return -1;
	}
	r->tls = tls_client_new(r->parsed.host, ca, insecure, err, errlen);
	return r->tls != NULL ? 0 : -1;
}

/* --connect-rate, --duration, --hold. */
static int
client_prepare_shape(struct job *j, const struct args *a, char *err,
    size_t errlen)
{
	struct client	*r = j->priv;
	const char	*v;

	if (args_uint(a, CLIENT_OPT_CONNECT_RATE, 0, &r->connect_rate, err,
	    errlen) == -1)
		return -1;
	if ((v = a->value[CLIENT_OPT_DURATION]) != NULL &&
	    args_duration("--duration", v, &j->duration_ns, err, errlen) == -1)
		return -1;
	if ((v = a->value[CLIENT_OPT_HOLD]) != NULL &&
	    args_duration("--hold", v, &r->hold_ns, err, errlen) == -1)
		return -1;
	return 0;
}

/* The family of the URL's host if it is an address, else AF_UNSPEC. */
static int
client_url_family(const struct ws_url *u)
{
	struct in_addr	in;

	if (u->ipv6)
		return AF_INET6;
	return inet_pton(AF_INET, u->host, &in) == 1 ? AF_INET : AF_UNSPEC;
}

/* One --source address: numeric, of the family of the URL's address (or
 * of the first, for a URL with a name). */
static int
client_source_add(struct client *r, const char *addr, char *err,
    size_t errlen)
{
	struct addrinfo	 hints, *res;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST;
	if (getaddrinfo(addr, NULL, &hints, &res) != 0) {
		snprintf(err, errlen, "--source '%s': not a numeric IPv4 or "
		    "IPv6 address", addr);
		return -1;
	}
	if (r->source_family == AF_UNSPEC)
		r->source_family = res->ai_family;
	if (res->ai_family != r->source_family) {
		snprintf(err, errlen, "--source '%s': not an %s address, as "
		    "%s is", addr, r->source_family == AF_INET ? "IPv4" :
		    "IPv6", client_url_family(&r->parsed) != AF_UNSPEC ?
		    "the URL's" : "the first");
		freeaddrinfo(res);
		return -1;
	}
	memcpy(&r->source[r->nsources].ss, res->ai_addr, res->ai_addrlen);
	r->source[r->nsources++].len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

/* --source ADDR[,ADDR...]. */
static int
client_prepare_source(struct client *r, const struct args *a, char *err,
    size_t errlen)
{
	const char	*v = a->value[CLIENT_OPT_SOURCE];
	char		*list, *addr, *rest;
	int		 rc = 0;

	if (v == NULL)
		return 0;
	if ((r->source_text = strdup(v)) == NULL ||
	    (list = strdup(v)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	r->source_family = client_url_family(&r->parsed);
	for (rest = list; rc == 0 && (addr = strsep(&rest, ",")) != NULL;) {
		if (*addr == '\0') {
			snprintf(err, errlen, "--source '%s': an empty "
			    "address", v);
			rc = -1;
		} else if (r->nsources == CLIENT_SOURCES_MAX) {
			snprintf(err, errlen, "--source: more than %d "
			    "addresses", CLIENT_SOURCES_MAX);
			rc = -1;
		} else
			rc = client_source_add(r, addr, err, errlen);
	}
	free(list);
	return rc;
}

int
client_prepare(struct job *j, const struct args *a, char *err, size_t errlen)
{
	struct client	*r = j->priv;
	const char	*uerr;

	r->wall_offset = timerq_wall_offset();
	atomic_init(&r->tried, 0);
	if (args_uint(a, CLIENT_OPT_CONNECTIONS, 1, &r->connections, err,
	    errlen) == -1 || client_prepare_shape(j, a, err, errlen) == -1)
		return -1;
	if (ws_url_parse(a->pos[0], &r->parsed, &uerr) == -1) {
		snprintf(err, errlen, "bad URL '%s': %s", a->pos[0], uerr);
		return -1;
	}
	if (client_prepare_source(r, a, err, errlen) == -1 ||
	    client_prepare_tls(r, a, err, errlen) == -1)
		return -1;
	snprintf(r->url, sizeof(r->url), "%s", a->pos[0]);
	if (ws_url_host_header(&r->parsed, r->host, sizeof(r->host)) == -1) {
		snprintf(err, errlen, "bad URL '%s': host too long", a->pos[0]);
		return -1;
	}
	return client_prepare_handshake(r, a, err, errlen);
}

static int
client_resolve(struct client *r, char *err, size_t errlen)
{
	struct addrinfo	 hints, *res;
	char		 port[8];
	int		 rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = r->source_family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(port, sizeof(port), "%u", r->parsed.port);
	if ((rc = getaddrinfo(r->parsed.host, port, &hints, &res)) != 0) {
		snprintf(err, errlen, "cannot resolve '%s': %s",
		    r->parsed.host, gai_strerror(rc));
		return -1;
	}
	memcpy(&r->ss, res->ai_addr, res->ai_addrlen);
	r->sslen = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static void
client_slot_free(struct client_slot *s)
{
	LIST_REMOVE(s, entry);
	event_free(s->retry);
	if (s->hold != NULL)
		event_free(s->hold);
	job_unref(s->job);
	free(s);
}

static void
client_full_load_task(void *arg)
{
	struct job	*j = arg;

	job_full_load(j);
	job_unref(j);
}

/* The slot's first attempt ended, opened or failed; the last slot's to
 * end ends the ramp. */
static void
client_slot_tried(struct client_slot *s)
{
	struct client	*r = s->job->priv;

	if (s->tried)
		return;
	s->tried = 1;
	if (atomic_fetch_add(&r->tried, 1) + 1 != r->connections)
		return;
	job_ref(s->job);
	if (loop_post(loop_main(), client_full_load_task, s->job) == -1)
		fatalx("%s: cannot reach the main loop", __func__);
}

void
client_conn_open(struct conn *c)
{
	struct client_slot	*s = conn_priv(c);
	const struct client	*r = s->job->priv;

	client_slot_tried(s);
	s->head_len = 0;
	event_base_gettimeofday_cached(loop_base(s->loop), &s->opened);
	if (s->hold != NULL)
		loop_timer_add_ns(s->hold, r->hold_ns);
}

/* A server that drops every connection right after the upgrade must not
 * be hammered: only a connection that lasted resets the backoff. */
static void
client_backoff_update(struct client_slot *s)
{
	struct timeval	now;

	if (s->opened.tv_sec != 0) {
		event_base_gettimeofday_cached(loop_base(s->loop), &now);
		if (now.tv_sec - s->opened.tv_sec >= CLIENT_STABLE_SEC)
			s->failures = 0;
		timerclear(&s->opened);
	}
}

/* xorshift64*: quality enough to spread retries, seeded once per worker
 * so that workers, and daemons, draw different delays. */
static uint64_t
client_backoff_random(void)
{
	uint64_t	x = backoff_rng;

	if (x == 0) {
		if (getentropy(&x, sizeof(x)) == -1 || x == 0)
			x = (uint64_t)time(NULL) ^ (uintptr_t)&backoff_rng ^
			    ((uint64_t)getpid() << 32) ^ 1;
	}
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	backoff_rng = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/* Milliseconds before the next attempt; counts this failure. */
static long
client_backoff_ms(struct client_slot *s)
{
	long	ceil_ms = (long)CLIENT_BACKOFF_BASE_MS << s->failures;

	if (s->failures < CLIENT_BACKOFF_DOUBLINGS)
		s->failures++;
	if (ceil_ms > CLIENT_BACKOFF_MAX_MS)
		ceil_ms = CLIENT_BACKOFF_MAX_MS;
	return (long)(client_backoff_random() % (uint64_t)(ceil_ms + 1));
}

void
client_conn_closed(struct conn *c, int failed)
{
	struct client_slot	*s = conn_priv(c);
	struct timeval		 tv;
	long			 ms;

	(void)failed;
	client_slot_tried(s);
	s->conn = NULL;
	if (s->hold != NULL)
		event_del(s->hold);
	/* Inside conn_connect() the caller still holds the slot. */
	if (atomic_load(&s->job->stopping) && !s->connecting) {
		client_slot_free(s);
		return;
	}
	/* Closed by its hold: not a failure, so no backoff and no reconnect
	 * counted; the next opens from the hold's event, out of this
	 * connection's callbacks. */
	if (s->held) {
		s->held = 0;
		timerclear(&s->opened);
		event_active(s->hold, EV_TIMEOUT, 0);
		return;
	}
	client_backoff_update(s);
	ms = client_backoff_ms(s);
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(s->retry, &tv);
}

static void
client_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	struct client_slot	*s = arg;

	(void)fd;
	(void)what;
	counter_add(job_slot(s->job, s->loop), CTR_reconnects, 1);
	client_slot_connect(s);
}

/* The hold is over: close an open connection with 1000 (one closing
 * already is left to its close), or open the next one. */
static void
client_hold_cb(evutil_socket_t fd, short what, void *arg)
{
	struct client_slot	*s = arg;

	(void)fd;
	(void)what;
	if (s->conn == NULL)
		client_slot_connect(s);
	else if (conn_is_open(s->conn)) {
		s->held = 1;
		conn_close(s->conn, WS_CLOSE_NORMAL);
	}
}

static void
client_slot_connect(struct client_slot *s)
{
	struct client			*r = s->job->priv;
	const struct client_source	*src = s->source;

	/* A failure here has already run client_closed(), which set a retry. */
	s->connecting = 1;
	s->conn = conn_connect(s->job, s->loop, (struct sockaddr *)&r->ss,
	    r->sslen, src != NULL ? (const struct sockaddr *)&src->ss : NULL,
	    src != NULL ? src->len : 0, r->tls, &r->copts, r->ops, s);
	s->connecting = 0;
	if (s->conn == NULL && atomic_load(&s->job->stopping))
		client_slot_free(s);
}

/* On the worker that owns the new slot. */
static void
client_slot_start_task(void *arg)
{
	struct client_slot	*s = arg;
	const struct client	*r = s->job->priv;

	s->loop = loop_self();
	LIST_INSERT_HEAD(&slots_here, s, entry);
	s->retry = evtimer_new(loop_base(s->loop), client_retry_cb, s);
	if (s->retry == NULL || (r->hold_ns != 0 && (s->hold =
	    evtimer_new(loop_base(s->loop), client_hold_cb, s)) == NULL))
		fatalx("%s: out of memory", __func__);
	if (atomic_load(&s->job->stopping)) {
		client_slot_free(s);
		return;
	}
	client_slot_connect(s);
}

/* Posts the job's slots up to n in all to the workers. */
static void
client_post_slots(struct job *j, unsigned long n)
{
	struct client		*r = j->priv;
	struct client_slot	*s;

	for (; r->posted < n; r->posted++) {
		if ((s = calloc(1, sizeof(*s))) == NULL)
			fatal("%s: calloc", __func__);
		s->job = j;
		if (r->nsources != 0)
			s->source = &r->source[r->posted % r->nsources];
		job_ref(j);
		if (loop_post(job_next_worker(j), client_slot_start_task,
		    s) == -1)
			fatalx("%s: cannot reach a worker", __func__);
	}
}

/* Slot i is due i / C seconds after the ramp's start: each tick posts
 * those that came due, and the last tick ends the ramp.  The timer holds
 * no reference: client_job_stop() ends it before the job can go. */
static void
client_ramp_cb(evutil_socket_t fd, short what, void *arg)
{
	struct job	*j = arg;
	struct client	*r = j->priv;
	uint64_t	 t = timerq_now() - r->ramp_t0, due;

	(void)fd;
	(void)what;
	due = t / CLIENT_NS * r->connect_rate +
	    t % CLIENT_NS * r->connect_rate / CLIENT_NS + 1;
	client_post_slots(j, due < r->connections ? (unsigned long)due :
	    r->connections);
	if (r->posted == r->connections)
		event_del(r->ramp);
}

int
client_job_start(struct job *j, char *err, size_t errlen)
{
	struct client	*r = j->priv;
	struct timeval	 tick = { 0, CLIENT_RAMP_TICK_US };

	if (client_resolve(r, err, errlen) == -1)
		return -1;
	if (r->tls != NULL && tls_insecure(r->tls))
		log_warnx("job %s: --insecure: the server's certificate is "
		    "not verified", j->name);
	if (r->connect_rate == 0) {
		client_post_slots(j, r->connections);
		return 0;
	}
	r->ramp = event_new(loop_base(loop_main()), -1, EV_PERSIST,
	    client_ramp_cb, j);
	if (r->ramp == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	r->ramp_t0 = timerq_now();
	client_ramp_cb(-1, EV_TIMEOUT, j);
	if (r->posted < r->connections)
		evtimer_add(r->ramp, &tick);
	return 0;
}

/* Stopped or finished during the ramp: the slots not yet posted never
 * will be. */
void
client_job_stop(struct job *j)
{
	struct client	*r = j->priv;

	if (r->ramp != NULL)
		event_del(r->ramp);
}

void
client_job_worker_stop(struct job *j, struct loop *l)
{
	struct client_slot	*s, *next;

	(void)l;
	for (s = LIST_FIRST(&slots_here); s != NULL; s = next) {
		next = LIST_NEXT(s, entry);
		if (s->job != j)
			continue;
		if (s->conn != NULL)
			conn_close(s->conn, j->close_code);
		else
			client_slot_free(s);
	}
}

void
client_job_free(struct job *j)
{
	struct client	*r = j->priv;
	size_t		 i;

	for (i = 0; i < r->copts.nprotocols; i++)
		free(r->protocols[i]);
	for (i = 0; i < r->copts.nheaders; i++)
		free(r->headers[i]);
	free(r->origin);
	free(r->source_text);
	tls_free(r->tls);
	if (r->ramp != NULL)
		event_free(r->ramp);
}

/* Verification off (--insecure), the deflate offer, --source. */
void
client_job_settings(const struct job *j,
    void (*show)(void *, const char *, const char *), void *arg)
{
	const struct client	*r = j->priv;
	char			 offer[256];

	if (r->tls != NULL && tls_insecure(r->tls))
		show(arg, "tls_verify", "OFF (--insecure)");
	if (r->copts.deflate.on && ws_deflate_format(offer, sizeof(offer),
	    &r->copts.deflate) > 0)
		show(arg, "deflate_offer", offer);
	if (r->source_text != NULL)
		show(arg, "source", r->source_text);
}

const char *
client_job_target(const struct job *j)
{
	const struct client	*r = j->priv;

	return r->url;
}


/*
 * A stamp whole in the first piece of a message, as it nearly always is,
 * is read in place; one split over pieces is gathered in the slot first.
 */
void
client_conn_data(struct conn *c, int opcode, const uint8_t *p, size_t n)
{
	struct client_slot	*s = conn_priv(c);
	size_t			 take = STAMP_LEN - s->head_len;
	uint64_t		 seq;	/* read to check the stamp, not kept */

	(void)opcode;
	if (take == 0)
		return;
	if (take == STAMP_LEN && n >= STAMP_LEN) {
		s->head_len = STAMP_LEN;
		s->stamped = stamp_read(p, n, &seq, &s->due) == 0;
		return;
	}
	if (take > n)
		take = n;
	memcpy(s->head + s->head_len, p, take);
	if ((s->head_len += take) == STAMP_LEN)
		s->stamped = stamp_read(s->head, STAMP_LEN, &seq,
		    &s->due) == 0;
}

static void
client_conn_time(struct conn *c, uint64_t due)
{
	struct client_slot	*s = conn_priv(c);
	const struct client	*cl = s->job->priv;
	uint64_t		 now = conn_read_ns(c) + cl->wall_offset;

	hdr_record(&conn_slot(c)->latency, now > due ? now - due : 0);
}

void
client_conn_timed_message(struct conn *c, int opcode, uint64_t len)
{
	struct client_slot	*s = conn_priv(c);
	int			 stamped = s->head_len == STAMP_LEN && s->stamped;

	(void)opcode;
	(void)len;
	s->head_len = 0;
	if (stamped)
		client_conn_time(c, s->due);
	else
		counter_add(conn_slot(c), CTR_messages_unstamped, 1);
}

void
client_conn_timed_whole(struct conn *c, int opcode, const uint8_t *p,
    uint64_t len)
{
	uint64_t	seq, due;

	(void)opcode;
	if (stamp_read(p, len, &seq, &due) == 0)
		client_conn_time(c, due);
	else
		counter_add(conn_slot(c), CTR_messages_unstamped, 1);
}
