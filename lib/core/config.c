/*
 * config.c - layered configuration: flags over environment over file
 * over defaults, checked against the table in configkeys.c.
 *
 * The file is parsed once into a yamltree and walked against the
 * table: unknown keys warn (with a suggestion), values of the wrong
 * type fail with file:line:column.  Environment variables named in the
 * table are checked the same way at load time, so a bad AGENCY_LOG is
 * reported once, up front, not wherever it is first read.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "agency.h"
#include "yamltree.h"

struct override {
	char *key;
	char *value;
};

struct config {
	char *path;			/* the file in use; may not exist */
	struct ynode *root;
	struct override *ov;
	size_t nov;
	char **arena;			/* strings handed out by config_list */
	size_t narena;
};

static const char *
keep(struct config *cfg, char *s)
{
	cfg->arena = xreallocarray(cfg->arena, cfg->narena + 1,
	    sizeof(*cfg->arena));
	cfg->arena[cfg->narena++] = s;
	return s;
}

void
config_free(struct config *cfg)
{
	size_t i;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->nov; i++) {
		free(cfg->ov[i].key);
		free(cfg->ov[i].value);
	}
	for (i = 0; i < cfg->narena; i++)
		free(cfg->arena[i]);
	free(cfg->ov);
	free(cfg->arena);
	ytree_free(cfg->root);
	free(cfg->path);
	free(cfg);
}

/* Does a dotted name match a pattern where '*' is any one segment? */
static int
key_match(const char *pat, const char *key)
{
	while (*pat != '\0' && *key != '\0') {
		if (*pat == '*') {
			while (*key != '\0' && *key != '.')
				key++;
			pat++;
			continue;
		}
		if (*pat != *key)
			return 0;
		pat++;
		key++;
	}
	return *pat == '\0' && *key == '\0';
}

const struct config_key *
config_lookup_key(const char *key)
{
	const struct config_key *k, *wild = NULL;

	for (k = config_keys; k->name != NULL; k++) {
		if (strcmp(k->name, key) == 0)
			return k;
		if (wild == NULL && strchr(k->name, '*') && key_match(k->name,
		    key))
			wild = k;
	}
	return wild;
}

/* A table name with its '*' segments taken from key, into buf. */
static int
instantiate(const char *pat, const char *key, char *buf, size_t len)
{
	size_t o = 0;

	while (*pat != '\0' && o + 1 < len) {
		if (*pat == '*') {
			if (*key == '\0' || *key == '.')
				return -1;
			while (*key != '\0' && *key != '.' && o + 1 < len)
				buf[o++] = *key++;
			pat++;
			continue;
		}
		buf[o++] = *pat;
		if (*key != '\0' && *key != '.')
			key++;
		else if (*pat == '.' && *key == '.')
			key++;
		pat++;
	}
	buf[o] = '\0';
	return 0;
}

const char *
config_suggest(const char *key, char *buf, size_t len)
{
	const struct config_key *k;
	char cand[256];
	size_t best = (size_t)-1, d, limit;

	limit = strlen(key) / 3 > 2 ? strlen(key) / 3 : 2;
	for (k = config_keys; k->name != NULL; k++) {
		if (strchr(k->name, '*') != NULL) {
			if (instantiate(k->name, key, cand, sizeof(cand)) == -1)
				continue;
		} else {
			snprintf(cand, sizeof(cand), "%s", k->name);
		}
		d = ag_edit_distance(key, cand);
		if (d < best && d <= limit) {
			best = d;
			snprintf(buf, len, "%s", cand);
		}
	}
	return best == (size_t)-1 ? NULL : buf;
}

