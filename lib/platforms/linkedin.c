/*
 * linkedin.c - LinkedIn's versioned REST API: the Videos API
 * (initializeUpload, the parts, finalizeUpload) and the Posts API
 * (../shared/reference/platforms.md §6).
 *
 * initializeUpload answers the video's URN and the upload's
 * instructions: one PUT per byte range, to URLs that expire.  The URN,
 * the instructions, the upload token and their expiry are journalled
 * before the first part is sent, and each part's ETag as it arrives,
 * so a killed run sends only the parts it lacks; finalizeUpload then
 * takes the ETags in order.  Past the URLs' expiry, or when LinkedIn no
 * longer knows them, the upload starts again.  A post is made only once
 * the video is AVAILABLE (LinkedIn may take a post of a video still
 * processing, then drop it without a word).
 *
 * Every /rest call carries LinkedIn-Version (the account's version:
 * versions are retired after about a year, and a retired one is exit
 * 78) and X-Restli-Protocol-Version: 2.0.0.  The post's id comes in the
 * x-restli-id header of the 201; its URL is
 * https://www.linkedin.com/feed/update/URN.  The commentary is "little
 * text": reserved characters are escaped, tags written as hashtags.
 *
 * There is no idempotency: the commentary ends with our marker, and
 * after a crash while posting the author's recent posts (q=author) are
 * searched for it or for our video's URN.  Rate limits are 429s
 * without any header (daily windows, reset at midnight UTC): lib/net
 * backs off and retries; one that lasts is exit 75.  The OAuth flow is
 * LinkedIn's 3-legged one for web apps: the client secret goes in the
 * body and no PKCE; refresh tokens exist only for approved partners,
 * so an expired token without one means "agency-upload auth" again.
 */
#include <stdlib.h>
#include <string.h>

#include "agency.h"
#include "platforms/platform.h"

#define MAX_FAILS 8			/* consecutive failures per step */
#define COMMENTARY_MAX 3000

static const struct platform_setting settings[] = {
	{ "api_url", "https://api.linkedin.com", "the API's base URL", 0 },
	{ "auth_url", NULL, "the OAuth authorization endpoint", 0 },
	{ "author", NULL, "who posts: urn:li:person:ID or "
	    "urn:li:organization:ID (default the member who authorized)", 0 },
	{ "client_id", NULL, "the client id of your LinkedIn app", 0 },
	{ "client_secret", NULL, "the client secret of your LinkedIn app",
	    SETTING_SECRET },
	{ "marker", "text", "where the marker that finds a post goes: text "
	    "(its end) or none (the post is found by its video only)", 0 },
	{ "max_duration", NULL, "longest video in seconds (default 1800)",
	    0 },
	{ "redirect_port", NULL, "the port of the OAuth redirect (the one "
	    "registered with the app)", 0 },
	{ "scope", NULL, "the OAuth scopes", 0 },
	{ "token_auth", "post", "how the client authenticates to the token "
	    "endpoint: post or basic", 0 },
	{ "token_url", NULL, "the OAuth token endpoint", 0 },
	{ "version", "202610", "the LinkedIn-Version of the API (YYYYMM)",
	    0 },
	{ "visibility", "PUBLIC", "PUBLIC, CONNECTIONS or LOGGED_IN", 0 },
	{ NULL, NULL, NULL, 0 }
};

static const struct media_limits limits = {
	.min_duration = 3,
	.max_duration = 30 * 60,
	.min_bytes = 75 * 1024,
	.max_bytes = 500LL * 1024 * 1024,
	.containers = "mp4",
	.vcodecs = "h264,hevc",
};

static const struct platform_oauth oauth = {
	.auth_url = "https://www.linkedin.com/oauth/v2/authorization",
	.token_url = "https://www.linkedin.com/oauth/v2/accessToken",
	.scope = "openid profile w_member_social",
	.no_pkce = 1,
};

static const char *
api(struct upload_ctx *c)
{
	return upload_setting(c, "api_url");
}

/* The seconds to the next midnight UTC, when LinkedIn's daily limits
 * reset. */
static double
to_midnight(void)
{
	return (double)(86400 - ag_now_ms() / 1000 % 86400);
}

