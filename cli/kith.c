/* kith.c - the kith command: global options, the command table, opening the store. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format.h"
#include "kith.h"
#include "kith/config.h"
#include "kith/paths.h"
#include "kith/store.h"
#include "kith/util.h"
#include "printer.h"

static int cmd_help(struct cli *c, int argc, char **argv);

/*
 * The table decides how each command gets its database: read-only commands
 * never take the write lock, so they answer while kithd writes (WAL).
 */
const struct command kith_commands[] = {
	{ "due", cmd_due, DB_READ, "whom to reconnect with, most pressing first",
	  "[-n N] [--circle C] [--all]",
	  "  -n, --limit N     show at most N people (default 10)\n"
	  "  --circle C        only people of circle C\n"
	  "  --all             every relationship with its status, not only the suggested\n", false },
	{ "replies", cmd_replies, DB_READ, "replies you owe, and answers you are waiting for", "", NULL, false },
	{ "show", cmd_show, DB_READ, "one person: addresses, circles, cadence, strength, history",
	  "WHO [-n N]",
	  "  -n, --limit N     history items to show (default 20)\n", false },
	{ "list", cmd_list, DB_READ, "people you correspond with",
	  "[--circle C] [--sort due|strength|recent|name] [--acquaintances]",
	  "  --circle C        only people of circle C\n"
	  "  --sort KEY        due (default), strength, recent or name\n"
	  "  --acquaintances   include people who are not (yet) relationships\n", false },
	{ "search", cmd_search, DB_READ, "people by name, address, note or subject", "TEXT", NULL, false },
	{ "related", cmd_related, DB_READ, "people who share threads with WHO, dormant ones first", "WHO [-n N]",
	  "  -n, --limit N     show at most N people (default 20)\n", false },
	{ "log", cmd_log, DB_WRITE, "record a meeting, call, event or message outside mail",
	  "WHO [--when DATE] [--kind meeting|call|event|message] [--note TEXT] [--event NAME]",
	  "  --when DATE       when it happened: 2026-03-01, yesterday, 3d (default now,\n"
	  "                    or the event's date with --event)\n"
	  "  --kind KIND       meeting (default), call, event or message\n"
	  "  --note TEXT       what it was about\n"
	  "  --event NAME      met at this event (kith event add): joins its circle\n", false },
	{ "add", cmd_add, DB_CREATE, "add someone met outside mail",
	  "NAME [--email ADDR] [--circle C] [--note TEXT] [--follow-up DUR] [--event NAME]",
	  "  --email ADDR      their address\n"
	  "  --circle C        put them in circle C\n"
	  "  --note TEXT       a note about them\n"
	  "  --follow-up DUR   remind me to reconnect after DUR (e.g. 2w)\n"
	  "  --event NAME      met at this event (kith event add), on its date\n", false },
	{ "snooze", cmd_snooze, DB_WRITE, "no nudges about WHO until a date or for a while",
	  "WHO DUR|DATE|tomorrow|next week|WEEKDAY", NULL, false },
	{ "unsnooze", cmd_unsnooze, DB_WRITE, "end a snooze", "WHO", NULL, false },
	{ "ignore", cmd_ignore, DB_WRITE, "never suggest WHO, or any address matching PATTERN", "WHO|PATTERN", NULL, false },
	{ "unignore", cmd_unignore, DB_WRITE, "undo ignore", "WHO|PATTERN", NULL, false },
	{ "cadence", cmd_cadence, DB_WRITE, "how often to keep in touch with WHO", "WHO DUR|auto|never", NULL, false },
	{ "circle", cmd_circle, DB_WRITE, "put people in a circle, take them out, or accept a suggested one",
	  "add|rm CIRCLE WHO... | accept N NAME", NULL, false },
	{ "circles", cmd_circles, DB_READ, "configured and personal circles, or suggested communities and bridges",
	  "[--suggest [-n N] [--format dot]]",
	  "  --suggest         communities found in who writes with whom, and the people bridging them\n"
	  "  -n, --limit N     with --suggest: show at most N communities (default 10)\n"
	  "  --format dot      with --suggest: the communities as a Graphviz graph (kith circles\n"
	  "                    --suggest --format dot | dot -Tsvg >circles.svg)\n", false },
	{ "goals", cmd_goals, DB_READ, "progress of each goal this week, and whom to write to next", "", NULL, false },
	{ "seeds", cmd_seeds, DB_READ, "new ties: people first met lately, growing, waiting or lost",
	  "[--days N]",
	  "  --days N          look back N days (default 180)\n", false },
	{ "event", cmd_event, DB_CREATE, "record an event; the people met there form the circle event:NAME",
	  "add NAME [--date DATE] [--circle C]",
	  "  --date DATE       when it took place (default today)\n"
	  "  --circle C        a circle its people also join\n", false },
	{ "events", cmd_events, DB_READ, "events, with how many people and how their ties are growing", "", NULL,
	  false },
	{ "brief", cmd_brief, DB_READ, "one page per person before you meet them",
	  "WHO... | --circle C | --event NAME | --ics FILE",
	  "  --circle C        everyone in circle C\n"
	  "  --event NAME      everyone met at the event\n"
	  "  --ics FILE        the organizer and attendees of a calendar invite\n", false },
	{ "merge", cmd_merge, DB_WRITE, "the same person under several entries: make them one, or list likely ones",
	  "WHO WHO... | --suggest",
	  "  --suggest         entries that are likely one person (same name and domain or threads,\n"
	  "                    a rewritten address, a job change...) or your own, not merged yet\n", false },
	{ "split", cmd_split, DB_WRITE, "an address wrongly merged: make it a person of its own", "ADDR", NULL, false },
	{ "note", cmd_note, DB_WRITE, "add a note about WHO", "WHO TEXT...", NULL, false },
	{ "status", cmd_status, DB_READ, "accounts, folders, last sync, counts, daemon state, skipped mail", "", NULL, false },
	{ "sync", cmd_sync, DB_NONE, "ask the running kithd to sync now",
	  "[--wait] [--timeout DUR]",
	  "  --wait            wait until the sync round has finished and show its result\n"
	  "  --timeout DUR     give up waiting after DUR (default 10min)\n", false },
	{ "export", cmd_export, DB_READ, "everyone, as JSON, CSV or vCard", "[--format json|csv|vcard]",
	  "  --format F        json (default), csv or vcard\n", false },
	{ "import", cmd_import, DB_CREATE, "add people from a vCard file", "FILE.vcf", NULL, false },
	{ "config", cmd_config, DB_NONE, "write a first configuration, or check it",
	  "init [--provider P] [--address ADDR] | check [--connect]",
	  "  --provider P      init: gmail, fastmail, icloud, outlook, yahoo or generic\n"
	  "  --address ADDR    init: your address (me and user; guesses the provider)\n"
	  "  --connect         check: also log in to each account (needs kithd)\n", false },
	{ "rebuild", cmd_rebuild, DB_WRITE, "recompute people and scores from stored messages", "", NULL, false },
	{ "help", cmd_help, DB_NONE, "this list, or the help of one command", "[COMMAND]", NULL, false },
	{ "complete-who", cmd_complete_who, DB_READ, "names and addresses starting with PREFIX (for completion)",
	  "[PREFIX]", NULL, true },
	{ NULL, NULL, DB_NONE, NULL, NULL, NULL, false },
};

