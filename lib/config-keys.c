/* config-keys.c - the table of configuration keys and the parsers of their values. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config-private.h"
#include "kith/config.h"
#include "kith/util.h"

const struct config_sect config_sects[SECT_NONE] = {
	[SECT_KITH] = { "kith", false },
	[SECT_ACCOUNT] = { "account", true },
	[SECT_NOTIFY] = { "notify", false },
	[SECT_CIRCLE] = { "circle", true },
	[SECT_GOAL] = { "goal", true },
	[SECT_IGNORE] = { "ignore", false },
};

#define CFG(f) offsetof(struct kith_config, f)
#define ACC(f) offsetof(struct kith_account, f)
#define CIR(f) offsetof(struct kith_circle, f)
#define GOAL(f) offsetof(struct kith_goal, f)
#define D DAY_SECS

/* Every key kith reads.  kith.conf(5) documents exactly these (a test checks). */
const struct ckey config_table[] = {
	{ { "kith", "database", "path", "$XDG_DATA_HOME/kith/kith.db",
	    "the SQLite database; ~ is expanded" },
	  SECT_KITH, T_PATH, F_DEFDOC, 0, 0, CFG(database) },
	{ { "kith", "me", "list of address globs", NULL,
	    "the user's own addresses, besides those learned from the Sent folder" },
	  SECT_KITH, T_GLOBS, 0, 0, 0, CFG(me) },
	{ { "kith", "default_cadence", "duration", "90d",
	    "how often to keep in touch with someone no other rule covers" },
	  SECT_KITH, T_DURATION, 0, D, 3650 * D, CFG(default_cadence) },
	{ { "kith", "max_recipients", "integer 1-1000", "10",
	    "mail to more people than this is a blast and makes no relationship" },
	  SECT_KITH, T_INT, 0, 1, 1000, CFG(max_recipients) },
	{ { "kith", "tiers", "four durations", "14d, 30d, 90d, 365d",
	    "cadences of the inner (top 5), close (6-15), friends (16-50) and other tiers" },
	  SECT_KITH, T_TIERS, 0, D, 3650 * D, CFG(tier_cadence) },
	{ { "kith", "seed_days", "duration", "90d",
	    "a person first met less than this long ago is a new tie, followed up in steps" },
	  SECT_KITH, T_DURATION, 0, D, 3650 * D, CFG(seed_days) },
	{ { "kith", "seed_steps", "three durations", "3d, 3w, 3m",
	    "follow up a new tie this long after the first, the second, and every later contact day" },
	  SECT_KITH, T_STEPS, 0, D, 3650 * D, CFG(seed_steps) },
	{ { "kith", "seed_lost", "duration", "3m",
	    "a new tie with no contact for this long is lost" },
	  SECT_KITH, T_DURATION, 0, D, 3650 * D, CFG(seed_lost) },

	{ { "account", "host", "host name", NULL, "the IMAP server" },
	  SECT_ACCOUNT, T_HOST, F_REQUIRED, 0, 0, ACC(host) },
	{ { "account", "port", "integer 1-65535", "993 with tls = implicit, else 143",
	    "the IMAP port" },
	  SECT_ACCOUNT, T_PORT, F_DEFDOC, 1, 65535, ACC(port) },
	{ { "account", "tls", "implicit | starttls | none", "implicit",
	    "how the connection is encrypted; none only for a loopback host" },
	  SECT_ACCOUNT, T_TLS, 0, 0, 0, ACC(tls) },
	{ { "account", "ca_file", "path", NULL,
	    "an extra trust anchor (PEM), for a self-hosted server" },
	  SECT_ACCOUNT, T_PATH, F_READABLE, 0, 0, ACC(ca_file) },
	{ { "account", "user", "string", NULL, "the login name" },
	  SECT_ACCOUNT, T_STRING, F_REQUIRED, 0, 0, ACC(user) },
	{ { "account", "auth", "login | plain | xoauth2", "login",
	    "the authentication mechanism" },
	  SECT_ACCOUNT, T_AUTH, 0, 0, 0, ACC(auth) },
	{ { "account", "password_command", "shell command", NULL,
	    "prints the password (the token for xoauth2) on the first line of its output" },
	  SECT_ACCOUNT, T_STRING, F_REQUIRED, 0, 0, ACC(password_command) },
	{ { "account", "password", "refused", NULL,
	    "never accepted: passwords do not go in the config file" },
	  SECT_ACCOUNT, T_PASSWORD, 0, 0, 0, 0 },
	{ { "account", "folders", "auto | list of folders", "auto",
	    "the folders to read; auto finds INBOX, Sent and Archive" },
	  SECT_ACCOUNT, T_FOLDERS, 0, 0, 0, 0 },
	{ { "account", "exclude", "list of folders", NULL, "folders never read" },
	  SECT_ACCOUNT, T_LIST, 0, 0, 0, ACC(exclude) },
	{ { "account", "idle", "boolean", "yes", "wait for new INBOX mail with IDLE" },
	  SECT_ACCOUNT, T_BOOL, 0, 0, 0, ACC(idle) },
	{ { "account", "poll_interval", "duration", "15min",
	    "how often folders not under IDLE are checked" },
	  SECT_ACCOUNT, T_DURATION, 0, 2, D, ACC(poll_interval) },

	{ { "notify", "enabled", "boolean", "yes", "show desktop notifications" },
	  SECT_NOTIFY, T_BOOL, 0, 0, 0, CFG(notify.enabled) },
	{ { "notify", "digest_time", "HH:MM", "09:30", "local time of the daily digest" },
	  SECT_NOTIFY, T_CLOCK, 0, 0, 0, CFG(notify.digest_time) },
	{ { "notify", "quiet_hours", "HH:MM-HH:MM | none", "none",
	    "no notifications in this range of local time; it may wrap midnight" },
	  SECT_NOTIFY, T_QUIET, 0, 0, 0, 0 },
	{ { "notify", "max_per_day", "integer 1-50", "3", "at most this many people a day" },
	  SECT_NOTIFY, T_INT, 0, 1, 50, CFG(notify.max_per_day) },

	{ { "circle", "cadence", "duration", NULL,
	    "how often to keep in touch with members; unset: their own rhythm" },
	  SECT_CIRCLE, T_DURATION, 0, D, 3650 * D, CIR(cadence) },
	{ { "circle", "members", "list of address globs", NULL, "who belongs to the circle" },
	  SECT_CIRCLE, T_GLOBS, 0, 0, 0, CIR(members) },
	{ { "circle", "focus", "boolean", "no", "nudges about members come first" },
	  SECT_CIRCLE, T_BOOL, 0, 0, 0, CIR(focus) },

	{ { "goal", "circle", "circle name", NULL, "the circle the goal is about" },
	  SECT_GOAL, T_NAME, F_REQUIRED, 0, 0, GOAL(circle) },
	{ { "goal", "per_week", "integer 1-1000", NULL,
	    "distinct people of the circle to write to each week" },
	  SECT_GOAL, T_INT, F_REQUIRED, 1, 1000, GOAL(per_week) },

	{ { "ignore", "addresses", "list of address globs", NULL, "never suggest these people" },
	  SECT_IGNORE, T_GLOBS, 0, 0, 0, CFG(ignore) },
};

