/* people-query.c - what the CLI and the notifier ask: due, list, search, show, history, WHO. */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kith/classify.h"
#include "kith/config.h"
#include "kith/identity.h"
#include "kith/model.h"
#include "kith/people.h"
#include "kith/score.h"
#include "kith/store.h"
#include "kith/util.h"
#include "people-private.h"
#include "store-private.h"

/* Fill `out` with the evaluated people `sel` (in that order). */
static int
fill_list(struct store *st, struct ev **sel, size_t n, int64_t now, bool table, struct person_list *out)
{
	int rc;

	out->v = xcalloc(n ? n : 1, sizeof(*out->v));
	out->n = 0;
	if ((rc = people_fill_many(st, sel, n, now, table, out->v)) != STORE_OK) {
		person_list_free(out);
		return rc;
	}
	out->n = n;
	return STORE_OK;
}

/*
 * Ties are broken by address, then id: row ids record the order mail
 * arrived in, and the order of a list must not.
 */
static int
cmp_tie(const struct person *a, const struct person *b)
{
	int c = strcmp(a->email ? a->email : "", b->email ? b->email : "");

	if (c)
		return c;
	if ((c = strcmp(a->key ? a->key : "", b->key ? b->key : "")))
		return c;
	return (a->id > b->id) - (a->id < b->id);
}

static int
cmp_due(const void *pa, const void *pb)
{
	const struct person *a = pa, *b = pb;

	if (a->suggested != b->suggested)
		return a->suggested ? -1 : 1;
	if (a->priority != b->priority)
		return a->priority > b->priority ? -1 : 1;
	if (a->ratio != b->ratio)
		return a->ratio > b->ratio ? -1 : 1;
	return cmp_tie(a, b);
}

/* cmp_due's order before the tie on addresses, from the evaluation alone. */
static int
cmp_due_ev(const struct ev *a, const struct ev *b)
{
	if (a->res.suggested != b->res.suggested)
		return a->res.suggested ? -1 : 1;
	if (a->res.priority != b->res.priority)
		return a->res.priority > b->res.priority ? -1 : 1;
	if (a->res.ratio != b->res.ratio)
		return a->res.ratio > b->res.ratio ? -1 : 1;
	return 0;
}

/*
 * Keep of sel[0..n-1] the first `limit` in cmp_due's order, and whoever
 * ties with the last of them (the tie is broken by address, known only
 * once filled): filling thousands to show ten was most of `due`.  Returns
 * how many are kept, in sel's order.  A NaN makes no order: all are kept.
 */
static size_t
due_top(struct ev **sel, size_t n, size_t limit)
{
	struct ev **top;
	size_t i, j, ntop = 0, kept = 0;

	if (limit == 0 || n <= limit)
		return n;
	for (i = 0; i < n; i++)
		if (isnan(sel[i]->res.priority) || isnan(sel[i]->res.ratio))
			return n;
	top = xcalloc(limit, sizeof(*top));
	for (i = 0; i < n; i++) {
		if (ntop == limit && cmp_due_ev(sel[i], top[ntop - 1]) >= 0)
			continue;
		j = ntop < limit ? ntop++ : ntop - 1;
		for (; j > 0 && cmp_due_ev(sel[i], top[j - 1]) < 0; j--)
			top[j] = top[j - 1];
		top[j] = sel[i];
	}
	for (i = 0; i < n; i++)
		if (cmp_due_ev(sel[i], top[ntop - 1]) <= 0)
			sel[kept++] = sel[i];
	free(top);
	return kept;
}

