/* status.c - the store queries behind `kith status`. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kith/config.h"
#include "kith/paths.h"
#include "kith/people.h"
#include "kith/status.h"
#include "kith/store.h"
#include "kith/util.h"
#include "store-private.h"

static char *
column_str(sqlite3_stmt *s, int col)
{
	if (sqlite3_column_type(s, col) == SQLITE_NULL)
		return NULL;
	return xstrdup((const char *)sqlite3_column_text(s, col));
}

static int
read_accounts(struct store *st, struct kith_status *out)
{
	sqlite3_stmt *s = store_stmt(st,
		"SELECT name, coalesce(last_sync, 0), coalesce(last_attempt, 0), last_error "
		"FROM accounts ORDER BY name");
	struct status_account *a;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		out->accounts = xreallocarray(out->accounts, out->naccounts + 1, sizeof(*out->accounts));
		a = &out->accounts[out->naccounts++];
		a->name = column_str(s, 0);
		a->last_sync = sqlite3_column_int64(s, 1);
		a->last_attempt = sqlite3_column_int64(s, 2);
		a->last_error = column_str(s, 3);
	}
	if (rc != SQLITE_DONE)
		rc = store_fail(st, "reading accounts");
	else
		rc = STORE_OK;
	sqlite3_reset(s);
	return rc;
}

static int
read_folders(struct store *st, struct kith_status *out)
{
	sqlite3_stmt *s = store_stmt(st,
		"SELECT a.name, f.name, f.role, f.uidvalidity, f.last_uid, f.highestmodseq, "
		"       coalesce(f.last_sync, 0), "
		"       (SELECT count(*) FROM locations l WHERE l.folder_id = f.id) "
		"FROM folders f JOIN accounts a ON a.id = f.account_id ORDER BY a.name, f.name");
	struct status_folder *f;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		out->folders = xreallocarray(out->folders, out->nfolders + 1, sizeof(*out->folders));
		f = &out->folders[out->nfolders++];
		f->account = column_str(s, 0);
		f->name = column_str(s, 1);
		f->role = column_str(s, 2);
		f->uidvalidity = (uint32_t)sqlite3_column_int64(s, 3);
		f->last_uid = (uint32_t)sqlite3_column_int64(s, 4);
		f->highestmodseq = (uint64_t)sqlite3_column_int64(s, 5);
		f->last_sync = sqlite3_column_int64(s, 6);
		f->messages = sqlite3_column_int64(s, 7);
	}
	if (rc != SQLITE_DONE)
		rc = store_fail(st, "reading folders");
	else
		rc = STORE_OK;
	sqlite3_reset(s);
	return rc;
}

static int
count_messages(struct store *st, int64_t *n)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT count(*) FROM messages");
	int rc;

	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		rc = store_fail(st, "counting messages");
		sqlite3_reset(s);
		return rc;
	}
	*n = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return STORE_OK;
}

/* The user's addresses: `me =`, then those learned from Sent folders, with where. */
static int
read_me(struct store *st, struct kith_status *out)
{
	const struct kith_config *cfg = store_config(st);
	sqlite3_stmt *s;
	struct status_me *m;
	size_t i;
	int rc;

	for (i = 0; cfg && i < cfg->me.n; i++) {
		out->me = xreallocarray(out->me, out->nme + 1, sizeof(*out->me));
		m = &out->me[out->nme++];
		memset(m, 0, sizeof(*m));
		m->addr = xstrdup(cfg->me.v[i]);
	}
	s = store_stmt(st, "SELECT addr, coalesce(folder, '?'), n FROM me_learned ORDER BY addr");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		out->me = xreallocarray(out->me, out->nme + 1, sizeof(*out->me));
		m = &out->me[out->nme++];
		m->addr = column_str(s, 0);
		m->learned_from = column_str(s, 1);
		m->messages = sqlite3_column_int64(s, 2);
	}
	rc = rc == SQLITE_DONE ? STORE_OK : store_fail(st, "reading your addresses");
	sqlite3_reset(s);
	return rc;
}

static int
cmp_skipped(const void *pa, const void *pb)
{
	const struct status_skipped *a = pa, *b = pb;
	int c = strcmp(a->account ? a->account : "", b->account ? b->account : "");

	if (!c)
		c = strcmp(a->folder ? a->folder : "", b->folder ? b->folder : "");
	return c ? c : (a->uid > b->uid) - (a->uid < b->uid);
}

/*
 * The messages skipped as unreadable: kithd notes each in meta as
 * "unreadable.FOLDER-ID.UIDVALIDITY.UID" = "TIME REASON".  A note of an
 * earlier UIDVALIDITY is history: the folder was read again since.
 */
