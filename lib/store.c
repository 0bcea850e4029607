/* store.c - the SQLite database: opening, migrations, sync points, messages. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>

#include "kith/header.h"
#include "kith/store.h"
#include "kith/util.h"
#include "store-private.h"

struct cached_stmt {
	const char *sql;
	sqlite3_stmt *stmt;
};

struct store {
	sqlite3 *db;
	char *path;
	const struct kith_config *cfg;
	struct cached_stmt *stmts;
	size_t nstmts;
	int depth;		/* nesting of store_begin */
	struct store_packer *packer;	/* for store_own_packer(); NULL until asked */
	ZSTD_DCtx *dctx;		/* reading header blocks; NULL until asked */
	const struct store_hooks *hooks;
	void *hooks_arg;
};

int
store_fail(struct store *st, const char *what)
{
	int code = sqlite3_errcode(st->db);

	if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
		log_error("database '%s' is busy (another kith is writing): %s", st->path, what);
		return STORE_BUSY;
	}
	log_error("database '%s': %s: %s", st->path, what, sqlite3_errmsg(st->db));
	return STORE_ERROR;
}

sqlite3 *
store_db(struct store *st)
{
	return st->db;
}

void
store_set_config(struct store *st, const struct kith_config *cfg)
{
	st->cfg = cfg;
}

const struct kith_config *
store_config(const struct store *st)
{
	return st->cfg;
}

sqlite3_stmt *
store_stmt(struct store *st, const char *sql)
{
	sqlite3_stmt *stmt;
	size_t i;

	/* Callers pass string literals: compare pointers before any text. */
	for (i = 0; i < st->nstmts; i++)
		if (st->stmts[i].sql == sql)
			goto found;
	for (i = 0; i < st->nstmts; i++)
		if (strcmp(st->stmts[i].sql, sql) == 0)
			goto found;
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
		fatalx("bad SQL statement (%s): %s", sqlite3_errmsg(st->db), sql);
	st->stmts = xreallocarray(st->stmts, st->nstmts + 1, sizeof(*st->stmts));
	st->stmts[st->nstmts].sql = sql;
	st->stmts[st->nstmts].stmt = stmt;
	st->nstmts++;
	return stmt;
found:
	stmt = st->stmts[i].stmt;
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	return stmt;
}

int
store_step_done(struct store *st, sqlite3_stmt *stmt)
{
	int rc = sqlite3_step(stmt);

	if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
		sqlite3_reset(stmt);
		return STORE_OK;
	}
	rc = store_fail(st, sqlite3_sql(stmt));
	sqlite3_reset(stmt);
	return rc;
}

static int
store_exec(struct store *st, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		int code = sqlite3_errcode(st->db);

		if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
			log_error("database '%s' is busy (another kith is writing)", st->path);
			sqlite3_free(err);
			return STORE_BUSY;
		}
		log_error("database '%s': %s", st->path, err ? err : sqlite3_errmsg(st->db));
		sqlite3_free(err);
		return STORE_ERROR;
	}
	return STORE_OK;
}

void
store_set_hooks(struct store *st, const struct store_hooks *hooks, void *arg)
{
	st->hooks = hooks;
	st->hooks_arg = arg;
}

void *
store_hooks_arg(const struct store *st)
{
	return st->hooks_arg;
}

int
store_flush(struct store *st)
{
	return st->hooks ? st->hooks->flush(st, st->hooks_arg) : STORE_OK;
}

static void
store_drop(struct store *st)
{
	if (st->hooks)
		st->hooks->drop(st->hooks_arg);
}

int
store_begin(struct store *st)
{
	int rc;

	if (st->depth++ > 0)
		return STORE_OK;
	rc = store_exec(st, "BEGIN IMMEDIATE");
	if (rc != STORE_OK)
		st->depth = 0;
	return rc;
}

int
store_commit(struct store *st)
{
	int rc;

	if (st->depth == 0)
		fatalx("store_commit without store_begin");
	if (--st->depth > 0)
		return STORE_OK;
	/* What the cache holds belongs to this transaction: written before COMMIT. */
	if ((rc = store_flush(st)) == STORE_OK)
		rc = store_exec(st, "COMMIT");
	store_drop(st);
	if (rc != STORE_OK && !sqlite3_get_autocommit(st->db))
		store_exec(st, "ROLLBACK");
	return rc;
}

