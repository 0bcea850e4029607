/* graph-private.h - what the graph*.c files share; not installed. */
#ifndef KITH_GRAPH_PRIVATE_H
#define KITH_GRAPH_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

struct store;

/* The weight of a thread last active at `last` with `n` people in it, at `now` (graph.h). */
double graph_thread_weight(int64_t last, size_t n, int64_t now);

/* The most people a thread may hold and still link them (GRAPH_MAX_THREAD_FACTOR × max_recipients). */
size_t graph_max_thread_people(struct store *st);

struct community;

/*
 * Names for the n communities v[0..n-1], told apart from one another:
 * sets each one's name and name_from (see graph-names.c).  0 or STORE_*.
 */
int graph_name_communities(struct store *st, struct community *v, size_t n);

#endif
