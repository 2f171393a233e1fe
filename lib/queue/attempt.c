/*
 * attempt.c - one run of a job: start its child, judge how it ended.
 *
 * The child is agency-TYPE (lib/core/tools.h) with the job's args, in
 * QUEUE_DIR/ID/work, its input on stdin, stdout captured (the result),
 * stderr appended to QUEUE_DIR/ID/N.log.  Its environment adds
 * AGENCY_JOB_ID, AGENCY_JOB_ATTEMPT, AGENCY_JOB_TYPE, AGENCY_JOB_DIR and
 * the config file in use (AGENCY_CONFIG); progress bars are off.
 *
 * How an attempt ends, in order:
 *   stopped at shutdown		-> the job is queued again, no failure
 *   lease lost (cancelled)		-> recorded; the job stays as it is
 *   timed out, killed, exit != 0, 75	-> failure (75: not counted), then
 *					   failed with a backoff, or dead
 *   exit 0, stdout not JSON or too big	-> failure, the same way
 *   exit 0, stdout JSON or empty	-> done, stdout is the result
 * A failure appends one line to the log saying what happened and what
 * comes next, so the log alone tells the story.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "queue/run.h"

extern char **environ;

void
attempt_free(struct attempt *a)
{
	if (a == NULL)
		return;
	job_free(a->job);
	free(a->dir);
	free(a->log);
	free(a);
}

static char **
child_argv(const char *path, const struct job *j)
{
	cJSON *args = cJSON_Parse(j->args), *a;
	char **argv;
	size_t n = 1;

	argv = xcalloc((size_t)cJSON_GetArraySize(args) + 2, sizeof(*argv));
	argv[0] = xstrdup(path);
	cJSON_ArrayForEach(a, args)
		if (cJSON_IsString(a))
			argv[n++] = xstrdup(a->valuestring);
	cJSON_Delete(args);
	return argv;
}

static void
strings_free(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* Ours, and the environment without the variables we set. */
static char **
child_env(struct agency *ag, const struct job *j, const char *work)
{
	static const char *const ours[] = { "AGENCY_JOB_ID=",
	    "AGENCY_JOB_ATTEMPT=", "AGENCY_JOB_TYPE=", "AGENCY_JOB_DIR=",
	    "AGENCY_CONFIG=", "AGENCY_PROGRESS=" };
	size_t n = 0, i, k;
	char **env;

	for (i = 0; environ[i] != NULL; i++)
		n++;
	env = xcalloc(n + 7, sizeof(*env));
	for (i = 0, n = 0; environ[i] != NULL; i++) {
		for (k = 0; k < sizeof(ours) / sizeof(ours[0]); k++)
			if (ag_starts_with(environ[i], ours[k]))
				break;
		if (k == sizeof(ours) / sizeof(ours[0]))
			env[n++] = xstrdup(environ[i]);
	}
	env[n++] = xasprintf("AGENCY_JOB_ID=%lld", (long long)j->id);
	env[n++] = xasprintf("AGENCY_JOB_ATTEMPT=%lld", (long long)j->attempt);
	env[n++] = xasprintf("AGENCY_JOB_TYPE=%s", j->type);
	env[n++] = xasprintf("AGENCY_JOB_DIR=%s", work);
	env[n++] = xasprintf("AGENCY_CONFIG=%s", config_path(ag));
	env[n++] = xstrdup("AGENCY_PROGRESS=none");
	return env;
}

/* The job's timeout: its own, its type's, or queue.timeout. */
static double
timeout_of(struct agency *ag, const struct job *j)
{
	char key[300];

	if (j->timeout >= 0)
		return j->timeout;
	snprintf(key, sizeof(key), "queue.types.%s.timeout", j->type);
	if (config_str(ag, key) != NULL)
		return config_number(ag, key);
	return config_number(ag, "queue.timeout");
}

int
attempt_start(struct agency *ag, struct store *st, struct job *job,
    struct attempt **out)
{
	struct attempt *a = xcalloc(1, sizeof(*a));
	struct proc_opts o;
	char **argv = NULL, **env = NULL, *tool = NULL, *work = NULL;
	int logfd = -1, rc;

