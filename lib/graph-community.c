/* graph-community.c - communities in the co-recipient graph (Louvain), and bridges. */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kith/config.h"
#include "kith/graph.h"
#include "kith/identity.h"
#include "kith/log.h"
#include "kith/store.h"
#include "kith/util.h"
#include "graph-private.h"
#include "people-private.h"
#include "store-private.h"

/* ---- communities ----------------------------------------------------------- */

/* A pair of nodes (dense indexes a < b) and what links them. */
struct edge {
	uint64_t key;			/* a << 32 | b, 0 when the slot is free */
	float w;
	uint32_t threads;
};

struct edgemap {
	struct edge *v;
	size_t cap, n;
};

static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

static void edge_add(struct edgemap *m, uint64_t key, float w, uint32_t threads);

static void
edgemap_grow(struct edgemap *m)
{
	struct edgemap bigger = { .cap = m->cap ? m->cap * 2 : 1 << 20 };
	size_t i;

	bigger.v = xcalloc(bigger.cap, sizeof(*bigger.v));
	for (i = 0; i < m->cap; i++)
		if (m->v[i].key)
			edge_add(&bigger, m->v[i].key, m->v[i].w, m->v[i].threads);
	free(m->v);
	*m = bigger;
}

static void
edge_add(struct edgemap *m, uint64_t key, float w, uint32_t threads)
{
	size_t i;

	if ((m->n + 1) * 10 > m->cap * 7)
		edgemap_grow(m);
	for (i = mix64(key) & (m->cap - 1); m->v[i].key && m->v[i].key != key; i = (i + 1) & (m->cap - 1))
		;
	if (!m->v[i].key) {
		m->v[i].key = key;
		m->n++;
	}
	m->v[i].w += w;
	m->v[i].threads += threads;
}

/* One side of an edge. */
struct link {
	uint32_t to;
	double w;
};

static int
cmp_link(const void *pa, const void *pb)
{
	const struct link *a = pa, *b = pb;

	return a->to < b->to ? -1 : a->to > b->to;
}

/* The graph in compressed rows: node i's links are links[off[i] .. off[i + 1]), by node. */
struct graph {
	size_t n;			/* nodes: every person, in id order */
	int64_t *ids;
	bool *rel;
	size_t *off;
	struct link *links;
};

static void
graph_free(struct graph *g)
{
	free(g->ids);
	free(g->rel);
	free(g->off);
	free(g->links);
}

static size_t
node_of(const struct graph *g, int64_t id)
{
	size_t lo = 0, hi = g->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (g->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < g->n && g->ids[lo] == id ? lo : SIZE_MAX;
}

/*
 * Credit every pair of one thread's people (dense indexes).  A pair of two
 * acquaintances is never an edge, so it is not even counted.
 */
static void
pairs_of_thread(struct edgemap *em, const bool *rel, uint32_t *nodes, size_t n, int64_t last, int64_t now)
{
	float w = (float)graph_thread_weight(last, n, now);
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			uint32_t a = nodes[i] < nodes[j] ? nodes[i] : nodes[j];
			uint32_t b = nodes[i] < nodes[j] ? nodes[j] : nodes[i];

			if (a != b && (rel[a] || rel[b]))
				edge_add(em, (uint64_t)a << 32 | b, w, 1);
		}
}

static size_t
rep_find(size_t *rep, size_t i)
{
	while (rep[i] != i)
		i = rep[i] = rep[rep[i]];
	return i;
}

/*
 * One node per likely person: two addresses kith suggests merging (an
 * Exchange alias and the full address, a job change) would otherwise
 * share their threads out between them and come out as twin communities,
 * or as a bridge between a person and themself.  The lower node stands
 * for both; the other keeps no link.
 */
static int
merge_suggested(struct store *st, struct graph *g, size_t **rep, bool **joined)
{
	struct merge_suggestion_list ms = { 0 };
	size_t i, a, b;
	int rc;

	*rep = xcalloc(g->n + 1, sizeof(**rep));
	*joined = xcalloc(g->n + 1, sizeof(**joined));
	for (i = 0; i < g->n; i++)
		(*rep)[i] = i;
	if ((rc = people_merge_suggestions(st, &ms)) != STORE_OK)
		return rc;
	for (i = 0; i < ms.n; i++) {
		a = node_of(g, ms.v[i].a);
		b = node_of(g, ms.v[i].b);
		if (a == SIZE_MAX || b == SIZE_MAX)
			continue;
		a = rep_find(*rep, a);
		b = rep_find(*rep, b);
		if (a == b)
			continue;
		if (b < a) {
			size_t t = a;

			a = b;
			b = t;
		}
		(*rep)[b] = a;
		(*joined)[a] = (*joined)[b] = true;
		g->rel[a] = g->rel[a] || g->rel[b];
	}
	merge_suggestion_list_free(&ms);
	return STORE_OK;
}

