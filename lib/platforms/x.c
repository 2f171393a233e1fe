/*
 * x.c - X API v2: the chunked media upload (initialize, append,
 * finalize, status) and POST /2/tweets (../shared/reference/platforms.md
 * §5).
 *
 * The media id INIT answers is the upload's only handle, so it is
 * journalled (as the session, with its media key, segment size and
 * expiry in extra) before the first segment is sent; each APPEND that
 * is answered moves the journal's byte count one segment on, so a run
 * that finds a session resumes with the segment after the last one X
 * acknowledged (X cannot be asked which segments it holds; sending one
 * again replaces it).  A session past its expiry, or one X no longer
 * knows (404), is started again.  FINALIZE is journalled too: a run
 * killed while X processed the video polls STATUS again, sleeping the
 * check_after_secs X asks for, instead of uploading anew.
 *
 * X has no idempotency.  The post's text ends with our marker (marker=
 * text, the default; the caption is shortened to leave room for it in
 * the 280 weighted characters, never the marker), and the post carries
 * our media, whose media key X echoes in attachments.media_keys.  So
 * after a crash in publishing, find_existing() reads the account's
 * recent posts (GET /2/users/me, then /2/users/:id/tweets) and takes
 * the one with the marker in its text or our media key; with marker=
 * none only the media key is used and the text is all the caption's.
 *
 * Rate limits: a 429 carries x-rate-limit-reset (epoch seconds), which
 * lib/net reads as the wait; longer than http.max_wait is exit 75.
 * Errors are RFC 7807 problems (detail, title) or errors[] arrays.
 */
#include <stdlib.h>
#include <string.h>

#include "agency.h"
#include "platforms/platform.h"

#define MAX_FAILS 8			/* consecutive failures per step */
#define MAX_SEGMENT (4 * 1024 * 1024)	/* the reference's safe size */
#define MAX_SEGMENTS 1000
#define TEXT_MAX 280			/* weighted characters */
#define URL_WEIGHT 23			/* what any link counts */

static const struct platform_setting settings[] = {
	{ "api_url", "https://api.x.com", "the API's base URL", 0 },
	{ "auth_url", NULL, "the OAuth authorization endpoint", 0 },
	{ "client_id", NULL, "the OAuth 2.0 client id of your X app", 0 },
	{ "client_secret", NULL, "the OAuth 2.0 client secret (a "
	    "confidential client)", SETTING_SECRET },
	{ "made_with_ai", "false", "label posts as made with AI", 0 },
	{ "marker", "text", "where the marker that finds a post goes: text "
	    "(its end) or none (the post is found by its media only)", 0 },
	{ "max_duration", NULL, "longest video in seconds (default 140; "
	    "more for Premium accounts)", 0 },
	{ "redirect_port", NULL, "the port of the OAuth loopback redirect",
	    0 },
	{ "reply_settings", NULL, "who may reply: following, "
	    "mentionedUsers, subscribers or verified (default everyone)", 0 },
	{ "scope", NULL, "the OAuth scopes", 0 },
	{ "segment_size", "4194304", "bytes per APPEND segment (at most "
	    "4 MiB)", 0 },
	{ "token_auth", "basic", "how the client authenticates to the token "
	    "endpoint: basic or post", 0 },
	{ "token_url", NULL, "the OAuth token endpoint", 0 },
	{ NULL, NULL, NULL, 0 }
};

/*
 * X takes 32x32 to 1280x1024 either way round; the engine compares the
 * frame with max_width x max_height as they are, so those hold the
 * long side (a 1080x1920 master gets the 720x1280 rendition) and
 * x_validate() checks the short side.
 */
static const struct media_limits limits = {
	.min_duration = 0.5,
	.max_duration = 140,
	.max_bytes = 512LL * 1024 * 1024,
	.min_width = 32,
	.min_height = 32,
	.max_width = 1280,
	.max_height = 1280,
	.max_fps = 60,
	.containers = "mp4,mov",
	.vcodecs = "h264",
	.acodecs = "aac",
	.rendition = "720x1280",
};
#define SHORT_SIDE 1024

