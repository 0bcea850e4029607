/* util.c - allocation that never returns NULL, string buffers, time. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "kith/util.h"

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		fatalx("out of memory allocating %zu bytes", n);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		fatalx("out of memory allocating %zu x %zu bytes", nmemb, size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		fatalx("out of memory allocating %zu bytes", n);
	return p;
}

void *
xreallocarray(void *p, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		fatalx("allocation of %zu x %zu bytes overflows", nmemb, size);
	return xrealloc(p, nmemb * size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p;
	size_t len = strnlen(s, n);

	p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	struct strbuf sb = { 0 };
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatalx("bad format '%s'", fmt);
	sb_grow(&sb, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(sb.buf, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return sb.buf;
}

void
sb_grow(struct strbuf *sb, size_t extra)
{
	size_t want;

	if (extra > SIZE_MAX - sb->len - 1)
		fatalx("string buffer overflow");
	want = sb->len + extra + 1;
	if (want <= sb->cap)
		return;
	if (sb->cap < 64)
		sb->cap = 64;
	while (sb->cap < want)
		sb->cap = sb->cap > SIZE_MAX / 2 ? want : sb->cap * 2;
	sb->buf = xrealloc(sb->buf, sb->cap);
	sb->buf[sb->len] = '\0';
}

void
sb_add(struct strbuf *sb, const char *s, size_t n)
{
	sb_grow(sb, n);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void
sb_adds(struct strbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void
sb_addc(struct strbuf *sb, char c)
{
	sb_add(sb, &c, 1);
}

void
sb_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatalx("bad format '%s'", fmt);
	sb_grow(sb, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

void
sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

char *
sb_detach(struct strbuf *sb)
{
	char *p;

	if (!sb->buf)
		sb_grow(sb, 0);
	p = sb->buf;
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return p;
}

void
sb_free(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

char *
str_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

bool
str_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool
str_ieq(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

void
str_lower_ascii(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

int64_t
kith_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The parser behind parse_iso8601 and parse_when: "YYYY-MM-DD", optionally
 * followed by "T" or " " and "HH:MM[:SS[.frac]]", optionally a zone ("Z",
 * "+HH:MM", "+HHMM").  *has_zone says whether a zone was given; without one
 * the result is the UTC reading of the fields.
 */
static int
parse_datetime(const char *s, int64_t *out, bool *has_zone)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
	const char *p;
	int64_t t;

	*has_zone = false;
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
		return -1;
	p = s + n;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		int m = 0;

		p++;
		if (sscanf(p, "%2d:%2d%n", &h, &mi, &m) != 2 || m != 5)
			return -1;
		p += m;
		if (*p == ':') {
			if (sscanf(p, ":%2d%n", &sec, &m) != 1 || m != 3)
				return -1;
			p += m;
			if (*p == '.' || *p == ',') {
				p++;
				if (!isdigit((unsigned char)*p))
					return -1;
				while (isdigit((unsigned char)*p))
					p++;
			}
		}
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -1;
	t = days_from_civil(y, (unsigned)mo, (unsigned)d) * DAY_SECS + h * 3600 + mi * 60 + sec;
	if (*p == 'Z' || *p == 'z') {
		*has_zone = true;
		p++;
	} else if (*p == '+' || *p == '-') {
		int zh, zm = 0, m = 0, sign = *p == '-' ? -1 : 1;

		p++;
		if (sscanf(p, "%2d:%2d%n", &zh, &zm, &m) == 2 && m == 5)
			p += 5;
		else if (sscanf(p, "%2d%2d%n", &zh, &zm, &m) == 2 && m == 4)
			p += 4;
		else if (sscanf(p, "%2d%n", &zh, &m) == 1 && m == 2)
			p += 2;
		else
			return -1;
		if (zh > 23 || zm > 59)
			return -1;
		t -= sign * (zh * 3600 + zm * 60);
		*has_zone = true;
	}
	if (*p)
		return -1;
	*out = t;
	return 0;
}

static int
parse_epoch(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (!*s)
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || end == s)
		return -1;
	*out = v;
	return 0;
}

int
parse_iso8601(const char *s, int64_t *out)
{
	bool has_zone;

	if (parse_epoch(s, out) == 0)
		return 0;
	/* A timestamp without a zone is taken as UTC: it comes from a machine. */
	return parse_datetime(s, out, &has_zone);
}

