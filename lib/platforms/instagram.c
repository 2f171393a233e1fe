/*
 * instagram.c - Instagram Reels through the Instagram Graph API with
 * Facebook Login (../shared/reference/platforms.md §3): a REELS
 * container made for a resumable upload, the bytes sent to rupload,
 * the container polled until it is FINISHED, then media_publish.
 *
 * The container id and its upload URI are journalled before the first
 * byte is sent, so a killed run asks rupload where the bytes stand and
 * sends the rest instead of starting over; a container that has gone
 * (or expired, or failed) is replaced by a new one, which is harmless:
 * a container is not a post.
 *
 * media_publish is the one step that makes the post, and it is not
 * idempotent.  Our marker ends the caption, so after a crash or an
 * answer that never came find_existing() looks for it in the captions
 * of the account's recent media.  A container whose status_code says
 * PUBLISHED is looked for the same way instead of being published
 * again.
 *
 * Auth: a long-lived access token (agency-upload auth reads it on
 * standard input: Meta has no refresh grant for Facebook Login tokens,
 * one re-exchanges them before the 60 days are out).  A token Meta
 * refuses (code 190) marks the account needs_reconnect, exit 77.
 */
#include <stdlib.h>
#include <string.h>

#include "agency.h"
#include "platforms/graph.h"
#include "platforms/platform.h"

#define CAPTION_MAX 2200		/* characters */
#define HASHTAGS_MAX 30

static const struct platform_setting settings[] = {
	GRAPH_SETTINGS,
	{ "ig_user_id", NULL, "the id of the Instagram professional account "
	    "(GET /me/accounts?fields=instagram_business_account)",
	    SETTING_REQUIRED },
	{ "max_duration", NULL, "longest video in seconds (default 900)", 0 },
	{ "rupload_url", "https://rupload.facebook.com", "the upload host, "
	    "when a container names none", 0 },
	{ "share_to_feed", "true", "show the Reel in the feed too", 0 },
	{ "thumb_offset", NULL, "the cover frame, in milliseconds from the "
	    "start", 0 },
	{ NULL, NULL, NULL, 0 }
};

static const struct media_limits limits = {
	.min_duration = 3,
	.max_duration = 15 * 60,
	.max_bytes = 300 * 1000 * 1000LL,
	.max_width = 1920,
	.min_fps = 23,
	.max_fps = 60,
	.containers = "mp4,mov",
	.vcodecs = "h264,hevc",
	.acodecs = "aac",
	.faststart = 1,
	.no_edit_lists = 1,
};

static const char *
ig_user(struct upload_ctx *c)
{
	const char *u = upload_setting(c, "ig_user_id");

	return u != NULL ? u : "me";
}

/* The caption: the description (else the title), the hashtags, and
 * our marker on the last line (new string). */
static char *
caption(struct upload_ctx *c)
{
	return graph_text(c, *c->description ? c->description : c->title);
}

static size_t
chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static int
ig_validate(struct upload_ctx *c)
{
	char *text;
	size_t n;
	int rc;

	if ((rc = platform_check_media(c, &limits)) != AG_OK)
		return rc;
	if (c->ntags > HASHTAGS_MAX)
		return ag_fail(c->ag, AG_DATAERR, "%s: %zu hashtags; Instagram "
		    "takes at most %d", c->account, c->ntags, HASHTAGS_MAX);
	text = caption(c);
	n = chars(text);
	free(text);
	if (n > CAPTION_MAX)
		return ag_fail(c->ag, AG_DATAERR, "%s: the caption has %zu "
		    "characters with the hashtags and the marker; Instagram "
		    "takes at most %d", c->account, n, CAPTION_MAX);
	return AG_OK;
}

