/* cmd-admin.c - the machinery: status, sync, rebuild, config check. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "format.h"
#include "kith.h"
#include "kith/config.h"
#include "kith/paths.h"
#include "kith/people.h"
#include "kith/status.h"
#include "kith/store.h"
#include "kith/util.h"
#include "printer.h"

#define SYNC_WAIT_DEFAULT (10 * 60)	/* seconds */
#define SYNC_POLL_MS 100

static void
json_status(struct cli *c, const struct kith_status *s)
{
	struct printer *pr = c->pr;
	size_t i;

	pr_map_begin(pr);
	pr_key(pr, "database");
	pr_str(pr, c->db_path);
	pr_key(pr, "daemon");
	pr_map_begin(pr);
	pr_key(pr, "running");
	pr_bool(pr, s->daemon_pid != 0);
	pr_key(pr, "pid");
	if (s->daemon_pid)
		pr_int(pr, s->daemon_pid);
	else
		pr_null(pr);
	pr_key(pr, "state");
	pr_str(pr, s->daemon_state);
	pr_key(pr, "sync_seq");
	pr_int(pr, s->sync_seq);
	pr_key(pr, "sync_result");
	pr_str(pr, s->sync_result);
	pr_map_end(pr);
	pr_key(pr, "messages");
	pr_int(pr, s->messages);
	pr_key(pr, "people");
	pr_int(pr, s->people);
	pr_key(pr, "relationships");
	pr_int(pr, s->relationships);
	pr_key(pr, "me");
	pr_list_begin(pr);
	for (i = 0; i < s->nme; i++) {
		pr_map_begin(pr);
		pr_key(pr, "address");
		pr_str(pr, s->me[i].addr);
		pr_key(pr, "source");
		pr_str(pr, s->me[i].learned_from ? "learned" : "configured");
		pr_key(pr, "learned_from");
		pr_str(pr, s->me[i].learned_from);
		pr_key(pr, "messages");
		if (s->me[i].learned_from)
			pr_int(pr, s->me[i].messages);
		else
			pr_null(pr);
		pr_map_end(pr);
	}
	pr_list_end(pr);
	pr_key(pr, "accounts");
	pr_list_begin(pr);
	for (i = 0; i < s->naccounts; i++) {
		pr_map_begin(pr);
		pr_key(pr, "name");
		pr_str(pr, s->accounts[i].name);
		pr_key(pr, "last_sync");
		pr_time(pr, s->accounts[i].last_sync);
		pr_key(pr, "last_attempt");
		pr_time(pr, s->accounts[i].last_attempt);
		pr_key(pr, "last_error");
		pr_str(pr, s->accounts[i].last_error);
		pr_map_end(pr);
	}
	pr_list_end(pr);
	pr_key(pr, "folders");
	pr_list_begin(pr);
	for (i = 0; i < s->nfolders; i++) {
		const struct status_folder *f = &s->folders[i];

		pr_map_begin(pr);
		pr_key(pr, "account");
		pr_str(pr, f->account);
		pr_key(pr, "name");
		pr_str(pr, f->name);
		pr_key(pr, "role");
		pr_str(pr, f->role);
		pr_key(pr, "uidvalidity");
		pr_int(pr, f->uidvalidity);
		pr_key(pr, "last_uid");
		pr_int(pr, f->last_uid);
		pr_key(pr, "highestmodseq");
		pr_int(pr, (int64_t)f->highestmodseq);
		pr_key(pr, "last_sync");
		pr_time(pr, f->last_sync);
		pr_key(pr, "messages");
		pr_int(pr, f->messages);
		pr_map_end(pr);
	}
	pr_list_end(pr);
	pr_key(pr, "skipped");
	pr_list_begin(pr);
	for (i = 0; i < s->nskipped; i++) {
		pr_map_begin(pr);
		pr_key(pr, "account");
		pr_str(pr, s->skipped[i].account);
		pr_key(pr, "folder");
		pr_str(pr, s->skipped[i].folder);
		pr_key(pr, "uid");
		pr_int(pr, s->skipped[i].uid);
		pr_key(pr, "at");
		pr_time(pr, s->skipped[i].at);
		pr_key(pr, "reason");
		pr_str(pr, s->skipped[i].reason);
		pr_map_end(pr);
	}
	pr_list_end(pr);
	pr_map_end(pr);
}

