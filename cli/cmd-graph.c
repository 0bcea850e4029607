/* cmd-graph.c - synchronicity: related, circles --suggest, circle accept, goals. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "kith.h"
#include "kith/graph.h"
#include "kith/people.h"
#include "kith/store.h"
#include "kith/util.h"
#include "printer.h"

#define RELATED_DEFAULT_LIMIT	20
#define GOALS_NEXT		3	/* people to write to next, per goal */
#define SUGGEST_NAMES		20	/* members named per community in text */

/* The few fields that name a person inside a larger result. */
static void
out_person_brief(struct cli *c, const struct person *p)
{
	pr_key(c->pr, "id");
	pr_int(c->pr, p->id);
	pr_key(c->pr, "name");
	pr_str(c->pr, p->name);
	pr_key(c->pr, "email");
	pr_str(c->pr, p->email);
	pr_key(c->pr, "relationship");
	pr_bool(c->pr, p->relationship);
	pr_key(c->pr, "status");
	pr_str(c->pr, person_status_name(p->status));
}

/* "3 threads with Maya, last 14 months ago" */
static char *
related_reason(const struct related_item *r, const char *with, int64_t now)
{
	char when[64];

	format_relative(r->last_shared, now, when, sizeof(when));
	return xasprintf("%zu thread%s with %s, last %s", r->threads, r->threads == 1 ? "" : "s", with, when);
}

int
cmd_related(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "limit", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const head[] = { "ID", "NAME", "EMAIL", "STATUS", "WHY" };
	struct related_list l = { 0 };
	struct person who = { 0 };
	struct table *t;
	char wb[32], id[32];
	const char *with;
	long limit = RELATED_DEFAULT_LIMIT;
	int64_t pid;
	int ch, rc;
	size_t i;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":n:", opts, NULL)) != -1) {
		if (ch != 'n')
			return cli_bad_option(c, ch, argv);
		if ((rc = cli_parse_count(c, "count", optarg, &limit)) != EXIT_OK)
			return rc;
	}
	if ((rc = cli_operands(c, argc, argv, 1, 1)) != EXIT_OK)
		return rc;
	if ((rc = who_resolve(c, argv[optind], &pid)) != EXIT_OK)
		return rc;
	if ((rc = people_get(c->st, pid, c->now, &who)) != STORE_OK)
		return cli_store_error(rc);
	if ((rc = graph_related(c->st, pid, c->now, (size_t)limit, &l)) != STORE_OK) {
		person_free(&who);
		return cli_store_error(rc);
	}
	with = person_label(&who, wb, sizeof(wb));
	rc = EXIT_OK;
	if (printer_json(c->pr)) {
		pr_map_begin(c->pr);
		out_person_brief(c, &who);
		pr_key(c->pr, "related");
		pr_list_begin(c->pr);
		for (i = 0; i < l.n; i++) {
			char *why = related_reason(&l.v[i], with, c->now);

			pr_map_begin(c->pr);
			out_person_fields(c, &l.v[i].p);
			pr_key(c->pr, "score");
			pr_dbl(c->pr, l.v[i].score);
			pr_key(c->pr, "shared_threads");
			pr_int(c->pr, (int64_t)l.v[i].threads);
			pr_key(c->pr, "last_shared");
			pr_time(c->pr, l.v[i].last_shared);
			pr_key(c->pr, "related_reason");
			pr_str(c->pr, why);
			pr_map_end(c->pr);
			free(why);
		}
		pr_list_end(c->pr);
		pr_map_end(c->pr);
	} else if (l.n == 0) {
		pr_text(c->pr, "%s shares no threads with anyone else", with);
	} else {
		t = table_new(ARRAY_SIZE(head), head);
		table_right(t, 0);
		table_flex(t, 1, 8);
		table_flex(t, 2, 8);
		table_flex(t, 4, 12);
		for (i = 0; i < l.n; i++) {
			const struct person *p = &l.v[i].p;
			char *why = related_reason(&l.v[i], with, c->now);
			const char *cells[] = { id, person_name_cell(p), p->email,
						p->relationship ? person_status_name(p->status) : "acquaintance", why };

			snprintf(id, sizeof(id), "%lld", (long long)p->id);
			table_add(t, cells);
			if (p->status == STATUS_DORMANT)
				table_color(t, 3, COLOR_DIM);
			free(why);
		}
		if (table_print(t, printer_file(c->pr), c->width, c->color) == -1)
			rc = EXIT_ERROR;
		table_free(t);
	}
	related_list_free(&l);
	person_free(&who);
	return rc;
}

