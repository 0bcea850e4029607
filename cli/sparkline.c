/* sparkline.c - a person's mail month by month, as one line of bars, for `kith show`. */
#include "config.h"

#include <string.h>
#include <time.h>

#include "kith.h"
#include "kith/people.h"
#include "kith/util.h"

/* Eight heights; a month without mail is a dot, so an empty month is seen, not guessed. */
static const char *const bars[] = { "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587",
				    "\u2588" };
#define EMPTY_MONTH "\u00b7"

/* Months from t's month to now's, in local time (as dates are shown). */
static int
months_before(int64_t t, int64_t now)
{
	time_t a = (time_t)t, b = (time_t)now;
	struct tm ta, tb;

	localtime_r(&a, &ta);
	localtime_r(&b, &tb);
	return (tb.tm_year - ta.tm_year) * 12 + (tb.tm_mon - ta.tm_mon);
}

int
sparkline_count(const struct history_list *h, int64_t now, int sent[SPARK_MONTHS], int received[SPARK_MONTHS])
{
	size_t i;
	int m, total = 0;

	memset(sent, 0, SPARK_MONTHS * sizeof(int));
	memset(received, 0, SPARK_MONTHS * sizeof(int));
	for (i = 0; i < h->n; i++) {
		const char *d = h->v[i].direction;

		m = months_before(h->v[i].at, now);
		if (m < 0 || m >= SPARK_MONTHS)
			continue;
		/* Oldest month first, as a line is read. */
		if (strncmp(d, "sent", 4) == 0) {
			sent[SPARK_MONTHS - 1 - m]++;
			total++;
		} else if (strcmp(d, "received") == 0 || strcmp(d, "cc") == 0) {
			received[SPARK_MONTHS - 1 - m]++;
			total++;
		}
	}
	return total;
}

void
sparkline_draw(const int counts[SPARK_MONTHS], int max, struct strbuf *out)
{
	int i, level;

	for (i = 0; i < SPARK_MONTHS; i++) {
		if (counts[i] == 0 || max <= 0) {
			sb_adds(out, EMPTY_MONTH);
			continue;
		}
		/* Ceiling, so one message is never drawn as nothing. */
		level = (counts[i] * 8 + max - 1) / max;
		sb_adds(out, bars[level > 8 ? 7 : level - 1]);
	}
}
