/* status.h - what `kith status` reports: accounts, folders, totals, the daemon. */
#ifndef KITH_STATUS_H
#define KITH_STATUS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct store;

struct status_account {
	char *name;
	int64_t last_sync;		/* last successful sync, 0 never */
	int64_t last_attempt;		/* 0 never */
	char *last_error;		/* NULL after a successful sync */
};

struct status_folder {
	char *account;
	char *name;			/* as the server spells it */
	char *role;			/* "inbox", "sent", ... or NULL */
	uint32_t uidvalidity;
	uint32_t last_uid;
	uint64_t highestmodseq;
	int64_t last_sync;		/* 0 never */
	int64_t messages;		/* messages stored from this folder */
};

/* One of the user's own addresses. */
struct status_me {
	char *addr;			/* as configured (a glob), or normalised when learned */
	char *learned_from;		/* "account/folder" it was learned from; NULL: configured */
	int64_t messages;		/* messages it wrote there */
};

/*
 * A message kithd skipped because it could not be read, however often it
 * tried (a header too big, a server that cuts the connection at it).
 */
struct status_skipped {
	char *account;
	char *folder;
	uint32_t uid;
	int64_t at;			/* when it was skipped */
	char *reason;			/* the last error, or "" */
};

struct kith_status {
	struct status_account *accounts;
	size_t naccounts;
	struct status_folder *folders;
	size_t nfolders;
	int64_t messages;		/* distinct messages */
	int64_t people;			/* everyone, acquaintances included */
	int64_t relationships;
	pid_t daemon_pid;		/* 0 when kithd is not running */
	char *daemon_state;		/* META_DAEMON_STATE, or NULL */
	int64_t sync_seq;		/* META_SYNC_SEQ, 0 when never */
	char *sync_result;		/* META_SYNC_RESULT, or NULL */
	struct status_me *me;		/* configured first, then learned */
	size_t nme;
	struct status_skipped *skipped;	/* by account, folder, UID */
	size_t nskipped;
};

/*
 * Read everything `kith status` shows in one read transaction, so the
 * numbers agree with each other while kithd writes.  `now` is for the
 * people model.  Returns 0 or a STORE_* error; free *out with status_free()
 * either way.
 */
int status_read(struct store *st, int64_t now, struct kith_status *out);
void status_free(struct kith_status *s);

struct kith_config;

/* How current the stored mail is, worst first; see sync_health(). */
enum sync_health {
	SYNC_CURRENT = 0,	/* every account synced recently and without error */
	SYNC_NEVER,		/* nothing has been synced yet */
	SYNC_FAILED,		/* an account's last sync failed */
	SYNC_STALE,		/* kithd is not running and an account's last good sync is older
				 * than SYNC_STALE_POLLS polls */
};

/* Data older than this many poll intervals (and than an hour) is stale. */
#define SYNC_STALE_POLLS 3

/*
 * Whether the stored mail can be trusted to be current, so that an empty
 * answer ("nobody is due") is not mistaken for a true one.  Looks at the
 * accounts of `cfg` as kithd last recorded them (every stored account when
 * the configuration has none).  A database filled without any account (a
 * test or an import of messages) counts as current when it holds mail.
 * On a problem, *why is a one-line explanation naming the account and its
 * error, to free; else NULL.  Returns the health, or -1 with *why NULL when
 * the store could not be read.
 */
int sync_health(struct store *st, const struct kith_config *cfg, int64_t now, char **why);

#endif