static const struct platform_oauth oauth = {
	.auth_url = "https://x.com/i/oauth2/authorize",
	.token_url = "https://api.x.com/2/oauth2/token",
	.scope = "tweet.read tweet.write users.read media.write "
	    "offline.access",
	.basic = 1,
};

static const char *
api(struct upload_ctx *c)
{
	return upload_setting(c, "api_url");
}

/* The words of an X error: a problem's detail or title, errors[0]'s
 * message, else what upload_error_message() finds. */
static void
problem(const struct http_response *resp, char *buf, size_t len)
{
	cJSON *doc = cJSON_ParseWithLength(buf_str(&resp->body),
	    resp->body.len);
	const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(doc,
	    "errors"), 0);
	const char *s = ag_jstr(doc, "detail");

	if (s == NULL)
		s = ag_jstr(e, "message");
	if (s == NULL)
		s = ag_jstr(e, "detail");
	if (s == NULL)
		s = ag_jstr(doc, "title");
	if (s != NULL)
		snprintf(buf, len, "%s", s);
	else
		upload_error_message(resp, buf, len);
	cJSON_Delete(doc);
}

static int
x_error(struct upload_ctx *c, const char *step,
    const struct http_response *resp)
{
	char msg[512];

	problem(resp, msg, sizeof(msg));
	return upload_http_error(c, step, resp, msg);
}

/*
 * An answer that is not what the step wanted.  A 429 lib/net gave up
 * on (its reset within http.max_wait) is waited for; a 5xx is tried
 * again when the step may be repeated.  *again says "send once more".
 */
static int
trouble(struct upload_ctx *c, const char *step,
    const struct http_response *resp, int repeatable, int tries, int *again)
{
	unsigned int seed = (unsigned int)ag_now_ms();
	char why[128];
	int rc;

	*again = 0;
	if (resp->status == 429 && tries < MAX_FAILS) {
		snprintf(why, sizeof(why), "%s: rate limited", step);
		rc = upload_wait(c, resp->retry_after >= 0 ?
		    resp->retry_after : 1 + http_backoff(1, 30, tries, &seed),
		    why);
		*again = rc == AG_OK;
		return rc;
	}
	if (resp->status >= 500 && repeatable && tries < MAX_FAILS) {
		upload_backoff(c, step, resp, tries);
		*again = 1;
		return AG_OK;
	}
	return x_error(c, step, resp);
}

/* Send a JSON body (or none) and take a 2xx JSON answer; *out new. */
static int
call(struct upload_ctx *c, const char *method, const char *url,
    const char *body, const char *step, int repeatable,
    const struct upload_dry *dry, long *status, cJSON **out)
{
	struct http_request req;
	struct http_response resp;
	const char *h[2] = { "Content-Type: application/json", NULL };
	int rc, again, tries = 0;

	for (;;) {
		http_request_init(&req, url);
		req.method = method;
		if (body != NULL) {
			req.headers = h;
			req.body = body;
			req.body_len = strlen(body);
		}
		req.idempotent = repeatable;
		rc = upload_send(c, &req, UP_AUTH, dry, &resp);
		if (rc == AG_OK && resp.status >= 200 && resp.status < 300)
			break;
		if (rc == AG_OK)
			rc = trouble(c, step, &resp, repeatable, tries++,
			    &again);
		else
			again = 0;
		if (status != NULL)
			*status = resp.status;
		if (rc != AG_OK || !again) {
			http_response_release(&resp);
			return rc;
		}
		http_response_release(&resp);
	}
	if (status != NULL)
		*status = resp.status;
	*out = cJSON_ParseWithLength(buf_str(&resp.body), resp.body.len);
	if (*out == NULL)
		*out = cJSON_CreateObject();	/* an empty 2xx */
	http_response_release(&resp);
	return AG_OK;
}

/* ---- the post's text ------------------------------------------- */

/* One UTF-8 sequence at s: its length (1 for a stray byte), *cp. */
static size_t
utf8_next(const unsigned char *s, unsigned *cp)
{
	size_t n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	n = (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3 :
	    (s[0] & 0xf8) == 0xf0 ? 4 : 1;
	*cp = n == 2 ? s[0] & 0x1f : n == 3 ? s[0] & 0x0f : s[0] & 0x07;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp = s[0];
			return 1;
		}
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	return n;
}

