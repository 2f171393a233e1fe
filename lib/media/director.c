/*
 * director.c - a script planned into an edit decision list (media.h).
 *
 * Voice first.  Each scene's narration is synthesised (voice.h) before
 * anything else is decided, and the scene lasts as long as its voice
 * plus the style's lead and tail (and at least the style's shortest
 * scene): timing comes from the real audio, never from the script's
 * duration hints.  The scenes' audio, with the quiet between them, is
 * one narration file kept in the media library; every word keeps its
 * time on the whole timeline, for the captions.  A recorded narration
 * (--narration) replaces all this: its words are timed by sentence
 * (voice_time_proportional) and the scenes follow their words.
 *
 * Then the pictures: a scene's visual path if it names one, else the
 * library entry whose words best match the scene's visual query and
 * hint (library.h: deterministic, nothing shown twice while something
 * unshown remains), else a gradient from the style's palette.  Stills
 * get Ken Burns moves that differ from scene to scene; clips are cut to
 * the scene and cropped to the frame around the focus.  Transitions,
 * captions and music come from the style; the hook is a title card
 * over the opening; each scene's on-screen text is a label.
 */
#include <math.h>
#include <string.h>

#include "agency.h"
#include "media/library.h"
#include "media/media.h"
#include "media/preset.h"
#include "media/style.h"
#include "media/voice.h"

#define TITLE_SECONDS 2.5		/* the hook card, at most */
#define LABEL_SECONDS 1.0		/* a label shows this long, or not */
#define NARRATION_RATE_MIN 8000

struct scene {
	const cJSON *src;		/* the script's scene */
	double start, end;		/* on the timeline */
	double voice_start;		/* when its narration starts */
};

struct plan {
	struct agency *ag;
	const struct plan_args *a;
	const cJSON *script;
	struct style style;
	struct scene *sc;
	size_t n;
	struct media_words words;	/* on the timeline */
	char *narration;		/* the voice file */
	char *music;			/* the bed file */
	double duration;
	uint64_t seed;
};

static const char *
str(const cJSON *o, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));

	return s != NULL ? s : "";
}

/* Append a run of silence of n frames to a growing mono buffer. */
static void
pad(float **pcm, size_t *frames, size_t *alloc, size_t n)
{
	if (*frames + n > *alloc) {
		*alloc = (*frames + n) * 2;
		*pcm = xreallocarray(*pcm, *alloc, sizeof(**pcm));
	}
	memset(*pcm + *frames, 0, n * sizeof(**pcm));
	*frames += n;
}

static void
append(float **pcm, size_t *frames, size_t *alloc, const float *src,
    size_t n)
{
	size_t at = *frames;

	pad(pcm, frames, alloc, n);
	memcpy(*pcm + at, src, n * sizeof(*src));
}

/* Synthesise every scene, time the scenes by it, keep the narration. */
static int
speak(struct plan *p)
{
	struct voice_params vp = p->a->voice;
	struct voice_audio va = VOICE_AUDIO_INIT;
	struct ag_progress pg;
	float *pcm = NULL;
	size_t frames = 0, alloc = 0, i, w;
	double t = 0, len, dur;
	int rate = 0, rc = AG_OK;

	if (vp.language == NULL)
		vp.language = str(p->script, "language")[0] != '\0' ?
		    str(p->script, "language") : NULL;
	ag_progress_start(p->ag, &pg, "voice", (double)p->n, 0);
	for (i = 0; i < p->n; i++) {
		ag_progress_update(&pg, (double)i);
		if ((rc = voice_speak(p->ag, &vp, str(p->sc[i].src,
		    "narration"), &va)) != AG_OK)
			goto out;
		rate = va.rate;
		len = (double)va.frames / rate;
		dur = p->style.lead + len + p->style.tail;
		if (dur < p->style.min_scene)
			dur = p->style.min_scene;
		p->sc[i].start = t;
		p->sc[i].voice_start = t + p->style.lead;
		p->sc[i].end = t + dur;
		/* Silence to the voice's start, the voice, then the tail. */
		pad(&pcm, &frames, &alloc, (size_t)llround(
		    p->sc[i].voice_start * rate) - frames);
		append(&pcm, &frames, &alloc, va.pcm, va.frames);
		for (w = 0; w < va.words.n; w++)
			media_words_add(&p->words, va.words.v[w].text,
			    va.words.v[w].start + p->sc[i].voice_start,
			    va.words.v[w].end + p->sc[i].voice_start, (int)i,
			    va.words.v[w].flags | (w + 1 == va.words.n ?
			    WORD_SCENE_END : 0));
		voice_audio_release(&va);
		t += dur;
	}
	ag_progress_update(&pg, (double)p->n);
	ag_progress_end(&pg);
	p->duration = t;
	if (rate > 0 && (size_t)llround(t * rate) > frames)
		pad(&pcm, &frames, &alloc, (size_t)llround(t * rate) - frames);
	if (rate > 0)
		rc = library_keep_audio(p->ag, pcm, frames, 1, rate,
		    "narration", "narration voice", &p->narration);
out:
	ag_progress_end(&pg);
	voice_audio_release(&va);
	free(pcm);
	return rc;
}

