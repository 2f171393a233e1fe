/*
 * t-captions - caption pages, lines, safe areas, the ASS, SRT and WebVTT
 * files, and, rendered with libass onto a blank frame, where the pixels
 * really land.
 */
#include <ass/ass.h>
#include <limits.h>
#include <math.h>

#include "tap.h"
#include "media/font.h"

/* ---- words ---- */

static const char *const long_words[] = {
	"Donaudampfschifffahrtsgesellschaftskapitänswitwe", "and",
	"pneumonoultramicroscopicsilicovolcanoconiosis.", "Then",
	"supercalifragilisticexpialidocious", "internationalization,",
	"https://example.com/a/very/long/path/that/never/ends", "ok.",
	NULL
};

static const char *const short_words[] = {
	"a", "I", "am", "so", "on", "to", "go", "by", "it", "is", "we", "do",
	"up", "an", "as", "if", "or", "me", "my", "no", "he", "us", "at",
	"be", "of", "in", "oh", "hi", "ox", "ax", "I", "a", "so", "we", "go",
	"up", "it", "is", "to", "by", NULL
};

static const char *const utf8_words[] = {
	"Crème", "brûlée,", "naïve", "façade;", "Übermäßig", "Straße!",
	"\xf0\x9f\x98\x80", "emoji", "\xf0\x9f\xa7\xa0", "fall", "back",
	"\xe2\x98\x95", "ñandú", "Ελληνικά", "русский", "日本語", "{\\b1}x",
	"arc\xe2\x8c\x92", "\xf0\x9d\x96\xa0\xf0\x9d\x96\xa1",
	"back\\Nslash", "<i>tag</i>", "&", "-->", "bad\xff" "byte", NULL
};

/*
 * Words 0.25 s long with 0.05 s between, a sentence end every seventh,
 * a new scene every twelfth (its last word flagged), one long pause.
 */
static void
make_words(struct media_words *w, const char *const *list)
{
	double t = 0.3;
	int i, scene = 0, flags;

	media_words_init(w);
	for (i = 0; list[i] != NULL; i++) {
		flags = 0;
		if (i % 7 == 6)
			flags |= WORD_SENTENCE_END;
		if (i % 12 == 11 || list[i + 1] == NULL)
			flags |= WORD_SCENE_END;
		media_words_add(w, list[i], t, t + 0.25, scene, flags);
		t += i == 4 ? 1.5 : 0.3;
		if (flags & WORD_SCENE_END) {
			scene++;
			t += 0.4;
		}
	}
}

/* ---- ASS events, parsed back ---- */

struct ev {
	long long s, e;			/* centiseconds */
	char style[16];
	char *text;
};

static long long
parse_cs(const char *p)
{
	int h, m, s, c;

	if (sscanf(p, "%d:%d:%d.%d", &h, &m, &s, &c) != 4)
		return -1;
	return ((h * 60LL + m) * 60 + s) * 100 + c;
}

/* The Dialogue lines of an ASS script. */
static struct ev *
parse_ass(const char *ass, size_t *n)
{
	struct ev *v = NULL;
	const char *p = ass, *nl, *f[10];
	size_t cnt = 0;
	int k;

	*n = 0;
	for (; p != NULL && *p != '\0'; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (strncmp(p, "Dialogue: ", 10) != 0)
			continue;
		f[0] = p + 10;
		for (k = 1; k < 10; k++) {
			f[k] = strchr(f[k - 1], ',');
			if (f[k] == NULL)
				break;
			f[k]++;
		}
		if (k < 10)
			continue;
		v = xreallocarray(v, cnt + 1, sizeof(*v));
		v[cnt].s = parse_cs(f[1]);
		v[cnt].e = parse_cs(f[2]);
		snprintf(v[cnt].style, sizeof(v[cnt].style), "%.*s",
		    (int)(f[4] - f[3] - 1), f[3]);
		v[cnt].text = xstrndup(f[9], nl ? (size_t)(nl - f[9]) :
		    strlen(f[9]));
		cnt++;
	}
	*n = cnt;
	return v;
}

static void
free_events(struct ev *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].text);
	free(v);
}

static int
caption_event(const struct ev *e)
{
	return strcmp(e->style, "Word") == 0 || strcmp(e->style, "Hold") ==
	    0 || strcmp(e->style, "Page") == 0;
}

/* ---- rendering with libass ---- */

static ASS_Library *alib;
static ASS_Renderer *arend;
static int arend_w, arend_h;

static void
quiet(int level, const char *fmt, va_list va, void *data)
{
	(void)level;
	(void)fmt;
	(void)va;
	(void)data;
}

static void
renderer_for(int w, int h)
{
	if (alib == NULL) {
		alib = ass_library_init();
		ass_set_message_cb(alib, quiet, NULL);
	}
	if (arend != NULL && arend_w == w && arend_h == h)
		return;
	if (arend != NULL)
		ass_renderer_done(arend);
	arend = ass_renderer_init(alib);
	ass_set_frame_size(arend, w, h);
	ass_set_storage_size(arend, w, h);
	ass_set_fonts(arend, NULL, "DejaVu Sans", ASS_FONTPROVIDER_FONTCONFIG,
	    NULL, 1);
	arend_w = w;
	arend_h = h;
}

static ASS_Track *
read_track(const char *ass)
{
	char *copy = xstrdup(ass);
	ASS_Track *t = ass_read_memory(alib, copy, strlen(copy), NULL);

	free(copy);
	return t;
}

struct shot {
	long inside;			/* pixels changed inside the safe area */
	long outside;			/* pixels with any ink outside it */
	long stray;			/* ink outside the boxes we computed */
	double x0, y0, x1, y1;		/* the ink's bounding box */
};

static int
within(const struct caption_rect *r, int x0, int y0, int x1, int y1)
{
	return x0 >= r->x0 && x1 <= r->x1 && y0 >= r->y0 && y1 <= r->y1;
}

/*
 * Render track at ms onto a blank grey frame; count what changed where.
 * boxes are the rectangles the layout says may be drawn at that time.
 * frame must be all grey (64) and is left so: only the pixels libass
 * drew are looked at and put back.  A pixel is checked one by one only
 * when its image is not wholly inside the safe area or a box.
 */
static void
shoot(ASS_Track *t, long long ms, const struct caption_rect *safe,
    const struct caption_rect *boxes, size_t nboxes, unsigned char *frame,
    struct shot *out)
{
	ASS_Image *im, *all;
	size_t b;
	int changed, x, y, X, Y, k, insafe, inbox;
	long x0 = LONG_MAX, y0 = LONG_MAX, x1 = LONG_MIN, y1 = LONG_MIN;

