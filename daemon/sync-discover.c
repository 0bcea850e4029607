/* sync-discover.c - which folders of an account kithd reads, and why. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kithd.h"

/*
 * Folders of servers without SPECIAL-USE, by the names clients give them,
 * most usual first.  Courier and other Maildir++ servers keep every folder
 * under "INBOX." (hence the prefixed names); Gmail's names are found even
 * when its flags are not.  Compared without regard to case.
 */
static const char *const sent_names[] = {
	"Sent", "Sent Items", "Sent Messages", "Sent Mail", "[Gmail]/Sent Mail",
	"[Google Mail]/Sent Mail", "INBOX.Sent", "INBOX.Sent Items", "INBOX.Sent Messages",
	"INBOX.Sent Mail", "INBOX/Sent", "INBOX/Sent Items", "INBOX/Sent Messages",
};
static const char *const archive_names[] = {
	"Archive", "Archives", "INBOX.Archive", "INBOX.Archives", "INBOX/Archive", "INBOX/Archives",
};
static const char *const all_names[] = {
	"[Gmail]/All Mail", "[Google Mail]/All Mail",
};

/* Folders never read, whatever the configuration says. */
#define FOLDER_NEVER	(FOLDER_JUNK | FOLDER_TRASH | FOLDER_DRAFTS)

static bool
named(const char *name, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (str_ieq(name, names[i]))
			return true;
	return false;
}

/* The role a folder's flags give it, else its name, else NULL; *why says which. */
static const char *
role_of(const struct imap_folder *f, const char **why)
{
	*why = "flag";
	if (f->flags & FOLDER_INBOX) {
		*why = "INBOX";
		return "inbox";
	}
	if (f->flags & FOLDER_ALL)
		return "all";
	if (f->flags & FOLDER_SENT)
		return "sent";
	if (f->flags & FOLDER_ARCHIVE)
		return "archive";
	*why = "name";
	if (named(f->name, all_names, ARRAY_SIZE(all_names)))
		return "all";
	if (named(f->name, sent_names, ARRAY_SIZE(sent_names)))
		return "sent";
	if (named(f->name, archive_names, ARRAY_SIZE(archive_names)))
		return "archive";
	*why = NULL;
	return NULL;
}

