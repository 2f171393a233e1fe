/*
 * captions.h - captions from timed words: pages, lines, safe areas, and
 * the three files made from them (ASS to burn in, SRT and WebVTT
 * sidecars).
 *
 * Calling sequence (one layout, three files that agree):
 *
 *	struct caption_look look;
 *	struct caption_area area;
 *	struct caption_layout l;
 *
 *	caption_look_default(&look, CAPTION_KARAOKE, 1080, 1920);
 *	if (caption_safe_area("tiktok", 1080, 1920, &area) != 0)
 *		return ag_fail(ag, AG_DATAERR, "...");
 *	if ((rc = captions_layout(ag, &words, &look, &area, texts, ntexts,
 *	    &l)) != AG_OK)
 *		return rc;
 *	caption_layout_ass(&l, &ass);	// burn in with the ass filter
 *	caption_layout_srt(&l, &srt);
 *	caption_layout_vtt(&l, &vtt);
 *	caption_layout_release(&l);
 *
 * The words (words.h) are cut into pages: the words on screen at one
 * time.  A page holds at most look->max_words words on at most
 * look->max_lines lines; it ends after a sentence (and, for karaoke and
 * pop, after a clause: , ; :), before a pause of more than
 * CAPTION_PAUSE seconds, and always at the end of a scene, so no page
 * spans a scene end.  Lines are broken here, not by libass (WrapStyle
 * 2), by measuring each word with the font libass will use (font.h) at
 * the look's size: a line's width plus the pop of its widest word plus
 * outline and shadow on both sides fits the safe area's width.  A word
 * wider than a whole line gets a line of its own and is shrunk
 * uniformly (\fscx and \fscy together, never hyphenated or clipped)
 * until it fits; two-line pages are balanced (the split with the
 * narrowest longer line, the lower line the longer on a tie).
 *
 * A page is on screen from its first word's start to its last word's
 * end, then held to look->min_duration (but never into the next page:
 * a caption does not lag the voice), and a gap of at most
 * look->gap_close to the next page is closed.  Both happen inside a
 * scene only: the last page of a scene ends with its last word, since
 * the scene may end right after it (the words do not say when), so no
 * caption is ever shown over the next scene.
 *
 * ASS events (captions_ass()):
 *   - karaoke and pop: one event of style "Word" per spoken word whose
 *     start and end are the word's own (to the centisecond, ASS's
 *     resolution), showing the page with that word highlighted (karaoke:
 *     every word, the active one in the highlight colour popping from
 *     look->pop % to 100 % in look->pop_ms; pop: the words so far, the
 *     newest popping in).  Between words and after the last one, events
 *     of style "Hold" show the page unhighlighted, so the page never
 *     flickers and exactly one event draws it at any time;
 *   - classic: one event of style "Page" per page;
 *   - none: no caption events (the sidecars are still cut, as classic);
 *   - overlay texts: style "Hook" or "Label", one event each.
 * Every event is placed with \pos and an alignment, so libass never
 * moves one; words not yet spoken (pop) are laid out but fully
 * transparent, so a page does not shift as it fills.
 *
 * Overlays never collide with captions: the band that the tallest page
 * needs (at the look's position, inside the safe area) is reserved for
 * the whole video, and overlay texts are laid out only in what is left
 * of the safe area above and below it, each in the part nearest its own
 * position; overlays shown at the same time are stacked.  A hook is
 * CAPTION_HOOK_SIZE times the caption size on at most 3 lines, a label
 * CAPTION_LABEL_SIZE on at most 2; text that needs more lines or room
 * is shrunk, down to half its size, before it is an error.
 *
 * Text: the script's own words; UTF-8 throughout (malformed bytes become
 * U+FFFD); look->uppercase upper-cases with the C.UTF-8 rules (é -> É)
 * for the burned captions only: the sidecars keep the script's case.
 * ASS writes { and } as \{ and \} and a backslash followed by U+2060
 * (so it never pairs with what follows); SRT keeps < and { from
 * starting markup with a zero-width space after them; WebVTT uses
 * &amp; &lt; &gt;.
 *
 * Ownership: everything passed in is borrowed; out buffers are the
 * caller's (the text is appended; give one without a size cap, as a
 * full one truncates); a struct caption_layout owns all it points to,
 * but the overlay texts, until caption_layout_release().
 *
 * Errors: AG_DATAERR for impossible looks, areas or words (naming the
 * word and why) and for overlay text that cannot fit; AG_UNAVAILABLE or
 * AG_DATAERR from font_open() when no usable font is installed.
 */
