/*
 * sync.c - bring each of an account's folders into the store, batch by batch.
 *
 * Two threads share the work of a folder: this one reads the socket (UID
 * SEARCH in windows, UID FETCH in batches) while a writer thread stores the
 * batches already fetched, each in one transaction with the sync point it
 * reaches.  A bounded queue between them keeps memory flat and lets reading
 * and storing run at once.  Sync knows nothing of the daemon: it asks its
 * caller through struct sync_ctx whether to stop and where to report progress.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kith/ingest.h"
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
 * What the writer stores, in order: messages, then (when
 * syncpoint != 0) the folder's sync point, then (when note_key != NULL) a
 * note of a skipped message.  The sync point never runs ahead of the
 * messages it covers, so a kill at any moment loses and duplicates nothing.
 */
struct job {
	struct ingest_item *v;
	size_t n;
	uint32_t syncpoint;
	uint64_t modseq;
	char *note_key, *note_value;
	struct job *next;
};

struct writer {
	struct store *st;
	int64_t folder_id;
	pthread_t thread;
	bool running;
	pthread_mutex_t lock;
	pthread_cond_t cond;		/* signalled at every change below */
	struct job *head, *tail;
	size_t queued;
	bool closed;			/* nothing more will be queued */
	bool failed;			/* a job could not be stored: later ones are dropped */
	size_t added, known;		/* read only once the thread is joined */
};

/* The batch being fetched, on the reading side. */
struct batch {
	struct writer *w;
	const uint32_t *uids;		/* the UIDs asked for, ascending */
	bool *got;			/* got[i]: uids[i] arrived */
	size_t nuids;
	size_t prefix;			/* uids[0 .. prefix) have all arrived */
	uint64_t modseq;		/* the folder's HIGHESTMODSEQ as stored */
	struct store_packer *pk;	/* this thread's: messages are parsed and packed here */
	struct ingest_item *v;
	size_t n, bytes;
};

static void
items_free(struct ingest_item *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		ingest_item_free(&v[i]);
	free(v);
}

static void
job_free(struct job *j)
{
	items_free(j->v, j->n);
	free(j->note_key);
	free(j->note_value);
	free(j);
}

/*
 * Store a chain of jobs in one transaction.  When the writer falls behind,
 * the batches waiting are committed together: fewer commits, and the last
 * sync point still covers exactly the messages stored with it.
 */
static int
jobs_store(struct writer *w, const struct job *chain)
{
	const struct job *j;
	bool is_new;
	size_t i;

	if (store_begin(w->st) != STORE_OK)
		return -1;
	for (j = chain; j; j = j->next) {
		for (i = 0; i < j->n; i++) {
			if (ingest_store(w->st, w->folder_id, &j->v[i], &is_new) != STORE_OK)
				goto fail;
			if (is_new)
				w->added++;
			else
				w->known++;
		}
		if (j->syncpoint != 0 &&
		    store_folder_syncpoint(w->st, w->folder_id, j->syncpoint, j->modseq, kith_now()) != STORE_OK)
			goto fail;
		if (j->note_key && store_meta_set(w->st, j->note_key, j->note_value) != STORE_OK)
			goto fail;
	}
	if (store_commit(w->st) != STORE_OK)
		goto fail;
	return 0;
fail:
	store_rollback(w->st);
	return -1;
}

static void *
writer_main(void *arg)
{
	struct writer *w = arg;
	struct job *chain, *j;
	size_t n;
	bool ok;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->head && !w->closed)
			pthread_cond_wait(&w->cond, &w->lock);
		if (!w->head)
			break;
		chain = w->head;
		n = w->queued;
		w->head = w->tail = NULL;
		ok = !w->failed;
		pthread_mutex_unlock(&w->lock);
		if (ok)
			ok = jobs_store(w, chain) == 0;
		while ((j = chain)) {
			chain = j->next;
			job_free(j);
		}
		pthread_mutex_lock(&w->lock);
		w->queued -= n;
		if (!ok)
			w->failed = true;
		pthread_cond_broadcast(&w->cond);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static int
writer_start(struct writer *w, struct store *st, int64_t folder_id)
{
	memset(w, 0, sizeof(*w));
	w->st = st;
	w->folder_id = folder_id;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		pthread_mutex_destroy(&w->lock);
		pthread_cond_destroy(&w->cond);
		return -1;
	}
	w->running = true;
	return 0;
}

/* Let the writer store what is queued, and wait for it; -1 when something could not be stored. */
static int
writer_finish(struct writer *w)
{
	if (!w->running)
		return 0;
	pthread_mutex_lock(&w->lock);
	w->closed = true;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	w->running = false;
	return w->failed ? -1 : 0;
}

