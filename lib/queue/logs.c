/*
 * logs.c - "agency-queue logs": print the log of an attempt, or follow
 * it as tail -f does, until the attempt ends.
 *
 * Following polls: the log file for new bytes and, between reads, the
 * attempt's row for its end (five times a second; reads in WAL mode
 * never block a writer).  When the job has not started yet, it first
 * waits for its first attempt.  A log that is not there (the attempt
 * wrote nothing, so it was removed; or it has not opened it yet) is
 * empty.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agency.h"

#define FOLLOW_MS 200

/* Copy what the log has past *off to fd. */
static int
copy_new(struct agency *ag, const char *path, off_t *off, int out)
{
	char buf[65536];
	ssize_t n, w, done;
	int fd;

	if (path == NULL || (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return AG_OK;
	if (lseek(fd, *off, SEEK_SET) == -1) {
		close(fd);
		return AG_OK;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (done = 0; done < n; done += w) {
			w = write(out, buf + done, (size_t)(n - done));
			if (w == -1 && errno == EINTR)
				w = 0;
			else if (w == -1) {
				close(fd);
				return ag_fail(ag, AG_IOERR, "cannot write the "
				    "log:");
			}
		}
		*off += n;
	}
	close(fd);
	return AG_OK;
}

static const char *
log_of(const cJSON *attempt)
{
	return cJSON_GetStringValue(cJSON_GetObjectItem(attempt, "log"));
}

static int
ended(const cJSON *attempt)
{
	const cJSON *e = cJSON_GetObjectItem(attempt, "ended_at");

	return e != NULL && !cJSON_IsNull(e);
}

/* Wait for the job's first attempt; AG_NOINPUT if it ends without one. */
static int
first_attempt(struct agency *ag, struct store *st, int64_t id, cJSON **out)
{
	cJSON *job;
	const char *state;
	int rc;

	for (;;) {
		if ((rc = jobs_attempt(ag, st, id, 0, out)) != AG_NOINPUT)
			return rc;
		if ((rc = jobs_get(ag, st, id, 0, &job)) != AG_OK)
			return rc;
		state = cJSON_GetStringValue(cJSON_GetObjectItem(job,
		    "state"));
		rc = state != NULL && (strcmp(state, "queued") == 0 ||
		    strcmp(state, "failed") == 0 ||
		    strcmp(state, "running") == 0);
		cJSON_Delete(job);
		if (!rc)
			return ag_fail(ag, AG_NOINPUT, "job %lld ended without "
			    "running", (long long)id);
		ag_sleep_ms(FOLLOW_MS);
	}
}

int
queue_logs(struct agency *ag, int64_t id, int64_t n, int follow, int fd)
{
	struct store *st;
	cJSON *a = NULL, *again;
	char *path = NULL;
	off_t off = 0;
	int rc;

	if ((rc = ag_store(ag, &st)) != AG_OK)
		return rc;
	if (follow && n == 0)
		rc = first_attempt(ag, st, id, &a);
	else
		rc = jobs_attempt(ag, st, id, n, &a);
	if (rc != AG_OK)
		return rc;
	n = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(a, "n"));
	for (;;) {
		/* The log path is recorded just after the child starts. */
		if (path == NULL && log_of(a) != NULL)
			path = xstrdup(log_of(a));
		if ((rc = copy_new(ag, path, &off, fd)) != AG_OK ||
		    !follow || ended(a))
			break;
		ag_sleep_ms(FOLLOW_MS);
		if ((rc = jobs_attempt(ag, st, id, n, &again)) != AG_OK)
			break;
		cJSON_Delete(a);
		a = again;
		if (ended(a)) {
			/* The runner wrote its last line before recording
			 * the end: read to the end once more. */
			if (path == NULL && log_of(a) != NULL)
				path = xstrdup(log_of(a));
			rc = copy_new(ag, path, &off, fd);
			break;
		}
	}
	cJSON_Delete(a);
	free(path);
	return rc;
}
