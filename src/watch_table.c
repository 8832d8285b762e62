/* SPDX-License-Identifier: ISC */
/*
 * The table of `wsbenchctl watch` on a terminal.  The daemon sends a
 * record a job each second, then an end record; each end redraws the screen from
 * its top left corner, with ANSI sequences every terminal in use knows:
 * cursor home, erase to the end of the line and of the screen, hide and
 * show the cursor.  The last table stays on the screen at the end.
 * With several hosts (-H) the table gains a HOST column, and a sum row
 * per job name adds up the hosts' latest records; it is drawn once each
 * host sent its second, or as lines on a pipe.
 */

#include "config.h"

#include <sys/ioctl.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "control_protocol.h"
#include "watch_table.h"

#define WT_NAME_MAX	64	/* a job name, with its NUL */
#define WT_CELL_MAX	WT_NAME_MAX
#define WT_LINE_MAX	512

/* A job record; v holds its numbers, from CONTROL_WATCH_CONNS on, and
 * WT_NONE for a latency the job does not have. */
struct wt_row {
	char		host[WT_NAME_MAX];	/* with several hosts */
	int		sum;			/* a sum row */
	char		name[WT_NAME_MAX];
	char		kind[WT_NAME_MAX];
	uint64_t	v[CONTROL_WATCH_FIELDS];
};

#define WT_NONE		UINT64_MAX
#define WT_NCOLS	9
#define WT_NLEFT	3	/* host, name and kind; numbers go right */
static const char *const wt_header[WT_NCOLS] = {
	"HOST", "JOB", "KIND", "CONNS", "MSG/S IN", "MSG/S OUT", "MB/S",
	"ERRORS", "P99"
};
#define WT_SUM		"sum"	/* the host of a sum row */

/* A frame's rows.  Without -H the HOST column is not shown. */
struct wt_rows {
	struct wt_row	*rows;
	size_t		 n, cap;
};

/* What a host sent: its last whole second, and the one coming. */
struct wt_host {
	const char	*name;
	struct wt_rows	 last, next;
	int		 fresh;		/* a second since the last frame */
	int		 gone;
};

static struct wt_rows		 wt_frame;
static struct wt_host		*wt_hosts;
static int			 wt_nhosts, wt_plain;
static size_t			 wt_first = 1;	/* the first column shown */
static struct timespec		 wt_drawn;
static int			 wt_active;
static volatile sig_atomic_t	 wt_stop;

static void
wt_signal(int sig)
{
	(void)sig;
	wt_stop = 1;
}

/* At the first table: from now on the screen is ours to give back. */
static void
wt_start(void)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = wt_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: the read waiting for the next second returns. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* A frame goes out in one write, so it never shows half drawn. */
	setvbuf(stdout, NULL, _IOFBF, BUFSIZ);
	printf("\033[?25l\033[H\033[2J");
	wt_active = 1;
}

int
watch_table_interrupted(void)
{
	return wt_stop;
}

void
watch_table_end(void)
{
	if (!wt_active)
		return;
	wt_active = 0;
	/* After a ^C the terminal echoed, the shell's prompt on a line of
	 * its own. */
	printf("\033[?25h%s", wt_stop ? "\n" : "");
	fflush(stdout);
}

/* v with 3 significant digits and suffix: 9.87, 98.7, 987. */
static void
wt_sig(char *buf, double v, const char *suffix)
{
	snprintf(buf, WT_CELL_MAX, "%.*f%s", v < 9.995 ? 2 : v < 99.95 ? 1 : 0,
	    v, suffix);
}

/* A count a second: 987, then 1.23k, 45.6M, 789G... */
static void
wt_count(char *buf, uint64_t n)
{
	static const char *const	 suffix[] = { "k", "M", "G", "T", "P",
	    "E" };
	double				 v = (double)n;
	size_t				 i = 0;

	if (n < 1000) {
		snprintf(buf, WT_CELL_MAX, "%llu", (unsigned long long)n);
		return;
	}
	/* 999.5k is shown as 1.00M, not as 1000k. */
	for (v /= 1000; v >= 999.5 && i + 1 < sizeof(suffix) /
	    sizeof(suffix[0]); i++)
		v /= 1000;
	wt_sig(buf, v, suffix[i]);
}

