/* config.c - the configuration file: one table of keys, read with inih. */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config-private.h"
#include "kith/config.h"
#include "kith/paths.h"
#include "kith/util.h"

/*
 * Debian's inih lets a program size its line buffer at run time; upstream
 * inih fixes it at build time (200 bytes).  Weak references keep kith
 * linking against either; without them long lines are refused with a clear
 * error instead of being cut short.
 */
extern bool ini_use_stack __attribute__((weak));
extern bool ini_allow_realloc __attribute__((weak));
extern bool ini_allow_multiline __attribute__((weak));
extern int ini_max_line __attribute__((weak));
extern int ini_initial_alloc __attribute__((weak));

#define CONFIG_MAX_LINE 4096

/* --- reading the file -------------------------------------------------------- */

struct err {
	int line;
	size_t seq;
	char *msg;
};

struct parser {
	struct kith_config *cfg;
	const char *file;
	FILE *fp;
	char *buf;		/* the current line, whole */
	size_t cap;
	int lineno;
	int read_errno;
	bool expect_key;	/* the current line must reach the handler */
	bool got_key;

	/* The section being read. */
	enum sect kind;		/* SECT_NONE before the first one */
	bool skip;		/* a broken header: its keys are not checked */
	char *label;		/* "[account x]" */
	size_t index;		/* into accounts/circles/goals */
	int line;
	int keyline[CONFIG_MAX_KEYS];	/* where each key was set; 0: not set */

	int seen[SECT_NONE];	/* header line of each unnamed section */
	int *goal_circle_line;	/* per goal: the line naming its circle */

	struct err *errs;
	size_t nerrs;
};

static void add_err(struct parser *p, int line, const char *fmt, ...) KITH_PRINTF(3, 4);

static void
add_err(struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;
	struct strbuf sb = { 0 };
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		fatalx("out of memory");
	va_end(ap);
	if (line > 0)
		sb_addf(&sb, "%s:%d: %s", p->file, line, msg);
	else
		sb_adds(&sb, msg);
	free(msg);
	p->errs = xreallocarray(p->errs, p->nerrs + 1, sizeof(*p->errs));
	p->errs[p->nerrs].line = line;
	p->errs[p->nerrs].seq = p->nerrs;
	p->errs[p->nerrs].msg = sb_detach(&sb);
	p->nerrs++;
}

static void *
section_base(struct parser *p)
{
	switch (p->kind) {
	case SECT_ACCOUNT:
		return &p->cfg->accounts[p->index];
	case SECT_CIRCLE:
		return &p->cfg->circles[p->index];
	case SECT_GOAL:
		return &p->cfg->goals[p->index];
	default:
		return p->cfg;
	}
}

static int
key_index(enum sect s, const char *name)
{
	size_t i;

	for (i = 0; i < config_nkeys; i++)
		if (config_table[i].sect == s && strcmp(config_table[i].pub.name, name) == 0)
			return (int)i;
	return -1;
}


/* The checks that need the whole section: required keys, derived defaults. */
static void
finish_section(struct parser *p)
{
	int k;

	if (p->kind == SECT_NONE || p->skip)
		goto out;
	for (k = 0; k < (int)config_nkeys; k++) {
		if (config_table[k].sect != p->kind || !(config_table[k].flags & F_REQUIRED) || p->keyline[k])
			continue;
		if (p->kind == SECT_ACCOUNT && strcmp(config_table[k].pub.name, "password_command") == 0 &&
		    p->cfg->accounts[p->index].auth == AUTH_XOAUTH2)
			add_err(p, p->line, "%s %s: missing; auth = xoauth2 needs a command that prints the access token",
				p->label, config_table[k].pub.name);
		else
			add_err(p, p->line, "%s %s: missing (required)", p->label, config_table[k].pub.name);
	}
	if (p->kind == SECT_ACCOUNT) {
		struct kith_account *a = &p->cfg->accounts[p->index];

		if (!p->keyline[key_index(SECT_ACCOUNT, "port")])
			a->port = a->tls == TLS_IMPLICIT ? 993 : 143;
		k = key_index(SECT_ACCOUNT, "tls");
		if (a->tls == TLS_NONE && a->host && !host_is_loopback(a->host))
			add_err(p, p->keyline[k], "%s tls: 'none' would send the password in clear to '%s'; "
				"it is only allowed for a loopback host", p->label, a->host);
	}
	if (p->kind == SECT_NOTIFY && p->cfg->notify.has_quiet) {
		int s = p->cfg->notify.quiet_start, e = p->cfg->notify.quiet_end;
		int d = p->cfg->notify.digest_time;
		bool inside = s < e ? d >= s && d < e : d >= s || d < e;

		if (inside)
			add_err(p, p->keyline[key_index(SECT_NOTIFY, "quiet_hours")],
				"%s quiet_hours: digest_time %02d:%02d falls inside them; the digest would never be shown",
				p->label, d / 60, d % 60);
	}
	if (p->kind == SECT_GOAL)
		p->goal_circle_line[p->index] = p->keyline[key_index(SECT_GOAL, "circle")];
out:
	free(p->label);
	p->label = NULL;
	p->kind = SECT_NONE;
	p->skip = false;
	memset(p->keyline, 0, sizeof(p->keyline));
}

