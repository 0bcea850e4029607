/* identity.h - addresses and names normalised so one person is one key (DESIGN §6). */
#ifndef KITH_IDENTITY_H
#define KITH_IDENTITY_H

#include <stdbool.h>

struct strlist;

/*
 * Is `addr` (already normalised, without a +tag) one of the user's?  The
 * people model passes a function that also knows the addresses learned
 * from the Sent folders.
 */
typedef bool (*identity_is_me_fn)(void *arg, const char *addr);

/*
 * Normalise an address for comparison: the domain in its IDNA ASCII form,
 * lower-case (kept as written, lower-cased, when IDNA refuses it); the
 * local part case-folded; for gmail.com and googlemail.com dots and +tags
 * dropped and the domain gmail.com.  Elsewhere a +tag is dropped only when
 * the address without it is the user's (is_me may be NULL).  Returns a new
 * string (free it), or NULL when `addr` has no '@' or an empty side.
 */
char *identity_normalize(const char *addr, identity_is_me_fn is_me, void *arg);

/*
 * Does the normalised address match one of the `me` globs, with or without
 * its +tag?  `me` may be NULL.
 */
bool identity_me_match(const struct strlist *me, const char *addr);

/*
 * The key two spellings of one name share: "Smith, John" and "john  smith"
 * and "Jöhn Smith" all give "john smith" (NFKC case-folded, accents
 * stripped, punctuation dropped, tokens sorted).  Returns a new string
 * (free it), or NULL when the name has no letters or digits.
 */
char *identity_name_key(const char *name);

/*
 * The registrable domain of an address or a domain ("mail.corp.co.uk" →
 * "corp.co.uk") from the public suffix list built into libpsl.  Returns a
 * new string (free it); the domain itself when libpsl knows no better,
 * NULL when there is no domain.
 */
char *identity_registrable_domain(const char *addr_or_domain);

/* Normalise a text for case- and accent-insensitive search.  Returns a new string (free it). */
char *identity_fold(const char *text);

#endif
