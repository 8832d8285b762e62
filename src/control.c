/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "cmd.h"
#include "cmd_parse.h"
#include "control.h"
#include "control_auth.h"
#include "control_protocol.h"
#include "job.h"
#include "listener.h"
#include "log.h"
#include "loop.h"
#include "metrics_process.h"
#include "paths.h"
#include "settings.h"

#define CONTROL_IDLE_TIMEOUT	10	/* seconds to send the request */
#define CONTROL_LINGER		5	/* seconds for the client to hang up */
/* Bytes of earlier ticks a watcher may leave unsent before ticks are
 * skipped for it: a few ticks of a large table. */
#define CONTROL_WATCH_BACKLOG	(64 * 1024)

struct control_client {
	LIST_ENTRY(control_client) entry;
	struct bufferevent	*bev;
	int			 watching;
	char			*watch_name;	/* NULL: all jobs */
	int			 watch_table;	/* records, not a line */
	int			 closing;
	int			 readonly;	/* in the read group only */
	/* A CMD_BODY request's line while its body comes. */
	char			*request;
	struct evbuffer		*body;
	unsigned int		 body_lines;
	/* A command that replies later (wait, run), and whether the client
	 * half-closed meanwhile. */
	const struct cmd_pending_ops *pending;
	void			*pending_arg;
	struct event		*pending_due;	/* when it gives up */
	int			 eof;
};

static LIST_HEAD(, control_client) clients = LIST_HEAD_INITIALIZER(clients);
static struct listener		*control_lev;
static char			*control_path;

static void
control_client_free(struct control_client *cc)
{
	LIST_REMOVE(cc, entry);
	/* A pending run lets go of its jobs even when its client vanished. */
	if (cc->pending != NULL)
		cc->pending->free(cc->pending_arg);
	if (cc->pending_due != NULL)
		event_free(cc->pending_due);
	bufferevent_free(cc->bev);
	free(cc->watch_name);
	free(cc->request);
	if (cc->body != NULL)
		evbuffer_free(cc->body);
	free(cc);
}

/* Ends the reply with its status line, '.' for 0, '!' for 1, '#N' for
 * others, and hangs up once it is written. */
static void
control_end(struct control_client *cc, int status, const char *text)
{
	struct evbuffer	*out = bufferevent_get_output(cc->bev);

	if (status == 0)
		evbuffer_add_printf(out, "%c\n", CONTROL_TAG_OK);
	else if (status == 1)
		evbuffer_add_printf(out, "%c%s\n", CONTROL_TAG_ERROR, text);
	else
		evbuffer_add_printf(out, "%c%d %s\n", CONTROL_TAG_EXIT, status,
		    text);
	cc->closing = 1;
}

static void
control_finish(struct control_client *cc, const char *err)
{
	control_end(cc, err != NULL, err);
}

/* Lines of a command become lines of the reply tagged tag. */
static void
control_send_tagged(struct control_client *cc, struct evbuffer *lines,
    char tag)
{
	struct evbuffer	*out = bufferevent_get_output(cc->bev);
	char		*line;
	size_t		 len;

	while ((line = evbuffer_readln(lines, &len, EVBUFFER_EOL_LF)) != NULL) {
		evbuffer_add_printf(out, "%c%s\n", tag, line);
		free(line);
	}
}

static void
control_send_lines(struct control_client *cc, struct evbuffer *lines)
{
	control_send_tagged(cc, lines, CONTROL_TAG_OUTPUT);
}

/* Asks a pending command whether it is done; replies when it is. */
static void
control_pending_poll(struct control_client *cc)
{
	struct cmd_done	done;

	memset(&done, 0, sizeof(done));
	if ((done.out = evbuffer_new()) == NULL ||
	    (done.series = evbuffer_new()) == NULL) {
		log_warn("%s: evbuffer_new", __func__);
		goto out;
	}
	if (cc->pending->poll(cc->pending_arg, &done) == 0)
		goto out;
	control_send_lines(cc, done.out);
	control_send_tagged(cc, done.series, CONTROL_TAG_SERIES);
	metrics_count_request(done.status == 0);
	cc->pending->free(cc->pending_arg);
	cc->pending = NULL;
	control_end(cc, done.status, done.err);
out:
	if (done.out != NULL)
		evbuffer_free(done.out);
	if (done.series != NULL)
		evbuffer_free(done.series);
}

static void	control_pending_due(evutil_socket_t, short, void *);

/* Polls the pending command again when it will give up by itself; the
 * next second's tick does if the timer cannot be had. */
