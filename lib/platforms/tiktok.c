/*
 * tiktok.c - TikTok Content Posting API: creator_info, a FILE_UPLOAD
 * init, the chunked PUT and status/fetch, as a Direct Post or to the
 * creator's inbox (../shared/reference/platforms.md §2).
 *
 * TikTok has no idempotency: every init is a post of its own, and the
 * post comes into being when its last byte arrives (TikTok processes
 * and publishes it by itself then).  So upload() asks creator_info
 * (does this creator offer the privacy asked for?  may they post that
 * long?), makes the init and sends every chunk but the last; publish(),
 * the step that must not happen twice, sends the last chunk and polls
 * status/fetch until PUBLISH_COMPLETE (SEND_TO_USER_INBOX in inbox
 * mode).  FAILED with its fail_reason is a definite refusal: nothing
 * was posted, and the next run starts again with a new init.  The
 * schedule guard, asked just before publish(), thus still decides.
 *
 * The publish_id and the upload_url are journalled before the first
 * byte goes out (c->j->session is the upload_url; extra holds the
 * publish_id and the chunk plan TikTok was told), so a killed run asks
 * status/fetch about that publish_id instead of making a new one:
 * uploaded_bytes says which chunk to go on with (a chunk may be sent
 * again with the same range).  A FAILED or unknown publish, or an
 * upload_url TikTok no longer takes, starts over with a new init; the
 * old publish expires with nothing posted.
 *
 * find_existing(), after a crash or a lost answer around the last
 * chunk, asks status/fetch about the journalled publish_id; when TikTok
 * no longer knows it, /v2/video/list/ (scope video.list) is searched
 * for the marker, which ends the caption.
 *
 * Chunks (the media transfer guide): total_chunk_count is floor(size /
 * chunk_size) and the last chunk takes the rest; chunks are 5 to 64 MB
 * (the last up to 128 MB), at most 1000, sent in order; a file under
 * 5 MB, or one that fits one chunk, goes as a single chunk.
 *
 * Rate limits are per access token and minute (6 inits, 30 status
 * fetches, 20 creator_info queries), signalled by 429
 * rate_limit_exceeded with no Retry-After: we back off with jitter.
 * spam_risk_too_many_posts, the creator's daily cap, is exit 75.
 */
#include <stdlib.h>
#include <string.h>

#include "agency.h"
#include "platforms/platform.h"

/* 5 MiB and 64 MB: within the guide's "5 MB" and "64 MB" whichever
 * megabyte it means. */
#define MIN_CHUNK 5242880LL
#define MAX_CHUNK 64000000LL
#define MAX_CHUNKS 1000
#define MAX_FAILS 8			/* consecutive failures per step */
#define TITLE_MAX 2200			/* UTF-16 code units */

static const struct platform_setting settings[] = {
	{ "api_url", "https://open.tiktokapis.com",
	    "the API's base URL", 0 },
	{ "auth_url", NULL, "the OAuth authorization endpoint", 0 },
	{ "chunk_size", NULL, "bytes per chunk, 5 MB to 64 MB (default "
	    "upload.chunk_size, at most 64000000)", 0 },
	{ "client_key", NULL, "the client key of your TikTok app", 0 },
	{ "client_secret", NULL, "the client secret of your TikTok app",
	    SETTING_SECRET },
	{ "cover_ms", "0", "the frame of the cover, in milliseconds from the "
	    "start", 0 },
	{ "disable_comment", "false", "turn comments off", 0 },
	{ "disable_duet", "false", "turn duets off", 0 },
	{ "disable_stitch", "false", "turn stitches off", 0 },
	{ "is_aigc", "true", "label the video AI-generated content", 0 },
	{ "max_duration", NULL, "longest video in seconds (besides the "
	    "creator's own limit)", 0 },
	{ "min_chunk_size", "5242880", "the smallest chunk TikTok takes "
	    "(lower only for a test server)", 0 },
	{ "post_mode", "direct", "direct (Direct Post) or inbox (the "
	    "creator finishes the post in the app)", 0 },
	{ "privacy", "public", "public, followers, friends or private (or "
	    "a TikTok privacy_level)", 0 },
	{ "redirect_port", NULL, "the port of the OAuth loopback redirect",
	    0 },
	{ "scope", NULL, "the OAuth scopes, comma-separated", 0 },
	{ "token_url", NULL, "the OAuth token endpoint", 0 },
	{ NULL, NULL, NULL, 0 }
};

static const struct media_limits limits = {
	.min_duration = 3,
	.max_duration = 600,
	.max_bytes = 4LL * 1024 * 1024 * 1024,
	.min_width = 360,
	.min_height = 360,
	.max_width = 4096,
	.max_height = 4096,
	.min_fps = 23,
	.max_fps = 60,
	.containers = "mp4,mov,webm",
	.vcodecs = "h264,hevc,vp8,vp9",
};

static const struct platform_oauth oauth = {
	.auth_url = "https://www.tiktok.com/v2/auth/authorize/",
	.token_url = "https://open.tiktokapis.com/v2/oauth/token/",
	.scope = "user.info.basic,video.publish,video.upload,video.list",
	.id_param = "client_key",
	.hex_challenge = 1,		/* the desktop flow's challenge */
};

