/*
 * t-rrule - recurrence rules (lib/schedule/rrule.c): parsing, the
 * canonical text, the friendly --every form, and expansion across the
 * DST changes of 2027 in Berlin, New York and Sydney, with the cases
 * libical gets wrong (../shared/reference/queue.md 4c).
 */
#include "tap.h"

static struct agency ag;

/*
 * The first n occurrences (DTSTART first) of rule in zone from start, as
 * UTC instants or, with wall, as wall times; "END" where the series ends,
 * "ERR" if the rule does not parse.
 */
static char *
occurrences(const char *rule, const char *zone, const char *start, int n,
    int wall)
{
	static char out[2048];
	const struct tz *z;
	struct rrule r;
	int64_t dt, at, seq = 1, next;
	char buf[AG_TIMEBUF];
	size_t len = 0;
	int i;

	if (rrule_parse(&ag, rule, &r) != AG_OK ||
	    tz_load(&ag, zone, &z) != AG_OK || cal_parse(start, &dt) == -1) {
		printf("# %s\n", ag.err);
		return "ERR";
	}
	out[0] = '\0';
	for (i = 0, at = dt; i < n; i++) {
		if (i > 0 && rrule_next(&r, z, dt, at, seq, &next, &seq) !=
		    AG_OK) {
			len += (size_t)snprintf(out + len, sizeof(out) - len,
			    " END");
			break;
		}
		if (i > 0)
			at = next;
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s",
		    i ? " " : "", wall ? cal_format(at, buf) :
		    ag_time_format((time_t)tz_instant(z, at, NULL), buf));
	}
	return out;
}

static char *
expand(const char *rule, const char *zone, const char *start, int n)
{
	return occurrences(rule, zone, start, n, 0);
}

static char *
walls(const char *rule, const char *zone, const char *start, int n)
{
	return occurrences(rule, zone, start, n, 1);
}

static void
parse_fails(const char *rule, const char *part)
{
	struct rrule r;
	int rc = rrule_parse(&ag, rule, &r);

	ok(rc == AG_USAGE && strstr(ag.err, part) != NULL, "'%s' is refused: "
	    "%s", rule, rc == AG_USAGE ? ag.err : "(accepted)");
	ag_clear_error(&ag);
}

static void
canonical(const char *rule, const char *want)
{
	struct rrule r;
	char *s = NULL;

	if (rrule_parse(&ag, rule, &r) == AG_OK)
		s = rrule_format(&r);
	is_str(s, want, "canonical form of %s", rule);
	free(s);
}

static void
every(const char *text, const char *want)
{
	char *s = NULL;

	if (every_parse(&ag, text, &s) != AG_OK)
		printf("# %s\n", ag.err);
	is_str(s, want, "--every '%s'", text);
	free(s);
	ag_clear_error(&ag);
}