bool
store_read_begin(struct store *st)
{
	if (st->depth > 0 || !sqlite3_get_autocommit(st->db))
		return false;
	return store_exec(st, "BEGIN") == STORE_OK;
}

void
store_read_end(struct store *st, bool opened)
{
	if (opened && st->depth == 0 && !sqlite3_get_autocommit(st->db))
		store_exec(st, "COMMIT");
}

void
store_rollback(struct store *st)
{
	store_drop(st);
	if (st->depth == 0)
		return;
	st->depth = 0;
	if (!sqlite3_get_autocommit(st->db))
		store_exec(st, "ROLLBACK");
}

/* Create the database's directory 0700 and the file 0600 before SQLite opens it. */
static int
prepare_file(const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int fd, rc = 0;

	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir_p(dir, 0700) == -1) {
			log_warn("cannot create directory '%s'", dir);
			rc = -1;
			goto out;
		}
	}
	/*
	 * Only a missing file is created here.  Opening and closing an existing
	 * database would drop every POSIX lock this process holds on it (other
	 * connections, other threads), and then another process could take
	 * itself for the last user and delete the WAL with committed data.
	 */
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1 && errno == EEXIST)
		goto out;
	if (fd == -1) {
		log_warn("cannot create database '%s'", path);
		rc = -1;
		goto out;
	}
	close(fd);
out:
	free(dir);
	return rc;
}

static int
user_version(struct store *st, int *version)
{
	sqlite3_stmt *stmt;
	int rc;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
		return store_fail(st, "reading the schema version");
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(stmt);
		return store_fail(st, "reading the schema version");
	}
	*version = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return STORE_OK;
}

/* Bring the schema to STORE_SCHEMA_VERSION, all steps in one transaction. */
static int
migrate(struct store *st, enum store_mode mode)
{
	int version, from, rc;
	char pragma[64];

	if ((rc = user_version(st, &version)) != STORE_OK)
		return rc;
	if (version > (int)store_nmigrations) {
		log_error("database '%s' has schema version %d, newer than this kith understands (%zu): "
			  "upgrade kith", st->path, version, store_nmigrations);
		return STORE_ERROR;
	}
	if (version == (int)store_nmigrations)
		return STORE_OK;
	if (mode == STORE_READ) {
		log_error("database '%s' has schema version %d and needs migrating to %zu: "
			  "run kithd or any kith command that writes", st->path, version, store_nmigrations);
		return STORE_ERROR;
	}
	if ((rc = store_begin(st)) != STORE_OK)
		return rc;
	/* Another process may have migrated while we waited for the lock. */
	if ((rc = user_version(st, &version)) != STORE_OK)
		goto fail;
	from = version;
	for (; version < (int)store_nmigrations; version++) {
		if ((rc = store_exec(st, store_migrations[version])) != STORE_OK)
			goto fail;
	}
	/* A new database is created, not migrated: nothing to say. */
	if (from > 0)
		log_info("database '%s' migrated to schema version %zu", st->path, store_nmigrations);
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %zu", store_nmigrations);
	if ((rc = store_exec(st, pragma)) != STORE_OK)
		goto fail;
	return store_commit(st);
fail:
	store_rollback(st);
	return rc;
}

