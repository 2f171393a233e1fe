/* content.c - scripts, EDLs and productions, by content id. */
#include "db.h"

static const char SQL_PUT[] =
	"INSERT INTO content (id, kind, title, doc, created_at, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?5)"
	" ON CONFLICT (id) DO UPDATE SET kind = ?2, title = ?3, doc = ?4,"
	" updated_at = ?5";
static const char SQL_GET[] = "SELECT doc FROM content WHERE id = ?1";

int
content_put(struct agency *ag, struct store *st, const char *id,
    const cJSON *doc)
{
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(doc, "kind");
	const cJSON *title = cJSON_GetObjectItemCaseSensitive(doc, "title");
	sqlite3_stmt *s;
	char *text;
	int rc;

	if (!cJSON_IsString(kind))
		return ag_fail(ag, AG_SOFTWARE, "content_put: no kind");
	if ((rc = db_stmt(ag, st, SQL_PUT, &s)) != AG_OK)
		return rc;
	text = cJSON_PrintUnformatted(doc);
	db_bind_text(s, 1, id);
	db_bind_text(s, 2, kind->valuestring);
	db_bind_text(s, 3, cJSON_IsString(title) ? title->valuestring : NULL);
	db_bind_text(s, 4, text);
	sqlite3_bind_int64(s, 5, db_now());
	rc = db_done(ag, st, s);
	cJSON_free(text);
	return rc;
}

int
content_get(struct agency *ag, struct store *st, const char *id,
    cJSON **out)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_GET, &s)) != AG_OK)
		return rc;
	db_bind_text(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*out = cJSON_Parse((const char *)sqlite3_column_text(s, 0));
		sqlite3_reset(s);
		return *out ? AG_OK : ag_fail(ag, AG_DATAERR, "content '%s': "
		    "stored document is not JSON", id);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return ag_fail(ag, AG_NOINPUT, "no content '%s'", id);
	return db_fail(ag, st, rc, "content");
}
