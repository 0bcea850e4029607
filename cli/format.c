/* format.c - text for people: safe strings, relative dates, aligned tables, colour. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <utf8proc.h>

#include "format.h"
#include "kith/util.h"
#include "kith/words.h"

#define REPLACEMENT "\xef\xbf\xbd"	/* U+FFFD */

/*
 * Length of the valid UTF-8 sequence at s (at most `left` bytes), or 0 when
 * the bytes there are not one.  *cp gets the code point.
 */
static size_t
utf8_seq(const unsigned char *s, size_t left, int32_t *cp)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t n;

	n = utf8proc_iterate(s, (utf8proc_ssize_t)(left > 4 ? 4 : left), &c);
	if (n <= 0)
		return 0;
	*cp = c;
	return (size_t)n;
}

char *
utf8_make_valid(const char *s, size_t len)
{
	struct strbuf sb = { 0 };
	size_t i = 0, n;
	int32_t cp;

	if (!s)
		return NULL;
	sb_grow(&sb, len + 1);
	while (i < len) {
		if ((unsigned char)s[i] < 0x80 && s[i] != '\0') {
			sb_addc(&sb, s[i++]);
			continue;
		}
		n = utf8_seq((const unsigned char *)s + i, len - i, &cp);
		if (n == 0 || cp == 0) {
			sb_adds(&sb, REPLACEMENT);
			i++;
			continue;
		}
		sb_add(&sb, s + i, n);
		i += n;
	}
	return sb_detach(&sb);
}

static bool
is_control(int32_t cp)
{
	/* Bidi embeddings, overrides and isolates reorder what follows them on a terminal. */
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

char *
text_clean(const char *s)
{
	struct strbuf sb = { 0 };
	char *valid;
	size_t i = 0, len, n;
	int32_t cp;
	bool space = false;

	if (!s)
		return xstrdup("");
	/* Most cells are printable ASCII, which is left as it is: no need to decode it. */
	for (len = 0; s[len] >= 0x20 && s[len] < 0x7f; len++)
		;
	if (!s[len])
		return xstrdup(s);
	valid = utf8_make_valid(s, strlen(s));
	len = strlen(valid);
	sb_grow(&sb, len + 1);
	while (i < len) {
		n = utf8_seq((const unsigned char *)valid + i, len - i, &cp);
		if (n == 0)	/* cannot happen after utf8_make_valid */
			n = 1, cp = 0xfffd;
		if (cp == '\t' || cp == '\n' || cp == '\r') {
			if (!space)
				sb_addc(&sb, ' ');
			space = true;
		} else if (!is_control(cp) && cp != 0x2028 && cp != 0x2029) {
			sb_add(&sb, valid + i, n);
			space = false;
		}
		i += n;
	}
	free(valid);
	if (!sb.buf)
		return xstrdup("");
	return sb_detach(&sb);
}

static size_t
cp_width(int32_t cp)
{
	int w = utf8proc_charwidth(cp);

	return w < 0 ? 0 : (size_t)w;
}

size_t
text_width(const char *s)
{
	size_t i = 0, len = strlen(s), n, w = 0;
	int32_t cp;

	while (i < len) {
		/* Printable ASCII is one column each (as utf8proc says), without decoding. */
		if (s[i] >= 0x20 && s[i] < 0x7f) {
			w++;
			i++;
			continue;
		}
		n = utf8_seq((const unsigned char *)s + i, len - i, &cp);
		if (n == 0) {
			w++;
			i++;
			continue;
		}
		w += cp_width(cp);
		i += n;
	}
	return w;
}

char *
text_fit(const char *s, size_t width)
{
	size_t i = 0, len = strlen(s), n, w = 0, cw;
	int32_t cp;

	if (text_width(s) <= width)
		return xstrdup(s);
	if (width == 0)
		return xstrdup("");
	/* Keep what fits in width - 1 columns, then the ellipsis. */
	while (i < len) {
		n = utf8_seq((const unsigned char *)s + i, len - i, &cp);
		if (n == 0)
			n = 1, cp = '?';
		cw = cp_width(cp);
		if (w + cw > width - 1)
			break;
		w += cw;
		i += n;
	}
	return xasprintf("%.*s…", (int)i, s);
}

/* The words live in lib/words.c, so the nudge and every command agree. */
char *
format_relative(int64_t t, int64_t now, char *buf, size_t len)
{
	return kith_ago_words(t, now, buf, len);
}

char *
format_span(int64_t secs, char *buf, size_t len)
{
	return kith_duration_words(secs, buf, len);
}

char *
format_date(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t == 0) {
		snprintf(buf, len, "never");
		return buf;
	}
	localtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%d", &tm);
	return buf;
}

