/*
 * jobs.c - the queue's rows: adding jobs with their dependencies,
 * reading and listing them, cancel, retry, purge and statistics.  The
 * lease protocol (claim, renew, finish, reap) is in leases.c.
 *
 * Dependencies.  job_deps holds one row per (job it waits for, job);
 * jobs.waiting counts those not done yet, so a job that waits is out of
 * the ready indexes and costs a claim nothing.  When a job ends dead or
 * cancelled, every job downstream of it is cancelled too, with
 * cancelled_by naming it; retrying it queues them again.  waiting is
 * never touched by a cancel, so it stays right through any of this.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"

#define LIVE "('queued','running','failed')"

static const char SQL_DEP[] = "SELECT state FROM jobs WHERE id = ?1";
static const char SQL_ADD[] =
	"INSERT INTO jobs (type, args, input, queue, state, priority, run_at,"
	" ready_at, max_attempts, timeout, unique_key, waiting, input_from,"
	" cancelled_by, error, finished_at, created_at, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
	" ?14, ?15, ?16, ?16)"
	" ON CONFLICT DO NOTHING RETURNING id";
static const char SQL_HOLDER[] =
	"SELECT id FROM jobs WHERE unique_key = ?1 AND state IN " LIVE;
static const char SQL_ADD_DEP[] =
	"INSERT OR IGNORE INTO job_deps (after_id, job_id) VALUES (?1, ?2)";
static const char SQL_GET[] =
	"SELECT id, type, args, queue, state, priority, run_at, attempts,"
	" max_attempts, failures, timeout, unique_key, waiting, input_from,"
	" cancelled_by, lease_until, lease_owner, error, created_at,"
	" updated_at, finished_at,"
	" (SELECT json_group_array(after_id) FROM job_deps"
	"  WHERE job_id = jobs.id) AS after"
	" FROM jobs WHERE id = ?1";
static const char SQL_GET_DATA[] =
	"SELECT input, result FROM jobs WHERE id = ?1";
static const char SQL_ATTEMPTS[] =
	"SELECT n, runner, host, pid, log, wait_ms, started_at, ended_at,"
	" outcome, exit_code, signal, error FROM job_attempts"
	" WHERE job_id = ?1 ORDER BY n";
static const char SQL_ATTEMPT[] =
	"SELECT n, runner, host, pid, log, wait_ms, started_at, ended_at,"
	" outcome, exit_code, signal, error FROM job_attempts"
	" WHERE job_id = ?1 AND (n = ?2 OR ?2 = 0) ORDER BY n DESC LIMIT 1";
static const char SQL_LIST[] =
	"SELECT id, type, args, queue, state, priority, run_at, attempts,"
	" max_attempts, failures, timeout, unique_key, waiting, input_from,"
	" cancelled_by, lease_until, lease_owner, error, created_at,"
	" updated_at, finished_at,"
	" (SELECT json_group_array(after_id) FROM job_deps"
	"  WHERE job_id = jobs.id) AS after"
	" FROM jobs WHERE id > ?1"
	" AND (?2 IS NULL OR state IN (SELECT value FROM json_each(?2)))"
	" AND (?3 IS NULL OR type IN (SELECT value FROM json_each(?3)))"
	" AND (?4 IS NULL OR queue IN (SELECT value FROM json_each(?4)))"
	" AND created_at >= ?5 ORDER BY id LIMIT ?6";
static const char SQL_STATES[] =
	"SELECT id, state FROM jobs"
	" WHERE id IN (SELECT value FROM json_each(?1))";
static const char SQL_STATE[] =
	"SELECT state, cancelled_by, unique_key FROM jobs WHERE id = ?1";
static const char SQL_CANCEL[] =
	"UPDATE jobs SET state = 'cancelled', error = 'cancelled',"
	" cancelled_by = NULL, finished_at = ?2, updated_at = ?2"
	" WHERE id = ?1 AND state IN " LIVE;
static const char SQL_CASCADE[] =
	"WITH RECURSIVE down(id) AS ("
	"  SELECT job_id FROM job_deps WHERE after_id = ?1"
	"  UNION SELECT d.job_id FROM job_deps d"
	"  JOIN down ON d.after_id = down.id)"
	" UPDATE jobs SET state = 'cancelled', cancelled_by = ?1, error = ?2,"
	" finished_at = ?3, updated_at = ?3"
	" WHERE id IN (SELECT id FROM down) AND state IN ('queued','failed')";
static const char SQL_RETRY[] =
	"UPDATE jobs SET state = 'queued', failures = 0, run_at = ?2,"
	" ready_at = ?2, error = NULL, cancelled_by = NULL, finished_at = NULL,"
	" lease_until = NULL, lease_owner = NULL, updated_at = ?2"
	" WHERE id = ?1 AND state IN ('dead','failed','cancelled')";
static const char SQL_REVIVE[] =
	"UPDATE jobs SET state = 'queued', cancelled_by = NULL, error = NULL,"
	" finished_at = NULL, updated_at = ?2"
	" WHERE cancelled_by = ?1 AND state = 'cancelled'";
static const char SQL_HELD[] =
	"SELECT id FROM jobs WHERE unique_key = ?1 AND id != ?2"
	" AND state IN " LIVE;
static const char SQL_DEAD[] =
	"SELECT json_group_array(id) FROM"
	" (SELECT id FROM jobs INDEXED BY jobs_state WHERE state = 'dead'"
	"  ORDER BY id)";
static const char SQL_PURGE[] =
	"DELETE FROM jobs WHERE finished_at < ?1"
	" AND state IN (SELECT value FROM json_each(?2))"
	" AND NOT EXISTS (SELECT 1 FROM job_deps d JOIN jobs w"
	"  ON w.id = d.job_id WHERE d.after_id = jobs.id"
	"  AND w.state IN ('queued','running','failed'))"
	" RETURNING id";
static const char SQL_COUNTS[] =
	"SELECT state, count(*) FROM jobs GROUP BY state";
static const char SQL_ENDED[] =
	"SELECT count(*), sum(outcome = 'done'),"
	" sum(outcome IN ('failed','timeout','tempfail','lost')),"
	" min(started_at), max(ended_at)"
	" FROM job_attempts WHERE started_at >= ?1 AND ended_at IS NOT NULL";
static const char SQL_WAITS[] =
	"SELECT wait_ms FROM job_attempts WHERE started_at >= ?1"
	" ORDER BY wait_ms";
static const char SQL_RUNS[] =
	"SELECT ended_at - started_at AS t FROM job_attempts"
	" WHERE started_at >= ?1 AND ended_at IS NOT NULL ORDER BY t";

static const char *const state_names[] = { "queued", "running", "done",
    "failed", "dead", "cancelled" };

/* Step a one-row query; AG_FALSE when there is no row. */
static int
one_row(struct agency *ag, struct store *st, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		return AG_OK;
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? AG_FALSE : db_fail(ag, st, rc, "jobs");
}

