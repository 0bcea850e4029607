/* header.c - parse a message's header block (RFC 5322, RFC 2047) into struct kith_msg. */
#include "config.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <libetpan/libetpan.h>

#include "kith/header.h"
#include "kith/util.h"
#include "header-private.h"

/*
 * IMAP HEADER.FIELDS takes exact names, so every mass-mailer header kith
 * recognises is listed by name; the same list decides msg.mass_mailer.
 */
#define MASS_MAILER_FIELDS                                                              \
	"X-MC-User", "X-Mailchimp-Campaign", "X-Mandrill-User", "X-Campaign", "X-CampaignID", \
	"X-Campaign-Id", "X-SG-EID", "X-SG-ID", "X-Mailgun-Sid", "X-Mailgun-Tag",             \
	"X-Mailgun-Batch-Id", "X-Mailgun-Variables", "X-SES-Outgoing", "X-MarketoID",         \
	"X-Roving-Id", "X-Roving-Campaignid", "X-MJ-Mid", "X-Mailin-Campaign", "X-sib-id",    \
	"X-SFMC-Stack", "X-MSFBL", "X-CSA-Complaints"

static const char *const mass_mailer_fields[] = { MASS_MAILER_FIELDS };

const char *const header_fetch_fields[] = {
	"From", "Sender", "Reply-To", "To", "Cc", "Bcc", "Date", "Message-ID", "In-Reply-To",
	"References", "Subject", "List-Id", "List-Post", "List-Unsubscribe",
	"List-Unsubscribe-Post", "Precedence", "Mailing-List", "Auto-Submitted", "X-Autoreply",
	"X-Autorespond", "Feedback-ID", "Content-Type", "X-Failed-Recipients", "X-Original-From",
	"X-Original-Sender", "X-GitHub-Sender", "Return-Path", "Thread-Index", "X-Mailer",
	"X-Auto-Response-Suppress", MASS_MAILER_FIELDS,
};
const size_t header_fetch_nfields = ARRAY_SIZE(header_fetch_fields);

#define ID_MAX		998	/* a message id never needs more than one line */
#define RETURN_PATH_RENAMED "Return_Path"	/* see rename_return_path() */
#define DATE_MIN	((int64_t)631152000)	/* 1990-01-01T00:00:00Z */

/* ---- ids, dates, content type ---------------------------------------- */

/* A message id without <> and spaces, or NULL when nothing usable remains. */
static char *
clean_id(const char *s, size_t len)
{
	size_t i;

	while (len > 0 && (isspace((unsigned char)*s) || *s == '<')) {
		s++;
		len--;
	}
	while (len > 0 && (isspace((unsigned char)s[len - 1]) || s[len - 1] == '>'))
		len--;
	if (len == 0 || len > ID_MAX)
		return NULL;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f || s[i] == '<' || s[i] == '>')
			return NULL;
	return xstrndup(s, len);
}

/*
 * Ids from a value the parser refused: each <...> in turn, or, with no
 * brackets at all, each word holding an '@'.
 */
static void
salvage_ids(const char *s, char ***v, size_t *n)
{
	const char *p = s, *lt, *gt;
	bool bracketed = strchr(s, '<') != NULL;

	while (*p) {
		char *id;

		if (bracketed) {
			if (!(lt = strchr(p, '<')) || !(gt = strchr(lt, '>')))
				break;
			id = clean_id(lt + 1, (size_t)(gt - lt - 1));
			p = gt + 1;
		} else {
			size_t w;

			p += strspn(p, " \t\r\n,");
			w = strcspn(p, " \t\r\n,");
			id = w && memchr(p, '@', w) ? clean_id(p, w) : NULL;
			p += w;
		}
		if (id) {
			*v = xreallocarray(*v, *n + 1, sizeof(**v));
			(*v)[(*n)++] = id;
		}
	}
}

static void
ids_from_clist(clist *l, char ***v, size_t *n)
{
	clistiter *it;

	if (!l)
		return;
	for (it = clist_begin(l); it; it = clist_next(it)) {
		const char *s = clist_content(it);
		char *id = s ? clean_id(s, strlen(s)) : NULL;

		if (id) {
			*v = xreallocarray(*v, *n + 1, sizeof(**v));
			(*v)[(*n)++] = id;
		}
	}
}

