/* sync.c - bring each of an account's folders into the store, batch by batch. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kith/people.h"
#include "kith/store.h"
#include "kithd.h"

void
sync_folders_free(struct sync_folder *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

struct batch {
	struct sync_ctx *c;
	int64_t folder_id;
	size_t added, known;
};

static int
store_one(void *ctx, uint32_t uid, int64_t internaldate, const char *header, size_t len)
{
	struct batch *b = ctx;
	bool is_new = false;

	if (store_add_message(b->c->st, b->folder_id, uid, internaldate, header, len, &is_new) != STORE_OK)
		return -1;
	if (is_new)
		b->added++;
	else
		b->known++;
	return 0;
}

static int
store_failed(struct sync_ctx *c, const char *folder)
{
	sb_reset(&c->im->err);
	sb_addf(&c->im->err, "cannot store messages of folder '%s' in the database", folder);
	return SYNC_FAILED;
}

int
sync_folder(struct sync_ctx *c, const struct sync_folder *f, const struct imap_mailbox *known)
{
	const char *acct = c->a->cfg->name;
	struct store_folder sf;
	struct imap_mailbox mb;
	struct batch b = { c, 0, 0, 0 };
	uint32_t *uids = NULL;
	size_t nuids = 0, i, n;
	int rc = SYNC_FAILED, r;

	if (store_folder(c->st, c->account_id, f->name, f->role, &sf) != STORE_OK)
		return store_failed(c, f->name);
	b.folder_id = sf.id;

	/* A STATUS just made says nothing changed: no need to even EXAMINE. */
	if (known && known->uidvalidity == sf.uidvalidity && known->uidnext != 0 &&
	    known->uidnext <= sf.last_uid + 1) {
		rc = SYNC_OK;
		goto out;
	}
	if ((r = imap_examine(c->im, f->name, &mb)) != IMAP_OK)
		goto out;
	if (mb.uidvalidity != sf.uidvalidity) {
		if (sf.uidvalidity != 0)
			log_info("%s: %s: UIDVALIDITY changed (%u to %u): the server renumbered the folder, "
				 "reading it again (messages already stored are not counted again)%s",
				 acct, f->name, sf.uidvalidity, mb.uidvalidity,
				 c->im->server == SERVER_COURIER ?
				 "; Courier does this in each session until a mail client opens the folder" : "");
		if (store_begin(c->st) != STORE_OK ||
		    store_folder_reset(c->st, sf.id, mb.uidvalidity) != STORE_OK ||
		    store_commit(c->st) != STORE_OK) {
			store_rollback(c->st);
			rc = store_failed(c, f->name);
			goto out;
		}
		sf.uidvalidity = mb.uidvalidity;
		sf.last_uid = 0;
		sf.highestmodseq = 0;
	}

	/* UIDNEXT says whether anything arrived: then the SEARCH round trip is saved. */
	if (mb.uidnext != 0 && mb.uidnext <= sf.last_uid + 1) {
		if (mb.highestmodseq != sf.highestmodseq &&
		    store_folder_syncpoint(c->st, sf.id, sf.last_uid, mb.highestmodseq, kith_now()) != STORE_OK) {
			rc = store_failed(c, f->name);
			goto out;
		}
		rc = SYNC_OK;
		goto out;
	}
	if ((r = imap_search_from(c->im, sf.last_uid + 1, &uids, &nuids)) != IMAP_OK)
		goto out;
	if (nuids > 0)
		log_debug("%s: %s: %zu messages to fetch", acct, f->name, nuids);

	for (i = 0; i < nuids; i += n) {
		bool last;

		if (atomic_load(&c->a->d->stop)) {
			rc = SYNC_STOPPED;
			goto out;
		}
		n = nuids - i < SYNC_BATCH ? nuids - i : SYNC_BATCH;
		last = i + n == nuids;
		account_status(c->a, "syncing %s: %s %zu/%zu", acct, f->name, i, nuids);
		/* One transaction per batch, its sync point included: a crash loses nothing. */
		if (store_begin(c->st) != STORE_OK) {
			rc = store_failed(c, f->name);
			goto out;
		}
		r = imap_fetch_headers(c->im, uids + i, n, store_one, &b);
		if (r != IMAP_OK) {
			store_rollback(c->st);
			if (r == IMAP_CALLBACK)
				rc = store_failed(c, f->name);
			goto out;
		}
		if (store_folder_syncpoint(c->st, sf.id, uids[i + n - 1],
					   last ? mb.highestmodseq : sf.highestmodseq, kith_now()) != STORE_OK ||
		    store_commit(c->st) != STORE_OK) {
			store_rollback(c->st);
			rc = store_failed(c, f->name);
			goto out;
		}
	}
	if (b.added + b.known > 0) {
		if (b.known)
			log_info("%s: %s: %zu new messages (%zu already known)", acct,
				 f->name, b.added, b.known);
		else
			log_info("%s: %s: %zu new messages", acct, f->name, b.added);
	}
	rc = SYNC_OK;
out:
	if (b.added + b.known > 0 && people_sync_done(c->st) != STORE_OK && rc == SYNC_OK)
		rc = store_failed(c, f->name);
	free(uids);
	store_folder_free(&sf);
	return rc;
}
