/*
 * t-http.c - the HTTP client against tests/servers/httpfault.py.
 *
 * The test starts the fault server on 127.0.0.1 (an ephemeral port it
 * writes to a file), points requests at it and kills it at exit.  The
 * server keeps a counter per key, so "/flaky/KEY/2/503" fails twice and
 * then answers 200, and "/count/KEY" tells how often a request really
 * reached it.  Backoff is set tiny so retries cost milliseconds; waits
 * the server asks for (Retry-After) are checked from below only.
 */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "tap.h"

extern char **environ;

static struct agency ag;		/* backoff 0.01 s, max_wait 5 s */
static struct agency ag_short;		/* and with http.timeout 0.5 */
static pid_t server = -1;
static int port;
static char file[512];			/* a 200 000-byte body file */

#define FILE_SIZE 200000

static void
stop_server(void)
{
	if (server > 0) {
		kill(server, SIGTERM);
		waitpid(server, NULL, 0);
		server = -1;
	}
}

static int
start_server(void)
{
	const char *root = getenv("AGENCY_ROOT");
	char script[512], pf[512];
	char *argv[] = { "python3", script, "--port-file", pf, NULL };
	FILE *fp;
	int i, n = 0;

	snprintf(script, sizeof(script), "%s/tests/servers/httpfault.py",
	    root ? root : ".");
	snprintf(pf, sizeof(pf), "%s/port", tap_dir);
	if (posix_spawnp(&server, "python3", NULL, NULL, argv, environ) != 0) {
		server = -1;
		return -1;
	}
	atexit(stop_server);
	/* The server renames the file into place: whole or absent. */
	for (i = 0; i < 1500; i++) {
		if ((fp = fopen(pf, "r")) != NULL) {
			n = fscanf(fp, "%d", &port);
			fclose(fp);
			if (n == 1)
				return 0;
		}
		if (waitpid(server, NULL, WNOHANG) == server) {
			server = -1;
			return -1;
		}
		ag_sleep_ms(10);
	}
	return -1;
}

/* A URL on the fault server; four live at a time. */
static const char *
url(const char *path)
{
	static char bufs[4][512];
	static int i;
	char *b = bufs[i++ % 4];

	snprintf(b, sizeof(bufs[0]), "http://127.0.0.1:%d%s", port, path);
	return b;
}

/*
 * A member of the response's JSON body as text, "" when absent; in the
 * object obj when obj is not NULL.
 */
static const char *
member(const struct http_response *resp, const char *obj, const char *name,
    char *out, size_t len)
{
	cJSON *doc = cJSON_Parse(buf_str(&resp->body)), *m;

	out[0] = '\0';
	m = obj ? cJSON_GetObjectItemCaseSensitive(doc, obj) : doc;
	m = cJSON_GetObjectItemCaseSensitive(m, name);
	if (cJSON_IsString(m))
		snprintf(out, len, "%s", m->valuestring);
	else if (cJSON_IsNumber(m))
		snprintf(out, len, "%.0f", m->valuedouble);
	else if (cJSON_IsBool(m))
		snprintf(out, len, "%s", cJSON_IsTrue(m) ? "true" : "false");
	cJSON_Delete(doc);
	return out;
}

static long long
member_int(const struct http_response *resp, const char *name)
{
	char v[64];

	member(resp, NULL, name, v, sizeof(v));
	return v[0] ? strtoll(v, NULL, 10) : -1;
}

static int
get(struct agency *a, const char *path, struct http_response *resp)
{
	struct http_request req;

	http_request_init(&req, url(path));
	return http_request(a, &req, resp);
}

/* How many requests the server has seen for key. */
static long long
count(const char *key)
{
	struct http_response resp;
	char path[128];
	long long n = -1;

	snprintf(path, sizeof(path), "/count/%s", key);
	if (get(&ag, path, &resp) == AG_OK && resp.status == 200)
		n = member_int(&resp, "count");
	http_response_release(&resp);
	return n;
}

/* The sha256 of a region of a file, by sha256sum(1). */
static void
region_sha(const char *path, long long off, long long len, char out[65])
{
	char cmd[1024];
	FILE *p;

	out[0] = '\0';
	snprintf(cmd, sizeof(cmd), "tail -c +%lld '%s' | head -c %lld | "
	    "sha256sum", off + 1, path, len);
	if ((p = popen(cmd, "r")) == NULL)
		return;
	if (fscanf(p, "%64s", out) != 1)
		out[0] = '\0';
	pclose(p);
}

static void
make_file(void)
{
	unsigned int x = 12345;
	FILE *fp;
	int i;

	snprintf(file, sizeof(file), "%s/body.bin", tap_dir);
	if ((fp = fopen(file, "wb")) == NULL) {
		perror(file);
		exit(2);
	}
	/* Every byte value, NUL and newline included. */
	for (i = 0; i < FILE_SIZE; i++) {
		x = x * 1103515245u + 12345u;
		fputc((int)(x >> 16) & 0xff, fp);
	}
	fclose(fp);
}

/* A port on 127.0.0.1 nobody listens on: bind, note, close. */
static int
dead_port(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int fd, p = 0;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
		p = ntohs(sa.sin_port);
	close(fd);
	return p;
}

