/* test-format.c - the CLI's text helpers and printer: safe strings, dates, tables, JSON. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "kith/util.h"
#include "printer.h"
#include "tap.h"

/* Run `fn` with a printer writing to a memory buffer; returns the text (free it). */
static char *
capture(enum printer_format fmt, void (*fn)(struct printer *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct printer *pr = printer_new(fmt, f);

	fn(pr);
	printer_finish(pr);
	printer_free(pr);
	fclose(f);
	return buf;
}

static void
hostile_doc(struct printer *pr)
{
	pr_map_begin(pr);
	pr_key(pr, "name");
	pr_str(pr, "Eve \"x\" \033[31mred\033[0m \xc2\x9b" "2J bad\xff\xfe utf8 \xc3\xa9");
	pr_key(pr, "when");
	pr_time(pr, 0);
	pr_key(pr, "at");
	pr_time(pr, 1767225600);
	pr_key(pr, "list");
	pr_list_begin(pr);
	pr_int(pr, 1);
	pr_dbl(pr, 0.33333);
	pr_bool(pr, true);
	pr_null(pr);
	pr_list_end(pr);
	pr_map_end(pr);
}

int
main(void)
{
	char buf[64], *s;
	struct table *t;
	FILE *f;
	size_t len;

	/* utf8_make_valid: invalid bytes become U+FFFD, valid text is untouched. */
	s = utf8_make_valid("a\xff" "b\xc3\xa9", 5);
	is_str(s, "a\xef\xbf\xbd" "b\xc3\xa9", "invalid byte replaced, valid kept");
	free(s);
	s = utf8_make_valid("\xe2\x82", 2);
	is_str(s, "\xef\xbf\xbd\xef\xbf\xbd", "truncated sequence replaced byte by byte");
	free(s);

	/* text_clean: no escape sequence survives, C1 controls included. */
	s = text_clean("a\033[31mb\tc\r\nd\x7f\xc2\x9b" "e");
	is_str(s, "a[31mb c de", "ESC, DEL and C1 CSI removed, blanks folded");
	ok(strchr(s, '\033') == NULL, "no ESC left");
	free(s);
	s = text_clean(NULL);
	is_str(s, "", "NULL cleans to empty");
	free(s);

	/* Widths and fitting. */
	is_int(text_width("abc"), 3, "ASCII width");
	is_int(text_width("\xe5\xb1\xb1\xe7\x94\xb0"), 4, "CJK counts double");
	is_int(text_width("\xc3\x89mile"), 5, "accented letter counts one");
	s = text_fit("Bartholomew", 6);
	is_str(s, "Barth…", "cut with an ellipsis");
	free(s);
	s = text_fit("\xe5\xb1\xb1\xe7\x94\xb0\xe5\xa4\xaa", 5);
	is_str(s, "\xe5\xb1\xb1\xe7\x94\xb0…", "wide characters never split");
	free(s);
	s = text_fit("short", 10);
	is_str(s, "short", "what fits is unchanged");
	free(s);
	/* A word wider than the line after a break: taken whole, and the wrap ends. */
	s = text_wrap("surname of robert.moss@harborlabs.example", 16, 0);
	is_str(s, "surname of\nrobert.moss@harborlabs.example", "a word wider than a line after a break");
	free(s);

	/* Relative dates. */
	is_str(format_relative(0, 1000, buf, sizeof(buf)), "never", "0 is never");
	is_str(format_relative(1000, 1030, buf, sizeof(buf)), "just now", "seconds ago");
	is_str(format_relative(0 + 100, 100 + 5 * 60, buf, sizeof(buf)), "5 minutes ago", "minutes");
	is_str(format_relative(100, 100 + DAY_SECS + 5, buf, sizeof(buf)), "yesterday", "yesterday");
	is_str(format_relative(100, 100 + 3 * DAY_SECS, buf, sizeof(buf)), "3 days ago", "days");
	is_str(format_relative(100, 100 + 21 * DAY_SECS, buf, sizeof(buf)), "3 weeks ago", "weeks");
	is_str(format_relative(100, 100 + 120 * DAY_SECS, buf, sizeof(buf)), "4 months ago", "months");
	is_str(format_relative(100, 100 + 400 * DAY_SECS, buf, sizeof(buf)), "13 months ago", "13 months");
	is_str(format_relative(100, 100 + 800 * DAY_SECS, buf, sizeof(buf)), "2 years ago", "years");
	is_str(format_relative(100 + 2 * DAY_SECS, 100, buf, sizeof(buf)), "in 2 days", "future");
	is_str(format_span(14 * DAY_SECS, buf, sizeof(buf)), "2 weeks", "span in weeks");
	is_str(format_span(90 * DAY_SECS, buf, sizeof(buf)), "3 months", "span in months");
	is_str(format_span(365 * DAY_SECS, buf, sizeof(buf)), "1 year", "span in years");
	is_str(format_span(10 * DAY_SECS, buf, sizeof(buf)), "10 days", "span in days");

	/* Tables: aligned, cut to the width, no trailing blanks, no escapes. */
	{
		static const char *const head[] = { "NAME", "WHY" };
		const char *r1[] = { "Ana", "usually every 3 weeks" };
		const char *r2[] = { "Bartholomew \033[2J", NULL };

		t = table_new(2, head);
		table_flex(t, 1, 5);
		table_add(t, r1);
		table_add(t, r2);
		f = open_memstream(&s, &len);
		table_print(t, f, 0, false);
		fclose(f);
		is_str(s, "NAME             WHY\nAna              usually every 3 weeks\nBartholomew [2J\n",
		       "aligned, escape removed, no trailing blanks");
		free(s);
		f = open_memstream(&s, &len);
		table_print(t, f, 26, true);
		fclose(f);
		ok(strstr(s, "usually …\n") != NULL, "the flexible column is cut to the width");
		ok(strstr(s, "\033[1mNAME") != NULL, "header in bold with colour on");
		free(s);
		table_free(t);
	}

	/* The JSON back end: valid, ASCII only, control characters escaped. */
	s = capture(PRINTER_JSON, hostile_doc);
	ok(strchr(s, '\033') == NULL, "no ESC byte in JSON");
	ok(strcasestr(s, "\\u001b[31m") != NULL, "ESC escaped as \\u001b");
	ok(strcasestr(s, "\\u009b") != NULL, "C1 CSI escaped");
	ok(strcasestr(s, "\\ufffd") != NULL, "invalid UTF-8 became U+FFFD");
	ok(strcasestr(s, "\\u00e9") != NULL, "non-ASCII escaped");
	ok(strstr(s, "\"when\": null") != NULL, "time 0 is null");
	ok(strstr(s, "\"at\": \"2026-01-01T00:00:00Z\"") != NULL, "times in ISO 8601 UTC");
	ok(strstr(s, "0.333") != NULL && strstr(s, "0.3333") == NULL, "reals rounded to 3 decimals");
	{
		const unsigned char *p;
		int ascii = 1;

		for (p = (const unsigned char *)s; *p; p++)
			if (*p >= 0x80 || (*p < 0x20 && *p != '\n'))
				ascii = 0;
		ok(ascii, "every byte printable ASCII");
	}
	free(s);

	/* The text back end: key: value lines, cleaned. */
	s = capture(PRINTER_TEXT, hostile_doc);
	ok(strchr(s, '\033') == NULL, "no ESC byte in text");
	ok(strstr(s, "name: Eve \"x\" [31mred[0m") != NULL, "key: value");
	ok(strstr(s, "when: -") != NULL, "null as a dash");
	ok(strstr(s, "list:\n  - 1\n") != NULL, "lists indented with dashes");
	free(s);

	return done_testing();
}
