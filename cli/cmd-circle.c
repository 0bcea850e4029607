/* cmd-circle.c - circles, and identity corrections (merge, split). */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "kith.h"
#include "kith/config.h"
#include "kith/people.h"
#include "kith/store.h"
#include "kith/util.h"
#include "printer.h"

/* Resolve every WHO first, so a typo in the third name changes nothing. */
static int
resolve_all(struct cli *c, char **who, int n, int64_t *ids)
{
	int i, rc;

	for (i = 0; i < n; i++)
		if ((rc = who_resolve(c, who[i], &ids[i])) != EXIT_OK)
			return rc;
	return EXIT_OK;
}

int
cmd_circle(struct cli *c, int argc, char **argv)
{
	const char *verb, *circle;
	int64_t *ids = NULL;
	bool add;
	int rc, n, i;

	if ((rc = cli_no_options(c, argc, argv, 3, -1)) != EXIT_OK)
		return rc;
	verb = argv[optind];
	if (strcmp(verb, "accept") == 0)
		return cmd_circle_accept(c, argc, argv);
	circle = argv[optind + 1];
	if (strcmp(verb, "add") == 0)
		add = true;
	else if (strcmp(verb, "rm") == 0 || strcmp(verb, "remove") == 0)
		add = false;
	else
		return cli_usage(c, "bad action '%s' (want add, rm or accept)", verb);
	for (i = 0; circle[i]; i++)
		if ((unsigned char)circle[i] < 0x20 || circle[i] == 0x7f)
			return cli_usage(c, "bad circle name '%s'", circle);
	n = argc - optind - 2;
	ids = xcalloc((size_t)n, sizeof(*ids));
	if ((rc = resolve_all(c, argv + optind + 2, n, ids)) != EXIT_OK)
		goto out;
	rc = circle_change(c, circle, ids, (size_t)n, add, add ? "circle add" : "circle rm", 0, NULL);
out:
	free(ids);
	return rc;
}

struct circle_count {
	char *name;
	size_t members;
	size_t due;
	const struct kith_circle *conf;	/* NULL: a circle only the user's decisions made */
};

static struct circle_count *
circle_slot(struct circle_count **v, size_t *n, const char *name)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i].name, name) == 0)
			return &(*v)[i];
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	memset(&(*v)[*n], 0, sizeof(**v));
	(*v)[*n].name = xstrdup(name);
	return &(*v)[(*n)++];
}

int
cmd_circles(struct cli *c, int argc, char **argv)
{
	static const char *const head[] = { "CIRCLE", "MEMBERS", "DUE", "CADENCE", "FOCUS", "FROM" };
	struct person_list l = { 0 };
	struct circle_count *v = NULL, *cc;
	struct table *t;
	char members[32], due[32], cad[64];
	size_t n = 0, i, j;
	int rc, k;

	for (k = 1; k < argc; k++)
		if (strcmp(argv[k], "--suggest") == 0)
			return cmd_circles_suggest(c, argc, argv);
	if ((rc = cli_no_options(c, argc, argv, 0, 0)) != EXIT_OK)
		return rc;
	/* Configured circles first, in the file's order, even when empty. */
	for (i = 0; c->cfg && i < c->cfg->ncircles; i++)
		circle_slot(&v, &n, c->cfg->circles[i].name)->conf = &c->cfg->circles[i];
	if ((rc = people_list(c->st, c->now, NULL, SORT_NAME, PEOPLE_ACQUAINTANCES, &l)) != 0) {
		rc = cli_store_error(rc);
		goto out;
	}
	for (i = 0; i < l.n; i++) {
		for (j = 0; j < l.v[i].ncircles; j++) {
			cc = circle_slot(&v, &n, l.v[i].circles[j]);
			cc->members++;
			if (l.v[i].suggested)
				cc->due++;
		}
	}
	if (printer_json(c->pr)) {
		pr_list_begin(c->pr);
		for (i = 0; i < n; i++) {
			pr_map_begin(c->pr);
			pr_key(c->pr, "name");
			pr_str(c->pr, v[i].name);
			pr_key(c->pr, "members");
			pr_int(c->pr, (int64_t)v[i].members);
			pr_key(c->pr, "due");
			pr_int(c->pr, (int64_t)v[i].due);
			pr_key(c->pr, "configured");
			pr_bool(c->pr, v[i].conf != NULL);
			pr_key(c->pr, "cadence_days");
			if (v[i].conf && v[i].conf->cadence > 0)
				pr_dbl(c->pr, (double)v[i].conf->cadence / (double)DAY_SECS);
			else
				pr_null(c->pr);
			pr_key(c->pr, "focus");
			pr_bool(c->pr, v[i].conf && v[i].conf->focus);
			pr_map_end(c->pr);
		}
		pr_list_end(c->pr);
	} else if (n == 0) {
		pr_text(c->pr, "no circles yet: add [circle NAME] sections to the configuration,");
		pr_text(c->pr, "or 'kith circle add NAME WHO'");
	} else {
		t = table_new(ARRAY_SIZE(head), head);
		table_right(t, 1);
		table_right(t, 2);
		for (i = 0; i < n; i++) {
			const char *cells[] = { v[i].name, members, due, cad,
						v[i].conf && v[i].conf->focus ? "yes" : "",
						v[i].conf ? "config" : "you" };

			snprintf(members, sizeof(members), "%zu", v[i].members);
			snprintf(due, sizeof(due), "%zu", v[i].due);
			if (v[i].conf && v[i].conf->cadence > 0)
				format_span(v[i].conf->cadence, cad, sizeof(cad));
			else
				snprintf(cad, sizeof(cad), "-");
			table_add(t, cells);
		}
		if (table_print(t, printer_file(c->pr), c->width, c->color) == -1)
			rc = EXIT_ERROR;
		table_free(t);
	}
out:
	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	person_list_free(&l);
	return rc;
}

