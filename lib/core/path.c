/* path.c - XDG folders, the data folder, whole-file reads, mkdir -p, rm -r. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agency.h"

#ifndef AGENCY_DATADIR
#define AGENCY_DATADIR "/usr/local/share/agency"
#endif

char *
ag_xdg_dir(const char *kind)
{
	static const struct {
		const char *kind, *fallback;
	} dirs[] = {
		{ "CONFIG", ".config" }, { "DATA", ".local/share" },
		{ "STATE", ".local/state" }, { "CACHE", ".cache" },
	};
	char var[32];
	const char *v, *home = getenv("HOME");
	size_t i;

	snprintf(var, sizeof(var), "XDG_%s_HOME", kind);
	/* The spec says relative paths are to be ignored. */
	if ((v = getenv(var)) != NULL && v[0] == '/')
		return xstrdup(v);
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (strcmp(dirs[i].kind, kind) == 0)
			break;
	if (home == NULL || *home == '\0')
		home = "/";
	return xasprintf("%s/%s", home, i < 4 ? dirs[i].fallback : ".");
}

char *
ag_exe_dir(void)
{
	char buf[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

	if (n <= 0)
		return xstrdup(".");
	buf[n] = '\0';
	if ((slash = strrchr(buf, '/')) != NULL)
		*slash = '\0';
	return xstrdup(buf);
}

static int
isdir(const char *p)
{
	struct stat sb;

	return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

char *
ag_data_dir(void)
{
	const char *env = getenv("AGENCY_DATADIR");
	char *exe, *p;

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	exe = ag_exe_dir();
	p = xasprintf("%s/../share/agency", exe);
	if (!isdir(p)) {
		free(p);
		p = xasprintf("%s/../share", exe);
		if (!isdir(p)) {
			free(p);
			p = xstrdup(AGENCY_DATADIR);
		}
	}
	free(exe);
	return p;
}

int
ag_read_file(struct agency *ag, const char *path, size_t max,
    struct buf *out)
{
	char chunk[65536];
	ssize_t n;
	int fd, rc = AG_OK;

	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return ag_fail(ag, errno == EACCES ? AG_NOPERM : AG_NOINPUT,
		    "cannot read '%s':", path);
	buf_reset(out);
	buf_addstr(out, "");
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			rc = ag_fail(ag, errno == EISDIR ? AG_NOINPUT :
			    AG_IOERR, "cannot read '%s':", path);
			break;
		}
		if (n == 0)
			break;
		if ((max && out->len + (size_t)n > max) ||
		    buf_add(out, chunk, (size_t)n) == -1) {
			rc = ag_fail(ag, AG_DATAERR, "'%s': larger than %zu "
			    "bytes", path, max);
			break;
		}
	}
	if (fd != STDIN_FILENO)
		close(fd);
	return rc;
}

int
ag_write_file(struct agency *ag, const char *path, const void *data,
    size_t len, mode_t mode)
{
	struct ag_atomic af;
	int rc;

	if ((rc = ag_atomic_open(ag, path, mode, &af)) != AG_OK)
		return rc;
	if (len > 0 && fwrite(data, 1, len, af.fp) != len) {
		rc = ag_fail(ag, AG_IOERR, "cannot write '%s':", path);
		ag_atomic_abort(&af);
		return rc;
	}
	return ag_atomic_commit(ag, &af);
}

int
ag_mkdirs(struct agency *ag, const char *dir, mode_t mode)
{
	char *parent, *slash;
	int rc;

	/*
	 * From the leaf up: a folder whose parent exists takes one call,
	 * and each missing level one more (the queue makes two levels for
	 * every job).
	 */
	if (mkdir(dir, mode) == 0 || (errno == EEXIST && isdir(dir)))
		return AG_OK;
	if (errno == ENOENT && (slash = strrchr(dir, '/')) != NULL &&
	    slash != dir) {
		parent = xstrndup(dir, (size_t)(slash - dir));
		rc = ag_mkdirs(ag, parent, mode);
		free(parent);
		if (rc != AG_OK)
			return rc;
		if (mkdir(dir, mode) == 0 || (errno == EEXIST && isdir(dir)))
			return AG_OK;
	}
	if (errno == EEXIST)
		return ag_fail(ag, AG_CANTCREAT, "cannot create folder '%s': "
		    "a file is in the way", dir);
	return ag_fail(ag, errno == EACCES ? AG_NOPERM : AG_CANTCREAT,
	    "cannot create folder '%s':", dir);
}

int
ag_mkdirs_for(struct agency *ag, const char *file, mode_t mode)
{
	char *dir = xstrdup(file), *slash = strrchr(dir, '/');
	int rc = AG_OK;

	if (slash != NULL && slash != dir) {
		*slash = '\0';
		rc = ag_mkdirs(ag, dir, mode);
	}
	free(dir);
	return rc;
}

static int
remove_one(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)f;
	if ((flag == FTW_DP ? rmdir(path) : unlink(path)) == -1 &&
	    errno != ENOENT)
		return -1;
	return 0;
}

int
ag_remove_tree(struct agency *ag, const char *path)
{
	struct stat sb;

	if (lstat(path, &sb) == -1)
		return errno == ENOENT ? AG_OK : ag_fail(ag, AG_IOERR,
		    "cannot remove '%s':", path);
	if (!S_ISDIR(sb.st_mode))
		return unlink(path) == 0 ? AG_OK : ag_fail(ag, AG_IOERR,
		    "cannot remove '%s':", path);
	/* Depth first, never following links out of the tree. */
	if (nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS) == -1)
		return ag_fail(ag, errno == EACCES ? AG_NOPERM : AG_IOERR,
		    "cannot remove '%s':", path);
	return AG_OK;
}

char *
ag_user_dir(const char *sub)
{
	char *c = ag_xdg_dir("CONFIG"), *d;

	d = xasprintf("%s/agency/%s", c, sub);
	free(c);
	return d;
}

char *
ag_shipped_dir(const char *sub)
{
	char *s = ag_data_dir(), *d;

	d = xasprintf("%s/%s", s, sub);
	free(s);
	return d;
}
