/*
 * brief.c - what a script is to be about, and its parameters.
 *
 * The brief comes from --brief FILE, or from stdin when neither --topic
 * nor --brief is given (a terminal stdin is refused, never waited on),
 * and is one of:
 *  - markdown or plain text: the outline itself;
 *  - YAML (a .yaml/.yml file): topic, title, brief (text or a list of
 *    points), platforms, duration, language, tone, audience, template,
 *    angle;
 *  - markdown with those keys in a front matter between "---" lines;
 *  - an agency.idea document, as "agency-script ideas" prints them.
 * Each parameter is then the flag, else the brief, else the config
 * (script.*); the template's defaults fill tone and audience later.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "llm.h"
#include "core/yamltree.h"

#define MAXBRIEF (1u << 20)

struct fields {
	char *topic, *title, *body, *angle, *language, *tone, *audience;
	char *template, *platforms, *duration;
};

static void
fields_release(struct fields *f)
{
	free(f->topic);
	free(f->title);
	free(f->body);
	free(f->angle);
	free(f->language);
	free(f->tone);
	free(f->audience);
	free(f->template);
	free(f->platforms);
	free(f->duration);
}

void
script_spec_release(struct script_spec *s)
{
	size_t i;

	free(s->topic);
	free(s->title);
	free(s->body);
	free(s->angle);
	free(s->language);
	free(s->tone);
	free(s->audience);
	free(s->template);
	for (i = 0; i < s->platforms.n; i++)
		free(s->plat_store[i]);
	free(s->plat_store);
	ag_strv_release(&s->platforms);
	memset(s, 0, sizeof(*s));
}

/* A scalar, or a sequence joined as "- item" lines / "a,b" (list). */
static char *
node_text(const struct ynode *n, int list)
{
	struct buf b = BUF_INIT;
	size_t i;

	if (n->kind == YN_SCALAR)
		return *n->value ? xstrdup(n->value) : NULL;
	if (n->kind != YN_SEQ)
		return NULL;
	for (i = 0; i < n->nkids; i++)
		if (n->kids[i]->kind == YN_SCALAR)
			buf_addf(&b, list ? "%s%s" : "%s- %s", i ? (list ?
			    "," : "\n") : "", n->kids[i]->value);
	return b.len ? buf_detach(&b) : (buf_release(&b), NULL);
}

static int
yaml_fields(struct agency *ag, const char *name, const char *text,
    size_t len, int line0, struct fields *f)
{
	static const char *const known[] = { "topic", "title", "brief",
	    "notes", "outline", "body", "points", "angle", "language", "tone",
	    "audience", "template", "platforms", "platform", "duration",
	    "hook", "niche", NULL };
	struct ynode *root = NULL, *n;
	struct yerror err;
	size_t i, j;
	char **slot;
	const char *k;

	if (ytree_parse(text, len, &root, &err) == -1)
		return ag_fail(ag, AG_DATAERR, "%s:%d:%d: %s", name,
		    err.line + line0, err.col, err.msg);
	if (root == NULL || (root->kind == YN_SCALAR && !*root->value)) {
		ytree_free(root);
		return AG_OK;
	}
	if (root->kind != YN_MAP) {
		ytree_free(root);
		return ag_fail(ag, AG_DATAERR, "%s: expected a YAML mapping "
		    "(topic, brief, platforms, ...)", name);
	}
	for (i = 0; i < root->nkids; i++) {
		n = root->kids[i];
		k = n->key;
		for (j = 0; known[j] != NULL && strcmp(known[j], k); j++)
			;
		if (known[j] == NULL) {
			ag_warn(ag, "%s:%d:%d: unknown brief key '%s'", name,
			    n->line + line0, n->col, k);
			continue;
		}
		if (!strcmp(k, "topic") || !strcmp(k, "niche"))
			slot = &f->topic;
		else if (!strcmp(k, "title"))
			slot = &f->title;
		else if (!strcmp(k, "angle") || !strcmp(k, "hook"))
			slot = &f->angle;
		else if (!strcmp(k, "language"))
			slot = &f->language;
		else if (!strcmp(k, "tone"))
			slot = &f->tone;
		else if (!strcmp(k, "audience"))
			slot = &f->audience;
		else if (!strcmp(k, "template"))
			slot = &f->template;
		else if (!strcmp(k, "platforms") || !strcmp(k, "platform"))
			slot = &f->platforms;
		else if (!strcmp(k, "duration"))
			slot = &f->duration;
		else
			slot = &f->body;
		free(*slot);
		*slot = node_text(n, slot == &f->platforms);
		if (*slot == NULL && n->kind != YN_SCALAR) {
			ytree_free(root);
			return ag_fail(ag, AG_DATAERR, "%s:%d:%d: %s: expected "
			    "text or a list", name, n->vline + line0, n->vcol,
			    k);
		}
	}
	ytree_free(root);
	return AG_OK;
}

