/* people-message.c - people_ingest: classify one message, thread it, credit its people (see docs/architecture.md). */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kith/classify.h"
#include "kith/config.h"
#include "kith/header.h"
#include "kith/model.h"
#include "kith/people.h"
#include "kith/score.h"
#include "kith/store.h"
#include "kith/util.h"
#include "people-private.h"
#include "store-private.h"

/* The other people on a message, normalised, without the user, each once. */
struct recip {
	char *norm;
	const char *raw, *name;
	enum score_field field;
};
struct recips {
	struct recip *v;
	size_t n;
	size_t lists;		/* list addresses left out */
};

/* Is the normalised address a mailing list's own (learned from List-Post, List-Id)? */
static bool
people_is_list(struct store *st, const char *norm)
{
	sqlite3_stmt *s;
	bool found;

	if (!norm)
		return false;
	s = store_stmt(st, "SELECT 1 FROM list_addrs WHERE addr = ?1");
	sqlite3_bind_text(s, 1, norm, -1, SQLITE_STATIC);
	found = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return found;
}

static void
recips_add(struct store *st, struct recips *r, const struct msg_addrs *a, enum score_field field,
	   const char *skip)
{
	size_t i, j;

	for (i = 0; i < a->n; i++) {
		char *n = people_norm(st, a->v[i].addr);
		/* A list's own address is nobody: mail to it is a list post. */
		bool list = people_is_list(st, n);

		if (list)
			r->lists++;
		if (!n || list || (skip && strcmp(n, skip) == 0) || people_is_me(st, n)) {
			free(n);
			continue;
		}
		for (j = 0; j < r->n && strcmp(r->v[j].norm, n) != 0; j++)
			;
		if (j < r->n) {
			free(n);
			continue;
		}
		r->v = xreallocarray(r->v, r->n + 1, sizeof(*r->v));
		r->v[r->n].norm = n;
		r->v[r->n].raw = a->v[i].addr;
		r->v[r->n].name = a->v[i].name;
		r->v[r->n].field = field;
		r->n++;
	}
}

static void
recips_free(struct recips *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->v[i].norm);
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

bool
people_env_user_wrote_thread(void *arg, const char *ti, const char *subject, int64_t date, const char *addr)
{
	struct store *st = arg;
	sqlite3_stmt *s;
	char *n = people_norm(st, addr);
	bool found;

	if (!n || (!ti && !subject))
		return free(n), false;
	if (ti) {
		/* Only what the user wrote before it: an opening message is no answer to the reply it got. */
		s = store_stmt(st, "SELECT 1 FROM message_info mi JOIN messages m ON m.id = mi.message "
				   "JOIN sent_to t ON t.message_id = m.message_id AND t.addr = ?2 "
				   "WHERE mi.ti = ?1 AND mi.at <= ?3 AND m.class = 'self' LIMIT 1");
		sqlite3_bind_text(s, 1, ti, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 3, date);
	} else {
		s = store_stmt(st, "SELECT 1 FROM message_info mi JOIN messages m ON m.id = mi.message "
				   "JOIN sent_to t ON t.message_id = m.message_id AND t.addr = ?2 "
				   "WHERE mi.subj = ?1 AND mi.at <= ?3 AND mi.at >= ?4 AND m.class = 'self' LIMIT 1");
		sqlite3_bind_text(s, 1, subject, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 3, date);
		sqlite3_bind_int64(s, 4, date - THREAD_SUBJECT_WINDOW);
	}
	sqlite3_bind_text(s, 2, n, -1, SQLITE_STATIC);
	found = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	free(n);
	return found;
}

/* Without In-Reply-To or References, a subject and its participants tie a thread (within a window). */
static char *
subject_key(const struct kith_msg *m, const char *from, const struct recips *r)
{
	char *base = classify_base_subject(m->subject), **v;
	struct strbuf sb = { 0 };
	size_t i, n = 0;

	if (!base || !from || r->n + 1 > GRAPH_MAX_RECIPIENTS) {
		free(base);
		return NULL;
	}
	v = xcalloc(r->n + 1, sizeof(*v));
	v[n++] = (char *)from;
	for (i = 0; i < r->n; i++)
		v[n++] = r->v[i].norm;
	qsort(v, n, sizeof(*v), cmp_str);
	sb_addf(&sb, "s:%s|", base);
	for (i = 0; i < n; i++)
		sb_addf(&sb, "%s%s", i ? "," : "", v[i]);
	free(v);
	free(base);
	return sb_detach(&sb);
}

