/*
 * schema.c - the script: what a model is asked for (one JSON Schema,
 * given to Gemini in its own dialect), the local repair and check of
 * what it answers, the platforms' caption limits, and the check of a
 * finished agency.script document (agency-formats(7)).
 *
 * Repair is local first (llm.md §3.2 step 7), and only where the fix
 * cannot change what the script says: member names matched without
 * regard to case or to a few usual aliases, numbers read from strings
 * ("5", "5s"), text trimmed, hashtags normalised, on-screen text, visual
 * and durations derived from the narration when missing, captions made
 * from the script when missing and cut to each platform's limits.  What
 * is left (no title, no hook, no scenes, a scene without narration) is
 * listed with its JSON path for a repair prompt.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "llm.h"

#define MAXSCENES 20
#define MAXHASHTAGS 30

/* Limits per platform (platforms.md; marked drift there where vague). */
static const struct platform_limits platforms[] = {
	{ "bluesky", 100, 300, 5, 300, 1 },
	{ "facebook", 255, 5000, 10, 0, 1 },
	{ "instagram", 150, 2200, 30, 2200, 1 },
	{ "linkedin", 200, 3000, 10, 3000, 1 },
	{ "mastodon", 100, 500, 8, 500, 1 },
	{ "tiktok", 150, 2200, 10, 2200, 1 },
	{ "x", 100, 280, 5, 280, 1 },
	{ "youtube", 100, 5000, 15, 0, 0 },
};

#define NPLATFORMS (sizeof(platforms) / sizeof(platforms[0]))

const struct platform_limits *
platform_find(const char *name)
{
	size_t i;

	for (i = 0; i < NPLATFORMS; i++)
		if (strcmp(platforms[i].name, name) == 0)
			return &platforms[i];
	return NULL;
}

const char *
platform_names(void)
{
	return "bluesky, facebook, instagram, linkedin, mastodon, tiktok, x, "
	    "youtube";
}

/* The byte offset of character i of s (or its length). */
static size_t
utf8_offset(const char *s, size_t chars)
{
	size_t i = 0, n = 0;

	for (; s[i] != '\0'; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80) {
			if (n == chars)
				return i;
			n++;
		}
	}
	return i;
}

char *
text_fit(const char *s, size_t max)
{
	size_t cut, sp;

	if (ag_utf8_len(s) <= max)
		return xstrdup(s);
	if (max == 0)
		return xstrdup("");
	cut = utf8_offset(s, max - 1);
	for (sp = cut; sp > 0 && s[sp] != ' '; sp--)
		;
	if (sp > cut / 2)
		cut = sp;
	while (cut > 0 && strchr(" ,;:.-", s[cut - 1]) != NULL)
		cut--;
	return xasprintf("%.*s\xe2\x80\xa6", (int)cut, s);
}

char *
hashtag_make(const char *s)
{
	struct buf b = BUF_INIT;
	int letter = 0;

	buf_addch(&b, '#');
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c == '_' || c >= 0x80) {
			buf_addch(&b, isupper(c) ? tolower(c) : c);
			letter |= !isdigit(c) && c != '_';
		}
	}
	if (!letter || b.len > 60) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}

double
words_per_minute(const char *language)
{
	static const struct {
		const char *lang;
		double wpm;
	} t[] = {
		{ "de", 130 }, { "en", 150 }, { "es", 160 }, { "fr", 150 },
		{ "it", 150 }, { "nl", 140 }, { "pl", 130 }, { "pt", 150 },
		{ "sv", 140 },
	};
	size_t i, n = strcspn(language ? language : "", "-_");

	for (i = 0; language != NULL && i < sizeof(t) / sizeof(t[0]); i++)
		if (strlen(t[i].lang) == n && strncasecmp(t[i].lang, language,
		    n) == 0)
			return t[i].wpm;
	return 150;
}

/* ------------------------------------------------------------------ */
/* The schema of an answer. */

static cJSON *
prop(cJSON *props, const char *name, const char *type, const char *desc)
{
	cJSON *p = cJSON_CreateObject();

	cJSON_AddStringToObject(p, "type", type);
	if (desc != NULL)
		cJSON_AddStringToObject(p, "description", desc);
	cJSON_AddItemToObject(props, name, p);
	return p;
}

