/*
 * http.c - requests through one reused libcurl easy handle.
 *
 * Reusing the handle keeps connections alive between requests to the
 * same host.  Each attempt resets the response; the retry loop is here
 * and the policy (what is transient, how long to wait) in retry.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agency.h"
#include "net/curl.h"

struct http {
	const struct net_curl *lc;	/* libcurl, loaded on first use */
	CURL *curl;
	double connect_timeout, timeout, backoff, max_wait;
	long long retries;
	size_t max_response;
	char *user_agent;
	unsigned int seed;
};

/* A part of the body as sent: memory, or an open file's region. */
struct part {
	const char *data;
	FILE *fp;
	const char *file;
	int64_t start, length;
};

/* One attempt's state, shared with the callbacks. */
struct xfer {
	const struct http_request *req;
	struct http_response *resp;
	struct buf carry;		/* a partial line, for on_line */
	int too_large;
	int cb_rc;			/* what on_line returned to stop */
	int delivered;			/* lines handed to on_line */
	long status;			/* from the latest status line */
	int64_t last_byte;		/* mono ms of the last byte received */
	int idle;			/* aborted: nothing for idle_timeout */
	int64_t sent;			/* bytes uploaded so far */
	struct part *parts;		/* the body, when it is streamed */
	size_t nparts;
	size_t cur;			/* the part being read */
	int64_t pos;			/* and the position in it */
	int seek;			/* cur's file must be positioned */
	int64_t total;			/* the whole body's length */
};

void
http_request_init(struct http_request *req, const char *url)
{
	memset(req, 0, sizeof(*req));
	req->url = url;
	req->retries = -1;
	req->body_length = -1;
}

int
http_new(struct agency *ag, struct http **out)
{
	const char *ua = config_str(ag, "http.user_agent");
	const struct net_curl *lc;
	struct http *h;
	int rc;

	if ((rc = net_curl_load(ag, &lc)) != AG_OK)
		return rc;
	h = xcalloc(1, sizeof(*h));
	h->lc = lc;
	if ((h->curl = lc->easy_init()) == NULL) {
		free(h);
		return ag_fail(ag, AG_OSERR, "cannot start libcurl");
	}
	h->connect_timeout = config_number(ag, "http.connect_timeout");
	h->timeout = config_number(ag, "http.timeout");
	h->backoff = config_number(ag, "http.backoff");
	h->max_wait = config_number(ag, "http.max_wait");
	h->retries = config_int(ag, "http.retries");
	h->max_response = (size_t)config_int(ag, "http.max_response");
	h->user_agent = ua ? xstrdup(ua) :
	    xasprintf("agency/%s", AG_VERSION_STRING);
	h->seed = (unsigned int)getpid() ^ (unsigned int)ag_now_ms();
	*out = h;
	return AG_OK;
}

void
http_free(struct http *h)
{
	if (h == NULL)
		return;
	h->lc->easy_cleanup(h->curl);
	free(h->user_agent);
	free(h);
}

static void
release(void *arg)
{
	struct agency *ag = arg;

	http_free(ag->http);
	ag->http = NULL;
}

int
ag_http(struct agency *ag, struct http **out)
{
	int rc;

	if (ag->http == NULL) {
		if ((rc = http_new(ag, &ag->http)) != AG_OK)
			return rc;
		ag_on_release(ag, release, ag);
	}
	*out = ag->http;
	return AG_OK;
}

void
http_response_release(struct http_response *resp)
{
	buf_release(&resp->body);
	buf_release(&resp->headers);
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n;

	x->last_byte = ag_mono_ms();
	/* A new status line: a 100 Continue or a redirect came first. */
	if (len >= 5 && memcmp(p, "HTTP/", 5) == 0) {
		buf_reset(&x->resp->headers);
		x->status = 0;
		sscanf(p, "HTTP/%*s %ld", &x->status);
	}
	buf_add(&x->resp->headers, p, len);
	return len;
}

static int
lines(struct xfer *x, const char *p, size_t len)
{
	const char *nl;
	size_t used;

	if (buf_add(&x->carry, p, len) == -1) {
		x->too_large = 1;
		return -1;
	}
	while ((nl = memchr(x->carry.data, '\n', x->carry.len)) != NULL) {
		used = (size_t)(nl - x->carry.data);
		if (used > 0 && x->carry.data[used - 1] == '\r')
			used--;
		x->delivered++;
		x->cb_rc = x->req->on_line(x->req->line_arg, x->carry.data,
		    used);
		used = (size_t)(nl - x->carry.data) + 1;
		memmove(x->carry.data, x->carry.data + used,
		    x->carry.len - used + 1);
		x->carry.len -= used;
		if (x->cb_rc != 0)
			return -1;
	}
	return 0;
}

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n;

	x->last_byte = ag_mono_ms();
	/* Only a successful answer is the stream; an error body is kept
	 * whole, so the request can still be retried and the caller can
	 * read the error. */
	if (x->req->on_line != NULL && x->status >= 200 && x->status < 300)
		return lines(x, p, len) == 0 ? len : 0;
	if (buf_add(&x->resp->body, p, len) == -1) {
		x->too_large = 1;
		return 0;
	}
	return len;
}

