/*
 * runner.c - "run --once" and "work": claim jobs, run them, record them.
 *
 * One process, one store connection, up to -j children at once, one
 * poll loop.  Children are posix_spawn'd (lib/core/proc.c) in their own
 * process groups, so a terminal's ^C reaches the runner alone and the
 * runner decides what happens to them.  The runner is the only writer
 * for the jobs it runs: children get their job on stdin and never touch
 * its row (../shared/reference/queue.md: one writer per job keeps
 * SQLite fair and fast).
 *
 * Each turn of the loop:
 *   - claim while a slot is free (store-enforced limits per type and
 *     queue; see lib/store/leases.c), unless stopping;
 *   - wait for a child's output or exit, a signal, or the next timer;
 *   - record the attempts that ended (lib/queue/attempt.c);
 *   - every heartbeat, renew the leases of the running jobs in one
 *     transaction; a lease found lost (the job was cancelled, or this
 *     runner stalled past its lease and the job was taken over) stops
 *     that child;
 *   - every half lease, reap the leases of runners that died.
 *
 * Stopping.  SIGTERM (or SIGHUP: the terminal went away), or a first
 * SIGINT, stops claiming; the running
 * jobs get queue.grace seconds to finish, then their groups get SIGTERM
 * (SIGKILL 5 s later) and the jobs go back to the queue without counting
 * a failure.  A second SIGINT does that at once, with SIGKILL.  "run
 * --once" also stops when nothing is ready, after --max-jobs claims, or
 * (claiming only) after --max-time seconds.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "queue/run.h"

#define KILL_GRACE 5.0			/* SIGTERM to SIGKILL, seconds */

struct runner {
	struct agency *ag;
	struct store *st;
	const struct queue_runner *o;
	struct attempt **run;
	struct proc **procs;		/* run[i]->proc, for proc_poll */
	size_t n;
	struct job_claim claim;
	struct job_limit *limits;
	size_t nlimits;
	char host[256], id[320];
	int64_t lease_ms, beat_ms, poll_ms, grace_ms;
	int64_t start, next_beat, next_reap, next_claim, stop_at;
	int64_t claimed, failures;
	int stopping, aborted, idle, spent, rc;
	char err[sizeof(((struct agency *)0)->err)];
};

static volatile sig_atomic_t nterm, nint;
static int wake_pipe[2] = { -1, -1 };

static void
on_signal(int sig)
{
	int saved = errno;

	if (sig == SIGINT)
		nint++;
	else
		nterm++;
	if (wake_pipe[1] != -1 && write(wake_pipe[1], "x", 1) == -1)
		errno = saved;
	errno = saved;
}

static int
seconds_ms(struct agency *ag, const char *key, int64_t *out, int zero_ok)
{
	double v = config_number(ag, key);

	if (v < 0 || (!zero_ok && v <= 0))
		return ag_fail(ag, AG_CONFIG, "%s: %g is not a number of "
		    "seconds above 0", key, v);
	*out = (int64_t)(v * 1000);
	return AG_OK;
}

static void
add_limit(struct runner *r, int queue, const char *name, int64_t max)
{
	r->limits = xreallocarray(r->limits, r->nlimits + 1,
	    sizeof(*r->limits));
	r->limits[r->nlimits].queue = queue;
	r->limits[r->nlimits].name = name;
	r->limits[r->nlimits++].max = max;
}

/* queue.types.NAME.concurrency and queue.queues.NAME.concurrency. */
static void
load_limits(struct runner *r)
{
	static const char *const sections[] = { "queue.types",
	    "queue.queues" };
	struct ag_strv names;
	char key[300];
	size_t s, i;

	for (s = 0; s < 2; s++) {
		config_children(r->ag, sections[s], &names);
		for (i = 0; i < names.n; i++) {
			snprintf(key, sizeof(key), "%s.%s.concurrency",
			    sections[s], names.v[i]);
			if (config_str(r->ag, key) != NULL)
				add_limit(r, (int)s, names.v[i],
				    config_int(r->ag, key));
		}
		ag_strv_release(&names);
	}
}