static void
control_pending_arm(struct control_client *cc)
{
	uint64_t	ns;

	if (cc->pending == NULL ||
	    (ns = cc->pending->left(cc->pending_arg)) == 0)
		return;
	if (cc->pending_due == NULL && (cc->pending_due =
	    evtimer_new(loop_base(loop_main()), control_pending_due, cc)) ==
	    NULL) {
		log_warn("%s: evtimer_new", __func__);
		return;
	}
	loop_timer_add_ns(cc->pending_due, ns);
}

/* A timer may fire early: polled, the command says how long is left. */
static void
control_pending_due(evutil_socket_t fd, short what, void *arg)
{
	struct control_client	*cc = arg;

	(void)fd;
	(void)what;
	if (cc->pending == NULL || cc->closing)
		return;
	control_pending_poll(cc);
	control_pending_arm(cc);
}

/* Polls every pending command: after a job finished or left. */
static void
control_jobs_changed(void)
{
	struct control_client	*cc;

	LIST_FOREACH(cc, &clients, entry)
		if (cc->pending != NULL && !cc->closing)
			control_pending_poll(cc);
}

/* Makes the client a watcher of job name (NULL: all jobs), sent the
 * table's records rather than a line when table is set. */
static int
control_watch(struct control_client *cc, const char *name, int table)
{
	if (name != NULL && (cc->watch_name = strdup(name)) == NULL)
		return -1;
	cc->watching = 1;
	cc->watch_table = table;
	/* A watcher only listens; EOF still tells when it hangs up. */
	bufferevent_set_timeouts(cc->bev, NULL, NULL);
	return 0;
}

/* The client waits for a command that replies later; its half-close
 * still tells when it gives up. */
static void
control_pend(struct control_client *cc, const struct cmd_ctx *ctx)
{
	cc->pending = ctx->pending.ops;
	cc->pending_arg = ctx->pending.arg;
	bufferevent_set_timeouts(cc->bev, NULL, NULL);
	control_pending_arm(cc);
}

static void
control_run(struct control_client *cc, const char *line, const char *body,
    size_t body_len)
{
	struct cmd_ctx	 ctx;
	const char	*err = NULL;
	char		**argv = NULL;
	int		 argc = 0;

	memset(&ctx, 0, sizeof(ctx));
	ctx.client = cc;
	ctx.readonly = cc->readonly;
	ctx.body = body;
	ctx.body_len = body_len;
	if ((ctx.out = evbuffer_new()) == NULL) {
		control_finish(cc, "out of memory");
		return;
	}
	if (cmd_parse_line(line, &argc, &argv, &err) == -1)
		snprintf(ctx.err, sizeof(ctx.err), "%s", err);
	else if (argc == 0)
		snprintf(ctx.err, sizeof(ctx.err), "empty request");
	else if (cmd_exec(&ctx, argc, argv) == 0)
		ctx.err[0] = '\0';
	if (ctx.err[0] == '\0' && ctx.watch.on && control_watch(cc,
	    ctx.watch.name, ctx.watch.table) == -1)
		snprintf(ctx.err, sizeof(ctx.err), "watch: out of memory");
	if (ctx.err[0] == '\0' && ctx.pending.ops != NULL)
		control_pend(cc, &ctx);
	else
		metrics_count_request(ctx.err[0] == '\0');
	control_send_lines(cc, ctx.out);
	evbuffer_free(ctx.out);
	cmd_free_argv(argc, argv);
	if (ctx.err[0] != '\0')
		control_end(cc, ctx.status > 1 ? ctx.status : 1, ctx.err);
	else if (cc->pending != NULL)
		control_pending_poll(cc);
	else if (!cc->watching)
		control_finish(cc, NULL);
}

/* Whether the request line names a command followed by a body. */
static int
control_wants_body(const char *line)
{
	const struct cmd_entry	*e;
	const char		*err;
	char			**argv;
	int			 argc, body;

	if (cmd_parse_line(line, &argc, &argv, &err) == -1)
		return 0;
	body = argc > 0 && (e = cmd_entry_find(argv[0])) != NULL &&
	    (e->flags & CMD_BODY);
	cmd_free_argv(argc, argv);
	return body;
}

