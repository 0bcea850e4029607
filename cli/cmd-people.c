/* cmd-people.c - the lists of people: due, list, search, replies (and completion). */
#include "config.h"

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "format.h"
#include "kith.h"
#include "kith/people.h"
#include "kith/util.h"
#include "printer.h"

#define DUE_DEFAULT_LIMIT 10
#define DUE_EMAIL_MIN_WIDTH 120	/* narrower terminals leave EMAIL out of due */

/*
 * The person fields that man kith (JSON OUTPUT) documents, in one place:
 * due, list, search, show and export all print exactly these names.
 */
void
out_person_fields(struct cli *c, const struct person *p)
{
	struct printer *pr = c->pr;
	size_t i;

	pr_key(pr, "id");
	pr_int(pr, p->id);
	pr_key(pr, "name");
	pr_str(pr, p->name);
	pr_key(pr, "email");
	pr_str(pr, p->email);
	pr_key(pr, "addresses");
	pr_list_begin(pr);
	for (i = 0; i < p->naddresses; i++)
		pr_str(pr, p->addresses[i]);
	pr_list_end(pr);
	pr_key(pr, "circle");
	pr_str(pr, p->ncircles > 0 ? p->circles[0] : NULL);
	pr_key(pr, "relationship");
	pr_bool(pr, p->relationship);
	pr_key(pr, "tier");
	pr_int(pr, p->tier);
	pr_key(pr, "cadence_days");
	if (p->cadence_source == CADENCE_NEVER || p->cadence <= 0)
		pr_null(pr);
	else
		pr_dbl(pr, (double)p->cadence / (double)DAY_SECS);
	pr_key(pr, "cadence_source");
	pr_str(pr, cadence_source_name(p->cadence_source));
	pr_key(pr, "last_contact");
	pr_time(pr, p->last_contact);
	pr_key(pr, "last_sent");
	pr_time(pr, p->last_sent);
	pr_key(pr, "last_received");
	pr_time(pr, p->last_received);
	pr_key(pr, "days_since");
	if (p->days_since < 0 || p->last_contact == 0)
		pr_null(pr);
	else
		pr_dbl(pr, p->days_since);
	pr_key(pr, "ratio");
	if (p->last_contact == 0 || p->cadence <= 0)
		pr_null(pr);
	else
		pr_dbl(pr, p->ratio);
	pr_key(pr, "status");
	pr_str(pr, person_status_name(p->status));
	pr_key(pr, "priority");
	pr_dbl(pr, p->priority);
	pr_key(pr, "strength");
	pr_dbl(pr, p->strength);
	pr_key(pr, "activity");
	pr_dbl(pr, p->activity);
	pr_key(pr, "reciprocity");
	pr_dbl(pr, p->reciprocity);
	pr_key(pr, "suggested");
	pr_bool(pr, p->suggested);
	pr_key(pr, "why_not");
	pr_str(pr, p->suggested ? NULL : p->why_not);
	pr_key(pr, "snoozed_until");
	pr_time(pr, p->snoozed_until > c->now ? p->snoozed_until : 0);
	pr_key(pr, "ignored");
	pr_bool(pr, p->ignored);
	pr_key(pr, "bounced");
	pr_bool(pr, p->bounced);
	pr_key(pr, "last_subject");
	pr_str(pr, p->last_subject);
	pr_key(pr, "reason");
	pr_str(pr, p->reason);
}

static void
json_people(struct cli *c, const struct person_list *l)
{
	size_t i;

	pr_list_begin(c->pr);
	for (i = 0; i < l->n; i++) {
		pr_map_begin(c->pr);
		out_person_fields(c, &l->v[i]);
		pr_map_end(c->pr);
	}
	pr_list_end(c->pr);
}

static const char *
status_color(enum person_status s)
{
	switch (s) {
	case STATUS_OVERDUE:
		return COLOR_RED;
	case STATUS_DUE:
		return COLOR_YELLOW;
	case STATUS_DORMANT:
		return COLOR_DIM;
	case STATUS_OK:
		return COLOR_GREEN;
	default:
		return NULL;
	}
}