/* Add t to the thread ids v (of n) unless there. */
static void
thread_add(int64_t **v, size_t *n, int64_t t)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*v)[i] == t)
			return;
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = t;
}

/*
 * The thread of a message: every message its keys connect — its root
 * reference, the message it answers, its own id, its Outlook Thread-Index
 * conversation — and, without In-Reply-To and References, the messages of
 * the same subject and participants (*skey) within THREAD_SUBJECT_WINDOW
 * either side.  A message connecting two threads joins them, so that a
 * thread is the same whatever order its messages arrived in.  A new thread
 * is numbered by its first message.
 */
static int
thread_for(struct store *st, int64_t message, const struct kith_msg *m, const char *from,
	   const struct recips *everyone, int64_t *thread, char **skey)
{
	char *keys[4] = { 0 };
	bool known[4] = { false };
	int64_t *found = NULL;
	size_t nkeys = 0, nfound = 0, i, k;
	sqlite3_stmt *s;
	int rc = STORE_OK;

	*skey = NULL;
	if (m->nreferences)
		keys[nkeys++] = xasprintf("%s", m->references[0]);
	if (m->in_reply_to)
		keys[nkeys++] = xasprintf("%s", m->in_reply_to);
	if (m->message_id)
		keys[nkeys++] = xasprintf("%s", m->message_id);
	if ((keys[nkeys] = classify_thread_index_key(m->thread_index)))
		nkeys++;
	for (i = 0; i < nkeys; i++) {
		s = store_stmt(st, "SELECT thread FROM thread_keys WHERE key = ?1");
		sqlite3_bind_text(s, 1, keys[i], -1, SQLITE_STATIC);
		if (sqlite3_step(s) == SQLITE_ROW) {
			known[i] = true;
			thread_add(&found, &nfound, sqlite3_column_int64(s, 0));
		}
		sqlite3_reset(s);
	}
	if (!m->in_reply_to && !m->nreferences && (*skey = subject_key(m, from, everyone))) {
		s = store_stmt(st, "SELECT DISTINCT mi.thread FROM message_info mi "
				   "WHERE mi.skey = ?1 AND mi.at >= ?2 - ?3 AND mi.at <= ?2 + ?3 AND mi.message != ?4");
		sqlite3_bind_text(s, 1, *skey, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, m->date);
		sqlite3_bind_int64(s, 3, THREAD_SUBJECT_WINDOW);
		sqlite3_bind_int64(s, 4, message);
		while (sqlite3_step(s) == SQLITE_ROW)
			thread_add(&found, &nfound, sqlite3_column_int64(s, 0));
		sqlite3_reset(s);
	}
	*thread = message;
	for (i = 0; i < nfound; i++)
		if (found[i] < *thread)
			*thread = found[i];
	for (i = 0; i < nfound && rc == STORE_OK; i++) {
		static const char *const merge[] = {
			"UPDATE thread_keys SET thread = ?2 WHERE thread = ?1",
			"UPDATE message_info SET thread = ?2 WHERE thread = ?1",
			"UPDATE interactions SET thread = ?2 WHERE thread = ?1",
		};

		if (found[i] == *thread)
			continue;
		for (k = 0; k < ARRAY_SIZE(merge) && rc == STORE_OK; k++) {
			s = store_stmt(st, merge[k]);
			sqlite3_bind_int64(s, 1, found[i]);
			sqlite3_bind_int64(s, 2, *thread);
			rc = store_step_done(st, s);
		}
	}
	for (i = 0; i < nkeys && rc == STORE_OK; i++) {
		if (known[i])
			continue;
		s = store_stmt(st, "INSERT OR IGNORE INTO thread_keys(key, thread) VALUES (?1, ?2)");
		sqlite3_bind_text(s, 1, keys[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, *thread);
		rc = store_step_done(st, s);
	}
	for (i = 0; i < nkeys; i++)
		free(keys[i]);
	free(found);
	return rc;
}

/* The user wrote: an interaction for each recipient; the recipients are remembered. */
static int
ingest_self(struct store *st, int64_t message, int64_t thread, const struct kith_msg *m,
	    const struct classification *c, const struct recips *r)
{
	bool direct = r->n <= (size_t)people_max_recipients(st);
	sqlite3_stmt *s;
	size_t i;
	int rc = STORE_OK;

	for (i = 0; i < r->n && rc == STORE_OK; i++) {
		struct ix ix = { 0 };

		if (m->message_id) {
			s = store_stmt(st, "INSERT OR IGNORE INTO sent_to(message_id, addr) VALUES (?1, ?2)");
			sqlite3_bind_text(s, 1, m->message_id, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 2, r->v[i].norm, -1, SQLITE_STATIC);
			if ((rc = store_step_done(st, s)) != STORE_OK)
				break;
		}
		rc = people_touch_address(st, r->v[i].norm, r->v[i].raw, r->v[i].name, false, m->date,
					  &ix.person, &ix.address);
		if (rc != STORE_OK)
			break;
		ix.message = message;
		ix.thread = thread;
		ix.at = m->date;
		ix.dir = DIR_OUT;
		ix.field = r->v[i].field;
		ix.weight = score_weight(true, r->v[i].field, c->is_reply, c->calendar_reply, r->n - 1);
		/* A blast from the user is diluted and refreshes no one. */
		ix.eligible = direct;
		ix.direct = direct;
		ix.subject = m->subject;
		rc = people_add_interaction(st, &ix);
	}
	return rc;
}

static int
mark_dead(struct store *st, const char *norm, int64_t at)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE addresses SET dead_at = max(dead_at, ?2) WHERE addr = ?1");

	sqlite3_bind_text(s, 1, norm, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, at);
	return store_step_done(st, s);
}

