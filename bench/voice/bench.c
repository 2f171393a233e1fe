/*
 * bench - what the voice costs, and how well its word times fit the
 * audio; the method of ../shared/reference/audio.md sections 2.3-2.4.
 *
 *	bench speed ENGINE VOICE REPEAT [RUNS]
 *		speak the paragraph below (181 tokens) REPEAT times over
 *		(one text), RUNS times (default 3): audio seconds, the
 *		least process CPU time of the runs, x real time (audio
 *		seconds per CPU second), words, peak RSS
 *	bench align ENGINE VOICE [WPM]
 *		speak the paragraph once and check the word times
 *		against the audio's energy: frame RMS every 10 ms over
 *		20 ms; a frame is silent 38 dB under the loudest; a pause
 *		is 90 ms of silence or more.  At each pause the first
 *		word starting after it (onset) and the last one ending
 *		before it (offset) are compared with its end and start;
 *		positive errors mean a caption would be late.  Prints the
 *		pauses checked and median, p90 and max |error|;
 *		BENCH_DEBUG=1 prints each pause and the word after it
 *
 * As audio.md found, the check itself errs at weak fricatives and stop
 * closures (/f/, /th/, /k/), which fall under the threshold: those
 * words seem to start early.  Large errors are worth a look, not a
 * verdict.
 * VOICE "-" is the engine's default.  Build and run with bench/voice/run.
 */
#include <sys/resource.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agency.h"

/* A paragraph with numbers, money and abbreviations, as a script has. */
static const char paragraph[] =
	"Three sourdough mistakes cost new bakers about $200 a year, "
	"and most of them happen before the oven is even warm. First, "
	"the starter. A starter that doubles in 4 hours is ready; one that "
	"takes 12 is not, and no amount of kneading will fix it. Feed it "
	"at the same time every day, keep it near 24\xc2\xb0" "C, and "
	"discard half before each feeding. Second, the water. Most recipes "
	"ask for 70% hydration, but flour changes from bag to bag, so "
	"hold back 50 grams and add it only if the dough feels stiff. "
	"Third, the clock. Bulk fermentation is finished when the dough has "
	"grown by half and jiggles like set custard, not when a timer says "
	"so. In our tests, Dr. Baker's loaves rose 30% higher when she "
	"waited for the dough instead of the timer. Follow these three "
	"rules for a week, e.g. with one loaf a day, and you will see the "
	"difference in the crumb, the crust and the flavour. Bake it hot, "
	"at 250 degrees, for the first 20 minutes, then lower the heat.";

static double
cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static long
max_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static int
speak(struct agency *ag, const char *engine, const char *voice, int wpm,
    const char *text, struct voice_audio *a)
{
	struct voice_params p = { engine, strcmp(voice, "-") ? voice : NULL,
		"en", wpm };
	int rc = voice_speak(ag, &p, text, a);

	if (rc != AG_OK)
		fprintf(stderr, "bench: %s\n", ag->err);
	return rc;
}

static int
speed(struct agency *ag, const char *engine, const char *voice, long rep,
    long runs)
{
	struct voice_audio a = VOICE_AUDIO_INIT;
	struct buf text = BUF_INIT;
	double best = HUGE_VAL, t, secs = 0;
	size_t words = 0;
	long i;

	for (i = 0; i < rep; i++) {
		if (i > 0)
			buf_addch(&text, ' ');
		buf_addstr(&text, paragraph);
	}
	/* One short run first: engine start-up is not synthesis. */
	if (speak(ag, engine, voice, 0, "Hello.", &a) != AG_OK)
		return 1;
	voice_audio_release(&a);
	for (i = 0; i < runs; i++) {
		t = cpu_seconds();
		if (speak(ag, engine, voice, 0, buf_str(&text), &a) != AG_OK)
			return 1;
		t = cpu_seconds() - t;
		if (t < best)
			best = t;
		secs = (double)a.frames / a.rate;
		words = a.words.n;
		voice_audio_release(&a);
	}
	printf("%-7s %-6s words %5zu  audio %7.1f s  cpu %6.2f s  "
	    "x RT %6.0f  rss %ld MB\n", engine, voice, words, secs, best,
	    best > 0 ? secs / best : 0, max_rss_kb() / 1024);
	buf_release(&text);
	return 0;
}

