/* cmd-show.c - `kith show WHO`: one person, and why kith thinks what it thinks. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "format.h"
#include "kith.h"
#include "kith/people.h"
#include "kith/seed.h"
#include "kith/util.h"
#include "printer.h"

#define SHOW_HISTORY_DEFAULT 20

static const char *const tier_names[] = { "inner circle", "close", "friends", "everyone else" };

static const char *
tier_name(int tier)
{
	return tier >= 0 && tier < (int)ARRAY_SIZE(tier_names) ? tier_names[tier] : "unknown";
}

/* The tier in words for the default output; the score is for --verbose and --json. */
static const char *
tier_words(int tier)
{
	static const char *const words[] = {
		"inner circle: among the people you are closest to",
		"close: the second of four tiers (inner circle, close, friends, everyone else)",
		"friends: the third of four tiers (inner circle, close, friends, everyone else)",
		"everyone else: the last of four tiers (inner circle, close, friends, everyone else)",
	};

	return tier >= 0 && tier < (int)ARRAY_SIZE(words) ? words[tier] : "unknown";
}

/* Reciprocity 2·min(out, in)/(out + in) in words: 1 is even, 0 one-sided. */
static const char *
balance_words(double r)
{
	if (r >= 0.8)
		return "you write to each other about equally";
	if (r >= 0.4)
		return "one of you writes more than the other";
	return "nearly one-sided";
}

/* The record `kith add` or `import` leaves: its note says which, so the line needs no note. */
static bool
adding_note(const struct history_item *it)
{
	return strcmp(it->direction, "manual") == 0 && it->subject &&
	       (strcmp(it->subject, "added") == 0 || strcmp(it->subject, PEOPLE_IMPORTED) == 0);
}

/* A history line in plain words: who wrote, and why it did not count when it did not. */
static void
history_what(const struct history_item *it, char *buf, size_t len)
{
	static const struct {
		const char *class, *words;
	} classes[] = {
		{ "auto", "automatic" }, { "bulk", "bulk mail" }, { "list", "mailing list" },
		{ "notification", "notification" }, { "blast", "sent to many" }, { "bounce", "bounced" },
		{ "note", "note to self" },
	};
	static const struct {
		const char *direction, *words;
	} directions[] = {
		{ "sent", "you wrote" }, { "sent-cc", "you wrote (cc)" }, { "sent-bcc", "you wrote (bcc)" },
		{ "received", "they wrote" }, { "cc", "they wrote, you in cc" },
		{ "co-recipient", "in a thread with you" }, { "list", "on a list with you" },
	};
	const char *d = it->direction, *what = d, *cls = NULL;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(directions); i++)
		if (strcmp(d, directions[i].direction) == 0)
			what = directions[i].words;
	if (strcmp(d, "manual") == 0) {
		if (adding_note(it))
			snprintf(buf, len, "%s", strcmp(it->subject, PEOPLE_IMPORTED) == 0 ? "imported"
											  : "added by you");
		else
			snprintf(buf, len, "%s (logged)", it->kind ? it->kind : "contact");
		return;
	}
	for (i = 0; it->class && i < ARRAY_SIZE(classes); i++)
		if (strcmp(it->class, classes[i].class) == 0)
			cls = classes[i].words;
	if (cls && !it->counted)
		snprintf(buf, len, "%s (%s, not counted)", what, cls);
	else if (cls)
		snprintf(buf, len, "%s (%s)", what, cls);
	else if (!it->counted)
		snprintf(buf, len, "%s (not counted)", what);
	else
		snprintf(buf, len, "%s", what);
}

/* The user's notes, one per line of person.note. */
static void
json_notes(struct printer *pr, const char *note)
{
	const char *p = note, *nl;

	pr_list_begin(pr);
	while (p && *p) {
		nl = strchr(p, '\n');
		if (nl) {
			char *one = xstrndup(p, (size_t)(nl - p));

			if (*one)
				pr_str(pr, one);
			free(one);
			p = nl + 1;
		} else {
			pr_str(pr, p);
			break;
		}
	}
	pr_list_end(pr);
}

