/* SPDX-License-Identifier: ISC */
/* Socket addresses as users write and read them. */
#ifndef SOCKADDR_H
#define SOCKADDR_H

#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>

#define SOCKADDR_STR_MAX	64	/* "[ipv6]:port" */

/* An IPv4 or IPv6 literal and a port.  Returns 0, or -1. */
int	sockaddr_parse(const char *addr, uint16_t port,
	    struct sockaddr_storage *ss, socklen_t *len);
/* "ADDR:PORT" (IPv4) or "[ADDR]:PORT" (IPv6): the port after the last
 * colon.  Returns 0, or -1. */
int	sockaddr_parse_hostport(const char *s, struct sockaddr_storage *ss,
	    socklen_t *len);
/* "127.0.0.1:8008" or "[::1]:8008". */
void	sockaddr_str(const struct sockaddr *sa, char *out, size_t cap);

#endif
