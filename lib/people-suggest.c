/* people-suggest.c - finding merge suggestions and the user's likely own addresses among every address. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kith/config.h"
#include "kith/header.h"
#include "kith/identity.h"
#include "kith/model.h"
#include "kith/people.h"
#include "kith/store.h"
#include "kith/util.h"
#include "people-private.h"
#include "store-private.h"

static bool
already(const struct merge_suggestion_list *l, int64_t a, int64_t b)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].a == a && l->v[i].b == b)
			return true;
	return false;
}

static int64_t
shared_threads(struct store *st, int64_t a, int64_t b)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT count(DISTINCT i.thread) FROM interactions i "
					 "WHERE i.person = ?1 AND i.thread IS NOT NULL AND EXISTS ("
					 "SELECT 1 FROM interactions j WHERE j.thread = i.thread AND j.person = ?2)");
	int64_t n = 0;

	sqlite3_bind_int64(s, 1, a);
	sqlite3_bind_int64(s, 2, b);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return n;
}

/* ---- the addresses, with their keys ------------------------------------------ */

struct saddr {
	int64_t id, person, first_at, last_at;
	bool contact;			/* the person had a direct exchange with the user */
	bool written;			/* the user wrote to the address, even in a blast */
	bool stray;			/* a recipient of mail that named none of the user's addresses */
	char *addr;			/* normalised */
	char *shown;			/* as written, most used */
	char *domain;			/* registrable; points into the domain cache */
	char *joined, *initial, *local;	/* identity_local_keys; the plain local part */
	bool single, role, mine;	/* mine: one of the user's own (not a person) */
};

struct saddrs {
	struct saddr *v;
	size_t n;
	struct strlist domains, regs;	/* a small cache: domain -> registrable domain */
};

static char *
reg_domain(struct saddrs *sa, const char *addr)
{
	const char *d = strrchr(addr, '@');
	size_t i;

	d = d ? d + 1 : addr;
	for (i = sa->domains.n; i-- > 0;)
		if (strcmp(sa->domains.v[i], d) == 0)
			return sa->regs.v[i];
	{
		char *r = identity_registrable_domain(d);

		strlist_add(&sa->domains, d);
		strlist_add(&sa->regs, r ? r : d);
		free(r);
	}
	return sa->regs.v[sa->regs.n - 1];
}

static void
saddr_keys(struct saddrs *sa, struct saddr *a)
{
	const char *at = strrchr(a->addr, '@');

	a->domain = reg_domain(sa, a->addr);
	a->role = identity_is_role(a->addr);
	if (identity_local_keys(a->addr, &a->joined, &a->initial, &a->single) == -1)
		return;
	a->local = xstrndup(a->addr, (size_t)(at - a->addr));
	if (strchr(a->local, '+'))
		*strchr(a->local, '+') = '\0';
}

static void
saddrs_free(struct saddrs *sa)
{
	size_t i;

	for (i = 0; i < sa->n; i++) {
		free(sa->v[i].addr);
		free(sa->v[i].shown);
		free(sa->v[i].joined);
		free(sa->v[i].initial);
		free(sa->v[i].local);
	}
	free(sa->v);
	strlist_free(&sa->domains);
	strlist_free(&sa->regs);
	memset(sa, 0, sizeof(*sa));
}

static struct saddr *
saddr_new(struct saddrs *sa)
{
	struct saddr *a;

	sa->v = xreallocarray(sa->v, sa->n + 1, sizeof(*sa->v));
	a = &sa->v[sa->n++];
	memset(a, 0, sizeof(*a));
	return a;
}

/*
 * Every address that may pair with another: not split off by the user
 * (a split is never suggested again), with its person and the span mail
 * carried it; then the user's own plain addresses, marked mine.
 */
