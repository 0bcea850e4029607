/* ics.h - the people of a calendar invite (iCalendar ATTENDEE and ORGANIZER lines). */
#ifndef KITH_ICS_H
#define KITH_ICS_H

#include <stdbool.h>
#include <stddef.h>

struct ics_person {
	char *email;			/* the mailto: address (or EMAIL= parameter), as written */
	char *name;			/* the CN parameter, or NULL */
	bool organizer;
};

struct ics_people {
	struct ics_person *v;
	size_t n;
};

/*
 * Every ORGANIZER and ATTENDEE of the iCalendar text `s` (len bytes):
 * folded lines are unfolded (a line break followed by a space or a tab),
 * parameters may be quoted ("Smith, Ana") and hold ':' or ';', the
 * mailto: scheme is any case, and an address seen twice is listed once
 * (the organizer first).  Lines without an address are skipped.  Returns
 * 0; *out is the caller's: ics_people_free().
 */
int ics_people_parse(const char *s, size_t len, struct ics_people *out);
void ics_people_free(struct ics_people *l);

#endif
