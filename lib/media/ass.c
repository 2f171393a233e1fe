/*
 * ass.c - a caption layout as an ASS (Advanced SubStation Alpha v4+)
 * script for libass: the header the reference look uses, one style per
 * kind of event, and the events captions.h lists.
 *
 * Escaping: in event text libass starts an override block at '{' (when
 * a '}' follows) and reads \N, \n and \h as breaks and hard spaces; it
 * reads \{ and \} as literal braces.  So braces are written \{ and \},
 * and a backslash is followed by U+2060 WORD JOINER (zero width, in
 * DejaVu Sans), which keeps it from pairing with what comes next, be it
 * a letter of the text or one of our own override blocks.
 */
#include <math.h>

#include "agency.h"
#include "media/captions.h"

static void
put_time(struct buf *b, double t)
{
	long long cs = llround(t * 100);

	if (cs < 0)
		cs = 0;
	buf_addf(b, "%lld:%02lld:%02lld.%02lld", cs / 360000,
	    cs / 6000 % 60, cs / 100 % 60, cs % 100);
}

/* 0xAARRGGBB as ASS's &HAABBGGRR. */
static void
put_colour(struct buf *b, uint32_t c)
{
	buf_addf(b, "&H%02X%02X%02X%02X", (unsigned)(c >> 24 & 0xff),
	    (unsigned)(c & 0xff), (unsigned)(c >> 8 & 0xff),
	    (unsigned)(c >> 16 & 0xff));
}

/* The colour alone, for \c: &HBBGGRR&. */
static void
put_rgb(struct buf *b, uint32_t c)
{
	buf_addf(b, "&H%02X%02X%02X&", (unsigned)(c & 0xff),
	    (unsigned)(c >> 8 & 0xff), (unsigned)(c >> 16 & 0xff));
}

static void
put_escaped(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '{' || *s == '}') {
			buf_addch(b, '\\');
			buf_addch(b, *s);
		} else if (*s == '\\') {
			buf_addstr(b, "\\\xe2\x81\xa0");
		} else {
			buf_addch(b, *s);
		}
	}
}

/* A number the way ASS reads it: at most two decimals, no trailing 0. */
static void
put_num(struct buf *b, double v)
{
	char s[64];
	size_t n;

	snprintf(s, sizeof(s), "%.2f", v);
	n = strlen(s);
	while (n > 0 && s[n - 1] == '0')
		s[--n] = '\0';
	if (n > 0 && s[n - 1] == '.')
		s[--n] = '\0';
	buf_addstr(b, strcmp(s, "-0") == 0 ? "0" : s);
}

static void
put_style(struct buf *b, const struct caption_layout *l, const char *name,
    double size, int align)
{
	const struct caption_look *k = &l->look;
	const char *f;

	buf_addf(b, "Style: %s,", name);
	for (f = l->family; *f != '\0'; f++)	/* a comma ends the field */
		buf_addch(b, *f == ',' ? ' ' : *f);
	buf_addch(b, ',');
	put_num(b, size);
	buf_addch(b, ',');
	put_colour(b, k->primary);
	buf_addch(b, ',');
	put_colour(b, k->highlight);
	buf_addch(b, ',');
	put_colour(b, k->outline_colour);
	buf_addch(b, ',');
	put_colour(b, k->shadow_colour);
	buf_addf(b, ",%d,0,0,0,100,100,0,0,1,", l->bold ? -1 : 0);
	put_num(b, k->outline);
	buf_addch(b, ',');
	put_num(b, k->shadow);
	buf_addf(b, ",%d,%d,%d,%d,1\n", align, l->area.left, l->area.right,
	    l->area.bottom);
}

/* The start of an override block placing an event: {\anA\pos(x,y) */
static void
put_pos(struct buf *b, int align, double x, double y)
{
	buf_addf(b, "{\\an%d\\pos(", align);
	put_num(b, x);
	buf_addch(b, ',');
	put_num(b, y);
	buf_addch(b, ')');
}

/* \fscx and \fscy, both at scale %. */
static void
put_scale(struct buf *b, double scale)
{
	buf_addstr(b, "\\fscx");
	put_num(b, scale);
	buf_addstr(b, "\\fscy");
	put_num(b, scale);
}

/*
 * An override block setting the fill colour (and its alpha) and, unless
 * scale < 0, the scale; with ms >= 0 the scale then moves to `to` in ms.
 */
static void
put_colour_scale(struct buf *b, uint32_t colour, double scale, int ms,
    double to)
{
	buf_addstr(b, "{\\c");
	put_rgb(b, colour);
	buf_addf(b, "\\1a&H%02X&", (unsigned)(colour >> 24 & 0xff));
	if (scale >= 0)
		put_scale(b, scale);
	if (ms >= 0) {
		buf_addf(b, "\\t(0,%d,", ms);
		put_scale(b, to);
		buf_addch(b, ')');
	}
	buf_addch(b, '}');
}

enum show { SHOW_PLAIN, SHOW_ACTIVE, SHOW_HIDDEN };

/*
 * The text of page p where word `active` (an index on the page, or -1)
 * is lit and, with upto >= 0, words after upto are laid out unseen.
 */
