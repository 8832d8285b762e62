/* SPDX-License-Identifier: ISC */
/*
 * wsbenchctl -R: relays standard input and output to the control socket.
 */
#ifndef CTL_RELAY_H
#define CTL_RELAY_H

/* Copies standard input to sock and sock to standard output until the
 * daemon closes; EOF on standard input half-closes sock.  Returns the
 * exit status. */
int	ctl_relay(int sock);

#endif
