/*
 * bench - what the queue's store costs, next to raw SQLite; and what
 * starting a process costs, the floor of a job.
 *
 *	bench spawn N			posix_spawn /bin/true N times through
 *					lib/core/proc.c: CPU ms per spawn,
 *					ours and the child's
 *	bench cycles DB N		claim + complete N jobs through
 *					lib/store (jobs_claim, jobs_finish),
 *					then N through a raw SQLite loop
 *					doing the reference recipe on the
 *					same table: cycles per second, both
 *	bench backlog DB1 DB2 B1 B2 M R
 *					claim + complete time with B1 jobs
 *					queued in DB1 and B2 in DB2 (one is
 *					added after each cycle, untimed, by
 *					another connection, as a submitter
 *					would): R rounds of M cycles on each,
 *					alternating, so that a machine whose
 *					load drifts hurts both alike; prints
 *					the median of the rounds' means
 *
 * DB is a fresh file; the store's own schema is used for both sides.
 * The raw loop is ../shared/reference/queue.md section 3b: BEGIN
 * IMMEDIATE, UPDATE ... WHERE id = (SELECT ... LIMIT 1) RETURNING,
 * COMMIT; then BEGIN IMMEDIATE, the fenced UPDATE to done, COMMIT.
 */
#include <sys/resource.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agency.h"

static const char RAW_CLAIM[] =
	"UPDATE jobs SET state = 'running', attempts = attempts + 1,"
	" lease_until = ?2, lease_owner = ?3, updated_at = ?1"
	" WHERE id = (SELECT id FROM jobs INDEXED BY jobs_ready"
	"  WHERE state IN ('queued','failed') AND waiting = 0 AND run_at <= ?1"
	"  ORDER BY priority DESC, run_at, id LIMIT 1)"
	" RETURNING id, attempts";
static const char RAW_DONE[] =
	"UPDATE jobs SET state = 'done', finished_at = ?3, updated_at = ?3,"
	" lease_until = NULL WHERE id = ?1 AND state = 'running'"
	" AND attempts = ?2";
static const char RAW_ADD[] =
	"INSERT INTO jobs (type, args, queue, state, priority, run_at,"
	" ready_at, max_attempts, created_at, updated_at)"
	" VALUES ('noop', '[]', 'default', 'queued', 0, ?1, ?1, 3, ?1, ?1)";

#define USAGE "bench spawn N | cycles DB N | backlog DB1 DB2 B1 B2 M R"

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "bench: %s: %s\n", what, why);
	exit(1);
}

static sqlite3 *
raw_open(const char *path)
{
	sqlite3 *db;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		die(path, sqlite3_errmsg(db));
	sqlite3_busy_timeout(db, 5000);
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
	    NULL, NULL, NULL);
	return db;
}

static void
exec(sqlite3 *db, const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		die(sql, sqlite3_errmsg(db));
}

/* Add n queued jobs in one transaction. */
static void
fill(sqlite3 *db, int64_t n)
{
	sqlite3_stmt *s;
	int64_t i, now = ag_now_ms() - 1000;

	exec(db, "BEGIN IMMEDIATE");
	sqlite3_prepare_v2(db, RAW_ADD, -1, &s, NULL);
	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(s, 1, now);
		if (sqlite3_step(s) != SQLITE_DONE)
			die("insert", sqlite3_errmsg(db));
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	exec(db, "COMMIT");
	/* Move the filling out of the WAL now, not during the timing. */
	exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
}

/* One claim + complete through lib/store. */
static void
ours(struct agency *ag, struct store *st)
{
	struct job_claim c;
	struct job_end e;
	struct job *j;
	int o;

	memset(&c, 0, sizeof(c));
	c.now = ag_now_ms();
	c.lease_ms = 60000;
	c.runner = "bench:1";
	c.host = "bench";
	if (jobs_claim(ag, st, &c, &j) != AG_OK || j == NULL)
		die("jobs_claim", j == NULL ? "no job" : ag->err);
	memset(&e, 0, sizeof(e));
	e.id = j->id;
	e.attempt = j->attempt;
	e.now = ag_now_ms();
	e.outcome = "done";
	e.state = "done";
	e.exit_code = 0;
	if (jobs_finish(ag, st, &e, &o) != AG_OK || !o)
		die("jobs_finish", ag->err);
	job_free(j);
}

/* The same through raw statements. */
static void
raw(sqlite3 *db, sqlite3_stmt *claim, sqlite3_stmt *done)
{
	int64_t id, attempt, now = ag_now_ms();

	exec(db, "BEGIN IMMEDIATE");
	sqlite3_bind_int64(claim, 1, now);
	sqlite3_bind_int64(claim, 2, now + 60000);
	sqlite3_bind_text(claim, 3, "bench:1", -1, SQLITE_STATIC);
	if (sqlite3_step(claim) != SQLITE_ROW)
		die("raw claim", sqlite3_errmsg(db));
	id = sqlite3_column_int64(claim, 0);
	attempt = sqlite3_column_int64(claim, 1);
	sqlite3_reset(claim);
	exec(db, "COMMIT");
	exec(db, "BEGIN IMMEDIATE");
	sqlite3_bind_int64(done, 1, id);
	sqlite3_bind_int64(done, 2, attempt);
	sqlite3_bind_int64(done, 3, ag_now_ms());
	if (sqlite3_step(done) != SQLITE_DONE || sqlite3_changes(db) != 1)
		die("raw done", sqlite3_errmsg(db));
	sqlite3_reset(done);
	exec(db, "COMMIT");
}

