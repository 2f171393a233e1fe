/*
 * vgraph.h - the picture side of a render: the EDL's video track as one
 * libavfilter graph, frame by frame.
 *
 * Each segment is a chain of its own: clips decode inside the graph
 * (movie, fps, scale, crop, tpad, trim); stills, colours and gradients
 * come from this file's code through a buffersrc (Ken Burns frames,
 * or one frame given again and again).  Segments are joined pairwise in
 * timeline order, by concat for a cut and by xfade for any other
 * transition; then the stream is split: one output is the video, the
 * other a tap of the same frames, for the thumbnail and the contact
 * sheet; the captions are burned into the video's frames only, as they
 * leave the graph (burn.h).
 *
 * vgraph_next() gives the frames in order, exactly round(duration * fps)
 * of them, pts 0, 1, 2, ... in 1/fps; it feeds whichever of our sources
 * the graph is waiting on.  Internal to lib/media.
 */
#ifndef AG_MEDIA_VGRAPH_H
#define AG_MEDIA_VGRAPH_H

#include <stdint.h>

struct agency;
struct edl;
struct vgraph;
struct AVFrame;

/*
 * vgraph_new() - build the graph for e; ass is the path of the ASS
 * script to burn in, or NULL.  tap: also give caption-free frames.
 */
int vgraph_new(struct agency *ag, const struct edl *e, const char *ass,
    int tap, struct vgraph **out);
/*
 * vgraph_next() - the next frame into *frame (new, the caller frees) and,
 * when tapping, its caption-free twin into *clean (or NULL).  AG_OK with
 * a frame, AG_FALSE after the last one, an error otherwise.
 */
int vgraph_next(struct agency *ag, struct vgraph *vg, struct AVFrame **frame,
    struct AVFrame **clean);
int64_t vgraph_frames(const struct vgraph *vg);
void vgraph_free(struct vgraph *vg);

#endif