/* A recorded narration: its words timed by sentence, scenes by words. */
static int
recorded(struct plan *p)
{
	struct media_words w = MEDIA_WORDS_INIT;
	struct buf text = BUF_INIT;
	float *pcm = NULL;
	size_t frames = 0, i, k, *first;
	int rate = 16000, rc;

	for (i = 0; i < p->n; i++) {
		buf_addstr(&text, str(p->sc[i].src, "narration"));
		buf_addstr(&text, "\n\n");
	}
	if ((rc = audiofile_read(p->ag, p->a->narration, rate, &pcm,
	    &frames)) != AG_OK ||
	    (rc = voice_time_proportional(p->ag, buf_str(&text), pcm, frames,
	    rate, &w)) != AG_OK)
		goto out;
	/* Which words belong to which scene: count each scene's tokens. */
	first = xcalloc(p->n + 1, sizeof(*first));
	for (i = 0, k = 0; i < p->n; i++) {
		struct voice_script vs;

		first[i] = k;
		voice_script_init(&vs, NULL, str(p->sc[i].src, "narration"));
		k += vs.n;
		voice_script_release(&vs);
	}
	first[p->n] = k;
	p->duration = (double)frames / rate;
	for (i = 0; i < p->n; i++) {
		p->sc[i].start = i == 0 ? 0 : p->sc[i - 1].end;
		p->sc[i].end = i + 1 == p->n || first[i + 1] >= w.n ?
		    p->duration : fmax(p->sc[i].start + 0.5,
		    w.v[first[i + 1]].start - 0.05);
		p->sc[i].voice_start = first[i] < w.n ? w.v[first[i]].start :
		    p->sc[i].start;
		for (k = first[i]; k < first[i + 1] && k < w.n; k++)
			media_words_add(&p->words, w.v[k].text, w.v[k].start,
			    w.v[k].end, (int)i, w.v[k].flags |
			    (k + 1 == first[i + 1] ? WORD_SCENE_END : 0));
	}
	free(first);
	p->narration = realpath(p->a->narration, NULL);
	if (p->narration == NULL)
		p->narration = xstrdup(p->a->narration);
out:
	media_words_release(&w);
	buf_release(&text);
	free(pcm);
	return rc;
}

/* A bed composed to the exact length, or the file given. */
static int
score(struct plan *p)
{
	struct music_params mp;
	struct music_result mr;
	struct media_probe probe;
	int rc;

	if (p->a->no_music)
		return AG_OK;
	if (p->a->music != NULL) {
		p->music = realpath(p->a->music, NULL);
		if (p->music == NULL)
			return ag_fail(p->ag, AG_NOINPUT, "cannot read '%s':",
			    p->a->music);
		/* Not at render time, where it would name no option. */
		if ((rc = media_probe(p->ag, p->music, &probe)) != AG_OK)
			return rc;
		if (!probe.has_audio)
			return ag_fail(p->ag, AG_DATAERR, "'%s': no audio in "
			    "it", p->a->music);
		return AG_OK;
	}
	music_params_init(&mp);
	mp.mood = p->a->music_mood ? p->a->music_mood : p->style.music_mood;
	mp.duration = p->duration;
	mp.seed = p->seed;
	mp.fade_out = fmin(2.0, p->duration / 4);
	mp.soundfont = p->a->soundfont;
	mp.progress = 1;
	if ((rc = music_compose(p->ag, &mp, &mr)) != AG_OK)
		return rc;
	rc = library_keep_audio(p->ag, mr.pcm, mr.frames, mr.channels,
	    mr.rate, "music", mr.mood, &p->music);
	music_result_release(&mr);
	return rc;
}

static cJSON *
hexcolor(uint32_t c)
{
	char s[8];

	snprintf(s, sizeof(s), "#%06X", c & 0xFFFFFF);
	return cJSON_CreateString(s);
}

