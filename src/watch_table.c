/* SPDX-License-Identifier: ISC */
/*
 * The table of `wsbenchctl watch` on a terminal.  The daemon sends a
 * record a job each second, then an end record; each end redraws the screen from
 * its top left corner, with ANSI sequences every terminal in use knows:
 * cursor home, erase to the end of the line and of the screen, hide and
 * show the cursor.  The last table stays on the screen at the end.
 */

#include "config.h"

#include <sys/ioctl.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control_protocol.h"
#include "watch_table.h"

#define WT_NAME_MAX	64	/* a job name, with its NUL */
#define WT_CELL_MAX	WT_NAME_MAX
#define WT_LINE_MAX	512

/* A job record; v holds its numbers, from CONTROL_WATCH_CONNS on, and
 * WT_NONE for a latency the job does not have. */
struct wt_row {
	char		name[WT_NAME_MAX];
	char		kind[WT_NAME_MAX];
	uint64_t	v[CONTROL_WATCH_FIELDS];
};

#define WT_NONE		UINT64_MAX
#define WT_NCOLS	8
#define WT_NLEFT	2	/* the name and the kind; numbers go right */
static const char *const wt_header[WT_NCOLS] = {
	"JOB", "KIND", "CONNS", "MSG/S IN", "MSG/S OUT", "MB/S", "ERRORS",
	"P99"
};

static struct wt_row		*wt_rows;
static size_t			 wt_nrows, wt_cap;
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
	snprintf(cell[0], WT_CELL_MAX, "%s", r->name);
	snprintf(cell[1], WT_CELL_MAX, "%s", r->kind);
	snprintf(cell[2], WT_CELL_MAX, "%llu",
	    (unsigned long long)r->v[CONTROL_WATCH_CONNS]);
	wt_count(cell[3], r->v[CONTROL_WATCH_MSGS_IN]);
	wt_count(cell[4], r->v[CONTROL_WATCH_MSGS_OUT]);
	/* Wire bytes both ways, as a job's load on the network. */
	wt_sig(cell[5], (double)(r->v[CONTROL_WATCH_BYTES_IN] +
	    r->v[CONTROL_WATCH_BYTES_OUT]) / 1e6,
	    "");
	snprintf(cell[6], WT_CELL_MAX, "%llu",
	    (unsigned long long)r->v[CONTROL_WATCH_ERRORS]);
	/* The last second's, of the jobs that time messages. */
	wt_latency(cell[7], r->v[CONTROL_WATCH_P99]);
}

static void
wt_widen(size_t width[WT_NCOLS], char cell[WT_NCOLS][WT_CELL_MAX])
{
	size_t	i, n;

	for (i = 0; i < WT_NCOLS; i++)
		if ((n = strlen(cell[i])) > width[i])
			width[i] = n;
}

/* One line of the table, cut at the terminal's last column but one: a
 * line filling it would leave the cursor waiting to wrap. */
static void
wt_line(const size_t width[WT_NCOLS], char cell[WT_NCOLS][WT_CELL_MAX],
    size_t cols)
{
	char	line[WT_LINE_MAX];
	size_t	i, len = 0;
	int	n;

	for (i = 0; i < WT_NCOLS && len < sizeof(line); i++) {
		n = snprintf(line + len, sizeof(line) - len,
		    i < WT_NLEFT ? "%s%-*s" : "%s%*s", i > 0 ? "  " : "",
		    (int)width[i], cell[i]);
		len += n > 0 ? (size_t)n : 0;
	}
	if (len >= sizeof(line))
		len = sizeof(line) - 1;
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

/*
 * The header, a row a job, and the total of all jobs.  Rows the terminal
 * has no lines for give way to a count of them, so that the table never
 * scrolls and home is still its top.
 */
static void
wt_draw(void)
{
	struct winsize	ws;
	struct wt_row	total;
	char		cell[WT_NCOLS][WT_CELL_MAX];
	size_t		width[WT_NCOLS], i, j, shown = wt_nrows, cols = 0;

	if (!wt_active)
		wt_start();
	memset(&total, 0, sizeof(total));
	snprintf(total.name, sizeof(total.name), "total");
	/* Percentiles of several jobs do not add up: none for the total. */
	total.v[CONTROL_WATCH_P99] = WT_NONE;
	for (i = 0; i < wt_nrows; i++)
		for (j = CONTROL_WATCH_CONNS; j < CONTROL_WATCH_P99; j++)
			total.v[j] += wt_rows[i].v[j];
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0) {
		cols = ws.ws_col;
		/* The header, the total, the count, the cursor's line. */
		if (wt_nrows + 3 > ws.ws_row)
			shown = ws.ws_row > 4 ? ws.ws_row - 4u : 0;
	}

	memset(width, 0, sizeof(width));
	wt_header_cells(cell);
	wt_widen(width, cell);
	for (i = 0; i < shown; i++) {
		wt_cells(&wt_rows[i], cell);
		wt_widen(width, cell);
	}
	wt_cells(&total, cell);
	wt_widen(width, cell);

	printf("\033[H");
	wt_header_cells(cell);
	wt_line(width, cell, cols);
	for (i = 0; i < shown; i++) {
		wt_cells(&wt_rows[i], cell);
		wt_line(width, cell, cols);
	}
	if (shown < wt_nrows)
		printf("(%zu more)\033[K\n", wt_nrows - shown);
	wt_cells(&total, cell);
	wt_line(width, cell, cols);
	printf("\033[J");
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

static void
wt_grow(void)
{
	struct wt_row	*p;
	size_t		 cap = wt_cap == 0 ? 16 : wt_cap * 2;

	if ((p = reallocarray(wt_rows, cap, sizeof(*p))) == NULL) {
		watch_table_end();
		perror("wsbenchctl: reallocarray");
		exit(1);
	}
	wt_rows = p;
	wt_cap = cap;
}

int
watch_table_record(const char *line)
{
	size_t	tag = strlen(CONTROL_WATCH_JOB CONTROL_WATCH_SEP);

	if (strcmp(line, CONTROL_WATCH_END) == 0) {
		wt_draw();
		wt_nrows = 0;
		return 0;
	}
	if (strncmp(line, CONTROL_WATCH_JOB CONTROL_WATCH_SEP, tag) != 0)
		return -1;
	if (wt_nrows == wt_cap)
		wt_grow();
	if (wt_parse(line + tag, &wt_rows[wt_nrows]) == -1)
		return -1;
	wt_nrows++;
	return 0;
}
