/* people-ingest.c - from one stored message to people, interactions and threads (see docs/architecture.md). */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "kith/classify.h"
#include "kith/config.h"
#include "kith/header.h"
#include "kith/identity.h"
#include "kith/model.h"
#include "kith/people.h"
#include "kith/score.h"
#include "kith/store.h"
#include "kith/util.h"
#include "people-private.h"
#include "store-private.h"

int
people_max_recipients(const struct store *st)
{
	const struct kith_config *cfg = store_config(st);

	return cfg && cfg->max_recipients > 0 ? cfg->max_recipients : DEFAULT_MAX_RECIPIENTS;
}

bool
people_is_me(struct store *st, const char *norm)
{
	const struct kith_config *cfg = store_config(st);
	sqlite3_stmt *s;
	bool found;

	if (!norm)
		return false;
	if (cfg && identity_me_match(&cfg->me, norm))
		return true;
	s = store_stmt(st, "SELECT 1 FROM me_learned WHERE addr = ?1");
	sqlite3_bind_text(s, 1, norm, -1, SQLITE_STATIC);
	found = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return found;
}

static bool
norm_is_me(void *arg, const char *untagged)
{
	return people_is_me(arg, untagged);
}

char *
people_norm(struct store *st, const char *addr)
{
	return identity_normalize(addr, norm_is_me, st);
}

bool
people_env_is_me(void *arg, const char *addr)
{
	char *n = people_norm(arg, addr);
	bool r = people_is_me(arg, n);

	free(n);
	return r;
}

bool
people_env_user_sent_to(void *arg, const char *message_id, const char *addr)
{
	struct store *st = arg;
	sqlite3_stmt *s;
	char *n = people_norm(st, addr);
	bool found;

	if (!n || !message_id)
		return free(n), false;
	s = store_stmt(st, "SELECT 1 FROM sent_to WHERE message_id = ?1 AND addr = ?2");
	sqlite3_bind_text(s, 1, message_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, n, -1, SQLITE_STATIC);
	found = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	free(n);
	return found;
}

int
people_by_key(struct store *st, const char *key, bool create, int64_t *id)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id FROM people WHERE key = ?1");
	int rc;

	*id = 0;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		return STORE_OK;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, "looking up a person");
	if (!create)
		return STORE_OK;
	s = store_stmt(st, "INSERT INTO people(key) VALUES (?1)");
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	if ((rc = store_step_done(st, s)) != STORE_OK)
		return rc;
	*id = sqlite3_last_insert_rowid(store_db(st));
	return STORE_OK;
}

char *
people_key(struct store *st, int64_t id)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT key FROM people WHERE id = ?1");
	char *key = NULL;

	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW)
		key = xstrdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	if (!key)
		log_error("no person with id %lld", (long long)id);
	return key;
}

/* A display name worth counting: trimmed, bounded, and not an address. */
static char *
clean_name(const char *name, const char *norm)
{
	char *c, *t;
	size_t n;

	if (!name)
		return NULL;
	c = xstrdup(name);
	t = str_trim(c);
	n = strlen(t);
	while (n >= 2 && (t[0] == '\'' || t[0] == '"') && t[n - 1] == t[0]) {
		t[n - 1] = '\0';
		t = str_trim(t + 1);
		n = strlen(t);
	}
	if (n > NAME_MAX_LEN) {
		n = NAME_MAX_LEN;
		while (n > 0 && ((unsigned char)t[n] & 0xc0) == 0x80)
			n--;
		t[n] = '\0';
	}
	if (*t == '\0' || strchr(t, '@') || str_ieq(t, norm)) {
		free(c);
		return NULL;
	}
	memmove(c, t, strlen(t) + 1);
	return c;
}

/*
 * Count a spelling of the person's name; the most seen in mail they wrote
 * wins.  `addr_name` is the address's current name (may be NULL).
 */
