/*
 * submit.c - adding jobs: one, a pipeline of chained jobs, or a batch of
 * pipelines, one per input line, all in one transaction.
 *
 * A pipeline "a | b | c" is three jobs: b waits for a and takes a's
 * result as its input, c the same with b.  A stage that fails is retried
 * alone; the stages before it are done and stay done.  The unique key,
 * the input and --after belong to the first stage.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agency.h"

#define MAX_INPUT (64u << 20)

/* The input document for the first stage, or NULL. */
static int
read_input(struct agency *ag, const struct queue_submit *s, char **out)
{
	struct buf b = BUF_INIT;
	const char *path = s->input_file;
	int rc;

	*out = NULL;
	if (path == NULL) {
		/* stdin, unless it is a terminal or the batch itself */
		if (s->no_input || (s->each && strcmp(s->each, "-") == 0) ||
		    isatty(STDIN_FILENO))
			return AG_OK;
		path = "-";
	}
	if ((rc = ag_read_file(ag, path, MAX_INPUT, &b)) != AG_OK)
		goto out;
	if (b.len == strspn(buf_str(&b), " \t\r\n")) {
		if (s->input_file != NULL)
			rc = ag_fail(ag, AG_DATAERR, "%s: empty input, "
			    "expected a document", ag_doc_name(path));
		goto out;
	}
	if ((rc = ag_json_check(ag, ag_doc_name(path), b.data, b.len)) == AG_OK)
		*out = buf_detach(&b);
out:
	buf_release(&b);
	return rc;
}

/* s with every "{}" replaced by line (new string). */
static char *
subst(const char *s, const char *line)
{
	struct buf b = BUF_INIT;
	const char *p;

	if (line == NULL)
		return xstrdup(s);
	buf_addstr(&b, "");
	for (p = s; *p != '\0'; p++) {
		if (p[0] == '{' && p[1] == '}') {
			buf_addstr(&b, line);
			p++;
		} else {
			buf_addch(&b, *p);
		}
	}
	return buf_detach(&b);
}

static char *
args_json(const struct queue_stage *st, const char *line)
{
	cJSON *arr = cJSON_CreateArray();
	char *text, *a;
	size_t i;

	for (i = 0; i < st->argc; i++) {
		a = subst(st->argv[i], line);
		cJSON_AddItemToArray(arr, cJSON_CreateString(a));
		free(a);
	}
	text = cJSON_PrintUnformatted(arr);
	cJSON_Delete(arr);
	return text;
}

struct added {
	int64_t *id;
	int *existed;
	size_t n;
};

static void
note(struct added *a, int64_t id, int existed)
{
	a->id = xreallocarray(a->id, a->n + 1, sizeof(*a->id));
	a->existed = xreallocarray(a->existed, a->n + 1,
	    sizeof(*a->existed));
	a->id[a->n] = id;
	a->existed[a->n++] = existed;
}

/* One pipeline; line is the batch line or NULL. */
static int
add_pipeline(struct agency *ag, struct store *st,
    const struct queue_submit *s, const char *input, const char *line,
    struct added *a)
{
	struct job_new j;
	int64_t *after, prev = 0, id;
	char *args, *key = NULL;
	size_t i, nafter = s->nafter;
	int existed, rc = AG_OK;

	after = xcalloc(s->nafter + 1, sizeof(*after));
	if (s->nafter > 0)
		memcpy(after, s->after, s->nafter * sizeof(*after));
	if (s->input_from > 0)
		after[nafter++] = s->input_from;
	for (i = 0; i < s->nstages && rc == AG_OK; i++) {
		memset(&j, 0, sizeof(j));
		j.type = s->stages[i].type;
		j.args = args = args_json(&s->stages[i], line);
		j.queue = s->queue;
		j.priority = s->priority;
		j.run_at = s->run_at;
		j.max_attempts = s->max_attempts;
		j.timeout = s->timeout;
		if (i == 0) {
			j.input = input;
			key = s->unique_key ? subst(s->unique_key, line) : NULL;
			j.unique_key = key;
			j.after = after;
			j.nafter = nafter;
			j.input_from = s->input_from;
		} else {
			j.after = &prev;
			j.nafter = 1;
			j.input_from = prev;
		}
		rc = jobs_add(ag, st, &j, &id, &existed);
		cJSON_free(args);
		if (rc != AG_OK)
			break;
		note(a, id, existed);
		if (existed)		/* the pipeline is there already */
			break;
		prev = id;
	}
	free(key);
	free(after);
	return rc;
}

/* A batch line that is a JSON object is the first stage's input. */
static const char *
line_input(const char *line)
{
	cJSON *v;
	int obj;

	if (line[strspn(line, " \t")] != '{')
		return NULL;
	v = cJSON_Parse(line);
	obj = cJSON_IsObject(v);
	cJSON_Delete(v);
	return obj ? line : NULL;
}