int
store_open(const char *path, enum store_mode mode, const struct kith_config *cfg, struct store **out)
{
	struct store *st;
	int flags, rc;

	*out = NULL;
	if (mode == STORE_READ) {
		if (access(path, F_OK) == -1) {
			log_warn("cannot open database '%s'", path);
			return STORE_ERROR;
		}
		flags = SQLITE_OPEN_READWRITE;	/* WAL readers need the -shm file writable */
	} else {
		if (prepare_file(path) == -1)
			return STORE_ERROR;
		flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	}
	st = xcalloc(1, sizeof(*st));
	st->path = xstrdup(path);
	st->cfg = cfg;
	if (sqlite3_open_v2(path, &st->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		rc = store_fail(st, "opening");
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 0);
	sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
	if ((rc = store_exec(st, "PRAGMA foreign_keys = ON")) != STORE_OK)
		goto fail;
	if ((rc = store_exec(st, mode == STORE_WRITE ? "PRAGMA journal_mode = WAL" : "SELECT 1")) != STORE_OK)
		goto fail;
	if ((rc = store_exec(st, "PRAGMA synchronous = NORMAL")) != STORE_OK)
		goto fail;
	/*
	 * Ingest looks up thread keys, addresses and interactions all over a
	 * database of hundreds of MB: with SQLite's 2 MB default page cache
	 * nearly every lookup became a read from the OS.
	 */
	if (mode == STORE_WRITE && (rc = store_exec(st, "PRAGMA cache_size = -" STORE_CACHE_KIB)) != STORE_OK)
		goto fail;
	/* Fewer, larger checkpoints: a page rewritten by many batches is copied back once. */
	if (mode == STORE_WRITE && (rc = store_exec(st, "PRAGMA wal_autocheckpoint = " STORE_WAL_PAGES)) != STORE_OK)
		goto fail;
	if ((rc = migrate(st, mode)) != STORE_OK)
		goto fail;
	*out = st;
	return STORE_OK;
fail:
	store_close(st);
	return rc;
}

void
store_close(struct store *st)
{
	size_t i;

	if (!st)
		return;
	if (st->hooks)
		st->hooks->release(st->hooks_arg);
	for (i = 0; i < st->nstmts; i++)
		sqlite3_finalize(st->stmts[i].stmt);
	free(st->stmts);
	store_packer_free(st->packer);
	ZSTD_freeDCtx(st->dctx);
	if (st->db)
		sqlite3_close(st->db);
	free(st->path);
	free(st);
}

int64_t
store_column_date(sqlite3_stmt *s, int col, int64_t now)
{
	return clamp_date(sqlite3_column_int64(s, col), now);
}

double
store_column_score(sqlite3_stmt *s, int col)
{
	double v = sqlite3_column_double(s, col);

	return isfinite(v) && v > 0 ? v : 0;
}

int
store_meta_set(struct store *st, const char *key, const char *value)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO meta(key, value) VALUES (?1, ?2) "
					 "ON CONFLICT(key) DO UPDATE SET value = excluded.value");

	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
	return store_step_done(st, s);
}

char *
store_meta_get(struct store *st, const char *key)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT value FROM meta WHERE key = ?1");
	char *v = NULL;

	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
		v = xstrdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	return v;
}

int
store_account(struct store *st, const char *name, int64_t *id)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO accounts(name) VALUES (?1) "
					 "ON CONFLICT(name) DO UPDATE SET name = name RETURNING id");
	int rc;

	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		rc = store_fail(st, "recording an account");
		sqlite3_reset(s);
		return rc;
	}
	*id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return STORE_OK;
}

int
store_account_status(struct store *st, int64_t account_id, int64_t when, const char *error)
{
	sqlite3_stmt *s = store_stmt(st,
		"UPDATE accounts SET last_attempt = ?2, last_error = ?3, "
		"last_sync = CASE WHEN ?3 IS NULL THEN ?2 ELSE last_sync END WHERE id = ?1");

	sqlite3_bind_int64(s, 1, account_id);
	sqlite3_bind_int64(s, 2, when);
	if (error)
		sqlite3_bind_text(s, 3, error, -1, SQLITE_STATIC);
	return store_step_done(st, s);
}

int
store_folder(struct store *st, int64_t account_id, const char *name, const char *role,
	     struct store_folder *out)
{
	sqlite3_stmt *s = store_stmt(st,
		"INSERT INTO folders(account_id, name, role) VALUES (?1, ?2, ?3) "
		"ON CONFLICT(account_id, name) DO UPDATE SET role = coalesce(excluded.role, role) "
		"RETURNING id, uidvalidity, last_uid, highestmodseq, coalesce(last_sync, 0), role");
	int rc;

	memset(out, 0, sizeof(*out));
	sqlite3_bind_int64(s, 1, account_id);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	if (role)
		sqlite3_bind_text(s, 3, role, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		rc = store_fail(st, "recording a folder");
		sqlite3_reset(s);
		return rc;
	}
	out->id = sqlite3_column_int64(s, 0);
	out->account_id = account_id;
	out->uidvalidity = (uint32_t)sqlite3_column_int64(s, 1);
	out->last_uid = (uint32_t)sqlite3_column_int64(s, 2);
	out->highestmodseq = (uint64_t)sqlite3_column_int64(s, 3);
	out->last_sync = sqlite3_column_int64(s, 4);
	if (sqlite3_column_type(s, 5) != SQLITE_NULL)
		out->role = xstrdup((const char *)sqlite3_column_text(s, 5));
	sqlite3_reset(s);
	return STORE_OK;
}