/* The merge suggestions about person `id`, in plain words, with the command that accepts each. */
static void
json_identity(struct cli *c, const struct person *p, const struct merge_suggestion_list *ms)
{
	struct printer *pr = c->pr;
	size_t i;

	pr_key(pr, "role_mailbox");
	pr_bool(pr, p->role);
	pr_key(pr, "merge_suggestions");
	pr_list_begin(pr);
	for (i = 0; i < ms->n; i++) {
		const struct merge_suggestion *m = &ms->v[i];
		bool first = m->a == p->id;

		if (!first && m->b != p->id)
			continue;
		pr_map_begin(pr);
		pr_key(pr, "rule");
		pr_str(pr, merge_rule_name(m->rule));
		pr_key(pr, "with");
		if (m->rule == MERGE_MINE)
			pr_null(pr);
		else
			pr_int(pr, first ? m->b : m->a);
		pr_key(pr, "address");
		pr_str(pr, first ? m->addr_b : m->addr_a);
		pr_key(pr, "reason");
		pr_str(pr, m->reason);
		pr_map_end(pr);
	}
	pr_list_end(pr);
}

static void
json_show(struct cli *c, const struct person *p, const struct history_list *h,
	  const struct merge_suggestion_list *ms, const char *mailing)
{
	struct printer *pr = c->pr;
	size_t i;

	pr_map_begin(pr);
	out_person_fields(c, p);
	json_identity(c, p, ms);
	pr_key(pr, "owes_no_reply");
	if (mailing)
		pr_str(pr, mailing);
	else
		pr_null(pr);
	out_seed_fields(c, p);
	pr_key(pr, "circles");
	pr_list_begin(pr);
	for (i = 0; i < p->ncircles; i++)
		pr_str(pr, p->circles[i]);
	pr_list_end(pr);
	pr_key(pr, "notes");
	json_notes(pr, p->note);
	pr_key(pr, "history");
	pr_list_begin(pr);
	for (i = 0; i < h->n; i++) {
		const struct history_item *it = &h->v[i];

		pr_map_begin(pr);
		pr_key(pr, "at");
		pr_time(pr, it->at);
		pr_key(pr, "direction");
		pr_str(pr, it->direction);
		pr_key(pr, "kind");
		pr_str(pr, it->kind);
		pr_key(pr, "class");
		pr_str(pr, it->class);
		pr_key(pr, "rule");
		pr_str(pr, it->rule);
		pr_key(pr, "why");
		pr_str(pr, it->why);
		pr_key(pr, "counted");
		pr_bool(pr, it->counted);
		pr_key(pr, "subject");
		pr_str(pr, it->subject);
		pr_key(pr, "message_id");
		pr_str(pr, it->message_id);
		pr_map_end(pr);
	}
	pr_list_end(pr);
	pr_map_end(pr);
}

static char *
join(char **v, size_t n, const char *empty)
{
	struct strbuf sb = { 0 };
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			sb_adds(&sb, ", ");
		sb_adds(&sb, v[i]);
	}
	if (n == 0)
		sb_adds(&sb, empty);
	return sb_detach(&sb);
}

/* The cadence as the reason words it, so `show` and `due` never disagree. */
static char *
cadence_text(const struct person *p)
{
	char span[64];

	if (p->cadence_source == CADENCE_NEVER || p->cadence <= 0)
		return xstrdup("never (you said so)");
	if (p->dismissals > 0)
		return xasprintf("%s; dismissed %d× lately, so every %s", p->cadence_words ? p->cadence_words : "",
				 p->dismissals, format_span(p->cadence, span, sizeof(span)));
	return xstrdup(p->cadence_words ? p->cadence_words : "");
}

/* Who wrote when, leaving out the side that never did. */
static char *
contact_text(struct cli *c, const struct person *p)
{
	char a[64], b[64], d[64], date[32];

	if (p->last_contact == 0)
		return xstrdup(p->is_manual ? "never (no mail with them yet, nothing logged)" : "never");
	format_relative(p->last_contact, c->now, a, sizeof(a));
	format_date(p->last_contact, date, sizeof(date));
	format_relative(p->last_sent, c->now, b, sizeof(b));
	format_relative(p->last_received, c->now, d, sizeof(d));
	if (p->last_sent && p->last_received)
		return xasprintf("%s (%s); you wrote %s, they wrote %s", a, date, b, d);
	if (p->last_sent)
		return xasprintf("%s (%s); you wrote %s, they never wrote", a, date, b);
	if (p->last_received)
		return xasprintf("%s (%s); they wrote %s, you never wrote", a, date, d);
	return xasprintf("%s (%s), logged by you; no mail yet", a, date);
}

