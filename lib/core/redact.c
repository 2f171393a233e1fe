/*
 * redact.c - replace secrets in text with "***".
 *
 * One left-to-right scan.  At each position we try, in order: a
 * registered secret value, a secret header ("Authorization: Bearer x"),
 * a bare "Bearer x", the password of a URL, a secret parameter
 * ("&access_token=x") and a secret JSON member ("\"password\": \"x\"").
 * The first that matches copies its harmless part, writes "***" for the
 * secret and moves past it; otherwise one byte is copied.  Matching is
 * by name, case-insensitive, never by guessing at entropy.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "redact.h"
#include "xalloc.h"

#define MASK "***"

static char **secrets;
static size_t nsecrets;

static const char *const headers[] = {
	"authorization", "proxy-authorization", "cookie", "set-cookie",
	"x-api-key", "x-goog-api-key", "api-key", "x-auth-token", NULL
};

static const char *const params[] = {
	"key", "api_key", "apikey", "access_token", "refresh_token",
	"id_token", "token", "password", "passwd", "client_secret",
	"secret", "code", "code_verifier", "x-amz-signature",
	"x-amz-security-token", "signature", "sig", "upload_token", NULL
};

static const char *const members[] = {
	"api_key", "apikey", "apiKey", "access_token", "refresh_token",
	"id_token", "accessJwt", "refreshJwt", "password", "client_secret",
	"secret", "token", "authorization", "code_verifier", NULL
};

void
ag_secret_add(const char *secret)
{
	size_t i;

	if (secret == NULL || strlen(secret) < 4)
		return;
	for (i = 0; i < nsecrets; i++)
		if (strcmp(secrets[i], secret) == 0)
			return;
	secrets = xreallocarray(secrets, nsecrets + 1, sizeof(*secrets));
	secrets[nsecrets++] = xstrdup(secret);
}

void
ag_secret_clear(void)
{
	while (nsecrets > 0)
		free(secrets[--nsecrets]);
	free(secrets);
	secrets = NULL;
}

static int
wordch(int c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* If one of names starts s (case-insensitive), return its length. */
static size_t
match_name(const char *s, size_t n, const char *const *names)
{
	size_t i, len;

	for (i = 0; names[i] != NULL; i++) {
		len = strlen(names[i]);
		if (len <= n && strncasecmp(s, names[i], len) == 0 &&
		    (len == n || !wordch(s[len])))
			return len;
	}
	return 0;
}

/* Length of a header or token value: up to the end of the line. */
static size_t
value_len(const char *s, size_t n, const char *stops)
{
	size_t i;

	for (i = 0; i < n && strchr(stops, s[i]) == NULL; i++)
		;
	return i;
}

static size_t
try_secret(struct buf *out, const char *s, size_t n)
{
	size_t i, len;

	for (i = 0; i < nsecrets; i++) {
		len = strlen(secrets[i]);
		if (len <= n && memcmp(s, secrets[i], len) == 0) {
			buf_addstr(out, MASK);
			return len;
		}
	}
	return 0;
}

/* "Authorization: Bearer x" -> "Authorization: Bearer ***". */
static size_t
try_header(struct buf *out, const char *s, size_t n, int atword)
{
	size_t i, name, scheme;

	if (!atword || (name = match_name(s, n, headers)) == 0)
		return 0;
	i = name;
	while (i < n && s[i] == ' ')
		i++;
	if (i >= n || s[i] != ':')
		return 0;
	i++;
	while (i < n && s[i] == ' ')
		i++;
	/* Keep an auth scheme ("Bearer ", "Basic ") readable. */
	for (scheme = i; scheme < n && isalpha((unsigned char)s[scheme]);
	    scheme++)
		;
	if (strncasecmp(s, "authorization", 13) == 0 ||
	    strncasecmp(s, "proxy-authorization", 19) == 0)
		if (scheme < n && s[scheme] == ' ' && scheme > i)
			i = scheme + 1;
	buf_add(out, s, i);
	buf_addstr(out, MASK);
	return i + value_len(s + i, n - i, "\r\n\"'");
}

static size_t
try_bearer(struct buf *out, const char *s, size_t n, int atword)
{
	size_t v;

	if (!atword || n < 8 || strncasecmp(s, "bearer ", 7) != 0)
		return 0;
	v = value_len(s + 7, n - 7, " \t\r\n\"',;");
	if (v == 0)
		return 0;
	buf_add(out, s, 7);
	buf_addstr(out, MASK);
	return 7 + v;
}

/* "https://user:pw@host" -> "https://user:***@host". */
static size_t
try_userinfo(struct buf *out, const char *s, size_t n)
{
	size_t i, colon = 0;

	if (n < 3 || memcmp(s, "://", 3) != 0)
		return 0;
	for (i = 3; i < n; i++) {
		if (s[i] == '/' || s[i] == ' ' || s[i] == '"' ||
		    s[i] == '\n' || s[i] == '?' || s[i] == '#')
			return 0;
		if (s[i] == ':' && colon == 0)
			colon = i;
		if (s[i] == '@')
			break;
	}
	if (i >= n || colon == 0)
		return 0;
	buf_add(out, s, colon + 1);
	buf_addstr(out, MASK);
	return i;
}

/* "&access_token=x" -> "&access_token=***". */
static size_t
try_param(struct buf *out, const char *s, size_t n, int atparam)
{
	size_t name;

	if (!atparam || (name = match_name(s, n, params)) == 0 ||
	    name >= n || s[name] != '=')
		return 0;
	buf_add(out, s, name + 1);
	buf_addstr(out, MASK);
	return name + 1 + value_len(s + name + 1, n - name - 1,
	    "& \t\r\n#\"'");
}

/* "\"password\": \"x\"" -> "\"password\": \"***\"". */
static size_t
try_member(struct buf *out, const char *s, size_t n)
{
	size_t i, name;

	if (s[0] != '"' || (name = match_name(s + 1, n - 1, members)) == 0)
		return 0;
	i = 1 + name;
	if (i >= n || s[i] != '"')
		return 0;
	for (i++; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
		;
	if (i >= n || s[i] != ':')
		return 0;
	for (i++; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
		;
	if (i >= n || s[i] != '"')
		return 0;
	buf_add(out, s, i + 1);
	buf_addstr(out, MASK);
	for (i++; i < n && s[i] != '"'; i++)
		if (s[i] == '\\' && i + 1 < n)
			i++;
	return i;
}

void
ag_redact_buf(struct buf *out, const char *s, size_t n)
{
	size_t i = 0, used;
	int prev = 0, atword, atparam;

	while (i < n) {
		atword = i == 0 || !wordch(prev);
		atparam = i == 0 || strchr("?&; \t\n", prev) != NULL;
		if ((used = try_secret(out, s + i, n - i)) == 0 &&
		    (used = try_header(out, s + i, n - i, atword)) == 0 &&
		    (used = try_bearer(out, s + i, n - i, atword)) == 0 &&
		    (used = try_userinfo(out, s + i, n - i)) == 0 &&
		    (used = try_param(out, s + i, n - i, atparam)) == 0 &&
		    (used = try_member(out, s + i, n - i)) == 0) {
			buf_add(out, s + i, 1);
			used = 1;
		}
		i += used;
		prev = s[i - 1];
	}
}

char *
ag_redact(const char *s)
{
	struct buf out = BUF_INIT;

	buf_addstr(&out, "");
	ag_redact_buf(&out, s, strlen(s));
	return buf_detach(&out);
}
