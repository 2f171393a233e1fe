/*
 * tick.c - handing due posts to the queue, exactly once; following their
 * upload jobs; the checks agency-upload makes before it publishes.
 *
 * The handoff protocol.  A tick takes the store's write lock (BEGIN
 * IMMEDIATE, store_begin), reads up to BATCH due posts, and for each one,
 * in that same transaction: adds its upload job through lib/queue
 * (queue_add, with a unique key per post and revision), marks the post
 * queued with the job's id (a compare-and-set on its state and revision),
 * and, for a recurring post, adds the row of the next occurrence (unique
 * per series and number).  Then it commits and takes the next batch.  So
 * a post is either still scheduled with no job, or queued with exactly one
 * job: a tick killed at any moment leaves one or the other (SQLite rolls
 * back the open transaction), and ticks running at once take turns at the
 * lock, each seeing what the one before committed.  The read-then-write
 * race that posts twice (mixpost's, measured in ../shared/reference/
 * queue.md 5.3) cannot happen: the read and the write are one transaction
 * that holds the lock throughout.  Batches keep each transaction short,
 * so runners waiting for the store are never held up for long.
 *
 * Lateness.  A post more than the grace (schedule.grace, --grace) past its
 * time when a tick first sees it is not sent late without a word: it is
 * missed, said on stderr, and "agency-schedule retry" sends it.  A post
 * whose account cannot post (not set up, needs reconnecting, paused) is
 * blocked with the reason; at its time the tick looks again, and sends it
 * if the account was fixed within the grace.
 *
 * Following the jobs.  A queued post has one upload job.  When that job
 * has ended, schedule_sync() (run by every tick and listing) reads it
 * through lib/queue and moves the post to posted, failed or cancelled,
 * again by compare-and-set on (state, job), so it never undoes a move or
 * an "rm" that came in between.
 */
#include <stdlib.h>
#include <string.h>

#include "schedule/internal.h"

#define BATCH 500

/* ------------------------------------------------------------------ */
/* Accounts. */

int
schedule_account_ok(struct agency *ag, const char *account, char *why,
    size_t len)
{
	struct store *st;
	const char *state, *reason;
	cJSON *row = NULL;
	int rc;

	if ((rc = ag_store(ag, &st)) != AG_OK)
		return rc;
	rc = accounts_get(ag, st, account, &row);
	if (rc == AG_NOINPUT) {
		ag_clear_error(ag);
		snprintf(why, len, "account '%s' is not configured: "
		    "agency-upload accounts add %s", account, account);
		return AG_FALSE;
	}
	if (rc != AG_OK)
		return rc;
	state = sched_str(row, "state");
	reason = sched_str(row, "reason");
	rc = AG_FALSE;
	if (strcmp(state, "needs_reconnect") == 0)
		snprintf(why, len, "account '%s' needs reconnecting: %s",
		    account, reason ? reason : "agency-upload accounts add");
	else if (strcmp(state, "paused") == 0)
		snprintf(why, len, "account '%s' is paused: agency-schedule "
		    "resume %s", account, account);
	else
		rc = AG_OK;
	cJSON_Delete(row);
	return rc;
}

/* The answers for the accounts a tick has asked about. */
struct acct {
	char *name;
	int rc;
	char why[512];
};

struct tick {
	struct agency *ag;
	struct store *st;
	int64_t now;			/* s */
	int64_t now_ms;
	double grace;
	struct acct *accts;
	size_t naccts;
	struct {
		char *id;
		cJSON *doc;
	} *prods;
	size_t nprods;
	int64_t queued, missed, blocked;
};

static int
account(struct tick *t, const char *name, const char **why)
{
	struct acct *a;
	size_t i;

	for (i = 0; i < t->naccts; i++)
		if (strcmp(t->accts[i].name, name) == 0) {
			*why = t->accts[i].why;
			return t->accts[i].rc;
		}
	t->accts = xreallocarray(t->accts, t->naccts + 1, sizeof(*t->accts));
	a = &t->accts[t->naccts];
	a->name = xstrdup(name);
	a->why[0] = '\0';
	a->rc = schedule_account_ok(t->ag, name, a->why, sizeof(a->why));
	if (a->rc != AG_OK && a->rc != AG_FALSE) {
		free(a->name);
		return a->rc;
	}
	t->naccts++;
	*why = a->why;
	return a->rc;
}