static int
text_status(struct cli *c, const struct kith_status *s)
{
	static const char *const fhead[] = { "ACCOUNT", "FOLDER", "ROLE", "MESSAGES", "LAST UID",
					      "LAST SYNC" };
	static const char *const ahead[] = { "ACCOUNT", "LAST SYNC", "LAST ERROR" };
	FILE *f = printer_file(c->pr);
	struct table *t = table_new(2, NULL);
	char daemon[PATH_MAX + 128], counts[128], when[64], num[32], uid[32];
	const char *cells[6];
	size_t i;
	int rc;

	if (s->daemon_pid)
		snprintf(daemon, sizeof(daemon), "running (pid %ld)%s%s%s%s", (long)s->daemon_pid,
			 s->daemon_state ? ", " : "", s->daemon_state ? s->daemon_state : "",
			 s->sync_result ? "; last round: " : "", s->sync_result ? s->sync_result : "");
	else if (c->config_arg)
		/* The unit reads the default configuration: the hint must not switch files. */
		snprintf(daemon, sizeof(daemon), "not running (with this configuration: kithd -c %s)",
			 c->config_arg);
	else
		snprintf(daemon, sizeof(daemon), "not running (start it: systemctl --user start kithd)");
	table_wrap(t, 1, 20);
	cells[0] = "database";
	cells[1] = c->db_path;
	table_add(t, cells);
	cells[0] = "daemon";
	cells[1] = daemon;
	table_add(t, cells);
	table_color(t, 1, s->daemon_pid ? COLOR_GREEN : COLOR_YELLOW);
	snprintf(counts, sizeof(counts), "%lld messages, %lld people, %lld relationships",
		 (long long)s->messages, (long long)s->people, (long long)s->relationships);
	cells[0] = "stored";
	cells[1] = counts;
	table_add(t, cells);
	rc = table_print(t, f, c->width, c->color);
	table_free(t);

	if (rc == 0 && s->nme > 0) {
		static const char *const mhead[] = { "YOUR ADDRESS", "FROM" };
		char from[256];

		fputc('\n', f);
		t = table_new(ARRAY_SIZE(mhead), mhead);
		for (i = 0; i < s->nme; i++) {
			if (s->me[i].learned_from)
				snprintf(from, sizeof(from), "learned: wrote %lld messages in %s (not yours? kith split %s)",
					 (long long)s->me[i].messages, s->me[i].learned_from, s->me[i].addr);
			else
				snprintf(from, sizeof(from), "configured (me =)");
			cells[0] = s->me[i].addr;
			cells[1] = from;
			table_add(t, cells);
		}
		rc = table_print(t, f, c->width, c->color);
		table_free(t);
	}
	if (rc == 0 && s->naccounts > 0) {
		fputc('\n', f);
		t = table_new(ARRAY_SIZE(ahead), ahead);
		/* An error says what to change: read whole, never cut. */
		table_wrap(t, 2, 16);
		for (i = 0; i < s->naccounts; i++) {
			cells[0] = s->accounts[i].name;
			cells[1] = format_relative(s->accounts[i].last_sync, c->now, when, sizeof(when));
			cells[2] = s->accounts[i].last_error ? s->accounts[i].last_error : "";
			table_add(t, cells);
			if (s->accounts[i].last_error)
				table_color(t, 2, COLOR_RED);
		}
		rc = table_print(t, f, c->width, c->color);
		table_free(t);
	}
	if (rc == 0 && s->nfolders > 0) {
		fputc('\n', f);
		t = table_new(ARRAY_SIZE(fhead), fhead);
		table_flex(t, 1, 10);
		table_right(t, 3);
		table_right(t, 4);
		for (i = 0; i < s->nfolders; i++) {
			const struct status_folder *fo = &s->folders[i];
			char fwhen[64];

			snprintf(num, sizeof(num), "%lld", (long long)fo->messages);
			snprintf(uid, sizeof(uid), "%lu", (unsigned long)fo->last_uid);
			cells[0] = fo->account;
			cells[1] = fo->name;
			cells[2] = fo->role ? fo->role : "";
			cells[3] = num;
			cells[4] = uid;
			cells[5] = format_relative(fo->last_sync, c->now, fwhen, sizeof(fwhen));
			table_add(t, cells);
		}
		rc = table_print(t, f, c->width, c->color);
		table_free(t);
	}
	if (rc == 0 && s->nskipped > 0) {
		static const char *const khead[] = { "ACCOUNT", "FOLDER", "UID", "SKIPPED", "WHY" };
		char kwhen[64];

		fprintf(f, "\n%zu message%s could not be read and %s skipped:\n", s->nskipped,
			s->nskipped == 1 ? "" : "s", s->nskipped == 1 ? "was" : "were");
		t = table_new(ARRAY_SIZE(khead), khead);
		table_flex(t, 1, 10);
		table_right(t, 2);
		table_wrap(t, 4, 16);
		for (i = 0; i < s->nskipped; i++) {
			snprintf(uid, sizeof(uid), "%lu", (unsigned long)s->skipped[i].uid);
			cells[0] = s->skipped[i].account;
			cells[1] = s->skipped[i].folder;
			cells[2] = uid;
			cells[3] = format_relative(s->skipped[i].at, c->now, kwhen, sizeof(kwhen));
			cells[4] = *s->skipped[i].reason ? s->skipped[i].reason : "no reason given";
			table_add(t, cells);
		}
		rc = table_print(t, f, c->width, c->color);
		table_free(t);
	}
	if (rc == 0 && s->naccounts == 0)
		fputs("\nno account synced yet: run kithd\n", f);
	return rc == -1 ? EXIT_ERROR : EXIT_OK;
}

