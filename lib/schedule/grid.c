/*
 * grid.c - the calendar drawn for a terminal: a month (or a week) of
 * days, seven columns, each day's posts in it as "09:00 youtube:m", with a
 * mark for the state.  Times are shown in one zone, the one asked for.
 */
#include <stdlib.h>
#include <string.h>

#include "schedule/internal.h"

#define DAY 86400
#define MONTH_LINES 4			/* posts shown per day in a month */

static const char *const months[12] = { "January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October",
    "November", "December" };
static const char *const wnames[7] = { "Mon", "Tue", "Wed", "Thu", "Fri",
    "Sat", "Sun" };

struct entry {
	int64_t day;			/* local day number in z */
	int mins;			/* minutes after midnight */
	char mark;
	char account[32];
};

static char
mark_of(const char *state)
{
	static const struct {
		const char *state;
		char mark;
	} marks[] = {
		{ "scheduled", ' ' }, { "queued", '>' }, { "posted", '*' },
		{ "failed", '!' }, { "missed", '?' }, { "blocked", '#' },
		{ "cancelled", 'x' }, { "planned", '~' },
	};
	size_t i;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (state != NULL && strcmp(state, marks[i].state) == 0)
			return marks[i].mark;
	return ' ';
}

/* "youtube:main" as "yt:main", so that a narrow cell says something. */
static void
short_account(const char *account, char *buf, size_t len)
{
	static const char *const abbr[][2] = {
		{ "youtube", "yt" }, { "tiktok", "tt" }, { "instagram", "ig" },
		{ "facebook", "fb" }, { "linkedin", "in" },
		{ "mastodon", "md" },
		{ "bluesky", "bs" }, { "threads", "th" }, { "pinterest", "pi" },
	};
	size_t i, n = strcspn(account, ":");

	for (i = 0; i < sizeof(abbr) / sizeof(abbr[0]); i++)
		if (strlen(abbr[i][0]) == n && strncmp(account, abbr[i][0],
		    n) == 0) {
			snprintf(buf, len, "%s%s", abbr[i][1], account + n);
			return;
		}
	snprintf(buf, len, "%s", account);
}

