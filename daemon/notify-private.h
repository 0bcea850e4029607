/* notify-private.h - between the notifier thread and the digest it shows. */
#ifndef KITH_NOTIFY_PRIVATE_H
#define KITH_NOTIFY_PRIVATE_H

#include <stdint.h>

struct store;

/* One nudge of a digest.  Strings are owned: candidate_free(). */
struct candidate {
	const char *kind;		/* "due" or "reply" (static) */
	int64_t person_id;
	char *person_key;		/* normalised address: survives a rebuild */
	char *period;			/* due date, or the Message-ID owed a reply */
	char *name;
	char *email;
	char *subject;			/* for "Re: " in the mailto link; may be NULL */
	int64_t since;			/* replies: when the mail owed an answer came */
	char *summary;			/* the notification's title */
	char *body;			/* its text, markup-escaped */
};
void candidate_free(struct candidate *c);

/* Nudges shown or logged since local midnight; 0 or -1. */
int digest_shown_today(struct store *st, int64_t now, int *count);

/*
 * Fill out[] (room entries) with today's nudges not shown before for the
 * same due period.  Returns how many, or -1.  The entries are the caller's.
 */
int digest_choose(struct store *st, int64_t now, int room, struct candidate *out);

/* Remember a nudge as shown ("desktop" or "log"), or the action taken on it. */
int digest_record_shown(struct store *st, const struct candidate *c, int64_t now,
			const char *channel);
int digest_record_action(struct store *st, const struct candidate *c, const char *action,
			 int64_t now);

#endif
