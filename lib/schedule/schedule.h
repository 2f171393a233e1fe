/*
 * schedule.h - the content calendar: wall times and time zones, recurrence
 * rules, posting slots, the tick that hands due posts to the queue exactly
 * once, iCalendar export and CSV import.
 *
 * The unit is a post: one production, to one account, at one instant.
 * "add --to youtube:main,tiktok:brand" makes one post per account (each
 * with its own id, state, upload job and remote id), because each account
 * has its own slots, its own credentials and its own fate.  A recurring
 * post is a series: its pending occurrence is a row like any other; when
 * the tick hands it to the queue, the next occurrence becomes a row of its
 * own.
 *
 * Times.  A post is stored as a UTC instant, an IANA zone and the wall
 * time in that zone.  Zones are read from the system's TZif files
 * (tzdata, /usr/share/zoneinfo, or $TZDIR) by tz.c: nothing here calls
 * localtime(), mktime() or reads the process's TZ to convert a time, so a
 * calendar means the same instants whatever zone the program runs in.
 * "Local seconds" are a wall time counted as if it were UTC (seconds from
 * 1970-01-01T00:00:00 on the wall clock); instants are seconds since the
 * epoch (the store keeps milliseconds).  A wall time that does not exist
 * (the clocks jump forward over it) is moved forward by the length of the
 * jump; one that happens twice (the clocks fall back) is the first.
 *
 * Ownership: strings and cJSON trees returned through out-parameters are
 * new (free(), cJSON_Delete()); const pointers are borrowed.  Zones are
 * loaded once per process and live until it exits.  Errors follow
 * agency.h: a status, and ag->err says why.
 */
#ifndef AG_SCHEDULE_H
#define AG_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

struct agency;
struct buf;
struct cJSON;

/* ------------------------------------------------------------------ */
/* Wall-clock dates (tz.c): the proleptic Gregorian calendar. */

struct cal {
	int y, m, d;			/* m 1-12, d 1-31 */
	int hh, mm, ss;
	int wday;			/* 0 Monday ... 6 Sunday */
};

/* Days from 1970-01-01 to y-m-d, and back. */
int64_t cal_days(int y, int m, int d);
void cal_date(int64_t days, int *y, int *m, int *d);
/* 0 Monday ... 6 Sunday. */
int cal_weekday(int64_t days);
int cal_month_days(int y, int m);
/* Local seconds of a wall time, and its fields. */
int64_t cal_local(int y, int m, int d, int hh, int mm, int ss);
void cal_fields(int64_t local, struct cal *out);
/* "2026-12-01T09:00:00" into buf (at least 20 bytes). */
char *cal_format(int64_t local, char *buf);
/*
 * cal_parse() - a wall time: "2026-12-01 09:00", "2026-12-01T09:00:30",
 * or a date alone (midnight).  -1 if it is none of these or no such day.
 */
int cal_parse(const char *s, int64_t *local);

/* ------------------------------------------------------------------ */
/* Time zones (tz.c). */

struct tz;

/*
 * tz_load() - the zone called name ("Europe/Berlin", "UTC"), read from
 * $TZDIR or /usr/share/zoneinfo.  AG_USAGE for a name that is not a zone
 * name, AG_NOINPUT for a zone that is not installed, AG_DATAERR for a file
 * that is not TZif.  The zone is cached for the life of the process.
 */
int tz_load(struct agency *ag, const char *name, const struct tz **out);
const char *tz_name(const struct tz *z);

/*
 * tz_default() - the zone to use when none is given: config schedule.tz,
 * else the TZ environment variable (an IANA name, ":Name" or a path into
 * the zone folder), else the system's (/etc/localtime, /etc/timezone),
 * else UTC.  A TZ that is a POSIX rule ("JST-9") and not a name is
 * AG_CONFIG: a calendar stores zone names.
 */
int tz_default(struct agency *ag, const struct tz **out);

/* The UTC offset in seconds at instant t; isdst and abbr may be NULL. */
int tz_offset(const struct tz *z, int64_t t, int *isdst, const char **abbr);
/* The wall time (local seconds) at instant t. */
int64_t tz_local(const struct tz *z, int64_t t);

enum tz_fit {
	TZ_EXACT,			/* the wall time happens once */
	TZ_GAP,				/* it does not happen: moved forward */
	TZ_TWICE			/* it happens twice: the first taken */
};

