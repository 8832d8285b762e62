/* SPDX-License-Identifier: ISC */
/*
 * The control socket: a Unix socket on which each connection carries one
 * request line (a command in the config file grammar) and gets back lines
 * tagged by their first byte: '>' output, '!' error (last line), '.'
 * success (last line).  `watch` keeps the connection and sends '>' lines
 * each second until the client hangs up.
 */
#ifndef CONTROL_H
#define CONTROL_H

#define CONTROL_REQUEST_MAX	8192

struct control_client;

/* Listens on path, replacing a stale socket but never a live daemon's. */
int	control_listen(const char *path);
/* Gives the socket the mode and group the settings say.  Returns 0, or
 * -1 (logged). */
int	control_perms(void);
/* Sends each watching client its lines; after the rates are sampled. */
void	control_tick(void);
/* Makes the client a watcher of job name (NULL: all jobs), sent the
 * table's records rather than a line when table is set. */
int	control_watch(struct control_client *, const char *name, int table);
/* Closes the listener and every client, and removes the socket file. */
void	control_shutdown(void);

#endif
