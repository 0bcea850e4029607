/* people-fill.c - many people filled at once, or only their names and primary addresses: each table read once. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kith/identity.h"
#include "kith/model.h"
#include "kith/people.h"
#include "kith/store.h"
#include "kith/util.h"
#include "people-private.h"
#include "store-private.h"

/*
 * Below this many people the queries of people_fill are cheaper than
 * scanning whole tables.
 */
#define FILL_MANY_MIN 256

/* One address of a person being filled. */
struct faddr {
	int64_t id, n, recent;
	char *addr;
	/* The most written spelling (address_spellings). */
	struct spelling_pick sp;
};

struct fperson {
	struct faddr *a;
	size_t na;
	bool found;
	struct strbuf notes;
};

/* A sorted index from a number or a key to the position in the output. */
struct idpos {
	int64_t id;
	size_t pos, sub;
};

struct fill {
	struct person *out;
	struct fperson *fp;
	size_t n;
	struct idpos *byid;		/* person id -> pos */
	struct idpos *byaddr;		/* address id -> pos, index in fp[pos].a */
	size_t naddr;
	bool table;			/* PEOPLE_TABLE */
	bool names_only;		/* people_names_many: the name and primary address */
};

static int
cmp_idpos(const void *pa, const void *pb)
{
	const struct idpos *a = pa, *b = pb;

	return (a->id > b->id) - (a->id < b->id);
}

static struct idpos *
find_id(struct idpos *v, size_t n, int64_t id)
{
	struct idpos k = { .id = id };

	return n ? bsearch(&k, v, n, sizeof(*v), cmp_idpos) : NULL;
}

/*
 * The key, name and subject of every person asked for (their manual mark
 * is the evaluation's).  The user's names are read apart, from them to
 * the people: joined the other way, each of the thousands of people was
 * looked up in user_people, which holds the few the user touched.
 */
static int
read_people(struct store *st, struct fill *f)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id, key, name, last_subject FROM people");
	struct idpos *ip;
	size_t i;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct person *p;

		if (!(ip = find_id(f->byid, f->n, sqlite3_column_int64(s, 0))))
			continue;
		p = &f->out[ip->pos];
		f->fp[ip->pos].found = true;
		p->key = xstrdup((const char *)sqlite3_column_text(s, 1));
		if (sqlite3_column_type(s, 2) != SQLITE_NULL)
			p->name = xstrdup((const char *)sqlite3_column_text(s, 2));
		if (!f->table && sqlite3_column_type(s, 3) != SQLITE_NULL)
			p->last_subject = xstrdup((const char *)sqlite3_column_text(s, 3));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, "reading people");
	for (i = 0; i < f->n; i++)
		if (!f->fp[i].found) {
			log_error("no person with id %lld", (long long)f->out[i].id);
			return STORE_ERROR;
		}
	s = store_stmt(st, "SELECT p.id, u.name FROM user_people u CROSS JOIN people p ON p.key = u.key "
			   "WHERE u.name IS NOT NULL");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct person *p;

		if (!(ip = find_id(f->byid, f->n, sqlite3_column_int64(s, 0))))
			continue;
		p = &f->out[ip->pos];
		free(p->name);
		p->name = xstrdup((const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? STORE_OK : store_fail(st, "reading the user's names");
}

static int
read_addresses(struct store *st, struct fill *f)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT person, id, addr, n FROM addresses");
	size_t i, j, k = 0;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct idpos *ip = find_id(f->byid, f->n, sqlite3_column_int64(s, 0));
		struct fperson *fp;
		struct faddr *a;

		if (!ip)
			continue;
		fp = &f->fp[ip->pos];
		fp->a = xreallocarray(fp->a, fp->na + 1, sizeof(*fp->a));
		a = &fp->a[fp->na++];
		memset(a, 0, sizeof(*a));
		a->id = sqlite3_column_int64(s, 1);
		a->addr = xstrdup((const char *)sqlite3_column_text(s, 2));
		a->n = sqlite3_column_int64(s, 3);
		f->naddr++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, "reading addresses");
	f->byaddr = xcalloc(f->naddr ? f->naddr : 1, sizeof(*f->byaddr));
	for (i = 0; i < f->n; i++)
		for (j = 0; j < f->fp[i].na; j++) {
			f->byaddr[k].id = f->fp[i].a[j].id;
			f->byaddr[k].pos = i;
			f->byaddr[k++].sub = j;
		}
	qsort(f->byaddr, f->naddr, sizeof(*f->byaddr), cmp_idpos);
	return STORE_OK;
}

