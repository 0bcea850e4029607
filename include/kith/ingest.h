/* ingest.h - one fetched message into kith: the only way mail enters the store. */
#ifndef KITH_INGEST_H
#define KITH_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

/*
 * Take one fetched message: its header block (exactly the fields in
 * header_fetch_fields) and INTERNALDATE, seen at `uid` in `folder_id`.  The
 * header is parsed once; that parsed form serves the copy check, the stored
 * row and the people model.  A message already known by Message-ID (or,
 * lacking one, by a hash of its header block) only gains this location; a
 * new one is stored, classified and credited to people, all in the
 * caller's transaction.  *is_new (may be NULL) tells which happened.
 */
int ingest_message(struct store *st, int64_t folder_id, uint32_t uid, int64_t internaldate,
		   const char *header, size_t len, bool *is_new);

/*
 * After a folder's batches have committed: finish what the people model
 * keeps for the end of a sync (people re-derived, merge suggestions), in
 * its own transaction.
 */
int ingest_done(struct store *st);

#endif
