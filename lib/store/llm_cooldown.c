/* llm_cooldown.c - providers skipped until their quota resets. */
#include <stdlib.h>

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

int
llm_cooldown_set(struct agency *ag, struct store *st, const char *provider,
    int64_t until_ms, const char *reason)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_SET, &s)) != AG_OK)
		return rc;
	db_bind_text(s, 1, provider);
	sqlite3_bind_int64(s, 2, until_ms);
	db_bind_text(s, 3, reason);
	sqlite3_bind_int64(s, 4, db_now());
	return db_done(ag, st, s);
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
