/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <microhttpd.h>
#include <zlib.h>

#include "counters.h"
#include "http_status.h"
#include "job.h"
#include "log.h"
#include "loop.h"
#include "metrics.h"
#include "metrics_process.h"
#include "sockaddr.h"

#define METRICS_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

static struct MHD_Daemon	*metrics_daemon;

/* What /metrics shows of a job, taken in one pass over its slots. */
struct metrics_job {
	char			 labels[JOB_NAME_MAX + 32];	/* name=..,kind=.. */
	size_t			 labels_len;
	struct counter_totals	 t;
};

/* One sample line, put together before it goes out in one piece. */
struct metrics_line {
	char	buf[256];
	size_t	len;
};

static void
metrics_put(struct metrics_line *l, const char *s, size_t n)
{
	if (n > sizeof(l->buf) - l->len)
		fatalx("%s: a sample line of over %zu bytes", __func__,
		    sizeof(l->buf));
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

static void
metrics_puts(struct metrics_line *l, const char *s)
{
	metrics_put(l, s, strlen(s));
}

/* v in decimal, with leading zeros up to width digits (at most 20). */
static void
metrics_put_u64(struct metrics_line *l, uint64_t v, size_t width)
{
	char	digits[20];
	size_t	n = sizeof(digits);

	do {
		digits[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0 || sizeof(digits) - n < width);
	metrics_put(l, digits + n, sizeof(digits) - n);
}

/* "family{name="..",kind=".."extra} " then the value is the caller's. */
static void
metrics_start_line(struct metrics_line *l, const char *family,
    const struct metrics_job *mj, const char *extra)
{
	l->len = 0;
	metrics_puts(l, family);
	metrics_put(l, "{", 1);
	metrics_put(l, mj->labels, mj->labels_len);
	if (extra != NULL)
		metrics_puts(l, extra);
	metrics_put(l, "} ", 2);
}

static void
metrics_end_line(struct evbuffer *b, struct metrics_line *l)
{
	metrics_put(l, "\n", 1);
	evbuffer_add(b, l->buf, l->len);
}

static void
metrics_sample(struct evbuffer *b, const char *family,
    const struct metrics_job *mj, const char *extra, uint64_t v)
{
	struct metrics_line	l;

	metrics_start_line(&l, family, mj, extra);
	metrics_put_u64(&l, v, 1);
	metrics_end_line(b, &l);
}

/* A label value: backslash, double quote and newline escaped. */
static void
metrics_label(struct evbuffer *b, const char *s)
{
	size_t	n;

	while (*s != '\0') {
		n = strcspn(s, "\\\"\n");
		evbuffer_add(b, s, n);
		s += n;
		if (*s == '\0')
			break;
		evbuffer_add(b, *s == '\n' ? "\\n" : *s == '"' ? "\\\"" :
		    "\\\\", 2);
		s++;
	}
}

/* What a job is, for joins in PromQL: where a server listens or the URL a
 * client connects to is a label here only, not on every counter. */
static void
metrics_job_info(struct evbuffer *b, const struct job *j,
    const struct metrics_job *mj)
{
	evbuffer_add_printf(b, "wsbench_job_info{%s,%s=\"", mj->labels,
	    j->kind->target_label);
	metrics_label(b, j->kind->target(j));
	evbuffer_add_printf(b, "\"} 1\n");
}

/*
 * Takes every job's totals at once, so that the families of one page agree
 * (a handshake counted in the histogram is in connections_opened too).  Job
 * names are restricted to [A-Za-z0-9_.-]: their labels need no escaping.
 * The list lock keeps jobs from going away meanwhile; workers never take
 * it.  Returns the number of jobs in *mjp, or -1.
 */
static int
metrics_snapshot(struct evbuffer *b, struct metrics_job **mjp)
{
	struct metrics_job	*mj;
	struct job		*j;
	int			 n = 0, len;

	metrics_family(b, "wsbench_job_info", "gauge",
	    "Always 1, labelled with what the job is.");
	job_list_lock();
	TAILQ_FOREACH(j, job_list(), entry)
		n++;
	if ((*mjp = calloc(n > 0 ? (size_t)n : 1, sizeof(**mjp))) == NULL) {
		job_list_unlock();
		log_warn("%s: calloc", __func__);
		return -1;
	}
	mj = *mjp;
	TAILQ_FOREACH(j, job_list(), entry) {
		len = snprintf(mj->labels, sizeof(mj->labels),
		    "name=\"%s\",kind=\"%s\"", j->name, j->kind->name);
		mj->labels_len = (size_t)len;
		counter_totals(j->slots, loop_nworkers(), &mj->t);
		metrics_job_info(b, j, mj);
		mj++;
	}
	job_list_unlock();
	return n;
}

/* Counters sharing a family come one after another in COUNTERS, so HELP and
 * TYPE go out when the family changes. */
static void
metrics_counters(struct evbuffer *b, const struct metrics_job *mj, int n)
{
	const struct counter_info	*ci;
	const char			*family = "";
	char				 reason[64];
	int				 c, i;

	for (c = 0; c < CTR_COUNT; c++) {
		ci = &counter_info[c];
		if (ci->metric == NULL)
			continue;
		if (strcmp(ci->metric, family) != 0)
			metrics_family(b, ci->metric, ci->type, ci->help);
		family = ci->metric;
		if (ci->reason != NULL)
			snprintf(reason, sizeof(reason), ",reason=\"%s\"",
			    ci->reason);
		for (i = 0; i < n; i++)
			metrics_sample(b, ci->metric, &mj[i],
			    ci->reason != NULL ? reason : NULL, mj[i].t.v[c]);
	}
}

/* Every code of the bounded set, zeros included: a series that appears
 * only at its first close would hide that close from rate(). */
static void
metrics_closes(struct evbuffer *b, const struct metrics_job *mj, int n)
{
	char	code[CLOSE_COUNT][32];
	int	c, i;

	metrics_family(b, "wsbench_closes_total", "counter",
	    "Close frames received from peers, by close code.");
	for (c = 0; c < CLOSE_COUNT; c++)
		snprintf(code[c], sizeof(code[c]), ",code=\"%s\"",
		    close_label[c]);
	for (i = 0; i < n; i++)
		for (c = 0; c < CLOSE_COUNT; c++)
			metrics_sample(b, "wsbench_closes_total", &mj[i],
			    code[c], mj[i].t.closes[c]);
}

static void
metrics_handshakes(struct evbuffer *b, const struct metrics_job *mj, int n)
{
	const struct histogram_sum	*h;
	struct metrics_line		 l;
	char				 le[HISTOGRAM_BUCKETS][32];
	uint64_t			 cum;
	int				 k, i;

	metrics_family(b, "wsbench_handshake_duration_seconds", "histogram",
	    "Opening handshakes that succeeded, by duration: from the "
	    "connect or accept to the 101 checked or sent.");
	for (k = 0; k < HISTOGRAM_BUCKETS; k++)
		snprintf(le[k], sizeof(le[k]), ",le=\"%s\"", histogram_le[k]);
	for (i = 0; i < n; i++) {
		h = &mj[i].t.handshake;
		cum = 0;
		for (k = 0; k < HISTOGRAM_BUCKETS; k++) {
			cum += h->bucket[k];
			metrics_sample(b, "wsbench_handshake_duration_seconds"
			    "_bucket", &mj[i], le[k], cum);
		}
		metrics_start_line(&l, "wsbench_handshake_duration_seconds_sum",
		    &mj[i], NULL);
		metrics_put_u64(&l, h->sum_us / 1000000, 1);
		metrics_put(&l, ".", 1);
		metrics_put_u64(&l, h->sum_us % 1000000, 6);
		metrics_end_line(b, &l);
		metrics_sample(b, "wsbench_handshake_duration_seconds_count",
		    &mj[i], NULL, cum);
	}
}

static int
metrics_render(struct evbuffer *b)
{
	struct metrics_job	*mj;
	int			 n;

	if ((n = metrics_snapshot(b, &mj)) == -1)
		return -1;
	metrics_counters(b, mj, n);
	metrics_closes(b, mj, n);
	metrics_handshakes(b, mj, n);
	free(mj);
	metrics_process_render(b);
	return 0;
}

static enum MHD_Result
metrics_reply(struct MHD_Connection *conn, unsigned int status,
    const char *type, const char *encoding, void *body, size_t len)
{
	struct MHD_Response	*resp;
	enum MHD_Result		 rc;

	resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (encoding != NULL)
		MHD_add_response_header(resp,
		    MHD_HTTP_HEADER_CONTENT_ENCODING, encoding);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY,
	    MHD_HTTP_HEADER_ACCEPT_ENCODING);
	rc = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return rc;
}

/* Whether the scraper takes gzip: a "gzip" token in Accept-Encoding. */
static int
metrics_wants_gzip(struct MHD_Connection *conn)
{
	const char	*ae;

	ae = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_ACCEPT_ENCODING);
	return ae != NULL && strstr(ae, "gzip") != NULL &&
	    strstr(ae, "gzip;q=0") == NULL;
}

