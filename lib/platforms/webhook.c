/*
 * webhook.c - POST the production and its video to a URL, signed.
 *
 * One request per post: by default a multipart/form-data body with the
 * part "document" (the agency.production, with a "delivery" member
 * saying which account, content and video it is) and the part "video"
 * (the file, streamed from disk); with body=json, the document alone,
 * the video named and hashed but not sent (for receivers that fetch it
 * themselves, or that cannot take files, like adnanh/webhook).
 *
 * The body is signed as GitHub signs its webhooks:
 *
 *	X-Signature-256: sha256=HEX(HMAC-SHA256(secret, body))
 *
 * over the exact bytes sent (the video is read once for the signature
 * and once to send it).  X-Agency-Delivery carries the post's marker,
 * the same on every attempt: a receiver drops a delivery it has seen.
 * A webhook cannot be asked whether a delivery arrived, so after a crash
 * or a timeout in publishing the delivery is sent again with the same
 * id when redeliver is true (the default), and otherwise the run stops
 * with 75 and leaves it to the user.
 */
#include <stdlib.h>
#include <string.h>

#include "agency.h"
#include "platforms/platform.h"

static const struct platform_setting settings[] = {
	{ "body", "multipart", "multipart (the document and the video) or "
	    "json (the document only)", 0 },
	{ "redeliver", "true", "after a crash, deliver again with the same "
	    "X-Agency-Delivery (the receiver drops duplicates)", 0 },
	{ "signature_header", "X-Signature-256", "the header that carries "
	    "sha256=HMAC", 0 },
	{ "url", NULL, "where to POST", SETTING_REQUIRED },
	{ NULL, NULL, NULL, 0 }
};

/* The document sent: the production and what this delivery is. */
static char *
document(struct upload_ctx *c, const char *sha)
{
	cJSON *doc = cJSON_Duplicate(c->production, 1), *d;
	char *text;

	cJSON_DeleteItemFromObject(doc, "delivery");
	d = cJSON_AddObjectToObject(doc, "delivery");
	cJSON_AddStringToObject(d, "id", c->marker);
	cJSON_AddStringToObject(d, "account", c->account);
	cJSON_AddStringToObject(d, "content_id", c->content_id);
	cJSON_AddStringToObject(d, "title", c->title);
	cJSON_AddStringToObject(d, "video", upload_base_name(c->video));
	cJSON_AddNumberToObject(d, "bytes", (double)c->bytes);
	if (sha != NULL)
		cJSON_AddStringToObject(d, "sha256", sha);
	text = cJSON_PrintUnformatted(doc);
	cJSON_Delete(doc);
	return text;
}

static int
wh_upload(struct upload_ctx *c)
{
	/* Nothing goes ahead of the one request. */
	upload_journal_set(&c->j->media_id, c->marker);
	return AG_OK;
}

