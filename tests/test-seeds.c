/* test-seeds.c - new ties at the edges of their steps, events, and invites, with a fixed clock. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kith/ics.h"
#include "kith/model.h"
#include "kith/people.h"
#include "kith/seed.h"
#include "kith/store.h"
#include "kith/util.h"
#include "tap.h"
#include "testdb.h"

#define D DAY_SECS
static const int64_t NOW = 1780000000;	/* 2026-05-28T20:26:40Z */

static struct testdb t;
static struct store *st;

/* One message dated `ago` days before NOW, its header from a format. */
#define add(folder, ago, ...) testdb_addf(&t, (folder), (ago), __VA_ARGS__)

static struct seed_result
eval(const struct seed_params *p, const struct seed_input *in)
{
	struct seed_result r;

	seed_eval(p, in, &r);
	return r;
}

/* A tie first in touch `first` days before NOW, last `last` days before, on k days. */
static struct seed_input
tie(double first, double last, size_t k, bool answered)
{
	struct seed_input in = { 0 };

	in.now = NOW;
	in.first_contact = NOW - (int64_t)(first * D);
	in.last_contact = NOW - (int64_t)(last * D);
	in.contact_days = k;
	in.answered = answered;
	return in;
}

static void
test_steps(void)
{
	struct seed_params p;
	struct seed_input in;
	struct seed_result r;
	char *s;

	seed_params_default(&p);
	is_int(seed_step(&p, 0), 3 * D, "no contact day yet reads as the first: 3 days");
	is_int(seed_step(&p, 1), 3 * D, "after the 1st contact day: 3 days");
	is_int(seed_step(&p, 2), 21 * D, "after the 2nd: 3 weeks");
	is_int(seed_step(&p, 3), 90 * D, "after the 3rd: 3 months");
	is_int(seed_step(&p, 40), 90 * D, "and 3 months after every later one");

	in = tie(2, 2, 1, false);
	r = eval(&p, &in);
	is_int(r.state, SEED_WAITING, "met 2 days ago, no answer: waiting");
	ok(r.active, "a seed of 2 days is nursed");
	is_int(r.next_follow_up, in.last_contact + 3 * D, "next follow-up 3 days after the first contact");
	ok(r.next_follow_up > NOW, "not due yet at 2 days");
	in = tie(3, 3, 1, false);
	r = eval(&p, &in);
	ok(r.next_follow_up <= NOW, "due exactly 3 days after");
	in.now = NOW - 1;
	r = eval(&p, &in);
	ok(r.next_follow_up > in.now, "one second before the 3 days it is not");

	in = tie(10, 1, 2, true);
	r = eval(&p, &in);
	is_int(r.state, SEED_GROWING, "they answered: growing");
	is_int(r.step, 21 * D, "two contact days: the next step is 3 weeks");
	is_int(r.next_follow_up, NOW - D + 21 * D, "3 weeks after the last contact");

	in = tie(89, 89, 1, false);
	in.now = in.first_contact + 90 * D - 1;
	r = eval(&p, &in);
	ok(r.active, "one second before seed_days: still nursed");
	is_int(r.state, SEED_WAITING, "and not lost: 90 days have not passed");
	in.now = in.first_contact + 90 * D;
	r = eval(&p, &in);
	ok(!r.active, "at seed_days it is no longer nursed");
	is_int(r.state, SEED_WAITING, "exactly 3 months without contact is not yet lost");
	in.now++;
	r = eval(&p, &in);
	is_int(r.state, SEED_LOST, "a second more: lost");
	is_int(r.next_follow_up, 0, "a lost seed has no follow-up");

	in = tie(120, 95, 3, true);
	r = eval(&p, &in);
	is_int(r.state, SEED_LOST, "lost whatever came before: growing, then 95 days of silence");

	in = tie(30, 5, 4, true);
	in.rhythm = true;
	in.cadence = 12 * D;
	r = eval(&p, &in);
	is_int(r.step, 0, "a learned rhythm or a set cadence ends the steps");
	is_int(r.next_follow_up, NOW - 5 * D + 12 * D, "and the cadence says when");

	in = tie(1, 1, 0, false);
	in.first_contact = 0;
	r = eval(&p, &in);
	is_int(r.state, SEED_NONE, "without a first contact there is no seed");

	p.steps[0] = 2 * D;
	p.lost = 30 * D;
	in = tie(2, 2, 1, false);
	r = eval(&p, &in);
	ok(r.next_follow_up <= NOW, "seed_steps from the config: 2 days");
	in = tie(40, 31, 2, true);
	r = eval(&p, &in);
	is_int(r.state, SEED_LOST, "seed_lost from the config: 30 days");

	seed_params_default(&p);
	in = tie(5, 5, 1, false);
	r = eval(&p, &in);
	s = seed_words(&in, &r, ORIGIN_EVENT, "Lyon meetup", 0, 0);
	is_str(s, "new: first met 5 days ago at Lyon meetup — they have not written yet", "an event's seed");
	free(s);
	s = seed_words(&in, &r, ORIGIN_ADDED, NULL, 0, 0);
	is_str(s, "new: first met 5 days ago — they have not written yet", "a seed added by hand");
	free(s);
	in = tie(21, 2, 2, true);
	r = eval(&p, &in);
	s = seed_words(&in, &r, ORIGIN_MAIL, NULL, NOW - 21 * D, NOW - 2 * D);
	is_str(s, "new: first in touch 3 weeks ago — they last wrote 2 days ago", "a growing seed from mail");
	free(s);
	in = tie(130, 100, 2, true);
	r = eval(&p, &in);
	s = seed_words(&in, &r, ORIGIN_EVENT, "Lyon meetup", 0, 0);
	is_str(s, "new: first met 4 months ago at Lyon meetup — lost: no contact for 3 months", "a lost seed");
	free(s);
	is_str(seed_state_name(SEED_GROWING), "growing", "state names");
	is_str(seed_origin_name(ORIGIN_ADDED), "added", "origin names");
}