static void
test_get(void)
{
	struct http_response resp;
	char v[64];
	int rc;

	rc = get(&ag, "/ok", &resp);
	is_int(rc, AG_OK, "GET /ok succeeds");
	is_int(resp.status, 200, "GET /ok: status 200");
	is_int(resp.attempts, 1, "GET /ok: one attempt");
	is_str(member(&resp, NULL, "ok", v, sizeof(v)), "true",
	    "GET /ok: the JSON body is kept");
	ok(resp.retry_after < 0, "GET /ok: no retry_after");
	ok(resp.elapsed >= 0, "GET /ok: elapsed is set");
	http_response_release(&resp);

	rc = get(&ag, "/status/404", &resp);
	is_int(rc, AG_OK, "404 is a response, not an error");
	is_int(resp.status, 404, "404: status");
	is_int(resp.attempts, 1, "404: not retried");
	ok(strstr(buf_str(&resp.body), "status 404") != NULL,
	    "404: the error body is kept");
	http_response_release(&resp);
}

static void
test_header(void)
{
	struct http_response resp;
	char v[64], tiny[5];

	get(&ag, "/ok", &resp);
	is_str(http_header(&resp, "X-Fault-Test", v, sizeof(v)),
	    "Mixed-Case Value", "http_header: exact name");
	is_str(http_header(&resp, "x-fault-test", v, sizeof(v)),
	    "Mixed-Case Value", "http_header: lower case");
	is_str(http_header(&resp, "X-FAULT-TEST", v, sizeof(v)),
	    "Mixed-Case Value", "http_header: upper case");
	is_str(http_header(&resp, "content-length", v, sizeof(v)), "13",
	    "http_header: no CR or spaces kept");
	is_str(http_header(&resp, "X-Fault", v, sizeof(v)), NULL,
	    "http_header: a prefix of a name does not match");
	is_str(http_header(&resp, "X-Missing", v, sizeof(v)), NULL,
	    "http_header: absent header is NULL");
	is_str(http_header(&resp, "x-fault-test", tiny, sizeof(tiny)),
	    "Mixe", "http_header: truncated to the buffer");
	http_response_release(&resp);
}

static void
test_methods(void)
{
	static const char *const hdrs[] = { "X-Custom: yes", NULL };
	struct http_request req;
	struct http_response resp;
	char v[128];

	http_request_init(&req, url("/echo"));
	req.headers = hdrs;
	http_request(&ag, &req, &resp);
	is_str(member(&resp, NULL, "method", v, sizeof(v)), "GET",
	    "echo: GET by default");
	is_str(member(&resp, "headers", "X-Custom", v, sizeof(v)), "yes",
	    "echo: request headers are sent");
	ok(strncmp(member(&resp, "headers", "User-Agent", v, sizeof(v)),
	    "agency/", 7) == 0, "echo: User-Agent agency/VERSION (%s)", v);
	http_response_release(&resp);

	http_request_init(&req, url("/echo"));
	req.body = "hello";
	req.body_len = 5;
	http_request(&ag, &req, &resp);
	is_str(member(&resp, NULL, "method", v, sizeof(v)), "POST",
	    "echo: a body makes a POST");
	is_int(member_int(&resp, "length"), 5, "echo: POST body length");
	is_str(member(&resp, NULL, "sha256", v, sizeof(v)),
	    "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
	    "echo: POST body sha256");
	http_response_release(&resp);

	http_request_init(&req, url("/echo"));
	req.method = "PUT";
	req.body = "hello";
	req.body_len = 5;
	http_request(&ag, &req, &resp);
	is_str(member(&resp, NULL, "method", v, sizeof(v)), "PUT",
	    "echo: PUT from memory");
	is_int(member_int(&resp, "length"), 5, "echo: PUT body length");
	http_response_release(&resp);

	http_request_init(&req, url("/echo"));
	req.method = "DELETE";
	http_request(&ag, &req, &resp);
	is_str(member(&resp, NULL, "method", v, sizeof(v)), "DELETE",
	    "echo: DELETE");
	http_response_release(&resp);

	http_request_init(&req, url("/echo"));
	req.method = "POST";
	http_request(&ag, &req, &resp);
	is_str(member(&resp, NULL, "method", v, sizeof(v)), "POST",
	    "echo: POST without a body is still a POST");
	is_int(member_int(&resp, "length"), 0, "echo: with an empty body");
	http_response_release(&resp);

	http_request_init(&req, url("/big/5000"));
	req.method = "HEAD";
	is_int(http_request(&ag, &req, &resp), AG_OK, "HEAD succeeds");
	is_int(resp.status, 200, "HEAD: status 200");
	is_int(resp.body.len, 0, "HEAD: no body");
	is_str(http_header(&resp, "Content-Length", v, sizeof(v)), "5000",
	    "HEAD: headers kept");
	http_response_release(&resp);

	/* After a HEAD the reused handle must fetch bodies again. */
	get(&ag, "/big/100", &resp);
	is_int(resp.body.len, 100, "GET after HEAD has its body");
	http_response_release(&resp);
}

