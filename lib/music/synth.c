/*
 * synth.c - play a score through libfluidsynth, with no audio driver.
 *
 * The notes become events at exact frames: the score's length in ticks
 * is mapped onto frames frames, so the music ends exactly where the bed
 * does whatever the tempo.  Between events the synthesizer renders with
 * fluid_synth_process().  When stems are wanted it renders into four
 * stereo audio groups, each with its own reverb and chorus: MIDI channel
 * c sounds in group c % 4, which is how the stems come out of one pass
 * and why they add up to the mix.  Otherwise one group and one set of
 * effects do, which costs a third less; reverb and chorus are linear,
 * so that mix is the same but for rounding in the last bits.
 * FluidSynth applies events at its 64-frame block boundaries, so a note
 * may start up to 64 frames late (1.3 ms at 48 kHz), the same every run.
 *
 * Settings that change the sound are fixed here and nowhere else
 * (gain, interpolation, effects, dynamic sample loading), because the
 * same seed must give the same samples.  FluidSynth's messages go to
 * the debug log; its last error is kept for ours.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <fluidsynth.h>

#include "agency.h"
#include "music/score.h"

#define CHUNK 1024			/* most frames rendered per call */
#define GROUPS MUSIC_STEMS
#define GAIN 0.35

struct event {
	size_t at;			/* frame */
	int on;				/* 0 off, 1 on */
	int chan, key, vel;
};

static char lasterr[256];

static void
logfn(int level, const char *msg, void *data)
{
	struct agency *ag = data;

	if (level <= FLUID_ERR)
		snprintf(lasterr, sizeof(lasterr), "%s", msg);
	if (ag != NULL)
		ag_debug(ag, "fluidsynth: %s", msg);
}

static void
logto(struct agency *ag)
{
	int l;

	for (l = FLUID_PANIC; l <= FLUID_DBG; l++)
		fluid_set_log_function(l, logfn, ag);
}

static int
cmpevent(const void *pa, const void *pb)
{
	const struct event *a = pa, *b = pb;

	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	if (a->on != b->on)
		return a->on - b->on;
	if (a->chan != b->chan)
		return a->chan - b->chan;
	return a->key - b->key;
}

static struct event *
events(const struct music_score *s, size_t frames, size_t *count)
{
	double fpt = (double)frames / s->length;	/* frames per tick */
	const struct music_track *t;
	struct event *ev;
	size_t n = 0, total = 0, i;
	int k;

	for (k = 0; k < s->ntracks; k++)
		total += 2 * s->tracks[k].n;
	ev = xcalloc(total + 1, sizeof(*ev));
	for (k = 0; k < s->ntracks; k++) {
		t = &s->tracks[k];
		for (i = 0; i < t->n; i++) {
			ev[n].at = (size_t)llround(t->notes[i].start * fpt);
			ev[n].on = 1;
			ev[n].chan = t->chan;
			ev[n].key = t->notes[i].key;
			ev[n++].vel = t->notes[i].vel;
			ev[n].at = (size_t)llround((t->notes[i].start +
			    t->notes[i].len) * fpt);
			ev[n].chan = t->chan;
			ev[n++].key = t->notes[i].key;
		}
	}
	qsort(ev, n, sizeof(*ev), cmpevent);
	*count = n;
	return ev;
}

static fluid_settings_t *
settings(int rate, int groups)
{
	fluid_settings_t *set = new_fluid_settings();

	if (set == NULL)
		return NULL;
	fluid_settings_setnum(set, "synth.sample-rate", rate);
	fluid_settings_setnum(set, "synth.gain", GAIN);
	fluid_settings_setint(set, "synth.audio-channels", groups);
	fluid_settings_setint(set, "synth.audio-groups", groups);
	fluid_settings_setint(set, "synth.effects-groups", groups);
	fluid_settings_setint(set, "synth.cpu-cores", 1);
	fluid_settings_setint(set, "synth.threadsafe-api", 0);
	fluid_settings_setint(set, "synth.dynamic-sample-loading", 1);
	fluid_settings_setint(set, "synth.lock-memory", 0);
	fluid_settings_setint(set, "synth.reverb.active", 1);
	fluid_settings_setint(set, "synth.chorus.active", 1);
	fluid_settings_setint(set, "synth.polyphony", 256);
	return set;
}

