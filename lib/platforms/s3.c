/*
 * s3.c - any S3-compatible store: objects signed with SigV4
 * (../shared/reference/platforms.md §9, servers/README.md §3).
 *
 * A post is the objects PREFIX/CONTENT_ID/NAME: the video, its
 * subtitles and thumbnail, production.json.  upload() puts the small
 * files, then, for a video over multipart_threshold, starts a multipart
 * upload (its UploadId journalled before the first part) and sends the
 * parts, each part's ETag journalled as it is acknowledged; a resumed
 * run asks the store (ListParts) which parts it holds and sends the
 * rest.  publish() makes the video object appear: CompleteMultipartUpload,
 * or one PUT for a small video.
 *
 * Never twice, never overwrite: every object is written with
 * If-None-Match: *, so the store refuses (412) to replace an object
 * that exists, and carries x-amz-meta-agency-marker.  A refusal is
 * then settled with a HEAD: our marker means a run that died before
 * recording it had written it (done); another marker, or none, means
 * someone else's object, and we stop (exit 73) rather than overwrite
 * it.  Stores that ignore If-None-Match on CompleteMultipartUpload (Ceph
 * 16) get the HEAD first.  So publish() may always be sent again
 * (PF_IDEMPOTENT).
 *
 * libcurl 7.88 signs (CURLOPT_AWS_SIGV4) but neither hashes a streamed
 * body nor sends x-amz-content-sha256: we hash each body (a file region
 * is read once more for it) and send the header; query strings are
 * written sorted with explicit '=' ("?uploads=").
 */
#include <stdlib.h>
#include <string.h>

#include "agency.h"
#include "platforms/platform.h"

#define EMPTY_SHA256 \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define MIN_PART (5LL << 20)

static const struct platform_setting settings[] = {
	{ "bucket", NULL, "the bucket", SETTING_REQUIRED },
	{ "endpoint", NULL, "the store's URL (https://s3.eu-west-1."
	    "amazonaws.com, http://127.0.0.1:7480)", SETTING_REQUIRED },
	{ "multipart_threshold", "16777216", "videos larger than this many "
	    "bytes go up in parts", 0 },
	{ "part_size", "8388608", "bytes per part (at least 5 MiB)", 0 },
	{ "prefix", "", "a prefix for every key (\"posts/\")", 0 },
	{ "public_url", NULL, "the URL the objects are seen under (default "
	    "ENDPOINT/BUCKET)", 0 },
	{ "region", "us-east-1", "the region in the signature", 0 },
	{ NULL, NULL, NULL, 0 }
};

static const struct media_limits limits = {
	.max_bytes = 5LL * 1024 * 1024 * 1024 * 1024,
};

struct s3 {
	struct upload_ctx *c;
	char sigv4[96];
	char *userpwd;
};

static void
s3_init(struct s3 *s, struct upload_ctx *c)
{
	memset(s, 0, sizeof(*s));
	s->c = c;
	snprintf(s->sigv4, sizeof(s->sigv4), "aws:amz:%s:s3",
	    upload_setting(c, "region"));
	s->userpwd = xasprintf("%s:%s", upload_secret(c, "access_key") ?
	    upload_secret(c, "access_key") : "",
	    upload_secret(c, "secret_key") ? upload_secret(c, "secret_key") :
	    "");
	ag_secret_add(s->userpwd);
}

static void
s3_release(struct s3 *s)
{
	if (s->userpwd != NULL)
		explicit_bzero(s->userpwd, strlen(s->userpwd));
	free(s->userpwd);
}

/* The key of a file of this post (new string, not encoded). */
static char *
key_of(struct upload_ctx *c, const char *name)
{
	return xasprintf("%s%s/%s", upload_setting(c, "prefix"),
	    c->content_id, name);
}

/* ENDPOINT/BUCKET/KEY with the key's segments percent-encoded. */
static void
object_url(struct upload_ctx *c, const char *key, const char *base,
    struct buf *out)
{
	const char *p, *e;
	char *seg;
	size_t n;

