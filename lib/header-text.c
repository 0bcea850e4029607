/* header-text.c - header values to clean UTF-8, address fields to checked addresses. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <libetpan/libetpan.h>
#include <utf8proc.h>

#include "kith/header.h"
#include "kith/util.h"
#include "header-private.h"

#define ADDR_MAX	320	/* RFC 5321: 64 + 1 + 255, rounded as header.h promises */

/* ---- text: valid UTF-8, no control characters ------------------------- */

/* Formatting characters that reorder text on a terminal: a name could hide behind them. */
static bool
is_bidi_control(int32_t c)
{
	return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

/*
 * Append s[0..len) to sb as valid UTF-8: invalid bytes become U+FFFD,
 * line breaks and tabs a space, other C0/DEL/C1 controls (ESC among them)
 * and bidi overrides are dropped, so nothing reaching a terminal can steer it.
 */
static void
sb_add_clean(struct strbuf *sb, const char *s, size_t len)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t i = 0;

	while (i < len) {
		utf8proc_int32_t c;
		utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &c);

		if (n <= 0) {
			sb_adds(sb, "\xef\xbf\xbd");
			i++;
			continue;
		}
		if (c == '\t' || c == '\r' || c == '\n')
			sb_addc(sb, ' ');
		else if (c >= 0x20 && c != 0x7f && !(c >= 0x80 && c <= 0x9f) && !is_bidi_control(c))
			sb_add(sb, s + i, (size_t)n);
		i += (size_t)n;
	}
}

/* Cut s to at most max bytes without splitting a UTF-8 sequence. */
static size_t
utf8_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

/* Trim spaces at both ends, squeeze inner runs; NULL for an empty result. */
static char *
finish_text(struct strbuf *sb)
{
	char *r, *w;
	bool space = true;

	if (!sb->buf)
		return NULL;
	for (r = w = sb->buf; *r; r++) {
		if (*r == ' ') {
			if (space)
				continue;
			space = true;
		} else {
			space = false;
		}
		*w++ = *r;
	}
	while (w > sb->buf && w[-1] == ' ')
		w--;
	*w = '\0';
	sb->len = (size_t)(w - sb->buf);
	if (sb->len == 0) {
		sb_free(sb);
		return NULL;
	}
	return sb_detach(sb);
}

char *
text_safe(const char *s)
{
	struct strbuf sb = { 0 };

	sb_add_clean(&sb, s ? s : "", s ? strlen(s) : 0);
	return sb.buf ? sb_detach(&sb) : xstrdup("");
}

/* An unstructured value: unfolded, bounded, valid UTF-8, no controls. */
char *
clean_text(const char *s)
{
	struct strbuf sb = { 0 };
	size_t len = strlen(s);

	sb_add_clean(&sb, s, utf8_cut(s, len, HEADER_MAX_FIELD));
	return finish_text(&sb);
}

/*
 * RFC 2047 text (display names, Subject) to clean UTF-8.  Raw 8-bit input
 * is made valid UTF-8 first, so libetpan's converter never sees broken
 * sequences; its output is cleaned again because decoded words can carry
 * any byte (an escape sequence, a NUL cut, invalid UTF-8).
 */
char *
decode_text(const char *s)
{
	struct strbuf raw = { 0 }, sb = { 0 };
	char *decoded = NULL;
	size_t len, idx = 0;

	if (!s)
		return NULL;
	len = utf8_cut(s, strlen(s), HEADER_MAX_FIELD);
	sb_add_clean(&raw, s, len);
	if (!raw.buf)
		return NULL;
	if (strstr(raw.buf, "=?") &&
	    mailmime_encoded_phrase_parse("utf-8", raw.buf, raw.len, &idx, "utf-8", &decoded) ==
		    MAILIMF_NO_ERROR && decoded) {
		sb_add_clean(&sb, decoded, strlen(decoded));
		if (idx < raw.len)
			sb_add_clean(&sb, raw.buf + idx, raw.len - idx);
		free(decoded);
	} else {
		sb_add(&sb, raw.buf, raw.len);
	}
	sb_free(&raw);
	return finish_text(&sb);
}

/* ---- addresses -------------------------------------------------------- */

static bool
is_local_char(unsigned char c)
{
	return c > 0x20 && c != 0x7f && !strchr("<>()[],;:\\@", c);
}

static bool
is_domain_char(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '_' || c >= 0x80;
}

/*
 * libetpan's parser is lenient ("broken <<no at all" becomes an address),
 * so an address counts only with a local part, an '@' and a domain made
 * of non-empty labels that neither start nor end with '-'.  A domain without a dot is accepted: intranet mail.
 */
static bool
addr_is_sane(const char *a)
{
	const char *at = strrchr(a, '@'), *p;
	size_t len = strlen(a), label = 0;

	if (!at || at == a || len > ADDR_MAX || at[1] == '\0')
		return false;
	for (p = a; p < at; p++)
		if (!is_local_char((unsigned char)*p))
			return false;
	if (at[1] == '.' || a[len - 1] == '.' || strlen(at + 1) > 255)
		return false;
	for (p = at + 1; *p; p++) {
		if (*p == '.') {
			if (label == 0 || p[-1] == '-')
				return false;
			label = 0;
		} else if (!is_domain_char((unsigned char)*p) || ++label > 63 ||
			   (*p == '-' && label == 1)) {
			return false;
		}
	}
	return p[-1] != '-';
}

