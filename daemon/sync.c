/* sync.c - choose an account's folders and bring each into the store, batch by batch. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kith/people.h"
#include "kith/store.h"
#include "kithd.h"

/* Sent folders of servers without SPECIAL-USE, by the names clients give them. */
static const char *const sent_names[] = {
	"Sent", "Sent Items", "Sent Messages", "[Gmail]/Sent Mail", "INBOX.Sent", "INBOX/Sent",
};

static const char *
role_of(unsigned flags)
{
	if (flags & FOLDER_INBOX)
		return "inbox";
	if (flags & FOLDER_ALL)
		return "all";
	if (flags & FOLDER_SENT)
		return "sent";
	if (flags & FOLDER_ARCHIVE)
		return "archive";
	return NULL;
}

static bool
excluded(const struct kith_account *acct, const struct imap_folder *f)
{
	size_t i;

	for (i = 0; i < acct->exclude.n; i++)
		if (str_ieq(acct->exclude.v[i], f->name))
			return true;
	return false;
}

static void
add(struct sync_folder **v, size_t *n, const char *name, const char *role)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i].name, name) == 0)
			return;
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[*n].name = xstrdup(name);
	(*v)[*n].role = role;
	(*n)++;
}

int
sync_discover(struct imap *im, const struct kith_account *acct, struct sync_folder **out,
	      size_t *n, char **missing)
{
	struct imap_folder *all = NULL;
	struct strbuf miss = { 0 };
	size_t nall = 0, i, j;
	const struct imap_folder *gmail_all = NULL;
	bool have_sent = false;
	int r;

	*out = NULL;
	*n = 0;
	*missing = NULL;
	if ((r = imap_list(im, &all, &nall)) != IMAP_OK)
		return r;

	if (!acct->folders_auto) {
		for (i = 0; i < acct->folders.n; i++) {
			const char *want = acct->folders.v[i];
			const struct imap_folder *f = NULL;

			for (j = 0; j < nall && !f; j++)
				if (strcmp(all[j].name, want) == 0 ||
				    ((all[j].flags & FOLDER_INBOX) && str_ieq(want, "INBOX")))
					f = &all[j];
			if (!f || (f->flags & FOLDER_NOSELECT)) {
				log_error("%s: folder '%s' does not exist on %s", acct->name, want, acct->host);
				sb_addf(&miss, "%sfolder '%s' does not exist on %s", miss.len ? "; " : "",
					want, acct->host);
				continue;
			}
			if (!excluded(acct, f))
				add(out, n, f->name, role_of(f->flags));
		}
		goto out;
	}

	for (i = 0; i < nall; i++)
		if ((all[i].flags & FOLDER_ALL) && !(all[i].flags & FOLDER_NOSELECT) && !excluded(acct, &all[i]))
			gmail_all = &all[i];
	if (gmail_all) {
		/*
		 * "All Mail" holds INBOX and Sent too, so INBOX is not read again.
		 * Sent is, though only its headers: being in Sent is how kith learns
		 * the user's other addresses, and its messages are known by
		 * Message-ID already, so nothing is counted twice.
		 */
		add(out, n, gmail_all->name, "all");
		for (i = 0; i < nall; i++)
			if ((all[i].flags & FOLDER_SENT) && !(all[i].flags & FOLDER_NOSELECT) &&
			    !excluded(acct, &all[i]))
				add(out, n, all[i].name, "sent");
		goto out;
	}
	for (i = 0; i < nall; i++) {
		const struct imap_folder *f = &all[i];

		if (f->flags & (FOLDER_NOSELECT | FOLDER_JUNK | FOLDER_TRASH | FOLDER_DRAFTS))
			continue;
		if (excluded(acct, f))
			continue;
		if (f->flags & (FOLDER_INBOX | FOLDER_SENT | FOLDER_ARCHIVE))
			add(out, n, f->name, role_of(f->flags));
		if (f->flags & FOLDER_SENT)
			have_sent = true;
	}
	for (j = 0; j < ARRAY_SIZE(sent_names) && !have_sent; j++) {
		for (i = 0; i < nall; i++) {
			const struct imap_folder *f = &all[i];

			if (strcmp(f->name, sent_names[j]) != 0 ||
			    (f->flags & (FOLDER_NOSELECT | FOLDER_JUNK | FOLDER_TRASH | FOLDER_DRAFTS)) ||
			    excluded(acct, f))
				continue;
			add(out, n, f->name, "sent");
			have_sent = true;
			break;
		}
	}
out:
	imap_folders_free(all, nall);
	if (miss.len)
		*missing = sb_detach(&miss);
	sb_free(&miss);
	return IMAP_OK;
}

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
			log_info("%s: %s: UIDVALIDITY changed (%u to %u), reading the folder again",
				 acct, f->name, sf.uidvalidity, mb.uidvalidity);
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
