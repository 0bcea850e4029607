/* people-eval.c - everyone's score at "now" from the per-person aggregates, in one scan. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kith/config.h"
#include "kith/model.h"
#include "kith/people.h"
#include "kith/score.h"
#include "kith/store.h"
#include "kith/util.h"
#include "people-private.h"
#include "store-private.h"

const char *
person_status_name(enum person_status s)
{
	switch (s) {
	case STATUS_NONE: return "none";
	case STATUS_OK: return "ok";
	case STATUS_DUE: return "due";
	case STATUS_OVERDUE: return "overdue";
	case STATUS_DORMANT: return "dormant";
	}
	return "none";
}

const char *
cadence_source_name(enum cadence_source s)
{
	switch (s) {
	case CADENCE_PERSON: return "person";
	case CADENCE_CIRCLE: return "circle";
	case CADENCE_LEARNED: return "learned";
	case CADENCE_TIER: return "tier";
	case CADENCE_NEVER: return "never";
	case CADENCE_SEED: return "seed";
	}
	return "tier";
}

void
person_free(struct person *p)
{
	size_t i;

	if (!p)
		return;
	free(p->key);
	free(p->name);
	free(p->email);
	for (i = 0; i < p->naddresses; i++)
		free(p->addresses[i]);
	free(p->addresses);
	for (i = 0; i < p->ncircles; i++)
		free(p->circles[i]);
	free(p->circles);
	free(p->last_subject);
	free(p->reason);
	free(p->cadence_words);
	free(p->why_not);
	free(p->note);
	free(p->event);
	memset(p, 0, sizeof(*p));
}

void
person_list_free(struct person_list *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++)
		person_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

struct ev *
people_ev_find(const struct evset *es, int64_t id)
{
	size_t lo = 0, hi = es->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (es->v[mid].id < id)
			lo = mid + 1;
		else if (es->v[mid].id > id)
			hi = mid;
		else
			return &es->v[mid];
	}
	return NULL;
}

bool
people_ev_in_circle(const struct ev *e, const char *circle)
{
	size_t i;

	for (i = 0; i < e->ncircles; i++)
		if (strcmp(e->circles[i], circle) == 0)
			return true;
	return false;
}

static void
ev_add_circle(struct ev *e, const char *name)
{
	if (people_ev_in_circle(e, name))
		return;
	e->circles = xreallocarray(e->circles, e->ncircles + 1, sizeof(*e->circles));
	e->circles[e->ncircles++] = xstrdup(name);
}

/* Free what one row of an evaluation holds (days, circles, held, event); the row itself stays. */
static void
people_ev_free(struct ev *e)
{
	size_t j;

	free(e->days);
	free(e->held);
	for (j = 0; j < e->ncircles; j++)
		free(e->circles[j]);
	free(e->circles);
	free(e->event);
	e->days = NULL;
	e->held = e->event = NULL;
	e->circles = NULL;
	e->ndays = e->ncircles = 0;
}

void
people_evset_free(struct evset *es)
{
	size_t i;

	for (i = 0; i < es->n; i++)
		people_ev_free(&es->v[i]);
	free(es->v);
	memset(es, 0, sizeof(*es));
}

/* Ranking by strength: the key beside the pointer keeps the sort in cache. */
struct ranked {
	double strength;
	int64_t id;
	struct ev *e;
};

static int
cmp_strength(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;

	if (a->strength != b->strength)
		return a->strength > b->strength ? -1 : 1;
	return (a->id > b->id) - (a->id < b->id);
}

static bool
pattern_match(const struct strlist *pats, const char *addr)
{
	size_t i;

	for (i = 0; i < pats->n; i++)
		if (config_addr_match(pats->v[i], addr))
			return true;
	return false;
}

