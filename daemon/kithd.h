/* kithd.h - the daemon's internal interfaces, shared by the files of daemon/. */
#ifndef KITHD_H
#define KITHD_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libetpan/libetpan.h>

#include "kith/config.h"
#include "kith/util.h"

struct store;

/* Network timeouts, in seconds: connecting, and any single wait for data. */
#define IMAP_TIMEOUT		60
/* The whole answer to one command, however it trickles in, in seconds. */
#define IMAP_COMMAND_TIMEOUT	600
/* UIDs asked for in one UID FETCH. */
#define SYNC_FETCH		2000
/* Messages handed to the writer thread at a time, each batch with its sync point. */
#define SYNC_BATCH		500
/* Fetched batches waiting for the writer thread: reading runs this far ahead of storing. */
#define SYNC_QUEUE		4
/* Messages a UID SEARCH window covers (when UIDs are dense): memory stays flat at any size. */
#define SYNC_WINDOW		50000
/* Header bytes a batch may hold in memory before they are stored. */
#define SYNC_BATCH_BYTES	(16 * 1024 * 1024)
/* Failed fetches in a row at one message before it is skipped as unreadable. */
#define SYNC_UNREADABLE_TRIES	3
/* IDLE is re-issued this often: servers may drop it after 30 minutes. */
#define IDLE_RENEW_SECS		(25 * 60)
/* ...and this often on servers slow to report changes under IDLE (Courier). */
#define IDLE_SLOW_RENEW_SECS	10
/* After a stop, how long an account may take to finish its FETCH before its connection is cut. */
#define STOP_GRACE_MS		5000
/* Reconnection delays grow from the first to the cap, in seconds. */
#define BACKOFF_FIRST		1.0
#define BACKOFF_CAP		900.0
/*
 * What a server may send before the connection is dropped as hostile: a
 * header literal (only HEADER_MAX_BLOCK bytes are asked for), any other
 * literal (folder names), any line, and the line of a UID SEARCH answer.
 */
#define IMAP_LITERAL_MAX	(4 * 1024 * 1024)
#define IMAP_SMALL_LITERAL_MAX	(64 * 1024)
#define IMAP_LINE_MAX		(1024 * 1024)
#define IMAP_SEARCH_LINE_MAX	(16 * 1024 * 1024)
/* password_command gets this long to answer. */
#define SECRET_TIMEOUT		60

/* The program: kithd_main() parses the options and runs everything. */
int kithd_main(int argc, char **argv);

/* ---- the supervisor and the account threads (kithd.c, account.c) ---- */

struct kithd;

/*
 * One configured account, synced by its own thread with its own IMAP and
 * store connections.  Fields below `lock` are shared with the supervisor
 * and read or written only with kithd.lock held.
 */
/* The message a folder's fetches last failed at, and how often in a row (sync.c). */
struct sync_unreadable {
	int64_t folder;
	uint32_t uid;
	int tries;
};

struct account {
	struct kithd *d;
	const struct kith_account *cfg;		/* borrowed from d->cfg */
	pthread_t thread;
	bool started;
	int wakefd;				/* eventfd: the supervisor wants attention */

	/* Shared, under d->lock. */
	uint64_t pass_gen;			/* round the running pass serves */
	uint64_t done_gen;			/* round the last finished pass served */
	char *last_error;			/* of the last finished pass; NULL when it synced */
	bool finished;				/* the thread has returned */
	int net_fd;				/* its IMAP socket, for a stop to cut; -1 */
	char status[160];			/* one line for sd_notify STATUS */

	/* The account's thread only: the message the last fetches failed at. */
	struct sync_unreadable bad;
};

struct kithd {
	struct kith_config *cfg;
	char *config_arg;			/* -c FILE, or NULL */
	bool once;
	bool notify;				/* false with --no-notify */
	struct notifier *notifier;		/* desktop nudges; NULL until the first round */
	atomic_bool stop;			/* SIGTERM/SIGINT: finish the FETCH under way and leave */

	pthread_mutex_t lock;
	uint64_t gen;				/* sync rounds requested (startup, SIGUSR1, SIGHUP) */
	uint64_t counted_gen;			/* the last round recorded in the store */
	struct account *accounts;
	size_t naccounts;
	int eventfd;				/* account threads -> supervisor */
};

