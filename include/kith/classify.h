/* classify.h - what kind of mail is it: ordered rules, first match wins (docs/architecture.md, Classify). */
#ifndef KITH_CLASSIFY_H
#define KITH_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kith/header.h"

enum msg_class {
	CLASS_SELF,		/* from the user: counted for each recipient */
	CLASS_NOTE,		/* from the user to the user only: counts for no one */
	CLASS_BOUNCE,
	CLASS_AUTO,
	CLASS_REPLY_HUMAN,
	CLASS_LIST,
	CLASS_BULK,
	CLASS_NOTIFICATION,
	CLASS_BLAST,
	CLASS_HUMAN,
};

/* "self", "note", "bounce", "auto", "reply-human", "list", "bulk", "notification", "blast", "human" */
const char *msg_class_name(enum msg_class c);

/*
 * What classify needs to know beyond the message.  Both callbacks receive
 * addresses as written in the message; normalising is their job.
 */
struct classify_env {
	/* Is addr one of the user's own addresses? */
	bool (*is_me)(void *arg, const char *addr);
	/* Did the user send the message `message_id` (without <>) to `addr`? */
	bool (*user_sent_to)(void *arg, const char *message_id, const char *addr);
	void *arg;
	/*
	 * For a message without In-Reply-To and References: did the user write
	 * to `addr` in the conversation that the Thread-Index key `ti` names, or
	 * (ti NULL or no such message) with the base subject `subject` in the
	 * THREAD_SUBJECT_WINDOW before `date`?  NULL: never.
	 */
	bool (*user_wrote_thread)(void *arg, const char *ti, const char *subject, int64_t date,
				  const char *addr);
	/* More recipients than this make a blast whoever sent it; 0: no limit. */
	int max_recipients;
};

struct classification {
	enum msg_class cls;
	const char *rule;		/* static name of the deciding rule, e.g. "list-id", "x-original-sender" */
	const struct msg_addr *author;	/* the real author, pointing into the message; NULL when none */
	bool user_in_to;		/* a user's address is in To */
	bool user_in_cc;		/* ... in Cc (and not in To) */
	bool is_reply;			/* answers an earlier message (In-Reply-To, References, Thread-Index, "Re:") */
	bool calendar_reply;		/* text/calendar method=REPLY: light weight, no reply bonus */
	bool opens;			/* opens a conversation: no In-Reply-To, References, Thread-Index
					   continuation, reply or forward prefix */
	size_t nrecipients;		/* addresses in To and Cc other than the sender */
	const struct msg_addr **dead;	/* bounce: the addresses that failed (point into the message) */
	size_t ndead;
};

/*
 * The rules, in order; `rule` is one of these static names:
 *   self          from-is-me, note-to-self (unless auto evidence below)
 *   bounce        multipart-report (delivery-status), mailer-daemon
 *   auto          multipart-report (other reports), auto-submitted,
 *                 x-autoreply, x-autorespond, precedence-auto-reply,
 *                 auto-reply-subject ("Automatic reply:", "Out of Office:")
 *   reply-human   reply-to-user (In-Reply-To or References), reply-thread-index,
 *                 reply-subject (see user_wrote_thread)
 *   notification  x-github-sender, google-docs, via-linkedin, noreply-local-part
 *   list          list-id, list-post, precedence-list, mailing-list
 *                 (not when a mass-mailer header or Feedback-ID is present)
 *   bulk          precedence-bulk, list-unsubscribe, feedback-id, mass-mailer
 *   blast         user-not-addressed, too-many-recipients
 *   human         default
 * Notification comes before list and bulk because GitHub and LinkedIn put
 * List-Id and List-Unsubscribe on every notification.
 *
 * Classify a parsed message.  Never fails.  Pointers in *out point into `m`,
 * which must outlive it; free the arrays with classification_free().
 */
void classify(const struct kith_msg *m, const struct classify_env *env, struct classification *out);
void classification_free(struct classification *c);

/*
 * The subject a thread keeps: reply and forward prefixes (Re, RE, Fwd, FW,
 * AW, WG, SV, TR, Réf, Antw, VS, Odp, Rif, repeated or numbered "Re[2]:")
 * and [tags] removed, lower-cased, trimmed.  NULL when nothing is left.
 * Returns a new string: free() it.
 */
char *classify_base_subject(const char *subject);
/* Does the subject start with a reply prefix (after [tags])? */
bool classify_reply_subject(const char *subject);
/* ... with any reply or forward prefix (Re, Fwd, FW, WG, TR ...)? */
bool classify_prefixed_subject(const char *subject);
/*
 * The conversation key of an Outlook Thread-Index (its first bytes, which
 * name the conversation), or NULL when it is too short to be one.  Returns
 * a new string: free() it.
 */
char *classify_thread_index_key(const char *thread_index);
/* Does the Thread-Index continue a conversation (longer than its root)? */
bool classify_thread_index_continues(const char *thread_index);
/* A plain-words explanation of a rule name (classification.rule), or NULL. */
const char *classify_rule_text(const char *rule);

#endif