static void
test_flaky(void)
{
	struct http_request req;
	struct http_response resp;
	char v[64];
	int rc;

	rc = get(&ag, "/flaky/g503/2/503", &resp);
	is_int(rc, AG_OK, "503 twice: succeeds");
	is_int(resp.status, 200, "503 twice: status 200");
	is_int(resp.attempts, 3, "503 twice: three attempts");
	is_int(member_int(&resp, "attempts"), 3, "503 twice: server saw 3");
	is_str(http_header(&resp, "Retry-After", v, sizeof(v)), NULL,
	    "503 twice: headers are the last response's");
	http_response_release(&resp);

	rc = get(&ag, "/flaky/g502/1/502", &resp);
	is_int(resp.status, 200, "502 on a GET is retried");
	is_int(resp.attempts, 2, "502: two attempts");
	http_response_release(&resp);

	rc = get(&ag, "/flaky/g408/1/408", &resp);
	is_int(resp.status, 200, "408 on a GET is retried");
	http_response_release(&resp);

	rc = get(&ag, "/flaky/g404/1/404", &resp);
	is_int(resp.status, 404, "404 is not retried");
	is_int(resp.attempts, 1, "404: one attempt");
	http_response_release(&resp);

	http_request_init(&req, url("/flaky/gmany/10/503"));
	req.retries = 2;
	rc = http_request(&ag, &req, &resp);
	is_int(rc, AG_OK, "503 for ever: still a response");
	is_int(resp.status, 503, "503 for ever: the last status");
	is_int(resp.attempts, 3, "503 for ever: retries + 1 attempts");
	is_int(count("gmany"), 3, "503 for ever: the server saw 3");
	http_response_release(&resp);

	http_request_init(&req, url("/flaky/gnone/1/503"));
	req.retries = 0;
	http_request(&ag, &req, &resp);
	is_int(resp.status, 503, "retries 0: no retry");
	is_int(resp.attempts, 1, "retries 0: one attempt");
	http_response_release(&resp);
}

static void
test_retry_after(void)
{
	struct http_request req;
	struct http_response resp;
	int64_t t0;
	double took;
	char v[64];
	int rc;

	t0 = ag_mono_ms();
	rc = get(&ag, "/retry-after/ra1/1/1", &resp);
	took = (double)(ag_mono_ms() - t0) / 1000;
	is_int(rc, AG_OK, "Retry-After 1: succeeds");
	is_int(resp.status, 200, "Retry-After 1: status 200");
	is_int(resp.attempts, 2, "Retry-After 1: two attempts");
	ok(took >= 1.0, "Retry-After 1: waited at least 1 s (%.3f)", took);
	ok(resp.elapsed >= 1.0, "Retry-After 1: resp.elapsed >= 1 (%.3f)",
	    resp.elapsed);
	ok(resp.retry_after < 0, "Retry-After 1: the final 200 asks nothing");
	http_response_release(&resp);

	/* The server sends a date on a whole second, at least 1 s ahead. */
	t0 = ag_mono_ms();
	rc = get(&ag, "/retry-after/radate/1/date", &resp);
	took = (double)(ag_mono_ms() - t0) / 1000;
	is_int(resp.status, 200, "Retry-After date: status 200");
	is_int(resp.attempts, 2, "Retry-After date: two attempts");
	ok(took >= 1.0, "Retry-After date: waited at least 1 s (%.3f)", took);
	http_response_release(&resp);

	rc = get(&ag, "/retry-after/ra503/1/0?code=503", &resp);
	is_int(resp.status, 200, "503 with Retry-After 0: retried");
	is_int(resp.attempts, 2, "503 with Retry-After 0: two attempts");
	http_response_release(&resp);

	t0 = ag_mono_ms();
	rc = get(&ag, "/retry-after/ralong/3/60", &resp);
	is_int(rc, AG_OK, "Retry-After 60 > max_wait: a response");
	is_int(resp.status, 429, "Retry-After 60: status 429");
	is_int(resp.attempts, 1, "Retry-After 60: returned at once");
	ok(resp.retry_after == 60, "Retry-After 60: retry_after 60 (%g)",
	    resp.retry_after);
	is_int(count("ralong"), 1, "Retry-After 60: the server saw 1");
	http_response_release(&resp);

	rc = get(&ag, "/retry-after/ralong503/3/60?code=503", &resp);
	is_int(resp.status, 503, "503 with Retry-After 60: status 503");
	is_int(resp.attempts, 1, "503 with Retry-After 60: at once");
	ok(resp.retry_after == 60, "503 with Retry-After 60: retry_after set");
	http_response_release(&resp);

	http_request_init(&req, url("/retry-after/raex/5/0"));
	req.retries = 1;
	http_request(&ag, &req, &resp);
	is_int(resp.status, 429, "Retry-After 0, retries spent: 429");
	is_int(resp.attempts, 2, "Retry-After 0, retries spent: 2 attempts");
	ok(resp.retry_after == 0, "Retry-After 0: retry_after 0 (%g)",
	    resp.retry_after);
	http_response_release(&resp);

	t0 = ag_mono_ms();
	rc = get(&ag, "/retry-after-ms/rams/1/300", &resp);
	took = (double)(ag_mono_ms() - t0) / 1000;
	is_int(resp.status, 200, "retry-after-ms 300: status 200");
	is_int(resp.attempts, 2, "retry-after-ms 300: two attempts");
	ok(took >= 0.3, "retry-after-ms 300: waited 0.3 s (%.3f)", took);
	is_str(http_header(&resp, "retry-after-ms", v, sizeof(v)), NULL,
	    "retry-after-ms: gone from the final headers");
	http_response_release(&resp);

	/* retry-after-ms is more precise; it wins over Retry-After. */
	rc = get(&ag, "/retry-after-ms/ramsp/1/20?and=999", &resp);
	is_int(resp.status, 200, "retry-after-ms beats Retry-After: 200");
	is_int(resp.attempts, 2, "retry-after-ms beats Retry-After: retried");
	http_response_release(&resp);
}

