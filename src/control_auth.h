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

enum control_auth {
	CONTROL_AUTH_FULL,
	CONTROL_AUTH_READ,		/* read-only commands only */
	CONTROL_AUTH_REFUSED		/* with why */
};

enum control_auth	control_auth_check(int fd, char *why, size_t whylen);

#endif
