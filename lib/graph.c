/* graph.c - the co-recipient graph: thread weights, and the people related to someone. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kith/graph.h"
#include "kith/log.h"
#include "kith/store.h"
#include "kith/util.h"
#include "graph-private.h"
#include "people-private.h"
#include "store-private.h"

double
graph_thread_weight(int64_t last, size_t n, int64_t now)
{
	int64_t age = now > last ? now - last : 0;

	return exp2(-(double)age / (double)GRAPH_HALF_LIFE) / (double)(n > 1 ? n - 1 : 1);
}

size_t
graph_max_thread_people(struct store *st)
{
	return (size_t)people_max_recipients(st) * GRAPH_MAX_THREAD_FACTOR;
}

/* ---- related ------------------------------------------------------------- */

struct cand {
	int64_t id;
	double score;
	size_t threads;
	int64_t last;
	int group;			/* 0 dormant relationship, 1 relationship, 2 acquaintance */
	struct ev *e;
};

struct member {
	int64_t id;
	int64_t last;
};

static int
cmp_cand_id(const void *pa, const void *pb)
{
	const struct cand *a = pa, *b = pb;

	return a->id < b->id ? -1 : a->id > b->id;
}

static int
cmp_cand(const void *pa, const void *pb)
{
	const struct cand *a = pa, *b = pb;

	if (a->group != b->group)
		return a->group - b->group;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static struct cand *
cand_slot(struct cand **v, size_t *n, size_t *cap, int64_t id)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*v = xreallocarray(*v, *cap, sizeof(**v));
	}
	memset(&(*v)[*n], 0, sizeof(**v));
	(*v)[*n].id = id;
	return &(*v)[(*n)++];
}

/* The threads person `id` took part in, ascending. */
static int
threads_of(struct store *st, int64_t id, int64_t **out, size_t *n)
{
	sqlite3_stmt *s;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	s = store_stmt(st, "SELECT DISTINCT thread FROM interactions WHERE person = ?1 AND thread > 0 "
			   "ORDER BY thread");
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*out = xreallocarray(*out, cap, sizeof(**out));
		}
		(*out)[(*n)++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? STORE_OK : store_fail(st, "reading a person's threads");
}

/* The people of one thread, with their newest message in it. */
static int
thread_members(struct store *st, int64_t thread, struct member **v, size_t *n, size_t *cap)
{
	sqlite3_stmt *s;
	int rc;

	*n = 0;
	s = store_stmt(st, "SELECT person, max(at) FROM interactions WHERE thread = ?1 GROUP BY person");
	sqlite3_bind_int64(s, 1, thread);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 16;
			*v = xreallocarray(*v, *cap, sizeof(**v));
		}
		(*v)[*n].id = sqlite3_column_int64(s, 0);
		(*v)[(*n)++].last = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? STORE_OK : store_fail(st, "reading a thread's people");
}

/* Append one thread's share for every other member; folded by id afterwards. */
static void
credit_thread(struct cand **v, size_t *n, size_t *cap, int64_t self, const struct member *m,
	      size_t nm, int64_t now)
{
	int64_t last = 0;
	double w;
	size_t i;

	for (i = 0; i < nm; i++)
		if (m[i].last > last)
			last = m[i].last;
	w = graph_thread_weight(last, nm, now);
	for (i = 0; i < nm; i++) {
		struct cand *c;

		if (m[i].id == self)
			continue;
		c = cand_slot(v, n, cap, m[i].id);
		c->score = w;
		c->threads = 1;
		c->last = m[i].last;
	}
}

/* Sum the rows of each person into one. */
static size_t
fold_cands(struct cand *v, size_t n)
{
	size_t i, out = 0;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_cand_id);
	for (i = 1; i < n; i++) {
		if (v[i].id == v[out].id) {
			v[out].score += v[i].score;
			v[out].threads += v[i].threads;
			if (v[i].last > v[out].last)
				v[out].last = v[i].last;
		} else {
			v[++out] = v[i];
		}
	}
	return out + 1;
}

void
related_list_free(struct related_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		person_free(&l->v[i].p);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int
graph_related(struct store *st, int64_t id, int64_t now, size_t limit, struct related_list *out)
{
	struct cand *cands = NULL;
	struct member *m = NULL;
	struct evset es = { 0 };
	int64_t *threads = NULL;
	size_t nthreads = 0, nc = 0, capc = 0, nm = 0, capm = 0, i, maxp = graph_max_thread_people(st);
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = threads_of(st, id, &threads, &nthreads)) != STORE_OK)
		goto out;
	for (i = 0; i < nthreads; i++) {
		if ((rc = thread_members(st, threads[i], &m, &nm, &capm)) != STORE_OK)
			goto out;
		if (nm > maxp)
			continue;
		credit_thread(&cands, &nc, &capc, id, m, nm, now);
	}
	nc = fold_cands(cands, nc);
	if ((rc = people_evaluate(st, now, false, &es)) != STORE_OK)
		goto out;
	for (i = 0; i < nc; i++) {
		struct cand *c = &cands[i];

		c->e = people_ev_find(&es, c->id);
		if (!c->e)
			c->group = 3;
		else if (!c->e->relationship)
			c->group = 2;
		else
			c->group = c->e->res.status == STATUS_DORMANT ? 0 : 1;
	}
	if (nc > 1)
		qsort(cands, nc, sizeof(*cands), cmp_cand);
	out->v = xcalloc(nc ? nc : 1, sizeof(*out->v));
	for (i = 0; i < nc && out->n < limit; i++) {
		struct related_item *r = &out->v[out->n];

		if (!cands[i].e)
			continue;
		if ((rc = people_fill(st, cands[i].e, now, &r->p)) != STORE_OK)
			goto out;
		r->score = cands[i].score;
		r->threads = cands[i].threads;
		r->last_shared = cands[i].last;
		out->n++;
	}
	rc = STORE_OK;
out:
	if (rc != STORE_OK)
		related_list_free(out);
	people_evset_free(&es);
	free(threads);
	free(cands);
	free(m);
	return rc;
}