static int
production(struct tick *t, const char *id, const cJSON **doc)
{
	cJSON *d;
	size_t i;
	int rc;

	for (i = 0; i < t->nprods; i++)
		if (strcmp(t->prods[i].id, id) == 0) {
			*doc = t->prods[i].doc;
			return AG_OK;
		}
	if ((rc = content_get(t->ag, t->st, id, &d)) != AG_OK)
		return rc;
	t->prods = xreallocarray(t->prods, t->nprods + 1, sizeof(*t->prods));
	t->prods[t->nprods].id = xstrdup(id);
	t->prods[t->nprods++].doc = d;
	*doc = d;
	return AG_OK;
}

static void
tick_release(struct tick *t)
{
	size_t i;

	for (i = 0; i < t->naccts; i++)
		free(t->accts[i].name);
	free(t->accts);
	for (i = 0; i < t->nprods; i++) {
		free(t->prods[i].id);
		cJSON_Delete(t->prods[i].doc);
	}
	free(t->prods);
}

/* ------------------------------------------------------------------ */
/* The handoff. */

/* The job's input: the production, with the post's caption for its
 * platform and where it comes from. */
static char *
job_input(struct agency *ag, const cJSON *row, const cJSON *prod)
{
	cJSON *in = cJSON_Duplicate(prod, 1), *caps, *pc, *sched;
	const char *account = sched_str(row, "account");
	const char *caption = sched_str(row, "caption");
	char platform[64], buf[AG_TIMEBUF], *text;

	snprintf(platform, sizeof(platform), "%.*s",
	    (int)strcspn(account, ":"), account);
	if (caption != NULL) {
		caps = cJSON_GetObjectItemCaseSensitive(in, "captions");
		if (!cJSON_IsObject(caps)) {
			cJSON_DeleteItemFromObjectCaseSensitive(in, "captions");
			caps = cJSON_AddObjectToObject(in, "captions");
		}
		pc = cJSON_GetObjectItemCaseSensitive(caps, platform);
		if (!cJSON_IsObject(pc)) {
			cJSON_DeleteItemFromObjectCaseSensitive(caps, platform);
			pc = cJSON_AddObjectToObject(caps, platform);
		}
		cJSON_DeleteItemFromObjectCaseSensitive(pc, "description");
		cJSON_AddStringToObject(pc, "description", caption);
	}
	cJSON_DeleteItemFromObjectCaseSensitive(in, "schedule");
	sched = cJSON_AddObjectToObject(in, "schedule");
	cJSON_AddNumberToObject(sched, "id", (double)sched_int(row, "id"));
	cJSON_AddNumberToObject(sched, "revision", (double)sched_int(row,
	    "revision"));
	cJSON_AddStringToObject(sched, "account", account);
	cJSON_AddStringToObject(sched, "at", tz_format(sched_row_tz(ag, row),
	    sched_int(row, "at") / 1000, buf));
	text = cJSON_PrintUnformatted(in);
	cJSON_Delete(in);
	return text;
}

int
sched_handoff(struct agency *ag, struct store *st, const cJSON *row,
    const cJSON *prod, const char *from, int64_t now, int64_t *job)
{
	long long id = sched_int(row, "id"), rev = sched_int(row, "revision");
	const char *account = sched_str(row, "account");
	const char *args[4];
	struct queue_job j;
	char idrev[48], *input, *key;
	int existed, rc;

	snprintf(idrev, sizeof(idrev), "%lld:%lld", id, rev);
	args[0] = "--to";
	args[1] = account;
	args[2] = "--schedule";
	args[3] = idrev;
	input = job_input(ag, row, prod);
	key = xasprintf("schedule:%lld:%lld:%s", id, rev, account);
	memset(&j, 0, sizeof(j));
	j.type = config_str(ag, "schedule.tool");
	if (j.type == NULL || *j.type == '\0')
		j.type = "upload";
	j.args = args;
	j.nargs = 4;
	j.input = input;
	j.unique_key = key;
	rc = queue_add(ag, &j, job, &existed);
	if (rc == AG_OK)
		rc = posts_set_queued(ag, st, id, rev, from, *job, now);
	cJSON_free(input);
	free(key);
	return rc;
}

