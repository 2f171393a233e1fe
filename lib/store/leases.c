/*
 * leases.c - the lease protocol of the queue, in SQL.
 *
 * Claim.  In one BEGIN IMMEDIATE transaction (SQLite has one writer, so
 * the read and the update below cannot interleave with another claim:
 * no SKIP LOCKED needed, and no double claim):
 *   1. if limits are configured, count the running jobs of each limited
 *      type and queue, and leave out those at their limit;
 *   2. find the best ready job: state queued or failed, waiting for no
 *      job, run_at passed; highest priority, then oldest run_at, then
 *      lowest id.  The partial indexes jobs_ready / jobs_ready_queue
 *      hold exactly the ready jobs in that order, so the first row is
 *      the answer however long the backlog (INDEXED BY, because the
 *      planner without statistics prefers jobs_state and a sort);
 *   3. mark it running, attempts + 1, lease_until = now + lease, owner
 *      = this runner; record the attempt.
 * attempts never goes down, so (id, attempts) names one attempt and is
 * the fence: renewing the lease and finishing the job only touch a row
 * that is still running that attempt.  A runner that was presumed dead,
 * a job cancelled meanwhile, a job taken over: their late writes change
 * nothing (the attempt row alone records what really happened).
 *
 * Renew.  The runner extends the lease of every job it runs, every
 * heartbeat, in one transaction; a job whose row no longer matches (the
 * user cancelled it, or the lease expired and someone reaped it) is
 * reported lost, and the runner stops its child.
 *
 * Reap.  A running job whose lease_until passed belongs to a runner that
 * died (kill -9, power loss) or hung.  Its attempt ends "lost" and counts
 * as a failure: the job is queued again at once, or dead when it has
 * used up max_attempts (a job that kills its runner every time ends up
 * there).  jobs_lease indexes running jobs by lease_until, so finding
 * them costs nothing when there are none.
 *
 * For PostgreSQL, step 2 and 3 become one statement: UPDATE ... FROM (a
 * MATERIALIZED CTE selecting ... FOR UPDATE SKIP LOCKED LIMIT 1); see
 * ../shared/reference/queue.md section 3.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"

static const char SQL_RUNNING_TYPES[] =
	"SELECT type, count(*) FROM jobs INDEXED BY jobs_state"
	" WHERE state = 'running' GROUP BY type";
static const char SQL_RUNNING_QUEUES[] =
	"SELECT queue, count(*) FROM jobs INDEXED BY jobs_state"
	" WHERE state = 'running' GROUP BY queue";
#define READY \
	" WHERE state IN ('queued','failed') AND waiting = 0 AND run_at <= ?1"
#define ORDER " ORDER BY priority DESC, run_at, id LIMIT 1"
static const char SQL_HEAD[] =
	"SELECT id, priority, run_at FROM jobs INDEXED BY jobs_ready" READY
	ORDER;
static const char SQL_HEAD_X[] =
	"SELECT id, priority, run_at FROM jobs INDEXED BY jobs_ready" READY
	" AND type NOT IN (SELECT value FROM json_each(?2))"
	" AND queue NOT IN (SELECT value FROM json_each(?3))" ORDER;
static const char SQL_HEAD_Q[] =
	"SELECT id, priority, run_at FROM jobs INDEXED BY jobs_ready_queue"
	READY " AND queue = ?2"
	" AND type NOT IN (SELECT value FROM json_each(?3))" ORDER;
static const char SQL_TAKE[] =
	"UPDATE jobs SET state = 'running', attempts = attempts + 1,"
	" lease_until = ?2, lease_owner = ?3, updated_at = ?4 WHERE id = ?1"
	" RETURNING id, type, queue, args, input, input_from, attempts,"
	" failures, max_attempts, timeout, coalesce(ready_at, run_at)";
static const char SQL_INPUT[] = "SELECT result FROM jobs WHERE id = ?1";
static const char SQL_BEGUN[] =
	"INSERT INTO job_attempts (job_id, n, runner, host, wait_ms,"
	" started_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_STARTED[] =
	"UPDATE job_attempts SET pid = ?3, pstart = ?4, log = ?5"
	" WHERE job_id = ?1 AND n = ?2";
static const char SQL_RENEW[] =
	"UPDATE jobs SET lease_until = ?3"
	" WHERE id = ?1 AND attempts = ?2 AND state = 'running'";
static const char SQL_FINISH[] =
	"UPDATE jobs SET state = ?3, result = ?4, error = ?5,"
	" failures = failures + ?6, run_at = coalesce(?7, run_at),"
	" ready_at = coalesce(?7, ready_at), lease_until = NULL,"
	" lease_owner = NULL, updated_at = ?8,"
	" finished_at = CASE WHEN ?3 IN ('done','dead') THEN ?8 END"
	" WHERE id = ?1 AND attempts = ?2 AND state = 'running'";
static const char SQL_ENDED[] =
	"UPDATE job_attempts SET ended_at = ?3, outcome = ?4, exit_code = ?5,"
	" signal = ?6, error = ?7 WHERE job_id = ?1 AND n = ?2";
static const char SQL_UNBLOCK[] =
	"UPDATE jobs SET waiting = waiting - 1,"
	" ready_at = CASE WHEN waiting = 1 THEN max(run_at, ?2)"
	" ELSE ready_at END"
	" WHERE id IN (SELECT job_id FROM job_deps WHERE after_id = ?1)";
static const char SQL_EXPIRED[] =
	"SELECT id, attempts, failures, max_attempts, lease_owner"
	" FROM jobs INDEXED BY jobs_lease"
	" WHERE state = 'running' AND lease_until < ?1"
	" AND (?2 IS NULL OR lease_owner IS NOT ?2)";
static const char SQL_LOST[] =
	"SELECT job_id, n, runner, host, pid, pstart FROM job_attempts"
	" WHERE job_id = ?1 AND n = ?2";

void
job_free(struct job *j)
{
	if (j == NULL)
		return;
	free(j->type);
	free(j->queue);
	free(j->args);
	free(j->input);
	free(j);
}

static char *
text(sqlite3_stmt *s, int i)
{
	return xstrdup((const char *)sqlite3_column_text(s, i));
}

/* The names of the types (or queues) at their limit, as JSON text. */
static int
excluded(struct agency *ag, struct store *st, const struct job_claim *c,
    int queue, char **out)
{
	sqlite3_stmt *s;
	cJSON *arr = cJSON_CreateArray();
	const char *name;
	size_t i;
	int rc, any = 0;

	for (i = 0; i < c->nlimits; i++)
		any |= c->limits[i].queue == queue;
	if (any && (rc = db_stmt(ag, st, queue ? SQL_RUNNING_QUEUES :
	    SQL_RUNNING_TYPES, &s)) != AG_OK) {
		cJSON_Delete(arr);
		return rc;
	}
	while (any && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		name = (const char *)sqlite3_column_text(s, 0);
		for (i = 0; i < c->nlimits; i++)
			if (c->limits[i].queue == queue &&
			    strcmp(c->limits[i].name, name) == 0 &&
			    sqlite3_column_int64(s, 1) >= c->limits[i].max)
				cJSON_AddItemToArray(arr,
				    cJSON_CreateString(name));
	}
	if (any) {
		sqlite3_reset(s);
		if (rc != SQLITE_DONE) {
			cJSON_Delete(arr);
			return db_fail(ag, st, rc, "jobs: counting");
		}
	}
	/* A limit of 0 holds its type (or queue) back altogether. */
	for (i = 0; i < c->nlimits; i++)
		if (c->limits[i].queue == queue && c->limits[i].max <= 0)
			cJSON_AddItemToArray(arr,
			    cJSON_CreateString(c->limits[i].name));
	*out = cJSON_PrintUnformatted(arr);
	cJSON_Delete(arr);
	return AG_OK;
}

