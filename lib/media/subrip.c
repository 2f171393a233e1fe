/*
 * subrip.c - a caption layout as SubRip (.srt) and WebVTT (.vtt)
 * sidecars: one cue per page, its lines as the burned captions break
 * them, in the script's own case.
 *
 * SRT has no escapes, but players (ffmpeg, VLC, mpv) read <b>, <i>,
 * <font ...> and {\...} in it as markup; a zero-width space (U+200B)
 * after every '<' and '{' keeps them text.  WebVTT has its own
 * character references: & < > are written &amp; &lt; &gt; (which also
 * keeps "-->" out of cue text).  For karaoke and pop the WebVTT cues
 * carry each later word's start as a cue timestamp (<00:00:01.200>), so
 * a player can light the words as the burned captions do.
 */
#include <math.h>

#include "agency.h"
#include "media/captions.h"

static long long
ms(double t)
{
	long long v = llround(t * 1000);

	return v < 0 ? 0 : v;
}

static void
put_time(struct buf *b, long long t, char frac)
{
	buf_addf(b, "%02lld:%02lld:%02lld%c%03lld", t / 3600000,
	    t / 60000 % 60, t / 1000 % 60, frac, t % 1000);
}

static void
put_srt_text(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		buf_addch(b, *s);
		if (*s == '<' || *s == '{')
			buf_addstr(b, "\xe2\x80\x8b");
	}
}

static void
put_vtt_text(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '&')
			buf_addstr(b, "&amp;");
		else if (*s == '<')
			buf_addstr(b, "&lt;");
		else if (*s == '>')
			buf_addstr(b, "&gt;");
		else
			buf_addch(b, *s);
	}
}

/* The page's lines; vtt adds escapes and, if asked, word timestamps. */
static void
put_cue_text(struct buf *b, const struct caption_layout *l,
    const struct caption_page *p, int vtt)
{
	int stamps = vtt && (l->look.style == CAPTION_KARAOKE ||
	    l->look.style == CAPTION_POP);
	long long last = ms(p->start), end = ms(p->end), t;
	size_t j;
	int li;

	for (li = 0; li < p->nlines; li++) {
		const struct caption_line *ln = &p->lines[li];

		if (li > 0)
			buf_addch(b, '\n');
		for (j = ln->first; j < ln->first + ln->n; j++) {
			if (j > ln->first)
				buf_addch(b, ' ');
			t = ms(l->words[j].start);
			/* Timestamps must rise strictly inside the cue. */
			if (stamps && t > last && t < end) {
				buf_addch(b, '<');
				put_time(b, t, '.');
				buf_addch(b, '>');
				last = t;
			}
			if (vtt)
				put_vtt_text(b, l->words[j].script);
			else
				put_srt_text(b, l->words[j].script);
		}
	}
	buf_addch(b, '\n');
}

/* Cue i: its number, its times, its text. */
static void
put_cue(struct buf *b, const struct caption_layout *l, size_t i, int vtt)
{
	const struct caption_page *p = &l->pages[i];
	char frac = vtt ? '.' : ',';

	buf_addf(b, "%zu\n", i + 1);
	put_time(b, ms(p->start), frac);
	buf_addstr(b, " --> ");
	put_time(b, ms(p->end), frac);
	buf_addch(b, '\n');
	put_cue_text(b, l, p, vtt);
}

void
caption_layout_srt(const struct caption_layout *l, struct buf *b)
{
	size_t i;

	for (i = 0; i < l->npages; i++) {
		if (i > 0)
			buf_addch(b, '\n');
		put_cue(b, l, i, 0);
	}
}

void
caption_layout_vtt(const struct caption_layout *l, struct buf *b)
{
	size_t i;

	buf_addstr(b, "WEBVTT\n");
	for (i = 0; i < l->npages; i++) {
		buf_addch(b, '\n');
		put_cue(b, l, i, 1);
	}
}