static int
load_addresses(struct store *st, struct saddrs *sa)
{
	const struct kith_config *cfg = store_config(st);
	sqlite3_stmt *s;
	size_t i;
	int rc;

	memset(sa, 0, sizeof(*sa));
	s = store_stmt(st, "SELECT a.id, a.person, a.addr, a.first_at, a.last_at, p.last_contact > 0, "
			   "a.addr IN (SELECT addr FROM sent_to), a.id IN (SELECT i.address FROM messages m "
			   /* CROSS JOIN: the few such messages first (index messages_stray), not every interaction. */
			   "CROSS JOIN interactions i ON i.message = m.id "
			   "WHERE m.rule = 'user-not-addressed' AND i.dir = ?1) "
			   "FROM addresses a JOIN people p ON p.id = a.person "
			   "WHERE NOT EXISTS (SELECT 1 FROM user_identity u WHERE u.addr = a.addr AND u.key = a.addr) "
			   "ORDER BY a.id");
	sqlite3_bind_int(s, 1, DIR_GRAPH);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct saddr *a = saddr_new(sa);

		a->id = sqlite3_column_int64(s, 0);
		a->person = sqlite3_column_int64(s, 1);
		a->addr = xstrdup((const char *)sqlite3_column_text(s, 2));
		a->first_at = sqlite3_column_int64(s, 3);
		a->last_at = sqlite3_column_int64(s, 4);
		a->contact = sqlite3_column_int(s, 5);
		a->written = sqlite3_column_int(s, 6);
		a->stray = sqlite3_column_int(s, 7);
		a->shown = xstrdup(a->addr);
		saddr_keys(sa, a);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		saddrs_free(sa);
		return store_fail(st, "reading addresses");
	}
	s = store_stmt(st, "SELECT addr FROM me_learned");
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct saddr *a = saddr_new(sa);

		a->addr = xstrdup((const char *)sqlite3_column_text(s, 0));
		a->shown = xstrdup(a->addr);
		a->mine = true;
		saddr_keys(sa, a);
	}
	sqlite3_reset(s);
	for (i = 0; cfg && i < cfg->me.n; i++) {
		struct saddr *a;
		char *norm;

		if (strpbrk(cfg->me.v[i], "*?[") || !(norm = identity_normalize(cfg->me.v[i], NULL, NULL)))
			continue;
		a = saddr_new(sa);
		a->addr = norm;
		a->shown = identity_spelling(cfg->me.v[i]);
		a->mine = true;
		saddr_keys(sa, a);
	}
	return STORE_OK;
}


/* ---- pairing by key ---------------------------------------------------------- */

struct keyed {
	char *key;
	struct saddr *a;
	bool multi;			/* the key is an initial + surname of a longer local part */
	bool cut;			/* ... cut to ALIAS_CUT_MIN..ALIAS_CUT_MAX characters */
};

/*
 * Mail systems that gave everyone a short alias cut the initial + surname
 * to their old 7 or 8 character mailbox names: "mpetroch" for
 * mona.petrochko, "jdasovic" for jeff.dasovich.
 */
#define ALIAS_CUT_MIN	7
#define ALIAS_CUT_MAX	8

static int
cmp_keyed(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);

	if (c)
		return c;
	return (a->a->id > b->a->id) - (a->a->id < b->a->id);
}

static size_t
letters(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += (*s >= 'a' && *s <= 'z');
	return n;
}

static bool
same_local(const struct saddr *x, const struct saddr *y)
{
	return x->local && y->local && strcmp(x->local, y->local) == 0;
}

/* Is there a suggestion that the address is the user's own? */
static bool
suggested_mine(const struct merge_suggestion_list *l, const struct saddr *a)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].rule == MERGE_MINE && l->v[i].a == a->person)
			return true;
	return false;
}

/* Two addresses a suggestion may join: different people, at most one of them the user's. */
static bool
pairable(const struct saddr *x, const struct saddr *y)
{
	if (x->mine && y->mine)
		return false;
	if (!x->mine && !y->mine && x->person == y->person)
		return false;
	return strcmp(x->addr, y->addr) != 0;
}

static void
pair(struct merge_suggestion_list *l, const struct saddr *x, const struct saddr *y, enum merge_rule rule,
     char *reason)
{
	if (x->mine || y->mine) {
		const struct saddr *other = x->mine ? y : x, *me = x->mine ? x : y;

		people_suggestion_add(l, other->person, 0, MERGE_MINE, NULL, other->shown, me->shown, reason);
		return;
	}
	people_suggestion_add(l, x->person, y->person, rule, NULL, x->shown, y->shown, reason);
}

/* More people than this on one key is a common name, not a duplicate. */
#define KEY_MAX_PEOPLE	4

/*
 * One registrable domain: local parts equal once separators and middle
 * initials are dropped ("ann.lee" = "ann_lee", "paul.k.ortiz" =
 * "paul.ortiz"), or a one-word local part that is the initial and
 * surname of exactly one longer one ("rkilmer" = "robert.kilmer"), or
 * that initial and surname cut to a short alias ("mpetroch" =
 * "mona.petrochko").
 */
