/* SPDX-License-Identifier: ISC */
/*
 * The hosts of wsbenchctl -H, each reached by ssh as `systemctl -H` does:
 * no protocol of our own, the control protocol runs over ssh's standard
 * input and output through `wsbenchctl -R` on the host.  The ssh command
 * is WSBENCH_SSH if set, run by the shell as git runs GIT_SSH_COMMAND, so
 * that it may carry options (-F, -o ConnectTimeout=...).
 */

#include "config.h"

#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl_host.h"

/* A name ssh can take, and that prefixes a line of output as one word:
 * not empty, no leading '-' (an option to ssh), no blank or control
 * byte. */
static int
host_name_ok(const char *s, size_t len)
{
	size_t	i;

	if (len == 0 || s[0] == '-')
		return 0;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return 0;
	return 1;
}

/* One host name, of the list or of the file path. */
static int
host_add(struct ctl_host *hosts, int n, const char *s, size_t len,
    const char *path)
{
	if (!host_name_ok(s, len)) {
		fprintf(stderr, "wsbenchctl: -H%s%s: bad host '%.*s'\n",
		    path != NULL ? " @" : "", path != NULL ? path : "",
		    (int)len, s);
		return -1;
	}
	if (n == CTL_HOSTS_MAX) {
		fprintf(stderr, "wsbenchctl: -H%s%s: over %d hosts\n",
		    path != NULL ? " @" : "", path != NULL ? path : "",
		    CTL_HOSTS_MAX);
		return -1;
	}
	memset(&hosts[n], 0, sizeof(hosts[n]));
	hosts[n].pid = -1;
	hosts[n].fd = -1;
	if ((hosts[n].name = strndup(s, len)) == NULL) {
		perror("wsbenchctl: strndup");
		return -1;
	}
	return n + 1;
}

/* A line of a hosts file; blank and # lines are none. */
static int
host_file_line(struct ctl_host *hosts, int n, char *line, const char *path)
{
	size_t	len;

	line += strspn(line, " \t");
	len = strcspn(line, "\r\n");
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	if (len == 0 || line[0] == '#')
		return n;
	return host_add(hosts, n, line, len, path);
}

static int
host_file(struct ctl_host *hosts, const char *path)
{
	FILE	*f;
	char	*line = NULL;
	size_t	 cap = 0;
	int	 n = 0;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "wsbenchctl: -H @%s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	while (n != -1 && getline(&line, &cap, f) != -1)
		n = host_file_line(hosts, n, line, path);
	if (n == 0) {
		fprintf(stderr, "wsbenchctl: -H @%s: no host\n", path);
		n = -1;
	}
	free(line);
	fclose(f);
	return n;
}

int
ctl_hosts_parse(const char *arg, struct ctl_host **hostsp)
{
	struct ctl_host	*hosts;
	const char	*s = arg;
	size_t		 len;
	int		 n = 0;

	if ((hosts = calloc(CTL_HOSTS_MAX, sizeof(*hosts))) == NULL) {
		perror("wsbenchctl: calloc");
		return -1;
	}
	if (arg[0] == '@')
		n = host_file(hosts, arg + 1);
	else
		for (;;) {
			len = strcspn(s, ",");
			if ((n = host_add(hosts, n, s, len, NULL)) == -1 ||
			    s[len] == '\0')
				break;
			s += len + 1;
		}
	if (n == -1) {
		/* The names taken before the bad one; the rest are NULL. */
		for (n = 0; n < CTL_HOSTS_MAX; n++)
			free(hosts[n].name);
		free(hosts);
		return -1;
	}
	*hostsp = hosts;
	return n;
}

void
ctl_hosts_free(struct ctl_host *hosts, int n)
{
	int	i;

	for (i = 0; i < n; i++) {
		free(hosts[i].name);
		free(hosts[i].in);
		if (hosts[i].fd != -1)
			close(hosts[i].fd);
	}
	free(hosts);
}

/* s quoted for the remote shell, which ssh hands its words to joined by
 * spaces: in single quotes, each of its own as '\''. */
static char *
host_shell_quote(const char *s)
{
	char	*q, *p;

	if ((q = malloc(strlen(s) * 4 + 3)) == NULL)
		return NULL;
	p = q;
	*p++ = '\'';
	for (; *s != '\0'; s++) {
		if (*s == '\'') {
			memcpy(p, "'\\''", 4);
			p += 4;
		} else
			*p++ = *s;
	}
	*p++ = '\'';
	*p = '\0';
	return q;
}

/* In the child: ssh's stdin and stdout are the socket; its stderr is
 * ours, for its own messages. */