/*
 * An answer that is not what the step wanted.  A 5xx is tried again
 * when the step may be repeated (*again); a 429 lib/net could not get
 * past is the daily limit; a retired version is the account's
 * configuration.
 */
static int
trouble(struct upload_ctx *c, const char *step,
    const struct http_response *resp, int repeatable, int tries, int *again)
{
	char msg[512], why[128];

	*again = 0;
	if (resp->status >= 500 && repeatable && tries < MAX_FAILS) {
		upload_backoff(c, step, resp, tries);
		*again = 1;
		return AG_OK;
	}
	if (resp->status == 429) {
		snprintf(why, sizeof(why), "%s: rate limited (LinkedIn's daily "
		    "limits reset at midnight UTC)", step);
		if (upload_wait(c, to_midnight(), why) != AG_OK)
			return AG_TEMPFAIL;
		if ((*again = tries < MAX_FAILS))
			return AG_OK;
		return upload_http_error(c, step, resp, NULL);
	}
	if (resp->status == 426 || (resp->status == 400 &&
	    strstr(buf_str(&resp->body), "VERSION") != NULL)) {
		upload_error_message(resp, msg, sizeof(msg));
		return ag_fail(c->ag, AG_CONFIG, "%s: %s: HTTP %ld: %s (set "
		    "another with 'agency-upload accounts add %s --set "
		    "version=YYYYMM')", c->account, step, resp->status, msg,
		    c->account);
	}
	return upload_http_error(c, step, resp, NULL);
}

/*
 * A /rest call with a JSON body (or none); *out is the answer (new; an
 * empty object for an empty body) and, with id, the x-restli-id header.
 */
static int
call(struct upload_ctx *c, const char *method, const char *url,
    const char *body, const char *step, int repeatable,
    const struct upload_dry *dry, char *id, size_t idlen, cJSON **out)
{
	struct http_request req;
	struct http_response resp;
	struct buf ver = BUF_INIT;
	const char *h[4];
	int rc, again, tries = 0;

	buf_addf(&ver, "LinkedIn-Version: %s", upload_setting(c, "version"));
	h[0] = ver.data;
	h[1] = "X-Restli-Protocol-Version: 2.0.0";
	h[2] = body ? "Content-Type: application/json" : NULL;
	h[3] = NULL;
	for (;;) {
		http_request_init(&req, url);
		req.method = method;
		req.headers = h;
		if (body != NULL) {
			req.body = body;
			req.body_len = strlen(body);
		}
		req.idempotent = repeatable;
		rc = upload_send(c, &req, UP_AUTH, dry, &resp);
		if (rc == AG_OK && resp.status >= 200 && resp.status < 300)
			break;
		again = 0;
		if (rc == AG_OK)
			rc = trouble(c, step, &resp, repeatable, tries++,
			    &again);
		http_response_release(&resp);
		if (rc != AG_OK || !again) {
			buf_release(&ver);
			return rc;
		}
	}
	if (id != NULL && http_header(&resp, "x-restli-id", id, idlen) ==
	    NULL)
		id[0] = '\0';
	*out = resp.body.len ? cJSON_ParseWithLength(buf_str(&resp.body),
	    resp.body.len) : NULL;
	if (*out == NULL)
		*out = cJSON_CreateObject();
	http_response_release(&resp);
	buf_release(&ver);
	return AG_OK;
}

/* s percent-encoded, for a URN in a path or a query (new string). */
static char *
esc(const char *s)
{
	struct buf b = BUF_INIT;

	ag_urlencode(&b, s);
	buf_addstr(&b, "");
	return buf_detach(&b);
}

/* The author: the setting, else urn:li:person:SUB of /v2/userinfo
 * (kept in the journal).  Borrowed. */
