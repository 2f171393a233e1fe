/*
 * t-voice - narration with word times: tokens and their spoken forms,
 * mapping engine reports back onto tokens, espeak-ng and flite for
 * real, and timing recorded narration.
 */
#include <sys/stat.h>
#include <sys/wait.h>
#include <math.h>

#include "tap.h"

static struct agency ag;

/* Scripts that exercise the spelling and the mapping. */
static const char *const scripts[] = {
	"Three sourdough mistakes, and how to fix them.",
	"Buy a $200 planner for \xe2\x82\xac" "5 less in 2024, or 1,500 of "
	    "them.",
	"Prices rose 50% in the 1990s; by 3:30 pm on the 21st, 2.5kg cost "
	    "$3.50.",
	"Dr. Smith met Mr. Jones on St. James St. at 9am, e.g. before "
	    "work, etc. And then?",
	"Caf\xc3\xa9 cr\xc3\xa8me, \xc3\xbc" "ber \xe2\x80\x9cquotes\xe2\x80"
	    "\x9d \xe2\x80\x94 don\xe2\x80\x99t stop\xe2\x80\xa6 ever.",
	"For the people, from the heart \xe2\x80\x94 for the win!",
	"Word\xe2\x80\x94word, COVID-19, 5-year-old, 24/7, 1/2, #1 and R&D.",
	"Hello",
	"  \xe2\x80\x94  ",
	"Title line\n\nThe body follows. It has two sentences.",
};

static size_t
tokens(const char *s)
{
	struct voice_script sc;
	size_t n;

	voice_script_init(&sc, "en", s);
	n = sc.n;
	voice_script_release(&sc);
	return n;
}

static size_t
sentences(const struct media_words *w)
{
	size_t i, n = 0;

	for (i = 0; i < w->n; i++)
		n += (w->v[i].flags & WORD_SENTENCE_END) != 0;
	return n;
}

/* Times are monotonic, start <= end, inside the audio. */
static int
well_timed(const struct voice_audio *a, char *why, size_t size)
{
	double dur = (double)a->frames / a->rate, prev = 0;
	size_t i;

	for (i = 0; i < a->words.n; i++) {
		const struct media_word *w = &a->words.v[i];

		if (w->start < prev - 1e-9 || w->end < w->start ||
		    w->end > dur + 1e-6) {
			snprintf(why, size, "word %zu '%s' %.3f-%.3f after "
			    "%.3f, audio %.3f", i, w->text, w->start, w->end,
			    prev, dur);
			return 0;
		}
		prev = w->end;
	}
	return 1;
}

/* RMS of pcm over [t0, t1) seconds. */
static double
rms(const struct voice_audio *a, double t0, double t1)
{
	size_t i0 = t0 < 0 ? 0 : (size_t)(t0 * a->rate);
	size_t i1 = (size_t)(t1 * a->rate), i;
	double s = 0;

	if (t1 <= 0)
		return 0;
	if (i1 > a->frames)
		i1 = a->frames;
	if (i1 <= i0)
		return 0;
	for (i = i0; i < i1; i++)
		s += (double)a->pcm[i] * a->pcm[i];
	return sqrt(s / (double)(i1 - i0));
}

static void
speak_all(const char *engine, const char *voice)
{
	struct voice_params p = { engine, voice, "en", 0 };
	struct voice_audio a = VOICE_AUDIO_INIT;
	char why[256];
	size_t i, j;
	int rc;

	for (i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++) {
		rc = voice_speak(&ag, &p, scripts[i], &a);
		is_int(rc, AG_OK, "%s: speaks script %zu", engine, i);
		if (rc != AG_OK) {
			printf("# %s\n", ag.err);
			continue;
		}
		is_int(a.words.n, tokens(scripts[i]), "%s: one word per "
		    "token in script %zu", engine, i);
		why[0] = '\0';
		ok(well_timed(&a, why, sizeof(why)), "%s: script %zu is "
		    "timed in order%s%s", engine, i, why[0] ? ": " : "",
		    why);
		for (j = 0; j < a.words.n; j++)
			if (strcmp(a.words.v[j].text, "") == 0)
				break;
		ok(j == a.words.n, "%s: no empty word in script %zu", engine,
		    i);
		if (a.words.n > 0) {
			double dur = (double)a.frames / a.rate;
			double last = a.words.v[a.words.n - 1].end;

			ok(a.words.v[a.words.n - 1].flags & WORD_SENTENCE_END,
			    "%s: the last word of script %zu ends a sentence",
			    engine, i);
			ok(dur - last < 1.0, "%s: script %zu: the audio (%.2f "
			    "s) ends soon after the last word (%.2f s)",
			    engine, i, dur, last);
		}
		voice_audio_release(&a);
	}
}

