/*
 * t-schedule - the calendar in process: adding posts, the tick's handoff
 * to the queue, schedule_post_live() (the contract with agency-upload),
 * following upload jobs to posted / failed / cancelled, moves, removals,
 * pauses, missed posts and retries, series, slots, and ticks racing in
 * ten processes at once.
 */
#include <sys/wait.h>
#include <time.h>

#include "tap.h"

static struct agency ag;
static struct store *st;
static char prod[300];

static int64_t
utc(const char *s)
{
	time_t t;

	ag_time_parse(s, &t);
	return (int64_t)t;
}

/* Add a post; its id, or 0 (and the error said). */
static long long
add(const char *at, const char *tz, const char *to, const char *rrule,
    const char *caption)
{
	struct schedule_add a;
	const char *accounts[1] = { to }, *caps[1] = { caption };
	cJSON *docs = NULL;
	long long id = 0;

	memset(&a, 0, sizeof(a));
	a.production = prod;
	a.at = at;
	a.tz = tz;
	a.accounts = accounts;
	a.naccounts = 1;
	a.captions = caps;
	a.ncaptions = caption ? 1 : 0;
	a.rrule = rrule;
	if (schedule_add(&ag, &a, &docs) != AG_OK)
		printf("# add: %s\n", ag.err);
	else
		id = (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(
		    cJSON_GetArrayItem(docs, 0), "id"));
	cJSON_Delete(docs);
	return id;
}

/* A tick at time s (RFC 3339); its document's counter key. */
static int
tick(const char *at, const char *key)
{
	struct schedule_tick t;
	cJSON *doc = NULL;
	int n = -1;

	memset(&t, 0, sizeof(t));
	t.now = utc(at) * 1000;
	t.grace = -1;
	if (schedule_tick(&ag, &t, &doc) != AG_OK)
		printf("# tick: %s\n", ag.err);
	else
		n = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(doc, key));
	cJSON_Delete(doc);
	return n;
}

/* A field of post id, as text ("" if none). */
static const char *
field(long long id, const char *key)
{
	static char buf[4][512];
	static int k;
	cJSON *row = NULL;
	const cJSON *v;
	char *b = buf[k++ % 4];

	b[0] = '\0';
	if (posts_get(&ag, st, id, &row) != AG_OK) {
		ag_clear_error(&ag);
		return b;
	}
	v = cJSON_GetObjectItem(row, key);
	if (cJSON_IsString(v))
		snprintf(b, 512, "%s", v->valuestring);
	else if (cJSON_IsNumber(v))
		snprintf(b, 512, "%.0f", v->valuedouble);
	cJSON_Delete(row);
	return b;
}

static long long
job_of(long long id)
{
	return strtoll(field(id, "job_id"), NULL, 10);
}

/* schedule_post_live(): AG_OK as "live", else the reason. */
static const char *
live(long long id, long long rev)
{
	static char why[512];
	int rc = schedule_post_live(&ag, id, rev, why, sizeof(why));

	if (rc == AG_OK)
		return "live";
	if (rc != AG_FALSE)
		snprintf(why, sizeof(why), "error %d: %s", rc, ag.err);
	return why;
}

/* Run the only ready job as a runner would, ending it in state with
 * result. */
static long long
run_job(const char *state, const char *result, const char *error)
{
	struct job_claim c;
	struct job_end e;
	struct job *j = NULL;
	long long id;
	int ours;

	memset(&c, 0, sizeof(c));
	c.now = ag_now_ms() + 1000;
	c.lease_ms = 60000;
	c.runner = "test:1";
	c.host = "test";
	if (jobs_claim(&ag, st, &c, &j) != AG_OK || j == NULL) {
		printf("# no job to run: %s\n", ag.err);
		return 0;
	}
	memset(&e, 0, sizeof(e));
	e.id = j->id;
	e.attempt = j->attempt;
	e.now = ag_now_ms();
	e.outcome = strcmp(state, "done") == 0 ? "done" : "failed";
	e.state = state;
	e.run_at = e.now;
	e.failure = strcmp(state, "done") != 0;
	e.result = result;
	e.error = error;
	e.exit_code = strcmp(state, "done") == 0 ? 0 : 1;
	jobs_finish(&ag, st, &e, &ours);
	id = j->id;
	job_free(j);
	return id;
}

