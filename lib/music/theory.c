/*
 * theory.c - keys, modes, chords from roman numerals, chord scales and
 * voice leading.
 *
 * Voice leading is a search: every inversion of the chord, in close
 * position and spread (one inner voice dropped an octave: drop 2, drop
 * 3, ...), at every octave that fits the range, scored by how far the
 * voices move from the previous chord, how far the chord sits from the
 * middle of the range, and how it sounds (close intervals low down are
 * muddy, a minor second between the top voices grates, more than an
 * octave between upper voices leaves a hole).  The cheapest wins; ties go
 * to the first found, so the result is deterministic.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agency.h"
#include "music/score.h"

static const int steps[MUSIC_MODES][7] = {
	[MODE_MAJOR] = { 0, 2, 4, 5, 7, 9, 11 },
	[MODE_MINOR] = { 0, 2, 3, 5, 7, 8, 10 },
	[MODE_DORIAN] = { 0, 2, 3, 5, 7, 9, 10 },
	[MODE_PHRYGIAN] = { 0, 1, 3, 5, 7, 8, 10 },
	[MODE_LYDIAN] = { 0, 2, 4, 6, 7, 9, 11 },
	[MODE_MIXOLYDIAN] = { 0, 2, 4, 5, 7, 9, 10 },
	[MODE_HARMONIC] = { 0, 2, 3, 5, 7, 8, 11 },
};

/* How far above its parent major scale's tonic each mode starts. */
static const int parent[MUSIC_MODES] = {
	[MODE_MAJOR] = 0, [MODE_MINOR] = 9, [MODE_DORIAN] = 2,
	[MODE_PHRYGIAN] = 4, [MODE_LYDIAN] = 5, [MODE_MIXOLYDIAN] = 7,
	[MODE_HARMONIC] = 9,
};

static const struct {
	const char *name;
	int mode;
} mode_names[] = {
	{ "major", MODE_MAJOR }, { "minor", MODE_MINOR },
	{ "dorian", MODE_DORIAN }, { "phrygian", MODE_PHRYGIAN },
	{ "lydian", MODE_LYDIAN }, { "mixolydian", MODE_MIXOLYDIAN },
	{ "harmonic minor", MODE_HARMONIC }, { "harmonic", MODE_HARMONIC },
	{ "ionian", MODE_MAJOR }, { "aeolian", MODE_MINOR },
	{ "maj", MODE_MAJOR }, { "min", MODE_MINOR }, { "m", MODE_MINOR },
};

static const char *const sharp_names[12] = { "C", "C#", "D", "D#", "E",
    "F", "F#", "G", "G#", "A", "A#", "B" };
static const char *const flat_names[12] = { "C", "Db", "D", "Eb", "E", "F",
    "Gb", "G", "Ab", "A", "Bb", "B" };
/* Sharps (+) or flats (-) of each major key, by tonic pitch class. */
static const int major_sig[12] = { 0, -5, 2, -3, 4, -1, 6, 1, -4, 3, -2,
    5 };

static int
pc(int p)
{
	return ((p % 12) + 12) % 12;
}

int
theory_mode_parse(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
		if (strlen(mode_names[i].name) == len &&
		    strncasecmp(s, mode_names[i].name, len) == 0)
			return mode_names[i].mode;
	return -1;
}

const char *
theory_mode_name(int mode)
{
	return mode == MODE_HARMONIC ? "harmonic minor" :
	    mode_names[mode].name;
}

int
theory_mode_minor(int mode)
{
	return steps[mode][2] == 3;
}

int
theory_key_parse(const char *s, struct music_key *out)
{
	static const int letters[7] = { 9, 11, 0, 2, 4, 5, 7 };	/* A-G */
	struct music_key k;
	size_t len;
	int c;

	while (isspace((unsigned char)*s))
		s++;
	c = toupper((unsigned char)*s);
	if (c < 'A' || c > 'G')
		return -1;
	k.tonic = letters[c - 'A'];
	k.flats = -1;
	s++;
	if (*s == '#') {
		k.tonic = pc(k.tonic + 1);
		k.flats = 0;
		s++;
	} else if (*s == 'b') {
		k.tonic = pc(k.tonic - 1);
		k.flats = 1;
		s++;
	}
	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len == 0)
		k.mode = MODE_MAJOR;
	else if ((k.mode = theory_mode_parse(s, len)) == -1)
		return -1;
	if (k.flats == -1)
		k.flats = theory_signature(&k, NULL) < 0;
	*out = k;
	return 0;
}

int
theory_signature(const struct music_key *k, int *minor)
{
	if (minor != NULL)
		*minor = theory_mode_minor(k->mode);
	return major_sig[pc(k->tonic - parent[k->mode])];
}

const char *
theory_pc_name(int p, int flats)
{
	return flats ? flat_names[pc(p)] : sharp_names[pc(p)];
}

void
theory_key_name(const struct music_key *k, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s", theory_pc_name(k->tonic, k->flats),
	    theory_mode_name(k->mode));
}

