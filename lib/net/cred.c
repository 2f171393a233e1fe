/* cred.c - credentials files, 0600, atomic, redacted (see cred.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agency.h"
#include "net/cred.h"

char *
cred_dir(void)
{
	char *base = ag_xdg_dir("CONFIG"), *d;

	d = xasprintf("%s/agency/credentials", base);
	free(base);
	return d;
}

char *
cred_path(const char *account)
{
	char *dir = cred_dir(), *p;

	p = xasprintf("%s/%s.json", dir, account);
	free(dir);
	return p;
}

/* Is this member a secret?  (scope, token_type, expires_at are not, and
 * masking "upload" everywhere would garble every message.) */
static int
secret_key(const char *k)
{
	static const char *const ends[] = { "token", "secret", "password",
	    "Jwt", "_key", NULL };
	size_t i, n = strlen(k), e;

	if (strcmp(k, "access_key") == 0)
		return 0;		/* an S3 key id: an identifier */
	for (i = 0; ends[i] != NULL; i++) {
		e = strlen(ends[i]);
		if (n >= e && strcmp(k + n - e, ends[i]) == 0)
			return 1;
	}
	return 0;
}

/* Register the secret strings of c, recursively. */
static void
register_secrets(const cJSON *c)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, c) {
		if (cJSON_IsString(v) && v->string && secret_key(v->string))
			ag_secret_add(v->valuestring);
		else if (cJSON_IsObject(v) || cJSON_IsArray(v))
			register_secrets(v);
	}
}

int
cred_load(struct agency *ag, const char *account, cJSON **out)
{
	char *path = cred_path(account);
	struct buf b = BUF_INIT;
	struct stat sb;
	cJSON *c = NULL;
	int rc;

	if (stat(path, &sb) == -1) {
		rc = errno == ENOENT ? ag_fail(ag, AG_NOINPUT, "account '%s' "
		    "has no credentials: run 'agency-upload auth %s'", account,
		    account) : ag_fail(ag, AG_NOPERM, "cannot read '%s':",
		    path);
		goto out;
	}
	if ((sb.st_mode & 077) != 0) {
		rc = ag_fail(ag, AG_NOPERM, "credentials '%s' may be read by "
		    "others (mode %03o): run 'chmod 600 %s'", path,
		    (unsigned)(sb.st_mode & 0777), path);
		goto out;
	}
	if ((rc = ag_read_file(ag, path, 1 << 20, &b)) != AG_OK ||
	    (rc = ag_json_parse(ag, path, buf_str(&b), b.len, &c)) != AG_OK)
		goto out;
	if (!cJSON_IsObject(c)) {
		rc = ag_fail(ag, AG_DATAERR, "%s: expected a JSON object",
		    path);
		goto out;
	}
	register_secrets(c);
	*out = c;
	c = NULL;
out:
	cJSON_Delete(c);
	buf_release(&b);
	free(path);
	return rc;
}

int
cred_save(struct agency *ag, const char *account, const cJSON *c)
{
	char *path = cred_path(account), *text;
	int rc;

	register_secrets(c);
	text = cJSON_PrintUnformatted(c);
	if ((rc = ag_mkdirs_for(ag, path, 0700)) == AG_OK)
		rc = ag_write_file(ag, path, text, strlen(text), 0600);
	cJSON_free(text);
	free(path);
	return rc;
}

int
cred_remove(struct agency *ag, const char *account)
{
	char *path = cred_path(account);
	int rc = AG_OK;

	if (unlink(path) == -1 && errno != ENOENT)
		rc = ag_fail(ag, AG_NOPERM, "cannot remove '%s':", path);
	free(path);
	return rc;
}

int
cred_lock(struct agency *ag, const char *account, int *fd)
{
	char *dir = cred_dir(), *path;
	int rc;

	path = xasprintf("%s/.%s.lock", dir, account);
	rc = ag_lock(ag, path, 60, fd);
	free(path);
	free(dir);
	return rc;
}

const char *
cred_str(const cJSON *c, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, key));
}