static int
read_skipped(struct store *st, struct kith_status *out)
{
	sqlite3_stmt *s = store_stmt(st,
		"SELECT a.name, f.name, f.uidvalidity, m.key, m.value FROM meta m "
		"JOIN folders f ON f.id = CAST(substr(m.key, 12) AS INTEGER) "
		"JOIN accounts a ON a.id = f.account_id "
		"WHERE m.key >= 'unreadable.' AND m.key < 'unreadable/'");
	struct status_skipped *k;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(s, 3);
		const char *value = (const char *)sqlite3_column_text(s, 4);
		unsigned long long folder, uidvalidity, uid;
		long long at = 0;
		int used = 0;

		if (!key || sscanf(key, "unreadable.%llu.%llu.%llu", &folder, &uidvalidity, &uid) != 3 ||
		    uidvalidity != (unsigned long long)sqlite3_column_int64(s, 2) || uid > UINT32_MAX)
			continue;
		if (value && sscanf(value, "%lld %n", &at, &used) < 1)
			used = 0;
		out->skipped = xreallocarray(out->skipped, out->nskipped + 1, sizeof(*out->skipped));
		k = &out->skipped[out->nskipped++];
		k->account = column_str(s, 0);
		k->folder = column_str(s, 1);
		k->uid = (uint32_t)uid;
		k->at = at;
		k->reason = xstrdup(value ? value + used : "");
	}
	rc = rc == SQLITE_DONE ? STORE_OK : store_fail(st, "reading the skipped messages");
	sqlite3_reset(s);
	if (rc == STORE_OK && out->nskipped > 1)
		qsort(out->skipped, out->nskipped, sizeof(*out->skipped), cmp_skipped);
	return rc;
}

/* The people model owns its tables; count through its API, not its schema. */
static int
count_people(struct store *st, int64_t now, struct kith_status *out)
{
	struct person_list l = { 0 };
	size_t i;
	int rc;

	rc = people_list(st, now, NULL, SORT_NAME, PEOPLE_ACQUAINTANCES | PEOPLE_TABLE, &l);
	if (rc == STORE_OK) {
		out->people = (int64_t)l.n;
		for (i = 0; i < l.n; i++)
			out->relationships += l.v[i].relationship;
	}
	person_list_free(&l);
	return rc;
}

int
status_read(struct store *st, int64_t now, struct kith_status *out)
{
	sqlite3 *db = store_db(st);
	char *seq;
	int rc;

	memset(out, 0, sizeof(*out));
	/* The kithd to look for is the one on this very file. */
	out->daemon_pid = paths_daemon_pid(sqlite3_db_filename(db, "main"));
	/* A plain BEGIN takes no write lock: kithd keeps writing meanwhile. */
	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(st, "starting a read");
	if ((rc = read_accounts(st, out)) != STORE_OK)
		goto out;
	if ((rc = read_folders(st, out)) != STORE_OK)
		goto out;
	if ((rc = count_messages(st, &out->messages)) != STORE_OK)
		goto out;
	if ((rc = count_people(st, now, out)) != STORE_OK)
		goto out;
	if ((rc = read_me(st, out)) != STORE_OK)
		goto out;
	if ((rc = read_skipped(st, out)) != STORE_OK)
		goto out;
	out->daemon_state = store_meta_get(st, META_DAEMON_STATE);
	out->sync_result = store_meta_get(st, META_SYNC_RESULT);
	seq = store_meta_get(st, META_SYNC_SEQ);
	out->sync_seq = seq ? strtoll(seq, NULL, 10) : 0;
	free(seq);
out:
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	return rc;
}

void
status_free(struct kith_status *s)
{
	size_t i;

	for (i = 0; i < s->naccounts; i++) {
		free(s->accounts[i].name);
		free(s->accounts[i].last_error);
	}
	for (i = 0; i < s->nfolders; i++) {
		free(s->folders[i].account);
		free(s->folders[i].name);
		free(s->folders[i].role);
	}
	for (i = 0; i < s->nme; i++) {
		free(s->me[i].addr);
		free(s->me[i].learned_from);
	}
	for (i = 0; i < s->nskipped; i++) {
		free(s->skipped[i].account);
		free(s->skipped[i].folder);
		free(s->skipped[i].reason);
	}
	free(s->skipped);
	free(s->me);
	free(s->accounts);
	free(s->folders);
	free(s->daemon_state);
	free(s->sync_result);
	memset(s, 0, sizeof(*s));
}
