/*
 * picture.c - stills as frames: decoding through libavformat and
 * libavcodec, fitting through zimg or libswscale, colours and gradients
 * drawn here (picture.h).
 *
 * Colour: every frame leaves here as limited-range BT.709 yuv420p, so
 * a JPEG (full range, BT.601) and a PNG (RGB) land on the same levels.
 * Planar YUV pictures (JPEG photos, the big ones) are fitted by zimg,
 * which resizes and converts range, matrix and chroma siting in one
 * pass over small tiles; libswscale turns BT.601 into BT.709 through a
 * whole RGB copy of the picture, 14 MB more at the peak for a 4K still
 * (bench/produce, a 600 s render).  Other formats go through libswscale.
 * Gradients are drawn at 16 bits a channel and dithered to 8 so that a
 * slow dark gradient does not band.
 */
#include <math.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/buffer.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
#include <zimg.h>

#include "agency.h"
#include "media/av.h"
#include "media/picture.h"

#define ALIGN 64

int
picture_load(struct agency *ag, const char *path, AVFrame **out)
{
	struct av_input in;
	AVFrame *f;
	int rc;

	if ((rc = av_input_open(ag, path, AVMEDIA_TYPE_VIDEO, "picture",
	    &in)) != AG_OK)
		return rc == AG_NOINPUT ? ag_fail(ag, AG_DATAERR, "%s",
		    ag->err) : rc;
	if ((f = av_frame_alloc()) == NULL) {
		av_input_close(&in);
		return ag_fail(ag, AG_OSERR, "out of memory");
	}
	rc = av_input_next(ag, &in, f);
	if (rc == AG_FALSE)
		rc = ag_fail(ag, AG_DATAERR, "'%s': no picture in it", path);
	av_input_close(&in);
	if (rc != AG_OK) {
		av_frame_free(&f);
		return rc;
	}
	*out = f;
	return AG_OK;
}

static AVFrame *
new_frame(int w, int h)
{
	AVFrame *f = av_frame_alloc();

	if (f == NULL)
		return NULL;
	f->format = AV_PIX_FMT_YUV420P;
	f->width = w;
	f->height = h;
	f->color_range = AVCOL_RANGE_MPEG;
	f->colorspace = AVCOL_SPC_BT709;
	f->color_primaries = AVCOL_PRI_BT709;
	f->color_trc = AVCOL_TRC_BT709;
	if (av_frame_get_buffer(f, ALIGN) < 0)
		av_frame_free(&f);
	return f;
}

/* BT.709 limited-range Y, Cb, Cr of 0xRRGGBB, scaled by 256. */
static void
rgb_to_yuv(double r, double g, double b, int yuv[3])
{
	double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;

	yuv[0] = (int)lround((16 + 219 * y) * 256);
	yuv[1] = (int)lround((128 + 224 * (b - y) / 1.8556) * 256);
	yuv[2] = (int)lround((128 + 224 * (r - y) / 1.5748) * 256);
}

static void
unpack(uint32_t rgb, double c[3])
{
	c[0] = ((rgb >> 16) & 0xff) / 255.0;
	c[1] = ((rgb >> 8) & 0xff) / 255.0;
	c[2] = (rgb & 0xff) / 255.0;
}

static void
fill(AVFrame *f, int x0, int y0, int w, int h, const int yuv[3])
{
	int y, p, cw, ch;

	for (y = y0; y < y0 + h; y++)
		memset(f->data[0] + (size_t)y * f->linesize[0] + x0,
		    (yuv[0] + 128) >> 8, (size_t)w);
	cw = (w + 1) / 2;
	ch = (h + 1) / 2;
	for (p = 1; p < 3; p++)
		for (y = y0 / 2; y < y0 / 2 + ch; y++)
			memset(f->data[p] + (size_t)y * f->linesize[p] + x0 / 2,
			    (yuv[p] + 128) >> 8, (size_t)cw);
}

