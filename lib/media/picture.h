/*
 * picture.h - still pictures for the renderer: decoded images, flat
 * colours and gradients as video frames, fitted to the output frame,
 * and a pool that recycles frame memory.
 *
 * Frames are yuv420p, limited range, BT.709 (what the encoder takes),
 * with width and height even.  Internal to lib/media.
 *
 * Ownership: every AVFrame returned is new and the caller's
 * (av_frame_free); a struct picture_pool owns its buffers until
 * picture_pool_release(), and frames taken from it keep the memory alive
 * until they are freed, wherever they went (libavfilter holds them).
 */
#ifndef AG_MEDIA_PICTURE_H
#define AG_MEDIA_PICTURE_H

#include <stdint.h>

#include "media/edl.h"

struct agency;
struct AVFrame;
struct AVBufferPool;

/* Decode the first picture of an image file, in its own pixel format. */
int picture_load(struct agency *ag, const char *path, struct AVFrame **out);

/*
 * picture_fit() - src scaled to w x h: FIT_COVER fills the frame and
 * crops around the focus point (fx, fy: 0..1 of the picture), FIT_CONTAIN
 * shows it whole on black.  High quality (lanczos): done once per still.
 */
int picture_fit(struct agency *ag, const struct AVFrame *src, int w, int h,
    enum edl_fit fit, double fx, double fy, struct AVFrame **out);

/* A flat colour (0xRRGGBB), or a linear gradient from c0 to c1. */
int picture_color(struct agency *ag, int w, int h, uint32_t rgb,
    struct AVFrame **out);
int picture_gradient(struct agency *ag, int w, int h, uint32_t c0,
    uint32_t c1, double degrees, struct AVFrame **out);

/* Frames of one size from recycled memory. */
struct picture_pool {
	struct AVBufferPool *pool;
	int w, h;
	int stride[3];
	size_t size;
};

void picture_pool_init(struct picture_pool *p, int w, int h);
/* A writable frame (contents undefined), or NULL when out of memory. */
struct AVFrame *picture_pool_get(struct picture_pool *p);
void picture_pool_release(struct picture_pool *p);

#endif
