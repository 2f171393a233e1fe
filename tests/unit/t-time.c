/* t-time - RFC 3339 and durations. */
#include "tap.h"

int
main(void)
{
	char buf[AG_TIMEBUF];
	time_t t;
	double d;

	ok(ag_time_parse("2026-12-01T09:00:00+01:00", &t) == 0,
	    "offset form parses");
	is_str(ag_time_format(t, buf), "2026-12-01T08:00:00Z",
	    "and is the right UTC instant");
	ok(ag_time_parse("2026-12-01T08:00:00Z", &t) == 0, "Z form parses");
	is_int(t, 1796112000, "epoch seconds");
	ok(ag_time_parse("2026-06-30T23:59:59.250-04:30", &t) == 0,
	    "fractions and negative offsets");
	is_str(ag_time_format(t, buf), "2026-07-01T04:29:59Z",
	    "negative offset adds");
	ok(ag_time_parse("2026-02-30T00:00:00Z", &t) == -1,
	    "30 February is refused");
	ok(ag_time_parse("2026-12-01 09:00", &t) == -1,
	    "no seconds and no offset is not RFC 3339");
	ok(ag_time_parse("2026-12-01T09:00:00+0100", &t) == -1,
	    "offset without a colon is refused");
	ok(ag_time_parse("2026-12-01T09:00:00Zjunk", &t) == -1,
	    "trailing junk is refused");

	ok(ag_duration_parse("90", &d) == 0 && d == 90, "bare seconds");
	ok(ag_duration_parse("1.5h", &d) == 0 && d == 5400, "hours");
	ok(ag_duration_parse("15m", &d) == 0 && d == 900, "minutes");
	ok(ag_duration_parse("500ms", &d) == 0 && d == 0.5, "milliseconds");
	ok(ag_duration_parse("2d", &d) == 0 && d == 172800, "days");
	ok(ag_duration_parse("1w", &d) == 0 && d == 604800, "weeks");
	ok(ag_duration_parse("-5s", &d) == -1, "negative refused");
	ok(ag_duration_parse("5 parsecs", &d) == -1, "unknown unit refused");
	ok(ag_duration_parse("", &d) == -1, "empty refused");
	ok(ag_now_ms() > 1700000000000LL, "the clock is plausible");
	return done_testing();
}
