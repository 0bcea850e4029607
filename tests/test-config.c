/* test-config.c - the configuration file: every key, every kind of mistake, the search order. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kith/config.h"
#include "kith/util.h"
#include "tap.h"

static char tmpdir[] = "/tmp/kith-test-config-XXXXXX";

/* Write `text` to tmpdir/name; returns the path (free it). */
static char *
write_file(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) == EOF || fclose(f) == EOF) {
		printf("Bail out! cannot write '%s': %s\n", path, strerror(errno));
		exit(1);
	}
	return path;
}

/* Load `text` as an explicitly named file; errors land in *errs. */
static int
load_text(const char *text, struct kith_config **cfg, struct strbuf *errs, char **path)
{
	*path = write_file("config", text);
	sb_reset(errs);
	return config_load(*path, cfg, errs);
}

/* The errors contain the line "PATH:LINE: rest". */
static bool
has_error(const struct strbuf *errs, const char *path, int line, const char *rest)
{
	char *want = xasprintf("\n%s:%d: %s\n", path, line, rest), *all;
	bool found;

	all = xasprintf("\n%s", errs->buf ? errs->buf : "");
	found = strstr(all, want) != NULL;
	if (!found)
		printf("#   no line '%s:%d: %s' in:\n%s", path, line, rest, errs->buf ? errs->buf : "");
	free(want);
	free(all);
	return found;
}

static size_t
count_lines(const struct strbuf *sb)
{
	size_t n = 0, i;

	for (i = 0; i < sb->len; i++)
		n += sb->buf[i] == '\n';
	return n;
}

static void
test_defaults(void)
{
	struct kith_config *cfg = NULL;
	struct strbuf errs = { 0 };
	char *path, *want;

	is_int(load_text("; nothing but a comment\n", &cfg, &errs, &path), 0, "an empty file loads");
	if (!cfg)
		goto out;
	is_str(cfg->path, path, "path is the file read");
	want = xasprintf("%s/data/kith/kith.db", tmpdir);
	is_str(cfg->database, want, "database defaults to $XDG_DATA_HOME/kith/kith.db");
	free(want);
	is_int(cfg->me.n, 0, "me defaults to none");
	is_int(cfg->default_cadence, 90 * DAY_SECS, "default_cadence defaults to 90d");
	is_int(cfg->max_recipients, 10, "max_recipients defaults to 10");
	ok(cfg->tier_cadence[0] == 14 * DAY_SECS && cfg->tier_cadence[1] == 30 * DAY_SECS &&
	   cfg->tier_cadence[2] == 90 * DAY_SECS && cfg->tier_cadence[3] == 365 * DAY_SECS,
	   "tiers default to 14d, 30d, 90d, 365d");
	is_int(cfg->naccounts, 0, "no accounts");
	ok(cfg->notify.enabled, "notify enabled defaults to yes");
	is_int(cfg->notify.digest_time, 9 * 60 + 30, "digest_time defaults to 09:30");
	ok(!cfg->notify.has_quiet, "no quiet hours by default");
	is_int(cfg->notify.max_per_day, 3, "max_per_day defaults to 3");
	is_int(cfg->ncircles + cfg->ngoals + cfg->ignore.n, 0, "no circles, goals, ignores");
	config_free(cfg);
	free(path);

	/* An account's own defaults. */
	is_int(load_text("[account a]\nhost = imap.example.org\nuser = ana\npassword_command = pass a\n",
			 &cfg, &errs, &path), 0, "a minimal account loads");
	if (cfg && cfg->naccounts == 1) {
		const struct kith_account *a = &cfg->accounts[0];

		is_str(a->name, "a", "account name");
		is_int(a->line, 1, "account header line");
		is_int(a->port, 993, "port defaults to 993");
		is_int(a->tls, TLS_IMPLICIT, "tls defaults to implicit");
		ok(a->ca_file == NULL, "no ca_file by default");
		is_int(a->auth, AUTH_LOGIN, "auth defaults to login");
		ok(a->folders_auto && a->folders.n == 0, "folders default to auto");
		is_int(a->exclude.n, 0, "exclude defaults to empty");
		ok(a->idle, "idle defaults to yes");
		is_int(a->poll_interval, 15 * 60, "poll_interval defaults to 15min");
	}
out:
	config_free(cfg);
	sb_free(&errs);
	free(path);
}

