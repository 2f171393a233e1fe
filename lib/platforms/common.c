/*
 * common.c - what every platform file uses: settings, secrets, the
 * journal, requests through upload_send(), rate limits, error
 * messages, the crash hook and small JSON and XML readers.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agency.h"
#include "platforms/platform.h"

/* The platform's declared default for a setting, or NULL. */
static const char *
setting_default(const struct platform_ops *ops, const char *name)
{
	const struct platform_setting *s;

	for (s = ops->settings; s != NULL && s->name != NULL; s++)
		if (strcmp(s->name, name) == 0)
			return s->def;
	return NULL;
}

const char *
platform_setting(struct agency *ag, const struct platform_ops *ops,
    const cJSON *settings, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(settings, name);
	char key[256];
	const char *s;

	if (cJSON_IsString(v))
		return v->valuestring;
	snprintf(key, sizeof(key), "platforms.%s.%s", ops->name, name);
	if ((s = config_str(ag, key)) != NULL && *s != '\0')
		return s;
	return setting_default(ops, name);
}

const char *
upload_setting(struct upload_ctx *c, const char *name)
{
	return platform_setting(c->ag, c->ops, c->settings, name);
}

int
upload_setting_bool(struct upload_ctx *c, const char *name, int def)
{
	int v;

	return ag_parse_bool(upload_setting(c, name), &v) == 0 ? v : def;
}

long long
upload_setting_int(struct upload_ctx *c, const char *name, long long def)
{
	const char *s = upload_setting(c, name);
	long long v;

	return s != NULL && ag_parse_ll(s, INT64_MIN, INT64_MAX, &v) == 0 ?
	    v : def;
}

const char *
upload_secret(struct upload_ctx *c, const char *name)
{
	return c->cred ? cred_str(c->cred, name) : NULL;
}

int
upload_save(struct upload_ctx *c)
{
	struct store *st;
	int rc;

	if (c->dry_run)
		return AG_OK;
	if ((rc = ag_store(c->ag, &st)) != AG_OK)
		return rc;
	return uploads_save(c->ag, st, c->j);
}

int
upload_sent(struct upload_ctx *c, int64_t offset)
{
	c->j->sent = offset;
	if (c->progress_on)
		ag_progress_update(&c->progress, (double)offset);
	return upload_save(c);
}

enum upload_class
upload_classify(const struct http_response *resp)
{
	long s = resp->status;

	if (s >= 200 && s < 400)
		return UC_OK;
	if (s == 429)
		return UC_RATE;
	if (s == 401)
		return UC_AUTH;
	if (s >= 500 || s == 408)
		return UC_TRANSIENT;
	return UC_PERMANENT;
}

void
upload_error_message(const struct http_response *resp, char *buf, size_t len)
{
	const char *body = buf_str(&resp->body), *s = NULL;
	cJSON *doc = cJSON_ParseWithLength(body, resp->body.len);
	const cJSON *e;
	char *x;
	size_t n;

	buf[0] = '\0';
	if (cJSON_IsObject(doc)) {
		e = cJSON_GetObjectItem(doc, "error");
		if (cJSON_IsObject(e))
			s = ag_jstr(e, "message");
		else if (cJSON_IsString(e))
			s = ag_jstr(doc, "error_description") ?
			    ag_jstr(doc, "error_description") :
			    e->valuestring;
		if (s == NULL)
			s = ag_jstr(doc, "message");
		if (s != NULL)
			snprintf(buf, len, "%s", s);
	}
	cJSON_Delete(doc);
	if (buf[0] != '\0')
		return;
	if ((x = upload_xml_text(body, "Message", NULL)) != NULL ||
	    (x = upload_xml_text(body, "Code", NULL)) != NULL) {
		snprintf(buf, len, "%s", x);
		free(x);
		return;
	}
	n = strcspn(body, "\r\n");
	if (n > 160)
		n = 160;
	snprintf(buf, len, "%.*s", (int)n, body);
}

int
upload_http_error(struct upload_ctx *c, const char *step,
    const struct http_response *resp, const char *detail)
{
	char msg[512];
	int code;

	if (detail != NULL)
		snprintf(msg, sizeof(msg), "%s", detail);
	else
		upload_error_message(resp, msg, sizeof(msg));
	switch (upload_classify(resp)) {
	case UC_TRANSIENT:
	case UC_RATE:
		code = AG_TEMPFAIL;
		break;
	case UC_AUTH:
		code = AG_NOPERM;
		break;
	default:
		code = AG_DATAERR;
		break;
	}
	return ag_fail(c->ag, code, "%s: %s: HTTP %ld%s%s", c->account, step,
	    resp->status, msg[0] ? ": " : "", msg);
}

int
upload_wait(struct upload_ctx *c, double seconds, const char *why)
{
	double max = config_number(c->ag, "http.max_wait");

	if (seconds < 0)
		seconds = 0;
	if (seconds > max) {
		c->later = 1;
		return ag_fail(c->ag, AG_TEMPFAIL, "%s: %s; try again in "
		    "%.0f s", c->account, why, seconds);
	}
	ag_info(c->ag, "%s: %s; waiting %.1f s", c->account, why, seconds);
	if (!c->dry_run)
		ag_sleep_ms((int64_t)(seconds * 1000));
	return AG_OK;
}