static void
post(const char *path, int idempotent, struct http_response *resp)
{
	struct http_request req;

	http_request_init(&req, url(path));
	req.body = "{\"q\":1}";
	req.body_len = 7;
	req.idempotent = idempotent;
	http_request(&ag, &req, resp);
}

static void
test_post(void)
{
	struct http_request req;
	struct http_response resp;
	int rc;

	post("/flaky/p500/1/500", 0, &resp);
	is_int(resp.status, 500, "POST 500: not retried");
	is_int(resp.attempts, 1, "POST 500: one attempt");
	is_int(count("p500"), 1, "POST 500: the server saw it once");
	http_response_release(&resp);

	post("/flaky/p502/1/502", 0, &resp);
	is_int(resp.status, 502, "POST 502: not retried");
	is_int(count("p502"), 1, "POST 502: the server saw it once");
	http_response_release(&resp);

	post("/flaky/p503/2/503", 0, &resp);
	is_int(resp.status, 200, "POST 503: retried");
	is_int(resp.attempts, 3, "POST 503: three attempts");
	is_int(member_int(&resp, "length"), 7, "POST 503: body resent whole");
	http_response_release(&resp);

	post("/flaky/p429/1/429", 0, &resp);
	is_int(resp.status, 200, "POST 429: retried");
	is_int(resp.attempts, 2, "POST 429: two attempts");
	http_response_release(&resp);

	post("/retry-after/p429ra/1/0", 0, &resp);
	is_int(resp.status, 200, "POST 429 + Retry-After: retried");
	http_response_release(&resp);

	post("/flaky/pidem/1/500", 1, &resp);
	is_int(resp.status, 200, "POST marked idempotent: 500 retried");
	is_int(resp.attempts, 2, "POST marked idempotent: two attempts");
	http_response_release(&resp);

	http_request_init(&req, url("/flaky/put500/1/500"));
	req.method = "PUT";
	req.body = "x";
	req.body_len = 1;
	http_request(&ag, &req, &resp);
	is_int(resp.status, 200, "PUT 500: retried (idempotent)");
	http_response_release(&resp);

	/*
	 * No reply at all on a kept-alive connection (the /ok just before
	 * leaves one open): the server read the POST and may have acted on
	 * it, so it must not be sent again, by us or by libcurl.
	 */
	get(&ag, "/ok", &resp);
	http_response_release(&resp);
	post("/drop/pkd/1", 0, &resp);
	is_int(count("pkd"), 1, "POST dropped without a reply on a reused "
	    "connection: the server saw it once");
	http_response_release(&resp);

	/* The request went out and the answer broke off: maybe done. */
	http_request_init(&req, url("/drop-mid/pdm/1"));
	req.body = "{\"q\":1}";
	req.body_len = 7;
	rc = http_request(&ag, &req, &resp);
	is_int(rc, AG_TEMPFAIL, "POST cut mid-body: AG_TEMPFAIL");
	is_int(resp.attempts, 1, "POST cut mid-body: not retried");
	is_int(count("pdm"), 1, "POST cut mid-body: the server saw it once");
	http_response_release(&resp);
}

static void
test_refused(void)
{
	struct http_request req;
	struct http_response resp;
	char u[128];
	int p = dead_port(), rc;

	ok(p > 0, "a dead port (%d)", p);
	snprintf(u, sizeof(u), "http://127.0.0.1:%d/ok", p);
	http_request_init(&req, u);
	req.retries = 2;
	ag.err[0] = '\0';
	rc = http_request(&ag, &req, &resp);
	is_int(rc, AG_TEMPFAIL, "refused: AG_TEMPFAIL");
	is_int(resp.status, 0, "refused: no status");
	is_int(resp.attempts, 3, "refused: retried");
	ok(strstr(ag.err, "after retries") != NULL, "refused: ag->err says "
	    "so (%s)", ag.err);
	http_response_release(&resp);

	/* Nothing was sent, so even a POST may be tried again. */
	http_request_init(&req, u);
	req.body = "x";
	req.body_len = 1;
	req.retries = 1;
	rc = http_request(&ag, &req, &resp);
	is_int(rc, AG_TEMPFAIL, "refused POST: AG_TEMPFAIL");
	is_int(resp.attempts, 2, "refused POST: retried");
	http_response_release(&resp);
}