int
people_due(struct store *st, int64_t now, const char *circle, bool all, size_t limit,
	   struct person_list *out)
{
	struct evset es;
	struct ev **sel;
	size_t i, n = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = people_evaluate_due(st, now, &es)) != STORE_OK)
		return rc;
	if ((rc = people_suggest_hold(st, &es)) != STORE_OK) {
		people_evset_free(&es);
		return rc;
	}
	sel = xcalloc(es.n ? es.n : 1, sizeof(*sel));
	for (i = 0; i < es.n; i++) {
		if (circle && !people_ev_in_circle(&es.v[i], circle))
			continue;
		/* Beyond the relationships, only the new ties being followed up. */
		if (!es.v[i].relationship && es.v[i].res.source != CADENCE_SEED)
			continue;
		if (!all && !es.v[i].res.suggested)
			continue;
		sel[n++] = &es.v[i];
	}
	n = due_top(sel, n, limit);
	rc = fill_list(st, sel, n, now, false, out);
	free(sel);
	people_evset_free(&es);
	if (rc != STORE_OK)
		return rc;
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_due);
	while (limit && out->n > limit)
		person_free(&out->v[--out->n]);
	return STORE_OK;
}

static int
cmp_strength(const void *pa, const void *pb)
{
	const struct person *a = pa, *b = pb;

	if (a->strength != b->strength)
		return a->strength > b->strength ? -1 : 1;
	return cmp_tie(a, b);
}

/*
 * What the list sorts compare, copied together: a person is a few hundred
 * bytes, and reaching each of 20,000 of them for every comparison (or
 * qsort's merge copying them whole) was most of the sort's time.  The
 * comparisons are those above, field for field.
 */
struct sortkey {
	bool relationship;
	double d;			/* strength or ratio */
	int64_t t;			/* last_contact */
	const char *name, *email, *key;
	int64_t id;
	const struct person *p;
};

static int
key_tie(const struct sortkey *a, const struct sortkey *b)
{
	int c = strcmp(a->email, b->email);

	if (c)
		return c;
	if ((c = strcmp(a->key, b->key)))
		return c;
	return (a->id > b->id) - (a->id < b->id);
}

static int
key_strength(const void *pa, const void *pb)
{
	const struct sortkey *a = pa, *b = pb;

	if (a->d != b->d)
		return a->d > b->d ? -1 : 1;
	return key_tie(a, b);
}

static int
key_recent(const void *pa, const void *pb)
{
	const struct sortkey *a = pa, *b = pb;

	if (a->t != b->t)
		return a->t > b->t ? -1 : 1;
	return key_tie(a, b);
}

static int
key_name(const void *pa, const void *pb)
{
	const struct sortkey *a = pa, *b = pb;
	int c = strcasecmp(a->name, b->name);

	return c ? c : key_tie(a, b);
}

static int
key_ratio(const void *pa, const void *pb)
{
	const struct sortkey *a = pa, *b = pb;

	if (a->relationship != b->relationship)
		return a->relationship ? -1 : 1;
	if (a->d != b->d)
		return a->d > b->d ? -1 : 1;
	return key_tie(a, b);
}

static void
sort_people(struct person_list *l, enum people_sort sort)
{
	struct sortkey *k = xcalloc(l->n, sizeof(*k));
	struct person *v = xcalloc(l->n, sizeof(*v));
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct person *p = &l->v[i];

		k[i].relationship = p->relationship;
		k[i].d = sort == SORT_STRENGTH ? p->strength : p->ratio;
		k[i].t = p->last_contact;
		/* Without a name, a person sorts by the address shown instead. */
		k[i].name = p->name ? p->name : p->email ? p->email : p->key;
		k[i].email = p->email ? p->email : "";
		k[i].key = p->key ? p->key : "";
		k[i].id = p->id;
		k[i].p = p;
	}
	qsort(k, l->n, sizeof(*k), sort == SORT_STRENGTH ? key_strength : sort == SORT_RECENT ? key_recent
				   : sort == SORT_NAME ? key_name : key_ratio);
	for (i = 0; i < l->n; i++)
		v[i] = *k[i].p;
	free(k);
	free(l->v);
	l->v = v;
}