static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Seconds since the epoch of a parsed Date, or false when a field is out of range. */
static bool
date_to_epoch(const struct mailimf_date_time *d, int64_t *out)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int64_t year = d->dt_year;
	/* 64-bit: a zone of many digits wraps libetpan's int to INT_MIN, which has no negation. */
	int64_t zone = d->dt_zone, zabs = zone < 0 ? -zone : zone, offset;

	/* RFC 5322 obsolete two- and three-digit years */
	if (year >= 0 && year < 50)
		year += 2000;
	else if (year >= 50 && year < 1000)
		year += 1900;
	if (year < 1900 || year > 9999 || d->dt_month < 1 || d->dt_month > 12 || d->dt_day < 1 ||
	    d->dt_day > mdays[d->dt_month - 1] || d->dt_hour < 0 || d->dt_hour > 23 ||
	    d->dt_min < 0 || d->dt_min > 59 || d->dt_sec < 0 || d->dt_sec > 60)
		return false;
	/* libetpan 1.9.4 reads the zones "UT" and "UTC" as +0001 */
	if (zabs == 1)
		zone = zabs = 0;
	if (zabs % 100 > 59 || zabs / 100 > 23)
		return false;
	/* dt_zone is written as decimal hhmm: -530 means -05:30 */
	offset = (zabs / 100) * 3600 + (zabs % 100) * 60;
	if (zone < 0)
		offset = -offset;
	*out = days_from_civil(year, d->dt_month, d->dt_day) * DAY_SECS + d->dt_hour * 3600 +
	       d->dt_min * 60 + d->dt_sec - offset;
	return true;
}

static bool
is_token_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && !strchr("()<>@,;:\\\"/[]?=", c);
}

static char *
lower_dup(const char *s, size_t n)
{
	char *r = xstrndup(s, n);

	str_lower_ascii(r);
	return r;
}

/*
 * Content-Type "type/subtype; name=value; ...": the lower-cased type and
 * the two parameters classify reads.  Hand-parsed: libetpan's MIME parser
 * would hand back an enum per type only to be turned into text again.
 */
static void
parse_content_type(struct kith_msg *m, const char *s)
{
	size_t n;

	s += strspn(s, " \t");
	n = 0;
	while (is_token_char((unsigned char)s[n]) || s[n] == '/')
		n++;
	if (n == 0 || !memchr(s, '/', n))
		return;
	m->content_type = lower_dup(s, n);
	s += n;
	while ((s = strchr(s, ';'))) {
		const char *name, *val;
		size_t nlen, vlen;
		char **slot;

		s++;
		s += strspn(s, " \t");
		for (name = s, nlen = 0; is_token_char((unsigned char)s[nlen]); nlen++)
			;
		s += nlen;
		s += strspn(s, " \t");
		if (*s != '=')
			continue;
		s++;
		s += strspn(s, " \t");
		if (*s == '"') {
			val = ++s;
			vlen = strcspn(s, "\"");
			s += vlen;
		} else {
			for (val = s, vlen = 0; is_token_char((unsigned char)s[vlen]); vlen++)
				;
			s += vlen;
		}
		if (nlen == 11 && strncasecmp(name, "report-type", nlen) == 0)
			slot = &m->report_type;
		else if (nlen == 6 && strncasecmp(name, "method", nlen) == 0)
			slot = &m->calendar_method;
		else
			continue;
		if (!*slot && vlen > 0 && vlen <= 64)
			*slot = lower_dup(val, vlen);
	}
}

/* ---- fields ----------------------------------------------------------- */

/*
 * Return-Path: the address inside <...> (an unclosed '<' taken to the end
 * of its word), or a bare word.  "<>", the null reverse path of bounces,
 * and anything unreadable give "".
 */
static char *
parse_return_path(const char *s)
{
	const char *lt = strchr(s, '<');
	char *id;
	size_t n;

	if (lt) {
		s = lt + 1;
		n = strcspn(s, "> \t\r\n");
	} else {
		s += strspn(s, " \t\r\n");
		n = strcspn(s, " \t\r\n(");
	}
	id = n ? clean_id(s, n) : NULL;
	return id ? id : xstrdup("");
}

