/* score.c - weights, decays, rhythm, status, priority: the arithmetic of docs/architecture.md, Score. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kith/model.h"
#include "kith/score.h"
#include "kith/util.h"
#include "kith/words.h"

double
score_weight(bool outgoing, enum score_field field, bool reply, bool calendar_reply, size_t n_other)
{
	double w;

	if (outgoing)
		w = field == FIELD_TO ? W_OUT_TO : field == FIELD_CC ? W_OUT_CC : W_OUT_BCC;
	else
		w = field == FIELD_TO ? W_IN_TO : W_IN_CC;
	/* Accepting an invitation is a click, not a conversation. */
	if (reply && !calendar_reply)
		w *= W_REPLY_FACTOR;
	return w / sqrt((double)(n_other > 1 ? n_other : 1));
}

double
score_term(double w, int64_t at, int64_t half_life)
{
	return w * exp2((double)(at - SCORE_EPOCH) / (double)half_life);
}

double
score_at(double sum, int64_t now, int64_t half_life)
{
	return sum * exp2(-(double)(now - SCORE_EPOCH) / (double)half_life);
}

double
score_reciprocity(double out, double in)
{
	if (out + in <= 0)
		return 0;
	return 2 * (out < in ? out : in) / (out + in);
}

int
score_tier(size_t rank)
{
	if (rank >= 1 && rank <= TIER_INNER_MAX_RANK)
		return 0;
	if (rank >= 1 && rank <= TIER_CLOSE_MAX_RANK)
		return 1;
	if (rank >= 1 && rank <= TIER_FRIENDS_MAX_RANK)
		return 2;
	return 3;
}

/* The weight of a tier in a person's priority. */
static double
score_tier_weight(int tier)
{
	static const double w[TIER_COUNT] = {
		TIER_WEIGHT_INNER, TIER_WEIGHT_CLOSE, TIER_WEIGHT_FRIENDS, TIER_WEIGHT_REST,
	};

	return w[tier < 0 || tier >= TIER_COUNT ? TIER_COUNT - 1 : tier];
}