	if (base == NULL) {
		base = upload_setting(c, "endpoint");
		n = strlen(base);
		while (n > 0 && base[n - 1] == '/')
			n--;
		buf_addf(out, "%.*s/", (int)n, base);
		ag_urlencode(out, upload_setting(c, "bucket"));
	} else {
		n = strlen(base);
		while (n > 0 && base[n - 1] == '/')
			n--;
		buf_addf(out, "%.*s", (int)n, base);
	}
	for (p = key; *p != '\0'; p = *e ? e + 1 : e) {
		e = p + strcspn(p, "/");
		seg = xstrndup(p, (size_t)(e - p));
		buf_addch(out, '/');
		ag_urlencode(out, seg);
		free(seg);
	}
}

static const char *
mime(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ ".mp4", "video/mp4" }, { ".mov", "video/quicktime" },
		{ ".webm", "video/webm" }, { ".srt", "application/x-subrip" },
		{ ".vtt", "text/vtt" }, { ".jpg", "image/jpeg" },
		{ ".jpeg", "image/jpeg" }, { ".png", "image/png" },
		{ ".json", "application/json" },
	};
	const char *dot = strrchr(name, '.');
	size_t i;

	for (i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

/*
 * One signed request.  Body: data/len in memory, or len bytes of file
 * from off.  extra: more headers, NULL-ended.  The payload hash is ours.
 */
static int
s3_send(struct s3 *s, const char *method, const char *url,
    const char *const *extra, const char *data, size_t len,
    const char *file, int64_t off, int64_t flen,
    const struct upload_dry *dry, struct http_response *resp)
{
	struct upload_ctx *c = s->c;
	struct http_request req;
	struct buf sha = BUF_INIT;
	const char *h[12];
	char hex[AG_SHA256_HEX];
	size_t n = 0;
	int rc;

	if (file != NULL && !c->dry_run) {
		struct ag_sha256 ctx;

		ag_sha256_init(&ctx);
		if ((rc = ag_sha256_file_region(c->ag, file, off, flen,
		    &ctx)) != AG_OK) {
			memset(resp, 0, sizeof(*resp));
			return rc;
		}
		ag_sha256_hex(&ctx, hex);
	} else if (data != NULL && len > 0) {
		struct ag_sha256 ctx;

		ag_sha256_init(&ctx);
		ag_sha256_update(&ctx, data, len);
		ag_sha256_hex(&ctx, hex);
	} else if (file != NULL) {	/* a dry run: not worth reading */
		snprintf(hex, sizeof(hex), "(the body's SHA-256)");
	} else {
		snprintf(hex, sizeof(hex), "%s", EMPTY_SHA256);
	}
	buf_addf(&sha, "x-amz-content-sha256: %s", hex);
	h[n++] = sha.data;
	for (; extra != NULL && *extra != NULL && n < 11; extra++)
		h[n++] = *extra;
	h[n] = NULL;
	http_request_init(&req, url);
	req.method = method;
	req.headers = h;
	req.aws_sigv4 = s->sigv4;
	req.userpwd = s->userpwd;
	if (file != NULL) {
		req.body_file = file;
		req.body_offset = off;
		req.body_length = flen;
	} else if (data != NULL || strcmp(method, "POST") == 0) {
		req.body = data ? data : "";
		req.body_len = len;
	}
	if (strcmp(method, "POST") == 0)
		req.idempotent = 1;	/* S3's POSTs here may be sent again */
	rc = upload_send(c, &req, 0, dry, resp);
	buf_release(&sha);
	return rc;
}

/* An S3 error answer as our error, with a fitting status. */
static int
s3_error(struct s3 *s, const char *step, const struct http_response *resp)
{
	char *code = upload_xml_text(buf_str(&resp->body), "Code", NULL);
	int rc;

	rc = upload_http_error(s->c, step, resp, NULL);
	if (resp->status == 403 && code != NULL && (strcmp(code,
	    "SignatureDoesNotMatch") == 0 || strcmp(code,
	    "InvalidAccessKeyId") == 0 || strcmp(code, "AccessDenied") == 0))
		rc = ag_fail(s->c->ag, AG_NOPERM, "%s: %s: %s: check the keys "
		    "('agency-upload auth %s --user KEY_ID')", s->c->account,
		    step, code, s->c->account);
	else if (resp->status == 503 || (code && strcmp(code, "SlowDown") ==
	    0))
		rc = ag_fail(s->c->ag, AG_TEMPFAIL, "%s: %s: the store is "
		    "throttling (SlowDown); try again later", s->c->account,
		    step);
	free(code);
	return rc;
}

/*
 * HEAD an object: 1 when it is there with our marker, 0 when absent,
 * -1 when it is someone else's (AG_OK in all three), or an error.
 */
static int
whose(struct s3 *s, const char *url, int *owner)
{
	struct http_response resp;
	struct upload_dry dry = { 404, NULL, "" };
	char v[256];
	int rc;

	rc = s3_send(s, "HEAD", url, NULL, NULL, 0, NULL, 0, 0, &dry, &resp);
	if (rc != AG_OK)
		goto out;
	if (resp.status == 404)
		*owner = 0;
	else if (resp.status == 200)
		*owner = http_header(&resp, "x-amz-meta-agency-marker", v,
		    sizeof(v)) != NULL && strcmp(v, s->c->marker) == 0 ? 1 : -1;
	else
		rc = s3_error(s, "HEAD", &resp);
out:
	http_response_release(&resp);
	return rc;
}

static int
not_ours(struct s3 *s, const char *key)
{
	return ag_fail(s->c->ag, AG_CANTCREAT, "%s: the object '%s' exists "
	    "and is not this post's: not overwriting it", s->c->account, key);
}

/* PUT one whole object, never over another. */
static int
put_object(struct s3 *s, const char *key, const char *data, size_t len,
    const char *file, int64_t flen)
{
	struct http_response resp;
	struct buf url = BUF_INIT, ct = BUF_INIT, mk = BUF_INIT;
	const char *h[5];
	int rc, owner = 0;

	object_url(s->c, key, NULL, &url);
	buf_addf(&ct, "Content-Type: %s", mime(key));
	buf_addf(&mk, "x-amz-meta-agency-marker: %s", s->c->marker);
	h[0] = ct.data;
	h[1] = mk.data;
	h[2] = "If-None-Match: *";
	h[3] = NULL;
	rc = s3_send(s, "PUT", url.data, h, data, len, file, 0, flen, NULL,
	    &resp);
	if (rc != AG_OK)
		goto out;
	if (resp.status == 412 || resp.status == 409) {
		/* There already: ours from a run that died, or not. */
		if ((rc = whose(s, url.data, &owner)) == AG_OK && owner != 1)
			rc = owner == 0 ? ag_fail(s->c->ag, AG_TEMPFAIL, "%s: "
			    "'%s' is being written by someone else",
			    s->c->account, key) : not_ours(s, key);
	} else if (resp.status != 200) {
		rc = s3_error(s, "PUT", &resp);
	}
out:
	http_response_release(&resp);
	buf_release(&url);
	buf_release(&ct);
	buf_release(&mk);
	return rc;
}

/* The small files: sidecars and production.json. */
static int
put_small(struct s3 *s)
{
	struct upload_ctx *c = s->c;
	const char *side[3] = { c->srt, c->vtt, c->thumbnail };
	char *key, *text;
	const cJSON *done;
	int rc = AG_OK, i;

	done = cJSON_GetObjectItem(c->j->extra, "small");
	if (cJSON_IsTrue(done))
		return AG_OK;
	for (i = 0; rc == AG_OK && i < 3; i++) {
		if (side[i] == NULL)
			continue;
		key = key_of(c, upload_base_name(side[i]));
		rc = put_object(s, key, NULL, 0, side[i], -1);
		free(key);
	}
	if (rc != AG_OK)
		return rc;
	text = cJSON_PrintUnformatted(c->production);
	key = key_of(c, "production.json");
	rc = put_object(s, key, text, strlen(text), NULL, 0);
	free(key);
	cJSON_free(text);
	if (rc == AG_OK) {
		cJSON_AddTrueToObject(c->j->extra, "small");
		rc = upload_save(c);
	}
	return rc;
}

/* Start a multipart upload: the UploadId goes in the journal first. */
static int
create_multipart(struct s3 *s, const char *url)
{
	struct upload_ctx *c = s->c;
	struct http_response resp;
	struct buf u = BUF_INIT, ct = BUF_INIT, mk = BUF_INIT;
	struct upload_dry dry = { 200, NULL,
	    "<InitiateMultipartUploadResult><UploadId>DRY-RUN</UploadId>"
	    "</InitiateMultipartUploadResult>" };
	const char *h[3];
	char *id = NULL;
	int rc;

	buf_addf(&u, "%s?uploads=", url);
	buf_addf(&ct, "Content-Type: %s", mime(c->video));
	buf_addf(&mk, "x-amz-meta-agency-marker: %s", c->marker);
	h[0] = ct.data;
	h[1] = mk.data;
	h[2] = NULL;
	rc = s3_send(s, "POST", u.data, h, NULL, 0, NULL, 0, 0, &dry, &resp);
	if (rc == AG_OK && resp.status != 200)
		rc = s3_error(s, "CreateMultipartUpload", &resp);
	if (rc == AG_OK && (id = upload_xml_text(buf_str(&resp.body),
	    "UploadId", NULL)) == NULL)
		rc = ag_fail(c->ag, AG_TEMPFAIL, "%s: CreateMultipartUpload: "
		    "no UploadId in the answer", c->account);
	if (rc == AG_OK) {
		upload_journal_set(&c->j->session, id);
		cJSON_DeleteItemFromObject(c->j->extra, "parts");
		cJSON_AddArrayToObject(c->j->extra, "parts");
		cJSON_DeleteItemFromObject(c->j->extra, "part_size");
		cJSON_AddNumberToObject(c->j->extra, "part_size",
		    (double)upload_setting_int(c, "part_size", 8 << 20));
		c->j->sent = 0;
		rc = upload_save(c);
		upload_crash(c, "s3-created");
	}
	free(id);
	http_response_release(&resp);
	buf_release(&u);
	buf_release(&ct);
	buf_release(&mk);
	return rc;
}

/* The ETag of part n as journalled, or NULL. */
static const char *
part_etag(struct upload_ctx *c, long n)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, cJSON_GetObjectItem(c->j->extra, "parts"))
		if ((long)cJSON_GetNumberValue(cJSON_GetObjectItem(p, "n")) ==
		    n)
			return ag_jstr(p, "etag");
	return NULL;
}

