/* people-decide.c - the user's decisions: snooze, ignore, cadence, circles, notes, log, add, merge, split. */
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

/* Run one statement binding the key (?1) and an integer (?2). */
static int
exec_key_int(struct store *st, const char *sql, const char *key, int64_t v)
{
	sqlite3_stmt *s = store_stmt(st, sql);

	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, v);
	return store_step_done(st, s);
}

static int
exec_key_key(struct store *st, const char *sql, const char *a, const char *b)
{
	sqlite3_stmt *s = store_stmt(st, sql);

	sqlite3_bind_text(s, 1, a, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, b, -1, SQLITE_STATIC);
	return store_step_done(st, s);
}

static int
set_user_field(struct store *st, int64_t id, const char *sql, int64_t v)
{
	char *key = people_key(st, id);
	int rc;

	if (!key)
		return STORE_ERROR;
	rc = exec_key_int(st, sql, key, v);
	free(key);
	return rc;
}

int
people_snooze(struct store *st, int64_t id, int64_t until)
{
	return set_user_field(st, id, "INSERT INTO user_people(key, snoozed_until) VALUES (?1, ?2) "
				      "ON CONFLICT(key) DO UPDATE SET snoozed_until = excluded.snoozed_until",
			      until > 0 ? until : 0);
}

int
people_ignore(struct store *st, int64_t id, bool ignore)
{
	return set_user_field(st, id, "INSERT INTO user_people(key, ignored) VALUES (?1, ?2) "
				      "ON CONFLICT(key) DO UPDATE SET ignored = excluded.ignored", ignore);
}

int
people_set_cadence(struct store *st, int64_t id, int64_t secs)
{
	if (secs < -1) {
		log_error("bad cadence %lld: want seconds, 0 for auto or -1 for never", (long long)secs);
		return STORE_ERROR;
	}
	return set_user_field(st, id, "INSERT INTO user_people(key, cadence) VALUES (?1, ?2) "
				      "ON CONFLICT(key) DO UPDATE SET cadence = excluded.cadence", secs);
}

int
people_dismiss(struct store *st, int64_t id, int64_t when)
{
	return set_user_field(st, id, "INSERT INTO user_dismissals(key, at) VALUES (?1, ?2)", when);
}

int
people_ignore_pattern(struct store *st, const char *pattern, bool ignore)
{
	sqlite3_stmt *s;

	if (!pattern || !*pattern) {
		log_error("empty ignore pattern");
		return STORE_ERROR;
	}
	s = store_stmt(st, ignore ? "INSERT OR IGNORE INTO user_ignore_patterns(pattern) VALUES (?1)"
				  : "DELETE FROM user_ignore_patterns WHERE pattern = ?1");
	sqlite3_bind_text(s, 1, pattern, -1, SQLITE_STATIC);
	return store_step_done(st, s);
}

int
people_circle(struct store *st, const char *circle, int64_t id, bool add)
{
	char *key, *safe;
	int rc;

	if (!circle || !*circle) {
		log_error("empty circle name");
		return STORE_ERROR;
	}
	if (!(key = people_key(st, id)))
		return STORE_ERROR;
	/* Text the user gives (or imports) is stored as clean as header text. */
	safe = text_safe(circle);
	rc = exec_key_key(st, add ? "INSERT OR IGNORE INTO user_circles(key, circle) VALUES (?1, ?2)"
				  : "DELETE FROM user_circles WHERE key = ?1 AND circle = ?2", key, safe);
	free(safe);
	free(key);
	return rc;
}

int
people_note(struct store *st, int64_t id, int64_t when, const char *text)
{
	sqlite3_stmt *s;
	char *key, *safe;
	int rc;

	if (!text || !*text) {
		log_error("empty note");
		return STORE_ERROR;
	}
	if (!(key = people_key(st, id)))
		return STORE_ERROR;
	s = store_stmt(st, "INSERT INTO user_notes(key, at, text) VALUES (?1, ?2, ?3)");
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, when);
	safe = text_safe(text);
	sqlite3_bind_text(s, 3, safe, -1, SQLITE_STATIC);
	rc = store_step_done(st, s);
	free(safe);
	free(key);
	return rc;
}