/* The most written spelling of each address: n, then the newest, then the first in order. */
static int
read_spellings(struct store *st, struct fill *f)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT address, spelling, n, last_at FROM address_spellings");
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct idpos *ip = find_id(f->byaddr, f->naddr, sqlite3_column_int64(s, 0));
		const char *sp = (const char *)sqlite3_column_text(s, 1);
		int64_t n = sqlite3_column_int64(s, 2), at = sqlite3_column_int64(s, 3);
		struct faddr *a;

		if (!ip)
			continue;
		a = &f->fp[ip->pos].a[ip->sub];
		spelling_pick_add(&a->sp, sp, n, at);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? STORE_OK : store_fail(st, "reading spellings");
}

/* Only a person with several addresses needs their recent counts, to order them. */
static int
read_recent(struct store *st, struct fill *f, int64_t now)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT address, count(*) FROM interactions "
					 "WHERE person = ?1 AND at > ?2 GROUP BY address");
	size_t i, j;
	int rc = SQLITE_DONE;

	for (i = 0; i < f->n && rc == SQLITE_DONE; i++) {
		if (f->fp[i].na < 2)
			continue;
		sqlite3_bind_int64(s, 1, f->out[i].id);
		sqlite3_bind_int64(s, 2, now - 365 * DAY_SECS);
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			int64_t id = sqlite3_column_int64(s, 0);

			for (j = 0; j < f->fp[i].na; j++)
				if (f->fp[i].a[j].id == id)
					f->fp[i].a[j].recent = sqlite3_column_int64(s, 1);
		}
		sqlite3_reset(s);
	}
	return rc == SQLITE_DONE ? STORE_OK : store_fail(st, "reading interactions");
}

/* The primary address first: the most used in the last year, then the most used ever. */
static int
cmp_faddr(const void *pa, const void *pb)
{
	const struct faddr *a = pa, *b = pb;

	if (a->recent != b->recent)
		return a->recent > b->recent ? -1 : 1;
	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return strcmp(a->addr, b->addr);
}

