/*
 * textlayer.h - the words on screen of an EDL: its captions and its
 * overlays (title card, labels) as one ASS script for libavfilter's ass
 * filter, the same captions as SRT and WebVTT sidecars, and the
 * thumbnail's title.  The EDL's caption settings become a
 * struct caption_look, placed in the preset's safe area (captions.h).
 * Internal to lib/media.
 *
 * Each returns AG_OK with the text appended to out, or AG_FALSE when
 * there is nothing to show (no words, style none, no overlays).
 */
#ifndef AG_MEDIA_TEXTLAYER_H
#define AG_MEDIA_TEXTLAYER_H

struct agency;
struct buf;
struct edl;

int textlayer_ass(struct agency *ag, const struct edl *e, struct buf *out);
int textlayer_srt(struct agency *ag, const struct edl *e, struct buf *out);
int textlayer_vtt(struct agency *ag, const struct edl *e, struct buf *out);
int textlayer_title(struct agency *ag, const struct edl *e, const char *title,
    struct buf *out);

#endif