/* Close an object schema: every property required, no others. */
static void
close_object(cJSON *o)
{
	cJSON *req = cJSON_CreateArray(), *props, *it;

	props = cJSON_GetObjectItem(o, "properties");
	cJSON_ArrayForEach(it, props)
		cJSON_AddItemToArray(req, cJSON_CreateString(it->string));
	cJSON_AddItemToObject(o, "required", req);
	cJSON_AddFalseToObject(o, "additionalProperties");
}

static cJSON *
object(cJSON **props)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "type", "object");
	*props = cJSON_AddObjectToObject(o, "properties");
	return o;
}

static cJSON *
string_array(cJSON *props, const char *name, const char *desc)
{
	cJSON *a = prop(props, name, "array", desc);

	cJSON_AddItemToObject(a, "items", cJSON_CreateRaw(
	    "{\"type\":\"string\"}"));
	return a;
}

cJSON *
script_answer_schema(const struct ag_strv *plats)
{
	cJSON *root, *props, *scenes, *scene, *sp, *visual, *vp, *caps, *cp;
	cJSON *one, *op;
	size_t i;

	root = object(&props);
	prop(props, "title", "string", "the video's title, at most 100 "
	    "characters");
	prop(props, "hook", "string", "the first line spoken, made to stop "
	    "the scroll");
	scenes = prop(props, "scenes", "array", "the scenes in order");
	cJSON_AddNumberToObject(scenes, "minItems", 1);
	cJSON_AddNumberToObject(scenes, "maxItems", MAXSCENES);
	scene = object(&sp);
	prop(sp, "narration", "string", "what the voice says");
	prop(sp, "on_screen", "string", "short text shown on screen, at "
	    "most 8 words");
	visual = object(&vp);
	prop(vp, "hint", "string", "what to show");
	prop(vp, "query", "string", "2 to 4 words to search stock footage");
	close_object(visual);
	cJSON_AddItemToObject(sp, "visual", visual);
	prop(sp, "duration_hint", "number", "seconds the scene lasts");
	close_object(scene);
	cJSON_AddItemToObject(scenes, "items", scene);
	string_array(props, "hashtags", "3 to 8 hashtags, each starting "
	    "with #");
	caps = object(&cp);
	cJSON_AddStringToObject(caps, "description", "what to post on each "
	    "platform");
	for (i = 0; i < plats->n; i++) {
		one = object(&op);
		prop(op, "title", "string", NULL);
		prop(op, "description", "string", NULL);
		string_array(op, "tags", NULL);
		close_object(one);
		cJSON_AddItemToObject(cp, plats->v[i], one);
	}
	close_object(caps);
	cJSON_AddItemToObject(props, "captions", caps);
	close_object(root);
	return root;
}

cJSON *
schema_to_gemini(const cJSON *s)
{
	cJSON *g = cJSON_CreateObject(), *order, *props;
	const cJSON *it;
	char type[32];
	size_t i;

	cJSON_ArrayForEach(it, s) {
		if (strcmp(it->string, "additionalProperties") == 0)
			continue;
		if (strcmp(it->string, "type") == 0 &&
		    cJSON_IsString(it)) {
			snprintf(type, sizeof(type), "%s", it->valuestring);
			for (i = 0; type[i] != '\0'; i++)
				type[i] = (char)toupper((unsigned char)type[i]);
			cJSON_AddStringToObject(g, "type", type);
		} else if (strcmp(it->string, "properties") == 0) {
			props = cJSON_AddObjectToObject(g, "properties");
			order = cJSON_CreateArray();
			for (const cJSON *p = it->child; p != NULL;
			    p = p->next) {
				cJSON_AddItemToObject(props, p->string,
				    schema_to_gemini(p));
				cJSON_AddItemToArray(order,
				    cJSON_CreateString(p->string));
			}
			cJSON_AddItemToObject(g, "propertyOrdering", order);
		} else if (strcmp(it->string, "items") == 0) {
			cJSON *items = cJSON_IsRaw(it) ?
			    cJSON_Parse(it->valuestring) : NULL;

			cJSON_AddItemToObject(g, "items", schema_to_gemini(
			    items ? items : it));
			cJSON_Delete(items);
		} else {
			cJSON_AddItemToObject(g, it->string,
			    cJSON_Duplicate(it, 1));
		}
	}
	return g;
}