	memset(out, 0, sizeof(*out));
	all = ass_render_frame(arend, t, ms, &changed);
	for (im = all; im != NULL; im = im->next) {
		unsigned c[3] = { im->color >> 24, im->color >> 16 & 255,
		    im->color >> 8 & 255 };
		unsigned opa = 255 - (im->color & 255);

		if (opa == 0 || im->w == 0 || im->h == 0)
			continue;
		insafe = within(safe, im->dst_x, im->dst_y, im->dst_x + im->w,
		    im->dst_y + im->h);
		for (inbox = 0, b = 0; b < nboxes && !inbox; b++)
			inbox = within(&boxes[b], im->dst_x, im->dst_y,
			    im->dst_x + im->w, im->dst_y + im->h);
		for (y = 0; y < im->h; y++)
			for (x = 0; x < im->w; x++) {
				unsigned a = im->bitmap[y * im->stride + x];
				unsigned char *p;
				int was, ok;

				if (a == 0)
					continue;
				X = im->dst_x + x;
				Y = im->dst_y + y;
				if (!insafe && !(X >= safe->x0 && X < safe->x1
				    && Y >= safe->y0 && Y < safe->y1))
					out->outside++;
				if (!inbox) {
					for (ok = 0, b = 0; b < nboxes && !ok;
					    b++)
						ok = X >= boxes[b].x0 &&
						    X < boxes[b].x1 &&
						    Y >= boxes[b].y0 &&
						    Y < boxes[b].y1;
					if (!ok)
						out->stray++;
				}
				if (X < x0)
					x0 = X;
				if (X >= x1)
					x1 = X + 1;
				if (Y < y0)
					y0 = Y;
				if (Y >= y1)
					y1 = Y + 1;
				a = a * opa / 255;
				p = frame + ((size_t)Y * arend_w + X) * 3;
				was = p[0] == 64 && p[1] == 64 && p[2] == 64;
				for (k = 0; k < 3; k++)
					p[k] = (unsigned char)((p[k] * (255 - a)
					    + c[k] * a + 127) / 255);
				/* Changed from blank, counted once. */
				if (was && !(p[0] == 64 && p[1] == 64 &&
				    p[2] == 64) && X >= safe->x0 &&
				    X < safe->x1 && Y >= safe->y0 &&
				    Y < safe->y1)
					out->inside++;
			}
	}
	for (im = all; im != NULL; im = im->next)
		for (y = 0; y < im->h; y++)
			memset(frame + ((size_t)(im->dst_y + y) * arend_w +
			    im->dst_x) * 3, 64, (size_t)im->w * 3);
	out->x0 = (double)x0;
	out->y0 = (double)y0;
	out->x1 = (double)x1;
	out->y1 = (double)y1;
}

/* ---- the checks of one layout ---- */

struct totals {
	int layouts, width_bad, rect_bad, scene_bad, words_bad, lines_bad;
	int time_bad, min_bad, gap_bad, ev_bad, overlap_bad, overlay_bad;
	int shots, outside, stray, blank;
};

static int
same_time(long long cs, double t)
{
	return cs == llround(t * 100);
}

static void
check_layout(const struct media_words *w, const struct caption_layout *l,
    struct font *f, struct totals *tt)
{
	const struct caption_look *k = &l->look;
	double popf = (k->style == CAPTION_KARAOKE || k->style == CAPTION_POP)
	    ? k->pop / 100.0 : 1;
	size_t i, j, li;

	tt->layouts++;
	for (i = 0; i < l->npages; i++) {
		const struct caption_page *p = &l->pages[i];
		const struct caption_page *nx = i + 1 < l->npages ? p + 1 : NULL;

		for (j = 1; j < p->n; j++)
			if (l->words[p->first + j].start <
			    l->words[p->first + j - 1].end)
				tt->words_bad++;
		if (k->max_words > 0 && p->n > (size_t)k->max_words)
			tt->words_bad++;
		if (p->nlines < 1 || p->nlines > k->max_lines)
			tt->lines_bad++;
		/* Each line, measured again as one string. */
		for (li = 0; li < (size_t)p->nlines; li++) {
			const struct caption_line *ln = &p->lines[li];
			struct buf s = BUF_INIT;
			double w, big = 0, need;

			for (j = ln->first; j < ln->first + ln->n; j++) {
				if (j > ln->first)
					buf_addch(&s, ' ');
				buf_addstr(&s, l->words[j].text);
				big = fmax(big, font_measure(f,
				    l->words[j].text, k->size, NULL));
			}
			w = font_measure(f, buf_str(&s), k->size, NULL);
			need = (w + big * (popf - 1)) * ln->scale;
			if (p->x - need / 2 - k->outline < l->safe.x0 - 0.01 ||
			    p->x + need / 2 + k->outline + k->shadow >
			    l->safe.x1 + 0.01) {
				tt->width_bad++;
				printf("# too wide: '%s' %.1f px at %.2f\n",
				    buf_str(&s), need, ln->scale);
			}
			buf_release(&s);
		}
		if (p->rect.x0 < l->safe.x0 - 0.01 || p->rect.x1 > l->safe.x1 +
		    0.01 || p->rect.y0 < l->safe.y0 - 0.01 || p->rect.y1 >
		    l->safe.y1 + 0.01)
			tt->rect_bad++;
		for (j = 0; j < p->n; j++)
			if (l->words[p->first + j].line < 0 ||
			    l->words[p->first + j].line >= p->nlines)
				tt->lines_bad++;
		/* Timing: the words, the minimum, the gaps. */
		if (p->start != l->words[p->first].start ||
		    p->end < l->words[p->first + p->n - 1].end)
			tt->time_bad++;
		if (nx != NULL && nx->scene == p->scene && p->end - p->start <
		    k->min_duration - 1e-9 && fabs(p->end - nx->start) > 1e-9)
			tt->min_bad++;
		if (nx != NULL && nx->start < p->end - 1e-9)
			tt->time_bad++;
		if (nx != NULL && nx->scene == p->scene && nx->start - p->end >
		    1e-9 && nx->start - p->end <= k->gap_close)
			tt->gap_bad++;
		if ((nx == NULL || nx->scene != p->scene) && p->end !=
		    l->words[p->first + p->n - 1].end)
			tt->gap_bad++;
	}
	/* Scenes: a page never holds two (no word of these is empty). */
	if (l->nwords != w->n)
		tt->scene_bad++;
	for (i = 0; i < l->npages && l->nwords == w->n; i++)
		for (j = 0; j < l->pages[i].n; j++)
			if (w->v[l->pages[i].first + j].scene !=
			    l->pages[i].scene || (j + 1 < l->pages[i].n &&
			    (w->v[l->pages[i].first + j].flags &
			    WORD_SCENE_END)))
				tt->scene_bad++;
	/* Overlays: in the safe area, off the band, apart in time. */
	for (i = 0; i < l->noverlays; i++) {
		const struct caption_rect *r = &l->overlays[i].rect;

		if (r->x0 < l->safe.x0 - 0.01 || r->x1 > l->safe.x1 + 0.01 ||
		    r->y0 < l->safe.y0 - 0.01 || r->y1 > l->safe.y1 + 0.01)
			tt->overlay_bad++;
		if (l->band.y1 > l->band.y0 && r->y0 < l->band.y1 &&
		    l->band.y0 < r->y1)
			tt->overlay_bad++;
		for (j = 0; j < l->npages && k->style != CAPTION_NONE; j++) {
			const struct caption_rect *q = &l->pages[j].rect;

			if (r->x0 < q->x1 && q->x0 < r->x1 && r->y0 < q->y1 &&
			    q->y0 < r->y1)
				tt->overlay_bad++;
		}
		for (j = 0; j < i; j++) {
			const struct caption_overlay *a = &l->overlays[i];
			const struct caption_overlay *b = &l->overlays[j];

			if (a->src->start < b->src->end && b->src->start <
			    a->src->end && a->rect.x0 < b->rect.x1 &&
			    b->rect.x0 < a->rect.x1 && a->rect.y0 < b->rect.y1
			    && b->rect.y0 < a->rect.y1)
				tt->overlay_bad++;
		}
	}
}

