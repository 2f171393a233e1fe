/*
 * loudness.h - EBU R128 loudness: measure it, and bring audio to a
 * target with a true-peak ceiling.
 *
 * Audio is interleaved 32-bit float PCM, full scale 1.0: frames frames
 * of channels samples each, at rate Hz.  Integrated loudness and
 * loudness range are libebur128's (ITU-R BS.1770-4 K-weighting and
 * gating); the true peak is BS.1770's 4x oversampling, computed only
 * where a peak can be (see loudness.c).  The figures agree with
 * ffmpeg's ebur128 filter to about 0.1 dB.
 *
 * Normalising is measure, gain, limit if need be, measure again:
 *
 *	float *gain = NULL;
 *	struct loudness after;
 *	rc = loudness_normalize(ag, mix, frames, 2, 48000, -18, -1.5,
 *	    &gain, &after);
 *	loudness_apply(mix, frames, 2, gain);	  // and to each stem
 *	free(gain);
 *
 * The result is a gain per frame rather than changed audio so that the
 * same gain can be applied to the parts of a mix (stems, voice and
 * music): the parts then still add up to the normalised mix exactly.
 * When no peak would pass the ceiling (minus 0.1 dB) the gain is one
 * number, the same for every frame, and after follows from the first
 * measurement.  Otherwise it is that gain times a look-ahead limiter
 * (5 ms look-ahead, 150 ms release) that keeps the true peak at or
 * under the ceiling; when the limiter costs loudness the gain is raised
 * and the whole is measured again, a few times at most.  Silence, and
 * audio shorter than one 400 ms gating block, have no integrated
 * loudness: the gain is then 1 and integrated is -HUGE_VAL.
 *
 * Errors: AG_OSERR when libebur128 cannot allocate, AG_USAGE for
 * impossible arguments (no channels, a rate under 8 kHz).
 */
#ifndef AG_LOUDNESS_H
#define AG_LOUDNESS_H

#include <stddef.h>

struct agency;

struct loudness {
	double integrated;		/* LUFS; -HUGE_VAL when undefined */
	double range;			/* LRA in LU; 0 when undefined */
	double true_peak;		/* dBTP, the loudest channel */
	double sample_peak;		/* dBFS */
};

int loudness_measure(struct agency *ag, const float *pcm, size_t frames,
    int channels, int rate, struct loudness *out);

/*
 * loudness_normalize() - the gain per frame (a new array of frames
 * floats in *gain, the caller frees it) that brings pcm to target LUFS
 * with its true peak at or under ceiling dBTP; after is the measurement
 * of pcm with that gain applied.  pcm is not changed.
 */
int loudness_normalize(struct agency *ag, const float *pcm, size_t frames,
    int channels, int rate, double target, double ceiling, float **gain,
    struct loudness *after);

/* Multiply every frame of pcm by its gain. */
void loudness_apply(float *pcm, size_t frames, int channels,
    const float *gain);

/*
 * A meter for audio that comes in pieces (a render streams it): the same
 * figures as loudness_measure() over all the frames added, in constant
 * memory.  loudness_meter_result() may be called once, at the end.
 */
struct loudness_meter;

int loudness_meter_new(struct agency *ag, int channels, int rate,
    struct loudness_meter **out);
int loudness_meter_add(struct agency *ag, struct loudness_meter *m,
    const float *pcm, size_t frames);
void loudness_meter_result(struct loudness_meter *m, struct loudness *out);
void loudness_meter_free(struct loudness_meter *m);

#endif
