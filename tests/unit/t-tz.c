/*
 * t-tz - the calendar and the zone reader (lib/schedule/tz.c).
 *
 * The oracle for offsets is the C library: glibc reads the same TZif
 * files with code of its own, so for every zone and instant tried here
 * our tz_offset() must agree with localtime_r() under that TZ.  The
 * conversions from wall time are checked on the DST days of 2027 by
 * hand, and against the TZ the process runs in.
 */
#include <time.h>

#include "tap.h"

static int64_t
utc(const char *s)
{
	time_t t;

	if (ag_time_parse(s, &t) == -1) {
		printf("# bad time %s\n", s);
		exit(2);
	}
	return (int64_t)t;
}

static int64_t
wall(const char *s)
{
	int64_t l;

	if (cal_parse(s, &l) == -1) {
		printf("# bad wall time %s\n", s);
		exit(2);
	}
	return l;
}

static void
calendar(void)
{
	int y, m, d, ok = 1;
	int64_t day;
	struct cal c;
	char buf[20];

	is_int(cal_days(1970, 1, 1), 0, "1970-01-01 is day 0");
	is_int(cal_days(2000, 3, 1), 11017, "2000-03-01");
	is_int(cal_weekday(cal_days(2026, 12, 1)), 1,
	    "2026-12-01 is a Tuesday");
	is_int(cal_month_days(2028, 2), 29, "2028 is a leap year");
	is_int(cal_month_days(2100, 2), 28, "2100 is not");
	is_int(cal_month_days(2000, 2), 29, "2000 is");
	for (day = -800000; day < 800000 && ok; day += 37) {
		cal_date(day, &y, &m, &d);
		ok = cal_days(y, m, d) == day;
	}
	ok(ok, "days to dates and back, 4,000 years either side");
	cal_fields(wall("1969-12-31 23:59:59"), &c);
	ok(c.y == 1969 && c.m == 12 && c.d == 31 && c.hh == 23 && c.ss == 59,
	    "before the epoch");
	is_str(cal_format(wall("2026-12-01 9:05"), buf), "2026-12-01T09:05:00",
	    "9:05 and formatting");
	ok(cal_parse("2026-02-29 09:00", &day) == -1, "no 29 February 2026");
	ok(cal_parse("2026-12-01 24:00", &day) == -1, "no 24:00");
	ok(cal_parse("2026-12-01T09:00:00Z", &day) == -1,
	    "a wall time has no Z");
	ok(cal_parse("2026-12-01", &day) == 0 && day == cal_days(2026, 12, 1) *
	    86400, "a date alone is midnight");
}

/* Our offsets against glibc's for n instants from..to. */
static void
oracle(struct agency *ag, const char *zone, int64_t from, int64_t to,
    int64_t step)
{
	const struct tz *z;
	struct tm tm;
	time_t tt;
	int64_t t;
	long bad = 0, n = 0;
	int first = 1;

	if (tz_load(ag, zone, &z) != AG_OK) {
		ok(0, "%s loads: %s", zone, ag->err);
		return;
	}
	setenv("TZ", zone, 1);
	tzset();
	for (t = from; t < to; t += step) {
		tt = (time_t)t;
		localtime_r(&tt, &tm);
		n++;
		if (tm.tm_gmtoff != tz_offset(z, t, NULL, NULL)) {
			if (first)
				printf("# %s at %lld: ours %d, libc %ld\n",
				    zone, (long long)t, tz_offset(z, t, NULL,
				    NULL), tm.tm_gmtoff);
			first = 0;
			bad++;
		}
	}
	ok(bad == 0, "%s: offsets agree with the C library at %ld instants "
	    "(%ld differ)", zone, n, bad);
}

static void
fit(const struct tz *z, const char *local, const char *want,
    enum tz_fit want_fit, const char *what)
{
	enum tz_fit f;
	int64_t t = tz_instant(z, wall(local), &f);
	char buf[AG_TIMEBUF];

	ag_time_format((time_t)t, buf);
	if (f != want_fit)
		printf("# fit %d, expected %d\n", f, want_fit);
	is_str(f == want_fit ? buf : "(wrong fit)", want, "%s %s: %s",
	    tz_name(z), local, what);
}