static const char full[] =
	"\xef\xbb\xbf# every key, set\n"
	"[kith]\n"
	"database = ~/db/kith.db\n"
	"me = ana@example.org, *@ana.example ; inline comment\n"
	"default_cadence = 2w\n"
	"max_recipients = 25\n"
	"tiers = 7d, 2w, 60d, 1y\n"
	"\n"
	"[account personal]\r\n"
	"  host = imap.example.org\n"
	"\tport = 1993\n"
	"tls = STARTTLS\n"
	"ca_file = %s/ca.pem\n"
	"user = ana@example.org\n"
	"auth = xoauth2\n"
	"password_command = oauth2-token --account personal | head -1\n"
	"folders = INBOX, Sent Items , Archive\n"
	"exclude = Spam,Trash\n"
	"idle = off\n"
	"poll_interval = 5m\n"
	"[account local]\n"
	"host = 127.0.0.1\n"
	"tls = none\n"
	"user = test\n"
	"auth = plain\n"
	"password_command = echo secret\n"
	"[notify]\n"
	"enabled = false\n"
	"digest_time = 18:05\n"
	"quiet_hours = 22:00-07:30\n"
	"max_per_day = 7\n"
	"[circle investors]\n"
	"cadence = 1m\n"
	"members = *@fund.example, bob@angel.example\n"
	"focus = yes\n"
	"[circle Alumni]\n"
	"[goal seed-round]\n"
	"circle = INVESTORS\n"
	"per_week = 3\n"
	"[ignore]\n"
	"addresses = *@github.com, billing@*, *noreply*\n";

static void
test_every_key(void)
{
	struct kith_config *cfg = NULL;
	struct strbuf errs = { 0 };
	char *ca = write_file("ca.pem", "-----BEGIN CERTIFICATE-----\n"), *text, *path, *want;
	const struct kith_account *a;

	text = xasprintf(full, tmpdir);
	if (!ok(load_text(text, &cfg, &errs, &path) == 0 && cfg, "a file setting every key loads")) {
		printf("# %s", errs.buf);
		goto out;
	}
	want = xasprintf("%s/db/kith.db", getenv("HOME"));
	is_str(cfg->database, want, "database: ~ expanded");
	free(want);
	ok(cfg->me.n == 2 && strcmp(cfg->me.v[0], "ana@example.org") == 0 &&
	   strcmp(cfg->me.v[1], "*@ana.example") == 0, "me: a trimmed list, inline comment dropped");
	is_int(cfg->default_cadence, 14 * DAY_SECS, "default_cadence");
	is_int(cfg->max_recipients, 25, "max_recipients");
	ok(cfg->tier_cadence[0] == 7 * DAY_SECS && cfg->tier_cadence[1] == 14 * DAY_SECS &&
	   cfg->tier_cadence[2] == 60 * DAY_SECS && cfg->tier_cadence[3] == 365 * DAY_SECS, "tiers");
	if (!ok(cfg->naccounts == 2, "two accounts"))
		goto out;
	a = &cfg->accounts[0];
	is_str(a->name, "personal", "account name");
	is_int(a->line, 9, "account header line");
	is_str(a->host, "imap.example.org", "host (indented line)");
	is_int(a->port, 1993, "port");
	is_int(a->tls, TLS_STARTTLS, "tls, case-insensitive");
	want = xasprintf("%s/ca.pem", tmpdir);
	is_str(a->ca_file, want, "ca_file");
	free(want);
	is_str(a->user, "ana@example.org", "user");
	is_int(a->auth, AUTH_XOAUTH2, "auth");
	is_str(a->password_command, "oauth2-token --account personal | head -1", "password_command");
	ok(!a->folders_auto && a->folders.n == 3 && strcmp(a->folders.v[1], "Sent Items") == 0,
	   "folders: an explicit list");
	ok(a->exclude.n == 2 && strcmp(a->exclude.v[0], "Spam") == 0 && strcmp(a->exclude.v[1], "Trash") == 0,
	   "exclude");
	ok(!a->idle, "idle");
	is_int(a->poll_interval, 300, "poll_interval");
	a = &cfg->accounts[1];
	ok(a->tls == TLS_NONE && a->port == 143, "tls = none on loopback, port 143");
	is_int(a->auth, AUTH_PLAIN, "auth plain");
	ok(!cfg->notify.enabled, "notify enabled");
	is_int(cfg->notify.digest_time, 18 * 60 + 5, "digest_time");
	ok(cfg->notify.has_quiet && cfg->notify.quiet_start == 22 * 60 && cfg->notify.quiet_end == 7 * 60 + 30,
	   "quiet_hours wrapping midnight");
	is_int(cfg->notify.max_per_day, 7, "max_per_day");
	if (ok(cfg->ncircles == 2, "two circles")) {
		is_int(cfg->circles[0].cadence, 30 * DAY_SECS, "circle cadence");
		ok(cfg->circles[0].members.n == 2, "circle members");
		ok(cfg->circles[0].focus, "circle focus");
		ok(cfg->circles[1].cadence == 0 && !cfg->circles[1].focus && cfg->circles[1].members.n == 0,
		   "a circle with no keys has no cadence, no focus, no members");
	}
	ok(config_circle(cfg, "alumni") == &cfg->circles[1], "config_circle is case-insensitive");
	ok(config_circle(cfg, "nope") == NULL, "config_circle: unknown circle");
	if (ok(cfg->ngoals == 1, "one goal")) {
		is_str(cfg->goals[0].circle, "INVESTORS", "goal circle, found case-insensitively");
		is_int(cfg->goals[0].per_week, 3, "goal per_week");
	}
	ok(cfg->ignore.n == 3 && strcmp(cfg->ignore.v[2], "*noreply*") == 0, "ignore addresses");
out:
	config_free(cfg);
	sb_free(&errs);
	free(text);
	free(path);
	free(ca);
}