/* Hand a job to the writer, waiting while the queue is full; -1 (job freed) once storing failed. */
static int
writer_put(struct writer *w, struct job *j)
{
	pthread_mutex_lock(&w->lock);
	while (w->queued >= SYNC_QUEUE && !w->failed)
		pthread_cond_wait(&w->cond, &w->lock);
	if (w->failed) {
		pthread_mutex_unlock(&w->lock);
		job_free(j);
		return -1;
	}
	j->next = NULL;
	if (w->tail)
		w->tail->next = j;
	else
		w->head = j;
	w->tail = j;
	w->queued++;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	return 0;
}

static bool
writer_failed(struct writer *w)
{
	bool failed;

	pthread_mutex_lock(&w->lock);
	failed = w->failed;
	pthread_mutex_unlock(&w->lock);
	return failed;
}

/*
 * Queue what the batch holds, with the sync point when syncpoint != 0 and a
 * note of a skipped message when `key` is not NULL, as one transaction.
 */
static int
batch_store_noting(struct batch *b, uint32_t syncpoint, uint64_t modseq, const char *key,
		   const char *value)
{
	struct job *j;

	if (b->n == 0 && syncpoint == 0)
		return 0;
	j = xcalloc(1, sizeof(*j));
	j->v = b->v;
	j->n = b->n;
	j->syncpoint = syncpoint;
	j->modseq = modseq;
	if (key) {
		j->note_key = xstrdup(key);
		j->note_value = xstrdup(value);
	}
	b->v = NULL;
	b->n = 0;
	b->bytes = 0;
	return writer_put(b->w, j);
}

