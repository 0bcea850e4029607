/* cmd-export.c - everyone out as JSON, CSV or vCard; people in from a vCard file. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "format.h"
#include "kith.h"
#include "kith/people.h"
#include "kith/store.h"
#include "kith/util.h"
#include "printer.h"

#define IMPORT_MAX_BYTES (16 * 1024 * 1024)
#define VCARD_LINE_OCTETS 75

/* --- export ------------------------------------------------------------------ */

/* One CSV field (RFC 4180), made safe: no control bytes, no formula for spreadsheets. */
static void
csv_field(FILE *f, const char *s, bool first)
{
	char *clean = text_clean(s);
	const char *p;

	if (!first)
		fputc(',', f);
	fputc('"', f);
	if (strchr("=+-@", clean[0]) && clean[0])
		fputc('\'', f);
	for (p = clean; *p; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
	free(clean);
}

static char *
joined(char **v, size_t n, const char *sep)
{
	struct strbuf sb = { 0 };
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			sb_adds(&sb, sep);
		sb_adds(&sb, v[i]);
	}
	return sb_detach(&sb);
}

static void
export_csv(struct cli *c, const struct person_list *l)
{
	FILE *f = printer_file(c->pr);
	char last[32], num[64], *addrs, *circles;
	size_t i;

	fputs("id,name,email,addresses,circles,relationship,status,cadence_days,last_contact,"
	      "strength,note\r\n", f);
	for (i = 0; i < l->n; i++) {
		const struct person *p = &l->v[i];

		snprintf(num, sizeof(num), "%lld", (long long)p->id);
		csv_field(f, num, true);
		csv_field(f, p->name, false);
		csv_field(f, p->email, false);
		addrs = joined(p->addresses, p->naddresses, " ");
		csv_field(f, addrs, false);
		circles = joined(p->circles, p->ncircles, " ");
		csv_field(f, circles, false);
		csv_field(f, p->relationship ? "yes" : "no", false);
		csv_field(f, person_status_name(p->status), false);
		if (p->cadence > 0 && p->cadence_source != CADENCE_NEVER)
			snprintf(num, sizeof(num), "%.0f", (double)p->cadence / (double)DAY_SECS);
		else
			num[0] = '\0';
		csv_field(f, num, false);
		csv_field(f, p->last_contact ? format_iso8601(p->last_contact, last, sizeof(last)) : "", false);
		snprintf(num, sizeof(num), "%.3f", p->strength);
		csv_field(f, num, false);
		csv_field(f, p->note, false);
		fputs("\r\n", f);
		free(addrs);
		free(circles);
	}
}

/* A vCard text value: \ , ; escaped, line breaks as \n, other controls dropped. */
static void
vcard_escape(struct strbuf *sb, const char *s)
{
	char *v = utf8_make_valid(s ? s : "", s ? strlen(s) : 0);
	const char *p;

	for (p = v; *p; p++) {
		if (*p == '\\' || *p == ',' || *p == ';') {
			sb_addc(sb, '\\');
			sb_addc(sb, *p);
		} else if (*p == '\n') {
			sb_adds(sb, "\\n");
		} else if ((unsigned char)*p >= 0x20 && *p != 0x7f) {
			sb_addc(sb, *p);
		}
	}
	free(v);
}

/* Write a content line folded at 75 octets, never inside a UTF-8 sequence (RFC 6350 §3.2). */
static void
vcard_line(FILE *f, const char *line)
{
	size_t len = strlen(line), pos = 0, room = VCARD_LINE_OCTETS, n;

	while (len - pos > room) {
		n = room;
		while (n > 0 && ((unsigned char)line[pos + n] & 0xc0) == 0x80)
			n--;
		fwrite(line + pos, 1, n, f);
		fputs("\r\n ", f);
		pos += n;
		room = VCARD_LINE_OCTETS - 1;
	}
	fputs(line + pos, f);
	fputs("\r\n", f);
}