#ifndef AG_MEDIA_CAPTIONS_H
#define AG_MEDIA_CAPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "media/words.h"

struct agency;
struct buf;

#define CAPTION_PAUSE 0.7		/* s of silence that ends a page */
#define CAPTION_HOOK_SIZE 1.25		/* hook text, times the look's size */
#define CAPTION_LABEL_SIZE 0.8		/* label text, the same */

enum caption_style {
	CAPTION_KARAOKE,		/* the page's words, the active one lit */
	CAPTION_POP,			/* each word pops in as it is spoken */
	CAPTION_CLASSIC,		/* one or two plain lines per page */
	CAPTION_NONE			/* nothing burned in */
};

enum caption_position {
	CAPTION_BOTTOM,
	CAPTION_MIDDLE,
	CAPTION_TOP
};

/* The style or position named, or -1 ("karaoke", "pop", "classic", ...) */
int caption_style_parse(const char *name);
const char *caption_style_name(int style);
int caption_position_parse(const char *name);
const char *caption_position_name(int position);

/*
 * Colours are 0xAARRGGBB where AA is the transparency, as in ASS: 00 is
 * opaque (so a plain 0xRRGGBB is opaque) and FF invisible.
 */
struct caption_look {
	int style;			/* enum caption_style */
	const char *font;		/* family, borrowed; NULL: DejaVu Sans */
	int bold;
	double size;			/* px at the output height */
	uint32_t primary;		/* text */
	uint32_t highlight;		/* the active word */
	uint32_t outline_colour;
	uint32_t shadow_colour;
	double outline, shadow;		/* px; the shadow falls right and down */
	int max_lines;			/* 1 or 2 */
	int max_words;			/* per page; 0: as many as fit */
	int uppercase;
	int position;			/* enum caption_position */
	int pop;			/* % the active word starts at (>= 100) */
	int pop_ms;			/* ... shrinking to 100 % in this time */
	double min_duration;		/* s a page stays, if the voice allows */
	double gap_close;		/* s: shorter gaps in a scene are closed */
};

/*
 * caption_look_default() - the reference look for style on a frame of
 * width x height: DejaVu Sans Bold at 96 px for a 1920 px high portrait
 * frame (60 px at 1080 for landscape), white with a 7 px black outline
 * and a 3 px half-transparent shadow (scaled the same way), yellow
 * highlight popping 110 % -> 100 % in 120 ms, 3-word upper-case pages
 * for karaoke and pop; classic is 75 % of that size, mixed case, as many
 * words as fit on two lines; at the bottom, held 0.8 s, gaps up to
 * 0.6 s closed.
 */
void caption_look_default(struct caption_look *look, int style, int width,
    int height);

/*
 * The frame and, inside it, the margins (px) that text must stay clear
 * of: the platform's own buttons, names and progress bars.
 */
struct caption_area {
	int width, height;
	int top, bottom, left, right;
};

/*
 * caption_safe_area() - the safe area of a width x height frame shown on
 * a platform or preset: tiktok, reels (instagram), shorts, youtube (a
 * Short when the frame is portrait, the landscape player otherwise),
 * facebook, x (twitter), linkedin, square, portrait, or default (NULL
 * and "" too).  safearea.c gives the published figures and their
 * sources; they are for the platform's own screen and are mapped onto
 * the frame as the platform shows it (scaled to fit, centred), so they
 * hold for any frame size; no margin is under 3 % of the frame.
 * Returns 0, or -1 (out untouched) for an unknown name or a frame under
 * 16 or over 16384 px a side; the caller words the error, naming
 * caption_safe_area_names().
 */
