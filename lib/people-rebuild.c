/* people-rebuild.c - re-derive people from stored header blocks; learn the user's addresses. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* How often an address wrote messages located in one Sent folder. */
struct sent_from {
	int64_t folder;
	char *where;			/* "account/folder" */
	char *addr;			/* normalised */
	int64_t n;
};

static int
cmp_sent_from(const void *pa, const void *pb)
{
	const struct sent_from *a = pa, *b = pb;

	/* By folder, then the most frequent writer first. */
	if (a->folder != b->folder)
		return a->folder < b->folder ? -1 : 1;
	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return strcmp(a->addr, b->addr);
}

/*
 * The user's addresses, from where messages are located: an address that
 * wrote at least ME_SENT_MIN messages of a Sent folder is the user's when
 * the folder is theirs, that is when it and the configured addresses wrote
 * at least ME_SENT_TRUST_PCT percent of it, or it is one of the folder's
 * ME_SENT_TOP writers and they wrote ME_SENT_TOP_PCT percent.  The copy in
 * Sent counts, not whichever copy of a Message-ID came first
 * (people_copy_key keeps a list's rewritten copy apart).  `v` is sorted
 * here.  *news: the learned addresses changed.
 */
static int
learn_sent(struct store *st, struct sent_from *v, size_t n, bool *news)
{
	const struct kith_config *cfg = store_config(st);
	sqlite3_stmt *s;
	size_t i, j, k;
	int rc = STORE_OK;

	/*
	 * Decided afresh from everything stored, each time: a folder's share
	 * changes as mail arrives, and the addresses must be those a complete
	 * read gives, whatever came first.
	 */
	if ((rc = store_step_done(st, store_stmt(st, "CREATE TEMP TABLE IF NOT EXISTS me_decided "
							 "(addr TEXT PRIMARY KEY, folder TEXT, n INTEGER)"))) != STORE_OK ||
	    (rc = store_step_done(st, store_stmt(st, "DELETE FROM temp.me_decided"))) != STORE_OK)
		return rc;
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_sent_from);
	for (i = 0; i < n && rc == STORE_OK; i = j) {
		int64_t total = 0, mine = 0, top = 0;

		for (j = i; j < n && v[j].folder == v[i].folder; j++) {
			total += v[j].n;
			if (j - i < ME_SENT_TOP)
				top += v[j].n;
			if (cfg && identity_me_match(&cfg->me, v[j].addr))
				mine += v[j].n;
		}
		for (k = i; k < j && rc == STORE_OK; k++) {
			if (v[k].n < ME_SENT_MIN || (cfg && identity_me_match(&cfg->me, v[k].addr)))
				continue;
			if ((v[k].n + mine) * 100 < total * ME_SENT_TRUST_PCT &&
			    (k - i >= ME_SENT_TOP || top * 100 < total * ME_SENT_TOP_PCT))
				continue;
			s = store_stmt(st, "INSERT INTO temp.me_decided(addr, folder, n) "
					   "SELECT ?1, ?2, ?3 WHERE NOT EXISTS (SELECT 1 FROM user_not_me WHERE addr = ?1) "
					   "ON CONFLICT(addr) DO UPDATE SET n = max(n, excluded.n)");
			sqlite3_bind_text(s, 1, v[k].addr, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 2, v[k].where, -1, SQLITE_STATIC);
			sqlite3_bind_int64(s, 3, v[k].n);
			rc = store_step_done(st, s);
		}
	}
	if (rc != STORE_OK)
		return rc;
	s = store_stmt(st, "SELECT d.addr, d.folder, d.n FROM temp.me_decided d "
			   "WHERE d.addr NOT IN (SELECT addr FROM me_learned)");
	while (sqlite3_step(s) == SQLITE_ROW) {
		log_info("'%s' wrote %lld messages in '%s': it is one of your addresses",
			 (const char *)sqlite3_column_text(s, 0), (long long)sqlite3_column_int64(s, 2),
			 (const char *)sqlite3_column_text(s, 1));
		*news = true;
	}
	sqlite3_reset(s);
	s = store_stmt(st, "SELECT addr FROM me_learned WHERE addr NOT IN (SELECT addr FROM temp.me_decided)");
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *addr = (const char *)sqlite3_column_text(s, 0);

		/* Older databases listed the configured addresses too: those stay the user's. */
		if (!(cfg && identity_me_match(&cfg->me, addr)))
			log_info("'%s' no longer looks like one of your addresses", addr);
		*news = true;
	}
	sqlite3_reset(s);
	if (!*news)
		return STORE_OK;
	if ((rc = store_step_done(st, store_stmt(st, "DELETE FROM me_learned"))) != STORE_OK)
		return rc;
	return store_step_done(st, store_stmt(st, "INSERT INTO me_learned(addr, folder, n) "
						  "SELECT addr, folder, n FROM temp.me_decided"));
}

static void
sent_from_free(struct sent_from *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].where);
		free(v[i].addr);
	}
	free(v);
}

