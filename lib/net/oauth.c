/*
 * oauth.c - authorization code + PKCE through a loopback redirect, and
 * token refresh with rotation (see oauth.h for the rules).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "agency.h"
#include "net/cred.h"
#include "net/oauth.h"

#define MARGIN 300			/* refresh this many seconds early */

void
oauth_challenge(const char *verifier, int hex, struct buf *out)
{
	struct ag_sha256 c;
	unsigned char d[32];

	ag_sha256_init(&c);
	ag_sha256_update(&c, verifier, strlen(verifier));
	ag_sha256_final(&c, d);
	if (hex)
		ag_hex(out, d, sizeof(d));
	else
		ag_base64url(out, d, sizeof(d));
}

static const char *
id_param(const struct oauth_client *c)
{
	return c->id_param ? c->id_param : "client_id";
}

/* The error member of a token endpoint's answer, or "". */
static const char *
error_code(const cJSON *doc)
{
	const char *e = cJSON_GetStringValue(cJSON_GetObjectItem(doc,
	    "error"));

	return e ? e : "";
}

static const char *
error_text(const cJSON *doc)
{
	const char *e = cJSON_GetStringValue(cJSON_GetObjectItem(doc,
	    "error_description"));

	return e ? e : error_code(doc);
}

/*
 * POST a grant to the token endpoint.  On a 200 with an access token
 * *out is the answer; otherwise AG_NOPERM (refused: *dead says whether
 * for good), AG_TEMPFAIL (the server is down) or AG_DATAERR.
 */
static int
token_post(struct agency *ag, const struct oauth_client *c, struct buf *form,
    cJSON **out, int *dead)
{
	struct http_request req;
	struct http_response resp;
	struct buf auth = BUF_INIT, basic = BUF_INIT, raw = BUF_INIT;
	const char *headers[4];
	cJSON *doc = NULL;
	int rc, n = 0;

	*dead = 0;
	if (c->basic && c->client_secret != NULL) {
		ag_urlencode(&raw, c->client_id);
		buf_addch(&raw, ':');
		ag_urlencode(&raw, c->client_secret);
		ag_base64(&basic, raw.data, raw.len);
		buf_addf(&auth, "Authorization: Basic %s", buf_str(&basic));
		headers[n++] = auth.data;
	} else {
		ag_form_add(form, id_param(c), c->client_id);
		if (c->client_secret != NULL)
			ag_form_add(form, "client_secret", c->client_secret);
	}
	headers[n++] = "Content-Type: application/x-www-form-urlencoded";
	headers[n++] = "Accept: application/json";
	headers[n] = NULL;
	http_request_init(&req, c->token_url);
	req.method = "POST";
	req.headers = headers;
	req.body = buf_str(form);
	req.body_len = form->len;
	rc = http_request(ag, &req, &resp);
	if (rc != AG_OK)
		goto out;
	if (resp.status >= 500 || resp.status == 429) {
		rc = ag_fail(ag, AG_TEMPFAIL, "token endpoint '%s': HTTP %ld; "
		    "try again", c->token_url, resp.status);
		goto out;
	}
	doc = cJSON_ParseWithLength(buf_str(&resp.body), resp.body.len);
	if (resp.status == 200 && cJSON_IsObject(doc) &&
	    cJSON_GetStringValue(cJSON_GetObjectItem(doc, "access_token"))) {
		*out = doc;
		doc = NULL;
		goto out;
	}
	if (resp.status == 400 || resp.status == 401) {
		/* RFC 6749 §5.2: these do not get better by asking again. */
		*dead = strcmp(error_code(doc), "invalid_grant") == 0 ||
		    strcmp(error_code(doc), "invalid_client") == 0 ||
		    strcmp(error_code(doc), "unauthorized_client") == 0 ||
		    resp.status == 401;
		rc = ag_fail(ag, AG_NOPERM, "token endpoint '%s' refused: %s",
		    c->token_url, doc ? error_text(doc) :
		    "HTTP 400 with no explanation");
		goto out;
	}
	rc = ag_fail(ag, AG_DATAERR, "token endpoint '%s': unexpected answer "
	    "(HTTP %ld)", c->token_url, resp.status);
out:
	cJSON_Delete(doc);
	http_response_release(&resp);
	buf_release(&auth);
	buf_release(&basic);
	buf_release(&raw);
	return rc;
}

