/* SPDX-License-Identifier: ISC */
/*
 * A command on several hosts at once: each host's ssh is started, sent
 * the request and read in parallel, so that a slow or unreachable host
 * holds back none of the others.  The replies are printed once all came,
 * in the order the hosts were given: each line under its host's name,
 * stats with the sum of the hosts, watch live (drawn by watch_table.c).
 * The exit status is the worst host's.
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
#include "ctl_sum.h"
#include "watch_table.h"

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
	size_t			 n;
	char			*p;

	if (line == NULL)
		return -1;
	n = strlen(line) + 1;
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

/* Each host's status and its error, or ssh's, on stderr (and in err,
 * if not NULL); out, if not NULL, is given each output line.  Returns
 * the status. */
static int
many_settle(struct ctl_host *h, const struct many_reply *r,
    void (*out)(void *, const char *), void *arg, char *err, size_t errlen)
{
	const char	*line, *text = NULL;
	size_t		 off;
	int		 rc = -1;

	for (off = 0; rc == -1 && off < r->len; off += strlen(line) + 1) {
		line = r->lines + off;
		if (line[0] != CONTROL_TAG_OUTPUT) {
			if ((rc = ctl_end(line, &text)) == -1) {
				text = "bad reply from wsbenchd";
				rc = 1;
			}
		} else if (out != NULL)
			out(arg, line + 1);
	}
	if (rc == -1) {
		text = ctl_host_lost(h);
		rc = 1;
	}
	if (h->fd != -1) {
		close(h->fd);
		h->fd = -1;
	}
	ctl_host_reap(h);
	if (*text != '\0')
		fprintf(stderr, "wsbenchctl: %s: %s\n", h->name, text);
	if (err != NULL)
		snprintf(err, errlen, "%s", text);
	return rc;
}

static void
many_line(void *arg, const char *line)
{
	printf("%s: %s\n", (const char *)arg, line);
}

/* Any command but stats and watch: each line under its host's name. */
static int
many_generic(struct ctl_host *hosts, int n, struct many_reply *r)
{
	int	i, rc, worst = 0;

	for (i = 0; i < n; i++) {
		rc = many_settle(&hosts[i], &r[i], many_line, hosts[i].name,
		    NULL, 0);
		worst = rc > worst ? rc : worst;
	}
	return worst;
}

/* A line of a host's stats text, printed as is and summed. */
static void
many_stats_line(void *arg, const char *line)
{
	printf("%s\n", line);
	ctl_sum_text_line(arg, line);
}

/* stats: each host's under "== HOST", then their sum. */
static int
many_stats_text(struct ctl_host *hosts, int n, struct many_reply *r)
{
	struct ctl_sum	sum = { 0 };
	int		i, rc, worst = 0, answered = 0;

	for (i = 0; i < n; i++) {
		printf("== %s\n", hosts[i].name);
		ctl_sum_host(&sum);
		rc = many_settle(&hosts[i], &r[i], many_stats_line, &sum,
		    NULL, 0);
		answered += rc == 0;
		worst = rc > worst ? rc : worst;
	}
	printf("== sum of %d hosts\n", answered);
	ctl_sum_print_text(&sum, stdout);
	ctl_sum_free(&sum);
	return worst;
}

/* s as a JSON string. */
static void
many_json_string(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++)
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", (unsigned)*s);
		else
			putchar(*s);
	putchar('"');
}

/* The output line of a host's stats -j (one, all the JSON). */
static void
many_json_line(void *arg, const char *line)
{
	const char	**json = arg;

	*json = line;
}

/* stats -j: {"hosts":[{"host":..,"status":..,"stats" or "error":..}],
 * "sum":[...]}. */
