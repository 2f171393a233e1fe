/*
 * espeak.c - the espeak-ng engine of the voice (voice.h).
 *
 * libespeak-ng in synchronous mode: espeak_Synth() runs the synthesis
 * in the calling thread and hands PCM and events to the callback before
 * it returns.  Of the events:
 *
 *	WORD	a word starts at `sample` (samples from the start of this
 *		espeak_Synth call; audio_position is the same in whole
 *		milliseconds).  text_position is where the word is in the
 *		text, 1-based and in characters, not bytes; that is mapped
 *		to a token of the script.  Events of length 0 are clause
 *		markers that point backwards: dropped.
 *	PHONEME	with espeakINITIALIZE_PHONEME_EVENTS; a pause ("_", "_:",
 *		"_!") ends the word being spoken.
 *	END	a clause or sentence ends: so does the word.
 *
 * A word with no pause after it ends where the next begins, the last
 * one where the audio does.
 *
 * espeak-ng keeps its state in globals, and initialising it a second
 * time in a process hangs, so it is initialised once, on first use, and
 * never terminated; a failed initialisation is remembered and reported
 * again.  The data folder is checked first: with a broken one
 * espeak_Initialize() returns 0 (not -1) after printing to stderr.
 */
#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "agency.h"
#include "media/voice.h"

#define NONE SIZE_MAX

static struct {
	int state;			/* 0 not yet, 1 ready, -1 failed */
	int rate;
	char err[512];			/* why it failed */
	char voice[128];		/* the voice selected, "" for none */
	int wpm;			/* the rate set */
} es;

/* The synthesis under way; the callback has no other way in. */
static struct run {
	struct voice_script *s;
	struct voice_audio *a;
	size_t open;			/* the token being spoken, or NONE */
	long from;			/* its start, in samples */
} *cur;

static void
close_word(struct run *r, long sample)
{
	if (r->open == NONE)
		return;
	voice_script_mark(r->s, r->open, (double)r->from / es.rate,
	    (double)sample / es.rate);
	r->open = NONE;
}

static int
is_pause(const char *name)
{
	return name[0] == '_' && (name[1] == '\0' || name[1] == ':' ||
	    name[1] == '!');
}

static int
callback(short *wav, int n, espeak_EVENT *ev)
{
	struct run *r = cur;
	char name[9];

	if (r == NULL)
		return 1;		/* not ours: stop */
	if (wav != NULL && n > 0)
		voice_audio_add(r->a, wav, (size_t)n);
	for (; ev != NULL && ev->type != espeakEVENT_LIST_TERMINATED; ev++) {
		switch (ev->type) {
		case espeakEVENT_WORD:
			if (ev->length <= 0 || ev->text_position <= 0)
				break;
			close_word(r, ev->sample);
			r->open = voice_script_token_at(r->s,
			    (size_t)ev->text_position - 1);
			r->from = ev->sample;
			if (r->open >= r->s->n)
				r->open = NONE;
			break;
		case espeakEVENT_PHONEME:
			memcpy(name, ev->id.string, 8);
			name[8] = '\0';
			if (is_pause(name))
				close_word(r, ev->sample);
			break;
		case espeakEVENT_END:
		case espeakEVENT_MSG_TERMINATED:
			close_word(r, ev->sample);
			break;
		default:
			break;
		}
	}
	return 0;
}

static int
init(struct agency *ag)
{
	const char *path = NULL;
	char phontab[600];

	if (es.state == 1)
		return AG_OK;
	if (es.state == -1)
		return ag_fail(ag, AG_CONFIG, "%s", es.err);
	/* Where espeak-ng will look ($ESPEAK_DATA_PATH or built in). */
	espeak_ng_InitializePath(NULL);
	espeak_Info(&path);
	snprintf(phontab, sizeof(phontab), "%s/phontab", path ? path : "");
	if (path == NULL || access(phontab, R_OK) != 0) {
		snprintf(es.err, sizeof(es.err), "espeak-ng data not found "
		    "in '%s': install espeak-ng-data, or set ESPEAK_DATA_PATH "
		    "to the folder that holds espeak-ng-data",
		    path ? path : "?");
		es.state = -1;
		return ag_fail(ag, AG_CONFIG, "%s", es.err);
	}
	es.rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, NULL,
	    espeakINITIALIZE_PHONEME_EVENTS | espeakINITIALIZE_DONT_EXIT);
	if (es.rate <= 0) {
		snprintf(es.err, sizeof(es.err), "espeak-ng cannot load its "
		    "data from '%s' (rate %d): reinstall espeak-ng-data",
		    path, es.rate);
		es.state = -1;
		return ag_fail(ag, AG_CONFIG, "%s", es.err);
	}
	espeak_SetSynthCallback(callback);
	es.state = 1;
	return AG_OK;
}

/* The name voice_list() gives: the identifier without its folder. */
static const char *
short_name(const espeak_VOICE *v)
{
	const char *slash = strrchr(v->identifier, '/');

	return slash ? slash + 1 : v->identifier;
}