/* Raw values kept as text: the first occurrence of each wins. */
static char **
raw_slot(struct kith_msg *m, const char *name)
{
	static const struct {
		const char *name;
		size_t offset;
	} slots[] = {
		{ "List-Id", offsetof(struct kith_msg, list_id) },
		{ "List-Post", offsetof(struct kith_msg, list_post) },
		{ "List-Unsubscribe", offsetof(struct kith_msg, list_unsubscribe) },
		{ "List-Unsubscribe-Post", offsetof(struct kith_msg, list_unsubscribe_post) },
		{ "Precedence", offsetof(struct kith_msg, precedence) },
		{ "Mailing-List", offsetof(struct kith_msg, mailing_list) },
		{ "Feedback-ID", offsetof(struct kith_msg, feedback_id) },
		{ "Auto-Submitted", offsetof(struct kith_msg, auto_submitted) },
		{ "X-Autoreply", offsetof(struct kith_msg, x_autoreply) },
		{ "X-Autorespond", offsetof(struct kith_msg, x_autorespond) },
		{ "X-GitHub-Sender", offsetof(struct kith_msg, github_sender) },
		{ "Thread-Index", offsetof(struct kith_msg, thread_index) },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(slots); i++)
		if (strcasecmp(name, slots[i].name) == 0)
			return (char **)((char *)m + slots[i].offset);
	return NULL;
}

/* Where an address field's addresses go, by field name. */
static struct msg_addrs *
addr_slot(struct kith_msg *m, const char *name)
{
	if (strcasecmp(name, "From") == 0)
		return &m->from;
	if (strcasecmp(name, "Sender") == 0)
		return &m->sender;
	if (strcasecmp(name, "Reply-To") == 0)
		return &m->reply_to;
	if (strcasecmp(name, "To") == 0)
		return &m->to;
	if (strcasecmp(name, "Cc") == 0)
		return &m->cc;
	if (strcasecmp(name, "Bcc") == 0)
		return &m->bcc;
	if (strcasecmp(name, "X-Original-From") == 0 || strcasecmp(name, "X-Original-Sender") == 0)
		return &m->original_from;
	if (strcasecmp(name, "X-Failed-Recipients") == 0)
		return &m->failed;
	return NULL;
}

struct parse_state {
	struct kith_msg *m;
	bool have_date, date_seen;
	int64_t date;
	char **refs;
	size_t nrefs;
};

static void
take_optional(struct parse_state *ps, const struct mailimf_optional_field *of)
{
	struct kith_msg *m = ps->m;
	const char *name = of->fld_name, *value = of->fld_value ? of->fld_value : "";
	struct msg_addrs *as;
	char **slot, **ids = NULL;
	size_t i, nids = 0;

	if (!name)
		return;
	if ((as = addr_slot(m, name))) {
		addrs_salvage(as, value);
		return;
	}
	if ((slot = raw_slot(m, name))) {
		if (!*slot)
			*slot = clean_text(value);
		return;
	}
	if (strcasecmp(name, "Content-Type") == 0) {
		if (!m->content_type)
			parse_content_type(m, value);
		return;
	}
	if (strcasecmp(name, RETURN_PATH_RENAMED) == 0) {
		if (!m->return_path)
			m->return_path = parse_return_path(value);
		return;
	}
	if (strcasecmp(name, "Date") == 0) {
		ps->date_seen = true;	/* unparsable: INTERNALDATE will stand in */
		return;
	}
	if (strcasecmp(name, "Message-ID") == 0 || strcasecmp(name, "In-Reply-To") == 0 ||
	    strcasecmp(name, "References") == 0) {
		salvage_ids(value, &ids, &nids);
		if (nids && strcasecmp(name, "Message-ID") == 0 && !m->message_id) {
			m->message_id = ids[0];
			ids[0] = NULL;
		} else if (nids && strcasecmp(name, "In-Reply-To") == 0 && !m->in_reply_to) {
			m->in_reply_to = ids[0];
			ids[0] = NULL;
		} else if (strcasecmp(name, "References") == 0) {
			ps->refs = xreallocarray(ps->refs, ps->nrefs + nids, sizeof(*ps->refs));
			for (i = 0; i < nids; i++) {
				ps->refs[ps->nrefs++] = ids[i];
				ids[i] = NULL;
			}
		}
		for (i = 0; i < nids; i++)
			free(ids[i]);
		free(ids);
		return;
	}
	if (strcasecmp(name, "Subject") == 0) {
		if (!m->subject)
			m->subject = decode_text(value);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(mass_mailer_fields); i++)
		if (!m->mass_mailer && strcasecmp(name, mass_mailer_fields[i]) == 0)
			m->mass_mailer = xstrdup(mass_mailer_fields[i]);
}

