/* classify.c - what kind of mail is it: ordered rules, first match wins (docs/architecture.md, Classify). */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kith/classify.h"
#include "kith/model.h"
#include "kith/util.h"

const char *
msg_class_name(enum msg_class c)
{
	static const char *const names[] = {
		[CLASS_SELF] = "self",		[CLASS_NOTE] = "note",
		[CLASS_BOUNCE] = "bounce",	[CLASS_AUTO] = "auto",
		[CLASS_REPLY_HUMAN] = "reply-human", [CLASS_LIST] = "list",
		[CLASS_BULK] = "bulk",		[CLASS_NOTIFICATION] = "notification",
		[CLASS_BLAST] = "blast",	[CLASS_HUMAN] = "human",
	};

	if ((size_t)c >= ARRAY_SIZE(names) || !names[c])
		return "unknown";
	return names[c];
}

/* ---- small helpers ---------------------------------------------------- */

static const struct msg_addr *
first(const struct msg_addrs *a)
{
	return a->n ? &a->v[0] : NULL;
}

/* The first word of a header value, lower-cased, for "Precedence: Bulk" and the like. */
static void
keyword(const char *value, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	if (!value)
		return;
	value += strspn(value, " \t\"");
	while (n + 1 < size && value[n] && !strchr(" \t;\"(", value[n])) {
		buf[n] = (char)tolower((unsigned char)value[n]);
		n++;
	}
	buf[n] = '\0';
}

static bool
keyword_is(const char *value, const char *word)
{
	char buf[32];

	keyword(value, buf, sizeof(buf));
	return strcmp(buf, word) == 0;
}

