/*
 * bass.c - the bass stem: the chord's root in the low register, played
 * in the mood's style, with approach notes that lead into the next
 * bar's root.  The root is taken in the octave nearest the last bass
 * note, between E1 (28) and B2 (47), so the line moves by small steps.
 */
#include "agency.h"
#include "music/score.h"

#define LO 28
#define HI 47

/* The pitch of pitch class pc nearest to near, inside LO..HI. */
static int
place(int pc, int near)
{
	int p = near - 6, best = -1, k;

	for (k = 0; k < 12; k++, p++)
		if (((p % 12) + 12) % 12 == pc)
			best = p;
	while (best < LO)
		best += 12;
	while (best > HI)
		best -= 12;
	return best;
}

/* A note a step away from target, below or above. */
static int
approach(int target, struct rng *r)
{
	return target + (rng_chance(r, 0.5) ? -1 : 2);
}

static void
bar_notes(struct music_arr *a, struct music_track *t,
    const struct music_bar *b, long at, int root, int next, struct rng *r)
{
	const struct music_mood *m = a->mood;
	int vel = arr_vel(b, 92, r), fifth = root + 7 <= HI ? root + 7 :
	    root - 5, e;

	if (b->section == SEC_END || b->section == SEC_BREAK) {
		score_note(t, at, BAR, root, vel - 10);
		return;
	}
	switch (m->bass_style) {
	case BASS_SUSTAIN:
		score_note(t, at, BAR, root, vel - 6);
		break;
	case BASS_ROOT_FIFTH:
		score_note(t, arr_time(a, at, r, 3), 2 * PPQ - 30, root, vel);
		score_note(t, arr_time(a, at + 2 * PPQ, r, 3), 2 * PPQ - 30,
		    fifth, vel - 8);
		if (b->energy >= 0.7 && rng_chance(r, 0.5))
			score_note(t, arr_time(a, at + 7 * PPQ / 2, r, 3),
			    PPQ / 2, approach(next, r), vel - 12);
		break;
	case BASS_PULSE:
		for (e = 0; e < 8; e++) {
			int p = root;

			if (b->energy >= 0.75 && (e == 3 || e == 7))
				p = root + 12;
			if (e == 7 && rng_chance(r, 0.4))
				p = approach(next, r);
			score_note(t, arr_time(a, at + e * PPQ / 2, r, 2),
			    PPQ / 2 - 50, p, e % 2 ? vel - 12 : vel);
		}
		break;
	case BASS_SYNCO:
		score_note(t, arr_time(a, at, r, 4), 3 * PPQ / 4, root, vel);
		score_note(t, arr_time(a, at + 6 * PPQ / 4, r, 4), PPQ / 4,
		    root, vel - 14);
		score_note(t, arr_time(a, at + 10 * PPQ / 4, r, 4), PPQ / 2,
		    rng_chance(r, 0.5) ? fifth : root + 12, vel - 6);
		if (rng_chance(r, 0.6))
			score_note(t, arr_time(a, at + 14 * PPQ / 4, r, 4),
			    PPQ / 4, approach(next, r), vel - 12);
		break;
	case BASS_WALK:
		score_note(t, arr_time(a, at, r, 4), PPQ - 40, root, vel);
		score_note(t, arr_time(a, at + PPQ, r, 4), PPQ - 40,
		    place(b->chord.pcs[1], root + 4), vel - 10);
		score_note(t, arr_time(a, at + 2 * PPQ, r, 4), PPQ - 40,
		    fifth, vel - 6);
		score_note(t, arr_time(a, at + 3 * PPQ, r, 4), PPQ - 40,
		    approach(next, r), vel - 10);
		break;
	case BASS_NONE:
		break;
	}
}

void
bass_write(struct music_arr *a)
{
	const struct music_mood *m = a->mood;
	struct music_track *t;
	struct music_bar *b;
	struct rng r;
	int prog, i, root = 38, next;

	rng_seed(&r, a->seed, "bass");
	if (m->bass_style == BASS_NONE || (prog = gm_pick(m->bass, &r, 0)) <
	    0)
		return;
	t = score_track(a->s, "bass", STEM_BASS, 0, prog);
	t->volume = 100;
	t->reverb = m->reverb / 4;
	for (i = 0; i < a->bars; i++) {
		b = &a->bar[i];
		root = place(b->chord.root, root);
		next = place(b->next.root, root);
		if (b->section == SEC_INTRO && m->bass_style != BASS_SUSTAIN)
			continue;
		bar_notes(a, t, b, (long)i * BAR, root, next, &r);
	}
}
