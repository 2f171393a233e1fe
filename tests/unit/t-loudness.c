/* t-loudness - EBU R128 measurement, normalisation and the limiter. */
#include <math.h>

#include "tap.h"

#define RATE 48000

/* A stereo sine of amplitude amp (dBFS) at hz for secs seconds. */
static float *
sine(double hz, double amp, double secs, size_t *frames)
{
	size_t n = (size_t)(secs * RATE), i;
	float *x = xmalloc(2 * n * sizeof(*x));
	double a = pow(10, amp / 20);

	for (i = 0; i < n; i++)
		x[2 * i] = x[2 * i + 1] = (float)(a * sin(2 * M_PI * hz * i /
		    RATE));
	*frames = n;
	return x;
}

static double
maxstep(const float *g, size_t n)
{
	double m = 0;
	size_t i;

	for (i = 1; i < n; i++)
		if (fabs(g[i] - g[i - 1]) > m)
			m = fabs(g[i] - g[i - 1]);
	return m;
}

int
main(void)
{
	struct agency ag;
	struct loudness l, after;
	float *x, *g = NULL;
	size_t n, i;

	tap_tmpdir();
	tap_agency(&ag, "t-loudness");

	/* EBU Tech 3341, case 1: 1 kHz at -23 dBFS on both channels. */
	x = sine(1000, -23, 20, &n);
	is_int(loudness_measure(&ag, x, n, 2, RATE, &l), AG_OK, "measure");
	ok(fabs(l.integrated - -23) < 0.1, "a -23 dBFS 1 kHz sine is -23 "
	    "LUFS (%.2f)", l.integrated);
	ok(fabs(l.true_peak - -23) < 0.1 && fabs(l.sample_peak - -23) <
	    0.1, "its peaks are -23 dB (%.2f, %.2f)", l.true_peak,
	    l.sample_peak);
	ok(l.range < 0.5, "a steady tone has no loudness range (%.2f)",
	    l.range);

	/* A plain gain when no peak comes near the ceiling. */
	is_int(loudness_normalize(&ag, x, n, 2, RATE, -18, -1.5, &g, &after),
	    AG_OK, "normalise to -18");
	ok(fabs(after.integrated - -18) < 0.05, "the result says -18 (%.2f)",
	    after.integrated);
	ok(fabs(g[0] - pow(10, (-18 - l.integrated) / 20)) < 1e-3 &&
	    maxstep(g, n) == 0, "as one gain of %+.2f dB", 20 * log10(g[0]));
	loudness_apply(x, n, 2, g);
	loudness_measure(&ag, x, n, 2, RATE, &l);
	ok(fabs(l.integrated - after.integrated) < 0.05 &&
	    fabs(l.true_peak - after.true_peak) < 0.05, "which a new "
	    "measurement confirms (%.2f LUFS, %.2f dBTP)", l.integrated,
	    l.true_peak);
	free(g);
	free(x);

	/* A quiet tone with full-scale clicks: loud needs the limiter. */
	x = sine(440, -30, 10, &n);
	for (i = RATE; i < n; i += RATE)
		x[2 * i] = x[2 * i + 1] = i % (2 * RATE) ? 0.99f : -0.99f;
	is_int(loudness_normalize(&ag, x, n, 2, RATE, -14, -1.5, &g, &after),
	    AG_OK, "normalise clicks and a tone to -14");
	ok(after.true_peak <= -1.5, "the true peak is under the ceiling "
	    "(%.2f dBTP)", after.true_peak);
	ok(fabs(after.integrated - -14) < 0.5, "the loudness is on target "
	    "(%.2f LUFS)", after.integrated);
	ok(maxstep(g, n) < 0.05, "the gain moves smoothly (largest step "
	    "%.4f)", maxstep(g, n));
	loudness_apply(x, n, 2, g);
	loudness_measure(&ag, x, n, 2, RATE, &l);
	ok(l.true_peak <= -1.5 && fabs(l.integrated - after.integrated) <
	    0.05, "as measured again (%.2f LUFS, %.2f dBTP)", l.integrated,
	    l.true_peak);
	free(g);
	free(x);

	/* Silence has no loudness: leave it alone. */
	x = xcalloc(2 * RATE, sizeof(*x));
	is_int(loudness_normalize(&ag, x, RATE, 2, RATE, -18, -1.5, &g,
	    &after), AG_OK, "normalise silence");
	ok(after.integrated == -HUGE_VAL && g[0] == 1 && g[RATE - 1] == 1,
	    "no loudness, a gain of 1");
	free(g);
	free(x);

	/*
	 * The streaming meter agrees with the whole-buffer measurement, fed
	 * in uneven pieces: a tone with an intersample peak (a sine at a
	 * quarter of the rate, phase shifted, peaks between samples).
	 */
	x = sine(RATE / 4.0 - 7, -12, 6, &n);
	for (i = 0; i < n; i++)
		x[2 * i + 1] = (float)(0.7 * sin(2 * M_PI * (RATE / 4.0) * i /
		    RATE + M_PI / 4));
	loudness_measure(&ag, x, n, 2, RATE, &l);
	{
		struct loudness_meter *m = NULL;
		size_t at = 0, k = 1;

		is_int(loudness_meter_new(&ag, 2, RATE, &m), AG_OK,
		    "a streaming meter");
		while (at < n) {
			k = (k * 7919 + 13) % 9000 + 1;
			if (k > n - at)
				k = n - at;
			loudness_meter_add(&ag, m, x + 2 * at, k);
			at += k;
		}
		loudness_meter_result(m, &after);
		loudness_meter_free(m);
	}
	ok(fabs(after.integrated - l.integrated) < 0.01 &&
	    fabs(after.true_peak - l.true_peak) < 0.01 &&
	    fabs(after.sample_peak - l.sample_peak) < 0.01, "the streaming "
	    "meter agrees: %.2f LUFS %.2f dBTP, whole: %.2f LUFS %.2f dBTP",
	    after.integrated, after.true_peak, l.integrated, l.true_peak);
	ok(l.true_peak > l.sample_peak + 0.5, "the test tone peaks between "
	    "samples (%.2f > %.2f)", l.true_peak, l.sample_peak);
	free(x);

	is_int(loudness_measure(&ag, NULL, 0, 0, RATE, &l), AG_USAGE,
	    "no channels is a usage error");
	is_int(loudness_measure(&ag, NULL, 0, 2, 100, &l), AG_USAGE,
	    "and so is a rate of 100 Hz");
	ag_release(&ag);
	return done_testing();
}
