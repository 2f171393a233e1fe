/*
 * offline.c - the provider that needs no key and no network.
 *
 * It turns a brief into a script deterministically (the same brief and
 * parameters give the same bytes, which the golden tests hold it to):
 *  - the brief's markdown is read as units: a list item, a paragraph;
 *    a heading names the scene that follows it; inline markup is
 *    dropped;
 *  - units are split into sentences, and sentences are grouped into
 *    scenes of about eight seconds of speech at the language's pace,
 *    a new unit starting a new scene once the current one is half full
 *    (a unit under a heading always does), at most twelve scenes;
 *  - the hook is the first line (variant k takes the k-th sentence);
 *  - hashtags are the most significant words: the most frequent that
 *    are not stop words, title words counting double, ties going to
 *    the earlier word.
 * Durations, on-screen text, visuals and the per-platform captions are
 * then derived by the same local repair every provider's answer goes
 * through (schema.c), so they fit each platform's limits.  With a topic
 * and no brief, a short generic outline in the language is used.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "llm.h"

#define MAXSCENES 12
#define SCENE_SECONDS 8

/* ------------------------------------------------------------------ */
/* Significant words. */


/* ------------------------------------------------------------------ */
/* Markdown into units and sentences. */

struct unit {
	char *text;			/* plain text, sentences joined */
	char *label;			/* the heading before it, or NULL */
};

/* Inline markup out: **b**, *e*, _e_, `c`, [t](u), ![a](u), <tags>. */
static void
plain(const char *s, size_t n, struct buf *out)
{
	const char *e = s + n, *close, *paren;

	while (s < e) {
		if (*s == '!' && s + 1 < e && s[1] == '[')
			s++;
		if (*s == '[' && (close = memchr(s, ']', (size_t)(e - s))) &&
		    close + 1 < e && close[1] == '(' && (paren = memchr(close,
		    ')', (size_t)(e - close))) != NULL) {
			plain(s + 1, (size_t)(close - s - 1), out);
			s = paren + 1;
			continue;
		}
		if (*s == '*' || *s == '`' || (*s == '_' && (s == e - 1 ||
		    !isalnum((unsigned char)s[1]) || s == e - n ||
		    !isalnum((unsigned char)s[-1])))) {
			s++;
			continue;
		}
		if (*s == '<' && (close = memchr(s, '>', (size_t)(e - s))) &&
		    close - s < 40 && (isalpha((unsigned char)s[1]) ||
		    s[1] == '/')) {
			s = close + 1;
			continue;
		}
		if (isspace((unsigned char)*s)) {
			if (out->len > 0 && out->data[out->len - 1] != ' ')
				buf_addch(out, ' ');
			s++;
			continue;
		}
		buf_addch(out, *s++);
	}
}

/* The length of a list marker at p ("- ", "* ", "1. ", "2) "), or 0. */
static size_t
list_marker(const char *p)
{
	size_t i = 0;

	if ((*p == '-' || *p == '*' || *p == '+') && p[1] == ' ')
		return 2;
	while (isdigit((unsigned char)p[i]))
		i++;
	if (i > 0 && i < 4 && (p[i] == '.' || p[i] == ')') && p[i + 1] == ' ')
		return i + 2;
	return 0;
}

