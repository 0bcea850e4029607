/* identity.h - addresses and names normalised so one person is one key (docs/architecture.md, Identity). */
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

/*
 * Is this a role mailbox: a local part made of words such as expense,
 * billing, invoice, support, help, admin, info, office, hr, payroll,
 * accounts, sales, orders, reports or team ("expense.reports@",
 * "helpdesk@", "hr-payroll@")?  Such an address becomes a relationship
 * only once it has answered the user in person.
 */
bool identity_is_role(const char *addr);

/*
 * The keys that pair two spellings of one person's local part on one
 * domain, for mail without display names.  `joined`: the local part
 * (case-folded, +tag dropped) without the separators . _ - and without
 * middle initials ("david.k.bargainer" → "davidbargainer", "ann_lee" →
 * "annlee").  `initial`: the first initial and the surname of a local
 * part in two or more words ("robert.kilmer" → "rkilmer"), else NULL.
 * `single`: true when the local part is one word or an initial and a
 * word ("rkilmer", "m.ford"), the shape an initial + surname takes.
 * Returns 0, or -1 (nothing set) when the local part is not plain ASCII
 * letters, digits and separators.  Free *joined and *initial.
 */
int identity_local_keys(const char *addr, char **joined, char **initial, bool *single);

/*
 * The local part as words, for matching a name typed by the user
 * ("ann.lee@x.org" → "ann lee"): separators . _ - become spaces, the
 * +tag is dropped, the rest is folded like identity_fold.  Returns a new
 * string (free it), NULL when `addr` has no local part.
 */
char *identity_local_words(const char *addr);

/*
 * An address as its author wrote it, for showing: the local part kept,
 * the domain lower-cased.  Returns a new string (free it), NULL when
 * `addr` has no '@' or an empty side.
 */
char *identity_spelling(const char *addr);

/*
 * A display name with trailing notes in parentheses or brackets removed
 * ("Drew Fossum (E-mail)" → "Drew Fossum"), so that the copy of a name
 * others give an address compares with the name itself.  Returns a new
 * string (free it).
 */
char *identity_name_core(const char *name);

#endif
