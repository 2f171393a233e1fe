/*
 * proc.c - posix_spawn, a poll loop, timeouts that kill the group.
 *
 * posix_spawn (CLONE_VFORK in glibc) costs the same whatever the size
 * of the parent, which matters for a long-running queue worker.  A
 * struct proc is one child: proc_poll() polls its stdin (while there is
 * input left), stdout, stderr and a pidfd (readable at exit, so no
 * SIGCHLD handler is needed and a finished child is noticed at once),
 * for any number of children together.  proc_run() is the one-child
 * loop on top, waking at least every tick_ms to call tick().  SIGPIPE
 * is ignored while we feed stdin, so a child that exits without reading
 * is an EPIPE we note and move past.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
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
feed(int *fd, const char *input, size_t len, size_t *off)
{
	ssize_t n = write(*fd, input + *off, len - *off);

	if (n > 0)
		*off += (size_t)n;
	if ((n == -1 && errno != EINTR && errno != EAGAIN) || *off >= len)
		closefd(fd);		/* done, or EPIPE: the child stopped */
}

struct proc {
	struct proc_result r;
	int ours[3];
	int pidfd;			/* readable when the child exits */
	const char *input;		/* borrowed from the opts */
	size_t input_len, off;
	double kill_grace;
	int64_t deadline, kill_at, exited_at;
	int status, reaped;
};

int
proc_start(struct agency *ag, const struct proc_opts *o, struct proc **out)
{
	struct proc *p = xcalloc(1, sizeof(*p));
	size_t max = o->max_output ? o->max_output : 16u << 20;
	int theirs[3], i, rc;

	buf_init(&p->r.out, max);
	buf_init(&p->r.err, max);
	buf_addstr(&p->r.out, "");
	buf_addstr(&p->r.err, "");
	p->r.exit_code = -1;
	p->pidfd = -1;
	p->input = o->input;
	p->input_len = o->input_len;
	p->kill_grace = o->kill_grace;
	if (make_pipes(o, p->ours, theirs) == -1) {
		rc = ag_fail(ag, AG_OSERR, "cannot make pipes:");
		for (i = 0; i < 3; i++)
			closefd(&theirs[i]);
		goto fail;
	}
	rc = spawn(ag, o, theirs, &p->r.pid);
	for (i = 0; i < 3; i++)
		closefd(&theirs[i]);
	if (rc != AG_OK)
		goto fail;
	/* Without pidfds (before Linux 5.3) proc_poll wakes every 10 ms. */
	p->pidfd = pidfd_open(p->r.pid, 0);
	if (p->pidfd != -1)
		fcntl(p->pidfd, F_SETFD, FD_CLOEXEC);
	p->deadline = o->timeout > 0 ? ag_mono_ms() +
	    (int64_t)(o->timeout * 1000) : 0;
	*out = p;
	return AG_OK;
fail:
	for (i = 0; i < 3; i++)
		closefd(&p->ours[i]);
	proc_result_release(&p->r);
	free(p);
	return rc;
}

static void
stop(struct proc *p, double grace)
{
	kill(-p->r.pid, grace > 0 ? SIGTERM : SIGKILL);
	p->kill_at = ag_mono_ms() + (int64_t)(grace * 1000);
	if (p->kill_at == 0)
		p->kill_at = 1;
}

void
proc_stop(struct proc *p, double grace)
{
	if (p->reaped)
		return;
	p->r.cancelled = 1;
	if (!p->kill_at || grace <= 0)
		stop(p, grace);
}

int
proc_finished(const struct proc *p)
{
	return p->reaped && p->ours[OUT] == -1 && p->ours[ERR] == -1;
}

pid_t
proc_pid(const struct proc *p)
{
	return p->r.pid;
}

static void
reaped(struct proc *p, int64_t now)
{
	p->reaped = 1;
	p->exited_at = now;
	closefd(&p->ours[IN]);
	closefd(&p->pidfd);
	if (WIFEXITED(p->status))
		p->r.exit_code = WEXITSTATUS(p->status);
	else if (WIFSIGNALED(p->status))
		p->r.signal = WTERMSIG(p->status);
}

