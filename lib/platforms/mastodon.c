/*
 * mastodon.c - Mastodon: POST /api/v2/media, then POST /api/v1/statuses
 * with an Idempotency-Key (../shared/reference/platforms.md §7).
 *
 * An account is an instance URL (the required setting "instance") and
 * an access token (agency-upload auth reads it on stdin; Mastodon
 * tokens do not expire and there is no refresh: a 401 means the token
 * was revoked and the account needs reconnecting).
 *
 * The video goes up whole in one multipart/form-data request, streamed
 * from disk.  200 means the instance processed it at once; 202 means it
 * is processing: the media id is journalled (as the session) before we
 * wait, polling GET /api/v1/media/:id until its url is set (206 while
 * processing, 422 when processing failed), so that a killed run polls
 * the same media instead of uploading it again.  Sending the media
 * twice is harmless (an unattached upload is cleaned away), so the
 * upload request may be retried by the HTTP client after a cut.
 *
 * The status carries the media id and the marker as its
 * Idempotency-Key: Mastodon keeps the key for an hour and answers a
 * status sent again with the same key with the status it made the
 * first time, so publish() may simply be sent again (PF_IDEMPOTENT).
 * Past that hour the key is forgotten; so when the first publish
 * attempt is older than that, publish() first looks through the
 * account's own statuses for one carrying our media id (find-existing)
 * and only sends when there is none.
 *
 * Rate limits are 429 with X-RateLimit-Reset, an ISO 8601 instant,
 * which lib/net reads: short waits are waited out, long ones exit 75.
 */
#include <stdlib.h>
#include <string.h>

#include "agency.h"
#include "platforms/platform.h"

static const struct platform_setting settings[] = {
	{ "instance", NULL, "the instance's base URL (https://mastodon.social)",
	    SETTING_REQUIRED },
	{ "key_window", "3000", "seconds after the first attempt that a "
	    "publish trusts the Idempotency-Key alone (Mastodon keeps it an "
	    "hour); later ones look for the status first", 0 },
	{ "language", NULL, "the status's ISO 639-1 language (en)", 0 },
	{ "max_characters", "500", "the instance's status length limit", 0 },
	{ "sensitive", "false", "mark the media sensitive", 0 },
	{ "visibility", "public", "public, unlisted, private or direct", 0 },
	{ NULL, NULL, NULL, 0 }
};

/* Stock Mastodon 4.x: 99 MB, 120 fps, 8 294 400 pixels (3840x2160). */
static const struct media_limits limits = {
	.max_bytes = 103809024LL,
	.max_width = 3840,
	.max_height = 3840,
	.max_fps = 120,
	.containers = "mp4,mov,webm",
	.vcodecs = "h264,hevc,vp9,av1",
	.rendition = "1080x1920",
};

static const char *
instance(struct upload_ctx *c)
{
	return upload_setting(c, "instance");
}

static const char *
visibility(struct upload_ctx *c)
{
	const char *p = c->privacy;

	/* agency-upload's --privacy words, in Mastodon's. */
	if (p == NULL)
		return upload_setting(c, "visibility");
	return strcmp(p, "private") == 0 ? "private" : strcmp(p, "unlisted") ==
	    0 ? "unlisted" : "public";
}

