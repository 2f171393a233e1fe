/*
 * t-queue - the queue's store side and helpers: adding jobs, unique
 * keys, dependencies, claim order, limits, fencing, reaping, cascades,
 * retry, purge, statistics; pipeline parsing; backoff; JSON checks.
 */
#include <sys/stat.h>

#include "tap.h"

static struct agency ag;
static struct store *st;

static int64_t
add(const char *type, int64_t priority, int64_t run_at, const char *key,
    const int64_t *after, size_t nafter, int64_t from, int *existed)
{
	struct job_new j;
	int64_t id = 0;
	int e = 0;

	memset(&j, 0, sizeof(j));
	j.type = type;
	j.queue = strcmp(type, "upload") == 0 ? "uploads" : "default";
	j.priority = priority;
	j.run_at = run_at;
	j.max_attempts = 2;
	j.timeout = -1;
	j.unique_key = key;
	j.after = after;
	j.nafter = nafter;
	j.input_from = from;
	if (jobs_add(&ag, st, &j, &id, &e) != AG_OK)
		printf("# jobs_add: %s\n", ag.err);
	if (existed != NULL)
		*existed = e;
	return id;
}

static struct job *
claim(int64_t now, const struct job_limit *lim, size_t nlim,
    const char *const *queues, size_t nq)
{
	struct job_claim c;
	struct job *j = NULL;

	memset(&c, 0, sizeof(c));
	c.now = now;
	c.lease_ms = 1000;
	c.runner = "test:1";
	c.host = "test";
	c.limits = lim;
	c.nlimits = nlim;
	c.queues = queues;
	c.nqueues = nq;
	if (jobs_claim(&ag, st, &c, &j) != AG_OK)
		printf("# jobs_claim: %s\n", ag.err);
	return j;
}

static int
finish(struct job *j, const char *state, const char *result, int *ours)
{
	struct job_end e;
	int o = 0, rc;

	memset(&e, 0, sizeof(e));
	e.id = j->id;
	e.attempt = j->attempt;
	e.now = ag_now_ms();
	e.outcome = strcmp(state, "done") == 0 ? "done" : "failed";
	e.state = state;
	e.run_at = e.now;
	e.failure = strcmp(state, "done") != 0;
	e.result = result;
	e.exit_code = 0;
	rc = jobs_finish(&ag, st, &e, &o);
	if (ours != NULL)
		*ours = o;
	return rc;
}

static char *
state(int64_t id)
{
	static char buf[32];
	cJSON *row;

	buf[0] = '\0';
	if (jobs_get(&ag, st, id, 0, &row) == AG_OK) {
		snprintf(buf, sizeof(buf), "%s", cJSON_GetStringValue(
		    cJSON_GetObjectItem(row, "state")));
		cJSON_Delete(row);
	}
	return buf;
}

static void
pipelines(void)
{
	struct queue_stage *v;
	size_t n;

	is_int(queue_parse_pipeline(&ag, "script --topic 'a b' | produce "
	    "--preset \"short \\\"s\\\"\" |upload --to youtube:main", &v, &n),
	    AG_OK, "a pipeline parses");
	is_int(n, 3, "into three stages");
	is_str(v[0].type, "script", "each with its type");
	is_int(v[0].argc, 2, "and its arguments");
	is_str(v[0].argv[1], "a b", "single quotes keep spaces");
	is_str(v[1].argv[1], "short \"s\"", "double quotes and escapes");
	is_str(v[2].argv[1], "youtube:main", "no space needed around '|'");
	queue_stages_free(v, n);
	is_int(queue_parse_pipeline(&ag, "a | | b", &v, &n), AG_USAGE,
	    "an empty stage is a usage error");
	is_str(ag.err, "pipeline: stage 2 is empty", "saying which");
	is_int(queue_parse_pipeline(&ag, "a 'b", &v, &n), AG_USAGE,
	    "so is an open quote");
	is_int(queue_parse_pipeline(&ag, "../x", &v, &n), AG_USAGE,
	    "and a type that is not a tool name");
	is_int(queue_parse_pipeline(&ag, "a x\\|y", &v, &n), AG_OK,
	    "a backslash keeps a '|'");
	ok(n == 1 && strcmp(v[0].argv[0], "x|y") == 0, "in the argument");
	queue_stages_free(v, n);
}

