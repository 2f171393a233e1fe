/*
 * store.c - opening the shared SQLite store and the helpers every
 * entity file uses.
 *
 * Concurrency protocol.  Six binaries and several runners write one
 * file.  WAL lets readers run beside the one writer.  Every write
 * happens in a short BEGIN IMMEDIATE transaction or a single statement,
 * so a connection never holds a read snapshot it then tries to upgrade
 * (that fails with SQLITE_BUSY_SNAPSHOT whatever the timeout).  Waiting
 * for the writer is done by our busy handler, not sqlite3_busy_timeout:
 * SQLite's sleeps grow to 100 ms and a process that just committed
 * takes the lock again before the sleeper wakes, starving it (measured
 * in ../shared/reference/queue.md §5.2).  Short jittered sleeps keep
 * the writers fair.
 */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"

int64_t
db_now(void)
{
	return ag_now_ms();
}

static int
busy(void *arg, int count)
{
	struct store *st = arg;
	int64_t now = ag_mono_ms();
	struct timespec ts;
	long us;

	if (count == 0)
		st->busy_start = now;
	if ((double)(now - st->busy_start) >= st->busy_timeout * 1000)
		return 0;
	/* 50 us to 1 ms early on, up to 5 ms when the wait is long. */
	us = 50 + rand_r(&st->seed) % (count < 100 ? 1000 : 5000);
	ts.tv_sec = 0;
	ts.tv_nsec = us * 1000;
	nanosleep(&ts, NULL);
	return 1;
}

int
db_fail(struct agency *ag, struct store *st, int rc, const char *what)
{
	const char *msg = st && st->db ? sqlite3_errmsg(st->db) :
	    sqlite3_errstr(rc);
	const char *path = st ? st->path : "?";

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return ag_fail(ag, AG_TEMPFAIL, "%s: store '%s' stayed busy "
		    "for %.0f s (store.busy_timeout); try again", what, path,
		    st ? st->busy_timeout : 0);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return ag_fail(ag, AG_DATAERR, "%s: store '%s' is damaged or "
		    "not a database: %s", what, path, msg);
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return ag_fail(ag, AG_NOPERM, "%s: store '%s': %s", what, path,
		    msg);
	case SQLITE_CANTOPEN:
		return ag_fail(ag, AG_CANTCREAT, "%s: cannot open store '%s': "
		    "%s", what, path, msg);
	case SQLITE_FULL:
	case SQLITE_IOERR:
		return ag_fail(ag, AG_IOERR, "%s: store '%s': %s", what, path,
		    msg);
	case SQLITE_CONSTRAINT:
		return ag_fail(ag, AG_DATAERR, "%s: %s", what, msg);
	default:
		return ag_fail(ag, AG_SOFTWARE, "%s: store '%s': %s", what,
		    path, msg);
	}
}

int
db_exec(struct agency *ag, struct store *st, const char *sql)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? AG_OK : db_fail(ag, st, rc, "store");
}

int
db_stmt(struct agency *ag, struct store *st, const char *sql,
    sqlite3_stmt **out)
{
	size_t i, slot = STMT_CACHE;
	sqlite3_stmt *s;
	int rc;

	for (i = 0; i < STMT_CACHE; i++) {
		if (st->cache[i].sql == sql) {
			s = st->cache[i].st;
			sqlite3_reset(s);
			sqlite3_clear_bindings(s);
			*out = s;
			return AG_OK;
		}
		if (st->cache[i].sql == NULL && slot == STMT_CACHE)
			slot = i;
	}
	rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &s, NULL);
	if (rc != SQLITE_OK)
		return db_fail(ag, st, rc, "store: preparing a statement");
	if (slot == STMT_CACHE) {	/* full: evict the first */
		slot = 0;
		sqlite3_finalize(st->cache[0].st);
	}
	st->cache[slot].sql = sql;
	st->cache[slot].st = s;
	*out = s;
	return AG_OK;
}

int
db_done(struct agency *ag, struct store *st, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return AG_OK;
	return db_fail(ag, st, rc, "store");
}

void
db_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

cJSON *
db_column_json(sqlite3_stmt *s, int i)
{
	switch (sqlite3_column_type(s, i)) {
	case SQLITE_INTEGER:
		return cJSON_CreateNumber((double)sqlite3_column_int64(s, i));
	case SQLITE_FLOAT:
		return cJSON_CreateNumber(sqlite3_column_double(s, i));
	case SQLITE_TEXT:
		return cJSON_CreateString((const char *)
		    sqlite3_column_text(s, i));
	default:
		return cJSON_CreateNull();
	}
}

cJSON *
db_row(sqlite3_stmt *s)
{
	cJSON *row = cJSON_CreateObject();
	int i, n = sqlite3_column_count(s);

	for (i = 0; i < n; i++)
		cJSON_AddItemToObject(row, sqlite3_column_name(s, i),
		    db_column_json(s, i));
	return row;
}

int
db_rows(struct agency *ag, struct store *st, sqlite3_stmt *s,
    const char *what, cJSON **out)
{
	cJSON *arr = cJSON_CreateArray();
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		cJSON_AddItemToArray(arr, db_row(s));
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		cJSON_Delete(arr);
		return db_fail(ag, st, rc, what);
	}
	*out = arr;
	return AG_OK;
}

int
db_row_one(struct agency *ag, struct store *st, sqlite3_stmt *s,
    const char *what, cJSON **out)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		*out = db_row(s);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return AG_OK;
	return rc == SQLITE_DONE ? AG_FALSE : db_fail(ag, st, rc, what);
}

int
db_int64s(struct agency *ag, struct store *st, sqlite3_stmt *s,
    const char *what, int64_t **out, size_t *n)
{
	int64_t *v = NULL;
	size_t len = 0;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = xreallocarray(v, len + 1, sizeof(*v));
		v[len++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		free(v);
		return db_fail(ag, st, rc, what);
	}
	*out = v;
	*n = len;
	return AG_OK;
}