/* Start one thread per account; 0 or -1 (logged). */
int account_start(struct account *a);
/* Ask the account's thread to look at the shared state now (round, stop). */
void account_wake(struct account *a);
/* Wait for the thread to return and free what it left. */
void account_join(struct account *a);
/* Tell the supervisor something changed (a pass finished, a status line). */
void kithd_poke(struct kithd *d);
/* Set the account's status line for sd_notify (printf-style). */
void account_status(struct account *a, const char *fmt, ...) KITH_PRINTF(2, 3);

/* ---- IMAP (imap.c, tls.c) ---- */

enum imap_status {
	IMAP_OK = 0,
	IMAP_ERROR = -1,	/* the connection is unusable: reconnect later */
	IMAP_AUTH = -2,		/* the server refused the credentials */
	IMAP_NO = -3,		/* the server refused a command; the connection is fine */
	IMAP_CALLBACK = -4,	/* a callback failed (its error already logged) */
};

struct imap_mailbox {
	uint32_t uidvalidity;
	uint32_t uidnext;	/* 0 when the server did not say */
	uint32_t exists;
	uint64_t highestmodseq;	/* 0 without CONDSTORE */
};

/* Special-use and state flags of a folder found with LIST. */
enum {
	FOLDER_INBOX	= 1 << 0,
	FOLDER_SENT	= 1 << 1,
	FOLDER_ARCHIVE	= 1 << 2,
	FOLDER_ALL	= 1 << 3,
	FOLDER_JUNK	= 1 << 4,
	FOLDER_TRASH	= 1 << 5,
	FOLDER_DRAFTS	= 1 << 6,
	FOLDER_NOSELECT	= 1 << 7,
};

struct imap_folder {
	char *name;		/* as the server spells it (modified UTF-7) */
	unsigned flags;
};

/* Called for each fetched message; return 0, or -1 to fail the fetch. */
typedef int imap_msg_fn(void *ctx, uint32_t uid, int64_t internaldate, const char *header,
			size_t len);

/* Servers whose quirks kith works around (kith.conf(5), "Servers"). */
enum imap_server { SERVER_OTHER, SERVER_DOVECOT, SERVER_CYRUS, SERVER_COURIER };

struct imap {
	mailimap *s;
	const struct kith_account *acct;
	struct strbuf err;		/* why the last call failed, for logs and the store */
	bool broken;			/* a failure left the connection unusable */
	bool has_idle, has_condstore, has_special_use;
	enum imap_server server;	/* from the greeting */

	/* State of a streamed UID FETCH. */
	struct strbuf body;
	size_t body_seen;
	bool body_present;
	imap_msg_fn *on_msg;
	void *on_msg_ctx;
	bool cb_failed;
	bool literal_too_big;

	/* What guard() in imap.c knows of the bytes received. */
	size_t line_max, literal_max;	/* limits of the response under way */
	size_t line_len;
	uint64_t literal_left;
	char tail[24];			/* the end of the current line */
	size_t tail_len;
	int64_t deadline;		/* monotonic ms by which the answer must be in; 0: none */
	bool in_greeting;		/* the greeting's line is being read */
	bool too_big;			/* a limit was passed: the socket is shut down */
	char too_big_what[64];		/* which, as "sent ..." or "took ..." */
};

/* IMAP_COMMAND_TIMEOUT, or $KITHD_COMMAND_TIMEOUT (seconds) for tests. */
int imap_command_timeout(void);

/*
 * Connect, verify the server's certificate and name, read capabilities,
 * authenticate with the secret from password_command.  On failure returns
 * IMAP_ERROR or IMAP_AUTH with im->err set; imap_close() is still needed.
 */
int imap_open(struct imap *im, const struct kith_account *acct);
/* LOGOUT when the link is alive, then free everything. */
void imap_close(struct imap *im, bool polite);

/* LIST "" "*", RETURN (SPECIAL-USE) where offered.  *out: imap_folders_free(). */
int imap_list(struct imap *im, struct imap_folder **out, size_t *n);
void imap_folders_free(struct imap_folder *v, size_t n);

int imap_examine(struct imap *im, const char *name, struct imap_mailbox *mb);
int imap_status(struct imap *im, const char *name, struct imap_mailbox *mb);

/* UIDs from first to last (0: no end), ascending.  *uids: free(). */
int imap_search_range(struct imap *im, uint32_t first, uint32_t last, uint32_t **uids, size_t *n);

/* UID FETCH the given UIDs' header fields, streaming each message to fn. */
int imap_fetch_headers(struct imap *im, const uint32_t *uids, size_t n, imap_msg_fn *fn, void *ctx);

/*
 * IDLE on the selected folder.  imap_idle_wait returns 1 when the server
 * sent something, 2 when wakefd fired, 0 on timeout, or IMAP_ERROR.
 */