/* Named sections go into their array; a name used twice is an error. */
static int
add_named(struct parser *p, enum sect kind, const char *name)
{
	struct kith_config *c = p->cfg;
	size_t i;

	switch (kind) {
	case SECT_ACCOUNT:
		for (i = 0; i < c->naccounts; i++)
			if (str_ieq(c->accounts[i].name, name))
				return c->accounts[i].line;
		c->accounts = xreallocarray(c->accounts, c->naccounts + 1, sizeof(*c->accounts));
		memset(&c->accounts[c->naccounts], 0, sizeof(*c->accounts));
		c->accounts[c->naccounts].name = xstrdup(name);
		c->accounts[c->naccounts].line = p->lineno;
		config_apply_defaults(kind, &c->accounts[c->naccounts]);
		p->index = c->naccounts++;
		return 0;
	case SECT_CIRCLE:
		if (config_circle(c, name))
			return -1;
		c->circles = xreallocarray(c->circles, c->ncircles + 1, sizeof(*c->circles));
		memset(&c->circles[c->ncircles], 0, sizeof(*c->circles));
		c->circles[c->ncircles].name = xstrdup(name);
		config_apply_defaults(kind, &c->circles[c->ncircles]);
		p->index = c->ncircles++;
		return 0;
	default:
		for (i = 0; i < c->ngoals; i++)
			if (str_ieq(c->goals[i].name, name))
				return -1;
		c->goals = xreallocarray(c->goals, c->ngoals + 1, sizeof(*c->goals));
		p->goal_circle_line = xreallocarray(p->goal_circle_line, c->ngoals + 1, sizeof(int));
		memset(&c->goals[c->ngoals], 0, sizeof(*c->goals));
		c->goals[c->ngoals].name = xstrdup(name);
		config_apply_defaults(kind, &c->goals[c->ngoals]);
		p->goal_circle_line[c->ngoals] = 0;
		p->index = c->ngoals++;
		return 0;
	}
}

/* A "[kind name]" line; `line` has no leading space. */
static void
section_header(struct parser *p, char *line)
{
	char *end = strchr(line, ']'), *body, *name, *rest;
	size_t i;
	int dup;

	finish_section(p);
	p->line = p->lineno;
	p->skip = true;
	if (!end) {
		add_err(p, p->lineno, "section header lacks its closing ']'");
		return;
	}
	*end = '\0';
	rest = str_trim(end + 1);
	if (*rest && *rest != ';' && *rest != '#') {
		add_err(p, p->lineno, "unexpected text after ']'");
		return;
	}
	body = str_trim(line + 1);
	name = body + strcspn(body, " \t");
	if (*name)
		*name++ = '\0';
	name = str_trim(name);
	p->label = *name ? xasprintf("[%s %s]", body, name) : xasprintf("[%s]", body);
	for (i = 0; i < ARRAY_SIZE(config_sects); i++)
		if (strcmp(config_sects[i].name, body) == 0)
			break;
	if (i == ARRAY_SIZE(config_sects)) {
		add_err(p, p->lineno, "%s: unknown section kind '%s' (known: kith, account, notify, "
			"circle, goal, ignore)", p->label, body);
		return;
	}
	p->kind = (enum sect)i;
	if (config_sects[i].named && !*name) {
		add_err(p, p->lineno, "%s: needs a name, like [%s personal]", p->label, body);
		return;
	}
	if (!config_sects[i].named && *name) {
		add_err(p, p->lineno, "%s: takes no name; write [%s]", p->label, body);
		return;
	}
	if (config_has_space(name) || strchr(name, ',')) {
		add_err(p, p->lineno, "%s: a name is one word, without spaces or commas", p->label);
		return;
	}
	if (config_sects[i].named) {
		dup = add_named(p, p->kind, name);
		if (dup) {
			if (dup > 0)
				add_err(p, p->lineno, "%s: duplicate section name, first used at line %d", p->label, dup);
			else
				add_err(p, p->lineno, "%s: duplicate section name", p->label);
			return;
		}
	} else if (p->seen[i]) {
		add_err(p, p->lineno, "%s: appears twice (first at line %d); merge them", p->label, p->seen[i]);
		return;
	} else {
		p->seen[i] = p->lineno;
	}
	p->skip = false;
}

