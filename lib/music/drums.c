/*
 * drums.c - the drum stem: grooves and fills as data, on the General
 * MIDI percussion channel.
 *
 * A groove is a bar of sixteenths per instrument: '.' rest, 'o' ghost,
 * 'x' hit, 'X' accent.  Each line has the least energy at which it
 * plays, so a quiet section gets the bare groove and a lively one the
 * hats, ghosts and tambourine too.  A fill replaces the end of a bar
 * (the last beat, or the last two for tom fills) with its own lines.
 */
#include <string.h>

#include "agency.h"
#include "music/score.h"

#define STEPS 16
#define SIXTEENTH (PPQ / 4)
#define LINES 6

struct line {
	int key;
	double min;			/* least energy it plays at */
	const char *steps;		/* STEPS of ".oxX" */
};

struct pattern {
	const char *name;
	int from;			/* fills: the first step replaced */
	struct line lines[LINES];
};

static const struct pattern grooves[] = {
	{ "soft", 0, {
		{ DR_KICK, 0, "x.......x......." },
		{ DR_STICK, 0, "....x.......x..." },
		{ DR_MARACAS, 0.3, "o.o.o.o.o.o.o.o." },
		{ DR_RIDE, 0.6, "x...x...x...x..." } } },
	{ "backbeat", 0, {
		{ DR_KICK, 0, "x.......x.x....." },
		{ DR_SNARE, 0, "....x.......x..." },
		{ DR_HAT, 0, "x.x.x.x.x.x.x.x." },
		{ DR_HAT, 0.7, ".o.o.o.o.o.o.o.o" },
		{ DR_OPEN, 0.8, "..............x." },
		{ DR_TAMB, 0.85, "....x.......x..." } } },
	{ "shuffle", 0, {
		{ DR_KICK, 0, "x.....x...x....." },
		{ DR_CLAP, 0, "....x.......x..." },
		{ DR_HAT, 0, "x.oxx.oxx.oxx.ox" },
		{ DR_TAMB, 0.7, "..x...x...x...x." } } },
	{ "bounce", 0, {
		{ DR_KICK, 0, "x.....x.x......." },
		{ DR_SNARE, 0, "....x.......x..." },
		{ DR_CLAVES, 0.4, "x..x..x...x..x.." },
		{ DR_HAT, 0.6, "..x...x...x...x." } } },
	{ "boombap", 0, {
		{ DR_KICK, 0, "x.....o...x....." },
		{ DR_SNARE, 0, "....x.......x..." },
		{ DR_HAT, 0, "x.x.x.x.x.x.x.x." },
		{ DR_HAT, 0.6, ".......o.......o" },
		{ DR_STICK, 0.5, "..........o....." } } },
	{ "halftime", 0, {
		{ DR_KICK, 0, "x.........x....." },
		{ DR_SNARE, 0, "........x......." },
		{ DR_HAT, 0.35, "x...x...x...x..." },
		{ DR_TOM_L, 0.7, "..............o." } } },
	{ "epic", 0, {
		{ DR_KICK, 0, "x.......x......." },
		{ DR_TOM_LF, 0, "x..x..x...x....." },
		{ DR_SNARE, 0.4, "....x.......x..." },
		{ DR_TOM_L, 0.7, "......x.......x." } } },
	{ "pulse", 0, {
		{ DR_KICK, 0, "x...x...x...x..." },
		{ DR_CLAP, 0.45, "....x.......x..." },
		{ DR_HAT, 0, "..x...x...x...x." },
		{ DR_MARACAS, 0.6, "oooooooooooooooo" } } },
	{ "four", 0, {
		{ DR_KICK, 0, "x...x...x...x..." },
		{ DR_CLAP, 0, "....x.......x..." },
		{ DR_OPEN, 0.4, "..x...x...x...x." },
		{ DR_HAT, 0.55, ".o.o.o.o.o.o.o.o" },
		{ DR_TAMB, 0.8, "....x.......x..." } } },
	{ "drive", 0, {
		{ DR_KICK, 0, "x...x...x...x..." },
		{ DR_SNARE, 0, "....x.......x..." },
		{ DR_HAT, 0, "XoxoXoxoXoxoXoxo" },
		{ DR_OPEN, 0.8, "..............x." } } },
	{ NULL, 0, { { 0, 0, NULL } } }
};

