/* ics.c - the ATTENDEE and ORGANIZER lines of a calendar invite, as mail clients save them. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kith/ics.h"
#include "kith/util.h"

void
ics_people_free(struct ics_people *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++) {
		free(l->v[i].email);
		free(l->v[i].name);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* RFC 5545 §3.1: a line break followed by one space or tab continues the line. */
static char *
unfold(const char *s, size_t len)
{
	char *out = xmalloc(len + 1);
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
			i++;
		if (s[i] == '\n' || s[i] == '\r') {
			if (i + 1 < len && (s[i + 1] == ' ' || s[i + 1] == '\t')) {
				i++;
				continue;
			}
			out[o++] = '\n';
			continue;
		}
		/* A NUL inside the file would cut the text short: make it a blank. */
		out[o++] = s[i] ? s[i] : ' ';
	}
	out[o] = '\0';
	return out;
}

/* A parameter value, unquoted, copied; NULL when empty. */
static char *
param_value(const char *v, size_t n)
{
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v++;
		n -= 2;
	}
	while (n > 0 && (*v == ' ' || *v == '\t'))
		v++, n--;
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	return n ? xstrndup(v, n) : NULL;
}

static bool
looks_like_address(const char *a)
{
	const char *at = strchr(a, '@');

	return at && at > a && at[1] && !strchr(at + 1, '@') && !strpbrk(a, " \t<>,;\"");
}

static void
add_person(struct ics_people *l, char *email, char *name, bool organizer)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcasecmp(l->v[i].email, email) == 0) {
			if (!l->v[i].name && name) {
				l->v[i].name = name;
				name = NULL;
			}
			free(email);
			free(name);
			return;
		}
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->v[l->n].email = email;
	l->v[l->n].name = name;
	l->v[l->n].organizer = organizer;
	l->n++;
}

/* One unfolded content line: NAME *(";" PARAM) ":" VALUE. */
static void
parse_line(const char *line, struct ics_people *l)
{
	const char *p = line, *colon = NULL;
	char *cn = NULL, *email = NULL, *value;
	bool organizer;
	size_t nl;

	nl = strcspn(line, ";:");
	if (nl == 8 && strncasecmp(line, "ATTENDEE", 8) == 0)
		organizer = false;
	else if (nl == 9 && strncasecmp(line, "ORGANIZER", 9) == 0)
		organizer = true;
	else
		return;
	p = line + nl;
	while (*p == ';') {
		const char *name = ++p, *eq, *v;
		bool quoted = false;

		eq = p + strcspn(p, "=;:");
		if (*eq != '=')
			break;
		v = eq + 1;
		for (p = v; *p && (quoted || (*p != ';' && *p != ':')); p++)
			if (*p == '"')
				quoted = !quoted;
		if ((size_t)(eq - name) == 2 && strncasecmp(name, "CN", 2) == 0) {
			free(cn);
			cn = param_value(v, (size_t)(p - v));
		} else if ((size_t)(eq - name) == 5 && strncasecmp(name, "EMAIL", 5) == 0) {
			free(email);
			email = param_value(v, (size_t)(p - v));
		}
	}
	if (*p == ':')
		colon = p;
	value = colon ? param_value(colon + 1, strlen(colon + 1)) : NULL;
	if (value && strncasecmp(value, "mailto:", 7) == 0 && looks_like_address(value + 7)) {
		free(email);
		email = xstrdup(value + 7);
	}
	free(value);
	if (email && looks_like_address(email))
		add_person(l, email, cn, organizer);
	else {
		free(email);
		free(cn);
	}
}

int
ics_people_parse(const char *s, size_t len, struct ics_people *out)
{
	char *text = unfold(s, len), *line, *next;
	struct ics_people org = { 0 };
	size_t i;

	memset(out, 0, sizeof(*out));
	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		parse_line(line, out);
	}
	free(text);
	/* The organizer first: whoever called the meeting leads the briefing. */
	for (i = 0; i < out->n; i++)
		if (out->v[i].organizer)
			break;
	if (i > 0 && i < out->n) {
		org.v = xmalloc(sizeof(*org.v));
		org.v[0] = out->v[i];
		memmove(out->v + 1, out->v, i * sizeof(*out->v));
		out->v[0] = org.v[0];
		free(org.v);
	}
	return 0;
}