static bool
valid_kind(const char *kind)
{
	static const char *const kinds[] = { "meeting", "call", "event", "message" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		if (strcmp(kind, kinds[i]) == 0)
			return true;
	return false;
}

/* Record a logged interaction as a decision and credit it at once. */
static int
log_key(struct store *st, const char *key, int64_t when, const char *kind, const char *note)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO user_log(key, at, kind, note) VALUES (?1, ?2, ?3, ?4)");
	char *safe = note ? text_safe(note) : NULL;
	int rc;

	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, when);
	sqlite3_bind_text(s, 3, kind, -1, SQLITE_STATIC);
	if (safe)
		sqlite3_bind_text(s, 4, safe, -1, SQLITE_STATIC);
	if ((rc = store_step_done(st, s)) == STORE_OK)
		rc = people_manual_interaction(st, key, when, kind, safe);
	free(safe);
	return rc;
}

int
people_log(struct store *st, int64_t id, int64_t when, const char *kind, const char *note)
{
	char *key;
	int rc;

	if (!kind)
		kind = "meeting";
	if (!valid_kind(kind)) {
		log_error("unknown kind '%s': want meeting, call, event or message", kind);
		return STORE_ERROR;
	}
	if (!(key = people_key(st, id)))
		return STORE_ERROR;
	if ((rc = store_begin(st)) == STORE_OK) {
		rc = log_key(st, key, when, kind, note);
		if (rc == STORE_OK)
			rc = store_commit(st);
		else
			store_rollback(st);
	}
	free(key);
	return rc;
}

/* The people row of a manual person, with its address when the key is one. */
int
people_ensure_manual(struct store *st, const char *key, int64_t *id)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = people_by_key(st, key, true, id)) != STORE_OK)
		return rc;
	if (!strchr(key, '@') || str_has_prefix(key, "manual:"))
		return STORE_OK;
	s = store_stmt(st, "INSERT OR IGNORE INTO addresses(addr, person) VALUES (?1, ?2)");
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, *id);
	return store_step_done(st, s);
}

static char *
next_manual_key(struct store *st)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT coalesce(max(CAST(substr(key, 8) AS INTEGER)), 0) + 1 "
					 "FROM user_people WHERE key LIKE 'manual:%'");
	int64_t n = 1;

	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return xasprintf("manual:%lld", (long long)n);
}

int
people_add(struct store *st, const char *name, const char *email, int64_t now, int64_t *id)
{
	return people_add_as(st, name, email, now, "added", id);
}

int
people_add_as(struct store *st, const char *name, const char *email, int64_t now, const char *how,
	      int64_t *id)
{
	sqlite3_stmt *s;
	char *norm = NULL, *key = NULL, *safe;
	int64_t existing = 0;
	int rc;

	*id = 0;
	if (!name || !*name) {
		log_error("a person needs a name");
		return STORE_ERROR;
	}
	if (email) {
		if (!(norm = people_norm(st, email))) {
			log_error("'%s' is not an email address", email);
			return STORE_ERROR;
		}
		if (people_is_me(st, norm)) {
			log_error("'%s' is one of your own addresses", email);
			free(norm);
			return STORE_ERROR;
		}
	}
	if ((rc = store_begin(st)) != STORE_OK)
		goto out;
	if (norm) {
		s = store_stmt(st, "SELECT person FROM addresses WHERE addr = ?1");
		sqlite3_bind_text(s, 1, norm, -1, SQLITE_STATIC);
		if (sqlite3_step(s) == SQLITE_ROW)
			existing = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		key = existing ? people_key(st, existing) : xstrdup(norm);
	} else {
		key = next_manual_key(st);
	}
	if (!key) {
		rc = STORE_ERROR;
		goto fail;
	}
	s = store_stmt(st, "INSERT INTO user_people(key, name, manual) VALUES (?1, ?2, 1) "
			   "ON CONFLICT(key) DO UPDATE SET name = excluded.name, manual = 1");
	safe = text_safe(name);
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, safe, -1, SQLITE_STATIC);
	rc = store_step_done(st, s);
	free(safe);
	if (rc != STORE_OK)
		goto fail;
	if ((rc = people_ensure_manual(st, key, id)) != STORE_OK)
		goto fail;
	/* Meeting someone is the first interaction: it counts. */
	if ((rc = log_key(st, key, now, "meeting", how)) != STORE_OK)
		goto fail;
	rc = store_commit(st);
	goto out;
fail:
	store_rollback(st);
