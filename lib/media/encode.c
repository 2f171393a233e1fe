/*
 * encode.c - x264 and AAC into a faststart MP4 (encode.h).
 */
#include <errno.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>

#include "agency.h"
#include "media/av.h"
#include "media/encode.h"
#include "media/mix.h"
#include "media/preset.h"

#define AAC_RATE 192000

struct encoder {
	AVFormatContext *oc;
	AVCodecContext *vc, *ac;
	AVStream *vs, *as;
	AVPacket *pkt;
	AVFrame *planar;		/* audio, deinterleaved for AAC */
	const char *path;
	int header;
};

static int
fail(struct agency *ag, struct encoder *e, const char *what, int err)
{
	if (err == AVERROR(ENOSPC) || err == AVERROR(EIO))
		return ag_fail(ag, AG_IOERR, "cannot write '%s': %s", e->path,
		    av_errtext(err));
	return ag_fail(ag, AG_SOFTWARE, "'%s': %s: %s", e->path, what,
	    av_errtext(err));
}

static int
open_video(struct agency *ag, struct encoder *e, const struct encode_params *p)
{
	const AVCodec *c = avcodec_find_encoder_by_name("libx264");
	const struct media_quality *q = p->quality;
	AVDictionary *opt = NULL;
	AVCodecContext *vc;
	double area;
	int err;

	if (c == NULL)
		return ag_fail(ag, AG_UNAVAILABLE, "this FFmpeg has no libx264 "
		    "encoder");
	if ((e->vc = vc = avcodec_alloc_context3(c)) == NULL)
		return ag_fail(ag, AG_OSERR, "out of memory");
	vc->width = p->width;
	vc->height = p->height;
	vc->pix_fmt = AV_PIX_FMT_YUV420P;
	vc->time_base = (AVRational){ 1, p->fps };
	vc->framerate = (AVRational){ p->fps, 1 };
	vc->sample_aspect_ratio = (AVRational){ 1, 1 };
	vc->gop_size = 2 * p->fps;
	vc->keyint_min = p->fps;
	vc->color_range = AVCOL_RANGE_MPEG;
	vc->colorspace = AVCOL_SPC_BT709;
	vc->color_primaries = AVCOL_PRI_BT709;
	vc->color_trc = AVCOL_TRC_BT709;
	vc->thread_count = p->threads;
	/* The VBV cap scales with the picture's area. */
	area = (double)p->width * p->height / (1080.0 * 1920.0);
	vc->rc_max_rate = (int64_t)(q->maxrate * 1000.0 *
	    (area < 0.25 ? 0.25 : area));
	vc->rc_buffer_size = (int)(2 * vc->rc_max_rate);
	if (e->oc->oformat->flags & AVFMT_GLOBALHEADER)
		vc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
	av_dict_set(&opt, "preset", q->x264, 0);
	av_dict_set_int(&opt, "crf", q->crf, 0);
	av_dict_set(&opt, "profile", "high", 0);
	av_dict_set(&opt, "x264-params", "open-gop=0", 0);
	err = avcodec_open2(vc, c, &opt);
	av_dict_free(&opt);
	if (err < 0)
		return fail(ag, e, "cannot open libx264", err);
	if ((e->vs = avformat_new_stream(e->oc, NULL)) == NULL)
		return ag_fail(ag, AG_OSERR, "out of memory");
	e->vs->time_base = vc->time_base;
	e->vs->avg_frame_rate = vc->framerate;
	if ((err = avcodec_parameters_from_context(e->vs->codecpar, vc)) < 0)
		return fail(ag, e, "video stream", err);
	return AG_OK;
}

static int
open_audio(struct agency *ag, struct encoder *e)
{
	const AVCodec *c = avcodec_find_encoder(AV_CODEC_ID_AAC);
	AVCodecContext *ac;
	int err;

	if (c == NULL)
		return ag_fail(ag, AG_UNAVAILABLE, "this FFmpeg has no AAC "
		    "encoder");
	if ((e->ac = ac = avcodec_alloc_context3(c)) == NULL)
		return ag_fail(ag, AG_OSERR, "out of memory");
	ac->sample_fmt = AV_SAMPLE_FMT_FLTP;
	ac->sample_rate = MIX_RATE;
	ac->bit_rate = AAC_RATE;
	ac->profile = FF_PROFILE_AAC_LOW;
	ac->time_base = (AVRational){ 1, MIX_RATE };
	av_channel_layout_default(&ac->ch_layout, 2);
	if (e->oc->oformat->flags & AVFMT_GLOBALHEADER)
		ac->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
	if ((err = avcodec_open2(ac, c, NULL)) < 0)
		return fail(ag, e, "cannot open the AAC encoder", err);
	if ((e->as = avformat_new_stream(e->oc, NULL)) == NULL)
		return ag_fail(ag, AG_OSERR, "out of memory");
	e->as->time_base = ac->time_base;
	if ((err = avcodec_parameters_from_context(e->as->codecpar, ac)) < 0)
		return fail(ag, e, "audio stream", err);
	if ((e->planar = av_frame_alloc()) == NULL)
		return ag_fail(ag, AG_OSERR, "out of memory");
	e->planar->format = AV_SAMPLE_FMT_FLTP;
	e->planar->sample_rate = MIX_RATE;
	e->planar->nb_samples = ac->frame_size;
	av_channel_layout_default(&e->planar->ch_layout, 2);
	if (av_frame_get_buffer(e->planar, 0) < 0)
		return ag_fail(ag, AG_OSERR, "out of memory");
	return AG_OK;
}