static const struct pattern fills[] = {
	{ "soft", 12, {
		{ DR_SNARE, 0, "............oooo" } } },
	{ "snare", 12, {
		{ DR_SNARE, 0, "............xxxX" },
		{ DR_KICK, 0, "............x..." } } },
	{ "toms", 8, {
		{ DR_TOM_H, 0, "........xx......" },
		{ DR_TOM_HM, 0, "..........xx...." },
		{ DR_TOM_L, 0, "............xx.." },
		{ DR_TOM_LF, 0, "..............xX" },
		{ DR_KICK, 0, "........x...x..." } } },
	{ "kicksnare", 12, {
		{ DR_SNARE, 0, "............x.xx" },
		{ DR_KICK, 0, ".............x.." } } },
	{ NULL, 0, { { 0, 0, NULL } } }
};

static const struct pattern *
find(const struct pattern *table, const char *name, size_t len)
{
	for (; table->name != NULL; table++)
		if (strlen(table->name) == len &&
		    strncmp(table->name, name, len) == 0)
			return table;
	return NULL;
}

int
drums_known(const char *name, int fill)
{
	const struct pattern *p = find(fill ? fills : grooves, name,
	    strlen(name));
	int i;

	if (p == NULL)
		return 0;
	for (i = 0; i < LINES && p->lines[i].steps != NULL; i++)
		if (strlen(p->lines[i].steps) != STEPS ||
		    strspn(p->lines[i].steps, ".oxX") != STEPS)
			return 0;
	return 1;
}

/* One of the comma-separated names in list, drawn with r. */
static const struct pattern *
pick(const struct pattern *table, const char *list, struct rng *r, int i)
{
	char name[32];
	int n = gm_count(list);

	if (n == 0)
		return NULL;
	if (i < 0)
		i = rng_below(r, n);
	if (gm_item(list, i % n, name, sizeof(name)) == -1)
		return NULL;
	return find(table, name, strlen(name));
}

static int
velocity(char c, const struct music_bar *b, struct rng *r)
{
	int v = c == 'o' ? 42 : c == 'X' ? 112 : 86;

	v = (int)(v * (0.75 + 0.3 * b->energy)) + rng_range(r, -5, 5);
	return v < 1 ? 1 : v > 127 ? 127 : v;
}

static void
play(struct music_arr *a, struct music_track *t, const struct pattern *p,
    const struct music_bar *b, long at, int from, int to, struct rng *r)
{
	const struct line *l;
	int i, s;
	char c;

	for (i = 0; i < LINES && p->lines[i].steps != NULL; i++) {
		l = &p->lines[i];
		if (b->energy < l->min)
			continue;
		for (s = from; s < to; s++) {
			if ((c = l->steps[s]) == '.')
				continue;
			/* The crash takes the hat's place on the one. */
			if (s == 0 && b->crash && (l->key == DR_HAT ||
			    l->key == DR_RIDE))
				continue;
			score_note(t, arr_time(a, at + s * SIXTEENTH, r,
			    s == 0 ? 0 : 4), SIXTEENTH, l->key,
			    velocity(c, b, r));
		}
	}
}

void
drums_write(struct music_arr *a)
{
	const struct music_mood *m = a->mood;
	const struct pattern *groove[2], *fill;
	struct music_track *t;
	struct music_bar *b;
	struct rng r;
	int kit, i;
	long at;

	rng_seed(&r, a->seed, "drums");
	if ((kit = gm_pick(m->kits, &r, 1)) < 0)
		return;
	groove[0] = pick(grooves, m->grooves, &r, -1);
	groove[1] = pick(grooves, m->grooves, &r, -1);
	fill = pick(fills, m->fills, &r, -1);
	if (groove[0] == NULL || groove[1] == NULL)
		return;
	t = score_track(a->s, "drums", STEM_DRUMS, 128, kit);
	t->volume = 100;
	t->reverb = m->reverb / 3;
	for (i = 0; i < a->bars; i++) {
		b = &a->bar[i];
		at = (long)i * BAR;
		if (b->crash)
			score_note(t, at, PPQ, DR_CRASH, velocity('x', b, &r));
		if (b->section == SEC_END) {
			score_note(t, at, PPQ, DR_KICK, velocity('x', b, &r));
			continue;
		}
		if (b->section != SEC_A && b->section != SEC_B &&
		    b->section != SEC_OUTRO)
			continue;
		if (b->fill && fill != NULL && b->energy >= 0.45) {
			play(a, t, groove[b->section == SEC_B], b, at, 0,
			    fill->from, &r);
			play(a, t, fill, b, at, fill->from, STEPS, &r);
		} else {
			play(a, t, groove[b->section == SEC_B], b, at, 0,
			    STEPS, &r);
		}
	}
}