int
picture_color(struct agency *ag, int w, int h, uint32_t rgb, AVFrame **out)
{
	AVFrame *f;
	double c[3];
	int yuv[3];

	if ((f = new_frame(w, h)) == NULL)
		return ag_fail(ag, AG_OSERR, "out of memory");
	unpack(rgb, c);
	rgb_to_yuv(c[0], c[1], c[2], yuv);
	fill(f, 0, 0, w, h, yuv);
	*out = f;
	return AG_OK;
}

/* Triangular dither in [-1, 1) of a 1/256 step, the same for the same pixel. */
static int
dither(unsigned x, unsigned y)
{
	uint32_t h = x * 0x9E3779B1u ^ y * 0x85EBCA77u;

	h ^= h >> 15;
	h *= 0x2C1B3C6Du;
	h ^= h >> 12;
	return (int)(h & 0xff) - (int)((h >> 8) & 0xff);
}

static uint8_t
clip8(int v)
{
	return v < 0 ? 0 : v > 255 ? 255 : (uint8_t)v;
}

int
picture_gradient(struct agency *ag, int w, int h, uint32_t c0, uint32_t c1,
    double degrees, AVFrame **out)
{
	double a[3], b[3], dx, dy, len, t, c[3];
	int x, y, k, yuv[3];
	AVFrame *f;

	if ((f = new_frame(w, h)) == NULL)
		return ag_fail(ag, AG_OSERR, "out of memory");
	unpack(c0, a);
	unpack(c1, b);
	dx = cos(degrees * M_PI / 180);
	dy = sin(degrees * M_PI / 180);
	len = fabs(w * dx) + fabs(h * dy);
	for (y = 0; y < h; y++) {
		for (x = 0; x < w; x++) {
			t = ((x - w / 2.0) * dx + (y - h / 2.0) * dy) / len + 0.5;
			for (k = 0; k < 3; k++)
				c[k] = a[k] + (b[k] - a[k]) * t;
			rgb_to_yuv(c[0], c[1], c[2], yuv);
			f->data[0][(size_t)y * f->linesize[0] + x] =
			    clip8((yuv[0] + 128 + dither(x, y)) >> 8);
			if ((x | y) & 1)
				continue;
			f->data[1][(size_t)(y / 2) * f->linesize[1] + x / 2] =
			    clip8((yuv[1] + 128 + dither(x, y + 1)) >> 8);
			f->data[2][(size_t)(y / 2) * f->linesize[2] + x / 2] =
			    clip8((yuv[2] + 128 + dither(x + 1, y)) >> 8);
		}
	}
	*out = f;
	return AG_OK;
}

/* The pixel format without the deprecated "J" (full-range) aliases. */
static enum AVPixelFormat
unjpeg(enum AVPixelFormat f)
{
	switch (f) {
	case AV_PIX_FMT_YUVJ420P: return AV_PIX_FMT_YUV420P;
	case AV_PIX_FMT_YUVJ422P: return AV_PIX_FMT_YUV422P;
	case AV_PIX_FMT_YUVJ444P: return AV_PIX_FMT_YUV444P;
	case AV_PIX_FMT_YUVJ440P: return AV_PIX_FMT_YUV440P;
	case AV_PIX_FMT_YUVJ411P: return AV_PIX_FMT_YUV411P;
	default: return f;
	}
}

/* Is f full range (a "J" format, or tagged so)? */
static int
full_range(const AVFrame *f)
{
	return unjpeg((enum AVPixelFormat)f->format) != f->format ||
	    f->color_range == AVCOL_RANGE_JPEG;
}

/* Plane p of yuv420p dst from (dx, dy) on, dx and dy even. */
static uint8_t *
plane_at(const AVFrame *dst, int p, int dx, int dy)
{
	return dst->data[p] + (size_t)(p ? dy / 2 : dy) * dst->linesize[p] +
	    (p ? dx / 2 : dx);
}

