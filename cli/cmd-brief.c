/* cmd-brief.c - `kith brief`: one page per person, read before meeting them. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "kith.h"
#include "kith/graph.h"
#include "kith/ics.h"
#include "kith/people.h"
#include "kith/seed.h"
#include "kith/util.h"
#include "printer.h"

#define BRIEF_WIDTH	80	/* a page is this wide at most */
#define BRIEF_KEY	15	/* the column the values start at */
#define BRIEF_RELATED	3	/* people both know, shown per person */
#define BRIEF_POOL	50	/* related people read to find the closest three */
#define BRIEF_HISTORY	50	/* history read to find the last exchange */
#define ICS_MAX_BYTES	(4 * 1024 * 1024)

/* Who to brief about: people found, and attendees of an invite who match no one. */
struct brief_set {
	int64_t *ids;
	size_t n;
	struct ics_people unknown;
};

static void
set_add(struct brief_set *b, int64_t id)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		if (b->ids[i] == id)
			return;
	b->ids = xreallocarray(b->ids, b->n + 1, sizeof(*b->ids));
	b->ids[b->n++] = id;
}

static int
add_circle(struct cli *c, const char *circle, struct brief_set *b)
{
	struct person_list l = { 0 };
	size_t i;
	int rc;

	if ((rc = people_list(c->st, c->now, circle, SORT_NAME, PEOPLE_ACQUAINTANCES, &l)) != 0)
		return cli_store_error(rc);
	for (i = 0; i < l.n; i++)
		set_add(b, l.v[i].id);
	person_list_free(&l);
	return EXIT_OK;
}

static int
add_ics(struct cli *c, const char *file, struct brief_set *b)
{
	struct ics_people all = { 0 };
	struct strbuf sb = { 0 };
	char buf[8192];
	size_t i, n;
	FILE *f;
	int rc = EXIT_OK;

	if (!(f = fopen(file, "r"))) {
		log_error("cannot open '%s': %s", file, strerror(errno));
		return EXIT_ERROR;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0 && sb.len < ICS_MAX_BYTES)
		sb_add(&sb, buf, n);
	if (ferror(f)) {
		log_error("cannot read '%s': %s", file, strerror(errno));
		rc = EXIT_ERROR;
	}
	fclose(f);
	if (rc == EXIT_OK)
		ics_people_parse(sb.buf ? sb.buf : "", sb.len, &all);
	sb_free(&sb);
	if (rc == EXIT_OK && all.n == 0) {
		log_error("'%s' names no organizer or attendee (ATTENDEE and ORGANIZER lines)", file);
		rc = EXIT_ERROR;
	}
	for (i = 0; rc == EXIT_OK && i < all.n; i++) {
		struct ics_person *a = &all.v[i];
		int64_t id = 0;
		int src;

		/* The user is in most invites they receive: not someone to brief about. */
		if (people_address_is_me(c->st, a->email))
			continue;
		if ((src = people_find_address(c->st, a->email, &id)) != 0) {
			rc = cli_store_error(src);
			break;
		}
		if (id) {
			set_add(b, id);
			continue;
		}
		b->unknown.v = xreallocarray(b->unknown.v, b->unknown.n + 1, sizeof(*b->unknown.v));
		b->unknown.v[b->unknown.n++] = *a;
		memset(a, 0, sizeof(*a));
	}
	ics_people_free(&all);
	return rc;
}

/* Everything a page shows beyond the person fields. */
struct page {
	struct person p;
	struct history_item *last;	/* into h */
	struct history_list h;
	struct related_list rel;
	size_t related[BRIEF_RELATED];	/* indexes into rel, by score */
	size_t nrelated;
};

static void
page_free(struct page *pg)
{
	person_free(&pg->p);
	history_list_free(&pg->h);
	related_list_free(&pg->rel);
}

