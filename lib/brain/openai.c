/*
 * openai.c - any OpenAI-compatible chat completions endpoint: Groq by
 * default, OpenAI, OpenRouter, a llama.cpp server, vLLM (llm.md §1.2,
 * §1.3, §1.5).
 *
 * POST {base_url}/chat/completions with a Bearer key (none for a local
 * server without one).  JSON is asked for with response_format, from
 * the strongest to the weakest: json_schema (strict), json_object, then
 * the prompt alone, stepping down when a server answers 400 about the
 * format.  Groq's json_validate_failed carries the model's output in
 * failed_generation, which goes to the repair path like any answer.
 * Streams are SSE ending in "data: [DONE]"; usage comes in a last chunk
 * with empty (or null) choices, or in x_groq.usage; an "error" member
 * or an "event: error" inside a 200 stream is an error.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "llm.h"

static void
build(const struct llm_provider *p, const struct llm_ask *a,
    struct llm_http *h)
{
	cJSON *body = cJSON_CreateObject(), *rf, *js;

	h->url = llm_url(p->base_url, "/chat/completions");
	h->headers[0] = xstrdup("Content-Type: application/json");
	if (p->key != NULL)
		h->headers[1] = xasprintf("Authorization: Bearer %s", p->key);
	cJSON_AddStringToObject(body, "model", p->model);
	cJSON_AddItemToObject(body, "messages", llm_messages(a));
	cJSON_AddNumberToObject(body, "temperature", a->temperature);
	/* OpenAI wants the newer name; compatible servers the older. */
	cJSON_AddNumberToObject(body, strcmp(p->name, "openai") == 0 ?
	    "max_completion_tokens" : "max_tokens", (double)a->max_tokens);
	if (a->seed >= 0)
		cJSON_AddNumberToObject(body, "seed", (double)a->seed);
	if (a->fmt == FMT_SCHEMA && a->schema != NULL) {
		rf = cJSON_AddObjectToObject(body, "response_format");
		cJSON_AddStringToObject(rf, "type", "json_schema");
		js = cJSON_AddObjectToObject(rf, "json_schema");
		cJSON_AddStringToObject(js, "name", a->schema_name ?
		    a->schema_name : "answer");
		cJSON_AddItemToObject(js, "schema", cJSON_Duplicate(a->schema,
		    1));
		cJSON_AddTrueToObject(js, "strict");
	} else if (a->fmt >= FMT_JSON) {
		rf = cJSON_AddObjectToObject(body, "response_format");
		cJSON_AddStringToObject(rf, "type", "json_object");
	}
	if (a->stream) {
		cJSON_AddTrueToObject(body, "stream");
		cJSON_AddItemToObject(body, "stream_options", cJSON_CreateRaw(
		    "{\"include_usage\":true}"));
	}
	llm_set_body(h, body);
}

/* {"error": {"message", "type", "code", "failed_generation"}}. */
static void
error_of(const cJSON *err, long status, const struct http_response *resp,
    struct llm_answer *ans)
{
	const cJSON *v;
	const char *m = "no message", *code = "", *type = "";
	char h[64], rem[64];
	double wait = resp ? resp->retry_after : -1, d;
	int cls;

