/* t-music - theory, the moods' data, the arranger, the MIDI writer and a
 * real (short, low-rate) render through FluidSynth. */
#include <math.h>
#include <stdlib.h>

#include "tap.h"
#include "music/score.h"

static const char *
chord_of(const char *key, const char *numeral)
{
	static char out[64];
	struct music_key k;
	struct music_chord c;
	int i, n;

	if (theory_key_parse(key, &k) == -1 ||
	    theory_chord_parse(&k, numeral, strlen(numeral), &c) == -1)
		return "(error)";
	n = snprintf(out, sizeof(out), "%s:", c.name);
	for (i = 0; i < c.n; i++)
		n += snprintf(out + n, sizeof(out) - (size_t)n, " %s",
		    theory_pc_name(c.pcs[i], k.flats));
	return out;
}

static const char *
key_of(const char *s)
{
	static char out[64];
	struct music_key k;

	if (theory_key_parse(s, &k) == -1)
		return "(error)";
	theory_key_name(&k, out, sizeof(out));
	return out;
}

static void
test_theory(void)
{
	struct music_key k;
	struct music_chord c[8];
	int pcs[7], minor;

	is_str(key_of("A minor"), "A minor", "A minor");
	is_str(key_of("Am"), "A minor", "Am");
	is_str(key_of("f#"), "F# major", "f#");
	is_str(key_of("Bb dorian"), "Bb dorian", "Bb dorian");
	is_str(key_of(" c# harmonic minor "), "C# harmonic minor",
	    "C# harmonic minor");
	is_str(key_of("D"), "D major", "D");
	is_str(key_of("Eb minor"), "Eb minor", "a flat spelling stays flat");
	ok(theory_key_parse("H major", &k) == -1 &&
	    theory_key_parse("A weird", &k) == -1 &&
	    theory_key_parse("", &k) == -1, "bad keys are refused");
	theory_key_parse("F major", &k);
	is_int(theory_signature(&k, &minor), -1, "F major has one flat");
	theory_key_parse("E dorian", &k);
	ok(theory_signature(&k, &minor) == 2 && minor, "E dorian: two "
	    "sharps, minor");

	is_str(chord_of("C", "I"), "C: C E G", "I in C");
	is_str(chord_of("C", "vi"), "Am: A C E", "vi in C");
	is_str(chord_of("C", "V7"), "G7: G B D F", "V7 in C");
	is_str(chord_of("C", "bVII"), "Bb: A# D F", "bVII in C");
	is_str(chord_of("C", "Imaj7"), "Cmaj7: C E G B", "Imaj7");
	is_str(chord_of("C", "viio"), "Bdim: B D F", "viio");
	is_str(chord_of("C", "Vsus4"), "Gsus4: G C D", "Vsus4");
	is_str(chord_of("Am", "iv"), "Dm: D F A", "iv in A minor");
	is_str(chord_of("Am", "V"), "E: E G# B", "V in A minor");
	is_str(chord_of("Am", "VI"), "F: F A C", "VI in A minor");
	is_str(chord_of("C", "X"), "(error)", "X is no numeral");
	is_str(chord_of("C", "Iblah"), "(error)", "nor is Iblah");

	theory_key_parse("C", &k);
	is_int(theory_progression(&k, "I V vi IV", c, 8), 4, "a progression");
	is_int(theory_progression(&k, "I V nope", c, 8), -1, "a bad one");

	theory_key_parse("A minor", &k);
	theory_chord_parse(&k, "V", 1, &c[0]);
	theory_chord_scale(&k, &c[0], pcs);
	ok(theory_has_pc(pcs, 7, 8) && !theory_has_pc(pcs, 7, 7),
	    "over E major in A minor the melody plays G#, not G");
	is_int(theory_nearest(61, c[0].pcs, c[0].n), 59, "nearest chord "
	    "tone to C#4 is B3 (ties go down)");
	is_int(theory_step(64, pcs, 7, 2), 68, "two scale steps up from E "
	    "is G#");
}

