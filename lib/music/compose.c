/*
 * compose.c - music_compose(): parameters to finished PCM.
 *
 * Steps: check the parameters; settle the key (drawn from the seed and
 * the mood's modes unless given) and the tempo (whole bars, see
 * arrange.c); write the score; render it; then either fold the loop's
 * tail onto its start or shape the ending; and bring the whole to the
 * loudness target under the true-peak ceiling.
 *
 * The loop seam: the score's notes are cut at the loop's end and TAIL
 * seconds more are rendered, holding the release and reverb of what
 * was playing.  Added onto the start, that tail is exactly what the
 * loop's first seconds would hear when it follows itself, so the wrap
 * joins like any bar line inside the loop.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agency.h"
#include "music/score.h"

#define TAIL 5.0			/* seconds rendered past a loop */
#define FADE_OUT 1.5			/* the default end fade, seconds */
#define DECLICK 0.01			/* the shortest end fade */

const char *const music_stem_names[MUSIC_STEMS] = {
	[STEM_MELODY] = "melody", [STEM_DRUMS] = "drums",
	[STEM_BASS] = "bass", [STEM_HARMONY] = "harmony"
};

void
music_params_init(struct music_params *p)
{
	memset(p, 0, sizeof(*p));
	p->mood = "calm";
	p->duration = 30;
	p->rate = MUSIC_RATE;
	p->fade_out = -1;
	p->normalize = 1;
	p->loudness = -18;
	p->true_peak = -1.5;
}

static int
moods_list(char *buf, size_t len)
{
	const struct music_mood *m;
	size_t at = 0;

	buf[0] = '\0';
	for (m = music_moods; m->name != NULL && at < len; m++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s",
		    at ? ", " : "", m->name);
	return 0;
}

int
music_check(struct agency *ag, const struct music_params *p)
{
	struct music_key k;
	char list[256];

	if (p->mood != NULL && mood_find(p->mood) == NULL) {
		moods_list(list, sizeof(list));
		return ag_fail(ag, AG_USAGE, "unknown mood '%s'; the moods "
		    "are %s", p->mood, list);
	}
	if (!isfinite(p->duration) || p->duration <= 0)
		return ag_fail(ag, AG_USAGE, "duration %g: must be more than "
		    "0 seconds", p->duration);
	if (p->duration > MUSIC_MAX_SECONDS)
		return ag_fail(ag, AG_USAGE, "duration %g: longer than %d "
		    "seconds; make a loop (--loop) and repeat it",
		    p->duration, MUSIC_MAX_SECONDS);
	if (p->bpm != 0 && (!isfinite(p->bpm) || p->bpm < 30 ||
	    p->bpm > 300))
		return ag_fail(ag, AG_USAGE, "tempo %g: must be 30 to 300 "
		    "beats per minute", p->bpm);
	if (p->key != NULL && theory_key_parse(p->key, &k) == -1)
		return ag_fail(ag, AG_USAGE, "key '%s': expected a note and a "
		    "mode, such as 'A minor', 'F#m', 'Bb major' or 'D "
		    "dorian'", p->key);
	if (p->rate < MUSIC_RATE_MIN || p->rate > MUSIC_RATE_MAX)
		return ag_fail(ag, AG_USAGE, "sample rate %d: must be %d to "
		    "%d Hz", p->rate, MUSIC_RATE_MIN, MUSIC_RATE_MAX);
	if (!isfinite(p->fade_in) || p->fade_in < 0 ||
	    !isfinite(p->fade_out) ||
	    (p->fade_out >= 0 ? p->fade_out : 0) + p->fade_in > p->duration)
		return ag_fail(ag, AG_USAGE, "fades of %g and %g seconds do "
		    "not fit in %g seconds", p->fade_in, p->fade_out < 0 ? 0 :
		    p->fade_out, p->duration);
	if (p->loop && (p->fade_in > 0 || p->fade_out >= 0))
		return ag_fail(ag, AG_USAGE, "a loop has no fades: it joins "
		    "its own start");
	if (p->normalize && (!isfinite(p->loudness) || p->loudness < -60 ||
	    p->loudness > -5))
		return ag_fail(ag, AG_USAGE, "loudness %g: must be -60 to -5 "
		    "LUFS", p->loudness);
	if (p->normalize && (!isfinite(p->true_peak) || p->true_peak < -20 ||
	    p->true_peak > 0))
		return ag_fail(ag, AG_USAGE, "true peak %g: must be -20 to 0 "
		    "dBTP", p->true_peak);
	return AG_OK;
}

/* Seconds of CPU this process has used, for the debug log. */
static double
cputime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The key: as given, else a mode of the mood and any tonic, by seed. */
static void
choose_key(const struct music_params *p, const struct music_mood *m,
    struct music_key *k)
{
	struct rng r;
	char name[32];
	int mode;

	if (p->key != NULL && theory_key_parse(p->key, k) == 0)
		return;
	rng_seed(&r, p->seed, "key");
	mode = MODE_MAJOR;
	if (gm_item(m->modes, rng_below(&r, gm_count(m->modes)), name,
	    sizeof(name)) == 0 &&
	    (mode = theory_mode_parse(name, strlen(name))) == -1)
		mode = MODE_MAJOR;
	k->tonic = rng_below(&r, 12);
	k->mode = mode;
	k->flats = theory_signature(k, NULL) < 0;
}

