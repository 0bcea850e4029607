/* kith-ingest.c - build a kith database from Maildirs, without IMAP, for tests and benchmarks. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kith/config.h"
#include "kith/header.h"
#include "kith/ingest.h"
#include "kith/people.h"
#include "kith/store.h"
#include "kith/util.h"

#define BATCH 500
#define MAX_FILE (1024 * 1024)

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files of DIR/cur and DIR/new, sorted by name (Maildir names sort by arrival). */
static size_t
list_messages(const char *dir, char ***out)
{
	static const char *const subs[] = { "cur", "new" };
	char **v = NULL, *sub;
	struct dirent *de;
	size_t n = 0, i;
	DIR *d;

	for (i = 0; i < ARRAY_SIZE(subs); i++) {
		sub = xasprintf("%s/%s", dir, subs[i]);
		d = opendir(sub);
		if (!d) {
			if (errno != ENOENT)
				fatal("cannot read '%s'", sub);
			free(sub);
			continue;
		}
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			v = xreallocarray(v, n + 1, sizeof(char *));
			v[n++] = xasprintf("%s/%s", sub, de->d_name);
		}
		closedir(d);
		free(sub);
	}
	if (n)
		qsort(v, n, sizeof(char *), by_name);
	*out = v;
	return n;
}

static bool
fetched_field(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < header_fetch_nfields; i++)
		if (strlen(header_fetch_fields[i]) == len && strncasecmp(header_fetch_fields[i], name, len) == 0)
			return true;
	return false;
}

/*
 * Keep only the header fields kithd fetches (BODY.PEEK[HEADER.FIELDS (...)]),
 * with their continuation lines, so the store sees what IMAP would give it.
 */
static void
header_fields(const char *msg, size_t len, struct strbuf *out)
{
	const char *p = msg, *end = msg + len, *eol, *colon;
	bool keep = false;

	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		eol = eol ? eol + 1 : end;
		if (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n'))
			break;	/* the blank line ending the header */
		if (*p == ' ' || *p == '\t') {
			if (keep)
				sb_add(out, p, (size_t)(eol - p));
		} else {
			colon = memchr(p, ':', (size_t)(eol - p));
			keep = colon && fetched_field(p, (size_t)(colon - p));
			if (keep)
				sb_add(out, p, (size_t)(eol - p));
		}
		p = eol;
	}
	sb_adds(out, "\r\n");
}

static char *
slurp(const char *path, size_t *len, int64_t *mtime)
{
	struct stat st;
	char *buf;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1 || fstat(fd, &st) == -1)
		fatal("cannot read '%s'", path);
	*len = st.st_size > MAX_FILE ? MAX_FILE : (size_t)st.st_size;
	*mtime = (int64_t)st.st_mtime;
	buf = xmalloc(*len + 1);
	n = read(fd, buf, *len);
	if (n < 0)
		fatal("cannot read '%s'", path);
	*len = (size_t)n;
	buf[*len] = '\0';
	close(fd);
	return buf;
}

static int
ingest_dir(struct store *st, int64_t account, const char *arg, size_t *total)
{
	char *dir = xstrdup(arg), *eq = strchr(dir, '='), **files = NULL, *msg;
	const char *role = NULL, *name;
	struct store_folder folder = { 0 };
	struct strbuf hdr = { 0 };
	size_t n, i, len;
	int64_t mtime, newest = 0;
	int rc;

	if (eq) {
		*eq = '\0';
		role = eq + 1;
	}
	name = role ? role : (strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir);
	n = list_messages(dir, &files);
	if ((rc = store_begin(st)) != STORE_OK)
		goto out;
	if ((rc = store_folder(st, account, name, role, &folder)) != STORE_OK)
		goto out;
	for (i = 0; i < n; i++) {
		msg = slurp(files[i], &len, &mtime);
		sb_reset(&hdr);
		header_fields(msg, len, &hdr);
		free(msg);
		if (mtime > newest)
			newest = mtime;
		rc = ingest_message(st, folder.id, folder.last_uid + (uint32_t)i + 1, mtime, hdr.buf,
				       hdr.len, NULL);
		if (rc != STORE_OK)
			goto out;
		/* Commit in batches, with the sync point, as kithd does. */
		if ((i + 1) % BATCH == 0 || i + 1 == n) {
			rc = store_folder_syncpoint(st, folder.id, folder.last_uid + (uint32_t)i + 1, 0,
						    kith_now());
			if (rc == STORE_OK)
				rc = store_commit(st);
			if (rc == STORE_OK)
				rc = ingest_done(st);
			if (rc == STORE_OK && i + 1 < n)
				rc = store_begin(st);
			if (rc != STORE_OK)
				goto out;
		}
	}
	if (n == 0)
		rc = store_commit(st);
	*total += n;
out:
	if (rc != STORE_OK)
		store_rollback(st);
	store_folder_free(&folder);
	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
	sb_free(&hdr);
	free(dir);
	return rc;
}

