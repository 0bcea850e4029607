/* graph-dot.c - `kith circles --suggest --format dot`: the suggested communities as a Graphviz graph. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "kith.h"
#include "kith/graph.h"
#include "kith/store.h"
#include "kith/util.h"
#include "printer.h"

#define DOT_RELATED_PER_PERSON 30	/* links looked up per member for the edges */

/* A DOT string: quoted, with quotes and backslashes escaped, never a control character. */
static void
dot_str(FILE *f, const char *s)
{
	char *clean = text_clean(s ? s : "");
	const char *p;

	fputc('"', f);
	for (p = clean; *p; p++) {
		if (*p == '"' || *p == '\\')
			fputc('\\', f);
		fputc(*p, f);
	}
	fputc('"', f);
	free(clean);
}

static const char *
label(const struct person *p, char *buf, size_t len)
{
	return person_label(p, buf, len);
}

/* Whether id is among the members of the first `n` communities (or a bridge). */
static bool
shown(const struct graph_suggestions *g, size_t n, int64_t id)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < g->v[i].members.n; j++)
			if (g->v[i].members.v[j].id == id)
				return true;
	for (i = 0; i < g->nbridges; i++)
		if (g->bridges[i].p.id == id)
			return true;
	return false;
}

int
graph_dot(struct cli *c, const struct graph_suggestions *g, size_t limit)
{
	FILE *f = printer_file(c->pr);
	size_t n = g->n < limit ? g->n : limit, i, j, k;
	char lb[64];
	int rc;

	fputs("graph kith {\n"
	      "  graph [overlap = false, splines = true, fontname = \"sans-serif\"];\n"
	      "  node [shape = box, style = rounded, fontname = \"sans-serif\"];\n"
	      "  edge [color = gray50];\n", f);
	for (i = 0; i < n; i++) {
		const struct community *cm = &g->v[i];

		fprintf(f, "  subgraph cluster_%zu {\n    label = ", i + 1);
		{
			char *title = xasprintf("%zu. %s", i + 1, cm->name ? cm->name : "");

			dot_str(f, title);
			free(title);
		}
		fputs(";\n", f);
		for (j = 0; j < cm->members.n; j++) {
			fprintf(f, "    p%lld [label = ", (long long)cm->members.v[j].id);
			dot_str(f, label(&cm->members.v[j], lb, sizeof(lb)));
			fputs("];\n", f);
		}
		fputs("  }\n", f);
	}
	for (i = 0; i < g->nbridges; i++) {
		fprintf(f, "  p%lld [label = ", (long long)g->bridges[i].p.id);
		dot_str(f, label(&g->bridges[i].p, lb, sizeof(lb)));
		fputs(", style = \"rounded,bold\"];\n", f);
	}
	/* Edges: shared threads between people on the picture, each pair once. */
	for (i = 0; i < n; i++) {
		for (j = 0; j < g->v[i].members.n; j++) {
			struct related_list rl = { 0 };
			int64_t id = g->v[i].members.v[j].id;

			rc = graph_related(c->st, id, c->now, DOT_RELATED_PER_PERSON, &rl);
			if (rc != STORE_OK) {
				related_list_free(&rl);
				return cli_store_error(rc);
			}
			for (k = 0; k < rl.n; k++) {
				if (rl.v[k].p.id <= id || !shown(g, n, rl.v[k].p.id))
					continue;
				fprintf(f, "  p%lld -- p%lld [penwidth = %.1f];\n", (long long)id,
					(long long)rl.v[k].p.id, rl.v[k].threads >= 10 ? 3.0 : 1.0 + rl.v[k].threads * 0.2);
			}
			related_list_free(&rl);
		}
	}
	fputs("}\n", f);
	return ferror(f) ? EXIT_ERROR : EXIT_OK;
}