int64_t
kith_now(void)
{
	const char *env = getenv("KITH_NOW");
	int64_t t;

	if (!env || !*env)
		return (int64_t)time(NULL);
	if (parse_iso8601(env, &t) == -1)
		fatalx("KITH_NOW='%s' is neither ISO 8601 nor epoch seconds", env);
	return t;
}

int64_t
clamp_date(int64_t t, int64_t now)
{
	if (t < 0)
		return 0;
	if (now <= INT64_MAX - DAY_SECS && t > now + DAY_SECS)
		return now + DAY_SECS;
	return t;
}

int
parse_duration(const char *s, int64_t *secs)
{
	static const struct {
		const char *unit;
		int64_t secs;
	} units[] = {
		{ "s", 1 }, { "sec", 1 }, { "min", 60 }, { "h", 3600 },
		{ "d", DAY_SECS }, { "w", 7 * DAY_SECS }, { "m", 30 * DAY_SECS },
		{ "mo", 30 * DAY_SECS }, { "y", 365 * DAY_SECS },
	};
	char *end;
	long long v;
	size_t i;

	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || v < 0 || v > 100000)
		return -1;
	while (*end == ' ')
		end++;
	for (i = 0; i < ARRAY_SIZE(units); i++) {
		size_t ulen = strlen(units[i].unit);

		if (strncmp(end, units[i].unit, ulen) == 0) {
			const char *rest = end + ulen;

			while (isspace((unsigned char)*rest))
				rest++;
			if (*rest)
				continue;
			*secs = (int64_t)v * units[i].secs;
			return 0;
		}
	}
	return -1;
}

int
parse_when(const char *s, int64_t now, int64_t *out)
{
	bool has_zone;
	int64_t t, d;
	struct tm tm;
	time_t tt;

	if (str_ieq(s, "now")) {
		*out = now;
		return 0;
	}
	if (str_ieq(s, "today") || str_ieq(s, "yesterday")) {
		tt = (time_t)now;
		localtime_r(&tt, &tm);
		tm.tm_hour = 12;
		tm.tm_min = tm.tm_sec = 0;
		tm.tm_isdst = -1;
		if (str_ieq(s, "yesterday"))
			tm.tm_mday--;
		*out = (int64_t)mktime(&tm);
		return 0;
	}
	if (parse_duration(s, &d) == 0) {
		*out = now - d;
		return 0;
	}
	if (parse_datetime(s, &t, &has_zone) == -1)
		return -1;
	if (!has_zone) {
		/* Re-read the fields as local time: that is what the user meant. */
		tt = (time_t)t;
		gmtime_r(&tt, &tm);
		if (strlen(s) == 10)
			tm.tm_hour = 12;	/* a bare date means that day, not its first second */
		tm.tm_isdst = -1;
		t = (int64_t)mktime(&tm);
	}
	*out = t;
	return 0;
}

char *
format_iso8601(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

int
parse_clock(const char *s, int *minutes)
{
	int h, m, n = 0;

	if (sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || s[n] != '\0')
		return -1;
	if (h < 0 || h > 23 || m < 0 || m > 59 || !isdigit((unsigned char)s[0]))
		return -1;
	*minutes = h * 60 + m;
	return 0;
}

bool
host_is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (str_ieq(host, "localhost") || str_ieq(host, "localhost."))
		return true;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, host, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6) ||
		       (IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127);
	return false;
}

size_t
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev, tmp, r, small[64], *row;

	row = lb < ARRAY_SIZE(small) ? small : xcalloc(lb + 1, sizeof(*row));
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			r = prev + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
			if (row[j - 1] + 1 < r)
				r = row[j - 1] + 1;
			if (tmp + 1 < r)
				r = tmp + 1;
			row[j] = r;
			prev = tmp;
		}
	}
	r = row[lb];
	if (row != small)
		free(row);
	return r;
}

int
mkdir_p(const char *path, unsigned mode)
{
	char *p = xstrdup(path), *q;
	int rc = 0;

	for (q = p + 1; *q; q++) {
		if (*q != '/')
			continue;
		*q = '\0';
		if (mkdir(p, mode) == -1 && errno != EEXIST) {
			rc = -1;
			goto out;
		}
		*q = '/';
	}
	if (mkdir(p, mode) == -1 && errno != EEXIST)
		rc = -1;
out:
	free(p);
	return rc;
}
