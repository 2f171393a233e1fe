/*
 * loudness.c - EBU R128 measurement (libebur128), gain to a target and
 * a true-peak limiter.
 *
 * Loudness (integrated, range) is libebur128's.  The true peak is ours:
 * BS.1770's 4x oversampling, with a windowed-sinc polyphase filter, but
 * only where a peak can be.  No interpolated point exceeds l1 (the sum
 * of the filter's absolute taps) times the largest sample it is made
 * from, so blocks of frames are visited loudest first and the search
 * stops at the first block whose bound is below the peak found.  For
 * music that is a few percent of the frames, where libebur128 would
 * oversample them all and cost three times the loudness measurement.
 *
 * The limiter works on a per-frame estimate of the same true peak: each
 * frame's samples and three points interpolated between it and the
 * next.  From it comes the gain each frame needs, r[n] = min(1,
 * ceiling / (G * peak[n])).  The limiter's gain is the minimum of r over
 * the next L frames (look-ahead), let back up slowly (release), then
 * averaged over L frames.  Every frame whose peak needs r[n] lies inside
 * the look-ahead of the L frames averaged for it, so each of them is at
 * most r[n], and so is their mean: the gain never lets a peak through,
 * and it never steps (no clicks).  The result is measured again and the
 * margin widened if need be.
 */
#include <ebur128.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agency.h"
#include "media/loudness.h"

#define TAPS 12			/* per side: 24 taps per phase */
#define PHASES 4		/* oversampling */
#define PBLOCK 64		/* frames per block of the peak search */
#define BLOCK 4096		/* frames fed to libebur128 at a time */
#define LOOKAHEAD 0.005		/* seconds */
#define RELEASE 0.150		/* seconds */
#define TRIES 6			/* rounds of limiting, at most */
#define MARGIN 0.1		/* dB kept under the ceiling */

static double
db(double lin)
{
	return lin > 0 ? 20 * log10(lin) : -HUGE_VAL;
}

static int
check(struct agency *ag, int channels, int rate)
{
	if (channels < 1 || channels > 8)
		return ag_fail(ag, AG_USAGE, "loudness: %d channels is not "
		    "1 to 8", channels);
	if (rate < 8000 || rate > 384000)
		return ag_fail(ag, AG_USAGE, "loudness: a rate of %d Hz is "
		    "not 8000 to 384000", rate);
	return AG_OK;
}

struct interp {
	float coef[PHASES][2 * TAPS];	/* tap k: x[n - TAPS + 1 + k] */
	double l1;			/* the most any point can exceed
					 * the samples it is made from */
};

/* The filter for the points p/PHASES of a frame past frame n. */
static void
design(struct interp *f)
{
	double t, sum, abssum, c[2 * TAPS];
	int p, k;

	f->l1 = 1;
	for (p = 1; p < PHASES; p++) {
		sum = abssum = 0;
		for (k = 0; k < 2 * TAPS; k++) {
			t = (double)p / PHASES - (k - TAPS + 1);
			c[k] = sin(M_PI * t) / (M_PI * t) *
			    (0.5 + 0.5 * cos(M_PI * t / TAPS));
			sum += c[k];
		}
		for (k = 0; k < 2 * TAPS; k++) {
			f->coef[p][k] = (float)(c[k] / sum);
			abssum += fabs(c[k] / sum);
		}
		if (abssum > f->l1)
			f->l1 = abssum;
	}
}

/* |sample| of pcm times gain, 0 outside the audio. */
static inline float
sample(const float *pcm, const float *gain, size_t frames, int channels,
    long long n, int c)
{
	if (n < 0 || n >= (long long)frames)
		return 0;
	return pcm[(size_t)n * (size_t)channels + (size_t)c] *
	    (gain ? gain[n] : 1.0f);
}

/*
 * peak[n - at] for the frames n of [at, at + len), len <= PBLOCK: the
 * largest |value| of frame n and of the points interpolated after it,
 * all channels.  Each tap runs over the whole block at once, so that the
 * compiler makes the inner loops vector operations (a constant trip
 * count of PBLOCK; the frames past len are computed and not kept).
 */
