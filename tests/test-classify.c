/* test-classify.c - real-world header shapes and the class, rule and author each must get. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kith/classify.h"
#include "kith/header.h"
#include "kith/model.h"
#include "kith/util.h"
#include "tap.h"

#define NOW	((int64_t)1772323200)	/* 2026-03-01T00:00:00Z */
#define IDATE	((int64_t)1772236800)

/*
 * The user of these tests: three addresses, one of them at Gmail.  The
 * fake knows only case folding and Gmail's dots and +tags; identity's own
 * normalisation has its own tests.
 */
static const char *const me[] = { "me.name@gmail.com", "ana@example.org", "ana.r@work.example" };

/* (message id, address) pairs of mail the user sent. */
static const char *const sent[][2] = {
	{ "sent-1@example.org", "dansmith@substack.com" },
	{ "sent-2@example.org", "info@bakery.example" },
	{ "sent-4@gmail.com", "jobs@startup.example" },
	{ "sent-7@example.org", "news@startup.example" },
	{ "sent-8@example.org", "lena@shop.example" },
	{ "sent-9@example.org", "reply+AB12@reply.github.com" },
	{ "sent-10@example.org", "alerts@monitoring.example" },
	{ "sent-11@example.org", "hikers@googlegroups.com" },
	{ "sent-12@example.org", "dev@lists.example.org" },
	{ "sent-13@example.org", "bob@ex.com" },
};

/* Gmail form of addr in buf: local part without dots and +tag, gmail.com. */
static void
gmail_form(const char *addr, char *buf, size_t size)
{
	const char *at = strrchr(addr, '@');
	size_t n = 0;
	const char *p;

	buf[0] = '\0';
	if (!at || (strcasecmp(at + 1, "gmail.com") != 0 && strcasecmp(at + 1, "googlemail.com") != 0))
		return;
	for (p = addr; p < at && *p != '+' && n + 12 < size; p++)
		if (*p != '.')
			buf[n++] = (char)tolower((unsigned char)*p);
	memcpy(buf + n, "@gmail.com", 11);
}

static bool
fake_is_me(void *arg, const char *addr)
{
	char a[128], b[128];
	size_t i;

	(void)arg;
	gmail_form(addr, a, sizeof(a));
	for (i = 0; i < ARRAY_SIZE(me); i++) {
		if (strcasecmp(addr, me[i]) == 0)
			return true;
		gmail_form(me[i], b, sizeof(b));
		if (a[0] && strcmp(a, b) == 0)
			return true;
	}
	return false;
}

static int user_sent_calls;

static bool
fake_user_sent_to(void *arg, const char *message_id, const char *addr)
{
	size_t i;

	(void)arg;
	user_sent_calls++;
	for (i = 0; i < ARRAY_SIZE(sent); i++)
		if (strcmp(message_id, sent[i][0]) == 0 && strcasecmp(addr, sent[i][1]) == 0)
			return true;
	return false;
}

/*
 * The user's messages without In-Reply-To: (Thread-Index key or base
 * subject, date, recipient).  An Exchange mailbox's "RE:" answers find
 * them by Thread-Index, or by subject within THREAD_SUBJECT_WINDOW.
 */
static const struct {
	const char *ti, *subject;
	int64_t date;
	const char *addr;
} wrote[] = {
	{ "ti:AcPQ0hJ1yGIAAAAAAAAAAAAAAAAA", NULL, 0, "kay@corp.com" },
	{ NULL, "gas contracts for q3", IDATE - 5 * DAY_SECS, "kay@corp.com" },
	{ NULL, "old topic", IDATE - 40 * DAY_SECS, "kay@corp.com" },
};

static bool
fake_user_wrote_thread(void *arg, const char *ti, const char *subject, int64_t date, const char *addr)
{
	size_t i;

	(void)arg;
	for (i = 0; i < ARRAY_SIZE(wrote); i++) {
		if (strcasecmp(addr, wrote[i].addr) != 0)
			continue;
		if (ti && wrote[i].ti && strcmp(ti, wrote[i].ti) == 0)
			return true;
		if (subject && wrote[i].subject && strcmp(subject, wrote[i].subject) == 0 &&
		    wrote[i].date <= date && wrote[i].date >= date - THREAD_SUBJECT_WINDOW)
			return true;
	}
	return false;
}

static const struct classify_env env = {
	.is_me = fake_is_me,
	.user_sent_to = fake_user_sent_to,
	.user_wrote_thread = fake_user_wrote_thread,
	.max_recipients = 10,
};

enum { R = 1, CAL = 2 };	/* expected is_reply, calendar_reply */

struct shape {
	const char *what;
	const char *raw;
	enum msg_class cls;
	const char *rule;
	const char *author;	/* address, or NULL for none */
	int flags;
	const char *dead;	/* the first failed address of a bounce */
};