/* Addresses: bounces, ignore patterns and circle members by glob. */
static int
scan_addresses(struct store *st, struct evset *es)
{
	const struct kith_config *cfg = store_config(st);
	struct strlist pats = { 0 };
	sqlite3_stmt *s;
	size_t i;
	int rc;

	s = store_stmt(st, "SELECT pattern FROM user_ignore_patterns");
	while (sqlite3_step(s) == SQLITE_ROW)
		strlist_add(&pats, (const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	if (cfg)
		for (i = 0; i < cfg->ignore.n; i++)
			strlist_add(&pats, cfg->ignore.v[i]);

	/* One plain scan; people not evaluated are skipped by the lookup. */
	s = store_stmt(st, "SELECT person, addr, dead_at, last_in FROM addresses");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct ev *e = people_ev_find(es, sqlite3_column_int64(s, 0));
		const char *addr = (const char *)sqlite3_column_text(s, 1);
		int64_t dead = sqlite3_column_int64(s, 2), last_in = sqlite3_column_int64(s, 3);

		if (!e)
			continue;
		e->naddr++;
		/* An address that wrote after its bounce lives again. */
		if (!(dead > 0 && dead >= last_in))
			e->nalive++;
		if (pats.n && pattern_match(&pats, addr))
			e->ignored = true;
		for (i = 0; cfg && i < cfg->ncircles; i++)
			if (pattern_match(&cfg->circles[i].members, addr))
				ev_add_circle(e, cfg->circles[i].name);
	}
	sqlite3_reset(s);
	strlist_free(&pats);
	if (rc != SQLITE_DONE)
		return store_fail(st, "reading addresses");

	s = store_stmt(st, "SELECT p.id, uc.circle FROM user_circles uc JOIN people p ON p.key = uc.key");
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct ev *e = people_ev_find(es, sqlite3_column_int64(s, 0));

		if (e)
			ev_add_circle(e, (const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_reset(s);
	return STORE_OK;
}

/* Circle cadence (the shortest set) and focus of a person. */
static void
circle_terms(const struct kith_config *cfg, struct ev *e)
{
	const struct kith_circle *c;
	size_t i;

	e->in.circle = e->ncircles ? e->circles[0] : NULL;
	for (i = 0; cfg && i < e->ncircles; i++) {
		if (!(c = config_circle(cfg, e->circles[i])))
			continue;
		if (c->focus)
			e->in.focus = true;
		if (c->cadence > 0 && (e->in.circle_cadence == 0 || c->cadence < e->in.circle_cadence)) {
			e->in.circle_cadence = c->cadence;
			e->in.circle = c->name;
		}
	}
}

/*
 * The largest person id, which bounds how many there are (at most a
 * million: beyond, the array grows as it fills); 0 when none.
 */
static size_t
people_max_id(struct store *st)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT max(id) FROM people");
	int64_t max = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;

	sqlite3_reset(s);
	return max > 0 ? (size_t)(max < 1 << 20 ? max : 1 << 20) : 0;
}

/* The user's cadence, snooze, ignore and manual mark of the people in `es`. */
static int
read_decisions(struct store *st, struct evset *es)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT p.id, u.cadence, u.snoozed_until, u.ignored, u.manual "
					 "FROM user_people u CROSS JOIN people p ON p.key = u.key");
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct ev *e = people_ev_find(es, sqlite3_column_int64(s, 0));

		if (!e)
			continue;
		e->cadence_user = sqlite3_column_int64(s, 1);
		e->snoozed_until = sqlite3_column_int64(s, 2);
		e->ignored = sqlite3_column_int(s, 3);
		e->manual = sqlite3_column_int(s, 4);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? STORE_OK : store_fail(st, "reading the user's decisions");
}

/* What every evaluation gives score_eval: the dates and the user's decisions (the rest zero). */
static void
ev_input(struct ev *e, int64_t now)
{
	struct score_input *in = &e->in;

	memset(in, 0, sizeof(*in));
	in->now = now;
	in->last_contact = e->last_contact;
	in->last_sent = e->last_sent;
	in->last_received = e->last_received;
	in->relationship = e->relationship;
	in->snoozed_until = e->snoozed_until;
	in->ignored = e->ignored;
	in->bounced = e->naddr > 0 && e->nalive == 0;
}

/* Who is read: everyone, the relationships, or those and the people who may be new ties. */
enum eval_scope { EVAL_ALL, EVAL_RELATIONSHIPS, EVAL_DUE };

