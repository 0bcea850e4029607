/* test-threads.c - decisions that depend on other messages: the same in any order they arrive. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kith/config.h"
#include "kith/people.h"
#include "kith/status.h"
#include "kith/store.h"
#include "kith/util.h"
#include "store-private.h"
#include "tap.h"
#include "testdb.h"

#define D DAY_SECS

static const int64_t NOW = 1780000000;	/* 2026-05-28T20:26:40Z */

enum where { INBOX, SENT, ARCHIVE, FLAGGED };

struct mail {
	enum where where;
	double ago;
	const char *header;
};

/*
 * One mailbox of the shapes whose decisions depend on another message:
 * answers stored before the question, list posts before the list's copies,
 * a list's rewritten copy of the user's post, Exchange answers without
 * In-Reply-To, a colleague's digests.
 */
static const struct mail box[] = {
	/* Bob answers the user's question; his mail server marks everything bulk. */
	{ SENT, 20, "From: ana@example.org\nTo: bob@b.example\nMessage-ID: <q1@example.org>\nSubject: Budget\n" },
	{ INBOX, 19, "From: Bob <bob@b.example>\nTo: ana@example.org\nMessage-ID: <b1@b.example>\n"
		     "In-Reply-To: <q1@example.org>\nPrecedence: bulk\nSubject: Re: Budget\n" },
	/* Kay on Exchange: no In-Reply-To; her "RE:" answers by subject within 30 days. */
	{ SENT, 15, "From: ana@example.org\nTo: kay@corp.example\nMessage-ID: <q2@example.org>\n"
		    "Subject: Gas contracts for Q3\n" },
	{ INBOX, 14, "From: kay@corp.example\nTo: ana@example.org\nMessage-ID: <k1@corp.example>\n"
		     "Precedence: bulk\nSubject: RE: Gas contracts for Q3\n" },
	/* Lou's "RE:" comes 40 days after the user's message: no answer. */
	{ SENT, 50, "From: ana@example.org\nTo: lou@corp.example\nMessage-ID: <q3@example.org>\nSubject: Rates\n" },
	{ INBOX, 10, "From: lou@corp.example\nTo: ana@example.org\nMessage-ID: <l1@corp.example>\n"
		     "Precedence: bulk\nSubject: RE: Rates\n" },
	/* The user posts to a list, once with Carol in Cc; the list's copies name the list. */
	{ SENT, 30, "From: ana@example.org\nTo: dev@lists.example.org\nCc: carol@c.example\n"
		    "Message-ID: <p1@example.org>\nSubject: Patch 1\n" },
	{ SENT, 25, "From: ana@example.org\nTo: dev@lists.example.org\nMessage-ID: <p2@example.org>\n"
		    "Subject: Patch 2\n" },
	{ SENT, 5, "From: ana@example.org\nTo: dev@lists.example.org\nMessage-ID: <p3@example.org>\n"
		   "Subject: Patch 3\n" },
	{ INBOX, 24, "From: Carol <carol@c.example>\nTo: dev@lists.example.org\nCc: ana@example.org\n"
		     "Message-ID: <c1@c.example>\nIn-Reply-To: <p1@example.org>\n"
		     "List-Id: Dev <dev.lists.example.org>\nList-Post: <mailto:dev@lists.example.org>\n"
		     "Subject: Re: Patch 1\n" },
	/* The list itself writes, without list headers: still no person. */
	{ INBOX, 28, "From: dev@lists.example.org\nTo: ana@example.org\nMessage-ID: <mod1@lists.example.org>\n"
		     "Subject: Your post awaits moderation\n" },
	/* The user's second address posts; the list rewrites From and stores its copy in INBOX. */
	{ SENT, 9, "From: Ana <ana.r@work.example>\nTo: dev@lists.example.org\nMessage-ID: <w1@work.example>\n"
		   "Subject: Patch 4\n" },
	{ SENT, 8, "From: Ana <ana.r@work.example>\nTo: dev@lists.example.org\nMessage-ID: <w2@work.example>\n"
		   "Subject: Patch 5\n" },
	{ SENT, 7, "From: Ana <ana.r@work.example>\nTo: dev@lists.example.org\nMessage-ID: <w3@work.example>\n"
		   "Subject: Patch 6\n" },
	{ INBOX, 9, "From: Ana via Dev <dev@lists.example.org>\nReply-To: ana.r@work.example\n"
		    "To: dev@lists.example.org\nMessage-ID: <w1@work.example>\nList-Id: <dev.lists.example.org>\n"
		    "Subject: [Dev] Patch 4\n" },
	{ INBOX, 8, "From: Ana via Dev <dev@lists.example.org>\nReply-To: ana.r@work.example\n"
		    "To: dev@lists.example.org\nMessage-ID: <w2@work.example>\nList-Id: <dev.lists.example.org>\n"
		    "Subject: [Dev] Patch 5\n" },
	{ INBOX, 7, "From: Ana via Dev <dev@lists.example.org>\nReply-To: ana.r@work.example\n"
		    "To: dev@lists.example.org\nMessage-ID: <w3@work.example>\nList-Id: <dev.lists.example.org>\n"
		    "Subject: [Dev] Patch 6\n" },
	/* Mo on Exchange opens a thread; the user's answer continues its Thread-Index, and so does Mo's. */
	{ INBOX, 12, "From: mo@ex.example\nTo: ana@example.org\nMessage-ID: <m1@ex.example>\n"
		     "Thread-Index: AAECAwQFBgcICQoLDA0ODxAREhMUFQ==\nSubject: Rates for May\n" },
	{ SENT, 11, "From: ana@example.org\nTo: mo@ex.example\nMessage-ID: <m2@example.org>\n"
		    "Thread-Index: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBka\nSubject: RE: Rates for May\n" },
	{ INBOX, 10, "From: mo@ex.example\nTo: ana@example.org\nMessage-ID: <m3@ex.example>\n"
		     "Thread-Index: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\nSubject: New rates\n" },
	/* A correspondent reuses one of the user's Message-IDs: another message, not the user's. */
	{ INBOX, 19, "From: mallory@m.example\nTo: ana@example.org\nMessage-ID: <q1@example.org>\n"
		     "Subject: Budget\n" },
	/* Dee's digests to 63 people, three of them, and one real message to the user. */
	{ INBOX, 40, "From: Dee <dee@corp.example>\nTo: ana@example.org, %s\nMessage-ID: <d1@corp.example>\n"
		     "Subject: News digest 1\n" },
	{ INBOX, 33, "From: Dee <dee@corp.example>\nTo: ana@example.org, %s\nMessage-ID: <d2@corp.example>\n"
		     "Subject: News digest 2\n" },
	{ INBOX, 26, "From: Dee <dee@corp.example>\nTo: ana@example.org, %s\nMessage-ID: <d3@corp.example>\n"
		     "Subject: News digest 3\n" },
	/* Zed's subject-only threads: 40 days apart are two; a message between joins them. */
	{ INBOX, 100, "From: zed@z.example\nTo: ana@example.org\nMessage-ID: <z1@z.example>\nSubject: Weekly sync\n" },
	{ INBOX, 60, "From: zed@z.example\nTo: ana@example.org\nMessage-ID: <z2@z.example>\nSubject: Weekly sync\n" },
	{ INBOX, 100, "From: zed@z.example\nTo: ana@example.org\nMessage-ID: <y1@z.example>\nSubject: Call\n" },
	{ INBOX, 80, "From: zed@z.example\nTo: ana@example.org\nMessage-ID: <y2@z.example>\nSubject: RE: Call\n" },
	{ INBOX, 60, "From: zed@z.example\nTo: ana@example.org\nMessage-ID: <y3@z.example>\nSubject: Call\n" },
	/* A folder the server flags \Sent that holds other people's mail: many writers, none the user. */
	{ FLAGGED, 6, "From: eve@e.example\nTo: ana@example.org\nMessage-ID: <e1@e.example>\nSubject: One\n" },
	{ FLAGGED, 5, "From: eve@e.example\nTo: ana@example.org\nMessage-ID: <e2@e.example>\nSubject: Two\n" },
	{ FLAGGED, 4, "From: eve@e.example\nTo: ana@example.org\nMessage-ID: <e3@e.example>\nSubject: Three\n" },
	{ FLAGGED, 6, "From: fay@f.example\nTo: ana@example.org\nMessage-ID: <f1@f.example>\nSubject: One\n" },
	{ FLAGGED, 5, "From: fay@f.example\nTo: ana@example.org\nMessage-ID: <f2@f.example>\nSubject: Two\n" },
	{ FLAGGED, 4, "From: fay@f.example\nTo: ana@example.org\nMessage-ID: <f3@f.example>\nSubject: Three\n" },
	{ FLAGGED, 3, "From: gil@g.example\nTo: ana@example.org\nMessage-ID: <g1@g.example>\nSubject: Hi\n" },
	{ FLAGGED, 3, "From: hal@h.example\nTo: ana@example.org\nMessage-ID: <h1@h.example>\nSubject: Hi\n" },
	{ FLAGGED, 3, "From: ida@i.example\nTo: ana@example.org\nMessage-ID: <i1@i.example>\nSubject: Hi\n" },
	{ FLAGGED, 2, "From: jo@j.example\nTo: ana@example.org\nMessage-ID: <j1@j.example>\nSubject: Hi\n" },
	{ FLAGGED, 2, "From: kit@k.example\nTo: ana@example.org\nMessage-ID: <t1@k.example>\nSubject: Hi\n" },
	{ FLAGGED, 2, "From: lee@l.example\nTo: ana@example.org\nMessage-ID: <l1@l.example>\nSubject: Hi\n" },
};

