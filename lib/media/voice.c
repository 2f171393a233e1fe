/*
 * voice.c - the engine-neutral part of the voice (voice.h): tokens,
 * their spoken forms, mapping what an engine reports back onto them,
 * and timing recorded narration.
 *
 * Timing a script, in three steps:
 *
 *  1. voice_script_init() cuts the text at white space into tokens and
 *     spells each (spell.h).  The spoken text is the spoken forms joined
 *     by single spaces; each token knows where its form lies in it, in
 *     characters (what espeak-ng counts) and in bytes.
 *  2. The engine speaks the spoken text (or each sentence of it) and
 *     calls voice_script_mark() for every word it reports, with the
 *     token that word came from.  A token may be marked several times
 *     ("twenty-four" may be two words): it spans them all.
 *  3. voice_script_words() gives every token a time.  An unmarked
 *     token shares the span of the last marked token before it in its
 *     sentence (the first marked one, for those before any), by
 *     letters: espeak-ng reports "for the" as one word, and this splits
 *     it.  A token with no letters ("—") takes no time.  Then times are
 *     made monotonic.
 */
#include <ctype.h>
#include <math.h>
#include <string.h>

#include "agency.h"
#include "media/spell.h"
#include "media/voice.h"

void
voice_audio_release(struct voice_audio *a)
{
	free(a->pcm);
	media_words_release(&a->words);
	a->pcm = NULL;
	a->frames = a->alloc = 0;
	a->rate = 0;
}

void
voice_audio_add(struct voice_audio *a, const short *pcm, size_t n)
{
	size_t i;

	if (a->frames + n > a->alloc) {
		a->alloc = a->alloc ? 2 * a->alloc : 65536;
		if (a->alloc < a->frames + n)
			a->alloc = a->frames + n;
		a->pcm = xreallocarray(a->pcm, a->alloc, sizeof(*a->pcm));
	}
	for (i = 0; i < n; i++)
		a->pcm[a->frames + i] = (float)pcm[i] / 32768.0f;
	a->frames += n;
}

/* Letters and digits of a spoken form: its share of the time. */
static int
weight(const char *s)
{
	int n = 0;
	long c;

	while ((c = spell_utf8_next(&s)) != 0)
		if (c > 0x7f || isalnum((int)c))
			n++;
	return n;
}

static size_t
chars(const char *s)
{
	size_t n = 0;

	while (spell_utf8_next(&s) != 0)
		n++;
	return n;
}

/* Does a spoken form end a sentence by itself (. ! ? before closers)? */
static int
has_stop(const char *s)
{
	size_t n = strlen(s);

	while (n > 0 && strchr("\"')]}", s[n - 1]) != NULL)
		n--;
	return n > 0 && strchr(".!?", s[n - 1]) != NULL;
}

struct span {
	size_t at, len;			/* bytes of the text */
	int para;			/* a blank line follows */
};

/* Cut text at white space; *n spans in a new array. */
static struct span *
cut(const char *text, size_t *n)
{
	struct span *v = NULL;
	size_t alloc = 0, nl = 0;
	const char *p = text, *q;
	long c;
	int in = 0;

	*n = 0;
	for (q = p; (c = spell_utf8_next(&p)) != 0; q = p) {
		if (spell_is_space(c)) {
			if (in)
				v[*n - 1].len = (size_t)(q - text) -
				    v[*n - 1].at;
			in = 0;
			if (c == '\n' || c == 0x2029)
				nl += c == '\n' ? 1 : 2;
			if (*n > 0 && nl >= 2)
				v[*n - 1].para = 1;
			continue;
		}
		if (!in) {
			if (*n == alloc) {
				alloc = alloc ? 2 * alloc : 64;
				v = xreallocarray(v, alloc, sizeof(*v));
			}
			v[*n].at = (size_t)(q - text);
			v[*n].len = 0;
			v[*n].para = 0;
			(*n)++;
			in = 1;
			nl = 0;
		}
	}
	if (in)
		v[*n - 1].len = strlen(text) - v[*n - 1].at;
	return v;
}

