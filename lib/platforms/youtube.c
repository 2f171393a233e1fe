/*
 * youtube.c - YouTube Data API v3: videos.insert as a resumable upload,
 * thumbnails.set, videos.update (../shared/reference/platforms.md §1).
 *
 * The video is created by the upload itself: the last byte of a
 * resumable session makes it.  So the session URI is journalled before
 * the first byte is sent, and a run that finds one asks the session
 * where it stands (PUT with Content-Range: bytes * / N): 308 with a
 * Range means go on after it, 308 without means from 0, 200 or 201
 * means the video exists already (the crash fell after the last byte:
 * this is what keeps a crash from making a second video), 404 means the
 * session is gone; then, if bytes had been sent, the uploads playlist is
 * searched for our marker tag before a new session is started.
 *
 * To publish only when agency-upload says so (the schedule guard runs
 * just before), a video meant to be public or unlisted is uploaded
 * private and made so by publish() with videos.update: setting a
 * privacy is idempotent, hence PF_IDEMPOTENT.  publish() also sets the
 * thumbnail; a thumbnail the platform refuses is a warning, not a
 * failed post (its account may not be allowed custom thumbnails).
 *
 * With wait_processing (the default) publish() waits, polling
 * videos.list, until YouTube has processed the video, and fails the
 * post when YouTube rejected it (a duplicate, a claim) instead of
 * making a rejected video public and calling it published.
 *
 * Quota: 403 quotaExceeded waits for the daily reset (midnight Pacific)
 * and so is exit 75; 403 rateLimitExceeded and userRateLimitExceeded
 * back off and retry; 400 uploadLimitExceeded is exit 75 (24 h).
 */
#include <stdlib.h>
#include <string.h>

#include "agency.h"
#include "platforms/platform.h"

#define QUANTUM (256 * 1024)		/* chunks are multiples of this */
#define MAX_FAILS 8			/* consecutive failures per upload */

static const struct platform_setting settings[] = {
	{ "api_url", "https://www.googleapis.com",
	    "the API's base URL (uploads go to API_URL/upload/...)", 0 },
	{ "auth_url", NULL, "the OAuth authorization endpoint", 0 },
	{ "category", "22", "the video category id (22: People & Blogs)", 0 },
	{ "chunk_size", NULL, "bytes per upload request (default "
	    "upload.chunk_size)", 0 },
	{ "client_id", NULL, "the OAuth client id of your Google project",
	    0 },
	{ "client_secret", NULL, "the OAuth client secret", SETTING_SECRET },
	{ "made_for_kids", "false", "declare videos made for children", 0 },
	{ "marker", "tag", "where the marker that finds a post goes: tag or "
	    "description", 0 },
	{ "max_duration", NULL, "longest video in seconds (180 for Shorts)",
	    0 },
	{ "notify_subscribers", "true", "tell subscribers about new videos",
	    0 },
	{ "privacy", "public", "public, unlisted or private", 0 },
	{ "redirect_port", NULL, "the port of the OAuth loopback redirect",
	    0 },
	{ "scope", NULL, "the OAuth scopes", 0 },
	{ "token_auth", "post", "how the client authenticates to the token "
	    "endpoint: post or basic", 0 },
	{ "token_url", NULL, "the OAuth token endpoint", 0 },
	{ "wait_processing", "true", "publish only once YouTube has "
	    "processed the video (a rejected one fails the post)", 0 },
	{ NULL, NULL, NULL, 0 }
};

static const struct media_limits limits = {
	.max_duration = 12 * 3600,
	.max_bytes = 256000000000LL,
	.containers = "mp4,mov,webm",
	.vcodecs = "h264,hevc,vp9,av1",
	.faststart = 1,
	.no_edit_lists = 1,
};

static const struct platform_oauth oauth = {
	.auth_url = "https://accounts.google.com/o/oauth2/v2/auth",
	.token_url = "https://oauth2.googleapis.com/token",
	.scope = "https://www.googleapis.com/auth/youtube.upload "
	    "https://www.googleapis.com/auth/youtube.readonly",
	.extra = "access_type=offline&prompt=consent",
};

static const char *
api(struct upload_ctx *c)
{
	return upload_setting(c, "api_url");
}

static const char *
privacy(struct upload_ctx *c)
{
	return c->privacy ? c->privacy : upload_setting(c, "privacy");
}

