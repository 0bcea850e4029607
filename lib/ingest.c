/*
 * ingest.c - fetched messages into kith.
 *
 * The top of the library's write path, and the only module that sees the
 * whole of it: parse the header once (header.c) and pack it (store_pack),
 * which needs no database and may run on the thread that fetches; then
 * find whether the message is already known (people_copy_key), store the
 * row and its location (store.c, which only stores), and classify it and
 * credit its people (people_ingest, which calls classify.c, identity.c and
 * score.c).  Each step calls only the ones below it; nothing below calls
 * back up here.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kith/header.h"
#include "kith/ingest.h"
#include "kith/people.h"
#include "kith/store.h"
#include "kith/util.h"

void
ingest_prepare(struct store_packer *pk, uint32_t uid, int64_t internaldate, const char *header,
	       size_t len, struct ingest_item *out)
{
	memset(out, 0, sizeof(*out));
	if (len > HEADER_MAX_BLOCK)
		len = HEADER_MAX_BLOCK;
	out->uid = uid;
	out->len = len;
	header_parse(header, len, internaldate, kith_now(), &out->msg);
	if (!out->msg.message_id)
		out->synthetic = header_synthetic_id(header, len);
	out->packed = store_pack(pk, header, len, &out->packed_len);
}

void
ingest_item_free(struct ingest_item *it)
{
	msg_free(&it->msg);
	free(it->synthetic);
	free(it->packed);
	memset(it, 0, sizeof(*it));
}

int
ingest_store(struct store *st, int64_t folder_id, const struct ingest_item *it, bool *is_new)
{
	const char *mid = it->msg.message_id ? it->msg.message_id : it->synthetic;
	char *key = NULL;
	int64_t id;
	int rc;

	if (is_new)
		*is_new = false;
	/* One message per Message-ID and From: a copy with another From is another message. */
	if ((rc = people_copy_key(st, mid, &it->msg, &id, &key)) != STORE_OK)
		goto out;
	if (id) {
		rc = store_add_location(st, folder_id, it->uid, id);
		goto out;
	}
	if ((rc = store_put_message(st, key, &it->msg, it->packed, it->packed_len, it->len, &id)) != STORE_OK ||
	    (rc = store_add_location(st, folder_id, it->uid, id)) != STORE_OK ||
	    (rc = people_ingest(st, id, &it->msg)) != STORE_OK)
		goto out;
	if (is_new)
		*is_new = true;
out:
	free(key);
	return rc;
}

int
ingest_message(struct store *st, int64_t folder_id, uint32_t uid, int64_t internaldate,
	       const char *header, size_t len, bool *is_new)
{
	struct ingest_item it;
	int rc;

	ingest_prepare(store_own_packer(st), uid, internaldate, header, len, &it);
	rc = ingest_store(st, folder_id, &it, is_new);
	ingest_item_free(&it);
	return rc;
}

int
ingest_done(struct store *st)
{
	return people_sync_done(st);
}
