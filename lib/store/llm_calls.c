/* llm_calls.c - the log of requests to language models. */
#include <stdlib.h>

#include "db.h"

static const char SQL_ADD[] =
	"INSERT INTO llm_calls (provider, model, prompt_hash, request,"
	" response, tokens_in, tokens_out, cost, latency_ms, outcome, error,"
	" created_at, run_id, purpose, status) VALUES (?1, ?2, ?3, ?4, ?5,"
	" ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
static const char SQL_LIST[] =
	"SELECT id, run_id, purpose, provider, model, prompt_hash, status,"
	" tokens_in, tokens_out, cost, latency_ms, outcome, error, created_at"
	" FROM llm_calls ORDER BY id DESC LIMIT ?1";
static const char SQL_COUNT[] = "SELECT count(*) FROM llm_calls";

/* Bind a redacted copy: secrets must never reach the store. */
static void
bind_redacted(sqlite3_stmt *s, int i, const char *text)
{
	char *r = text ? ag_redact(text) : NULL;

	db_bind_text(s, i, r);
	free(r);
}

int
llm_calls_add(struct agency *ag, struct store *st, const struct llm_call *c,
    int64_t *id)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_ADD, &s)) != AG_OK)
		return rc;
	db_bind_text(s, 1, c->provider);
	db_bind_text(s, 2, c->model);
	db_bind_text(s, 3, c->prompt_hash);
	bind_redacted(s, 4, c->request);
	bind_redacted(s, 5, c->response);
	sqlite3_bind_int64(s, 6, c->tokens_in);
	sqlite3_bind_int64(s, 7, c->tokens_out);
	sqlite3_bind_double(s, 8, c->cost);
	sqlite3_bind_int64(s, 9, c->latency_ms);
	db_bind_text(s, 10, c->outcome ? c->outcome : "ok");
	bind_redacted(s, 11, c->error);
	sqlite3_bind_int64(s, 12, db_now());
	db_bind_text(s, 13, c->run_id);
	db_bind_text(s, 14, c->purpose);
	sqlite3_bind_int64(s, 15, c->status);
	if ((rc = db_done(ag, st, s)) != AG_OK)
		return rc;
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(st->db);
	return AG_OK;
}

int
llm_calls_list(struct agency *ag, struct store *st, int n, cJSON **out)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_LIST, &s)) != AG_OK)
		return rc;
	sqlite3_bind_int(s, 1, n);
	return db_rows(ag, st, s, "llm_calls", out);
}

int
llm_calls_count(struct agency *ag, struct store *st, int64_t *out)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_COUNT, &s)) != AG_OK)
		return rc;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? AG_OK : db_fail(ag, st, rc, "llm_calls");
}
