/*
 * gemini.c - Google's Gemini API: generateContent, and
 * streamGenerateContent?alt=sse when streaming (llm.md §1.1).
 *
 * The key goes in the x-goog-api-key header, never in the URL.  JSON is
 * asked for with responseMimeType and the schema with responseSchema
 * (Gemini's dialect: upper-case types, propertyOrdering).  A blocked
 * prompt is a 200 with promptFeedback.blockReason and no candidates;
 * thought parts are skipped; MAX_TOKENS is a truncation even with no
 * text.  A 429 carries its wait in the body (RetryInfo.retryDelay), and
 * a QuotaFailure whose quotaId names a PerDay limit means the quota is
 * gone for the day.  While streaming, an error can arrive as a raw JSON
 * object after the events, outside any "data:" line, with status 200.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "llm.h"

static void
build(const struct llm_provider *p, const struct llm_ask *a,
    struct llm_http *h)
{
	cJSON *body = cJSON_CreateObject(), *si, *parts, *contents, *c, *gc;
	char *s;
	size_t i;

	h->url = llm_url(p->base_url, "");
	s = h->url;
	h->url = xasprintf("%s/v1beta/models/%s:%s", s, p->model, a->stream ?
	    "streamGenerateContent?alt=sse" : "generateContent");
	free(s);
	h->headers[0] = xstrdup("Content-Type: application/json");
	if (p->key != NULL)
		h->headers[1] = xasprintf("x-goog-api-key: %s", p->key);
	if (a->system != NULL && *a->system != '\0') {
		si = cJSON_AddObjectToObject(body, "systemInstruction");
		parts = cJSON_AddArrayToObject(si, "parts");
		c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "text", a->system);
		cJSON_AddItemToArray(parts, c);
	}
	contents = cJSON_AddArrayToObject(body, "contents");
	for (i = 0; i < a->nmsgs; i++) {
		c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "role", strcmp(a->msgs[i].role,
		    "assistant") == 0 ? "model" : "user");
		parts = cJSON_AddArrayToObject(c, "parts");
		si = cJSON_CreateObject();
		cJSON_AddStringToObject(si, "text", a->msgs[i].content);
		cJSON_AddItemToArray(parts, si);
		cJSON_AddItemToArray(contents, c);
	}
	gc = cJSON_AddObjectToObject(body, "generationConfig");
	cJSON_AddNumberToObject(gc, "temperature", a->temperature);
	cJSON_AddNumberToObject(gc, "maxOutputTokens", (double)a->max_tokens);
	cJSON_AddNumberToObject(gc, "candidateCount", 1);
	if (a->seed >= 0)
		cJSON_AddNumberToObject(gc, "seed", (double)a->seed);
	if (a->fmt >= FMT_JSON)
		cJSON_AddStringToObject(gc, "responseMimeType",
		    "application/json");
	if (a->fmt >= FMT_SCHEMA && a->schema != NULL)
		cJSON_AddItemToObject(gc, "responseSchema",
		    schema_to_gemini(a->schema));
	llm_set_body(h, body);
}

/* An error object {"error": {code, message, status, details}}. */
static void
error_of(const cJSON *err, long status, struct llm_answer *ans)
{
	const cJSON *msg = cJSON_GetObjectItem(err, "message"), *d, *v;
	const cJSON *code = cJSON_GetObjectItem(err, "code");
	const char *m = cJSON_IsString(msg) ? msg->valuestring : "no message";
	const char *st = cJSON_IsString(cJSON_GetObjectItem(err, "status")) ?
	    cJSON_GetObjectItem(err, "status")->valuestring : "";
	double delay = -1;
	int per_day = 0, bad_key = 0, cls;

	if (cJSON_IsNumber(code) && (status == 0 || status == 200))
		status = (long)code->valuedouble;
	cJSON_ArrayForEach(d, cJSON_GetObjectItem(err, "details")) {
		const cJSON *type = cJSON_GetObjectItem(d, "@type");

		if (!cJSON_IsString(type))
			continue;
		if (strstr(type->valuestring, "RetryInfo") &&
		    cJSON_IsString(v = cJSON_GetObjectItem(d, "retryDelay")))
			delay = llm_parse_duration(v->valuestring);
		if (strstr(type->valuestring, "QuotaFailure")) {
			const cJSON *q;

			cJSON_ArrayForEach(q, cJSON_GetObjectItem(d,
			    "violations"))
				if (cJSON_IsString(v = cJSON_GetObjectItem(q,
				    "quotaId")) && strstr(v->valuestring,
				    "PerDay") != NULL)
					per_day = 1;
		}
		if (cJSON_IsString(v = cJSON_GetObjectItem(d, "reason")) &&
		    strcmp(v->valuestring, "API_KEY_INVALID") == 0)
			bad_key = 1;
	}
	if (delay < 0)
		delay = llm_hint_in_text(m);
	cls = llm_status_class(status);
	if (bad_key || strcmp(st, "PERMISSION_DENIED") == 0 ||
	    strcmp(st, "UNAUTHENTICATED") == 0)
		cls = LLM_AUTH;
	else if (status == 400 && strcmp(st, "FAILED_PRECONDITION") == 0)
		cls = LLM_AUTH;
	else if (status == 400 && (strcasestr(m, "schema") != NULL ||
	    strcasestr(m, "too many states") != NULL ||
	    strcasestr(m, "mime") != NULL))
		cls = LLM_CAPABILITY;
	if (status == 429 && per_day)
		cls = LLM_QUOTA;
	ans->status = ans->status ? ans->status : status;
	ans->retry_after = delay;
	ans->per_day = per_day;
	llm_answer_fail(ans, cls, "%ld %s: %s", status, *st ? st : "error", m);
}

