/*
 * http.h - the one HTTP client (libcurl) every network call goes through.
 *
 * A request names its method, URL, headers and body: in memory, or a
 * region (offset, length) of a file streamed from disk without being
 * read into memory.  The client applies the config's connect and total
 * timeouts (http.*), caps the response size, keeps TLS verification on
 * (there is no switch to turn it off) and retries transient failures
 * with exponential backoff and full jitter, honouring Retry-After
 * (seconds or an HTTP date) up to http.max_wait; see retry.c for what
 * counts as transient and when a request that was already sent may be
 * sent again.
 *
 * A body may also be a sequence of parts, each in memory or a region of
 * a file (a multipart form whose file part streams from disk): the
 * parts are sent one after another as one body of known length.
 *
 * S3: with aws_sigv4 ("aws:amz:REGION:s3") and userpwd ("KEY:SECRET")
 * libcurl signs the request (SigV4); the caller adds the
 * x-amz-content-sha256 header itself (libcurl 7.88 does not).
 *
 * Rate limits: besides Retry-After, a 429 or 503 is read for the
 * reset headers platforms use (x-rate-limit-reset and
 * x-ratelimit-reset: epoch seconds or an RFC 3339 time; ratelimit-reset:
 * seconds, or epoch seconds when larger than a day), and the wait they
 * ask for goes in retry_after the same way.
 *
 * Streams: with on_line set, the body is handed over line by line
 * (without the line ending, CR LF or LF) instead of being kept, for SSE
 * and NDJSON.  Once a line has been delivered the request is never
 * retried; the caller saw part of the answer.
 *
 * http_request() returns AG_OK when a response arrived, whatever its
 * status (read resp.status).  A 429 or 503 that asks for a wait longer
 * than http.max_wait comes back at once with resp.retry_after set, for
 * the caller to turn into exit 75.  Errors: AG_TEMPFAIL when the server
 * could not be reached or the connection kept failing, AG_DATAERR for a
 * response over the size cap, AG_NOINPUT for an unreadable body file,
 * or the status an on_line callback returned to stop.
 *
 * Everything logged goes through ag_redact(); URLs and headers of
 * requests appear at -vv, bodies at -vvv.
 */
#ifndef AG_HTTP_H
#define AG_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

struct agency;
struct http;

/* One piece of a body: n bytes at data, or a region of a file. */
struct http_part {
	const char *data;
	size_t len;
	const char *file;		/* when set, data is not used */
	int64_t offset;
	int64_t length;			/* -1: to the end of the file */
};

struct http_request {
	const char *method;		/* NULL: GET, or POST with a body */
	const char *url;
	const char *const *headers;	/* NULL-terminated "Name: value" */
	const char *body;		/* in memory ... */
	size_t body_len;
	const char *body_file;		/* ... or a region of a file */
	int64_t body_offset;
	int64_t body_length;		/* -1: to the end of the file */
	const struct http_part *parts;	/* ... or parts, one after another */
	size_t nparts;
	const char *aws_sigv4;		/* CURLOPT_AWS_SIGV4 provider string */
	const char *userpwd;		/* "user:password" (a secret) */
	int idempotent;			/* safe to send again; default for
					 * GET, HEAD, PUT, DELETE */
	int retries;			/* -1: http.retries */
	double timeout;			/* seconds; 0: http.timeout */
	double connect_timeout;		/* seconds; 0: http.connect_timeout */
	double idle_timeout;		/* seconds without a byte; 0: none */
	size_t max_response;		/* 0: http.max_response */
	int (*on_line)(void *arg, const char *line, size_t len);
	void *line_arg;
	/* Called as the body goes out: bytes sent of this attempt, and the
	 * body's length.  Return non-zero to abort the request. */
	int (*on_progress)(void *arg, int64_t sent, int64_t total);
	void *progress_arg;
};

/* Why a request ended without a complete response (http_response.fail). */
enum http_fail {
	HTTP_FAIL_NONE,			/* a response arrived */
	HTTP_FAIL_CONNECT,		/* nothing was sent: refused, DNS */
	HTTP_FAIL_TIMEOUT,		/* connect, total or idle timeout */
	HTTP_FAIL_IO			/* reset, empty reply, cut short */
};

struct http_response {
	long status;			/* 0 if no response */
	int fail;			/* enum http_fail of the last attempt */
	struct buf body;
	struct buf headers;		/* the final response's header block */
	double retry_after;		/* seconds asked for, or -1 */
	int attempts;
	double elapsed;			/* seconds, all attempts */
};

/* Fill req with defaults for a GET of url. */
void http_request_init(struct http_request *req, const char *url);

/* ag_http() - the context's client, created on first use. */
int ag_http(struct agency *ag, struct http **out);
int http_new(struct agency *ag, struct http **out);
void http_free(struct http *h);

int http_request(struct agency *ag, const struct http_request *req,
    struct http_response *resp);
void http_response_release(struct http_response *resp);

/* A response header's value (case-insensitive name), or NULL. */
const char *http_header(const struct http_response *resp, const char *name,
    char *buf, size_t len);

/* The request as text (method, URL, headers, body), secrets redacted,
 * for --dry-run; appended to out.  A file region is shown as its name,
 * offset and length, never its bytes. */
void http_describe(const struct http_request *req, struct buf *out);

/* retry.c: the policy, exposed for tests and for callers that retry
 * at a higher level (the LLM chain, uploads). */
/* Parse a Retry-After value: seconds or an HTTP date; -1 if neither. */
double http_parse_retry_after(const char *v, int64_t now_s);
/* Parse a rate-limit reset value (see above) into seconds from now; -1
 * if it is not one. */
double http_parse_reset(const char *v, int64_t now_s);
/* The length of a request's body: memory, file region or parts (files
 * are stat'ed); -1 with ag->err set when a file cannot be read. */
int64_t http_body_length(struct agency *ag, const struct http_request *req);
/* Full jitter: a random delay in [0, min(cap, base * 2^attempt)]. */
double http_backoff(double base, double cap, int attempt, unsigned int *seed);
/* Should a failed attempt be tried again?  curl_code 0 means an HTTP
 * response with this status arrived. */
int http_transient(int curl_code, long status, int idempotent);

/* sse.c: Server-Sent Events assembled from lines. */
struct sse {
	struct buf event;		/* "event:" of the event being read */
	struct buf data;		/* its "data:" lines joined by \n */
	int has_data;			/* a data: line was seen */
	int (*on_event)(void *arg, const char *event, const char *data);
	void *arg;
};

void sse_init(struct sse *s, int (*on_event)(void *, const char *,
    const char *), void *arg);
void sse_release(struct sse *s);
/* Feed one line (an http on_line callback can pass straight here). */
int sse_line(void *sse, const char *line, size_t len);
/* Deliver an event left without its closing blank line at the end. */
int sse_finish(struct sse *s);

#endif
