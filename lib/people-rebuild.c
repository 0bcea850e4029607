/* people-rebuild.c - re-derive people from stored header blocks; learn the user's addresses. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kith/config.h"
#include "kith/header.h"
#include "kith/identity.h"
#include "kith/model.h"
#include "kith/people.h"
#include "kith/store.h"
#include "kith/util.h"
#include "people-private.h"
#include "store-private.h"

static int
exec_all(struct store *st, const char *const *sql, size_t n)
{
	size_t i;
	int rc = STORE_OK;

	for (i = 0; i < n && rc == STORE_OK; i++)
		rc = store_step_done(st, store_stmt(st, sql[i]));
	return rc;
}

/* A stored message: enough to parse it again as ingest saw it. */
struct stored {
	int64_t id, internaldate, date;
};

/* The (id, internaldate, date) rows that `sql` selects.  *out: free(). */
static int
select_stored(struct store *st, const char *sql, const char *what, struct stored **out, size_t *n)
{
	sqlite3_stmt *s = store_stmt(st, sql);
	int rc;

	*out = NULL;
	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*out = xreallocarray(*out, *n + 1, sizeof(**out));
		(*out)[*n].id = sqlite3_column_int64(s, 0);
		(*out)[*n].internaldate = sqlite3_column_int64(s, 1);
		(*out)[(*n)++].date = sqlite3_column_int64(s, 2);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? STORE_OK : store_fail(st, what);
}

