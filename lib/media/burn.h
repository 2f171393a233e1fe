/*
 * burn.h - captions burned into frames with libass, directly.
 *
 * Why not libavfilter's ass filter: it leaves libass's caches at their
 * defaults (a 128 MB bitmap and a 64 MB composite cache), which karaoke
 * captions at 1080x1920 fill minute after minute, so a render's memory
 * grew with its length; and it blends in BT.601 while our frames are
 * BT.709.  Here the caches are bounded (BURN_CACHE_MB: 3 MB in all;
 * karaoke redraws a line at every word, so a bigger cache only fills:
 * at 8 MB a 180 s render grew by 10 MB, at 2 MB by 6, no slower) and
 * the colours are converted with the frame's own matrix.
 *
 *	burn_open(ag, "/proc/self/fd/5", 1080, 1920, &b);
 *	for each frame: burn_frame(ag, b, frame, ms);
 *	burn_free(b);
 *
 * Frames are yuv420p, limited range, BT.709.  Internal to lib/media.
 */
#ifndef AG_MEDIA_BURN_H
#define AG_MEDIA_BURN_H

#include <stdint.h>

/* libass's bitmap cache, in MB; its composite cache gets half as much. */
#define BURN_CACHE_MB 2

struct agency;
struct burn;
struct AVFrame;

/* The ASS script at path, for w x h frames. */
int burn_open(struct agency *ag, const char *path, int w, int h,
    struct burn **out);
/*
 * burn_frame() - draw the captions showing at ms into f, which is made
 * writable first when something is to be drawn (a frame shared with
 * others is copied, never drawn on).
 */
int burn_frame(struct agency *ag, struct burn *b, struct AVFrame *f,
    int64_t ms);
void burn_free(struct burn *b);

#endif
