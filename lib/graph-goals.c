/* graph-goals.c - progress of each [goal]: circle members written to this week. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kith/config.h"
#include "kith/graph.h"
#include "kith/log.h"
#include "kith/store.h"
#include "kith/util.h"
#include "people-private.h"
#include "store-private.h"

/* ---- goals ----------------------------------------------------------------- */

int64_t
graph_week_start(int64_t now)
{
	time_t t = (time_t)now;
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return now - now % (7 * DAY_SECS);
	tm.tm_mday -= (tm.tm_wday + 6) % 7;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

void
goal_list_free(struct goal_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].circle);
		person_list_free(&l->v[i].reached);
		person_list_free(&l->v[i].next);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Did the user write to (or meet) person `id` in [from, to]?  1, 0, or STORE_*. */
static int
reached(struct store *st, int64_t id, int64_t from, int64_t to)
{
	sqlite3_stmt *s;
	int rc;

	s = store_stmt(st, "SELECT 1 FROM interactions WHERE person = ?1 AND at >= ?2 AND at <= ?3 "
			   "AND ((dir = 0 AND eligible = 1) OR dir = 2) LIMIT 1");
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, from);
	sqlite3_bind_int64(s, 3, to);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : store_fail(st, "reading this week's mail");
}

/* Move person `p` to the end of list `l`, leaving *p empty. */
static void
list_take(struct person_list *l, struct person *p)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = *p;
	memset(p, 0, sizeof(*p));
}

/*
 * A goal asks for K people a week whether or not anyone is formally due,
 * so "next" is the members most overdue first (people_list's due order),
 * leaving out those reached this week, snoozed, ignored or bounced.
 */
static int
goal_progress(struct store *st, const struct kith_goal *goal, int64_t now, size_t next_limit,
	      struct goal_progress *gp)
{
	struct person_list members = { 0 };
	size_t i;
	int rc;

	gp->name = xstrdup(goal->name);
	gp->circle = xstrdup(goal->circle);
	gp->per_week = goal->per_week;
	gp->week_start = graph_week_start(now);
	if ((rc = people_list(st, now, goal->circle, SORT_DUE, PEOPLE_ACQUAINTANCES, &members)) != STORE_OK)
		return rc;
	gp->members = members.n;
	for (i = 0; i < members.n; i++) {
		struct person *p = &members.v[i];

		if ((rc = reached(st, p->id, gp->week_start, now)) < 0)
			goto out;
		if (rc == 1)
			list_take(&gp->reached, p);
		else if (gp->next.n < next_limit && !p->ignored && !p->bounced && p->snoozed_until <= now)
			list_take(&gp->next, p);
	}
	rc = STORE_OK;
out:
	person_list_free(&members);
	return rc;
}

int
graph_goals(struct store *st, int64_t now, size_t next_limit, struct goal_list *out)
{
	const struct kith_config *cfg = store_config(st);
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!cfg || cfg->ngoals == 0)
		return STORE_OK;
	out->v = xcalloc(cfg->ngoals, sizeof(*out->v));
	for (i = 0; i < cfg->ngoals; i++) {
		out->n++;
		if ((rc = goal_progress(st, &cfg->goals[i], now, next_limit, &out->v[i])) != STORE_OK) {
			goal_list_free(out);
			return rc;
		}
	}
	return STORE_OK;
}