	if (cJSON_IsString(err))
		m = err->valuestring;
	if (cJSON_IsString(v = cJSON_GetObjectItem(err, "message")))
		m = v->valuestring;
	if (cJSON_IsString(v = cJSON_GetObjectItem(err, "code")))
		code = v->valuestring;
	else if (cJSON_IsNumber(v) && (status == 0 || status == 200))
		status = (long)v->valuedouble;
	if (cJSON_IsString(v = cJSON_GetObjectItem(err, "type")))
		type = v->valuestring;
	cls = status ? llm_status_class(status) : LLM_TRANSIENT;
	if (strcmp(code, "json_validate_failed") == 0) {
		cls = LLM_FAILED_JSON;
		if (cJSON_IsString(v = cJSON_GetObjectItem(err,
		    "failed_generation")))
			ans->failed = xstrdup(v->valuestring);
		else
			cls = LLM_BADREQ;
	} else if (status == 400 && (strcasestr(m, "response_format") ||
	    strcasestr(m, "response format") || strcasestr(m, "json_schema") ||
	    strcasestr(m, "json_object") || strcasestr(m, "word 'json'") ||
	    strcasestr(m, "structured output"))) {
		cls = LLM_CAPABILITY;
	} else if (strcmp(code, "insufficient_quota") == 0 ||
	    strcmp(type, "insufficient_quota") == 0) {
		cls = LLM_QUOTA;
	} else if (strcmp(code, "invalid_api_key") == 0) {
		cls = LLM_AUTH;
	} else if (strcmp(code, "model_not_found") == 0) {
		cls = LLM_NOTFOUND;
	}
	/* Groq and OpenAI: which limit ran out, and when it resets. */
	if (wait < 0 && resp != NULL && status == 429) {
		if (http_header(resp, "x-ratelimit-remaining-requests", rem,
		    sizeof(rem)) && strcmp(rem, "0") == 0 && http_header(resp,
		    "x-ratelimit-reset-requests", h, sizeof(h)) &&
		    (d = llm_parse_duration(h)) > wait)
			wait = d;
		if (http_header(resp, "x-ratelimit-remaining-tokens", rem,
		    sizeof(rem)) && strcmp(rem, "0") == 0 && http_header(resp,
		    "x-ratelimit-reset-tokens", h, sizeof(h)) &&
		    (d = llm_parse_duration(h)) > wait)
			wait = d;
	}
	if (wait < 0)
		wait = llm_hint_in_text(m);
	ans->retry_after = wait;
	ans->status = status;
	llm_answer_fail(ans, cls, "%ld%s%s: %s", status, *code ? " " : "",
	    code, m);
}

struct stream {
	struct llm_answer *ans;
	struct sse sse;
	int echo, done, failed;
	char *finish;
	char *refusal;
};

static void
usage_of(const cJSON *u, struct llm_answer *ans)
{
	const cJSON *t;

	if (!cJSON_IsObject(u))
		return;
	if (cJSON_IsNumber(t = cJSON_GetObjectItem(u, "prompt_tokens")))
		ans->tokens_in = (int64_t)t->valuedouble;
	if (cJSON_IsNumber(t = cJSON_GetObjectItem(u, "completion_tokens")))
		ans->tokens_out = (int64_t)t->valuedouble;
}

static void
common(struct stream *s, const cJSON *r)
{
	const cJSON *t;

	if (cJSON_IsString(t = cJSON_GetObjectItem(r, "model"))) {
		free(s->ans->model);
		s->ans->model = xstrdup(t->valuestring);
	}
	usage_of(cJSON_GetObjectItem(r, "usage"), s->ans);
	if ((t = cJSON_GetObjectItem(r, "x_groq")) != NULL)
		usage_of(cJSON_GetObjectItem(t, "usage"), s->ans);
}

static void
set(char **slot, const char *v)
{
	free(*slot);
	*slot = xstrdup(v);
}

static int
on_event(void *arg, const char *event, const char *data)
{
	struct stream *s = arg;
	const cJSON *c, *d, *t;
	cJSON *r;

	if (s->done || s->failed)
		return 0;
	if (strncmp(data, "[DONE]", 6) == 0) {
		s->done = 1;
		return 0;
	}
	if ((r = cJSON_Parse(data)) == NULL) {
		llm_answer_fail(s->ans, LLM_TRANSIENT, "a stream event is not "
		    "JSON");
		s->failed = 1;
		return 0;
	}
	if ((t = cJSON_GetObjectItem(r, "error")) != NULL ||
	    strcmp(event, "error") == 0) {
		error_of(t ? t : r, 0, NULL, s->ans);
		if (s->ans->cls == LLM_BADREQ)
			s->ans->cls = LLM_TRANSIENT;
		s->failed = 1;
		cJSON_Delete(r);
		return 0;
	}
	common(s, r);
	c = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "choices"), 0);
	d = c ? cJSON_GetObjectItem(c, "delta") : NULL;
	if (cJSON_IsString(t = cJSON_GetObjectItem(d, "content"))) {
		buf_addstr(&s->ans->text, t->valuestring);
		if (s->echo)
			llm_echo(t->valuestring, strlen(t->valuestring));
	}
	if (cJSON_IsString(t = cJSON_GetObjectItem(d, "refusal")))
		set(&s->refusal, t->valuestring);
	if (c != NULL && cJSON_IsString(t = cJSON_GetObjectItem(c,
	    "finish_reason")))
		set(&s->finish, t->valuestring);
	cJSON_Delete(r);
	return 0;
}