static void
set_part(struct upload_ctx *c, long n, const char *etag)
{
	cJSON *parts = cJSON_GetObjectItem(c->j->extra, "parts"), *p;

	if (parts == NULL)
		parts = cJSON_AddArrayToObject(c->j->extra, "parts");
	p = cJSON_CreateObject();
	cJSON_AddNumberToObject(p, "n", (double)n);
	cJSON_AddStringToObject(p, "etag", etag);
	cJSON_AddItemToArray(parts, p);
}

/*
 * What the store holds of the upload (ListParts): the parts of the
 * right size replace the journal's list.  *gone when it has no such
 * upload any more.
 */
static int
list_parts(struct s3 *s, const char *url, int64_t psize, int *gone)
{
	struct upload_ctx *c = s->c;
	struct http_response resp;
	struct buf u = BUF_INIT;
	struct upload_dry dry = { 200, NULL, "<ListPartsResult>"
	    "</ListPartsResult>" };
	const char *from;
	char *part, *num, *etag, *size, *marker = NULL, *trunc;
	int rc = AG_OK, more = 1;
	int64_t total = 0, nparts = (c->bytes + psize - 1) / psize;

	*gone = 0;
	cJSON_DeleteItemFromObject(c->j->extra, "parts");
	cJSON_AddArrayToObject(c->j->extra, "parts");
	while (more && rc == AG_OK) {
		buf_reset(&u);
		buf_addf(&u, "%s?%s%s%suploadId=", url, marker ?
		    "part-number-marker=" : "", marker ? marker : "",
		    marker ? "&" : "");
		ag_urlencode(&u, c->j->session);
		rc = s3_send(s, "GET", u.data, NULL, NULL, 0, NULL, 0, 0, &dry,
		    &resp);
		if (rc != AG_OK)
			break;
		if (resp.status == 404) {
			*gone = 1;
			break;
		}
		if (resp.status != 200) {
			rc = s3_error(s, "ListParts", &resp);
			break;
		}
		from = buf_str(&resp.body);
		while ((part = upload_xml_text(from, "Part", &from)) != NULL) {
			long long n, sz;

			num = upload_xml_text(part, "PartNumber", NULL);
			etag = upload_xml_text(part, "ETag", NULL);
			size = upload_xml_text(part, "Size", NULL);
			if (num && etag && size && ag_parse_ll(num, 1, 10000,
			    &n) == 0 && ag_parse_ll(size, 0, INT64_MAX, &sz) ==
			    0 && (sz == psize || (n == nparts && sz ==
			    c->bytes - (n - 1) * psize))) {
				set_part(c, (long)n, etag);
				total += sz;
			}
			free(num);
			free(etag);
			free(size);
			free(part);
		}
		trunc = upload_xml_text(buf_str(&resp.body), "IsTruncated",
		    NULL);
		more = trunc != NULL && strcmp(trunc, "true") == 0;
		free(trunc);
		free(marker);
		marker = upload_xml_text(buf_str(&resp.body),
		    "NextPartNumberMarker", NULL);
		if (marker == NULL)
			more = 0;
		http_response_release(&resp);
	}
	http_response_release(&resp);
	free(marker);
	buf_release(&u);
	c->j->sent = total;
	return rc;
}