/* Parse a stored message; its date stays the one decided when it was stored. */
static int
load_message(struct store *st, const struct stored *sm, struct kith_msg *m)
{
	char *raw;
	size_t len;
	int rc;

	memset(m, 0, sizeof(*m));
	if ((rc = store_message_header(st, sm->id, &raw, &len)) != STORE_OK)
		return rc;
	header_parse(raw, len, sm->internaldate, kith_now(), m);
	m->date = sm->date;
	free(raw);
	return STORE_OK;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* From addresses seen ME_SENT_MIN times in Sent folders are the user's. */
static int
learn_me(struct store *st)
{
	sqlite3_stmt *s;
	struct stored *sent = NULL;
	size_t n = 0, i, j;
	struct strlist froms = { 0 };
	int rc;

	rc = select_stored(st, "SELECT DISTINCT m.id, m.internaldate, m.date FROM messages m "
			       "JOIN locations l ON l.message = m.id JOIN folders f ON f.id = l.folder_id "
			       "WHERE f.role = 'sent' ORDER BY m.id", "reading the Sent folders", &sent, &n);
	for (i = 0; i < n && rc == STORE_OK; i++) {
		struct kith_msg m;
		const struct msg_addr *from;
		char *norm;

		if ((rc = load_message(st, &sent[i], &m)) != STORE_OK)
			break;
		from = m.from.n ? &m.from.v[0] : m.sender.n ? &m.sender.v[0] : NULL;
		if (from && (norm = people_norm(st, from->addr))) {
			strlist_add(&froms, norm);
			free(norm);
		}
		msg_free(&m);
	}
	if (froms.n > 1)
		qsort(froms.v, froms.n, sizeof(*froms.v), cmp_str);
	for (i = 0; i < froms.n && rc == STORE_OK; i = j) {
		for (j = i + 1; j < froms.n && strcmp(froms.v[i], froms.v[j]) == 0; j++)
			;
		if (j - i >= ME_SENT_MIN) {
			s = store_stmt(st, "INSERT OR IGNORE INTO me_learned(addr) VALUES (?1)");
			sqlite3_bind_text(s, 1, froms.v[i], -1, SQLITE_STATIC);
			rc = store_step_done(st, s);
		}
	}
	strlist_free(&froms);
	free(sent);
	return rc;
}

static int
rebuild(struct store *st)
{
	static const char *const reset[] = {
		"DELETE FROM interactions",
		"DELETE FROM address_names",
		"DELETE FROM address_spellings",
		"DELETE FROM addresses",
		"DELETE FROM message_info",
		"DELETE FROM thread_keys",
		"DELETE FROM sent_to",
		"DELETE FROM me_learned",
		"UPDATE people SET name = NULL, name_from = 0, name_other = 0, relationship = 0, gate_out = 0, "
		"gate_day = -1, gate_days2 = 0, gate_back = 0, gate_manual = 0, gate_reply = 0, s_out = 0, s_in = 0, "
		"a_out = 0, a_in = 0, last_contact = 0, last_sent = 0, last_received = 0, last_in_to = 0, "
		"last_subject = NULL, days = NULL, messages = 0",
		"UPDATE messages SET class = NULL, rule = NULL",
	};
	sqlite3_stmt *s;
	struct stored *msgs = NULL;
	int64_t pid;
	size_t n = 0, i;
	struct strlist keys = { 0 };
	int rc;

	/* The reset below must not be undone by rows cached before it. */
	if ((rc = people_cache_sync(st)) != STORE_OK)
		return rc;
	if ((rc = exec_all(st, reset, ARRAY_SIZE(reset))) != STORE_OK)
		return rc;
	if ((rc = learn_me(st)) != STORE_OK)
		return rc;

	/* Messages in the order they were first stored: the per-day cap depends on it. */
	rc = select_stored(st, "SELECT id, internaldate, date FROM messages ORDER BY id",
			   "reading messages", &msgs, &n);
	for (i = 0; i < n && rc == STORE_OK; i++) {
		struct kith_msg m;

		if ((rc = load_message(st, &msgs[i], &m)) != STORE_OK)
			break;
		rc = people_ingest(st, msgs[i].id, &m);
		msg_free(&m);
	}
	if (rc != STORE_OK)
		goto out;

	/* People met offline, then every logged interaction. */
	s = store_stmt(st, "SELECT key FROM user_people WHERE manual = 1 ORDER BY key");
	while (sqlite3_step(s) == SQLITE_ROW)
		strlist_add(&keys, (const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	for (i = 0; i < keys.n && rc == STORE_OK; i++)
		rc = people_ensure_manual(st, keys.v[i], &pid);
	strlist_free(&keys);
	if (rc != STORE_OK)
		goto out;
	{
		struct log_row {
			char *key, *kind, *note;
			int64_t at;
		} *logs = NULL;
		size_t nlogs = 0;

		s = store_stmt(st, "SELECT key, at, kind, note FROM user_log ORDER BY id");
		while (sqlite3_step(s) == SQLITE_ROW) {
			logs = xreallocarray(logs, nlogs + 1, sizeof(*logs));
			logs[nlogs].key = xstrdup((const char *)sqlite3_column_text(s, 0));
			logs[nlogs].at = sqlite3_column_int64(s, 1);
			logs[nlogs].kind = xstrdup((const char *)sqlite3_column_text(s, 2));
			logs[nlogs].note = sqlite3_column_type(s, 3) == SQLITE_NULL ? NULL
					   : xstrdup((const char *)sqlite3_column_text(s, 3));
			nlogs++;
		}
		sqlite3_reset(s);
		for (i = 0; i < nlogs; i++) {
			if (rc == STORE_OK)
				rc = people_manual_interaction(st, logs[i].key, logs[i].at, logs[i].kind,
							       logs[i].note);
			free(logs[i].key);
			free(logs[i].kind);
			free(logs[i].note);
		}
		free(logs);
	}
	if (rc == STORE_OK)
		rc = people_cache_sync(st);
	if (rc != STORE_OK)
		goto out;
	/* People no message mentions any more; their decisions stay, keyed. */
	rc = store_step_done(st, store_stmt(st,
		"DELETE FROM people WHERE id NOT IN (SELECT person FROM addresses) "
		"AND id NOT IN (SELECT person FROM interactions)"));
	if (rc == STORE_OK)
		rc = people_suggest_refresh(st);
out:
	free(msgs);
	return rc;
}

int
people_rebuild(struct store *st)
{
	int rc;

	if ((rc = store_begin(st)) != STORE_OK)
		return rc;
	if ((rc = rebuild(st)) != STORE_OK) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st);
}

int
people_sync_done(struct store *st)
{
	const struct kith_config *cfg = store_config(st);
	sqlite3_stmt *s;
	struct strlist learned = { 0 };
	bool news = false;
	size_t i;
	int rc;

	s = store_stmt(st, "SELECT mi.from_addr FROM message_info mi JOIN locations l ON l.message = mi.message "
			   "JOIN folders f ON f.id = l.folder_id WHERE f.role = 'sent' AND mi.from_addr IS NOT NULL "
			   "AND mi.from_addr NOT IN (SELECT addr FROM me_learned) "
			   "GROUP BY mi.from_addr HAVING count(DISTINCT mi.message) >= ?1");
	sqlite3_bind_int(s, 1, ME_SENT_MIN);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		strlist_add(&learned, (const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		strlist_free(&learned);
		return store_fail(st, "reading the Sent folders");
	}
	/* New mail may pair addresses: find the merge suggestions again. */
	if (learned.n == 0)
		return people_suggest_refresh(st);
	if ((rc = store_begin(st)) != STORE_OK)
		goto out;
	for (i = 0; i < learned.n && rc == STORE_OK; i++) {
		if (!(cfg && identity_me_match(&cfg->me, learned.v[i]))) {
			log_info("'%s' sent %d or more messages from a Sent folder: it is one of your addresses",
				 learned.v[i], ME_SENT_MIN);
			news = true;
		}
		s = store_stmt(st, "INSERT OR IGNORE INTO me_learned(addr) VALUES (?1)");
		sqlite3_bind_text(s, 1, learned.v[i], -1, SQLITE_STATIC);
		rc = store_step_done(st, s);
	}
	/* Mail from and to that address was read as someone else's: read it again. */
	if (rc == STORE_OK && news)
		rc = rebuild(st);
	else if (rc == STORE_OK)
		rc = people_suggest_refresh(st);
	if (rc == STORE_OK)
		rc = store_commit(st);
	else
		store_rollback(st);
out:
	strlist_free(&learned);
	return rc;
}
