/* test-header.c - header_parse on real-world, broken and hostile header blocks. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kith/header.h"
#include "kith/util.h"
#include "tap.h"

#define NOW	((int64_t)1772323200)	/* 2026-03-01T00:00:00Z */
#define IDATE	((int64_t)1772236800)	/* 2026-02-28T00:00:00Z, the INTERNALDATE */

static int
parse(const char *raw, struct kith_msg *m)
{
	return header_parse(raw, strlen(raw), IDATE, NOW, m);
}

static const char *
addr_at(const struct msg_addrs *a, size_t i)
{
	return i < a->n ? a->v[i].addr : NULL;
}

static const char *
name_at(const struct msg_addrs *a, size_t i)
{
	return i < a->n ? a->v[i].name : NULL;
}

static void
test_basic(void)
{
	struct kith_msg m;

	ok(parse("From: Ana Ruiz <ana@example.org>\r\n"
		 "To: Bob <bob@example.com>, carol@example.net\r\n"
		 "Cc: \"Smith, John\" <john@corp.example>\r\n"
		 "Subject: Lunch on Friday?\r\n"
		 "Date: Mon, 02 Feb 2026 10:00:00 +0000\r\n"
		 "Message-ID: <abc.123@mail.example.org>\r\n"
		 "\r\n", &m) == 0, "a plain header parses");
	is_str(addr_at(&m.from, 0), "ana@example.org", "From address");
	is_str(name_at(&m.from, 0), "Ana Ruiz", "From name");
	is_int(m.to.n, 2, "two To addresses");
	is_str(addr_at(&m.to, 1), "carol@example.net", "second To address");
	ok(name_at(&m.to, 1) == NULL, "a bare address has no name");
	is_str(name_at(&m.cc, 0), "Smith, John", "quoted name with a comma");
	is_str(m.subject, "Lunch on Friday?", "subject");
	is_int(m.date, 1770026400, "date");
	ok(!m.date_from_internal, "Date is used");
	is_str(m.message_id, "abc.123@mail.example.org", "Message-ID without <>");
	ok(m.return_path == NULL && m.list_id == NULL && m.content_type == NULL,
	   "absent fields stay NULL");
	msg_free(&m);

	ok(parse("", &m) == -1, "an empty block holds no header");
	is_int(m.date, IDATE, "... and its date is INTERNALDATE");
	msg_free(&m);
	ok(parse("this is not a header\r\nnor this\r\n", &m) == -1, "text without fields is no header");
	msg_free(&m);
	ok(header_parse(NULL, 0, IDATE, NOW, &m) == -1, "NULL block");
	msg_free(&m);
}

static void
test_encoded_names(void)
{
	struct kith_msg m;

	parse("From: =?UTF-8?B?w4ltaWxl?= =?UTF-8?B?IFpvbGE=?= <emile@example.fr>\n"
	      "To: =?ISO-8859-1?Q?Andr=E9?= Pirard <pirard@vm1.ulg.ac.be>,\n"
	      " =?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <jm@example.de>\n"
	      "Cc: M\xc3\xbcller <raw8@example.de>, Gr\xfc\xdf <latin1@example.de>\n"
	      "Subject: =?iso-8859-1?q?Caf=E9?= =?utf-8?b?4piV?= and more\n", &m);
	is_str(name_at(&m.from, 0), "\xc3\x89" "mile Zola", "RFC 2047 B, UTF-8, adjacent words joined");
	is_str(name_at(&m.to, 0), "Andr\xc3\xa9 Pirard", "RFC 2047 Q, ISO-8859-1");
	is_str(name_at(&m.to, 1), "J\xc3\xbcrgen M\xc3\xbcller", "RFC 2047 Q with underscores, folded list");
	is_str(name_at(&m.cc, 0), "M\xc3\xbcller", "raw 8-bit UTF-8 name kept");
	is_str(name_at(&m.cc, 1), "Gr\xef\xbf\xbd\xef\xbf\xbd", "invalid UTF-8 bytes become U+FFFD");
	is_str(m.subject, "Caf\xc3\xa9\xe2\x98\x95 and more", "encoded subject, mixed charsets");
	msg_free(&m);

	parse("From: \"=?utf-8?q?bad=FF=FEbytes?=\" <x@example.com>\n"
	      "Subject: =?utf-8?q?=1B]0;owned=07title?= \x1b[31mred\x1b[0m \x7f\xc2\x9b done\n", &m);
	ok(name_at(&m.from, 0) && !strchr(name_at(&m.from, 0), '\xff'), "decoded invalid bytes removed");
	is_str(m.subject, "]0;ownedtitle [31mred[0m done", "ESC, BEL, DEL and C1 CSI removed from subject");
	msg_free(&m);

	parse("From: \"\xc3\x89" "mile \\\"; DROP TABLE people; --\" <emile@quotes.test>\n", &m);
	is_str(name_at(&m.from, 0), "\xc3\x89" "mile \"; DROP TABLE people; --", "quotes in a name survive verbatim");
	msg_free(&m);

	parse("From: \"\xe2\x80\xae" "evil\xe2\x80\xac\" <bidi@example.com>\n", &m);
	is_str(name_at(&m.from, 0), "evil", "bidi overrides removed from names");
	msg_free(&m);
}