	a->job = job;
	a->dir = queue_job_dir(ag, job->id);
	a->log = xasprintf("%s/%lld.log", a->dir, (long long)job->attempt);
	work = xasprintf("%s/work", a->dir);
	if ((rc = ag_mkdirs(ag, work, 0700)) != AG_OK)
		goto fail;
	if ((tool = ag_tool_find(ag, job->type)) == NULL) {
		rc = ag_fail(ag, AG_UNAVAILABLE, "no tool agency-%s (looked "
		    "beside %s, in plugins.path and in PATH)", job->type,
		    ag->progname);
		goto fail;
	}
	logfd = open(a->log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND |
	    O_CLOEXEC, 0600);
	if (logfd == -1) {
		rc = ag_fail(ag, AG_CANTCREAT, "cannot create '%s':", a->log);
		goto fail;
	}
	argv = child_argv(tool, job);
	env = child_env(ag, job, work);
	proc_opts_init(&o, argv);
	o.envp = env;
	o.cwd = work;
	o.input = job->input;
	o.input_len = job->input ? strlen(job->input) : 0;
	o.stderr_fd = logfd;
	o.max_output = (size_t)config_int(ag, "queue.max_result");
	o.timeout = timeout_of(ag, job);
	if ((rc = proc_start(ag, &o, &a->proc)) != AG_OK)
		goto fail;
	a->started = ag_mono_ms();
	ag_debug(ag, "job %lld: attempt %lld: started %s (pid %ld)",
	    (long long)job->id, (long long)job->attempt, tool,
	    (long)proc_pid(a->proc));
	/* Where it runs, for logs, cancel and the next runner's reaper. */
	rc = jobs_started(ag, st, job->id, job->attempt, proc_pid(a->proc),
	    lease_pstart(proc_pid(a->proc)), a->log);
	if (rc != AG_OK) {
		ag_warn(ag, "%s", ag->err);
		ag_clear_error(ag);
		rc = AG_OK;
	}
	*out = a;
	a = NULL;
fail:
	if (logfd != -1)
		close(logfd);
	strings_free(argv);
	strings_free(env);
	free(tool);
	free(work);
	if (a != NULL) {
		a->job = NULL;		/* the caller keeps it on failure */
		attempt_free(a);
	}
	return rc;
}