#undef D

#define NKEYS ARRAY_SIZE(config_table)

const size_t config_nkeys = NKEYS;
_Static_assert(ARRAY_SIZE(config_table) <= CONFIG_MAX_KEYS, "raise CONFIG_MAX_KEYS");

const struct config_key *
config_key_at(size_t i)
{
	return i < NKEYS ? &config_table[i].pub : NULL;
}

/* --- string lists, paths, globs ------------------------------------------- */

void
strlist_add(struct strlist *l, const char *s)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = xstrdup(s);
}

void
strlist_free(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

bool
strlist_contains(const struct strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	return false;
}

char *
config_expand_path(const char *path)
{
	const char *rest, *home = NULL;
	struct passwd *pw;
	char *user;

	if (path[0] != '~')
		return xstrdup(path);
	rest = path + 1 + strcspn(path + 1, "/");
	if (rest == path + 1) {
		home = getenv("HOME");
		if (!home || !*home) {
			pw = getpwuid(getuid());
			home = pw ? pw->pw_dir : "/";
		}
	} else {
		user = xstrndup(path + 1, (size_t)(rest - path - 1));
		pw = getpwnam(user);
		free(user);
		if (!pw)
			return NULL;
		home = pw->pw_dir;
	}
	/* "~/x" with HOME=/ must not become "//x". */
	if (strcmp(home, "/") == 0 && *rest == '/')
		home = "";
	return xasprintf("%s%s", home, rest);
}

bool
config_addr_match(const char *pattern, const char *addr)
{
	return fnmatch(pattern, addr, FNM_CASEFOLD) == 0;
}

const struct kith_circle *
config_circle(const struct kith_config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->ncircles; i++)
		if (str_ieq(cfg->circles[i].name, name))
			return &cfg->circles[i];
	return NULL;
}