int
cmd_status(struct cli *c, int argc, char **argv)
{
	struct kith_status s;
	int rc;

	if ((rc = cli_no_options(c, argc, argv, 0, 0)) != EXIT_OK)
		return rc;
	rc = status_read(c->st, c->now, &s);
	if (rc != STORE_OK) {
		status_free(&s);
		return cli_store_error(rc);
	}
	if (printer_json(c->pr))
		json_status(c, &s);
	else
		rc = text_status(c, &s);
	status_free(&s);
	return rc;
}

static int64_t
meta_seq(struct store *st)
{
	char *v = store_meta_get(st, META_SYNC_SEQ);
	int64_t n = v ? strtoll(v, NULL, 10) : 0;

	free(v);
	return n;
}

int
cmd_sync(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "wait", no_argument, NULL, 'w' },
		{ "timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	struct timespec pause = { 0, SYNC_POLL_MS * 1000000L };
	int64_t timeout = SYNC_WAIT_DEFAULT, before, waited_ms = 0;
	bool wait = false;
	char *result;
	const char *database;
	pid_t pid;
	int ch, rc;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (ch) {
		case 'w':
			wait = true;
			break;
		case 't':
			if ((rc = cli_parse_duration(c, "timeout", optarg, &timeout)) != EXIT_OK)
				return rc;
			break;
		default:
			return cli_bad_option(c, ch, argv);
		}
	}
	if ((rc = cli_operands(c, argc, argv, 0, 0)) != EXIT_OK)
		return rc;
	/* The kithd to ask is the one on this database (-d, or the configured one). */
	if ((rc = cli_load_config(c)) != EXIT_OK)
		return rc;
	database = c->db_arg ? c->db_arg : c->cfg->database;
	pid = paths_daemon_pid(database);
	if (pid == 0) {
		if (c->config_arg)
			/* The unit reads the default configuration, not this one. */
			log_error("kithd is not running: start it with 'kithd -c %s', or sync once with "
				  "'kithd -c %s --once'", c->config_arg, c->config_arg);
		else
			log_error("kithd is not running: start it with 'systemctl --user start kithd', "
				  "or sync once with 'kithd --once'");
		return EXIT_ERROR;
	}
	/* Read the round counter before asking, so a round already running is not taken for ours. */
	if (wait && (rc = cli_open_store(c, DB_READ)) != EXIT_OK)
		return rc;
	before = wait ? meta_seq(c->st) : 0;
	if (kill(pid, SIGUSR1) == -1) {
		log_warn("cannot signal kithd (pid %ld)", (long)pid);
		return EXIT_ERROR;
	}
	if (!wait) {
		pr_text(c->pr, "asked kithd (pid %ld) to sync now", (long)pid);
		if (printer_json(c->pr)) {
			pr_map_begin(c->pr);
			pr_key(c->pr, "pid");
			pr_int(c->pr, pid);
			pr_key(c->pr, "requested");
			pr_bool(c->pr, true);
			pr_map_end(c->pr);
		}
		return EXIT_OK;
	}
	while (meta_seq(c->st) <= before) {
		if (waited_ms >= timeout * 1000) {
			log_error("kithd did not finish a sync round within %lld seconds", (long long)timeout);
			return EXIT_ERROR;
		}
		if (paths_daemon_pid(database) != pid) {
			log_error("kithd (pid %ld) stopped before finishing the sync", (long)pid);
			return EXIT_ERROR;
		}
		nanosleep(&pause, NULL);
		waited_ms += SYNC_POLL_MS;
	}
	result = store_meta_get(c->st, META_SYNC_RESULT);
	rc = result && strcmp(result, "ok") == 0 ? EXIT_OK : EXIT_ERROR;
	if (printer_json(c->pr)) {
		pr_map_begin(c->pr);
		pr_key(c->pr, "pid");
		pr_int(c->pr, pid);
		pr_key(c->pr, "sync_seq");
		pr_int(c->pr, meta_seq(c->st));
		pr_key(c->pr, "result");
		pr_str(c->pr, result);
		pr_map_end(c->pr);
		/* The document is the answer even when the sync failed. */
		if (rc != EXIT_OK)
			printer_finish(c->pr);
	} else if (rc == EXIT_OK) {
		pr_text(c->pr, "sync finished: ok");
	}
	if (rc != EXIT_OK)
		log_error("sync finished with an error: %s", result ? result : "(no result recorded)");
	free(result);
	return rc;
}