static int
record_name(struct store *st, struct pc_addr *a, const char *name, bool author)
{
	int64_t address = a->id, person = a->person;
	const char *addr_name = a->name;
	sqlite3_stmt *s;
	int64_t nf, no, pf = 0, po = 0;
	char *cur = NULL, *key;
	int rc;

	s = store_stmt(st, "INSERT INTO address_names(address, name, n_from, n_other) VALUES (?1, ?2, ?3, ?4) "
			   "ON CONFLICT(address, name) DO UPDATE SET n_from = n_from + excluded.n_from, "
			   "n_other = n_other + excluded.n_other");
	sqlite3_bind_int64(s, 1, address);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, author);
	sqlite3_bind_int(s, 4, !author);
	if ((rc = store_step_done(st, s)) != STORE_OK)
		return rc;
	/*
	 * The usual case: the spelling the person already goes by, which the
	 * address has too.  Its counts only grow, so it stays the winner and
	 * the sums over their addresses grow by this one message.
	 */
	if (addr_name && strcmp(addr_name, name) == 0) {
		s = store_stmt(st, "UPDATE people SET name_from = name_from + ?3, name_other = name_other + ?4 "
				   "WHERE id = ?1 AND name = ?2");
		sqlite3_bind_int64(s, 1, person);
		sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 3, author);
		sqlite3_bind_int(s, 4, !author);
		if ((rc = store_step_done(st, s)) != STORE_OK)
			return rc;
		if (sqlite3_changes(store_db(st)) == 1)
			return STORE_OK;
	}
	s = store_stmt(st, "SELECT sum(an.n_from), sum(an.n_other) FROM address_names an "
			   "JOIN addresses a ON a.id = an.address WHERE a.person = ?1 AND an.name = ?2");
	sqlite3_bind_int64(s, 1, person);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_ROW) {
		rc = store_fail(st, "counting names");
		sqlite3_reset(s);
		return rc;
	}
	nf = sqlite3_column_int64(s, 0);
	no = sqlite3_column_int64(s, 1);
	sqlite3_reset(s);
	s = store_stmt(st, "SELECT name, name_from, name_other FROM people WHERE id = ?1");
	sqlite3_bind_int64(s, 1, person);
	if (sqlite3_step(s) == SQLITE_ROW) {
		if (sqlite3_column_type(s, 0) != SQLITE_NULL)
			cur = xstrdup((const char *)sqlite3_column_text(s, 0));
		pf = sqlite3_column_int64(s, 1);
		po = sqlite3_column_int64(s, 2);
	}
	sqlite3_reset(s);
	/* Ties go to the smaller spelling, as people_recompute decides: any order, one name. */
	if (cur && strcmp(cur, name) != 0 &&
	    (nf < pf || (nf == pf && (no < po || (no == po && strcmp(cur, name) < 0))))) {
		free(cur);
		return STORE_OK;
	}
	free(cur);
	s = store_stmt(st, "UPDATE people SET name = ?2, name_from = ?3, name_other = ?4 WHERE id = ?1");
	sqlite3_bind_int64(s, 1, person);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, nf);
	sqlite3_bind_int64(s, 4, no);
	if ((rc = store_step_done(st, s)) != STORE_OK)
		return rc;
	key = identity_name_key(name);
	s = store_stmt(st, "UPDATE addresses SET name = ?2, name_key = ?3 WHERE id = ?1");
	sqlite3_bind_int64(s, 1, address);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	if (key)
		sqlite3_bind_text(s, 3, key, -1, SQLITE_STATIC);
	rc = store_step_done(st, s);
	free(key);
	if (rc == STORE_OK && a->name != name) {
		free(a->name);
		a->name = xstrdup(name);
	}
	return rc;
}

/*
 * Count the spelling the author used.  Only spellings other than the
 * normalised form get a row: the rest of addresses.n is that form.
 */
static int
record_spelling(struct store *st, int64_t address, const char *norm, const char *raw, int64_t at)
{
	sqlite3_stmt *s;
	char *spelling = identity_spelling(raw);
	int rc = STORE_OK;

	if (spelling && strcmp(spelling, norm) != 0) {
		s = store_stmt(st, "INSERT INTO address_spellings(address, spelling, n, last_at) "
				   "VALUES (?1, ?2, 1, ?3) ON CONFLICT(address, spelling) DO UPDATE SET "
				   "n = n + 1, last_at = max(last_at, excluded.last_at)");
		sqlite3_bind_int64(s, 1, address);
		sqlite3_bind_text(s, 2, spelling, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 3, at);
		rc = store_step_done(st, s);
	}
	free(spelling);
	return rc;
}

