/* score.c - the score: tracks on MIDI channels, notes, markers. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "agency.h"
#include "music/score.h"

void
score_free(struct music_score *s)
{
	int i;

	if (s == NULL)
		return;
	for (i = 0; i < s->ntracks; i++)
		free(s->tracks[i].notes);
	free(s);
}

/* A free channel that sounds in stem: c % 4 == stem; 9 is the drums'. */
static int
channel(const struct music_score *s, int stem)
{
	int c, i, used;

	if (stem == STEM_DRUMS)
		return 9;
	for (c = stem; c < 16; c += 4) {
		if (c == 9)
			continue;
		for (used = 0, i = 0; i < s->ntracks; i++)
			used |= s->tracks[i].chan == c;
		if (!used)
			return c;
	}
	return -1;
}

struct music_track *
score_track(struct music_score *s, const char *name, int stem, int bank,
    int program)
{
	struct music_track *t;
	int c = channel(s, stem);

	assert(s->ntracks < MUSIC_TRACKS && c != -1);
	t = &s->tracks[s->ntracks++];
	memset(t, 0, sizeof(*t));
	t->name = name;
	t->stem = stem;
	t->chan = c;
	t->bank = bank;
	t->program = program;
	t->volume = 100;
	t->pan = 64;
	return t;
}

void
score_note(struct music_track *t, long start, long len, int key, int vel)
{
	struct music_note *n;

	if (start < 0) {
		len += start;
		start = 0;
	}
	if (len <= 0 || key < 0 || key > 127)
		return;
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->notes = xreallocarray(t->notes, t->cap, sizeof(*t->notes));
	}
	n = &t->notes[t->n++];
	n->start = (uint32_t)start;
	n->len = (uint32_t)len;
	n->key = (uint8_t)key;
	n->vel = (uint8_t)(vel < 1 ? 1 : vel > 127 ? 127 : vel);
}

void
score_marker(struct music_score *s, uint32_t at, const char *name)
{
	if (s->nmarkers == MUSIC_MARKERS)
		return;
	s->markers[s->nmarkers].at = at;
	snprintf(s->markers[s->nmarkers].name,
	    sizeof(s->markers[0].name), "%s", name);
	s->nmarkers++;
}

static int
cmpnote(const void *pa, const void *pb)
{
	const struct music_note *a = pa, *b = pb;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->key != b->key)
		return a->key - b->key;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return a->vel - b->vel;
}

void
score_finish(struct music_score *s)
{
	struct music_track *t;
	struct music_note *n;
	long last[128];
	size_t i, k;
	int ti;

	for (ti = 0; ti < s->ntracks; ti++) {
		t = &s->tracks[ti];
		if (t->n > 1)
			qsort(t->notes, t->n, sizeof(*t->notes), cmpnote);
		for (i = 0; i < 128; i++)
			last[i] = -1;
		/* A key struck again cuts the note still sounding. */
		for (i = 0; i < t->n; i++) {
			n = &t->notes[i];
			if (last[n->key] >= 0) {
				struct music_note *p = &t->notes[last[n->key]];

				if (p->start + p->len > n->start)
					p->len = n->start - p->start;
			}
			last[n->key] = (long)i;
		}
		/* Nothing sounds past the end: a loop wraps there. */
		for (i = k = 0; i < t->n; i++) {
			n = &t->notes[i];
			if (n->start >= s->length || n->len == 0)
				continue;
			if (n->start + n->len > s->length)
				n->len = s->length - n->start;
			t->notes[k++] = *n;
		}
		t->n = k;
	}
}
