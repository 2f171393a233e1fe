/*
 * melody.c - the melody stem: a lead line built from motifs.
 *
 * Each section (A, B) has a two-bar motif drawn from the seed: a rhythm
 * on the mood's grid (strong beats likelier, the last beat left for a
 * breath) and a contour in scale steps.  A four-bar phrase plays the
 * motif, then again with its last note resolved to a chord tone and
 * held: call and answer.  Pitches follow the chords: steps move through
 * the chord's scale (theory_chord_scale) and notes on strong beats land
 * on chord tones, so the line never clashes with the harmony.  The line
 * stays within about an octave of the mood's centre.  A bed carries a
 * voice, so the lead plays only in the livelier sections.
 */
#include <string.h>

#include "agency.h"
#include "music/score.h"

#define MAXNOTES 32

struct motif {
	int n;
	int at[MAXNOTES];		/* grid steps from the motif's start */
	int len[MAXNOTES];		/* grid steps */
	int delta[MAXNOTES];		/* scale steps from the last note */
};

static int
delta(struct rng *r)
{
	static const int table[] = { -2, -1, -1, -1, 0, 1, 1, 1, 2, -3, 3,
	    -4, 4, 2, -2 };

	return table[rng_below(r, (int)(sizeof(table) / sizeof(table[0])))];
}

static void
motif_make(struct motif *mo, const struct music_mood *m, int grid,
    struct rng *r)
{
	int steps = grid * BEATS * 2, s, k, maxlen;
	double p, w;

	memset(mo, 0, sizeof(*mo));
	p = m->lead_style == LEAD_LONG ? 0.3 : m->lead_style == LEAD_SPARSE ?
	    0.15 : 0.25 + 0.4 * m->density;
	for (s = 0; s < steps && mo->n < MAXNOTES; s++) {
		if (m->lead_style == LEAD_MOTIF && s >= steps - grid)
			break;		/* a breath before the answer */
		w = s % (2 * grid) == 0 ? 1.8 : s % grid == 0 ? 1.4 :
		    grid == 4 && s % 2 == 0 ? 1.0 : 0.5;
		if ((s == 0 && m->lead_style != LEAD_SPARSE) ||
		    rng_chance(r, p * w))
			mo->at[mo->n++] = s;
	}
	if (mo->n < 2 && mo->n < MAXNOTES)
		mo->at[mo->n++] = grid * BEATS;
	if (mo->n == 2 && mo->at[0] == mo->at[1])
		mo->n = 1;
	maxlen = m->lead_style == LEAD_LONG ? steps : m->lead_style ==
	    LEAD_SPARSE ? 4 * grid : 2 * grid;
	for (k = 0; k < mo->n; k++) {
		int end = k + 1 < mo->n ? mo->at[k + 1] : steps;

		mo->len[k] = end - mo->at[k];
		if (mo->len[k] > maxlen)
			mo->len[k] = maxlen;
		mo->delta[k] = k == 0 ? 0 : delta(r);
	}
}

static int
plays(const struct music_mood *m, const struct music_bar *b)
{
	if (b->section == SEC_B)
		return 1;
	if (b->section == SEC_A)
		return m->density >= 0.6 || m->lead_style == LEAD_SPARSE;
	return 0;
}

/* Keep p within the lead's range, by octaves. */
static int
fold(int p, int center)
{
	while (p > center + 9)
		p -= 12;
	while (p < center - 10)
		p += 12;
	return p;
}

static void
phrase(struct music_arr *a, struct music_track *t, const struct motif *mo,
    int bar0, int grid, int *cur, struct rng *r)
{
	const struct music_mood *m = a->mood;
	const struct music_bar *b;
	int half, k, bi, cs[7], p, strong, last, vel;
	long tick, len, unit = PPQ / grid;

	for (half = 0; half < 2; half++) {
		for (k = 0; k < mo->n; k++) {
			tick = (long)(bar0 + 2 * half) * BAR + mo->at[k] * unit;
			bi = (int)(tick / BAR);
			if (bi >= a->bars || !plays(m, &a->bar[bi]))
				continue;
			b = &a->bar[bi];
			theory_chord_scale(&a->s->key, &b->chord, cs);
			p = theory_nearest(*cur, cs, 7);
			if (k == 0 && half == 0)
				p = theory_nearest(fold(p, m->lead_center),
				    b->chord.pcs, b->chord.n);
			else
				p = theory_step(p, cs, 7, mo->delta[k]);
			strong = mo->at[k] % (2 * grid) == 0;
			last = half == 1 && k == mo->n - 1;
			if (strong || last)
				p = theory_nearest(p, b->chord.pcs,
				    last ? 2 : b->chord.n);
			p = fold(p, m->lead_center);
			*cur = p;
			len = mo->len[k] * unit;
			if (last && len < 2 * PPQ)
				len = 2 * PPQ;
			/* The answer may drop a note now and then. */
			if (half == 1 && !last && rng_chance(r, 0.12))
				continue;
			vel = arr_vel(b, strong ? 84 : 76, r);
			score_note(t, arr_time(a, tick, r, 5),
			    m->lead_style == LEAD_MOTIF ? len * 9 / 10 : len,
			    p, vel);
		}
	}
}

void
melody_write(struct music_arr *a)
{
	const struct music_mood *m = a->mood;
	struct music_track *t;
	struct motif mo[2];
	struct rng r;
	int prog, grid = m->lead_rate > 0 ? m->lead_rate : 2, i, cur;
	int played = 0;

	rng_seed(&r, a->seed, "melody");
	if (m->lead_style == LEAD_NONE || (prog = gm_pick(m->lead, &r, 0)) < 0)
		return;
	if (m->lead_style != LEAD_MOTIF)
		grid = 1;		/* long notes: a grid of beats */
	t = score_track(a->s, "lead", STEM_MELODY, 0, prog);
	t->volume = 82;
	t->pan = 72;
	t->reverb = m->reverb;
	motif_make(&mo[0], m, grid, &r);
	motif_make(&mo[1], m, grid, &r);
	cur = m->lead_center;
	for (i = 0; i < a->bars; i++) {
		const struct music_bar *b = &a->bar[i];

		if (b->section == SEC_END && played) {
			score_note(t, (long)i * BAR, BAR, fold(theory_nearest(
			    cur, b->chord.pcs, 1), m->lead_center),
			    arr_vel(b, 70, &r));
			continue;
		}
		if (b->pos != 0 || !plays(m, b))
			continue;
		phrase(a, t, &mo[b->section == SEC_B], i, grid, &cur, &r);
		played = 1;
	}
}