static const struct shape shapes[] = {
	/* The mail shapes kith meets in real mailboxes, numbered as first catalogued */
	{ "1 Google Groups 'via' with X-Original-Sender",
	  "From: \"'Alice Ng' via Hikers\" <hikers@googlegroups.com>\n"
	  "To: hikers@googlegroups.com\nX-Original-Sender: alice@ex.com\n"
	  "List-ID: <hikers.googlegroups.com>\nPrecedence: list\n"
	  "Mailing-list: list hikers@googlegroups.com; contact hikers+owners@googlegroups.com\n"
	  "List-Post: <https://groups.google.com/group/hikers/post>, <mailto:hikers@googlegroups.com>\n"
	  "List-Unsubscribe: <mailto:hikers+unsubscribe@googlegroups.com>\n"
	  "Subject: Saturday hike\n",
	  CLASS_LIST, "list-id", "alice@ex.com", 0, NULL },
	{ "2 Mailman DMARC rewrite, poster in Reply-To",
	  "From: Anne Person via Ant <ant@example.com>\nReply-To: Anne Person <aperson@example.com>\n"
	  "To: ant@example.com\nList-Id: <ant.example.com>\nList-Post: <mailto:ant@example.com>\n"
	  "Subject: [Ant] release\n",
	  CLASS_LIST, "list-id", "aperson@example.com", 0, NULL },
	{ "3 direct answer to a list post, no List-* headers",
	  "From: alice@ex.com\nTo: ana@example.org\nIn-Reply-To: <listpost-1@ex.com>\n"
	  "References: <listpost-1@ex.com>\nSubject: Re: Saturday hike\n",
	  CLASS_HUMAN, "default", "alice@ex.com", R, NULL },
	{ "4 Outlook mail with X-Auto-Response-Suppress and X-Mailer",
	  "From: Bob <bob@corp.com>\nTo: Ana <ana@example.org>\nX-Auto-Response-Suppress: All\n"
	  "X-Mailer: Microsoft Outlook 16.0\nThread-Index: AQHZabcdEF==\nSubject: Budget\n",
	  CLASS_HUMAN, "default", "bob@corp.com", 0, NULL },
	{ "5 out-of-office with Auto-Submitted",
	  "From: Bob <bob@corp.com>\nTo: ana@example.org\nAuto-Submitted: auto-replied\n"
	  "Subject: Automatic reply: Budget\nIn-Reply-To: <sent-3@example.org>\n",
	  CLASS_AUTO, "auto-submitted", "bob@corp.com", R, NULL },
	{ "6 bounce: multipart/report from MAILER-DAEMON",
	  "From: Mail Delivery System <MAILER-DAEMON@mx.ex.com>\nTo: ana@example.org\nReturn-Path: <>\n"
	  "Content-Type: multipart/report; report-type=delivery-status;\n boundary=\"b1\"\n"
	  "X-Failed-Recipients: old@job.example\nSubject: Undelivered Mail Returned to Sender\n",
	  CLASS_BOUNCE, "multipart-report", "MAILER-DAEMON@mx.ex.com", 0, "old@job.example" },
	{ "7 GitHub notification naming a person",
	  "From: Alice <notifications@github.com>\nReply-To: o/r <reply+AB12@reply.github.com>\n"
	  "To: o/r <r@noreply.github.com>\nCc: Ana <ana@example.org>, Mention <mention@noreply.github.com>\n"
	  "List-ID: o/r <r.o.github.com>\nList-Unsubscribe: <mailto:unsub+AB12@reply.github.com>\n"
	  "X-GitHub-Sender: alice\nMessage-ID: <o/r/pull/7/c123@github.com>\n"
	  "In-Reply-To: <o/r/pull/7@github.com>\nSubject: Re: [o/r] Fix parser (PR #7)\n",
	  CLASS_NOTIFICATION, "x-github-sender", "notifications@github.com", R, NULL },
	{ "8 Google Docs comment",
	  "From: \"Bob Lee (Google Docs)\" <comments-noreply@docs.google.com>\nTo: ana@example.org\n"
	  "Subject: Plan - 1 new comment\n",
	  CLASS_NOTIFICATION, "google-docs", "comments-noreply@docs.google.com", 0, NULL },
	{ "9 calendar invitation from a person via Google Calendar",
	  "From: Carol <carol@ex.com>\nSender: Google Calendar <calendar-notification@google.com>\n"
	  "To: ana@example.org\nContent-Type: text/calendar; charset=UTF-8; method=REQUEST\n"
	  "Subject: Invitation: Sync @ Tue 3 Mar 2026 10am\n",
	  CLASS_HUMAN, "default", "carol@ex.com", 0, NULL },
	{ "10 Substack newsletter",
	  "From: \"Dan Smith\" <dansmith@substack.com>\nTo: ana@example.org\n"
	  "List-Unsubscribe: <https://dansmith.substack.com/action/disable_email?token=x>\n"
	  "List-Unsubscribe-Post: List-Unsubscribe=One-Click\nX-Mailgun-Sid: WyJh\n"
	  "Subject: The weekly note\n",
	  CLASS_BULK, "list-unsubscribe", "dansmith@substack.com", 0, NULL },
	{ "11 Substack author answering the user",
	  "From: \"Dan Smith\" <dansmith@substack.com>\nTo: ana@example.org\n"
	  "List-Unsubscribe: <https://dansmith.substack.com/action/disable_email?token=x>\n"
	  "In-Reply-To: <sent-1@example.org>\nSubject: Re: your question\n",
	  CLASS_REPLY_HUMAN, "reply-to-user", "dansmith@substack.com", R, NULL },
	{ "12 role address the user corresponded with",
	  "From: Ops <info@bakery.example>\nTo: ana@example.org\nIn-Reply-To: <sent-2@example.org>\n"
	  "Subject: Re: cake order\n",
	  CLASS_REPLY_HUMAN, "reply-to-user", "info@bakery.example", R, NULL },
	{ "13 To the user's googlemail alias with dots and a +tag",
	  "From: Lena <lena@shop.example>\nTo: Me.Name+shop@googlemail.com\nSubject: your order\n",
	  CLASS_HUMAN, "default", "lena@shop.example", 0, NULL },
	{ "14 To the user's address in another case",
	  "From: Bob <bob@corp.com>\nTo: ANA@Example.ORG\nSubject: hi\n",
	  CLASS_HUMAN, "default", "bob@corp.com", 0, NULL },
	{ "15 IDN sender domain in UTF-8",
	  "From: Bob <bob@b\xc3\xbc" "cher.example>\nTo: ana@example.org\nSubject: Buch\n",
	  CLASS_HUMAN, "default", "bob@b\xc3\xbc" "cher.example", 0, NULL },
	{ "17 'Smith, John' as a quoted name",
	  "From: \"Smith, John\" <john.smith@corp.com>\nTo: ana@example.org\nSubject: hello\n",
	  CLASS_HUMAN, "default", "john.smith@corp.com", 0, NULL },
	{ "18 undisclosed-recipients: the user was Bcc'd",
	  "From: Pat <pat@ex.com>\nTo: undisclosed-recipients:;\nSubject: moving house\n",
	  CLASS_BLAST, "user-not-addressed", "pat@ex.com", 0, NULL },
	{ "19 sent by an assistant for the boss",
	  "From: Boss <boss@corp>\nSender: Assistant <asst@corp>\nTo: ana@example.org\nSubject: call\n",
	  CLASS_HUMAN, "default", "boss@corp", 0, NULL },
	{ "20 Outlook reply: RE: subject and Thread-Index, no In-Reply-To",
	  "From: Bob <bob@corp.com>\nTo: ana@example.org\nSubject: RE: Lunch\n"
	  "Thread-Index: AQHZ1234AbCdEf==\n",
	  CLASS_HUMAN, "default", "bob@corp.com", R, NULL },
	{ "21 Date far in the future",
	  "From: Bob <bob@corp.com>\nTo: ana@example.org\nDate: Tue, 01 Jan 2036 10:00:00 +0000\n",
	  CLASS_HUMAN, "default", "bob@corp.com", 0, NULL },
	{ "22 calendar reply",
	  "From: Carol <carol@ex.com>\nTo: ana@example.org\nSubject: Accepted: Sync\n"
	  "Content-Type: text/calendar; method=REPLY; charset=UTF-8\n",
	  CLASS_HUMAN, "default", "carol@ex.com", CAL, NULL },
	{ "23 note to self",
	  "From: Ana <ana@example.org>\nTo: ana@example.org\nSubject: remember the milk\n",
	  CLASS_NOTE, "note-to-self", "ana@example.org", 0, NULL },
	{ "24 the user writes to many people",
	  "From: Ana <ana@example.org>\nTo: a@x.example, b@x.example, c@x.example, d@x.example\n"
	  "Cc: e@x.example, f@x.example\nSubject: party\n",
	  CLASS_SELF, "from-is-me", "ana@example.org", 0, NULL },
	{ "25 a line without colon before To",
	  "From: Bob <bob@corp.com>\nthis line is broken\nTo: ana@example.org\nSubject: hi\n",
	  CLASS_HUMAN, "default", "bob@corp.com", 0, NULL },
	{ "26 hostile name and escape bytes in the subject",
	  "From: \"\xc3\x89" "mile \\\"; DROP TABLE people; --\" <emile@quotes.test>\n"
	  "To: ana@example.org\nSubject: \x1b]0;pwned\x07 hello \x1b[2J\n",
	  CLASS_HUMAN, "default", "emile@quotes.test", 0, NULL },

	/* Lists */
	{ "Mailman without munging: From is the poster",
	  "From: Bob <bob@ex.com>\nTo: dev@lists.example.org\nReply-To: dev@lists.example.org\n"
	  "List-Id: Developers <dev.lists.example.org>\nList-Post: <mailto:dev@lists.example.org>\n"
	  "Precedence: list\nSubject: [dev] build broken\n",
	  CLASS_LIST, "list-id", "bob@ex.com", 0, NULL },
	{ "list rewriting From to the list, X-Original-From",
	  "From: Dev list <dev@lists.example.org>\nX-Original-From: Carl <carl@ex.com>\n"
	  "To: dev@lists.example.org\nList-Post: <mailto:dev@lists.example.org>\nSubject: patch\n",
	  CLASS_LIST, "list-post", "carl@ex.com", 0, NULL },
	{ "list rewriting From, Reply-To is the list: the list is all we know",
	  "From: Dev list <dev@lists.example.org>\nReply-To: dev@lists.example.org\n"
	  "List-Id: <dev.lists.example.org>\nTo: dev@lists.example.org\n",
	  CLASS_LIST, "list-id", "dev@lists.example.org", 0, NULL },
	{ "Google Groups answer to the user's post: still the list",
	  "From: \"'Bob' via Hikers\" <hikers@googlegroups.com>\nTo: hikers@googlegroups.com\n"
	  "X-Original-Sender: bob@ex.com\nList-ID: <hikers.googlegroups.com>\n"
	  "In-Reply-To: <sent-11@example.org>\nSubject: Re: Saturday hike\n",
	  CLASS_LIST, "list-id", "bob@ex.com", R, NULL },
	{ "Mailman answer to the user's post, Reply-To the list",
	  "From: Bob <bob@ex.com>\nReply-To: dev@lists.example.org\nTo: dev@lists.example.org\n"
	  "List-Id: <dev.lists.example.org>\nIn-Reply-To: <sent-12@example.org>\n",
	  CLASS_LIST, "list-id", "bob@ex.com", R, NULL },
	{ "list post by someone the user wrote to, answering the user",
	  "From: Bob <bob@ex.com>\nTo: dev@lists.example.org\nCc: ana@example.org\n"
	  "List-Id: <dev.lists.example.org>\nIn-Reply-To: <sent-13@example.org>\n",
	  CLASS_REPLY_HUMAN, "reply-to-user", "bob@ex.com", R, NULL },
	{ "Precedence: list alone",
	  "From: Kim <kim@ex.com>\nTo: club@ex.com\nPrecedence: list\n",
	  CLASS_LIST, "precedence-list", "kim@ex.com", 0, NULL },
	{ "Mailing-List alone (ezmlm)",
	  "From: Kim <kim@ex.com>\nTo: club@ex.com\nMailing-List: contact club-help@ex.com; run by ezmlm\n",
	  CLASS_LIST, "mailing-list", "kim@ex.com", 0, NULL },

	/* Bulk */
	{ "Mailchimp newsletter: List-ID but a mass mailer",
	  "From: Brand <news@brand.example>\nTo: ana@example.org\nList-ID: abc123 <abc123.xt.local>\n"
	  "X-MC-User: abc123\nX-Campaign: mailchimpabc123.def\nSubject: Spring sale\n",
	  CLASS_BULK, "mass-mailer", "news@brand.example", 0, NULL },
	{ "SES newsletter with Feedback-ID",
	  "From: Startup <news@startup.example>\nTo: ana@example.org\n"
	  "Feedback-ID: 1.us-east-1.abc=:AmazonSES\nX-SES-Outgoing: 2026.02.02-54.240.1.1\n"
	  "Subject: Product update\n",
	  CLASS_BULK, "feedback-id", "news@startup.example", 0, NULL },
	{ "SES newsletter the user answered, reply from the sender",
	  "From: Startup <news@startup.example>\nTo: ana@example.org\n"
	  "Feedback-ID: 1.us-east-1.abc=:AmazonSES\nReferences: <sent-7@example.org>\n"
	  "Subject: Re: Product update\n",
	  CLASS_REPLY_HUMAN, "reply-to-user", "news@startup.example", R, NULL },
	{ "Precedence: junk",
	  "From: Deals <deals@shop.example>\nTo: ana@example.org\nPrecedence: junk\n",
	  CLASS_BULK, "precedence-bulk", "deals@shop.example", 0, NULL },
	{ "Twitter/X digest: Precedence bulk and List-Unsubscribe",
	  "From: X <info@x.com>\nTo: ana@example.org\nPrecedence: bulk\n"
	  "List-Unsubscribe: <https://x.com/unsub>\nSubject: Popular in your network\n",
	  CLASS_BULK, "precedence-bulk", "info@x.com", 0, NULL },
	{ "SendGrid mail, only the mass-mailer header",
	  "From: Events <events@conf.example>\nTo: ana@example.org\nX-SG-EID: abc\n",
	  CLASS_BULK, "mass-mailer", "events@conf.example", 0, NULL },

	/* Notifications */
	{ "LinkedIn message notification",
	  "From: Maria Lopez via LinkedIn <messaging-digest-noreply@linkedin.com>\nTo: ana@example.org\n"
	  "List-Unsubscribe: <https://www.linkedin.com/e/unsub>\nFeedback-ID: abc:linkedin\n",
	  CLASS_NOTIFICATION, "via-linkedin", "messaging-digest-noreply@linkedin.com", 0, NULL },
	{ "Google Sheets share",
	  "From: \"Bob Lee (Google Sheets)\" <drive-shares-dm-noreply@google.com>\nTo: ana@example.org\n",
	  CLASS_NOTIFICATION, "google-docs", "drive-shares-dm-noreply@google.com", 0, NULL },
	{ "Slack notification",
	  "From: Slack <notification@slack.com>\nTo: ana@example.org\nSubject: New message from Bob\n",
	  CLASS_NOTIFICATION, "noreply-local-part", "notification@slack.com", 0, NULL },
	{ "Facebook notification",
	  "From: Facebook <notification@facebookmail.com>\nTo: ana@example.org\n"
	  "List-Unsubscribe: <https://www.facebook.com/o.php?k=x>\n",
	  CLASS_NOTIFICATION, "noreply-local-part", "notification@facebookmail.com", 0, NULL },
	{ "Twitter notify@ address",
	  "From: X <notify@x.com>\nTo: ana@example.org\nSubject: Bob replied to you\n",
	  CLASS_NOTIFICATION, "noreply-local-part", "notify@x.com", 0, NULL },
	{ "Zendesk no-reply",
	  "From: Acme Support <no-reply@acme.zendesk.com>\nTo: ana@example.org\n"
	  "Subject: [Acme] Re: Request #4821\n",
	  CLASS_NOTIFICATION, "noreply-local-part", "no-reply@acme.zendesk.com", R, NULL },
	{ "do-not-reply bank mail",
	  "From: Bank <Do.Not.Reply@bank.example>\nTo: ana@example.org\n",
	  CLASS_NOTIFICATION, "noreply-local-part", "Do.Not.Reply@bank.example", 0, NULL },
	{ "monitoring alerts",
	  "From: Monitor <alerts@monitoring.example>\nTo: ana@example.org\nSubject: disk full\n",
	  CLASS_NOTIFICATION, "noreply-local-part", "alerts@monitoring.example", 0, NULL },
	{ "monitoring alerts answering the user's question: a person",
	  "From: Monitor <alerts@monitoring.example>\nTo: ana@example.org\n"
	  "In-Reply-To: <sent-10@example.org>\n",
	  CLASS_REPLY_HUMAN, "reply-to-user", "alerts@monitoring.example", R, NULL },
	{ "GitHub after the user answered by mail: still a notification",
	  "From: Alice <notifications@github.com>\nReply-To: o/r <reply+AB12@reply.github.com>\n"
	  "To: o/r <r@noreply.github.com>\nIn-Reply-To: <sent-9@example.org>\nX-GitHub-Sender: alice\n",
	  CLASS_NOTIFICATION, "x-github-sender", "notifications@github.com", R, NULL },
	{ "a person whose name merely contains 'noreply' letters",
	  "From: Arno Replyer <arnoreplyer@ex.com>\nTo: ana@example.org\n",
	  CLASS_HUMAN, "default", "arnoreplyer@ex.com", 0, NULL },
	{ "a mass mailer's returns address",
	  "From: \"The Alumni\" <vireturn@uts.cc.univ.example>\nTo: ana@example.org\n",
	  CLASS_NOTIFICATION, "noreply-local-part", "vireturn@uts.cc.univ.example", 0, NULL },

	/* Sender addresses a mass mailer numbers for one mailing (2001 mail had no List-* headers) */
	{ "a shop's per-mailing sender, numbered twice",
	  "From: Specials <2.3374.1d-i5ncsd6_rgbu.1@cda01.shop.example>\nTo: ana@example.org\n"
	  "Subject: Ana, Just For YOU -- a 15% Discount\n",
	  CLASS_BULK, "generated-sender", "2.3374.1d-i5ncsd6_rgbu.1@cda01.shop.example", 0, NULL },
	{ "an airline's fares, mailing and recipient numbered",
	  "From: Net Escapes <net_escapes.um.a.35.88@post.mailer.example>\nTo: ana@example.org\n",
	  CLASS_BULK, "generated-sender", "net_escapes.um.a.35.88@post.mailer.example", 0, NULL },
	{ "one number in a person's address decides nothing",
	  "From: John <john.smith.1972@ex.com>\nTo: ana@example.org\n",
	  CLASS_HUMAN, "default", "john.smith.1972@ex.com", 0, NULL },
	{ "an archive's hash with digits is no mailing number",
	  "From: Suresh <sjayaraman-l3a5bk7wagm@public.gmane.example>\nTo: ana@example.org\n",
	  CLASS_HUMAN, "default", "sjayaraman-l3a5bk7wagm@public.gmane.example", 0, NULL },
	{ "an X-Mailer alone decides nothing",
	  "From: Bob <bob.2001@corp.com>\nTo: ana@example.org\nX-Mailer: Microsoft Outlook 8.5\n",
	  CLASS_HUMAN, "default", "bob.2001@corp.com", 0, NULL },

	/* Automatic mail */
	{ "Jira: Auto-Submitted and Precedence bulk",
	  "From: \"Alice Ng (Jira)\" <jira@acme.atlassian.net>\nTo: ana@example.org\n"
	  "Auto-Submitted: auto-generated\nPrecedence: bulk\nSubject: [JIRA] (OPS-12) disk\n",
	  CLASS_AUTO, "auto-submitted", "jira@acme.atlassian.net", 0, NULL },
	{ "Outlook out-of-office without Auto-Submitted",
	  "From: Bob <bob@corp.com>\nTo: ana@example.org\nX-Auto-Response-Suppress: All\n"
	  "Subject: Out of Office: Budget\n",
	  CLASS_AUTO, "auto-reply-subject", "bob@corp.com", 0, NULL },
	{ "X-Autoreply",
	  "From: Bob <bob@corp.com>\nTo: ana@example.org\nX-Autoreply: yes\nSubject: away\n",
	  CLASS_AUTO, "x-autoreply", "bob@corp.com", 0, NULL },
	{ "X-Autorespond",
	  "From: Bob <bob@corp.com>\nTo: ana@example.org\nX-Autorespond: yes\n",
	  CLASS_AUTO, "x-autorespond", "bob@corp.com", 0, NULL },
	{ "Precedence: auto_reply",
	  "From: Bob <bob@corp.com>\nTo: ana@example.org\nPrecedence: auto_reply\n",
	  CLASS_AUTO, "precedence-auto-reply", "bob@corp.com", 0, NULL },
	{ "Auto-Submitted: no is a person",
	  "From: Bob <bob@corp.com>\nTo: ana@example.org\nAuto-Submitted: No\n",
	  CLASS_HUMAN, "default", "bob@corp.com", 0, NULL },
	{ "the user's own vacation reply",
	  "From: Ana <ana@example.org>\nTo: bob@corp.com\nAuto-Submitted: auto-replied\n"
	  "Subject: Away until Monday\n",
	  CLASS_AUTO, "auto-submitted", "ana@example.org", 0, NULL },
	{ "read receipt",
	  "From: Bob <bob@corp.com>\nTo: ana@example.org\n"
	  "Content-Type: multipart/report; report-type=disposition-notification; boundary=x\n"
	  "Subject: Read: Budget\n",
	  CLASS_AUTO, "multipart-report", "bob@corp.com", 0, NULL },
	{ "postmaster bounce without a report",
	  "From: postmaster@mail.example\nTo: ana@example.org\nReturn-Path: <>\n"
	  "X-Failed-Recipients: gone@old.example\nSubject: failure notice\n",
	  CLASS_BOUNCE, "mailer-daemon", "postmaster@mail.example", 0, "gone@old.example" },

	/* Replies through Reply-To, the user's own mail, blasts */
	{ "answer from a form mailer with the person in Reply-To",
	  "From: Shop Mailer <mailer@shop.example>\nReply-To: Lena <lena@shop.example>\n"
	  "To: ana@example.org\nIn-Reply-To: <sent-8@example.org>\nList-Unsubscribe: <mailto:u@shop.example>\n",
	  CLASS_REPLY_HUMAN, "reply-to-user", "lena@shop.example", R, NULL },
	{ "role address answering through References only",
	  "From: Jobs <jobs@startup.example>\nTo: me.name@gmail.com\n"
	  "References: <older@startup.example> <sent-4@gmail.com>\nSubject: Re: application\n",
	  CLASS_REPLY_HUMAN, "reply-to-user", "jobs@startup.example", R, NULL },
	{ "the user Cc'ing themselves",
	  "From: me.name@gmail.com\nTo: bob@corp.com\nCc: Me.Name@gmail.com\n",
	  CLASS_SELF, "from-is-me", "me.name@gmail.com", 0, NULL },
	{ "the user's note via Bcc only",
	  "From: ana.r@work.example\nBcc: ana@example.org\nSubject: todo\n",
	  CLASS_NOTE, "note-to-self", "ana.r@work.example", 0, NULL },
	{ "Bcc blast to a team alias",
	  "From: CEO <ceo@corp.com>\nTo: all-staff@corp.com\nSubject: news\n",
	  CLASS_BLAST, "user-not-addressed", "ceo@corp.com", 0, NULL },
	{ "a person writing with the user in Cc",
	  "From: Bob <bob@corp.com>\nTo: carol@ex.com\nCc: ana@example.org\nSubject: Re: intro\n",
	  CLASS_HUMAN, "default", "bob@corp.com", R, NULL },
	{ "Outlook meeting request from a person",
	  "From: Bob <bob@corp.com>\nTo: ana@example.org\n"
	  "Content-Type: text/calendar; method=REQUEST\nSubject: Budget review\n",
	  CLASS_HUMAN, "default", "bob@corp.com", 0, NULL },
	{ "German reply prefix",
	  "From: Jürgen <jm@example.de>\nTo: ana@example.org\nSubject: AW: Angebot\n",
	  CLASS_HUMAN, "default", "jm@example.de", R, NULL },

	/* Malformed and encoded */
	{ "garbage From",
	  "From: broken <<no at all\nTo: ana@example.org\nSubject: ???\n",
	  CLASS_HUMAN, "default", NULL, 0, NULL },
	{ "no From, Sender stands in",
	  "Sender: Kim <kim@ex.com>\nTo: ana@example.org\n",
	  CLASS_HUMAN, "default", "kim@ex.com", 0, NULL },
	{ "nothing but a subject",
	  "Subject: hello\n",
	  CLASS_BLAST, "user-not-addressed", NULL, 0, NULL },
	{ "RFC 2047 name, ISO-8859-1",
	  "From: =?ISO-8859-1?Q?J=FCrgen_M=FCller?= <jm@example.de>\nTo: ana@example.org\n",
	  CLASS_HUMAN, "default", "jm@example.de", 0, NULL },
	{ "raw 8-bit Latin-1 name",
	  "From: J\xfcrgen <jm@example.de>\nTo: ana@example.org\n",
	  CLASS_HUMAN, "default", "jm@example.de", 0, NULL },
	{ "unparsable To, salvaged: the user is addressed",
	  "From: Bob <bob@corp.com>\nTo: bob@corp.com, , ana@example.org\n",
	  CLASS_HUMAN, "default", "bob@corp.com", 0, NULL },
};

