/*
 * post.c - the calendar: adding posts, listing, showing, moving,
 * removing and retrying them, pausing an account.
 *
 * Revisions.  Every change that could make an upload job wrong (a move,
 * a removal, a retry, a pause) gives the post a new revision and forgets
 * its job.  The job carries the revision it was made for ("--schedule
 * ID:REVISION"), and agency-upload asks schedule_post_live() before it
 * sends and again before it publishes: a job of an old revision is
 * refused, so a removed or moved post is never published even when its
 * job was already running.  The job itself is cancelled too, in the same
 * transaction, when it has not ended.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "schedule/internal.h"

#define LIVE "[\"scheduled\",\"queued\",\"missed\",\"failed\",\"blocked\"]"

/* ------------------------------------------------------------------ */
/* Rows and documents. */

int64_t
sched_int(const cJSON *row, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(row, key);

	return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
}

const char *
sched_str(const cJSON *row, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row,
	    key));
}

const struct tz *
sched_row_tz(struct agency *ag, const cJSON *row)
{
	const struct tz *z;
	char err[sizeof(ag->err)];

	if (tz_load(ag, sched_str(row, "tz"), &z) == AG_OK)
		return z;
	/* A zone that went away with a tzdata update: show UTC, say so.
	 * UTC itself needs no file (tz.c). */
	memcpy(err, ag->err, sizeof(err));
	ag_clear_error(ag);
	ag_warn(ag, "post %lld: %s; showing UTC", (long long)sched_int(row,
	    "id"), err);
	tz_load(ag, "UTC", &z);
	return z;
}

double
sched_grace(struct agency *ag, double g)
{
	return g >= 0 ? g : config_number(ag, "schedule.grace");
}

char *
sched_span(int64_t s, char *buf, size_t len)
{
	if (s < 0)
		s = -s;
	if (s >= 86400)
		snprintf(buf, len, "%lldd %lldh", (long long)(s / 86400),
		    (long long)(s % 86400 / 3600));
	else if (s >= 3600)
		snprintf(buf, len, "%lldh %lldm", (long long)(s / 3600),
		    (long long)(s % 3600 / 60));
	else if (s >= 60)
		snprintf(buf, len, "%lldm", (long long)(s / 60));
	else
		snprintf(buf, len, "%llds", (long long)s);
	return buf;
}

static void
add_time(cJSON *doc, const char *key, int64_t ms, const struct tz *z)
{
	char buf[AG_TIMEBUF];

	if (ms == 0)
		return;
	if (z != NULL)
		cJSON_AddStringToObject(doc, key, tz_format(z, ms / 1000, buf));
	else
		cJSON_AddStringToObject(doc, key, ag_time_format((time_t)(ms /
		    1000), buf));
}

static void
copy_str(cJSON *doc, const cJSON *row, const char *key)
{
	const char *s = sched_str(row, key);

	if (s != NULL)
		cJSON_AddStringToObject(doc, key, s);
}

static void
copy_int(cJSON *doc, const cJSON *row, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(row, key);

	if (cJSON_IsNumber(v))
		cJSON_AddNumberToObject(doc, key, v->valuedouble);
}

cJSON *
sched_doc(struct agency *ag, const cJSON *row)
{
	cJSON *doc = ag_doc_new("agency.schedule");
	const struct tz *z = sched_row_tz(ag, row);

	copy_int(doc, row, "id");
	copy_str(doc, row, "content_id");
	copy_str(doc, row, "account");
	add_time(doc, "at", sched_int(row, "at"), z);
	copy_str(doc, row, "tz");
	copy_str(doc, row, "local");
	copy_str(doc, row, "state");
	copy_str(doc, row, "reason");
	copy_int(doc, row, "revision");
	copy_str(doc, row, "rrule");
	if (sched_str(row, "rrule") != NULL) {
		copy_int(doc, row, "series");
		copy_int(doc, row, "seq");
		copy_str(doc, row, "dtstart");
	}
	if (sched_int(row, "slot"))
		cJSON_AddTrueToObject(doc, "slot");
	copy_str(doc, row, "caption");
	copy_int(doc, row, "job_id");
	copy_str(doc, row, "remote_id");
	copy_str(doc, row, "url");
	add_time(doc, "posted_at", sched_int(row, "posted_at"), NULL);
	add_time(doc, "created_at", sched_int(row, "created_at"), NULL);
	add_time(doc, "updated_at", sched_int(row, "updated_at"), NULL);
	return doc;
}

