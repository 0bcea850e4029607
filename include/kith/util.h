/* util.h - allocation that never returns NULL, string buffers, time. */
#ifndef KITH_UTIL_H
#define KITH_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "kith/log.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define DAY_SECS ((int64_t)86400)

/* Allocation wrappers abort on out-of-memory; callers never check NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) KITH_PRINTF(1, 2);

/* A growable NUL-terminated byte buffer.  Zero-initialise before use. */
struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};
void sb_grow(struct strbuf *sb, size_t extra);
void sb_add(struct strbuf *sb, const char *s, size_t n);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...) KITH_PRINTF(2, 3);
void sb_reset(struct strbuf *sb);
/* Give the buffer to the caller (free() it); the strbuf is emptied. */
char *sb_detach(struct strbuf *sb);
void sb_free(struct strbuf *sb);

/* Strings. */
char *str_trim(char *s);			/* in place; returns s moved past leading space */
bool str_has_prefix(const char *s, const char *prefix);
bool str_ieq(const char *a, const char *b);	/* ASCII case-insensitive equality */
void str_lower_ascii(char *s);			/* in place */

/*
 * "Now" for every time computation: $KITH_NOW when set (ISO 8601 or epoch
 * seconds), else the wall clock.  A bad KITH_NOW is fatal: silently using
 * the real clock would make tests pass for the wrong reason.
 */
int64_t kith_now(void);

/* Milliseconds of the monotonic clock, for timeouts and deadlines (never KITH_NOW). */
int64_t kith_mono_ms(void);

/*
 * A date from outside (a server, a sender, a database that may be
 * corrupt) brought within [1970, now + 1 day]: a date far in the future
 * would otherwise make every score computed from it infinite.
 */
int64_t clamp_date(int64_t t, int64_t now);

/*
 * Durations: an integer and a unit, "90d", "2w", "6m", "1y", "15min"/"30s"/
 * "12h" also accepted.  A month is 30 days, a year 365.  Returns 0 and sets
 * *secs, or -1 when the text is not a duration.
 */
int parse_duration(const char *s, int64_t *secs);

/*
 * Dates for the CLI: "2026-03-01", "2026-03-01T10:00", full ISO 8601 with a
 * zone, "today", "yesterday", or a duration meaning that long ago ("3d").
 * Dates without a zone are local time.  Returns 0 or -1.
 */
int parse_when(const char *s, int64_t now, int64_t *out);

/* Parse an ISO 8601 timestamp ("2026-11-26T10:00:00Z", offsets, or epoch seconds). */
int parse_iso8601(const char *s, int64_t *out);

/* Format as ISO 8601 UTC "YYYY-MM-DDTHH:MM:SSZ" into buf (at least 21 bytes). */
char *format_iso8601(int64_t t, char *buf, size_t len);

/* Clock time "HH:MM" to minutes after midnight; 0 or -1. */
int parse_clock(const char *s, int *minutes);

/* localhost, 127.0.0.0/8, ::1 or ::ffff:127.x: a host whose traffic never leaves the machine. */
bool host_is_loopback(const char *host);

/*
 * Text from outside (a server, a sender, an import) made safe for a
 * terminal or a log line: valid UTF-8, without C0/C1 controls (ESC, CSI)
 * or bidi overrides; line breaks and tabs become spaces.  Never NULL; free().
 */
char *text_safe(const char *s);

/* Levenshtein distance on bytes, ASCII case-insensitive, for "did you mean". */
size_t edit_distance(const char *a, const char *b);

/* Run-time directories: create a directory and its parents with mode. */
int mkdir_p(const char *path, unsigned mode);

#endif
