/* imap.c - one IMAP connection with libetpan: TLS, login, folders, header fetch, IDLE. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kith/header.h"
#include "kithd.h"

static const char *
etpan_strerror(int r)
{
	switch (r) {
	case MAILIMAP_ERROR_BAD_STATE:		return "command not allowed in this state";
	case MAILIMAP_ERROR_STREAM:		return "connection lost or timed out";
	case MAILIMAP_ERROR_PARSE:		return "unreadable response from the server";
	case MAILIMAP_ERROR_CONNECTION_REFUSED:	return "connection refused or host not found";
	case MAILIMAP_ERROR_MEMORY:		return "response too large or out of memory";
	case MAILIMAP_ERROR_FATAL:		return "the server closed the session (BYE)";
	case MAILIMAP_ERROR_PROTOCOL:		return "the server rejected the command (BAD)";
	case MAILIMAP_ERROR_DONT_ACCEPT_CONNECTION: return "the server does not accept connections";
	case MAILIMAP_ERROR_STARTTLS:		return "STARTTLS refused or failed";
	case MAILIMAP_ERROR_SSL:		return "TLS handshake failed";
	case MAILIMAP_ERROR_SASL:		return "SASL authentication failed";
	default:				return "command failed";
	}
}

/* Errors after which the connection cannot be trusted to carry on. */
static bool
is_connection_error(int r)
{
	switch (r) {
	case MAILIMAP_ERROR_BAD_STATE:
	case MAILIMAP_ERROR_STREAM:
	case MAILIMAP_ERROR_PARSE:
	case MAILIMAP_ERROR_CONNECTION_REFUSED:
	case MAILIMAP_ERROR_MEMORY:
	case MAILIMAP_ERROR_FATAL:
	case MAILIMAP_ERROR_PROTOCOL:
	case MAILIMAP_ERROR_DONT_ACCEPT_CONNECTION:
	case MAILIMAP_ERROR_STARTTLS:
	case MAILIMAP_ERROR_SSL:
	case MAILIMAP_ERROR_NEEDS_MORE_DATA:
		return true;
	default:
		return false;
	}
}

