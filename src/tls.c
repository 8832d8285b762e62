/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <sys/socket.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "counters.h"
#include "tls.h"

/* TLS 1.2 suites with forward secrecy and AEAD only; TLS 1.3 has no
 * others. */
#define TLS_CIPHERS_12	"ECDHE+AESGCM:ECDHE+CHACHA20"

struct tls {
	SSL_CTX	*ctx;
	int	 client;
	int	 insecure;
	char	*sni;		/* client: the name to send, NULL for an IP */
};

/* OpenSSL's reason for the oldest error queued that has words, then an
 * empty queue. */
static const char *
tls_queued_reason(void)
{
	const char	*why = NULL;
	unsigned long	 e;

	while ((e = ERR_get_error()) != 0) {
		if (why != NULL)
			continue;
		/* A system error's reason is errno ("no such file"). */
		why = ERR_GET_LIB(e) == ERR_LIB_SYS ?
		    strerror(ERR_GET_REASON(e)) : ERR_reason_error_string(e);
	}
	return why != NULL ? why : "unknown error";
}

static struct tls *
tls_new(const SSL_METHOD *method, char *err, size_t errlen)
{
	struct tls	*t;

	if ((t = calloc(1, sizeof(*t))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if ((t->ctx = SSL_CTX_new(method)) == NULL) {
		snprintf(err, errlen, "cannot set up TLS: %s",
		    tls_queued_reason());
		free(t);
		return NULL;
	}
	if (SSL_CTX_set_min_proto_version(t->ctx, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_cipher_list(t->ctx, TLS_CIPHERS_12) != 1) {
		snprintf(err, errlen, "cannot set up TLS: %s",
		    tls_queued_reason());
		tls_free(t);
		return NULL;
	}
	SSL_CTX_set_options(t->ctx, SSL_OP_NO_RENEGOTIATION);
	return t;
}

struct tls *
tls_server_new(const char *cert, const char *key, char *err, size_t errlen)
{
	struct tls	*t;

	if ((t = tls_new(TLS_server_method(), err, errlen)) == NULL)
		return NULL;
	if (SSL_CTX_use_certificate_chain_file(t->ctx, cert) != 1) {
		snprintf(err, errlen, "--tls-cert '%s': %s", cert,
		    tls_queued_reason());
		goto fail;
	}
	/* This also checks that the key is the certificate's. */
	if (SSL_CTX_use_PrivateKey_file(t->ctx, key, SSL_FILETYPE_PEM) != 1) {
		snprintf(err, errlen, "--tls-key '%s': %s", key,
		    tls_queued_reason());
		goto fail;
	}
	return t;
fail:
	tls_free(t);
	return NULL;
}

/* Verification: the chain, to ca or the system's roots, and the name. */
static int
tls_client_verify(struct tls *t, const char *host, const char *ca, char *err,
    size_t errlen)
{
	X509_VERIFY_PARAM	*param = SSL_CTX_get0_param(t->ctx);
	unsigned char		 addr[sizeof(struct in6_addr)];
	int			 ip;

	ip = inet_pton(AF_INET, host, addr) == 1 ||
	    inet_pton(AF_INET6, host, addr) == 1;
	/* SNI carries names only (RFC 6066 section 3). */
	if (!ip && (t->sni = strdup(host)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (t->insecure) {
		SSL_CTX_set_verify(t->ctx, SSL_VERIFY_NONE, NULL);
		return 0;
	}
	SSL_CTX_set_verify(t->ctx, SSL_VERIFY_PEER, NULL);
	if (ca != NULL ? SSL_CTX_load_verify_locations(t->ctx, ca, NULL) != 1 :
	    SSL_CTX_set_default_verify_paths(t->ctx) != 1) {
		snprintf(err, errlen, "%s%s%s: %s", ca != NULL ? "--ca '" : "",
		    ca != NULL ? ca : "the system's certificates",
		    ca != NULL ? "'" : "", tls_queued_reason());
		return -1;
	}
	X509_VERIFY_PARAM_set_hostflags(param,
	    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	if ((ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host) :
	    X509_VERIFY_PARAM_set1_host(param, host, 0)) != 1) {
		snprintf(err, errlen, "cannot check certificates for '%s': %s",
		    host, tls_queued_reason());
		return -1;
	}
	return 0;
}

struct tls *
tls_client_new(const char *host, const char *ca, int insecure, char *err,
    size_t errlen)
{
	struct tls	*t;

	if ((t = tls_new(TLS_client_method(), err, errlen)) == NULL)
		return NULL;
	t->client = 1;
	t->insecure = insecure;
	if (tls_client_verify(t, host, ca, err, errlen) == -1) {
		tls_free(t);
		return NULL;
	}
	return t;
}

void
tls_free(struct tls *t)
{
	if (t == NULL)
		return;
	SSL_CTX_free(t->ctx);
	free(t->sni);
	free(t);
}

int
tls_insecure(const struct tls *t)
{
	return t->insecure;
}

SSL *
tls_ssl_new(const struct tls *t)
{
	SSL	*ssl;

	if ((ssl = SSL_new(t->ctx)) == NULL) {
		ERR_clear_error();
		return NULL;
	}
	if (!t->client) {
		SSL_set_accept_state(ssl);
		return ssl;
	}
	SSL_set_connect_state(ssl);
	if (t->sni != NULL && SSL_set_tlsext_host_name(ssl, t->sni) != 1) {
		ERR_clear_error();
		SSL_free(ssl);
		return NULL;
	}
	return ssl;
}

enum counter
tls_failure(SSL *ssl, unsigned long err, char *why, size_t whylen)
{
	const char	*reason;
	long		 verify = SSL_get_verify_result(ssl);

	if (ERR_GET_LIB(err) == ERR_LIB_SSL &&
	    ERR_GET_REASON(err) == SSL_R_CERTIFICATE_VERIFY_FAILED &&
	    verify != X509_V_OK) {
		snprintf(why, whylen, "TLS: certificate refused: %s",
		    X509_verify_cert_error_string(verify));
		return CTR_errors_tls_verify;
	}
	reason = err != 0 ? ERR_reason_error_string(err) : NULL;
	if (reason == NULL)
		reason = "the connection closed";
	if (SSL_is_init_finished(ssl)) {
		snprintf(why, whylen, "TLS: %s", reason);
		return CTR_errors_lost;
	}
	snprintf(why, whylen, "TLS handshake failed: %s", reason);
	return CTR_errors_tls_handshake;
}