static int
no_job(struct agency *ag, int64_t id)
{
	return ag_fail(ag, AG_NOINPUT, "job %lld: no such job", (long long)id);
}

/* Count the jobs in after[] not done; note the first dead one. */
static int
check_deps(struct agency *ag, struct store *st, const struct job_new *j,
    int64_t *waiting, int64_t *blocker, const char **why)
{
	sqlite3_stmt *s;
	const char *state;
	size_t i;
	int rc;

	*waiting = 0;
	*blocker = 0;
	for (i = 0; i < j->nafter; i++) {
		if ((rc = db_stmt(ag, st, SQL_DEP, &s)) != AG_OK)
			return rc;
		sqlite3_bind_int64(s, 1, j->after[i]);
		if ((rc = one_row(ag, st, s)) == AG_FALSE)
			return no_job(ag, j->after[i]);
		if (rc != AG_OK)
			return rc;
		state = (const char *)sqlite3_column_text(s, 0);
		if (strcmp(state, "done") != 0)
			++*waiting;
		if (*blocker == 0 && (strcmp(state, "dead") == 0 ||
		    strcmp(state, "cancelled") == 0)) {
			*blocker = j->after[i];
			*why = strcmp(state, "dead") == 0 ? "dead" :
			    "cancelled";
		}
		sqlite3_reset(s);
	}
	return AG_OK;
}

