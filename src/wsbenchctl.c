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
#include "control.h"
#include "paths.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: wsbenchctl [-hjV] [-s socket] command [argument ...]\n"
	    "commands:\n"
	    "  start push [--msg TEXT | --size N] [--binary] [--port N]"
	    " [--bind ADDR]\n"
	    "             [--name NAME] [--max-message N]\n"
	    "  start recv URL [--connections N] [--name NAME] [--max-message N]\n"
	    "  stop NAME\n"
	    "  list\n"
	    "  stats [NAME]\n"
	    "  watch [NAME]\n"
	    "  version\n"
	    "  help\n");
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

/* Prints the tagged reply lines; returns the exit status. */
static int
ctl_reply(int fd)
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
	while (rc == -1 && (len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		switch (line[0]) {
		case '>':
			printf("%s\n", line + 1);
			fflush(stdout);
			break;
		case '!':
			fprintf(stderr, "wsbenchctl: %s\n", line + 1);
			rc = 1;
			break;
		case '.':
			rc = 0;
			break;
		default:
			fprintf(stderr, "wsbenchctl: bad reply from wsbenchd\n");
			rc = 1;
		}
	}
	if (rc == -1) {
		fprintf(stderr, "wsbenchctl: wsbenchd closed the connection\n");
		rc = 1;
	}
	free(line);
	fclose(f);
	return rc;
}

/* -j belongs to the command, as its own option. */
static char **
ctl_argv(int argc, char **argv, int json, int *nargc)
{
	static char	  json_opt[] = "-j";
	char		**v;
	int		  i, n = 0;

	if ((v = calloc((size_t)argc + 2, sizeof(*v))) == NULL) {
		perror("wsbenchctl: calloc");
		exit(1);
	}
	for (i = 0; i < argc; i++) {
		v[n++] = argv[i];
		if (i == 0 && json)
			v[n++] = json_opt;
	}
	*nargc = n;
	return v;
}

int
main(int argc, char **argv)
{
	char		 buf[256];
	const char	*path = NULL;
	char		**v;
	int		 ch, fd, json = 0, n, rc;

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
	v = ctl_argv(argc, argv, json, &n);
	rc = ctl_send(fd, n, v);
	free(v);
	if (rc == -1) {
		close(fd);
		return 1;
	}
	return ctl_reply(fd);
}