/* inih's callback: one "key = value" of the current line. */
static int
handler(void *user, const char *section, const char *name, const char *value)
{
	struct parser *p = user;
	const char *best = NULL;
	size_t i, d, bestd = 3;
	char *err = NULL;
	int k;

	(void)section;		/* section_header() has seen it whole, with its line */
	p->got_key = true;
	if (p->skip)
		return 1;
	if (!*name) {
		add_err(p, p->lineno, "%s: a key name is missing before '='", p->label ? p->label : "");
		return 1;
	}
	if (p->kind == SECT_NONE) {
		add_err(p, p->lineno, "%s: outside any section; put it under [kith] or the section it belongs to", name);
		return 1;
	}
	k = key_index(p->kind, name);
	if (k < 0) {
		for (i = 0; i < config_nkeys; i++) {
			if (config_table[i].sect == p->kind && (d = edit_distance(name, config_table[i].pub.name)) < bestd) {
				bestd = d;
				best = config_table[i].pub.name;
			}
		}
		if (best)
			add_err(p, p->lineno, "%s %s: unknown key; did you mean '%s'?", p->label, name, best);
		else
			add_err(p, p->lineno, "%s %s: unknown key (see kith.conf(5))", p->label, name);
		return 1;
	}
	if (p->keyline[k]) {
		add_err(p, p->lineno, "%s %s: set twice (first at line %d)", p->label, name, p->keyline[k]);
		return 1;
	}
	p->keyline[k] = p->lineno;
	if (config_set_value(&config_table[k], section_base(p), value, &err) == -1) {
		add_err(p, p->lineno, "%s %s: %s", p->label, name, err);
		free(err);
	}
	return 1;
}

/* A line that should have been "key = value" never reached the handler. */
static void
check_line_parsed(struct parser *p)
{
	if (p->expect_key && !p->got_key)
		add_err(p, p->lineno, "cannot parse this line; expected 'key = value', '[section]' "
			"or a comment");
	p->expect_key = false;
}

/*
 * inih's line reader.  Counting lines here gives every error its line
 * number, and seeing section headers here gives the checks that inih has
 * no callback for: sections without keys, names, duplicates.
 */
static char *
reader(char *str, int num, void *stream)
{
	struct parser *p = stream;
	ssize_t n;
	size_t len;
	char *line;

	check_line_parsed(p);
	errno = 0;
	n = getline(&p->buf, &p->cap, p->fp);
	if (n < 0) {
		p->read_errno = errno;
		return NULL;
	}
	p->lineno++;
	len = (size_t)n;
	while (len > 0 && (p->buf[len - 1] == '\n' || p->buf[len - 1] == '\r'))
		p->buf[--len] = '\0';
	line = p->buf;
	if (p->lineno == 1 && str_has_prefix(line, "\xef\xbb\xbf"))
		line += 3;
	/* Leading space would make inih continue the previous value. */
	while (isspace((unsigned char)*line))
		line++;
	p->got_key = false;
	if (memchr(p->buf, '\0', len)) {
		add_err(p, p->lineno, "line contains a NUL byte");
		line = "";
	} else if (strlen(line) + 2 > (size_t)num) {
		add_err(p, p->lineno, "line too long (at most %d characters)", num - 3);
		line = "";
	} else if (*line == '[') {
		char *copy = xstrdup(line);

		section_header(p, copy);
		free(copy);
	} else if (*line && *line != ';' && *line != '#') {
		p->expect_key = true;
	}
	len = strlen(line);
	memcpy(str, line, len);
	str[len] = '\n';
	str[len + 1] = '\0';
	return str;
}