/* The boxes that may be drawn at time cs: the page's and overlays'. */
static size_t
boxes_at(const struct caption_layout *l, long long cs,
    struct caption_rect *box, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < l->npages && n < max; i++)
		if (llround(l->pages[i].start * 100) <= cs &&
		    cs < llround(l->pages[i].end * 100))
			box[n++] = l->pages[i].rect;
	for (i = 0; i < l->noverlays && n < max; i++)
		if (llround(l->overlays[i].src->start * 100) <= cs &&
		    cs < llround(l->overlays[i].src->end * 100))
			box[n++] = l->overlays[i].rect;
	return n;
}

static void
check_ass(const struct caption_layout *l, struct totals *tt, int render)
{
	const struct caption_look *k = &l->look;
	struct buf ass = BUF_INIT;
	struct ev *ev;
	size_t n, i, j, words = 0, pages = 0, nb;
	struct caption_rect box[16];
	unsigned char *frame;
	ASS_Track *track;
	struct shot sh;
	long long at[1];

	caption_layout_ass(l, &ass);
	ev = parse_ass(buf_str(&ass), &n);
	for (i = 0; i < n; i++) {
		if (strcmp(ev[i].style, "Word") == 0) {
			const struct caption_word *w = &l->words[words];

			if (words >= l->nwords || !same_time(ev[i].s, w->start)
			    || !same_time(ev[i].e, w->end))
				tt->ev_bad++;
			words++;
		} else if (strcmp(ev[i].style, "Page") == 0) {
			if (pages >= l->npages || !same_time(ev[i].s,
			    l->pages[pages].start) || !same_time(ev[i].e,
			    l->pages[pages].end))
				tt->ev_bad++;
			pages++;
		}
	}
	if (k->style == CAPTION_KARAOKE || k->style == CAPTION_POP) {
		if (words != l->nwords || pages != 0)
			tt->ev_bad++;
	} else if (k->style == CAPTION_CLASSIC) {
		if (pages != l->npages || words != 0)
			tt->ev_bad++;
	} else {
		for (i = 0; i < n; i++)
			if (caption_event(&ev[i]))
				tt->ev_bad++;
	}
	/* Exactly one caption event at a time: they never overlap. */
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (caption_event(&ev[i]) && caption_event(&ev[j]) &&
			    ev[i].s < ev[j].e && ev[j].s < ev[i].e)
				tt->overlap_bad++;
	if (render) {
		renderer_for(l->area.width, l->area.height);
		track = read_track(buf_str(&ass));
		frame = xmalloc((size_t)l->area.width * l->area.height * 3);
		memset(frame, 64, (size_t)l->area.width * l->area.height * 3);
		for (i = 0; track != NULL && i < n; i++) {
			if (ev[i].e <= ev[i].s)
				continue;
			/* A word at its start (the pop at its largest), the
			 * rest mid-way. */
			at[0] = strcmp(ev[i].style, "Word") == 0 ? ev[i].s :
			    (ev[i].s + ev[i].e) / 2;
			for (j = 0; j < 1; j++) {
				nb = boxes_at(l, at[j], box, 16);
				shoot(track, at[j] * 10, &l->safe, box, nb,
				    frame, &sh);
				tt->shots++;
				if (sh.outside > 0)
					tt->outside++;
				if (sh.stray > 0) {
					tt->stray++;
					printf("# %lld px outside the boxes at "
					    "%lld cs: %s\n", (long long)sh.stray,
					    at[j], ev[i].text);
				}
				if (sh.inside == 0)
					tt->blank++;
			}
		}
		if (track == NULL)
			tt->blank++;
		else
			ass_free_track(track);
		free(frame);
	}
	free_events(ev, n);
	buf_release(&ass);
}

/* ---- SRT and WebVTT, parsed back ---- */

/* Drop every U+200B. */
static char *
unzwsp(const char *s)
{
	struct buf b = BUF_INIT;

	for (; *s != '\0'; s++) {
		if (strncmp(s, "\xe2\x80\x8b", 3) == 0) {
			s += 2;
			continue;
		}
		buf_addch(&b, *s);
	}
	return b.data ? buf_detach(&b) : xstrdup("");
}

/* &amp; &lt; &gt; back, <timestamps> out; -1 for anything else. */
static char *
unvtt(const char *s, int *bad)
{
	struct buf b = BUF_INIT;

	for (; *s != '\0'; s++) {
		if (*s == '&') {
			if (strncmp(s, "&amp;", 5) == 0)
				buf_addch(&b, '&'), s += 4;
			else if (strncmp(s, "&lt;", 4) == 0)
				buf_addch(&b, '<'), s += 3;
			else if (strncmp(s, "&gt;", 4) == 0)
				buf_addch(&b, '>'), s += 3;
			else
				(*bad)++;
		} else if (*s == '<') {
			const char *e = strchr(s, '>');

			if (e == NULL)
				(*bad)++;
			else
				s = e;
		} else if (*s == '>') {
			(*bad)++;
		} else {
			buf_addch(&b, *s);
		}
	}
	return b.data ? buf_detach(&b) : xstrdup("");
}

static long long
parse_ms(const char *p, char frac)
{
	int h, m, s, ms;
	char c;

	if (sscanf(p, "%d:%d:%d%c%d", &h, &m, &s, &c, &ms) != 5 || c != frac)
		return -1;
	return ((h * 60LL + m) * 60 + s) * 1000 + ms;
}