/* A bounce: the failed addresses, or the recipients of the user's message it answers. */
static int
ingest_bounce(struct store *st, const struct kith_msg *m, const struct classification *c)
{
	sqlite3_stmt *s;
	struct strlist dead = { 0 };
	size_t i;
	int rc = STORE_OK;

	for (i = 0; i < c->ndead; i++) {
		char *n = people_norm(st, c->dead[i]->addr);

		if (n)
			strlist_add(&dead, n);
		free(n);
	}
	if (dead.n == 0 && m->in_reply_to) {
		s = store_stmt(st, "SELECT addr FROM sent_to WHERE message_id = ?1");
		sqlite3_bind_text(s, 1, m->in_reply_to, -1, SQLITE_STATIC);
		while (sqlite3_step(s) == SQLITE_ROW)
			strlist_add(&dead, (const char *)sqlite3_column_text(s, 0));
		sqlite3_reset(s);
	}
	for (i = 0; i < dead.n && rc == STORE_OK; i++)
		rc = mark_dead(st, dead.v[i], m->date);
	strlist_free(&dead);
	return rc;
}

/* Mail to the user: credit the author, and the co-recipients on the graph. */
static int
ingest_incoming(struct store *st, int64_t message, int64_t thread, const struct kith_msg *m,
		const struct classification *c, const struct msg_addr *author, const char *anorm,
		const struct recips *r)
{
	struct ix ix = { 0 };
	bool stray;
	size_t i;
	int rc;

	rc = people_touch_address(st, anorm, author->addr, author->name, true, m->date, &ix.person,
				  &ix.address);
	if (rc != STORE_OK)
		return rc;
	ix.message = message;
	ix.thread = thread;
	ix.at = m->date;
	ix.subject = m->subject;
	ix.dir = DIR_IN;
	switch (c->cls) {
	case CLASS_HUMAN:
	case CLASS_REPLY_HUMAN:
		ix.field = c->user_in_to ? FIELD_TO : FIELD_CC;
		ix.weight = score_weight(false, ix.field, c->is_reply, c->calendar_reply, r->n);
		ix.direct = r->n + 1 <= (size_t)people_max_recipients(st);
		ix.personal = c->cls == CLASS_REPLY_HUMAN;
		/* A reply-all to a crowd is a blast too, whoever sent it: it refreshes no one. */
		ix.eligible = ix.direct;
		break;
	case CLASS_LIST:
		ix.dir = DIR_GRAPH;
		ix.weight = W_GRAPH;
		break;
	default:
		/* auto, bulk, blast: kept for the history, never a contact. */
		ix.weight = 0;
		break;
	}
	if ((rc = people_add_interaction(st, &ix)) != STORE_OK)
		return rc;
	/*
	 * A person's mail to a crowd, or mail that reached the user under an
	 * address kith does not know as theirs, counts for no one, but its
	 * recipients are still people the user is seen with: their addresses
	 * and dates are what tells a second address of a colleague or of the
	 * user (merge --suggest).
	 */
	if ((c->cls != CLASS_HUMAN && c->cls != CLASS_REPLY_HUMAN && c->cls != CLASS_BLAST) ||
	    r->n + 1 > GRAPH_MAX_RECIPIENTS)
		return STORE_OK;
	stray = c->cls == CLASS_BLAST && !c->user_in_to && !c->user_in_cc;
	for (i = 0; i < r->n && rc == STORE_OK; i++) {
		struct ix g = { 0 };

		/*
		 * The one address of mail that names none of the user's is how
		 * it reached them: a list or an alias, nobody, unless it may be
		 * the user's own ("rbadeer@" for robert.badeer@), which merge
		 * --suggest then offers as theirs.
		 */
		if (stray && r->n == 1 && !people_short_form_of_me(st, r->v[i].norm))
			continue;

		rc = people_touch_address(st, r->v[i].norm, r->v[i].raw, r->v[i].name, false, m->date,
					  &g.person, &g.address);
		if (rc != STORE_OK)
			break;
		g.message = message;
		g.thread = thread;
		g.at = m->date;
		g.subject = m->subject;
		g.dir = DIR_GRAPH;
		g.field = r->v[i].field;
		g.weight = W_GRAPH / sqrt((double)(r->n > 1 ? r->n : 1));
		rc = people_add_interaction(st, &g);
	}
	return rc;
}

