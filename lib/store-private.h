/* store-private.h - what lib modules share about the store; not installed. */
#ifndef KITH_STORE_PRIVATE_H
#define KITH_STORE_PRIVATE_H

#include <stddef.h>

#include "kith/store.h"

extern const char *const store_migrations[];
extern const size_t store_nmigrations;

/* Log the SQLite error of the store's connection, with what was being done. */
int store_fail(struct store *st, const char *what);

#endif