int
config_check_value(struct agency *ag, const struct config_key *k,
    const char *key, const char *value)
{
	long long ll;
	double d;
	int b;

	switch (k->type) {
	case CFG_INT:
		if (ag_parse_ll(value, LLONG_MIN, LLONG_MAX, &ll) == -1)
			return ag_fail(ag, AG_CONFIG, "%s: '%s' is not a whole "
			    "number", key, value);
		break;
	case CFG_NUMBER:
		if (ag_parse_double(value, &d) == -1)
			return ag_fail(ag, AG_CONFIG, "%s: '%s' is not a "
			    "number", key, value);
		break;
	case CFG_BOOL:
		if (ag_parse_bool(value, &b) == -1)
			return ag_fail(ag, AG_CONFIG, "%s: '%s' is not true or "
			    "false", key, value);
		break;
	case CFG_SECTION:
		return ag_fail(ag, AG_CONFIG, "%s: is a section, not a value",
		    key);
	case CFG_STRING:
	case CFG_LIST:
		break;
	}
	if (k->choices != NULL && !ag_in_list(k->choices, value))
		return ag_fail(ag, AG_CONFIG, "%s: '%s' is not one of %s", key,
		    value, k->choices);
	return AG_OK;
}

static int
unknown(struct agency *ag, const char *key, char *msg, size_t len)
{
	char sug[256];

	if (config_suggest(key, sug, sizeof(sug)) != NULL)
		snprintf(msg, len, "unknown key '%s' (did you mean '%s'?)",
		    key, sug);
	else
		snprintf(msg, len, "unknown key '%s'", key);
	(void)ag;
	return 0;
}

/* Walk the file's tree against the table. */
static int
check_node(struct agency *ag, const char *file, const struct ynode *n,
    const char *path)
{
	static const struct config_key root = { "", CFG_SECTION, NULL, NULL,
	    NULL, NULL };
	const struct config_key *k = *path ? config_lookup_key(path) : &root;
	char sub[512], msg[512];
	size_t i;
	int rc;

	if (k == NULL) {
		unknown(ag, path, msg, sizeof(msg));
		ag_warn(ag, "%s:%d:%d: %s", file, n->line, n->col, msg);
		return AG_OK;
	}
	if (n->kind == YN_SCALAR && *n->value == '\0')
		return AG_OK;		/* "key:" with no value: unset */
	switch (k->type) {
	case CFG_SECTION:
		if (n->kind != YN_MAP)
			return ag_fail(ag, AG_CONFIG, "%s:%d:%d: %s: expected "
			    "a mapping of keys", file, n->vline, n->vcol, path);
		for (i = 0; i < n->nkids; i++) {
			snprintf(sub, sizeof(sub), "%s%s%s", path,
			    *path ? "." : "", n->kids[i]->key);
			if ((rc = check_node(ag, file, n->kids[i], sub)) != 0)
				return rc;
		}
		return AG_OK;
	case CFG_LIST:
		if (n->kind == YN_MAP)
			return ag_fail(ag, AG_CONFIG, "%s:%d:%d: %s: expected "
			    "a list", file, n->vline, n->vcol, path);
		for (i = 0; i < n->nkids; i++)
			if (n->kids[i]->kind != YN_SCALAR)
				return ag_fail(ag, AG_CONFIG, "%s:%d:%d: %s: "
				    "expected a list of values", file,
				    n->kids[i]->vline, n->kids[i]->vcol, path);
		return AG_OK;
	default:
		if (n->kind != YN_SCALAR)
			return ag_fail(ag, AG_CONFIG, "%s:%d:%d: %s: expected "
			    "a single value", file, n->vline, n->vcol, path);
		if ((rc = config_check_value(ag, k, path, n->value)) != AG_OK) {
			ag_prefix(ag, "%s:%d:%d", file, n->vline, n->vcol);
			return rc;
		}
		return AG_OK;
	}
}

static int
check_env(struct agency *ag)
{
	const struct config_key *k;
	const char *v;
	int rc;

	for (k = config_keys; k->name != NULL; k++) {
		if (k->env == NULL || (v = getenv(k->env)) == NULL || !*v)
			continue;
		if ((rc = config_check_value(ag, k, k->name, v)) != AG_OK) {
			ag_prefix(ag, "environment %s", k->env);
			return rc;
		}
	}
	return AG_OK;
}

static char *
default_path(void)
{
	char *dir = ag_xdg_dir("CONFIG"), *p;

	p = xasprintf("%s/agency/config.yaml", dir);
	free(dir);
	return p;
}

