/*
 * score.h - inside lib/music: the score, the seeded random streams,
 * music theory, the moods, General MIDI names, the arranger and the
 * synthesizer.  Only lib/music and its tests include this; everyone
 * else uses music.h.
 *
 * A score is notes in ticks (PPQ per quarter note) on tracks, one per
 * part (pad, keys, arp, lead, bass, drums), each on its own MIDI
 * channel with its own General MIDI program.  Time is ticks everywhere
 * until synth.c maps the score's length onto the exact number of
 * frames, which is how a bed is exact to the sample while the MIDI file
 * says the same music in musical time.
 */
#ifndef AG_MUSIC_SCORE_H
#define AG_MUSIC_SCORE_H

#include <stddef.h>
#include <stdint.h>

#include "music.h"

struct ag_progress;

#define PPQ 480				/* ticks per quarter note */
#define BEATS 4				/* per bar: 4/4 throughout */
#define BAR (PPQ * BEATS)
#define MUSIC_TRACKS 8
#define MUSIC_MARKERS 64

/* ------------------------------------------------------------------ */
/* Random numbers: splitmix64.  Each purpose ("bass", "form", ...) has a
 * stream of its own derived from the seed, so that changing how one part
 * is written does not change the others. */

struct rng {
	uint64_t s;
};

static inline uint64_t
rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline void
rng_seed(struct rng *r, uint64_t seed, const char *purpose)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	while (*purpose != '\0')
		h = (h ^ (unsigned char)*purpose++) * 0x100000001b3ULL;
	r->s = seed ^ h;
	(void)rng_next(r);
}

/* [0, 1) */
static inline double
rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1p-53;
}

/* [0, n) for n > 0 */
static inline int
rng_below(struct rng *r, int n)
{
	return (int)(rng_unit(r) * n);
}

/* [lo, hi] */
static inline int
rng_range(struct rng *r, int lo, int hi)
{
	return lo + rng_below(r, hi - lo + 1);
}

static inline int
rng_chance(struct rng *r, double p)
{
	return rng_unit(r) < p;
}

/* ------------------------------------------------------------------ */
/* theory.c: keys, modes, chords, voice leading.  Pitches are MIDI note
 * numbers (60 is middle C); pitch classes are 0-11 from C. */

enum music_mode {
	MODE_MAJOR, MODE_MINOR, MODE_DORIAN, MODE_PHRYGIAN, MODE_LYDIAN,
	MODE_MIXOLYDIAN, MODE_HARMONIC, MUSIC_MODES
};

struct music_key {
	int tonic;			/* pitch class */
	int mode;			/* enum music_mode */
	int flats;			/* spell with flats */
};

/* "A minor", "Am", "F#", "Bb dorian", "c# harmonic minor"; 0 or -1. */
int theory_key_parse(const char *s, struct music_key *out);
/* "A minor", "Bb major" */
void theory_key_name(const struct music_key *k, char *buf, size_t len);
/* A mode from its name ("minor", "aeolian", "dorian", ...); -1. */
int theory_mode_parse(const char *s, size_t len);
const char *theory_mode_name(int mode);
/* Does the mode have a minor third? */
int theory_mode_minor(int mode);
/* The seven pitch classes of the key's scale, from the tonic up. */
void theory_scale(const struct music_key *k, int pcs[7]);
/* Sharps (> 0) or flats (< 0) of the key signature; *minor for MIDI. */
int theory_signature(const struct music_key *k, int *minor);
const char *theory_pc_name(int pc, int flats);

struct music_chord {
	int root;			/* pitch class */
	int n;				/* tones */
	int pcs[5];			/* pitch classes: root, third, fifth,
					 * then seventh and added tones */
	int degs[5];			/* the scale degree (0-6) of each */
	char name[16];			/* "Am7" */
};

/*
 * theory_chord_parse() - a roman numeral in key k: an optional b or #,
 * the numeral (upper case major, lower case minor) and a suffix: o or
 * dim, +, 7, maj7, m7b5, 6, 9, add9, sus2, sus4.  Numerals count the
 * major scale in major-like modes and the natural minor scale in
 * minor-like ones, so "bVII" and "VI" mean what a musician expects.
 */
int theory_chord_parse(const struct music_key *k, const char *numeral,
    size_t len, struct music_chord *out);
/* Space-separated numerals into out[max]; the count, or -1. */
int theory_progression(const struct music_key *k, const char *text,
    struct music_chord *out, int max);