/* The page's lines as the sidecars should have them. */
static char *
page_text(const struct caption_layout *l, const struct caption_page *p)
{
	struct buf b = BUF_INIT;
	int li;
	size_t j;

	for (li = 0; li < p->nlines; li++) {
		if (li > 0)
			buf_addch(&b, '\n');
		for (j = p->lines[li].first; j < p->lines[li].first +
		    p->lines[li].n; j++) {
			if (j > p->lines[li].first)
				buf_addch(&b, ' ');
			buf_addstr(&b, l->words[j].script);
		}
	}
	return buf_detach(&b);
}

/*
 * Parse SRT or WebVTT back and compare cue by cue with the pages;
 * returns the number of disagreements.
 */
static int
check_sidecar(const struct caption_layout *l, const char *doc, int vtt)
{
	char *copy = xstrdup(doc), *p = copy, *block, *line, *save, *want;
	char frac = vtt ? '.' : ',';
	struct buf text = BUF_INIT;
	long long s, e, stamp, last;
	size_t cue = 0;
	int bad = 0, nline;

	if (vtt) {
		if (strncmp(p, "WEBVTT\n\n", 8) != 0)
			bad++;
		p += 8;
	}
	/* Cues are blank-line separated blocks. */
	while (p != NULL && *p != '\0') {
		block = p;
		p = strstr(p, "\n\n");
		if (p != NULL) {
			*p = '\0';
			p += 2;
		}
		buf_reset(&text);
		nline = 0;
		s = e = -1;
		for (line = strtok_r(block, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save), nline++) {
			if (nline == 0) {
				if (strtoull(line, NULL, 10) != cue + 1)
					bad++;
			} else if (nline == 1) {
				s = parse_ms(line, frac);
				e = strstr(line, " --> ") ? parse_ms(strstr(line,
				    " --> ") + 5, frac) : -1;
			} else {
				if (*line == '\0')
					bad++;
				if (text.len > 0)
					buf_addch(&text, '\n');
				buf_addstr(&text, line);
			}
		}
		if (cue >= l->npages) {
			bad++;
			break;
		}
		if (s != llround(l->pages[cue].start * 1000) ||
		    e != llround(l->pages[cue].end * 1000) || e <= s)
			bad++;
		want = page_text(l, &l->pages[cue]);
		{
			char *got = vtt ? unvtt(buf_str(&text), &bad) :
			    unzwsp(buf_str(&text));

			if (strcmp(got, want) != 0) {
				bad++;
				printf("# cue %zu: '%s', expected '%s'\n", cue +
				    1, got, want);
			}
			free(got);
		}
		free(want);
		/* Markup that should not be there. */
		if (!vtt && (strstr(buf_str(&text), "<i") ||
		    strstr(buf_str(&text), "{\\")))
			bad++;
		if (vtt && strstr(buf_str(&text), "-->"))
			bad++;
		/* Cue timestamps rise strictly inside the cue. */
		if (vtt) {
			const char *q = buf_str(&text);

			last = s;
			while ((q = strchr(q, '<')) != NULL) {
				stamp = parse_ms(q + 1, '.');
				if (stamp <= last || stamp >= e)
					bad++;
				last = stamp;
				q++;
			}
		}
		cue++;
	}
	if (cue != l->npages)
		bad++;
	buf_release(&text);
	free(copy);
	return bad;
}

/* ---- the tests ---- */

static void
test_names(void)
{
	is_int(caption_style_parse("karaoke"), CAPTION_KARAOKE, "karaoke");
	is_int(caption_style_parse("pop"), CAPTION_POP, "pop");
	is_int(caption_style_parse("classic"), CAPTION_CLASSIC, "classic");
	is_int(caption_style_parse("none"), CAPTION_NONE, "none");
	is_int(caption_style_parse("fancy"), -1, "an unknown style");
	is_int(caption_style_parse(NULL), -1, "no style");
	is_str(caption_style_name(CAPTION_POP), "pop", "the name of pop");
	is_int(caption_position_parse("top"), CAPTION_TOP, "top");
	is_int(caption_position_parse("middle"), CAPTION_MIDDLE, "middle");
	is_int(caption_position_parse("bottom"), CAPTION_BOTTOM, "bottom");
	is_int(caption_position_parse("left"), -1, "an unknown position");
}

static void
test_safe_area(void)
{
	struct caption_area a, b;
	const char *names[] = { "tiktok", "reels", "instagram", "shorts",
		"youtube", "facebook", "x", "twitter", "linkedin", "square",
		"portrait", "default", "", NULL };
	int sizes[][2] = { { 1080, 1920 }, { 720, 1280 }, { 1920, 1080 },
		{ 1080, 1080 }, { 1080, 1350 }, { 2160, 3840 } };
	int i, s, bad = 0;

	is_int(caption_safe_area("tiktok", 1080, 1920, &a), 0, "tiktok");
	ok(a.top == 150 && a.bottom == 440 && a.left == 60 && a.right == 150,
	    "tiktok at 1080x1920 is 150/440/60/150 (%d/%d/%d/%d)", a.top,
	    a.bottom, a.left, a.right);
	caption_safe_area("tiktok", 720, 1280, &b);
	ok(b.top == 100 && b.bottom == 294 && b.left == 40 && b.right == 100,
	    "720x1280 is two thirds of it (%d/%d/%d/%d)", b.top, b.bottom,
	    b.left, b.right);
	caption_safe_area("tiktok", 2160, 3840, &b);
	ok(b.top == 300 && b.bottom == 880 && b.right == 300,
	    "2160x3840 is twice it (%d/%d/%d)", b.top, b.bottom, b.right);
	caption_safe_area("tiktok", 1920, 1080, &b);
	ok(b.top == 33 && b.bottom == 33 && b.left == 107 && b.right == 267,
	    "a letterboxed landscape frame keeps only TikTok's side "
	    "margins, scaled (%d/%d/%d/%d)", b.top, b.bottom, b.left,
	    b.right);
	caption_safe_area("reels", 1080, 1920, &a);
	ok(a.top == 270 && a.bottom == 672 && a.left == 65 && a.right == 65,
	    "reels: Meta's 14 %%/35 %%/6 %% (%d/%d/%d/%d)", a.top, a.bottom,
	    a.left, a.right);
	caption_safe_area("instagram", 1080, 1920, &b);
	ok(memcmp(&a, &b, sizeof(a)) == 0, "instagram is reels");
	caption_safe_area("shorts", 1080, 1920, &a);
	caption_safe_area("youtube", 1080, 1920, &b);
	ok(memcmp(&a, &b, sizeof(a)) == 0 && a.bottom == 480,
	    "youtube with a portrait frame is shorts (bottom %d)", b.bottom);
	caption_safe_area("youtube", 1920, 1080, &b);
	ok(b.top == 54 && b.bottom == 108 && b.left == 96 && b.right == 96,
	    "youtube landscape is title-safe plus the controls "
	    "(%d/%d/%d/%d)", b.top, b.bottom, b.left, b.right);
	caption_safe_area("x", 720, 1280, &b);
	ok(b.bottom == 256 && b.left == 36, "x at 720x1280 (bottom %d)",
	    b.bottom);
	caption_safe_area(NULL, 1000, 500, &b);
	ok(b.top == 25 && b.left == 50 && b.right == 50 && b.bottom == 25,
	    "the default is 5 %% a side (%d/%d/%d/%d)", b.top, b.bottom,
	    b.left, b.right);
	is_int(caption_safe_area("myspace", 1080, 1920, &b), -1,
	    "an unknown platform");
	is_int(caption_safe_area("tiktok", 8, 1920, &b), -1, "a tiny frame");
	ok(strstr(caption_safe_area_names(), "linkedin") != NULL,
	    "the names are listed");
	for (i = 0; names[i] != NULL; i++)
		for (s = 0; s < 6; s++) {
			int w = sizes[s][0], h = sizes[s][1];

			if (caption_safe_area(names[i], w, h, &a) != 0 ||
			    a.width != w || a.height != h ||
			    a.left < 0.03 * w - 1 || a.right < 0.03 * w - 1 ||
			    a.top < 0.03 * h - 1 || a.bottom < 0.03 * h - 1 ||
			    a.left + a.right > w / 2 || a.top + a.bottom > h * 3
			    / 5)
				bad++;
		}
	is_int(bad, 0, "every platform at every size: margins of 3 %% or "
	    "more that leave room");
}