/* The first errors[].reason of a Google error answer, or "". */
static void
reason(const struct http_response *resp, char *buf, size_t len)
{
	cJSON *doc = cJSON_ParseWithLength(buf_str(&resp->body),
	    resp->body.len);
	const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(
	    cJSON_GetObjectItem(doc, "error"), "errors"), 0);

	snprintf(buf, len, "%s", ag_jstr(e, "reason") ?
	    ag_jstr(e, "reason") : "");
	cJSON_Delete(doc);
}

/* Seconds to the next midnight in California (UTC-8; an hour late in
 * summer, which errs on the safe side). */
static double
to_quota_reset(void)
{
	int64_t now = ag_now_ms() / 1000 - 8 * 3600;

	return (double)(86400 - now % 86400);
}

/*
 * An answer that is not what the step wanted: quota and rate limits
 * get their classes, the rest upload_http_error().  *again is set when
 * the caller should simply send once more (a short rate limit).
 */
static int
trouble(struct upload_ctx *c, const char *step,
    const struct http_response *resp, int tries, int *again)
{
	char r[64], why[128];

	*again = 0;
	reason(resp, r, sizeof(r));
	if (resp->status == 403 && strcmp(r, "quotaExceeded") == 0) {
		snprintf(why, sizeof(why), "%s: the daily YouTube quota is "
		    "spent (it resets at midnight Pacific time)", step);
		return upload_wait(c, to_quota_reset(), why);
	}
	if (resp->status == 400 && strcmp(r, "uploadLimitExceeded") == 0)
		return ag_fail(c->ag, AG_TEMPFAIL, "%s: %s: the channel's "
		    "upload limit is reached; try again in 24 h", c->account,
		    step);
	if ((resp->status == 403 && (strcmp(r, "rateLimitExceeded") == 0 ||
	    strcmp(r, "userRateLimitExceeded") == 0)) || resp->status == 429) {
		unsigned int seed = (unsigned int)ag_now_ms();
		int rc;

		snprintf(why, sizeof(why), "%s: %s", step, r[0] ? r :
		    "rate limited");
		rc = upload_wait(c, resp->retry_after >= 0 ?
		    resp->retry_after : 1 + http_backoff(1, 30, tries, &seed),
		    why);
		*again = rc == AG_OK && tries < MAX_FAILS;
		if (rc == AG_OK && !*again)
			rc = upload_http_error(c, step, resp, NULL);
		return rc;
	}
	return upload_http_error(c, step, resp, NULL);
}

/* A title YouTube takes: at most 100 characters, no < or >. */
static char *
clean_title(const char *t)
{
	struct buf b = BUF_INIT;
	size_t chars = 0;
	const unsigned char *p;

	for (p = (const unsigned char *)t; *p != '\0'; p++) {
		if ((*p & 0xc0) != 0x80 && ++chars > 100)
			break;
		buf_addch(&b, *p == '<' || *p == '>' ? ' ' : *p);
	}
	buf_addstr(&b, "");
	return buf_detach(&b);
}

/* The metadata of videos.insert (new string). */
static char *
metadata(struct upload_ctx *c)
{
	cJSON *doc = cJSON_CreateObject(), *sn, *st, *tags;
	const char *where = upload_setting(c, "marker");
	const char *p = privacy(c);
	struct buf desc = BUF_INIT;
	char *title = clean_title(c->title), *text;
	size_t i;

	sn = cJSON_AddObjectToObject(doc, "snippet");
	cJSON_AddStringToObject(sn, "title", title);
	buf_addstr(&desc, c->description);
	if (where != NULL && strcmp(where, "description") == 0)
		buf_addf(&desc, "%s%s", desc.len ? "\n\n" : "", c->marker);
	cJSON_AddStringToObject(sn, "description", buf_str(&desc));
	tags = cJSON_AddArrayToObject(sn, "tags");
	for (i = 0; i < c->ntags; i++)
		cJSON_AddItemToArray(tags, cJSON_CreateString(c->tags[i]));
	if (where == NULL || strcmp(where, "tag") == 0)
		cJSON_AddItemToArray(tags, cJSON_CreateString(c->marker));
	cJSON_AddStringToObject(sn, "categoryId", upload_setting(c,
	    "category"));
	st = cJSON_AddObjectToObject(doc, "status");
	/* Private until publish() says otherwise (see the top). */
	cJSON_AddStringToObject(st, "privacyStatus", "private");
	cJSON_AddBoolToObject(st, "selfDeclaredMadeForKids", c->made_for_kids);
	cJSON_AddStringToObject(c->j->extra, "privacy", p);
	text = cJSON_PrintUnformatted(doc);
	cJSON_Delete(doc);
	buf_release(&desc);
	free(title);
	return text;
}