int
people_touch_address(struct store *st, const char *norm, const char *raw, const char *name, bool author,
		     int64_t at, int64_t *person, int64_t *address)
{
	sqlite3_stmt *s;
	struct pc_addr *a;
	char *key = NULL, *clean = NULL;
	int64_t id, pid;
	int rc;

	if (!(a = people_cache_addr(st, norm))) {
		s = store_stmt(st, "SELECT id, person, name FROM addresses WHERE addr = ?1");
		sqlite3_bind_text(s, 1, norm, -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			id = sqlite3_column_int64(s, 0);
			pid = sqlite3_column_int64(s, 1);
			rc = people_cache_addr_add(st, norm, id, pid, (const char *)sqlite3_column_text(s, 2), &a);
			sqlite3_reset(s);
			if (rc != STORE_OK)
				return rc;
		} else {
			sqlite3_reset(s);
			if (rc != SQLITE_DONE)
				return store_fail(st, "looking up an address");
			/* The user's merges and splits decide whose address it is. */
			s = store_stmt(st, "SELECT key FROM user_identity WHERE addr = ?1");
			sqlite3_bind_text(s, 1, norm, -1, SQLITE_STATIC);
			if (sqlite3_step(s) == SQLITE_ROW)
				key = xstrdup((const char *)sqlite3_column_text(s, 0));
			sqlite3_reset(s);
			rc = people_by_key(st, key ? key : norm, true, &pid);
			free(key);
			if (rc != STORE_OK)
				return rc;
			s = store_stmt(st, "INSERT INTO addresses(addr, person) VALUES (?1, ?2)");
			sqlite3_bind_text(s, 1, norm, -1, SQLITE_STATIC);
			sqlite3_bind_int64(s, 2, pid);
			if ((rc = store_step_done(st, s)) != STORE_OK)
				return rc;
			id = sqlite3_last_insert_rowid(store_db(st));
			if ((rc = people_cache_addr_add(st, norm, id, pid, NULL, &a)) != STORE_OK)
				return rc;
		}
	}
	*address = a->id;
	*person = a->person;
	/* A message derived again was counted for this address the first time. */
	if (people_cache_counted(st, a->id))
		return people_cache_written(st);
	/* addresses.n and last_in are written with the cache (people-cache.c). */
	a->dn++;
	if (author && at > a->last_in)
		a->last_in = at;
	if (at > 0 && (a->first_at == 0 || at < a->first_at))
		a->first_at = at;
	if (at > a->last_at)
		a->last_at = at;
	if ((rc = record_spelling(st, a->id, norm, raw, at)) != STORE_OK)
		return rc;
	if ((clean = clean_name(name, norm)))
		rc = record_name(st, a, clean, author);
	else
		rc = STORE_OK;
	free(clean);
	if (rc == STORE_OK)
		rc = people_cache_written(st);
	return rc;
}

/* ---- aggregates ----------------------------------------------------------- */

static void
agg_reset(struct agg *a)
{
	free(a->days);
	memset(a, 0, sizeof(*a));
	a->gate_day = -1;
}

static int64_t
day_of(int64_t t)
{
	return t >= 0 ? t / DAY_SECS : -((-t + DAY_SECS - 1) / DAY_SECS);
}