/* X's weight of a code point (twitter-text v3: Latin and the common
 * punctuation count 1, the rest 2). */
static size_t
cp_weight(unsigned cp)
{
	if (cp <= 4351 || (cp >= 8192 && cp <= 8205) ||
	    (cp >= 8208 && cp <= 8223) || (cp >= 8242 && cp <= 8247))
		return 1;
	return 2;
}

static int
is_url(const char *s)
{
	return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

/*
 * The weighted length of the first n bytes of s, a link counting 23
 * whatever its length.  With cut, *cut is the largest prefix (in bytes,
 * on a character and link boundary) that weighs at most limit.
 */
static size_t
weigh(const char *s, size_t n, size_t limit, size_t *cut)
{
	size_t w = 0, i = 0, k, add;
	unsigned cp;

	if (cut != NULL)
		*cut = 0;
	while (i < n) {
		if ((i == 0 || s[i - 1] == ' ' || s[i - 1] == '\n') &&
		    is_url(s + i)) {
			k = i + strcspn(s + i, " \n");
			add = URL_WEIGHT;
		} else {
			k = i + utf8_next((const unsigned char *)s + i, &cp);
			add = cp_weight(cp);
		}
		if (k > n)
			k = n;
		w += add;
		if (cut != NULL && w <= limit)
			*cut = k;
		i = k;
	}
	return w;
}

/*
 * The text of the post: the description (or the title without one),
 * the tags as hashtags, and the marker last.  Over 280 the tags go
 * from the end, then the caption is shortened with an ellipsis; the
 * marker always stays whole.  A new string.
 */
static char *
post_text(struct upload_ctx *c)
{
	const char *where = upload_setting(c, "marker");
	const char *body = c->description && *c->description ?
	    c->description : c->title;
	struct buf tail = BUF_INIT, mark = BUF_INIT, out = BUF_INIT;
	size_t ntags = c->ntags, i, wb, wt, cut;

	if (where == NULL || strcmp(where, "none") != 0)
		buf_addf(&mark, "%s%s", *body ? " " : "", c->marker);
	for (;;) {
		buf_reset(&tail);
		for (i = 0; i < ntags; i++)
			buf_addf(&tail, " #%s", c->tags[i]);
		buf_addstr(&tail, buf_str(&mark));
		wt = weigh(buf_str(&tail), tail.len, 0, NULL);
		if (ntags == 0 || wt + 20 <= TEXT_MAX)
			break;
		ntags--;
	}
	wb = weigh(body, strlen(body), 0, NULL);
	if (wb + wt <= TEXT_MAX) {
		buf_addstr(&out, body);
	} else {
		/* "…" weighs 2; cut on a space when there is one near. */
		weigh(body, strlen(body), TEXT_MAX - wt - 2, &cut);
		for (i = cut; i > 0 && i + 20 > cut && body[i - 1] != ' '; i--)
			;
		if (i > 0 && i + 20 > cut)
			cut = i - 1;
		while (cut > 0 && body[cut - 1] == ' ')
			cut--;
		buf_add(&out, body, cut);
		buf_addstr(&out, "\xe2\x80\xa6");
	}
	buf_addstr(&out, buf_str(&tail));
	buf_release(&tail);
	buf_release(&mark);
	return buf_detach(&out);
}

/* ---- the upload ----------------------------------------------- */

static int
x_validate(struct upload_ctx *c)
{
	const struct media_probe *p = c->probe;
	int rc, lo, hi;

	/* Nothing on X is private: never post what was meant not to be. */
	if (c->privacy != NULL && strcmp(c->privacy, "public") != 0)
		return ag_fail(c->ag, AG_USAGE, "%s: --privacy %s: posts on X "
		    "are public", c->account, c->privacy);
	if ((rc = platform_check_media(c, &limits)) != AG_OK)
		return rc;
	lo = p->width < p->height ? p->width : p->height;
	hi = p->width < p->height ? p->height : p->width;
	if (lo > SHORT_SIDE)
		return ag_fail(c->ag, AG_DATAERR, "%s: '%s': %dx%d is larger "
		    "than the 1280x1024 x takes either way round: scale it to "
		    "fit (ffmpeg -vf scale=1024:-2)", c->account, c->video,
		    p->width, p->height);
	if (lo > 0 && hi > 3 * lo)
		return ag_fail(c->ag, AG_DATAERR, "%s: '%s': the aspect ratio "
		    "of %dx%d is beyond the 1:3 to 3:1 x takes", c->account,
		    c->video, p->width, p->height);
	return AG_OK;
}

static int64_t
segment_size(struct upload_ctx *c)
{
	long long n = upload_setting_int(c, "segment_size", MAX_SEGMENT);

	if (n > MAX_SEGMENT)
		n = MAX_SEGMENT;
	if (n < 1024)
		n = 1024;
	while ((c->bytes + n - 1) / n > MAX_SEGMENTS)
		n *= 2;
	return n;
}

/* INIT: a media id, journalled before any byte is sent. */
static int
initialize(struct upload_ctx *c)
{
	struct upload_dry dry = { 200, NULL, "{\"data\":{\"id\":\"DRY-RUN\","
	    "\"media_key\":\"13_DRY-RUN\",\"expires_after_secs\":86400}}" };
	struct buf url = BUF_INIT;
	cJSON *body = cJSON_CreateObject(), *doc = NULL;
	const cJSON *d;
	const char *id;
	char *text;
	double ttl;
	int rc;

	cJSON_AddStringToObject(body, "media_type", "video/mp4");
	cJSON_AddNumberToObject(body, "total_bytes", (double)c->bytes);
	cJSON_AddStringToObject(body, "media_category", "tweet_video");
	cJSON_AddBoolToObject(body, "shared", 0);
	text = cJSON_PrintUnformatted(body);
	buf_addf(&url, "%s/2/media/upload/initialize", api(c));
	rc = call(c, "POST", url.data, text, "media initialize", 1, &dry,
	    NULL, &doc);
	if (rc != AG_OK)
		goto out;
	d = cJSON_GetObjectItem(doc, "data");
	if ((id = ag_jstr(d, "id")) == NULL || *id == '\0') {
		rc = ag_fail(c->ag, AG_TEMPFAIL, "%s: media initialize: no "
		    "media id in the answer", c->account);
		goto out;
	}
	ttl = ag_jnum(d, "expires_after_secs", 86400);
	upload_journal_set(&c->j->session, id);
	c->j->sent = 0;
	cJSON_Delete(c->j->extra);
	c->j->extra = cJSON_CreateObject();
	if (ag_jstr(d, "media_key") != NULL)
		cJSON_AddStringToObject(c->j->extra, "media_key",
		    ag_jstr(d, "media_key"));
	cJSON_AddNumberToObject(c->j->extra, "segment_size",
	    (double)segment_size(c));
	/* A margin: a session about to expire is not worth resuming. */
	cJSON_AddNumberToObject(c->j->extra, "expires_at",
	    (double)(ag_now_ms() + (int64_t)(ttl * 1000) - 600000));
	rc = upload_save(c);
	upload_crash(c, "x-init");
out:
	cJSON_Delete(doc);
	cJSON_Delete(body);
	cJSON_free(text);
	buf_release(&url);
	return rc;
}

enum seg { SEG_OK, SEG_GONE };

/* APPEND every segment from the one after the journal's last. */
static int
append(struct upload_ctx *c, enum seg *how)
{
	struct http_request req;
	struct http_response resp;
	struct http_part parts[3];
	struct buf url = BUF_INIT, pre = BUF_INIT, post = BUF_INIT;
	struct buf ct = BUF_INIT;
	struct upload_dry dry = { 200, NULL, "{\"data\":{\"expires_at\":0}}" };
	const char *h[2];
	int64_t seg = (int64_t)ag_jnum(c->j->extra, "segment_size",
	    (double)segment_size(c)), idx, off, len;
	int rc = AG_OK, fails = 0, again;

	*how = SEG_OK;
	if (c->j->sent >= c->bytes)
		return AG_OK;		/* all in: killed at finalize */
	buf_addf(&url, "%s/2/media/upload/%s/append", api(c), c->j->session);
	buf_addf(&ct, "Content-Type: multipart/form-data; boundary=%s",
	    c->marker);
	h[0] = ct.data;
	h[1] = NULL;
	idx = c->j->sent / seg;
	if (idx > 0)
		ag_info(c->ag, "%s: resuming at segment %lld (byte %lld of "
		    "%lld)", c->account, (long long)idx,
		    (long long)(idx * seg), (long long)c->bytes);
	while ((off = idx * seg) < c->bytes) {
		len = c->bytes - off < seg ? c->bytes - off : seg;
		buf_reset(&pre);
		buf_reset(&post);
		buf_addf(&pre, "--%s\r\nContent-Disposition: form-data; "
		    "name=\"segment_index\"\r\n\r\n%lld\r\n--%s\r\n"
		    "Content-Disposition: form-data; name=\"media\"; "
		    "filename=\"blob\"\r\nContent-Type: "
		    "application/octet-stream\r\n\r\n", c->marker,
		    (long long)idx, c->marker);
		buf_addf(&post, "\r\n--%s--\r\n", c->marker);
		memset(parts, 0, sizeof(parts));
		parts[0].data = pre.data;
		parts[0].len = pre.len;
		parts[1].file = c->video;
		parts[1].offset = off;
		parts[1].length = len;
		parts[2].data = post.data;
		parts[2].len = post.len;
		http_request_init(&req, url.data);
		req.method = "POST";
		req.headers = h;
		req.parts = parts;
		req.nparts = 3;
		req.idempotent = 1;	/* sent again, it replaces itself */
		rc = upload_send(c, &req, UP_AUTH, &dry, &resp);
		if (rc == AG_OK && resp.status >= 200 && resp.status < 300) {
			http_response_release(&resp);
			fails = 0;
			idx++;
			if ((rc = upload_sent(c, off + len)) != AG_OK)
				break;
			upload_crash(c, "x-append");
			continue;
		}
		if (rc == AG_OK && resp.status == 404) {
			*how = SEG_GONE;
			http_response_release(&resp);
			break;
		}
		if (rc == AG_TEMPFAIL && !c->later && ++fails < MAX_FAILS) {
			/* Cut off: send the same segment again. */
			ag_info(c->ag, "%s: segment %lld interrupted (%s); "
			    "sending it again", c->account, (long long)idx,
			    c->ag->err);
			http_response_release(&resp);
			ag_sleep_ms(50L * fails);
			continue;
		}
		if (rc == AG_OK) {
			rc = trouble(c, "media append", &resp, 1, fails++,
			    &again);
			if (rc == AG_OK && again) {
				http_response_release(&resp);
				continue;
			}
		}
		http_response_release(&resp);
		break;
	}
	buf_release(&url);
	buf_release(&pre);
	buf_release(&post);
	buf_release(&ct);
	return rc;
}

struct wait {
	double after;			/* check_after_secs asked for */
	int polls;
};

/* The processing_info of an answer: AG_OK done, AG_FALSE not yet (w's
 * wait set), AG_DATAERR when X failed the video. */
static int
processing(struct upload_ctx *c, const cJSON *doc, struct wait *w)
{
	const cJSON *pi = cJSON_GetObjectItem(cJSON_GetObjectItem(doc,
	    "data"), "processing_info"), *e;
	const char *st = ag_jstr(pi, "state");

	if (pi == NULL || st == NULL || strcmp(st, "succeeded") == 0)
		return AG_OK;
	if (strcmp(st, "failed") == 0) {
		e = cJSON_GetObjectItem(pi, "error");
		return ag_fail(c->ag, AG_DATAERR, "%s: X failed to process "
		    "the video: %s", c->account, ag_jstr(e, "message") ?
		    ag_jstr(e, "message") : ag_jstr(e, "name") ?
		    ag_jstr(e, "name") : "no reason given");
	}
	w->after = ag_jnum(pi, "check_after_secs", 1);
	ag_info(c->ag, "%s: X is processing the video (%s, %.0f%%); checking "
	    "again in %.0f s", c->account, st, ag_jnum(pi, "progress_percent",
	    0), w->after);
	return AG_FALSE;
}

/* STATUS, after the check_after_secs X asked for. */
static int
status_check(struct upload_ctx *c, void *arg)
{
	struct wait *w = arg;
	struct buf url = BUF_INIT;
	cJSON *doc = NULL;
	double nap = w->after;
	int rc;

	if (w->polls++ > 0)
		nap -= config_number(c->ag, "upload.poll_interval");
	if (nap > 60)
		nap = 60;
	if (nap > 0 && !c->dry_run)
		ag_sleep_ms((int64_t)(nap * 1000));
	buf_addf(&url, "%s/2/media/upload?command=STATUS&media_id=%s", api(c),
	    c->j->session);
	rc = call(c, "GET", url.data, NULL, "media status", 1, NULL, NULL,
	    &doc);
	buf_release(&url);
	if (rc == AG_OK)
		rc = processing(c, doc, w);
	cJSON_Delete(doc);
	return rc;
}

/* FINALIZE (once: journalled), then wait for the processing. */
static int
finalize(struct upload_ctx *c)
{
	struct buf url = BUF_INIT;
	struct wait w = { 0, 0 };
	cJSON *doc = NULL;
	int rc;

	if (!cJSON_IsTrue(cJSON_GetObjectItem(c->j->extra, "finalized"))) {
		buf_addf(&url, "%s/2/media/upload/%s/finalize", api(c),
		    c->j->session);
		rc = call(c, "POST", url.data, NULL, "media finalize", 1, NULL,
		    NULL, &doc);
		buf_release(&url);
		if (rc != AG_OK)
			return rc;
		cJSON_AddBoolToObject(c->j->extra, "finalized", 1);
		if ((rc = upload_save(c)) != AG_OK) {
			cJSON_Delete(doc);
			return rc;
		}
		upload_crash(c, "x-finalize");
		rc = processing(c, doc, &w);
		cJSON_Delete(doc);
		if (rc != AG_FALSE)
			return rc;
	} else {
		ag_info(c->ag, "%s: media %s was finalized; asking X how its "
		    "processing goes", c->account, c->j->session);
	}
	return upload_poll(c, "X to process the video", status_check, &w);
}

static int
x_upload(struct upload_ctx *c)
{
	enum seg how;
	int rc, restarts = 0;
	double exp;

	for (;;) {
		exp = ag_jnum(c->j->extra, "expires_at", 0);
		if (c->j->session != NULL && exp > 0 &&
		    (double)ag_now_ms() > exp) {
			ag_info(c->ag, "%s: media %s expired; uploading again",
			    c->account, c->j->session);
			upload_journal_set(&c->j->session, NULL);
		}
		if (c->j->session == NULL) {
			if (++restarts > 3)
				return ag_fail(c->ag, AG_TEMPFAIL, "%s: X "
				    "keeps forgetting the upload; try again "
				    "later", c->account);
			if ((rc = initialize(c)) != AG_OK)
				return rc;
		}
		if (!cJSON_IsTrue(cJSON_GetObjectItem(c->j->extra,
		    "finalized"))) {
			if ((rc = append(c, &how)) != AG_OK)
				return rc;
			if (how == SEG_GONE) {
				ag_info(c->ag, "%s: X no longer knows media "
				    "%s; uploading again", c->account,
				    c->j->session);
				upload_journal_set(&c->j->session, NULL);
				continue;
			}
		}
		if ((rc = finalize(c)) != AG_OK) {
			if (rc == AG_DATAERR) {
				/* A failed video: a new run starts over. */
				upload_journal_set(&c->j->session, NULL);
				c->j->sent = 0;
			}
			return rc;
		}
		upload_journal_set(&c->j->media_id, c->j->session);
		return AG_OK;
	}
}

/* ---- the post -------------------------------------------------- */

/* The account's user (id, username), asked once per journal. */
static int
whoami(struct upload_ctx *c, const char **id, const char **username)
{
	struct upload_dry dry = { 200, NULL, "{\"data\":{\"id\":\"0\","
	    "\"username\":\"dry-run\"}}" };
	struct buf url = BUF_INIT;
	cJSON *doc = NULL;
	const cJSON *d;
	int rc;

	if ((*id = ag_jstr(c->j->extra, "user_id")) != NULL &&
	    (*username = ag_jstr(c->j->extra, "username")) != NULL)
		return AG_OK;
	buf_addf(&url, "%s/2/users/me", api(c));
	rc = call(c, "GET", url.data, NULL, "users/me", 1, &dry, NULL, &doc);
	buf_release(&url);
	if (rc != AG_OK)
		return rc;
	d = cJSON_GetObjectItem(doc, "data");
	if (ag_jstr(d, "id") == NULL || ag_jstr(d, "username") == NULL) {
		cJSON_Delete(doc);
		return ag_fail(c->ag, AG_TEMPFAIL, "%s: users/me: no user in "
		    "the answer", c->account);
	}
	cJSON_DeleteItemFromObject(c->j->extra, "user_id");
	cJSON_DeleteItemFromObject(c->j->extra, "username");
	cJSON_AddStringToObject(c->j->extra, "user_id", ag_jstr(d, "id"));
	cJSON_AddStringToObject(c->j->extra, "username",
	    ag_jstr(d, "username"));
	cJSON_Delete(doc);
	*id = ag_jstr(c->j->extra, "user_id");
	*username = ag_jstr(c->j->extra, "username");
	return AG_OK;
}

static void
take_post(struct upload_ctx *c, const char *id, const char *username)
{
	struct buf link = BUF_INIT;

	buf_addf(&link, "https://x.com/%s/status/%s", username, id);
	upload_journal_set(&c->remote_id, id);
	upload_journal_set(&c->url, link.data);
	cJSON_DeleteItemFromObject(c->post, "username");
	cJSON_AddStringToObject(c->post, "username", username);
	buf_release(&link);
}

/* Is this post (a tweet object) ours: our marker, or our media? */
static int
ours(struct upload_ctx *c, const cJSON *t)
{
	const char *text = ag_jstr(t, "text");
	const char *key = ag_jstr(c->j->extra, "media_key");
	const cJSON *k;
	char alt[64];

	if (text != NULL && strstr(text, c->marker) != NULL)
		return 1;
	if (c->j->media_id == NULL || *c->j->media_id == '\0')
		return 0;
	/* Without the key INIT gave, a video's is 7_ID. */
	snprintf(alt, sizeof(alt), "7_%s", c->j->media_id);
	cJSON_ArrayForEach(k, cJSON_GetObjectItem(cJSON_GetObjectItem(t,
	    "attachments"), "media_keys"))
		if (cJSON_IsString(k) && (strcmp(k->valuestring, key ? key :
		    alt) == 0))
			return 1;
	return 0;
}

/* The account's recent posts (3 pages of 100) for ours. */
static int
x_find(struct upload_ctx *c)
{
	struct buf url = BUF_INIT;
	cJSON *doc = NULL;
	const cJSON *t;
	const char *uid, *user;
	char *next = NULL;
	int rc, page;

	if ((rc = whoami(c, &uid, &user)) != AG_OK)
		return rc;
	rc = AG_FALSE;
	for (page = 0; page < 3 && rc == AG_FALSE; page++) {
		buf_reset(&url);
		buf_addf(&url, "%s/2/users/%s/tweets?max_results=100&"
		    "tweet.fields=created_at,attachments%s%s", api(c), uid,
		    next ? "&pagination_token=" : "", next ? next : "");
		if ((rc = call(c, "GET", url.data, NULL, "users/tweets", 1,
		    NULL, NULL, &doc)) != AG_OK)
			break;
		rc = AG_FALSE;
		cJSON_ArrayForEach(t, cJSON_GetObjectItem(doc, "data"))
			if (rc == AG_FALSE && ours(c, t) &&
			    ag_jstr(t, "id") != NULL) {
				take_post(c, ag_jstr(t, "id"), user);
				rc = AG_OK;
			}
		free(next);
		next = xstrdup(ag_jstr(cJSON_GetObjectItem(doc, "meta"),
		    "next_token"));
		cJSON_Delete(doc);
		doc = NULL;
		if (next == NULL)
			break;
	}
	free(next);
	buf_release(&url);
	return rc;
}

static int
x_publish(struct upload_ctx *c)
{
	struct upload_dry dry = { 201, NULL, "{\"data\":{\"id\":\"DRY-RUN\","
	    "\"text\":\"\"}}" };
	struct buf url = BUF_INIT;
	cJSON *body = cJSON_CreateObject(), *m, *ids, *doc = NULL;
	const char *uid, *user, *id, *rs = upload_setting(c, "reply_settings");
	char *text = post_text(c), *json = NULL;
	long status = 0;
	int rc;

	if ((rc = whoami(c, &uid, &user)) != AG_OK ||
	    (rc = upload_save(c)) != AG_OK)
		goto out;
	cJSON_AddStringToObject(body, "text", text);
	m = cJSON_AddObjectToObject(body, "media");
	ids = cJSON_AddArrayToObject(m, "media_ids");
	cJSON_AddItemToArray(ids, cJSON_CreateString(c->j->media_id));
	if (rs != NULL && *rs != '\0')
		cJSON_AddStringToObject(body, "reply_settings", rs);
	if (upload_setting_bool(c, "made_with_ai", 0))
		cJSON_AddBoolToObject(body, "made_with_ai", 1);
	json = cJSON_PrintUnformatted(body);
	buf_addf(&url, "%s/2/tweets", api(c));
	rc = call(c, "POST", url.data, json, "create post", 0, &dry, &status,
	    &doc);
	if (rc == AG_DATAERR && status == 403 &&
	    strstr(c->ag->err, "duplicate") != NULL) {
		/* Ours already, made by a run that lost the answer? */
		char saved[sizeof(c->ag->err)];

		memcpy(saved, c->ag->err, sizeof(saved));
		if ((rc = x_find(c)) == AG_OK)
			goto out;
		memcpy(c->ag->err, saved, sizeof(saved));
		rc = AG_DATAERR;
	}
	if (rc != AG_OK)
		goto out;
	id = ag_jstr(cJSON_GetObjectItem(doc, "data"), "id");
	if (id == NULL || *id == '\0') {
		rc = ag_fail(c->ag, AG_TEMPFAIL, "%s: create post: HTTP %ld "
		    "with no post id", c->account, status);
		goto out;
	}
	take_post(c, id, user);
	cJSON_AddStringToObject(c->post, "text", text);
out:
	cJSON_Delete(doc);
	cJSON_Delete(body);
	cJSON_free(json);
	free(text);
	buf_release(&url);
	return rc;
}

static int
x_status(struct upload_ctx *c, cJSON **out)
{
	struct http_request req;
	struct http_response resp;
	struct buf url = BUF_INIT;
	cJSON *doc = NULL;
	const cJSON *d;
	int rc;

	buf_addf(&url, "%s/2/tweets/%s?tweet.fields=created_at,public_metrics",
	    api(c), c->j->remote_id);
	http_request_init(&req, url.data);
	rc = upload_send(c, &req, UP_AUTH, NULL, &resp);
	buf_release(&url);
	if (rc == AG_OK && resp.status != 200 && resp.status != 404)
		rc = x_error(c, "tweets lookup", &resp);
	if (rc != AG_OK) {
		http_response_release(&resp);
		return rc;
	}
	doc = cJSON_ParseWithLength(buf_str(&resp.body), resp.body.len);
	d = cJSON_GetObjectItem(doc, "data");
	*out = upload_status_doc(d != NULL, "post", cJSON_Duplicate(d, 1),
	    NULL);
	cJSON_Delete(doc);
	http_response_release(&resp);
	return AG_OK;
}

const struct platform_ops platform_x = {
	.name = "x",
	.summary = "X: chunked media upload v2, POST /2/tweets",
	.auth = PLATFORM_AUTH_OAUTH,
	.settings = settings,
	.limits = &limits,
	.oauth = &oauth,
	.validate = x_validate,
	.upload = x_upload,
	.publish = x_publish,
	.find_existing = x_find,
	.status = x_status,
};