static const char config[] = "[kith]\nme = ana@example.org\n";

static char crowd[4096];

/* Rows of `sql` (text columns joined by '|', rows by '\n') appended to sb. */
static void
dump(struct store *st, const char *sql, struct strbuf *sb)
{
	sqlite3_stmt *s = store_stmt(st, sql);
	int i, n = sqlite3_column_count(s);

	while (sqlite3_step(s) == SQLITE_ROW) {
		for (i = 0; i < n; i++)
			sb_addf(sb, "%s%s", i ? "|" : "", sqlite3_column_text(s, i) ?
				(const char *)sqlite3_column_text(s, i) : "-");
		sb_adds(sb, "\n");
	}
	sqlite3_reset(s);
}

/*
 * Everything the user can see that the mail decides, without the row ids
 * that record the order it came in: each message's class and rule, each
 * person's addresses, gate and sums, the learned addresses, and replies.
 */
static char *
signature(struct store *st)
{
	struct strbuf sb = { 0 };

	dump(st, "SELECT message_id, class, rule FROM messages ORDER BY message_id", &sb);
	dump(st, "SELECT a.addr, a.n, p.key, coalesce(p.name, '-'), p.relationship, p.gate_out, p.gate_back, "
		 "printf('%.6f', p.s_out), printf('%.6f', p.s_in), p.last_contact, p.last_sent, p.last_received, "
		 "coalesce(p.last_subject, '-'), p.messages FROM addresses a JOIN people p ON p.id = a.person "
		 "ORDER BY a.addr", &sb);
	dump(st, "SELECT addr, folder, n FROM me_learned ORDER BY addr", &sb);
	dump(st, "SELECT addr FROM list_addrs ORDER BY addr", &sb);
	dump(st, "SELECT m.message_id, x.message_id FROM interactions i JOIN messages m ON m.id = i.message "
		 "JOIN interactions j ON j.thread = i.thread AND j.id != i.id JOIN messages x ON x.id = j.message "
		 "GROUP BY 1, 2 ORDER BY 1, 2", &sb);
	testdb_dump_replies(st, NOW, &sb);
	return sb_detach(&sb);
}

