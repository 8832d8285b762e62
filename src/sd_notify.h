/* SPDX-License-Identifier: ISC */
/*
 * The service manager's notification protocol (sd_notify(3)), without
 * libsystemd: one datagram of KEY=VALUE lines to the Unix socket named by
 * NOTIFY_SOCKET.  Outside systemd (no NOTIFY_SOCKET) every call is a no-op.
 */
#ifndef SD_NOTIFY_H
#define SD_NOTIFY_H

#include <stdint.h>

/* Sends state ("READY=1", "STATUS=...", several joined by '\n').  Returns
 * 1 when sent, 0 without a NOTIFY_SOCKET, -1 on error (logged once). */
int		sd_notify_send(const char *state);
/* The watchdog interval in microseconds if the manager wants keep-alives
 * (WATCHDOG=1) from this process, else 0. */
uint64_t	sd_notify_watchdog_usec(void);

#endif
