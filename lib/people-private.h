/* people-private.h - what the people*.c files share; not installed. */
#ifndef KITH_PEOPLE_PRIVATE_H
#define KITH_PEOPLE_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "kith/people.h"
#include "kith/score.h"
#include "kith/seed.h"

struct store;
struct kith_config;

/* interactions.dir */
enum ix_dir {
	DIR_OUT = 0,		/* the user wrote to them */
	DIR_IN = 1,		/* they wrote to the user */
	DIR_MANUAL = 2,		/* logged by the user */
	DIR_GRAPH = 3,		/* list post or co-recipient: the graph only */
};

/* One interaction to record. */
struct ix {
	int64_t person, address;	/* address 0: manual */
	int64_t message, thread;	/* 0: manual */
	int64_t at;
	enum ix_dir dir;
	enum score_field field;
	double weight;
	bool eligible;			/* a direct exchange that refreshes */
	bool direct;			/* at most max_recipients recipients */
	bool personal;			/* they answered the user's own message (reply-human) */
	const char *kind, *note;	/* manual only */
	const char *subject;
};

/* The configured recipient limit, or the default without a config. */
int people_max_recipients(const struct store *st);

/* Normalise an address knowing the user's (for +tags).  NULL when not an address. */
char *people_norm(struct store *st, const char *addr);
/* Is the normalised address the user's (config globs or learned from Sent)? */
bool people_is_me(struct store *st, const char *norm);
/*
 * Could `norm`, an address that is not the user's, be a short form of
 * one of the user's own (configured or learned): the initial and surname
 * on any domain, maybe with digits after ("rbadeer@", "cdean2@"), or the
 * same local part on one registrable domain ("robert.badeer@ect.corp.example")?
 */
bool people_short_form_of_me(struct store *st, const char *norm);
/*
 * Does mail from `person`, who is no relationship, ask for a reply: not
 * a role mailbox's, nor a mailing (people_owes_nothing)?  Returns 0 or a
 * store error.
 */
int people_asks_reply(struct store *st, int64_t person, bool *asks);


/* classify_env callbacks; `arg` is the store. */
bool people_env_is_me(void *arg, const char *addr);
bool people_env_user_sent_to(void *arg, const char *message_id, const char *addr);
bool people_env_user_wrote_thread(void *arg, const char *ti, const char *subject, int64_t date,
				  const char *addr);

/*
 * Take a message's decisions again, or recompute a person from their
 * interactions, at the end of the batch (people_sync_done, rebuild):
 * something they depend on has just arrived (people-cache.c).
 */
int people_queue_message(struct store *st, int64_t message);
int people_queue_person(struct store *st, int64_t person);
/* Work off both queues; inside a transaction (people-rederive.c). */
int people_rederive_pending(struct store *st);

/*
 * The person holding the normalised address, created (with the address)
 * when new; the key comes from the user's merges and splits when there is
 * one.  `raw` (may be NULL) is the address as written, counted as its
 * spelling; `name` (may be NULL) is counted as a spelling of their name,
 * written by them when `author`.
 */
int people_touch_address(struct store *st, const char *norm, const char *raw, const char *name,
			 bool author, int64_t at, int64_t *person, int64_t *address);

/* The person with this key; created when `create`, else *id = 0 when absent. */
int people_by_key(struct store *st, const char *key, bool create, int64_t *id);

/* The key of a person.  Returns a new string (free it), NULL (logged) when there is none. */
char *people_key(struct store *st, int64_t id);

/* The per-person sums and facts that let `kith due` scan people, not interactions. */
struct agg {
	int64_t gate_out, gate_day, gate_days2, gate_back, gate_manual, gate_reply;
	bool role;			/* a role mailbox (identity_is_role of the key) */
	double s_out, s_in, a_out, a_in;
	int64_t last_contact, last_sent, last_received, last_in_to;
	const char *subject;
	bool subject_set;
	int32_t *days;			/* malloc'd */
	size_t ndays;
	int64_t messages;
};