/* A line of the body; its end runs the request. */
static void
control_body_line(struct control_client *cc, const char *line, size_t len)
{
	if (strcmp(line, CONTROL_BODY_END) == 0) {
		control_run(cc, cc->request,
		    (const char *)evbuffer_pullup(cc->body, -1),
		    evbuffer_get_length(cc->body));
		return;
	}
	if (++cc->body_lines > CONTROL_BODY_LINES ||
	    evbuffer_get_length(cc->body) + len + 1 > CONTROL_BODY_MAX)
		control_end(cc, 2, "request body over 1000 lines or 64 KiB");
	else if (!cmd_line_is_text(line, len))
		control_end(cc, 2, "request body is not text");
	else if (evbuffer_add(cc->body, line, len) == -1 ||
	    evbuffer_add(cc->body, "\n", 1) == -1)
		control_finish(cc, "out of memory");
}

/* The request line: run at once, or kept while its body comes. */
static void
control_request(struct control_client *cc, char *line, size_t len)
{
	if (len > CONTROL_REQUEST_MAX)
		control_finish(cc, "request too long");
	/* Binary means something else is talking to us. */
	else if (!cmd_line_is_text(line, len))
		control_finish(cc, "request is not text");
	/* The read group runs no command with a body: refused at once. */
	else if (cc->readonly || !control_wants_body(line))
		control_run(cc, line, NULL, 0);
	else if ((cc->body = evbuffer_new()) == NULL)
		control_finish(cc, "out of memory");
	else {
		cc->request = line;
		return;
	}
	free(line);
}

static void
control_read_cb(struct bufferevent *bev, void *arg)
{
	struct control_client	*cc = arg;
	struct evbuffer		*in = bufferevent_get_input(bev);
	char			*line;
	size_t			 len;

	while (!cc->watching && !cc->closing && cc->pending == NULL &&
	    (line = evbuffer_readln(in, &len, EVBUFFER_EOL_LF)) != NULL) {
		if (cc->request == NULL) {
			control_request(cc, line, len);
			continue;
		}
		control_body_line(cc, line, len);
		free(line);
	}
	if (cc->watching || cc->closing || cc->pending != NULL)
		evbuffer_drain(in, evbuffer_get_length(in));
	else if (evbuffer_get_length(in) > (cc->request == NULL ?
	    CONTROL_REQUEST_MAX : CONTROL_BODY_MAX))
		control_finish(cc, "request too long");
}

static void
control_write_cb(struct bufferevent *bev, void *arg)
{
	struct control_client	*cc = arg;
	struct timeval		 tv = { CONTROL_LINGER, 0 };

	/*
	 * The reply is out: say so, and let the client hang up first.
	 * Closing with its input unread would reset the connection, and a
	 * reset can take the reply down with it.  Reading goes on into the
	 * void meanwhile, for a few seconds at most.
	 */
	if (!cc->closing ||
	    evbuffer_get_length(bufferevent_get_output(bev)) != 0)
		return;
	/* A client that half-closed has nothing more to say. */
	if (cc->eof) {
		control_client_free(cc);
		return;
	}
	shutdown(bufferevent_getfd(bev), SHUT_WR);
	bufferevent_set_timeouts(bev, &tv, NULL);
}

static void
control_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct control_client	*cc = arg;

	(void)bev;
	/* Ctrl-C: wsbenchctl half-closes, and waits for the reply. */
	if ((what & BEV_EVENT_EOF) && !(what & BEV_EVENT_ERROR) &&
	    cc->pending != NULL && !cc->closing) {
		cc->eof = 1;
		cc->pending->interrupt(cc->pending_arg);
		control_pending_poll(cc);
		return;
	}
	if ((what & BEV_EVENT_TIMEOUT) && !(what & BEV_EVENT_EOF)) {
		if (!cc->watching && !cc->closing) {
			bufferevent_set_timeouts(cc->bev, NULL, NULL);
			control_finish(cc, "timed out waiting for a request");
			/* The timeout stopped reading: without it the
			 * client's hang-up would never be seen, and the
			 * connection never freed. */
			bufferevent_enable(cc->bev, EV_READ);
			return;
		}
	}
	control_client_free(cc);
}

static void
control_accept_cb(evutil_socket_t fd, void *arg)
{
	struct control_client	*cc;
	struct timeval		 tv = { CONTROL_IDLE_TIMEOUT, 0 };
	char			 why[128];

	(void)arg;
	if ((cc = calloc(1, sizeof(*cc))) == NULL ||
	    (cc->bev = bufferevent_socket_new(loop_base(loop_main()), fd,
	    BEV_OPT_CLOSE_ON_FREE)) == NULL) {
		log_warn("%s: out of memory", __func__);
		free(cc);
		evutil_closesocket(fd);
		return;
	}
	LIST_INSERT_HEAD(&clients, cc, entry);
	bufferevent_setcb(cc->bev, control_read_cb, control_write_cb,
	    control_event_cb, cc);
	bufferevent_set_timeouts(cc->bev, &tv, NULL);
	bufferevent_enable(cc->bev, EV_READ | EV_WRITE);
	switch (control_auth_check(fd, why, sizeof(why))) {
	case CONTROL_AUTH_FULL:
		break;
	case CONTROL_AUTH_READ:
		cc->readonly = 1;
		break;
	case CONTROL_AUTH_REFUSED:
		log_warnx("control: %s", why);
		metrics_count_request(0);
		control_finish(cc, why);
		break;
	}
}

