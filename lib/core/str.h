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

/*
 * ag_utf8_decode() - the code point that starts s (which must not be at
 * its NUL) and, in *len, how many bytes it takes.  A malformed, overlong
 * or surrogate sequence decodes as U+FFFD and takes one byte, so a loop
 * over a string always advances and never reads past the NUL.
 */
unsigned long ag_utf8_decode(const char *s, size_t *len);
/* Write code point cp as UTF-8 to out (room for 4); returns the length. */
size_t ag_utf8_encode(unsigned long cp, char *out);

#endif
