/*
 * graph.c - the Meta Graph API for instagram.c and facebook.c: its
 * URLs, its error envelope and rate-limit codes, the resumable upload,
 * the search of a list edge for our marker, the text of a post and the
 * status op (see graph.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agency.h"
#include "platforms/graph.h"
#include "platforms/platform.h"

#define MAX_FAILS 8			/* consecutive failures per upload */

int
graph_error_parse(const struct http_response *resp, struct graph_error *e)
{
	cJSON *doc = cJSON_ParseWithLength(buf_str(&resp->body),
	    resp->body.len);
	const cJSON *er = cJSON_GetObjectItem(doc, "error"), *t;
	int found = cJSON_IsObject(er);

	memset(e, 0, sizeof(*e));
	if (found) {
		e->code = (long)ag_jnum(er, "code", 0);
		e->subcode = (long)ag_jnum(er, "error_subcode", 0);
		t = cJSON_GetObjectItem(er, "is_transient");
		e->transient = cJSON_IsTrue(t);
		snprintf(e->type, sizeof(e->type), "%s", ag_jstr(er, "type") ?
		    ag_jstr(er, "type") : "");
		snprintf(e->message, sizeof(e->message), "%s",
		    ag_jstr(er, "message") ? ag_jstr(er, "message") : "");
		snprintf(e->trace, sizeof(e->trace), "%s",
		    ag_jstr(er, "fbtrace_id") ? ag_jstr(er, "fbtrace_id") : "");
	}
	cJSON_Delete(doc);
	return found;
}

void
graph_url(struct upload_ctx *c, struct buf *out, const char *base,
    const char *fmt, ...)
{
	const char *b = upload_setting(c, base);
	char path[2048];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (b == NULL)
		b = upload_setting(c, "api_url");
	n = strlen(b);
	while (n > 0 && b[n - 1] == '/')
		n--;
	buf_reset(out);
	buf_addf(out, "%.*s/%s/%s", (int)n, b, upload_setting(c,
	    "graph_version"), path);
}

static int
rate_code(long code)
{
	return code == 4 || code == 17 || code == 32 || code == 613 ||
	    (code >= 80001 && code <= 80014);
}

/*
 * The wait a throttled answer asks for, in seconds, or -1: the largest
 * estimated_time_to_regain_access (minutes) of X-Business-Use-Case-Usage
 * ({"ID": [{"type": ..., "estimated_time_to_regain_access": M}]}), of
 * X-App-Usage or X-Page-Usage when they carry one, else Retry-After.
 */
static double
regain(const struct http_response *resp)
{
	static const char *const names[] = { "x-business-use-case-usage",
	    "x-app-usage", "x-page-usage", "x-ad-account-usage" };
	char v[2048];
	double best = -1, m;
	const cJSON *id, *u;
	cJSON *doc;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (http_header(resp, names[i], v, sizeof(v)) == NULL)
			continue;
		doc = cJSON_Parse(v);
		m = ag_jnum(doc, "estimated_time_to_regain_access", -1);
		if (m > best)
			best = m;
		cJSON_ArrayForEach(id, doc)
			cJSON_ArrayForEach(u, id) {
				m = ag_jnum(u, "estimated_time_to_regain_"
				    "access", -1);
				if (m > best)
					best = m;
			}
		cJSON_Delete(doc);
	}
	if (best >= 0)
		return best * 60;
	return resp->retry_after;
}