/*
 * Read every thread once (the rows come in thread order from the
 * interactions_thread index) and keep the pairs worth an edge.
 */
static int
graph_load(struct store *st, int64_t now, struct graph *g)
{
	struct edgemap em = { 0 };
	sqlite3_stmt *s;
	uint32_t *nodes = NULL;
	size_t cap = 0, nn = 0, capn = 0, i, maxr = graph_max_thread_people(st);
	int64_t thread = -1, last = 0;
	size_t *deg = NULL, *rep = NULL;
	bool *joined = NULL;
	int rc;

	memset(g, 0, sizeof(*g));
	s = store_stmt(st, "SELECT id, relationship FROM people ORDER BY id");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (g->n == cap) {
			cap = cap ? cap * 2 : 1024;
			g->ids = xreallocarray(g->ids, cap, sizeof(*g->ids));
			g->rel = xreallocarray(g->rel, cap, sizeof(*g->rel));
		}
		g->ids[g->n] = sqlite3_column_int64(s, 0);
		g->rel[g->n++] = sqlite3_column_int(s, 1);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, "reading people");
	if ((rc = merge_suggested(st, g, &rep, &joined)) != STORE_OK)
		goto out;

	s = store_stmt(st, "SELECT thread, person, max(at) FROM interactions WHERE thread > 0 "
			   "GROUP BY thread, person ORDER BY thread");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t t = sqlite3_column_int64(s, 0), at = sqlite3_column_int64(s, 2);
		size_t node = node_of(g, sqlite3_column_int64(s, 1));

		if (t != thread) {
			if (nn >= 2 && nn <= maxr)
				pairs_of_thread(&em, g->rel, nodes, nn, last, now);
			thread = t;
			nn = 0;
			last = 0;
		}
		if (node == SIZE_MAX)
			continue;
		if (joined[node]) {
			/* Both addresses of one person in a thread are one person in it. */
			node = rep_find(rep, node);
			for (i = 0; i < nn && nodes[i] != node; i++)
				;
			if (i < nn)
				continue;
		}
		if (nn == capn) {
			capn = capn ? capn * 2 : 16;
			nodes = xreallocarray(nodes, capn, sizeof(*nodes));
		}
		nodes[nn++] = (uint32_t)node;
		if (at > last)
			last = at;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		rc = store_fail(st, "reading threads");
		goto out;
	}
	if (nn >= 2 && nn <= maxr)
		pairs_of_thread(&em, g->rel, nodes, nn, last, now);

	/* Frequent co-recipients only, and at least one side a relationship. */
	deg = xcalloc(g->n + 1, sizeof(*deg));
	for (i = 0; i < em.cap; i++) {
		struct edge *e = &em.v[i];
		uint32_t a = (uint32_t)(e->key >> 32), b = (uint32_t)e->key;

		if (!e->key || e->threads < GRAPH_EDGE_MIN_THREADS || !(g->rel[a] || g->rel[b])) {
			e->threads = 0;
			continue;
		}
		deg[a]++;
		deg[b]++;
	}
	g->off = xcalloc(g->n + 1, sizeof(*g->off));
	for (i = 0; i < g->n; i++)
		g->off[i + 1] = g->off[i] + deg[i];
	g->links = xcalloc(g->off[g->n] + 1, sizeof(*g->links));
	memset(deg, 0, (g->n + 1) * sizeof(*deg));
	for (i = 0; i < em.cap; i++) {
		struct edge *e = &em.v[i];
		uint32_t a = (uint32_t)(e->key >> 32), b = (uint32_t)e->key;

		if (!e->key || !e->threads)
			continue;
		g->links[g->off[a] + deg[a]++] = (struct link){ b, e->w };
		g->links[g->off[b] + deg[b]++] = (struct link){ a, e->w };
	}
	/* Each row in node order: the hash table's layout must decide nothing. */
	for (i = 0; i < g->n; i++)
		if (g->off[i + 1] - g->off[i] > 1)
			qsort(&g->links[g->off[i]], g->off[i + 1] - g->off[i], sizeof(*g->links), cmp_link);
	rc = STORE_OK;
