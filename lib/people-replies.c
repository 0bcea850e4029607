/* people-replies.c - owed and awaited replies: the mail of the last weeks read once, then each person's. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kith/model.h"
#include "kith/people.h"
#include "kith/store.h"
#include "kith/util.h"
#include "people-private.h"
#include "store-private.h"

void
reply_list_free(struct reply_list *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].email);
		free(l->v[i].subject);
		free(l->v[i].message_id);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int
cmp_reply(const void *pa, const void *pb)
{
	const struct reply_item *a = pa, *b = pb;
	int c;

	if (a->since != b->since)
		return a->since < b->since ? -1 : 1;
	/* Then by address: ids record the order mail arrived in. */
	if ((c = strcmp(a->email ? a->email : "", b->email ? b->email : "")) != 0)
		return c;
	return (a->id > b->id) - (a->id < b->id);
}

/* Did the user write to them in To or Cc, blast or not, at `since` or later? */
static bool
written_since(struct store *st, int64_t person, int64_t since)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT 1 FROM interactions WHERE person = ?1 AND at >= ?2 "
					 "AND dir = ?3 AND field < ?4 LIMIT 1");
	bool r;

	sqlite3_bind_int64(s, 1, person);
	sqlite3_bind_int64(s, 2, since);
	sqlite3_bind_int(s, 3, DIR_OUT);
	sqlite3_bind_int(s, 4, FIELD_BCC);
	r = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return r;
}

/*
 * Eligible mail in To either way young enough to be owed or awaited a
 * reply: a few weeks of it, read in one scan of a small index rather
 * than each person's interactions.
 */
struct wrow {
	int64_t person, at, message;
	int dir;
};

struct window {
	struct wrow *v;
	size_t n;
};

/* By person, direction, the newest first. */
static int
cmp_wrow(const void *pa, const void *pb)
{
	const struct wrow *a = pa, *b = pb;

	if (a->person != b->person)
		return a->person < b->person ? -1 : 1;
	if (a->dir != b->dir)
		return a->dir < b->dir ? -1 : 1;
	if (a->at != b->at)
		return a->at > b->at ? -1 : 1;
	return (a->message > b->message) - (a->message < b->message);
}

static int
read_window(struct store *st, int64_t from, int64_t to, struct window *w)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT person, dir, at, message FROM interactions "
					 "WHERE eligible = 1 AND field = 0 AND at >= ?1 AND at <= ?2 AND dir IN (?3, ?4)");
	size_t cap = 0;
	int rc;

	memset(w, 0, sizeof(*w));
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	sqlite3_bind_int(s, 3, DIR_OUT);
	sqlite3_bind_int(s, 4, DIR_IN);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (w->n == cap) {
			cap = cap ? cap * 2 : 1024;
			w->v = xreallocarray(w->v, cap, sizeof(*w->v));
		}
		w->v[w->n].person = sqlite3_column_int64(s, 0);
		w->v[w->n].dir = sqlite3_column_int(s, 1);
		w->v[w->n].at = sqlite3_column_int64(s, 2);
		w->v[w->n++].message = sqlite3_column_int64(s, 3);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		free(w->v);
		memset(w, 0, sizeof(*w));
		return store_fail(st, "reading recent interactions");
	}
	if (w->n > 1)
		qsort(w->v, w->n, sizeof(*w->v), cmp_wrow);
	return STORE_OK;
}

/* The first row of a person's mail one way, or NULL. */
static const struct wrow *
window_first(const struct window *w, int64_t person, int dir)
{
	size_t lo = 0, hi = w->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct wrow *r = &w->v[mid];

		if (r->person < person || (r->person == person && r->dir < dir))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < w->n && w->v[lo].person == person && w->v[lo].dir == dir ? &w->v[lo] : NULL;
}