static void
helpers(void)
{
	char dir[600];
	int64_t d, i;
	int in = 1;

	is_int(ag_json_check(&ag, "x", "{\"a\":1}\n{\"b\":2}\n", 16),
	    AG_OK, "NDJSON is JSON");
	is_int(ag_json_check(&ag, "x", "{\"a\":1}\nnope", 12), AG_DATAERR,
	    "junk after a document is not");
	is_str(ag.err, "x:2: invalid JSON after document 1", "saying where");
	is_int(ag_json_check(&ag, "out", "hello", 5), AG_DATAERR,
	    "text is not JSON");
	ok(strncmp(ag.err, "out:1:1: ", 9) == 0, "with line and column: %s",
	    ag.err);
	is_int(ag_json_check(&ag, "x", "  \n", 3), AG_DATAERR,
	    "blank is not JSON");

	config_override(&ag, "queue.backoff", "10");
	config_override(&ag, "queue.backoff_max", "100");
	for (i = 1; i <= 8; i++) {
		d = queue_backoff(&ag, i);
		if (i <= 4)
			in &= d >= 8000 * (1 << (i - 1)) &&
			    d < 12000 * (1 << (i - 1));
		else
			in &= d >= 80000 && d < 120000;
	}
	ok(in, "backoff doubles from queue.backoff up to queue.backoff_max, "
	    "within 20%%");
	config_override(&ag, "queue.backoff", "0");
	is_int(queue_backoff(&ag, 3), 0, "a backoff of 0 retries at once");

	snprintf(dir, sizeof(dir), "%s/tree/a/b", tap_dir);
	ag_mkdirs(&ag, dir, 0700);
	snprintf(dir, sizeof(dir), "%s/tree/a/b/f", tap_dir);
	fclose(fopen(dir, "w"));
	snprintf(dir, sizeof(dir), "%s/tree", tap_dir);
	is_int(ag_remove_tree(&ag, dir), AG_OK, "ag_remove_tree");
	ok(access(dir, F_OK) == -1, "removes a whole tree");
	is_int(ag_remove_tree(&ag, dir), AG_OK, "and a missing one is fine");
}

