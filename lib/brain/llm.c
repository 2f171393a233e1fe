/*
 * llm.c - what the network providers share: the HTTP exchange with the
 * provider's timeouts, the classes of errors, and the parsers for the
 * waits providers ask for (llm.md §3.5).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "llm.h"

void
llm_answer_init(struct llm_answer *a)
{
	memset(a, 0, sizeof(*a));
	buf_init(&a->text, 16u << 20);
	buf_init(&a->raw, 16u << 20);
	a->retry_after = -1;
	a->cls = LLM_OK;
}

void
llm_answer_release(struct llm_answer *a)
{
	buf_release(&a->text);
	buf_release(&a->raw);
	free(a->error);
	free(a->failed);
	free(a->model);
	free(a->request);
	memset(a, 0, sizeof(*a));
}

void
llm_answer_fail(struct llm_answer *a, int cls, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	free(a->error);
	a->error = xstrdup(msg);
	a->cls = cls;
}

void
llm_http_release(struct llm_http *h)
{
	size_t i;

	free(h->url);
	for (i = 0; i < sizeof(h->headers) / sizeof(h->headers[0]); i++)
		free(h->headers[i]);
	free(h->body);
	memset(h, 0, sizeof(*h));
}

char *
llm_url(const char *base, const char *path)
{
	size_t n = strlen(base);

	while (n > 0 && base[n - 1] == '/')
		n--;
	return xasprintf("%.*s%s", (int)n, base, path);
}

const char *
llm_class_name(int cls)
{
	static const char *const names[] = {
		"ok", "truncated", "blocked", "recitation", "empty",
		"transient", "unreachable", "rate-limited", "quota", "auth",
		"not-found", "unsupported", "invalid-json", "bad-request"
	};

	return cls >= 0 && cls < (int)(sizeof(names) / sizeof(names[0])) ?
	    names[cls] : "error";
}

int
llm_status_class(long status)
{
	if (status == 401 || status == 403)
		return LLM_AUTH;
	if (status == 404)
		return LLM_NOTFOUND;
	if (status == 429)
		return LLM_RATE;
	if (status == 408 || status == 409 || status == 422 ||
	    status == 498 || status >= 500)
		return LLM_TRANSIENT;
	return LLM_BADREQ;
}

int
llm_send(struct agency *ag, const struct llm_provider *p,
    const struct llm_http *h, int (*on_line)(void *, const char *, size_t),
    void *arg, struct http_response *resp, struct llm_answer *ans)
{
	struct http_request req;
	int rc;

	http_request_init(&req, h->url);
	req.method = "POST";
	req.headers = (const char *const *)h->headers;
	req.body = h->body;
	req.body_len = strlen(h->body);
	req.idempotent = 1;	/* asking again does no harm */
	req.retries = 0;	/* the chain retries, knowing the classes */
	req.timeout = p->timeout;
	req.connect_timeout = p->connect_timeout;
	req.idle_timeout = p->idle_timeout;
	req.on_line = on_line;
	req.line_arg = arg;
	rc = http_request(ag, &req, resp);
	if (rc == AG_TEMPFAIL && resp->fail != HTTP_FAIL_NONE) {
		llm_answer_fail(ans, resp->fail == HTTP_FAIL_CONNECT ?
		    LLM_CONNECT : LLM_TRANSIENT, "%s", ag->err);
		ag_clear_error(ag);
		return AG_OK;
	}
	if (rc != AG_OK)
		return rc;
	ans->status = resp->status;
	return AG_OK;
}

double
llm_parse_duration(const char *s)
{
	double total = 0, v;
	char *end;
	int any = 0;

	if (s == NULL)
		return -1;
	while (isspace((unsigned char)*s))
		s++;
	while (*s != '\0' && !isspace((unsigned char)*s) && *s != '"') {
		v = strtod(s, &end);
		if (end == s || v < 0)
			return -1;
		s = end;
		if (strncmp(s, "ms", 2) == 0) {
			v /= 1000;
			s += 2;
		} else if (*s == 'h') {
			v *= 3600;
			s++;
		} else if (*s == 'm') {
			v *= 60;
			s++;
		} else if (*s == 's') {
			s++;
		} else if (*s == '\0' && !any) {
			;		/* a bare number: seconds */
		} else {
			return -1;
		}
		total += v;
		any = 1;
	}
	return any ? total : -1;
}

double
llm_hint_in_text(const char *msg)
{
	static const char *const cues[] = { "retry in ", "try again in ",
	    NULL };
	const char *p;
	char num[64];
	size_t i, n;

	for (i = 0; msg != NULL && cues[i] != NULL; i++) {
		if ((p = strstr(msg, cues[i])) == NULL)
			continue;
		p += strlen(cues[i]);
		n = strspn(p, "0123456789.hms");
		if (n == 0 || n >= sizeof(num))
			continue;
		memcpy(num, p, n);
		num[n] = '\0';
		while (n > 0 && num[n - 1] == '.')
			num[--n] = '\0';
		return llm_parse_duration(num);
	}
	return -1;
}

static int echoed;

void
llm_echo_end(void)
{
	if (echoed)
		llm_echo("\n", 1);
	echoed = 0;
}

void
llm_echo(const char *s, size_t n)
{
	ssize_t w;

	echoed = n > 0 && s[n - 1] != '\n';
	while (n > 0) {
		w = write(STDERR_FILENO, s, n);
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

cJSON *
llm_messages(const struct llm_ask *a)
{
	cJSON *msgs = cJSON_CreateArray(), *m;
	size_t i;

	if (a->system != NULL && *a->system != '\0') {
		m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "role", "system");
		cJSON_AddStringToObject(m, "content", a->system);
		cJSON_AddItemToArray(msgs, m);
	}
	for (i = 0; i < a->nmsgs; i++) {
		m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "role", a->msgs[i].role);
		cJSON_AddStringToObject(m, "content", a->msgs[i].content);
		cJSON_AddItemToArray(msgs, m);
	}
	return msgs;
}

void
llm_set_body(struct llm_http *h, cJSON *body)
{
	char *s = cJSON_PrintUnformatted(body);

	if (s == NULL)
		ag_oom();
	h->body = xstrdup(s);
	cJSON_free(s);
	cJSON_Delete(body);
}
