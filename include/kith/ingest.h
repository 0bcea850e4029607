/* ingest.h - fetched messages into kith: the only way mail enters the store. */
#ifndef KITH_INGEST_H
#define KITH_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kith/header.h"

struct store;
struct store_packer;

/*
 * A fetched message made ready to store: its header block (exactly the
 * fields in header_fetch_fields) parsed once, and packed.  Made without the
 * store, so the thread that reads the network can make it while another
 * thread stores the previous batch.  The parsed form then serves the copy
 * check, the stored row and the people model alike.
 */
struct ingest_item {
	uint32_t uid;
	struct kith_msg msg;
	char *synthetic;		/* the Message-ID made up for a message without one */
	unsigned char *packed;		/* the header block, store_pack()ed */
	size_t packed_len, len;
};

void ingest_prepare(struct store_packer *pk, uint32_t uid, int64_t internaldate, const char *header,
		    size_t len, struct ingest_item *out);
void ingest_item_free(struct ingest_item *it);

/*
 * Store a prepared message seen at it->uid in `folder_id`.  A message
 * already known by Message-ID (or, lacking one, by a hash of its header
 * block) only gains this location; a new one is stored, classified and
 * credited to people, all in the caller's transaction.  *is_new (may be
 * NULL) tells which happened.
 */
int ingest_store(struct store *st, int64_t folder_id, const struct ingest_item *it, bool *is_new);

/* Both steps on the store's thread: ingest_prepare with the store's own packer, then ingest_store. */
int ingest_message(struct store *st, int64_t folder_id, uint32_t uid, int64_t internaldate,
		   const char *header, size_t len, bool *is_new);

/*
 * After a folder's batches have committed: finish what the people model
 * keeps for the end of a sync (people re-derived, merge suggestions), in
 * its own transaction.
 */
int ingest_done(struct store *st);

#endif