/* Sentences start where the audio rises from a pause. */
static void
onsets(const char *engine, const char *voice)
{
	static const char text[] = "Make the dough tonight. Bake it "
	    "tomorrow morning. Now let it rest. Enjoy the bread!";
	struct voice_params p = { engine, voice, "en", 0 };
	struct voice_audio a = VOICE_AUDIO_INIT;
	double peak = 0, before, after, t;
	size_t i, starts = 0, good = 0;
	int rc;

	rc = voice_speak(&ag, &p, text, &a);
	is_int(rc, AG_OK, "%s: speaks the onset text", engine);
	if (rc != AG_OK)
		return;
	for (i = 0; i < a.frames; i++)
		if (fabs(a.pcm[i]) > peak)
			peak = fabs(a.pcm[i]);
	ok(peak > 0.05 && peak <= 1.0, "%s: the audio is loud enough and "
	    "in full scale (peak %.3f)", engine, peak);
	is_int(sentences(&a.words), 4, "%s: four sentences", engine);
	for (i = 0; i < a.words.n; i++) {
		if (i > 0 && !(a.words.v[i - 1].flags & WORD_SENTENCE_END))
			continue;
		t = a.words.v[i].start;
		before = rms(&a, t - 0.08, t - 0.015);
		after = rms(&a, t + 0.015, t + 0.09);
		starts++;
		if (after > 4 * before && after > peak / 30)
			good++;
		else
			printf("# %s: '%s' at %.3f: rms before %.4f, after "
			    "%.4f\n", engine, a.words.v[i].text, t, before,
			    after);
		/* And it ends where the audio falls into the pause. */
		if (i > 0) {
			t = a.words.v[i - 1].end;
			ok(rms(&a, t + 0.02, t + 0.08) < peak / 30 ||
			    rms(&a, t + 0.02, t + 0.08) <
			    rms(&a, t - 0.08, t - 0.02) / 4, "%s: '%s' ends "
			    "where the speech falls (%.3f)", engine,
			    a.words.v[i - 1].text, t);
		}
	}
	is_int(good, starts, "%s: each of the %zu sentences starts where "
	    "the energy rises", engine, starts);
	voice_audio_release(&a);
}

/* A text of n words, with numbers and money now and then. */
static char *
long_text(size_t n)
{
	static const char *const words[] = { "the", "oven", "$12.50,",
		"bakes", "2024", "loaves", "at", "50%", "heat.", "Then",
		"Dr.", "Baker", "adds", "1,200", "grams", "of", "rye." };
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addch(&b, i % 40 == 0 ? '\n' : ' ');
		buf_addstr(&b, words[i % (sizeof(words) / sizeof(words[0]))]);
	}
	buf_addch(&b, '.');
	return buf_detach(&b);
}

/* A long text: every token timed, in order, to the end of the audio. */
static void
speak_long(const char *engine, const char *voice, size_t n)
{
	struct voice_params p = { engine, voice, "en", 0 };
	struct voice_audio a = VOICE_AUDIO_INIT;
	char *text = long_text(n), why[256];
	size_t i;

	is_int(voice_speak(&ag, &p, text, &a), AG_OK, "%s: %zu words",
	    engine, n);
	is_int(a.words.n, tokens(text), "%s: every token of the long text",
	    engine);
	why[0] = '\0';
	ok(well_timed(&a, why, sizeof(why)), "%s: the long text is in "
	    "order%s%s", engine, why[0] ? ": " : "", why);
	for (i = 0; i < a.words.n; i++)
		if (a.words.v[i].end <= a.words.v[i].start)
			break;
	ok(i == a.words.n, "%s: every word of the long text takes time",
	    engine);
	ok(a.words.n > 0 && a.words.v[a.words.n - 1].end >
	    (double)a.frames / a.rate - 1.0, "%s: words are timed to the "
	    "end of the long text", engine);
	free(text);
	voice_audio_release(&a);
}

