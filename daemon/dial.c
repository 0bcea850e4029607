/* dial.c - resolve an IMAP server's name and open a TCP connection to it, with a timeout. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kithd.h"

static bool
addr_is_loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a6 = &((const struct sockaddr_in6 *)sa)->sin6_addr;

		return IN6_IS_ADDR_LOOPBACK(a6) || (IN6_IS_ADDR_V4MAPPED(a6) && a6->s6_addr[12] == 127);
	}
	return false;
}

/* connect() on a non-blocking socket, waiting at most timeout_ms; 0 or an errno value. */
static int
connect_within(int fd, const struct sockaddr *sa, socklen_t len, int timeout_ms)
{
	struct pollfd pfd = { fd, POLLOUT, 0 };
	socklen_t elen = sizeof(int);
	int err = 0, r;

	if (connect(fd, sa, len) == 0)
		return 0;
	if (errno != EINPROGRESS)
		return errno;
	do
		r = poll(&pfd, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return ETIMEDOUT;
	if (r < 0)
		return errno;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) == -1)
		return errno;
	return err;
}

int
dial(const char *host, int port, bool loopback_only, int timeout_s, struct strbuf *err)
{
	struct addrinfo hints = { 0 }, *res = NULL, *ai;
	char service[16];
	int fd = -1, e = 0, r, flags;

	/* No AI_ADDRCONFIG: on a machine with only loopback up it hides 127.0.0.1 itself. */
	hints.ai_socktype = SOCK_STREAM;
	snprintf(service, sizeof(service), "%d", port);
	if ((r = getaddrinfo(host, service, &hints, &res)) != 0) {
		sb_addf(err, "cannot find host '%s': %s", host, gai_strerror(r));
		return DIAL_RESOLVE;
	}
	/*
	 * Without TLS the name alone proves nothing ("localhost." goes to DNS):
	 * every address it resolves to must be a loopback address.
	 */
	if (loopback_only) {
		for (ai = res; ai; ai = ai->ai_next) {
			if (!addr_is_loopback(ai->ai_addr)) {
				sb_addf(err, "tls = none is only allowed for loopback hosts, and '%s' resolves "
					"to an address that is not loopback", host);
				goto out;
			}
		}
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd == -1) {
			e = errno;
			continue;
		}
		flags = fcntl(fd, F_GETFL);
		if (flags == -1 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1 ||
		    (e = connect_within(fd, ai->ai_addr, ai->ai_addrlen, timeout_s * 1000)) != 0 ||
		    fcntl(fd, F_SETFL, flags) == -1) {
			if (!e)
				e = errno;
			close(fd);
			fd = -1;
			continue;
		}
		break;
	}
	if (fd == -1) {
		sb_addf(err, "cannot connect to %s port %d: %s", host, port, strerror(e ? e : ECONNREFUSED));
		fd = DIAL_CONNECT;
	}
out:
	freeaddrinfo(res);
	return fd;
}