static int
idea_fields(struct agency *ag, const char *name, const char *text,
    size_t len, struct fields *f)
{
	struct jpath jp;
	const char *s = NULL;
	cJSON *doc;
	int rc;

	if ((rc = ag_json_parse(ag, name, text, len, &doc)) != AG_OK)
		return rc;
	if ((rc = ag_doc_check(ag, name, doc, "agency.idea")) == AG_OK) {
		jpath_init(&jp, name);
		if ((rc = jget_string(ag, &jp, doc, "topic", J_REQUIRED,
		    &s)) == AG_OK)
			f->topic = xstrdup(s);
		s = NULL;
		if (rc == AG_OK && (rc = jget_string(ag, &jp, doc, "angle",
		    J_OPTIONAL, &s)) == AG_OK && s)
			f->angle = xstrdup(s);
		s = NULL;
		if (rc == AG_OK && (rc = jget_string(ag, &jp, doc, "platform",
		    J_OPTIONAL, &s)) == AG_OK && s)
			f->platforms = xstrdup(s);
		s = NULL;
		if (rc == AG_OK && (rc = jget_string(ag, &jp, doc, "language",
		    J_OPTIONAL, &s)) == AG_OK && s)
			f->language = xstrdup(s);
	}
	cJSON_Delete(doc);
	return rc;
}

/* Split text into front matter (YAML) and body, or body only. */
static int
parse_text(struct agency *ag, const char *name, const char *path,
    const char *text, size_t len, struct fields *f)
{
	const char *p = text, *end, *close;
	size_t n = strlen(path ? path : "");
	int line = 1;

	while (p < text + len && isspace((unsigned char)*p))
		p++;
	if (p < text + len && *p == '{')
		return idea_fields(ag, name, text, len, f);
	if ((n > 5 && strcmp(path + n - 5, ".yaml") == 0) ||
	    (n > 4 && strcmp(path + n - 4, ".yml") == 0))
		return yaml_fields(ag, name, text, len, 0, f);
	if (strncmp(text, "---\n", 4) == 0 || strncmp(text, "---\r\n", 5) == 0) {
		p = strchr(text, '\n') + 1;
		for (close = p; close < text + len;) {
			end = strchr(close, '\n');
			if ((strncmp(close, "---", 3) == 0 ||
			    strncmp(close, "...", 3) == 0) &&
			    strspn(close + 3, " \t\r") == (size_t)((end ? end :
			    text + len) - close - 3))
				break;
			close = end ? end + 1 : text + len;
		}
		if (close < text + len) {
			int rc = yaml_fields(ag, name, p, (size_t)(close - p),
			    line, f);

			if (rc != AG_OK)
				return rc;
			end = strchr(close, '\n');
			p = end ? end + 1 : text + len;
			if (p < text + len)
				f->body = xstrndup(p, (size_t)(text + len - p));
			return AG_OK;
		}
	}
	f->body = xstrndup(text, len);
	return AG_OK;
}

/* The first markdown heading of body ("# Title"), or NULL. */
static char *
heading(const char *body)
{
	const char *p = body, *e;

	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '#') {
			p += strspn(p, "#");
			p += strspn(p, " \t");
			e = p + strcspn(p, "\r\n");
			while (e > p && (e[-1] == ' ' || e[-1] == '#'))
				e--;
			return e > p ? xstrndup(p, (size_t)(e - p)) : NULL;
		}
		if (*p != '\n' && *p != '\r')
			return NULL;	/* text before any heading */
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return NULL;
}