static void
describe(const cJSON *s, struct buf *shape, struct buf *notes,
    const char *path)
{
	const cJSON *type = cJSON_GetObjectItem(s, "type"), *p, *items;
	cJSON *parsed = NULL;
	char sub[256];

	if (strcmp(type->valuestring, "object") == 0) {
		buf_addch(shape, '{');
		for (p = cJSON_GetObjectItem(s, "properties")->child;
		    p != NULL; p = p->next) {
			buf_addf(shape, "\"%s\": ", p->string);
			snprintf(sub, sizeof(sub), "%s%s%s", path,
			    *path ? "." : "", p->string);
			describe(p, shape, notes, sub);
			if (p->next != NULL)
				buf_addstr(shape, ", ");
		}
		buf_addch(shape, '}');
	} else if (strcmp(type->valuestring, "array") == 0) {
		items = cJSON_GetObjectItem(s, "items");
		if (cJSON_IsRaw(items))
			items = parsed = cJSON_Parse(items->valuestring);
		buf_addch(shape, '[');
		describe(items, shape, notes, path);
		buf_addstr(shape, ", ...]");
		cJSON_Delete(parsed);
	} else {
		buf_addstr(shape, type->valuestring);
	}
	if ((p = cJSON_GetObjectItem(s, "description")) != NULL &&
	    cJSON_IsString(p) && *path != '\0')
		buf_addf(notes, "- %s: %s\n", path, p->valuestring);
}

char *
schema_describe(const cJSON *schema)
{
	struct buf shape = BUF_INIT, notes = BUF_INIT;
	char *s;

	describe(schema, &shape, &notes, "");
	s = xasprintf("Answer with one JSON object of this shape (types "
	    "stand for values), every member present:\n%s\n%s",
	    buf_str(&shape), buf_str(&notes));
	buf_release(&shape);
	buf_release(&notes);
	return s;
}

/* ------------------------------------------------------------------ */
/* Local repair and check of an answer. */

/* A member by any of names, case and '_'/'-'/' ' ignored. */
static cJSON *
member(const cJSON *o, const char *const *names)
{
	const cJSON *it;
	size_t i, a, b;

	for (i = 0; names[i] != NULL; i++) {
		cJSON_ArrayForEach(it, o) {
			const char *k = it->string, *n = names[i];

			for (a = b = 0; k[a] != '\0' && n[b] != '\0';) {
				if (strchr("_- ", k[a])) {
					a++;
					continue;
				}
				if (strchr("_- ", n[b])) {
					b++;
					continue;
				}
				if (tolower((unsigned char)k[a]) !=
				    tolower((unsigned char)n[b]))
					break;
				a++;
				b++;
			}
			while (k[a] != '\0' && strchr("_- ", k[a]))
				a++;
			while (n[b] != '\0' && strchr("_- ", n[b]))
				b++;
			if (k[a] == '\0' && n[b] == '\0' && !cJSON_IsNull(it))
				return (cJSON *)it;
		}
	}
	return NULL;
}

#define NAMES(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* Trimmed text of a string (or a number), or NULL. */
static char *
text_of(const cJSON *v)
{
	const char *s, *e;

	if (cJSON_IsNumber(v))
		return xasprintf("%g", v->valuedouble);
	if (!cJSON_IsString(v))
		return NULL;
	for (s = v->valuestring; isspace((unsigned char)*s); s++)
		;
	for (e = s + strlen(s); e > s && isspace((unsigned char)e[-1]); e--)
		;
	return xstrndup(s, (size_t)(e - s));
}

