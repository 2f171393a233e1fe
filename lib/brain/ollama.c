/*
 * ollama.c - Ollama's native API (llm.md §1.4): POST /api/chat, with
 * "format" holding the JSON Schema (or "json"), streamed as NDJSON,
 * one object a line, the last with done:true, done_reason and the token
 * counts.  Errors are {"error": "text"}, as the whole body or as a line
 * inside a 200 stream.  Before the first call the model is looked up in
 * GET /api/tags, so a model that was never pulled is one clear message
 * ("ollama pull NAME") rather than a 404.  No key: a key found anyway
 * (for a proxy in front of Ollama) is sent as a Bearer token.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "llm.h"

static void
build(const struct llm_provider *p, const struct llm_ask *a,
    struct llm_http *h)
{
	cJSON *body = cJSON_CreateObject(), *o;

	h->url = llm_url(p->base_url, "/api/chat");
	h->headers[0] = xstrdup("Content-Type: application/json");
	if (p->key != NULL)
		h->headers[1] = xasprintf("Authorization: Bearer %s", p->key);
	cJSON_AddStringToObject(body, "model", p->model);
	cJSON_AddItemToObject(body, "messages", llm_messages(a));
	cJSON_AddBoolToObject(body, "stream", a->stream);
	if (a->fmt == FMT_SCHEMA && a->schema != NULL)
		cJSON_AddItemToObject(body, "format", cJSON_Duplicate(a->schema,
		    1));
	else if (a->fmt >= FMT_JSON)
		cJSON_AddStringToObject(body, "format", "json");
	o = cJSON_AddObjectToObject(body, "options");
	cJSON_AddNumberToObject(o, "temperature", a->temperature);
	cJSON_AddNumberToObject(o, "num_predict", (double)a->max_tokens);
	if (a->seed >= 0)
		cJSON_AddNumberToObject(o, "seed", (double)a->seed);
	llm_set_body(h, body);
}

static void
error_of(const char *m, long status, struct llm_answer *ans)
{
	int cls = status ? llm_status_class(status) : LLM_TRANSIENT;

	if (status == 400 && strcasestr(m, "format") != NULL)
		cls = LLM_CAPABILITY;
	if (strcasestr(m, "not found") != NULL && (status == 0 ||
	    status == 404))
		cls = LLM_NOTFOUND;
	ans->status = status;
	llm_answer_fail(ans, cls, "%ld: %s", status, m);
}

struct stream {
	struct llm_answer *ans;
	int echo, done, failed;
	char *reason;
};

static void
message(struct stream *s, const cJSON *r)
{
	const cJSON *t;

	if (cJSON_IsString(t = cJSON_GetObjectItem(r, "error"))) {
		error_of(t->valuestring, 0, s->ans);
		s->failed = 1;
		return;
	}
	if (cJSON_IsString(t = cJSON_GetObjectItem(cJSON_GetObjectItem(r,
	    "message"), "content"))) {
		buf_addstr(&s->ans->text, t->valuestring);
		if (s->echo)
			llm_echo(t->valuestring, strlen(t->valuestring));
	}
	if (cJSON_IsString(t = cJSON_GetObjectItem(r, "model"))) {
		free(s->ans->model);
		s->ans->model = xstrdup(t->valuestring);
	}
	if (!cJSON_IsTrue(cJSON_GetObjectItem(r, "done")))
		return;
	s->done = 1;
	if (cJSON_IsString(t = cJSON_GetObjectItem(r, "done_reason"))) {
		free(s->reason);
		s->reason = xstrdup(t->valuestring);
	}
	if (cJSON_IsNumber(t = cJSON_GetObjectItem(r, "prompt_eval_count")))
		s->ans->tokens_in = (int64_t)t->valuedouble;
	if (cJSON_IsNumber(t = cJSON_GetObjectItem(r, "eval_count")))
		s->ans->tokens_out = (int64_t)t->valuedouble;
}

static int
on_line(void *arg, const char *line, size_t len)
{
	struct stream *s = arg;
	cJSON *r;

	buf_add(&s->ans->raw, line, len);
	buf_addch(&s->ans->raw, '\n');
	if (len == 0 || s->failed)
		return 0;
	if ((r = cJSON_ParseWithLength(line, len)) == NULL) {
		llm_answer_fail(s->ans, LLM_TRANSIENT, "a stream line is not "
		    "JSON");
		s->failed = 1;
		return 0;
	}
	message(s, r);
	cJSON_Delete(r);
	return 0;
}

/* Is the model pulled?  GET /api/tags, once. */
static int
check_model(struct agency *ag, struct llm_provider *p,
    struct llm_answer *ans)
{
	struct http_request req;
	struct http_response resp;
	const cJSON *m, *n;
	cJSON *r;
	char *url = llm_url(p->base_url, "/api/tags"), *latest;
	int rc, found = 0;