const struct command *
command_find(const char *name)
{
	const struct command *cmd;

	for (cmd = kith_commands; cmd->name; cmd++)
		if (strcmp(cmd->name, name) == 0)
			return cmd;
	return NULL;
}

static void
usage_global(FILE *f)
{
	fprintf(f, "usage: kith [-c FILE] [-d DB] [--json] [--no-color] [-v] COMMAND [ARGS]\n");
}

static void
help_command(FILE *f, const struct command *cmd)
{
	fprintf(f, "usage: kith %s%s%s\n\n%s\n", cmd->name, *cmd->usage ? " " : "", cmd->usage,
		cmd->summary);
	if (cmd->options)
		fprintf(f, "\noptions:\n%s", cmd->options);
}

static int
cmd_help(struct cli *c, int argc, char **argv)
{
	const struct command *cmd;
	FILE *f = printer_file(c->pr);

	if (argc > 2)
		return cli_usage(c, "one command at a time");
	if (argc == 2) {
		cmd = command_find(argv[1]);
		if (!cmd) {
			suggest_command(argv[1]);
			return EXIT_USAGE;
		}
		help_command(f, cmd);
		return EXIT_OK;
	}
	usage_global(f);
	fprintf(f, "\nkith tells you whom to reconnect with, from the mail kithd reads.\n\ncommands:\n");
	for (cmd = kith_commands; cmd->name; cmd++)
		if (!cmd->hidden)
			fprintf(f, "  %-10s %s\n", cmd->name, cmd->summary);
	fprintf(f, "\nglobal options:\n"
		"  -c, --config FILE    configuration file (default ~/.config/kith/config)\n"
		"  -d, --database DB    database file (default: the configuration's)\n"
		"  --json               machine-readable output (see man kith)\n"
		"  --no-color           no colour even on a terminal\n"
		"  -v, --verbose        rule names and scores in the text output\n"
		"  -h, --help           this help; 'kith help COMMAND' for one command\n"
		"  --version            the version\n"
		"\nglobal options may also follow the command: kith due --json\n");
	return EXIT_OK;
}

