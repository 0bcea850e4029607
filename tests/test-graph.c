/* test-graph.c - a team, a climbing crowd and an old friend: related, communities, bridges, goals. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kith/config.h"
#include "kith/graph.h"
#include "kith/people.h"
#include "kith/store.h"
#include "kith/util.h"
#include "tap.h"
#include "testdb.h"

#define D DAY_SECS
static const int64_t NOW = 1780000000;	/* 2026-05-28T20:26:40Z, a Thursday */

static struct testdb t;
static struct store *st;
static int64_t inbox, sent;
static int msgno;

/* Store one message dated `ago` days before NOW. */
static void
add(int64_t folder, double ago, const char *fmt, ...)
{
	char *body, *header;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&body, fmt, ap) < 0)
		abort();
	va_end(ap);
	header = xasprintf("%sMessage-ID: <m%d@test.example>\n", body, ++msgno);
	testdb_add(&t, folder, ago, header);
	free(header);
	free(body);
}

#define who(w) testdb_who(&t, (w))

static bool
has_member(const struct community *c, int64_t id)
{
	size_t i;

	for (i = 0; i < c->members.n; i++)
		if (c->members.v[i].id == id)
			return true;
	return false;
}

static void
mailbox(void)
{
	struct strbuf many = { 0 };
	int i;

	/* The team: four sprint threads to the same four colleagues, on four days. */
	for (i = 0; i < 4; i++) {
		add(sent, 40 - i * 7, "From: ana@example.org\nTo: t1@corp.example, t2@corp.example, "
				      "t3@corp.example, t4@corp.example\nSubject: Sprint %d planning\n", i + 1);
		add(inbox, 39.5 - i * 7, "From: T%d <t%d@corp.example>\nTo: ana@example.org\n"
					 "Subject: standup %d\n", i % 4 + 1, i % 4 + 1, i);
	}
	/* The climbers, with t1 among them: three trips. */
	for (i = 0; i < 3; i++) {
		add(sent, 30 - i * 5, "From: ana@example.org\nTo: k1@a.example, k2@b.example, k3@c.example, "
				      "k4@d.example, t1@corp.example\nSubject: Climbing trip %d\n", i + 1);
		add(inbox, 29.5 - i * 5, "From: K%d <k%d@%c.example>\nTo: ana@example.org\nSubject: Re: gear %d\n",
		    i + 1, i + 1, 'a' + i, i);
	}
	add(inbox, 12, "From: K4 <k4@d.example>\nTo: ana@example.org\nSubject: Ropes\n");
	/* An old friend of k1, last seen well over a year ago. */
	add(sent, 420, "From: ana@example.org\nTo: Dora <dora@old.example>, k1@a.example\nSubject: Bouldering\n");
	add(inbox, 419, "From: Dora <dora@old.example>\nTo: ana@example.org\nCc: k1@a.example\n"
			"Subject: Re: Bouldering\nIn-Reply-To: <m%d@test.example>\n", msgno);
	add(sent, 410, "From: ana@example.org\nTo: Dora <dora@old.example>, k1@a.example\nSubject: Old photos\n");
	/* A blast to 25: it links nobody. */
	for (i = 0; i < 23; i++)
		sb_addf(&many, "p%d@crowd.example, ", i);
	add(sent, 3, "From: ana@example.org\nTo: %sk1@a.example, dora@old.example\nSubject: Moving house\n",
	    many.buf);
	sb_free(&many);
	/* This week (from Monday 2026-05-25): ana wrote to k1; k2 last Saturday. */
	add(sent, 1, "From: ana@example.org\nTo: k1@a.example\nSubject: Saturday?\n");
	add(sent, 5, "From: ana@example.org\nTo: k2@b.example\nSubject: Belay course\n");
}

/*
 * One organisation: everyone at org.example, three teams, two people who
 * work with two teams each.  The domain names no team, the teams' words do,
 * and a team whose subjects every team uses is named after its members.
 */