/* body[0..*len) gzipped into a new buffer; NULL on failure. */
static char *
metrics_gzip(const char *body, size_t *len)
{
	z_stream	 z;
	char		*out;
	size_t		 cap = deflateBound(NULL, (uLong)*len) + 32;

	memset(&z, 0, sizeof(z));
	if ((out = malloc(cap)) == NULL)
		return NULL;
	/* The page repeats itself line after line: the fastest level shrinks
	 * it over tenfold already, in a third of the default level's time. */
	if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK) {
		free(out);
		return NULL;
	}
	z.next_in = (Bytef *)(uintptr_t)body;
	z.avail_in = (uInt)*len;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&z);
		free(out);
		return NULL;
	}
	*len = z.total_out;
	deflateEnd(&z);
	return out;
}

static enum MHD_Result
metrics_text(struct MHD_Connection *conn, unsigned int status,
    const char *text)
{
	char	*body = strdup(text);

	if (body == NULL)
		return MHD_NO;
	return metrics_reply(conn, status, "text/plain", NULL, body,
	    strlen(body));
}

static enum MHD_Result
metrics_handler(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct evbuffer	*b;
	size_t		 len;
	char		*body, *gz;

	(void)cls;
	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	(void)con_cls;
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return metrics_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
		    "method not allowed\n");
	if (strcmp(url, "/") == 0)
		return http_status_page(conn);
	if (strcmp(url, "/api/stats") == 0)
		return http_status_stats(conn);
	if (strcmp(url, "/metrics") != 0)
		return metrics_text(conn, MHD_HTTP_NOT_FOUND,
		    "not found: try /metrics, / or /api/stats\n");
	if ((b = evbuffer_new()) == NULL)
		return MHD_NO;
	if (metrics_render(b) == -1) {
		evbuffer_free(b);
		return MHD_NO;
	}
	len = evbuffer_get_length(b);
	if ((body = malloc(len + 1)) == NULL) {
		evbuffer_free(b);
		return MHD_NO;
	}
	evbuffer_remove(b, body, len);
	evbuffer_free(b);
	if (metrics_wants_gzip(conn) &&
	    (gz = metrics_gzip(body, &len)) != NULL) {
		free(body);
		return metrics_reply(conn, MHD_HTTP_OK, METRICS_CONTENT_TYPE,
		    "gzip", gz, len);
	}
	return metrics_reply(conn, MHD_HTTP_OK, METRICS_CONTENT_TYPE, NULL,
	    body, len);
}

