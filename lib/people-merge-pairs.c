/* people-merge-pairs.c - merge suggestions kept from sync to sync, read between today's people, and due agreeing with them. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kith/config.h"
#include "kith/model.h"
#include "kith/people.h"
#include "kith/store.h"
#include "kith/util.h"
#include "people-private.h"
#include "store-private.h"

/* meta key: merge_pairs has been filled at least once. */
#define MERGE_PAIRS_META	"merge_pairs"

const char *
merge_rule_name(enum merge_rule r)
{
	switch (r) {
	case MERGE_NAME_DOMAIN: return "same-name-domain";
	case MERGE_NAME_THREADS: return "same-name-threads";
	case MERGE_SEPARATORS: return "same-local-part";
	case MERGE_INITIAL: return "initial-surname";
	case MERGE_JOB_CHANGE: return "job-change";
	case MERGE_MINE: return "yours";
	case MERGE_NAME_REWRITTEN: return "same-name-rewritten";
	}
	return "unknown";
}

void
merge_suggestion_list_free(struct merge_suggestion_list *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].addr_a);
		free(l->v[i].addr_b);
		free(l->v[i].reason);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static bool
suggested(const struct merge_suggestion_list *l, int64_t a, int64_t b)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].a == a && l->v[i].b == b)
			return true;
	return false;
}

void
people_suggestion_add(struct merge_suggestion_list *l, int64_t a, int64_t b, enum merge_rule rule, const char *name,
    const char *addr_a, const char *addr_b, char *reason)
{
	struct merge_suggestion *m;

	if (b && a > b) {
		int64_t t = a;
		const char *ta = addr_a;

		a = b;
		b = t;
		addr_a = addr_b;
		addr_b = ta;
	}
	if (suggested(l, a, b)) {
		free(reason);
		return;
	}
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	m = &l->v[l->n++];
	m->a = a;
	m->b = b;
	m->rule = rule;
	m->name = name ? xstrdup(name) : NULL;
	m->addr_a = addr_a ? xstrdup(addr_a) : NULL;
	m->addr_b = addr_b ? xstrdup(addr_b) : NULL;
	m->reason = reason;
}

static void
format_iso_date(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%d", &tm);
}

/*
 * Across domains: the same distinctive local part (5 letters or more,
 * no role word) where one address fell silent as the other started: a
 * job change, jdoe@old.example then jdoe@new.example.
 */
static void
respell(struct store *st, char **addr, char **reason)
{
	char *sp, *p;
	struct strbuf sb = { 0 };
	size_t n;

	if (!*addr || !(sp = people_spelling(st, *addr)))
		return;
	if (strcmp(sp, *addr) == 0) {
		free(sp);
		return;
	}
	n = strlen(*addr);
	for (p = *reason; p && *p;) {
		char *hit = strstr(p, *addr);

		if (!hit) {
			sb_adds(&sb, p);
			break;
		}
		sb_add(&sb, p, (size_t)(hit - p));
		sb_adds(&sb, sp);
		p = hit + n;
	}
	free(*reason);
	*reason = sb_detach(&sb);
	free(*addr);
	*addr = sp;
}