	http_request_init(&req, url);
	req.retries = 0;
	req.timeout = p->timeout;
	req.connect_timeout = p->connect_timeout;
	rc = http_request(ag, &req, &resp);
	free(url);
	if (rc == AG_TEMPFAIL && resp.fail != HTTP_FAIL_NONE) {
		llm_answer_fail(ans, resp.fail == HTTP_FAIL_CONNECT ?
		    LLM_CONNECT : LLM_TRANSIENT, "%s", ag->err);
		ag_clear_error(ag);
		http_response_release(&resp);
		return AG_OK;
	}
	if (rc != AG_OK) {
		http_response_release(&resp);
		return rc;
	}
	if (resp.status != 200) {
		llm_answer_fail(ans, llm_status_class(resp.status), "GET "
		    "/api/tags: HTTP %ld", resp.status);
		http_response_release(&resp);
		return AG_OK;
	}
	latest = xasprintf("%s:latest", p->model);
	r = cJSON_Parse(buf_str(&resp.body));
	cJSON_ArrayForEach(m, cJSON_GetObjectItem(r, "models")) {
		n = cJSON_GetObjectItem(m, "name");
		if (!cJSON_IsString(n))
			n = cJSON_GetObjectItem(m, "model");
		if (cJSON_IsString(n) && (strcmp(n->valuestring, p->model) == 0 ||
		    strcmp(n->valuestring, latest) == 0))
			found = 1;
	}
	if (!found)
		llm_answer_fail(ans, LLM_NOTFOUND, "model '%s' is not pulled; "
		    "run 'ollama pull %s'", p->model, p->model);
	else
		p->checked = 1;
	cJSON_Delete(r);
	free(latest);
	http_response_release(&resp);
	return AG_OK;
}

static int
call(struct agency *ag, struct llm_provider *p, const struct llm_ask *a,
    struct llm_answer *ans)
{
	struct http_response resp;
	struct llm_http h;
	struct stream s;
	const cJSON *t;
	cJSON *r;
	int rc;

	if (!p->checked && ((rc = check_model(ag, p, ans)) != AG_OK ||
	    ans->error != NULL))
		return rc;
	memset(&h, 0, sizeof(h));
	memset(&s, 0, sizeof(s));
	s.ans = ans;
	s.echo = a->stream;
	build(p, a, &h);
	ans->request = xstrdup(h.body);
	rc = llm_send(ag, p, &h, a->stream ? on_line : NULL, &s, &resp, ans);
	if (rc != AG_OK || ans->error != NULL)
		goto out;
	if (resp.status != 200) {
		buf_add(&ans->raw, resp.body.data, resp.body.len);
		r = cJSON_Parse(buf_str(&resp.body));
		t = cJSON_GetObjectItem(r, "error");
		error_of(cJSON_IsString(t) ? t->valuestring : "no message",
		    resp.status, ans);
		if (ans->cls == LLM_RATE || ans->cls == LLM_TRANSIENT)
			ans->retry_after = resp.retry_after;
		cJSON_Delete(r);
		goto out;
	}
	if (!a->stream) {
		buf_add(&ans->raw, resp.body.data, resp.body.len);
		if ((r = cJSON_Parse(buf_str(&resp.body))) == NULL) {
			llm_answer_fail(ans, LLM_TRANSIENT, "the response is "
			    "not JSON");
			goto out;
		}
		message(&s, r);
		cJSON_Delete(r);
	}
	if (s.failed)
		goto out;
	if (!s.done)
		llm_answer_fail(ans, LLM_TRANSIENT, "the stream ended before "
		    "done");
	else if (s.reason != NULL && strcmp(s.reason, "length") == 0)
		llm_answer_fail(ans, LLM_TRUNCATED, "the answer was cut off "
		    "(done_reason length)");
	else if (ans->text.len == 0)
		llm_answer_fail(ans, LLM_EMPTY, "the answer is empty");
out:
	if (ans->cls != LLM_OK)
		buf_reset(&ans->text);
	http_response_release(&resp);
	llm_http_release(&h);
	free(s.reason);
	return rc;
}

const struct llm_ops llm_ollama = { "ollama", 0, build, call };
