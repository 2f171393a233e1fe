/*
 * proc.h - run a child process with a document on stdin.
 *
 * The child is started with posix_spawnp in a process group of its own,
 * with default signal dispositions and an empty signal mask.  Its stdin
 * is fed from memory (or /dev/null), its stdout and stderr are captured
 * into buffers (capped at max_output bytes each; the rest is read and
 * dropped, and *_truncated says so) or sent to a file descriptor.  When
 * the timeout passes, or tick() asks for it, the whole group gets
 * SIGTERM and, kill_grace seconds later, SIGKILL.
 *
 * proc_run() returns AG_OK once the child has been reaped, whatever its
 * exit status (that is in the result); an error means it could not be
 * started (AG_NOINPUT: no such program, AG_OSERR: spawn failed).
 * Release the result's buffers with proc_result_release().
 *
 * Many children at once (the queue runner) use the same machinery one
 * step at a time:
 *
 *	proc_start(ag, &o, &p);		// o.input must live until proc_end
 *	while (!proc_finished(p))
 *		proc_poll(&p, 1, wake_fd, 1000);	// feeds, drains, reaps
 *	proc_end(p, &r);			// the result; p is freed
 *
 * proc_poll() waits on every child's pipes (and on a pidfd, so an exit
 * wakes it at once) plus one extra descriptor of the caller's, does the
 * I/O, reaps, enforces timeouts, and returns.  The caller ignores
 * SIGPIPE (proc_run does that itself).
 */
#ifndef AG_PROC_H
#define AG_PROC_H

#include <stddef.h>
#include <sys/types.h>

#include "buf.h"

struct agency;

struct proc_opts {
	char *const *argv;		/* argv[0] is looked up in PATH */
	char *const *envp;		/* NULL: inherit */
	const char *cwd;		/* NULL: ours */
	const char *input;		/* NULL: stdin is /dev/null */
	size_t input_len;
	int stdout_fd;			/* -1: capture into result.out */
	int stderr_fd;			/* -1: capture into result.err */
	size_t max_output;		/* per captured stream; 0: 16 MiB */
	double timeout;			/* seconds; 0: none */
	double kill_grace;		/* seconds from SIGTERM to SIGKILL */
	/* Called about every tick_ms while the child runs; return 1 to
	 * stop it (cancel), 0 to go on. */
	int (*tick)(void *arg, pid_t pid);
	void *tick_arg;
	int tick_ms;
};

struct proc_result {
	pid_t pid;
	int exit_code;			/* -1 when killed by a signal */
	int signal;			/* the signal that ended it, or 0 */
	int timed_out;
	int cancelled;			/* tick() asked for it */
	int out_truncated, err_truncated;
	struct buf out, err;
};

/* Fill o with defaults: no input, capture both, no timeout, 5 s grace. */
void proc_opts_init(struct proc_opts *o, char *const *argv);
int proc_run(struct agency *ag, const struct proc_opts *o,
    struct proc_result *r);
void proc_result_release(struct proc_result *r);

/* A child started with proc_start(); owned by the caller until proc_end. */
struct proc;

int proc_start(struct agency *ag, const struct proc_opts *o,
    struct proc **out);
/*
 * proc_poll() - wait up to timeout_ms (-1: until something happens) for
 * any of the n children or for wake_fd (-1: none) to be ready, then do
 * their I/O and reap those that exited.  Returns 1 when wake_fd is
 * readable, else 0 (also when a signal interrupted the wait).
 */
int proc_poll(struct proc *const *v, size_t n, int wake_fd, int timeout_ms);
/* Has the child exited, with its output read to the end? */
int proc_finished(const struct proc *p);
pid_t proc_pid(const struct proc *p);
/* Stop the child's group: SIGTERM, then SIGKILL grace seconds later (0:
 * at once); the result says cancelled. */
void proc_stop(struct proc *p, double grace);
/* The result (moved into r) and free p; a child still running is killed
 * with its group and reaped first. */
void proc_end(struct proc *p, struct proc_result *r);

#endif