/* Every suggestion, by normalised address, from the whole store: the slow part. */
int
people_suggest_refresh(struct store *st)
{
	struct merge_suggestion_list l;
	sqlite3_stmt *s;
	size_t i;
	int rc;

	if ((rc = people_cache_sync(st)) != STORE_OK)
		return rc;
	if ((rc = store_begin(st)) != STORE_OK)
		return rc;
	if ((rc = people_suggest_compute(st, &l)) != STORE_OK)
		goto fail;
	rc = store_step_done(st, store_stmt(st, "DELETE FROM merge_pairs"));
	for (i = 0; i < l.n && rc == STORE_OK; i++) {
		s = store_stmt(st, "INSERT INTO merge_pairs(addr_a, addr_b, rule, name, reason) "
				   "VALUES (?1, ?2, ?3, ?4, ?5)");
		sqlite3_bind_text(s, 1, l.v[i].addr_a, -1, SQLITE_STATIC);
		if (l.v[i].addr_b)
			sqlite3_bind_text(s, 2, l.v[i].addr_b, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 3, (int)l.v[i].rule);
		if (l.v[i].name)
			sqlite3_bind_text(s, 4, l.v[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 5, l.v[i].reason, -1, SQLITE_STATIC);
		rc = store_step_done(st, s);
	}
	merge_suggestion_list_free(&l);
	if (rc == STORE_OK)
		rc = store_meta_set(st, MERGE_PAIRS_META, "1");
	if (rc != STORE_OK)
		goto fail;
	return store_commit(st);
fail:
	store_rollback(st);
	return rc;
}

/*
 * The suggestions found at the last sync or rebuild, between the people
 * their addresses belong to now: a merge since then hides a pair, a split
 * or an address kept apart never shows again.
 */
int
people_merge_suggestions(struct store *st, struct merge_suggestion_list *out)
{
	sqlite3_stmt *s;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = people_cache_sync(st)) != STORE_OK)
		return rc;
	/* A database from before merge_pairs, not synced since: find them now. */
	{
		char *done = store_meta_get(st, MERGE_PAIRS_META);
		bool filled = done != NULL;

		free(done);
		if (!filled) {
			if ((rc = people_suggest_compute(st, out)) != STORE_OK)
				return rc;
			goto respell;
		}
	}
	s = store_stmt(st, "SELECT a.person, b.person, mp.rule, mp.name, mp.addr_a, mp.addr_b, mp.reason "
			   "FROM merge_pairs mp JOIN addresses a ON a.addr = mp.addr_a "
			   "LEFT JOIN addresses b ON b.addr = mp.addr_b "
			   "WHERE (mp.rule = ?1) = (b.person IS NULL) "
			   "AND NOT EXISTS (SELECT 1 FROM user_identity u WHERE u.addr = mp.addr_a AND u.key = mp.addr_a) "
			   "AND NOT EXISTS (SELECT 1 FROM user_identity u WHERE u.addr = mp.addr_b AND u.key = mp.addr_b) "
			   "ORDER BY mp.rowid");
	sqlite3_bind_int(s, 1, MERGE_MINE);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t a = sqlite3_column_int64(s, 0), b = sqlite3_column_int64(s, 1);

		if (a == b)
			continue;
		people_suggestion_add(out, a, b, (enum merge_rule)sqlite3_column_int(s, 2), (const char *)sqlite3_column_text(s, 3),
		    (const char *)sqlite3_column_text(s, 4), (const char *)sqlite3_column_text(s, 5),
		    xstrdup((const char *)sqlite3_column_text(s, 6)));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		merge_suggestion_list_free(out);
		return store_fail(st, "reading merge suggestions");
	}
respell:
	/* The addresses as their authors wrote them, now that there are few. */
	for (i = 0; i < out->n; i++) {
		respell(st, &out->v[i].addr_a, &out->v[i].reason);
		respell(st, &out->v[i].addr_b, &out->v[i].reason);
	}
	return STORE_OK;
}

/* ---- due and merge suggestions agree ------------------------------------------------ */

static int64_t
last_contact_of(struct store *st, const struct evset *es, int64_t id)
{
	struct ev *e = people_ev_find(es, id);
	sqlite3_stmt *s;
	int64_t at = 0;

	if (e)
		return e->last_contact;
	s = store_stmt(st, "SELECT last_contact FROM people WHERE id = ?1");
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW)
		at = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return at;
}

static void
hold(struct ev *e, char *why)
{
	if (e->held) {
		free(why);
		return;
	}
	e->held = why;
	e->res.suggested = false;
	e->res.priority = 0;
}

int
people_suggest_hold(struct store *st, struct evset *es)
{
	struct merge_suggestion_list l;
	size_t i;
	int rc;

	if ((rc = people_merge_suggestions(st, &l)) != STORE_OK)
		return rc;
	for (i = 0; i < l.n; i++) {
		const struct merge_suggestion *m = &l.v[i];
		struct ev *a = people_ev_find(es, m->a), *b = m->b ? people_ev_find(es, m->b) : NULL;
		int64_t la, lb;
		char date[32];

		if (m->rule == MERGE_MINE) {
			if (a)
				hold(a, xasprintf("probably your own address (%s): add %s to 'me' in the "
						  "configuration and run 'kith rebuild'", m->reason, m->addr_a));
			continue;
		}
		if (!(a && a->res.suggested) && !(b && b->res.suggested))
			continue;
		/*
		 * Of two addresses of one human, only the one in touch more
		 * recently may be nagged about: the other's silence is the
		 * move to the new address, not a lapse.
		 */
		la = last_contact_of(st, es, m->a);
		lb = last_contact_of(st, es, m->b);
		if (a && a->res.suggested && lb > la) {
			format_iso_date(lb, date, sizeof(date));
			hold(a, xasprintf("probably the same person as %s (%s), in touch on %s: "
					  "'kith merge %lld %lld' makes them one", m->addr_b, m->reason, date,
					  (long long)m->b, (long long)m->a));
		} else if (b && b->res.suggested && la > lb) {
			format_iso_date(la, date, sizeof(date));
			hold(b, xasprintf("probably the same person as %s (%s), in touch on %s: "
					  "'kith merge %lld %lld' makes them one", m->addr_a, m->reason, date,
					  (long long)m->a, (long long)m->b));
		}
	}
	merge_suggestion_list_free(&l);
	return STORE_OK;
}
