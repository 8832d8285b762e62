/* SPDX-License-Identifier: ISC */
/*
 * Who may use the control socket, as the peer's credentials (SO_PEERCRED)
 * say: root, the daemon's own user and members of the socket's group
 * (control-group, else the daemon's group) may run every command; members
 * of control-read-group only those that change nothing.  The socket's mode
 * keeps others out through the file system too, unless a read group needs
 * it open.
 */
#ifndef CONTROL_AUTH_H
#define CONTROL_AUTH_H

#include <stddef.h>

#define CONTROL_AUTH_FULL	0
#define CONTROL_AUTH_READ	1	/* read-only commands only */
#define CONTROL_AUTH_REFUSED	(-1)	/* with why */

int	control_auth_check(int fd, char *why, size_t whylen);

#endif
