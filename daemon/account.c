/* account.c - one thread per account: connect, sync, IDLE or poll, reconnect with backoff. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "kith/store.h"
#include "kithd.h"

/*
 * Each account runs in its own thread with its own mailimap session and its
 * own store connection: libetpan's calls block, and one session per thread
 * is what it supports.  The supervisor talks to a thread through the shared
 * fields of struct account (under kithd.lock) and its eventfd.
 */
struct session {
	struct account *a;
	struct kithd *d;
	struct imap im;
	bool connected;
	struct sync_folder *folders;
	size_t nfolders;
	char *missing;			/* folders listed in the config that the server lacks */
	char *report;			/* the folders chosen and left out, as last logged */
	bool inbox_fresh;		/* INBOX was the last folder synced, and is selected */
	struct store *st;
	int64_t account_id;
	uint64_t seen_gen;		/* the newest round this thread has started */
	unsigned seed;
	char *error;			/* what went wrong last */
};

enum wait_result { WAIT_STOP, WAIT_ROUND, WAIT_ERROR };

static uint64_t
requested_gen(struct kithd *d)
{
	uint64_t g;

	pthread_mutex_lock(&d->lock);
	g = d->gen;
	pthread_mutex_unlock(&d->lock);
	return g;
}

/* Stop or a new round wanted: whatever this thread is waiting for can wait. */
static bool
interrupted(struct session *s)
{
	return atomic_load(&s->d->stop) || requested_gen(s->d) > s->seen_gen;
}

static void
drain_wake(int fd)
{
	uint64_t v;

	while (read(fd, &v, sizeof(v)) == (ssize_t)sizeof(v))
		;
}

/* Sleep until `deadline` (monotonic ms) unless stopped or a round is asked for. */
static void
sleep_until(struct session *s, int64_t deadline)
{
	struct pollfd pfd = { s->a->wakefd, POLLIN, 0 };
	int64_t left;

	while (!interrupted(s) && (left = deadline - kith_mono_ms()) > 0) {
		if (poll(&pfd, 1, left > 60000 ? 60000 : (int)left) > 0)
			drain_wake(s->a->wakefd);
	}
}

void
account_status(struct account *a, const char *fmt, ...)
{
	char line[sizeof(a->status)], *safe;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* Folder names are the server's: `systemctl status` shows this line on a terminal. */
	safe = text_safe(line);
	pthread_mutex_lock(&a->d->lock);
	snprintf(a->status, sizeof(a->status), "%s", safe);
	pthread_mutex_unlock(&a->d->lock);
	free(safe);
	kithd_poke(a->d);
}

static void
set_error(struct session *s, const char *text)
{
	free(s->error);
	s->error = xstrdup(text && *text ? text : "unknown error");
}

/* The socket the supervisor may cut on a stop (-1: none); set and cleared under its lock. */
static void
set_net_fd(struct session *s, int fd)
{
	pthread_mutex_lock(&s->d->lock);
	s->a->net_fd = fd;
	pthread_mutex_unlock(&s->d->lock);
}

static void
disconnect(struct session *s, bool polite)
{
	/* Cleared before the descriptor is closed, so that its number is never cut once reused. */
	set_net_fd(s, -1);
	if (s->connected || s->im.s)
		imap_close(&s->im, polite);
	memset(&s->im, 0, sizeof(s->im));
	sync_folders_free(s->folders, s->nfolders);
	s->folders = NULL;
	s->nfolders = 0;
	free(s->missing);
	s->missing = NULL;
	s->connected = false;
}

/* Log sync_discover's report, line by line. */
static void
log_report(const char *account, const char *report, bool info)
{
	const char *line, *end;

	for (line = report; *line; line = *end ? end + 1 : end) {
		end = strchr(line, '\n');
		if (!end)
			end = line + strlen(line);
		if (info)
			log_info("%s: %.*s", account, (int)(end - line), line);
		else
			log_debug("%s: %.*s", account, (int)(end - line), line);
	}
}

/* Folders renamed or deleted on the server leave no row, role or count behind. */
static void
forget_other_folders(struct session *s)
{
	const char **names = xcalloc(s->nfolders + 1, sizeof(*names));
	size_t i, dropped = 0;

	for (i = 0; i < s->nfolders; i++)
		names[i] = s->folders[i].name;
	if (s->st && store_folders_keep(s->st, s->account_id, names, s->nfolders, &dropped) != STORE_OK)
		log_warnx("%s: cannot forget the folders no longer read", s->a->cfg->name);
	else if (dropped)
		log_info("%s: %zu folder%s no longer read (renamed, deleted or left out): forgotten",
			 s->a->cfg->name, dropped, dropped == 1 ? "" : "s");
	free(names);
}