static void
test_script(void)
{
	struct voice_script s;
	struct media_words w = MEDIA_WORDS_INIT;
	size_t i;

	voice_script_init(&s, "en", "  For the   people,\tcaf\xc3\xa9 "
	    "\xe2\x80\x94 $5!\n");
	is_int(s.n, 6, "six tokens");
	is_str(s.tok[2].text, "people,", "punctuation stays on the token");
	is_str(s.tok[5].text, "$5!", "the last token");
	is_str(s.tok[5].spoken, "five dollars!", "money is spelled");
	is_str(s.spoken, "For the people, caf\xc3\xa9 , five dollars!",
	    "the spoken text");
	is_int(s.tok[3].pos, 16, "characters, not bytes: caf\xc3\xa9 at 16");
	is_int(s.tok[3].end, 20, "caf\xc3\xa9 is four characters");
	is_int(s.tok[3].bend - s.tok[3].bpos, 5, "and five bytes");
	is_int(s.tok[5].pos, 23, "after the multibyte character");
	is_int(voice_script_token_at(&s, 0), 0, "character 0 is For");
	is_int(voice_script_token_at(&s, 3), 1, "the space after For "
	    "goes to the next token");
	is_int(voice_script_token_at(&s, 17), 3, "inside caf\xc3\xa9");
	is_int(voice_script_token_at(&s, 23), 5, "five dollars");
	is_int(voice_script_token_at(&s, 999), 6, "past the end");
	is_int(s.tok[4].weight, 0, "a dash has no letters");
	ok(!s.tok[2].sentence_end && s.tok[5].sentence_end, "one sentence");

	/* "For" reported with "the" folded in; the dash said nothing. */
	voice_script_mark(&s, 0, 0.10, 0.70);
	voice_script_mark(&s, 2, 0.70, 1.30);
	voice_script_mark(&s, 3, 1.50, 1.90);
	voice_script_mark(&s, 5, 2.20, 2.50);
	voice_script_mark(&s, 5, 2.50, 3.00);	/* "five" "dollars" */
	voice_script_words(&s, 3.2, &w);
	is_int(w.n, 6, "a word per token");
	ok(fabs(w.v[0].start - 0.10) < 1e-9 && fabs(w.v[0].end - 0.40) <
	    1e-9 && fabs(w.v[1].start - 0.40) < 1e-9 &&
	    fabs(w.v[1].end - 0.70) < 1e-9, "For and the share the span by "
	    "letters (%.2f-%.2f, %.2f-%.2f)", w.v[0].start, w.v[0].end,
	    w.v[1].start, w.v[1].end);
	ok(w.v[4].start == w.v[4].end && w.v[4].start == 1.90, "the dash "
	    "takes no time, after caf\xc3\xa9");
	ok(fabs(w.v[5].start - 2.20) < 1e-9 && fabs(w.v[5].end - 3.00) <
	    1e-9, "two reports make one token's span");
	ok(w.v[5].flags & WORD_SENTENCE_END, "the flag");
	media_words_release(&w);
	voice_script_release(&s);

	/* Nothing reported: spread over the audio by letters. */
	voice_script_init(&s, "en", "ab abcd ab");
	voice_script_words(&s, 4.0, &w);
	ok(w.n == 3 && fabs(w.v[1].start - 1.0) < 1e-9 &&
	    fabs(w.v[1].end - 3.0) < 1e-9, "unreported words share the "
	    "audio");
	media_words_release(&w);
	voice_script_release(&s);

	/* Never time from across a sentence break. */
	voice_script_init(&s, "en",
	    "Stop now. The end. Gone \xe2\x80\x94 ! Yes.");
	voice_script_mark(&s, 0, 0.0, 0.5);
	voice_script_mark(&s, 1, 0.5, 1.0);
	voice_script_mark(&s, 3, 2.0, 2.6);	/* "The" folded into "end" */
	voice_script_mark(&s, 7, 4.0, 4.5);	/* nothing for "Gone ... !" */
	voice_script_words(&s, 5.0, &w);
	ok(w.n == 8 && fabs(w.v[2].start - 2.0) < 1e-9 &&
	    fabs(w.v[2].end - 2.3) < 1e-9 && fabs(w.v[3].start - 2.3) <
	    1e-9, "The shares end's span, not now's (%.2f-%.2f)",
	    w.v[2].start, w.v[2].end);
	ok(fabs(w.v[4].start - 2.6) < 1e-9 && fabs(w.v[4].end - 4.0) <
	    1e-9 && w.v[5].start == w.v[5].end, "a sentence with nothing "
	    "said fills the gap (%.2f-%.2f)", w.v[4].start, w.v[4].end);
	media_words_release(&w);
	voice_script_release(&s);

	/* Reports out of order are made monotonic. */
	voice_script_init(&s, "en", "one two three");
	voice_script_mark(&s, 0, 0.5, 1.5);
	voice_script_mark(&s, 1, 1.0, 1.2);
	voice_script_mark(&s, 2, 1.4, 2.0);
	voice_script_words(&s, 2.0, &w);
	for (i = 1; i < w.n; i++)
		if (w.v[i].start < w.v[i - 1].end || w.v[i].end < w.v[i].start)
			break;
	ok(i == w.n, "monotonic after overlapping reports");
	media_words_release(&w);
	voice_script_release(&s);

	/* A heading before a blank line ends a sentence. */
	voice_script_init(&s, "en", "Title here\n \n Body text\nmore text");
	is_int(s.n, 6, "six tokens over lines");
	ok(s.tok[1].sentence_end && !s.tok[3].sentence_end &&
	    s.tok[5].sentence_end, "a blank line ends a sentence, a line "
	    "break does not");
	is_str(s.tok[1].spoken, "here.", "the heading gets a full stop");
	voice_script_release(&s);

	voice_script_init(&s, "en", "");
	ok(s.n == 0 && s.spoken_len == 0, "empty text, no tokens");
	voice_script_release(&s);
	voice_script_init(&s, "en", NULL);
	ok(s.n == 0, "NULL text, no tokens");
	voice_script_release(&s);
	voice_script_init(&s, "en", "a\xc2\xa0" "b\xe3\x80\x80" "c");
	is_int(s.n, 3, "Unicode spaces separate tokens");
	voice_script_release(&s);
}

