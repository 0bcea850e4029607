/* cmd-config.c - `kith config init`: a commented configuration for one's own mail, from a provider's settings. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kith.h"
#include "kith/config.h"
#include "kith/paths.h"
#include "kith/util.h"
#include "printer.h"

/* What each provider needs; the notes become comments above the account. */
struct provider {
	const char *name;
	const char *host;
	int port;
	const char *tls;
	const char *auth;
	const char *folders;
	const char *password;	/* the password_command line; ADDR stands for the address */
	const char *notes;	/* comment lines, each starting with "; " */
};

static const struct provider providers[] = {
	{ "gmail", "imap.gmail.com", 993, "implicit", "login", "auto",
	  "pass show mail/gmail-app-password",
	  "; Gmail: turn on 2-step verification, then make an app password at\n"
	  "; https://myaccount.google.com/apppasswords and store it, e.g. with\n"
	  ";   pass insert mail/gmail-app-password\n"
	  "; or use an OAuth 2 token instead: auth = xoauth2 and a password_command\n"
	  "; that prints a fresh access token (e.g. oama access ADDR).\n"
	  "; folders = auto reads \"[Gmail]/All Mail\" alone: it holds sent mail too.\n" },
	{ "fastmail", "imap.fastmail.com", 993, "implicit", "login", "auto",
	  "pass show mail/fastmail-app-password",
	  "; Fastmail: make an app password (Settings > Privacy & Security >\n"
	  "; Integrations > App passwords) with IMAP access.\n" },
	{ "icloud", "imap.mail.me.com", 993, "implicit", "login", "auto",
	  "pass show mail/icloud-app-password",
	  "; iCloud: make an app-specific password at https://account.apple.com\n"
	  "; (Sign-In and Security > App-Specific Passwords).\n" },
	{ "outlook", "outlook.office365.com", 993, "implicit", "xoauth2", "auto",
	  "oama access ADDR",
	  "; Outlook.com and Microsoft 365 accept OAuth 2 only: password_command\n"
	  "; must print a fresh access token.  oama, or mutt_oauth2.py from the mutt\n"
	  "; sources, can get and refresh one once you have authorised it.\n" },
	{ "yahoo", "imap.mail.yahoo.com", 993, "implicit", "login", "auto",
	  "pass show mail/yahoo-app-password",
	  "; Yahoo: make an app password (Account security > Generate app password).\n" },
	{ "generic", "imap.example.org", 993, "implicit", "login", "auto",
	  "pass show mail/imap",
	  "; Your provider's IMAP server.  Port 993 is TLS from the start (implicit);\n"
	  "; for a server that offers STARTTLS on port 143 instead, write\n"
	  "; tls = starttls and port = 143.  A self-signed server: ca_file = /path/ca.pem\n" },
};

static const struct provider *
provider_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(providers); i++)
		if (strcmp(providers[i].name, name) == 0)
			return &providers[i];
	return NULL;
}

/* Guess the provider from the address's domain; generic when unknown. */
static const struct provider *
provider_guess(const char *addr)
{
	static const struct {
		const char *domain, *provider;
	} domains[] = {
		{ "gmail.com", "gmail" }, { "googlemail.com", "gmail" }, { "fastmail.com", "fastmail" },
		{ "fastmail.fm", "fastmail" }, { "icloud.com", "icloud" }, { "me.com", "icloud" },
		{ "mac.com", "icloud" }, { "outlook.com", "outlook" }, { "hotmail.com", "outlook" },
		{ "live.com", "outlook" }, { "yahoo.com", "yahoo" },
	};
	const char *at = addr ? strrchr(addr, '@') : NULL;
	size_t i;

	for (i = 0; at && i < ARRAY_SIZE(domains); i++)
		if (strcasecmp(at + 1, domains[i].domain) == 0)
			return provider_find(domains[i].provider);
	return provider_find("generic");
}

/* Append tmpl with each "ADDR" replaced by addr. */
static void
add_filled(struct strbuf *sb, const char *tmpl, const char *addr)
{
	const char *hit;

	while ((hit = strstr(tmpl, "ADDR"))) {
		sb_add(sb, tmpl, (size_t)(hit - tmpl));
		sb_adds(sb, addr);
		tmpl = hit + 4;
	}
	sb_adds(sb, tmpl);
}

