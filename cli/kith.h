/* kith.h - what the CLI's files share: the run context, the command table, helpers. */
#ifndef KITH_CLI_H
#define KITH_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kith/log.h"

struct kith_config;
struct store;
struct printer;
struct person;

/* Exit statuses, as man kith (EXIT STATUS) documents them. */
enum {
	EXIT_OK = 0,
	EXIT_ERROR = 1,
	EXIT_USAGE = 2,		/* bad arguments, or an ambiguous WHO */
	EXIT_STALE = 3,		/* due, replies: answered, but from mail that is not current */
	EXIT_BUSY = 75,		/* the database stayed locked (EX_TEMPFAIL) */
	EXIT_CONFIG = 78,	/* EX_CONFIG */
};

/* How a command needs the database; decides what kith_main opens for it. */
enum db_mode {
	DB_NONE,		/* no database (the command may open one itself) */
	DB_READ,		/* read only; the file must exist */
	DB_WRITE,		/* read-write; the file must exist */
	DB_CREATE,		/* read-write; created when missing */
};

/* Everything a command handler gets; owned by kith_main. */
struct cli {
	const char *config_arg;		/* -c FILE, or NULL */
	const char *db_arg;		/* -d DB, or NULL */
	bool json;			/* --json */
	bool verbose;			/* --verbose: rule names and scores in the text output */
	bool color;			/* colour on: a terminal, no NO_COLOR, no --no-color */
	int width;			/* columns to fit text into; 0: no limit */
	struct kith_config *cfg;	/* loaded for every command but DB_NONE ones */
	char *db_path;			/* the database file in use */
	struct store *st;		/* open for DB_READ/DB_WRITE/DB_CREATE commands */
	struct printer *pr;		/* stdout */
	int64_t now;			/* kith_now() */
	const struct command *cmd;
};

struct command {
	const char *name;
	int (*run)(struct cli *c, int argc, char **argv);	/* argv[0] is the command name */
	enum db_mode db;
	const char *summary;		/* one line for `kith help` */
	const char *usage;		/* arguments, after "kith NAME" */
	const char *options;		/* option lines for `kith NAME --help`, or NULL */
	bool hidden;			/* not listed by `kith help` (for completion) */
};

int kith_main(int argc, char **argv);

/* The command table (kith.c); the entries end with a NULL name. */
extern const struct command kith_commands[];
const struct command *command_find(const char *name);

/*
 * Report a usage problem: "kith CMD: MESSAGE" and the command's usage line
 * on stderr.  Returns EXIT_USAGE so handlers can `return cli_usage(...)`.
 */
int cli_usage(struct cli *c, const char *fmt, ...) KITH_PRINTF(2, 3);

/* The exit status for a failed store or people call (STORE_BUSY → 75). */
int cli_store_error(int rc);
/*
 * End the transaction around a write: commit when `rc` (the store status of
 * the work done in it) is STORE_OK, else roll back.  Returns the exit code.
 */
int cli_end(struct cli *c, int rc);

/* Load the configuration for commands that open it themselves. */
int cli_load_config(struct cli *c);

/*
 * Open the database for a command (DB_READ/DB_WRITE/DB_CREATE).  A missing
 * file is reported with a hint to run kithd.  Returns EXIT_OK or a status.
 */
int cli_open_store(struct cli *c, enum db_mode mode);

/*
 * Commands parse options with getopt_long(argc, argv, ":...", ...) after
 * cli_getopt_reset(); an unknown option or a missing value (getopt's '?' or
 * ':') is reported by cli_bad_option, which returns EXIT_USAGE.
 */
void cli_getopt_reset(void);
int cli_bad_option(struct cli *c, int ch, char **argv);

/* Exactly `min`..`max` operands left after the options, else a usage error (-1 max: any). */
int cli_operands(struct cli *c, int argc, char **argv, int min, int max);

/*
 * For commands that take no option: a leading option is a usage error, and
 * from the first operand on everything is an operand (a note may say
 * "-- call back"); then cli_operands.  optind points at the first operand.
 */
int cli_no_options(struct cli *c, int argc, char **argv, int min, int max);

/* Argument parsers that report a bad value as a usage error (return EXIT_USAGE). */
int cli_parse_duration(struct cli *c, const char *what, const char *s, int64_t *secs);
int cli_parse_when(struct cli *c, const char *what, const char *s, int64_t *t);
int cli_parse_count(struct cli *c, const char *what, const char *s, long *n);

/*
 * WHO resolution (who.c): an address, an id or a name fragment.  Returns
 * EXIT_OK with *id set; an ambiguous WHO lists the candidates on stderr and
 * returns EXIT_USAGE; an unknown one suggests the nearest names and returns
 * EXIT_ERROR.
 */
int who_resolve(struct cli *c, const char *who, int64_t *id);

/*
 * Whether the stored mail is not current: nothing synced, an account's last
 * sync failed, or it is older than a few poll intervals (health.c).  If so,
 * says why on stderr, naming the error and `kith status`, and returns true;
 * the command then exits EXIT_STALE after its output.
 */
bool cli_mail_stale(struct cli *c);

