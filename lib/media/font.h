/*
 * font.h - find a font by family through fontconfig and measure text
 * with FreeType, the way libass will draw it.
 *
 * Captions are laid out here and drawn later by libass (through
 * libavfilter's ass filter), so a measurement is only useful if it
 * agrees with libass.  Three of libass's rules are followed:
 *
 *   - size: an ASS font size is the height from the Windows ascender
 *     to the Windows descender (OS/2 usWinAscent + usWinDescent, else
 *     the typographic or bbox metrics), not the em: DejaVu Sans at
 *     "96" has an em of about 82 px;
 *   - fallback: a code point the face lacks is taken from the first
 *     font fontconfig sorts after it that has it; when no installed
 *     font has it, the face's .notdef box is drawn in its place;
 *   - bold: when the family has no bold face, libass emboldens the
 *     outlines, which widens every glyph a little; the measure adds
 *     that.
 *
 * Widths are advance sums without kerning, so they are never smaller
 * than what libass lays out (kerning pairs in the fonts we ship with
 * only pull glyphs together); outline, shadow and \fscx scaling are the
 * caller's (captions.c adds them).
 *
 * Ownership: font_open() returns a struct font the caller frees with
 * font_free(); the strings it hands out live as long as the font.
 */
#ifndef AG_MEDIA_FONT_H
#define AG_MEDIA_FONT_H

#include <stddef.h>

struct agency;
struct font;

struct font_extent {
	double width;			/* px: the advance of the whole text */
	double ascent, descent;		/* px above and below the baseline */
	int fallback;			/* code points drawn from another font */
	int missing;			/* code points no font has (.notdef) */
};

/*
 * font_open() - the font fontconfig chooses for family (NULL: "sans")
 * in bold or regular.  Errors: AG_UNAVAILABLE when fontconfig cannot
 * start or finds no scalable font at all, AG_DATAERR when the file it
 * names cannot be read by FreeType.
 */
int font_open(struct agency *ag, const char *family, int bold,
    struct font **out);
void font_free(struct font *f);

/*
 * The family of the face actually found (which is what an ASS style
 * must name, so that libass opens the same file), and its path.
 */
const char *font_family(const struct font *f);
const char *font_file(const struct font *f);

/* Is the face found a real bold one (not to be emboldened)? */
int font_is_bold(const struct font *f);

/* Does the face itself (no fallback) have code point cp? */
int font_has(struct font *f, unsigned long cp);

/*
 * font_measure() - the width of UTF-8 text at ASS size size (px), and
 * the highest ascent and deepest descent of the faces it uses.  Bytes
 * that are not UTF-8 count as U+FFFD.  ext may be NULL.
 */
double font_measure(struct font *f, const char *text, double size,
    struct font_extent *ext);

#endif