/* Make a container for a resumable upload; journal it at once. */
static int
container(struct upload_ctx *c)
{
	struct buf url = BUF_INIT, form = BUF_INIT, dry = BUF_INIT;
	const char *id, *uri, *off = upload_setting(c, "thumb_offset");
	char *text = caption(c);
	cJSON *doc = NULL;
	int rc;

	graph_url(c, &url, "api_url", "%s/media", ig_user(c));
	ag_form_add(&form, "media_type", "REELS");
	ag_form_add(&form, "upload_type", "resumable");
	ag_form_add(&form, "caption", text);
	ag_form_add(&form, "share_to_feed", upload_setting_bool(c,
	    "share_to_feed", 1) ? "true" : "false");
	if (off != NULL && *off != '\0')
		ag_form_add(&form, "thumb_offset", off);
	buf_addf(&dry, "{\"id\":\"DRY-RUN\",\"uri\":\"%s/ig-api-upload/%s/"
	    "DRY-RUN\"}", upload_setting(c, "rupload_url"),
	    upload_setting(c, "graph_version"));
	/* An orphan container is harmless: the client may resend. */
	if ((rc = graph_call(c, "POST", url.data, form.data, 1,
	    "media (container)", dry.data, &doc)) != AG_OK)
		goto out;
	id = ag_jstr(doc, "id");
	uri = ag_jstr(doc, "uri");
	if (id == NULL || *id == '\0') {
		rc = ag_fail(c->ag, AG_SOFTWARE, "%s: media: no container id "
		    "in the answer", c->account);
		goto out;
	}
	cJSON_DeleteItemFromObject(c->j->extra, "container");
	cJSON_AddStringToObject(c->j->extra, "container", id);
	if (uri == NULL) {
		buf_reset(&dry);
		buf_addf(&dry, "%s/ig-api-upload/%s/%s", upload_setting(c,
		    "rupload_url"), upload_setting(c, "graph_version"), id);
		uri = dry.data;
	}
	upload_journal_set(&c->j->session, uri);
	c->j->sent = 0;
	rc = upload_save(c);
	upload_crash(c, "instagram-container");
out:
	cJSON_Delete(doc);
	free(text);
	buf_release(&url);
	buf_release(&form);
	buf_release(&dry);
	return rc;
}

static int
ig_upload(struct upload_ctx *c)
{
	cJSON *doc = NULL;
	int rc, restarts = 0;

	for (;;) {
		if (c->j->session == NULL || ag_jstr(c->j->extra,
		    "container") == NULL) {
			if (++restarts > 3)
				return ag_fail(c->ag, AG_TEMPFAIL, "%s: upload "
				    "sessions keep vanishing; try again later",
				    c->account);
			if ((rc = container(c)) != AG_OK)
				return rc;
		}
		rc = graph_upload_file(c, c->j->session, "offset", NULL,
		    "rupload", &doc);
		cJSON_Delete(doc);
		doc = NULL;
		if (rc != AG_FALSE)
			break;
		ag_info(c->ag, "%s: the upload session is gone; making a new "
		    "container", c->account);
		upload_journal_set(&c->j->session, NULL);
	}
	if (rc == AG_OK)
		upload_journal_set(&c->j->media_id, ag_jstr(c->j->extra,
		    "container"));
	return rc;
}

/* The container is no good any more: the next run uploads anew. */
static int
forget(struct upload_ctx *c, const char *st, const char *why)
{
	char *id = xstrdup(c->j->media_id);
	int rc;

	upload_journal_set(&c->j->media_id, NULL);
	upload_journal_set(&c->j->session, NULL);
	cJSON_DeleteItemFromObject(c->j->extra, "container");
	c->j->sent = 0;
	rc = ag_fail(c->ag, AG_DATAERR, "%s: Instagram says container %s is "
	    "%s%s%s; the next run uploads the video again", c->account, id,
	    st, why && *why ? ": " : "", why ? why : "");
	free(id);
	return rc;
}

/*
 * Is the container ready?  AG_OK: FINISHED (or PUBLISHED: *arg set);
 * AG_FALSE: IN_PROGRESS; AG_DATAERR when it failed or expired.
 */
static int
ready(struct upload_ctx *c, void *arg)
{
	struct buf url = BUF_INIT;
	cJSON *doc = NULL;
	const char *st, *why;
	int rc;

	graph_url(c, &url, "api_url", "%s?fields=status_code,status",
	    c->j->media_id);
	rc = graph_call(c, "GET", url.data, NULL, 1, "container status",
	    "{\"status_code\":\"FINISHED\"}", &doc);
	buf_release(&url);
	if (rc != AG_OK)
		return rc;
	st = ag_jstr(doc, "status_code");
	why = ag_jstr(doc, "status");
	if (st == NULL || strcmp(st, "FINISHED") == 0)
		rc = AG_OK;
	else if (strcmp(st, "PUBLISHED") == 0) {
		*(int *)arg = 1;
		rc = AG_OK;
	}
	else if (strcmp(st, "IN_PROGRESS") == 0)
		rc = AG_FALSE;
	else
		rc = forget(c, st, why);
	cJSON_Delete(doc);
	return rc;
}

static int ig_find(struct upload_ctx *c);

