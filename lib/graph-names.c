/* graph-names.c - names that tell suggested communities apart: a domain, a word, a member. */
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

/* What one community could be named after. */
struct facts {
	char *domain;			/* its majority registrable domain, or NULL */
	struct count *words;		/* words of the subjects its core members share */
	size_t nw;
};

/*
 * The registrable domain at least GRAPH_NAME_DOMAIN_SHARE of the members
 * (and two or more) share, webmail aside.
 */
static char *
majority_domain(const struct community *c)
{
	struct count *doms = NULL;
	const struct count *top;
	size_t nd = 0, i;
	char *d, *out = NULL;

	for (i = 0; i < c->members.n; i++) {
		if (!c->members.v[i].email || !(d = identity_registrable_domain(c->members.v[i].email)))
			continue;
		if (!public_domain(d))
			count_add(&doms, &nd, d);
		free(d);
	}
	top = count_top(doms, nd);
	if (top && (double)top->n >= GRAPH_NAME_DOMAIN_SHARE * (double)c->members.n && top->n >= 2)
		out = xstrdup(top->s);
	counts_free(doms, nd);
	return out;
}

/*
 * The words of the subjects of the threads that two or more of the core
 * (the GRAPH_NAME_MEMBERS best-linked members) share: the core says what a
 * community is about as well as all of it, and reading subjects is not free.
 */
static int
core_words(struct store *st, const struct community *c, struct facts *f)
{
	struct subject *tm = NULL;
	size_t ntm = 0, i, j, shared;
	sqlite3_stmt *s;
	int rc = STORE_OK;

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
			subject_words((const char *)sqlite3_column_text(s, 0), &f->words, &f->nw);
		sqlite3_reset(s);
	}
out:
	free(tm);
	return rc;
}

static size_t
count_of(const struct count *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].s, s) == 0)
			return v[i].n;
	return 0;
}

static bool
name_taken(const struct community *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].name && strcmp(v[i].name, name) == 0)
			return true;
	return false;
}

/*
 * The word that tells community k from the others: seen in at least two of
 * its shared threads, weighted by how few other communities use it at all
 * (count × log(1 + n / communities using it)), so that "enron" or
 * "power" on a mailbox where everyone writes about power names nobody.
 * A word another community was already named after is skipped.  NULL when
 * no word is distinctive.
 */
static const char *
distinctive_word(const struct facts *f, size_t n, size_t k, const struct community *v)
{
	const struct count *best = NULL;
	double best_score = 0;
	size_t i, j, df;

	for (i = 0; i < f[k].nw; i++) {
		const struct count *w = &f[k].words[i];
		double score;

		if (w->n < 2 || name_taken(v, n, w->s))
			continue;
		for (j = 0, df = 0; j < n; j++)
			if (count_of(f[j].words, f[j].nw, w->s) > 0)
				df++;
		/* A word every community shares says nothing about this one. */
		if (n > 1 && df == n)
			continue;
		score = (double)w->n * log(1.0 + (double)n / (double)df);
		if (!best || score > best_score ||
		    (score == best_score && strcmp(w->s, best->s) < 0)) {
			best = w;
			best_score = score;
		}
	}
	return best ? best->s : NULL;
}

/* "Mike Curry" or mike.curry@enron.com as "mike-curry": letters and digits, dashes between. */
static char *
slug(const struct person *p)
{
	const char *src = p->name && *p->name ? p->name : p->email ? p->email : "";
	struct strbuf sb = { 0 };
	bool dash = false;

	for (; *src && *src != '@'; src++) {
		unsigned char ch = (unsigned char)*src;

		if (isalnum(ch) || ch >= 0x80) {
			if (dash && sb.len)
				sb_addc(&sb, '-');
			sb_addc(&sb, (char)tolower(ch));
			dash = false;
		} else {
			dash = true;
		}
	}
	return sb.len ? sb_detach(&sb) : xstrdup("someone");
}

/* How a member is shown in name_from: the address, else the name. */
static const char *
member_label(const struct person *p)
{
	return p->email ? p->email : p->name ? p->name : "?";
}

/*
 * Names that tell the communities apart.  A domain names a community when
 * most of its members share it and it is the majority of no other
 * community (on a one-organisation mailbox the company's domain names
 * none).  Else the distinctive subject word; else its two most central
 * members ("mike-curry", after mike.curry@ and doug.smith@); "group-N"
 * only when a community has no member to name it after.
 */
int
graph_name_communities(struct store *st, struct community *v, size_t n)
{
	struct facts *f = xcalloc(n ? n : 1, sizeof(*f));
	size_t i, j, same;
	const char *w;
	int rc = STORE_OK;

	for (i = 0; i < n; i++)
		f[i].domain = majority_domain(&v[i]);
	for (i = 0; i < n; i++) {
		if (!f[i].domain)
			continue;
		for (j = 0, same = 0; j < n; j++)
			if (f[j].domain && strcmp(f[j].domain, f[i].domain) == 0)
				same++;
		if (same == 1) {
			char *name = xstrndup(f[i].domain, strcspn(f[i].domain, "."));

			if (!name_taken(v, n, name)) {
				v[i].name = name;
				v[i].name_from = xasprintf("domain %s", f[i].domain);
				continue;
			}
			free(name);
		}
	}
	for (i = 0; i < n; i++)
		if (!v[i].name && (rc = core_words(st, &v[i], &f[i])) != STORE_OK)
			goto out;
	for (i = 0; i < n; i++) {
		if (v[i].name)
			continue;
		if ((w = distinctive_word(f, n, i, v))) {
			v[i].name = xstrdup(w);
			v[i].name_from = xasprintf("subject word '%s'", w);
		}
	}
	for (i = 0; i < n; i++) {
		char *name;

		if (v[i].name)
			continue;
		if (v[i].members.n == 0) {
			v[i].name = xasprintf("group-%zu", i + 1);
			v[i].name_from = xstrdup("numbering");
			continue;
		}
		name = slug(&v[i].members.v[0]);
		if (name_taken(v, n, name)) {
			char *numbered = xasprintf("%s-%zu", name, i + 1);

			free(name);
			name = numbered;
		}
		v[i].name = name;
		v[i].name_from = v[i].members.n > 1
			? xasprintf("most central members, %s and %s", member_label(&v[i].members.v[0]),
				    member_label(&v[i].members.v[1]))
			: xasprintf("most central member, %s", member_label(&v[i].members.v[0]));
	}
out:
	for (i = 0; i < n; i++) {
		free(f[i].domain);
		counts_free(f[i].words, f[i].nw);
	}
	free(f);
	return rc;
}