void
voice_script_init(struct voice_script *s, const char *language,
    const char *text)
{
	enum spell_lang lang = spell_language(language);
	struct buf all = BUF_INIT, one = BUF_INIT;
	struct span *sp;
	struct voice_token *t;
	size_t i, n, pos = 0;

	memset(s, 0, sizeof(*s));
	sp = cut(text ? text : "", &n);
	s->tok = xcalloc(n ? n : 1, sizeof(*s->tok));
	s->n = n;
	for (i = 0; i < n; i++)
		s->tok[i].text = xstrndup(text + sp[i].at, sp[i].len);
	for (i = 0; i < n; i++) {
		t = &s->tok[i];
		t->sentence_end = i + 1 == n || sp[i].para ||
		    spell_sentence_end(lang, t->text, s->tok[i + 1].text);
		buf_reset(&one);
		spell_token(lang, i > 0 ? s->tok[i - 1].text : NULL, t->text,
		    i + 1 < n ? s->tok[i + 1].text : NULL, t->sentence_end,
		    &one);
		/* A heading before a blank line: let the engine stop. */
		if (sp[i].para && one.len > 0 && !has_stop(buf_str(&one)))
			buf_addch(&one, '.');
		t->spoken = xstrdup(buf_str(&one));
		t->weight = weight(t->spoken);
		if (one.len > 0 && all.len > 0) {
			buf_addch(&all, ' ');
			pos++;
		}
		t->pos = pos;
		t->bpos = all.len;
		buf_addstr(&all, t->spoken);
		pos += chars(t->spoken);
		t->end = pos;
		t->bend = all.len;
	}
	s->spoken_len = all.len;
	s->spoken = buf_detach(&all);
	if (s->spoken == NULL)
		s->spoken = xstrdup("");
	buf_release(&one);
	free(sp);
}

void
voice_script_release(struct voice_script *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->tok[i].text);
		free(s->tok[i].spoken);
	}
	free(s->tok);
	free(s->spoken);
	memset(s, 0, sizeof(*s));
}

size_t
voice_script_token_at(const struct voice_script *s, size_t c)
{
	size_t lo = 0, hi = s->n, mid;

	/* The first token that ends after c; ends never go down. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (s->tok[mid].end > c)
			hi = mid;
		else
			lo = mid + 1;
	}
	while (lo < s->n && s->tok[lo].end == s->tok[lo].pos)
		lo++;			/* nothing spoken for it */
	return lo;
}

void
voice_script_mark(struct voice_script *s, size_t i, double start,
    double stop)
{
	struct voice_token *t;

	if (i >= s->n)
		return;
	t = &s->tok[i];
	if (stop < start)
		stop = start;
	if (!t->marked) {
		t->start = start;
		t->stop = stop;
		t->marked = 1;
		return;
	}
	if (start < t->start)
		t->start = start;
	if (stop > t->stop)
		t->stop = stop;
}

/*
 * Share [t0, t1] among tokens [from, to) by weight, into st/en; tokens
 * without letters sit where the one before them ends.
 */
static void
share(const struct voice_script *s, size_t from, size_t to, double t0,
    double t1, double *st, double *en)
{
	double w = 0, at = 0, cur = t0;
	size_t i;

	for (i = from; i < to; i++)
		w += s->tok[i].weight;
	for (i = from; i < to; i++) {
		st[i] = cur;
		if (w > 0) {
			at += s->tok[i].weight;
			cur = t0 + (t1 - t0) * at / w;
		}
		en[i] = cur;
	}
}

/* The first marked token in [from, to), or to. */
static size_t
next_marked(const struct voice_script *s, size_t from, size_t to)
{
	while (from < to && !s->tok[from].marked)
		from++;
	return from;
}

void
voice_script_words(struct voice_script *s, double duration,
    struct media_words *out)
{
	double *st, *en, prev = 0, t1;
	size_t i, a, b, m, end;

