/* t-store - the shared store: creation, migrations, entities, and many
 * writers at once. */
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "tap.h"

#define PROCS 8
#define WRITES 500

/* One writer process: WRITES calls, one transaction each. */
static int
writer(const char *path, int id)
{
	struct agency ag;
	struct store *st;
	struct llm_call c;
	char model[32];
	int i, rc;

	tap_agency(&ag, "t-store-writer");
	if ((rc = store_open(&ag, path, &st)) != AG_OK) {
		fprintf(stderr, "writer %d: %s\n", id, ag.err);
		return rc;
	}
	memset(&c, 0, sizeof(c));
	c.provider = "test";
	c.outcome = "ok";
	c.model = model;
	for (i = 0; i < WRITES; i++) {
		snprintf(model, sizeof(model), "w%d-%d", id, i);
		c.tokens_in = i;
		if ((rc = llm_calls_add(&ag, st, &c, NULL)) != AG_OK) {
			fprintf(stderr, "writer %d: %s\n", id, ag.err);
			break;
		}
	}
	store_close(st);
	ag_release(&ag);
	return rc;
}

static int
set_version(const char *path, int v)
{
	char sql[64];
	sqlite3 *db;
	int rc;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", v);
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

int
main(void)
{
	struct agency ag;
	struct store *st;
	struct stat sb;
	struct asset a;
	cJSON *doc, *got = NULL, *arr = NULL;
	char path[512], *s;
	const char *dir = tap_tmpdir();
	int64_t id = 0, id2 = 0, n = 0;
	pid_t pids[PROCS];
	int i, status, bad = 0;

	tap_agency(&ag, "t-store");
	snprintf(path, sizeof(path), "%s/data/agency/agency.db", dir);
	is_int(ag_store(&ag, &st), AG_OK, "the store opens on first use");
	is_str(store_path(st), path, "under XDG_DATA_HOME");
	ok(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600,
	    "created 0600 (%o)", sb.st_mode & 0777);
	snprintf(path, sizeof(path), "%s/data/agency", dir);
	ok(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0700,
	    "in a 0700 folder");
	is_int(store_version(st), store_latest_version(), "fully migrated");

	doc = ag_doc_new("agency.script");
	cJSON_AddStringToObject(doc, "title", "Sourdough");
	is_int(content_put(&ag, st, "c_1", doc), AG_OK, "content_put");
	cJSON_AddStringToObject(doc, "hook", "x");
	is_int(content_put(&ag, st, "c_1", doc), AG_OK, "again replaces");
	is_int(content_get(&ag, st, "c_1", &got), AG_OK, "content_get");
	s = cJSON_PrintUnformatted(got);
	is_str(s, "{\"kind\":\"agency.script\",\"version\":1,\"title\":"
	    "\"Sourdough\",\"hook\":\"x\"}", "the document comes back");
	cJSON_free(s);
	cJSON_Delete(got);
	cJSON_Delete(doc);
	is_int(content_get(&ag, st, "c_2", &got), AG_NOINPUT, "absent");

	memset(&a, 0, sizeof(a));
	a.sha256 = "ab12";
	a.path = "/m/a.jpg";
	a.kind = "image";
	a.tags = "bread oven";
	a.width = 1080;
	is_int(assets_add(&ag, st, &a, &id), AG_OK, "assets_add");
	a.path = "/m/moved.jpg";
	a.tags = "";
	is_int(assets_add(&ag, st, &a, &id2), AG_OK, "the same hash again");
	ok(id == id2 && id > 0, "is the same asset");
	assets_get(&ag, st, "ab12", &got);
	is_str(cJSON_GetObjectItem(got, "path")->valuestring, "/m/moved.jpg",
	    "with the new path");
	is_str(cJSON_GetObjectItem(got, "tags")->valuestring, "bread oven",
	    "and its tags kept");
	cJSON_Delete(got);
	a.sha256 = "cd34";
	a.kind = "video";
	assets_add(&ag, st, &a, NULL);
	assets_list(&ag, st, "video", &arr);
	is_int(cJSON_GetArraySize(arr), 1, "list by kind");
	cJSON_Delete(arr);

	is_int(accounts_put(&ag, st, "youtube", NULL), AG_USAGE,
	    "account names are platform:name");
	doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "channel", "UC1");
	is_int(accounts_put(&ag, st, "youtube:main", doc), AG_OK,
	    "accounts_put");
	cJSON_Delete(doc);
	accounts_get(&ag, st, "youtube:main", &got);
	is_str(cJSON_GetObjectItem(got, "platform")->valuestring, "youtube",
	    "the platform is derived");
	is_str(cJSON_GetObjectItem(cJSON_GetObjectItem(got, "settings"),
	    "channel")->valuestring, "UC1", "settings come back as JSON");
	cJSON_Delete(got);
	is_int(accounts_set_state(&ag, st, "youtube:main", "needs_reconnect",
	    "refresh token revoked"), AG_OK, "state changes");
	is_int(accounts_set_state(&ag, st, "youtube:main", "broken", NULL),
	    AG_DATAERR, "only to known states");
	is_int(accounts_remove(&ag, st, "youtube:main"), AG_OK, "remove");
	is_int(accounts_remove(&ag, st, "youtube:main"), AG_NOINPUT,
	    "twice is an error");

	/* Secrets never reach the store. */
	{
		struct llm_call c;

		memset(&c, 0, sizeof(c));
		c.provider = "gemini";
		c.request = "POST https://x/v1?key=AIzaSECRET\n"
		    "x-goog-api-key: AIzaSECRET";
		c.response = "{\"access_token\":\"tok-123\"}";
		c.outcome = "ok";
		llm_calls_add(&ag, st, &c, NULL);
		llm_calls_list(&ag, st, 1, &arr);
		s = cJSON_PrintUnformatted(arr);
		ok(strstr(s, "SECRET") == NULL && strstr(s, "tok-123") == NULL,
		    "llm_calls rows are redacted");
		cJSON_free(s);
		cJSON_Delete(arr);
	}

	is_int(store_begin(&ag, st), AG_OK, "begin");
	doc = ag_doc_new("agency.edl");
	content_put(&ag, st, "c_tx", doc);
	cJSON_Delete(doc);
	store_rollback(st);
	is_int(content_get(&ag, st, "c_tx", &got), AG_NOINPUT,
	    "a rolled-back write is gone");
	ag_release(&ag);

	/* Reopening is idempotent; a newer store is refused. */
	tap_agency(&ag, "t-store");
	is_int(ag_store(&ag, &st), AG_OK, "reopens");
	is_int(store_version(st), store_latest_version(), "same version");
	snprintf(path, sizeof(path), "%s", store_path(st));
	ag_release(&ag);
	set_version(path, 999);
	tap_agency(&ag, "t-store");
	is_int(ag_store(&ag, &st), AG_CONFIG, "a newer store is refused");
	ok(strstr(ag.err, "newer than this program") != NULL, "%s", ag.err);
	ag_release(&ag);

	/* 8 processes x 500 writes on a brand-new file, all at once. */
	snprintf(path, sizeof(path), "%s/busy.db", dir);
	fflush(stdout);
	for (i = 0; i < PROCS; i++)
		if ((pids[i] = fork()) == 0)
			_exit(writer(path, i));
	for (i = 0; i < PROCS; i++) {
		waitpid(pids[i], &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			bad++;
	}
	is_int(bad, 0, "%d writers all succeeded (none saw \"database is "
	    "locked\")", PROCS);
	tap_agency(&ag, "t-store");
	store_open(&ag, path, &st);
	llm_calls_count(&ag, st, &n);
	is_int(n, PROCS * WRITES, "every row is there");
	is_int(store_version(st), store_latest_version(),
	    "migrated once despite the race");
	store_close(st);
	ag_release(&ag);
	return done_testing();
}