int
main(void)
{
	const struct tz *z;
	struct rrule r;
	int64_t dt, next, seq, first;
	char buf[AG_TIMEBUF];

	tap_tmpdir();
	tap_agency(&ag, "t-rrule");

	/* Weekly 09:00 across both changes in three zones: the wall time
	 * stays, the UTC instant moves. */
	is_str(expand("FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0",
	    "Europe/Berlin", "2027-03-15 09:00", 4),
	    "2027-03-15T08:00:00Z 2027-03-22T08:00:00Z 2027-03-29T07:00:00Z "
	    "2027-04-05T07:00:00Z", "Berlin, spring: 09:00 stays 09:00");
	is_str(expand("FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0",
	    "Europe/Berlin", "2027-10-18 09:00", 4),
	    "2027-10-18T07:00:00Z 2027-10-25T07:00:00Z 2027-11-01T08:00:00Z "
	    "2027-11-08T08:00:00Z", "Berlin, autumn");
	is_str(expand("FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0",
	    "America/New_York", "2027-03-08 09:00", 3),
	    "2027-03-08T14:00:00Z 2027-03-15T13:00:00Z 2027-03-22T13:00:00Z",
	    "New York, spring (14 March)");
	is_str(expand("FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0",
	    "America/New_York", "2027-11-01 09:00", 3),
	    "2027-11-01T13:00:00Z 2027-11-08T14:00:00Z 2027-11-15T14:00:00Z",
	    "New York, autumn (7 November)");
	is_str(expand("FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0",
	    "Australia/Sydney", "2027-03-29 09:00", 3),
	    "2027-03-28T22:00:00Z 2027-04-04T23:00:00Z 2027-04-11T23:00:00Z",
	    "Sydney, April: summer time ends");
	is_str(expand("FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0",
	    "Australia/Sydney", "2027-09-27 09:00", 3),
	    "2027-09-26T23:00:00Z 2027-10-03T22:00:00Z 2027-10-10T22:00:00Z",
	    "Sydney, October: summer time starts");

	/* The gap and the repeated hour, daily at 02:30 in Berlin: the gap
	 * day moves forward by the gap, the days after are 02:30 again
	 * (libical drifts to 03:30 for good); the repeated 02:30 is the
	 * first (libical takes the second). */
	is_str(expand("FREQ=DAILY", "Europe/Berlin", "2027-03-27 02:30", 3),
	    "2027-03-27T01:30:00Z 2027-03-28T01:30:00Z 2027-03-29T00:30:00Z",
	    "the gap: 03:30 CEST that day, 02:30 after");
	is_str(walls("FREQ=DAILY", "Europe/Berlin", "2027-03-27 02:30", 3),
	    "2027-03-27T02:30:00 2027-03-28T02:30:00 2027-03-29T02:30:00",
	    "the rule's wall times do not drift");
	is_str(expand("FREQ=DAILY", "Europe/Berlin", "2027-10-30 02:30", 3),
	    "2027-10-30T00:30:00Z 2027-10-31T00:30:00Z 2027-11-01T01:30:00Z",
	    "the repeated hour: the first 02:30");
	is_str(expand("FREQ=WEEKLY;BYDAY=SU", "Europe/Berlin",
	    "2027-03-21 02:30", 3),
	    "2027-03-21T01:30:00Z 2027-03-28T01:30:00Z 2027-04-04T00:30:00Z",
	    "weekly into the gap and out again");

	/* BYSETPOS, month ends, COUNT, UNTIL, ordinals. */
	is_str(walls("FREQ=WEEKLY;BYDAY=MO,FR;BYSETPOS=-1", "UTC",
	    "2027-03-01 10:00", 4),
	    "2027-03-01T10:00:00 2027-03-05T10:00:00 2027-03-12T10:00:00 "
	    "2027-03-19T10:00:00", "BYSETPOS with WEEKLY (libical ignores it)");
	is_str(walls("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "UTC",
	    "2027-01-29 10:00", 4),
	    "2027-01-29T10:00:00 2027-02-26T10:00:00 2027-03-31T10:00:00 "
	    "2027-04-30T10:00:00", "the last weekday of each month");
	is_str(walls("FREQ=MONTHLY;BYMONTHDAY=31", "UTC", "2027-01-31 10:00",
	    4), "2027-01-31T10:00:00 2027-03-31T10:00:00 2027-05-31T10:00:00 "
	    "2027-07-31T10:00:00", "the 31st skips short months");
	is_str(walls("FREQ=MONTHLY;BYMONTHDAY=-1", "UTC", "2027-01-31 10:00",
	    3), "2027-01-31T10:00:00 2027-02-28T10:00:00 2027-03-31T10:00:00",
	    "the last day of each month");
	is_str(walls("FREQ=MONTHLY;BYDAY=2MO", "UTC", "2027-01-11 10:00", 3),
	    "2027-01-11T10:00:00 2027-02-08T10:00:00 2027-03-08T10:00:00",
	    "the second Monday");
	is_str(walls("FREQ=MONTHLY;BYDAY=-1FR", "UTC", "2027-01-29 10:00", 3),
	    "2027-01-29T10:00:00 2027-02-26T10:00:00 2027-03-26T10:00:00",
	    "the last Friday");
	is_str(walls("FREQ=DAILY;COUNT=3", "UTC", "2027-01-01 10:00", 5),
	    "2027-01-01T10:00:00 2027-01-02T10:00:00 2027-01-03T10:00:00 END",
	    "COUNT counts DTSTART");
	is_str(expand("FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;UNTIL=20270326T140000Z",
	    "America/New_York", "2027-03-05 09:00", 5),
	    "2027-03-05T14:00:00Z 2027-03-19T13:00:00Z END",
	    "every other Friday until a UTC instant, across New York's change");
	is_str(walls("FREQ=DAILY;UNTIL=20270103", "UTC", "2027-01-01 10:00", 5),
	    "2027-01-01T10:00:00 2027-01-02T10:00:00 2027-01-03T10:00:00 END",
	    "UNTIL a date takes that day");
	is_str(walls("FREQ=DAILY;BYHOUR=9,17;BYMINUTE=0,30", "UTC",
	    "2027-01-01 09:00", 5), "2027-01-01T09:00:00 2027-01-01T09:30:00 "
	    "2027-01-01T17:00:00 2027-01-01T17:30:00 2027-01-02T09:00:00",
	    "BYHOUR x BYMINUTE");
	is_str(walls("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "UTC",
	    "2028-02-29 10:00", 3),
	    "2028-02-29T10:00:00 2032-02-29T10:00:00 2036-02-29T10:00:00",
	    "29 February: leap years only");
	is_str(walls("FREQ=YEARLY;BYDAY=20MO", "UTC", "2027-05-17 10:00", 2),
	    "2027-05-17T10:00:00 2028-05-15T10:00:00", "the 20th Monday");
	is_str(walls("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "UTC",
	    "2027-03-28 10:00", 3),
	    "2027-03-28T10:00:00 2028-03-26T10:00:00 2029-03-25T10:00:00",
	    "the last Sunday of March");
	is_str(walls("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;WKST=SU", "UTC",
	    "2027-01-03 10:00", 3),
	    "2027-01-03T10:00:00 2027-01-04T10:00:00 2027-01-18T10:00:00",
	    "WKST decides which week a Monday is in");
	is_str(walls("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "UTC",
	    "2027-01-01 10:00", 2), "2027-01-01T10:00:00 END",
	    "a rule that never matches ends");

	/* No horizon: the next occurrence 50 years on is found at once. */
	ok(rrule_parse(&ag, "FREQ=WEEKLY;BYDAY=TU;BYHOUR=9;BYMINUTE=0", &r) ==
	    AG_OK && tz_load(&ag, "Europe/Berlin", &z) == AG_OK &&
	    cal_parse("2026-12-01 09:00", &dt) == 0 &&
	    rrule_next(&r, z, dt, cal_local(2076, 12, 1, 12, 0, 0), 2600,
	    &next, &seq) == AG_OK && next == cal_local(2076, 12, 8, 9, 0, 0) &&
	    seq == 2601, "an occurrence in 2076, straight from 2076");
	ok(rrule_first(&r, z, cal_local(2026, 12, 3, 10, 0, 0) - 3600,
	    &first) == AG_OK && first == cal_local(2026, 12, 8, 9, 0, 0),
	    "with no --at, the first occurrence after now: %s",
	    cal_format(first, buf));

	/* Parsing. */
	canonical("freq=weekly;byday=fr,mo;byhour=9;byminute=0",
	    "FREQ=WEEKLY;BYDAY=FR,MO;BYHOUR=9;BYMINUTE=0");
	canonical("RRULE:FREQ=MONTHLY;INTERVAL=2;COUNT=5;BYDAY=-1FR",
	    "FREQ=MONTHLY;INTERVAL=2;COUNT=5;BYDAY=-1FR");
	canonical("FREQ=DAILY;UNTIL=20271231T235959Z;BYHOUR=17,9",
	    "FREQ=DAILY;UNTIL=20271231T235959Z;BYHOUR=9,17");
	parse_fails("FREQ=HOURLY", "FREQ=HOURLY is not supported");
	parse_fails("BYDAY=MO", "FREQ is missing");
	parse_fails("FREQ=DAILY;COUNT=2;UNTIL=20270101", "cannot both");
	parse_fails("FREQ=WEEKLY;BYDAY=2MO", "only for MONTHLY");
	parse_fails("FREQ=WEEKLY;BYMONTHDAY=1", "BYMONTHDAY cannot");
	parse_fails("FREQ=DAILY;BYHOUR=24", "BYHOUR=24");
	parse_fails("FREQ=DAILY;BYWEEKNO=3", "BYWEEKNO is not supported");
	parse_fails("FREQ=DAILY;FOO=1", "'FOO' is not a part");
	parse_fails("FREQ=DAILY;FREQ=WEEKLY", "FREQ is given twice");
	parse_fails("FREQ=DAILY;UNTIL=2027-01-01", "UNTIL=2027-01-01");
	parse_fails("FREQ=DAILY;INTERVAL=0", "INTERVAL=0");

	/* The friendly form. */
	every("mon-fri 09:00", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9;"
	    "BYMINUTE=0");
	every("day at 9:00,17:00", "FREQ=DAILY;BYHOUR=9,17;BYMINUTE=0");
	every("every day", "FREQ=DAILY");
	every("2 weeks on mon,thu at 18:30", "FREQ=WEEKLY;INTERVAL=2;"
	    "BYDAY=MO,TH;BYHOUR=18;BYMINUTE=30");
	every("month on 1,15 at 10:00", "FREQ=MONTHLY;BYMONTHDAY=1,15;"
	    "BYHOUR=10;BYMINUTE=0");
	every("weekends 11:00", "FREQ=WEEKLY;BYDAY=SA,SU;BYHOUR=11;"
	    "BYMINUTE=0");
	ok(every_parse(&ag, "mon 09:00,17:30", &(char *){ NULL }) ==
	    AG_USAGE && strstr(ag.err, "one post per time"), "09:00 and "
	    "17:30 make no one rule: %s", ag.err);
	ag_clear_error(&ag);
	ok(every_parse(&ag, "fortnightly", &(char *){ NULL }) == AG_USAGE,
	    "an unknown word: %s", ag.err);
	ag_clear_error(&ag);

	ag_release(&ag);
	return done_testing();
}