static int
connect_account(struct session *s)
{
	const struct kith_account *cfg = s->a->cfg;
	char *report = NULL;
	int r;

	account_status(s->a, "connecting %s to %s", cfg->name, cfg->host);
	memset(&s->im, 0, sizeof(s->im));
	r = imap_open(&s->im, cfg);
	if (s->im.s && s->im.s->imap_stream)
		set_net_fd(s, mailimap_idle_get_fd(s->im.s));
	if (r == IMAP_OK)
		r = sync_discover(&s->im, cfg, &s->folders, &s->nfolders, &s->missing, &report);
	if (r != IMAP_OK) {
		set_error(s, s->im.err.buf);
		disconnect(s, false);
		return r == IMAP_AUTH ? IMAP_AUTH : IMAP_ERROR;
	}
	s->connected = true;
	s->inbox_fresh = false;
	forget_other_folders(s);
	if (s->nfolders == 0 && !s->missing)
		log_warnx("%s: no folder to read on %s", cfg->name, cfg->host);
	/* Said once; again only when the server's folders change. */
	if (s->report && strcmp(s->report, report) == 0) {
		log_report(cfg->name, report, false);
		free(report);
	} else {
		log_report(cfg->name, report, true);
		free(s->report);
		s->report = report;
	}
	return IMAP_OK;
}

static bool
sync_stopped(void *ctx)
{
	struct session *s = ctx;

	return atomic_load(&s->d->stop);
}

static void
sync_progress(void *ctx, const char *folder, size_t done, size_t total)
{
	struct session *s = ctx;

	account_status(s->a, "syncing %s: %s %zu/%zu", s->a->cfg->name, folder, done, total);
}

static int
sync_one(struct session *s, const struct sync_folder *f, const struct imap_mailbox *known)
{
	struct sync_ctx c = {
		.name = s->a->cfg->name, .im = &s->im, .st = s->st, .account_id = s->account_id,
		.bad = &s->a->bad, .stopped = sync_stopped, .progress = sync_progress, .hook_ctx = s,
	};
	int rc = sync_folder(&c, f, known);

	if (rc == SYNC_FAILED) {
		log_error("%s: %s", s->a->cfg->name, s->im.err.buf ? s->im.err.buf : "sync failed");
		set_error(s, s->im.err.buf);
	}
	return rc;
}

/* Connect when needed and sync every folder; IMAP_OK, IMAP_ERROR, IMAP_AUTH, or SYNC_STOPPED. */
static int
full_pass(struct session *s, bool *partial)
{
	size_t i;
	int r;

	*partial = false;
	if (!s->connected && (r = connect_account(s)) != IMAP_OK)
		return r;
	for (i = 0; i < s->nfolders; i++) {
		r = sync_one(s, &s->folders[i], NULL);
		if (r == SYNC_STOPPED)
			return SYNC_STOPPED;
		if (r == SYNC_FAILED) {
			if (s->im.broken)
				return IMAP_ERROR;
			*partial = true;	/* one folder refused: the others still count */
		}
		s->inbox_fresh = r == SYNC_OK && s->folders[i].role && strcmp(s->folders[i].role, "inbox") == 0;
	}
	if (s->missing) {
		set_error(s, s->missing);
		*partial = true;
	}
	return IMAP_OK;
}

/* Record a finished pass for `kith status` and for the supervisor's round. */
static void
end_pass(struct session *s, const char *error)
{
	struct account *a = s->a;

	if (s->st && store_account_status(s->st, s->account_id, kith_now(), error) != STORE_OK)
		log_warnx("%s: cannot record the sync status", a->cfg->name);
	pthread_mutex_lock(&s->d->lock);
	a->done_gen = a->pass_gen;
	free(a->last_error);
	a->last_error = error ? xstrdup(error) : NULL;
	pthread_mutex_unlock(&s->d->lock);
	kithd_poke(s->d);
}

static const struct sync_folder *
inbox_of(struct session *s)
{
	size_t i;

	for (i = 0; i < s->nfolders; i++)
		if (s->folders[i].role && strcmp(s->folders[i].role, "inbox") == 0)
			return &s->folders[i];
	return NULL;
}

