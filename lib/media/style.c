/*
 * style.c - style files (style.h).
 *
 * The keys are a table: dotted path, type, where the value goes, and
 * the range or the words allowed.  Reading a file walks its tree
 * against the table, so the warnings for unknown keys and the errors
 * for bad values come from one place.
 */
#include <dirent.h>
#include <math.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>

#include "agency.h"
#include "core/yamltree.h"
#include "media/edl.h"
#include "media/style.h"

enum ktype { K_STR, K_NUM, K_INT, K_BOOL, K_COLOR, K_PALETTE, K_WORD,
    K_TRANSITION, K_MOOD };

struct key {
	const char *path;
	enum ktype type;
	size_t off;
	double lo, hi;
	const char *words;		/* K_WORD: "a|b|c" */
};

#define O(f) offsetof(struct style, f)

static const struct key keys[] = {
	{ "name", K_STR, O(name), 0, 0, NULL },
	{ "description", K_STR, O(description), 0, 0, NULL },
	{ "preset", K_WORD, O(preset), 0, 0,
	    "shorts|tiktok|reels|youtube|square|portrait|x" },
	{ "colors.background", K_PALETTE, O(palette), 0, 0, NULL },
	{ "colors.text", K_COLOR, O(text), 0, 0, NULL },
	{ "colors.highlight", K_COLOR, O(highlight), 0, 0, NULL },
	{ "fonts.captions", K_STR, O(caption_font), 0, 0, NULL },
	{ "fonts.title", K_STR, O(title_font), 0, 0, NULL },
	{ "captions.style", K_WORD, O(caption_style), 0, 0,
	    "karaoke|pop|classic|none" },
	{ "captions.size", K_NUM, O(caption_size), 0, 400, NULL },
	{ "captions.position", K_WORD, O(caption_position), 0, 0,
	    "bottom|middle|top" },
	{ "captions.uppercase", K_BOOL, O(uppercase), 0, 0, NULL },
	{ "captions.max_words", K_INT, O(max_words), 0, 12, NULL },
	{ "captions.outline", K_NUM, O(outline), 0, 50, NULL },
	{ "captions.shadow", K_NUM, O(shadow), 0, 50, NULL },
	{ "transition.kind", K_TRANSITION, O(transition), 0, 0, NULL },
	{ "transition.duration", K_NUM, O(transition_duration), 0, 3, NULL },
	{ "pacing.lead", K_NUM, O(lead), 0, 5, NULL },
	{ "pacing.tail", K_NUM, O(tail), 0, 5, NULL },
	{ "pacing.min_scene", K_NUM, O(min_scene), 0.5, 60, NULL },
	{ "motion.zoom", K_NUM, O(zoom), 1, 2, NULL },
	{ "music.mood", K_MOOD, O(music_mood), 0, 0, NULL },
	{ "music.gain", K_NUM, O(music_gain), -60, 12, NULL },
	{ "loudness", K_NUM, O(loudness), -40, -5, NULL },
	{ NULL, K_STR, 0, 0, 0, NULL }
};

static void
defaults(struct style *s)
{
	static const uint32_t palette[] = { 0x1b2a3a, 0x2e4a62, 0x3a2e4a,
	    0x4a3a2e, 0x2e4a3a, 0x1f3b4d };
	int i;

	memset(s, 0, sizeof(*s));
	s->name = xstrdup("minimal");
	s->description = xstrdup("the built-in defaults");
	s->preset = xstrdup("shorts");
	for (i = 0; i < (int)(sizeof(palette) / sizeof(palette[0])); i++)
		s->palette[i] = palette[i];
	s->npalette = i;
	s->text = 0xFFFFFF;
	s->highlight = 0xFFE000;
	s->caption_font = xstrdup("DejaVu Sans");
	s->title_font = xstrdup("DejaVu Sans");
	s->caption_style = xstrdup("karaoke");
	s->caption_position = xstrdup("bottom");
	s->max_words = 3;
	s->uppercase = -1;
	s->outline = s->shadow = -1;
	s->transition = xstrdup("fade");
	s->transition_duration = 0.4;
	s->lead = 0.25;
	s->tail = 0.4;
	s->min_scene = 1.5;
	s->zoom = 1.12;
	s->music_mood = xstrdup("calm");
	s->music_gain = -10;
	s->loudness = -14;
}

static const char *const *
key_names(void)
{
	static const char *names[sizeof(keys) / sizeof(keys[0])];
	size_t i;

	for (i = 0; keys[i].path != NULL; i++)
		names[i] = keys[i].path;
	names[i] = NULL;
	return names;
}