static void
block_peaks(const struct interp *f, const float *pcm, const float *gain,
    size_t frames, int channels, size_t at, size_t len, float *peak)
{
	float x[PBLOCK + 2 * TAPS], acc[PBLOCK];
	size_t n;
	int c, p, k;

	for (n = 0; n < len; n++)
		peak[n] = 0;
	for (c = 0; c < channels; c++) {
		for (n = 0; n < PBLOCK + 2 * TAPS - 1; n++)
			x[n] = sample(pcm, gain, frames, channels,
			    (long long)(at + n) - TAPS + 1, c);
		for (n = 0; n < len; n++)
			peak[n] = fmaxf(peak[n], fabsf(x[TAPS - 1 + n]));
		for (p = 1; p < PHASES; p++) {
			for (n = 0; n < PBLOCK; n++)
				acc[n] = 0;
			for (k = 0; k < 2 * TAPS; k++)
				for (n = 0; n < PBLOCK; n++)
					acc[n] += f->coef[p][k] * x[n + k];
			for (n = 0; n < len; n++)
				peak[n] = fmaxf(peak[n], fabsf(acc[n]));
		}
	}
}

/* The largest of block_peaks(), for the frames of [at, end). */
static float
block_max(const struct interp *f, const float *pcm, const float *gain,
    size_t frames, int channels, size_t at, size_t end)
{
	float peak[PBLOCK], m = 0;
	size_t n, len = end - at < PBLOCK ? end - at : PBLOCK;

	block_peaks(f, pcm, gain, frames, channels, at, len, peak);
	for (n = 0; n < len; n++)
		m = fmaxf(m, peak[n]);
	return m;
}

struct block {
	float bound;			/* no point of the block is above */
	size_t at;			/* first frame */
};

static int
cmpblock(const void *pa, const void *pb)
{
	const struct block *a = pa, *b = pb;

	return a->bound < b->bound ? 1 : a->bound > b->bound ? -1 :
	    a->at < b->at ? -1 : a->at > b->at;
}

/*
 * The bound of each block of PBLOCK frames: l1 times the largest sample
 * any of its points is made from (its neighbours' reach in, as TAPS <
 * PBLOCK).  *max gets the largest sample of all.  New array.
 */
static struct block *
blocks(const struct interp *f, const float *pcm, const float *gain,
    size_t frames, int channels, size_t *nb, float *max)
{
	size_t n = (frames + PBLOCK - 1) / PBLOCK, b, i;
	float *peak = xcalloc(n + 2, sizeof(*peak)), v;
	struct block *bl = xmalloc((n ? n : 1) * sizeof(*bl));
	int c;

	*max = 0;
	for (i = 0; i < frames; i++) {
		for (c = 0; c < channels; c++) {
			v = fabsf(sample(pcm, gain, frames, channels,
			    (long long)i, c));
			if (v > peak[i / PBLOCK + 1])
				peak[i / PBLOCK + 1] = v;
		}
	}
	for (b = 0; b < n; b++) {
		v = fmaxf(peak[b], fmaxf(peak[b + 1], peak[b + 2]));
		bl[b].bound = (float)(v * f->l1);
		bl[b].at = b * PBLOCK;
		*max = fmaxf(*max, peak[b + 1]);
	}
	free(peak);
	*nb = n;
	return bl;
}

/* The true peak of pcm times gain, linear: see the top of the file. */
static double
true_peak(const float *pcm, const float *gain, size_t frames, int channels)
{
	struct interp f;
	struct block *bl;
	size_t nb, b;
	float best;

	design(&f);
	bl = blocks(&f, pcm, gain, frames, channels, &nb, &best);
	qsort(bl, nb, sizeof(*bl), cmpblock);
	for (b = 0; b < nb && bl[b].bound > best; b++)
		best = fmaxf(best, block_max(&f, pcm, gain, frames, channels,
		    bl[b].at, frames));
	free(bl);
	return best;
}

/*
 * peak[n] for the limiter: the frame's true peak where it may come
 * within 6 dB of limit, else its block's bound (no less than the
 * truth, so the limiter can only do too much there, and it cannot
 * act at all: the bound is under limit).
 */