int
people_list(struct store *st, int64_t now, const char *circle, enum people_sort sort, unsigned flags,
	    struct person_list *out)
{
	struct evset es;
	struct ev **sel;
	size_t i, n = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = people_evaluate(st, now, !(flags & PEOPLE_ACQUAINTANCES), &es)) != STORE_OK)
		return rc;
	/* Suggested or not, as `due` says: a merge suggestion holds the silent address back. */
	if ((rc = people_suggest_hold(st, &es)) != STORE_OK) {
		people_evset_free(&es);
		return rc;
	}
	sel = xcalloc(es.n ? es.n : 1, sizeof(*sel));
	for (i = 0; i < es.n; i++)
		if (!circle || people_ev_in_circle(&es.v[i], circle))
			sel[n++] = &es.v[i];
	rc = fill_list(st, sel, n, now, flags & PEOPLE_TABLE, out);
	free(sel);
	people_evset_free(&es);
	if (rc != STORE_OK)
		return rc;
	if (out->n > 1)
		sort_people(out, sort);
	return STORE_OK;
}

int
people_get(struct store *st, int64_t id, int64_t now, struct person *out)
{
	struct evset es;
	struct ev *e;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = people_evaluate(st, now, false, &es)) != STORE_OK)
		return rc;
	if ((rc = people_suggest_hold(st, &es)) != STORE_OK) {
		people_evset_free(&es);
		return rc;
	}
	if (!(e = people_ev_find(&es, id))) {
		log_error("no person with id %lld", (long long)id);
		rc = STORE_ERROR;
	} else {
		rc = people_fill(st, e, now, out);
	}
	people_evset_free(&es);
	return rc;
}

/* ---- search and resolve ---------------------------------------------------- */

struct idset {
	int64_t *v;
	size_t n;
};

static void
idset_add(struct idset *s, int64_t id)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i] == id)
			return;
	s->v = xreallocarray(s->v, s->n + 1, sizeof(*s->v));
	s->v[s->n++] = id;
}

/* A LIKE pattern matching `text` anywhere, with % and _ taken literally. */
static char *
like_pattern(const char *text)
{
	struct strbuf sb = { 0 };

	sb_addc(&sb, '%');
	for (; *text; text++) {
		if (*text == '%' || *text == '_' || *text == '\\')
			sb_addc(&sb, '\\');
		sb_addc(&sb, *text);
	}
	sb_addc(&sb, '%');
	return sb_detach(&sb);
}

static void
collect(struct store *st, const char *sql, const char *arg, struct idset *ids)
{
	sqlite3_stmt *s = store_stmt(st, sql);

	sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW)
		idset_add(ids, sqlite3_column_int64(s, 0));
	sqlite3_reset(s);
}

/* Does the folded name hold every word of the folded fragment ("john smith" in "smith, john")? */
static bool
name_has_words(const char *name, const char *frag)
{
	char *copy = xstrdup(frag), *word, *save = NULL;
	bool all = true;

	for (word = strtok_r(copy, " ,.;", &save); word && all; word = strtok_r(NULL, " ,.;", &save))
		all = strstr(name, word) != NULL;
	free(copy);
	return all;
}

/* People whose name contains the folded fragment, or all its words. */
static void
names_matching(struct store *st, const char *folded, struct idset *ids, struct idset *exact)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT p.id, coalesce(u.name, p.name) FROM people p "
					 "LEFT JOIN user_people u ON u.key = p.key "
					 "WHERE coalesce(u.name, p.name) IS NOT NULL");

	while (sqlite3_step(s) == SQLITE_ROW) {
		char *name = identity_fold((const char *)sqlite3_column_text(s, 1));

		if (strstr(name, folded) || name_has_words(name, folded)) {
			idset_add(ids, sqlite3_column_int64(s, 0));
			if (exact && strcmp(name, folded) == 0)
				idset_add(exact, sqlite3_column_int64(s, 0));
		}
		free(name);
	}
	sqlite3_reset(s);
}

/*
 * People with an address whose local part, read as words, holds every
 * word of a fragment of two words or more: "ann lee" finds ann.lee@ and
 * ann_lee@, whose mail carried no display name.
 */