int
upload_poll(struct upload_ctx *c, const char *what,
    int (*check)(struct upload_ctx *c, void *arg), void *arg)
{
	double every = config_number(c->ag, "upload.poll_interval");
	double limit = config_number(c->ag, "upload.poll_timeout");
	int64_t until = ag_mono_ms() + (int64_t)(limit * 1000);
	int rc, n;

	for (n = 0;; n++) {
		if ((rc = check(c, arg)) != AG_FALSE || c->dry_run)
			return rc == AG_FALSE ? AG_OK : rc;
		if (ag_mono_ms() >= until && (c->later = 1))
			return ag_fail(c->ag, AG_TEMPFAIL, "%s: %s: still "
			    "not done after %.0f s (upload.poll_timeout); run "
			    "again later", c->account, what, limit);
		if (n == 0)
			ag_info(c->ag, "%s: waiting for %s", c->account, what);
		ag_sleep_ms((int64_t)(every * 1000));
	}
}

void
upload_crash(struct upload_ctx *c, const char *point)
{
	static struct {
		char name[64];
		int n;
	} seen[16];
	const char *spec = getenv("AGENCY_TEST_CRASH"), *p, *e, *at;
	size_t len = strlen(point), i;
	long want;

	(void)c;
	if (spec == NULL || *spec == '\0')
		return;
	for (i = 0; i < 16 && seen[i].name[0] != '\0' &&
	    strcmp(seen[i].name, point) != 0; i++)
		;
	if (i < 16 && seen[i].name[0] == '\0')
		snprintf(seen[i].name, sizeof(seen[i].name), "%s", point);
	if (i < 16)
		seen[i].n++;
	for (p = spec; *p != '\0'; p = *e ? e + 1 : e) {
		e = p + strcspn(p, ",");
		at = memchr(p, '@', (size_t)(e - p));
		if ((size_t)((at ? at : e) - p) != len ||
		    strncmp(p, point, len) != 0)
			continue;
		want = at ? strtol(at + 1, NULL, 10) : 1;
		if (i < 16 && seen[i].n == want)
			kill(getpid(), SIGKILL);
	}
}

const char *
upload_base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

cJSON *
upload_status_doc(int exists, const char *member, cJSON *value,
    const char *error)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddBoolToObject(o, "exists", exists);
	if (value != NULL)
		cJSON_AddItemToObject(o, member, value);
	else if (error != NULL)
		cJSON_AddStringToObject(o, "error", error);
	return o;
}

char *
upload_xml_text(const char *xml, const char *tag, const char **from)
{
	char open[64], close[64];
	const char *p, *q, *start = from && *from ? *from : xml;

	snprintf(open, sizeof(open), "<%s>", tag);
	snprintf(close, sizeof(close), "</%s>", tag);
	if (start == NULL || (p = strstr(start, open)) == NULL)
		return NULL;
	p += strlen(open);
	if ((q = strstr(p, close)) == NULL)
		return NULL;
	if (from != NULL)
		*from = q + strlen(close);
	return xstrndup(p, (size_t)(q - p));
}

/* Get (or, after a 401 with rejected set, refresh) the access token. */
static int
token(struct upload_ctx *c, const char *rejected)
{
	struct oauth_client oc;
	char *t = NULL;
	int dead = 0, rc;

	if (c->ops->auth != PLATFORM_AUTH_OAUTH) {
		const char *at = upload_secret(c, "access_token");

		if (rejected != NULL || at == NULL) {
			platform_account_broken(c->ag, c->account, at ?
			    "the platform refused the access token" :
			    "no access token");
			return ag_fail(c->ag, AG_NOPERM, "%s: the access token "
			    "was refused: run 'agency-upload auth %s'",
			    c->account, c->account);
		}
		upload_journal_set(&c->token, at);
		return AG_OK;
	}
	platform_oauth_client(c->ag, c->ops, c->settings, c->cred, &oc);
	rc = oauth_access(c->ag, &oc, c->account, rejected, &t, &dead);
	if (rc != AG_OK) {
		if (dead) {
			char why[sizeof(c->ag->err)];

			snprintf(why, sizeof(why), "%s", c->ag->err);
			platform_account_broken(c->ag, c->account, why);
			ag_fail(c->ag, AG_NOPERM, "%s; run 'agency-upload auth "
			    "%s' to reconnect", why, c->account);
		}
		return rc;
	}
	free(c->token);
	c->token = t;
	return AG_OK;
}

int
upload_token(struct upload_ctx *c, const char **out)
{
	int rc;

	if (c->token == NULL && !c->dry_run && (rc = token(c, NULL)) != AG_OK)
		return rc;
	*out = c->token ? c->token : "DRY-RUN-TOKEN";
	return AG_OK;
}