/* Why kith counts them, in terms of what really happened: mail, or the user's word. */
static char *
relationship_text(const struct person *p)
{
	bool mail = p->last_sent || p->last_received;

	if (p->is_manual && !mail)
		return xstrdup("yes: added by you (no mail with them yet)");
	if (p->relationship && p->role)
		return xstrdup("yes: a role mailbox, but it answered a message of yours in person");
	if (p->relationship && mail)
		return xstrdup("yes: you wrote to them directly, and heard back or wrote again");
	if (p->relationship || p->is_manual)
		return xstrdup("yes: added by you");
	if (p->role)
		return xasprintf("no: %s is a role mailbox (its name says it serves a function, not a "
				 "person); it becomes a relationship once it answers a message of yours "
				 "in person", p->email ? p->email : p->key);
	return xstrdup("no, an acquaintance: you have not written to them directly and heard back "
		       "(or written on two days), so kith never nags about them");
}

static char *
suggest_text(struct cli *c, const struct person *p)
{
	char until[32];

	if (p->suggested)
		return xasprintf("yes: %s", p->reason ? p->reason : "due");
	if (p->snoozed_until > c->now)
		return xasprintf("no: snoozed until %s", format_date(p->snoozed_until, until, sizeof(until)));
	return xasprintf("no: %s", p->why_not ? p->why_not : person_status_name(p->status));
}

/*
 * Two lines of bars, a month each over two years, sent above received, on
 * one scale: a picture of the tie that a column of dates does not give.
 * Left empty when there was no mail in that time.
 */
static void
activity_lines(struct cli *c, const struct person *p, struct strbuf *sent_line, struct strbuf *recv_line)
{
	struct history_list all = { 0 };
	int sent[SPARK_MONTHS], received[SPARK_MONTHS], max = 0, i;
	char from[32], to[32];
	time_t t;
	struct tm tm;

	/* A month more than the picture, whatever the lengths of months: sparkline_count picks. */
	if (people_history_since(c->st, p->id, c->now - (int64_t)(SPARK_MONTHS + 1) * 31 * DAY_SECS, &all) != 0)
		return;
	if (sparkline_count(&all, c->now, sent, received) > 0) {
		for (i = 0; i < SPARK_MONTHS; i++) {
			max = sent[i] > max ? sent[i] : max;
			max = received[i] > max ? received[i] : max;
		}
		sparkline_draw(sent, max, sent_line);
		sparkline_draw(received, max, recv_line);
		t = (time_t)c->now;
		localtime_r(&t, &tm);
		strftime(to, sizeof(to), "%b %Y", &tm);
		tm.tm_mon -= SPARK_MONTHS - 1;
		tm.tm_mday = 1;
		tm.tm_isdst = -1;
		t = mktime(&tm);
		localtime_r(&t, &tm);
		strftime(from, sizeof(from), "%b %Y", &tm);
		sb_addf(sent_line, "  a month each, %s to %s", from, to);
		sb_addf(recv_line, "  up to %d messages a month", max);
	}
	history_list_free(&all);
}

/* "may be the same as" lines: each suggestion naming this person, and how to accept it. */
static char *
identity_text(const struct person *p, const struct merge_suggestion_list *ms)
{
	struct strbuf sb = { 0 };
	size_t i;

	for (i = 0; i < ms->n; i++) {
		const struct merge_suggestion *m = &ms->v[i];
		bool first = m->a == p->id;

		if (!first && m->b != p->id)
			continue;
		if (sb.len)
			sb_addc(&sb, '\n');
		if (m->rule == MERGE_MINE)
			sb_addf(&sb, "probably your own address: %s; to accept, add %s to 'me' in the "
				"configuration and run 'kith rebuild'", m->reason, m->addr_a);
		else
			sb_addf(&sb, "probably the same person as %s (id %lld): %s; 'kith merge %lld %lld' "
				"makes them one, 'kith split %s' keeps them apart", first ? m->addr_b : m->addr_a,
				(long long)(first ? m->b : m->a), m->reason, (long long)m->a, (long long)m->b,
				first ? m->addr_a : m->addr_b);
	}
	return sb.len ? sb_detach(&sb) : NULL;
}

