/*
 * kenburns.h - a slow zoom and pan over a still, frame by frame.
 *
 * Why not libavfilter's zoompan: it costs ~15 ms a frame on a 2x
 * source, runs on one thread, and moves in whole pixels, so slow zooms
 * jitter (reference/video.md §5.4).  Here the still is scaled once, with
 * lanczos, to the frame size times the largest zoom; each frame is then
 * one bilinear resample of a window with sub-pixel position and size,
 * which is smooth and a few milliseconds at 1080x1920.
 *
 * Calling sequence:
 *	kenburns_init(ag, &kb, picture, w, h, &motion, fx, fy);
 *	for each frame: kenburns_render(&kb, t, frame);	t from 0 to 1
 *	kenburns_release(&kb);
 * A picture already at the working size (w and h times the largest
 * zoom, yuv420p, limited-range BT.709: another segment's kb.pic) is
 * shared by reference rather than fitted again.
 * Internal to lib/media.  kb owns its scaled picture and tables.
 */
#ifndef AG_MEDIA_KENBURNS_H
#define AG_MEDIA_KENBURNS_H

#include <stdint.h>

#include "media/edl.h"

struct agency;
struct AVFrame;

struct kenburns {
	struct AVFrame *pic;		/* yuv420p, w*zmax by h*zmax */
	int w, h;			/* the output frame */
	double zmax;
	struct edl_motion m;
	int32_t *xi;			/* per output column: source x */
	uint32_t *xw;			/* its weights: (256 - f) | f << 16 */
	uint16_t *row;			/* two source rows blended */
	uint8_t *mask;			/* byte shuffles, 4 per column */
	int simd;			/* use AVX2 (set where the CPU has it;
					 * 0 forces the plain C path) */
};

int kenburns_init(struct agency *ag, struct kenburns *kb,
    const struct AVFrame *picture, int w, int h,
    const struct edl_motion *m, double fx, double fy);
/* Draw the view at t (0: the motion's start, 1: its end) into out. */
void kenburns_render(struct kenburns *kb, double t, struct AVFrame *out);
void kenburns_release(struct kenburns *kb);

#endif
