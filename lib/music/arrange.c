/*
 * arrange.c - from a mood, a key, a length and a seed to a score.
 *
 * The tempo is fitted first: the bed is a whole number of bars, so the
 * tempo is the one nearest the mood's (or the asked) tempo that makes
 * bars * 4 beats last exactly the duration, kept inside the mood's
 * range when any whole number of bars allows it.  A loop must be whole
 * 4-bar phrases (the progression's length), else the harmony would jump
 * at the seam; only beds too short for one phrase fall back to 2 bars
 * or 1.
 *
 * Then the form.  A bed with an ending has an intro without drums (for
 * longer beds), 4-bar phrases of two sections, A and the livelier B (a
 * breakdown in long beds), a lighter outro and a final bar that holds
 * the tonic chord.  A loop is all phrases, A and B, with a drum fill in
 * its last bar that leads back to its first.  Each section has its own
 * progression from the mood's pool, and each bar an energy that the
 * parts read to decide what plays and how hard.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agency.h"
#include "music/score.h"

static const char *const generic_major[] = {
	"I V vi IV", "I IV vi V", "vi IV I V", "I vi IV V", NULL
};
static const char *const generic_minor[] = {
	"i VI III VII", "i iv VI V", "i VII VI VII", "i iv v i", NULL
};

/* How far tempo t is from what is wanted, out of range costing most. */
static double
distance(double t, double want, double lo, double hi)
{
	double d = fabs(log(t / want));

	if (t < lo)
		d += 10 * log(lo / t);
	else if (t > hi)
		d += 10 * log(t / hi);
	return d;
}

void
arrange_fit(const struct music_mood *m, double duration, double bpm,
    int loop, int *bars, double *tempo)
{
	double want = bpm > 0 ? bpm : m->bpm, lo = bpm > 0 ? bpm : m->bpm_lo;
	double hi = bpm > 0 ? bpm : m->bpm_hi, t, d, best = -1;
	int n, unit = loop ? 4 : 1, max;

	max = (int)(duration * hi / 60 / BEATS / unit) + 2;
	for (n = 1; n <= max; n++) {
		t = n * unit * BEATS * 60.0 / duration;
		d = distance(t, want, lo, hi);
		if (best < 0 || d < best) {
			best = d;
			*bars = n * unit;
		}
	}
	/* A loop too short for a phrase: 2 bars or 1, at a price. */
	for (n = 1; loop && n <= 2; n++) {
		t = n * BEATS * 60.0 / duration;
		d = distance(t, want, lo, hi) + 1;
		if (d < best) {
			best = d;
			*bars = n;
		}
	}
	*tempo = *bars * BEATS * 60.0 / duration;
}

long
arr_time(const struct music_arr *a, long tick, struct rng *r, int jitter)
{
	long unit = a->mood->swing16 ? PPQ / 4 : PPQ / 2;

	if (a->mood->swing > 0 && tick % (2 * unit) == unit)
		tick += (long)(a->mood->swing * unit);
	if (jitter > 0 && r != NULL)
		tick += rng_range(r, -jitter, jitter);
	return tick < 0 ? 0 : tick;
}

int
arr_vel(const struct music_bar *b, int base, struct rng *r)
{
	int v = (int)(base * (0.7 + 0.45 * b->energy)) + rng_range(r, -5, 5);

	return v < 1 ? 1 : v > 127 ? 127 : v;
}

static const char *const names[] = {
	[SEC_INTRO] = "intro", [SEC_A] = "A", [SEC_B] = "B",
	[SEC_BREAK] = "break", [SEC_OUTRO] = "outro", [SEC_END] = "end"
};

static double
energy(int section, int pos, int phrase)
{
	static const double base[] = {
		[SEC_INTRO] = 0.3, [SEC_A] = 0.55, [SEC_B] = 0.8,
		[SEC_BREAK] = 0.35, [SEC_OUTRO] = 0.45, [SEC_END] = 0.4
	};
	double e = base[section] + 0.03 * pos;

	/* Later B sections lift a little more. */
	if (section == SEC_B && phrase >= 3)
		e += 0.08;
	return e > 1 ? 1 : e;
}

/* The form of a bed that ends: see the top of the file. */
static void
form_ending(struct music_arr *a)
{
	static const char pattern[] = "ABABXABB";
	int n = a->bars, intro, outro, body, i, j, sec;

	if (n == 1) {
		a->bar[0].section = SEC_END;
		return;
	}
	if (n <= 3) {
		for (i = 0; i < n - 1; i++) {
			a->bar[i].section = SEC_A;
			a->bar[i].pos = i;
		}
		a->bar[n - 1].section = SEC_END;
		return;
	}
	intro = n >= 24 ? 4 : n >= 10 ? 2 : n >= 6 ? 1 : 0;
	outro = n >= 16 ? 2 : n >= 8 ? 1 : 0;
	body = n - intro - outro - 1;
	for (i = 0; i < intro; i++) {
		a->bar[i].section = SEC_INTRO;
		a->bar[i].phrase = -1;
		a->bar[i].pos = ((i - intro) % 4 + 4) % 4;
	}
	for (j = 0; j < body; j++) {
		i = intro + j;
		sec = pattern[(j / 4) % 8];
		/* A breakdown only in long beds; short ones go A, B. */
		if (sec == 'X' && body < 24)
			sec = 'A';
		a->bar[i].section = sec == 'A' ? SEC_A : sec == 'B' ? SEC_B :
		    SEC_BREAK;
		a->bar[i].phrase = j / 4;
		a->bar[i].pos = j % 4;
	}
	for (j = 0; j < outro; j++) {
		i = intro + body + j;
		a->bar[i].section = SEC_OUTRO;
		a->bar[i].phrase = (body + j) / 4;
		a->bar[i].pos = (body + j) % 4;
	}
	a->bar[n - 1].section = SEC_END;
	a->bar[n - 1].phrase = (body + outro) / 4;
}