int
terminal_width(int fd)
{
	const char *cols = getenv("COLUMNS");
	struct winsize ws;
	char *end;
	long v;

	if (cols && *cols) {
		v = strtol(cols, &end, 10);
		if (*end == '\0' && v > 0 && v < 10000)
			return (int)v;
	}
	if (isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 0;
}

bool
color_wanted(int fd, bool disabled)
{
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	if (disabled || (nc && *nc) || (term && strcmp(term, "dumb") == 0))
		return false;
	return isatty(fd);
}

/* --- tables ----------------------------------------------------------------- */

/* A cell: cleaned text (in the table's arena), its width in columns, its colour. */
struct cell {
	const char *text;
	size_t width;
	const char *sgr;		/* static SGR, or NULL */
};

/* Cell texts are many and small: they live in chunks freed together. */
struct chunk {
	struct chunk *next;
	size_t used, size;
	char data[];
};

struct table {
	size_t ncols;
	struct cell *headers;		/* NULL: no header row */
	struct cell *cells;		/* row r, column c at cells[r * ncols + c] */
	size_t nrows, cap;
	struct chunk *arena;
	size_t *flex_min;		/* 0: fixed column */
	bool *right;
	bool *wrap;			/* flexible, but wrapped onto more lines instead of cut */
};

#define CHUNK_SIZE 65536

static const char *
arena_copy(struct table *t, const char *s, size_t len)
{
	struct chunk *ch = t->arena;
	char *d;

	if (!ch || ch->size - ch->used < len + 1) {
		size_t size = len + 1 > CHUNK_SIZE ? len + 1 : CHUNK_SIZE;

		ch = xmalloc(sizeof(*ch) + size);
		ch->size = size;
		ch->used = 0;
		ch->next = t->arena;
		t->arena = ch;
	}
	d = ch->data + ch->used;
	memcpy(d, s, len);
	d[len] = '\0';
	ch->used += len + 1;
	return d;
}

/* text_clean into the arena: printable ASCII, most cells, is copied as it is. */
static void
cell_set(struct table *t, struct cell *cell, const char *s)
{
	size_t len = 0;
	char *clean;

	if (s)
		for (; s[len] >= 0x20 && s[len] < 0x7f; len++)
			;
	if (s && !s[len]) {
		cell->text = arena_copy(t, s, len);
		cell->width = len;
	} else {
		clean = text_clean(s);
		cell->text = arena_copy(t, clean, strlen(clean));
		cell->width = text_width(clean);
		free(clean);
	}
	cell->sgr = NULL;
}

struct table *
table_new(size_t ncols, const char *const *headers)
{
	struct table *t = xcalloc(1, sizeof(*t));
	size_t i;

	t->ncols = ncols;
	if (headers) {
		t->headers = xcalloc(ncols, sizeof(*t->headers));
		for (i = 0; i < ncols; i++)
			cell_set(t, &t->headers[i], headers[i]);
	}
	t->flex_min = xcalloc(ncols, sizeof(size_t));
	t->right = xcalloc(ncols, sizeof(bool));
	t->wrap = xcalloc(ncols, sizeof(bool));
	return t;
}

void
table_free(struct table *t)
{
	struct chunk *ch, *next;

	if (!t)
		return;
	for (ch = t->arena; ch; ch = next) {
		next = ch->next;
		free(ch);
	}
	free(t->headers);
	free(t->cells);
	free(t->flex_min);
	free(t->right);
	free(t->wrap);
	free(t);
}

void
table_flex(struct table *t, size_t col, size_t min)
{
	t->flex_min[col] = min > 0 ? min : 1;
}

void
table_wrap(struct table *t, size_t col, size_t min)
{
	table_flex(t, col, min);
	t->wrap[col] = true;
}

void
table_right(struct table *t, size_t col)
{
	t->right[col] = true;
}

void
table_add(struct table *t, const char *const *cells)
{
	size_t c;

	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->cells = xreallocarray(t->cells, t->cap, t->ncols * sizeof(*t->cells));
	}
	for (c = 0; c < t->ncols; c++)
		cell_set(t, &t->cells[t->nrows * t->ncols + c], cells[c]);
	t->nrows++;
}