static int
insert(struct agency *ag, struct store *st, const struct job_new *j,
    int64_t waiting, int64_t blocker, const char *why, int64_t *id)
{
	sqlite3_stmt *s;
	char *error = NULL;
	int64_t now = db_now();
	int rc;

	if ((rc = db_stmt(ag, st, SQL_ADD, &s)) != AG_OK)
		return rc;
	if (blocker != 0)
		error = xasprintf("job %lld is %s", (long long)blocker, why);
	db_bind_text(s, 1, j->type);
	db_bind_text(s, 2, j->args ? j->args : "[]");
	db_bind_text(s, 3, j->input);
	db_bind_text(s, 4, j->queue ? j->queue : "default");
	db_bind_text(s, 5, blocker ? "cancelled" : "queued");
	sqlite3_bind_int64(s, 6, j->priority);
	sqlite3_bind_int64(s, 7, j->run_at);
	sqlite3_bind_int64(s, 8, j->max_attempts);
	if (j->timeout >= 0)
		sqlite3_bind_double(s, 9, j->timeout);
	db_bind_text(s, 10, j->unique_key);
	sqlite3_bind_int64(s, 11, waiting);
	if (j->input_from > 0)
		sqlite3_bind_int64(s, 12, j->input_from);
	if (blocker != 0) {
		sqlite3_bind_int64(s, 13, blocker);
		sqlite3_bind_int64(s, 15, now);
	}
	db_bind_text(s, 14, error);
	sqlite3_bind_int64(s, 16, now);
	free(error);
	rc = sqlite3_step(s);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(ag, st, rc, "jobs: adding a job");
	return AG_OK;
}

static int
holder(struct agency *ag, struct store *st, const char *key, int64_t *id)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_HOLDER, &s)) != AG_OK)
		return rc;
	db_bind_text(s, 1, key);
	if ((rc = one_row(ag, st, s)) == AG_FALSE)
		return ag_fail(ag, AG_SOFTWARE, "jobs: unique key '%s' "
		    "conflicts with no live job", key);
	if (rc != AG_OK)
		return rc;
	*id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return AG_OK;
}

int
jobs_add(struct agency *ag, struct store *st, const struct job_new *j,
    int64_t *id, int *existed)
{
	sqlite3_stmt *s;
	const char *why = NULL;
	int64_t waiting, blocker, new_id = 0;
	size_t i;
	int rc;

	if ((rc = store_begin(ag, st)) != AG_OK)
		return rc;
	if ((rc = check_deps(ag, st, j, &waiting, &blocker, &why)) != AG_OK ||
	    (rc = insert(ag, st, j, waiting, blocker, why, &new_id)) != AG_OK)
		goto fail;
	if (new_id == 0) {
		/* The unique index refused it: the live holder is the job. */
		if (j->unique_key == NULL) {
			rc = ag_fail(ag, AG_SOFTWARE, "jobs: insert ignored");
			goto fail;
		}
		if ((rc = holder(ag, st, j->unique_key, &new_id)) != AG_OK)
			goto fail;
		*existed = 1;
		*id = new_id;
		return store_commit(ag, st);
	}
	for (i = 0; i < j->nafter; i++) {
		if ((rc = db_stmt(ag, st, SQL_ADD_DEP, &s)) != AG_OK)
			goto fail;
		sqlite3_bind_int64(s, 1, j->after[i]);
		sqlite3_bind_int64(s, 2, new_id);
		if ((rc = db_done(ag, st, s)) != AG_OK)
			goto fail;
	}
	if ((rc = store_commit(ag, st)) != AG_OK)
		return rc;
	*existed = 0;
	*id = new_id;
	return AG_OK;
fail:
	store_rollback(st);
	return rc;
}

