/*
 * ics.c - the calendar as RFC 5545 iCalendar, for calendar apps.
 *
 * Every time is written as a wall time with the zone's TZID, and every
 * zone used gets a VTIMEZONE built from our reading of its TZif file: its
 * current yearly rule (the TZif footer) as STANDARD and DAYLIGHT parts with
 * an RRULE, or, for a zone whose rule iCalendar cannot say, its actual
 * transitions over the years the posts span.  (libical's export loses the
 * TZID of DTSTART and names zones with a prefix of its own, see
 * ../shared/reference/queue.md 4c.)
 *
 * A post is a VEVENT of 15 minutes.  A recurring post is one VEVENT with
 * the series' DTSTART and RRULE; its occurrences that were moved come as
 * VEVENTs with a RECURRENCE-ID, removed ones as EXDATEs, and a series that
 * was ended by removing its pending occurrence gets a COUNT that stops it
 * there.  Lines end in CRLF and are folded at 75 octets, never inside a
 * UTF-8 sequence.
 */
#include <stdlib.h>
#include <string.h>

#include "schedule/internal.h"

#define DAY 86400

/* Add one content line, escaped already, folded. */
static void
line(struct buf *b, const char *s)
{
	size_t len = strlen(s), col = 0, n;

	while (len > 0) {
		n = len;
		if (col + n > 75) {
			n = 75 - col;
			/* do not split a UTF-8 sequence */
			while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
				n--;
		}
		buf_add(b, s, n);
		s += n;
		len -= n;
		if (len > 0) {
			buf_addstr(b, "\r\n ");
			col = 1;
		}
	}
	buf_addstr(b, "\r\n");
}

static void
linef(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2,
    3)));

static void
linef(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	line(b, s);
	free(s);
}

/* TEXT escaping (RFC 5545 3.3.11). */
static char *
text(const char *s)
{
	struct buf b = BUF_INIT;

	buf_addstr(&b, "");
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '\\' || *s == ';' || *s == ',')
			buf_addch(&b, '\\');
		if (*s == '\n') {
			buf_addstr(&b, "\\n");
			continue;
		}
		if (*s == '\r')
			continue;
		buf_addch(&b, *s);
	}
	return buf_detach(&b);
}

/* 20261201T090000 from local seconds. */
static char *
ical_local(int64_t local, char *buf)
{
	struct cal c;

	cal_fields(local, &c);
	snprintf(buf, 20, "%04d%02d%02dT%02d%02d%02d", c.y, c.m, c.d, c.hh,
	    c.mm, c.ss);
	return buf;
}

static char *
ical_utc(int64_t t, char *buf)
{
	ical_local(t, buf);
	buf[15] = 'Z';
	buf[16] = '\0';
	return buf;
}

static char *
offset(int off, char *buf)
{
	int a = off < 0 ? -off : off;

	snprintf(buf, 8, "%c%02d%02d", off < 0 ? '-' : '+', a / 3600,
	    a / 60 % 60);
	return buf;
}

/* The day of a change in year y (week 1-4 or -1 of month, weekday). */
static int64_t
change_day(const struct tz_change *c, int y)
{
	int64_t first = cal_days(y, c->month, 1), d;
	int md = cal_month_days(y, c->month);

	if (c->week > 0) {
		d = first + (c->wday - cal_weekday(first) + 7) % 7 +
		    (c->week - 1) * 7;
	} else {
		d = first + md - 1;
		d -= (cal_weekday(d) - c->wday + 7) % 7;
	}
	return d;
}

