/* people-seed.c - new ties and the events they were met at: state, follow-ups, counts. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kith/config.h"
#include "kith/identity.h"
#include "kith/model.h"
#include "kith/people.h"
#include "kith/score.h"
#include "kith/seed.h"
#include "kith/store.h"
#include "kith/util.h"
#include "people-private.h"
#include "store-private.h"

#define EVENT_PREFIX "event:"

void
people_seed_params(const struct store *st, struct seed_params *p)
{
	const struct kith_config *cfg = store_config(st);
	size_t i;

	seed_params_default(p);
	if (!cfg)
		return;
	if (cfg->seed_days > 0)
		p->days = cfg->seed_days;
	for (i = 0; i < 3; i++)
		if (cfg->seed_steps[i] > 0)
			p->steps[i] = cfg->seed_steps[i];
	if (cfg->seed_lost > 0)
		p->lost = cfg->seed_lost;
}

int64_t
people_seed_window(const struct store *st)
{
	struct seed_params p;

	people_seed_params(st, &p);
	return p.days > SEED_LIST_DAYS * DAY_SECS ? p.days : SEED_LIST_DAYS * DAY_SECS;
}

/* The event each person was first met at: the earliest of their event circles. */
static int
load_events(struct store *st, struct evset *es)
{
	sqlite3_stmt *s;
	int rc;

	s = store_stmt(st, "SELECT p.id, e.name FROM user_events e "
			   "JOIN user_circles uc ON uc.circle = '" EVENT_PREFIX "' || e.name "
			   "CROSS JOIN people p ON p.key = uc.key ORDER BY e.at, e.name");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct ev *e = people_ev_find(es, sqlite3_column_int64(s, 0));

		if (e && !e->event)
			e->event = xstrdup((const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? STORE_OK : store_fail(st, "reading events");
}

/*
 * The first direct interaction of a person (its time and direction), and
 * whether they answered: they wrote, or a meeting or call was logged on a
 * later day than the first contact (meeting them again is an answer too).
 */
static int
first_contact(struct store *st, struct ev *e, int64_t *first, int *dir, bool *answered)
{
	sqlite3_stmt *s;
	int64_t next_day;
	int rc;

	*first = 0;
	*dir = DIR_OUT;
	*answered = e->gate_back;
	s = store_stmt(st, "SELECT at, dir, note FROM interactions WHERE person = ?1 AND eligible = 1 AND dir < 3 "
			   "ORDER BY at LIMIT 1");
	sqlite3_bind_int64(s, 1, e->id);
	rc = sqlite3_step(s);
	/* A card of an imported address book was not met: no new tie until mail or a meeting says so. */
	if (rc == SQLITE_ROW && !(sqlite3_column_int(s, 1) == DIR_MANUAL && sqlite3_column_type(s, 2) == SQLITE_TEXT &&
				 strcmp((const char *)sqlite3_column_text(s, 2), PEOPLE_IMPORTED) == 0)) {
		*first = sqlite3_column_int64(s, 0);
		*dir = sqlite3_column_int(s, 1);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, "reading a first contact");
	if (!*first || *answered)
		return STORE_OK;
	next_day = (*first / DAY_SECS + 1) * DAY_SECS;
	s = store_stmt(st, "SELECT 1 FROM interactions WHERE person = ?1 AND dir = 2 AND eligible = 1 "
			   "AND coalesce(kind, '') <> 'message' AND at >= ?2 LIMIT 1");
	sqlite3_bind_int64(s, 1, e->id);
	sqlite3_bind_int64(s, 2, next_day);
	rc = sqlite3_step(s);
	*answered = rc == SQLITE_ROW;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, "reading logged meetings");
	return STORE_OK;
}

/*
 * An active seed with no rhythm of its own is followed up in steps: its
 * cadence is the step (doubled by each dismissal, as any cadence is), and
 * it is suggested once the step has passed.  A seed need not pass the
 * relationship gate, and "you wrote last" does not hold it back: following
 * up a message that got no answer is the point.
 */
static void
seed_due(struct ev *e)
{
	struct score_result *r = &e->res;
	const struct score_input *in = &e->in;
	int64_t step = e->seed.step, last = e->seed_in.last_contact, age;
	int d;

	for (d = 0; d < e->dismissals && step < INT64_MAX / 4; d++)
		step *= 2;
	e->seed.next_follow_up = last + step;
	r->source = CADENCE_SEED;
	r->cadence = step;
	memset(&r->rhythm, 0, sizeof(r->rhythm));
	age = in->now - last;
	if (age < 0)
		age = 0;
	r->ratio = (double)age / (double)step;
	r->status = score_status(r->ratio);
	r->priority = 0;
	if (in->ignored)
		r->why_not = "ignored";
	else if (in->bounced)
		r->why_not = "address bounced";
	else if (in->snoozed_until > in->now)
		r->why_not = "snoozed";
	else if (in->now < e->seed.next_follow_up)
		r->why_not = "not due yet";
	else if (in->last_received > in->last_sent && in->last_received >= in->last_contact &&
		 in->now - in->last_received < UNANSWERED_WINDOW)
		r->why_not = "owed reply";
	else
		r->why_not = NULL;
	r->suggested = r->why_not == NULL;
	if (r->suggested)
		r->priority = score_priority(SEED_TIER, r->ratio, r->reciprocity, e->dismissals, in->focus);
}

int
people_seed_eval(struct store *st, struct evset *es, int64_t window)
{
	struct seed_params sp;
	int64_t now = es->now, from_day = (now - window) / DAY_SECS - 1;
	size_t i;
	int rc;

	people_seed_params(st, &sp);
	if ((rc = load_events(st, es)) != STORE_OK)
		return rc;
	for (i = 0; i < es->n; i++) {
		struct ev *e = &es->v[i];
		struct seed_input *in = &e->seed_in;
		int64_t first;
		bool answered;
		int dir;

		/* Only the user's own step makes a new tie: mail they only received is not one. */
		if (e->ncontact == 0 || e->first_day < from_day || !(e->gate_out || e->gate_manual || e->manual))
			continue;
		/* A role mailbox is no new tie until it has answered in person, as for relationships. */
		if (!e->manual && !e->relationship) {
			char *key = people_key(st, e->id);
			bool role = key && identity_is_role(key);

			free(key);
			if (role)
				continue;
		}
		if ((rc = first_contact(st, e, &first, &dir, &answered)) != STORE_OK)
			return rc;
		if (!first || now - first >= window || first > now)
			continue;
		memset(in, 0, sizeof(*in));
		in->now = now;
		in->first_contact = first;
		in->last_contact = e->last_contact;
		in->contact_days = e->ncontact;
		in->answered = answered;
		in->rhythm = e->res.source == CADENCE_LEARNED || e->res.source == CADENCE_PERSON ||
			     e->res.source == CADENCE_CIRCLE;
		in->cadence = e->res.cadence;
		e->origin = e->event ? ORIGIN_EVENT
			  : (e->manual || dir == DIR_MANUAL) ? ORIGIN_ADDED : ORIGIN_MAIL;
		seed_eval(&sp, in, &e->seed);
		if (e->seed.active && e->seed.state != SEED_LOST && !in->rhythm &&
		    e->res.source != CADENCE_NEVER)
			seed_due(e);
	}
	return STORE_OK;
}

static int
cmp_first(const void *pa, const void *pb)
{
	const struct ev *a = *(struct ev *const *)pa, *b = *(struct ev *const *)pb;

	if (a->seed_in.first_contact != b->seed_in.first_contact)
		return a->seed_in.first_contact > b->seed_in.first_contact ? -1 : 1;
	return (a->id > b->id) - (a->id < b->id);
}

int
people_seeds(struct store *st, int64_t now, int64_t days, struct person_list *out)
{
	struct evset es;
	struct ev **sel;
	size_t i, n = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = people_evaluate(st, now, false, &es)) != STORE_OK)
		return rc;
	/* The evaluation looked back people_seed_window; the list may look further. */
	if (days * DAY_SECS > people_seed_window(st) &&
	    (rc = people_seed_eval(st, &es, days * DAY_SECS)) != STORE_OK)
		goto out;
	sel = xcalloc(es.n ? es.n : 1, sizeof(*sel));
	for (i = 0; i < es.n; i++)
		if (es.v[i].seed.state != SEED_NONE && now - es.v[i].seed_in.first_contact < days * DAY_SECS)
			sel[n++] = &es.v[i];
	if (n > 1)
		qsort(sel, n, sizeof(*sel), cmp_first);
	out->v = xcalloc(n ? n : 1, sizeof(*out->v));
	for (i = 0; i < n; i++) {
		if ((rc = people_fill(st, sel[i], now, &out->v[out->n])) != STORE_OK) {
			person_list_free(out);
			break;
		}
		out->n++;
	}
	free(sel);