static const char *
job_state(long long job)
{
	static char buf[32];
	cJSON *doc = NULL;

	buf[0] = '\0';
	if (queue_show(&ag, job, 0, &doc) == AG_OK)
		snprintf(buf, sizeof(buf), "%s", cJSON_GetStringValue(
		    cJSON_GetObjectItem(doc, "state")));
	cJSON_Delete(doc);
	return buf;
}

static void
handoff(void)
{
	long long id, job;
	cJSON *doc = NULL, *in, *args;
	char *text;

	id = add("2027-03-15 09:00", "Europe/Berlin", "youtube:main", NULL,
	    "youtube:main=Three mistakes");
	ok(id > 0, "a post is added");
	is_str(field(id, "state"), "scheduled", "scheduled");
	is_str(field(id, "at"), "1805097600000", "at 08:00 UTC (09:00 CET)");
	is_str(field(id, "local"), "2027-03-15T09:00:00", "the wall time");
	is_str(live(id, 1), "scheduled", "not live before the tick");
	is_int(tick("2027-03-15T07:59:00Z", "queued"), 0, "a minute early: "
	    "nothing");
	is_int(tick("2027-03-15T08:00:30Z", "queued"), 1, "on time: queued");
	is_str(field(id, "state"), "queued", "the post is queued");
	job = job_of(id);
	ok(job > 0, "with its job");
	is_str(live(id, 1), "live", "live at revision 1");
	is_int(tick("2027-03-15T08:01:00Z", "queued"), 0, "a second tick "
	    "queues nothing");
	ok(queue_show(&ag, job, 1, &doc) == AG_OK, "the job");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(doc, "type")),
	    "upload", "of type upload");
	args = cJSON_GetObjectItem(doc, "args");
	text = cJSON_PrintUnformatted(args);
	is_str(text, "[\"--to\",\"youtube:main\",\"--schedule\",\"1:1\"]",
	    "its args");
	cJSON_free(text);
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(doc, "unique_key")),
	    "schedule:1:1:youtube:main", "one key per post and revision");
	in = cJSON_GetObjectItem(doc, "input");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(in, "kind")),
	    "agency.production", "its input is the production");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(
	    cJSON_GetObjectItem(in, "captions"), "youtube"), "description")),
	    "Three mistakes", "with the account's caption");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(
	    cJSON_GetObjectItem(in, "captions"), "youtube"), "title")),
	    "3 sourdough mistakes", "and the production's title");
	is_int((long long)cJSON_GetNumberValue(cJSON_GetObjectItem(
	    cJSON_GetObjectItem(in, "schedule"), "id")), id, "and the post");
	cJSON_Delete(doc);

	/* The upload publishes: the post follows. */
	is_int(run_job("done", "{\"kind\":\"agency.post\",\"version\":1,"
	    "\"platform\":\"youtube\",\"account\":\"youtube:main\","
	    "\"remote_id\":\"yt123\",\"url\":\"https://youtu.be/yt123\","
	    "\"state\":\"published\"}", NULL), job, "the runner ends the job");
	ok(schedule_sync(&ag, NULL) == AG_OK, "sync");
	is_str(field(id, "state"), "posted", "posted");
	is_str(field(id, "remote_id"), "yt123", "with the remote id");
	is_str(field(id, "url"), "https://youtu.be/yt123", "and the url");
	is_str(live(id, 1), "already posted", "a posted post is not live");
	ok(schedule_remove(&ag, id, 0, &doc) == AG_DATAERR &&
	    strstr(ag.err, "posted already") != NULL, "rm of a posted post: "
	    "%s", ag.err);
	ag_clear_error(&ag);
}