/* SQLite's order of message ids: NULL before any text. */
static int
cmp_mid(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/* What a reply shows of a message, and whether it opens a conversation. */
struct minfo {
	int64_t id;
	bool found;
	int opens;
	char *subject, *message_id;
};

struct mset {
	struct minfo *v;
	size_t n;
};

static int
cmp_minfo(const void *pa, const void *pb)
{
	const struct minfo *a = pa, *b = pb;

	return (a->id > b->id) - (a->id < b->id);
}

static void
mset_free(struct mset *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->v[i].subject);
		free(m->v[i].message_id);
	}
	free(m->v);
	memset(m, 0, sizeof(*m));
}

static const struct minfo *
mset_find(const struct mset *m, int64_t id)
{
	struct minfo k = { .id = id };

	return m->n ? bsearch(&k, m->v, m->n, sizeof(*m->v), cmp_minfo) : NULL;
}

/*
 * Read the messages whose ids m->v holds (each once), in the order of
 * their ids: neighbours share pages, which a random order reads again.
 */
static int
mset_read(struct store *st, struct mset *m)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT m.subject, m.message_id, mi.opens FROM messages m "
					 "JOIN message_info mi ON mi.message = m.id WHERE m.id = ?1");
	size_t i, n = 0;
	int rc = SQLITE_DONE;

	if (m->n > 1)
		qsort(m->v, m->n, sizeof(*m->v), cmp_minfo);
	for (i = 0; i < m->n; i++)
		if (n == 0 || m->v[i].id != m->v[n - 1].id)
			m->v[n++] = m->v[i];
	m->n = n;
	for (i = 0; i < m->n; i++) {
		struct minfo *mi = &m->v[i];

		sqlite3_bind_int64(s, 1, mi->id);
		if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			mi->found = true;
			if (sqlite3_column_type(s, 0) != SQLITE_NULL)
				mi->subject = xstrdup((const char *)sqlite3_column_text(s, 0));
			if (sqlite3_column_type(s, 1) != SQLITE_NULL)
				mi->message_id = xstrdup((const char *)sqlite3_column_text(s, 1));
			mi->opens = sqlite3_column_int(s, 2);
			rc = SQLITE_DONE;
		}
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return store_fail(st, "reading a message");
	}
	return STORE_OK;
}

/* A person who may owe or await a reply, and what was found for them. */
struct cand {
	struct ev *e;
	const struct wrow *r;		/* their newest group of mail not yet found wanting */
	int64_t since;			/* 0: none found (yet) */
	char *subject, *message_id;
};

/* The end of the group at r: the rows of one person, one way, at one time. */
static const struct wrow *
group_end(const struct window *w, const struct wrow *r)
{
	const struct wrow *q = r, *end = w->v + w->n;

	while (q < end && q->person == r->person && q->dir == r->dir && q->at == r->at)
		q++;
	return q;
}

/* Is r a row of c's mail one way, newer than `after`? */
static bool
in_run(const struct window *w, const struct cand *c, const struct wrow *r, int dir, int64_t after)
{
	return r && r < w->v + w->n && r->person == c->e->id && r->dir == dir && r->at > after;
}

/*
 * The newest of each candidate's messages one way in (after, upto], with
 * its message and (awaiting) opening a conversation; of several at one
 * time the greatest Message-ID.  The messages are read a round at a
 * time, each round the group of rows at one time of everyone still
 * without one, the newest first: mostly one message a person, read in
 * the order of their ids.
 */