static void
test_drop(void)
{
	struct http_request req;
	struct http_response resp;
	int rc;

	/*
	 * With a kept-alive connection libcurl itself resends once when
	 * nothing came back, so only the server's count is exact here.
	 */
	rc = get(&ag, "/drop/gd/1", &resp);
	is_int(rc, AG_OK, "GET dropped without a reply: succeeds");
	is_int(resp.status, 200, "GET dropped: status 200");
	is_int(count("gd"), 2, "GET dropped: the server saw 2");
	http_response_release(&resp);

	rc = get(&ag, "/reset/gr/1", &resp);
	is_int(rc, AG_OK, "GET reset: succeeds");
	is_int(resp.status, 200, "GET reset: status 200");
	is_int(count("gr"), 2, "GET reset: the server saw 2");
	http_response_release(&resp);

	rc = get(&ag, "/drop-mid/gdm/2", &resp);
	is_int(rc, AG_OK, "GET cut mid-body: succeeds");
	is_int(resp.status, 200, "GET cut mid-body: status 200");
	is_int(resp.attempts, 3, "GET cut mid-body: three attempts");
	ok(strstr(buf_str(&resp.body), "part") == NULL,
	    "GET cut mid-body: no piece of the broken body left");
	http_response_release(&resp);

	http_request_init(&req, url("/drop/gdall/1000"));
	req.retries = 1;
	rc = http_request(&ag, &req, &resp);
	is_int(rc, AG_TEMPFAIL, "GET dropped for ever: AG_TEMPFAIL");
	is_int(resp.status, 0, "GET dropped for ever: no status");
	http_response_release(&resp);
}

static void
test_timeout(void)
{
	struct http_request req;
	struct http_response resp;
	int64_t t0;
	int rc;

	t0 = ag_mono_ms();
	rc = get(&ag_short, "/stall", &resp);
	is_int(rc, AG_TEMPFAIL, "http.timeout 0.5, stalled body: AG_TEMPFAIL");
	is_int(resp.attempts, 2, "stalled: retried once (http.retries 1)");
	ok(ag_mono_ms() - t0 >= 900, "stalled: two timeouts waited");
	http_response_release(&resp);

	rc = get(&ag_short, "/ok", &resp);
	is_int(resp.status, 200, "http.timeout 0.5: a quick answer is fine");
	http_response_release(&resp);

	http_request_init(&req, url("/slow/3000"));
	req.timeout = 0.3;
	req.retries = 0;
	rc = http_request(&ag, &req, &resp);
	is_int(rc, AG_TEMPFAIL, "req.timeout 0.3 on /slow/3000: AG_TEMPFAIL");
	is_int(resp.attempts, 1, "req.timeout: one attempt (retries 0)");
	http_response_release(&resp);

	t0 = ag_mono_ms();
	rc = get(&ag, "/slow/200", &resp);
	is_int(resp.status, 200, "/slow/200: answered");
	ok(ag_mono_ms() - t0 >= 200, "/slow/200: took its time");
	http_response_release(&resp);

	/*
	 * No body byte at all: libcurl's speed check averages over a few
	 * seconds, so bytes before the stall would only make this slower.
	 */
	http_request_init(&req, url("/stall?bytes=0"));
	req.idle_timeout = 1;
	req.retries = 0;
	rc = http_request(&ag, &req, &resp);
	is_int(rc, AG_TEMPFAIL, "idle_timeout 1 on a stall: AG_TEMPFAIL");
	is_int(resp.attempts, 1, "idle_timeout: one attempt (retries 0)");
	http_response_release(&resp);
}

static void
test_cap(void)
{
	struct http_request req;
	struct http_response resp;
	int rc;

	http_request_init(&req, url("/big/5000"));
	req.max_response = 1000;
	ag.err[0] = '\0';
	rc = http_request(&ag, &req, &resp);
	is_int(rc, AG_DATAERR, "over max_response: AG_DATAERR");
	is_int(resp.attempts, 1, "over max_response: not retried");
	ok(strstr(ag.err, "http.max_response") != NULL,
	    "over max_response: ag->err names the key (%s)", ag.err);
	http_response_release(&resp);

	http_request_init(&req, url("/big/1000"));
	req.max_response = 1000;
	rc = http_request(&ag, &req, &resp);
	is_int(rc, AG_OK, "exactly max_response: fine");
	is_int(resp.body.len, 1000, "exactly max_response: all of it");
	http_response_release(&resp);

	http_request_init(&req, url("/big/1001"));
	req.max_response = 1000;
	rc = http_request(&ag, &req, &resp);
	is_int(rc, AG_DATAERR, "one byte over max_response: AG_DATAERR");
	http_response_release(&resp);

	rc = get(&ag, "/big/3000000", &resp);
	is_int(rc, AG_OK, "3 MB under the default cap");
	is_int(resp.body.len, 3000000, "3 MB: all of it");
	http_response_release(&resp);
}

/* Send a region of the body file; check the server got those bytes. */
static void
upload(const char *method, const char *path, long long off, long long len,
    int want_status, const char *what)
{
	struct http_request req;
	struct http_response resp;
	char want[65], got[128], m[16];
	long long n = len >= 0 ? len : FILE_SIZE - off;
	int rc;

	region_sha(file, off, n, want);
	http_request_init(&req, url(path));
	req.method = method;
	req.body_file = file;
	req.body_offset = off;
	req.body_length = len;
	rc = http_request(&ag, &req, &resp);
	is_int(rc, AG_OK, "%s: sent", what);
	is_int(resp.status, want_status, "%s: status", what);
	is_str(member(&resp, NULL, "method", m, sizeof(m)),
	    method ? method : "POST", "%s: method", what);
	is_int(member_int(&resp, "length"), n, "%s: length", what);
	ok(want[0] != '\0', "%s: sha256sum ran", what);
	is_str(member(&resp, NULL, "sha256", got, sizeof(got)), want,
	    "%s: sha256", what);
	http_response_release(&resp);
}