static void
removed_and_moved(void)
{
	long long a, b, job;
	cJSON *doc = NULL;
	const char *why;

	a = add("2027-04-01 10:00", "Europe/Berlin", "youtube:main", NULL,
	    NULL);
	is_int(tick("2027-04-01T08:00:10Z", "queued"), 1, "queued");
	job = job_of(a);
	is_str(live(a, 1), "live", "live");
	ok(schedule_remove(&ag, a, 0, &doc) == AG_OK, "rm after it was "
	    "queued");
	cJSON_Delete(doc);
	is_str(live(a, 1), "removed", "the queued job is refused: removed");
	is_str(job_state(job), "cancelled", "and cancelled in the queue");
	is_str(field(a, "state"), "cancelled", "the post is cancelled");
	is_str(live(99999, 1), "removed", "a post that never was: removed");

	b = add("2027-04-02 10:00", "Europe/Berlin", "youtube:main", NULL,
	    NULL);
	is_int(tick("2027-04-02T08:00:10Z", "queued"), 1, "queued");
	job = job_of(b);
	ok(schedule_move(&ag, b, "2027-04-03 10:00", NULL, &doc) == AG_OK,
	    "moved after it was queued");
	cJSON_Delete(doc);
	why = live(b, 1);
	is_str(why, "moved to 2027-04-03T10:00:00+02:00", "the old job is "
	    "refused: moved");
	is_str(job_state(job), "cancelled", "and cancelled");
	is_str(field(b, "revision"), "2", "revision 2");
	is_str(field(b, "state"), "scheduled", "scheduled again");
	is_int(tick("2027-04-03T08:00:10Z", "queued"), 1, "queued at the new "
	    "time");
	is_str(live(b, 2), "live", "revision 2 is live");
	is_str(live(b, 1), "changed: now at revision 2 and queued",
	    "revision 1 still is not");
	ok(job_of(b) != job, "a new job");
	is_int(run_job("dead", NULL, "youtube said 403: quota"), job_of(b),
	    "its job dies");
	ok(schedule_sync(&ag, NULL) == AG_OK, "sync");
	is_str(field(b, "state"), "failed", "the post failed");
	ok(strstr(field(b, "reason"), "youtube said 403: quota") != NULL,
	    "with the platform's message: %s", field(b, "reason"));
	ok(schedule_retry(&ag, b, &doc) == AG_OK, "retry");
	cJSON_Delete(doc);
	is_str(field(b, "state"), "queued", "queued again, at once");
	is_str(field(b, "revision"), "3", "as revision 3");
	is_int(run_job("done", "{\"kind\":\"agency.post\",\"version\":1,"
	    "\"state\":\"cancelled\",\"reason\":\"removed\"}", NULL),
	    job_of(b), "the upload calls it off");
	ok(schedule_sync(&ag, NULL) == AG_OK, "sync");
	is_str(field(b, "state"), "cancelled", "the post stays cancelled");
}

static void
accounts(void)
{
	long long a, b, c;
	cJSON *doc = NULL;
	long long n;

	a = add("2027-05-01 10:00", "UTC", "tiktok:brand", NULL, NULL);
	is_str(field(a, "state"), "blocked", "an account with no row: "
	    "blocked at once");
	ok(strstr(field(a, "reason"), "account 'tiktok:brand' is not "
	    "configured: agency-upload accounts add tiktok:brand") != NULL,
	    "with the reason: %s", field(a, "reason"));
	accounts_put(&ag, st, "tiktok:brand", NULL);
	ok(schedule_check(&ag, 400 * 86400.0, &doc) == AG_OK, "check: "
	    "nothing is wrong now");
	cJSON_Delete(doc);
	is_str(field(a, "state"), "scheduled", "check unblocked it");
	accounts_set_state(&ag, st, "tiktok:brand", "needs_reconnect",
	    "token revoked by the user");
	ok(schedule_check(&ag, 400 * 86400.0, &doc) == AG_FALSE &&
	    cJSON_GetArraySize(doc) == 1, "check reports the post ahead");
	cJSON_Delete(doc);
	is_str(field(a, "reason"), "account 'tiktok:brand' needs "
	    "reconnecting: token revoked by the user", "with the row's reason");
	is_int(tick("2027-05-01T10:00:00Z", "queued"), 0, "the tick does not "
	    "send it");
	is_str(field(a, "state"), "blocked", "still blocked");
	accounts_set_state(&ag, st, "tiktok:brand", "active", NULL);
	is_int(tick("2027-05-01T10:05:00Z", "queued"), 1, "fixed within the "
	    "grace: sent");

	/* Pause holds queued posts too. */
	b = add("2027-05-02 10:00", "UTC", "tiktok:brand", NULL, NULL);
	c = add("2027-05-09 10:00", "UTC", "tiktok:brand", NULL, NULL);
	is_int(tick("2027-05-02T10:00:00Z", "queued"), 1, "queued");
	ok(schedule_pause(&ag, "tiktok:brand", &n) == AG_OK && n == 3,
	    "pause holds 3 posts (2 queued, 1 scheduled)");
	ok(strncmp(live(b, 1), "paused", 6) == 0, "the queued one's job is "
	    "refused: %s", live(b, 1));
	is_str(field(c, "state"), "blocked", "the later one is blocked");
	is_int(tick("2027-05-09T10:00:00Z", "queued"), 0, "not sent while "
	    "paused");
	ok(schedule_resume(&ag, "tiktok:brand", &n) == AG_OK, "resume");
	is_int(tick("2027-05-09T10:01:00Z", "queued"), 1, "sent once resumed "
	    "(the other one is past the grace)");
	is_str(field(b, "state"), "missed", "the older one is missed, not "
	    "sent late");

	/* Pause of an account that is not set up makes a row and resume
	 * takes it away again. */
	ok(schedule_pause(&ag, "x:nobody", &n) == AG_OK, "pause x:nobody");
	ok(accounts_get(&ag, st, "x:nobody", &doc) == AG_OK, "a row for it");
	cJSON_Delete(doc);
	ok(schedule_resume(&ag, "x:nobody", &n) == AG_OK &&
	    accounts_get(&ag, st, "x:nobody", &doc) == AG_NOINPUT,
	    "resume removes the row it made");
	ag_clear_error(&ag);
}