int
cmd_rebuild(struct cli *c, int argc, char **argv)
{
	struct person_list l = { 0 };
	size_t i, rel = 0;
	int rc;

	if ((rc = cli_no_options(c, argc, argv, 0, 0)) != EXIT_OK)
		return rc;
	if ((rc = people_rebuild(c->st)) != 0)
		return cli_store_error(rc);
	if ((rc = people_list(c->st, c->now, NULL, SORT_NAME, PEOPLE_ACQUAINTANCES, &l)) != 0)
		return cli_store_error(rc);
	for (i = 0; i < l.n; i++)
		rel += l.v[i].relationship;
	if (printer_json(c->pr)) {
		pr_map_begin(c->pr);
		pr_key(c->pr, "action");
		pr_str(c->pr, "rebuild");
		pr_key(c->pr, "people");
		pr_int(c->pr, (int64_t)l.n);
		pr_key(c->pr, "relationships");
		pr_int(c->pr, (int64_t)rel);
		pr_map_end(c->pr);
	} else {
		pr_text(c->pr, "rebuilt: %zu people, %zu relationships", l.n, rel);
	}
	person_list_free(&l);
	return EXIT_OK;
}

/* The kithd next to this kith (build tree or install), else the one on PATH. */
static char *
find_kithd(void)
{
	char self[PATH_MAX], *slash, *p;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	static const char *const rel[] = { "kithd", "../daemon/kithd", "../sbin/kithd" };
	size_t i;

	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')))
			*slash = '\0';
		for (i = 0; i < ARRAY_SIZE(rel); i++) {
			p = xasprintf("%s/%s", self, rel[i]);
			if (access(p, X_OK) == 0)
				return p;
			free(p);
		}
	}
	return xstrdup("kithd");
}

