/* test-score.c - every rule of the score (docs/architecture.md, Score) with a fixed clock. */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "kith/model.h"
#include "kith/score.h"
#include "tap.h"

#define D DAY_SECS
static const int64_t NOW = 1780000000;	/* 2026-05-28 */

/* A relationship in the close tier (C = 30 d), last in touch `ago` days ago both ways. */
static struct score_input
base(int ago)
{
	struct score_input in = { 0 };

	in.now = NOW;
	in.s_out = in.s_in = 1.0;
	in.last_contact = in.last_sent = in.last_received = NOW - ago * D;
	in.tier = 1;
	in.tier_cadence = 30 * D;
	in.relationship = true;
	return in;
}

static struct score_result
eval(const struct score_input *in)
{
	struct score_result r;

	score_eval(in, &r);
	return r;
}

/* Contact days every `gap` days, `n` of them, ending `end_ago` days before NOW. */
static int32_t *
days_every(int gap, size_t n, int end_ago)
{
	int32_t *d = calloc(n, sizeof(*d));
	size_t i;

	for (i = 0; i < n; i++)
		d[i] = (int32_t)(NOW / D - end_ago - (int64_t)(n - 1 - i) * gap);
	return d;
}

int
main(void)
{
	struct score_input in;
	struct score_result r;
	struct rhythm rh;
	int64_t e;
	int32_t *days;
	char *s;

	/* Weights and dilution. */
	is_dbl(score_weight(true, FIELD_TO, false, false, 0), 2.0, 1e-9, "user → them in To: 2.0");
	is_dbl(score_weight(true, FIELD_CC, false, false, 0), 1.0, 1e-9, "user → them in Cc: 1.0");
	is_dbl(score_weight(true, FIELD_BCC, false, false, 0), 0.5, 1e-9, "user → them in Bcc: 0.5");
	is_dbl(score_weight(false, FIELD_TO, false, false, 0), 1.0, 1e-9, "them → user in To: 1.0");
	is_dbl(score_weight(false, FIELD_CC, false, false, 0), 0.5, 1e-9, "them → user only in Cc: 0.5");
	is_dbl(score_weight(true, FIELD_TO, true, false, 0), 3.0, 1e-9, "a reply weighs ×1.5");
	is_dbl(score_weight(false, FIELD_TO, true, true, 0), 1.0, 1e-9, "a calendar reply gets no bonus");
	is_dbl(score_weight(true, FIELD_TO, false, false, 1), 2.0, 1e-9, "one other recipient: no dilution");
	is_dbl(score_weight(true, FIELD_TO, false, false, 4), 1.0, 1e-9, "four others: ÷√4");
	is_dbl(score_weight(false, FIELD_TO, true, false, 9), 0.5, 1e-9, "reply among nine others: 1.5/3");

	/* Decays: one half-life halves; adding an interaction never lowers strength. */
	is_dbl(score_at(score_term(2.0, NOW - 365 * D, STRENGTH_HALF_LIFE), NOW, STRENGTH_HALF_LIFE), 1.0,
	       1e-9, "strength halves in 365 days");
	is_dbl(score_at(score_term(1.0, NOW - 30 * D, ACTIVITY_HALF_LIFE), NOW, ACTIVITY_HALF_LIFE), 0.5,
	       1e-9, "activity halves in 30 days");
	is_dbl(score_at(score_term(1.0, NOW, STRENGTH_HALF_LIFE), NOW, STRENGTH_HALF_LIFE), 1.0, 1e-9,
	       "an interaction now counts in full");
	{
		double sum = 0, prev = 0;
		int i, never_lower = 1;

		for (i = 0; i < 200; i++) {
			sum += score_term(0.1 * (i % 7), NOW - (int64_t)(i * 37 % 900) * D, STRENGTH_HALF_LIFE);
			if (score_at(sum, NOW, STRENGTH_HALF_LIFE) < prev)
				never_lower = 0;
			prev = score_at(sum, NOW, STRENGTH_HALF_LIFE);
		}
		ok(never_lower, "adding interactions, old or new, never lowers strength");
	}

	/* Reciprocity. */
	is_dbl(score_reciprocity(1, 1), 1.0, 1e-9, "balanced: R = 1");
	is_dbl(score_reciprocity(3, 1), 0.5, 1e-9, "3 to 1: R = 0.5");
	is_dbl(score_reciprocity(2, 0), 0.0, 1e-9, "one-sided: R = 0");
	is_dbl(score_reciprocity(0, 0), 0.0, 1e-9, "nothing: R = 0");

	/* Tiers by rank. */
	is_int(score_tier(1), 0, "rank 1 inner");
	is_int(score_tier(5), 0, "rank 5 inner");
	is_int(score_tier(6), 1, "rank 6 close");
	is_int(score_tier(15), 1, "rank 15 close");
	is_int(score_tier(16), 2, "rank 16 friends");
	is_int(score_tier(50), 2, "rank 50 friends");
	is_int(score_tier(51), 3, "rank 51 rest");

	/* Learned rhythm and its clamps. */
	days = days_every(10, 8, 0);
	e = score_rhythm(days, 8, NOW, 30 * D, &rh);
	is_int(rh.median, 10 * D, "median gap of a 10-day rhythm");
	is_int(e, 15 * D, "E = 1.5 × median");
	ok(!rh.clamped && !rh.few, "seven gaps, within [C/2, 2C]: neither clamped nor few");
	free(days);
	days = days_every(1, 10, 0);
	is_int(score_rhythm(days, 10, NOW, 30 * D, &rh), 15 * D,
	       "ten days in a row are one burst: a few gaps, raised to C/2");
	is_int((int64_t)rh.gaps, 3, "three gaps between episodes, not nine");
	ok(rh.few && rh.clamped, "few and raised");
	free(days);
	days = days_every(4, 10, 0);
	is_int(score_rhythm(days, 10, NOW, 30 * D, &rh), 15 * D, "contact every 4 days clamps to C/2");
	is_int(rh.median, 4 * D, "and the rhythm shown is the one observed, 4 days");
	ok(rh.clamped, "clamped");
	free(days);
	{
		/* Three-day exchanges every three weeks: the rhythm is three weeks. */
		int32_t d[18];

		for (size_t i = 0; i < ARRAY_SIZE(d); i++)
			d[i] = (int32_t)(NOW / D - 21 * 5 + (int64_t)(i / 3) * 21 + (int64_t)(i % 3));
		is_int(score_rhythm(d, ARRAY_SIZE(d), NOW, 90 * D, &rh), 45 * D,
		       "episodes of three days every three weeks, friends tier: C/2");
		is_int(rh.median, 21 * D, "observed: three weeks, whatever the clamp");
		is_int(score_rhythm(d, ARRAY_SIZE(d), NOW, 30 * D, &rh), (int64_t)(1.5 * 21 * D),
		       "the same with a 30-day tier: 1.5 × 3 weeks");
		is_int(rh.median, 21 * D, "median gap between episodes is 3 weeks");
	}
	days = days_every(60, 8, 0);
	is_int(score_rhythm(days, 8, NOW, 14 * D, &rh), 28 * D, "rare contact clamps to 2C");
	is_int(rh.median, 60 * D, "observed: every 60 days");
	free(days);
	days = days_every(10, 8, 800);
	is_int(score_rhythm(days, 8, NOW, 30 * D, &rh), 0, "gaps older than two years do not count");
	is_int((int64_t)rh.gaps, 0, "none of them");
	free(days);
	{
		int32_t d[] = { 100, 110, 110, 120, 130, 140, 150 };	/* a repeated day is one day */

		for (size_t i = 0; i < ARRAY_SIZE(d); i++)
			d[i] += (int32_t)(NOW / D) - 150;
		is_int(score_rhythm(d, ARRAY_SIZE(d), NOW, 30 * D, &rh), 15 * D, "duplicate days ignored");
		is_int(rh.median, 10 * D, "median over five gaps");
	}

	/* A few gaps: a rhythm when they agree, and never clamped. */
	days = days_every(10, 5, 0);
	is_int(score_rhythm(days, 5, NOW, 30 * D, &rh), 15 * D, "four agreeing gaps: E = 1.5 × median");
	ok(rh.few && !rh.clamped, "four gaps are few, and not clamped");
	free(days);
	days = days_every(365, 3, 10);
	is_int(score_rhythm(days, 3, NOW, 90 * D, &rh), (int64_t)(1.5 * 365 * D),
	       "a yearly greeting, friends tier: yearly, not C/2 or 2C");
	ok(rh.few, "two gaps, the first begun before the window");
	is_int(rh.median, 365 * D, "observed: every 365 days");
	free(days);
	days = days_every(365, 2, 10);
	is_int(score_rhythm(days, 2, NOW, 90 * D, &rh), 0, "one gap is no rhythm");
	free(days);
	{
		/* Gaps of 100 and 200 days agree (exactly twice); 100 and 201 do not. */
		int32_t d[] = { 0, 100, 300 };
		int32_t d2[] = { 0, 100, 301 };

		for (size_t i = 0; i < 3; i++) {
			d[i] += (int32_t)(NOW / D) - 300;
			d2[i] += (int32_t)(NOW / D) - 301;
		}
		is_int(score_rhythm(d, 3, NOW, 30 * D, &rh), 225 * D, "longest = 2 × shortest: they agree");
		is_int(score_rhythm(d2, 3, NOW, 30 * D, &rh), 0, "longest > 2 × shortest: no rhythm");
		is_int((int64_t)rh.gaps, 2, "though two gaps were seen");
	}
	{
		/* Five gaps are the clamped rule even when they disagree. */
		int32_t d[] = { 0, 10, 20, 30, 40, 200 };

		for (size_t i = 0; i < ARRAY_SIZE(d); i++)
			d[i] += (int32_t)(NOW / D) - 200;
		is_int(score_rhythm(d, ARRAY_SIZE(d), NOW, 30 * D, &rh), 15 * D, "five gaps: clamped median rule");
		ok(!rh.few, "not few");
	}

	/* Status thresholds. */
	is_int(score_status(0.79), STATUS_OK, "r 0.79 ok");
	is_int(score_status(0.8), STATUS_DUE, "r 0.8 due");
	is_int(score_status(0.99), STATUS_DUE, "r 0.99 due");
	is_int(score_status(1.0), STATUS_OVERDUE, "r 1 overdue");

	/* Tier default, ratio, status, priority. */
	in = base(40);
	r = eval(&in);
	is_int(r.source, CADENCE_TIER, "tier cadence by default");
	is_int(r.cadence, 30 * D, "close tier: 30 days");
	is_dbl(r.ratio, 40.0 / 30, 1e-9, "r = (now − last)/cadence");
	is_int(r.status, STATUS_OVERDUE, "overdue");
	ok(r.suggested, "suggested");
	is_dbl(r.priority, 0.8 * (1 + log2(40.0 / 30)) * 1.0, 1e-9, "priority = 0.8 × (1 + log2 r) × 1");
	s = score_reason(&in, &r);
	is_str(s, "no rhythm yet — close friends are asked every 4 weeks · last in touch 6 weeks ago",
	       "a tier default is named as one");
	free(s);
	in = base(20);
	r = eval(&in);
	is_int(r.status, STATUS_OK, "20 of 30 days: ok");
	is_str(r.why_not, "not due yet", "ok is not suggested");
	in = base(25);
	is_int(eval(&in).status, STATUS_DUE, "25 of 30 days: due");
	ok(eval(&in).suggested, "due is suggested");

	/* Cadence precedence: person → circle → learned → tier. */
	days = days_every(10, 8, 40);
	in = base(40);
	in.days = days;
	in.ndays = 8;
	r = eval(&in);
	is_int(r.source, CADENCE_LEARNED, "learned beats tier");
	is_int(r.cadence, 15 * D, "learned cadence");
	s = score_reason(&in, &r);
	is_str(s, "you wrote every 10 days until April, kith asks every 2 weeks · last in touch 6 weeks ago",
	       "a learned rhythm: what was seen, until when, and what kith asks");
	free(s);
	in = base(5);
	in.days = days;
	in.ndays = 8;
	r = eval(&in);
	s = score_reason(&in, &r);
	is_str(s, "you write every 10 days, kith asks every 2 weeks · last in touch 5 days ago",
	       "an ongoing rhythm is in the present");
	free(s);
	in = base(40);
	in.days = days;
	in.ndays = 8;
	in.circle_cadence = 60 * D;
	in.circle = "investors";
	r = eval(&in);
	is_int(r.source, CADENCE_CIRCLE, "circle beats learned");
	s = score_reason(&in, &r);
	is_str(s, "investors circle: every 2 months · last in touch 6 weeks ago", "reason for a circle");
	free(s);
	in.person_cadence = 7 * D;
	r = eval(&in);
	is_int(r.source, CADENCE_PERSON, "person beats circle");
	is_int(r.cadence, 7 * D, "person cadence");
	in.person_cadence = -1;
	r = eval(&in);
	is_int(r.source, CADENCE_NEVER, "never");
	is_int(r.status, STATUS_NONE, "never: no status");
	ok(!r.suggested, "never: not suggested");
	free(days);

	/* Dormant: now − last > max(3 cadence, 1 year). */
	in = base(366);
	is_int(eval(&in).status, STATUS_DORMANT, "a year and a day at 30 d: dormant");
	in = base(300);
	is_int(eval(&in).status, STATUS_OVERDUE, "300 days at 30 d: overdue, not dormant (1 y floor)");
	in = base(1000);
	in.tier = 3;
	in.tier_cadence = 365 * D;
	is_int(eval(&in).status, STATUS_OVERDUE, "1000 days at 365 d: not dormant");
	in = base(1100);
	in.tier = 3;
	in.tier_cadence = 365 * D;
	is_int(eval(&in).status, STATUS_DORMANT, "1100 days at 365 d: dormant");
	ok(eval(&in).suggested, "dormant people are still suggested");

	/* Exclusions. */
	in = base(40);
	in.snoozed_until = NOW + D;
	is_str(eval(&in).why_not, "snoozed", "snoozed");
	in.snoozed_until = NOW - D;
	ok(eval(&in).suggested, "an expired snooze excludes nothing");
	in = base(40);
	in.ignored = true;
	is_str(eval(&in).why_not, "ignored", "ignored");
	in = base(40);
	in.bounced = true;
	is_str(eval(&in).why_not, "address bounced", "bounced");
	in = base(40);
	in.relationship = false;
	is_str(eval(&in).why_not, "acquaintance", "acquaintances are never nagged");
	is_int(eval(&in).status, STATUS_NONE, "acquaintances have no status");
	in = base(40);
	in.last_received = NOW - 50 * D;
	is_str(eval(&in).why_not, "you wrote last", "the user wrote last and r < 1.5");
	in = base(50);
	in.last_received = NOW - 60 * D;
	ok(eval(&in).suggested, "the user wrote last but r ≥ 1.5: suggested");
	in = base(40);
	in.last_sent = NOW - 50 * D;
	is_str(eval(&in).why_not, "owed reply", "they wrote last < 60 days ago: owed reply instead");
	in = base(61);
	in.last_sent = NOW - 70 * D;
	ok(eval(&in).suggested, "they wrote last 61 days ago: a nudge again");

	/* Dismissals double the cadence and halve the priority. */
	in = base(40);
	in.dismissals = 1;
	r = eval(&in);
	is_int(r.cadence, 60 * D, "one dismissal doubles the cadence");
	is_int(r.status, STATUS_OK, "so 40 days is ok again");
	in = base(130);
	in.dismissals = 2;
	r = eval(&in);
	is_int(r.cadence, 120 * D, "two dismissals: ×4");
	is_dbl(r.priority, 0.8 * (1 + log2(130.0 / 120)) * 0.25, 1e-9, "priority × 0.5^2");

	/* The priority formula. */
	is_dbl(score_priority(0, 2.0, 0.5, 0, false), 1.0 * 2 * 0.75, 1e-9, "inner, r 2, R 0.5");
	is_dbl(score_priority(3, 100, 1, 0, false), 0.4 * 4, 1e-9, "the ratio term caps at 4");
	is_dbl(score_priority(2, 1, 0, 1, true), 0.6 * 1 * 0.5 * 0.5 * FOCUS_BOOST, 1e-9,
	       "friends, r 1, R 0, one dismissal, focus");
	is_dbl(score_priority(1, 0, 1, 0, false), 0, 1e-9, "r 0: no priority");
	in = base(40);
	in.focus = true;
	is_dbl(eval(&in).priority, 2 * 0.8 * (1 + log2(40.0 / 30)), 1e-9, "focus boosts priority");
	in = base(40);
	in.s_in = 0;
	is_dbl(eval(&in).reciprocity, 0, 1e-9, "one-sided reciprocity");
	is_dbl(eval(&in).priority, 0.5 * 0.8 * (1 + log2(40.0 / 30)), 1e-9, "one-sided halves priority");

	/* Who wrote last, the same in the exclusion and in the reason. */
	in = base(120);
	in.last_received = NOW - 200 * D;
	r = eval(&in);
	s = score_reason(&in, &r);
	is_str(s, "no rhythm yet — close friends are asked every 4 weeks · you last wrote 4 months ago",
	       "who wrote last shows in the reason");
	free(s);
	in = base(40);
	in.last_received = NOW - 41 * D;
	ok(!score_user_wrote_last(&in), "the user answering within the exchange closed it");
	ok(eval(&in).suggested, "so a closed exchange is no reason to wait (r 1.33)");
	r = eval(&in);
	s = score_reason(&in, &r);
	is_str(s, "no rhythm yet — close friends are asked every 4 weeks · last in touch 6 weeks ago",
	       "and the reason does not say the user wrote last");
	free(s);
	in.last_received = NOW - 43 * D;
	ok(score_user_wrote_last(&in), "an answer 3 days after theirs: the user wrote last");
	is_str(eval(&in).why_not, "you wrote last", "excluded while r < 1.5");
	in.last_received = 0;
	ok(score_user_wrote_last(&in), "they never wrote: the user wrote last");
	in = base(40);
	in.last_sent = NOW - 41 * D;
	ok(!score_user_wrote_last(&in), "they wrote last");
	r = eval(&in);
	s = score_reason(&in, &r);
	is_str(s, "no rhythm yet — close friends are asked every 4 weeks · they last wrote 6 weeks ago",
	       "they last wrote");
	free(s);

	/* A yearly greeting reads as one, and is not due after three months. */
	days = days_every(365, 3, 100);
	in = base(100);
	in.tier = 2;
	in.tier_cadence = 90 * D;
	in.days = days;
	in.ndays = 3;
	r = eval(&in);
	is_int(r.source, CADENCE_LEARNED, "two yearly gaps: learned");
	is_int(r.status, STATUS_OK, "100 days after a yearly greeting: ok");
	s = score_reason(&in, &r);
	is_str(s, "you write about once a year, kith asks every 18 months · last in touch 3 months ago",
	       "about once a year");
	free(s);
	free(days);
	in = base(100);
	in.tier = 2;
	in.tier_cadence = 90 * D;
	in.dismissals = 1;
	r = eval(&in);
	s = score_reason(&in, &r);
	is_str(s, "no rhythm yet — friends are asked every 3 months · last in touch 3 months ago · "
	       "dismissed 1× lately", "dismissals are named");
	free(s);
	in = base(10);
	in.person_cadence = 7 * D;
	r = eval(&in);
	s = score_reason(&in, &r);
	is_str(s, "every 7 days by your choice · last in touch 10 days ago", "a cadence the user set");
	free(s);
	return done_testing();
}
