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

/*
 * One batch of fetched messages, held in memory so that the database is
 * written only once the network has delivered: the write lock is never held
 * while the server is slow.  When the batch outgrows SYNC_BATCH_BYTES the
 * messages so far are stored at once, still between two network reads.
 */
struct pending {
	uint32_t uid;
	int64_t internaldate;
	char *header;
	size_t len;
};

struct batch {
	struct sync_ctx *c;
	int64_t folder_id;
	size_t added, known;
	const uint32_t *uids;		/* the UIDs asked for, ascending */
	bool *got;			/* got[i]: uids[i] arrived */
	size_t nuids;
	struct pending *v;
	size_t n, bytes;
};

static void
batch_clear(struct batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		free(b->v[i].header);
	b->n = 0;
	b->bytes = 0;
}

/*
 * Store what the batch holds, the folder's sync point when last_uid != 0,
 * and a note of a skipped message when `key` is not NULL, in one transaction.
 */
static int
batch_store_noting(struct batch *b, uint32_t last_uid, uint64_t modseq, const char *key,
		   const char *value)
{
	struct sync_ctx *c = b->c;
	bool is_new;
	size_t i;

	if (b->n == 0 && last_uid == 0)
		return 0;
	if (store_begin(c->st) != STORE_OK)
		return -1;
	for (i = 0; i < b->n; i++) {
		if (store_add_message(c->st, b->folder_id, b->v[i].uid, b->v[i].internaldate,
				      b->v[i].header, b->v[i].len, &is_new) != STORE_OK)
			goto fail;
		if (is_new)
			b->added++;
		else
			b->known++;
	}
	if (last_uid != 0 &&
	    store_folder_syncpoint(c->st, b->folder_id, last_uid, modseq, kith_now()) != STORE_OK)
		goto fail;
	if (key && store_meta_set(c->st, key, value) != STORE_OK)
		goto fail;
	if (store_commit(c->st) != STORE_OK)
		goto fail;
	batch_clear(b);
	return 0;
fail:
	store_rollback(c->st);
	return -1;
}

static int
batch_store(struct batch *b, uint32_t last_uid, uint64_t modseq)
{
	return batch_store_noting(b, last_uid, modseq, NULL, NULL);
}

static int
cmp_uid32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
collect_one(void *ctx, uint32_t uid, int64_t internaldate, const char *header, size_t len)
{
	struct batch *b = ctx;
	const uint32_t *at = bsearch(&uid, b->uids, b->nuids, sizeof(*b->uids), cmp_uid32);
	struct pending *p;

	/* Only what was asked for, once: a server cannot slip in other UIDs. */
	if (!at || b->got[at - b->uids])
		return 0;
	b->got[at - b->uids] = true;
	b->v = xreallocarray(b->v, b->n + 1, sizeof(*b->v));
	p = &b->v[b->n++];
	p->uid = uid;
	p->internaldate = internaldate;
	p->header = xmalloc(len + 1);
	memcpy(p->header, header, len);
	p->header[len] = '\0';
	p->len = len;
	b->bytes += len + sizeof(*p);
	if (b->bytes > SYNC_BATCH_BYTES && batch_store(b, 0, 0) == -1)
		return -1;
	return 0;
}

static int
store_failed(struct sync_ctx *c, const char *folder)
{
	sb_reset(&c->im->err);
	sb_addf(&c->im->err, "cannot store messages of folder '%s' in the database", folder);
	return SYNC_FAILED;
}

/*
 * A fetch failed part-way.  The messages that arrived are kept, and the
 * sync point moves up to the first one that did not.  When the fetch keeps
 * failing at that same message, the message is what fails: it is recorded,
 * logged once and skipped, so that one message cannot stop the account.
 */
