/* identity.c - address normalisation, name keys and registrable domains (DESIGN §6). */
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