/* Every progression of every mood, in every key, voice-led. */
static void
test_voice_leading(void)
{
	const struct music_mood *m;
	const char *const *pool;
	struct music_chord c[4];
	struct music_key k;
	int prev[8], v[8], np, n, i, j, t, fam, rep, worst = 0, fits = 1;
	double moves = 0, count = 0;

	for (m = music_moods; m->name != NULL; m++) {
		for (fam = 0; fam < 2; fam++) {
			pool = fam ? m->minor : m->major;
			for (; pool != NULL && *pool != NULL; pool++) {
				for (t = 0; t < 12; t++) {
					k.tonic = t;
					k.mode = fam ? MODE_MINOR : MODE_MAJOR;
					k.flats = 0;
					theory_progression(&k, *pool, c, 4);
					np = 0;
					for (rep = 0; rep < 8; rep++) {
						n = theory_voicing(prev, np,
						    &c[rep % 4], m->voices, 48,
						    79, v);
						fits &= n == m->voices;
						for (j = 0; n == np && j < n;
						    j++) {
							i = abs(v[j] - prev[j]);
							worst = i > worst ? i :
							    worst;
							moves += i;
							count++;
						}
						memcpy(prev, v, sizeof(v));
						np = n;
						for (j = 1; j < n; j++)
							fits &= v[j] > v[j - 1]
							    && v[0] >= 48 &&
							    v[n - 1] <= 79;
					}
				}
			}
		}
	}
	ok(fits, "every chord is voiced in range, rising, no doublings");
	ok(worst <= 9, "no pad voice leaps more than 9 semitones (%d)", worst);
	ok(moves / count <= 2, "voices move %.2f semitones on average",
	    moves / count);
}

static int
items_resolve(const char *list, int kits)
{
	char name[64];
	int i;

	if (list == NULL)
		return 1;
	for (i = 0; gm_item(list, i, name, sizeof(name)) == 0; i++)
		if ((kits ? gm_kit(name, strlen(name)) :
		    gm_program(name, strlen(name))) < 0) {
			printf("#   unknown instrument '%s'\n", name);
			return 0;
		}
	return i > 0;
}

static void
test_moods(void)
{
	static const char *const wanted[] = { "calm", "upbeat", "cinematic",
	    "lofi", "corporate", "dramatic", "ambient", "energetic" };
	const struct music_mood *m;
	struct music_chord c[4];
	struct music_key k;
	const char *const *p;
	char name[32];
	size_t i;
	int good, n = 0;

	for (i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++)
		ok(mood_find(wanted[i]) != NULL, "there is a %s mood",
		    wanted[i]);
	for (m = music_moods; m->name != NULL; m++, n++) {
		good = m->bpm_lo <= m->bpm && m->bpm <= m->bpm_hi &&
		    m->voices >= 3 && m->voices <= 5 && m->density > 0 &&
		    m->density <= 1 && (m->major || m->minor);
		good &= items_resolve(m->pad, 0) && items_resolve(m->keys, 0) &&
		    items_resolve(m->arp, 0) && items_resolve(m->lead, 0) &&
		    items_resolve(m->bass, 0) && items_resolve(m->kits, 1);
		for (i = 0; gm_item(m->modes, (int)i, name, sizeof(name)) ==
		    0; i++)
			good &= theory_mode_parse(name, strlen(name)) >= 0;
		for (i = 0; m->kits && gm_item(m->grooves, (int)i, name,
		    sizeof(name)) == 0; i++)
			good &= drums_known(name, 0);
		for (i = 0; m->kits && gm_item(m->fills, (int)i, name,
		    sizeof(name)) == 0; i++)
			good &= drums_known(name, 1);
		theory_key_parse("C major", &k);
		for (p = m->major; p != NULL && *p != NULL; p++)
			good &= theory_progression(&k, *p, c, 4) == 4;
		theory_key_parse("A minor", &k);
		for (p = m->minor; p != NULL && *p != NULL; p++)
			good &= theory_progression(&k, *p, c, 4) == 4;
		ok(good, "mood %s: its data is sound", m->name);
	}
	ok(n >= 8, "%d moods", n);
}

static void
test_fit(void)
{
	const struct music_mood *calm = mood_find("calm");
	static const double lengths[] = { 1, 5, 17.3, 30, 58.3, 180 };
	double t, worst = 0;
	size_t i;
	int bars, inrange = 1, loops = 1;

	for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		arrange_fit(calm, lengths[i], 0, 0, &bars, &t);
		worst = fmax(worst, fabs(bars * 240.0 / t - lengths[i]));
		if (lengths[i] >= 10)
			inrange &= t >= calm->bpm_lo && t <= calm->bpm_hi;
		arrange_fit(calm, lengths[i], 0, 1, &bars, &t);
		worst = fmax(worst, fabs(bars * 240.0 / t - lengths[i]));
		if (lengths[i] >= 30)
			loops &= bars % 4 == 0;
	}
	ok(worst < 1e-9, "whole bars fill the length exactly (%g s off)",
	    worst);
	ok(inrange, "inside the mood's tempo range when that is possible");
	ok(loops, "loops are whole 4-bar phrases");
	arrange_fit(calm, 61, 90, 0, &bars, &t);
	ok(bars == 23 && fabs(t - 23 * 240 / 61.0) < 1e-9, "--bpm 90 for "
	    "61 s: 23 bars at %.2f (%d)", t, bars);
	arrange_fit(calm, 1, 0, 1, &bars, &t);
	ok(bars == 1, "a 1-second loop is one bar (%d)", bars);
}