static int
fetch_failed(struct batch *b, const struct store_folder *sf, const char *folder)
{
	struct sync_ctx *c = b->c;
	struct account *a = c->a;
	uint32_t first_missing = 0, syncpoint = 0;
	char key[160], *value;
	size_t i;
	int rc;

	for (i = 0; i < b->nuids && !first_missing; i++)
		if (!b->got[i])
			first_missing = b->uids[i];
	if (!first_missing)
		return batch_store(b, b->uids[b->nuids - 1], sf->highestmodseq);
	if (first_missing - 1 > sf->last_uid)
		syncpoint = first_missing - 1;
	if (a->bad_folder == sf->id && a->bad_uid == first_missing) {
		a->bad_tries++;
	} else {
		a->bad_folder = sf->id;
		a->bad_uid = first_missing;
		a->bad_tries = 1;
	}
	if (a->bad_tries < SYNC_UNREADABLE_TRIES)
		return batch_store(b, syncpoint, sf->highestmodseq);

	log_warnx("%s: %s: skipping the message with UID %u, which could not be read %d times "
		  "in a row (%s)", a->cfg->name, folder, first_missing, a->bad_tries,
		  c->im->err.buf ? c->im->err.buf : "no reason given");
	snprintf(key, sizeof(key), "unreadable.%lld.%u.%u", (long long)sf->id, sf->uidvalidity,
		 first_missing);
	value = xasprintf("%lld %s", (long long)kith_now(), c->im->err.buf ? c->im->err.buf : "");
	a->bad_folder = 0;
	a->bad_uid = 0;
	a->bad_tries = 0;
	rc = batch_store_noting(b, first_missing, sf->highestmodseq, key, value);
	free(value);
	return rc;
}

int
sync_folder(struct sync_ctx *c, const struct sync_folder *f, const struct imap_mailbox *known)
{
	const char *acct = c->a->cfg->name;
	struct store_folder sf;
	struct imap_mailbox mb;
	struct batch b = { .c = c };
	uint32_t *uids = NULL;
	bool *got = NULL;
	size_t nuids = 0, i, n;
	int rc = SYNC_FAILED, r;

	if (store_folder(c->st, c->account_id, f->name, f->role, &sf) != STORE_OK)
		return store_failed(c, f->name);
	b.folder_id = sf.id;

	/* A STATUS just made says nothing changed: no need to even EXAMINE. */
	if (known && known->uidvalidity == sf.uidvalidity && known->uidnext != 0 &&
	    known->uidnext <= (uint64_t)sf.last_uid + 1) {
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

	/*
	 * UIDNEXT says whether anything arrived: then the SEARCH round trip is
	 * saved.  After UID 4294967295 nothing can arrive under this UIDVALIDITY,
	 * and "last_uid + 1" must not wrap to 0 (a search of every message).
	 */
	if ((mb.uidnext != 0 && mb.uidnext <= (uint64_t)sf.last_uid + 1) || sf.last_uid == UINT32_MAX) {
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
	got = xcalloc(SYNC_BATCH, sizeof(*got));

	for (i = 0; i < nuids; i += n) {
		bool last;

		if (atomic_load(&c->a->d->stop)) {
			rc = SYNC_STOPPED;
			goto out;
		}
		n = nuids - i < SYNC_BATCH ? nuids - i : SYNC_BATCH;
		last = i + n == nuids;
		account_status(c->a, "syncing %s: %s %zu/%zu", acct, f->name, i, nuids);
		memset(got, 0, n * sizeof(*got));
		b.uids = uids + i;
		b.got = got;
		b.nuids = n;
		r = imap_fetch_headers(c->im, uids + i, n, collect_one, &b);
		if (r != IMAP_OK) {
			if (r == IMAP_CALLBACK || fetch_failed(&b, &sf, f->name) == -1)
				rc = store_failed(c, f->name);
			goto out;
		}
		/* One transaction for the rest of the batch and its sync point: a crash loses nothing. */
		if (batch_store(&b, uids[i + n - 1], last ? mb.highestmodseq : sf.highestmodseq) == -1) {
			rc = store_failed(c, f->name);
			goto out;
		}
		sf.last_uid = uids[i + n - 1];
		if (c->a->bad_folder == sf.id)
			c->a->bad_folder = c->a->bad_tries = 0;
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
	batch_clear(&b);
	free(b.v);
	free(got);
	free(uids);
	store_folder_free(&sf);
	return rc;
}