	if (s->n == 0)
		return;
	st = xcalloc(s->n, sizeof(*st));
	en = xcalloc(s->n, sizeof(*en));
	/*
	 * Sentence by sentence, so that a token is never given time from
	 * across a sentence break.  The first group of a sentence also
	 * takes its unmarked tokens before the first marked one; a
	 * sentence the engine said nothing for shares the gap up to the
	 * next thing it did say.
	 */
	for (a = 0; a < s->n; a = end) {
		for (end = a; end < s->n && !s->tok[end].sentence_end; end++)
			;
		if (end < s->n)
			end++;
		if ((m = next_marked(s, a, end)) == end) {
			b = next_marked(s, end, s->n);
			t1 = b < s->n ? s->tok[b].start : duration;
			share(s, a, end, prev, t1 > prev ? t1 : prev, st, en);
		} else {
			for (i = a; m < end; m = b, i = m) {
				b = next_marked(s, m + 1, end);
				share(s, i, b, s->tok[m].start, s->tok[m].stop,
				    st, en);
			}
		}
		prev = en[end - 1];
	}
	for (prev = 0, i = 0; i < s->n; i++) {
		if (st[i] < prev)
			st[i] = prev;
		if (en[i] < st[i])
			en[i] = st[i];
		if (en[i] > duration && duration >= st[i])
			en[i] = duration;
		prev = en[i];
		media_words_add(out, s->tok[i].text, st[i], en[i], 0,
		    s->tok[i].sentence_end ? WORD_SENTENCE_END : 0);
	}
	free(st);
	free(en);
}

/* A BCP 47 tag, loosely: "en", "en-US", "zh-Hant-TW", "en_GB". */
static int
check_tag(const char *tag)
{
	size_t i, run = 0, part = 0;

	for (i = 0; ; i++) {
		if (tag[i] == '\0' || tag[i] == '-' || tag[i] == '_') {
			if (run == 0 || run > 8 || (part == 0 && (run < 2 ||
			    run == 4)))
				return -1;
			if (tag[i] == '\0')
				return 0;
			run = 0;
			part++;
			continue;
		}
		if (!isalnum((unsigned char)tag[i]) || (part == 0 &&
		    !isalpha((unsigned char)tag[i])))
			return -1;
		run++;
	}
}

int
voice_speak(struct agency *ag, const struct voice_params *p,
    const char *text, struct voice_audio *out)
{
	struct voice_audio a = VOICE_AUDIO_INIT;
	struct voice_params q = *p;
	struct voice_script s;
	char tag[64];
	size_t i;
	int rc;

	if (q.engine == NULL)
		q.engine = "espeak";
	if (q.language == NULL || q.language[0] == '\0')
		q.language = "en";
	if (strcmp(q.engine, "espeak") != 0 && strcmp(q.engine, "flite") != 0)
		return ag_fail(ag, AG_USAGE, "unknown voice engine '%s': "
		    "espeak or flite", q.engine);
	if (strlen(q.language) >= sizeof(tag) || check_tag(q.language) != 0)
		return ag_fail(ag, AG_USAGE, "bad language tag '%s': "
		    "expected BCP 47, such as en, en-US or de", q.language);
	for (i = 0; q.language[i] != '\0'; i++)
		tag[i] = q.language[i] == '_' ? '-' : q.language[i];
	tag[i] = '\0';
	q.language = tag;
	if (q.voice != NULL && q.voice[0] == '\0')
		q.voice = NULL;
	if (q.wpm != 0 && (q.wpm < VOICE_WPM_MIN || q.wpm > VOICE_WPM_MAX))
		return ag_fail(ag, AG_USAGE, "speaking rate %d is not %d to "
		    "%d words per minute", q.wpm, VOICE_WPM_MIN,
		    VOICE_WPM_MAX);
	voice_script_init(&s, q.language, text);
	if (strcmp(q.engine, "espeak") == 0)
		rc = voice_espeak_speak(ag, &q, &s, &a);
	else
		rc = voice_flite_speak(ag, &q, &s, &a);
	if (rc == AG_OK) {
		voice_script_words(&s, a.rate > 0 ? (double)a.frames / a.rate :
		    0, &a.words);
		*out = a;
	} else {
		voice_audio_release(&a);
	}
	voice_script_release(&s);
	return rc;
}