/* The header with "%s" replaced by the crowd of recipients. */
static char *
subst(const char *header)
{
	const char *p = strstr(header, "%s");

	if (!p)
		return xstrdup(header);
	return xasprintf("%.*s%s%s", (int)(p - header), header, crowd, p + 2);
}

/*
 * The mailbox stored in the order `order` (indexes into box), with
 * people_sync_done after every `batch` messages as kithd does after each
 * committed batch, or each IDLE message.  Returns the signature (free it)
 * and, when `rebuilt`, the signature after `kith rebuild`.
 */
static char *
run(const size_t *order, size_t batch, char **rebuilt)
{
	struct testdb t;
	int64_t folders[4];
	size_t i;
	char *sig, *hdr;

	int64_t account;

	if (testdb_open(&t, "threads", NOW, config) != 0 || store_account(t.st, "personal", &account) != STORE_OK) {
		printf("Bail out! cannot open a test database\n");
		exit(1);
	}
	folders[INBOX] = t.inbox;
	folders[SENT] = t.sent;
	folders[ARCHIVE] = t.archive;
	folders[FLAGGED] = testdb_folder(&t, account, "Junk", "sent");
	for (i = 0; i < ARRAY_SIZE(box); i++) {
		const struct mail *m = &box[order[i]];

		hdr = subst(m->header);
		testdb_add(&t, folders[m->where], m->ago, hdr);
		free(hdr);
		if ((i + 1) % batch == 0 || i + 1 == ARRAY_SIZE(box))
			if (people_sync_done(t.st) != STORE_OK)
				printf("# people_sync_done failed\n");
	}
	sig = signature(t.st);
	if (rebuilt) {
		*rebuilt = people_rebuild(t.st) == STORE_OK ? signature(t.st) : xstrdup("rebuild failed");
	}
	testdb_close(&t);
	return sig;
}