static void
test_shapes(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(shapes); i++) {
		const struct shape *s = &shapes[i];
		struct kith_msg m;
		struct classification c;
		const char *author;
		bool flags_ok;

		header_parse(s->raw, strlen(s->raw), IDATE, NOW, &m);
		classify(&m, &env, &c);
		author = c.author ? c.author->addr : NULL;
		flags_ok = c.is_reply == !!(s->flags & R) && c.calendar_reply == !!(s->flags & CAL);
		ok(c.cls == s->cls && c.rule && strcmp(c.rule, s->rule) == 0 &&
		   (author && s->author ? strcmp(author, s->author) == 0 : author == s->author) &&
		   flags_ok && (!s->dead || (c.ndead && strcmp(c.dead[0]->addr, s->dead) == 0)),
		   "%s: %s/%s by %s", s->what, msg_class_name(s->cls), s->rule,
		   s->author ? s->author : "nobody");
		if (c.cls != s->cls || !c.rule || strcmp(c.rule, s->rule) != 0 ||
		    (author && s->author ? strcmp(author, s->author) != 0 : author != s->author) || !flags_ok)
			tap_diag("got %s/%s by %s, reply %d, calendar reply %d", msg_class_name(c.cls),
				 c.rule ? c.rule : "(none)", author ? author : "nobody", c.is_reply,
				 c.calendar_reply);
		classification_free(&c);
		msg_free(&m);
	}
	ok(ARRAY_SIZE(shapes) >= 45, "the table has %zu shapes", ARRAY_SIZE(shapes));
}

