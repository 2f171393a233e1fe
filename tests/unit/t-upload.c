/*
 * t-upload - the engine (lib/platforms/upload.c) on the dir target: the
 * schedule guard at its two points, one agency.post per target, a dry
 * run that writes nothing, the journal on a re-run and after a crash
 * in "publishing", and the worst status of a batch.
 */
#include <sys/stat.h>

#include "tap.h"

static cJSON *posts;			/* every post emitted */
static char video[300];

static int
emit(struct agency *ag, void *arg, const cJSON *post)
{
	(void)ag;
	(void)arg;
	cJSON_AddItemToArray(posts, cJSON_Duplicate(post, 1));
	return AG_OK;
}

static int requests;

static void
on_request(void *arg, const char *text)
{
	(void)arg;
	(void)text;
	requests++;
}

/* The guard: says no at the stage *arg names (-1: never); counts. */
static int guard_calls[2];

static int
guard(struct agency *ag, void *arg, const char *schedule, const char *account,
    enum upload_stage stage, char *why, size_t len)
{
	int no = *(int *)arg;

	(void)ag;
	(void)account;
	guard_calls[stage]++;
	if (strcmp(schedule, "7:2") != 0)
		return ag_fail(ag, AG_SOFTWARE, "wrong schedule '%s'",
		    schedule);
	if (no == 2)
		return ag_fail(ag, AG_TEMPFAIL, "the calendar is busy");
	if ((int)stage == no) {
		snprintf(why, len, "moved to another time");
		return AG_FALSE;
	}
	return AG_OK;
}

static const char *
last(const char *key)
{
	cJSON *p = cJSON_GetArrayItem(posts, cJSON_GetArraySize(posts) - 1);

	return cJSON_GetStringValue(cJSON_GetObjectItem(p, key));
}

static cJSON *
production(const char *id)
{
	cJSON *d = ag_doc_new("agency.production");

	cJSON_AddStringToObject(d, "id", id);
	cJSON_AddStringToObject(d, "video", video);
	return d;
}

static int
exists(const char *fmt, const char *a)
{
	char p[512];
	struct stat sb;

	snprintf(p, sizeof(p), fmt, tap_dir, a);
	return stat(p, &sb) == 0;
}

static const char *
state_of(struct agency *ag, const char *id, const char *acct)
{
	static char s[32];
	struct upload_journal *j;
	struct store *st;

	s[0] = '\0';
	if (ag_store(ag, &st) == AG_OK && uploads_get(ag, st, id, acct, &j) ==
	    AG_OK) {
		snprintf(s, sizeof(s), "%s", j->state);
		upload_journal_free(j);
	}
	ag_clear_error(ag);
	return s;
}