static void
settle(struct stream *s)
{
	struct llm_answer *ans = s->ans;
	const char *f = s->finish ? s->finish : "";

	if (s->failed)
		return;
	if (s->refusal != NULL)
		llm_answer_fail(ans, LLM_BLOCKED, "the model refused: %s",
		    s->refusal);
	else if (strcmp(f, "length") == 0)
		llm_answer_fail(ans, LLM_TRUNCATED, "the answer was cut off "
		    "(finish_reason length)");
	else if (strcmp(f, "content_filter") == 0)
		llm_answer_fail(ans, LLM_BLOCKED, "the answer was blocked "
		    "(content_filter)");
	else if (ans->text.len == 0)
		llm_answer_fail(ans, LLM_EMPTY, "the answer is empty");
}

static int
call(struct agency *ag, struct llm_provider *p, const struct llm_ask *a,
    struct llm_answer *ans)
{
	struct http_response resp;
	struct llm_http h;
	struct stream s;
	const cJSON *c, *m, *t;
	cJSON *r;
	int rc;

	memset(&h, 0, sizeof(h));
	memset(&s, 0, sizeof(s));
	s.ans = ans;
	s.echo = a->stream;
	sse_init(&s.sse, on_event, &s);
	build(p, a, &h);
	ans->request = xstrdup(h.body);
	rc = llm_send(ag, p, &h, a->stream ? sse_line : NULL, &s.sse, &resp,
	    ans);
	if (rc != AG_OK || ans->error != NULL)
		goto out;
	if (resp.status < 200 || resp.status > 299) {
		buf_add(&ans->raw, resp.body.data, resp.body.len);
		r = cJSON_Parse(buf_str(&resp.body));
		if (r != NULL && (t = cJSON_GetObjectItem(r, "error")) != NULL)
			error_of(t, resp.status, &resp, ans);
		else
			error_of(NULL, resp.status, &resp, ans);
		cJSON_Delete(r);
		goto out;
	}
	if (a->stream) {
		sse_finish(&s.sse);
		if (!s.done && !s.failed && s.finish == NULL) {
			llm_answer_fail(ans, LLM_TRANSIENT, "the stream ended "
			    "before the answer did");
			s.failed = 1;
		}
	} else {
		buf_add(&ans->raw, resp.body.data, resp.body.len);
		if ((r = cJSON_Parse(buf_str(&resp.body))) == NULL) {
			llm_answer_fail(ans, LLM_TRANSIENT, "the response is "
			    "not JSON");
			goto out;
		}
		if ((t = cJSON_GetObjectItem(r, "error")) != NULL) {
			error_of(t, 0, NULL, ans);
			s.failed = 1;
		}
		common(&s, r);
		c = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "choices"), 0);
		m = c ? cJSON_GetObjectItem(c, "message") : NULL;
		if (cJSON_IsString(t = cJSON_GetObjectItem(m, "content")))
			buf_addstr(&ans->text, t->valuestring);
		if (cJSON_IsString(t = cJSON_GetObjectItem(m, "refusal")))
			set(&s.refusal, t->valuestring);
		if (c && cJSON_IsString(t = cJSON_GetObjectItem(c,
		    "finish_reason")))
			set(&s.finish, t->valuestring);
		cJSON_Delete(r);
	}
	settle(&s);
	if (ans->cls != LLM_OK)
		buf_reset(&ans->text);
out:
	if (a->stream && s.sse.data.len > 0)
		buf_add(&ans->raw, s.sse.data.data, s.sse.data.len);
	http_response_release(&resp);
	llm_http_release(&h);
	sse_release(&s.sse);
	free(s.finish);
	free(s.refusal);
	return rc;
}

const struct llm_ops llm_openai = { "openai", 1, build, call };
