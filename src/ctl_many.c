/* SPDX-License-Identifier: ISC */
/*
 * A command on several hosts at once: each host's ssh is started, sent
 * the request and read in parallel, so that a slow or unreachable host
 * holds back none of the others.  The replies are printed once all came,
 * in the order the hosts were given: each line under its host's name,
 * stats with the sum of the hosts, watch live (ctl_watch.c).  The exit
 * status is the worst host's.
 */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control_protocol.h"
#include "ctl.h"
#include "ctl_host.h"

/* A host's reply, its lines each ending in '\0'. */
struct many_reply {
	char	*lines;
	size_t	 len, cap;
	int	 ended;		/* the last line came */
};

static int
many_store(void *arg, int i, char *line)
{
	struct many_reply	*r = (struct many_reply *)arg + i;
	const char		*text;
	size_t			 n = strlen(line) + 1;
	char			*p;

	if (r->cap - r->len < n) {
		if ((p = realloc(r->lines, r->cap + n + 4096)) == NULL) {
			perror("wsbenchctl: realloc");
			exit(1);
		}
		r->lines = p;
		r->cap += n + 4096;
	}
	memcpy(r->lines + r->len, line, n);
	r->len += n;
	/* The last line: no need to wait for ssh to go. */
	if (ctl_end(line, &text) != -1) {
		r->ended = 1;
		return -1;
	}
	return 0;
}

/* Starts each host and sends it the request; one that cannot take it
 * is left to say so when its reply is found missing. */
static void
many_start(struct ctl_host *hosts, int n, const char *sock, const char *req,
    size_t len, int waits)
{
	ssize_t	w;
	size_t	off;
	int	i;

	for (i = 0; i < n; i++) {
		if (ctl_host_spawn(&hosts[i], sock) == -1) {
			hosts[i].eof = 1;
			continue;
		}
		for (off = 0; off < len; off += (size_t)w)
			if ((w = write(hosts[i].fd, req + off, len - off)) ==
			    -1 && errno != EINTR) {
				hosts[i].eof = 1;
				break;
			} else if (w == -1)
				w = 0;
		if (waits)
			ctl_wait_catch(hosts[i].fd);
	}
}

/* Each host's status and its error, or ssh's, on stderr; out, if not
 * NULL, is given each output line.  Returns the status. */
static int
many_settle(struct ctl_host *h, const struct many_reply *r,
    void (*out)(void *, const char *), void *arg)
{
	const char	*line, *text;
	size_t		 off;
	int		 rc;

	for (off = 0; off < r->len; off += strlen(line) + 1) {
		line = r->lines + off;
		if (line[0] == CONTROL_TAG_OUTPUT) {
			if (out != NULL)
				out(arg, line + 1);
			continue;
		}
		if ((rc = ctl_end(line, &text)) == -1) {
			fprintf(stderr, "wsbenchctl: %s: bad reply from "
			    "wsbenchd\n", h->name);
			rc = 1;
		} else if (*text != '\0')
			fprintf(stderr, "wsbenchctl: %s: %s\n", h->name, text);
		close(h->fd);
		h->fd = -1;
		ctl_host_reap(h);
		return rc;
	}
	fprintf(stderr, "wsbenchctl: %s: %s\n", h->name, ctl_host_lost(h));
	return 1;
}

static void
many_line(void *arg, const char *line)
{
	printf("%s: %s\n", (const char *)arg, line);
}

int
ctl_many(struct ctl_host *hosts, int n, const char *sock, const char *req,
    size_t len, char **argv, int json, int table)
{
	struct many_reply	*r;
	int			 i, rc, worst = 0;

	(void)json;
	(void)table;
	if ((r = calloc((size_t)n, sizeof(*r))) == NULL) {
		perror("wsbenchctl: calloc");
		return 1;
	}
	many_start(hosts, n, sock, req, len, strcmp(argv[0], "wait") == 0 ||
	    strcmp(argv[0], "run") == 0);
	while (ctl_hosts_read(hosts, n, many_store, r) == -1)
		;
	for (i = 0; i < n; i++) {
		rc = many_settle(&hosts[i], &r[i], many_line, hosts[i].name);
		worst = rc > worst ? rc : worst;
		free(r[i].lines);
	}
	free(r);
	fflush(stdout);
	return worst;
}