/* Does s begin with prefix, ASCII case ignored? */
static bool
starts_icase(const char *s, const char *prefix)
{
	return s && strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static bool
ends_icase(const char *s, const char *suffix)
{
	size_t n, m;

	if (!s)
		return false;
	n = strlen(s);
	m = strlen(suffix);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static bool
is_me(const struct classify_env *env, const char *addr)
{
	return env->is_me && env->is_me(env->arg, addr);
}

static bool
any_is_me(const struct classify_env *env, const struct msg_addrs *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (is_me(env, a->v[i].addr))
			return true;
	return false;
}

/* Copy the local part of addr, lower-cased, into buf. */
static void
local_part(const char *addr, char *buf, size_t size)
{
	const char *at = strrchr(addr, '@');
	size_t n = at ? (size_t)(at - addr) : strlen(addr);

	if (n >= size)
		n = size - 1;
	memcpy(buf, addr, n);
	buf[n] = '\0';
	str_lower_ascii(buf);
}

static const char *
domain_of(const char *addr)
{
	const char *at = strrchr(addr, '@');

	return at ? at + 1 : "";
}

/* ---- evidence --------------------------------------------------------- */

/* The rule name when the message declares itself automatic, else NULL. */
static const char *
auto_evidence(const struct kith_msg *m)
{
	static const char *const subjects[] = {
		"Automatic reply:", "Auto-Reply:", "Autoreply:", "Auto Reply:", "Out of Office:",
		"Out of office reply", "Abwesenheitsnotiz:", "Réponse automatique",
	};
	size_t i;

	if (m->auto_submitted && !keyword_is(m->auto_submitted, "no"))
		return "auto-submitted";
	if (m->x_autoreply)
		return "x-autoreply";
	if (m->x_autorespond)
		return "x-autorespond";
	if (keyword_is(m->precedence, "auto_reply"))
		return "precedence-auto-reply";
	/* Servers that mark nothing still title their replies the same way. */
	for (i = 0; i < ARRAY_SIZE(subjects); i++)
		if (starts_icase(m->subject, subjects[i]))
			return "auto-reply-subject";
	return NULL;
}

/*
 * No-reply style local parts.  The local part is cut into words at
 * . - _ + = so that "comments-noreply" and "no.reply" match but a person
 * called "Arno Replyer" (arnoreplyer@) does not.
 */
static bool
is_robot_local(const char *addr)
{
	static const char *const words[] = {
		"noreply", "donotreply", "notification", "notifications", "notify",
		"alert", "alerts", "bounce", "bounces", "mailer-daemon",
	};
	char local[128], *w, *save = NULL, prev[16] = "", prev2[16] = "";
	size_t i;

	local_part(addr, local, sizeof(local));
	/* reply+<token>@: a per-thread reply address (GitHub, GitLab, Basecamp) */
	if (str_has_prefix(local, "reply+") || str_has_prefix(local, "reply="))
		return true;
	for (w = strtok_r(local, ".-_+=", &save); w; w = strtok_r(NULL, ".-_+=", &save)) {
		for (i = 0; i < ARRAY_SIZE(words); i++)
			if (strcmp(w, words[i]) == 0)
				return true;
		if (str_has_prefix(w, "noreply") || str_has_prefix(w, "donotreply"))
			return true;
		/* "vireturn@", "mail-return@": where a mass mailer takes its returns. */
		if (ends_icase(w, "return"))
			return true;
		if (strcmp(w, "reply") == 0 &&
		    (strcmp(prev, "no") == 0 || (strcmp(prev, "not") == 0 && strcmp(prev2, "do") == 0)))
			return true;
		snprintf(prev2, sizeof(prev2), "%s", prev);
		snprintf(prev, sizeof(prev), "%s", w);
	}
	return false;
}

/* The rule name when the sender is a machine speaking for a person or a service. */
static const char *
notification_evidence(const struct kith_msg *m)
{
	const struct msg_addr *from = first(&m->from);
	const char *name = from ? from->name : NULL;

	if (m->github_sender)
		return "x-github-sender";
	if (name && ends_icase(name, ")") && strstr(name, "(Google "))
		return "google-docs";
	if (name && ends_icase(name, " via LinkedIn"))
		return "via-linkedin";
	if (from && is_robot_local(from->addr))
		return "noreply-local-part";
	return NULL;
}

static const char *
list_evidence(const struct kith_msg *m)
{
	if (m->list_id)
		return "list-id";
	if (m->list_post)
		return "list-post";
	if (keyword_is(m->precedence, "list"))
		return "precedence-list";
	if (m->mailing_list)
		return "mailing-list";
	return NULL;
}

/*
 * A sender address made for one mailing: two or more parts of the local
 * part between dots that are all digits ("2.3374.1d-x.1@cda01.shop.example",
 * "fares.um.a.35.88@post.mailer.example").  People do not number
 * themselves twice; mass mailers number the mailing and the recipient so
 * that each return tells them who.
 */
static bool
generated_local(const char *addr)
{
	char local[128], *w, *save = NULL;
	int n = 0;

	local_part(addr, local, sizeof(local));
	for (w = strtok_r(local, ".", &save); w; w = strtok_r(NULL, ".", &save))
		n += strspn(w, "0123456789") == strlen(w);
	return n >= 2;
}

static const char *
bulk_evidence(const struct kith_msg *m)
{
	const struct msg_addr *from = first(&m->from);

	if (keyword_is(m->precedence, "bulk") || keyword_is(m->precedence, "junk"))
		return "precedence-bulk";
	if (m->list_unsubscribe || m->list_unsubscribe_post)
		return "list-unsubscribe";
	if (m->feedback_id)
		return "feedback-id";
	if (m->mass_mailer)
		return "mass-mailer";
	if (from && generated_local(from->addr))
		return "generated-sender";
	return NULL;
}

/* Does List-Post name addr ("<mailto:list@host>", maybe with ?subject=...)? */
static bool
list_post_is(const char *list_post, const char *addr)
{
	const char *p = list_post ? strcasestr(list_post, "mailto:") : NULL;
	size_t n = strlen(addr);

	if (!p)
		return false;
	p += 7;
	return strncasecmp(p, addr, n) == 0 && (p[n] == '>' || p[n] == '?' || p[n] == '\0');
}

/* Does List-Id "<ant.example.com>" name the list ant@example.com? */
static bool
list_id_is(const char *list_id, const char *addr)
{
	const char *lt = list_id ? strrchr(list_id, '<') : NULL;
	const char *at = strrchr(addr, '@');
	size_t ln;

	if (!lt || !at)
		return false;
	lt++;
	ln = (size_t)(at - addr);
	return strncasecmp(lt, addr, ln) == 0 && lt[ln] == '.' &&
	       strncasecmp(lt + ln + 1, at + 1, strlen(at + 1)) == 0 && lt[ln + 1 + strlen(at + 1)] == '>';
}

/* Has the list rewritten From to itself (DMARC munging, Google Groups)? */
static bool
from_is_list(const struct kith_msg *m, const struct msg_addr *from)
{
	const char *dom = domain_of(from->addr);

	if (from->name && strstr(from->name, " via "))
		return true;
	if (strcasecmp(dom, "googlegroups.com") == 0 || ends_icase(dom, ".googlegroups.com"))
		return true;
	return list_post_is(m->list_post, from->addr) || list_id_is(m->list_id, from->addr);
}

/* The real author of a list message whose From the list has rewritten. */
static const struct msg_addr *
list_author(const struct kith_msg *m, const struct msg_addr *from)
{
	const struct msg_addr *rt = first(&m->reply_to);

	if (!from || !from_is_list(m, from))
		return from;
	if (m->original_from.n)
		return first(&m->original_from);
	/* Mailman puts the poster in Reply-To, unless replies go to the list. */
	if (rt && strcasecmp(rt->addr, from->addr) != 0 && !list_post_is(m->list_post, rt->addr) &&
	    !list_id_is(m->list_id, rt->addr))
		return rt;
	return from;
}

/*
 * Does the message answer something the user sent to this sender?  The
 * sender is the From address, or a Reply-To the user would have written
 * to, unless that is a per-thread robot address.  On list mail only a
 * From that is not the list counts: the user writing to a list and the
 * list answering is list traffic, not a person.  In-Reply-To and
 * References decide when present; without them (Exchange, Notes) the
 * Thread-Index, else the subject within THREAD_SUBJECT_WINDOW.  *rule is
 * set to the rule that matched.
 */
static const struct msg_addr *
answers_user(const struct kith_msg *m, const struct classify_env *env, const struct msg_addr *from,
	     const char **rule)
{
	const struct msg_addr *cand[2] = { from, first(&m->reply_to) }, *who = NULL;
	char *ti = NULL, *subject = NULL;
	size_t i, r;

	if (cand[1] && is_robot_local(cand[1]->addr))
		cand[1] = NULL;
	if (list_evidence(m)) {
		cand[1] = NULL;
		if (from_is_list(m, from))
			return NULL;
	}
	if (m->in_reply_to || m->nreferences) {
		if (!env->user_sent_to)
			return NULL;
		*rule = "reply-to-user";
		for (i = 0; i < ARRAY_SIZE(cand); i++) {
			if (!cand[i])
				continue;
			if (m->in_reply_to && env->user_sent_to(env->arg, m->in_reply_to, cand[i]->addr))
				return cand[i];
			for (r = 0; r < m->nreferences; r++)
				if (env->user_sent_to(env->arg, m->references[r], cand[i]->addr))
					return cand[i];
		}
		return NULL;
	}
	if (!env->user_wrote_thread)
		return NULL;
	ti = classify_thread_index_key(m->thread_index);
	subject = classify_base_subject(m->subject);
	for (i = 0; i < ARRAY_SIZE(cand) && !who; i++) {
		if (!cand[i])
			continue;
		if (ti && env->user_wrote_thread(env->arg, ti, NULL, m->date, cand[i]->addr)) {
			*rule = "reply-thread-index";
			who = cand[i];
		} else if (subject && env->user_wrote_thread(env->arg, NULL, subject, m->date, cand[i]->addr)) {
			*rule = "reply-subject";
			who = cand[i];
		}
	}
	free(ti);
	free(subject);
	return who;
}

/* "Re:", "RE:", "Aw:", "Sv:", "Antw:", "Re[2]:" ... at the start of a subject, after any [tags]. */
bool
classify_reply_subject(const char *s)
{
	static const char *const prefixes[] = { "re", "aw", "sv", "antw", "vs", "odp", "rif", "res" };
	size_t i, n;

	if (!s)
		return false;
	/* "[list] Re: ..." and "[Acme] Re: ...": tags that lists and trackers put first */
	while (*s == '[' && strchr(s, ']')) {
		s = strchr(s, ']') + 1;
		s += strspn(s, " ");
	}
	for (i = 0; i < ARRAY_SIZE(prefixes); i++) {
		n = strlen(prefixes[i]);
		if (strncasecmp(s, prefixes[i], n) != 0)
			continue;
		if (s[n] == '[' || s[n] == '(') {
			n++;
			while (isdigit((unsigned char)s[n]))
				n++;
			if (s[n] != ']' && s[n] != ')')
				continue;
			n++;
		}
		if (s[n] == ':' || str_has_prefix(s + n, "\xef\xbc\x9a"))	/* full-width colon */
			return true;
	}
	return str_has_prefix(s, "回复") || str_has_prefix(s, "答复");
}

static bool
calendar_reply(const struct kith_msg *m)
{
	static const char *const subjects[] = {
		"Accepted:", "Declined:", "Tentative:", "Tentatively Accepted:",
		"Angenommen:", "Abgelehnt:", "Mit Vorbehalt angenommen:",
	};
	size_t i;

	if (m->content_type && strcmp(m->content_type, "text/calendar") == 0 &&
	    m->calendar_method && strcasecmp(m->calendar_method, "reply") == 0)
		return true;
	for (i = 0; i < ARRAY_SIZE(subjects); i++)
		if (starts_icase(m->subject, subjects[i]))
			return true;
	return false;
}

static void
set(struct classification *out, enum msg_class cls, const char *rule, const struct msg_addr *author)
{
	out->cls = cls;
	out->rule = rule;
	out->author = author;
}

/* ---- the rules -------------------------------------------------------- */

void
classify(const struct kith_msg *m, const struct classify_env *env, struct classification *out)
{
	const struct msg_addr *from = first(&m->from), *who;
	const char *rule;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (!from)
		from = first(&m->sender);	/* no usable From: the Sender is all there is */
	out->user_in_to = any_is_me(env, &m->to);
	out->user_in_cc = !out->user_in_to && any_is_me(env, &m->cc);
	out->is_reply = m->in_reply_to || m->nreferences || classify_reply_subject(m->subject) ||
			classify_thread_index_continues(m->thread_index);
	/* A forward passes something on: it continues another conversation and awaits nothing. */
	out->opens = !out->is_reply && !classify_prefixed_subject(m->subject);
	for (i = 0; i < m->to.n + m->cc.n; i++) {
		const struct msg_addr *a = i < m->to.n ? &m->to.v[i] : &m->cc.v[i - m->to.n];

		if (!from || strcasecmp(a->addr, from->addr) != 0)
			out->nrecipients++;
	}
	out->calendar_reply = calendar_reply(m);

	/*
	 * self: the user's own mail, unless their server answered for them
	 * (a vacation reply from the user's address is no contact).
	 */
	if (from && is_me(env, from->addr) && !auto_evidence(m)) {
		size_t n = m->to.n + m->cc.n + m->bcc.n;
		bool only_me = n > 0;

		for (i = 0; only_me && i < m->to.n; i++)
			only_me = is_me(env, m->to.v[i].addr);
		for (i = 0; only_me && i < m->cc.n; i++)
			only_me = is_me(env, m->cc.v[i].addr);
		for (i = 0; only_me && i < m->bcc.n; i++)
			only_me = is_me(env, m->bcc.v[i].addr);
		if (only_me)
			set(out, CLASS_NOTE, "note-to-self", from);
		else
			set(out, CLASS_SELF, "from-is-me", from);
		return;
	}

	/* bounce */
	if (m->content_type && strcmp(m->content_type, "multipart/report") == 0 && m->report_type &&
	    strcmp(m->report_type, "delivery-status") == 0) {
		set(out, CLASS_BOUNCE, "multipart-report", from);
	} else if (from && m->return_path && (!*m->return_path || m->failed.n)) {
		char local[64];

		local_part(from->addr, local, sizeof(local));
		if (strcmp(local, "mailer-daemon") == 0 || strcmp(local, "postmaster") == 0)
			set(out, CLASS_BOUNCE, "mailer-daemon", from);
	}
	if (out->rule) {
		if (m->failed.n) {
			out->dead = xreallocarray(NULL, m->failed.n, sizeof(*out->dead));
			for (i = 0; i < m->failed.n; i++)
				out->dead[i] = &m->failed.v[i];
			out->ndead = m->failed.n;
		}
		return;
	}
	/* Read receipts and abuse reports are machine-made too, but nothing died. */
	if (m->content_type && strcmp(m->content_type, "multipart/report") == 0) {
		set(out, CLASS_AUTO, "multipart-report", from);
		return;
	}

	if ((rule = auto_evidence(m))) {
		set(out, CLASS_AUTO, rule, from);
		return;
	}

	/* A person answering the user, even from a role, list-ish or bulk address. */
	if (from && (who = answers_user(m, env, from, &rule))) {
		set(out, CLASS_REPLY_HUMAN, rule, who);
		return;
	}

	/*
	 * Notification senders come before list and bulk: GitHub and LinkedIn
	 * put List-Id and List-Unsubscribe on every notification, and the
	 * person named in "Alice <notifications@github.com>" wrote nothing.
	 */
	if ((rule = notification_evidence(m))) {
		set(out, CLASS_NOTIFICATION, rule, from);
		return;
	}

	/* Newsletters carry List-Id too; a mass mailer's stamp makes them bulk. */
	if ((rule = list_evidence(m)) && !m->mass_mailer && !m->feedback_id) {
		set(out, CLASS_LIST, rule, list_author(m, from));
		return;
	}

	if ((rule = bulk_evidence(m))) {
		set(out, CLASS_BULK, rule, from);
		return;
	}

	if (!out->user_in_to && !out->user_in_cc) {
		set(out, CLASS_BLAST, "user-not-addressed", from);
		return;
	}
	/* A colleague's digest to a hundred people is no conversation either. */
	if (env->max_recipients > 0 && out->nrecipients > (size_t)env->max_recipients) {
		set(out, CLASS_BLAST, "too-many-recipients", from);
		return;
	}
	set(out, CLASS_HUMAN, "default", from);
}

void
classification_free(struct classification *c)
{
	if (!c)
		return;
	free(c->dead);
	c->dead = NULL;
	c->ndead = 0;
}

/* ---- threads ---------------------------------------------------------- */

/*
 * The length of a reply or forward prefix at s ("Re:", "FW:", "Re[2]:",
 * "Re(3):", "Réf. :", "AW:"), 0 when there is none.
 */
static size_t
prefix_len(const char *s)
{
	static const char *const prefixes[] = {
		"re", "fw", "fwd", "aw", "wg", "sv", "tr", "r\xc3\xa9" "f", "ref", "antw", "vs", "odp", "rif",
		"enc", "doorst",
	};
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(prefixes); i++) {
		n = strlen(prefixes[i]);
		if (strncasecmp(s, prefixes[i], n) != 0)
			continue;
		if (s[n] == '.')
			n++;
		if (s[n] == '[' || s[n] == '(' || s[n] == '^') {
			size_t k = n + 1;

			while (isdigit((unsigned char)s[k]))
				k++;
			if (k == n + 1 || (s[n] != '^' && s[k] != ']' && s[k] != ')'))
				continue;
			n = s[n] == '^' ? k : k + 1;
		}
		while (s[n] == ' ')
			n++;
		if (s[n] == ':')
			return n + 1;
		if (str_has_prefix(s + n, "\xef\xbc\x9a"))	/* full-width colon */
			return n + 3;
	}
	return 0;
}

bool
classify_prefixed_subject(const char *subject)
{
	const char *s = subject;

	while (s && isspace((unsigned char)*s))
		s++;
	while (s && *s == '[' && strchr(s, ']')) {
		s = strchr(s, ']') + 1;
		s += strspn(s, " ");
	}
	return s && prefix_len(s) > 0;
}

char *
classify_base_subject(const char *subject)
{
	const char *s = subject;
	char *r, *t;
	size_t n;
	bool again = true;

	if (!s)
		return NULL;
	while (again) {
		again = false;
		while (isspace((unsigned char)*s))
			s++;
		if (*s == '[' && strchr(s, ']')) {
			s = strchr(s, ']') + 1;
			again = true;
		} else if ((n = prefix_len(s)) > 0) {
			s += n;
			again = true;
		}
	}
	r = xstrdup(s);
	str_lower_ascii(r);
	t = str_trim(r);
	memmove(r, t, strlen(t) + 1);
	if (*r == '\0') {
		free(r);
		return NULL;
	}
	return r;
}

/* The base64 characters of a Thread-Index, without padding or spaces. */
static size_t
thread_index_chars(const char *ti, char *buf, size_t size)
{
	size_t n = 0;

	for (; ti && *ti; ti++) {
		if (isalnum((unsigned char)*ti) || *ti == '+' || *ti == '/') {
			if (n + 1 < size)
				buf[n] = *ti;
			n++;
		}
	}
	if (size)
		buf[n < size ? n : size - 1] = '\0';
	return n;
}

char *
classify_thread_index_key(const char *thread_index)
{
	char buf[THREAD_INDEX_KEY_CHARS + 1];

	if (thread_index_chars(thread_index, buf, sizeof(buf)) < THREAD_INDEX_KEY_CHARS)
		return NULL;
	return xasprintf("ti:%s", buf);
}

bool
classify_thread_index_continues(const char *thread_index)
{
	char buf[1];

	return thread_index_chars(thread_index, buf, sizeof(buf)) > THREAD_INDEX_ROOT_CHARS;
}

const char *
classify_rule_text(const char *rule)
{
	static const struct {
		const char *rule, *text;
	} texts[] = {
		{ "from-is-me", "you wrote it" },
		{ "post-to-list", "you wrote it to a mailing list: the list is nobody, the people you named beside it count" },
		{ "blast-from-me", "you wrote it to more than max_recipients people: a blast, counted for no one" },
		{ "note-to-self", "you wrote it to yourself only: a note" },
		{ "reply-to-user", "it answers your message to them (In-Reply-To or References)" },
		{ "reply-thread-index", "it answers your message to them (same Outlook Thread-Index conversation)" },
		{ "reply-subject", "it answers your message to them (same subject, within 30 days, no In-Reply-To)" },
		{ "user-not-addressed", "you were in neither To nor Cc (Bcc or undisclosed recipients): a blast" },
		{ "too-many-recipients", "sent to more than max_recipients people: a blast, not personal contact" },
		{ "list-id", "it came through a mailing list (List-Id)" },
		{ "list-post", "it came through a mailing list (List-Post)" },
		{ "from-list-address", "it came from a mailing list's own address, which is never a person" },
		{ "generated-sender", "its sender address was made for one mailing (numbered parts): bulk mail" },
		{ "noreply-local-part", "its sender address is a machine's (no-reply, notifications, bounces, returns)" },
		{ "default", "a personal message" },
	};
	size_t i;

	for (i = 0; rule && i < ARRAY_SIZE(texts); i++)
		if (strcmp(rule, texts[i].rule) == 0)
			return texts[i].text;
	return NULL;
}