out:
	free(rep);
	free(joined);
	free(deg);
	free(nodes);
	free(em.v);
	return rc;
}

/*
 * Communities by the Louvain method, on modularity: everyone starts in a
 * community of their own; then, in node order and until a round moves
 * nobody, each node joins the community its links weigh most towards, less
 * what links to a community of that total strength would weigh by chance
 * (k_i · Σtot / 2m).  The communities found then become the nodes of a
 * smaller graph (their inner links a self-loop) and the moving starts
 * again, until nothing moves.  Plain label propagation lets one tie flood a
 * neighbourhood; the chance term makes a big community pay for absorbing
 * someone with few links into it, and the levels let a whole team join
 * at once where no single member would move.  Ties (within float
 * precision) keep the current community, else go to the smallest label,
 * so the result depends only on the database.
 */
struct level {
	size_t n;
	size_t *off;
	struct link *links;		/* a link to the node itself: its inner weight */
};

/* One round of local moving until stable; true when any node moved. */
static bool
local_moving(const struct level *lv, uint32_t *label)
{
	double *acc = xcalloc(lv->n + 1, sizeof(*acc));
	double *tot = xcalloc(lv->n + 1, sizeof(*tot));
	double *str = xcalloc(lv->n + 1, sizeof(*str));
	uint32_t *seen = xcalloc(lv->n + 1, sizeof(*seen));
	size_t i, j, k, round, nseen;
	double m2 = 0;
	bool changed = true, moved = false;

	for (i = 0; i < lv->n; i++) {
		label[i] = (uint32_t)i;
		for (j = lv->off[i]; j < lv->off[i + 1]; j++)
			str[i] += lv->links[j].w;
		tot[i] = str[i];
		m2 += str[i];
	}
	for (round = 0; m2 > 0 && changed && round < GRAPH_MAX_ROUNDS; round++) {
		changed = false;
		for (i = 0; i < lv->n; i++) {
			uint32_t best = label[i];
			double bestg;

			nseen = 0;
			for (j = lv->off[i]; j < lv->off[i + 1]; j++) {
				uint32_t l = label[lv->links[j].to];

				if (lv->links[j].to == i)
					continue;
				if (acc[l] == 0)
					seen[nseen++] = l;
				acc[l] += lv->links[j].w;
			}
			if (nseen == 0)
				continue;
			tot[label[i]] -= str[i];
			bestg = acc[label[i]] - str[i] * tot[label[i]] / m2;
			for (k = 0; k < nseen; k++) {
				uint32_t l = seen[k];
				double gain = acc[l] - str[i] * tot[l] / m2;
				double tol = 1e-6 * (fabs(gain) > fabs(bestg) ? fabs(gain) : fabs(bestg));

				if (l == best)
					continue;
				if (gain > bestg + tol || (gain >= bestg - tol && best != label[i] && l < best)) {
					best = l;
					bestg = gain;
				}
			}
			for (k = 0; k < nseen; k++)
				acc[seen[k]] = 0;
			tot[best] += str[i];
			if (best != label[i]) {
				label[i] = best;
				changed = moved = true;
			}
		}
	}
	free(acc);
	free(tot);
	free(str);
	free(seen);
	return moved;
}