void
store_folder_free(struct store_folder *f)
{
	free(f->role);
	f->role = NULL;
}

int
store_folders_keep(struct store *st, int64_t account_id, const char *const *names, size_t n,
		   size_t *dropped)
{
	sqlite3_stmt *s;
	int64_t *gone = NULL;
	size_t ngone = 0, i;
	int rc;

	if (dropped)
		*dropped = 0;
	s = store_stmt(st, "SELECT id, name FROM folders WHERE account_id = ?1");
	sqlite3_bind_int64(s, 1, account_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(s, 1);
		bool keep = false;

		for (i = 0; i < n && !keep; i++)
			keep = name && strcmp(name, names[i]) == 0;
		if (!keep) {
			gone = xreallocarray(gone, ngone + 1, sizeof(*gone));
			gone[ngone++] = sqlite3_column_int64(s, 0);
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		free(gone);
		return store_fail(st, "reading folders");
	}
	if (ngone == 0)
		return STORE_OK;
	if ((rc = store_begin(st)) != STORE_OK)
		goto out;
	for (i = 0; i < ngone && rc == STORE_OK; i++) {
		s = store_stmt(st, "DELETE FROM locations WHERE folder_id = ?1");
		sqlite3_bind_int64(s, 1, gone[i]);
		if ((rc = store_step_done(st, s)) != STORE_OK)
			break;
		s = store_stmt(st, "DELETE FROM folders WHERE id = ?1");
		sqlite3_bind_int64(s, 1, gone[i]);
		rc = store_step_done(st, s);
	}
	if (rc == STORE_OK)
		rc = store_commit(st);
	if (rc != STORE_OK)
		store_rollback(st);
	else if (dropped)
		*dropped = ngone;
out:
	free(gone);
	return rc;
}

int
store_folder_reset(struct store *st, int64_t folder_id, uint32_t uidvalidity)
{
	sqlite3_stmt *s;
	int rc;

	s = store_stmt(st, "DELETE FROM locations WHERE folder_id = ?1");
	sqlite3_bind_int64(s, 1, folder_id);
	if ((rc = store_step_done(st, s)) != STORE_OK)
		return rc;
	s = store_stmt(st, "UPDATE folders SET uidvalidity = ?2, last_uid = 0, highestmodseq = 0 "
			   "WHERE id = ?1");
	sqlite3_bind_int64(s, 1, folder_id);
	sqlite3_bind_int64(s, 2, uidvalidity);
	return store_step_done(st, s);
}

int
store_folder_syncpoint(struct store *st, int64_t folder_id, uint32_t last_uid,
		       uint64_t highestmodseq, int64_t when)
{
	sqlite3_stmt *s = store_stmt(st,
		"UPDATE folders SET last_uid = max(last_uid, ?2), highestmodseq = ?3, last_sync = ?4 "
		"WHERE id = ?1");

	sqlite3_bind_int64(s, 1, folder_id);
	sqlite3_bind_int64(s, 2, last_uid);
	sqlite3_bind_int64(s, 3, (int64_t)highestmodseq);
	sqlite3_bind_int64(s, 4, when);
	return store_step_done(st, s);
}

int
store_add_location(struct store *st, int64_t folder_id, uint32_t uid, int64_t message)
{
	sqlite3_stmt *s = store_stmt(st,
		"INSERT INTO locations(folder_id, uid, message) VALUES (?1, ?2, ?3) "
		"ON CONFLICT(folder_id, uid) DO UPDATE SET message = excluded.message");

	sqlite3_bind_int64(s, 1, folder_id);
	sqlite3_bind_int64(s, 2, uid);
	sqlite3_bind_int64(s, 3, message);
	return store_step_done(st, s);
}

/*
 * Header blocks are stored compressed with zstd at level 1.  Measured on
 * the 100,000 header blocks of bench/sync.sh (~280 bytes each, 27.7 MB):
 * zlib level 1 left 78.0% in 3.1 s, zlib 6 and 9 77.9% in 3.3-3.5 s,
 * zstd 1 79.6% in 1.0-1.3 s, zstd 3 79.5% in 1.1-1.4 s: headers are
 * small, so no level saves much, and zstd costs a third of the time.
 * Blocks written by earlier versions are zlib streams, told apart by
 * zstd's magic number and still read.  A packer keeps its compression
 * context between blocks and needs no database, so any thread may pack.
 */
#define STORE_ZSTD_LEVEL	1

struct store_packer {
	ZSTD_CCtx *cctx;
};

struct store_packer *
store_packer_new(void)
{
	struct store_packer *pk = xcalloc(1, sizeof(*pk));

	if (!(pk->cctx = ZSTD_createCCtx()))
		fatalx("cannot set up zstd: out of memory");
	return pk;
}

void
store_packer_free(struct store_packer *pk)
{
	if (!pk)
		return;
	ZSTD_freeCCtx(pk->cctx);
	free(pk);
}

struct store_packer *
store_own_packer(struct store *st)
{
	if (!st->packer)
		st->packer = store_packer_new();
	return st->packer;
}

unsigned char *
store_pack(struct store_packer *pk, const char *data, size_t len, size_t *out_len)
{
	size_t bound = ZSTD_compressBound(len), r;
	unsigned char *out = xmalloc(bound);

	r = ZSTD_compressCCtx(pk->cctx, out, bound, data, len, STORE_ZSTD_LEVEL);
	if (ZSTD_isError(r))
		fatalx("cannot compress a header block of %zu bytes: %s", len, ZSTD_getErrorName(r));
	*out_len = r;
	return out;
}

/* A stored block back into `buf` of exactly `n` bytes; false when damaged. */
static bool
unpack(struct store *st, const unsigned char *packed, size_t plen, char *buf, size_t n)
{
	static const unsigned char zstd_magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };
	uLongf zn = (uLongf)n;
	size_t r;

	if (plen >= 4 && memcmp(packed, zstd_magic, 4) == 0) {
		if (!st->dctx && !(st->dctx = ZSTD_createDCtx()))
			fatalx("cannot set up zstd: out of memory");
		r = ZSTD_decompressDCtx(st->dctx, buf, n, packed, plen);
		return !ZSTD_isError(r) && r == n;
	}
	/* Written by a version that deflated. */
	return uncompress((Bytef *)buf, &zn, packed, (uLong)plen) == Z_OK && zn == (uLongf)n;
}