/* The video id of a video resource answer, as the media id. */
static int
take_video(struct upload_ctx *c, const struct http_response *resp)
{
	cJSON *doc = cJSON_ParseWithLength(buf_str(&resp->body),
	    resp->body.len);
	const char *id = ag_jstr(doc, "id");
	int rc = AG_OK;

	if (id == NULL || *id == '\0')
		rc = ag_fail(c->ag, AG_SOFTWARE, "%s: the upload ended with "
		    "no video id (HTTP %ld)", c->account, resp->status);
	else
		upload_journal_set(&c->j->media_id, id);
	cJSON_Delete(doc);
	return rc;
}

/* Start a session; the URI is journalled before anything else. */
static int
start_session(struct upload_ctx *c)
{
	struct http_request req;
	struct http_response resp;
	struct buf url = BUF_INIT, len = BUF_INIT, dryh = BUF_INIT;
	const char *h[5];
	char *meta = metadata(c), loc[2048];
	struct upload_dry dry;
	int rc, again, tries = 0;

	buf_addf(&url, "%s/upload/youtube/v3/videos?uploadType=resumable&"
	    "part=snippet,status%s", api(c), upload_setting_bool(c,
	    "notify_subscribers", 1) ? "" : "&notifySubscribers=false");
	buf_addf(&len, "X-Upload-Content-Length: %lld", (long long)c->bytes);
	buf_addf(&dryh, "Location: %s&upload_id=DRY-RUN\r\n", url.data);
	h[0] = "Content-Type: application/json; charset=UTF-8";
	h[1] = len.data;
	h[2] = "X-Upload-Content-Type: video/mp4";
	h[3] = NULL;
	dry.status = 200;
	dry.headers = dryh.data;
	dry.body = "";
	for (;;) {
		http_request_init(&req, url.data);
		req.method = "POST";
		req.headers = h;
		req.body = meta;
		req.body_len = strlen(meta);
		rc = upload_send(c, &req, UP_AUTH, &dry, &resp);
		if (rc == AG_OK && resp.status == 200 &&
		    http_header(&resp, "location", loc, sizeof(loc)) != NULL)
			break;
		if (rc == AG_OK)
			rc = resp.status == 200 ? ag_fail(c->ag, AG_SOFTWARE,
			    "%s: videos.insert: no Location in the answer",
			    c->account) : trouble(c, "videos.insert", &resp,
			    tries++, &again);
		http_response_release(&resp);
		if (rc != AG_OK || !again)
			goto out;
	}
	http_response_release(&resp);
	upload_journal_set(&c->j->session, loc);
	c->j->sent = 0;
	rc = upload_save(c);
	upload_crash(c, "youtube-session");
out:
	free(meta);
	buf_release(&url);
	buf_release(&len);
	buf_release(&dryh);
	return rc;
}

/* The offset after "Range: bytes=0-N", or 0 without one. */
static int64_t
range_end(const struct http_response *resp)
{
	char v[128];
	long long a, b;

	if (http_header(resp, "range", v, sizeof(v)) == NULL ||
	    sscanf(v, "bytes=%lld-%lld", &a, &b) != 2)
		return 0;
	return b + 1;
}

enum where { W_GO_ON, W_DONE, W_GONE };