/* Keep the sorted contact days of the rhythm window before the newest one. */
static void
agg_add_day(struct agg *a, int64_t day)
{
	size_t lo = 0, hi = a->ndays, i, keep;
	int32_t newest;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (a->days[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < a->ndays && a->days[lo] == day)
		return;
	a->days = xreallocarray(a->days, a->ndays + 1, sizeof(*a->days));
	memmove(a->days + lo + 1, a->days + lo, (a->ndays - lo) * sizeof(*a->days));
	a->days[lo] = (int32_t)day;
	a->ndays++;
	newest = a->days[a->ndays - 1];
	for (keep = 0; keep < a->ndays && a->days[keep] < newest - RHYTHM_MAX_DAYS; keep++)
		;
	if (keep) {
		for (i = keep; i < a->ndays; i++)
			a->days[i - keep] = a->days[i];
		a->ndays -= keep;
	}
}

static void
agg_apply(struct agg *a, const struct ix *ix, bool counted)
{
	int64_t day = day_of(ix->at);

	a->messages++;
	if (ix->dir == DIR_GRAPH)
		return;
	if (ix->dir == DIR_OUT && ix->eligible && ix->direct) {
		a->gate_out++;
		if (a->gate_day < 0)
			a->gate_day = day;
		else if (a->gate_day != day)
			a->gate_days2 = 1;
	}
	if (ix->dir == DIR_IN && ix->eligible)
		a->gate_back = 1;
	if (ix->dir == DIR_IN && ix->eligible && ix->personal)
		a->gate_reply = 1;
	if (ix->dir == DIR_MANUAL)
		a->gate_manual = 1;
	if (!ix->eligible)
		return;
	if (counted) {
		double w = ix->dir == DIR_MANUAL ? ix->weight / 2 : ix->weight;

		if (ix->dir == DIR_OUT || ix->dir == DIR_MANUAL) {
			a->s_out += score_term(w, ix->at, STRENGTH_HALF_LIFE);
			a->a_out += score_term(w, ix->at, ACTIVITY_HALF_LIFE);
		}
		if (ix->dir == DIR_IN || ix->dir == DIR_MANUAL) {
			a->s_in += score_term(w, ix->at, STRENGTH_HALF_LIFE);
			a->a_in += score_term(w, ix->at, ACTIVITY_HALF_LIFE);
		}
	}
	if (ix->at >= a->last_contact) {
		a->last_contact = ix->at;
		a->subject = ix->subject;
		a->subject_set = true;
	}
	if (ix->dir == DIR_OUT && ix->at > a->last_sent)
		a->last_sent = ix->at;
	if (ix->dir == DIR_IN && ix->at > a->last_received)
		a->last_received = ix->at;
	if (ix->dir == DIR_IN && ix->field == FIELD_TO && ix->at > a->last_in_to)
		a->last_in_to = ix->at;
	agg_add_day(a, day);
}

/* How many of the person's interactions that way on that day count already. */
static int
counted_on(struct store *st, struct pc_person *p, enum ix_dir dir, int64_t day, int *n)
{
	sqlite3_stmt *s;
	int rc;

	if (p->cap_known[dir] && p->cap_day[dir] == day) {
		*n = p->cap_n[dir];
		return STORE_OK;
	}
	s = store_stmt(st, "SELECT count(*) FROM interactions WHERE person = ?1 AND dir = ?2 "
			   "AND counted = 1 AND at >= ?3 AND at < ?4");
	sqlite3_bind_int64(s, 1, p->id);
	sqlite3_bind_int(s, 2, dir);
	sqlite3_bind_int64(s, 3, day * DAY_SECS);
	sqlite3_bind_int64(s, 4, day * DAY_SECS + DAY_SECS);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		rc = store_fail(st, "counting a day's interactions");
		sqlite3_reset(s);
		return rc;
	}
	*n = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	/* Mail comes roughly in date order: the next one is likely the same day. */
	p->cap_known[dir] = true;
	p->cap_day[dir] = day;
	p->cap_n[dir] = *n;
	return STORE_OK;
}

/*
 * Does the interaction come after every counted one of its person, way and
 * day, in the order people_recompute counts them (time, then Message-ID)?
 */
static bool
after_counted(struct store *st, const struct ix *ix, int64_t day)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT i.at, m.message_id, (SELECT message_id FROM messages WHERE id = ?5) "
					 "FROM interactions i JOIN messages m ON m.id = i.message "
					 "WHERE i.person = ?1 AND i.dir = ?2 AND i.counted = 1 AND i.at >= ?3 AND i.at < ?4 "
					 "ORDER BY i.at DESC, m.message_id DESC LIMIT 1");
	bool after = false;

	sqlite3_bind_int64(s, 1, ix->person);
	sqlite3_bind_int(s, 2, ix->dir);
	sqlite3_bind_int64(s, 3, day * DAY_SECS);
	sqlite3_bind_int64(s, 4, day * DAY_SECS + DAY_SECS);
	sqlite3_bind_int64(s, 5, ix->message);
	if (ix->message && sqlite3_step(s) == SQLITE_ROW) {
		int64_t at = sqlite3_column_int64(s, 0);
		const char *last = (const char *)sqlite3_column_text(s, 1);
		const char *mine = (const char *)sqlite3_column_text(s, 2);

		after = ix->at > at || (ix->at == at && last && mine && strcmp(mine, last) > 0);
	}
	sqlite3_reset(s);
	return after;
}

