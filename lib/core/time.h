/*
 * time.h - clocks, RFC 3339 instants and durations.
 *
 * Documents carry instants as RFC 3339 with an offset or Z; we write Z.
 * Time zones and wall times belong to lib/schedule; this is UTC only.
 */
#ifndef AG_TIME_H
#define AG_TIME_H

#include <stdint.h>
#include <time.h>

#define AG_TIMEBUF 32

/* Milliseconds since the epoch / since an arbitrary start. */
int64_t ag_now_ms(void);
int64_t ag_mono_ms(void);
void ag_sleep_ms(int64_t ms);
/* A timespec (a clock's, a file's mtime) in milliseconds, and back. */
int64_t ag_timespec_ms(const struct timespec *ts);
struct timespec ag_ms_timespec(int64_t ms);

/* "2026-12-01T08:00:00Z" into buf (at least AG_TIMEBUF bytes). */
char *ag_time_format(time_t t, char *buf);
/* Parse RFC 3339 ("...T09:00:00+01:00", "...Z", fractions allowed). */
int ag_time_parse(const char *s, time_t *out);
/* Parse "90", "90s", "500ms", "15m", "2h", "1d", "1w" into seconds. */
int ag_duration_parse(const char *s, double *seconds);

#endif