struct stream {
	struct llm_answer *ans;
	struct sse sse;
	struct buf raw;			/* a raw JSON error object */
	int depth, echo;
	char *finish;
	int blocked;
	char *block;
};

/* One GenerateContentResponse (whole, or a streamed chunk). */
static void
chunk(struct stream *s, const cJSON *r)
{
	struct llm_answer *ans = s->ans;
	const cJSON *c, *part, *t, *u, *pf;

	if ((t = cJSON_GetObjectItem(r, "error")) != NULL) {
		error_of(t, 0, ans);
		s->blocked = -1;
		return;
	}
	if ((pf = cJSON_GetObjectItem(r, "promptFeedback")) != NULL &&
	    cJSON_IsString(t = cJSON_GetObjectItem(pf, "blockReason"))) {
		s->blocked = 1;
		free(s->block);
		s->block = xstrdup(t->valuestring);
	}
	if (cJSON_IsString(t = cJSON_GetObjectItem(r, "modelVersion"))) {
		free(ans->model);
		ans->model = xstrdup(t->valuestring);
	}
	if ((u = cJSON_GetObjectItem(r, "usageMetadata")) != NULL) {
		if (cJSON_IsNumber(t = cJSON_GetObjectItem(u,
		    "promptTokenCount")))
			ans->tokens_in = (int64_t)t->valuedouble;
		ans->tokens_out = 0;
		if (cJSON_IsNumber(t = cJSON_GetObjectItem(u,
		    "candidatesTokenCount")))
			ans->tokens_out += (int64_t)t->valuedouble;
		if (cJSON_IsNumber(t = cJSON_GetObjectItem(u,
		    "thoughtsTokenCount")))
			ans->tokens_out += (int64_t)t->valuedouble;
	}
	c = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "candidates"), 0);
	if (c == NULL)
		return;
	cJSON_ArrayForEach(part, cJSON_GetObjectItem(cJSON_GetObjectItem(c, "content"), "parts")) {
		if (cJSON_IsTrue(cJSON_GetObjectItem(part, "thought")))
			continue;
		if (cJSON_IsString(t = cJSON_GetObjectItem(part, "text"))) {
			buf_addstr(&ans->text, t->valuestring);
			if (s->echo)
				llm_echo(t->valuestring,
				    strlen(t->valuestring));
		}
	}
	if (cJSON_IsString(t = cJSON_GetObjectItem(c, "finishReason"))) {
		free(s->finish);
		s->finish = xstrdup(t->valuestring);
	}
}

/* The state after the whole answer: its class. */
static void
settle(struct stream *s)
{
	struct llm_answer *ans = s->ans;
	const char *f = s->finish ? s->finish : "";

	if (s->blocked < 0)
		return;			/* an error object said it */
	if (s->blocked) {
		llm_answer_fail(ans, LLM_BLOCKED, "the prompt was blocked "
		    "(%s)", s->block);
		return;
	}
	if (strcmp(f, "MAX_TOKENS") == 0)
		llm_answer_fail(ans, LLM_TRUNCATED, "the answer was cut off "
		    "(MAX_TOKENS)");
	else if (!strcmp(f, "SAFETY") || !strcmp(f, "BLOCKLIST") ||
	    !strcmp(f, "PROHIBITED_CONTENT") || !strcmp(f, "SPII") ||
	    !strcmp(f, "LANGUAGE") || !strcmp(f, "IMAGE_SAFETY"))
		llm_answer_fail(ans, LLM_BLOCKED, "the answer was blocked "
		    "(%s)", f);
	else if (strcmp(f, "RECITATION") == 0)
		llm_answer_fail(ans, LLM_RECITATION, "the answer was stopped "
		    "as a recitation (RECITATION)");
	else if (*f != '\0' && strcmp(f, "STOP") != 0)
		llm_answer_fail(ans, LLM_EMPTY, "the answer ended with "
		    "finishReason %s", f);
	else if (ans->text.len == 0)
		llm_answer_fail(ans, LLM_EMPTY, "the answer is empty%s",
		    *f ? "" : " (no candidates)");
}