/* Text from the server goes into logs: printable ASCII only, bounded. */
static void
add_server_text(struct strbuf *sb, const char *s)
{
	size_t i;

	for (i = 0; s && s[i] && i < 200; i++)
		sb_addc(sb, s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?');
}

static int
fail(struct imap *im, int r, const char *what)
{
	const char *resp = im->s ? im->s->imap_response : NULL;

	sb_reset(&im->err);
	im->broken = im->too_big || im->literal_too_big || is_connection_error(r);
	if (im->too_big) {
		sb_addf(&im->err, "%s: %s: the server %s", im->acct->host, what, im->too_big_what);
		return IMAP_ERROR;
	}
	if (im->literal_too_big) {
		sb_addf(&im->err, "%s: %s: the server announced a literal over %d bytes", im->acct->host,
			what, IMAP_LITERAL_MAX);
		return IMAP_ERROR;
	}
	if (is_connection_error(r)) {
		sb_addf(&im->err, "%s: %s: %s", im->acct->host, what, etpan_strerror(r));
		return IMAP_ERROR;
	}
	sb_addf(&im->err, "%s: %s refused", im->acct->host, what);
	if (resp && *resp) {
		sb_adds(&im->err, ": ");
		add_server_text(&im->err, resp);
	}
	return IMAP_NO;
}

/*
 * Every byte from the server passes here before libetpan buffers it.  A
 * line that never ends, or a literal announced larger than the command in
 * progress can need, shuts the socket down so that libetpan's read fails:
 * it would otherwise grow its buffers for whatever the server announces.
 * This follows the IMAP framing only as far as "{N}" at the end of a line.
 */
/*
 * The literal size announced by "{N}" or "{N+}" ending at tail[k - 1]
 * (the '}'): *n, with true; false when that is no literal.  Every digit
 * counts: libetpan reads a number of any length (wrapping it), so one too
 * long to add up here, or one whose '{' the tail has lost, is UINT64_MAX.
 */
static bool
literal_at(const struct imap *im, size_t k, uint64_t *n)
{
	uint64_t mult = 1;
	size_t j = k - 1, digits = 0;

	*n = 0;
	if (j > 0 && im->tail[j - 1] == '+')
		j--;
	while (j > 0 && im->tail[j - 1] >= '0' && im->tail[j - 1] <= '9') {
		if (++digits <= 12) {
			*n += mult * (uint64_t)(im->tail[j - 1] - '0');
			mult *= 10;
		}
		j--;
	}
	if (digits == 0 || (j == 0 ? im->tail_len < sizeof(im->tail) : im->tail[j - 1] != '{'))
		return false;
	if (digits > 12 || j == 0)
		*n = UINT64_MAX;
	return true;
}

/*
 * libetpan 1.9.4 parses the greeting without a parser context, and
 * dereferences it as soon as it tries a string there: a response code
 * with a flag or string list ("* OK [PERMANENTFLAGS (\Seen)]", "[BADCHARSET
 * (x)]") or a literal crashes it.  A greeting needs no code but
 * CAPABILITY, and before STARTTLS it is anyone's on the path: guard()
 * blanks out the '[' of any other code (it is then read as text) and
 * refuses a literal, before libetpan parses the chunk.  Does the '[' at
 * p[i] open a code other than CAPABILITY?
 */
static bool
greeting_code_is_unsafe(const char *p, size_t i, size_t size)
{
	static const char cap[] = "CAPABILITY ";
	size_t k;

	for (k = 0; cap[k]; k++) {
		char u = i + 1 + k < size ? p[i + 1 + k] : '\0';

		if (u >= 'a' && u <= 'z')
			u = (char)(u - 'a' + 'A');
		if (u != cap[k])
			return true;	/* also when the chunk ends first: text it is */
	}
	return false;
}

/*
 * Every chunk libetpan reads passes here before it is parsed.  A line
 * that never ends, or a literal announced larger than the command in
 * progress can need, shuts the socket down so that libetpan's read fails:
 * it would otherwise grow its buffers for whatever the server announces.
 * Shutting down stops further reads, not the parse of the chunk already
 * read, and libetpan reserves a literal's size as soon as it has parsed
 * "{N}" (wherever it stands, CRLF or not): so the '}' of a literal too big
 * is blanked out in that chunk, which is libetpan's own read buffer (the
 * logger hands it over const), and the announcement no longer parses.
 * This follows the IMAP framing only as far as "{N}" at the end of a line.
 */
static void
guard(struct imap *im, const char *p, size_t size)
{
	uint64_t n;
	size_t i, k;

	for (i = 0; i < size && !im->too_big; i++) {
		if (im->literal_left > 0) {
			k = size - i < im->literal_left ? size - i : (size_t)im->literal_left;
			im->literal_left -= k;
			i += k - 1;
			continue;
		}
		if (p[i] != '\n') {
			if (++im->line_len > im->line_max) {
				im->too_big = true;
				snprintf(im->too_big_what, sizeof(im->too_big_what),
					 "sent a line over %zu bytes", im->line_max);
			}
			if (im->tail_len == sizeof(im->tail))
				memmove(im->tail, im->tail + 1, --im->tail_len);
			im->tail[im->tail_len++] = p[i];
			if (p[i] == '}' && literal_at(im, im->tail_len, &n) && (n > im->literal_max || im->in_greeting)) {
				im->too_big = true;
				if (im->in_greeting)
					snprintf(im->too_big_what, sizeof(im->too_big_what),
						 "sent a literal in its greeting");
				else
					snprintf(im->too_big_what, sizeof(im->too_big_what),
						 "sent a literal over %zu bytes", im->literal_max);
				((char *)p)[i] = ' ';
			}
			if (im->in_greeting && p[i] == '[' && greeting_code_is_unsafe(p, i, size))
				((char *)p)[i] = ' ';
			continue;
		}
		/* The end of a line: does it announce a literal to skip? */
		k = im->tail_len;
		if (k > 0 && im->tail[k - 1] == '\r')
			k--;
		if (k > 0 && im->tail[k - 1] == '}' && literal_at(im, k, &n))
			im->literal_left = n;
		im->line_len = 0;
		im->tail_len = 0;
		im->in_greeting = false;	/* it is one line */
	}
	if (im->too_big)
		shutdown(mailimap_idle_get_fd(im->s), SHUT_RDWR);
}

int
imap_command_timeout(void)
{
	const char *env = getenv("KITHD_COMMAND_TIMEOUT");

	return env && atoi(env) > 0 ? atoi(env) : IMAP_COMMAND_TIMEOUT;
}

/*
 * The timeout of the stream is per wait: a server trickling a byte now and
 * then would hold the account (and a stop) for ever.  Each command sent
 * starts a deadline for its whole answer, checked as bytes arrive.
 */
static void
deadline_start(struct imap *im)
{
	im->deadline = kith_mono_ms() + (int64_t)imap_command_timeout() * 1000;
}

static void
deadline_check(struct imap *im)
{
	if (im->deadline == 0 || kith_mono_ms() <= im->deadline)
		return;
	im->too_big = true;
	snprintf(im->too_big_what, sizeof(im->too_big_what), "took over %d s to answer",
		 imap_command_timeout());
	shutdown(mailimap_idle_get_fd(im->s), SHUT_RDWR);
}

/*
 * Bytes from the server go through guard() and the command's deadline; at
 * -vv the protocol is traced too, except lines carrying credentials.
 */
static void
stream_logger(mailimap *s, int type, const char *str, size_t size, void *ctx)
{
	struct imap *im = ctx;
	const char *dir;

	if (type == MAILSTREAM_LOG_TYPE_DATA_SENT || type == MAILSTREAM_LOG_TYPE_DATA_SENT_PRIVATE)
		deadline_start(im);
	if (type == MAILSTREAM_LOG_TYPE_DATA_RECEIVED && !im->too_big)
		deadline_check(im);
	if (type == MAILSTREAM_LOG_TYPE_DATA_RECEIVED && !im->too_big)
		guard(im, str, size);
	if (log_verbose() < 2)
		return;
	switch (type) {
	case MAILSTREAM_LOG_TYPE_DATA_RECEIVED:	dir = "S:"; break;
	case MAILSTREAM_LOG_TYPE_DATA_SENT:	dir = "C:"; break;
	default:				return;	/* includes DATA_SENT_PRIVATE */
	}
	log_debug("%s %.*s", dir, (int)(size > 300 ? 300 : size), str);
}

/* What the next response may hold: its longest line and literal. */
static void
guard_limits(struct imap *im, size_t line_max, size_t literal_max)
{
	im->line_max = line_max;
	im->literal_max = literal_max;
}

static void
sni(struct mailstream_ssl_context *ctx, void *data)
{
	struct imap *im = data;
	unsigned char buf[16];

	/* RFC 6066: SNI carries host names only, never addresses. */
	if (inet_pton(AF_INET, im->acct->host, buf) == 1 || inet_pton(AF_INET6, im->acct->host, buf) == 1)
		return;
	mailstream_ssl_set_server_name(ctx, im->acct->host);
}

/* Take what matters from a capability list; IMAP_AUTH when LOGIN is refused. */
static int
apply_caps(struct imap *im, const struct mailimap_capability_data *caps)
{
	clistiter *it;
	bool logindisabled = false;

	im->has_idle = im->has_condstore = im->has_special_use = false;
	for (it = clist_begin(caps->cap_list); it; it = clist_next(it)) {
		struct mailimap_capability *c = clist_content(it);

		if (c->cap_type != MAILIMAP_CAPABILITY_NAME || !c->cap_data.cap_name)
			continue;
		if (str_ieq(c->cap_data.cap_name, "IDLE"))
			im->has_idle = true;
		else if (str_ieq(c->cap_data.cap_name, "CONDSTORE"))
			im->has_condstore = true;
		else if (str_ieq(c->cap_data.cap_name, "SPECIAL-USE"))
			im->has_special_use = true;
		else if (str_ieq(c->cap_data.cap_name, "LOGINDISABLED"))
			logindisabled = true;
	}
	if (logindisabled && im->acct->auth == AUTH_LOGIN && im->s->imap_state == MAILIMAP_STATE_NON_AUTHENTICATED) {
		sb_reset(&im->err);
		sb_addf(&im->err, "%s: the server does not allow LOGIN (LOGINDISABLED)", im->acct->host);
		return IMAP_AUTH;
	}
	return IMAP_OK;
}

/* Drop the capability list libetpan keeps from the last response that carried one. */
static void
forget_caps(struct imap *im)
{
	struct mailimap_connection_info *ci = im->s->imap_connection_info;

	if (ci && ci->imap_capability) {
		mailimap_capability_data_free(ci->imap_capability);
		ci->imap_capability = NULL;
	}
}

/*
 * The capabilities as they are now.  A greeting or a LOGIN answer often
 * carries them ("OK [CAPABILITY ...]"); libetpan keeps that list, and then
 * it is used without asking again.  The caller forgets any list it must
 * not trust (one received before TLS) before the command whose answer
 * counts.
 */
static int
read_caps(struct imap *im)
{
	struct mailimap_capability_data *caps = NULL;
	struct mailimap_connection_info *ci = im->s->imap_connection_info;
	int r;

	if (ci && ci->imap_capability)
		return apply_caps(im, ci->imap_capability);
	r = mailimap_capability(im->s, &caps);
	if (r != MAILIMAP_NO_ERROR)
		return fail(im, r, "CAPABILITY");
	r = apply_caps(im, caps);
	mailimap_capability_data_free(caps);
	return r;
}

/*
 * Which server this is, from its greeting, for the quirks kith works
 * around (see kith.conf(5), "Servers").  Only timing depends on it, so a
 * greeting that lies costs nothing.
 */
static enum imap_server
server_of(const char *greeting)
{
	if (!greeting)
		return SERVER_OTHER;
	if (strstr(greeting, "Courier-IMAP"))
		return SERVER_COURIER;
	if (strstr(greeting, "Cyrus IMAP"))
		return SERVER_CYRUS;
	if (strstr(greeting, "Dovecot"))
		return SERVER_DOVECOT;
	return SERVER_OTHER;
}

static int
authenticate(struct imap *im)
{
	const struct kith_account *a = im->acct;
	char *secret = NULL;
	int r;

	if (!a->password_command) {
		sb_reset(&im->err);
		sb_addf(&im->err, "no password_command for user '%s' on %s", a->user, a->host);
		return IMAP_AUTH;
	}
	sb_reset(&im->err);
	if (secret_get(a->password_command, &secret, &im->err) == -1)
		return IMAP_AUTH;
	switch (a->auth) {
	case AUTH_PLAIN:
		r = mailimap_authenticate(im->s, "PLAIN", a->host, NULL, NULL, a->user, a->user, secret, NULL);
		break;
	case AUTH_XOAUTH2:
		r = mailimap_oauth2_authenticate(im->s, a->user, secret);
		break;
	case AUTH_LOGIN:
	default:
		r = mailimap_login(im->s, a->user, secret);
		break;
	}
	secret_free(secret);
	if (r == MAILIMAP_NO_ERROR)
		return IMAP_OK;
	if (is_connection_error(r) && r != MAILIMAP_ERROR_PROTOCOL)
		return fail(im, r, "login");
	sb_reset(&im->err);
	sb_addf(&im->err, "%s: login as '%s' refused", a->host, a->user);
	if (im->s->imap_response && *im->s->imap_response) {
		sb_adds(&im->err, ": ");
		add_server_text(&im->err, im->s->imap_response);
	} else if (r == MAILIMAP_ERROR_SASL) {
		sb_adds(&im->err, ": SASL PLAIN is not available");
	}
	connect_error_login(&im->err, a);
	return IMAP_AUTH;
}

/*
 * A server may announce a literal of any size, and libetpan reserves it
 * before reading: drop the connection as soon as a literal is too big.
 * The header bytes themselves stream through body_handler, bounded.
 */
static void
progress(size_t current, size_t maximum, void *ctx)
{
	struct imap *im = ctx;

	if (maximum > IMAP_LITERAL_MAX && !im->literal_too_big) {
		im->literal_too_big = true;
		shutdown(mailimap_idle_get_fd(im->s), SHUT_RDWR);
	}
}

/*
 * libetpan's plain socket reports the end of the stream as a read of 0
 * bytes, which its literal reader takes for "nothing yet": a server that
 * closes the connection inside a literal makes it spin for ever.  Plain
 * streams get the socket driver with an end of stream that is an error.
 */
static mailstream_low_driver eof_driver;
static pthread_once_t eof_once = PTHREAD_ONCE_INIT;

static ssize_t
eof_read(mailstream_low *low, void *buf, size_t count)
{
	ssize_t r = mailstream_socket_driver->mailstream_read(low, buf, count);

	return r == 0 ? -1 : r;
}

static void
eof_init(void)
{
	eof_driver = *mailstream_socket_driver;
	eof_driver.mailstream_read = eof_read;
}

static mailstream *
plain_stream(int fd)
{
	mailstream *stream = mailstream_socket_open_timeout(fd, IMAP_TIMEOUT);

	if (stream) {
		pthread_once(&eof_once, eof_init);
		mailstream_get_low(stream)->driver = &eof_driver;
	}
	return stream;
}

/* mailimap_connect() on stream, with guard() watching the greeting. */
static int
read_greeting(struct imap *im, mailstream *stream)
{
	int r;

	im->in_greeting = true;
	r = mailimap_connect(im->s, stream);
	im->in_greeting = false;
	if (im->too_big && (r == MAILIMAP_NO_ERROR_AUTHENTICATED || r == MAILIMAP_NO_ERROR_NON_AUTHENTICATED))
		r = MAILIMAP_ERROR_CONNECTION_REFUSED;
	return r;
}

/*
 * The connection is made here, not by libetpan, so that the resolved
 * address can be checked, and so that with implicit TLS the certificate is
 * verified before a byte of the greeting is read.
 */
static int
connect_server(struct imap *im)
{
	const struct kith_account *a = im->acct;
	mailstream *stream;
	int fd, r;

	fd = dial(a->host, a->port, a->tls == TLS_NONE, IMAP_TIMEOUT, &im->err);
	if (fd < 0) {
		connect_error_dial(&im->err, a, fd);
		return IMAP_ERROR;
	}
	if (a->tls == TLS_IMPLICIT)
		stream = mailstream_ssl_open_with_callback_timeout(fd, IMAP_TIMEOUT, sni, im);
	else
		stream = plain_stream(fd);
	if (!stream) {
		close(fd);
		sb_addf(&im->err, "cannot connect to %s port %d: %s", a->host, a->port,
			a->tls == TLS_IMPLICIT ? "TLS handshake failed" : "cannot set up the stream");
		connect_error_tls(&im->err, a);
		return IMAP_ERROR;
	}
	if (a->tls == TLS_IMPLICIT && tls_verify(stream, a->host, a->ca_file, &im->err) == -1) {
		connect_error_cert(&im->err, a);
		mailstream_close(stream);
		return IMAP_ERROR;
	}
	deadline_start(im);
	r = read_greeting(im, stream);
	if (r != MAILIMAP_NO_ERROR_AUTHENTICATED && r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED) {
		if (im->too_big)
			sb_addf(&im->err, "%s: greeting: the server %s", a->host, im->too_big_what);
		else
			sb_addf(&im->err, "cannot connect to %s port %d: %s", a->host, a->port,
				etpan_strerror(r));
		connect_error_tls(&im->err, a);
		return IMAP_ERROR;
	}
	return r;
}

int
imap_open(struct imap *im, const struct kith_account *a)
{
	bool preauth;
	int r;

	im->acct = a;
	sb_reset(&im->err);
	if (a->tls == TLS_NONE && !host_is_loopback(a->host)) {
		sb_addf(&im->err, "tls = none is only allowed for loopback hosts, not '%s'", a->host);
		return IMAP_ERROR;
	}
	im->deadline = 0;
	im->s = mailimap_new(0, NULL);
	if (!im->s)
		fatalx("out of memory");
	mailimap_set_timeout(im->s, IMAP_TIMEOUT);
	mailimap_set_logger(im->s, stream_logger, im);
	guard_limits(im, IMAP_LINE_MAX, IMAP_SMALL_LITERAL_MAX);

	if ((r = connect_server(im)) < 0)
		return r;
	preauth = r == MAILIMAP_NO_ERROR_AUTHENTICATED;
	im->server = server_of(im->s->imap_response);
	if (a->tls == TLS_STARTTLS) {
		/* Before STARTTLS everything is the attacker's, PREAUTH included. */
		if (preauth) {
			sb_addf(&im->err, "%s: the server skipped authentication (PREAUTH) before STARTTLS; "
				"refusing an unencrypted session", a->host);
			return IMAP_ERROR;
		}
		r = mailimap_socket_starttls_with_callback(im->s, sni, im);
		if (r != MAILIMAP_NO_ERROR) {
			sb_addf(&im->err, "%s: STARTTLS failed (%s); not continuing without TLS", a->host,
				etpan_strerror(r));
			return IMAP_ERROR;
		}
		if (tls_verify(im->s->imap_stream, a->host, a->ca_file, &im->err) == -1) {
			connect_error_cert(&im->err, a);
			return IMAP_ERROR;
		}
	}
	mailstream_low_set_timeout(mailstream_get_low(im->s->imap_stream), IMAP_TIMEOUT);
	/* Keepalive finds a NAT path that died under a long IDLE. */
	if (setsockopt(mailimap_idle_get_fd(im->s), SOL_SOCKET, SO_KEEPALIVE, &(int){ 1 }, sizeof(int)) == -1)
		log_debug("%s: cannot enable TCP keepalive: %s", a->host, strerror(errno));
	mailimap_set_progress_callback(im->s, progress, NULL, im);

	/*
	 * With STARTTLS the greeting's capabilities came in the clear, where
	 * anyone on the path could have written them: ask again under TLS.
	 * With implicit TLS (or on loopback) the greeting's list is good.
	 */
	if (a->tls == TLS_STARTTLS)
		forget_caps(im);
	if ((r = read_caps(im)) != IMAP_OK)
		return r;
	if (preauth)
		return IMAP_OK;
	/* Servers announce more once logged in (CONDSTORE, SPECIAL-USE...): the
	 * LOGIN answer's own list, or else a CAPABILITY command, says what. */
	forget_caps(im);
	if ((r = authenticate(im)) != IMAP_OK)
		return r;
	return read_caps(im);
}

void
imap_close(struct imap *im, bool polite)
{
	if (im->s) {
		/* mailimap_free() says LOGOUT and waits for the answer: not on a dead link. */
		if (!polite && im->s->imap_stream) {
			mailstream_close(im->s->imap_stream);
			im->s->imap_stream = NULL;
		} else if (im->s->imap_stream) {
			mailimap_logout(im->s);
		}
		mailimap_free(im->s);
		im->s = NULL;
	}
	sb_free(&im->err);
	sb_free(&im->body);
}

/*
 * LIST "" "*", asking for the special-use flags where the server offers
 * them: RFC 6154 lets a server leave them out of a plain LIST (Cyrus with
 * specialusealways off does), and returns them for RETURN (SPECIAL-USE).
 * libetpan has no call for LIST's RETURN options, so the command is
 * written here and its answer read by libetpan's own parser.  A server
 * that refuses it gets the plain LIST.
 */
static int
list_all(struct imap *im, clist **list)
{
	static const char cmd[] = "LIST \"\" \"*\" RETURN (SPECIAL-USE)\r\n";
	struct mailimap_response *resp = NULL;
	int r, state;

	*list = NULL;
	if (!im->has_special_use)
		return mailimap_list(im->s, "", "*", list);
	if ((r = mailimap_send_current_tag(im->s)) != MAILIMAP_NO_ERROR)
		return r;
	if (mailstream_write(im->s->imap_stream, cmd, sizeof(cmd) - 1) != (ssize_t)(sizeof(cmd) - 1) ||
	    mailstream_flush(im->s->imap_stream) == -1 || !mailimap_read_line(im->s))
		return MAILIMAP_ERROR_STREAM;
	r = mailimap_parse_response(im->s, &resp);
	if (r == MAILIMAP_ERROR_PROTOCOL) {
		log_debug("%s: LIST RETURN (SPECIAL-USE) refused, listing without it", im->acct->host);
		return mailimap_list(im->s, "", "*", list);
	}
	if (r != MAILIMAP_NO_ERROR)
		return r;
	*list = im->s->imap_response_info->rsp_mailbox_list;
	im->s->imap_response_info->rsp_mailbox_list = NULL;
	state = resp->rsp_resp_done->rsp_data.rsp_tagged->rsp_cond_state->rsp_type;
	mailimap_response_free(resp);
	if (state != MAILIMAP_RESP_COND_STATE_OK) {
		if (*list)
			mailimap_list_result_free(*list);
		*list = NULL;
		log_debug("%s: LIST RETURN (SPECIAL-USE) refused, listing without it", im->acct->host);
		return mailimap_list(im->s, "", "*", list);
	}
	if (!*list && !(*list = clist_new()))
		fatalx("out of memory");
	return MAILIMAP_NO_ERROR;
}

int
imap_list(struct imap *im, struct imap_folder **out, size_t *n)
{
	clist *list = NULL;
	clistiter *it, *jt;
	struct imap_folder *v = NULL;
	size_t k = 0;
	int r;

	*out = NULL;
	*n = 0;
	r = list_all(im, &list);
	if (r != MAILIMAP_NO_ERROR)
		return fail(im, r, "LIST");
	/* libetpan may leave the result NULL when the server sent no LIST line. */
	if (!list) {
		*out = xcalloc(1, sizeof(**out));
		return IMAP_OK;
	}
	v = xcalloc((size_t)clist_count(list) + 1, sizeof(*v));
	for (it = clist_begin(list); it; it = clist_next(it)) {
		struct mailimap_mailbox_list *mb = clist_content(it);
		unsigned flags = 0;

		if (!mb->mb_name)
			continue;
		if (str_ieq(mb->mb_name, "INBOX"))
			flags |= FOLDER_INBOX;
		if (mb->mb_flag) {
			if (mb->mb_flag->mbf_type == MAILIMAP_MBX_LIST_FLAGS_SFLAG &&
			    mb->mb_flag->mbf_sflag == MAILIMAP_MBX_LIST_SFLAG_NOSELECT)
				flags |= FOLDER_NOSELECT;
			for (jt = clist_begin(mb->mb_flag->mbf_oflags); jt; jt = clist_next(jt)) {
				struct mailimap_mbx_list_oflag *of = clist_content(jt);
				const char *f = of->of_flag_ext;

				if (of->of_type != MAILIMAP_MBX_LIST_OFLAG_FLAG_EXT || !f)
					continue;
				if (str_ieq(f, "Sent"))
					flags |= FOLDER_SENT;
				else if (str_ieq(f, "Archive"))
					flags |= FOLDER_ARCHIVE;
				else if (str_ieq(f, "All"))
					flags |= FOLDER_ALL;
				else if (str_ieq(f, "Junk") || str_ieq(f, "Spam"))
					flags |= FOLDER_JUNK;
				else if (str_ieq(f, "Trash"))
					flags |= FOLDER_TRASH;
				else if (str_ieq(f, "Drafts"))
					flags |= FOLDER_DRAFTS;
				else if (str_ieq(f, "Noselect") || str_ieq(f, "NonExistent"))
					flags |= FOLDER_NOSELECT;
			}
		}
		v[k].name = xstrdup(mb->mb_name);
		v[k].flags = flags;
		k++;
	}
	mailimap_list_result_free(list);
	*out = v;
	*n = k;
	return IMAP_OK;
}

void
imap_folders_free(struct imap_folder *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

int
imap_examine(struct imap *im, const char *name, struct imap_mailbox *mb)
{
	uint64_t modseq = 0;
	char what[300];
	int r;

	memset(mb, 0, sizeof(*mb));
	if (im->has_condstore)
		r = mailimap_examine_condstore(im->s, name, &modseq);
	else
		r = mailimap_examine(im->s, name);
	if (r != MAILIMAP_NO_ERROR) {
		snprintf(what, sizeof(what), "EXAMINE '%s'", name);
		return fail(im, r, what);
	}
	mb->uidvalidity = im->s->imap_selection_info->sel_uidvalidity;
	mb->uidnext = im->s->imap_selection_info->sel_uidnext;
	mb->exists = im->s->imap_selection_info->sel_exists;
	mb->highestmodseq = modseq;
	return IMAP_OK;
}

int
imap_status(struct imap *im, const char *name, struct imap_mailbox *mb)
{
	struct mailimap_status_att_list *atts = mailimap_status_att_list_new_empty();
	struct mailimap_mailbox_data_status *res = NULL;
	clistiter *it;
	char what[300];
	int r;

	memset(mb, 0, sizeof(*mb));
	mailimap_status_att_list_add(atts, MAILIMAP_STATUS_ATT_UIDNEXT);
	mailimap_status_att_list_add(atts, MAILIMAP_STATUS_ATT_UIDVALIDITY);
	mailimap_status_att_list_add(atts, MAILIMAP_STATUS_ATT_MESSAGES);
	r = mailimap_status(im->s, name, atts, &res);
	mailimap_status_att_list_free(atts);
	if (r != MAILIMAP_NO_ERROR) {
		snprintf(what, sizeof(what), "STATUS '%s'", name);
		return fail(im, r, what);
	}
	/* A server may answer OK without the STATUS line: nothing known, the folder is examined. */
	if (!res)
		return IMAP_OK;
	for (it = clist_begin(res->st_info_list); it; it = clist_next(it)) {
		struct mailimap_status_info *si = clist_content(it);

		if (si->st_att == MAILIMAP_STATUS_ATT_UIDNEXT)
			mb->uidnext = si->st_value;
		else if (si->st_att == MAILIMAP_STATUS_ATT_UIDVALIDITY)
			mb->uidvalidity = si->st_value;
		else if (si->st_att == MAILIMAP_STATUS_ATT_MESSAGES)
			mb->exists = si->st_value;
	}
	mailimap_mailbox_data_status_free(res);
	return IMAP_OK;
}

static int
cmp_uid(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

int
imap_search_range(struct imap *im, uint32_t first, uint32_t last, uint32_t **uids, size_t *n)
{
	struct mailimap_search_key *key;
	clist *res = NULL;
	clistiter *it;
	uint32_t *v;
	size_t k = 0, exists;
	int r;

	*uids = NULL;
	*n = 0;
	/* One line lists every UID: at most 11 bytes for each message the folder has. */
	exists = im->s->imap_selection_info ? im->s->imap_selection_info->sel_exists : 0;
	if (last != 0 && last - first < exists)
		exists = last - first + 1;
	guard_limits(im, exists < (IMAP_SEARCH_LINE_MAX - 4096) / 11 ? 11 * exists + 4096 : IMAP_SEARCH_LINE_MAX,
		     IMAP_SMALL_LITERAL_MAX);
	key = mailimap_search_key_new_uid(mailimap_set_new_interval(first, last));
	r = mailimap_uid_search(im->s, NULL, key, &res);
	mailimap_search_key_free(key);
	guard_limits(im, IMAP_LINE_MAX, IMAP_SMALL_LITERAL_MAX);
	if (r != MAILIMAP_NO_ERROR)
		return fail(im, r, "UID SEARCH");
	/* No SEARCH line at all may leave NULL: as good as an empty one. */
	if (!res) {
		*uids = xcalloc(1, sizeof(**uids));
		return IMAP_OK;
	}
	v = xcalloc((size_t)clist_count(res) + 1, sizeof(*v));
	for (it = clist_begin(res); it; it = clist_next(it)) {
		uint32_t uid = *(uint32_t *)clist_content(it);

		/* "UID n:*" also matches the last message when n is past the end. */
		if (uid >= first && (last == 0 || uid <= last))
			v[k++] = uid;
	}
	mailimap_search_result_free(res);
	qsort(v, k, sizeof(*v), cmp_uid);
	*uids = v;
	*n = k;
	return IMAP_OK;
}

static int64_t
date_time_epoch(const struct mailimap_date_time *dt)
{
	struct tm tm = { 0 };
	int zone = dt->dt_zone, sign = zone < 0 ? -1 : 1;

	tm.tm_year = dt->dt_year - 1900;
	tm.tm_mon = dt->dt_month - 1;
	tm.tm_mday = dt->dt_day;
	tm.tm_hour = dt->dt_hour;
	tm.tm_min = dt->dt_min;
	tm.tm_sec = dt->dt_sec;
	zone *= sign;
	/* A zone is +-hhmm; anything else from a hostile server counts as none (and ingest clamps the date). */
	if (zone > 2359)
		zone = 0;
	return (int64_t)timegm(&tm) - sign * ((int64_t)(zone / 100) * 3600 + (int64_t)(zone % 100) * 60);
}

/* Header bytes arrive here in pieces; more than a header block may hold is dropped. */
static bool
body_handler(int type, struct mailimap_msg_att_body_section *section, const char *bytes,
	     size_t len, void *ctx)
{
	struct imap *im = ctx;

	im->body_present = true;
	im->body_seen += len;
	if (im->body_seen > IMAP_LITERAL_MAX) {
		im->literal_too_big = true;
		return false;
	}
	if (im->body.len < HEADER_MAX_BLOCK) {
		size_t room = HEADER_MAX_BLOCK - im->body.len;

		sb_add(&im->body, bytes, len < room ? len : room);
	}
	return true;
}

/* One FETCH response is complete: hand the message over, then forget it. */
static void
msg_handler(struct mailimap_msg_att *att, void *ctx)
{
	struct imap *im = ctx;
	clistiter *it;
	uint32_t uid = 0;
	int64_t internaldate = 0;
	bool has_body = im->body_present;

	for (it = clist_begin(att->att_list); it; it = clist_next(it)) {
		struct mailimap_msg_att_item *item = clist_content(it);

		if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
			continue;
		switch (item->att_data.att_static->att_type) {
		case MAILIMAP_MSG_ATT_UID:
			uid = item->att_data.att_static->att_data.att_uid;
			break;
		case MAILIMAP_MSG_ATT_INTERNALDATE:
			internaldate = date_time_epoch(item->att_data.att_static->att_data.att_internal_date);
			break;
		case MAILIMAP_MSG_ATT_BODY_SECTION:
			has_body = true;
			break;
		default:
			break;
		}
	}
	/* Unsolicited FETCH (flag changes) carry no header: not ours. */
	if (uid != 0 && has_body && !im->cb_failed) {
		if (im->on_msg(im->on_msg_ctx, uid, internaldate, im->body.buf ? im->body.buf : "",
			       im->body.len) == -1)
			im->cb_failed = true;
	}
	sb_reset(&im->body);
	im->body_seen = 0;
	im->body_present = false;
}

int
imap_fetch_headers(struct imap *im, const uint32_t *uids, size_t n, imap_msg_fn *fn, void *ctx)
{
	struct mailimap_set *set = mailimap_set_new_empty();
	struct mailimap_fetch_type *ft = mailimap_fetch_type_new_fetch_att_list_empty();
	clist *fields = clist_new(), *result = NULL;
	size_t i, j;
	int r;

	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && uids[j] == uids[j - 1] + 1; j++)
			;
		mailimap_set_add_interval(set, uids[i], uids[j - 1]);
	}
	for (i = 0; i < header_fetch_nfields; i++)
		clist_append(fields, xstrdup(header_fetch_fields[i]));
	mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_internaldate());
	mailimap_fetch_type_new_fetch_att_list_add(ft,
		mailimap_fetch_att_new_body_peek_section_partial(
			mailimap_section_new_header_fields(mailimap_header_list_new(fields)), 0, HEADER_MAX_BLOCK));

	im->on_msg = fn;
	im->on_msg_ctx = ctx;
	im->cb_failed = false;
	im->literal_too_big = false;
	sb_reset(&im->body);
	im->body_seen = 0;
	im->body_present = false;
	/* Streaming needs both handlers and a progress callback (set at connect). */
	mailimap_set_msg_att_handler(im->s, msg_handler, im);
	mailimap_set_msg_body_handler(im->s, body_handler, im);
	guard_limits(im, IMAP_LINE_MAX, IMAP_LITERAL_MAX);
	r = mailimap_uid_fetch(im->s, set, ft, &result);
	guard_limits(im, IMAP_LINE_MAX, IMAP_SMALL_LITERAL_MAX);
	mailimap_set_msg_att_handler(im->s, NULL, NULL);
	mailimap_set_msg_body_handler(im->s, NULL, NULL);
	mailimap_fetch_type_free(ft);
	mailimap_set_free(set);
	/* After a failed fetch libetpan has already freed the result. */
	if (r == MAILIMAP_NO_ERROR)
		mailimap_fetch_list_free(result);
	sb_reset(&im->body);
	if (r != MAILIMAP_NO_ERROR)
		return fail(im, r, "UID FETCH");
	if (im->cb_failed)
		return IMAP_CALLBACK;
	return IMAP_OK;
}