/* Why a folder with these flags is never read, or NULL. */
static const char *
never_read(unsigned flags)
{
	if (flags & FOLDER_NOSELECT)
		return "cannot be selected";
	if (flags & FOLDER_JUNK)
		return "\\Junk";
	if (flags & FOLDER_TRASH)
		return "\\Trash";
	if (flags & FOLDER_DRAFTS)
		return "\\Drafts";
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

static bool
chosen(const struct sync_folder *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return true;
	return false;
}

static void
add(struct sync_folder **v, size_t *n, const char *name, const char *role, const char *why)
{
	if (chosen(*v, *n, name))
		return;
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[*n].name = xstrdup(name);
	(*v)[*n].role = role;
	(*v)[*n].why = why;
	(*n)++;
}

/* The first folder of `role` found by name alone, among those not flagged otherwise. */
static const struct imap_folder *
by_name(const struct kith_account *acct, const struct imap_folder *all, size_t nall,
	const char *const *names, size_t nnames)
{
	size_t i, j;

	for (j = 0; j < nnames; j++)
		for (i = 0; i < nall; i++)
			if (str_ieq(all[i].name, names[j]) && !(all[i].flags & (FOLDER_NEVER | FOLDER_NOSELECT)) &&
			    !excluded(acct, &all[i]))
				return &all[i];
	return NULL;
}

/*
 * folders = auto: INBOX and the folders flagged \Sent or \Archive; where
 * none is flagged \Sent (or \Archive), the first well-known name.  With a
 * folder flagged (or named) \All, that folder and Sent only.
 */
static void
choose_auto(const struct kith_account *acct, const struct imap_folder *all, size_t nall,
	    struct sync_folder **out, size_t *n)
{
	const struct imap_folder *f, *all_mail = NULL;
	bool have_sent = false, have_archive = false;
	const char *role, *why;
	size_t i;

	for (i = 0; i < nall; i++) {
		f = &all[i];
		if (never_read(f->flags) || excluded(acct, f))
			continue;
		role = role_of(f, &why);
		if (role && strcmp(role, "all") == 0 && (!all_mail || strcmp(why, "flag") == 0))
			all_mail = f;
		if (f->flags & FOLDER_SENT)
			have_sent = true;
		if (f->flags & FOLDER_ARCHIVE)
			have_archive = true;
	}
	if (all_mail) {
		/*
		 * "All Mail" holds INBOX and Sent too, so INBOX is not read again.
		 * Sent is, though only its headers: being in Sent is how kith learns
		 * the user's other addresses, and its messages are known by
		 * Message-ID already, so nothing is counted twice.
		 */
		role_of(all_mail, &why);
		add(out, n, all_mail->name, "all", why);
		for (i = 0; i < nall; i++)
			if ((all[i].flags & FOLDER_SENT) && !never_read(all[i].flags) && !excluded(acct, &all[i]))
				add(out, n, all[i].name, "sent", "flag");
		if (!have_sent && (f = by_name(acct, all, nall, sent_names, ARRAY_SIZE(sent_names))))
			add(out, n, f->name, "sent", "name");
		return;
	}
	for (i = 0; i < nall; i++) {
		f = &all[i];
		if (never_read(f->flags) || excluded(acct, f))
			continue;
		if (f->flags & (FOLDER_INBOX | FOLDER_SENT | FOLDER_ARCHIVE)) {
			role = role_of(f, &why);
			add(out, n, f->name, role, why);
		}
	}
	if (!have_sent && (f = by_name(acct, all, nall, sent_names, ARRAY_SIZE(sent_names))))
		add(out, n, f->name, "sent", "name");
	if (!have_archive && (f = by_name(acct, all, nall, archive_names, ARRAY_SIZE(archive_names))))
		add(out, n, f->name, "archive", "name");
}

/* folders = a list: those folders, each with the role its flags or name give it. */
static void
choose_listed(const struct kith_account *acct, const struct imap_folder *all, size_t nall,
	      struct sync_folder **out, size_t *n, struct strbuf *miss)
{
	const struct imap_folder *f;
	const char *role, *why;
	size_t i, j;

	for (i = 0; i < acct->folders.n; i++) {
		const char *want = acct->folders.v[i];

		f = NULL;
		for (j = 0; j < nall && !f; j++)
			if (strcmp(all[j].name, want) == 0 ||
			    ((all[j].flags & FOLDER_INBOX) && str_ieq(want, "INBOX")))
				f = &all[j];
		if (!f || (f->flags & FOLDER_NOSELECT)) {
			log_error("%s: folder '%s' does not exist on %s", acct->name, want, acct->host);
			sb_addf(miss, "%sfolder '%s' does not exist on %s", miss->len ? "; " : "",
				want, acct->host);
			continue;
		}
		if (excluded(acct, f))
			continue;
		role = role_of(f, &why);
		add(out, n, f->name, role, role ? why : "listed");
	}
}

/*
 * A folder's name as the server sent it, quoted, without its control
 * characters (C0, DEL, and C1 in UTF-8: a terminal takes U+009B for an
 * escape): names go to a terminal and a log.
 */
static void
add_name(struct strbuf *sb, const char *name)
{
	const unsigned char *p;

	sb_addc(sb, '\'');
	for (p = (const unsigned char *)name; *p; p++) {
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			p++;
		else if (*p >= 0x20 && *p != 0x7f)
			sb_addc(sb, (char)*p);
	}
	sb_addc(sb, '\'');
}

/* What kithd reads and leaves out, and why: one line each, for the log and --check. */
static char *
describe(const struct kith_account *acct, const struct imap_folder *all, size_t nall,
	 const struct sync_folder *v, size_t n)
{
	struct strbuf sb = { 0 };
	const struct imap_folder *f;
	const char *why, *role;
	size_t i, left = 0;

	sb_adds(&sb, "reading");
	for (i = 0; i < n; i++) {
		sb_adds(&sb, i ? ", " : " ");
		add_name(&sb, v[i].name);
		sb_adds(&sb, " (");
		if (!v[i].role)
			sb_adds(&sb, "no role, listed in folders =");
		else if (strcmp(v[i].why, "flag") == 0)
			sb_addf(&sb, "%s, by its special-use flag", v[i].role);
		else if (strcmp(v[i].why, "name") == 0)
			sb_addf(&sb, "%s, by its name", v[i].role);
		else
			sb_adds(&sb, v[i].role);
		sb_addc(&sb, ')');
	}
	if (n == 0)
		sb_adds(&sb, " no folder");
	for (i = 0; i < nall; i++) {
		f = &all[i];
		if (chosen(v, n, f->name))
			continue;
		sb_adds(&sb, left++ ? ", " : "\nleaving out ");
		add_name(&sb, f->name);
		sb_adds(&sb, " (");
		role = role_of(f, &why);
		if (never_read(f->flags))
			sb_addf(&sb, "%s", never_read(f->flags));
		else if (excluded(acct, f))
			sb_adds(&sb, "exclude =");
		else if (!acct->folders_auto)
			sb_adds(&sb, "not in folders =");
		else if (role && strcmp(role, "inbox") == 0)
			sb_adds(&sb, "All Mail holds it");
		else if (role)
			sb_addf(&sb, "another %s folder is read", role);
		else
			sb_adds(&sb, "not INBOX, sent mail or an archive");
		sb_addc(&sb, ')');
	}
	return sb_detach(&sb);
}

/* Where a role's folders come in the order of reading. */
static int
rank(const char *role)
{
	if (role && strcmp(role, "sent") == 0)
		return 0;
	if (role && strcmp(role, "inbox") == 0)
		return 3;
	return role ? 1 : 2;
}

/*
 * Sent first and INBOX last, whatever order the server lists them in:
 * the user's own messages, and the addresses they teach, are then known
 * before the answers to them arrive, so a first sync gives the same result
 * on every server; and INBOX, read last, is still selected when IDLE
 * starts.  Stable: folders of one rank keep the server's order.
 */
static void
order(struct sync_folder *v, size_t n)
{
	struct sync_folder t;
	size_t i, j;

	for (i = 1; i < n; i++) {
		t = v[i];
		for (j = i; j > 0 && rank(v[j - 1].role) > rank(t.role); j--)
			v[j] = v[j - 1];
		v[j] = t;
	}
}

int
sync_discover(struct imap *im, const struct kith_account *acct, struct sync_folder **out,
	      size_t *n, char **missing, char **report)
{
	struct imap_folder *all = NULL;
	struct strbuf miss = { 0 };
	size_t nall = 0;
	int r;

	*out = NULL;
	*n = 0;
	*missing = NULL;
	if (report)
		*report = NULL;
	if ((r = imap_list(im, &all, &nall)) != IMAP_OK)
		return r;
	if (acct->folders_auto)
		choose_auto(acct, all, nall, out, n);
	else
		choose_listed(acct, all, nall, out, n, &miss);
	order(*out, *n);
	if (report)
		*report = describe(acct, all, nall, *out, *n);
	imap_folders_free(all, nall);
	if (miss.len)
		*missing = sb_detach(&miss);
	sb_free(&miss);
	return IMAP_OK;
}
