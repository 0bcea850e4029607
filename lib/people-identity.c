/* people-identity.c - how a person's addresses and name are shown: as written, the most used first. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kith/config.h"
#include "kith/identity.h"
#include "kith/model.h"
#include "kith/people.h"
#include "kith/store.h"
#include "kith/util.h"
#include "people-private.h"
#include "store-private.h"

/*
 * The spelling of address `id` most written.  A spelling equal to the
 * normalised form has no row: it is what remains of addresses.n.
 */
static char *
spelling_of(struct store *st, int64_t id, const char *norm, int64_t n)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT spelling, n, (SELECT sum(n) FROM address_spellings "
					 "WHERE address = ?1) FROM address_spellings WHERE address = ?1 "
					 "ORDER BY n DESC, last_at DESC, spelling LIMIT 1");
	char *r = NULL;

	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW) {
		int64_t best = sqlite3_column_int64(s, 1), all = sqlite3_column_int64(s, 2);

		if (best >= n - all)
			r = xstrdup((const char *)sqlite3_column_text(s, 0));
	}
	sqlite3_reset(s);
	return r ? r : xstrdup(norm);
}

char *
people_spelling(struct store *st, const char *norm)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id, n FROM addresses WHERE addr = ?1");
	int64_t id = 0, n = 0;

	sqlite3_bind_text(s, 1, norm, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW) {
		id = sqlite3_column_int64(s, 0);
		n = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	return id ? spelling_of(st, id, norm, n) : xstrdup(norm);
}

int
people_fill_identity(struct store *st, int64_t id, int64_t now, struct person *p)
{
	/* The primary address is the one most used in the last year, then the most used ever. */
	sqlite3_stmt *s = store_stmt(st, "SELECT a.id, a.addr, a.n, (SELECT count(*) FROM interactions i "
					 "WHERE i.person = ?1 AND i.at > ?2 AND i.address = a.id) AS recent "
					 "FROM addresses a WHERE a.person = ?1 ORDER BY recent DESC, a.n DESC, a.addr");
	struct strlist v = { 0 };
	int rc;

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now - 365 * DAY_SECS);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		strlist_add(&v, (const char *)sqlite3_column_text(s, 1));
		/* Keep the id and count beside it: the spelling needs the statement gone. */
		strlist_add(&v, (const char *)sqlite3_column_text(s, 0));
		strlist_add(&v, (const char *)sqlite3_column_text(s, 2));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		strlist_free(&v);
		return store_fail(st, "reading addresses");
	}
	p->addresses = xcalloc(v.n / 3 + 1, sizeof(*p->addresses));
	for (size_t i = 0; i + 2 < v.n; i += 3)
		p->addresses[p->naddresses++] = spelling_of(st, strtoll(v.v[i + 1], NULL, 10), v.v[i],
							    strtoll(v.v[i + 2], NULL, 10));
	strlist_free(&v);
	if (p->naddresses)
		p->email = xstrdup(p->addresses[0]);
	p->role = identity_is_role(p->key);
	return STORE_OK;
}

void
spelling_pick_add(struct spelling_pick *p, const char *spelling, int64_t n, int64_t at)
{
	p->sum += n;
	if (!p->best || n > p->best_n || (n == p->best_n && (at > p->best_at ||
	    (at == p->best_at && strcmp(spelling, p->best) < 0)))) {
		free(p->best);
		p->best = xstrdup(spelling);
		p->best_n = n;
		p->best_at = at;
	}
}

const char *
spelling_pick_shown(const struct spelling_pick *p, const char *addr, int64_t n)
{
	return p->best && p->best_n >= n - p->sum ? p->best : addr;
}

/* One address of a person named by people_names_many, and its most written spelling. */
struct naddr {
	int64_t person, id, n, recent;
	char *addr;
	struct spelling_pick sp;
};

static int
cmp_naddr_id(const void *pa, const void *pb)
{
	const struct naddr *a = pa, *b = pb;

	return (a->id > b->id) - (a->id < b->id);
}