/* zimg's siting of FFmpeg's chroma location; JPEG's centre by default. */
static zimg_chroma_location_e
siting(enum AVChromaLocation l, int full)
{
	switch (l) {
	case AVCHROMA_LOC_LEFT: return ZIMG_CHROMA_LEFT;
	case AVCHROMA_LOC_CENTER: return ZIMG_CHROMA_CENTER;
	case AVCHROMA_LOC_TOPLEFT: return ZIMG_CHROMA_TOP_LEFT;
	case AVCHROMA_LOC_TOP: return ZIMG_CHROMA_TOP;
	case AVCHROMA_LOC_BOTTOMLEFT: return ZIMG_CHROMA_BOTTOM_LEFT;
	case AVCHROMA_LOC_BOTTOM: return ZIMG_CHROMA_BOTTOM;
	default: return full ? ZIMG_CHROMA_CENTER : ZIMG_CHROMA_LEFT;
	}
}

static int
aligned(const void *p, int stride)
{
	return (((uintptr_t)p | (uintptr_t)stride) & 31) == 0;
}

/*
 * scale() through zimg: AG_OK, an error, or AG_FALSE when zimg does not
 * take this picture (not 8-bit planar YUV, a matrix it lacks, planes
 * not aligned as it needs) and libswscale should.
 */
static int
zscale(struct agency *ag, const AVFrame *src, int sx, int sy, int sw,
    int sh, AVFrame *dst, int dx, int dy, int dw, int dh)
{
	const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(src->format);
	zimg_image_format in, out;
	zimg_graph_builder_params gp;
	zimg_image_buffer_const ib;
	zimg_image_buffer ob;
	zimg_filter_graph *g;
	size_t tmp_size = 0;
	void *tmp = NULL;
	int full = full_range(src), p, rc = AG_OK;
	enum AVColorSpace cs = src->colorspace;

	if (d == NULL || d->nb_components != 3 || d->comp[0].depth != 8 ||
	    !(d->flags & AV_PIX_FMT_FLAG_PLANAR) ||
	    (d->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL)))
		return AG_FALSE;
	if (cs == AVCOL_SPC_UNSPECIFIED || cs == AVCOL_SPC_SMPTE170M)
		cs = AVCOL_SPC_BT470BG;
	if (cs != AVCOL_SPC_BT470BG && cs != AVCOL_SPC_BT709 &&
	    cs != AVCOL_SPC_BT2020_NCL)
		return AG_FALSE;
	for (p = 0; p < 3; p++)
		if (!aligned(src->data[p], src->linesize[p]) ||
		    !aligned(plane_at(dst, p, dx, dy), dst->linesize[p]))
			return AG_FALSE;
	zimg_image_format_default(&in, ZIMG_API_VERSION);
	in.width = (unsigned)src->width;
	in.height = (unsigned)src->height;
	in.pixel_type = ZIMG_PIXEL_BYTE;
	in.subsample_w = d->log2_chroma_w;
	in.subsample_h = d->log2_chroma_h;
	in.color_family = ZIMG_COLOR_YUV;
	/* FFmpeg's colour spaces carry the H.273 codes, as zimg's do. */
	in.matrix_coefficients = (zimg_matrix_coefficients_e)cs;
	in.pixel_range = full ? ZIMG_RANGE_FULL : ZIMG_RANGE_LIMITED;
	in.chroma_location = siting(src->chroma_location, full);
	in.active_region.left = sx;
	in.active_region.top = sy;
	in.active_region.width = sw;
	in.active_region.height = sh;
	zimg_image_format_default(&out, ZIMG_API_VERSION);
	out.width = (unsigned)dw;
	out.height = (unsigned)dh;
	out.pixel_type = ZIMG_PIXEL_BYTE;
	out.subsample_w = out.subsample_h = 1;
	out.color_family = ZIMG_COLOR_YUV;
	out.matrix_coefficients = ZIMG_MATRIX_BT709;
	out.pixel_range = ZIMG_RANGE_LIMITED;
	out.chroma_location = ZIMG_CHROMA_LEFT;
	zimg_graph_builder_params_default(&gp, ZIMG_API_VERSION);
	gp.resample_filter = gp.resample_filter_uv = ZIMG_RESIZE_LANCZOS;
	gp.filter_param_a = gp.filter_param_a_uv = 3;
	gp.cpu_type = ZIMG_CPU_AUTO;
	if ((g = zimg_filter_graph_build(&in, &out, &gp)) == NULL)
		return AG_FALSE;
	if (zimg_filter_graph_get_tmp_size(g, &tmp_size) != ZIMG_ERROR_SUCCESS ||
	    (tmp = av_malloc(tmp_size ? tmp_size : 1)) == NULL) {
		zimg_filter_graph_free(g);
		return ag_fail(ag, AG_OSERR, "out of memory");
	}
	ib.version = ob.version = ZIMG_API_VERSION;
	for (p = 0; p < 3; p++) {
		ib.plane[p].data = src->data[p];
		ib.plane[p].stride = src->linesize[p];
		ib.plane[p].mask = ZIMG_BUFFER_MAX;
		ob.plane[p].data = plane_at(dst, p, dx, dy);
		ob.plane[p].stride = dst->linesize[p];
		ob.plane[p].mask = ZIMG_BUFFER_MAX;
	}
	if (zimg_filter_graph_process(g, &ib, &ob, tmp, NULL, NULL, NULL,
	    NULL) != ZIMG_ERROR_SUCCESS) {
		char msg[128];

		zimg_get_last_error(msg, sizeof(msg));
		rc = ag_fail(ag, AG_SOFTWARE, "cannot scale a picture: %s",
		    msg);
	}
	av_free(tmp);
	zimg_filter_graph_free(g);
	return rc;
}

