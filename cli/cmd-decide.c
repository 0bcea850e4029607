/* cmd-decide.c - the user's decisions about one person: log, add, snooze, ignore, cadence, note. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "format.h"
#include "kith.h"
#include "kith/people.h"
#include "kith/store.h"
#include "kith/util.h"
#include "printer.h"

/*
 * Every decision runs in its own transaction: BEGIN IMMEDIATE waits for
 * kithd's batch to commit (busy timeout) and gives up with exit 75.
 */
static int
begin(struct cli *c)
{
	int rc = store_begin(c->st);

	return rc == STORE_OK ? EXIT_OK : cli_store_error(rc);
}

static int
finish(struct cli *c, int rc)
{
	int src;

	if (rc != EXIT_OK) {
		store_rollback(c->st);
		return rc;
	}
	if ((src = store_commit(c->st)) != STORE_OK)
		return cli_store_error(src);
	return EXIT_OK;
}

/* The display name of person `id` (cleaned), for confirmations.  free() it. */
static char *
name_of(struct cli *c, int64_t id)
{
	struct person p = { 0 };
	char lb[32], *s;

	if (people_get(c->st, id, c->now, &p) != 0)
		return xasprintf("#%lld", (long long)id);
	s = text_clean(person_label(&p, lb, sizeof(lb)));
	person_free(&p);
	return s;
}

/* The JSON answer of a decision: {"id": …, "name": …, "action": …} plus the caller's fields. */
static void
json_done(struct cli *c, int64_t id, const char *action)
{
	struct person p = { 0 };

	pr_map_begin(c->pr);
	pr_key(c->pr, "action");
	pr_str(c->pr, action);
	if (people_get(c->st, id, c->now, &p) == 0) {
		pr_key(c->pr, "person");
		pr_map_begin(c->pr);
		out_person_fields(c, &p);
		pr_map_end(c->pr);
		person_free(&p);
	}
}

/* The event named with --event: a usage error when there is none. */
static int
find_event(struct cli *c, const char *name, struct event_item *ev)
{
	int rc = people_event_get(c->st, name, ev);

	if (rc != 0)
		return cli_store_error(rc);
	if (!ev->name)
		return cli_usage(c, "no event '%s' (kith event add '%s' records it; kith events lists them)",
				 name, name);
	return EXIT_OK;
}

static bool
has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

static char *
join_args(int argc, char **argv, int from)
{
	struct strbuf sb = { 0 };
	int i;

	for (i = from; i < argc; i++) {
		if (i > from)
			sb_addc(&sb, ' ');
		sb_adds(&sb, argv[i]);
	}
	return sb_detach(&sb);
}

int
cmd_log(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "when", required_argument, NULL, 'w' },
		{ "kind", required_argument, NULL, 'k' },
		{ "note", required_argument, NULL, 'n' },
		{ "event", required_argument, NULL, 'E' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const kinds[] = { "meeting", "call", "event", "message" };
	const char *kind = "meeting", *note = NULL, *event = NULL;
	struct event_item ev = { 0 };
	int64_t when = c->now, id;
	char date[32], *name;
	bool known = false, when_set = false;
	int ch, rc;
	size_t i;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (ch) {
		case 'w':
			if ((rc = cli_parse_when(c, "date", optarg, &when)) != EXIT_OK)
				return rc;
			if (when > c->now + DAY_SECS)
				return cli_usage(c, "bad date '%s': it is in the future", optarg);
			when_set = true;
			break;
		case 'k':
			kind = optarg;
			break;
		case 'n':
			note = optarg;
			break;
		case 'E':
			event = optarg;
			break;
		default:
			return cli_bad_option(c, ch, argv);
		}
	}
	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		known |= strcmp(kind, kinds[i]) == 0;
	if (!known)
		return cli_usage(c, "bad kind '%s' (want meeting, call, event or message)", kind);
	if ((rc = cli_operands(c, argc, argv, 1, 1)) != EXIT_OK)
		return rc;
	if ((rc = who_resolve(c, argv[optind], &id)) != EXIT_OK)
		return rc;
	if (event && (rc = find_event(c, event, &ev)) != EXIT_OK)
		return rc;
	/* Met at an event: on its day, unless told otherwise (and never in the future). */
	if (ev.name && !when_set)
		when = ev.at < c->now ? ev.at : c->now;
	if ((rc = begin(c)) != EXIT_OK) {
		event_item_free(&ev);
		return rc;
	}
	rc = people_log(c->st, id, when, kind, note ? note : ev.name);
	if (rc == 0 && ev.name)
		rc = people_event_join(c->st, &ev, id);
	event_item_free(&ev);
	if ((rc = finish(c, rc == 0 ? EXIT_OK : cli_store_error(rc))) != EXIT_OK)
		return rc;
	if (printer_json(c->pr)) {
		json_done(c, id, "log");
		pr_key(c->pr, "kind");
		pr_str(c->pr, kind);
		pr_key(c->pr, "at");
		pr_time(c->pr, when);
		pr_map_end(c->pr);
	} else {
		name = name_of(c, id);
		pr_text(c->pr, "logged %s %s with %s on %s", strchr("aeiou", kind[0]) ? "an" : "a", kind, name,
			format_date(when, date, sizeof(date)));
		free(name);
	}
	return EXIT_OK;
}

