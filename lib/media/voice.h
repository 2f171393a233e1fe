/*
 * voice.h - narration: text to speech with a time for every word.
 *
 * voice_speak() synthesises text in process with libespeak-ng (the
 * default) or flite and returns the engine's own PCM with one timed
 * word per token of the text.  A token is a run of characters between
 * white space (ASCII or Unicode spaces), kept exactly as written with
 * its punctuation ("mistakes,", "$200", "don't"), so that captions show
 * what the script says.  What the engine is given is another text: each
 * token spelled out first (spell.h: "$200" is "two hundred dollars",
 * "2024" "twenty twenty-four", "Dr." "Doctor").  The engine reports
 * where it is in that text while it speaks; every report is mapped
 * back to the token it came from, and tokens the engine said nothing
 * for (it folds "the" into "for the", a lone dash is silent) share the
 * time of the word before them by their number of letters.  So:
 *
 *	out->words.n == the number of tokens of text, always;
 *	times are seconds from the start of out->pcm, start <= end, and
 *	each word starts at or after the end of the one before;
 *	WORD_SENTENCE_END marks the last token of each sentence (one
 *	that ends in . ! ? or an ellipsis, abbreviations aside, or that
 *	stands before a blank line, or the last token of the text).
 *
 * Word times come from the synthesiser itself: espeak-ng's word events
 * (the `sample` of each, its end at the next pause phoneme, the next
 * word or the end of the audio), flite's segment relations.  They are
 * exact to a few milliseconds (../shared/reference/audio.md 2.3).
 *
 * The PCM is raw: mono, 32-bit float, at the engine's rate (espeak-ng
 * 22050 Hz, flite 16000 Hz, 8000 Hz for kal).  No compressor and no
 * loudness: the renderer's audio graph does both.  flite's output is
 * the same for the same input; espeak-ng carries its pitch flutter from
 * one synthesis to the next, so the same text spoken twice in a process
 * may differ by a few samples (the first synthesis of a process is
 * repeatable).
 *
 * Engines and voices:
 *
 *	espeak	espeak-ng's voices, by the name `voice_list()` gives
 *		("en-US", "en", "de", "fr-FR") or by espeak-ng's own names
 *		("English (America)", "gmw/en-US"), with a variant if
 *		wanted ("en-US+f3").  With no voice the language picks
 *		one: the voice that lists it first, trying "de-AT" then
 *		"de"; plain "en" is American English ("en-US"), not
 *		espeak-ng's British default.  MBROLA voices ("mb-en1")
 *		are refused: Debian does not ship mbrola.  espeak-ng
 *		itself warns on stderr for the few languages whose full
 *		dictionary Debian leaves out ("be").
 *	flite	the voices Debian's libflite1 ships: slt (the default,
 *		female US), kal16, kal (8 kHz), awb (Scottish male), rms
 *		(male US).  English only.  Each sentence is synthesised as
 *		one utterance: one for a whole long text costs memory in
 *		proportion (audio.md 2.4).
 *
 * The language also picks the spelling (spell.h), even when a voice is
 * named.  wpm is the speaking rate, 80 to 450 words per minute, 0 for the
 * engine's default (espeak-ng 175; each flite voice its own, about
 * 170-185).  For flite it is turned into a duration stretch against the
 * voice's measured rate.
 *
 * Errors (ag->err says which voice and why):
 *	AG_USAGE	unknown engine, voice or language, a language the
 *			engine does not speak (flite: not English), a rate
 *			out of range, a malformed language tag
 *	AG_CONFIG	the engine's data is not installed: espeak-ng's
 *			folder (install espeak-ng-data, or point
 *			ESPEAK_DATA_PATH at the folder that holds
 *			espeak-ng-data), or an MBROLA voice
 *	AG_SOFTWARE	the engine failed on its own
 *
 * Threads: none of this is thread-safe.  espeak-ng keeps all its state
 * in globals and cannot be initialised twice in a process (it hangs),
 * so it is initialised once, on first use, and kept until exit; flite
 * voices are loaded once too.  Run one synthesis at a time per process;
 * to work in parallel, use processes (the queue does).
 *
 * Ownership: voice_speak() fills a caller-owned struct voice_audio that
 * voice_audio_release() empties; on error it is left untouched.
 * Everything passed in is borrowed.
 */
#ifndef AG_MEDIA_VOICE_H
#define AG_MEDIA_VOICE_H

#include <stddef.h>

#include "media/words.h"

struct agency;
struct cJSON;

struct voice_params {
	const char *engine;	/* "espeak" or "flite"; NULL: "espeak" */
	const char *voice;	/* the engine's voice; NULL: from language */
	const char *language;	/* BCP 47: "en", "en-US", "de"; NULL: "en" */
	int wpm;		/* words per minute; 0: the engine's default */
};

