/*
 * proc.c - posix_spawn, a poll loop, timeouts that kill the group.
 *
 * posix_spawn (CLONE_VFORK in glibc) costs the same whatever the size
 * of the parent, which matters for a long-running queue worker.  The
 * loop polls the child's stdin (while there is input left), stdout and
 * stderr, and wakes at least every tick_ms to call tick() and check the
 * deadline.  SIGPIPE is ignored while we feed stdin, so a child that
 * exits without reading is an EPIPE we note and move past.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agency.h"

extern char **environ;

enum { IN, OUT, ERR };

void
proc_opts_init(struct proc_opts *o, char *const *argv)
{
	memset(o, 0, sizeof(*o));
	o->argv = argv;
	o->stdout_fd = -1;
	o->stderr_fd = -1;
	o->kill_grace = 5;
	o->tick_ms = 1000;
}

void
proc_result_release(struct proc_result *r)
{
	buf_release(&r->out);
	buf_release(&r->err);
}

static void
closefd(int *fd)
{
	if (*fd != -1)
		close(*fd);
	*fd = -1;
}

/* Pipes: ours[i] is our end, theirs[i] the child's. */
static int
make_pipes(const struct proc_opts *o, int ours[3], int theirs[3])
{
	int p[2], i;

	for (i = 0; i < 3; i++)
		ours[i] = theirs[i] = -1;
	if (o->input != NULL) {
		if (pipe2(p, O_CLOEXEC) == -1)
			return -1;
		ours[IN] = p[1];
		theirs[IN] = p[0];
		fcntl(ours[IN], F_SETFL, O_NONBLOCK);
	} else if ((theirs[IN] = open("/dev/null", O_RDONLY | O_CLOEXEC)) ==
	    -1) {
		return -1;
	}
	for (i = OUT; i <= ERR; i++) {
		if ((i == OUT ? o->stdout_fd : o->stderr_fd) != -1)
			continue;
		if (pipe2(p, O_CLOEXEC) == -1)
			return -1;
		ours[i] = p[0];
		theirs[i] = p[1];
	}
	return 0;
}

static int
spawn(struct agency *ag, const struct proc_opts *o, int theirs[3],
    pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, all;
	int rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	posix_spawn_file_actions_adddup2(&fa, theirs[IN], 0);
	posix_spawn_file_actions_adddup2(&fa, theirs[OUT] != -1 ? theirs[OUT] :
	    o->stdout_fd, 1);
	posix_spawn_file_actions_adddup2(&fa, theirs[ERR] != -1 ? theirs[ERR] :
	    o->stderr_fd, 2);
	if (o->cwd != NULL)
		posix_spawn_file_actions_addchdir_np(&fa, o->cwd);
	sigemptyset(&none);
	sigfillset(&all);
	sigdelset(&all, SIGKILL);
	sigdelset(&all, SIGSTOP);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &all);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP |
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	rc = posix_spawnp(pid, o->argv[0], &fa, &at, o->argv,
	    o->envp ? o->envp : environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (rc != 0) {
		errno = rc;
		return ag_fail(ag, rc == ENOENT ? AG_NOINPUT : AG_OSERR,
		    "cannot run '%s':", o->argv[0]);
	}
	return AG_OK;
}

static void
drain(int *fd, struct buf *b, int *truncated)
{
	char chunk[65536];
	ssize_t n = read(*fd, chunk, sizeof(chunk));

	size_t room = b->max - b->len;

	if (n > 0) {
		/* Keep what fits under the cap; read and drop the rest. */
		if ((size_t)n > room) {
			*truncated = 1;
			n = (ssize_t)room;
		}
		buf_add(b, chunk, (size_t)n);
	} else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
		closefd(fd);
	}
}

static void
feed(int *fd, const struct proc_opts *o, size_t *off)
{
	ssize_t n = write(*fd, o->input + *off, o->input_len - *off);

	if (n > 0)
		*off += (size_t)n;
	if ((n == -1 && errno != EINTR && errno != EAGAIN) ||
	    *off >= o->input_len)
		closefd(fd);		/* done, or EPIPE: the child stopped */
}

static void
stop(struct proc_result *r, int64_t *kill_at, double grace)
{
	kill(-r->pid, SIGTERM);
	*kill_at = ag_mono_ms() + (int64_t)(grace * 1000);
}

int
proc_run(struct agency *ag, const struct proc_opts *o, struct proc_result *r)
{
	struct sigaction ign, oldpipe;
	struct pollfd pf[3];
	int ours[3], theirs[3], i, status = 0, rc, reaped = 0;
	int64_t now, deadline, kill_at = 0, next_tick, exited_at = 0;
	size_t off = 0, max = o->max_output ? o->max_output : 16u << 20;

	memset(r, 0, sizeof(*r));
	buf_init(&r->out, max);
	buf_init(&r->err, max);
	buf_addstr(&r->out, "");
	buf_addstr(&r->err, "");
	r->exit_code = -1;
	if (make_pipes(o, ours, theirs) == -1) {
		rc = ag_fail(ag, AG_OSERR, "cannot make pipes:");
		goto out;
	}
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &oldpipe);
	rc = spawn(ag, o, theirs, &r->pid);
	for (i = 0; i < 3; i++)
		closefd(&theirs[i]);
	if (rc != AG_OK)
		goto restore;
	now = ag_mono_ms();
	deadline = o->timeout > 0 ? now + (int64_t)(o->timeout * 1000) : 0;
	next_tick = now + o->tick_ms;
	while (!reaped || ours[OUT] != -1 || ours[ERR] != -1) {
		for (i = 0; i < 3; i++) {
			pf[i].fd = ours[i];
			pf[i].events = i == IN ? POLLOUT : POLLIN;
		}
		poll(pf, 3, reaped ? 50 : (o->tick_ms < 200 ? o->tick_ms : 200));
		if (ours[IN] != -1 && pf[IN].revents)
			feed(&ours[IN], o, &off);
		if (ours[OUT] != -1 && pf[OUT].revents)
			drain(&ours[OUT], &r->out, &r->out_truncated);
		if (ours[ERR] != -1 && pf[ERR].revents)
			drain(&ours[ERR], &r->err, &r->err_truncated);
		now = ag_mono_ms();
		if (!reaped && waitpid(r->pid, &status, WNOHANG) == r->pid) {
			reaped = 1;
			exited_at = now;
			closefd(&ours[IN]);
		}
		/* Descendants that keep the pipes open do not keep us. */
		if (reaped && now - exited_at > 1000) {
			kill(-r->pid, SIGKILL);
			closefd(&ours[OUT]);
			closefd(&ours[ERR]);
		}
		if (reaped)
			continue;
		if (deadline && now >= deadline && !kill_at) {
			r->timed_out = 1;
			stop(r, &kill_at, o->kill_grace);
		}
		if (o->tick != NULL && now >= next_tick) {
			next_tick = now + o->tick_ms;
			if (o->tick(o->tick_arg, r->pid) && !kill_at) {
				r->cancelled = 1;
				stop(r, &kill_at, o->kill_grace);
			}
		}
		if (kill_at && now >= kill_at)
			kill(-r->pid, SIGKILL);
	}
	if (WIFEXITED(status))
		r->exit_code = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		r->signal = WTERMSIG(status);
restore:
	sigaction(SIGPIPE, &oldpipe, NULL);
out:
	for (i = 0; i < 3; i++) {
		closefd(&ours[i]);
		closefd(&theirs[i]);
	}
	return rc;
}
