/*
 * db.h - private to lib/store: the connection and statement helpers
 * the entity files share.  Nothing outside lib/store includes this.
 */
#ifndef AG_STORE_DB_H
#define AG_STORE_DB_H

#include <sqlite3.h>

#include "agency.h"

#define STMT_CACHE 64

struct store {
	sqlite3 *db;
	char *path;
	int depth;			/* store_begin nesting */
	int failed;			/* a rollback happened inside */
	double busy_timeout;		/* seconds */
	int64_t busy_start;
	unsigned int seed;		/* for jittered sleeps */
	struct {
		const char *sql;	/* keyed by the literal's address */
		sqlite3_stmt *st;
	} cache[STMT_CACHE];
};

/*
 * db_stmt() - a prepared statement for sql, cached on the connection
 * and reset with its bindings cleared.  sql must be a string literal
 * (the cache is keyed by its address).  Borrowed: do not finalize.
 */
int db_stmt(struct agency *ag, struct store *st, const char *sql,
    sqlite3_stmt **out);
/* Run SQL with no results (DDL, PRAGMA). */
int db_exec(struct agency *ag, struct store *st, const char *sql);
/* Step a statement expected to finish (INSERT/UPDATE/DELETE). */
int db_done(struct agency *ag, struct store *st, sqlite3_stmt *s);
/* Turn the connection's last error into a status and message. */
int db_fail(struct agency *ag, struct store *st, int rc, const char *what);

/* Bind helpers: NULL strings bind SQL NULL. */
void db_bind_text(sqlite3_stmt *s, int i, const char *v);
/* A column as a new JSON value (number, string or null). */
struct cJSON *db_column_json(sqlite3_stmt *s, int i);
/* The current row as a new JSON object, keyed by column name. */
struct cJSON *db_row(sqlite3_stmt *s);
/* Step s to its end; every row into a new JSON array (errors name what). */
int db_rows(struct agency *ag, struct store *st, sqlite3_stmt *s,
    const char *what, struct cJSON **out);
/* Step a one-row query: the row as a new object; AG_FALSE when there is
 * none (and nothing is recorded). */
int db_row_one(struct agency *ag, struct store *st, sqlite3_stmt *s,
    const char *what, struct cJSON **out);
/* Step s to its end; its first column into a new array of *n integers. */
int db_int64s(struct agency *ag, struct store *st, sqlite3_stmt *s,
    const char *what, int64_t **out, size_t *n);
/* Milliseconds since the epoch, the unit of every *_at column. */
int64_t db_now(void);

/* jobs.c: cancel every job downstream of id, which ended in state. */
int db_jobs_cascade(struct agency *ag, struct store *st, int64_t id,
    const char *state, int64_t now);

/* migrate.c */
int db_migrate(struct agency *ag, struct store *st);
int db_migrations(void);

#endif
