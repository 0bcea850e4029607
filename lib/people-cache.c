/* people-cache.c - people and addresses touched by ingest, kept in memory until the transaction commits. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kith/identity.h"
#include "kith/store.h"
#include "kith/util.h"
#include "people-private.h"
#include "store-private.h"

/*
 * Ingest touches the same few people and addresses message after message:
 * reading and rewriting a person's row (with its contact days) for each
 * interaction cost more than everything else.  Their rows are read once
 * per transaction, changed here, and written once by the store's
 * pre-commit hook.  A flood of distinct people (a rebuild) is written out
 * and forgotten every PCACHE_MAX entries, so memory stays bounded.
 */
#define PCACHE_MAX	4096

struct pcache {
	struct pc_person **people;	/* open addressing by id; NULL empty */
	size_t npeople, cap_people;
	struct pc_addr **addrs;		/* open addressing by normalised address */
	size_t naddrs, cap_addrs;
	struct pc_person **plist;	/* insertion order, for a flush that is reproducible */
	struct pc_addr **alist;
	const int64_t *counted;		/* people_cache_set_counted */
	size_t ncounted;
};

static size_t
hash_id(int64_t id)
{
	uint64_t x = (uint64_t)id;

	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	return (size_t)x;
}

static size_t
hash_str(const char *s)
{
	uint64_t h = UINT64_C(1469598103934665603);

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= UINT64_C(1099511628211);
	}
	return (size_t)h;
}

/* ---- a person's aggregates: their row in people ------------------------- */

/* Read a person's aggregates (free a->days). */
static int
people_agg_load(struct store *st, int64_t person, struct agg *a)
{
	sqlite3_stmt *s = store_stmt(st,
		"SELECT gate_out, gate_day, gate_days2, gate_back, gate_manual, s_out, s_in, a_out, a_in, "
		"last_contact, last_sent, last_received, last_in_to, days, messages, gate_reply, key "
		"FROM people WHERE id = ?1");
	int64_t now = kith_now();
	int rc, n;

	memset(a, 0, sizeof(*a));
	sqlite3_bind_int64(s, 1, person);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		rc = rc == SQLITE_DONE ? STORE_ERROR : store_fail(st, "reading a person");
		if (rc == STORE_ERROR)
			log_error("no person with id %lld", (long long)person);
		sqlite3_reset(s);
		return rc;
	}
	a->gate_out = sqlite3_column_int64(s, 0);
	a->gate_day = sqlite3_column_int64(s, 1);
	a->gate_days2 = sqlite3_column_int64(s, 2);
	a->gate_back = sqlite3_column_int64(s, 3);
	a->gate_manual = sqlite3_column_int64(s, 4);
	a->s_out = store_column_score(s, 5);
	a->s_in = store_column_score(s, 6);
	a->a_out = store_column_score(s, 7);
	a->a_in = store_column_score(s, 8);
	a->last_contact = store_column_date(s, 9, now);
	a->last_sent = store_column_date(s, 10, now);
	a->last_received = store_column_date(s, 11, now);
	a->last_in_to = store_column_date(s, 12, now);
	n = sqlite3_column_bytes(s, 13);
	if (n > 0) {
		a->ndays = (size_t)n / sizeof(int32_t);
		a->days = xmalloc((size_t)n);
		memcpy(a->days, sqlite3_column_blob(s, 13), a->ndays * sizeof(int32_t));
	}
	a->messages = sqlite3_column_int64(s, 14);
	a->gate_reply = sqlite3_column_int64(s, 15);
	a->role = identity_is_role((const char *)sqlite3_column_text(s, 16));
	sqlite3_reset(s);
	return STORE_OK;
}

int
people_agg_store(struct store *st, int64_t person, const struct agg *a)
{
	sqlite3_stmt *s = store_stmt(st,
		"UPDATE people SET gate_out = ?2, gate_day = ?3, gate_days2 = ?4, gate_back = ?5, "
		"gate_manual = ?6, s_out = ?7, s_in = ?8, a_out = ?9, a_in = ?10, last_contact = ?11, "
		"last_sent = ?12, last_received = ?13, last_in_to = ?14, days = ?15, messages = ?16, "
		"last_subject = CASE WHEN ?17 THEN ?18 ELSE last_subject END, gate_reply = ?19, "
		"relationship = ((?2 > 0 AND CASE WHEN ?20 THEN ?19 ELSE (?5 OR ?4) END) OR ?6) WHERE id = ?1");

	sqlite3_bind_int64(s, 1, person);
	sqlite3_bind_int64(s, 2, a->gate_out);
	sqlite3_bind_int64(s, 3, a->gate_day);
	sqlite3_bind_int64(s, 4, a->gate_days2);
	sqlite3_bind_int64(s, 5, a->gate_back);
	sqlite3_bind_int64(s, 6, a->gate_manual);
	sqlite3_bind_double(s, 7, a->s_out);
	sqlite3_bind_double(s, 8, a->s_in);
	sqlite3_bind_double(s, 9, a->a_out);
	sqlite3_bind_double(s, 10, a->a_in);
	sqlite3_bind_int64(s, 11, a->last_contact);
	sqlite3_bind_int64(s, 12, a->last_sent);
	sqlite3_bind_int64(s, 13, a->last_received);
	sqlite3_bind_int64(s, 14, a->last_in_to);
	if (a->ndays)
		sqlite3_bind_blob(s, 15, a->days, (int)(a->ndays * sizeof(int32_t)), SQLITE_STATIC);
	sqlite3_bind_int64(s, 16, a->messages);
	sqlite3_bind_int(s, 17, a->subject_set);
	if (a->subject)
		sqlite3_bind_text(s, 18, a->subject, -1, SQLITE_STATIC);
	/* A role mailbox is someone only once it answered the user in person. */
	sqlite3_bind_int64(s, 19, a->gate_reply);
	sqlite3_bind_int(s, 20, a->role);
	return store_step_done(st, s);
}

