/* SPDX-License-Identifier: ISC */
/* ws:// and wss:// URLs (RFC 6455 section 3), parsed without allocation. */
#ifndef WS_URL_H
#define WS_URL_H

#include <stddef.h>
#include <stdint.h>

#define WS_URL_HOST_MAX	255
#define WS_URL_PATH_MAX	2048

struct ws_url {
	int		tls;				/* wss:// */
	char		host[WS_URL_HOST_MAX + 1];	/* no brackets */
	int		ipv6;				/* host is an IPv6 literal */
	uint16_t	port;				/* 80/443 if absent */
	int		port_given;
	char		path[WS_URL_PATH_MAX + 1];	/* path and query, "/" if absent */
};

/*
 * Parses s.  Returns 0, or -1 with a static message in *err.  Accepts
 * ws://host[:port][/path][?query] and wss://..., with host a name, an IPv4
 * address or a bracketed IPv6 literal; scheme and host are case-insensitive.
 * Refuses other schemes, userinfo, fragments, empty hosts, ports outside
 * 1..65535, and anything longer than the buffers.
 */
int	ws_url_parse(const char *s, struct ws_url *u, const char **err);

/*
 * The Host header value for u: host, bracketed if IPv6, with ":port" unless
 * the port is the scheme's default.  Returns 0, or -1 if cap is too small.
 */
int	ws_url_host_header(const struct ws_url *u, char *out, size_t cap);

#endif