/* The tonic triad (or the mode's) for endings. */
void theory_tonic(const struct music_key *k, struct music_chord *out);
/* The key's scale with each chord tone in place of the scale tone of
 * its degree (G# for G over E major in A minor): what a melody may play
 * over c. */
void theory_chord_scale(const struct music_key *k,
    const struct music_chord *c, int pcs[7]);
int theory_has_pc(const int *pcs, int n, int pitch);
/* The pitch nearest to pitch whose class is in pcs (ties go down). */
int theory_nearest(int pitch, const int *pcs, int n);
/* The pitch n steps of pcs (sorted pitch classes) away from pitch,
 * which must be in pcs. */
int theory_step(int pitch, const int *pcs, int npcs, int steps);

/*
 * theory_voicing() - voices pitches of chord c between lo and hi, close
 * or spread, chosen to move least from prev (nprev pitches, sorted; 0
 * for the first chord), with a pull towards the middle of the range and
 * no muddy low intervals.  out is sorted.  Returns the number of
 * voices, or 0 if none fits the range.
 */
int theory_voicing(const int *prev, int nprev, const struct music_chord *c,
    int voices, int lo, int hi, int *out);

/* ------------------------------------------------------------------ */
/* gm.c: General MIDI program and drum kit names. */

extern const char *const gm_programs[128];
/* A program or kit by name; -1 if unknown. */
int gm_program(const char *name, size_t len);
int gm_kit(const char *name, size_t len);
/* One of the comma-separated names in list, drawn with r; -1 for a NULL
 * or empty list.  kits: look names up as drum kits. */
int gm_pick(const char *list, struct rng *r, int kits);
/* The number of items in a comma-separated list (0 for NULL or ""). */
int gm_count(const char *list);
/* The n-th item of a comma-separated list (from 0) into buf; -1. */
int gm_item(const char *list, int n, char *buf, size_t len);

/* GM percussion keys (channel 10). */
enum {
	DR_KICK = 36, DR_KICK2 = 35, DR_STICK = 37, DR_SNARE = 38,
	DR_CLAP = 39, DR_ESNARE = 40, DR_TOM_LF = 41, DR_HAT = 42,
	DR_TOM_HF = 43, DR_PEDAL = 44, DR_TOM_L = 45, DR_OPEN = 46,
	DR_TOM_LM = 47, DR_TOM_HM = 48, DR_CRASH = 49, DR_TOM_H = 50,
	DR_RIDE = 51, DR_BELL = 53, DR_TAMB = 54, DR_COWBELL = 56,
	DR_CABASA = 69, DR_MARACAS = 70, DR_CLAVES = 75, DR_TRIANGLE = 81
};

/* ------------------------------------------------------------------ */
/* moods.c: the moods, as data. */

enum comp_style { COMP_NONE, COMP_BLOCK, COMP_PULSE, COMP_BROKEN,
    COMP_OFFBEAT, COMP_LOFI, COMP_STAB };
enum bass_style { BASS_NONE, BASS_SUSTAIN, BASS_ROOT_FIFTH, BASS_PULSE,
    BASS_SYNCO, BASS_WALK };
enum arp_style { ARP_NONE, ARP_UP, ARP_UPDOWN, ARP_BROKEN };
enum lead_style { LEAD_NONE, LEAD_MOTIF, LEAD_SPARSE, LEAD_LONG };

struct music_mood {
	const char *name, *summary;
	double bpm_lo, bpm_hi, bpm;	/* range and usual tempo */
	const char *modes;		/* drawn from; repeats weigh */
	const char *const *major;	/* progressions, major-like modes */
	const char *const *minor;	/* and minor-like; NULL-terminated */
	/* General MIDI instruments to draw from ("a,b"); NULL: no part */
	const char *pad, *keys, *arp, *lead, *bass;
	const char *kits;		/* drum kits; NULL: no drums */
	const char *grooves, *fills;	/* drums.c names */
	enum comp_style comp;
	enum bass_style bass_style;
	enum arp_style arp_style;
	int arp_rate;			/* notes per beat: 2 or 4 */
	enum lead_style lead_style;
	int lead_rate;			/* grid per beat: 2 or 4 */
	int voices;			/* pad voices, 3-5 */
	double density;			/* 0-1: how busy the parts are */
	double swing;			/* 0-0.5: late off-beats */
	int swing16;			/* swing 16ths, not 8ths */
	int reverb;			/* send level, 0-127 */
	double room;			/* reverb room size, 0-1 */
	int lead_center;		/* the lead's middle pitch */
};

