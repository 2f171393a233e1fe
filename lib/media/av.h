/*
 * av.h - what every user of the FFmpeg libraries in lib/media shares:
 * their logging kept off our stderr, and their error codes as text.
 *
 * Internal to lib/media (it includes no FFmpeg header, but only media
 * code calls it).
 */
#ifndef AG_MEDIA_AV_H
#define AG_MEDIA_AV_H

struct agency;

/*
 * Keep FFmpeg's own messages off stderr unless we log at debug level:
 * our errors say what failed in one line; theirs are for -vv.
 */
void av_quiet(const struct agency *ag);

/* FFmpeg's text for an AVERROR code, in a static buffer. */
const char *av_errtext(int err);

#endif
