/* score.h - freshness, strength, rhythm, due dates and priority; pure functions (docs/architecture.md, Score). */
#ifndef KITH_SCORE_H
#define KITH_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kith/people.h"

/* Which header field put the other person on the message. */
enum score_field { FIELD_TO, FIELD_CC, FIELD_BCC };

/*
 * Weight of one message for one other person (the weights of model.h): `outgoing` when the
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

/* What the history of contact days says, as score_rhythm found it. */
struct rhythm {
	int64_t median;			/* the median gap observed, seconds; 0: no rhythm */
	size_t gaps;			/* gaps between episodes that end in the window */
	bool few;			/* learned from 2-4 agreeing gaps: no ceiling */
	bool clamped;			/* E was clamped to [C/2, 2C] (few: raised to C/2) */
};

/*
 * Learned rhythm from the sorted day numbers (epoch days) of contact:
 * days within RHYTHM_EPISODE_DAYS of an episode's first day are one
 * episode, and the gaps between episodes that end in the RHYTHM_WINDOW
 * before `now` count.  With at least RHYTHM_MIN_GAPS of them, returns
 * E = clamp(1.5 × median gap, C/2, 2C) in seconds; with RHYTHM_FEW_GAPS to
 * RHYTHM_MIN_GAPS − 1 that agree, E = max(1.5 × their median, C/2);
 * otherwise 0.  *rh says what was observed (its median is the observed
 * one, never bent to the clamp).
 */
int64_t score_rhythm(const int32_t *days, size_t ndays, int64_t now, int64_t tier_cadence,
		     struct rhythm *rh);

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
	struct rhythm rhythm;		/* what the history showed; median 0 when not learned */
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

/* tier weight × min(1 + log2 r, 4) × (0.5 + 0.5 R) × 0.5^dismissals × focus boost. */
double score_priority(int tier, double ratio, double reciprocity, int dismissals, bool focus);

/*
 * Whether the user wrote last in the sense that matters for a nudge: their
 * newest message came after the other's newest, and not as the close of
 * the same exchange (within RHYTHM_EPISODE_DAYS of it).  An unanswered
 * message waits for the other; a conversation the user closed does not.
 */
bool score_user_wrote_last(const struct score_input *in);

/*
 * What the cadence rests on, in words: "you write every 6 days, kith asks
 * every 2 weeks", "you wrote every 4 weeks until March", "you write about
 * once a year", "no rhythm yet — friends are asked every 3 months",
 * "investors circle: every 2 months", "every 2 weeks by your choice".
 * Returns a new string (free it).
 */
char *score_cadence_words(const struct score_input *in, const struct score_result *r);

/*
 * One readable line saying why someone is due: the cadence words, then
 * the last contact ("you last wrote 4 months ago", "they last wrote ...",
 * "last in touch ..."), e.g. "you write every 3 weeks, kith asks every 5
 * weeks · last in touch 2 months ago".  Returns a new string (free it).
 */
char *score_reason(const struct score_input *in, const struct score_result *r);

#endif
