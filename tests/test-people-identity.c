/* test-people-identity.c - role mailboxes, names, addresses as written, merge suggestions, due agreeing, lists filled alike. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kith/config.h"
#include "kith/identity.h"
#include "kith/people.h"
#include "kith/store.h"
#include "kith/util.h"
#include "tap.h"
#include "testdb.h"

#define D DAY_SECS
static const int64_t NOW = 1780000000;	/* 2026-05-28T20:26:40Z */

static struct testdb t;
static struct store *st;
static int msgno;

/* One message `ago` days before NOW, from `from` to `to`, with extra header lines. */
static void
mail(int64_t folder, double ago, const char *from, const char *to, const char *extra)
{
	char *h = extra && strstr(extra, "Subject:")
		  ? xasprintf("From: %s\nTo: %s\nMessage-ID: <m%d@test>\n%s", from, to, msgno, extra)
		  : xasprintf("From: %s\nTo: %s\nMessage-ID: <m%d@test>\nSubject: s%d\n%s", from, to, msgno,
			      msgno, extra ? extra : "");

	msgno++;
	testdb_add(&t, folder, ago, h);
	free(h);
}

#define who(w) testdb_who(&t, (w))

#define get(w) testdb_person(&t, (w))

/* The suggestion between the people of two addresses (b NULL: a is the user's), or NULL. */
static const struct merge_suggestion *
find(const struct merge_suggestion_list *l, const char *a, const char *b)
{
	int64_t ia = who(a), ib = b ? who(b) : 0;
	size_t i;

	for (i = 0; i < l->n; i++)
		if ((l->v[i].a == ia && l->v[i].b == ib) || (l->v[i].a == ib && l->v[i].b == ia))
			return &l->v[i];
	return NULL;
}

static void
suggests(const char *a, const char *b, enum merge_rule rule, const char *why)
{
	struct merge_suggestion_list l = { 0 };
	const struct merge_suggestion *m;

	people_merge_suggestions(st, &l);
	m = find(&l, a, b);
	ok(m != NULL, "%s and %s are suggested (%s)", a, b ? b : "the user", why);
	if (m) {
		is_str(merge_rule_name(m->rule), merge_rule_name(rule), "by the rule %s", merge_rule_name(rule));
		tap_diag("reason: %s", m->reason);
	}
	merge_suggestion_list_free(&l);
}

static void
not_suggested(const char *a, const char *b, const char *why)
{
	struct merge_suggestion_list l = { 0 };

	people_merge_suggestions(st, &l);
	ok(who(a) && (!b || who(b)) && find(&l, a, b) == NULL, "%s and %s are known, not suggested (%s)", a,
	   b ? b : "the user", why);
	merge_suggestion_list_free(&l);
}

static const char *ME = "Ana Rivera <ana.rivera@example.org>";