/* A latency in ns with 3 significant digits and its unit: 987ns,
 * 1.23us, 45.6ms, 7.89s; "-" for none. */
static void
wt_latency(char *buf, uint64_t ns)
{
	static const char *const	 unit[] = { "us", "ms", "s" };
	double				 v = (double)ns;
	size_t				 i = 0;

	if (ns == WT_NONE || ns == 0) {
		snprintf(buf, WT_CELL_MAX, CONTROL_WATCH_NONE);
		return;
	}
	if (ns < 1000) {
		snprintf(buf, WT_CELL_MAX, "%lluns", (unsigned long long)ns);
		return;
	}
	/* 999.5us is shown as 1.00ms, not as 1000us. */
	for (v /= 1000; v >= 999.5 && i + 1 < sizeof(unit) / sizeof(unit[0]);
	    i++)
		v /= 1000;
	wt_sig(buf, v, unit[i]);
}

static void
wt_cells(const struct wt_row *r, char cell[WT_NCOLS][WT_CELL_MAX])
{
	snprintf(cell[0], WT_CELL_MAX, "%s", r->host);
	snprintf(cell[1], WT_CELL_MAX, "%s", r->name);
	snprintf(cell[2], WT_CELL_MAX, "%s", r->kind);
	snprintf(cell[3], WT_CELL_MAX, "%llu",
	    (unsigned long long)r->v[CONTROL_WATCH_CONNS]);
	wt_count(cell[4], r->v[CONTROL_WATCH_MSGS_IN]);
	wt_count(cell[5], r->v[CONTROL_WATCH_MSGS_OUT]);
	/* Wire bytes both ways, as a job's load on the network. */
	wt_sig(cell[6], (double)(r->v[CONTROL_WATCH_BYTES_IN] +
	    r->v[CONTROL_WATCH_BYTES_OUT]) / 1e6,
	    "");
	snprintf(cell[7], WT_CELL_MAX, "%llu",
	    (unsigned long long)r->v[CONTROL_WATCH_ERRORS]);
	/* The last second's, of the jobs that time messages. */
	wt_latency(cell[8], r->v[CONTROL_WATCH_P99]);
}

static void
wt_widen(size_t width[WT_NCOLS], char cell[WT_NCOLS][WT_CELL_MAX])
{
	size_t	i, n;

	for (i = wt_first; i < WT_NCOLS; i++)
		if ((n = strlen(cell[i])) > width[i])
			width[i] = n;
}

/* One line of the table, cut at the terminal's last column but one: a
 * line filling it would leave the cursor waiting to wrap.  As plain
 * lines, all of it, its trailing blanks cut. */
static void
wt_line(const size_t width[WT_NCOLS], char cell[WT_NCOLS][WT_CELL_MAX],
    size_t cols)
{
	char	line[WT_LINE_MAX];
	size_t	i, len = 0;
	int	n;

	for (i = wt_first; i < WT_NCOLS && len < sizeof(line); i++) {
		n = snprintf(line + len, sizeof(line) - len,
		    i < WT_NLEFT ? "%s%-*s" : "%s%*s", i > wt_first ? "  " : "",
		    (int)width[i], cell[i]);
		len += n > 0 ? (size_t)n : 0;
	}
	if (len >= sizeof(line))
		len = sizeof(line) - 1;
	if (wt_plain) {
		while (len > 0 && line[len - 1] == ' ')
			len--;
		printf("%.*s\n", (int)len, line);
		return;
	}
	if (cols > 0 && len >= cols)
		len = cols - 1;
	printf("%.*s\033[K\n", (int)len, line);
}

static void
wt_header_cells(char cell[WT_NCOLS][WT_CELL_MAX])
{
	size_t	i;

	for (i = 0; i < WT_NCOLS; i++)
		snprintf(cell[i], WT_CELL_MAX, "%s", wt_header[i]);
}

