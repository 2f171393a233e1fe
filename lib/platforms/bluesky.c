/*
 * bluesky.c - Bluesky (the AT Protocol): an app-password session, the
 * video service, and an app.bsky.feed.post record whose key we choose
 * (../shared/reference/platforms.md §8).
 *
 * Session.  An account is a handle (or e-mail) and an app password
 * (agency-upload auth --user HANDLE, the password on stdin).  The
 * session com.atproto.server.createSession gives (access and refresh
 * JWTs, the DID, the handle, the PDS the account lives on) is kept in
 * the account's credentials file, since Bluesky allows few logins a
 * day: a run logs in only when there is no session.  An access JWT
 * refused as ExpiredToken (or InvalidToken) is refreshed with
 * com.atproto.server.refreshSession, under the credentials lock (the
 * refresh JWT rotates: another run may have refreshed it already), and
 * a refused refresh logs in again; a refused password marks the
 * account needs_reconnect.
 *
 * Video.  As the reference recommends (upload=service, the default): a
 * service token from com.atproto.server.getServiceAuth (audience the
 * PDS's did:web, lxm com.atproto.repo.uploadBlob, half an hour), then
 * the whole file to the video service's app.bsky.video.uploadVideo,
 * whose job id is journalled (as the session) before we poll
 * app.bsky.video.getJobStatus until the job has a blob, so a killed run
 * polls the same job.  The answer's shape varies (the job status bare
 * or under "jobStatus"); a video the service processed before comes
 * back as error already_exists with its blob, which is success.  With
 * upload=blob the file goes to the PDS's com.atproto.repo.uploadBlob
 * instead (at most 50 MiB; Bluesky processes it only once posted).
 * The blob (its JSON) is the media id.
 *
 * Post.  The record key is a TID we make from the journal's creation
 * time and the marker, kept in the journal before the first attempt,
 * so every attempt creates the same record: com.atproto.repo.
 * createRecord with that rkey.  A record key that exists already makes
 * the PDS answer 500, so an attempt after an unknown outcome (a lost
 * answer, a 5xx) first asks com.atproto.repo.getRecord: there means
 * published, RecordNotFound means create.  Hence PF_IDEMPOTENT.  The
 * text is the caption, its description and the hashtags, cut to 300
 * graphemes and 3000 bytes, with facets for the hashtags and links at
 * UTF-8 byte offsets; the embed is app.bsky.embed.video with the blob,
 * the alt text and the aspect ratio.  The post's URL is
 * https://bsky.app/profile/HANDLE/post/RKEY; its remote id the at:// URI.
 *
 * Rate limits are 429 RateLimitExceeded with RateLimit-Reset (epoch
 * seconds), which lib/net reads.  Errors are XRPC's {error, message}.
 */
#include <stdlib.h>
#include <string.h>

#include "agency.h"
#include "platforms/bluesky.h"
#include "platforms/platform.h"

#define TEXT_GRAPHEMES 300
#define TEXT_BYTES 3000
#define BLOB_MAX 52428800LL		/* the PDS's blob ceiling */
#define POST "app.bsky.feed.post"

static const struct platform_setting settings[] = {
	{ "language", NULL, "the post's language (en)", 0 },
	{ "pds_url", "https://bsky.social", "the PDS (or entryway) the "
	    "account logs in to", 0 },
	{ "service_aud", NULL, "the audience of the video service token "
	    "(default: did:web: and the PDS's host)", 0 },
	{ "upload", "service", "service (the video service, processed "
	    "before the post) or blob (uploadBlob on the PDS)", 0 },
	{ "video_url", "https://video.bsky.app", "the video service", 0 },
	{ NULL, NULL, NULL, 0 }
};

/* The video lexicon: 100 MB, 3 minutes, MP4. */
static const struct media_limits limits = {
	.max_duration = 180,
	.max_bytes = 100000000LL,
	.containers = "mp4",
	.vcodecs = "h264,hevc",
	.faststart = 1,
	.rendition = "1080x1920",
};

/* ---- text: graphemes, facets, record keys ------------------------- */

/* The code point at s[*i] (advancing *i); a bad byte is taken alone. */
static unsigned long
next_cp(const char *s, size_t len, size_t *i)
{
	const unsigned char *p = (const unsigned char *)s + *i;
	size_t n = len - *i, k, need;
	unsigned long cp;

	if (p[0] < 0x80 || n < 2) {
		(*i)++;
		return p[0];
	}
	need = p[0] >= 0xf0 ? 3 : p[0] >= 0xe0 ? 2 : 1;
	cp = p[0] & (0x3f >> need);
	for (k = 1; k <= need; k++) {
		if (k >= n || (p[k] & 0xc0) != 0x80) {
			(*i)++;
			return p[0];
		}
		cp = cp << 6 | (p[k] & 0x3f);
	}
	*i += need + 1;
	return cp;
}