/*
 * "<mailto:dev@lists.example.org?subject=...>" → "dev@lists.example.org";
 * List-Id "Dev list <dev.lists.example.org>" → "dev@lists.example.org".
 * NULL when the header names no address.  free() the result.
 */
static char *
list_post_addr(const char *list_post)
{
	const char *p = list_post ? strcasestr(list_post, "mailto:") : NULL;
	size_t n;

	if (!p)
		return NULL;
	p += 7;
	n = strcspn(p, ">?, \t");
	return n && memchr(p, '@', n) ? xstrndup(p, n) : NULL;
}

static char *
list_id_addr(const char *list_id)
{
	const char *lt = list_id ? strrchr(list_id, '<') : NULL, *dot, *gt;

	if (!lt || !(gt = strchr(lt, '>')) || !(dot = memchr(lt, '.', (size_t)(gt - lt))) || dot == lt + 1 ||
	    !memchr(dot + 1, '.', (size_t)(gt - dot - 1)))
		return NULL;
	return xasprintf("%.*s@%.*s", (int)(dot - lt - 1), lt + 1, (int)(gt - dot - 1), dot + 1);
}

/*
 * Learn the list's own address from its mail.  An address newly learned
 * was taken for a person until now: every message that credited it is
 * derived again (a list post is read before the list's copies).
 */
static int
learn_list(struct store *st, int64_t message, const char *header_value, bool is_post)
{
	char *addr = is_post ? list_post_addr(header_value) : list_id_addr(header_value), *norm;
	sqlite3_stmt *s;
	int rc = STORE_OK;

	norm = addr ? people_norm(st, addr) : NULL;
	free(addr);
	if (!norm || people_is_me(st, norm))
		goto out;
	s = store_stmt(st, "INSERT OR IGNORE INTO list_addrs(addr, message) VALUES (?1, ?2)");
	sqlite3_bind_text(s, 1, norm, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, message);
	if ((rc = store_step_done(st, s)) != STORE_OK || sqlite3_changes(store_db(st)) == 0)
		goto out;
	s = store_stmt(st, "INSERT OR IGNORE INTO rederive(message) SELECT DISTINCT i.message FROM interactions i "
			   "JOIN addresses a ON a.person = i.person AND a.id = i.address WHERE a.addr = ?1 "
			   "AND i.message IS NOT NULL "
			   "UNION SELECT message FROM message_info WHERE from_addr = ?1");
	sqlite3_bind_text(s, 1, norm, -1, SQLITE_STATIC);
	rc = store_step_done(st, s);
out:
	free(norm);
	return rc;
}