static void
test_ports_and_loopback(void)
{
	static const struct {
		const char *host, *tls;
		int port;
	} cases[] = {
		{ "imap.example.org", "implicit", 993 }, { "imap.example.org", "starttls", 143 },
		{ "localhost", "none", 143 }, { "127.1.2.3", "none", 143 }, { "::1", "none", 143 },
		{ "LOCALHOST", "none", 143 },
	};
	struct kith_config *cfg = NULL;
	struct strbuf errs = { 0 };
	char *text, *path;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		text = xasprintf("[account a]\nhost = %s\ntls = %s\nuser = u\npassword_command = x\n",
				 cases[i].host, cases[i].tls);
		ok(load_text(text, &cfg, &errs, &path) == 0 && cfg && cfg->accounts[0].port == cases[i].port,
		   "host %s with tls = %s: port %d", cases[i].host, cases[i].tls, cases[i].port);
		config_free(cfg);
		free(text);
		free(path);
	}
	sb_free(&errs);
}

/* One file with a mistake of every kind: all are reported, in line order. */
static const char broken[] =
	"database = /x.db\n"					/* 1 outside any section */
	"[kith]\n"						/* 2 */
	"default_cadence = 10x\n"				/* 3 */
	"max_recipients = 0\n"					/* 4 */
	"tiers = 14d, 30d\n"					/* 5 */
	"mee = a@b.c\n"						/* 6 */
	"me = a@b.c, , d@e.f\n"					/* 7 */
	"[acount x]\n"						/* 8 */
	"host = ignored\n"					/* 9 */
	"[account]\n"						/* 10 */
	"[account a]\n"						/* 11 */
	"host = imap.example.org\n"				/* 12 */
	"port = 70000\n"					/* 13 */
	"tls = none\n"						/* 14 */
	"password = hunter2\n"					/* 15 */
	"user = ana\n"						/* 16 */
	"user = ana\n"						/* 17 */
	"auth = kerberos\n"					/* 18 */
	"ca_file = %s/missing.pem\n"				/* 19 */
	"idle = maybe\n"					/* 20 */
	"password_command = pass a\n"				/* 21 */
	"[account a]\n"						/* 22 */
	"[account b]\n"						/* 23 */
	"tls = sometimes\n"					/* 24 */
	"[account c]\n"						/* 25 */
	"host = imap.example.org\n"				/* 26 */
	"user = c\n"						/* 27 */
	"auth = xoauth2\n"					/* 28 */
	"[notify]\n"						/* 29 */
	"digest_time = 25:00\n"					/* 30 */
	"quiet_hours = late\n"					/* 31 */
	"[circle vc]\n"						/* 32 */
	"cadence = often\n"					/* 33 */
	"members = not an address\n"				/* 34 */
	"[goal g]\n"						/* 35 */
	"circle = nosuch\n"					/* 36 */
	"[goal h]\n"						/* 37 */
	"circle = vc\n"						/* 38 */
	"this line has no equals sign\n"			/* 39 */
	"[ignore\n"						/* 40 */
	"[kith]\n"						/* 41 */
	"[notify extra]\n"					/* 42 */
	"[circle two words]\n";					/* 43 */