/* Ask the session where it stands: *off, or done, or gone. */
static int
query(struct upload_ctx *c, int64_t *off, enum where *w)
{
	struct http_request req;
	struct http_response resp;
	struct buf cr = BUF_INIT, dryh = BUF_INIT;
	const char *h[3];
	struct upload_dry dry = { 308, NULL, "" };
	int rc, fails = 0;

	buf_addf(&cr, "Content-Range: bytes */%lld", (long long)c->bytes);
	if (c->j->sent > 0)
		buf_addf(&dryh, "Range: bytes=0-%lld\r\n",
		    (long long)c->j->sent - 1);
	dry.headers = dryh.data;
	h[0] = cr.data;
	h[1] = "Content-Length: 0";
	h[2] = NULL;
	for (;;) {
		http_request_init(&req, c->j->session);
		req.method = "PUT";
		req.headers = h;
		req.body = "";
		req.body_len = 0;
		rc = upload_send(c, &req, UP_AUTH, &dry, &resp);
		if (rc == AG_TEMPFAIL && ++fails < MAX_FAILS) {
			http_response_release(&resp);
			continue;	/* the network: ask again */
		}
		if (rc != AG_OK)
			break;
		if (resp.status == 308) {
			*off = range_end(&resp);
			*w = W_GO_ON;
		} else if (resp.status == 200 || resp.status == 201) {
			*w = W_DONE;
			rc = take_video(c, &resp);
		} else if (resp.status == 404 || resp.status == 410) {
			*w = W_GONE;
		} else if (resp.status >= 500 && ++fails < MAX_FAILS) {
			http_response_release(&resp);
			ag_sleep_ms(100L * fails);
			continue;
		} else {
			rc = upload_http_error(c, "upload status", &resp, NULL);
		}
		break;
	}
	http_response_release(&resp);
	buf_release(&cr);
	buf_release(&dryh);
	return rc;
}

static long long
chunk_size(struct upload_ctx *c)
{
	long long n = upload_setting_int(c, "chunk_size",
	    config_int(c->ag, "upload.chunk_size"));

	n -= n % QUANTUM;
	return n < QUANTUM ? QUANTUM : n;
}

/* Send the bytes from *off on, a chunk at a time. */
static int
send_chunks(struct upload_ctx *c, int64_t off, enum where *w)
{
	struct http_request req;
	struct http_response resp;
	struct buf cr = BUF_INIT, dryh = BUF_INIT, dryb = BUF_INIT;
	const char *h[3];
	struct upload_dry dry;
	int64_t len, chunk = chunk_size(c);
	int rc = AG_OK, fails = 0;

	*w = W_GO_ON;
	while (*w == W_GO_ON) {
		len = c->bytes - off < chunk ? c->bytes - off : chunk;
		buf_reset(&cr);
		buf_addf(&cr, "Content-Range: bytes %lld-%lld/%lld",
		    (long long)off, (long long)(off + len - 1),
		    (long long)c->bytes);
		h[0] = cr.data;
		h[1] = "Content-Type: video/mp4";
		h[2] = NULL;
		buf_reset(&dryh);
		buf_reset(&dryb);
		buf_addf(&dryh, "Range: bytes=0-%lld\r\n",
		    (long long)(off + len - 1));
		buf_addstr(&dryb, "{\"id\":\"DRY-RUN\"}");
		dry.status = off + len == c->bytes ? 201 : 308;
		dry.headers = dryh.data;
		dry.body = dryb.data;
		http_request_init(&req, c->j->session);
		req.method = "PUT";
		req.headers = h;
		req.body_file = c->video;
		req.body_offset = off;
		req.body_length = len;
		req.retries = 0;	/* we resume from what the server has */
		rc = upload_send(c, &req, UP_AUTH, &dry, &resp);
		if (rc == AG_OK && resp.status == 308) {
			off = range_end(&resp);
			fails = 0;
			if ((rc = upload_sent(c, off)) != AG_OK)
				break;
			upload_crash(c, "youtube-chunk");
		} else if (rc == AG_OK && (resp.status == 200 ||
		    resp.status == 201)) {
			upload_crash(c, "youtube-done");
			if ((rc = take_video(c, &resp)) == AG_OK) {
				*w = W_DONE;
				rc = upload_sent(c, c->bytes);
			}
		} else if (rc == AG_OK && (resp.status == 404 ||
		    resp.status == 410)) {
			*w = W_GONE;
		} else if ((rc == AG_TEMPFAIL || (rc == AG_OK &&
		    resp.status >= 500)) && ++fails < MAX_FAILS) {
			/* Cut off, or a 5xx: ask what arrived, go on. */
			ag_info(c->ag, "%s: upload interrupted (%s); resuming",
			    c->account, rc != AG_OK ? c->ag->err : "5xx");
			http_response_release(&resp);
			ag_sleep_ms(50L * fails);
			if ((rc = query(c, &off, w)) != AG_OK)
				break;
			if (*w == W_GO_ON && (rc = upload_sent(c, off)) !=
			    AG_OK)
				break;
			continue;
		} else if (rc == AG_OK) {
			int again;

			rc = trouble(c, "upload", &resp, fails++, &again);
			if (rc == AG_OK && again) {
				http_response_release(&resp);
				continue;
			}
		}
		http_response_release(&resp);
		if (rc != AG_OK)
			break;
	}
	http_response_release(&resp);
	buf_release(&cr);
	buf_release(&dryh);
	buf_release(&dryb);
	return rc;
}