static void
mailbox(void)
{
	int i;

	/* The user signs as Ana Rivera. */
	for (i = 0; i < 3; i++)
		mail(t.sent, 300 + i, ME, "friend@else.example", NULL);

	/* An expense-report mailbox written to on three days, never answering. */
	for (i = 0; i < 3; i++)
		mail(t.sent, 40 + 10 * i, ME, "expense.reports@corp.example", NULL);
	/* Billing writes, but never in answer to the user. */
	mail(t.sent, 50, ME, "billing@shop.example", NULL);
	mail(t.inbox, 45, "billing@shop.example", ME, NULL);
	/* Support answers the user's own message in person. */
	mail(t.sent, 30, ME, "support@tools.example", NULL);
	mail(t.inbox, 29, "Kim at Support <support@tools.example>", ME, "In-Reply-To: <m8@test>\n");
	/* Payroll writes to the user: a notice, not a letter owed an answer. */
	mail(t.inbox, 10, "payroll@corp.example", ME, NULL);

	/* Mail without display names: separators, middle initials, initials. */
	mail(t.sent, 20, ME, "ann.lee@corp.example", NULL);
	mail(t.inbox, 19, "ann.lee@corp.example", ME, NULL);
	mail(t.sent, 18, ME, "ann_lee@corp.example", NULL);
	mail(t.sent, 17, ME, "paul.k.ortiz@corp.example", NULL);
	mail(t.sent, 16, ME, "paul.ortiz@corp.example", NULL);
	mail(t.sent, 15, ME, "rkilmer@corp.example", NULL);
	mail(t.sent, 14, ME, "robert.kilmer@corp.example", NULL);
	/* Short aliases cut to 7 or 8 characters, on one registrable domain. */
	mail(t.sent, 14, ME, "mona.petrochko@corp.example", NULL);
	mail(t.inbox, 13, "mpetroch@mail.corp.example", ME, NULL);
	mail(t.sent, 14, ME, "tim.heizenrader@corp.example", NULL);
	mail(t.inbox, 13, "theizen@corp.example", ME, NULL);
	/* ... but not cut shorter, nor a cut that is not the surname's start. */
	mail(t.sent, 14, ME, "hugo.brandtner@corp.example", NULL);
	mail(t.inbox, 13, "hbrand@corp.example", ME, NULL);
	mail(t.inbox, 13, "hbrandtr@corp.example", ME, NULL);
	/* jsmith: John or Jane?  Too ambiguous to suggest. */
	mail(t.sent, 13, ME, "jsmith@corp.example", NULL);
	mail(t.sent, 12, ME, "john.smith@corp.example", NULL);
	mail(t.sent, 11, ME, "jane.smith@corp.example", NULL);
	/* The same local part on two domains at once is two people. */
	mail(t.sent, 200, ME, "mchen@a.example", NULL);
	mail(t.sent, 100, ME, "mchen@b.example", NULL);
	mail(t.sent, 9, ME, "mchen@a.example", NULL);

	/* A job change: jdoeson@old.example falls silent, jdoeson@new.example starts. */
	for (i = 0; i < 6; i++) {
		mail(t.sent, 400 - 30 * i, ME, "jdoeson@old.example", NULL);
		mail(t.inbox, 399 - 30 * i, "jdoeson@old.example", ME, NULL);
	}
	mail(t.inbox, 200, "jdoeson@new.example", ME, NULL);
	mail(t.sent, 14, ME, "jdoeson@new.example", NULL);

	/* An archive's rewrite of an address, under the same name; a namesake elsewhere is not. */
	mail(t.inbox, 30, "Pat Quinlan <pquinlan-Xk3vQ9zT@archive.example>", ME, NULL);
	mail(t.sent, 20, ME, "Pat Quinlan <pquinlan@lab.example>", NULL);
	mail(t.inbox, 30, "Lee Ostrander <lee.ostrander@one.example>", ME, NULL);
	mail(t.sent, 20, ME, "Lee Ostrander <ostrander@two.example>", NULL);

	/* One firm's two domains, both in use for months; two firms' are two people. */
	for (i = 0; i < 4; i++) {
		mail(t.sent, 150 - 30 * i, ME, "dgagliardi@reliant.example", NULL);
		mail(t.inbox, 140 - 30 * i, "dgagliardi@reliantenergy.example", ME, NULL);
		mail(t.sent, 150 - 30 * i, ME, "pvanderberg@north.example", NULL);
		mail(t.inbox, 140 - 30 * i, "pvanderberg@south.example", ME, NULL);
	}

	/* Addresses as written: Gmail's dots are a key, not a spelling. */
	mail(t.inbox, 8, "Bruno.Keller@GMail.com", ME, NULL);
	mail(t.inbox, 7, "Bruno.Keller@gmail.com", ME, NULL);
	mail(t.sent, 6, ME, "brunokeller@gmail.com", NULL);

	/* The user's own second address: others write to it under the user's name. */
	mail(t.sent, 100, ME, "\"Ana Rivera (E-mail)\" <arivera@example.org>", NULL);
	mail(t.sent, 90, ME, "\"Ana Rivera (E-mail)\" <arivera@example.org>", NULL);
	mail(t.inbox, 80, "boss@corp.example", ME, "Cc: \"Ana Rivera (E-mail)\" <ar1977@home.example>\n");
	mail(t.sent, 79, ME, "ar1977@home.example", NULL);
	mail(t.sent, 70, ME, "ar1977@home.example", NULL);
	/* A short form of the user's address on her home domain, with digits. */
	mail(t.sent, 60, ME, "arivera7@home.example", NULL);

	/* Two shops mailing from promo@, one after the other: no one's job change. */
	mail(t.inbox, 300, "promo@shop-a.example", ME, "Precedence: bulk\n");
	mail(t.inbox, 100, "promo@shop-b.example", ME, "Precedence: bulk\n");
	/*
	 * A colleague's digest to twelve: it counts for no one, but it shows
	 * lee.m.park@, whom the user writes to as lee.park@.
	 */
	mail(t.sent, 25, ME, "lee.park@corp.example", NULL);
	mail(t.inbox, 24, "digest@corp.example", ME,
	     "Cc: a1@corp.example, a2@corp.example, a3@corp.example, a4@corp.example, a5@corp.example, "
	     "a6@corp.example, a7@corp.example, a8@corp.example, a9@corp.example, a10@corp.example, "
	     "lee.m.park@corp.example\n");
	/* Mail that names none of the user's addresses, sent to her old short address. */
	mail(t.inbox, 22, "vendor@partner.example", "arivera@oldjob.example", NULL);
	/* The same to a list: the list's lone address is nobody. */
	mail(t.inbox, 21, "editor@club.example", "members@groups.example", NULL);
	/*
	 * The user wrote to a friend only in a group mail (a blast from her);
	 * the friend's address then moves to a new employer.
	 */
	mail(t.sent, 300, ME, "wdanger@hire.example, b1@x.example, b2@x.example, b3@x.example, b4@x.example, "
	     "b5@x.example, b6@x.example, b7@x.example, b8@x.example, b9@x.example, b10@x.example", NULL);
	mail(t.inbox, 120, "pal@x.example", ME, "Cc: wdanger@deaus.example\n");

	/* One friend's two addresses on sister domains, written the same week. */
	mail(t.sent, 33, ME, "mbeldon@cable.example", NULL);
	mail(t.sent, 32, ME, "mbeldon@cable.net", NULL);

	/* Mail owed no reply: mailings from people the user never wrote to. */
	for (i = 0; i < 3; i++)
		mail(t.inbox, 30 - 7 * i, "chapters@exes.example", ME, "Subject: Come early, be loud\n");
	mail(t.inbox, 12, "alumni@alumni.example", ME, NULL);
	for (i = 0; i < 3; i++)
		mail(t.inbox, 50 - i, "webmaster@conf.example", "subscribers@conf.example", NULL);
	mail(t.inbox, 11, "chairman@conf.example", ME, "Subject: The new face of risk\n");
	/* A colleague's requests on many subjects are owed answers, written back to or not. */
	for (i = 0; i < 3; i++)
		mail(t.inbox, 20 - 3 * i, "new.colleague@corp.example", ME, NULL);

	/* A converter's placeholder name on many addresses is no name to merge on. */
	mail(t.inbox, 5, "boss@corp.example", ME,
	     "Cc: \"e-mail\" <.bill@corp.example>, \"e-mail\" <.brandon@corp.example>\n");
}

