/* people-rederive.c - work off the queues of messages and people to derive again. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kith/header.h"
#include "kith/people.h"
#include "kith/store.h"
#include "kith/util.h"
#include "people-private.h"
#include "store-private.h"

/*
 * Ingest queues what a message changes about others (people-derive.c);
 * here, at the end of a sync, each queued message goes through
 * people_ingest again and each queued person is recomputed.  This file is
 * above people_ingest and is called only by people_sync_done and rebuild.
 */

static int
cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The ids that `sql` (one int64 bound as ?1, may be 0 for none) selects. */
static int
select_ids(struct store *st, const char *sql, int64_t arg, int64_t **out, size_t *n)
{
	sqlite3_stmt *s = store_stmt(st, sql);
	int rc;

	*out = NULL;
	*n = 0;
	if (arg)
		sqlite3_bind_int64(s, 1, arg);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*out = xreallocarray(*out, *n + 1, sizeof(**out));
		(*out)[(*n)++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? STORE_OK : store_fail(st, "reading the queue");
}

/*
 * The addresses a message credits, its people queued for recompute: asked
 * before its interactions are taken again and after.
 */
static int
credited(struct store *st, int64_t message, int64_t **ids, size_t *n)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT OR IGNORE INTO recompute(person) SELECT DISTINCT person "
					 "FROM interactions WHERE message = ?1");
	int rc;

	*ids = NULL;
	*n = 0;
	sqlite3_bind_int64(s, 1, message);
	if ((rc = store_step_done(st, s)) != STORE_OK)
		return rc;
	return select_ids(st, "SELECT DISTINCT address FROM interactions WHERE message = ?1 "
			  "AND address IS NOT NULL", message, ids, n);
}

/*
 * Take one message's decisions again: its interactions go, the people they
 * credited are recomputed, and ingest runs on it as if it arrived now.  Its
 * addresses and names were counted the first time and are not again; an
 * address it no longer credits loses that count.
 */
static int
rederive(struct store *st, int64_t message)
{
	struct kith_msg m;
	sqlite3_stmt *s;
	int64_t *old = NULL, *now = NULL, internaldate, date;
	size_t nold = 0, nnow = 0, i;
	char *raw;
	size_t len;
	int rc;

	s = store_stmt(st, "SELECT internaldate, date FROM messages WHERE id = ?1");
	sqlite3_bind_int64(s, 1, message);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return STORE_OK;	/* gone since it was queued */
	}
	internaldate = sqlite3_column_int64(s, 0);
	date = sqlite3_column_int64(s, 1);
	sqlite3_reset(s);
	if ((rc = credited(st, message, &old, &nold)) != STORE_OK)
		goto out;
	s = store_stmt(st, "DELETE FROM interactions WHERE message = ?1");
	sqlite3_bind_int64(s, 1, message);
	if ((rc = store_step_done(st, s)) != STORE_OK)
		goto out;
	/* Parsed as ingest saw it; its date stays the one decided when it was stored. */
	if ((rc = store_message_header(st, message, &raw, &len)) != STORE_OK)
		goto out;
	header_parse(raw, len, internaldate, kith_now(), &m);
	m.date = date;
	free(raw);
	people_cache_set_counted(st, old, nold);
	rc = people_ingest(st, message, &m);
	people_cache_set_counted(st, NULL, 0);
	msg_free(&m);
	if (rc != STORE_OK)
		goto out;
	if ((rc = people_cache_sync(st)) != STORE_OK)
		goto out;
	if ((rc = credited(st, message, &now, &nnow)) != STORE_OK)
		goto out;
	if (nnow > 1)
		qsort(now, nnow, sizeof(*now), cmp_id);
	for (i = 0; i < nold && rc == STORE_OK; i++) {
		if (nnow && bsearch(&old[i], now, nnow, sizeof(*now), cmp_id))
			continue;
		s = store_stmt(st, "UPDATE addresses SET n = max(n - 1, 0) WHERE id = ?1");
		sqlite3_bind_int64(s, 1, old[i]);
		rc = store_step_done(st, s);
	}
out:
	free(old);
	free(now);
	return rc;
}

int
people_rederive_pending(struct store *st)
{
	static const char *const orphans[] = {
		/* An address nothing credits any more (a list's, learned late) is nobody's. */
		"DELETE FROM addresses WHERE person IN (SELECT person FROM recompute) AND n = 0 AND NOT EXISTS "
		"(SELECT 1 FROM interactions i WHERE i.person = addresses.person AND i.address = addresses.id) "
		"AND NOT EXISTS (SELECT 1 FROM user_identity u WHERE u.addr = addresses.addr)",
		"DELETE FROM people WHERE id IN (SELECT person FROM recompute) "
		"AND NOT EXISTS (SELECT 1 FROM addresses a WHERE a.person = people.id) "
		"AND NOT EXISTS (SELECT 1 FROM interactions i WHERE i.person = people.id) "
		"AND NOT EXISTS (SELECT 1 FROM user_people u WHERE u.key = people.key AND u.manual = 1)",
	};
	int64_t *ids = NULL;
	size_t n = 0, i;
	int rc;

	if ((rc = people_cache_sync(st)) != STORE_OK)
		return rc;
	/* Deriving a message again can queue others (the user's messages queue their answers). */
	for (;;) {
		free(ids);
		if ((rc = select_ids(st, "SELECT message FROM rederive ORDER BY message", 0, &ids, &n)) != STORE_OK)
			goto out;
		if (n == 0)
			break;
		if ((rc = store_step_done(st, store_stmt(st, "DELETE FROM rederive"))) != STORE_OK)
			goto out;
		for (i = 0; i < n && rc == STORE_OK; i++)
			rc = rederive(st, ids[i]);
		if (rc != STORE_OK)
			goto out;
	}
	if ((rc = people_cache_sync(st)) != STORE_OK)
		goto out;
	free(ids);
	if ((rc = select_ids(st, "SELECT person FROM recompute ORDER BY person", 0, &ids, &n)) != STORE_OK)
		goto out;
	for (i = 0; i < n && rc == STORE_OK; i++) {
		sqlite3_stmt *s = store_stmt(st, "SELECT 1 FROM people WHERE id = ?1");
		bool exists;

		sqlite3_bind_int64(s, 1, ids[i]);
		exists = sqlite3_step(s) == SQLITE_ROW;
		sqlite3_reset(s);
		if (exists)
			rc = people_recompute(st, ids[i]);
	}
	for (i = 0; i < ARRAY_SIZE(orphans) && rc == STORE_OK; i++)
		rc = store_step_done(st, store_stmt(st, orphans[i]));
	if (rc == STORE_OK)
		rc = store_step_done(st, store_stmt(st, "DELETE FROM recompute"));
out:
	free(ids);
	return rc;
}
