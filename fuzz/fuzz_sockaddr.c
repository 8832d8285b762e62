/* SPDX-License-Identifier: ISC */
/*
 * Addresses with a port, as a config file or a command gives them
 * (--listen, the metrics and status address): sockaddr_parse_hostport().
 * It must take exactly what a plain reading of its rule takes: the port
 * after the last colon, decimal digits up to 65535; before it an IPv4 or
 * IPv6 literal, which may be in brackets.  What it takes, written back by
 * sockaddr_str() into any room, fits that room, and when the room is
 * enough it reads back as the same address.
 *
 * Input: a byte for the room, then the text (up to a NUL).
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sockaddr.h"

/* The rule read the plain way. */
static int
sockaddr_ref(const char *s)
{
	const char	*colon = strrchr(s, ':'), *p;
	char		 host[128];
	unsigned char	 buf[sizeof(struct in6_addr)];
	size_t		 hlen;
	unsigned long	 port = 0;

	if (colon == NULL || colon[1] == '\0')
		return -1;
	for (p = colon + 1; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		if (port <= 65535)
			port = port * 10 + (unsigned long)(*p - '0');
	}
	if (port > 65535)
		return -1;
	hlen = (size_t)(colon - s);
	if (hlen >= 2 && s[0] == '[' && s[hlen - 1] == ']') {
		s++;
		hlen -= 2;
	}
	if (hlen == 0 || hlen >= 64)
		return -1;
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	return inet_pton(AF_INET, host, buf) == 1 ||
	    inet_pton(AF_INET6, host, buf) == 1 ? 0 : -1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in		 in = { data, size };
	struct sockaddr_storage	 ss, again;
	socklen_t		 len, len2;
	size_t			 cap = fuzz_byte(&in) % (SOCKADDR_STR_MAX + 8) + 1;
	char			*s = (char *)fuzz_copy(in.p, in.n, 1), *out;
	int			 rc;

	rc = sockaddr_parse_hostport(s, &ss, &len);
	FUZZ_CHECK(rc == 0 || rc == -1);
	FUZZ_CHECK(rc == sockaddr_ref(s));
	if (rc == 0) {
		FUZZ_CHECK(ss.ss_family == AF_INET ? len == sizeof(struct sockaddr_in) :
		    ss.ss_family == AF_INET6 && len == sizeof(struct sockaddr_in6));
		out = (char *)fuzz_copy(NULL, cap, 0);
		sockaddr_str((struct sockaddr *)&ss, out, cap);
		FUZZ_CHECK(memchr(out, '\0', cap) != NULL);
		if (strlen(out) + 1 < cap) {	/* not cut short */
			FUZZ_CHECK(sockaddr_parse_hostport(out, &again, &len2) == 0);
			FUZZ_CHECK(len2 == len && memcmp(&again, &ss, len) == 0);
		}
		free(out);
	}
	free(s);
	return 0;
}
