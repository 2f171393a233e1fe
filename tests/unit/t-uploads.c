/*
 * t-uploads - the publish journal (lib/store/uploads.c): one row per
 * (content, account), every save a compare-and-set, listings.
 */
#include <sys/wait.h>

#include "tap.h"

static int
count(void *arg, const struct upload_journal *j)
{
	(void)j;
	(*(int *)arg)++;
	return AG_OK;
}

static int
stop_at_first(void *arg, const struct upload_journal *j)
{
	(void)arg;
	(void)j;
	return AG_DATAERR;
}

int
main(void)
{
	struct agency ag;
	struct store *st;
	struct upload_journal *j = NULL, *k = NULL, *stale = NULL;
	struct upload_filter f;
	const char *const published[] = { "published", NULL };
	char path[300];
	cJSON *o;
	int n, rc;

	tap_tmpdir();
	tap_agency(&ag, "t-uploads");
	snprintf(path, sizeof(path), "%s/agency.db", tap_dir);
	rc = store_open(&ag, path, &st);
	is_int(rc, AG_OK, "the store opens (with the journal's step)");

	rc = uploads_get(&ag, st, "c_1", "dir:a", &j);
	is_int(rc, AG_NOINPUT, "no journal yet: AG_NOINPUT");
	ok(strstr(ag.err, "no upload of 'c_1' to 'dir:a'") != NULL,
	    "and says which");

	rc = uploads_open(&ag, st, "c_1", "dir:a", "dir", "agency-k1", &j);
	is_int(rc, AG_OK, "open creates it");
	is_str(j->state, "pending", "pending");
	is_str(j->idem_key, "agency-k1", "with its idempotency key");
	is_str(j->platform, "dir", "and platform");
	ok(cJSON_IsObject(j->extra), "extra is an object");
	ok(j->created_at > 0 && j->published_at == 0, "times");

	rc = uploads_open(&ag, st, "c_1", "dir:a", "dir", "other", &k);
	is_int(rc, AG_OK, "opening again finds the same row");
	is_int(k->id, j->id, "same id");
	is_str(k->idem_key, "agency-k1", "the first key stays");
	upload_journal_free(k);
	k = NULL;

	uploads_get(&ag, st, "c_1", "dir:a", &stale);
	upload_journal_set(&j->state, "uploading");
	upload_journal_set(&j->session, "https://x/session?id=1");
	j->sent = 1234;
	j->bytes = 9999;
	cJSON_AddNumberToObject(j->extra, "part_size", 5);
	rc = uploads_save(&ag, st, j);
	is_int(rc, AG_OK, "save");
	uploads_get(&ag, st, "c_1", "dir:a", &k);
	is_str(k->state, "uploading", "the state is saved");
	is_str(k->session, "https://x/session?id=1", "the session");
	is_int(k->sent, 1234, "the offset");
	is_int((long long)cJSON_GetNumberValue(cJSON_GetObjectItem(k->extra,
	    "part_size")), 5, "the platform's notes");
	is_int(k->rev, j->rev, "rev moved with the save");
	upload_journal_free(k);
	k = NULL;

	upload_journal_set(&stale->state, "published");
	rc = uploads_save(&ag, st, stale);
	is_int(rc, AG_TEMPFAIL, "a save from a stale copy is refused");
	ok(strstr(ag.err, "changed by another process") != NULL, "saying so");
	uploads_get(&ag, st, "c_1", "dir:a", &k);
	is_str(k->state, "uploading", "and wrote nothing");
	upload_journal_free(k);
	k = NULL;

	upload_journal_set(&j->session, j->session);	/* itself: no harm */
	is_str(j->session, "https://x/session?id=1", "set to itself");
	upload_journal_set(&j->state, "bogus");
	rc = uploads_save(&ag, st, j);
	is_int(rc, AG_DATAERR, "an unknown state is refused by the schema");
	upload_journal_set(&j->state, "published");
	upload_journal_set(&j->remote_id, "r1");
	j->published_at = 1796000000000LL;
	rc = uploads_save(&ag, st, j);
	is_int(rc, AG_OK, "published");

	uploads_open(&ag, st, "c_2", "dir:a", "dir", "agency-k2", &k);
	upload_journal_free(k);
	k = NULL;
	uploads_open(&ag, st, "c_1", "youtube:m", "youtube", "agency-k3", &k);
	upload_journal_free(k);
	k = NULL;

	memset(&f, 0, sizeof(f));
	n = 0;
	uploads_list(&ag, st, &f, count, &n);
	is_int(n, 3, "three journals");
	f.account = "dir:a";
	n = 0;
	uploads_list(&ag, st, &f, count, &n);
	is_int(n, 2, "two of dir:a");
	f.unfinished = 1;
	n = 0;
	uploads_list(&ag, st, &f, count, &n);
	is_int(n, 1, "one of them unfinished");
	memset(&f, 0, sizeof(f));
	f.states = published;
	n = 0;
	uploads_list(&ag, st, &f, count, &n);
	is_int(n, 1, "one published");
	memset(&f, 0, sizeof(f));
	rc = uploads_list(&ag, st, &f, stop_at_first, NULL);
	is_int(rc, AG_DATAERR, "a callback's status stops the walk");

	o = upload_journal_json(j);
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(o, "published_at")),
	    "2026-11-30T00:53:20Z", "the JSON form has RFC 3339 times");
	ok(cJSON_IsNull(cJSON_GetObjectItem(o, "error")), "null when unset");
	cJSON_Delete(o);

	rc = uploads_remove(&ag, st, j->id);
	is_int(rc, AG_OK, "remove");
	rc = uploads_remove(&ag, st, j->id);
	is_int(rc, AG_NOINPUT, "removing again: AG_NOINPUT");

	upload_journal_free(j);
	upload_journal_free(stale);
	upload_journal_free(NULL);
	store_close(st);
	ag_release(&ag);
	return done_testing();
}