static int
setup(struct runner *r)
{
	struct agency *ag = r->ag;
	const char *hb = config_str(ag, "queue.heartbeat");
	int rc;

	if ((rc = seconds_ms(ag, "queue.lease", &r->lease_ms, 0)) != AG_OK ||
	    (rc = seconds_ms(ag, "queue.poll", &r->poll_ms, 0)) != AG_OK ||
	    (rc = seconds_ms(ag, "queue.grace", &r->grace_ms, 1)) != AG_OK)
		return rc;
	if (hb != NULL) {
		if ((rc = seconds_ms(ag, "queue.heartbeat", &r->beat_ms, 0)) !=
		    AG_OK)
			return rc;
		if (r->beat_ms >= r->lease_ms)
			return ag_fail(ag, AG_CONFIG, "queue.heartbeat (%s s) "
			    "must be shorter than queue.lease (%g s)", hb,
			    (double)r->lease_ms / 1000);
	} else {
		/* Often enough to notice a cancel soon, and three times a
		 * lease at least, so one late renewal loses nothing. */
		r->beat_ms = r->lease_ms / 3 < 1000 ? r->lease_ms / 3 : 1000;
		if (r->beat_ms < 1)
			r->beat_ms = 1;
	}
	if ((rc = ag_store(ag, &r->st)) != AG_OK)
		return rc;
	lease_identity(r->host, sizeof(r->host), r->id, sizeof(r->id));
	load_limits(r);
	r->claim.lease_ms = r->lease_ms;
	r->claim.runner = r->id;
	r->claim.host = r->host;
	r->claim.queues = r->o->queues;
	r->claim.nqueues = r->o->nqueues;
	r->claim.limits = r->limits;
	r->claim.nlimits = r->nlimits;
	r->run = xcalloc((size_t)r->o->jobs, sizeof(*r->run));
	r->procs = xcalloc((size_t)r->o->jobs, sizeof(*r->procs));
	return AG_OK;
}

/* A store error in the loop: stop claiming, keep the first one. */
static void
trouble(struct runner *r, int rc)
{
	if (r->rc == AG_OK) {
		r->rc = rc;
		snprintf(r->err, sizeof(r->err), "%s", r->ag->err);
	}
	ag_clear_error(r->ag);
	if (!r->stopping) {
		r->stopping = 1;
		r->stop_at = ag_mono_ms() + r->grace_ms;
	}
}

/* Has this run claimed all it may? */
static int
spent(struct runner *r, int64_t mono)
{
	const struct queue_runner *o = r->o;

	return (o->max_jobs > 0 && r->claimed >= o->max_jobs) ||
	    (o->max_time > 0 && mono - r->start >= (int64_t)(o->max_time *
	    1000));
}

static void
fill(struct runner *r)
{
	struct attempt *a;
	struct job *job;
	int rc, failed;

	while (r->n < (size_t)r->o->jobs && !r->stopping) {
		if (spent(r, ag_mono_ms())) {
			r->spent = 1;
			return;
		}
		r->claim.now = ag_now_ms();
		if ((rc = jobs_claim(r->ag, r->st, &r->claim, &job)) != AG_OK) {
			trouble(r, rc);
			return;
		}
		if (job == NULL) {
			r->idle = 1;
			r->next_claim = ag_mono_ms() + r->poll_ms;
			return;
		}
		r->idle = 0;
		r->claimed++;
		if (attempt_start(r->ag, r->st, job, &a) != AG_OK) {
			char *why = xstrdup(r->ag->err);

			ag_clear_error(r->ag);
			rc = attempt_fail(r->ag, r->st, job, why, &failed);
			free(why);
			r->failures += failed;
			if (rc != AG_OK)
				trouble(r, rc);
			continue;
		}
		r->run[r->n] = a;
		r->procs[r->n++] = a->proc;
	}
}

/* Record the attempts that ended and close the gaps they leave. */
static void
collect(struct runner *r)
{
	size_t i = 0;
	int rc, failed;

	while (i < r->n) {
		if (!proc_finished(r->run[i]->proc)) {
			i++;
			continue;
		}
		rc = attempt_end(r->ag, r->st, r->run[i], &failed);
		r->failures += failed;
		if (rc != AG_OK)
			trouble(r, rc);
		r->run[i] = r->run[--r->n];
		r->procs[i] = r->procs[r->n];
		r->next_claim = 0;	/* a slot is free; a job may be ready */
	}
}

static void
heartbeat(struct runner *r)
{
	struct job_lease *v;
	size_t i;
	int rc;

	if (r->n == 0)
		return;
	v = xcalloc(r->n, sizeof(*v));
	for (i = 0; i < r->n; i++) {
		v[i].id = r->run[i]->job->id;
		v[i].attempt = r->run[i]->job->attempt;
	}
	rc = jobs_renew(r->ag, r->st, v, r->n, ag_now_ms() + r->lease_ms);
	if (rc != AG_OK) {
		/* The store is busy beyond store.busy_timeout: try again at
		 * the next beat; the lease has two more in it. */
		ag_warn(r->ag, "%s", r->ag->err);
		ag_clear_error(r->ag);
	}
	for (i = 0; rc == AG_OK && i < r->n; i++) {
		if (!v[i].lost || r->run[i]->lost)
			continue;
		ag_info(r->ag, "job %lld: cancelled, or its lease was taken "
		    "over; stopping it", (long long)v[i].id);
		r->run[i]->lost = 1;
		proc_stop(r->run[i]->proc, KILL_GRACE);
	}
	free(v);
}