static void
unit_add(struct unit **u, size_t *n, struct buf *b, char **label)
{
	while (b->len > 0 && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
	if (b->len == 0)
		return;
	*u = xreallocarray(*u, *n + 1, sizeof(**u));
	(*u)[*n].text = buf_detach(b);
	(*u)[*n].label = *label;
	*label = NULL;
	(*n)++;
}

static void
units_of(const char *body, struct unit **out, size_t *nout)
{
	struct unit *u = NULL;
	struct buf b = BUF_INIT;
	const char *p = body, *eol, *s;
	char *label = NULL;
	size_t n = 0, m, len, headings = 0;

	while (*p != '\0') {
		eol = p + strcspn(p, "\n");
		len = (size_t)(eol - p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		for (s = p; s < p + len && (*s == ' ' || *s == '\t'); s++)
			;
		while (s < p + len && *s == '>')	/* quotes */
			for (s++; s < p + len && *s == ' '; s++)
				;
		if (s == p + len) {			/* blank line */
			unit_add(&u, &n, &b, &label);
		} else if (*s == '#') {
			unit_add(&u, &n, &b, &label);
			s += strspn(s, "#");
			s += strspn(s, " \t");
			free(label);
			label = NULL;
			/* The first heading is the title, not a scene. */
			if (headings++ > 0 || n > 0) {
				struct buf lb = BUF_INIT;

				plain(s, (size_t)(p + len - s), &lb);
				label = lb.len ? buf_detach(&lb) :
				    (buf_release(&lb), NULL);
			}
		} else if (strncmp(s, "---", 3) == 0 &&
		    strspn(s, "-") == (size_t)(p + len - s)) {
			unit_add(&u, &n, &b, &label);	/* a rule */
		} else if ((m = list_marker(s)) > 0) {
			unit_add(&u, &n, &b, &label);
			plain(s + m, (size_t)(p + len - s - m), &b);
		} else {
			if (b.len > 0)
				buf_addch(&b, ' ');
			plain(s, (size_t)(p + len - s), &b);
		}
		p = *eol ? eol + 1 : eol;
	}
	unit_add(&u, &n, &b, &label);
	free(label);
	buf_release(&b);
	*out = u;
	*nout = n;
}

static const char *const abbrev[] = { "e.g.", "i.e.", "vs.", "etc.",
	"mr.", "mrs.", "ms.", "dr.", "st.", "no.", "z.b.", "d.h.", NULL };

static int
is_abbrev(const char *start, const char *dot)
{
	const char *w = dot;
	size_t i, n;

	while (w > start && w[-1] != ' ')
		w--;
	n = (size_t)(dot - w) + 1;
	for (i = 0; abbrev[i] != NULL; i++)
		if (strlen(abbrev[i]) == n && strncasecmp(w, abbrev[i], n) == 0)
			return 1;
	return 0;
}

/* Split text into sentences (new strings), a final '.' added. */
static void
sentences_of(const char *text, char ***out, size_t *nout)
{
	const char *p = text, *s = text;
	char **v = *out;
	size_t n = *nout;
	struct buf b = BUF_INIT;

	for (;; p++) {
		int end = *p == '\0' || ((*p == '.' || *p == '!' ||
		    *p == '?') && (p[1] == ' ' || p[1] == '\0') &&
		    !(*p == '.' && is_abbrev(text, p)));

		if (!end)
			continue;
		while (*s == ' ')
			s++;
		if (p + (*p != '\0') > s) {
			buf_add(&b, s, (size_t)(p - s) + (*p != '\0'));
			if (strchr(".!?:;\"')", b.data[b.len - 1]) == NULL)
				buf_addch(&b, '.');
			v = xreallocarray(v, n + 1, sizeof(*v));
			v[n++] = buf_detach(&b);
		}
		if (*p == '\0')
			break;
		s = p + 1;
	}
	*out = v;
	*nout = n;
}

static size_t
count_words(const char *s)
{
	size_t n = 0;

	while (*s != '\0') {
		while (*s == ' ')
			s++;
		if (*s == '\0')
			break;
		n++;
		s += strcspn(s, " ");
	}
	return n;
}

/* ------------------------------------------------------------------ */
/* A generic outline for a topic without a brief. */

struct outline {
	const char *lang;
	const char *hooks[3];
	const char *lines[5];
};

static const struct outline outlines[] = {
	{ "en", { "Here is what nobody tells you about %s.",
	    "Stop scrolling if you care about %s.",
	    "You are probably getting %s wrong." },
	  { "Most people get %s wrong from the very first step.",
	    "Start with the basics, and do them the same way every time.",
	    "Then change one thing at a time, and watch what happens.",
	    "Small, steady changes beat one big overhaul.",
	    "Follow for more on %s." } },
	{ "de", { "Das verrät dir niemand über %s.",
	    "Hör kurz zu, wenn dir %s wichtig ist.",
	    "Wahrscheinlich machst du bei %s etwas falsch." },
	  { "Die meisten machen bei %s schon den ersten Schritt falsch.",
	    "Fang mit den Grundlagen an, und mach sie jedes Mal gleich.",
	    "Dann ändere eine Sache nach der anderen und schau, was passiert.",
	    "Kleine, stetige Schritte schlagen den großen Umbau.",
	    "Folge für mehr über %s." } },
	{ "es", { "Esto es lo que nadie te cuenta sobre %s.",
	    "Para un momento si te importa %s.",
	    "Seguramente estás haciendo mal %s." },
	  { "Casi todos fallan con %s desde el primer paso.",
	    "Empieza por lo básico y hazlo igual cada vez.",
	    "Luego cambia una sola cosa y mira qué pasa.",
	    "Los cambios pequeños y constantes ganan al gran cambio.",
	    "Sígueme para más sobre %s." } },
	{ "fr", { "Voici ce que personne ne vous dit sur %s.",
	    "Restez une minute si %s vous intéresse.",
	    "Vous vous trompez sans doute sur %s." },
	  { "La plupart des gens ratent %s dès la première étape.",
	    "Commencez par les bases, et faites-les toujours pareil.",
	    "Puis changez une seule chose à la fois, et observez.",
	    "De petits pas réguliers valent mieux qu'un grand chamboulement.",
	    "Abonnez-vous pour plus sur %s." } },
};

static const struct outline *
outline_for(const char *language)
{
	size_t i;

	for (i = 0; i < sizeof(outlines) / sizeof(outlines[0]); i++)
		if (language != NULL && strncasecmp(language,
		    outlines[i].lang, 2) == 0)
			return &outlines[i];
	return &outlines[0];
}

static char *
fill(const char *fmt, const char *topic)
{
	const char *p = strstr(fmt, "%s");

	if (p == NULL)
		return xstrdup(fmt);
	return xasprintf("%.*s%s%s", (int)(p - fmt), fmt, topic, p + 2);
}

/* The topic as it reads inside a sentence: no final full stop. */
static char *
topic_phrase(const char *topic)
{
	size_t n = strlen(topic);

	while (n > 0 && strchr(" .!?", topic[n - 1]) != NULL)
		n--;
	return xstrndup(topic, n);
}

/* ------------------------------------------------------------------ */

static char *
capitalised(const char *s)
{
	char *t = xstrdup(s);

	if (islower((unsigned char)t[0]))
		t[0] = (char)toupper((unsigned char)t[0]);
	return t;
}

/* On-screen text of a unit's first scene: its label or "lead: ...". */
static char *
screen_text(const struct unit *u)
{
	const char *c;
	size_t n;

	if (u->label != NULL)
		return xstrdup(u->label);
	c = u->text + strcspn(u->text, ":");
	n = (size_t)(c - u->text);
	if (*c == ':' && n > 0 && n <= 48 && count_words(u->text) > 3)
		return xstrndup(u->text, n);
	return NULL;
}

static void
add_scene(cJSON *scenes, struct buf *narr, char **screen)
{
	cJSON *sc;

	if (narr->len == 0)
		return;
	sc = cJSON_CreateObject();
	cJSON_AddStringToObject(sc, "narration", buf_str(narr));
	if (*screen != NULL)
		cJSON_AddStringToObject(sc, "on_screen", *screen);
	cJSON_AddItemToArray(scenes, sc);
	free(*screen);
	*screen = NULL;
	buf_reset(narr);
}

int
offline_script(struct agency *ag, const struct script_spec *s, cJSON **doc)
{
	struct unit *u = NULL;
	char **sent = NULL, **kw, *screen = NULL, *t, *topic, *title;
	size_t nu = 0, ns = 0, i, j, words = 0, sw, per, nscenes, cur = 0;
	size_t *unit_of = NULL, nkw;
	const struct outline *o;
	struct buf narr = BUF_INIT, all = BUF_INIT;
	cJSON *ans, *scenes, *tags;
	double wpm = words_per_minute(s->language);

	(void)ag;
	topic = topic_phrase(s->topic);
	if (s->body != NULL)
		units_of(s->body, &u, &nu);
	for (i = 0; i < nu; i++) {
		size_t before = ns;

		sentences_of(u[i].text, &sent, &ns);
		unit_of = xreallocarray(unit_of, ns ? ns : 1, sizeof(size_t));
		for (j = before; j < ns; j++)
			unit_of[j] = i;
	}
	if (ns == 0) {		/* a topic alone: the generic outline */
		o = outline_for(s->language);
		sent = xreallocarray(sent, 6, sizeof(*sent));
		sent[ns++] = fill(o->hooks[s->variant % 3], topic);
		for (i = 0; i < 5; i++)
			sent[ns++] = fill(o->lines[i], topic);
		if (s->angle != NULL && *s->angle != '\0') {
			free(sent[0]);
			sent[0] = capitalised(s->angle);
		}
	}
	for (i = 0; i < ns; i++)
		words += count_words(sent[i]);
	sw = (size_t)(wpm / 60 * SCENE_SECONDS);
	nscenes = (words + sw - 1) / sw;
	if (nscenes < 1)
		nscenes = 1;
	if (nscenes > MAXSCENES)
		nscenes = MAXSCENES;
	per = (words + nscenes - 1) / nscenes;

	ans = cJSON_CreateObject();
	title = s->title ? xstrdup(s->title) : capitalised(topic);
	cJSON_AddStringToObject(ans, "title", title);
	cJSON_AddStringToObject(ans, "hook", sent[s->variant % ns]);
	scenes = cJSON_AddArrayToObject(ans, "scenes");
	for (i = 0; i < ns; i++) {
		size_t w = count_words(sent[i]);
		int new_unit = unit_of != NULL && i > 0 &&
		    unit_of[i] != unit_of[i - 1];
		int full = cur > 0 && (cur + w > per + per / 2 ||
		    (new_unit && (cur >= per / 2 ||
		    u[unit_of[i]].label != NULL)));

		if (full && (size_t)cJSON_GetArraySize(scenes) + 1 <
		    MAXSCENES) {
			add_scene(scenes, &narr, &screen);
			cur = 0;
		}
		if (narr.len == 0 && unit_of != NULL && (i == 0 ||
		    unit_of[i] != unit_of[i - 1]))
			screen = screen_text(&u[unit_of[i]]);
		buf_addf(&narr, "%s%s", narr.len ? " " : "", sent[i]);
		cur += w;
	}
	add_scene(scenes, &narr, &screen);

	/* Hashtags: title words count double. */
	buf_addf(&all, "%s %s %s %s ", title, title, topic, topic);
	/* The generic outline says nothing about the topic. */
	for (i = 0; nu > 0 && i < ns; i++)
		buf_addf(&all, "%s ", sent[i]);
	ag_keywords(buf_str(&all), s->language, 5, &kw, &nkw);
	tags = cJSON_AddArrayToObject(ans, "hashtags");
	for (i = 0; i < nkw; i++) {
		if ((t = hashtag_make(kw[i])) != NULL)
			cJSON_AddItemToArray(tags, cJSON_CreateString(t));
		free(t);
	}
	ag_keywords_free(kw, nkw);

	for (i = 0; i < ns; i++)
		free(sent[i]);
	for (i = 0; i < nu; i++) {
		free(u[i].text);
		free(u[i].label);
	}
	free(sent);
	free(u);
	free(unit_of);
	free(topic);
	free(title);
	buf_release(&narr);
	buf_release(&all);
	*doc = ans;
	return AG_OK;
}

/* ------------------------------------------------------------------ */
/* Ideas for a niche. */

static const struct {
	const char *topic, *angle;
} idea_patterns[] = {
	{ "3 %s mistakes beginners make",
	    "name each mistake, show the fix in one shot" },
	{ "%s myths, busted", "state the myth, then the evidence against it" },
	{ "How I would learn %s in 30 days",
	    "a week-by-week plan a viewer can follow" },
	{ "The one %s tool worth buying",
	    "one pick, why it wins, what to skip" },
	{ "%s: before and after", "one change, the visible difference" },
	{ "A day of %s in 60 seconds", "fast cuts through a real day" },
	{ "%s on a budget", "the cheapest way to get a good result" },
	{ "What pros get wrong about %s", "a contrarian take, with a demo" },
	{ "%s in 3 steps", "the shortest path from zero to a first result" },
	{ "The %s question everyone asks", "answer it in one sentence, "
	    "then show it" },
	{ "%s trends to watch this year", "three trends, one example each" },
	{ "Stop doing this with %s", "a common habit and what to do instead" },
};

int
offline_ideas(struct agency *ag, const char *niche, long long count,
    const struct ag_strv *platforms, cJSON **doc)
{
	size_t np = sizeof(idea_patterns) / sizeof(idea_patterns[0]);
	cJSON *ans = cJSON_CreateObject(), *arr, *o;
	char *n = topic_phrase(niche), *t, *round, *hook;
	long long i;

	(void)ag;
	arr = cJSON_AddArrayToObject(ans, "ideas");
	for (i = 0; i < count; i++) {
		t = fill(idea_patterns[i % (long long)np].topic, n);
		round = i >= (long long)np ? xasprintf("%s, part %lld", t,
		    i / (long long)np + 1) : xstrdup(t);
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "topic", round);
		cJSON_AddStringToObject(o, "angle",
		    idea_patterns[i % (long long)np].angle);
		cJSON_AddStringToObject(o, "platform", platforms->n ?
		    platforms->v[i % (long long)platforms->n] : "tiktok");
		hook = xasprintf("%s.", round);
		hook[0] = (char)toupper((unsigned char)hook[0]);
		cJSON_AddStringToObject(o, "hook", hook);
		cJSON_AddItemToArray(arr, o);
		free(t);
		free(round);
		free(hook);
	}
	free(n);
	*doc = ans;
	return AG_OK;
}

/* The chain runs the offline provider itself (chain.c try_offline). */
const struct llm_ops llm_offline = { "offline", 0, NULL, NULL };