/* The total of all jobs (of all hosts), sum rows aside. */
static void
wt_total(struct wt_row *total)
{
	size_t	i, j;

	memset(total, 0, sizeof(*total));
	snprintf(total->name, sizeof(total->name), "total");
	/* Percentiles of several jobs do not add up: none for the total. */
	total->v[CONTROL_WATCH_P99] = WT_NONE;
	for (i = 0; i < wt_frame.n; i++)
		for (j = CONTROL_WATCH_CONNS; j < CONTROL_WATCH_P99; j++)
			if (!wt_frame.rows[i].sum)
				total->v[j] += wt_frame.rows[i].v[j];
}

/*
 * The header, a row a job, and the total of all jobs.  Rows the terminal
 * has no lines for give way to a count of them, so that the table never
 * scrolls and home is still its top.  As plain lines: all, then a blank
 * line.
 */
static void
wt_draw(void)
{
	struct winsize	ws;
	struct wt_row	total;
	char		cell[WT_NCOLS][WT_CELL_MAX];
	size_t		width[WT_NCOLS], i, shown = wt_frame.n, cols = 0;

	if (!wt_active && !wt_plain)
		wt_start();
	wt_total(&total);
	if (!wt_plain && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_row > 0) {
		cols = ws.ws_col;
		/* The header, the total, the count, the cursor's line. */
		if (wt_frame.n + 3 > ws.ws_row)
			shown = ws.ws_row > 4 ? ws.ws_row - 4u : 0;
	}

	memset(width, 0, sizeof(width));
	wt_header_cells(cell);
	wt_widen(width, cell);
	for (i = 0; i < shown; i++) {
		wt_cells(&wt_frame.rows[i], cell);
		wt_widen(width, cell);
	}
	wt_cells(&total, cell);
	wt_widen(width, cell);

	if (!wt_plain)
		printf("\033[H");
	wt_header_cells(cell);
	wt_line(width, cell, cols);
	for (i = 0; i < shown; i++) {
		wt_cells(&wt_frame.rows[i], cell);
		wt_line(width, cell, cols);
	}
	if (shown < wt_frame.n)
		printf("(%zu more)\033[K\n", wt_frame.n - shown);
	wt_cells(&total, cell);
	wt_line(width, cell, cols);
	printf(wt_plain ? "\n" : "\033[J");
	fflush(stdout);
}

/* A job record's fields into r; fields past those known are for later
 * versions and left alone, a latency missing (an earlier daemon's) or
 * CONTROL_WATCH_NONE is none. */
static int
wt_parse(const char *fields, struct wt_row *r)
{
	char	 buf[WT_LINE_MAX], *s = buf, *f[CONTROL_WATCH_FIELDS], *end;
	char	 none[] = CONTROL_WATCH_NONE;
	size_t	 i;

	if (snprintf(buf, sizeof(buf), "%s", fields) >= (int)sizeof(buf))
		return -1;
	for (i = 0; i < CONTROL_WATCH_FIELDS; i++) {
		f[i] = strsep(&s, CONTROL_WATCH_SEP);
		if (f[i] == NULL && i == CONTROL_WATCH_P99)
			f[i] = none;
		else if (f[i] == NULL)
			return -1;
	}
	if (snprintf(r->name, sizeof(r->name), "%s", f[CONTROL_WATCH_NAME]) >=
	    (int)sizeof(r->name) ||
	    snprintf(r->kind, sizeof(r->kind), "%s", f[CONTROL_WATCH_KIND]) >=
	    (int)sizeof(r->kind))
		return -1;
	r->v[CONTROL_WATCH_P99] = WT_NONE;
	for (i = CONTROL_WATCH_CONNS; i < CONTROL_WATCH_FIELDS; i++) {
		if (i == CONTROL_WATCH_P99 && strcmp(f[i], none) == 0)
			continue;
		errno = 0;
		r->v[i] = strtoull(f[i], &end, 10);
		if (f[i][0] < '0' || f[i][0] > '9' || *end != '\0' ||
		    errno != 0)
			return -1;
	}
	return 0;
}

/* Room for one more row in rs. */
static struct wt_row *
wt_add(struct wt_rows *rs)
{
	struct wt_row	*p;
	size_t		 cap = rs->cap == 0 ? 16 : rs->cap * 2;

	if (rs->n == rs->cap) {
		if ((p = reallocarray(rs->rows, cap, sizeof(*p))) == NULL) {
			watch_table_end();
			perror("wsbenchctl: reallocarray");
			exit(1);
		}
		rs->rows = p;
		rs->cap = cap;
	}
	p = &rs->rows[rs->n];
	memset(p, 0, sizeof(*p));
	return p;
}