/*
 * Every message of every folder, one at a time in an order shuffled by
 * `seed`, each committed on its own and followed by people_sync_done: mail
 * as IDLE brings it, in any order.
 */
static int
ingest_shuffled(struct store *st, int64_t account, char **args, int nargs, unsigned long seed, size_t *total)
{
	struct item {
		size_t dir;
		char *path;
	} *items = NULL;
	struct store_folder *folders = xcalloc((size_t)nargs, sizeof(*folders));
	uint32_t *uids = xcalloc((size_t)nargs, sizeof(*uids));
	struct strbuf hdr = { 0 };
	size_t n = 0, i, j, k, nf;
	char **files, *msg;
	int64_t mtime;
	int rc = STORE_OK;

	for (i = 0; i < (size_t)nargs && rc == STORE_OK; i++) {
		char *dir = xstrdup(args[i]), *eq = strchr(dir, '=');
		const char *role = NULL;

		if (eq) {
			*eq = '\0';
			role = eq + 1;
		}
		if ((rc = store_begin(st)) == STORE_OK &&
		    (rc = store_folder(st, account, role ? role : dir, role, &folders[i])) == STORE_OK)
			rc = store_commit(st);
		nf = list_messages(dir, &files);
		for (k = 0; k < nf; k++) {
			items = xreallocarray(items, n + 1, sizeof(*items));
			items[n].dir = i;
			items[n++].path = files[k];
		}
		free(files);
		free(dir);
	}
	/* Fisher-Yates with a 64-bit LCG: the same seed, the same order. */
	for (i = n; i > 1 && rc == STORE_OK; i--) {
		struct item t;

		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		j = (size_t)((seed >> 33) % i);
		t = items[i - 1];
		items[i - 1] = items[j];
		items[j] = t;
	}
	for (i = 0; i < n && rc == STORE_OK; i++) {
		size_t len;
		struct store_folder *f = &folders[items[i].dir];

		msg = slurp(items[i].path, &len, &mtime);
		sb_reset(&hdr);
		header_fields(msg, len, &hdr);
		free(msg);
		uids[items[i].dir]++;
		if ((rc = store_begin(st)) != STORE_OK)
			break;
		rc = ingest_message(st, f->id, uids[items[i].dir], mtime, hdr.buf, hdr.len, NULL);
		if (rc == STORE_OK)
			rc = store_folder_syncpoint(st, f->id, uids[items[i].dir], 0, kith_now());
		if (rc == STORE_OK)
			rc = store_commit(st);
		else
			store_rollback(st);
		if (rc == STORE_OK)
			rc = ingest_done(st);
	}
	*total += n;
	for (i = 0; i < n; i++)
		free(items[i].path);
	for (i = 0; i < (size_t)nargs; i++)
		store_folder_free(&folders[i]);
	free(items);
	free(folders);
	free(uids);
	sb_free(&hdr);
	return rc;
}

int
main(int argc, char **argv)
{
	struct kith_config *cfg = NULL;
	struct strbuf errors = { 0 };
	const char *config = NULL;
	struct store *st = NULL;
	int64_t account;
	size_t total = 0;
	int i = 1, rc;
	struct timespec t0, t1;
	unsigned long seed = 0;
	bool shuffle = false;

	log_init("kith-ingest", 0);
	for (;;) {
		if (argc - i > 1 && strcmp(argv[i], "-c") == 0) {
			config = argv[i + 1];
			i += 2;
		} else if (argc - i > 1 && strcmp(argv[i], "-s") == 0) {
			seed = strtoul(argv[i + 1], NULL, 10);
			shuffle = true;
			i += 2;
		} else {
			break;
		}
	}
	if (argc - i < 2) {
		fprintf(stderr, "usage: kith-ingest [-c CONFIG] [-s SEED] DB MAILDIR[=ROLE]...\n"
				"  ROLE: inbox, sent, archive or all; the folder is named after it\n"
				"  -s SEED: one message at a time, every folder shuffled together\n");
		return 2;
	}
	if (config_load(config, &cfg, &errors) == -1) {
		fputs(errors.buf ? errors.buf : "configuration error\n", stderr);
		return 78;
	}
	sb_free(&errors);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((rc = store_open(argv[i], STORE_WRITE, cfg, &st)) != STORE_OK)
		goto out;
	if ((rc = store_account(st, "local", &account)) != STORE_OK)
		goto out;
	if (shuffle && (rc = ingest_shuffled(st, account, argv + i + 1, argc - i - 1, seed, &total)) != STORE_OK)
		goto out;
	for (i++; !shuffle && i < argc; i++)
		if ((rc = ingest_dir(st, account, argv[i], &total)) != STORE_OK)
			goto out;
	rc = store_account_status(st, account, kith_now(), NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "kith-ingest: %zu messages in %.2f s\n", total,
		(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
out:
	store_close(st);
	config_free(cfg);
	return rc == STORE_OK ? 0 : 1;
}