static int
author(struct upload_ctx *c, const char **out)
{
	struct upload_dry dry = { 200, NULL, "{\"sub\":\"DRY-RUN\"}" };
	struct buf url = BUF_INIT, urn = BUF_INIT;
	cJSON *doc = NULL;
	const char *sub;
	int rc;

	if ((*out = upload_setting(c, "author")) != NULL && **out != '\0')
		return AG_OK;
	if ((*out = ag_jstr(c->j->extra, "author")) != NULL)
		return AG_OK;
	buf_addf(&url, "%s/v2/userinfo", api(c));
	rc = call(c, "GET", url.data, NULL, "userinfo", 1, &dry, NULL, 0,
	    &doc);
	buf_release(&url);
	if (rc != AG_OK)
		return rc;
	if ((sub = ag_jstr(doc, "sub")) == NULL) {
		cJSON_Delete(doc);
		return ag_fail(c->ag, AG_CONFIG, "%s: userinfo did not say who "
		    "the member is: set author=urn:li:person:ID", c->account);
	}
	buf_addf(&urn, "urn:li:person:%s", sub);
	cJSON_AddStringToObject(c->j->extra, "author", urn.data);
	buf_release(&urn);
	cJSON_Delete(doc);
	*out = ag_jstr(c->j->extra, "author");
	return AG_OK;
}

/* ---- the commentary -------------------------------------------- */

/* Append s to b as little text: reserved characters escaped. */
static void
little(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (strchr("|{}@[]()<>#\\*_~", *s) != NULL)
			buf_addch(b, '\\');
		buf_addch(b, *s);
	}
}

/* The commentary: the description (or the title), the tags as
 * hashtags, the marker; the caption shortened to fit 3000. */
static char *
commentary(struct upload_ctx *c)
{
	const char *where = upload_setting(c, "marker");
	const char *body = c->description && *c->description ?
	    c->description : c->title;
	struct buf tail = BUF_INIT, out = BUF_INIT;
	size_t i, room;

	for (i = 0; i < c->ntags; i++) {
		buf_addf(&tail, "%s{hashtag|\\#|", i ? " " : "\n\n");
		little(&tail, c->tags[i]);
		buf_addch(&tail, '}');
	}
	if (where == NULL || strcmp(where, "none") != 0)
		buf_addf(&tail, "%s%s", c->ntags ? " " : "\n\n", c->marker);
	little(&out, body);
	room = COMMENTARY_MAX > tail.len + 3 ? COMMENTARY_MAX - tail.len - 3 :
	    0;
	if (out.len > room) {
		/* Whole characters, and no escape cut in half. */
		i = room;
		while (i > 0 && (out.data[i] & 0xc0) == 0x80)
			i--;
		if (i > 0 && out.data[i - 1] == '\\')
			i--;
		out.len = i;
		out.data[i] = '\0';
		buf_addstr(&out, "\xe2\x80\xa6");
	}
	buf_addstr(&out, buf_str(&tail));
	buf_release(&tail);
	return buf_detach(&out);
}

/* ---- the upload ----------------------------------------------- */

static int
li_validate(struct upload_ctx *c)
{
	const struct media_probe *p = c->probe;
	int rc;

	/* Never post publicly what was meant not to be. */
	if (c->privacy != NULL && strcmp(c->privacy, "public") != 0)
		return ag_fail(c->ag, AG_USAGE, "%s: --privacy %s: LinkedIn "
		    "has no such thing; set the account's visibility (PUBLIC, "
		    "CONNECTIONS or LOGGED_IN)", c->account, c->privacy);
	if ((rc = platform_check_media(c, &limits)) != AG_OK)
		return rc;
	if (p->width > 0 && p->height > 0 &&
	    (p->width * 10 > p->height * 24 || p->height * 10 > p->width * 24))
		return ag_fail(c->ag, AG_DATAERR, "%s: '%s': the aspect ratio "
		    "of %dx%d is beyond the 1:2.4 to 2.4:1 linkedin takes",
		    c->account, c->video, p->width, p->height);
	return AG_OK;
}