/*
 * kith status lists the user's addresses, configured and learned with
 * where; `kith split ADDR` (people_not_me) takes a learned one back for
 * good, and mail from it is someone else's again.
 */
static void
test_status(void)
{
	struct testdb t;
	struct kith_status ks;
	size_t i, k;
	bool learned = false, found = false;
	char *hdr;

	if (testdb_open(&t, "threads-status", NOW, config) != 0)
		return;
	for (i = 0; i < ARRAY_SIZE(box); i++) {
		if (box[i].where == FLAGGED)
			continue;
		hdr = subst(box[i].header);
		testdb_add(&t, box[i].where == SENT ? t.sent : t.inbox, box[i].ago, hdr);
		free(hdr);
	}
	ok(people_sync_done(t.st) == STORE_OK, "sync done");
	ok(status_read(t.st, NOW, &ks) == STORE_OK, "status_read");
	is_int(ks.nme, 2, "status: two addresses of the user's");
	for (k = 0; k < ks.nme; k++) {
		if (strcmp(ks.me[k].addr, "ana@example.org") == 0)
			ok(!ks.me[k].learned_from, "ana@example.org: configured");
		if (strcmp(ks.me[k].addr, "ana.r@work.example") == 0) {
			found = true;
			is_str(ks.me[k].learned_from, "personal/Sent", "ana.r@work.example: learned from personal/Sent");
			is_int(ks.me[k].messages, 3, "... where it wrote 3 messages");
		}
	}
	ok(found, "the learned address is listed");
	status_free(&ks);
	{
		char *why = people_why_nobody(t.st, "Dev@lists.example.org");
		struct history_list h = { 0 };
		struct person_list cand = { 0 };
		int64_t id = 0;
		size_t j;
		bool said = false;

		ok(why && strstr(why, "mailing list's own address") && strstr(why, "never a person"),
		   "kith show of the list's address says it is a list's, never a person");
		free(why);
		why = people_why_nobody(t.st, "ana.r@work.example");
		ok(why && strstr(why, "one of your own addresses") && strstr(why, "personal/Sent"),
		   "... and of the user's learned address, where it was learned");
		free(why);
		ok(!people_why_nobody(t.st, "bob@b.example"), "a person is somebody");
		if (people_resolve(t.st, "kay@corp.example", NOW, &id, &cand) == RESOLVE_OK &&
		    people_history(t.st, id, 0, &h) == STORE_OK)
			for (j = 0; j < h.n; j++)
				if (h.v[j].why && strstr(h.v[j].why, "same subject, within 30 days"))
					said = true;
		ok(said, "kith show says why Kay's RE: counts as an answer");
		history_list_free(&h);
		person_list_free(&cand);
	}

	ok(store_begin(t.st) == STORE_OK && people_not_me(t.st, "Ana.R@work.example", &learned) == STORE_OK &&
	   store_commit(t.st) == STORE_OK && learned, "the user says ana.r@work.example is not theirs");
	ok(people_sync_done(t.st) == STORE_OK, "the next sync");
	ok(status_read(t.st, NOW, &ks) == STORE_OK && ks.nme == 1, "status: only the configured address now");
	status_free(&ks);
	ok(people_rebuild(t.st) == STORE_OK && status_read(t.st, NOW, &ks) == STORE_OK && ks.nme == 1,
	   "and after a rebuild, never learned again");
	status_free(&ks);
	ok(store_begin(t.st) == STORE_OK && people_not_me(t.st, "bob@b.example", &learned) == STORE_OK &&
	   store_commit(t.st) == STORE_OK && !learned, "an address that was never learned: nothing to take back");
	testdb_close(&t);
}

