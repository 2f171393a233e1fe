/*
 * mix.h - the sound of a render: the EDL's voice and music mixed in a
 * libavfilter graph, and brought to the target loudness.
 *
 * Two passes, both streamed, so a ten-minute render holds no more audio
 * in memory than a one-minute one.  Pass one (mix_new) runs the graph:
 *
 *	voice: decode, 48 kHz stereo, delay, gain, acompressor (TTS is
 *	       peaky: the compressor lets loudness rise before the
 *	       limiter has to act), then split: one copy to the mix, one
 *	       as the key of ...
 *	music: decode, 48 kHz stereo, delay, gain, sidechaincompress
 *	       keyed by the voice (the music ducks while someone speaks)
 *	amix (no normalising), pad or trim to the exact length,
 *
 * measures it (EBU R128, lib/media/loudness.h) and spools it to an
 * unlinked temporary file.  Pass two (mix_read) reads the spool back
 * through a second graph: the gain that reaches the target loudness,
 * then alimiter a margin under the true-peak ceiling (AAC adds a few
 * tenths of a dB to true peaks), and measures what comes out.
 *
 * Internal to lib/media.  A struct mix owns its graphs and its spool.
 */
#ifndef AG_MEDIA_MIX_H
#define AG_MEDIA_MIX_H

#include <stdint.h>

#include "media/loudness.h"

#define MIX_RATE 48000

struct agency;
struct edl;
struct mix;
struct AVFrame;

/* Pass one; *out is ready for mix_read(). */
int mix_new(struct agency *ag, const struct edl *e, struct mix **out);
/*
 * mix_read() - the next frame of final audio (new; interleaved float,
 * stereo, MIX_RATE), with exactly want samples but at the end; AG_FALSE
 * after the last.  skip samples are dropped from the very start (the
 * encoder's priming, so that sound and picture stay in step).
 */
int mix_read(struct agency *ag, struct mix *m, int want, int skip,
    struct AVFrame **out);
/* The mix as measured in pass one, and as it came out of pass two. */
void mix_loudness(const struct mix *m, struct loudness *before,
    struct loudness *after);
int64_t mix_samples(const struct mix *m);
void mix_free(struct mix *m);

#endif
