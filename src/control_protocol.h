/* SPDX-License-Identifier: ISC */
/*
 * What wsbenchd and wsbenchctl say to each other on the control socket,
 * in one place both include.  A client sends one request line, a command
 * in the config file's grammar, of at most CONTROL_REQUEST_MAX bytes.
 * Each line of the reply is tagged by its first byte: output lines, then
 * one error or success line, the last.  `watch` sends output lines each
 * second until the client hangs up; `watch --table` sends them as records.
 * `wait` and `run` reply later (below).
 */
#ifndef CONTROL_PROTOCOL_H
#define CONTROL_PROTOCOL_H

#define CONTROL_REQUEST_MAX	8192

#define CONTROL_TAG_OUTPUT	'>'	/* a line of output */
#define CONTROL_TAG_ERROR	'!'	/* the error; the last line */
#define CONTROL_TAG_OK		'.'	/* success; the last line */
/* The last line "#N TEXT": exit status N (2: the command is wrong, 3: it
 * could not judge), TEXT (may be empty) on stderr. */
#define CONTROL_TAG_EXIT	'#'
/* A line of the per-second series as CSV, for wsbenchctl -o FILE. */
#define CONTROL_TAG_SERIES	':'

/*
 * `run` sends the lines of its file after the request line, each as it
 * is, then a line holding only CONTROL_BODY_END; at most CONTROL_BODY_LINES
 * lines and CONTROL_BODY_MAX bytes.  `wait` and `run` reply once their
 * jobs finish; the client half-closing meanwhile interrupts them.
 */
#define CONTROL_BODY_END	"."
#define CONTROL_BODY_LINES	1000
#define CONTROL_BODY_MAX	(64 * 1024)

/*
 * The records of `watch --table`, for programs too: one record a job,
 * its tag and fields separated by tabs (a job name holds none), in the
 * order below, then the end record.  Fields may be added at the end of a
 * record, never between.
 */
#define CONTROL_WATCH_JOB	"job"
#define CONTROL_WATCH_END	"end"
#define CONTROL_WATCH_SEP	"\t"

enum control_watch_field {
	CONTROL_WATCH_NAME,
	CONTROL_WATCH_KIND,
	CONTROL_WATCH_CONNS,		/* connections open */
	CONTROL_WATCH_MSGS_IN,		/* messages received a second */
	CONTROL_WATCH_MSGS_OUT,		/* messages sent a second */
	CONTROL_WATCH_BYTES_IN,		/* bytes received a second */
	CONTROL_WATCH_BYTES_OUT,	/* bytes sent a second */
	CONTROL_WATCH_ERRORS,		/* connection errors, in all */
	/* The 99th percentile of the latency over the last second, in ns:
	 * CONTROL_WATCH_NONE for a job that times nothing, 0 for one that
	 * timed nothing that second.  Daemons before it do not send it. */
	CONTROL_WATCH_P99,
	CONTROL_WATCH_FIELDS
};
#define CONTROL_WATCH_NONE	"-"

#endif
