/* model.h - every number of the people model in one place (docs/architecture.md explains each). */
#ifndef KITH_MODEL_H
#define KITH_MODEL_H

#include "kith/util.h"

/* Interaction weights, per message and per other person; each is divided by √max(n, 1), n the other recipients. */
#define W_OUT_TO		2.0	/* the user wrote, they are in To */
#define W_OUT_CC		1.0	/* ... in Cc */
#define W_OUT_BCC		0.5	/* ... in Bcc */
#define W_IN_TO			1.0	/* they wrote, the user is in To */
#define W_IN_CC			0.5	/* ... the user is only in Cc */
#define W_MANUAL		2.0	/* `kith log`, `kith add` */
#define W_REPLY_FACTOR		1.5	/* the message answers the other's message */
#define W_GRAPH			0.1	/* list post, co-recipient: graph only, no freshness */

/* At most this many counted interactions per direction, person and day. */
#define MAX_COUNTED_PER_DAY	3

/* Exponential decays: strength and activity half-lives. */
#define STRENGTH_HALF_LIFE	(365 * DAY_SECS)
#define ACTIVITY_HALF_LIFE	(30 * DAY_SECS)

/*
 * Decayed sums are kept as Σ w·2^((t − SCORE_EPOCH)/h), so that adding an
 * interaction is a plain addition whatever the order messages arrive in;
 * the value at `now` is that sum times 2^(−(now − SCORE_EPOCH)/h).  With a
 * 30-day half-life a double holds this until about 2100.
 */
#define SCORE_EPOCH		((int64_t)1577836800)	/* 2020-01-01T00:00:00Z */

/* Tiers by strength rank among relationships (1-based, inclusive). */
#define TIER_INNER_MAX_RANK	5
#define TIER_CLOSE_MAX_RANK	15
#define TIER_FRIENDS_MAX_RANK	50
#define TIER_COUNT		4
#define TIER_INNER_CADENCE	(14 * DAY_SECS)
#define TIER_CLOSE_CADENCE	(30 * DAY_SECS)
#define TIER_FRIENDS_CADENCE	(90 * DAY_SECS)
#define TIER_REST_CADENCE	(365 * DAY_SECS)
#define TIER_WEIGHT_INNER	1.0
#define TIER_WEIGHT_CLOSE	0.8
#define TIER_WEIGHT_FRIENDS	0.6
#define TIER_WEIGHT_REST	0.4

/*
 * Learned rhythm from the gaps between contact days that end in the last
 * two years: with RHYTHM_MIN_GAPS or more, E = clamp(1.5 × median gap,
 * C/2, 2C); with RHYTHM_FEW_GAPS to RHYTHM_MIN_GAPS − 1 gaps that agree
 * (the longest at most RHYTHM_FEW_AGREE × the shortest), E = 1.5 × their
 * median with no ceiling (a yearly greeting is yearly, not a friends'
 * quarter) but the floor C/2 (a week of daily mail is one burst).
 */
#define RHYTHM_MIN_GAPS		5
#define RHYTHM_FEW_GAPS		2
#define RHYTHM_FEW_AGREE	2
#define RHYTHM_WINDOW		(730 * DAY_SECS)	/* the last 2 years */
#define RHYTHM_FACTOR		1.5			/* E = 1.5 × median gap ... */
#define RHYTHM_MIN_FACTOR	0.5			/* ... clamped to [C/2, */
#define RHYTHM_MAX_FACTOR	2.0			/*                 2C] */
/*
 * Contact days closer than this to the first day of an episode belong to
 * it: a question, its answer and a thank-you over three days are one
 * contact, so the rhythm says how often they are in touch, not how fast
 * they reply.  The same span tells an exchange the user closed (they
 * wrote, the user answered within it) from a message of the user's still
 * waiting for an answer ("you wrote last").
 */
#define RHYTHM_EPISODE_DAYS	3
/*
 * Contact days kept per person, back from the newest: the window, and a
 * yearly gap that ends in it (with slack).
 */
#define RHYTHM_MAX_DAYS		1100

/* Status thresholds on r = (now − last) / cadence. */
#define RATIO_DUE		0.8
#define RATIO_OVERDUE		1.0
#define DORMANT_CADENCES	3		/* dormant: now − last > max(3 cadence, */
#define DORMANT_MIN		(365 * DAY_SECS)	/*                    1 year) */

/* Exclusions from `kith due`. */
#define USER_WROTE_LAST_RATIO	1.5	/* the user wrote last: wait until r >= 1.5 */
#define UNANSWERED_WINDOW	(60 * DAY_SECS)	/* they wrote last: an owed reply, not a nudge */

