/* cmd-event.c - new ties and events: `kith seeds`, `kith event add`, `kith events`. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "kith.h"
#include "kith/model.h"
#include "kith/people.h"
#include "kith/seed.h"
#include "kith/store.h"
#include "kith/util.h"
#include "printer.h"

void
out_seed_fields(struct cli *c, const struct person *p)
{
	struct printer *pr = c->pr;
	bool seed = p->seed_state != SEED_NONE;

	pr_key(pr, "first_contact");
	pr_time(pr, seed ? p->first_contact : 0);
	pr_key(pr, "origin");
	if (seed)
		pr_str(pr, seed_origin_name((enum seed_origin)p->origin));
	else
		pr_null(pr);
	pr_key(pr, "event");
	pr_str(pr, p->event);
	pr_key(pr, "seed_state");
	if (seed)
		pr_str(pr, seed_state_name((enum seed_state)p->seed_state));
	else
		pr_null(pr);
	pr_key(pr, "next_follow_up");
	pr_time(pr, seed ? p->next_follow_up : 0);
}

char *
seed_follow_up_text(struct cli *c, const struct person *p, char *buf, size_t len)
{
	if (p->seed_state == SEED_LOST || p->next_follow_up == 0)
		snprintf(buf, len, "—");
	else if (p->next_follow_up <= c->now)
		snprintf(buf, len, "now");
	else
		format_relative(p->next_follow_up, c->now, buf, len);
	return buf;
}

static const char *
state_color(int state)
{
	switch (state) {
	case SEED_GROWING:
		return COLOR_GREEN;
	case SEED_WAITING:
		return COLOR_YELLOW;
	case SEED_LOST:
		return COLOR_DIM;
	default:
		return NULL;
	}
}

int
cmd_seeds(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "days", required_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const head[] = { "NAME", "EMAIL", "STATE", "FIRST MET", "WHERE", "FOLLOW UP" };
	struct person_list l = { 0 };
	long days = SEED_LIST_DAYS;
	struct table *t;
	char lb[32], first[48], next[48];
	int ch, rc;
	size_t i;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (ch != 'D')
			return cli_bad_option(c, ch, argv);
		if ((rc = cli_parse_count(c, "number of days", optarg, &days)) != EXIT_OK)
			return rc;
	}
	if ((rc = cli_operands(c, argc, argv, 0, 0)) != EXIT_OK)
		return rc;
	if ((rc = people_seeds(c->st, c->now, (int64_t)days, &l)) != 0)
		return cli_store_error(rc);
	if (printer_json(c->pr)) {
		pr_list_begin(c->pr);
		for (i = 0; i < l.n; i++) {
			pr_map_begin(c->pr);
			out_person_fields(c, &l.v[i]);
			out_seed_fields(c, &l.v[i]);
			pr_map_end(c->pr);
		}
		pr_list_end(c->pr);
		person_list_free(&l);
		return EXIT_OK;
	}
	if (l.n == 0) {
		pr_text(c->pr, "no new ties in the last %ld days — `kith add NAME --event EVENT` records "
			       "someone you just met", days);
		person_list_free(&l);
		return EXIT_OK;
	}
	t = table_new(ARRAY_SIZE(head), head);
	table_flex(t, 0, 8);
	table_flex(t, 1, 8);
	table_flex(t, 4, 6);
	for (i = 0; i < l.n; i++) {
		const struct person *p = &l.v[i];
		const char *where = p->event ? p->event : p->origin == ORIGIN_ADDED ? "added by you" : "mail";
		const char *cells[] = { person_label(p, lb, sizeof(lb)), p->email,
					seed_state_name((enum seed_state)p->seed_state),
					format_relative(p->first_contact, c->now, first, sizeof(first)), where,
					seed_follow_up_text(c, p, next, sizeof(next)) };

		table_add(t, cells);
		table_color(t, 2, state_color(p->seed_state));
	}
	rc = table_print(t, printer_file(c->pr), c->width, c->color) == -1 ? EXIT_ERROR : EXIT_OK;
	table_free(t);
	person_list_free(&l);
	return rc;
}

static bool
bad_name(const char *s)
{
	if (!*s)
		return true;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

static int
event_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, 'w' },
		{ "circle", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 },
	};
	const char *circle = NULL;
	struct event_item ev = { 0 };
	int64_t at = c->now;
	char date[32];
	int ch, rc, src;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (ch) {
		case 'w':
			if ((rc = cli_parse_when(c, "date", optarg, &at)) != EXIT_OK)
				return rc;
			break;
		case 'C':
			circle = optarg;
			if (bad_name(circle))
				return cli_usage(c, "bad circle name '%s'", circle);
			break;
		default:
			return cli_bad_option(c, ch, argv);
		}
	}
	if ((rc = cli_operands(c, argc, argv, 1, 1)) != EXIT_OK)
		return rc;
	if (bad_name(argv[optind]) || strlen(argv[optind]) > 200)
		return cli_usage(c, "bad event name '%s'", argv[optind]);
	if ((src = store_begin(c->st)) != STORE_OK)
		return cli_store_error(src);
	src = people_event_add(c->st, argv[optind], at, circle);
	if ((rc = cli_end(c, src)) != EXIT_OK)
		return rc;
	if ((src = people_event_get(c->st, argv[optind], &ev)) != STORE_OK || !ev.name)
		return src != STORE_OK ? cli_store_error(src) : EXIT_ERROR;
	if (printer_json(c->pr)) {
		pr_map_begin(c->pr);
		pr_key(c->pr, "action");
		pr_str(c->pr, "event add");
		pr_key(c->pr, "name");
		pr_str(c->pr, ev.name);
		pr_key(c->pr, "date");
		pr_time(c->pr, ev.at);
		pr_key(c->pr, "circle");
		pr_str(c->pr, ev.circle);
		pr_key(c->pr, "also_circle");
		pr_str(c->pr, ev.also);
		pr_map_end(c->pr);
	} else {
		char *name = text_clean(ev.name), *cir = text_clean(ev.circle);

		pr_text(c->pr, "added event %s on %s: its people form the circle %s%s%s", name,
			format_date(ev.at, date, sizeof(date)), cir, ev.also ? " and join " : "",
			ev.also ? ev.also : "");
		pr_text(c->pr, "next: kith add NAME --event '%s' for each person you meet there", name);
		free(name);
		free(cir);
	}
	event_item_free(&ev);
	return EXIT_OK;
}

int
cmd_event(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(c, "say what to do (want: event add NAME)");
	if (strcmp(argv[1], "add") == 0)
		return event_add(c, argc - 1, argv + 1);
	return cli_usage(c, "unknown action '%s' (want: add)", argv[1]);
}

int
cmd_events(struct cli *c, int argc, char **argv)
{
	static const char *const head[] = { "EVENT", "DATE", "PEOPLE", "GROWING", "WAITING", "LOST" };
	struct event_list l = { 0 };
	struct table *t;
	char date[32], n[4][24];
	size_t i;
	int rc;

	if ((rc = cli_no_options(c, argc, argv, 0, 0)) != EXIT_OK)
		return rc;
	if ((rc = people_events(c->st, c->now, &l)) != 0)
		return cli_store_error(rc);
	if (printer_json(c->pr)) {
		pr_list_begin(c->pr);
		for (i = 0; i < l.n; i++) {
			const struct event_item *e = &l.v[i];

			pr_map_begin(c->pr);
			pr_key(c->pr, "name");
			pr_str(c->pr, e->name);
			pr_key(c->pr, "date");
			pr_time(c->pr, e->at);
			pr_key(c->pr, "circle");
			pr_str(c->pr, e->circle);
			pr_key(c->pr, "also_circle");
			pr_str(c->pr, e->also);
			pr_key(c->pr, "people");
			pr_int(c->pr, (int64_t)e->people);
			pr_key(c->pr, "growing");
			pr_int(c->pr, (int64_t)e->growing);
			pr_key(c->pr, "waiting");
			pr_int(c->pr, (int64_t)e->waiting);
			pr_key(c->pr, "lost");
			pr_int(c->pr, (int64_t)e->lost);
			pr_map_end(c->pr);
		}
		pr_list_end(c->pr);
		event_list_free(&l);
		return EXIT_OK;
	}
	if (l.n == 0) {
		pr_text(c->pr, "no events yet — `kith event add NAME --date DATE` records one");
		event_list_free(&l);
		return EXIT_OK;
	}
	t = table_new(ARRAY_SIZE(head), head);
	table_flex(t, 0, 8);
	for (i = 2; i < ARRAY_SIZE(head); i++)
		table_right(t, i);
	for (i = 0; i < l.n; i++) {
		const struct event_item *e = &l.v[i];
		const char *cells[] = { e->name, format_date(e->at, date, sizeof(date)), n[0], n[1], n[2], n[3] };

		snprintf(n[0], sizeof(n[0]), "%zu", e->people);
		snprintf(n[1], sizeof(n[1]), "%zu", e->growing);
		snprintf(n[2], sizeof(n[2]), "%zu", e->waiting);
		snprintf(n[3], sizeof(n[3]), "%zu", e->lost);
		table_add(t, cells);
	}
	rc = table_print(t, printer_file(c->pr), c->width, c->color) == -1 ? EXIT_ERROR : EXIT_OK;
	table_free(t);
	event_list_free(&l);
	return rc;
}
