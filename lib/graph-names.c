/* graph-names.c - a name for a suggested community: a shared domain or subject word. */
#include "config.h"

#include <ctype.h>
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

/* Words that say nothing about what a group shares. */
static bool
stop_word(const char *w)
{
	static const char *const stop[] = {
		"about", "after", "again", "agenda", "all", "and", "are", "call", "catching", "check",
		"coffee", "draft", "fwd", "from", "have", "hello", "here", "how", "into", "just",
		"lunch", "meeting", "next", "notes", "quick", "question", "thanks", "that", "the",
		"things", "this", "update", "week", "what", "when", "with", "your", "you", "our",
		"for", "re", "aw", "fw", "dinner", "friday", "monday", "tuesday", "wednesday",
		"thursday", "saturday", "sunday", "today", "tomorrow", "yesterday", "hands",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(stop); i++)
		if (strcmp(w, stop[i]) == 0)
			return true;
	return false;
}

/* Webmail domains name nobody's community. */
static bool
public_domain(const char *d)
{
	static const char *const pub[] = { "gmail.com", "googlemail.com", "outlook.com", "hotmail.com",
					   "yahoo.com", "icloud.com", "me.com", "gmx.de", "gmx.net",
					   "proton.me", "protonmail.com", "aol.com", "live.com", "web.de" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(pub); i++)
		if (strcmp(d, pub[i]) == 0)
			return true;
	return false;
}

struct count {
	char *s;
	size_t n;
};

static void
count_add(struct count **v, size_t *n, const char *s)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i].s, s) == 0) {
			(*v)[i].n++;
			return;
		}
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[*n].s = xstrdup(s);
	(*v)[(*n)++].n = 1;
}

/* The most counted string (ties: the first in byte order), or NULL. */
static const struct count *
count_top(const struct count *v, size_t n)
{
	const struct count *best = NULL;
	size_t i;

	for (i = 0; i < n; i++)
		if (!best || v[i].n > best->n || (v[i].n == best->n && strcmp(v[i].s, best->s) < 0))
			best = &v[i];
	return best;
}

static void
counts_free(struct count *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].s);
	free(v);
}

/* The words of a subject, lower-cased, at least 4 bytes, each once. */
static void
subject_words(const char *subject, struct count **v, size_t *n)
{
	struct count *mine = NULL;
	size_t nmine = 0, i;
	char w[64];
	size_t len = 0;
	const char *p;

	for (p = subject;; p++) {
		unsigned char ch = (unsigned char)*p;

		if (ch && (isalpha(ch) || ch >= 0x80)) {
			if (len < sizeof(w) - 1)
				w[len++] = (char)tolower(ch);
			continue;
		}
		w[len] = '\0';
		if (len >= 4 && !stop_word(w)) {
			for (i = 0; i < nmine && strcmp(mine[i].s, w) != 0; i++)
				;
			if (i == nmine)
				count_add(&mine, &nmine, w);
		}
		len = 0;
		if (!ch)
			break;
	}
	for (i = 0; i < nmine; i++)
		count_add(v, n, mine[i].s);
	counts_free(mine, nmine);
}

/* A thread one member took part in, and its subject as they saw it. */
struct subject {
	int64_t thread;
	char *subject;
};

static int
cmp_subject(const void *pa, const void *pb)
{
	const struct subject *a = pa, *b = pb;

	return a->thread < b->thread ? -1 : a->thread > b->thread;
}

/*
 * A name for a community: the registrable domain most of its members share
 * (its first label: "work" for work.example), else the word most frequent
 * in the subjects of the threads two or more members share.  The core of
 * a community (its GRAPH_NAME_MEMBERS best-linked members) says what it is
 * about as well as all of it, and reading subjects is not free.
 */
int
graph_name_community(struct store *st, const struct community *c, size_t number, char **name, char **from)
{
	struct count *doms = NULL, *words = NULL;
	struct subject *tm = NULL;
	size_t nd = 0, nw = 0, ntm = 0, i, j, shared;
	const struct count *top;
	sqlite3_stmt *s;
	int rc = STORE_OK;

	for (i = 0; i < c->members.n; i++) {
		char *d;

		if (!c->members.v[i].email || !(d = identity_registrable_domain(c->members.v[i].email)))
			continue;
		if (!public_domain(d))
			count_add(&doms, &nd, d);
		free(d);
	}
	top = count_top(doms, nd);
	if (top && (double)top->n >= GRAPH_NAME_DOMAIN_SHARE * (double)c->members.n && top->n >= 2) {
		*name = xstrndup(top->s, strcspn(top->s, "."));
		*from = xasprintf("domain %s", top->s);
		goto out;
	}
	/* The threads of the core members; then the subjects of those two or more share. */
	s = store_stmt(st, "SELECT DISTINCT thread FROM interactions WHERE person = ?1 AND thread > 0");
	for (i = 0; i < c->members.n && i < GRAPH_NAME_MEMBERS; i++) {
		sqlite3_bind_int64(s, 1, c->members.v[i].id);
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			tm = xreallocarray(tm, ntm + 1, sizeof(*tm));
			tm[ntm].thread = sqlite3_column_int64(s, 0);
			tm[ntm++].subject = NULL;
		}
		sqlite3_reset(s);
		if (rc != SQLITE_DONE) {
			rc = store_fail(st, "reading threads");
			goto out;
		}
	}
	rc = STORE_OK;
	if (ntm > 1)
		qsort(tm, ntm, sizeof(*tm), cmp_subject);
	s = store_stmt(st, "SELECT m.subject FROM interactions i JOIN messages m ON m.id = i.message "
			   "WHERE i.thread = ?1 AND m.subject IS NOT NULL LIMIT 1");
	for (i = 0, shared = 0; i < ntm && shared < GRAPH_NAME_THREADS; i = j) {
		for (j = i + 1; j < ntm && tm[j].thread == tm[i].thread; j++)
			;
		if (j - i < 2)
			continue;
		shared++;
		sqlite3_bind_int64(s, 1, tm[i].thread);
		if (sqlite3_step(s) == SQLITE_ROW)
			subject_words((const char *)sqlite3_column_text(s, 0), &words, &nw);
		sqlite3_reset(s);
	}
	top = count_top(words, nw);
	if (top && top->n >= 2) {
		*name = xstrdup(top->s);
		*from = xasprintf("subject word '%s'", top->s);
	} else {
		*name = xasprintf("group-%zu", number);
		*from = xstrdup("numbering");
	}
out:
	counts_free(doms, nd);
	counts_free(words, nw);
	for (i = 0; i < ntm; i++)
		free(tm[i].subject);
	free(tm);
	return rc;
}
