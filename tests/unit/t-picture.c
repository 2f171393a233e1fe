/*
 * t-picture - fitting stills: a JPEG's full-range BT.601 and a PNG's RGB
 * both land on limited-range BT.709 yuv420p, as the formulas written
 * here say, whichever library fits them (zimg takes planar YUV that is
 * aligned as it needs, libswscale the rest); a cover crop takes the part
 * the focus asks for.
 */
#include <math.h>

#include <libavutil/frame.h>

#include "tap.h"
#include "media/picture.h"

#define SIDE 128		/* of each flat block of colour */

static const int colours[][3] = {
	{ 0, 0, 0 }, { 255, 255, 255 }, { 255, 0, 0 }, { 0, 160, 0 },
	{ 30, 60, 200 }, { 200, 120, 40 }
};
#define NCOLOURS (int)(sizeof(colours) / sizeof(colours[0]))

static int
clamp8(double v)
{
	return v < 0 ? 0 : v > 255 ? 255 : (int)lround(v);
}

/* BT.709 limited range of an RGB colour. */
static void
want709(const int rgb[3], int yuv[3])
{
	double r = rgb[0] / 255.0, g = rgb[1] / 255.0, b = rgb[2] / 255.0;
	double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;

	yuv[0] = clamp8(16 + 219 * y);
	yuv[1] = clamp8(128 + 224 * (b - y) / 1.8556);
	yuv[2] = clamp8(128 + 224 * (r - y) / 1.5748);
}

/* A picture of NCOLOURS blocks side by side, as a JPEG decodes it
 * (yuvj444p or yuvj420p, BT.601 full range) or as a PNG does (rgb24). */
static AVFrame *
picture(enum AVPixelFormat fmt, int align)
{
	AVFrame *f = av_frame_alloc();
	int x, y, i, sub = fmt == AV_PIX_FMT_YUVJ420P;
	double r, g, b, yy;

	f->format = fmt;
	f->width = SIDE * NCOLOURS;
	f->height = SIDE;
	if (fmt != AV_PIX_FMT_RGB24) {
		f->color_range = AVCOL_RANGE_JPEG;
		f->colorspace = AVCOL_SPC_BT470BG;
		f->chroma_location = AVCHROMA_LOC_CENTER;
	}
	if (av_frame_get_buffer(f, align) < 0)
		abort();
	for (y = 0; y < f->height; y++) {
		for (x = 0; x < f->width; x++) {
			i = x / SIDE;
			r = colours[i][0];
			g = colours[i][1];
			b = colours[i][2];
			if (fmt == AV_PIX_FMT_RGB24) {
				f->data[0][y * f->linesize[0] + 3 * x] = (uint8_t)r;
				f->data[0][y * f->linesize[0] + 3 * x + 1] = (uint8_t)g;
				f->data[0][y * f->linesize[0] + 3 * x + 2] = (uint8_t)b;
				continue;
			}
			yy = 0.299 * r + 0.587 * g + 0.114 * b;
			f->data[0][y * f->linesize[0] + x] = (uint8_t)clamp8(yy);
			if (sub && (x & 1 || y & 1))
				continue;
			f->data[1][(y >> sub) * f->linesize[1] + (x >> sub)] =
			    (uint8_t)clamp8(128 + (b - yy) / 1.772);
			f->data[2][(y >> sub) * f->linesize[2] + (x >> sub)] =
			    (uint8_t)clamp8(128 + (r - yy) / 1.402);
		}
	}
	return f;
}

/* The worst distance from want709 at the middle of each block of out,
 * a fit of picture() to (w, h) whose blocks are bw wide from x0. */
static int
worst(const AVFrame *out, int x0, int bw, int first, int n)
{
	int i, p, v, d, want[3], bad = 0, x, y = out->height / 2;

	for (i = 0; i < n; i++) {
		want709(colours[first + i], want);
		x = x0 + bw * i + bw / 2;
		for (p = 0; p < 3; p++) {
			v = p ? out->data[p][(y / 2) * out->linesize[p] + x / 2] :
			    out->data[0][y * out->linesize[0] + x];
			d = abs(v - want[p]);
			if (d > bad)
				bad = d;
		}
	}
	return bad;
}

int
main(void)
{
	static const struct {
		enum AVPixelFormat fmt;
		int align;
		const char *what;
	} srcs[] = {
		{ AV_PIX_FMT_YUVJ444P, 64, "a 4:4:4 JPEG (zimg)" },
		{ AV_PIX_FMT_YUVJ420P, 64, "a 4:2:0 JPEG (zimg)" },
		{ AV_PIX_FMT_YUVJ444P, 1, "a JPEG in unaligned rows (libswscale)" },
		{ AV_PIX_FMT_RGB24, 64, "a PNG's RGB (libswscale)" },
	};
	struct agency ag;
	AVFrame *src, *out;
	size_t i;

	tap_agency(&ag, "t-picture");
	for (i = 0; i < sizeof(srcs) / sizeof(srcs[0]); i++) {
		src = picture(srcs[i].fmt, srcs[i].align);
		/* Half size: each block 64 wide. */
		is_int(picture_fit(&ag, src, SIDE * NCOLOURS / 2, SIDE / 2,
		    FIT_COVER, 0.5, 0.5, &out), AG_OK, "%s: fitted",
		    srcs[i].what);
		ok(out->format == AV_PIX_FMT_YUV420P &&
		    out->colorspace == AVCOL_SPC_BT709 &&
		    out->color_range == AVCOL_RANGE_MPEG,
		    "%s: limited-range BT.709 yuv420p", srcs[i].what);
		is_int(worst(out, 0, SIDE / 2, 0, NCOLOURS) <= 2, 1,
		    "%s: every colour as BT.709 says, within 2 levels",
		    srcs[i].what);
		av_frame_free(&out);
		/* A cover of a tall frame takes one block; the focus says
		 * which: the left edge, the right edge. */
		is_int(picture_fit(&ag, src, 64, 64, FIT_COVER, 0, 0.5, &out),
		    AG_OK, "%s: a square from the left", srcs[i].what);
		is_int(worst(out, 0, 64, 0, 1) <= 2, 1,
		    "%s: is the first colour", srcs[i].what);
		av_frame_free(&out);
		is_int(picture_fit(&ag, src, 64, 64, FIT_COVER, 1, 0.5, &out),
		    AG_OK, "%s: a square from the right", srcs[i].what);
		is_int(worst(out, 0, 64, NCOLOURS - 1, 1) <= 2, 1,
		    "%s: is the last colour", srcs[i].what);
		av_frame_free(&out);
		/* Contained in a square: centred, in black bars. */
		is_int(picture_fit(&ag, src, 96, 96, FIT_CONTAIN, 0.5, 0.5,
		    &out), AG_OK, "%s: contained in a square", srcs[i].what);
		is_int(out->data[0][2 * out->linesize[0] + 48], 16,
		    "%s: a black bar above", srcs[i].what);
		is_int(worst(out, 0, 16, 0, NCOLOURS) <= 3, 1,
		    "%s: the colours in the middle", srcs[i].what);
		av_frame_free(&out);
		av_frame_free(&src);
	}
	ag_release(&ag);
	return done_testing();
}