/* learn_sent from the stored header blocks: message_info is not there yet. */
static int
learn_me(struct store *st)
{
	sqlite3_stmt *s;
	struct stored *sent = NULL;
	int64_t *folder = NULL;
	char **where = NULL;
	struct sent_from *v = NULL;
	size_t n = 0, nv = 0, i, j;
	bool news = false;
	int rc;

	s = store_stmt(st, "SELECT m.id, m.internaldate, m.date, f.id, a.name || '/' || f.name FROM messages m "
			   "JOIN locations l ON l.message = m.id JOIN folders f ON f.id = l.folder_id "
			   "JOIN accounts a ON a.id = f.account_id WHERE f.role = 'sent' ORDER BY f.id, m.id");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		sent = xreallocarray(sent, n + 1, sizeof(*sent));
		folder = xreallocarray(folder, n + 1, sizeof(*folder));
		where = xreallocarray(where, n + 1, sizeof(*where));
		sent[n].id = sqlite3_column_int64(s, 0);
		sent[n].internaldate = sqlite3_column_int64(s, 1);
		sent[n].date = sqlite3_column_int64(s, 2);
		folder[n] = sqlite3_column_int64(s, 3);
		where[n++] = xstrdup((const char *)sqlite3_column_text(s, 4));
	}
	sqlite3_reset(s);
	rc = rc == SQLITE_DONE ? STORE_OK : store_fail(st, "reading the Sent folders");
	for (i = 0; i < n && rc == STORE_OK; i++) {
		struct kith_msg m;
		const struct msg_addr *from;
		char *norm;

		if ((rc = load_message(st, &sent[i], &m)) != STORE_OK)
			break;
		from = m.from.n ? &m.from.v[0] : m.sender.n ? &m.sender.v[0] : NULL;
		if (from && (norm = people_norm(st, from->addr))) {
			for (j = 0; j < nv && !(v[j].folder == folder[i] && strcmp(v[j].addr, norm) == 0); j++)
				;
			if (j == nv) {
				v = xreallocarray(v, nv + 1, sizeof(*v));
				v[nv].folder = folder[i];
				v[nv].where = xstrdup(where[i]);
				v[nv].addr = norm;
				v[nv++].n = 1;
			} else {
				v[j].n++;
				free(norm);
			}
		}
		msg_free(&m);
	}
	if (rc == STORE_OK)
		rc = learn_sent(st, v, nv, &news);
	sent_from_free(v, nv);
	for (i = 0; i < n; i++)
		free(where[i]);
	free(where);
	free(folder);
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
		"DELETE FROM message_refs",
		"DELETE FROM list_addrs",
		"DELETE FROM rederive",
		"DELETE FROM recompute",
		"DELETE FROM meta WHERE key IN ('rebuild', 'me_sent')",
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
	/*
	 * The user's own messages first (as last classified): the answers to
	 * them then need no second look.  Any order gives the same result.
	 */
	if ((rc = select_stored(st, "SELECT id, internaldate, date FROM messages "
				    "ORDER BY coalesce(class IN ('self', 'note'), 0) DESC, id",
				"reading messages", &msgs, &n)) != STORE_OK)
		goto out;
	if ((rc = exec_all(st, reset, ARRAY_SIZE(reset))) != STORE_OK)
		goto out;
	if ((rc = learn_me(st)) != STORE_OK)
		goto out;

	for (i = 0; i < n && rc == STORE_OK; i++) {
		struct kith_msg m;

		if ((rc = load_message(st, &msgs[i], &m)) != STORE_OK)
			break;
		rc = people_ingest(st, msgs[i].id, &m);
		msg_free(&m);
	}
	/* What a message arriving after another changed, as on the incremental path. */
	if (rc == STORE_OK)
		rc = people_rederive_pending(st);
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
people_not_me(struct store *st, const char *addr, bool *learned)
{
	char *norm = people_norm(st, addr);
	sqlite3_stmt *s;
	int rc;

	*learned = false;
	if (!norm)
		return STORE_OK;
	s = store_stmt(st, "DELETE FROM me_learned WHERE addr = ?1");
	sqlite3_bind_text(s, 1, norm, -1, SQLITE_STATIC);
	if ((rc = store_step_done(st, s)) != STORE_OK || sqlite3_changes(store_db(st)) == 0)
		goto out;
	*learned = true;
	s = store_stmt(st, "INSERT OR IGNORE INTO user_not_me(addr) VALUES (?1)");
	sqlite3_bind_text(s, 1, norm, -1, SQLITE_STATIC);
	if ((rc = store_step_done(st, s)) == STORE_OK)
		rc = rebuild(st);
out:
	free(norm);
	return rc;
}

