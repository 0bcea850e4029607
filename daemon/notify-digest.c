/* notify-digest.c - what goes in the daily nudge, and the record of what was shown. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib.h>

#include "kith/config.h"
#include "kith/log.h"
#include "kith/model.h"
#include "kith/people.h"
#include "kith/store.h"
#include "kith/util.h"
#include "kith/words.h"
#include "notify.h"
#include "notify-private.h"

void
candidate_free(struct candidate *c)
{
	free(c->person_key);
	free(c->period);
	free(c->name);
	free(c->email);
	free(c->subject);
	free(c->summary);
	free(c->body);
	memset(c, 0, sizeof(*c));
}

/* --- scheduling --------------------------------------------------------- */

static void
local_tm(int64_t t, struct tm *tm)
{
	time_t tt = (time_t)t;

	localtime_r(&tt, tm);
}

int64_t
notify_day_start(int64_t now)
{
	struct tm tm;

	local_tm(now, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

int64_t
notify_digest_slot(int64_t now, int digest_minutes, char *buf, size_t len)
{
	struct tm tm;
	int64_t t;

	local_tm(now, &tm);
	tm.tm_hour = digest_minutes / 60;
	tm.tm_min = digest_minutes % 60;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	t = (int64_t)mktime(&tm);
	if (t > now) {
		/* Not yet today: the slot that counts is yesterday's. */
		local_tm(now, &tm);
		tm.tm_mday -= 1;
		tm.tm_hour = digest_minutes / 60;
		tm.tm_min = digest_minutes % 60;
		tm.tm_sec = 0;
		tm.tm_isdst = -1;
		t = (int64_t)mktime(&tm);
	}
	strftime(buf, len, "%Y-%m-%d", &tm);
	return t;
}

bool
notify_quiet(const struct kith_config *cfg, int64_t now)
{
	struct tm tm;
	int m, a = cfg->notify.quiet_start, b = cfg->notify.quiet_end;

	if (!cfg->notify.has_quiet || a == b)
		return false;
	local_tm(now, &tm);
	m = tm.tm_hour * 60 + tm.tm_min;
	if (a < b)
		return m >= a && m < b;
	return m >= a || m < b;		/* the range wraps midnight */
}

/* --- the store side ----------------------------------------------------- */

/* Nudges (shown or logged) since local midnight. */
int
digest_shown_today(struct store *st, int64_t now, int *count)
{
	sqlite3_stmt *q = store_stmt(st,
		"SELECT count(*) FROM notifications WHERE shown_at >= ? AND shown_at < ?");
	int64_t start = notify_day_start(now);

	sqlite3_bind_int64(q, 1, start);
	sqlite3_bind_int64(q, 2, start + DAY_SECS + 3600);	/* a DST day may be 25 h */
	if (sqlite3_step(q) != SQLITE_ROW) {
		log_warnx("notify: cannot count today's nudges: %s", sqlite3_errmsg(store_db(st)));
		sqlite3_reset(q);
		return -1;
	}
	*count = sqlite3_column_int(q, 0);
	sqlite3_reset(q);
	return 0;
}

/*
 * Was this due period shown already?  A snooze that has run out opens the
 * period again: the person asked to be reminded, not to be forgotten.
 */
static bool
already_shown(struct store *st, const char *key, const char *kind, const char *period)
{
	sqlite3_stmt *q = store_stmt(st,
		"SELECT action FROM notifications WHERE person_key = ? AND kind = ? AND period = ?");
	bool shown = false;

	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, period, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW) {
		const char *action = (const char *)sqlite3_column_text(q, 0);

		shown = !(action && strcmp(action, "snooze") == 0);
	}
	sqlite3_reset(q);
	return shown;
}

int
digest_record_shown(struct store *st, const struct candidate *c, int64_t now, const char *channel)
{
	sqlite3_stmt *q = store_stmt(st,
		"INSERT INTO notifications (person_key, kind, period, shown_at, channel)"
		" VALUES (?, ?, ?, ?, ?)"
		" ON CONFLICT (person_key, kind, period) DO UPDATE SET"
		"  shown_at = excluded.shown_at, channel = excluded.channel,"
		"  action = NULL, acted_at = NULL");

	sqlite3_bind_text(q, 1, c->person_key, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, c->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, c->period, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, now);
	sqlite3_bind_text(q, 5, channel, -1, SQLITE_STATIC);
	return store_step_done(st, q) == STORE_OK ? 0 : -1;
}

int
digest_record_action(struct store *st, const struct candidate *c, const char *action, int64_t now)
{
	sqlite3_stmt *q = store_stmt(st,
		"UPDATE notifications SET action = ?, acted_at = ?"
		" WHERE person_key = ? AND kind = ? AND period = ?");

	sqlite3_bind_text(q, 1, action, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, now);
	sqlite3_bind_text(q, 3, c->person_key, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, c->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, c->period, -1, SQLITE_STATIC);
	return store_step_done(st, q) == STORE_OK ? 0 : -1;
}

/* --- building the digest ------------------------------------------------ */

#define SEED_PERIOD "seed:"

/*
 * The people model's own key for a person (stable across rebuilds, and
 * "manual:N" for people added by hand, who may have no address), so the
 * notifier and the CLI never disagree about who is who.
 */
static char *
person_key(struct store *st, int64_t id, int64_t now)
{
	struct person p;
	char *k;

	if (people_get(st, id, now, &p) != 0)
		return xasprintf("id:%lld", (long long)id);
	k = xstrdup(p.key ? p.key : "");
	person_free(&p);
	return k;
}

/* New ties nudged since local midnight: their periods start with SEED_PERIOD. */
static int
seeds_shown_today(struct store *st, int64_t now)
{
	sqlite3_stmt *q = store_stmt(st, "SELECT count(*) FROM notifications WHERE kind = 'due' "
					 "AND period LIKE '" SEED_PERIOD "%' AND shown_at >= ?1 AND shown_at < ?2");
	int64_t start = notify_day_start(now);
	int n = 0;

	sqlite3_bind_int64(q, 1, start);
	sqlite3_bind_int64(q, 2, start + DAY_SECS + 3600);
	if (sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int(q, 0);
	sqlite3_reset(q);
	return n;
}

static void
due_candidate(const struct person *p, struct candidate *c)
{
	struct strbuf body = { 0 };
	char *reason = g_markup_escape_text(p->reason && *p->reason ? p->reason : "time to reconnect", -1);

	memset(c, 0, sizeof(*c));
	c->kind = "due";
	c->person_id = p->id;
	c->person_key = xstrdup(p->key ? p->key : "");
	/* A new tie's period says so: the digest shows few of them a day. */
	c->period = p->cadence_source == CADENCE_SEED
		? xasprintf(SEED_PERIOD "%lld", (long long)p->next_follow_up)
		: xasprintf("%lld", (long long)(p->last_contact + p->cadence));
	/* People added by hand may have no address: a name, and no Write. */
	c->name = p->name && *p->name ? xstrdup(p->name)
		: p->email ? xstrdup(p->email) : xasprintf("#%lld", (long long)p->id);
	c->email = p->email ? xstrdup(p->email) : NULL;
	c->summary = xstrdup(c->name);
	sb_adds(&body, reason);
	if (p->last_subject && *p->last_subject) {
		char *subj = g_markup_escape_text(p->last_subject, -1);

		sb_addf(&body, "\nlast: \u201c%s\u201d", subj);
		g_free(subj);
	}
	c->body = sb_detach(&body);
	g_free(reason);
}

static void
reply_candidate(struct store *st, const struct reply_item *r, int64_t now, struct candidate *c)
{
	char wait[48];
	char *subj = g_markup_escape_text(r->subject ? r->subject : "", -1);

	memset(c, 0, sizeof(*c));
	c->kind = "reply";
	c->person_id = r->id;
	c->person_key = person_key(st, r->id, now);
	c->period = xstrdup(r->message_id ? r->message_id : "");
	c->name = xstrdup(r->name && *r->name ? r->name : r->email);
	c->email = xstrdup(r->email);
	c->subject = r->subject ? xstrdup(r->subject) : NULL;
	c->since = r->since;
	c->summary = xasprintf("Reply to %s", c->name);
	/* The words `kith replies` uses for the same wait. */
	kith_duration_words(now - r->since, wait, sizeof(wait));
	c->body = *subj ? xasprintf("waiting for your answer for %s\n\u201c%s\u201d", wait, subj)
			: xasprintf("waiting for your answer for %s", wait);
	g_free(subj);
}

static int
by_since(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;

	return (x->since > y->since) - (x->since < y->since);
}

/*
 * Choose today's nudges: due people in the people model's order (focus
 * circles first; at most SEED_DIGEST_MAX new ties a day beyond those of a
 * focus circle), one slot kept for the oldest reply owed for over a week
 * when there are two slots or more, more replies only when too few people
 * are due.  Returns the number put in out[] (at most `room`), or -1.
 */
int
digest_choose(struct store *st, int64_t now, int room, struct candidate *out)
{
	struct person_list due = { 0 };
	struct reply_list owed = { 0 }, awaiting = { 0 };
	struct candidate *dc = NULL, *rc = NULL;
	size_t nd = 0, nr = 0, i;
	int take_d, take_r, k = 0, ret = -1, seeds;

	if (people_due(st, now, NULL, false, 0, &due) != 0 ||
	    people_replies(st, now, &owed, &awaiting) != 0) {
		log_warnx("notify: cannot read who is due");
		goto out;
	}
	dc = xcalloc(due.n + 1, sizeof(*dc));
	seeds = seeds_shown_today(st, now);
	for (i = 0; i < due.n; i++) {
		/*
		 * New ties wait their turn: at most SEED_DIGEST_MAX a day, so
		 * that a conference does not take over the digest, unless a
		 * focus circle asks for them.
		 */
		bool seed = due.v[i].cadence_source == CADENCE_SEED && !due.v[i].focus;

		if (seed && seeds >= SEED_DIGEST_MAX)
			continue;
		due_candidate(&due.v[i], &dc[nd]);
		if (already_shown(st, dc[nd].person_key, dc[nd].kind, dc[nd].period)) {
			candidate_free(&dc[nd]);
			continue;
		}
		nd++;
		seeds += seed;
	}
	rc = xcalloc(owed.n + 1, sizeof(*rc));
	for (i = 0; i < owed.n; i++) {
		if (!owed.v[i].message_id || now - owed.v[i].since < NOTIFY_REPLY_AGE_SECS)
			continue;
		reply_candidate(st, &owed.v[i], now, &rc[nr]);
		if (already_shown(st, rc[nr].person_key, rc[nr].kind, rc[nr].period))
			candidate_free(&rc[nr]);
		else
			nr++;
	}
	qsort(rc, nr, sizeof(*rc), by_since);

	/* A reply joins the people due only when there is room for both. */
	take_r = nr > 0 && (room > 1 || nd == 0) ? 1 : 0;
	take_d = (int)nd < room - take_r ? (int)nd : room - take_r;
	if (take_d + take_r < room)
		take_r = (int)nr < room - take_d ? (int)nr : room - take_d;
	for (i = 0; i < nd; i++) {
		if (k < take_d)
			out[k++] = dc[i];
		else
			candidate_free(&dc[i]);
	}
	for (i = 0; i < nr; i++) {
		bool dup = false;
		int x;

		for (x = 0; x < k; x++)
			dup |= strcmp(out[x].person_key, rc[i].person_key) == 0;
		if (take_r > 0 && !dup) {
			out[k++] = rc[i];
			take_r--;
		} else {
			candidate_free(&rc[i]);
		}
	}
	ret = k;
out:
	free(dc);
	free(rc);
	person_list_free(&due);
	reply_list_free(&owed);
	reply_list_free(&awaiting);
	return ret;
}
