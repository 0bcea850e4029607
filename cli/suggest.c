/* suggest.c - did-you-mean for commands, options and WHO, from the ranking in lib/suggest.c. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "kith.h"
#include "kith/people.h"
#include "kith/suggest.h"
#include "kith/util.h"

#define SUGGEST_MAX_PEOPLE 5

void
suggest_command(const char *typed)
{
	const char *names[64], *hit;
	size_t n = 0;
	const struct command *cmd;

	for (cmd = kith_commands; cmd->name && n < ARRAY_SIZE(names); cmd++)
		if (!cmd->hidden)
			names[n++] = cmd->name;
	hit = suggest_word(typed, names, n);
	if (hit)
		log_error("no command '%s'; did you mean '%s'? (see 'kith help')", typed, hit);
	else
		log_error("no command '%s' (see 'kith help')", typed);
}

/* The "--name" words of a command's option help, and the global ones. */
static size_t
option_names(const struct command *cmd, char words[][32], size_t max)
{
	static const char *const globals[] = { "--json", "--no-color", "--verbose", "--config",
					       "--database", "--help" };
	const char *p = cmd && cmd->options ? cmd->options : "";
	size_t n = 0, i, len;

	for (i = 0; i < ARRAY_SIZE(globals) && n < max; i++)
		snprintf(words[n++], 32, "%s", globals[i]);
	while ((p = strstr(p, "--")) && n < max) {
		for (len = 2; p[len] && (p[len] == '-' || (p[len] >= 'a' && p[len] <= 'z')); len++)
			;
		if (len > 2 && len < 32)
			snprintf(words[n++], 32, "%.*s", (int)len, p);
		p += len;
	}
	return n;
}

const char *
suggest_option(const struct command *cmd, const char *typed, char *buf, size_t len)
{
	char words[48][32];
	const char *v[48], *hit;
	char opt[64];
	size_t n, i;

	snprintf(opt, sizeof(opt), "%.*s", (int)strcspn(typed, "="), typed);
	n = option_names(cmd, words, ARRAY_SIZE(words));
	for (i = 0; i < n; i++)
		v[i] = words[i];
	if (!(hit = suggest_word(opt, v, n)))
		return NULL;
	snprintf(buf, len, "%s", hit);
	return buf;
}

static int
cmp_score(const void *a, const void *b)
{
	const struct person *pa = a, *pb = b;

	/* The score was parked in priority for the sort; nearer first, then by name. */
	if (pa->priority != pb->priority)
		return pa->priority < pb->priority ? -1 : 1;
	return strcmp(pa->name ? pa->name : "", pb->name ? pb->name : "");
}

int
suggest_people(struct cli *c, const char *typed, struct person_list *out)
{
	struct person_list all = { 0 };
	size_t i;
	int rc, s;

	memset(out, 0, sizeof(*out));
	if ((rc = people_list(c->st, c->now, NULL, SORT_NAME, PEOPLE_ACQUAINTANCES, &all)) != 0)
		return rc;
	for (i = 0; i < all.n; i++) {
		s = suggest_name_score(typed, all.v[i].name, all.v[i].email);
		if (s < 0) {
			person_free(&all.v[i]);
			continue;
		}
		/* A relationship outranks an acquaintance of the same nearness. */
		all.v[i].priority = s * 2 + (all.v[i].relationship ? 0 : 1);
		all.v[out->n++] = all.v[i];
	}
	out->v = all.v;
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_score);
	while (out->n > SUGGEST_MAX_PEOPLE)
		person_free(&out->v[--out->n]);
	return 0;
}