int
people_add_interaction(struct store *st, const struct ix *ix)
{
	sqlite3_stmt *s;
	struct pc_person *p;
	bool counted = ix->eligible, capped = false;
	int64_t day = day_of(ix->at);
	int rc, n = 0;

	if ((rc = people_cache_person(st, ix->person, &p)) != STORE_OK)
		return rc;
	/* At most MAX_COUNTED_PER_DAY messages a day, each way, add strength. */
	if (counted && (ix->dir == DIR_OUT || ix->dir == DIR_IN)) {
		if ((rc = counted_on(st, p, ix->dir, day, &n)) != STORE_OK)
			return rc;
		if (n >= MAX_COUNTED_PER_DAY) {
			/*
			 * Which of the day's messages count must not depend on
			 * the order they arrived in: the first by time and
			 * Message-ID.  Mail arriving in that order is simply
			 * not counted; else people_recompute decides.
			 */
			counted = false;
			if (!after_counted(st, ix, day) && (rc = people_queue_person(st, ix->person)) != STORE_OK)
				return rc;
		} else {
			capped = true;
		}
	}
	/* Two contacts in one second: the last subject is decided by people_recompute too. */
	if (ix->eligible && ix->at == p->a.last_contact && (rc = people_queue_person(st, ix->person)) != STORE_OK)
		return rc;
	s = store_stmt(st, "INSERT INTO interactions(person, address, message, thread, at, dir, field, weight, "
			   "eligible, counted, direct, kind, note) "
			   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
	sqlite3_bind_int64(s, 1, ix->person);
	if (ix->address)
		sqlite3_bind_int64(s, 2, ix->address);
	if (ix->message)
		sqlite3_bind_int64(s, 3, ix->message);
	if (ix->thread)
		sqlite3_bind_int64(s, 4, ix->thread);
	sqlite3_bind_int64(s, 5, ix->at);
	sqlite3_bind_int(s, 6, ix->dir);
	sqlite3_bind_int(s, 7, ix->field);
	sqlite3_bind_double(s, 8, ix->weight);
	sqlite3_bind_int(s, 9, ix->eligible);
	sqlite3_bind_int(s, 10, counted);
	sqlite3_bind_int(s, 11, ix->direct);
	if (ix->kind)
		sqlite3_bind_text(s, 12, ix->kind, -1, SQLITE_STATIC);
	if (ix->note)
		sqlite3_bind_text(s, 13, ix->note, -1, SQLITE_STATIC);
	if ((rc = store_step_done(st, s)) != STORE_OK)
		return rc;
	if (capped)
		p->cap_n[ix->dir]++;
	agg_apply(&p->a, ix, counted);
	/* The subject must outlive the message: the row is written at commit. */
	if (p->a.subject != p->subject) {
		char *copy = p->a.subject ? xstrdup(p->a.subject) : NULL;

		free(p->subject);
		p->subject = copy;
		p->a.subject = copy;
	}
	p->dirty = true;
	return people_cache_written(st);
}

/* A stored interaction, for recomputing. */
struct ix_row {
	int64_t id;
	struct ix ix;
	char *subject, *kind, *note;
	size_t seq;
	bool counted, was_counted;
};

static int
cmp_cap(const void *pa, const void *pb)
{
	const struct ix_row *a = *(struct ix_row *const *)pa, *b = *(struct ix_row *const *)pb;
	int64_t da = day_of(a->ix.at), db = day_of(b->ix.at);

	if (a->ix.dir != b->ix.dir)
		return a->ix.dir < b->ix.dir ? -1 : 1;
	if (da != db)
		return da < db ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

int
people_recompute(struct store *st, int64_t person)
{
	sqlite3_stmt *s;
	struct ix_row *rows = NULL, **order = NULL;
	struct agg a = { 0 };
	size_t n = 0, i, run;
	int64_t now = kith_now();
	int rc;

	/* Recomputed from the rows: the cached person would overwrite the result. */
	if ((rc = people_cache_sync(st)) != STORE_OK)
		return rc;
	/*
	 * In an order that depends on the mail, never on when it arrived: the
	 * per-day cap, the sums and the last subject come out the same
	 * whatever order the folders were read in.
	 */
	s = store_stmt(st, "SELECT i.id, i.at, i.dir, i.field, i.weight, i.eligible, i.direct, i.kind, "
			   "i.note, m.subject, i.counted, m.class = 'reply-human' FROM interactions i "
			   "LEFT JOIN messages m ON m.id = i.message LEFT JOIN addresses a ON a.id = i.address "
			   "WHERE i.person = ?1 ORDER BY i.message IS NULL, i.at, m.message_id, a.addr, i.id");
	sqlite3_bind_int64(s, 1, person);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct ix_row *r;

		rows = xreallocarray(rows, n + 1, sizeof(*rows));
		r = &rows[n];
		memset(r, 0, sizeof(*r));
		r->id = sqlite3_column_int64(s, 0);
		r->ix.person = person;
		r->ix.at = store_column_date(s, 1, now);
		r->ix.dir = (enum ix_dir)sqlite3_column_int(s, 2);
		r->ix.field = (enum score_field)sqlite3_column_int(s, 3);
		r->ix.weight = store_column_score(s, 4);
		r->ix.eligible = sqlite3_column_int(s, 5);
		r->ix.direct = sqlite3_column_int(s, 6);
		if (sqlite3_column_type(s, 7) != SQLITE_NULL)
			r->kind = xstrdup((const char *)sqlite3_column_text(s, 7));
		if (sqlite3_column_type(s, 8) != SQLITE_NULL)
			r->note = xstrdup((const char *)sqlite3_column_text(s, 8));
		if (sqlite3_column_type(s, 9) != SQLITE_NULL)
			r->subject = xstrdup((const char *)sqlite3_column_text(s, 9));
		r->was_counted = sqlite3_column_int(s, 10);
		r->ix.personal = sqlite3_column_int(s, 11);
		r->seq = n++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		rc = store_fail(st, "reading interactions");
		goto out;
	}
	rc = STORE_OK;

	/* Re-apply the per-day cap in that order. */
	order = xcalloc(n ? n : 1, sizeof(*order));
	for (i = 0; i < n; i++) {
		rows[i].counted = rows[i].ix.eligible;
		order[i] = &rows[i];
	}
	if (n > 1)
		qsort(order, n, sizeof(*order), cmp_cap);
	for (i = 0, run = 0; i < n; i++) {
		struct ix_row *r = order[i];

		if (i > 0 && (order[i - 1]->ix.dir != r->ix.dir ||
			      day_of(order[i - 1]->ix.at) != day_of(r->ix.at)))
			run = 0;
		if (!r->counted || (r->ix.dir != DIR_OUT && r->ix.dir != DIR_IN))
			continue;
		if (run >= MAX_COUNTED_PER_DAY)
			r->counted = false;
		else
			run++;
	}

	agg_reset(&a);
	{
		char *key = people_key(st, person);

		a.role = identity_is_role(key);
		free(key);
	}
	for (i = 0; i < n; i++) {
		rows[i].ix.subject = rows[i].ix.dir == DIR_MANUAL ? (rows[i].note ? rows[i].note : rows[i].kind)
								   : rows[i].subject;
		agg_apply(&a, &rows[i].ix, rows[i].counted);
		if (rows[i].counted == rows[i].was_counted)
			continue;
		s = store_stmt(st, "UPDATE interactions SET counted = ?2 WHERE id = ?1");
		sqlite3_bind_int64(s, 1, rows[i].id);
		sqlite3_bind_int(s, 2, rows[i].counted);
		if ((rc = store_step_done(st, s)) != STORE_OK)
			goto out;
	}
	if (!a.subject_set)
		a.subject_set = true;	/* no contact left: no subject either */
	if ((rc = people_agg_store(st, person, &a)) != STORE_OK)
		goto out;

	/* The name: the spelling most seen across all their addresses. */
	s = store_stmt(st, "UPDATE people SET name = NULL, name_from = 0, name_other = 0 WHERE id = ?1");
	sqlite3_bind_int64(s, 1, person);
	if ((rc = store_step_done(st, s)) != STORE_OK)
		goto out;
	s = store_stmt(st, "UPDATE people SET name = b.name, name_from = b.f, name_other = b.o FROM ("
			   "SELECT an.name, sum(an.n_from) AS f, sum(an.n_other) AS o FROM address_names an "
			   "JOIN addresses ad ON ad.id = an.address WHERE ad.person = ?1 "
			   "GROUP BY an.name ORDER BY f DESC, o DESC, an.name LIMIT 1) AS b WHERE people.id = ?1");
	sqlite3_bind_int64(s, 1, person);
	rc = store_step_done(st, s);
out:
	for (i = 0; i < n; i++) {
		free(rows[i].subject);
		free(rows[i].kind);
		free(rows[i].note);
	}
	free(rows);
	free(order);
	free(a.days);
	return rc;
}

int
people_manual_interaction(struct store *st, const char *key, int64_t at, const char *kind, const char *note)
{
	struct ix ix = { 0 };
	int rc;

	if ((rc = people_by_key(st, key, true, &ix.person)) != STORE_OK)
		return rc;
	ix.at = at;
	ix.dir = DIR_MANUAL;
	ix.weight = W_MANUAL;
	ix.eligible = ix.direct = true;
	ix.kind = kind;
	ix.note = note;
	ix.subject = note ? note : kind;
	return people_add_interaction(st, &ix);
}