/*
 * Adding a name kith knows already, without an address to tell the two
 * apart, is far more often a second `add` of the same person than a
 * namesake: refuse, and say how to add a namesake.
 */
static int
same_name_known(struct cli *c, const char *name)
{
	struct person_list l = { 0 };
	int rc;
	size_t i;

	if ((rc = people_list(c->st, c->now, NULL, SORT_NAME, PEOPLE_ACQUAINTANCES, &l)) != 0)
		return cli_store_error(rc);
	rc = EXIT_OK;
	for (i = 0; i < l.n; i++) {
		if (l.v[i].name && strcasecmp(l.v[i].name, name) == 0) {
			log_error("'%s' is known already (id %lld%s%s): to add another person of that "
				  "name, give their address with --email", name, (long long)l.v[i].id,
				  l.v[i].email ? ", " : "", l.v[i].email ? l.v[i].email : "");
			rc = EXIT_ERROR;
			break;
		}
	}
	person_list_free(&l);
	return rc;
}

int
cmd_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "email", required_argument, NULL, 'e' },
		{ "circle", required_argument, NULL, 'C' },
		{ "note", required_argument, NULL, 'n' },
		{ "follow-up", required_argument, NULL, 'f' },
		{ "event", required_argument, NULL, 'E' },
		{ NULL, 0, NULL, 0 },
	};
	const char *email = NULL, *circle = NULL, *note = NULL, *event = NULL;
	struct event_item ev = { 0 };
	int64_t follow = 0, id = 0, met;
	char *name, span[64];
	int ch, rc;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (ch) {
		case 'e':
			email = optarg;
			if (!strchr(email, '@') || strpbrk(email, " \t<>,;\"") || has_control(email))
				return cli_usage(c, "bad address '%s'", email);
			break;
		case 'C':
			circle = optarg;
			if (!*circle || has_control(circle))
				return cli_usage(c, "bad circle name '%s'", circle);
			break;
		case 'n':
			note = optarg;
			break;
		case 'f':
			if ((rc = cli_parse_duration(c, "follow-up", optarg, &follow)) != EXIT_OK)
				return rc;
			break;
		case 'E':
			event = optarg;
			break;
		default:
			return cli_bad_option(c, ch, argv);
		}
	}
	if ((rc = cli_operands(c, argc, argv, 1, -1)) != EXIT_OK)
		return rc;
	name = join_args(argc, argv, optind);
	if (!*str_trim(name) || has_control(name)) {
		rc = cli_usage(c, "bad name '%s'", name);
		free(name);
		return rc;
	}
	if (!email && (rc = same_name_known(c, str_trim(name))) != EXIT_OK)
		goto out;
	if (event && (rc = find_event(c, event, &ev)) != EXIT_OK)
		goto out;
	/* Someone met at an event was met on its day (a future event: today). */
	met = ev.name && ev.at < c->now ? ev.at : c->now;
	if ((rc = begin(c)) != EXIT_OK)
		goto out;
	rc = people_add(c->st, str_trim(name), email, met, &id);
	if (rc == 0 && ev.name)
		rc = people_event_join(c->st, &ev, id);
	if (rc == 0 && circle)
		rc = people_circle(c->st, circle, id, true);
	if (rc == 0 && note)
		rc = people_note(c->st, id, c->now, note);
	/* A follow-up is a cadence: due again once that much time has passed. */
	if (rc == 0 && follow)
		rc = people_set_cadence(c->st, id, follow);
	if ((rc = finish(c, rc == 0 ? EXIT_OK : cli_store_error(rc))) != EXIT_OK)
		goto out;
	if (printer_json(c->pr)) {
		json_done(c, id, "add");
		pr_map_end(c->pr);
	} else {
		pr_text(c->pr, "added %s (id %lld)%s%s", str_trim(name), (long long)id,
			follow ? ", follow up in " : "", follow ? format_span(follow, span, sizeof(span)) : "");
		if (ev.name)
			pr_text(c->pr, "met at %s: kith will remind you to follow up", ev.name);
	}