static int
batch_store(struct batch *b, uint32_t syncpoint, uint64_t modseq)
{
	return batch_store_noting(b, syncpoint, modseq, NULL, NULL);
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
	struct ingest_item *it;

	/* Only what was asked for, once: a server cannot slip in other UIDs. */
	if (!at || b->got[at - b->uids])
		return 0;
	b->got[at - b->uids] = true;
	while (b->prefix < b->nuids && b->got[b->prefix])
		b->prefix++;
	if (b->n == 0)
		b->v = xreallocarray(NULL, SYNC_BATCH, sizeof(*b->v));
	it = &b->v[b->n++];
	/* Parsed and packed here, on the reading thread, while the writer stores. */
	ingest_prepare(b->pk, uid, internaldate, header, len, it);
	b->bytes += len + it->packed_len + sizeof(*it);
	/*
	 * Every SYNC_BATCH messages (or sooner when headers are huge) the batch
	 * goes to the writer while the answer keeps streaming in, with the sync
	 * point every UID asked for up to which has arrived (none: 0).
	 */
	if ((b->n == SYNC_BATCH || b->bytes > SYNC_BATCH_BYTES) &&
	    batch_store(b, b->prefix ? b->uids[b->prefix - 1] : 0, b->modseq) == -1)
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
fetch_failed(struct sync_ctx *c, struct batch *b, const struct store_folder *sf, const char *folder)
{
	struct sync_unreadable *bad = c->bad;
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
	if (bad->folder == sf->id && bad->uid == first_missing) {
		bad->tries++;
	} else {
		bad->folder = sf->id;
		bad->uid = first_missing;
		bad->tries = 1;
	}
	if (bad->tries < SYNC_UNREADABLE_TRIES)
		return batch_store(b, syncpoint, sf->highestmodseq);

	log_warnx("%s: %s: skipping the message with UID %u, which could not be read %d times "
		  "in a row (%s)", c->name, folder, first_missing, bad->tries,
		  c->im->err.buf ? c->im->err.buf : "no reason given");
	snprintf(key, sizeof(key), "unreadable.%lld.%u.%u", (long long)sf->id, sf->uidvalidity,
		 first_missing);
	value = xasprintf("%lld %s", (long long)kith_now(), c->im->err.buf ? c->im->err.buf : "");
	bad->folder = 0;
	bad->uid = 0;
	bad->tries = 0;
	rc = batch_store_noting(b, first_missing, sf->highestmodseq, key, value);
	free(value);
	return rc;
}

/*
 * The UIDs of a folder are searched in windows, so that a folder of a
 * million messages never has its whole SEARCH answer in memory: about
 * SYNC_WINDOW messages a window when UIDs are dense, a wider window of UIDs
 * when they are sparse (as on Gmail's All Mail).  The last window is open
 * ("first:*"), so that mail arriving meanwhile is not missed.
 */
static uint32_t
window_width(uint32_t from, const struct imap_mailbox *mb)
{
	const char *env = getenv("KITHD_SEARCH_WINDOW");	/* for tests: small windows */
	uint64_t span, width = env && atoi(env) > 0 ? (uint64_t)atoi(env) : SYNC_WINDOW;
	uint64_t base = width;

	if (mb->uidnext > from && mb->exists > 0) {
		span = (uint64_t)mb->uidnext - from;
		if (span / mb->exists > 1)
			width = base * (span / mb->exists);
	}
	return width > UINT32_MAX ? UINT32_MAX : (uint32_t)width;
}

/*
 * Fetch `uids`, SYNC_FETCH in one UID FETCH (a round trip per command: the
 * server would sit idle between small ones), and queue them in batches
 * with their sync points.
 */
static int
fetch_window(struct sync_ctx *c, struct batch *b, struct store_folder *sf, const char *folder,
	     const uint32_t *uids, size_t nuids, bool last_window, uint64_t modseq, size_t *done,
	     size_t total)
{
	bool got[SYNC_FETCH];
	size_t i, n;
	int r;

	for (i = 0; i < nuids; i += n) {
		bool last;

		if (c->stopped && c->stopped(c->hook_ctx))
			return SYNC_STOPPED;
		if (writer_failed(b->w))
			return store_failed(c, folder);
		n = nuids - i < SYNC_FETCH ? nuids - i : SYNC_FETCH;
		last = last_window && i + n == nuids;
		if (c->progress)
			c->progress(c->hook_ctx, folder, *done, total);
		memset(got, 0, n * sizeof(*got));
		b->uids = uids + i;
		b->got = got;
		b->nuids = n;
		b->prefix = 0;
		b->modseq = sf->highestmodseq;
		r = imap_fetch_headers(c->im, uids + i, n, collect_one, b);
		if (r != IMAP_OK) {
			if (r == IMAP_CALLBACK || fetch_failed(c, b, sf, folder) == -1)
				return store_failed(c, folder);
			return SYNC_FAILED;
		}
		/* The rest of the answer and its sync point go in one transaction. */
		if (batch_store(b, uids[i + n - 1], last ? modseq : sf->highestmodseq) == -1)
			return store_failed(c, folder);
		sf->last_uid = uids[i + n - 1];
		*done += n;
		if (c->bad->folder == sf->id)
			c->bad->folder = c->bad->tries = 0;
	}
	return SYNC_OK;
}

int
sync_folder(struct sync_ctx *c, const struct sync_folder *f, const struct imap_mailbox *known)
{
	const char *acct = c->name;
	struct store_folder sf;
	struct imap_mailbox mb;
	struct writer w = { 0 };
	struct batch b = { .w = &w };
	uint32_t *uids = NULL, from, width, upto;
	size_t nuids = 0, done = 0, total;
	int rc = SYNC_FAILED, r;

	if (store_folder(c->st, c->account_id, f->name, f->role, &sf) != STORE_OK)
		return store_failed(c, f->name);

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

	/* From here the writer thread alone uses the store, until writer_finish(). */
	if (writer_start(&w, c->st, sf.id) == -1) {
		rc = store_failed(c, f->name);
		goto out;
	}
	b.pk = store_packer_new();
	from = sf.last_uid + 1;
	width = window_width(from, &mb);
	total = mb.uidnext > from ? mb.uidnext - from : mb.exists;
	if (total > mb.exists)
		total = mb.exists;
	for (;;) {
		bool open = mb.uidnext == 0 || (uint64_t)from + width >= mb.uidnext;

		upto = open ? 0 : from + width - 1;
		free(uids);
		uids = NULL;
		if ((r = imap_search_range(c->im, from, upto, &uids, &nuids)) != IMAP_OK)
			goto out;
		if (nuids > 0 && open)
			log_debug("%s: %s: %zu messages to fetch in UIDs %u:*", acct, f->name, nuids, from);
		else if (nuids > 0)
			log_debug("%s: %s: %zu messages to fetch in UIDs %u:%u", acct, f->name, nuids, from, upto);
		rc = fetch_window(c, &b, &sf, f->name, uids, nuids, open, mb.highestmodseq, &done, total);
		if (rc != SYNC_OK || open)
			break;
		from = upto + 1;
	}
out:
	if (writer_finish(&w) == -1 && rc != SYNC_FAILED)
		rc = store_failed(c, f->name);
	if (w.added + w.known > 0 && rc == SYNC_OK) {
		if (w.known)
			log_info("%s: %s: %zu new messages (%zu already known)", acct, f->name, w.added, w.known);
		else
			log_info("%s: %s: %zu new messages", acct, f->name, w.added);
	}
	if (w.added + w.known > 0 && ingest_done(c->st) != STORE_OK && rc == SYNC_OK)
		rc = store_failed(c, f->name);
	items_free(b.v, b.n);
	store_packer_free(b.pk);
	free(uids);
	store_folder_free(&sf);
	return rc;
}