static bool
has(const struct person_list *l, const char *email, const struct person **out)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].email && strcmp(l->v[i].email, email) == 0) {
			if (out)
				*out = &l->v[i];
			return true;
		}
	return false;
}

static void
test_people(void)
{
	struct person_list l = { 0 };
	struct event_list ev = { 0 };
	struct event_item e = { 0 };
	const struct person *p = NULL;
	int64_t sent = t.sent, inbox = t.inbox, id = 0, gid = 0;

	/* Mail: the user wrote to Mia 4 days ago, once: no relationship, but a new tie. */
	add(sent, 4, "From: ana@example.org\nTo: Mia Cruz <mia@new.example>\nMessage-ID: <s1@example.org>\n"
		     "Subject: Nice meeting you\n");
	/* Old friend: years of mail, not a seed. */
	add(sent, 400, "From: ana@example.org\nTo: Old Pal <old@pal.example>\nMessage-ID: <o1@example.org>\n"
		       "Subject: Hi\n");
	add(inbox, 399, "From: Old Pal <old@pal.example>\nTo: ana@example.org\nMessage-ID: <o2@pal.example>\n"
			"In-Reply-To: <o1@example.org>\nSubject: Re: Hi\n");
	add(sent, 2, "From: ana@example.org\nTo: Old Pal <old@pal.example>\nMessage-ID: <o3@example.org>\n"
		     "Subject: Again\n");
	/* Only received from: never a seed. */
	add(inbox, 3, "From: Cold Caller <cold@sales.example>\nTo: ana@example.org\nMessage-ID: <c1@sales.example>\n"
		      "Subject: Offer\n");

	ok(people_due(st, NOW - D - 3600, NULL, false, 0, &l) == STORE_OK, "due a day before the step");
	ok(!has(&l, "mia@new.example", NULL), "Mia is not due 3 days after the first mail minus an hour");
	person_list_free(&l);
	ok(people_due(st, NOW, NULL, false, 0, &l) == STORE_OK, "due after the step");
	ok(has(&l, "mia@new.example", &p), "Mia is due 4 days after a first mail with no answer");
	if (p) {
		is_str(p->reason, "new: first in touch 4 days ago — they have not written yet", "her reason");
		is_int(p->cadence_source, CADENCE_SEED, "her cadence is a seed step");
		ok(!p->relationship, "a seed need not pass the relationship gate");
	}
	ok(!has(&l, "cold@sales.example", NULL), "someone who only wrote to the user is no seed");
	person_list_free(&l);

	ok(people_seeds(st, NOW, 180, &l) == STORE_OK, "seeds");
	ok(has(&l, "mia@new.example", &p) && p->seed_state == SEED_WAITING && p->origin == ORIGIN_MAIL,
	   "Mia: waiting, from mail");
	ok(!has(&l, "old@pal.example", NULL), "an old friend is no seed");
	person_list_free(&l);

	/* She answers: growing, two contact days, the next step is 3 weeks after her answer. */
	add(inbox, 1, "From: Mia Cruz <mia@new.example>\nTo: ana@example.org\nMessage-ID: <r1@new.example>\n"
		      "In-Reply-To: <s1@example.org>\nSubject: Re: Nice meeting you\n");
	ok(people_seeds(st, NOW, 180, &l) == STORE_OK && has(&l, "mia@new.example", &p) &&
	   p->seed_state == SEED_GROWING, "Mia answered: growing");
	if (p)
		is_int(p->next_follow_up, NOW - D + 21 * D, "next follow-up 3 weeks after her answer");
	person_list_free(&l);

	/* An event 100 days ago: Gus was met there and never again, so he is lost. */
	ok(people_event_add(st, "Lyon meetup", NOW - 100 * D, "lyon") == STORE_OK, "event add");
	ok(people_event_add(st, "Lyon meetup", NOW, NULL) != STORE_OK, "an event is added once");
	ok(people_event_get(st, "Lyon meetup", &e) == STORE_OK && e.name, "event get");
	is_str(e.circle, "event:Lyon meetup", "its circle is event:NAME");
	ok(people_add(st, "Gus Lost", "gus@lost.example", e.at, &gid) == STORE_OK, "add Gus on the event's day");
	ok(people_event_join(st, &e, gid) == STORE_OK, "Gus joins the event");
	ok(people_add(st, "Hana Met", "hana@met.example", NOW - 2 * D, &id) == STORE_OK, "add Hana 2 days ago");
	ok(people_event_join(st, &e, id) == STORE_OK, "Hana joins it too");
	event_item_free(&e);

	ok(people_seeds(st, NOW, 90, &l) == STORE_OK, "seeds of 90 days");
	ok(!has(&l, "gus@lost.example", NULL), "Gus, met 100 days ago, is not among them");
	ok(has(&l, "hana@met.example", &p) && p->origin == ORIGIN_EVENT && p->event &&
	   strcmp(p->event, "Lyon meetup") == 0, "Hana was met at Lyon meetup");
	person_list_free(&l);
	ok(people_seeds(st, NOW, 180, &l) == STORE_OK && has(&l, "gus@lost.example", &p) &&
	   p->seed_state == SEED_LOST, "seeds of 180 days: Gus is lost");
	ok(l.n >= 1 && l.v[0].first_contact >= l.v[l.n - 1].first_contact, "newest first");
	person_list_free(&l);
	ok(people_due(st, NOW, "lyon", false, 0, &l) == STORE_OK && !has(&l, "hana@met.example", NULL),
	   "Hana, met 2 days ago, is not due yet");
	person_list_free(&l);
	ok(people_due(st, NOW, "lyon", true, 0, &l) == STORE_OK && has(&l, "hana@met.example", &p) &&
	   p->why_not && strcmp(p->why_not, "not due yet") == 0, "due --all shows her in the event's extra circle, not due yet");
	person_list_free(&l);
	ok(people_due(st, NOW + D + 60, "event:Lyon meetup", false, 0, &l) == STORE_OK &&
	   has(&l, "hana@met.example", &p), "3 days after meeting her, Hana is due");
	if (p)
		is_str(p->reason, "new: first met 3 days ago at Lyon meetup — they have not written yet",
		       "with the event named");
	person_list_free(&l);
	/* A call logged later: meeting again is an answer. */
	ok(people_log(st, id, NOW - D, "call", NULL) == STORE_OK, "log a call with Hana");
	ok(people_seeds(st, NOW, 30, &l) == STORE_OK && has(&l, "hana@met.example", &p) &&
	   p->seed_state == SEED_GROWING, "a call on a later day makes her growing");
	person_list_free(&l);

	ok(people_events(st, NOW, &ev) == STORE_OK && ev.n == 1, "one event");
	if (ev.n == 1) {
		is_int(ev.v[0].people, 2, "two people");
		is_int(ev.v[0].growing, 1, "one growing");
		is_int(ev.v[0].waiting, 0, "none waiting");
		is_int(ev.v[0].lost, 1, "one lost");
		is_str(ev.v[0].also, "lyon", "its extra circle");
	}
	event_list_free(&ev);

	ok(people_find_address(st, "Mia@New.Example", &id) == STORE_OK && id != 0, "an address finds Mia");
	ok(people_find_address(st, "nobody@new.example", &id) == STORE_OK && id == 0, "an unknown one nobody");
	ok(people_address_is_me(st, "ana@example.org"), "the user's address is theirs");
}