static void
test_body_file(void)
{
	struct http_request req;
	struct http_response resp;
	char want[65], got[128], *mem;
	FILE *fp;
	int rc;

	upload("PUT", "/echo", 12345, 100000, 200, "PUT region");
	upload(NULL, "/echo", 777, 65536, 200, "POST region");
	upload("PUT", "/echo", 1000, -1, 200, "PUT to the end of the file");
	upload("PUT", "/echo", 0, FILE_SIZE, 200, "PUT whole file");
	upload("PUT", "/echo", 5000, 0, 200, "PUT empty region");
	upload("PUT", "/flaky/pf503/1/503", 4096, 50000, 200,
	    "PUT region after a 503");
	upload("PUT", "/drop/pfdrop/1", 4096, 50000, 200,
	    "PUT region after a dropped connection");
	upload(NULL, "/flaky/ppf429/2/429", 99, 120000, 200,
	    "POST region after two 429s");

	/* The same bytes from memory: binary, NULs and all. */
	mem = xmalloc(30000);
	if ((fp = fopen(file, "rb")) != NULL) {
		if (fseek(fp, 300, SEEK_SET) != 0 ||
		    fread(mem, 1, 30000, fp) != 30000)
			memset(mem, 0, 30000);
		fclose(fp);
	}
	region_sha(file, 300, 30000, want);
	http_request_init(&req, url("/echo"));
	req.body = mem;
	req.body_len = 30000;
	http_request(&ag, &req, &resp);
	is_int(member_int(&resp, "length"), 30000, "binary body from memory: "
	    "length");
	is_str(member(&resp, NULL, "sha256", got, sizeof(got)), want,
	    "binary body from memory: sha256");
	http_response_release(&resp);
	free(mem);

	http_request_init(&req, url("/echo"));
	req.body_file = "/nonexistent/body.bin";
	rc = http_request(&ag, &req, &resp);
	is_int(rc, AG_NOINPUT, "missing body file: AG_NOINPUT");
	http_response_release(&resp);

	http_request_init(&req, url("/echo"));
	req.method = "PUT";
	req.body_file = file;
	req.body_offset = FILE_SIZE - 10;
	req.body_length = 11;
	rc = http_request(&ag, &req, &resp);
	is_int(rc, AG_NOINPUT, "region past the end: AG_NOINPUT");
	http_response_release(&resp);
}

struct lines {
	int n;
	char line[16][512];
	int stop_at;			/* return 42 on line stop_at */
};

static int
on_line(void *arg, const char *line, size_t len)
{
	struct lines *l = arg;

	if (l->n < 16)
		snprintf(l->line[l->n], sizeof(l->line[0]), "%.*s", (int)len,
		    line);
	l->n++;
	return l->n == l->stop_at ? 42 : 0;
}

struct events {
	int n;
	char event[16][32];
	char data[16][128];
};

static int
on_event(void *arg, const char *event, const char *data)
{
	struct events *e = arg;

	if (e->n < 16) {
		snprintf(e->event[e->n], sizeof(e->event[0]), "%s", event);
		snprintf(e->data[e->n], sizeof(e->data[0]), "%s", data);
	}
	e->n++;
	return 0;
}

static void
test_ndjson(void)
{
	struct http_request req;
	struct http_response resp;
	struct lines l;
	int rc;

	memset(&l, 0, sizeof(l));
	http_request_init(&req, url("/ndjson"));
	req.on_line = on_line;
	req.line_arg = &l;
	rc = http_request(&ag, &req, &resp);
	is_int(rc, AG_OK, "ndjson: succeeds");
	is_int(resp.status, 200, "ndjson: status 200");
	is_int(l.n, 4, "ndjson: four lines");
	is_str(l.line[0], "{\"i\":1}", "ndjson: line 1");
	is_str(l.line[1], "{\"i\":2}", "ndjson: line 2, CR LF stripped");
	is_str(l.line[2], "{\"i\":3,\"s\":\"three\"}", "ndjson: line 3");
	is_str(l.line[3], "{\"i\":4}", "ndjson: last line without newline");
	is_int(resp.body.len, 0, "ndjson: the body is not kept");
	http_response_release(&resp);

	memset(&l, 0, sizeof(l));
	l.stop_at = 2;
	http_request_init(&req, url("/ndjson"));
	req.on_line = on_line;
	req.line_arg = &l;
	rc = http_request(&ag, &req, &resp);
	is_int(rc, 42, "ndjson: the callback's status stops the request");
	is_int(l.n, 2, "ndjson: no line after the stop");
	is_int(resp.attempts, 1, "ndjson: a stop is not retried");
	http_response_release(&resp);

	/* Lines were delivered, then the connection broke. */
	memset(&l, 0, sizeof(l));
	http_request_init(&req, url("/drop-mid/sdm/1"));
	req.on_line = on_line;
	req.line_arg = &l;
	rc = http_request(&ag, &req, &resp);
	is_int(rc, AG_TEMPFAIL, "stream cut after lines: AG_TEMPFAIL");
	ok(l.n >= 1, "stream cut: lines were delivered (%d)", l.n);
	is_str(l.line[0], "{\"part\":1}", "stream cut: the first line");
	is_int(resp.attempts, 1, "stream cut: not retried");
	is_int(count("sdm"), 1, "stream cut: the server saw it once");
	http_response_release(&resp);

	/*
	 * A 503 is not part of the answer: the stream has not started, so
	 * the request is retried and on_line sees only the real body.
	 */
	memset(&l, 0, sizeof(l));
	http_request_init(&req, url("/flaky/s503/1/503"));
	req.on_line = on_line;
	req.line_arg = &l;
	rc = http_request(&ag, &req, &resp);
	is_int(rc, AG_OK, "stream after a 503: succeeds");
	is_int(resp.status, 200, "stream after a 503: retried to a 200");
	is_int(resp.attempts, 2, "stream after a 503: two attempts");
	is_int(l.n, 1, "stream after a 503: on_line saw one line");
	ok(strstr(l.line[0], "\"ok\": true") != NULL, "stream after a 503: "
	    "and it is the 200's (%s)", l.line[0]);
	http_response_release(&resp);
}