int
main(void)
{
	struct agency ag;
	const struct tz *berlin, *ny, *sydney, *utcz, *tokyo, *z;
	char buf[AG_TIMEBUF];
	const char *abbr;
	int isdst;
	int64_t t1, t2;

	tap_tmpdir();
	tap_agency(&ag, "t-tz");
	calendar();

	ok(tz_load(&ag, "Europe/Berlin", &berlin) == AG_OK, "Europe/Berlin");
	ok(tz_load(&ag, "America/New_York", &ny) == AG_OK, "America/New_York");
	ok(tz_load(&ag, "Australia/Sydney", &sydney) == AG_OK,
	    "Australia/Sydney");
	ok(tz_load(&ag, "UTC", &utcz) == AG_OK, "UTC");
	ok(tz_load(&ag, "Asia/Tokyo", &tokyo) == AG_OK, "Asia/Tokyo");
	ok(tz_load(&ag, "Europe/Berlin", &z) == AG_OK && z == berlin,
	    "a zone is loaded once");
	is_int(tz_load(&ag, "Europe/Berln", &z), AG_USAGE, "a zone that is "
	    "not there");
	ok(strstr(ag.err, "unknown time zone 'Europe/Berln'") != NULL,
	    "says so: %s", ag.err);
	is_int(tz_load(&ag, "../etc/passwd", &z), AG_USAGE, "no paths");
	is_int(tz_load(&ag, "Europe/../../etc/passwd", &z), AG_USAGE,
	    "no .. inside");
	is_int(tz_load(&ag, "right/Europe/Berlin", &z) == AG_OK ? 0 : 1, 1,
	    "leap-second zones are refused (or absent)");
	ag_clear_error(&ag);

	/* Offsets, abbreviations. */
	is_int(tz_offset(berlin, utc("2027-01-15T12:00:00Z"), &isdst, &abbr),
	    3600, "Berlin in winter: +1");
	ok(!isdst && strcmp(abbr, "CET") == 0, "CET");
	is_int(tz_offset(berlin, utc("2027-07-15T12:00:00Z"), &isdst, &abbr),
	    7200, "Berlin in summer: +2");
	ok(isdst && strcmp(abbr, "CEST") == 0, "CEST");
	is_int(tz_offset(sydney, utc("2027-01-15T12:00:00Z"), NULL, NULL),
	    11 * 3600, "Sydney in January: +11 (summer)");
	is_int(tz_offset(sydney, utc("2027-07-15T12:00:00Z"), NULL, NULL),
	    10 * 3600, "Sydney in July: +10");
	is_int(tz_offset(berlin, utc("2150-07-01T12:00:00Z"), NULL, NULL),
	    7200, "past the table, the footer rule: 2150 summer");
	is_int(tz_offset(sydney, utc("2150-12-01T12:00:00Z"), NULL, NULL),
	    11 * 3600, "southern rule past the table");
	is_str(tz_format(berlin, utc("2026-12-01T08:00:00Z"), buf),
	    "2026-12-01T09:00:00+01:00", "RFC 3339 with the zone's offset");
	is_str(tz_format(utcz, utc("2026-12-01T08:00:00Z"), buf),
	    "2026-12-01T08:00:00Z", "UTC is Z");
	is_str(tz_format(ny, utc("2026-12-01T14:00:00Z"), buf),
	    "2026-12-01T09:00:00-05:00", "negative offsets");

	/* The C library agrees, hour by hour over the DST years and day by
	 * day over two centuries (past the transition table too). */
	oracle(&ag, "Europe/Berlin", utc("2026-01-01T00:00:00Z"),
	    utc("2029-01-01T00:00:00Z"), 1800);
	oracle(&ag, "America/New_York", utc("2026-01-01T00:00:00Z"),
	    utc("2029-01-01T00:00:00Z"), 1800);
	oracle(&ag, "Australia/Sydney", utc("2026-01-01T00:00:00Z"),
	    utc("2029-01-01T00:00:00Z"), 1800);
	oracle(&ag, "Australia/Lord_Howe", utc("2026-01-01T00:00:00Z"),
	    utc("2028-01-01T00:00:00Z"), 900);
	oracle(&ag, "Asia/Kolkata", utc("1940-01-01T00:00:00Z"),
	    utc("2040-01-01T00:00:00Z"), 86400 + 3607);
	oracle(&ag, "Europe/Berlin", utc("1970-01-01T00:00:00Z"),
	    utc("2120-01-01T00:00:00Z"), 86400 + 3607);
	oracle(&ag, "America/New_York", utc("1970-01-01T00:00:00Z"),
	    utc("2120-01-01T00:00:00Z"), 86400 + 3607);
	oracle(&ag, "America/Sao_Paulo", utc("1980-01-01T00:00:00Z"),
	    utc("2030-01-01T00:00:00Z"), 86400 + 3607);
	oracle(&ag, "Pacific/Chatham", utc("2020-01-01T00:00:00Z"),
	    utc("2060-01-01T00:00:00Z"), 43200 + 3607);

	/* Wall time to instant on the DST days of 2027. */
	fit(berlin, "2027-03-27 09:00", "2027-03-27T08:00:00Z", TZ_EXACT,
	    "before the change");
	fit(berlin, "2027-03-29 09:00", "2027-03-29T07:00:00Z", TZ_EXACT,
	    "after it");
	fit(berlin, "2027-03-28 02:30", "2027-03-28T01:30:00Z", TZ_GAP,
	    "in the gap: 03:30 CEST");
	fit(berlin, "2027-03-28 03:00", "2027-03-28T01:00:00Z", TZ_EXACT,
	    "the end of the gap");
	fit(berlin, "2027-10-31 02:30", "2027-10-31T00:30:00Z", TZ_TWICE,
	    "twice: the first, CEST");
	fit(berlin, "2027-10-31 03:00", "2027-10-31T02:00:00Z", TZ_EXACT,
	    "after the repeat");
	fit(ny, "2027-03-14 02:30", "2027-03-14T07:30:00Z", TZ_GAP,
	    "New York's gap: 03:30 EDT");
	fit(ny, "2027-11-07 01:30", "2027-11-07T05:30:00Z", TZ_TWICE,
	    "New York's repeat: EDT first");
	fit(sydney, "2027-10-03 02:30", "2027-10-02T16:30:00Z", TZ_GAP,
	    "Sydney's gap: 03:30 AEDT");
	fit(sydney, "2027-04-04 02:30", "2027-04-03T15:30:00Z", TZ_TWICE,
	    "Sydney's repeat: AEDT first");
	fit(sydney, "2027-04-04 09:00", "2027-04-03T23:00:00Z", TZ_EXACT,
	    "Sydney after the change");
	fit(utcz, "2027-03-28 02:30", "2027-03-28T02:30:00Z", TZ_EXACT,
	    "UTC has no gaps");

	/* The process's zone makes no difference. */
	setenv("TZ", "UTC", 1);
	tzset();
	t1 = tz_instant(berlin, wall("2027-03-29 09:00"), NULL);
	setenv("TZ", "Asia/Tokyo", 1);
	tzset();
	t2 = tz_instant(berlin, wall("2027-03-29 09:00"), NULL);
	ok(t1 == t2 && t1 == utc("2027-03-29T07:00:00Z"), "TZ=UTC and "
	    "TZ=Asia/Tokyo give the same instant");

	/* The default zone. */
	setenv("TZ", "Asia/Tokyo", 1);
	ok(tz_default(&ag, &z) == AG_OK && z == tokyo, "TZ names the default");
	setenv("TZ", ":Europe/Berlin", 1);
	ok(tz_default(&ag, &z) == AG_OK && z == berlin, "TZ=:Name");
	setenv("TZ", "/usr/share/zoneinfo/America/New_York", 1);
	ok(tz_default(&ag, &z) == AG_OK && z == ny, "TZ as a path");
	setenv("TZ", "JST-9", 1);
	is_int(tz_default(&ag, &z), AG_CONFIG, "a POSIX rule is not a name");
	ok(strstr(ag.err, "TZ 'JST-9'") != NULL, "says so: %s", ag.err);
	setenv("TZ", "", 1);
	ok(tz_default(&ag, &z) == AG_OK && z == utcz, "an empty TZ is UTC");
	ok(config_override(&ag, "schedule.tz", "Australia/Sydney") == AG_OK &&
	    tz_default(&ag, &z) == AG_OK && z == sydney,
	    "schedule.tz comes before TZ");

	/* The zone's rule as iCalendar sees it. */
	{
		struct tz_rules r;

		ok(tz_rules(berlin, &r) == AG_OK && r.has_dst &&
		    r.to_dst.month == 3 && r.to_dst.week == -1 &&
		    r.to_dst.wday == 6 && r.to_dst.time == 7200 &&
		    r.to_std.month == 10 && r.to_std.time == 10800 &&
		    r.std_off == 3600 && r.dst_off == 7200,
		    "Berlin: last Sunday of March 02:00, of October 03:00");
		ok(tz_rules(tokyo, &r) == AG_OK && !r.has_dst &&
		    r.std_off == 9 * 3600, "Tokyo: no DST");
	}
	{
		struct tz_transition *v;
		size_t n;

		ok(tz_transitions(berlin, utc("2027-01-01T00:00:00Z"),
		    utc("2028-01-01T00:00:00Z"), &v, &n) == AG_OK && n == 2 &&
		    v[0].at == utc("2027-03-28T01:00:00Z") &&
		    v[1].at == utc("2027-10-31T01:00:00Z") &&
		    v[0].off_after == 7200, "Berlin's two changes in 2027");
		free(v);
	}
	ag_release(&ag);
	return done_testing();
}