static cJSON *
pair(double a, double b)
{
	cJSON *v = cJSON_CreateArray();

	cJSON_AddItemToArray(v, cJSON_CreateNumber(round(a * 1000) / 1000));
	cJSON_AddItemToArray(v, cJSON_CreateNumber(round(b * 1000) / 1000));
	return v;
}

/* Ken Burns moves, one per scene in turn: in, out, and four drifts. */
static void
motion(cJSON *seg, size_t i, double zoom)
{
	static const double moves[6][4] = {
		/* x0, y0, x1, y1 */
		{ 0.5, 0.5, 0.5, 0.5 },		/* zoom in */
		{ 0.5, 0.5, 0.5, 0.5 },		/* zoom out */
		{ 0.35, 0.5, 0.65, 0.5 },	/* left to right */
		{ 0.5, 0.35, 0.5, 0.6 },	/* down */
		{ 0.65, 0.5, 0.35, 0.5 },	/* right to left */
		{ 0.5, 0.6, 0.5, 0.4 },		/* up */
	};
	const double *m = moves[i % 6];
	cJSON *o = cJSON_AddObjectToObject(seg, "motion");

	cJSON_AddStringToObject(o, "kind", "kenburns");
	cJSON_AddItemToObject(o, "zoom", i % 6 == 1 ? pair(zoom, 1) :
	    pair(i % 6 == 0 ? 1 : zoom, zoom));
	cJSON_AddItemToObject(o, "x", pair(m[0], m[2]));
	cJSON_AddItemToObject(o, "y", pair(m[1], m[3]));
}

static cJSON *
segment(struct plan *p, struct library *lib, size_t i)
{
	const struct style *st = &p->style;
	const cJSON *visual = cJSON_GetObjectItem(p->sc[i].src, "visual");
	struct library_entry *pick = NULL;
	struct buf want = BUF_INIT;
	cJSON *seg = cJSON_CreateObject(), *src, *g, *t;
	const char *path = str(visual, "path");
	double len = p->sc[i].end - p->sc[i].start;
	struct media_probe mp;
	int image = 0;

	cJSON_AddNumberToObject(seg, "start",
	    round(p->sc[i].start * 1000) / 1000);
	cJSON_AddNumberToObject(seg, "end", round(p->sc[i].end * 1000) / 1000);
	src = cJSON_AddObjectToObject(seg, "source");
	if (*path != '\0' && media_probe(p->ag, path, &mp) == AG_OK &&
	    (mp.kind == PROBE_IMAGE || mp.kind == PROBE_VIDEO)) {
		char *abs = realpath(path, NULL);

		image = mp.kind == PROBE_IMAGE;
		cJSON_AddStringToObject(src, image ? "image" : "video",
		    abs ? abs : path);
		free(abs);
	} else {
		ag_clear_error(p->ag);
		buf_addf(&want, "%s %s", str(visual, "query"),
		    str(visual, "hint"));
		if ((pick = library_pick(lib, buf_str(&want))) != NULL) {
			image = pick->kind == LIB_IMAGE;
			cJSON_AddStringToObject(src, image ? "image" : "video",
			    pick->path);
			if (!image && pick->duration > len * 1.5)
				cJSON_AddNumberToObject(src, "in", round(
				    (pick->duration - len) / 3 * 1000) / 1000);
		} else {
			g = cJSON_AddArrayToObject(src, "gradient");
			cJSON_AddItemToArray(g, hexcolor(st->palette[(2 * i) %
			    st->npalette]));
			cJSON_AddItemToArray(g, hexcolor(st->palette[(2 * i +
			    1) % st->npalette]));
			cJSON_AddNumberToObject(src, "angle",
			    (double)((i * 67 + 45) % 360));
			image = 1;
		}
	}
	buf_release(&want);
	if (image)
		motion(seg, i, st->zoom);
	if (p->a->focus_set) {
		cJSON *f = cJSON_AddObjectToObject(seg, "focus");

		cJSON_AddNumberToObject(f, "x", p->a->focus_x);
		cJSON_AddNumberToObject(f, "y", p->a->focus_y);
	}
	if ((i == 0 || strcmp(st->transition, "cut") != 0) &&
	    st->transition_duration > 0) {
		t = cJSON_AddObjectToObject(seg, "transition");
		cJSON_AddStringToObject(t, "kind", i == 0 ? "fade" :
		    st->transition);
		cJSON_AddNumberToObject(t, "duration", fmin(
		    st->transition_duration, fmin(len, i == 0 ? len :
		    p->sc[i - 1].end - p->sc[i - 1].start) / 2));
	}
	return seg;
}