static void
test_sse(void)
{
	struct http_request req;
	struct http_response resp;
	struct events e;
	struct sse s;
	int rc;

	memset(&e, 0, sizeof(e));
	sse_init(&s, on_event, &e);
	http_request_init(&req, url("/sse"));
	req.on_line = sse_line;
	req.line_arg = &s;
	rc = http_request(&ag, &req, &resp);
	is_int(rc, AG_OK, "sse: succeeds");
	is_int(sse_finish(&s), 0, "sse: finish");
	is_int(e.n, 4, "sse: four events, comments ignored");
	is_str(e.event[0], "message", "sse: default event name");
	is_str(e.data[0], "hello", "sse: first data");
	is_str(e.event[1], "delta", "sse: event: name");
	is_str(e.data[1], "line one\nline two\nno-space",
	    "sse: multi-line data joined with \\n");
	is_str(e.event[2], "message", "sse: name reset after an event");
	is_str(e.data[2], "{\"n\":3}", "sse: id and retry ignored");
	is_str(e.data[3], "[DONE]", "sse: [DONE] seen");
	sse_release(&s);
	http_response_release(&resp);
}

static void
test_retry_policy(void)
{
	unsigned int seed = 42;
	double d, lo, hi, ceiling;
	int a, i, inside;

	ok(http_parse_retry_after("120", 0) == 120, "Retry-After: 120");
	ok(http_parse_retry_after(" 7", 0) == 7, "Retry-After: leading space");
	ok(http_parse_retry_after("1.5", 0) == 1.5, "Retry-After: 1.5");
	ok(http_parse_retry_after("0", 0) == 0, "Retry-After: 0");
	ok(http_parse_retry_after("-1", 0) == -1, "Retry-After: negative");
	ok(http_parse_retry_after("soon", 0) == -1, "Retry-After: a word");
	ok(http_parse_retry_after("", 0) == -1, "Retry-After: empty");
	ok(http_parse_retry_after(NULL, 0) == -1, "Retry-After: NULL");
	ok(http_parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT",
	    1445412480 - 30) == 30, "Retry-After: IMF-fixdate 30 s ahead");
	ok(http_parse_retry_after("Wednesday, 21-Oct-15 07:28:00 GMT",
	    1445412480 - 30) == 30, "Retry-After: RFC 850 date");
	ok(http_parse_retry_after("Wed Oct 21 07:28:00 2015",
	    1445412480 - 30) == 30, "Retry-After: asctime date");
	ok(http_parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT",
	    1445412480 + 100) == 0, "Retry-After: a past date is 0");
	/* Rate-limit reset headers: seconds, epoch seconds, RFC 3339. */
	ok(http_parse_reset("30", 1445412480) == 30, "reset: 30 seconds");
	ok(http_parse_reset("1445412510", 1445412480) == 30,
	    "reset: epoch seconds (X, Bluesky)");
	ok(http_parse_reset("1445412000", 1445412480) == 0,
	    "reset: an epoch past is 0");
	ok(http_parse_reset("2015-10-21T07:28:30.000Z", 1445412480) == 30,
	    "reset: RFC 3339 (Mastodon)");
	ok(http_parse_reset("Wed, 21 Oct 2015 07:28:30 GMT", 1445412480) == 30,
	    "reset: an HTTP date");
	ok(http_parse_reset("soon", 0) == -1 && http_parse_reset(NULL, 0) == -1,
	    "reset: nothing usable");

	for (a = 0; a <= 12; a++) {
		ceiling = 0.5 * (double)(1 << a);
		if (ceiling > 30)
			ceiling = 30;
		lo = 1e9;
		hi = -1;
		inside = 1;
		for (i = 0; i < 500; i++) {
			d = http_backoff(0.5, 30, a, &seed);
			if (d < 0 || d > ceiling)
				inside = 0;
			lo = d < lo ? d : lo;
			hi = d > hi ? d : hi;
		}
		ok(inside, "backoff attempt %d within [0, %g]", a, ceiling);
		ok(lo < ceiling / 4 && hi > ceiling * 3 / 4,
		    "backoff attempt %d jitters over the range (%g-%g)", a,
		    lo, hi);
	}
	d = http_backoff(0.5, 30, 100000, &seed);
	ok(d >= 0 && d <= 30, "backoff: a huge attempt stays under the cap");
	ok(http_backoff(0, 30, 3, &seed) == 0, "backoff: base 0 is 0");

	ok(http_transient(CURLE_COULDNT_CONNECT, 0, 0),
	    "transient: refused, even a POST");
	ok(http_transient(CURLE_COULDNT_RESOLVE_HOST, 0, 0),
	    "transient: DNS failure");
	ok(!http_transient(CURLE_OPERATION_TIMEDOUT, 0, 0),
	    "transient: a timed-out POST is not");
	ok(http_transient(CURLE_OPERATION_TIMEDOUT, 0, 1),
	    "transient: a timed-out GET is");
	ok(http_transient(CURLE_GOT_NOTHING, 0, 1), "transient: empty reply");
	ok(http_transient(CURLE_RECV_ERROR, 0, 1), "transient: reset");
	ok(http_transient(CURLE_PARTIAL_FILE, 0, 1), "transient: cut body");
	ok(!http_transient(CURLE_PARTIAL_FILE, 0, 0),
	    "transient: cut body of a POST is not");
	ok(!http_transient(CURLE_WRITE_ERROR, 0, 1),
	    "transient: our own abort is not");
	ok(!http_transient(CURLE_URL_MALFORMAT, 0, 1),
	    "transient: a bad URL is not");
	ok(http_transient(0, 429, 0), "transient: 429, even a POST");
	ok(http_transient(0, 503, 0), "transient: 503, even a POST");
	ok(!http_transient(0, 500, 0), "transient: 500 on a POST is not");
	ok(http_transient(0, 500, 1), "transient: 500 on a GET is");
	ok(http_transient(0, 502, 1) && http_transient(0, 504, 1) &&
	    http_transient(0, 408, 1), "transient: 408, 502, 504 on a GET");
	ok(!http_transient(0, 502, 0) && !http_transient(0, 504, 0) &&
	    !http_transient(0, 408, 0), "transient: 408, 502, 504 on a POST "
	    "are not");
	ok(!http_transient(0, 200, 1) && !http_transient(0, 404, 1) &&
	    !http_transient(0, 400, 1) && !http_transient(0, 501, 1),
	    "transient: 200, 400, 404, 501 are answers");
}