int
main(void)
{
	char path[512], *dir;
	struct job *j, *k;
	struct job_lease lease[2];
	struct job_stats stats;
	struct job_limit lim[2];
	const char *uploads[] = { "uploads" };
	int64_t now, a, b, c, d, e, id, after[2];
	cJSON *lost, *ids, *row;
	int existed, ours;

	tap_tmpdir();
	tap_agency(&ag, "t-queue");
	snprintf(path, sizeof(path), "%s/data/q.db", tap_dir);
	config_override(&ag, "store.path", path);
	if (store_open(&ag, path, &st) != AG_OK) {
		printf("# %s\n", ag.err);
		return 1;
	}
	pipelines();
	helpers();
	now = ag_now_ms();

	/* Order: priority, then run_at, then id; the future waits. */
	a = add("noop", 0, now - 10, NULL, NULL, 0, 0, NULL);
	b = add("noop", 5, now - 5, NULL, NULL, 0, 0, NULL);
	c = add("noop", 0, now - 20, NULL, NULL, 0, 0, NULL);
	d = add("noop", 9, now + 60000, NULL, NULL, 0, 0, NULL);
	j = claim(now, NULL, 0, NULL, 0);
	ok(j && j->id == b, "the highest priority goes first");
	ok(j && j->attempt == 1 && strcmp(state(b), "running") == 0,
	    "claimed: running, attempt 1");
	k = claim(now, NULL, 0, NULL, 0);
	ok(k && k->id == c, "then the oldest run_at");
	finish(j, "done", "{\"n\":1}", NULL);
	finish(k, "done", NULL, NULL);
	job_free(j);
	job_free(k);
	j = claim(now, NULL, 0, NULL, 0);
	ok(j && j->id == a, "then the rest");
	ok(claim(now, NULL, 0, NULL, 0) == NULL, "a job in the future is not "
	    "ready");
	finish(j, "done", NULL, NULL);
	job_free(j);
	j = claim(now + 60001, NULL, 0, NULL, 0);
	ok(j && j->id == d, "until its time comes");

	/* Fencing: only the holder of the attempt finishes it. */
	is_int(jobs_cancel(&ag, st, d, now), AG_OK, "cancel a running job");
	lease[0].id = d;
	lease[0].attempt = j->attempt;
	jobs_renew(&ag, st, lease, 1, now + 5000);
	ok(lease[0].lost, "its runner finds the lease lost at the next beat");
	finish(j, "done", NULL, &ours);
	ok(!ours && strcmp(state(d), "cancelled") == 0, "and a late finish "
	    "changes nothing");
	job_free(j);
	is_int(jobs_cancel(&ag, st, d, now), AG_DATAERR, "a cancelled job "
	    "cannot be cancelled again");
	is_int(jobs_cancel(&ag, st, 999, now), AG_NOINPUT, "nor a job that "
	    "does not exist");

	/* Unique keys, enforced by the store. */
	a = add("noop", 0, now, "k1", NULL, 0, 0, &existed);
	ok(a > 0 && !existed, "a unique key is taken");
	b = add("noop", 0, now, "k1", NULL, 0, 0, &existed);
	ok(b == a && existed, "a second job with it gets the first one");
	j = claim(now, NULL, 0, NULL, 0);
	finish(j, "failed", NULL, NULL);
	b = add("noop", 0, now, "k1", NULL, 0, 0, &existed);
	ok(b == a && existed, "also while it failed and waits to retry");
	job_free(j);
	j = claim(ag_now_ms() + 1000, NULL, 0, NULL, 0);
	finish(j, "done", NULL, NULL);
	job_free(j);
	b = add("noop", 0, now, "k1", NULL, 0, 0, &existed);
	ok(b != a && !existed, "a done job frees its key");
	j = claim(now, NULL, 0, NULL, 0);
	finish(j, "done", NULL, NULL);
	job_free(j);

	/* Dependencies and passing results. */
	a = add("script", 0, now, NULL, NULL, 0, 0, NULL);
	b = add("produce", 0, now, NULL, &a, 1, a, NULL);
	c = add("upload", 0, now, NULL, &b, 1, b, NULL);
	after[0] = a;
	after[1] = c;
	d = add("noop", 0, now, NULL, after, 2, 0, NULL);
	j = claim(now, NULL, 0, NULL, 0);
	ok(j && j->id == a && claim(now, NULL, 0, NULL, 0) == NULL,
	    "a job waits for the jobs it comes after");
	finish(j, "done", "{\"kind\":\"agency.script\"}", NULL);
	job_free(j);
	j = claim(now, NULL, 0, NULL, 0);
	ok(j && j->id == b, "and runs when they are done");
	is_str(j ? j->input : NULL, "{\"kind\":\"agency.script\"}",
	    "with the result of the one it takes its input from");
	finish(j, "done", "{\"kind\":\"agency.production\"}", NULL);
	job_free(j);
	j = claim(now, NULL, 0, NULL, 0);
	ok(j && j->id == c, "the third stage");
	finish(j, "dead", NULL, NULL);
	job_free(j);
	is_str(state(d), "cancelled", "a job waiting for a dead one is "
	    "cancelled");
	is_int(jobs_retry(&ag, st, d, now), AG_DATAERR, "and is not retried "
	    "alone");
	ok(strstr(ag.err, "retry job") != NULL, "the message says which to "
	    "retry: %s", ag.err);
	is_int(jobs_retry(&ag, st, c, now), AG_OK, "retry the dead one");
	ok(strcmp(state(c), "queued") == 0 && strcmp(state(d), "queued") == 0,
	    "and what was cancelled because of it comes back");
	ok(strcmp(state(a), "done") == 0 && strcmp(state(b), "done") == 0,
	    "the stages before it stay done");
	e = add("noop", 0, now, NULL, &c, 1, 0, NULL);
	j = claim(now, NULL, 0, NULL, 0);
	ok(j && j->id == c && j->failures == 0, "it runs again, with a fresh "
	    "count of failures");
	finish(j, "done", NULL, NULL);
	job_free(j);
	j = claim(now, NULL, 0, NULL, 0);
	k = claim(now, NULL, 0, NULL, 0);
	ok(j && k && ((j->id == d && k->id == e) || (j->id == e &&
	    k->id == d)), "then the jobs that waited for it");
	finish(j, "done", NULL, NULL);
	finish(k, "done", NULL, NULL);
	job_free(j);
	job_free(k);
	after[0] = 12345;
	ok(add("noop", 0, now, NULL, after, 1, 0, NULL) == 0, "a job after "
	    "a job that does not exist is refused");

	/* Limits per type and per queue; the queue filter. */
	a = add("produce", 0, now, NULL, NULL, 0, 0, NULL);
	b = add("produce", 0, now, NULL, NULL, 0, 0, NULL);
	c = add("upload", 0, now, NULL, NULL, 0, 0, NULL);
	lim[0].queue = 0;
	lim[0].name = "produce";
	lim[0].max = 1;
	lim[1].queue = 1;
	lim[1].name = "uploads";
	lim[1].max = 0;
	j = claim(now, lim, 2, NULL, 0);
	ok(j && j->id == a, "the first produce job runs");
	ok(claim(now, lim, 2, NULL, 0) == NULL, "a second does not while the "
	    "limit is 1, and a queue limited to 0 is held back");
	k = claim(now, lim, 1, uploads, 1);
	ok(k && k->id == c, "a runner of one queue takes only its jobs");
	finish(j, "done", NULL, NULL);
	finish(k, "done", NULL, NULL);
	job_free(j);
	job_free(k);
	j = claim(now, lim, 2, NULL, 0);
	ok(j && j->id == b, "the second runs when the first is done");

	/* Reaping: a lease that expired is lost and counts. */
	lost = NULL;
	is_int(jobs_reap(&ag, st, now + 5000, "test:1", &lost), AG_OK,
	    "reaping");
	ok(cJSON_GetArraySize(lost) == 0, "never reaps its own runner");
	cJSON_Delete(lost);
	jobs_started(&ag, st, j->id, j->attempt, 4242, 77, "/x.log");
	is_int(jobs_reap(&ag, st, now + 5000, NULL, &lost), AG_OK,
	    "reaping a dead runner's jobs");
	row = cJSON_GetArrayItem(lost, 0);
	ok(cJSON_GetArraySize(lost) == 1 && cJSON_GetNumberValue(
	    cJSON_GetObjectItem(row, "pid")) == 4242, "returns the lost "
	    "attempt with the child's pid");
	cJSON_Delete(lost);
	ok(strcmp(state(b), "queued") == 0, "the job is queued again");
	finish(j, "done", NULL, &ours);
	ok(!ours && strcmp(state(b), "queued") == 0, "and the old runner "
	    "cannot finish it");
	job_free(j);
	j = claim(now + 6000, lim, 2, NULL, 0);
	ok(j && j->id == b && j->attempt == 2 && j->failures == 1,
	    "the next runner takes it, the lost attempt counted");
	jobs_reap(&ag, st, now + 20000, NULL, &lost);
	cJSON_Delete(lost);
	is_str(state(b), "dead", "lost at its last attempt, it is dead");
	job_free(j);

	/* Retry, purge, statistics. */
	is_int(jobs_retry(&ag, st, a, now), AG_DATAERR, "a done job is not "
	    "retried");
	is_int(jobs_dead(&ag, st, &ids), AG_OK, "the dead jobs");
	ok(cJSON_GetArraySize(ids) == 1, "are one");
	cJSON_Delete(ids);
	is_int(jobs_stats(&ag, st, 0, &stats), AG_OK, "statistics");
	ok(stats.states[2] > 10 && stats.states[4] == 1 && stats.nwait > 10 &&
	    stats.nrun > 10, "count states and attempts");
	ok(stats.wait_ms[0] <= stats.wait_ms[stats.nwait - 1], "sorted");
	free(stats.wait_ms);
	free(stats.run_ms);
	a = add("script", 0, now, NULL, NULL, 0, 0, NULL);
	b = add("produce", 0, now, NULL, &a, 1, a, NULL);
	j = claim(now, NULL, 0, NULL, 0);
	finish(j, "done", "{}", NULL);
	job_free(j);
	is_int(jobs_purge(&ag, st, ag_now_ms() + 1000,
	    "[\"done\",\"dead\",\"cancelled\"]", &ids), AG_OK, "purge");
	ok(cJSON_GetArraySize(ids) > 10, "deletes what ended");
	cJSON_Delete(ids);
	is_str(state(a), "done", "but keeps a result a waiting job needs");
	id = b;
	j = claim(now, NULL, 0, NULL, 0);
	ok(j && j->id == id && j->input && strcmp(j->input, "{}") == 0,
	    "which then gets it");
	job_free(j);

	dir = queue_dir(&ag);
	snprintf(path, sizeof(path), "%s/data/jobs", tap_dir);
	is_str(dir, path, "job folders are beside the store");
	free(dir);
	store_close(st);
	ag_release(&ag);
	return done_testing();
}