/* STATUS the folders not under IDLE and sync those that changed. */
static int
poll_others(struct session *s, const struct sync_folder *skip)
{
	struct imap_mailbox mb;
	size_t i;
	int r;

	for (i = 0; i < s->nfolders && !interrupted(s); i++) {
		if (&s->folders[i] == skip)
			continue;
		if (imap_status(&s->im, s->folders[i].name, &mb) != IMAP_OK) {
			log_error("%s: %s", s->a->cfg->name, s->im.err.buf);
			set_error(s, s->im.err.buf);
			return SYNC_FAILED;
		}
		if ((r = sync_one(s, &s->folders[i], &mb)) != SYNC_OK)
			return r;
	}
	return SYNC_OK;
}

/*
 * Between rounds: IDLE on INBOX where the server offers it, checking the
 * other folders every poll_interval; otherwise poll them all.  Returns when
 * told to stop, when a new round is asked for, or on an error.
 */
static enum wait_result
wait_for_work(struct session *s)
{
	const struct kith_account *cfg = s->a->cfg;
	const struct sync_folder *inbox = inbox_of(s);
	bool use_idle = cfg->idle && s->im.has_idle && inbox;
	int64_t interval = (cfg->poll_interval > 0 ? cfg->poll_interval : 900) * 1000;
	int64_t next_poll = kith_mono_ms() + interval, end, renew;
	int r, w;
	size_t i;

	if (cfg->idle && !use_idle && inbox)
		log_debug("%s: %s offers no IDLE, polling every %lld s", cfg->name, cfg->host,
			  (long long)(interval / 1000));
	else if (use_idle)
		log_debug("%s: %s: waiting with IDLE, other folders checked every %lld s", cfg->name,
			  inbox->name, (long long)(interval / 1000));
	/*
	 * Courier reports changes under IDLE only every IMAP_IDLE_TIMEOUT
	 * seconds (60 by default) unless it runs with FAM: there IDLE is
	 * renewed often, and each renewal looks at INBOX.
	 */
	renew = (s->im.server == SERVER_COURIER ? IDLE_SLOW_RENEW_SECS : IDLE_RENEW_SECS) * 1000;
	if (use_idle && s->im.server == SERVER_COURIER)
		log_debug("%s: Courier may report new mail late under IDLE: renewing it every %d s",
			  cfg->name, IDLE_SLOW_RENEW_SECS);
	for (;;) {
		if (atomic_load(&s->d->stop))
			return WAIT_STOP;
		if (requested_gen(s->d) > s->seen_gen)
			return WAIT_ROUND;
		if (!use_idle) {
			account_status(s->a, "%s: waiting", cfg->name);
			sleep_until(s, next_poll);
			if (interrupted(s))
				continue;
			for (i = 0; i < s->nfolders; i++) {
				r = sync_one(s, &s->folders[i], NULL);
				if (r == SYNC_STOPPED)
					return WAIT_STOP;
				if (r == SYNC_FAILED)
					return WAIT_ERROR;
			}
			next_poll = kith_mono_ms() + interval;
			continue;
		}

		/* The other folders first, so that INBOX is examined last, once. */
		if (kith_mono_ms() >= next_poll) {
			r = poll_others(s, inbox);
			if (r == SYNC_STOPPED)
				return WAIT_STOP;
			if (r == SYNC_FAILED)
				return WAIT_ERROR;
			next_poll = kith_mono_ms() + interval;
			s->inbox_fresh = false;	/* another folder may be selected now */
		}
		/*
		 * Whatever ended the last IDLE, INBOX is synced again: untagged
		 * data that arrived before the continuation was dropped unseen.
		 * This also leaves INBOX selected, as IDLE needs.  Not when the
		 * pass just before ended with INBOX: it is selected and current.
		 */
		if (!s->inbox_fresh) {
			r = sync_one(s, inbox, NULL);
			if (r == SYNC_STOPPED)
				return WAIT_STOP;
			if (r == SYNC_FAILED)
				return WAIT_ERROR;
		}
		s->inbox_fresh = false;
		if (interrupted(s))
			continue;
		account_status(s->a, "%s: idle", cfg->name);
		if (imap_idle_start(&s->im) != IMAP_OK) {
			log_error("%s: %s", cfg->name, s->im.err.buf);
			set_error(s, s->im.err.buf);
			return WAIT_ERROR;
		}
		end = next_poll < kith_mono_ms() + renew ? next_poll : kith_mono_ms() + renew;
		w = imap_idle_wait(&s->im, s->a->wakefd, (int)(end - kith_mono_ms() > 0 ? end - kith_mono_ms() : 0));
		if (w == 2)
			drain_wake(s->a->wakefd);
		if (w < 0 || imap_idle_done(&s->im) != IMAP_OK) {
			log_error("%s: %s", cfg->name, s->im.err.buf);
			set_error(s, s->im.err.buf);
			return WAIT_ERROR;
		}
		if (w == 1)
			log_debug("%s: %s: the server has news", cfg->name, inbox->name);
	}
}

