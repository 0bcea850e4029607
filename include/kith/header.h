/* header.h - parse a message's header block into what the people model reads. */
#ifndef KITH_HEADER_H
#define KITH_HEADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bounds on hostile input: anything longer is cut, never trusted. */
#define HEADER_MAX_BLOCK	(256 * 1024)	/* bytes of header kept per message */
#define HEADER_MAX_ADDRS	1000		/* addresses kept per field */
#define HEADER_MAX_REFS		100		/* References kept (the newest) */
#define HEADER_MAX_FIELD	8192		/* bytes of a single unstructured value */

/* The header fields kithd fetches; the store keeps exactly these. */
extern const char *const header_fetch_fields[];
extern const size_t header_fetch_nfields;

struct msg_addr {
	char *name;	/* display name decoded to valid UTF-8, or NULL */
	char *addr;	/* as written (local@domain), at most 320 bytes, has an '@' */
};

struct msg_addrs {
	struct msg_addr *v;
	size_t n;
	bool truncated;	/* more than HEADER_MAX_ADDRS were given */
};

struct kith_msg {
	/* Identity and time. */
	char *message_id;	/* without <>, NULL when absent */
	int64_t date;		/* Date:, or INTERNALDATE when Date is missing or absurd */
	int64_t internaldate;
	bool date_from_internal;

	/* Addresses. */
	struct msg_addrs from, sender, reply_to, to, cc, bcc;
	struct msg_addrs original_from;	/* X-Original-From, X-Original-Sender */
	struct msg_addrs failed;	/* X-Failed-Recipients */

	/* Threading. */
	char *in_reply_to;	/* first id of In-Reply-To, without <> */
	char **references;	/* without <>, oldest first */
	size_t nreferences;
	char *thread_index;	/* Outlook Thread-Index, raw */

	char *subject;		/* decoded to valid UTF-8, control bytes removed */

	/* List and bulk evidence, raw values (NULL when absent). */
	char *list_id, *list_post, *list_unsubscribe, *list_unsubscribe_post;
	char *precedence, *mailing_list, *feedback_id;
	char *auto_submitted, *x_autoreply, *x_autorespond;
	char *return_path;	/* "" for Return-Path: <> */
	char *github_sender;
	char *mass_mailer;	/* name of the first mass-mailer header present */

	/* Content-Type: "type/subtype" lower-case, and parameters of interest. */
	char *content_type;
	char *report_type;	/* report-type= of multipart/report */
	char *calendar_method;	/* method= of text/calendar */
};

/*
 * Parse a raw header block (CRLF or LF line ends).  `internaldate` is the
 * server's arrival time, used when Date is missing, unparsable, before
 * 1990 or more than 2 days after `now`.  Never fails on malformed input:
 * what cannot be read is left empty.  Returns 0, or -1 only when the block
 * holds no header at all.  Free with msg_free().
 */
int header_parse(const char *raw, size_t len, int64_t internaldate, int64_t now,
		 struct kith_msg *out);
void msg_free(struct kith_msg *m);

/* Message-ID for a message without one: "sha256-<hex>@kith" of the header block. */
char *header_synthetic_id(const char *raw, size_t len);

#endif