static int
progress(void *arg, int64_t sent, int64_t total)
{
	struct upload_ctx *c = arg;

	(void)total;
	ag_progress_update(&c->progress, (double)(c->progress_base + sent));
	return 0;
}

/* A dry run: describe the request, answer as dry says. */
static int
dry_answer(struct upload_ctx *c, const struct http_request *req,
    const struct upload_dry *dry, struct http_response *resp)
{
	struct buf text = BUF_INIT;

	http_describe(req, &text);
	if (c->on_request != NULL)
		c->on_request(c->request_arg, buf_str(&text));
	buf_release(&text);
	memset(resp, 0, sizeof(*resp));
	resp->retry_after = -1;
	resp->status = dry ? dry->status : 200;
	buf_addf(&resp->headers, "HTTP/1.1 %ld\r\n%s", resp->status,
	    dry && dry->headers ? dry->headers : "");
	buf_addstr(&resp->body, dry && dry->body ? dry->body : "{}");
	return AG_OK;
}

int
upload_send(struct upload_ctx *c, struct http_request *req, unsigned flags,
    const struct upload_dry *dry, struct http_response *resp)
{
	const char *hv[48];
	const char *const *orig = req->headers;
	const char *tok;
	struct buf auth = BUF_INIT;
	size_t n = 0, slot = 0;
	int rc, tries;

	memset(resp, 0, sizeof(*resp));
	resp->retry_after = -1;
	for (; orig != NULL && orig[n] != NULL && n + 2 < 48; n++)
		hv[n] = orig[n];
	if (flags & UP_AUTH) {
		if ((rc = upload_token(c, &tok)) != AG_OK)
			return rc;
		buf_addf(&auth, "Authorization: Bearer %s", tok);
		slot = n;
		hv[n++] = auth.data;
	}
	hv[n] = NULL;
	req->headers = hv;
	if (c->progress_on && (req->body_file != NULL)) {
		c->progress_base = req->body_offset;
		req->on_progress = progress;
		req->progress_arg = c;
	}
	if (c->dry_run) {
		rc = dry_answer(c, req, dry, resp);
		goto out;
	}
	for (tries = 0;; tries++) {
		rc = http_request(c->ag, req, resp);
		if (rc != AG_OK)
			break;
		if (resp->status == 401 && (flags & UP_AUTH) && tries == 0 &&
		    !c->refreshed) {
			/* Refresh once, send once more; never a loop. */
			c->refreshed = 1;
			if ((rc = token(c, c->token)) != AG_OK)
				break;
			http_response_release(resp);
			buf_reset(&auth);
			buf_addf(&auth, "Authorization: Bearer %s", c->token);
			hv[slot] = auth.data;
			continue;
		}
		if (resp->status == 401 && (flags & UP_AUTH) && c->refreshed)
			platform_account_broken(c->ag, c->account,
			    "the platform refused a freshly refreshed token");
		break;
	}
	if (rc == AG_OK && !(flags & UP_NO_WAIT) && (resp->status == 429 ||
	    resp->status == 503) && resp->retry_after >
	    config_number(c->ag, "http.max_wait")) {
		c->later = 1;
		rc = ag_fail(c->ag, AG_TEMPFAIL, "%s: rate limited (HTTP %ld); "
		    "try again in %.0f s", c->account, resp->status,
		    resp->retry_after);
	}
out:
	req->headers = orig;
	req->on_progress = NULL;
	buf_release(&auth);
	return rc;
}

int
upload_json(struct upload_ctx *c, const struct http_request *req,
    const char *step, const char *dry_body,
    int (*trouble)(struct upload_ctx *c, const char *step,
    const struct http_response *resp, int tries, int *again),
    cJSON **out)
{
	struct http_request r;
	struct http_response resp;
	struct upload_dry dry = { 200, NULL, dry_body };
	int rc, again, tries = 0;

	for (;;) {
		r = *req;
		rc = upload_send(c, &r, UP_AUTH, &dry, &resp);
		if (rc == AG_OK && resp.status == 200) {
			*out = cJSON_ParseWithLength(buf_str(&resp.body),
			    resp.body.len);
			if (*out == NULL)
				rc = ag_fail(c->ag, AG_TEMPFAIL, "%s: %s: the "
				    "answer is not JSON", c->account, step);
			break;
		}
		if (rc == AG_OK)
			rc = trouble(c, step, &resp, tries++, &again);
		else
			again = 0;
		http_response_release(&resp);
		if (rc != AG_OK || !again)
			return rc;
	}
	http_response_release(&resp);
	return rc;
}

void
upload_backoff(struct upload_ctx *c, const char *step,
    const struct http_response *resp, int tries)
{
	unsigned int seed = (unsigned int)ag_now_ms();

	ag_info(c->ag, "%s: %s: HTTP %ld; trying again", c->account, step,
	    resp->status);
	ag_sleep_ms((int64_t)(1000 * http_backoff(0.1, 2, tries, &seed)));
}