/* Microseconds on the monotonic clock: cycles take less than 1 ms. */
static int64_t
us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static double
seconds(int64_t t0)
{
	return (double)(us() - t0) / 1e6;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Mean claim + complete time of m cycles, in us; keeps the backlog. */
static double
round_us(struct agency *ag, struct store *st, sqlite3 *db, int64_t m)
{
	sqlite3_stmt *add;
	int64_t i, t, total = 0;

	sqlite3_prepare_v2(db, RAW_ADD, -1, &add, NULL);
	for (i = 0; i < m; i++) {
		t = us();
		ours(ag, st);
		total += us() - t;
		sqlite3_bind_int64(add, 1, ag_now_ms() - 1000);
		if (sqlite3_step(add) != SQLITE_DONE)
			die("insert", sqlite3_errmsg(db));
		sqlite3_reset(add);
	}
	sqlite3_finalize(add);
	return (double)total / (double)m;
}

static void
backlog(struct agency *ag, struct store *st1, sqlite3 *db1, const char *p2,
    int64_t b1, int64_t b2, int64_t m, int64_t r)
{
	struct store *st2;
	sqlite3 *db2;
	double *v1 = calloc((size_t)r, sizeof(double));
	double *v2 = calloc((size_t)r, sizeof(double));
	int64_t i;

	if (store_open(ag, p2, &st2) != AG_OK)
		die(p2, ag->err);
	db2 = raw_open(p2);
	fill(db1, b1);
	fill(db2, b2);
	for (i = 0; i < r; i++) {
		v1[i] = round_us(ag, st1, db1, m);
		v2[i] = round_us(ag, st2, db2, m);
	}
	qsort(v1, (size_t)r, sizeof(double), cmp);
	qsort(v2, (size_t)r, sizeof(double), cmp);
	printf("latency_us %.1f %.1f\n", v1[r / 2], v2[r / 2]);
	sqlite3_close(db2);
	store_close(st2);
	free(v1);
	free(v2);
}

static double
ms(const struct timeval *u, const struct timeval *s)
{
	return (double)(u->tv_sec + s->tv_sec) * 1e3 +
	    (double)(u->tv_usec + s->tv_usec) / 1e3;
}

static void
spawn(struct agency *ag, int64_t n)
{
	char *argv[] = { "/bin/true", NULL };
	struct proc_opts o;
	struct proc_result r;
	struct rusage self, kids;
	int64_t i;

	for (i = 0; i < n; i++) {
		proc_opts_init(&o, argv);
		if (proc_run(ag, &o, &r) != AG_OK)
			die("spawn", ag->err);
		proc_result_release(&r);
	}
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	printf("spawn_ms %.2f %.2f\n", ms(&self.ru_utime, &self.ru_stime) /
	    (double)n, ms(&kids.ru_utime, &kids.ru_stime) / (double)n);
}

int
main(int argc, char *argv[])
{
	struct agency ag;
	struct store *st;
	sqlite3 *db;
	sqlite3_stmt *claim, *done;
	int64_t n, i, t0;
	double a, b;

	ag_init(&ag, 1, argv);
	if (argc == 3 && strcmp(argv[1], "spawn") == 0) {
		spawn(&ag, atoll(argv[2]));
		ag_release(&ag);
		return 0;
	}
	if (argc < 4)
		die("usage", USAGE);
	if (store_open(&ag, argv[2], &st) != AG_OK)
		die(argv[2], ag.err);
	db = raw_open(argv[2]);
	if (strcmp(argv[1], "cycles") == 0) {
		n = atoll(argv[3]);
		fill(db, 2 * n);
		t0 = us();
		for (i = 0; i < n; i++)
			ours(&ag, st);
		a = seconds(t0);
		sqlite3_prepare_v2(db, RAW_CLAIM, -1, &claim, NULL);
		sqlite3_prepare_v2(db, RAW_DONE, -1, &done, NULL);
		t0 = us();
		for (i = 0; i < n; i++)
			raw(db, claim, done);
		b = seconds(t0);
		sqlite3_finalize(claim);
		sqlite3_finalize(done);
		printf("store %.0f raw %.0f\n", (double)n / a, (double)n / b);
	} else if (argc == 8 && strcmp(argv[1], "backlog") == 0) {
		backlog(&ag, st, db, argv[3], atoll(argv[4]), atoll(argv[5]),
		    atoll(argv[6]), atoll(argv[7]));
	} else {
		die("usage", USAGE);
	}
	sqlite3_close(db);
	store_close(st);
	ag_release(&ag);
	return 0;
}
