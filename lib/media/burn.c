/*
 * burn.c - captions burned into frames with libass (burn.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <ass/ass.h>
#include <libavutil/frame.h>

#include "agency.h"
#include "media/burn.h"

struct burn {
	struct agency *ag;		/* for libass's messages */
	ASS_Library *lib;
	ASS_Renderer *r;
	ASS_Track *track;
};

/* libass speaks at its levels 0 (fatal) to 7 (debug): ours is trace. */
static void
message(int level, const char *fmt, va_list ap, void *arg)
{
	struct burn *b = arg;
	char line[512];

	if (level > 4)
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	ag_trace(b->ag, "libass: %s", line);
}

int
burn_open(struct agency *ag, const char *path, int w, int h,
    struct burn **out)
{
	struct burn *b = xcalloc(1, sizeof(*b));

	b->ag = ag;
	if ((b->lib = ass_library_init()) != NULL)
		ass_set_message_cb(b->lib, message, b);
	if (b->lib == NULL || (b->r = ass_renderer_init(b->lib)) == NULL) {
		burn_free(b);
		return ag_fail(ag, AG_OSERR, "cannot start libass");
	}
	ass_set_frame_size(b->r, w, h);
	ass_set_storage_size(b->r, w, h);
	ass_set_cache_limits(b->r, 0, BURN_CACHE_MB);
	ass_set_fonts(b->r, NULL, NULL, ASS_FONTPROVIDER_AUTODETECT, NULL, 1);
	if ((b->track = ass_read_file(b->lib, (char *)path, NULL)) == NULL) {
		burn_free(b);
		return ag_fail(ag, AG_DATAERR, "'%s': libass cannot read the "
		    "captions", path);
	}
	*out = b;
	return AG_OK;
}

/* RGB to limited-range BT.709 Y'CbCr, in 1/1024ths. */
static void
yuv709(uint32_t rgba, int *y, int *u, int *v)
{
	int r = rgba >> 24, g = (rgba >> 16) & 0xff, bl = (rgba >> 8) & 0xff;

	*y = 16 + ((187 * r + 629 * g + 63 * bl + 512) >> 10);
	*u = 128 + ((-103 * r - 347 * g + 450 * bl + 512) >> 10);
	*v = 128 + ((450 * r - 409 * g - 41 * bl + 512) >> 10);
}

/* p covered by c at a / (255 * 255). */
static uint8_t
mix(int p, int c, int a)
{
	return (uint8_t)((p * (65025 - a) + c * a + 32512) / 65025);
}

/* One libass image: a coverage mask in one colour, onto the frame. */
static void
blend(AVFrame *f, const ASS_Image *im)
{
	int opacity = 255 - (int)(im->color & 0xff);
	int y, u, v, i, j;

	if (opacity == 0)
		return;
	yuv709(im->color, &y, &u, &v);
	for (j = 0; j < im->h; j++) {
		const uint8_t *m = im->bitmap + (size_t)j * (size_t)im->stride;
		uint8_t *p = f->data[0] + (size_t)(im->dst_y + j) *
		    (size_t)f->linesize[0] + im->dst_x;

		for (i = 0; i < im->w; i++) {
			int a = m[i] * opacity;	/* 0 .. 255 * 255 */

			if (a != 0)
				p[i] = mix(p[i], y, a);
		}
	}
	/* Chroma at half size: each sample takes its 2x2 block's cover. */
	for (j = im->dst_y & ~1; j < im->dst_y + im->h; j += 2) {
		uint8_t *pu = f->data[1] + (size_t)(j / 2) * (size_t)f->linesize[1];
		uint8_t *pv = f->data[2] + (size_t)(j / 2) * (size_t)f->linesize[2];

		for (i = im->dst_x & ~1; i < im->dst_x + im->w; i += 2) {
			int sum = 0, dy, dx, a;

			for (dy = 0; dy < 2; dy++)
				for (dx = 0; dx < 2; dx++) {
					int yy = j + dy - im->dst_y;
					int xx = i + dx - im->dst_x;

					if (yy >= 0 && yy < im->h && xx >= 0 &&
					    xx < im->w)
						sum += im->bitmap[(size_t)yy *
						    (size_t)im->stride + xx];
				}
			if (sum == 0)
				continue;
			a = sum * opacity / 4;
			pu[i / 2] = mix(pu[i / 2], u, a);
			pv[i / 2] = mix(pv[i / 2], v, a);
		}
	}
}

int
burn_frame(struct agency *ag, struct burn *b, AVFrame *f, int64_t ms)
{
	ASS_Image *im;
	int changed;

	im = ass_render_frame(b->r, b->track, (long long)ms, &changed);
	if (im == NULL)
		return AG_OK;
	if (av_frame_make_writable(f) < 0)
		return ag_fail(ag, AG_OSERR, "out of memory");
	for (; im != NULL; im = im->next)
		if (im->w > 0 && im->h > 0)
			blend(f, im);
	return AG_OK;
}

void
burn_free(struct burn *b)
{
	if (b == NULL)
		return;
	if (b->track != NULL)
		ass_free_track(b->track);
	if (b->r != NULL)
		ass_renderer_done(b->r);
	if (b->lib != NULL)
		ass_library_done(b->lib);
	free(b);
}