int
sched_next_row(struct agency *ag, struct store *st, const cJSON *row,
    int64_t now, double grace, int64_t *skipped, int64_t *id)
{
	const struct tz *z = sched_row_tz(ag, row);
	struct post_new p;
	struct rrule r;
	int64_t start, after, seq = sched_int(row, "seq"), next, t = 0, k = 0;
	char local[20], occ[20];
	int rc;

	if (skipped != NULL)
		*skipped = 0;
	if (sched_str(row, "rrule") == NULL)
		return AG_FALSE;
	if ((rc = rrule_parse(ag, sched_str(row, "rrule"), &r)) != AG_OK)
		return rc;
	if (cal_parse(sched_str(row, "dtstart"), &start) == -1 ||
	    cal_parse(sched_str(row, "occurrence"), &after) == -1)
		return ag_fail(ag, AG_DATAERR, "post %lld: its series has no "
		    "start time", (long long)sched_int(row, "id"));
	for (;;) {
		if (rrule_next(&r, z, start, after, seq, &next, &seq) != AG_OK)
			return AG_FALSE;
		t = tz_instant(z, next, NULL);
		after = next;
		/* Occurrences already past the grace would only be missed
		 * one after another: step over them, and count them. */
		if ((double)(now - t) <= grace)
			break;
		k++;
	}
	if (skipped != NULL)
		*skipped = k;
	memset(&p, 0, sizeof(p));
	p.content_id = sched_str(row, "content_id");
	p.account = sched_str(row, "account");
	p.at = t * 1000;
	p.tz = tz_name(z);
	p.local = cal_format(tz_local(z, t), local);
	p.rrule = sched_str(row, "rrule");
	p.caption = sched_str(row, "caption");
	p.state = "scheduled";
	p.series = sched_int(row, "series");
	p.seq = seq;
	p.dtstart = sched_str(row, "dtstart");
	p.occurrence = cal_format(next, occ);
	return posts_add(ag, st, &p, id);
}

/* Advance the series of row, if it has one; the next row may be there
 * already (a blocked row is looked at by every tick in its grace). */
static int
advance(struct tick *t, const cJSON *row, int64_t *skipped)
{
	int64_t id;
	int rc;

	rc = sched_next_row(t->ag, t->st, row, t->now, t->grace, skipped, &id);
	return rc == AG_FALSE ? AG_OK : rc;
}

static int
miss(struct tick *t, const cJSON *row, const char *from, const char *also)
{
	long long id = sched_int(row, "id");
	int64_t late = t->now - sched_int(row, "at") / 1000, skipped = 0;
	char why[768], a[32], b[32], when[AG_TIMEBUF], more[160];
	int rc;

	if ((rc = advance(t, row, &skipped)) != AG_OK)
		return rc;
	more[0] = '\0';
	if (skipped > 0)
		snprintf(more, sizeof(more), "; %lld later occurrences, also "
		    "past, were skipped", (long long)skipped);
	snprintf(why, sizeof(why), "missed: %s late, more than the grace of "
	    "%s%s%s%s", sched_span(late, a, sizeof(a)),
	    sched_span((int64_t)t->grace, b, sizeof(b)), also ? " (" : "",
	    also ? also : "", also ? ")" : "");
	if ((rc = posts_set_state(t->ag, t->st, id, from, "missed", why,
	    t->now_ms)) != AG_OK)
		return rc == AG_FALSE ? AG_OK : rc;
	ag_warn(t->ag, "post %lld (%s, %s) %s%s; 'agency-schedule retry %lld' "
	    "sends it", id, sched_str(row, "account"),
	    tz_format(sched_row_tz(t->ag, row), sched_int(row, "at") / 1000,
	    when), why, more, id);
	t->missed++;
	return AG_OK;
}