static const char *
api(struct upload_ctx *c)
{
	return upload_setting(c, "api_url");
}

static int
inbox(struct upload_ctx *c)
{
	const char *m = upload_setting(c, "post_mode");

	return m != NULL && strcmp(m, "inbox") == 0;
}

/* A string of the journal's notes, or NULL. */
static const char *
note(struct upload_ctx *c, const char *key)
{
	return ag_jstr(c->j->extra, key);
}

static void
set_note(struct upload_ctx *c, const char *key, const char *v)
{
	cJSON_DeleteItemFromObject(c->j->extra, key);
	if (v != NULL)
		cJSON_AddStringToObject(c->j->extra, key, v);
}

static void
set_num(struct upload_ctx *c, const char *key, double v)
{
	cJSON_DeleteItemFromObject(c->j->extra, key);
	cJSON_AddNumberToObject(c->j->extra, key, v);
}

/* Forget the publish: the next step starts with a new init. */
static void
forget(struct upload_ctx *c)
{
	upload_journal_set(&c->j->session, NULL);
	c->j->sent = 0;
	set_note(c, "publish_id", NULL);
	cJSON_DeleteItemFromObject(c->j->extra, "chunk_size");
	cJSON_DeleteItemFromObject(c->j->extra, "chunks");
}

/* error.code and error.message of an answer ("" when absent). */
static void
tt_error(const struct http_response *resp, char *code, size_t clen,
    char *msg, size_t mlen)
{
	cJSON *doc = cJSON_ParseWithLength(buf_str(&resp->body),
	    resp->body.len);
	const cJSON *e = cJSON_GetObjectItem(doc, "error");

	snprintf(code, clen, "%s", ag_jstr(e, "code") ? ag_jstr(e, "code") :
	    "");
	snprintf(msg, mlen, "%s", ag_jstr(e, "message") ? ag_jstr(e,
	    "message") : "");
	cJSON_Delete(doc);
}

/*
 * An answer that is not what the step wanted, in TikTok's words
 * ("init: HTTP 403: spam_risk_too_many_posts: ...").  *again is set
 * when the caller should send once more (a rate limit waited out).
 */
static int
trouble(struct upload_ctx *c, const char *step,
    const struct http_response *resp, int tries, int *again)
{
	char code[64], msg[384], detail[512], why[128];
	int rc;

	*again = 0;
	tt_error(resp, code, sizeof(code), msg, sizeof(msg));
	if (code[0] != '\0')
		snprintf(detail, sizeof(detail), "%s%s%s", code, msg[0] ?
		    ": " : "", msg);
	else
		upload_error_message(resp, detail, sizeof(detail));
	if (resp->status == 429 || strcmp(code, "rate_limit_exceeded") == 0) {
		unsigned int seed = (unsigned int)ag_now_ms();

		snprintf(why, sizeof(why), "%s: rate_limit_exceeded", step);
		rc = upload_wait(c, resp->retry_after >= 0 ?
		    resp->retry_after : 1 + http_backoff(1, 30, tries, &seed),
		    why);
		*again = rc == AG_OK && tries < MAX_FAILS;
		if (rc == AG_OK && !*again)
			rc = upload_http_error(c, step, resp, detail);
		return rc;
	}
	if (strcmp(code, "spam_risk_too_many_posts") == 0 ||
	    strcmp(code, "spam_risk_too_many_pending_share") == 0) {
		c->later = 1;
		return ag_fail(c->ag, AG_TEMPFAIL, "%s: %s: HTTP %ld: %s; try "
		    "again tomorrow", c->account, step, resp->status, detail);
	}
	if (strcmp(code, "scope_not_authorized") == 0 ||
	    strcmp(code, "scope_permission_missed") == 0 ||
	    strcmp(code, "access_token_invalid") == 0) {
		rc = ag_fail(c->ag, AG_NOPERM, "%s: %s: HTTP %ld: %s; run "
		    "'agency-upload auth %s' to grant it", c->account, step,
		    resp->status, detail, c->account);
		platform_account_broken(c->ag, c->account, detail);
		return rc;
	}
	if (strcmp(code, "spam_risk_user_banned_from_posting") == 0 ||
	    strcmp(code, "reached_active_user_cap") == 0 ||
	    strcmp(code, "unaudited_client_can_only_post_to_private_"
	    "accounts") == 0)
		return ag_fail(c->ag, AG_NOPERM, "%s: %s: HTTP %ld: %s",
		    c->account, step, resp->status, detail);
	if (strcmp(code, "internal_error") == 0 && resp->status < 500)
		return ag_fail(c->ag, AG_TEMPFAIL, "%s: %s: HTTP %ld: %s",
		    c->account, step, resp->status, detail);
	return upload_http_error(c, step, resp, detail);
}

/*
 * POST a JSON body to API_URL/path and take the answer's document
 * (*out new) when TikTok says "ok"; idempotent when asking again is
 * harmless.
 */