out:
	people_evset_free(&es);
	return rc;
}

/* ---- events ---- */

void
event_item_free(struct event_item *e)
{
	if (!e)
		return;
	free(e->name);
	free(e->circle);
	free(e->also);
	memset(e, 0, sizeof(*e));
}

void
event_list_free(struct event_list *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++)
		event_item_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void
event_from_row(sqlite3_stmt *s, struct event_item *e)
{
	memset(e, 0, sizeof(*e));
	e->name = xstrdup((const char *)sqlite3_column_text(s, 0));
	e->at = sqlite3_column_int64(s, 1);
	if (sqlite3_column_type(s, 2) != SQLITE_NULL)
		e->also = xstrdup((const char *)sqlite3_column_text(s, 2));
	e->circle = xasprintf(EVENT_PREFIX "%s", e->name);
}

int
people_event_get(struct store *st, const char *name, struct event_item *out)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT name, at, circle FROM user_events WHERE name = ?1");
	int rc;

	memset(out, 0, sizeof(*out));
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		event_from_row(s, out);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, "reading an event");
	return STORE_OK;
}

int
people_event_add(struct store *st, const char *name, int64_t at, const char *circle)
{
	struct event_item old;
	sqlite3_stmt *s;
	int rc;

	if (!name || !*name) {
		log_error("an event needs a name");
		return STORE_ERROR;
	}
	if ((rc = people_event_get(st, name, &old)) != STORE_OK)
		return rc;
	if (old.name) {
		log_error("there is already an event '%s'", name);
		event_item_free(&old);
		return STORE_ERROR;
	}
	s = store_stmt(st, "INSERT INTO user_events(name, at, circle, created) VALUES (?1, ?2, ?3, ?4)");
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, at);
	if (circle && *circle)
		sqlite3_bind_text(s, 3, circle, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, kith_now());
	return store_step_done(st, s);
}

