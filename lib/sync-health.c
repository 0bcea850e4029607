/* sync-health.c - is the stored mail current?  So an empty answer is not taken for a true one. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kith/config.h"
#include "kith/paths.h"
#include "kith/status.h"
#include "kith/store.h"
#include "kith/util.h"
#include "kith/words.h"
#include "store-private.h"

#define STALE_MIN_SECS 3600	/* never stale within an hour, whatever the poll interval */

static const struct kith_account *
configured(const struct kith_config *cfg, const char *name)
{
	size_t i;

	for (i = 0; cfg && i < cfg->naccounts; i++)
		if (strcmp(cfg->accounts[i].name, name) == 0)
			return &cfg->accounts[i];
	return NULL;
}

static int64_t
stale_after(const struct kith_account *a)
{
	int64_t poll = a ? a->poll_interval : 15 * 60;
	int64_t t = SYNC_STALE_POLLS * poll;

	return t < STALE_MIN_SECS ? STALE_MIN_SECS : t;
}

/* Keep the worst finding: a failure outranks staleness, which outranks nothing. */
static int
rank(int h)
{
	static const int order[] = { [SYNC_CURRENT] = 0, [SYNC_STALE] = 1, [SYNC_NEVER] = 2,
				     [SYNC_FAILED] = 3 };

	return order[h];
}

static void
note(int *worst, char **why, int h, char *msg)
{
	if (rank(h) > rank(*worst)) {
		*worst = h;
		free(*why);
		*why = msg;
	} else {
		free(msg);
	}
}

int
sync_health(struct store *st, const struct kith_config *cfg, int64_t now, char **why)
{
	sqlite3_stmt *s;
	int health = SYNC_CURRENT, rc;
	size_t seen = 0;
	/*
	 * A running kithd records an account's sync when a pass ends and when
	 * one fails, not while it waits on IDLE with nothing new: then quiet
	 * is not staleness, and a dead link shows as the error it becomes.
	 */
	bool daemon_up = paths_daemon_pid(sqlite3_db_filename(store_db(st), "main")) != 0;
	bool messages = false;
	char span[64];

	*why = NULL;
	/* Whether there is any mail, not how much: counting read every page of the table. */
	s = store_stmt(st, "SELECT EXISTS (SELECT 1 FROM messages)");
	if (sqlite3_step(s) == SQLITE_ROW)
		messages = sqlite3_column_int(s, 0) != 0;
	sqlite3_reset(s);

	s = store_stmt(st, "SELECT name, coalesce(last_sync, 0), last_error FROM accounts ORDER BY name");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(s, 0);
		int64_t last = sqlite3_column_int64(s, 1);
		const char *err = (const char *)sqlite3_column_text(s, 2);
		const struct kith_account *a = configured(cfg, name);

		/* An account since removed from the configuration is not the user's concern. */
		if (cfg && cfg->naccounts > 0 && !a)
			continue;
		seen++;
		if (err)
			note(&health, why, SYNC_FAILED,
			     xasprintf("the last sync of account '%s' failed: %s", name, err));
		else if (last == 0)
			note(&health, why, SYNC_NEVER, xasprintf("account '%s' has never been synced", name));
		else if (!daemon_up && now - last > stale_after(a))
			note(&health, why, SYNC_STALE,
			     xasprintf("account '%s' was last synced %s ago", name,
				       kith_duration_words(now - last, span, sizeof(span))));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		free(*why);
		*why = NULL;
		store_fail(st, "reading accounts");
		return -1;
	}
	if (seen == 0 && cfg && cfg->naccounts > 0)
		note(&health, why, SYNC_NEVER,
		     xasprintf("no mail has been synced yet: kithd has not read account '%s'",
			       cfg->accounts[0].name));
	else if (seen == 0 && !messages)
		note(&health, why, SYNC_NEVER, xstrdup("no mail has been synced yet"));
	return health;
}