/* Run argv, its stdout into `out` when given; the exit status, or -1. */
static int
run_program(char *const *argv, struct strbuf *out)
{
	int fds[2] = { -1, -1 }, status;
	char buf[4096];
	ssize_t n;
	pid_t pid;

	if (out && pipe(fds) == -1)
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid == -1)
		return -1;
	if (pid == 0) {
		if (out) {
			dup2(fds[1], STDOUT_FILENO);
			close(fds[0]);
			close(fds[1]);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (out) {
		close(fds[1]);
		while ((n = read(fds[0], buf, sizeof(buf))) > 0)
			sb_add(out, buf, (size_t)n);
		close(fds[0]);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * Logging in is the daemon's job (the CLI holds no IMAP code), so --connect
 * hands over to `kithd --check`, which prints a line per account.
 */
static int
check_connect(struct cli *c, const char *path)
{
	char *kithd = find_kithd();
	char *check_argv[] = { kithd, "-c", (char *)path, "--check", NULL };
	int rc;

	rc = run_program(check_argv, NULL);
	if (rc == 127) {
		log_error("'config check --connect' needs kithd, which was not found");
		rc = EXIT_ERROR;
	} else if (rc != 0) {
		log_error("logging in to the accounts failed");
		rc = rc == EXIT_CONFIG ? EXIT_CONFIG : EXIT_ERROR;
	}
	free(kithd);
	return rc;
}

int
cmd_config(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "connect", no_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 },
	};
	struct strbuf errors = { 0 };
	struct kith_config *cfg = NULL;
	bool connect = false;
	int ch, rc;

	if (argc > 1 && strcmp(argv[1], "init") == 0)
		return cmd_config_init(c, argc - 1, argv + 1);
	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (ch != 'C')
			return cli_bad_option(c, ch, argv);
		connect = true;
	}
	if ((rc = cli_operands(c, argc, argv, 1, 1)) != EXIT_OK)
		return rc;
	if (strcmp(argv[optind], "check") != 0)
		return cli_usage(c, "bad action '%s' (want init or check)", argv[optind]);
	if (config_load(c->config_arg, &cfg, &errors) == -1) {
		/* Every error, not just the first: fixing a file one run at a time is tedious. */
		fflush(stdout);
		if (errors.buf)
			fputs(errors.buf, stderr);
		if (errors.len && errors.buf[errors.len - 1] != '\n')
			fputc('\n', stderr);
		sb_free(&errors);
		return EXIT_CONFIG;
	}
	sb_free(&errors);
	if (!cfg->path) {
		char *want = paths_config_file();

		log_error("no configuration file at '%s': write one with 'kith config init "
			  "[--provider gmail|fastmail|icloud|outlook|yahoo|generic] [--address ADDR]'", want);
		free(want);
		config_free(cfg);
		return EXIT_CONFIG;
	}
	/* With --connect, "OK" waits for the logins: it never follows a failure. */
	rc = connect ? check_connect(c, cfg->path) : EXIT_OK;
	if (rc != EXIT_OK) {
		config_free(cfg);
		return rc;
	}
	if (printer_json(c->pr)) {
		pr_map_begin(c->pr);
		pr_key(c->pr, "ok");
		pr_bool(c->pr, true);
		pr_key(c->pr, "file");
		pr_str(c->pr, cfg->path);
		pr_key(c->pr, "database");
		pr_str(c->pr, cfg->database);
		pr_key(c->pr, "accounts");
		pr_int(c->pr, (int64_t)cfg->naccounts);
		pr_map_end(c->pr);
	} else {
		pr_text(c->pr, "config OK: '%s', %zu account%s%s", cfg->path, cfg->naccounts,
			cfg->naccounts == 1 ? "" : "s", connect ? ", every login OK" : "");
		if (cfg->naccounts == 0)
			pr_text(c->pr, "no [account] yet: nothing for kithd to read (see 'kith config init')");
	}
	config_free(cfg);
	return rc;
}
