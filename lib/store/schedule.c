/*
 * schedule.c - the calendar's rows: one post to one account at one time.
 *
 * Every change is a compare-and-set on the state (and the revision or
 * the job) the caller saw, so that whatever runs beside it (ten ticks, a
 * tick and an "rm", a sync and a "move"), one wins and the others see
 * AG_FALSE.  The tick takes its rows and changes them inside one
 * BEGIN IMMEDIATE transaction (store_begin) as well, so the compare never
 * fails there; it is the guard for everything else.
 *
 * The indexes (migrate.c, step 4) make each query here touch only what
 * it returns: due posts through schedule_due (partial: scheduled), blocked
 * ones through schedule_blocked, queued ones through schedule_queued, a
 * time range through schedule_time and an account's through
 * schedule_account.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"

#define COLS \
	"id, content_id, account, at, tz, local, rrule, caption, state," \
	" reason, job_id, revision, series, seq, dtstart, occurrence, slot," \
	" remote_id, url, posted_at, created_at, updated_at"

static const char SQL_ADD[] =
	"INSERT INTO schedule (content_id, account, at, tz, local, rrule,"
	" caption, state, reason, series, seq, dtstart, occurrence, slot,"
	" created_at, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
	" ?15, ?15) RETURNING id";
static const char SQL_OWN_SERIES[] =
	"UPDATE schedule SET series = id WHERE id = ?1";
static const char SQL_GET[] =
	"SELECT " COLS " FROM schedule WHERE id = ?1";
static const char SQL_LIST[] =
	"SELECT " COLS " FROM schedule INDEXED BY schedule_time"
	" WHERE at >= ?1 AND at < ?2 AND (at, id) > (?3, ?4)"
	" AND (?5 IS NULL OR state IN (SELECT value FROM json_each(?5)))"
	" AND (?6 = 0 OR series = ?6)"
	" ORDER BY at, id LIMIT 500";
static const char SQL_LIST_ACCOUNT[] =
	"SELECT " COLS " FROM schedule INDEXED BY schedule_account"
	" WHERE account = ?7 AND at >= ?1 AND at < ?2 AND (at, id) > (?3, ?4)"
	" AND (?5 IS NULL OR state IN (SELECT value FROM json_each(?5)))"
	" AND (?6 = 0 OR series = ?6)"
	" ORDER BY at, id LIMIT 500";
static const char SQL_DUE[] =
	"SELECT " COLS " FROM schedule INDEXED BY schedule_due"
	" WHERE state = 'scheduled' AND at <= ?1 ORDER BY at, id LIMIT ?2";
static const char SQL_BLOCKED[] =
	"SELECT " COLS " FROM schedule INDEXED BY schedule_blocked"
	" WHERE state = 'blocked' AND at >= ?1 AND at <= ?2 ORDER BY at, id";
static const char SQL_QUEUED[] =
	"SELECT id, job_id, revision, account FROM schedule"
	" INDEXED BY schedule_queued WHERE state = 'queued' ORDER BY id";
static const char SQL_NEXT[] =
	"SELECT min(at) FROM schedule INDEXED BY schedule_due"
	" WHERE state = 'scheduled'";
static const char SQL_TAKEN[] =
	"SELECT at FROM schedule INDEXED BY schedule_account"
	" WHERE account = ?1 AND at >= ?2 AND state != 'cancelled'"
	" ORDER BY at";
static const char SQL_QUEUE[] =
	"UPDATE schedule SET state = 'queued', job_id = ?4, reason = NULL,"
	" updated_at = ?5 WHERE id = ?1 AND revision = ?2 AND state = ?3";
static const char SQL_STATE[] =
	"UPDATE schedule SET state = ?3, reason = ?4, updated_at = ?5"
	" WHERE id = ?1 AND state = ?2";
static const char SQL_ENDED[] =
	"UPDATE schedule SET state = ?3, reason = ?4, remote_id = ?5, url = ?6,"
	" posted_at = CASE WHEN ?3 = 'posted' THEN ?7 END, updated_at = ?7"
	" WHERE id = ?1 AND job_id = ?2 AND state = 'queued'";
static const char SQL_REVISE[] =
	"UPDATE schedule SET state = ?3, reason = ?4, job_id = NULL,"
	" revision = revision + 1,"
	" at = CASE WHEN ?5 > 0 THEN ?5 ELSE at END,"
	" tz = coalesce(?6, tz), local = coalesce(?7, local), updated_at = ?8"
	" WHERE id = ?1 AND state IN (SELECT value FROM json_each(?2))";
static const char SQL_ACCOUNT_STATE[] =
	"UPDATE schedule SET state = ?3, reason = ?4, updated_at = ?5"
	" WHERE account = ?1 AND state = ?2";

/* Step a statement that changes rows; AG_FALSE when it changed none. */
static int
changed(struct agency *ag, struct store *st, sqlite3_stmt *s)
{
	int rc = db_done(ag, st, s);

	if (rc != AG_OK)
		return rc;
	return sqlite3_changes(st->db) > 0 ? AG_OK : AG_FALSE;
}