static void
pair_local_parts(struct saddrs *sa, struct merge_suggestion_list *l)
{
	struct keyed *k = xcalloc((4 + ALIAS_CUT_MAX - ALIAS_CUT_MIN) * sa->n + 1, sizeof(*k));
	size_t n = 0, i, j, x, y, cut;

	for (i = 0; i < sa->n; i++) {
		struct saddr *a = &sa->v[i];

		if (!a->joined || a->role || letters(a->joined) < 4)
			continue;
		k[n].key = xasprintf("j|%s|%s", a->domain, a->joined);
		k[n++].a = a;
		if (a->initial && letters(a->initial) >= 4) {
			k[n].key = xasprintf("i|%s|%s", a->domain, a->initial);
			k[n].multi = true;
			k[n++].a = a;
			for (cut = ALIAS_CUT_MIN; cut <= ALIAS_CUT_MAX && cut < strlen(a->initial); cut++) {
				k[n].key = xasprintf("i|%s|%.*s", a->domain, (int)cut, a->initial);
				k[n].multi = k[n].cut = true;
				k[n++].a = a;
			}
		}
		if (a->single) {
			k[n].key = xasprintf("i|%s|%s", a->domain, a->joined);
			k[n++].a = a;
		}
	}
	if (n > 1)
		qsort(k, n, sizeof(*k), cmp_keyed);
	for (i = 0; i < n; i = j) {
		size_t nmulti = 0;
		struct saddr *multi = NULL;
		bool was_cut = false;

		for (j = i + 1; j < n && strcmp(k[i].key, k[j].key) == 0; j++)
			;
		if (j - i < 2 || j - i > KEY_MAX_PEOPLE)
			continue;
		if (k[i].key[0] == 'j') {
			for (x = i; x < j; x++)
				for (y = x + 1; y < j; y++)
					if (pairable(k[x].a, k[y].a))
						pair(l, k[x].a, k[y].a, MERGE_SEPARATORS,
						     same_local(k[x].a, k[y].a)
						     ? xasprintf("%s and %s: the same local part on one domain",
								 k[x].a->shown, k[y].a->shown)
						     : xasprintf("%s and %s differ only in separators or a middle "
								 "initial", k[x].a->shown, k[y].a->shown));
			continue;
		}
		/* An initial + surname: only when one person's longer local part has it. */
		for (x = i; x < j; x++) {
			if (!k[x].multi)
				continue;
			if (!multi || multi->mine != k[x].a->mine || multi->person != k[x].a->person)
				nmulti++;
			multi = k[x].a;
			was_cut = k[x].cut;
		}
		if (nmulti != 1)
			continue;
		for (x = i; x < j; x++)
			if (!k[x].multi && pairable(k[x].a, multi))
				pair(l, k[x].a, multi, MERGE_INITIAL,
				     xasprintf(was_cut ? "%s is the first initial and surname of %s, cut short "
							 "as a mailbox alias"
						       : "%s is the first initial and surname of %s",
					       k[x].a->shown, multi->shown));
	}
	for (i = 0; i < n; i++)
		free(k[i].key);
	free(k);
}

static void
month_of(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, len, "%B %Y", &tm);
}

/*
 * Are two registrable domains one organisation's: the name of one (5
 * letters or more) begins or ends the other's, as reliant.com and
 * reliantenergy.com, or andersen.com and arthurandersen.com?
 */
static bool
domains_related(const char *a, const char *b)
{
	size_t na = strcspn(a, "."), nb = strcspn(b, ".");
	const char *lo = na <= nb ? a : b, *hi = na <= nb ? b : a;
	size_t nlo = na <= nb ? na : nb, nhi = na <= nb ? nb : na;

	if (nlo < JOB_CHANGE_MIN_LETTERS || nlo == nhi)
		return false;
	return strncmp(lo, hi, nlo) == 0 || strncmp(lo, hi + nhi - nlo, nlo) == 0;
}

/*
 * Across domains: the same distinctive local part (5 letters or more,
 * no role word) where one address fell silent as the other started: a
 * job change, jdoe@old.example then jdoe@new.example.  On two domains of
 * one organisation (domains_related), both may be in use for as long as
 * they like: a firm renamed, or a second address at the same employer.
 */
