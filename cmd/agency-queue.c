/* agency-queue - the durable job queue and its runner. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agency.h"

static const struct ag_option no_options[] = {
	AG_OPT_END
};

/* A job id operand. */
static int64_t
job_id(struct agency *ag, const char *s)
{
	long long v;

	if (ag_parse_ll(s, 1, INT64_MAX, &v) == -1)
		ag_usage_error(ag, "'%s' is not a job id", s);
	return v;
}

/* TIME (RFC 3339) or DURATION ago, in ms. */
static int64_t
since_ms(struct agency *ag, const char *opt, const char *s)
{
	double d;
	time_t t;

	if (ag_duration_parse(s, &d) == 0)
		return ag_now_ms() - (int64_t)(d * 1000);
	if (ag_time_parse(s, &t) == 0)
		return (int64_t)t * 1000;
	ag_usage_error(ag, "option '%s': '%s' is neither a duration (90s, "
	    "15m, 2h, 7d) nor a time (2026-12-01T09:00:00Z)", opt, s);
}

/* agency-queue submit */

static struct {
	const char *input, *at, *in, *timeout, *unique, *queue, *pipeline;
	const char *each, *input_from;
	struct ag_strv after;
	long long priority, max_attempts;
	int no_input;
} sub;

/* A callback, not a BOOL: there is no sense in --no-no-input. */
static int
no_input(struct agency *ag, const struct ag_option *o, const char *arg)
{
	(void)ag;
	(void)o;
	(void)arg;
	sub.no_input = 1;
	return AG_OK;
}

static const struct ag_option submit_options[] = {
	AG_OPT_LIST('a', "after", "id", &sub.after,
	    "run only once job id is done (repeatable)"),
	AG_OPT_STRING(0, "at", "time", &sub.at,
	    "run no sooner than time (RFC 3339)"),
	AG_OPT_STRING('e', "each", "file", &sub.each,
	    "a batch: one job (or pipeline) per line of file, '-' for stdin"),
	AG_OPT_STRING(0, "in", "duration", &sub.in,
	    "run no sooner than duration from now (90s, 15m, 2h)"),
	AG_OPT_STRING('i', "input", "file", &sub.input,
	    "the input document (default: stdin unless it is a terminal)"),
	AG_OPT_STRING(0, "input-from", "id", &sub.input_from,
	    "the input is the result of job id (waits for it)"),
	AG_OPT_INT('m', "max-attempts", "n", &sub.max_attempts, 1, 1000000,
	    "attempts before the job is dead (default queue.max_attempts)"),
	AG_OPT_CALLBACK('n', "no-input", NULL, no_input,
	    "do not read stdin: the job has no input"),
	AG_OPT_STRING('P', "pipeline", "stages", &sub.pipeline,
	    "'TYPE ARGS | TYPE ARGS ...': chained jobs"),
	AG_OPT_INT('p', "priority", "n", &sub.priority, INT32_MIN, INT32_MAX,
	    "higher runs first (default 0)"),
	AG_OPT_STRING('Q', "queue", "name", &sub.queue,
	    "the queue to put it in (default: default)"),
	AG_OPT_STRING('t', "timeout", "duration", &sub.timeout,
	    "stop an attempt after duration, 0 for never (default as "
	    "configured)"),
	AG_OPT_STRING('u', "unique", "key", &sub.unique,
	    "if a live job holds key, return that job instead"),
	AG_OPT_END
};