/* One side of a merge suggestion: "Name <address>", or the address alone. */
static char *
merge_side(struct cli *c, int64_t id, const char *addr)
{
	struct person p;
	char *s;

	if (people_get(c->st, id, c->now, &p) != 0)
		return xasprintf("#%lld", (long long)id);
	if (!addr)
		addr = p.email ? p.email : "";
	s = p.name ? xasprintf("%s <%s>", p.name, addr) : xstrdup(addr);
	person_free(&p);
	return s;
}

/* The command that accepts a suggestion. */
static char *
merge_command(const struct merge_suggestion *m)
{
	if (m->rule == MERGE_MINE)
		return xasprintf("add %s to 'me' in the configuration, then kith rebuild", m->addr_a);
	return xasprintf("kith merge %lld %lld", (long long)m->a, (long long)m->b);
}

/*
 * merge --suggest: the people kith would merge only with the user's word
 * (the rules are in docs/architecture.md, Identity), and addresses that
 * are probably the user's own, each with the rule in plain words and the
 * command that does it.
 */
static int
merge_suggest(struct cli *c, int argc, char **argv)
{
	static const char *const head[] = { "A", "B", "WHY", "TO ACCEPT" };
	struct merge_suggestion_list l = { 0 };
	struct table *t = NULL;
	char *a, *b, *cmd;
	const char *cells[4];
	size_t i, cmdw = strlen(head[3]);
	int rc;

	if (argc - optind != 1 || strcmp(argv[optind], "--suggest") != 0)
		return cli_usage(c, "--suggest takes no other argument");
	if ((rc = people_merge_suggestions(c->st, &l)) != 0)
		return cli_store_error(rc);
	if (printer_json(c->pr))
		pr_list_begin(c->pr);
	else if (l.n == 0)
		pr_text(c->pr, "no one looks like a duplicate");
	else
		t = table_new(ARRAY_SIZE(head), head);
	if (t) {
		/* The reason is read whole; the command to copy stays whole too. */
		table_flex(t, 0, 12);
		table_flex(t, 1, 12);
		table_wrap(t, 2, 16);
	}
	for (i = 0; i < l.n; i++) {
		const struct merge_suggestion *m = &l.v[i];

		a = merge_side(c, m->a, m->addr_a);
		b = m->rule == MERGE_MINE ? xasprintf("you (%s)", m->addr_b ? m->addr_b : "your name")
					  : merge_side(c, m->b, m->addr_b);
		cmd = merge_command(m);
		if (t) {
			cells[0] = a;
			cells[1] = b;
			cells[2] = m->reason;
			cells[3] = cmd;
			table_add(t, cells);
			if (m->rule != MERGE_MINE && text_width(cmd) > cmdw)
				cmdw = text_width(cmd);
		} else {
			pr_map_begin(c->pr);
			pr_key(c->pr, "ids");
			pr_list_begin(c->pr);
			pr_int(c->pr, m->a);
			if (m->b)
				pr_int(c->pr, m->b);
			pr_list_end(c->pr);
			pr_key(c->pr, "rule");
			pr_str(c->pr, merge_rule_name(m->rule));
			pr_key(c->pr, "name");
			pr_str(c->pr, m->name);
			pr_key(c->pr, "addresses");
			pr_list_begin(c->pr);
			pr_str(c->pr, m->addr_a);
			pr_str(c->pr, m->addr_b);
			pr_list_end(c->pr);
			pr_key(c->pr, "people");
			pr_list_begin(c->pr);
			pr_str(c->pr, a);
			pr_str(c->pr, b);
			pr_list_end(c->pr);
			pr_key(c->pr, "reason");
			pr_str(c->pr, m->reason);
			pr_key(c->pr, "command");
			pr_str(c->pr, cmd);
			pr_map_end(c->pr);
		}
		free(a);
		free(b);
		free(cmd);
	}
	rc = EXIT_OK;
	/* A command stays whole; the sentence saying what to do for the user's own address wraps. */
	if (t)
		table_wrap(t, 3, cmdw);
	if (printer_json(c->pr))
		pr_list_end(c->pr);
	else if (t && table_print(t, printer_file(c->pr), c->width, c->color) == -1)
		rc = EXIT_ERROR;
	table_free(t);
	merge_suggestion_list_free(&l);
	return rc;
}

