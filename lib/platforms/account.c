/*
 * account.c - accounts ("youtube:main") and their credentials.
 *
 * The store's accounts table holds an account's platform, its settings
 * (never a secret) and its state: active only when it can publish,
 * needs_reconnect with a reason when its credentials are missing or
 * the platform refused them for good (agency-schedule blocks the posts
 * of such an account).  Secrets live in the credentials file (cred.h).
 * needs_reconnect is cleared by a successful "agency-upload auth" only,
 * so a broken account never silently turns usable again.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "agency.h"
#include "platforms/platform.h"

/* Split "platform:name" and find the platform. */
static int
parse_account(struct agency *ag, const char *account,
    const struct platform_ops **ops)
{
	const char *colon = strchr(account, ':'), *p;
	char platform[32], known[256];
	size_t i, len = 0;

	if (colon == NULL || colon == account || colon[1] == '\0' ||
	    (size_t)(colon - account) >= sizeof(platform))
		return ag_fail(ag, AG_USAGE, "account '%s': expected "
		    "platform:name (youtube:main, dir:archive)", account);
	for (p = colon + 1; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    *p == '.') || (p == colon + 1 && *p == '.'))
			return ag_fail(ag, AG_USAGE, "account '%s': a name is "
			    "letters, digits, '-', '_' and '.'", account);
	snprintf(platform, sizeof(platform), "%.*s", (int)(colon - account),
	    account);
	if ((*ops = platform_by_name(platform)) != NULL)
		return AG_OK;
	known[0] = '\0';
	for (i = 0; platform_list[i] != NULL; i++) {
		snprintf(known + len, sizeof(known) - len, "%s%s",
		    i ? ", " : "", platform_list[i]->name);
		len = strlen(known);
	}
	return ag_fail(ag, AG_CONFIG, "account '%s': no platform '%s' (known: "
	    "%s)", account, platform, known);
}

