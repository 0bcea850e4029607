/* people-derive.c - which stored copy a fetched message is, whatever order copies arrive in. */
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
 * A decision that depends on another message (an answer to the user's
 * message, mail to a list whose address is learned later) is taken again
 * when that message arrives: ingest queues the messages and people it
 * affects (tables rederive and recompute, one row at a time through
 * people-cache.c or in bulk in people-message.c), and
 * people_sync_done works the queues off after each folder's sync
 * (people-rederive.c), so that the stored result is the one a complete
 * read gives, whatever came first.  Here: the copies of one Message-ID,
 * decided for ingest.c before a message is stored.
 */

/* The order in which copies claim a Message-ID: the user's first, then by address. */
static bool
copy_before(struct store *st, const char *a, const char *b)
{
	bool ma = people_is_me(st, a), mb = people_is_me(st, b);

	if (ma != mb)
		return ma;
	return strcmp(a ? a : "", b ? b : "") < 0;
}

int
people_copy_key(struct store *st, const char *mid, const struct kith_msg *m, int64_t *existing, char **key)
{
	const struct msg_addr *from = m->from.n ? &m->from.v[0] : m->sender.n ? &m->sender.v[0] : NULL;
	char *fnew = from ? people_norm(st, from->addr) : NULL, *fold = NULL, *alt = NULL;
	sqlite3_stmt *s;
	int64_t id = 0;
	int rc = STORE_OK;

	*existing = 0;
	*key = NULL;
	s = store_stmt(st, "SELECT m.id, mi.from_addr FROM messages m LEFT JOIN message_info mi ON mi.message = m.id "
			   "WHERE m.message_id = ?1");
	sqlite3_bind_text(s, 1, mid, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW) {
		id = sqlite3_column_int64(s, 0);
		if (sqlite3_column_type(s, 1) != SQLITE_NULL)
			fold = xstrdup((const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_reset(s);
	if (!id) {
		*key = xstrdup(mid);
		goto out;
	}
	if ((!fold && !fnew) || (fold && fnew && strcmp(fold, fnew) == 0)) {
		*existing = id;
		goto out;
	}
	alt = xasprintf("%s from %s", mid, fnew ? fnew : "nobody");
	s = store_stmt(st, "SELECT id FROM messages WHERE message_id = ?1");
	sqlite3_bind_text(s, 1, alt, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		*existing = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (*existing)
		goto out;
	if (!copy_before(st, fnew, fold)) {
		*key = alt;
		alt = NULL;
		goto out;
	}
	/* This copy is the user's: the one stored before gives the Message-ID up. */
	free(alt);
	alt = xasprintf("%s from %s", mid, fold ? fold : "nobody");
	s = store_stmt(st, "UPDATE messages SET message_id = ?2 WHERE id = ?1");
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, alt, -1, SQLITE_STATIC);
	if ((rc = store_step_done(st, s)) == STORE_OK)
		rc = people_queue_message(st, id);
	*key = xstrdup(mid);
out:
	free(fnew);
	free(fold);
	free(alt);
	return rc;
}