/* Mass mail to 600 people, with and without the user among them. */
static void
test_600(void)
{
	struct strbuf sb = { 0 };
	struct kith_msg m;
	struct classification c;
	size_t i;
	int with;

	for (with = 0; with < 2; with++) {
		sb_reset(&sb);
		sb_adds(&sb, "From: Boss <boss@corp.example>\nTo: ");
		for (i = 0; i < 600; i++)
			sb_addf(&sb, "%sp%zu@corp.example", i ? ",\n " : "",  i);
		if (with)
			sb_adds(&sb, ", Ana <ana@example.org>");
		sb_adds(&sb, "\nSubject: all hands\n");
		header_parse(sb.buf, sb.len, IDATE, NOW, &m);
		classify(&m, &env, &c);
		is_int(m.to.n, 600 + with, "600-recipient To parsed whole%s", with ? " (the user last)" : "");
		/* Either way a blast: unaddressed, or addressed among 600 (too-many-recipients). */
		is_str(c.rule, with ? "too-many-recipients" : "user-not-addressed",
		       "600 recipients %s the user: a blast", with ? "including" : "without");
		ok(c.user_in_to == !!with, "user_in_to %d", with);
		classification_free(&c);
		msg_free(&m);
	}
	sb_free(&sb);
}

static void
test_fields(void)
{
	static const char raw[] = "From: Bob <bob@corp.com>\nTo: carol@ex.com\nCc: ana@example.org\n";
	static const char raw2[] = "From: Bob <bob@corp.com>\nTo: ana@example.org\nCc: ana.r@work.example\n";
	struct kith_msg m;
	struct classification c;
	const struct classify_env no_sent = { .is_me = fake_is_me };
	int i;

	header_parse(raw, strlen(raw), IDATE, NOW, &m);
	classify(&m, &env, &c);
	ok(!c.user_in_to && c.user_in_cc, "the user only in Cc");
	is_str(c.author ? c.author->name : NULL, "Bob", "the author's name points into the message");
	classification_free(&c);
	msg_free(&m);

	header_parse(raw2, strlen(raw2), IDATE, NOW, &m);
	classify(&m, &env, &c);
	ok(c.user_in_to && !c.user_in_cc, "in To and Cc counts as To");
	classification_free(&c);
	msg_free(&m);

	/* Without a sent-mail lookup the reply rule simply never matches. */
	header_parse(shapes[11].raw, strlen(shapes[11].raw), IDATE, NOW, &m);
	classify(&m, &no_sent, &c);
	is_str(c.rule, "default", "no user_sent_to callback: no reply-human");
	classification_free(&c);
	msg_free(&m);

	/* A forward passes something on and awaits no answer; a fresh subject opens a conversation. */
	{
		static const struct {
			const char *subject;
			bool opens;
		} opening[] = {
			{ "Lunch on Friday?", true },
			{ "Fwd: Lunch on Friday?", false },
			{ "[team] FW: Lunch on Friday?", false },
			{ "WG: Lunch on Friday?", false },
			{ "Re: Lunch on Friday?", false },
			{ "Fwdx and other news", true },
		};
		size_t k;
		char buf[256];

		for (k = 0; k < ARRAY_SIZE(opening); k++) {
			snprintf(buf, sizeof(buf), "From: Bob <bob@corp.com>\nTo: ana@example.org\nSubject: %s\n",
				 opening[k].subject);
			header_parse(buf, strlen(buf), IDATE, NOW, &m);
			classify(&m, &env, &c);
			ok(c.opens == opening[k].opens, "'%s' %s", opening[k].subject,
			   opening[k].opens ? "opens a conversation" : "opens none");
			classification_free(&c);
			msg_free(&m);
		}
	}

	for (i = CLASS_SELF; i <= CLASS_HUMAN; i++)
		ok(strcmp(msg_class_name((enum msg_class)i), "unknown") != 0, "class %d has a name: %s", i,
		   msg_class_name((enum msg_class)i));
	is_str(msg_class_name((enum msg_class)99), "unknown", "out-of-range class");
	ok(user_sent_calls > 0, "the sent-mail lookup was consulted");
}