/* scale() through libswscale, which takes every format. */
static int
swscale(struct agency *ag, const AVFrame *src, int sx, int sy, int sw,
    int sh, AVFrame *dst, int dx, int dy, int dw, int dh)
{
	struct SwsContext *sws = NULL;
	uint8_t *dp[4] = { 0 };
	enum AVPixelFormat sf;
	AVFrame *ref;
	int full, p, spc, err, rc = AG_OK;

	if ((ref = av_frame_clone(src)) == NULL)
		return ag_fail(ag, AG_OSERR, "out of memory");
	ref->crop_left = (size_t)sx;
	ref->crop_top = (size_t)sy;
	ref->crop_right = (size_t)(src->width - sx - sw);
	ref->crop_bottom = (size_t)(src->height - sy - sh);
	if (av_frame_apply_cropping(ref, AV_FRAME_CROP_UNALIGNED) < 0) {
		rc = ag_fail(ag, AG_DATAERR, "cannot crop a %s picture",
		    av_get_pix_fmt_name((enum AVPixelFormat)src->format));
		goto out;
	}
	sf = unjpeg((enum AVPixelFormat)src->format);
	full = full_range(src);
	for (p = 0; p < 3; p++)
		dp[p] = plane_at(dst, p, dx, dy);
	sws = sws_getContext(ref->width, ref->height, sf, dw, dh,
	    AV_PIX_FMT_YUV420P, SWS_LANCZOS | SWS_ACCURATE_RND, NULL, NULL,
	    NULL);
	if (sws == NULL) {
		rc = ag_fail(ag, AG_DATAERR, "cannot scale a %s picture",
		    av_get_pix_fmt_name(sf));
		goto out;
	}
	spc = src->colorspace == AVCOL_SPC_UNSPECIFIED ? SWS_CS_ITU601 :
	    (int)src->colorspace;
	sws_setColorspaceDetails(sws, sws_getCoefficients(spc), full,
	    sws_getCoefficients(SWS_CS_ITU709), 0, 0, 1 << 16, 1 << 16);
	err = sws_scale(sws, (const uint8_t *const *)ref->data, ref->linesize,
	    0, ref->height, dp, dst->linesize);
	if (err <= 0)
		rc = ag_fail(ag, AG_SOFTWARE, "cannot scale a picture");
out:
	sws_freeContext(sws);
	av_frame_free(&ref);
	return rc;
}

