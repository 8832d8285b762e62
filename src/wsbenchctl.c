/* SPDX-License-Identifier: ISC */
/*
 * wsbenchctl: forwards its command line to wsbenchd's control socket and
 * prints the reply.  It knows no command itself: the daemon parses and runs
 * the line with the same parser and table as the config file.
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
	fprintf(f, "usage: wsbenchctl [-hjV] [-s socket] command [argument ...]"
	    " (commands: wsbenchctl help)\n");
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
	if (write(fd, line, (size_t)len) != len) {
		fprintf(stderr, "wsbenchctl: write: %s\n", strerror(errno));
		return -1;
	}
	return 0;
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

/* One tagged reply line, its output printed or with table drawn.
 * Returns -1 while more is to come, then the exit status. */
static int
ctl_line(const char *line, int table)
{
	switch (line[0]) {
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
ctl_reply(int fd, int table)
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
		rc = ctl_line(line, table);
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
ctl_argv(int argc, char **argv, int json, int table, int *nargc)
{
	static char	  json_opt[] = "-j", table_opt[] = "--table";
	char		**v;
	int		  i, n = 0;

	if ((v = calloc((size_t)argc + 3, sizeof(*v))) == NULL) {
		perror("wsbenchctl: calloc");
		exit(1);
	}
	v[n++] = argv[0];
	if (json)
		v[n++] = json_opt;
	if (table)
		v[n++] = table_opt;
	for (i = 1; i < argc; i++)
		v[n++] = argv[i];
	*nargc = n;
	return v;
}

int
main(int argc, char **argv)
{
	char		 buf[256];
	const char	*path = NULL;
	char		**v;
	int		 ch, fd, json = 0, n, rc, table;

	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	while ((ch = getopt(argc, argv, "+hjs:V")) != -1) {
		switch (ch) {
		case 'h':
			usage(stdout);
			return 0;
		case 'j':
			json = 1;
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
	if (path == NULL)
		path = paths_socket(0, buf, sizeof(buf));
	signal(SIGPIPE, SIG_IGN);
	if ((fd = ctl_connect(path)) == -1)
		return 1;
	table = ctl_table(argc, argv);
	v = ctl_argv(argc, argv, json, table, &n);
	rc = ctl_send(fd, n, v);
	free(v);
	if (rc == -1) {
		close(fd);
		return 1;
	}
	return ctl_reply(fd, table);
}