static int
evaluate(struct store *st, int64_t now, enum eval_scope scope, struct evset *es)
{
	const struct kith_config *cfg = store_config(st);
	struct ranked *rank = NULL;
	struct seed_params sp;
	sqlite3_stmt *s;
	size_t i, ntop, cap = 0;
	bool snap;
	int rc;

	memset(es, 0, sizeof(*es));
	es->now = now;
	people_seed_params(st, &sp);
	/* Aggregates changed in this transaction are read from the rows. */
	if ((rc = people_cache_sync(st)) != STORE_OK)
		return rc;
	/* From here on only reads, thousands of them for the new ties. */
	snap = store_read_begin(st);
	/*
	 * The user's decisions are read apart: a join here looked up every
	 * person's key in user_people, which holds the few the user touched.
	 * A new tie need not pass the relationship gate: `due` also reads
	 * whoever the user wrote to or logged since the seed window opened.
	 */
	s = store_stmt(st, "SELECT p.id, p.relationship, p.s_out, p.s_in, p.a_out, p.a_in, p.last_contact, "
			   "p.last_sent, p.last_received, p.days, p.gate_out, p.gate_back, p.gate_manual "
			   "FROM people p WHERE ?1 = 0 OR p.relationship = 1 "
			   "OR (?1 = 2 AND p.last_contact > ?2 AND (p.gate_out > 0 OR p.gate_manual > 0)) "
			   "ORDER BY p.id");
	sqlite3_bind_int(s, 1, (int)scope);
	sqlite3_bind_int64(s, 2, now - sp.days);
	/*
	 * Room for everyone at once, by the largest id (no more people than
	 * that): growing 20,000 evaluations by doubling copied and faulted in
	 * twice their size.  Pages never written cost nothing.
	 */
	cap = people_max_id(st);
	es->v = xcalloc(cap ? cap : 1, sizeof(*es->v));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct ev *e;
		int nb;

		if (es->n == cap) {
			cap = cap ? cap * 2 : 256;
			es->v = xreallocarray(es->v, cap, sizeof(*es->v));
		}
		e = &es->v[es->n++];
		memset(e, 0, sizeof(*e));
		e->id = sqlite3_column_int64(s, 0);
		e->relationship = sqlite3_column_int(s, 1);
		e->s_out = score_at(store_column_score(s, 2), now, STRENGTH_HALF_LIFE);
		e->s_in = score_at(store_column_score(s, 3), now, STRENGTH_HALF_LIFE);
		e->a_out = score_at(store_column_score(s, 4), now, ACTIVITY_HALF_LIFE);
		e->a_in = score_at(store_column_score(s, 5), now, ACTIVITY_HALF_LIFE);
		e->last_contact = store_column_date(s, 6, now);
		e->last_sent = store_column_date(s, 7, now);
		e->last_received = store_column_date(s, 8, now);
		nb = sqlite3_column_bytes(s, 9);
		if (nb >= (int)sizeof(int32_t)) {
			/* The first day and the count tell a new tie; the rhythm needs them all. */
			e->ncontact = (size_t)nb / sizeof(int32_t);
			memcpy(&e->first_day, sqlite3_column_blob(s, 9), sizeof(int32_t));
		}
		if (nb > 0 && e->relationship) {
			e->ndays = (size_t)nb / sizeof(int32_t);
			e->days = xmalloc((size_t)nb);
			memcpy(e->days, sqlite3_column_blob(s, 9), e->ndays * sizeof(int32_t));
		}
		e->gate_out = sqlite3_column_int64(s, 10) > 0;
		e->gate_back = sqlite3_column_int64(s, 11) > 0;
		e->gate_manual = sqlite3_column_int64(s, 12) > 0;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		rc = store_fail(st, "reading people");
		goto fail;
	}
	if ((rc = read_decisions(st, es)) != STORE_OK || (rc = scan_addresses(st, es)) != STORE_OK)
		goto fail;

	/* From the dismissals to the people: the other way round scanned every person. */
	s = store_stmt(st, "SELECT p.id, d.n FROM (SELECT key, count(*) AS n FROM user_dismissals "
			   "WHERE at > ?1 GROUP BY key) AS d CROSS JOIN people p ON p.key = d.key");
	sqlite3_bind_int64(s, 1, now - DISMISS_WINDOW);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct ev *e = people_ev_find(es, sqlite3_column_int64(s, 0));

		if (e)
			e->dismissals = sqlite3_column_int(s, 1);
	}
	sqlite3_reset(s);

	/*
	 * Tiers by strength rank among relationships.  Only the first
	 * TIER_FRIENDS_MAX_RANK ranks make a tier: those are kept in order,
	 * the rest share the rank after them, and 20,000 people need no sort.
	 */
	rank = xcalloc(TIER_FRIENDS_MAX_RANK, sizeof(*rank));
	for (i = 0, ntop = 0; i < es->n; i++) {
		struct ranked r;
		size_t j;

		if (!es->v[i].relationship)
			continue;
		es->v[i].rank = TIER_FRIENDS_MAX_RANK + 1;
		r.strength = es->v[i].s_out + es->v[i].s_in;
		r.id = es->v[i].id;
		r.e = &es->v[i];
		if (ntop == TIER_FRIENDS_MAX_RANK && cmp_strength(&r, &rank[ntop - 1]) >= 0)
			continue;
		j = ntop < TIER_FRIENDS_MAX_RANK ? ntop++ : ntop - 1;
		for (; j > 0 && cmp_strength(&r, &rank[j - 1]) < 0; j--)
			rank[j] = rank[j - 1];
		rank[j] = r;
	}
	for (i = 0; i < ntop; i++)
		rank[i].e->rank = i + 1;
	free(rank);

	for (i = 0; i < es->n; i++) {
		struct ev *e = &es->v[i];
		struct score_input *in = &e->in;
		static const int64_t tier_default[TIER_COUNT] = {
			TIER_INNER_CADENCE, TIER_CLOSE_CADENCE, TIER_FRIENDS_CADENCE, TIER_REST_CADENCE,
		};

		ev_input(e, now);
		in->s_out = e->s_out;
		in->s_in = e->s_in;
		in->tier = e->rank ? score_tier(e->rank) : TIER_COUNT - 1;
		in->tier_cadence = cfg && cfg->tier_cadence[in->tier] > 0 ? cfg->tier_cadence[in->tier]
									   : tier_default[in->tier];
		in->person_cadence = e->cadence_user;
		circle_terms(cfg, e);
		in->days = e->days;
		in->ndays = e->ndays;
		in->dismissals = e->dismissals;
		score_eval(in, &e->res);
	}
	/*
	 * Every tie `kith seeds` lists by default has its state; only those
	 * younger than seed_days are followed up (seed_eval's "active").
	 */
	if ((rc = people_seed_eval(st, es, people_seed_window(st))) != STORE_OK)
		goto fail;
	store_read_end(st, snap);
	return STORE_OK;