static void
json_suggestions(struct cli *c, const struct graph_suggestions *g)
{
	size_t i, j;

	pr_map_begin(c->pr);
	pr_key(c->pr, "communities");
	pr_list_begin(c->pr);
	for (i = 0; i < g->n; i++) {
		pr_map_begin(c->pr);
		pr_key(c->pr, "number");
		pr_int(c->pr, (int64_t)i + 1);
		pr_key(c->pr, "name");
		pr_str(c->pr, g->v[i].name);
		pr_key(c->pr, "name_from");
		pr_str(c->pr, g->v[i].name_from);
		pr_key(c->pr, "weight");
		pr_dbl(c->pr, g->v[i].weight);
		pr_key(c->pr, "members");
		pr_list_begin(c->pr);
		for (j = 0; j < g->v[i].members.n; j++) {
			pr_map_begin(c->pr);
			out_person_brief(c, &g->v[i].members.v[j]);
			pr_map_end(c->pr);
		}
		pr_list_end(c->pr);
		pr_map_end(c->pr);
	}
	pr_list_end(c->pr);
	pr_key(c->pr, "bridges");
	pr_list_begin(c->pr);
	for (i = 0; i < g->nbridges; i++) {
		pr_map_begin(c->pr);
		out_person_brief(c, &g->bridges[i].p);
		pr_key(c->pr, "communities");
		pr_list_begin(c->pr);
		for (j = 0; j < g->bridges[i].ncommunities; j++)
			pr_int(c->pr, (int64_t)g->bridges[i].communities[j]);
		pr_list_end(c->pr);
		pr_key(c->pr, "weight");
		pr_dbl(c->pr, g->bridges[i].weight);
		pr_map_end(c->pr);
	}
	pr_list_end(c->pr);
	pr_map_end(c->pr);
}

/* `text` after `indent` spaces, wrapped to the terminal with the same indent. */
static void
text_indented(struct cli *c, const char *text, size_t indent)
{
	char *wrapped = text_wrap(text, c->width, indent), *line, *next;

	for (line = wrapped; line; line = next) {
		if ((next = strchr(line, '\n')))
			*next++ = '\0';
		pr_text(c->pr, "%*s%s", (int)indent, "", line + strspn(line, " "));
	}
	free(wrapped);
}

static void
text_suggestions(struct cli *c, const struct graph_suggestions *g, size_t limit)
{
	struct strbuf sb = { 0 };
	char lb[32], *line;
	size_t i, j;

	if (g->n == 0) {
		pr_text(c->pr, "no communities found yet: they need people who write together in several threads");
		return;
	}
	for (i = 0; i < g->n && i < limit; i++) {
		pr_text(c->pr, "%zu. %s — %zu people (named after the %s)", i + 1, g->v[i].name,
			g->v[i].members.n, g->v[i].name_from);
		sb_reset(&sb);
		for (j = 0; j < g->v[i].members.n && j < SUGGEST_NAMES; j++) {
			if (j)
				sb_adds(&sb, ", ");
			sb_adds(&sb, person_label(&g->v[i].members.v[j], lb, sizeof(lb)));
		}
		if (g->v[i].members.n > SUGGEST_NAMES)
			sb_addf(&sb, " and %zu more (--json lists them all)", g->v[i].members.n - SUGGEST_NAMES);
		text_indented(c, sb.len ? sb.buf : "", 3);
	}
	if (g->n > limit)
		pr_text(c->pr, "… and %zu smaller ones (-n %zu shows them)", g->n - limit, g->n);
	if (g->nbridges) {
		pr_text(c->pr, "bridges:");
		for (i = 0; i < g->nbridges; i++) {
			sb_reset(&sb);
			for (j = 0; j < g->bridges[i].ncommunities; j++) {
				size_t k = g->bridges[i].communities[j];

				sb_addf(&sb, "%s%zu. %s", j ? " and " : "", k, g->v[k - 1].name);
			}
			line = xasprintf("%s links %s", person_label(&g->bridges[i].p, lb, sizeof(lb)),
					 sb.len ? sb.buf : "");
			text_indented(c, line, 3);
			free(line);
		}
	}
	pr_text(c->pr, "make one a circle with 'kith circle accept N NAME'");
	sb_free(&sb);
}

int
cmd_circles_suggest(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "suggest", no_argument, NULL, 's' },
		{ "limit", required_argument, NULL, 'n' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct graph_suggestions g;
	long limit = 10;
	bool dot = false;
	int ch, rc;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":n:", opts, NULL)) != -1) {
		if (ch == 's')
			continue;
		if (ch == 'f') {
			if (strcmp(optarg, "dot") != 0 && strcmp(optarg, "text") != 0)
				return cli_usage(c, "bad format '%s' (want text or dot)", optarg);
			dot = strcmp(optarg, "dot") == 0;
			continue;
		}
		if (ch != 'n')
			return cli_bad_option(c, ch, argv);
		if ((rc = cli_parse_count(c, "count", optarg, &limit)) != EXIT_OK)
			return rc;
	}
	if ((rc = cli_operands(c, argc, argv, 0, 0)) != EXIT_OK)
		return rc;
	if ((rc = graph_suggest(c->st, c->now, &g)) != STORE_OK)
		return cli_store_error(rc);
	rc = EXIT_OK;
	if (dot)
		rc = graph_dot(c, &g, (size_t)limit);
	else if (printer_json(c->pr))
		json_suggestions(c, &g);
	else
		text_suggestions(c, &g, (size_t)limit);
	graph_suggestions_free(&g);
	return rc;
}

