/*
 * thumb.c - thumbnails and contact sheets (thumb.h).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>

#include "agency.h"
#include "media/av.h"
#include "media/fgraph.h"
#include "media/thumb.h"

static int
is_png(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && strcasecmp(name + n - 4, ".png") == 0;
}

static int
put(struct agency *ag, int fd, const char *name, const uint8_t *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			return ag_fail(ag, AG_IOERR, "cannot write '%s':", name);
		}
		p += w;
		n -= (size_t)w;
	}
	return AG_OK;
}

static int
encode(struct agency *ag, const AVFrame *f, int png, int fd, const char *name)
{
	const AVCodec *c = avcodec_find_encoder(png ? AV_CODEC_ID_PNG :
	    AV_CODEC_ID_MJPEG);
	AVCodecContext *cc = NULL;
	AVPacket *pkt = NULL;
	int err, rc = AG_OK;

	if (c == NULL)
		return ag_fail(ag, AG_UNAVAILABLE, "this FFmpeg cannot write "
		    "%s", png ? "PNG" : "JPEG");
	if ((cc = avcodec_alloc_context3(c)) == NULL ||
	    (pkt = av_packet_alloc()) == NULL) {
		rc = ag_fail(ag, AG_OSERR, "out of memory");
		goto out;
	}
	cc->width = f->width;
	cc->height = f->height;
	cc->pix_fmt = (enum AVPixelFormat)f->format;
	cc->time_base = (AVRational){ 1, 25 };
	cc->color_range = png ? AVCOL_RANGE_UNSPECIFIED : AVCOL_RANGE_JPEG;
	if (!png) {
		cc->flags |= AV_CODEC_FLAG_QSCALE;
		cc->global_quality = FF_QP2LAMBDA * 3;
	}
	if ((err = avcodec_open2(cc, c, NULL)) < 0 ||
	    (err = avcodec_send_frame(cc, f)) < 0 ||
	    (err = avcodec_send_frame(cc, NULL)) < 0 ||
	    (err = avcodec_receive_packet(cc, pkt)) < 0) {
		rc = ag_fail(ag, AG_SOFTWARE, "'%s': cannot encode: %s", name,
		    av_errtext(err));
		goto out;
	}
	rc = put(ag, fd, name, pkt->data, (size_t)pkt->size);
out:
	av_packet_free(&pkt);
	avcodec_free_context(&cc);
	return rc;
}

/*
 * Run frames through a graph: buffersrc, then the filters "then" (a
 * NULL-terminated list of name, args pairs), then the image's pixel
 * format; encode the first frame that comes out.
 */
static int
run(struct agency *ag, AVFrame *const *frames, int n, const char *ass,
    const char *const *then, int fd, const char *name)
{
	struct fgraph fg = { 0 };
	AVFilterContext *src, *cur, *sink, *a;
	AVFrame *out = NULL, *in;
	char args[160];
	int png = is_png(name), i, err = 0, rc;

	if ((rc = fgraph_init(ag, &fg)) != AG_OK)
		return rc;
	snprintf(args, sizeof(args), "video_size=%dx%d:pix_fmt=%d:"
	    "time_base=1/1000:pixel_aspect=1/1", frames[0]->width,
	    frames[0]->height, frames[0]->format);
	if ((rc = fgraph_add(ag, &fg, "buffer", args, &src)) != AG_OK)
		goto out;
	cur = src;
	if (ass != NULL) {
		if ((rc = fgraph_add_file(ag, &fg, "ass", ass, NULL, &a)) !=
		    AG_OK || (rc = fgraph_link(ag, cur, 0, a, 0)) != AG_OK)
			goto out;
		cur = a;
	}
	for (i = 0; then != NULL && then[i] != NULL; i += 2)
		if ((rc = fgraph_then(ag, &fg, &cur, then[i], then[i + 1])) !=
		    AG_OK)
			goto out;
	if ((rc = fgraph_then(ag, &fg, &cur, "scale", png ? "out_range=full" :
	    "out_range=full:out_color_matrix=bt601")) != AG_OK ||
	    (rc = fgraph_then(ag, &fg, &cur, "format", png ? "rgb24" :
	    "yuvj420p")) != AG_OK ||
	    (rc = fgraph_add(ag, &fg, "buffersink", NULL, &sink)) != AG_OK ||
	    (rc = fgraph_link(ag, cur, 0, sink, 0)) != AG_OK ||
	    (rc = fgraph_config(ag, &fg, "thumbnail")) != AG_OK)
		goto out;
	for (i = 0; i < n; i++) {
		if ((in = av_frame_clone(frames[i])) == NULL) {
			rc = ag_fail(ag, AG_OSERR, "out of memory");
			goto out;
		}
		in->pts = i;
		err = av_buffersrc_add_frame(src, in);
		av_frame_free(&in);
		if (err < 0)
			break;
	}
	if ((out = av_frame_alloc()) == NULL) {
		rc = ag_fail(ag, AG_OSERR, "out of memory");
		goto out;
	}
	if (err >= 0)
		err = av_buffersrc_add_frame(src, NULL);
	if (err >= 0)
		err = av_buffersink_get_frame(sink, out);
	if (err < 0) {
		rc = ag_fail(ag, AG_SOFTWARE, "'%s': cannot draw it: %s", name,
		    av_errtext(err));
		goto out;
	}
	rc = encode(ag, out, png, fd, name);
out:
	av_frame_free(&out);
	fgraph_release(&fg);
	return rc;
}

int
thumb_write(struct agency *ag, const AVFrame *frame, const char *ass, int fd,
    const char *name)
{
	AVFrame *f = (AVFrame *)frame;

	return run(ag, &f, 1, ass, NULL, fd, name);
}

int
sheet_write(struct agency *ag, AVFrame *const *frames, int n, int cols,
    int cell_w, int fd, const char *name)
{
	char scale[64], tile[64];
	const char *then[] = { "scale", scale, "tile", tile, NULL };
	int rows = (n + cols - 1) / cols;

	if (n < 1)
		return ag_fail(ag, AG_SOFTWARE, "'%s': no frames", name);
	snprintf(scale, sizeof(scale), "w=%d:h=-2", cell_w);
	snprintf(tile, sizeof(tile), "layout=%dx%d:padding=4:margin=4",
	    cols, rows);
	return run(ag, frames, n, NULL, then, fd, name);
}