static void
test_groups_and_garbage(void)
{
	struct kith_msg m;

	parse("To: undisclosed-recipients:;\nCc: team: a@example.com, b@example.com;, c@example.com\n", &m);
	is_int(m.to.n, 0, "undisclosed-recipients:; is no one");
	is_int(m.cc.n, 3, "group members expanded");
	is_str(addr_at(&m.cc, 1), "b@example.com", "group member");
	msg_free(&m);

	parse("From: broken <<no at all\nTo: a@example.com, , c@example.com\n"
	      "Cc: \"Unclosed <u@example.com>, ok@example.com\nBcc: <x@y.com\n", &m);
	is_int(m.from.n, 0, "garbage From gives no address");
	is_int(m.to.n, 2, "a list with an empty element is salvaged");
	is_str(addr_at(&m.to, 1), "c@example.com", "... both addresses kept");
	/* libetpan swallows the rest of the line into the quoted name: one address survives */
	is_str(addr_at(&m.cc, 0), "u@example.com", "unclosed quote: the address in it salvaged");
	is_str(addr_at(&m.bcc, 0), "x@y.com", "unclosed bracket salvaged");
	msg_free(&m);

	parse("From: a@b\nTo: user@.example, @example.com, user@, a@b..c, a@-\n", &m);
	is_str(addr_at(&m.from, 0), "a@b", "a dotless domain is accepted (intranet)");
	is_int(m.to.n, 0, "addresses without a sane domain or local part refused");
	msg_free(&m);
}

static void
test_lines(void)
{
	struct kith_msg m;

	ok(parse("Subject: hello\r\nthis line has no colon\r\nTo: Ana <ana@example.org>\r\n"
		 "From: bob@example.com\r\n", &m) == 0, "a line without a colon");
	is_str(addr_at(&m.to, 0), "ana@example.org", "... the To below it still read");
	is_str(addr_at(&m.from, 0), "bob@example.com", "... and the From after that");
	msg_free(&m);

	parse("Subject: a long\r\n subject folded\r\n\tover three lines\r\nList-Id: Hikers\r\n"
	      " <hikers.googlegroups.com>\r\nTo: a@example.com,\r\n b@example.com\r\n", &m);
	is_str(m.subject, "a long subject folded over three lines", "folded subject unfolded");
	is_str(m.list_id, "Hikers <hikers.googlegroups.com>", "folded List-Id unfolded");
	is_int(m.to.n, 2, "folded To");
	msg_free(&m);

	parse("From: a@example.com\n\nTo: body@example.com\n", &m);
	is_int(m.to.n, 0, "an empty line ends the header");
	msg_free(&m);

	parse("From: a@example.com\n", &m);
	ok(m.subject == NULL && m.message_id == NULL && m.to.n == 0 && m.in_reply_to == NULL,
	   "missing headers are empty");
	ok(m.date_from_internal && m.date == IDATE, "missing Date is INTERNALDATE");
	msg_free(&m);
}