/* Is (p, r, id) ahead of the best so far in claim order? */
static int
ahead(sqlite3_stmt *s, int64_t *best)
{
	int64_t id = sqlite3_column_int64(s, 0);
	int64_t p = sqlite3_column_int64(s, 1), r = sqlite3_column_int64(s, 2);

	if (best[0] == 0 || p > best[1] || (p == best[1] && (r < best[2] ||
	    (r == best[2] && id < best[0])))) {
		best[0] = id;
		best[1] = p;
		best[2] = r;
		return 1;
	}
	return 0;
}

/* The id of the best ready job, or 0. */
static int
head(struct agency *ag, struct store *st, const struct job_claim *c,
    const char *types, const char *queues, int64_t *id)
{
	int64_t best[3] = { 0, 0, 0 };
	sqlite3_stmt *s;
	size_t i, nq = c->nqueues ? c->nqueues : 1;
	int rc, plain = strcmp(types, "[]") == 0 && strcmp(queues, "[]") == 0;

	for (i = 0; i < nq; i++) {
		if (c->nqueues == 0)
			rc = db_stmt(ag, st, plain ? SQL_HEAD : SQL_HEAD_X, &s);
		else
			rc = db_stmt(ag, st, SQL_HEAD_Q, &s);
		if (rc != AG_OK)
			return rc;
		sqlite3_bind_int64(s, 1, c->now);
		if (c->nqueues == 0 && !plain) {
			db_bind_text(s, 2, types);
			db_bind_text(s, 3, queues);
		} else if (c->nqueues > 0) {
			db_bind_text(s, 2, c->queues[i]);
			db_bind_text(s, 3, types);
		}
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW)
			ahead(s, best);
		sqlite3_reset(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return db_fail(ag, st, rc, "jobs: claiming");
	}
	*id = best[0];
	return AG_OK;
}

