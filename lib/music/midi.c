/*
 * midi.c - a score as a Standard MIDI File, format 1.
 *
 * Track 0 is the conductor: the name, time signature (4/4), key
 * signature, tempo and a marker at each section.  Then one track per
 * part, named after it, with its bank and program, volume, pan, reverb
 * and chorus sends, and its notes; the drums are on channel 10 (9 from
 * 0), where General MIDI players look for them, with the kit as the
 * program.  Times are delta ticks at PPQ per quarter note; at one tick
 * a note-off goes before a note-on, so a repeated note is struck again.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agency.h"
#include "music/score.h"

struct event {
	uint32_t at;
	int order;			/* at one tick: offs before ons */
	unsigned char b[3];
	int len;
};

static void
be32(struct buf *out, uint32_t v)
{
	unsigned char b[4] = { (unsigned char)(v >> 24),
	    (unsigned char)(v >> 16), (unsigned char)(v >> 8),
	    (unsigned char)v };

	buf_add(out, b, 4);
}

static void
vlq(struct buf *out, uint32_t v)
{
	unsigned char b[5];
	int n = 0;

	b[n++] = v & 0x7f;
	while ((v >>= 7) != 0)
		b[n++] = (unsigned char)(0x80 | (v & 0x7f));
	while (n > 0)
		buf_addch(out, b[--n]);
}

static void
meta(struct buf *out, uint32_t delta, int type, const void *data,
    size_t len)
{
	vlq(out, delta);
	buf_addch(out, 0xff);
	buf_addch(out, type);
	vlq(out, (uint32_t)len);
	buf_add(out, data, len);
}

/* Wrap the events in body as an MTrk chunk. */
static void
chunk(struct buf *out, const struct buf *body)
{
	buf_add(out, "MTrk", 4);
	be32(out, (uint32_t)body->len + 4);
	buf_add(out, body->data, body->len);
	buf_add(out, "\x00\xff\x2f\x00", 4);	/* end of track */
}

static int
cmpevent(const void *pa, const void *pb)
{
	const struct event *a = pa, *b = pb;

	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	if (a->order != b->order)
		return a->order - b->order;
	return memcmp(a->b, b->b, 3);
}

static void
conductor(const struct music_score *s, struct buf *out)
{
	struct buf t = BUF_INIT;
	unsigned char ts[4] = { 4, 2, 24, 8 }, ks[2], tempo[3];
	char name[128], key[32];
	uint32_t us, at = 0;
	int minor, i;

	theory_key_name(&s->key, key, sizeof(key));
	snprintf(name, sizeof(name), "%s, %s, seed %llu", s->mood->name, key,
	    (unsigned long long)s->seed);
	meta(&t, 0, 0x03, name, strlen(name));
	meta(&t, 0, 0x58, ts, 4);
	ks[0] = (unsigned char)(signed char)theory_signature(&s->key, &minor);
	ks[1] = (unsigned char)minor;
	meta(&t, 0, 0x59, ks, 2);
	us = (uint32_t)lround(60e6 / s->bpm);
	tempo[0] = (unsigned char)(us >> 16);
	tempo[1] = (unsigned char)(us >> 8);
	tempo[2] = (unsigned char)us;
	meta(&t, 0, 0x51, tempo, 3);
	for (i = 0; i < s->nmarkers; i++) {
		meta(&t, s->markers[i].at - at, 0x06, s->markers[i].name,
		    strlen(s->markers[i].name));
		at = s->markers[i].at;
	}
	/* The end of the last bar, so players keep the full length. */
	vlq(&t, s->length - at);
	buf_add(&t, "\xff\x01\x00", 3);
	chunk(out, &t);
	buf_release(&t);
}

static void
track(const struct music_track *tr, struct buf *out)
{
	struct buf t = BUF_INIT;
	struct event *ev;
	uint32_t at = 0;
	size_t i, n = 0;
	int c = tr->chan;

	meta(&t, 0, 0x03, tr->name, strlen(tr->name));
	ev = xcalloc(2 * tr->n + 1, sizeof(*ev));
	/* Bank select is for melodic channels; channel 10 is drums. */
	if (tr->bank < 128) {
		unsigned char bs[] = { 0, (unsigned char)(0xb0 | c), 0,
		    (unsigned char)tr->bank, 0, (unsigned char)(0xb0 | c), 32,
		    0 };

		buf_add(&t, bs, sizeof(bs));
	}
	{
		unsigned char pc = (unsigned char)(0xc0 | c);
		unsigned char cc = (unsigned char)(0xb0 | c);
		unsigned char setup[] = {
			0, pc, (unsigned char)tr->program,
			0, cc, 7, (unsigned char)tr->volume,
			0, cc, 10, (unsigned char)tr->pan,
			0, cc, 91, (unsigned char)tr->reverb,
			0, cc, 93, (unsigned char)tr->chorus,
		};

		buf_add(&t, setup, sizeof(setup));
	}
	for (i = 0; i < tr->n; i++) {
		const struct music_note *no = &tr->notes[i];

		ev[n].at = no->start;
		ev[n].order = 1;
		ev[n].b[0] = (unsigned char)(0x90 | c);
		ev[n].b[1] = no->key;
		ev[n].b[2] = no->vel;
		n++;
		ev[n].at = no->start + no->len;
		ev[n].order = 0;
		ev[n].b[0] = (unsigned char)(0x80 | c);
		ev[n].b[1] = no->key;
		ev[n].b[2] = 64;
		n++;
	}
	qsort(ev, n, sizeof(*ev), cmpevent);
	for (i = 0; i < n; i++) {
		vlq(&t, ev[i].at - at);
		buf_add(&t, ev[i].b, 3);
		at = ev[i].at;
	}
	free(ev);
	chunk(out, &t);
	buf_release(&t);
}

void
midi_encode(const struct music_score *s, struct buf *out)
{
	int i;

	buf_add(out, "MThd", 4);
	be32(out, 6);
	buf_addch(out, 0);
	buf_addch(out, 1);			/* format 1 */
	buf_addch(out, (s->ntracks + 1) >> 8);
	buf_addch(out, (s->ntracks + 1) & 0xff);
	buf_addch(out, PPQ >> 8);
	buf_addch(out, PPQ & 0xff);
	conductor(s, out);
	for (i = 0; i < s->ntracks; i++)
		track(&s->tracks[i], out);
}

int
midi_write(struct agency *ag, const struct music_score *s, const char *path)
{
	struct buf b = BUF_INIT;
	int rc;

	midi_encode(s, &b);
	rc = ag_write_file(ag, path, b.data, b.len, 0644);
	buf_release(&b);
	return rc;
}