/* Fold a token answer into the stored object: expires_in becomes
 * expires_at, and a refresh token not sent again is kept. */
static void
merge(cJSON *creds, const cJSON *answer)
{
	const cJSON *v;
	int64_t now = ag_now_ms() / 1000;

	cJSON_ArrayForEach(v, answer) {
		if (strcmp(v->string, "expires_in") == 0 && cJSON_IsNumber(v)) {
			cJSON_DeleteItemFromObject(creds, "expires_at");
			cJSON_AddNumberToObject(creds, "expires_at",
			    (double)now + v->valuedouble);
		} else if (strcmp(v->string, "refresh_expires_in") == 0 &&
		    cJSON_IsNumber(v)) {
			cJSON_DeleteItemFromObject(creds,
			    "refresh_expires_at");
			cJSON_AddNumberToObject(creds, "refresh_expires_at",
			    (double)now + v->valuedouble);
		} else if (!cJSON_IsNull(v)) {
			cJSON_DeleteItemFromObject(creds, v->string);
			cJSON_AddItemToObject(creds, v->string,
			    cJSON_Duplicate(v, 1));
		}
	}
	if (cJSON_GetObjectItem(answer, "expires_in") == NULL)
		cJSON_DeleteItemFromObject(creds, "expires_at");
	cJSON_DeleteItemFromObject(creds, "obtained_at");
	cJSON_AddNumberToObject(creds, "obtained_at", (double)now);
}

int
oauth_refresh(struct agency *ag, const struct oauth_client *c, cJSON *creds,
    int *dead)
{
	const char *rt = cred_str(creds, "refresh_token");
	struct buf form = BUF_INIT;
	cJSON *answer = NULL;
	int rc;

	*dead = 0;
	if (rt == NULL) {
		*dead = 1;
		return ag_fail(ag, AG_NOPERM, "the access token expired and "
		    "there is no refresh token");
	}
	ag_form_add(&form, "grant_type", "refresh_token");
	ag_form_add(&form, "refresh_token", rt);
	rc = token_post(ag, c, &form, &answer, dead);
	if (rc == AG_OK)
		merge(creds, answer);
	cJSON_Delete(answer);
	buf_release(&form);
	return rc;
}

static int
expiring(const cJSON *creds)
{
	const cJSON *e = cJSON_GetObjectItem(creds, "expires_at");

	if (!cJSON_IsNumber(e))
		return 0;		/* no expiry given: valid until 401 */
	return e->valuedouble - MARGIN <= (double)(ag_now_ms() / 1000);
}

/* The stored access token if it may be used as it is, else NULL. */
static const char *
usable(const cJSON *creds, const char *rejected)
{
	const char *at = cred_str(creds, "access_token");

	if (at == NULL || expiring(creds) || (rejected != NULL &&
	    strcmp(rejected, at) == 0))
		return NULL;
	return at;
}