/*
 * espeak-ng with a broken data folder, in a child: espeak-ng can be
 * initialised once per process, so this must not touch the parent's.
 */
static void
test_espeak_broken(void)
{
	char dir[512];
	pid_t pid;
	int status = 0;

	snprintf(dir, sizeof(dir), "%s/bad/espeak-ng-data", tap_dir);
	if (mkdir(dir, 0700) != 0) {
		snprintf(dir, sizeof(dir), "%s/bad", tap_dir);
		mkdir(dir, 0700);
		snprintf(dir, sizeof(dir), "%s/bad/espeak-ng-data", tap_dir);
		mkdir(dir, 0700);
	}
	fflush(stdout);
	if ((pid = fork()) == 0) {
		struct voice_params p = { "espeak", NULL, "en", 0 };
		struct voice_audio a = VOICE_AUDIO_INIT;
		char bad[512];
		int rc, rc2;

		snprintf(bad, sizeof(bad), "%s/bad", tap_dir);
		setenv("ESPEAK_DATA_PATH", bad, 1);
		rc = voice_speak(&ag, &p, "hello", &a);
		rc2 = voice_speak(&ag, &p, "hello", &a);
		_exit(rc == AG_CONFIG && rc2 == AG_CONFIG &&
		    strstr(ag.err, "espeak-ng-data") != NULL ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a broken espeak "
	    "data folder is AG_CONFIG naming espeak-ng-data, every time");
}

static void
test_errors(void)
{
	struct voice_params p = { "espeak", "no-such-voice", "en", 0 };
	struct voice_audio a = VOICE_AUDIO_INIT;
	int rc;

	rc = voice_speak(&ag, &p, "hello", &a);
	is_int(rc, AG_USAGE, "espeak: an unknown voice is AG_USAGE");
	ok(strstr(ag.err, "'no-such-voice'") != NULL, "naming it: %s",
	    ag.err);
	ok(a.pcm == NULL && a.words.n == 0, "out is untouched on error");
	p.voice = "mb-en1";
	is_int(voice_speak(&ag, &p, "hello", &a), AG_CONFIG, "an MBROLA "
	    "voice is AG_CONFIG");
	ok(strstr(ag.err, "MBROLA") != NULL, "saying why: %s", ag.err);
	p.voice = NULL;
	p.language = "tlh";
	is_int(voice_speak(&ag, &p, "hello", &a), AG_USAGE, "espeak: a "
	    "language without a voice is AG_USAGE");
	ok(strstr(ag.err, "'tlh'") != NULL, "naming it: %s", ag.err);
	p.language = "not a tag";
	is_int(voice_speak(&ag, &p, "hello", &a), AG_USAGE, "a malformed "
	    "language tag is AG_USAGE");
	p.language = "en";
	p.wpm = 20;
	is_int(voice_speak(&ag, &p, "hello", &a), AG_USAGE, "20 wpm is out "
	    "of range");
	p.wpm = 0;
	p.engine = "festival";
	is_int(voice_speak(&ag, &p, "hello", &a), AG_USAGE, "an unknown "
	    "engine is AG_USAGE");
	p.engine = "flite";
	p.voice = "zzz";
	is_int(voice_speak(&ag, &p, "hello", &a), AG_USAGE, "flite: an "
	    "unknown voice is AG_USAGE");
	ok(strstr(ag.err, "'zzz'") != NULL && strstr(ag.err, "slt") != NULL,
	    "naming it and the voices there are: %s", ag.err);
	p.voice = NULL;
	p.language = "de";
	is_int(voice_speak(&ag, &p, "hallo", &a), AG_USAGE, "flite speaks "
	    "no German");
	ok(a.pcm == NULL, "still untouched");
}

static void
test_espeak(void)
{
	struct voice_params p = { NULL, NULL, NULL, 0 };
	struct voice_audio a = VOICE_AUDIO_INIT, b = VOICE_AUDIO_INIT;
	int rc;

	speak_all("espeak", NULL);
	onsets("espeak", NULL);

	is_int(voice_speak(&ag, &p, "", &a), AG_OK, "espeak: empty text");
	ok(a.frames == 0 && a.words.n == 0 && a.rate == 22050, "no audio, "
	    "no words, the rate (%d)", a.rate);
	voice_audio_release(&a);
	is_int(voice_speak(&ag, &p, NULL, &a), AG_OK, "espeak: NULL text");
	voice_audio_release(&a);

	/*
	 * The same text twice: espeak-ng carries its pitch flutter from
	 * one synthesis to the next, so the audio may differ by a few
	 * samples, but not the words.
	 */
	voice_speak(&ag, &p, scripts[1], &a);
	voice_speak(&ag, &p, scripts[1], &b);
	ok(a.frames > 0 && a.words.n == b.words.n && a.frames < b.frames *
	    101 / 100 && b.frames < a.frames * 101 / 100, "the same text, "
	    "the same audio within 1%% (%zu, %zu frames)", a.frames,
	    b.frames);
	voice_audio_release(&b);

	/* The rate changes the speech, and is put back afterwards. */
	p.wpm = 100;
	is_int(voice_speak(&ag, &p, scripts[1], &b), AG_OK, "at 100 wpm");
	ok(b.frames > a.frames * 5 / 4, "100 wpm is slower than the "
	    "default (%zu vs %zu frames)", b.frames, a.frames);
	voice_audio_release(&b);
	p.wpm = 0;
	voice_speak(&ag, &p, scripts[1], &b);
	ok(a.frames < b.frames * 101 / 100 && b.frames < a.frames * 101 /
	    100, "back to the default rate (%zu, %zu frames)", a.frames,
	    b.frames);
	voice_audio_release(&b);
	voice_audio_release(&a);

	/* Voices by name, by variant and from the language. */
	p.voice = "en-US+f3";
	is_int(voice_speak(&ag, &p, "Hello there.", &a), AG_OK, "a voice "
	    "with a variant");
	voice_audio_release(&a);
	p.voice = "English (Great Britain)";
	is_int(voice_speak(&ag, &p, "Hello there.", &a), AG_OK, "a voice by "
	    "espeak's own name");
	voice_audio_release(&a);
	p.voice = NULL;
	p.language = "de-AT";
	rc = voice_speak(&ag, &p, "Guten Tag, wie geht es Ihnen? Es kostet "
	    "200 Euro.", &a);
	is_int(rc, AG_OK, "German from de-AT");
	is_int(a.words.n, 10, "ten German words");
	voice_audio_release(&a);
	p.language = "en_GB";
	is_int(voice_speak(&ag, &p, "Hello.", &a), AG_OK, "en_GB is taken");
	voice_audio_release(&a);
	p.language = NULL;

	speak_long("espeak", NULL, 3000);
}

static void
test_flite(void)
{
	struct voice_params p = { "flite", "kal", NULL, 0 };
	struct voice_audio a = VOICE_AUDIO_INIT, b = VOICE_AUDIO_INIT;

	speak_all("flite", "slt");
	onsets("flite", "kal16");

	is_int(voice_speak(&ag, &p, "Hello there.", &a), AG_OK, "flite kal");
	is_int(a.rate, 8000, "kal is 8 kHz");
	voice_audio_release(&a);
	p.voice = NULL;
	is_int(voice_speak(&ag, &p, "", &a), AG_OK, "flite: empty text");
	ok(a.frames == 0 && a.words.n == 0 && a.rate == 16000, "slt is the "
	    "default, 16 kHz");
	voice_audio_release(&a);

	p.voice = "kal16";
	voice_speak(&ag, &p, scripts[0], &a);
	p.wpm = 100;
	is_int(voice_speak(&ag, &p, scripts[0], &b), AG_OK, "flite at 100 "
	    "wpm");
	ok(b.frames > a.frames * 5 / 4, "slower (%zu vs %zu frames)",
	    b.frames, a.frames);
	voice_audio_release(&a);
	voice_audio_release(&b);
	p.wpm = 0;

	speak_long("flite", "kal16", 2000);
}

static void
test_list(void)
{
	cJSON *list = NULL, *o;
	int en_us = 0, slt = 0, n = 0, bad = 0;
	const char *v, *e;

	is_int(voice_list(&ag, NULL, &list), AG_OK, "voice_list");
	cJSON_ArrayForEach(o, list) {
		n++;
		v = cJSON_GetStringValue(cJSON_GetObjectItem(o, "voice"));
		e = cJSON_GetStringValue(cJSON_GetObjectItem(o, "engine"));
		if (v == NULL || e == NULL ||
		    !cJSON_IsArray(cJSON_GetObjectItem(o, "languages")) ||
		    !cJSON_IsNumber(cJSON_GetObjectItem(o, "rate")))
			bad++;
		else if (strcmp(e, "espeak") == 0 && strcmp(v, "en-US") == 0)
			en_us++;
		else if (strcmp(e, "flite") == 0 && strcmp(v, "slt") == 0)
			slt++;
		if (v != NULL && strncmp(v, "mb", 2) == 0)
			bad++;
	}
	ok(n > 50 && bad == 0 && en_us == 1 && slt == 1, "%d voices, "
	    "en-US and slt among them, none malformed or MBROLA", n);
	cJSON_Delete(list);
	list = NULL;
	is_int(voice_list(&ag, "flite", &list), AG_OK, "flite's voices");
	is_int(cJSON_GetArraySize(list), 5, "five of them");
	cJSON_Delete(list);
	list = NULL;
	is_int(voice_list(&ag, "sam", &list), AG_USAGE, "an unknown engine");
	ok(list == NULL, "and no list");
}

/* Synthetic narration: noise bursts for sentences, with silences. */
static float *
bursts(const double *spans, size_t n, double total, int rate, size_t *frames)
{
	size_t nf = (size_t)(total * rate), i, k;
	float *x = xcalloc(nf, sizeof(*x));
	unsigned s = 12345;

	for (i = 0; i < nf; i++) {
		double t = (double)i / rate, amp = 0.0005;	/* -66 dB */

		for (k = 0; k < n; k++)
			if (t >= spans[2 * k] && t < spans[2 * k + 1])
				amp = 0.3;
		s = s * 1103515245 + 12345;
		x[i] = (float)(amp * ((double)(s >> 16 & 0x7fff) / 16384.0 -
		    1.0) + amp * sin(2 * M_PI * 180 * t));
	}
	*frames = nf;
	return x;
}

static void
test_proportional(void)
{
	/* 1 s of silence, three sentences, 1.5 s of silence after. */
	static const double spans[] = {
		1.00, 2.20,		/* sentence 1 */
		2.70, 3.60, 3.85, 4.70,	/* sentence 2, a pause inside */
		5.30, 6.10,		/* sentence 3 */
	};
	static const char text[] = "Mix the flour and water first. Then "
	    "wait an hour, and fold it twice. Bake it hot!";
	struct media_words w = MEDIA_WORDS_INIT;
	size_t frames, i, k;
	float *pcm;
	int rate = 16000, rc;
	double t;

	pcm = bursts(spans, 4, 7.6, rate, &frames);
	rc = voice_time_proportional(&ag, text, pcm, frames, rate, &w);
	is_int(rc, AG_OK, "proportional timing");
	is_int(w.n, tokens(text), "a word per token");
	is_int(sentences(&w), 3, "three sentences");
	ok(w.n > 0 && fabs(w.v[0].start - 1.00) < 0.03, "the first word "
	    "starts where the speech does (%.3f)", w.n ? w.v[0].start : -1);
	ok(w.n > 0 && fabs(w.v[w.n - 1].end - 6.10) < 0.03, "the last word "
	    "ends where the speech does (%.3f)", w.n ? w.v[w.n - 1].end : -1);
	for (i = 0, k = 0; i + 1 < w.n; i++) {
		if (!(w.v[i].flags & WORD_SENTENCE_END))
			continue;
		t = k == 0 ? 2.20 : 4.70;
		ok(fabs(w.v[i].end - t) < 0.03, "sentence %zu ends at its "
		    "silence (%.3f, not %.3f)", k + 1, w.v[i].end, t);
		t = k == 0 ? 2.70 : 5.30;
		ok(fabs(w.v[i + 1].start - t) < 0.03, "sentence %zu starts "
		    "after it (%.3f, not %.3f)", k + 2, w.v[i + 1].start, t);
		k++;
	}
	for (i = 0; i < w.n; i++)
		if (w.v[i].start > 3.62 && w.v[i].start < 3.83)
			break;
	ok(i == w.n, "no word starts in the pause inside sentence 2");
	for (i = 1; i < w.n; i++)
		if (w.v[i].start < w.v[i - 1].end || w.v[i].end < w.v[i].start)
			break;
	ok(i == w.n, "monotonic");
	media_words_release(&w);

	/* Too few silences: the boundaries are still placed, in order. */
	rc = voice_time_proportional(&ag, "One. Two. Three. Four. Five.",
	    pcm, frames, rate, &w);
	ok(rc == AG_OK && w.n == 5 && sentences(&w) == 5, "five sentences "
	    "over three bursts");
	for (i = 1; i < w.n; i++)
		if (w.v[i].start < w.v[i - 1].end)
			break;
	ok(i == w.n, "still in order");
	media_words_release(&w);

	is_int(voice_time_proportional(&ag, "", pcm, frames, rate, &w), AG_OK,
	    "empty text");
	is_int(w.n, 0, "no words");
	memset(pcm, 0, frames * sizeof(*pcm));
	is_int(voice_time_proportional(&ag, text, pcm, frames, rate, &w),
	    AG_DATAERR, "silence is AG_DATAERR");
	ok(strstr(ag.err, "no speech") != NULL, "saying so: %s", ag.err);
	is_int(w.n, 0, "and out is untouched");
	is_int(voice_time_proportional(&ag, text, pcm, frames, 100, &w),
	    AG_USAGE, "a rate of 100 Hz");
	free(pcm);
}

/* Real speech, timed as if it were a recording. */
static void
test_proportional_speech(void)
{
	static const char text[] = "Make the dough tonight. Bake it "
	    "tomorrow morning, when the oven is hot. Now let it rest.";
	struct voice_params p = { "espeak", NULL, "en", 0 };
	struct voice_audio a = VOICE_AUDIO_INIT;
	struct media_words w = MEDIA_WORDS_INIT;
	size_t i, checked = 0, close = 0;

	if (voice_speak(&ag, &p, text, &a) != AG_OK) {
		ok(0, "speaks: %s", ag.err);
		return;
	}
	is_int(voice_time_proportional(&ag, text, a.pcm, a.frames, a.rate,
	    &w), AG_OK, "proportional timing of espeak's speech");
	is_int(w.n, a.words.n, "the same words");
	for (i = 0; i < w.n && i < a.words.n; i++) {
		if (i > 0 && !(a.words.v[i - 1].flags & WORD_SENTENCE_END))
			continue;
		checked++;
		if (fabs(w.v[i].start - a.words.v[i].start) < 0.1)
			close++;
		else
			printf("# '%s': %.3f, espeak %.3f\n", w.v[i].text,
			    w.v[i].start, a.words.v[i].start);
	}
	ok(checked == 3 && close == checked, "each sentence starts within "
	    "0.1 s of espeak's own time (%zu of %zu)", close, checked);
	media_words_release(&w);
	voice_audio_release(&a);
}

int
main(void)
{
	tap_tmpdir();
	tap_agency(&ag, "t-voice");
	test_script();
	test_espeak_broken();
	test_errors();
	test_espeak();
	test_flite();
	test_list();
	test_proportional();
	test_proportional_speech();
	ag_release(&ag);
	return done_testing();
}