static int
send(struct tick *t, const cJSON *row, const char *from)
{
	const cJSON *prod;
	int64_t job;
	int rc;

	if ((rc = production(t, sched_str(row, "content_id"), &prod)) !=
	    AG_OK)
		return rc;
	rc = sched_handoff(t->ag, t->st, row, prod, from, t->now_ms, &job);
	if (rc == AG_FALSE)
		return ag_fail(t->ag, AG_SOFTWARE, "post %lld changed inside "
		    "the tick's transaction", (long long)sched_int(row, "id"));
	if (rc != AG_OK)
		return rc;
	t->queued++;
	return advance(t, row, NULL);
}

/* A scheduled post whose time has come. */
static int
due(struct tick *t, const cJSON *row)
{
	const char *why;
	int64_t late = t->now - sched_int(row, "at") / 1000;
	int rc;

	if ((double)late > t->grace)
		return miss(t, row, "scheduled", NULL);
	if ((rc = account(t, sched_str(row, "account"), &why)) == AG_OK)
		return send(t, row, "scheduled");
	if (rc != AG_FALSE)
		return rc;
	if ((rc = posts_set_state(t->ag, t->st, sched_int(row, "id"),
	    "scheduled", "blocked", why, t->now_ms)) != AG_OK)
		return rc == AG_FALSE ? AG_OK : rc;
	ag_warn(t->ag, "post %lld is blocked: %s", (long long)sched_int(row,
	    "id"), why);
	t->blocked++;
	return advance(t, row, NULL);
}

/* A blocked post whose time has come: sent if its account is fixed and
 * it is not too late, missed once past the grace. */
static int
due_blocked(struct tick *t, const cJSON *row)
{
	const char *why;
	int64_t late = t->now - sched_int(row, "at") / 1000;
	int rc;

	rc = account(t, sched_str(row, "account"), &why);
	if (rc != AG_OK && rc != AG_FALSE)
		return rc;
	if ((double)late > t->grace)
		return miss(t, row, "blocked", rc == AG_FALSE ? why :
		    sched_str(row, "reason"));
	if (rc == AG_OK)
		return send(t, row, "blocked");
	return advance(t, row, NULL);
}

/* One transaction: a batch of due posts (or the blocked ones). */
static int
batch(struct tick *t, int blocked, int *more)
{
	cJSON *rows = NULL, *row;
	int rc;

	*more = 0;
	if ((rc = store_begin(t->ag, t->st)) != AG_OK)
		return rc;
	rc = blocked ? posts_blocked(t->ag, t->st, INT64_MIN, t->now_ms,
	    &rows) : posts_due(t->ag, t->st, t->now_ms, BATCH, &rows);
	cJSON_ArrayForEach(row, rows) {
		if (rc != AG_OK)
			break;
		rc = blocked ? due_blocked(t, row) : due(t, row);
	}
	if (rc == AG_OK && !blocked)
		*more = cJSON_GetArraySize(rows) == BATCH;
	cJSON_Delete(rows);
	if (rc != AG_OK) {
		store_rollback(t->st);
		return rc;
	}
	return store_commit(t->ag, t->st);
}

/* ------------------------------------------------------------------ */
/* Following the upload jobs. */

struct synced {
	int64_t posted, failed, cancelled;
};

/* The last "agency.post" in a job's result (one document or several). */
static const cJSON *
post_doc(const cJSON *result)
{
	const cJSON *d, *found = NULL;
	const char *kind;

	if (cJSON_IsObject(result)) {
		kind = sched_str(result, "kind");
		return kind && strcmp(kind, "agency.post") == 0 ? result : NULL;
	}
	cJSON_ArrayForEach(d, result) {
		kind = sched_str(d, "kind");
		if (kind != NULL && strcmp(kind, "agency.post") == 0)
			found = d;
	}
	return found;
}

static int
sync_one(struct agency *ag, struct store *st, const cJSON *row,
    struct synced *s)
{
	int64_t id = sched_int(row, "id"), job = sched_int(row, "job_id");
	cJSON *doc = NULL;
	const cJSON *post;
	const char *state, *pstate, *to = NULL, *err;
	char why[768];
	int rc;

