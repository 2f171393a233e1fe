/*
 * atomic.h - write a file so that it is either wholly there or not at all.
 *
 * Calling sequence (git's lockfile.h):
 *
 *	struct ag_atomic af;
 *	if ((rc = ag_atomic_open(ag, "out.json", 0644, &af)) != AG_OK)
 *		return rc;
 *	fprintf(af.fp, ...);		// or write(af.fd, ...)
 *	return ag_atomic_commit(ag, &af);	// or ag_atomic_abort(&af)
 *
 * The data goes to "out.json.tmp.PID" in the same folder; commit
 * flushes, fsyncs, renames it over the final name and fsyncs the folder.
 * A failed commit, an abort, or SIGINT/SIGTERM/SIGHUP while the file is
 * open removes the temporary file, so a killed run never leaves a
 * half-written file under the final name (kill -9 may leave the .tmp).
 */
#ifndef AG_ATOMIC_H
#define AG_ATOMIC_H

#include <stdio.h>
#include <sys/types.h>

struct agency;

struct ag_atomic {
	char *path;			/* the final name */
	char *tmp;			/* where the data goes first */
	FILE *fp;
	int fd;
};

int ag_atomic_open(struct agency *ag, const char *path, mode_t mode,
    struct ag_atomic *af);
int ag_atomic_commit(struct agency *ag, struct ag_atomic *af);
void ag_atomic_abort(struct ag_atomic *af);

#endif