/* Does cp extend the grapheme before it?  *join says a ZWJ came. */
static int
extends(unsigned long cp, int *join, int *ri)
{
	int was = *join, r = *ri;

	*join = cp == 0x200d;
	*ri = 0;
	if (was)
		return 1;
	if (cp >= 0x1f1e6 && cp <= 0x1f1ff) {
		*ri = !r;	/* the second of a pair joins the first */
		return r;
	}
	return (cp >= 0x300 && cp <= 0x36f) || (cp >= 0x1ab0 &&
	    cp <= 0x1aff) || (cp >= 0x1dc0 && cp <= 0x1dff) ||
	    (cp >= 0x20d0 && cp <= 0x20ff) || (cp >= 0xfe00 &&
	    cp <= 0xfe0f) || (cp >= 0xfe20 && cp <= 0xfe2f) ||
	    (cp >= 0x1f3fb && cp <= 0x1f3ff) || (cp >= 0xe0020 &&
	    cp <= 0xe007f) || cp == 0x200d;
}

size_t
bluesky_cut(const char *s, size_t len, size_t graphemes, size_t bytes)
{
	size_t i = 0, at, n = 0, keep = 0;
	int join = 0, ri = 0;

	while (i < len) {
		at = i;
		if (!extends(next_cp(s, len, &i), &join, &ri)) {
			/* A new grapheme starts at at: the old one is whole. */
			keep = at;
			if (++n > graphemes)
				return keep;
		}
		if (i > bytes)
			return keep;
	}
	return len;
}

size_t
bluesky_graphemes(const char *s, size_t len)
{
	size_t i = 0, n = 0;
	int join = 0, ri = 0;

	while (i < len)
		if (!extends(next_cp(s, len, &i), &join, &ri))
			n++;
	return n;
}

static int
space(char ch)
{
	return ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r';
}

static int
punct(char ch)
{
	return ch != '\0' && strchr(".,;:!?\"'()[]{}<>", ch) != NULL;
}

static void
add_facet(cJSON *facets, size_t start, size_t end, const char *type,
    const char *key, const char *value, size_t vlen)
{
	cJSON *f = cJSON_CreateObject(), *ix, *feats, *ft;
	char *v = xstrndup(value, vlen);

	ix = cJSON_AddObjectToObject(f, "index");
	cJSON_AddNumberToObject(ix, "byteStart", (double)start);
	cJSON_AddNumberToObject(ix, "byteEnd", (double)end);
	feats = cJSON_AddArrayToObject(f, "features");
	ft = cJSON_CreateObject();
	cJSON_AddStringToObject(ft, "$type", type);
	cJSON_AddStringToObject(ft, key, v);
	cJSON_AddItemToArray(feats, ft);
	cJSON_AddItemToArray(facets, f);
	free(v);
}

cJSON *
bluesky_facets(const char *text)
{
	cJSON *facets = cJSON_CreateArray();
	size_t len = strlen(text), i, j, k;
	int link;

	for (i = 0; i < len; i = j > i ? j : i + 1) {
		j = i;
		if (i > 0 && !space(text[i - 1]))
			continue;
		link = strncmp(text + i, "https://", 8) == 0 ||
		    strncmp(text + i, "http://", 7) == 0;
		if (text[i] != '#' && !link)
			continue;
		for (j = i; j < len && !space(text[j]); j++)
			;
		for (k = j; k > i + 1 && punct(text[k - 1]); k--)
			;
		if (link) {
			add_facet(facets, i, k, "app.bsky.richtext.facet#link",
			    "uri", text + i, k - i);
			continue;
		}
		if (k == i + 1 || strspn(text + i + 1, "0123456789") >=
		    k - i - 1 || bluesky_graphemes(text + i + 1, k - i - 1) >
		    64)
			continue;
		add_facet(facets, i, k, "app.bsky.richtext.facet#tag", "tag",
		    text + i + 1, k - i - 1);
	}
	return facets;
}

void
bluesky_tid(int64_t us, unsigned clock_id, char *out)
{
	static const char b32[] = "234567abcdefghijklmnopqrstuvwxyz";
	uint64_t v = ((uint64_t)us & ((1ULL << 53) - 1)) << 10 |
	    (clock_id & 0x3ff);
	int i;

	for (i = 12; i >= 0; i--) {
		out[i] = b32[v & 31];
		v >>= 5;
	}
	out[13] = '\0';
}