/* --- value parsers: 0, or -1 with *err set (the caller frees it) ------------- */

bool
config_has_space(const char *s)
{
	for (; *s; s++)
		if (isspace((unsigned char)*s))
			return true;
	return false;
}

/*
 * An address pattern needs an '@' or a wildcard ("*noreply*"), and a '['
 * needs its ']': fnmatch would silently match such a pattern literally.
 */
static int
check_glob(const char *g, char **err)
{
	const char *p;

	if (config_has_space(g) || !strpbrk(g, "@*?[")) {
		*err = xasprintf("'%s' is not an address or address pattern", g);
		return -1;
	}
	p = strchr(g, '[');
	if (p && !strchr(p + 1, ']')) {
		*err = xasprintf("'%s' has a '[' without its ']'", g);
		return -1;
	}
	return 0;
}

/* A comma list: items trimmed, empty items refused, "" is the empty list. */
static int
parse_list(const char *val, struct strlist *out, bool globs, char **err)
{
	char *copy = xstrdup(val), *item, *next;
	struct strlist l = { 0 };
	int rc = -1;

	if (*str_trim(copy) == '\0') {
		rc = 0;
		goto out;
	}
	for (item = copy; item; item = next) {
		next = strchr(item, ',');
		if (next)
			*next++ = '\0';
		item = str_trim(item);
		if (*item == '\0') {
			*err = xstrdup("empty item in the list (a stray comma?)");
			goto out;
		}
		if (globs && check_glob(item, err) == -1)
			goto out;
		strlist_add(&l, item);
	}
	rc = 0;
out:
	if (rc == 0) {
		strlist_free(out);
		*out = l;
	} else {
		strlist_free(&l);
	}
	free(copy);
	return rc;
}

/* "1y", "30d", "12h": the largest unit that divides the duration. */
static char *
human_duration(int64_t s)
{
	if (s % (365 * DAY_SECS) == 0 && s > 0)
		return xasprintf("%lldy", (long long)(s / (365 * DAY_SECS)));
	if (s % DAY_SECS == 0 && s > 0)
		return xasprintf("%lldd", (long long)(s / DAY_SECS));
	if (s % 3600 == 0 && s > 0)
		return xasprintf("%lldh", (long long)(s / 3600));
	if (s % 60 == 0 && s > 0)
		return xasprintf("%lldmin", (long long)(s / 60));
	return xasprintf("%llds", (long long)s);
}

static int
parse_dur(const struct ckey *k, const char *val, int64_t *out, char **err)
{
	char *lo, *hi;

	size_t len = strlen(val);

	if (parse_duration(val, out) == -1) {
		*err = xasprintf("'%s' is not a duration (like 3d, 2w, 6m, 1y)", val);
		return -1;
	}
	/*
	 * "m" is a month (cadence = 6m), but nobody polls every 15 months:
	 * for keys whose range stops short of a month, "15m" means minutes,
	 * as the documented example "poll_interval = 15m" intends.
	 */
	if (len > 1 && val[len - 1] == 'm' && val[len - 2] >= '0' && val[len - 2] <= '9' &&
	    k->max < 30 * DAY_SECS)
		*out /= 30 * 24 * 60;
	if (*out < k->min || *out > k->max) {
		lo = human_duration(k->min);
		hi = human_duration(k->max);
		*err = xasprintf("'%s' is out of range (%s to %s)", val, lo, hi);
		free(lo);
		free(hi);
		return -1;
	}
	return 0;
}