void
table_color(struct table *t, size_t col, const char *sgr)
{
	if (t->nrows > 0)
		t->cells[(t->nrows - 1) * t->ncols + col].sgr = sgr;
}

size_t
table_rows(const struct table *t)
{
	return t->nrows;
}

/*
 * Shrink flexible columns until the total fits `width`, always cutting the
 * widest one: a single long hostile name must not squeeze every reason.
 */
static void
fit_widths(struct table *t, size_t *w, int width)
{
	size_t total = 0, c, best;

	for (c = 0; c < t->ncols; c++)
		total += w[c] + (c > 0 ? 2 : 0);
	while (width > 0 && total > (size_t)width) {
		best = t->ncols;
		for (c = 0; c < t->ncols; c++)
			if (t->flex_min[c] && w[c] > t->flex_min[c] && (best == t->ncols || w[c] > w[best]))
				best = c;
		if (best == t->ncols)
			return;	/* nothing left to cut: the lines will wrap */
		w[best]--;
		total--;
	}
}

static void
add_spaces(struct strbuf *line, size_t n)
{
	sb_grow(line, n);
	memset(line->buf + line->len, ' ', n);
	line->len += n;
	line->buf[line->len] = '\0';
}

/* `text`, `tw` columns wide, in a column `width` wide: cut with an ellipsis when wider. */
static void
put_cell(struct table *t, struct strbuf *line, const char *text, size_t tw, size_t c, size_t width,
	 const char *sgr)
{
	char *fit = NULL;
	size_t pad;

	if (tw > width) {
		fit = text_fit(text, width);
		text = fit;
		tw = text_width(fit);
	}
	pad = width - tw;
	if (c > 0)
		sb_add(line, "  ", 2);
	if (t->right[c])
		add_spaces(line, pad);
	if (sgr && *text) {
		sb_add(line, "\033[", 2);
		sb_adds(line, sgr);
		sb_addc(line, 'm');
		sb_adds(line, text);
		sb_add(line, "\033[0m", 4);
	} else {
		sb_adds(line, text);
	}
	if (!t->right[c])
		add_spaces(line, pad);
	free(fit);
}

/* Write one line without trailing blanks. */
static void
put_line(struct strbuf *line, FILE *out)
{
	while (line->len > 0 && line->buf[line->len - 1] == ' ')
		line->buf[--line->len] = '\0';
	if (line->len)
		fwrite(line->buf, 1, line->len, out);
	fputc('\n', out);
	sb_reset(line);
}

/*
 * The next line of `s` (from *pos) that fits `width` columns, broken at a
 * space; a single word wider than that is cut by put_cell.  Returns a new
 * string, or NULL at the end.
 */
