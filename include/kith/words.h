/* words.h - durations and dates in words, the same everywhere kith speaks. */
#ifndef KITH_WORDS_H
#define KITH_WORDS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Every duration kith shows goes through kith_duration_words, so that one
 * span reads the same in `due`, `list`, `show`, `replies`, `status` and the
 * nudge.  The unit follows the size alone, never whether the number happens
 * to be a whole number of weeks or months:
 *
 *   under an hour     minutes ("1 minute" at least)
 *   under a day       hours
 *   under 14 days     days             ("13 days")
 *   under 8 weeks     weeks, rounded   ("6 weeks" for 45 days, "8 weeks" for 55)
 *   under 335 days    months of 30 d   ("2 months" ... "11 months")
 *   335 to 395 days   "1 year"
 *   under 2 years     months           ("19 months")
 *   else              years, rounded
 *
 * A negative span is worded as its size.  Each writes into buf (len bytes)
 * and returns buf.
 */
char *kith_duration_words(int64_t secs, char *buf, size_t len);

/*
 * A rhythm: "every 6 days", "every 3 weeks", "once a month", "once a year"
 * (one unit reads "once a ..."; a day reads "every day").
 */
char *kith_every_words(int64_t secs, char *buf, size_t len);

/*
 * Time `t` relative to `now`: "never" (t = 0), "just now", "5 minutes ago",
 * "yesterday", "3 weeks ago", "in 2 days".
 */
char *kith_ago_words(int64_t t, int64_t now, char *buf, size_t len);

/*
 * The month of `t` (local time, as dates are shown) seen from `now`:
 * "July" within the last eleven months, else "July 2024".
 */
char *kith_month_words(int64_t t, int64_t now, char *buf, size_t len);

#endif