/* Stop the running children and give their jobs back to the queue. */
static void
release_all(struct runner *r, double grace)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		if (r->run[i]->lost)
			continue;
		if (!r->run[i]->released)
			ag_info(r->ag, "job %lld: stopping it; it goes back to "
			    "the queue", (long long)r->run[i]->job->id);
		r->run[i]->released = 1;
		proc_stop(r->run[i]->proc, grace);
	}
}

static void
signals(struct runner *r, int64_t mono)
{
	if ((nterm > 0 || nint > 0) && !r->stopping) {
		r->stopping = 1;
		r->stop_at = mono + r->grace_ms;
		if (r->n > 0)
			ag_info(r->ag, "stopping: waiting up to %g s for %zu "
			    "running jobs", (double)r->grace_ms / 1000, r->n);
	}
	if (nint > 1 && !r->aborted) {
		r->aborted = 1;
		release_all(r, 0);
	}
	if (r->stopping && r->n > 0 && mono >= r->stop_at && !r->aborted)
		release_all(r, KILL_GRACE);
}

/* How long the loop may sleep, in ms. */
static int
patience(struct runner *r, int64_t mono)
{
	int64_t t = r->next_reap - mono;

	if (r->n > 0 && r->next_beat - mono < t)
		t = r->next_beat - mono;
	if (!r->stopping && !r->spent && r->n < (size_t)r->o->jobs &&
	    r->next_claim - mono < t)
		t = r->next_claim - mono;
	if (r->stopping && r->n > 0 && r->stop_at > mono &&
	    r->stop_at - mono < t)
		t = r->stop_at - mono;
	return t < 0 ? 0 : t > 60000 ? 60000 : (int)t;
}

static void
drain_wake(void)
{
	char buf[64];

	while (read(wake_pipe[0], buf, sizeof(buf)) > 0)
		;
}

static int
loop(struct runner *r)
{
	struct pollfd pf;
	int64_t mono;
	int rc;

	r->start = ag_mono_ms();
	if ((rc = lease_reap(r->ag, r->st, r->host, r->id)) != AG_OK)
		return rc;
	r->next_reap = r->start + r->lease_ms / 2;
	for (;;) {
		mono = ag_mono_ms();
		signals(r, mono);
		if (!r->stopping && mono >= r->next_claim)
			fill(r);
		if (r->n == 0 && (r->stopping || r->spent ||
		    (r->o->once && r->idle)))
			break;
		if (r->n > 0 && r->next_beat == 0)
			r->next_beat = mono + r->beat_ms;
		mono = ag_mono_ms();
		if (r->n > 0) {
			proc_poll(r->procs, r->n, wake_pipe[0],
			    patience(r, mono));
		} else {
			pf.fd = wake_pipe[0];
			pf.events = POLLIN;
			poll(&pf, 1, patience(r, mono));
		}
		drain_wake();
		collect(r);
		mono = ag_mono_ms();
		if (r->n == 0)
			r->next_beat = 0;
		else if (mono >= r->next_beat) {
			heartbeat(r);
			r->next_beat = mono + r->beat_ms;
		}
		if (mono >= r->next_reap) {
			rc = lease_reap(r->ag, r->st, r->host, r->id);
			if (rc != AG_OK) {
				ag_warn(r->ag, "%s", r->ag->err);
				ag_clear_error(r->ag);
			}
			r->next_reap = mono + (r->lease_ms / 2 < 30000 ?
			    r->lease_ms / 2 : 30000);
		}
	}
	return AG_OK;
}

int
queue_run(struct agency *ag, const struct queue_runner *o)
{
	struct sigaction sa, old_term, old_hup, old_int, old_pipe;
	struct runner r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.ag = ag;
	r.o = o;
	if (o->jobs < 1)
		return ag_fail(ag, AG_USAGE, "-j: at least one job at a time");
	if ((rc = setup(&r)) != AG_OK)
		goto out;
	if (pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) == -1) {
		rc = ag_fail(ag, AG_OSERR, "cannot make a pipe:");
		goto out;
	}
	nterm = nint = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	sigaction(SIGINT, &sa, &old_int);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &old_pipe);
	rc = loop(&r);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGPIPE, &old_pipe, NULL);
	ag_info(ag, "%lld jobs run, %lld attempts failed", (long long)r.claimed,
	    (long long)r.failures);
	if (rc == AG_OK && r.rc != AG_OK)
		rc = ag_fail(ag, r.rc, "%s", r.err);
	else if (rc == AG_OK && r.aborted)
		rc = 130;
	else if (rc == AG_OK && o->once && r.failures > 0)
		rc = AG_FALSE;
out:
	while (r.n > 0) {		/* only after an error in setup */
		int failed;

		attempt_end(ag, r.st, r.run[--r.n], &failed);
	}
	if (wake_pipe[0] != -1) {
		close(wake_pipe[0]);
		close(wake_pipe[1]);
		wake_pipe[0] = wake_pipe[1] = -1;
	}
	free(r.run);
	free(r.procs);
	free(r.limits);
	return rc;
}