int
cmd_merge(struct cli *c, int argc, char **argv)
{
	int64_t *ids = NULL, into = 0;
	int rc, n, i, j, k;

	for (k = 1; k < argc; k++)
		if (strcmp(argv[k], "--suggest") == 0) {
			optind = k;
			return merge_suggest(c, argc, argv);
		}
	if ((rc = cli_no_options(c, argc, argv, 2, -1)) != EXIT_OK)
		return rc;
	n = argc - optind;
	ids = xcalloc((size_t)n, sizeof(*ids));
	if ((rc = resolve_all(c, argv + optind, n, ids)) != EXIT_OK)
		goto out;
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (ids[i] == ids[j]) {
				rc = cli_usage(c, "'%s' and '%s' are the same person already", argv[optind + j],
					       argv[optind + i]);
				goto out;
			}
	if ((rc = store_begin(c->st)) != STORE_OK) {
		rc = cli_store_error(rc);
		goto out;
	}
	rc = people_merge(c->st, ids, (size_t)n, &into);
	if ((rc = cli_end(c, rc)) != EXIT_OK)
		goto out;
	if (printer_json(c->pr)) {
		pr_map_begin(c->pr);
		pr_key(c->pr, "action");
		pr_str(c->pr, "merge");
		pr_key(c->pr, "id");
		pr_int(c->pr, into);
		pr_key(c->pr, "merged");
		pr_list_begin(c->pr);
		for (i = 0; i < n; i++)
			pr_int(c->pr, ids[i]);
		pr_list_end(c->pr);
		pr_map_end(c->pr);
	} else {
		pr_text(c->pr, "merged %d entries into one person (id %lld)", n, (long long)into);
	}
	rc = EXIT_OK;
out:
	free(ids);
	return rc;
}

int
cmd_split(struct cli *c, int argc, char **argv)
{
	const char *addr;
	int64_t id = 0;
	bool not_me = false;
	int rc;

	if ((rc = cli_no_options(c, argc, argv, 1, 1)) != EXIT_OK)
		return rc;
	addr = argv[optind];
	if (!strchr(addr, '@'))
		return cli_usage(c, "bad address '%s' (split takes one address of a merged person)", addr);
	if ((rc = store_begin(c->st)) != STORE_OK)
		return cli_store_error(rc);
	/* An address kith learned as the user's own is split off the user. */
	rc = people_not_me(c->st, addr, &not_me);
	if (rc == STORE_OK && !not_me)
		rc = people_split(c->st, addr, &id);
	if ((rc = cli_end(c, rc)) != EXIT_OK)
		return rc;
	if (not_me && printer_json(c->pr)) {
		pr_map_begin(c->pr);
		pr_key(c->pr, "action");
		pr_str(c->pr, "not-me");
		pr_key(c->pr, "address");
		pr_str(c->pr, addr);
		pr_map_end(c->pr);
	} else if (not_me) {
		pr_text(c->pr, "'%s' is no longer taken for one of your addresses; your mail was read again", addr);
	} else if (printer_json(c->pr)) {
		pr_map_begin(c->pr);
		pr_key(c->pr, "action");
		pr_str(c->pr, "split");
		pr_key(c->pr, "address");
		pr_str(c->pr, addr);
		pr_key(c->pr, "id");
		pr_int(c->pr, id);
		pr_map_end(c->pr);
	} else {
		pr_text(c->pr, "'%s' is now a person of its own (id %lld)", addr, (long long)id);
	}
	return EXIT_OK;
}
