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
};

/*
 * Read everything `kith status` shows in one read transaction, so the
 * numbers agree with each other while kithd writes.  `now` is for the
 * people model.  Returns 0 or a STORE_* error; free *out with status_free()
 * either way.
 */
int status_read(struct store *st, int64_t now, struct kith_status *out);
void status_free(struct kith_status *s);

#endif