/* `kith circle accept N NAME`: argv[optind] is "accept". */
int
cmd_circle_accept(struct cli *c, int argc, char **argv)
{
	struct graph_suggestions g;
	const char *name;
	int64_t *ids;
	char *suffix;
	long n;
	size_t i;
	int rc;

	if (argc - optind != 3)
		return cli_usage(c, "accept takes a suggestion number and a circle name");
	if ((rc = cli_parse_count(c, "suggestion number", argv[optind + 1], &n)) != EXIT_OK)
		return rc;
	name = argv[optind + 2];
	for (i = 0; name[i]; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return cli_usage(c, "bad circle name '%s'", name);
	if (!*name)
		return cli_usage(c, "empty circle name");
	if ((rc = graph_suggest(c->st, c->now, &g)) != STORE_OK)
		return cli_store_error(rc);
	if (n < 1 || (size_t)n > g.n) {
		log_error("no suggested community %ld (there %s %zu; see 'kith circles --suggest')", n,
			  g.n == 1 ? "is" : "are", g.n);
		graph_suggestions_free(&g);
		return EXIT_ERROR;
	}
	ids = xcalloc(g.v[n - 1].members.n + 1, sizeof(*ids));
	for (i = 0; i < g.v[n - 1].members.n; i++)
		ids[i] = g.v[n - 1].members.v[i].id;
	suffix = xasprintf(" (suggestion %ld, '%s')", n, g.v[n - 1].name);
	rc = circle_change(c, name, ids, g.v[n - 1].members.n, true, "circle accept", n, suffix);
	free(suffix);
	free(ids);
	graph_suggestions_free(&g);
	return rc;
}

static void
json_goal(struct cli *c, const struct goal_progress *gp)
{
	size_t i;

	pr_map_begin(c->pr);
	pr_key(c->pr, "name");
	pr_str(c->pr, gp->name);
	pr_key(c->pr, "circle");
	pr_str(c->pr, gp->circle);
	pr_key(c->pr, "per_week");
	pr_int(c->pr, gp->per_week);
	pr_key(c->pr, "done");
	pr_int(c->pr, (int64_t)gp->reached.n);
	pr_key(c->pr, "met");
	pr_bool(c->pr, (int64_t)gp->reached.n >= gp->per_week);
	pr_key(c->pr, "week_start");
	pr_time(c->pr, gp->week_start);
	pr_key(c->pr, "members");
	pr_int(c->pr, (int64_t)gp->members);
	pr_key(c->pr, "reached");
	pr_list_begin(c->pr);
	for (i = 0; i < gp->reached.n; i++) {
		pr_map_begin(c->pr);
		out_person_brief(c, &gp->reached.v[i]);
		pr_key(c->pr, "last_sent");
		pr_time(c->pr, gp->reached.v[i].last_sent);
		pr_map_end(c->pr);
	}
	pr_list_end(c->pr);
	pr_key(c->pr, "next");
	pr_list_begin(c->pr);
	for (i = 0; i < gp->next.n; i++) {
		pr_map_begin(c->pr);
		out_person_brief(c, &gp->next.v[i]);
		pr_key(c->pr, "reason");
		pr_str(c->pr, gp->next.v[i].reason);
		pr_map_end(c->pr);
	}
	pr_list_end(c->pr);
	pr_map_end(c->pr);
}

int
cmd_goals(struct cli *c, int argc, char **argv)
{
	struct goal_list l = { 0 };
	char lb[32];
	int rc;
	size_t i, j;

	if ((rc = cli_no_options(c, argc, argv, 0, 0)) != EXIT_OK)
		return rc;
	if ((rc = graph_goals(c->st, c->now, GOALS_NEXT, &l)) != STORE_OK)
		return cli_store_error(rc);
	if (printer_json(c->pr)) {
		pr_list_begin(c->pr);
		for (i = 0; i < l.n; i++)
			json_goal(c, &l.v[i]);
		pr_list_end(c->pr);
	} else if (l.n == 0) {
		pr_text(c->pr, "no goals: add a [goal NAME] section with circle = C and");
		pr_text(c->pr, "per_week = K to the configuration");
	}
	for (i = 0; !printer_json(c->pr) && i < l.n; i++) {
		const struct goal_progress *gp = &l.v[i];

		pr_text(c->pr, "%s: %zu of %d this week (circle %s, %zu %s)%s", gp->name, gp->reached.n,
			gp->per_week, gp->circle, gp->members, gp->members == 1 ? "person" : "people",
			(int64_t)gp->reached.n >= gp->per_week ? " — done" : "");
		for (j = 0; j < gp->reached.n; j++)
			pr_text(c->pr, "  wrote to %s", person_label(&gp->reached.v[j], lb, sizeof(lb)));
		for (j = 0; j < gp->next.n; j++)
			pr_text(c->pr, "  next: %s <%s> — %s", person_label(&gp->next.v[j], lb, sizeof(lb)),
				gp->next.v[j].email ? gp->next.v[j].email : "", gp->next.v[j].reason ? gp->next.v[j].reason : "");
		if (gp->members == 0)
			pr_text(c->pr, "  circle %s has no members yet", gp->circle);
	}
	goal_list_free(&l);
	return EXIT_OK;
}
