/*
 * progress.h - progress of long work, on stderr.
 *
 * With --progress=auto (the default) a bar is drawn when stderr is a
 * terminal: label, bar, percent, rate and ETA, redrawn at most ten times
 * a second.  --progress=json writes NDJSON events instead
 * ({"kind":"agency.progress","label":...,"done":...,"total":...,
 * "percent":...,"rate":...,"eta":...}), at most four a second plus the
 * last.  -q or --progress=none prints nothing.  A log line printed while
 * a bar is up clears the bar first.
 *
 * total may be 0 when it is unknown: no percent and no ETA then.
 */
#ifndef AG_PROGRESS_H
#define AG_PROGRESS_H

#include <stdint.h>

struct agency;

struct ag_progress {
	struct agency *ag;
	const char *label;		/* borrowed */
	double total, done;
	int bytes;			/* show sizes and rates in bytes */
	int mode;			/* 0 off, 1 bar, 2 json */
	int64_t start, last;
};

void ag_progress_start(struct agency *ag, struct ag_progress *p,
    const char *label, double total, int bytes);
void ag_progress_update(struct ag_progress *p, double done);
void ag_progress_end(struct ag_progress *p);
/* Wipe a bar off the terminal line (log.c calls this). */
void ag_progress_clear(void);

#endif