static int
same_score(const struct music_score *a, const struct music_score *b)
{
	const struct music_note *x, *y;
	size_t j;
	int i;

	if (a->ntracks != b->ntracks || a->bpm != b->bpm)
		return 0;
	for (i = 0; i < a->ntracks; i++) {
		if (a->tracks[i].n != b->tracks[i].n ||
		    a->tracks[i].program != b->tracks[i].program)
			return 0;
		for (j = 0; j < a->tracks[i].n; j++) {
			x = &a->tracks[i].notes[j];
			y = &b->tracks[i].notes[j];
			if (x->start != y->start || x->len != y->len ||
			    x->key != y->key || x->vel != y->vel)
				return 0;
		}
	}
	return 1;
}

static uint32_t
be(const unsigned char *p, int n)
{
	uint32_t v = 0;

	while (n-- > 0)
		v = v << 8 | *p++;
	return v;
}

/* Walk a Standard MIDI File; count tracks, note-ons, and find the tempo. */
static int
parse_midi(const struct buf *b, int *tracks, long *ons, uint32_t *tempo,
    uint32_t *last)
{
	const unsigned char *p = (const unsigned char *)b->data;
	size_t at = 14, end, len;
	uint32_t t, delta;
	int st = 0, ntr, k, c;

	if (b->len < 14 || memcmp(p, "MThd", 4) || be(p + 4, 4) != 6 ||
	    be(p + 8, 2) != 1 || be(p + 12, 2) != PPQ)
		return -1;
	ntr = (int)be(p + 10, 2);
	*ons = 0;
	*last = 0;
	for (k = 0; k < ntr; k++) {
		if (at + 8 > b->len || memcmp(p + at, "MTrk", 4))
			return -1;
		end = at + 8 + be(p + at + 4, 4);
		if (end > b->len)
			return -1;
		for (at += 8, t = 0; at < end;) {
			for (delta = 0;;) {
				c = p[at++];
				delta = delta << 7 | (uint32_t)(c & 0x7f);
				if (!(c & 0x80))
					break;
			}
			t += delta;
			if (p[at] == 0xff) {
				len = p[at + 2];
				if (p[at + 1] == 0x51)
					*tempo = be(p + at + 3, 3);
				if (p[at + 1] == 0x2f && at + 3 != end)
					return -1;
				at += 3 + len;
				continue;
			}
			if (p[at] & 0x80)
				st = p[at++];
			if ((st & 0xf0) == 0x90 && p[at + 1] > 0)
				(*ons)++;
			at += (st & 0xf0) == 0xc0 || (st & 0xf0) == 0xd0 ? 1 :
			    2;
			if (t > *last)
				*last = t;
		}
		if (at != end)
			return -1;
	}
	*tracks = ntr;
	return 0;
}