static int
print_table(struct cli *c, struct table *t)
{
	return table_print(t, printer_file(c->pr), c->width, c->color) == -1 ? EXIT_ERROR : EXIT_OK;
}

int
cmd_due(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "limit", required_argument, NULL, 'n' },
		{ "circle", required_argument, NULL, 'C' },
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const head[] = { "#", "NAME", "EMAIL", "STATUS", "WHY" };
	static const char *const head_narrow[] = { "#", "NAME", "STATUS", "WHY" };
	struct person_list l = { 0 };
	const char *circle = NULL;
	struct table *t;
	char num[32], lb[64];
	long limit = DUE_DEFAULT_LIMIT;
	bool all = false, stale, with_email;
	int ch, rc;
	size_t i;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":n:", opts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			if ((rc = cli_parse_count(c, "count", optarg, &limit)) != EXIT_OK)
				return rc;
			break;
		case 'C':
			circle = optarg;
			break;
		case 'a':
			all = true;
			break;
		default:
			return cli_bad_option(c, ch, argv);
		}
	}
	if ((rc = cli_operands(c, argc, argv, 0, 0)) != EXIT_OK)
		return rc;
	if (circle && (rc = cli_known_circle(c, circle)) != EXIT_OK)
		return rc;
	/* --all without -n shows everyone: the point is the whole picture. */
	rc = people_due(c->st, c->now, circle, all, all && limit == DUE_DEFAULT_LIMIT ? SIZE_MAX : (size_t)limit, &l);
	if (rc != 0)
		return cli_store_error(rc);
	stale = cli_mail_stale(c);
	if (printer_json(c->pr)) {
		json_people(c, &l);
		person_list_free(&l);
		return stale ? EXIT_STALE : EXIT_OK;
	}
	if (l.n == 0) {
		/* "Fresh" is a claim about the mail; without current mail it would be a guess. */
		pr_text(c->pr, "nobody is due%s%s%s", circle ? " in circle " : "", circle ? circle : "",
			stale ? " in the mail read so far" : " — every relationship is fresh");
		person_list_free(&l);
		return stale ? EXIT_STALE : EXIT_OK;
	}
	/*
	 * WHY is the point of due: it is never cut but wrapped, and on a narrow
	 * terminal the address (which `show` and --json give) makes room for it.
	 */
	with_email = c->width == 0 || c->width >= DUE_EMAIL_MIN_WIDTH;
	t = table_new(with_email ? ARRAY_SIZE(head) : ARRAY_SIZE(head_narrow),
		      with_email ? head : head_narrow);
	table_right(t, 0);
	table_flex(t, 1, 8);
	if (with_email)
		table_flex(t, 2, 8);
	table_wrap(t, with_email ? 4 : 3, 24);
	for (i = 0; i < l.n; i++) {
		const struct person *p = &l.v[i];
		const char *why = p->suggested ? p->reason : p->why_not;
		const char *cells[] = { num, person_name_cell(p), p->email, person_status_name(p->status), why };
		/* Without the EMAIL column, someone without a name goes by their address. */
		const char *narrow[] = { num, person_label(p, lb, sizeof(lb)), person_status_name(p->status), why };

		snprintf(num, sizeof(num), "%zu", i + 1);
		table_add(t, with_email ? cells : narrow);
		table_color(t, with_email ? 3 : 2, status_color(p->status));
	}
	rc = print_table(c, t);
	table_free(t);
	person_list_free(&l);
	return rc == EXIT_OK && stale ? EXIT_STALE : rc;
}

static int
parse_sort(struct cli *c, const char *s, enum people_sort *sort)
{
	static const struct {
		const char *name;
		enum people_sort sort;
	} sorts[] = {
		{ "due", SORT_DUE }, { "strength", SORT_STRENGTH },
		{ "recent", SORT_RECENT }, { "name", SORT_NAME },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sorts); i++) {
		if (strcmp(s, sorts[i].name) == 0) {
			*sort = sorts[i].sort;
			return EXIT_OK;
		}
	}
	return cli_usage(c, "bad sort key '%s' (want due, strength, recent or name)", s);
}

