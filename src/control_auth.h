/*
 * Who may use the control socket: root, the daemon's own user, and members
 * of the daemon's group, as the peer's credentials (SO_PEERCRED) say.  The
 * socket's mode (0660) already keeps others out through the file system;
 * this holds if the mode is loosened or the socket is reached another way.
 */
#ifndef CONTROL_AUTH_H
#define CONTROL_AUTH_H

#include <stddef.h>

/* 0 when the peer on fd may send commands, else -1 with why. */
int	control_auth_check(int fd, char *why, size_t whylen);

#endif