int
store_put_message(struct store *st, const char *message_id, const struct kith_msg *m,
		  const unsigned char *packed, size_t packed_len, size_t len, int64_t *id)
{
	sqlite3_stmt *s;
	int rc;

	*id = 0;
	s = store_stmt(st, "INSERT INTO messages(message_id, internaldate, date, subject, header, header_len) "
			   "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	sqlite3_bind_text(s, 1, message_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, m->internaldate);
	sqlite3_bind_int64(s, 3, m->date);
	if (m->subject)
		sqlite3_bind_text(s, 4, m->subject, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 5, packed, (int)packed_len, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, (int64_t)len);
	rc = store_step_done(st, s);
	if (rc == STORE_OK)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

int
store_message_header(struct store *st, int64_t message_id, char **out, size_t *len)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT header, header_len FROM messages WHERE id = ?1");
	const void *packed;
	int64_t stored_len;
	size_t n;
	char *buf;
	int rc;

	*out = NULL;
	*len = 0;
	sqlite3_bind_int64(s, 1, message_id);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		rc = rc == SQLITE_DONE ? STORE_ERROR : store_fail(st, "reading a message");
		if (rc == STORE_ERROR)
			log_error("database '%s': no message %lld", st->path, (long long)message_id);
		sqlite3_reset(s);
		return rc;
	}
	packed = sqlite3_column_blob(s, 0);
	stored_len = sqlite3_column_int64(s, 1);
	/* The file may be damaged or edited: a size is trusted only within what kith ever stores. */
	n = stored_len >= 0 && stored_len <= HEADER_MAX_BLOCK ? (size_t)stored_len : 0;
	buf = xmalloc(n + 1);
	if (n != (size_t)stored_len || !packed ||
	    !unpack(st, packed, (size_t)sqlite3_column_bytes(s, 0), buf, n)) {
		sqlite3_reset(s);
		free(buf);
		log_error("database '%s': message %lld has a damaged header block", st->path,
			  (long long)message_id);
		return STORE_ERROR;
	}
	buf[n] = '\0';
	sqlite3_reset(s);
	*out = buf;
	*len = n;
	return STORE_OK;
}