/* The permalink of a published media, best effort (it may lag). */
static void
permalink(struct upload_ctx *c)
{
	struct buf url = BUF_INIT;
	cJSON *doc = NULL;

	graph_url(c, &url, "api_url", "%s?fields=permalink", c->remote_id);
	if (graph_call(c, "GET", url.data, NULL, 1, "permalink",
	    "{\"permalink\":\"https://www.instagram.com/reel/DRY-RUN/\"}",
	    &doc) == AG_OK && ag_jstr(doc, "permalink") != NULL)
		upload_journal_set(&c->url, ag_jstr(doc, "permalink"));
	else
		ag_warn(c->ag, "%s: published as %s, but its permalink could "
		    "not be read: %s", c->account, c->remote_id, c->ag->err);
	cJSON_Delete(doc);
	buf_release(&url);
}

static int
ig_publish(struct upload_ctx *c)
{
	struct http_request req;
	struct http_response resp;
	struct graph_error e;
	struct buf url = BUF_INIT, form = BUF_INIT;
	const char *h[2] = { "Content-Type: application/x-www-form-urlencoded",
	    NULL };
	struct upload_dry dry = { 200, NULL, "{\"id\":\"DRY-RUN\"}" };
	cJSON *doc = NULL;
	int rc, done = 0, again, tries = 0, waits = 0;

	if ((rc = upload_poll(c, "Instagram to process the video", ready,
	    &done)) != AG_OK)
		return rc;
	if (done) {
		/* Published by a run we do not remember: find it. */
		if ((rc = ig_find(c)) == AG_FALSE)
			rc = ag_fail(c->ag, AG_TEMPFAIL, "%s: container %s is "
			    "published but no recent media has our caption "
			    "marker %s", c->account, c->j->media_id,
			    c->marker);
		return rc;
	}
	graph_url(c, &url, "api_url", "%s/media_publish", ig_user(c));
	ag_form_add(&form, "creation_id", c->j->media_id);
	for (;;) {
		http_request_init(&req, url.data);
		req.method = "POST";
		req.headers = h;
		req.body = form.data;
		req.body_len = form.len;
		rc = upload_send(c, &req, UP_AUTH, &dry, &resp);
		if (rc == AG_OK && resp.status == 200) {
			doc = cJSON_ParseWithLength(buf_str(&resp.body),
			    resp.body.len);
			break;
		}
		if (rc != AG_OK)
			break;
		graph_error_parse(&resp, &e);
		if ((e.code == 9007 || e.subcode == 2207027) && waits++ < 20) {
			/* Not ready after all: nothing was made; wait. */
			http_response_release(&resp);
			ag_sleep_ms((int64_t)(1000 * config_number(c->ag,
			    "upload.poll_interval")));
			continue;
		}
		if (e.subcode == 2207042) {
			c->later = 1;
			rc = ag_fail(c->ag, AG_TEMPFAIL, "%s: media_publish: "
			    "the account's 24-hour publishing limit is reached "
			    "(%s); try again later", c->account, e.message);
			break;
		}
		rc = graph_trouble(c, "media_publish", &resp, tries++, &again);
		http_response_release(&resp);
		if (rc != AG_OK || !again)
			goto out;
	}
	http_response_release(&resp);
	if (rc != AG_OK)
		goto out;
	if (ag_jstr(doc, "id") == NULL) {
		rc = ag_fail(c->ag, AG_TEMPFAIL, "%s: media_publish: no media "
		    "id in the answer", c->account);
		goto out;
	}
	upload_journal_set(&c->remote_id, ag_jstr(doc, "id"));
	permalink(c);
	cJSON_AddStringToObject(c->post, "container", c->j->media_id);
out:
	cJSON_Delete(doc);
	buf_release(&url);
	buf_release(&form);
	return rc;
}

/* Our marker in the caption of one of the account's recent media. */
static int
ig_find(struct upload_ctx *c)
{
	struct buf url = BUF_INIT;
	cJSON *it = NULL;
	int rc;

	graph_url(c, &url, "api_url", "%s/media?fields=id,caption,permalink,"
	    "timestamp&limit=50", ig_user(c));
	rc = graph_find(c, url.data, "caption", 4, &it);
	if (rc == AG_OK) {
		upload_journal_set(&c->remote_id, ag_jstr(it, "id"));
		upload_journal_set(&c->url, ag_jstr(it, "permalink"));
	}
	cJSON_Delete(it);
	buf_release(&url);
	return rc;
}

static int
ig_status(struct upload_ctx *c, cJSON **out)
{
	return graph_status(c, "id,permalink,timestamp,media_type,"
	    "media_product_type", "media", out);
}

const struct platform_ops platform_instagram = {
	.name = "instagram",
	.summary = "Instagram Reels: a resumable container, media_publish",
	.auth = PLATFORM_AUTH_TOKEN,
	.settings = settings,
	.limits = &limits,
	.validate = ig_validate,
	.upload = ig_upload,
	.publish = ig_publish,
	.find_existing = ig_find,
	.status = ig_status,
};