/*
 * Add the people `ids` to `circle` or take them out, in one transaction,
 * then report what really changed: the count of people moved, and for each
 * one not moved why (already there, not there, or held by a configured
 * members pattern).  `action` names it in JSON, with `number` when > 0 (the
 * suggestion accepted); `suffix` ends the text line.  Returns the exit
 * status (circle-change.c).
 */
int circle_change(struct cli *c, const char *circle, const int64_t *ids, size_t n, bool add,
		  const char *action, long number, const char *suffix);

/*
 * EXIT_OK when `circle` is a configured circle or one somebody is in; else
 * a usage error that lists the known circles (circle-change.c).
 */
int cli_known_circle(struct cli *c, const char *circle);

/*
 * Did you mean (suggest.c): suggest_command logs "no command" with the
 * nearest command; suggest_option writes the nearest option of cmd (or a
 * global one) for `typed` into buf and returns it, or NULL; suggest_people
 * fills *out (free with person_list_free) with the people nearest `typed`
 * by name words, prefixes and edit distance, best first; 0 or a STORE_*.
 */
void suggest_command(const char *typed);
const char *suggest_option(const struct command *cmd, const char *typed, char *buf, size_t len);
struct person_list;
int suggest_people(struct cli *c, const char *typed, struct person_list *out);

/* The JSON/text fields of one person, shared by due, list, search, show, export. */
void out_person_fields(struct cli *c, const struct person *p);
/* A person's display name: the name, else the address, else "#ID".  Static or p's. */
const char *person_label(const struct person *p, char *buf, size_t len);
/* The NAME cell of a table that has an EMAIL column too: the name, or "-" (never the address again). */
const char *person_name_cell(const struct person *p);

/* Command handlers, by file. */
int cmd_due(struct cli *c, int argc, char **argv);		/* cmd-people.c */
int cmd_list(struct cli *c, int argc, char **argv);
int cmd_search(struct cli *c, int argc, char **argv);
int cmd_replies(struct cli *c, int argc, char **argv);
int cmd_complete_who(struct cli *c, int argc, char **argv);
int cmd_show(struct cli *c, int argc, char **argv);		/* cmd-show.c */
int cmd_log(struct cli *c, int argc, char **argv);		/* cmd-decide.c */
int cmd_add(struct cli *c, int argc, char **argv);
int cmd_snooze(struct cli *c, int argc, char **argv);
int cmd_unsnooze(struct cli *c, int argc, char **argv);
int cmd_ignore(struct cli *c, int argc, char **argv);
int cmd_unignore(struct cli *c, int argc, char **argv);
int cmd_cadence(struct cli *c, int argc, char **argv);
int cmd_note(struct cli *c, int argc, char **argv);
int cmd_circle(struct cli *c, int argc, char **argv);		/* cmd-circle.c */
int cmd_circles(struct cli *c, int argc, char **argv);
int cmd_merge(struct cli *c, int argc, char **argv);
int cmd_split(struct cli *c, int argc, char **argv);
int cmd_status(struct cli *c, int argc, char **argv);		/* cmd-admin.c */
int cmd_sync(struct cli *c, int argc, char **argv);
int cmd_rebuild(struct cli *c, int argc, char **argv);
int cmd_config(struct cli *c, int argc, char **argv);
int cmd_config_init(struct cli *c, int argc, char **argv);	/* cmd-config.c */
int cmd_export(struct cli *c, int argc, char **argv);		/* cmd-export.c */
int cmd_import(struct cli *c, int argc, char **argv);
int cmd_related(struct cli *c, int argc, char **argv);		/* cmd-graph.c */
int cmd_circles_suggest(struct cli *c, int argc, char **argv);
int cmd_circle_accept(struct cli *c, int argc, char **argv);
int cmd_goals(struct cli *c, int argc, char **argv);
int cmd_seeds(struct cli *c, int argc, char **argv);		/* cmd-event.c */
int cmd_event(struct cli *c, int argc, char **argv);
int cmd_events(struct cli *c, int argc, char **argv);
int cmd_brief(struct cli *c, int argc, char **argv);		/* cmd-brief.c */

/* The fields of a new tie (first_contact origin event seed_state next_follow_up). */
void out_seed_fields(struct cli *c, const struct person *p);
/* When to follow up a new tie: "now", "in 3 days", "—" (lost).  Returns buf. */
char *seed_follow_up_text(struct cli *c, const struct person *p, char *buf, size_t len);

/*
 * A person's mail over the last SPARK_MONTHS months (sparkline.c):
 * sparkline_count fills the messages sent and received per month, oldest
 * first, and returns their total; sparkline_draw appends one bar a month,
 * scaled to `max`, a dot for a month without mail.
 */
#define SPARK_MONTHS 24
struct history_list;
struct strbuf;
int sparkline_count(const struct history_list *h, int64_t now, int sent[SPARK_MONTHS], int received[SPARK_MONTHS]);
void sparkline_draw(const int counts[SPARK_MONTHS], int max, struct strbuf *out);

struct graph_suggestions;
/* The first `limit` suggested communities and the bridges as a Graphviz graph (graph-dot.c). */
int graph_dot(struct cli *c, const struct graph_suggestions *g, size_t limit);

#endif