static void
test_dates(void)
{
	static const struct {
		const char *date;
		int64_t want;
		bool internal;
	} cases[] = {
		{ "Mon, 02 Feb 2026 10:00:00 +0530", 1770006600, false },
		{ "Mon, 02 Feb 2026 10:00:00 -0800 (PST)", 1770055200, false },
		{ "Mon, 02 Feb 2026 10:00:00 EST", 1770044400, false },
		{ "Mon, 2 Feb 2026 10:00 GMT", 1770026400, false },
		{ "2 Feb 2026 10:00:00 UT", 1770026400, false },
		{ "Mon, 02 Feb 2026 10:00:00 UTC", 1770026400, false },
		{ "Mon, 02 Feb 2026 10:00:00 PDT", 1770051600, false },
		{ "1 Jan 99 10:00 GMT", 915184800, false },
		{ "Tue, 01 Jan 2036 10:00:00 +0000", IDATE, true },	/* future */
		{ "Mon, 01 Jan 1979 10:00:00 +0000", IDATE, true },	/* before 1990 */
		{ "Mon, 31 Feb 2026 10:00:00 +0000", IDATE, true },	/* no such day */
		{ "Mon, 02 Feb 2026 10:00:00 +9960", IDATE, true },	/* no such zone */
		/* A zone of many digits, which libetpan wraps to INT_MIN: no overflow here. */
		{ "Mon, 02 Feb 2026 10:00:00 +010000000000000000000000000000000", IDATE, true },
		{ "yesterday at noon", IDATE, true },
		{ "", IDATE, true },
		{ "Sun, 01 Mar 2026 12:00:00 +0000", 1772366400, false },	/* today, hours ahead */
	};
	struct kith_msg m;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *raw = xasprintf("From: a@example.com\nDate: %s\n", cases[i].date);

		parse(raw, &m);
		ok(m.date == cases[i].want && m.date_from_internal == cases[i].internal,
		   "Date '%s' gives %lld%s", cases[i].date, (long long)cases[i].want,
		   cases[i].internal ? " (INTERNALDATE)" : "");
		if (m.date != cases[i].want)
			tap_diag("got %lld", (long long)m.date);
		msg_free(&m);
		free(raw);
	}
}

static void
test_ids_and_types(void)
{
	struct kith_msg m;
	struct strbuf sb = { 0 };
	size_t i;

	parse("Message-ID: <root@example.com>\n"
	      "In-Reply-To: <parent@example.com> (Ana's message)\n"
	      "References: <root@example.com>\n <mid@example.com>   <parent@example.com>\n"
	      "Return-Path: <>\n"
	      "Content-Type: multipart/REPORT; report-type=\"Delivery-Status\";\n boundary=\"x\"\n"
	      "X-Failed-Recipients: old@job.example, gone@job.example\n"
	      "Thread-Index: AQHZabc=\n", &m);
	is_str(m.message_id, "root@example.com", "Message-ID");
	is_str(m.in_reply_to, "parent@example.com", "In-Reply-To without comment");
	is_int(m.nreferences, 3, "three References");
	is_str(m.nreferences == 3 ? m.references[0] : NULL, "root@example.com", "References oldest first");
	is_str(m.nreferences == 3 ? m.references[2] : NULL, "parent@example.com", "... newest last");
	is_str(m.return_path, "", "Return-Path <> is the empty string");
	is_str(m.content_type, "multipart/report", "Content-Type lower-cased");
	is_str(m.report_type, "delivery-status", "report-type parameter");
	is_int(m.failed.n, 2, "X-Failed-Recipients");
	is_str(m.thread_index, "AQHZabc=", "Thread-Index raw");
	msg_free(&m);

	parse("Message-ID: no-brackets@example.com\nIn-Reply-To: broken <a@b.example> junk\n"
	      "Content-Type: text/calendar; charset=utf-8; method=REPLY\n"
	      "Return-Path: <bounce-123@mail.example.com>\n"
	      "X-SG-EID: abc\nX-Mailgun-Sid: def\n", &m);
	is_str(m.message_id, "no-brackets@example.com", "Message-ID without brackets");
	is_str(m.in_reply_to, "a@b.example", "In-Reply-To salvaged from junk");
	is_str(m.content_type, "text/calendar", "text/calendar");
	is_str(m.calendar_method, "reply", "method parameter");
	is_str(m.return_path, "bounce-123@mail.example.com", "Return-Path address");
	is_str(m.mass_mailer, "X-SG-EID", "the first mass-mailer header is named");
	msg_free(&m);

	parse("Return-Path: <bounce@host.example\nContent-Type: TEXT/Plain\n", &m);
	is_str(m.return_path, "bounce@host.example", "unclosed Return-Path salvaged");
	is_str(m.content_type, "text/plain", "Content-Type without parameters");
	ok(m.report_type == NULL && m.calendar_method == NULL, "... and no parameters");
	msg_free(&m);
	parse("return-path: <a@b.example> (via relay)\nReturn-Path: <>\n", &m);
	is_str(m.return_path, "a@b.example", "Return-Path with a comment, the first one wins");
	msg_free(&m);
	parse("Return-Path: <>\n", &m);
	is_str(m.return_path, "", "Return-Path <> alone");
	msg_free(&m);

	/* More References than kept: the newest survive. */
	sb_adds(&sb, "References:");
	for (i = 0; i < HEADER_MAX_REFS + 50; i++)
		sb_addf(&sb, " <ref%zu@example.com>\n", i);
	parse(sb.buf, &m);
	is_int(m.nreferences, HEADER_MAX_REFS, "References bounded");
	is_str(m.nreferences ? m.references[m.nreferences - 1] : NULL, "ref149@example.com",
	       "the newest reference kept");
	msg_free(&m);
	sb_free(&sb);
}