/* initializeUpload: the URN and the parts, journalled before any. */
static int
initialize(struct upload_ctx *c)
{
	struct upload_dry dry = { 200, NULL, NULL };
	struct buf url = BUF_INIT, dryb = BUF_INIT;
	cJSON *body = cJSON_CreateObject(), *r, *doc = NULL, *parts;
	const cJSON *v, *ins, *it;
	const char *who, *urn;
	char *text = NULL;
	int rc, n = 0;
	int64_t expect = 0;

	if ((rc = author(c, &who)) != AG_OK)
		goto out;
	r = cJSON_AddObjectToObject(body, "initializeUploadRequest");
	cJSON_AddStringToObject(r, "owner", who);
	cJSON_AddNumberToObject(r, "fileSizeBytes", (double)c->bytes);
	cJSON_AddBoolToObject(r, "uploadCaptions", 0);
	cJSON_AddBoolToObject(r, "uploadThumbnail", c->thumbnail != NULL);
	text = cJSON_PrintUnformatted(body);
	buf_addf(&dryb, "{\"value\":{\"video\":\"urn:li:video:DRY-RUN\","
	    "\"uploadToken\":\"\",\"uploadUrlsExpireAt\":0,"
	    "\"uploadInstructions\":[{\"uploadUrl\":\"%s/dms-uploads/DRY-RUN\","
	    "\"firstByte\":0,\"lastByte\":%lld}]}}", api(c),
	    (long long)c->bytes - 1);
	dry.body = dryb.data;
	buf_addf(&url, "%s/rest/videos?action=initializeUpload", api(c));
	if ((rc = call(c, "POST", url.data, text, "initializeUpload", 1, &dry,
	    NULL, 0, &doc)) != AG_OK)
		goto out;
	v = cJSON_GetObjectItem(doc, "value");
	urn = ag_jstr(v, "video");
	ins = cJSON_GetObjectItem(v, "uploadInstructions");
	/* The parts must cover the file, in order, exactly. */
	cJSON_ArrayForEach(it, ins) {
		if (ag_jstr(it, "uploadUrl") == NULL ||
		    ag_jnum(it, "firstByte", -1) != (double)expect ||
		    ag_jnum(it, "lastByte", -1) < (double)expect)
			break;
		expect = (int64_t)ag_jnum(it, "lastByte", 0) + 1;
		n++;
	}
	if (urn == NULL || n == 0 || n != cJSON_GetArraySize(ins) ||
	    expect != c->bytes) {
		rc = ag_fail(c->ag, AG_TEMPFAIL, "%s: initializeUpload: no "
		    "video or upload instructions that cover the file in the "
		    "answer", c->account);
		goto out;
	}
	upload_journal_set(&c->j->session, urn);
	c->j->sent = 0;
	cJSON_DeleteItemFromObject(c->j->extra, "parts");
	cJSON_DeleteItemFromObject(c->j->extra, "etags");
	cJSON_DeleteItemFromObject(c->j->extra, "upload_token");
	cJSON_DeleteItemFromObject(c->j->extra, "expires_at");
	cJSON_DeleteItemFromObject(c->j->extra, "thumbnail_url");
	cJSON_DeleteItemFromObject(c->j->extra, "finalized");
	parts = cJSON_AddArrayToObject(c->j->extra, "parts");
	cJSON_ArrayForEach(it, ins) {
		cJSON *p = cJSON_CreateObject();

		cJSON_AddStringToObject(p, "url", ag_jstr(it, "uploadUrl"));
		cJSON_AddNumberToObject(p, "first", ag_jnum(it, "firstByte",
		    0));
		cJSON_AddNumberToObject(p, "last", ag_jnum(it, "lastByte", 0));
		cJSON_AddItemToArray(parts, p);
	}
	cJSON_AddArrayToObject(c->j->extra, "etags");
	cJSON_AddStringToObject(c->j->extra, "upload_token",
	    ag_jstr(v, "uploadToken") ? ag_jstr(v, "uploadToken") : "");
	/* A margin: URLs about to expire are not worth resuming. */
	cJSON_AddNumberToObject(c->j->extra, "expires_at",
	    ag_jnum(v, "uploadUrlsExpireAt", 0) > 0 ?
	    ag_jnum(v, "uploadUrlsExpireAt", 0) - 600000 : 0);
	if (ag_jstr(v, "thumbnailUploadUrl") != NULL)
		cJSON_AddStringToObject(c->j->extra, "thumbnail_url",
		    ag_jstr(v, "thumbnailUploadUrl"));
	rc = upload_save(c);
	upload_crash(c, "linkedin-init");
out:
	cJSON_Delete(doc);
	cJSON_Delete(body);
	cJSON_free(text);
	buf_release(&url);
	buf_release(&dryb);
	return rc;
}

