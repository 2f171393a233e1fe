/* str.c - strict parsing of numbers and booleans, list membership. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "str.h"

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