void
theory_scale(const struct music_key *k, int pcs[7])
{
	int i;

	for (i = 0; i < 7; i++)
		pcs[i] = pc(k->tonic + steps[k->mode][i]);
}

static int
numeral(const char *s, size_t len, size_t *used, int *upper)
{
	static const char *const romans[7] = { "vii", "iii", "vi", "iv",
	    "ii", "v", "i" };
	static const int degree[7] = { 6, 2, 5, 3, 1, 4, 0 };
	size_t i, n;

	for (i = 0; i < 7; i++) {
		n = strlen(romans[i]);
		if (n <= len && strncasecmp(s, romans[i], n) == 0) {
			*used = n;
			*upper = isupper((unsigned char)s[0]) != 0;
			return degree[i];
		}
	}
	return -1;
}

int
theory_chord_parse(const struct music_key *k, const char *s, size_t len,
    struct music_chord *out)
{
	static const struct {
		const char *suffix;
		int tones[4];		/* above the root; 0 ends */
		int steps[4];		/* and their degrees above it */
		const char *name;	/* after the root's name */
		int quality;		/* 0: by case, else fixed */
	} suffixes[] = {
		{ "", { 0 }, { 0 }, "", 0 },
		{ "maj7", { 11 }, { 6 }, "maj7", 0 },
		{ "m7b5", { 10 }, { 6 }, "m7b5", 3 },
		{ "7", { 10 }, { 6 }, "7", 0 },
		{ "6", { 9 }, { 5 }, "6", 0 },
		{ "9", { 10, 14 }, { 6, 1 }, "9", 0 },
		{ "add9", { 14 }, { 1 }, "add9", 0 },
		{ "sus2", { 0 }, { 0 }, "sus2", 4 },
		{ "sus4", { 0 }, { 0 }, "sus4", 5 },
		{ "dim", { 0 }, { 0 }, "dim", 3 },
		{ "o", { 0 }, { 0 }, "dim", 3 },
		{ "+", { 0 }, { 0 }, "aug", 6 },
	};
	struct music_chord c;
	int shift = 0, deg, upper, base[7], third, fifth, quality, i, j;
	size_t used, rest;
	const char *sfx;

	memset(&c, 0, sizeof(c));
	while (len > 0 && (*s == 'b' || *s == '#')) {
		shift += *s == '#' ? 1 : -1;
		s++;
		len--;
	}
	if (len == 0 || (deg = numeral(s, len, &used, &upper)) == -1)
		return -1;
	sfx = s + used;
	rest = len - used;
	for (i = (int)(sizeof(suffixes) / sizeof(suffixes[0])) - 1; i >= 0;
	    i--)
		if (strlen(suffixes[i].suffix) == rest &&
		    strncmp(sfx, suffixes[i].suffix, rest) == 0)
			break;
	if (i < 0)
		return -1;
	/* Numerals count the major scale, or the natural minor one. */
	for (j = 0; j < 7; j++)
		base[j] = steps[theory_mode_minor(k->mode) ? MODE_MINOR :
		    MODE_MAJOR][j];
	c.root = pc(k->tonic + base[deg] + shift);
	quality = suffixes[i].quality ? suffixes[i].quality : upper ? 1 : 2;
	/* 1 major, 2 minor, 3 diminished, 4 sus2, 5 sus4, 6 augmented */
	third = quality == 1 || quality == 6 ? 4 : quality == 4 ? 2 :
	    quality == 5 ? 5 : 3;
	fifth = quality == 3 ? 6 : quality == 6 ? 8 : 7;
	c.degs[c.n] = deg;
	c.pcs[c.n++] = c.root;
	c.degs[c.n] = (deg + (quality == 4 ? 1 : quality == 5 ? 3 : 2)) % 7;
	c.pcs[c.n++] = pc(c.root + third);
	c.degs[c.n] = (deg + 4) % 7;
	c.pcs[c.n++] = pc(c.root + fifth);
	for (j = 0; j < 4 && suffixes[i].tones[j] != 0; j++) {
		int t = suffixes[i].tones[j];

		/* A diminished chord's 7 is the diminished seventh. */
		if (t == 10 && quality == 3 && strcmp(suffixes[i].suffix,
		    "m7b5") != 0)
			t = 9;
		c.degs[c.n] = (deg + suffixes[i].steps[j]) % 7;
		c.pcs[c.n++] = pc(c.root + t);
	}
	/* A flattened numeral is spelt with flats, a sharpened one with
	 * sharps: bVII in C is Bb. */
	snprintf(c.name, sizeof(c.name), "%s%s%s",
	    theory_pc_name(c.root, shift < 0 ? 1 : shift > 0 ? 0 : k->flats),
	    quality == 2 && strcmp(suffixes[i].name, "m7b5") != 0 ? "m" : "",
	    suffixes[i].name);
	*out = c;
	return 0;
}