/* ------------------------------------------------------------------ */
/* Adding. */

/* The production to post: a file, stdin, or a content id in the store;
 * a file's document is stored in the content table. */
static int
production(struct agency *ag, struct store *st, const char *src, char **id)
{
	struct ag_sha256 c;
	struct jpath jp;
	struct stat sb;
	const char *video = NULL, *cid = NULL, *label;
	char hex[AG_SHA256_HEX], *text;
	cJSON *doc = NULL;
	int rc;

	label = ag_doc_name(src);
	if (strcmp(src, "-") != 0 && access(src, F_OK) == -1 &&
	    ag_starts_with(src, "c_")) {
		if ((rc = content_get(ag, st, src, &doc)) != AG_OK)
			return rc;
		rc = ag_doc_check(ag, src, doc, "agency.production");
	} else {
		rc = ag_doc_read(ag, src, "agency.production", &doc);
	}
	if (rc != AG_OK)
		goto out;
	jpath_init(&jp, label);
	if ((rc = jget_string(ag, &jp, doc, "video", J_REQUIRED, &video)) !=
	    AG_OK || (rc = jget_string(ag, &jp, doc, "id", J_OPTIONAL, &cid)) !=
	    AG_OK)
		goto out;
	if (stat(video, &sb) == -1) {
		rc = ag_fail(ag, AG_NOINPUT, "%s: video '%s':", label, video);
		goto out;
	}
	if (cid == NULL || *cid == '\0') {
		/* No id: the document's own hash names it. */
		text = cJSON_PrintUnformatted(doc);
		ag_sha256_init(&c);
		ag_sha256_update(&c, text, strlen(text));
		ag_sha256_hex(&c, hex);
		cJSON_free(text);
		hex[16] = '\0';
		*id = xasprintf("c_%s", hex);
		cJSON_DeleteItemFromObjectCaseSensitive(doc, "id");
		cJSON_AddStringToObject(doc, "id", *id);
	} else {
		*id = xstrdup(cid);
	}
	if ((rc = content_put(ag, st, *id, doc)) != AG_OK) {
		free(*id);
		*id = NULL;
	}
out:
	cJSON_Delete(doc);
	return rc;
}

/* The caption of --caption ACCOUNT=TEXT for account, or NULL. */
static const char *
caption_for(const struct schedule_add *a, const char *account)
{
	size_t i, n = strlen(account);

	for (i = 0; i < a->ncaptions; i++)
		if (strncmp(a->captions[i], account, n) == 0 &&
		    a->captions[i][n] == '=')
			return a->captions[i] + n + 1;
	return NULL;
}

static int
check_captions(struct agency *ag, const struct schedule_add *a)
{
	const char *eq;
	size_t i, j, n;

	for (i = 0; i < a->ncaptions; i++) {
		eq = strchr(a->captions[i], '=');
		if (eq == NULL)
			return ag_fail(ag, AG_USAGE, "--caption '%s': expected "
			    "ACCOUNT=TEXT", a->captions[i]);
		n = (size_t)(eq - a->captions[i]);
		for (j = 0; j < a->naccounts; j++)
			if (strlen(a->accounts[j]) == n &&
			    strncmp(a->accounts[j], a->captions[i], n) == 0)
				break;
		if (j == a->naccounts)
			return ag_fail(ag, AG_USAGE, "--caption '%s': '%.*s' "
			    "is not one of the accounts of --to",
			    a->captions[i], (int)n, a->captions[i]);
	}
	return AG_OK;
}

static void
warn_fit(struct agency *ag, const char *what, enum tz_fit fit,
    const struct tz *z, int64_t t)
{
	char buf[AG_TIMEBUF];

	if (fit == TZ_GAP)
		ag_warn(ag, "'%s' does not exist in %s (the clocks go forward "
		    "over it): the post goes out at %s", what, tz_name(z),
		    tz_format(z, t, buf));
	else if (fit == TZ_TWICE)
		ag_warn(ag, "'%s' happens twice in %s (the clocks go back): "
		    "the first is taken, %s", what, tz_name(z),
		    tz_format(z, t, buf));
}