static void
locals_matching(struct store *st, const char *folded, struct idset *ids, struct idset *exact)
{
	sqlite3_stmt *s;

	if (!strchr(folded, ' '))
		return;
	s = store_stmt(st, "SELECT person, addr FROM addresses");
	while (sqlite3_step(s) == SQLITE_ROW) {
		char *words = identity_local_words((const char *)sqlite3_column_text(s, 1));

		if (words && name_has_words(words, folded)) {
			idset_add(ids, sqlite3_column_int64(s, 0));
			if (exact && strcmp(words, folded) == 0)
				idset_add(exact, sqlite3_column_int64(s, 0));
		}
		free(words);
	}
	sqlite3_reset(s);
}

static int
cmp_search(const void *pa, const void *pb)
{
	const struct person *a = pa, *b = pb;

	if (a->relationship != b->relationship)
		return a->relationship ? -1 : 1;
	return cmp_strength(pa, pb);
}

/* The people of `ids`, relationships and the strongest first. */
static int
people_of(struct store *st, int64_t now, const struct idset *ids, struct person_list *out)
{
	struct evset es;
	struct ev **sel;
	size_t i, n = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = people_evaluate(st, now, false, &es)) != STORE_OK)
		return rc;
	if ((rc = people_suggest_hold(st, &es)) != STORE_OK) {
		people_evset_free(&es);
		return rc;
	}
	sel = xcalloc(ids->n ? ids->n : 1, sizeof(*sel));
	for (i = 0; i < ids->n; i++) {
		struct ev *e = people_ev_find(&es, ids->v[i]);

		if (e)
			sel[n++] = e;
	}
	rc = fill_list(st, sel, n, now, false, out);
	free(sel);
	people_evset_free(&es);
	if (rc == STORE_OK && out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_search);
	return rc;
}

int
people_search(struct store *st, int64_t now, const char *text, struct person_list *out)
{
	struct idset ids = { 0 };
	char *folded, *like;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!text || !*text) {
		log_error("nothing to search for");
		return STORE_ERROR;
	}
	if ((rc = people_cache_sync(st)) != STORE_OK)
		return rc;
	folded = identity_fold(text);
	like = like_pattern(text);
	names_matching(st, folded, &ids, NULL);
	locals_matching(st, folded, &ids, NULL);
	collect(st, "SELECT person FROM addresses WHERE addr LIKE ?1 ESCAPE '\\'", like, &ids);
	collect(st, "SELECT p.id FROM user_notes n JOIN people p ON p.key = n.key "
		    "WHERE n.text LIKE ?1 ESCAPE '\\'", like, &ids);
	collect(st, "SELECT DISTINCT i.person FROM messages m JOIN interactions i ON i.message = m.id "
		    "WHERE m.subject LIKE ?1 ESCAPE '\\' AND i.dir IN (0, 1)", like, &ids);
	rc = people_of(st, now, &ids, out);
	free(folded);
	free(like);
	free(ids.v);
	return rc;
}

/* The smallest distance between the fragment and any word run of the name. */
static size_t
name_distance(const char *name, const char *frag)
{
	size_t best = edit_distance(name, frag), d;
	const char *p;

	for (p = name; *p; p++) {
		if (p != name && p[-1] == ' ') {
			char *w = xstrndup(p, strlen(frag));

			d = edit_distance(w, frag);
			free(w);
			if (d < best)
				best = d;
		}
	}
	return best;
}

struct near {
	int64_t id;
	size_t d;
};

static int
cmp_near(const void *pa, const void *pb)
{
	const struct near *a = pa, *b = pb;

	if (a->d != b->d)
		return a->d < b->d ? -1 : 1;
	return (a->id > b->id) - (a->id < b->id);
}

