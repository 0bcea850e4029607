/* testdb.h - a throwaway kith database for the C tests, filled message by message. */
#ifndef KITH_TESTDB_H
#define KITH_TESTDB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kith/config.h"
#include "kith/ingest.h"
#include "kith/people.h"
#include "kith/store.h"
#include "kith/util.h"

struct testdb {
	char dir[64];
	char *config_path, *db_path;
	struct kith_config *cfg;
	struct store *st;
	int64_t inbox, sent, archive;	/* folders of account "personal", with their roles */
	uint32_t next_uid;
	int64_t now;
};

static int64_t
testdb_folder(struct testdb *t, int64_t account, const char *name, const char *role)
{
	struct store_folder f;
	int64_t id;

	if (store_folder(t->st, account, name, role, &f) != STORE_OK)
		abort();
	id = f.id;
	store_folder_free(&f);
	return id;
}

/*
 * A temporary directory named after `name` holding `config` as the
 * configuration and a database with one account and its INBOX, Sent and
 * Archive.  KITH_NOW is set to `now`.  0, or -1 after saying why.
 */
static int __attribute__((unused))
testdb_open(struct testdb *t, const char *name, int64_t now, const char *config)
{
	struct strbuf errs = { 0 };
	char nowtext[32];
	int64_t account;
	FILE *fp;

	memset(t, 0, sizeof(*t));
	t->now = now;
	t->next_uid = 1;
	snprintf(nowtext, sizeof(nowtext), "%lld", (long long)now);
	setenv("KITH_NOW", nowtext, 1);
	snprintf(t->dir, sizeof(t->dir), "/tmp/kith-%s-XXXXXX", name);
	if (!mkdtemp(t->dir))
		abort();
	t->config_path = xasprintf("%s/config", t->dir);
	t->db_path = xasprintf("%s/kith.db", t->dir);
	if (!(fp = fopen(t->config_path, "w")))
		abort();
	fputs(config, fp);
	fclose(fp);
	if (config_load(t->config_path, &t->cfg, &errs) != 0) {
		printf("# %s\n", errs.buf);
		sb_free(&errs);
		return -1;
	}
	if (store_open(t->db_path, STORE_WRITE, t->cfg, &t->st) != STORE_OK ||
	    store_account(t->st, "personal", &account) != STORE_OK) {
		printf("# cannot open the database '%s'\n", t->db_path);
		return -1;
	}
	t->inbox = testdb_folder(t, account, "INBOX", "inbox");
	t->sent = testdb_folder(t, account, "Sent", "sent");
	t->archive = testdb_folder(t, account, "Archive", "archive");
	return 0;
}

/*
 * Store the header block `header` in `folder`, dated `days_ago` days
 * before now (a Date: line is appended).  Returns whether it was new.
 */
static bool __attribute__((unused))
testdb_add(struct testdb *t, int64_t folder, double days_ago, const char *header)
{
	time_t when = (time_t)(t->now - (int64_t)(days_ago * DAY_SECS));
	char date[64], *raw;
	bool is_new = false;
	struct tm tm;

	gmtime_r(&when, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	raw = xasprintf("%sDate: %s\n", header, date);
	/* With the folder's sync point, as kithd commits them together. */
	if (ingest_message(t->st, folder, t->next_uid, (int64_t)when, raw, strlen(raw), &is_new) != STORE_OK ||
	    store_folder_syncpoint(t->st, folder, t->next_uid, 0, t->now) != STORE_OK)
		printf("# ingest_message failed for:\n%s", raw);
	t->next_uid++;
	free(raw);
	return is_new;
}

/* testdb_add with the header written from a printf format. */
static bool __attribute__((unused, format(printf, 4, 5)))
testdb_addf(struct testdb *t, int64_t folder, double days_ago, const char *fmt, ...)
{
	char *header;
	va_list ap;
	bool is_new;

	va_start(ap, fmt);
	if (vasprintf(&header, fmt, ap) < 0)
		abort();
	va_end(ap);
	is_new = testdb_add(t, folder, days_ago, header);
	free(header);
	return is_new;
}

/* The id of the one person WHO names at t->now, or 0. */
static int64_t __attribute__((unused))
testdb_who(struct testdb *t, const char *w)
{
	struct person_list c = { 0 };
	int64_t id = 0;
	int rc = people_resolve(t->st, w, t->now, &id, &c);

	person_list_free(&c);
	return rc == RESOLVE_OK ? id : 0;
}

/* That person, all zero when there is none (person_free() it). */
static struct person __attribute__((unused))
testdb_person(struct testdb *t, const char *w)
{
	struct person p = { 0 };
	int64_t id = testdb_who(t, w);

	if (!id || people_get(t->st, id, t->now, &p) != STORE_OK)
		memset(&p, 0, sizeof(p));
	return p;
}

/* "owed EMAIL SINCE" and "awaiting EMAIL SINCE" lines of people_replies at `now`, onto sb. */
static void __attribute__((unused))
testdb_dump_replies(struct store *st, int64_t now, struct strbuf *sb)
{
	struct reply_list owed = { 0 }, awaiting = { 0 };
	size_t i;

	if (people_replies(st, now, &owed, &awaiting) == STORE_OK) {
		for (i = 0; i < owed.n; i++)
			sb_addf(sb, "owed %s %lld\n", owed.v[i].email, (long long)owed.v[i].since);
		for (i = 0; i < awaiting.n; i++)
			sb_addf(sb, "awaiting %s %lld\n", awaiting.v[i].email, (long long)awaiting.v[i].since);
	}
	reply_list_free(&owed);
	reply_list_free(&awaiting);
}

/* Close the database and remove every file of it. */
static void __attribute__((unused))
testdb_close(struct testdb *t)
{
	static const char *const suffixes[] = { "", "-wal", "-shm" };
	size_t i;
	char *p;

	store_close(t->st);
	config_free(t->cfg);
	for (i = 0; i < ARRAY_SIZE(suffixes); i++) {
		p = xasprintf("%s%s", t->db_path, suffixes[i]);
		unlink(p);
		free(p);
	}
	unlink(t->config_path);
	rmdir(t->dir);
	free(t->db_path);
	free(t->config_path);
}

#endif