static void
test_describe(void)
{
	static const char *const hdrs[] = {
		"Authorization: Bearer sk-test-SECRET456",
		"x-goog-api-key: AIzaHEADERSECRET789",
		"Content-Type: application/json",
		NULL
	};
	struct http_request req;
	struct buf out = BUF_INIT;
	const char *s;

	http_request_init(&req, "https://api.example.com/v1/models?"
	    "key=AIzaSyDUMMYSECRET123&alt=sse");
	req.headers = hdrs;
	req.body = "{\"api_key\":\"bodySECRET000\",\"q\":1}";
	req.body_len = strlen(req.body);
	http_describe(&req, &out);
	s = buf_str(&out);
	ok(strstr(s, "POST https://api.example.com/v1/models?key=***&alt=sse")
	    != NULL, "describe: method and URL, key redacted");
	ok(strstr(s, "AIzaSyDUMMYSECRET123") == NULL,
	    "describe: no API key from the query");
	ok(strstr(s, "Authorization: Bearer ***") != NULL,
	    "describe: Authorization redacted, scheme kept");
	ok(strstr(s, "sk-test-SECRET456") == NULL,
	    "describe: no bearer token");
	ok(strstr(s, "AIzaHEADERSECRET789") == NULL,
	    "describe: no API key header");
	ok(strstr(s, "Content-Type: application/json") != NULL,
	    "describe: harmless headers kept");
	ok(strstr(s, "bodySECRET000") == NULL && strstr(s, "\"q\":1") != NULL,
	    "describe: body shown, secret member redacted");
	buf_release(&out);

	http_request_init(&req, "http://127.0.0.1/upload");
	req.method = "PUT";
	req.body_file = "/tmp/video.mp4";
	req.body_offset = 1024;
	http_describe(&req, &out);
	s = buf_str(&out);
	ok(strstr(s, "PUT http://127.0.0.1/upload") != NULL &&
	    strstr(s, "/tmp/video.mp4") != NULL, "describe: a body file");
	buf_release(&out);
}

static void
setup(struct agency *a, const char *name, const char *timeout)
{
	tap_agency(a, name);
	if (config_override(a, "http.backoff", "0.01") != AG_OK ||
	    config_override(a, "http.max_wait", "5") != AG_OK ||
	    (timeout && (config_override(a, "http.timeout", timeout) !=
	    AG_OK || config_override(a, "http.retries", "1") != AG_OK))) {
		printf("Bail out! config_override: %s\n", a->err);
		exit(1);
	}
}

int
main(void)
{
	tap_tmpdir();
	setup(&ag, "t-http", NULL);
	setup(&ag_short, "t-http", "0.5");
	if (start_server() != 0) {
		printf("Bail out! cannot start tests/servers/httpfault.py\n");
		return 1;
	}
	make_file();

	test_get();
	test_header();
	test_methods();
	test_flaky();
	test_retry_after();
	test_post();
	test_refused();
	test_drop();
	test_timeout();
	test_cap();
	test_body_file();
	test_ndjson();
	test_sse();
	test_retry_policy();
	test_describe();

	ag_release(&ag_short);
	ag_release(&ag);
	return done_testing();
}
