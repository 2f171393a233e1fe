/*
 * encode.h - frames to an MP4 file: libx264 and AAC through libavcodec,
 * muxed by libavformat, the way platforms want it (reference/video.md
 * §6): H.264 High, yuv420p, closed GOPs of two seconds, a VBV cap,
 * BT.709 tags; AAC-LC 48 kHz stereo 192 kb/s; the moov box first
 * (faststart) and no edit lists.  Without edit lists B-frames would
 * delay the first picture, so composition offsets may be negative
 * (ctts version 1), and the encoder's audio priming is taken off the
 * front of the sound by the caller (encoder_priming()).
 *
 * Calling sequence:
 *	encoder_open(); then encoder_video() and encoder_audio() in any
 *	order (the muxer interleaves); encoder_finish(); encoder_free().
 * Internal to lib/media.  The encoder writes path itself (the muxer
 * reopens the file to move the moov box); the caller makes path a
 * temporary name and renames it.
 */
#ifndef AG_MEDIA_ENCODE_H
#define AG_MEDIA_ENCODE_H

#include <stdint.h>

struct agency;
struct encoder;
struct media_quality;
struct AVFrame;

struct encode_params {
	const char *path;
	int width, height, fps;
	const struct media_quality *quality;
	int threads;			/* 0: as many as the machine has */
};

int encoder_open(struct agency *ag, const struct encode_params *p,
    struct encoder **out);
/* A picture, pts in frames (1/fps). */
int encoder_video(struct agency *ag, struct encoder *enc,
    const struct AVFrame *f);
/*
 * Sound: interleaved float stereo at 48 kHz, pts in samples, exactly
 * encoder_audio_frame_size() samples but the last frame.
 */
int encoder_audio(struct agency *ag, struct encoder *enc,
    const struct AVFrame *f);
int encoder_audio_frame_size(const struct encoder *enc);
/* Samples of silence the AAC encoder puts before the first sample. */
int encoder_priming(const struct encoder *enc);
/* Flush both encoders and write the index (the faststart pass). */
int encoder_finish(struct agency *ag, struct encoder *enc);
void encoder_free(struct encoder *enc);

#endif
