/* t-atomic - whole files or nothing. */
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "tap.h"

static int
exists(const char *p)
{
	struct stat sb;

	return stat(p, &sb) == 0;
}

int
main(void)
{
	struct agency ag;
	struct ag_atomic af;
	struct buf b = BUF_INIT;
	struct stat sb;
	char path[512], tmp[600];
	const char *dir = tap_tmpdir();
	pid_t pid;
	int status;

	tap_agency(&ag, "t-atomic");
	snprintf(path, sizeof(path), "%s/out.txt", dir);
	is_int(ag_write_file(&ag, path, "first\n", 6, 0644), AG_OK, "write");
	ag_read_file(&ag, path, 0, &b);
	is_str(b.data, "first\n", "contents");

	is_int(ag_atomic_open(&ag, path, 0600, &af), AG_OK, "open again");
	fputs("second, half", af.fp);
	fflush(af.fp);
	ag_read_file(&ag, path, 0, &b);
	is_str(b.data, "first\n", "the final name keeps the old contents "
	    "while writing");
	snprintf(tmp, sizeof(tmp), "%s", af.tmp);
	ok(exists(tmp), "the data is in %s", tmp);
	ag_atomic_abort(&af);
	ok(!exists(tmp), "abort removes the temporary file");
	ag_read_file(&ag, path, 0, &b);
	is_str(b.data, "first\n", "and leaves the old file");

	ag_atomic_open(&ag, path, 0600, &af);
	fputs("third\n", af.fp);
	is_int(ag_atomic_commit(&ag, &af), AG_OK, "commit");
	ag_read_file(&ag, path, 0, &b);
	is_str(b.data, "third\n", "replaces the file");
	ok(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600,
	    "with the mode asked for, whatever the umask");

	/* A run killed by SIGTERM mid-write leaves no temporary file. */
	fflush(stdout);
	if ((pid = fork()) == 0) {
		ag_atomic_open(&ag, path, 0644, &af);
		fputs("killed", af.fp);
		fflush(af.fp);
		raise(SIGTERM);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM,
	    "the child died of SIGTERM");
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)pid);
	ok(!exists(tmp), "its temporary file was removed");
	ag_read_file(&ag, path, 0, &b);
	is_str(b.data, "third\n", "and the file is untouched");

	snprintf(path, sizeof(path), "%s/no/such/dir/x", dir);
	is_int(ag_write_file(&ag, path, "x", 1, 0644), AG_CANTCREAT,
	    "a missing folder is 'cannot create'");
	ok(strstr(ag.err, "cannot create '") != NULL, "%s", ag.err);
	snprintf(path, sizeof(path), "%s/a/b/c", dir);
	is_int(ag_mkdirs(&ag, path, 0700), AG_OK, "mkdir -p");
	is_int(ag_mkdirs(&ag, path, 0700), AG_OK, "twice is fine");
	is_int(ag_atomic_open(&ag, path, 0644, &af), AG_CANTCREAT,
	    "a folder in the way fails at open, not at the rename");
	ok(strstr(ag.err, "Is a directory") != NULL, "%s", ag.err);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	ok(!exists(tmp), "and leaves no temporary file");
	buf_release(&b);
	ag_release(&ag);
	return done_testing();
}
