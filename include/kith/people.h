/* people.h - people, relationships, and what to do about them (docs/architecture.md). */
#ifndef KITH_PEOPLE_H
#define KITH_PEOPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct kith_msg;

enum person_status {
	STATUS_NONE,		/* not a relationship, or cadence "never" */
	STATUS_OK,		/* r < 0.8 */
	STATUS_DUE,		/* 0.8 <= r < 1 */
	STATUS_OVERDUE,		/* r >= 1 */
	STATUS_DORMANT,		/* now - last > max(3 cadence, 1 y) */
};

enum cadence_source {
	CADENCE_PERSON,		/* set with `kith cadence` */
	CADENCE_CIRCLE,		/* from a [circle] */
	CADENCE_LEARNED,	/* the rhythm of their history */
	CADENCE_TIER,		/* tier default by strength rank */
	CADENCE_NEVER,		/* `kith cadence WHO never` */
	CADENCE_SEED,		/* a new tie's next follow-up step (seed.h) */
};

const char *person_status_name(enum person_status s);	/* "ok", "due", ... */
const char *cadence_source_name(enum cadence_source s);	/* "person", "circle", ... */

/*
 * One person with everything the CLI and the notifier show.  Times are
 * epoch seconds, 0 meaning never.  All strings belong to the struct:
 * person_free() / person_list_free().
 */
struct person {
	int64_t id;
	char *key;			/* stable across rebuilds: a normalised address or "manual:N" */
	char *name;			/* NULL when no mail carried a display name */
	char *email;			/* the address most used in the last year, as written */
	char **addresses;
	size_t naddresses;
	char **circles;
	size_t ncircles;
	bool relationship;		/* passed the gate (docs/architecture.md, Relationships) */
	bool role;			/* a role mailbox (billing@, support@): needs a personal reply */
	bool is_manual;			/* added with `kith add` */
	int tier;			/* 0 inner, 1 close, 2 friends, 3 rest */
	int64_t cadence;		/* seconds; 0 with CADENCE_NEVER */
	enum cadence_source cadence_source;
	int64_t last_contact, last_sent, last_received;
	double days_since;		/* -1 when never */
	double ratio;
	enum person_status status;
	double priority;		/* 0 when not suggested */
	double strength, activity, reciprocity;
	char *last_subject;
	char *reason;			/* one line: "you write every 3 weeks, kith asks every 5 weeks · you last wrote 4 months ago" */
	char *cadence_words;		/* what the cadence rests on: the reason's first part */
	bool suggested;			/* would appear in `kith due` */
	char *why_not;			/* when !suggested: why (snoozed, ignored, ...), else NULL */
	int64_t snoozed_until;
	bool ignored, bounced;
	int dismissals;			/* in the last 180 days */
	char *note;			/* the user's notes joined, or NULL */
	bool focus;			/* in a circle with focus = yes */
	/* A new tie (seed.h): seed_state is 0 (SEED_NONE) for everyone else. */
	int seed_state;			/* enum seed_state */
	bool seed_active;		/* first met less than seed_days ago: `due` follows it up */
	int origin;			/* enum seed_origin */
	int64_t first_contact;		/* first counted interaction; 0 when not a seed */
	int64_t next_follow_up;		/* 0 when lost or not a seed */
	char *event;			/* the event they were first met at, or NULL */
};

struct person_list {
	struct person *v;
	size_t n;
};

void person_free(struct person *p);
void person_list_free(struct person_list *l);

/* Called by ingest_message (ingest.c) inside its transaction for each new message. */
int people_ingest(struct store *st, int64_t message_id, const struct kith_msg *m);

/*
 * Which stored message is this copy of Message-ID `mid`?  Copies whose From
 * differs are different messages (a list's rewritten copy of the user's
 * post, a correspondent reusing one of the user's Message-IDs): *existing
 * is the stored copy with the same From, or 0 and *key (free it) the
 * message_id to store it under.  The user's copy keeps `mid` itself, and
 * takes it from a copy stored before it.  Inside the store's transaction.
 */
int people_copy_key(struct store *st, const char *mid, const struct kith_msg *m, int64_t *existing,
		    char **key);

/*
 * Called (through ingest_done) after each folder's sync has committed.  Finishes work
 * that needs a whole batch: decides the user's learned addresses again when
 * a Sent folder changed (and reads stored mail again when they changed),
 * and derives again the messages and people that mail arriving since
 * affected (an answer to the user's message stored before it, mail to a
 * list whose address was just learned), so that the result is the one a
 * complete read gives.  Cheap when there is nothing to do.
 */