/* After the I/O: reap, time out, escalate to SIGKILL. */
static void
check(struct proc *p, int64_t now)
{
	if (!p->reaped && waitpid(p->r.pid, &p->status, WNOHANG) == p->r.pid)
		reaped(p, now);
	if (p->reaped) {
		/* Descendants that keep the pipes open do not keep us. */
		if (now - p->exited_at > 1000 && (p->ours[OUT] != -1 ||
		    p->ours[ERR] != -1)) {
			kill(-p->r.pid, SIGKILL);
			closefd(&p->ours[OUT]);
			closefd(&p->ours[ERR]);
		}
		return;
	}
	if (p->deadline && now >= p->deadline && !p->kill_at) {
		p->r.timed_out = 1;
		stop(p, p->kill_grace);
	}
	if (p->kill_at && now >= p->kill_at)
		kill(-p->r.pid, SIGKILL);
}

/* How long proc_poll may sleep for this child, in ms; -1 for ever. */
static int64_t
patience(const struct proc *p, int64_t now)
{
	int64_t t = -1, until;

	if (p->reaped)
		return p->ours[OUT] != -1 || p->ours[ERR] != -1 ? 50 : -1;
	if (p->pidfd == -1)
		t = 10;
	until = p->kill_at ? p->kill_at : p->deadline;
	if (until) {
		until = until > now ? until - now : 0;
		if (t == -1 || until < t)
			t = until;
	}
	return t;
}

int
proc_poll(struct proc *const *v, size_t n, int wake_fd, int timeout_ms)
{
	struct pollfd *pf = xcalloc(4 * n + 1, sizeof(*pf));
	int64_t now = ag_mono_ms(), t = timeout_ms, w;
	size_t i, k;
	int woken = 0, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < 3; j++) {
			pf[4 * i + j].fd = v[i]->ours[j];
			pf[4 * i + j].events = j == IN ? POLLOUT : POLLIN;
		}
		pf[4 * i + 3].fd = v[i]->pidfd;
		pf[4 * i + 3].events = POLLIN;
		w = patience(v[i], now);
		if (w != -1 && (t < 0 || w < t))
			t = w;
	}
	pf[4 * n].fd = wake_fd;
	pf[4 * n].events = POLLIN;
	if (poll(pf, 4 * n + 1, t > INT32_MAX ? INT32_MAX : (int)t) > 0)
		woken = wake_fd != -1 && (pf[4 * n].revents & POLLIN);
	now = ag_mono_ms();
	for (i = 0; i < n; i++) {
		struct proc *p = v[i];

		k = 4 * i;
		if (p->ours[IN] != -1 && pf[k + IN].revents)
			feed(&p->ours[IN], p->input, p->input_len, &p->off);
		if (p->ours[OUT] != -1 && pf[k + OUT].revents)
			drain(&p->ours[OUT], &p->r.out, &p->r.out_truncated);
		if (p->ours[ERR] != -1 && pf[k + ERR].revents)
			drain(&p->ours[ERR], &p->r.err, &p->r.err_truncated);
		check(p, now);
	}
	free(pf);
	return woken;
}

void
proc_end(struct proc *p, struct proc_result *r)
{
	int i;

	if (!p->reaped) {
		kill(-p->r.pid, SIGKILL);
		while (waitpid(p->r.pid, &p->status, 0) == -1 && errno == EINTR)
			;
		reaped(p, ag_mono_ms());
	}
	for (i = 0; i < 3; i++)
		closefd(&p->ours[i]);
	closefd(&p->pidfd);
	*r = p->r;
	free(p);
}

int
proc_run(struct agency *ag, const struct proc_opts *o, struct proc_result *r)
{
	struct sigaction ign, oldpipe;
	struct proc *p;
	int64_t now, next_tick;
	int rc;

	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &oldpipe);
	if ((rc = proc_start(ag, o, &p)) != AG_OK) {
		memset(r, 0, sizeof(*r));
		buf_init(&r->out, 0);
		buf_init(&r->err, 0);
		buf_addstr(&r->out, "");
		buf_addstr(&r->err, "");
		r->exit_code = -1;
		goto out;
	}
	next_tick = ag_mono_ms() + o->tick_ms;
	while (!proc_finished(p)) {
		proc_poll(&p, 1, -1, p->reaped ? 50 : o->tick_ms < 200 ?
		    o->tick_ms : 200);
		if (p->reaped || o->tick == NULL)
			continue;
		now = ag_mono_ms();
		if (now >= next_tick) {
			next_tick = now + o->tick_ms;
			if (o->tick(o->tick_arg, p->r.pid) && !p->kill_at)
				proc_stop(p, p->kill_grace);
		}
	}
	proc_end(p, r);
out:
	sigaction(SIGPIPE, &oldpipe, NULL);
	return rc;
}