/* "5", "5s", "5 sec", 5: seconds; -1 if not a number. */
static double
seconds_of(const cJSON *v)
{
	char *end;
	double d;

	if (cJSON_IsNumber(v))
		return v->valuedouble;
	if (!cJSON_IsString(v))
		return -1;
	d = strtod(v->valuestring, &end);
	if (end == v->valuestring || !isfinite(d))
		return -1;
	while (*end == ' ')
		end++;
	if (*end == '\0' || strncasecmp(end, "s", 1) == 0)
		return d;
	return -1;
}

static void
problem(struct buf *pb, const char *path, const char *msg)
{
	buf_addf(pb, "%s: %s\n", path, msg);
}

/*
 * On-screen text from narration: the first clause, at most max words,
 * without the small words a phrase cannot end on ("the", "of", ...).
 */
static char *
first_words(const char *s, int max, const char *language)
{
	const char *p = s, *ends[16] = { NULL }, *w;
	char word[64];
	int n = 0;
	size_t len;

	if (max > (int)(sizeof(ends) / sizeof(ends[0])))
		max = (int)(sizeof(ends) / sizeof(ends[0]));
	while (*p != '\0' && n < max) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		p += strcspn(p, " ");
		ends[n++] = p;
		if (strchr(".!?:;,", p[-1]) != NULL)
			break;
	}
	while (n > 1) {
		for (w = ends[n - 1]; w > s && w[-1] != ' '; w--)
			;
		len = (size_t)(ends[n - 1] - w);
		while (len > 0 && strchr(".!?:;,", w[len - 1]) != NULL)
			len--;
		if (len >= sizeof(word))
			break;
		for (size_t i = 0; i < len; i++)
			word[i] = (char)tolower((unsigned char)w[i]);
		word[len] = '\0';
		if (!ag_stop_word(word, language))
			break;
		n--;
	}
	p = n > 0 ? ends[n - 1] : s;
	while (p > s && strchr(" .,;:!?", p[-1]) != NULL)
		p--;
	return xstrndup(s, (size_t)(p - s));
}

/* The first sentence of s, for a visual hint. */
static char *
first_sentence(const char *s)
{
	const char *p;
	char *one, *fit;

	for (p = s; *p != '\0'; p++)
		if (strchr(".!?", *p) && (p[1] == ' ' || p[1] == '\0'))
			break;
	one = xstrndup(s, (size_t)(p - s));
	fit = text_fit(one, 100);
	free(one);
	return fit;
}

static double
round1(double d)
{
	return round(d * 10) / 10;
}

/* Duration of narration at the language's pace, at least 1.5 s. */
static double
spoken_seconds(const char *text, const char *language)
{
	size_t words = 0;
	const char *p = text;

	while (*p != '\0') {
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		words++;
		while (*p != '\0' && !isspace((unsigned char)*p))
			p++;
	}
	return fmax(1.5, round1((double)words * 60 /
	    words_per_minute(language)));
}

static cJSON *
scene_fix(const struct script_spec *sp, const cJSON *in, const char *path,
    struct buf *pb)
{
	cJSON *out = cJSON_CreateObject(), *visual, *v, *vis;
	char *narr, *scr = NULL, *hint = NULL, *query = NULL, **kw, sub[64];
	double d;
	size_t nkw, i;
	struct buf q = BUF_INIT;

