/*
 * str.h - small string helpers shared by options, config and documents.
 *
 * The parsers are strict: the whole string must be the value, or they
 * return -1 and leave *out alone (style(9), sbase's estrtonum).
 */
#ifndef AG_STR_H
#define AG_STR_H

#include <stddef.h>

int ag_parse_ll(const char *s, long long min, long long max, long long *out);
/* A finite number. */
int ag_parse_double(const char *s, double *out);
/* true/yes/on/1 and false/no/off/0. */
int ag_parse_bool(const char *s, int *out);
/* Is s one of the items of a comma-separated list? */
int ag_in_list(const char *list, const char *s);
/* Does s start with prefix? */
int ag_starts_with(const char *s, const char *prefix);
/* Levenshtein distance between two strings. */
size_t ag_edit_distance(const char *a, const char *b);
/*
 * The candidate (a NULL-terminated list) closest to word, for "did you
 * mean": NULL when none is within a third of word's length (at least 2).
 */
const char *ag_closest(const char *word, const char *const *cands);

/*
 * Words in text (text.c).  ag_keywords() gives the lower-case
 * significant words of text (stop words, numbers and words under three
 * letters out), most frequent first, then by first appearance, at most
 * max of them, in a new array of new strings: ag_keywords_free() them.
 */
size_t ag_utf8_len(const char *s);
int ag_stop_word(const char *w, const char *language);
void ag_keywords(const char *text, const char *language, size_t max,
    char ***words, size_t *n);
void ag_keywords_free(char **words, size_t n);

/*
 * ag_utf8_decode() (text.c) - the code point that starts s (not at
 * its NUL) and, in *len, how many bytes it takes.  A malformed, overlong
 * or surrogate sequence decodes as U+FFFD and takes one byte, so a loop
 * over a string always advances and never reads past the NUL.
 */
unsigned long ag_utf8_decode(const char *s, size_t *len);
/* Write code point cp as UTF-8 to out (room for 4); returns the length. */
size_t ag_utf8_encode(unsigned long cp, char *out);

#endif
