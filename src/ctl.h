/* SPDX-License-Identifier: ISC */
/*
 * What wsbenchctl's files share: reading a reply's last line, the Ctrl-C
 * of wait and run, and the command on several hosts.
 */
#ifndef CTL_H
#define CTL_H

#include <stddef.h>

struct ctl_host;

/* ctl_reply.c.  If line is a reply's last line (control_protocol.h), returns its exit
 * status and points text at its message ("" for none); else -1. */
int	ctl_end(const char *line, const char **text);
/* Makes the first Ctrl-C half-close fd too (wait and run). */
void	ctl_wait_catch(int fd);
/* Flushes standard output: -1 if well, 0 if its reader left, else 1
 * (said). */
int	ctl_flush(void);
/* Sends req to each of n hosts (n > 1) at once and prints their replies
 * (ctl_many.c); returns the exit status. */
int	ctl_many(struct ctl_host *, int n, const char *sock, const char *req,
	    size_t len, char **argv, int json, int table);

#endif
