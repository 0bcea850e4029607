/* test-identity.c - address normalisation, the user's addresses, name keys, registrable domains. */
#include "config.h"

#include <stdlib.h>

#include "kith/config.h"
#include "kith/identity.h"
#include "tap.h"

static struct strlist me;

static bool
is_me(void *arg, const char *addr)
{
	(void)arg;
	return identity_me_match(&me, addr);
}

static void
norm_is(const char *in, const char *want)
{
	char *got = identity_normalize(in, is_me, NULL);

	is_str(got, want, "normalise '%s'", in ? in : "(null)");
	free(got);
}

static void
key_is(const char *name, const char *want)
{
	char *got = identity_name_key(name);

	is_str(got, want, "name key of '%s'", name ? name : "(null)");
	free(got);
}

static void
reg_is(const char *in, const char *want)
{
	char *got = identity_registrable_domain(in);

	is_str(got, want, "registrable domain of '%s'", in);
	free(got);
}

static void
keys_are(const char *addr, const char *joined, const char *initial, bool single)
{
	char *j = NULL, *i = NULL;
	bool sg = false;
	int rc = identity_local_keys(addr, &j, &i, &sg);

	if (!joined) {
		ok(rc == -1, "no local keys for '%s'", addr);
		return;
	}
	is_str(j, joined, "joined key of '%s'", addr);
	is_str(i, initial, "initial + surname of '%s'", addr);
	ok(sg == single, "'%s' is %sa one-word local part", addr, single ? "" : "not ");
	free(j);
	free(i);
}

static void
str_is(char *got, const char *want, const char *what)
{
	is_str(got, want, "%s", what);
	free(got);
}