/* ---- the queues of work for the end of the sync (people-rederive.c) ------- */

int
people_queue_message(struct store *st, int64_t message)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT OR IGNORE INTO rederive(message) VALUES (?1)");

	sqlite3_bind_int64(s, 1, message);
	return store_step_done(st, s);
}

int
people_queue_person(struct store *st, int64_t person)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT OR IGNORE INTO recompute(person) VALUES (?1)");

	sqlite3_bind_int64(s, 1, person);
	return store_step_done(st, s);
}

/* ---- the cache ------------------------------------------------------------ */

static void
pc_drop(void *arg)
{
	struct pcache *pc = arg;
	size_t i;

	for (i = 0; i < pc->npeople; i++) {
		free(pc->plist[i]->a.days);
		free(pc->plist[i]->subject);
		free(pc->plist[i]);
	}
	for (i = 0; i < pc->naddrs; i++) {
		free(pc->alist[i]->norm);
		free(pc->alist[i]->name);
		free(pc->alist[i]);
	}
	if (pc->cap_people)
		memset(pc->people, 0, pc->cap_people * sizeof(*pc->people));
	if (pc->cap_addrs)
		memset(pc->addrs, 0, pc->cap_addrs * sizeof(*pc->addrs));
	pc->npeople = pc->naddrs = 0;
}

static void
pc_release(void *arg)
{
	struct pcache *pc = arg;

	pc_drop(pc);
	free(pc->people);
	free(pc->addrs);
	free(pc->plist);
	free(pc->alist);
	free(pc);
}

static int
pc_flush(struct store *st, void *arg)
{
	struct pcache *pc = arg;
	sqlite3_stmt *s;
	size_t i;
	int rc;

	for (i = 0; i < pc->npeople; i++) {
		struct pc_person *p = pc->plist[i];

		if (!p->dirty)
			continue;
		if ((rc = people_agg_store(st, p->id, &p->a)) != STORE_OK)
			return rc;
		p->dirty = false;
		p->a.subject_set = false;
	}
	for (i = 0; i < pc->naddrs; i++) {
		struct pc_addr *a = pc->alist[i];

		if (a->dn == 0)
			continue;
		s = store_stmt(st, "UPDATE addresses SET n = n + ?2, last_in = max(last_in, ?3), "
				   "first_at = CASE WHEN first_at = 0 OR ?4 < first_at THEN ?4 ELSE first_at END, "
				   "last_at = max(last_at, ?5) WHERE id = ?1");
		sqlite3_bind_int64(s, 1, a->id);
		sqlite3_bind_int64(s, 2, a->dn);
		sqlite3_bind_int64(s, 3, a->last_in);
		sqlite3_bind_int64(s, 4, a->first_at);
		sqlite3_bind_int64(s, 5, a->last_at);
		if ((rc = store_step_done(st, s)) != STORE_OK)
			return rc;
		a->dn = 0;
		a->last_in = 0;
		a->first_at = a->last_at = 0;
	}
	return STORE_OK;
}

static const struct store_hooks pc_hooks = { pc_flush, pc_drop, pc_release };

static struct pcache *
pc_get(struct store *st)
{
	struct pcache *pc = store_hooks_arg(st);

	if (!pc) {
		pc = xcalloc(1, sizeof(*pc));
		store_set_hooks(st, &pc_hooks, pc);
	}
	return pc;
}

int
people_cache_sync(struct store *st)
{
	struct pcache *pc = store_hooks_arg(st);
	int rc;

	if (!pc || (pc->npeople == 0 && pc->naddrs == 0))
		return STORE_OK;
	rc = pc_flush(st, pc);
	pc_drop(pc);
	return rc;
}

/* Room for one more entry; when full, write everything out and start again. */
static int
make_room(struct store *st, struct pcache *pc)
{
	if (pc->npeople < PCACHE_MAX && pc->naddrs < PCACHE_MAX)
		return STORE_OK;
	return people_cache_sync(st);
}