static void
one_organisation(void)
{
	static const char *const teams[3][4] = {
		{ "Abe Ash <a1@org.example>", "a2@org.example", "a3@org.example", "a4@org.example" },
		{ "Bea Bell <b1@org.example>", "b2@org.example", "b3@org.example", "b4@org.example" },
		{ "Carl Cole <c1@org.example>", "c2@org.example", "c3@org.example", "c4@org.example" },
	};
	static const char *const subjects[3] = { "Gas nomination", "Contract review", "Quarterly numbers" };
	struct graph_suggestions g = { 0 };
	struct person_list all = { 0 };
	size_t i, j, nrel = 0;
	int k, d;

	if (testdb_open(&t, "test-graph-org", NOW, "[kith]\nme = ana@org.example\nmax_recipients = 10\n") == -1)
		return;
	st = t.st;
	store_begin(st);
	for (k = 0; k < 3; k++) {
		for (d = 0; d < 4; d++) {
			/* x1 is in every thread of the first two teams, x2 in two of the last two's. */
			const char *x = k == 0 ? ", x1@org.example"
				      : k == 1 ? (d < 2 ? ", x1@org.example, x2@org.example" : ", x1@org.example")
				      : d < 2 ? ", x2@org.example" : "";

			add(t.sent, 60 - d * 7 - k, "From: ana@org.example\nTo: %s, %s, %s, %s%s\n"
				    "Subject: %s %d\n", teams[k][0], teams[k][1], teams[k][2], teams[k][3], x,
			    subjects[k], d + 1);
			add(t.inbox, 59.5 - d * 7 - k, "From: %s\nTo: ana@org.example\nSubject: Re: %s %d\n",
			    teams[k][d], subjects[k], d + 1);
		}
		/* Every team also reports its quarterly numbers. */
		if (k < 2)
			for (d = 0; d < 2; d++)
				add(t.sent, 20 - d - k * 2, "From: ana@org.example\nTo: %s, %s\n"
					    "Subject: Quarterly numbers %c\n", teams[k][0], teams[k][1], 'a' + d);
	}
	store_commit(st);
	ok(people_sync_done(st) == STORE_OK, "one organisation: sync done");
	ok(graph_suggest(st, NOW, &g) == STORE_OK, "one organisation: suggest");
	is_int((long long)g.n, 3, "three teams");
	for (i = 0; i < g.n; i++) {
		ok(strcmp(g.v[i].name, "org") != 0, "community %zu is not named after everyone's domain (%s, from %s)",
		   i + 1, g.v[i].name, g.v[i].name_from);
		for (j = 0; j < i; j++)
			ok(strcmp(g.v[i].name, g.v[j].name) != 0, "communities %zu and %zu have different names",
			   j + 1, i + 1);
		if (has_member(&g.v[i], who("a2@org.example")))
			is_str(g.v[i].name, "nomination", "the gas desk after its word");
		if (has_member(&g.v[i], who("b2@org.example")))
			is_str(g.v[i].name, "contract", "the lawyers after theirs");
		if (has_member(&g.v[i], who("c2@org.example"))) {
			is_str(g.v[i].name, "carl-cole", "the team whose words all teams use, after its central member");
			ok(str_has_prefix(g.v[i].name_from, "most central members, "), "and says so: %s",
			   g.v[i].name_from);
		}
	}
	if (people_list(st, NOW, NULL, SORT_NAME, 0, &all) == STORE_OK)
		for (i = 0; i < all.n; i++)
			nrel += all.v[i].relationship;
	ok(g.nbridges >= 1 && g.nbridges <= (nrel / 10 > 1 ? nrel / 10 : 1),
	   "bridges are at most a tenth of the %zu relationships (got %zu)", nrel, g.nbridges);
	ok(g.nbridges >= 1 && g.bridges[0].p.id == who("x1@org.example"),
	   "the strongest bridge is kept: x1, in every thread of two teams");
	for (i = 1; i < g.nbridges; i++)
		ok(g.bridges[i].weight <= g.bridges[i - 1].weight, "bridges by weight");
	person_list_free(&all);
	graph_suggestions_free(&g);
	testdb_close(&t);
}