/* The same text, or both none. */
static bool
same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* What is wrong in `l` (a list's person) against `one` (people_get's), or NULL. */
static const char *
fill_differs(const struct person *l, const struct person *one, bool table)
{
	size_t i;

	if (!same_str(l->key, one->key) || !same_str(l->name, one->name) || !same_str(l->email, one->email))
		return "key, name or address";
	if (l->is_manual != one->is_manual || l->role != one->role || l->relationship != one->relationship)
		return "manual mark, role or relationship";
	if (table)
		return NULL;
	if (!same_str(l->note, one->note) || !same_str(l->last_subject, one->last_subject))
		return "note or subject";
	if (l->naddresses != one->naddresses)
		return "number of addresses";
	for (i = 0; i < l->naddresses; i++)
		if (!same_str(l->addresses[i], one->addresses[i]))
			return "addresses or their order";
	return NULL;
}

/*
 * A list of hundreds is filled a table at a time (people-fill.c), one
 * person by their own rows (people_get): each person must come out alike,
 * in the table of `kith list` as in full.
 */
static void
many_filled_alike(void)
{
	struct person_list l = { 0 };
	int64_t ids[2], seven = 0, id = 0;
	char from[80];
	int table;
	size_t i;

	for (i = 0; i < 300; i++) {
		snprintf(from, sizeof(from), "Crowd %zu <Crowd.%zu@crowd.example>", i, i);
		mail(t.inbox, 30 + (double)(i % 60), from, "ana.rivera@example.org", NULL);
	}
	/* Used more ever, less in the last year: the other address is the primary. */
	for (i = 0; i < 3; i++)
		mail(t.inbox, 500 + (double)i, "Crowd Seven <c7@old.example>", "ana.rivera@example.org", NULL);
	ids[0] = who("crowd.7@crowd.example");
	ids[1] = who("c7@old.example");
	ok(ids[0] && ids[1] && people_merge(st, ids, 2, &seven) == STORE_OK, "merge crowd 7's two addresses");
	ok(people_note(st, seven, NOW, "met at the crowd") == STORE_OK, "a note");
	ok(people_add(st, "Met Offline", "met@offline.example", NOW, &id) == STORE_OK, "add someone met offline");
	for (table = 0; table < 2; table++) {
		const char *bad = NULL;
		struct person one;
		size_t nbad = 0;

		people_list(st, NOW, NULL, SORT_NAME, PEOPLE_ACQUAINTANCES | (table ? PEOPLE_TABLE : 0), &l);
		ok(l.n > 300, "%s: everyone is listed (%zu)", table ? "table" : "full", l.n);
		for (i = 0; i < l.n; i++) {
			const char *why;

			if (people_get(st, l.v[i].id, NOW, &one) != STORE_OK) {
				why = "people_get failed";
			} else {
				why = fill_differs(&l.v[i], &one, table);
				person_free(&one);
			}
			if (why && !nbad++)
				bad = why;
		}
		ok(nbad == 0, "%s: each person as people_get fills them (%zu differ, first in %s)",
		   table ? "table" : "full", nbad, bad ? bad : "nothing");
		for (i = 0; i < l.n && l.v[i].id != seven; i++)
			;
		ok(i < l.n && same_str(l.v[i].email, "Crowd.7@crowd.example") && (table || (l.v[i].note &&
		   l.v[i].naddresses == 2)), "%s: crowd 7 by the address of the last year, as written",
		   table ? "table" : "full");
		for (i = 0; i < l.n && l.v[i].id != id; i++)
			;
		ok(i < l.n && l.v[i].is_manual, "%s: the person added by hand is marked so", table ? "table" : "full");
		person_list_free(&l);
	}
}