int
cli_usage(struct cli *c, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		fatal("vasprintf");
	va_end(ap);
	fflush(stdout);
	fprintf(stderr, "kith %s: %s\n", c->cmd->name, msg);
	fprintf(stderr, "usage: kith %s %s\n", c->cmd->name, c->cmd->usage);
	free(msg);
	return EXIT_USAGE;
}

int
cli_store_error(int rc)
{
	return rc == STORE_BUSY ? EXIT_BUSY : EXIT_ERROR;
}

int
cli_no_options(struct cli *c, int argc, char **argv, int min, int max)
{
	static const struct option opts[] = { { NULL, 0, NULL, 0 } };
	int ch;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, "+:", opts, NULL)) != -1)
		return cli_bad_option(c, ch, argv);
	return cli_operands(c, argc, argv, min, max);
}

int
cli_end(struct cli *c, int rc)
{
	if (rc == STORE_OK)
		rc = store_commit(c->st);
	else
		store_rollback(c->st);
	return rc == STORE_OK ? EXIT_OK : cli_store_error(rc);
}

void
cli_getopt_reset(void)
{
	optind = 0;	/* 0, not 1: glibc then also resets its internal state */
	opterr = 0;
}

int
cli_bad_option(struct cli *c, int ch, char **argv)
{
	const char *arg = argv[optind - 1];
	char hint[64];

	if (ch == ':')
		return cli_usage(c, "option '%s' needs a value", arg);
	if (optopt && !str_has_prefix(arg, "--"))
		return cli_usage(c, "unknown option '-%c'", optopt);
	if (suggest_option(c->cmd, arg, hint, sizeof(hint)))
		return cli_usage(c, "unknown option '%s'; did you mean '%s'?", arg, hint);
	return cli_usage(c, "unknown option '%s'", arg);
}

int
cli_operands(struct cli *c, int argc, char **argv, int min, int max)
{
	int n = argc - optind;

	if (n < min)
		return cli_usage(c, "missing argument%s", min - n > 1 ? "s" : "");
	if (max >= 0 && n > max)
		return cli_usage(c, "unexpected argument '%s'", argv[optind + max]);
	return EXIT_OK;
}

int
cli_parse_duration(struct cli *c, const char *what, const char *s, int64_t *secs)
{
	if (parse_duration(s, secs) == -1 || *secs <= 0)
		return cli_usage(c, "bad %s '%s' (want a duration such as 3d, 2w, 6m, 1y)", what, s);
	return EXIT_OK;
}

