/* SPDX-License-Identifier: ISC */
/*
 * The control socket: a Unix socket on which each connection carries one
 * request and gets its reply (control_protocol.h).  `watch` keeps the
 * connection and sends output lines each second until the client hangs up;
 * `wait` and `run` keep it until their jobs finish (a pending command,
 * cmd.h), polled each second and whenever a job finishes or leaves, and
 * interrupted by the client's half-close.
 */
#ifndef CONTROL_H
#define CONTROL_H

/* Listens on path, replacing a stale socket but never a live daemon's. */
int	control_listen(const char *path);
/* Gives the socket the mode and group the settings say.  Returns 0, or
 * -1 (logged). */
int	control_perms(void);
/* Sends each watching client its lines; after the rates are sampled. */
void	control_tick(void);
/* Closes the listener and every client, and removes the socket file. */
void	control_shutdown(void);

#endif