static double
next_delay(double prev, bool auth)
{
	double d;

	if (prev <= 0)
		return BACKOFF_FIRST;
	/* A refused login will not fix itself soon: its delay grows faster. */
	d = prev * (auth ? 4 : 2);
	return d > BACKOFF_CAP ? BACKOFF_CAP : d;
}

static void *
account_main(void *arg)
{
	struct session s = { 0 };
	struct account *a = arg;
	const struct kith_account *cfg = a->cfg;
	double delay = 0, wait;
	bool auth_failing = false, partial;
	int r;

	s.a = a;
	s.d = a->d;
	s.seed = (unsigned)time(NULL) ^ (unsigned)(uintptr_t)&s;
	for (;;) {
		if (atomic_load(&s.d->stop))
			break;
		pthread_mutex_lock(&s.d->lock);
		a->pass_gen = s.seen_gen = s.d->gen;
		pthread_mutex_unlock(&s.d->lock);

		if (!s.st) {
			if (store_open(s.d->cfg->database, STORE_WRITE, s.d->cfg, &s.st) != STORE_OK ||
			    store_account(s.st, cfg->name, &s.account_id) != STORE_OK) {
				store_close(s.st);
				s.st = NULL;
				set_error(&s, "cannot open the database");
				r = IMAP_ERROR;
				goto failed;
			}
		}
		account_status(a, "syncing %s", cfg->name);
		r = full_pass(&s, &partial);
		if (r == SYNC_STOPPED)
			break;
		if (r == IMAP_OK) {
			end_pass(&s, partial ? s.error : NULL);
			delay = 0;
			auth_failing = false;
			if (s.d->once)
				break;
			switch (wait_for_work(&s)) {
			case WAIT_STOP:
				goto out;
			case WAIT_ROUND:
				continue;
			case WAIT_ERROR:
				if (s.st)
					store_account_status(s.st, s.account_id, kith_now(), s.error);
				disconnect(&s, !s.im.broken);
				r = IMAP_ERROR;
				break;
			}
		} else {
failed:
			if (r == IMAP_AUTH && auth_failing)
				log_debug("%s: %s", cfg->name, s.error);
			else
				log_error("%s: %s", cfg->name, s.error);
			if (r == IMAP_AUTH)
				auth_failing = true;
			if (s.connected)
				disconnect(&s, !s.im.broken);
			end_pass(&s, s.error);
			if (s.d->once)
				break;
		}
		delay = next_delay(delay, r == IMAP_AUTH);
		/* Jitter, so that accounts on one server do not come back in step. */
		wait = delay * (0.5 + 0.5 * ((double)rand_r(&s.seed) / RAND_MAX));
		log_info("%s: retrying in %.1f s", cfg->name, wait);
		account_status(a, "%s: retrying in %.0f s", cfg->name, wait);
		sleep_until(&s, kith_mono_ms() + (int64_t)(wait * 1000));
	}
out:
	disconnect(&s, true);
	store_close(s.st);
	free(s.error);
	free(s.report);
	pthread_mutex_lock(&s.d->lock);
	a->finished = true;
	snprintf(a->status, sizeof(a->status), "%s: stopped", cfg->name);
	pthread_mutex_unlock(&s.d->lock);
	kithd_poke(s.d);
	return NULL;
}

int
account_start(struct account *a)
{
	int err;

	a->wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (a->wakefd == -1) {
		log_warn("%s: cannot create an eventfd", a->cfg->name);
		return -1;
	}
	if ((err = pthread_create(&a->thread, NULL, account_main, a)) != 0) {
		log_error("%s: cannot start a thread: %s", a->cfg->name, strerror(err));
		close(a->wakefd);
		a->wakefd = -1;
		return -1;
	}
	a->started = true;
	return 0;
}

void
account_wake(struct account *a)
{
	uint64_t one = 1;

	if (a->started && write(a->wakefd, &one, sizeof(one)) == -1 && errno != EAGAIN)
		log_warn("%s: cannot wake the account's thread", a->cfg->name);
}

void
account_join(struct account *a)
{
	if (!a->started)
		return;
	pthread_join(a->thread, NULL);
	close(a->wakefd);
	a->wakefd = -1;
	a->started = false;
}