static int
on_event(void *arg, const char *event, const char *data)
{
	struct stream *s = arg;
	cJSON *r;

	(void)event;
	if ((r = cJSON_Parse(data)) == NULL) {
		llm_answer_fail(s->ans, LLM_TRANSIENT, "a stream event is not "
		    "JSON");
		s->blocked = -1;
		return 0;
	}
	chunk(s, r);
	cJSON_Delete(r);
	return 0;
}

/* SSE lines, and the raw JSON error object Gemini may send instead. */
static int
on_line(void *arg, const char *line, size_t len)
{
	struct stream *s = arg;
	size_t i;

	buf_add(&s->ans->raw, line, len);
	buf_addch(&s->ans->raw, '\n');
	if (s->depth == 0 && (len == 0 || line[0] != '{') &&
	    !(len > 0 && line[0] == '[' && s->raw.len == 0 &&
	    memchr(line, '{', len) != NULL))
		return sse_line(&s->sse, line, len);
	buf_add(&s->raw, line, len);
	buf_addch(&s->raw, '\n');
	for (i = 0; i < len; i++)
		s->depth += line[i] == '{' ? 1 : line[i] == '}' ? -1 : 0;
	return 0;
}

static void
raw_error(struct stream *s)
{
	cJSON *r;
	const char *p = memchr(s->raw.data, '{', s->raw.len);

	r = p ? cJSON_Parse(p) : NULL;
	if (cJSON_IsArray(r)) {
		cJSON *first = cJSON_DetachItemFromArray(r, 0);

		cJSON_Delete(r);
		r = first;
	}
	if (r != NULL && cJSON_GetObjectItem(r, "error") != NULL)
		error_of(cJSON_GetObjectItem(r, "error"), 200, s->ans);
	else
		llm_answer_fail(s->ans, LLM_TRANSIENT, "the stream broke off "
		    "with something that is not an event");
	if (s->ans->cls == LLM_OK)
		s->ans->cls = LLM_TRANSIENT;
	s->blocked = -1;
	cJSON_Delete(r);
}

static int
call(struct agency *ag, struct llm_provider *p, const struct llm_ask *a,
    struct llm_answer *ans)
{
	struct http_response resp;
	struct llm_http h;
	struct stream s;
	cJSON *r;
	int rc;

	memset(&h, 0, sizeof(h));
	memset(&s, 0, sizeof(s));
	s.ans = ans;
	s.echo = a->stream;
	buf_init(&s.raw, 1 << 20);
	sse_init(&s.sse, on_event, &s);
	build(p, a, &h);
	ans->request = xstrdup(h.body);
	rc = llm_send(ag, p, &h, a->stream ? on_line : NULL, &s, &resp, ans);
	if (rc != AG_OK || ans->error != NULL)
		goto out;
	if (resp.status != 200) {
		buf_add(&ans->raw, resp.body.data, resp.body.len);
		r = cJSON_Parse(buf_str(&resp.body));
		if (cJSON_IsArray(r)) {
			cJSON *first = cJSON_DetachItemFromArray(r, 0);

			cJSON_Delete(r);
			r = first;
		}
		if (r != NULL && cJSON_IsObject(cJSON_GetObjectItem(r,
		    "error")))
			error_of(cJSON_GetObjectItem(r, "error"), resp.status,
			    ans);
		else
			llm_answer_fail(ans, llm_status_class(resp.status),
			    "HTTP %ld", resp.status);
		if (ans->retry_after < 0)
			ans->retry_after = resp.retry_after;
		cJSON_Delete(r);
		goto out;
	}
	if (a->stream) {
		sse_finish(&s.sse);
		if (s.raw.len > 0 && s.blocked >= 0)
			raw_error(&s);
	} else {
		buf_add(&ans->raw, resp.body.data, resp.body.len);
		if ((r = cJSON_Parse(buf_str(&resp.body))) == NULL) {
			llm_answer_fail(ans, LLM_TRANSIENT, "the response is "
			    "not JSON");
			goto out;
		}
		chunk(&s, r);
		cJSON_Delete(r);
	}
	if (s.blocked >= 0) {
		/* Only the text of an answer that completed counts. */
		settle(&s);
	}
	if (ans->cls != LLM_OK)
		buf_reset(&ans->text);
out:
	http_response_release(&resp);
	llm_http_release(&h);
	sse_release(&s.sse);
	buf_release(&s.raw);
	free(s.finish);
	free(s.block);
	return rc;
}

const struct llm_ops llm_gemini = { "gemini", 1, build, call };