/* The ETag of part i, or NULL when it was not sent yet. */
static const char *
etag(struct upload_ctx *c, int i)
{
	const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(c->j->extra,
	    "etags"), i);

	return cJSON_IsString(e) && *e->valuestring ? e->valuestring : NULL;
}

static void
set_etag(struct upload_ctx *c, int i, const char *tag)
{
	cJSON *a = cJSON_GetObjectItem(c->j->extra, "etags");

	while (cJSON_GetArraySize(a) <= i)
		cJSON_AddItemToArray(a, cJSON_CreateNull());
	cJSON_ReplaceItemInArray(a, i, cJSON_CreateString(tag));
}

enum part { PART_OK, PART_GONE };

/* PUT every part without an ETag; each ETag journalled as it comes. */
static int
send_parts(struct upload_ctx *c, enum part *how)
{
	struct http_request req;
	struct http_response resp;
	struct upload_dry dry = { 201, "ETag: \"DRY-RUN\"\r\n", "" };
	const cJSON *parts = cJSON_GetObjectItem(c->j->extra, "parts"), *p;
	const char *h[2] = { "Content-Type: application/octet-stream", NULL };
	char tag[512];
	int64_t first, last, done = 0;
	int i, n = cJSON_GetArraySize(parts), rc = AG_OK, fails = 0, again;

	*how = PART_OK;
	for (i = 0; i < n && etag(c, i) != NULL; i++) {
		p = cJSON_GetArrayItem(parts, i);
		done += (int64_t)(ag_jnum(p, "last", 0) - ag_jnum(p, "first",
		    0)) + 1;
	}
	if (i > 0 && i < n)
		ag_info(c->ag, "%s: resuming with part %d of %d", c->account,
		    i + 1, n);
	while (i < n) {
		p = cJSON_GetArrayItem(parts, i);
		first = (int64_t)ag_jnum(p, "first", 0);
		last = (int64_t)ag_jnum(p, "last", 0);
		if (etag(c, i) != NULL) {
			done += last - first + 1;
			i++;
			continue;
		}
		http_request_init(&req, ag_jstr(p, "url"));
		req.method = "PUT";
		req.headers = h;
		req.body_file = c->video;
		req.body_offset = first;
		req.body_length = last - first + 1;
		rc = upload_send(c, &req, 0, &dry, &resp);
		if (rc == AG_OK && resp.status >= 200 && resp.status < 300 &&
		    http_header(&resp, "etag", tag, sizeof(tag)) != NULL) {
			http_response_release(&resp);
			set_etag(c, i, tag);
			done += last - first + 1;
			fails = 0;
			if ((rc = upload_sent(c, done)) != AG_OK)
				return rc;
			upload_crash(c, "linkedin-part");
			i++;
			continue;
		}
		if (rc == AG_OK && (resp.status == 403 || resp.status == 404 ||
		    resp.status == 410)) {
			/* The URL expired, or LinkedIn forgot the upload. */
			*how = PART_GONE;
			http_response_release(&resp);
			return AG_OK;
		}
		again = 0;
		if (rc == AG_TEMPFAIL && !c->later && ++fails < MAX_FAILS) {
			ag_info(c->ag, "%s: part %d interrupted (%s); sending "
			    "it again", c->account, i + 1, c->ag->err);
			again = 1;
		} else if (rc == AG_OK && resp.status >= 200 &&
		    resp.status < 300) {
			rc = ag_fail(c->ag, AG_TEMPFAIL, "%s: part %d: no ETag "
			    "in the answer", c->account, i + 1);
		} else if (rc == AG_OK) {
			rc = trouble(c, "upload part", &resp, 1, fails++,
			    &again);
		}
		http_response_release(&resp);
		if (!again)
			return rc;
		ag_sleep_ms(50L * fails);
		rc = AG_OK;
	}
	return rc;
}