static int
put_parts(struct s3 *s, const char *url, int64_t psize)
{
	struct upload_ctx *c = s->c;
	struct http_response resp;
	struct buf u = BUF_INIT;
	struct upload_dry dry = { 200, "ETag: \"DRY-RUN\"\r\n", "" };
	int64_t nparts = (c->bytes + psize - 1) / psize, off, len, sent = 0;
	char etag[256];
	long n;
	int rc = AG_OK;

	for (n = 1; n <= nparts && rc == AG_OK; n++) {
		off = (n - 1) * psize;
		len = c->bytes - off < psize ? c->bytes - off : psize;
		if (part_etag(c, n) != NULL) {
			sent += len;
			continue;
		}
		buf_reset(&u);
		buf_addf(&u, "%s?partNumber=%ld&uploadId=", url, n);
		ag_urlencode(&u, c->j->session);
		rc = s3_send(s, "PUT", u.data, NULL, NULL, 0, c->video, off,
		    len, &dry, &resp);
		if (rc == AG_OK && resp.status != 200)
			rc = s3_error(s, "UploadPart", &resp);
		if (rc == AG_OK && http_header(&resp, "etag", etag,
		    sizeof(etag)) == NULL)
			rc = ag_fail(c->ag, AG_TEMPFAIL, "%s: UploadPart %ld: "
			    "no ETag in the answer", c->account, n);
		if (rc == AG_OK) {
			set_part(c, n, etag);
			sent += len;
			rc = upload_sent(c, sent);
			upload_crash(c, "s3-part");
		}
		http_response_release(&resp);
	}
	buf_release(&u);
	return rc;
}