int people_sync_done(struct store *st);

/*
 * Recompute every derived row (classes, addresses to people, interactions)
 * from the stored header blocks, keeping every user decision.  One
 * transaction; the answer equals the incremental one.
 */
int people_rebuild(struct store *st);

/* Queries.  `now` comes from kith_now(). */
enum people_sort { SORT_DUE, SORT_STRENGTH, SORT_RECENT, SORT_NAME };
int people_due(struct store *st, int64_t now, const char *circle, bool all, size_t limit,
	       struct person_list *out);
/*
 * people_list flags.  PEOPLE_ACQUAINTANCES: everyone, not only the
 * relationships.  PEOPLE_TABLE: only what the table of `kith list` shows
 * (no reason, cadence words, why_not, notes, subject, event, and of the
 * addresses only `email`): a list of 20,000 in text is built that much faster.
 */
enum { PEOPLE_ACQUAINTANCES = 1, PEOPLE_TABLE = 2 };
int people_list(struct store *st, int64_t now, const char *circle, enum people_sort sort, unsigned flags,
		struct person_list *out);
int people_search(struct store *st, int64_t now, const char *text, struct person_list *out);
int people_get(struct store *st, int64_t id, int64_t now, struct person *out);

/* A person's history, newest first. */
struct history_item {
	int64_t at;
	const char *direction;		/* "sent", "received", "manual", "cc" ... (static) */
	char *kind;			/* "message", "meeting", "call", "event" */
	char *class;			/* classify class, "manual" for logged ones */
	char *rule;			/* the rule that decided the class */
	const char *why;		/* the rule in plain words (static), or NULL */
	bool counted;			/* did it refresh the relationship */
	char *subject;
	char *message_id;
};
struct history_list {
	struct history_item *v;
	size_t n;
};
int people_history(struct store *st, int64_t id, size_t limit, struct history_list *out);
/*
 * Only the time and direction ("sent", "sent-cc", "sent-bcc", "received",
 * "cc") of the mail each way from `since` on, in no order: what a count
 * by month needs, without reading the messages.
 */
int people_history_since(struct store *st, int64_t id, int64_t since, struct history_list *out);
void history_list_free(struct history_list *l);

/* Owed replies and answers awaited (docs/architecture.md, Replies). */
struct reply_item {
	int64_t id;			/* person */
	char *name;
	char *email;
	int64_t since;
	char *subject;
	char *message_id;
};
struct reply_list {
	struct reply_item *v;
	size_t n;
};
int people_replies(struct store *st, int64_t now, struct reply_list *owed, struct reply_list *awaiting);
/*
 * Why mail from `person` asks for no reply (a mailing from someone the
 * user never wrote to: people-owed.c), in plain words in *why (free it),
 * or NULL.  Returns 0 or a store error.
 */
int people_owes_nothing(struct store *st, int64_t person, char **why);
void reply_list_free(struct reply_list *l);

/*
 * WHO: an address, a person id, or a case- and accent-insensitive name
 * fragment.  Returns RESOLVE_OK with *id set, RESOLVE_AMBIGUOUS with the
 * candidates in *candidates, or RESOLVE_NOT_FOUND with the nearest names in
 * *candidates (may be empty).  STORE_ERROR on failure.
 */
enum { RESOLVE_OK = 0, RESOLVE_AMBIGUOUS = 1, RESOLVE_NOT_FOUND = 2 };
int people_resolve(struct store *st, const char *who, int64_t now, int64_t *id,
		   struct person_list *candidates);

/*
 * The user's decisions.  They are kept apart from derived rows, keyed by
 * normalised address, so that a rebuild or a full re-sync keeps them.
 */
int people_snooze(struct store *st, int64_t id, int64_t until);	/* until 0: unsnooze */
int people_ignore(struct store *st, int64_t id, bool ignore);
int people_ignore_pattern(struct store *st, const char *pattern, bool ignore);
int people_set_cadence(struct store *st, int64_t id, int64_t secs);	/* 0 auto, -1 never */
int people_circle(struct store *st, const char *circle, int64_t id, bool add);
int people_note(struct store *st, int64_t id, int64_t when, const char *text);
int people_log(struct store *st, int64_t id, int64_t when, const char *kind, const char *note);
int people_add(struct store *st, const char *name, const char *email, int64_t now, int64_t *id);
/*
 * people_add with the note of the first meeting: "added" by hand, or
 * PEOPLE_IMPORTED for a card of an address book, which is no new tie.
 */
