/* identity.c - address normalisation, name keys and registrable domains (docs/architecture.md, Identity). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <idn2.h>
#include <libpsl.h>
#include <utf8proc.h>

#include "kith/config.h"
#include "kith/identity.h"
#include "kith/util.h"

static bool
is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

/* utf8proc with the given options; NULL when the text is not valid UTF-8. */
static char *
u8map(const char *s, utf8proc_option_t opts)
{
	utf8proc_uint8_t *out = NULL;
	char *r;

	if (utf8proc_map((const utf8proc_uint8_t *)s, 0, &out, opts | UTF8PROC_NULLTERM) < 0)
		return NULL;
	/* utf8proc allocates with its own malloc; hand back one of ours. */
	r = xstrdup((const char *)out);
	free(out);
	return r;
}

static char *
fold_local(const char *local)
{
	char *r;

	if (is_ascii(local)) {
		r = xstrdup(local);
		str_lower_ascii(r);
		return r;
	}
	r = u8map(local, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
	if (!r) {
		/* Not UTF-8: compare the bytes, lower-casing what is ASCII. */
		r = xstrdup(local);
		str_lower_ascii(r);
	}
	return r;
}

static char *
ascii_domain(const char *domain)
{
	char *out = NULL, *r;

	/* Pure ASCII needs no IDNA round trip: most mail, and the hot path. */
	if (is_ascii(domain)) {
		r = xstrdup(domain);
		str_lower_ascii(r);
		return r;
	}
	if (idn2_to_ascii_8z(domain, &out, IDN2_NONTRANSITIONAL) == IDN2_OK && out) {
		r = xstrdup(out);
		idn2_free(out);
		str_lower_ascii(r);
		return r;
	}
	idn2_free(out);
	r = fold_local(domain);
	return r;
}

static void
drop_dots(char *s)
{
	char *w = s;

	for (; *s; s++)
		if (*s != '.')
			*w++ = *s;
	*w = '\0';
}

char *
identity_normalize(const char *addr, identity_is_me_fn is_me, void *arg)
{
	const char *at;
	char *local = NULL, *domain = NULL, *plus, *r = NULL, *untagged;

	if (!addr)
		return NULL;
	at = strrchr(addr, '@');
	if (!at || at == addr || at[1] == '\0')
		return NULL;
	{
		char *raw = xstrndup(addr, (size_t)(at - addr));

		local = fold_local(raw);
		free(raw);
	}
	domain = ascii_domain(at + 1);
	if (strcmp(domain, "googlemail.com") == 0) {
		free(domain);
		domain = xstrdup("gmail.com");
	}
	plus = strchr(local, '+');
	if (strcmp(domain, "gmail.com") == 0) {
		if (plus)
			*plus = '\0';
		drop_dots(local);
		if (*local == '\0')
			goto out;
		r = xasprintf("%s@%s", local, domain);
		goto out;
	}
	if (plus && plus != local && is_me) {
		untagged = xasprintf("%.*s@%s", (int)(plus - local), local, domain);
		if (is_me(arg, untagged)) {
			r = untagged;
			goto out;
		}
		free(untagged);
	}
	r = xasprintf("%s@%s", local, domain);
out:
	free(local);
	free(domain);
	return r;
}

/*
 * A pattern matches the address as a glob, or, when it is a plain address,
 * by its normalised form ("Me.Name@googlemail.com" is mename@gmail.com).
 */
static bool
me_pattern_match(const char *pattern, const char *addr)
{
	char *norm;
	bool r;

	if (config_addr_match(pattern, addr))
		return true;
	if (strpbrk(pattern, "*?["))
		return false;
	norm = identity_normalize(pattern, NULL, NULL);
	r = norm && strcmp(norm, addr) == 0;
	free(norm);
	return r;
}

bool
identity_me_match(const struct strlist *me, const char *addr)
{
	const char *plus, *at;
	char *untagged;
	bool found = false;
	size_t i;

	if (!me || !addr)
		return false;
	for (i = 0; i < me->n; i++)
		if (me_pattern_match(me->v[i], addr))
			return true;
	plus = strchr(addr, '+');
	at = strrchr(addr, '@');
	if (!plus || !at || plus > at)
		return false;
	untagged = xasprintf("%.*s%s", (int)(plus - addr), addr, at);
	for (i = 0; i < me->n && !found; i++)
		found = me_pattern_match(me->v[i], untagged);
	free(untagged);
	return found;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *
identity_fold(const char *text)
{
	char *r = u8map(text, UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
				      UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);

	if (!r) {
		r = xstrdup(text);
		str_lower_ascii(r);
	}
	return r;
}

char *
identity_name_key(const char *name)
{
	char *folded, *p, *start, **tok = NULL;
	size_t ntok = 0, i;
	struct strbuf sb = { 0 };

	if (!name)
		return NULL;
	folded = identity_fold(name);
	/* Split on everything that is not a letter or digit (any script). */
	for (p = folded; *p;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)p, -1, &cp);
		utf8proc_category_t cat;

		if (n <= 0) {
			*p++ = ' ';
			continue;
		}
		cat = utf8proc_category(cp);
		if (!(cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL ||
		      cat == UTF8PROC_CATEGORY_LT || cat == UTF8PROC_CATEGORY_LM ||
		      cat == UTF8PROC_CATEGORY_LO || cat == UTF8PROC_CATEGORY_ND))
			memset(p, ' ', (size_t)n);
		p += n;
	}
	for (p = folded; *p;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		start = p;
		while (*p && *p != ' ')
			p++;
		if (*p)
			*p++ = '\0';
		tok = xreallocarray(tok, ntok + 1, sizeof(*tok));
		tok[ntok++] = start;
	}
	if (ntok == 0) {
		free(folded);
		free(tok);
		return NULL;
	}
	qsort(tok, ntok, sizeof(*tok), cmp_str);
	for (i = 0; i < ntok; i++) {
		if (i)
			sb_addc(&sb, ' ');
		sb_adds(&sb, tok[i]);
	}
	free(tok);
	free(folded);
	return sb_detach(&sb);
}

