/* accounts.c - platform accounts by "platform:name"; never secrets. */
#include <stdlib.h>
#include <string.h>

#include "db.h"

static const char SQL_PUT[] =
	"INSERT INTO accounts (name, platform, settings, created_at,"
	" updated_at) VALUES (?1, ?2, ?3, ?4, ?4)"
	" ON CONFLICT (name) DO UPDATE SET settings = ?3, updated_at = ?4";
static const char SQL_GET[] =
	"SELECT name, platform, settings, state, reason, created_at,"
	" updated_at FROM accounts WHERE name = ?1";
static const char SQL_LIST[] =
	"SELECT name, platform, settings, state, reason, created_at,"
	" updated_at FROM accounts ORDER BY name";
static const char SQL_RM[] = "DELETE FROM accounts WHERE name = ?1";
static const char SQL_STATE[] =
	"UPDATE accounts SET state = ?2, reason = ?3, updated_at = ?4"
	" WHERE name = ?1";

int
accounts_check_name(struct agency *ag, const char *name)
{
	const char *c = strchr(name, ':');

	if (c == NULL || c == name || c[1] == '\0' || strchr(c + 1, ':'))
		return ag_fail(ag, AG_USAGE, "account '%s': expected "
		    "platform:name", name);
	return AG_OK;
}

static int
check_name(struct agency *ag, const char *name, size_t *colon)
{
	int rc = accounts_check_name(ag, name);

	if (rc == AG_OK)
		*colon = (size_t)(strchr(name, ':') - name);
	return rc;
}

int
accounts_put(struct agency *ag, struct store *st, const char *name,
    const cJSON *settings)
{
	sqlite3_stmt *s;
	size_t colon = 0;
	char *text, *platform;
	int rc;

	if ((rc = check_name(ag, name, &colon)) != AG_OK ||
	    (rc = db_stmt(ag, st, SQL_PUT, &s)) != AG_OK)
		return rc;
	platform = xstrndup(name, colon);
	text = settings ? cJSON_PrintUnformatted(settings) : NULL;
	db_bind_text(s, 1, name);
	db_bind_text(s, 2, platform);
	db_bind_text(s, 3, text ? text : "{}");
	sqlite3_bind_int64(s, 4, db_now());
	rc = db_done(ag, st, s);
	cJSON_free(text);
	free(platform);
	return rc;
}

/* A row with its settings parsed back into an object. */
static cJSON *
account_row(sqlite3_stmt *s)
{
	cJSON *row = db_row(s), *set;

	set = cJSON_Parse((const char *)sqlite3_column_text(s, 2));
	cJSON_ReplaceItemInObject(row, "settings", set ? set :
	    cJSON_CreateObject());
	return row;
}

int
accounts_get(struct agency *ag, struct store *st, const char *name,
    cJSON **out)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_GET, &s)) != AG_OK)
		return rc;
	db_bind_text(s, 1, name);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = account_row(s);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return AG_OK;
	if (rc == SQLITE_DONE)
		return ag_fail(ag, AG_NOINPUT, "no account '%s'", name);
	return db_fail(ag, st, rc, "accounts");
}

int
accounts_list(struct agency *ag, struct store *st, cJSON **out)
{
	cJSON *arr;
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_LIST, &s)) != AG_OK)
		return rc;
	arr = cJSON_CreateArray();
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		cJSON_AddItemToArray(arr, account_row(s));
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		cJSON_Delete(arr);
		return db_fail(ag, st, rc, "accounts");
	}
	*out = arr;
	return AG_OK;
}

int
accounts_remove(struct agency *ag, struct store *st, const char *name)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_RM, &s)) != AG_OK)
		return rc;
	db_bind_text(s, 1, name);
	if ((rc = db_done(ag, st, s)) != AG_OK)
		return rc;
	if (sqlite3_changes(st->db) == 0)
		return ag_fail(ag, AG_NOINPUT, "no account '%s'", name);
	return AG_OK;
}

int
accounts_set_state(struct agency *ag, struct store *st, const char *name,
    const char *state, const char *reason)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_STATE, &s)) != AG_OK)
		return rc;
	db_bind_text(s, 1, name);
	db_bind_text(s, 2, state);
	db_bind_text(s, 3, reason);
	sqlite3_bind_int64(s, 4, db_now());
	if ((rc = db_done(ag, st, s)) != AG_OK)
		return rc;
	if (sqlite3_changes(st->db) == 0)
		return ag_fail(ag, AG_NOINPUT, "no account '%s'", name);
	return AG_OK;
}