static int
add_platforms(struct agency *ag, struct script_spec *s, const char *list)
{
	const struct platform_limits *pl;
	char *copy = xstrdup(list), *w, *save = NULL, *t;
	size_t i;
	int rc = AG_OK;

	for (w = strtok_r(copy, ", \t", &save); w != NULL;
	    w = strtok_r(NULL, ", \t", &save)) {
		for (t = w; *t; t++)
			*t = (char)tolower((unsigned char)*t);
		if ((pl = platform_find(w)) == NULL) {
			rc = ag_fail(ag, AG_USAGE, "unknown platform '%s' "
			    "(known: %s)", w, platform_names());
			break;
		}
		for (i = 0; i < s->platforms.n; i++)
			if (strcmp(s->platforms.v[i], pl->name) == 0)
				break;
		if (i < s->platforms.n)
			continue;
		s->plat_store = xreallocarray(s->plat_store,
		    s->platforms.n + 1, sizeof(char *));
		s->plat_store[s->platforms.n] = xstrdup(pl->name);
		ag_strv_push(&s->platforms, s->plat_store[s->platforms.n]);
	}
	free(copy);
	return rc;
}

static char *
pick(const char *flag, char **brief, const char *conf)
{
	char *v;

	if (flag != NULL && *flag != '\0')
		return xstrdup(flag);
	if (*brief != NULL) {
		v = *brief;
		*brief = NULL;
		return v;
	}
	return conf ? xstrdup(conf) : NULL;
}

int
brief_read(struct agency *ag, const struct script_params *p,
    struct script_spec *s)
{
	struct fields f;
	struct buf text = BUF_INIT;
	struct ag_strv conf;
	const char *path = p->brief, *name;
	double d;
	size_t i;
	int rc = AG_OK;

	memset(&f, 0, sizeof(f));
	memset(s, 0, sizeof(*s));
	if (path == NULL && p->topic == NULL)
		path = "-";
	name = ag_doc_name(path);
	if (path != NULL && strcmp(path, "-") == 0 && isatty(STDIN_FILENO))
		return ag_fail(ag, AG_NOINPUT, "no brief: give --topic TEXT or "
		    "--brief FILE, or pipe a brief into stdin");
	if (path != NULL) {
		if ((rc = ag_read_file(ag, path, MAXBRIEF, &text)) == AG_OK)
			rc = parse_text(ag, name, path, buf_str(&text),
			    text.len, &f);
		buf_release(&text);
		if (rc != AG_OK)
			goto out;
	}
	s->title = f.title ? xstrdup(f.title) : f.body ? heading(f.body) :
	    NULL;
	s->topic = pick(p->topic, &f.topic, NULL);
	if (s->topic == NULL && s->title != NULL)
		s->topic = xstrdup(s->title);
	s->body = f.body;
	f.body = NULL;
	if (s->topic == NULL && s->body != NULL) {
		const char *b = s->body + strspn(s->body, " \t\r\n#-*");

		s->topic = xstrndup(b, strcspn(b, "\r\n"));
	}
	if (s->topic == NULL || *s->topic == '\0') {
		rc = ag_fail(ag, AG_DATAERR, "%s: the brief is empty", name);
		goto out;
	}
	s->angle = f.angle;
	f.angle = NULL;
	s->language = pick(p->language, &f.language, config_str(ag,
	    "script.language"));
	s->tone = pick(p->tone, &f.tone, NULL);
	s->audience = pick(p->audience, &f.audience, NULL);
	s->template = pick(p->template, &f.template, config_str(ag,
	    "script.template"));
	if (p->duration > 0) {
		s->duration = p->duration;
	} else if (f.duration != NULL) {
		if (ag_duration_parse(f.duration, &d) == -1 || d <= 0) {
			rc = ag_fail(ag, AG_DATAERR, "%s: duration: '%s' is not "
			    "a number of seconds", name, f.duration);
			goto out;
		}
		s->duration = d;
	} else {
		s->duration = config_number(ag, "script.duration");
	}
	if (s->duration <= 0 || s->duration > 3600) {
		rc = ag_fail(ag, AG_USAGE, "a duration of %g seconds is out "
		    "of range (1 to 3600)", s->duration);
		goto out;
	}
	for (i = 0; rc == AG_OK && i < p->platforms.n; i++)
		rc = add_platforms(ag, s, p->platforms.v[i]);
	if (rc == AG_OK && s->platforms.n == 0 && f.platforms != NULL)
		rc = add_platforms(ag, s, f.platforms);
	if (rc == AG_OK && s->platforms.n == 0) {
		config_list(ag, "script.platforms", &conf);
		for (i = 0; rc == AG_OK && i < conf.n; i++)
			rc = add_platforms(ag, s, conf.v[i]);
		ag_strv_release(&conf);
	}
out:
	fields_release(&f);
	if (rc != AG_OK)
		script_spec_release(s);
	return rc;
}