/* In queue mode the queues at their limit are simply not asked. */
static int
queue_full(const char *queues, const char *name)
{
	cJSON *arr = cJSON_Parse(queues), *q;
	int full = 0;

	cJSON_ArrayForEach(q, arr)
		full |= cJSON_IsString(q) && strcmp(q->valuestring, name) == 0;
	cJSON_Delete(arr);
	return full;
}

static int
take(struct agency *ag, struct store *st, const struct job_claim *c,
    int64_t id, struct job **out)
{
	sqlite3_stmt *s;
	struct job *j;
	int64_t from, ready;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_TAKE, &s)) != AG_OK)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, c->now + c->lease_ms);
	db_bind_text(s, 3, c->runner);
	sqlite3_bind_int64(s, 4, c->now);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		sqlite3_reset(s);
		return db_fail(ag, st, rc, "jobs: claiming");
	}
	j = xcalloc(1, sizeof(*j));
	j->id = sqlite3_column_int64(s, 0);
	j->type = text(s, 1);
	j->queue = text(s, 2);
	j->args = text(s, 3);
	j->input = xstrdup((const char *)sqlite3_column_text(s, 4));
	from = sqlite3_column_int64(s, 5);
	j->attempt = sqlite3_column_int64(s, 6);
	j->failures = sqlite3_column_int64(s, 7);
	j->max_attempts = sqlite3_column_int64(s, 8);
	j->timeout = sqlite3_column_type(s, 9) == SQLITE_NULL ? -1 :
	    sqlite3_column_double(s, 9);
	ready = sqlite3_column_int64(s, 10);
	sqlite3_reset(s);
	if (j->input == NULL && from > 0) {
		if ((rc = db_stmt(ag, st, SQL_INPUT, &s)) != AG_OK)
			goto fail;
		sqlite3_bind_int64(s, 1, from);
		if (sqlite3_step(s) == SQLITE_ROW)
			j->input = xstrdup((const char *)
			    sqlite3_column_text(s, 0));
		sqlite3_reset(s);
	}
	if ((rc = db_stmt(ag, st, SQL_BEGUN, &s)) != AG_OK)
		goto fail;
	sqlite3_bind_int64(s, 1, j->id);
	sqlite3_bind_int64(s, 2, j->attempt);
	db_bind_text(s, 3, c->runner);
	db_bind_text(s, 4, c->host);
	sqlite3_bind_int64(s, 5, c->now > ready ? c->now - ready : 0);
	sqlite3_bind_int64(s, 6, c->now);
	if ((rc = db_done(ag, st, s)) != AG_OK)
		goto fail;
	*out = j;
	return AG_OK;