static int
submit_cmd(struct agency *ag, int argc, char **argv)
{
	struct queue_submit s;
	struct queue_stage one, *stages = &one;
	int64_t *after = NULL;
	cJSON *jobs = NULL;
	size_t i;
	time_t t;
	int rc;

	argc = ag_parse_options_flags(ag, argc, argv, submit_options,
	    "[options] TYPE [ARG...] | [options] --pipeline 'TYPE ARG... | "
	    "TYPE ...'", AG_PARSE_STOP);
	memset(&s, 0, sizeof(s));
	if (sub.pipeline != NULL) {
		if (argc != 0)
			ag_usage_error(ag, "--pipeline takes no operands");
		if ((rc = queue_parse_pipeline(ag, sub.pipeline, &stages,
		    &s.nstages)) != AG_OK)
			return rc;
	} else {
		if (argc == 0)
			ag_usage_error(ag, "which job type?");
		one.type = argv[0];
		one.argv = argv + 1;
		one.argc = (size_t)argc - 1;
		s.nstages = 1;
	}
	s.stages = stages;
	if (sub.at != NULL && sub.in != NULL)
		ag_usage_error(ag, "--at and --in both say when");
	if (sub.at != NULL) {
		if (ag_time_parse(sub.at, &t) == -1)
			ag_usage_error(ag, "option '--at': '%s' is not a time "
			    "(2026-12-01T09:00:00Z or with an offset)", sub.at);
		s.run_at = (int64_t)t * 1000;
	}
	if (sub.in != NULL)
		s.run_at = ag_now_ms() + (int64_t)(ag_opt_duration(ag,
		    "--in", sub.in) * 1000);
	s.timeout = sub.timeout ? ag_opt_duration(ag, "--timeout",
	    sub.timeout) : -1;
	after = xcalloc(sub.after.n + 1, sizeof(*after));
	for (i = 0; i < sub.after.n; i++)
		after[i] = job_id(ag, sub.after.v[i]);
	s.after = after;
	s.nafter = sub.after.n;
	if (sub.input_from != NULL)
		s.input_from = job_id(ag, sub.input_from);
	s.input_file = sub.input;
	s.no_input = sub.no_input;
	s.each = sub.each;
	s.queue = sub.queue;
	s.unique_key = sub.unique;
	s.priority = sub.priority;
	s.max_attempts = sub.max_attempts;
	rc = queue_submit(ag, &s, &jobs);
	if (rc == AG_OK)
		rc = ag_emit_all(ag, jobs);
	cJSON_Delete(jobs);
	free(after);
	ag_strv_release(&sub.after);
	if (stages != &one)
		queue_stages_free(stages, s.nstages);
	return rc;
}

/* agency-queue run, work */

static struct {
	long long jobs, max_jobs;
	const char *max_time;
	struct ag_strv queues;
	int once;
} rn = { .jobs = 1 };

#define RUNNER_OPTIONS \
	AG_OPT_KEY(0, "grace", "seconds", "queue.grace", \
	    "after SIGTERM, how long running jobs may finish"), \
	AG_OPT_INT('j', "jobs", "n", &rn.jobs, 1, 4096, \
	    "run n jobs at once (default 1)"), \
	AG_OPT_KEY(0, "lease", "seconds", "queue.lease", \
	    "how long a claim lasts unless renewed"), \
	AG_OPT_INT(0, "max-jobs", "n", &rn.max_jobs, 1, INT64_MAX, \
	    "stop claiming after n jobs"), \
	AG_OPT_STRING(0, "max-time", "duration", &rn.max_time, \
	    "stop claiming after duration"), \
	AG_OPT_LIST('Q', "queue", "name", &rn.queues, \
	    "only jobs of this queue (repeatable)")

static const struct ag_option run_options[] = {
	RUNNER_OPTIONS,
	AG_OPT_BOOL(0, "once", &rn.once,
	    "drain the ready jobs, then exit (for cron)"),
	AG_OPT_END
};

static const struct ag_option work_options[] = {
	RUNNER_OPTIONS,
	AG_OPT_END
};

static int
runner(struct agency *ag, int argc, char **argv, int once)
{
	struct queue_runner o;
	int rc;

	(void)argv;
	if (argc != 0)
		ag_usage_error(ag, "too many arguments");
	memset(&o, 0, sizeof(o));
	o.jobs = (int)rn.jobs;
	o.once = once;
	o.max_jobs = rn.max_jobs;
	if (rn.max_time != NULL)
		o.max_time = ag_opt_duration(ag, "--max-time", rn.max_time);
	o.queues = rn.queues.v;
	o.nqueues = rn.queues.n;
	rc = queue_run(ag, &o);
	ag_strv_release(&rn.queues);
	return rc;
}

static int
run_cmd(struct agency *ag, int argc, char **argv)
{
	argc = ag_parse_options(ag, argc, argv, run_options,
	    "[--once] [-j n] [--max-time duration] [--max-jobs n] "
	    "[--lease seconds] [-Q queue]");
	return runner(ag, argc, argv, rn.once);
}