static void
late(void)
{
	long long a;
	cJSON *doc = NULL;

	a = add("2027-06-01 10:00", "UTC", "youtube:main", NULL, NULL);
	is_int(tick("2027-06-01T10:14:00Z", "queued"), 1, "14 minutes late: "
	    "sent");
	a = add("2027-06-02 10:00", "UTC", "youtube:main", NULL, NULL);
	is_int(tick("2027-06-02T10:16:00Z", "missed"), 1, "16 minutes late: "
	    "missed");
	is_str(field(a, "state"), "missed", "the post is missed");
	ok(strstr(field(a, "reason"), "16m late") != NULL, "and says how "
	    "late: %s", field(a, "reason"));
	ok(schedule_retry(&ag, a, &doc) == AG_OK, "retry sends it");
	cJSON_Delete(doc);
	is_str(field(a, "state"), "queued", "queued");
	is_str(live(a, 2), "live", "live at its new revision");
}

static void
series(void)
{
	long long a, next;
	cJSON *doc = NULL;

	a = add("2027-03-22 09:00", "Europe/Berlin", "youtube:main",
	    "FREQ=WEEKLY;BYDAY=MO", NULL);
	is_int(tick("2027-03-22T08:00:00Z", "queued"), 1, "the first "
	    "occurrence");
	next = a + 1;
	is_str(field(next, "series"), field(a, "series"), "the next one is "
	    "in the series");
	is_str(field(next, "seq"), "2", "number 2");
	is_str(field(next, "at"), "1806303600000", "2027-03-29 07:00 UTC: "
	    "still 09:00 in Berlin, after the change");
	is_str(field(next, "local"), "2027-03-29T09:00:00", "its wall time");
	/* Three weeks of no ticks: one missed, the rest stepped over. */
	is_int(tick("2027-04-19T12:00:00Z", "missed"), 1, "missed once");
	ok(strstr(field(next, "reason"), "missed") != NULL, "29 March is "
	    "missed");
	is_str(field(next + 1, "local"), "2027-04-26T09:00:00", "the next one "
	    "is the first still ahead (5, 12 and 19 April were stepped over)");
	is_str(field(next + 1, "seq"), "6", "numbered as the rule counts");
	ok(schedule_remove(&ag, next + 1, 1, &doc) == AG_OK, "rm --skip");
	cJSON_Delete(doc);
	is_str(field(next + 2, "local"), "2027-05-03T09:00:00", "skipping "
	    "makes the next one");
	ok(schedule_remove(&ag, next + 2, 0, &doc) == AG_OK, "rm ends it");
	cJSON_Delete(doc);
	is_int(tick("2027-05-20T12:00:00Z", "queued"), 0, "nothing more");
	is_str(field(next + 3, "id"), "", "no row after it");
}

