/* kithd.c - the daemon: options, pid file, signals, account threads, sync rounds. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kith/paths.h"
#include "kith/store.h"
#include "kithd.h"
#include "notify.h"

struct pidfile {
	char *path;
	int fd;
};

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: kithd [-c FILE] [--once | --check] [-v] [--no-notify]\n"
		"\n"
		"  -c, --config FILE  read FILE instead of the default configuration\n"
		"      --once         sync every account once and exit (1 unless all synced)\n"
		"      --check        log in to every account, list its folders, and exit\n"
		"  -v, --verbose      log debugging detail (twice: the IMAP conversation)\n"
		"      --no-notify    never show desktop notifications\n"
		"  -h, --help         show this help\n"
		"      --version      show the version\n");
}

void
kithd_poke(struct kithd *d)
{
	uint64_t one = 1;

	if (write(d->eventfd, &one, sizeof(one)) == -1 && errno != EAGAIN)
		log_warn("cannot wake the supervisor");
}

/* Load the configuration; every error is logged.  0, or -1. */
static int
load_config(const char *path, struct kith_config **out)
{
	struct strbuf errors = { 0 };
	struct kith_config *cfg = NULL;
	char *line, *next;
	size_t i;
	int rc = 0;

	if (config_load(path, &cfg, &errors) == -1) {
		for (line = errors.buf; line && *line; line = next) {
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			if (*line)
				log_error("%s", line);
			if (!next)
				break;
		}
		if (!errors.len)
			log_error("cannot load the configuration");
		rc = -1;
		goto out;
	}
	if (!cfg->path) {
		char *want = paths_config_file();

		log_error("no configuration file at '%s': write one with 'kith config init' "
			  "(see kith.conf(5))", want);
		free(want);
		rc = -1;
		goto out;
	}
	if (cfg->naccounts == 0) {
		log_error("%s: no [account] section: nothing to sync (add one; "
			  "'kith config init -c FILE' shows how)", cfg->path);
		rc = -1;
		goto out;
	}
	/* The config module refuses this too; the daemon does not rely on it. */
	for (i = 0; i < cfg->naccounts; i++) {
		if (cfg->accounts[i].tls == TLS_NONE && !host_is_loopback(cfg->accounts[i].host)) {
			log_error("%s: [account %s] tls: 'none' is only allowed for loopback hosts, not '%s'",
				  cfg->path ? cfg->path : "configuration", cfg->accounts[i].name,
				  cfg->accounts[i].host);
			rc = -1;
		}
	}
out:
	if (rc == -1) {
		config_free(cfg);
		cfg = NULL;
	}
	sb_free(&errors);
	*out = cfg;
	return rc;
}

/*
 * The pid file is locked for the daemon's life: a second kithd on the same
 * database finds it taken.  Without XDG_RUNTIME_DIR the directory is in
 * /tmp, where another user may have made it first: it must be the user's
 * own and closed to others, and the file is never reached through a symlink.
 */