static void
test_font(struct agency *ag, struct font **fp)
{
	const char *samples[] = { "HELLO WORLD", "WAVY AVATAR", "iiiii",
		"WWWWW", "CRÈME BRÛLÉE", "Straße", "\xf0\x9f\x98\x80 "
		"\xf0\x9f\xa7\xa0 日本", "back\\\xe2\x81\xa0Nslash",
		"ARC \xe2\x8c\x92\xe2\x8c\x92\xe2\x8c\x92",
		"\xf0\x9d\x96\xa0\xf0\x9d\x96\xa1\xf0\x9d\x96\xa2", NULL };
	struct font_extent e;
	struct font *f = NULL, *g = NULL;
	struct caption_rect none = { 0, 0, 0, 0 };
	unsigned char *frame;
	struct shot sh;
	ASS_Track *t;
	struct buf ass = BUF_INIT;
	double w, w2;
	int i, under = 0, over = 0;

	is_int(font_open(ag, "DejaVu Sans", 1, &f), AG_OK, "DejaVu Sans Bold");
	if (f == NULL)
		exit(done_testing());
	is_str(font_family(f), "DejaVu Sans", "the family found");
	ok(font_is_bold(f), "a real bold face (%s)", font_file(f));
	ok(font_has(f, 0x2060), "it has U+2060, the joiner ASS escapes use");
	is_int((int)font_measure(f, "", 96, &e), 0, "nothing is 0 px wide");
	ok(fabs(e.ascent + e.descent - 96) < 0.01, "an ASS size is ascent + "
	    "descent (%.2f + %.2f)", e.ascent, e.descent);
	w = font_measure(f, "HELLO", 96, NULL);
	w2 = font_measure(f, "HELLO", 48, NULL);
	ok(fabs(w - 2 * w2) < 0.01, "width scales with size (%.1f, %.1f)",
	    w, w2);
	ok(font_measure(f, "HELLO WORLD", 96, NULL) > w, "more text, wider");
	font_measure(f, "a\xf0\x9f\xa7\xa0" "b", 96, &e);
	is_int(e.missing, 1, "a code point no font has is counted (🧠)");
	font_measure(f, "\xe2\x8c\x92\xf0\x9d\x96\xa0", 96, &e);
	ok(e.fallback == 2 && e.missing == 0, "⌒ (only in DejaVu Sans Mono) "
	    "and 𝖠 (only in the Book face) come from fallback fonts");
	font_measure(f, "bad\xff", 96, &e);
	is_int(e.missing, 0, "a bad byte is U+FFFD, which DejaVu has");
	is_int(font_open(ag, "No Such Family Anywhere", 0, &g), AG_OK,
	    "an unknown family falls back");
	ok(g != NULL && *font_family(g) != '\0', "to '%s'", g ?
	    font_family(g) : "");
	font_free(g);

	/* The measure bounds what libass draws, and not loosely. */
	renderer_for(1920, 400);
	frame = xmalloc(1920 * 400 * 3);
	memset(frame, 64, 1920 * 400 * 3);
	for (i = 0; samples[i] != NULL; i++) {
		struct caption_rect all = { 0, 0, 1920, 400 };

		buf_reset(&ass);
		buf_addf(&ass, "[Script Info]\nScriptType: v4.00+\nPlayResX: "
		    "1920\nPlayResY: 400\nWrapStyle: 2\n"
		    "ScaledBorderAndShadow: yes\n\n[V4+ Styles]\nFormat: Name, "
		    "Fontname, Fontsize, PrimaryColour, SecondaryColour, "
		    "OutlineColour, BackColour, Bold, Italic, Underline, "
		    "StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, "
		    "Outline, Shadow, Alignment, MarginL, MarginR, MarginV, "
		    "Encoding\nStyle: A,%s,96,&H00FFFFFF,&H00FFFFFF,"
		    "&H00000000,&H00000000,-1,0,0,0,100,100,0,0,1,0,0,7,0,0,0,"
		    "1\n\n[Events]\nFormat: Layer, Start, End, Style, Name, "
		    "MarginL, MarginR, MarginV, Effect, Text\nDialogue: 0,"
		    "0:00:00.00,0:00:05.00,A,,0,0,0,,{\\pos(100,100)}%s\n",
		    font_family(f), samples[i]);
		t = read_track(buf_str(&ass));
		shoot(t, 1000, &all, &none, 0, frame, &sh);
		ass_free_track(t);
		/* The U+2060 joiner measures as nothing. */
		w = font_measure(f, samples[i], 96, NULL);
		if (sh.x1 - 100 > w + 1) {
			under++;
			printf("# '%s': ink to %.0f, measured %.1f\n",
			    samples[i], sh.x1 - 100, w);
		}
		if (sh.x1 - sh.x0 < 0.8 * w)
			over++;
	}
	is_int(under, 0, "no text drawn by libass is wider than measured");
	is_int(over, 0, "and none is much narrower");
	free(frame);
	buf_release(&ass);
	*fp = f;
}