out:
	free(norm);
	free(key);
	return rc;
}

/*
 * Move every decision filed under `from` to `to`; `to`'s own win over
 * `from`'s.  Each statement binds ?1 and ?2, hence the no-op "?2 IS NOT NULL".
 */
static int
move_decisions(struct store *st, const char *from, const char *to)
{
	static const char *const sql[] = {
		"INSERT OR IGNORE INTO user_people(key, name, manual, cadence, snoozed_until, ignored) "
		"SELECT ?2, name, manual, cadence, snoozed_until, ignored FROM user_people WHERE key = ?1",
		"DELETE FROM user_people WHERE key = ?1 AND ?2 IS NOT NULL",
		"INSERT OR IGNORE INTO user_circles(circle, key) SELECT circle, ?2 FROM user_circles WHERE key = ?1",
		"DELETE FROM user_circles WHERE key = ?1 AND ?2 IS NOT NULL",
		"UPDATE user_notes SET key = ?2 WHERE key = ?1",
		"UPDATE user_log SET key = ?2 WHERE key = ?1",
		"UPDATE user_dismissals SET key = ?2 WHERE key = ?1",
		"UPDATE user_identity SET key = ?2 WHERE key = ?1",
	};
	size_t i;
	int rc = STORE_OK;

	for (i = 0; i < ARRAY_SIZE(sql) && rc == STORE_OK; i++)
		rc = exec_key_key(st, sql[i], from, to);
	return rc;
}

static int
move_rows(struct store *st, int64_t from, int64_t to)
{
	static const char *const sql[] = {
		"UPDATE addresses SET person = ?2 WHERE person = ?1",
		"UPDATE interactions SET person = ?2 WHERE person = ?1",
		"DELETE FROM people WHERE id = ?1 AND ?2 IS NOT NULL",
	};
	size_t i;
	int rc = STORE_OK;

	for (i = 0; i < ARRAY_SIZE(sql) && rc == STORE_OK; i++) {
		sqlite3_stmt *s = store_stmt(st, sql[i]);

		sqlite3_bind_int64(s, 1, from);
		sqlite3_bind_int64(s, 2, to);
		rc = store_step_done(st, s);
	}
	return rc;
}

int
people_merge(struct store *st, const int64_t *ids, size_t n, int64_t *into)
{
	char *into_key = NULL, *key = NULL;
	sqlite3_stmt *s;
	struct strlist addrs = { 0 };
	size_t i, j;
	int rc;

	*into = 0;
	if (n < 2) {
		log_error("merging needs at least two people");
		return STORE_ERROR;
	}
	/* Rows move between people below: nothing of them may wait in the cache. */
	if ((rc = people_cache_sync(st)) != STORE_OK)
		return rc;
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (ids[i] == ids[j]) {
				log_error("person %lld is named twice", (long long)ids[i]);
				return STORE_ERROR;
			}
	if ((rc = store_begin(st)) != STORE_OK)
		return rc;
	if (!(into_key = people_key(st, ids[0]))) {
		rc = STORE_ERROR;
		goto fail;
	}
	for (i = 1; i < n; i++) {
		if (!(key = people_key(st, ids[i]))) {
			rc = STORE_ERROR;
			goto fail;
		}
		/* Remember where each of their addresses belongs, for every rebuild to come. */
		s = store_stmt(st, "SELECT addr FROM addresses WHERE person = ?1");
		sqlite3_bind_int64(s, 1, ids[i]);
		while (sqlite3_step(s) == SQLITE_ROW)
			strlist_add(&addrs, (const char *)sqlite3_column_text(s, 0));
		sqlite3_reset(s);
		if (strchr(key, '@') && !strlist_contains(&addrs, key))
			strlist_add(&addrs, key);
		for (j = 0; j < addrs.n && rc == STORE_OK; j++)
			rc = exec_key_key(st, "INSERT INTO user_identity(addr, key) VALUES (?1, ?2) "
					      "ON CONFLICT(addr) DO UPDATE SET key = excluded.key",
					  addrs.v[j], into_key);
		strlist_free(&addrs);
		if (rc == STORE_OK)
			rc = move_decisions(st, key, into_key);
		if (rc == STORE_OK)
			rc = move_rows(st, ids[i], ids[0]);
		free(key);
		key = NULL;
		if (rc != STORE_OK)
			goto fail;
	}
	if ((rc = people_recompute(st, ids[0])) != STORE_OK)
		goto fail;
	free(into_key);
	*into = ids[0];
	return store_commit(st);
fail:
	free(into_key);
	store_rollback(st);
	return rc;
}