int
cli_parse_when(struct cli *c, const char *what, const char *s, int64_t *t)
{
	if (parse_when(s, c->now, t) == -1)
		return cli_usage(c, "bad %s '%s' (want a date such as 2026-03-01, yesterday or 3d)", what, s);
	return EXIT_OK;
}

int
cli_parse_count(struct cli *c, const char *what, const char *s, long *n)
{
	char *end;

	errno = 0;
	*n = strtol(s, &end, 10);
	if (errno || end == s || *end || *n <= 0 || *n > 1000000)
		return cli_usage(c, "bad %s '%s' (want a positive number)", what, s);
	return EXIT_OK;
}

int
cli_load_config(struct cli *c)
{
	struct strbuf errors = { 0 };

	if (c->cfg)
		return EXIT_OK;
	if (config_load(c->config_arg, &c->cfg, &errors) == -1) {
		fputs(errors.buf ? errors.buf : "kith: configuration error\n", stderr);
		if (errors.len && errors.buf[errors.len - 1] != '\n')
			fputc('\n', stderr);
		sb_free(&errors);
		return EXIT_CONFIG;
	}
	sb_free(&errors);
	return EXIT_OK;
}

int
cli_open_store(struct cli *c, enum db_mode mode)
{
	int rc;

	if ((rc = cli_load_config(c)) != EXIT_OK)
		return rc;
	free(c->db_path);
	if (c->db_arg)
		c->db_path = xstrdup(c->db_arg);
	else if (c->cfg->database)
		c->db_path = xstrdup(c->cfg->database);
	else
		c->db_path = paths_default_database();
	if (mode != DB_CREATE && access(c->db_path, F_OK) == -1) {
		if (errno == ENOENT && !c->cfg->path)
			/* The very first run: the way in is a configuration, not kithd yet. */
			log_error("no database at '%s' yet, and no configuration: write one with "
				  "'kith config init', then read your mail with 'kithd --once' "
				  "(or try the demo: scripts/demo)", c->db_path);
		else if (errno == ENOENT)
			log_error("no database at '%s' yet: run kithd (e.g. 'kithd%s%s --once') to read "
				  "your mail first, or give one with -d", c->db_path, c->config_arg ? " -c " : "",
				  c->config_arg ? c->config_arg : "");
		else
			log_warn("cannot open database '%s'", c->db_path);
		return EXIT_ERROR;
	}
	rc = store_open(c->db_path, mode == DB_READ ? STORE_READ : STORE_WRITE, c->cfg, &c->st);
	if (rc != STORE_OK)
		return cli_store_error(rc);
	return EXIT_OK;
}

/* --help or -h among a command's arguments (before a "--"). */
static bool
wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return false;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	}
	return false;
}

static int
run_command(struct cli *c, const struct command *cmd, int argc, char **argv)
{
	int rc;

	c->cmd = cmd;
	if (wants_help(argc, argv)) {
		help_command(stdout, cmd);
		return EXIT_OK;
	}
	if (cmd->db != DB_NONE && (rc = cli_open_store(c, cmd->db)) != EXIT_OK)
		return rc;
	return cmd->run(c, argc, argv);
}

/* Flush stdout and report a failed write: data that silently vanished is a lie. */
static int
finish_stdout(struct cli *c, int rc)
{
	int fail = 0;

	if (c->pr) {
		/* A stale answer is still the answer: only failures lose their output. */
		if (rc != EXIT_OK && rc != EXIT_STALE)
			printer_discard(c->pr);
		fail = printer_finish(c->pr);
	}

	if (fflush(stdout) == EOF || ferror(stdout))
		fail = -1;
	if (fail == -1 || fclose(stdout) == EOF) {
		if (errno == 0)
			errno = EIO;
		log_warn("cannot write to standard output");
		return rc == EXIT_OK || rc == EXIT_STALE ? EXIT_ERROR : rc;
	}
	return rc;
}