/* The post's text (new): caption, description, hashtags, fitted. */
static char *
post_text(struct upload_ctx *c)
{
	struct buf prose = BUF_INIT, tags = BUF_INIT, out = BUF_INIT;
	const unsigned char *p;
	size_t i, g, b, keep;

	buf_addstr(&prose, c->title);
	if (*c->description != '\0' && strcmp(c->description, c->title) != 0)
		buf_addf(&prose, "%s%s", prose.len ? "\n\n" : "",
		    c->description);
	for (i = 0; i < c->ntags; i++) {
		buf_addstr(&tags, i > 0 ? " #" : "#");
		for (p = (const unsigned char *)c->tags[i]; *p != '\0'; p++)
			if (!space((char)*p) && *p != '#')
				buf_addch(&tags, *p);
	}
	buf_addstr(&prose, "");
	buf_addstr(&tags, "");
	g = bluesky_graphemes(tags.data, tags.len) + (tags.len ? 2 : 0);
	b = tags.len + (tags.len ? 2 : 0);
	if (g > TEXT_GRAPHEMES / 2) {	/* tags would crowd it out */
		buf_reset(&tags);
		buf_addstr(&tags, "");
		g = b = 0;
	}
	if (bluesky_graphemes(prose.data, prose.len) > TEXT_GRAPHEMES - g ||
	    prose.len > TEXT_BYTES - b) {
		/* Room for an ellipsis (1 grapheme, 3 bytes). */
		keep = bluesky_cut(prose.data, prose.len,
		    TEXT_GRAPHEMES - g - 1, TEXT_BYTES - b - 3);
		buf_add(&out, prose.data, keep);
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

/* ---- XRPC ---------------------------------------------------------- */

/* The XRPC error name of an answer into buf ("" if none). */
static void
xrpc_error(const struct http_response *resp, char *buf, size_t len)
{
	cJSON *doc = cJSON_ParseWithLength(buf_str(&resp->body),
	    resp->body.len);
	const cJSON *js = cJSON_GetObjectItem(doc, "jobStatus");

	snprintf(buf, len, "%s", ag_jstr(doc, "error") ? ag_jstr(doc,
	    "error") : ag_jstr(js, "error") ? ag_jstr(js, "error") : "");
	cJSON_Delete(doc);
}

/* upload_http_error() with XRPC's words: "Name: message". */
static int
fail(struct upload_ctx *c, const char *step, const struct http_response *resp)
{
	cJSON *doc = cJSON_ParseWithLength(buf_str(&resp->body),
	    resp->body.len);
	const char *e = ag_jstr(doc, "error"), *m = ag_jstr(doc, "message");
	struct buf d = BUF_INIT;
	int rc;

	if (e != NULL || m != NULL)
		buf_addf(&d, "%s%s%s", e ? e : "", e && m ? ": " : "",
		    m ? m : "");
	rc = upload_http_error(c, step, resp, d.len ? d.data : NULL);
	buf_release(&d);
	cJSON_Delete(doc);
	return rc;
}

static cJSON *
parse(const struct http_response *resp)
{
	return cJSON_ParseWithLength(buf_str(&resp->body), resp->body.len);
}

static const char *
pds(struct upload_ctx *c)
{
	const char *p = upload_secret(c, "pds");

	return p != NULL && *p != '\0' ? p : upload_setting(c, "pds_url");
}

static void
cred_set(struct upload_ctx *c, const char *key, const char *v)
{
	const char *was = upload_secret(c, key);

	/* Callers hold the old value: keep it when it does not change. */
	if (was != NULL && v != NULL && strcmp(was, v) == 0)
		return;
	cJSON_DeleteItemFromObjectCaseSensitive(c->cred, key);
	if (v != NULL)
		cJSON_AddStringToObject(c->cred, key, v);
	/* As cred_load() does: the JWTs are secrets, the rest is not. */
	if (v != NULL && strstr(key, "Jwt") != NULL)
		ag_secret_add(v);
}

/* Keep a session answer (createSession, refreshSession). */
static int
keep_session(struct upload_ctx *c, const struct http_response *resp,
    const char *step)
{
	cJSON *doc = parse(resp);
	const cJSON *s;
	int rc = AG_OK;

	if (ag_jstr(doc, "accessJwt") == NULL || ag_jstr(doc, "refreshJwt") ==
	    NULL) {
		rc = ag_fail(c->ag, AG_TEMPFAIL, "%s: %s: no tokens in the "
		    "answer", c->account, step);
		goto out;
	}
	cred_set(c, "accessJwt", ag_jstr(doc, "accessJwt"));
	cred_set(c, "refreshJwt", ag_jstr(doc, "refreshJwt"));
	if (ag_jstr(doc, "did") != NULL)
		cred_set(c, "did", ag_jstr(doc, "did"));
	if (ag_jstr(doc, "handle") != NULL)
		cred_set(c, "handle", ag_jstr(doc, "handle"));
	/* Where the account lives, from its DID document. */
	cJSON_ArrayForEach(s, cJSON_GetObjectItem(cJSON_GetObjectItem(doc,
	    "didDoc"), "service"))
		if (ag_jstr(s, "id") != NULL && ag_jstr(s,
		    "serviceEndpoint") != NULL && strcmp(ag_jstr(s, "id"),
		    "#atproto_pds") == 0)
			cred_set(c, "pds", ag_jstr(s, "serviceEndpoint"));
	rc = cred_save(c->ag, c->account, c->cred);
out:
	cJSON_Delete(doc);
	return rc;
}

/* POST a JSON body to an XRPC method of the PDS, with a bearer (or not). */
static int
pds_post(struct upload_ctx *c, const char *base, const char *method,
    const char *body, const char *bearer, int idempotent,
    struct http_response *resp)
{
	struct http_request req;
	struct buf url = BUF_INIT, auth = BUF_INIT;
	const char *hv[3];
	size_t n = 0;
	int rc;

	buf_addf(&url, "%s/xrpc/%s", base, method);
	if (body != NULL)
		hv[n++] = "Content-Type: application/json";
	if (bearer != NULL) {
		buf_addf(&auth, "Authorization: Bearer %s", bearer);
		hv[n++] = auth.data;
	}
	hv[n] = NULL;
	http_request_init(&req, url.data);
	req.method = "POST";
	req.headers = hv;
	req.body = body ? body : "";
	req.body_len = body ? strlen(body) : 0;
	req.idempotent = idempotent;
	rc = upload_send(c, &req, 0, NULL, resp);
	buf_release(&url);
	buf_release(&auth);
	return rc;
}

/* Log in with the app password. */
static int
login(struct upload_ctx *c)
{
	struct http_response resp;
	cJSON *b = cJSON_CreateObject();
	const char *id = upload_secret(c, "identifier");
	const char *pw = upload_secret(c, "password");
	char *text;
	int rc;

	cJSON_AddStringToObject(b, "identifier", id ? id : "");
	cJSON_AddStringToObject(b, "password", pw ? pw : "");
	text = cJSON_PrintUnformatted(b);
	cJSON_Delete(b);
	ag_info(c->ag, "%s: logging in as %s", c->account, id ? id : "");
	rc = pds_post(c, upload_setting(c, "pds_url"),
	    "com.atproto.server.createSession", text, NULL, 1, &resp);
	cJSON_free(text);
	if (rc == AG_OK && resp.status == 200) {
		rc = keep_session(c, &resp, "createSession");
	} else if (rc == AG_OK) {
		rc = fail(c, "createSession", &resp);
		if (resp.status == 401) {
			char why[sizeof(c->ag->err)];

			snprintf(why, sizeof(why), "%s", c->ag->err);
			rc = ag_fail(c->ag, AG_NOPERM, "%s; run 'agency-upload "
			    "auth %s --user HANDLE' with a valid app password",
			    why, c->account);
			platform_account_broken(c->ag, c->account,
			    "Bluesky refused the app password");
		}
	}
	http_response_release(&resp);
	return rc;
}

/* Refresh the session whose access JWT rejected was refused. */
static int
refresh(struct upload_ctx *c, const char *rejected)
{
	struct http_response resp;
	cJSON *disk = NULL;
	const char *now, *rt;
	char err[64];
	int rc, fd;

	if ((rc = cred_lock(c->ag, c->account, &fd)) != AG_OK)
		return rc;
	/* Another run may have refreshed it meanwhile. */
	if (cred_load(c->ag, c->account, &disk) == AG_OK &&
	    (now = cred_str(disk, "accessJwt")) != NULL &&
	    (rejected == NULL || strcmp(now, rejected) != 0)) {
		cred_set(c, "accessJwt", now);
		cred_set(c, "refreshJwt", cred_str(disk, "refreshJwt"));
		rc = AG_OK;
		goto out;
	}
	ag_clear_error(c->ag);
	if ((rt = upload_secret(c, "refreshJwt")) == NULL) {
		rc = login(c);
		goto out;
	}
	rc = pds_post(c, pds(c), "com.atproto.server.refreshSession", NULL,
	    rt, 0, &resp);
	if (rc == AG_OK && resp.status == 200) {
		rc = keep_session(c, &resp, "refreshSession");
	} else if (rc == AG_OK) {
		xrpc_error(&resp, err, sizeof(err));
		if (resp.status == 400 || resp.status == 401) {
			/* The refresh JWT is dead too: log in again. */
			ag_info(c->ag, "%s: refreshSession: %s; logging in "
			    "again", c->account, err);
			rc = login(c);
		} else {
			rc = fail(c, "refreshSession", &resp);
		}
	}
	http_response_release(&resp);
out:
	cJSON_Delete(disk);
	ag_unlock(fd);
	return rc;
}

/* The session: the access JWT and the DID (borrowed from c->cred). */
static int
session(struct upload_ctx *c, const char **jwt, const char **did)
{
	int rc;

	if (c->dry_run) {
		*jwt = upload_secret(c, "accessJwt") ? upload_secret(c,
		    "accessJwt") : "DRY-RUN-TOKEN";
		*did = upload_secret(c, "did") ? upload_secret(c, "did") :
		    "did:plc:DRY-RUN";
		return AG_OK;
	}
	if ((upload_secret(c, "accessJwt") == NULL || upload_secret(c,
	    "did") == NULL) && (rc = login(c)) != AG_OK)
		return rc;
	*jwt = upload_secret(c, "accessJwt");
	*did = upload_secret(c, "did");
	return AG_OK;
}

/*
 * authed_send() - req to the PDS with the access JWT, refreshed once when it is
 * refused as expired or invalid.  As upload_send() otherwise.
 */
static int
authed_send(struct upload_ctx *c, struct http_request *req,
    const struct upload_dry *dry, struct http_response *resp)
{
	const char *const *orig = req->headers;
	const char *hv[8], *jwt, *did;
	struct buf auth = BUF_INIT;
	char err[64], *used = NULL;
	size_t n = 0;
	int rc, tries;

	memset(resp, 0, sizeof(*resp));
	resp->retry_after = -1;
	if ((rc = session(c, &jwt, &did)) != AG_OK)
		return rc;
	for (; orig != NULL && orig[n] != NULL && n < 6; n++)
		hv[n] = orig[n];
	hv[n + 1] = NULL;
	req->headers = hv;
	for (tries = 0;; tries++) {
		buf_reset(&auth);
		buf_addf(&auth, "Authorization: Bearer %s", jwt);
		hv[n] = auth.data;
		rc = upload_send(c, req, 0, dry, resp);
		if (rc != AG_OK || tries > 0 || (resp->status != 400 &&
		    resp->status != 401))
			break;
		xrpc_error(resp, err, sizeof(err));
		if (strcmp(err, "ExpiredToken") != 0 &&
		    strcmp(err, "InvalidToken") != 0)
			break;
		ag_info(c->ag, "%s: %s; refreshing the session", c->account,
		    err);
		http_response_release(resp);
		free(used);
		used = xstrdup(jwt);
		if ((rc = refresh(c, used)) != AG_OK)
			break;
		jwt = upload_secret(c, "accessJwt");
	}
	req->headers = orig;
	buf_release(&auth);
	free(used);
	return rc;
}

/* GET an XRPC URL with the session (or none); the answer in resp. */
static int
get(struct upload_ctx *c, const char *url, int authed, const char *dry_body,
    struct http_response *resp)
{
	struct http_request req;
	struct upload_dry dry = { 200, NULL, dry_body };

	http_request_init(&req, url);
	if (authed)
		return authed_send(c, &req, &dry, resp);
	return upload_send(c, &req, 0, &dry, resp);
}

/* ---- upload -------------------------------------------------------- */

static int
take_blob(struct upload_ctx *c, const cJSON *blob)
{
	char *text;

	if (!cJSON_IsObject(blob))
		return ag_fail(c->ag, AG_SOFTWARE, "%s: the video came back "
		    "without a blob", c->account);
	text = cJSON_PrintUnformatted(blob);
	upload_journal_set(&c->j->media_id, text);
	cJSON_free(text);
	return AG_OK;
}

/* The audience of the service token: did:web: and the PDS's host. */
static char *
service_aud(struct upload_ctx *c)
{
	const char *a = upload_setting(c, "service_aud"), *h = pds(c), *e;

	if (a != NULL && *a != '\0')
		return xstrdup(a);
	if ((e = strstr(h, "://")) != NULL)
		h = e + 3;
	return xasprintf("did:web:%.*s", (int)strcspn(h, ":/"), h);
}

/* A service token for uploadBlob in the name of the account (new). */
static int
service_token(struct upload_ctx *c, char **out)
{
	struct http_response resp;
	struct buf url = BUF_INIT;
	char *aud = service_aud(c);
	cJSON *doc = NULL;
	int rc;

	buf_addf(&url, "%s/xrpc/com.atproto.server.getServiceAuth?aud=",
	    pds(c));
	ag_urlencode(&url, aud);
	buf_addf(&url, "&lxm=com.atproto.repo.uploadBlob&exp=%lld",
	    (long long)(ag_now_ms() / 1000 + 1800));
	rc = get(c, url.data, 1, "{\"token\":\"DRY-RUN-SERVICE-TOKEN\"}",
	    &resp);
	if (rc == AG_OK && resp.status != 200)
		rc = fail(c, "getServiceAuth", &resp);
	else if (rc == AG_OK && ((doc = parse(&resp)) == NULL ||
	    ag_jstr(doc, "token") == NULL))
		rc = ag_fail(c->ag, AG_TEMPFAIL, "%s: getServiceAuth: no "
		    "token in the answer", c->account);
	if (rc == AG_OK) {
		*out = xstrdup(ag_jstr(doc, "token"));
		ag_secret_add(*out);
	}
	cJSON_Delete(doc);
	http_response_release(&resp);
	buf_release(&url);
	free(aud);
	return rc;
}

/* Send the file to the video service: a job in c->j->session, or the
 * blob at once (already processed). */
static int
upload_video(struct upload_ctx *c)
{
	struct http_request req;
	struct http_response resp;
	struct buf url = BUF_INIT, auth = BUF_INIT;
	struct upload_dry dry = { 200, NULL, "{\"did\":\"did:plc:DRY-RUN\","
	    "\"jobId\":\"DRY-RUN\",\"state\":\"JOB_STATE_CREATED\"}" };
	const char *hv[3], *jwt, *did;
	const cJSON *js;
	char *tok = NULL;
	cJSON *doc = NULL;
	int rc;

	if ((rc = session(c, &jwt, &did)) != AG_OK ||
	    (rc = service_token(c, &tok)) != AG_OK)
		return rc;
	buf_addf(&url, "%s/xrpc/app.bsky.video.uploadVideo?did=",
	    upload_setting(c, "video_url"));
	ag_urlencode(&url, did);
	buf_addstr(&url, "&name=");
	ag_urlencode(&url, upload_base_name(c->video));
	buf_addf(&auth, "Authorization: Bearer %s", tok);
	hv[0] = "Content-Type: video/mp4";
	hv[1] = auth.data;
	hv[2] = NULL;
	http_request_init(&req, url.data);
	req.method = "POST";
	req.headers = hv;
	req.body_file = c->video;
	req.idempotent = 1;	/* the service dedupes the same bytes */
	if ((rc = upload_send(c, &req, 0, &dry, &resp)) != AG_OK)
		goto out;
	doc = parse(&resp);
	js = cJSON_GetObjectItem(doc, "jobStatus");
	if (!cJSON_IsObject(js))
		js = doc;		/* production answers it bare */
	if (ag_jstr(js, "error") != NULL && strcmp(ag_jstr(js, "error"),
	    "already_exists") == 0 && cJSON_GetObjectItem(js, "blob")) {
		ag_info(c->ag, "%s: the video service has this video already",
		    c->account);
		rc = take_blob(c, cJSON_GetObjectItem(js, "blob"));
		goto out;
	}
	if (ag_jstr(js, "error") != NULL && strcmp(ag_jstr(js, "error"),
	    "unconfirmed_email") == 0) {
		rc = ag_fail(c->ag, AG_NOPERM, "%s: uploadVideo: HTTP %ld: "
		    "unconfirmed_email: %s (the account must confirm its "
		    "e-mail address to post videos)", c->account, resp.status,
		    ag_jstr(js, "message") ? ag_jstr(js, "message") : "");
		goto out;
	}
	if (resp.status != 200 || ag_jstr(js, "jobId") == NULL) {
		rc = resp.status == 200 ? ag_fail(c->ag, AG_TEMPFAIL, "%s: "
		    "uploadVideo: no job in the answer", c->account) :
		    fail(c, "uploadVideo", &resp);
		goto out;
	}
	upload_journal_set(&c->j->session, ag_jstr(js, "jobId"));
	if ((rc = upload_sent(c, c->bytes)) != AG_OK)
		goto out;
	upload_crash(c, "bluesky-job");
	if (cJSON_GetObjectItem(js, "blob") != NULL)
		rc = take_blob(c, cJSON_GetObjectItem(js, "blob"));
out:
	cJSON_Delete(doc);
	http_response_release(&resp);
	buf_release(&url);
	buf_release(&auth);
	free(tok);
	return rc;
}

/*
 * Where the job c->j->session stands: AG_OK (the blob taken), AG_FALSE
 * (not yet), AG_NOINPUT (the service does not know it), AG_DATAERR
 * (it failed the video).
 */
static int
job_done(struct upload_ctx *c, void *arg)
{
	struct http_response resp;
	struct buf url = BUF_INIT;
	const cJSON *js;
	cJSON *doc = NULL;
	const char *st;
	int rc;

	(void)arg;
	buf_addf(&url, "%s/xrpc/app.bsky.video.getJobStatus?jobId=",
	    upload_setting(c, "video_url"));
	ag_urlencode(&url, c->j->session);
	rc = get(c, url.data, 0, "{\"jobStatus\":{\"jobId\":\"DRY-RUN\","
	    "\"state\":\"JOB_STATE_COMPLETED\",\"blob\":{\"$type\":\"blob\","
	    "\"ref\":{\"$link\":\"DRY-RUN\"},\"mimeType\":\"video/mp4\","
	    "\"size\":0}}}", &resp);
	buf_release(&url);
	if (rc != AG_OK)
		goto out;
	if (resp.status == 404 || (resp.status == 400 && (doc = parse(&resp))
	    != NULL && ag_jstr(doc, "error") != NULL && strstr(ag_jstr(doc,
	    "error"), "NotFound") != NULL)) {
		rc = AG_NOINPUT;
		goto out;
	}
	if (resp.status != 200) {
		rc = fail(c, "getJobStatus", &resp);
		goto out;
	}
	cJSON_Delete(doc);
	doc = parse(&resp);
	js = cJSON_GetObjectItem(doc, "jobStatus");
	if (!cJSON_IsObject(js))
		js = doc;
	st = ag_jstr(js, "state");
	if (cJSON_IsObject(cJSON_GetObjectItem(js, "blob")))
		rc = take_blob(c, cJSON_GetObjectItem(js, "blob"));
	else if (st != NULL && strcmp(st, "JOB_STATE_FAILED") == 0)
		rc = ag_fail(c->ag, AG_DATAERR, "%s: the video service failed "
		    "the video: %s%s%s", c->account, ag_jstr(js, "error") ?
		    ag_jstr(js, "error") : "JOB_STATE_FAILED",
		    ag_jstr(js, "message") ? ": " : "", ag_jstr(js,
		    "message") ? ag_jstr(js, "message") : "");
	else
		rc = AG_FALSE;
out:
	cJSON_Delete(doc);
	http_response_release(&resp);
	return rc;
}

/* The simple path: the file as a blob of the PDS. */
static int
upload_blob(struct upload_ctx *c)
{
	struct http_request req;
	struct http_response resp;
	struct buf url = BUF_INIT;
	struct upload_dry dry = { 200, NULL, "{\"blob\":{\"$type\":\"blob\","
	    "\"ref\":{\"$link\":\"DRY-RUN\"},\"mimeType\":\"video/mp4\","
	    "\"size\":0}}" };
	const char *hv[2] = { "Content-Type: video/mp4", NULL };
	cJSON *doc = NULL;
	int rc;

	if (c->bytes > BLOB_MAX)
		return ag_fail(c->ag, AG_DATAERR, "%s: %lld bytes is over the "
		    "PDS's blob limit of %lld: set upload=service", c->account,
		    (long long)c->bytes, BLOB_MAX);
	buf_addf(&url, "%s/xrpc/com.atproto.repo.uploadBlob", pds(c));
	http_request_init(&req, url.data);
	req.method = "POST";
	req.headers = hv;
	req.body_file = c->video;
	req.idempotent = 1;	/* the same bytes are the same blob */
	rc = authed_send(c, &req, &dry, &resp);
	if (rc == AG_OK && resp.status != 200)
		rc = fail(c, "uploadBlob", &resp);
	else if (rc == AG_OK && (doc = parse(&resp)) != NULL)
		rc = take_blob(c, cJSON_GetObjectItem(doc, "blob"));
	if (rc == AG_OK)
		rc = upload_sent(c, c->bytes);
	cJSON_Delete(doc);
	http_response_release(&resp);
	buf_release(&url);
	return rc;
}

static int
bs_upload(struct upload_ctx *c)
{
	int rc, tries;

	if (strcmp(upload_setting(c, "upload"), "blob") == 0)
		return upload_blob(c);
	for (tries = 0; tries < 3; tries++) {
		if (c->j->session == NULL) {
			if ((rc = upload_video(c)) != AG_OK)
				return rc;
			if (c->j->media_id != NULL)
				return AG_OK;
		} else {
			ag_info(c->ag, "%s: job %s was started already; "
			    "waiting for it", c->account, c->j->session);
		}
		rc = upload_poll(c, "the video service to process the video",
		    job_done, NULL);
		if (rc != AG_NOINPUT && rc != AG_DATAERR)
			return rc;
		/* Gone, or failed: the next attempt sends it anew. */
		upload_journal_set(&c->j->session, NULL);
		c->j->sent = 0;
		if (rc == AG_DATAERR) {
			upload_save(c);
			return rc;
		}
		ag_info(c->ag, "%s: the video service forgot the job; sending "
		    "the video again", c->account);
		if ((rc = upload_save(c)) != AG_OK)
			return rc;
	}
	return ag_fail(c->ag, AG_TEMPFAIL, "%s: the video service keeps "
	    "losing the job; try again later", c->account);
}

/* ---- publish -------------------------------------------------------- */

/* The record key and creation time of this post, made once and kept. */
static int
rkey(struct upload_ctx *c, const char **key, const char **created)
{
	struct ag_sha256 h;
	unsigned char d[32];
	char tid[14], when[AG_TIMEBUF];
	int64_t ms = c->j->created_at > 0 ? c->j->created_at : ag_now_ms();
	int rc;

	if (ag_jstr(c->j->extra, "rkey") == NULL) {
		/* The journal's birth and the marker: the same every run. */
		ag_sha256_init(&h);
		ag_sha256_update(&h, c->marker, strlen(c->marker));
		ag_sha256_final(&h, d);
		bluesky_tid(ms * 1000 + (d[0] << 8 | d[1]) % 1000,
		    (unsigned)(d[2] << 8 | d[3]), tid);
		cJSON_AddStringToObject(c->j->extra, "rkey", tid);
		cJSON_AddStringToObject(c->j->extra, "created_at",
		    ag_time_format((time_t)(ag_now_ms() / 1000), when));
		if ((rc = upload_save(c)) != AG_OK)
			return rc;
	}
	*key = ag_jstr(c->j->extra, "rkey");
	*created = ag_jstr(c->j->extra, "created_at");
	return AG_OK;
}

/* The post is there: its at:// URI, cid and bsky.app URL. */
static void
take_post(struct upload_ctx *c, const char *uri, const char *cid,
    const char *key)
{
	const char *h = upload_secret(c, "handle");
	struct buf url = BUF_INIT;

	if (h == NULL)
		h = upload_secret(c, "identifier");
	buf_addf(&url, "https://bsky.app/profile/%s/post/%s", h ? h : "",
	    key);
	upload_journal_set(&c->remote_id, uri);
	upload_journal_set(&c->url, url.data);
	cJSON_DeleteItemFromObject(c->post, "cid");
	cJSON_DeleteItemFromObject(c->post, "rkey");
	if (cid != NULL)
		cJSON_AddStringToObject(c->post, "cid", cid);
	cJSON_AddStringToObject(c->post, "rkey", key);
	buf_release(&url);
}

/* getRecord: AG_OK (there, taken), AG_FALSE (not there), or an error. */
static int
get_record(struct upload_ctx *c, const char *did, const char *key)
{
	struct http_response resp;
	struct buf url = BUF_INIT;
	cJSON *doc = NULL;
	char err[64];
	int rc;

	buf_addf(&url, "%s/xrpc/com.atproto.repo.getRecord?repo=", pds(c));
	ag_urlencode(&url, did);
	buf_addf(&url, "&collection=" POST "&rkey=%s", key);
	rc = get(c, url.data, 0, "{\"error\":\"RecordNotFound\"}", &resp);
	buf_release(&url);
	if (rc != AG_OK)
		goto out;
	xrpc_error(&resp, err, sizeof(err));
	if (resp.status == 200 && (doc = parse(&resp)) != NULL &&
	    ag_jstr(doc, "uri") != NULL) {
		take_post(c, ag_jstr(doc, "uri"), ag_jstr(doc, "cid"), key);
		rc = AG_OK;
	} else if (c->dry_run || (resp.status == 400 &&
	    strcmp(err, "RecordNotFound") == 0)) {
		rc = AG_FALSE;
	} else {
		rc = fail(c, "getRecord", &resp);
	}
out:
	cJSON_Delete(doc);
	http_response_release(&resp);
	return rc;
}

/* The createRecord body (new). */
static char *
record(struct upload_ctx *c, const char *did, const char *key,
    const char *created)
{
	cJSON *b = cJSON_CreateObject(), *r, *e, *ar, *langs;
	const struct media_probe *p = c->rendition ? &c->rprobe : c->probe;
	const char *lang = upload_setting(c, "language");
	char *text = post_text(c), *alt, *out;

	cJSON_AddStringToObject(b, "repo", did);
	cJSON_AddStringToObject(b, "collection", POST);
	cJSON_AddStringToObject(b, "rkey", key);
	r = cJSON_AddObjectToObject(b, "record");
	cJSON_AddStringToObject(r, "$type", POST);
	cJSON_AddStringToObject(r, "text", text);
	cJSON_AddStringToObject(r, "createdAt", created);
	if (lang != NULL && *lang != '\0') {
		langs = cJSON_AddArrayToObject(r, "langs");
		cJSON_AddItemToArray(langs, cJSON_CreateString(lang));
	}
	cJSON_AddItemToObject(r, "facets", bluesky_facets(text));
	e = cJSON_AddObjectToObject(r, "embed");
	cJSON_AddStringToObject(e, "$type", "app.bsky.embed.video");
	cJSON_AddItemToObject(e, "video", cJSON_Parse(c->j->media_id));
	alt = xstrndup(c->title, bluesky_cut(c->title, strlen(c->title),
	    1000, 10000));
	cJSON_AddStringToObject(e, "alt", alt);
	if (p != NULL && p->width > 0 && p->height > 0) {
		ar = cJSON_AddObjectToObject(e, "aspectRatio");
		cJSON_AddNumberToObject(ar, "width", p->width);
		cJSON_AddNumberToObject(ar, "height", p->height);
	}
	out = cJSON_PrintUnformatted(b);
	cJSON_Delete(b);
	free(text);
	free(alt);
	return out;
}

static int
bs_publish(struct upload_ctx *c)
{
	struct http_request req;
	struct http_response resp;
	struct buf url = BUF_INIT, dryb = BUF_INIT;
	struct upload_dry dry = { 200, NULL, NULL };
	const char *hv[2] = { "Content-Type: application/json", NULL };
	const char *jwt, *did, *key, *created;
	char *body = NULL, err[64];
	cJSON *doc = NULL;
	int rc;

	if ((rc = session(c, &jwt, &did)) != AG_OK ||
	    (rc = rkey(c, &key, &created)) != AG_OK)
		return rc;
	/* A record key taken already is a 500: ask first (§8.5). */
	if (c->j->attempts > 1 && (rc = get_record(c, did, key)) != AG_FALSE)
		return rc;
	body = record(c, did, key, created);
	buf_addf(&url, "%s/xrpc/com.atproto.repo.createRecord", pds(c));
	buf_addf(&dryb, "{\"uri\":\"at://%s/" POST "/%s\",\"cid\":"
	    "\"DRY-RUN\"}", did, key);
	dry.body = dryb.data;
	http_request_init(&req, url.data);
	req.method = "POST";
	req.headers = hv;
	req.body = body;
	req.body_len = strlen(body);
	rc = authed_send(c, &req, &dry, &resp);
	if (rc != AG_OK) {
		/* Sent, maybe made: the next attempt asks getRecord. */
		goto out;
	}
	xrpc_error(&resp, err, sizeof(err));
	if (resp.status == 200 && (doc = parse(&resp)) != NULL &&
	    ag_jstr(doc, "uri") != NULL) {
		take_post(c, ag_jstr(doc, "uri"), ag_jstr(doc, "cid"), key);
	} else if (resp.status >= 500 || (resp.status == 400 &&
	    strstr(buf_str(&resp.body), "already exists") != NULL)) {
		/* A taken key looks like this: is it ours already? */
		rc = fail(c, "createRecord", &resp);
		if (get_record(c, did, key) == AG_OK) {
			ag_clear_error(c->ag);
			rc = AG_OK;
		}
	} else {
		rc = fail(c, "createRecord", &resp);
	}
out:
	http_response_release(&resp);
	cJSON_Delete(doc);
	free(body);
	buf_release(&url);
	buf_release(&dryb);
	return rc;
}

/* After a crash: is the record there?  (The engine does not ask an
 * idempotent platform; bs_publish() asks getRecord itself.) */
static int
bs_find(struct upload_ctx *c)
{
	const char *jwt, *did, *key, *created;
	int rc;

	if ((rc = session(c, &jwt, &did)) != AG_OK ||
	    (rc = rkey(c, &key, &created)) != AG_OK)
		return rc;
	return get_record(c, did, key);
}

static int
bs_status(struct upload_ctx *c, cJSON **out)
{
	const char *uri = c->j->remote_id, *key;
	char did[256];
	int rc;

	if (uri == NULL || strncmp(uri, "at://", 5) != 0 ||
	    (key = strrchr(uri, '/')) == NULL)
		return ag_fail(c->ag, AG_DATAERR, "%s: no record to ask about",
		    c->account);
	snprintf(did, sizeof(did), "%.*s", (int)strcspn(uri + 5, "/"),
	    uri + 5);
	rc = get_record(c, did, key + 1);
	if (rc != AG_OK && rc != AG_FALSE)
		return rc;
	*out = upload_status_doc(rc == AG_OK, "uri", rc == AG_OK ?
	    cJSON_CreateString(c->remote_id) : NULL, NULL);
	return AG_OK;
}

const struct platform_ops platform_bluesky = {
	.name = "bluesky",
	.summary = "Bluesky: the video service, then a post record with "
	    "our own record key",
	.auth = PLATFORM_AUTH_PASSWORD,
	.flags = PF_IDEMPOTENT,
	.settings = settings,
	.limits = &limits,
	.upload = bs_upload,
	.publish = bs_publish,
	.find_existing = bs_find,
	.status = bs_status,
};