int
posts_add(struct agency *ag, struct store *st, const struct post_new *p,
    int64_t *id)
{
	sqlite3_stmt *s;
	int64_t new_id;
	int rc;

	if ((rc = store_begin(ag, st)) != AG_OK)
		return rc;
	if ((rc = db_stmt(ag, st, SQL_ADD, &s)) != AG_OK)
		goto fail;
	db_bind_text(s, 1, p->content_id);
	db_bind_text(s, 2, p->account);
	sqlite3_bind_int64(s, 3, p->at);
	db_bind_text(s, 4, p->tz);
	db_bind_text(s, 5, p->local);
	db_bind_text(s, 6, p->rrule);
	db_bind_text(s, 7, p->caption);
	db_bind_text(s, 8, p->state ? p->state : "scheduled");
	db_bind_text(s, 9, p->reason);
	if (p->series > 0)
		sqlite3_bind_int64(s, 10, p->series);
	sqlite3_bind_int64(s, 11, p->seq > 0 ? p->seq : 1);
	db_bind_text(s, 12, p->dtstart);
	db_bind_text(s, 13, p->occurrence);
	sqlite3_bind_int(s, 14, p->slot);
	sqlite3_bind_int64(s, 15, db_now());
	rc = sqlite3_step(s);
	new_id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW) {
		rc = db_fail(ag, st, rc, "schedule: adding a post");
		goto fail;
	}
	if (p->rrule != NULL && p->series <= 0) {
		if ((rc = db_stmt(ag, st, SQL_OWN_SERIES, &s)) != AG_OK)
			goto fail;
		sqlite3_bind_int64(s, 1, new_id);
		if ((rc = db_done(ag, st, s)) != AG_OK)
			goto fail;
	}
	if ((rc = store_commit(ag, st)) != AG_OK)
		return rc;
	*id = new_id;
	return AG_OK;
fail:
	store_rollback(st);
	return rc;
}

int
posts_get(struct agency *ag, struct store *st, int64_t id, cJSON **out)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_GET, &s)) != AG_OK)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = db_row_one(ag, st, s, "schedule", out)) == AG_FALSE)
		return ag_fail(ag, AG_NOINPUT, "post %lld: no such post",
		    (long long)id);
	return rc;
}

int
posts_list(struct agency *ag, struct store *st, const struct post_filter *f,
    int (*fn)(void *arg, const cJSON *row), void *arg)
{
	sqlite3_stmt *s;
	int64_t last_at = INT64_MIN, last_id = 0, n;
	cJSON *row;
	int rc;

	/* In pages, so that fn may use the store between them. */
	for (;;) {
		if ((rc = db_stmt(ag, st, f->account ? SQL_LIST_ACCOUNT :
		    SQL_LIST, &s)) != AG_OK)
			return rc;
		sqlite3_bind_int64(s, 1, f->from > 0 ? f->from : INT64_MIN);
		sqlite3_bind_int64(s, 2, f->to > 0 ? f->to : INT64_MAX);
		sqlite3_bind_int64(s, 3, last_at);
		sqlite3_bind_int64(s, 4, last_id);
		db_bind_text(s, 5, f->states);
		sqlite3_bind_int64(s, 6, f->series);
		if (f->account)
			db_bind_text(s, 7, f->account);
		n = 0;
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			row = db_row(s);
			last_id = sqlite3_column_int64(s, 0);
			last_at = sqlite3_column_int64(s, 3);
			n++;
			rc = fn(arg, row);
			cJSON_Delete(row);
			if (rc != AG_OK) {
				sqlite3_reset(s);
				return rc;
			}
		}
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return db_fail(ag, st, rc, "schedule");
		if (n < 500)
			return AG_OK;
	}
}