/* A few dozen gaps per person, 20,000 people: insertion sort beats qsort's setup. */
static void
sort_i64(int64_t *v, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		int64_t x = v[i];

		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* Median of n sorted gaps, in seconds. */
static int64_t
median_secs(const int64_t *gaps, size_t n)
{
	return n % 2 ? gaps[n / 2] * DAY_SECS : (gaps[n / 2 - 1] + gaps[n / 2]) * DAY_SECS / 2;
}

int64_t
score_rhythm(const int32_t *days, size_t ndays, int64_t now, int64_t tier_cadence, struct rhythm *rh)
{
	int64_t from = (now - RHYTHM_WINDOW) / DAY_SECS, today = now / DAY_SECS;
	int64_t stack[RHYTHM_MAX_DAYS + 8], *gaps, start = -1, e = 0, lo, hi;
	size_t i, ngaps = 0;

	memset(rh, 0, sizeof(*rh));
	if (ndays < RHYTHM_FEW_GAPS + 1)
		return 0;
	gaps = ndays <= ARRAY_SIZE(stack) ? stack : xcalloc(ndays, sizeof(*gaps));
	/*
	 * A back-and-forth over a few days is one contact, not a daily habit:
	 * days within RHYTHM_EPISODE_DAYS of an episode's first day join it,
	 * and the gaps are those between the episodes' first days.  A gap
	 * counts when it ends in the window: a yearly greeting seen three
	 * times has two gaps, though the first one began before the window.
	 */
	for (i = 0; i < ndays; i++) {
		if (days[i] > today)
			break;
		if (start >= 0 && days[i] - start < RHYTHM_EPISODE_DAYS)
			continue;
		if (start >= 0 && days[i] >= from)
			gaps[ngaps++] = days[i] - start;
		start = days[i];
	}
	rh->gaps = ngaps;
	if (ngaps < RHYTHM_FEW_GAPS)
		goto out;
	sort_i64(gaps, ngaps);
	rh->median = median_secs(gaps, ngaps);
	e = (int64_t)llround(RHYTHM_FACTOR * (double)rh->median);
	lo = (int64_t)llround(RHYTHM_MIN_FACTOR * (double)tier_cadence);
	hi = (int64_t)llround(RHYTHM_MAX_FACTOR * (double)tier_cadence);
	if (ngaps < RHYTHM_MIN_GAPS) {
		/*
		 * A few gaps are a rhythm only when they agree: two greetings a
		 * year apart and one a month later say nothing steady.  They
		 * have no ceiling: a yearly friend is yearly.  They keep the
		 * floor, though: a week of daily mail is one burst, and must
		 * not make kith ask every five days.
		 */
		if (gaps[ngaps - 1] > RHYTHM_FEW_AGREE * gaps[0]) {
			rh->median = 0;
			e = 0;
			goto out;
		}
		rh->few = true;
		hi = INT64_MAX;
	}
	if (e < lo || e > hi) {
		e = e < lo ? lo : hi;
		rh->clamped = true;
	}
out:
	if (gaps != stack)
		free(gaps);
	return e;
}

enum person_status
score_status(double ratio)
{
	if (ratio < RATIO_DUE)
		return STATUS_OK;
	if (ratio < RATIO_OVERDUE)
		return STATUS_DUE;
	return STATUS_OVERDUE;
}

double
score_priority(int tier, double ratio, double reciprocity, int dismissals, bool focus)
{
	double f;

	if (ratio <= 0)
		return 0;
	f = 1 + log2(ratio);
	if (f > PRIORITY_RATIO_CAP)
		f = PRIORITY_RATIO_CAP;
	if (f < 0)
		f = 0;
	return score_tier_weight(tier) * f * (0.5 + 0.5 * reciprocity) *
	       pow(DISMISS_FACTOR, dismissals) * (focus ? FOCUS_BOOST : 1.0);
}

static const char *
exclusion(const struct score_input *in, const struct score_result *r)
{
	if (!in->relationship)
		return "acquaintance";
	if (r->source == CADENCE_NEVER)
		return "cadence never";
	if (in->ignored)
		return "ignored";
	if (in->bounced)
		return "address bounced";
	if (in->snoozed_until > in->now)
		return "snoozed";
	if (in->last_contact == 0)
		return "no contact yet";
	if (r->status == STATUS_OK)
		return "not due yet";
	if (score_user_wrote_last(in) && r->ratio < USER_WROTE_LAST_RATIO)
		return "you wrote last";
	if (in->last_received > in->last_sent && in->last_received >= in->last_contact &&
	    in->now - in->last_received < UNANSWERED_WINDOW)
		return "owed reply";
	return NULL;
}

void
score_eval(const struct score_input *in, struct score_result *out)
{
	int64_t age, learned, dormant;
	int d;

	memset(out, 0, sizeof(*out));
	out->reciprocity = score_reciprocity(in->s_out, in->s_in);
	out->days_since = in->last_contact ? (double)(in->now - in->last_contact) / DAY_SECS : -1;
	/* The rhythm is only learned when nothing the user set takes precedence. */
	learned = in->person_cadence == 0 && in->circle_cadence == 0
		? score_rhythm(in->days, in->ndays, in->now, in->tier_cadence, &out->rhythm) : 0;
	if (in->person_cadence < 0) {
		out->source = CADENCE_NEVER;
	} else if (in->person_cadence > 0) {
		out->source = CADENCE_PERSON;
		out->cadence = in->person_cadence;
	} else if (in->circle_cadence > 0) {
		out->source = CADENCE_CIRCLE;
		out->cadence = in->circle_cadence;
	} else if (learned > 0) {
		out->source = CADENCE_LEARNED;
		out->cadence = learned;
	} else {
		out->source = CADENCE_TIER;
		out->cadence = in->tier_cadence > 0 ? in->tier_cadence : TIER_REST_CADENCE;
	}
	if (out->source != CADENCE_LEARNED)
		memset(&out->rhythm, 0, sizeof(out->rhythm));
	/* Each dismissal says "not this often": the cadence doubles. */
	for (d = 0; d < in->dismissals && out->cadence > 0 && out->cadence < INT64_MAX / 4; d++)
		out->cadence *= 2;

	out->status = STATUS_NONE;
	if (out->source != CADENCE_NEVER && in->last_contact && in->relationship) {
		age = in->now - in->last_contact;
		if (age < 0)
			age = 0;
		out->ratio = (double)age / (double)out->cadence;
		out->status = score_status(out->ratio);
		dormant = DORMANT_CADENCES * out->cadence;
		if (dormant < DORMANT_MIN)
			dormant = DORMANT_MIN;
		if (age > dormant)
			out->status = STATUS_DORMANT;
	}
	out->why_not = exclusion(in, out);
	out->suggested = out->why_not == NULL;
	if (out->suggested)
		out->priority = score_priority(in->tier, out->ratio, out->reciprocity, in->dismissals,
					       in->focus);
}

bool
score_user_wrote_last(const struct score_input *in)
{
	if (!(in->last_sent > in->last_received && in->last_sent >= in->last_contact))
		return false;
	/* They never wrote: every message of the user's waits for them. */
	if (in->last_received == 0)
		return true;
	return in->last_sent - in->last_received >= RHYTHM_EPISODE_DAYS * DAY_SECS;
}

/* How the tiers' defaults are named: "friends are asked every 3 months". */
static const char *const tier_askees[TIER_COUNT] = {
	"the inner circle is", "close friends are", "friends are", "the wider network is",
};

char *
score_cadence_words(const struct score_input *in, const struct score_result *r)
{
	char seen[48], asks[48], month[32];
	int tier = in->tier < 0 || in->tier >= TIER_COUNT ? TIER_COUNT - 1 : in->tier;

	switch (r->source) {
	case CADENCE_PERSON:
		return xasprintf("%s by your choice", kith_every_words(r->cadence, asks, sizeof(asks)));
	case CADENCE_CIRCLE:
		return xasprintf("%s circle: %s", in->circle ? in->circle : "their",
				 kith_every_words(r->cadence, asks, sizeof(asks)));
	case CADENCE_NEVER:
		return xstrdup("never nudged");
	case CADENCE_SEED:
		return xasprintf("new tie: followed up %s after the last contact",
				 kith_duration_words(r->cadence, asks, sizeof(asks)));
	case CADENCE_TIER:
		return xasprintf("no rhythm yet — %s asked %s", tier_askees[tier],
				 kith_every_words(in->tier_cadence > 0 ? in->tier_cadence : TIER_REST_CADENCE,
						  asks, sizeof(asks)));
	case CADENCE_LEARNED:
		break;
	}
	kith_every_words(r->rhythm.median, seen, sizeof(seen));
	kith_every_words(r->cadence, asks, sizeof(asks));
	/* What was observed first; kith's expectation only where it reads differently. */
	if (in->last_contact && in->now - in->last_contact > r->cadence)
		kith_month_words(in->last_contact, in->now, month, sizeof(month));
	else
		month[0] = '\0';
	return xasprintf("you %s %s%s%s%s%s%s", month[0] ? "wrote" : "write",
			 r->rhythm.few ? "about " : "", seen, month[0] ? " until " : "", month,
			 strcmp(seen, asks) ? ", kith asks " : "", strcmp(seen, asks) ? asks : "");
}

char *
score_reason(const struct score_input *in, const struct score_result *r)
{
	struct strbuf sb = { 0 };
	char *cad = score_cadence_words(in, r), ago[48];

	sb_adds(&sb, cad);
	free(cad);
	if (!in->last_contact)
		sb_adds(&sb, " · no contact yet");
	else if (score_user_wrote_last(in))
		sb_addf(&sb, " · you last wrote %s", kith_ago_words(in->last_sent, in->now, ago, sizeof(ago)));
	else if (in->last_received > in->last_sent && in->last_received >= in->last_contact)
		sb_addf(&sb, " · they last wrote %s",
			kith_ago_words(in->last_received, in->now, ago, sizeof(ago)));
	else
		sb_addf(&sb, " · last in touch %s",
			kith_ago_words(in->last_contact, in->now, ago, sizeof(ago)));
	if (in->dismissals > 0)
		sb_addf(&sb, " · dismissed %d× lately", in->dismissals);
	return sb_detach(&sb);
}
