/*
 * kenburns.c - zoom and pan over a pre-scaled still (kenburns.h).
 *
 * The resample is separable and in fixed point.  For each output row,
 * the two source rows around it are blended (a loop the compiler
 * vectorises); then each output pixel is the weighted pair of blended
 * samples around its source column, from per-column tables (the index,
 * and the two 8-bit weights packed in a word).  Where the machine has
 * AVX2, the blend takes sixteen samples at a time and the second step,
 * a gather, eight.  The window is never smaller than the output (the still was
 * scaled to the largest zoom), so nothing is ever enlarged.
 *
 * Zoom moves in equal ratios per frame (z0 * (z1/z0)^t), which the eye
 * sees as a steady zoom; the centre moves in a straight line and is held
 * inside the picture.
 */
#include <math.h>
#include <string.h>

#include <libavutil/frame.h>

#include "agency.h"
#include "media/kenburns.h"
#include "media/picture.h"

static int have_avx2(void);

int
kenburns_init(struct agency *ag, struct kenburns *kb, const AVFrame *picture,
    int w, int h, const struct edl_motion *m, double fx, double fy)
{
	int pw, ph, rc;

	memset(kb, 0, sizeof(*kb));
	kb->w = w;
	kb->h = h;
	kb->m = *m;
	kb->zmax = fmax(1.0, fmax(m->zoom[0], m->zoom[1]));
	kb->simd = have_avx2();
	pw = ((int)ceil(w * kb->zmax) + 1) & ~1;
	ph = ((int)ceil(h * kb->zmax) + 1) & ~1;
	if (picture->width == pw && picture->height == ph &&
	    picture->format == AV_PIX_FMT_YUV420P &&
	    picture->colorspace == AVCOL_SPC_BT709 &&
	    picture->color_range == AVCOL_RANGE_MPEG) {
		/* Fitted already (another segment's): shared, not copied. */
		if ((kb->pic = av_frame_clone(picture)) == NULL)
			return ag_fail(ag, AG_OSERR, "out of memory");
	} else if ((rc = picture_fit(ag, picture, pw, ph, FIT_COVER, fx, fy,
	    &kb->pic)) != AG_OK) {
		return rc;
	}
	kb->xi = xcalloc((size_t)w, sizeof(*kb->xi));
	kb->xw = xcalloc((size_t)w, sizeof(*kb->xw));
	kb->row = xcalloc((size_t)pw + 16, sizeof(*kb->row));
	kb->mask = xcalloc((size_t)w + 8, 4);
	return AG_OK;
}

void
kenburns_release(struct kenburns *kb)
{
	av_frame_free(&kb->pic);
	free(kb->xi);
	free(kb->xw);
	free(kb->row);
	free(kb->mask);
	memset(kb, 0, sizeof(*kb));
}

/*
 * Two source rows blended into one, at 15 bits (so that the horizontal
 * pass can multiply pairs in signed 16-bit lanes): t = (a wa + b wb) / 2
 * with wa + wb = 256, which never passes 65280 before the halving.
 */
static void
vblend(const uint8_t *a, const uint8_t *b, unsigned wb, int lo, int hi,
    uint16_t *t)
{
	unsigned wa = 256 - wb;
	int x;

	for (x = lo; x < hi; x++)
		t[x] = (uint16_t)((a[x] * wa + b[x] * wb) >> 1);
}