int imap_idle_start(struct imap *im);
int imap_idle_wait(struct imap *im, int wakefd, int timeout_ms);
int imap_idle_done(struct imap *im);

/*
 * Resolve `host` and connect to `port` within timeout_s seconds; with
 * loopback_only, every address the name resolves to must be loopback.
 * Returns a blocking, close-on-exec socket, or a negative DIAL_* with the
 * reason in err.
 */
enum { DIAL_OTHER = -1, DIAL_RESOLVE = -2, DIAL_CONNECT = -3 };
int dial(const char *host, int port, bool loopback_only, int timeout_s, struct strbuf *err);

/*
 * Verify the TLS peer of `stream` for `host`: the chain against the system
 * trust store plus `ca_file` (may be NULL), and the host name or IP address.
 * Returns 0, or -1 with the reason appended to err.
 */
int tls_verify(mailstream *stream, const char *host, const char *ca_file, struct strbuf *err);

/*
 * Connection errors that carry their fix (connect-errors.c), appended to
 * the error dial, the TLS handshake, tls_verify or LOGIN left in err: a
 * failed dial (`why`, a DIAL_* code: an unknown host told apart from a
 * refusal), a failed TLS handshake (TLS on a plain-text port), an
 * untrusted certificate (ca_file), a refused login (app passwords, OAuth 2).
 */
void connect_error_dial(struct strbuf *err, const struct kith_account *a, int why);
void connect_error_tls(struct strbuf *err, const struct kith_account *a);
void connect_error_cert(struct strbuf *err, const struct kith_account *a);
void connect_error_login(struct strbuf *err, const struct kith_account *a);


/* ---- secrets (secret.c) ---- */

/*
 * Run `command` with /bin/sh -c and return the first line of its output in
 * *out, to be released with secret_free() (which wipes it).  Returns 0, or
 * -1 with the reason appended to err.
 */
int secret_get(const char *command, char **out, struct strbuf *err);
void secret_free(char *secret);

/* ---- sync (sync.c) ---- */

struct sync_folder {
	char *name;
	const char *role;	/* "inbox", "sent", "archive", "all", or NULL (static) */
	const char *why;	/* what gave the role: "INBOX", "flag", "name", "listed" (static) */
};

/*
 * The folders to read on this account (sync-discover.c): `folders = auto`
 * or the configured list, minus `exclude` and the junk, trash and drafts
 * folders; each gets its role from the server's special-use flags or else
 * its name.  A listed folder the server does not have is logged and named
 * in *missing (a message to keep, or NULL).  *report (when report is not
 * NULL) says which folders are read and which are left out, and why: two
 * lines to log or print, to free().  *out: sync_folders_free().
 */
int sync_discover(struct imap *im, const struct kith_account *acct, struct sync_folder **out,
		  size_t *n, char **missing, char **report);
void sync_folders_free(struct sync_folder *v, size_t n);

enum sync_result { SYNC_OK = 0, SYNC_FAILED = -1, SYNC_STOPPED = 1 };

/*
 * What sync_folder() is handed by its caller: the session, the store, where
 * to keep the message that failed to arrive across syncs, and two hooks (may
 * be NULL): whether to stop before the next FETCH command, and where a
 * progress line goes.  Sync calls nothing of the daemon but these.
 */
struct sync_ctx {
	const char *name;		/* the account, for log lines */
	struct imap *im;
	struct store *st;
	int64_t account_id;
	struct sync_unreadable *bad;
	bool (*stopped)(void *hook_ctx);
	void (*progress)(void *hook_ctx, const char *folder, size_t done, size_t total);
	void *hook_ctx;
};

/*
 * Bring one folder up to date: EXAMINE, compare UIDVALIDITY, search the new
 * UIDs in windows and fetch them while a writer thread stores the batches
 * already fetched, each committed with its sync point.  `known` (may be
 * NULL) is the result of a STATUS just made: when it shows no change the
 * folder is not even examined.  On failure the reason is in im->err.
 */
int sync_folder(struct sync_ctx *c, const struct sync_folder *f, const struct imap_mailbox *known);

/* ---- sd_notify (sdnotify.c) ---- */

void sdnotify_ready(void);
void sdnotify_stopping(void);
void sdnotify_reloading(void);
void sdnotify_status(const char *status);
void sdnotify_watchdog(void);
/* The watchdog interval the service manager wants, in microseconds; 0 for none. */
uint64_t sdnotify_watchdog_usec(void);

#endif