void
control_tick(void)
{
	struct control_client	*cc;
	struct evbuffer		*lines = NULL;
	char			 err[128];

	control_jobs_changed();
	LIST_FOREACH(cc, &clients, entry) {
		if (!cc->watching || cc->closing)
			continue;
		/* A watcher that does not read skips ticks, so that what
		 * waits for it stays bounded; it gets the rates again once
		 * it reads. */
		if (evbuffer_get_length(bufferevent_get_output(cc->bev)) >
		    CONTROL_WATCH_BACKLOG)
			continue;
		if (lines == NULL && (lines = evbuffer_new()) == NULL) {
			log_warn("%s: evbuffer_new", __func__);
			return;
		}
		if (cmd_watch_lines(lines, cc->watch_name,
		    cc->watch_table) == -1) {
			snprintf(err, sizeof(err), "job '%s' is gone",
			    cc->watch_name);
			control_finish(cc, err);
			continue;
		}
		control_send_lines(cc, lines);
	}
	if (lines != NULL)
		evbuffer_free(lines);
}

/* True when a daemon answers on path. */
static int
control_in_use(const struct sockaddr_un *sun)
{
	int	fd, rc;

	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return 0;
	rc = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	close(fd);
	return rc == 0;
}

int
control_listen(const char *path)
{
	struct sockaddr_un	sun;
	struct stat		st;
	mode_t			old;

	if (paths_unix_addr(path, &sun) == -1) {
		log_warnx("control socket path too long: %s", path);
		return -1;
	}
	if (control_in_use(&sun)) {
		log_warnx("another wsbenchd is running on %s", path);
		return -1;
	}
	/* Only a stale socket is ours to replace, never another file. */
	if (lstat(path, &st) == 0 && !S_ISSOCK(st.st_mode)) {
		log_warnx("%s exists and is not a socket", path);
		return -1;
	}
	if (unlink(path) == -1 && errno != ENOENT) {
		log_warn("cannot remove stale %s", path);
		return -1;
	}
	/* Created with no access for others, so no one can connect before
	 * the mode and group are set. */
	old = umask(0077);
	control_lev = listener_new(loop_base(loop_main()),
	    (struct sockaddr *)&sun, sizeof(sun), 16, control_accept_cb, NULL,
	    "control socket");
	umask(old);
	if (control_lev == NULL) {
		log_warn("cannot listen on %s", path);
		return -1;
	}
	if ((control_path = strdup(path)) == NULL)
		fatal("%s: strdup", __func__);
	/* wait and run hear of a job finished or gone at once. */
	job_set_changed_cb(control_jobs_changed);
	return control_perms();
}

/* A read group must be able to connect; credentials then tell readers
 * from others.  Unless a mode is set, others get in for that. */
static mode_t
control_mode(void)
{
	mode_t	mode = (mode_t)settings_number(SET_CONTROL_MODE);

	if (settings_is_default(SET_CONTROL_MODE) &&
	    strcmp(settings_get(SET_CONTROL_READ_GROUP), "none") != 0)
		mode |= 0006;
	return mode;
}

int
control_perms(void)
{
	const char	*group = settings_get(SET_CONTROL_GROUP);
	struct group	*gr;

	if (control_path == NULL)
		return 0;
	if (group != NULL) {
		if ((gr = getgrnam(group)) == NULL) {
			log_warnx("control socket: no group '%s'", group);
			return -1;
		}
		if (chown(control_path, (uid_t)-1, gr->gr_gid) == -1) {
			log_warn("cannot give %s to group %s", control_path,
			    group);
			return -1;
		}
	}
	if (chmod(control_path, control_mode()) == -1) {
		log_warn("cannot set the mode of %s", control_path);
		return -1;
	}
	return 0;
}

void
control_shutdown(void)
{
	while (!LIST_EMPTY(&clients))
		control_client_free(LIST_FIRST(&clients));
	if (control_lev != NULL) {
		listener_free(control_lev);
		control_lev = NULL;
	}
	if (control_path != NULL) {
		unlink(control_path);
		free(control_path);
		control_path = NULL;
	}
}