/* Scale the rectangle (sx, sy, sw, sh) of src into (dx, dy, dw, dh) of dst. */
static int
scale(struct agency *ag, const AVFrame *src, int sx, int sy, int sw, int sh,
    AVFrame *dst, int dx, int dy, int dw, int dh)
{
	int rc = zscale(ag, src, sx, sy, sw, sh, dst, dx, dy, dw, dh);

	return rc != AG_FALSE ? rc : swscale(ag, src, sx, sy, sw, sh, dst,
	    dx, dy, dw, dh);
}

int
picture_fit(struct agency *ag, const AVFrame *src, int w, int h,
    enum edl_fit fit, double fx, double fy, AVFrame **out)
{
	static const int black[3] = { 16 << 8, 128 << 8, 128 << 8 };
	double s, cw, ch;
	int sx, sy, dw, dh, rc;
	AVFrame *f;

	if (src->width < 1 || src->height < 1)
		return ag_fail(ag, AG_DATAERR, "an empty picture");
	if ((f = new_frame(w, h)) == NULL)
		return ag_fail(ag, AG_OSERR, "out of memory");
	if (fit == FIT_COVER) {
		/* The part of the source that covers the frame. */
		s = fmax((double)w / src->width, (double)h / src->height);
		cw = fmin(src->width, w / s);
		ch = fmin(src->height, h / s);
		sx = (int)lround(fx * src->width - cw / 2);
		sy = (int)lround(fy * src->height - ch / 2);
		sx = sx < 0 ? 0 : sx > src->width - (int)cw ?
		    src->width - (int)cw : sx;
		sy = sy < 0 ? 0 : sy > src->height - (int)ch ?
		    src->height - (int)ch : sy;
		rc = scale(ag, src, sx, sy, (int)cw, (int)ch, f, 0, 0, w, h);
	} else {
		s = fmin((double)w / src->width, (double)h / src->height);
		dw = ((int)lround(src->width * s)) & ~1;
		dh = ((int)lround(src->height * s)) & ~1;
		dw = dw < 2 ? 2 : dw;
		dh = dh < 2 ? 2 : dh;
		fill(f, 0, 0, w, h, black);
		rc = scale(ag, src, 0, 0, src->width, src->height, f,
		    ((w - dw) / 2) & ~1, ((h - dh) / 2) & ~1, dw, dh);
	}
	if (rc != AG_OK) {
		av_frame_free(&f);
		return rc;
	}
	*out = f;
	return AG_OK;
}

void
picture_pool_init(struct picture_pool *p, int w, int h)
{
	p->w = w;
	p->h = h;
	p->stride[0] = FFALIGN(w, ALIGN);
	p->stride[1] = p->stride[2] = FFALIGN((w + 1) / 2, ALIGN);
	p->size = (size_t)p->stride[0] * h + 2 * (size_t)p->stride[1] *
	    ((h + 1) / 2) + ALIGN;
	p->pool = av_buffer_pool_init(p->size, NULL);
}

AVFrame *
picture_pool_get(struct picture_pool *p)
{
	AVFrame *f;
	uint8_t *d;

	if (p->pool == NULL || (f = av_frame_alloc()) == NULL)
		return NULL;
	if ((f->buf[0] = av_buffer_pool_get(p->pool)) == NULL) {
		av_frame_free(&f);
		return NULL;
	}
	d = (uint8_t *)FFALIGN((uintptr_t)f->buf[0]->data, ALIGN);
	f->data[0] = d;
	f->data[1] = d + (size_t)p->stride[0] * p->h;
	f->data[2] = f->data[1] + (size_t)p->stride[1] * ((p->h + 1) / 2);
	f->linesize[0] = p->stride[0];
	f->linesize[1] = p->stride[1];
	f->linesize[2] = p->stride[2];
	f->format = AV_PIX_FMT_YUV420P;
	f->width = p->w;
	f->height = p->h;
	f->color_range = AVCOL_RANGE_MPEG;
	f->colorspace = AVCOL_SPC_BT709;
	f->color_primaries = AVCOL_PRI_BT709;
	f->color_trc = AVCOL_TRC_BT709;
	return f;
}

void
picture_pool_release(struct picture_pool *p)
{
	av_buffer_pool_uninit(&p->pool);
}