int
graph_trouble(struct upload_ctx *c, const char *step,
    const struct http_response *resp, int tries, int *again)
{
	struct graph_error e;
	char detail[768], why[640];
	int graph = graph_error_parse(resp, &e), rc;

	*again = 0;
	if (graph)
		snprintf(detail, sizeof(detail), "%s (code %ld%s%.0ld%s%s)",
		    e.message, e.code, e.subcode ? ", subcode " : "",
		    e.subcode, e.trace[0] ? ", fbtrace_id " : "", e.trace);
	if (rate_code(e.code) || resp->status == 429) {
		unsigned int seed = (unsigned int)ag_now_ms();
		double w = regain(resp);

		snprintf(why, sizeof(why), "%s: rate limited (%s)", step,
		    graph ? detail : "HTTP 429");
		if (w <= 0)
			w = 1 + http_backoff(1, 30, tries, &seed);
		rc = upload_wait(c, w, why);
		*again = rc == AG_OK && tries < MAX_FAILS;
		if (rc == AG_OK && !*again)
			rc = ag_fail(c->ag, AG_TEMPFAIL, "%s: %s", c->account,
			    why);
		return rc;
	}
	if (e.code == 190 || e.code == 102 || (resp->status == 401 &&
	    !graph)) {
		platform_account_broken(c->ag, c->account, graph ? e.message :
		    "the platform refused the access token");
		return ag_fail(c->ag, AG_NOPERM, "%s: %s: HTTP %ld: %s; run "
		    "'agency-upload auth %s' with a new token", c->account,
		    step, resp->status, graph ? detail : "unauthorized",
		    c->account);
	}
	if (graph && (e.transient || e.code == 1 || e.code == 2))
		return ag_fail(c->ag, AG_TEMPFAIL, "%s: %s: HTTP %ld: %s",
		    c->account, step, resp->status, detail);
	return upload_http_error(c, step, resp, graph ? detail : NULL);
}

int
graph_call(struct upload_ctx *c, const char *method, const char *url,
    const char *form, int idempotent, const char *step,
    const char *dry_body, cJSON **out)
{
	struct http_request req;
	const char *h[2] = { "Content-Type: application/x-www-form-urlencoded",
	    NULL };

	http_request_init(&req, url);
	req.method = method;
	if (form != NULL) {
		req.headers = h;
		req.body = form;
		req.body_len = strlen(form);
	}
	req.idempotent = idempotent || strcmp(method, "GET") == 0;
	return upload_json(c, &req, step, dry_body, graph_trouble, out);
}

/* A number member of doc at a dotted path ("status.a.b"), or -1. */
static double
jpath_num(const cJSON *doc, const char *path)
{
	char key[64];
	const char *p = path, *dot;

	while ((dot = strchr(p, '.')) != NULL) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - p), p);
		doc = cJSON_GetObjectItem(doc, key);
		p = dot + 1;
	}
	return ag_jnum(doc, p, -1);
}

/* Where the session stands: *off; *gone when it is no more. */
static int
where(struct upload_ctx *c, const char *url, const char *tok,
    int64_t *off, int *gone, cJSON **doc)
{
	static const char *const keys[] = { "file_offset", "offset",
	    "status.uploading_phase.bytes_transferred" };
	struct http_request req;
	struct http_response resp;
	struct buf auth = BUF_INIT;
	struct upload_dry dry = { 200, NULL, "{\"offset\":0,"
	    "\"file_offset\":0}" };
	struct graph_error e;
	const char *h[2];
	double v = -1;
	size_t i;
	int rc, fails = 0, again;

	*gone = 0;
	buf_addf(&auth, "Authorization: OAuth %s", tok);
	h[0] = auth.data;
	h[1] = NULL;
	for (;;) {
		http_request_init(&req, url);
		req.headers = h;
		rc = upload_send(c, &req, 0, &dry, &resp);
		if (rc == AG_TEMPFAIL && !c->later && ++fails < MAX_FAILS) {
			http_response_release(&resp);
			ag_sleep_ms(100L * fails);
			continue;
		}
		if (rc != AG_OK)
			break;
		if (resp.status == 200) {
			*doc = cJSON_ParseWithLength(buf_str(&resp.body),
			    resp.body.len);
			for (i = 0; i < 3 && v < 0; i++)
				v = jpath_num(*doc, keys[i]);
			*off = v < 0 ? 0 : (int64_t)v;
			break;
		}
		if (resp.status == 404 || resp.status == 410 ||
		    (graph_error_parse(&resp, &e) && e.code == 100 &&
		    e.subcode == 33)) {
			*gone = 1;	/* 33: "does not exist" */
			break;
		}
		if (resp.status >= 500 && ++fails < MAX_FAILS) {
			http_response_release(&resp);
			ag_sleep_ms(100L * fails);
			continue;
		}
		rc = graph_trouble(c, "upload status", &resp, fails++, &again);
		if (rc != AG_OK || !again)
			break;
		http_response_release(&resp);
	}
	http_response_release(&resp);
	buf_release(&auth);
	return rc;
}