#define PEOPLE_IMPORTED "imported"
int people_add_as(struct store *st, const char *name, const char *email, int64_t now, const char *how,
		  int64_t *id);
int people_merge(struct store *st, const int64_t *ids, size_t n, int64_t *into);
int people_split(struct store *st, const char *addr, int64_t *new_id);

/*
 * The user says a learned address of theirs is not theirs (`kith split
 * ADDR`): it is never learned again and stored mail is read again.
 * *learned is false, and nothing changes, when it was not a learned
 * address.  Inside a transaction.
 */
int people_not_me(struct store *st, const char *addr, bool *learned);

/*
 * Why an address is no person: a mailing list's own address (with the
 * message that named it) or one of the user's own.  A new string (free
 * it), or NULL when it is neither.
 */
char *people_why_nobody(struct store *st, const char *addr);
int people_dismiss(struct store *st, int64_t id, int64_t when);

/*
 * New ties (seeds): people first in touch in the last `days`
 * days, newest first, each with seed_state, origin, event and
 * next_follow_up filled.
 */
int people_seeds(struct store *st, int64_t now, int64_t days, struct person_list *out);

/*
 * Events: the people met at one form the circle "event:NAME"; `circle`
 * (may be NULL) is a circle they also join.  people_event_add fails
 * (logged) when the event exists.
 */
struct event_item {
	char *name;
	char *circle;			/* "event:NAME" */
	char *also;			/* the extra circle, or NULL */
	int64_t at;			/* the day it took place */
	size_t people, growing, waiting, lost;
};
struct event_list {
	struct event_item *v;
	size_t n;
};
int people_event_add(struct store *st, const char *name, int64_t at, const char *circle);
/* The event named `name` (exact), counts not filled; STORE_OK with out->name NULL when none. */
int people_event_get(struct store *st, const char *name, struct event_item *out);
/* Put person `id` in the event's circles (inside the caller's transaction). */
int people_event_join(struct store *st, const struct event_item *ev, int64_t id);
/* Every event, newest first, with its counts at `now`. */
int people_events(struct store *st, int64_t now, struct event_list *out);
void event_item_free(struct event_item *e);
void event_list_free(struct event_list *l);

/* The person holding an address exactly (normalised as kith does); *id 0 when nobody. */
int people_find_address(struct store *st, const char *addr, int64_t *id);
/* Is the address one of the user's own? */
bool people_address_is_me(struct store *st, const char *addr);

/*
 * Merge suggestions (docs/architecture.md, Identity), by the rule that made each:
 */
enum merge_rule {
	MERGE_NAME_DOMAIN,	/* names match ("Smith, John" = "John Smith"), one registrable domain */
	MERGE_NAME_THREADS,	/* names match, at least MERGE_MIN_THREADS threads shared */
	MERGE_SEPARATORS,	/* one domain, local parts equal but for . _ - and middle initials */
	MERGE_INITIAL,		/* one domain, "rkilmer" is the initial + surname of "robert.kilmer" */
	MERGE_JOB_CHANGE,	/* one distinctive local part on two domains, one silent as the other starts */
	MERGE_MINE,		/* b is 0: a is probably the user's own address */
	MERGE_NAME_REWRITTEN,	/* names match, one local part is the other's with a suffix an
				   archive added ("sjayaraman-l3a5bk7wagm@public.gmane.org") */
};
/*
 * "same-name-domain", "same-name-threads", "same-local-part", "initial-surname", "job-change",
 * "yours", "same-name-rewritten".
 */
const char *merge_rule_name(enum merge_rule r);

/*
 * Never on a name alone across domains, never again for an address the
 * user split off (or kept apart with `kith split`).
 */
struct merge_suggestion {
	int64_t a, b;			/* people ids, a < b; b 0 with MERGE_MINE */
	enum merge_rule rule;
	char *name;			/* the shared name, or NULL */
	char *addr_a, *addr_b;		/* the addresses that matched, as written (addr_b: the
					   user's own with MERGE_MINE, or NULL) */
	char *reason;			/* in plain words */
};
struct merge_suggestion_list {
	struct merge_suggestion *v;
	size_t n;
};
int people_merge_suggestions(struct store *st, struct merge_suggestion_list *out);
void merge_suggestion_list_free(struct merge_suggestion_list *l);

#endif
