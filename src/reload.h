/* SPDX-License-Identifier: ISC */
/*
 * Reloading the config file, on SIGHUP or `wsbenchctl reload`.  The file is
 * checked whole first: with any error, nothing changes.  Then its start
 * lines are compared with those of the jobs it started before: a job whose
 * line is unchanged keeps running, with its connections and counters; one
 * whose line is gone stops; a new line starts a job.  A changed line is
 * both, and as a stopping job holds its name until its last connection
 * closes, the new job starts once the name is free (reload_tick()).  Jobs
 * started with `wsbenchctl start` are not the file's and are left alone.
 */
#ifndef RELOAD_H
#define RELOAD_H

#include <stddef.h>

/* The file to reload; NULL or a file that may be missing when not given. */
void	reload_set_path(const char *path, int given);
/*
 * Returns 0 with a summary in msg; 1 when the file was applied but a new
 * line's job failed to start, with the summary and the first failure in
 * msg; or -1 with why nothing changed.
 */
int	reload_run(char *msg, size_t msglen);
/* Starts lines waiting for their names; once a second, main loop. */
void	reload_tick(void);

#endif