static void
form_loop(struct music_arr *a)
{
	int i;

	for (i = 0; i < a->bars; i++) {
		a->bar[i].phrase = i / 4;
		a->bar[i].pos = i % 4;
		a->bar[i].section = a->bars >= 8 && (i / 4) % 2 == 1 ?
		    SEC_B : SEC_A;
	}
}

static int
drummed(int section)
{
	return section == SEC_A || section == SEC_B || section == SEC_OUTRO;
}

/* Energies, fills, crashes and markers, once the sections are known. */
static void
dynamics(struct music_arr *a, int loop)
{
	struct music_bar *b, *prev, *next;
	int i;

	for (i = 0; i < a->bars; i++) {
		b = &a->bar[i];
		b->energy = energy(b->section, b->pos, b->phrase);
		if (loop && a->bars < 8)
			b->energy += 0.1;
	}
	for (i = 0; i < a->bars; i++) {
		b = &a->bar[i];
		next = i + 1 < a->bars ? &a->bar[i + 1] : loop ? &a->bar[0] :
		    NULL;
		if (drummed(b->section) && next != NULL && ((b->pos == 3 &&
		    b->phrase % 2 == 1) || next->section != b->section ||
		    (loop && i + 1 == a->bars)))
			b->fill = 1;
	}
	for (i = 0; i < a->bars; i++) {
		b = &a->bar[i];
		prev = i > 0 ? &a->bar[i - 1] : loop ? &a->bar[a->bars - 1] :
		    NULL;
		if ((drummed(b->section) || b->section == SEC_END) &&
		    prev != NULL && (prev->fill || prev->section != b->section))
			b->crash = 1;
		if (i == 0 || prev->section != b->section ||
		    (b->pos == 0 && b->section != SEC_INTRO))
			score_marker(a->s, (uint32_t)i * BAR,
			    names[b->section]);
	}
}

static const char *
draw(const char *const *pool, struct rng *r, const char *not)
{
	int n, i;

	for (n = 0; pool[n] != NULL; n++)
		;
	i = rng_below(r, n);
	if (not != NULL && n > 1 && strcmp(pool[i], not) == 0)
		i = (i + 1 + rng_below(r, n - 1)) % n;
	return pool[i];
}

int
arrange_score(struct agency *ag, const struct music_mood *m,
    const struct music_key *key, int bars, double bpm, int loop,
    uint64_t seed, struct music_score *out)
{
	const char *const *pool;
	const char *text[2];
	struct music_chord prog[2][4];
	struct music_arr a;
	struct rng r;
	int i, n, which;

	memset(out, 0, sizeof(*out));
	out->bpm = bpm;
	out->bars = bars;
	out->length = (uint32_t)bars * BAR;
	out->loop = loop;
	out->key = *key;
	out->mood = m;
	out->seed = seed;
	out->room = m->room;
	out->reverb_level = 0.8;

	rng_seed(&r, seed, "progression");
	pool = theory_mode_minor(key->mode) ? m->minor : m->major;
	if (pool == NULL)
		pool = theory_mode_minor(key->mode) ? generic_minor :
		    generic_major;
	text[0] = draw(pool, &r, NULL);
	text[1] = draw(pool, &r, text[0]);
	for (i = 0; i < 2; i++) {
		n = theory_progression(key, text[i], prog[i], 4);
		if (n != 4)
			return ag_fail(ag, AG_SOFTWARE, "mood '%s': bad "
			    "progression '%s'", m->name, text[i]);
	}
	ag_debug(ag, "progressions: A '%s', B '%s'", text[0], text[1]);

	memset(&a, 0, sizeof(a));
	a.s = out;
	a.mood = m;
	a.bars = bars;
	a.seed = seed;
	a.bar = xcalloc((size_t)bars, sizeof(*a.bar));
	if (loop)
		form_loop(&a);
	else
		form_ending(&a);
	for (i = 0; i < bars; i++) {
		which = a.bar[i].section == SEC_B ? 1 : 0;
		if (a.bar[i].section == SEC_END)
			theory_tonic(key, &a.bar[i].chord);
		else
			a.bar[i].chord = prog[which][a.bar[i].pos % 4];
	}
	for (i = 0; i < bars; i++)
		a.bar[i].next = i + 1 < bars ? a.bar[i + 1].chord :
		    loop ? a.bar[0].chord : a.bar[i].chord;
	dynamics(&a, loop);

	harmony_write(&a);
	bass_write(&a);
	melody_write(&a);
	drums_write(&a);
	score_finish(out);
	free(a.bar);
	return AG_OK;
}
