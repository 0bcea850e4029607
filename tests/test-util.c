/* test-util.c - durations, timestamps, clock times, string buffers. */
#include "config.h"

#include <stdlib.h>

#include "kith/util.h"
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

int
main(void)
{
	test_durations();
	test_timestamps();
	test_when();
	test_clock();
	test_strbuf();
	return done_testing();
}