/* A JSON text column as a value: parsed, or NDJSON as an array. */
static cJSON *
parse_column(sqlite3_stmt *s, int i)
{
	const char *text = (const char *)sqlite3_column_text(s, i), *end;
	cJSON *v, *arr = NULL;

	if (text == NULL)
		return cJSON_CreateNull();
	for (;;) {
		v = cJSON_ParseWithOpts(text, &end, 0);
		if (v == NULL)
			break;
		if (arr == NULL && end[strspn(end, " \t\r\n")] == '\0')
			return v;
		if (arr == NULL)
			arr = cJSON_CreateArray();
		cJSON_AddItemToArray(arr, v);
		text = end + strspn(end, " \t\r\n");
		if (*text == '\0')
			return arr;
	}
	cJSON_Delete(arr);
	return cJSON_CreateString(text);	/* not JSON: keep the text */
}

static int
attempts(struct agency *ag, struct store *st, int64_t id, cJSON **out)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_ATTEMPTS, &s)) != AG_OK)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	return db_rows(ag, st, s, "jobs", out);
}

int
jobs_get(struct agency *ag, struct store *st, int64_t id, int full,
    cJSON **out)
{
	sqlite3_stmt *s;
	cJSON *row, *arr = NULL;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_GET, &s)) != AG_OK)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = one_row(ag, st, s)) != AG_OK)
		return rc == AG_FALSE ? no_job(ag, id) : rc;
	row = db_row(s);
	sqlite3_reset(s);
	if (full) {
		if ((rc = db_stmt(ag, st, SQL_GET_DATA, &s)) != AG_OK)
			goto fail;
		sqlite3_bind_int64(s, 1, id);
		if ((rc = one_row(ag, st, s)) != AG_OK)
			goto fail;
		cJSON_AddItemToObject(row, "input", parse_column(s, 0));
		cJSON_AddItemToObject(row, "result", parse_column(s, 1));
		sqlite3_reset(s);
		if ((rc = attempts(ag, st, id, &arr)) != AG_OK)
			goto fail;
		cJSON_AddItemToObject(row, "runs", arr);
	}
	*out = row;
	return AG_OK;
fail:
	cJSON_Delete(row);
	return rc == AG_FALSE ? no_job(ag, id) : rc;
}

int
jobs_attempt(struct agency *ag, struct store *st, int64_t id, int64_t n,
    cJSON **out)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_ATTEMPT, &s)) != AG_OK)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, n);
	if ((rc = one_row(ag, st, s)) == AG_FALSE) {
		if (n > 0)
			return ag_fail(ag, AG_NOINPUT, "job %lld has no "
			    "attempt %lld", (long long)id, (long long)n);
		return ag_fail(ag, AG_NOINPUT, "job %lld has not run yet",
		    (long long)id);
	}
	if (rc != AG_OK)
		return rc;
	*out = db_row(s);
	sqlite3_reset(s);
	return AG_OK;
}

int
jobs_list(struct agency *ag, struct store *st, const struct job_filter *f,
    int (*fn)(void *arg, const cJSON *row), void *arg)
{
	sqlite3_stmt *s;
	int64_t last = 0, left = f->limit > 0 ? f->limit : -1, n;
	cJSON *row;
	int rc;

	/* In pages, so fn may use the store between them. */
	for (;;) {
		if ((rc = db_stmt(ag, st, SQL_LIST, &s)) != AG_OK)
			return rc;
		sqlite3_bind_int64(s, 1, last);
		db_bind_text(s, 2, f->states);
		db_bind_text(s, 3, f->types);
		db_bind_text(s, 4, f->queues);
		sqlite3_bind_int64(s, 5, f->since);
		sqlite3_bind_int64(s, 6, left >= 0 && left < 500 ? left : 500);
		n = 0;
		row = NULL;
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			cJSON_Delete(row);
			row = db_row(s);
			last = sqlite3_column_int64(s, 0);
			n++;
			if ((rc = fn(arg, row)) != AG_OK) {
				cJSON_Delete(row);
				sqlite3_reset(s);
				return rc;
			}
		}
		cJSON_Delete(row);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return db_fail(ag, st, rc, "jobs");
		if (left > 0)
			left -= n;
		if (n < 500 || left == 0)
			return AG_OK;
	}
}

