/*
 * t-kenburns - the Ken Burns resample against references written here:
 * the same fixed-point arithmetic done plainly, pixel by pixel (it must
 * match exactly), and a bilinear in floating point (within one level).
 * The AVX2 paths (the row blend, the gather and the shuffle) must give
 * the very bytes of the plain C path.
 */
#include <math.h>

#include <libavutil/frame.h>

#include "tap.h"
#include "media/kenburns.h"

static uint32_t seed = 12345;

static unsigned
rnd(void)
{
	seed = seed * 1103515245 + 12345;
	return seed >> 16;
}

static AVFrame *
frame(int w, int h, int noise)
{
	AVFrame *f = av_frame_alloc();
	int p, x, y;

	f->format = AV_PIX_FMT_YUV420P;
	f->width = w;
	f->height = h;
	if (av_frame_get_buffer(f, 0) < 0)
		abort();
	for (p = 0; p < 3; p++)
		for (y = 0; y < (p ? h / 2 : h); y++)
			for (x = 0; x < (p ? w / 2 : w); x++)
				f->data[p][y * f->linesize[p] + x] = noise ?
				    (uint8_t)rnd() : (uint8_t)(x * 7 + y * 3);
	return f;
}

static double
clampd(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* The view at t, as kenburns_render() places it (kenburns.h). */
struct view {
	double x0, y0, sc;
};

static struct view
view_at(const struct kenburns *kb, double t)
{
	const struct edl_motion *m = &kb->m;
	const AVFrame *p = kb->pic;
	struct view v;
	double z, cx, cy, vw, vh;

	z = clampd(m->zoom[0] * pow(m->zoom[1] / m->zoom[0], t), 1, kb->zmax);
	vw = p->width / z;
	vh = p->height / z;
	cx = clampd((m->x[0] + (m->x[1] - m->x[0]) * t) * p->width, vw / 2,
	    p->width - vw / 2);
	cy = clampd((m->y[0] + (m->y[1] - m->y[0]) * t) * p->height, vh / 2,
	    p->height - vh / 2);
	v.x0 = cx - vw / 2;
	v.y0 = cy - vh / 2;
	v.sc = vw / kb->w;
	return v;
}

/* Where output pixel i samples: index, fraction (0..1), 8-bit weight. */
static void
tap_at(double o, double sc, int i, int n, int *ix, double *fr, unsigned *w)
{
	double s = clampd(o + (i + 0.5) * sc - 0.5, 0, n - 1);

	*ix = (int)s < n - 2 ? (int)s : n - 2;
	*fr = s - *ix;
	*w = (unsigned)lround(*fr * 256);
}

/*
 * Compare plane p of out with both references; returns the number of
 * pixels that differ from the fixed-point one, *worst the largest
 * difference from the floating-point one.
 */
static long
check_plane(const struct kenburns *kb, const AVFrame *out, int p, double t,
    int *worst)
{
	const AVFrame *src = kb->pic;
	struct view v = view_at(kb, t);
	int sw = p ? src->width / 2 : src->width;
	int sh = p ? src->height / 2 : src->height;
	int dw = p ? kb->w / 2 : kb->w, dh = p ? kb->h / 2 : kb->h;
	double x0 = p ? v.x0 / 2 : v.x0, y0 = p ? v.y0 / 2 : v.y0, fx, fy;
	const uint8_t *s = src->data[p];
	int ls = src->linesize[p], i, j, ix, iy, d;
	unsigned wx, wy, r0, r1, fixed;
	long bad = 0;
	double exact;

	for (j = 0; j < dh; j++) {
		tap_at(y0, v.sc, j, sh, &iy, &fy, &wy);
		for (i = 0; i < dw; i++) {
			const uint8_t *a, *b;
			uint8_t got;

			tap_at(x0, v.sc, i, sw, &ix, &fx, &wx);
			a = s + (size_t)iy * ls + ix;
			b = a + ls;
			/* Rows blended to 15 bits, then the columns. */
			r0 = (a[0] * (256 - wy) + b[0] * wy) >> 1;
			r1 = (a[1] * (256 - wy) + b[1] * wy) >> 1;
			fixed = (r0 * (256 - wx) + r1 * wx + 16384) >> 15;
			exact = (1 - fy) * ((1 - fx) * a[0] + fx * a[1]) +
			    fy * ((1 - fx) * b[0] + fx * b[1]);
			got = out->data[p][(size_t)j * out->linesize[p] + i];
			if (got != fixed)
				bad++;
			d = abs((int)got - (int)lround(exact));
			if (d > *worst)
				*worst = d;
		}
	}
	return bad;
}

static int
same_frames(const AVFrame *a, const AVFrame *b)
{
	int p, y, w, h;

	for (p = 0; p < 3; p++) {
		w = p ? a->width / 2 : a->width;
		h = p ? a->height / 2 : a->height;
		for (y = 0; y < h; y++)
			if (memcmp(a->data[p] + (size_t)y * a->linesize[p],
			    b->data[p] + (size_t)y * b->linesize[p],
			    (size_t)w) != 0)
				return 0;
	}
	return 1;
}

struct move {
	const char *what;
	int w, h;
	double z0, z1, x0, x1, y0, y1;
};

int
main(void)
{
	static const struct move moves[] = {
		/* The window 1.5 to 1 times the output: the shuffle path. */
		{ "zoom in, drifting right", 102, 70, 1, 1.5, 0.3, 0.7, 0.5,
		    0.5 },
		/* Three times the output at the start: the gather path. */
		{ "a deep zoom out", 96, 64, 3, 1, 0.5, 0.5, 0.4, 0.6 },
		/* Wide rows: sixteen samples at a time, and tails. */
		{ "wide frame, slow zoom", 246, 38, 1, 1.18, 0.5, 0.5, 0.5,
		    0.5 },
		/* A centre held inside the picture. */
		{ "pan past the edges", 64, 112, 2, 2, 0, 1, 1, 0 },
	};
	static const double ts[] = { 0, 0.25, 0.5, 0.77, 1 };
	struct agency ag;
	struct kenburns kb;
	struct edl_motion m;
	AVFrame *src, *a, *b, *prev;
	size_t k, i;
	int worst, p, moved, simd;
	long bad;

	tap_tmpdir();
	tap_agency(&ag, "t-kenburns");

	for (k = 0; k < sizeof(moves) / sizeof(moves[0]); k++) {
		const struct move *mv = &moves[k];

		memset(&m, 0, sizeof(m));
		m.on = 1;
		m.zoom[0] = mv->z0;
		m.zoom[1] = mv->z1;
		m.x[0] = mv->x0;
		m.x[1] = mv->x1;
		m.y[0] = mv->y0;
		m.y[1] = mv->y1;
		src = frame(320, 240, 1);
		is_int(kenburns_init(&ag, &kb, src, mv->w, mv->h, &m, 0.5,
		    0.5), AG_OK, "%s: init", mv->what);
		av_frame_free(&src);
		simd = kb.simd;
#if defined(__x86_64__) && defined(__GNUC__)
		if (k == 0) {
			if (__builtin_cpu_supports("avx2"))
				ok(simd == 1, "this CPU has AVX2, and the "
				    "AVX2 paths are taken");
			else
				ok(simd == 0, "# SKIP no AVX2 here");
		}
#endif
		a = frame(mv->w, mv->h, 0);
		b = frame(mv->w, mv->h, 0);
		prev = frame(mv->w, mv->h, 0);
		moved = 1;
		for (i = 0; i < sizeof(ts) / sizeof(ts[0]); i++) {
			kb.simd = simd;
			kenburns_render(&kb, ts[i], a);
			kb.simd = 0;
			kenburns_render(&kb, ts[i], b);
			ok(same_frames(a, b), "%s at t=%g: AVX2 and plain C "
			    "give the same bytes", mv->what, ts[i]);
			bad = 0;
			worst = 0;
			for (p = 0; p < 3; p++)
				bad += check_plane(&kb, b, p, ts[i], &worst);
			is_int(bad, 0, "%s at t=%g: the fixed-point reference, "
			    "exactly", mv->what, ts[i]);
			ok(worst <= 1, "%s at t=%g: the bilinear within one "
			    "level (%d)", mv->what, ts[i], worst);
			if (i > 0 && same_frames(a, prev))
				moved = 0;
			if (mv->x0 == 0 && ts[i] == 0.25)
				ok(same_frames(a, prev), "%s: held at the "
				    "edge (x 0 and 0.25 of the way show the "
				    "same)", mv->what);
			av_frame_copy(prev, a);
		}
		if (mv->x0 != 0)
			ok(moved, "%s: every frame differs from the one "
			    "before", mv->what);
		av_frame_free(&a);
		av_frame_free(&b);
		av_frame_free(&prev);
		kenburns_release(&kb);
	}

	/* No zoom, no move: the picture itself. */
	memset(&m, 0, sizeof(m));
	m.on = 1;
	m.zoom[0] = m.zoom[1] = 1;
	m.x[0] = m.x[1] = m.y[0] = m.y[1] = 0.5;
	src = frame(64, 48, 1);
	is_int(kenburns_init(&ag, &kb, src, 64, 48, &m, 0.5, 0.5), AG_OK,
	    "a still at its own size");
	a = frame(64, 48, 0);
	kenburns_render(&kb, 0.5, a);
	ok(same_frames(a, kb.pic), "no zoom and no move is a copy of the "
	    "(fitted) picture");
	kenburns_render(&kb, -3, a);
	b = frame(64, 48, 0);
	kenburns_render(&kb, 0, b);
	ok(same_frames(a, b), "t before 0 is t = 0");
	av_frame_free(&a);
	av_frame_free(&b);
	av_frame_free(&src);
	kenburns_release(&kb);
	ag_release(&ag);
	return done_testing();
}
