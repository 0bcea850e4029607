/* test-util.c - durations, timestamps, clock times, string buffers. */
#include "config.h"

#include <stdlib.h>

#include "kith/util.h"
#include "kith/words.h"
#include "tap.h"

static void
test_durations(void)
{
	static const struct {
		const char *text;
		int64_t secs;
	} good[] = {
		{ "3d", 3 * DAY_SECS }, { "2w", 14 * DAY_SECS }, { "6m", 180 * DAY_SECS },
		{ "1y", 365 * DAY_SECS }, { "15min", 900 }, { "12h", 43200 }, { "30s", 30 },
		{ " 90d ", 90 * DAY_SECS }, { "0d", 0 },
	};
	static const char *const bad[] = { "", "d", "3", "3x", "-3d", "3 days", "1.5d", "3dd", "99999999999d" };
	int64_t secs;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		secs = -1;
		ok(parse_duration(good[i].text, &secs) == 0 && secs == good[i].secs,
		   "duration '%s' is %lld s", good[i].text, (long long)good[i].secs);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		ok(parse_duration(bad[i], &secs) == -1, "'%s' is not a duration", bad[i]);
}

static void
test_timestamps(void)
{
	int64_t t;
	char buf[32];

	ok(parse_iso8601("2026-11-26T10:00:00Z", &t) == 0 && t == 1795687200, "ISO 8601 UTC");
	ok(parse_iso8601("2026-11-26T11:00:00+01:00", &t) == 0 && t == 1795687200, "ISO 8601 with offset");
	ok(parse_iso8601("2026-11-26T05:00:00-0500", &t) == 0 && t == 1795687200, "ISO 8601 with basic offset");
	ok(parse_iso8601("1795687200", &t) == 0 && t == 1795687200, "epoch seconds");
	ok(parse_iso8601("2026-11-26", &t) == 0 && t == 1795651200, "a bare date is midnight UTC");
	ok(parse_iso8601("2026-13-01", &t) == -1, "month 13 is refused");
	ok(parse_iso8601("2026-11-26T10:00Zjunk", &t) == -1, "trailing junk is refused");
	ok(parse_iso8601("yesterday", &t) == -1, "words are not ISO 8601");
	is_str(format_iso8601(1795687200, buf, sizeof(buf)), "2026-11-26T10:00:00Z", "formatting");
	ok(parse_iso8601("1970-01-01T00:00:00Z", &t) == 0 && t == 0, "the epoch");
	ok(parse_iso8601("2000-02-29T00:00:00Z", &t) == 0 && t == 951782400, "a leap day");
}

static void
test_when(void)
{
	int64_t now = 1795687200, t;

	setenv("TZ", "UTC", 1);
	ok(parse_when("3d", now, &t) == 0 && t == now - 3 * DAY_SECS, "'3d' means three days ago");
	ok(parse_when("now", now, &t) == 0 && t == now, "'now'");
	ok(parse_when("yesterday", now, &t) == 0 && t == 1795608000, "'yesterday' is noon the day before");
	ok(parse_when("2026-11-01", now, &t) == 0 && t == 1793534400, "a bare date is its noon, local time");
	ok(parse_when("2026-11-01T09:30", now, &t) == 0 && t == 1793525400, "a local date and time");
	ok(parse_when("next tuesday", now, &t) == -1, "unknown words are refused");
}

static void
test_clock(void)
{
	int m;

	ok(parse_clock("09:30", &m) == 0 && m == 570, "09:30");
	ok(parse_clock("23:59", &m) == 0 && m == 1439, "23:59");
	ok(parse_clock("24:00", &m) == -1, "24:00 is refused");
	ok(parse_clock("9:3x", &m) == -1, "9:3x is refused");
	ok(parse_clock("", &m) == -1, "empty is refused");
}