static int
pidfile_take(struct pidfile *pf, const char *database)
{
	char *dir = paths_runtime_dir(), buf[32] = "";
	ssize_t n;
	int len;

	pf->fd = -1;
	pf->path = paths_pidfile(database);
	if (mkdir_p(dir, 0700) == -1) {
		log_warn("cannot create directory '%s'", dir);
		free(dir);
		return -1;
	}
	if (paths_runtime_dir_check(dir) == -1) {
		log_error("refusing the runtime directory '%s': %s", dir,
			  errno == EPERM ? "it must belong to this user and be closed to others (0700)" :
			  strerror(errno));
		free(dir);
		return -1;
	}
	free(dir);
	pf->fd = open(pf->path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (pf->fd == -1) {
		log_warn("cannot open pid file '%s'", pf->path);
		return -1;
	}
	if (flock(pf->fd, LOCK_EX | LOCK_NB) == -1) {
		n = read(pf->fd, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		if (errno == EWOULDBLOCK || errno == EAGAIN || n >= 0)
			log_error("another kithd is already running (pid %s, pid file '%s')",
				  *buf ? buf : "unknown", pf->path);
		close(pf->fd);
		pf->fd = -1;
		return -1;
	}
	len = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(pf->fd, 0) == -1 || pwrite(pf->fd, buf, (size_t)len, 0) != len) {
		log_warn("cannot write pid file '%s'", pf->path);
		return -1;
	}
	return 0;
}

static void
pidfile_release(struct pidfile *pf)
{
	if (pf->fd != -1) {
		unlink(pf->path);
		close(pf->fd);
	}
	free(pf->path);
}

static void
record_state(struct store *st, const char *state)
{
	if (st && store_meta_set(st, META_DAEMON_STATE, state) != STORE_OK)
		log_warnx("cannot record the daemon state");
}

/*
 * A round (startup, SIGUSR1, SIGHUP) is over when every account finished a
 * pass that started after it was asked for: then `kith sync --wait` sees
 * META_SYNC_SEQ grow, with the round's first error or "ok".
 */
static void
check_round(struct kithd *d, struct store *st)
{
	char *seq, buf[32], *result = NULL;
	uint64_t gen;
	size_t i;
	long long n;

	pthread_mutex_lock(&d->lock);
	gen = d->gen;
	if (gen <= d->counted_gen) {
		pthread_mutex_unlock(&d->lock);
		return;
	}
	for (i = 0; i < d->naccounts; i++) {
		if (d->accounts[i].done_gen < gen && !d->accounts[i].finished) {
			pthread_mutex_unlock(&d->lock);
			return;
		}
	}
	for (i = 0; i < d->naccounts && !result; i++)
		if (d->accounts[i].last_error)
			result = xasprintf("%s: %s", d->accounts[i].cfg->name, d->accounts[i].last_error);
	d->counted_gen = gen;
	pthread_mutex_unlock(&d->lock);

	if (st) {
		seq = store_meta_get(st, META_SYNC_SEQ);
		n = seq ? atoll(seq) : 0;
		free(seq);
		snprintf(buf, sizeof(buf), "%lld", n + 1);
		if (store_begin(st) != STORE_OK ||
		    store_meta_set(st, META_SYNC_RESULT, result ? result : "ok") != STORE_OK ||
		    store_meta_set(st, META_DAEMON_STATE, d->once ? "stopped" : "idle") != STORE_OK ||
		    store_meta_set(st, META_SYNC_SEQ, buf) != STORE_OK ||
		    store_commit(st) != STORE_OK) {
			store_rollback(st);
			log_warnx("cannot record the end of a sync round");
		}
	}
	log_debug("sync round %llu finished: %s", (unsigned long long)gen, result ? result : "ok");
	free(result);
}

static void
update_status(struct kithd *d)
{
	struct strbuf sb = { 0 };
	size_t i, idle = 0;

	pthread_mutex_lock(&d->lock);
	for (i = 0; i < d->naccounts; i++) {
		if (strstr(d->accounts[i].status, ": idle") || strstr(d->accounts[i].status, ": waiting")) {
			idle++;
			continue;
		}
		sb_addf(&sb, "%s%s", sb.len ? "; " : "", d->accounts[i].status);
	}
	pthread_mutex_unlock(&d->lock);
	if (!sb.len)
		sb_addf(&sb, "idle; %zu account%s", idle, idle == 1 ? "" : "s");
	sdnotify_status(sb.buf);
	sb_free(&sb);
}

static int
start_accounts(struct kithd *d)
{
	size_t i;

	d->naccounts = d->cfg->naccounts;
	d->accounts = xcalloc(d->naccounts, sizeof(*d->accounts));
	for (i = 0; i < d->naccounts; i++) {
		d->accounts[i].d = d;
		d->accounts[i].cfg = &d->cfg->accounts[i];
		d->accounts[i].wakefd = -1;
		d->accounts[i].net_fd = -1;
		snprintf(d->accounts[i].status, sizeof(d->accounts[i].status), "syncing %s",
			 d->cfg->accounts[i].name);
	}
	for (i = 0; i < d->naccounts; i++)
		if (account_start(&d->accounts[i]) == -1)
			return -1;
	return 0;
}

static void
wake_all(struct kithd *d)
{
	size_t i;

	for (i = 0; i < d->naccounts; i++)
		account_wake(&d->accounts[i]);
}

static bool all_finished(struct kithd *d);

/*
 * Stop every account thread once its current FETCH command has answered and
 * what it fetched is stored, and wait for them.  A thread still waiting on
 * its server after STOP_GRACE_MS (a server that trickles its answer) has
 * its connection cut: a stop is not held up by a server, and what arrived
 * of the answer is kept.
 */
static void
stop_accounts(struct kithd *d)
{
	struct timespec pause = { 0, 50 * 1000000L };
	int waited = 0;
	size_t i;

	atomic_store(&d->stop, true);
	wake_all(d);
	while (!all_finished(d) && waited < STOP_GRACE_MS) {
		nanosleep(&pause, NULL);
		waited += 50;
	}
	pthread_mutex_lock(&d->lock);
	for (i = 0; i < d->naccounts; i++) {
		if (!d->accounts[i].finished && d->accounts[i].net_fd >= 0) {
			log_info("%s: the server is slow to answer: cutting the connection",
				 d->accounts[i].cfg->name);
			shutdown(d->accounts[i].net_fd, SHUT_RDWR);
		}
	}
	pthread_mutex_unlock(&d->lock);
	for (i = 0; i < d->naccounts; i++)
		account_join(&d->accounts[i]);
}

static void
free_accounts(struct kithd *d)
{
	size_t i;

	for (i = 0; i < d->naccounts; i++)
		free(d->accounts[i].last_error);
	free(d->accounts);
	d->accounts = NULL;
	d->naccounts = 0;
}

static bool
all_finished(struct kithd *d)
{
	bool done = true;
	size_t i;

	pthread_mutex_lock(&d->lock);
	for (i = 0; i < d->naccounts; i++)
		done = done && d->accounts[i].finished;
	pthread_mutex_unlock(&d->lock);
	return done;
}

static bool
all_synced(struct kithd *d)
{
	bool ok = true;
	size_t i;

	pthread_mutex_lock(&d->lock);
	for (i = 0; i < d->naccounts; i++)
		ok = ok && d->accounts[i].done_gen >= 1 && !d->accounts[i].last_error;
	pthread_mutex_unlock(&d->lock);
	return ok;
}

/* SIGHUP: a good new configuration replaces the old one; a bad one changes nothing. */
static void
reload(struct kithd *d, struct store **st)
{
	struct kith_config *cfg;
	struct store *nst = NULL;

	log_info("reloading the configuration");
	sdnotify_reloading();
	if (load_config(d->config_arg, &cfg) == -1) {
		log_error("keeping the previous configuration");
		sdnotify_ready();
		return;
	}
	if (store_open(cfg->database, STORE_WRITE, cfg, &nst) != STORE_OK) {
		log_error("keeping the previous configuration");
		config_free(cfg);
		sdnotify_ready();
		return;
	}
	stop_accounts(d);
	free_accounts(d);
	store_close(*st);
	*st = nst;
	config_free(d->cfg);
	d->cfg = cfg;
	notifier_reload(d->notifier, d->cfg);
	atomic_store(&d->stop, false);
	pthread_mutex_lock(&d->lock);
	d->gen++;
	pthread_mutex_unlock(&d->lock);
	record_state(*st, "syncing");
	if (start_accounts(d) == -1)
		log_error("some accounts could not be started");
	sdnotify_ready();
}

/*
 * The notifier starts once the first round has filled the store, and looks
 * for a due digest after every round; its thread never holds up sync.
 */
static void
nudge(struct kithd *d)
{
	uint64_t counted;

	if (!d->notify || d->once)
		return;
	pthread_mutex_lock(&d->lock);
	counted = d->counted_gen;
	pthread_mutex_unlock(&d->lock);
	if (counted < 1)
		return;
	if (!d->notifier && d->cfg->notify.enabled)
		d->notifier = notifier_start(d->cfg, d->cfg->database);
	else
		notifier_poke(d->notifier);
}

static int
supervise(struct kithd *d, struct store **st, int sigfd)
{
	uint64_t wd_usec = sdnotify_watchdog_usec(), v;
	int64_t wd_ms = wd_usec ? (int64_t)(wd_usec / 2000) : -1;
	struct signalfd_siginfo si;
	struct pollfd pfd[2];
	bool stopping = false;

	if (wd_ms == 0)
		wd_ms = 1;
	while (!stopping) {
		pfd[0] = (struct pollfd){ sigfd, POLLIN, 0 };
		pfd[1] = (struct pollfd){ d->eventfd, POLLIN, 0 };
		if (poll(pfd, 2, (int)wd_ms) < 0 && errno != EINTR) {
			log_warn("poll");
			break;
		}
		if (wd_usec)
			sdnotify_watchdog();
		if (pfd[1].revents & POLLIN) {
			while (read(d->eventfd, &v, sizeof(v)) == (ssize_t)sizeof(v))
				;
			check_round(d, *st);
			update_status(d);
			if (d->once && all_finished(d))
				break;
			nudge(d);
		}
		if (!(pfd[0].revents & POLLIN))
			continue;
		if (read(sigfd, &si, sizeof(si)) != (ssize_t)sizeof(si))
			continue;
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			log_info("stopping: storing what was fetched, waiting up to %d s for the server's answer "
				 "under way", STOP_GRACE_MS / 1000);
			stopping = true;
			break;
		case SIGHUP:
			if (d->once)
				break;
			reload(d, st);
			break;
		case SIGUSR1:
			log_debug("sync requested");
			pthread_mutex_lock(&d->lock);
			d->gen++;
			pthread_mutex_unlock(&d->lock);
			record_state(*st, "syncing");
			wake_all(d);
			break;
		default:
			break;
		}
	}
	return 0;
}

