/* printer.h - one output interface for every command, with text and JSON back ends. */
#ifndef KITH_CLI_PRINTER_H
#define KITH_CLI_PRINTER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "kith/log.h"

/*
 * Commands describe their results as maps, lists and scalars.  The JSON back
 * end builds a jansson tree and writes it at printer_finish, so that every
 * JSON byte is produced by jansson (strings made valid UTF-8 first, output
 * ASCII-only with escapes).  The text back end writes "key: value" lines,
 * indenting nested values; commands with tabular results print a table
 * (format.h) instead when !printer_json().
 */
enum printer_format { PRINTER_TEXT, PRINTER_JSON };

struct printer;

/* A printer writing to `out` (borrowed).  Free with printer_free(). */
struct printer *printer_new(enum printer_format fmt, FILE *out);
void printer_free(struct printer *pr);
bool printer_json(const struct printer *pr);
FILE *printer_file(const struct printer *pr);

void pr_map_begin(struct printer *pr);
void pr_map_end(struct printer *pr);
void pr_list_begin(struct printer *pr);
void pr_list_end(struct printer *pr);
/* The key of the next value in the current map (copied). */
void pr_key(struct printer *pr, const char *key);

void pr_str(struct printer *pr, const char *s);	/* NULL prints null */
void pr_int(struct printer *pr, int64_t v);
void pr_dbl(struct printer *pr, double v);	/* rounded to 3 decimals */
void pr_bool(struct printer *pr, bool v);
void pr_null(struct printer *pr);
void pr_time(struct printer *pr, int64_t t);	/* ISO 8601 UTC; 0 prints null */

/*
 * A line of prose for the text back end only (confirmations such as
 * "snoozed Ana until ..."); ignored in JSON, where the command also gives
 * the same facts as fields.  Control bytes are stripped.
 */
void pr_text(struct printer *pr, const char *fmt, ...) KITH_PRINTF(2, 3);

/*
 * Write what is pending (the JSON document) and flush.  Returns 0, or -1
 * when writing failed (reported by the caller, see kith_main).
 */
int printer_finish(struct printer *pr);

/* Drop a JSON document left unfinished by a command that failed half way. */
void printer_discard(struct printer *pr);

#endif
