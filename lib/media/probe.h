/*
 * probe.h - what a media file holds: kind, duration, streams, and the
 * MP4 facts platforms care about (moov before mdat, edit lists).
 *
 * media_probe() opens the file with libavformat, reads enough packets to
 * know the streams, and for MP4/MOV files walks the box tree itself
 * (libavformat applies edit lists silently and does not say where the
 * moov box is).  Nothing is decoded beyond what stream probing needs, so
 * probing a 4 GiB file costs a few reads.
 *
 * Errors: AG_NOINPUT when the file cannot be opened, AG_DATAERR when it
 * is not a media file libavformat knows or has no usable stream; the
 * message names the file.  On error *out is untouched.
 */
#ifndef AG_MEDIA_PROBE_H
#define AG_MEDIA_PROBE_H

#include <stdint.h>

struct agency;
struct cJSON;

enum probe_kind {
	PROBE_VIDEO,			/* moving pictures, maybe with sound */
	PROBE_IMAGE,			/* one still picture */
	PROBE_AUDIO			/* sound only */
};

struct media_probe {
	enum probe_kind kind;
	char format[32];		/* the demuxer: "mov,mp4,...", "wav" */
	double duration;		/* seconds; 0 for a still */
	int64_t bytes;
	int64_t bit_rate;		/* bits/s over the whole file; 0 unknown */
	int has_video, has_audio;
	/* The first video stream. */
	char vcodec[32];		/* "h264" */
	char vprofile[32];		/* "High", "" when unknown */
	char pix_fmt[32];		/* "yuv420p" */
	char color_space[16];		/* "bt709", "" when unset */
	int width, height;		/* as displayed (rotation applied) */
	int rotation;			/* degrees clockwise, 0/90/180/270 */
	double fps;			/* average frame rate; 0 for a still */
	int64_t frames;			/* frame count when the file says */
	int64_t vbit_rate;
	/* The first audio stream. */
	char acodec[32];		/* "aac" */
	char aprofile[32];		/* "LC" */
	int sample_rate, channels;
	int64_t abit_rate;
	/* MP4/MOV only: -1 when not an ISO media file. */
	int faststart;			/* 1: moov before mdat */
	int edit_lists;			/* elst boxes found */
};

int media_probe(struct agency *ag, const char *path, struct media_probe *out);

/*
 * media_probe_print() - agency-probe(1): an agency.probe document for
 * each of the n files on stdout, going on past one that fails (its
 * error line on stderr); returns the worst status, the error cleared.
 */
int media_probe_print(struct agency *ag, char *const *files, int n);

/*
 * The probe as a JSON object (new; the caller frees it), and back:
 * media_probe_parse() fills *out from such an object, 0 or -1 when it
 * is not one.  probedoc.c, which needs no FFmpeg.
 */
struct cJSON *media_probe_json(const struct media_probe *p);
int media_probe_parse(const struct cJSON *o, struct media_probe *out);

const char *media_probe_kind_name(enum probe_kind k);

#endif