char *
identity_registrable_domain(const char *addr_or_domain)
{
	const char *d, *reg;
	char *ascii, *r;

	if (!addr_or_domain)
		return NULL;
	d = strrchr(addr_or_domain, '@');
	d = d ? d + 1 : addr_or_domain;
	if (*d == '\0')
		return NULL;
	ascii = ascii_domain(d);
	reg = psl_registrable_domain(psl_builtin(), ascii);
	r = xstrdup(reg ? reg : ascii);
	free(ascii);
	return r;
}

/*
 * Words that make a local part a role mailbox rather than a person
 * ("owner" as in a list's owner-LIST@ address).  A
 * local part is a role mailbox when one of its words (split at . _ - +
 * and digits) is made of these only ("expensereports" is expense +
 * reports); plain plurals are folded.
 */
static const char *const role_words[] = {
	"account", "accounting", "accounts", "admin", "administration", "administrator", "billing",
	"contact", "desk", "enquiries", "expense", "feedback", "help", "helpdesk", "hr", "info",
	"inquiries", "invoice", "office", "order", "owner", "payroll", "report", "sales", "service",
	"support", "team", "webmaster",
};

/* Can s[0..n) be cut into role words (each optionally followed by an "s")? */
static bool
role_segments(const char *s, size_t n)
{
	size_t i, len;

	if (n == 0)
		return true;
	for (i = 0; i < ARRAY_SIZE(role_words); i++) {
		len = strlen(role_words[i]);
		if (len > n || strncmp(s, role_words[i], len) != 0)
			continue;
		if (role_segments(s + len, n - len))
			return true;
		if (len < n && s[len] == 's' && role_segments(s + len + 1, n - len - 1))
			return true;
	}
	return false;
}

bool
identity_is_role(const char *addr)
{
	const char *at, *p, *start;
	char *local;
	bool role = false;

	if (!addr || !(at = strrchr(addr, '@')) || at == addr)
		return false;
	local = xstrndup(addr, (size_t)(at - addr));
	str_lower_ascii(local);
	for (p = local; *p && !role;) {
		while (*p && !((*p >= 'a' && *p <= 'z')))
			p++;
		start = p;
		while (*p >= 'a' && *p <= 'z')
			p++;
		/* A word longer than any run of role words is someone's name. */
		if (p > start && p - start <= 64)
			role = role_segments(start, (size_t)(p - start));
	}
	free(local);
	return role;
}

/* The case-folded ASCII local part without its +tag; NULL when not plain ASCII. */
static char *
plain_local(const char *addr)
{
	const char *at, *end, *p;
	char *r;

	if (!addr || !(at = strrchr(addr, '@')) || at == addr)
		return NULL;
	end = memchr(addr, '+', (size_t)(at - addr));
	if (!end || end == addr)
		end = at;
	for (p = addr; p < end; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '.' || *p == '_' || *p == '-'))
			return NULL;
	r = xstrndup(addr, (size_t)(end - addr));
	str_lower_ascii(r);
	return r;
}

int
identity_local_keys(const char *addr, char **joined, char **initial, bool *single)
{
	char *local = plain_local(addr), *tok[16], *save = NULL, *t;
	size_t n = 0, i;
	struct strbuf sb = { 0 };

	*joined = *initial = NULL;
	*single = false;
	if (!local)
		return -1;
	for (t = strtok_r(local, "._-", &save); t && n < ARRAY_SIZE(tok); t = strtok_r(NULL, "._-", &save))
		tok[n++] = t;
	if (n == 0 || t) {
		free(local);
		return -1;
	}
	/* Middle initials go: "david.k.bargainer" is "david.bargainer". */
	for (i = 0; i < n; i++)
		if (i == 0 || i == n - 1 || strlen(tok[i]) > 1)
			sb_adds(&sb, tok[i]);
	*joined = sb_detach(&sb);
	*single = n == 1 || strlen(tok[0]) == 1;
	if (n >= 2 && strlen(tok[0]) > 1)
		*initial = xasprintf("%c%s", tok[0][0], tok[n - 1]);
	free(local);
	return 0;
}

char *
identity_local_words(const char *addr)
{
	const char *at;
	char *local, *p, *r;

	if (!addr || !(at = strrchr(addr, '@')) || at == addr)
		return NULL;
	local = xstrndup(addr, (size_t)(at - addr));
	if ((p = strchr(local, '+')) && p != local)
		*p = '\0';
	for (p = local; *p; p++)
		if (*p == '.' || *p == '_' || *p == '-')
			*p = ' ';
	r = identity_fold(local);
	free(local);
	return r;
}

char *
identity_spelling(const char *addr)
{
	const char *at;
	char *r;

	if (!addr || !(at = strrchr(addr, '@')) || at == addr || at[1] == '\0')
		return NULL;
	r = xstrdup(addr);
	str_lower_ascii(r + (at - addr) + 1);
	return r;
}

char *
identity_name_core(const char *name)
{
	char *r = xstrdup(name ? name : ""), *t;
	size_t n;

	for (;;) {
		t = str_trim(r);
		memmove(r, t, strlen(t) + 1);
		n = strlen(r);
		if (n < 2 || (r[n - 1] != ')' && r[n - 1] != ']'))
			break;
		t = strrchr(r, r[n - 1] == ')' ? '(' : '[');
		if (!t || t == r)
			break;
		*t = '\0';
	}
	return r;
}