static int
cmp_i64(const void *pa, const void *pb)
{
	const int64_t *a = pa, *b = pb;

	return (*a > *b) - (*a < *b);
}

/* Is a before b in people_fill_identity's order: the most used in the last year, then ever, then by text? */
static bool
naddr_before(const struct naddr *a, const struct naddr *b)
{
	if (a->recent != b->recent)
		return a->recent > b->recent;
	if (a->n != b->n)
		return a->n > b->n;
	return strcmp(a->addr, b->addr) < 0;
}

/* Each person's address rows, the addresses by id, the spellings: a plain scan of each table. */
static int
names_addresses(struct store *st, const int64_t *ids, size_t n, struct naddr **out, size_t *nout)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT person, id, addr, n FROM addresses");
	struct naddr *v = NULL;
	size_t nv = 0, cap = 0;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t person = sqlite3_column_int64(s, 0);

		if (!n || !bsearch(&person, ids, n, sizeof(*ids), cmp_i64))
			continue;
		if (nv == cap) {
			cap = cap ? cap * 2 : 256;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		memset(&v[nv], 0, sizeof(v[nv]));
		v[nv].person = person;
		v[nv].id = sqlite3_column_int64(s, 1);
		v[nv].addr = xstrdup((const char *)sqlite3_column_text(s, 2));
		v[nv++].n = sqlite3_column_int64(s, 3);
	}
	sqlite3_reset(s);
	*out = v;
	*nout = nv;
	if (rc != SQLITE_DONE)
		return store_fail(st, "reading addresses");
	if (nv > 1)
		qsort(v, nv, sizeof(*v), cmp_naddr_id);
	/* The most written spelling as spelling_of picks it: n, then the newest, then the first in order. */
	s = store_stmt(st, "SELECT address, spelling, n, last_at FROM address_spellings");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct naddr k = { .id = sqlite3_column_int64(s, 0) }, *a;
		const char *sp = (const char *)sqlite3_column_text(s, 1);
		int64_t sn = sqlite3_column_int64(s, 2), at = sqlite3_column_int64(s, 3);

		if (!nv || !(a = bsearch(&k, v, nv, sizeof(*v), cmp_naddr_id)))
			continue;
		spelling_pick_add(&a->sp, sp, sn, at);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? STORE_OK : store_fail(st, "reading spellings");
}