static void
part(struct buf *b, const char *kind, int from, int to, const char *name,
    const struct tz_change *c)
{
	char o1[8], o2[8], when[20];

	linef(b, "BEGIN:%s", kind);
	linef(b, "TZOFFSETFROM:%s", offset(from, o1));
	linef(b, "TZOFFSETTO:%s", offset(to, o2));
	linef(b, "TZNAME:%s", name);
	if (c == NULL) {
		line(b, "DTSTART:19700101T000000");
	} else {
		linef(b, "DTSTART:%s", ical_local(change_day(c, 1970) * DAY +
		    c->time, when));
		linef(b, "RRULE:FREQ=YEARLY;BYMONTH=%d;BYDAY=%d%s", c->month,
		    c->week, sched_wday_ical[c->wday]);
	}
	linef(b, "END:%s", kind);
}

static void
vtimezone(struct buf *b, const struct tz *z, int64_t from, int64_t to)
{
	struct tz_rules r;
	struct tz_transition *v = NULL;
	char o1[8], o2[8], when[20];
	size_t n = 0, i;
	const char *abbr;
	int off;

	line(b, "BEGIN:VTIMEZONE");
	linef(b, "TZID:%s", tz_name(z));
	if (tz_rules(z, &r) == AG_OK) {
		if (!r.has_dst) {
			part(b, "STANDARD", r.std_off, r.std_off, r.std_abbr,
			    NULL);
		} else {
			part(b, "DAYLIGHT", r.std_off, r.dst_off, r.dst_abbr,
			    &r.to_dst);
			part(b, "STANDARD", r.dst_off, r.std_off, r.std_abbr,
			    &r.to_std);
		}
	} else {
		/* What the zone did over the years of the posts. */
		off = tz_offset(z, from, NULL, &abbr);
		part(b, "STANDARD", off, off, abbr, NULL);
		tz_transitions(z, from, to, &v, &n);
		for (i = 0; i < n; i++) {
			const char *kind = v[i].isdst ? "DAYLIGHT" : "STANDARD";

			linef(b, "BEGIN:%s", kind);
			linef(b, "TZOFFSETFROM:%s", offset(v[i].off_before,
			    o1));
			linef(b, "TZOFFSETTO:%s", offset(v[i].off_after, o2));
			linef(b, "TZNAME:%s", v[i].abbr);
			linef(b, "DTSTART:%s", ical_local(v[i].at +
			    v[i].off_before, when));
			linef(b, "END:%s", kind);
		}
		free(v);
	}
	line(b, "END:VTIMEZONE");
}

/* ------------------------------------------------------------------ */

struct export {
	struct agency *ag;
	struct store *st;
	const struct schedule_filter *f;
	cJSON *rows;			/* every row that goes out */
};

static int
gather(void *arg, const cJSON *row)
{
	struct export *e = arg;
	int64_t at = sched_int(row, "at") / 1000;

	/* Single posts by the window; series whole. */
	if (sched_str(row, "rrule") == NULL && ((e->f->from > 0 &&
	    at < e->f->from) || (e->f->to > 0 && at >= e->f->to)))
		return AG_OK;
	cJSON_AddItemToArray(e->rows, cJSON_Duplicate(row, 1));
	return AG_OK;
}

/* SUMMARY and DESCRIPTION from the production's captions. */
static void
describe(struct export *e, struct buf *b, const cJSON *row)
{
	const char *account = sched_str(row, "account");
	const char *title = NULL, *desc = sched_str(row, "caption");
	cJSON *doc = NULL;
	const cJSON *caps, *pc;
	char platform[64], *t1, *t2, *s;

	snprintf(platform, sizeof(platform), "%.*s",
	    (int)strcspn(account, ":"), account);
	if (content_get(e->ag, e->st, sched_str(row, "content_id"), &doc) ==
	    AG_OK) {
		caps = cJSON_GetObjectItem(doc, "captions");
		pc = cJSON_GetObjectItem(caps, platform);
		title = sched_str(pc, "title");
		if (title == NULL)
			title = sched_str(doc, "title");
		if (desc == NULL)
			desc = sched_str(pc, "description");
	}
	ag_clear_error(e->ag);
	s = xasprintf("%s: %s", account, title ? title : sched_str(row,
	    "content_id"));
	t1 = text(s);
	linef(b, "SUMMARY:%s", t1);
	if (desc != NULL) {
		t2 = text(desc);
		linef(b, "DESCRIPTION:%s", t2);
		free(t2);
	}
	free(t1);
	free(s);
	cJSON_Delete(doc);
}