int
main(void)
{
	struct person p;
	struct person_list due = { 0 };
	struct reply_list owed = { 0 }, awaiting = { 0 };
	int64_t id;
	size_t i;

	if (testdb_open(&t, "test-people-identity", NOW, "[kith]\nme = ana.rivera@example.org\n") == -1)
		return 1;
	st = t.st;
	store_begin(st);
	mailbox();
	store_commit(st);
	ok(people_sync_done(st) == STORE_OK, "sync done");

	/* Mailings owe nothing; a colleague's requests do. */
	people_replies(st, NOW, &owed, &awaiting);
	{
		static const char *const none[] = { "chapters@exes.example", "alumni@alumni.example",
						    "chairman@conf.example" };
		size_t j;
		char *why;

		for (j = 0; j < ARRAY_SIZE(none); j++) {
			for (i = 0; i < owed.n && strcmp(owed.v[i].email, none[j]) != 0; i++)
				;
			why = NULL;
			if (who(none[j]))
				people_owes_nothing(st, who(none[j]), &why);
			ok(i == owed.n && why, "%s is owed no reply: %s", none[j], why ? why : "(no reason)");
			free(why);
		}
		for (i = 0; i < owed.n && strcmp(owed.v[i].email, "new.colleague@corp.example") != 0; i++)
			;
		why = NULL;
		ok(i < owed.n && people_owes_nothing(st, who("new.colleague@corp.example"), &why) == STORE_OK &&
		   !why, "a colleague who wrote on three subjects is owed a reply");
		free(why);
	}
	reply_list_free(&owed);
	reply_list_free(&awaiting);

	/* Role mailboxes. */
	p = get("expense.reports@corp.example");
	ok(p.id && !p.relationship && p.role, "an expense mailbox written to on three days is no relationship");
	person_free(&p);
	people_replies(st, NOW, &owed, &awaiting);
	for (i = 0; i < awaiting.n && strcmp(awaiting.v[i].email, "expense.reports@corp.example") != 0; i++)
		;
	ok(i == awaiting.n && who("expense.reports@corp.example"), "it awaits no answer");
	for (i = 0; i < owed.n && strcmp(owed.v[i].email, "payroll@corp.example") != 0; i++)
		;
	ok(i == owed.n && who("payroll@corp.example"), "payroll@, which wrote to the user, is owed no reply");
	reply_list_free(&owed);
	reply_list_free(&awaiting);
	p = get("billing@shop.example");
	ok(p.id && !p.relationship, "billing wrote back, but not in answer: no relationship");
	person_free(&p);
	p = get("support@tools.example");
	ok(p.relationship && p.role, "support answered the user's message in person: a relationship");
	person_free(&p);
	p = get("ann.lee@corp.example");
	ok(p.relationship && !p.role, "ann.lee is a person, and a relationship");
	person_free(&p);

	/* Names: none in any header is none, and the local part finds them. */
	p = get("ann.lee@corp.example");
	ok(p.id && p.name == NULL, "no display name anywhere: the name is NULL");
	person_free(&p);
	{
		struct person_list c = { 0 };
		int64_t one = 0;
		int rc = people_resolve(st, "ann lee", NOW, &one, &c);

		ok(rc == RESOLVE_OK && one == who("ann.lee@corp.example"),
		   "'ann lee' finds ann.lee@, the relationship of the two that answer to it");
		person_list_free(&c);
	}
	is_int(who("Robert Kilmer"), who("robert.kilmer@corp.example"), "'Robert Kilmer' finds robert.kilmer@");

	/* Addresses as written. */
	p = get("brunokeller@gmail.com");
	is_str(p.email, "Bruno.Keller@gmail.com", "a Gmail address is shown as its author writes it");
	ok(p.naddresses == 1, "and is one address");
	person_free(&p);
	p = get("ann.lee@corp.example");
	is_str(p.email, "ann.lee@corp.example", "a lower-case address stays as it is");
	person_free(&p);

	/* Merge suggestions for mail without display names. */
	suggests("ann.lee@corp.example", "ann_lee@corp.example", MERGE_SEPARATORS, "separators");
	suggests("paul.k.ortiz@corp.example", "paul.ortiz@corp.example", MERGE_SEPARATORS, "a middle initial");
	suggests("rkilmer@corp.example", "robert.kilmer@corp.example", MERGE_INITIAL, "initial + surname");
	suggests("mpetroch@mail.corp.example", "mona.petrochko@corp.example", MERGE_INITIAL,
		 "initial + surname cut to an 8-character alias");
	suggests("theizen@corp.example", "tim.heizenrader@corp.example", MERGE_INITIAL,
		 "initial + surname cut to a 7-character alias");
	not_suggested("hbrand@corp.example", "hugo.brandtner@corp.example", "a cut to 6 characters is no alias");
	not_suggested("hbrandtr@corp.example", "hugo.brandtner@corp.example", "a cut must be the surname's start");
	not_suggested("jsmith@corp.example", "john.smith@corp.example", "jsmith is John or Jane");
	not_suggested("mchen@a.example", "mchen@b.example", "both in use at once, and 'mchen' is short");
	suggests("jdoeson@old.example", "jdoeson@new.example", MERGE_JOB_CHANGE, "a job change");
	suggests("pquinlan-xk3vq9zt@archive.example", "pquinlan@lab.example", MERGE_NAME_REWRITTEN,
		 "the same name, and an address an archive rewrote");
	not_suggested("lee.ostrander@one.example", "ostrander@two.example", "the same name alone, across domains");
	suggests("dgagliardi@reliant.example", "dgagliardi@reliantenergy.example", MERGE_JOB_CHANGE,
		 "one firm's two domains, both in use");
	not_suggested("pvanderberg@north.example", "pvanderberg@south.example",
		      "two unrelated domains in use at once");

	/* The user's own second addresses: suggested, never taken. */
	suggests("arivera@example.org", NULL, MERGE_MINE, "the initial and surname of the user's address");
	suggests("ar1977@home.example", NULL, MERGE_MINE, "others write to it under the user's name");
	suggests("arivera7@home.example", NULL, MERGE_MINE, "a short form of the user's address at home");
	not_suggested("promo@shop-a.example", "promo@shop-b.example", "neither was in touch with the user");
	suggests("mbeldon@cable.example", "mbeldon@cable.net", MERGE_JOB_CHANGE, "sister domains, one week");
	{
		struct merge_suggestion_list l = { 0 };
		const struct merge_suggestion *m;

		people_merge_suggestions(st, &l);
		m = find(&l, "mbeldon@cable.example", "mbeldon@cable.net");
		ok(m && strstr(m->reason, "both in use") && !strstr(m->reason, "new job"),
		   "two addresses in use in one month are a second address, not a new job: %s",
		   m ? m->reason : "(none)");
		merge_suggestion_list_free(&l);
	}
	suggests("lee.m.park@corp.example", "lee.park@corp.example", MERGE_SEPARATORS,
		 "seen in a digest to twelve, a blast");
	suggests("arivera@oldjob.example", NULL, MERGE_MINE,
		 "mail naming none of the user's addresses was sent to it");
	ok(!who("members@groups.example"), "the lone address of mail that names none of the user's is nobody");
	suggests("wdanger@hire.example", "wdanger@deaus.example", MERGE_JOB_CHANGE,
		 "the user wrote to the old address in a group mail");
	not_suggested(".bill@corp.example", ".brandon@corp.example", "\"e-mail\" is no one's name");
	ok(identity_is_role("owner-hikers@lists.example"), "owner-LIST@ is a role mailbox");
	p = get("ar1977@home.example");
	ok(p.id && !p.suggested && p.why_not && strstr(p.why_not, "your own address"),
	   "the user's likely address is held back from due: %s", p.why_not ? p.why_not : "(suggested)");
	person_free(&p);

	/* Due and merge suggestions agree: the old address is not nagged about. */
	people_due(st, NOW, NULL, true, 0, &due);
	for (i = 0; i < due.n && strcmp(due.v[i].email, "jdoeson@old.example") != 0; i++)
		;
	ok(i < due.n && due.v[i].status >= STATUS_DUE, "jdoeson@old.example is a relationship, overdue");
	for (i = 0; i < due.n; i++)
		if (due.v[i].email && strcmp(due.v[i].email, "jdoeson@old.example") == 0) {
			ok(!due.v[i].suggested, "jdoeson@old.example is held back from due");
			ok(due.v[i].why_not && strstr(due.v[i].why_not, "jdoeson@new.example") &&
			   strstr(due.v[i].why_not, "kith merge"),
			   "why: %s", due.v[i].why_not ? due.v[i].why_not : "(none)");
		}
	person_list_free(&due);

	/* A split (or keeping apart) is remembered. */
	id = 0;
	ok(people_split(st, "ann_lee@corp.example", &id) == STORE_OK && id == who("ann_lee@corp.example"),
	   "kith split on a lone address keeps it apart");
	not_suggested("ann.lee@corp.example", "ann_lee@corp.example", "the user kept them apart");
	ok(people_rebuild(st) == STORE_OK, "rebuild");
	not_suggested("ann.lee@corp.example", "ann_lee@corp.example", "still after a rebuild");
	suggests("rkilmer@corp.example", "robert.kilmer@corp.example", MERGE_INITIAL, "after a rebuild");
	p = get("brunokeller@gmail.com");
	is_str(p.email, "Bruno.Keller@gmail.com", "the spelling survives a rebuild");
	person_free(&p);
	p = get("expense.reports@corp.example");
	ok(p.id && !p.relationship, "the role mailbox is still no relationship after a rebuild");
	person_free(&p);

	many_filled_alike();
	testdb_close(&t);
	return done_testing();
}