/* Instruments and mixer settings for every track's channel. */
static void
setup(struct agency *ag, fluid_synth_t *syn, int sfid,
    const struct music_score *s)
{
	const struct music_track *t;
	int k;

	fluid_synth_set_reverb_group_roomsize(syn, -1, s->room);
	fluid_synth_set_reverb_group_damp(syn, -1, 0.35);
	fluid_synth_set_reverb_group_width(syn, -1, 0.9);
	fluid_synth_set_reverb_group_level(syn, -1, s->reverb_level);
	for (k = 0; k < s->ntracks; k++) {
		t = &s->tracks[k];
		if (fluid_synth_program_select(syn, t->chan, sfid,
		    (unsigned)t->bank, (unsigned)t->program) != FLUID_OK) {
			ag_warn(ag, "the SoundFont has no %s %d for the %s; "
			    "using the first", t->bank == 128 ? "drum kit" :
			    "program", t->program, t->name);
			fluid_synth_program_select(syn, t->chan, sfid,
			    (unsigned)t->bank, 0);
		}
		fluid_synth_cc(syn, t->chan, 7, t->volume);
		fluid_synth_cc(syn, t->chan, 10, t->pan);
		fluid_synth_cc(syn, t->chan, 91, t->reverb);
		fluid_synth_cc(syn, t->chan, 93, t->chorus);
	}
}

int
synth_render(struct agency *ag, const struct music_score *s,
    const char *soundfont, int rate, size_t frames, size_t tail,
    float *mix, float *stems[MUSIC_STEMS], struct ag_progress *pg)
{
	fluid_settings_t *set = NULL;
	fluid_synth_t *syn = NULL;
	struct event *ev = NULL;
	float *pool = NULL, *dry[2 * GROUPS], *fx[4 * GROUPS], *d, l, r;
	size_t nev = 0, e = 0, pos = 0, total = frames + tail, n, i, next;
	int sfid, g, ng, rc = AG_OK;

	lasterr[0] = '\0';
	logto(ag);
	for (ng = 1, g = 0; g < GROUPS; g++)
		if (stems[g] != NULL)
			ng = GROUPS;
	if ((set = settings(rate, ng)) == NULL ||
	    (syn = new_fluid_synth(set)) == NULL) {
		rc = ag_fail(ag, AG_SOFTWARE, "fluidsynth: cannot start: %s",
		    lasterr[0] ? lasterr : "out of memory");
		goto out;
	}
	if ((sfid = fluid_synth_sfload(syn, soundfont, 1)) == FLUID_FAILED) {
		rc = ag_fail(ag, AG_CONFIG, "soundfont '%s': FluidSynth "
		    "cannot load it: %s", soundfont, lasterr[0] ? lasterr :
		    "unknown error");
		goto out;
	}
	setup(ag, syn, sfid, s);
	ev = events(s, frames, &nev);
	pool = xmalloc(6 * GROUPS * CHUNK * sizeof(*pool));
	for (g = 0; g < 2 * GROUPS; g++)
		dry[g] = pool + (size_t)g * CHUNK;
	for (g = 0; g < 4 * GROUPS; g++)
		fx[g] = pool + (size_t)(2 * GROUPS + g) * CHUNK;
	while (pos < total) {
		for (; e < nev && ev[e].at <= pos; e++) {
			if (ev[e].on)
				fluid_synth_noteon(syn, ev[e].chan, ev[e].key,
				    ev[e].vel);
			else
				fluid_synth_noteoff(syn, ev[e].chan,
				    ev[e].key);
		}
		next = e < nev && ev[e].at < total ? ev[e].at : total;
		n = next - pos < CHUNK ? next - pos : CHUNK;
		for (g = 0; g < 2 * ng; g++)
			memset(dry[g], 0, n * sizeof(*pool));
		for (g = 0; g < 4 * ng; g++)
			memset(fx[g], 0, n * sizeof(*pool));
		if (fluid_synth_process(syn, (int)n, 4 * ng, fx, 2 * ng,
		    dry) != FLUID_OK) {
			rc = ag_fail(ag, AG_SOFTWARE, "fluidsynth: rendering "
			    "failed: %s", lasterr[0] ? lasterr : "unknown");
			goto out;
		}
		for (g = 0; g < ng; g++) {
			d = stems[g] != NULL ? stems[g] + 2 * pos : NULL;
			for (i = 0; i < n; i++) {
				/* dry + reverb + chorus, per side */
				l = dry[2 * g][i] + fx[4 * g][i] +
				    fx[4 * g + 2][i];
				r = dry[2 * g + 1][i] + fx[4 * g + 1][i] +
				    fx[4 * g + 3][i];
				if (d != NULL) {
					d[2 * i] = l;
					d[2 * i + 1] = r;
				}
				if (g == 0) {
					mix[2 * (pos + i)] = l;
					mix[2 * (pos + i) + 1] = r;
				} else {
					mix[2 * (pos + i)] += l;
					mix[2 * (pos + i) + 1] += r;
				}
			}
		}
		pos += n;
		if (pg != NULL)
			ag_progress_update(pg, (double)pos);
	}
out:
	free(pool);
	free(ev);
	if (syn != NULL)
		delete_fluid_synth(syn);
	if (set != NULL)
		delete_fluid_settings(set);
	logto(NULL);
	return rc;
}