static int
cmp_err(const void *a, const void *b)
{
	const struct err *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static struct kith_config *
config_new(void)
{
	struct kith_config *cfg = xcalloc(1, sizeof(*cfg));

	config_apply_defaults(SECT_KITH, cfg);
	config_apply_defaults(SECT_NOTIFY, cfg);
	config_apply_defaults(SECT_IGNORE, cfg);
	return cfg;
}

/* Read the open file into p->cfg, collecting every error in p. */
static void
parse_file(struct parser *p)
{
	size_t i;
	int rc;

	/* See the weak declarations above. */
	if (&ini_max_line && &ini_use_stack && &ini_allow_realloc && &ini_initial_alloc) {
		ini_use_stack = false;
		ini_allow_realloc = true;
		ini_max_line = CONFIG_MAX_LINE;
		ini_initial_alloc = CONFIG_MAX_LINE;
	}
	if (&ini_allow_multiline)
		ini_allow_multiline = false;
	p->kind = SECT_NONE;
	rc = ini_parse_stream(reader, p, handler, p);
	check_line_parsed(p);
	finish_section(p);
	if (rc == -2)
		fatalx("out of memory");
	if (p->read_errno)
		add_err(p, 0, "cannot read '%s': %s", p->file, strerror(p->read_errno));
	/*
	 * A goal may name a circle defined further down the file, or an
	 * event's circle, which lives in the database (kith event add).
	 */
	for (i = 0; i < p->cfg->ngoals; i++) {
		const char *c = p->cfg->goals[i].circle;

		if (c && !config_circle(p->cfg, c) && !str_has_prefix(c, "event:"))
			add_err(p, p->goal_circle_line[i], "[goal %s] circle: no [circle %s] is defined",
				p->cfg->goals[i].name, c);
	}
}

int
config_load(const char *path, struct kith_config **out, struct strbuf *errors)
{
	struct parser p = { 0 };
	struct kith_config *cfg = config_new();
	const char *env = getenv("KITH_CONFIG"), *via = "";
	char *file;
	bool named = true;
	struct stat st;
	size_t i;

	*out = NULL;
	if (path) {
		file = xstrdup(path);
	} else if (env && *env) {
		file = config_expand_path(env);
		if (!file)
			file = xstrdup(env);
		via = " (named by $KITH_CONFIG)";
	} else {
		file = paths_config_file();
		named = false;
	}
	p.cfg = cfg;
	p.file = file;
	p.fp = fopen(file, "r");
	if (!p.fp) {
		if (errno == ENOENT && !named) {
			free(file);
			file = NULL;
			goto defaults;
		}
		add_err(&p, 0, "cannot read '%s'%s: %s", file, via, strerror(errno));
		goto done;
	}
	if (fstat(fileno(p.fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		add_err(&p, 0, "cannot read '%s'%s: %s", file, via, strerror(EISDIR));
		goto done;
	}
	parse_file(&p);
defaults:
	if (!cfg->database)
		cfg->database = paths_default_database();
	cfg->path = file;
	file = NULL;
done:
	if (p.fp)
		fclose(p.fp);
	if (p.nerrs)
		qsort(p.errs, p.nerrs, sizeof(*p.errs), cmp_err);
	for (i = 0; i < p.nerrs; i++) {
		if (errors) {
			sb_adds(errors, p.errs[i].msg);
			sb_addc(errors, '\n');
		} else {
			log_error("%s", p.errs[i].msg);
		}
		free(p.errs[i].msg);
	}
	free(p.errs);
	free(p.buf);
	free(p.label);
	free(p.goal_circle_line);
	free(file);
	if (p.nerrs) {
		config_free(cfg);
		return -1;
	}
	*out = cfg;
	return 0;
}

void
config_free(struct kith_config *cfg)
{
	size_t i;

	if (!cfg)
		return;
	for (i = 0; i < cfg->naccounts; i++) {
		struct kith_account *a = &cfg->accounts[i];

		free(a->name);
		free(a->host);
		free(a->ca_file);
		free(a->user);
		free(a->password_command);
		strlist_free(&a->folders);
		strlist_free(&a->exclude);
	}
	free(cfg->accounts);
	for (i = 0; i < cfg->ncircles; i++) {
		free(cfg->circles[i].name);
		strlist_free(&cfg->circles[i].members);
	}
	free(cfg->circles);
	for (i = 0; i < cfg->ngoals; i++) {
		free(cfg->goals[i].name);
		free(cfg->goals[i].circle);
	}
	free(cfg->goals);
	free(cfg->path);
	free(cfg->database);
	strlist_free(&cfg->me);
	strlist_free(&cfg->ignore);
	free(cfg);
}