static char *
next_wrapped(const char *s, size_t *pos, size_t width)
{
	const char *p = s + *pos, *end, *q;
	char *cand;

	while (*p == ' ')
		p++;
	if (!*p)
		return NULL;
	/* From the first letter: a word too wide for the line still makes one line of its own. */
	end = p;
	for (q = p; *q;) {
		const char *sp = strchr(q + 1, ' ');
		const char *stop = sp ? sp : q + strlen(q);

		cand = xstrndup(p, (size_t)(stop - p));
		if (text_width(cand) > width && end != p) {
			free(cand);
			break;
		}
		free(cand);
		end = stop;
		q = stop;
		if (!sp)
			break;
	}
	if (end == p)
		end = p + strlen(p);
	*pos = (size_t)(end - s);
	return xstrndup(p, (size_t)(end - p));
}

char *
text_wrap(const char *s, int width, size_t indent)
{
	struct strbuf sb = { 0 };
	size_t pos = 0, room;
	char *clean = text_clean(s), *line;

	if (width <= 0 || (size_t)width <= indent + 10 || text_width(clean) + indent <= (size_t)width)
		return clean;
	room = (size_t)width - indent;
	while ((line = next_wrapped(clean, &pos, room))) {
		if (sb.len) {
			sb_addc(&sb, '\n');
			sb_addf(&sb, "%*s", (int)indent, "");
		}
		sb_adds(&sb, line);
		free(line);
	}
	free(clean);
	return sb.len ? sb_detach(&sb) : xstrdup("");
}

/* One row; wrapping columns go on over more lines, the other cells blank there. */
static void
put_row(struct table *t, struct strbuf *line, FILE *out, const struct cell *row, const size_t *w, bool color)
{
	size_t *pos, c;
	bool more = true, first = true;
	char *part;

	for (c = 0; c < t->ncols && !(t->wrap[c] && row[c].width > w[c]); c++)
		;
	if (c == t->ncols) {	/* one line: nothing to wrap */
		for (c = 0; c < t->ncols; c++)
			put_cell(t, line, row[c].text, row[c].width, c, w[c], color ? row[c].sgr : NULL);
		put_line(line, out);
		return;
	}
	pos = xcalloc(t->ncols, sizeof(size_t));
	while (more) {
		more = false;
		for (c = 0; c < t->ncols; c++) {
			const char *sgr = color ? row[c].sgr : NULL, *text = row[c].text;

			if (!t->wrap[c] || row[c].width <= w[c]) {
				put_cell(t, line, first ? text : "", first ? row[c].width : 0, c, w[c], sgr);
				continue;
			}
			part = next_wrapped(text, &pos[c], w[c]);
			put_cell(t, line, part ? part : "", part ? text_width(part) : 0, c, w[c], sgr);
			free(part);
			if (text[pos[c]] && text[pos[c] + strspn(text + pos[c], " ")])
				more = true;
		}
		put_line(line, out);
		first = false;
	}
	free(pos);
}

int
table_print(struct table *t, FILE *out, int width, bool color)
{
	size_t *w = xcalloc(t->ncols, sizeof(size_t)), r, c;
	struct strbuf line = { 0 };

	for (c = 0; c < t->ncols; c++) {
		if (t->headers)
			w[c] = t->headers[c].width;
		for (r = 0; r < t->nrows; r++)
			if (t->cells[r * t->ncols + c].width > w[c])
				w[c] = t->cells[r * t->ncols + c].width;
	}
	fit_widths(t, w, width);
	if (t->headers && t->nrows > 0) {
		for (c = 0; c < t->ncols; c++)
			put_cell(t, &line, t->headers[c].text, t->headers[c].width, c, w[c],
				 color ? COLOR_BOLD : NULL);
		put_line(&line, out);
	}
	for (r = 0; r < t->nrows; r++)
		put_row(t, &line, out, &t->cells[r * t->ncols], w, color);
	sb_free(&line);
	free(w);
	return ferror(out) ? -1 : 0;
}