static size_t
on_read(char *p, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t want = size * n, done = 0, got;
	struct part *pt;
	int64_t left;

	while (done < want && x->cur < x->nparts) {
		pt = &x->parts[x->cur];
		left = pt->length - x->pos;
		if (left <= 0) {
			x->cur++;
			x->pos = 0;
			x->seek = 1;
			continue;
		}
		got = want - done;
		if ((int64_t)got > left)
			got = (size_t)left;
		if (pt->fp == NULL) {
			memcpy(p + done, pt->data + x->pos, got);
		} else {
			if (x->seek && fseeko(pt->fp, pt->start + x->pos,
			    SEEK_SET) != 0)
				return CURL_READFUNC_ABORT;
			x->seek = 0;
			got = fread(p + done, 1, got, pt->fp);
			if (got == 0)	/* shrunk under us, or an error */
				return CURL_READFUNC_ABORT;
		}
		x->pos += (int64_t)got;
		done += got;
	}
	return done;
}

static int
on_seek(void *arg, curl_off_t off, int origin)
{
	struct xfer *x = arg;
	size_t i;

	if (origin != SEEK_SET || off < 0 || off > x->total)
		return CURL_SEEKFUNC_CANTSEEK;
	for (i = 0; i < x->nparts && off >= x->parts[i].length; i++)
		off -= x->parts[i].length;
	x->cur = i;
	x->pos = off;
	x->seek = 1;
	return CURL_SEEKFUNC_OK;
}

/* Abort when nothing has arrived for idle_timeout seconds. */
static int
on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	struct xfer *x = arg;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	if (ulnow != x->sent) {		/* uploading counts as activity */
		x->sent = ulnow;
		x->last_byte = ag_mono_ms();
		if (x->req->on_progress != NULL && (x->cb_rc =
		    x->req->on_progress(x->req->progress_arg, x->sent,
		    x->total)) != 0)
			return 1;
	}
	if (x->req->idle_timeout > 0 && (double)(ag_mono_ms() -
	    x->last_byte) > x->req->idle_timeout * 1000) {
		x->idle = 1;
		return 1;
	}
	return 0;
}

/* The parts of a streamed body: the file region, or req->parts. */
static size_t
body_parts(const struct http_request *req, struct http_part *one,
    const struct http_part **out)
{
	if (req->parts != NULL) {
		*out = req->parts;
		return req->nparts;
	}
	memset(one, 0, sizeof(*one));
	one->file = req->body_file;
	one->offset = req->body_offset;
	one->length = req->body_length;
	*out = one;
	return 1;
}

/* A file part's length, checked against the file; -1 on error. */
static int64_t
region(struct agency *ag, const struct http_part *hp, int fd)
{
	struct stat sb;
	int64_t len;

	if (fstat(fd, &sb) == -1) {
		ag_fail(ag, AG_NOINPUT, "cannot read '%s':", hp->file);
		return -1;
	}
	len = hp->length >= 0 ? hp->length : (int64_t)sb.st_size - hp->offset;
	if (hp->offset < 0 || len < 0 || hp->offset + len >
	    (int64_t)sb.st_size) {
		ag_fail(ag, AG_NOINPUT, "'%s': bytes %lld-%lld are outside the "
		    "file (%lld bytes)", hp->file, (long long)hp->offset,
		    (long long)(hp->offset + len), (long long)sb.st_size);
		return -1;
	}
	return len;
}

static void
close_body(struct xfer *x)
{
	size_t i;

	for (i = 0; i < x->nparts; i++)
		if (x->parts[i].fp != NULL)
			fclose(x->parts[i].fp);
	free(x->parts);
	x->parts = NULL;
	x->nparts = 0;
}

