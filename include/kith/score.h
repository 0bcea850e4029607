/* score.h - freshness, strength, rhythm, due dates and priority (DESIGN §7); pure functions. */
#ifndef KITH_SCORE_H
#define KITH_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kith/people.h"

/* Which header field put the other person on the message. */
enum score_field { FIELD_TO, FIELD_CC, FIELD_BCC };

/*
 * Weight of one message for one other person (§7): `outgoing` when the
 * user wrote it; `field` says where the other person (outgoing) or the
 * user (incoming) stands; `n_other` is the number of other recipients.
 */
double score_weight(bool outgoing, enum score_field field, bool reply, bool calendar_reply,
		    size_t n_other);

/* w·2^((at − SCORE_EPOCH)/half_life): one term of a decayed sum (see model.h). */
double score_term(double w, int64_t at, int64_t half_life);
/* The value at `now` of a decayed sum kept at SCORE_EPOCH. */
double score_at(double sum, int64_t now, int64_t half_life);

/* R = 2·min(out, in)/(out + in); 0 when both are 0. */
double score_reciprocity(double out, double in);

/* Tier (0 inner ... 3 rest) of the 1-based strength rank among relationships. */
int score_tier(size_t rank);
double score_tier_weight(int tier);

/*
 * Learned rhythm from the sorted day numbers (epoch days) of contact:
 * days within RHYTHM_EPISODE_DAYS of an episode's first day are one
 * episode; with at least RHYTHM_MIN_GAPS gaps between episodes in the
 * RHYTHM_WINDOW before `now`, returns E = clamp(1.5 × median gap, C/2, 2C)
 * in seconds and sets *median to the rhythm E follows (the median gap, or
 * E / 1.5 when clamped), in seconds; returns 0 when there is too little
 * history.
 */
int64_t score_rhythm(const int32_t *days, size_t ndays, int64_t now, int64_t tier_cadence,
		     int64_t *median);

/* What the evaluation of one person needs. */
struct score_input {
	int64_t now;
	double s_out, s_in;		/* strength parts at now */
	int64_t last_contact, last_sent, last_received;	/* 0: never */
	int tier;
	int64_t tier_cadence;		/* C for the tier */
	int64_t person_cadence;		/* 0 auto, -1 never */
	int64_t circle_cadence;		/* 0 none */
	const char *circle;		/* name of the circle giving the cadence or focus, or NULL */
	const int32_t *days;		/* contact days, sorted */
	size_t ndays;
	bool relationship;
	int64_t snoozed_until;
	bool ignored, bounced;
	int dismissals;			/* in the last DISMISS_WINDOW */
	bool focus;
};

struct score_result {
	int64_t cadence;		/* effective (dismissals doubled); 0 with CADENCE_NEVER */
	enum cadence_source source;
	int64_t median_gap;		/* learned rhythm's median gap, 0 when not learned */
	double ratio;			/* 0 when never in contact */
	double days_since;		/* -1 when never */
	enum person_status status;
	double reciprocity;
	double priority;		/* 0 when not suggested */
	bool suggested;
	const char *why_not;		/* static; NULL when suggested */
};

/* Evaluate one person at in->now.  Never fails. */
void score_eval(const struct score_input *in, struct score_result *out);

/* Status of a ratio, before dormancy: ok, due or overdue. */
enum person_status score_status(double ratio);

/* min(1 + log2 r, 4) × the other factors of §7. */
double score_priority(int tier, double ratio, double reciprocity, int dismissals, bool focus);

/*
 * One readable line saying why someone is due, e.g. "usually every 3 weeks
 * · you last wrote 4 months ago".  Returns a new string (free it).
 */
char *score_reason(const struct score_input *in, const struct score_result *r);

/* "3 days", "5 weeks", "4 months", "2 years".  Returns a new string (free it). */
char *score_span(int64_t secs);

#endif
