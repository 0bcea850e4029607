/* schema.c - the database schema, as forward migrations. */
#include "config.h"

#include "store-private.h"

/*
 * store_migrations[i] brings a database from user_version i to i + 1.
 * A released step is never edited: add a new one.
 *
 * Derived rows (classes, addresses, people, interactions) can always be
 * recomputed from messages.header; the user's decisions live in the
 * tables prefixed "user_" and are never touched by sync or rebuild.
 */
const char *const store_migrations[] = {
	/* 0 -> 1 */
	"CREATE TABLE meta ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT"
	") WITHOUT ROWID;"

	"CREATE TABLE accounts ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  last_sync INTEGER,"		/* last successful sync */
	"  last_attempt INTEGER,"
	"  last_error TEXT"		/* NULL after a successful sync */
	");"

	"CREATE TABLE folders ("
	"  id INTEGER PRIMARY KEY,"
	"  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
	"  name TEXT NOT NULL,"		/* as the server spells it (modified UTF-7) */
	"  role TEXT,"			/* inbox, sent, archive, all */
	"  uidvalidity INTEGER NOT NULL DEFAULT 0,"
	"  last_uid INTEGER NOT NULL DEFAULT 0,"
	"  highestmodseq INTEGER NOT NULL DEFAULT 0,"
	"  last_sync INTEGER,"
	"  UNIQUE (account_id, name)"
	");"

	/*
	 * One row per distinct message, whatever the number of folders and
	 * accounts it was seen in.  The header block is kept (deflated) so
	 * that a better people model never needs the mail fetched again.
	 */
	"CREATE TABLE messages ("
	"  id INTEGER PRIMARY KEY,"
	"  message_id TEXT NOT NULL UNIQUE,"
	"  internaldate INTEGER NOT NULL,"
	"  date INTEGER NOT NULL,"
	"  subject TEXT,"
	"  header BLOB NOT NULL,"		/* zlib-deflated header block */
	"  header_len INTEGER NOT NULL,"	/* its inflated size */
	"  class TEXT,"				/* derived: classify */
	"  rule TEXT"				/* derived: the rule that decided */
	");"
	"CREATE INDEX messages_date ON messages(date);"

	"CREATE TABLE locations ("
	"  folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,"
	"  uid INTEGER NOT NULL,"
	"  message INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,"
	"  PRIMARY KEY (folder_id, uid)"
	") WITHOUT ROWID;"
	"CREATE INDEX locations_message ON locations(message);"
	,
};

const size_t store_nmigrations = sizeof(store_migrations) / sizeof(store_migrations[0]);
