/* notify.h - the daily desktop nudge, run beside sync in its own thread. */
#ifndef KITH_NOTIFY_H
#define KITH_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kith/util.h"

struct kith_config;
struct notifier;

/* Days a nudge's "Snooze 2 weeks" puts a person aside. */
#define NOTIFY_SNOOZE_SECS	(14 * DAY_SECS)
/* Owed replies older than this may join the digest. */
#define NOTIFY_REPLY_AGE_SECS	(7 * DAY_SECS)
/* How often the notifier looks at the clock between pokes. */
#define NOTIFY_CHECK_SECS	60
/* How long notifier_stop waits for a notification server that hangs. */
#define NOTIFY_STOP_WAIT_SECS	2
/* The meta key holding the date of the last digest shown (local YYYY-MM-DD). */
#define META_NOTIFY_LAST_DIGEST	"notify.last_digest"

/*
 * Start the notifier thread.  It opens its own connection to the database
 * at `db_path` and runs its own GLib main context, so that libnotify's
 * blocking calls (up to 25 s when a notification server hangs) and its
 * action callbacks never touch the thread that syncs.  `cfg` is borrowed:
 * the notifier loads its own copy from cfg->path (the defaults when NULL).
 * The digest is checked at once, after every poke, and every minute.
 * Returns NULL after logging why when the thread cannot start.  Free with
 * notifier_stop().
 */
struct notifier *notifier_start(const struct kith_config *cfg, const char *db_path);

/*
 * The configuration was reloaded: take its [notify] settings, circles and
 * addresses.  `cfg` is borrowed (it is re-read from cfg->path).  With
 * notify.enabled = no the notifier stays idle until enabled again.
 */
void notifier_reload(struct notifier *n, const struct kith_config *cfg);

/* A sync round finished: check whether a digest is due now.  Never blocks. */
void notifier_poke(struct notifier *n);

/*
 * kithd --once: show (or log) a digest that is due now, in the calling
 * thread, and return.  Actions on the nudges need the running daemon.
 * Returns 0, or -1 when the database cannot be opened.
 */
int notifier_once(const struct kith_config *cfg, const char *db_path);

/*
 * Stop the thread and free the notifier (NULL is fine).  Waits at most
 * NOTIFY_STOP_WAIT_SECS for a call into a hung notification server, then
 * leaves the thread behind for process exit rather than stall shutdown.
 */
void notifier_stop(struct notifier *n);

/*
 * The scheduling rules, exposed for tests.  notify_digest_slot: the local
 * date ("YYYY-MM-DD" in buf, at least 11 bytes) of the latest digest time at
 * or before `now`; returns that instant.  notify_quiet: is `now` (local
 * time) inside the quiet hours of `cfg`?  notify_day_start: local midnight
 * starting the day of `now`.
 */
int64_t notify_digest_slot(int64_t now, int digest_minutes, char *buf, size_t len);
bool notify_quiet(const struct kith_config *cfg, int64_t now);
int64_t notify_day_start(int64_t now);

#endif