	if (!cJSON_IsObject(in)) {
		problem(pb, path, "expected an object");
		cJSON_Delete(out);
		return NULL;
	}
	narr = text_of(member(in, NAMES("narration", "voiceover",
	    "voice_over", "script", "text", "spoken")));
	if (narr == NULL || *narr == '\0') {
		snprintf(sub, sizeof(sub), "%s.narration", path);
		problem(pb, sub, "missing, expected the words spoken");
		free(narr);
		cJSON_Delete(out);
		return NULL;
	}
	scr = text_of(member(in, NAMES("on_screen", "on_screen_text",
	    "onscreen", "text_on_screen", "overlay", "caption")));
	if (scr == NULL || *scr == '\0') {
		free(scr);
		scr = first_words(narr, 7, sp->language);
	}
	vis = member(in, NAMES("visual", "visuals", "broll", "b_roll",
	    "image"));
	if (cJSON_IsObject(vis)) {
		hint = text_of(member(vis, NAMES("hint", "description",
		    "shot", "prompt")));
		query = text_of(member(vis, NAMES("query", "search",
		    "keywords", "stock_query")));
	} else if ((hint = text_of(vis)) != NULL) {
		query = NULL;
	}
	if (hint == NULL || *hint == '\0') {
		free(hint);
		hint = first_sentence(narr);
	}
	if (query == NULL || *query == '\0') {
		free(query);
		ag_keywords(narr, sp->language, 3, &kw, &nkw);
		for (i = 0; i < nkw; i++)
			buf_addf(&q, "%s%s", i ? " " : "", kw[i]);
		ag_keywords_free(kw, nkw);
		if (q.len > 0) {
			query = buf_detach(&q);
		} else {
			buf_release(&q);
			query = xstrdup(hint);
		}
	}
	v = member(in, NAMES("duration_hint", "duration", "duration_sec",
	    "duration_seconds", "seconds", "length"));
	d = v ? seconds_of(v) : -1;
	if (v != NULL && d < 0) {
		snprintf(sub, sizeof(sub), "%s.duration_hint", path);
		problem(pb, sub, "expected a number of seconds");
	} else if (d > 120) {
		snprintf(sub, sizeof(sub), "%s.duration_hint", path);
		problem(pb, sub, "a scene of more than 120 seconds");
	}
	if (d <= 0)
		d = spoken_seconds(narr, sp->language);
	cJSON_AddStringToObject(out, "narration", narr);
	cJSON_AddStringToObject(out, "on_screen", scr);
	visual = cJSON_AddObjectToObject(out, "visual");
	cJSON_AddStringToObject(visual, "hint", hint);
	cJSON_AddStringToObject(visual, "query", query);
	cJSON_AddNumberToObject(out, "duration_hint", round1(d));
	free(narr);
	free(scr);
	free(hint);
	free(query);
	return out;
}

/* Add hashtag text to arr unless already there (case-insensitive). */
static void
add_tag(cJSON *arr, const char *text)
{
	char *t = hashtag_make(text);
	const cJSON *it;

	if (t == NULL || cJSON_GetArraySize(arr) >= MAXHASHTAGS) {
		free(t);
		return;
	}
	cJSON_ArrayForEach(it, arr)
		if (strcasecmp(it->valuestring, t) == 0) {
			free(t);
			return;
		}
	cJSON_AddItemToArray(arr, cJSON_CreateString(t));
	free(t);
}

static cJSON *
hashtags_fix(const cJSON *v, const cJSON *scenes, const char *language)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *it;
	char *copy, *w, *save = NULL, **kw;
	struct buf all = BUF_INIT;
	size_t i, n;

	if (cJSON_IsArray(v)) {
		cJSON_ArrayForEach(it, v)
			if (cJSON_IsString(it))
				add_tag(out, it->valuestring);
	} else if (cJSON_IsString(v)) {
		copy = xstrdup(v->valuestring);
		for (w = strtok_r(copy, " ,#\t\n", &save); w != NULL;
		    w = strtok_r(NULL, " ,#\t\n", &save))
			add_tag(out, w);
		free(copy);
	}
	if (cJSON_GetArraySize(out) == 0) {
		cJSON_ArrayForEach(it, scenes)
			buf_addf(&all, "%s ", cJSON_GetObjectItem(it,
			    "narration")->valuestring);
		ag_keywords(buf_str(&all), language, 5, &kw, &n);
		for (i = 0; i < n; i++)
			add_tag(out, kw[i]);
		ag_keywords_free(kw, n);
		buf_release(&all);
	}
	return out;
}

/* The hashtags of a script as one line, within max characters. */
static char *
tags_line(const cJSON *hashtags, size_t max)
{
	struct buf b = BUF_INIT;
	const cJSON *it;

	buf_addstr(&b, "");
	cJSON_ArrayForEach(it, hashtags) {
		if (ag_utf8_len(buf_str(&b)) + 1 + ag_utf8_len(it->valuestring) >
		    max)
			break;
		buf_addf(&b, "%s%s", b.len ? " " : "", it->valuestring);
	}
	return buf_detach(&b);
}