/* Write a person's aggregates to their row. */
int people_agg_store(struct store *st, int64_t person, const struct agg *a);

/* ---- write-back cache of the transaction (people-cache.c) ---- */

/* A person's aggregates, with the per-day cap counts of the day last seen each way. */
struct pc_person {
	int64_t id;
	struct agg a;
	char *subject;			/* the copy a.subject points to */
	bool dirty;
	bool cap_known[2];		/* by DIR_OUT, DIR_IN */
	int64_t cap_day[2];
	int cap_n[2];
};

/* An address: its ids and best name, and the counts not yet written. */
struct pc_addr {
	char *norm, *name;
	int64_t id, person;
	int64_t dn, last_in;		/* n to add; newest mail it sent (0: none) */
	int64_t first_at, last_at;	/* the span of the mail counted in dn */
};

/*
 * The cached person `id`, read from the database when missing.  A pointer
 * the cache returns stays valid only until the next people_cache_* call.
 */
int people_cache_person(struct store *st, int64_t id, struct pc_person **out);
/* The cached address, or NULL; people_cache_addr_add caches one just read. */
struct pc_addr *people_cache_addr(struct store *st, const char *norm);
int people_cache_addr_add(struct store *st, const char *norm, int64_t id, int64_t person, const char *name,
			  struct pc_addr **out);
/*
 * While a message is derived again: the addresses its first derivation
 * already counted (messages, names), which people_touch_address must not
 * count twice.  people_cache_counted asks; NULL, 0 ends it.
 */
void people_cache_set_counted(struct store *st, const int64_t *ids, size_t n);
bool people_cache_counted(struct store *st, int64_t address);
/* After a change: outside a transaction it is written at once. */
int people_cache_written(struct store *st);
/*
 * Write the cache and forget it: before reading people or addresses
 * directly, or changing them other than through the cache.
 */
int people_cache_sync(struct store *st);

/* Record an interaction and update the person's aggregates. */
int people_add_interaction(struct store *st, const struct ix *ix);

/* Recompute a person's aggregates and name from their interactions and addresses. */
int people_recompute(struct store *st, int64_t person);

/* The people row of a manual person (and its address when the key is one). */
int people_ensure_manual(struct store *st, const char *key, int64_t *id);

/* A logged meeting, call, event or message for the person with this key. */
int people_manual_interaction(struct store *st, const char *key, int64_t at, const char *kind,
			      const char *note);

/* ---- evaluation (people-eval.c) ---- */

/* One person as the queries see them: aggregates at `now`, decisions, score. */
struct ev {
	int64_t id;
	bool relationship, manual;
	double s_out, s_in, a_out, a_in;	/* at now */
	int64_t last_contact, last_sent, last_received;
	int32_t *days;
	size_t ndays;
	int64_t cadence_user, snoozed_until;
	bool ignored;			/* the person, or a pattern matching an address */
	size_t naddr, nalive;		/* addresses, and those not bounced */
	char **circles;			/* names, each once */
	size_t ncircles;
	int dismissals;
	size_t rank;			/* by strength among relationships, 1-based, up to
					   TIER_FRIENDS_MAX_RANK + 1 for all after; 0 for others */
	struct score_input in;
	struct score_result res;
	char *held;			/* why a merge suggestion holds them back from due, or NULL */
	/* A new tie (people-seed.c). */
	bool gate_out, gate_back, gate_manual;
	int32_t first_day;		/* the first contact day kept; valid when ncontact > 0 */
	size_t ncontact;		/* contact days kept */
	struct seed_input seed_in;
	struct seed_result seed;
	int origin;			/* enum seed_origin */
	char *event;			/* the event first met at, or NULL */
};

struct evset {
	struct ev *v;			/* sorted by id */
	size_t n;
	int64_t now;
};