static void
test_strbuf(void)
{
	struct strbuf sb = { 0 };
	char *s;
	int i;

	for (i = 0; i < 1000; i++)
		sb_addf(&sb, "%d,", i);
	ok(sb.len == 3890, "a buffer grows to hold what is added (%zu)", sb.len);
	sb_reset(&sb);
	sb_adds(&sb, "ab");
	sb_addc(&sb, 'c');
	s = sb_detach(&sb);
	is_str(s, "abc", "detach gives the string");
	ok(sb.buf == NULL && sb.len == 0, "detach empties the buffer");
	free(s);
	s = xasprintf("%s-%d", "x", 42);
	is_str(s, "x-42", "xasprintf");
	free(s);
}

/* Every duration kith shows: the unit follows the size, at each edge. */
static void
test_words(void)
{
	static const struct {
		int64_t secs;
		const char *want;
	} spans[] = {
		{ 0, "1 minute" }, { 59, "1 minute" }, { 60, "1 minute" }, { 3599, "59 minutes" },
		{ 3600, "1 hour" }, { DAY_SECS - 1, "23 hours" },
		{ DAY_SECS, "1 day" }, { 6 * DAY_SECS, "6 days" }, { 13 * DAY_SECS, "13 days" },
		{ 14 * DAY_SECS, "2 weeks" }, { 30 * DAY_SECS, "4 weeks" }, { 45 * DAY_SECS, "6 weeks" },
		{ 48 * DAY_SECS, "7 weeks" }, { 55 * DAY_SECS, "8 weeks" },
		{ 56 * DAY_SECS, "2 months" }, { 90 * DAY_SECS, "3 months" }, { 117 * DAY_SECS, "4 months" },
		{ 334 * DAY_SECS, "11 months" }, { 335 * DAY_SECS, "1 year" }, { 365 * DAY_SECS, "1 year" },
		{ 395 * DAY_SECS, "1 year" }, { 396 * DAY_SECS, "13 months" }, { 729 * DAY_SECS, "24 months" },
		{ 730 * DAY_SECS, "2 years" }, { 1277 * DAY_SECS, "3 years" }, { 1278 * DAY_SECS, "4 years" },
		{ -45 * DAY_SECS, "6 weeks" },
	};
	static const struct {
		int64_t secs;
		const char *want;
	} every[] = {
		{ DAY_SECS, "every day" }, { 6 * DAY_SECS, "every 6 days" }, { 45 * DAY_SECS, "every 6 weeks" },
		{ 90 * DAY_SECS, "every 3 months" }, { 365 * DAY_SECS, "once a year" },
		{ 800 * DAY_SECS, "every 2 years" },
	};
	const int64_t now = 1780000000;	/* 2026-05-28T20:26:40Z */
	char buf[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(spans); i++)
		is_str(kith_duration_words(spans[i].secs, buf, sizeof(buf)), spans[i].want, "%lld s is %s",
		       (long long)spans[i].secs, spans[i].want);
	for (i = 0; i < ARRAY_SIZE(every); i++)
		is_str(kith_every_words(every[i].secs, buf, sizeof(buf)), every[i].want, "%s",
		       every[i].want);
	is_str(kith_ago_words(0, now, buf, sizeof(buf)), "never", "0 is never");
	is_str(kith_ago_words(now - 30, now, buf, sizeof(buf)), "just now", "just now");
	is_str(kith_ago_words(now - DAY_SECS, now, buf, sizeof(buf)), "yesterday", "yesterday");
	is_str(kith_ago_words(now - 55 * DAY_SECS, now, buf, sizeof(buf)), "8 weeks ago",
	       "55 days ago reads as the span does");
	is_str(kith_ago_words(now + 2 * DAY_SECS, now, buf, sizeof(buf)), "in 2 days", "ahead");
	is_str(kith_month_words(now - 40 * DAY_SECS, now, buf, sizeof(buf)), "April", "this year's month");
	is_str(kith_month_words(now - 330 * DAY_SECS, now, buf, sizeof(buf)), "July", "eleven months back");
	is_str(kith_month_words(now - 370 * DAY_SECS, now, buf, sizeof(buf)), "May 2025",
	       "a year back names the year");
}

int
main(void)
{
	test_durations();
	test_timestamps();
	test_when();
	test_clock();
	test_strbuf();
	test_words();
	return done_testing();
}
