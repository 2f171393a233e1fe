/*
 * oauth.h - OAuth 2.0 for installed apps: the authorization code grant
 * with PKCE through a loopback redirect (RFC 6749 §4.1, RFC 7636,
 * RFC 8252 §7.3), and refreshing tokens that may rotate.
 *
 * Authorizing.  oauth_authorize() listens on 127.0.0.1 (an ephemeral
 * port, or client->port), hands the authorization URL to show() for the
 * user to open, waits for the browser to come back to
 * http://127.0.0.1:PORT/callback with a code and the state it sent,
 * and trades the code and the PKCE verifier for tokens.  Nothing but
 * that one redirect is answered with anything but 404.
 *
 * Refreshing (platforms.md §0.3).  oauth_access() gives an access token
 * for an account whose tokens are in its credentials file (cred.h):
 *  - the token is refreshed when it expires within 5 minutes, or when
 *    rejected names the token the platform just answered 401 to (and
 *    the file still holds that one: another process may have refreshed
 *    it meanwhile, and then its token is used as it is);
 *  - refreshes of one account are serialised with cred_lock(), and the
 *    file is read again under the lock, so two processes never spend
 *    one refresh token twice (X kills the whole token family when an
 *    old refresh token is replayed);
 *  - a rotated refresh token is written to the file (atomically) before
 *    the new access token is handed out, so a crash can never leave us
 *    holding only a refresh token the server has already retired;
 *  - a refresh the server refuses for good (400 invalid_grant, 401
 *    invalid_client, no refresh token at all) sets *dead and returns
 *    AG_NOPERM: the caller marks the account "needs reconnect" and
 *    stops; nothing here ever retries it.  Transient failures (5xx,
 *    network) are AG_TEMPFAIL and leave the tokens as they were.
 *
 * Tokens are stored as the token endpoint sent them (access_token,
 * refresh_token, token_type, scope, and any extra member such as
 * TikTok's open_id) plus expires_at in epoch seconds.
 */
#ifndef AG_NET_OAUTH_H
#define AG_NET_OAUTH_H

#include <stdint.h>

struct agency;
struct buf;
struct cJSON;

struct oauth_client {
	const char *auth_url;		/* the authorization endpoint */
	const char *token_url;		/* the token endpoint */
	const char *client_id;
	const char *client_secret;	/* NULL: a public client */
	const char *scope;		/* space-separated */
	const char *extra;		/* more authorize parameters, encoded
					 * ("access_type=offline") */
	const char *id_param;		/* "client_id" (TikTok: client_key) */
	int basic;			/* client credentials in HTTP Basic,
					 * not the body */
	int hex_challenge;		/* S256 challenge as hex (TikTok) */
	int no_pkce;			/* a confidential client of a server
					 * without PKCE (LinkedIn): no
					 * challenge, no verifier */
	int port;			/* the redirect's port; 0: any free */
	double timeout;			/* seconds to wait for the browser;
					 * 0: 300 */
};

/*
 * oauth_authorize() - the whole authorization code flow.  *tokens is a
 * new object as stored (see above).  AG_TEMPFAIL when the browser does
 * not come back in time, AG_NOPERM when the user or the server refuses.
 */
int oauth_authorize(struct agency *ag, const struct oauth_client *c,
    void (*show)(void *arg, const char *url), void *arg,
    struct cJSON **tokens);

/*
 * oauth_access() - a valid access token for account (new string), per
 * the rules above.  rejected: the token a request was just refused with
 * (401), or NULL.  *dead is set when the account must be authorized
 * again.
 */
int oauth_access(struct agency *ag, const struct oauth_client *c,
    const char *account, const char *rejected, char **token, int *dead);

/*
 * oauth_refresh() - refresh the tokens held in creds now (no lock, no
 * file: oauth_access does those), updating creds in place.  Same
 * errors and *dead as oauth_access.
 */
int oauth_refresh(struct agency *ag, const struct oauth_client *c,
    struct cJSON *creds, int *dead);

/* The PKCE challenge of a verifier (S256; hex when asked), appended. */
void oauth_challenge(const char *verifier, int hex, struct buf *out);

#endif
