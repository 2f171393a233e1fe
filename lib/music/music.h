/*
 * music.h - music beds composed from scratch and rendered through a
 * General MIDI synthesizer: the library behind agency-compose, and what
 * agency-produce calls in process for its music bed.
 *
 * The pipeline, one file per step (score.h has the internals):
 *
 *	moods.c		moods as data: tempo range, progressions,
 *			instruments, grooves, density
 *	theory.c	keys, modes, chords from roman numerals, voice leading
 *	arrange.c	the form (intro, sections, ending or loop), tempo
 *			fitted to whole bars, then the parts: harmony.c,
 *			bass.c, melody.c, drums.c; all drawn from the seed
 *	midi.c		the score as a Standard MIDI File (type 1)
 *	synth.c		the score through libfluidsynth, no driver
 *	compose.c	music_compose(): all of the above, fades, the loop
 *			seam, loudness (lib/media/loudness.h)
 *	bed.c		music_bed(): agency-compose, files and store
 *
 * The same parameters (seed included) give the same samples, bit for
 * bit, with the same SoundFont and library versions.
 *
 * Ownership: a struct music_result owns its buffers and its score until
 * music_result_release().  Strings in it are static or its own.
 */
#ifndef AG_MUSIC_H
#define AG_MUSIC_H

#include <stddef.h>
#include <stdint.h>

#include "media/loudness.h"

struct agency;
struct buf;
struct cJSON;
struct music_score;

/*
 * Stems, in the order of FluidSynth's audio groups: MIDI channel c
 * sounds in stem c % 4, so one pass renders all four (drums are on
 * channel 9, and 9 % 4 is STEM_DRUMS).
 */
enum music_stem { STEM_MELODY, STEM_DRUMS, STEM_BASS, STEM_HARMONY,
    MUSIC_STEMS };
extern const char *const music_stem_names[MUSIC_STEMS];

#define MUSIC_RATE 48000		/* the default sample rate */
#define MUSIC_RATE_MIN 8000		/* FluidSynth's range */
#define MUSIC_RATE_MAX 96000
#define MUSIC_MAX_SECONDS 600		/* the longest bed we make */
#define MUSIC_SOUNDFONT "/usr/share/sounds/sf2/TimGM6mb.sf2"

struct music_params {
	const char *mood;		/* NULL: "calm" */
	double duration;		/* seconds, > 0 */
	double bpm;			/* 0: the mood's; nudged to fit */
	const char *key;		/* "A minor", "F#m", "D dorian"; NULL:
					 * drawn from the seed */
	uint64_t seed;
	int rate;			/* Hz, 8000 to 96000 */
	int loop;			/* a seamless loop, no ending */
	double fade_in;			/* seconds, 0: none */
	double fade_out;		/* seconds; < 0: the default ending */
	int normalize;			/* to loudness, under true_peak */
	double loudness;		/* target, LUFS */
	double true_peak;		/* ceiling, dBTP */
	const char *soundfont;		/* path; NULL: MUSIC_SOUNDFONT */
	int stems;			/* also keep each stem */
	int progress;			/* show progress (ag->progress) */
};

/* Defaults: calm, 30 s, 48 kHz, -18 LUFS, -1.5 dBTP, seed 0. */
void music_params_init(struct music_params *p);

struct music_result {
	float *pcm;			/* interleaved stereo, frames * 2 */
	float *stems[MUSIC_STEMS];	/* the same per stem, or NULL; they
					 * add up to pcm */
	size_t frames;			/* round(duration * rate) */
	int rate, channels;
	struct music_score *score;	/* what was played (midi_write) */
	const char *mood;		/* the mood's name (static) */
	char key[32];			/* "A minor" */
	double bpm;			/* the tempo used */
	int bars;
	uint64_t seed;
	struct loudness loudness;	/* of pcm as returned */
	char *soundfont;		/* the file used (owned) */
};

/*
 * music_compose() - compose and render a bed.  Errors: AG_USAGE for a
 * bad parameter (the message names it: "duration '-1': ..."), AG_CONFIG
 * (exit 78) for a missing or unreadable SoundFont, naming the Debian
 * package to install, AG_SOFTWARE if FluidSynth fails.  On error *out
 * is untouched.
 */
int music_compose(struct agency *ag, const struct music_params *p,
    struct music_result *out);
void music_result_release(struct music_result *r);

/* Check the parameters alone, without rendering (AG_OK or AG_USAGE). */
int music_check(struct agency *ag, const struct music_params *p);

/*
 * Moods.  music_mood_info() describes mood i (0, 1, ... until it
 * returns -1) for listings.
 */
struct music_mood_info {
	const char *name, *summary;
	double bpm_lo, bpm_hi, bpm;
	char modes[64];			/* "major,lydian" */
	int drums;			/* has a drum kit */
};
int music_mood_info(int i, struct music_mood_info *out);

/*
 * The Standard MIDI File of a score: type 1, a conductor track (tempo,
 * time and key signature, section markers) and one track per part.
 * midi_write() writes it atomically.
 */
void midi_encode(const struct music_score *s, struct buf *out);
int midi_write(struct agency *ag, const struct music_score *s,
    const char *path);

/*
 * music_bed() - agency-compose: compose, write the audio (and MIDI and
 * stems when asked) atomically, register each file in the store's
 * assets table, and return the agency.audio document (new, the caller
 * frees it; NULL when the audio went to standard output).  Every output
 * is created before the render starts and renamed into place only when
 * all are complete, so a bad argument or a failure leaves no file.
 */
struct music_bed_args {
	struct music_params params;
	int seed_set;			/* else a random seed is drawn */
	const char *output;		/* path, or "-" for stdout */
	const char *format;		/* wav, flac, m4a; NULL: by name */
	const char *midi;		/* path or NULL */
	const char *stems;		/* folder or NULL */
};
int music_bed(struct agency *ag, const struct music_bed_args *a,
    struct cJSON **doc);

#endif
