/*
 * t-oauth - lib/net/oauth.c and cred.c against the OAuth side of
 * tests/servers/platformfake.py (run as fake_youtube.py --rotate): the
 * whole authorization code flow with PKCE through the loopback
 * redirect (a curl plays the browser), refresh before expiry and on a
 * rejected token, rotation persisted before use, refreshes of one
 * account serialised across processes, a dead refresh token, and the
 * credentials file's mode.
 */
#include <sys/stat.h>

#include "tap.h"

static struct agency ag;
static int port;
static char base[64];

static const char *
at(const char *path)
{
	static char b[4][256];
	static int i;
	char *p = b[i++ % 4];

	snprintf(p, sizeof(b[0]), "%s%s", base, path);
	return p;
}

/* A number in the fake's /_fake/state. */
static long long
state(const char *key)
{
	struct http_request req;
	struct http_response resp;
	cJSON *doc;
	long long v = -1;

	http_request_init(&req, at("/_fake/state"));
	if (http_request(&ag, &req, &resp) == AG_OK && resp.status == 200 &&
	    (doc = cJSON_Parse(buf_str(&resp.body))) != NULL) {
		v = (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(doc,
		    key));
		cJSON_Delete(doc);
	}
	http_response_release(&resp);
	return v;
}

static void
post(const char *path)
{
	struct http_request req;
	struct http_response resp;

	http_request_init(&req, at(path));
	req.method = "POST";
	req.body = "";
	http_request(&ag, &req, &resp);
	http_response_release(&resp);
}

/* The browser: follow the URL, redirects included, in the background. */
static void
browse(void *arg, const char *url)
{
	extern char **environ;
	char *argv[] = { "curl", "-s", "-L", "-o", "/dev/null", (char *)url,
	    NULL };
	pid_t pid;

	*(int *)arg = posix_spawnp(&pid, "curl", NULL, NULL, argv,
	    environ) == 0 ? (int)pid : -1;
}

static void
client(struct oauth_client *c)
{
	static char auth[128], token[128];

	snprintf(auth, sizeof(auth), "%s/oauth/authorize", base);
	snprintf(token, sizeof(token), "%s/oauth/token", base);
	memset(c, 0, sizeof(*c));
	c->auth_url = auth;
	c->token_url = token;
	c->client_id = "agency-test";
	c->client_secret = "test-secret";
	c->scope = "upload";
	c->timeout = 20;
}

static const char *
member(const cJSON *c, const char *k)
{
	const char *v = cred_str(c, k);

	return v ? v : "";
}

/* A child: refresh the expired token of acct, once. */
static int
racer(const char *acct)
{
	struct agency a;
	struct oauth_client c;
	char *tok = NULL;
	int dead, rc;

	tap_agency(&a, "t-oauth-racer");
	client(&c);
	rc = oauth_access(&a, &c, acct, NULL, &tok, &dead);
	if (rc != AG_OK)
		fprintf(stderr, "racer: %s\n", a.err);
	free(tok);
	ag_release(&a);
	return rc;
}