/*
 * --check: log in to each account as a sync would (verified TLS, the
 * secret from password_command), list the folders it would read, and say
 * so on stdout.  Touches neither the database nor the pid file, so it can
 * run beside a running kithd.  0 when every account logged in, else 1.
 */
static int
check_accounts(const struct kith_config *cfg)
{
	struct sync_folder *folders;
	struct imap im;
	char *missing, *report, *left, *safe;
	size_t i, n;
	int r, rc = 0;

	for (i = 0; i < cfg->naccounts; i++) {
		const struct kith_account *a = &cfg->accounts[i];

		memset(&im, 0, sizeof(im));
		folders = NULL;
		missing = NULL;
		report = NULL;
		n = 0;
		r = imap_open(&im, a);
		if (r == IMAP_OK)
			r = sync_discover(&im, a, &folders, &n, &missing, &report);
		/* Folder names and errors quote the server: cleaned before they reach a terminal. */
		if (r != IMAP_OK) {
			safe = text_safe(im.err.buf ? im.err.buf : "cannot connect");
			printf("%s: FAILED: %s\n", a->name, safe);
			free(safe);
			rc = 1;
		} else {
			/* The report's first line is what is read, the second what is left out. */
			left = strchr(report, '\n');
			if (left)
				*left++ = '\0';
			safe = text_safe(report);
			printf("%s: login OK on %s:%d (%s), %s\n", a->name, a->host, a->port,
			       a->tls == TLS_NONE ? "no TLS, loopback" : "certificate verified", safe);
			free(safe);
			if (left) {
				safe = text_safe(left);
				printf("%s: %s\n", a->name, safe);
				free(safe);
			}
			if (missing) {
				safe = text_safe(missing);
				printf("%s: %s\n", a->name, safe);
				free(safe);
				rc = 1;
			}
		}
		sync_folders_free(folders, n);
		free(missing);
		free(report);
		imap_close(&im, r == IMAP_OK);
	}
	fflush(stdout);
	return rc;
}