static void
test_errors(void)
{
	static struct kith_config sentinel;
	struct kith_config *cfg = &sentinel;
	struct strbuf errs = { 0 };
	char *text = xasprintf(broken, tmpdir), *path, *ca, *msg;
	size_t i;
	int last = 0, line;

	is_int(load_text(text, &cfg, &errs, &path), -1, "a broken file is refused");
	ok(cfg == NULL, "and *out is NULL");
	ok(has_error(&errs, path, 1, "database: outside any section; put it under [kith] or the section it belongs to"),
	   "a key outside any section");
	ok(has_error(&errs, path, 3, "[kith] default_cadence: '10x' is not a duration (like 3d, 2w, 6m, 1y)"),
	   "bad duration");
	ok(has_error(&errs, path, 4, "[kith] max_recipients: '0' is not a whole number from 1 to 1000"),
	   "integer out of range");
	ok(has_error(&errs, path, 5, "[kith] tiers: needs 4 durations (inner, close, friends, the rest), not 2"),
	   "tiers needs four durations");
	ok(has_error(&errs, path, 6, "[kith] mee: unknown key; did you mean 'me'?"), "unknown key, with a suggestion");
	ok(has_error(&errs, path, 7, "[kith] me: empty item in the list (a stray comma?)"), "empty list item");
	ok(has_error(&errs, path, 8, "[acount x]: unknown section kind 'acount' (known: kith, account, notify, "
		     "circle, goal, ignore)"), "unknown section kind");
	ok(!strstr(errs.buf, ":9:"), "keys of an unknown section are not reported one by one");
	ok(has_error(&errs, path, 10, "[account]: needs a name, like [account personal]"), "[account] without a name");
	ok(has_error(&errs, path, 13, "[account a] port: '70000' is not a port number (1-65535)"), "bad port");
	ok(has_error(&errs, path, 14, "[account a] tls: 'none' would send the password in clear to "
		     "'imap.example.org'; it is only allowed for a loopback host"), "tls = none on a remote host");
	ok(has_error(&errs, path, 15, "[account a] password: passwords never go in the config file; use password_command"),
	   "a password in the file");
	ok(!strstr(errs.buf, "hunter2"), "the password is not repeated");
	ok(has_error(&errs, path, 17, "[account a] user: set twice (first at line 16)"), "duplicate key");
	ok(has_error(&errs, path, 18, "[account a] auth: 'kerberos' is not one of: login, plain, xoauth2"), "bad auth");
	msg = xasprintf("[account a] ca_file: cannot read '%s/missing.pem': No such file or directory", tmpdir);
	ok(has_error(&errs, path, 19, msg), "unreadable ca_file, named, with the reason");
	free(msg);
	ok(has_error(&errs, path, 20, "[account a] idle: 'maybe' is not a boolean (yes/no, true/false, on/off, 1/0)"),
	   "bad boolean");
	ok(has_error(&errs, path, 22, "[account a]: duplicate section name, first used at line 11"),
	   "two accounts with one name");
	ok(has_error(&errs, path, 23, "[account b] host: missing (required)"), "missing host");
	ok(has_error(&errs, path, 23, "[account b] user: missing (required)"), "missing user");
	ok(has_error(&errs, path, 23, "[account b] password_command: missing (required)"), "missing password_command");
	ok(has_error(&errs, path, 24, "[account b] tls: 'sometimes' is not one of: implicit, starttls, none"), "bad tls");
	ok(has_error(&errs, path, 25, "[account c] password_command: missing; auth = xoauth2 needs a command "
		     "that prints the access token"), "xoauth2 without password_command");
	ok(has_error(&errs, path, 30, "[notify] digest_time: '25:00' is not a clock time HH:MM (00:00 to 23:59)"),
	   "bad clock time");
	ok(has_error(&errs, path, 31, "[notify] quiet_hours: 'late' is not a range HH:MM-HH:MM"),
	   "quiet hours that do not parse");
	ok(has_error(&errs, path, 33, "[circle vc] cadence: 'often' is not a duration (like 3d, 2w, 6m, 1y)"),
	   "a circle whose cadence does not parse");
	ok(has_error(&errs, path, 34, "[circle vc] members: 'not an address' is not an address or address pattern"),
	   "a member that is no address");
	ok(has_error(&errs, path, 36, "[goal g] circle: no [circle nosuch] is defined"), "a goal naming an unknown circle");
	ok(has_error(&errs, path, 35, "[goal g] per_week: missing (required)"), "a goal without per_week");
	ok(has_error(&errs, path, 39, "cannot parse this line; expected 'key = value', '[section]' or a comment"),
	   "a line inih cannot parse");
	ok(has_error(&errs, path, 40, "section header lacks its closing ']'"), "a header without ']'");
	ok(has_error(&errs, path, 41, "[kith]: appears twice (first at line 2); merge them"), "[kith] twice");
	ok(has_error(&errs, path, 42, "[notify extra]: takes no name; write [notify]"), "a name where none belongs");
	ok(has_error(&errs, path, 43, "[circle two words]: a name is one word, without spaces or commas"),
	   "a name with a space");
	is_int(count_lines(&errs), 33, "every error is reported, one line each");
	for (i = 0; errs.buf && i < errs.len; i = (size_t)(strchr(errs.buf + i, '\n') - errs.buf) + 1) {
		if (sscanf(errs.buf + i + strlen(path), ":%d:", &line) != 1 || line < last)
			break;
		last = line;
	}
	is_int(i, errs.len, "errors are in line order");
	free(path);

	/* Value checks that do not fit in one file with the rest. */
	static const struct {
		const char *text, *error;
	} more[] = {
		{ "[kith]\ndatabase = relative/kith.db\n",
		  ":2: [kith] database: 'relative/kith.db' is not an absolute path (start it with / or ~/)" },
		{ "[kith]\ntiers = 30d, 14d, 90d, 1y\n", ":2: [kith] tiers: '14d' is shorter than the tier before it" },
		{ "[kith]\ndefault_cadence = 12h\n", ":2: [kith] default_cadence: '12h' is out of range (1d to 10y)" },
		{ "[account a]\nhost = imaps://x.example\nuser = u\npassword_command = p\n",
		  ":2: [account a] host: 'imaps://x.example' is a URL; give the host name alone" },
		{ "[account a]\nhost = h\nuser = u\npassword_command = p\nfolders = auto, INBOX\n",
		  ":5: [account a] folders: either 'auto' or a list of folders" },
		{ "[account a]\nhost = h\nuser = u\npassword_command = p\nport = 99x\n",
		  ":5: [account a] port: '99x' is not a port number (1-65535)" },
		{ "[account a]\nhost = h\nuser = u\npassword_command = p\npoll_interval = 1s\n",
		  ":5: [account a] poll_interval: '1s' is out of range (2s to 1d)" },
		{ "[account a]\nhost = 10.0.0.1\ntls = none\nuser = u\npassword_command = p\n",
		  ":3: [account a] tls: 'none' would send the password in clear to '10.0.0.1'; "
		  "it is only allowed for a loopback host" },
		{ "[notify]\nquiet_hours = 08:00-08:00\n", ":2: [notify] quiet_hours: '08:00-08:00' starts and ends at the same time" },
		{ "[notify]\nquiet_hours = 08:00-18:00\n",
		  ":2: [notify] quiet_hours: digest_time 09:30 falls inside them; the digest would never be shown" },
		{ "[notify]\nmax_per_day = -1\n", ":2: [notify] max_per_day: '-1' is not a whole number from 1 to 50" },
		{ "[ignore]\naddresses = [abc@x\n", ":2: [ignore] addresses: '[abc@x' has a '[' without its ']'" },
		{ "[goal g]\nper_week = 2\n", ":1: [goal g] circle: missing (required)" },
		{ "[circle a]\n[circle A]\n", ":2: [circle A]: duplicate section name" },
		{ "[kith] junk\n", ":1: unexpected text after ']'" },
		{ "[kith]\n= 3\n", ":2: [kith]: a key name is missing before '='" },
		{ "[kith]\nmax_recipients = 1\0 0\n", ":2: line contains a NUL byte" },
		{ "[kith]\nmax_recipients = 1\nMax_Recipients = 2\n",
		  ":3: [kith] Max_Recipients: unknown key; did you mean 'max_recipients'?" },
		{ "[kith]\nzzzzzzzz = 1\n", ":2: [kith] zzzzzzzz: unknown key (see kith.conf(5))" },
	};
	for (i = 0; i < ARRAY_SIZE(more); i++) {
		FILE *f;

		path = xasprintf("%s/more", tmpdir);
		f = fopen(path, "w");
		/* Written with its length: one case holds a NUL byte. */
		fwrite(more[i].text, 1, strlen(more[i].text) + (strstr(more[i].error, "NUL") ? 4 : 0), f);
		fclose(f);
		sb_reset(&errs);
		msg = xasprintf("%s%s\n", path, more[i].error);
		ok(config_load(path, &cfg, &errs) == -1 && errs.buf && strcmp(errs.buf, msg) == 0,
		   "error: %s", more[i].error + 4);
		if (!errs.buf || strcmp(errs.buf, msg) != 0)
			printf("#   got: %s", errs.buf ? errs.buf : "nothing\n");
		free(msg);
		free(path);
	}

	/* A line longer than inih's buffer is refused, not cut short. */
	{
		struct strbuf big = { 0 };

		sb_adds(&big, "[kith]\nme = ");
		for (i = 0; i < 1000; i++)
			sb_adds(&big, "someone@example.org, ");
		sb_adds(&big, "last@example.org\n");
		ok(load_text(big.buf, &cfg, &errs, &path) == -1 && strstr(errs.buf, ":2: line too long"),
		   "an overlong line is an error");
		free(path);
		sb_free(&big);
	}

	/* The file itself unreadable. */
	ca = xasprintf("%s/adir", tmpdir);
	mkdir(ca, 0700);
	sb_reset(&errs);
	msg = xasprintf("cannot read '%s': Is a directory\n", ca);
	ok(config_load(ca, &cfg, &errs) == -1 && errs.buf && strcmp(errs.buf, msg) == 0, "a directory as config file");
	free(msg);
	free(ca);
	if (geteuid() != 0) {
		path = write_file("secret", "[kith]\n");
		chmod(path, 0);
		sb_reset(&errs);
		msg = xasprintf("cannot read '%s': Permission denied\n", path);
		ok(config_load(path, &cfg, &errs) == -1 && errs.buf && strcmp(errs.buf, msg) == 0, "an unreadable file");
		free(msg);
		free(path);
	} else {
		ok(1, "# SKIP root reads every file");
	}
	sb_free(&errs);
	free(text);
}