int
main(void)
{
	const char *const args[] = { "--rotate", "--client-secret",
	    "test-secret", "--token-ttl", "3600", NULL };
	struct oauth_client c;
	struct buf b = BUF_INIT;
	cJSON *tok = NULL, *cr = NULL, *old = NULL;
	char *access = NULL, *path, rt0[128], at0[128];
	struct stat sb;
	int rc, dead, browser = -1, i, status;
	pid_t kids[4];

	tap_tmpdir();
	tap_agency(&ag, "t-oauth");
	config_override(&ag, "http.backoff", "0.01");
	config_override(&ag, "http.retries", "1");

	/* RFC 7636 appendix B. */
	oauth_challenge("dBjftJeZ4CVP-mJ92K1tuGsmPAnvIjEL1k4xk9Wlm7U", 0, &b);
	is_str(buf_str(&b), "z2fFJS-bOblsskBvW_Jmk_q2ol4LdDPefoAbpL6vDd8",
	    "PKCE S256 challenge (as Python computes it)");
	buf_reset(&b);
	oauth_challenge("abc", 1, &b);
	is_int(b.len, 64, "a hex challenge for TikTok is 64 digits");
	buf_release(&b);

	port = tap_server("fake_youtube.py", args);
	ok(port > 0, "the fake OAuth server started");
	if (port <= 0)
		return done_testing();
	snprintf(base, sizeof(base), "http://127.0.0.1:%d", port);
	client(&c);

	rc = oauth_authorize(&ag, &c, browse, &browser, &tok);
	is_int(rc, AG_OK, "authorization code + PKCE through 127.0.0.1");
	if (rc != AG_OK)
		printf("# %s\n", ag.err);
	if (browser > 0)
		waitpid(browser, NULL, 0);
	ok(tok && *member(tok, "access_token") && *member(tok,
	    "refresh_token"), "an access and a refresh token");
	ok(cJSON_IsNumber(cJSON_GetObjectItem(tok, "expires_at")),
	    "expires_in became expires_at");
	rc = cred_save(&ag, "youtube:t", tok);
	is_int(rc, AG_OK, "saved");
	path = cred_path("youtube:t");
	ok(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600,
	    "the credentials file is 0600");
	snprintf(at0, sizeof(at0), "%s", member(tok, "access_token"));
	snprintf(rt0, sizeof(rt0), "%s", member(tok, "refresh_token"));

	rc = oauth_access(&ag, &c, "youtube:t", NULL, &access, &dead);
	is_int(rc, AG_OK, "a fresh token is used as it is");
	is_str(access, at0, "the same token");
	is_int(state("refreshes"), 0, "no refresh happened");
	free(access);

	/* Expiring within the margin: refreshed before use. */
	cJSON_ReplaceItemInObject(tok, "expires_at",
	    cJSON_CreateNumber((double)(ag_now_ms() / 1000 + 60)));
	cred_save(&ag, "youtube:t", tok);
	rc = oauth_access(&ag, &c, "youtube:t", NULL, &access, &dead);
	is_int(rc, AG_OK, "a token about to expire is refreshed");
	ok(access && strcmp(access, at0) != 0, "into a new one");
	is_int(state("refreshes"), 1, "one refresh");
	cred_load(&ag, "youtube:t", &cr);
	ok(strcmp(member(cr, "refresh_token"), rt0) != 0,
	    "the rotated refresh token was written to the file");
	is_str(member(cr, "access_token"), access, "with the new access "
	    "token");
	is_str(member(cr, "scope"), "upload", "members of the answer kept");
	free(access);

	/* A 401 with the token in the file: refresh; another: not. */
	rc = oauth_access(&ag, &c, "youtube:t", "someone-else's", &access,
	    &dead);
	is_int(state("refreshes"), 1, "a rejected token that is not ours "
	    "any more: no refresh");
	free(access);
	rc = oauth_access(&ag, &c, "youtube:t", member(cr, "access_token"),
	    &access, &dead);
	is_int(rc, AG_OK, "the token in the file was rejected (401)");
	is_int(state("refreshes"), 2, "so it is refreshed once");
	free(access);

	/* Several processes, one expired token: one refresh among them. */
	cJSON_Delete(cr);
	cred_load(&ag, "youtube:t", &cr);
	cJSON_ReplaceItemInObject(cr, "expires_at", cJSON_CreateNumber(1));
	cred_save(&ag, "youtube:t", cr);
	for (i = 0; i < 4; i++)
		if ((kids[i] = fork()) == 0)
			_exit(racer("youtube:t"));
	for (i = 0, rc = 0; i < 4; i++)
		if (kids[i] < 0 || waitpid(kids[i], &status, 0) < 0 ||
		    !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			rc = 1;
	is_int(rc, 0, "four processes refreshing at once all get a token");
	is_int(state("refreshes"), 3, "and only one of them refreshed");
	is_int(state("live_refresh_tokens"), 1, "the chain is unbroken: "
	    "one live refresh token");

	/* Replaying a retired refresh token kills the family (X). */
	old = cJSON_Duplicate(tok, 1);
	rc = oauth_refresh(&ag, &c, old, &dead);
	is_int(rc, AG_NOPERM, "an old refresh token is refused");
	ok(dead, "for good: the account needs reconnecting");
	ok(strstr(ag.err, "invalid") != NULL, "with the server's reason");
	cJSON_Delete(cr);
	cred_load(&ag, "youtube:t", &cr);
	cJSON_ReplaceItemInObject(cr, "expires_at", cJSON_CreateNumber(1));
	cred_save(&ag, "youtube:t", cr);
	i = (int)state("requests");
	rc = oauth_access(&ag, &c, "youtube:t", NULL, &access, &dead);
	is_int(rc, AG_NOPERM, "after the replay even the newest is dead");
	ok(dead, "dead, not a loop");
	is_int(state("requests") - i, 2, "exactly one refresh was tried");

	/* The server down: try later, nothing lost. */
	post("/_fake/revoke");
	c.token_url = "http://127.0.0.1:1/token";
	rc = oauth_refresh(&ag, &c, cr, &dead);
	is_int(rc, AG_TEMPFAIL, "an unreachable token endpoint: try later");
	ok(!dead, "not dead");
	client(&c);

	/* The file's mode and absence. */
	chmod(path, 0644);
	cJSON_Delete(cr);
	cr = NULL;
	rc = cred_load(&ag, "youtube:t", &cr);
	is_int(rc, AG_NOPERM, "a credentials file others may read is refused");
	ok(strstr(ag.err, "chmod 600") != NULL, "with how to fix it");
	rc = oauth_access(&ag, &c, "youtube:none", NULL, &access, &dead);
	is_int(rc, AG_NOINPUT, "no credentials at all");
	ok(dead, "that account needs connecting");
	ok(strstr(ag.err, "agency-upload auth youtube:none") != NULL,
	    "and the message says how");

	free(path);
	cJSON_Delete(tok);
	cJSON_Delete(old);
	cJSON_Delete(cr);
	ag_release(&ag);
	return done_testing();
}
