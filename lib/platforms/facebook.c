/*
 * facebook.c - a Facebook Page's videos and Reels through the Graph API
 * (../shared/reference/platforms.md §4).  The setting mode chooses:
 *
 *   video	the documented current flow: an upload session of the
 *		Resumable Upload API (POST /APP_ID/uploads -> "upload:ID"),
 *		the bytes sent to it from file_offset (GET upload:ID says
 *		where it stands), then POST /PAGE_ID/videos on graph-video
 *		with the file handle, the title and the description
 *   reel	POST /PAGE_ID/video_reels upload_phase=start (a video id and
 *		an rupload URL), the bytes sent to rupload from offset (GET
 *		/VIDEO_ID?fields=status says how many arrived), then
 *		upload_phase=finish with video_state=PUBLISHED
 *
 * The session (and the reel's video id) is journalled before the first
 * byte is sent, so a killed run resumes.  The last call, which makes
 * the post, is not idempotent: our marker ends the description, and
 * after a crash or an answer that never came find_existing() looks for
 * it among the Page's recent videos (or Reels).  With wait_processing
 * the post is reported once Facebook has processed it (video_status
 * ready); one it could not process fails.
 *
 * Auth: a Page access token (agency-upload auth reads it on standard
 * input).  Derived from a long-lived user token it does not expire; a
 * token Meta refuses (code 190) marks the account needs_reconnect.
 */
#include <stdlib.h>
#include <string.h>

#include "agency.h"
#include "platforms/graph.h"
#include "platforms/platform.h"

static const struct platform_setting settings[] = {
	GRAPH_SETTINGS,
	{ "app_id", NULL, "the Meta app's id, for upload sessions (mode "
	    "video)", 0 },
	{ "max_duration", NULL, "longest video in seconds", 0 },
	{ "mode", "video", "video (a Page video) or reel (a Page Reel)", 0 },
	{ "page_id", NULL, "the id of the Facebook Page", SETTING_REQUIRED },
	{ "video_url", "https://graph-video.facebook.com", "the host that "
	    "takes POST /PAGE_ID/videos", 0 },
	{ "wait_processing", "true", "report the post once Facebook has "
	    "processed the video (one it cannot process fails)", 0 },
	{ NULL, NULL, NULL, 0 }
};

static const struct media_limits video_limits = {
	.max_duration = 4 * 3600,
	.max_bytes = 10LL * 1000 * 1000 * 1000,
	.containers = "mp4,mov",
	.vcodecs = "h264,hevc,vp9,av1",
	.faststart = 1,
	.no_edit_lists = 1,
};

static const struct media_limits reel_limits = {
	.min_duration = 3,
	.max_duration = 90,
	.max_bytes = 1000LL * 1000 * 1000,
	.min_width = 540,
	.min_height = 960,
	.min_fps = 24,
	.max_fps = 60,
	.containers = "mp4",
	.vcodecs = "h264,hevc,vp9,av1",
	.acodecs = "aac",
	.faststart = 1,
	.no_edit_lists = 1,
};

static int
reel(struct upload_ctx *c)
{
	const char *m = upload_setting(c, "mode");

	return m != NULL && strcmp(m, "reel") == 0;
}

static const char *
page(struct upload_ctx *c)
{
	const char *p = upload_setting(c, "page_id");

	return p != NULL ? p : "me";
}

/* The description, the hashtags, our marker last (new string). */
static char *
description(struct upload_ctx *c)
{
	return graph_text(c, c->description);
}

static int
fb_validate(struct upload_ctx *c)
{
	const char *m = upload_setting(c, "mode");

	if (m == NULL || (strcmp(m, "video") != 0 && strcmp(m, "reel") != 0))
		return ag_fail(c->ag, AG_CONFIG, "%s: mode '%s': expected "
		    "video or reel", c->account, m ? m : "");
	if (!reel(c) && upload_setting(c, "app_id") == NULL)
		return ag_fail(c->ag, AG_CONFIG, "%s: Page videos need the "
		    "app's id: agency-upload accounts add %s --set app_id=ID",
		    c->account, c->account);
	return platform_check_media(c, reel(c) ? &reel_limits :
	    &video_limits);
}

