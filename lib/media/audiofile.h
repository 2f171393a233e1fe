/*
 * audiofile.h - write PCM to WAV, FLAC or M4A with the FFmpeg libraries,
 * and read any file's sound back.
 *
 * The audio is interleaved 32-bit float PCM, full scale 1.0, the same
 * layout lib/media/loudness.h and lib/music use.  It is encoded in
 * process (libswresample converts, libavcodec encodes, libavformat
 * muxes; never the ffmpeg program):
 *
 *	wav	16-bit little-endian PCM, TPDF-dithered; exactly the frames
 *	flac	16-bit FLAC, lossless, the same samples as the WAV
 *	m4a	AAC-LC, 192 kb/s, in an MP4 (.m4a) container; AAC adds an
 *		encoder delay that the container's edit list hides, and may
 *		raise true peaks by a few tenths of a dB
 *
 * Output is bit-exact for the same input (no version strings, no
 * dates), so the same PCM gives the same file.
 *
 * audiofile_write() writes a file atomically (a temporary file renamed
 * into place; nothing is left under the final name on failure) or, for
 * path "-", standard output.  audiofile_write_fd() writes to an open
 * descriptor: one that cannot seek (a pipe) gets the file built in
 * memory first, so that headers carry the real sizes.
 *
 * Errors: AG_USAGE for an unknown format or impossible PCM (no
 * channels), AG_CANTCREAT/AG_NOPERM when the file cannot be created,
 * AG_IOERR when a write fails, AG_UNAVAILABLE when this FFmpeg lacks the
 * encoder, AG_SOFTWARE for other FFmpeg failures.
 */
#ifndef AG_AUDIOFILE_H
#define AG_AUDIOFILE_H

#include <stddef.h>

struct agency;

enum audiofile_format {
	AUDIOFILE_WAV,
	AUDIOFILE_FLAC,
	AUDIOFILE_M4A
};

/* "wav", "flac" or "m4a" into *out; -1 for anything else. */
int audiofile_format_parse(const char *name, enum audiofile_format *out);
/* The format named by a path's extension (.wav, .flac, .m4a); -1 if none. */
int audiofile_format_guess(const char *path, enum audiofile_format *out);
const char *audiofile_format_name(enum audiofile_format f);
const char *audiofile_format_mime(enum audiofile_format f);

int audiofile_write(struct agency *ag, const char *path,
    enum audiofile_format f, const float *pcm, size_t frames, int channels,
    int rate);
/* name is for messages only. */
int audiofile_write_fd(struct agency *ag, int fd, const char *name,
    enum audiofile_format f, const float *pcm, size_t frames, int channels,
    int rate);

/*
 * audiofile_read() - decode the first audio stream of any file FFmpeg
 * reads into mono float PCM at rate Hz (a new array in *pcm, the caller
 * frees it).  Errors: AG_NOINPUT (cannot open), AG_DATAERR (no audio,
 * or it will not decode).
 */
int audiofile_read(struct agency *ag, const char *path, int rate,
    float **pcm, size_t *frames);
/*
 * audiofile_measure() - the loudness of a file's sound as a player hears
 * it (decoded, 48 kHz stereo), in constant memory: loudness.h's figures.
 */
struct loudness;
int audiofile_measure(struct agency *ag, const char *path,
    struct loudness *out);

#endif
