/*
 * rrule.c - RFC 5545 recurrence rules: parse, print, and the next
 * occurrence, computed in wall time.
 *
 * Why our own expander: libical's drifts by an hour after a DST gap and
 * stays drifted, ignores BYSETPOS with WEEKLY and takes the second of an
 * ambiguous hour (../shared/reference/queue.md 4c).  Here an occurrence is
 * a wall time first ("09:00 every Monday") and becomes an instant only at
 * the end, through tz_instant(), so 09:00 in Berlin stays 09:00 in Berlin
 * on both sides of a change, a wall time in the gap moves forward by the
 * gap for that one day only, and an ambiguous one is the first.
 *
 * How the next occurrence is found.  The rule divides time into periods
 * (days, weeks starting on WKST, months, years), every INTERVAL-th of
 * which, counted from DTSTART's, holds occurrences.  A period's candidates
 * are its dates (from BYMONTH, BYMONTHDAY, BYDAY, or DTSTART's) times its
 * times of day (BYHOUR x BYMINUTE, or DTSTART's), in order; BYSETPOS picks
 * among them by position.  Nothing is materialised: a candidate is the
 * pair (date, time) at a position, so even a rule with a thousand times a
 * day costs only what it yields.  The search starts in the period of the
 * previous occurrence, so finding the next one does not depend on how long
 * the series has run: there is no horizon.  The Gregorian calendar repeats
 * every 400 years; a rule with no instance in that many periods' worth of
 * years has none at all, and the series ends.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "schedule/internal.h"

#define DAY 86400

static const char *const freqs[] = { "DAILY", "WEEKLY", "MONTHLY",
    "YEARLY" };

static int
bad(struct agency *ag, const char *text, const char *fmt, const char *part)
{
	char msg[200];

	snprintf(msg, sizeof(msg), fmt, part);
	return ag_fail(ag, AG_USAGE, "rule '%s': %s", text, msg);
}

/* A whole number in [lo, hi], all of s. */
static int
whole(const char *s, long long lo, long long hi, long long *out)
{
	return ag_parse_ll(s, lo, hi, out);
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* Sort and drop repeats. */
static size_t
uniq(int *v, size_t n)
{
	size_t i, k = 0;

	qsort(v, n, sizeof(*v), cmp_int);
	for (i = 0; i < n; i++)
		if (k == 0 || v[k - 1] != v[i])
			v[k++] = v[i];
	return k;
}

/* A comma list of numbers in [lo, hi] (0 excluded if nozero). */
static int
numlist(const char *val, int lo, int hi, int nozero, int *v, size_t max,
    size_t *n)
{
	char *copy = xstrdup(val), *p, *comma;
	long long x;
	int rc = 0;

	*n = 0;
	for (p = copy; p != NULL && rc == 0; p = comma) {
		if ((comma = strchr(p, ',')) != NULL)
			*comma++ = '\0';
		if (*n >= max || whole(p, lo, hi, &x) == -1 ||
		    (nozero && x == 0))
			rc = -1;
		else
			v[(*n)++] = (int)x;
	}
	free(copy);
	return rc;
}

static int
wday_of(const char *s)
{
	int i;

	for (i = 0; i < 7; i++)
		if (strcasecmp(s, sched_wday_ical[i]) == 0)
			return i;
	return -1;
}

static int
daylist(const char *val, struct rrule *r)
{
	char *copy = xstrdup(val), *p, *comma, *end;
	long n;
	int rc = 0, w;

	r->nbyday = 0;
	for (p = copy; p != NULL && rc == 0; p = comma) {
		if ((comma = strchr(p, ',')) != NULL)
			*comma++ = '\0';
		n = 0;
		if (*p == '+' || *p == '-' || (*p >= '0' && *p <= '9')) {
			n = strtol(p, &end, 10);
			if (end == p || n == 0 || n < -53 || n > 53)
				rc = -1;
			p = end;
		}
		if (rc == 0 && ((w = wday_of(p)) == -1 ||
		    r->nbyday >= sizeof(r->byday) / sizeof(r->byday[0])))
			rc = -1;
		if (rc == 0) {
			r->byday[r->nbyday].wday = w;
			r->byday[r->nbyday++].n = (int)n;
		}
	}
	free(copy);
	return rc;
}

/* UNTIL: 20261231, 20261231T235959 or 20261231T235959Z. */
static int
until_parse(const char *s, struct rrule *r)
{
	char buf[32];
	int64_t local;
	size_t len = strlen(s);

	if (len != 8 && len != 15 && len != 16)
		return -1;
	if (strspn(s, "0123456789") != 8 || (len > 8 && (s[8] != 'T' ||
	    strspn(s + 9, "0123456789") != 6)) || (len == 16 && s[15] != 'Z'))
		return -1;
	if (len == 8)
		snprintf(buf, sizeof(buf), "%.4s-%.2s-%.2s", s, s + 4, s + 6);
	else
		snprintf(buf, sizeof(buf), "%.4s-%.2s-%.2sT%.2s:%.2s:%.2s", s,
		    s + 4, s + 6, s + 9, s + 11, s + 13);
	if (cal_parse(buf, &local) == -1)
		return -1;
	r->until = local;
	r->until_kind = len == 8 ? RR_UNTIL_DATE : len == 15 ? RR_UNTIL_LOCAL :
	    RR_UNTIL_UTC;
	return 0;
}

int
rrule_parse(struct agency *ag, const char *text, struct rrule *r)
{
	char *copy, *p, *semi, *eq;
	unsigned seen = 0;
	long long v;
	int rc = AG_OK, i, part;
	size_t k;
	static const char *const parts[] = { "FREQ", "INTERVAL", "COUNT",
	    "UNTIL", "BYDAY", "BYHOUR", "BYMINUTE", "BYMONTHDAY", "BYMONTH",
	    "BYSETPOS", "WKST", "BYSECOND", NULL };

	memset(r, 0, sizeof(*r));
	r->interval = 1;
	r->freq = -1;
	if (strncasecmp(text, "RRULE:", 6) == 0)
		text += 6;
	copy = xstrdup(text);
	for (p = copy; p != NULL && *p != '\0' && rc == AG_OK; p = semi) {
		if ((semi = strchr(p, ';')) != NULL)
			*semi++ = '\0';
		if ((eq = strchr(p, '=')) == NULL) {
			rc = bad(ag, text, "'%s' is not NAME=VALUE", p);
			break;
		}
		*eq++ = '\0';
		for (i = 0; parts[i] != NULL; i++)
			if (strcasecmp(p, parts[i]) == 0)
				break;
		if (parts[i] == NULL) {
			rc = bad(ag, text, strcasecmp(p, "BYYEARDAY") == 0 ||
			    strcasecmp(p, "BYWEEKNO") == 0 ? "%s is not "
			    "supported" : "'%s' is not a part of a rule", p);
			break;
		}
		part = i;
		if (seen & (1u << part)) {
			rc = bad(ag, text, "%s is given twice", parts[part]);
			break;
		}
		seen |= 1u << part;
		switch (part) {
		case 0:
			for (i = 0; i < 4; i++)
				if (strcasecmp(eq, freqs[i]) == 0)
					r->freq = i;
			if (r->freq == (enum rrule_freq)-1)
				rc = bad(ag, text, "FREQ=%s is not supported "
				    "(DAILY, WEEKLY, MONTHLY or YEARLY; "
				    "BYHOUR and BYMINUTE give several times "
				    "a day)", eq);
			break;
		case 1:
			if (whole(eq, 1, 10000, &v) == -1)
				rc = bad(ag, text, "INTERVAL=%s is not a whole "
				    "number from 1 to 10000", eq);
			r->interval = (int)v;
			break;
		case 2:
			if (whole(eq, 1, 1000000000, &v) == -1)
				rc = bad(ag, text, "COUNT=%s is not a whole "
				    "number from 1", eq);
			r->count = v;
			break;
		case 3:
			if (until_parse(eq, r) == -1)
				rc = bad(ag, text, "UNTIL=%s is not a date "
				    "(20261231) or time (20261231T235959Z)",
				    eq);
			break;
		case 4:
			if (daylist(eq, r) == -1)
				rc = bad(ag, text, "BYDAY=%s is not a list of "
				    "MO, TU, WE, TH, FR, SA, SU (with 1, 2, -1 "
				    "... in front in MONTHLY and YEARLY)", eq);
			break;
		case 5:
			if (numlist(eq, 0, 23, 0, r->byhour, 24, &r->nbyhour))
				rc = bad(ag, text, "BYHOUR=%s is not a list "
				    "of hours 0-23", eq);
			break;
		case 6:
			if (numlist(eq, 0, 59, 0, r->bymin, 60, &r->nbymin))
				rc = bad(ag, text, "BYMINUTE=%s is not a list "
				    "of minutes 0-59", eq);
			break;
		case 7:
			if (numlist(eq, -31, 31, 1, r->bymonthday, 62,
			    &r->nbymonthday))
				rc = bad(ag, text, "BYMONTHDAY=%s is not a "
				    "list of days 1 to 31 or -31 to -1", eq);
			break;
		case 8:
			if (numlist(eq, 1, 12, 0, r->bymonth, 12,
			    &r->nbymonth))
				rc = bad(ag, text, "BYMONTH=%s is not a list "
				    "of months 1-12", eq);
			break;
		case 9:
			if (numlist(eq, -366, 366, 1, r->bysetpos, 64,
			    &r->nbysetpos))
				rc = bad(ag, text, "BYSETPOS=%s is not a list "
				    "of positions 1 to 366 or -366 to -1", eq);
			break;
		case 10:
			if ((r->wkst = wday_of(eq)) == -1)
				rc = bad(ag, text, "WKST=%s is not a weekday "
				    "(MO ... SU)", eq);
			break;
		case 11:
			if (strcmp(eq, "0") != 0)
				rc = bad(ag, text, "BYSECOND=%s is not "
				    "supported (posts are to the minute)", eq);
			break;
		}
	}
	free(copy);
	if (rc != AG_OK)
		return rc;
	if (r->freq == (enum rrule_freq)-1)
		return bad(ag, text, "%s is missing", "FREQ");
	if (r->count > 0 && r->until_kind != RR_NO_UNTIL)
		return bad(ag, text, "%s: COUNT and UNTIL cannot both be given",
		    "COUNT");
	if (r->freq == RR_WEEKLY && r->nbymonthday > 0)
		return bad(ag, text, "%s cannot be used with FREQ=WEEKLY",
		    "BYMONTHDAY");
	for (k = 0; k < r->nbyday; k++)
		if (r->byday[k].n != 0 && (r->freq == RR_DAILY ||
		    r->freq == RR_WEEKLY || (r->freq == RR_MONTHLY &&
		    (r->byday[k].n > 5 || r->byday[k].n < -5))))
			return bad(ag, text, "BYDAY=%s: a number before a day "
			    "is only for MONTHLY (-5 to 5) and YEARLY",
			    sched_wday_ical[r->byday[k].wday]);
	r->nbyhour = uniq(r->byhour, r->nbyhour);
	r->nbymin = uniq(r->bymin, r->nbymin);
	r->nbymonth = uniq(r->bymonth, r->nbymonth);
	return AG_OK;
}

static void
add_list(struct buf *b, const char *name, const int *v, size_t n)
{
	size_t i;

	if (n == 0)
		return;
	buf_addf(b, ";%s=", name);
	for (i = 0; i < n; i++)
		buf_addf(b, "%s%d", i ? "," : "", v[i]);
}

char *
rrule_format(const struct rrule *r)
{
	struct buf b = BUF_INIT;
	struct cal c;
	size_t i;

	buf_addf(&b, "FREQ=%s", freqs[r->freq]);
	if (r->interval > 1)
		buf_addf(&b, ";INTERVAL=%d", r->interval);
	if (r->count > 0)
		buf_addf(&b, ";COUNT=%lld", (long long)r->count);
	if (r->until_kind != RR_NO_UNTIL) {
		cal_fields(r->until, &c);
		buf_addf(&b, ";UNTIL=%04d%02d%02d", c.y, c.m, c.d);
		if (r->until_kind != RR_UNTIL_DATE)
			buf_addf(&b, "T%02d%02d%02d%s", c.hh, c.mm, c.ss,
			    r->until_kind == RR_UNTIL_UTC ? "Z" : "");
	}
	add_list(&b, "BYMONTH", r->bymonth, r->nbymonth);
	add_list(&b, "BYMONTHDAY", r->bymonthday, r->nbymonthday);
	if (r->nbyday > 0) {
		buf_addstr(&b, ";BYDAY=");
		for (i = 0; i < r->nbyday; i++) {
			buf_addstr(&b, i ? "," : "");
			if (r->byday[i].n != 0)
				buf_addf(&b, "%d", r->byday[i].n);
			buf_addstr(&b, sched_wday_ical[r->byday[i].wday]);
		}
	}
	add_list(&b, "BYHOUR", r->byhour, r->nbyhour);
	add_list(&b, "BYMINUTE", r->bymin, r->nbymin);
	add_list(&b, "BYSETPOS", r->bysetpos, r->nbysetpos);
	if (r->wkst != 0)
		buf_addf(&b, ";WKST=%s", sched_wday_ical[r->wkst]);
	return buf_detach(&b);
}

/* ------------------------------------------------------------------ */
/* Expansion. */

static int
has(const int *v, size_t n, int x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
}

/* Does day (in a month of mdays days) match one of BYMONTHDAY? */
static int
monthday_ok(const struct rrule *r, int d, int mdays)
{
	size_t i;

	for (i = 0; i < r->nbymonthday; i++)
		if (r->bymonthday[i] == d ||
		    r->bymonthday[i] == d - mdays - 1)
			return 1;
	return 0;
}

/* Does the weekday match one of BYDAY (numbers ignored)? */
static int
wday_ok(const struct rrule *r, int wday)
{
	size_t i;

	for (i = 0; i < r->nbyday; i++)
		if (r->byday[i].wday == wday)
			return 1;
	return 0;
}

/*
 * Does BYDAY pick day, of weekday wday, the k-th (1-based) such weekday
 * of n in its month or year?
 */
static int
byday_pick(const struct rrule *r, int wday, int k, int n)
{
	size_t i;

	for (i = 0; i < r->nbyday; i++) {
		if (r->byday[i].wday != wday)
			continue;
		if (r->byday[i].n == 0 || r->byday[i].n == k ||
		    r->byday[i].n == k - n - 1)
			return 1;
	}
	return 0;
}

/* The days (day numbers) of one month that the rule picks, appended. */
static size_t
month_days(const struct rrule *r, const struct cal *ds, int y, int m,
    int ordinals, int64_t *out, size_t n)
{
	int64_t first = cal_days(y, m, 1);
	int md = cal_month_days(y, m), d, w, k, cnt;

	for (d = 1; d <= md; d++) {
		w = cal_weekday(first + d - 1);
		if (r->nbymonthday > 0) {
			if (!monthday_ok(r, d, md) || (r->nbyday > 0 &&
			    !wday_ok(r, w)))
				continue;
		} else if (r->nbyday > 0) {
			if (ordinals) {
				k = (d - 1) / 7 + 1;
				cnt = k + (md - d) / 7;
				if (!byday_pick(r, w, k, cnt))
					continue;
			} else if (!wday_ok(r, w)) {
				continue;
			}
		} else if (d != ds->d) {
			continue;
		}
		out[n++] = first + d - 1;
	}
	return n;
}

/*
 * The sorted days of period p (a day number, the first day of a week, a
 * month y*12+m-1, or a year), at most 366.
 */
static size_t
period_days(const struct rrule *r, const struct cal *ds, int64_t p,
    int64_t *out)
{
	size_t n = 0;
	int y, m, d, w, k;

	switch (r->freq) {
	case RR_DAILY:
		cal_date(p, &y, &m, &d);
		w = cal_weekday(p);
		if ((r->nbymonth > 0 && !has(r->bymonth, r->nbymonth, m)) ||
		    (r->nbymonthday > 0 && !monthday_ok(r, d,
		    cal_month_days(y, m))) || (r->nbyday > 0 && !wday_ok(r, w)))
			return 0;
		out[n++] = p;
		break;
	case RR_WEEKLY:
		for (k = 0; k < 7; k++) {
			cal_date(p + k, &y, &m, &d);
			w = cal_weekday(p + k);
			if (r->nbyday > 0 ? !wday_ok(r, w) : w != ds->wday)
				continue;
			if (r->nbymonth > 0 && !has(r->bymonth, r->nbymonth, m))
				continue;
			out[n++] = p + k;
		}
		break;
	case RR_MONTHLY:
		y = (int)(p / 12);
		m = (int)(p % 12) + 1;
		if (r->nbymonth > 0 && !has(r->bymonth, r->nbymonth, m))
			return 0;
		n = month_days(r, ds, y, m, 1, out, n);
		break;
	case RR_YEARLY:
		y = (int)p;
		if (r->nbymonth == 0 && r->nbymonthday == 0 && r->nbyday > 0) {
			/* BYDAY within the year: "20MO" is the 20th Monday */
			int64_t first = cal_days(y, 1, 1);
			int64_t last = cal_days(y + 1, 1, 1), day;

			for (day = first; day < last; day++) {
				w = cal_weekday(day);
				k = (int)((day - first) / 7) + 1;
				if (byday_pick(r, w, k, k + (int)((last - 1 -
				    day) / 7)))
					out[n++] = day;
			}
			break;
		}
		for (m = 1; m <= 12; m++) {
			if (r->nbymonth > 0 ? !has(r->bymonth, r->nbymonth, m) :
			    (r->nbymonthday == 0 && m != ds->m))
				continue;
			n = month_days(r, ds, y, m, 1, out, n);
		}
		break;
	}
	return n;
}

/* The period holding day number day, and the next period after p. */
static int64_t
period_of(const struct rrule *r, int64_t day)
{
	int y, m, d;

	switch (r->freq) {
	case RR_DAILY:
		return day;
	case RR_WEEKLY:
		return day - (cal_weekday(day) - r->wkst + 7) % 7;
	case RR_MONTHLY:
		cal_date(day, &y, &m, &d);
		return (int64_t)y * 12 + m - 1;
	default:
		cal_date(day, &y, &m, &d);
		return y;
	}
}

static int64_t
period_step(const struct rrule *r)
{
	return r->freq == RR_WEEKLY ? 7 * (int64_t)r->interval : r->interval;
}

/* Roughly how many days a period spans, for the 400-year bound. */
static int64_t
period_span(const struct rrule *r)
{
	static const int64_t span[] = { 1, 1, 31, 366 };

	return span[r->freq] * r->interval;
}

static int64_t
floordiv(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Past UNTIL? */
static int
beyond(const struct rrule *r, const struct tz *z, int64_t local)
{
	switch (r->until_kind) {
	case RR_UNTIL_UTC:
		return tz_instant(z, local, NULL) > r->until;
	case RR_UNTIL_LOCAL:
		return local > r->until;
	case RR_UNTIL_DATE:
		return local >= r->until + DAY;
	default:
		return 0;
	}
}

int
rrule_next(const struct rrule *r, const struct tz *z, int64_t dtstart,
    int64_t after, int64_t seq, int64_t *next, int64_t *nseq)
{
	int64_t days[400], times[1440], pos[64];
	int64_t p0, p, start_days, step, limit, local, idx, total;
	struct cal ds;
	size_t nd, nt = 0, np, i, j, h, m;
	const int *hours, *mins;
	size_t nh, nm;
	int dh, dm;

	if (r->count > 0 && seq >= r->count)
		return AG_FALSE;
	cal_fields(dtstart, &ds);
	dh = ds.hh;
	dm = ds.mm;
	hours = r->nbyhour ? r->byhour : &dh;
	nh = r->nbyhour ? r->nbyhour : 1;
	mins = r->nbymin ? r->bymin : &dm;
	nm = r->nbymin ? r->nbymin : 1;
	for (h = 0; h < nh; h++)
		for (m = 0; m < nm; m++)
			times[nt++] = hours[h] * 3600 + mins[m] * 60 + ds.ss;
	if (after < dtstart)
		after = dtstart - 1;
	start_days = floordiv(dtstart, DAY);
	p0 = period_of(r, start_days);
	p = period_of(r, floordiv(after, DAY));
	step = period_step(r);
	/* The first period at or after after's that the interval keeps. */
	if ((p - p0) % step != 0)
		p += step - (p - p0) % step;
	limit = floordiv(after, DAY) + 146097 * (int64_t)r->interval +
	    2 * period_span(r);
	for (;; p += step) {
		nd = period_days(r, &ds, p, days);
		if (nd > 0 && days[0] > limit)
			return AG_FALSE;
		if (nd == 0) {
			/* an empty period: are we past the bound? */
			int64_t first = r->freq == RR_MONTHLY ? cal_days((int)
			    (p / 12), (int)(p % 12) + 1, 1) : r->freq ==
			    RR_YEARLY ? cal_days((int)p, 1, 1) : p;

			if (first > limit)
				return AG_FALSE;
			continue;
		}
		total = (int64_t)nd * (int64_t)nt;
		np = 0;
		if (r->nbysetpos > 0) {
			for (i = 0; i < r->nbysetpos; i++) {
				idx = r->bysetpos[i] > 0 ? r->bysetpos[i] - 1 :
				    total + r->bysetpos[i];
				if (idx >= 0 && idx < total)
					pos[np++] = idx;
			}
			/* sort the positions, drop repeats */
			for (i = 1; i < np; i++)
				for (j = i; j > 0 && pos[j - 1] > pos[j]; j--) {
					idx = pos[j];
					pos[j] = pos[j - 1];
					pos[j - 1] = idx;
				}
		}
		for (idx = 0; idx < (r->nbysetpos ? (int64_t)np : total);
		    idx++) {
			int64_t k = r->nbysetpos ? pos[idx] : idx;

			if (r->nbysetpos && idx > 0 && pos[idx] == pos[idx - 1])
				continue;
			local = days[k / (int64_t)nt] * DAY +
			    times[k % (int64_t)nt];
			if (local <= after || local < dtstart)
				continue;
			if (beyond(r, z, local))
				return AG_FALSE;
			*next = local;
			*nseq = seq + 1;
			return AG_OK;
		}
	}
}

int
rrule_first(const struct rrule *r, const struct tz *z, int64_t now,
    int64_t *dtstart)
{
	int64_t local = tz_local(z, now), start, seq;

	start = local - (local % 60 + 60) % 60;
	if (rrule_next(r, z, start, start, 0, dtstart, &seq) == AG_OK)
		return AG_OK;
	return AG_FALSE;
}

/* ------------------------------------------------------------------ */
/* The friendly form: --every. */

static int
unit_of(const char *w)
{
	static const struct {
		const char *name;
		int freq;
	} units[] = {
		{ "day", RR_DAILY }, { "days", RR_DAILY },
		{ "daily", RR_DAILY }, { "week", RR_WEEKLY },
		{ "weeks", RR_WEEKLY }, { "weekly", RR_WEEKLY },
		{ "month", RR_MONTHLY }, { "months", RR_MONTHLY },
		{ "monthly", RR_MONTHLY }, { "year", RR_YEARLY },
		{ "years", RR_YEARLY }, { "yearly", RR_YEARLY },
		{ "annually", RR_YEARLY },
	};
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcasecmp(w, units[i].name) == 0)
			return units[i].freq;
	return -1;
}

int
every_parse(struct agency *ag, const char *text, char **out)
{
	char *copy = xstrdup(text), *w, *save = NULL;
	int freq = -1, interval = 1, on = 0, mdays[62], mins[64], rc = AG_OK;
	unsigned mask = 0, m;
	size_t nmd = 0, nt = 0, i, j, nh = 0, nm = 0;
	int hours[24], minutes[60];
	long long v;
	struct buf b = BUF_INIT;

	for (w = strtok_r(copy, " \t", &save); w != NULL && rc == AG_OK;
	    w = strtok_r(NULL, " \t", &save)) {
		if (strcasecmp(w, "every") == 0 || strcasecmp(w, "at") == 0 ||
		    strcasecmp(w, "and") == 0) {
			on = 0;
			continue;
		}
		if (strcasecmp(w, "on") == 0 || strcasecmp(w, "the") == 0) {
			on = 1;
			continue;
		}
		if (unit_of(w) >= 0) {
			if (freq >= 0)
				rc = ag_fail(ag, AG_USAGE, "--every '%s': two "
				    "periods ('%s')", text, w);
			freq = unit_of(w);
			/* "every day" is every day of the week, too */
			continue;
		}
		if (strchr(w, ':') != NULL) {
			if (sched_times_parse(w, mins + nt, 64 - nt, &i) == -1)
				rc = ag_fail(ag, AG_USAGE, "--every '%s': '%s' "
				    "is not a time or list of times (09:00,"
				    "17:30)", text, w);
			nt += i;
			continue;
		}
		if (sched_days_parse(w, &m) == 0) {
			mask |= m;
			continue;
		}
		if (on && numlist(w, -31, 31, 1, mdays + nmd, 62 - nmd, &i) ==
		    0) {
			nmd += i;
			continue;
		}
		if (!on && whole(w, 1, 10000, &v) == 0) {
			interval = (int)v;
			continue;
		}
		rc = ag_fail(ag, AG_USAGE, "--every '%s': '%s' is not a period "
		    "(day, week, month, year), a day (mon, mon-fri, weekdays), "
		    "a day of the month (on 1,15) or a time (09:00)", text, w);
	}
	free(copy);
	if (rc != AG_OK)
		return rc;
	if (freq < 0 && mask == 0)
		return ag_fail(ag, AG_USAGE, "--every '%s': how often? (day, "
		    "week, month, mon-fri, ...)", text);
	if (freq < 0)
		freq = RR_WEEKLY;
	if (nmd > 0 && freq != RR_MONTHLY && freq != RR_YEARLY)
		return ag_fail(ag, AG_USAGE, "--every '%s': days of the month "
		    "are for 'month'", text);
	/* Times: BYHOUR x BYMINUTE must make exactly the times asked for. */
	nt = (size_t)uniq(mins, nt);
	for (i = 0; i < nt; i++) {
		if (!has(hours, nh, mins[i] / 60))
			hours[nh++] = mins[i] / 60;
		if (!has(minutes, nm, mins[i] % 60))
			minutes[nm++] = mins[i] % 60;
	}
	if (nh * nm != nt) {
		return ag_fail(ag, AG_USAGE, "--every '%s': these times are "
		    "not every hour listed at every minute listed, which is "
		    "what a rule can say; add one post per time", text);
	}
	buf_addf(&b, "FREQ=%s", freqs[freq]);
	if (interval > 1)
		buf_addf(&b, ";INTERVAL=%d", interval);
	nmd = uniq(mdays, nmd);
	add_list(&b, "BYMONTHDAY", mdays, nmd);
	if (mask != 0 && !(freq == RR_DAILY && mask == 0x7f)) {
		buf_addstr(&b, ";BYDAY=");
		for (i = 0, j = 0; i < 7; i++)
			if (mask & (1u << i))
				buf_addf(&b, "%s%s", j++ ? "," : "",
				    sched_wday_ical[i]);
	}
	nh = uniq(hours, nh);
	nm = uniq(minutes, nm);
	add_list(&b, "BYHOUR", hours, nh);
	add_list(&b, "BYMINUTE", minutes, nm);
	*out = buf_detach(&b);
	return AG_OK;
}