/* Binding here rather than in libmicrohttpd gives errors their errno. */
static int
metrics_listen(const char *addr)
{
	struct sockaddr_storage	ss;
	socklen_t		sslen;
	int			fd, on = 1;

	if (sockaddr_parse_hostport(addr, &ss, &sslen) == -1) {
		log_warnx("bad metrics address '%s' (use ADDR:PORT)", addr);
		return -1;
	}
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		log_warn("metrics: socket");
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    bind(fd, (struct sockaddr *)&ss, sslen) == -1 ||
	    listen(fd, 64) == -1) {
		log_warn("cannot serve metrics on %s", addr);
		close(fd);
		return -1;
	}
	return fd;
}

int
metrics_start(const char *addr)
{
	int	fd;

	metrics_process_init();
	if ((fd = metrics_listen(addr)) == -1)
		return -1;
	/* Auto picks epoll: select() would refuse every descriptor past
	 * FD_SETSIZE, and a daemon holding thousands of connections has
	 * nothing lower left. */
	metrics_daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_AUTO | MHD_USE_ERROR_LOG, 0, NULL, NULL, metrics_handler,
	    NULL,
	    MHD_OPTION_LISTEN_SOCKET, fd,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)10,
	    MHD_OPTION_END);
	if (metrics_daemon == NULL) {
		log_warnx("cannot start the metrics server on %s", addr);
		close(fd);
		return -1;
	}
	return 0;
}

void
metrics_stop(void)
{
	if (metrics_daemon != NULL) {
		MHD_stop_daemon(metrics_daemon);
		metrics_daemon = NULL;
	}
}