/* Evaluate every person (or only the relationships) at `now`. */
int people_evaluate(struct store *st, int64_t now, bool relationships_only, struct evset *es);
/* The relationships and every new tie: what `due` ranks. */
int people_evaluate_due(struct store *st, int64_t now, struct evset *es);
/*
 * Only the people `ids` (sorted, each once; those that do not exist are
 * left out), and only what needs no one else: relationship, the last
 * contact each way, the user's decisions, circles, ignored and bounced.
 * No strength, rank, score or seed state: for whoever reads those facts
 * alone of a few people (people-replies.c).
 */
int people_evaluate_ids(struct store *st, int64_t now, const int64_t *ids, size_t n, struct evset *es);

/* ---- new ties (people-seed.c) ---- */

/* The seed numbers in force: [kith] seed_* or model.h. */
void people_seed_params(const struct store *st, struct seed_params *p);
/*
 * Work out the seed state of everyone in `es` first in touch within
 * `window` seconds before es->now, and let the active ones' follow-up
 * steps decide their place in `due`.
 */
int people_seed_eval(struct store *st, struct evset *es, int64_t window);
/* The window every evaluation covers: seed_days or SEED_LIST_DAYS, the longer. */
int64_t people_seed_window(const struct store *st);
void people_evset_free(struct evset *es);
struct ev *people_ev_find(const struct evset *es, int64_t id);
bool people_ev_in_circle(const struct ev *e, const char *circle);
/*
 * Hold back from due each person whose other likely address (a merge
 * suggestion) was in touch more recently, or who is probably the user
 * (people-merge-pairs.c).
 */
int people_suggest_hold(struct store *st, struct evset *es);
/*
 * Every merge suggestion, between people ids, from every address in the
 * store: the slow part, run by people_suggest_refresh (people-suggest.c).
 */
int people_suggest_compute(struct store *st, struct merge_suggestion_list *out);
/* Add a suggestion (a < b is arranged) unless that pair has one; takes `reason`. */
void people_suggestion_add(struct merge_suggestion_list *l, int64_t a, int64_t b, enum merge_rule rule,
			   const char *name, const char *addr_a, const char *addr_b, char *reason);
/*
 * Find every merge suggestion again (merge_pairs): after a sync and a
 * rebuild, so that `kith due` reads a few rows instead of pairing
 * 20,000 people's addresses each time.
 */
int people_suggest_refresh(struct store *st);

/* The most written spelling of a normalised address (people-identity.c).  Free it. */
char *people_spelling(struct store *st, const char *norm);
/*
 * The most written spelling of an address among its address_spellings
 * rows: the most counted, then the newest, then the first in order.
 */
struct spelling_pick {
	int64_t best_n, best_at, sum;	/* the best one's count and time; all rows' counts */
	char *best;			/* free it */
};
void spelling_pick_add(struct spelling_pick *p, const char *spelling, int64_t n, int64_t at);
/*
 * The address as written: a spelling equal to the normalised form `addr`
 * has no row, it is what remains of the address's count `n`.
 */
const char *spelling_pick_shown(const struct spelling_pick *p, const char *addr, int64_t n);

/* A person's addresses as written (the primary first), email and role; p->key set. */
int people_fill_identity(struct store *st, int64_t id, int64_t now, struct person *p);
/*
 * The name and primary address as written of each of `ids` (sorted, each
 * once), as people_fill gives them, into names[i] and emails[i] (free
 * each; NULL when there is none): for a list of thousands that shows
 * nothing else of them, each table read once (people-fill.c).
 */
int people_names_many(struct store *st, const int64_t *ids, size_t n, int64_t now, char **names, char **emails);

/* Fill a struct person (person_free) from its evaluation. */
int people_fill(struct store *st, const struct ev *e, int64_t now, struct person *out);
/*
 * The part of people_fill that comes from the evaluation alone: circles,
 * scores, reasons (not with `table`: see PEOPLE_TABLE).
 */
void people_fill_ev(const struct ev *e, int64_t now, bool table, struct person *p);
/*
 * people_fill of each of `sel` into out[0..n-1], reading each table once
 * rather than each person's rows (people-fill.c): a list of thousands.
 */
int people_fill_many(struct store *st, struct ev *const *sel, size_t n, int64_t now, bool table,
		     struct person *out);

#endif