/*
 * The user's message has just arrived: stored mail that answers it (by
 * References, Thread-Index or subject) was classified without it, and is
 * derived again.  Only classes an answer to the user overrides.
 */
static int
queue_answers(struct store *st, int64_t message, const struct kith_msg *m, const char *ti, const char *subj)
{
	static const char *const answers[] = {
		"INSERT OR IGNORE INTO rederive(message) SELECT r.message FROM message_refs r "
		"JOIN messages x ON x.id = r.message WHERE r.ref = ?1 AND ?1 IS NOT NULL "
		"AND x.class IN ('human', 'list', 'bulk', 'notification', 'blast')",
		"INSERT OR IGNORE INTO rederive(message) SELECT mi.message FROM message_info mi "
		"JOIN messages x ON x.id = mi.message WHERE mi.ti = ?2 AND ?2 IS NOT NULL "
		"AND x.class IN ('human', 'list', 'bulk', 'notification', 'blast') "
		"AND mi.reply_to IS NULL",
		"INSERT OR IGNORE INTO rederive(message) SELECT mi.message FROM message_info mi "
		"JOIN messages x ON x.id = mi.message WHERE mi.subj = ?3 AND ?3 IS NOT NULL "
		"AND mi.at >= ?4 AND mi.at <= ?4 + ?5 AND mi.message != ?6 "
		"AND x.class IN ('human', 'list', 'bulk', 'notification', 'blast') "
		"AND mi.reply_to IS NULL",
	};
	sqlite3_stmt *s;
	size_t i;
	int rc = STORE_OK;

	for (i = 0; i < ARRAY_SIZE(answers) && rc == STORE_OK; i++) {
		s = store_stmt(st, answers[i]);
		if (m->message_id)
			sqlite3_bind_text(s, 1, m->message_id, -1, SQLITE_STATIC);
		if (ti)
			sqlite3_bind_text(s, 2, ti, -1, SQLITE_STATIC);
		if (subj)
			sqlite3_bind_text(s, 3, subj, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 4, m->date);
		sqlite3_bind_int64(s, 5, THREAD_SUBJECT_WINDOW);
		sqlite3_bind_int64(s, 6, message);
		rc = store_step_done(st, s);
	}
	return rc;
}

/* The Message-IDs the message names, for finding its answers' questions later. */
static int
record_refs(struct store *st, int64_t message, const struct kith_msg *m)
{
	sqlite3_stmt *s;
	size_t i;
	int rc = STORE_OK;

	for (i = 0; i <= m->nreferences && rc == STORE_OK; i++) {
		const char *ref = i < m->nreferences ? m->references[i] : m->in_reply_to;

		if (!ref)
			continue;
		s = store_stmt(st, "INSERT OR IGNORE INTO message_refs(ref, message) VALUES (?1, ?2)");
		sqlite3_bind_text(s, 1, ref, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, message);
		rc = store_step_done(st, s);
	}
	return rc;
}