static void
put_page_text(struct buf *b, const struct caption_layout *l,
    const struct caption_page *p, long active, long upto)
{
	const struct caption_look *k = &l->look;
	int li, hidden = 0;
	size_t j;

	put_pos(b, p->align, p->x, p->y);
	buf_addch(b, '}');
	for (li = 0; li < p->nlines; li++) {
		const struct caption_line *ln = &p->lines[li];
		double s = ln->scale * 100;

		if (li > 0)
			buf_addstr(b, "\\N");
		if (ln->scale < 1) {
			buf_addch(b, '{');
			put_scale(b, s);
			buf_addch(b, '}');
		}
		for (j = ln->first; j < ln->first + ln->n; j++) {
			long idx = (long)(j - p->first);
			enum show show = idx == active ? SHOW_ACTIVE :
			    upto >= 0 && idx > upto ? SHOW_HIDDEN : SHOW_PLAIN;

			if (j > ln->first)
				buf_addch(b, ' ');
			if (show == SHOW_HIDDEN && !hidden) {
				buf_addstr(b, "{\\alpha&HFF&}");
				hidden = 1;
			}
			if (show == SHOW_ACTIVE)
				put_colour_scale(b, k->highlight, k->pop > 100 ?
				    s * k->pop / 100 : -1, k->pop > 100 ?
				    k->pop_ms : -1, s);
			put_escaped(b, l->words[j].text);
			if (show == SHOW_ACTIVE)
				put_colour_scale(b, k->primary, k->pop > 100 ?
				    s : -1, -1, 0);
		}
		if (ln->scale < 1 && li + 1 < p->nlines)
			buf_addstr(b, "{\\fscx100\\fscy100}");
	}
}

static void
put_event(struct buf *b, int layer, long long cs0, long long cs1,
    const char *style)
{
	buf_addf(b, "Dialogue: %d,", layer);
	put_time(b, cs0 / 100.0);
	buf_addch(b, ',');
	put_time(b, cs1 / 100.0);
	buf_addf(b, ",%s,,0,0,0,,", style);
}

static long long
cs(double t)
{
	long long v = llround(t * 100);

	return v < 0 ? 0 : v;
}

/* Karaoke and pop: a Word event per word, Hold events between. */
static void
put_word_events(struct buf *b, const struct caption_layout *l, size_t pi)
{
	const struct caption_page *p = &l->pages[pi];
	int pop = l->look.style == CAPTION_POP;
	long long s0, s1, next;
	size_t j;

	for (j = 0; j < p->n; j++) {
		const struct caption_word *w = &l->words[p->first + j];

		s0 = cs(w->start);
		s1 = cs(w->end);
		next = p->first + j + 1 < l->nwords ?
		    cs(l->words[p->first + j + 1].start) : -1;
		if (next >= 0 && s1 > next)
			s1 = next;	/* a rounding overlap */
		put_event(b, 0, s0, s1, "Word");
		put_page_text(b, l, p, (long)j, pop ? (long)j : -1);
		buf_addch(b, '\n');
		/* Until the next word, or the page's end. */
		next = j + 1 < p->n ? next : cs(p->end);
		if (next > s1) {
			put_event(b, 0, s1, next, "Hold");
			put_page_text(b, l, p, -1, pop ? (long)j : -1);
			buf_addch(b, '\n');
		}
	}
}

void
caption_layout_ass(const struct caption_layout *l, struct buf *b)
{
	const struct caption_look *k = &l->look;
	size_t i;
	const char *nl;

	buf_addstr(b, "[Script Info]\n");
	buf_addf(b, "; AgencyOS captions: %s, %zu pages, %zu words, %zu "
	    "texts\n", caption_style_name(k->style), l->npages, l->nwords,
	    l->noverlays);
	buf_addstr(b, "ScriptType: v4.00+\n");
	buf_addf(b, "PlayResX: %d\nPlayResY: %d\n", l->area.width,
	    l->area.height);
	buf_addstr(b, "WrapStyle: 2\nScaledBorderAndShadow: yes\n"
	    "YCbCr Matrix: TV.709\n\n");
	buf_addstr(b, "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, "
	    "PrimaryColour, SecondaryColour, OutlineColour, BackColour, "
	    "Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, "
	    "Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, "
	    "MarginR, MarginV, Encoding\n");
	put_style(b, l, "Word", k->size, 2);
	put_style(b, l, "Hold", k->size, 2);
	put_style(b, l, "Page", k->size, 2);
	put_style(b, l, "Hook", k->size * CAPTION_HOOK_SIZE, 8);
	put_style(b, l, "Label", k->size * CAPTION_LABEL_SIZE, 8);
	buf_addstr(b, "\n[Events]\nFormat: Layer, Start, End, Style, Name, "
	    "MarginL, MarginR, MarginV, Effect, Text\n");
	for (i = 0; i < l->npages && k->style != CAPTION_NONE; i++) {
		if (k->style == CAPTION_CLASSIC) {
			put_event(b, 0, cs(l->pages[i].start),
			    cs(l->pages[i].end), "Page");
			put_page_text(b, l, &l->pages[i], -1, -1);
			buf_addch(b, '\n');
		} else {
			put_word_events(b, l, i);
		}
	}
	for (i = 0; i < l->noverlays; i++) {
		const struct caption_overlay *o = &l->overlays[i];
		const char *s = o->text;

		put_event(b, 1, cs(o->src->start), cs(o->src->end),
		    o->src->role == CAPTION_TEXT_HOOK ? "Hook" : "Label");
		put_pos(b, o->align, o->x, o->y);
		buf_addstr(b, "\\fs");
		put_num(b, o->size);
		buf_addch(b, '}');
		for (;;) {
			struct buf line = BUF_INIT;

			nl = strchr(s, '\n');
			buf_add(&line, s, nl ? (size_t)(nl - s) : strlen(s));
			put_escaped(b, buf_str(&line));
			buf_release(&line);
			if (nl == NULL)
				break;
			buf_addstr(b, "\\N");
			s = nl + 1;
		}
		buf_addch(b, '\n');
	}
}
