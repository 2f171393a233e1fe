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

/*
 * A decoder of one stream of a file: the best stream of a media type
 * (AVMEDIA_TYPE_VIDEO, ..._AUDIO, passed as an int), opened with
 * av_input_open(), its frames one after the other from av_input_next()
 * (AG_OK with a frame in f, AG_FALSE once the decoder is drained), and
 * av_input_close(), which may be called on a zeroed struct.  Errors
 * name the file: AG_NOINPUT when it cannot be opened, AG_DATAERR when
 * it has no such stream or will not decode.  what names the stream in
 * messages ("picture", "audio").
 */
struct AVFormatContext;
struct AVCodecContext;
struct AVPacket;
struct AVFrame;

struct av_input {
	struct AVFormatContext *fc;
	struct AVCodecContext *cc;
	struct AVPacket *pkt;
	int stream;
	int eof;			/* the end was sent to the decoder */
	const char *path;		/* borrowed, for messages */
};

int av_input_open(struct agency *ag, const char *path, int type,
    const char *what, struct av_input *in);
int av_input_next(struct agency *ag, struct av_input *in,
    struct AVFrame *f);
void av_input_close(struct av_input *in);

#endif