static void
take_field(struct parse_state *ps, const struct mailimf_field *f)
{
	struct kith_msg *m = ps->m;
	int64_t t;

	switch (f->fld_type) {
	case MAILIMF_FIELD_ORIG_DATE:
		if (!ps->date_seen && date_to_epoch(f->fld_data.fld_orig_date->dt_date_time, &t)) {
			ps->date = t;
			ps->have_date = true;
		}
		ps->date_seen = true;
		break;
	case MAILIMF_FIELD_FROM:
		addrs_add_mailbox_list(&m->from, f->fld_data.fld_from->frm_mb_list);
		break;
	case MAILIMF_FIELD_SENDER:
		if (f->fld_data.fld_sender->snd_mb)
			addrs_add_mailbox(&m->sender, f->fld_data.fld_sender->snd_mb);
		break;
	case MAILIMF_FIELD_REPLY_TO:
		addrs_add_address_list(&m->reply_to, f->fld_data.fld_reply_to->rt_addr_list);
		break;
	case MAILIMF_FIELD_TO:
		addrs_add_address_list(&m->to, f->fld_data.fld_to->to_addr_list);
		break;
	case MAILIMF_FIELD_CC:
		addrs_add_address_list(&m->cc, f->fld_data.fld_cc->cc_addr_list);
		break;
	case MAILIMF_FIELD_BCC:
		addrs_add_address_list(&m->bcc, f->fld_data.fld_bcc->bcc_addr_list);
		break;
	case MAILIMF_FIELD_MESSAGE_ID:
		if (!m->message_id && f->fld_data.fld_message_id->mid_value)
			m->message_id = clean_id(f->fld_data.fld_message_id->mid_value,
						 strlen(f->fld_data.fld_message_id->mid_value));
		break;
	case MAILIMF_FIELD_IN_REPLY_TO:
		if (!m->in_reply_to) {
			char **ids = NULL;
			size_t i, n = 0;

			ids_from_clist(f->fld_data.fld_in_reply_to->mid_list, &ids, &n);
			for (i = 0; i < n; i++) {
				if (i == 0)
					m->in_reply_to = ids[i];
				else
					free(ids[i]);
			}
			free(ids);
		}
		break;
	case MAILIMF_FIELD_REFERENCES:
		ids_from_clist(f->fld_data.fld_references->mid_list, &ps->refs, &ps->nrefs);
		break;
	case MAILIMF_FIELD_SUBJECT:
		if (!m->subject && f->fld_data.fld_subject->sbj_value)
			m->subject = decode_text(f->fld_data.fld_subject->sbj_value);
		break;
	case MAILIMF_FIELD_OPTIONAL_FIELD:
		take_optional(ps, f->fld_data.fld_optional_field);
		break;
	default:
		break;	/* Resent-*, Comments, Keywords: nothing kith reads */
	}
}

/*
 * libetpan 1.9.4 leaks memory on a Return-Path with an unclosed '<', and
 * a hostile server could send one per message.  Renaming the field in a
 * copy of the block (same length) makes it an optional field, read here.
 */
static void
rename_return_path(char *buf, size_t len)
{
	static const char name[] = "Return-Path";
	const size_t n = sizeof(name) - 1;
	size_t pos = 0;

	while (pos + n < len) {
		const char *nl;
		size_t colon = pos + n;

		/* RFC 5322 obs-optional allows blanks before the colon, and libetpan does */
		while (colon < len && (buf[colon] == ' ' || buf[colon] == '\t'))
			colon++;
		if (colon < len && buf[colon] == ':' && strncasecmp(buf + pos, name, n) == 0)
			memcpy(buf + pos, RETURN_PATH_RENAMED, n);
		if (!(nl = memchr(buf + pos, '\n', len - pos)))
			break;
		pos = (size_t)(nl - buf) + 1;
	}
}

