/* graph.h - synchronicity: related people, suggested communities, bridges, goals. */
#ifndef KITH_GRAPH_H
#define KITH_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kith/people.h"
#include "kith/util.h"

struct store;

/*
 * The co-recipient graph.  Two people are linked by every thread both took
 * part in (as author, recipient, co-recipient or list poster); a thread
 * counts 2^(−age/GRAPH_HALF_LIFE) / (n − 1), its age taken from its newest
 * message and n the number of people in it, so a recent small exchange
 * weighs much more than an old announcement to forty.
 */
#define GRAPH_HALF_LIFE		(365 * DAY_SECS)
/*
 * Threads of more than GRAPH_MAX_THREAD_FACTOR × max_recipients people are
 * blasts and announcements: they link nobody.  A team thread of a dozen
 * still does (the work team's all-hands Cc threads).
 */
#define GRAPH_MAX_THREAD_FACTOR	2
#define GRAPH_EDGE_MIN_THREADS	2	/* communities: pairs sharing fewer threads are no edge */
#define GRAPH_MIN_COMMUNITY	3	/* smaller label groups are no suggestion */
#define GRAPH_MAX_ROUNDS	30	/* rounds of moving, and levels, before giving up settling */
#define GRAPH_BRIDGE_SHARE	0.2	/* a bridge has this share of its links in each of 2 communities */
#define GRAPH_BRIDGE_MAX_SHARE	0.1	/* at most this share of the relationships are shown as bridges */
#define GRAPH_NAME_MEMBERS	8	/* the threads of this many best-linked members name it, */
#define GRAPH_NAME_THREADS	20	/* at most this many of them shared */
#define GRAPH_NAME_DOMAIN_SHARE	0.5	/* a domain names a community when half its members share it */

/* One person related to another, with what links them. */
struct related_item {
	struct person p;		/* person_free() via related_list_free() */
	double score;			/* summed decayed weight of the shared threads */
	size_t threads;			/* shared threads */
	int64_t last_shared;		/* their newest message in a shared thread */
};
struct related_list {
	struct related_item *v;
	size_t n;
};

/*
 * People who share threads (of at most GRAPH_MAX_THREAD_FACTOR ×
 * max_recipients people) with person `id`: dormant relationships first,
 * then the other relationships, then acquaintances, each group by score.
 * At most `limit` items.  *out is the caller's: related_list_free().
 * Returns STORE_OK, or STORE_ERROR / STORE_BUSY after logging why.
 */
int graph_related(struct store *st, int64_t id, int64_t now, size_t limit, struct related_list *out);
void related_list_free(struct related_list *l);

/* A community found in the co-recipient graph; members strongest-linked first. */
struct community {
	char *name;			/* suggested circle name */
	char *name_from;		/* "domain x.example", "subject word 'climbing'", "most central members, ..." */
	struct person_list members;	/* only id, name, email, relationship, status set */
	double weight;			/* summed weight of its inner links */
};

/* Someone whose links reach into two or more communities. */
struct bridge {
	struct person p;		/* only id, name, email, relationship, status set */
	size_t *communities;		/* 1-based community numbers, ascending */
	size_t ncommunities;
	double weight;			/* of the links into their second strongest community */
};

struct graph_suggestions {
	struct community *v;		/* v[0] is community number 1 */
	size_t n;
	struct bridge *bridges;
	size_t nbridges;
};

/*
 * Communities by the Louvain method (modularity) over the co-recipient graph
 * (threads of at most GRAPH_MAX_THREAD_FACTOR × max_recipients people; pairs sharing at least
 * GRAPH_EDGE_MIN_THREADS threads, one of them a relationship), numbered by
 * size, then inner weight, then smallest member id: the same database gives
 * the same numbering.  Two people merge --suggest proposes as one are one
 * node.  Names tell the communities apart (graph-names.c); bridges come
 * strongest first, at most GRAPH_BRIDGE_MAX_SHARE × relationships of them.
 * *out is the caller's: graph_suggestions_free().
 */
int graph_suggest(struct store *st, int64_t now, struct graph_suggestions *out);
void graph_suggestions_free(struct graph_suggestions *g);

/* Progress of one [goal] this week. */
struct goal_progress {
	char *name;
	char *circle;
	int per_week;
	int64_t week_start;		/* Monday 00:00 local time */
	struct person_list reached;	/* members written to (or met) since week_start */
	struct person_list next;	/* members to write to next, most due first */
	size_t members;			/* people in the circle */
};
struct goal_list {
	struct goal_progress *v;
	size_t n;
};

/* Monday 00:00 local time of the week holding `now`. */
int64_t graph_week_start(int64_t now);

/*
 * Every configured goal's progress at `now`, in the configuration's order,
 * with at most `next_limit` people in each `next`.  *out is the caller's:
 * goal_list_free().
 */
int graph_goals(struct store *st, int64_t now, size_t next_limit, struct goal_list *out);
void goal_list_free(struct goal_list *l);

#endif