int
config_load(struct agency *ag, const char *file, int must_exist)
{
	struct config *cfg = xcalloc(1, sizeof(*cfg));
	struct buf text = BUF_INIT;
	struct yerror yerr;
	const char *env = getenv("AGENCY_CONFIG");
	int rc;

	if (file != NULL)
		cfg->path = xstrdup(file);
	else if (env != NULL && *env != '\0')
		cfg->path = xstrdup(env);
	else
		cfg->path = default_path();
	config_free(ag->cfg);
	ag->cfg = cfg;
	rc = ag_read_file(ag, cfg->path, 1 << 20, &text);
	if (rc == AG_NOINPUT && errno == ENOENT && !must_exist) {
		ag_clear_error(ag);
		rc = AG_OK;
	} else if (rc != AG_OK) {
		/* Unreadable for lack of permission stays 77. */
		return rc == AG_NOPERM ? rc : AG_CONFIG;
	}
	if (ytree_parse(buf_str(&text), text.len, &cfg->root, &yerr) == -1) {
		buf_release(&text);
		return ag_fail(ag, AG_CONFIG, "%s:%d:%d: %s", cfg->path,
		    yerr.line, yerr.col, yerr.msg);
	}
	buf_release(&text);
	if ((rc = check_node(ag, cfg->path, cfg->root, "")) != AG_OK)
		return rc;
	return check_env(ag);
}

const char *
config_path(struct agency *ag)
{
	return ag->cfg->path;
}

static const char *
from_override(struct config *cfg, const char *key)
{
	size_t i;

	for (i = cfg->nov; i > 0; i--)
		if (strcmp(cfg->ov[i - 1].key, key) == 0)
			return cfg->ov[i - 1].value;
	return NULL;
}

static const char *
from_env(const char *key)
{
	const struct config_key *k = config_lookup_key(key);
	const char *v;

	if (k == NULL || k->env == NULL || strcmp(k->name, key) != 0)
		return NULL;
	v = getenv(k->env);
	return v != NULL && *v != '\0' ? v : NULL;
}

static const struct ynode *
from_file(struct config *cfg, const char *key)
{
	const struct ynode *n = ytree_get(cfg->root, key);

	if (n == NULL || (n->kind == YN_SCALAR && *n->value == '\0'))
		return NULL;
	return n;
}

enum config_origin
config_origin(struct agency *ag, const char *key)
{
	if (from_override(ag->cfg, key) != NULL)
		return CFG_FROM_FLAG;
	if (from_env(key) != NULL)
		return CFG_FROM_ENV;
	if (from_file(ag->cfg, key) != NULL)
		return CFG_FROM_FILE;
	return CFG_FROM_DEFAULT;
}

const char *
config_origin_name(enum config_origin o)
{
	static const char *const names[] = { "default", "file", "env",
	    "flag" };

	return names[o];
}

const char *
config_str(struct agency *ag, const char *key)
{
	const struct config_key *k;
	const struct ynode *n;
	const char *v;

	if ((v = from_override(ag->cfg, key)) != NULL ||
	    (v = from_env(key)) != NULL)
		return v;
	if ((n = from_file(ag->cfg, key)) != NULL)
		return n->kind == YN_SCALAR ? n->value : NULL;
	k = config_lookup_key(key);
	return k != NULL ? k->def : NULL;
}

long long
config_int(struct agency *ag, const char *key)
{
	const struct config_key *k = config_lookup_key(key);
	long long v;

	if (ag_parse_ll(config_str(ag, key), LLONG_MIN, LLONG_MAX, &v) == 0)
		return v;
	if (k != NULL && ag_parse_ll(k->def, LLONG_MIN, LLONG_MAX, &v) == 0)
		return v;
	return 0;
}

double
config_number(struct agency *ag, const char *key)
{
	const struct config_key *k = config_lookup_key(key);
	double v;

	if (ag_parse_double(config_str(ag, key), &v) == 0)
		return v;
	if (k != NULL && ag_parse_double(k->def, &v) == 0)
		return v;
	return 0;
}

int
config_bool(struct agency *ag, const char *key)
{
	const char *s = config_str(ag, key);
	int b;

	return s != NULL && ag_parse_bool(s, &b) == 0 ? b : 0;
}