static void
test_layouts(struct agency *ag, struct font *f)
{
	static const char *const *corpora[] = { long_words, short_words,
		utf8_words };
	static const char *const corpus_names[] = { "long words",
		"many short words", "UTF-8" };
	static const struct {
		const char *platform;
		int w, h;
	} frames[] = {
		{ "tiktok", 1080, 1920 }, { "x", 720, 1280 },
		{ "youtube", 1920, 1080 }, { "reels", 1080, 1920 },
		{ "shorts", 1080, 1920 }
	};
	struct caption_text texts[] = {
		{ "Three sourdough mistakes everyone makes", 0, 3,
		    CAPTION_TEXT_HOOK, CAPTION_TOP },
		{ "Feed the starter twice a day", 2, 6, CAPTION_TEXT_LABEL,
		    CAPTION_TOP },
		{ "Bake at 250 °C", 5, 9, CAPTION_TEXT_LABEL, CAPTION_BOTTOM },
		{ "Rest one hour", 8, 12, CAPTION_TEXT_LABEL, CAPTION_MIDDLE },
	};
	struct totals tt;
	struct media_words w;
	struct caption_look look;
	struct caption_area area;
	struct caption_layout l;
	size_t c, fr;
	int style, pos, rc, failed = 0, render;

	for (c = 0; c < 3; c++) {
		memset(&tt, 0, sizeof(tt));
		make_words(&w, corpora[c]);
		for (fr = 0; fr < sizeof(frames) / sizeof(frames[0]); fr++)
			for (style = 0; style < 4; style++)
				for (pos = 0; pos < 3; pos++) {
					caption_look_default(&look, style,
					    frames[fr].w, frames[fr].h);
					look.position = pos;
					caption_safe_area(frames[fr].platform,
					    frames[fr].w, frames[fr].h, &area);
					rc = captions_layout(ag, &w, &look,
					    &area, texts, 4, &l);
					if (rc != AG_OK) {
						failed++;
						printf("# %s %s %s: %s\n",
						    frames[fr].platform,
						    caption_style_name(style),
						    caption_position_name(pos),
						    ag->err);
						continue;
					}
					check_layout(&w, &l, f, &tt);
					/* Render a quarter of them. */
					render = (fr + (size_t)style + (size_t)pos)
					    % 4 == 0;
					check_ass(&l, &tt, render);
					caption_layout_release(&l);
				}
		is_int(failed, 0, "%s: every frame, style and position lays "
		    "out", corpus_names[c]);
		is_int(tt.width_bad, 0, "%s: no line is wider than the safe "
		    "area, measured again as a whole (%d layouts)",
		    corpus_names[c], tt.layouts);
		is_int(tt.rect_bad, 0, "%s: every page box is in the safe "
		    "area", corpus_names[c]);
		is_int(tt.words_bad + tt.lines_bad, 0, "%s: pages keep "
		    "max_words and max_lines", corpus_names[c]);
		is_int(tt.time_bad + tt.min_bad, 0, "%s: pages start with "
		    "their first word, hold the minimum, never overlap",
		    corpus_names[c]);
		is_int(tt.gap_bad, 0, "%s: short gaps closed, never across a "
		    "scene", corpus_names[c]);
		is_int(tt.scene_bad, 0, "%s: no page spans a scene end",
		    corpus_names[c]);
		is_int(tt.ev_bad, 0, "%s: Word events have the words' times, "
		    "Page events the pages'", corpus_names[c]);
		is_int(tt.overlap_bad, 0, "%s: one caption event at a time",
		    corpus_names[c]);
		is_int(tt.overlay_bad, 0, "%s: overlays in the safe area, off "
		    "the captions and each other", corpus_names[c]);
		ok(tt.shots > 100 && tt.outside == 0, "%s: libass draws "
		    "nothing outside the safe area (%d frames, %d with ink "
		    "outside)", corpus_names[c], tt.shots, tt.outside);
		is_int(tt.stray, 0, "%s: nor outside the boxes the layout "
		    "computed", corpus_names[c]);
		is_int(tt.blank, 0, "%s: and every event changed pixels inside "
		    "it", corpus_names[c]);
		media_words_release(&w);
	}
}

/* Which words share a page, and where the breaks fall. */
static void
test_pages(struct agency *ag)
{
	struct media_words w;
	struct caption_look look;
	struct caption_area area;
	struct caption_layout l;
	size_t i;
	int scenes_ok = 1;

	media_words_init(&w);
	media_words_add(&w, "One", 0.0, 0.2, 0, 0);
	media_words_add(&w, "two", 0.3, 0.5, 0, 0);
	media_words_add(&w, "three", 0.6, 0.8, 0, 0);
	media_words_add(&w, "four", 0.9, 1.1, 0, 0);
	media_words_add(&w, "five,", 1.2, 1.4, 0, 0);
	media_words_add(&w, "six", 1.5, 1.7, 0, WORD_SCENE_END);
	media_words_add(&w, "seven", 1.8, 2.0, 1, 0);
	media_words_add(&w, "eight", 4.0, 4.2, 1, 0);	/* after a pause */
	media_words_add(&w, "nine.", 4.3, 4.5, 1, 0);
	media_words_add(&w, "ten", 4.6, 4.8, 2, 0);	/* a new scene */
	caption_safe_area("tiktok", 1080, 1920, &area);
	caption_look_default(&look, CAPTION_KARAOKE, 1080, 1920);
	is_int(captions_layout(ag, &w, &look, &area, NULL, 0, &l), AG_OK,
	    "karaoke pages");
	is_int(l.npages, 6, "six pages");
	ok(l.npages == 6 && l.pages[0].n == 3 && l.pages[1].n == 2 &&
	    l.pages[2].n == 1 && l.pages[3].n == 1 && l.pages[4].n == 2 &&
	    l.pages[5].n == 1, "3 words, a clause, the scene's end, a pause, "
	    "a sentence, a scene");
	for (i = 0; i < l.npages; i++)
		if (l.pages[i].scene != (int)(i < 3 ? 0 : i < 5 ? 1 : 2))
			scenes_ok = 0;
	ok(scenes_ok, "the scenes of the pages");
	ok(l.npages == 6 && fabs(l.pages[0].end - l.pages[1].start) < 1e-9,
	    "the 0.1 s gap between pages of a scene is closed");
	ok(l.npages == 6 && fabs(l.pages[2].end - 1.7) < 1e-9,
	    "a scene's last page ends with its last word (%.2f)",
	    l.npages == 6 ? l.pages[2].end : 0);
	ok(l.npages == 6 && fabs(l.pages[3].end - 2.6) < 1e-9,
	    "a lone word before a pause is held the minimum 0.8 s (%.2f)",
	    l.npages == 6 ? l.pages[3].end : 0);
	ok(l.npages == 6 && fabs(l.pages[4].end - 4.5) < 1e-9 &&
	    fabs(l.pages[5].end - 4.8) < 1e-9, "and so is the last page, "
	    "and the page before it");
	ok(l.nwords == 10 && strcmp(l.words[0].text, "ONE") == 0 &&
	    strcmp(l.words[0].script, "One") == 0,
	    "burned text upper-cased, the script's kept");
	caption_layout_release(&l);

	look.max_words = 0;
	look.style = CAPTION_CLASSIC;
	is_int(captions_layout(ag, &w, &look, &area, NULL, 0, &l), AG_OK,
	    "classic pages");
	ok(l.npages == 4 && l.pages[0].n == 6, "classic: breaks at sentences, "
	    "scenes and pauses only (%zu pages)", l.npages);
	caption_layout_release(&l);

	look.max_lines = 1;
	look.max_words = 2;
	is_int(captions_layout(ag, &w, &look, &area, NULL, 0, &l), AG_OK,
	    "one line, two words");
	for (i = 0, scenes_ok = 1; i < l.npages; i++)
		if (l.pages[i].nlines != 1 || l.pages[i].n > 2)
			scenes_ok = 0;
	ok(scenes_ok, "every page one line of at most two words");
	caption_layout_release(&l);
	media_words_release(&w);

	/* Two lines balanced, the lower one longer on a tie. */
	media_words_init(&w);
	for (i = 0; i < 5; i++)
		media_words_add(&w, "aa", 0.3 * (double)i, 0.3 * (double)i +
		    0.2, 0, 0);
	caption_look_default(&look, CAPTION_CLASSIC, 1080, 1920);
	look.size = 160;
	is_int(captions_layout(ag, &w, &look, &area, NULL, 0, &l), AG_OK,
	    "five words at 160 px");
	ok(l.npages == 1 && l.pages[0].nlines == 2 && l.pages[0].lines[0].n
	    == 2 && l.pages[0].lines[1].n == 3, "two lines: 2 over 3");
	caption_layout_release(&l);
	media_words_release(&w);
}

