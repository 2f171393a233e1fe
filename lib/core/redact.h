/*
 * redact.h - keep secrets out of everything we print or store.
 *
 * ag_redact() returns a copy of a text with secrets replaced by "***":
 * every value registered with ag_secret_add() (API keys, tokens as they
 * are loaded), Authorization, Proxy-Authorization, Cookie, Set-Cookie
 * and API-key headers, "Bearer" tokens, passwords in URLs
 * (scheme://user:***@host), secret query and form parameters (key=,
 * access_token=, password=, ...) and secret JSON members ("api_key",
 * "refresh_token", ...).  The log functions, the HTTP client's
 * --dry-run and the llm_calls table all go through it.
 */
#ifndef AG_REDACT_H
#define AG_REDACT_H

#include <stddef.h>

struct buf;

/* Remember a secret value (copied); strings shorter than 4 are ignored. */
void ag_secret_add(const char *secret);
/* Forget every registered secret. */
void ag_secret_clear(void);
/* A new string (free() it) with the secrets in s replaced. */
char *ag_redact(const char *s);
/* Append the redacted form of n bytes at s to out. */
void ag_redact_buf(struct buf *out, const char *s, size_t n);

#endif