/* One platform's caption, fitted; title/desc/tags may be NULL. */
static cJSON *
caption_make(const struct platform_limits *pl, const cJSON *script,
    const char *title, const char *desc, const cJSON *tags)
{
	const cJSON *hashtags = cJSON_GetObjectItem(script, "hashtags"), *it;
	struct buf d = BUF_INIT;
	cJSON *c = cJSON_CreateObject(), *arr;
	char *t, *line = NULL, *body;
	size_t room, n = 0;

	t = text_fit(title && *title ? title : cJSON_GetObjectItem(script,
	    "title")->valuestring, pl->title);
	if (desc != NULL && *desc != '\0') {
		buf_addstr(&d, desc);
	} else {
		const char *hook = cJSON_GetObjectItem(script,
		    "hook")->valuestring, *first;

		/* The hook, then the opening scenes, up to ~200 chars. */
		buf_addstr(&d, hook);
		cJSON_ArrayForEach(it, cJSON_GetObjectItem(script, "scenes")) {
			if (d.len >= 200)
				break;
			first = cJSON_GetObjectItem(it,
			    "narration")->valuestring;
			/* The first scene often opens with the hook. */
			if (strncmp(first, hook, strlen(hook)) == 0)
				first += strlen(hook);
			while (*first == ' ')
				first++;
			if (*first != '\0')
				buf_addf(&d, " %s", first);
		}
	}
	room = pl->description;
	if (pl->text > 0 && pl->text > ag_utf8_len(t) + 1 &&
	    pl->text - ag_utf8_len(t) - 1 < room)
		room = pl->text - ag_utf8_len(t) - 1;
	if (pl->inline_tags && (desc == NULL || strchr(desc, '#') == NULL)) {
		line = tags_line(hashtags, room / 3);
		if (*line != '\0' && ag_utf8_len(line) + 2 < room)
			room -= ag_utf8_len(line) + 2;
	}
	body = text_fit(buf_str(&d), room);
	buf_reset(&d);
	buf_addstr(&d, body);
	if (line != NULL && *line != '\0')
		buf_addf(&d, "\n\n%s", line);
	cJSON_AddStringToObject(c, "title", t);
	cJSON_AddStringToObject(c, "description", buf_str(&d));
	arr = cJSON_AddArrayToObject(c, "tags");
	if (!cJSON_IsArray(tags))
		tags = hashtags;
	cJSON_ArrayForEach(it, tags) {
		char *h = cJSON_IsString(it) ? hashtag_make(it->valuestring) :
		    NULL;

		if (h != NULL && n < pl->tags) {
			cJSON_AddItemToArray(arr, cJSON_CreateString(h + 1));
			n++;
		}
		free(h);
	}
	free(t);
	free(line);
	free(body);
	buf_release(&d);
	return c;
}

void
script_captions(const struct script_spec *s, cJSON *script)
{
	cJSON *caps = cJSON_AddObjectToObject(script, "captions");
	const struct platform_limits *pl;
	size_t i;

	for (i = 0; i < s->platforms.n; i++)
		if ((pl = platform_find(s->platforms.v[i])) != NULL)
			cJSON_AddItemToObject(caps, pl->name, caption_make(pl,
			    script, NULL, NULL, NULL));
}

static void
script_id(const char *title, const char *hook, const cJSON *scenes,
    char id[24])
{
	struct ag_sha256 c;
	char hex[AG_SHA256_HEX];
	const cJSON *it;
	const char *n;

	ag_sha256_init(&c);
	ag_sha256_update(&c, title, strlen(title) + 1);
	ag_sha256_update(&c, hook, strlen(hook) + 1);
	cJSON_ArrayForEach(it, scenes) {
		n = cJSON_GetObjectItem(it, "narration")->valuestring;
		ag_sha256_update(&c, n, strlen(n) + 1);
	}
	ag_sha256_hex(&c, hex);
	snprintf(id, 24, "c_%.16s", hex);
}