/* tz_instant() - the instant of wall time local; *fit (may be NULL)
 * says whether it fell in a gap or an overlap. */
int64_t tz_instant(const struct tz *z, int64_t local, enum tz_fit *fit);

/* Instant t as RFC 3339 in zone z: "2026-12-01T09:00:00+01:00". */
char *tz_format(const struct tz *z, int64_t t, char *buf /* AG_TIMEBUF */);

/*
 * A zone's rules as iCalendar sees them (ics.c): the offsets and the
 * yearly transitions of the zone's current rule, and the instant from
 * which it applies.  AG_FALSE when the zone has no rule of that form (it
 * is then described by its transitions).
 */
struct tz_change {
	int month;			/* 1-12 */
	int week;			/* 1-4, or -1: the last */
	int wday;			/* 0 Monday ... 6 Sunday */
	int64_t time;			/* local seconds after midnight,
					   in the offset before the change */
};

struct tz_rules {
	int std_off, dst_off;		/* seconds east of UTC */
	const char *std_abbr, *dst_abbr;
	int has_dst;
	struct tz_change to_dst, to_std;
};

int tz_rules(const struct tz *z, struct tz_rules *out);

/* The transitions between from and to (instants), in order: each is an
 * instant, the offset before it and the offset after it.  *n of them in a
 * new array (free()). */
struct tz_transition {
	int64_t at;
	int off_before, off_after;
	int isdst;
	const char *abbr;
};

int tz_transitions(const struct tz *z, int64_t from, int64_t to,
    struct tz_transition **out, size_t *n);

/* ------------------------------------------------------------------ */
/* Instants the user writes (when.c). */

/*
 * when_parse() - a time for --at, --from, --to or a CSV row, in zone z:
 * a wall time ("2026-12-01 09:00"), an RFC 3339 instant with an offset
 * or Z, "now", or a duration from now ("+15m", "-2h").  *t is the
 * instant (seconds); *fit says whether a wall time fell in a gap or an
 * overlap (TZ_EXACT for instants).  -1 when s is none of these.
 */
int when_parse(const struct tz *z, const char *s, int64_t now, int64_t *t,
    enum tz_fit *fit);

/* ------------------------------------------------------------------ */
/* Recurrence rules (rrule.c): RFC 5545 RRULE, the subset a calendar of
 * posts needs: FREQ (DAILY WEEKLY MONTHLY YEARLY), INTERVAL, BYDAY (with
 * ordinals in MONTHLY and YEARLY), BYHOUR, BYMINUTE, BYMONTHDAY, BYMONTH,
 * BYSETPOS, COUNT, UNTIL, WKST. */

enum rrule_freq { RR_DAILY, RR_WEEKLY, RR_MONTHLY, RR_YEARLY };

struct rrule_day {
	int wday;			/* 0 Monday ... 6 Sunday */
	int n;				/* 0: every; 2: the second; -1: last */
};

enum rrule_until { RR_NO_UNTIL, RR_UNTIL_UTC, RR_UNTIL_LOCAL,
    RR_UNTIL_DATE };

struct rrule {
	enum rrule_freq freq;
	int interval;			/* >= 1 */
	int64_t count;			/* 0: no COUNT */
	enum rrule_until until_kind;
	int64_t until;			/* instant, local seconds, or the
					   local midnight of the last day */
	int wkst;			/* 0 Monday ... */
	struct rrule_day byday[32];
	size_t nbyday;
	int byhour[24], bymin[60], bymonthday[62], bymonth[12];
	int bysetpos[64];
	size_t nbyhour, nbymin, nbymonthday, nbymonth, nbysetpos;
};

/* rrule_parse() - text into r (no RRULE: prefix needed); AG_USAGE with
 * the part that is wrong. */
int rrule_parse(struct agency *ag, const char *text, struct rrule *r);
/* The rule as canonical RRULE text (new string). */
char *rrule_format(const struct rrule *r);

/*
 * rrule_next() - the occurrence after the one at local seconds after,
 * number seq (DTSTART is 1 and always counts, as RFC 5545 says), of the
 * series that starts at dtstart (local seconds) in zone z.  On AG_OK
 * *next is its wall time and *nseq its number; AG_FALSE when the series
 * has ended (COUNT, UNTIL, or no instance in a whole cycle of the
 * calendar, 400 years).
 */