static const struct platform_setting *
find_setting(const struct platform_ops *ops, const char *name)
{
	const struct platform_setting *s;

	for (s = ops->settings; s != NULL && s->name != NULL; s++)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

static int
has_credentials(const char *account)
{
	char *path = cred_path(account);
	struct stat sb;
	int r = stat(path, &sb) == 0;

	free(path);
	return r;
}

/* Can these credentials publish, as far as we can tell offline? */
static int
usable(const struct platform_ops *ops, const cJSON *cred)
{
	switch (ops->auth) {
	case PLATFORM_AUTH_NONE:
		return 1;
	case PLATFORM_AUTH_OAUTH:
		return cred_str(cred, "access_token") != NULL ||
		    cred_str(cred, "refresh_token") != NULL;
	case PLATFORM_AUTH_TOKEN:
		return cred_str(cred, "access_token") != NULL;
	case PLATFORM_AUTH_PASSWORD:
		return cred_str(cred, "identifier") != NULL &&
		    cred_str(cred, "password") != NULL;
	case PLATFORM_AUTH_KEYS:
		return cred_str(cred, "access_key") != NULL &&
		    cred_str(cred, "secret_key") != NULL;
	case PLATFORM_AUTH_SECRET:
		return cred_str(cred, "secret") != NULL;
	}
	return 0;
}

static void
set_member(cJSON *o, const char *k, const char *v)
{
	cJSON_DeleteItemFromObjectCaseSensitive(o, k);
	if (v != NULL && *v != '\0')
		cJSON_AddStringToObject(o, k, v);
}

/* Times in documents are RFC 3339, not the store's milliseconds. */
static void
doc_times(cJSON *row)
{
	static const char *const keys[] = { "created_at", "updated_at" };
	char b[AG_TIMEBUF];
	const cJSON *v;
	size_t i;

	for (i = 0; i < 2; i++) {
		v = cJSON_GetObjectItem(row, keys[i]);
		if (cJSON_IsNumber(v))
			cJSON_ReplaceItemInObject(row, keys[i],
			    cJSON_CreateString(ag_time_format((time_t)
			    (v->valuedouble / 1000), b)));
	}
}

/* The account's row with has_credentials, for printing. */
static int
account_doc(struct agency *ag, struct store *st, const char *account,
    cJSON **out)
{
	cJSON *row;
	int rc;

	if ((rc = accounts_get(ag, st, account, &row)) != AG_OK)
		return rc;
	cJSON_AddBoolToObject(row, "has_credentials",
	    has_credentials(account));
	doc_times(row);
	*out = row;
	return AG_OK;
}

int
platform_account_add(struct agency *ag, const char *account,
    const char *const *kv, size_t n, cJSON **out)
{
	const struct platform_ops *ops;
	const struct platform_setting *s;
	struct store *st;
	cJSON *row = NULL, *settings = NULL, *cred = NULL;
	const char *eq;
	char key[64];
	size_t i;
	int rc, cred_changed = 0;

	if ((rc = parse_account(ag, account, &ops)) != AG_OK ||
	    (rc = ag_store(ag, &st)) != AG_OK)
		return rc;
	if (accounts_get(ag, st, account, &row) == AG_OK)
		settings = cJSON_DetachItemFromObject(row, "settings");
	ag_clear_error(ag);
	if (!cJSON_IsObject(settings)) {
		cJSON_Delete(settings);
		settings = cJSON_CreateObject();
	}
	if (cred_load(ag, account, &cred) != AG_OK) {
		if (strstr(ag->err, "may be read by others") != NULL) {
			rc = AG_NOPERM;
			goto out;
		}
		cred = cJSON_CreateObject();
	}
	ag_clear_error(ag);
	for (i = 0; i < n; i++) {
		if ((eq = strchr(kv[i], '=')) == NULL ||
		    (size_t)(eq - kv[i]) >= sizeof(key)) {
			rc = ag_fail(ag, AG_USAGE, "setting '%s': expected "
			    "key=value", kv[i]);
			goto out;
		}
		snprintf(key, sizeof(key), "%.*s", (int)(eq - kv[i]), kv[i]);
		if ((s = find_setting(ops, key)) == NULL) {
			rc = ag_fail(ag, AG_USAGE, "%s accounts have no "
			    "setting '%s' (see agency-upload(1))", ops->name,
			    key);
			goto out;
		}
		if (s->flags & SETTING_SECRET) {
			set_member(cred, key, eq + 1);
			cred_changed = 1;
		} else {
			set_member(settings, key, eq + 1);
		}
	}
	for (s = ops->settings; s != NULL && s->name != NULL; s++)
		if ((s->flags & SETTING_REQUIRED) && platform_setting(ag, ops,
		    settings, s->name) == NULL && (!(s->flags &
		    SETTING_SECRET) || cred_str(cred, s->name) == NULL)) {
			rc = ag_fail(ag, AG_USAGE, "account '%s' needs the "
			    "setting '%s' (%s): --set %s=...", account,
			    s->name, s->help, s->name);
			goto out;
		}
	if (cred_changed && (rc = cred_save(ag, account, cred)) != AG_OK)
		goto out;
	if ((rc = accounts_put(ag, st, account, settings)) != AG_OK)
		goto out;
	/* A new account, or one given its secrets here, says how it is. */
	if (row == NULL || cred_changed) {
		int ok = usable(ops, cred);

		rc = accounts_set_state(ag, st, account, ok ? "active" :
		    "needs_reconnect", ok ? NULL : "not authorized yet");
		if (rc != AG_OK)
			goto out;
	}
	rc = account_doc(ag, st, account, out);
out:
	cJSON_Delete(row);
	cJSON_Delete(settings);
	cJSON_Delete(cred);
	return rc;
}

int
platform_account_remove(struct agency *ag, const char *account)
{
	const struct platform_ops *ops;
	struct store *st;
	int rc;

	if ((rc = parse_account(ag, account, &ops)) != AG_OK ||
	    (rc = ag_store(ag, &st)) != AG_OK ||
	    (rc = accounts_remove(ag, st, account)) != AG_OK)
		return rc;
	return cred_remove(ag, account);
}

int
platform_account_list(struct agency *ag, cJSON **out)
{
	struct store *st;
	cJSON *rows, *r;
	const char *name;
	int rc;

	if ((rc = ag_store(ag, &st)) != AG_OK ||
	    (rc = accounts_list(ag, st, &rows)) != AG_OK)
		return rc;
	cJSON_ArrayForEach(r, rows) {
		name = ag_jstr(r, "name");
		cJSON_AddBoolToObject(r, "has_credentials", name != NULL &&
		    has_credentials(name));
		doc_times(r);
	}
	*out = rows;
	return AG_OK;
}

void
platform_account_broken(struct agency *ag, const char *account,
    const char *reason)
{
	struct store *st;
	char saved[sizeof(ag->err)];

	/* Keep the error being reported; this is a side note to it. */
	memcpy(saved, ag->err, sizeof(saved));
	ag_warn(ag, "account '%s' needs reconnecting: %s", account, reason);
	if (ag_store(ag, &st) == AG_OK)
		accounts_set_state(ag, st, account, "needs_reconnect", reason);
	memcpy(ag->err, saved, sizeof(saved));
}

void
platform_oauth_client(struct agency *ag, const struct platform_ops *ops,
    const cJSON *settings, const cJSON *cred, struct oauth_client *out)
{
	const struct platform_oauth *d = ops->oauth;
	const char *v;
	long long port;

	memset(out, 0, sizeof(*out));
	if (d != NULL) {
		out->auth_url = d->auth_url;
		out->token_url = d->token_url;
		out->scope = d->scope;
		out->extra = d->extra;
		out->id_param = d->id_param;
		out->basic = d->basic;
		out->hex_challenge = d->hex_challenge;
		out->no_pkce = d->no_pkce;
	}
	if ((v = platform_setting(ag, ops, settings, "auth_url")) != NULL)
		out->auth_url = v;
	if ((v = platform_setting(ag, ops, settings, "token_url")) != NULL)
		out->token_url = v;
	if ((v = platform_setting(ag, ops, settings, "scope")) != NULL)
		out->scope = v;
	if ((v = platform_setting(ag, ops, settings, "token_auth")) != NULL)
		out->basic = strcmp(v, "basic") == 0;
	if ((v = platform_setting(ag, ops, settings, "redirect_port")) !=
	    NULL && ag_parse_ll(v, 0, 65535, &port) == 0)
		out->port = (int)port;
	/* The setting is named as the platform names the parameter
	 * (TikTok's client_key). */
	out->client_id = platform_setting(ag, ops, settings,
	    out->id_param ? out->id_param : "client_id");
	out->client_secret = cred_str(cred, "client_secret");
}

int
platform_account_open(struct agency *ag, const char *account, int dry,
    const struct platform_ops **opsp, cJSON **settingsp, cJSON **credp)
{
	const struct platform_ops *ops;
	const char *state, *reason;
	struct store *st;
	cJSON *row = NULL, *cred = NULL, *settings;
	int rc;

	if ((rc = parse_account(ag, account, &ops)) != AG_OK)
		return rc;
	if ((rc = ag_store(ag, &st)) != AG_OK)
		return rc;
	if ((rc = accounts_get(ag, st, account, &row)) == AG_NOINPUT) {
		if (ops->auth != PLATFORM_AUTH_NONE)
			return ag_fail(ag, AG_CONFIG, "no account '%s': add it "
			    "with 'agency-upload accounts add %s'", account,
			    account);
		/* dir: usable as it is; recorded, so ls tells the truth. */
		if (dry) {
			row = cJSON_CreateObject();
			cJSON_AddStringToObject(row, "state", "active");
			ag_clear_error(ag);
			rc = AG_OK;
		} else if ((rc = platform_account_add(ag, account, NULL, 0,
		    &row)) != AG_OK) {
			return rc;
		} else {
			ag_info(ag, "account '%s' added with its defaults",
			    account);
		}
	} else if (rc != AG_OK) {
		return rc;
	}
	state = ag_jstr(row, "state");
	reason = ag_jstr(row, "reason");
	if (state != NULL && strcmp(state, "needs_reconnect") == 0) {
		if (reason != NULL)
			rc = ag_fail(ag, AG_NOPERM, "account '%s' needs "
			    "reconnecting (%s): run 'agency-upload auth %s'",
			    account, reason, account);
		else
			rc = ag_fail(ag, AG_NOPERM, "account '%s' needs "
			    "reconnecting: run 'agency-upload auth %s'",
			    account, account);
		goto out;
	}
	if (state != NULL && strcmp(state, "paused") == 0) {
		rc = ag_fail(ag, AG_CONFIG, "account '%s' is paused", account);
		goto out;
	}
	if (ops->auth != PLATFORM_AUTH_NONE) {
		if ((rc = cred_load(ag, account, &cred)) == AG_NOINPUT) {
			if (!dry)
				platform_account_broken(ag, account,
				    "no credentials");
			rc = AG_NOPERM;
			goto out;
		}
		if (rc != AG_OK)
			goto out;
		if (!usable(ops, cred)) {
			rc = ag_fail(ag, AG_NOPERM, "account '%s': its "
			    "credentials are incomplete: run 'agency-upload "
			    "auth %s'", account, account);
			platform_account_broken(ag, account,
			    "incomplete credentials");
			goto out;
		}
	}
	settings = cJSON_DetachItemFromObject(row, "settings");
	*opsp = ops;
	*settingsp = settings ? settings : cJSON_CreateObject();
	*credp = cred;
	cred = NULL;
out:
	cJSON_Delete(row);
	cJSON_Delete(cred);
	return rc;
}

static void
show_none(void *arg, const char *url)
{
	(void)arg;
	(void)url;
}

int
platform_account_auth(struct agency *ag, const struct platform_auth_args *a,
    cJSON **out)
{
	const struct platform_ops *ops;
	struct oauth_client oc;
	struct store *st;
	cJSON *row = NULL, *cred = NULL, *tokens = NULL, *settings;
	const cJSON *v;
	int rc, dead;

	if ((rc = parse_account(ag, a->account, &ops)) != AG_OK ||
	    (rc = ag_store(ag, &st)) != AG_OK)
		return rc;
	if ((rc = accounts_get(ag, st, a->account, &row)) != AG_OK) {
		if (rc == AG_NOINPUT)
			rc = ag_fail(ag, AG_CONFIG, "no account '%s': add it "
			    "with 'agency-upload accounts add %s' first",
			    a->account, a->account);
		return rc;
	}
	settings = cJSON_GetObjectItem(row, "settings");
	if (cred_load(ag, a->account, &cred) != AG_OK) {
		if (strstr(ag->err, "may be read by others") != NULL) {
			rc = AG_NOPERM;
			goto out;
		}
		cred = cJSON_CreateObject();
	}
	ag_clear_error(ag);
	if (ops->auth != PLATFORM_AUTH_NONE && ops->auth !=
	    PLATFORM_AUTH_OAUTH && (a->secret == NULL || *a->secret == '\0')) {
		rc = ag_fail(ag, AG_USAGE, "%s accounts need a secret on "
		    "standard input", ops->name);
		goto out;
	}
	if ((ops->auth == PLATFORM_AUTH_PASSWORD || ops->auth ==
	    PLATFORM_AUTH_KEYS) && a->user == NULL) {
		rc = ag_fail(ag, AG_USAGE, "%s accounts need --user (%s)",
		    ops->name, ops->auth == PLATFORM_AUTH_KEYS ? "the access "
		    "key id" : "the handle or e-mail");
		goto out;
	}
	switch (ops->auth) {
	case PLATFORM_AUTH_NONE:
		break;
	case PLATFORM_AUTH_OAUTH:
		platform_oauth_client(ag, ops, settings, cred, &oc);
		if (a->port > 0)
			oc.port = a->port;
		oc.timeout = a->timeout;
		if (oc.client_id == NULL || oc.auth_url == NULL ||
		    oc.token_url == NULL) {
			const char *id = oc.id_param ? oc.id_param :
			    "client_id";

			rc = ag_fail(ag, AG_CONFIG, "account '%s' has no "
			    "%s: add it with 'agency-upload accounts add %s "
			    "--set %s=ID'", a->account, id, a->account, id);
			goto out;
		}
		if (a->refresh) {
			rc = oauth_refresh(ag, &oc, cred, &dead);
			if (rc != AG_OK) {
				if (dead)
					platform_account_broken(ag, a->account,
					    ag->err);
				goto out;
			}
			break;
		}
		if ((rc = oauth_authorize(ag, &oc, a->show ? a->show :
		    show_none, a->show_arg, &tokens)) != AG_OK)
			goto out;
		/* New tokens replace the old; the client secret stays. */
		cJSON_ArrayForEach(v, tokens) {
			cJSON_DeleteItemFromObjectCaseSensitive(cred,
			    v->string);
			cJSON_AddItemToObject(cred, v->string,
			    cJSON_Duplicate(v, 1));
		}
		if (cJSON_GetObjectItem(tokens, "expires_at") == NULL)
			cJSON_DeleteItemFromObject(cred, "expires_at");
		if (cJSON_GetObjectItem(tokens, "refresh_token") == NULL)
			ag_warn(ag, "%s: no refresh token came back: the "
			    "account must be authorized again when the access "
			    "token expires", a->account);
		break;
	case PLATFORM_AUTH_TOKEN:
		set_member(cred, "access_token", a->secret);
		break;
	case PLATFORM_AUTH_PASSWORD:
		set_member(cred, "identifier", a->user);
		set_member(cred, "password", a->secret);
		break;
	case PLATFORM_AUTH_KEYS:
		set_member(cred, "access_key", a->user);
		set_member(cred, "secret_key", a->secret);
		break;
	case PLATFORM_AUTH_SECRET:
		set_member(cred, "secret", a->secret);
		break;
	}
	if (ops->auth != PLATFORM_AUTH_NONE &&
	    (rc = cred_save(ag, a->account, cred)) != AG_OK)
		goto out;
	if ((rc = accounts_set_state(ag, st, a->account, "active", NULL)) !=
	    AG_OK)
		goto out;
	rc = account_doc(ag, st, a->account, out);
out:
	cJSON_Delete(tokens);
	cJSON_Delete(cred);
	cJSON_Delete(row);
	return rc;
}