static int
newest_all(struct store *st, const struct window *w, bool owed, int64_t upto, struct cand *c, size_t n)
{
	int dir = owed ? DIR_IN : DIR_OUT;
	size_t *left = xcalloc(n ? n : 1, sizeof(*left));
	size_t i, nleft = 0;
	int rc = STORE_OK;

	for (i = 0; i < n; i++) {
		int64_t after = owed ? c[i].e->last_sent : c[i].e->last_received;

		c[i].r = window_first(w, c[i].e->id, dir);
		while (in_run(w, &c[i], c[i].r, dir, after) && c[i].r->at > upto)
			c[i].r++;
		if (in_run(w, &c[i], c[i].r, dir, after))
			left[nleft++] = i;
	}
	while (nleft > 0 && rc == STORE_OK) {
		struct mset m = { 0 };
		size_t cap = 0, k = 0;

		for (i = 0; i < nleft; i++) {
			const struct wrow *r, *end = group_end(w, c[left[i]].r);

			for (r = c[left[i]].r; r < end; r++) {
				if (m.n == cap) {
					cap = cap ? cap * 2 : 256;
					m.v = xreallocarray(m.v, cap, sizeof(*m.v));
				}
				memset(&m.v[m.n], 0, sizeof(m.v[m.n]));
				m.v[m.n++].id = r->message;
			}
		}
		if ((rc = mset_read(st, &m)) == STORE_OK)
			for (i = 0; i < nleft; i++) {
				struct cand *ci = &c[left[i]];
				const struct wrow *r, *end = group_end(w, ci->r);
				const struct minfo *best = NULL;
				int64_t after = owed ? ci->e->last_sent : ci->e->last_received;

				for (r = ci->r; r < end; r++) {
					const struct minfo *mi = mset_find(&m, r->message);

					if (mi && mi->found && (owed || mi->opens == 1) &&
					    (!best || cmp_mid(mi->message_id, best->message_id) > 0))
						best = mi;
				}
				if (best) {
					ci->since = ci->r->at;
					ci->subject = best->subject ? xstrdup(best->subject) : NULL;
					ci->message_id = best->message_id ? xstrdup(best->message_id) : NULL;
				} else if (in_run(w, ci, (ci->r = end), dir, after))
					left[k++] = left[i];
			}
		nleft = k;
		mset_free(&m);
	}
	free(left);
	return rc;
}

/*
 * The newest message of the unanswered run that has waited long enough:
 * their in-To mail after anything the user wrote to them (owed), or the
 * user's question after their last message (awaiting).  Awaiting: only a
 * message that opens a conversation (no In-Reply-To, References,
 * Thread-Index continuation or reply prefix, whether or not what it
 * answers is in the mailbox); the user's "Re: thanks" awaits nothing.
 * One older than REPLY_MAX_AGE is no reply's: it falls back to `kith due`.
 * Awaiting answers only from relationships: a shop never answering is no
 * news.
 */
static int
replies_of(struct store *st, const struct window *w, struct evset *es, int64_t now, bool owed,
	   struct reply_list *out)
{
	struct cand *c = xcalloc(es->n ? es->n : 1, sizeof(*c));
	size_t i, nc = 0;
	int rc;

	for (i = 0; i < es->n; i++) {
		struct ev *e = &es->v[i];

		if (e->ignored || e->in.bounced || (!owed && !e->relationship))
			continue;
		if (owed ? !(e->last_received > e->last_sent) : !(e->last_sent > e->last_received))
			continue;
		c[nc++].e = e;
	}
	if ((rc = newest_all(st, w, owed, now - (owed ? OWED_MIN_AGE : AWAITING_MIN_AGE), c, nc)) != STORE_OK)
		goto out;
	for (i = 0; i < nc; i++) {
		struct reply_item *r;

		if (!c[i].since)
			continue;
		/*
		 * Reply-all to a crowd is a blast, yet it answers everyone in
		 * it: their mail must be newer than that too.  Their message
		 * found is newer than last_sent and no newer than
		 * last_received, so only a message to them since it matters.
		 */
		if (owed && written_since(st, c[i].e->id, c[i].since))
			continue;
		/* A role mailbox or a mailing (people-owed.c). */
		if (owed && !c[i].e->relationship) {
			bool asks = false;

			if ((rc = people_asks_reply(st, c[i].e->id, &asks)) != STORE_OK)
				goto out;
			if (!asks)
				continue;
		}
		out->v = xreallocarray(out->v, out->n + 1, sizeof(*out->v));
		r = &out->v[out->n++];
		memset(r, 0, sizeof(*r));
		r->id = c[i].e->id;
		r->since = c[i].since;
		r->subject = c[i].subject;
		r->message_id = c[i].message_id;
		c[i].subject = c[i].message_id = NULL;
	}
out:
	for (i = 0; i < nc; i++) {
		free(c[i].subject);
		free(c[i].message_id);
	}
	free(c);
	return rc;
}