int
main(void)
{
	struct agency ag;
	struct upload_args a;
	struct upload_journal *j;
	struct store *st;
	const char *to[] = { "dir:arch", NULL };
	const char *two[] = { "dir:arch", "nosuch:x", "dir:other", NULL };
	char cmd[600];
	cJSON *doc;
	int rc, no;

	tap_tmpdir();
	tap_agency(&ag, "t-upload");
	snprintf(video, sizeof(video), "%s/v.mp4", tap_dir);
	snprintf(cmd, sizeof(cmd), "ffmpeg -nostdin -v error -f lavfi -i "
	    "testsrc=size=160x120:rate=10 -t 1 -c:v libx264 -preset "
	    "ultrafast -pix_fmt yuv420p -movflags +faststart -use_editlist 0 "
	    "'%s'", video);
	ok(system(cmd) == 0, "a test video (ffmpeg)");
	posts = cJSON_CreateArray();

	memset(&a, 0, sizeof(a));
	a.to = to;
	a.made_for_kids = -1;
	a.emit = emit;
	a.schedule = "7:2";
	a.schedule_live = guard;
	a.schedule_arg = &no;

	/* The guard says no before any byte. */
	no = UPLOAD_BEFORE_UPLOAD;
	doc = production("c_1");
	a.production = doc;
	rc = upload_run(&ag, &a);
	is_int(rc, AG_OK, "a cancelled post is status 0");
	is_str(last("state"), "cancelled", "its agency.post says cancelled");
	is_str(last("reason"), "moved to another time", "and why");
	is_int(guard_calls[UPLOAD_BEFORE_UPLOAD], 1, "asked before uploading");
	is_int(guard_calls[UPLOAD_BEFORE_PUBLISH], 0, "and no further");
	is_str(state_of(&ag, "c_1", "dir:arch"), "", "no journal was made");
	ok(!exists("%s/data/agency/published/arch/%s", "c_1"),
	    "nothing was published");

	/* The guard says no just before publishing. */
	no = UPLOAD_BEFORE_PUBLISH;
	rc = upload_run(&ag, &a);
	is_int(rc, AG_OK, "cancelled before publishing: status 0");
	is_str(last("state"), "cancelled", "cancelled");
	is_int(guard_calls[UPLOAD_BEFORE_PUBLISH], 1,
	    "asked before publishing");
	is_str(state_of(&ag, "c_1", "dir:arch"), "uploaded",
	    "the journal stays uploaded, for a later run");
	ok(!exists("%s/data/agency/published/arch/%s", "c_1"),
	    "and nothing is published");

	/* A guard that fails is an error, not a publish. */
	no = 2;
	rc = upload_run(&ag, &a);
	is_int(rc, AG_TEMPFAIL, "the guard's own error is returned");
	is_str(last("state"), "retry", "as a post to retry");
	ok(!exists("%s/data/agency/published/arch/%s", "c_1"),
	    "and nothing is published");

	/* Now live: published, once. */
	no = -1;
	rc = upload_run(&ag, &a);
	is_int(rc, AG_OK, "live: published");
	is_str(last("state"), "published", "published");
	is_str(last("schedule"), "7:2", "the post names its calendar entry");
	ok(exists("%s/data/agency/published/arch/%s/v.mp4", "c_1"),
	    "the video is in the folder");
	rc = upload_run(&ag, &a);
	is_int(rc, AG_OK, "again: status 0");
	ok(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(posts,
	    cJSON_GetArraySize(posts) - 1), "existing")),
	    "the existing post is printed");
	cJSON_Delete(doc);

	/* A crash after the rename, before the journal said so. */
	doc = production("c_2");
	a.production = doc;
	a.schedule = NULL;
	rc = upload_run(&ag, &a);
	ag_store(&ag, &st);
	uploads_get(&ag, st, "c_2", "dir:arch", &j);
	upload_journal_set(&j->state, "publishing");
	upload_journal_set(&j->remote_id, NULL);
	j->published_at = 0;
	uploads_save(&ag, st, j);
	upload_journal_free(j);
	rc = upload_run(&ag, &a);
	is_int(rc, AG_OK, "a journal left publishing, its post there: fine");
	is_str(last("state"), "published", "recorded as published");
	is_str(state_of(&ag, "c_2", "dir:arch"), "published",
	    "the journal says so now");
	cJSON_Delete(doc);

	/* A dry run writes nothing. */
	doc = production("c_3");
	a.production = doc;
	a.dry_run = 1;
	a.on_request = on_request;
	rc = upload_run(&ag, &a);
	is_int(rc, AG_OK, "a dry run");
	is_str(last("state"), "planned", "plans a post");
	ok(requests > 0, "and describes what it would do");
	is_str(state_of(&ag, "c_3", "dir:arch"), "", "no journal");
	ok(!exists("%s/data/agency/published/arch/%s", "c_3"),
	    "no folder");
	a.dry_run = 0;

	/* A batch goes on past a failure; the worst status wins. */
	a.to = two;
	cJSON_Delete(posts);
	posts = cJSON_CreateArray();
	rc = upload_run(&ag, &a);
	is_int(rc, AG_CONFIG, "an unknown platform in a batch: 78");
	is_int(cJSON_GetArraySize(posts), 3, "a post for every target");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(
	    posts, 1), "state")), "failed", "the bad one failed");
	is_str(last("state"), "published", "the one after it published");
	ok(strstr(ag.err, "1 of 3 targets failed") != NULL, "the summary");
	cJSON_Delete(doc);

	/* Bad documents. */
	doc = ag_doc_new("agency.production");
	a.production = doc;
	a.to = to;
	rc = upload_run(&ag, &a);
	is_int(rc, AG_DATAERR, "a production without id and video: 65");
	ok(strstr(ag.err, "$.id") != NULL, "naming the member");
	cJSON_AddStringToObject(doc, "id", "c_4");
	cJSON_AddStringToObject(doc, "video", "/nonexistent.mp4");
	rc = upload_run(&ag, &a);
	is_int(rc, AG_NOINPUT, "a missing video: 66");
	cJSON_Delete(doc);

	cJSON_Delete(posts);
	ag_release(&ag);
	return done_testing();
}