fail:
	job_free(j);
	return rc;
}

int
jobs_claim(struct agency *ag, struct store *st, const struct job_claim *c,
    struct job **out)
{
	struct job_claim q = *c;
	const char **names = NULL;
	char *types = NULL, *queues = NULL;
	int64_t id = 0;
	size_t i;
	int rc;

	if ((rc = store_begin(ag, st)) != AG_OK)
		return rc;
	if ((rc = excluded(ag, st, c, 0, &types)) != AG_OK ||
	    (rc = excluded(ag, st, c, 1, &queues)) != AG_OK)
		goto fail;
	if (c->nqueues > 0) {
		names = xcalloc(c->nqueues, sizeof(*names));
		for (q.nqueues = 0, i = 0; i < c->nqueues; i++)
			if (!queue_full(queues, c->queues[i]))
				names[q.nqueues++] = c->queues[i];
		q.queues = names;
	}
	if ((c->nqueues == 0 || q.nqueues > 0) &&
	    (rc = head(ag, st, &q, types, queues, &id)) != AG_OK)
		goto fail;
	*out = NULL;
	if (id != 0 && (rc = take(ag, st, c, id, out)) != AG_OK)
		goto fail;
	if ((rc = store_commit(ag, st)) != AG_OK) {
		job_free(*out);
		*out = NULL;
	}
	goto out;
fail:
	store_rollback(st);
out:
	free(names);
	cJSON_free(types);
	cJSON_free(queues);
	return rc;
}

int
jobs_started(struct agency *ag, struct store *st, int64_t id,
    int64_t attempt, int64_t pid, int64_t pstart, const char *log)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_STARTED, &s)) != AG_OK)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, attempt);
	sqlite3_bind_int64(s, 3, pid);
	sqlite3_bind_int64(s, 4, pstart);
	db_bind_text(s, 5, log);
	return db_done(ag, st, s);
}

int
jobs_renew(struct agency *ag, struct store *st, struct job_lease *v,
    size_t n, int64_t until)
{
	sqlite3_stmt *s;
	size_t i;
	int rc;

	if ((rc = store_begin(ag, st)) != AG_OK)
		return rc;
	for (i = 0; i < n; i++) {
		if ((rc = db_stmt(ag, st, SQL_RENEW, &s)) != AG_OK)
			goto fail;
		sqlite3_bind_int64(s, 1, v[i].id);
		sqlite3_bind_int64(s, 2, v[i].attempt);
		sqlite3_bind_int64(s, 3, until);
		if ((rc = db_done(ag, st, s)) != AG_OK)
			goto fail;
		v[i].lost = sqlite3_changes(st->db) == 0;
	}
	return store_commit(ag, st);
fail:
	store_rollback(st);
	return rc;
}

static int
end_attempt(struct agency *ag, struct store *st, const struct job_end *e)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_ENDED, &s)) != AG_OK)
		return rc;
	sqlite3_bind_int64(s, 1, e->id);
	sqlite3_bind_int64(s, 2, e->attempt);
	sqlite3_bind_int64(s, 3, e->now);
	db_bind_text(s, 4, e->outcome);
	if (e->exit_code >= 0)
		sqlite3_bind_int(s, 5, e->exit_code);
	if (e->signal > 0)
		sqlite3_bind_int(s, 6, e->signal);
	db_bind_text(s, 7, e->error);
	return db_done(ag, st, s);
}