/* The graph of the communities of `lv` (label renumbered into `comm`, 0..*nc). */
static void
aggregate(const struct level *lv, const uint32_t *label, uint32_t *comm, struct level *out)
{
	uint32_t *renum = xcalloc(lv->n + 1, sizeof(*renum));	/* label -> community + 1 */
	size_t *first = NULL, *next = xcalloc(lv->n + 1, sizeof(*next)), *lastof = NULL;
	double *acc;
	uint32_t *seen;
	size_t i, j, c, nc = 0, nseen, cap = 0, nl = 0;

	for (i = 0; i < lv->n; i++) {
		if (!renum[label[i]])
			renum[label[i]] = (uint32_t)++nc;
		comm[i] = renum[label[i]] - 1;
	}
	/* Members of each community, as linked lists in node order. */
	first = xcalloc(nc + 1, sizeof(*first));
	lastof = xcalloc(nc + 1, sizeof(*lastof));
	for (i = 0; i < lv->n; i++) {
		c = comm[i];
		next[i] = SIZE_MAX;
		if (!first[c])
			first[c] = i + 1;
		else
			next[lastof[c]] = i;
		lastof[c] = i;
	}
	acc = xcalloc(nc + 1, sizeof(*acc));
	seen = xcalloc(nc + 1, sizeof(*seen));
	out->n = nc;
	out->off = xcalloc(nc + 1, sizeof(*out->off));
	out->links = NULL;
	for (c = 0; c < nc; c++) {
		nseen = 0;
		for (i = first[c] - 1; i != SIZE_MAX; i = next[i])
			for (j = lv->off[i]; j < lv->off[i + 1]; j++) {
				uint32_t t = comm[lv->links[j].to];

				if (acc[t] == 0)
					seen[nseen++] = t;
				acc[t] += lv->links[j].w;
			}
		for (j = 0; j < nseen; j++) {
			if (nl == cap) {
				cap = cap ? cap * 2 : 1024;
				out->links = xreallocarray(out->links, cap, sizeof(*out->links));
			}
			out->links[nl++] = (struct link){ seen[j], acc[seen[j]] };
			acc[seen[j]] = 0;
		}
		if (nseen > 1)
			qsort(&out->links[out->off[c]], nseen, sizeof(*out->links), cmp_link);
		out->off[c + 1] = nl;
	}
	free(renum);
	free(first);
	free(next);
	free(lastof);
	free(acc);
	free(seen);
}

static void
propagate(const struct graph *g, uint32_t *label)
{
	struct level lv = { g->n, g->off, g->links }, up;
	uint32_t *lab = xcalloc(g->n + 1, sizeof(*lab)), *comm = xcalloc(g->n + 1, sizeof(*comm));
	bool owned = false;
	size_t i, depth;

	for (i = 0; i < g->n; i++)
		label[i] = (uint32_t)i;
	for (depth = 0; depth < GRAPH_MAX_ROUNDS && local_moving(&lv, lab); depth++) {
		aggregate(&lv, lab, comm, &up);
		for (i = 0; i < g->n; i++)
			label[i] = comm[label[i]];
		if (owned) {
			free(lv.off);
			free(lv.links);
		}
		lv = up;
		owned = true;
	}
	if (owned) {
		free(lv.off);
		free(lv.links);
	}
	free(lab);
	free(comm);
}

/* A community while it is being built: dense node indexes. */
struct group {
	uint32_t label;
	uint32_t *nodes;
	size_t n;
	double weight;
	double *strength;		/* per node: weight of its links inside */
};

static int
cmp_group(const void *pa, const void *pb)
{
	const struct group *a = pa, *b = pb;

	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	return a->nodes[0] < b->nodes[0] ? -1 : a->nodes[0] > b->nodes[0];
}

static void
group_free(struct group *gr)
{
	free(gr->nodes);
	free(gr->strength);
}

static int
cmp_node_strength(const void *pa, const void *pb, void *arg)
{
	const struct group *gr = arg;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;

	if (gr->strength[a] != gr->strength[b])
		return gr->strength[a] > gr->strength[b] ? -1 : 1;
	return gr->nodes[a] < gr->nodes[b] ? -1 : gr->nodes[a] > gr->nodes[b];
}

/*
 * The few fields a community or a bridge shows: id, name, email,
 * relationship, status (people_fill reads much more, and a community may
 * hold thousands).
 */