fail:
	store_read_end(st, snap);
	people_evset_free(es);
	return rc;
}

int
people_evaluate(struct store *st, int64_t now, bool relationships_only, struct evset *es)
{
	return evaluate(st, now, relationships_only ? EVAL_RELATIONSHIPS : EVAL_ALL, es);
}

int
people_evaluate_due(struct store *st, int64_t now, struct evset *es)
{
	return evaluate(st, now, EVAL_DUE, es);
}

int
people_evaluate_ids(struct store *st, int64_t now, const int64_t *ids, size_t n, struct evset *es)
{
	sqlite3_stmt *s;
	size_t i;
	bool snap;
	int rc, step;

	memset(es, 0, sizeof(*es));
	es->now = now;
	if ((rc = people_cache_sync(st)) != STORE_OK)
		return rc;
	snap = store_read_begin(st);
	es->v = xcalloc(n ? n : 1, sizeof(*es->v));
	s = store_stmt(st, "SELECT relationship, last_contact, last_sent, last_received FROM people WHERE id = ?1");
	for (i = 0; i < n; i++) {
		struct ev *e = &es->v[es->n];

		sqlite3_bind_int64(s, 1, ids[i]);
		if ((step = sqlite3_step(s)) == SQLITE_ROW) {
			e->id = ids[i];
			e->relationship = sqlite3_column_int(s, 0);
			e->last_contact = store_column_date(s, 1, now);
			e->last_sent = store_column_date(s, 2, now);
			e->last_received = store_column_date(s, 3, now);
			es->n++;
		}
		sqlite3_reset(s);
		if (step != SQLITE_ROW && step != SQLITE_DONE) {
			rc = store_fail(st, "reading people");
			goto fail;
		}
	}
	if ((rc = read_decisions(st, es)) != STORE_OK || (rc = scan_addresses(st, es)) != STORE_OK)
		goto fail;
	for (i = 0; i < es->n; i++)
		ev_input(&es->v[i], now);
	store_read_end(st, snap);
	return STORE_OK;
fail:
	store_read_end(st, snap);
	people_evset_free(es);
	return rc;
}