static char *
default_path(void)
{
	char *dir = ag_xdg_dir("DATA"), *p;

	p = xasprintf("%s/agency/agency.db", dir);
	free(dir);
	return p;
}

/* Create the file ourselves so it is 0600 whatever the umask. */
static int
create_private(struct agency *ag, const char *path)
{
	int fd;

	if (strcmp(path, ":memory:") == 0)
		return AG_OK;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1)
		return ag_fail(ag, errno == EACCES ? AG_NOPERM : AG_CANTCREAT,
		    "cannot open store '%s':", path);
	close(fd);
	return AG_OK;
}

/* journal_mode=WAL needs a moment alone with a brand-new file. */
static int
wal(struct agency *ag, struct store *st)
{
	int64_t until = ag_mono_ms() + (int64_t)(st->busy_timeout * 1000);
	int rc;

	for (;;) {
		rc = sqlite3_exec(st->db, "PRAGMA journal_mode=WAL", NULL,
		    NULL, NULL);
		if (rc == SQLITE_OK)
			return AG_OK;
		if ((rc & 0xff) != SQLITE_BUSY || ag_mono_ms() > until)
			return db_fail(ag, st, rc, "store: WAL mode");
		ag_sleep_ms(1 + rand_r(&st->seed) % 5);
	}
}

/*
 * When another process writes, SQLite drops this connection's page cache
 * at the next transaction and reads the pages again.  glibc gives the
 * freed memory back to the kernel (brk) and takes it again a moment
 * later; on a VM each round costs a TLB shootdown.  Measured with
 * bench/queue: a claim + complete with a writer beside it took 1.6 ms
 * instead of 0.37 ms.  Keeping up to 32 MiB of freed heap ends that.
 */
static void
keep_heap(void)
{
	static int done;

	if (!done)
		mallopt(M_TRIM_THRESHOLD, 32 << 20);
	done = 1;
}

char *
store_configured_path(struct agency *ag)
{
	const char *path = config_str(ag, "store.path");

	return path != NULL && *path != '\0' ? xstrdup(path) : default_path();
}

int
store_open(struct agency *ag, const char *path, struct store **out)
{
	struct store *st = xcalloc(1, sizeof(*st));
	const char *sync = config_str(ag, "store.synchronous");
	int rc;

	keep_heap();
	st->path = path != NULL ? xstrdup(path) : store_configured_path(ag);
	st->busy_timeout = config_number(ag, "store.busy_timeout");
	st->seed = (unsigned int)getpid() ^ (unsigned int)ag_now_ms();
	if (ag_starts_with(st->path, "postgres")) {
		/*
		 * XXX: the PostgreSQL backend for runners on many hosts.  The
		 * queue's statements are all in jobs.c and leases.c (claims
		 * with FOR UPDATE SKIP LOCKED there, see leases.c).
		 */
		rc = ag_fail(ag, AG_CONFIG, "store '%s': PostgreSQL stores are "
		    "not supported by this build yet", st->path);
		goto fail;
	}
	if (strcmp(st->path, ":memory:") != 0 &&
	    (rc = ag_mkdirs_for(ag, st->path, 0700)) != AG_OK)
		goto fail;
	if ((rc = create_private(ag, st->path)) != AG_OK)
		goto fail;
	rc = sqlite3_open_v2(st->path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		rc = db_fail(ag, st, rc, "store");
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_handler(st->db, busy, st);
	/* Short-lived tools leave checkpoints to autocheckpoint. */
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	if ((rc = wal(ag, st)) != AG_OK ||
	    (rc = db_exec(ag, st, "PRAGMA foreign_keys=ON")) != AG_OK ||
	    (rc = db_exec(ag, st, strcmp(sync, "full") == 0 ?
	    "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL")) != AG_OK ||
	    (rc = db_migrate(ag, st)) != AG_OK)
		goto fail;
	*out = st;
	return AG_OK;
fail:
	store_close(st);
	return rc;
}

void
store_close(struct store *st)
{
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < STMT_CACHE; i++)
		sqlite3_finalize(st->cache[i].st);
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

static void
release(void *arg)
{
	struct agency *ag = arg;

	store_close(ag->store);
	ag->store = NULL;
}

int
ag_store(struct agency *ag, struct store **out)
{
	int rc;

	if (ag->store == NULL) {
		if ((rc = store_open(ag, NULL, &ag->store)) != AG_OK)
			return rc;
		ag_on_release(ag, release, ag);
	}
	*out = ag->store;
	return AG_OK;
}

const char *
store_path(const struct store *st)
{
	return st->path;
}

int
store_version(struct store *st)
{
	sqlite3_stmt *s;
	int v = -1;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s,
	    NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

int
store_latest_version(void)
{
	return db_migrations();
}

int
store_begin(struct agency *ag, struct store *st)
{
	int rc;

	if (st->depth++ > 0)
		return AG_OK;
	st->failed = 0;
	if ((rc = db_exec(ag, st, "BEGIN IMMEDIATE")) != AG_OK)
		st->depth = 0;
	return rc;
}

int
store_commit(struct agency *ag, struct store *st)
{
	int rc;

	if (st->depth == 0)
		return AG_OK;
	if (--st->depth > 0)
		return AG_OK;
	if (st->failed) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return ag_fail(ag, AG_SOFTWARE, "store: commit after rollback");
	}
	if ((rc = db_exec(ag, st, "COMMIT")) != AG_OK)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

void
store_rollback(struct store *st)
{
	if (st->depth == 0)
		return;
	if (--st->depth > 0) {
		st->failed = 1;
		return;
	}
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}