static int
text_show(struct cli *c, const struct person *p, const struct history_list *h,
	  const struct merge_suggestion_list *ms, const char *mailing)
{
	FILE *f = printer_file(c->pr);
	struct table *t = table_new(2, NULL);
	struct strbuf spark_sent = { 0 }, spark_received = { 0 };
	char lb[32], buf[128], *v[10];
	const char *cells[2];
	size_t i, nv = 0;
	bool printed = false;
	int rc;

	activity_lines(c, p, &spark_sent, &spark_received);
	table_wrap(t, 1, 20);
#define ROW(k, val) do { cells[0] = (k); cells[1] = (val); table_add(t, cells); } while (0)
	ROW("name", person_label(p, lb, sizeof(lb)));
	snprintf(buf, sizeof(buf), "%lld", (long long)p->id);
	ROW("id", buf);
	v[nv] = join(p->addresses, p->naddresses, "none");
	ROW("addresses", v[nv++]);
	v[nv] = join(p->circles, p->ncircles, "none");
	ROW("circles", v[nv++]);
	v[nv] = relationship_text(p);
	ROW("relationship", v[nv++]);
	if ((v[nv] = identity_text(p, ms)))
		ROW("identity", v[nv++]);
	if (p->seed_state != SEED_NONE) {
		char ago[48], next[48];

		v[nv] = xasprintf("%s, first met %s%s%s%s%s", seed_state_name((enum seed_state)p->seed_state),
				  format_relative(p->first_contact, c->now, ago, sizeof(ago)), p->event ? " at " : "",
				  p->event ? p->event : "", p->seed_state == SEED_LOST ? "" : "; follow up: ",
				  p->seed_state == SEED_LOST ? "" : seed_follow_up_text(c, p, next, sizeof(next)));
		ROW("new tie", v[nv++]);
	}
	if (p->relationship || p->is_manual) {
		ROW("status", person_status_name(p->status));
		table_color(t, 1, p->status == STATUS_OVERDUE ? COLOR_RED :
				  p->status == STATUS_DUE ? COLOR_YELLOW : NULL);
		v[nv] = suggest_text(c, p);
		ROW("suggested", v[nv++]);
		v[nv] = cadence_text(p);
		ROW("cadence", v[nv++]);
	}
	if (mailing) {
		v[nv] = xasprintf("none owed: %s", mailing);
		ROW("replies", v[nv++]);
	}
	v[nv] = contact_text(c, p);
	ROW("last contact", v[nv++]);
	if (c->verbose) {
		snprintf(buf, sizeof(buf), "%.2f (%s), reciprocity %.2f, recent activity %.2f", p->strength,
			 tier_name(p->tier), p->reciprocity, p->activity);
		ROW("strength", buf);
	} else {
		ROW("tie", tier_words(p->tier));
		if (p->last_sent || p->last_received)
			ROW("balance", balance_words(p->reciprocity));
	}
	if (spark_sent.len) {
		ROW("sent", spark_sent.buf);
		ROW("received", spark_received.buf);
	}
	if (p->ignored)
		ROW("ignored", "yes");
	if (p->bounced)
		ROW("bounced", "yes: mail to them came back");
	if (p->note)
		ROW("notes", p->note);
#undef ROW
	rc = table_print(t, f, c->width, c->color);
	table_free(t);
	sb_free(&spark_sent);
	sb_free(&spark_received);
	for (i = 0; i < nv; i++)
		free(v[i]);
	if (rc == -1 || h->n == 0)
		return rc == -1 ? EXIT_ERROR : EXIT_OK;

	fputs("\nhistory (newest first):\n", f);
	if (!c->verbose) {
		t = table_new(3, NULL);
		table_flex(t, 2, 16);
		for (i = 0; i < h->n; i++) {
			const struct history_item *it = &h->v[i];
			char date[32], what[96];
			const char *row[3] = { date, what, it->subject && !adding_note(it) ? it->subject : "" };

			format_date(it->at, date, sizeof(date));
			history_what(it, what, sizeof(what));
			table_add(t, row);
			if (!it->counted)
				table_color(t, 1, COLOR_DIM);
		}
		rc = table_print(t, f, c->width, c->color);
		table_free(t);
		return rc == -1 ? EXIT_ERROR : EXIT_OK;
	}
	t = table_new(5, NULL);
	table_flex(t, 4, 16);
	for (i = 0; i < h->n; i++) {
		const struct history_item *it = &h->v[i];
		char date[32], cls[96];
		const char *row[5] = { date, it->direction, cls, it->counted ? "counted" : "not counted",
				       it->subject ? it->subject : "" };

		format_date(it->at, date, sizeof(date));
		if (it->rule && *it->rule && (!it->class || strcmp(it->rule, it->class) != 0))
			snprintf(cls, sizeof(cls), "%s (%s)", it->class ? it->class : "?", it->rule);
		else
			snprintf(cls, sizeof(cls), "%s", it->class ? it->class : "?");
		if (it->kind && strcmp(it->kind, "message") != 0 && it->subject == NULL)
			row[4] = it->kind;
		table_add(t, row);
		if (!it->counted)
			table_color(t, 3, COLOR_DIM);
	}
	rc = table_print(t, f, c->width, c->color);
	table_free(t);
	/* Each rule that decided a message above, once, in plain words. */
	for (i = 0; rc != -1 && i < h->n; i++) {
		size_t j;

		if (!h->v[i].why)
			continue;
		for (j = 0; j < i && !(h->v[j].why && strcmp(h->v[j].why, h->v[i].why) == 0 &&
					 strcmp(h->v[j].rule ? h->v[j].rule : "", h->v[i].rule ? h->v[i].rule : "") == 0);
		     j++)
			;
		if (j < i)
			continue;
		if (fprintf(f, "%s  %s (%s): %s\n", printed ? "" : "\nwhy:\n", h->v[i].class ? h->v[i].class : "?",
			    h->v[i].rule ? h->v[i].rule : "?", h->v[i].why) < 0)
			rc = -1;
		printed = true;
	}
	return rc == -1 ? EXIT_ERROR : EXIT_OK;
}

