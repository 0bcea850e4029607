/* seed.h - new ties: their state, the next follow-up and the words for them; pure functions. */
#ifndef KITH_SEED_H
#define KITH_SEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum seed_state {
	SEED_NONE,		/* not a seed */
	SEED_GROWING,		/* they wrote back, or met the user again (logged) */
	SEED_WAITING,		/* they never have */
	SEED_LOST,		/* no contact for SEED_LOST, whatever came before */
};

enum seed_origin {
	ORIGIN_MAIL,		/* the user wrote to them */
	ORIGIN_ADDED,		/* added or logged by hand */
	ORIGIN_EVENT,		/* met at an event (`kith add --event`, `kith log --event`) */
};

const char *seed_state_name(enum seed_state s);		/* "growing", "waiting", "lost", "none" */
const char *seed_origin_name(enum seed_origin o);	/* "mail", "added", "event" */

/* The numbers, from model.h or the [kith] seed_* keys. */
struct seed_params {
	int64_t days;			/* a seed while the first contact is younger */
	int64_t steps[3];		/* after the 1st, 2nd, 3rd and later contact days */
	int64_t lost;			/* no contact this long: lost */
};

/* The model's defaults (model.h). */
void seed_params_default(struct seed_params *p);

struct seed_input {
	int64_t now;
	int64_t first_contact;		/* first counted interaction; 0: none */
	int64_t last_contact;		/* newest one */
	size_t contact_days;		/* k: distinct days of contact */
	bool answered;			/* they wrote, or a later meeting or call was logged */
	bool rhythm;			/* a learned rhythm, or a cadence set (person, circle): no steps */
	int64_t cadence;		/* the cadence that takes over when `rhythm` */
};

struct seed_result {
	enum seed_state state;
	bool active;			/* first contact younger than params.days: nursed by `due` */
	int64_t step;			/* the wait after the last contact day; 0 when `rhythm` */
	int64_t next_follow_up;		/* last contact + step (or + cadence); 0 when lost */
};

/* The step after the k-th contact day (k >= 1; k = 0 reads as 1). */
int64_t seed_step(const struct seed_params *p, size_t k);

/* Evaluate a new tie at in->now.  Without a first contact the state is SEED_NONE. */
void seed_eval(const struct seed_params *p, const struct seed_input *in, struct seed_result *out);

/*
 * The reason a seed gives, in the words `due` and the nudge use:
 * "new: first met 5 days ago at Lyon meetup — they have not written yet",
 * "new: first in touch 3 weeks ago — they last wrote 2 days ago",
 * "new: first met 4 months ago — lost: no contact for 4 months".
 * `event` may be NULL.  Returns a new string (free it).
 */
char *seed_words(const struct seed_input *in, const struct seed_result *r, enum seed_origin origin,
		 const char *event, int64_t last_sent, int64_t last_received);

#endif