static void
addrs_push(struct msg_addrs *a, const char *raw_name, const char *addr, size_t addr_len)
{
	struct msg_addr *e;
	char *copy;

	if (addr_len > ADDR_MAX)
		return;
	copy = xstrndup(addr, addr_len);
	if (!addr_is_sane(copy)) {
		free(copy);
		return;
	}
	if (a->n >= HEADER_MAX_ADDRS) {
		a->truncated = true;
		free(copy);
		return;
	}
	if ((a->n & (a->n - 1)) == 0)	/* grow at powers of two */
		a->v = xreallocarray(a->v, a->n ? a->n * 2 : 1, sizeof(*a->v));
	e = &a->v[a->n++];
	e->addr = copy;
	e->name = decode_text(raw_name);
}

/*
 * The last resort for a value no parser accepts: every word around an '@'
 * that makes a sane address.  Names are lost, the people are not.
 */
static void
scan_addrs(struct msg_addrs *a, const char *s, size_t len)
{
	size_t i, l, r;

	for (i = 0; i < len; i++) {
		if (s[i] != '@')
			continue;
		for (l = i; l > 0 && is_local_char((unsigned char)s[l - 1]); l--)
			;
		for (r = i + 1; r < len && (is_domain_char((unsigned char)s[r]) || s[r] == '.'); r++)
			;
		while (r > i + 1 && s[r - 1] == '.')
			r--;
		if (l < i && r > i + 1)
			addrs_push(a, NULL, s + l, r - l);
		i = r > i ? r - 1 : i;
	}
}

void
addrs_add_mailbox(struct msg_addrs *a, const struct mailimf_mailbox *mb)
{
	const char *spec = mb->mb_addr_spec;
	size_t before = a->n;

	if (!spec)
		return;
	addrs_push(a, mb->mb_display_name, spec, strlen(spec));
	if (a->n == before && !a->truncated)
		scan_addrs(a, spec, strlen(spec));	/* "<x@y.com" from an unclosed bracket */
}

void
addrs_add_mailbox_list(struct msg_addrs *a, const struct mailimf_mailbox_list *ml)
{
	clistiter *it;

	if (!ml || !ml->mb_list)
		return;
	for (it = clist_begin(ml->mb_list); it; it = clist_next(it))
		addrs_add_mailbox(a, clist_content(it));
}

void
addrs_add_address_list(struct msg_addrs *a, const struct mailimf_address_list *al)
{
	clistiter *it;

	if (!al || !al->ad_list)
		return;
	for (it = clist_begin(al->ad_list); it; it = clist_next(it)) {
		const struct mailimf_address *ad = clist_content(it);

		if (ad->ad_type == MAILIMF_ADDRESS_MAILBOX)
			addrs_add_mailbox(a, ad->ad_data.ad_mailbox);
		else if (ad->ad_type == MAILIMF_ADDRESS_GROUP)
			/* "undisclosed-recipients:;" has no mailbox list at all */
			addrs_add_mailbox_list(a, ad->ad_data.ad_group->grp_mb_list);
	}
}

/* The end of one comma-separated element, outside quotes, brackets and comments. */
static size_t
element_end(const char *s, size_t len, size_t i)
{
	bool quoted = false;
	int angle = 0, paren = 0;

	for (; i < len; i++) {
		char c = s[i];

		if (quoted) {
			if (c == '\\' && i + 1 < len)
				i++;
			else if (c == '"')
				quoted = false;
		} else if (c == '"') {
			quoted = true;
		} else if (c == '<') {
			angle++;
		} else if (c == '>' && angle > 0) {
			angle--;
		} else if (c == '(') {
			paren++;
		} else if (c == ')' && paren > 0) {
			paren--;
		} else if (c == ',' && angle == 0 && paren == 0) {
			break;
		}
	}
	return i;
}

/*
 * An address field the structured parser refused ("a@b.com, , c@d.com",
 * an unclosed quote): read it element by element, and where even that
 * fails pick out what looks like an address.
 */
void
addrs_salvage(struct msg_addrs *a, const char *s)
{
	size_t len = strlen(s), start = 0, end;

	while (start < len && !a->truncated) {
		struct mailimf_address *ad = NULL;
		size_t idx = 0, before = a->n;

		end = element_end(s, len, start);
		if (end > start &&
		    mailimf_address_parse(s + start, end - start, &idx, &ad) == MAILIMF_NO_ERROR) {
			if (ad->ad_type == MAILIMF_ADDRESS_MAILBOX)
				addrs_add_mailbox(a, ad->ad_data.ad_mailbox);
			else
				addrs_add_mailbox_list(a, ad->ad_data.ad_group->grp_mb_list);
			mailimf_address_free(ad);
		}
		if (a->n == before)
			scan_addrs(a, s + start, end - start);
		start = end + 1;
	}
}

void
addrs_free(struct msg_addrs *a)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		free(a->v[i].name);
		free(a->v[i].addr);
	}
	free(a->v);
	memset(a, 0, sizeof(*a));
}