static int
cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
stats(const char *what, double *e, size_t n)
{
	if (n == 0) {
		printf("  %s: none\n", what);
		return;
	}
	qsort(e, n, sizeof(*e), cmpd);
	printf("  %s |err| median %3.0f  p90 %3.0f  max %3.0f ms\n", what,
	    1000 * e[n / 2], 1000 * e[(n * 9) / 10 < n ? (n * 9) / 10 :
	    n - 1], 1000 * e[n - 1]);
}

static int
align(struct agency *ag, const char *engine, const char *voice, int wpm)
{
	struct voice_audio a = VOICE_AUDIO_INIT;
	const struct media_words *w = &a.words;
	size_t nf, k, i, b, pauses = 0, non = 0, noff = 0, j;
	double *db, peak = -HUGE_VAL, sum, ps, pe, *on, *off, hop = 0.010;
	double win = 0.020;

	if (speak(ag, engine, voice, wpm, paragraph, &a) != AG_OK)
		return 1;
	nf = (size_t)((double)a.frames / a.rate / hop);
	db = xcalloc(nf + 1, sizeof(*db));
	for (k = 0; k < nf; k++) {
		size_t s0 = (size_t)llround(k * hop * a.rate);
		size_t s1 = (size_t)llround((k * hop + win) * a.rate);

		if (s1 > a.frames)
			s1 = a.frames;
		for (sum = 0, i = s0; i < s1; i++)
			sum += (double)a.pcm[i] * a.pcm[i];
		db[k] = 10 * log10(sum / (double)(s1 > s0 ? s1 - s0 : 1) +
		    1e-12);
		if (db[k] > peak)
			peak = db[k];
	}
	on = xcalloc(nf + 1, sizeof(*on));
	off = xcalloc(nf + 1, sizeof(*off));
	for (k = 0; k < nf; k = b) {
		for (b = k; b < nf && db[b] < peak - 38; b++)
			;
		if (b == k) {
			b++;
			continue;
		}
		if ((b - k) * hop < 0.090 || k == 0 || b == nf)
			continue;	/* short, or the ends of the audio */
		/* Silence from the centre of frame k to that of frame b. */
		ps = k * hop + win / 2;
		pe = b * hop + win / 2;
		pauses++;
		for (j = 0; j < w->n; j++)
			if (w->v[j].end > w->v[j].start &&
			    w->v[j].start >= ps - 0.1)
				break;
		if (j < w->n && fabs(w->v[j].start - pe) < 0.3)
			on[non++] = fabs(w->v[j].start - pe);
		if (getenv("BENCH_DEBUG") && j < w->n)
			fprintf(stderr, "pause %.3f-%.3f next '%s' %.3f-%.3f\n",
			    ps, pe, w->v[j].text, w->v[j].start, w->v[j].end);
		while (j-- > 0)
			if (w->v[j].end > w->v[j].start)
				break;
		if (j < w->n && fabs(w->v[j].end - ps) < 0.3)
			off[noff++] = fabs(w->v[j].end - ps);
	}
	printf("%-7s %-6s %3d wpm  words %zu  audio %.1f s  pauses %zu, "
	    "onsets checked %zu, offsets %zu\n", engine, voice, wpm, w->n,
	    (double)a.frames / a.rate, pauses, non, noff);
	stats("onset ", on, non);
	stats("offset", off, noff);
	free(on);
	free(off);
	free(db);
	voice_audio_release(&a);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct agency ag;
	long long rep = 10, runs = 3, wpm = 0;
	int rc = 2;

	ag_init(&ag, 1, argv);
	if (argc >= 5 && strcmp(argv[1], "speed") == 0 &&
	    ag_parse_ll(argv[4], 1, 1000, &rep) == 0 && (argc < 6 ||
	    ag_parse_ll(argv[5], 1, 100, &runs) == 0))
		rc = speed(&ag, argv[2], argv[3], (long)rep, (long)runs);
	else if (argc >= 4 && strcmp(argv[1], "align") == 0 && (argc < 5 ||
	    ag_parse_ll(argv[4], 0, 450, &wpm) == 0))
		rc = align(&ag, argv[2], argv[3], (int)wpm);
	else
		fprintf(stderr, "usage: bench speed ENGINE VOICE REPEAT "
		    "[RUNS] | align ENGINE VOICE [WPM]\n");
	ag_release(&ag);
	return rc;
}
