/*
 * queue.c - jobs as documents, and what the user does to them: show,
 * list, cancel, retry, purge, statistics; where job folders live; the
 * backoff between attempts.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agency.h"

char *
queue_dir(struct agency *ag)
{
	const char *dir = config_str(ag, "queue.dir"), *path, *slash;
	struct store *st;
	char *data, *p;

	if (dir != NULL && *dir != '\0')
		return xstrdup(dir);
	/* Beside the store, so a store named with AGENCY_DB keeps its jobs
	 * with it; a store in memory keeps them in the data folder. */
	if (ag_store(ag, &st) == AG_OK) {
		path = store_path(st);
		slash = strrchr(path, '/');
		if (slash != NULL && strcmp(path, ":memory:") != 0)
			return xasprintf("%.*s/jobs", (int)(slash - path),
			    path);
		if (slash == NULL && strcmp(path, ":memory:") != 0)
			return xstrdup("jobs");
	}
	ag_clear_error(ag);
	data = ag_xdg_dir("DATA");
	p = xasprintf("%s/agency/jobs", data);
	free(data);
	return p;
}

char *
queue_job_dir(struct agency *ag, int64_t id)
{
	char *dir = queue_dir(ag), *p;

	p = xasprintf("%s/%lld", dir, (long long)id);
	free(dir);
	return p;
}

int64_t
queue_backoff(struct agency *ag, int64_t n)
{
	static unsigned int seed;
	double base = config_number(ag, "queue.backoff");
	double cap = config_number(ag, "queue.backoff_max"), d;

	if (seed == 0)
		seed = (unsigned int)getpid() ^ (unsigned int)ag_now_ms();
	d = ldexp(base, n > 60 ? 60 : (int)(n < 1 ? 0 : n - 1));
	if (d > cap)
		d = cap;
	d *= 0.8 + 0.4 * ((double)rand_r(&seed) / ((double)RAND_MAX + 1));
	return (int64_t)(d * 1000);
}

/* ------------------------------------------------------------------ */
/* Rows of lib/store as "agency.job" documents. */

static const cJSON *
member(const cJSON *row, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(row, key);

	return v != NULL && !cJSON_IsNull(v) ? v : NULL;
}

static void
copy_number(cJSON *doc, const cJSON *row, const char *key, const char *as)
{
	const cJSON *v = member(row, key);

	if (cJSON_IsNumber(v))
		cJSON_AddNumberToObject(doc, as ? as : key, v->valuedouble);
}

static void
copy_string(cJSON *doc, const cJSON *row, const char *key, const char *as)
{
	const cJSON *v = member(row, key);

	if (cJSON_IsString(v))
		cJSON_AddStringToObject(doc, as ? as : key, v->valuestring);
}

/* An *_at column (ms) as an RFC 3339 string. */
static void
copy_time(cJSON *doc, const cJSON *row, const char *key)
{
	const cJSON *v = member(row, key);
	char buf[AG_TIMEBUF];

	if (cJSON_IsNumber(v))
		cJSON_AddStringToObject(doc, key, ag_time_format((time_t)
		    (v->valuedouble / 1000), buf));
}

/* A column holding JSON text, parsed (the text itself if it is not). */
static void
copy_json(cJSON *doc, const cJSON *row, const char *key)
{
	const cJSON *v = member(row, key);
	cJSON *parsed;

	if (v == NULL)
		return;
	if (cJSON_IsString(v) && (parsed = cJSON_Parse(v->valuestring)))
		cJSON_AddItemToObject(doc, key, parsed);
	else
		cJSON_AddItemToObject(doc, key, cJSON_Duplicate(v, 1));
}

static cJSON *
run_doc(const cJSON *a)
{
	const cJSON *s = member(a, "started_at"), *e = member(a, "ended_at");
	const cJSON *w = member(a, "wait_ms");
	cJSON *d = cJSON_CreateObject();

	copy_number(d, a, "n", NULL);
	copy_string(d, a, "outcome", NULL);
	copy_time(d, a, "started_at");
	copy_time(d, a, "ended_at");
	if (s != NULL && e != NULL)
		cJSON_AddNumberToObject(d, "duration", (e->valuedouble -
		    s->valuedouble) / 1000);
	if (w != NULL)
		cJSON_AddNumberToObject(d, "wait", w->valuedouble / 1000);
	copy_number(d, a, "exit_code", NULL);
	copy_number(d, a, "signal", NULL);
	copy_string(d, a, "error", NULL);
	copy_string(d, a, "runner", NULL);
	copy_string(d, a, "host", NULL);
	copy_number(d, a, "pid", NULL);
	copy_string(d, a, "log", NULL);
	return d;
}