static int
wh_publish(struct upload_ctx *c)
{
	const char *secret = upload_secret(c, "secret");
	const char *mode = upload_setting(c, "body");
	int multipart = strcmp(mode, "json") != 0;
	struct http_request req;
	struct http_response resp;
	struct http_part parts[3];
	struct buf pre = BUF_INIT, post = BUF_INIT, ct = BUF_INIT;
	struct buf sig = BUF_INIT, hex = BUF_INIT, dl = BUF_INIT;
	struct ag_hmac h;
	unsigned char mac[32];
	char sha[AG_SHA256_HEX], *doc = NULL;
	const char *hv[6];
	cJSON *answer = NULL;
	int rc;

	if (!c->dry_run && (rc = ag_sha256_file(c->ag, c->video, sha)) !=
	    AG_OK)
		return rc;
	doc = document(c, c->dry_run ? NULL : sha);
	memset(parts, 0, sizeof(parts));
	if (multipart) {
		buf_addf(&pre, "--%s\r\nContent-Disposition: form-data; "
		    "name=\"document\"\r\nContent-Type: application/json\r\n"
		    "\r\n%s\r\n--%s\r\nContent-Disposition: form-data; "
		    "name=\"video\"; filename=\"%s\"\r\nContent-Type: "
		    "application/octet-stream\r\n\r\n", c->marker, doc,
		    c->marker, upload_base_name(c->video));
		buf_addf(&post, "\r\n--%s--\r\n", c->marker);
		buf_addf(&ct, "Content-Type: multipart/form-data; "
		    "boundary=%s", c->marker);
		parts[0].data = pre.data;
		parts[0].len = pre.len;
		parts[1].file = c->video;
		parts[1].length = -1;
		parts[2].data = post.data;
		parts[2].len = post.len;
	} else {
		buf_addstr(&ct, "Content-Type: application/json");
	}
	/* The signature covers exactly the bytes that go out. */
	ag_hmac_init(&h, secret ? secret : "", secret ? strlen(secret) : 0);
	if (multipart) {
		ag_hmac_update(&h, pre.data, pre.len);
		if (!c->dry_run) {
			struct ag_sha256 *inner = &h.inner;

			if ((rc = ag_sha256_file_region(c->ag, c->video, 0, -1,
			    inner)) != AG_OK)
				goto out;
		}
		ag_hmac_update(&h, post.data, post.len);
	} else {
		ag_hmac_update(&h, doc, strlen(doc));
	}
	ag_hmac_final(&h, mac);
	ag_hex(&hex, mac, sizeof(mac));
	buf_addf(&sig, "%s: sha256=%s", upload_setting(c, "signature_header"),
	    hex.data);
	buf_addf(&dl, "X-Agency-Delivery: %s", c->marker);
	hv[0] = ct.data;
	hv[1] = sig.data;
	hv[2] = dl.data;
	hv[3] = "X-Agency-Event: agency.production";
	hv[4] = NULL;
	http_request_init(&req, upload_setting(c, "url"));
	req.method = "POST";
	req.headers = hv;
	if (multipart) {
		req.parts = parts;
		req.nparts = 3;
	} else {
		req.body = doc;
		req.body_len = strlen(doc);
	}
	rc = upload_send(c, &req, 0, NULL, &resp);
	if (rc != AG_OK)
		goto out;	/* the network: maybe delivered (75) */
	if (resp.status < 200 || resp.status >= 300) {
		rc = upload_http_error(c, "POST", &resp, NULL);
		if (resp.status == 401 || resp.status == 403)
			rc = ag_fail(c->ag, AG_NOPERM, "%s: the receiver "
			    "refused the delivery (HTTP %ld): check the "
			    "secret", c->account, resp.status);
		goto out;
	}
	answer = cJSON_ParseWithLength(buf_str(&resp.body), resp.body.len);
	upload_journal_set(&c->remote_id, ag_jstr(answer, "id") ?
	    ag_jstr(answer, "id") : c->marker);
	upload_journal_set(&c->url, ag_jstr(answer, "url"));
	cJSON_AddStringToObject(c->post, "delivery", c->marker);
	cJSON_AddNumberToObject(c->post, "status", (double)resp.status);
out:
	cJSON_Delete(answer);
	http_response_release(&resp);
	cJSON_free(doc);
	buf_release(&pre);
	buf_release(&post);
	buf_release(&ct);
	buf_release(&sig);
	buf_release(&hex);
	buf_release(&dl);
	return rc;
}

/* A receiver cannot be asked; redeliver (AG_FALSE) or stop (75). */
static int
wh_find(struct upload_ctx *c)
{
	if (upload_setting_bool(c, "redeliver", 1)) {
		ag_info(c->ag, "%s: delivering again as %s", c->account,
		    c->marker);
		return AG_FALSE;
	}
	return ag_fail(c->ag, AG_TEMPFAIL, "%s: the delivery %s may have "
	    "arrived and a webhook cannot say; set redeliver=true to send it "
	    "again", c->account, c->marker);
}

const struct platform_ops platform_webhook = {
	.name = "webhook",
	.summary = "POST the production and the video to a URL, "
	    "HMAC-SHA256 signed",
	.auth = PLATFORM_AUTH_SECRET,
	.settings = settings,
	.upload = wh_upload,
	.publish = wh_publish,
	.find_existing = wh_find,
};
