/* header-private.h - what header.c borrows from header-text.c. */
#ifndef KITH_HEADER_PRIVATE_H
#define KITH_HEADER_PRIVATE_H

#include "kith/header.h"

struct mailimf_mailbox;
struct mailimf_mailbox_list;
struct mailimf_address_list;

/*
 * An unstructured value (List-Id, Thread-Index ...): unfolded, cut at
 * HEADER_MAX_FIELD, valid UTF-8, control characters removed.  NULL when
 * nothing remains; the caller frees.
 */
char *clean_text(const char *s);

/* The same for RFC 2047 text (display names, Subject), decoded to UTF-8. */
char *decode_text(const char *s);

/*
 * Append the sane addresses of a parsed mailbox, mailbox list, address
 * list (groups expanded), or of a raw value the parser refused, to `a`,
 * at most HEADER_MAX_ADDRS.  The strings belong to `a`: addrs_free().
 */
void addrs_add_mailbox(struct msg_addrs *a, const struct mailimf_mailbox *mb);
void addrs_add_mailbox_list(struct msg_addrs *a, const struct mailimf_mailbox_list *ml);
void addrs_add_address_list(struct msg_addrs *a, const struct mailimf_address_list *al);
void addrs_salvage(struct msg_addrs *a, const char *s);
void addrs_free(struct msg_addrs *a);

#endif
