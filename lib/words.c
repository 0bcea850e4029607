/* words.c - durations and dates in words, the same everywhere kith speaks. */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include "kith/util.h"
#include "kith/words.h"

#define WEEK_DAYS	7
#define MONTH_DAYS	30	/* as parse_duration reads "1m" */
#define YEAR_DAYS	365

/* A span as a count and a unit, by the table in words.h. */
static void
span_unit(int64_t secs, long *n, const char **unit)
{
	int64_t days;

	if (secs < 0)
		secs = -secs;
	days = secs / DAY_SECS;
	if (secs < 3600) {
		*n = (long)(secs / 60 > 0 ? secs / 60 : 1);
		*unit = "minute";
	} else if (secs < DAY_SECS) {
		*n = (long)(secs / 3600);
		*unit = "hour";
	} else if (days < 14) {
		*n = (long)days;
		*unit = "day";
	} else if (days < 8 * WEEK_DAYS) {
		*n = (long)((days + WEEK_DAYS / 2) / WEEK_DAYS);
		*unit = "week";
	} else if (days < YEAR_DAYS - MONTH_DAYS) {
		*n = (long)((days + MONTH_DAYS / 2) / MONTH_DAYS);
		*unit = "month";
	} else if (days <= YEAR_DAYS + MONTH_DAYS) {
		/* Within a month of a year: "a year", not "12 months" or "13 months". */
		*n = 1;
		*unit = "year";
	} else if (days < 2 * YEAR_DAYS) {
		*n = (long)((days + MONTH_DAYS / 2) / MONTH_DAYS);
		*unit = "month";
	} else {
		*n = (long)((days + YEAR_DAYS / 2) / YEAR_DAYS);
		*unit = "year";
	}
}

char *
kith_duration_words(int64_t secs, char *buf, size_t len)
{
	const char *unit;
	long n;

	span_unit(secs, &n, &unit);
	snprintf(buf, len, "%ld %s%s", n, unit, n == 1 ? "" : "s");
	return buf;
}

char *
kith_every_words(int64_t secs, char *buf, size_t len)
{
	const char *unit;
	long n;

	if (secs < 0)
		secs = -secs;
	if (secs / DAY_SECS == 1) {
		snprintf(buf, len, "every day");
		return buf;
	}
	span_unit(secs, &n, &unit);
	if (n == 1)
		snprintf(buf, len, "once a%s %s", unit[0] == 'h' ? "n" : "", unit);
	else
		snprintf(buf, len, "every %ld %ss", n, unit);
	return buf;
}

char *
kith_ago_words(int64_t t, int64_t now, char *buf, size_t len)
{
	int64_t d = now - t;
	char span[32];

	if (t == 0)
		snprintf(buf, len, "never");
	else if (d >= 0 && d < 60)
		snprintf(buf, len, "just now");
	else if (d < 0 && -d < 60)
		snprintf(buf, len, "in a moment");
	else if (d >= DAY_SECS && d < 2 * DAY_SECS)
		snprintf(buf, len, "yesterday");
	else if (d < 0)
		snprintf(buf, len, "in %s", kith_duration_words(-d, span, sizeof(span)));
	else
		snprintf(buf, len, "%s ago", kith_duration_words(d, span, sizeof(span)));
	return buf;
}

char *
kith_month_words(int64_t t, int64_t now, char *buf, size_t len)
{
	static const char *const months[] = {
		"January", "February", "March", "April", "May", "June", "July", "August",
		"September", "October", "November", "December",
	};
	time_t tt = (time_t)t, tn = (time_t)now;
	struct tm a, b;
	int apart;

	localtime_r(&tt, &a);
	localtime_r(&tn, &b);
	apart = (b.tm_year - a.tm_year) * 12 + (b.tm_mon - a.tm_mon);
	if (apart >= 0 && apart < 12)
		snprintf(buf, len, "%s", months[a.tm_mon]);
	else
		snprintf(buf, len, "%s %d", months[a.tm_mon], a.tm_year + 1900);
	return buf;
}