/* The job row's side of jobs_finish; *ours says whether it matched. */
static int
end_job(struct agency *ag, struct store *st, const struct job_end *e,
    int *ours)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_FINISH, &s)) != AG_OK)
		return rc;
	sqlite3_bind_int64(s, 1, e->id);
	sqlite3_bind_int64(s, 2, e->attempt);
	db_bind_text(s, 3, e->state);
	db_bind_text(s, 4, e->result);
	db_bind_text(s, 5, e->error);
	sqlite3_bind_int(s, 6, e->failure ? 1 : 0);
	if (strcmp(e->state, "failed") == 0 || strcmp(e->state, "queued") == 0)
		sqlite3_bind_int64(s, 7, e->run_at);
	sqlite3_bind_int64(s, 8, e->now);
	if ((rc = db_done(ag, st, s)) != AG_OK)
		return rc;
	if (!(*ours = sqlite3_changes(st->db) == 1))
		return AG_OK;
	if (strcmp(e->state, "done") == 0) {
		if ((rc = db_stmt(ag, st, SQL_UNBLOCK, &s)) != AG_OK)
			return rc;
		sqlite3_bind_int64(s, 1, e->id);
		sqlite3_bind_int64(s, 2, e->now);
		return db_done(ag, st, s);
	}
	if (strcmp(e->state, "dead") == 0)
		return db_jobs_cascade(ag, st, e->id, "dead", e->now);
	return AG_OK;
}

int
jobs_finish(struct agency *ag, struct store *st, const struct job_end *e,
    int *ours)
{
	int rc;

	if ((rc = store_begin(ag, st)) != AG_OK)
		return rc;
	if ((rc = end_job(ag, st, e, ours)) != AG_OK ||
	    (rc = end_attempt(ag, st, e)) != AG_OK) {
		store_rollback(st);
		return rc;
	}
	return store_commit(ag, st);
}

/* Reap one expired lease; its attempt goes into lost. */
static int
reap_one(struct agency *ag, struct store *st, const cJSON *row, int64_t now,
    cJSON *lost)
{
	struct job_end e;
	sqlite3_stmt *s;
	char error[256];
	int64_t failures, max;
	int ours, rc;

	memset(&e, 0, sizeof(e));
	e.id = (int64_t)cJSON_GetObjectItem(row, "id")->valuedouble;
	e.attempt = (int64_t)cJSON_GetObjectItem(row, "attempts")->valuedouble;
	failures = (int64_t)cJSON_GetObjectItem(row, "failures")->valuedouble;
	max = (int64_t)cJSON_GetObjectItem(row, "max_attempts")->valuedouble;
	snprintf(error, sizeof(error), "lost: runner %s stopped renewing its "
	    "lease", cJSON_GetStringValue(cJSON_GetObjectItem(row,
	    "lease_owner")) ? cJSON_GetObjectItem(row,
	    "lease_owner")->valuestring : "?");
	e.now = now;
	e.outcome = "lost";
	e.state = failures + 1 >= max ? "dead" : "queued";
	e.run_at = now;
	e.failure = 1;
	e.error = error;
	e.exit_code = -1;
	if ((rc = end_job(ag, st, &e, &ours)) != AG_OK ||
	    (rc = end_attempt(ag, st, &e)) != AG_OK)
		return rc;
	if ((rc = db_stmt(ag, st, SQL_LOST, &s)) != AG_OK)
		return rc;
	sqlite3_bind_int64(s, 1, e.id);
	sqlite3_bind_int64(s, 2, e.attempt);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		cJSON_AddItemToArray(lost, db_row(s));
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? AG_OK :
	    db_fail(ag, st, rc, "jobs: reaping");
}

int
jobs_reap(struct agency *ag, struct store *st, int64_t now,
    const char *owner, cJSON **lost)
{
	cJSON *rows = NULL, *arr = cJSON_CreateArray(), *row;
	sqlite3_stmt *s;
	int rc;

	if ((rc = store_begin(ag, st)) != AG_OK)
		goto out;
	/* Read them all first: the updates below change the index. */
	if ((rc = db_stmt(ag, st, SQL_EXPIRED, &s)) != AG_OK)
		goto fail;
	sqlite3_bind_int64(s, 1, now);
	db_bind_text(s, 2, owner);
	if ((rc = db_rows(ag, st, s, "jobs: reaping", &rows)) != AG_OK)
		goto fail;
	cJSON_ArrayForEach(row, rows)
		if ((rc = reap_one(ag, st, row, now, arr)) != AG_OK)
			goto fail;
	if ((rc = store_commit(ag, st)) != AG_OK)
		goto out;
	*lost = arr;
	arr = NULL;
	goto out;
fail:
	store_rollback(st);
out:
	cJSON_Delete(rows);
	cJSON_Delete(arr);
	return rc;
}