static int
open_body(struct agency *ag, const struct http_request *req, struct xfer *x)
{
	const struct http_part *hp;
	struct http_part one;
	struct part *pt;
	size_t i, n = body_parts(req, &one, &hp);

	x->parts = xcalloc(n ? n : 1, sizeof(*x->parts));
	x->nparts = n;
	x->total = 0;
	for (i = 0; i < n; i++) {
		pt = &x->parts[i];
		if (hp[i].file == NULL) {
			pt->data = hp[i].data;
			pt->length = (int64_t)hp[i].len;
		} else {
			pt->file = hp[i].file;
			pt->start = hp[i].offset;
			if ((pt->fp = fopen(hp[i].file, "rb")) == NULL)
				return ag_fail(ag, errno == EACCES ? AG_NOPERM :
				    AG_NOINPUT, "cannot read '%s':",
				    hp[i].file);
			if ((pt->length = region(ag, &hp[i],
			    fileno(pt->fp))) < 0)
				return AG_NOINPUT;
		}
		x->total += pt->length;
	}
	x->cur = 0;
	x->pos = 0;
	x->seek = 1;
	return AG_OK;
}

int64_t
http_body_length(struct agency *ag, const struct http_request *req)
{
	struct xfer x;
	int64_t len;

	if (req->body_file == NULL && req->parts == NULL)
		return req->body != NULL ? (int64_t)req->body_len : 0;
	memset(&x, 0, sizeof(x));
	len = open_body(ag, req, &x) == AG_OK ? x.total : -1;
	close_body(&x);
	return len;
}

static const char *
method_of(const struct http_request *req)
{
	if (req->method != NULL)
		return req->method;
	return req->body != NULL || req->body_file != NULL ||
	    req->parts != NULL ? "POST" : "GET";
}

static struct curl_slist *
setup(struct http *h, const struct http_request *req, struct xfer *x,
    int idempotent)
{
	const struct net_curl *lc = h->lc;
	CURL *c = h->curl;
	const char *m = method_of(req);
	struct curl_slist *hl = NULL;
	const char *const *hp;
	double timeout = req->timeout > 0 ? req->timeout : h->timeout;
	double connect = req->connect_timeout > 0 ? req->connect_timeout :
	    h->connect_timeout;

	lc->easy_reset(c);
	lc->easy_setopt(c, CURLOPT_URL, req->url);
	lc->easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	lc->easy_setopt(c, CURLOPT_USERAGENT, h->user_agent);
	lc->easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
	    (long)(connect * 1000));
	lc->easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(timeout * 1000));
	if (req->idle_timeout > 0 || req->on_progress != NULL) {
		lc->easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
		lc->easy_setopt(c, CURLOPT_XFERINFODATA, x);
		lc->easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	}
	/*
	 * libcurl silently resends a request when a reused connection
	 * turns out to be dead; for a request that must not run twice
	 * (a POST that publishes) only a fresh connection is safe.
	 */
	if (!idempotent)
		lc->easy_setopt(c, CURLOPT_FRESH_CONNECT, 1L);
	lc->easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	lc->easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	lc->easy_setopt(c, CURLOPT_HEADERDATA, x);
	lc->easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	lc->easy_setopt(c, CURLOPT_WRITEDATA, x);
	for (hp = req->headers; hp != NULL && *hp != NULL; hp++)
		hl = lc->slist_append(hl, *hp);
	/*
	 * No 100-continue wait.  Not for SigV4: libcurl 7.88 signs the
	 * empty "Expect:" it then does not send (SignatureDoesNotMatch);
	 * S3 stores answer 100-continue at once anyway.
	 */
	if (req->aws_sigv4 == NULL)
		hl = lc->slist_append(hl, "Expect:");
	if (req->aws_sigv4 != NULL) {
		lc->easy_setopt(c, CURLOPT_EXPECT_100_TIMEOUT_MS, 0L);
		lc->easy_setopt(c, CURLOPT_AWS_SIGV4, req->aws_sigv4);
		lc->easy_setopt(c, CURLOPT_USERPWD, req->userpwd);
	}
	if (x->parts != NULL) {
		/*
		 * 128 KiB reads: a few calls fewer than the 64 KiB default,
		 * and still in the cache between read() and send(); 512 KiB
		 * was 5 % slower on loopback, 2 MiB 12 % (bench/upload).
		 */
		lc->easy_setopt(c, CURLOPT_UPLOAD_BUFFERSIZE, 128L * 1024);
		lc->easy_setopt(c, CURLOPT_READFUNCTION, on_read);
		lc->easy_setopt(c, CURLOPT_READDATA, x);
		lc->easy_setopt(c, CURLOPT_SEEKFUNCTION, on_seek);
		lc->easy_setopt(c, CURLOPT_SEEKDATA, x);
		if (strcmp(m, "POST") == 0) {
			lc->easy_setopt(c, CURLOPT_POST, 1L);
			lc->easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
			    (curl_off_t)x->total);
		} else {
			lc->easy_setopt(c, CURLOPT_UPLOAD, 1L);
			lc->easy_setopt(c, CURLOPT_INFILESIZE_LARGE,
			    (curl_off_t)x->total);
		}
	} else if (req->body != NULL) {
		lc->easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)req->body_len);
		lc->easy_setopt(c, CURLOPT_POSTFIELDS, req->body);
	} else if (strcmp(m, "POST") == 0) {
		lc->easy_setopt(c, CURLOPT_POSTFIELDSIZE, 0L);
		lc->easy_setopt(c, CURLOPT_POSTFIELDS, "");
	}
	if (strcmp(m, "HEAD") == 0)
		lc->easy_setopt(c, CURLOPT_NOBODY, 1L);
	else if (strcmp(m, "GET") != 0 && strcmp(m, "POST") != 0 &&
	    !(x->parts != NULL && strcmp(m, "PUT") == 0))
		lc->easy_setopt(c, CURLOPT_CUSTOMREQUEST, m);
	lc->easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	return hl;
}