/* Start an upload session (video) or a reel; journal it at once. */
static int
start(struct upload_ctx *c)
{
	struct buf url = BUF_INIT, form = BUF_INIT, len = BUF_INIT;
	struct buf dry = BUF_INIT, sess = BUF_INIT;
	const char *slash = strrchr(c->video, '/'), *id, *up;
	cJSON *doc = NULL;
	int rc;

	if (reel(c)) {
		graph_url(c, &url, "api_url", "%s/video_reels", page(c));
		ag_form_add(&form, "upload_phase", "start");
		buf_addf(&dry, "{\"video_id\":\"DRY-RUN\",\"upload_url\":"
		    "\"https://rupload.facebook.com/video-upload/%s/DRY-RUN\"}",
		    upload_setting(c, "graph_version"));
	} else {
		graph_url(c, &url, "api_url", "%s/uploads", upload_setting(c,
		    "app_id"));
		buf_addf(&len, "%lld", (long long)c->bytes);
		ag_form_add(&form, "file_name", slash ? slash + 1 : c->video);
		ag_form_add(&form, "file_length", len.data);
		ag_form_add(&form, "file_type", "video/mp4");
		buf_addstr(&dry, "{\"id\":\"upload:DRY-RUN\"}");
	}
	/* A session nobody uses expires: the client may resend. */
	if ((rc = graph_call(c, "POST", url.data, form.data, 1, reel(c) ?
	    "video_reels (start)" : "uploads", dry.data, &doc)) != AG_OK)
		goto out;
	id = ag_jstr(doc, reel(c) ? "video_id" : "id");
	up = ag_jstr(doc, "upload_url");
	if (id == NULL || *id == '\0' || (reel(c) && up == NULL)) {
		rc = ag_fail(c->ag, AG_SOFTWARE, "%s: %s: no session in the "
		    "answer", c->account, reel(c) ? "video_reels" : "uploads");
		goto out;
	}
	cJSON_DeleteItemFromObject(c->j->extra, "video_id");
	if (reel(c)) {
		cJSON_AddStringToObject(c->j->extra, "video_id", id);
		buf_addstr(&sess, up);
	} else {
		graph_url(c, &sess, "api_url", "%s", id);
	}
	upload_journal_set(&c->j->session, sess.data);
	c->j->sent = 0;
	rc = upload_save(c);
	upload_crash(c, "facebook-session");
out:
	cJSON_Delete(doc);
	buf_release(&url);
	buf_release(&form);
	buf_release(&len);
	buf_release(&dry);
	buf_release(&sess);
	return rc;
}

static int
fb_upload(struct upload_ctx *c)
{
	struct buf q = BUF_INIT;
	cJSON *doc = NULL;
	const char *h;
	int rc, restarts = 0;

	for (;;) {
		if (c->j->session == NULL || (reel(c) && ag_jstr(c->j->extra,
		    "video_id") == NULL)) {
			if (++restarts > 3) {
				rc = ag_fail(c->ag, AG_TEMPFAIL, "%s: upload "
				    "sessions keep vanishing; try again later",
				    c->account);
				break;
			}
			if ((rc = start(c)) != AG_OK)
				break;
		}
		if (reel(c))
			graph_url(c, &q, "api_url", "%s?fields=status",
			    ag_jstr(c->j->extra, "video_id"));
		rc = graph_upload_file(c, c->j->session, reel(c) ? "offset" :
		    "file_offset", reel(c) ? q.data : NULL, reel(c) ?
		    "rupload" : "upload", &doc);
		if (rc != AG_FALSE)
			break;
		ag_info(c->ag, "%s: the upload session is gone; starting "
		    "another", c->account);
		upload_journal_set(&c->j->session, NULL);
	}
	if (rc == AG_OK && reel(c)) {
		upload_journal_set(&c->j->media_id, ag_jstr(c->j->extra,
		    "video_id"));
	} else if (rc == AG_OK) {
		/* The file handle is what /videos takes. */
		if ((h = ag_jstr(doc, "h")) == NULL)
			rc = ag_fail(c->ag, AG_TEMPFAIL, "%s: upload: the "
			    "session gave no file handle", c->account);
		else
			upload_journal_set(&c->j->media_id, h);
	}
	cJSON_Delete(doc);
	buf_release(&q);
	return rc;
}

/* A permalink_url as a whole URL ("/PAGE/videos/ID/" is relative). */
static void
take_link(struct upload_ctx *c, const char *link)
{
	struct buf b = BUF_INIT;

	if (link == NULL || *link == '\0') {
		if (reel(c))
			buf_addf(&b, "https://www.facebook.com/reel/%s",
			    c->remote_id);
		else
			buf_addf(&b, "https://www.facebook.com/%s/videos/%s/",
			    page(c), c->remote_id);
	} else {
		buf_addf(&b, "%s%s", link[0] == '/' ?
		    "https://www.facebook.com" : "", link);
	}
	upload_journal_set(&c->url, b.data);
	buf_release(&b);
}

/*
 * Where the published video stands: AG_OK when processed (c->url from
 * its permalink_url), AG_FALSE while Facebook works on it, AG_DATAERR
 * when it could not process it.  arg: not NULL to look once.
 */
