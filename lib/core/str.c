/*
 * str.c - strict parsing of numbers and booleans, list membership, and
 * "did you mean".
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "str.h"
#include "xalloc.h"

int
ag_parse_ll(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
ag_parse_double(const char *s, double *out)
{
	char *end;
	double v;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || *end != '\0' || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

int
ag_parse_bool(const char *s, int *out)
{
	if (s == NULL)
		return -1;
	if (ag_in_list("true,yes,on,1", s))
		*out = 1;
	else if (ag_in_list("false,no,off,0", s))
		*out = 0;
	else
		return -1;
	return 0;
}

int
ag_in_list(const char *list, const char *s)
{
	size_t n = strlen(s);
	const char *p = list;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, s, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
		if ((p = strchr(p, ',')) != NULL)
			p++;
	}
	return 0;
}

int
ag_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

size_t
ag_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev, cur, tmp;
	size_t *row = xcalloc(lb + 1, sizeof(*row));

	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			cur = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < cur)
				cur = row[j] + 1;
			if (row[j - 1] + 1 < cur)
				cur = row[j - 1] + 1;
			row[j] = cur;
			prev = tmp;
		}
	}
	cur = row[lb];
	free(row);
	return cur;
}

const char *
ag_closest(const char *word, const char *const *cands)
{
	const char *best = NULL;
	size_t d, bestd = (size_t)-1, limit;

	limit = strlen(word) / 3 > 2 ? strlen(word) / 3 : 2;
	for (; *cands != NULL; cands++) {
		d = ag_edit_distance(word, *cands);
		if (d < bestd && d <= limit) {
			bestd = d;
			best = *cands;
		}
	}
	return best;
}