static int
bad(struct agency *ag, const struct style *s, const struct ynode *n,
    const char *path, const char *what)
{
	return ag_fail(ag, AG_DATAERR, "%s:%d:%d: %s: %s", s->path, n->vline,
	    n->vcol, path, what);
}

static int
word_ok(const char *words, const char *v)
{
	size_t n = strlen(v);
	const char *p;

	for (p = words; *p != '\0'; p += strcspn(p, "|"), p += *p == '|')
		if (n > 0 && strncmp(p, v, n) == 0 &&
		    (p[n] == '|' || p[n] == '\0'))
			return 1;
	return 0;
}

static int
mood_known(const char *name)
{
	struct music_mood_info m;
	int i;

	for (i = 0; music_mood_info(i, &m) == 0; i++)
		if (strcmp(m.name, name) == 0)
			return 1;
	return 0;
}

static int
set(struct agency *ag, struct style *s, const struct key *k,
    const struct ynode *n)
{
	char *field = (char *)s + k->off, msg[160];
	double d;
	size_t i;
	int b;

	if (k->type == K_PALETTE) {
		if (n->kind != YN_SEQ || n->nkids < 1 ||
		    n->nkids > STYLE_PALETTE)
			return bad(ag, s, n, k->path, "expected a list of 1 to "
			    "8 colours");
		for (i = 0; i < n->nkids; i++)
			if (n->kids[i]->kind != YN_SCALAR ||
			    edl_color_parse(n->kids[i]->value,
			    &s->palette[i]) != 0)
				return bad(ag, s, n->kids[i], k->path,
				    "expected a colour (#RRGGBB)");
		s->npalette = (int)n->nkids;
		return AG_OK;
	}
	if (n->kind != YN_SCALAR)
		return bad(ag, s, n, k->path, "expected a value");
	switch (k->type) {
	case K_TRANSITION:
	case K_MOOD:
	case K_WORD:
		if (k->type == K_TRANSITION && !edl_transition_known(n->value)) {
			snprintf(msg, sizeof(msg), "'%s' is not a transition "
			    "(cut, or one of xfade's: fade, wipeleft, slideup, "
			    "...)", n->value);
			return bad(ag, s, n, k->path, msg);
		}
		if (k->type == K_MOOD && !mood_known(n->value)) {
			snprintf(msg, sizeof(msg), "'%s' is not a mood (see "
			    "'agency-compose moods')", n->value);
			return bad(ag, s, n, k->path, msg);
		}
		if (k->type == K_WORD && !word_ok(k->words, n->value)) {
			snprintf(msg, sizeof(msg), "'%s' is not one of %s",
			    n->value, k->words);
			return bad(ag, s, n, k->path, msg);
		}
		/* FALLTHROUGH */
	case K_STR:
		free(*(char **)(void *)field);
		*(char **)(void *)field = xstrdup(n->value);
		return AG_OK;
	case K_NUM:
	case K_INT:
		if (ag_parse_double(n->value, &d) == -1 || d < k->lo ||
		    d > k->hi || (k->type == K_INT && d != floor(d))) {
			snprintf(msg, sizeof(msg), "'%s' is not a %s from %g "
			    "to %g", n->value, k->type == K_INT ? "whole number"
			    : "number", k->lo, k->hi);
			return bad(ag, s, n, k->path, msg);
		}
		if (k->type == K_INT)
			*(int *)(void *)field = (int)d;
		else
			*(double *)(void *)field = d;
		return AG_OK;
	case K_BOOL:
		if (ag_parse_bool(n->value, &b) == -1)
			return bad(ag, s, n, k->path, "expected true or false");
		*(int *)(void *)field = b;
		return AG_OK;
	case K_COLOR:
		if (edl_color_parse(n->value, (uint32_t *)(void *)field) != 0)
			return bad(ag, s, n, k->path, "expected a colour "
			    "(#RRGGBB)");
		return AG_OK;
	default:
		return AG_OK;
	}
}