static int yt_find(struct upload_ctx *c);

static int
yt_upload(struct upload_ctx *c)
{
	enum where w = W_GO_ON;
	int64_t off = 0;
	int rc, restarts = 0;

	for (;;) {
		if (c->j->session != NULL) {
			if ((rc = query(c, &off, &w)) != AG_OK)
				return rc;
			if (w == W_DONE)
				return upload_sent(c, c->bytes);
			if (off > 0)
				ag_info(c->ag, "%s: resuming at byte %lld of "
				    "%lld", c->account, (long long)off,
				    (long long)c->bytes);
		}
		if (c->j->session == NULL || w == W_GONE) {
			/* A lost session that had bytes may have made the
			 * video before it went: look before starting over. */
			if (c->j->session != NULL && c->j->sent > 0)
				ag_info(c->ag, "%s: the upload session is "
				    "gone; looking for the video by its "
				    "marker %s", c->account, c->marker);
			if (c->j->session != NULL && c->j->sent > 0 &&
			    (rc = yt_find(c)) != AG_FALSE) {
				if (rc == AG_OK)
					upload_journal_set(&c->j->media_id,
					    c->remote_id);
				return rc;
			}
			if (++restarts > 2)
				return ag_fail(c->ag, AG_TEMPFAIL, "%s: upload "
				    "sessions keep vanishing; try again later",
				    c->account);
			if ((rc = start_session(c)) != AG_OK)
				return rc;
			off = 0;
		}
		if ((rc = send_chunks(c, off, &w)) != AG_OK)
			return rc;
		if (w == W_DONE)
			return AG_OK;
		/* W_GONE: the session expired under us; round again. */
	}
}

static int
set_thumbnail(struct upload_ctx *c)
{
	struct http_request req;
	struct http_response resp;
	struct buf url = BUF_INIT;
	const char *h[2], *done = ag_jstr(c->j->extra, "thumbnail");
	const char *dot = strrchr(c->thumbnail, '.');
	int rc;

	if (done != NULL && strcmp(done, "set") == 0)
		return AG_OK;
	buf_addf(&url, "%s/upload/youtube/v3/thumbnails/set?videoId=%s&"
	    "uploadType=media", api(c), c->j->media_id);
	h[0] = dot && strcmp(dot, ".png") == 0 ? "Content-Type: image/png" :
	    "Content-Type: image/jpeg";
	h[1] = NULL;
	http_request_init(&req, url.data);
	req.method = "POST";
	req.headers = h;
	req.body_file = c->thumbnail;
	req.idempotent = 1;		/* setting it twice is harmless */
	rc = upload_send(c, &req, UP_AUTH, NULL, &resp);
	cJSON_DeleteItemFromObject(c->j->extra, "thumbnail");
	if (rc == AG_OK && resp.status == 200) {
		cJSON_AddStringToObject(c->j->extra, "thumbnail", "set");
		rc = upload_save(c);
	} else if (rc == AG_OK || rc == AG_TEMPFAIL) {
		/* Not the post's fault: say so, go on. */
		if (rc == AG_OK)
			upload_http_error(c, "thumbnails.set", &resp, NULL);
		ag_warn(c->ag, "%s (the video is published without it)",
		    c->ag->err);
		cJSON_AddStringToObject(c->j->extra, "thumbnail", "failed");
		rc = AG_OK;
	}
	http_response_release(&resp);
	buf_release(&url);
	return rc;
}

static int get_json(struct upload_ctx *c, const char *url, const char *step,
    const char *dry_body, cJSON **out);

/*
 * Has YouTube processed the video?  AG_OK: processed; AG_FALSE: not
 * yet; AG_DATAERR with YouTube's reason when it failed or rejected it
 * (a duplicate, a copyright claim): such a post must not count as
 * published.
 */
