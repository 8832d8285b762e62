/* SPDX-License-Identifier: ISC */
/*
 * What `wait` and `run` share: jobs waited for until they finish, the
 * requirements judged on their reports once they have, and the reply (the
 * reports as `stats` shows them, a line a requirement, the verdict, the
 * series with --series, the exit status).
 */
#ifndef VERDICT_H
#define VERDICT_H

#include <stddef.h>
#include <stdint.h>

struct cmd_done;
struct cmd_pending_ops;
struct job;

#define VERDICT_JOBS_MAX	64
#define VERDICT_REQUIRE_MAX	32

struct verdict;

/* A verdict replying in JSON (json) and with the series (series).  A run
 * finishes its jobs itself when it stops waiting early, reports them, and
 * removes them all at the end. */
struct verdict	*verdict_new(int json, int series, int run);
/* Reports job j, and with waited set waits for it to finish (it must
 * have --duration).  Returns 0, or -1 with a message. */
int	verdict_add_job(struct verdict *, struct job *j, int waited,
	    char *err, size_t errlen);
/* Waits for every job that has --duration. */
int	verdict_add_timed(struct verdict *, char *err, size_t errlen);
/* A requirement, parsed.  Returns 0, or -1 with a message. */
int	verdict_require(struct verdict *, const char *expr, char *err,
	    size_t errlen);
/* Checks each requirement against the jobs it applies to, which must
 * each have its field.  Returns 0, or -1 with a message. */
int	verdict_check(struct verdict *, char *err, size_t errlen);
/* Gives up waiting timeout ns from now. */
void	verdict_timeout(struct verdict *, uint64_t ns);

/* The --timeout and --require of a wait line's args (cmd_wait.c), for
 * wait and for the wait line of a run. */
struct args;
int	cmd_wait_options(struct verdict *, const struct args *, char *err,
	    size_t errlen);

/* The pending command of the verdict (cmd.h), its arg the verdict. */
extern const struct cmd_pending_ops verdict_pending;

#endif