/* The thumbnail, before finalize; a refusal is only a warning. */
static int
send_thumbnail(struct upload_ctx *c)
{
	struct http_request req;
	struct http_response resp;
	const char *url = ag_jstr(c->j->extra, "thumbnail_url");
	const char *dot = strrchr(c->thumbnail, '.');
	const char *h[2];
	int rc;

	if (url == NULL || cJSON_GetObjectItem(c->j->extra, "thumbnail"))
		return AG_OK;
	h[0] = dot && strcmp(dot, ".png") == 0 ? "Content-Type: image/png" :
	    "Content-Type: image/jpeg";
	h[1] = NULL;
	http_request_init(&req, url);
	req.method = "PUT";
	req.headers = h;
	req.body_file = c->thumbnail;
	rc = upload_send(c, &req, 0, NULL, &resp);
	if (rc == AG_OK && resp.status >= 200 && resp.status < 300) {
		cJSON_AddStringToObject(c->j->extra, "thumbnail", "set");
	} else if (rc == AG_OK || rc == AG_TEMPFAIL) {
		if (rc == AG_OK)
			upload_http_error(c, "thumbnail", &resp, NULL);
		ag_warn(c->ag, "%s (the video is posted without it)",
		    c->ag->err);
		cJSON_AddStringToObject(c->j->extra, "thumbnail", "failed");
	}
	http_response_release(&resp);
	if (rc == AG_OK || rc == AG_TEMPFAIL)
		rc = upload_save(c);
	return rc;
}

static int
finalize(struct upload_ctx *c)
{
	struct buf url = BUF_INIT;
	cJSON *body, *r, *ids, *doc = NULL;
	char *text;
	int rc, i, n;

	body = cJSON_CreateObject();
	r = cJSON_AddObjectToObject(body, "finalizeUploadRequest");
	cJSON_AddStringToObject(r, "video", c->j->session);
	cJSON_AddStringToObject(r, "uploadToken", ag_jstr(c->j->extra,
	    "upload_token") ? ag_jstr(c->j->extra, "upload_token") : "");
	ids = cJSON_AddArrayToObject(r, "uploadedPartIds");
	/* In order; send_parts() left none out. */
	n = cJSON_GetArraySize(cJSON_GetObjectItem(c->j->extra, "parts"));
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(ids, cJSON_CreateString(etag(c, i) ?
		    etag(c, i) : ""));
	text = cJSON_PrintUnformatted(body);
	cJSON_Delete(body);
	buf_addf(&url, "%s/rest/videos?action=finalizeUpload", api(c));
	rc = call(c, "POST", url.data, text, "finalizeUpload", 1, NULL, NULL,
	    0, &doc);
	cJSON_Delete(doc);
	cJSON_free(text);
	buf_release(&url);
	if (rc != AG_OK)
		return rc;
	cJSON_AddBoolToObject(c->j->extra, "finalized", 1);
	if ((rc = upload_save(c)) != AG_OK)
		return rc;
	upload_crash(c, "linkedin-finalize");
	return AG_OK;
}

/* Is the video AVAILABLE?  AG_FALSE: not yet. */
static int
available(struct upload_ctx *c, void *arg)
{
	struct upload_dry dry = { 200, NULL, "{\"status\":\"AVAILABLE\"}" };
	struct buf url = BUF_INIT;
	cJSON *doc = NULL;
	char *urn = esc(c->j->session);
	const char *st;
	int rc;

	(void)arg;
	buf_addf(&url, "%s/rest/videos/%s", api(c), urn);
	free(urn);
	rc = call(c, "GET", url.data, NULL, "videos", 1, &dry, NULL, 0, &doc);
	buf_release(&url);
	if (rc != AG_OK)
		return rc;
	st = ag_jstr(doc, "status");
	if (st == NULL || strcmp(st, "AVAILABLE") == 0)
		rc = AG_OK;
	else if (strcmp(st, "PROCESSING_FAILED") == 0)
		rc = ag_fail(c->ag, AG_DATAERR, "%s: LinkedIn failed to "
		    "process video %s%s%s", c->account, c->j->session,
		    ag_jstr(doc, "processingFailureReason") ? ": " : "",
		    ag_jstr(doc, "processingFailureReason") ?
		    ag_jstr(doc, "processingFailureReason") : "");
	else
		rc = AG_FALSE;
	cJSON_Delete(doc);
	return rc;
}