	if (job <= 0 || (rc = queue_show(ag, job, 0, &doc)) == AG_NOINPUT) {
		ag_clear_error(ag);
		rc = posts_set_state(ag, st, id, "queued", "failed", "its "
		    "upload job is gone (purged before it ended?)",
		    ag_now_ms());
		if (rc == AG_OK)
			s->failed++;
		return rc == AG_FALSE ? AG_OK : rc;
	}
	if (rc != AG_OK)
		return rc;
	state = sched_str(doc, "state");
	err = sched_str(doc, "error");
	if (strcmp(state, "dead") == 0) {
		snprintf(why, sizeof(why), "upload job %lld is dead: %s",
		    (long long)job, err ? err : "it failed every attempt");
		to = "failed";
	} else if (strcmp(state, "cancelled") == 0) {
		snprintf(why, sizeof(why), "upload job %lld was cancelled%s%s",
		    (long long)job, err && strcmp(err, "cancelled") ? ": " : "",
		    err && strcmp(err, "cancelled") ? err : "");
		to = "failed";
	} else if (strcmp(state, "done") == 0) {
		cJSON_Delete(doc);
		doc = NULL;
		if ((rc = queue_show(ag, job, 1, &doc)) != AG_OK)
			return rc;
		post = post_doc(cJSON_GetObjectItem(doc, "result"));
		pstate = post ? sched_str(post, "state") : NULL;
		if (pstate != NULL && strcmp(pstate, "published") == 0) {
			rc = posts_job_ended(ag, st, id, job, "posted", NULL,
			    sched_str(post, "remote_id"),
			    sched_str(post, "url"), ag_now_ms());
			if (rc == AG_OK)
				s->posted++;
			cJSON_Delete(doc);
			return rc == AG_FALSE ? AG_OK : rc;
		}
		if (pstate != NULL && strcmp(pstate, "cancelled") == 0) {
			snprintf(why, sizeof(why), "the upload called it off: "
			    "%s", sched_str(post, "reason") ? sched_str(post,
			    "reason") : sched_str(post, "error") ?
			    sched_str(post, "error") : "cancelled");
			to = "cancelled";
		} else if (post != NULL) {
			snprintf(why, sizeof(why), "upload job %lld ended with "
			    "the post %s%s%s", (long long)job, pstate ? "'" :
			    "in no state", pstate ? pstate : "", pstate ? "'" :
			    "");
			to = "failed";
		} else {
			snprintf(why, sizeof(why), "upload job %lld ended "
			    "without an agency.post result", (long long)job);
			to = "failed";
		}
	}
	rc = AG_OK;
	if (to != NULL) {
		rc = posts_job_ended(ag, st, id, job, to, why, NULL, NULL,
		    ag_now_ms());
		if (rc == AG_OK && strcmp(to, "failed") == 0)
			s->failed++;
		else if (rc == AG_OK)
			s->cancelled++;
	}
	cJSON_Delete(doc);
	return rc == AG_FALSE ? AG_OK : rc;
}

/*
 * The queued posts whose jobs have ended (or gone), brought up to date.
 * The jobs' states are read in one go, so a tick that finds thousands of
 * posts waiting for a runner pays one query for them, not thousands.
 */
static int
sync_all(struct agency *ag, struct synced *s)
{
	struct store *st;
	cJSON *rows = NULL, *row, *states = NULL;
	int64_t *ids;
	const char *state;
	char key[24];
	size_t n = 0;
	int rc;

	memset(s, 0, sizeof(*s));
	if ((rc = ag_store(ag, &st)) != AG_OK ||
	    (rc = posts_queued(ag, st, &rows)) != AG_OK)
		return rc;
	ids = xcalloc((size_t)cJSON_GetArraySize(rows) + 1, sizeof(*ids));
	cJSON_ArrayForEach(row, rows)
		ids[n++] = sched_int(row, "job_id");
	if (n > 0)
		rc = queue_states(ag, ids, n, &states);
	cJSON_ArrayForEach(row, rows) {
		if (rc != AG_OK)
			break;
		snprintf(key, sizeof(key), "%lld", (long long)sched_int(row,
		    "job_id"));
		state = cJSON_GetStringValue(cJSON_GetObjectItem(states, key));
		if (state != NULL && ag_in_list("queued,running,failed", state))
			continue;	/* still on its way */
		rc = sync_one(ag, st, row, s);
	}
	cJSON_Delete(states);
	cJSON_Delete(rows);
	free(ids);
	return rc;
}