static void
peaks(const float *pcm, size_t frames, int channels, double limit,
    float *peak)
{
	struct interp f;
	struct block *bl;
	size_t nb, b, n, len;
	float max;

	design(&f);
	bl = blocks(&f, pcm, NULL, frames, channels, &nb, &max);
	for (b = 0; b < nb; b++) {
		len = frames - bl[b].at < PBLOCK ? frames - bl[b].at : PBLOCK;
		if (bl[b].bound > limit / 2)
			block_peaks(&f, pcm, NULL, frames, channels, bl[b].at,
			    len, peak + bl[b].at);
		else
			for (n = 0; n < len; n++)
				peak[bl[b].at + n] = bl[b].bound;
	}
	free(bl);
}

/*
 * Measure pcm, each frame times gain[n] (NULL: 1).  full: loudness
 * range and true peak too; else the integrated loudness and the sample
 * peak only.
 */
static int
measure(struct agency *ag, const float *pcm, size_t frames, int channels,
    int rate, const float *gain, int full, struct loudness *out)
{
	ebur128_state *st;
	float *block = NULL;
	double v, peak = 0;
	size_t at, n, i;
	int c, e = EBUR128_SUCCESS;

	st = ebur128_init((unsigned)channels, (unsigned long)rate, full ?
	    EBUR128_MODE_I | EBUR128_MODE_LRA | EBUR128_MODE_SAMPLE_PEAK :
	    EBUR128_MODE_I | EBUR128_MODE_SAMPLE_PEAK);
	if (st == NULL)
		return ag_fail(ag, AG_OSERR, "loudness: out of memory");
	if (gain != NULL)
		block = xmalloc(BLOCK * (size_t)channels * sizeof(*block));
	for (at = 0; at < frames && e == EBUR128_SUCCESS; at += n) {
		n = frames - at < BLOCK ? frames - at : BLOCK;
		if (block == NULL) {
			e = ebur128_add_frames_float(st,
			    pcm + at * (size_t)channels, n);
			continue;
		}
		for (i = 0; i < n * (size_t)channels; i++)
			block[i] = pcm[at * (size_t)channels + i] *
			    gain[at + i / (size_t)channels];
		e = ebur128_add_frames_float(st, block, n);
	}
	free(block);
	if (e != EBUR128_SUCCESS) {
		ebur128_destroy(&st);
		return ag_fail(ag, AG_OSERR, "loudness: out of memory");
	}
	memset(out, 0, sizeof(*out));
	if (ebur128_loudness_global(st, &out->integrated) != EBUR128_SUCCESS ||
	    !isfinite(out->integrated))
		out->integrated = -HUGE_VAL;
	if (!full || ebur128_loudness_range(st, &out->range) !=
	    EBUR128_SUCCESS || !isfinite(out->range))
		out->range = 0;
	for (c = 0; c < channels; c++)
		if (ebur128_sample_peak(st, (unsigned)c, &v) ==
		    EBUR128_SUCCESS && v > peak)
			peak = v;
	out->sample_peak = db(peak);
	out->true_peak = full ? db(true_peak(pcm, gain, frames, channels)) :
	    out->sample_peak;
	ebur128_destroy(&st);
	return AG_OK;
}

int
loudness_measure(struct agency *ag, const float *pcm, size_t frames,
    int channels, int rate, struct loudness *out)
{
	int rc;

	if ((rc = check(ag, channels, rate)) != AG_OK)
		return rc;
	return measure(ag, pcm, frames, channels, rate, NULL, 1, out);
}

/* The limiter's gain times g into out: see the top of the file. */
static void
envelope(const float *peak, size_t frames, int rate, double g, double ceil,
    float *out)
{
	size_t la = (size_t)(LOOKAHEAD * rate) + 1, cap = la + 2;
	size_t n, j = 0, head = 0, tail = 0;
	size_t *dq = xmalloc(cap * sizeof(*dq));
	double *ring = xmalloc(la * sizeof(*ring));
	float *need = xmalloc((frames ? frames : 1) * sizeof(*need));
	double rel = 1 - exp(-1.0 / (RELEASE * rate)), cur = 1, sum = la;

	for (n = 0; n < frames; n++)
		need[n] = peak[n] * g > ceil ? (float)(ceil / (peak[n] * g)) :
		    1.0f;
	/* The minimum over [n, n + la), from a deque of rising values. */
	for (n = 0; n < frames; n++) {
		for (; j < frames && j < n + la; j++) {
			while (tail > head && need[dq[(tail - 1) % cap]] >=
			    need[j])
				tail--;
			dq[tail++ % cap] = j;
		}
		while (dq[head % cap] < n)
			head++;
		out[n] = need[dq[head % cap]];
	}
	/* Release, then the mean of the last la values (1 before 0). */
	for (n = 0; n < frames; n++) {
		cur += (1 - cur) * rel;
		if (out[n] < cur)
			cur = out[n];
		sum += cur - (n >= la ? ring[n % la] : 1.0);
		ring[n % la] = cur;
		out[n] = (float)(g * sum / (double)la);
	}
	free(need);
	free(ring);
	free(dq);
}