int rrule_next(const struct rrule *r, const struct tz *z, int64_t dtstart,
    int64_t after, int64_t seq, int64_t *next, int64_t *nseq);

/*
 * rrule_first() - where a series starts when no time is given: the rule's
 * first instant after now, as if DTSTART were now (to the minute).
 */
int rrule_first(const struct rrule *r, const struct tz *z, int64_t now,
    int64_t *dtstart);

/*
 * every_parse() - the friendly form of a rule: "day", "2 weeks",
 * "mon-fri 09:00", "week on mon,thu at 18:30", "month on 1,15 at 10:00",
 * "weekdays 8:00,12:00".  Times of day that no BYHOUR x BYMINUTE makes
 * (09:00 and 17:30) are AG_USAGE: add one post per time.  The RRULE text
 * is new.
 */
int every_parse(struct agency *ag, const char *text, char **rrule);

/* ------------------------------------------------------------------ */
/* Posting slots (slots.c): per account, a week of wall times in a zone. */

struct slots {
	uint8_t days[8];		/* per group: weekday bit mask */
	int times[8][48];		/* per group: minutes after midnight */
	size_t ntimes[8];
	size_t ngroups;
};

/*
 * slots_parse() - "mon-fri 09:00,17:30; sat 11:00": groups of days
 * (mon-fri, mon,wed,fri, daily, weekdays, weekends) and times.  AG_USAGE
 * naming what is wrong.
 */
int slots_parse(struct agency *ag, const char *text, struct slots *s);
/* The canonical text (new string). */
char *slots_format(const struct slots *s);

/*
 * slots_next() - the first slot of s in zone z after instant now that
 * taken[] (sorted instants, n of them: the account's posts) does not hold,
 * as an instant.  A slot is taken by a post in the same minute.
 */
int64_t slots_next(const struct slots *s, const struct tz *z, int64_t now,
    const int64_t *taken, size_t n);

/* Set, show and remove an account's slots ("agency.slots" documents). */
int schedule_slots_set(struct agency *ag, const char *account,
    const char *spec, const char *tz, struct cJSON **doc);
int schedule_slots_list(struct agency *ag, const char *account,
    struct cJSON **docs);
int schedule_slots_remove(struct agency *ag, const char *account);

/* ------------------------------------------------------------------ */
/* The calendar (post.c): adding, listing, moving and removing posts. */

struct schedule_add {
	const char *production;		/* a file, "-", or a content id */
	const char *at;			/* when_parse() text, or NULL */
	const char *tz;			/* zone name, or NULL: tz_default */
	const char *const *accounts;	/* platform:name */
	size_t naccounts;
	const char *const *captions;	/* "ACCOUNT=TEXT" */
	size_t ncaptions;
	const char *rrule;		/* RRULE text, or NULL */
	const char *every;		/* every_parse() text, or NULL */
	int slot;			/* each account's next free slot */
};

/* Add the posts, all or none; their "agency.schedule" docs in a new
 * array.  Warnings (a wall time in a gap, a time in the past, an account
 * that is not set up) go to the log. */
int schedule_add(struct agency *ag, const struct schedule_add *a,
    struct cJSON **docs);

struct schedule_filter {
	int64_t from, to;		/* instants (s); 0: open */
	const char *account;		/* NULL: all */
	const char *states;		/* comma-separated, or NULL: all */
	int expand;			/* add the planned occurrences of
					   recurring posts up to to */
};

/*
 * schedule_list() - the posts f lets through, in time order, as
 * "agency.schedule" docs passed to fn (borrowed for the call).  Posts whose
 * upload jobs have ended are brought up to date first.  With f->expand,
 * planned occurrences have "planned": true and no id.
 */
int schedule_list(struct agency *ag, const struct schedule_filter *f,
    int (*fn)(void *arg, const struct cJSON *doc), void *arg);

/* One post, with its upload job when it has one; AG_NOINPUT if none. */
int schedule_show(struct agency *ag, long long id, struct cJSON **doc);

/*
 * schedule_remove() - cancel a post so that it can never be published,
 * even by an upload job already queued or running (the job is cancelled
 * when it can be; agency-upload asks schedule_post_live() anyway).  The
 * pending occurrence of a series ends the series, unless skip: then only
 * that occurrence is dropped and the next one is scheduled.
 */
