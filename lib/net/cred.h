/*
 * cred.h - the secrets of an account, kept out of the store and logs.
 *
 * Each account's secrets are one JSON object in
 *
 *	$XDG_CONFIG_HOME/agency/credentials/ACCOUNT.json
 *
 * ("youtube:main.json"), mode 0600 in a folder made 0700.  A file that
 * its group or others may read is refused (AG_NOPERM) with the chmod
 * that fixes it, as ssh refuses a readable key.  Writes are atomic (a
 * temporary file, fsync, rename), so a crash leaves the old secrets or
 * the new ones, never half of either.  Every string value loaded is
 * registered with ag_secret_add(), so no log line, --dry-run or error
 * message can show it.
 *
 * Members by kind of account (what lib/platforms stores): an OAuth
 * account has access_token, refresh_token, token_type, scope, expires_at
 * (epoch seconds) and client_secret; a token account access_token; an
 * app-password account identifier and password; a key pair access_key
 * and secret_key; a webhook secret.
 *
 * Objects returned are new (cJSON_Delete them); paths are new (free).
 */
#ifndef AG_NET_CRED_H
#define AG_NET_CRED_H

struct agency;
struct cJSON;

/* The folder of credentials files. */
char *cred_dir(void);
/* The file of one account. */
char *cred_path(const char *account);
/* The account's secrets; AG_NOINPUT when it has none. */
int cred_load(struct agency *ag, const char *account, struct cJSON **out);
/* Replace the account's secrets with c, atomically, 0600. */
int cred_save(struct agency *ag, const char *account, const struct cJSON *c);
/* Forget them (no file is fine). */
int cred_remove(struct agency *ag, const char *account);
/*
 * cred_lock() - serialise changes to one account's secrets (a refresh
 * that rotates its tokens) between processes; see core/lock.h.  Waits
 * up to 60 s; release with ag_unlock().
 */
int cred_lock(struct agency *ag, const char *account, int *fd);
/* A string member of c, or NULL. */
const char *cred_str(const struct cJSON *c, const char *key);

#endif