extern const struct music_mood music_moods[];
const struct music_mood *mood_find(const char *name);

/* ------------------------------------------------------------------ */
/* The score. */

struct music_note {
	uint32_t start, len;		/* ticks */
	uint8_t key, vel;
};

struct music_track {
	const char *name;		/* "pad", "bass", ... (static) */
	int stem;			/* enum music_stem */
	int chan;			/* MIDI channel; chan % 4 == stem */
	int bank, program;		/* bank 128: a drum kit */
	int volume, pan, reverb, chorus;	/* CC 7, 10, 91, 93 */
	struct music_note *notes;
	size_t n, cap;
};

struct music_marker {
	uint32_t at;
	char name[16];
};

struct music_score {
	double bpm;
	int bars;
	uint32_t length;		/* ticks: bars * BAR */
	int loop;
	struct music_key key;
	const struct music_mood *mood;
	uint64_t seed;
	double room, reverb_level;	/* FluidSynth reverb */
	struct music_track tracks[MUSIC_TRACKS];
	int ntracks;
	struct music_marker markers[MUSIC_MARKERS];
	int nmarkers;
};

void score_free(struct music_score *s);
struct music_track *score_track(struct music_score *s, const char *name,
    int stem, int bank, int program);
/* Add a note; pitches outside 0-127 and empty notes are dropped. */
void score_note(struct music_track *t, long start, long len, int key,
    int vel);
void score_marker(struct music_score *s, uint32_t at, const char *name);
/* Sort, cut overlaps of the same key, clip to the length (a loop) or
 * keep within it (an ending). */
void score_finish(struct music_score *s);

/* ------------------------------------------------------------------ */
/* arrange.c and the part writers. */

enum section { SEC_INTRO, SEC_A, SEC_B, SEC_BREAK, SEC_OUTRO, SEC_END };

struct music_bar {
	int section;			/* enum section */
	double energy;			/* 0-1 */
	int phrase;			/* which 4-bar phrase */
	int pos;			/* 0-3 in the phrase */
	int fill;			/* drums fill the end of this bar */
	int crash;			/* a crash opens it */
	struct music_chord chord;
	struct music_chord next;	/* the chord of the bar after */
};

struct music_arr {
	struct music_score *s;
	const struct music_mood *mood;
	struct music_bar *bar;
	int bars;
	uint64_t seed;
};

/*
 * arrange_fit() - the whole bars and tempo that fill duration exactly:
 * the tempo nearest the wanted one (bpm, else the mood's) inside the
 * mood's range, as whole bars (a whole number of 4-bar phrases for a
 * loop, falling back to 2 or 1 bars when the bed is too short).
 */
void arrange_fit(const struct music_mood *m, double duration, double bpm,
    int loop, int *bars, double *tempo);
/* Compose the score: form, chords and every part. */
int arrange_score(struct agency *ag, const struct music_mood *m,
    const struct music_key *key, int bars, double bpm, int loop,
    uint64_t seed, struct music_score *out);

/* Swing and humanising, shared by the part writers. */
long arr_time(const struct music_arr *a, long tick, struct rng *r,
    int jitter);
int arr_vel(const struct music_bar *b, int base, struct rng *r);

void harmony_write(struct music_arr *a);
void bass_write(struct music_arr *a);
void melody_write(struct music_arr *a);
void drums_write(struct music_arr *a);
/* Is name a groove or fill drums.c knows? (for the moods' tests) */
int drums_known(const char *name, int fill);

/* ------------------------------------------------------------------ */
/* soundfont.c and synth.c. */

/*
 * soundfont_resolve() - the SoundFont file for name: a path, or a short
 * name (timgm6mb, fluidr3, fluidr3mono, default) for the
 * Debian fonts.  A file that is missing, unreadable or not a SoundFont
 * is AG_CONFIG, with the package to install.  *path is new.
 */
int soundfont_resolve(struct agency *ag, const char *name, char **path);

/*
 * synth_render() - play the score through FluidSynth: the score's
 * length is exactly frames frames; render frames + tail frames in all
 * (the tail holds what rings on).  Each stems[i] that is not NULL gets
 * that stem, mix gets their sum; all interleaved stereo, every frame
 * written (on error their contents are undefined).
 */
int synth_render(struct agency *ag, const struct music_score *s,
    const char *soundfont, int rate, size_t frames, size_t tail,
    float *mix, float *stems[MUSIC_STEMS], struct ag_progress *pg);

#endif