static int
cmp_item_id(const void *pa, const void *pb)
{
	const struct reply_item *const *a = pa, *const *b = pb;

	return ((*a)->id > (*b)->id) - ((*a)->id < (*b)->id);
}

/*
 * Names and addresses of everyone in both lists at once, and nothing
 * else of them.  No one is in both: one wrote last, or the other.
 */
static int
name_all(struct store *st, int64_t now, struct reply_list *owed, struct reply_list *awaiting)
{
	size_t n = owed->n + awaiting->n, i;
	struct reply_item **items = xcalloc(n ? n : 1, sizeof(*items));
	int64_t *ids = xcalloc(n ? n : 1, sizeof(*ids));
	char **names = xcalloc(n ? n : 1, sizeof(*names)), **emails = xcalloc(n ? n : 1, sizeof(*emails));
	int rc;

	for (i = 0; i < n; i++)
		items[i] = i < owed->n ? &owed->v[i] : &awaiting->v[i - owed->n];
	if (n > 1)
		qsort(items, n, sizeof(*items), cmp_item_id);
	for (i = 0; i < n; i++)
		ids[i] = items[i]->id;
	if ((rc = people_names_many(st, ids, n, now, names, emails)) == STORE_OK)
		for (i = 0; i < n; i++) {
			items[i]->name = names[i];
			items[i]->email = emails[i];
		}
	free(names);
	free(emails);
	free(ids);
	free(items);
	return rc;
}

/*
 * An address that is probably the user's own (merge --suggest says
 * "yours") is the user writing to themselves: it owes and awaits
 * nothing.  Marked ignored in this evaluation only.
 */
static int
skip_mine(struct store *st, struct evset *es)
{
	struct merge_suggestion_list l;
	size_t i;
	int rc;

	if ((rc = people_merge_suggestions(st, &l)) != STORE_OK)
		return rc;
	for (i = 0; i < l.n; i++) {
		struct ev *e = l.v[i].rule == MERGE_MINE ? people_ev_find(es, l.v[i].a) : NULL;

		if (e)
			e->ignored = true;
	}
	merge_suggestion_list_free(&l);
	return STORE_OK;
}

int
people_replies(struct store *st, int64_t now, struct reply_list *owed, struct reply_list *awaiting)
{
	struct window w = { 0 };
	struct evset es = { 0 };
	int64_t *ids = NULL;
	size_t i, n = 0;
	bool snap;
	int rc;

	memset(owed, 0, sizeof(*owed));
	memset(awaiting, 0, sizeof(*awaiting));
	/* Aggregates changed in this transaction are read from the rows. */
	if ((rc = people_cache_sync(st)) != STORE_OK)
		return rc;
	/* One read snapshot for the thousands of small reads that follow. */
	snap = store_read_begin(st);
	if ((rc = read_window(st, now - REPLY_MAX_AGE, now - OWED_MIN_AGE, &w)) != STORE_OK)
		goto out;
	/* Only someone with mail in the window can owe or await a reply: the others need no evaluation. */
	ids = xcalloc(w.n ? w.n : 1, sizeof(*ids));
	for (i = 0; i < w.n; i++)
		if (n == 0 || ids[n - 1] != w.v[i].person)
			ids[n++] = w.v[i].person;
	if ((rc = people_evaluate_ids(st, now, ids, n, &es)) != STORE_OK || (rc = skip_mine(st, &es)) != STORE_OK)
		goto out;
	if ((rc = replies_of(st, &w, &es, now, true, owed)) != STORE_OK ||
	    (rc = replies_of(st, &w, &es, now, false, awaiting)) != STORE_OK ||
	    (rc = name_all(st, now, owed, awaiting)) != STORE_OK)
		goto out;
	if (owed->n > 1)
		qsort(owed->v, owed->n, sizeof(*owed->v), cmp_reply);
	if (awaiting->n > 1)
		qsort(awaiting->v, awaiting->n, sizeof(*awaiting->v), cmp_reply);
out:
	store_read_end(st, snap);
	free(ids);
	free(w.v);
	people_evset_free(&es);
	if (rc != STORE_OK) {
		reply_list_free(owed);
		reply_list_free(awaiting);
	}
	return rc;
}