static int
processed(struct upload_ctx *c, void *arg)
{
	struct buf url = BUF_INIT;
	const cJSON *st;
	const char *vs, *ps;
	cJSON *doc = NULL;
	int rc;

	graph_url(c, &url, "api_url", "%s?fields=status,permalink_url",
	    c->remote_id);
	rc = graph_call(c, "GET", url.data, NULL, 1, "video status",
	    "{\"status\":{\"video_status\":\"ready\"}}", &doc);
	buf_release(&url);
	if (rc != AG_OK)
		return rc;
	take_link(c, ag_jstr(doc, "permalink_url"));
	st = cJSON_GetObjectItem(doc, "status");
	vs = ag_jstr(st, "video_status");
	ps = ag_jstr(cJSON_GetObjectItem(st, "processing_phase"), "status");
	if (arg != NULL || vs == NULL || strcmp(vs, "ready") == 0 ||
	    strcmp(vs, "published") == 0)
		rc = AG_OK;
	else if (strcmp(vs, "error") == 0 || (ps && strcmp(ps, "error") == 0))
		rc = ag_fail(c->ag, AG_DATAERR, "%s: Facebook could not "
		    "process video %s%s%s", c->account, c->remote_id,
		    ag_jstr(cJSON_GetObjectItem(st, "processing_phase"),
		    "error") ? ": " : "", ag_jstr(cJSON_GetObjectItem(st,
		    "processing_phase"), "error") ? ag_jstr(cJSON_GetObjectItem(
		    st, "processing_phase"), "error") : "");
	else
		rc = AG_FALSE;
	cJSON_Delete(doc);
	return rc;
}

static int
fb_publish(struct upload_ctx *c)
{
	struct buf url = BUF_INIT, form = BUF_INIT;
	const char *id;
	char *text = description(c);
	cJSON *doc = NULL;
	int rc, once = 1;

	if (reel(c)) {
		graph_url(c, &url, "api_url", "%s/video_reels", page(c));
		ag_form_add(&form, "upload_phase", "finish");
		ag_form_add(&form, "video_id", c->j->media_id);
		ag_form_add(&form, "video_state", "PUBLISHED");
		ag_form_add(&form, "description", text);
		ag_form_add(&form, "title", c->title);
	} else {
		graph_url(c, &url, "video_url", "%s/videos", page(c));
		ag_form_add(&form, "title", c->title);
		ag_form_add(&form, "description", text);
		ag_form_add(&form, "fbuploader_video_file_chunk",
		    c->j->media_id);
		ag_form_add(&form, "published", "true");
	}
	/* Not idempotent: an unknown outcome is find_existing()'s. */
	if ((rc = graph_call(c, "POST", url.data, form.data, 0, reel(c) ?
	    "video_reels (finish)" : "videos", reel(c) ? "{\"success\":true}" :
	    "{\"id\":\"DRY-RUN\"}", &doc)) != AG_OK)
		goto out;
	id = reel(c) ? c->j->media_id : ag_jstr(doc, "id");
	if (id == NULL || (reel(c) && !cJSON_IsTrue(cJSON_GetObjectItem(doc,
	    "success")))) {
		rc = ag_fail(c->ag, AG_TEMPFAIL, "%s: %s: the answer does not "
		    "say the post was made", c->account, reel(c) ?
		    "video_reels" : "videos");
		goto out;
	}
	upload_journal_set(&c->remote_id, id);
	upload_crash(c, "facebook-published");
	if (upload_setting_bool(c, "wait_processing", 1))
		rc = upload_poll(c, "Facebook to process the video", processed,
		    NULL);
	else if (processed(c, &once) != AG_OK) {
		ag_clear_error(c->ag);
		take_link(c, NULL);
	}
	cJSON_AddStringToObject(c->post, "mode", reel(c) ? "reel" : "video");
	cJSON_AddStringToObject(c->post, "page_id", page(c));
out:
	cJSON_Delete(doc);
	free(text);
	buf_release(&url);
	buf_release(&form);
	return rc;
}

/* Our marker in the description of one of the Page's recent posts. */
static int
fb_find(struct upload_ctx *c)
{
	struct buf url = BUF_INIT;
	cJSON *it = NULL;
	int rc;

	graph_url(c, &url, "api_url", "%s/%s?fields=id,description,"
	    "permalink_url,created_time&limit=50", page(c), reel(c) ?
	    "video_reels" : "videos");
	rc = graph_find(c, url.data, "description", 4, &it);
	if (rc == AG_OK) {
		upload_journal_set(&c->remote_id, ag_jstr(it, "id"));
		take_link(c, ag_jstr(it, "permalink_url"));
	}
	cJSON_Delete(it);
	buf_release(&url);
	return rc;
}

static int
fb_status(struct upload_ctx *c, cJSON **out)
{
	return graph_status(c, "id,status,permalink_url,created_time",
	    "video", out);
}

const struct platform_ops platform_facebook = {
	.name = "facebook",
	.summary = "Facebook Pages: videos (resumable upload) or Reels",
	.auth = PLATFORM_AUTH_TOKEN,
	.settings = settings,
	.limits = &video_limits,
	.validate = fb_validate,
	.upload = fb_upload,
	.publish = fb_publish,
	.find_existing = fb_find,
	.status = fb_status,
};