static void
host_exec(int fd, const char *host, const char *sock)
{
	static char	 ssh[] = "ssh", sh[] = "sh", c[] = "-c";
	static char	 arg0[] = "wsbenchctl-ssh", ctl[] = "wsbenchctl";
	static char	 relay[] = "-R", s[] = "-s";
	const char	*cmd = getenv("WSBENCH_SSH");
	char		*script, *argv[] = { ssh, strdup(host), ctl, relay,
	    sock != NULL ? s : NULL, sock != NULL ? host_shell_quote(sock) :
	    NULL, NULL };

	if (dup2(fd, STDIN_FILENO) == -1 || dup2(fd, STDOUT_FILENO) == -1)
		_exit(255);
	signal(SIGPIPE, SIG_DFL);
	/* The terminal's Ctrl-C is ours, to half-close (wait, run); ssh
	 * leaves an ignored SIGINT ignored. */
	signal(SIGINT, SIG_IGN);
	if (cmd != NULL && *cmd != '\0') {
		if (asprintf(&script, "exec %s \"$@\"", cmd) == -1)
			_exit(255);
		execv("/bin/sh", (char *[]){ sh, c, script, arg0, argv[1],
		    argv[2], argv[3], argv[4], argv[5], NULL });
		fprintf(stderr, "wsbenchctl: /bin/sh: %s\n", strerror(errno));
	} else {
		execvp(ssh, argv);
		fprintf(stderr, "wsbenchctl: ssh: %s\n", strerror(errno));
	}
	_exit(255);
}

int
ctl_host_spawn(struct ctl_host *h, const char *sock)
{
	int	sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1) {
		fprintf(stderr, "wsbenchctl: socketpair: %s\n",
		    strerror(errno));
		return -1;
	}
	fflush(NULL);
	if ((h->pid = fork()) == -1) {
		fprintf(stderr, "wsbenchctl: fork: %s\n", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (h->pid == 0)
		host_exec(sv[1], h->name, sock);
	close(sv[1]);
	h->fd = sv[0];
	return 0;
}

int
ctl_host_reap(struct ctl_host *h)
{
	int	st;

	if (h->pid == -1)
		return 0;
	while (waitpid(h->pid, &st, 0) == -1)
		if (errno != EINTR)
			return 255;
	h->pid = -1;
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

const char *
ctl_host_lost(struct ctl_host *h)
{
	static char	msg[64];
	int		st;

	if (h->fd != -1) {
		/* ssh ends when its standard input does. */
		close(h->fd);
		h->fd = -1;
	}
	if ((st = ctl_host_reap(h)) != 0)
		snprintf(msg, sizeof(msg), "ssh exited with status %d", st);
	else
		snprintf(msg, sizeof(msg), "wsbenchd closed the connection");
	return msg;
}

/* Reads what h has; calls line for each whole line.  Returns -1 when h
 * is done with: closed, or line said so. */
static int
host_read(struct ctl_host *h, int i, int (*line)(void *, int, char *),
    void *arg)
{
	char	*nl, *p;
	ssize_t	 n;
	size_t	 off = 0;

	if (h->incap - h->inlen < 4096) {
		if ((p = realloc(h->in, h->incap + 65536)) == NULL) {
			perror("wsbenchctl: realloc");
			exit(1);
		}
		h->in = p;
		h->incap += 65536;
	}
	if ((n = read(h->fd, h->in + h->inlen, h->incap - h->inlen)) == -1 &&
	    errno == EINTR)
		return 0;
	if (n <= 0) {
		h->eof = 1;
		line(arg, i, NULL);
		return -1;
	}
	h->inlen += (size_t)n;
	while ((nl = memchr(h->in + off, '\n', h->inlen - off)) != NULL) {
		*nl = '\0';
		if (line(arg, i, h->in + off) == -1) {
			h->eof = 1;
			return -1;
		}
		off = (size_t)(nl - h->in) + 1;
	}
	memmove(h->in, h->in + off, h->inlen - off);
	h->inlen -= off;
	return 0;
}

int
ctl_hosts_read(struct ctl_host *hosts, int n,
    int (*line)(void *, int, char *), void *arg)
{
	struct pollfd	pfd[CTL_HOSTS_MAX];
	int		i, open = 0;

	for (i = 0; i < n; i++) {
		pfd[i].fd = hosts[i].eof ? -1 : hosts[i].fd;
		pfd[i].events = POLLIN;
		open += pfd[i].fd != -1;
	}
	while (open > 0) {
		if (poll(pfd, (nfds_t)n, -1) == -1) {
			if (errno == EINTR)
				return -1;
			fprintf(stderr, "wsbenchctl: poll: %s\n",
			    strerror(errno));
			exit(1);
		}
		for (i = 0; i < n; i++)
			if (pfd[i].fd != -1 && pfd[i].revents != 0 &&
			    host_read(&hosts[i], i, line, arg) == -1) {
				pfd[i].fd = -1;
				open--;
			}
	}
	return 0;
}