int schedule_remove(struct agency *ag, long long id, int skip,
    struct cJSON **doc);
/* Move a post to a new time (when_parse text in its zone, or tz). */
int schedule_move(struct agency *ag, long long id, const char *at,
    const char *tz, struct cJSON **doc);
/* Send a missed, failed or blocked post now. */
int schedule_retry(struct agency *ag, long long id, struct cJSON **doc);

/*
 * schedule_pause() / schedule_resume() - hold every post of an account,
 * through the accounts row's paused state (the row is made if the
 * account has none, and removed again by resume).  Posts due while the
 * account is paused are blocked; resume puts them back in the calendar,
 * where those overdue by more than the grace become missed.  *n says how
 * many posts changed.
 */
int schedule_pause(struct agency *ag, const char *account, long long *n);
int schedule_resume(struct agency *ag, const char *account, long long *n);

/* ------------------------------------------------------------------ */
/* The tick (tick.c). */

struct schedule_tick {
	int64_t now;			/* instant (ms); 0: the clock */
	double grace;			/* seconds; < 0: schedule.grace */
	double again;			/* > 0: queue the next tick then */
};

/*
 * schedule_tick() - hand every due post to the queue, exactly once: in a
 * store transaction per batch, each due post becomes an upload job and is
 * marked queued, and a recurring post gets its next occurrence, so that
 * ten ticks at once, or a tick killed at any moment, queue each post once.
 * A post more than grace late is marked missed instead, one whose account
 * cannot post is blocked.  Posts whose jobs ended are brought up to date
 * first.  *doc is an "agency.schedule.tick" document.
 */
int schedule_tick(struct agency *ag, const struct schedule_tick *t,
    struct cJSON **doc);

/*
 * schedule_check() - look ahead: every post due before now + ahead (s)
 * whose account cannot post is marked blocked, and one blocked whose
 * account can post again is scheduled again.  *docs holds the posts that
 * are blocked, missed or failed in that window; AG_FALSE when there are
 * any.
 */
int schedule_check(struct agency *ag, double ahead, struct cJSON **docs);

/*
 * schedule_sync() - bring posts in line with their upload jobs: done with
 * an "agency.post" result that is published makes the post posted (with
 * remote_id and url), cancelled leaves it cancelled; a dead or cancelled
 * job makes it failed with the job's error.  *n counts the posts changed
 * (may be NULL).
 */
int schedule_sync(struct agency *ag, long long *n);

/*
 * schedule_post_live() - may post id, at revision, still be published?
 * AG_OK when it may; AG_FALSE when it must not, with why saying so in a
 * few words ("removed", "moved to 2026-12-02T09:00:00+01:00", "paused",
 * "already posted", ...); another status on error.  agency-upload asks
 * before it sends anything and again just before it publishes.
 */
int schedule_post_live(struct agency *ag, long long id, long long revision,
    char *why, size_t whylen);

/* Can this account post?  AG_OK, or AG_FALSE with the reason in why. */
int schedule_account_ok(struct agency *ag, const char *account, char *why,
    size_t whylen);

/* ------------------------------------------------------------------ */
/* Export and import (ics.c, csv.c). */

/*
 * schedule_ics() - the posts f lets through as an RFC 5545 calendar into
 * out: a VTIMEZONE for each zone used, a VEVENT per post, and one with
 * an RRULE per series (its occurrences that were moved or removed as
 * RECURRENCE-ID events and EXDATEs).  Lines end in CRLF and are folded at
 * 75 octets.
 */
int schedule_ics(struct agency *ag, const struct schedule_filter *f,
    struct buf *out);

/*
 * schedule_import() - add the posts of a CSV file (columns date, time,
 * tz, production, accounts, caption; a header row is optional), all or
 * none: the first bad row is reported as FILE:ROW and nothing is added.
 * A production path is relative to the file's folder.  The posts' docs
 * are a new array.
 */
int schedule_import(struct agency *ag, const char *path, struct cJSON **docs);

/* ------------------------------------------------------------------ */
/* The calendar grid on a terminal (grid.c). */

/*
 * schedule_grid() - docs (as schedule_list gives them) drawn as a month
 * (or, with week, a week) calendar in zone z, from instant from, in
 * width columns, into out.
 */
void schedule_grid(const struct cJSON *docs, const struct tz *z,
    int64_t from, int64_t to, int week, int width, struct buf *out);

#endif