static void
split(struct config *cfg, const char *s, struct ag_strv *out)
{
	const char *p = s, *comma;
	char *item;

	while (p != NULL && *p != '\0') {
		comma = strchr(p, ',');
		item = xstrndup(p, comma ? (size_t)(comma - p) : strlen(p));
		if (*item != '\0')
			ag_strv_push(out, keep(cfg, item));
		else
			free(item);
		p = comma ? comma + 1 : NULL;
	}
}

void
config_list(struct agency *ag, const char *key, struct ag_strv *out)
{
	const struct ynode *n;
	const char *v;
	size_t i;

	out->v = NULL;
	out->n = 0;
	if ((v = from_override(ag->cfg, key)) != NULL ||
	    (v = from_env(key)) != NULL) {
		split(ag->cfg, v, out);
	} else if ((n = from_file(ag->cfg, key)) != NULL) {
		if (n->kind == YN_SCALAR)
			split(ag->cfg, n->value, out);
		for (i = 0; n->kind == YN_SEQ && i < n->nkids; i++)
			ag_strv_push(out, n->kids[i]->value);
	} else {
		split(ag->cfg, config_str(ag, key), out);
	}
}

void
config_children(struct agency *ag, const char *key, struct ag_strv *out)
{
	const struct config_key *k;
	const struct ynode *n = ytree_get(ag->cfg->root, key);
	size_t len = strlen(key), i, j;
	const char *name, *dot;
	char *seg;

	out->v = NULL;
	out->n = 0;
	for (i = 0; n != NULL && n->kind == YN_MAP && i < n->nkids; i++)
		ag_strv_push(out, n->kids[i]->key);
	for (k = config_keys; k->name != NULL; k++) {
		name = k->name;
		if (strncmp(name, key, len) != 0 || name[len] != '.' ||
		    name[len + 1] == '*')
			continue;
		name += len + 1;
		dot = strchr(name, '.');
		seg = xstrndup(name, dot ? (size_t)(dot - name) : strlen(name));
		for (j = 0; j < out->n && strcmp(out->v[j], seg) != 0; j++)
			;
		if (j == out->n)
			ag_strv_push(out, keep(ag->cfg, seg));
		else
			free(seg);
	}
}

int
config_override(struct agency *ag, const char *key, const char *value)
{
	const struct config_key *k = config_lookup_key(key);
	struct config *cfg = ag->cfg;
	char msg[512];
	int rc;

	if (k == NULL) {
		unknown(ag, key, msg, sizeof(msg));
		return ag_fail(ag, AG_CONFIG, "%s", msg);
	}
	if ((rc = config_check_value(ag, k, key, value)) != AG_OK)
		return rc;
	cfg->ov = xreallocarray(cfg->ov, cfg->nov + 1, sizeof(*cfg->ov));
	cfg->ov[cfg->nov].key = xstrdup(key);
	cfg->ov[cfg->nov++].value = xstrdup(value);
	return AG_OK;
}

int
config_set(struct agency *ag, const char *key, const char *value)
{
	const struct config_key *k = config_lookup_key(key);
	struct buf text = BUF_INIT, out = BUF_INIT;
	const char *path = ag->cfg->path;
	struct yerror yerr;
	struct stat sb;
	char msg[512];
	int rc;

	if (k == NULL) {
		unknown(ag, key, msg, sizeof(msg));
		return ag_fail(ag, AG_CONFIG, "%s", msg);
	}
	if ((rc = config_check_value(ag, k, key, value)) != AG_OK)
		return rc;
	rc = ag_read_file(ag, path, 1 << 20, &text);
	if (rc == AG_NOINPUT && errno == ENOENT) {
		ag_clear_error(ag);
		rc = AG_OK;
	}
	if (rc != AG_OK)
		goto out;
	if (ytree_set(buf_str(&text), text.len, key, value,
	    k->type == CFG_LIST, &out, &yerr) == -1) {
		rc = ag_fail(ag, AG_CONFIG, "%s:%d:%d: %s", path, yerr.line,
		    yerr.col, yerr.msg);
		goto out;
	}
	if ((rc = ag_mkdirs_for(ag, path, 0700)) != AG_OK)
		goto out;
	rc = ag_write_file(ag, path, out.data, out.len,
	    stat(path, &sb) == 0 ? (sb.st_mode & 07777) : 0600);
out:
	buf_release(&text);
	buf_release(&out);
	return rc;
}