static void
pair_job_changes(struct saddrs *sa, struct merge_suggestion_list *l)
{
	struct keyed *k = xcalloc(sa->n + 1, sizeof(*k));
	size_t n = 0, i, j, x, y;

	for (i = 0; i < sa->n; i++) {
		struct saddr *a = &sa->v[i];

		/* An address that is probably the user's pairs with the user, not with another. */
		if (!a->local || a->role || a->mine || letters(a->local) < JOB_CHANGE_MIN_LETTERS ||
		    a->first_at == 0 || suggested_mine(l, a))
			continue;
		k[n].key = a->local;
		k[n++].a = a;
	}
	if (n > 1)
		qsort(k, n, sizeof(*k), cmp_keyed);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && strcmp(k[i].key, k[j].key) == 0; j++)
			;
		if (j - i < 2 || j - i > KEY_MAX_PEOPLE)
			continue;
		for (x = i; x < j; x++)
			for (y = x + 1; y < j; y++) {
				struct saddr *o = k[x].a, *nw = k[y].a;
				char before[32], after[32];

				if (o->first_at > nw->first_at) {
					o = k[y].a;
					nw = k[x].a;
				}
				/*
				 * Two shops mailing from "promo@" are no one's job
				 * change: one of the two is someone the user
				 * exchanged mail with, or wrote to (a friend kept
				 * in a group mail is still written to).
				 */
				if (!pairable(o, nw) || strcmp(o->domain, nw->domain) == 0 ||
				    !(o->contact || nw->contact || o->written || nw->written))
					continue;
				if (domains_related(o->domain, nw->domain)) {
					pair(l, o, nw, MERGE_JOB_CHANGE,
					     xasprintf("same local part on %s and %s, which look like one "
						       "organisation's domains", o->shown, nw->shown));
					continue;
				}
				if (o->last_at > nw->first_at + JOB_CHANGE_OVERLAP ||
				    nw->first_at - o->last_at > JOB_CHANGE_MAX_GAP)
					continue;
				month_of(o->last_at, before, sizeof(before));
				month_of(nw->first_at, after, sizeof(after));
				/* Both in use in one month: a second address more than a move. */
				pair(l, o, nw, MERGE_JOB_CHANGE, strcmp(before, after) == 0
				     ? xasprintf("same local part: %s and %s were both in use in %s (a second "
						 "address?)", o->shown, nw->shown, before)
				     : xasprintf("same local part: %s fell silent in %s as %s started in %s "
						 "(a new job?)", o->shown, before, nw->shown, after));
			}
	}
	free(k);
}

/*
 * A one-word local part on any domain that is the initial and surname of
 * the user's own address, maybe with digits after ("cdean2@home.example"
 * for clint.dean@corp.example), written to by the user, or the address
 * that mail naming none of the user's was sent to (how it reached them):
 * probably the user's home or old address.  Suggested only, as the user's.
 */
static void
pair_my_short_forms(struct saddrs *sa, struct merge_suggestion_list *l)
{
	size_t i, j;

	for (i = 0; i < sa->n; i++) {
		struct saddr *me = &sa->v[i];

		if (!me->mine || !me->initial || letters(me->initial) < 4)
			continue;
		for (j = 0; j < sa->n; j++) {
			struct saddr *a = &sa->v[j];
			size_t n;

			if (a->mine || !(a->contact || a->stray) || !a->single || !a->joined || a->role)
				continue;
			n = strlen(me->initial);
			if (strncmp(a->joined, me->initial, n) != 0 || strspn(a->joined + n, "0123456789") !=
			    strlen(a->joined + n))
				continue;
			people_suggestion_add(l, a->person, 0, MERGE_MINE, NULL, a->shown, me->shown,
			    xasprintf(a->contact ? "%s is the first initial and surname of %s, and you write to it"
					: "%s is the first initial and surname of %s, and mail that names none of "
					  "your addresses was sent to it", a->shown, me->shown));
		}
	}
}

/* ---- the user's own name ------------------------------------------------------ */

/*
 * The name key the user signs with: the From display name most used in
 * their recent mail.  NULL when their mail carries none.
 */
static char *
user_name_key(struct store *st)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id FROM messages "
					 "WHERE class IN ('self', 'note') ORDER BY date DESC LIMIT ?1");
	struct strlist keys = { 0 };
	int64_t ids[ME_NAME_SAMPLE];
	size_t n = 0, i, j, best = 0, bestn = 0;
	char *r = NULL;

	sqlite3_bind_int(s, 1, ME_NAME_SAMPLE);
	while (sqlite3_step(s) == SQLITE_ROW && n < ME_NAME_SAMPLE)
		ids[n++] = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	for (i = 0; i < n; i++) {
		struct kith_msg m;
		char *raw, *k;
		size_t len;

		if (store_message_header(st, ids[i], &raw, &len) != STORE_OK)
			continue;
		header_parse(raw, len, 0, kith_now(), &m);
		free(raw);
		if (m.from.n && m.from.v[0].name) {
			char *core = identity_name_core(m.from.v[0].name);

			if ((k = identity_name_key(core)) && strchr(k, ' '))
				strlist_add(&keys, k);
			free(k);
			free(core);
		}
		msg_free(&m);
	}
	for (i = 0; i < keys.n; i++) {
		size_t c = 0;

		for (j = 0; j < keys.n; j++)
			c += strcmp(keys.v[i], keys.v[j]) == 0;
		if (c > bestn) {
			bestn = c;
			best = i;
		}
	}
	if (bestn)
		r = xstrdup(keys.v[best]);
	strlist_free(&keys);
	return r;
}