static int
s3_upload(struct upload_ctx *c)
{
	struct s3 s;
	struct buf url = BUF_INIT;
	char *key;
	int64_t psize;
	int rc, gone = 0, owner = 0;

	s3_init(&s, c);
	if ((rc = put_small(&s)) != AG_OK)
		goto out;
	key = key_of(c, upload_base_name(c->video));
	object_url(c, key, NULL, &url);
	free(key);
	if (c->bytes <= upload_setting_int(c, "multipart_threshold",
	    16 << 20)) {
		/* One PUT, in publish(). */
		upload_journal_set(&c->j->media_id, "put");
		goto out;
	}
	psize = upload_setting_int(c, "part_size", 8 << 20);
	if (c->j->session != NULL) {
		const cJSON *ps = cJSON_GetObjectItem(c->j->extra, "part_size");

		psize = cJSON_IsNumber(ps) ? (int64_t)ps->valuedouble : psize;
		if ((rc = list_parts(&s, url.data, psize, &gone)) != AG_OK)
			goto out;
		if (gone) {
			/* Completed by a run that died, or expired. */
			if ((rc = whose(&s, url.data, &owner)) != AG_OK)
				goto out;
			if (owner == 1) {
				upload_journal_set(&c->j->media_id, "done");
				goto out;
			}
			upload_journal_set(&c->j->session, NULL);
		} else if (c->j->sent > 0) {
			ag_info(c->ag, "%s: the store holds %lld of %lld "
			    "bytes; going on", c->account,
			    (long long)c->j->sent, (long long)c->bytes);
		}
	}
	if (psize < MIN_PART) {
		rc = ag_fail(c->ag, AG_CONFIG, "%s: part_size %lld is under "
		    "the 5 MiB S3 takes", c->account, (long long)psize);
		goto out;
	}
	if (c->j->session == NULL &&
	    (rc = create_multipart(&s, url.data)) != AG_OK)
		goto out;
	if ((rc = put_parts(&s, url.data, psize)) == AG_OK)
		upload_journal_set(&c->j->media_id, c->j->session);
out:
	buf_release(&url);
	s3_release(&s);
	return rc;
}