static void
test_arrange_and_midi(struct agency *ag)
{
	const struct music_mood *m;
	struct music_score *a, *b;
	struct music_key k;
	struct buf mid = BUF_INIT;
	long ons = 0, notes;
	uint32_t tempo = 0, last = 0;
	int bars, i, tracks = 0, chans = 1, inside = 1;
	double bpm;

	theory_key_parse("D minor", &k);
	for (m = music_moods; m->name != NULL; m++) {
		arrange_fit(m, 30, 0, 1, &bars, &bpm);
		a = xcalloc(1, sizeof(*a));
		b = xcalloc(1, sizeof(*b));
		arrange_score(ag, m, &k, bars, bpm, 1, 99, a);
		arrange_score(ag, m, &k, bars, bpm, 1, 99, b);
		ok(same_score(a, b) && a->ntracks >= 3, "%s: the same seed "
		    "writes the same score (%d parts)", m->name, a->ntracks);
		score_free(b);
		b = xcalloc(1, sizeof(*b));
		arrange_score(ag, m, &k, bars, bpm, 1, 100, b);
		ok(!same_score(a, b), "%s: another seed another", m->name);
		for (i = 0, notes = 0; i < a->ntracks; i++) {
			const struct music_track *t = &a->tracks[i];
			size_t j;

			chans &= t->chan % 4 == t->stem &&
			    (t->stem == STEM_DRUMS) == (t->chan == 9);
			for (j = 0; j < t->n; j++)
				inside &= t->notes[j].start +
				    t->notes[j].len <= a->length &&
				    t->notes[j].len > 0;
			notes += (long)t->n;
		}
		buf_reset(&mid);
		midi_encode(a, &mid);
		i = parse_midi(&mid, &tracks, &ons, &tempo, &last);
		ok(i == 0 && tracks == a->ntracks + 1 && ons == notes &&
		    tempo == (uint32_t)lround(60e6 / a->bpm) &&
		    last == a->length, "%s: the MIDI file parses: %d tracks, "
		    "%ld notes, ends at bar %d", m->name, tracks, ons,
		    (int)(last / BAR));
		score_free(a);
		score_free(b);
	}
	ok(chans, "each part's channel sounds in its stem; drums on 10");
	ok(inside, "no note rings past a loop's end");
	buf_release(&mid);
}

static void
test_render(struct agency *ag)
{
	struct music_params p;
	struct music_result r, s;
	double err = 0, sum;
	size_t i;
	int g;

	music_params_init(&p);
	p.mood = "upbeat";
	p.duration = 3.7;
	p.rate = 8000;
	p.seed = 5;
	p.stems = 1;
	is_int(music_compose(ag, &p, &r), AG_OK, "render 3.7 s at 8 kHz");
	is_int(r.frames, 29600, "exactly 29600 frames");
	ok(fabs(r.loudness.integrated - -18) < 0.2 && r.loudness.true_peak <=
	    -1.5, "at -18 LUFS (%.2f), under -1.5 dBTP (%.2f)",
	    r.loudness.integrated, r.loudness.true_peak);
	for (i = 0; i < 2 * r.frames; i++) {
		for (sum = 0, g = 0; g < MUSIC_STEMS; g++)
			sum += r.stems[g][i];
		err = fmax(err, fabs(sum - r.pcm[i]));
	}
	ok(err < 1e-4, "the stems add up to the mix (%.2g off)", err);
	p.stems = 0;
	is_int(music_compose(ag, &p, &s), AG_OK, "again without stems");
	for (i = 0, err = 0; i < 2 * r.frames; i++)
		err = fmax(err, fabs(s.pcm[i] - r.pcm[i]));
	ok(err < 1e-4, "the same mix but for rounding (%.2g)", err);
	music_result_release(&s);
	is_int(music_compose(ag, &p, &s), AG_OK, "and once more");
	music_result_release(&r);
	is_int(music_compose(ag, &p, &r), AG_OK, "and once more");
	ok(memcmp(r.pcm, s.pcm, 2 * r.frames * sizeof(float)) == 0,
	    "the same parameters give the same samples");
	music_result_release(&s);
	p.seed = 6;
	is_int(music_compose(ag, &p, &s), AG_OK, "seed 6");
	ok(memcmp(r.pcm, s.pcm, 2 * r.frames * sizeof(float)) != 0,
	    "another seed, other samples");
	music_result_release(&s);
	music_result_release(&r);

	p.soundfont = "/nonexistent/FluidR3_GM.sf2";
	is_int(music_compose(ag, &p, &r), AG_CONFIG, "a missing SoundFont");
	ok(strstr(ag->err, "fluid-soundfont-gm") != NULL, "names the package: "
	    "%s", ag->err);
	p.soundfont = NULL;
	p.duration = -1;
	is_int(music_compose(ag, &p, &r), AG_USAGE, "a negative duration");
	p.duration = 2;
	p.mood = "sad";
	is_int(music_compose(ag, &p, &r), AG_USAGE, "an unknown mood");
	ok(strstr(ag->err, "calm") != NULL, "lists the moods: %s", ag->err);
}

int
main(void)
{
	struct agency ag;

	tap_tmpdir();
	tap_agency(&ag, "t-music");
	test_theory();
	test_voice_leading();
	test_moods();
	test_fit();
	test_arrange_and_midi(&ag);
	test_render(&ag);
	ag_release(&ag);
	return done_testing();
}