int
script_accept(struct agency *ag, const struct script_spec *sp,
    cJSON *ans, struct buf *pb, cJSON **out)
{
	cJSON *doc, *scenes, *sc, *caps, *c;
	const cJSON *in, *it, *one;
	const struct platform_limits *pl;
	char *title, *hook, path[64], *ct, *cd;
	size_t i, ns = 0, start = pb->len;
	double total = 0;

	if (!cJSON_IsObject(ans)) {
		problem(pb, "$", "expected one JSON object");
		return ag_fail(ag, AG_DATAERR, "the answer is not an object");
	}
	/* Some models wrap the object: {"script": {...}}. */
	if ((in = member(ans, NAMES("script", "video_script"))) != NULL &&
	    cJSON_IsObject(in) && member(ans, NAMES("scenes")) == NULL)
		ans = (cJSON *)in;
	title = text_of(member(ans, NAMES("title", "video_title")));
	hook = text_of(member(ans, NAMES("hook", "opening", "opening_line")));
	if (title == NULL || *title == '\0')
		problem(pb, "$.title", "missing, expected a string");
	if (hook == NULL || *hook == '\0')
		problem(pb, "$.hook", "missing, expected a string");
	in = member(ans, NAMES("scenes", "scene_list", "shots"));
	scenes = cJSON_CreateArray();
	if (!cJSON_IsArray(in) || cJSON_GetArraySize(in) == 0) {
		problem(pb, "$.scenes", "missing, expected an array of 1 to 20 "
		    "scenes");
	} else if (cJSON_GetArraySize(in) > MAXSCENES) {
		problem(pb, "$.scenes", "more than 20 scenes; merge them");
	} else {
		cJSON_ArrayForEach(it, in) {
			snprintf(path, sizeof(path), "$.scenes[%zu]", ns++);
			if ((sc = scene_fix(sp, it, path, pb)) != NULL) {
				total += cJSON_GetObjectItem(sc,
				    "duration_hint")->valuedouble;
				cJSON_AddItemToArray(scenes, sc);
			}
		}
	}
	if (pb->len > start) {
		free(title);
		free(hook);
		cJSON_Delete(scenes);
		return ag_fail(ag, AG_DATAERR, "the answer is not a valid "
		    "script");
	}
	doc = ag_doc_new("agency.script");
	{
		char *t = text_fit(title, 100), id[24];

		script_id(t, hook, scenes, id);
		cJSON_AddStringToObject(doc, "id", id);
		cJSON_AddStringToObject(doc, "title", t);
		free(t);
	}
	cJSON_AddStringToObject(doc, "hook", hook);
	cJSON_AddStringToObject(doc, "language", sp->language);
	if (sp->topic != NULL)
		cJSON_AddStringToObject(doc, "topic", sp->topic);
	cJSON_AddNumberToObject(doc, "duration", round1(total));
	cJSON_AddItemToObject(doc, "scenes", scenes);
	cJSON_AddItemToObject(doc, "hashtags", hashtags_fix(member(ans,
	    NAMES("hashtags", "tags", "hash_tags")), scenes, sp->language));
	in = member(ans, NAMES("captions", "platform_captions", "platforms"));
	caps = cJSON_AddObjectToObject(doc, "captions");
	for (i = 0; i < sp->platforms.n; i++) {
		if ((pl = platform_find(sp->platforms.v[i])) == NULL)
			continue;
		one = cJSON_IsObject(in) ? member(in, NAMES(pl->name)) : NULL;
		ct = one ? text_of(member(one, NAMES("title"))) : NULL;
		cd = one ? text_of(member(one, NAMES("description", "caption",
		    "text"))) : NULL;
		c = caption_make(pl, doc, ct, cd, one ? member(one,
		    NAMES("tags", "hashtags")) : NULL);
		cJSON_AddItemToObject(caps, pl->name, c);
		free(ct);
		free(cd);
	}
	if (fabs(total - sp->duration) > sp->duration * 0.25)
		ag_info(ag, "the scenes last %.0f s; %.0f s were asked for",
		    total, sp->duration);
	free(title);
	free(hook);
	*out = doc;
	return AG_OK;
}

/* ------------------------------------------------------------------ */
/* The check of a finished document (agency-formats(7)). */