int
main(void)
{
	strlist_add(&me, "ana@example.org");
	strlist_add(&me, "*@ana.dev");
	strlist_add(&me, "me.name@gmail.com");

	/* Case: domains lower-cased, local parts case-folded. */
	norm_is("Alice@Example.COM", "alice@example.com");
	norm_is("ÉLODIE@Example.com", "élodie@example.com");
	/* IDN and punycode are one address. */
	norm_is("bob@bücher.example", "bob@xn--bcher-kva.example");
	norm_is("bob@XN--BCHER-KVA.example", "bob@xn--bcher-kva.example");
	norm_is("bob@BÜCHER.example", "bob@xn--bcher-kva.example");
	/* Gmail and Googlemail: dots and +tags ignored, one domain. */
	norm_is("Me.Name+shop@googlemail.com", "mename@gmail.com");
	norm_is("j.o.e+x@gmail.com", "joe@gmail.com");
	/* Elsewhere a +tag stays, unless the address is the user's. */
	norm_is("bob+work@corp.example", "bob+work@corp.example");
	norm_is("ana+lists@example.org", "ana@example.org");
	norm_is("ANA+x@Example.org", "ana@example.org");
	norm_is("x+y@ana.dev", "x@ana.dev");
	/* Not addresses. */
	norm_is("nobody", NULL);
	norm_is("@example.com", NULL);
	norm_is("bob@", NULL);
	norm_is(NULL, NULL);

	/* The user's addresses by glob, with and without a +tag. */
	ok(identity_me_match(&me, "ana@example.org"), "me: exact");
	ok(identity_me_match(&me, "ana+news@example.org"), "me: with a +tag");
	ok(identity_me_match(&me, "anything@ana.dev"), "me: glob");
	ok(!identity_me_match(&me, "ana@example.com"), "me: another domain is not me");
	ok(!identity_me_match(&me, "bob@example.org"), "me: another local part is not me");
	ok(!identity_me_match(NULL, "ana@example.org"), "me: no config, no me");
	{
		/* Gmail's +tag form of the user's gmail address normalises to it. */
		char *n = identity_normalize("Me.Name+shop@googlemail.com", is_me, NULL);

		ok(identity_me_match(&me, n), "me: googlemail +tag variant is the user");
		free(n);
	}

	/* Name keys: order, commas, case, accents, punctuation. */
	key_is("Smith, John", "john smith");
	key_is("John Smith", "john smith");
	key_is("  JOHN   smith ", "john smith");
	key_is("Jöhn Smíth", "john smith");
	key_is("Émile Zola", "emile zola");
	key_is("\"O'Brien, Pat\"", "brien o pat");
	key_is("ＪＯＨＮ Smith", "john smith");
	key_is("---", NULL);
	key_is("", NULL);
	key_is(NULL, NULL);
	{
		char *a = identity_name_key("John Smith"), *b = identity_name_key("John A. Smith");

		ok(strcmp(a, b) != 0, "a middle initial is a different key");
		free(a);
		free(b);
	}

	/* Registrable domains from the public suffix list. */
	reg_is("a@mail.corp.co.uk", "corp.co.uk");
	reg_is("john@corp.com", "corp.com");
	reg_is("jsmith@eu.corp.com", "corp.com");
	reg_is("x@mail.bücher.de", "xn--bcher-kva.de");
	reg_is("ana@example.org", "example.org");
	ok(identity_registrable_domain("nodomain@") == NULL, "no domain: NULL");

	/* Folding for search. */
	{
		char *f = identity_fold("Zoë ÅSTRÖM");

		is_str(f, "zoe astrom", "fold strips accents and case");
		free(f);
	}
	/* Role mailboxes: by the words of the local part. */
	ok(identity_is_role("expense.reports@corp.com"), "expense.reports is a role mailbox");
	ok(identity_is_role("ExpenseReports@corp.com"), "ExpenseReports is one too (role words run together)");
	ok(identity_is_role("billing@shop.example"), "billing is a role mailbox");
	ok(identity_is_role("hr-payroll@corp.com"), "hr-payroll is a role mailbox");
	ok(identity_is_role("helpdesk2@corp.com"), "helpdesk2 is a role mailbox");
	ok(identity_is_role("administration.enron@enron.com"), "administration.enron is a role mailbox");
	ok(!identity_is_role("sysadmin.joe@corp.com"), "sysadmin.joe is a person");
	ok(!identity_is_role("chris.germany@enron.com"), "chris.germany is a person");
	ok(!identity_is_role("teamlead@corp.com"), "teamlead is no run of role words");
	ok(!identity_is_role("hrothgar@corp.com"), "hrothgar is a person");
	ok(!identity_is_role("@corp.com") && !identity_is_role(NULL), "no local part: no role");

	/* Local-part keys for mail without display names. */
	keys_are("britt_davis@enron.com", "brittdavis", "bdavis", false);
	keys_are("Britt.Davis@enron.com", "brittdavis", "bdavis", false);
	keys_are("david.k.bargainer@enron.com", "davidbargainer", "dbargainer", false);
	keys_are("david.bargainer@enron.com", "davidbargainer", "dbargainer", false);
	keys_are("rkilmer@enron.com", "rkilmer", NULL, true);
	keys_are("m.ford@corp.com", "mford", NULL, true);
	keys_are("paul.k.ortiz+lists@corp.com", "paulortiz", "portiz", false);
	keys_are("élodie@corp.com", NULL, NULL, false);

	/* Words of a local part, spelling as written. */
	str_is(identity_local_words("Ann.Lee@corp.com"), "ann lee", "ann.lee as words");
	str_is(identity_local_words("ann_lee+x@corp.com"), "ann lee", "ann_lee+x as words");
	str_is(identity_spelling("Bruno.Keller@GMail.com"), "Bruno.Keller@gmail.com",
	       "a spelling keeps the local part, lower-cases the domain");
	ok(identity_spelling("nobody") == NULL, "no spelling without '@'");
	str_is(identity_name_core("Drew Fossum (E-mail)"), "Drew Fossum", "a note in parentheses goes");
	str_is(identity_name_core("  Ann Lee [work] "), "Ann Lee", "a note in brackets goes");
	str_is(identity_name_core("(E-mail)"), "(E-mail)", "a name that is all note stays");

	strlist_free(&me);
	return done_testing();
}
