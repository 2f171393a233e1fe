/* when.c - the times a user writes: wall times, instants, now, +15m. */
#include <string.h>

#include "agency.h"
#include "schedule/schedule.h"

int
when_parse(const struct tz *z, const char *s, int64_t now, int64_t *t,
    enum tz_fit *fit)
{
	int64_t local;
	time_t inst;
	double d;

	if (fit != NULL)
		*fit = TZ_EXACT;
	if (s == NULL)
		return -1;
	if (strcmp(s, "now") == 0) {
		*t = now;
		return 0;
	}
	if ((s[0] == '+' || s[0] == '-') && ag_duration_parse(s + 1, &d) == 0) {
		*t = now + (int64_t)(s[0] == '-' ? -d : d);
		return 0;
	}
	if (ag_time_parse(s, &inst) == 0) {
		*t = (int64_t)inst;
		return 0;
	}
	if (cal_parse(s, &local) == 0) {
		*t = tz_instant(z, local, fit);
		return 0;
	}
	return -1;
}
