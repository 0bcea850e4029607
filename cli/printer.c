/* printer.c - one output interface for every command, with text and JSON back ends. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "format.h"
#include "kith/util.h"
#include "printer.h"

#define MAX_DEPTH 16

struct printer {
	enum printer_format fmt;
	FILE *out;
	/* JSON: the containers being filled, outermost first. */
	json_t *stack[MAX_DEPTH];
	int depth;
	json_t *root;
	char *key;
	/* Text: nesting, and whether a list item is about to start. */
	int indent;
	bool in_list[MAX_DEPTH];
	int saved_indent[MAX_DEPTH];
	bool item_start;
};

struct printer *
printer_new(enum printer_format fmt, FILE *out)
{
	struct printer *pr = xcalloc(1, sizeof(*pr));

	pr->fmt = fmt;
	pr->out = out;
	return pr;
}

void
printer_free(struct printer *pr)
{
	int i;

	if (!pr)
		return;
	for (i = 0; i < pr->depth; i++)
		json_decref(pr->stack[i]);
	json_decref(pr->root);
	free(pr->key);
	free(pr);
}

bool
printer_json(const struct printer *pr)
{
	return pr->fmt == PRINTER_JSON;
}

FILE *
printer_file(const struct printer *pr)
{
	return pr->out;
}

/* --- JSON back end: values go into the innermost container -------------------- */

static void
json_put(struct printer *pr, json_t *v)
{
	json_t *top;

	if (pr->depth == 0) {
		if (pr->root)
			fatalx("printer: a second top-level JSON value");
		pr->root = v;
		return;
	}
	top = pr->stack[pr->depth - 1];
	if (json_is_object(top)) {
		if (!pr->key)
			fatalx("printer: a value in a map without a key");
		json_object_set_new(top, pr->key, v);
		free(pr->key);
		pr->key = NULL;
	} else {
		json_array_append_new(top, v);
	}
}

static void
json_open(struct printer *pr, json_t *container)
{
	if (pr->depth == MAX_DEPTH)
		fatalx("printer: nested too deep");
	/* Hold a reference on the stack; json_put gives the container its place. */
	json_put(pr, json_incref(container));
	pr->stack[pr->depth++] = container;
}

static void
json_close(struct printer *pr)
{
	if (pr->depth == 0)
		fatalx("printer: closing a container that is not open");
	json_decref(pr->stack[--pr->depth]);
}

/* --- text back end: "key: value" lines, lists as "- " items --------------------- */

static void
text_indent(struct printer *pr)
{
	int i;

	for (i = 0; i < pr->indent; i++)
		fputs("  ", pr->out);
}

/* Start the line of a value: the key, or the list dash. */
static void
text_prefix(struct printer *pr, bool scalar)
{
	char *k;

	text_indent(pr);
	if (pr->depth > 0 && pr->in_list[pr->depth - 1]) {
		fputs("- ", pr->out);
	} else if (pr->key) {
		k = text_clean(pr->key);
		for (char *p = k; *p; p++)
			if (*p == '_')
				*p = ' ';
		fprintf(pr->out, scalar ? "%s: " : "%s:", k);
		free(k);
	}
	free(pr->key);
	pr->key = NULL;
}

static void
text_scalar(struct printer *pr, const char *s)
{
	char *clean = text_clean(s);

	text_prefix(pr, true);
	fputs(clean, pr->out);
	fputc('\n', pr->out);
	free(clean);
}

static void
text_open(struct printer *pr, bool list)
{
	if (pr->depth == MAX_DEPTH)
		fatalx("printer: nested too deep");
	pr->saved_indent[pr->depth] = pr->indent;
	if (pr->depth > 0) {
		if (pr->key) {
			text_prefix(pr, false);
			fputc('\n', pr->out);
			pr->indent++;
		}
		if (pr->in_list[pr->depth - 1] && !list) {
			/* Maps in a list: a blank line between items reads best. */
			if (pr->item_start)
				fputc('\n', pr->out);
			pr->item_start = true;
		}
	}
	pr->in_list[pr->depth++] = list;
}

