/* circle-change.c - put people in a circle or take them out, and say what really changed. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kith.h"
#include "kith/config.h"
#include "kith/people.h"
#include "kith/store.h"
#include "kith/util.h"
#include "printer.h"

/* -1: the person could not be read. */
static int
member(struct cli *c, int64_t id, const char *circle)
{
	struct person p;
	size_t i;
	int in = 0;

	if (people_get(c->st, id, c->now, &p) != 0)
		return -1;
	for (i = 0; i < p.ncircles; i++)
		if (strcmp(p.circles[i], circle) == 0)
			in = 1;
	person_free(&p);
	return in;
}

/* The configured members pattern that matches one of the person's addresses, or NULL. */
static const char *
config_holds(struct cli *c, int64_t id, const char *circle)
{
	const struct kith_circle *kc = c->cfg ? config_circle(c->cfg, circle) : NULL;
	const char *hit = NULL;
	struct person p;
	size_t i, j;

	if (!kc || people_get(c->st, id, c->now, &p) != 0)
		return NULL;
	for (i = 0; i < kc->members.n && !hit; i++)
		for (j = 0; j < p.naddresses && !hit; j++)
			if (config_addr_match(kc->members.v[i], p.addresses[j]))
				hit = kc->members.v[i];
	person_free(&p);
	return hit;
}

static char *
label(struct cli *c, int64_t id)
{
	struct person p;
	char buf[64], *s;

	if (people_get(c->st, id, c->now, &p) != 0)
		return xasprintf("#%lld", (long long)id);
	s = xstrdup(person_label(&p, buf, sizeof(buf)));
	person_free(&p);
	return s;
}

/* Why `id` is where it was: one line for the text output, or NULL when it changed. */
static char *
unchanged_reason(struct cli *c, int64_t id, const char *circle, bool add, int before, int after)
{
	const char *pattern;
	char *who, *s = NULL;

	if (before != after)
		return NULL;
	who = label(c, id);
	if (add && after == 1)
		s = xasprintf("%s was in circle '%s' already", who, circle);
	else if (add)
		s = xasprintf("%s could not be added to circle '%s'", who, circle);
	else if (after == 0)
		s = xasprintf("%s was not in circle '%s'", who, circle);
	else if ((pattern = config_holds(c, id, circle)))
		s = xasprintf("%s stays in circle '%s': its members in %s include '%s'; edit the "
			      "configuration to take them out", who, circle,
			      c->cfg->path ? c->cfg->path : "the configuration", pattern);
	else
		s = xasprintf("%s stays in circle '%s'", who, circle);
	free(who);
	return s;
}

int
circle_change(struct cli *c, const char *circle, const int64_t *ids, size_t n, bool add,
	      const char *action, long number, const char *suffix)
{
	int *before = xcalloc(n ? n : 1, sizeof(*before));
	char **why = xcalloc(n ? n : 1, sizeof(*why));
	size_t i, changed = 0;
	int rc = STORE_OK, after;

	for (i = 0; i < n; i++)
		before[i] = member(c, ids[i], circle);
	if ((rc = store_begin(c->st)) != STORE_OK) {
		rc = cli_store_error(rc);
		goto out;
	}
	for (i = 0; i < n && rc == STORE_OK; i++)
		rc = people_circle(c->st, circle, ids[i], add);
	if ((rc = cli_end(c, rc)) != EXIT_OK)
		goto out;
	for (i = 0; i < n; i++) {
		after = member(c, ids[i], circle);
		why[i] = unchanged_reason(c, ids[i], circle, add, before[i], after);
		changed += !why[i];
	}
	if (printer_json(c->pr)) {
		pr_map_begin(c->pr);
		pr_key(c->pr, "action");
		pr_str(c->pr, action);
		if (number > 0) {
			pr_key(c->pr, "number");
			pr_int(c->pr, number);
		}
		pr_key(c->pr, "circle");
		pr_str(c->pr, circle);
		pr_key(c->pr, "ids");
		pr_list_begin(c->pr);
		for (i = 0; i < n; i++)
			pr_int(c->pr, ids[i]);
		pr_list_end(c->pr);
		pr_key(c->pr, "changed");
		pr_list_begin(c->pr);
		for (i = 0; i < n; i++)
			if (!why[i])
				pr_int(c->pr, ids[i]);
		pr_list_end(c->pr);
		pr_key(c->pr, "unchanged");
		pr_list_begin(c->pr);
		for (i = 0; i < n; i++) {
			if (!why[i])
				continue;
			pr_map_begin(c->pr);
			pr_key(c->pr, "id");
			pr_int(c->pr, ids[i]);
			pr_key(c->pr, "reason");
			pr_str(c->pr, why[i]);
			pr_map_end(c->pr);
		}
		pr_list_end(c->pr);
		pr_map_end(c->pr);
	} else {
		pr_text(c->pr, "%s %zu %s %s circle '%s'%s", add ? "added" : "removed", changed,
			changed == 1 ? "person" : "people", add ? "to" : "from", circle, suffix ? suffix : "");
		for (i = 0; i < n; i++)
			if (why[i])
				pr_text(c->pr, "  %s", why[i]);
	}
	rc = EXIT_OK;
out:
	for (i = 0; i < n; i++)
		free(why[i]);
	free(why);
	free(before);
	return rc;
}

static void
add_name(struct strlist *l, const char *name)
{
	if (!strlist_contains(l, name))
		strlist_add(l, name);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
cli_known_circle(struct cli *c, const char *circle)
{
	struct person_list l = { 0 };
	struct strlist known = { 0 };
	struct strbuf list = { 0 };
	size_t i, j;
	int rc;

	for (i = 0; c->cfg && i < c->cfg->ncircles; i++)
		add_name(&known, c->cfg->circles[i].name);
	if ((rc = people_list(c->st, c->now, NULL, SORT_NAME, PEOPLE_ACQUAINTANCES, &l)) != 0)
		return cli_store_error(rc);
	for (i = 0; i < l.n; i++)
		for (j = 0; j < l.v[i].ncircles; j++)
			add_name(&known, l.v[i].circles[j]);
	person_list_free(&l);
	if (strlist_contains(&known, circle)) {
		strlist_free(&known);
		return EXIT_OK;
	}
	if (known.n > 1)
		qsort(known.v, known.n, sizeof(*known.v), cmp_str);
	for (i = 0; i < known.n; i++)
		sb_addf(&list, "%s%s", i ? ", " : "", known.v[i]);
	if (known.n)
		rc = cli_usage(c, "no circle '%s' (known circles: %s)", circle, list.buf);
	else
		rc = cli_usage(c, "no circle '%s': there are no circles yet (see 'kith circles')", circle);
	sb_free(&list);
	strlist_free(&known);
	return rc;
}