static int
page_load(struct cli *c, int64_t id, struct page *pg)
{
	size_t i, j;
	int rc;

	memset(pg, 0, sizeof(*pg));
	if ((rc = people_get(c->st, id, c->now, &pg->p)) != 0 ||
	    (rc = people_history(c->st, id, BRIEF_HISTORY, &pg->h)) != 0 ||
	    (rc = graph_related(c->st, id, c->now, BRIEF_POOL, &pg->rel)) != 0) {
		page_free(pg);
		return cli_store_error(rc);
	}
	for (i = 0; i < pg->h.n && !pg->last; i++)
		if (pg->h.v[i].counted)
			pg->last = &pg->h.v[i];
	/* The closest first: related lists the dormant first, a brief wants who they know best. */
	for (i = 0; i < pg->rel.n; i++) {
		size_t k = pg->nrelated < BRIEF_RELATED ? pg->nrelated++ : BRIEF_RELATED;

		if (k == BRIEF_RELATED) {
			if (pg->rel.v[i].score <= pg->rel.v[pg->related[k - 1]].score)
				continue;
			k--;
		}
		for (j = k; j > 0 && pg->rel.v[pg->related[j - 1]].score < pg->rel.v[i].score; j--)
			pg->related[j] = pg->related[j - 1];
		pg->related[j] = i;
	}
	return EXIT_OK;
}

static const char *
wrote_words(const struct history_item *it)
{
	if (strncmp(it->direction, "sent", 4) == 0)
		return "you wrote";
	if (strcmp(it->direction, "manual") == 0)
		return "logged";
	return "they wrote";
}

static void
json_replies(struct printer *pr, const struct reply_list *l, int64_t id)
{
	size_t i;

	pr_list_begin(pr);
	for (i = 0; i < l->n; i++) {
		if (l->v[i].id != id)
			continue;
		pr_map_begin(pr);
		pr_key(pr, "since");
		pr_time(pr, l->v[i].since);
		pr_key(pr, "subject");
		pr_str(pr, l->v[i].subject);
		pr_key(pr, "message_id");
		pr_str(pr, l->v[i].message_id);
		pr_map_end(pr);
	}
	pr_list_end(pr);
}

static void
json_page(struct cli *c, const struct page *pg, const struct reply_list *owed, const struct reply_list *awaiting)
{
	struct printer *pr = c->pr;
	const char *s, *nl;
	size_t i;

	pr_map_begin(pr);
	pr_key(pr, "unknown");
	pr_bool(pr, false);
	out_person_fields(c, &pg->p);
	out_seed_fields(c, &pg->p);
	pr_key(pr, "circles");
	pr_list_begin(pr);
	for (i = 0; i < pg->p.ncircles; i++)
		pr_str(pr, pg->p.circles[i]);
	pr_list_end(pr);
	pr_key(pr, "owed");
	json_replies(pr, owed, pg->p.id);
	pr_key(pr, "awaiting");
	json_replies(pr, awaiting, pg->p.id);
	pr_key(pr, "last_exchange");
	if (pg->last) {
		pr_map_begin(pr);
		pr_key(pr, "at");
		pr_time(pr, pg->last->at);
		pr_key(pr, "direction");
		pr_str(pr, pg->last->direction);
		pr_key(pr, "kind");
		pr_str(pr, pg->last->kind);
		pr_key(pr, "subject");
		pr_str(pr, pg->last->subject);
		pr_key(pr, "message_id");
		pr_str(pr, pg->last->message_id);
		pr_map_end(pr);
	} else {
		pr_null(pr);
	}
	pr_key(pr, "notes");
	pr_list_begin(pr);
	for (s = pg->p.note; s && *s; s = nl ? nl + 1 : NULL) {
		char *one;

		nl = strchr(s, '\n');
		one = nl ? xstrndup(s, (size_t)(nl - s)) : xstrdup(s);
		if (*one)
			pr_str(pr, one);
		free(one);
	}
	pr_list_end(pr);
	pr_key(pr, "related");
	pr_list_begin(pr);
	for (i = 0; i < pg->nrelated; i++) {
		const struct related_item *r = &pg->rel.v[pg->related[i]];

		pr_map_begin(pr);
		pr_key(pr, "id");
		pr_int(pr, r->p.id);
		pr_key(pr, "name");
		pr_str(pr, r->p.name);
		pr_key(pr, "email");
		pr_str(pr, r->p.email);
		pr_key(pr, "threads");
		pr_int(pr, (int64_t)r->threads);
		pr_key(pr, "score");
		pr_dbl(pr, r->score);
		pr_map_end(pr);
	}
	pr_list_end(pr);
	pr_map_end(pr);
}

/* "key           value", the value cleaned and wrapped at word boundaries within `width`. */
static void
line(FILE *f, int width, const char *key, const char *value)
{
	char *v = text_clean(value), *p = v;
	size_t room = (size_t)width - BRIEF_KEY, used = 0;
	bool first = true;

	fprintf(f, "%-*s", BRIEF_KEY, key);
	while (*p) {
		char *end = p + strcspn(p, " "), save = *end;
		size_t w;

		*end = '\0';
		w = text_width(p);
		if (!first && used + 1 + w > room) {
			fprintf(f, "\n%-*s", BRIEF_KEY, "");
			used = 0;
			first = true;
		}
		fprintf(f, "%s%s", first ? "" : " ", p);
		used += w + (first ? 0 : 1);
		first = false;
		*end = save;
		p = end;
		while (*p == ' ')
			p++;
	}
	fputc('\n', f);
	free(v);
}