static void
test_search_order(void)
{
	struct kith_config *cfg = NULL;
	struct strbuf errs = { 0 };
	char *xdg, *env, *arg, *home, *msg;

	xdg = xasprintf("%s/xdg", tmpdir);
	setenv("XDG_CONFIG_HOME", xdg, 1);
	unsetenv("KITH_CONFIG");
	ok(config_load(NULL, &cfg, &errs) == 0 && cfg && cfg->path == NULL, "no file anywhere: defaults, path NULL");
	config_free(cfg);

	free(xdg);
	mkdir(xdg = xasprintf("%s/xdg", tmpdir), 0700);
	free(xdg);
	mkdir(xdg = xasprintf("%s/xdg/kith", tmpdir), 0700);
	free(xdg);
	xdg = write_file("xdg/kith/config", "[kith]\nmax_recipients = 11\n");
	env = write_file("env", "[kith]\nmax_recipients = 12\n");
	arg = write_file("arg", "[kith]\nmax_recipients = 13\n");

	ok(config_load(NULL, &cfg, &errs) == 0 && cfg->max_recipients == 11, "$XDG_CONFIG_HOME/kith/config");
	is_str(cfg ? cfg->path : NULL, xdg, "path names it");
	config_free(cfg);
	setenv("KITH_CONFIG", env, 1);
	ok(config_load(NULL, &cfg, &errs) == 0 && cfg->max_recipients == 12, "$KITH_CONFIG comes before XDG");
	config_free(cfg);
	ok(config_load(arg, &cfg, &errs) == 0 && cfg->max_recipients == 13, "an explicit path comes first");
	config_free(cfg);
	setenv("KITH_CONFIG", "", 1);
	ok(config_load(NULL, &cfg, &errs) == 0 && cfg->max_recipients == 11, "an empty $KITH_CONFIG is unset");
	config_free(cfg);

	/* Without XDG_CONFIG_HOME: ~/.config/kith/config. */
	unsetenv("KITH_CONFIG");
	unsetenv("XDG_CONFIG_HOME");
	free(xdg);
	mkdir(xdg = xasprintf("%s/.config", getenv("HOME")), 0700);
	free(xdg);
	mkdir(xdg = xasprintf("%s/.config/kith", getenv("HOME")), 0700);
	free(xdg);
	home = xasprintf("%s/.config/kith/config", getenv("HOME"));
	xdg = write_file("home/.config/kith/config", "[kith]\nmax_recipients = 14\n");
	ok(config_load(NULL, &cfg, &errs) == 0 && cfg->max_recipients == 14 && strcmp(cfg->path, home) == 0,
	   "~/.config/kith/config without XDG_CONFIG_HOME");
	config_free(cfg);

	/* Named files must exist; the default location need not. */
	sb_reset(&errs);
	setenv("KITH_CONFIG", "/nonexistent/kith.conf", 1);
	ok(config_load(NULL, &cfg, &errs) == -1 && errs.buf &&
	   strcmp(errs.buf, "cannot read '/nonexistent/kith.conf' (named by $KITH_CONFIG): "
		  "No such file or directory\n") == 0, "a missing $KITH_CONFIG file is an error");
	sb_reset(&errs);
	msg = xasprintf("cannot read '%s/nope': No such file or directory\n", tmpdir);
	free(arg);
	arg = xasprintf("%s/nope", tmpdir);
	ok(config_load(arg, &cfg, &errs) == -1 && errs.buf && strcmp(errs.buf, msg) == 0,
	   "a missing explicit file is an error");
	free(msg);
	unsetenv("KITH_CONFIG");
	setenv("XDG_CONFIG_HOME", tmpdir, 1);
	sb_free(&errs);
	free(xdg);
	free(env);
	free(arg);
	free(home);
}

