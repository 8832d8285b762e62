/* SPDX-License-Identifier: ISC */
/*
 * TLS for wss:// clients and for servers given a certificate: one SSL_CTX
 * a job, made when the job is prepared (so a certificate that does not
 * load is a configuration error), and an SSL object a connection.
 */
#ifndef TLS_H
#define TLS_H

#include <stddef.h>

#include <openssl/ssl.h>

#include "counters.h"

struct tls;

/* A server side: TLS 1.2 and 1.3, certificate chain and key from PEM
 * files.  Returns NULL with a message in err. */
struct tls	*tls_server_new(const char *cert, const char *key, char *err,
		    size_t errlen);
/*
 * A client side for host (a name, or an IPv4 or IPv6 literal without
 * brackets): the chain is verified against ca (a PEM file) or else the
 * system's store, and must be for host; insecure verifies nothing.
 */
struct tls	*tls_client_new(const char *host, const char *ca,
		    int insecure, char *err, size_t errlen);
void		 tls_free(struct tls *);
int		 tls_insecure(const struct tls *);
/* One connection's SSL, in the side's state, with SNI on a client. */
SSL		*tls_ssl_new(const struct tls *);
/*
 * Why a TLS connection failed, from the first OpenSSL error it recorded
 * (0: none): CTR_errors_tls_verify when the peer's certificate was
 * refused, CTR_errors_tls_handshake for any other failure before the
 * handshake was done, CTR_errors_lost after it; OpenSSL's words in why.
 */
enum counter	 tls_failure(SSL *, unsigned long err, char *why,
		    size_t whylen);

#endif