struct voice_audio {
	float *pcm;		/* mono, 32-bit float, full scale 1.0 */
	size_t frames;
	int rate;		/* the engine's own rate (22050, 16000...) */
	struct media_words words;	/* one per token of the text */
	size_t alloc;		/* frames allocated in pcm (internal) */
};

#define VOICE_AUDIO_INIT { NULL, 0, 0, MEDIA_WORDS_INIT, 0 }
#define VOICE_WPM_MIN 80
#define VOICE_WPM_MAX 450

/*
 * voice_speak() - speak text (UTF-8; NULL or blank gives no audio and
 * no words, but the voice is still checked and out->rate set).
 */
int voice_speak(struct agency *ag, const struct voice_params *p,
    const char *text, struct voice_audio *out);
void voice_audio_release(struct voice_audio *a);

/*
 * voice_list() - the voices an engine offers ("espeak", "flite", or
 * NULL for both), for `agency-produce voices`: a new JSON array in
 * *list of NDJSON-ready objects
 *	{"engine":"espeak","voice":"en-US","name":"English (America)",
 *	 "languages":["en-us","en"],"gender":"male","rate":22050}
 * where "voice" is what voice_params.voice takes.
 */
int voice_list(struct agency *ag, const char *engine, struct cJSON **list);

/*
 * Recorded narration (--narration FILE): time the tokens of text over
 * pcm (mono float) proportionally, sentence by sentence, after finding
 * where speech starts and ends (an energy threshold), so that captions
 * follow each sentence.  Words get WORD_SENTENCE_END flags.
 *
 * How: frames of 20 ms every 10 ms are speech when louder than a
 * threshold set from the loudest frame and the noise floor.  Silences
 * of 120 ms or more inside the speech are candidate breaks; the
 * sentence boundaries are put on the breaks that make every sentence's
 * length closest (as a ratio) to its share of the letters, a dynamic
 * programme that may also leave a boundary between breaks when there
 * are too few.  Within a sentence the words share its speech (its
 * silences skipped) by letters, counted in the English spelled form
 * ("$200" weighs as "two hundred dollars").  The words are appended to
 * out, a caller-owned list, only on success.  AG_DATAERR when the audio
 * has no speech at all, AG_USAGE for a rate under 8000 Hz.
 */
int voice_time_proportional(struct agency *ag, const char *text,
    const float *pcm, size_t frames, int rate, struct media_words *out);

/*
 * For the engines (espeak.c, flite.c) and the tests; not for callers.
 *
 * A struct voice_script is text cut into tokens, each with what the
 * engine is to say for it, and the whole spoken text: the spoken forms
 * joined by spaces.  pos and end place a token's spoken form in that
 * text, in characters (code points, as espeak-ng counts them), and
 * bpos and bend in bytes.  An engine reports what it heard with
 * voice_script_mark(); voice_script_words() then times every token.
 */
struct voice_token {
	char *text;		/* the script's token, as written */
	char *spoken;		/* what the engine is given for it */
	size_t pos, end;	/* characters of the spoken text */
	size_t bpos, bend;	/* bytes of the spoken text */
	int weight;		/* letters and digits spoken */
	int sentence_end;
	int marked;		/* the engine reported it */
	double start, stop;	/* seconds, once marked */
};

struct voice_script {
	struct voice_token *tok;
	size_t n;
	char *spoken;		/* NUL-terminated */
	size_t spoken_len;	/* bytes */
};

void voice_script_init(struct voice_script *s, const char *language,
    const char *text);
void voice_script_release(struct voice_script *s);
/*
 * The token whose spoken form holds character c of the spoken text, or
 * the first after c when c falls between tokens; s->n past the end.
 */
size_t voice_script_token_at(const struct voice_script *s, size_t c);
/* The engine heard token i from start to stop (seconds); may repeat. */
void voice_script_mark(struct voice_script *s, size_t i, double start,
    double stop);
/*
 * Time every token, sharing the time of marked tokens with the unmarked
 * ones after them, and append them to out; duration is the audio's.
 */
void voice_script_words(struct voice_script *s, double duration,
    struct media_words *out);
/* Append n 16-bit samples to a's PCM. */
void voice_audio_add(struct voice_audio *a, const short *pcm, size_t n);

/* The engines, behind voice_speak() and voice_list(). */
int voice_espeak_speak(struct agency *ag, const struct voice_params *p,
    struct voice_script *s, struct voice_audio *out);
int voice_espeak_list(struct agency *ag, struct cJSON *list);
int voice_flite_speak(struct agency *ag, const struct voice_params *p,
    struct voice_script *s, struct voice_audio *out);
int voice_flite_list(struct agency *ag, struct cJSON *list);

#endif