static void
common(struct export *e, struct buf *b, const cJSON *row)
{
	char stamp[20];
	const char *state = sched_str(row, "state");

	linef(b, "DTSTAMP:%s", ical_utc(sched_int(row, "updated_at") / 1000,
	    stamp));
	line(b, "DURATION:PT15M");
	describe(e, b, row);
	linef(b, "CATEGORIES:%s", state);
	linef(b, "X-AGENCY-POST:%lld", (long long)sched_int(row, "id"));
	linef(b, "X-AGENCY-ACCOUNT:%s", sched_str(row, "account"));
	linef(b, "X-AGENCY-STATE:%s", state);
	if (sched_str(row, "url") != NULL)
		linef(b, "URL:%s", sched_str(row, "url"));
	linef(b, "STATUS:%s", strcmp(state, "cancelled") == 0 ? "CANCELLED" :
	    "CONFIRMED");
}

static void
single(struct export *e, struct buf *b, const cJSON *row)
{
	char when[20];
	int64_t local;

	line(b, "BEGIN:VEVENT");
	linef(b, "UID:post-%lld@agency", (long long)sched_int(row, "id"));
	cal_parse(sched_str(row, "local"), &local);
	linef(b, "DTSTART;TZID=%s:%s", sched_str(row, "tz"), ical_local(local,
	    when));
	common(e, b, row);
	line(b, "END:VEVENT");
}

/* The VEVENT of a series (its first row first) and its exceptions. */
static void
series(struct export *e, struct buf *b, cJSON *const *v, size_t n)
{
	const cJSON *head = v[0], *last = v[n - 1];
	const struct tz *z = sched_row_tz(e->ag, head);
	struct rrule r;
	char when[20], *rule;
	int64_t start, occ, local;
	size_t i;
	int ended = 0;

	if (rrule_parse(e->ag, sched_str(head, "rrule"), &r) != AG_OK ||
	    cal_parse(sched_str(head, "dtstart"), &start) == -1) {
		ag_clear_error(e->ag);
		return;
	}
	/* Ended by removing its pending occurrence: stop it there. */
	if (strcmp(sched_str(last, "state"), "cancelled") == 0 &&
	    sched_str(last, "reason") != NULL &&
	    strcmp(sched_str(last, "reason"), "removed") == 0) {
		r.until_kind = RR_NO_UNTIL;
		r.count = sched_int(last, "seq") - 1;
		ended = 1;
		if (r.count < 1) {
			single(e, b, last);
			return;
		}
	}
	rule = rrule_format(&r);
	line(b, "BEGIN:VEVENT");
	linef(b, "UID:series-%lld@agency", (long long)sched_int(head,
	    "series"));
	linef(b, "DTSTART;TZID=%s:%s", tz_name(z), ical_local(start, when));
	linef(b, "RRULE:%s", rule);
	free(rule);
	for (i = 0; i < n; i++) {
		const char *state = sched_str(v[i], "state");

		if (strcmp(state, "cancelled") != 0 || (i == n - 1 && ended))
			continue;
		cal_parse(sched_str(v[i], "occurrence"), &occ);
		linef(b, "EXDATE;TZID=%s:%s", tz_name(z), ical_local(occ,
		    when));
	}
	common(e, b, last);
	line(b, "END:VEVENT");
	/* Occurrences moved away from the rule's time. */
	for (i = 0; i < n; i++) {
		if (strcmp(sched_str(v[i], "state"), "cancelled") == 0)
			continue;
		cal_parse(sched_str(v[i], "occurrence"), &occ);
		if (tz_instant(z, occ, NULL) == sched_int(v[i], "at") / 1000)
			continue;
		cal_parse(sched_str(v[i], "local"), &local);
		line(b, "BEGIN:VEVENT");
		linef(b, "UID:series-%lld@agency", (long long)sched_int(head,
		    "series"));
		linef(b, "RECURRENCE-ID;TZID=%s:%s", tz_name(z),
		    ical_local(occ, when));
		linef(b, "DTSTART;TZID=%s:%s", sched_str(v[i], "tz"),
		    ical_local(local, when));
		common(e, b, v[i]);
		line(b, "END:VEVENT");
	}
}

