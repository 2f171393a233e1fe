/* llm_cache.c - models' answers by request hash (agency-script --cache). */
#include <stdlib.h>

#include "db.h"

static const char SQL_PUT[] =
	"INSERT INTO llm_cache (key, provider, model, response, tokens_in,"
	" tokens_out, created_at, used_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
	" ?7, ?7) ON CONFLICT (key) DO UPDATE SET response = excluded.response,"
	" provider = excluded.provider, model = excluded.model,"
	" tokens_in = excluded.tokens_in, tokens_out = excluded.tokens_out,"
	" used_at = excluded.used_at";
static const char SQL_GET[] =
	"SELECT response, tokens_in, tokens_out FROM llm_cache WHERE key = ?1";
static const char SQL_HIT[] =
	"UPDATE llm_cache SET hits = hits + 1, used_at = ?2 WHERE key = ?1";

int
llm_cache_put(struct agency *ag, struct store *st, const char *key,
    const char *provider, const char *model, const char *text,
    int64_t tokens_in, int64_t tokens_out)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_PUT, &s)) != AG_OK)
		return rc;
	db_bind_text(s, 1, key);
	db_bind_text(s, 2, provider);
	db_bind_text(s, 3, model);
	db_bind_text(s, 4, text);
	sqlite3_bind_int64(s, 5, tokens_in);
	sqlite3_bind_int64(s, 6, tokens_out);
	sqlite3_bind_int64(s, 7, db_now());
	return db_done(ag, st, s);
}

int
llm_cache_get(struct agency *ag, struct store *st, const char *key,
    struct llm_cached *out)
{
	sqlite3_stmt *s;
	const unsigned char *t;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_GET, &s)) != AG_OK)
		return rc;
	db_bind_text(s, 1, key);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		t = sqlite3_column_text(s, 0);
		out->text = xstrdup(t ? (const char *)t : "");
		out->tokens_in = sqlite3_column_int64(s, 1);
		out->tokens_out = sqlite3_column_int64(s, 2);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return AG_FALSE;
	if (rc != SQLITE_ROW)
		return db_fail(ag, st, rc, "llm_cache");
	if ((rc = db_stmt(ag, st, SQL_HIT, &s)) != AG_OK) {
		free(out->text);
		out->text = NULL;
		return rc;
	}
	db_bind_text(s, 1, key);
	sqlite3_bind_int64(s, 2, db_now());
	if ((rc = db_done(ag, st, s)) != AG_OK) {
		free(out->text);
		out->text = NULL;
	}
	return rc;
}
