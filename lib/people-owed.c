/* people-owed.c - senders whose mail asks for no reply: mailings from strangers. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kith/config.h"
#include "kith/identity.h"
#include "kith/model.h"
#include "kith/people.h"
#include "kith/store.h"
#include "kith/util.h"
#include "people-private.h"
#include "store-private.h"

/* The one integer that `sql` selects with ?1 bound to `text`; -1 on error. */
static int64_t
count_of(struct store *st, const char *sql, const char *text)
{
	sqlite3_stmt *s = store_stmt(st, sql);
	int64_t n = -1;

	sqlite3_bind_text(s, 1, text, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return n;
}

/*
 * Is the local part the name of its own domain ("acme@acme.example",
 * "acme@mail.acme.example")?  Then it speaks for the organisation.
 */
static bool
named_after_domain(const char *addr)
{
	const char *at = strrchr(addr, '@');
	char *reg;
	size_t n;
	bool r;

	if (!at || !(reg = identity_registrable_domain(at + 1)))
		return false;
	n = (size_t)(at - addr);
	r = strlen(reg) > n && reg[n] == '.' && strncmp(reg, addr, n) == 0;
	free(reg);
	return r;
}

/*
 * Mail from someone the user never wrote to, by any address, in any
 * field, is owed no reply when the sender is plainly a mailing rather
 * than a person asking something:
 *  - they wrote on OWED_MAILING_DAYS days or more, never once answered,
 *    each time with one subject, or mostly in mass mail (a newsletter
 *    the user is on, however it is addressed; a colleague's requests on
 *    many subjects are no mailing);
 *  - the address is named after its own domain (acme@acme.example);
 *  - no one at the sender's mail host was ever written to, and the host
 *    sent the user mass mail (bulk, or mail not addressed to them)
 *    OWED_MAILING_DAYS times or more (a conference invitation signed by
 *    the chairman of a company whose newsletters arrive weekly).
 * Each is about the mail the user has, never the order it came in.
 */
int
people_owes_nothing(struct store *st, int64_t person, char **why)
{
	sqlite3_stmt *s;
	struct strlist addrs = { 0 };
	int64_t n;
	size_t i;
	int rc = STORE_OK;

	*why = NULL;
	s = store_stmt(st, "SELECT count(*) FROM interactions WHERE person = ?1 AND dir = ?2");
	sqlite3_bind_int64(s, 1, person);
	sqlite3_bind_int(s, 2, DIR_OUT);
	n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
	sqlite3_reset(s);
	if (n != 0)
		return n < 0 ? store_fail(st, "reading interactions") : STORE_OK;
	s = store_stmt(st, "SELECT addr FROM addresses WHERE person = ?1 ORDER BY addr");
	sqlite3_bind_int64(s, 1, person);
	while (sqlite3_step(s) == SQLITE_ROW)
		strlist_add(&addrs, (const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	for (i = 0; i < addrs.n; i++)
		if (count_of(st, "SELECT count(*) FROM sent_to WHERE addr = ?1", addrs.v[i]) != 0)
			goto out;

	s = store_stmt(st, "SELECT count(DISTINCT i.at / ?2), count(*), count(DISTINCT coalesce(m.subject, '')), "
			   "sum(m.class IN ('bulk', 'blast')) FROM interactions i JOIN messages m ON m.id = i.message "
			   "WHERE i.person = ?1 AND i.dir = ?3");
	sqlite3_bind_int64(s, 1, person);
	sqlite3_bind_int64(s, 2, DAY_SECS);
	sqlite3_bind_int(s, 3, DIR_IN);
	if (sqlite3_step(s) == SQLITE_ROW && (n = sqlite3_column_int64(s, 0)) >= OWED_MAILING_DAYS) {
		int64_t all = sqlite3_column_int64(s, 1), subjects = sqlite3_column_int64(s, 2);
		int64_t mass = sqlite3_column_int64(s, 3);

		if (subjects == 1)
			*why = xasprintf("they sent the same subject on %lld days and you never wrote to them: "
					 "a mailing", (long long)n);
		else if (2 * mass > all)
			*why = xasprintf("they wrote on %lld days, mostly to many or not to you, and you never "
					 "wrote to them: a mailing", (long long)n);
	}
	sqlite3_reset(s);
	if (*why)
		goto out;
	for (i = 0; i < addrs.n; i++) {
		const char *host = strrchr(addrs.v[i], '@');

		if (named_after_domain(addrs.v[i])) {
			*why = xasprintf("%s is named after its domain: an organisation's mailing, not a person",
					 addrs.v[i]);
			goto out;
		}
		if (!host)
			continue;
		if (count_of(st, "SELECT count(*) FROM sent_to WHERE substr(addr, -length(?1)) = ?1", host) == 0 &&
		    (n = count_of(st, "SELECT count(*) FROM message_info mi JOIN messages m ON m.id = mi.message "
				      "WHERE substr(mi.from_addr, -length(?1)) = ?1 AND (m.class = 'bulk' OR "
				      "(m.class = 'blast' AND m.rule = 'user-not-addressed'))", host)) >=
			    OWED_MAILING_DAYS) {
			*why = xasprintf("no one at %s was ever written to, and it sent you %lld mass mailings",
					 host + 1, (long long)n);
			goto out;
		}
	}
out:
	strlist_free(&addrs);
	return rc;
}

int
people_asks_reply(struct store *st, int64_t person, bool *asks)
{
	char *key = people_key(st, person), *why = NULL;
	int rc = STORE_OK;

	/* A role mailbox that never answered in person (payroll@) is owed nothing. */
	*asks = !identity_is_role(key);
	free(key);
	if (*asks && (rc = people_owes_nothing(st, person, &why)) == STORE_OK && why)
		*asks = false;
	free(why);
	return rc;
}