/* The longest word of a name key: what a LIKE can look for first. */
static char *
longest_word(const char *key)
{
	const char *p = key, *best = key, *e;
	size_t bestn = 0;

	while (*p) {
		e = strchr(p, ' ');
		if (!e)
			e = p + strlen(p);
		if ((size_t)(e - p) > bestn) {
			bestn = (size_t)(e - p);
			best = p;
		}
		p = *e ? e + 1 : e;
	}
	return xstrndup(best, bestn);
}

/*
 * Addresses others write to under the user's own name ("Drew Fossum
 * (E-mail)"): likely the user's second address.  Suggested, never taken.
 */
static void
pair_my_name(struct store *st, struct saddrs *sa, struct merge_suggestion_list *l)
{
	char *mine = user_name_key(st), *word, *like;
	sqlite3_stmt *s;

	if (!mine)
		return;
	word = longest_word(mine);
	like = xasprintf("%%%s%%", word);
	s = store_stmt(st, "SELECT a.id, an.name FROM address_names an JOIN addresses a ON a.id = an.address "
			   "WHERE an.name LIKE ?1 ORDER BY a.id");
	sqlite3_bind_text(s, 1, like, -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);
		const char *name = (const char *)sqlite3_column_text(s, 1);
		char *core = identity_name_core(name), *k = identity_name_key(core);
		size_t i;

		if (k && strcmp(k, mine) == 0)
			for (i = 0; i < sa->n; i++)
				if (sa->v[i].id == id && !sa->v[i].mine) {
					people_suggestion_add(l, sa->v[i].person, 0, MERGE_MINE, name, sa->v[i].shown, NULL,
					    xasprintf("others write to %s as \"%s\", your own name", sa->v[i].shown,
						      name));
					break;
				}
		free(k);
		free(core);
	}
	sqlite3_reset(s);
	free(like);
	free(word);
	free(mine);
}

/* ---- all suggestions ------------------------------------------------------------ */

/*
 * Is one local part the other's with a suffix after '-' or '+', as an
 * archive rewrites an address to hide it ("sjayaraman" and
 * "sjayaraman-l3a5bk7wagm")?  The shorter must be distinctive.
 */
static bool
local_rewritten(const char *a, const char *b)
{
	size_t na = strcspn(a, "@"), nb = strcspn(b, "@");
	const char *lo = na < nb ? a : b, *hi = na < nb ? b : a;
	size_t n = na < nb ? na : nb, i, nletters = 0;

	if (na == nb)
		return false;
	for (i = 0; i < n; i++)
		nletters += (lo[i] >= 'a' && lo[i] <= 'z');
	return nletters >= JOB_CHANGE_MIN_LETTERS && strncmp(lo, hi, n) == 0 && (hi[n] == '-' || hi[n] == '+');
}

/*
 * Same name key, different people; a single word ("John") is too weak,
 * and so is a name of one letter and a word ("e-mail"), or one that more
 * than KEY_MAX_PEOPLE people carry (a placeholder some converter wrote).
 * With the registrable domain shared, MERGE_MIN_THREADS threads, or a local
 * part an archive rewrote (local_rewritten).
 */
