/* test-people.c - a mailbox through ingest_message, then what kith due/replies/show would say. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kith/config.h"
#include "kith/people.h"
#include "kith/store.h"
#include "kith/util.h"
#include "tap.h"
#include "testdb.h"

#define D DAY_SECS
static const int64_t NOW = 1780000000;	/* 2026-05-28T20:26:40Z */

static struct testdb t;
static struct store *st;
static int64_t inbox, sent, archive;

/* One message dated `ago` days before NOW, its header from a format. */
#define add(folder, ago, ...) testdb_addf(&t, (folder), (ago), __VA_ARGS__)

#define who(w) testdb_who(&t, (w))

#define get(w) testdb_person(&t, (w))

static bool
in_list(const struct person_list *l, const char *email)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].email && strcmp(l->v[i].email, email) == 0)
			return true;
	return false;
}

static bool
in_replies(const struct reply_list *l, const char *email)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].email && strcmp(l->v[i].email, email) == 0)
			return true;
	return false;
}

/* Does every reply show the name and address that `kith show` gives its person? */
static bool
replies_named(const struct reply_list *l)
{
	bool r = true;
	size_t i;

	for (i = 0; i < l->n; i++) {
		char idbuf[32];
		struct person p;

		snprintf(idbuf, sizeof(idbuf), "%lld", (long long)l->v[i].id);
		p = get(idbuf);
		if (!p.email || !l->v[i].email || strcmp(p.email, l->v[i].email) != 0 ||
		    ((p.name || l->v[i].name) && (!p.name || !l->v[i].name || strcmp(p.name, l->v[i].name) != 0))) {
			tap_diag("reply %zu: '%s' <%s>, shown as '%s' <%s>", i, l->v[i].name ? l->v[i].name : "",
			     l->v[i].email ? l->v[i].email : "", p.name ? p.name : "", p.email ? p.email : "");
			r = false;
		}
		person_free(&p);
	}
	return r;
}

static const char *
class_of_newest(const char *w)
{
	static char buf[64];
	struct history_list h = { 0 };
	int64_t id = who(w);

	buf[0] = '\0';
	if (id && people_history(st, id, 1, &h) == STORE_OK && h.n && h.v[0].class)
		snprintf(buf, sizeof(buf), "%s", h.v[0].class);
	history_list_free(&h);
	return buf;
}

/* Everything the CLI shows, as one string, to compare before and after a rebuild. */
static char *
snapshot(void)
{
	struct person_list l = { 0 };
	struct strbuf sb = { 0 };
	size_t i;

	people_list(st, NOW, NULL, SORT_NAME, PEOPLE_ACQUAINTANCES, &l);
	for (i = 0; i < l.n; i++) {
		struct person *p = &l.v[i];

		sb_addf(&sb, "%lld %s|%s|%s|rel %d|%s|%s %lld|%lld %lld %lld|%.9g %.9g|%s|%s|%s|%zu\n",
			(long long)p->id, p->key, p->name, p->email ? p->email : "-", p->relationship,
			person_status_name(p->status), cadence_source_name(p->cadence_source),
			(long long)p->cadence, (long long)p->last_contact, (long long)p->last_sent,
			(long long)p->last_received, p->strength, p->reciprocity, p->reason,
			p->why_not ? p->why_not : "suggested", p->last_subject ? p->last_subject : "-",
			p->naddresses);
	}
	person_list_free(&l);
	testdb_dump_replies(st, NOW, &sb);
	return sb_detach(&sb);
}