static void
test_ics(void)
{
	static const char invite[] =
		"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n"
		"ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;CN=\"Lima, Ana: PhD\";RSVP=TRUE:MAILTO:ana@li\r\n"
		" ma.example\r\n"
		"ORGANIZER;CN=Bob Stone:mailto:bob@stone.example\r\n"
		"ATTENDEE;CN=Bob again:mailto:BOB@stone.example\r\n"
		"attendee;EMAIL=carl@x.example;CN=Carl:urn:uuid:1234\r\n"
		"ATTENDEE;CN=No Address:urn:uuid:5678\r\n"
		"ATTENDEE:mailto:not-an-address\r\n"
		"DESCRIPTION:ATTENDEE:mailto:fake@x.example\r\n"
		"ATTENDEE;CN=Dee\n\t Folded:mailto:dee@y.example\n"
		"END:VEVENT\r\nEND:VCALENDAR\r\n";
	struct ics_people l = { 0 };

	ics_people_parse(invite, sizeof(invite) - 1, &l);
	is_int(l.n, 4, "four people: duplicates, URNs without EMAIL, bad addresses and descriptions dropped");
	if (l.n == 4) {
		is_str(l.v[0].email, "bob@stone.example", "the organizer first");
		ok(l.v[0].organizer, "marked as organizer");
		is_str(l.v[1].email, "ana@lima.example", "a folded line is unfolded, MAILTO: in capitals");
		is_str(l.v[1].name, "Lima, Ana: PhD", "a quoted CN keeps its comma and colon");
		is_str(l.v[2].email, "carl@x.example", "the EMAIL parameter when the value is no mailto:");
		is_str(l.v[3].email, "dee@y.example", "a line folded with LF and a tab");
		is_str(l.v[3].name, "Dee Folded", "folding removes the break and the one blank after it");
	}
	ics_people_free(&l);
	ics_people_parse("", 0, &l);
	is_int(l.n, 0, "an empty file names nobody");
	ics_people_free(&l);
}

int
main(void)
{
	test_steps();
	test_ics();
	if (testdb_open(&t, "test-seeds", NOW, "[kith]\nme = ana@example.org\n") != 0)
		return 1;
	st = t.st;
	test_people();
	testdb_close(&t);
	return done_testing();
}