/* Tiers (4: inner, close, friends, the rest) or seed steps (3), each no shorter than the one before. */
static int
parse_tiers(const struct ckey *k, const char *val, int64_t *tiers, char **err)
{
	struct strlist l = { 0 };
	int64_t t[4];
	size_t i, want = k->type == T_STEPS ? 3 : 4;
	int rc = -1;

	if (parse_list(val, &l, false, err) == -1)
		goto out;
	if (l.n != want) {
		*err = want == 3 ? xasprintf("needs 3 durations (after the first, the second, and "
					     "every later contact), not %zu", l.n)
				 : xasprintf("needs 4 durations (inner, close, friends, the rest), not %zu", l.n);
		goto out;
	}
	for (i = 0; i < l.n; i++) {
		if (parse_dur(k, l.v[i], &t[i], err) == -1)
			goto out;
		if (i > 0 && t[i] < t[i - 1]) {
			*err = xasprintf("'%s' is shorter than the %s before it", l.v[i],
					 want == 3 ? "step" : "tier");
			goto out;
		}
	}
	memcpy(tiers, t, want * sizeof(t[0]));
	rc = 0;
out:
	strlist_free(&l);
	return rc;
}

static int
parse_int(const struct ckey *k, const char *val, int *out, char **err)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(val, &end, 10);
	if (!isdigit((unsigned char)val[0]) || *end || errno || v < k->min || v > k->max) {
		if (k->type == T_PORT)
			*err = xasprintf("'%s' is not a port number (1-65535)", val);
		else
			*err = xasprintf("'%s' is not a whole number from %lld to %lld", val,
					 (long long)k->min, (long long)k->max);
		return -1;
	}
	*out = (int)v;
	return 0;
}

static int
parse_bool(const char *val, bool *out, char **err)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (str_ieq(val, yes[i]) || str_ieq(val, no[i])) {
			*out = str_ieq(val, yes[i]);
			return 0;
		}
	}
	*err = xasprintf("'%s' is not a boolean (yes/no, true/false, on/off, 1/0)", val);
	return -1;
}

/* One of `names`, case-insensitive: its index, or -1 with *err. */
static int
parse_enum(const char *val, const char *const *names, size_t n, char **err)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (str_ieq(val, names[i]))
			return (int)i;
	*err = xasprintf("'%s' is not one of: %s%s%s%s%s", val, names[0], n > 1 ? ", " : "",
			 n > 1 ? names[1] : "", n > 2 ? ", " : "", n > 2 ? names[2] : "");
	return -1;
}

static const char *const tls_names[] = { "implicit", "starttls", "none" };
static const char *const auth_names[] = { "login", "plain", "xoauth2" };

static int
parse_quiet(const char *val, struct kith_config *cfg, char **err)
{
	char *copy, *dash;
	int a, b, rc = -1;

	if (str_ieq(val, "none")) {
		cfg->notify.has_quiet = false;
		return 0;
	}
	copy = xstrdup(val);
	dash = strchr(copy, '-');
	if (!dash) {
		*err = xasprintf("'%s' is not a range HH:MM-HH:MM", val);
		goto out;
	}
	*dash = '\0';
	if (parse_clock(str_trim(copy), &a) == -1 || parse_clock(str_trim(dash + 1), &b) == -1) {
		*err = xasprintf("'%s' is not a range HH:MM-HH:MM of clock times", val);
		goto out;
	}
	if (a == b) {
		*err = xasprintf("'%s' starts and ends at the same time", val);
		goto out;
	}
	cfg->notify.has_quiet = true;
	cfg->notify.quiet_start = a;
	cfg->notify.quiet_end = b;
	rc = 0;
out:
	free(copy);
	return rc;
}