static int
many_stats_json(struct ctl_host *hosts, int n, struct many_reply *r)
{
	struct ctl_sum	 sum = { 0 };
	const char	*json;
	char		 err[512];
	int		 i, rc, worst = 0;

	printf("{\"hosts\":[");
	for (i = 0; i < n; i++) {
		json = NULL;
		rc = many_settle(&hosts[i], &r[i], many_json_line, &json, err,
		    sizeof(err));
		if (rc == 0 && (json == NULL || ctl_sum_json(&sum, json) == -1)) {
			snprintf(err, sizeof(err), "bad stats from wsbenchd");
			fprintf(stderr, "wsbenchctl: %s: %s\n", hosts[i].name,
			    err);
			rc = 1;
		}
		worst = rc > worst ? rc : worst;
		printf("%s{\"host\":", i > 0 ? "," : "");
		many_json_string(hosts[i].name);
		printf(",\"status\":%d,", rc);
		if (rc == 0)
			printf("\"stats\":%s}", json);
		else {
			printf("\"error\":");
			many_json_string(err);
			printf("}");
		}
	}
	printf("],\"sum\":");
	ctl_sum_print_json(&sum, stdout);
	printf("}\n");
	ctl_sum_free(&sum);
	return worst;
}

/* watch: what each host has, live. */
struct many_watch {
	struct ctl_host	*hosts;
	int		 worst;
};

static int
many_watch_line(void *arg, int i, char *line)
{
	struct many_watch	*w = arg;
	const char		*text = NULL;
	int			 rc;

	if (line != NULL && line[0] == CONTROL_TAG_OUTPUT &&
	    watch_table_host_record(i, line + 1) == 0)
		return 0;
	watch_table_host_gone(i);
	if (line == NULL) {
		text = ctl_host_lost(&w->hosts[i]);
		rc = 1;
	} else if ((rc = ctl_end(line, &text)) == -1) {
		text = "bad reply from wsbenchd";
		rc = 1;
	}
	if (*text != '\0')
		fprintf(stderr, "wsbenchctl: %s: %s\n", w->hosts[i].name, text);
	w->worst = rc > w->worst ? rc : w->worst;
	return -1;
}

/* Until every host has ended, or a signal ends the table. */
static int
many_watch(struct ctl_host *hosts, int n, int plain)
{
	struct many_watch	 w = { hosts, 0 };
	const char		*names[CTL_HOSTS_MAX];
	int			 i;

	for (i = 0; i < n; i++)
		names[i] = hosts[i].name;
	watch_table_hosts(names, n, plain);
	while (ctl_hosts_read(hosts, n, many_watch_line, &w) == -1 &&
	    !watch_table_interrupted())
		;
	watch_table_end();
	for (i = 0; i < n; i++) {
		if (hosts[i].fd != -1) {
			close(hosts[i].fd);
			hosts[i].fd = -1;
		}
		ctl_host_reap(&hosts[i]);
	}
	return w.worst;
}

int
ctl_many(struct ctl_host *hosts, int n, const char *sock, const char *req,
    size_t len, char **argv, int json, int table)
{
	struct many_reply	*r;
	int			 i, rc;

	many_start(hosts, n, sock, req, len, strcmp(argv[0], "wait") == 0 ||
	    strcmp(argv[0], "run") == 0);
	if (strcmp(argv[0], "watch") == 0)
		return many_watch(hosts, n, !table);
	if ((r = calloc((size_t)n, sizeof(*r))) == NULL) {
		perror("wsbenchctl: calloc");
		return 1;
	}
	while (ctl_hosts_read(hosts, n, many_store, r) == -1)
		;
	if (strcmp(argv[0], "stats") == 0 && json)
		rc = many_stats_json(hosts, n, r);
	else if (strcmp(argv[0], "stats") == 0)
		rc = many_stats_text(hosts, n, r);
	else
		rc = many_generic(hosts, n, r);
	for (i = 0; i < n; i++)
		free(r[i].lines);
	free(r);
	if (ctl_flush() == 1 && rc == 0)
		rc = 1;
	return rc;
}
