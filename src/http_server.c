/* SPDX-License-Identifier: ISC */
/*
 * The HTTP server: its socket, its routes, and the gzip of /metrics.  The
 * pages themselves are made elsewhere (metrics.c, http_status.c).
 */
#include "config.h"

#include <sys/socket.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <microhttpd.h>
#include <zlib.h>

#include "http_latency.h"
#include "http_series.h"
#include "http_server.h"
#include "http_status.h"
#include "log.h"
#include "metrics.h"
#include "metrics_process.h"
#include "sockaddr.h"
#include "ws_http_lex.h"

#define HTTP_SERVER_PAUSE_MS	100	/* between accepts that fail */

static struct MHD_Daemon	*http_server_daemon;
/* accept() fails, logged once; quiet until it works.  Only libmicrohttpd's
 * one thread, which calls both the logger and the accept policy, uses it. */
static int			 http_server_failing;

static enum MHD_Result
http_server_reply(struct MHD_Connection *conn, unsigned int status,
    const char *type, const char *encoding, void *body, size_t len)
{
	struct MHD_Response	*resp;
	enum MHD_Result		 rc;

	resp = MHD_create_response_from_buffer(len, body,
	    MHD_RESPMEM_MUST_FREE);
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

static enum MHD_Result
http_server_text(struct MHD_Connection *conn, unsigned int status,
    const char *text)
{
	char	*body = strdup(text);

	if (body == NULL)
		return MHD_NO;
	return http_server_reply(conn, status, "text/plain", NULL, body,
	    strlen(body));
}

/*
 * Whether a qvalue (RFC 7231 section 5.3.1: "0" to "1" with up to three
 * decimals) is above 0.  A malformed one counts as 0: the plain page is
 * never wrong.
 */
static int
http_server_q_positive(const char *v)
{
	size_t	n = strlen(v), i;
	int	positive = v[0] == '1';

	if (n > 5 || (v[0] != '0' && v[0] != '1') || (n > 1 && v[1] != '.'))
		return 0;
	for (i = 2; i < n; i++) {
		if (v[i] < '0' || v[i] > '9' || (positive && v[i] != '0'))
			return 0;
		positive |= v[i] != '0';
	}
	return positive;
}

/* One element of Accept-Encoding: notes whether gzip, or "*", may be used
 * (1) or not (0). */
static void
http_server_coding(struct ws_lex *l, int *gzip, int *any)
{
	char		 buf[8];
	const char	*t, *name, *value;
	size_t		 n, nlen;
	int		 q = 1, rc;

	if (ws_lex_token(l, &t, &n) == -1)
		return;
	while ((rc = ws_lex_param(l, &name, &nlen, buf, sizeof(buf),
	    &value)) == 1)
		if (ws_lex_ieq(name, nlen, "q"))
			q = value != NULL && http_server_q_positive(value);
	if (rc == -1 || !ws_lex_element_end(l))
		return;
	if (ws_lex_ieq(t, n, "gzip") || ws_lex_ieq(t, n, "x-gzip"))
		*gzip = q;
	else if (ws_lex_ieq(t, n, "*"))
		*any = q;
}

/*
 * Whether the scraper takes gzip (RFC 7231 section 5.3.4): gzip listed
 * with a q above 0, or not listed and "*" so.  "gzip;q=0" refuses it.
 */
static int
http_server_wants_gzip(struct MHD_Connection *conn)
{
	struct ws_lex	 l;
	const char	*ae;
	int		 gzip = -1, any = 0;

	ae = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_ACCEPT_ENCODING);
	if (ae == NULL)
		return 0;
	ws_lex_init(&l, ae, strlen(ae));
	do
		http_server_coding(&l, &gzip, &any);
	while (ws_lex_next(&l));
	return gzip != -1 ? gzip : any;
}

