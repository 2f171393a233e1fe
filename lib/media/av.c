/*
 * av.c - FFmpeg's logging and error text, and decoding a file's stream,
 * once for lib/media.
 */
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/error.h>
#include <libavutil/log.h>

#include "agency.h"
#include "media/av.h"

void
av_quiet(const struct agency *ag)
{
	if (ag->loglevel >= AG_LOG_DEBUG)
		av_log_set_level(AV_LOG_INFO);
	else if (av_log_get_level() > AV_LOG_QUIET)
		av_log_set_level(AV_LOG_QUIET);
}

const char *
av_errtext(int err)
{
	static char msg[AV_ERROR_MAX_STRING_SIZE];

	av_strerror(err, msg, sizeof(msg));
	return msg;
}

int
av_input_open(struct agency *ag, const char *path, int type, const char *what,
    struct av_input *in)
{
	const AVCodec *codec;
	int err;

	memset(in, 0, sizeof(*in));
	in->path = path;
	av_quiet(ag);
	if ((err = avformat_open_input(&in->fc, path, NULL, NULL)) < 0)
		return ag_fail(ag, AG_NOINPUT, "cannot read '%s': %s", path,
		    av_errtext(err));
	if (avformat_find_stream_info(in->fc, NULL) < 0 ||
	    (in->stream = av_find_best_stream(in->fc, (enum AVMediaType)type,
	    -1, -1, &codec, 0)) < 0) {
		av_input_close(in);
		return ag_fail(ag, AG_DATAERR, "'%s': no %s in it", path, what);
	}
	if ((in->cc = avcodec_alloc_context3(codec)) == NULL ||
	    (in->pkt = av_packet_alloc()) == NULL) {
		av_input_close(in);
		return ag_fail(ag, AG_OSERR, "out of memory");
	}
	if ((err = avcodec_parameters_to_context(in->cc,
	    in->fc->streams[in->stream]->codecpar)) < 0 ||
	    (err = avcodec_open2(in->cc, codec, NULL)) < 0) {
		av_input_close(in);
		return ag_fail(ag, AG_DATAERR, "'%s': cannot decode its %s: %s",
		    path, what, av_errtext(err));
	}
	return AG_OK;
}

int
av_input_next(struct agency *ag, struct av_input *in, AVFrame *f)
{
	int err;

	for (;;) {
		err = avcodec_receive_frame(in->cc, f);
		if (err == 0)
			return AG_OK;
		if (err == AVERROR_EOF)
			return AG_FALSE;
		if (err != AVERROR(EAGAIN) || in->eof)
			return ag_fail(ag, AG_DATAERR, "'%s': cannot decode: %s",
			    in->path, av_errtext(err));
		/* The decoder wants more: the next packet of our stream. */
		while ((err = av_read_frame(in->fc, in->pkt)) >= 0 &&
		    in->pkt->stream_index != in->stream)
			av_packet_unref(in->pkt);
		if (err < 0) {
			/* At the end, an empty packet drains the decoder. */
			in->eof = 1;
			avcodec_send_packet(in->cc, NULL);
			continue;
		}
		err = avcodec_send_packet(in->cc, in->pkt);
		av_packet_unref(in->pkt);
		if (err < 0 && err != AVERROR(EAGAIN) &&
		    err != AVERROR_INVALIDDATA)
			return ag_fail(ag, AG_DATAERR, "'%s': cannot decode: %s",
			    in->path, av_errtext(err));
	}
}

void
av_input_close(struct av_input *in)
{
	av_packet_free(&in->pkt);
	avcodec_free_context(&in->cc);
	avformat_close_input(&in->fc);
}