int
theory_progression(const struct music_key *k, const char *text,
    struct music_chord *out, int max)
{
	const char *p = text, *e;
	int n = 0;

	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			return n;
		for (e = p; *e != '\0' && *e != ' '; e++)
			;
		if (n == max || theory_chord_parse(k, p, (size_t)(e - p),
		    &out[n]) == -1)
			return -1;
		n++;
		p = e;
	}
}

void
theory_tonic(const struct music_key *k, struct music_chord *out)
{
	theory_chord_parse(k, theory_mode_minor(k->mode) ? "i" : "I", 1,
	    out);
}

int
theory_has_pc(const int *pcs, int n, int pitch)
{
	int i;

	for (i = 0; i < n; i++)
		if (pcs[i] == pc(pitch))
			return 1;
	return 0;
}

void
theory_chord_scale(const struct music_key *k, const struct music_chord *c,
    int pcs[7])
{
	int i, j, t;

	theory_scale(k, pcs);
	for (i = 0; i < c->n; i++)
		pcs[c->degs[i]] = c->pcs[i];
	/* Rising from the lowest, for theory_step(). */
	for (i = 1; i < 7; i++)
		for (j = i; j > 0 && pcs[j - 1] > pcs[j]; j--) {
			t = pcs[j];
			pcs[j] = pcs[j - 1];
			pcs[j - 1] = t;
		}
}

int
theory_nearest(int pitch, const int *pcs, int n)
{
	int d;

	for (d = 0; d < 12; d++) {
		if (theory_has_pc(pcs, n, pitch - d))
			return pitch - d;
		if (theory_has_pc(pcs, n, pitch + d))
			return pitch + d;
	}
	return pitch;
}

int
theory_step(int pitch, const int *pcs, int npcs, int steps_)
{
	int p = pitch;

	while (steps_ > 0) {
		do
			p++;
		while (!theory_has_pc(pcs, npcs, p));
		steps_--;
	}
	while (steps_ < 0) {
		do
			p--;
		while (!theory_has_pc(pcs, npcs, p));
		steps_++;
	}
	return p;
}

static int
cmpint(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* The cost of voicing v (n pitches, sorted) after prev. */
static int
cost(const int *prev, int nprev, const int *v, int n, int lo, int hi)
{
	int c = 0, sum = 0, i, big, mid = (lo + hi) / 2;

	for (i = 0; i < n; i++)
		sum += v[i];
	if (nprev == n) {
		/* Small steps for every voice: the total and the largest. */
		for (i = 0, big = 0; i < n; i++) {
			c += 2 * abs(v[i] - prev[i]);
			if (abs(v[i] - prev[i]) > big)
				big = abs(v[i] - prev[i]);
		}
		c += 3 * big;
	}
	else if (nprev > 0)
		c += 2 * abs(sum / n - (prev[0] + prev[nprev - 1]) / 2);
	c += abs(sum / n - mid);
	for (i = 1; i < n; i++) {
		if (v[i] - v[i - 1] < 5 && v[i - 1] < 48)
			c += 8;		/* muddy low down */
		if (i >= 2 && v[i] - v[i - 1] > 12)
			c += 10;	/* a hole between upper voices */
	}
	if (n >= 2 && v[n - 1] - v[n - 2] == 1)
		c += 6;			/* a minor second on top */
	return c;
}

int
theory_voicing(const int *prev, int nprev, const struct music_chord *c,
    int voices, int lo, int hi, int *out)
{
	int tones[5], nt = 0, v[8], best[8], bestc = -1, inv, base, i, k,
	    spread, p, t;

	/* Too few voices for every tone: leave out the fifth first. */
	for (i = 0; i < c->n; i++)
		if (!(c->n > voices && i == 2))
			tones[nt++] = c->pcs[i];
	if (voices > 8)
		voices = 8;
	for (inv = 0; inv < nt; inv++) {
		for (base = lo; base <= hi; base++) {
			if (pc(base) != tones[inv])
				continue;
			for (spread = 0; spread < voices - 1; spread++) {
				v[0] = base;
				for (k = 1; k < voices; k++) {
					t = tones[(inv + k) % nt];
					p = v[k - 1] + 1;
					while (pc(p) != t)
						p++;
					v[k] = p;
				}
				if (spread) {
					/* Drop the 2nd voice from the top an
					 * octave (drop 2), or the 3rd, ... */
					v[voices - 1 - spread] -= 12;
					qsort(v, (size_t)voices, sizeof(*v),
					    cmpint);
				}
				if (v[0] < lo || v[voices - 1] > hi)
					continue;
				/* Two voices on one pitch are one voice. */
				for (k = 1; k < voices && v[k] != v[k - 1];
				    k++)
					;
				if (k < voices)
					continue;
				k = cost(prev, nprev, v, voices, lo, hi);
				if (bestc == -1 || k < bestc) {
					bestc = k;
					memcpy(best, v, sizeof(v));
				}
			}
		}
	}
	if (bestc == -1)
		return 0;
	memcpy(out, best, (size_t)voices * sizeof(*out));
	return voices;
}