/* Walk the tree: a known key is set, a mapping descended, else a warning. */
static int
walk(struct agency *ag, struct style *s, const struct ynode *map,
    const char *prefix)
{
	const struct key *k;
	const struct ynode *n;
	char path[128];
	const char *near;
	size_t i;
	int rc;

	for (i = 0; i < map->nkids; i++) {
		n = map->kids[i];
		snprintf(path, sizeof(path), "%s%s%s", prefix,
		    *prefix ? "." : "", n->key);
		for (k = keys; k->path != NULL; k++)
			if (strcmp(k->path, path) == 0)
				break;
		if (k->path != NULL) {
			if ((rc = set(ag, s, k, n)) != AG_OK)
				return rc;
			continue;
		}
		if (n->kind == YN_MAP) {
			if ((rc = walk(ag, s, n, path)) != AG_OK)
				return rc;
			continue;
		}
		near = ag_closest(path, key_names());
		ag_warn(ag, "%s:%d:%d: unknown style key '%s'%s%s%s", s->path,
		    n->line, n->col, path, near ? " (did you mean '" : "",
		    near ? near : "", near ? "'?)" : "");
	}
	return AG_OK;
}

static char *
find(const char *name)
{
	struct stat sb;
	char *d, *p;
	int i;

	if (strchr(name, '/') != NULL)
		return stat(name, &sb) == 0 ? xstrdup(name) : NULL;
	for (i = 0; i < 2; i++) {
		d = i == 0 ? ag_user_dir("styles") : ag_shipped_dir("styles");
		p = xasprintf("%s/%s.yaml", d, name);
		free(d);
		if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode))
			return p;
		free(p);
	}
	return NULL;
}

int
style_load(struct agency *ag, const char *name, struct style *out)
{
	struct buf text = BUF_INIT;
	struct ynode *root = NULL;
	struct yerror yerr;
	struct style s;
	int rc;

	defaults(&s);
	if ((s.path = find(name)) == NULL) {
		style_release(&s);
		return ag_fail(ag, AG_NOINPUT, "no style '%s' (see "
		    "'agency-produce styles')", name);
	}
	if ((rc = ag_read_file(ag, s.path, 1 << 20, &text)) != AG_OK)
		goto out;
	if (ytree_parse(text.data ? text.data : "", text.len, &root,
	    &yerr) == -1) {
		rc = ag_fail(ag, AG_DATAERR, "%s:%d:%d: %s", s.path, yerr.line,
		    yerr.col, yerr.msg);
		goto out;
	}
	if (root != NULL && root->kind != YN_MAP) {
		rc = ag_fail(ag, AG_DATAERR, "%s: expected a mapping", s.path);
		goto out;
	}
	free(s.name);
	s.name = xstrdup(name);
	if (root != NULL && (rc = walk(ag, &s, root, "")) != AG_OK)
		goto out;
out:
	ytree_free(root);
	buf_release(&text);
	if (rc != AG_OK) {
		style_release(&s);
		return rc;
	}
	*out = s;
	return AG_OK;
}

void
style_release(struct style *s)
{
	free(s->name);
	free(s->description);
	free(s->path);
	free(s->preset);
	free(s->caption_font);
	free(s->title_font);
	free(s->caption_style);
	free(s->caption_position);
	free(s->transition);
	free(s->music_mood);
	memset(s, 0, sizeof(*s));
}

static int
listed(const cJSON *list, const char *name)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, list)
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(it,
		    "name")), name) == 0)
			return 1;
	return 0;
}

int
style_list(struct agency *ag, cJSON **out)
{
	cJSON *list = cJSON_CreateArray(), *o;
	struct dirent **ents;
	struct style s;
	char *d, name[256];
	int i, n, k;
	size_t len;

	for (k = 0; k < 2; k++) {
		d = k == 0 ? ag_user_dir("styles") : ag_shipped_dir("styles");
		n = scandir(d, &ents, NULL, alphasort);
		free(d);
		for (i = 0; i < n; i++) {
			len = strlen(ents[i]->d_name);
			if (len > 5 && strcmp(ents[i]->d_name + len - 5,
			    ".yaml") == 0) {
				snprintf(name, sizeof(name), "%.*s",
				    (int)(len - 5), ents[i]->d_name);
				if (!listed(list, name) &&
				    style_load(ag, name, &s) == AG_OK) {
					o = cJSON_CreateObject();
					cJSON_AddStringToObject(o, "name",
					    name);
					cJSON_AddStringToObject(o,
					    "description", s.description);
					cJSON_AddStringToObject(o, "path",
					    s.path);
					cJSON_AddItemToArray(list, o);
					style_release(&s);
				}
			}
			free(ents[i]);
		}
		if (n >= 0)
			free(ents);
	}
	ag_clear_error(ag);
	*out = list;
	return AG_OK;
}