/* Squared fades in and out, on one buffer (every stem gets the same). */
static void
fade(float *x, size_t frames, size_t in, size_t out)
{
	double g;
	size_t i;

	for (i = 0; i < in && i < frames; i++) {
		g = (double)i / (double)in;
		x[2 * i] *= (float)(g * g);
		x[2 * i + 1] *= (float)(g * g);
	}
	for (i = 0; i < out && i < frames; i++) {
		g = (double)i / (double)out;	/* 0 at the last frame */
		x[2 * (frames - 1 - i)] *= (float)(g * g);
		x[2 * (frames - 1 - i) + 1] *= (float)(g * g);
	}
}

/* Add the tail past the loop's end onto its start, wrapping as often
 * as a short loop needs. */
static void
fold(float *x, size_t frames, size_t tail)
{
	size_t i;

	for (i = 0; i < 2 * tail; i++)
		x[i % (2 * frames)] += x[2 * frames + i];
}

int
music_compose(struct agency *ag, const struct music_params *p,
    struct music_result *out)
{
	const struct music_mood *m;
	struct music_result res;
	struct music_key key;
	struct ag_progress pg;
	float *gain = NULL;
	size_t frames, tail, in = 0, fo = 0;
	double bpm, t0;
	int rc, g, bars;

	if ((rc = music_check(ag, p)) != AG_OK)
		return rc;
	memset(&res, 0, sizeof(res));
	m = mood_find(p->mood ? p->mood : "calm");
	choose_key(p, m, &key);
	arrange_fit(m, p->duration, p->bpm, p->loop, &bars, &bpm);
	if (bpm < m->bpm_lo - 0.5 || bpm > m->bpm_hi + 0.5)
		ag_info(ag, "tempo %.2f is outside %s's %g-%g to fit %g "
		    "seconds in %d bars", bpm, m->name, m->bpm_lo, m->bpm_hi,
		    p->duration, bars);
	if ((rc = soundfont_resolve(ag, p->soundfont, &res.soundfont)) !=
	    AG_OK)
		return rc;
	res.score = xcalloc(1, sizeof(*res.score));
	if ((rc = arrange_score(ag, m, &key, bars, bpm, p->loop, p->seed,
	    res.score)) != AG_OK)
		goto fail;

	frames = (size_t)llround(p->duration * p->rate);
	if (frames == 0)
		frames = 1;
	tail = p->loop ? (size_t)llround(TAIL * p->rate) : 0;
	res.pcm = xmalloc((frames + tail) * 2 * sizeof(*res.pcm));
	for (g = 0; g < MUSIC_STEMS && p->stems; g++)
		res.stems[g] = xmalloc((frames + tail) * 2 *
		    sizeof(*res.pcm));
	if (p->progress)
		ag_progress_start(ag, &pg, "composing",
		    (double)(frames + tail), 0);
	t0 = cputime();
	rc = synth_render(ag, res.score, res.soundfont, p->rate, frames, tail,
	    res.pcm, res.stems, p->progress ? &pg : NULL);
	ag_debug(ag, "rendered %zu frames in %.3f s of CPU", frames + tail,
	    cputime() - t0);
	if (p->progress)
		ag_progress_end(&pg);
	if (rc != AG_OK)
		goto fail;

	if (p->loop) {
		fold(res.pcm, frames, tail);
		for (g = 0; g < MUSIC_STEMS; g++)
			if (res.stems[g] != NULL)
				fold(res.stems[g], frames, tail);
	} else {
		in = (size_t)llround(p->fade_in * p->rate);
		fo = (size_t)llround((p->fade_out >= 0 ? p->fade_out :
		    fmin(FADE_OUT, p->duration / 4)) * p->rate);
		if (fo < (size_t)llround(DECLICK * p->rate))
			fo = (size_t)llround(DECLICK * p->rate);
		fade(res.pcm, frames, in, fo);
		for (g = 0; g < MUSIC_STEMS; g++)
			if (res.stems[g] != NULL)
				fade(res.stems[g], frames, in, fo);
	}

	t0 = cputime();
	if (p->normalize) {
		rc = loudness_normalize(ag, res.pcm, frames, 2, p->rate,
		    p->loudness, p->true_peak, &gain, &res.loudness);
		if (rc != AG_OK)
			goto fail;
		loudness_apply(res.pcm, frames, 2, gain);
		for (g = 0; g < MUSIC_STEMS; g++)
			if (res.stems[g] != NULL)
				loudness_apply(res.stems[g], frames, 2, gain);
		free(gain);
	} else if ((rc = loudness_measure(ag, res.pcm, frames, 2, p->rate,
	    &res.loudness)) != AG_OK) {
		goto fail;
	}

	ag_debug(ag, "loudness in %.3f s of CPU", cputime() - t0);
	res.frames = frames;
	res.rate = p->rate;
	res.channels = 2;
	res.mood = m->name;
	theory_key_name(&key, res.key, sizeof(res.key));
	res.bpm = bpm;
	res.bars = bars;
	res.seed = p->seed;
	ag_debug(ag, "%s in %s, %d bars at %.3f bpm, seed %llu: %.1f LUFS, "
	    "%.1f dBTP", m->name, res.key, bars, bpm,
	    (unsigned long long)p->seed, res.loudness.integrated,
	    res.loudness.true_peak);
	*out = res;
	return AG_OK;
fail:
	music_result_release(&res);
	return rc;
}

void
music_result_release(struct music_result *r)
{
	int g;

	free(r->pcm);
	for (g = 0; g < MUSIC_STEMS; g++)
		free(r->stems[g]);
	score_free(r->score);
	free(r->soundfont);
	memset(r, 0, sizeof(*r));
}
