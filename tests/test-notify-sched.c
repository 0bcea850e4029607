/* test-notify-sched.c - when the daily digest is due: its slot and quiet hours. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kith/config.h"
#include "kith/util.h"
#include "notify.h"
#include "tap.h"

static int64_t
at(const char *iso)
{
	int64_t t;

	if (parse_iso8601(iso, &t) == -1)
		abort();
	return t;
}

static const char *
slot(const char *now, int minutes)
{
	static char buf[16];

	notify_digest_slot(at(now), minutes, buf, sizeof(buf));
	return buf;
}

static void
test_slot(void)
{
	char buf[16];

	is_str(slot("2025-06-02T09:45:00Z", 9 * 60 + 30), "2025-06-02", "after 09:30: today's digest");
	is_str(slot("2025-06-02T09:30:00Z", 9 * 60 + 30), "2025-06-02", "at 09:30 exactly: today's");
	is_str(slot("2025-06-02T09:29:59Z", 9 * 60 + 30), "2025-06-01", "before 09:30: yesterday's");
	is_str(slot("2025-03-01T00:10:00Z", 30), "2025-02-28", "across a month end");
	is_str(slot("2025-01-01T00:00:00Z", 0), "2025-01-01", "midnight digest at midnight");
	is_int(notify_digest_slot(at("2025-06-02T12:00:00Z"), 7 * 60, buf, sizeof(buf)),
	       at("2025-06-02T07:00:00Z"), "the slot's instant");
	is_int(notify_day_start(at("2025-06-02T12:34:56Z")), at("2025-06-02T00:00:00Z"), "local midnight");
}

static void
test_quiet(void)
{
	struct kith_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	ok(!notify_quiet(&cfg, at("2025-06-02T23:00:00Z")), "no quiet hours: never quiet");

	cfg.notify.has_quiet = true;
	cfg.notify.quiet_start = 21 * 60;
	cfg.notify.quiet_end = 8 * 60;
	ok(notify_quiet(&cfg, at("2025-06-02T21:00:00Z")), "21:00-08:00: quiet from 21:00");
	ok(notify_quiet(&cfg, at("2025-06-02T02:00:00Z")), "quiet past midnight");
	ok(notify_quiet(&cfg, at("2025-06-02T07:59:00Z")), "quiet at 07:59");
	ok(!notify_quiet(&cfg, at("2025-06-02T08:00:00Z")), "not quiet at 08:00");
	ok(!notify_quiet(&cfg, at("2025-06-02T20:59:00Z")), "not quiet at 20:59");

	cfg.notify.quiet_start = 12 * 60;
	cfg.notify.quiet_end = 14 * 60;
	ok(notify_quiet(&cfg, at("2025-06-02T13:00:00Z")), "12:00-14:00: quiet at 13:00");
	ok(!notify_quiet(&cfg, at("2025-06-02T14:00:00Z")), "not at 14:00");
	ok(!notify_quiet(&cfg, at("2025-06-02T11:59:00Z")), "not at 11:59");
}

static void
test_local_time(void)
{
	/* Digest times are local: 09:30 in Lisbon summer time is 08:30 UTC. */
	setenv("TZ", "Europe/Lisbon", 1);
	tzset();
	is_str(slot("2025-06-02T08:31:00Z", 9 * 60 + 30), "2025-06-02", "Lisbon: 09:31 local is after 09:30");
	is_str(slot("2025-06-02T08:29:00Z", 9 * 60 + 30), "2025-06-01", "Lisbon: 09:29 local is before");
	is_int(notify_day_start(at("2025-06-02T12:00:00Z")), at("2025-06-01T23:00:00Z"),
	       "Lisbon: local midnight is 23:00 UTC in summer");
	setenv("TZ", "UTC", 1);
	tzset();
}

int
main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	test_slot();
	test_quiet();
	test_local_time();
	return done_testing();
}