static int
call(struct upload_ctx *c, const char *path, const char *step,
    const char *body, const char *dry_body, int idempotent, cJSON **out)
{
	struct http_request req;
	struct http_response resp;
	struct upload_dry dry = { 200, NULL, dry_body };
	struct buf url = BUF_INIT;
	const char *h[2];
	const char *code;
	cJSON *doc;
	int rc, again, tries = 0;

	buf_addf(&url, "%s%s", api(c), path);
	h[0] = "Content-Type: application/json; charset=UTF-8";
	h[1] = NULL;
	for (;;) {
		http_request_init(&req, url.data);
		req.method = "POST";
		req.headers = h;
		req.body = body;
		req.body_len = strlen(body);
		req.idempotent = idempotent;
		rc = upload_send(c, &req, UP_AUTH, &dry, &resp);
		again = 0;
		if (rc == AG_OK && resp.status == 200) {
			doc = cJSON_ParseWithLength(buf_str(&resp.body),
			    resp.body.len);
			code = ag_jstr(cJSON_GetObjectItem(doc, "error"),
			    "code");
			if (doc != NULL && (code == NULL ||
			    strcmp(code, "ok") == 0)) {
				*out = doc;
				break;
			}
			cJSON_Delete(doc);
			rc = doc == NULL ? ag_fail(c->ag, AG_TEMPFAIL,
			    "%s: %s: the answer is not JSON", c->account,
			    step) : trouble(c, step, &resp, tries++, &again);
		} else if (rc == AG_OK) {
			rc = trouble(c, step, &resp, tries++, &again);
		}
		http_response_release(&resp);
		if (rc != AG_OK || !again)
			goto out;
	}
	http_response_release(&resp);
out:
	buf_release(&url);
	return rc;
}