/* The value of a global option: "--config=X" or the next argument. */
static const char *
global_value(int argc, char **argv, int *i, const char *opt)
{
	const char *eq = strchr(argv[*i], '=');

	if (str_has_prefix(argv[*i], "--") && eq)
		return eq + 1;
	if (*i + 1 >= argc) {
		log_error("option '%s' needs a value", opt);
		return NULL;
	}
	return argv[++*i];
}

static bool
is_opt(const char *arg, const char *name)
{
	size_t n = strlen(name);

	return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || (arg[n] == '=' && name[1] == '-'));
}

/*
 * Global options may follow the command too (`kith due --json`), as people
 * type them: take them out of argv from `from` on (until a "--"), so the
 * command sees only its own.  Returns the new argc, or -1 after a usage error.
 */
static int
take_global_options(struct cli *c, int argc, char **argv, int from, bool *no_color)
{
	int i, out = from;
	bool rest = false;

	for (i = from; i < argc; i++) {
		const char *a = argv[i];

		if (rest || strcmp(a, "--") == 0) {
			rest = true;
		} else if (strcmp(a, "--json") == 0) {
			c->json = true;
			continue;
		} else if (strcmp(a, "--no-color") == 0 || strcmp(a, "--no-colour") == 0) {
			*no_color = true;
			continue;
		} else if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0) {
			c->verbose = true;
			continue;
		} else if (is_opt(a, "--config") || strcmp(a, "-c") == 0) {
			if (!(c->config_arg = global_value(argc, argv, &i, "--config")))
				return -1;
			continue;
		} else if (is_opt(a, "--database") || strcmp(a, "-d") == 0) {
			if (!(c->db_arg = global_value(argc, argv, &i, "--database")))
				return -1;
			continue;
		}
		argv[out++] = argv[i];
	}
	argv[out] = NULL;
	return out;
}

int
kith_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "database", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "no-color", no_argument, NULL, 'C' },
		{ "no-colour", no_argument, NULL, 'C' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { 0 };
	const struct command *cmd;
	bool no_color = false;
	int ch, rc;

	log_init("kith", 0);
	opterr = 0;
	/* "+": global options end at the command name; the rest is the command's. */
	while ((ch = getopt_long(argc, argv, "+:c:d:hv", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			c.config_arg = optarg;
			break;
		case 'd':
			c.db_arg = optarg;
			break;
		case 'j':
			c.json = true;
			break;
		case 'C':
			no_color = true;
			break;
		case 'v':
			c.verbose = true;
			break;
		case 'h':
			c.pr = printer_new(PRINTER_TEXT, stdout);
			c.cmd = command_find("help");
			rc = cmd_help(&c, 1, argv);
			goto out;
		case 'V':
			printf("kith %s\n", PACKAGE_VERSION);
			rc = EXIT_OK;
			goto out;
		case ':':
			log_error("option '%s' needs a value", argv[optind - 1]);
			usage_global(stderr);
			return EXIT_USAGE;
		default:
			log_error("unknown option '%s'", argv[optind - 1]);
			usage_global(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage_global(stderr);
		fprintf(stderr, "see 'kith help' for the commands\n");
		return EXIT_USAGE;
	}
	cmd = command_find(argv[optind]);
	if (!cmd) {
		suggest_command(argv[optind]);
		return EXIT_USAGE;
	}
	argc = take_global_options(&c, argc, argv, optind + 1, &no_color);
	if (argc < 0)
		return EXIT_USAGE;
	c.color = !c.json && color_wanted(STDOUT_FILENO, no_color);
	c.width = terminal_width(STDOUT_FILENO);
	c.now = kith_now();
	c.pr = printer_new(c.json ? PRINTER_JSON : PRINTER_TEXT, stdout);
	argc -= optind;
	argv += optind;
	rc = run_command(&c, cmd, argc, argv);
out:
	rc = finish_stdout(&c, rc);
	printer_free(c.pr);
	store_close(c.st);
	if (c.cfg)
		config_free(c.cfg);
	free(c.db_path);
	return rc;
}