static int
work_cmd(struct agency *ag, int argc, char **argv)
{
	argc = ag_parse_options(ag, argc, argv, work_options,
	    "[-j n] [--grace seconds] [--lease seconds] [-Q queue]");
	return runner(ag, argc, argv, 0);
}

/* agency-queue ls */

static struct {
	struct ag_strv states, types, queues;
	const char *since;
	long long limit;
} ls;

static const struct ag_option ls_options[] = {
	AG_OPT_INT('n', "limit", "n", &ls.limit, 1, INT64_MAX,
	    "at most n jobs"),
	AG_OPT_LIST('Q', "queue", "name", &ls.queues,
	    "jobs of this queue (repeatable)"),
	AG_OPT_STRING(0, "since", "when", &ls.since,
	    "jobs created since a duration ago (2h) or a time"),
	AG_OPT_LIST('s', "state", "state", &ls.states,
	    "queued, running, done, failed, dead, cancelled (repeatable, "
	    "or a,b)"),
	AG_OPT_LIST('t', "type", "type", &ls.types,
	    "jobs of this type (repeatable)"),
	AG_OPT_END
};

/* Repeated or comma-separated values as a JSON array text, or NULL. */
static char *
json_list(const struct ag_strv *v, const char *allowed, struct agency *ag,
    const char *opt)
{
	cJSON *arr;
	char *copy, *p, *comma, *text;
	size_t i;

	if (v->n == 0)
		return NULL;
	arr = cJSON_CreateArray();
	for (i = 0; i < v->n; i++) {
		copy = xstrdup(v->v[i]);
		for (p = copy; p != NULL; p = comma) {
			if ((comma = strchr(p, ',')) != NULL)
				*comma++ = '\0';
			if (allowed != NULL && !ag_in_list(allowed, p))
				ag_usage_error(ag, "option '%s': '%s' is not "
				    "one of %s", opt, p, allowed);
			cJSON_AddItemToArray(arr, cJSON_CreateString(p));
		}
		free(copy);
	}
	text = cJSON_PrintUnformatted(arr);
	cJSON_Delete(arr);
	return text;
}

static const char *
str(const cJSON *doc, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(doc, key));

	return s ? s : "";
}