int
kithd_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "once", no_argument, NULL, 'o' },
		{ "check", no_argument, NULL, 'C' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "no-notify", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct kithd d = { 0 };
	struct pidfile pf = { NULL, -1 };
	struct store *st = NULL;
	sigset_t mask;
	int c, verbose = 0, sigfd = -1, rc = 1;
	bool check = false;

	d.notify = true;
	log_init("kithd", 0);
	while ((c = getopt_long(argc, argv, "c:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'c': d.config_arg = optarg; break;
		case 'o': d.once = true; break;
		case 'C': check = true; break;
		case 'v': verbose++; break;
		case 'n': d.notify = false; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("kithd %s\n", PACKAGE_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		log_error("unexpected argument '%s'", argv[optind]);
		usage(stderr);
		return 2;
	}
	log_set_verbose(verbose);

	if (load_config(d.config_arg, &d.cfg) == -1)
		return EX_CONFIG_ERROR;
	if (check) {
		signal(SIGPIPE, SIG_IGN);
		rc = check_accounts(d.cfg);
		config_free(d.cfg);
		return rc;
	}

	/* Signals are read from a signalfd by the supervisor, never handled in signal context. */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGUSR1);
	if (pthread_sigmask(SIG_BLOCK, &mask, NULL) != 0 ||
	    (sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK)) == -1) {
		log_warn("cannot set up signal handling");
		goto out;
	}
	d.eventfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (d.eventfd == -1) {
		log_warn("cannot create an eventfd");
		goto out;
	}
	if (pthread_mutex_init(&d.lock, NULL) != 0)
		fatalx("cannot initialise a mutex");
	if (pidfile_take(&pf, d.cfg->database) == -1)
		goto out;
	if (store_open(d.cfg->database, STORE_WRITE, d.cfg, &st) != STORE_OK)
		goto out;
	record_state(st, "syncing");

	d.gen = 1;
	if (start_accounts(&d) == -1) {
		stop_accounts(&d);
		free_accounts(&d);
		goto out;
	}
	sdnotify_ready();
	log_debug("started with %zu account%s", d.naccounts, d.naccounts == 1 ? "" : "s");

	supervise(&d, &st, sigfd);

	sdnotify_stopping();
	notifier_stop(d.notifier);
	stop_accounts(&d);
	check_round(&d, st);
	if (d.once && d.notify && d.cfg->notify.enabled)
		notifier_once(d.cfg, d.cfg->database);
	rc = d.once ? (all_synced(&d) ? 0 : 1) : 0;
	record_state(st, "stopped");
	free_accounts(&d);
out:
	store_close(st);
	pidfile_release(&pf);
	if (sigfd != -1)
		close(sigfd);
	if (d.eventfd > 0)
		close(d.eventfd);
	config_free(d.cfg);
	return rc;
}