static int
add_batch(struct agency *ag, struct store *st, const struct queue_submit *s,
    const char *input, struct added *a)
{
	struct buf b = BUF_INIT;
	char *p, *nl;
	size_t lineno = 0;
	int rc;

	if ((rc = ag_read_file(ag, s->each, 256u << 20, &b)) != AG_OK)
		return rc;
	for (p = b.data; p != NULL && *p != '\0' && rc == AG_OK; p = nl) {
		lineno++;
		if ((nl = strchr(p, '\n')) != NULL)
			*nl++ = '\0';
		if (*p != '\0' && p[strlen(p) - 1] == '\r')
			p[strlen(p) - 1] = '\0';
		if (p[strspn(p, " \t")] == '\0')
			continue;
		if (p[strspn(p, " \t")] == '{' && line_input(p) == NULL) {
			rc = ag_fail(ag, AG_DATAERR, "%s:%zu: a line that "
			    "starts with '{' must be a JSON object (the input "
			    "of its first job)", ag_doc_name(s->each), lineno);
			break;
		}
		rc = add_pipeline(ag, st, s, line_input(p) ? p : input, p, a);
	}
	buf_release(&b);
	return rc;
}

static int
check(struct agency *ag, const struct queue_submit *s)
{
	size_t i;

	if (s->nstages == 0)
		return ag_fail(ag, AG_USAGE, "nothing to submit");
	for (i = 0; i < s->nstages; i++)
		if (!ag_tool_name_ok(s->stages[i].type))
			return ag_fail(ag, AG_USAGE, "'%s' is not a job type "
			    "(letters, digits, '-', '_' and '.')",
			    s->stages[i].type);
	if (s->queue != NULL && !ag_tool_name_ok(s->queue))
		return ag_fail(ag, AG_USAGE, "'%s' is not a queue name "
		    "(letters, digits, '-', '_' and '.')", s->queue);
	if (s->input_file != NULL && s->input_from > 0)
		return ag_fail(ag, AG_USAGE, "--input and --input-from both "
		    "name the input");
	return AG_OK;
}

int
queue_submit(struct agency *ag, const struct queue_submit *in, cJSON **jobs)
{
	struct queue_submit s = *in;
	struct added a = { NULL, NULL, 0 };
	struct store *st;
	cJSON *arr, *doc;
	char *input = NULL;
	size_t i;
	int rc;

	if ((rc = check(ag, &s)) != AG_OK)
		return rc;
	if (s.max_attempts <= 0)
		s.max_attempts = config_int(ag, "queue.max_attempts");
	if (s.max_attempts < 1)
		s.max_attempts = 1;
	if (s.run_at <= 0)
		s.run_at = ag_now_ms();
	if (s.input_from == 0 && (rc = read_input(ag, &s, &input)) != AG_OK)
		return rc;
	if ((rc = ag_store(ag, &st)) != AG_OK ||
	    (rc = store_begin(ag, st)) != AG_OK)
		goto out;
	if (s.each != NULL)
		rc = add_batch(ag, st, &s, input, &a);
	else
		rc = add_pipeline(ag, st, &s, input, NULL, &a);
	if (rc != AG_OK) {
		store_rollback(st);
		goto out;
	}
	if ((rc = store_commit(ag, st)) != AG_OK)
		goto out;
	arr = cJSON_CreateArray();
	for (i = 0; i < a.n && rc == AG_OK; i++) {
		if ((rc = queue_show(ag, a.id[i], 0, &doc)) != AG_OK)
			break;
		if (a.existed[i])
			cJSON_AddTrueToObject(doc, "existing");
		cJSON_AddItemToArray(arr, doc);
	}
	if (rc != AG_OK)
		cJSON_Delete(arr);
	else
		*jobs = arr;
out:
	free(a.id);
	free(a.existed);
	free(input);
	return rc;
}

int
queue_add(struct agency *ag, const struct queue_job *in, int64_t *id,
    int *existed)
{
	struct store *st;
	struct job_new j;
	cJSON *arr;
	char *args;
	size_t i;
	int rc;

	if (!ag_tool_name_ok(in->type))
		return ag_fail(ag, AG_USAGE, "'%s' is not a job type",
		    in->type);
	if ((rc = ag_store(ag, &st)) != AG_OK)
		return rc;
	arr = cJSON_CreateArray();
	for (i = 0; i < in->nargs; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(in->args[i]));
	args = cJSON_PrintUnformatted(arr);
	cJSON_Delete(arr);
	memset(&j, 0, sizeof(j));
	j.type = in->type;
	j.args = args;
	j.input = in->input;
	j.queue = in->queue;
	j.unique_key = in->unique_key;
	j.priority = in->priority;
	j.run_at = in->run_at > 0 ? in->run_at : ag_now_ms();
	j.max_attempts = in->max_attempts > 0 ? in->max_attempts :
	    config_int(ag, "queue.max_attempts");
	if (j.max_attempts < 1)
		j.max_attempts = 1;
	j.timeout = -1;
	rc = jobs_add(ag, st, &j, id, existed);
	cJSON_free(args);
	return rc;
}