static int
check_strings(struct agency *ag, struct jpath *jp, const cJSON *obj,
    const char *key, int required)
{
	const cJSON *arr = NULL, *it;
	size_t mark, m, i = 0;
	int rc;

	if ((rc = jget_array(ag, jp, obj, key, required, &arr)) != AG_OK ||
	    arr == NULL)
		return rc;
	mark = jpath_key(jp, key);
	cJSON_ArrayForEach(it, arr) {
		m = jpath_index(jp, i++);
		if (!cJSON_IsString(it))
			return jpath_fail(ag, jp, "expected a string");
		jpath_pop(jp, m);
	}
	jpath_pop(jp, mark);
	return AG_OK;
}

int
script_check(struct agency *ag, const char *name, const cJSON *doc)
{
	const cJSON *scenes, *scene, *visual, *caps = NULL, *c;
	struct jpath jp;
	const char *s;
	double d;
	size_t i = 0, mark, m;
	int rc;

	if ((rc = ag_doc_check(ag, name, doc, "agency.script")) != AG_OK)
		return rc;
	jpath_init(&jp, name);
	if ((rc = jget_string(ag, &jp, doc, "title", J_REQUIRED, &s)) ||
	    (rc = jget_string(ag, &jp, doc, "hook", J_REQUIRED, &s)) ||
	    (rc = jget_string(ag, &jp, doc, "language", J_REQUIRED, &s)) ||
	    (rc = jget_array(ag, &jp, doc, "scenes", J_REQUIRED, &scenes)))
		return rc;
	if (cJSON_GetArraySize(scenes) == 0) {
		jpath_key(&jp, "scenes");
		return jpath_fail(ag, &jp, "expected at least one scene");
	}
	mark = jpath_key(&jp, "scenes");
	cJSON_ArrayForEach(scene, scenes) {
		m = jpath_index(&jp, i++);
		if (!cJSON_IsObject(scene))
			return jpath_fail(ag, &jp, "expected an object");
		if ((rc = jget_string(ag, &jp, scene, "narration", J_REQUIRED,
		    &s)) || (rc = jget_string(ag, &jp, scene, "on_screen",
		    J_REQUIRED, &s)) || (rc = jget_object(ag, &jp, scene,
		    "visual", J_REQUIRED, &visual)) || (rc = jget_number(ag,
		    &jp, scene, "duration_hint", J_REQUIRED, &d)))
			return rc;
		if (d <= 0) {
			jpath_key(&jp, "duration_hint");
			return jpath_fail(ag, &jp, "expected a number of "
			    "seconds above 0");
		}
		jpath_key(&jp, "visual");
		if ((rc = jget_string(ag, &jp, visual, "hint", J_REQUIRED,
		    &s)) || (rc = jget_string(ag, &jp, visual, "query",
		    J_REQUIRED, &s)) || (rc = jget_string(ag, &jp, visual,
		    "path", J_OPTIONAL, &s)))
			return rc;
		jpath_pop(&jp, m);
	}
	jpath_pop(&jp, mark);
	if ((rc = check_strings(ag, &jp, doc, "hashtags", J_REQUIRED)) ||
	    (rc = jget_object(ag, &jp, doc, "captions", J_REQUIRED, &caps)))
		return rc;
	mark = jpath_key(&jp, "captions");
	cJSON_ArrayForEach(c, caps) {
		m = jpath_key(&jp, c->string);
		if (!cJSON_IsObject(c))
			return jpath_fail(ag, &jp, "expected an object");
		if ((rc = jget_string(ag, &jp, c, "title", J_REQUIRED, &s)) ||
		    (rc = jget_string(ag, &jp, c, "description", J_REQUIRED,
		    &s)) || (rc = check_strings(ag, &jp, c, "tags",
		    J_REQUIRED)))
			return rc;
		jpath_pop(&jp, m);
	}
	jpath_pop(&jp, mark);
	if ((rc = jget_string(ag, &jp, doc, "provider", J_OPTIONAL, &s)) ||
	    (rc = jget_string(ag, &jp, doc, "model", J_OPTIONAL, &s)))
		return rc;
	return AG_OK;
}
