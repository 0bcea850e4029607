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

struct table {
	size_t ncols;
	char **headers;			/* NULL: no header row */
	char ***rows;			/* rows[r][c], cleaned */
	const char ***colors;		/* colors[r][c], static SGR or NULL */
	size_t nrows;
	size_t *flex_min;		/* 0: fixed column */
	bool *right;
	bool *wrap;			/* flexible, but wrapped onto more lines instead of cut */
};

struct table *
table_new(size_t ncols, const char *const *headers)
{
	struct table *t = xcalloc(1, sizeof(*t));
	size_t i;

	t->ncols = ncols;
	if (headers) {
		t->headers = xcalloc(ncols, sizeof(char *));
		for (i = 0; i < ncols; i++)
			t->headers[i] = text_clean(headers[i]);
	}
	t->flex_min = xcalloc(ncols, sizeof(size_t));
	t->right = xcalloc(ncols, sizeof(bool));
	t->wrap = xcalloc(ncols, sizeof(bool));
	return t;
}

void
table_free(struct table *t)
{
	size_t r, c;

	if (!t)
		return;
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++)
			free(t->rows[r][c]);
		free(t->rows[r]);
		free(t->colors[r]);
	}
	if (t->headers)
		for (c = 0; c < t->ncols; c++)
			free(t->headers[c]);
	free(t->headers);
	free(t->rows);
	free(t->colors);
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

	t->rows = xreallocarray(t->rows, t->nrows + 1, sizeof(*t->rows));
	t->colors = xreallocarray(t->colors, t->nrows + 1, sizeof(*t->colors));
	t->rows[t->nrows] = xcalloc(t->ncols, sizeof(char *));
	t->colors[t->nrows] = xcalloc(t->ncols, sizeof(char *));
	for (c = 0; c < t->ncols; c++)
		t->rows[t->nrows][c] = text_clean(cells[c]);
	t->nrows++;
}

void
table_color(struct table *t, size_t col, const char *sgr)
{
	if (t->nrows > 0)
		t->colors[t->nrows - 1][col] = sgr;
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
put_cell(struct table *t, struct strbuf *line, const char *text, size_t c, size_t width,
	 const char *sgr)
{
	char *fit = text_fit(text, width);
	size_t pad = width - text_width(fit), i;

	if (c > 0)
		sb_adds(line, "  ");
	if (t->right[c])
		for (i = 0; i < pad; i++)
			sb_addc(line, ' ');
	if (sgr && *fit)
		sb_addf(line, "\033[%sm%s\033[0m", sgr, fit);
	else
		sb_adds(line, fit);
	if (!t->right[c])
		for (i = 0; i < pad; i++)
			sb_addc(line, ' ');
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
put_row(struct table *t, struct strbuf *line, FILE *out, size_t r, const size_t *w, bool color)
{
	size_t *pos = xcalloc(t->ncols, sizeof(size_t)), c;
	bool more = true, first = true;
	char *part;

	while (more) {
		more = false;
		for (c = 0; c < t->ncols; c++) {
			const char *sgr = color ? t->colors[r][c] : NULL;

			if (!t->wrap[c] || text_width(t->rows[r][c]) <= w[c]) {
				put_cell(t, line, first ? t->rows[r][c] : "", c, w[c], sgr);
				continue;
			}
			part = next_wrapped(t->rows[r][c], &pos[c], w[c]);
			put_cell(t, line, part ? part : "", c, w[c], sgr);
			free(part);
			if (t->rows[r][c][pos[c]] && t->rows[r][c][pos[c] + strspn(t->rows[r][c] + pos[c], " ")])
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
			w[c] = text_width(t->headers[c]);
		for (r = 0; r < t->nrows; r++) {
			size_t cw = text_width(t->rows[r][c]);

			if (cw > w[c])
				w[c] = cw;
		}
	}
	fit_widths(t, w, width);
	if (t->headers && t->nrows > 0) {
		for (c = 0; c < t->ncols; c++)
			put_cell(t, &line, t->headers[c], c, w[c], color ? COLOR_BOLD : NULL);
		put_line(&line, out);
	}
	for (r = 0; r < t->nrows; r++)
		put_row(t, &line, out, r, w, color);
	sb_free(&line);
	free(w);
	return ferror(out) ? -1 : 0;
}