int caption_safe_area(const char *preset_or_platform, int width,
    int height, struct caption_area *out);
/* "tiktok, reels, ...": the names caption_safe_area() knows. */
const char *caption_safe_area_names(void);

enum caption_role {
	CAPTION_TEXT_HOOK,		/* the hook's title card */
	CAPTION_TEXT_LABEL		/* an on-screen label of a scene */
};

/* Text shown on screen beside the captions, in the same ASS file. */
struct caption_text {
	const char *text;		/* UTF-8, borrowed */
	double start, end;		/* s */
	int role;			/* enum caption_role */
	int position;			/* enum caption_position, the wish */
};

/* A box in frame px: x0 <= x < x1, y0 <= y < y1. */
struct caption_rect {
	double x0, y0, x1, y1;
};

struct caption_word {
	char *text;			/* as burned in (upper-cased), owned */
	char *script;			/* as the script writes it, owned */
	double start, end;		/* s, the word's own times */
	int line;			/* 0 or 1 on its page */
};

struct caption_line {
	size_t first, n;		/* the page's words on this line */
	double width;			/* px at scale 1, without outline */
	double height;			/* px, ascent + descent */
	double scale;			/* 1, or less for a word too wide */
};

struct caption_page {
	size_t first, n;		/* into layout->words */
	int scene;
	double start, end;		/* s on screen */
	int nlines;
	struct caption_line lines[2];
	double x, y;			/* the \pos anchor */
	int align;			/* ASS \an: 2, 5 or 8 */
	struct caption_rect rect;	/* all it can draw, outline, shadow
					   and pop included */
};

struct caption_overlay {
	const struct caption_text *src;	/* borrowed from the caller */
	char *text;			/* the lines, joined by '\n' */
	double size;			/* px, after any shrinking */
	double x, y;
	int align;			/* 8: x is the centre, y the top */
	struct caption_rect rect;
};

struct caption_layout {
	struct caption_look look;	/* as given, font borrowed */
	struct caption_area area;
	char *family;			/* the font found, named in the ASS */
	int bold;			/* bold as libass will draw it */
	struct caption_word *words;
	size_t nwords;
	struct caption_page *pages;
	size_t npages;
	struct caption_overlay *overlays;
	size_t noverlays;
	struct caption_rect safe;	/* the safe area as a box */
	struct caption_rect band;	/* reserved for captions (may be
					   empty for CAPTION_NONE) */
};

/*
 * captions_layout() - pages, lines, positions and overlays, everything
 * the writers below print.  texts may be NULL when ntexts is 0; the
 * layout points into texts (overlays[].src), so they must outlive it.
 * On AG_OK *out is filled (release it); on error it is untouched.
 */
int captions_layout(struct agency *ag, const struct media_words *w,
    const struct caption_look *look, const struct caption_area *area,
    const struct caption_text *texts, size_t ntexts,
    struct caption_layout *out);
void caption_layout_release(struct caption_layout *l);

/* The files of a layout, appended to out. */
void caption_layout_ass(const struct caption_layout *l, struct buf *out);
void caption_layout_srt(const struct caption_layout *l, struct buf *out);
void caption_layout_vtt(const struct caption_layout *l, struct buf *out);

/*
 * The same in one call each: lay out, print, release.  Called with the
 * same words, look and area, all three cut the same pages, so sidecars
 * and burned captions agree cue for page.
 */
int captions_ass(struct agency *ag, const struct media_words *w,
    const struct caption_look *look, const struct caption_area *area,
    const struct caption_text *texts, size_t ntexts, struct buf *out);
int captions_srt(struct agency *ag, const struct media_words *w,
    const struct caption_look *look, const struct caption_area *area,
    struct buf *out);
int captions_vtt(struct agency *ag, const struct media_words *w,
    const struct caption_look *look, const struct caption_area *area,
    struct buf *out);

#endif