static void
grow_people(struct pcache *pc)
{
	struct pc_person **old = pc->people;
	size_t oldcap = pc->cap_people, i, j;

	pc->cap_people = oldcap ? oldcap * 2 : 256;
	pc->people = xcalloc(pc->cap_people, sizeof(*pc->people));
	for (i = 0; i < oldcap; i++) {
		if (!old[i])
			continue;
		for (j = hash_id(old[i]->id) & (pc->cap_people - 1); pc->people[j];
		     j = (j + 1) & (pc->cap_people - 1))
			;
		pc->people[j] = old[i];
	}
	free(old);
	pc->plist = xreallocarray(pc->plist, pc->cap_people / 2, sizeof(*pc->plist));
}

static void
grow_addrs(struct pcache *pc)
{
	struct pc_addr **old = pc->addrs;
	size_t oldcap = pc->cap_addrs, i, j;

	pc->cap_addrs = oldcap ? oldcap * 2 : 256;
	pc->addrs = xcalloc(pc->cap_addrs, sizeof(*pc->addrs));
	for (i = 0; i < oldcap; i++) {
		if (!old[i])
			continue;
		for (j = hash_str(old[i]->norm) & (pc->cap_addrs - 1); pc->addrs[j];
		     j = (j + 1) & (pc->cap_addrs - 1))
			;
		pc->addrs[j] = old[i];
	}
	free(old);
	pc->alist = xreallocarray(pc->alist, pc->cap_addrs / 2, sizeof(*pc->alist));
}

int
people_cache_person(struct store *st, int64_t id, struct pc_person **out)
{
	struct pcache *pc = pc_get(st);
	struct pc_person *p;
	size_t j;
	int rc;

	*out = NULL;
	if (pc->cap_people) {
		for (j = hash_id(id) & (pc->cap_people - 1); (p = pc->people[j]);
		     j = (j + 1) & (pc->cap_people - 1))
			if (p->id == id) {
				*out = p;
				return STORE_OK;
			}
	}
	if ((rc = make_room(st, pc)) != STORE_OK)
		return rc;
	p = xcalloc(1, sizeof(*p));
	p->id = id;
	if ((rc = people_agg_load(st, id, &p->a)) != STORE_OK) {
		free(p);
		return rc;
	}
	if ((pc->npeople + 1) * 2 > pc->cap_people)
		grow_people(pc);
	for (j = hash_id(id) & (pc->cap_people - 1); pc->people[j]; j = (j + 1) & (pc->cap_people - 1))
		;
	pc->people[j] = p;
	pc->plist[pc->npeople++] = p;
	*out = p;
	return STORE_OK;
}

struct pc_addr *
people_cache_addr(struct store *st, const char *norm)
{
	struct pcache *pc = store_hooks_arg(st);
	struct pc_addr *a;
	size_t j;

	if (!pc || !pc->cap_addrs)
		return NULL;
	for (j = hash_str(norm) & (pc->cap_addrs - 1); (a = pc->addrs[j]); j = (j + 1) & (pc->cap_addrs - 1))
		if (strcmp(a->norm, norm) == 0)
			return a;
	return NULL;
}

int
people_cache_addr_add(struct store *st, const char *norm, int64_t id, int64_t person, const char *name,
		      struct pc_addr **out)
{
	struct pcache *pc = pc_get(st);
	struct pc_addr *a;
	size_t j;
	int rc;

	*out = NULL;
	if ((rc = make_room(st, pc)) != STORE_OK)
		return rc;
	a = xcalloc(1, sizeof(*a));
	a->norm = xstrdup(norm);
	a->id = id;
	a->person = person;
	a->name = name ? xstrdup(name) : NULL;
	if ((pc->naddrs + 1) * 2 > pc->cap_addrs)
		grow_addrs(pc);
	for (j = hash_str(norm) & (pc->cap_addrs - 1); pc->addrs[j]; j = (j + 1) & (pc->cap_addrs - 1))
		;
	pc->addrs[j] = a;
	pc->alist[pc->naddrs++] = a;
	*out = a;
	return STORE_OK;
}

int
people_cache_written(struct store *st)
{
	/* Outside a transaction nothing would ever commit the cache: write it now. */
	if (sqlite3_get_autocommit(store_db(st)))
		return people_cache_sync(st);
	return STORE_OK;
}

void
people_cache_set_counted(struct store *st, const int64_t *ids, size_t n)
{
	struct pcache *pc = pc_get(st);

	pc->counted = ids;
	pc->ncounted = n;
}

bool
people_cache_counted(struct store *st, int64_t address)
{
	struct pcache *pc = store_hooks_arg(st);
	size_t i;

	for (i = 0; pc && i < pc->ncounted; i++)
		if (pc->counted[i] == address)
			return true;
	return false;
}