int
oauth_access(struct agency *ag, const struct oauth_client *c,
    const char *account, const char *rejected, char **token, int *dead)
{
	cJSON *creds = NULL;
	const char *at;
	int fd = -1, rc, pass;

	*dead = 0;
	/*
	 * Twice: without the lock (the usual case: the token is fine),
	 * then under it, reading the file again, since another process may
	 * have refreshed it while we waited.
	 */
	for (pass = 0; pass < 2; pass++) {
		if (pass == 1 && (rc = cred_lock(ag, account, &fd)) != AG_OK)
			return rc;
		cJSON_Delete(creds);
		creds = NULL;
		if ((rc = cred_load(ag, account, &creds)) != AG_OK) {
			*dead = rc == AG_NOINPUT;
			goto out;
		}
		if ((at = usable(creds, rejected)) != NULL)
			goto done;
	}
	ag_info(ag, "%s: refreshing the access token", account);
	if ((rc = oauth_refresh(ag, c, creds, dead)) != AG_OK) {
		ag_prefix(ag, "account '%s'", account);
		goto out;
	}
	/* Persist the (maybe rotated) pair before anyone uses it. */
	if ((rc = cred_save(ag, account, creds)) != AG_OK)
		goto out;
	at = cred_str(creds, "access_token");
done:
	*token = xstrdup(at);
	rc = AG_OK;
out:
	ag_unlock(fd);
	cJSON_Delete(creds);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The loopback redirect. */

static int
listen_loopback(struct agency *ag, int port, int *fd, int *bound)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int s, one = 1;

	if ((s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return ag_fail(ag, AG_OSERR, "cannot open a socket:");
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons((uint16_t)port);
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    listen(s, 8) == -1 ||
	    getsockname(s, (struct sockaddr *)&sa, &len) == -1) {
		close(s);
		return ag_fail(ag, AG_UNAVAILABLE, "cannot listen on "
		    "127.0.0.1:%d for the redirect:", port);
	}
	*fd = s;
	*bound = ntohs(sa.sin_port);
	return AG_OK;
}

static void
answer(int s, int code, const char *text)
{
	char head[256];
	int n;

	n = snprintf(head, sizeof(head), "HTTP/1.1 %d %s\r\nContent-Type: "
	    "text/html; charset=utf-8\r\nContent-Length: %zu\r\n"
	    "Connection: close\r\n\r\n", code, code == 200 ? "OK" :
	    code == 404 ? "Not Found" : "Bad Request", strlen(text));
	if (write(s, head, (size_t)n) < 0 || write(s, text, strlen(text)) < 0)
		return;			/* the browser went away: fine */
}

/* Read a request head (up to the blank line) within the deadline. */
static int
read_head(int s, int64_t until, char *buf, size_t len)
{
	struct pollfd p = { .fd = s, .events = POLLIN };
	size_t have = 0;
	ssize_t n;

	while (have + 1 < len) {
		int64_t left = until - ag_mono_ms();

		if (left <= 0 || poll(&p, 1, (int)(left > 1000 ? 1000 :
		    left)) < 0)
			return -1;
		if (!(p.revents & POLLIN))
			continue;
		if ((n = read(s, buf + have, len - 1 - have)) <= 0)
			return -1;
		have += (size_t)n;
		buf[have] = '\0';
		if (strstr(buf, "\r\n\r\n") || strstr(buf, "\n\n"))
			return 0;
	}
	return 0;
}

static const char PAGE_OK[] = "<!doctype html><title>agency</title>"
    "<p>Authorized. You can close this window and go back to the "
    "terminal.</p>\n";
static const char PAGE_FAIL[] = "<!doctype html><title>agency</title>"
    "<p>Authorization failed; see the terminal.</p>\n";

/*
 * Wait for GET /callback?...; *query is its query string (new).  Other
 * paths (a browser's /favicon.ico) get 404 and we go on waiting.
 */
static int
wait_redirect(struct agency *ag, int ls, double timeout, char **query,
    int *conn)
{
	int64_t until = ag_mono_ms() + (int64_t)(timeout * 1000);
	struct pollfd p = { .fd = ls, .events = POLLIN };
	char head[8192], *sp, *q, *end;
	int s;

	for (;;) {
		int64_t left = until - ag_mono_ms();

		if (left <= 0)
			return ag_fail(ag, AG_TEMPFAIL, "no answer from the "
			    "browser within %.0f s; run 'agency-upload auth' "
			    "again", timeout);
		if (poll(&p, 1, (int)(left > 1000 ? 1000 : left)) <= 0 ||
		    !(p.revents & POLLIN))
			continue;
		if ((s = accept4(ls, NULL, NULL, SOCK_CLOEXEC)) == -1)
			continue;
		if (read_head(s, ag_mono_ms() + 10000, head,
		    sizeof(head)) == -1 || strncmp(head, "GET ", 4) != 0) {
			close(s);
			continue;
		}
		sp = head + 4;
		end = sp + strcspn(sp, " \r\n");
		*end = '\0';
		q = strchr(sp, '?');
		if (q != NULL)
			*q++ = '\0';
		if (strcmp(sp, "/callback") != 0) {
			answer(s, 404, "<p>Not here.</p>\n");
			close(s);
			continue;
		}
		*query = xstrdup(q ? q : "");
		*conn = s;
		return AG_OK;
	}
}

static void
random_string(struct agency *ag, size_t n, struct buf *out, int *rc)
{
	unsigned char b[64];

	if (*rc == AG_OK && (*rc = ag_random(ag, b, n)) == AG_OK)
		ag_base64url(out, b, n);
}

int
oauth_authorize(struct agency *ag, const struct oauth_client *c,
    void (*show)(void *arg, const char *url), void *arg, cJSON **tokens)
{
	struct buf verifier = BUF_INIT, state = BUF_INIT, chal = BUF_INIT;
	struct buf url = BUF_INIT, redirect = BUF_INIT, form = BUF_INIT;
	char *query = NULL, *code = NULL, *got_state = NULL, *err = NULL;
	cJSON *answer_doc = NULL, *creds;
	int ls = -1, conn = -1, port = 0, rc = AG_OK, dead;

	random_string(ag, 32, &verifier, &rc);	/* 43 characters */
	random_string(ag, 16, &state, &rc);
	if (rc != AG_OK)
		goto out;
	oauth_challenge(verifier.data, c->hex_challenge, &chal);
	if ((rc = listen_loopback(ag, c->port, &ls, &port)) != AG_OK)
		goto out;
	buf_addf(&redirect, "http://127.0.0.1:%d/callback", port);
	buf_addf(&url, "%s%c", c->auth_url, strchr(c->auth_url, '?') ?
	    '&' : '?');
	{
		struct buf q = BUF_INIT;

		ag_form_add(&q, "response_type", "code");
		ag_form_add(&q, id_param(c), c->client_id);
		ag_form_add(&q, "redirect_uri", redirect.data);
		if (c->scope != NULL)
			ag_form_add(&q, "scope", c->scope);
		ag_form_add(&q, "state", state.data);
		if (!c->no_pkce) {
			ag_form_add(&q, "code_challenge", chal.data);
			ag_form_add(&q, "code_challenge_method", "S256");
		}
		buf_addstr(&url, buf_str(&q));
		buf_release(&q);
	}
	if (c->extra != NULL && *c->extra != '\0')
		buf_addf(&url, "&%s", c->extra);
	show(arg, url.data);
	if ((rc = wait_redirect(ag, ls, c->timeout > 0 ? c->timeout : 300,
	    &query, &conn)) != AG_OK)
		goto out;
	got_state = ag_query_param(query, "state");
	code = ag_query_param(query, "code");
	err = ag_query_param(query, "error");
	if (got_state == NULL || strcmp(got_state, state.data) != 0) {
		answer(conn, 400, PAGE_FAIL);
		rc = ag_fail(ag, AG_NOPERM, "the redirect came back with the "
		    "wrong state: not the request we sent");
		goto out;
	}
	if (err != NULL || code == NULL) {
		answer(conn, 400, PAGE_FAIL);
		rc = ag_fail(ag, AG_NOPERM, "authorization refused: %s",
		    err ? err : "no code in the redirect");
		goto out;
	}
	ag_form_add(&form, "grant_type", "authorization_code");
	ag_form_add(&form, "code", code);
	ag_form_add(&form, "redirect_uri", redirect.data);
	if (!c->no_pkce)
		ag_form_add(&form, "code_verifier", verifier.data);
	rc = token_post(ag, c, &form, &answer_doc, &dead);
	answer(conn, rc == AG_OK ? 200 : 400, rc == AG_OK ? PAGE_OK :
	    PAGE_FAIL);
	if (rc != AG_OK)
		goto out;
	creds = cJSON_CreateObject();
	merge(creds, answer_doc);
	*tokens = creds;
out:
	if (conn != -1)
		close(conn);
	if (ls != -1)
		close(ls);
	cJSON_Delete(answer_doc);
	free(query);
	free(code);
	free(got_state);
	free(err);
	buf_release(&verifier);
	buf_release(&state);
	buf_release(&chal);
	buf_release(&url);
	buf_release(&redirect);
	buf_release(&form);
	return rc;
}
