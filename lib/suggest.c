/* suggest.c - "did you mean": ranking by name words, prefixes and edit distance. */
#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "kith/suggest.h"
#include "kith/util.h"

static int
min3(int a, int b, int c)
{
	int m = a < b ? a : b;

	return m < c ? m : c;
}

/* Distance of the first la bytes of a and lb bytes of b. */
static int
distance_n(const char *a, size_t la, const char *b, size_t lb)
{
	int d[SUGGEST_MAX_LEN + 1][SUGGEST_MAX_LEN + 1];
	size_t i, j;

	if (la > SUGGEST_MAX_LEN)
		la = SUGGEST_MAX_LEN;
	if (lb > SUGGEST_MAX_LEN)
		lb = SUGGEST_MAX_LEN;
	for (i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
			int cost = ca != cb;

			d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	}
	return d[la][lb];
}

int
suggest_distance(const char *a, const char *b)
{
	return distance_n(a, strlen(a), b, strlen(b));
}

int
suggest_tolerance(size_t len)
{
	if (len <= 4)
		return 1;
	if (len <= 8)
		return 2;
	return 3;
}

static bool
word_sep(char ch)
{
	return ch == ' ' || ch == '-' || ch == '.' || ch == ',' || ch == '_' || ch == '\'' || ch == '"';
}

/* The best score of typed against the words of s (split at separators). */
static int
words_score(const char *typed, const char *s)
{
	size_t lt = strlen(typed), lw;
	const char *w = s;
	int best = -1, d;

	while (*w) {
		while (*w && word_sep(*w))
			w++;
		if (!*w)
			break;
		for (lw = 0; w[lw] && !word_sep(w[lw]); lw++)
			;
		if (lw >= lt && strncasecmp(w, typed, lt) == 0)
			return 0;
		d = distance_n(typed, lt, w, lw);
		/* A mistyped start of a longer word ("pieer" for "Pieterse") costs one more. */
		if (lw > lt) {
			int dp = distance_n(typed, lt, w, lt) + 1;

			if (dp < d)
				d = dp;
		}
		if (best < 0 || d < best)
			best = d;
		w += lw;
	}
	return best;
}

int
suggest_name_score(const char *typed, const char *name, const char *email)
{
	size_t lt = strlen(typed);
	int best = -1, d;
	char local[SUGGEST_MAX_LEN + 1];
	const char *at;

	if (lt == 0)
		return -1;
	if (name && *name) {
		best = words_score(typed, name);
		d = suggest_distance(typed, name);
		if (best < 0 || d < best)
			best = d;
	}
	if (email && *email) {
		at = strchr(email, '@');
		snprintf(local, sizeof(local), "%.*s", at ? (int)(at - email) : (int)strlen(email), email);
		if (strncasecmp(email, typed, lt) == 0)
			return 0;
		d = words_score(typed, local);
		if (d >= 0 && (best < 0 || d < best))
			best = d;
	}
	if (best < 0 || best > suggest_tolerance(lt))
		return -1;
	return best;
}

const char *
suggest_word(const char *typed, const char *const *words, size_t n)
{
	const char *best = NULL;
	int bd = 0, d;
	size_t i, lt = strlen(typed);

	for (i = 0; i < n; i++) {
		d = suggest_distance(typed, words[i]);
		/* The start of a word, typed whole ("stat" for "status"), is near too. */
		if (lt >= 3 && strncasecmp(words[i], typed, lt) == 0 && d > 1)
			d = 1;
		if (d <= suggest_tolerance(lt) && (!best || d < bd)) {
			best = words[i];
			bd = d;
		}
	}
	return best;
}