static void
mailbox(void)
{
	int i;

	/* Bob: the user writes, Bob answers, the user writes again. */
	add(sent, 100, "From: Ana <ana@example.org>\nTo: Bob Lee <bob@corp.example>\n"
		       "Message-ID: <a1@example.org>\nSubject: Coffee?\n");
	add(inbox, 99, "From: \"Lee, Bob\" <Bob@Corp.Example>\nTo: ana@example.org\n"
		       "Message-ID: <b1@corp.example>\nIn-Reply-To: <a1@example.org>\nSubject: Re: Coffee?\n");
	/* The same message in a second folder counts once. */
	ok(!add(archive, 99, "From: \"Lee, Bob\" <Bob@Corp.Example>\nTo: ana@example.org\n"
			     "Message-ID: <b1@corp.example>\nIn-Reply-To: <a1@example.org>\n"
			     "Subject: Re: Coffee?\n"), "a message seen in two folders is stored once");
	add(sent, 60, "From: ana@example.org\nTo: Bob Lee <bob@corp.example>\n"
		      "Message-ID: <a2@example.org>\nSubject: Next week\n");

	/* Carol: written to once, never answers. */
	add(sent, 30, "From: ana@example.org\nTo: Carol <carol@else.example>\n"
		      "Message-ID: <a3@example.org>\nSubject: Hello\n");
	/* Dan: written to on two different days. */
	add(sent, 200, "From: ana@example.org\nTo: dan@two.example\nMessage-ID: <a4@example.org>\nSubject: One\n");
	add(sent, 150, "From: ana@example.org\nTo: dan@two.example\nMessage-ID: <a5@example.org>\nSubject: Two\n");

	/* A newsletter, never answered. */
	for (i = 0; i < 5; i++)
		add(inbox, 50 - i * 7, "From: The Weekly <news@letters.example>\nTo: ana@example.org\n"
				       "Message-ID: <n%d@letters.example>\nSubject: Issue %d\n"
				       "List-Unsubscribe: <https://letters.example/u>\n"
				       "List-Unsubscribe-Post: List-Unsubscribe=One-Click\n", i, i);
	/* A newsletter the user answered: Dan Smith is a person. */
	add(inbox, 45, "From: Dan Smith <dansmith@substack.com>\nTo: ana@example.org\n"
		       "Message-ID: <s1@substack.com>\nSubject: My essay\n"
		       "List-Unsubscribe: <https://substack.com/u>\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\n");
	add(sent, 44, "From: ana@example.org\nTo: Dan Smith <dansmith@substack.com>\n"
		      "Message-ID: <a6@example.org>\nIn-Reply-To: <s1@substack.com>\nSubject: Re: My essay\n");
	add(inbox, 43, "From: Dan Smith <dansmith@substack.com>\nTo: ana@example.org\n"
		       "Message-ID: <s2@substack.com>\nIn-Reply-To: <a6@example.org>\nSubject: Re: My essay\n"
		       "List-Unsubscribe: <https://substack.com/u>\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\n");

	/* A GitHub notification carrying a person's name. */
	add(inbox, 10, "From: Alice Ng <notifications@github.com>\nTo: ana@example.org\n"
		       "Message-ID: <g1@github.com>\nSubject: [o/r] Fix (#1)\nX-GitHub-Sender: alice\n"
		       "List-ID: o/r <r.o.github.com>\nReply-To: o/r <reply+AB12@reply.github.com>\n");
	/* A Google Group post: authored by Eve, no freshness for anyone. */
	add(inbox, 9, "From: \"'Eve Park' via Hikers\" <hikers@googlegroups.com>\nTo: hikers@googlegroups.com\n"
		      "X-Original-Sender: eve@park.example\nList-ID: <hikers.googlegroups.com>\n"
		      "Message-ID: <h1@park.example>\nSubject: Saturday\n");

	/* Frank: an old exchange, and now a message waiting 5 days for the user. */
	add(sent, 90, "From: ana@example.org\nTo: frank@f.example\nMessage-ID: <a7@example.org>\nSubject: Plan\n");
	add(inbox, 89, "From: Frank <frank@f.example>\nTo: ana@example.org\nMessage-ID: <f1@f.example>\n"
		       "In-Reply-To: <a7@example.org>\nSubject: Re: Plan\n");
	add(inbox, 5, "From: Frank <frank@f.example>\nTo: ana@example.org\nMessage-ID: <f2@f.example>\n"
		      "Subject: Question\n");
	/* Grace: she wrote, the user answered, then asked something new 10 days ago and waits. */
	add(inbox, 40, "From: Grace <grace@g.example>\nTo: ana@example.org\nMessage-ID: <gr1@g.example>\n"
		       "Subject: Intro\n");
	add(sent, 30, "From: ana@example.org\nTo: grace@g.example\nMessage-ID: <a8@example.org>\n"
		      "In-Reply-To: <gr1@g.example>\nSubject: Re: Intro\n");
	add(sent, 10, "From: ana@example.org\nTo: grace@g.example\nMessage-ID: <a8b@example.org>\n"
		      "Subject: Lunch next week?\n");
	/*
	 * Mo: an Exchange correspondent; the user's "RE: thanks" has no
	 * In-Reply-To and what it answers is not in the mailbox: a reply all
	 * the same, awaiting nothing.  Nor does the follow-up to it.
	 */
	add(inbox, 60, "From: mo@m.example\nTo: ana@example.org\nMessage-ID: <mo1@m.example>\nSubject: Hello\n");
	add(sent, 59, "From: ana@example.org\nTo: mo@m.example\nMessage-ID: <a30@example.org>\nSubject: Re: Hello\n");
	add(sent, 12, "From: ana@example.org\nTo: mo@m.example\nMessage-ID: <a31@example.org>\n"
		      "Thread-Index: AcPQ0hJ1yGIAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nSubject: thanks a lot\n");
	add(sent, 11, "From: ana@example.org\nTo: mo@m.example\nMessage-ID: <a32@example.org>\n"
		      "Subject: RE: thanks for the files\n");
	/* Kay: the user's last word is a reply to hers, which closes the conversation. */
	add(sent, 60, "From: ana@example.org\nTo: kay@k.example\nMessage-ID: <a20@example.org>\n"
		      "Subject: Books\n");
	add(inbox, 21, "From: Kay <kay@k.example>\nTo: ana@example.org\nMessage-ID: <kay1@k.example>\n"
		       "In-Reply-To: <a20@example.org>\nSubject: Re: Books\n");
	add(sent, 20, "From: ana@example.org\nTo: kay@k.example\nMessage-ID: <a21@example.org>\n"
		      "In-Reply-To: <kay1@k.example>\nSubject: Re: Books\n");
	/*
	 * Liz writes to the user and eleven colleagues; the user's reply-all
	 * is a blast (12 recipients > max_recipients), yet it answers her.
	 */
	{
		struct strbuf cc = { 0 };

		for (i = 0; i < 11; i++)
			sb_addf(&cc, "%sc%d@team.example", i ? ", " : "", i);
		add(inbox, 16, "From: Liz <liz@team.example>\nTo: ana@example.org\nCc: %s\n"
			       "Message-ID: <l1@team.example>\nSubject: Offsite\n", cc.buf);
		add(sent, 15, "From: ana@example.org\nTo: liz@team.example\nCc: %s\n"
			      "Message-ID: <a22@example.org>\nIn-Reply-To: <l1@team.example>\n"
			      "Subject: Re: Offsite\n", cc.buf);
		sb_free(&cc);
	}

	/* The user announces something to twelve people: a blast from the user. */
	{
		struct strbuf to = { 0 };

		for (i = 0; i < 12; i++)
			sb_addf(&to, "%sp%d@many.example", i ? ", " : "", i);
		add(sent, 20, "From: ana@example.org\nTo: %s\nMessage-ID: <a9@example.org>\nSubject: News\n", to.buf);
		add(inbox, 19, "From: p3@many.example\nTo: ana@example.org\nMessage-ID: <m3@many.example>\n"
			       "In-Reply-To: <a9@example.org>\nSubject: Re: News\n");
		sb_free(&to);
	}
	/* Henry Bcc'd the user; a note to self. */
	add(inbox, 8, "From: Henry <henry@h.example>\nTo: undisclosed-recipients:;\n"
		      "Message-ID: <hb1@h.example>\nSubject: Party\n");
	add(sent, 7, "From: ana@example.org\nTo: ana@example.org\nMessage-ID: <a10@example.org>\nSubject: todo\n");

	/* Ivan: a relationship whose address then bounces. */
	add(sent, 300, "From: ana@example.org\nTo: Ivan <ivan@old.example>\nMessage-ID: <a11@example.org>\n"
		       "Subject: Hi\n");
	add(inbox, 299, "From: Ivan <ivan@old.example>\nTo: ana@example.org\nMessage-ID: <i1@old.example>\n"
			"In-Reply-To: <a11@example.org>\nSubject: Re: Hi\n");
	add(sent, 3, "From: ana@example.org\nTo: Ivan <ivan@old.example>\nMessage-ID: <a12@example.org>\n"
		     "Subject: Still there?\n");
	add(inbox, 3, "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\nTo: ana@example.org\n"
		      "Return-Path: <>\nX-Failed-Recipients: ivan@old.example\n"
		      "Content-Type: multipart/report; report-type=delivery-status; boundary=x\n"
		      "Message-ID: <bounce1@mx.example.org>\nSubject: Undelivered Mail\n");

	/* Jo of the investors circle (config: 30 days, focus). */
	add(sent, 70, "From: ana@example.org\nTo: Jo <jo@fund.example>\nMessage-ID: <a13@example.org>\nSubject: Deck\n");
	add(inbox, 69, "From: Jo <jo@fund.example>\nTo: ana@example.org\nMessage-ID: <j1@fund.example>\n"
		       "In-Reply-To: <a13@example.org>\nSubject: Re: Deck\n");

	/* "Smith, John" and "John Smith" on one domain; another John Smith elsewhere. */
	add(inbox, 12, "From: \"Smith, John\" <john.smith@corp.example>\nTo: ana@example.org\n"
		       "Message-ID: <js1@corp.example>\nSubject: Q\n");
	add(inbox, 11, "From: John Smith <jsmith@corp.example>\nTo: ana@example.org\n"
		       "Message-ID: <js2@corp.example>\nSubject: Q2\n");
	add(inbox, 11, "From: John Smith <john@other.example>\nTo: ana@example.org\n"
		       "Message-ID: <js3@other.example>\nSubject: Q3\n");
}