static void
test_paths_and_globs(void)
{
	char *p, *want;

	p = config_expand_path("~/a/b");
	want = xasprintf("%s/a/b", getenv("HOME"));
	is_str(p, want, "~/ is $HOME");
	free(p);
	free(want);
	p = config_expand_path("~");
	is_str(p, getenv("HOME"), "~ alone is $HOME");
	free(p);
	p = config_expand_path("/abs/~x");
	is_str(p, "/abs/~x", "a path without a leading ~ is unchanged");
	free(p);
	p = config_expand_path("rel");
	is_str(p, "rel", "a relative path is unchanged");
	free(p);
	p = config_expand_path("~root/x");
	is_str(p, "/root/x", "~user/ is that user's home");
	free(p);
	ok(config_expand_path("~no-such-user-here/x") == NULL, "~unknown is NULL");

	ok(config_addr_match("*@fund.example", "bob@fund.example"), "glob: domain");
	ok(config_addr_match("*@Fund.Example", "BOB@fund.EXAMPLE"), "glob: case-insensitive");
	ok(!config_addr_match("*@fund.example", "bob@fund.example.com"), "glob: anchored at the end");
	ok(!config_addr_match("*@fund.example", "bob@subfund.example"), "glob: not a suffix match");
	ok(config_addr_match("billing@*", "billing@shop.example"), "glob: local part");
	ok(config_addr_match("*noreply*", "noreply@x.example"), "glob: anywhere");
	ok(config_addr_match("[ab]ob@x", "Bob@x") && !config_addr_match("[ab]ob@x", "cob@x"), "glob: classes");
	ok(config_addr_match("ana@example.org", "Ana@Example.org"), "a plain address matches itself, any case");
	ok(!config_addr_match("ana@example.org", "anna@example.org"), "and nothing else");
}