/* The TikTok privacy_level of a privacy name, or NULL. */
static const char *
level_of(const char *p)
{
	static const char *const map[][2] = {
		{ "public", "PUBLIC_TO_EVERYONE" },
		{ "followers", "FOLLOWER_OF_CREATOR" },
		{ "friends", "MUTUAL_FOLLOW_FRIENDS" },
		{ "private", "SELF_ONLY" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(p, map[i][0]) == 0 || strcmp(p, map[i][1]) == 0)
			return map[i][1];
	return NULL;
}

/* The privacy asked for, as TikTok names it; a name TikTok has not is
 * 65 from --privacy, 78 from the account's settings. */
static int
privacy_level(struct upload_ctx *c, const char **out)
{
	const char *p = c->privacy ? c->privacy : upload_setting(c,
	    "privacy");

	if ((*out = level_of(p)) != NULL)
		return AG_OK;
	return ag_fail(c->ag, c->privacy ? AG_DATAERR : AG_CONFIG, "%s: "
	    "TikTok has no privacy '%s': use public, followers, friends or "
	    "private", c->account, p);
}

/*
 * creator_info: the privacy levels this creator may post with, the
 * longest video, what they turned off.  A privacy or a duration the
 * creator is not offered stops the post before any byte is sent.
 */
static int
creator_info(struct upload_ctx *c, const char *level)
{
	cJSON *doc = NULL;
	const cJSON *d, *o;
	struct buf offered = BUF_INIT;
	double max;
	int rc, found = 0;

	rc = call(c, "/v2/post/publish/creator_info/query/", "creator_info",
	    "{}", "{\"data\":{\"creator_username\":\"DRY-RUN\","
	    "\"privacy_level_options\":[\"PUBLIC_TO_EVERYONE\","
	    "\"MUTUAL_FOLLOW_FRIENDS\",\"FOLLOWER_OF_CREATOR\","
	    "\"SELF_ONLY\"],\"max_video_post_duration_sec\":600},"
	    "\"error\":{\"code\":\"ok\"}}", 1, &doc);
	if (rc != AG_OK)
		return rc;
	d = cJSON_GetObjectItem(doc, "data");
	cJSON_ArrayForEach(o, cJSON_GetObjectItem(d, "privacy_level_options"))
		if (cJSON_IsString(o)) {
			buf_addf(&offered, "%s%s", offered.len ? ", " : "",
			    o->valuestring);
			found |= strcmp(o->valuestring, level) == 0;
		}
	max = ag_jnum(d, "max_video_post_duration_sec", 0);
	if (!found) {
		rc = ag_fail(c->ag, c->privacy ? AG_DATAERR : AG_CONFIG, "%s: "
		    "TikTok does not offer privacy %s to this creator "
		    "(offered: %s)%s", c->account, level, offered.len ?
		    offered.data : "none", strcmp(level, "SELF_ONLY") != 0 ?
		    "; an app TikTok has not audited may only post private: "
		    "--privacy private" : "");
	} else if (max > 0 && c->probe->duration > max + 0.05) {
		rc = ag_fail(c->ag, AG_DATAERR, "%s: '%s': duration (s) %g is "
		    "over %g (the longest this creator may post)", c->account,
		    c->video, c->probe->duration, max);
	} else {
		set_note(c, "username", ag_jstr(d, "creator_username"));
		set_num(c, "comment_disabled", cJSON_IsTrue(
		    cJSON_GetObjectItem(d, "comment_disabled")));
		set_num(c, "duet_disabled", cJSON_IsTrue(
		    cJSON_GetObjectItem(d, "duet_disabled")));
		set_num(c, "stitch_disabled", cJSON_IsTrue(
		    cJSON_GetObjectItem(d, "stitch_disabled")));
	}
	buf_release(&offered);
	cJSON_Delete(doc);
	return rc;
}

/* UTF-16 code units of a UTF-8 character starting with byte b. */
static size_t
units(unsigned char b)
{
	if ((b & 0xc0) == 0x80)
		return 0;
	return b >= 0xf0 ? 2 : 1;
}

/*
 * The caption: the title, the description, the hashtags not in them
 * yet and, last, the marker find_existing() looks for; cut to fit
 * TikTok's 2200 UTF-16 units, the marker kept.  New string.
 */
static char *
caption(struct upload_ctx *c)
{
	struct buf b = BUF_INIT, out = BUF_INIT, tag = BUF_INIT;
	size_t i, n = 0, room;
	const unsigned char *p;

	buf_addstr(&b, c->title);
	if (*c->description != '\0' && strcmp(c->description, c->title) != 0)
		buf_addf(&b, "%s%s", b.len ? "\n\n" : "", c->description);
	for (i = 0; i < c->ntags; i++) {
		buf_reset(&tag);
		buf_addf(&tag, "#%s", c->tags[i]);
		if (strstr(buf_str(&b), tag.data) == NULL)
			buf_addf(&b, "%s%s", i == 0 ? "\n\n" : " ", tag.data);
	}
	room = TITLE_MAX - strlen(c->marker) - 2;
	for (p = (const unsigned char *)buf_str(&b); *p != '\0'; p++) {
		n += units(*p);
		if (n > room)
			break;
		buf_addch(&out, *p);
	}
	buf_addf(&out, "%s%s", out.len ? "\n\n" : "", c->marker);
	buf_release(&b);
	buf_release(&tag);
	return buf_detach(&out);
}

/* The chunk plan of TikTok's rules (see the top). */
static void
plan(struct upload_ctx *c, long long *chunk, long long *count)
{
	long long min = upload_setting_int(c, "min_chunk_size", MIN_CHUNK);
	long long want = upload_setting_int(c, "chunk_size",
	    config_int(c->ag, "upload.chunk_size"));
	long long size = c->bytes;

	if (min < 1)
		min = 1;
	if (want < min)
		want = min;
	if (want > MAX_CHUNK)
		want = MAX_CHUNK;
	if (size < min || size <= want) {
		*chunk = size;
		*count = 1;
		return;
	}
	if (size / want > MAX_CHUNKS)
		want = (size + MAX_CHUNKS - 1) / MAX_CHUNKS;
	*chunk = want;
	*count = size / want;
}

/* The init (after creator_info in Direct Post): the publish_id and the
 * upload_url are journalled before anything else is sent. */
static int
init(struct upload_ctx *c)
{
	cJSON *body = cJSON_CreateObject(), *pi, *si, *doc = NULL;
	const cJSON *d;
	const char *level = NULL, *id, *url;
	struct buf dry = BUF_INIT;
	long long chunk, count;
	char *text = NULL, *title = NULL;
	int rc, direct = !inbox(c);

	if (direct && ((rc = privacy_level(c, &level)) != AG_OK ||
	    (rc = creator_info(c, level)) != AG_OK))
		goto out;
	plan(c, &chunk, &count);
	if (direct) {
		title = caption(c);
		pi = cJSON_AddObjectToObject(body, "post_info");
		cJSON_AddStringToObject(pi, "title", title);
		cJSON_AddStringToObject(pi, "privacy_level", level);
		cJSON_AddBoolToObject(pi, "disable_duet", upload_setting_bool(c,
		    "disable_duet", 0) || ag_jnum(c->j->extra,
		    "duet_disabled", 0));
		cJSON_AddBoolToObject(pi, "disable_comment",
		    upload_setting_bool(c, "disable_comment", 0) ||
		    ag_jnum(c->j->extra, "comment_disabled", 0));
		cJSON_AddBoolToObject(pi, "disable_stitch",
		    upload_setting_bool(c, "disable_stitch", 0) ||
		    ag_jnum(c->j->extra, "stitch_disabled", 0));
		cJSON_AddNumberToObject(pi, "video_cover_timestamp_ms",
		    (double)upload_setting_int(c, "cover_ms", 0));
		cJSON_AddBoolToObject(pi, "is_aigc", upload_setting_bool(c,
		    "is_aigc", 1));
	}
	si = cJSON_AddObjectToObject(body, "source_info");
	cJSON_AddStringToObject(si, "source", "FILE_UPLOAD");
	cJSON_AddNumberToObject(si, "video_size", (double)c->bytes);
	cJSON_AddNumberToObject(si, "chunk_size", (double)chunk);
	cJSON_AddNumberToObject(si, "total_chunk_count", (double)count);
	text = cJSON_PrintUnformatted(body);
	buf_addf(&dry, "{\"data\":{\"publish_id\":\"v_pub_file~DRY-RUN\","
	    "\"upload_url\":\"%s/video/?upload_id=DRY-RUN\"},\"error\":"
	    "{\"code\":\"ok\"}}", api(c));
	rc = call(c, direct ? "/v2/post/publish/video/init/" :
	    "/v2/post/publish/inbox/video/init/", "init", text, dry.data, 1,
	    &doc);
	if (rc != AG_OK)
		goto out;
	d = cJSON_GetObjectItem(doc, "data");
	id = ag_jstr(d, "publish_id");
	url = ag_jstr(d, "upload_url");
	if (id == NULL || url == NULL) {
		rc = ag_fail(c->ag, AG_TEMPFAIL, "%s: init: no publish_id or "
		    "upload_url in the answer", c->account);
		goto out;
	}
	upload_journal_set(&c->j->session, url);
	c->j->sent = 0;
	set_note(c, "publish_id", id);
	set_note(c, "privacy", level);
	set_num(c, "chunk_size", (double)chunk);
	set_num(c, "chunks", (double)count);
	if ((rc = upload_save(c)) != AG_OK)
		goto out;
	ag_info(c->ag, "%s: publish %s: %lld bytes in %lld chunk%s",
	    c->account, id, (long long)c->bytes, count, count == 1 ? "" : "s");
	upload_crash(c, "tiktok-init");
out:
	cJSON_Delete(doc);
	cJSON_Delete(body);
	cJSON_free(text);
	free(title);
	buf_release(&dry);
	return rc;
}

/* Chunk i of the plan: its offset and length. */
static void
chunk_of(struct upload_ctx *c, long long i, int64_t *off, int64_t *len)
{
	long long chunk = (long long)ag_jnum(c->j->extra, "chunk_size", 0);
	long long count = (long long)ag_jnum(c->j->extra, "chunks", 1);

	*off = (int64_t)(i * chunk);
	*len = i == count - 1 ? c->bytes - *off : (int64_t)chunk;
}

enum where {
	W_UPLOADING,			/* *got bytes are in */
	W_COMPLETE,			/* every byte is in: the post is made */
	W_GONE				/* FAILED, or unknown to TikTok */
};

/* status/fetch of the journal's publish; *doc (new, may be NULL) is its
 * data, *raw the answer's text. */
static int
fetch(struct upload_ctx *c, enum where *w, int64_t *got, cJSON **doc,
    struct buf *raw)
{
	struct http_request req;
	struct http_response resp;
	struct upload_dry dry = { 200, NULL, NULL };
	struct buf url = BUF_INIT, dryb = BUF_INIT;
	const char *h[2], *st;
	char code[64], msg[256];
	cJSON *b = cJSON_CreateObject(), *answer;
	char *text;
	int rc, again, tries = 0;

	*doc = NULL;
	cJSON_AddStringToObject(b, "publish_id", note(c, "publish_id"));
	text = cJSON_PrintUnformatted(b);
	cJSON_Delete(b);
	buf_addf(&url, "%s/v2/post/publish/status/fetch/", api(c));
	buf_addf(&dryb, "{\"data\":{\"status\":\"%s\",\"uploaded_bytes\":"
	    "%lld,\"publicaly_available_post_id\":[]},\"error\":{\"code\":"
	    "\"ok\"}}", c->j->sent >= c->bytes ? (inbox(c) ?
	    "SEND_TO_USER_INBOX" : "PUBLISH_COMPLETE") : "PROCESSING_UPLOAD",
	    (long long)c->j->sent);
	dry.body = dryb.data;
	h[0] = "Content-Type: application/json; charset=UTF-8";
	h[1] = NULL;
	for (;;) {
		http_request_init(&req, url.data);
		req.method = "POST";
		req.headers = h;
		req.body = text;
		req.body_len = strlen(text);
		req.idempotent = 1;	/* it only reads */
		rc = upload_send(c, &req, UP_AUTH, &dry, &resp);
		again = 0;
		if (rc != AG_OK)
			goto out;
		tt_error(&resp, code, sizeof(code), msg, sizeof(msg));
		if (resp.status == 200 && (code[0] == '\0' ||
		    strcmp(code, "ok") == 0))
			break;
		if (strcmp(code, "invalid_publish_id") == 0 ||
		    resp.status == 404) {
			*w = W_GONE;
			*got = 0;
			goto out;
		}
		rc = trouble(c, "status/fetch", &resp, tries++, &again);
		http_response_release(&resp);
		if (rc != AG_OK || !again)
			goto out;
	}
	answer = cJSON_ParseWithLength(buf_str(&resp.body), resp.body.len);
	*doc = cJSON_DetachItemFromObject(answer, "data");
	cJSON_Delete(answer);
	if (raw != NULL) {
		buf_reset(raw);
		buf_addstr(raw, buf_str(&resp.body));
	}
	st = ag_jstr(*doc, "status");
	*got = (int64_t)ag_jnum(*doc, "uploaded_bytes", 0);
	if (st == NULL)
		rc = ag_fail(c->ag, AG_TEMPFAIL, "%s: status/fetch: no status "
		    "in the answer", c->account);
	else if (strcmp(st, "FAILED") == 0)
		*w = W_GONE;
	else if (strcmp(st, "PROCESSING_UPLOAD") == 0 && *got < c->bytes)
		*w = W_UPLOADING;
	else
		*w = W_COMPLETE;
out:
	http_response_release(&resp);
	buf_release(&url);
	buf_release(&dryb);
	cJSON_free(text);
	return rc;
}

/* The MIME type of the video, by its name. */
static const char *
content_type(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (dot != NULL && strcmp(dot, ".mov") == 0)
		return "Content-Type: video/quicktime";
	if (dot != NULL && strcmp(dot, ".webm") == 0)
		return "Content-Type: video/webm";
	return "Content-Type: video/mp4";
}

/*
 * Send chunks from the one c->j->sent starts to, up to (not including)
 * chunk end.  *w is W_GONE when the upload_url is no longer taken,
 * W_COMPLETE when every byte is in.  A failed chunk is sent again with
 * the same range; a failed last chunk is first asked about (it may
 * have made the post before the answer was lost).
 */
static int
send_chunks(struct upload_ctx *c, long long end, enum where *w)
{
	struct http_request req;
	struct http_response resp;
	struct buf cr = BUF_INIT;
	const char *h[3];
	struct upload_dry dry = { 206, NULL, "" };
	long long chunk = (long long)ag_jnum(c->j->extra, "chunk_size", 0);
	long long count = (long long)ag_jnum(c->j->extra, "chunks", 1);
	long long i;
	int64_t off, len, got;
	int rc = AG_OK, fails = 0, again, last;

	*w = W_UPLOADING;
	memset(&resp, 0, sizeof(resp));
	i = chunk > 0 ? (long long)(c->j->sent / chunk) : 0;
	if (i > count - 1)
		i = count - 1;
	while (i < end) {
		chunk_of(c, i, &off, &len);
		last = i == count - 1;
		buf_reset(&cr);
		buf_addf(&cr, "Content-Range: bytes %lld-%lld/%lld",
		    (long long)off, (long long)(off + len - 1),
		    (long long)c->bytes);
		h[0] = content_type(c->video);
		h[1] = cr.data;
		h[2] = NULL;
		dry.status = last ? 201 : 206;
		http_request_init(&req, c->j->session);
		req.method = "PUT";
		req.headers = h;
		req.body_file = c->video;
		req.body_offset = off;
		req.body_length = len;
		req.retries = 0;	/* we know what to send again */
		/* The upload_url carries its own token. */
		rc = upload_send(c, &req, 0, &dry, &resp);
		if (rc == AG_OK && (resp.status == 206 || (!last &&
		    resp.status == 201))) {
			fails = 0;
			if ((rc = upload_sent(c, off + len)) != AG_OK)
				break;
			upload_crash(c, "tiktok-chunk");
			i++;
		} else if (rc == AG_OK && (resp.status == 201 ||
		    resp.status == 200)) {
			upload_crash(c, "tiktok-done");
			*w = W_COMPLETE;
			rc = upload_sent(c, c->bytes);
			break;
		} else if (rc == AG_OK && (resp.status == 404 ||
		    resp.status == 410)) {
			*w = W_GONE;
			break;
		} else if (((rc == AG_TEMPFAIL && !c->later) ||
		    (rc == AG_OK && resp.status >= 500)) &&
		    ++fails < MAX_FAILS) {
			ag_info(c->ag, "%s: chunk %lld of %lld interrupted (%s); "
			    "sending it again", c->account, i + 1, count,
			    rc != AG_OK ? c->ag->err : "5xx");
			http_response_release(&resp);
			ag_sleep_ms(50L * fails);
			if (last) {
				cJSON *doc = NULL;

				/* Did the last chunk make it, answer lost? */
				rc = fetch(c, w, &got, &doc, NULL);
				cJSON_Delete(doc);
				if (rc != AG_OK)
					break;
				if (*w == W_COMPLETE) {
					rc = upload_sent(c, c->bytes);
					break;
				}
				if (*w == W_GONE)
					break;
				*w = W_UPLOADING;
			}
			continue;
		} else if (rc == AG_OK) {
			rc = trouble(c, "upload", &resp, fails++, &again);
			if (rc == AG_OK && again) {
				http_response_release(&resp);
				continue;
			}
			if (rc == AG_OK)
				rc = upload_http_error(c, "upload", &resp,
				    NULL);
		}
		http_response_release(&resp);
		if (rc != AG_OK)
			break;
	}
	http_response_release(&resp);
	buf_release(&cr);
	return rc;
}

/*
 * Make or resume the publish and send all but the last chunk: what
 * upload() does, and what publish() does again when a publish failed
 * or its upload_url lapsed.
 */
static int
prepare(struct upload_ctx *c)
{
	enum where w;
	cJSON *doc;
	int64_t got;
	long long chunk, count;
	int rc, restarts = 0;

	for (;;) {
		if (note(c, "publish_id") != NULL && c->j->session != NULL) {
			if ((rc = fetch(c, &w, &got, &doc, NULL)) != AG_OK)
				return rc;
			cJSON_Delete(doc);
			if (w == W_COMPLETE)
				return upload_sent(c, c->bytes);
			if (w == W_UPLOADING) {
				chunk = (long long)ag_jnum(c->j->extra,
				    "chunk_size", 1);
				/* TikTok's count wins over ours. */
				c->j->sent = got - got % (chunk > 0 ? chunk :
				    1);
				if (c->j->sent > 0)
					ag_info(c->ag, "%s: resuming publish "
					    "%s at byte %lld of %lld",
					    c->account, note(c, "publish_id"),
					    (long long)c->j->sent,
					    (long long)c->bytes);
			} else {
				ag_info(c->ag, "%s: publish %s is gone; "
				    "starting again", c->account,
				    note(c, "publish_id"));
				forget(c);
			}
		}
		if (note(c, "publish_id") == NULL || c->j->session == NULL) {
			if (++restarts > 3)
				return ag_fail(c->ag, AG_TEMPFAIL, "%s: TikTok "
				    "keeps dropping the upload; try again "
				    "later", c->account);
			forget(c);
			if ((rc = init(c)) != AG_OK)
				return rc;
		}
		count = (long long)ag_jnum(c->j->extra, "chunks", 1);
		if ((rc = send_chunks(c, count - 1, &w)) != AG_OK)
			return rc;
		if (w != W_GONE)
			return AG_OK;
		ag_info(c->ag, "%s: the upload_url is no longer taken; "
		    "starting again", c->account);
		forget(c);
	}
}

static int
tt_upload(struct upload_ctx *c)
{
	int rc;

	if ((rc = prepare(c)) != AG_OK)
		return rc;
	upload_journal_set(&c->j->media_id, note(c, "publish_id"));
	return AG_OK;
}

/*
 * The first member of key in a JSON text as written: a number or a
 * string, alone or first in an array ("publicaly_available_post_id":
 * [7301234567890123456]), for ids too long for a double.  NULL when
 * absent or empty.  New string.
 */
static char *
raw_id(const char *text, const char *key)
{
	char pat[80];
	const char *p;
	size_t n;

	snprintf(pat, sizeof(pat), "\"%s\"", key);
	if ((p = strstr(text, pat)) == NULL)
		return NULL;
	p += strlen(pat);
	p += strspn(p, " \t\r\n");
	if (*p++ != ':')
		return NULL;
	p += strspn(p, " \t\r\n[");
	if (*p == '"')
		p++;
	n = strspn(p, "0123456789");
	return n > 0 ? xstrndup(p, n) : NULL;
}

/* The post's id and URL from a finished status (raw is its text). */
static void
take_post(struct upload_ctx *c, const char *raw)
{
	const char *user = note(c, "username");
	char *id = raw_id(raw, "publicaly_available_post_id");
	struct buf url = BUF_INIT;

	if (id != NULL) {
		upload_journal_set(&c->remote_id, id);
		buf_addf(&url, "https://www.tiktok.com/@%s/video/%s",
		    user ? user : "", id);
		upload_journal_set(&c->url, url.data);
	} else {
		/* Private, in review, or in the inbox: no public post
		 * yet; the publish is what there is. */
		upload_journal_set(&c->remote_id, note(c, "publish_id"));
		if (user != NULL && !inbox(c)) {
			buf_addf(&url, "https://www.tiktok.com/@%s", user);
			upload_journal_set(&c->url, url.data);
		}
	}
	cJSON_AddStringToObject(c->post, "publish_id", note(c, "publish_id"));
	cJSON_AddStringToObject(c->post, "post_mode", inbox(c) ? "inbox" :
	    "direct");
	if (note(c, "privacy") != NULL && !inbox(c))
		cJSON_AddStringToObject(c->post, "privacy", note(c, "privacy"));
	free(id);
	buf_release(&url);
}

/* Has TikTok finished?  AG_OK: the post is up (or in the inbox);
 * AG_FALSE: not yet; AG_DATAERR: FAILED, with TikTok's reason. */
static int
finished(struct upload_ctx *c, void *arg)
{
	struct buf raw = BUF_INIT;
	const char *st, *why;
	enum where w;
	cJSON *doc = NULL;
	int64_t got;
	int rc;

	(void)arg;
	if ((rc = fetch(c, &w, &got, &doc, &raw)) != AG_OK)
		goto out;
	st = ag_jstr(doc, "status");
	if (doc == NULL) {
		/* Unknown now: find_existing() looks for the marker. */
		rc = ag_fail(c->ag, AG_TEMPFAIL, "%s: status/fetch no longer "
		    "knows publish %s", c->account, note(c, "publish_id"));
	} else if (st == NULL || strcmp(st, "FAILED") == 0) {
		why = ag_jstr(doc, "fail_reason");
		rc = ag_fail(c->ag, AG_DATAERR, "%s: TikTok failed publish "
		    "%s%s%s", c->account, note(c, "publish_id"),
		    why ? ": " : "", why ? why : "");
		forget(c);
	} else if (strcmp(st, "PUBLISH_COMPLETE") == 0 ||
	    strcmp(st, "SEND_TO_USER_INBOX") == 0) {
		take_post(c, buf_str(&raw));
		rc = AG_OK;
	} else {
		rc = AG_FALSE;
	}
out:
	cJSON_Delete(doc);
	buf_release(&raw);
	return rc;
}

static int
tt_publish(struct upload_ctx *c)
{
	enum where w = W_UPLOADING;
	long long count;
	int rc, rounds;

	for (rounds = 0; c->j->sent < c->bytes; rounds++) {
		if (rounds > 2)
			return ag_fail(c->ag, AG_TEMPFAIL, "%s: TikTok keeps "
			    "dropping the upload; try again later",
			    c->account);
		if ((note(c, "publish_id") == NULL || c->j->session == NULL ||
		    w == W_GONE) && (rc = prepare(c)) != AG_OK)
			return rc;
		if (c->j->sent >= c->bytes)
			break;
		count = (long long)ag_jnum(c->j->extra, "chunks", 1);
		if ((rc = send_chunks(c, count, &w)) != AG_OK)
			return rc;
		if (w == W_GONE)
			forget(c);
	}
	upload_journal_set(&c->j->media_id, note(c, "publish_id"));
	return upload_poll(c, inbox(c) ? "TikTok to deliver the video to "
	    "the inbox" : "TikTok to publish the post", finished, NULL);
}

/* Look through the creator's newest videos for the marker. */
static int
find_marker(struct upload_ctx *c)
{
	struct buf body = BUF_INIT, link = BUF_INIT;
	cJSON *doc = NULL;
	const cJSON *d, *v;
	const char *title, *id, *share;
	double cursor = 0;
	int rc = AG_FALSE, pages;

	ag_info(c->ag, "%s: looking for the post by its marker %s",
	    c->account, c->marker);
	for (pages = 0; pages < 5 && rc == AG_FALSE; pages++) {
		buf_reset(&body);
		if (pages == 0)
			buf_addstr(&body, "{\"max_count\":20}");
		else
			buf_addf(&body, "{\"max_count\":20,\"cursor\":%.0f}",
			    cursor);
		rc = call(c, "/v2/video/list/?fields=id,title,share_url,"
		    "create_time", "video/list", body.data, "{\"data\":"
		    "{\"videos\":[],\"has_more\":false},\"error\":{\"code\":"
		    "\"ok\"}}", 1, &doc);
		if (rc != AG_OK)
			break;
		rc = AG_FALSE;
		d = cJSON_GetObjectItem(doc, "data");
		cJSON_ArrayForEach(v, cJSON_GetObjectItem(d, "videos")) {
			title = ag_jstr(v, "title");
			id = ag_jstr(v, "id");
			if (rc != AG_FALSE || title == NULL || id == NULL ||
			    strstr(title, c->marker) == NULL)
				continue;
			share = ag_jstr(v, "share_url");
			buf_reset(&link);
			if (share != NULL)
				buf_addstr(&link, share);
			else
				buf_addf(&link, "https://www.tiktok.com/@%s/"
				    "video/%s", note(c, "username") ?
				    note(c, "username") : "", id);
			upload_journal_set(&c->remote_id, id);
			upload_journal_set(&c->url, link.data);
			rc = AG_OK;
		}
		cursor = ag_jnum(d, "cursor", 0);
		if (!cJSON_IsTrue(cJSON_GetObjectItem(d, "has_more")))
			pages = 5;
		cJSON_Delete(doc);
		doc = NULL;
	}
	cJSON_Delete(doc);
	buf_release(&body);
	buf_release(&link);
	return rc;
}

static int
tt_find(struct upload_ctx *c)
{
	enum where w;
	cJSON *doc = NULL;
	int64_t got;
	int rc;

	if (note(c, "publish_id") == NULL)
		return inbox(c) ? AG_FALSE : find_marker(c);
	if ((rc = fetch(c, &w, &got, &doc, NULL)) != AG_OK)
		return rc;
	cJSON_Delete(doc);
	if (w == W_UPLOADING) {
		/* The last chunk is not in: no post; publish() goes on. */
		c->j->sent = got;
		return AG_FALSE;
	}
	if (w == W_COMPLETE) {
		c->j->sent = c->bytes;
		rc = upload_poll(c, "TikTok to publish the post", finished,
		    NULL);
		return rc == AG_DATAERR ? AG_FALSE : rc;
	}
	/* FAILED or unknown: a FAILED one posted nothing; an unknown one
	 * may have, long ago. */
	if (!inbox(c) && (rc = find_marker(c)) != AG_FALSE)
		return rc;
	forget(c);
	return AG_FALSE;
}

static int
tt_status(struct upload_ctx *c, cJSON **out)
{
	enum where w;
	struct buf raw = BUF_INIT;
	cJSON *doc = NULL, *o;
	char *id;
	int64_t got;
	int rc;

	if (note(c, "publish_id") == NULL)
		return ag_fail(c->ag, AG_SOFTWARE, "%s: the journal has no "
		    "publish_id", c->account);
	if ((rc = fetch(c, &w, &got, &doc, &raw)) != AG_OK) {
		buf_release(&raw);
		return rc;
	}
	o = upload_status_doc(doc != NULL, NULL, NULL, NULL);
	if (doc != NULL) {
		cJSON_AddStringToObject(o, "status", ag_jstr(doc, "status") ?
		    ag_jstr(doc, "status") : "");
		if (ag_jstr(doc, "fail_reason") != NULL)
			cJSON_AddStringToObject(o, "fail_reason",
			    ag_jstr(doc, "fail_reason"));
		if ((id = raw_id(buf_str(&raw),
		    "publicaly_available_post_id")) != NULL) {
			cJSON_AddStringToObject(o, "post_id", id);
			free(id);
		}
	}
	cJSON_Delete(doc);
	buf_release(&raw);
	*out = o;
	return AG_OK;
}

const struct platform_ops platform_tiktok = {
	.name = "tiktok",
	.summary = "TikTok: Direct Post or inbox, chunked FILE_UPLOAD",
	.auth = PLATFORM_AUTH_OAUTH,
	.settings = settings,
	.limits = &limits,
	.oauth = &oauth,
	.upload = tt_upload,
	.publish = tt_publish,
	.find_existing = tt_find,
	.status = tt_status,
};
