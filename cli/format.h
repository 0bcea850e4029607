/* format.h - text for people: safe strings, relative dates, aligned tables, colour. */
#ifndef KITH_CLI_FORMAT_H
#define KITH_CLI_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Make `s` valid UTF-8, replacing each invalid byte with U+FFFD.  Nothing
 * else changes (control characters stay: JSON escapes them).  NULL gives
 * NULL.  Returns a new string: free() it.
 */
char *utf8_make_valid(const char *s, size_t len);

/*
 * Text safe to show on a terminal: valid UTF-8 (as above), with every
 * control character (C0, DEL, C1 — so no escape sequence survives) removed,
 * and tabs and line breaks turned into single spaces.  NULL gives "".
 * Returns a new string: free() it.
 */
char *text_clean(const char *s);

/* Columns that valid UTF-8 `s` takes on a terminal (wide CJK count 2). */
size_t text_width(const char *s);

/*
 * `s` (clean, valid UTF-8) cut to at most `width` columns, ending in "…"
 * when cut.  Returns a new string: free() it.
 */
char *text_fit(const char *s, size_t width);

/*
 * Clean text `s` broken between words into lines that fit `width` columns
 * once `indent` columns precede each (the caller writes the first line's
 * indent; the string carries the others').  Width 0 (a pipe) wraps
 * nothing.  Returns a new string: free() it.
 */
char *text_wrap(const char *s, int width, size_t indent);

/*
 * "just now", "5 minutes ago", "yesterday", "3 weeks ago", "in 2 days",
 * "never" (t = 0): kith_ago_words, so every command words time alike.
 */
char *format_relative(int64_t t, int64_t now, char *buf, size_t len);

/* A span in words: "3 days", "6 weeks", "4 months", "1 year" (kith_duration_words). */
char *format_span(int64_t secs, char *buf, size_t len);

/* A local date "2026-03-01" (t = 0 gives "never"). */
char *format_date(int64_t t, char *buf, size_t len);

/*
 * The width to fit text into: $COLUMNS when set, else the terminal's width
 * when `fd` is a terminal, else 0 (no limit: pipes get whole lines).
 */
int terminal_width(int fd);

/* Colour on `fd`: a terminal, NO_COLOR unset or empty, and not disabled. */
bool color_wanted(int fd, bool disabled);

/* SGR codes for the few colours kith uses. */
#define COLOR_BOLD	"1"
#define COLOR_DIM	"2"
#define COLOR_RED	"31"
#define COLOR_GREEN	"32"
#define COLOR_YELLOW	"33"
#define COLOR_BLUE	"34"

/*
 * An aligned table.  Cells are cleaned on the way in, so hostile names and
 * subjects can never carry escapes to the terminal.  When the rows are wider
 * than the width given to table_print, the flexible columns (table_flex)
 * are cut, the last flexible one first; in a pipe (width 0) nothing is cut.
 */
struct table;

/* `headers` has ncols entries (copied); a NULL header row prints no header. */
struct table *table_new(size_t ncols, const char *const *headers);
void table_free(struct table *t);
/* Mark column `col` as one that may be cut to fit, down to `min` columns. */
void table_flex(struct table *t, size_t col, size_t min);
/*
 * Like table_flex, but a cell wider than the column goes on over the next
 * lines, broken between words, instead of being cut: for the column that is
 * the point of the table (a reason), which must be read whole.
 */
void table_wrap(struct table *t, size_t col, size_t min);
/* Right-align column `col` (numbers). */
void table_right(struct table *t, size_t col);
/* Append a row of ncols cells (copied; NULL is an empty cell). */
void table_add(struct table *t, const char *const *cells);
/* Colour (an SGR code, static) for a cell of the last row added. */
void table_color(struct table *t, size_t col, const char *sgr);
size_t table_rows(const struct table *t);
/* Print with two spaces between columns; no trailing blanks.  0 or -1 (write error). */
int table_print(struct table *t, FILE *out, int width, bool color);

#endif