static int
check_readable(const char *path, char **err)
{
	struct stat st;
	FILE *f = fopen(path, "r");

	if (!f) {
		*err = xasprintf("cannot read '%s': %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		*err = xasprintf("cannot read '%s': %s", path, strerror(EISDIR));
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

int
config_set_value(const struct ckey *k, void *base, const char *val, char **err)
{
	void *dst = (char *)base + k->off;
	int v;

	switch (k->type) {
	case T_PATH: {
		char *p;

		if (!*val) {
			*err = xstrdup("empty path");
			return -1;
		}
		p = config_expand_path(val);
		if (!p) {
			*err = xasprintf("'%s' names an unknown user", val);
			return -1;
		}
		if (p[0] != '/') {
			*err = xasprintf("'%s' is not an absolute path (start it with / or ~/)", val);
			free(p);
			return -1;
		}
		if ((k->flags & F_READABLE) && check_readable(p, err) == -1) {
			free(p);
			return -1;
		}
		free(*(char **)dst);
		*(char **)dst = p;
		return 0;
	}
	case T_HOST:
		if (strstr(val, "://")) {
			*err = xasprintf("'%s' is a URL; give the host name alone", val);
			return -1;
		}
		/* fall through */
	case T_NAME:
		/* An event's circle is named after the event, which may hold spaces. */
		if (config_has_space(val) && strncmp(val, "event:", 6) != 0) {
			*err = xasprintf("'%s' contains a space", val);
			return -1;
		}
		/* fall through */
	case T_STRING:
		if (!*val) {
			*err = xstrdup("empty value");
			return -1;
		}
		free(*(char **)dst);
		*(char **)dst = xstrdup(val);
		return 0;
	case T_GLOBS:
	case T_LIST:
		return parse_list(val, dst, k->type == T_GLOBS, err);
	case T_FOLDERS: {
		struct kith_account *a = base;

		if (str_ieq(val, "auto")) {
			a->folders_auto = true;
			strlist_free(&a->folders);
			return 0;
		}
		if (parse_list(val, &a->folders, false, err) == -1)
			return -1;
		if (a->folders.n == 0 || strlist_contains(&a->folders, "auto")) {
			*err = xstrdup("either 'auto' or a list of folders");
			return -1;
		}
		a->folders_auto = false;
		return 0;
	}
	case T_DURATION:
		return parse_dur(k, val, dst, err);
	case T_TIERS:
	case T_STEPS:
		return parse_tiers(k, val, dst, err);
	case T_INT:
	case T_PORT:
		return parse_int(k, val, dst, err);
	case T_BOOL:
		return parse_bool(val, dst, err);
	case T_CLOCK:
		if (parse_clock(val, dst) == -1) {
			*err = xasprintf("'%s' is not a clock time HH:MM (00:00 to 23:59)", val);
			return -1;
		}
		return 0;
	case T_QUIET:
		return parse_quiet(val, base, err);
	case T_TLS:
		if ((v = parse_enum(val, tls_names, ARRAY_SIZE(tls_names), err)) == -1)
			return -1;
		*(enum tls_mode *)dst = (enum tls_mode)v;
		return 0;
	case T_AUTH:
		if ((v = parse_enum(val, auth_names, ARRAY_SIZE(auth_names), err)) == -1)
			return -1;
		*(enum auth_mech *)dst = (enum auth_mech)v;
		return 0;
	case T_PASSWORD:
		break;
	}
	*err = xstrdup("passwords never go in the config file; use password_command");
	return -1;
}

void
config_apply_defaults(enum sect s, void *base)
{
	char *err = NULL;
	size_t i;

	for (i = 0; i < NKEYS; i++) {
		if (config_table[i].sect != s || !config_table[i].pub.def || (config_table[i].flags & F_DEFDOC))
			continue;
		if (config_set_value(&config_table[i], base, config_table[i].pub.def, &err) == -1)
			fatalx("default of %s.%s does not parse: %s", config_table[i].pub.section,
			       config_table[i].pub.name, err);
	}
}
