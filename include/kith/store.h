/* store.h - the SQLite database: schema, migrations, sync points, messages. */
#ifndef KITH_STORE_H
#define KITH_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

struct kith_config;
struct store;

/* Results of store calls that the callers must tell apart. */
enum store_status {
	STORE_OK = 0,
	STORE_ERROR = -1,	/* message already logged */
	STORE_BUSY = -2,	/* locked by another process past the busy timeout */
};

enum store_mode {
	STORE_READ,		/* the file must exist; nothing is written */
	STORE_WRITE,		/* created (0600, directory 0700) and migrated when needed */
};

#define STORE_SCHEMA_VERSION	3	/* the number of steps in store_migrations */
#define STORE_BUSY_TIMEOUT_MS	5000
#define STORE_CACHE_KIB		"24576"	/* page cache of a writer, in KiB: kithd stays < 64 MB */
#define STORE_WAL_PAGES		"8192"	/* WAL pages before a writer checkpoints */

/*
 * Open the database at `path`.  In STORE_WRITE mode a missing file and its
 * directory are created and the schema migrated forward in one transaction.
 * A database written by a newer kith (user_version above ours) is refused.
 * `cfg` (may be NULL) gives the people model the user's addresses, circles
 * and limits; it is borrowed and must outlive the store (see store_set_config).
 * On failure returns STORE_ERROR or STORE_BUSY after logging why.
 */
int store_open(const char *path, enum store_mode mode, const struct kith_config *cfg,
	       struct store **out);
void store_close(struct store *st);
void store_set_config(struct store *st, const struct kith_config *cfg);
const struct kith_config *store_config(const struct store *st);

/* The raw handle, for the other lib modules; never for the binaries. */
sqlite3 *store_db(struct store *st);

/*
 * A prepared statement for `sql`, cached for the store's lifetime and reset
 * with its bindings cleared; do not finalize it.  A bad statement is a bug
 * and aborts with the SQLite message.
 */
sqlite3_stmt *store_stmt(struct store *st, const char *sql);

/*
 * Values read back from the database are untrusted (the file may be
 * corrupt or edited): a date within [1970, now + 1 day], a score sum finite
 * and not negative.
 */
int64_t store_column_date(sqlite3_stmt *s, int col, int64_t now);
double store_column_score(sqlite3_stmt *s, int col);

/* Step a statement expected to finish (INSERT/UPDATE/DELETE); 0 or STORE_*. */
int store_step_done(struct store *st, sqlite3_stmt *stmt);

/* Transactions (BEGIN IMMEDIATE so writers queue at the start, not the end). */
int store_begin(struct store *st);
int store_commit(struct store *st);
void store_rollback(struct store *st);

/*
 * A write-back cache a module keeps during a transaction (one per store).
 * `flush` writes what it holds (0 or STORE_*); `drop` forgets it all;
 * `release` frees `arg`.  store_commit flushes before COMMIT and drops
 * after it; store_rollback drops; store_close releases.  Nothing is kept
 * across transactions: another process may write between them.
 */
struct store_hooks {
	int (*flush)(struct store *st, void *arg);
	void (*drop)(void *arg);
	void (*release)(void *arg);
};
void store_set_hooks(struct store *st, const struct store_hooks *hooks, void *arg);
/* The `arg` of store_set_hooks, NULL before; owned by the store. */
void *store_hooks_arg(const struct store *st);
/* Write the cache now, so that a read in this transaction sees it. */
int store_flush(struct store *st);

/* Key/value metadata (schema notes, daemon state). Returned string: free() it. */
int store_meta_set(struct store *st, const char *key, const char *value);
char *store_meta_get(struct store *st, const char *key);

/* Accounts and folders. */
int store_account(struct store *st, const char *name, int64_t *id);
int store_account_status(struct store *st, int64_t account_id, int64_t when,
			 const char *error /* NULL when the sync succeeded */);

struct store_folder {
	int64_t id;
	int64_t account_id;
	uint32_t uidvalidity;		/* 0 before the first sync */
	uint32_t last_uid;		/* highest UID stored */
	uint64_t highestmodseq;		/* 0 when the server offers none */
	int64_t last_sync;
	char *role;			/* "inbox", "sent", "archive", "all", or NULL */
};
/* The folder's row, created when missing.  *out's strings: store_folder_free(). */
int store_folder(struct store *st, int64_t account_id, const char *name, const char *role,
		 struct store_folder *out);
void store_folder_free(struct store_folder *f);

/*
 * The account's folders are now exactly `names`: the rows of the others
 * (renamed, deleted on the server, or no longer chosen) and their
 * locations are dropped, so that no stale role or count outlives them.
 * Messages stay (known by Message-ID).  Runs its own transaction; the
 * number of folders dropped in *dropped (may be NULL).
 */
int store_folders_keep(struct store *st, int64_t account_id, const char *const *names, size_t n,
		       size_t *dropped);

/*
 * UIDVALIDITY changed: forget which UIDs this folder held and start again
 * from UID 0 under the new value.  Messages themselves stay (they are known
 * by Message-ID), so re-reading the folder counts nothing twice.
 */
int store_folder_reset(struct store *st, int64_t folder_id, uint32_t uidvalidity);

/*
 * Advance a folder's sync point.  Call inside the transaction that stored
 * the messages it covers.
 */
int store_folder_syncpoint(struct store *st, int64_t folder_id, uint32_t last_uid,
			   uint64_t highestmodseq, int64_t when);

/* Where a stored message was seen: `uid` in `folder_id` (a UID seen again now names `message`). */
int store_add_location(struct store *st, int64_t folder_id, uint32_t uid, int64_t message);

/*
 * A header block is stored compressed.  A packer compresses blocks one
 * after another; it needs no database, so the thread that fetches can pack
 * while another stores.  store_own_packer() is the store's own (freed with
 * it), for callers on the store's thread.  store_pack's result: free().
 */
struct store_packer;
struct store_packer *store_packer_new(void);
void store_packer_free(struct store_packer *pk);
struct store_packer *store_own_packer(struct store *st);
unsigned char *store_pack(struct store_packer *pk, const char *data, size_t len, size_t *out_len);

struct kith_msg;

/*
 * Store a new message under `message_id`: the dates and subject of its
 * parsed header `m`, and its header block of `len` bytes as store_pack made
 * it.  *id: its row.  The store only stores: deciding whether the message
 * is new, and what it means for people, is ingest.c's (kith/ingest.h).
 */
int store_put_message(struct store *st, const char *message_id, const struct kith_msg *m,
		      const unsigned char *packed, size_t packed_len, size_t len, int64_t *id);

/* The stored header block of a message, for rebuild.  *out: free(). */
int store_message_header(struct store *st, int64_t message_id, char **out, size_t *len);

#endif