/* A record into rs; returns 1 at the end record, 0 after a job's, -1 if
 * it is not one. */
static int
wt_record(struct wt_rows *rs, const char *line)
{
	size_t	tag = strlen(CONTROL_WATCH_JOB CONTROL_WATCH_SEP);

	if (strcmp(line, CONTROL_WATCH_END) == 0)
		return 1;
	if (strncmp(line, CONTROL_WATCH_JOB CONTROL_WATCH_SEP, tag) != 0 ||
	    wt_parse(line + tag, wt_add(rs)) == -1)
		return -1;
	rs->n++;
	return 0;
}

int
watch_table_record(const char *line)
{
	int	rc;

	if ((rc = wt_record(&wt_frame, line)) == 1) {
		wt_draw();
		wt_frame.n = 0;
	}
	return rc == -1 ? -1 : 0;
}

void
watch_table_hosts(const char *const *names, int n, int plain)
{
	int	i;

	if ((wt_hosts = calloc((size_t)n, sizeof(*wt_hosts))) == NULL) {
		perror("wsbenchctl: calloc");
		exit(1);
	}
	for (i = 0; i < n; i++)
		wt_hosts[i].name = names[i];
	wt_nhosts = n;
	wt_plain = plain;
	wt_first = 0;
	clock_gettime(CLOCK_MONOTONIC, &wt_drawn);
}

/* A sum row per job name, of the hosts' last seconds, after them. */
static void
wt_sums(void)
{
	struct wt_row	 r, *sum;
	size_t		 i, j, k, n = wt_frame.n;

	for (i = 0; i < n; i++) {
		r = wt_frame.rows[i];
		for (j = n; j < wt_frame.n; j++)
			if (strcmp(wt_frame.rows[j].name, r.name) == 0)
				break;
		if (j == wt_frame.n) {
			sum = wt_add(&wt_frame);
			wt_frame.n++;
			*sum = r;
			snprintf(sum->host, sizeof(sum->host), WT_SUM);
			sum->sum = 1;
			/* A percentile is not a sum, nor is their largest. */
			sum->v[CONTROL_WATCH_P99] = WT_NONE;
			continue;
		}
		sum = &wt_frame.rows[j];
		for (k = CONTROL_WATCH_CONNS; k < CONTROL_WATCH_P99; k++)
			sum->v[k] += r.v[k];
	}
}

/* The frame of every host's last second, drawn once each live host sent
 * one more, or a second and a half passed. */
static void
wt_hosts_frame(void)
{
	struct timespec	now;
	size_t		i;
	int		h, all = 1;

	for (h = 0; h < wt_nhosts; h++)
		all &= wt_hosts[h].fresh || wt_hosts[h].gone;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!all && (now.tv_sec - wt_drawn.tv_sec) * 1000 +
	    (now.tv_nsec - wt_drawn.tv_nsec) / 1000000 < 1500)
		return;
	wt_drawn = now;
	wt_frame.n = 0;
	for (h = 0; h < wt_nhosts; h++) {
		wt_hosts[h].fresh = 0;
		for (i = 0; i < wt_hosts[h].last.n; i++) {
			*wt_add(&wt_frame) = wt_hosts[h].last.rows[i];
			snprintf(wt_frame.rows[wt_frame.n].host, WT_NAME_MAX,
			    "%s", wt_hosts[h].name);
			wt_frame.n++;
		}
	}
	wt_sums();
	wt_draw();
}

int
watch_table_host_record(int h, const char *line)
{
	struct wt_host	*wh = &wt_hosts[h];
	struct wt_rows	 t;
	int		 rc;

	if ((rc = wt_record(&wh->next, line)) != 1)
		return rc;
	t = wh->last;
	wh->last = wh->next;
	wh->next = t;
	wh->next.n = 0;
	wh->fresh = 1;
	wt_hosts_frame();
	return 0;
}

void
watch_table_host_gone(int h)
{
	wt_hosts[h].gone = 1;
	wt_hosts[h].last.n = 0;
}
