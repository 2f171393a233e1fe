/*
 * run.h - private to lib/queue: the pieces of the runner.
 *
 * An attempt is one run of a claimed job: its child, its folder and log,
 * and what the runner learnt about it while it ran.  attempt_start()
 * takes the job (freed by attempt_free()); attempt_end() judges the
 * result, records it with jobs_finish() and cleans up.
 */
#ifndef AG_QUEUE_RUN_H
#define AG_QUEUE_RUN_H

#include "agency.h"

struct attempt {
	struct job *job;
	struct proc *proc;
	char *dir;			/* the job's folder */
	char *log;			/* this attempt's stderr */
	int64_t started;		/* ag_mono_ms() */
	int lost;			/* the lease is gone: cancelled */
	int released;			/* stopped at shutdown: give back */
};

/*
 * attempt_start() - start the child of a claimed job.  AG_OK: *out runs.
 * Otherwise nothing runs, ag->err says why, and the caller ends the
 * attempt with attempt_fail().
 */
int attempt_start(struct agency *ag, struct store *st, struct job *job,
    struct attempt **out);
/* Record a child that could not be started as a failed attempt. */
int attempt_fail(struct agency *ag, struct store *st, struct job *job,
    const char *why, int *failed);
/* Judge and record the end of a finished attempt; *failed is set when
 * it did not succeed.  Frees a. */
int attempt_end(struct agency *ag, struct store *st, struct attempt *a,
    int *failed);
void attempt_free(struct attempt *a);

/* lease.c */

/* "host:pid", and the host alone, for leases and attempts. */
void lease_identity(char *host, size_t hlen, char *runner, size_t rlen);
/* A process's start time in clock ticks since boot (/proc), or 0. */
int64_t lease_pstart(pid_t pid);
/* Reap expired leases (not runner's own); kill what a dead runner on
 * this host left running. */
int lease_reap(struct agency *ag, struct store *st, const char *host,
    const char *runner);

#endif