static void
vcard_prop(FILE *f, const char *name, const char *value)
{
	struct strbuf sb = { 0 };

	sb_adds(&sb, name);
	sb_addc(&sb, ':');
	vcard_escape(&sb, value);
	vcard_line(f, sb.buf);
	sb_free(&sb);
}

static void
export_vcard(struct cli *c, const struct person_list *l)
{
	FILE *f = printer_file(c->pr);
	struct strbuf sb = { 0 };
	char lb[32], id[32];
	size_t i, j;

	for (i = 0; i < l->n; i++) {
		const struct person *p = &l->v[i];

		fputs("BEGIN:VCARD\r\nVERSION:4.0\r\n", f);
		vcard_prop(f, "FN", person_label(p, lb, sizeof(lb)));
		for (j = 0; j < p->naddresses; j++)
			vcard_prop(f, j == 0 ? "EMAIL;PREF=1" : "EMAIL", p->addresses[j]);
		if (p->ncircles) {
			sb_adds(&sb, "CATEGORIES:");
			for (j = 0; j < p->ncircles; j++) {
				if (j)
					sb_addc(&sb, ',');
				vcard_escape(&sb, p->circles[j]);
			}
			vcard_line(f, sb.buf);
			sb_reset(&sb);
		}
		if (p->note)
			vcard_prop(f, "NOTE", p->note);
		snprintf(id, sizeof(id), "%lld", (long long)p->id);
		vcard_prop(f, "X-KITH-ID", id);
		fputs("END:VCARD\r\n", f);
	}
	sb_free(&sb);
}

int
cmd_export(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct person_list l = { 0 };
	const char *fmt = "json";
	size_t i, j;
	int ch, rc;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (ch != 'f')
			return cli_bad_option(c, ch, argv);
		fmt = optarg;
	}
	if (strcmp(fmt, "json") && strcmp(fmt, "csv") && strcmp(fmt, "vcard"))
		return cli_usage(c, "bad format '%s' (want json, csv or vcard)", fmt);
	if ((rc = cli_operands(c, argc, argv, 0, 0)) != EXIT_OK)
		return rc;
	if ((rc = people_list(c->st, c->now, NULL, SORT_NAME, PEOPLE_ACQUAINTANCES, &l)) != 0)
		return cli_store_error(rc);
	if (strcmp(fmt, "csv") == 0) {
		export_csv(c, &l);
	} else if (strcmp(fmt, "vcard") == 0) {
		export_vcard(c, &l);
	} else {
		/* JSON whatever --json says: it is the requested format. */
		struct printer *saved = c->pr;

		c->pr = printer_new(PRINTER_JSON, printer_file(saved));
		pr_list_begin(c->pr);
		for (i = 0; i < l.n; i++) {
			pr_map_begin(c->pr);
			out_person_fields(c, &l.v[i]);
			pr_key(c->pr, "circles");
			pr_list_begin(c->pr);
			for (j = 0; j < l.v[i].ncircles; j++)
				pr_str(c->pr, l.v[i].circles[j]);
			pr_list_end(c->pr);
			pr_key(c->pr, "note");
			pr_str(c->pr, l.v[i].note);
			pr_map_end(c->pr);
		}
		pr_list_end(c->pr);
		if (printer_finish(c->pr) == -1)
			rc = EXIT_ERROR;
		printer_free(c->pr);
		c->pr = saved;
	}
	person_list_free(&l);
	return rc;
}

/* --- import ------------------------------------------------------------------ */

struct card {
	int line;			/* of BEGIN:VCARD */
	char *fn;
	struct strbuf emails;		/* NUL-separated */
	size_t nemails;
	char *note;
	char **categories;
	size_t ncategories;
};

static void
card_free(struct card *k)
{
	size_t i;

	free(k->fn);
	sb_free(&k->emails);
	free(k->note);
	for (i = 0; i < k->ncategories; i++)
		free(k->categories[i]);
	free(k->categories);
}