int
people_ingest(struct store *st, int64_t message_id, const struct kith_msg *m)
{
	struct classify_env env = { 0 };
	struct classification c;
	struct recips r = { 0 };
	const struct msg_addr *from, *author;
	char *fnorm = NULL, *anorm = NULL, *ti = NULL, *subj = NULL, *skey = NULL;
	sqlite3_stmt *s;
	int64_t thread;
	int rc;

	env.is_me = people_env_is_me;
	env.user_sent_to = people_env_user_sent_to;
	env.user_wrote_thread = people_env_user_wrote_thread;
	env.max_recipients = people_max_recipients(st);
	env.arg = st;
	classify(m, &env, &c);
	ti = classify_thread_index_key(m->thread_index);
	subj = classify_base_subject(m->subject);

	from = m->from.n ? &m->from.v[0] : m->sender.n ? &m->sender.v[0] : NULL;
	author = c.author ? c.author : from;
	if (from)
		fnorm = people_norm(st, from->addr);
	if (author == from)
		anorm = fnorm ? xstrdup(fnorm) : NULL;	/* the usual case: normalised once */
	else
		anorm = people_norm(st, author->addr);
	/* Mail from a list's own address is nobody's, whatever its headers. */
	if (c.cls != CLASS_SELF && c.cls != CLASS_NOTE && c.cls != CLASS_BOUNCE && c.cls != CLASS_LIST && anorm &&
	    people_is_list(st, anorm)) {
		c.cls = CLASS_LIST;
		c.rule = "from-list-address";
	}
	/* The user's post to a list, or mail to more people than max_recipients. */
	if (c.cls == CLASS_SELF) {
		struct recips all = { 0 };

		recips_add(st, &all, &m->to, FIELD_TO, NULL);
		recips_add(st, &all, &m->cc, FIELD_CC, NULL);
		recips_add(st, &all, &m->bcc, FIELD_BCC, NULL);
		if (all.n > (size_t)env.max_recipients)
			c.rule = "blast-from-me";
		else if (all.lists)
			c.rule = "post-to-list";
		recips_free(&all);
	}

	s = store_stmt(st, "UPDATE messages SET class = ?2, rule = ?3 WHERE id = ?1");
	sqlite3_bind_int64(s, 1, message_id);
	sqlite3_bind_text(s, 2, msg_class_name(c.cls), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, c.rule, -1, SQLITE_STATIC);
	if ((rc = store_step_done(st, s)) != STORE_OK)
		goto out;
	if ((rc = record_refs(st, message_id, m)) != STORE_OK)
		goto out;
	if (m->list_post && (rc = learn_list(st, message_id, m->list_post, true)) != STORE_OK)
		goto out;
	if (m->list_id && (rc = learn_list(st, message_id, m->list_id, false)) != STORE_OK)
		goto out;

	recips_add(st, &r, &m->to, FIELD_TO, anorm);
	recips_add(st, &r, &m->cc, FIELD_CC, anorm);
	if (c.cls == CLASS_SELF)
		recips_add(st, &r, &m->bcc, FIELD_BCC, anorm);

	if ((rc = thread_for(st, message_id, m, anorm ? anorm : fnorm, &r, &thread, &skey)) != STORE_OK)
		goto out;
	s = store_stmt(st, "INSERT INTO message_info(message, thread, from_addr, reply_to, ti, subj, opens, skey, at) "
			   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
			   "ON CONFLICT(message) DO UPDATE SET thread = excluded.thread, "
			   "from_addr = excluded.from_addr, reply_to = excluded.reply_to, ti = excluded.ti, "
			   "subj = excluded.subj, opens = excluded.opens, skey = excluded.skey, at = excluded.at");
	sqlite3_bind_int64(s, 1, message_id);
	sqlite3_bind_int64(s, 2, thread);
	if (fnorm)
		sqlite3_bind_text(s, 3, fnorm, -1, SQLITE_STATIC);
	if (m->in_reply_to)
		sqlite3_bind_text(s, 4, m->in_reply_to, -1, SQLITE_STATIC);
	else if (m->nreferences)
		sqlite3_bind_text(s, 4, m->references[m->nreferences - 1], -1, SQLITE_STATIC);
	if (ti)
		sqlite3_bind_text(s, 5, ti, -1, SQLITE_STATIC);
	if (subj)
		sqlite3_bind_text(s, 6, subj, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 7, c.opens);
	if (skey)
		sqlite3_bind_text(s, 8, skey, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 9, m->date);
	if ((rc = store_step_done(st, s)) != STORE_OK)
		goto out;

	switch (c.cls) {
	case CLASS_SELF:
		rc = ingest_self(st, message_id, thread, m, &c, &r);
		if (rc == STORE_OK)
			rc = queue_answers(st, message_id, m, ti, subj);
		break;
	case CLASS_NOTE:
		break;		/* a note to self counts for no one */
	case CLASS_BOUNCE:
		rc = ingest_bounce(st, m, &c);
		break;
	case CLASS_NOTIFICATION:
		break;		/* "Alice <notifications@github.com>" is not Alice */
	default:
		if (!anorm || people_is_me(st, anorm))
			break;
		/* A list that hid its poster: the list address is nobody. */
		if (c.cls == CLASS_LIST && author == from && from->name && strstr(from->name, " via "))
			break;
		if (people_is_list(st, anorm))
			break;
		rc = ingest_incoming(st, message_id, thread, m, &c, author, anorm, &r);
		break;
	}
out:
	recips_free(&r);
	free(fnorm);
	free(anorm);
	free(ti);
	free(subj);
	free(skey);
	classification_free(&c);
	return rc;
}