static size_t
next_line(const char *raw, size_t len, size_t pos)
{
	const char *nl = memchr(raw + pos, '\n', len - pos);

	return nl ? (size_t)(nl - raw) + 1 : len;
}

int
header_parse(const char *raw, size_t len, int64_t internaldate, int64_t now, struct kith_msg *out)
{
	struct parse_state ps = { .m = out };
	size_t pos = 0, nfields = 0, i, keep;
	char *buf;

	memset(out, 0, sizeof(*out));
	/* The server's date is as untrusted as the sender's: no date before 1970 or after tomorrow. */
	out->internaldate = clamp_date(internaldate, now);
	internaldate = out->internaldate;
	if (!raw)
		len = 0;
	if (len > HEADER_MAX_BLOCK)
		len = HEADER_MAX_BLOCK;
	buf = xmalloc(len + 1);
	if (len)
		memcpy(buf, raw, len);
	buf[len] = '\0';
	rename_return_path(buf, len);
	raw = buf;

	/*
	 * mailimf_fields_parse stops, still returning success, at the first
	 * line that is not a field (no colon).  Resume after such a line so
	 * one bad line cannot hide the To: below it; an empty line ends the
	 * header.
	 */
	while (pos < len) {
		struct mailimf_fields *fields = NULL;
		size_t idx = pos;

		if (raw[pos] == '\n' || (raw[pos] == '\r' && pos + 1 < len && raw[pos + 1] == '\n'))
			break;
		if (mailimf_fields_parse(raw, len, &idx, &fields) == MAILIMF_NO_ERROR) {
			clistiter *it;

			for (it = clist_begin(fields->fld_list); it; it = clist_next(it)) {
				take_field(&ps, clist_content(it));
				nfields++;
			}
			mailimf_fields_free(fields);
		}
		pos = idx > pos ? idx : next_line(raw, len, pos);
	}

	/* Keep the newest references: the thread's root and parent matter most when cut. */
	keep = ps.nrefs > HEADER_MAX_REFS ? HEADER_MAX_REFS : ps.nrefs;
	for (i = 0; i < ps.nrefs - keep; i++)
		free(ps.refs[i]);
	if (keep) {
		out->references = xreallocarray(NULL, keep, sizeof(*out->references));
		memcpy(out->references, ps.refs + (ps.nrefs - keep), keep * sizeof(*out->references));
		out->nreferences = keep;
	}
	free(ps.refs);
	free(buf);

	if (ps.have_date && ps.date >= DATE_MIN && ps.date <= now + 2 * DAY_SECS) {
		out->date = ps.date;
	} else {
		out->date = internaldate;
		out->date_from_internal = true;
	}
	return nfields ? 0 : -1;
}

void
msg_free(struct kith_msg *m)
{
	size_t i;

	if (!m)
		return;
	free(m->message_id);
	addrs_free(&m->from);
	addrs_free(&m->sender);
	addrs_free(&m->reply_to);
	addrs_free(&m->to);
	addrs_free(&m->cc);
	addrs_free(&m->bcc);
	addrs_free(&m->original_from);
	addrs_free(&m->failed);
	free(m->in_reply_to);
	for (i = 0; i < m->nreferences; i++)
		free(m->references[i]);
	free(m->references);
	free(m->thread_index);
	free(m->subject);
	free(m->list_id);
	free(m->list_post);
	free(m->list_unsubscribe);
	free(m->list_unsubscribe_post);
	free(m->precedence);
	free(m->mailing_list);
	free(m->feedback_id);
	free(m->auto_submitted);
	free(m->x_autoreply);
	free(m->x_autorespond);
	free(m->return_path);
	free(m->github_sender);
	free(m->mass_mailer);
	free(m->content_type);
	free(m->report_type);
	free(m->calendar_method);
	memset(m, 0, sizeof(*m));
}

char *
header_synthetic_id(const char *raw, size_t len)
{
	unsigned char digest[32];
	char hex[2 * sizeof(digest) + 1];
	size_t i;

	if (len > HEADER_MAX_BLOCK)
		len = HEADER_MAX_BLOCK;
	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, raw ? raw : "", len, digest) < 0)
		fatalx("cannot hash a header block of %zu bytes", len);
	for (i = 0; i < sizeof(digest); i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	return xasprintf("sha256-%s@kith", hex);
}