int
people_split(struct store *st, const char *addr, int64_t *new_id)
{
	sqlite3_stmt *s;
	char *norm, *pkey = NULL, *other = NULL;
	int64_t aid = 0, person = 0, clash = 0;
	int rc;

	*new_id = 0;
	if ((rc = people_cache_sync(st)) != STORE_OK)
		return rc;
	if (!(norm = people_norm(st, addr))) {
		log_error("'%s' is not an email address", addr);
		return STORE_ERROR;
	}
	if ((rc = store_begin(st)) != STORE_OK) {
		free(norm);
		return rc;
	}
	s = store_stmt(st, "SELECT id, person FROM addresses WHERE addr = ?1");
	sqlite3_bind_text(s, 1, norm, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW) {
		aid = sqlite3_column_int64(s, 0);
		person = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	if (!aid) {
		log_error("no known address '%s'", addr);
		rc = STORE_ERROR;
		goto fail;
	}
	s = store_stmt(st, "SELECT addr FROM addresses WHERE person = ?1 AND id != ?2 ORDER BY n DESC, addr LIMIT 1");
	sqlite3_bind_int64(s, 1, person);
	sqlite3_bind_int64(s, 2, aid);
	if (sqlite3_step(s) == SQLITE_ROW)
		other = xstrdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	if (!other) {
		/*
		 * Nothing to split off: the user says this address is no one
		 * else's, so no merge suggestion pairs it again.
		 */
		if ((rc = exec_key_key(st, "INSERT INTO user_identity(addr, key) VALUES (?1, ?2) "
					   "ON CONFLICT(addr) DO UPDATE SET key = excluded.key", norm, norm)) != STORE_OK)
			goto fail;
		*new_id = person;
		free(norm);
		return store_commit(st);
	}
	if (!(pkey = people_key(st, person))) {
		rc = STORE_ERROR;
		goto fail;
	}
	/*
	 * The person is known by the address leaving: the rest keep the person
	 * (id, decisions) under the key of their most used address.
	 */
	if (strcmp(pkey, norm) == 0) {
		if ((rc = people_by_key(st, other, false, &clash)) != STORE_OK)
			goto fail;
		if (clash) {
			log_error("cannot split '%s': another person is already known as '%s'", addr, other);
			rc = STORE_ERROR;
			goto fail;
		}
		s = store_stmt(st, "UPDATE people SET key = ?2 WHERE id = ?1");
		sqlite3_bind_int64(s, 1, person);
		sqlite3_bind_text(s, 2, other, -1, SQLITE_STATIC);
		if ((rc = store_step_done(st, s)) != STORE_OK)
			goto fail;
		if ((rc = move_decisions(st, norm, other)) != STORE_OK)
			goto fail;
	}
	/* The split is a decision: the address is its own person from now on. */
	if ((rc = exec_key_key(st, "INSERT INTO user_identity(addr, key) VALUES (?1, ?2) "
				   "ON CONFLICT(addr) DO UPDATE SET key = excluded.key", norm, norm)) != STORE_OK)
		goto fail;
	if ((rc = people_by_key(st, norm, true, new_id)) != STORE_OK)
		goto fail;
	s = store_stmt(st, "UPDATE addresses SET person = ?2 WHERE id = ?1");
	sqlite3_bind_int64(s, 1, aid);
	sqlite3_bind_int64(s, 2, *new_id);
	if ((rc = store_step_done(st, s)) != STORE_OK)
		goto fail;
	s = store_stmt(st, "UPDATE interactions SET person = ?2 WHERE address = ?1");
	sqlite3_bind_int64(s, 1, aid);
	sqlite3_bind_int64(s, 2, *new_id);
	if ((rc = store_step_done(st, s)) != STORE_OK)
		goto fail;
	if ((rc = people_recompute(st, person)) != STORE_OK || (rc = people_recompute(st, *new_id)) != STORE_OK)
		goto fail;
	free(norm);
	free(pkey);
	free(other);
	return store_commit(st);
fail:
	store_rollback(st);
	*new_id = 0;
	free(norm);
	free(pkey);
	free(other);
	return rc;
}