static void
text_replies(struct cli *c, FILE *f, int width, const char *key, const struct reply_list *l, int64_t id)
{
	char span[48], *s;
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (l->v[i].id != id)
			continue;
		s = xasprintf("an answer to \u201c%s\u201d (%s)", l->v[i].subject ? l->v[i].subject : "",
			      format_span(c->now - l->v[i].since, span, sizeof(span)));
		line(f, width, key, s);
		free(s);
	}
}

static void
text_page(struct cli *c, FILE *f, int width, const struct page *pg, const struct reply_list *owed,
	  const struct reply_list *awaiting)
{
	const struct person *p = &pg->p;
	struct strbuf sb = { 0 };
	char lb[32], date[32], ago[48], *name, *s;
	size_t i;

	name = text_clean(person_label(p, lb, sizeof(lb)));
	fprintf(f, "%s\n", name);
	for (i = 0; i < (size_t)width; i++)
		fputs("\u2500", f);
	fputc('\n', f);
	free(name);
	for (i = 0; i < p->naddresses; i++)
		sb_addf(&sb, "%s%s", i ? ", " : "", p->addresses[i]);
	line(f, width, "addresses", p->naddresses ? sb.buf : "none");
	sb_free(&sb);
	for (i = 0; i < p->ncircles; i++)
		sb_addf(&sb, "%s%s", i ? ", " : "", p->circles[i]);
	line(f, width, "circles", p->ncircles ? sb.buf : "none");
	sb_free(&sb);
	if (p->relationship || p->is_manual || p->seed_state != SEED_NONE) {
		s = p->suggested ? xasprintf("%s: %s", person_status_name(p->status), p->reason ? p->reason : "")
				 : xasprintf("%s, not suggested: %s", person_status_name(p->status),
					     p->why_not ? p->why_not : "");
		line(f, width, "status", s);
		free(s);
		line(f, width, "rhythm", p->cadence_words ? p->cadence_words : "");
	} else {
		line(f, width, "status", "an acquaintance: never written to directly and heard back");
	}
	if (p->seed_state != SEED_NONE) {
		char next[48];

		s = xasprintf("%s, first met %s%s%s%s%s", seed_state_name((enum seed_state)p->seed_state),
			      format_relative(p->first_contact, c->now, ago, sizeof(ago)), p->event ? " at " : "",
			      p->event ? p->event : "", p->seed_state == SEED_LOST ? "" : "; follow up: ",
			      p->seed_state == SEED_LOST ? "" : seed_follow_up_text(c, p, next, sizeof(next)));
		line(f, width, "new tie", s);
		free(s);
	}
	if (pg->last) {
		bool logged = strcmp(pg->last->direction, "manual") == 0 && pg->last->kind;

		s = xasprintf("%s (%s), %s%s%s", format_date(pg->last->at, date, sizeof(date)),
			      format_relative(pg->last->at, c->now, ago, sizeof(ago)), wrote_words(pg->last),
			      !logged ? "" : strchr("aeiou", pg->last->kind[0]) ? " an " : " a ",
			      logged ? pg->last->kind : "");
		if (pg->last->subject && *pg->last->subject) {
			char *t = xasprintf("%s: \u201c%s\u201d", s, pg->last->subject);

			free(s);
			s = t;
		}
		line(f, width, "last exchange", s);
		free(s);
	} else {
		line(f, width, "last exchange", "none yet");
	}
	text_replies(c, f, width, "you owe", owed, p->id);
	text_replies(c, f, width, "they owe", awaiting, p->id);
	if (p->note) {
		const char *q, *nl;

		for (q = p->note; q && *q; q = nl ? nl + 1 : NULL) {
			nl = strchr(q, '\n');
			s = nl ? xstrndup(q, (size_t)(nl - q)) : xstrdup(q);
			line(f, width, q == p->note ? "notes" : "", s);
			free(s);
		}
	}
	for (i = 0; i < pg->nrelated; i++) {
		const struct related_item *r = &pg->rel.v[pg->related[i]];

		sb_addf(&sb, "%s%s (%zu shared thread%s)", i ? ", " : "", person_label(&r->p, lb, sizeof(lb)),
			r->threads, r->threads == 1 ? "" : "s");
	}
	line(f, width, "both know", pg->nrelated ? sb.buf : "nobody yet");
	sb_free(&sb);
}