static int
is_mbrola(const char *name)
{
	return strncasecmp(name, "mb-", 3) == 0 ||
	    strncasecmp(name, "mb/", 3) == 0;
}

/*
 * The voice for a language tag: the one listing it first (lowest
 * priority number), trying the tag and then shorter ones ("de-AT",
 * "de").  Plain English is American.
 */
static int
voice_for(const char *tag, char *out, size_t size)
{
	const espeak_VOICE **v, *best = NULL;
	const char *l;
	char want[64], *dash;
	int bestp = 256;

	if (strcasecmp(tag, "en") == 0) {
		snprintf(out, size, "en-US");
		return 0;
	}
	snprintf(want, sizeof(want), "%s", tag);
	for (;;) {
		for (v = espeak_ListVoices(NULL); v != NULL && *v != NULL;
		    v++) {
			if (is_mbrola((*v)->identifier))
				continue;
			for (l = (*v)->languages; *l != '\0';
			    l += strlen(l + 1) + 2)
				if (strcasecmp(l + 1, want) == 0 &&
				    (unsigned char)l[0] < bestp) {
					best = *v;
					bestp = (unsigned char)l[0];
				}
		}
		if (best != NULL) {
			snprintf(out, size, "%s", short_name(best));
			return 0;
		}
		if ((dash = strrchr(want, '-')) == NULL)
			return -1;
		*dash = '\0';
	}
}

static int
select_voice(struct agency *ag, const struct voice_params *p)
{
	char name[128];
	int wpm = p->wpm ? p->wpm : espeakRATE_NORMAL;

	if (p->voice != NULL) {
		if (is_mbrola(p->voice))
			return ag_fail(ag, AG_CONFIG, "espeak voice '%s' needs "
			    "MBROLA, which is not installed (Debian has no "
			    "mbrola package in main)", p->voice);
		if (strlen(p->voice) >= sizeof(name))
			return ag_fail(ag, AG_USAGE, "espeak has no voice "
			    "'%.40s...'", p->voice);
		snprintf(name, sizeof(name), "%s", p->voice);
	} else if (voice_for(p->language, name, sizeof(name)) != 0) {
		return ag_fail(ag, AG_USAGE, "espeak has no voice for "
		    "language '%s' (`agency-produce voices` lists them)",
		    p->language);
	}
	if (strcmp(name, es.voice) != 0) {
		es.voice[0] = '\0';
		if (espeak_SetVoiceByName(name) != EE_OK)
			return ag_fail(ag, AG_USAGE, "espeak has no voice "
			    "'%s' (`agency-produce voices` lists them)", name);
		snprintf(es.voice, sizeof(es.voice), "%s", name);
		es.wpm = 0;		/* a new voice resets the rate */
	}
	if (wpm != es.wpm) {
		if (espeak_SetParameter(espeakRATE, wpm, 0) != EE_OK)
			return ag_fail(ag, AG_SOFTWARE, "espeak: cannot set "
			    "the rate to %d words per minute", wpm);
		es.wpm = wpm;
	}
	return AG_OK;
}

int
voice_espeak_speak(struct agency *ag, const struct voice_params *p,
    struct voice_script *s, struct voice_audio *out)
{
	struct run r = { s, out, NONE, 0 };
	espeak_ERROR e;
	int rc;

	if ((rc = init(ag)) != AG_OK || (rc = select_voice(ag, p)) != AG_OK)
		return rc;
	out->rate = es.rate;
	if (s->spoken_len == 0)
		return AG_OK;
	cur = &r;
	e = espeak_Synth(s->spoken, s->spoken_len + 1, 0, POS_CHARACTER, 0,
	    espeakCHARS_UTF8 | espeakENDPAUSE, NULL, NULL);
	if (e == EE_OK)
		e = espeak_Synchronize();
	close_word(&r, (long)out->frames);
	cur = NULL;
	if (e != EE_OK)
		return ag_fail(ag, AG_SOFTWARE, "espeak: synthesis failed "
		    "(error %d)", (int)e);
	return AG_OK;
}

int
voice_espeak_list(struct agency *ag, cJSON *list)
{
	const espeak_VOICE **v;
	const char *l;
	cJSON *o, *langs;
	int rc;

	if ((rc = init(ag)) != AG_OK)
		return rc;
	for (v = espeak_ListVoices(NULL); v != NULL && *v != NULL; v++) {
		if (is_mbrola((*v)->identifier))
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "engine", "espeak");
		cJSON_AddStringToObject(o, "voice", short_name(*v));
		cJSON_AddStringToObject(o, "name", (*v)->name);
		langs = cJSON_AddArrayToObject(o, "languages");
		for (l = (*v)->languages; *l != '\0'; l += strlen(l + 1) + 2)
			cJSON_AddItemToArray(langs, cJSON_CreateString(l + 1));
		if ((*v)->gender == 1 || (*v)->gender == 2)
			cJSON_AddStringToObject(o, "gender",
			    (*v)->gender == 1 ? "male" : "female");
		cJSON_AddNumberToObject(o, "rate", es.rate);
		cJSON_AddItemToArray(list, o);
	}
	return AG_OK;
}