/* Given a header block, classify it with the test user's env. */
static void
check(const char *raw, enum msg_class cls, const char *rule, const char *what)
{
	struct kith_msg m;
	struct classification c;

	header_parse(raw, strlen(raw), IDATE, NOW, &m);
	classify(&m, &env, &c);
	ok(c.cls == cls && c.rule && strcmp(c.rule, rule) == 0, "%s: %s (%s)", what, msg_class_name(cls), rule);
	if (c.cls != cls || !c.rule || strcmp(c.rule, rule) != 0)
		tap_diag("got %s (%s)", msg_class_name(c.cls), c.rule ? c.rule : "-");
	classification_free(&c);
	msg_free(&m);
}

static void
test_threads(void)
{
	static const struct {
		const char *subject, *base;
	} bases[] = {
		{ "Re: Lunch", "lunch" },
		{ "RE: RE: Fwd: Lunch", "lunch" },
		{ "Re[2]: Lunch", "lunch" },
		{ "Re(3): Lunch", "lunch" },
		{ "AW: WG: Angebot", "angebot" },
		{ "SV: Middag", "middag" },
		{ "TR: R\xc3\xa9" "f. : Contrat", "contrat" },
		{ "R\xc3\xa9" "f : Contrat", "contrat" },
		{ "[ant] Re: [ant] release", "release" },
		{ "FW: ", NULL },
		{ "Reunion", "reunion" },
		{ "Retreat: planning", "retreat: planning" },
	};
	size_t i;
	char *b;

	for (i = 0; i < ARRAY_SIZE(bases); i++) {
		b = classify_base_subject(bases[i].subject);
		is_str(b, bases[i].base, "base subject of '%s'", bases[i].subject);
		free(b);
	}
	ok(classify_reply_subject("RE: thanks"), "'RE: thanks' is a reply");
	ok(!classify_reply_subject("Fwd: thanks"), "'Fwd: thanks' is no reply");
	b = classify_thread_index_key("AcPQ0hJ1yGIAAAAAAAAAAAAAAAAAAA==");
	is_str(b, "ti:AcPQ0hJ1yGIAAAAAAAAAAAAAAAAA", "Thread-Index key: the conversation's bytes");
	free(b);
	ok(!classify_thread_index_key("AQHZ=="), "a short Thread-Index names nothing");
	ok(!classify_thread_index_continues("AcPQ0hJ1yGIAAAAAAAAAAAAAAAAAAA=="), "a root Thread-Index opens");
	ok(classify_thread_index_continues("AcPQ0hJ1yGIAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
	   "22 + 5 bytes continue a conversation");

	check("From: kay@corp.com\nTo: ana@example.org\nPrecedence: bulk\n"
	      "Thread-Index: AcPQ0hJ1yGIAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nSubject: RE: whatever\n",
	      CLASS_REPLY_HUMAN, "reply-thread-index", "an Exchange answer found by its Thread-Index");
	check("From: kay@corp.com\nTo: ana@example.org\nPrecedence: bulk\nSubject: RE: Gas contracts for Q3\n",
	      CLASS_REPLY_HUMAN, "reply-subject", "an answer without In-Reply-To found by its subject");
	check("From: kay@corp.com\nTo: ana@example.org\nPrecedence: bulk\nSubject: RE: Old topic\n",
	      CLASS_BULK, "precedence-bulk", "the same subject more than 30 days later answers nothing");
	check("From: lou@corp.com\nTo: ana@example.org\nPrecedence: bulk\nSubject: RE: Gas contracts for Q3\n",
	      CLASS_BULK, "precedence-bulk", "the subject of a message to someone else answers nothing");
	check("From: kay@corp.com\nTo: ana@example.org\nPrecedence: bulk\nIn-Reply-To: <other@corp.com>\n"
	      "Subject: RE: Gas contracts for Q3\n",
	      CLASS_BULK, "precedence-bulk", "In-Reply-To decides when present: no subject fallback");
}

static void
test_blasts(void)
{
	struct strbuf sb = { 0 };
	int i;

	sb_adds(&sb, "From: Dee <dee@corp.com>\nTo: ana@example.org");
	for (i = 0; i < 62; i++)
		sb_addf(&sb, ", p%d@corp.com", i);
	sb_adds(&sb, "\nSubject: Weekly news digest\n");
	check(sb.buf, CLASS_BLAST, "too-many-recipients", "a colleague's digest to 63 people is a blast");
	sb_reset(&sb);
	sb_adds(&sb, "From: Dee <dee@corp.com>\nTo: ana@example.org");
	for (i = 0; i < 9; i++)
		sb_addf(&sb, ", p%d@corp.com", i);
	sb_adds(&sb, "\nSubject: Team lunch\n");
	check(sb.buf, CLASS_HUMAN, "default", "ten recipients are still a conversation");
	sb_free(&sb);
}

int
main(void)
{
	test_threads();
	test_blasts();
	test_shapes();
	test_600();
	test_fields();
	return done_testing();
}