cJSON *
queue_job_doc(const cJSON *row)
{
	cJSON *doc = ag_doc_new("agency.job"), *runs;
	const cJSON *v, *a, *state = member(row, "state");

	copy_number(doc, row, "id", NULL);
	copy_string(doc, row, "type", NULL);
	copy_json(doc, row, "args");
	copy_string(doc, row, "queue", NULL);
	copy_string(doc, row, "state", NULL);
	copy_number(doc, row, "priority", NULL);
	copy_time(doc, row, "run_at");
	copy_number(doc, row, "attempts", NULL);
	copy_number(doc, row, "max_attempts", NULL);
	copy_number(doc, row, "failures", NULL);
	copy_number(doc, row, "timeout", NULL);
	copy_string(doc, row, "unique_key", NULL);
	v = member(row, "after");
	if (cJSON_IsString(v) && strcmp(v->valuestring, "[]") != 0)
		copy_json(doc, row, "after");
	copy_number(doc, row, "input_from", NULL);
	if (cJSON_IsString(state) && strcmp(state->valuestring, "queued") == 0)
		copy_number(doc, row, "waiting", NULL);
	copy_number(doc, row, "cancelled_by", NULL);
	if (cJSON_IsString(state) && strcmp(state->valuestring, "running") ==
	    0) {
		copy_time(doc, row, "lease_until");
		copy_string(doc, row, "lease_owner", "runner");
	}
	copy_string(doc, row, "error", NULL);
	copy_time(doc, row, "created_at");
	copy_time(doc, row, "updated_at");
	copy_time(doc, row, "finished_at");
	if ((v = cJSON_GetObjectItemCaseSensitive(row, "input")) != NULL)
		cJSON_AddItemToObject(doc, "input", cJSON_Duplicate(v, 1));
	if ((v = cJSON_GetObjectItemCaseSensitive(row, "result")) != NULL)
		cJSON_AddItemToObject(doc, "result", cJSON_Duplicate(v, 1));
	if ((v = cJSON_GetObjectItemCaseSensitive(row, "runs")) != NULL) {
		runs = cJSON_AddArrayToObject(doc, "runs");
		cJSON_ArrayForEach(a, v)
			cJSON_AddItemToArray(runs, run_doc(a));
	}
	return doc;
}

int
queue_show(struct agency *ag, int64_t id, int full, cJSON **doc)
{
	struct store *st;
	cJSON *row;
	int rc;

	if ((rc = ag_store(ag, &st)) != AG_OK ||
	    (rc = jobs_get(ag, st, id, full, &row)) != AG_OK)
		return rc;
	*doc = queue_job_doc(row);
	cJSON_Delete(row);
	return AG_OK;
}

int
queue_states(struct agency *ag, const int64_t *ids, size_t n, cJSON **out)
{
	struct store *st;
	cJSON *arr;
	char *text;
	size_t i;
	int rc;

	if ((rc = ag_store(ag, &st)) != AG_OK)
		return rc;
	arr = cJSON_CreateArray();
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateNumber((double)ids[i]));
	text = cJSON_PrintUnformatted(arr);
	cJSON_Delete(arr);
	rc = jobs_states(ag, st, text, out);
	cJSON_free(text);
	return rc;
}

struct list_ctx {
	int (*fn)(void *arg, const cJSON *doc);
	void *arg;
};

static int
list_one(void *arg, const cJSON *row)
{
	struct list_ctx *c = arg;
	cJSON *doc = queue_job_doc(row);
	int rc = c->fn(c->arg, doc);

	cJSON_Delete(doc);
	return rc;
}

int
queue_list(struct agency *ag, const struct job_filter *f,
    int (*fn)(void *arg, const cJSON *doc), void *arg)
{
	struct list_ctx c = { fn, arg };
	struct store *st;
	int rc;

	if ((rc = ag_store(ag, &st)) != AG_OK)
		return rc;
	return jobs_list(ag, st, f, list_one, &c);
}

/* fn(id, now) on the context's store. */
static int
on_job(struct agency *ag, int64_t id, int (*fn)(struct agency *,
    struct store *, int64_t, int64_t))
{
	struct store *st;
	int rc;

	if ((rc = ag_store(ag, &st)) != AG_OK)
		return rc;
	return fn(ag, st, id, ag_now_ms());
}

int
queue_cancel(struct agency *ag, int64_t id)
{
	return on_job(ag, id, jobs_cancel);
}

int
queue_retry(struct agency *ag, int64_t id)
{
	return on_job(ag, id, jobs_retry);
}