/* Does an rupload error say it may be retried (debug_info.retriable)?
 * msg: its own words (debug_info's type and message), or "". */
static int
retriable(const struct http_response *resp, char *msg, size_t len)
{
	cJSON *doc = cJSON_ParseWithLength(buf_str(&resp->body),
	    resp->body.len);
	const cJSON *d = cJSON_GetObjectItem(doc, "debug_info");
	int r = cJSON_IsTrue(cJSON_GetObjectItem(d, "retriable"));

	msg[0] = '\0';
	if (ag_jstr(d, "message") != NULL)
		snprintf(msg, len, "%s: %s", ag_jstr(d, "type") ?
		    ag_jstr(d, "type") : "error", ag_jstr(d, "message"));
	cJSON_Delete(doc);
	return r;
}

int
graph_upload_file(struct upload_ctx *c, const char *uri,
    const char *offset_header, const char *query_url, const char *step,
    cJSON **out)
{
	struct http_request req;
	struct http_response resp;
	struct buf auth = BUF_INIT, oh = BUF_INIT, fs = BUF_INIT;
	struct upload_dry dry = { 200, NULL, "{\"success\":true,"
	    "\"h\":\"DRY-RUN\"}" };
	struct graph_error ge;
	const char *h[5], *tok;
	char point[64], msg[512];
	cJSON *doc = NULL;
	int64_t off = 0;
	int rc, gone, fails = 0, again;

	if ((rc = upload_token(c, &tok)) != AG_OK)
		return rc;
	buf_addf(&auth, "Authorization: OAuth %s", tok);
	buf_addf(&fs, "file_size: %lld", (long long)c->bytes);
	snprintf(point, sizeof(point), "%s-sent", c->ops->name);
	for (;;) {
		/* Ask first: the server may hold more than we know, or
		 * less. */
		cJSON_Delete(doc);
		doc = NULL;
		if ((rc = where(c, query_url ? query_url : uri, tok, &off,
		    &gone, &doc)) != AG_OK)
			goto out;
		if (gone) {
			rc = AG_FALSE;
			goto out;
		}
		if (off > c->bytes)
			off = c->bytes;
		if (off > 0)
			ag_info(c->ag, "%s: resuming at byte %lld of %lld",
			    c->account, (long long)off, (long long)c->bytes);
		if ((rc = upload_sent(c, off)) != AG_OK)
			goto out;
		buf_reset(&oh);
		buf_addf(&oh, "%s: %lld", offset_header, (long long)off);
		h[0] = auth.data;
		h[1] = oh.data;
		h[2] = fs.data;
		h[3] = "Content-Type: application/octet-stream";
		h[4] = NULL;
		http_request_init(&req, uri);
		req.method = "POST";
		req.headers = h;
		if (off < c->bytes) {
			req.body_file = c->video;
			req.body_offset = off;
			req.body_length = c->bytes - off;
		} else {
			/* All there, the answer lost: an empty body at the
			 * end asks for it again (the handle, for upload:ID). */
			req.body = "";
			req.body_len = 0;
		}
		req.retries = 0;	/* we resume from what the server has */
		msg[0] = '\0';
		rc = upload_send(c, &req, 0, &dry, &resp);
		if (rc == AG_OK && resp.status == 200) {
			cJSON_Delete(doc);
			doc = cJSON_ParseWithLength(buf_str(&resp.body),
			    resp.body.len);
			http_response_release(&resp);
			if (cJSON_IsFalse(cJSON_GetObjectItem(doc,
			    "success")) && ++fails < MAX_FAILS)
				continue;	/* not all of it: ask again */
			break;
		}
		if (rc == AG_OK && (resp.status == 404 || resp.status == 410)) {
			http_response_release(&resp);
			rc = AG_FALSE;
			goto out;
		}
		if ((rc == AG_TEMPFAIL && !c->later) || (rc == AG_OK &&
		    (resp.status >= 500 || retriable(&resp, msg,
		    sizeof(msg))))) {
			if (++fails >= MAX_FAILS) {
				if (rc == AG_OK)
					rc = upload_http_error(c, step, &resp,
					    NULL);
				http_response_release(&resp);
				goto out;
			}
			/* Cut off, kept in part, or a 5xx: ask, go on. */
			ag_info(c->ag, "%s: upload interrupted (%s); resuming",
			    c->account, rc != AG_OK ? c->ag->err :
			    msg[0] ? msg : "5xx");
			http_response_release(&resp);
			ag_sleep_ms(50L * fails);
			continue;
		}
		if (rc == AG_OK) {
			/* rupload's own error words, else the Graph's. */
			again = 0;
			if (msg[0] != '\0' && !graph_error_parse(&resp, &ge))
				rc = upload_http_error(c, step, &resp, msg);
			else
				rc = graph_trouble(c, step, &resp, fails++,
				    &again);
			http_response_release(&resp);
			if (rc == AG_OK && again)
				continue;
		}
		goto out;
	}
	upload_crash(c, point);
	if ((rc = upload_sent(c, c->bytes)) != AG_OK)
		goto out;
	*out = doc;
	doc = NULL;
out:
	cJSON_Delete(doc);
	buf_release(&auth);
	buf_release(&oh);
	buf_release(&fs);
	return rc;
}