int
jobs_states(struct agency *ag, struct store *st, const char *ids, cJSON **out)
{
	sqlite3_stmt *s;
	cJSON *obj;
	char key[24];
	int rc;

	if ((rc = db_stmt(ag, st, SQL_STATES, &s)) != AG_OK)
		return rc;
	db_bind_text(s, 1, ids);
	obj = cJSON_CreateObject();
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		snprintf(key, sizeof(key), "%lld",
		    (long long)sqlite3_column_int64(s, 0));
		cJSON_AddStringToObject(obj, key,
		    (const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		cJSON_Delete(obj);
		return db_fail(ag, st, rc, "jobs");
	}
	*out = obj;
	return AG_OK;
}

static int
run(struct agency *ag, struct store *st, const char *sql, int64_t a,
    int64_t b)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, sql, &s)) != AG_OK)
		return rc;
	sqlite3_bind_int64(s, 1, a);
	sqlite3_bind_int64(s, 2, b);
	return db_done(ag, st, s);
}

/* Cancel everything downstream of id, which ended in state. */
int
db_jobs_cascade(struct agency *ag, struct store *st, int64_t id,
    const char *state, int64_t now)
{
	sqlite3_stmt *s;
	char why[64];
	int rc;

	if ((rc = db_stmt(ag, st, SQL_CASCADE, &s)) != AG_OK)
		return rc;
	snprintf(why, sizeof(why), "job %lld is %s", (long long)id, state);
	sqlite3_bind_int64(s, 1, id);
	db_bind_text(s, 2, why);
	sqlite3_bind_int64(s, 3, now);
	return db_done(ag, st, s);
}

/* The state of a job, for messages; AG_NOINPUT if there is none. */
static int
state_of(struct agency *ag, struct store *st, int64_t id, char *state,
    size_t len, int64_t *cancelled_by, char **key)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_STATE, &s)) != AG_OK)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = one_row(ag, st, s)) == AG_FALSE)
		return no_job(ag, id);
	if (rc != AG_OK)
		return rc;
	snprintf(state, len, "%s", sqlite3_column_text(s, 0));
	*cancelled_by = sqlite3_column_int64(s, 1);
	*key = xstrdup((const char *)sqlite3_column_text(s, 2));
	sqlite3_reset(s);
	return AG_OK;
}

/*
 * Begin a transaction for a change to job id, which must be in one of
 * the states of allowed ("a,b"); else fail saying why, with why_fmt
 * (given the id and the state).  On AG_OK the transaction is open.
 */
static int
begin_if(struct agency *ag, struct store *st, int64_t id, const char *allowed,
    const char *why_fmt, int64_t *by, char **key)
{
	char state[32];
	int rc;

	if ((rc = store_begin(ag, st)) != AG_OK)
		return rc;
	rc = state_of(ag, st, id, state, sizeof(state), by, key);
	if (rc == AG_OK && !ag_in_list(allowed, state))
		rc = ag_fail(ag, AG_DATAERR, why_fmt, (long long)id, state);
	if (rc != AG_OK) {
		free(*key);
		*key = NULL;
		store_rollback(st);
	}
	return rc;
}

int
jobs_cancel(struct agency *ag, struct store *st, int64_t id, int64_t now)
{
	char *key = NULL;
	int64_t by;
	int rc;

	if ((rc = begin_if(ag, st, id, "queued,running,failed",
	    "job %lld is %s already", &by, &key)) != AG_OK)
		return rc;
	if ((rc = run(ag, st, SQL_CANCEL, id, now)) != AG_OK ||
	    (rc = db_jobs_cascade(ag, st, id, "cancelled", now)) != AG_OK)
		goto fail;
	free(key);
	return store_commit(ag, st);
fail:
	free(key);
	store_rollback(st);
	return rc;
}