static cJSON *
captions(struct plan *p)
{
	const struct style *st = &p->style;
	cJSON *c = cJSON_CreateObject(), *ws, *w;
	size_t i;

	cJSON_AddStringToObject(c, "style", p->a->captions ? p->a->captions :
	    st->caption_style);
	cJSON_AddStringToObject(c, "font", st->caption_font);
	if (st->caption_size > 0) {
		/* A style's size is at 1920 high, the EDL's at its own. */
		const struct media_preset *pr = media_preset_find(p->a->preset ?
		    p->a->preset : st->preset);
		double h = pr != NULL ? pr->height : 1920;

		cJSON_AddNumberToObject(c, "size",
		    round(st->caption_size * h / 1920 * 10) / 10);
	}
	cJSON_AddItemToObject(c, "color", hexcolor(st->text));
	cJSON_AddItemToObject(c, "highlight", hexcolor(st->highlight));
	if (st->outline >= 0)
		cJSON_AddNumberToObject(c, "outline", st->outline);
	if (st->shadow >= 0)
		cJSON_AddNumberToObject(c, "shadow", st->shadow);
	cJSON_AddStringToObject(c, "position", st->caption_position);
	if (st->uppercase >= 0)
		cJSON_AddBoolToObject(c, "uppercase", st->uppercase);
	if (st->max_words > 0)
		cJSON_AddNumberToObject(c, "max_words", st->max_words);
	ws = cJSON_AddArrayToObject(c, "words");
	for (i = 0; i < p->words.n; i++) {
		w = cJSON_CreateObject();
		cJSON_AddStringToObject(w, "text", p->words.v[i].text);
		cJSON_AddNumberToObject(w, "start",
		    round(p->words.v[i].start * 1000) / 1000);
		cJSON_AddNumberToObject(w, "end",
		    round(p->words.v[i].end * 1000) / 1000);
		cJSON_AddNumberToObject(w, "scene", p->words.v[i].scene);
		cJSON_AddItemToArray(ws, w);
	}
	return c;
}

static cJSON *
overlays(struct plan *p)
{
	cJSON *a = cJSON_CreateArray(), *o;
	const char *hook = str(p->script, "hook"), *text;
	double hook_end = 0;
	size_t i;

	if (*hook != '\0') {
		hook_end = fmin(TITLE_SECONDS, p->sc[0].end - p->sc[0].start);
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "text", hook);
		cJSON_AddNumberToObject(o, "start", 0);
		cJSON_AddNumberToObject(o, "end", round(hook_end * 1000) /
		    1000);
		cJSON_AddStringToObject(o, "role", "title");
		cJSON_AddStringToObject(o, "position", "middle");
		cJSON_AddItemToArray(a, o);
	}
	for (i = 0; i < p->n; i++) {
		text = str(p->sc[i].src, "on_screen");
		if (*text == '\0')
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "text", text);
		/* After the hook card, so the two never share the screen. */
		cJSON_AddNumberToObject(o, "start", round(fmax(p->sc[i].start,
		    hook_end) * 1000) / 1000);
		cJSON_AddNumberToObject(o, "end", round(p->sc[i].end * 1000) /
		    1000);
		cJSON_AddStringToObject(o, "role", "text");
		cJSON_AddStringToObject(o, "position", "top");
		/* Text that would only flash up after the hook is left out. */
		if (p->sc[i].end - fmax(p->sc[i].start, hook_end) >=
		    LABEL_SECONDS)
			cJSON_AddItemToArray(a, o);
		else
			cJSON_Delete(o);
	}
	return a;
}