int
posts_due(struct agency *ag, struct store *st, int64_t now, int64_t limit,
    cJSON **rows)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_DUE, &s)) != AG_OK)
		return rc;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, limit);
	return db_rows(ag, st, s, "schedule", rows);
}

int
posts_blocked(struct agency *ag, struct store *st, int64_t from, int64_t to,
    cJSON **rows)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_BLOCKED, &s)) != AG_OK)
		return rc;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	return db_rows(ag, st, s, "schedule", rows);
}

int
posts_queued(struct agency *ag, struct store *st, cJSON **rows)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_QUEUED, &s)) != AG_OK)
		return rc;
	return db_rows(ag, st, s, "schedule", rows);
}

int
posts_next_due(struct agency *ag, struct store *st, int64_t *at)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_NEXT, &s)) != AG_OK)
		return rc;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
		*at = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		return AG_OK;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? AG_FALSE : db_fail(ag, st, rc, "schedule");
}

int
posts_taken(struct agency *ag, struct store *st, const char *account,
    int64_t from, int64_t **out, size_t *n)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_TAKEN, &s)) != AG_OK)
		return rc;
	db_bind_text(s, 1, account);
	sqlite3_bind_int64(s, 2, from);
	return db_int64s(ag, st, s, "schedule", out, n);
}

int
posts_set_queued(struct agency *ag, struct store *st, int64_t id,
    int64_t revision, const char *from, int64_t job, int64_t now)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_QUEUE, &s)) != AG_OK)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, revision);
	db_bind_text(s, 3, from);
	sqlite3_bind_int64(s, 4, job);
	sqlite3_bind_int64(s, 5, now);
	return changed(ag, st, s);
}

int
posts_set_state(struct agency *ag, struct store *st, int64_t id,
    const char *from, const char *to, const char *reason, int64_t now)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_STATE, &s)) != AG_OK)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	db_bind_text(s, 2, from);
	db_bind_text(s, 3, to);
	db_bind_text(s, 4, reason);
	sqlite3_bind_int64(s, 5, now);
	return changed(ag, st, s);
}

int
posts_job_ended(struct agency *ag, struct store *st, int64_t id, int64_t job,
    const char *to, const char *reason, const char *remote_id,
    const char *url, int64_t now)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_ENDED, &s)) != AG_OK)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, job);
	db_bind_text(s, 3, to);
	db_bind_text(s, 4, reason);
	db_bind_text(s, 5, remote_id);
	db_bind_text(s, 6, url);
	sqlite3_bind_int64(s, 7, now);
	return changed(ag, st, s);
}

int
posts_revise(struct agency *ag, struct store *st, int64_t id,
    const char *from, const char *to, const char *reason, int64_t at,
    const char *tz, const char *local, int64_t now)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_REVISE, &s)) != AG_OK)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	db_bind_text(s, 2, from);
	db_bind_text(s, 3, to);
	db_bind_text(s, 4, reason);
	sqlite3_bind_int64(s, 5, at);
	db_bind_text(s, 6, tz);
	db_bind_text(s, 7, local);
	sqlite3_bind_int64(s, 8, now);
	return changed(ag, st, s);
}

int
posts_account_state(struct agency *ag, struct store *st, const char *account,
    const char *from, const char *to, const char *reason, int64_t now,
    int64_t *n)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_ACCOUNT_STATE, &s)) != AG_OK)
		return rc;
	db_bind_text(s, 1, account);
	db_bind_text(s, 2, from);
	db_bind_text(s, 3, to);
	db_bind_text(s, 4, reason);
	sqlite3_bind_int64(s, 5, now);
	if ((rc = db_done(ag, st, s)) != AG_OK)
		return rc;
	*n = sqlite3_changes(st->db);
	return AG_OK;
}