static void
test_strlist(void)
{
	struct strlist l = { 0 };

	strlist_add(&l, "INBOX");
	strlist_add(&l, "Sent");
	ok(l.n == 2 && strlist_contains(&l, "Sent") && !strlist_contains(&l, "sent"), "strlist: exact contains");
	strlist_free(&l);
	ok(l.n == 0 && l.v == NULL && !strlist_contains(&l, "Sent"), "strlist_free empties the list");
}

/*
 * kith.conf(5) documents every key of the table, in its section, with its
 * type and default; and documents no key the table lacks.
 */
static void
test_man_page(void)
{
	const char *srcdir = getenv("KITH_SRCDIR");
	char *path = xasprintf("%s/man/kith.conf.5", srcdir ? srcdir : ".");
	FILE *f = fopen(path, "r");
	struct strbuf entry = { 0 };
	char *line = NULL, section[32] = "", name[64] = "", *doc[64] = { 0 }, *sect[64] = { 0 }, *r, *w;
	const struct config_key *k;
	size_t cap = 0, n = 0, i, j;
	bool after_tp = false, found;

	if (!ok(f != NULL, "the man page '%s' is readable", path))
		goto out;
	/* Gather entries ".TP / .B key / text" as "section.key" -> text. */
	for (;;) {
		bool eof = getline(&line, &cap, f) < 0;

		if (eof || str_has_prefix(line, ".TP") || str_has_prefix(line, ".SH") || str_has_prefix(line, ".SS")) {
			if (*name && *section && n < ARRAY_SIZE(doc)) {
				sect[n] = xasprintf("%s.%s", section, name);
				doc[n++] = sb_detach(&entry);
			}
			*name = '\0';
			sb_reset(&entry);
		}
		if (eof)
			break;
		if (str_has_prefix(line, ".SH")) {
			*section = '\0';
			sscanf(line, ".SH \"THE [%31[a-z]", section);
		}
		if (after_tp && sscanf(line, ".B %63s", name) != 1)
			*name = '\0';
		after_tp = str_has_prefix(line, ".TP");
		/* Undo roff's escaped hyphens so the text compares with the table. */
		for (r = w = line; *r; r++)
			if (!(r[0] == '\\' && r[1] == '-'))
				*w++ = *r;
		*w = '\0';
		sb_adds(&entry, line);
	}
	for (i = 0; (k = config_key_at(i)); i++) {
		char *key = xasprintf("%s.%s", k->section, k->name), *type, *def;

		found = false;
		for (j = 0; j < n && !found; j++) {
			if (strcmp(sect[j], key) != 0)
				continue;
			type = xasprintf("Type: %s", k->type);
			def = xasprintf("Default: %s", k->def ? k->def : "none");
			found = strstr(doc[j], type) && strstr(doc[j], def);
			if (!found)
				printf("#   want '%s' and '%s' in:\n%s", type, def, doc[j]);
			free(type);
			free(def);
		}
		ok(found, "kith.conf(5) documents [%s] %s with its type and default", k->section, k->name);
		free(key);
	}
	for (j = 0; j < n; j++) {
		found = false;
		for (i = 0; (k = config_key_at(i)) && !found; i++) {
			char *key = xasprintf("%s.%s", k->section, k->name);

			found = strcmp(sect[j], key) == 0;
			free(key);
		}
		ok(found, "kith.conf(5) documents %s, which the table has", sect[j]);
	}
out:
	for (j = 0; j < n; j++) {
		free(sect[j]);
		free(doc[j]);
	}
	if (f)
		fclose(f);
	free(line);
	sb_free(&entry);
	free(path);
}

int
main(void)
{
	char *dir;

	if (!mkdtemp(tmpdir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	/* A private home and XDG dirs: no real configuration leaks in. */
	dir = xasprintf("%s/home", tmpdir);
	mkdir(dir, 0700);
	setenv("HOME", dir, 1);
	free(dir);
	dir = xasprintf("%s/data", tmpdir);
	setenv("XDG_DATA_HOME", dir, 1);
	free(dir);
	setenv("XDG_CONFIG_HOME", tmpdir, 1);
	unsetenv("KITH_CONFIG");

	test_defaults();
	test_every_key();
	test_ports_and_loopback();
	test_errors();
	test_search_order();
	test_paths_and_globs();
	test_strlist();
	test_man_page();

	dir = xasprintf("rm -rf '%s'", tmpdir);
	if (system(dir) != 0)
		printf("# could not remove %s\n", tmpdir);
	free(dir);
	return done_testing();
}