static int
li_upload(struct upload_ctx *c)
{
	enum part how;
	double exp;
	int rc, restarts = 0;

	for (;;) {
		exp = ag_jnum(c->j->extra, "expires_at", 0);
		if (c->j->session != NULL && exp > 0 && (double)ag_now_ms() >
		    exp && !cJSON_IsTrue(cJSON_GetObjectItem(c->j->extra,
		    "finalized"))) {
			ag_info(c->ag, "%s: the upload URLs of %s expired; "
			    "uploading again", c->account, c->j->session);
			upload_journal_set(&c->j->session, NULL);
		}
		if (c->j->session == NULL) {
			if (++restarts > 3)
				return ag_fail(c->ag, AG_TEMPFAIL, "%s: "
				    "LinkedIn keeps forgetting the upload; try "
				    "again later", c->account);
			if ((rc = initialize(c)) != AG_OK)
				return rc;
		}
		if (cJSON_IsTrue(cJSON_GetObjectItem(c->j->extra,
		    "finalized")))
			break;
		if ((rc = send_parts(c, &how)) != AG_OK)
			return rc;
		if (how == PART_GONE) {
			ag_info(c->ag, "%s: LinkedIn refused the upload URL of "
			    "%s; uploading again", c->account, c->j->session);
			upload_journal_set(&c->j->session, NULL);
			continue;
		}
		if (c->thumbnail != NULL && (rc = send_thumbnail(c)) != AG_OK)
			return rc;
		if ((rc = finalize(c)) != AG_OK)
			return rc;
		break;
	}
	rc = upload_poll(c, "LinkedIn to process the video", available, NULL);
	if (rc == AG_DATAERR) {
		/* A failed video: a new run starts over. */
		upload_journal_set(&c->j->session, NULL);
		c->j->sent = 0;
	}
	if (rc == AG_OK)
		upload_journal_set(&c->j->media_id, c->j->session);
	return rc;
}

/* ---- the post -------------------------------------------------- */

static void
take_post(struct upload_ctx *c, const char *urn)
{
	struct buf link = BUF_INIT;

	buf_addf(&link, "https://www.linkedin.com/feed/update/%s", urn);
	upload_journal_set(&c->remote_id, urn);
	upload_journal_set(&c->url, link.data);
	buf_release(&link);
}

static int
li_publish(struct upload_ctx *c)
{
	struct upload_dry dry = { 201, "x-restli-id: urn:li:share:DRY-RUN\r\n",
	    "" };
	struct buf url = BUF_INIT;
	cJSON *body = cJSON_CreateObject(), *d, *m, *doc = NULL;
	const char *who;
	char *text = commentary(c), *json = NULL, id[512];
	int rc;

	if ((rc = author(c, &who)) != AG_OK)
		goto out;
	cJSON_AddStringToObject(body, "author", who);
	cJSON_AddStringToObject(body, "commentary", text);
	cJSON_AddStringToObject(body, "visibility", upload_setting(c,
	    "visibility"));
	d = cJSON_AddObjectToObject(body, "distribution");
	cJSON_AddStringToObject(d, "feedDistribution", "MAIN_FEED");
	cJSON_AddArrayToObject(d, "targetEntities");
	cJSON_AddArrayToObject(d, "thirdPartyDistributionChannels");
	m = cJSON_AddObjectToObject(cJSON_AddObjectToObject(body, "content"),
	    "media");
	cJSON_AddStringToObject(m, "title", c->title);
	cJSON_AddStringToObject(m, "id", c->j->media_id);
	cJSON_AddStringToObject(body, "lifecycleState", "PUBLISHED");
	cJSON_AddBoolToObject(body, "isReshareDisabledByAuthor", 0);
	json = cJSON_PrintUnformatted(body);
	buf_addf(&url, "%s/rest/posts", api(c));
	if ((rc = call(c, "POST", url.data, json, "posts", 0, &dry, id,
	    sizeof(id), &doc)) != AG_OK)
		goto out;
	if (id[0] == '\0') {
		rc = ag_fail(c->ag, AG_TEMPFAIL, "%s: posts: no x-restli-id in "
		    "the answer", c->account);
		goto out;
	}
	take_post(c, id);
	cJSON_AddStringToObject(c->post, "author", who);
	cJSON_AddStringToObject(c->post, "video", c->j->media_id);
out:
	cJSON_Delete(doc);
	cJSON_Delete(body);
	cJSON_free(json);
	free(text);
	buf_release(&url);
	return rc;
}

