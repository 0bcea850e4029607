/* who.c - turning a WHO argument into one person, or telling the user why not. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "format.h"
#include "kith.h"
#include "kith/people.h"
#include "kith/store.h"
#include "kith/util.h"

#define MAX_SHOWN 10

const char *
person_label(const struct person *p, char *buf, size_t len)
{
	if (p->name && *p->name)
		return p->name;
	if (p->email && *p->email)
		return p->email;
	snprintf(buf, len, "#%lld", (long long)p->id);
	return buf;
}

const char *
person_name_cell(const struct person *p)
{
	return p->name && *p->name ? p->name : "-";
}

/*
 * "  12  Ana Rivera <ana@example.org>" lines on stderr, cleaned of
 * escapes; someone without a name is their address, said once.
 */
static void
list_candidates(const struct person_list *l)
{
	char buf[32], *name, *email;
	size_t i;

	for (i = 0; i < l->n && i < MAX_SHOWN; i++) {
		bool named = l->v[i].name && *l->v[i].name;

		name = text_clean(person_label(&l->v[i], buf, sizeof(buf)));
		email = text_clean(named ? l->v[i].email : NULL);
		fprintf(stderr, "  %6lld  %s%s%s%s\n", (long long)l->v[i].id, name,
			*email ? " <" : "", email, *email ? ">" : "");
		free(name);
		free(email);
	}
	if (l->n > MAX_SHOWN)
		fprintf(stderr, "  ... and %zu more\n", l->n - MAX_SHOWN);
}

int
who_resolve(struct cli *c, const char *who, int64_t *id)
{
	struct person_list cand = { 0 };
	char *shown = text_clean(who), *why;
	int rc;

	rc = people_resolve(c->st, who, c->now, id, &cand);
	switch (rc) {
	case RESOLVE_OK:
		rc = EXIT_OK;
		break;
	case RESOLVE_AMBIGUOUS:
		fflush(stdout);
		fprintf(stderr, "kith %s: '%s' matches %zu people:\n", c->cmd->name, shown, cand.n);
		list_candidates(&cand);
		fprintf(stderr, "say which with an address or the id\n");
		rc = EXIT_USAGE;
		break;
	case RESOLVE_NOT_FOUND:
		person_list_free(&cand);
		if ((rc = suggest_people(c, who, &cand)) != 0) {
			rc = cli_store_error(rc);
			break;
		}
		fflush(stdout);
		fprintf(stderr, "kith %s: no one matches '%s'", c->cmd->name, shown);
		if ((why = people_why_nobody(c->st, who))) {
			char *clean = text_clean(why);

			fprintf(stderr, ": %s\n", clean);
			free(clean);
			free(why);
		} else if (cand.n > 0) {
			fprintf(stderr, "; did you mean:\n");
			list_candidates(&cand);
		} else {
			fprintf(stderr, "\n");
		}
		rc = EXIT_ERROR;
		break;
	default:
		rc = cli_store_error(rc);
		break;
	}
	person_list_free(&cand);
	free(shown);
	return rc;
}
