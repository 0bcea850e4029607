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

/*
 * The newest of a person's messages one way in (after, upto], with its
 * message and (awaiting) opening a conversation; of several at one time
 * the greatest Message-ID.  *since = 0 when there is none.
 */
static int
newest_of(struct store *st, const struct window *w, int64_t person, bool owed, int64_t after, int64_t upto,
	  int64_t *since, char **subject, char **message_id)
{
	int dir = owed ? DIR_IN : DIR_OUT;
	const struct wrow *r = window_first(w, person, dir), *end = w->v + w->n;
	int rc = SQLITE_DONE;

	*since = 0;
	*subject = *message_id = NULL;
	for (; r && r < end && r->person == person && r->dir == dir && r->at > after; ) {
		int64_t at = r->at;

		if (at > upto) {
			r++;
			continue;
		}
		for (; r < end && r->person == person && r->dir == dir && r->at == at; r++) {
			sqlite3_stmt *s = store_stmt(st, "SELECT m.subject, m.message_id, mi.opens FROM messages m "
							 "JOIN message_info mi ON mi.message = m.id WHERE m.id = ?1");
			const char *mid;

			sqlite3_bind_int64(s, 1, r->message);
			rc = sqlite3_step(s);
			if (rc == SQLITE_ROW && (owed || sqlite3_column_int(s, 2) == 1)) {
				mid = (const char *)sqlite3_column_text(s, 1);
				if (!*since || cmp_mid(mid, *message_id) > 0) {
					free(*subject);
					free(*message_id);
					*subject = sqlite3_column_type(s, 0) == SQLITE_NULL ? NULL
						 : xstrdup((const char *)sqlite3_column_text(s, 0));
					*message_id = mid ? xstrdup(mid) : NULL;
					*since = at;
				}
			}
			sqlite3_reset(s);
			if (rc != SQLITE_ROW && rc != SQLITE_DONE)
				return store_fail(st, "reading a message");
		}
		if (*since)
			break;
	}
	return STORE_OK;
}

/*
 * The newest message of the unanswered run that has waited long enough:
 * their in-To mail after anything the user wrote to them (owed), or the
 * user's question after their last message (awaiting).  Awaiting: only a
 * message that opens a conversation (no In-Reply-To, References,
 * Thread-Index continuation or reply prefix, whether or not what it
 * answers is in the mailbox); the user's "Re: thanks" awaits nothing.
 * One older than REPLY_MAX_AGE is no reply's: it falls back to `kith due`.
 */
static int
replies_of(struct store *st, const struct window *w, struct evset *es, int64_t now, bool owed,
	   struct reply_list *out)
{
	struct ev **sel = xcalloc(es->n ? es->n : 1, sizeof(*sel));
	struct person *filled = NULL;
	size_t i, n = 0;
	int rc = STORE_OK;

	for (i = 0; i < es->n; i++) {
		struct ev *e = &es->v[i];
		int64_t after = owed ? e->last_sent : e->last_received, since;
		char *subject, *message_id;
		struct reply_item *r;

		if (e->ignored || e->in.bounced)
			continue;
		if (owed ? !(e->last_received > e->last_sent) : !(e->last_sent > e->last_received))
			continue;
		if ((rc = newest_of(st, w, e->id, owed, after, now - (owed ? OWED_MIN_AGE : AWAITING_MIN_AGE),
				    &since, &subject, &message_id)) != STORE_OK)
			goto out;
		if (!since)
			continue;
		/*
		 * Reply-all to a crowd is a blast, yet it answers everyone in
		 * it: their mail must be newer than that too.  Their message
		 * found is newer than last_sent and no newer than
		 * last_received, so only a message to them since it matters.
		 */
		if (owed && written_since(st, e->id, since)) {
			free(subject);
			free(message_id);
			continue;
		}
		/* A role mailbox or a mailing (people-owed.c). */
		if (owed && !e->relationship) {
			bool asks = false;

			rc = people_asks_reply(st, e->id, &asks);
			if (rc != STORE_OK || !asks) {
				free(subject);
				free(message_id);
				if (rc != STORE_OK)
					goto out;
				continue;
			}
		}
		out->v = xreallocarray(out->v, out->n + 1, sizeof(*out->v));
		r = &out->v[out->n++];
		memset(r, 0, sizeof(*r));
		r->id = e->id;
		r->since = since;
		r->subject = subject;
		r->message_id = message_id;
		sel[n++] = e;
	}
	/* Names and addresses of all at once: one read of each table. */
	filled = xcalloc(n ? n : 1, sizeof(*filled));
	if ((rc = people_fill_many(st, sel, n, now, filled)) != STORE_OK)
		goto out;
	for (i = 0; i < n; i++) {
		struct reply_item *r = &out->v[out->n - n + i];

		r->name = filled[i].name;
		r->email = filled[i].email;
		filled[i].name = filled[i].email = NULL;
		person_free(&filled[i]);
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_reply);
out:
	free(filled);
	free(sel);
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
	struct evset es;
	bool snap;
	int rc;

	memset(owed, 0, sizeof(*owed));
	memset(awaiting, 0, sizeof(*awaiting));
	if ((rc = people_evaluate(st, now, false, &es)) != STORE_OK)
		return rc;
	if ((rc = skip_mine(st, &es)) != STORE_OK) {
		people_evset_free(&es);
		return rc;
	}
	/* One read snapshot for the thousands of small reads that follow. */
	snap = store_read_begin(st);
	rc = read_window(st, now - REPLY_MAX_AGE, now - OWED_MIN_AGE, &w);
	/* Awaiting answers only from relationships: a shop never answering is no news. */
	if (rc == STORE_OK)
		rc = replies_of(st, &w, &es, now, true, owed);
	if (rc == STORE_OK) {
		size_t i, n = 0;

		for (i = 0; i < es.n; i++)
			if (es.v[i].relationship)
				es.v[n++] = es.v[i];
			else
				people_ev_free(&es.v[i]);
		es.n = n;
		rc = replies_of(st, &w, &es, now, false, awaiting);
	}
	store_read_end(st, snap);
	free(w.v);
	people_evset_free(&es);
	if (rc != STORE_OK) {
		reply_list_free(owed);
		reply_list_free(awaiting);
	}
	return rc;
}