static void
slots(void)
{
	struct schedule_add a;
	const char *acct[1] = { "youtube:main" };
	cJSON *docs = NULL, *doc = NULL;
	char want[20][32], got[20][32];
	int i, n = 0, same = 1;
	const struct tz *z;
	struct slots s;
	int64_t taken[3], t;

	ok(slots_parse(&ag, "mon-fri 09:00,17:30; sat 11:00", &s) == AG_OK &&
	    s.ngroups == 2, "slots parse");
	ok(tz_load(&ag, "America/New_York", &z) == AG_OK, "zone");
	/* Saturday 2027-03-13 12:00 New York: next is Monday 09:00, which
	 * is after the change of 14 March (EDT). */
	t = slots_next(&s, z, utc("2027-03-13T17:00:00Z"), NULL, 0);
	is_int(t, utc("2027-03-15T13:00:00Z"), "across the change, 09:00 "
	    "stays 09:00 (13:00 UTC now)");
	taken[0] = t;
	t = slots_next(&s, z, utc("2027-03-13T17:00:00Z"), taken, 1);
	is_int(t, utc("2027-03-15T21:30:00Z"), "that one taken: 17:30");
	ok(slots_parse(&ag, "someday 25:00", &s) == AG_USAGE, "bad slots: %s",
	    ag.err);
	ag_clear_error(&ag);

	ok(schedule_slots_set(&ag, "youtube:main", "mon-fri 09:00,17:30",
	    "America/New_York", &doc) == AG_OK, "slots set");
	cJSON_Delete(doc);
	memset(&a, 0, sizeof(a));
	a.production = prod;
	a.accounts = acct;
	a.naccounts = 1;
	a.slot = 1;
	a.at = "2030-01-05T17:00:00Z";	/* a Saturday */
	for (i = 0; i < 11; i++) {
		if (schedule_add(&ag, &a, &docs) != AG_OK) {
			printf("# %s\n", ag.err);
			break;
		}
		snprintf(got[n++], 32, "%s", cJSON_GetStringValue(
		    cJSON_GetObjectItem(cJSON_GetArrayItem(docs, 0), "at")));
		cJSON_Delete(docs);
	}
	for (i = 0; i < 5; i++) {
		snprintf(want[2 * i], 32, "2030-01-%02dT09:00:00-05:00", 7 + i);
		snprintf(want[2 * i + 1], 32, "2030-01-%02dT17:30:00-05:00",
		    7 + i);
	}
	snprintf(want[10], 32, "2030-01-14T09:00:00-05:00");
	for (i = 0; i < 11; i++)
		if (i >= n || strcmp(got[i], want[i]) != 0) {
			printf("# slot %d: %s, expected %s\n", i,
			    i < n ? got[i] : "-", want[i]);
			same = 0;
		}
	ok(same && n == 11, "11 posts fill the week's 10 slots, then Monday");
}

static void
import(void)
{
	char csv[400], bad[400];
	cJSON *docs = NULL;
	FILE *f;
	int before = 0;
	struct post_filter pf;

	snprintf(csv, sizeof(csv), "%s/plan.csv", tap_dir);
	f = fopen(csv, "w");
	fprintf(f, "date,time,tz,production,accounts,caption\r\n"
	    "2031-01-05,09:00,Europe/Berlin,%s,\"youtube:main,tiktok:brand\","
	    "\"Hello, \"\"world\"\"\"\r\n"
	    "2031-01-06,18:30,,%s,youtube:main,\r\n", prod, prod);
	fclose(f);
	snprintf(bad, sizeof(bad), "%s/bad.csv", tap_dir);
	f = fopen(bad, "w");
	fprintf(f, "2031-02-05,09:00,Europe/Berlin,%s,youtube:main,ok\n"
	    "2031-02-31,09:00,Europe/Berlin,%s,youtube:main,bad date\n", prod,
	    prod);
	fclose(f);
	memset(&pf, 0, sizeof(pf));
	pf.from = utc("2031-01-01T00:00:00Z") * 1000;
	ok(schedule_import(&ag, bad, &docs) == AG_DATAERR, "a bad row fails "
	    "the import");
	ok(strstr(ag.err, "bad.csv:2: ") != NULL && strstr(ag.err,
	    "2031-02-31") != NULL, "naming its line: %s", ag.err);
	ag_clear_error(&ag);
	ok(posts_due(&ag, st, utc("2031-03-01T00:00:00Z") * 1000, 1000,
	    &docs) == AG_OK, "due");
	{
		cJSON *r;

		cJSON_ArrayForEach(r, docs)
			if (cJSON_GetNumberValue(cJSON_GetObjectItem(r,
			    "at")) >= (double)pf.from)
				before++;
	}
	cJSON_Delete(docs);
	is_int(before, 0, "and nothing was added, not even the good row");
	ok(schedule_import(&ag, csv, &docs) == AG_OK, "a good file imports");
	is_int(cJSON_GetArraySize(docs), 3, "3 posts (2 accounts + 1)");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(
	    docs, 0), "caption")), "Hello, \"world\"", "quotes and commas");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(
	    docs, 0), "at")), "2031-01-05T09:00:00+01:00", "in its zone");
	cJSON_Delete(docs);
}