int
main(void)
{
	struct related_list rl = { 0 };
	struct graph_suggestions g = { 0 }, g2 = { 0 };
	struct goal_list gl = { 0 };
	int64_t k1, k2, t1, dora;
	const struct community *team = NULL, *climb = NULL;
	size_t i;

	setenv("TZ", "UTC", 1);
	tzset();
	if (testdb_open(&t, "test-graph", NOW,
			"[kith]\nme = ana@example.org\nmax_recipients = 10\n\n"
			"[circle climbers]\nmembers = k1@a.example, k2@b.example, k3@c.example\n\n"
			"[goal climb]\ncircle = climbers\nper_week = 2\n") == -1)
		return 1;
	st = t.st;
	inbox = t.inbox;
	sent = t.sent;

	store_begin(st);
	mailbox();
	store_commit(st);
	ok(people_sync_done(st) == STORE_OK, "sync done");
	k1 = who("k1@a.example");
	k2 = who("k2@b.example");
	t1 = who("t1@corp.example");
	dora = who("dora@old.example");
	ok(k1 && k2 && t1 && dora, "the people are known");

	/* related: the dormant old friend first, then the climbers; nobody from the blast. */
	ok(graph_related(st, k1, NOW, 50, &rl) == STORE_OK, "related k1");
	ok(rl.n >= 5, "k1 has at least 5 related people (got %zu)", rl.n);
	ok(rl.n > 0 && rl.v[0].p.id == dora && rl.v[0].p.status == STATUS_DORMANT,
	   "the dormant old friend comes first");
	is_int(rl.n > 0 ? (long long)rl.v[0].threads : -1, 2, "two threads shared with her");
	for (i = 0; i < rl.n; i++)
		if (rl.v[i].p.email && strstr(rl.v[i].p.email, "crowd.example"))
			break;
	ok(i == rl.n, "a blast to 25 links k1 to none of them");
	for (i = 1; i < rl.n; i++)
		if (rl.v[i].p.relationship && rl.v[i - 1].p.relationship &&
		    rl.v[i].p.status != STATUS_DORMANT && rl.v[i - 1].p.status != STATUS_DORMANT &&
		    rl.v[i].score > rl.v[i - 1].score)
			break;
	ok(i >= rl.n, "after the dormant ones, by score");
	ok(rl.n > 1 && rl.v[1].threads == 3 && rl.v[1].last_shared > NOW - 21 * D,
	   "a climber shares the three trips, the last one 20 days ago");
	related_list_free(&rl);
	ok(graph_related(st, k1, NOW, 2, &rl) == STORE_OK && rl.n == 2, "the limit holds");
	related_list_free(&rl);

	/* Communities: the team and the climbers, with t1 the bridge. */
	ok(graph_suggest(st, NOW, &g) == STORE_OK, "suggest");
	is_int((long long)g.n, 2, "two communities");
	for (i = 0; i < g.n; i++) {
		if (has_member(&g.v[i], k1))
			climb = &g.v[i];
		if (has_member(&g.v[i], who("t2@corp.example")))
			team = &g.v[i];
	}
	ok(team && climb && team != climb, "the team and the climbers are apart");
	ok(team && team->members.n == 4 && has_member(team, t1), "the team is the four colleagues");
	ok(climb && climb->members.n == 5 && !has_member(climb, t1) && has_member(climb, dora),
	   "the climbers are k1-k4 and dora, linked to k1 only (t1 belongs to the team)");
	ok(climb && climb->members.v[climb->members.n - 1].id == dora, "dora, the weakest-linked, comes last");
	is_str(team ? team->name : NULL, "corp", "the team is named after its domain");
	is_str(climb ? climb->name : NULL, "climbing", "the climbers after their subjects");
	is_int((long long)g.nbridges, 1, "one bridge");
	ok(g.nbridges == 1 && g.bridges[0].p.id == t1 && g.bridges[0].ncommunities == 2,
	   "t1 bridges the two communities");
	ok(graph_suggest(st, NOW, &g2) == STORE_OK && g2.n == g.n && g.n > 0 &&
	   strcmp(g2.v[0].name, g.v[0].name) == 0 && g2.v[0].members.v[0].id == g.v[0].members.v[0].id,
	   "the same database gives the same numbering");
	graph_suggestions_free(&g);
	graph_suggestions_free(&g2);

	/* Goals: the week starts on Monday 00:00; k1 written to, k2 last week. */
	is_int(graph_week_start(NOW), NOW - NOW % D - 3 * D, "the week starts on Monday");
	is_int(graph_week_start(NOW - NOW % D - 3 * D), NOW - NOW % D - 3 * D, "Monday 00:00 starts its own week");
	ok(graph_goals(st, NOW, 3, &gl) == STORE_OK, "goals");
	is_int((long long)gl.n, 1, "one goal");
	if (gl.n == 1) {
		is_str(gl.v[0].name, "climb", "its name");
		is_int(gl.v[0].per_week, 2, "its target");
		is_int((long long)gl.v[0].members, 3, "the circle has three members");
		is_int((long long)gl.v[0].reached.n, 1, "one of them written to this week");
		ok(gl.v[0].reached.n == 1 && gl.v[0].reached.v[0].id == k1, "k1");
		for (i = 0; i < gl.v[0].next.n; i++)
			ok(gl.v[0].next.v[i].id != k1, "next does not repeat k1");
	}
	goal_list_free(&gl);

	testdb_close(&t);
	one_organisation();
	done_testing();
}