const char *
http_header(const struct http_response *resp, const char *name, char *buf,
    size_t len)
{
	const char *p = buf_str(&resp->headers), *eol, *v;
	size_t n = strlen(name), vlen;

	for (; *p != '\0'; p = *eol ? eol + 1 : eol) {
		eol = strchr(p, '\n');
		if (eol == NULL)
			eol = p + strlen(p);
		if (strncasecmp(p, name, n) != 0 || p[n] != ':')
			continue;
		for (v = p + n + 1; *v == ' ' || *v == '\t'; v++)
			;
		vlen = (size_t)(eol - v);
		while (vlen > 0 && (v[vlen - 1] == '\r' || v[vlen - 1] == ' '))
			vlen--;
		if (vlen >= len)
			vlen = len - 1;
		memcpy(buf, v, vlen);
		buf[vlen] = '\0';
		return buf;
	}
	return NULL;
}

static double
retry_after(const struct http_response *resp)
{
	char v[128];
	double ms;

	if (http_header(resp, "retry-after-ms", v, sizeof(v)) != NULL &&
	    ag_parse_double(v, &ms) == 0 && ms >= 0)
		return ms / 1000;
	if (http_header(resp, "retry-after", v, sizeof(v)) != NULL)
		return http_parse_retry_after(v, ag_now_ms() / 1000);
	if (resp->status != 429 && resp->status != 503)
		return -1;
	if (http_header(resp, "x-rate-limit-reset", v, sizeof(v)) != NULL ||
	    http_header(resp, "x-ratelimit-reset", v, sizeof(v)) != NULL ||
	    http_header(resp, "ratelimit-reset", v, sizeof(v)) != NULL)
		return http_parse_reset(v, ag_now_ms() / 1000);
	return -1;
}

/* One attempt: AG_OK with resp filled, or a hard error. */
static int
attempt(struct agency *ag, struct http *h, const struct http_request *req,
    struct http_response *resp, size_t max, int idempotent, CURLcode *cc,
    int *streamed)
{
	struct curl_slist *hl;
	struct xfer x;
	int rc = AG_OK;

	memset(&x, 0, sizeof(x));
	x.req = req;
	x.resp = resp;
	buf_init(&x.carry, max);
	buf_release(&resp->body);
	buf_release(&resp->headers);
	buf_init(&resp->body, max);
	buf_init(&resp->headers, 1 << 20);
	buf_addstr(&resp->body, "");
	resp->status = 0;
	if (req->body_file != NULL || req->parts != NULL) {
		if ((rc = open_body(ag, req, &x)) != AG_OK)
			goto out;
	}
	x.last_byte = ag_mono_ms();
	hl = setup(h, req, &x, idempotent);
	*cc = h->lc->easy_perform(h->curl);
	h->lc->slist_free_all(hl);
	h->lc->easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &resp->status);
	if (*cc == CURLE_ABORTED_BY_CALLBACK && x.idle)
		*cc = CURLE_OPERATION_TIMEDOUT;
	/* A last line without a newline at the end of a stream. */
	if (*cc == CURLE_OK && req->on_line != NULL && x.carry.len > 0 &&
	    x.status >= 200 && x.status < 300) {
		x.delivered++;
		x.cb_rc = req->on_line(req->line_arg, x.carry.data,
		    x.carry.len);
	}
	if (x.cb_rc != 0)
		rc = x.cb_rc;
	else if (x.too_large)
		rc = ag_fail(ag, AG_DATAERR, "%s %s: response larger than %zu "
		    "bytes (http.max_response)", method_of(req), req->url, max);
	*streamed = x.delivered > 0;
