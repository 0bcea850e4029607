/* store-private.h - what lib modules share about the store; not installed. */
#ifndef KITH_STORE_PRIVATE_H
#define KITH_STORE_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "kith/store.h"

extern const char *const store_migrations[];
extern const size_t store_nmigrations;

/* Log the SQLite error of the store's connection, with what was being done. */
int store_fail(struct store *st, const char *what);

/*
 * One read snapshot over the many statements of a query that writes
 * nothing: without it, each statement takes and drops its own shared
 * lock and WAL snapshot (system calls that cost more than a small
 * lookup).  Nothing in between may write.  Returns whether it opened
 * one (inside a transaction it opens none); pass that to store_read_end.
 */
bool store_read_begin(struct store *st);
void store_read_end(struct store *st, bool opened);

#endif