static void
text_close(struct printer *pr)
{
	if (pr->depth == 0)
		fatalx("printer: closing a container that is not open");
	pr->depth--;
	pr->indent = pr->saved_indent[pr->depth];
	if (pr->in_list[pr->depth])
		pr->item_start = false;
}

/* --- the interface ------------------------------------------------------------- */

void
pr_map_begin(struct printer *pr)
{
	if (pr->fmt == PRINTER_JSON)
		json_open(pr, json_object());
	else
		text_open(pr, false);
}

void
pr_map_end(struct printer *pr)
{
	if (pr->fmt == PRINTER_JSON)
		json_close(pr);
	else
		text_close(pr);
}

void
pr_list_begin(struct printer *pr)
{
	if (pr->fmt == PRINTER_JSON)
		json_open(pr, json_array());
	else
		text_open(pr, true);
}

void
pr_list_end(struct printer *pr)
{
	if (pr->fmt == PRINTER_JSON)
		json_close(pr);
	else
		text_close(pr);
}

void
pr_key(struct printer *pr, const char *key)
{
	free(pr->key);
	pr->key = xstrdup(key);
}

void
pr_str(struct printer *pr, const char *s)
{
	char *valid;

	if (!s) {
		pr_null(pr);
		return;
	}
	if (pr->fmt == PRINTER_TEXT) {
		text_scalar(pr, s);
		return;
	}
	/* jansson refuses invalid UTF-8: repair it rather than lose the value. */
	valid = utf8_make_valid(s, strlen(s));
	json_put(pr, json_string(valid));
	free(valid);
}

void
pr_int(struct printer *pr, int64_t v)
{
	char buf[32];

	if (pr->fmt == PRINTER_JSON) {
		json_put(pr, json_integer((json_int_t)v));
		return;
	}
	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	text_scalar(pr, buf);
}

void
pr_dbl(struct printer *pr, double v)
{
	char buf[64];
	double r = (double)llround(v * 1000.0) / 1000.0;

	if (pr->fmt == PRINTER_JSON) {
		json_put(pr, json_real(r));
		return;
	}
	snprintf(buf, sizeof(buf), "%.3g", r);
	text_scalar(pr, buf);
}

void
pr_bool(struct printer *pr, bool v)
{
	if (pr->fmt == PRINTER_JSON)
		json_put(pr, json_boolean(v));
	else
		text_scalar(pr, v ? "yes" : "no");
}

void
pr_null(struct printer *pr)
{
	if (pr->fmt == PRINTER_JSON)
		json_put(pr, json_null());
	else
		text_scalar(pr, "-");
}

void
pr_time(struct printer *pr, int64_t t)
{
	char buf[32];

	if (t == 0) {
		pr_null(pr);
		return;
	}
	format_iso8601(t, buf, sizeof(buf));
	pr_str(pr, buf);
}

void
pr_text(struct printer *pr, const char *fmt, ...)
{
	va_list ap;
	char *s, *clean;

	if (pr->fmt == PRINTER_JSON)
		return;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		fatal("vasprintf");
	va_end(ap);
	clean = text_clean(s);
	fprintf(pr->out, "%s\n", clean);
	free(clean);
	free(s);
}

int
printer_finish(struct printer *pr)
{
	if (pr->fmt == PRINTER_JSON && pr->root) {
		if (pr->depth != 0)
			fatalx("printer: %d containers left open", pr->depth);
		/* ASCII only: no byte of a name or subject can reach a terminal raw. */
		if (json_dumpf(pr->root, pr->out, JSON_INDENT(2) | JSON_ENSURE_ASCII |
			       JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10)) == -1)
			return -1;
		fputc('\n', pr->out);
		json_decref(pr->root);
		pr->root = NULL;
	}
	if (fflush(pr->out) == EOF || ferror(pr->out))
		return -1;
	return 0;
}

void
printer_discard(struct printer *pr)
{
	while (pr->depth > 0)
		json_decref(pr->stack[--pr->depth]);
	json_decref(pr->root);
	pr->root = NULL;
	free(pr->key);
	pr->key = NULL;
}