/* body[0..*len) gzipped into a new buffer; NULL on failure. */
static char *
http_server_gzip(const char *body, size_t *len)
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
http_server_metrics(struct MHD_Connection *conn)
{
	struct evbuffer	*b;
	size_t		 len;
	char		*body, *gz;

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
	if (http_server_wants_gzip(conn) &&
	    (gz = http_server_gzip(body, &len)) != NULL) {
		free(body);
		return http_server_reply(conn, MHD_HTTP_OK,
		    METRICS_CONTENT_TYPE, "gzip", gz, len);
	}
	return http_server_reply(conn, MHD_HTTP_OK, METRICS_CONTENT_TYPE,
	    NULL, body, len);
}

/* What GET and HEAD are answered with, by path. */
static const struct {
	const char	*path;
	enum MHD_Result	(*get)(struct MHD_Connection *);
} http_server_routes[] = {
	{ "/metrics", http_server_metrics },
	{ "/", http_status_page },
	{ "/api/stats", http_status_stats },
	{ "/api/latency", http_latency },
	{ "/api/series", http_series },
};

static enum MHD_Result
http_server_handler(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	size_t	i;

	(void)cls;
	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	(void)con_cls;
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return http_server_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
		    "method not allowed\n");
	for (i = 0; i < sizeof(http_server_routes) /
	    sizeof(http_server_routes[0]); i++)
		if (strcmp(url, http_server_routes[i].path) == 0)
			return http_server_routes[i].get(conn);
	return http_server_text(conn, MHD_HTTP_NOT_FOUND,
	    "not found: try /metrics, / or /api/stats\n");
}

/*
 * What libmicrohttpd says about a failed accept(): out of descriptors, it
 * retries at once and says so again, in a loop (about 10 MB of log a
 * second).  Said once, then quiet until an accept works; and the retries
 * are paused, as the WebSocket listeners pause theirs (listener.c).
 */
static int
http_server_accept_failed(const char *fmt)
{
	static const char	*const prefixes[] = {
		"Error accepting connection",
		"Hit process or system resource limit",
	};
	size_t			 i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(fmt, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	return 0;
}

static void
http_server_log(void *cls, const char *fmt, va_list ap)
{
	static const struct timespec	 pause = {
		0, HTTP_SERVER_PAUSE_MS * 1000000L
	};
	char				 msg[256];
	size_t				 n;
	int				 failed = http_server_accept_failed(fmt);

	(void)cls;
	if (!failed || !http_server_failing) {
		vsnprintf(msg, sizeof(msg), fmt, ap);
		if ((n = strlen(msg)) > 0 && msg[n - 1] == '\n')
			msg[n - 1] = '\0';
		log_warnx("metrics: %s%s", msg, failed ? "; pausing" : "");
	}
	if (failed) {
		http_server_failing = 1;
		nanosleep(&pause, NULL);
	}
}

/* Called on every accept that worked: the end of a failing spell. */
static enum MHD_Result
http_server_accepted(void *cls, const struct sockaddr *sa, socklen_t salen)
{
	(void)cls;
	(void)sa;
	(void)salen;
	if (http_server_failing) {
		log_info("metrics: accepting again");
		http_server_failing = 0;
	}
	return MHD_YES;
}

/* Binding here rather than in libmicrohttpd gives errors their errno. */
static int
http_server_listen(const char *addr)
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
http_server_start(const char *addr)
{
	int	fd;

	/* The uptime the pages show counts from here. */
	metrics_process_init();
	if ((fd = http_server_listen(addr)) == -1)
		return -1;
	/* Auto picks epoll: select() would refuse every descriptor past
	 * FD_SETSIZE, and a daemon holding thousands of connections has
	 * nothing lower left. */
	http_server_daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_AUTO | MHD_USE_ERROR_LOG, 0, http_server_accepted, NULL,
	    http_server_handler, NULL,
	    /* First, or the options before it log to stderr. */
	    MHD_OPTION_EXTERNAL_LOGGER, http_server_log, NULL,
	    MHD_OPTION_LISTEN_SOCKET, fd,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)10,
	    MHD_OPTION_END);
	if (http_server_daemon == NULL) {
		log_warnx("cannot start the metrics server on %s", addr);
		close(fd);
		return -1;
	}
	return 0;
}

void
http_server_stop(void)
{
	if (http_server_daemon != NULL) {
		MHD_stop_daemon(http_server_daemon);
		http_server_daemon = NULL;
	}
}