int
cmd_brief(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "circle", required_argument, NULL, 'C' },
		{ "event", required_argument, NULL, 'E' },
		{ "ics", required_argument, NULL, 'I' },
		{ NULL, 0, NULL, 0 },
	};
	const char *circle = NULL, *event = NULL, *ics = NULL;
	struct reply_list owed = { 0 }, awaiting = { 0 };
	struct brief_set b = { 0 };
	struct event_item ev = { 0 };
	FILE *f = printer_file(c->pr);
	int width = c->width > 0 && c->width < BRIEF_WIDTH ? c->width : BRIEF_WIDTH;
	int ch, rc = EXIT_OK, src, sources;
	size_t i;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			circle = optarg;
			break;
		case 'E':
			event = optarg;
			break;
		case 'I':
			ics = optarg;
			break;
		default:
			return cli_bad_option(c, ch, argv);
		}
	}
	sources = (circle != NULL) + (event != NULL) + (ics != NULL) + (optind < argc);
	if (sources != 1)
		return cli_usage(c, "say whom to brief about: WHO..., --circle C, --event NAME or --ics FILE");
	if (width < BRIEF_KEY + 20)
		width = BRIEF_KEY + 20;
	for (i = (size_t)optind; i < (size_t)argc && rc == EXIT_OK; i++) {
		int64_t id;

		if ((rc = who_resolve(c, argv[i], &id)) == EXIT_OK)
			set_add(&b, id);
	}
	if (rc == EXIT_OK && circle)
		rc = add_circle(c, circle, &b);
	if (rc == EXIT_OK && event) {
		if ((src = people_event_get(c->st, event, &ev)) != 0)
			rc = cli_store_error(src);
		else if (!ev.name)
			rc = cli_usage(c, "no event '%s' (kith events lists them)", event);
		else
			rc = add_circle(c, ev.circle, &b);
		event_item_free(&ev);
	}
	if (rc == EXIT_OK && ics)
		rc = add_ics(c, ics, &b);
	if (rc == EXIT_OK && (src = people_replies(c->st, c->now, &owed, &awaiting)) != 0)
		rc = cli_store_error(src);
	if (rc != EXIT_OK)
		goto out;

	if (printer_json(c->pr))
		pr_list_begin(c->pr);
	else if (b.n == 0 && b.unknown.n == 0)
		pr_text(c->pr, "nobody to brief about%s%s", circle ? " in circle " : "", circle ? circle : "");
	for (i = 0; i < b.n; i++) {
		struct page pg;

		if ((rc = page_load(c, b.ids[i], &pg)) != EXIT_OK)
			break;
		if (printer_json(c->pr)) {
			json_page(c, &pg, &owed, &awaiting);
		} else {
			if (i > 0)
				fputc('\n', f);
			text_page(c, f, width, &pg, &owed, &awaiting);
		}
		page_free(&pg);
	}
	for (i = 0; rc == EXIT_OK && i < b.unknown.n; i++) {
		const struct ics_person *u = &b.unknown.v[i];

		if (printer_json(c->pr)) {
			pr_map_begin(c->pr);
			pr_key(c->pr, "unknown");
			pr_bool(c->pr, true);
			pr_key(c->pr, "id");
			pr_null(c->pr);
			pr_key(c->pr, "name");
			pr_str(c->pr, u->name);
			pr_key(c->pr, "email");
			pr_str(c->pr, u->email);
			pr_key(c->pr, "organizer");
			pr_bool(c->pr, u->organizer);
			pr_map_end(c->pr);
		} else {
			char *s = u->name ? xasprintf("%s <%s>%s", u->name, u->email, u->organizer ? ", organizer" : "")
					  : xasprintf("%s%s", u->email, u->organizer ? ", organizer" : "");

			if (i == 0)
				fprintf(f, "%sunknown: no mail with them yet\n", b.n ? "\n" : "");
			line(f, width, "", s);
			free(s);
		}
	}
	if (printer_json(c->pr) && rc == EXIT_OK)
		pr_list_end(c->pr);
out:
	reply_list_free(&owed);
	reply_list_free(&awaiting);
	ics_people_free(&b.unknown);
	free(b.ids);
	return rc;
}
