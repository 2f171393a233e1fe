/*
 * template.c - YAML prompt templates.
 *
 * A template is a YAML mapping: description, system (the system
 * prompt), prompt (the user prompt), defaults (a mapping of variable
 * values used when the brief and the flags give none) and schema (the
 * answer it asks for: script or ideas).  {{name}} in system and prompt
 * is replaced by the value of the variable name; an unknown name is an
 * error, so a typo never reaches a model.  Templates are looked up in
 * $XDG_CONFIG_HOME/agency/templates/NAME.yaml first (the user's, which
 * override), then in the shared data folder's templates/; a name with a
 * '/' is a path.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "llm.h"
#include "core/yamltree.h"

void
template_free(struct template *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->ndefs; i++) {
		free(t->defkeys[i]);
		free(t->defvals[i]);
	}
	free(t->defkeys);
	free(t->defvals);
	free(t->name);
	free(t->path);
	free(t->origin);
	free(t->description);
	free(t->system);
	free(t->prompt);
	free(t->schema);
	free(t);
}

static int
exists(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static int
valid_name(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z') &&
		    !(*s >= '0' && *s <= '9') && *s != '-' && *s != '_')
			return 0;
	return 1;
}

static char *
scalar(struct agency *ag, const char *path, const struct ynode *root,
    const char *key, int *rc)
{
	const struct ynode *n = ytree_child(root, key);

	if (n == NULL || *rc != AG_OK)
		return NULL;
	if (n->kind != YN_SCALAR) {
		*rc = ag_fail(ag, AG_DATAERR, "%s:%d:%d: %s: expected text",
		    path, n->vline, n->vcol, key);
		return NULL;
	}
	return xstrdup(n->value);
}

static int
parse(struct agency *ag, struct template *t, const char *text, size_t len)
{
	static const char *const known[] = { "description", "system",
	    "prompt", "defaults", "schema", "name", NULL };
	struct ynode *root = NULL;
	const struct ynode *d, *k;
	struct yerror yerr;
	size_t i, j;
	int rc = AG_OK;

	if (ytree_parse(text, len, &root, &yerr) == -1)
		return ag_fail(ag, AG_DATAERR, "%s:%d:%d: %s", t->path,
		    yerr.line, yerr.col, yerr.msg);
	if (root == NULL || root->kind != YN_MAP) {
		ytree_free(root);
		return ag_fail(ag, AG_DATAERR, "%s: expected a mapping with "
		    "system and prompt", t->path);
	}
	for (i = 0; i < root->nkids; i++) {
		for (j = 0; known[j] != NULL; j++)
			if (strcmp(known[j], root->kids[i]->key) == 0)
				break;
		if (known[j] == NULL)
			ag_warn(ag, "%s:%d:%d: unknown template key '%s'",
			    t->path, root->kids[i]->line, root->kids[i]->col,
			    root->kids[i]->key);
	}
	t->description = scalar(ag, t->path, root, "description", &rc);
	t->system = scalar(ag, t->path, root, "system", &rc);
	t->prompt = scalar(ag, t->path, root, "prompt", &rc);
	t->schema = scalar(ag, t->path, root, "schema", &rc);
	if (rc == AG_OK && t->prompt == NULL)
		rc = ag_fail(ag, AG_DATAERR, "%s: prompt: missing", t->path);
	if (rc == AG_OK && t->schema == NULL)
		t->schema = xstrdup("script");
	if (rc == AG_OK && strcmp(t->schema, "script") != 0 &&
	    strcmp(t->schema, "ideas") != 0)
		rc = ag_fail(ag, AG_DATAERR, "%s: schema: '%s' is not script "
		    "or ideas", t->path, t->schema);
	if (rc == AG_OK && t->system == NULL)
		t->system = xstrdup("");
	d = ytree_child(root, "defaults");
	if (rc == AG_OK && d != NULL && d->kind != YN_MAP &&
	    !(d->kind == YN_SCALAR && *d->value == '\0'))
		rc = ag_fail(ag, AG_DATAERR, "%s:%d:%d: defaults: expected a "
		    "mapping of variables", t->path, d->vline, d->vcol);
	for (i = 0; rc == AG_OK && d != NULL && d->kind == YN_MAP &&
	    i < d->nkids; i++) {
		k = d->kids[i];
		if (k->kind != YN_SCALAR) {
			rc = ag_fail(ag, AG_DATAERR, "%s:%d:%d: defaults.%s: "
			    "expected text", t->path, k->vline, k->vcol,
			    k->key);
			break;
		}
		t->defkeys = xreallocarray(t->defkeys, t->ndefs + 1,
		    sizeof(char *));
		t->defvals = xreallocarray(t->defvals, t->ndefs + 1,
		    sizeof(char *));
		t->defkeys[t->ndefs] = xstrdup(k->key);
		t->defvals[t->ndefs++] = xstrdup(k->value);
	}
	ytree_free(root);
	return rc;
}

static int
load_path(struct agency *ag, const char *name, const char *path,
    const char *origin, struct template **out)
{
	struct template *t = xcalloc(1, sizeof(*t));
	struct buf text = BUF_INIT;
	int rc;

	t->name = xstrdup(name);
	t->path = xstrdup(path);
	t->origin = xstrdup(origin);
	if ((rc = ag_read_file(ag, path, 1 << 20, &text)) == AG_OK)
		rc = parse(ag, t, buf_str(&text), text.len);
	buf_release(&text);
	if (rc != AG_OK) {
		template_free(t);
		return rc;
	}
	*out = t;
	return AG_OK;
}

int
template_load(struct agency *ag, const char *name, struct template **out)
{
	char *dir, *path, *base;
	const char *slash;
	int rc;

	if (strchr(name, '/') != NULL) {
		slash = strrchr(name, '/');
		base = xstrndup(slash + 1, strcspn(slash + 1, "."));
		rc = load_path(ag, base, name, "file", out);
		free(base);
		return rc;
	}
	if (!valid_name(name))
		return ag_fail(ag, AG_USAGE, "template name '%s': use letters, "
		    "digits, '-' and '_', or a path with a '/'", name);
	dir = ag_user_dir("templates");
	path = xasprintf("%s/%s.yaml", dir, name);
	free(dir);
	if (exists(path)) {
		rc = load_path(ag, name, path, "user", out);
		free(path);
		return rc;
	}
	free(path);
	dir = ag_shipped_dir("templates");
	path = xasprintf("%s/%s.yaml", dir, name);
	free(dir);
	if (exists(path))
		rc = load_path(ag, name, path, "shipped", out);
	else
		rc = ag_fail(ag, AG_USAGE, "no template '%s'; 'agency-script "
		    "templates' lists them", name);
	free(path);
	return rc;
}

const char *
template_default(const struct template *t, const char *key)
{
	size_t i;

	for (i = 0; t != NULL && i < t->ndefs; i++)
		if (strcmp(t->defkeys[i], key) == 0)
			return t->defvals[i];
	return NULL;
}

int
template_render(struct agency *ag, const struct template *t,
    const char *text, const char *const *vars, char **out)
{
	struct buf b = BUF_INIT;
	const char *p = text, *open, *close, *v;
	size_t i, n;
	char name[64];

	buf_addstr(&b, "");
	while ((open = strstr(p, "{{")) != NULL) {
		buf_add(&b, p, (size_t)(open - p));
		if ((close = strstr(open + 2, "}}")) == NULL)
			break;
		n = (size_t)(close - open - 2);
		while (n > 0 && open[2] == ' ') {
			open++;
			n--;
		}
		while (n > 0 && open[1 + n] == ' ')
			n--;
		if (n == 0 || n >= sizeof(name)) {
			buf_release(&b);
			return ag_fail(ag, AG_DATAERR, "%s: a {{...}} without "
			    "a variable name", t->path);
		}
		memcpy(name, open + 2, n);
		name[n] = '\0';
		v = NULL;
		for (i = 0; vars[i] != NULL; i += 2)
			if (strcmp(vars[i], name) == 0) {
				v = vars[i + 1];
				break;
			}
		if (vars[i] == NULL) {
			buf_release(&b);
			return ag_fail(ag, AG_DATAERR, "%s: unknown variable "
			    "'{{%s}}'", t->path, name);
		}
		buf_addstr(&b, v ? v : "");
		p = close + 2;
	}
	buf_addstr(&b, p);
	*out = buf_detach(&b);
	return AG_OK;
}

static int
cmpname(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Append the templates of dir not already listed. */
static void
scan(struct agency *ag, const char *dir, const char *origin, cJSON *arr)
{
	struct template *t;
	struct dirent *de;
	char **names = NULL, *path;
	size_t n = 0, i, len;
	const cJSON *it;
	int dup;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len > 5 && strcmp(de->d_name + len - 5, ".yaml") == 0 &&
		    de->d_name[0] != '.') {
			names = xreallocarray(names, n + 1, sizeof(*names));
			names[n++] = xstrndup(de->d_name, len - 5);
		}
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmpname);
	for (i = 0; i < n; i++) {
		dup = 0;
		cJSON_ArrayForEach(it, arr)
			if (strcmp(cJSON_GetObjectItem(it, "name")->valuestring,
			    names[i]) == 0)
				dup = 1;
		if (dup || !valid_name(names[i])) {
			free(names[i]);
			continue;
		}
		path = xasprintf("%s/%s.yaml", dir, names[i]);
		if (load_path(ag, names[i], path, origin, &t) == AG_OK) {
			cJSON *o = cJSON_CreateObject();

			cJSON_AddStringToObject(o, "name", t->name);
			cJSON_AddStringToObject(o, "schema", t->schema);
			cJSON_AddStringToObject(o, "origin", t->origin);
			cJSON_AddStringToObject(o, "description",
			    t->description ? t->description : "");
			cJSON_AddStringToObject(o, "path", t->path);
			cJSON_AddItemToArray(arr, o);
			template_free(t);
		} else {
			ag_warn(ag, "%s", ag->err);
			ag_clear_error(ag);
		}
		free(path);
		free(names[i]);
	}
	free(names);
}

int
templates_list(struct agency *ag, cJSON **out)
{
	cJSON *arr = cJSON_CreateArray();
	char *dir;

	dir = ag_user_dir("templates");
	scan(ag, dir, "user", arr);
	free(dir);
	dir = ag_shipped_dir("templates");
	scan(ag, dir, "shipped", arr);
	free(dir);
	*out = arr;
	return AG_OK;
}