/* The body of CompleteMultipartUpload, parts in order. */
static void
complete_body(struct upload_ctx *c, int64_t nparts, struct buf *out)
{
	long n;

	buf_addstr(out, "<CompleteMultipartUpload>");
	for (n = 1; n <= nparts; n++)
		buf_addf(out, "<Part><PartNumber>%ld</PartNumber><ETag>%s"
		    "</ETag></Part>", n, part_etag(c, n) ? part_etag(c, n) :
		    "");
	buf_addstr(out, "</CompleteMultipartUpload>");
}

static int
complete(struct s3 *s, const char *url)
{
	struct upload_ctx *c = s->c;
	const cJSON *ps = cJSON_GetObjectItem(c->j->extra, "part_size");
	int64_t psize = cJSON_IsNumber(ps) ? (int64_t)ps->valuedouble :
	    8 << 20;
	struct http_response resp;
	struct buf u = BUF_INIT, body = BUF_INIT;
	struct upload_dry dry = { 200, NULL,
	    "<CompleteMultipartUploadResult></CompleteMultipartUploadResult>" };
	const char *h[3];
	char *err;
	int rc, owner = 0;

	complete_body(c, (c->bytes + psize - 1) / psize, &body);
	buf_addf(&u, "%s?uploadId=", url);
	ag_urlencode(&u, c->j->session);
	h[0] = "Content-Type: application/xml";
	h[1] = "If-None-Match: *";
	h[2] = NULL;
	rc = s3_send(s, "POST", u.data, h, body.data, body.len, NULL, 0, 0,
	    &dry, &resp);
	if (rc != AG_OK)
		goto out;
	/* A 200 may still carry an <Error> (a completion that failed). */
	err = upload_xml_text(buf_str(&resp.body), "Error", NULL);
	if (resp.status == 200 && err == NULL) {
		upload_crash(c, "s3-completed");
	} else if (resp.status == 404 || resp.status == 412 ||
	    resp.status == 409) {
		/* Completed already (by a run that died), or not ours. */
		if ((rc = whose(s, url, &owner)) == AG_OK && owner != 1) {
			if (owner == 0) {
				/* The upload is gone, the object too: again. */
				upload_journal_set(&c->j->media_id, NULL);
				upload_journal_set(&c->j->session, NULL);
				rc = ag_fail(c->ag, AG_IOERR, "%s: the "
				    "multipart upload vanished before it was "
				    "completed; run again to upload anew",
				    c->account);
			} else {
				rc = not_ours(s, url);
			}
		}
	} else {
		rc = s3_error(s, "CompleteMultipartUpload", &resp);
		if (rc != AG_TEMPFAIL && resp.status == 200)
			rc = AG_TEMPFAIL;	/* an <Error> in a 200 */
	}
	free(err);
out:
	http_response_release(&resp);
	buf_release(&u);
	buf_release(&body);
	return rc;
}

