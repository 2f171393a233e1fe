/*
 * graph.h - the Meta Graph API conventions that instagram.c and
 * facebook.c share (../shared/reference/platforms.md §3, §4, §10.3).
 *
 * Every call goes to API_URL/VERSION/... (the settings api_url and
 * graph_version, GRAPH_SETTINGS below) with the account's token as a
 * bearer header.  An error answer is the Graph envelope
 *
 *	{"error": {"message", "type", "code", "error_subcode",
 *	    "is_transient", "fbtrace_id"}}
 *
 * whatever the HTTP status (usually 400), so the class of a failure is
 * read from its code, not from the status: 4, 17, 32, 613 and 80001 to
 * 80014 are rate limits (waited out as the X-Business-Use-Case-Usage,
 * X-App-Usage or X-Page-Usage headers say, through upload_wait(): a
 * long one is exit 75), 190 (and 102) a dead token (the account is
 * marked needs_reconnect, exit 77), is_transient or codes 1 and 2 a
 * passing failure (exit 75), the rest a refusal with Meta's message
 * (exit 65).
 *
 * Files go up by Meta's resumable upload (rupload.facebook.com, or an
 * "upload:ID" session of the Resumable Upload API): one POST of the
 * bytes from an offset to the end, "Authorization: OAuth TOKEN", the
 * offset in a header (offset or file_offset) and file_size; after an
 * interruption a GET asks the session where it stands and the rest is
 * sent from there.
 *
 * Ownership as in platform.h: what the functions return through out
 * parameters is new; the caller frees it.
 */
#ifndef AG_GRAPH_H
#define AG_GRAPH_H

struct buf;
struct cJSON;
struct http_response;
struct upload_ctx;

/* The settings every Meta platform takes (in its settings[]). */
#define GRAPH_SETTINGS \
	{ "api_url", "https://graph.facebook.com", "the Graph API's base " \
	    "URL", 0 }, \
	{ "graph_version", "v26.0", "the Graph API version in every URL", \
	    0 }

/* What a Graph error answer says (zeros and "" when it is not one). */
struct graph_error {
	long code, subcode;
	int transient;
	char type[64];
	char message[512];
	char trace[64];			/* fbtrace_id */
};

/* Read resp's Graph error; 1 when it had one, 0 otherwise. */
int graph_error_parse(const struct http_response *resp,
    struct graph_error *e);

/*
 * graph_url() - out (reset first) is the setting base's URL (api_url,
 * or another setting of the same kind), the graph version and the path
 * fmt formats: "https://graph.facebook.com/v26.0/17841.../media".
 */
void graph_url(struct upload_ctx *c, struct buf *out, const char *base,
    const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * graph_trouble() - an answer that is not what step wanted, classed as
 * at the top.  *again is set when the caller should send the same
 * request once more (a rate limit that was waited out).
 */
int graph_trouble(struct upload_ctx *c, const char *step,
    const struct http_response *resp, int tries, int *again);

/*
 * graph_call() - send method to url (form: an urlencoded body, or
 * NULL) and on a 200 set *out to the JSON answer.  Rate limits are
 * waited out and the request sent again; with idempotent set the
 * client may also send it again after a network failure or a 5xx
 * (a step that is harmless twice).  In a dry run the answer is
 * dry_body.
 */
int graph_call(struct upload_ctx *c, const char *method, const char *url,
    const char *form, int idempotent, const char *step,
    const char *dry_body, struct cJSON **out);

/*
 * graph_upload_file() - send c->video to the resumable session uri.
 * offset_header names the offset header ("offset" on rupload,
 * "file_offset" for an upload:ID session).  The session is first asked
 * where it stands (GET query_url, or uri when NULL; its answer's
 * file_offset, offset or status.uploading_phase.bytes_transferred),
 * then the rest is sent (when it has everything, an empty body at the
 * end asks for its final answer again); an interrupted or partly kept
 * body is asked about again and resumed.  The crash point NAME-sent
 * (NAME the platform) falls after the server took the last byte,
 * before the journal knows.  AG_OK with *out the final answer
 * ({"success": true}, or {"h": HANDLE} for upload:ID), AG_FALSE when
 * the session is gone (404, or Graph code 100 subcode 33: start
 * another), or an error.
 */
int graph_upload_file(struct upload_ctx *c, const char *uri,
    const char *offset_header, const char *query_url, const char *step,
    struct cJSON **out);

/*
 * graph_text() - a post's text as Meta shows it (new string): text,
 * then c's hashtags ("#a #b"), then our marker on the last line, each
 * part after a blank line when something comes before it.
 */
char *graph_text(struct upload_ctx *c, const char *text);

/*
 * graph_status() - a status op: GET the published object
 * (c->j->remote_id) with fields; *out is upload_status_doc()'s with
 * the answer as member, or, when Meta refuses (AG_DATAERR: deleted,
 * not ours), exists false and its error.  Other failures are returned.
 */
int graph_status(struct upload_ctx *c, const char *fields,
    const char *member, struct cJSON **out);

/*
 * graph_find() - look through a list edge (url already carries
 * ?fields=...&limit=N), newest first, for at most pages pages, for an
 * item whose string member field holds c->marker.  AG_OK with *item (a
 * copy), AG_FALSE when none does, or an error (it cannot tell).
 */
int graph_find(struct upload_ctx *c, const char *url, const char *field,
    int pages, struct cJSON **item);

#endif