int
encoder_open(struct agency *ag, const struct encode_params *p,
    struct encoder **out)
{
	struct encoder *e = xcalloc(1, sizeof(*e));
	AVDictionary *opt = NULL;
	int err, rc;

	av_quiet(ag);
	e->path = p->path;
	if ((err = avformat_alloc_output_context2(&e->oc, NULL, "mp4",
	    p->path)) < 0) {
		rc = fail(ag, e, "no MP4 muxer", err);
		goto fail;
	}
	if ((rc = open_video(ag, e, p)) != AG_OK ||
	    (rc = open_audio(ag, e)) != AG_OK)
		goto fail;
	if ((e->pkt = av_packet_alloc()) == NULL) {
		rc = ag_fail(ag, AG_OSERR, "out of memory");
		goto fail;
	}
	if ((err = avio_open(&e->oc->pb, p->path, AVIO_FLAG_WRITE)) < 0) {
		rc = ag_fail(ag, AG_CANTCREAT, "cannot create '%s': %s",
		    p->path, av_errtext(err));
		goto fail;
	}
	av_dict_set(&opt, "movflags", "+faststart+negative_cts_offsets", 0);
	av_dict_set(&opt, "use_editlist", "0", 0);
	e->oc->flags |= AVFMT_FLAG_BITEXACT;
	err = avformat_write_header(e->oc, &opt);
	av_dict_free(&opt);
	if (err < 0) {
		rc = fail(ag, e, "cannot start the file", err);
		goto fail;
	}
	e->header = 1;
	*out = e;
	return AG_OK;
fail:
	encoder_free(e);
	return rc;
}

/* Write every packet the codec has ready. */
static int
drain(struct agency *ag, struct encoder *e, AVCodecContext *cc, AVStream *st)
{
	int err;

	for (;;) {
		err = avcodec_receive_packet(cc, e->pkt);
		if (err == AVERROR(EAGAIN) || err == AVERROR_EOF)
			return AG_OK;
		if (err < 0)
			return fail(ag, e, "cannot encode", err);
		av_packet_rescale_ts(e->pkt, cc->time_base, st->time_base);
		e->pkt->stream_index = st->index;
		if ((err = av_interleaved_write_frame(e->oc, e->pkt)) < 0)
			return fail(ag, e, "cannot write", err);
	}
}

int
encoder_video(struct agency *ag, struct encoder *e, const AVFrame *f)
{
	int err;

	if ((err = avcodec_send_frame(e->vc, f)) < 0)
		return fail(ag, e, "cannot encode a picture", err);
	return drain(ag, e, e->vc, e->vs);
}

int
encoder_audio(struct agency *ag, struct encoder *e, const AVFrame *f)
{
	const float *in = (const float *)f->data[0];
	float *l, *r;
	int i, err;

	if ((err = av_frame_make_writable(e->planar)) < 0)
		return fail(ag, e, "audio", err);
	l = (float *)e->planar->data[0];
	r = (float *)e->planar->data[1];
	for (i = 0; i < f->nb_samples; i++) {
		l[i] = in[2 * i];
		r[i] = in[2 * i + 1];
	}
	e->planar->nb_samples = f->nb_samples;
	e->planar->pts = f->pts;
	if ((err = avcodec_send_frame(e->ac, e->planar)) < 0)
		return fail(ag, e, "cannot encode sound", err);
	return drain(ag, e, e->ac, e->as);
}

int
encoder_audio_frame_size(const struct encoder *e)
{
	return e->ac->frame_size;
}

int
encoder_priming(const struct encoder *e)
{
	return e->ac->initial_padding;
}

int
encoder_finish(struct agency *ag, struct encoder *e)
{
	int err, rc;

	avcodec_send_frame(e->vc, NULL);
	if ((rc = drain(ag, e, e->vc, e->vs)) != AG_OK)
		return rc;
	avcodec_send_frame(e->ac, NULL);
	if ((rc = drain(ag, e, e->ac, e->as)) != AG_OK)
		return rc;
	if ((err = av_write_trailer(e->oc)) < 0)
		return fail(ag, e, "cannot finish the file", err);
	e->header = 0;
	if ((err = avio_closep(&e->oc->pb)) < 0)
		return ag_fail(ag, AG_IOERR, "cannot write '%s': %s", e->path,
		    av_errtext(err));
	return AG_OK;
}

void
encoder_free(struct encoder *e)
{
	if (e == NULL)
		return;
	if (e->oc != NULL) {
		if (e->oc->pb != NULL)
			avio_closep(&e->oc->pb);
		avformat_free_context(e->oc);
	}
	avcodec_free_context(&e->vc);
	avcodec_free_context(&e->ac);
	av_packet_free(&e->pkt);
	av_frame_free(&e->planar);
	free(e);
}
