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
	 * accounts it was seen in.  The header block is kept (compressed) so
	 * that a better people model never needs the mail fetched again.
	 */
	"CREATE TABLE messages ("
	"  id INTEGER PRIMARY KEY,"
	"  message_id TEXT NOT NULL UNIQUE,"
	"  internaldate INTEGER NOT NULL,"
	"  date INTEGER NOT NULL,"
	"  subject TEXT,"
	"  header BLOB NOT NULL,"		/* header block, compressed (store_pack) */
	"  header_len INTEGER NOT NULL,"	/* its size uncompressed */
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

	/*
	 * The desktop nudges shown, so that nothing is shown twice for the
	 * same due period.  person_key is the person's normalised address,
	 * which survives a rebuild; period is the due date (kind "due") or
	 * the Message-ID of the mail owed a reply (kind "reply").
	 */
	"CREATE TABLE notifications ("
	"  id INTEGER PRIMARY KEY,"
	"  person_key TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"			/* due, reply */
	"  period TEXT NOT NULL,"
	"  shown_at INTEGER NOT NULL,"
	"  channel TEXT NOT NULL,"		/* desktop, log */
	"  action TEXT,"			/* write, snooze, done, dismissed */
	"  acted_at INTEGER,"
	"  UNIQUE (person_key, kind, period)"
	");"
	"CREATE INDEX notifications_shown ON notifications(shown_at);"

	/*
	 * The people model (lib/people-*.c).  people, addresses,
	 * interactions and the tables after them up to user_* are derived:
	 * people_rebuild recomputes them from messages.header.  A person is
	 * known by a stable key (a normalised address, or "manual:N") that
	 * the user_* tables refer to, so that decisions outlive any rebuild.
	 */
	"CREATE TABLE people ("
	"  id INTEGER PRIMARY KEY,"
	"  key TEXT NOT NULL UNIQUE,"
	"  name TEXT,"				/* the spelling most seen in mail they wrote */
	"  name_from INTEGER NOT NULL DEFAULT 0,"	/* how often as author */
	"  name_other INTEGER NOT NULL DEFAULT 0,"	/* how often as recipient */
	"  relationship INTEGER NOT NULL DEFAULT 0,"	/* passed the gate (docs/architecture.md, Relationships) */
	"  gate_out INTEGER NOT NULL DEFAULT 0,"	/* direct messages from the user */
	"  gate_day INTEGER NOT NULL DEFAULT -1,"	/* the day of the first one */
	"  gate_days2 INTEGER NOT NULL DEFAULT 0,"	/* the user wrote on two days */
	"  gate_back INTEGER NOT NULL DEFAULT 0,"	/* they wrote to the user */
	"  gate_manual INTEGER NOT NULL DEFAULT 0,"	/* a logged meeting or call */
	"  s_out REAL NOT NULL DEFAULT 0,"		/* decayed sums at SCORE_EPOCH (model.h) */
	"  s_in REAL NOT NULL DEFAULT 0,"
	"  a_out REAL NOT NULL DEFAULT 0,"
	"  a_in REAL NOT NULL DEFAULT 0,"
	"  last_contact INTEGER NOT NULL DEFAULT 0,"
	"  last_sent INTEGER NOT NULL DEFAULT 0,"
	"  last_received INTEGER NOT NULL DEFAULT 0,"
	"  last_in_to INTEGER NOT NULL DEFAULT 0,"	/* their newest human mail with the user in To */
	"  last_subject TEXT,"
	"  days BLOB,"				/* contact days (int32, sorted), the recent window */
	"  messages INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE INDEX people_relationship ON people(relationship);"

	"CREATE TABLE addresses ("
	"  id INTEGER PRIMARY KEY,"
	"  addr TEXT NOT NULL UNIQUE,"		/* normalised (identity_normalize) */
	"  person INTEGER NOT NULL REFERENCES people(id),"
	"  n INTEGER NOT NULL DEFAULT 0,"	/* messages it appeared in */
	"  last_in INTEGER NOT NULL DEFAULT 0,"	/* newest message it sent */
	"  dead_at INTEGER NOT NULL DEFAULT 0,"	/* a bounce said it failed */
	"  name TEXT,"				/* its best display name */
	"  name_key TEXT"			/* identity_name_key(name) */
	");"
	"CREATE INDEX addresses_person ON addresses(person);"
	"CREATE INDEX addresses_name_key ON addresses(name_key);"

	"CREATE TABLE address_names ("
	"  address INTEGER NOT NULL REFERENCES addresses(id) ON DELETE CASCADE,"
	"  name TEXT NOT NULL,"
	"  n_from INTEGER NOT NULL DEFAULT 0,"
	"  n_other INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (address, name)"
	") WITHOUT ROWID;"

	/* dir: 0 the user wrote, 1 they wrote, 2 manual, 3 graph only (list, co-recipient). */
	"CREATE TABLE interactions ("
	"  id INTEGER PRIMARY KEY,"
	"  person INTEGER NOT NULL REFERENCES people(id),"
	"  address INTEGER REFERENCES addresses(id),"
	"  message INTEGER REFERENCES messages(id) ON DELETE CASCADE,"
	"  thread INTEGER,"
	"  at INTEGER NOT NULL,"
	"  dir INTEGER NOT NULL,"
	"  field INTEGER NOT NULL DEFAULT 0,"	/* score_field of the other side */
	"  weight REAL NOT NULL,"
	"  eligible INTEGER NOT NULL,"		/* a direct human exchange: refreshes */
	"  counted INTEGER NOT NULL,"		/* eligible and within the per-day cap: strength */
	"  direct INTEGER NOT NULL DEFAULT 0,"	/* at most max_recipients recipients */
	"  kind TEXT,"				/* manual: meeting, call, event, message */
	"  note TEXT"
	");"
	"CREATE INDEX interactions_person ON interactions(person, at);"
	"CREATE INDEX interactions_thread ON interactions(thread, person);"
	"CREATE INDEX interactions_message ON interactions(message);"

	/* Derived facts per message: its thread and normalised From. */
	"CREATE TABLE message_info ("
	"  message INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,"
	"  thread INTEGER NOT NULL,"
	"  from_addr TEXT"
	");"
	"CREATE INDEX message_info_from ON message_info(from_addr);"
	/* Message-IDs (and subject keys) to thread ids. */
	"CREATE TABLE thread_keys ("
	"  key TEXT PRIMARY KEY,"
	"  thread INTEGER NOT NULL"
	") WITHOUT ROWID;"
	/* Whom the user sent each of their messages to: reply-human and bounces. */
	"CREATE TABLE sent_to ("
	"  message_id TEXT NOT NULL,"
	"  addr TEXT NOT NULL,"
	"  PRIMARY KEY (message_id, addr)"
	") WITHOUT ROWID;"
	/* Addresses learned to be the user's (From in Sent ME_SENT_MIN times). */
	"CREATE TABLE me_learned ("
	"  addr TEXT PRIMARY KEY"
	") WITHOUT ROWID;"

	/* The user's decisions, keyed by person key; never touched by sync or rebuild. */
	"CREATE TABLE user_people ("
	"  key TEXT PRIMARY KEY,"
	"  name TEXT,"				/* a name the user gave */
	"  manual INTEGER NOT NULL DEFAULT 0,"	/* added with `kith add` */
	"  cadence INTEGER NOT NULL DEFAULT 0,"	/* seconds; 0 auto, -1 never */
	"  snoozed_until INTEGER NOT NULL DEFAULT 0,"
	"  ignored INTEGER NOT NULL DEFAULT 0"
	") WITHOUT ROWID;"
	/* An address's person, when the user merged or split it. */
	"CREATE TABLE user_identity ("
	"  addr TEXT PRIMARY KEY,"
	"  key TEXT NOT NULL"
	") WITHOUT ROWID;"
	"CREATE TABLE user_circles ("
	"  circle TEXT NOT NULL,"
	"  key TEXT NOT NULL,"
	"  PRIMARY KEY (circle, key)"
	") WITHOUT ROWID;"
	"CREATE TABLE user_notes ("
	"  id INTEGER PRIMARY KEY,"
	"  key TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  text TEXT NOT NULL"
	");"
	"CREATE INDEX user_notes_key ON user_notes(key);"
	"CREATE TABLE user_log ("
	"  id INTEGER PRIMARY KEY,"
	"  key TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  note TEXT"
	");"
	"CREATE INDEX user_log_key ON user_log(key);"
	"CREATE TABLE user_dismissals ("
	"  key TEXT NOT NULL,"
	"  at INTEGER NOT NULL"
	");"
	"CREATE INDEX user_dismissals_key ON user_dismissals(key, at);"
	"CREATE TABLE user_ignore_patterns ("
	"  pattern TEXT PRIMARY KEY"
	") WITHOUT ROWID;"
	,
	/*
	 * 1 -> 2: the Message-ID a message answers (In-Reply-To, else the last
	 * of References), so that "awaiting" can tell the user's question
	 * from their closing reply.  Filled by ingest and by people_rebuild.
	 */
	"ALTER TABLE message_info ADD COLUMN reply_to TEXT;"
	/*
	 * The per-day cap counts a person's counted interactions of one day:
	 * at most MAX_COUNTED_PER_DAY rows in this index, however many
	 * messages that day holds (a mass mailing from one sender would
	 * otherwise make every insert scan all of them).
	 */
	"CREATE INDEX interactions_counted ON interactions(person, dir, at) WHERE counted = 1;"
	,
	/*
	 * 2 -> 3: the co-recipient graph (lib/graph.c) reads every thread's
	 * people with their newest message; with `at` in the thread index
	 * that is one walk of the index, never a visit to the table.
	 */
	"DROP INDEX interactions_thread;"
	"CREATE INDEX interactions_thread ON interactions(thread, person, at);"
	,
	/*
	 * 3 -> 4: what makes every decision independent of the order mail
	 * arrives in.  A decision that depends on another message (an answer
	 * to the user's message, mail to a list learned later) is taken again
	 * when that message arrives: ingest queues the affected messages and
	 * people in `rederive` and `recompute`, and people_sync_done works
	 * them off.  message_refs and the new message_info columns let it
	 * find the answers to a message; list_addrs holds the lists' own
	 * addresses (List-Post, List-Id), which are never people.
	 */
	"ALTER TABLE message_info ADD COLUMN ti TEXT;"		/* Thread-Index conversation key */
	"ALTER TABLE message_info ADD COLUMN subj TEXT;"	/* subject without reply prefixes */
	"ALTER TABLE message_info ADD COLUMN opens INTEGER NOT NULL DEFAULT 0;"	/* not itself a reply */
	"ALTER TABLE message_info ADD COLUMN skey TEXT;"	/* subject and participants, no In-Reply-To */
	"ALTER TABLE message_info ADD COLUMN at INTEGER NOT NULL DEFAULT 0;"	/* messages.date */
	"CREATE INDEX message_info_skey ON message_info(skey, at) WHERE skey IS NOT NULL;"
	"CREATE INDEX message_info_ti ON message_info(ti) WHERE ti IS NOT NULL;"
	"CREATE INDEX message_info_subj ON message_info(subj, at) WHERE subj IS NOT NULL;"
	"CREATE TABLE message_refs ("
	"  ref TEXT NOT NULL,"			/* a Message-ID in In-Reply-To or References */
	"  message INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,"
	"  PRIMARY KEY (ref, message)"
	") WITHOUT ROWID;"
	"CREATE TABLE list_addrs ("
	"  addr TEXT PRIMARY KEY,"		/* normalised */
	"  message INTEGER"			/* a message that named it */
	") WITHOUT ROWID;"
	/* A message naming two threads joins them (people-message.c). */
	"CREATE INDEX thread_keys_thread ON thread_keys(thread);"
	"CREATE INDEX message_info_thread ON message_info(thread);"
	"CREATE TABLE rederive (message INTEGER PRIMARY KEY);"
	"CREATE TABLE recompute (person INTEGER PRIMARY KEY);"
	/* Where each learned address of the user was seen, for `kith status`. */
	"ALTER TABLE me_learned ADD COLUMN folder TEXT;"
	"ALTER TABLE me_learned ADD COLUMN n INTEGER NOT NULL DEFAULT 0;"
	/* Addresses the user said are not theirs: never learned again. */
	"CREATE TABLE user_not_me (addr TEXT PRIMARY KEY) WITHOUT ROWID;"
	/* The stored mail is read again with these rules at the next sync. */
	"INSERT OR REPLACE INTO meta(key, value) SELECT 'rebuild', '4' WHERE EXISTS (SELECT 1 FROM messages);"
	,
	/*
	 * 4 -> 5: identity.  Each address keeps the spellings its author
	 * wrote (the normalised form is a key, never shown), the span in
	 * which mail carried it (first_at, last_at: a job change is one
	 * address falling silent as another starts), and a person records
	 * whether they ever answered the user's own message (gate_reply: a
	 * role mailbox needs that to become a relationship).  A rebuild
	 * fills them exactly; the span is filled here from the interactions.
	 */
	"ALTER TABLE addresses ADD COLUMN first_at INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE addresses ADD COLUMN last_at INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE people ADD COLUMN gate_reply INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE address_spellings ("
	"  address INTEGER NOT NULL REFERENCES addresses(id) ON DELETE CASCADE,"
	"  spelling TEXT NOT NULL,"		/* as written, the domain lower-cased */
	"  n INTEGER NOT NULL DEFAULT 0,"
	"  last_at INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (address, spelling)"
	") WITHOUT ROWID;"
	/*
	 * Merge suggestions found at the last sync or rebuild, by normalised
	 * address (addr_b NULL or the user's own with rule "yours"), so that
	 * `kith due` can hold back a duplicate without pairing everyone.
	 */
	"CREATE TABLE merge_pairs ("
	"  addr_a TEXT NOT NULL,"
	"  addr_b TEXT,"
	"  rule INTEGER NOT NULL,"		/* enum merge_rule */
	"  name TEXT,"
	"  reason TEXT NOT NULL"
	");"
	"UPDATE addresses SET first_at = t.f, last_at = t.l FROM ("
	"  SELECT address, min(at) AS f, max(at) AS l FROM interactions WHERE address IS NOT NULL "
	"  GROUP BY address) AS t WHERE t.address = addresses.id;"
	"UPDATE people SET gate_reply = 1 WHERE id IN (SELECT i.person FROM interactions i "
	"  JOIN messages m ON m.id = i.message WHERE i.dir = 1 AND m.class = 'reply-human');"
	,
	/* 5 -> 6 to 8 -> 9: no change; steps numbered but left empty. */
	"",
	"",
	"",
	"",
	/*
	 * 9 -> 10: events, a decision of the user's like the other user_*
	 * tables.  Their people are the members of the circle "event:NAME"
	 * (user_circles); `circle` is a circle they also join.
	 */
	"CREATE TABLE user_events ("
	"  name TEXT PRIMARY KEY,"
	"  at INTEGER NOT NULL,"		/* the day it took place */
	"  circle TEXT,"
	"  created INTEGER NOT NULL"
	") WITHOUT ROWID;"
	,
	/*
	 * 10 -> 11: a blast's recipients are people the user is seen with
	 * (merge suggestions compare their addresses), mail that names none
	 * of the user's addresses shows the user's likely own, and numbered
	 * mailing senders are bulk: the stored mail is read again with these
	 * rules at the next sync.
	 */
	"INSERT OR REPLACE INTO meta(key, value) SELECT 'rebuild', '11' WHERE EXISTS (SELECT 1 FROM messages);"
	,
	/*
	 * 11 -> 12: the merge suggestions found again after every sync look
	 * for the user's own recent mail and for mail that named none of the
	 * user's addresses; both are a few messages among a million, and
	 * without these small indexes each look read every message (seconds
	 * at each new mail on a big store).
	 */
	"CREATE INDEX messages_mine ON messages(date) WHERE class IN ('self', 'note');"
	"CREATE INDEX messages_stray ON messages(id) WHERE rule = 'user-not-addressed';"
	,
	/*
	 * 12 -> 13: `kith replies` reads the eligible mail in To of the last
	 * weeks, either way, in one range of this index (it holds all it
	 * needs) instead of each person's interactions: a few thousand rows
	 * of a million.
	 */
	"CREATE INDEX interactions_recent ON interactions(at, person, dir, message) "
	"WHERE eligible = 1 AND field = 0;"
	,
};

const size_t store_nmigrations = sizeof(store_migrations) / sizeof(store_migrations[0]);