/* The state a post starts in: scheduled, or blocked with why. */
static const char *
initial_state(struct agency *ag, const char *account, char *why, size_t len)
{
	int rc = schedule_account_ok(ag, account, why, len);

	if (rc == AG_OK)
		return "scheduled";
	if (rc != AG_FALSE) {		/* an error: say it, decide later */
		snprintf(why, len, "%s", ag->err);
		ag_clear_error(ag);
	}
	return "blocked";
}

/* When and where one account's post goes: fills p's time fields. */
struct when {
	const struct tz *z;
	int64_t at;			/* instant, s */
	char local[20], dtstart[20], occurrence[20];
	char *rrule;
	int slot;
};

static int
when_of(struct agency *ag, struct store *st, const struct schedule_add *a,
    const char *account, const struct tz *z, int64_t now, struct when *w)
{
	struct rrule r;
	struct slots sl;
	cJSON *row = NULL;
	enum tz_fit fit = TZ_EXACT;
	int64_t *taken = NULL, start, local, t = now;
	size_t n = 0, i;
	int rc;

	w->z = z;
	if (a->at != NULL && when_parse(z, a->at, now, &t, &fit) == -1)
		return ag_fail(ag, AG_USAGE, "--at '%s': not a time (\"2026-12-"
		    "01 09:00\", 2026-12-01T08:00:00Z, now, +15m)", a->at);
	if (a->slot) {
		if ((rc = account_slots_get(ag, st, account, &row)) != AG_OK)
			return rc;
		rc = tz_load(ag, sched_str(row, "tz"), &w->z);
		if (rc == AG_OK)
			rc = slots_parse(ag, sched_str(row, "spec"), &sl);
		cJSON_Delete(row);
		if (rc != AG_OK)
			return rc;
		if ((rc = posts_taken(ag, st, account, t * 1000, &taken, &n)) !=
		    AG_OK)
			return rc;
		for (i = 0; i < n; i++)
			taken[i] /= 1000;
		w->at = slots_next(&sl, w->z, t, taken, n);
		free(taken);
		if (w->at == 0)
			return ag_fail(ag, AG_SOFTWARE, "account '%s': no free "
			    "slot found", account);
		w->slot = 1;
		cal_format(tz_local(w->z, w->at), w->local);
		return AG_OK;
	}
	if (w->rrule != NULL) {
		if ((rc = rrule_parse(ag, w->rrule, &r)) != AG_OK)
			return rc;
		if (a->at != NULL) {
			/* DTSTART is the wall time asked for, even when it
			 * falls in a gap: the rule keeps that wall time. */
			if (cal_parse(a->at, &start) == -1) {
				start = tz_local(z, t);
				start -= (start % 60 + 60) % 60;
			}
		} else if (rrule_first(&r, z, now, &start) != AG_OK) {
			return ag_fail(ag, AG_USAGE, "rule '%s' has no "
			    "occurrence from now on", w->rrule);
		}
		w->at = tz_instant(z, start, &fit);
		cal_format(start, w->dtstart);
		cal_format(start, w->occurrence);
		cal_format(tz_local(z, w->at), w->local);
		warn_fit(ag, w->dtstart, fit, z, w->at);
		return AG_OK;
	}
	if (a->at == NULL)
		return ag_fail(ag, AG_USAGE, "when? give --at, --slot, --rrule "
		    "or --every");
	w->at = t;
	local = tz_local(z, t);
	cal_format(local, w->local);
	warn_fit(ag, a->at, fit, z, t);
	return AG_OK;
}

