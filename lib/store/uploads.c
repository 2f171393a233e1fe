/*
 * uploads.c - the publish journal (see store.h), one row per (content,
 * account).
 *
 * Every write is one UPDATE of the whole row guarded by rev, the row's
 * write count: a save that finds rev moved (another process saved
 * meanwhile) changes nothing and says so.  lib/platforms holds a file
 * lock while it drives a journal, so the guard only ever fires on a bug
 * or a second store user that ignores the lock; it is what makes "two
 * runs both published" impossible rather than unlikely.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"

#define COLUMNS \
	"id, content_id, account, platform, state, session, sent, bytes," \
	" media_id, idem_key, remote_id, url, error, file, fingerprint," \
	" post, schedule, extra, attempts, created_at, updated_at," \
	" publish_started_at, published_at, rev"

static const char SQL_INSERT[] =
	"INSERT INTO uploads (content_id, account, platform, idem_key,"
	" created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)"
	" ON CONFLICT (content_id, account) DO NOTHING";
static const char SQL_GET[] =
	"SELECT " COLUMNS " FROM uploads WHERE content_id = ?1"
	" AND account = ?2";
static const char SQL_LIST[] =
	"SELECT " COLUMNS " FROM uploads WHERE (?1 IS NULL OR account = ?1)"
	" AND (?2 IS NULL OR content_id = ?2)"
	" AND (?3 IS NULL OR state IN (SELECT value FROM json_each(?3)))"
	" AND (?4 = 0 OR state <> 'published')"
	" ORDER BY created_at, id";
static const char SQL_SAVE[] =
	"UPDATE uploads SET state = ?2, session = ?3, sent = ?4, bytes = ?5,"
	" media_id = ?6, idem_key = ?7, remote_id = ?8, url = ?9,"
	" error = ?10, file = ?11, fingerprint = ?12, post = ?13,"
	" schedule = ?14, extra = ?15, attempts = ?16, updated_at = ?17,"
	" publish_started_at = ?18, published_at = ?19, rev = rev + 1"
	" WHERE id = ?1 AND rev = ?20";
static const char SQL_REMOVE[] = "DELETE FROM uploads WHERE id = ?1";

void
upload_journal_free(struct upload_journal *j)
{
	if (j == NULL)
		return;
	free(j->content_id);
	free(j->account);
	free(j->platform);
	free(j->state);
	free(j->session);
	free(j->media_id);
	free(j->idem_key);
	free(j->remote_id);
	free(j->url);
	free(j->error);
	free(j->file);
	free(j->fingerprint);
	free(j->post);
	free(j->schedule);
	cJSON_Delete(j->extra);
	free(j);
}

void
upload_journal_set(char **field, const char *v)
{
	char *copy = xstrdup(v);	/* v may be *field itself */

	free(*field);
	*field = copy;
}

static char *
text(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t ? xstrdup((const char *)t) : NULL;
}

static struct upload_journal *
row(sqlite3_stmt *s)
{
	struct upload_journal *j = xcalloc(1, sizeof(*j));
	const unsigned char *ex;

	j->id = sqlite3_column_int64(s, 0);
	j->content_id = text(s, 1);
	j->account = text(s, 2);
	j->platform = text(s, 3);
	j->state = text(s, 4);
	j->session = text(s, 5);
	j->sent = sqlite3_column_int64(s, 6);
	j->bytes = sqlite3_column_int64(s, 7);
	j->media_id = text(s, 8);
	j->idem_key = text(s, 9);
	j->remote_id = text(s, 10);
	j->url = text(s, 11);
	j->error = text(s, 12);
	j->file = text(s, 13);
	j->fingerprint = text(s, 14);
	j->post = text(s, 15);
	j->schedule = text(s, 16);
	ex = sqlite3_column_text(s, 17);
	j->extra = ex ? cJSON_Parse((const char *)ex) : NULL;
	if (!cJSON_IsObject(j->extra)) {
		cJSON_Delete(j->extra);
		j->extra = cJSON_CreateObject();
	}
	j->attempts = sqlite3_column_int64(s, 18);
	j->created_at = sqlite3_column_int64(s, 19);
	j->updated_at = sqlite3_column_int64(s, 20);
	j->publish_started_at = sqlite3_column_int64(s, 21);
	j->published_at = sqlite3_column_int64(s, 22);
	j->rev = sqlite3_column_int64(s, 23);
	return j;
}

int
uploads_get(struct agency *ag, struct store *st, const char *content_id,
    const char *account, struct upload_journal **out)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_GET, &s)) != AG_OK)
		return rc;
	db_bind_text(s, 1, content_id);
	db_bind_text(s, 2, account);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = row(s);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return AG_OK;
	if (rc == SQLITE_DONE)
		return ag_fail(ag, AG_NOINPUT, "no upload of '%s' to '%s'",
		    content_id, account);
	return db_fail(ag, st, rc, "uploads");
}

int
uploads_open(struct agency *ag, struct store *st, const char *content_id,
    const char *account, const char *platform, const char *idem_key,
    struct upload_journal **out)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_INSERT, &s)) != AG_OK)
		return rc;
	db_bind_text(s, 1, content_id);
	db_bind_text(s, 2, account);
	db_bind_text(s, 3, platform);
	db_bind_text(s, 4, idem_key);
	sqlite3_bind_int64(s, 5, db_now());
	if ((rc = db_done(ag, st, s)) != AG_OK)
		return rc;
	return uploads_get(ag, st, content_id, account, out);
}