out:
	event_item_free(&ev);
	free(name);
	return rc;
}

/*
 * A day ahead in words, as people say it: "tomorrow", "next week" (its
 * Monday), a weekday ("friday", "fri", "next friday": the next one after
 * today).  *out is the start of that day in local time, so the person is
 * back for that day's nudge.  Returns 0, or -1 when s is none of these.
 */
static int
parse_day_ahead(const char *s, int64_t now, int64_t *out)
{
	static const char *const days[] = { "sunday", "monday", "tuesday", "wednesday", "thursday",
					    "friday", "saturday" };
	time_t tt = (time_t)now;
	struct tm tm;
	int ahead = -1, i;

	if (strncasecmp(s, "next ", 5) == 0 && strcasecmp(s + 5, "week") != 0)
		s += 5;
	localtime_r(&tt, &tm);
	if (strcasecmp(s, "tomorrow") == 0)
		ahead = 1;
	else if (strcasecmp(s, "next week") == 0)
		ahead = (8 - tm.tm_wday) % 7 ? (8 - tm.tm_wday) % 7 : 7;
	for (i = 0; ahead < 0 && i < 7; i++)
		if (strcasecmp(s, days[i]) == 0 || (strlen(s) == 3 && strncasecmp(s, days[i], 3) == 0))
			ahead = (i - tm.tm_wday + 7) % 7 ? (i - tm.tm_wday + 7) % 7 : 7;
	if (ahead < 0)
		return -1;
	tm.tm_mday += ahead;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	*out = (int64_t)mktime(&tm);
	return 0;
}

static int
snooze_until(struct cli *c, const char *arg, int64_t *out)
{
	int64_t until, d;

	/* A duration is "for that long"; anything else must be a future date. */
	if (parse_duration(arg, &d) == 0 && d > 0) {
		until = c->now + d;
	} else if (parse_day_ahead(arg, c->now, &until) == 0) {
		;
	} else if (parse_when(arg, c->now, &until) == 0 && until > c->now) {
		;
	} else if (parse_when(arg, c->now, &until) == 0) {
		return cli_usage(c, "bad date '%s': it is not in the future", arg);
	} else {
		return cli_usage(c, "bad duration or date '%s' (want 2w, 3m, tomorrow, next week, a weekday "
				    "or a date such as 2026-05-01)", arg);
	}
	*out = until;
	return EXIT_OK;
}

int
cmd_snooze(struct cli *c, int argc, char **argv)
{
	char *arg = NULL;
	int64_t id, until = 0;
	char date[32], *name;
	int rc;

	/* "next week" may come as one argument or two. */
	if ((rc = cli_no_options(c, argc, argv, 2, 3)) != EXIT_OK)
		return rc;
	arg = join_args(argc, argv, optind + 1);
	rc = snooze_until(c, arg, &until);
	free(arg);
	if (rc != EXIT_OK)
		return rc;
	if ((rc = who_resolve(c, argv[optind], &id)) != EXIT_OK)
		return rc;
	if ((rc = begin(c)) != EXIT_OK)
		return rc;
	rc = people_snooze(c->st, id, until);
	if ((rc = finish(c, rc == 0 ? EXIT_OK : cli_store_error(rc))) != EXIT_OK)
		return rc;
	if (printer_json(c->pr)) {
		json_done(c, id, "snooze");
		pr_key(c->pr, "until");
		pr_time(c->pr, until);
		pr_map_end(c->pr);
	} else {
		name = name_of(c, id);
		pr_text(c->pr, "snoozed %s until %s", name, format_date(until, date, sizeof(date)));
		free(name);
	}
	return EXIT_OK;
}

int
cmd_unsnooze(struct cli *c, int argc, char **argv)
{
	int64_t id;
	char *name;
	int rc;

	if ((rc = cli_no_options(c, argc, argv, 1, 1)) != EXIT_OK)
		return rc;
	if ((rc = who_resolve(c, argv[optind], &id)) != EXIT_OK)
		return rc;
	if ((rc = begin(c)) != EXIT_OK)
		return rc;
	rc = people_snooze(c->st, id, 0);
	if ((rc = finish(c, rc == 0 ? EXIT_OK : cli_store_error(rc))) != EXIT_OK)
		return rc;
	if (printer_json(c->pr)) {
		json_done(c, id, "unsnooze");
		pr_map_end(c->pr);
	} else {
		name = name_of(c, id);
		pr_text(c->pr, "%s is no longer snoozed", name);
		free(name);
	}
	return EXIT_OK;
}