static const char *
line_of(const char *sig, const char *prefix)
{
	const char *p = sig;
	size_t n = strlen(prefix);

	while (p && *p) {
		if (strncmp(p, prefix, n) == 0)
			return p;
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return NULL;
}

/* Does the signature have a line starting with prefix? */
static bool
has(const char *sig, const char *prefix)
{
	return line_of(sig, prefix) != NULL;
}

static void
show_diff(const char *a, const char *b)
{
	while (*a && *b && *a == *b)
		a++, b++;
	tap_diag("first difference: '%.60s' against '%.60s'", a, b);
}

int
main(void)
{
	size_t n = ARRAY_SIZE(box), order[ARRAY_SIZE(box)], i, k, seed = 1;
	char *first, *rebuilt, *sig;
	struct strbuf sb = { 0 };

	for (i = 0; i < 62; i++)
		sb_addf(&sb, "%sp%zu@corp.example", i ? ", " : "", i);
	snprintf(crowd, sizeof(crowd), "%s", sb.buf);
	sb_free(&sb);

	for (i = 0; i < n; i++)
		order[i] = i;
	first = run(order, n, &rebuilt);

	/* The rules, on the mailbox read in the order it was written. */
	ok(has(first, "b1@b.example|reply-human|reply-to-user"), "Bob's answer is a person's reply");
	ok(has(first, "k1@corp.example|reply-human|reply-subject"),
	   "Kay's RE: without In-Reply-To answers the user's message by its subject");
	ok(has(first, "l1@corp.example|bulk|"), "Lou's RE: 40 days later answers nothing");
	ok(has(first, "m1@ex.example|human|default"),
	   "Mo's opening message is no answer to the user's reply in its Thread-Index conversation");
	ok(has(first, "m3@ex.example|reply-human|reply-thread-index"),
	   "Mo's answer in the same Thread-Index conversation answers the user, whatever its subject");
	ok(has(first, "dev@lists.example.org\n"), "the list's address is learned from List-Id and List-Post");
	ok(!has(first, "dev@lists.example.org|"), "the list's address is no person's");
	ok(has(first, "p1@example.org|self|post-to-list"), "the user's mail to the list is a list post");
	ok(has(first, "mod1@lists.example.org|list|from-list-address"),
	   "mail from the list's address without list headers is the list's");
	ok(has(first, "carol@c.example|"), "Carol, in Cc beside the list, is written to");
	ok(has(first, "ana.r@work.example|personal/Sent|3"),
	   "the second address is learned from the copies in Sent, and says where");
	ok(!has(first, "dev@lists.example.org|personal"), "the list's rewritten copies teach nothing");
	ok(has(first, "w1@work.example from dev@lists.example.org|list|"),
	   "the list's copy with another From is a message of its own");
	ok(has(first, "q1@example.org|self|") && has(first, "q1@example.org from mallory@m.example|human|"),
	   "a correspondent's reuse of the user's Message-ID is another message");
	ok(has(first, "d1@corp.example|blast|too-many-recipients"), "a digest to 63 people is a blast");
	ok(!has(first, "eve@e.example|personal") && !has(first, "fay@f.example|personal"),
	   "a folder flagged Sent holding others' mail teaches no address of the user's");
	{
		const char *dee = line_of(first, "dee@corp.example|");

		ok(dee && strstr(dee, "|0|0|0|0.000000|0.000000|0|0|0|"),
		   "Dee's digests are no contact: no gate, no strength, no last contact");
		if (!dee || !strstr(dee, "|0|0|0|0.000000|0.000000|0|0|0|"))
			tap_diag("%s", dee ? dee : "(no Dee)");
	}
	ok(!has(first, "z1@z.example|z2@z.example"), "one subject 40 days apart: two threads");
	ok(has(first, "y1@z.example|y3@z.example"), "a message within 30 days of both joins them in one thread");
	ok(strcmp(first, rebuilt) == 0, "kith rebuild gives the same");
	if (strcmp(first, rebuilt) != 0)
		show_diff(first, rebuilt);
	free(rebuilt);

	/* Backwards, and as IDLE would bring it: one by one in shuffled orders. */
	for (i = 0; i < n; i++)
		order[i] = n - 1 - i;
	sig = run(order, 1, NULL);
	ok(strcmp(first, sig) == 0, "read backwards, one message at a time: the same");
	if (strcmp(first, sig) != 0)
		show_diff(first, sig);
	free(sig);
	for (k = 0; k < 12; k++) {
		for (i = 0; i < n; i++)
			order[i] = i;
		for (i = n; i > 1; i--) {
			size_t j, tmp;

			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			j = (size_t)((seed >> 33) % i);
			tmp = order[i - 1];
			order[i - 1] = order[j];
			order[j] = tmp;
		}
		sig = run(order, k % 3 + 1, NULL);
		ok(strcmp(first, sig) == 0, "shuffled order %zu, batches of %zu: the same", k, k % 3 + 1);
		if (strcmp(first, sig) != 0)
			show_diff(first, sig);
		free(sig);
	}
	free(first);
	test_status();
	return done_testing();
}