/* captions_ass() in style, parsed back (free_events() them). */
static struct ev *
ass_events(struct agency *ag, const struct media_words *w,
    struct caption_look *look, int style,
    const struct caption_area *area, const struct caption_text *t,
    size_t nt, size_t *n)
{
	struct buf b = BUF_INIT;
	struct ev *ev;

	look->style = style;
	is_int(captions_ass(ag, w, look, area, t, nt, &b), AG_OK, "%s ASS",
	    caption_style_name(style));
	ev = parse_ass(buf_str(&b), n);
	buf_release(&b);
	return ev;
}

static void
test_ass_text(struct agency *ag)
{
	struct media_words w;
	struct caption_look look;
	struct caption_area area;
	struct buf b = BUF_INIT;
	struct caption_text hook = { "Hook {\\i1}", 0, 2, CAPTION_TEXT_HOOK,
		CAPTION_TOP };
	struct ev *ev;
	size_t n, i;
	const char *s;
	int hidden;

	media_words_init(&w);
	media_words_add(&w, "café", 0.5, 0.8, 0, 0);
	media_words_add(&w, "{\\fs200}x", 0.9, 1.2, 0, 0);
	media_words_add(&w, "a\\Nb", 1.3, 1.6, 0, WORD_SCENE_END);
	caption_safe_area("tiktok", 1080, 1920, &area);
	caption_look_default(&look, CAPTION_KARAOKE, 1080, 1920);
	is_int(captions_ass(ag, &w, &look, &area, &hook, 1, &b), AG_OK,
	    "karaoke ASS");
	s = buf_str(&b);
	ok(strstr(s, "PlayResX: 1080\nPlayResY: 1920\n") != NULL,
	    "PlayRes is the frame");
	ok(strstr(s, "WrapStyle: 2\n") && strstr(s, "ScaledBorderAndShadow: "
	    "yes\n") && strstr(s, "YCbCr Matrix: TV.709\n"), "WrapStyle 2, "
	    "scaled borders, BT.709");
	ok(strstr(s, "Style: Word,DejaVu Sans,96,&H00FFFFFF,&H0000E5FF,"
	    "&H00000000,&H80000000,-1,") != NULL, "the reference style");
	ok(strstr(s, ",7,3,2,") != NULL, "7 px outline, 3 px shadow");
	ok(strstr(s, "CAFÉ") != NULL && strstr(s, "café") == NULL,
	    "upper-cased as UTF-8");
	ok(strstr(s, "\\{\\\xe2\x81\xa0" "FS200\\}X") != NULL,
	    "braces and backslash escaped");
	ok(strstr(s, "A\\\xe2\x81\xa0NB") != NULL, "\\N in text is no break");
	ok(strstr(s, "Hook \\{\\\xe2\x81\xa0i1\\}") != NULL,
	    "overlay text escaped");
	ok(strstr(s, "\\t(0,120,\\fscx100\\fscy100)") != NULL &&
	    strstr(s, "\\fscx110\\fscy110") != NULL, "the pop: 110 %% to "
	    "100 %% in 120 ms");
	ev = parse_ass(s, &n);
	is_int(n, 1 + 3 + 2 + 0, "three Word, two Hold and the hook");
	for (i = 0; i < n; i++)
		if (strcmp(ev[i].style, "Word") == 0 &&
		    strstr(ev[i].text, "{\\c&H00E5FF&") == NULL)
			break;
	is_int(i, n, "every Word event lights a word");
	ok(n >= 2 && ev[0].s == 50 && ev[0].e == 80 && ev[1].s == 80 &&
	    ev[1].e == 90 && strcmp(ev[1].style, "Hold") == 0,
	    "a Word at its time, a Hold in the gap after it");
	free_events(ev, n);
	buf_reset(&b);

	ev = ass_events(ag, &w, &look, CAPTION_POP, &area, NULL, 0, &n);
	hidden = n > 0 && strstr(ev[0].text, "{\\alpha&HFF&}") != NULL &&
	    strstr(strstr(ev[0].text, "{\\alpha&HFF&}"), "FS200") != NULL;
	ok(hidden, "pop: the words to come are laid out unseen");
	ok(n > 0 && strstr(ev[n - 1].text, "alpha") == NULL,
	    "and all are seen at the end");
	free_events(ev, n);

	ev = ass_events(ag, &w, &look, CAPTION_CLASSIC, &area, NULL, 0, &n);
	ok(n == 1 && strcmp(ev[0].style, "Page") == 0 && strstr(ev[0].text,
	    "\\c") == NULL, "classic: one plain Page event");
	free_events(ev, n);

	ev = ass_events(ag, &w, &look, CAPTION_NONE, &area, &hook, 1, &n);
	ok(n == 1 && strcmp(ev[0].style, "Hook") == 0, "none: the overlay "
	    "only");
	free_events(ev, n);
	buf_release(&b);
	media_words_release(&w);
}

