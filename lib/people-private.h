/* people-private.h - what the people*.c files share; not installed. */
#ifndef KITH_PEOPLE_PRIVATE_H
#define KITH_PEOPLE_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "kith/people.h"
#include "kith/score.h"

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
	const char *kind, *note;	/* manual only */
	const char *subject;
};

/* The configured recipient limit, or the default without a config. */
int people_max_recipients(const struct store *st);

/* Normalise an address knowing the user's (for +tags).  NULL when not an address. */
char *people_norm(struct store *st, const char *addr);
/* Is the normalised address the user's (config globs or learned from Sent)? */
bool people_is_me(struct store *st, const char *norm);

/* classify_env callbacks; `arg` is the store. */
bool people_env_is_me(void *arg, const char *addr);
bool people_env_user_sent_to(void *arg, const char *message_id, const char *addr);

/*
 * The person holding the normalised address, created (with the address)
 * when new; the key comes from the user's merges and splits when there is
 * one.  `name` (may be NULL) is counted as a spelling of their name,
 * written by them when `author`.
 */
int people_touch_address(struct store *st, const char *norm, const char *name, bool author,
			 int64_t at, int64_t *person, int64_t *address);

/* The person with this key; created when `create`, else *id = 0 when absent. */
int people_by_key(struct store *st, const char *key, bool create, int64_t *id);

/* The key of a person.  Returns a new string (free it), NULL (logged) when there is none. */
char *people_key(struct store *st, int64_t id);

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
	size_t rank;			/* by strength among relationships, 1-based; 0 for others */
	struct score_input in;
	struct score_result res;
};

struct evset {
	struct ev *v;			/* sorted by id */
	size_t n;
	int64_t now;
};

/* Evaluate every person (or only the relationships) at `now`. */
int people_evaluate(struct store *st, int64_t now, bool relationships_only, struct evset *es);
void people_evset_free(struct evset *es);
struct ev *people_ev_find(const struct evset *es, int64_t id);
bool people_ev_in_circle(const struct ev *e, const char *circle);
/* Fill a struct person (person_free) from its evaluation. */
int people_fill(struct store *st, const struct ev *e, int64_t now, struct person *out);

#endif