int
voice_list(struct agency *ag, const char *engine, struct cJSON **list)
{
	cJSON *arr;
	int rc = AG_OK;

	if (engine != NULL && strcmp(engine, "espeak") != 0 &&
	    strcmp(engine, "flite") != 0)
		return ag_fail(ag, AG_USAGE, "unknown voice engine '%s': "
		    "espeak or flite", engine);
	arr = cJSON_CreateArray();
	if (engine == NULL || strcmp(engine, "espeak") == 0)
		rc = voice_espeak_list(ag, arr);
	if (rc == AG_OK && (engine == NULL || strcmp(engine, "flite") == 0))
		rc = voice_flite_list(ag, arr);
	if (rc != AG_OK) {
		cJSON_Delete(arr);
		return rc;
	}
	*list = arr;
	return AG_OK;
}

/*
 * Recorded narration (voice_time_proportional).  The audio is cut into
 * frames of WIN seconds every HOP; a frame is speech when its level
 * passes a threshold between the noise floor and the loudest frame.
 * Silences of MINPAUSE or more between the first and last speech are
 * the candidate breaks between sentences.
 */
#define HOP 0.010
#define WIN 0.020
#define MINPAUSE 0.120
#define VIRTUAL_COST 1.0	/* a boundary where no silence is */
#define LONG_BONUS 0.3		/* longer silences are likelier breaks */
#define STRETCH 4.0		/* a sentence is 1/4 to 4x its share */

struct pause {
	double t0, t1;			/* silence from t0 to t1 */
	int virtual;			/* no silence: a guess */
};