/* What STATUS says: a bounce or an ignore outweighs how fresh the tie is. */
static const char *
list_status(const struct person *p)
{
	if (p->bounced)
		return "bounced";
	if (p->ignored)
		return "ignored";
	return p->relationship || p->is_manual ? person_status_name(p->status) : "acquaintance";
}

/* The table of list and search: who, how fresh, how strong. */
static int
print_people(struct cli *c, const struct person_list *l)
{
	static const char *const head[] = { "ID", "NAME", "EMAIL", "CIRCLE", "LAST CONTACT", "CADENCE",
					     "STATUS" };
	char last[64], cad[64], id[32];
	struct table *t = table_new(ARRAY_SIZE(head), head);
	size_t i;
	int rc;

	table_right(t, 0);
	table_flex(t, 1, 8);
	table_flex(t, 2, 8);
	table_flex(t, 3, 6);
	for (i = 0; i < l->n; i++) {
		const struct person *p = &l->v[i];
		const char *cells[] = { id, person_name_cell(p), p->email,
					p->ncircles ? p->circles[0] : "", last, cad,
					list_status(p) };

		snprintf(id, sizeof(id), "%lld", (long long)p->id);
		format_relative(p->last_contact, c->now, last, sizeof(last));
		if (p->cadence_source == CADENCE_NEVER || p->cadence <= 0)
			snprintf(cad, sizeof(cad), "never");
		else
			format_span(p->cadence, cad, sizeof(cad));
		table_add(t, cells);
		table_color(t, 6, p->bounced ? COLOR_RED : status_color(p->status));
	}
	rc = print_table(c, t);
	table_free(t);
	return rc;
}

int
cmd_list(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "circle", required_argument, NULL, 'C' },
		{ "sort", required_argument, NULL, 's' },
		{ "acquaintances", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	struct person_list l = { 0 };
	enum people_sort sort = SORT_DUE;
	const char *circle = NULL;
	bool acq = false;
	int ch, rc;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			circle = optarg;
			break;
		case 's':
			if ((rc = parse_sort(c, optarg, &sort)) != EXIT_OK)
				return rc;
			break;
		case 'a':
			acq = true;
			break;
		default:
			return cli_bad_option(c, ch, argv);
		}
	}
	if ((rc = cli_operands(c, argc, argv, 0, 0)) != EXIT_OK)
		return rc;
	if (circle && (rc = cli_known_circle(c, circle)) != EXIT_OK)
		return rc;
	if ((rc = people_list(c->st, c->now, circle, sort,
			      (acq ? PEOPLE_ACQUAINTANCES : 0) | (printer_json(c->pr) ? 0 : PEOPLE_TABLE), &l)) != 0)
		return cli_store_error(rc);
	if (printer_json(c->pr))
		json_people(c, &l);
	else if (l.n == 0)
		pr_text(c->pr, "no one yet%s", acq ? "" : " (try --acquaintances)");
	else
		rc = print_people(c, &l);
	person_list_free(&l);
	return rc;
}

int
cmd_search(struct cli *c, int argc, char **argv)
{
	struct person_list l = { 0 };
	struct strbuf text = { 0 };
	int rc, i;

	if ((rc = cli_no_options(c, argc, argv, 1, -1)) != EXIT_OK)
		return rc;
	/* Several words are one text: `kith search acme corp`. */
	for (i = optind; i < argc; i++) {
		if (i > optind)
			sb_addc(&text, ' ');
		sb_adds(&text, argv[i]);
	}
	if (text.len == 0) {
		sb_free(&text);
		return cli_usage(c, "empty search text");
	}
	if ((rc = people_search(c->st, c->now, text.buf, &l)) != 0) {
		sb_free(&text);
		return cli_store_error(rc);
	}
	if (printer_json(c->pr))
		json_people(c, &l);
	else if (l.n == 0)
		pr_text(c->pr, "no one matches '%s'", text.buf);
	else
		rc = print_people(c, &l);
	person_list_free(&l);
	sb_free(&text);
	return rc;
}