int
schedule_add(struct agency *ag, const struct schedule_add *a, cJSON **docs)
{
	const struct tz *z;
	struct store *st;
	struct post_new p;
	struct when w;
	cJSON *arr = NULL, *row;
	char *content = NULL, *rule = NULL, why[512], buf[AG_TIMEBUF];
	const char *state;
	int64_t now = ag_now_ms() / 1000, id;
	double grace = sched_grace(ag, -1);
	size_t i, k;
	int rc;

	if (a->naccounts == 0)
		return ag_fail(ag, AG_USAGE, "which accounts? give --to "
		    "platform:name");
	for (i = 0; i < a->naccounts; i++) {
		if ((rc = accounts_check_name(ag, a->accounts[i])) != AG_OK)
			return rc;
		for (k = 0; k < i; k++)
			if (strcmp(a->accounts[k], a->accounts[i]) == 0)
				return ag_fail(ag, AG_USAGE, "account '%s' is "
				    "given twice", a->accounts[i]);
	}
	if ((rc = check_captions(ag, a)) != AG_OK)
		return rc;
	if ((a->rrule != NULL) + (a->every != NULL) + (a->slot != 0) > 1)
		return ag_fail(ag, AG_USAGE, "--rrule, --every and --slot do "
		    "not go together");
	if (a->every != NULL && (rc = every_parse(ag, a->every, &rule)) !=
	    AG_OK)
		return rc;
	if (a->rrule != NULL) {
		struct rrule r;

		if ((rc = rrule_parse(ag, a->rrule, &r)) != AG_OK)
			return rc;
		rule = rrule_format(&r);
	}
	rc = a->tz ? tz_load(ag, a->tz, &z) : tz_default(ag, &z);
	if (rc != AG_OK || (rc = ag_store(ag, &st)) != AG_OK ||
	    (rc = store_begin(ag, st)) != AG_OK)
		goto out;
	if ((rc = production(ag, st, a->production, &content)) !=
	    AG_OK)
		goto fail;
	arr = cJSON_CreateArray();
	for (i = 0; i < a->naccounts; i++) {
		memset(&w, 0, sizeof(w));
		w.rrule = rule;
		if ((rc = when_of(ag, st, a, a->accounts[i], z, now, &w)) !=
		    AG_OK)
			goto fail;
		state = initial_state(ag, a->accounts[i], why, sizeof(why));
		memset(&p, 0, sizeof(p));
		p.content_id = content;
		p.account = a->accounts[i];
		p.at = w.at * 1000;
		p.tz = tz_name(w.z);
		p.local = w.local;
		p.rrule = rule;
		p.caption = caption_for(a, a->accounts[i]);
		p.state = state;
		p.reason = strcmp(state, "blocked") == 0 ? why : NULL;
		p.dtstart = rule ? w.dtstart : NULL;
		p.occurrence = rule ? w.occurrence : NULL;
		p.slot = w.slot;
		if ((rc = posts_add(ag, st, &p, &id)) != AG_OK)
			goto fail;
		if (strcmp(state, "blocked") == 0)
			ag_warn(ag, "post %lld is blocked: %s", (long long)id,
			    why);
		if ((double)(now - w.at) > grace) {
			char g[32];

			ag_warn(ag, "post %lld: %s is %s ago, more than the "
			    "grace of %s: the next tick marks it missed",
			    (long long)id, tz_format(w.z, w.at, buf),
			    sched_span(now - w.at, why, sizeof(why)),
			    sched_span((int64_t)grace, g, sizeof(g)));
		}
		if ((rc = posts_get(ag, st, id, &row)) != AG_OK)
			goto fail;
		cJSON_AddItemToArray(arr, sched_doc(ag, row));
		cJSON_Delete(row);
	}
	if ((rc = store_commit(ag, st)) != AG_OK)
		goto out;
	*docs = arr;
	arr = NULL;
	goto out;
fail:
	store_rollback(st);
out:
	cJSON_Delete(arr);
	free(content);
	free(rule);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Listing. */

struct collect {
	struct agency *ag;
	const struct schedule_filter *f;
	cJSON *docs;			/* expand: gathered, then sorted */
	int (*fn)(void *arg, const cJSON *doc);
	void *arg;
};

/* The planned occurrences of a pending series row, up to f->to. */
static void
planned(struct agency *ag, const cJSON *row, const struct schedule_filter *f,
    cJSON *docs)
{
	const struct tz *z = sched_row_tz(ag, row);
	struct rrule r;
	int64_t start, after, seq = sched_int(row, "seq"), next, t;
	char buf[AG_TIMEBUF], local[20];
	cJSON *doc;
	int n = 0;

	if (rrule_parse(ag, sched_str(row, "rrule"), &r) != AG_OK ||
	    cal_parse(sched_str(row, "dtstart"), &start) == -1 ||
	    cal_parse(sched_str(row, "occurrence"), &after) == -1) {
		ag_clear_error(ag);
		return;
	}
	/* Without an end, at most a year's worth of a daily rule. */
	while (n < 400 && rrule_next(&r, z, start, after, seq, &next, &seq) ==
	    AG_OK) {
		after = next;
		t = tz_instant(z, next, NULL);
		if (f->to > 0 && t >= f->to)
			break;
		if (f->from > 0 && t < f->from)
			continue;
		doc = ag_doc_new("agency.schedule");
		cJSON_AddTrueToObject(doc, "planned");
		copy_str(doc, row, "content_id");
		copy_str(doc, row, "account");
		cJSON_AddStringToObject(doc, "at", tz_format(z, t, buf));
		copy_str(doc, row, "tz");
		cJSON_AddStringToObject(doc, "local", cal_format(tz_local(z, t),
		    local));
		cJSON_AddStringToObject(doc, "state", "planned");
		copy_str(doc, row, "rrule");
		copy_int(doc, row, "series");
		cJSON_AddNumberToObject(doc, "seq", (double)seq);
		copy_str(doc, row, "caption");
		cJSON_AddItemToArray(docs, doc);
		n++;
	}
}

static int
list_one(void *arg, const cJSON *row)
{
	struct collect *c = arg;
	const char *state = sched_str(row, "state");
	cJSON *doc;
	int rc;

	if (c->f->expand) {
		if (sched_str(row, "rrule") != NULL &&
		    (strcmp(state, "scheduled") == 0 ||
		    strcmp(state, "blocked") == 0))
			planned(c->ag, row, c->f, c->docs);
		if ((c->f->from > 0 && sched_int(row, "at") / 1000 <
		    c->f->from) || (c->f->to > 0 && sched_int(row, "at") /
		    1000 >= c->f->to))
			return AG_OK;	/* a series row seen for its plan */
		cJSON_AddItemToArray(c->docs, sched_doc(c->ag, row));
		return AG_OK;
	}
	doc = sched_doc(c->ag, row);
	rc = c->fn(c->arg, doc);
	cJSON_Delete(doc);
	return rc;
}

/* "agency.schedule" docs in time order (the at strings carry offsets). */
static int
by_time(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a;
	const cJSON *y = *(const cJSON *const *)b;
	time_t tx = 0, ty = 0;

	ag_time_parse(sched_str(x, "at"), &tx);
	ag_time_parse(sched_str(y, "at"), &ty);
	if (tx != ty)
		return tx < ty ? -1 : 1;
	return (sched_int(x, "id") > sched_int(y, "id")) -
	    (sched_int(x, "id") < sched_int(y, "id"));
}

char *
sched_states_json(const char *states)
{
	cJSON *arr;
	char *copy, *p, *comma, *text;

	if (states == NULL)
		return NULL;
	arr = cJSON_CreateArray();
	copy = xstrdup(states);
	for (p = copy; p != NULL; p = comma) {
		if ((comma = strchr(p, ',')) != NULL)
			*comma++ = '\0';
		cJSON_AddItemToArray(arr, cJSON_CreateString(p));
	}
	free(copy);
	text = cJSON_PrintUnformatted(arr);
	cJSON_Delete(arr);
	return text;
}

int
schedule_list(struct agency *ag, const struct schedule_filter *f,
    int (*fn)(void *arg, const cJSON *doc), void *arg)
{
	struct collect c = { ag, f, NULL, fn, arg };
	struct post_filter pf;
	struct store *st;
	cJSON **v, *d;
	char *states = NULL;
	size_t n, i;
	int rc;

	if ((rc = schedule_sync(ag, NULL)) != AG_OK ||
	    (rc = ag_store(ag, &st)) != AG_OK)
		return rc;
	memset(&pf, 0, sizeof(pf));
	pf.account = f->account;
	pf.states = states = sched_states_json(f->states);
	if (!f->expand) {
		pf.from = f->from * 1000;
		pf.to = f->to * 1000;
		rc = posts_list(ag, st, &pf, list_one, &c);
		cJSON_free(states);
		return rc;
	}
	/* Expanding: every pending series before to matters, whatever its
	 * own time, for the occurrences it plans. */
	c.docs = cJSON_CreateArray();
	pf.to = f->to * 1000;
	rc = posts_list(ag, st, &pf, list_one, &c);
	cJSON_free(states);
	if (rc != AG_OK) {
		cJSON_Delete(c.docs);
		return rc;
	}
	n = (size_t)cJSON_GetArraySize(c.docs);
	v = xcalloc(n + 1, sizeof(*v));
	i = 0;
	cJSON_ArrayForEach(d, c.docs)
		v[i++] = d;
	qsort(v, n, sizeof(*v), by_time);
	for (i = 0; i < n && rc == AG_OK; i++)
		rc = fn(arg, v[i]);
	free(v);
	cJSON_Delete(c.docs);
	return rc;
}

/* ------------------------------------------------------------------ */
/* One post. */

int
schedule_show(struct agency *ag, long long id, cJSON **out)
{
	struct store *st;
	struct rrule r;
	const struct tz *z;
	cJSON *row = NULL, *doc, *job, *up;
	int64_t start, after, seq, next;
	char buf[AG_TIMEBUF];
	int rc, i;

	if ((rc = schedule_sync(ag, NULL)) != AG_OK ||
	    (rc = ag_store(ag, &st)) != AG_OK ||
	    (rc = posts_get(ag, st, id, &row)) != AG_OK)
		return rc;
	doc = sched_doc(ag, row);
	if (sched_int(row, "job_id") > 0) {
		if (queue_show(ag, sched_int(row, "job_id"), 0, &job) == AG_OK)
			cJSON_AddItemToObject(doc, "job", job);
		else
			ag_clear_error(ag);
	}
	/* A pending occurrence of a series: the next ones. */
	if (sched_str(row, "rrule") != NULL &&
	    (strcmp(sched_str(row, "state"), "scheduled") == 0 ||
	    strcmp(sched_str(row, "state"), "blocked") == 0) &&
	    rrule_parse(ag, sched_str(row, "rrule"), &r) == AG_OK &&
	    cal_parse(sched_str(row, "dtstart"), &start) == 0 &&
	    cal_parse(sched_str(row, "occurrence"), &after) == 0) {
		z = sched_row_tz(ag, row);
		seq = sched_int(row, "seq");
		up = cJSON_AddArrayToObject(doc, "upcoming");
		for (i = 0; i < 5 && rrule_next(&r, z, start, after, seq, &next,
		    &seq) == AG_OK; i++) {
			after = next;
			cJSON_AddItemToArray(up, cJSON_CreateString(tz_format(z,
			    tz_instant(z, next, NULL), buf)));
		}
	}
	ag_clear_error(ag);
	cJSON_Delete(row);
	*out = doc;
	return AG_OK;
}

/*
 * Cancel the job of row, if it has one that has not ended.  Asked first,
 * not tried and forgiven: a refusal inside the caller's transaction would
 * roll it back.
 */
static int
drop_job(struct agency *ag, const cJSON *row)
{
	int64_t job = sched_int(row, "job_id");
	cJSON *doc = NULL;
	const char *state;
	int rc;

	if (job <= 0)
		return AG_OK;
	if ((rc = queue_show(ag, job, 0, &doc)) == AG_NOINPUT) {
		ag_clear_error(ag);
		return AG_OK;		/* purged */
	}
	if (rc != AG_OK)
		return rc;
	state = sched_str(doc, "state");
	if (ag_in_list("queued,running,failed", state))
		rc = queue_cancel(ag, job);
	cJSON_Delete(doc);
	return rc;
}

static int
not_live(struct agency *ag, long long id, const cJSON *row)
{
	const char *state = sched_str(row, "state");

	if (strcmp(state, "posted") == 0)
		return ag_fail(ag, AG_DATAERR, "post %lld is posted already%s%s"
		    "; remove it on the platform", id, sched_str(row, "url") ?
		    " at " : "", sched_str(row, "url") ? sched_str(row, "url") :
		    "");
	return ag_fail(ag, AG_DATAERR, "post %lld is removed; a removed post "
	    "is never sent", id);
}

/*
 * Begin a transaction and read post id, which must be neither posted nor
 * removed (AG_DATAERR saying so); on AG_OK the transaction is open.
 */
static int
begin_post(struct agency *ag, struct store **st, long long id, cJSON **row)
{
	const char *state;
	int rc;

	if ((rc = ag_store(ag, st)) != AG_OK ||
	    (rc = store_begin(ag, *st)) != AG_OK)
		return rc;
	if ((rc = posts_get(ag, *st, id, row)) == AG_OK) {
		state = sched_str(*row, "state");
		if (strcmp(state, "posted") == 0 ||
		    strcmp(state, "cancelled") == 0) {
			rc = not_live(ag, id, *row);
			cJSON_Delete(*row);
			*row = NULL;
		}
	}
	if (rc != AG_OK)
		store_rollback(*st);
	return rc;
}

/* End it: commit and give the post's doc, or roll back. */
static int
end_post(struct agency *ag, struct store *st, long long id, int rc,
    cJSON **doc)
{
	cJSON *row;

	if (rc != AG_OK) {
		store_rollback(st);
		return rc;
	}
	if ((rc = posts_get(ag, st, id, &row)) != AG_OK) {
		store_rollback(st);
		return rc;
	}
	if ((rc = store_commit(ag, st)) != AG_OK) {
		cJSON_Delete(row);
		return rc;
	}
	*doc = sched_doc(ag, row);
	cJSON_Delete(row);
	return AG_OK;
}

int
schedule_remove(struct agency *ag, long long id, int skip, cJSON **doc)
{
	struct store *st;
	cJSON *row = NULL;
	const char *state;
	int64_t next;
	int rc;

	if ((rc = begin_post(ag, &st, id, &row)) != AG_OK)
		return rc;
	state = sched_str(row, "state");
	if (skip && (sched_str(row, "rrule") == NULL ||
	    (strcmp(state, "scheduled") != 0 &&
	    strcmp(state, "blocked") != 0))) {
		rc = ag_fail(ag, AG_USAGE, "post %lld: --skip is for the next "
		    "occurrence of a recurring post", id);
	} else {
		rc = posts_revise(ag, st, id, LIVE, "cancelled", skip ?
		    "skipped" : "removed", 0, NULL, NULL, ag_now_ms());
		if (rc == AG_OK)
			rc = drop_job(ag, row);
		if (rc == AG_OK && skip) {
			rc = sched_next_row(ag, st, row, ag_now_ms() / 1000,
			    sched_grace(ag, -1), NULL, &next);
			if (rc == AG_FALSE) {
				ag_info(ag, "post %lld was the last of its "
				    "series", id);
				rc = AG_OK;
			}
		}
	}
	cJSON_Delete(row);
	return end_post(ag, st, id, rc, doc);
}

int
schedule_move(struct agency *ag, long long id, const char *at,
    const char *tzname, cJSON **doc)
{
	const struct tz *z;
	struct store *st;
	cJSON *row = NULL;
	enum tz_fit fit;
	const char *state;
	char local[20], why[512];
	int64_t t, now = ag_now_ms() / 1000;
	int rc;

	if ((rc = begin_post(ag, &st, id, &row)) != AG_OK)
		return rc;
	rc = tzname ? tz_load(ag, tzname, &z) : AG_OK;
	if (tzname == NULL)
		z = sched_row_tz(ag, row);
	if (rc != AG_OK) {
		;
	} else if (when_parse(z, at, now, &t, &fit) == -1) {
		rc = ag_fail(ag, AG_USAGE, "--at '%s': not a time (\"2026-12-"
		    "01 09:00\", 2026-12-01T08:00:00Z, now, +15m)", at);
	} else {
		warn_fit(ag, at, fit, z, t);
		cal_format(tz_local(z, t), local);
		state = initial_state(ag, sched_str(row, "account"), why,
		    sizeof(why));
		rc = posts_revise(ag, st, id, LIVE, state, strcmp(state,
		    "blocked") == 0 ? why : NULL, t * 1000, tz_name(z), local,
		    ag_now_ms());
		if (rc == AG_OK)
			rc = drop_job(ag, row);
	}
	cJSON_Delete(row);
	return end_post(ag, st, id, rc, doc);
}

int
schedule_retry(struct agency *ag, long long id, cJSON **doc)
{
	struct store *st;
	cJSON *row = NULL, *again = NULL, *prod = NULL;
	const char *state;
	char why[512], buf[AG_TIMEBUF];
	int64_t job;
	int rc;

	if ((rc = begin_post(ag, &st, id, &row)) != AG_OK)
		return rc;
	state = sched_str(row, "state");
	if (strcmp(state, "scheduled") == 0 ||
	    strcmp(state, "queued") == 0) {
		rc = ag_fail(ag, AG_DATAERR, "post %lld is %s (%s); only "
		    "missed, failed and blocked posts are retried", id, state,
		    tz_format(sched_row_tz(ag, row), sched_int(row, "at") /
		    1000, buf));
	} else if ((rc = schedule_account_ok(ag, sched_str(row, "account"),
	    why, sizeof(why))) != AG_OK) {
		if (rc == AG_FALSE)
			rc = ag_fail(ag, AG_CONFIG, "post %lld: %s", id, why);
	} else if ((rc = posts_revise(ag, st, id, "[\"missed\",\"failed\","
	    "\"blocked\"]", "scheduled", NULL, 0, NULL, NULL, ag_now_ms())) ==
	    AG_OK && (rc = posts_get(ag, st, id, &again)) == AG_OK &&
	    (rc = content_get(ag, st, sched_str(again, "content_id"), &prod)) ==
	    AG_OK) {
		rc = sched_handoff(ag, st, again, prod, "scheduled",
		    ag_now_ms(), &job);
	}
	if (rc == AG_FALSE)
		rc = ag_fail(ag, AG_TEMPFAIL, "post %lld changed meanwhile; "
		    "try again", id);
	cJSON_Delete(prod);
	cJSON_Delete(again);
	cJSON_Delete(row);
	return end_post(ag, st, id, rc, doc);
}

/* ------------------------------------------------------------------ */
/* Pausing an account. */

#define PAUSED_BY "agency-schedule pause"

/* Check the name, begin a transaction and read the account's row (*acct
 * stays NULL when it has none); on AG_OK the transaction is open. */
static int
begin_account(struct agency *ag, const char *account, struct store **st,
    cJSON **acct)
{
	int rc;

	if ((rc = accounts_check_name(ag, account)) != AG_OK ||
	    (rc = ag_store(ag, st)) != AG_OK ||
	    (rc = store_begin(ag, *st)) != AG_OK)
		return rc;
	rc = accounts_get(ag, *st, account, acct);
	if (rc == AG_NOINPUT) {
		ag_clear_error(ag);
		return AG_OK;
	}
	if (rc != AG_OK)
		store_rollback(*st);
	return rc;
}

int
schedule_pause(struct agency *ag, const char *account, long long *n)
{
	struct store *st;
	cJSON *acct = NULL, *settings = NULL, *rows = NULL, *row;
	char why[512];
	int64_t k = 0;
	int rc;

	*n = 0;
	if ((rc = begin_account(ag, account, &st, &acct)) != AG_OK)
		return rc;
	if (acct == NULL) {
		/* Not set up yet: a row that says only who made it. */
		settings = cJSON_CreateObject();
		cJSON_AddStringToObject(settings, "created_by", PAUSED_BY);
		rc = accounts_put(ag, st, account, settings);
	}
	snprintf(why, sizeof(why), "account '%s' is paused: agency-schedule "
	    "resume %s", account, account);
	if (rc == AG_OK)
		rc = accounts_set_state(ag, st, account, "paused",
		    "paused with " PAUSED_BY);
	if (rc == AG_OK)
		rc = posts_account_state(ag, st, account, "scheduled",
		    "blocked", why, ag_now_ms(), &k);
	*n = k;
	/* Queued posts of the account: their jobs are called off. */
	if (rc == AG_OK)
		rc = posts_queued(ag, st, &rows);
	cJSON_ArrayForEach(row, rows) {
		if (rc != AG_OK)
			break;
		if (strcmp(sched_str(row, "account"), account) != 0)
			continue;
		rc = posts_revise(ag, st, sched_int(row, "id"), "[\"queued\"]",
		    "blocked", why, 0, NULL, NULL, ag_now_ms());
		if (rc == AG_OK)
			rc = drop_job(ag, row);
		++*n;
	}
	cJSON_Delete(rows);
	cJSON_Delete(settings);
	cJSON_Delete(acct);
	if (rc != AG_OK) {
		store_rollback(st);
		*n = 0;
		return rc;
	}
	return store_commit(ag, st);
}

int
schedule_resume(struct agency *ag, const char *account, long long *n)
{
	struct store *st;
	cJSON *acct = NULL;
	const char *by;
	int64_t k = 0;
	int rc;

	*n = 0;
	if ((rc = begin_account(ag, account, &st, &acct)) != AG_OK)
		return rc;
	if (acct != NULL && strcmp(sched_str(acct, "state"), "paused") == 0) {
		by = sched_str(cJSON_GetObjectItem(acct, "settings"),
		    "created_by");
		if (by != NULL && strcmp(by, PAUSED_BY) == 0)
			rc = accounts_remove(ag, st, account);
		else
			rc = accounts_set_state(ag, st, account, "active",
			    NULL);
	}
	if (rc == AG_OK)
		rc = posts_account_state(ag, st, account, "blocked",
		    "scheduled", NULL, ag_now_ms(), &k);
	cJSON_Delete(acct);
	if (rc != AG_OK) {
		store_rollback(st);
		return rc;
	}
	*n = k;
	return store_commit(ag, st);
}