/* The last non-empty line of a log, at most 200 bytes, or "". */
static void
last_line(const char *path, char *out, size_t len)
{
	char buf[1024], *end, *start;
	ssize_t n;
	off_t size;
	int fd;

	out[0] = '\0';
	if (path == NULL || (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	size = lseek(fd, 0, SEEK_END);
	if (size > (off_t)sizeof(buf) - 1)
		lseek(fd, size - (off_t)sizeof(buf) + 1, SEEK_SET);
	else
		lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	for (end = buf + n; end > buf && strchr("\n\r \t", end[-1]); end--)
		;
	*end = '\0';
	start = strrchr(buf, '\n');
	start = start ? start + 1 : buf;
	if (len > 201)
		len = 201;
	snprintf(out, len, "%s", start);
}

/* Append a line saying how the attempt ended to its log. */
static void
trailer(const char *path, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int fd, n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	if ((fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
	    0600)) == -1)
		return;
	if (write(fd, line, (size_t)n) != n)
		n = 0;			/* the log is a courtesy */
	close(fd);
}

/* Take away what the attempt left empty: its log, work/, the folder. */
static void
tidy(const char *dir, const char *log)
{
	struct stat sb;
	char *work = xasprintf("%s/work", dir);

	if (log != NULL && stat(log, &sb) == 0 && sb.st_size == 0)
		unlink(log);
	rmdir(work);
	rmdir(dir);
	free(work);
}

/* Fill e with a failure: failed with a backoff, or dead. */
static void
failure(struct agency *ag, const struct job *j, struct job_end *e,
    int tempfail)
{
	e->state = "failed";
	e->failure = !tempfail;
	if (!tempfail && j->failures + 1 >= j->max_attempts) {
		e->state = "dead";
		return;
	}
	e->run_at = e->now + queue_backoff(ag, tempfail ? j->attempt :
	    j->failures + 1);
}

/* Say how the attempt ended (log trailer first, for logs -f), record
 * it. */
static int
record(struct agency *ag, struct store *st, const struct job *j,
    const struct job_end *e, const char *log, double secs)
{
	char when[AG_TIMEBUF], next[128];
	int ours = 1, rc;

	if (strcmp(e->outcome, "done") != 0) {
		if (strcmp(e->state, "dead") == 0)
			snprintf(next, sizeof(next), "; dead after %lld "
			    "failures", (long long)(j->failures + 1));
		else if (strcmp(e->state, "failed") == 0)
			snprintf(next, sizeof(next), "; next attempt at %s",
			    ag_time_format((time_t)(e->run_at / 1000), when));
		else
			next[0] = '\0';
		if (log != NULL)
			trailer(log, "%s: attempt %lld: %s%s", ag->progname,
			    (long long)j->attempt, e->error, next);
		if (strcmp(e->state, "dead") == 0 ||
		    strcmp(e->state, "failed") == 0)
			ag_warn(ag, "job %lld (%s): attempt %lld: %s%s",
			    (long long)j->id, j->type, (long long)j->attempt,
			    e->error, next);
	}
	rc = jobs_finish(ag, st, e, &ours);
	if (rc == AG_OK && !ours && strcmp(e->outcome, "cancelled") != 0)
		ag_warn(ag, "job %lld (%s): attempt %lld ended after its lease "
		    "was lost; only the attempt is recorded", (long long)j->id,
		    j->type, (long long)j->attempt);
	else if (rc == AG_OK && strcmp(e->outcome, "done") == 0)
		ag_info(ag, "job %lld (%s): done in %.2f s", (long long)j->id,
		    j->type, secs);
	return rc;
}

int
attempt_fail(struct agency *ag, struct store *st, struct job *job,
    const char *why, int *failed)
{
	struct job_end e;
	char *error = xstrdup(why);
	int rc;

	memset(&e, 0, sizeof(e));
	e.id = job->id;
	e.attempt = job->attempt;
	e.now = ag_now_ms();
	e.outcome = "failed";
	e.error = error;
	e.exit_code = -1;
	failure(ag, job, &e, 0);
	rc = record(ag, st, job, &e, NULL, 0);
	*failed = 1;
	free(error);
	job_free(job);
	return rc;
}

/* Judge a finished child: outcome, state, result, error. */
static void
judge(struct agency *ag, struct attempt *a, struct proc_result *r,
    struct job_end *e, char *error, size_t len)
{
	const struct job *j = a->job;
	char tail[256], name[16];

	last_line(a->log, tail, sizeof(tail));
	e->exit_code = r->exit_code;
	e->signal = r->signal;
	if (a->released) {
		e->outcome = "interrupted";
		e->state = "queued";
		e->run_at = e->now;
		snprintf(error, len, "stopped: the runner was shutting down");
		return;
	}
	if (a->lost) {
		e->outcome = "cancelled";
		e->state = "cancelled";	/* the row is not ours: unused */
		snprintf(error, len, "stopped: the job was cancelled");
		return;
	}
	e->outcome = "failed";
	if (r->timed_out) {
		e->outcome = "timeout";
		snprintf(error, len, "timed out after %.3g s",
		    timeout_of(ag, j));
	} else if (r->signal) {
		snprintf(error, len, "killed by signal %d (%s)%s%s", r->signal,
		    strsignal(r->signal), *tail ? ": " : "", tail);
	} else if (r->exit_code == AG_TEMPFAIL) {
		e->outcome = "tempfail";
		snprintf(error, len, "exit 75 (try again later)%s%s",
		    *tail ? ": " : "", tail);
	} else if (r->exit_code != 0) {
		snprintf(error, len, "exit %d%s%s", r->exit_code,
		    *tail ? ": " : "", tail);
	} else if (r->out_truncated) {
		snprintf(error, len, "result larger than %lld bytes "
		    "(queue.max_result)", config_int(ag, "queue.max_result"));
	} else {
		snprintf(name, sizeof(name), "stdout");
		if (r->out.len > strspn(buf_str(&r->out), " \t\r\n") &&
		    ag_json_check(ag, name, r->out.data, r->out.len) !=
		    AG_OK) {
			snprintf(error, len, "%s", ag->err);
			ag_clear_error(ag);
		} else {
			e->outcome = "done";
			e->state = "done";
			if (r->out.len > strspn(buf_str(&r->out), " \t\r\n"))
				e->result = r->out.data;
			return;
		}
	}
	failure(ag, j, e, strcmp(e->outcome, "tempfail") == 0);
}

int
attempt_end(struct agency *ag, struct store *st, struct attempt *a,
    int *failed)
{
	struct proc_result r;
	struct job_end e;
	char error[1024];
	double secs = (double)(ag_mono_ms() - a->started) / 1000;
	int rc;

	proc_end(a->proc, &r);
	a->proc = NULL;
	memset(&e, 0, sizeof(e));
	e.id = a->job->id;
	e.attempt = a->job->attempt;
	e.now = ag_now_ms();
	error[0] = '\0';
	judge(ag, a, &r, &e, error, sizeof(error));
	e.error = *error ? error : NULL;
	*failed = strcmp(e.outcome, "done") != 0 &&
	    strcmp(e.outcome, "cancelled") != 0 &&
	    strcmp(e.outcome, "interrupted") != 0;
	rc = record(ag, st, a->job, &e, a->log, secs);
	tidy(a->dir, a->log);
	proc_result_release(&r);
	attempt_free(a);
	return rc;
}
