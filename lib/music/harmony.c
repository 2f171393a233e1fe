/*
 * harmony.c - the harmony stem: a sustained pad, a comping instrument
 * (keys or guitar) and an arpeggio.
 *
 * Pad and keys are voice-led bar to bar (theory_voicing), so chords
 * move by the smallest steps; a pad voice that keeps its pitch is held
 * over the bar line rather than struck again, except at the start of a
 * phrase.  Comping rhythms are per style, in eighths of the bar.
 */
#include <string.h>

#include "agency.h"
#include "music/score.h"

#define EIGHTH (PPQ / 2)
#define SIXTEENTH (PPQ / 4)

static void
pad(struct music_arr *a, struct rng *r)
{
	const struct music_mood *m = a->mood;
	struct music_track *t;
	struct music_bar *b;
	long last[128], at;
	int prev[8], v[8], np = 0, n, i, k, prog, vel;

	if ((prog = gm_pick(m->pad, r, 0)) < 0)
		return;
	t = score_track(a->s, "pad", STEM_HARMONY, 0, prog);
	t->volume = 84;
	t->reverb = m->reverb;
	t->chorus = 40;
	for (k = 0; k < 128; k++)
		last[k] = -1;
	for (i = 0; i < a->bars; i++) {
		b = &a->bar[i];
		n = theory_voicing(prev, np, &b->chord, m->voices, 48, 79, v);
		if (n == 0)
			continue;
		at = (long)i * BAR;
		vel = arr_vel(b, b->section == SEC_INTRO ? 58 + 6 * i : 72, r);
		for (k = 0; k < n; k++) {
			struct music_note *p = last[v[k]] >= 0 ?
			    &t->notes[last[v[k]]] : NULL;

			if (p != NULL && b->pos != 0 && b->section != SEC_END &&
			    (long)(p->start + p->len) == at) {
				p->len += BAR;
				continue;
			}
			last[v[k]] = (long)t->n;
			score_note(t, at, BAR, v[k], vel);
		}
		memcpy(prev, v, sizeof(v));
		np = n;
	}
}

/* One chord struck at tick at for len ticks, strummed by strum ticks. */
static void
strike(struct music_arr *a, struct music_track *t, const int *v, int n,
    long at, long len, int vel, int strum, struct rng *r)
{
	int k;

	at = arr_time(a, at, r, 6);
	for (k = 0; k < n; k++)
		score_note(t, at + k * strum, len - k * strum, v[k],
		    vel - 2 * (n - 1 - k));
}

static void
comp_bar(struct music_arr *a, struct music_track *t, const struct music_bar *b,
    long at, const int *v, int n, struct rng *r)
{
	static const char stab[] = "x..x..x...x..x..";
	const struct music_mood *m = a->mood;
	int vel = arr_vel(b, 74, r), e, k, hi = b->energy >= 0.7;

	if (b->section == SEC_END) {
		strike(a, t, v, n, at, BAR, vel, 12, r);
		return;
	}
	switch (m->comp) {
	case COMP_BLOCK:
		if (!hi) {
			strike(a, t, v, n, at, BAR, vel, 0, r);
			break;
		}
		strike(a, t, v, n, at, 2 * PPQ, vel, 0, r);
		strike(a, t, v, n, at + 2 * PPQ, 2 * PPQ, vel - 8, 0, r);
		break;
	case COMP_PULSE:
		for (e = 0; e < 8; e += hi ? 1 : 2)
			strike(a, t, v, n, at + e * EIGHTH, EIGHTH - 40,
			    e % 4 == 0 ? vel : vel - 14, 0, r);
		break;
	case COMP_BROKEN:
		/* A low root, then the chord's voices one by one. */
		score_note(t, arr_time(a, at, r, 4), 2 * PPQ, v[0] - 12, vel);
		for (e = 1; e < 8; e++) {
			k = e % 4 == 0 ? 0 : (e - 1) % 3 + 1;
			if (k >= n)
				k = n - 1;
			score_note(t, arr_time(a, at + e * EIGHTH, r, 4),
			    3 * EIGHTH, v[k], vel - 12 - (e % 2) * 6);
		}
		break;
	case COMP_OFFBEAT:
		for (e = 1; e < 8; e += 2)
			strike(a, t, v, n, at + e * EIGHTH, EIGHTH / 2,
			    vel - 6, 0, r);
		if (hi)
			score_note(t, at, EIGHTH, v[0] - 12, vel);
		break;
	case COMP_LOFI:
		strike(a, t, v, n, at, 3 * EIGHTH, vel, 10, r);
		strike(a, t, v, n, at + 3 * EIGHTH, 2 * EIGHTH, vel - 12, 8,
		    r);
		if (rng_chance(r, 0.5 + 0.3 * m->density))
			strike(a, t, v, n, at + 6 * EIGHTH, 2 * EIGHTH,
			    vel - 8, 8, r);
		break;
	case COMP_STAB:
		for (e = 0; e < 16; e++)
			if (stab[e] == 'x' && (hi || e % 4 == 0 || e == 6))
				strike(a, t, v, n, at + e * SIXTEENTH,
				    SIXTEENTH + 20, e == 0 ? vel : vel - 10,
				    0, r);
		break;
	case COMP_NONE:
		break;
	}
}