static int
processed(struct upload_ctx *c, void *arg)
{
	struct buf url = BUF_INIT;
	const cJSON *st;
	const char *us, *why;
	cJSON *doc = NULL;
	int rc;

	(void)arg;
	buf_addf(&url, "%s/youtube/v3/videos?part=status&id=%s", api(c),
	    c->j->media_id);
	rc = get_json(c, url.data, "videos.list", "{\"items\":[{\"status\":"
	    "{\"uploadStatus\":\"processed\"}}]}", &doc);
	buf_release(&url);
	if (rc != AG_OK)
		return rc;
	st = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc,
	    "items"), 0), "status");
	us = ag_jstr(st, "uploadStatus");
	if (st == NULL)
		rc = ag_fail(c->ag, AG_DATAERR, "%s: video %s is gone from "
		    "YouTube", c->account, c->j->media_id);
	else if (us == NULL || strcmp(us, "processed") == 0)
		rc = AG_OK;
	else if (strcmp(us, "uploaded") == 0)
		rc = AG_FALSE;
	else {
		why = ag_jstr(st, "rejectionReason") ? ag_jstr(st,
		    "rejectionReason") : ag_jstr(st, "failureReason");
		rc = ag_fail(c->ag, AG_DATAERR, "%s: YouTube %s video %s%s%s",
		    c->account, us, c->j->media_id, why ? ": " : "",
		    why ? why : "");
	}
	cJSON_Delete(doc);
	return rc;
}

static int
yt_publish(struct upload_ctx *c)
{
	struct http_request req;
	struct http_response resp;
	struct buf url = BUF_INIT, link = BUF_INIT;
	cJSON *body, *st;
	const char *h[2], *p = privacy(c);
	char *text;
	int rc = AG_OK, again, tries = 0;

	if (upload_setting_bool(c, "wait_processing", 1) &&
	    (rc = upload_poll(c, "YouTube to process the video", processed,
	    NULL)) != AG_OK)
		return rc;
	if (c->thumbnail != NULL && (rc = set_thumbnail(c)) != AG_OK)
		return rc;
	if (strcmp(p, "private") != 0) {
		body = cJSON_CreateObject();
		cJSON_AddStringToObject(body, "id", c->j->media_id);
		st = cJSON_AddObjectToObject(body, "status");
		cJSON_AddStringToObject(st, "privacyStatus", p);
		cJSON_AddBoolToObject(st, "selfDeclaredMadeForKids",
		    c->made_for_kids);
		text = cJSON_PrintUnformatted(body);
		cJSON_Delete(body);
		buf_addf(&url, "%s/youtube/v3/videos?part=status", api(c));
		h[0] = "Content-Type: application/json; charset=UTF-8";
		h[1] = NULL;
		for (;;) {
			http_request_init(&req, url.data);
			req.method = "PUT";
			req.headers = h;
			req.body = text;
			req.body_len = strlen(text);
			rc = upload_send(c, &req, UP_AUTH, NULL, &resp);
			if (rc == AG_OK && resp.status == 200)
				break;
			if (rc == AG_OK)
				rc = trouble(c, "videos.update", &resp,
				    tries++, &again);
			else
				again = 0;
			http_response_release(&resp);
			if (rc != AG_OK || !again)
				break;
		}
		http_response_release(&resp);
		cJSON_free(text);
		if (rc != AG_OK)
			goto out;
	}
	buf_addf(&link, "https://youtu.be/%s", c->j->media_id);
	upload_journal_set(&c->remote_id, c->j->media_id);
	upload_journal_set(&c->url, link.data);
	cJSON_AddStringToObject(c->post, "privacy", p);
	cJSON_AddBoolToObject(c->post, "made_for_kids", c->made_for_kids);
out:
	buf_release(&url);
	buf_release(&link);
	return rc;
}

/* GET a JSON document from the API; *out new. */
static int
get_json(struct upload_ctx *c, const char *url, const char *step,
    const char *dry_body, cJSON **out)
{
	struct http_request req;

	http_request_init(&req, url);
	return upload_json(c, &req, step, dry_body, trouble, out);
}

/* Does a video resource carry our marker? */
static int
has_marker(struct upload_ctx *c, const cJSON *v)
{
	const cJSON *sn = cJSON_GetObjectItem(v, "snippet"), *t;
	const char *d = ag_jstr(sn, "description");

	cJSON_ArrayForEach(t, cJSON_GetObjectItem(sn, "tags"))
		if (cJSON_IsString(t) && strcmp(t->valuestring, c->marker) ==
		    0)
			return 1;
	return d != NULL && strstr(d, c->marker) != NULL;
}

