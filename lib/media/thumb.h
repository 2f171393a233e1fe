/*
 * thumb.h - pictures to look at before publishing: a thumbnail (one
 * frame, with the title burned in from an ASS script) and a contact
 * sheet (a grid of frames taken through the video).  JPEG, or PNG when
 * the path ends in .png; through libavfilter (ass, scale, tile) and
 * libavcodec's image encoders.  Internal to lib/media.
 *
 * The image is written to fd (an atomic file the caller commits); name
 * is for messages.
 */
#ifndef AG_MEDIA_THUMB_H
#define AG_MEDIA_THUMB_H

struct agency;
struct AVFrame;

/* frame, with ass (a path, or NULL) burned in at time 0. */
int thumb_write(struct agency *ag, const struct AVFrame *frame,
    const char *ass, int fd, const char *name);
/* n frames in a grid of cols columns, each scaled to width cell_w. */
int sheet_write(struct agency *ag, struct AVFrame *const *frames, int n,
    int cols, int cell_w, int fd, const char *name);

#endif