int
people_names_many(struct store *st, const int64_t *ids, size_t n, int64_t now, char **names, char **emails)
{
	sqlite3_stmt *s;
	struct naddr *v = NULL, **primary = xcalloc(n ? n : 1, sizeof(*primary));
	size_t *count = xcalloc(n ? n : 1, sizeof(*count));
	size_t i, nv = 0;
	bool snap = store_read_begin(st);
	int rc, step = SQLITE_DONE;

	memset(names, 0, n * sizeof(*names));
	memset(emails, 0, n * sizeof(*emails));
	s = store_stmt(st, "SELECT coalesce(u.name, p.name) FROM people p LEFT JOIN user_people u ON u.key = p.key "
			   "WHERE p.id = ?1");
	for (i = 0; i < n && step == SQLITE_DONE; i++) {
		sqlite3_bind_int64(s, 1, ids[i]);
		if ((step = sqlite3_step(s)) == SQLITE_ROW) {
			if (sqlite3_column_type(s, 0) != SQLITE_NULL)
				names[i] = xstrdup((const char *)sqlite3_column_text(s, 0));
			step = SQLITE_DONE;
		}
		sqlite3_reset(s);
	}
	if (step != SQLITE_DONE) {
		rc = store_fail(st, "reading people");
		goto out;
	}
	if ((rc = names_addresses(st, ids, n, &v, &nv)) != STORE_OK)
		goto out;
	for (i = 0; i < nv; i++)
		count[(int64_t *)bsearch(&v[i].person, ids, n, sizeof(*ids), cmp_i64) - ids]++;
	/* Only a person with several addresses needs their recent counts, to choose one. */
	s = store_stmt(st, "SELECT address, count(*) FROM interactions WHERE person = ?1 AND at > ?2 GROUP BY address");
	for (i = 0; i < n && step == SQLITE_DONE; i++) {
		if (count[i] < 2)
			continue;
		sqlite3_bind_int64(s, 1, ids[i]);
		sqlite3_bind_int64(s, 2, now - 365 * DAY_SECS);
		while ((step = sqlite3_step(s)) == SQLITE_ROW) {
			struct naddr k = { .id = sqlite3_column_int64(s, 0) }, *a;

			if ((a = bsearch(&k, v, nv, sizeof(*v), cmp_naddr_id)) && a->person == ids[i])
				a->recent = sqlite3_column_int64(s, 1);
		}
		sqlite3_reset(s);
	}
	if (step != SQLITE_DONE) {
		rc = store_fail(st, "reading interactions");
		goto out;
	}
	for (i = 0; i < nv; i++) {
		size_t at = (size_t)((int64_t *)bsearch(&v[i].person, ids, n, sizeof(*ids), cmp_i64) - ids);

		if (!primary[at] || naddr_before(&v[i], primary[at]))
			primary[at] = &v[i];
	}
	for (i = 0; i < n; i++)
		if (primary[i])
			emails[i] = xstrdup(spelling_pick_shown(&primary[i]->sp, primary[i]->addr, primary[i]->n));
out:
	if (rc != STORE_OK)
		for (i = 0; i < n; i++) {
			free(names[i]);
			free(emails[i]);
			names[i] = emails[i] = NULL;
		}
	for (i = 0; i < nv; i++) {
		free(v[i].addr);
		free(v[i].sp.best);
	}
	free(v);
	free(primary);
	free(count);
	store_read_end(st, snap);
	return rc;
}

/* Is `cand` (local keys joined/single, registrable domain) a short form of the user's `me`? */
static bool
short_form_of(const char *me, const char *cand, const char *cjoined, bool csingle, const char *creg)
{
	char *joined = NULL, *initial = NULL, *reg = NULL;
	const char *at = strrchr(me, '@'), *cat = strrchr(cand, '@');
	bool single, r = false;
	size_t n;

	if (!at || !cat || identity_local_keys(me, &joined, &initial, &single) == -1)
		return false;
	if (csingle && initial && strlen(initial) >= 4) {
		n = strlen(initial);
		r = strncmp(cjoined, initial, n) == 0 && strspn(cjoined + n, "0123456789") == strlen(cjoined + n);
	}
	if (!r && (size_t)(at - me) == (size_t)(cat - cand) && strncmp(me, cand, (size_t)(at - me)) == 0) {
		reg = identity_registrable_domain(at + 1);
		r = reg && creg && strcmp(reg, creg) == 0;
	}
	free(joined);
	free(initial);
	free(reg);
	return r;
}

bool
people_short_form_of_me(struct store *st, const char *norm)
{
	const struct kith_config *cfg = store_config(st);
	char *joined = NULL, *initial = NULL, *reg = NULL, *me;
	const char *at = norm ? strrchr(norm, '@') : NULL;
	sqlite3_stmt *s;
	bool single = false, r = false;
	size_t i;

	if (!at || identity_is_role(norm) || identity_local_keys(norm, &joined, &initial, &single) == -1)
		return false;
	reg = identity_registrable_domain(at + 1);
	for (i = 0; cfg && !r && i < cfg->me.n; i++) {
		if (strpbrk(cfg->me.v[i], "*?[") || !(me = identity_normalize(cfg->me.v[i], NULL, NULL)))
			continue;
		r = short_form_of(me, norm, joined, single, reg);
		free(me);
	}
	s = store_stmt(st, "SELECT addr FROM me_learned");
	while (!r && sqlite3_step(s) == SQLITE_ROW)
		r = short_form_of((const char *)sqlite3_column_text(s, 0), norm, joined, single, reg);
	sqlite3_reset(s);
	free(joined);
	free(initial);
	free(reg);
	return r;
}