/* Names close to a fragment that matched nothing: "did you mean". */
static void
nearest(struct store *st, const char *folded, struct idset *ids)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT p.id, coalesce(u.name, p.name) FROM people p "
					 "LEFT JOIN user_people u ON u.key = p.key "
					 "WHERE coalesce(u.name, p.name) IS NOT NULL");
	struct near *v = NULL;
	size_t n = 0, i, limit = strlen(folded) / 3 + 1;
	char *fkey = identity_name_key(folded);

	if (limit < 2)
		limit = 2;
	while (sqlite3_step(s) == SQLITE_ROW) {
		char *name = identity_fold((const char *)sqlite3_column_text(s, 1));
		char *nk = identity_name_key(name);
		size_t d = name_distance(name, folded);

		/* Word order does not matter: "Bbo Lee" is near "Lee, Bob". */
		if (nk && fkey) {
			size_t dk = edit_distance(nk, fkey);

			if (dk < d)
				d = dk;
		}
		free(nk);

		if (d <= limit) {
			v = xreallocarray(v, n + 1, sizeof(*v));
			v[n].id = sqlite3_column_int64(s, 0);
			v[n++].d = d;
		}
		free(name);
	}
	sqlite3_reset(s);
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_near);
	for (i = 0; i < n && i < 5; i++)
		idset_add(ids, v[i].id);
	free(v);
	free(fkey);
}

static bool
all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

int
people_resolve(struct store *st, const char *who, int64_t now, int64_t *id, struct person_list *candidates)
{
	struct idset ids = { 0 }, exact = { 0 };
	sqlite3_stmt *s;
	char *norm, *folded;
	int rc, result;

	*id = 0;
	memset(candidates, 0, sizeof(*candidates));
	if (!who || !*who) {
		log_error("no person named");
		return STORE_ERROR;
	}
	if ((rc = people_cache_sync(st)) != STORE_OK)
		return rc;
	if (all_digits(who)) {
		s = store_stmt(st, "SELECT id FROM people WHERE id = ?1");
		sqlite3_bind_int64(s, 1, strtoll(who, NULL, 10));
		if (sqlite3_step(s) == SQLITE_ROW)
			*id = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		if (*id)
			return RESOLVE_OK;
		return RESOLVE_NOT_FOUND;
	}
	if (strchr(who, '@') && (norm = people_norm(st, who))) {
		s = store_stmt(st, "SELECT person FROM addresses WHERE addr = ?1");
		sqlite3_bind_text(s, 1, norm, -1, SQLITE_STATIC);
		if (sqlite3_step(s) == SQLITE_ROW)
			*id = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		if (!*id)
			people_by_key(st, norm, false, id);
		free(norm);
		if (*id)
			return RESOLVE_OK;
	}
	folded = identity_fold(who);
	names_matching(st, folded, &ids, &exact);
	locals_matching(st, folded, &ids, &exact);
	if (ids.n == 0 && !strchr(who, '@')) {
		char *like = like_pattern(who);

		collect(st, "SELECT person FROM addresses WHERE addr LIKE ?1 ESCAPE '\\'", like, &ids);
		free(like);
	}
	/*
	 * Two people answer to "tim belden" exactly, one a relationship and
	 * one an address seen once: the user means the relationship.
	 */
	if (exact.n > 1) {
		struct idset rel = { 0 };

		for (size_t i = 0; i < exact.n; i++) {
			s = store_stmt(st, "SELECT 1 FROM people WHERE id = ?1 AND relationship = 1");
			sqlite3_bind_int64(s, 1, exact.v[i]);
			if (sqlite3_step(s) == SQLITE_ROW)
				idset_add(&rel, exact.v[i]);
			sqlite3_reset(s);
		}
		if (rel.n == 1) {
			free(exact.v);
			exact = rel;
		} else {
			free(rel.v);
		}
	}
	if (ids.n == 1 || exact.n == 1) {
		*id = exact.n == 1 ? exact.v[0] : ids.v[0];
		result = RESOLVE_OK;
	} else if (ids.n > 1) {
		result = RESOLVE_AMBIGUOUS;
	} else {
		nearest(st, folded, &ids);
		result = RESOLVE_NOT_FOUND;
	}
	rc = STORE_OK;
	if (result != RESOLVE_OK)
		rc = people_of(st, now, &ids, candidates);
	free(folded);
	free(ids.v);
	free(exact.v);
	return rc == STORE_OK ? result : rc;
}

