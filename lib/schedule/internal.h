/*
 * internal.h - private to lib/schedule: what its files share.  Nothing
 * outside lib/schedule includes this.
 */
#ifndef AG_SCHEDULE_INTERNAL_H
#define AG_SCHEDULE_INTERNAL_H

#include <stdint.h>

#include "agency.h"
#include "schedule/schedule.h"

/* Two-letter RFC 5545 weekday names, Monday first. */
extern const char *const sched_wday_ical[7];
/* Three-letter lower-case names, Monday first. */
extern const char *const sched_wday_short[7];

/*
 * sched_days_parse() - a set of weekdays: "mon", "mon-fri", "fri-mon",
 * "mon,wed,fri", "daily", "weekdays", "weekends" (names of 2 or 3
 * letters or in full, any case).  Bit 0 is Monday.  -1 if s is not one.
 */
int sched_days_parse(const char *s, unsigned *mask);
/* The days of mask as text ("mon-fri", "mon,wed", "daily") into buf. */
char *sched_days_format(unsigned mask, char *buf, size_t len);
/*
 * sched_times_parse() - "09:00" or "9:00,17:30" into minutes after
 * midnight, sorted and each once; at most max.  -1 if s is not that.
 */
int sched_times_parse(const char *s, int *mins, size_t max, size_t *n);
/* Sort minutes and drop repeats. */
void sched_times_sort(int *mins, size_t *n);

/* A post row of lib/store as an "agency.schedule" document (new). */
struct cJSON *sched_doc(struct agency *ag, const struct cJSON *row);

/* The number (or 0) and the string (or NULL) of a row's column. */
int64_t sched_int(const struct cJSON *row, const char *key);
const char *sched_str(const struct cJSON *row, const char *key);

/* The zone of a row, loaded; UTC if the row's zone is gone (logged). */
const struct tz *sched_row_tz(struct agency *ag, const struct cJSON *row);

/* "a,b" as the JSON array text ["a","b"] (free with cJSON_free), or
 * NULL for NULL. */
char *sched_states_json(const char *states);

/* The grace, in seconds: g if >= 0, else the config's schedule.grace. */
double sched_grace(struct agency *ag, double g);

/* "1h 20m", "15m", "40s" into buf. */
char *sched_span(int64_t seconds, char *buf, size_t len);

/*
 * sched_next_row() - for the post row of a series that has just been
 * handled (queued, missed, skipped), add the row of the next occurrence,
 * in the caller's transaction.  Occurrences more than grace before now
 * are stepped over and counted in *skipped (may be NULL).  AG_FALSE when
 * the series has ended.
 */
int sched_next_row(struct agency *ag, struct store *st, const struct cJSON *row,
    int64_t now, double grace, int64_t *skipped, int64_t *id);

/*
 * sched_handoff() - queue the upload job of a post row and mark it
 * queued, in the caller's transaction: the job and the row change commit
 * together or not at all.  from is the state the row must be in.
 * production is the row's content document (borrowed).
 */
int sched_handoff(struct agency *ag, struct store *st, const struct cJSON *row,
    const struct cJSON *production, const char *from, int64_t now,
    int64_t *job);

#endif
