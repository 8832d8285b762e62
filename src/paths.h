/* SPDX-License-Identifier: ISC */
/* Where the daemon and its control tool meet. */
#ifndef PATHS_H
#define PATHS_H

#include <sys/socket.h>
#include <sys/un.h>

#include <stddef.h>

#define PATHS_SYSTEM_SOCKET	"/run/wsbenchd/control.sock"
#define PATHS_USER_SOCKET	"wsbenchd/control.sock"	/* under XDG_RUNTIME_DIR */

/*
 * The control socket path when none is given: WSBENCH_SOCKET if set; else
 * the system socket for a daemon that can write /run (or a client that
 * finds a system socket); else the one under XDG_RUNTIME_DIR.
 */
const char	*paths_socket(int daemon, char *buf, size_t cap);
/* Creates the socket's directory if it is missing.  Returns 0, or -1. */
int		 paths_socket_dir(const char *path);
/* Fills a Unix socket address.  Returns 0, or -1 if path is too long. */
int		 paths_unix_addr(const char *path, struct sockaddr_un *sun);

#endif
