/* llm_cooldown.c - providers skipped until their quota resets. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"

static const char SQL_SET[] =
	"INSERT INTO llm_cooldown (provider, until_at, reason, updated_at)"
	" VALUES (?1, ?2, ?3, ?4) ON CONFLICT (provider) DO UPDATE SET"
	" until_at = max(until_at, excluded.until_at), reason ="
	" CASE WHEN excluded.until_at >= until_at THEN excluded.reason"
	" ELSE reason END, updated_at = excluded.updated_at";
static const char SQL_GET[] =
	"SELECT until_at, reason FROM llm_cooldown WHERE provider = ?1"
	" AND until_at > ?2";
static const char SQL_CLEAR[] =
	"DELETE FROM llm_cooldown WHERE provider = ?1";

/* The hint beside the store, or NULL for a store in memory (new). */
static char *
hint_path(const char *store)
{
	return strcmp(store, ":memory:") == 0 ? NULL :
	    xasprintf("%s.cooldown", store);
}

/* Move the hint's mtime on to until_ms unless it is later already. */
static int
hint_set(struct agency *ag, const char *path, int64_t until_ms)
{
	struct timespec t[2];
	struct stat sb;
	int fd, rc = AG_OK;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) == -1 ||
	    fstat(fd, &sb) == -1) {
		rc = ag_fail(ag, AG_CANTCREAT, "cannot write '%s':", path);
	} else if (ag_timespec_ms(&sb.st_mtim) < until_ms) {
		t[0].tv_sec = 0;
		t[0].tv_nsec = UTIME_OMIT;
		t[1] = ag_ms_timespec(until_ms);
		if (futimens(fd, t) == -1)
			rc = ag_fail(ag, AG_IOERR, "cannot date '%s':", path);
	}
	if (fd != -1)
		close(fd);
	return rc;
}

int
llm_cooldown_set(struct agency *ag, struct store *st, const char *provider,
    int64_t until_ms, const char *reason)
{
	char *hint = hint_path(store_path(st));
	sqlite3_stmt *s;
	int rc;

	/* The hint first: a reader that sees the row must see it too, so
	 * a row without its hint is not written. */
	rc = hint != NULL ? hint_set(ag, hint, until_ms) : AG_OK;
	free(hint);
	if (rc != AG_OK || (rc = db_stmt(ag, st, SQL_SET, &s)) != AG_OK)
		return rc;
	db_bind_text(s, 1, provider);
	sqlite3_bind_int64(s, 2, until_ms);
	db_bind_text(s, 3, reason);
	sqlite3_bind_int64(s, 4, db_now());
	return db_done(ag, st, s);
}

int
llm_cooldown_maybe(struct agency *ag)
{
	char *store = store_configured_path(ag), *hint = hint_path(store);
	struct stat sb;
	int maybe;

	if (hint == NULL)
		maybe = 1;
	else if (stat(hint, &sb) == -1)
		maybe = errno != ENOENT;
	else
		maybe = ag_timespec_ms(&sb.st_mtim) > db_now();
	free(hint);
	free(store);
	return maybe;
}

int
llm_cooldown_get(struct agency *ag, struct store *st, const char *provider,
    int64_t *until_ms, char **reason)
{
	sqlite3_stmt *s;
	const unsigned char *r;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_GET, &s)) != AG_OK)
		return rc;
	db_bind_text(s, 1, provider);
	sqlite3_bind_int64(s, 2, db_now());
	*until_ms = 0;
	*reason = NULL;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*until_ms = sqlite3_column_int64(s, 0);
		r = sqlite3_column_text(s, 1);
		*reason = r ? xstrdup((const char *)r) : NULL;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(ag, st, rc, "llm_cooldown");
	return AG_OK;
}

int
llm_cooldown_clear(struct agency *ag, struct store *st, const char *provider)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_CLEAR, &s)) != AG_OK)
		return rc;
	db_bind_text(s, 1, provider);
	return db_done(ag, st, s);
}
