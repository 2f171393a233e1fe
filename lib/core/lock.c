/* lock.c - flock(2) on a lock file, with a bounded wait (see lock.h). */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "agency.h"
#include "core/lock.h"

int
ag_lock(struct agency *ag, const char *path, double wait, int *out)
{
	int64_t until = ag_mono_ms() + (int64_t)(wait * 1000);
	int fd, rc, pause = 5;

	if ((rc = ag_mkdirs_for(ag, path, 0700)) != AG_OK)
		return rc;
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1)
		return ag_fail(ag, errno == EACCES ? AG_NOPERM : AG_CANTCREAT,
		    "cannot open lock '%s':", path);
	for (;;) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			*out = fd;
			return AG_OK;
		}
		if (errno != EWOULDBLOCK && errno != EINTR) {
			rc = ag_fail(ag, AG_IOERR, "cannot lock '%s':", path);
			break;
		}
		if (ag_mono_ms() >= until) {
			rc = ag_fail(ag, AG_TEMPFAIL, "'%s' is locked by "
			    "another process; try again", path);
			break;
		}
		ag_sleep_ms(pause);
		if (pause < 100)
			pause *= 2;
	}
	close(fd);
	return rc;
}

void
ag_unlock(int fd)
{
	if (fd >= 0)
		close(fd);		/* drops the flock */
}