static void
test_sidecars(struct agency *ag)
{
	static const char *const *corpora[] = { utf8_words, long_words,
		short_words };
	struct media_words w;
	struct caption_look look;
	struct caption_area area;
	struct caption_layout l;
	struct buf srt = BUF_INIT, vtt = BUF_INIT, via = BUF_INIT;
	int c, style, bad = 0, same = 1, n = 0;

	caption_safe_area("tiktok", 1080, 1920, &area);
	for (c = 0; c < 3; c++) {
		make_words(&w, corpora[c]);
		for (style = 0; style < 4; style++) {
			caption_look_default(&look, style, 1080, 1920);
			if (captions_layout(ag, &w, &look, &area, NULL, 0, &l)
			    != AG_OK) {
				bad++;
				continue;
			}
			buf_reset(&srt);
			buf_reset(&vtt);
			caption_layout_srt(&l, &srt);
			caption_layout_vtt(&l, &vtt);
			bad += check_sidecar(&l, buf_str(&srt), 0);
			bad += check_sidecar(&l, buf_str(&vtt), 1);
			buf_reset(&via);
			captions_srt(ag, &w, &look, &area, &via);
			same &= strcmp(buf_str(&via), buf_str(&srt)) == 0;
			buf_reset(&via);
			captions_vtt(ag, &w, &look, &area, &via);
			same &= strcmp(buf_str(&via), buf_str(&vtt)) == 0;
			n += (int)l.npages;
			caption_layout_release(&l);
		}
		media_words_release(&w);
	}
	is_int(bad, 0, "SRT and WebVTT parse back to the pages: numbers, "
	    "times, lines, escapes (%d cues)", n);
	ok(same, "captions_srt/vtt print what the layout does");

	make_words(&w, utf8_words);
	caption_look_default(&look, CAPTION_KARAOKE, 1080, 1920);
	buf_reset(&srt);
	buf_reset(&vtt);
	captions_srt(ag, &w, &look, &area, &srt);
	captions_vtt(ag, &w, &look, &area, &vtt);
	ok(strstr(buf_str(&srt), "<\xe2\x80\x8bi>tag<\xe2\x80\x8b/i>") !=
	    NULL && strstr(buf_str(&srt), "{\xe2\x80\x8b\\b1}") != NULL,
	    "SRT: < and { cannot start markup");
	ok(strstr(buf_str(&vtt), "&lt;i&gt;tag&lt;/i&gt;") != NULL &&
	    strstr(buf_str(&vtt), "--&gt;") != NULL && strstr(buf_str(&vtt),
	    "&amp;") != NULL, "WebVTT: &lt; &gt; &amp;");
	ok(strstr(buf_str(&srt), "Crème") != NULL && strstr(buf_str(&srt),
	    "bad\xef\xbf\xbd" "byte") != NULL, "UTF-8 kept, a bad byte "
	    "becomes U+FFFD");
	ok(strstr(buf_str(&vtt), "<00:00:") != NULL, "WebVTT karaoke cues "
	    "carry word timestamps");
	media_words_release(&w);
	buf_release(&srt);
	buf_release(&vtt);
	buf_release(&via);
}

static void
test_errors(struct agency *ag)
{
	struct media_words w;
	struct caption_look look;
	struct caption_area area, tiny = { 200, 200, 80, 80, 80, 80 };
	struct caption_layout l;
	struct caption_text t = { NULL, 0, 1, CAPTION_TEXT_LABEL,
		CAPTION_TOP };
	static char huge[3000];
	int i;

	caption_safe_area("tiktok", 1080, 1920, &area);
	caption_look_default(&look, CAPTION_KARAOKE, 1080, 1920);
	media_words_init(&w);
	media_words_add(&w, "late", 1.0, 1.5, 0, 0);
	media_words_add(&w, "early", 0.5, 0.7, 0, 0);
	is_int(captions_layout(ag, &w, &look, &area, NULL, 0, &l),
	    AG_DATAERR, "words going back in time");
	ok(strstr(ag->err, "caption word 1 'early'") != NULL, "named: %s",
	    ag->err);
	media_words_release(&w);

	media_words_init(&w);
	media_words_add(&w, "word", 0, 0.5, 0, 0);
	look.max_lines = 3;
	is_int(captions_layout(ag, &w, &look, &area, NULL, 0, &l),
	    AG_DATAERR, "three lines");
	look.max_lines = 2;
	look.size = 0;
	is_int(captions_layout(ag, &w, &look, &area, NULL, 0, &l),
	    AG_DATAERR, "size 0");
	look.size = 96;
	is_int(captions_layout(ag, &w, &look, &tiny, NULL, 0, &l),
	    AG_DATAERR, "an area with no room");
	is_int(captions_layout(ag, &w, &look, &area, &t, 1, &l), AG_DATAERR,
	    "an overlay without text");
	for (i = 0; i < (int)sizeof(huge) - 1; i++)
		huge[i] = i % 6 == 5 ? ' ' : 'x';
	t.text = huge;
	is_int(captions_layout(ag, &w, &look, &area, &t, 1, &l), AG_DATAERR,
	    "an overlay too long for the screen");
	ok(strstr(ag->err, "does not fit") != NULL, "said so: %.60s", ag->err);
	t.text = "fine";
	t.end = t.start;
	is_int(captions_layout(ag, &w, &look, &area, &t, 1, &l), AG_DATAERR,
	    "an overlay that ends as it starts");
	media_words_release(&w);

	/* Nothing to say is no error: an empty file of each kind. */
	media_words_init(&w);
	is_int(captions_layout(ag, &w, &look, &area, NULL, 0, &l), AG_OK,
	    "no words");
	is_int(l.npages, 0, "no pages");
	caption_layout_release(&l);
	media_words_release(&w);
}

int
main(void)
{
	struct agency ag;
	struct font *f = NULL;

	tap_tmpdir();
	tap_agency(&ag, "t-captions");
	test_names();
	test_safe_area();
	test_font(&ag, &f);
	test_pages(&ag);
	test_ass_text(&ag);
	test_sidecars(&ag);
	test_errors(&ag);
	test_layouts(&ag, f);
	font_free(f);
	if (arend != NULL)
		ass_renderer_done(arend);
	if (alib != NULL)
		ass_library_done(alib);
	ag_release(&ag);
	return done_testing();
}