int
queue_retry_dead(struct agency *ag, int64_t *n)
{
	struct store *st;
	cJSON *ids, *id;
	int rc;

	*n = 0;
	if ((rc = ag_store(ag, &st)) != AG_OK ||
	    (rc = store_begin(ag, st)) != AG_OK)
		return rc;
	if ((rc = jobs_dead(ag, st, &ids)) != AG_OK) {
		store_rollback(st);
		return rc;
	}
	cJSON_ArrayForEach(id, ids) {
		/* A job held back by a dead job it waits for is revived
		 * along with that one. */
		rc = jobs_retry(ag, st, (int64_t)id->valuedouble, ag_now_ms());
		if (rc != AG_OK)
			break;
		++*n;
	}
	cJSON_Delete(ids);
	if (rc != AG_OK) {
		store_rollback(st);
		*n = 0;
		return rc;
	}
	return store_commit(ag, st);
}

int
queue_purge(struct agency *ag, double age, const char *states, int64_t *n)
{
	struct store *st;
	cJSON *arr = cJSON_CreateArray(), *ids = NULL, *id;
	char *list = xstrdup(states), *p, *comma, *text, *dir;
	int rc = AG_OK;

	for (p = list; p != NULL && rc == AG_OK; p = comma) {
		if ((comma = strchr(p, ',')) != NULL)
			*comma++ = '\0';
		if (strcmp(p, "done") != 0 && strcmp(p, "dead") != 0 &&
		    strcmp(p, "cancelled") != 0)
			rc = ag_fail(ag, AG_USAGE, "cannot purge jobs in state "
			    "'%s': only done, dead and cancelled jobs end",
			    p);
		cJSON_AddItemToArray(arr, cJSON_CreateString(p));
	}
	free(list);
	text = cJSON_PrintUnformatted(arr);
	cJSON_Delete(arr);
	if (rc == AG_OK && (rc = ag_store(ag, &st)) == AG_OK)
		rc = jobs_purge(ag, st, ag_now_ms() - (int64_t)(age * 1000),
		    text, &ids);
	cJSON_free(text);
	if (rc != AG_OK)
		return rc;
	*n = cJSON_GetArraySize(ids);
	cJSON_ArrayForEach(id, ids) {
		dir = queue_job_dir(ag, (int64_t)id->valuedouble);
		if (ag_remove_tree(ag, dir) != AG_OK) {
			ag_warn(ag, "%s", ag->err);
			ag_clear_error(ag);
		}
		free(dir);
	}
	cJSON_Delete(ids);
	return AG_OK;
}

/* Nearest-rank percentile of sorted v, in seconds. */
static double
pct(const int64_t *v, size_t n, double q)
{
	size_t k = (size_t)ceil(q * (double)n);

	if (n == 0)
		return 0;
	return (double)v[k > 0 ? k - 1 : 0] / 1000;
}

static cJSON *
spread(const int64_t *v, size_t n)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "p50", pct(v, n, 0.50));
	cJSON_AddNumberToObject(o, "p90", pct(v, n, 0.90));
	cJSON_AddNumberToObject(o, "p99", pct(v, n, 0.99));
	cJSON_AddNumberToObject(o, "max", n ? (double)v[n - 1] / 1000 : 0);
	return o;
}

int
queue_stats(struct agency *ag, int64_t since, cJSON **doc)
{
	static const char *const names[] = { "queued", "running", "done",
	    "failed", "dead", "cancelled" };
	struct job_stats s;
	struct store *st;
	cJSON *d, *o;
	char buf[AG_TIMEBUF];
	double span;
	size_t i;
	int rc;

	if ((rc = ag_store(ag, &st)) != AG_OK ||
	    (rc = jobs_stats(ag, st, since, &s)) != AG_OK)
		return rc;
	d = ag_doc_new("agency.queue.stats");
	cJSON_AddStringToObject(d, "since", ag_time_format((time_t)(since /
	    1000), buf));
	o = cJSON_AddObjectToObject(d, "jobs");
	for (i = 0; i < 6; i++)
		cJSON_AddNumberToObject(o, names[i], (double)s.states[i]);
	o = cJSON_AddObjectToObject(d, "attempts");
	cJSON_AddNumberToObject(o, "ended", (double)s.attempts);
	cJSON_AddNumberToObject(o, "done", (double)s.done);
	cJSON_AddNumberToObject(o, "failed", (double)s.failed);
	/* Throughput over the time the queue was busy, not the window. */
	span = (double)(s.last_end - s.first_start) / 1000;
	cJSON_AddNumberToObject(d, "throughput", span > 0 ? (double)s.done /
	    span : 0);
	cJSON_AddItemToObject(d, "wait", spread(s.wait_ms, s.nwait));
	cJSON_AddItemToObject(d, "run", spread(s.run_ms, s.nrun));
	free(s.wait_ms);
	free(s.run_ms);
	*doc = d;
	return AG_OK;
}