static void
keys(struct music_arr *a, struct rng *r)
{
	const struct music_mood *m = a->mood;
	struct music_track *t;
	struct music_bar *b;
	int prev[8], v[8], np = 0, n, i, prog, voices;

	if (m->comp == COMP_NONE || (prog = gm_pick(m->keys, r, 0)) < 0)
		return;
	t = score_track(a->s, "keys", STEM_HARMONY, 0, prog);
	t->volume = 92;
	t->pan = 50;
	t->reverb = m->reverb * 3 / 4;
	voices = m->comp == COMP_LOFI ? 4 : 3;
	for (i = 0; i < a->bars; i++) {
		b = &a->bar[i];
		n = theory_voicing(prev, np, &b->chord, voices, 55, 79, v);
		if (n == 0)
			continue;
		memcpy(prev, v, sizeof(v));
		np = n;
		if (b->section == SEC_INTRO && m->pad != NULL)
			continue;
		if (b->section == SEC_BREAK)
			continue;
		comp_bar(a, t, b, (long)i * BAR, v, n, r);
	}
}

static int
plays_arp(const struct music_arr *a, const struct music_bar *b)
{
	switch (b->section) {
	case SEC_B:
	case SEC_BREAK:
		return 1;
	case SEC_A:
		return a->mood->density >= 0.5 || a->mood->kits == NULL;
	case SEC_INTRO:
		return a->mood->density <= 0.5;
	default:
		return 0;
	}
}

static void
arp(struct music_arr *a, struct rng *r)
{
	const struct music_mood *m = a->mood;
	struct music_track *t;
	struct music_bar *b;
	int pitches[32], np, i, k, s, steps, idx, prog, span, vel, step;

	if (m->arp_style == ARP_NONE || (prog = gm_pick(m->arp, r, 0)) < 0)
		return;
	t = score_track(a->s, "arp", STEM_HARMONY, 0, prog);
	t->volume = 76;
	t->pan = 84;
	t->reverb = m->reverb;
	idx = 0;
	for (i = 0; i < a->bars; i++) {
		b = &a->bar[i];
		if (!plays_arp(a, b))
			continue;
		for (np = 0, k = 60; k <= 86 && np < 32; k++)
			if (theory_has_pc(b->chord.pcs, b->chord.n, k))
				pitches[np++] = k;
		if (np == 0)
			continue;
		span = np < 5 ? np : 5;
		/* Sixteenths only when the bar has the energy for them. */
		step = m->arp_rate == 4 && b->energy >= 0.6 ? SIXTEENTH :
		    EIGHTH;
		steps = BAR / step;
		for (s = 0; s < steps; s++, idx++) {
			switch (m->arp_style) {
			case ARP_UPDOWN:
				if (span < 2) {
					k = 0;
					break;
				}
				k = idx % (2 * span - 2);
				if (k >= span)
					k = 2 * span - 2 - k;
				break;
			case ARP_BROKEN:
				k = rng_below(r, span);
				if (s % 4 == 0)
					k = 0;
				break;
			default:
				k = idx % span;
				break;
			}
			vel = arr_vel(b, s % 4 == 0 ? 70 : 58, r);
			score_note(t, arr_time(a, (long)i * BAR + s * step, r,
			    4), step * 3 / 2, pitches[k], vel);
		}
	}
}

void
harmony_write(struct music_arr *a)
{
	struct rng r;

	rng_seed(&r, a->seed, "pad");
	pad(a, &r);
	rng_seed(&r, a->seed, "keys");
	keys(a, &r);
	rng_seed(&r, a->seed, "arp");
	arp(a, &r);
}