static int
s3_publish(struct upload_ctx *c)
{
	struct s3 s;
	struct buf url = BUF_INIT, pub = BUF_INIT;
	char *key = key_of(c, upload_base_name(c->video));
	int rc = AG_OK, owner = 0;

	s3_init(&s, c);
	object_url(c, key, NULL, &url);
	if (strcmp(c->j->media_id, "put") == 0) {
		rc = put_object(&s, key, NULL, 0, c->video, -1);
	} else if (strcmp(c->j->media_id, "done") != 0) {
		/* Stores that ignore If-None-Match here: look first. */
		if ((rc = whose(&s, url.data, &owner)) == AG_OK) {
			if (owner == -1)
				rc = not_ours(&s, key);
			else if (owner == 0)
				rc = complete(&s, url.data);
		}
	}
	if (rc == AG_OK) {
		object_url(c, key, upload_setting(c, "public_url"), &pub);
		upload_journal_set(&c->remote_id, key);
		upload_journal_set(&c->url, upload_setting(c, "public_url") ?
		    pub.data : url.data);
		cJSON_AddStringToObject(c->post, "bucket",
		    upload_setting(c, "bucket"));
		cJSON_AddStringToObject(c->post, "key", key);
	}
	free(key);
	buf_release(&url);
	buf_release(&pub);
	s3_release(&s);
	return rc;
}

static int
s3_find(struct upload_ctx *c)
{
	struct s3 s;
	struct buf url = BUF_INIT;
	char *key = key_of(c, upload_base_name(c->video));
	int rc, owner = 0;

	s3_init(&s, c);
	object_url(c, key, NULL, &url);
	rc = whose(&s, url.data, &owner);
	if (rc == AG_OK && owner == 1) {
		upload_journal_set(&c->remote_id, key);
		upload_journal_set(&c->url, url.data);
	} else if (rc == AG_OK) {
		rc = AG_FALSE;
	}
	free(key);
	buf_release(&url);
	s3_release(&s);
	return rc;
}

static int
s3_status(struct upload_ctx *c, cJSON **out)
{
	int rc = s3_find(c);

	if (rc != AG_OK && rc != AG_FALSE)
		return rc;
	*out = upload_status_doc(rc == AG_OK, NULL, NULL, NULL);
	return AG_OK;
}

const struct platform_ops platform_s3 = {
	.name = "s3",
	.summary = "any S3-compatible store: objects signed with SigV4, "
	    "never overwritten",
	.auth = PLATFORM_AUTH_KEYS,
	.flags = PF_IDEMPOTENT,
	.settings = settings,
	.limits = &limits,
	.upload = s3_upload,
	.publish = s3_publish,
	.find_existing = s3_find,
	.status = s3_status,
};
