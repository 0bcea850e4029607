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
