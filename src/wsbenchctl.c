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
#include "paths.h"
#include "watch_table.h"

/* The commands are the daemon's: `wsbenchctl help` lists them. */
static void
usage(FILE *f)
{
	fprintf(f, "usage: wsbenchctl [-hjV] [-o file] [-s socket] command "
	    "[argument ...] (commands: wsbenchctl help)\n");
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

static int
ctl_write(int fd, const char *buf, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "wsbenchctl: write: %s\n",
			    strerror(errno));
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
ctl_send(int fd, int argc, char **argv)
{
	char	line[CONTROL_REQUEST_MAX + 1];
	int	len;

	len = cmd_quote_argv(argc, argv, line, sizeof(line) - 1);
	if (len < 0) {
		fprintf(stderr, "wsbenchctl: command too long or contains "
		    "a newline\n");
		return -1;
	}
	line[len++] = '\n';
	return ctl_write(fd, line, (size_t)len);
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

/* While wait or run waits, the first Ctrl-C half-closes the socket: the
 * daemon stops waiting and replies (a run with its report); a second one
 * leaves at once. */
static volatile sig_atomic_t	ctl_wait_fd = -1;
static volatile sig_atomic_t	ctl_wait_interrupted;

static void
ctl_wait_signal(int sig)
{
	(void)sig;
	if (ctl_wait_interrupted)
		_exit(130);
	ctl_wait_interrupted = 1;
	shutdown(ctl_wait_fd, SHUT_WR);
}

static void
ctl_wait_catch(int fd)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = ctl_wait_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	ctl_wait_fd = fd;
	sigaction(SIGINT, &sa, NULL);
}

/* A watch piped into a reader that has had enough ends there, well. */
static int
ctl_flush(void)
{
	if (fflush(stdout) == 0)
		return -1;
	if (errno == EPIPE)
		return 0;
	fprintf(stderr, "wsbenchctl: standard output: %s\n", strerror(errno));
	return 1;
}

/* "#N TEXT": exit N, TEXT on stderr. */
static int
ctl_exit_line(const char *line)
{
	char	*end;
	long	 n = strtol(line, &end, 10);

	if (end == line || n < 0 || n > 125)
		n = 1;
	while (*end == ' ')
		end++;
	if (*end != '\0')
		fprintf(stderr, "wsbenchctl: %s\n", end);
	return (int)n;
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
	switch (line[0]) {
	case CONTROL_TAG_SERIES:
		return ctl_series_line(line + 1, series);
	case CONTROL_TAG_EXIT:
		watch_table_end();
		return ctl_exit_line(line + 1);
	case CONTROL_TAG_OUTPUT:
		if (!table) {
			printf("%s\n", line + 1);
			return ctl_flush();
		}
		if (watch_table_record(line + 1) == 0)
			return -1;
		break;
	case CONTROL_TAG_ERROR:
		watch_table_end();
		fprintf(stderr, "wsbenchctl: %s\n", line + 1);
		return 1;
	case CONTROL_TAG_OK:
		return 0;
	}
	watch_table_end();
	fprintf(stderr, "wsbenchctl: bad reply from wsbenchd\n");
	return 1;
}

/* Prints the reply; returns the exit status.  A table ends well when a
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
	if (rc == -1) {
		fprintf(stderr, "wsbenchctl: wsbenchd closed the connection\n");
		rc = 1;
	}
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
	int		  i, n = 0;

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
	for (i = 1; i < argc; i++)
		v[n++] = argv[i];
	*nargc = n;
	return v;
}

/* Sends the request (and run's file); returns 0, or -1 (said). */
static int
ctl_request(int fd, int argc, char **argv, int json, int table, int series,
    const char *body, size_t body_len)
{
	char	**v;
	int	  n, rc;

	v = ctl_argv(argc, argv, json, table, series, &n);
	rc = ctl_send(fd, n, v);
	free(v);
	if (rc == 0 && body != NULL)
		rc = ctl_write(fd, body, body_len);
	return rc;
}

/* A command that waits for its jobs: wait and run. */
static int
ctl_waits(const char *command)
{
	return strcmp(command, "wait") == 0 || strcmp(command, "run") == 0;
}

int
main(int argc, char **argv)
{
	char		 buf[256];
	const char	*path = NULL, *out = NULL, *file;
	char		*body = NULL;
	size_t		 body_len = 0;
	FILE		*series = NULL;
	int		 ch, fd, json = 0, rc, table;

	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	while ((ch = getopt(argc, argv, "+hjo:s:V")) != -1) {
		switch (ch) {
		case 'h':
			usage(stdout);
			return 0;
		case 'j':
			json = 1;
			break;
		case 'o':
			out = optarg;
			break;
		case 's':
			path = optarg;
			break;
		case 'V':
			printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		usage(stderr);
		return 2;
	}
	if (out != NULL && !ctl_waits(argv[0])) {
		fprintf(stderr, "wsbenchctl: -o is for wait and run\n");
		return 2;
	}
	if (strcmp(argv[0], "run") == 0 &&
	    (file = ctl_run_file(argc, argv)) != NULL &&
	    (body = ctl_body(file, &body_len)) == NULL)
		return 2;
	if (out != NULL && (series = fopen(out, "w")) == NULL) {
		fprintf(stderr, "wsbenchctl: %s: %s\n", out, strerror(errno));
		free(body);
		return 2;
	}
	if (path == NULL)
		path = paths_socket(0, buf, sizeof(buf));
	signal(SIGPIPE, SIG_IGN);
	if ((fd = ctl_connect(path)) == -1) {
		free(body);
		return 1;
	}
	table = ctl_table(argc, argv);
	rc = ctl_request(fd, argc, argv, json, table, series != NULL, body,
	    body_len);
	free(body);
	if (rc == -1) {
		close(fd);
		return 1;
	}
	if (ctl_waits(argv[0]))
		ctl_wait_catch(fd);
	rc = ctl_reply(fd, table, series);
	if (series != NULL && fclose(series) != 0) {
		fprintf(stderr, "wsbenchctl: %s: %s\n", out, strerror(errno));
		rc = rc == 0 ? 1 : rc;
	}
	return rc;
}
