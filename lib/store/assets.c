/* assets.c - the media library, one row per distinct file (sha256). */
#include "db.h"

static const char SQL_ADD[] =
	"INSERT INTO assets (sha256, path, kind, mime, bytes, duration,"
	" width, height, tags, content_id, created_at, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)"
	" ON CONFLICT (sha256) DO UPDATE SET path = ?2, kind = ?3, mime = ?4,"
	" bytes = ?5, duration = ?6, width = ?7, height = ?8,"
	" tags = CASE WHEN ?9 = '' THEN tags ELSE ?9 END,"
	" content_id = coalesce(?10, content_id), updated_at = ?11"
	" RETURNING id";
static const char SQL_LIST[] =
	"SELECT id, sha256, path, kind, mime, bytes, duration, width, height,"
	" tags, content_id, created_at FROM assets"
	" WHERE ?1 IS NULL OR kind = ?1 ORDER BY id";
static const char SQL_GET[] =
	"SELECT id, sha256, path, kind, mime, bytes, duration, width, height,"
	" tags, content_id, created_at FROM assets WHERE sha256 = ?1";

int
assets_add(struct agency *ag, struct store *st, const struct asset *a,
    int64_t *id)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_ADD, &s)) != AG_OK)
		return rc;
	db_bind_text(s, 1, a->sha256);
	db_bind_text(s, 2, a->path);
	db_bind_text(s, 3, a->kind);
	db_bind_text(s, 4, a->mime);
	sqlite3_bind_int64(s, 5, a->bytes);
	sqlite3_bind_double(s, 6, a->duration);
	sqlite3_bind_int(s, 7, a->width);
	sqlite3_bind_int(s, 8, a->height);
	db_bind_text(s, 9, a->tags ? a->tags : "");
	db_bind_text(s, 10, a->content_id);
	sqlite3_bind_int64(s, 11, db_now());
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && id != NULL)
		*id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? AG_OK : db_fail(ag, st, rc, "assets");
}

static int
rows(struct agency *ag, struct store *st, sqlite3_stmt *s, cJSON **out)
{
	return db_rows(ag, st, s, "assets", out);
}

int
assets_list(struct agency *ag, struct store *st, const char *kind,
    cJSON **out)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_LIST, &s)) != AG_OK)
		return rc;
	db_bind_text(s, 1, kind);
	return rows(ag, st, s, out);
}

int
assets_get(struct agency *ag, struct store *st, const char *sha256,
    cJSON **out)
{
	cJSON *arr = NULL;
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_GET, &s)) != AG_OK)
		return rc;
	db_bind_text(s, 1, sha256);
	if ((rc = rows(ag, st, s, &arr)) != AG_OK)
		return rc;
	if (cJSON_GetArraySize(arr) == 0) {
		cJSON_Delete(arr);
		return ag_fail(ag, AG_NOINPUT, "no asset %.12s", sha256);
	}
	*out = cJSON_DetachItemFromArray(arr, 0);
	cJSON_Delete(arr);
	return AG_OK;
}