static int
read_notes(struct store *st, struct fill *f)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT p.id, n.text FROM user_notes n CROSS JOIN people p ON p.key = n.key "
					 "ORDER BY n.at, n.id");
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct idpos *ip = find_id(f->byid, f->n, sqlite3_column_int64(s, 0));
		struct strbuf *sb;

		if (!ip)
			continue;
		/* Two people never share a key, so a note is one person's. */
		sb = &f->fp[ip->pos].notes;
		if (sb->len)
			sb_addc(sb, '\n');
		sb_adds(sb, (const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? STORE_OK : store_fail(st, "reading notes");
}

/* An address as written (spelling_pick_shown). */
static const char *
spelled(const struct faddr *a)
{
	return spelling_pick_shown(&a->sp, a->addr, a->n);
}

/* Addresses as written, the primary first, as people_fill_identity gives them. */
static void
finish_identity(struct fill *f, size_t i)
{
	struct fperson *fp = &f->fp[i];
	struct person *p = &f->out[i];
	size_t j;

	if (fp->na > 1)
		qsort(fp->a, fp->na, sizeof(*fp->a), cmp_faddr);
	if (f->names_only) {
		if (fp->na)
			p->email = xstrdup(spelled(&fp->a[0]));
		return;
	}
	p->role = identity_is_role(p->key);
	if (f->table) {
		if (fp->na)
			p->email = xstrdup(spelled(&fp->a[0]));
		return;
	}
	p->addresses = xcalloc(fp->na + 1, sizeof(*p->addresses));
	for (j = 0; j < fp->na; j++)
		p->addresses[p->naddresses++] = xstrdup(spelled(&fp->a[j]));
	if (p->naddresses)
		p->email = xstrdup(p->addresses[0]);
}

static void
fill_free(struct fill *f)
{
	size_t i, j;

	for (i = 0; i < f->n; i++) {
		for (j = 0; j < f->fp[i].na; j++) {
			free(f->fp[i].a[j].addr);
			free(f->fp[i].a[j].sp.best);
		}
		free(f->fp[i].a);
		sb_free(&f->fp[i].notes);
	}
	free(f->fp);
	free(f->byid);
	free(f->byaddr);
}

/* Index out[0..n-1], their ids set, by id. */
static void
fill_init(struct fill *f, struct person *out, size_t n)
{
	size_t i;

	f->out = out;
	f->n = n;
	f->fp = xcalloc(n ? n : 1, sizeof(*f->fp));
	f->byid = xcalloc(n ? n : 1, sizeof(*f->byid));
	for (i = 0; i < n; i++) {
		int64_t id = out[i].id;

		memset(&out[i], 0, sizeof(out[i]));
		out[i].id = id;
		f->byid[i].id = id;
		f->byid[i].pos = i;
	}
	qsort(f->byid, n, sizeof(*f->byid), cmp_idpos);
}

/* Each person's addresses, their spellings and, to order several, their use in the last year. */
static int
read_identities(struct store *st, struct fill *f, int64_t now)
{
	int rc;

	if ((rc = read_addresses(st, f)) != STORE_OK || (rc = read_spellings(st, f)) != STORE_OK)
		return rc;
	return read_recent(st, f, now);
}

int
people_fill_many(struct store *st, struct ev *const *sel, size_t n, int64_t now, bool table,
		 struct person *out)
{
	struct fill f = { 0 };
	size_t i;
	bool snap = store_read_begin(st);
	int rc = STORE_OK;

	/* A short list is filled whole: the table's saving is in the thousands. */
	if (n < FILL_MANY_MIN) {
		for (i = 0; i < n; i++)
			if ((rc = people_fill(st, sel[i], now, &out[i])) != STORE_OK) {
				while (i > 0)
					person_free(&out[--i]);
				break;
			}
		store_read_end(st, snap);
		return rc;
	}
	f.table = table;
	for (i = 0; i < n; i++)
		out[i].id = sel[i]->id;
	fill_init(&f, out, n);
	if ((rc = read_people(st, &f)) != STORE_OK || (rc = read_identities(st, &f, now)) != STORE_OK ||
	    (!table && (rc = read_notes(st, &f)) != STORE_OK))
		goto out;
	for (i = 0; i < n; i++) {
		finish_identity(&f, i);
		out[i].note = f.fp[i].notes.len ? sb_detach(&f.fp[i].notes) : NULL;
		people_fill_ev(sel[i], now, table, &out[i]);
	}
out:
	if (rc != STORE_OK)
		for (i = 0; i < n; i++)
			person_free(&out[i]);
	fill_free(&f);
	store_read_end(st, snap);
	return rc;
}

int
people_names_many(struct store *st, const int64_t *ids, size_t n, int64_t now, char **names, char **emails)
{
	struct fill f = { .names_only = true };
	struct person *out = xcalloc(n ? n : 1, sizeof(*out));
	sqlite3_stmt *s;
	size_t i;
	bool snap = store_read_begin(st);
	int rc = STORE_OK, step = SQLITE_DONE;

	for (i = 0; i < n; i++)
		out[i].id = ids[i];
	fill_init(&f, out, n);
	/* A few people among thousands: each looked up, not the whole table read. */
	s = store_stmt(st, "SELECT coalesce(u.name, p.name) FROM people p LEFT JOIN user_people u ON u.key = p.key "
			   "WHERE p.id = ?1");
	for (i = 0; i < n && step == SQLITE_DONE; i++) {
		sqlite3_bind_int64(s, 1, ids[i]);
		if ((step = sqlite3_step(s)) == SQLITE_ROW) {
			if (sqlite3_column_type(s, 0) != SQLITE_NULL)
				out[i].name = xstrdup((const char *)sqlite3_column_text(s, 0));
			step = SQLITE_DONE;
		}
		sqlite3_reset(s);
	}
	if (step != SQLITE_DONE)
		rc = store_fail(st, "reading people");
	else
		rc = read_identities(st, &f, now);
	for (i = 0; i < n; i++) {
		if (rc == STORE_OK)
			finish_identity(&f, i);
		names[i] = rc == STORE_OK ? out[i].name : NULL;
		emails[i] = rc == STORE_OK ? out[i].email : NULL;
		if (rc != STORE_OK)
			person_free(&out[i]);
	}
	free(out);
	fill_free(&f);
	store_read_end(st, snap);
	return rc;
}
