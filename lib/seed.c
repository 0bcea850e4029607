/* seed.c - new ties: growing, waiting or lost, and when to follow up next. */
#include "config.h"

#include <string.h>

#include "kith/model.h"
#include "kith/seed.h"
#include "kith/util.h"
#include "kith/words.h"

const char *
seed_state_name(enum seed_state s)
{
	switch (s) {
	case SEED_NONE: return "none";
	case SEED_GROWING: return "growing";
	case SEED_WAITING: return "waiting";
	case SEED_LOST: return "lost";
	}
	return "none";
}

const char *
seed_origin_name(enum seed_origin o)
{
	switch (o) {
	case ORIGIN_MAIL: return "mail";
	case ORIGIN_ADDED: return "added";
	case ORIGIN_EVENT: return "event";
	}
	return "mail";
}

void
seed_params_default(struct seed_params *p)
{
	p->days = SEED_DAYS;
	p->steps[0] = SEED_STEP_1;
	p->steps[1] = SEED_STEP_2;
	p->steps[2] = SEED_STEP_3;
	p->lost = SEED_LOST_AFTER;
}

int64_t
seed_step(const struct seed_params *p, size_t k)
{
	if (k <= 1)
		return p->steps[0];
	if (k == 2)
		return p->steps[1];
	return p->steps[2];
}

void
seed_eval(const struct seed_params *p, const struct seed_input *in, struct seed_result *out)
{
	int64_t last;

	memset(out, 0, sizeof(*out));
	if (in->first_contact <= 0)
		return;
	last = in->last_contact > in->first_contact ? in->last_contact : in->first_contact;
	/* Lost whatever came before: a tie left this long is no longer growing. */
	if (in->now - last > p->lost) {
		out->state = SEED_LOST;
		return;
	}
	out->state = in->answered ? SEED_GROWING : SEED_WAITING;
	out->active = in->now - in->first_contact < p->days;
	if (in->rhythm && in->cadence > 0) {
		out->next_follow_up = last + in->cadence;
		return;
	}
	out->step = seed_step(p, in->contact_days);
	out->next_follow_up = last + out->step;
}

char *
seed_words(const struct seed_input *in, const struct seed_result *r, enum seed_origin origin,
	   const char *event, int64_t last_sent, int64_t last_received)
{
	struct strbuf sb = { 0 };
	char ago[48], span[48];

	kith_ago_words(in->first_contact, in->now, ago, sizeof(ago));
	if (origin == ORIGIN_MAIL)
		sb_addf(&sb, "new: first in touch %s", ago);
	else
		sb_addf(&sb, "new: first met %s", ago);
	if (event && *event)
		sb_addf(&sb, " at %s", event);
	sb_adds(&sb, " — ");
	switch (r->state) {
	case SEED_LOST:
		sb_addf(&sb, "lost: no contact for %s",
			kith_duration_words(in->now - in->last_contact, span, sizeof(span)));
		break;
	case SEED_WAITING:
		sb_adds(&sb, "they have not written yet");
		break;
	case SEED_GROWING:
	case SEED_NONE:
		if (last_received > 0 && last_received >= last_sent && last_received >= in->last_contact)
			sb_addf(&sb, "they last wrote %s", kith_ago_words(last_received, in->now, ago, sizeof(ago)));
		else if (last_sent > 0 && last_sent >= in->last_contact)
			sb_addf(&sb, "you last wrote %s", kith_ago_words(last_sent, in->now, ago, sizeof(ago)));
		else
			sb_addf(&sb, "last in touch %s", kith_ago_words(in->last_contact, in->now, ago, sizeof(ago)));
		break;
	}
	return sb_detach(&sb);
}
