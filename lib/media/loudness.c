/*
 * loudness.c - EBU R128 measurement (libebur128), gain to a target and
 * a true-peak limiter.
 *
 * The limiter works on a per-frame estimate of the true peak: each
 * frame's samples and three points interpolated between it and the
 * next (4x oversampling with a windowed-sinc polyphase filter, as
 * BS.1770 asks).  From it comes the gain each frame needs, r[n] =
 * min(1, ceiling / (G * peak[n])).  The limiter's gain is the minimum
 * of r over the next L frames (look-ahead), let back up slowly
 * (release), then averaged over L frames.  Every frame whose peak
 * needs r[n] lies inside the look-ahead of the L frames averaged for
 * it, so each of them is at most r[n], and so is their mean: the gain
 * never lets a peak through, and it never steps (no clicks).  The
 * estimate is close to libebur128's but not the same, so the result is
 * measured again and the margin widened if need be.
 */
#include <ebur128.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agency.h"
#include "media/loudness.h"

#define TAPS 6			/* per side: 12 taps per phase */
#define PHASES 4		/* oversampling */
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

/*
 * Measure pcm, each frame times gain[n] (NULL: 1).  full: loudness
 * range and true peak too (four times the work); else the integrated
 * loudness and the sample peak only.
 */
static int
measure(struct agency *ag, const float *pcm, size_t frames, int channels,
    int rate, const float *gain, int full, struct loudness *out)
{
	ebur128_state *st;
	float *block = NULL;
	double v, peak = 0, tpeak = 0;
	size_t at, n, i;
	int c, e = EBUR128_SUCCESS;

	st = ebur128_init((unsigned)channels, (unsigned long)rate, full ?
	    EBUR128_MODE_I | EBUR128_MODE_LRA | EBUR128_MODE_TRUE_PEAK :
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
	for (c = 0; c < channels; c++) {
		if (full && ebur128_true_peak(st, (unsigned)c, &v) ==
		    EBUR128_SUCCESS && v > tpeak)
			tpeak = v;
		if (ebur128_sample_peak(st, (unsigned)c, &v) ==
		    EBUR128_SUCCESS && v > peak)
			peak = v;
	}
	out->sample_peak = db(peak);
	out->true_peak = full ? db(tpeak) : out->sample_peak;
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

/* The interpolation filter: coef[p][k] for the point p/PHASES past n. */
static void
design(float coef[PHASES][2 * TAPS])
{
	double t, sum, c[2 * TAPS];
	int p, k;

	for (p = 1; p < PHASES; p++) {
		sum = 0;
		for (k = 0; k < 2 * TAPS; k++) {
			/* Tap k multiplies x[n - TAPS + 1 + k]. */
			t = (double)p / PHASES - (k - TAPS + 1);
			c[k] = sin(M_PI * t) / (M_PI * t) *
			    (0.5 + 0.5 * cos(M_PI * t / TAPS));
			sum += c[k];
		}
		for (k = 0; k < 2 * TAPS; k++)
			coef[p][k] = (float)(c[k] / sum);
	}
}

/* peak[n]: the largest |sample| of frame n and the points after it. */
static void
peaks(const float *pcm, size_t frames, int channels, float *peak)
{
	float coef[PHASES][2 * TAPS], win[2 * TAPS], m, y;
	size_t n, ch = (size_t)channels;
	long long j;
	int c, p, k;

	design(coef);
	for (n = 0; n < frames; n++)
		peak[n] = 0;
	for (c = 0; c < channels; c++) {
		for (n = 0; n < frames; n++) {
			for (k = 0; k < 2 * TAPS; k++) {
				j = (long long)n - TAPS + 1 + k;
				win[k] = j < 0 || j >= (long long)frames ? 0 :
				    pcm[(size_t)j * ch + (size_t)c];
			}
			m = fabsf(win[TAPS - 1]);
			for (p = 1; p < PHASES; p++) {
				y = 0;
				for (k = 0; k < 2 * TAPS; k++)
					y += coef[p][k] * win[k];
				if (fabsf(y) > m)
					m = fabsf(y);
			}
			if (m > peak[n])
				peak[n] = m;
		}
	}
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
	peaks(pcm, frames, channels, peak);
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