int
cmd_show(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "limit", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct person p = { 0 };
	struct history_list h = { 0 };
	struct merge_suggestion_list ms = { 0 };
	char *mailing = NULL;
	long limit = SHOW_HISTORY_DEFAULT;
	int64_t id;
	int ch, rc;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":n:", opts, NULL)) != -1) {
		if (ch != 'n')
			return cli_bad_option(c, ch, argv);
		if ((rc = cli_parse_count(c, "count", optarg, &limit)) != EXIT_OK)
			return rc;
	}
	if ((rc = cli_operands(c, argc, argv, 1, 1)) != EXIT_OK)
		return rc;
	if ((rc = who_resolve(c, argv[optind], &id)) != EXIT_OK)
		return rc;
	if ((rc = people_get(c->st, id, c->now, &p)) != 0)
		return cli_store_error(rc);
	if ((rc = people_history(c->st, id, (size_t)limit, &h)) != 0) {
		person_free(&p);
		return cli_store_error(rc);
	}
	if ((rc = people_merge_suggestions(c->st, &ms)) != 0) {
		history_list_free(&h);
		person_free(&p);
		return cli_store_error(rc);
	}
	/* Whether their mail asks for an answer at all (people-owed.c). */
	if (!p.relationship && !p.is_manual && (rc = people_owes_nothing(c->st, id, &mailing)) != 0) {
		merge_suggestion_list_free(&ms);
		history_list_free(&h);
		person_free(&p);
		return cli_store_error(rc);
	}
	if (printer_json(c->pr)) {
		json_show(c, &p, &h, &ms, mailing);
		rc = EXIT_OK;
	} else {
		rc = text_show(c, &p, &h, &ms, mailing);
	}
	free(mailing);
	merge_suggestion_list_free(&ms);
	history_list_free(&h);
	person_free(&p);
	return rc;
}