/* ---- history and replies ----------------------------------------------------- */

void
history_list_free(struct history_list *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++) {
		free(l->v[i].kind);
		free(l->v[i].class);
		free(l->v[i].rule);
		free(l->v[i].subject);
		free(l->v[i].message_id);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static char *
col_dup(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? NULL : xstrdup((const char *)sqlite3_column_text(s, i));
}

int
people_history(struct store *st, int64_t id, size_t limit, struct history_list *out)
{
	sqlite3_stmt *s = store_stmt(st,
		"SELECT i.at, i.dir, i.field, i.kind, i.note, i.counted, i.eligible, m.class, m.rule, m.subject, "
		"m.message_id, i.direct FROM interactions i LEFT JOIN messages m ON m.id = i.message "
		"WHERE i.person = ?1 ORDER BY i.at DESC, i.id DESC LIMIT ?2");
	int rc;

	memset(out, 0, sizeof(*out));
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, limit ? (int64_t)limit : -1);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct history_item *h;
		int dir = sqlite3_column_int(s, 1), field = sqlite3_column_int(s, 2);

		out->v = xreallocarray(out->v, out->n + 1, sizeof(*out->v));
		h = &out->v[out->n++];
		memset(h, 0, sizeof(*h));
		h->at = sqlite3_column_int64(s, 0);
		switch (dir) {
		case DIR_OUT:
			h->direction = field == FIELD_TO ? "sent" : field == FIELD_CC ? "sent-cc" : "sent-bcc";
			break;
		case DIR_IN:
			h->direction = field == FIELD_TO ? "received" : "cc";
			break;
		case DIR_MANUAL:
			h->direction = "manual";
			break;
		default:
			h->direction = "co-recipient";
			break;
		}
		if (dir == DIR_MANUAL) {
			h->kind = col_dup(s, 3);
			h->subject = col_dup(s, 4);
			h->class = xstrdup("manual");
			h->rule = xstrdup("logged");
		} else {
			h->kind = xstrdup("message");
			h->class = col_dup(s, 7);
			h->rule = col_dup(s, 8);
			h->subject = col_dup(s, 9);
			h->message_id = col_dup(s, 10);
			h->why = classify_rule_text(h->rule);
			/* A reply-all to a crowd: a person's mail, yet a blast. */
			if (dir == DIR_IN && !sqlite3_column_int(s, 11) && h->class &&
			    (strcmp(h->class, "human") == 0 || strcmp(h->class, "reply-human") == 0))
				h->why = "sent to more than max_recipients people: a blast, not counted";
			if (dir == DIR_GRAPH && h->class && strcmp(h->class, "list") == 0)
				h->direction = "list";
		}
		/* "counted" is what refreshed the relationship; the per-day cap only limits strength. */
		h->counted = sqlite3_column_int(s, 6);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		history_list_free(out);
		return store_fail(st, "reading a history");
	}
	return STORE_OK;
}

int
people_history_since(struct store *st, int64_t id, int64_t since, struct history_list *out)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT at, dir, field FROM interactions "
					 "WHERE person = ?1 AND at >= ?2 AND dir IN (?3, ?4)");
	int rc;

	memset(out, 0, sizeof(*out));
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, since);
	sqlite3_bind_int(s, 3, DIR_OUT);
	sqlite3_bind_int(s, 4, DIR_IN);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct history_item *h;
		int field = sqlite3_column_int(s, 2);

		out->v = xreallocarray(out->v, out->n + 1, sizeof(*out->v));
		h = &out->v[out->n++];
		memset(h, 0, sizeof(*h));
		h->at = sqlite3_column_int64(s, 0);
		if (sqlite3_column_int(s, 1) == DIR_OUT)
			h->direction = field == FIELD_TO ? "sent" : field == FIELD_CC ? "sent-cc" : "sent-bcc";
		else
			h->direction = field == FIELD_TO ? "received" : "cc";
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		history_list_free(out);
		return store_fail(st, "reading a history");
	}
	return STORE_OK;
}