static double
num(const cJSON *doc, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(doc, key);

	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static int
print_row(void *arg, const cJSON *doc)
{
	struct agency *ag = arg;
	const cJSON *a;
	char note[80], tries[32];
	size_t len = 0;
	int n;

	if (ag->json || !isatty(STDOUT_FILENO))
		return ag_emit(ag, doc);
	note[0] = '\0';
	if (*str(doc, "error") != '\0')
		snprintf(note, sizeof(note), "%s", str(doc, "error"));
	else
		cJSON_ArrayForEach(a, cJSON_GetObjectItem(doc, "args")) {
			n = snprintf(note + len, sizeof(note) - len, "%s%s",
			    len ? " " : "", cJSON_GetStringValue(a) ?
			    cJSON_GetStringValue(a) : "");
			if (n < 0 || (size_t)n >= sizeof(note) - len)
				break;
			len += (size_t)n;
		}
	snprintf(tries, sizeof(tries), "%.0f/%.0f", num(doc, "attempts"),
	    num(doc, "max_attempts"));
	printf("%6.0f  %-9s  %-10s  %-8s  %-6s  %-20s  %s\n", num(doc, "id"),
	    str(doc, "state"), str(doc, "type"), str(doc, "queue"), tries,
	    str(doc, "updated_at"), note);
	return ferror(stdout) ? ag_fail(ag, AG_IOERR, "cannot write to "
	    "stdout:") : AG_OK;
}

static int
ls_cmd(struct agency *ag, int argc, char **argv)
{
	struct job_filter f;
	char *states, *types, *queues;
	int rc;

	argc = ag_parse_options(ag, argc, argv, ls_options,
	    "[-s state] [-t type] [-Q queue] [--since when] [-n limit]");
	if (argc != 0)
		ag_usage_error(ag, "too many arguments");
	memset(&f, 0, sizeof(f));
	f.states = states = json_list(&ls.states,
	    "queued,running,done,failed,dead,cancelled", ag, "--state");
	f.types = types = json_list(&ls.types, NULL, ag, "--type");
	f.queues = queues = json_list(&ls.queues, NULL, ag, "--queue");
	if (ls.since != NULL)
		f.since = since_ms(ag, "--since", ls.since);
	f.limit = ls.limit;
	if (!ag->json && isatty(STDOUT_FILENO))
		printf("%6s  %-9s  %-10s  %-8s  %-6s  %-20s  %s\n", "ID",
		    "STATE", "TYPE", "QUEUE", "TRIES", "UPDATED", "ARGS/ERROR");
	rc = queue_list(ag, &f, print_row, ag);
	cJSON_free(states);
	cJSON_free(types);
	cJSON_free(queues);
	ag_strv_release(&ls.states);
	ag_strv_release(&ls.types);
	ag_strv_release(&ls.queues);
	return rc;
}

/* agency-queue logs, show, retry, cancel */

static struct {
	long long attempt;
	int follow;
} lg;

static const struct ag_option logs_options[] = {
	AG_OPT_INT('a', "attempt", "n", &lg.attempt, 1, INT64_MAX,
	    "the log of attempt n (default: the last)"),
	AG_OPT_BOOL('f', "follow", &lg.follow,
	    "wait for the attempt, print as it is written, until it ends"),
	AG_OPT_END
};

static int
logs_cmd(struct agency *ag, int argc, char **argv)
{
	argc = ag_parse_options(ag, argc, argv, logs_options,
	    "[-f] [-a n] ID");
	if (argc != 1)
		ag_usage_error(ag, "expected one job ID");
	fflush(stdout);
	return queue_logs(ag, job_id(ag, argv[0]), lg.attempt, lg.follow,
	    STDOUT_FILENO);
}

/*
 * Run fn (if any) on each ID operand, then print the job (full: with
 * input, result, attempts); go on past a failure, say it, and return the
 * worst status.
 */
static int
each_job(struct agency *ag, int argc, char **argv,
    int (*fn)(struct agency *, int64_t), int full)
{
	cJSON *doc;
	int64_t id;
	int i, rc, worst = AG_OK;

	for (i = 0; i < argc; i++)
		job_id(ag, argv[i]);
	for (i = 0; i < argc; i++) {
		id = job_id(ag, argv[i]);
		rc = fn != NULL ? fn(ag, id) : AG_OK;
		if (rc == AG_OK && (rc = queue_show(ag, id, full, &doc)) ==
		    AG_OK) {
			rc = ag_emit(ag, doc);
			cJSON_Delete(doc);
		}
		worst = ag_batch(ag, rc, i + 1 == argc, worst);
	}
	return worst;
}

static int
show_cmd(struct agency *ag, int argc, char **argv)
{
	argc = ag_parse_options(ag, argc, argv, no_options, "ID...");
	if (argc == 0)
		ag_usage_error(ag, "which job?");
	return each_job(ag, argc, argv, NULL, 1);
}

static int dead;

static const struct ag_option retry_options[] = {
	AG_OPT_BOOL(0, "dead", &dead, "retry every dead job"),
	AG_OPT_END
};

static int
retry_cmd(struct agency *ag, int argc, char **argv)
{
	int64_t n;
	int rc;

	argc = ag_parse_options(ag, argc, argv, retry_options,
	    "ID... | --dead");
	if (dead) {
		if (argc != 0)
			ag_usage_error(ag, "--dead takes no ID");
		if ((rc = queue_retry_dead(ag, &n)) == AG_OK)
			ag_info(ag, "%lld dead jobs queued again",
			    (long long)n);
		return rc;
	}
	if (argc == 0)
		ag_usage_error(ag, "which job?");
	return each_job(ag, argc, argv, queue_retry, 0);
}

static int
cancel_cmd(struct agency *ag, int argc, char **argv)
{
	argc = ag_parse_options(ag, argc, argv, no_options, "ID...");
	if (argc == 0)
		ag_usage_error(ag, "which job?");
	return each_job(ag, argc, argv, queue_cancel, 0);
}

/* agency-queue purge, stats */

static struct {
	const char *older, *states;
} pg = { NULL, "done,dead,cancelled" };

static const struct ag_option purge_options[] = {
	AG_OPT_STRING(0, "older-than", "duration", &pg.older,
	    "jobs that ended longer ago than duration (required)"),
	AG_OPT_STRING('s', "state", "states", &pg.states,
	    "done, dead, cancelled (comma-separated; default all three)"),
	AG_OPT_END
};

static int
purge_cmd(struct agency *ag, int argc, char **argv)
{
	int64_t n;
	int rc;

	argc = ag_parse_options(ag, argc, argv, purge_options,
	    "--older-than duration [-s states]");
	if (argc != 0)
		ag_usage_error(ag, "too many arguments");
	if (pg.older == NULL)
		ag_usage_error(ag, "--older-than is required");
	rc = queue_purge(ag, ag_opt_duration(ag, "--older-than",
	    pg.older), pg.states, &n);
	if (rc == AG_OK)
		ag_info(ag, "%lld jobs purged", (long long)n);
	return rc;
}

static const char *since = "24h";

static const struct ag_option stats_options[] = {
	AG_OPT_STRING(0, "since", "when", &since,
	    "attempts since a duration ago or a time (default 24h)"),
	AG_OPT_END
};

static void
print_spread(const char *label, const cJSON *o)
{
	printf("%-5s p50 %.3f s  p90 %.3f s  p99 %.3f s  max %.3f s\n", label,
	    num(o, "p50"), num(o, "p90"), num(o, "p99"), num(o, "max"));
}

static int
stats_cmd(struct agency *ag, int argc, char **argv)
{
	static const char *const names[] = { "queued", "running", "done",
	    "failed", "dead", "cancelled" };
	const cJSON *jobs, *att;
	cJSON *doc;
	size_t i;
	int rc;

	argc = ag_parse_options(ag, argc, argv, stats_options,
	    "[--since when]");
	if (argc != 0)
		ag_usage_error(ag, "too many arguments");
	if ((rc = queue_stats(ag, since_ms(ag, "--since", since), &doc)) !=
	    AG_OK)
		return rc;
	if (ag->json || !isatty(STDOUT_FILENO)) {
		rc = ag_emit(ag, doc);
		cJSON_Delete(doc);
		return rc;
	}
	jobs = cJSON_GetObjectItem(doc, "jobs");
	att = cJSON_GetObjectItem(doc, "attempts");
	for (i = 0; i < 6; i++)
		printf("%s%s %.0f", i ? "  " : "", names[i], num(jobs,
		    names[i]));
	printf("\nsince %s: %.0f attempts ended, %.0f done, %.0f failed; "
	    "%.2f jobs/s\n", str(doc, "since"), num(att, "ended"),
	    num(att, "done"), num(att, "failed"), num(doc, "throughput"));
	print_spread("wait", cJSON_GetObjectItem(doc, "wait"));
	print_spread("run", cJSON_GetObjectItem(doc, "run"));
	cJSON_Delete(doc);
	return AG_OK;
}

static const struct ag_command commands[] = {
	{ "cancel", cancel_cmd, "cancel jobs, running or not" },
	{ "logs", logs_cmd, "print (or follow) the log of an attempt" },
	{ "ls", ls_cmd, "list jobs (a table on a terminal, else NDJSON)" },
	{ "purge", purge_cmd, "delete old finished jobs and their folders" },
	{ "retry", retry_cmd, "queue dead, failed or cancelled jobs again" },
	{ "run", run_cmd, "run jobs; with --once, drain and exit (cron)" },
	{ "show", show_cmd, "print a job with its input, result, attempts" },
	{ "stats", stats_cmd, "counts, throughput, wait and run times" },
	{ "submit", submit_cmd, "add a job, a pipeline or a batch" },
	{ "work", work_cmd, "run jobs until SIGTERM (a service)" },
	{ NULL, NULL, NULL }
};

int
main(int argc, char *argv[])
{
	struct agency ag;
	int rc;

	ag_init(&ag, argc, argv);
	rc = ag_run_command(&ag, argc, argv, no_options,
	    "[options] COMMAND [ARG...]", commands);
	return ag_finish(&ag, rc);
}
