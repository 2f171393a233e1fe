/*
 * atomic.c - temporary file, fsync, rename.
 *
 * Open temporary files are kept in a small table so that a signal
 * handler can unlink them before the process dies; unlink(2) is
 * async-signal-safe, and the table is only changed with those signals
 * blocked.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agency.h"

#define MAXOPEN 64

static char *volatile pending[MAXOPEN];
static int handlers;

static void
on_signal(int sig)
{
	int i;

	for (i = 0; i < MAXOPEN; i++)
		if (pending[i] != NULL)
			unlink(pending[i]);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
block(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, old);
}

static void
track(char *tmp, int add)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa, cur;
	sigset_t old;
	size_t i;

	block(&old);
	if (!handlers) {
		/* Only where nobody else (the queue runner) has a handler. */
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
			if (sigaction(sigs[i], NULL, &cur) == 0 &&
			    cur.sa_handler == SIG_DFL)
				sigaction(sigs[i], &sa, NULL);
		handlers = 1;
	}
	for (i = 0; i < MAXOPEN; i++) {
		if (add && pending[i] == NULL) {
			pending[i] = tmp;
			break;
		}
		if (!add && pending[i] == tmp) {
			pending[i] = NULL;
			break;
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

int
ag_atomic_open(struct agency *ag, const char *path, mode_t mode,
    struct ag_atomic *af)
{
	struct stat sb;
	int rc;

	memset(af, 0, sizeof(*af));
	af->fd = -1;
	/* The rename at the end would fail: say so before any work. */
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		errno = EISDIR;
		return ag_fail(ag, AG_CANTCREAT, "cannot create '%s':", path);
	}
	af->path = xstrdup(path);
	af->tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	track(af->tmp, 1);
	af->fd = open(af->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    mode);
	if (af->fd == -1 || (af->fp = fdopen(af->fd, "w")) == NULL) {
		rc = ag_fail(ag, errno == EACCES ? AG_NOPERM : AG_CANTCREAT,
		    "cannot create '%s':", path);
		ag_atomic_abort(af);
		return rc;
	}
	/* The mode must not depend on the umask for 0600 secrets. */
	fchmod(af->fd, mode);
	return AG_OK;
}

static void
sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd;

	if (slash == NULL)
		dir = xstrdup(".");
	else
		dir = xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

int
ag_atomic_commit(struct agency *ag, struct ag_atomic *af)
{
	int rc = AG_OK;

	if (fflush(af->fp) != 0 || ferror(af->fp) || fsync(af->fd) == -1)
		rc = ag_fail(ag, AG_IOERR, "cannot write '%s':", af->path);
	else if (fclose(af->fp) != 0)
		rc = ag_fail(ag, AG_IOERR, "cannot write '%s':", af->path);
	else {
		af->fp = NULL;
		af->fd = -1;
		if (rename(af->tmp, af->path) == -1)
			rc = ag_fail(ag, AG_CANTCREAT, "cannot create '%s':",
			    af->path);
		else
			sync_dir(af->path);
	}
	if (rc != AG_OK) {
		ag_atomic_abort(af);
		return rc;
	}
	track(af->tmp, 0);
	free(af->tmp);
	free(af->path);
	af->tmp = af->path = NULL;
	return AG_OK;
}

void
ag_atomic_abort(struct ag_atomic *af)
{
	if (af->fp != NULL)
		fclose(af->fp);
	else if (af->fd != -1)
		close(af->fd);
	af->fp = NULL;
	af->fd = -1;
	if (af->tmp != NULL) {
		unlink(af->tmp);
		track(af->tmp, 0);
	}
	free(af->tmp);
	free(af->path);
	af->tmp = af->path = NULL;
}