/* Undo vCard escaping in place: \n \N \, \; \\. */
static void
vcard_unescape(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			*w++ = (*s == 'n' || *s == 'N') ? '\n' : *s;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

/*
 * A value from a vCard is as untrusted as a header: cleaned the same way
 * (valid UTF-8, no controls, no bidi overrides) before it is stored.
 */
static char *
card_text(const char *s)
{
	char *safe = text_safe(s), *r = xstrdup(str_trim(safe));

	free(safe);
	return r;
}

/* Split CATEGORIES on unescaped commas. */
static void
add_categories(struct card *k, const char *v)
{
	struct strbuf sb = { 0 };
	const char *p;

	for (p = v;; p++) {
		if (*p == '\\' && p[1]) {
			sb_addc(&sb, *++p);
			continue;
		}
		if (*p == ',' || *p == '\0') {
			char *name = sb.buf ? str_trim(sb.buf) : NULL;

			if (name && *name) {
				k->categories = xreallocarray(k->categories, k->ncategories + 1, sizeof(char *));
				k->categories[k->ncategories++] = card_text(name);
			}
			sb_reset(&sb);
			if (!*p)
				break;
			continue;
		}
		sb_addc(&sb, *p);
	}
	sb_free(&sb);
}

/* One unfolded content line of a card. */
static int
card_property(struct card *k, char *line, const char *file, int lineno)
{
	char *colon = strchr(line, ':'), *name = line, *semi, *value, *safe;

	if (!colon) {
		log_error("%s:%d: malformed vCard line (no ':')", file, lineno);
		return -1;
	}
	*colon = '\0';
	value = colon + 1;
	if ((semi = strchr(name, ';')))
		*semi = '\0';
	/* Grouped names ("item1.EMAIL") keep their last part. */
	if (strrchr(name, '.'))
		name = strrchr(name, '.') + 1;
	if (strcasecmp(name, "FN") == 0) {
		vcard_unescape(value);
		free(k->fn);
		k->fn = card_text(value);
	} else if (strcasecmp(name, "EMAIL") == 0) {
		vcard_unescape(value);
		safe = card_text(value);
		value = safe;
		if (strncasecmp(value, "mailto:", 7) == 0)
			value += 7;
		if (*value) {
			sb_add(&k->emails, value, strlen(value) + 1);
			k->nemails++;
		}
		free(safe);
	} else if (strcasecmp(name, "NOTE") == 0) {
		vcard_unescape(value);
		free(k->note);
		k->note = card_text(value);
	} else if (strcasecmp(name, "CATEGORIES") == 0) {
		add_categories(k, value);
	}
	return 0;
}

/* Read every card of `file`; a malformed file is an error naming the line. */
static int
parse_vcards(const char *file, struct card **out, size_t *nout)
{
	FILE *f = fopen(file, "r");
	struct strbuf logical = { 0 };
	struct card *cards = NULL, *cur = NULL;
	char *line = NULL;
	size_t cap = 0, n = 0, total = 0;
	ssize_t len;
	int lineno = 0, logical_line = 0, rc = -1;

	if (!f) {
		log_warn("cannot open '%s'", file);
		return -1;
	}
	for (;;) {
		len = getline(&line, &cap, f);
		if (len != -1) {
			lineno++;
			total += (size_t)len;
			if (total > IMPORT_MAX_BYTES) {
				log_error("%s: larger than %d MB, not a contact file", file,
					  IMPORT_MAX_BYTES / (1024 * 1024));
				goto out;
			}
			while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
				line[--len] = '\0';
			if (memchr(line, '\0', (size_t)len)) {
				log_error("%s:%d: NUL byte: not a vCard file", file, lineno);
				goto out;
			}
			/* A line starting with a blank continues the previous one (folding). */
			if ((line[0] == ' ' || line[0] == '\t') && logical.len > 0) {
				sb_adds(&logical, line + 1);
				continue;
			}
		}
		if (logical.len > 0) {
			char *l = logical.buf;

			if (strcasecmp(l, "BEGIN:VCARD") == 0) {
				if (cur) {
					log_error("%s:%d: BEGIN:VCARD inside the card of line %d", file,
						  logical_line, cur->line);
					goto out;
				}
				cards = xreallocarray(cards, n + 1, sizeof(*cards));
				cur = &cards[n++];
				memset(cur, 0, sizeof(*cur));
				cur->line = logical_line;
			} else if (strcasecmp(l, "END:VCARD") == 0) {
				if (!cur) {
					log_error("%s:%d: END:VCARD without BEGIN:VCARD", file, logical_line);
					goto out;
				}
				cur = NULL;
			} else if (!cur) {
				log_error("%s:%d: text outside BEGIN:VCARD ... END:VCARD", file, logical_line);
				goto out;
			} else if (card_property(cur, l, file, logical_line) == -1) {
				goto out;
			}
			sb_reset(&logical);
		}
		if (len == -1)
			break;
		if (*line) {
			sb_adds(&logical, line);
			logical_line = lineno;
		}
	}
	if (ferror(f)) {
		log_warn("cannot read '%s'", file);
		goto out;
	}
	if (cur) {
		log_error("%s:%d: the card of line %d has no END:VCARD", file, lineno, cur->line);
		goto out;
	}
	if (n == 0) {
		log_error("%s: no BEGIN:VCARD: not a vCard file", file);
		goto out;
	}
	rc = 0;
out:
	if (rc == -1) {
		for (size_t i = 0; i < n; i++)
			card_free(&cards[i]);
		free(cards);
		cards = NULL;
		n = 0;
	}
	*out = cards;
	*nout = n;
	free(line);
	sb_free(&logical);
	fclose(f);
	return rc;
}

static void
report(struct cli *c, const struct card *k, const char *email, int64_t id, const char *skip)
{
	char *name, *addr;

	if (printer_json(c->pr)) {
		pr_map_begin(c->pr);
		pr_key(c->pr, "line");
		pr_int(c->pr, k->line);
		pr_key(c->pr, "name");
		pr_str(c->pr, k->fn);
		pr_key(c->pr, "email");
		pr_str(c->pr, email);
		if (skip) {
			pr_key(c->pr, "reason");
			pr_str(c->pr, skip);
		} else {
			pr_key(c->pr, "id");
			pr_int(c->pr, id);
		}
		pr_map_end(c->pr);
		return;
	}
	name = text_clean(k->fn ? k->fn : "(no name)");
	addr = text_clean(email);
	if (skip)
		pr_text(c->pr, "skipped  line %d  %s%s%s%s: %s", k->line, name, *addr ? " <" : "", addr,
			*addr ? ">" : "", skip);
	else
		pr_text(c->pr, "imported line %d  %s%s%s%s", k->line, name, *addr ? " <" : "", addr,
			*addr ? ">" : "");
	free(name);
	free(addr);
}

/*
 * A card's other EMAILs become addresses of the same person: each is added
 * as a person of its own and merged in, the way `kith merge` joins them.
 * An address already known stays with whoever has it.
 */
static int
import_more_emails(struct cli *c, const struct card *k, int64_t *id)
{
	struct person_list cand = { 0 };
	const char *e = k->emails.buf;
	int64_t pair[2], known;
	size_t i;
	int rc;

	for (i = 1; i < k->nemails; i++) {
		e += strlen(e) + 1;
		if (!strchr(e, '@') || strpbrk(e, " \t<>,;\""))
			continue;
		rc = people_resolve(c->st, e, c->now, &known, &cand);
		person_list_free(&cand);
		if (rc < 0)
			return rc;
		if (rc == RESOLVE_OK || rc == RESOLVE_AMBIGUOUS)
			continue;
		pair[0] = *id;
		if ((rc = people_add_as(c->st, k->fn, e, c->now, PEOPLE_IMPORTED, &pair[1])) != 0)
			return rc;
		if ((rc = people_merge(c->st, pair, 2, id)) != 0)
			return rc;
	}
	return 0;
}

/* Import one card; *skip says why not when it was skipped. */
static int
import_card(struct cli *c, const struct card *k, const char **skip, int64_t *id)
{
	struct person_list cand = { 0 };
	const char *email = k->nemails ? k->emails.buf : NULL;
	int64_t known;
	size_t i;
	int rc;

	*skip = NULL;
	if (!k->fn || !*k->fn) {
		*skip = "no FN (name)";
		return 0;
	}
	if (email) {
		if (!strchr(email, '@') || strpbrk(email, " \t<>,;\"")) {
			*skip = "bad EMAIL";
			return 0;
		}
		rc = people_resolve(c->st, email, c->now, &known, &cand);
		person_list_free(&cand);
		if (rc == RESOLVE_OK || rc == RESOLVE_AMBIGUOUS) {
			*skip = "this address is known already";
			return 0;
		}
		if (rc < 0)
			return rc;
	}
	if ((rc = people_add_as(c->st, k->fn, email, c->now, PEOPLE_IMPORTED, id)) != 0)
		return rc;
	if ((rc = import_more_emails(c, k, id)) != 0)
		return rc;
	for (i = 0; i < k->ncategories; i++)
		if ((rc = people_circle(c->st, k->categories[i], *id, true)) != 0)
			return rc;
	if (k->note && *k->note && (rc = people_note(c->st, *id, c->now, k->note)) != 0)
		return rc;
	return 0;
}

int
cmd_import(struct cli *c, int argc, char **argv)
{
	struct card *cards = NULL;
	const char **skips = NULL;
	int64_t *ids = NULL;
	size_t n = 0, i, imported = 0;
	int rc;

	if ((rc = cli_no_options(c, argc, argv, 1, 1)) != EXIT_OK)
		return rc;
	if (parse_vcards(argv[optind], &cards, &n) == -1)
		return EXIT_ERROR;
	skips = xcalloc(n, sizeof(*skips));
	ids = xcalloc(n, sizeof(*ids));
	/* All or nothing: a failure half way leaves the store as it was. */
	if ((rc = store_begin(c->st)) != STORE_OK) {
		rc = cli_store_error(rc);
		goto out;
	}
	for (i = 0; i < n && rc == 0; i++)
		rc = import_card(c, &cards[i], &skips[i], &ids[i]);
	if ((rc = cli_end(c, rc)) != EXIT_OK)
		goto out;
	if (printer_json(c->pr)) {
		pr_map_begin(c->pr);
		pr_key(c->pr, "imported");
		pr_list_begin(c->pr);
	}
	for (i = 0; i < n; i++)
		if (!skips[i]) {
			report(c, &cards[i], cards[i].nemails ? cards[i].emails.buf : NULL, ids[i], NULL);
			imported++;
		}
	if (printer_json(c->pr)) {
		pr_list_end(c->pr);
		pr_key(c->pr, "skipped");
		pr_list_begin(c->pr);
	}
	for (i = 0; i < n; i++)
		if (skips[i])
			report(c, &cards[i], cards[i].nemails ? cards[i].emails.buf : NULL, 0, skips[i]);
	if (printer_json(c->pr)) {
		pr_list_end(c->pr);
		pr_map_end(c->pr);
	}
	pr_text(c->pr, "%zu imported, %zu skipped", imported, n - imported);
	rc = EXIT_OK;
out:
	for (i = 0; i < n; i++)
		card_free(&cards[i]);
	free(cards);
	free(skips);
	free(ids);
	return rc;
}