static void
bind_time(sqlite3_stmt *s, int i, int64_t v)
{
	if (v == 0)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_int64(s, i, v);
}

int
uploads_save(struct agency *ag, struct store *st, struct upload_journal *j)
{
	sqlite3_stmt *s;
	char *extra;
	int64_t now = db_now();
	int rc;

	if ((rc = db_stmt(ag, st, SQL_SAVE, &s)) != AG_OK)
		return rc;
	extra = cJSON_PrintUnformatted(j->extra);
	sqlite3_bind_int64(s, 1, j->id);
	db_bind_text(s, 2, j->state);
	db_bind_text(s, 3, j->session);
	sqlite3_bind_int64(s, 4, j->sent);
	sqlite3_bind_int64(s, 5, j->bytes);
	db_bind_text(s, 6, j->media_id);
	db_bind_text(s, 7, j->idem_key);
	db_bind_text(s, 8, j->remote_id);
	db_bind_text(s, 9, j->url);
	db_bind_text(s, 10, j->error);
	db_bind_text(s, 11, j->file);
	db_bind_text(s, 12, j->fingerprint);
	db_bind_text(s, 13, j->post);
	db_bind_text(s, 14, j->schedule);
	db_bind_text(s, 15, extra ? extra : "{}");
	sqlite3_bind_int64(s, 16, j->attempts);
	sqlite3_bind_int64(s, 17, now);
	bind_time(s, 18, j->publish_started_at);
	bind_time(s, 19, j->published_at);
	sqlite3_bind_int64(s, 20, j->rev);
	rc = db_done(ag, st, s);
	cJSON_free(extra);
	if (rc != AG_OK)
		return rc;
	if (sqlite3_changes(st->db) == 0)
		return ag_fail(ag, AG_TEMPFAIL, "the upload of '%s' to '%s' "
		    "was changed by another process; try again",
		    j->content_id, j->account);
	j->rev++;
	j->updated_at = now;
	return AG_OK;
}

int
uploads_remove(struct agency *ag, struct store *st, int64_t id)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_REMOVE, &s)) != AG_OK)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = db_done(ag, st, s)) != AG_OK)
		return rc;
	if (sqlite3_changes(st->db) == 0)
		return ag_fail(ag, AG_NOINPUT, "no upload journal %lld",
		    (long long)id);
	return AG_OK;
}

int
uploads_list(struct agency *ag, struct store *st,
    const struct upload_filter *f,
    int (*fn)(void *arg, const struct upload_journal *j), void *arg)
{
	struct upload_journal **v = NULL, *j;
	sqlite3_stmt *s;
	cJSON *states = NULL;
	char *stext = NULL;
	size_t n = 0, i;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_LIST, &s)) != AG_OK)
		return rc;
	if (f->states != NULL) {
		states = cJSON_CreateArray();
		for (i = 0; f->states[i] != NULL; i++)
			cJSON_AddItemToArray(states,
			    cJSON_CreateString(f->states[i]));
		stext = cJSON_PrintUnformatted(states);
	}
	db_bind_text(s, 1, f->account);
	db_bind_text(s, 2, f->content_id);
	db_bind_text(s, 3, stext);
	sqlite3_bind_int(s, 4, f->unfinished);
	/* Read them all first: fn may write to the store. */
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = xreallocarray(v, n + 1, sizeof(*v));
		v[n++] = row(s);
	}
	sqlite3_reset(s);
	cJSON_free(stext);
	cJSON_Delete(states);
	rc = rc == SQLITE_DONE ? AG_OK : db_fail(ag, st, rc, "uploads");
	for (i = 0; i < n; i++) {
		j = v[i];
		if (rc == AG_OK)
			rc = fn(arg, j);
		upload_journal_free(j);
	}
	free(v);
	return rc;
}

static void
add_str(cJSON *o, const char *k, const char *v)
{
	cJSON_AddItemToObject(o, k, v ? cJSON_CreateString(v) :
	    cJSON_CreateNull());
}

static void
add_time(cJSON *o, const char *k, int64_t ms)
{
	char b[AG_TIMEBUF];

	if (ms == 0)
		cJSON_AddNullToObject(o, k);
	else
		cJSON_AddStringToObject(o, k, ag_time_format(
		    (time_t)(ms / 1000), b));
}

cJSON *
upload_journal_json(const struct upload_journal *j)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "id", (double)j->id);
	add_str(o, "content_id", j->content_id);
	add_str(o, "account", j->account);
	add_str(o, "platform", j->platform);
	add_str(o, "state", j->state);
	cJSON_AddNumberToObject(o, "sent", (double)j->sent);
	cJSON_AddNumberToObject(o, "bytes", (double)j->bytes);
	add_str(o, "session", j->session);
	add_str(o, "media_id", j->media_id);
	add_str(o, "remote_id", j->remote_id);
	add_str(o, "url", j->url);
	add_str(o, "file", j->file);
	add_str(o, "schedule", j->schedule);
	add_str(o, "error", j->error);
	cJSON_AddNumberToObject(o, "attempts", (double)j->attempts);
	add_time(o, "created_at", j->created_at);
	add_time(o, "updated_at", j->updated_at);
	add_time(o, "publish_started_at", j->publish_started_at);
	add_time(o, "published_at", j->published_at);
	return o;
}