int
schedule_sync(struct agency *ag, long long *n)
{
	struct synced s;
	int rc = sync_all(ag, &s);

	if (rc == AG_OK && n != NULL)
		*n = s.posted + s.failed + s.cancelled;
	return rc;
}

/* ------------------------------------------------------------------ */

static int
again(struct agency *ag, double secs, int64_t now_ms)
{
	const char *args[3];
	struct queue_job j;
	int64_t id, at = now_ms + (int64_t)(secs * 1000);
	char dur[32], *key;
	int existed, rc;

	snprintf(dur, sizeof(dur), "%gs", secs);
	args[0] = "tick";
	args[1] = "--again";
	args[2] = dur;
	/* One tick per minute it is due in, however many ask for it. */
	key = xasprintf("schedule:tick:%lld", (long long)(at / 60000));
	memset(&j, 0, sizeof(j));
	j.type = "schedule";
	j.args = args;
	j.nargs = 3;
	j.unique_key = key;
	j.run_at = at;
	rc = queue_add(ag, &j, &id, &existed);
	free(key);
	return rc;
}

int
schedule_tick(struct agency *ag, const struct schedule_tick *o, cJSON **doc)
{
	struct tick t;
	struct synced s;
	cJSON *d;
	char buf[AG_TIMEBUF];
	int64_t next;
	int more = 1, rc;

	memset(&t, 0, sizeof(t));
	t.ag = ag;
	t.now_ms = o->now > 0 ? o->now : ag_now_ms();
	t.now = t.now_ms / 1000;
	t.grace = sched_grace(ag, o->grace);
	if ((rc = sync_all(ag, &s)) != AG_OK ||
	    (rc = ag_store(ag, &t.st)) != AG_OK)
		return rc;
	while (more && rc == AG_OK)
		rc = batch(&t, 0, &more);
	if (rc == AG_OK)
		rc = batch(&t, 1, &more);
	if (rc == AG_OK && o->again > 0)
		rc = again(ag, o->again, t.now_ms);
	if (rc == AG_OK) {
		d = ag_doc_new("agency.schedule.tick");
		cJSON_AddStringToObject(d, "at", ag_time_format((time_t)t.now,
		    buf));
		cJSON_AddNumberToObject(d, "queued", (double)t.queued);
		cJSON_AddNumberToObject(d, "missed", (double)t.missed);
		cJSON_AddNumberToObject(d, "blocked", (double)t.blocked);
		cJSON_AddNumberToObject(d, "posted", (double)s.posted);
		cJSON_AddNumberToObject(d, "failed", (double)s.failed);
		cJSON_AddNumberToObject(d, "cancelled", (double)s.cancelled);
		rc = posts_next_due(ag, t.st, &next);
		if (rc == AG_OK)
			cJSON_AddStringToObject(d, "next", ag_time_format(
			    (time_t)(next / 1000), buf));
		else
			cJSON_AddNullToObject(d, "next");
		if (rc == AG_FALSE)
			rc = AG_OK;
		if (rc == AG_OK)
			*doc = d;
		else
			cJSON_Delete(d);
	}
	tick_release(&t);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Looking ahead; what agency-upload asks. */

static int
gather(void *arg, const cJSON *row)
{
	cJSON_AddItemToArray(arg, cJSON_Duplicate(row, 1));
	return AG_OK;
}

int
schedule_check(struct agency *ag, double ahead, cJSON **docs)
{
	struct post_filter f;
	struct store *st;
	cJSON *rows, *row, *out;
	const char *state;
	char why[512];
	int64_t now = ag_now_ms();
	int rc, ok;

	if ((rc = schedule_sync(ag, NULL)) != AG_OK ||
	    (rc = ag_store(ag, &st)) != AG_OK)
		return rc;
	memset(&f, 0, sizeof(f));
	f.from = now;
	f.to = now + (int64_t)(ahead * 1000);
	f.states = "[\"scheduled\",\"blocked\"]";
	rows = cJSON_CreateArray();
	rc = posts_list(ag, st, &f, gather, rows);
	cJSON_ArrayForEach(row, rows) {
		if (rc != AG_OK)
			break;
		state = sched_str(row, "state");
		ok = schedule_account_ok(ag, sched_str(row, "account"), why,
		    sizeof(why));
		if (ok != AG_OK && ok != AG_FALSE) {
			rc = ok;
			break;
		}
		if (ok == AG_FALSE && strcmp(state, "scheduled") == 0)
			rc = posts_set_state(ag, st, sched_int(row, "id"),
			    "scheduled", "blocked", why, now);
		else if (ok == AG_OK && strcmp(state, "blocked") == 0)
			rc = posts_set_state(ag, st, sched_int(row, "id"),
			    "blocked", "scheduled", NULL, now);
		if (rc == AG_FALSE)
			rc = AG_OK;
	}
	cJSON_Delete(rows);
	if (rc != AG_OK)
		return rc;
	/* What needs a hand: blocked ahead, missed or failed lately. */
	f.from = now - (int64_t)(ahead * 1000);
	f.states = "[\"blocked\",\"missed\",\"failed\"]";
	rows = cJSON_CreateArray();
	if ((rc = posts_list(ag, st, &f, gather, rows)) != AG_OK) {
		cJSON_Delete(rows);
		return rc;
	}
	out = cJSON_CreateArray();
	cJSON_ArrayForEach(row, rows)
		cJSON_AddItemToArray(out, sched_doc(ag, row));
	rc = cJSON_GetArraySize(out) > 0 ? AG_FALSE : AG_OK;
	cJSON_Delete(rows);
	*docs = out;
	return rc;
}

int
schedule_post_live(struct agency *ag, long long id, long long revision,
    char *why, size_t len)
{
	struct store *st;
	cJSON *row = NULL;
	const char *state;
	char buf[AG_TIMEBUF];
	int rc;

	if ((rc = ag_store(ag, &st)) != AG_OK)
		return rc;
	if ((rc = posts_get(ag, st, id, &row)) == AG_NOINPUT) {
		ag_clear_error(ag);
		snprintf(why, len, "removed");
		return AG_FALSE;
	}
	if (rc != AG_OK)
		return rc;
	state = sched_str(row, "state");
	rc = AG_FALSE;
	if (strcmp(state, "cancelled") == 0)
		snprintf(why, len, "removed");
	else if (sched_int(row, "revision") != revision &&
	    strcmp(state, "scheduled") == 0)
		snprintf(why, len, "moved to %s", tz_format(sched_row_tz(ag,
		    row), sched_int(row, "at") / 1000, buf));
	else if (sched_int(row, "revision") != revision)
		snprintf(why, len, "changed: now at revision %lld and %s%s%s",
		    (long long)sched_int(row, "revision"), state,
		    sched_str(row, "reason") ? ": " : "", sched_str(row,
		    "reason") ? sched_str(row, "reason") : "");
	else if (strcmp(state, "posted") == 0)
		snprintf(why, len, "already posted");
	else if (strcmp(state, "queued") != 0)
		snprintf(why, len, "%s%s%s", state, sched_str(row, "reason") ?
		    ": " : "", sched_str(row, "reason") ? sched_str(row,
		    "reason") : "");
	else
		rc = schedule_account_ok(ag, sched_str(row, "account"), why,
		    len);
	/* A paused account says "paused" first, as the caller reads it. */
	if (rc == AG_FALSE && strstr(why, "is paused") != NULL)
		snprintf(why, len, "paused: account '%s'", sched_str(row,
		    "account"));
	cJSON_Delete(row);
	return rc;
}