/* Each output pixel from its pair of blended samples: out = (t0 w0 + t1 w1) / 2^15. */
static void
hpass(const uint16_t *t, const int32_t *xi, const uint32_t *xw, int n,
    uint8_t *out)
{
	uint32_t p;
	int i;

	for (i = 0; i < n; i++) {
		memcpy(&p, t + xi[i], sizeof(p));
		out[i] = (uint8_t)(((p & 0xffff) * (xw[i] & 0xffff) +
		    (p >> 16) * (xw[i] >> 16) + 16384) >> 15);
	}
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

__attribute__((target("avx2")))
static void
vblend_avx2(const uint8_t *a, const uint8_t *b, unsigned wb, int lo, int hi,
    uint16_t *t)
{
	const __m256i va = _mm256_set1_epi16((short)(256 - wb));
	const __m256i vb = _mm256_set1_epi16((short)wb);
	__m256i x0, x1;
	int x = lo;

	for (; x + 16 <= hi; x += 16) {
		x0 = _mm256_cvtepu8_epi16(_mm_loadu_si128(
		    (const __m128i *)(const void *)(a + x)));
		x1 = _mm256_cvtepu8_epi16(_mm_loadu_si128(
		    (const __m128i *)(const void *)(b + x)));
		x0 = _mm256_add_epi16(_mm256_mullo_epi16(x0, va),
		    _mm256_mullo_epi16(x1, vb));
		_mm256_storeu_si256((__m256i *)(void *)(t + x),
		    _mm256_srli_epi16(x0, 1));
	}
	vblend(a, b, wb, x, hi, t);
}

/*
 * The same eight pixels at a time: one gather fetches each pixel's pair
 * of neighbours as a 32-bit word, one multiply-add weighs them.
 */
__attribute__((target("avx2")))
static void
hpass_avx2(const uint16_t *t, const int32_t *xi, const uint32_t *xw, int n,
    uint8_t *out)
{
	const __m256i round = _mm256_set1_epi32(16384);
	__m256i idx, pair, w, s;
	__m128i lo, hi, p;
	int i = 0;

	for (; i + 8 <= n; i += 8) {
		idx = _mm256_loadu_si256((const __m256i *)(xi + i));
		pair = _mm256_i32gather_epi32((const int *)(const void *)t,
		    idx, 2);
		w = _mm256_loadu_si256((const __m256i *)(xw + i));
		s = _mm256_srli_epi32(_mm256_add_epi32(_mm256_madd_epi16(pair,
		    w), round), 15);
		lo = _mm256_castsi256_si128(s);
		hi = _mm256_extracti128_si256(s, 1);
		p = _mm_packus_epi32(lo, hi);
		_mm_storel_epi64((__m128i *)(void *)(out + i),
		    _mm_packus_epi16(p, p));
	}
	hpass(t, xi + i, xw + i, n - i, out + i);
}

/*
 * Faster still when the window is less than twice the output: the pairs
 * of four pixels then lie within eight samples of the first, so each
 * 128-bit lane loads sixteen bytes once and a byte shuffle (masks made
 * per frame by shuffles()) puts every pixel's pair in its 32-bit slot.
 */
__attribute__((target("avx2")))
static void
hpass_shuffle(const uint16_t *t, const int32_t *xi, const uint32_t *xw,
    const uint8_t *mask, int n, uint8_t *out)
{
	const __m256i round = _mm256_set1_epi32(16384);
	__m256i v, pair, s;
	__m128i lo, hi, p;
	int i = 0;

	for (; i + 8 <= n; i += 8) {
		v = _mm256_loadu2_m128i((const __m128i *)(const void *)
		    (t + xi[i + 4]), (const __m128i *)(const void *)(t + xi[i]));
		pair = _mm256_shuffle_epi8(v, _mm256_loadu_si256(
		    (const __m256i *)(const void *)(mask + 4 * i)));
		s = _mm256_srli_epi32(_mm256_add_epi32(_mm256_madd_epi16(pair,
		    _mm256_loadu_si256((const __m256i *)(const void *)
		    (xw + i))), round), 15);
		lo = _mm256_castsi256_si128(s);
		hi = _mm256_extracti128_si256(s, 1);
		p = _mm_packus_epi32(lo, hi);
		_mm_storel_epi64((__m128i *)(void *)(out + i),
		    _mm_packus_epi16(p, p));
	}
	hpass(t, xi + i, xw + i, n - i, out + i);
}

static int
have_avx2(void)
{
	static int known = -1;

	if (known < 0)
		known = __builtin_cpu_supports("avx2") != 0;
	return known;
}
#else
static int
have_avx2(void)
{
	return 0;
}
#define hpass_avx2 hpass
#define vblend_avx2 vblend
#define hpass_shuffle(t, xi, xw, mask, n, out) hpass(t, xi, xw, n, out)
#endif

/*
 * The byte masks of hpass_shuffle(), four pixels to sixteen bytes; 0 if
 * some group's pairs do not fit in its eight samples.
 */
static int
shuffles(const int32_t *xi, int n, uint8_t *mask)
{
	int g, k, off;

	for (g = 0; g + 4 <= n; g += 4) {
		for (k = 0; k < 4; k++) {
			off = xi[g + k] - xi[g];
			if (off < 0 || off > 6)
				return 0;
			mask[4 * (g + k)] = (uint8_t)(2 * off);
			mask[4 * (g + k) + 1] = (uint8_t)(2 * off + 1);
			mask[4 * (g + k) + 2] = (uint8_t)(2 * off + 2);
			mask[4 * (g + k) + 3] = (uint8_t)(2 * off + 3);
		}
	}
	return 1;
}

static double
clampd(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/*
 * One plane: out (dw by dh) from the window of src (sw by sh) whose top
 * left corner is (x0, y0), sc source pixels to an output pixel.  The
 * vertical blend comes first, over the columns the window spans, then
 * the horizontal resample of that row.
 */
static void
plane(struct kenburns *kb, const uint8_t *src, int sstride, int sw, int sh,
    double x0, double y0, double sc, uint8_t *dst, int dstride, int dw,
    int dh)
{
	int i, j, ix, iy, lo, hi, avx2 = kb->simd, fast;
	double sx, sy;
	unsigned f;

	for (i = 0; i < dw; i++) {
		sx = clampd(x0 + (i + 0.5) * sc - 0.5, 0, sw - 1);
		ix = (int)sx < sw - 2 ? (int)sx : sw - 2;
		f = (unsigned)lround((sx - ix) * 256);
		kb->xi[i] = ix;
		kb->xw[i] = (256 - f) | f << 16;
	}
	lo = kb->xi[0];
	hi = kb->xi[dw - 1] + 2;
	fast = avx2 && shuffles(kb->xi, dw, kb->mask);
	for (j = 0; j < dh; j++) {
		sy = clampd(y0 + (j + 0.5) * sc - 0.5, 0, sh - 1);
		iy = (int)sy < sh - 2 ? (int)sy : sh - 2;
		f = (unsigned)lround((sy - iy) * 256);
		(avx2 ? vblend_avx2 : vblend)(src + (size_t)iy * sstride,
		    src + (size_t)(iy + 1) * sstride, f, lo, hi, kb->row);
		if (fast)
			hpass_shuffle(kb->row, kb->xi, kb->xw, kb->mask, dw,
			    dst + (size_t)j * dstride);
		else
			(avx2 ? hpass_avx2 : hpass)(kb->row, kb->xi, kb->xw,
			    dw, dst + (size_t)j * dstride);
	}
}

void
kenburns_render(struct kenburns *kb, double t, AVFrame *out)
{
	const struct edl_motion *m = &kb->m;
	const AVFrame *p = kb->pic;
	double z, cx, cy, vw, vh, x0, y0, sc;

	t = clampd(t, 0, 1);
	z = m->zoom[0] * pow(m->zoom[1] / m->zoom[0], t);
	z = clampd(z, 1, kb->zmax);
	cx = (m->x[0] + (m->x[1] - m->x[0]) * t) * p->width;
	cy = (m->y[0] + (m->y[1] - m->y[0]) * t) * p->height;
	vw = p->width / z;
	vh = p->height / z;
	cx = clampd(cx, vw / 2, p->width - vw / 2);
	cy = clampd(cy, vh / 2, p->height - vh / 2);
	x0 = cx - vw / 2;
	y0 = cy - vh / 2;
	sc = vw / kb->w;
	plane(kb, p->data[0], p->linesize[0], p->width, p->height, x0, y0, sc,
	    out->data[0], out->linesize[0], kb->w, kb->h);
	plane(kb, p->data[1], p->linesize[1], p->width / 2, p->height / 2,
	    x0 / 2, y0 / 2, sc, out->data[1], out->linesize[1], kb->w / 2,
	    kb->h / 2);
	plane(kb, p->data[2], p->linesize[2], p->width / 2, p->height / 2,
	    x0 / 2, y0 / 2, sc, out->data[2], out->linesize[2], kb->w / 2,
	    kb->h / 2);
}