out:
	close_body(&x);
	buf_release(&x.carry);
	return rc;
}

static int
fail_of(CURLcode cc)
{
	switch (cc) {
	case CURLE_OK:
		return HTTP_FAIL_NONE;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
		return HTTP_FAIL_CONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		return HTTP_FAIL_TIMEOUT;
	default:
		return HTTP_FAIL_IO;
	}
}

int
http_request(struct agency *ag, const struct http_request *req,
    struct http_response *resp)
{
	struct http *h;
	const char *m = method_of(req);
	size_t max;
	long long retries;
	int64_t t0 = ag_mono_ms();
	int idempotent, rc, n, streamed = 0;
	CURLcode cc = CURLE_OK;
	double wait;

	memset(resp, 0, sizeof(*resp));
	resp->retry_after = -1;
	if ((rc = ag_http(ag, &h)) != AG_OK)
		return rc;
	max = req->max_response ? req->max_response : h->max_response;
	retries = req->retries >= 0 ? req->retries : h->retries;
	idempotent = req->idempotent || strcmp(m, "GET") == 0 ||
	    strcmp(m, "HEAD") == 0 || strcmp(m, "PUT") == 0 ||
	    strcmp(m, "DELETE") == 0;
	for (n = 0;; n++) {
		ag_debug(ag, "%s %s", m, req->url);
		rc = attempt(ag, h, req, resp, max, idempotent, &cc,
		    &streamed);
		resp->attempts = n + 1;
		if (rc != AG_OK)
			break;
		resp->retry_after = cc == CURLE_OK ? retry_after(resp) : -1;
		if (cc == CURLE_OK)
			ag_debug(ag, "%s %s: %ld", m, req->url, resp->status);
		/* The caller has seen part of a stream: never resend. */
		if (streamed || n >= retries || !http_transient(cc,
		    resp->status, idempotent))
			break;
		if (resp->retry_after >= 0) {
			if (resp->retry_after > h->max_wait)
				break;	/* the caller decides: exit 75 */
			wait = resp->retry_after;
		} else {
			wait = http_backoff(h->backoff, h->max_wait, n,
			    &h->seed);
		}
		ag_info(ag, "%s %s: %s; retry %d of %lld in %.1f s", m,
		    req->url, cc != CURLE_OK ? h->lc->easy_strerror(cc) :
		    "server busy", n + 1, retries, wait);
		ag_sleep_ms((int64_t)(wait * 1000));
	}
	resp->elapsed = (double)(ag_mono_ms() - t0) / 1000;
	resp->fail = fail_of(cc);
	if (rc == AG_OK && cc != CURLE_OK)
		rc = ag_fail(ag, AG_TEMPFAIL, "%s %s: %s%s", m, req->url,
		    h->lc->easy_strerror(cc), resp->attempts > 1 ?
		    " (after retries)" : "");
	return rc;
}

void
http_describe(const struct http_request *req, struct buf *out)
{
	const char *const *hp;
	struct buf raw = BUF_INIT;

	buf_addf(&raw, "%s %s\n", method_of(req), req->url);
	for (hp = req->headers; hp != NULL && *hp != NULL; hp++)
		buf_addf(&raw, "%s\n", *hp);
	if (req->aws_sigv4 != NULL)
		buf_addf(&raw, "(signed with SigV4 for %s as it is sent: "
		    "Authorization, X-Amz-Date)\n", req->aws_sigv4);
	if (req->body != NULL) {
		buf_addch(&raw, '\n');
		buf_add(&raw, req->body, req->body_len);
		buf_addch(&raw, '\n');
	} else if (req->body_file != NULL || req->parts != NULL) {
		const struct http_part *hp;
		struct http_part one;
		size_t i, n = body_parts(req, &one, &hp);

		buf_addch(&raw, '\n');
		for (i = 0; i < n; i++) {
			if (hp[i].file == NULL)
				buf_add(&raw, hp[i].data, hp[i].len);
			else if (hp[i].length >= 0)
				buf_addf(&raw, "<%s: %lld bytes from byte "
				    "%lld>", hp[i].file,
				    (long long)hp[i].length,
				    (long long)hp[i].offset);
			else
				buf_addf(&raw, "<%s: from byte %lld to the "
				    "end>", hp[i].file,
				    (long long)hp[i].offset);
		}
		buf_addch(&raw, '\n');
	}
	ag_redact_buf(out, raw.data, raw.len);
	buf_release(&raw);
}