int
main(void)
{
	char *before, *after;
	struct person_list l = { 0 }, c = { 0 };
	struct reply_list owed = { 0 }, awaiting = { 0 };
	struct merge_suggestion_list ms = { 0 };
	struct person p;
	int64_t id, id2, ids[2];
	size_t i;

	if (testdb_open(&t, "test-people", NOW,
			"[kith]\nme = ana@example.org\nmax_recipients = 10\n\n"
			"[circle investors]\ncadence = 30d\nmembers = *@fund.example\nfocus = yes\n") == -1)
		return 1;
	st = t.st;
	inbox = t.inbox;
	sent = t.sent;
	archive = t.archive;

	store_begin(st);
	mailbox();
	store_commit(st);
	ok(people_sync_done(st) == STORE_OK, "sync done");

	/* The relationship gate. */
	p = get("bob@corp.example");
	ok(p.relationship, "Bob: the user wrote and he answered");
	is_str(p.name, "Lee, Bob", "Bob's name is the spelling he writes");
	is_int(p.naddresses, 1, "Bob@Corp.Example and bob@corp.example are one address");
	is_int(p.last_contact, NOW - 60 * D, "Bob: last contact is the user's last message");
	person_free(&p);
	{
		struct history_list h = { 0 };

		people_history(st, who("bob"), 0, &h);
		is_int(h.n, 3, "Bob's history: three messages, the duplicate not counted twice");
		ok(h.n == 3 && strcmp(h.v[0].direction, "sent") == 0 && h.v[0].counted, "newest first, sent, counted");
		ok(h.n == 3 && strcmp(h.v[1].class, "reply-human") == 0, "Bob's reply answers the user");
		history_list_free(&h);
	}
	p = get("carol@else.example");
	ok(p.id && !p.relationship, "Carol: written to once, no answer: an acquaintance");
	/* An acquaintance, but a new tie: written to 30 days ago, followed up after 3 days. */
	ok(p.suggested && p.cadence_source == CADENCE_SEED, "Carol is a new tie, followed up");
	is_str(p.reason, "new: first in touch 4 weeks ago — they have not written yet", "in plain words");
	person_free(&p);
	p = get("dan@two.example");
	ok(p.relationship, "Dan: the user wrote on two different days");
	person_free(&p);
	p = get("news@letters.example");
	ok(p.id && !p.relationship, "a newsletter is never a relationship");
	person_free(&p);
	is_str(class_of_newest("news@letters.example"), "bulk", "newsletter mail is bulk");
	p = get("dansmith@substack.com");
	ok(p.relationship, "a newsletter writer the user answered is a relationship");
	person_free(&p);
	is_str(class_of_newest("dansmith@substack.com"), "reply-human", "his answer is reply-human");
	is_int(who("Alice Ng"), 0, "a GitHub notification creates no Alice");
	is_int(who("notifications@github.com"), 0, "nor a person for the notifier");
	p = get("eve@park.example");
	ok(p.id && !p.relationship && p.last_contact == 0, "a list post: Eve is known, never refreshed");
	person_free(&p);
	is_int(who("hikers@googlegroups.com"), 0, "the group address is nobody");
	p = get("p3@many.example");
	ok(p.id && !p.relationship, "a blast from the user makes no relationship, even with an answer");
	person_free(&p);
	p = get("p4@many.example");
	ok(p.id && p.last_contact == 0, "and refreshes no one");
	person_free(&p);
	p = get("henry@h.example");
	ok(p.id && !p.relationship && p.last_contact == 0, "a Bcc blast to the user refreshes no one");
	person_free(&p);
	is_str(class_of_newest("henry@h.example"), "blast", "Bcc'd mail is a blast");
	p = get("ivan@old.example");
	ok(p.relationship && p.bounced, "Ivan's address bounced");
	is_str(p.why_not, "address bounced", "a bounced address is not suggested");
	person_free(&p);

	/* due. */
	people_due(st, NOW, NULL, false, 0, &l);
	ok(in_list(&l, "bob@corp.example"), "due: Bob (60 days, inner tier)");
	ok(in_list(&l, "dan@two.example"), "due: Dan (150 days)");
	ok(in_list(&l, "carol@else.example"), "due: Carol, a new tie waiting for an answer");
	ok(!in_list(&l, "news@letters.example"), "due: no newsletter");
	ok(!in_list(&l, "frank@f.example"), "due: not Frank, who is owed a reply");
	ok(!in_list(&l, "grace@g.example"), "due: not Grace, written 10 days ago");
	ok(!in_list(&l, "ivan@old.example"), "due: not Ivan, bounced");
	ok(in_list(&l, "jo@fund.example"), "due: Jo of the investors");
	for (i = 0; i < l.n; i++) {
		ok(l.v[i].suggested && l.v[i].priority > 0 && l.v[i].reason && *l.v[i].reason,
		   "due item %s has a priority and a reason (%s)", l.v[i].email, l.v[i].reason);
		if (i > 0)
			ok(l.v[i - 1].priority >= l.v[i].priority, "due is ranked by priority");
	}
	person_list_free(&l);
	people_due(st, NOW, "investors", false, 0, &l);
	is_int(l.n, 1, "due --circle investors: one person");
	if (l.n) {
		is_str(l.v[0].email, "jo@fund.example", "Jo");
		is_int(l.v[0].cadence_source, CADENCE_CIRCLE, "her cadence comes from the circle");
		ok(strstr(l.v[0].reason, "investors circle: every") != NULL, "reason names the circle: %s",
		   l.v[0].reason);
	}
	person_list_free(&l);
	people_due(st, NOW, NULL, false, 1, &l);
	is_int(l.n, 1, "due -n 1");
	person_list_free(&l);

	/* replies. */
	people_replies(st, NOW, &owed, &awaiting);
	ok(in_replies(&owed, "frank@f.example"), "owed: Frank, waiting 5 days");
	for (i = 0; i < owed.n; i++)
		if (strcmp(owed.v[i].email, "frank@f.example") == 0)
			is_int(owed.v[i].since, NOW - 5 * D, "since his message");
	ok(!in_replies(&owed, "news@letters.example"), "owed: never a newsletter");
	ok(in_replies(&owed, "john@other.example"), "owed: a stranger's question of 11 days ago");
	ok(in_replies(&awaiting, "grace@g.example"), "awaiting: Grace, asked something new 10 days ago");
	ok(!in_replies(&awaiting, "mo@m.example"),
	   "awaiting: not Mo, whose last messages from the user are replies (RE:, Thread-Index)");
	for (i = 0; i < awaiting.n; i++)
		if (strcmp(awaiting.v[i].email, "grace@g.example") == 0)
			is_int(awaiting.v[i].since, NOW - 10 * D, "since the question");
	p = get("kay@k.example");
	ok(p.relationship, "Kay is a relationship");
	person_free(&p);
	ok(!in_replies(&awaiting, "kay@k.example"), "awaiting: not Kay, whose message the user answered");
	ok(!in_replies(&owed, "kay@k.example"), "owed: not Kay either");
	ok(!in_replies(&owed, "liz@team.example"), "owed: not Liz, answered by a reply-all blast");
	ok(!in_replies(&owed, "c3@team.example"), "owed: nor her colleagues");
	ok(!in_replies(&awaiting, "carol@else.example"), "awaiting: acquaintances are no news");
	reply_list_free(&owed);
	reply_list_free(&awaiting);

	/* resolve. */
	ok(who("Bob") == who("bob@corp.example") && who("Bob") != 0, "resolve a name fragment");
	ok(who("BOB@corp.EXAMPLE") != 0, "resolve an address in any case");
	{
		char idbuf[32];

		snprintf(idbuf, sizeof(idbuf), "%lld", (long long)who("bob"));
		ok(who(idbuf) == who("bob"), "resolve an id");
	}
	is_int(people_resolve(st, "John Smith", NOW, &id, &c), RESOLVE_AMBIGUOUS, "two John Smiths: ambiguous");
	is_int(c.n, 3, "three candidates (two spellings share a key, not a name)");
	person_list_free(&c);
	is_int(people_resolve(st, "Qwxz Vbnm", NOW, &id, &c), RESOLVE_NOT_FOUND, "a name like no other");
	is_int(c.n, 0, "has no nearest names");
	person_list_free(&c);
	is_int(people_resolve(st, "Bbo Lee", NOW, &id, &c), RESOLVE_NOT_FOUND, "a typo is not found");
	ok(c.n >= 1 && strcmp(c.v[0].email, "bob@corp.example") == 0, "but Bob is the nearest name");
	person_list_free(&c);
	people_search(st, NOW, "coffee", &l);
	ok(in_list(&l, "bob@corp.example"), "search by subject");
	person_list_free(&l);

	/* Merge suggestions: same name key and domain; never across domains on the name alone. */
	people_merge_suggestions(st, &ms);
	is_int(ms.n, 1, "one merge suggestion");
	if (ms.n)
		ok((ms.v[0].a == who("john.smith@corp.example") && ms.v[0].b == who("jsmith@corp.example")),
		   "the two corp.example John Smiths (%s)", ms.v[0].reason);
	merge_suggestion_list_free(&ms);

	/* Rebuild gives the same answer. */
	before = snapshot();
	ok(people_rebuild(st) == STORE_OK, "rebuild");
	after = snapshot();
	is_str(after, before, "rebuild changes nothing");
	free(before);
	free(after);

	/* Decisions, and that they survive a rebuild. */
	people_snooze(st, who("bob"), NOW + 14 * D);
	people_set_cadence(st, who("dan@two.example"), -1);
	people_circle(st, "friends", who("carol@else.example"), true);
	people_note(st, who("jo@fund.example"), NOW, "met at the demo day");
	ok(people_log(st, who("carol@else.example"), NOW - 2 * D, "call", "catch-up") == STORE_OK, "log a call");
	ok(people_log(st, who("carol@else.example"), NOW, "dance", NULL) != STORE_OK, "an unknown kind is refused");
	ok(people_add(st, "Zoë Met", NULL, NOW - D, &id) == STORE_OK && id, "add someone met offline");
	ok(people_add(st, "Nobody", "not-an-address", NOW, &id2) != STORE_OK, "a bad address is refused");
	ids[0] = who("john.smith@corp.example");
	ids[1] = who("jsmith@corp.example");
	ok(people_merge(st, ids, 2, &id2) == STORE_OK && id2 == ids[0], "merge the corp.example John Smiths");
	people_ignore_pattern(st, "*@two.example", true);
	people_dismiss(st, who("jo@fund.example"), NOW - D);

	for (i = 0; i < 2; i++) {
		const char *when = i ? "after a rebuild" : "at once";

		if (i)
			ok(people_rebuild(st) == STORE_OK, "rebuild with decisions");
		p = get("bob@corp.example");
		is_str(p.why_not, "snoozed", "Bob snoozed %s", when);
		person_free(&p);
		p = get("dan@two.example");
		ok(p.cadence_source == CADENCE_NEVER && p.ignored, "Dan: cadence never, ignored by pattern %s", when);
		person_free(&p);
		p = get("carol@else.example");
		ok(p.relationship && p.ncircles == 1 && p.last_contact == NOW - 2 * D,
		   "Carol: the logged call made her a relationship, circle kept %s", when);
		person_free(&p);
		p = get("Zoë");
		ok(p.id && p.is_manual && p.relationship && p.last_contact == NOW - D,
		   "Zoë, met offline, %s", when);
		person_free(&p);
		p = get("zoe met");
		ok(p.id != 0, "Zoë resolves without the accent %s", when);
		person_free(&p);
		p = get("jo@fund.example");
		ok(p.note && strcmp(p.note, "met at the demo day") == 0 && p.dismissals == 1,
		   "Jo: note and dismissal %s", when);
		ok(p.cadence == 60 * D, "Jo: one dismissal doubled her cadence %s", when);
		person_free(&p);
		ok(who("jsmith@corp.example") && who("jsmith@corp.example") == who("john.smith@corp.example"),
		   "the merge holds %s", when);
		p = get("jsmith@corp.example");
		is_int(p.naddresses, 2, "merged person has both addresses %s", when);
		person_free(&p);
	}
	before = snapshot();
	people_rebuild(st);
	after = snapshot();
	is_str(after, before, "a second rebuild changes nothing either");
	free(before);
	free(after);

	/* Split: the address is its own person again, for good. */
	ok(people_split(st, "jsmith@corp.example", &id) == STORE_OK && id, "split jsmith off");
	ok(who("jsmith@corp.example") != who("john.smith@corp.example"), "two people again");
	people_rebuild(st);
	ok(who("jsmith@corp.example") != who("john.smith@corp.example"), "the split survives a rebuild");
	people_merge_suggestions(st, &ms);
	is_int(ms.n, 0, "a split pair is not suggested again");
	merge_suggestion_list_free(&ms);

	/* A reply names its person as `show` does, with two addresses too: the most used, as written. */
	add(sent, 20, "From: ana@example.org\nTo: hana@home.example\nMessage-ID: <h0@example.org>\nSubject: Tea\n");
	add(inbox, 19, "From: Hana Ito <Hana@Home.example>\nTo: ana@example.org\nMessage-ID: <h1@home.example>\n"
		       "Subject: Re: Tea\nIn-Reply-To: <h0@example.org>\n");
	add(inbox, 4, "From: Hana Ito <Hana.Ito@Lab.example>\nTo: ana@example.org\nMessage-ID: <h2@lab.example>\n"
		      "Subject: Could you review my draft?\n");
	ok(people_sync_done(st) == STORE_OK, "sync done with Hana's mail");
	ids[0] = who("hana@home.example");
	ids[1] = who("hana.ito@lab.example");
	ok(ids[0] && ids[1] && people_merge(st, ids, 2, &id) == STORE_OK, "merge Hana's two addresses");
	people_replies(st, NOW, &owed, &awaiting);
	ok(in_replies(&owed, "Hana@home.example"), "owed: Hana, by her most used address as she writes it");
	ok(replies_named(&owed) && replies_named(&awaiting), "every reply names its person as show does");
	reply_list_free(&owed);
	reply_list_free(&awaiting);

	/* The user's alias, learned from the Sent folder. */
	add(inbox, 6, "From: Kim <kim@k.example>\nTo: ana.r@work.example\nMessage-ID: <k1@k.example>\nSubject: Hi\n");
	is_str(class_of_newest("kim@k.example"), "blast", "before: mail to an unknown alias looks like a blast");
	for (i = 0; i < 3; i++)
		add(sent, 5 - (double)i, "From: ana.r@work.example\nTo: kim@k.example\n"
					 "Message-ID: <w%zu@work.example>\nSubject: Work %zu\n", i, i);
	ok(people_sync_done(st) == STORE_OK, "sync done learns the alias");
	is_str(class_of_newest("kim@k.example"), "self", "the alias's mail is the user's");
	p = get("kim@k.example");
	ok(p.relationship, "Kim: the user wrote on several days and she wrote to the user");
	person_free(&p);
	{
		struct history_list h = { 0 };

		people_history(st, who("kim"), 0, &h);
		ok(h.n == 4 && strcmp(h.v[3].class, "human") == 0, "her first message is now human mail");
		history_list_free(&h);
	}

	testdb_close(&t);
	return done_testing();
}
