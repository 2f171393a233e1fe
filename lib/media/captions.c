/*
 * captions.c - timed words into pages and lines, placed in the safe
 * area, with overlay texts laid out around them (captions.h has the
 * rules; ass.c and subrip.c print the result).
 *
 * Geometry.  Every box here is what libass can draw, not just the text:
 * a line of advance width w centred at x covers x - w/2 - outline to
 * x + w/2 + outline + shadow (the shadow falls right and down), widened
 * by the pop of its widest word while that word is active, and EDGE px
 * more for anti-aliasing and glyphs that stick out past their advance.
 * Vertically a line is the face's ascent + descent (libass's line
 * height); the pop grows one line at a time.  So if these boxes are
 * inside the safe area, the pixels are (t-captions checks that by
 * rendering with libass).
 */
#include <assert.h>
#include <locale.h>
#include <math.h>
#include <wctype.h>

#include "agency.h"
#include "media/captions.h"
#include "media/font.h"

#define EDGE 2.0			/* px of anti-aliasing and overhang */
#define OVERLAY_GAP 0.25		/* of the caption size, band to text */

static const char *const style_names[] = {
	"karaoke", "pop", "classic", "none"
};
static const char *const position_names[] = { "bottom", "middle", "top" };

static int
lookup(const char *const *names, int n, const char *name)
{
	int i;

	if (name == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

int
caption_style_parse(const char *name)
{
	return lookup(style_names, 4, name);
}

const char *
caption_style_name(int style)
{
	return style >= 0 && style < 4 ? style_names[style] : "?";
}

int
caption_position_parse(const char *name)
{
	return lookup(position_names, 3, name);
}

const char *
caption_position_name(int position)
{
	return position >= 0 && position < 3 ? position_names[position] : "?";
}

void
caption_look_default(struct caption_look *l, int style, int width,
    int height)
{
	/* 96 px at 1920 high portrait; landscape text is read smaller. */
	double k = height >= width ? height / 1920.0 : height / 1080.0 * 0.625;

	memset(l, 0, sizeof(*l));
	l->style = style;
	l->font = "DejaVu Sans";
	l->bold = 1;
	l->size = round(96 * k);
	l->primary = 0xffffff;
	l->highlight = 0xffe500;
	l->outline_colour = 0x000000;
	l->shadow_colour = 0x80000000;
	l->outline = round(7 * k * 10) / 10;
	l->shadow = round(3 * k * 10) / 10;
	l->max_lines = 2;
	l->max_words = 3;
	l->uppercase = 1;
	l->position = CAPTION_BOTTOM;
	l->pop = 110;
	l->pop_ms = 120;
	l->min_duration = 0.8;
	l->gap_close = 0.6;
	if (style == CAPTION_CLASSIC || style == CAPTION_NONE) {
		l->size = round(72 * k);
		l->max_words = 0;
		l->uppercase = 0;
		l->pop = 100;
		l->pop_ms = 0;
	}
}

/* ---- text ---- */

static locale_t
utf8_locale(void)
{
	static locale_t loc;
	static int tried;

	if (!tried) {
		tried = 1;
		loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	}
	return loc;
}

/*
 * The text as it is shown: valid UTF-8, controls and line breaks as
 * spaces, no leading or trailing space, upper-cased if asked.
 */
static char *
clean(const char *s, int upper)
{
	struct buf b = BUF_INIT;
	locale_t loc = upper ? utf8_locale() : (locale_t)0;
	unsigned long cp;
	char u[4];
	size_t len;

	for (; *s != '\0'; s += len) {
		cp = ag_utf8_decode(s, &len);
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
		    cp == 0x2028 || cp == 0x2029)
			cp = ' ';
		if (cp == ' ' && (b.len == 0 || b.data[b.len - 1] == ' '))
			continue;
		if (upper) {
			if (loc != (locale_t)0)
				cp = (unsigned long)towupper_l((wint_t)cp, loc);
			else if (cp >= 'a' && cp <= 'z')
				cp -= 'a' - 'A';
		}
		buf_add(&b, u, ag_utf8_encode(cp, u));
	}
	while (b.len > 0 && b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	if (b.data == NULL)
		return xstrdup("");
	return buf_detach(&b);
}

/* The last character of s that is not a closing quote or bracket. */
static unsigned long
last_char(const char *s)
{
	unsigned long cp, last = 0;
	size_t len;

	for (; *s != '\0'; s += len) {
		cp = ag_utf8_decode(s, &len);
		if (cp == '"' || cp == '\'' || cp == ')' || cp == ']' ||
		    cp == 0x201d || cp == 0x2019 || cp == 0xbb)
			continue;
		last = cp;
	}
	return last;
}

static int
ends_sentence(const char *s)
{
	unsigned long c = last_char(s);

	return c == '.' || c == '!' || c == '?' || c == 0x2026;
}

static int
ends_clause(const char *s)
{
	unsigned long c = last_char(s);

	return c == ',' || c == ';' || c == ':' || c == 0x2014 ||
	    c == 0x2013;
}

/* ---- measuring ---- */

struct meas {
	double w, h;			/* advance, ascent + descent */
};

struct ctx {
	struct agency *ag;
	const struct caption_look *look;
	struct font *font;
	struct caption_layout *l;
	struct meas *m;			/* per layout word */
	double space;			/* advance of one space */
	double popf;			/* the pop as a factor (>= 1) */
	double avail;			/* px a line may take, pop included */
	double padx0, padx1;		/* box beyond the advance, left/right */
	double pady0, pady1;		/* box beyond the lines, top/bottom */
};

/* Width a run of words needs, with the pop of the widest. */
static double
run_need(const struct ctx *c, size_t a, size_t b, double *width)
{
	double w = 0, big = 0;
	size_t i;

	for (i = a; i < b; i++) {
		w += c->m[i].w;
		if (c->m[i].w > big)
			big = c->m[i].w;
	}
	w += (double)(b - a - 1) * c->space;
	if (width != NULL)
		*width = w;
	return w + big * (c->popf - 1);
}

static int
oversize(const struct ctx *c, size_t i)
{
	return c->m[i].w * c->popf > c->avail;
}

static void
set_line(const struct ctx *c, struct caption_line *ln, size_t a, size_t b)
{
	double need, w;
	size_t i;

	need = run_need(c, a, b, &w);
	ln->first = a;
	ln->n = b - a;
	ln->width = w;
	ln->height = 0;
	for (i = a; i < b; i++)
		if (c->m[i].h > ln->height)
			ln->height = c->m[i].h;
	ln->scale = need > c->avail ? c->avail / need : 1;
}

/* Can words [a, b) be one line? */
static int
line_ok(const struct ctx *c, size_t a, size_t b)
{
	if (b - a == 1)
		return 1;		/* a lone word always fits, shrunk */
	return run_need(c, a, b, NULL) <= c->avail;
}

/*
 * Lay words [a, b) out on at most max_lines lines: the fewest lines
 * (greedy), then, for two, the balanced split.  Returns the number of
 * lines, or 0 if they do not fit.
 */
static int
lay_lines(const struct ctx *c, size_t a, size_t b, struct caption_line *ln)
{
	size_t i = a, j, s, best = 0;
	double bw = HUGE_VAL, n1, n2, worst;
	int nl = 0;

	while (i < b) {
		if (nl == c->look->max_lines)
			return 0;
		j = i + 1;
		if (!oversize(c, i))
			while (j < b && !oversize(c, j) && line_ok(c, i, j + 1))
				j++;
		nl++;
		i = j;
	}
	if (nl == 1) {
		set_line(c, &ln[0], a, b);
		return 1;
	}
	for (s = a + 1; s < b; s++) {
		if (!line_ok(c, a, s) || !line_ok(c, s, b))
			continue;
		n1 = run_need(c, a, s, NULL);
		n2 = run_need(c, s, b, NULL);
		worst = fmax(n1, n2);
		/* The narrowest longer line; on a tie, the top shorter. */
		if (worst < bw - 0.5 || (fabs(worst - bw) <= 0.5 && n1 <= n2)) {
			bw = worst;
			best = s;
		}
	}
	assert(best != 0);
	set_line(c, &ln[0], a, best);
	set_line(c, &ln[1], best, b);
	return 2;
}

/* ---- pages ---- */

static int
check_words(struct agency *ag, const struct media_words *w)
{
	double prev = 0;
	size_t i;

	for (i = 0; i < w->n; i++) {
		const struct media_word *x = &w->v[i];

		if (!isfinite(x->start) || !isfinite(x->end) || x->start < 0 ||
		    x->end < x->start)
			return ag_fail(ag, AG_DATAERR, "caption word %zu '%s': "
			    "times %g..%g are not a span from 0 on", i,
			    x->text, x->start, x->end);
		/* A millisecond of overlap is rounding, not an error. */
		if (x->start < prev - 0.001)
			return ag_fail(ag, AG_DATAERR, "caption word %zu '%s': "
			    "starts at %.3f s, before the word before it ends "
			    "(%.3f s)", i, x->text, x->start, prev);
		prev = x->end;
	}
	return AG_OK;
}

static int
check_look(struct agency *ag, const struct caption_look *k,
    const struct caption_area *a)
{
	if (k->style < CAPTION_KARAOKE || k->style > CAPTION_NONE)
		return ag_fail(ag, AG_DATAERR, "caption style %d: unknown",
		    k->style);
	if (!(k->size >= 4 && k->size <= 1000))
		return ag_fail(ag, AG_DATAERR, "caption size %g: expected 4 "
		    "to 1000 px", k->size);
	if (k->max_lines != 1 && k->max_lines != 2)
		return ag_fail(ag, AG_DATAERR, "caption max_lines %d: expected "
		    "1 or 2", k->max_lines);
	if (k->max_words < 0)
		return ag_fail(ag, AG_DATAERR, "caption max_words %d: expected "
		    "0 (as many as fit) or more", k->max_words);
	if (k->position < CAPTION_BOTTOM || k->position > CAPTION_TOP)
		return ag_fail(ag, AG_DATAERR, "caption position %d: unknown",
		    k->position);
	if (k->pop < 100 || k->pop > 200 || k->pop_ms < 0)
		return ag_fail(ag, AG_DATAERR, "caption pop %d%% in %d ms: "
		    "expected 100 to 200 %%", k->pop, k->pop_ms);
	if (!(k->outline >= 0 && k->outline <= 100 && k->shadow >= 0 &&
	    k->shadow <= 100))
		return ag_fail(ag, AG_DATAERR, "caption outline %g, shadow %g: "
		    "expected 0 to 100 px", k->outline, k->shadow);
	if (!(k->min_duration >= 0 && k->gap_close >= 0))
		return ag_fail(ag, AG_DATAERR, "caption min_duration and "
		    "gap_close: expected seconds >= 0");
	if (a->width < 16 || a->height < 16 || a->top < 0 || a->bottom < 0 ||
	    a->left < 0 || a->right < 0 ||
	    a->left + a->right >= a->width || a->top + a->bottom >= a->height)
		return ag_fail(ag, AG_DATAERR, "caption area %dx%d with margins "
		    "%d %d %d %d (top bottom left right): no room left",
		    a->width, a->height, a->top, a->bottom, a->left, a->right);
	return AG_OK;
}

static int
pop_style(int style)
{
	return style == CAPTION_KARAOKE || style == CAPTION_POP;
}

/* Add page [a, b) of layout words. */
static void
add_page(struct ctx *c, size_t a, size_t b, int scene, size_t *cap)
{
	struct caption_layout *l = c->l;
	struct caption_page *p;
	size_t i;

	if (l->npages == *cap) {
		*cap = *cap ? 2 * *cap : 32;
		l->pages = xreallocarray(l->pages, *cap, sizeof(*l->pages));
	}
	p = &l->pages[l->npages++];
	memset(p, 0, sizeof(*p));
	p->first = a;
	p->n = b - a;
	p->scene = scene;
	p->nlines = lay_lines(c, a, b, p->lines);
	assert(p->nlines > 0);
	for (i = 0; i < (size_t)p->nlines; i++) {
		size_t k;

		for (k = 0; k < p->lines[i].n; k++)
			l->words[p->lines[i].first + k].line = (int)i;
	}
	p->start = l->words[a].start;
	p->end = l->words[b - 1].end;
}

static void
cut_pages(struct ctx *c, const int *scene, const int *flags)
{
	const struct caption_look *k = c->look;
	struct caption_layout *l = c->l;
	size_t i, a = 0, cap = 0;
	struct caption_line tmp[2];
	int brk;

	for (i = 0; i < l->nwords; i++) {
		if (i > a) {
			brk = scene[i] != scene[a] ||
			    l->words[i].start - l->words[i - 1].end >
			    CAPTION_PAUSE ||
			    (k->max_words > 0 && i - a == (size_t)k->max_words);
			if (!brk && lay_lines(c, a, i + 1, tmp) == 0)
				brk = 1;
			if (brk) {
				add_page(c, a, i, scene[a], &cap);
				a = i;
			}
		}
		brk = (flags[i] & (WORD_SCENE_END | WORD_SENTENCE_END)) != 0 ||
		    ends_sentence(l->words[i].script) ||
		    (pop_style(k->style) && ends_clause(l->words[i].script));
		if (brk || i + 1 == l->nwords) {
			add_page(c, a, i + 1, scene[a], &cap);
			a = i + 1;
		}
	}
}

/*
 * Hold pages to the minimum and close small gaps, inside a scene only
 * (captions.h).  The last page of a scene ends with its last word: the
 * scene may end right after it, and the words do not say when.
 */
static void
time_pages(struct caption_layout *l)
{
	struct caption_page *p, *next;
	double want;
	size_t i;

	for (i = 0; i < l->npages; i++) {
		p = &l->pages[i];
		next = i + 1 < l->npages ? &l->pages[i + 1] : NULL;
		if (next == NULL || next->scene != p->scene)
			continue;
		want = fmin(p->start + l->look.min_duration, next->start);
		if (want > p->end)
			p->end = want;
		if (next->start - p->end <= l->look.gap_close)
			p->end = fmax(p->end, next->start);
		if (p->end > next->start)
			p->end = next->start;	/* a rounding overlap */
	}
}

/* Where a page goes and what it covers (the comment at the top). */
static void
place_page(const struct ctx *c, struct caption_page *p)
{
	const struct caption_rect *s = &c->l->safe;
	double half = 0, h = 0, big = 0, grow, cx, wbig, lw;
	size_t i, k;

	for (i = 0; i < (size_t)p->nlines; i++) {
		const struct caption_line *ln = &p->lines[i];

		wbig = 0;
		for (k = ln->first; k < ln->first + ln->n; k++)
			if (c->m[k].w > wbig)
				wbig = c->m[k].w;
		lw = (ln->width + wbig * (c->popf - 1)) * ln->scale;
		if (lw / 2 > half)
			half = lw / 2;
		h += ln->height * ln->scale;
		if (ln->height * ln->scale > big)
			big = ln->height * ln->scale;
	}
	grow = big * (c->popf - 1);
	cx = (s->x0 + s->x1) / 2;
	p->x = cx;
	p->rect.x0 = cx - half - c->padx0;
	p->rect.x1 = cx + half + c->padx1;
	switch (c->look->position) {
	case CAPTION_TOP:
		p->align = 8;
		p->y = s->y0 + c->pady0;
		p->rect.y0 = s->y0;
		p->rect.y1 = p->y + h + grow + c->pady1;
		break;
	case CAPTION_MIDDLE:
		p->align = 5;
		p->y = (s->y0 + s->y1) / 2;
		p->rect.y0 = p->y - (h + grow) / 2 - c->pady0;
		p->rect.y1 = p->y + (h + grow) / 2 + c->pady1;
		break;
	default:
		p->align = 2;
		p->y = s->y1 - c->pady1;
		p->rect.y0 = p->y - h - grow - c->pady0;
		p->rect.y1 = s->y1;
		break;
	}
}

/* ---- overlays ---- */

static int
overlap_time(const struct caption_text *a, const struct caption_text *b)
{
	return a->start < b->end && b->start < a->end;
}

static int
overlap_rect(const struct caption_rect *a, const struct caption_rect *b)
{
	return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 &&
	    b->y0 < a->y1;
}

/*
 * Wrap text (cleaned) to lines no wider than avail at *size px; a word
 * wider than a line makes the whole text smaller (*size changes).
 * Returns the lines joined by '\n', the widest line's width and the
 * height of them all.
 */
static char *
wrap(const struct ctx *c, const char *text, double *size, double avail,
    double *width, double *height, int *nlines)
{
	struct buf out = BUF_INIT, line = BUF_INIT, cand = BUF_INIT;
	struct font_extent e;
	char *s = clean(text, 0), *tok, *end;
	double w;
	int again;

	do {
		again = 0;
		buf_reset(&out);
		buf_reset(&line);
		*width = *height = 0;
		*nlines = 0;
		for (tok = s; *tok != '\0' && !again; tok = end) {
			end = strchr(tok, ' ');
			end = end ? end : tok + strlen(tok);
			buf_reset(&cand);
			buf_add(&cand, tok, (size_t)(end - tok));
			if (*end == ' ')
				end++;
			w = font_measure(c->font, buf_str(&cand), *size, NULL);
			if (w > avail) {	/* shrink it all, start over */
				*size *= avail / w * 0.999;
				again = 1;
				break;
			}
			if (line.len > 0) {
				buf_reset(&cand);
				buf_addf(&cand, "%s %.*s", buf_str(&line),
				    (int)(end - tok), tok);
				while (cand.len > 0 &&
				    cand.data[cand.len - 1] == ' ')
					cand.data[--cand.len] = '\0';
				if (font_measure(c->font, buf_str(&cand), *size,
				    NULL) <= avail) {
					buf_reset(&line);
					buf_addstr(&line, buf_str(&cand));
					continue;
				}
				/* The line is full: out with it. */
				w = font_measure(c->font, buf_str(&line), *size,
				    &e);
				*width = fmax(*width, w);
				*height += e.ascent + e.descent;
				(*nlines)++;
				if (out.len > 0)
					buf_addch(&out, '\n');
				buf_addstr(&out, buf_str(&line));
				buf_reset(&line);
				buf_reset(&cand);
				buf_add(&cand, tok, (size_t)(end - tok));
				while (cand.len > 0 &&
				    cand.data[cand.len - 1] == ' ')
					cand.data[--cand.len] = '\0';
			}
			buf_addstr(&line, buf_str(&cand));
		}
	} while (again);
	if (line.len > 0) {
		w = font_measure(c->font, buf_str(&line), *size, &e);
		*width = fmax(*width, w);
		*height += e.ascent + e.descent;
		(*nlines)++;
		if (out.len > 0)
			buf_addch(&out, '\n');
		buf_addstr(&out, buf_str(&line));
	}
	buf_release(&line);
	buf_release(&cand);
	free(s);
	if (out.data == NULL)
		return xstrdup("");
	return buf_detach(&out);
}

/*
 * Try to place overlay o (already wrapped: box w x h including pads) in
 * region r near its anchor, stacked clear of earlier overlays shown at
 * the same time.  Returns 0 and sets o->rect, or -1.
 */
static int
place_in(struct caption_layout *l, size_t idx, const struct caption_rect *r,
    double w, double h)
{
	struct caption_overlay *o = &l->overlays[idx];
	const struct caption_rect *s = &l->safe;
	struct caption_rect b;
	double y, cx = (s->x0 + s->x1) / 2;
	int pos = o->src->position, moved;
	size_t i;

	if (r->y1 - r->y0 < h)
		return -1;
	if (pos == CAPTION_TOP)
		y = r->y0;
	else if (pos == CAPTION_BOTTOM)
		y = r->y1 - h;
	else
		y = fmin(fmax((s->y0 + s->y1) / 2 - h / 2, r->y0), r->y1 - h);
	b.x0 = cx - w / 2;
	b.x1 = cx + w / 2;
	do {
		moved = 0;
		b.y0 = y;
		b.y1 = y + h;
		for (i = 0; i < idx; i++) {
			if (!overlap_time(l->overlays[i].src, o->src) ||
			    !overlap_rect(&l->overlays[i].rect, &b))
				continue;
			y = pos == CAPTION_BOTTOM ? l->overlays[i].rect.y0 - h :
			    l->overlays[i].rect.y1;
			moved = 1;
			break;
		}
		if (y < r->y0 || y + h > r->y1)
			return -1;
	} while (moved);
	o->rect = b;
	return 0;
}

static int
place_overlays(struct ctx *c, const struct caption_text *texts, size_t n)
{
	struct caption_layout *l = c->l;
	const struct caption_look *k = c->look;
	const struct caption_rect *s = &l->safe;
	struct caption_rect reg[2];
	double gap = k->size * OVERLAY_GAP, nominal, size, tw, th, anchor;
	double avail = c->avail, d0, d1;
	size_t i, nreg = 0;
	char *text;
	int order[2], j, done, nl, maxl, last;

	/* What is left of the safe area beside the caption band. */
	if (l->band.y1 <= l->band.y0) {
		reg[nreg++] = *s;
	} else {
		reg[nreg] = *s;
		reg[nreg].y1 = l->band.y0 - gap;
		if (reg[nreg].y1 > reg[nreg].y0)
			nreg++;
		reg[nreg] = *s;
		reg[nreg].y0 = l->band.y1 + gap;
		if (reg[nreg].y1 > reg[nreg].y0)
			nreg++;
	}
	l->overlays = xcalloc(n ? n : 1, sizeof(*l->overlays));
	for (i = 0; i < n; i++) {
		const struct caption_text *t = &texts[i];
		struct caption_overlay *o = &l->overlays[i];

		if (t->text == NULL || !isfinite(t->start) ||
		    !isfinite(t->end) || t->start < 0 || t->end <= t->start ||
		    (t->role != CAPTION_TEXT_HOOK &&
		    t->role != CAPTION_TEXT_LABEL) ||
		    t->position < CAPTION_BOTTOM || t->position > CAPTION_TOP)
			return ag_fail(c->ag, AG_DATAERR, "overlay text %zu: "
			    "expected text, a role, a position and times "
			    "start < end", i);
		o->src = t;
		l->noverlays = i + 1;
		anchor = t->position == CAPTION_TOP ? s->y0 : t->position ==
		    CAPTION_BOTTOM ? s->y1 : (s->y0 + s->y1) / 2;
		/* The region holding the anchor, else the nearer one. */
		order[0] = 0;
		order[1] = 1;
		if (nreg == 2) {
			d0 = anchor < reg[0].y0 ? reg[0].y0 - anchor :
			    anchor > reg[0].y1 ? anchor - reg[0].y1 : 0;
			d1 = anchor < reg[1].y0 ? reg[1].y0 - anchor :
			    anchor > reg[1].y1 ? anchor - reg[1].y1 : 0;
			if (d1 < d0 || (d1 == d0 && reg[1].y1 - reg[1].y0 >
			    reg[0].y1 - reg[0].y0)) {
				order[0] = 1;
				order[1] = 0;
			}
		}
		nominal = k->size * (t->role == CAPTION_TEXT_HOOK ?
		    CAPTION_HOOK_SIZE : CAPTION_LABEL_SIZE);
		maxl = t->role == CAPTION_TEXT_HOOK ? 3 : 2;
		done = 0;
		for (size = nominal; !done && size >= nominal / 2 - 1e-9;
		    size *= 0.9) {
			double sz = size;

			/* More lines than maxl only at the smallest size. */
			last = size * 0.9 < nominal / 2 - 1e-9;
			text = wrap(c, t->text, &sz, avail, &tw, &th, &nl);
			if (*text == '\0') {
				free(text);
				return ag_fail(c->ag, AG_DATAERR, "overlay "
				    "text %zu: empty", i);
			}
			for (j = 0; j < (int)nreg && !done &&
			    (nl <= maxl || last); j++)
				if (place_in(l, i, &reg[order[j]], tw +
				    c->padx0 + c->padx1, th + c->pady0 +
				    c->pady1) == 0)
					done = 1;
			if (done) {
				o->text = text;
				o->size = sz;
				o->align = 8;
				o->x = (s->x0 + s->x1) / 2;
				o->y = o->rect.y0 + c->pady0;
				/* The shadow side: the box is asymmetric. */
				o->rect.x0 = o->x - tw / 2 - c->padx0;
				o->rect.x1 = o->x + tw / 2 + c->padx1;
			} else {
				free(text);
			}
		}
		if (!done)
			return ag_fail(c->ag, AG_DATAERR, "overlay text %zu "
			    "'%.40s': does not fit the safe area beside the "
			    "captions", i, t->text);
	}
	return AG_OK;
}

/* ---- the whole ---- */

int
captions_layout(struct agency *ag, const struct media_words *w,
    const struct caption_look *look, const struct caption_area *area,
    const struct caption_text *texts, size_t ntexts,
    struct caption_layout *out)
{
	struct caption_layout l;
	struct ctx c;
	struct font_extent e;
	int *scene = NULL, *flags = NULL, rc;
	size_t i, n;

	memset(&l, 0, sizeof(l));
	memset(&c, 0, sizeof(c));
	if ((rc = check_look(ag, look, area)) != AG_OK ||
	    (rc = check_words(ag, w)) != AG_OK)
		return rc;
	l.look = *look;
	l.area = *area;
	c.ag = ag;
	c.look = look;
	c.l = &l;
	if ((rc = font_open(ag, look->font ? look->font : "DejaVu Sans",
	    look->bold, &c.font)) != AG_OK)
		return rc;
	l.family = xstrdup(font_family(c.font));
	l.bold = look->bold;
	l.safe.x0 = area->left;
	l.safe.y0 = area->top;
	l.safe.x1 = area->width - area->right;
	l.safe.y1 = area->height - area->bottom;
	c.popf = pop_style(look->style) ? look->pop / 100.0 : 1;
	c.padx0 = look->outline + EDGE;
	c.padx1 = look->outline + look->shadow + EDGE;
	c.pady0 = look->outline + EDGE;
	c.pady1 = look->outline + look->shadow + EDGE;
	/* Centred lines: the wider (shadow) side decides. */
	c.avail = (l.safe.x1 - l.safe.x0) - 2 * c.padx1;
	if (c.avail < look->size) {
		rc = ag_fail(ag, AG_DATAERR, "caption area: %g px between the "
		    "margins, too narrow for text of %g px", l.safe.x1 -
		    l.safe.x0, look->size);
		goto out;
	}
	c.space = font_measure(c.font, " ", look->size, NULL);

	/* The words worth showing, cleaned and measured. */
	l.words = xcalloc(w->n ? w->n : 1, sizeof(*l.words));
	c.m = xcalloc(w->n ? w->n : 1, sizeof(*c.m));
	scene = xcalloc(w->n ? w->n : 1, sizeof(*scene));
	flags = xcalloc(w->n ? w->n : 1, sizeof(*flags));
	for (i = n = 0; i < w->n; i++) {
		char *script = clean(w->v[i].text, 0);

		if (*script == '\0') {
			free(script);
			/* A scene or sentence still ends here. */
			if (n > 0)
				flags[n - 1] |= w->v[i].flags;
			continue;
		}
		l.words[n].script = script;
		l.words[n].text = clean(w->v[i].text, look->uppercase);
		l.words[n].start = w->v[i].start;
		l.words[n].end = w->v[i].end;
		c.m[n].w = font_measure(c.font, l.words[n].text, look->size, &e);
		c.m[n].h = e.ascent + e.descent;
		scene[n] = w->v[i].scene;
		flags[n] = w->v[i].flags;
		n++;
	}
	l.nwords = n;
	cut_pages(&c, scene, flags);
	time_pages(&l);

	for (i = 0; i < l.npages; i++)
		place_page(&c, &l.pages[i]);
	if (look->style != CAPTION_NONE && l.npages > 0) {
		l.band = l.safe;
		l.band.y0 = l.safe.y1;
		l.band.y1 = l.safe.y0;
		for (i = 0; i < l.npages; i++) {
			l.band.y0 = fmin(l.band.y0, l.pages[i].rect.y0);
			l.band.y1 = fmax(l.band.y1, l.pages[i].rect.y1);
		}
		if (l.band.y0 < l.safe.y0 - 1e-6 || l.band.y1 > l.safe.y1 +
		    1e-6) {
			rc = ag_fail(ag, AG_DATAERR, "captions of %g px on %d "
			    "lines: taller than the safe area (%g px)",
			    look->size, look->max_lines, l.safe.y1 - l.safe.y0);
			goto out;
		}
	}
	if ((rc = place_overlays(&c, texts, ntexts)) != AG_OK)
		goto out;
	*out = l;
	memset(&l, 0, sizeof(l));
out:
	caption_layout_release(&l);
	free(scene);
	free(flags);
	free(c.m);
	font_free(c.font);
	return rc;
}

void
caption_layout_release(struct caption_layout *l)
{
	size_t i;

	for (i = 0; i < l->nwords; i++) {
		free(l->words[i].text);
		free(l->words[i].script);
	}
	free(l->words);
	free(l->pages);
	for (i = 0; i < l->noverlays; i++)
		free(l->overlays[i].text);
	free(l->overlays);
	free(l->family);
	memset(l, 0, sizeof(*l));
}

/* Lay out, print with print, release. */
static int
print_layout(struct agency *ag, const struct media_words *w,
    const struct caption_look *look, const struct caption_area *area,
    const struct caption_text *texts, size_t ntexts,
    void (*print)(const struct caption_layout *, struct buf *),
    struct buf *out)
{
	struct caption_layout l;
	int rc;

	if ((rc = captions_layout(ag, w, look, area, texts, ntexts, &l)) !=
	    AG_OK)
		return rc;
	print(&l, out);
	caption_layout_release(&l);
	return AG_OK;
}

int
captions_ass(struct agency *ag, const struct media_words *w,
    const struct caption_look *look, const struct caption_area *area,
    const struct caption_text *texts, size_t ntexts, struct buf *out)
{
	return print_layout(ag, w, look, area, texts, ntexts,
	    caption_layout_ass, out);
}

int
captions_srt(struct agency *ag, const struct media_words *w,
    const struct caption_look *look, const struct caption_area *area,
    struct buf *out)
{
	return print_layout(ag, w, look, area, NULL, 0, caption_layout_srt,
	    out);
}

int
captions_vtt(struct agency *ag, const struct media_words *w,
    const struct caption_look *look, const struct caption_area *area,
    struct buf *out)
{
	return print_layout(ag, w, look, area, NULL, 0, caption_layout_vtt,
	    out);
}
