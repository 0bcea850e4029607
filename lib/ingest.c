/*
 * ingest.c - one fetched message into kith.
 *
 * The top of the library's write path, and the only module that sees the
 * whole of it: parse the header (header.c), find whether the message is
 * already known (people_copy_key), store the row and its location
 * (store.c, which only stores), then classify it and credit its people
 * (people_ingest, which calls classify.c, identity.c and score.c).  Each
 * step calls only the ones below it; nothing below calls back up here.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kith/header.h"
#include "kith/ingest.h"
#include "kith/people.h"
#include "kith/store.h"
#include "kith/util.h"

int
ingest_message(struct store *st, int64_t folder_id, uint32_t uid, int64_t internaldate,
	       const char *header, size_t len, bool *is_new)
{
	struct kith_msg msg;
	char *synthetic = NULL, *key = NULL;
	const char *mid;
	int64_t id;
	int rc;

	if (is_new)
		*is_new = false;
	if (len > HEADER_MAX_BLOCK)
		len = HEADER_MAX_BLOCK;
	memset(&msg, 0, sizeof(msg));
	header_parse(header, len, internaldate, kith_now(), &msg);
	mid = msg.message_id;
	if (!mid)
		mid = synthetic = header_synthetic_id(header, len);

	/* One message per Message-ID and From: a copy with another From is another message. */
	if ((rc = people_copy_key(st, mid, &msg, &id, &key)) != STORE_OK)
		goto out;
	if (id) {
		rc = store_add_location(st, folder_id, uid, id);
		goto out;
	}
	if ((rc = store_put_message(st, key, &msg, header, len, &id)) != STORE_OK ||
	    (rc = store_add_location(st, folder_id, uid, id)) != STORE_OK ||
	    (rc = people_ingest(st, id, &msg)) != STORE_OK)
		goto out;
	if (is_new)
		*is_new = true;
out:
	free(synthetic);
	free(key);
	msg_free(&msg);
	return rc;
}

int
ingest_done(struct store *st)
{
	return people_sync_done(st);
}