int
graph_find(struct upload_ctx *c, const char *url, const char *field,
    int pages, cJSON **item)
{
	struct buf u = BUF_INIT;
	cJSON *doc = NULL;
	const cJSON *it, *paging;
	const char *after, *text;
	char *cursor = NULL;
	int rc = AG_FALSE, n;

	for (n = 0; n < pages && rc == AG_FALSE; n++) {
		buf_reset(&u);
		buf_addstr(&u, url);
		if (cursor != NULL) {
			buf_addstr(&u, "&after=");
			ag_urlencode(&u, cursor);
		}
		if ((rc = graph_call(c, "GET", u.data, NULL, 1,
		    "find by marker", "{\"data\":[]}", &doc)) != AG_OK)
			break;
		rc = AG_FALSE;
		cJSON_ArrayForEach(it, cJSON_GetObjectItem(doc, "data")) {
			text = ag_jstr(it, field);
			if (text != NULL && strstr(text, c->marker) != NULL) {
				*item = cJSON_Duplicate(it, 1);
				rc = AG_OK;
				break;
			}
		}
		paging = cJSON_GetObjectItem(doc, "paging");
		after = ag_jstr(cJSON_GetObjectItem(paging, "cursors"),
		    "after");
		free(cursor);
		cursor = after != NULL && cJSON_GetObjectItem(paging,
		    "next") != NULL ? xstrdup(after) : NULL;
		cJSON_Delete(doc);
		doc = NULL;
		if (cursor == NULL)
			break;
	}
	free(cursor);
	buf_release(&u);
	return rc;
}

char *
graph_text(struct upload_ctx *c, const char *text)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_addstr(&b, text);
	for (i = 0; i < c->ntags; i++)
		buf_addf(&b, "%s#%s", i ? " " : b.len ? "\n\n" : "",
		    c->tags[i]);
	buf_addf(&b, "%s%s", b.len ? "\n\n" : "", c->marker);
	return buf_detach(&b);
}

int
graph_status(struct upload_ctx *c, const char *fields, const char *member,
    cJSON **out)
{
	struct buf url = BUF_INIT;
	cJSON *doc = NULL;
	int rc;

	graph_url(c, &url, "api_url", "%s?fields=%s", c->j->remote_id,
	    fields);
	rc = graph_call(c, "GET", url.data, NULL, 1, member, "{}", &doc);
	buf_release(&url);
	if (rc != AG_OK && rc != AG_DATAERR)
		return rc;
	*out = upload_status_doc(rc == AG_OK, member, doc, c->ag->err);
	ag_clear_error(c->ag);
	return AG_OK;
}
