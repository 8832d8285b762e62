/* SPDX-License-Identifier: ISC */
/*
 * ws_url_parse() on any string: a URL it takes must hold what the header
 * promises, and the URL written back from it (scheme, Host header, path)
 * must parse to the same host, port and path.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ws_url.h"

/* "wss://" and the brackets, colon and port around a host. */
#define URL_HOST_HEADER_MAX	(WS_URL_HOST_MAX + 8)
#define URL_MAX			(WS_URL_PATH_MAX + WS_URL_HOST_MAX + 16)

static void
url_round_trip(const struct ws_url *u)
{
	struct ws_url	 again;
	char		 host[URL_HOST_HEADER_MAX], *s;
	const char	*err;

	FUZZ_CHECK(ws_url_host_header(u, host, sizeof(host)) == 0);
	FUZZ_CHECK(ws_url_host_header(u, host, strlen(host)) == -1);
	FUZZ_CHECK(ws_url_host_header(u, host, sizeof(host)) == 0);
	s = (char *)fuzz_copy(NULL, URL_MAX, 0);
	snprintf(s, URL_MAX, "%s://%s%s", u->tls ? "wss" : "ws", host,
	    u->path);
	FUZZ_CHECK(ws_url_parse(s, &again, &err) == 0);
	FUZZ_CHECK(again.tls == u->tls && again.ipv6 == u->ipv6 &&
	    again.port == u->port && strcmp(again.host, u->host) == 0 &&
	    strcmp(again.path, u->path) == 0);
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ws_url	 u;
	const char	*err = NULL;
	char		*s;
	size_t		 i;

	s = (char *)fuzz_copy(data, size, 1);
	if (ws_url_parse(s, &u, &err) == -1)
		FUZZ_CHECK(err != NULL);
	else {
		FUZZ_CHECK(u.host[0] != '\0' && u.port != 0);
		FUZZ_CHECK(strlen(u.host) <= WS_URL_HOST_MAX);
		FUZZ_CHECK(u.path[0] == '/' &&
		    strlen(u.path) <= WS_URL_PATH_MAX);
		FUZZ_CHECK(u.port_given || u.port == (u.tls ? 443 : 80));
		for (i = 0; u.host[i] != '\0'; i++)
			FUZZ_CHECK(u.host[i] > ' ' && u.host[i] < 0x7f &&
			    (u.host[i] < 'A' || u.host[i] > 'Z'));
		url_round_trip(&u);
	}
	free(s);
	return 0;
}