static int
by_series(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a;
	const cJSON *y = *(const cJSON *const *)b;
	int64_t sx = sched_int(x, "series"), sy = sched_int(y, "series");

	if (sx != sy)
		return sx < sy ? -1 : 1;
	return (sched_int(x, "seq") > sched_int(y, "seq")) -
	    (sched_int(x, "seq") < sched_int(y, "seq"));
}

int
schedule_ics(struct agency *ag, const struct schedule_filter *f,
    struct buf *out)
{
	struct export e = { ag, NULL, f, NULL };
	struct post_filter pf;
	const struct tz *z;
	const char **zones = NULL;
	cJSON **v = NULL, *row;
	int64_t lo = INT64_MAX, hi = INT64_MIN, at;
	size_t n = 0, nz = 0, i, j;
	char *states;
	int rc;

	if ((rc = schedule_sync(ag, NULL)) != AG_OK ||
	    (rc = ag_store(ag, &e.st)) != AG_OK)
		return rc;
	memset(&pf, 0, sizeof(pf));
	pf.account = f->account;
	pf.states = states = sched_states_json(f->states);
	e.rows = cJSON_CreateArray();
	rc = posts_list(ag, e.st, &pf, gather, &e);
	cJSON_free(states);
	if (rc != AG_OK)
		goto out;
	line(out, "BEGIN:VCALENDAR");
	line(out, "VERSION:2.0");
	line(out, "PRODID:-//AgencyOS//agency-schedule " AGENCY_VERSION "//EN");
	line(out, "CALSCALE:GREGORIAN");
	line(out, "METHOD:PUBLISH");
	line(out, "X-WR-CALNAME:AgencyOS posts");
	n = (size_t)cJSON_GetArraySize(e.rows);
	v = xcalloc(n + 1, sizeof(*v));
	i = 0;
	cJSON_ArrayForEach(row, e.rows) {
		v[i++] = row;
		for (j = 0; j < nz; j++)
			if (strcmp(zones[j], sched_str(row, "tz")) == 0)
				break;
		if (j == nz) {
			zones = xreallocarray(zones, nz + 1, sizeof(*zones));
			zones[nz++] = sched_str(row, "tz");
		}
		at = sched_int(row, "at") / 1000;
		lo = at < lo ? at : lo;
		hi = at > hi ? at : hi;
	}
	for (j = 0; j < nz; j++)
		if (tz_load(ag, zones[j], &z) == AG_OK)
			vtimezone(out, z, lo - 366 * DAY, hi + 2 * 366 * DAY);
		else
			ag_clear_error(ag);
	for (i = 0; i < n; i++)
		if (sched_str(v[i], "rrule") == NULL)
			single(&e, out, v[i]);
	qsort(v, n, sizeof(*v), by_series);
	for (i = 0; i < n; i = j) {
		if (sched_str(v[i], "rrule") == NULL) {
			j = i + 1;
			continue;
		}
		for (j = i; j < n && sched_str(v[j], "rrule") != NULL &&
		    sched_int(v[j], "series") == sched_int(v[i], "series"); j++)
			;
		series(&e, out, v + i, j - i);
	}
	line(out, "END:VCALENDAR");
out:
	free(zones);
	free(v);
	cJSON_Delete(e.rows);
	return rc;
}
