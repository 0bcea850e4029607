/* suggest.h - "did you mean": how near a typed word is to a name, a command or an option. */
#ifndef KITH_SUGGEST_H
#define KITH_SUGGEST_H

#include <stddef.h>

/*
 * Edit distance between a and b: insertions, deletions, substitutions and
 * swaps of neighbours each cost 1 (optimal string alignment), ASCII case
 * folded.  Strings longer than SUGGEST_MAX_LEN bytes are cut there.
 */
#define SUGGEST_MAX_LEN 64
int suggest_distance(const char *a, const char *b);

/* The largest distance still worth suggesting for a word of `len` bytes. */
int suggest_tolerance(size_t len);

/*
 * How well `typed` names someone called `name` with address `email` (either
 * may be NULL): 0 when it starts one of the name's words or the address;
 * else the smallest edit distance to a word of the name, to the start of a
 * word, to the address's local part or to the whole name.  Returns -1 when
 * nothing is near enough to suggest.  Lower is better.
 */
int suggest_name_score(const char *typed, const char *name, const char *email);

/*
 * The best of `n` words for `typed` (a command, an option), or NULL when
 * none is within suggest_tolerance.  Points into words.
 */
const char *suggest_word(const char *typed, const char *const *words, size_t n);

#endif
