/*
 * keys.c - API keys, from anywhere but the config file.
 *
 * In order: the provider's environment variable (GEMINI_API_KEY,
 * GROQ_API_KEY, OPENAI_API_KEY, or providers.NAME.key_env), the file
 * $XDG_CONFIG_HOME/agency/credentials/NAME, which must not be readable
 * by group or others (ssh refuses such keys for the same reason), and
 * providers.NAME.key_cmd, a command that prints the key (a password
 * manager).  The key is registered as a secret at once, so it is masked
 * in every log line, dry run and stored row from then on.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "llm.h"

#define MAXKEY 8192

const char *
llm_key_env(struct agency *ag, const char *name)
{
	char key[256];
	const char *v;

	snprintf(key, sizeof(key), "providers.%s.key_env", name);
	if ((v = config_str(ag, key)) != NULL && *v != '\0')
		return v;
	if (strcmp(name, "gemini") == 0)
		return "GEMINI_API_KEY";
	if (strcmp(name, "groq") == 0)
		return "GROQ_API_KEY";
	if (strcmp(name, "openai") == 0)
		return "OPENAI_API_KEY";
	return NULL;
}

/* The key without surrounding white space (a trailing newline). */
static char *
trimmed(const char *s, size_t n)
{
	while (n > 0 && strchr(" \t\r\n", s[n - 1]) != NULL)
		n--;
	while (n > 0 && strchr(" \t\r\n", *s) != NULL) {
		s++;
		n--;
	}
	return n > 0 ? xstrndup(s, n) : NULL;
}

static int
from_file(struct agency *ag, struct llm_provider *p, const char *path)
{
	struct buf b = BUF_INIT;
	struct stat sb;
	int rc;

	if (stat(path, &sb) == -1)
		return errno == ENOENT ? AG_OK :
		    ag_fail(ag, AG_NOPERM, "cannot read '%s':", path);
	if ((sb.st_mode & 077) != 0)
		return ag_fail(ag, AG_NOPERM, "credentials file '%s' may be "
		    "read by others (mode %04o); refusing it: run "
		    "'chmod 600 %s'", path, (unsigned)(sb.st_mode & 07777),
		    path);
	if ((rc = ag_read_file(ag, path, MAXKEY, &b)) != AG_OK) {
		buf_release(&b);
		return rc;
	}
	p->key = trimmed(b.data, b.len);
	buf_release(&b);
	if (p->key == NULL)
		return ag_fail(ag, AG_CONFIG, "credentials file '%s' is empty",
		    path);
	p->key_source = "credentials file";
	return AG_OK;
}

static int
from_cmd(struct agency *ag, struct llm_provider *p, const char *cmd)
{
	char *argv[] = { "sh", "-c", (char *)cmd, NULL };
	struct proc_opts o;
	struct proc_result r;
	int rc;

	proc_opts_init(&o, argv);
	o.timeout = 60;
	o.max_output = MAXKEY;
	if ((rc = proc_run(ag, &o, &r)) != AG_OK)
		return rc;
	if (r.exit_code != 0)
		rc = ag_fail(ag, AG_CONFIG, "providers.%s.key_cmd exited %d%s",
		    p->name, r.exit_code, r.timed_out ? " (timed out)" : "");
	else if ((p->key = trimmed(r.out.data ? r.out.data : "",
	    r.out.len)) == NULL)
		rc = ag_fail(ag, AG_CONFIG, "providers.%s.key_cmd printed no "
		    "key", p->name);
	else
		p->key_source = "key_cmd";
	proc_result_release(&r);
	return rc;
}

int
llm_key_load(struct agency *ag, struct llm_provider *p)
{
	const char *env = llm_key_env(ag, p->name), *v;
	char key[256], *dir, *path;
	int rc;

	if (env != NULL && (v = getenv(env)) != NULL && *v != '\0') {
		p->key = trimmed(v, strlen(v));
		p->key_source = env;
	}
	if (p->key == NULL) {
		dir = ag_xdg_dir("CONFIG");
		path = xasprintf("%s/agency/credentials/%s", dir, p->name);
		free(dir);
		rc = from_file(ag, p, path);
		free(path);
		if (rc != AG_OK)
			return rc;
	}
	snprintf(key, sizeof(key), "providers.%s.key_cmd", p->name);
	if (p->key == NULL && (v = config_str(ag, key)) != NULL && *v != '\0' &&
	    (rc = from_cmd(ag, p, v)) != AG_OK)
		return rc;
	if (p->key != NULL)
		ag_secret_add(p->key);
	return AG_OK;
}