int
people_event_join(struct store *st, const struct event_item *ev, int64_t id)
{
	int rc;

	if ((rc = people_circle(st, ev->circle, id, true)) != STORE_OK)
		return rc;
	if (ev->also)
		rc = people_circle(st, ev->also, id, true);
	return rc;
}

int
people_events(struct store *st, int64_t now, struct event_list *out)
{
	struct evset es = { 0 };
	sqlite3_stmt *s;
	size_t cap = 0, i, j;
	int rc;

	memset(out, 0, sizeof(*out));
	s = store_stmt(st, "SELECT name, at, circle FROM user_events ORDER BY at DESC, name");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (out->n == cap) {
			cap = cap ? cap * 2 : 8;
			out->v = xreallocarray(out->v, cap, sizeof(*out->v));
		}
		event_from_row(s, &out->v[out->n++]);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		event_list_free(out);
		return store_fail(st, "reading events");
	}
	if (out->n == 0)
		return STORE_OK;
	if ((rc = people_evaluate(st, now, false, &es)) != STORE_OK) {
		event_list_free(out);
		return rc;
	}
	/* An event's people may have been met long ago: its own date bounds the look back. */
	for (i = 0, cap = 0; i < out->n; i++)
		if (now - out->v[i].at > (int64_t)cap)
			cap = (size_t)(now - out->v[i].at);
	if ((int64_t)cap + 2 * DAY_SECS > people_seed_window(st) &&
	    (rc = people_seed_eval(st, &es, (int64_t)cap + 2 * DAY_SECS)) != STORE_OK)
		goto out;
	for (i = 0; i < es.n; i++) {
		struct ev *e = &es.v[i];

		for (j = 0; j < out->n; j++) {
			struct event_item *ev = &out->v[j];

			if (!people_ev_in_circle(e, ev->circle))
				continue;
			ev->people++;
			/* The counts are of those first met there, not of old friends who came too. */
			if (!e->event || strcmp(e->event, ev->name) != 0)
				continue;
			if (e->seed.state == SEED_GROWING)
				ev->growing++;
			else if (e->seed.state == SEED_WAITING)
				ev->waiting++;
			else if (e->seed.state == SEED_LOST)
				ev->lost++;
		}
	}
out:
	people_evset_free(&es);
	if (rc != STORE_OK)
		event_list_free(out);
	return rc;
}

/* ---- addresses ---- */

int
people_find_address(struct store *st, const char *addr, int64_t *id)
{
	sqlite3_stmt *s;
	char *norm;
	int rc;

	*id = 0;
	if (!(norm = people_norm(st, addr)))
		return STORE_OK;
	if ((rc = people_cache_sync(st)) != STORE_OK) {
		free(norm);
		return rc;
	}
	s = store_stmt(st, "SELECT person FROM addresses WHERE addr = ?1");
	sqlite3_bind_text(s, 1, norm, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	free(norm);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, "reading an address");
	return STORE_OK;
}

bool
people_address_is_me(struct store *st, const char *addr)
{
	char *norm = people_norm(st, addr);
	bool me = norm && people_is_me(st, norm);

	free(norm);
	return me;
}