static int
fill_brief(struct store *st, const struct ev *e, struct person *p)
{
	sqlite3_stmt *s;
	int rc;

	memset(p, 0, sizeof(*p));
	s = store_stmt(st, "SELECT coalesce(u.name, p.name), "
			   "(SELECT addr FROM addresses WHERE person = p.id ORDER BY n DESC, addr LIMIT 1) "
			   "FROM people p LEFT JOIN user_people u ON u.key = p.key WHERE p.id = ?1");
	sqlite3_bind_int64(s, 1, e->id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		if (sqlite3_column_type(s, 0) != SQLITE_NULL)
			p->name = xstrdup((const char *)sqlite3_column_text(s, 0));
		if (sqlite3_column_type(s, 1) != SQLITE_NULL)
			p->email = xstrdup((const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return store_fail(st, "reading a person");
	p->id = e->id;
	p->relationship = e->relationship;
	p->status = e->res.status;
	return STORE_OK;
}

/* Fill community `c` from group `gr`: members strongest-linked first. */
static int
fill_community(struct store *st, const struct graph *g, struct group *gr, struct evset *es,
	       struct community *c)
{
	size_t *order = xcalloc(gr->n, sizeof(*order)), i;
	int rc = STORE_OK;

	for (i = 0; i < gr->n; i++)
		order[i] = i;
	qsort_r(order, gr->n, sizeof(*order), cmp_node_strength, gr);
	c->weight = gr->weight;
	c->members.v = xcalloc(gr->n, sizeof(*c->members.v));
	for (i = 0; i < gr->n; i++) {
		struct ev *e = people_ev_find(es, g->ids[gr->nodes[order[i]]]);

		if (!e)
			continue;
		if ((rc = fill_brief(st, e, &c->members.v[c->members.n])) != STORE_OK)
			break;
		c->members.n++;
	}
	free(order);
	return rc;
}

/*
 * Bridges: people whose links put at least GRAPH_BRIDGE_SHARE of their
 * weight into each of two or more communities, reaching at least two
 * people in each community but their own (a friend of one member only is
 * no bridge: their link is that friendship).  They are ranked by the
 * weight of their second strongest side, and only the first
 * GRAPH_BRIDGE_MAX_SHARE × relationships are kept: on a one-organisation
 * mailbox nearly everyone touches two teams, and eighty bridges say
 * nothing.
 */
static bool
bridges_into(const double *acc, const size_t *reach, size_t k, uint32_t own, double total)
{
	return acc[k] >= GRAPH_BRIDGE_SHARE * total && (k == own || reach[k] >= 2);
}

/* Strongest bridge first; the same database gives the same order. */
static int
cmp_bridge(const void *pa, const void *pb)
{
	const struct bridge *a = pa, *b = pb;

	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	return (a->p.id > b->p.id) - (a->p.id < b->p.id);
}

static int
find_bridges(struct store *st, const struct graph *g, const uint32_t *comm, size_t ncomm, struct evset *es,
	     struct graph_suggestions *out)
{
	double *acc = xcalloc(ncomm + 1, sizeof(*acc));
	size_t *reach = xcalloc(ncomm + 1, sizeof(*reach));
	size_t i, j, k, nrel = 0, cap;
	struct bridge *b;
	int rc = STORE_OK;

	for (i = 0; i < g->n && rc == STORE_OK; i++) {
		double total = 0, first = 0, second = 0;
		size_t hits = 0;
		struct ev *e;

		if (g->off[i] == g->off[i + 1])
			continue;
		memset(acc, 0, (ncomm + 1) * sizeof(*acc));
		memset(reach, 0, (ncomm + 1) * sizeof(*reach));
		for (j = g->off[i]; j < g->off[i + 1]; j++) {
			acc[comm[g->links[j].to]] += g->links[j].w;
			reach[comm[g->links[j].to]]++;
			total += g->links[j].w;
		}
		for (k = 1; k <= ncomm; k++)
			if (bridges_into(acc, reach, k, comm[i], total))
				hits++;
		if (hits < 2 || !(e = people_ev_find(es, g->ids[i])))
			continue;
		out->bridges = xreallocarray(out->bridges, out->nbridges + 1, sizeof(*out->bridges));
		b = &out->bridges[out->nbridges];
		memset(b, 0, sizeof(*b));
		b->communities = xcalloc(hits, sizeof(*b->communities));
		for (k = 1; k <= ncomm; k++) {
			if (!bridges_into(acc, reach, k, comm[i], total))
				continue;
			b->communities[b->ncommunities++] = k;
			/* The weight of the second strongest side: a bridge is as strong as its weaker end. */
			if (acc[k] > first) {
				second = first;
				first = acc[k];
			} else if (acc[k] > second) {
				second = acc[k];
			}
		}
		b->weight = second;
		out->nbridges++;
		rc = fill_brief(st, e, &b->p);
	}
	free(acc);
	free(reach);
	if (rc != STORE_OK)
		return rc;
	if (out->nbridges > 1)
		qsort(out->bridges, out->nbridges, sizeof(*out->bridges), cmp_bridge);
	/* Few enough to read: the strongest, at most a share of the relationships. */
	for (i = 0; i < es->n; i++)
		if (es->v[i].relationship)
			nrel++;
	cap = (size_t)(GRAPH_BRIDGE_MAX_SHARE * (double)nrel);
	if (cap < 1)
		cap = 1;
	while (out->nbridges > cap) {
		b = &out->bridges[--out->nbridges];
		person_free(&b->p);
		free(b->communities);
	}
	return STORE_OK;
}

void
graph_suggestions_free(struct graph_suggestions *g)
{
	size_t i;

	for (i = 0; i < g->n; i++) {
		free(g->v[i].name);
		free(g->v[i].name_from);
		person_list_free(&g->v[i].members);
	}
	free(g->v);
	for (i = 0; i < g->nbridges; i++) {
		person_free(&g->bridges[i].p);
		free(g->bridges[i].communities);
	}
	free(g->bridges);
	memset(g, 0, sizeof(*g));
}

int
graph_suggest(struct store *st, int64_t now, struct graph_suggestions *out)
{
	struct graph g;
	struct evset es = { 0 };
	struct group *groups = NULL;
	uint32_t *label = NULL, *gindex = NULL, *comm = NULL;
	size_t ngroups = 0, i, j, k;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = graph_load(st, now, &g)) != STORE_OK) {
		graph_free(&g);
		return rc;
	}
	label = xcalloc(g.n + 1, sizeof(*label));
	propagate(&g, label);

	/* Group the linked nodes by label. */
	gindex = xcalloc(g.n + 1, sizeof(*gindex));	/* label -> group + 1 */
	for (i = 0; i < g.n; i++) {
		struct group *gr;

		if (g.off[i] == g.off[i + 1])
			continue;
		if (!gindex[label[i]]) {
			groups = xreallocarray(groups, ngroups + 1, sizeof(*groups));
			memset(&groups[ngroups], 0, sizeof(*groups));
			groups[ngroups].label = label[i];
			gindex[label[i]] = (uint32_t)++ngroups;
		}
		gr = &groups[gindex[label[i]] - 1];
		gr->nodes = xreallocarray(gr->nodes, gr->n + 1, sizeof(*gr->nodes));
		gr->nodes[gr->n++] = (uint32_t)i;
	}
	/* Inner weights, then keep the groups big enough to suggest. */
	for (k = 0; k < ngroups; k++) {
		struct group *gr = &groups[k];

		gr->strength = xcalloc(gr->n, sizeof(*gr->strength));
		for (i = 0; i < gr->n; i++)
			for (j = g.off[gr->nodes[i]]; j < g.off[gr->nodes[i] + 1]; j++)
				if (label[g.links[j].to] == gr->label) {
					gr->strength[i] += g.links[j].w;
					gr->weight += g.links[j].w / 2;
				}
	}
	for (i = k = 0; k < ngroups; k++) {
		if (groups[k].n >= GRAPH_MIN_COMMUNITY)
			groups[i++] = groups[k];
		else
			group_free(&groups[k]);
	}
	ngroups = i;
	if (ngroups > 1)
		qsort(groups, ngroups, sizeof(*groups), cmp_group);

	/* Community numbers per node, 0 for none. */
	comm = xcalloc(g.n + 1, sizeof(*comm));
	for (k = 0; k < ngroups; k++)
		for (i = 0; i < groups[k].n; i++)
			comm[groups[k].nodes[i]] = (uint32_t)(k + 1);

	if ((rc = people_evaluate(st, now, false, &es)) != STORE_OK)
		goto out;
	out->v = xcalloc(ngroups ? ngroups : 1, sizeof(*out->v));
	for (k = 0; k < ngroups; k++) {
		struct community *c = &out->v[out->n++];

		if ((rc = fill_community(st, &g, &groups[k], &es, c)) != STORE_OK)
			goto out;
	}
	if ((rc = graph_name_communities(st, out->v, out->n)) != STORE_OK)
		goto out;
	rc = find_bridges(st, &g, comm, ngroups, &es, out);
out:
	if (rc != STORE_OK)
		graph_suggestions_free(out);
	for (k = 0; k < ngroups; k++)
		group_free(&groups[k]);
	free(groups);
	free(gindex);
	free(label);
	free(comm);
	people_evset_free(&es);
	graph_free(&g);
	return rc;
}