int
people_fill(struct store *st, const struct ev *e, int64_t now, struct person *p)
{
	sqlite3_stmt *s;
	struct strbuf notes = { 0 };
	int rc;

	memset(p, 0, sizeof(*p));
	s = store_stmt(st, "SELECT p.key, coalesce(u.name, p.name), p.last_subject "
			   "FROM people p LEFT JOIN user_people u ON u.key = p.key WHERE p.id = ?1");
	sqlite3_bind_int64(s, 1, e->id);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		if (rc == SQLITE_DONE) {
			log_error("no person with id %lld", (long long)e->id);
			return STORE_ERROR;
		}
		return store_fail(st, "reading a person");
	}
	p->id = e->id;
	p->key = xstrdup((const char *)sqlite3_column_text(s, 0));
	if (sqlite3_column_type(s, 1) != SQLITE_NULL)
		p->name = xstrdup((const char *)sqlite3_column_text(s, 1));
	if (sqlite3_column_type(s, 2) != SQLITE_NULL)
		p->last_subject = xstrdup((const char *)sqlite3_column_text(s, 2));
	sqlite3_reset(s);

	if ((rc = people_fill_identity(st, e->id, now, p)) != STORE_OK) {
		person_free(p);
		return rc;
	}

	s = store_stmt(st, "SELECT text FROM user_notes WHERE key = ?1 ORDER BY at, id");
	sqlite3_bind_text(s, 1, p->key, -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (notes.len)
			sb_addc(&notes, '\n');
		sb_adds(&notes, (const char *)sqlite3_column_text(s, 0));
	}
	sqlite3_reset(s);
	p->note = notes.len ? sb_detach(&notes) : NULL;
	sb_free(&notes);

	people_fill_ev(e, now, false, p);
	return STORE_OK;
}

void
people_fill_ev(const struct ev *e, int64_t now, bool table, struct person *p)
{
	size_t i;

	p->ncircles = e->ncircles;
	p->circles = xcalloc(e->ncircles ? e->ncircles : 1, sizeof(*p->circles));
	for (i = 0; i < e->ncircles; i++)
		p->circles[i] = xstrdup(e->circles[i]);

	p->relationship = e->relationship;
	/* read_decisions read the mark with the rest of the user's. */
	p->is_manual = e->manual;
	p->tier = e->in.tier;
	p->cadence = e->res.cadence;
	p->cadence_source = e->res.source;
	p->last_contact = e->last_contact;
	p->last_sent = e->last_sent;
	p->last_received = e->last_received;
	p->days_since = e->res.days_since;
	p->ratio = e->res.ratio;
	p->status = e->res.status;
	p->priority = e->res.priority;
	p->strength = e->s_out + e->s_in;
	p->activity = e->a_out + e->a_in;
	p->reciprocity = e->res.reciprocity;
	p->focus = e->in.focus;
	p->seed_state = e->seed.state;
	p->seed_active = e->seed.active;
	p->origin = e->origin;
	p->first_contact = e->seed.state != SEED_NONE ? e->seed_in.first_contact : 0;
	p->next_follow_up = e->seed.next_follow_up;
	p->suggested = e->res.suggested;
	if (!table) {
		p->event = e->event && e->seed.state != SEED_NONE ? xstrdup(e->event) : NULL;
		/* A new tie followed up in steps says so; one with a rhythm speaks as anyone. */
		if (e->res.source == CADENCE_SEED)
			p->reason = seed_words(&e->seed_in, &e->seed, (enum seed_origin)e->origin, e->event,
					       e->last_sent, e->last_received);
		else
			p->reason = score_reason(&e->in, &e->res);
		p->cadence_words = score_cadence_words(&e->in, &e->res);
		p->why_not = e->held ? xstrdup(e->held) : e->res.why_not ? xstrdup(e->res.why_not) : NULL;
	}
	p->snoozed_until = e->snoozed_until > now ? e->snoozed_until : 0;
	p->ignored = e->ignored;
	p->bounced = e->in.bounced;
	p->dismissals = e->dismissals;
}