char *
people_why_nobody(struct store *st, const char *addr)
{
	char *norm = people_norm(st, addr), *why = NULL;
	sqlite3_stmt *s;

	if (!norm)
		return NULL;
	s = store_stmt(st, "SELECT m.subject, m.date FROM list_addrs l LEFT JOIN messages m ON m.id = l.message "
			   "WHERE l.addr = ?1");
	sqlite3_bind_text(s, 1, norm, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW) {
		char date[32] = "?";
		time_t t = (time_t)sqlite3_column_int64(s, 1);
		struct tm tm;

		if (t && gmtime_r(&t, &tm))
			strftime(date, sizeof(date), "%Y-%m-%d", &tm);
		why = xasprintf("'%s' is a mailing list's own address (named in the List-Post or List-Id of "
				"\"%s\", %s): mail to it is a list post, and it is never a person", norm,
				sqlite3_column_type(s, 0) == SQLITE_NULL ? "" : (const char *)sqlite3_column_text(s, 0),
				date);
	}
	sqlite3_reset(s);
	if (!why && people_is_me(st, norm)) {
		s = store_stmt(st, "SELECT folder, n FROM me_learned WHERE addr = ?1");
		sqlite3_bind_text(s, 1, norm, -1, SQLITE_STATIC);
		if (sqlite3_step(s) == SQLITE_ROW)
			why = xasprintf("'%s' is one of your own addresses: it wrote %lld messages in %s "
					"(not yours? kith split %s)", norm, (long long)sqlite3_column_int64(s, 1),
					sqlite3_column_type(s, 0) == SQLITE_NULL ? "a Sent folder"
					: (const char *)sqlite3_column_text(s, 0), norm);
		else
			why = xasprintf("'%s' is one of your own addresses (me = in the configuration)", norm);
		sqlite3_reset(s);
	}
	free(norm);
	return why;
}

/*
 * What the Sent folders hold, in one string that changes whenever mail is
 * added to one (their sync points): learning is decided again only then.
 * Returns a new string (free it), NULL on error.
 */
static char *
sent_signature(struct store *st)
{
	const struct kith_config *cfg = store_config(st);
	sqlite3_stmt *s = store_stmt(st, "SELECT count(*), coalesce(sum(last_uid), 0), coalesce(sum(uidvalidity), 0) "
					 "FROM folders WHERE role = 'sent'");
	struct strbuf sb = { 0 };
	size_t i;
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		sb_addf(&sb, "%lld/%lld/%lld", (long long)sqlite3_column_int64(s, 0),
			(long long)sqlite3_column_int64(s, 1), (long long)sqlite3_column_int64(s, 2));
	sqlite3_reset(s);
	if (rc != SQLITE_ROW) {
		store_fail(st, "reading the Sent folders");
		sb_free(&sb);
		return NULL;
	}
	/* The configured addresses weigh in the decision too. */
	for (i = 0; cfg && i < cfg->me.n; i++)
		sb_addf(&sb, " %s", cfg->me.v[i]);
	return sb_detach(&sb);
}

int
people_sync_done(struct store *st)
{
	sqlite3_stmt *s;
	struct sent_from *v = NULL;
	size_t nv = 0;
	bool news = false, learn;
	char *sig = sent_signature(st), *seen = store_meta_get(st, "me_sent");
	int rc;

	if (!sig) {
		free(seen);
		return STORE_ERROR;
	}
	learn = !seen || strcmp(seen, sig) != 0;
	free(seen);
	s = store_stmt(st, "SELECT l.folder_id, a.name || '/' || f.name, mi.from_addr, count(DISTINCT mi.message) "
			   "FROM message_info mi JOIN locations l ON l.message = mi.message "
			   "JOIN folders f ON f.id = l.folder_id JOIN accounts a ON a.id = f.account_id "
			   "WHERE f.role = 'sent' AND mi.from_addr IS NOT NULL "
			   "GROUP BY l.folder_id, mi.from_addr ORDER BY l.folder_id, mi.from_addr");
	while (learn && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = xreallocarray(v, nv + 1, sizeof(*v));
		v[nv].folder = sqlite3_column_int64(s, 0);
		v[nv].where = xstrdup((const char *)sqlite3_column_text(s, 1));
		v[nv].addr = xstrdup((const char *)sqlite3_column_text(s, 2));
		v[nv++].n = sqlite3_column_int64(s, 3);
	}
	sqlite3_reset(s);
	if (learn && rc != SQLITE_DONE) {
		sent_from_free(v, nv);
		free(sig);
		return store_fail(st, "reading the Sent folders");
	}
	/* A database from before the rules it was derived with: read it again. */
	s = store_stmt(st, "SELECT 1 FROM meta WHERE key = 'rebuild'");
	news = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	if ((rc = store_begin(st)) != STORE_OK)
		goto out;
	rc = learn ? learn_sent(st, v, nv, &news) : STORE_OK;
	if (rc == STORE_OK && learn)
		rc = store_meta_set(st, "me_sent", sig);
	/* Mail from and to a new address of the user's was read as someone else's: read it again. */
	if (rc == STORE_OK && news)
		rc = rebuild(st);
	else if (rc == STORE_OK)
		rc = people_rederive_pending(st);
	/* New mail may pair addresses: find the merge suggestions again. */
	if (rc == STORE_OK && !news)
		rc = people_suggest_refresh(st);
	if (rc == STORE_OK)
		rc = store_commit(st);
	else
		store_rollback(st);
out:
	sent_from_free(v, nv);
	free(sig);
	return rc;
}
