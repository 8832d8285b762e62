/* SPDX-License-Identifier: ISC */
/*
 * wsbenchctl: forwards its command line to wsbenchd's control socket and
 * prints the reply.  It knows no command itself: the daemon parses and runs
 * the line with the same parser and table as the config file.  `run`
 * sends its file after the line; `wait` and `run` reply when their jobs
 * finish, and Ctrl-C meanwhile half-closes the socket to interrupt them.
 */

#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd_parse.h"
#include "control_protocol.h"
#include "ctl.h"
#include "ctl_host.h"
#include "ctl_relay.h"
#include "paths.h"
#include "watch_table.h"

/* The commands are the daemon's: `wsbenchctl help` lists them. */
static void
usage(FILE *f)
{
	fprintf(f, "usage: wsbenchctl [-hjV] [-H hosts] [-o file] [-s socket] "
	    "command [argument ...] (commands: wsbenchctl help)\n"
	    "       wsbenchctl -R [-s socket]\n");
}

static int
ctl_connect(const char *path)
{
	struct sockaddr_un	sun;
	int			fd;

	if (paths_unix_addr(path, &sun) == -1) {
		fprintf(stderr, "wsbenchctl: socket path too long: %s\n", path);
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		fprintf(stderr, "wsbenchctl: socket: %s\n", strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		fprintf(stderr, "wsbenchctl: cannot connect to %s: %s "
		    "(is wsbenchd running?)\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Writes it all; -1 with errno set. */
static int
ctl_write(int fd, const char *buf, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* run FILE: the file's lines, each as it is, then the end line; within
 * the bounds the daemon takes, and with no line the end line's twin.
 * Read before connecting, so a bad file costs the daemon nothing. */
static char *
ctl_body(const char *path, size_t *lenp)
{
	FILE	*f;
	char	*body = NULL, *line = NULL;
	size_t	 len = 0, cap = 0, n = 0;
	ssize_t	 ll;
	int	 bad = 0;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "wsbenchctl: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	if ((body = malloc(CONTROL_BODY_MAX + 3)) == NULL)
		bad = 1;
	while (!bad && (ll = getline(&line, &cap, f)) != -1) {
		if (line[ll - 1] != '\n')
			line[ll++] = '\n';	/* getline left room */
		if (++n > CONTROL_BODY_LINES ||
		    len + (size_t)ll > CONTROL_BODY_MAX) {
			fprintf(stderr, "wsbenchctl: %s: over %d lines or %d "
			    "KiB\n", path, CONTROL_BODY_LINES,
			    CONTROL_BODY_MAX / 1024);
			bad = 1;
		} else if (ll == 2 && line[0] == CONTROL_BODY_END[0]) {
			fprintf(stderr, "wsbenchctl: %s:%zu: '.' is not a "
			    "command\n", path, n);
			bad = 1;
		} else {
			memcpy(body + len, line, (size_t)ll);
			len += (size_t)ll;
		}
	}
	if (!bad && ferror(f)) {
		fprintf(stderr, "wsbenchctl: %s: %s\n", path, strerror(errno));
		bad = 1;
	}
	free(line);
	fclose(f);
	if (bad) {
		free(body);
		return NULL;
	}
	memcpy(body + len, CONTROL_BODY_END "\n", 2);
	*lenp = len + 2;
	return body;
}

/* The FILE of `run [-j] [--series] FILE [--timeout S]`. */
static const char *
ctl_run_file(int argc, char **argv)
{
	int	i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--timeout") == 0)
			i++;
		else if (argv[i][0] != '-')
			return argv[i];
	}
	return NULL;
}

/* A series line, to the -o file. */
static int
ctl_series_line(const char *line, FILE *series)
{
	if (series == NULL) {
		fprintf(stderr, "wsbenchctl: bad reply from wsbenchd\n");
		return 1;
	}
	fprintf(series, "%s\n", line);
	return -1;
}

/* One tagged reply line, its output printed or with table drawn.
 * Returns -1 while more is to come, then the exit status. */
static int
ctl_line(const char *line, int table, FILE *series)
{
	const char	*text;
	int		 rc;

	switch (line[0]) {
	case CONTROL_TAG_SERIES:
		return ctl_series_line(line + 1, series);
	case CONTROL_TAG_OUTPUT:
		if (!table) {
			printf("%s\n", line + 1);
			return ctl_flush();
		}
		if (watch_table_record(line + 1) == 0)
			return -1;
		break;
	}
	watch_table_end();
	if ((rc = ctl_end(line, &text)) == -1) {
		fprintf(stderr, "wsbenchctl: bad reply from wsbenchd\n");
		return 1;
	}
	if (*text != '\0')
		fprintf(stderr, "wsbenchctl: %s\n", text);
	return rc;
}

/* Prints the reply and closes fd; returns the exit status, or -1 when
 * the connection closed before the last line.  A table ends well when a
 * signal stops it. */
static int
ctl_reply(int fd, int table, FILE *series)
{
	FILE	*f;
	char	*line = NULL;
	size_t	 cap = 0;
	ssize_t	 len;
	int	 rc = -1;

	if ((f = fdopen(fd, "r")) == NULL) {
		close(fd);
		return 1;
	}
	while (rc == -1 && !watch_table_interrupted() &&
	    (len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		rc = ctl_line(line, table, series);
	}
	watch_table_end();
	if (rc == -1 && watch_table_interrupted())
		rc = 0;
	free(line);
	fclose(f);
	return rc;
}

/* On a terminal, watch draws a table unless told to print lines. */
static int
ctl_table(int argc, char **argv)
{
	const char	*term = getenv("TERM");
	int		 i;

	if (strcmp(argv[0], "watch") != 0 || !isatty(STDOUT_FILENO) ||
	    term == NULL || *term == '\0' || strcmp(term, "dumb") == 0)
		return 0;
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "-p") == 0 ||
		    strcmp(argv[i], "--plain") == 0)
			return 0;
	return 1;
}

/* -j, and the records a table is drawn from, belong to the command, as
 * its own options. */
static char **
ctl_argv(int argc, char **argv, int json, int table, int series, int *nargc)
{
	static char	  json_opt[] = "-j", table_opt[] = "--table";
	static char	  series_opt[] = "--series";
	char		**v;
	int		  i, n = 0, opts = 1;

	if ((v = calloc((size_t)argc + 4, sizeof(*v))) == NULL) {
		perror("wsbenchctl: calloc");
		exit(1);
	}
	v[n++] = argv[0];
	if (json)
		v[n++] = json_opt;
	if (table)
		v[n++] = table_opt;
	if (series)
		v[n++] = series_opt;
	/* Records, not lines: watch -H asks for them, --plain or not. */
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			opts = 0;
		if (!opts || !table || (strcmp(argv[i], "-p") != 0 &&
		    strcmp(argv[i], "--plain") != 0))
			v[n++] = argv[i];
	}
	*nargc = n;
	return v;
}

/* The request line, then run's file: what every host is sent.  Returns
 * it (malloc'd), or NULL (said). */
static char *
ctl_request(int argc, char **argv, int json, int table, int series,
    const char *body, size_t body_len, size_t *lenp)
{
	char	**v, *req;
	int	  n, len;

	if ((req = malloc(CONTROL_REQUEST_MAX + 1 + body_len)) == NULL) {
		perror("wsbenchctl: malloc");
		return NULL;
	}
	v = ctl_argv(argc, argv, json, table, series, &n);
	len = cmd_quote_argv(n, v, req, CONTROL_REQUEST_MAX);
	free(v);
	if (len < 0) {
		fprintf(stderr, "wsbenchctl: command too long or contains "
		    "a newline\n");
		free(req);
		return NULL;
	}
	req[len++] = '\n';
	if (body != NULL)
		memcpy(req + len, body, body_len);
	*lenp = (size_t)len + body_len;
	return req;
}

/* A command that waits for its jobs: wait and run. */
static int
ctl_waits(const char *command)
{
	return strcmp(command, "wait") == 0 || strcmp(command, "run") == 0;
}

/* The command on one socket, local or one host's ssh: the reply as it
 * comes, a table drawn, the series to its file.  Returns -1 when the
 * connection closed before the last line. */
static int
ctl_one(int fd, const char *req, size_t len, const char *command, int table,
    FILE *series)
{
	if (ctl_write(fd, req, len) == -1) {
		close(fd);
		return -1;
	}
	if (ctl_waits(command))
		ctl_wait_catch(fd);
	return ctl_reply(fd, table, series);
}

static int
ctl_local(const char *path, const char *req, size_t len, const char *command,
    int table, FILE *series)
{
	int	fd, rc;

	if ((fd = ctl_connect(path)) == -1)
		return 1;
	if ((rc = ctl_one(fd, req, len, command, table, series)) == -1) {
		fprintf(stderr, "wsbenchctl: wsbenchd closed the connection\n");
		rc = 1;
	}
	return rc;
}

/* -R: the far end of -H. */
static int
ctl_relay_main(const char *path)
{
	int	fd;

	if ((fd = ctl_connect(path)) == -1)
		return 1;
	return ctl_relay(fd);
}

/* -H with one host: exactly the local command, over ssh. */
static int
ctl_host(struct ctl_host *h, const char *path, const char *req, size_t len,
    const char *command, int table, FILE *series)
{
	int	rc;

	if (ctl_host_spawn(h, path) == -1)
		return 1;
	rc = ctl_one(h->fd, req, len, command, table, series);
	h->fd = -1;
	if (rc == -1) {
		fprintf(stderr, "wsbenchctl: %s: %s\n", h->name,
		    ctl_host_lost(h));
		return 1;
	}
	ctl_host_reap(h);
	return rc;
}

/* The options before the command. */
struct ctl_opts {
	const char	*path, *out, *hosts;
	int		 json, relay;
};

static int
ctl_options(int argc, char **argv, struct ctl_opts *o)
{
	int	ch;

	while ((ch = getopt(argc, argv, "+hH:jo:Rs:V")) != -1) {
		switch (ch) {
		case 'h':
			usage(stdout);
			exit(0);
		case 'H':
			o->hosts = optarg;
			break;
		case 'j':
			o->json = 1;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'R':
			o->relay = 1;
			break;
		case 's':
			o->path = optarg;
			break;
		case 'V':
			printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (o->relay && (optind != argc || o->hosts != NULL || o->json ||
	    o->out != NULL)) {
		fprintf(stderr, "wsbenchctl: -R takes no command and no "
		    "other option than -s\n");
		return -1;
	}
	if (!o->relay && optind == argc) {
		usage(stderr);
		return -1;
	}
	if (o->out != NULL && !ctl_waits(argv[optind])) {
		fprintf(stderr, "wsbenchctl: -o is for wait and run\n");
		return -1;
	}
	return optind;
}

/* Opens -o's file; with several hosts there is no one series to write. */
static int
ctl_series(const struct ctl_opts *o, int nhosts, FILE **series)
{
	if (o->out == NULL)
		return 0;
	if (nhosts > 1) {
		fprintf(stderr, "wsbenchctl: -o takes one host's series, not "
		    "%d hosts'\n", nhosts);
		return -1;
	}
	if ((*series = fopen(o->out, "w")) == NULL) {
		fprintf(stderr, "wsbenchctl: %s: %s\n", o->out,
		    strerror(errno));
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct ctl_opts	 o = { 0 };
	struct ctl_host	*hosts = NULL;
	char		 buf[256], *req, *body = NULL;
	const char	*file;
	size_t		 body_len = 0, len;
	FILE		*series = NULL;
	int		 i, nhosts = 0, rc, table;

	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	if ((i = ctl_options(argc, argv, &o)) == -1)
		return 2;
	argc -= i;
	argv += i;
	signal(SIGPIPE, SIG_IGN);
	if (o.relay || (o.hosts == NULL && o.path == NULL))
		o.path = paths_socket(0, buf, sizeof(buf));
	if (o.relay)
		return ctl_relay_main(o.path);
	if (o.hosts != NULL && (nhosts = ctl_hosts_parse(o.hosts, &hosts)) == -1)
		return 2;
	rc = 2;
	if (strcmp(argv[0], "run") == 0 &&
	    (file = ctl_run_file(argc, argv)) != NULL &&
	    (body = ctl_body(file, &body_len)) == NULL)
		goto out;
	if (ctl_series(&o, nhosts, &series) == -1)
		goto out;
	table = ctl_table(argc, argv);
	req = ctl_request(argc, argv, o.json, table || (nhosts > 1 &&
	    strcmp(argv[0], "watch") == 0), series != NULL, body, body_len,
	    &len);
	rc = 1;
	if (req == NULL)
		goto out;
	if (nhosts == 0)
		rc = ctl_local(o.path, req, len, argv[0], table, series);
	else if (nhosts == 1)
		rc = ctl_host(&hosts[0], o.path, req, len, argv[0], table,
		    series);
	else
		rc = ctl_many(hosts, nhosts, o.path, req, len, argv, o.json,
		    table);
	free(req);
out:
	free(body);
	ctl_hosts_free(hosts, nhosts);
	if (series != NULL && fclose(series) != 0) {
		fprintf(stderr, "wsbenchctl: %s: %s\n", o.out, strerror(errno));
		rc = rc == 0 ? 1 : rc;
	}
	return rc;
}