/* Look through the uploads playlist (newest 200) for the marker. */
static int
yt_find(struct upload_ctx *c)
{
	struct buf url = BUF_INIT, ids = BUF_INIT;
	cJSON *doc = NULL, *vids = NULL;
	const cJSON *it, *v;
	char *pl = NULL, *page = NULL;
	int rc, pages, n;

	buf_addf(&url, "%s/youtube/v3/channels?part=contentDetails&mine=true",
	    api(c));
	if ((rc = get_json(c, url.data, "channels.list", "{\"items\":[]}",
	    &doc)) != AG_OK)
		goto out;
	it = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "items"), 0);
	it = cJSON_GetObjectItem(cJSON_GetObjectItem(it, "contentDetails"),
	    "relatedPlaylists");
	pl = xstrdup(ag_jstr(it, "uploads"));
	cJSON_Delete(doc);
	doc = NULL;
	rc = AG_FALSE;
	if (pl == NULL)
		goto out;
	for (pages = 0; pages < 4 && rc == AG_FALSE; pages++) {
		buf_reset(&url);
		buf_addf(&url, "%s/youtube/v3/playlistItems?part=snippet&"
		    "maxResults=50&playlistId=%s%s%s", api(c), pl,
		    page ? "&pageToken=" : "", page ? page : "");
		if ((rc = get_json(c, url.data, "playlistItems.list",
		    "{\"items\":[]}", &doc)) != AG_OK)
			goto out;
		buf_reset(&ids);
		n = 0;
		cJSON_ArrayForEach(it, cJSON_GetObjectItem(doc, "items")) {
			const char *id = ag_jstr(cJSON_GetObjectItem(
			    cJSON_GetObjectItem(it, "snippet"), "resourceId"),
			    "videoId");

			if (id != NULL) {
				buf_addf(&ids, "%s%s", n++ ? "," : "", id);
			}
		}
		free(page);
		page = xstrdup(ag_jstr(doc, "nextPageToken"));
		cJSON_Delete(doc);
		doc = NULL;
		rc = AG_FALSE;
		if (n == 0)
			break;
		buf_reset(&url);
		buf_addf(&url, "%s/youtube/v3/videos?part=snippet,status&id=%s",
		    api(c), ids.data);
		if ((rc = get_json(c, url.data, "videos.list", "{\"items\":[]}",
		    &vids)) != AG_OK)
			goto out;
		rc = AG_FALSE;
		cJSON_ArrayForEach(v, cJSON_GetObjectItem(vids, "items"))
			if (rc == AG_FALSE && has_marker(c, v)) {
				struct buf link = BUF_INIT;

				upload_journal_set(&c->remote_id,
				    ag_jstr(v, "id"));
				buf_addf(&link, "https://youtu.be/%s",
				    c->remote_id);
				upload_journal_set(&c->url, link.data);
				buf_release(&link);
				rc = AG_OK;
			}
		cJSON_Delete(vids);
		vids = NULL;
		if (page == NULL)
			break;
	}
out:
	cJSON_Delete(doc);
	cJSON_Delete(vids);
	free(pl);
	free(page);
	buf_release(&url);
	buf_release(&ids);
	return rc;
}

static int
yt_status(struct upload_ctx *c, cJSON **out)
{
	struct buf url = BUF_INIT;
	cJSON *doc = NULL;
	const cJSON *v, *st;
	int rc;

	buf_addf(&url, "%s/youtube/v3/videos?part=status&id=%s", api(c),
	    c->j->remote_id ? c->j->remote_id : c->j->media_id);
	rc = get_json(c, url.data, "videos.list", "{\"items\":[]}", &doc);
	buf_release(&url);
	if (rc != AG_OK)
		return rc;
	v = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "items"), 0);
	st = cJSON_GetObjectItem(v, "status");
	*out = upload_status_doc(v != NULL, "status", cJSON_Duplicate(st, 1),
	    NULL);
	cJSON_Delete(doc);
	return AG_OK;
}

const struct platform_ops platform_youtube = {
	.name = "youtube",
	.summary = "YouTube: videos.insert (resumable), thumbnails.set",
	.auth = PLATFORM_AUTH_OAUTH,
	.flags = PF_IDEMPOTENT,
	.settings = settings,
	.limits = &limits,
	.oauth = &oauth,
	.upload = yt_upload,
	.publish = yt_publish,
	.find_existing = yt_find,
	.status = yt_status,
};