static int64_t
floordiv(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* A cell: text cut or padded to w columns (ASCII, as we draw it). */
static void
cell(struct buf *out, const char *text, int w)
{
	int n = (int)strlen(text);

	if (n > w)
		n = w;
	buf_add(out, text, (size_t)n);
	for (; n < w; n++)
		buf_addch(out, ' ');
	buf_addch(out, '|');
}

static void
rule(struct buf *out, int w)
{
	int i, j;

	buf_addch(out, '+');
	for (i = 0; i < 7; i++) {
		for (j = 0; j < w; j++)
			buf_addch(out, '-');
		buf_addch(out, '+');
	}
	buf_addch(out, '\n');
}

/* A title, "(zone)", and the row of weekday names. */
static void
head(struct buf *out, int w, const struct tz *z, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
head(struct buf *out, int w, const struct tz *z, const char *fmt, ...)
{
	char title[128];
	va_list ap;
	int j;

	va_start(ap, fmt);
	vsnprintf(title, sizeof(title), fmt, ap);
	va_end(ap);
	buf_addf(out, "%s (%s)\n", title, tz_name(z));
	rule(out, w);
	buf_addch(out, '|');
	for (j = 0; j < 7; j++)
		cell(out, wnames[j], w);
	buf_addch(out, '\n');
	rule(out, w);
}

/* One week (7 days from first) with its posts, month m (0: any). */
static void
week_row(struct buf *out, const struct entry *e, size_t n, int64_t first,
    int m, int64_t today, int w, int maxlines)
{
	char text[64];
	size_t i, k, count[7] = { 0 }, start[7];
	int y, mo, d, j, lines = 0, line;


	for (j = 0; j < 7; j++) {
		start[j] = n;
		for (i = 0; i < n; i++)
			if (e[i].day == first + j) {
				if (start[j] == n)
					start[j] = i;
				count[j]++;
			}
		if ((int)count[j] > lines)
			lines = (int)count[j];
	}
	if (maxlines > 0 && lines > maxlines)
		lines = maxlines;
	buf_addch(out, '|');
	for (j = 0; j < 7; j++) {
		cal_date(first + j, &y, &mo, &d);
		if (m != 0 && mo != m)
			snprintf(text, sizeof(text), " ");
		else if (first + j == today)
			snprintf(text, sizeof(text), "[%d]", d);
		else
			snprintf(text, sizeof(text), " %d", d);
		cell(out, text, w);
	}
	buf_addch(out, '\n');
	for (line = 0; line < lines; line++) {
		buf_addch(out, '|');
		for (j = 0; j < 7; j++) {
			text[0] = '\0';
			k = start[j];
			if (m != 0) {
				int yy, mm, dd;

				cal_date(first + j, &yy, &mm, &dd);
				if (mm != m) {
					cell(out, "", w);
					continue;
				}
			}
			if ((size_t)line < count[j]) {
				if (maxlines > 0 && line == lines - 1 &&
				    count[j] > (size_t)lines) {
					snprintf(text, sizeof(text),
					    " +%zu more", count[j] -
					    (size_t)line);
				} else {
					/* docs come in time order, so a
					 * day's posts are together */
					i = k + (size_t)line;
					snprintf(text, sizeof(text),
					    "%02d:%02d%c%s", e[i].mins / 60,
					    e[i].mins % 60, e[i].mark,
					    e[i].account);
				}
			}
			cell(out, text, w);
		}
		buf_addch(out, '\n');
	}
	rule(out, w);
}

void
schedule_grid(const cJSON *docs, const struct tz *z, int64_t from,
    int64_t to, int week, int width, struct buf *out)
{
	struct entry *e;
	const cJSON *doc;
	time_t t;
	int64_t local, first_day, last_day, day, today, wstart;
	size_t n = 0;
	int w = (width - 1) / 7 - 1, y, m, d;

	if (w < 8)
		w = 8;
	e = xcalloc((size_t)cJSON_GetArraySize(docs) + 1, sizeof(*e));
	cJSON_ArrayForEach(doc, docs) {
		if (ag_time_parse(sched_str(doc, "at"), &t) == -1)
			continue;
		local = tz_local(z, (int64_t)t);
		e[n].day = floordiv(local, DAY);
		e[n].mins = (int)((local - e[n].day * DAY) / 60);
		e[n].mark = mark_of(sched_str(doc, "state"));
		short_account(sched_str(doc, "account") ? sched_str(doc,
		    "account") : "", e[n].account, sizeof(e[n].account));
		n++;
	}
	today = floordiv(tz_local(z, ag_now_ms() / 1000), DAY);
	first_day = floordiv(tz_local(z, from), DAY);
	last_day = floordiv(tz_local(z, to) - 1, DAY);
	if (week) {
		wstart = first_day - cal_weekday(first_day);
		for (; wstart <= last_day; wstart += 7) {
			cal_date(wstart, &y, &m, &d);
			head(out, w, z, "Week of %d %s %d", d, months[m - 1], y);
			week_row(out, e, n, wstart, 0, today, w, 0);
		}
	} else {
		for (day = first_day; day <= last_day;) {
			cal_date(day, &y, &m, &d);
			head(out, w, z, "%s %d", months[m - 1], y);
			day = cal_days(y, m, 1);
			for (wstart = day - cal_weekday(day);
			    wstart < day + cal_month_days(y, m); wstart += 7)
				week_row(out, e, n, wstart, m, today, w,
				    MONTH_LINES);
			day += cal_month_days(y, m);
			if (day <= last_day)
				buf_addch(out, '\n');
		}
	}
	buf_addstr(out, "  scheduled  > queued  * posted  ! failed  ? missed  "
	    "# blocked  x removed  ~ planned\n");
	free(e);
}