/* Ten processes tick at once over n due posts. */
static void
race(int n)
{
	cJSON *docs = NULL;
	pid_t pids[10];
	long long first = 0, id;
	int i, status, good = 1;

	store_begin(&ag, st);
	for (i = 0; i < n; i++) {
		id = add("2032-01-01 10:00", "UTC", "youtube:main", NULL, NULL);
		if (first == 0)
			first = id;
	}
	store_commit(&ag, st);
	fflush(stdout);
	for (i = 0; i < 10; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			struct agency a2;
			struct schedule_tick t;
			cJSON *d = NULL;
			int rc;

			tap_agency(&a2, "t-schedule");
			memset(&t, 0, sizeof(t));
			t.now = utc("2032-01-01T10:01:00Z") * 1000;
			t.grace = -1;
			rc = schedule_tick(&a2, &t, &d);
			cJSON_Delete(d);
			_exit(rc);
		}
	}
	for (i = 0; i < 10; i++) {
		waitpid(pids[i], &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			good = 0;
	}
	ok(good, "ten ticks at once all succeed");
	{
		long long jobs = 0, queued = 0;
		cJSON *row;

		ok(posts_queued(&ag, st, &docs) == AG_OK, "queued posts");
		cJSON_ArrayForEach(row, docs)
			if (cJSON_GetNumberValue(cJSON_GetObjectItem(row,
			    "id")) >= (double)first)
				queued++;
		cJSON_Delete(docs);
		for (id = first; id < first + n; id++)
			if (job_of(id) > 0)
				jobs++;
		is_int(queued, n, "every post queued");
		is_int(jobs, n, "each with a job");
	}
	{
		/* One job per post: the jobs' keys are all different and
		 * there are exactly n of them for these posts. */
		long long k = 0;
		char key[64];
		cJSON *doc;

		for (id = first; id < first + n; id++) {
			snprintf(key, sizeof(key),
			    "schedule:%lld:1:youtube:main", id);
			if (queue_show(&ag, job_of(id), 0, &doc) == AG_OK) {
				if (strcmp(cJSON_GetStringValue(
				    cJSON_GetObjectItem(doc, "unique_key")),
				    key) == 0)
					k++;
				cJSON_Delete(doc);
			}
		}
		is_int(k, n, "each job is its post's");
	}
}

int
main(void)
{
	char video[300];
	FILE *f;

	tap_tmpdir();
	setenv("TZ", "Asia/Tokyo", 1);	/* must not matter */
	tap_agency(&ag, "t-schedule");
	snprintf(video, sizeof(video), "%s/v.mp4", tap_dir);
	f = fopen(video, "w");
	fclose(f);
	snprintf(prod, sizeof(prod), "%s/p.json", tap_dir);
	f = fopen(prod, "w");
	fprintf(f, "{\"kind\":\"agency.production\",\"version\":1,"
	    "\"id\":\"c_test\",\"video\":\"%s\",\"captions\":{\"youtube\":"
	    "{\"title\":\"3 sourdough mistakes\",\"description\":\"d\"}}}\n",
	    video);
	fclose(f);
	if (ag_store(&ag, &st) != AG_OK) {
		printf("# store: %s\n", ag.err);
		return 1;
	}
	accounts_put(&ag, st, "youtube:main", NULL);
	handoff();
	removed_and_moved();
	accounts();
	late();
	series();
	slots();
	import();
	race(2000);
	ag_release(&ag);
	return done_testing();
}