int
loudness_normalize(struct agency *ag, const float *pcm, size_t frames,
    int channels, int rate, double target, double ceiling, float **gain,
    struct loudness *after)
{
	struct loudness m0, m;
	float *peak = NULL, *g;
	double gdb, margin = MARGIN, fix, lin;
	size_t n;
	int rc = AG_OK, i;

	if ((rc = check(ag, channels, rate)) != AG_OK)
		return rc;
	if ((rc = measure(ag, pcm, frames, channels, rate, NULL, 1, &m0)) !=
	    AG_OK)
		return rc;
	g = xmalloc((frames ? frames : 1) * sizeof(*g));
	gdb = m0.integrated == -HUGE_VAL ? 0 : target - m0.integrated;
	if (gdb == 0 || m0.true_peak + gdb <= ceiling - MARGIN) {
		/*
		 * No peak comes near the ceiling: a plain gain, and the new
		 * figures follow from the old (gating scales with the
		 * signal, and the true peak is linear in it).
		 */
		lin = pow(10, gdb / 20);
		for (n = 0; n < frames; n++)
			g[n] = (float)lin;
		m = m0;
		if (gdb != 0) {
			m.integrated += gdb;
			m.true_peak += gdb;
			m.sample_peak += gdb;
		}
		*gain = g;
		*after = m;
		return AG_OK;
	}
	/* Limit: fit the static gain with cheap measurements, then check
	 * the true peak with a full one. */
	peak = xmalloc((frames ? frames : 1) * sizeof(*peak));
	peaks(pcm, frames, channels, pow(10, (ceiling - gdb) / 20), peak);
	for (i = 0; i < TRIES; i++) {
		envelope(peak, frames, rate, pow(10, gdb / 20),
		    pow(10, (ceiling - margin) / 20), g);
		if ((rc = measure(ag, pcm, frames, channels, rate, g, 0,
		    &m)) != AG_OK)
			goto out;
		if (fabs(m.integrated - target) <= 0.1 || i == TRIES - 1) {
			if ((rc = measure(ag, pcm, frames, channels, rate, g,
			    1, &m)) != AG_OK)
				goto out;
			if (m.true_peak <= ceiling)
				break;
			margin += m.true_peak - ceiling + 0.05;
			continue;
		}
		gdb += target - m.integrated;
	}
	ag_debug(ag, "loudness: limited to %.2f dBTP in %d rounds, %+.2f dB "
	    "of gain", m.true_peak, i + 1, gdb);
	if (m.true_peak > ceiling) {
		/* A plain gain lowers every peak alike: the last resort. */
		fix = pow(10, (ceiling - 0.05 - m.true_peak) / 20);
		for (n = 0; n < frames; n++)
			g[n] = (float)(g[n] * fix);
		if ((rc = measure(ag, pcm, frames, channels, rate, g, 1,
		    &m)) != AG_OK)
			goto out;
	}
	*gain = g;
	g = NULL;
	*after = m;
out:
	free(peak);
	free(g);
	return rc;
}

void
loudness_apply(float *pcm, size_t frames, int channels, const float *gain)
{
	size_t n;
	int c;

	for (n = 0; n < frames; n++)
		for (c = 0; c < channels; c++)
			pcm[n * (size_t)channels + (size_t)c] *= gain[n];
}

/*
 * The streaming meter: libebur128 takes the frames as they come; the
 * true peak is searched block by block as above, except that blocks
 * come in order, so a block is skipped when its bound is under the
 * peak found so far.  The last TAPS frames wait for the frames after
 * them (or the zeros at the end) before they are searched.
 */