static bool
is_pattern(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static int
ignore(struct cli *c, int argc, char **argv, bool on)
{
	const char *arg;
	int64_t id;
	char *name;
	int rc;

	if ((rc = cli_no_options(c, argc, argv, 1, 1)) != EXIT_OK)
		return rc;
	arg = argv[optind];
	if (is_pattern(arg)) {
		if (has_control(arg))
			return cli_usage(c, "bad pattern '%s'", arg);
		if ((rc = begin(c)) != EXIT_OK)
			return rc;
		rc = people_ignore_pattern(c->st, arg, on);
		if ((rc = finish(c, rc == 0 ? EXIT_OK : cli_store_error(rc))) != EXIT_OK)
			return rc;
		if (printer_json(c->pr)) {
			pr_map_begin(c->pr);
			pr_key(c->pr, "action");
			pr_str(c->pr, on ? "ignore" : "unignore");
			pr_key(c->pr, "pattern");
			pr_str(c->pr, arg);
			pr_map_end(c->pr);
		} else {
			pr_text(c->pr, on ? "ignoring every address matching '%s'" :
					    "no longer ignoring addresses matching '%s'", arg);
		}
		return EXIT_OK;
	}
	if ((rc = who_resolve(c, arg, &id)) != EXIT_OK)
		return rc;
	if ((rc = begin(c)) != EXIT_OK)
		return rc;
	rc = people_ignore(c->st, id, on);
	if ((rc = finish(c, rc == 0 ? EXIT_OK : cli_store_error(rc))) != EXIT_OK)
		return rc;
	if (printer_json(c->pr)) {
		json_done(c, id, on ? "ignore" : "unignore");
		pr_map_end(c->pr);
	} else {
		name = name_of(c, id);
		pr_text(c->pr, on ? "ignoring %s: never suggested again" : "no longer ignoring %s", name);
		free(name);
	}
	return EXIT_OK;
}

int
cmd_ignore(struct cli *c, int argc, char **argv)
{
	return ignore(c, argc, argv, true);
}

int
cmd_unignore(struct cli *c, int argc, char **argv)
{
	return ignore(c, argc, argv, false);
}

int
cmd_cadence(struct cli *c, int argc, char **argv)
{
	const char *arg;
	int64_t id, secs;
	char span[64], *name;
	int rc;

	if ((rc = cli_no_options(c, argc, argv, 2, 2)) != EXIT_OK)
		return rc;
	arg = argv[optind + 1];
	if (strcmp(arg, "auto") == 0)
		secs = 0;
	else if (strcmp(arg, "never") == 0)
		secs = -1;
	else if (parse_duration(arg, &secs) == -1 || secs < DAY_SECS)
		return cli_usage(c, "bad cadence '%s' (want a duration of a day or more such as 2w, "
				    "or auto, or never)", arg);
	if ((rc = who_resolve(c, argv[optind], &id)) != EXIT_OK)
		return rc;
	if ((rc = begin(c)) != EXIT_OK)
		return rc;
	rc = people_set_cadence(c->st, id, secs);
	if ((rc = finish(c, rc == 0 ? EXIT_OK : cli_store_error(rc))) != EXIT_OK)
		return rc;
	if (printer_json(c->pr)) {
		json_done(c, id, "cadence");
		pr_map_end(c->pr);
		return EXIT_OK;
	}
	name = name_of(c, id);
	if (secs == 0)
		pr_text(c->pr, "%s: cadence back to automatic", name);
	else if (secs < 0)
		pr_text(c->pr, "%s: never nudged about", name);
	else
		pr_text(c->pr, "%s: keep in touch every %s", name, format_span(secs, span, sizeof(span)));
	free(name);
	return EXIT_OK;
}

int
cmd_note(struct cli *c, int argc, char **argv)
{
	int64_t id;
	char *text, *name;
	int rc;

	if ((rc = cli_no_options(c, argc, argv, 2, -1)) != EXIT_OK)
		return rc;
	text = join_args(argc, argv, optind + 1);
	if (!*str_trim(text)) {
		free(text);
		return cli_usage(c, "empty note");
	}
	if ((rc = who_resolve(c, argv[optind], &id)) != EXIT_OK)
		goto out;
	if ((rc = begin(c)) != EXIT_OK)
		goto out;
	rc = people_note(c->st, id, c->now, str_trim(text));
	if ((rc = finish(c, rc == 0 ? EXIT_OK : cli_store_error(rc))) != EXIT_OK)
		goto out;
	if (printer_json(c->pr)) {
		json_done(c, id, "note");
		pr_key(c->pr, "note");
		pr_str(c->pr, str_trim(text));
		pr_map_end(c->pr);
	} else {
		name = name_of(c, id);
		pr_text(c->pr, "noted about %s", name);
		free(name);
	}
out:
	free(text);
	return rc;
}