/*
 * libetpan's mailimap_idle() blocks when untagged data precedes the
 * continuation, and drops that data: start IDLE by hand and let the caller
 * sync after every wake-up, whatever woke it.
 */
int
imap_idle_start(struct imap *im)
{
	const char *line;
	int r;

	if ((r = mailimap_send_current_tag(im->s)) != MAILIMAP_NO_ERROR ||
	    mailstream_write(im->s->imap_stream, "IDLE\r\n", 6) != 6 ||
	    mailstream_flush(im->s->imap_stream) == -1)
		return fail(im, r != MAILIMAP_NO_ERROR ? r : MAILIMAP_ERROR_STREAM, "IDLE");
	for (;;) {
		line = mailimap_read_line(im->s);
		if (!line)
			return fail(im, MAILIMAP_ERROR_STREAM, "IDLE");
		if (line[0] == '+')
			return IMAP_OK;
		if (line[0] != '*') {
			sb_reset(&im->err);
			sb_addf(&im->err, "%s: IDLE refused: ", im->acct->host);
			add_server_text(&im->err, line);
			return IMAP_ERROR;
		}
	}
}

int
imap_idle_wait(struct imap *im, int wakefd, int timeout_ms)
{
	struct pollfd pfd[2];
	int r;

	/* The answer may already sit in libetpan's buffer, where poll() cannot see it. */
	if (im->s->imap_stream->read_buffer_len > 0)
		return 1;
	/* Waiting under IDLE is no slow answer: DONE starts the next deadline. */
	im->deadline = 0;
	pfd[0] = (struct pollfd){ mailimap_idle_get_fd(im->s), POLLIN, 0 };
	pfd[1] = (struct pollfd){ wakefd, POLLIN, 0 };
	do
		r = poll(pfd, 2, timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		sb_reset(&im->err);
		sb_addf(&im->err, "%s: IDLE: %s", im->acct->host, strerror(errno));
		return IMAP_ERROR;
	}
	if (pfd[0].revents)
		return 1;
	if (pfd[1].revents)
		return 2;
	return 0;
}

int
imap_idle_done(struct imap *im)
{
	int r = mailimap_idle_done(im->s);

	if (r != MAILIMAP_NO_ERROR)
		return fail(im, r == MAILIMAP_ERROR_EXTENSION ? MAILIMAP_ERROR_PROTOCOL : r, "IDLE DONE");
	return IMAP_OK;
}