static int
pair_names(struct store *st, struct merge_suggestion_list *out)
{
	struct npair {
		int64_t a, b;
		char *addr_a, *addr_b, *name;
	} *pairs = NULL;
	size_t n = 0, i;
	sqlite3_stmt *s;
	int rc;

	s = store_stmt(st, "SELECT a1.person, a2.person, a1.addr, a2.addr, a1.name FROM addresses a1 "
			   "JOIN addresses a2 ON a2.name_key = a1.name_key AND a2.person > a1.person "
			   "WHERE a1.name_key GLOB '*[^ ][^ ] *[^ ][^ ]*' "
			   "AND (SELECT count(DISTINCT a3.person) FROM addresses a3 WHERE a3.name_key = a1.name_key) <= ?1 "
			   "AND NOT EXISTS (SELECT 1 FROM user_identity u WHERE u.addr = a1.addr AND u.key = a1.addr) "
			   "AND NOT EXISTS (SELECT 1 FROM user_identity u WHERE u.addr = a2.addr AND u.key = a2.addr) "
			   "ORDER BY a1.person, a2.person");
	sqlite3_bind_int(s, 1, KEY_MAX_PEOPLE);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		pairs = xreallocarray(pairs, n + 1, sizeof(*pairs));
		pairs[n].a = sqlite3_column_int64(s, 0);
		pairs[n].b = sqlite3_column_int64(s, 1);
		pairs[n].addr_a = xstrdup((const char *)sqlite3_column_text(s, 2));
		pairs[n].addr_b = xstrdup((const char *)sqlite3_column_text(s, 3));
		pairs[n].name = xstrdup((const char *)sqlite3_column_text(s, 4));
		n++;
	}
	sqlite3_reset(s);
	rc = rc == SQLITE_DONE ? STORE_OK : store_fail(st, "reading names");
	for (i = 0; i < n; i++) {
		char *da = identity_registrable_domain(pairs[i].addr_a);
		char *db = identity_registrable_domain(pairs[i].addr_b);
		int64_t t;

		if (rc == STORE_OK && !already(out, pairs[i].a, pairs[i].b)) {
			if (da && db && strcmp(da, db) == 0)
				people_suggestion_add(out, pairs[i].a, pairs[i].b, MERGE_NAME_DOMAIN, pairs[i].name, pairs[i].addr_a,
				    pairs[i].addr_b, xasprintf("same name \"%s\", same domain %s", pairs[i].name, da));
			else if ((t = shared_threads(st, pairs[i].a, pairs[i].b)) >= MERGE_MIN_THREADS)
				people_suggestion_add(out, pairs[i].a, pairs[i].b, MERGE_NAME_THREADS, pairs[i].name, pairs[i].addr_a,
				    pairs[i].addr_b, xasprintf("same name \"%s\", %lld threads shared", pairs[i].name,
								(long long)t));
			else if (local_rewritten(pairs[i].addr_a, pairs[i].addr_b))
				people_suggestion_add(out, pairs[i].a, pairs[i].b, MERGE_NAME_REWRITTEN, pairs[i].name,
				    pairs[i].addr_a, pairs[i].addr_b,
				    xasprintf("same name \"%s\", and %s looks like %s rewritten by an archive",
					      pairs[i].name, strlen(pairs[i].addr_a) > strlen(pairs[i].addr_b)
					      ? pairs[i].addr_a : pairs[i].addr_b,
					      strlen(pairs[i].addr_a) > strlen(pairs[i].addr_b)
					      ? pairs[i].addr_b : pairs[i].addr_a));
		}
		free(da);
		free(db);
		free(pairs[i].addr_a);
		free(pairs[i].addr_b);
		free(pairs[i].name);
	}
	free(pairs);
	return rc;
}

/*
 * Two addresses that are each suggested as the user's own are not also
 * suggested as one person: accepting the first two answers the third.
 */
static void
drop_both_mine(struct merge_suggestion_list *l)
{
	size_t i, j, k = 0;

	for (i = 0; i < l->n; i++) {
		struct merge_suggestion *m = &l->v[i];
		bool a = false, b = false;

		for (j = 0; m->rule != MERGE_MINE && j < l->n; j++) {
			a = a || (l->v[j].rule == MERGE_MINE && l->v[j].a == m->a);
			b = b || (l->v[j].rule == MERGE_MINE && l->v[j].a == m->b);
		}
		if (a && b) {
			free(m->name);
			free(m->addr_a);
			free(m->addr_b);
			free(m->reason);
			continue;
		}
		l->v[k++] = *m;
	}
	l->n = k;
}

int
people_suggest_compute(struct store *st, struct merge_suggestion_list *out)
{
	struct saddrs sa;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = pair_names(st, out)) != STORE_OK)
		goto fail;
	if ((rc = load_addresses(st, &sa)) != STORE_OK)
		goto fail;
	pair_local_parts(&sa, out);
	pair_my_short_forms(&sa, out);
	pair_my_name(st, &sa, out);
	pair_job_changes(&sa, out);
	drop_both_mine(out);
	saddrs_free(&sa);
	return STORE_OK;
fail:
	merge_suggestion_list_free(out);
	return rc;
}