static void
json_replies(struct cli *c, const char *key, const struct reply_list *l)
{
	size_t i;

	pr_key(c->pr, key);
	pr_list_begin(c->pr);
	for (i = 0; i < l->n; i++) {
		pr_map_begin(c->pr);
		pr_key(c->pr, "id");
		pr_int(c->pr, l->v[i].id);
		pr_key(c->pr, "name");
		pr_str(c->pr, l->v[i].name);
		pr_key(c->pr, "email");
		pr_str(c->pr, l->v[i].email);
		pr_key(c->pr, "since");
		pr_time(c->pr, l->v[i].since);
		pr_key(c->pr, "subject");
		pr_str(c->pr, l->v[i].subject);
		pr_key(c->pr, "message_id");
		pr_str(c->pr, l->v[i].message_id);
		pr_map_end(c->pr);
	}
	pr_list_end(c->pr);
}

static int
text_replies(struct cli *c, const char *title, const struct reply_list *l)
{
	static const char *const head[] = { "NAME", "EMAIL", "SINCE", "SUBJECT" };
	struct table *t;
	char since[64];
	size_t i;
	int rc;

	if (l->n == 0)
		return EXIT_OK;
	pr_text(c->pr, "%s", title);
	t = table_new(ARRAY_SIZE(head), NULL);
	table_flex(t, 0, 12);
	table_flex(t, 1, 10);
	table_flex(t, 3, 16);
	for (i = 0; i < l->n; i++) {
		const char *cells[] = { l->v[i].name && *l->v[i].name ? l->v[i].name : "-",
					l->v[i].email, since, l->v[i].subject ? l->v[i].subject : "(no subject)" };

		format_relative(l->v[i].since, c->now, since, sizeof(since));
		table_add(t, cells);
	}
	rc = print_table(c, t);
	table_free(t);
	return rc;
}

int
cmd_replies(struct cli *c, int argc, char **argv)
{
	struct reply_list owed = { 0 }, awaiting = { 0 };
	bool stale;
	int rc;

	if ((rc = cli_no_options(c, argc, argv, 0, 0)) != EXIT_OK)
		return rc;
	if ((rc = people_replies(c->st, c->now, &owed, &awaiting)) != 0)
		return cli_store_error(rc);
	stale = cli_mail_stale(c);
	if (printer_json(c->pr)) {
		pr_map_begin(c->pr);
		json_replies(c, "owed", &owed);
		json_replies(c, "awaiting", &awaiting);
		pr_map_end(c->pr);
	} else if (owed.n == 0 && awaiting.n == 0) {
		pr_text(c->pr, "no replies owed, none awaited%s", stale ? " in the mail read so far" : "");
	} else {
		rc = text_replies(c, "you owe a reply to:", &owed);
		if (rc == EXIT_OK && owed.n && awaiting.n)
			pr_text(c->pr, "%s", "");
		if (rc == EXIT_OK)
			rc = text_replies(c, "waiting for an answer from:", &awaiting);
	}
	reply_list_free(&owed);
	reply_list_free(&awaiting);
	return rc == EXIT_OK && stale ? EXIT_STALE : rc;
}

/* Names and addresses for shell completion, one per line, cleaned. */
int
cmd_complete_who(struct cli *c, int argc, char **argv)
{
	struct person_list l = { 0 };
	const char *prefix = argc > 1 ? argv[1] : "";
	size_t i, j, plen = strlen(prefix);
	char *s;
	int rc;

	if ((rc = people_list(c->st, c->now, NULL, SORT_NAME, PEOPLE_ACQUAINTANCES, &l)) != 0)
		return cli_store_error(rc);
	for (i = 0; i < l.n; i++) {
		const struct person *p = &l.v[i];

		for (j = 0; j < p->naddresses; j++) {
			if (strncasecmp(p->addresses[j], prefix, plen) == 0) {
				s = text_clean(p->addresses[j]);
				printf("%s\n", s);
				free(s);
			}
		}
		if (p->name && strncasecmp(p->name, prefix, plen) == 0) {
			s = text_clean(p->name);
			printf("%s\n", s);
			free(s);
		}
	}
	person_list_free(&l);
	return EXIT_OK;
}
