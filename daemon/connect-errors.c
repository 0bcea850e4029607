/* connect-errors.c - connection errors that carry their fix: what failed, and which setting to change. */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kithd.h"

#define PROBE_MS 3000	/* how long the plain-text probe waits for a greeting */

/*
 * Whether host:port greets in plain text ("* OK"): the sign of a STARTTLS
 * or plain port reached with tls = implicit.  One short extra connection,
 * made only after a failure, never carrying a secret.
 */
static bool
greets_in_plain_text(const char *host, int port)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL, *ai;
	char service[16], buf[8] = { 0 };
	bool plain = false;
	int fd = -1, err = 0;

	snprintf(service, sizeof(service), "%d", port);
	if (getaddrinfo(host, service, &hints, &res) != 0)
		return false;
	/* Non-blocking, so a host that swallows packets costs PROBE_MS, not minutes. */
	for (ai = res; ai && fd == -1; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
		if (fd == -1)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == -1 &&
		    (errno != EINPROGRESS ||
		     poll(&(struct pollfd){ .fd = fd, .events = POLLOUT }, 1, PROBE_MS) != 1 ||
		     getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &(socklen_t){ sizeof(err) }) == -1 || err)) {
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	if (fd == -1)
		return false;
	if (poll(&(struct pollfd){ .fd = fd, .events = POLLIN }, 1, PROBE_MS) == 1 &&
	    read(fd, buf, sizeof(buf) - 1) >= 4)
		plain = strncmp(buf, "* OK", 4) == 0 || strncmp(buf, "* PREAUTH", 4) == 0;
	close(fd);
	return plain;
}

void
connect_error_dial(struct strbuf *err, const struct kith_account *a, int why)
{
	if (why == DIAL_RESOLVE)
		sb_addf(err, "; check host in [account %s] (and the network)", a->name);
	else if (why == DIAL_CONNECT)
		sb_addf(err, "; connection refused or unreachable: check port in [account %s] "
			"(993 for tls = implicit, 143 for tls = starttls)", a->name);
}

void
connect_error_tls(struct strbuf *err, const struct kith_account *a)
{
	if (a->tls == TLS_IMPLICIT && greets_in_plain_text(a->host, a->port))
		sb_addf(err, "; port %d speaks plain text first, not TLS: try tls = starttls with port 143",
			a->port);
	else if (a->tls != TLS_IMPLICIT && a->port == 993)
		sb_adds(err, "; port 993 expects TLS from the start: try tls = implicit");
}

void
connect_error_cert(struct strbuf *err, const struct kith_account *a)
{
	if (a->ca_file)
		sb_addf(err, "; ca_file = %s does not vouch for it either", a->ca_file);
	else
		sb_addf(err, "; if the server uses its own certificate authority (self-hosted), "
			"set ca_file = /path/to/ca.pem in [account %s]", a->name);
}

static bool
host_is(const char *host, const char *domain)
{
	size_t h = strlen(host), d = strlen(domain);

	return h >= d && strcasecmp(host + h - d, domain) == 0 && (h == d || host[h - d - 1] == '.');
}

void
connect_error_login(struct strbuf *err, const struct kith_account *a)
{
	static const struct {
		const char *domain, *provider;
	} app_passwords[] = {
		{ "gmail.com", "Gmail" }, { "googlemail.com", "Gmail" }, { "fastmail.com", "Fastmail" },
		{ "me.com", "iCloud" }, { "yahoo.com", "Yahoo" }, { "aol.com", "AOL" },
	};
	size_t i;

	if (host_is(a->host, "office365.com") || host_is(a->host, "outlook.com")) {
		sb_adds(err, a->auth == AUTH_XOAUTH2
			? "; Microsoft accepts OAuth 2 only: password_command must print a fresh access token"
			: "; Microsoft accepts OAuth 2 only: set auth = xoauth2 and a password_command that "
			  "prints an access token");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(app_passwords); i++) {
		if (host_is(a->host, app_passwords[i].domain)) {
			sb_addf(err, "; %s refuses the account password here: make an app password and have "
				"password_command print it%s", app_passwords[i].provider,
				strcmp(app_passwords[i].provider, "Gmail") == 0 ? " (or use auth = xoauth2)" : "");
			return;
		}
	}
	sb_addf(err, "; check user and what password_command prints for [account %s] (providers with "
		"two-step login usually need an app password)", a->name);
}