struct loudness_meter {
	ebur128_state *st;
	struct interp f;
	int channels;
	float *buf;			/* context, then frames to search */
	size_t have, cap;		/* frames */
	size_t done;			/* frames of buf searched */
	float tp;
};

int
loudness_meter_new(struct agency *ag, int channels, int rate,
    struct loudness_meter **out)
{
	struct loudness_meter *m;
	int rc;

	if ((rc = check(ag, channels, rate)) != AG_OK)
		return rc;
	m = xcalloc(1, sizeof(*m));
	m->channels = channels;
	m->st = ebur128_init((unsigned)channels, (unsigned long)rate,
	    EBUR128_MODE_I | EBUR128_MODE_LRA | EBUR128_MODE_SAMPLE_PEAK);
	if (m->st == NULL) {
		free(m);
		return ag_fail(ag, AG_OSERR, "loudness: out of memory");
	}
	design(&m->f);
	/* TAPS frames of silence before the first. */
	m->cap = 4 * BLOCK;
	m->buf = xcalloc(m->cap * (size_t)channels, sizeof(*m->buf));
	m->have = m->done = TAPS;
	*out = m;
	return AG_OK;
}

/* Search the frames of buf that have TAPS frames after them. */
static void
search(struct loudness_meter *m)
{
	size_t ch = (size_t)m->channels, end, b, i, lo, hi, keep;
	float v;

	end = m->have >= TAPS ? m->have - TAPS : 0;
	if (end <= m->done)
		return;
	for (b = m->done; b < end; b += PBLOCK) {
		lo = b - (TAPS - 1);
		hi = b + PBLOCK + TAPS < m->have ? b + PBLOCK + TAPS : m->have;
		v = 0;
		for (i = lo * ch; i < hi * ch; i++)
			v = fmaxf(v, fabsf(m->buf[i]));
		if (v * m->f.l1 <= m->tp)
			continue;
		m->tp = fmaxf(m->tp, block_max(&m->f, m->buf, NULL, m->have,
		    m->channels, b, end));
	}
	/* Keep TAPS frames of context and the frames not yet searched. */
	keep = end - (TAPS - 1);
	memmove(m->buf, m->buf + keep * ch, (m->have - keep) * ch *
	    sizeof(*m->buf));
	m->have -= keep;
	m->done = end - keep;
}

int
loudness_meter_add(struct agency *ag, struct loudness_meter *m,
    const float *pcm, size_t frames)
{
	size_t ch = (size_t)m->channels, n;

	if (ebur128_add_frames_float(m->st, pcm, frames) != EBUR128_SUCCESS)
		return ag_fail(ag, AG_OSERR, "loudness: out of memory");
	while (frames > 0) {
		n = m->cap - m->have < frames ? m->cap - m->have : frames;
		memcpy(m->buf + m->have * ch, pcm, n * ch * sizeof(*pcm));
		m->have += n;
		pcm += n * ch;
		frames -= n;
		search(m);
	}
	return AG_OK;
}

void
loudness_meter_result(struct loudness_meter *m, struct loudness *out)
{
	size_t ch = (size_t)m->channels;
	double v, peak = 0;
	int c;

	/* The last frames, with silence after them. */
	memset(m->buf + m->have * ch, 0, TAPS * ch * sizeof(*m->buf));
	m->have += TAPS;
	search(m);
	memset(out, 0, sizeof(*out));
	if (ebur128_loudness_global(m->st, &out->integrated) !=
	    EBUR128_SUCCESS || !isfinite(out->integrated))
		out->integrated = -HUGE_VAL;
	if (ebur128_loudness_range(m->st, &out->range) != EBUR128_SUCCESS ||
	    !isfinite(out->range))
		out->range = 0;
	for (c = 0; c < m->channels; c++)
		if (ebur128_sample_peak(m->st, (unsigned)c, &v) ==
		    EBUR128_SUCCESS && v > peak)
			peak = v;
	out->sample_peak = db(peak);
	out->true_peak = db(fmax(m->tp, peak));
}

void
loudness_meter_free(struct loudness_meter *m)
{
	if (m == NULL)
		return;
	ebur128_destroy(&m->st);
	free(m->buf);
	free(m);
}
