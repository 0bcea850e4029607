/* tls.c - verify the IMAP server's certificate chain and name with GnuTLS. */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "kithd.h"

/*
 * libetpan's GnuTLS session verifies nothing, so the peer's chain is
 * checked here, after the handshake and before any credential is sent.
 */
int
tls_verify(mailstream *stream, const char *host, const char *ca_file, struct strbuf *err)
{
	gnutls_x509_trust_list_t tl = NULL;
	gnutls_x509_crt_t *certs = NULL;
	gnutls_typed_vdata_st vdata[2];
	unsigned char ip[16];
	unsigned status = 0, nvdata = 0, ncerts = 0, i;
	carray *chain;
	gnutls_datum_t text = { NULL, 0 };
	int r, rc = -1;
	bool is_ip = false;

	chain = mailstream_get_certificate_chain(stream);
	if (!chain || carray_count(chain) == 0) {
		sb_addf(err, "%s sent no certificate", host);
		goto out;
	}
	ncerts = carray_count(chain);
	certs = xcalloc(ncerts, sizeof(*certs));
	for (i = 0; i < ncerts; i++) {
		MMAPString *der = carray_get(chain, i);
		gnutls_datum_t d = { (unsigned char *)der->str, (unsigned)der->len };

		if ((r = gnutls_x509_crt_init(&certs[i])) < 0 ||
		    (r = gnutls_x509_crt_import(certs[i], &d, GNUTLS_X509_FMT_DER)) < 0) {
			sb_addf(err, "cannot read the certificate of %s: %s", host, gnutls_strerror(r));
			goto out;
		}
	}

	if ((r = gnutls_x509_trust_list_init(&tl, 0)) < 0) {
		sb_addf(err, "cannot set up certificate checks: %s", gnutls_strerror(r));
		goto out;
	}
	/* No system store at all is not an error by itself: ca_file may be enough. */
	r = gnutls_x509_trust_list_add_system_trust(tl, 0, 0);
	if (r < 0)
		log_debug("no system trust store: %s", gnutls_strerror(r));
	if (ca_file) {
		r = gnutls_x509_trust_list_add_trust_file(tl, ca_file, NULL, GNUTLS_X509_FMT_PEM, 0, 0);
		if (r <= 0) {
			sb_addf(err, "cannot read ca_file '%s': %s", ca_file,
				r < 0 ? gnutls_strerror(r) : "no certificate in it");
			goto out;
		}
	}

	if (inet_pton(AF_INET, host, ip) == 1) {
		vdata[nvdata++] = (gnutls_typed_vdata_st){ GNUTLS_DT_IP_ADDRESS, ip, 4 };
		is_ip = true;
	} else if (inet_pton(AF_INET6, host, ip) == 1) {
		vdata[nvdata++] = (gnutls_typed_vdata_st){ GNUTLS_DT_IP_ADDRESS, ip, 16 };
		is_ip = true;
	} else {
		vdata[nvdata++] = (gnutls_typed_vdata_st){ GNUTLS_DT_DNS_HOSTNAME,
							   (unsigned char *)host, 0 };
	}
	vdata[nvdata++] = (gnutls_typed_vdata_st){ GNUTLS_DT_KEY_PURPOSE_OID,
						   (unsigned char *)GNUTLS_KP_TLS_WWW_SERVER, 0 };

	r = gnutls_x509_trust_list_verify_crt2(tl, certs, ncerts, vdata, nvdata, 0, &status, NULL);
	if (r < 0) {
		sb_addf(err, "cannot verify the certificate of %s: %s", host, gnutls_strerror(r));
		goto out;
	}
	if (status != 0) {
		if (gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &text, 0) < 0)
			text.data = NULL;
		sb_addf(err, "certificate of %s not trusted%s: %s", host,
			is_ip ? " (checked against the IP address)" : "",
			text.data ? (const char *)text.data : "verification failed");
		goto out;
	}
	rc = 0;
out:
	gnutls_free(text.data);
	if (tl)
		gnutls_x509_trust_list_deinit(tl, 1);
	for (i = 0; certs && i < ncerts; i++)
		if (certs[i])
			gnutls_x509_crt_deinit(certs[i]);
	free(certs);
	if (chain)
		mailstream_certificate_chain_free(chain);
	return rc;
}