/* The length of s in code points. */
static size_t
chars(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

/* Append tag as a hashtag: Mastodon's tags are letters, digits and _. */
static void
add_tag(struct buf *b, const char *tag)
{
	const unsigned char *p;

	buf_addch(b, '#');
	for (p = (const unsigned char *)tag; *p != '\0'; p++)
		if (*p >= 0x80 || *p == '_' || (*p >= '0' && *p <= '9') ||
		    (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
			buf_addch(b, (char)*p);
}

/*
 * The status text (new string): title, description and hashtags, the
 * prose cut (with an ellipsis) so that the whole fits max_characters.
 */
static char *
status_text(struct upload_ctx *c)
{
	struct buf prose = BUF_INIT, tags = BUF_INIT, out = BUF_INIT;
	long long max = upload_setting_int(c, "max_characters", 500);
	size_t i, room, n;

	buf_addstr(&prose, c->title);
	if (*c->description != '\0' && strcmp(c->description, c->title) != 0)
		buf_addf(&prose, "%s%s", prose.len ? "\n\n" : "",
		    c->description);
	for (i = 0; i < c->ntags; i++) {
		if (i > 0)
			buf_addch(&tags, ' ');
		add_tag(&tags, c->tags[i]);
	}
	buf_addstr(&prose, "");
	buf_addstr(&tags, "");
	n = chars(tags.data, tags.len) + (tags.len && prose.len ? 2 : 0);
	room = max > (long long)n ? (size_t)max - n : 0;
	if (chars(prose.data, prose.len) > room) {
		/* Keep room - 1 characters and an ellipsis. */
		for (i = 0, n = 0; i < prose.len; i++)
			if (((unsigned char)prose.data[i] & 0xc0) != 0x80 &&
			    ++n > (room ? room - 1 : 0))
				break;
		buf_add(&out, prose.data, i);
		if (room > 0)
			buf_addstr(&out, "\xe2\x80\xa6");
	} else {
		buf_addstr(&out, prose.data);
	}
	if (tags.len)
		buf_addf(&out, "%s%s", out.len ? "\n\n" : "", tags.data);
	buf_addstr(&out, "");
	buf_release(&prose);
	buf_release(&tags);
	return buf_detach(&out);
}

/* The JSON answer of resp (new), or NULL with the error recorded. */
static cJSON *
answer(struct upload_ctx *c, const char *step,
    const struct http_response *resp)
{
	cJSON *doc = cJSON_ParseWithLength(buf_str(&resp->body),
	    resp->body.len);

	if (!cJSON_IsObject(doc) && !cJSON_IsArray(doc)) {
		cJSON_Delete(doc);
		ag_fail(c->ag, AG_TEMPFAIL, "%s: %s: the answer (HTTP %ld) is "
		    "not JSON", c->account, step, resp->status);
		return NULL;
	}
	return doc;
}

/* POST the video; on AG_OK *id is the media id (new), *ready whether
 * the instance processed it already. */
static int
send_media(struct upload_ctx *c, char **id, int *ready)
{
	struct http_request req;
	struct http_response resp;
	struct http_part parts[3];
	struct buf pre = BUF_INIT, post = BUF_INIT, ct = BUF_INIT;
	struct buf url = BUF_INIT;
	struct upload_dry dry = { 202, NULL, "{\"id\":\"DRY-RUN\","
	    "\"type\":\"video\",\"url\":null}" };
	const char *hv[2];
	cJSON *doc = NULL;
	int rc;

	buf_addf(&pre, "--%s\r\nContent-Disposition: form-data; "
	    "name=\"description\"\r\n\r\n%s\r\n--%s\r\nContent-Disposition: "
	    "form-data; name=\"file\"; filename=\"%s\"\r\nContent-Type: "
	    "video/mp4\r\n\r\n", c->marker, c->title, c->marker,
	    upload_base_name(c->video));
	buf_addf(&post, "\r\n--%s--\r\n", c->marker);
	buf_addf(&ct, "Content-Type: multipart/form-data; boundary=%s",
	    c->marker);
	memset(parts, 0, sizeof(parts));
	parts[0].data = pre.data;
	parts[0].len = pre.len;
	parts[1].file = c->video;
	parts[1].length = -1;
	parts[2].data = post.data;
	parts[2].len = post.len;
	buf_addf(&url, "%s/api/v2/media", instance(c));
	hv[0] = ct.data;
	hv[1] = NULL;
	http_request_init(&req, url.data);
	req.method = "POST";
	req.headers = hv;
	req.parts = parts;
	req.nparts = 3;
	req.idempotent = 1;		/* a second copy is only an orphan */
	rc = upload_send(c, &req, UP_AUTH, &dry, &resp);
	if (rc != AG_OK)
		goto out;
	if (resp.status != 200 && resp.status != 202) {
		rc = upload_http_error(c, "media", &resp, NULL);
		goto out;
	}
	if ((doc = answer(c, "media", &resp)) == NULL) {
		rc = AG_TEMPFAIL;
		goto out;
	}
	if (ag_jstr(doc, "id") == NULL) {
		rc = ag_fail(c->ag, AG_SOFTWARE, "%s: media: no id in the "
		    "answer", c->account);
		goto out;
	}
	*id = xstrdup(ag_jstr(doc, "id"));
	*ready = resp.status == 200 && ag_jstr(doc, "url") != NULL;
out:
	cJSON_Delete(doc);
	http_response_release(&resp);
	buf_release(&pre);
	buf_release(&post);
	buf_release(&ct);
	buf_release(&url);
	return rc;
}

/*
 * Is the media c->j->session processed?  AG_OK: yes; AG_FALSE: not
 * yet; AG_NOINPUT: the instance does not know it (gone); AG_DATAERR:
 * processing failed.
 */
static int
processed(struct upload_ctx *c, void *arg)
{
	struct http_request req;
	struct http_response resp;
	struct buf url = BUF_INIT;
	struct upload_dry dry = { 200, NULL, "{\"id\":\"DRY-RUN\","
	    "\"url\":\"https://example.invalid/DRY-RUN.mp4\"}" };
	cJSON *doc = NULL;
	int rc;

	(void)arg;
	buf_addf(&url, "%s/api/v1/media/%s", instance(c), c->j->session);
	http_request_init(&req, url.data);
	rc = upload_send(c, &req, UP_AUTH, &dry, &resp);
	if (rc != AG_OK)
		goto out;
	if (resp.status == 206) {
		rc = AG_FALSE;
	} else if (resp.status == 404) {
		rc = AG_NOINPUT;
	} else if (resp.status == 422) {
		rc = upload_http_error(c, "media processing", &resp, NULL);
	} else if (resp.status != 200) {
		rc = upload_http_error(c, "media", &resp, NULL);
	} else if ((doc = answer(c, "media", &resp)) == NULL) {
		rc = AG_TEMPFAIL;
	} else {
		/* Before 4.0 a 200 with a null url meant "not yet". */
		rc = ag_jstr(doc, "url") != NULL ? AG_OK : AG_FALSE;
	}
out:
	cJSON_Delete(doc);
	http_response_release(&resp);
	buf_release(&url);
	return rc;
}

static int
md_upload(struct upload_ctx *c)
{
	char *id = NULL;
	int rc, ready = 0, tries;

	for (tries = 0; tries < 2; tries++) {
		if (c->j->session == NULL) {
			if ((rc = send_media(c, &id, &ready)) != AG_OK)
				return rc;
			upload_journal_set(&c->j->session, id);
			free(id);
			id = NULL;
			if ((rc = upload_sent(c, c->bytes)) != AG_OK)
				return rc;
			upload_crash(c, "mastodon-media");
			if (ready)
				break;
		} else {
			ag_info(c->ag, "%s: media %s was sent already; waiting "
			    "for it", c->account, c->j->session);
		}
		rc = upload_poll(c, "the instance to process the video",
		    processed, NULL);
		if (rc == AG_OK)
			break;
		if (rc == AG_DATAERR) {
			/* Processing failed: the next run sends it anew. */
			upload_journal_set(&c->j->session, NULL);
			c->j->sent = 0;
		}
		if (rc != AG_NOINPUT)
			return rc;
		/* Gone (cleaned away, or the instance forgot it): again. */
		ag_info(c->ag, "%s: media %s is gone; sending it again",
		    c->account, c->j->session);
		upload_journal_set(&c->j->session, NULL);
		c->j->sent = 0;
		if ((rc = upload_save(c)) != AG_OK)
			return rc;
	}
	if (c->j->session == NULL)
		return ag_fail(c->ag, AG_TEMPFAIL, "%s: the instance keeps "
		    "losing the media; try again later", c->account);
	upload_journal_set(&c->j->media_id, c->j->session);
	return AG_OK;
}

/* Take a Status: its id and URL (the url, else the uri). */
static int
take_status(struct upload_ctx *c, const cJSON *st)
{
	const char *id = ag_jstr(st, "id");
	const char *url = ag_jstr(st, "url") ? ag_jstr(st, "url") :
	    ag_jstr(st, "uri");

	if (id == NULL)
		return ag_fail(c->ag, AG_SOFTWARE, "%s: statuses: no id in the "
		    "answer", c->account);
	upload_journal_set(&c->remote_id, id);
	upload_journal_set(&c->url, url);
	if (ag_jstr(st, "visibility") != NULL)
		cJSON_AddStringToObject(c->post, "visibility",
		    ag_jstr(st, "visibility"));
	return AG_OK;
}

/* GET an API path (relative to the instance) as JSON; *out new. */
static int
get_json(struct upload_ctx *c, const char *path, const char *step,
    const char *dry_body, cJSON **out)
{
	struct http_request req;
	struct http_response resp;
	struct upload_dry dry = { 200, NULL, dry_body };
	struct buf url = BUF_INIT;
	int rc;

	buf_addf(&url, "%s%s", instance(c), path);
	http_request_init(&req, url.data);
	rc = upload_send(c, &req, UP_AUTH, &dry, &resp);
	if (rc == AG_OK && resp.status != 200)
		rc = upload_http_error(c, step, &resp, NULL);
	else if (rc == AG_OK && (*out = answer(c, step, &resp)) == NULL)
		rc = AG_TEMPFAIL;
	http_response_release(&resp);
	buf_release(&url);
	return rc;
}

/* Does a status carry our media? */
static int
has_media(const cJSON *st, const char *media)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, cJSON_GetObjectItem(st, "media_attachments"))
		if (ag_jstr(m, "id") && strcmp(ag_jstr(m, "id"), media) == 0)
			return 1;
	return 0;
}

/* Our own newest 40 statuses, for the one with our media. */
static int
md_find(struct upload_ctx *c)
{
	struct buf path = BUF_INIT;
	cJSON *me = NULL, *list = NULL;
	const cJSON *st;
	int rc;

	if (c->j->media_id == NULL || *c->j->media_id == '\0')
		return AG_FALSE;
	if ((rc = get_json(c, "/api/v1/accounts/verify_credentials",
	    "verify_credentials", "{\"id\":\"DRY-RUN\"}", &me)) != AG_OK)
		goto out;
	buf_addf(&path, "/api/v1/accounts/%s/statuses?limit=40",
	    ag_jstr(me, "id") ? ag_jstr(me, "id") : "");
	if ((rc = get_json(c, path.data, "account statuses", "[]", &list)) !=
	    AG_OK)
		goto out;
	rc = AG_FALSE;
	cJSON_ArrayForEach(st, list)
		if (rc == AG_FALSE && has_media(st, c->j->media_id))
			rc = take_status(c, st);
out:
	cJSON_Delete(me);
	cJSON_Delete(list);
	buf_release(&path);
	return rc;
}

static int
md_publish(struct upload_ctx *c)
{
	struct http_request req;
	struct http_response resp;
	struct buf url = BUF_INIT, form = BUF_INIT, key = BUF_INIT;
	struct buf dryb = BUF_INIT;
	struct upload_dry dry = { 200, NULL, NULL };
	const cJSON *first = cJSON_GetObjectItem(c->j->extra, "first_publish");
	const char *hv[3], *lang = upload_setting(c, "language");
	char *text = status_text(c);
	cJSON *doc = NULL;
	int rc;

	/* Past the key's hour, look before sending (see the top). */
	if (cJSON_IsNumber(first) && ag_now_ms() -
	    (int64_t)first->valuedouble >= 1000 * upload_setting_int(c,
	    "key_window", 3000) && (rc = md_find(c)) != AG_FALSE)
		goto out;
	if (!cJSON_IsNumber(first) && !c->dry_run) {
		cJSON_AddNumberToObject(c->j->extra, "first_publish",
		    (double)ag_now_ms());
		if ((rc = upload_save(c)) != AG_OK)
			goto out;
	}
	buf_addstr(&form, "status=");
	ag_urlencode(&form, text);
	buf_addstr(&form, "&media_ids[]=");
	ag_urlencode(&form, c->j->media_id);
	buf_addf(&form, "&visibility=%s&sensitive=%s", visibility(c),
	    upload_setting_bool(c, "sensitive", 0) ? "true" : "false");
	if (lang != NULL && *lang != '\0') {
		buf_addstr(&form, "&language=");
		ag_urlencode(&form, lang);
	}
	buf_addf(&key, "Idempotency-Key: %s", c->marker);
	buf_addf(&url, "%s/api/v1/statuses", instance(c));
	buf_addf(&dryb, "{\"id\":\"DRY-RUN\",\"url\":\"%s/@me/DRY-RUN\"}",
	    instance(c));
	dry.body = dryb.data;
	hv[0] = "Content-Type: application/x-www-form-urlencoded";
	hv[1] = key.data;
	hv[2] = NULL;
	http_request_init(&req, url.data);
	req.method = "POST";
	req.headers = hv;
	req.body = form.data;
	req.body_len = form.len;
	req.idempotent = 1;		/* the key makes a resend safe */
	rc = upload_send(c, &req, UP_AUTH, &dry, &resp);
	if (rc == AG_OK && resp.status != 200)
		rc = upload_http_error(c, "statuses", &resp, NULL);
	else if (rc == AG_OK && (doc = answer(c, "statuses", &resp)) == NULL)
		rc = AG_TEMPFAIL;
	else if (rc == AG_OK)
		rc = take_status(c, doc);
	http_response_release(&resp);
out:
	cJSON_Delete(doc);
	free(text);
	buf_release(&url);
	buf_release(&form);
	buf_release(&key);
	buf_release(&dryb);
	return rc;
}

static int
md_status(struct upload_ctx *c, cJSON **out)
{
	struct http_request req;
	struct http_response resp;
	struct buf url = BUF_INIT;
	cJSON *doc = NULL, *o;
	int rc;

	buf_addf(&url, "%s/api/v1/statuses/%s", instance(c), c->j->remote_id);
	http_request_init(&req, url.data);
	rc = upload_send(c, &req, UP_AUTH, NULL, &resp);
	buf_release(&url);
	if (rc != AG_OK)
		goto out;
	if (resp.status != 200 && resp.status != 404) {
		rc = upload_http_error(c, "status", &resp, NULL);
		goto out;
	}
	doc = cJSON_ParseWithLength(buf_str(&resp.body), resp.body.len);
	o = upload_status_doc(resp.status == 200, NULL, NULL, NULL);
	if (resp.status == 200 && ag_jstr(doc, "visibility") != NULL)
		cJSON_AddStringToObject(o, "visibility", ag_jstr(doc,
		    "visibility"));
	if (resp.status == 200 && ag_jstr(doc, "url") != NULL)
		cJSON_AddStringToObject(o, "url", ag_jstr(doc, "url"));
	*out = o;
out:
	cJSON_Delete(doc);
	http_response_release(&resp);
	return rc;
}

const struct platform_ops platform_mastodon = {
	.name = "mastodon",
	.summary = "Mastodon: /api/v2/media, then a status with an "
	    "Idempotency-Key",
	.auth = PLATFORM_AUTH_TOKEN,
	.flags = PF_IDEMPOTENT,
	.settings = settings,
	.limits = &limits,
	.upload = md_upload,
	.publish = md_publish,
	.find_existing = md_find,
	.status = md_status,
};