/* Is this post (a Posts API element) ours: our marker or our video? */
static int
ours(struct upload_ctx *c, const cJSON *p)
{
	const char *text = ag_jstr(p, "commentary");
	const char *vid = ag_jstr(cJSON_GetObjectItem(cJSON_GetObjectItem(p,
	    "content"), "media"), "id");
	const char *mine = c->j->media_id && *c->j->media_id ?
	    c->j->media_id : c->j->session;

	if (text != NULL && strstr(text, c->marker) != NULL)
		return 1;
	return vid != NULL && mine != NULL && strcmp(vid, mine) == 0;
}

/* The author's recent posts (2 pages of 50) for ours. */
static int
li_find(struct upload_ctx *c)
{
	struct buf url = BUF_INIT;
	cJSON *doc = NULL;
	const cJSON *p;
	const char *who;
	char *a;
	int rc, page;

	if ((rc = author(c, &who)) != AG_OK)
		return rc;
	a = esc(who);
	rc = AG_FALSE;
	for (page = 0; page < 2 && rc == AG_FALSE; page++) {
		buf_reset(&url);
		buf_addf(&url, "%s/rest/posts?author=%s&q=author&count=50&"
		    "start=%d&sortBy=LAST_MODIFIED", api(c), a, page * 50);
		if ((rc = call(c, "GET", url.data, NULL, "posts by author", 1,
		    NULL, NULL, 0, &doc)) != AG_OK)
			break;
		rc = AG_FALSE;
		cJSON_ArrayForEach(p, cJSON_GetObjectItem(doc, "elements"))
			if (rc == AG_FALSE && ours(c, p) &&
			    ag_jstr(p, "id") != NULL) {
				take_post(c, ag_jstr(p, "id"));
				rc = AG_OK;
			}
		if (cJSON_GetArraySize(cJSON_GetObjectItem(doc, "elements")) <
		    50) {
			cJSON_Delete(doc);
			doc = NULL;
			break;
		}
		cJSON_Delete(doc);
		doc = NULL;
	}
	free(a);
	buf_release(&url);
	return rc;
}

static int
li_status(struct upload_ctx *c, cJSON **out)
{
	struct http_request req;
	struct http_response resp;
	struct buf url = BUF_INIT, ver = BUF_INIT;
	const char *h[3];
	char *urn = esc(c->j->remote_id);
	cJSON *doc, *o;
	int rc;

	buf_addf(&ver, "LinkedIn-Version: %s", upload_setting(c, "version"));
	h[0] = ver.data;
	h[1] = "X-Restli-Protocol-Version: 2.0.0";
	h[2] = NULL;
	buf_addf(&url, "%s/rest/posts/%s", api(c), urn);
	free(urn);
	http_request_init(&req, url.data);
	req.headers = h;
	rc = upload_send(c, &req, UP_AUTH, NULL, &resp);
	buf_release(&url);
	buf_release(&ver);
	if (rc == AG_OK && resp.status != 200 && resp.status != 404)
		rc = upload_http_error(c, "posts", &resp, NULL);
	if (rc != AG_OK) {
		http_response_release(&resp);
		return rc;
	}
	o = upload_status_doc(resp.status == 200, NULL, NULL, NULL);
	doc = resp.status == 200 ? cJSON_ParseWithLength(buf_str(&resp.body),
	    resp.body.len) : NULL;
	if (ag_jstr(doc, "lifecycleState") != NULL)
		cJSON_AddStringToObject(o, "lifecycleState", ag_jstr(doc,
		    "lifecycleState"));
	if (ag_jstr(doc, "visibility") != NULL)
		cJSON_AddStringToObject(o, "visibility", ag_jstr(doc,
		    "visibility"));
	cJSON_Delete(doc);
	http_response_release(&resp);
	*out = o;
	return AG_OK;
}

const struct platform_ops platform_linkedin = {
	.name = "linkedin",
	.summary = "LinkedIn: the Videos API (multi-part), a post with the "
	    "video",
	.auth = PLATFORM_AUTH_OAUTH,
	.settings = settings,
	.limits = &limits,
	.oauth = &oauth,
	.validate = li_validate,
	.upload = li_upload,
	.publish = li_publish,
	.find_existing = li_find,
	.status = li_status,
};