int
jobs_retry(struct agency *ag, struct store *st, int64_t id, int64_t now)
{
	sqlite3_stmt *s;
	char *key = NULL;
	int64_t by;
	int rc;

	if ((rc = begin_if(ag, st, id, "dead,failed,cancelled", "job %lld is "
	    "%s; only dead, failed or cancelled jobs are retried", &by,
	    &key)) != AG_OK)
		return rc;
	if (by != 0) {
		rc = ag_fail(ag, AG_DATAERR, "job %lld waits for job %lld, "
		    "which did not finish; retry job %lld", (long long)id,
		    (long long)by, (long long)by);
		goto fail;
	}
	if (key != NULL) {
		if ((rc = db_stmt(ag, st, SQL_HELD, &s)) != AG_OK)
			goto fail;
		db_bind_text(s, 1, key);
		sqlite3_bind_int64(s, 2, id);
		if ((rc = one_row(ag, st, s)) == AG_OK) {
			rc = ag_fail(ag, AG_DATAERR, "job %lld: its unique key "
			    "'%s' is held by job %lld", (long long)id, key,
			    (long long)sqlite3_column_int64(s, 0));
			sqlite3_reset(s);
			goto fail;
		}
		if (rc != AG_FALSE)
			goto fail;
	}
	if ((rc = run(ag, st, SQL_RETRY, id, now)) != AG_OK ||
	    (rc = run(ag, st, SQL_REVIVE, id, now)) != AG_OK)
		goto fail;
	free(key);
	return store_commit(ag, st);
fail:
	free(key);
	store_rollback(st);
	return rc;
}

int
jobs_dead(struct agency *ag, struct store *st, cJSON **out)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_DEAD, &s)) != AG_OK ||
	    (rc = one_row(ag, st, s)) != AG_OK)
		return rc == AG_FALSE ? ag_fail(ag, AG_SOFTWARE, "jobs") : rc;
	*out = parse_column(s, 0);
	sqlite3_reset(s);
	return AG_OK;
}

int
jobs_purge(struct agency *ag, struct store *st, int64_t before,
    const char *states, cJSON **ids)
{
	sqlite3_stmt *s;
	cJSON *arr;
	int rc;

	if ((rc = store_begin(ag, st)) != AG_OK)
		return rc;
	if ((rc = db_stmt(ag, st, SQL_PURGE, &s)) != AG_OK) {
		store_rollback(st);
		return rc;
	}
	sqlite3_bind_int64(s, 1, before);
	db_bind_text(s, 2, states);
	arr = cJSON_CreateArray();
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		cJSON_AddItemToArray(arr, cJSON_CreateNumber((double)
		    sqlite3_column_int64(s, 0)));
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		rc = db_fail(ag, st, rc, "jobs: purging");
		store_rollback(st);
		cJSON_Delete(arr);
		return rc;
	}
	if ((rc = store_commit(ag, st)) != AG_OK) {
		cJSON_Delete(arr);
		return rc;
	}
	*ids = arr;
	return AG_OK;
}

/* All values of a one-column query into a new array. */
static int
column(struct agency *ag, struct store *st, const char *sql, int64_t since,
    int64_t **out, size_t *n)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, sql, &s)) != AG_OK)
		return rc;
	sqlite3_bind_int64(s, 1, since);
	return db_int64s(ag, st, s, "jobs", out, n);
}

int
jobs_stats(struct agency *ag, struct store *st, int64_t since,
    struct job_stats *out)
{
	sqlite3_stmt *s;
	const char *state;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = db_stmt(ag, st, SQL_COUNTS, &s)) != AG_OK)
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		state = (const char *)sqlite3_column_text(s, 0);
		for (i = 0; i < 6; i++)
			if (strcmp(state, state_names[i]) == 0)
				out->states[i] = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_fail(ag, st, rc, "jobs");
	if ((rc = db_stmt(ag, st, SQL_ENDED, &s)) != AG_OK)
		return rc;
	sqlite3_bind_int64(s, 1, since);
	if ((rc = one_row(ag, st, s)) != AG_OK)
		return rc == AG_FALSE ? AG_OK : rc;
	out->attempts = sqlite3_column_int64(s, 0);
	out->done = sqlite3_column_int64(s, 1);
	out->failed = sqlite3_column_int64(s, 2);
	out->first_start = sqlite3_column_int64(s, 3);
	out->last_end = sqlite3_column_int64(s, 4);
	sqlite3_reset(s);
	if ((rc = column(ag, st, SQL_WAITS, since, &out->wait_ms,
	    &out->nwait)) != AG_OK)
		return rc;
	if ((rc = column(ag, st, SQL_RUNS, since, &out->run_ms,
	    &out->nrun)) != AG_OK) {
		free(out->wait_ms);
		out->wait_ms = NULL;
		return rc;
	}
	return AG_OK;
}