static int
cmpdouble(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
cmppause(const void *a, const void *b)
{
	const struct pause *x = a, *y = b;

	return x->t0 < y->t0 ? -1 : x->t0 > y->t0;
}

/*
 * Find the speech in pcm: [*start, *end] and the silences inside it,
 * a new array in *pauses.  Returns -1 when there is no speech.
 */
static int
find_speech(const float *pcm, size_t frames, int rate, double *start,
    double *end, struct pause **pauses, size_t *np)
{
	size_t nf, k, a, b, i, alloc = 0;
	double *db, *sorted, peak = -HUGE_VAL, floor, thr, sum;
	struct pause *v = NULL;
	long first = -1, last = -1;

	nf = (size_t)((double)frames / rate / HOP) + 1;
	db = xmalloc(nf * sizeof(*db));
	for (k = 0; k < nf; k++) {
		a = (size_t)llround(k * HOP * rate);
		b = (size_t)llround((k * HOP + WIN) * rate);
		if (b > frames)
			b = frames;
		for (sum = 0, i = a; i < b; i++)
			sum += (double)pcm[i] * pcm[i];
		db[k] = 10 * log10(b > a ? sum / (double)(b - a) + 1e-12 :
		    1e-12);
		if (db[k] > peak)
			peak = db[k];
	}
	if (peak < -80) {
		free(db);
		return -1;
	}
	/* The floor: the tenth percentile of the frames. */
	sorted = xmalloc(nf * sizeof(*sorted));
	memcpy(sorted, db, nf * sizeof(*db));
	qsort(sorted, nf, sizeof(*sorted), cmpdouble);
	floor = sorted[nf / 10];
	free(sorted);
	thr = floor + 12;
	if (thr < peak - 45)
		thr = peak - 45;
	if (thr > peak - 20)
		thr = peak - 20;
	for (k = 0; k < nf; k++) {
		if (db[k] <= thr)
			continue;
		if (first < 0)
			first = (long)k;
		last = (long)k;
	}
	/* Frame k is centred on k * HOP + WIN / 2. */
	*start = first * HOP + WIN / 2 - HOP / 2;
	*end = last * HOP + WIN / 2 + HOP / 2;
	if (*end > (double)frames / rate)
		*end = (double)frames / rate;
	*np = 0;
	for (k = (size_t)first; k <= (size_t)last; k = b) {
		for (b = k; b <= (size_t)last && db[b] <= thr; b++)
			;
		if (b == k) {
			b = k + 1;
			continue;
		}
		if ((b - k) * HOP < MINPAUSE)
			continue;
		if (*np == alloc) {
			alloc = alloc ? 2 * alloc : 32;
			v = xreallocarray(v, alloc, sizeof(*v));
		}
		v[*np].t0 = k * HOP + WIN / 2 - HOP / 2;
		v[*np].t1 = b * HOP + WIN / 2 - HOP / 2;
		v[*np].virtual = 0;
		(*np)++;
	}
	free(db);
	*pauses = v;
	return 0;
}

static double
sentence_cost(double d, double e)
{
	double r;

	if (d <= 0 || e <= 0)
		return HUGE_VAL;
	r = log(d / e);
	return r * r;
}

static double
pause_cost(const struct pause *p)
{
	if (p->virtual)
		return VIRTUAL_COST;
	return -LONG_BONUS * log((p->t1 - p->t0) / MINPAUSE);
}

/*
 * Choose where the ns - 1 sentence boundaries go: cand[at[k]] ends
 * sentence k.  Sentence k should last about e[k].  Dynamic programme,
 * cost[k][j] the best for boundaries 0..k with boundary k on cand[j].
 */
static void
place(const struct pause *cand, size_t nc, const double *e, size_t ns,
    double start, double end, size_t *at)
{
	size_t nb = ns - 1, k, j, i, best;
	double *cost, *prev, c, d, bestc;
	int *back;

	cost = xmalloc(nc * sizeof(*cost));
	prev = xmalloc(nc * sizeof(*prev));
	back = xmalloc(nb * nc * sizeof(*back));
	for (k = 0; k < nb; k++) {
		for (j = 0; j < nc; j++) {
			cost[j] = HUGE_VAL;
			back[k * nc + j] = -1;
			if (k == 0) {
				d = cand[j].t0 - start;
				if (d >= e[0] / STRETCH && d <= e[0] * STRETCH)
					cost[j] = sentence_cost(d, e[0]) +
					    pause_cost(&cand[j]);
				continue;
			}
			for (i = j; i-- > 0; ) {
				d = cand[j].t0 - cand[i].t1;
				if (d > e[k] * STRETCH)
					break;
				if (d < e[k] / STRETCH || prev[i] == HUGE_VAL)
					continue;
				c = prev[i] + sentence_cost(d, e[k]) +
				    pause_cost(&cand[j]);
				if (c < cost[j]) {
					cost[j] = c;
					back[k * nc + j] = (int)i;
				}
			}
		}
		memcpy(prev, cost, nc * sizeof(*cost));
	}
	bestc = HUGE_VAL;
	best = nc;
	for (j = 0; j < nc; j++) {
		if (prev[j] == HUGE_VAL)
			continue;
		c = prev[j] + sentence_cost(end - cand[j].t1, e[nb]);
		if (c < bestc)
			bestc = c, best = j;
	}
	if (best == nc) {
		/* Nothing fits: the proportional guesses, in order. */
		for (k = 0, j = 0; k < nb; k++) {
			while (j < nc && !cand[j].virtual)
				j++;
			at[k] = j < nc ? j++ : nc - 1;
		}
	} else {
		for (k = nb; k-- > 0; ) {
			at[k] = best;
			if (k > 0)
				best = (size_t)back[k * nc + best];
		}
	}
	free(back);
	free(prev);
	free(cost);
}

/*
 * Where fraction f of the speech in [t0, t1] is, skipping the silences
 * inside it; a boundary that falls on a silence goes to its end for a
 * start (after) and to its beginning for an end.
 */
static double
speech_at(const struct pause *p, size_t np, double t0, double t1, double f,
    int after)
{
	double total = t1 - t0, want, cur = t0, len;
	size_t i;

	for (i = 0; i < np; i++)
		if (!p[i].virtual && p[i].t0 > t0 && p[i].t1 < t1)
			total -= p[i].t1 - p[i].t0;
	want = f * total;
	for (i = 0; i < np; i++) {
		if (p[i].virtual || p[i].t0 <= t0 || p[i].t1 >= t1)
			continue;
		len = p[i].t0 - cur;
		if (want < len || (want == len && !after))
			return cur + want;
		want -= len;
		cur = p[i].t1;
	}
	return cur + want > t1 ? t1 : cur + want;
}

int
voice_time_proportional(struct agency *ag, const char *text,
    const float *pcm, size_t frames, int rate, struct media_words *out)
{
	struct voice_script s;
	struct media_words w = MEDIA_WORDS_INIT;
	struct pause *cand = NULL, *sil = NULL;
	size_t np = 0, nc, ns = 0, i, k, j, first, *at = NULL, *sfirst;
	double start, end, talk, W = 0, cum, *e, *lens, t0, t1, sw, a;

	if (rate < 8000)
		return ag_fail(ag, AG_USAGE, "narration: a rate of %d Hz is "
		    "under 8000", rate);
	voice_script_init(&s, NULL, text);
	if (s.n == 0) {
		voice_script_release(&s);
		return AG_OK;
	}
	if (frames == 0 || find_speech(pcm, frames, rate, &start, &end, &sil,
	    &np) != 0) {
		voice_script_release(&s);
		return ag_fail(ag, AG_DATAERR, "narration: no speech found "
		    "(the audio is silent)");
	}
	for (i = 0; i < s.n; i++) {
		W += s.tok[i].weight;
		ns += s.tok[i].sentence_end;
	}
	sfirst = xcalloc(ns + 1, sizeof(*sfirst));
	e = xcalloc(ns, sizeof(*e));
	for (i = 0, k = 0; i < s.n; i++) {
		e[k] += s.tok[i].weight;
		if (s.tok[i].sentence_end)
			sfirst[++k] = i + 1;
	}
	/*
	 * Talking time: the speech less the longest ns - 1 silences,
	 * taken to be the breaks between sentences.
	 */
	talk = end - start;
	lens = xmalloc((np ? np : 1) * sizeof(*lens));
	for (i = 0; i < np; i++)
		lens[i] = sil[i].t1 - sil[i].t0;
	qsort(lens, np, sizeof(*lens), cmpdouble);
	for (i = 0; i < np && i + 1 < ns; i++)
		talk -= lens[np - 1 - i];
	free(lens);
	for (k = 0; k < ns; k++)
		e[k] = talk * (W > 0 ? (e[k] + 1) / (W + (double)ns) :
		    1.0 / (double)ns);
	/* Candidates: the silences, and a guess for every boundary. */
	nc = np + (ns - 1);
	cand = xmalloc((nc ? nc : 1) * sizeof(*cand));
	if (np > 0)
		memcpy(cand, sil, np * sizeof(*sil));
	for (k = 0, cum = start; k + 1 < ns; k++) {
		cum += e[k] + (end - start - talk) / (double)(ns - 1);
		cand[np + k].t0 = cand[np + k].t1 = cum;
		cand[np + k].virtual = 1;
	}
	qsort(cand, nc, sizeof(*cand), cmppause);
	at = xcalloc(ns, sizeof(*at));
	if (ns > 1)
		place(cand, nc, e, ns, start, end, at);
	for (k = 0; k < ns; k++) {
		t0 = k == 0 ? start : cand[at[k - 1]].t1;
		t1 = k + 1 == ns ? end : cand[at[k]].t0;
		if (t1 < t0)
			t1 = t0;
		first = sfirst[k];
		for (sw = 0, j = first; j < sfirst[k + 1]; j++)
			sw += s.tok[j].weight;
		for (a = 0, j = first; j < sfirst[k + 1]; j++) {
			double ws = speech_at(sil, np, t0, t1, sw > 0 ? a / sw :
			    0, 1), we;

			a += s.tok[j].weight;
			we = speech_at(sil, np, t0, t1, sw > 0 ? a / sw : 0, 0);
			if (s.tok[j].weight == 0 && w.n > 0)
				ws = we = w.v[w.n - 1].end;
			if (w.n > 0 && ws < w.v[w.n - 1].end)
				ws = w.v[w.n - 1].end;
			media_words_add(&w, s.tok[j].text, ws, we, 0,
			    s.tok[j].sentence_end ? WORD_SENTENCE_END : 0);
		}
	}
	for (i = 0; i < w.n; i++)
		media_words_add(out, w.v[i].text, w.v[i].start, w.v[i].end, 0,
		    w.v[i].flags);
	media_words_release(&w);
	free(at);
	free(cand);
	free(e);
	free(sfirst);
	free(sil);
	voice_script_release(&s);
	return AG_OK;
}
