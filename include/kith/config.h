/* config.h - the configuration file: one table of keys, loaded with inih. */
#ifndef KITH_CONFIG_H
#define KITH_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kith/util.h"

#define EX_CONFIG_ERROR 78	/* sysexits' EX_CONFIG */

/* A list of strings, each owned by the list.  Zero-initialise before use. */
struct strlist {
	char **v;
	size_t n;
};
void strlist_add(struct strlist *l, const char *s);	/* adds a copy of s */
void strlist_free(struct strlist *l);			/* frees the items; l is empty again */
bool strlist_contains(const struct strlist *l, const char *s);	/* exact match */

enum tls_mode { TLS_IMPLICIT, TLS_STARTTLS, TLS_NONE };
enum auth_mech { AUTH_LOGIN, AUTH_PLAIN, AUTH_XOAUTH2 };

struct kith_account {
	char *name;
	char *host;
	int port;			/* defaulted from tls: 993 implicit, 143 otherwise */
	enum tls_mode tls;
	char *ca_file;			/* NULL: system trust store only */
	char *user;
	enum auth_mech auth;
	char *password_command;
	bool folders_auto;		/* folders = auto */
	struct strlist folders;		/* explicit list when !folders_auto */
	struct strlist exclude;
	bool idle;
	int64_t poll_interval;		/* seconds */
	int line;			/* line of the [account] header */
};

struct kith_circle {
	char *name;
	int64_t cadence;		/* seconds; 0 when not set */
	struct strlist members;		/* addresses or globs */
	bool focus;
};

struct kith_goal {
	char *name;
	char *circle;
	int per_week;
};

struct kith_config {
	char *path;			/* the file read; NULL when none exists */
	char *database;			/* expanded path */
	struct strlist me;		/* the user's addresses, globs allowed */
	int64_t default_cadence;	/* seconds */
	int max_recipients;
	int64_t tier_cadence[4];	/* inner, close, friends, rest; seconds */
	int64_t seed_days;		/* a new tie is nursed this long; seconds */
	int64_t seed_steps[3];		/* follow-ups after the 1st, 2nd, 3rd+ contact day */
	int64_t seed_lost;		/* a new tie left this long is lost */

	struct kith_account *accounts;
	size_t naccounts;

	struct {
		bool enabled;
		int digest_time;	/* minutes after local midnight */
		bool has_quiet;
		int quiet_start;	/* minutes; the range may wrap midnight */
		int quiet_end;
		int max_per_day;
	} notify;

	struct kith_circle *circles;
	size_t ncircles;
	struct kith_goal *goals;
	size_t ngoals;

	struct strlist ignore;		/* [ignore] addresses */
};

/*
 * Find and load the configuration.  The file is `path` when given, else
 * $KITH_CONFIG, else $XDG_CONFIG_HOME/kith/config (~/.config/kith/config).
 * A missing file is an error only when it was named explicitly (path or
 * $KITH_CONFIG); otherwise the defaults are used and (*out)->path is NULL.
 *
 * Every problem found is appended to `errors` as one line ending in '\n',
 * "FILE:LINE: [SECTION] KEY: what is wrong", in line order (with `errors`
 * NULL they are logged instead), and the call returns -1 with *out NULL;
 * the caller exits with EX_CONFIG_ERROR.  On success returns 0 and *out is
 * the caller's, to free with config_free().
 */
int config_load(const char *path, struct kith_config **out, struct strbuf *errors);
void config_free(struct kith_config *cfg);

/*
 * Expand a leading "~" or "~/" with $HOME (the password database when HOME
 * is unset) and "~user/" with that user's home.  Returns a new string (free
 * it), or NULL when "~user" names no user.
 */
char *config_expand_path(const char *path);

/* Shell-style glob match of an address against a pattern, case-insensitive. */
bool config_addr_match(const char *pattern, const char *addr);

/* The circle named `name` (case-insensitive), or NULL.  Points into cfg. */
const struct kith_circle *config_circle(const struct kith_config *cfg, const char *name);

/* One key of the table every part of the configuration comes from. */
struct config_key {
	const char *section;	/* "kith", "account", "notify", "circle", "goal", "ignore" */
	const char *name;
	const char *type;	/* for people: "duration", "boolean", ... */
	const char *def;	/* the default as written in the file, or NULL for none */
	const char *doc;	/* one line */
};

/* The i-th key of the table, NULL past the last one.  Static storage. */
const struct config_key *config_key_at(size_t i);

#endif