/* What the production passes on: the script's captions and names. */
static cJSON *
meta(struct plan *p)
{
	static const char *const keys[] = { "captions", "hashtags",
	    "language", "topic", NULL };
	const char *const *k;
	cJSON *m = cJSON_CreateObject(), *v;

	if (*str(p->script, "id") != '\0')
		cJSON_AddStringToObject(m, "script", str(p->script, "id"));
	for (k = keys; *k != NULL; k++)
		if ((v = cJSON_GetObjectItem(p->script, *k)) != NULL)
			cJSON_AddItemToObject(m, *k, cJSON_Duplicate(v, 1));
	v = cJSON_AddObjectToObject(m, "narration");
	if (p->a->narration != NULL) {
		cJSON_AddStringToObject(v, "kind", "recorded");
		cJSON_AddStringToObject(v, "timing", "sentences");
	} else {
		cJSON_AddStringToObject(v, "kind", "voice");
		cJSON_AddStringToObject(v, "engine", p->a->voice.engine ?
		    p->a->voice.engine : "espeak");
		if (p->a->voice.voice != NULL)
			cJSON_AddStringToObject(v, "voice", p->a->voice.voice);
		cJSON_AddStringToObject(v, "timing", "words");
	}
	cJSON_AddStringToObject(m, "style", p->style.name);
	return m;
}

static uint64_t
seed_of(const cJSON *script)
{
	struct ag_sha256 h;
	unsigned char d[32];
	char *text = cJSON_PrintUnformatted(script);
	uint64_t s = 0;
	int i;

	ag_sha256_init(&h);
	ag_sha256_update(&h, text, strlen(text));
	ag_sha256_final(&h, d);
	cJSON_free(text);
	for (i = 0; i < 6; i++)
		s = s << 8 | d[i];
	return s;
}

static cJSON *
edl_doc(struct plan *p, struct library *lib)
{
	cJSON *doc = ag_doc_new("agency.edl"), *o, *v, *a, *t;
	size_t i;

	if (*str(p->script, "title") != '\0')
		cJSON_AddStringToObject(doc, "title", str(p->script, "title"));
	o = cJSON_AddObjectToObject(doc, "output");
	cJSON_AddStringToObject(o, "preset", p->a->preset ? p->a->preset :
	    p->style.preset);
	if (p->a->quality != NULL)
		cJSON_AddStringToObject(o, "quality", p->a->quality);
	cJSON_AddNumberToObject(o, "loudness", p->style.loudness);
	cJSON_AddNumberToObject(doc, "duration",
	    round(p->duration * 1000) / 1000);
	v = cJSON_AddArrayToObject(doc, "video");
	for (i = 0; i < p->n; i++)
		cJSON_AddItemToArray(v, segment(p, lib, i));
	a = cJSON_AddObjectToObject(doc, "audio");
	if (p->narration != NULL) {
		t = cJSON_AddObjectToObject(a, "voice");
		cJSON_AddStringToObject(t, "path", p->narration);
	}
	if (p->music != NULL) {
		t = cJSON_AddObjectToObject(a, "music");
		cJSON_AddStringToObject(t, "path", p->music);
		cJSON_AddNumberToObject(t, "gain", p->style.music_gain);
		cJSON_AddBoolToObject(t, "duck", 1);
	}
	cJSON_AddItemToObject(doc, "captions", captions(p));
	cJSON_AddItemToObject(doc, "overlays", overlays(p));
	cJSON_AddItemToObject(doc, "meta", meta(p));
	return doc;
}

int
media_plan(struct agency *ag, const cJSON *script, const struct plan_args *a,
    cJSON **out)
{
	struct plan p;
	struct library lib = { NULL, 0 };
	const cJSON *scenes = cJSON_GetObjectItem(script, "scenes"), *it;
	size_t i = 0;
	int rc;

	memset(&p, 0, sizeof(p));
	p.ag = ag;
	p.a = a;
	p.script = script;
	media_words_init(&p.words);
	if ((rc = style_load(ag, a->style ? a->style : "minimal",
	    &p.style)) != AG_OK)
		return rc;
	p.n = (size_t)cJSON_GetArraySize(scenes);
	p.sc = xcalloc(p.n ? p.n : 1, sizeof(*p.sc));
	cJSON_ArrayForEach(it, scenes)
		p.sc[i++].src = it;
	p.seed = seed_of(script);
	if (p.n == 0) {
		rc = ag_fail(ag, AG_DATAERR, "the script has no scenes");
		goto out;
	}
	ag_info(ag, "voice: %zu scenes", p.n);
	if ((rc = a->narration ? recorded(&p) : speak(&p)) != AG_OK)
		goto out;
	ag_info(ag, "music: %.1f s", p.duration);
	if ((rc = score(&p)) != AG_OK ||
	    (rc = library_scan(ag, a->media.v, a->media.n, &lib)) != AG_OK)
		goto out;
	*out = edl_doc(&p, &lib);
out:
	library_release(&lib);
	media_words_release(&p.words);
	free(p.sc);
	free(p.narration);
	free(p.music);
	style_release(&p.style);
	return rc;
}