static void
test_many(void)
{
	struct kith_msg m;
	struct strbuf sb = { 0 };
	size_t i;
	char *id1, *id2;

	sb_adds(&sb, "From: Boss <boss@corp.example>\r\nTo: ");
	for (i = 0; i < 600; i++)
		sb_addf(&sb, "%s\"Person %zu\" <p%zu@example.com>", i ? ",\r\n " : "", i, i);
	sb_adds(&sb, "\r\nSubject: all hands\r\n");
	ok(parse(sb.buf, &m) == 0, "a 600-recipient To line");
	is_int(m.to.n, 600, "all 600 kept");
	ok(!m.to.truncated, "not truncated");
	is_str(name_at(&m.to, 599), "Person 599", "the last one's name");
	is_str(m.subject, "all hands", "fields after it read");
	msg_free(&m);
	sb_reset(&sb);

	sb_adds(&sb, "To: ");
	for (i = 0; i < HEADER_MAX_ADDRS + 200; i++)
		sb_addf(&sb, "%sq%zu@example.com", i ? ", " : "", i);
	sb_adds(&sb, "\n");
	parse(sb.buf, &m);
	is_int(m.to.n, HEADER_MAX_ADDRS, "addresses bounded at HEADER_MAX_ADDRS");
	ok(m.to.truncated, "... and marked truncated");
	msg_free(&m);
	sb_reset(&sb);

	/* 300 KB: a huge subject, a flood of junk lines, then a huge list. */
	sb_adds(&sb, "From: a@example.com\nSubject: ");
	for (i = 0; i < 100000; i++)
		sb_addc(&sb, 'x');
	sb_adds(&sb, "\n");
	for (i = 0; i < 10000; i++)
		sb_adds(&sb, "junk line\n");
	sb_adds(&sb, "Cc: ");
	while (sb.len < 300 * 1024)
		sb_adds(&sb, "\"Someone\" <someone@example.com>, ");
	sb_adds(&sb, "\n");
	ok(header_parse(sb.buf, sb.len, IDATE, NOW, &m) == 0, "a 300 KB header block parses");
	is_str(addr_at(&m.from, 0), "a@example.com", "... From read");
	ok(m.subject && strlen(m.subject) <= HEADER_MAX_FIELD, "... subject bounded (%zu bytes)",
	   m.subject ? strlen(m.subject) : 0);
	ok(m.cc.n <= HEADER_MAX_ADDRS, "... Cc bounded (%zu)", m.cc.n);
	msg_free(&m);

	id1 = header_synthetic_id(sb.buf, 1000);
	id2 = header_synthetic_id(sb.buf, 999);
	ok(str_has_prefix(id1, "sha256-") && strlen(id1) == 7 + 64 + 5 &&
	   strcmp(id1 + 71, "@kith") == 0, "synthetic id shape: %s", id1);
	ok(strcmp(id1, id2) != 0, "synthetic ids differ for different blocks");
	free(id2);
	id2 = header_synthetic_id("abc", 3);
	is_str(id2, "sha256-ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad@kith",
	       "synthetic id is the SHA-256 of the block");
	free(id1);
	free(id2);
	sb_free(&sb);
}

static void
test_fields_table(void)
{
	size_t i, j;
	bool dup = false, has[4] = { false };
	static const char *const need[] = { "From", "List-Unsubscribe-Post", "X-SES-Outgoing", "X-GitHub-Sender" };

	for (i = 0; i < header_fetch_nfields; i++) {
		for (j = 0; j < i; j++)
			dup |= strcasecmp(header_fetch_fields[i], header_fetch_fields[j]) == 0;
		for (j = 0; j < ARRAY_SIZE(need); j++)
			has[j] |= strcmp(header_fetch_fields[i], need[j]) == 0;
		if (strpbrk(header_fetch_fields[i], " :*()"))
			dup = true;
	}
	ok(!dup, "fetched field names are unique, exact names");
	ok(has[0] && has[1] && has[2] && has[3], "fetched fields include the ones classify reads");
}

int
main(void)
{
	test_basic();
	test_encoded_names();
	test_groups_and_garbage();
	test_lines();
	test_dates();
	test_ids_and_types();
	test_many();
	test_fields_table();
	return done_testing();
}