/* Priority. */
#define PRIORITY_RATIO_CAP	4.0	/* min(1 + log2 r, 4) */
#define DISMISS_WINDOW		(180 * DAY_SECS)
#define DISMISS_FACTOR		0.5	/* priority × 0.5^dismissals; cadence × 2^dismissals */
#define FOCUS_BOOST		2.0	/* a member of a circle with focus = yes */

/* Replies. */
#define OWED_MIN_AGE		(2 * DAY_SECS)	/* their message waits at least this long */
#define AWAITING_MIN_AGE	(7 * DAY_SECS)	/* the user's message unanswered this long */
#define REPLY_MAX_AGE		UNANSWERED_WINDOW	/* older ones fall back to `kith due` */
/*
 * Mail from a sender the user never wrote to is a mailing, owed no reply,
 * when it came on this many days (or its host sent this many mass mailings).
 */
#define OWED_MAILING_DAYS	3

/*
 * Seeds: new ties.  A person the user wrote to directly, or added or
 * logged by hand, whose first counted interaction is less than SEED_DAYS
 * old.  After the k-th contact day the next follow-up is due
 * SEED_STEP_1 (k = 1), SEED_STEP_2 (k = 2), then SEED_STEP_3 after it,
 * until a learned rhythm or a cadence the user set takes over.  A seed
 * with no contact for SEED_LOST_AFTER is lost, whatever came before.
 */
#define SEED_DAYS		(90 * DAY_SECS)
#define SEED_STEP_1		(3 * DAY_SECS)
#define SEED_STEP_2		(21 * DAY_SECS)
#define SEED_STEP_3		(90 * DAY_SECS)
#define SEED_LOST_AFTER		(90 * DAY_SECS)
#define SEED_LIST_DAYS		180	/* `kith seeds` looks back this many days */
#define SEED_TIER		2	/* a seed is ranked as a friend would be */
#define SEED_DIGEST_MAX		1	/* seeds a day in the digest, beyond focus circles */

/*
 * Threads.  A message answers another when In-Reply-To or References names
 * it; without both, when its Thread-Index names the same conversation, or
 * else when its base subject equals that of a message exchanged with the
 * same person in this window before it.
 */
#define THREAD_SUBJECT_WINDOW	(30 * DAY_SECS)
/*
 * A Thread-Index is 22 bytes naming the conversation, then 5 bytes per
 * reply.  The key is the first THREAD_INDEX_KEY_CHARS base64 characters
 * (21 of the 22 bytes); more than THREAD_INDEX_ROOT_CHARS characters
 * (22 bytes unpadded) continue a conversation.
 */
#define THREAD_INDEX_KEY_CHARS	28
#define THREAD_INDEX_ROOT_CHARS	30

/* Identity. */
#define ME_SENT_MIN		3	/* From in Sent this often makes an address the user's */
/*
 * ... when the folder is the user's: that address and the configured ones
 * wrote at least ME_SENT_TRUST_PCT percent of its messages, or it is one
 * of the ME_SENT_TOP most frequent writers and those wrote at least
 * ME_SENT_TOP_PCT percent (the user's few addresses write a Sent folder).
 * A server can flag any folder \Sent; an inbox so flagged holds many
 * writers, none of them the user, and teaches nothing.
 */
#define ME_SENT_TRUST_PCT	50
#define ME_SENT_TOP		3
#define ME_SENT_TOP_PCT		80
#define MERGE_MIN_THREADS	2	/* shared threads that back a merge suggestion */
/*
 * A job change: one distinctive local part (this many letters or more) on
 * two domains, the old address silent by the time the new one starts
 * (give or take JOB_CHANGE_OVERLAP), with at most JOB_CHANGE_MAX_GAP
 * between them.
 */
#define JOB_CHANGE_MIN_LETTERS	5
#define JOB_CHANGE_OVERLAP	(30 * DAY_SECS)
#define JOB_CHANGE_MAX_GAP	(365 * DAY_SECS)
#define ME_NAME_SAMPLE		64	/* the user's recent messages read for the name they sign with */

/* Limits on hostile or huge input. */
#define DEFAULT_MAX_RECIPIENTS	10	/* without a config: more is a blast */
#define GRAPH_MAX_RECIPIENTS	50	/* co-recipient edges are recorded up to this size */
#define NAME_MAX_LEN		200	/* bytes of a display name kept */

#endif
