#include "config.h"

#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <microhttpd.h>
#include <zlib.h>

#include "counters.h"
#include "job.h"
#include "log.h"
#include "metrics.h"
#include "metrics_process.h"
#include "sockaddr.h"

#define METRICS_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

static struct MHD_Daemon	*metrics_daemon;

/* A label value: backslash, double quote and newline escaped. */
static void
metrics_label(struct evbuffer *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			evbuffer_add_printf(b, "\\%c", *s);
		else if (*s == '\n')
			evbuffer_add_printf(b, "\\n");
		else
			evbuffer_add(b, s, 1);
	}
}

/* What each job is, for joins in PromQL: its target is a label here only,
 * not on every counter. */
static void
metrics_job_info(struct evbuffer *b)
{
	struct job	*j;

	metrics_family(b, "wsbench_job_info", "gauge",
	    "Always 1, labelled with what the job is.");
	TAILQ_FOREACH(j, job_list(), entry) {
		evbuffer_add_printf(b, "wsbench_job_info{name=\"%s\",kind=\"%s\","
		    "target=\"", j->name, j->kind->name);
		metrics_label(b, j->kind->target(j));
		evbuffer_add_printf(b, "\"} 1\n");
	}
}

/*
 * Counters sharing a family come one after another in COUNTERS, so HELP and
 * TYPE go out when the family changes.  Job names are restricted to
 * [A-Za-z0-9_.-], so labels need no escaping.
 */
static void
metrics_render(struct evbuffer *b)
{
	const struct counter_info	*ci;
	const char			*family = "";
	struct job			*j;
	int				 c;

	job_list_lock();
	metrics_job_info(b);
	for (c = 0; c < CTR_COUNT; c++) {
		ci = &counter_info[c];
		if (ci->metric == NULL)
			continue;
		if (strcmp(ci->metric, family) != 0)
			metrics_family(b, ci->metric, ci->type, ci->help);
		family = ci->metric;
		TAILQ_FOREACH(j, job_list(), entry)
			evbuffer_add_printf(b, "%s{name=\"%s\",kind=\"%s\"%s%s%s} "
			    "%llu\n", ci->metric, j->name, j->kind->name,
			    ci->reason != NULL ? ",reason=\"" : "",
			    ci->reason != NULL ? ci->reason : "",
			    ci->reason != NULL ? "\"" : "",
			    (unsigned long long)job_total(j, c));
	}
	job_list_unlock();
	metrics_process_render(b);
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
	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
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
	if (strcmp(url, "/metrics") != 0)
		return metrics_text(conn, MHD_HTTP_NOT_FOUND,
		    "not found: try /metrics\n");
	if ((b = evbuffer_new()) == NULL)
		return MHD_NO;
	metrics_render(b);
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