static char *
config_text(const struct provider *p, const char *addr, const char *db)
{
	struct strbuf sb = { 0 };
	const char *me = addr ? addr : "you@example.org";

	sb_addf(&sb, "; kith configuration, written by 'kith config init --provider %s'.\n"
		     "; Every key is described in kith.conf(5); check this file with\n"
		     ";   kith config check --connect\n"
		     "; then read your mail once with 'kithd --once', and see 'kith due'.\n\n", p->name);
	sb_addf(&sb, "[kith]\n"
		     "; Your own addresses (globs allowed): mail from them is mail you wrote.\n"
		     "me = %s\n"
		     "; database = %s\n"
		     "; default_cadence = 90d\n\n", me, db);
	sb_adds(&sb, "[account mail]\n");
	add_filled(&sb, p->notes, me);
	sb_addf(&sb, "host = %s\nport = %d\ntls = %s\nuser = %s\nauth = %s\n", p->host, p->port, p->tls, me,
		p->auth);
	sb_adds(&sb, "; The command's first line of output is the password (or token); it never\n"
		     "; lives in this file.  Other stores: secret-tool lookup service kith user ME\n"
		     "; (libsecret), or gpg --quiet --decrypt ~/.config/kith/password.gpg\n");
	sb_adds(&sb, "password_command = ");
	add_filled(&sb, p->password, me);
	sb_addf(&sb, "\nfolders = %s\n; exclude = Spam, Trash\n; poll_interval = 15m\n\n", p->folders);
	sb_adds(&sb, "[notify]\nenabled = yes\ndigest_time = 09:30\nquiet_hours = 21:00-08:00\nmax_per_day = 3\n");
	return sb_detach(&sb);
}

/* The configuration's directory, made 0700 where missing. */
static int
make_dirs(const char *file)
{
	char *dir = xstrdup(file), *slash = strrchr(dir, '/');
	int rc = 0;

	if (slash && slash != dir) {
		*slash = '\0';
		if ((rc = mkdir_p(dir, 0700)) == -1)
			log_warn("cannot create '%s'", dir);
	}
	free(dir);
	return rc;
}

int
cmd_config_init(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "provider", required_argument, NULL, 'p' },
		{ "address", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	const struct provider *p = NULL;
	const char *addr = NULL, *env;
	char *path, *text, *db;
	FILE *f;
	int ch, fd, rc = EXIT_ERROR;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			if (!(p = provider_find(optarg)))
				return cli_usage(c, "bad provider '%s' (want gmail, fastmail, icloud, outlook, "
						    "yahoo or generic)", optarg);
			break;
		case 'a':
			addr = optarg;
			if (!strchr(addr, '@') || strpbrk(addr, " \t\n<>,;\"'"))
				return cli_usage(c, "bad address '%s'", addr);
			break;
		default:
			return cli_bad_option(c, ch, argv);
		}
	}
	if ((rc = cli_operands(c, argc, argv, 0, 0)) != EXIT_OK)
		return rc;
	if (!p)
		p = provider_guess(addr);
	if (c->config_arg) {
		path = xstrdup(c->config_arg);
	} else if ((env = getenv("KITH_CONFIG")) && *env) {
		/* As config_load reads it: "~/" is the home directory. */
		if (!(path = config_expand_path(env)))
			path = xstrdup(env);
	} else {
		path = paths_config_file();
	}
	db = paths_default_database();
	text = config_text(p, addr, db);
	rc = EXIT_ERROR;
	if (make_dirs(path) == -1)
		goto out;
	/* O_EXCL: a configuration someone wrote is never overwritten. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1) {
		if (errno == EEXIST)
			log_error("'%s' exists already: not overwriting it (edit it, or move it away "
				  "first; 'kith config check' checks it)", path);
		else
			log_warn("cannot create '%s'", path);
		goto out;
	}
	if (!(f = fdopen(fd, "w"))) {
		log_warn("cannot write '%s'", path);
		close(fd);
		unlink(path);
		goto out;
	}
	if (fputs(text, f) == EOF || fclose(f) == EOF) {
		log_warn("cannot write '%s'", path);
		unlink(path);
		goto out;
	}
	if (printer_json(c->pr)) {
		pr_map_begin(c->pr);
		pr_key(c->pr, "file");
		pr_str(c->pr, path);
		pr_key(c->pr, "provider");
		pr_str(c->pr, p->name);
		pr_map_end(c->pr);
	} else {
		pr_text(c->pr, "wrote '%s' for %s%s%s", path, p->name, addr ? ", " : "", addr ? addr : "");
		pr_text(c->pr, "next: edit password_command%s in it, then run "
			       "'kith config check --connect' and 'kithd --once'",
			addr ? "" : ", me and user");
	}
	rc = EXIT_OK;
out:
	free(text);
	free(db);
	free(path);
	return rc;
}
