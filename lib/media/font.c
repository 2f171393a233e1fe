/*
 * font.c - fontconfig finds the face, FreeType gives its advances
 * (font.h says which of libass's rules are followed and why).
 *
 * Each font has its own fontconfig configuration, loaded and destroyed
 * with it, as libass does: the library-wide one FcInit() makes is never
 * freed, which leak checkers rightly report.
 *
 * Widths are computed in font units (FT_LOAD_NO_SCALE) and scaled once,
 * so no size is set on any face and a measurement does not depend on
 * hinting.  Fallback faces are the rest of fontconfig's sorted list for
 * the family, opened the first time a code point needs one.
 */
#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_ADVANCES_H
#include FT_TRUETYPE_TABLES_H

#include "agency.h"
#include "media/font.h"

struct face {
	FT_Face ft;			/* NULL until opened */
	int failed;			/* FreeType could not open it */
	double asc, desc;		/* font units, libass's metrics */
	FcCharSet *charset;		/* borrowed from the font set */
};

struct font {
	FcConfig *cfg;			/* our own: FcInit()'s is never freed */
	FT_Library lib;
	FcFontSet *set;			/* [0] is the face, the rest fallbacks */
	struct face *faces;		/* one per set entry */
	char *family, *file;
	int bold, want_bold;
};

/*
 * libass's set_font_metrics(): the Windows ascender and descender when
 * the OS/2 table has them, else the typographic ones, else the bbox.
 */
static void
face_metrics(struct face *fc)
{
	FT_Face ft = fc->ft;
	TT_OS2 *os2 = FT_Get_Sfnt_Table(ft, FT_SFNT_OS2);
	double asc = ft->ascender, desc = ft->descender;

	if (os2 != NULL && (short)os2->usWinAscent +
	    (short)os2->usWinDescent != 0) {
		asc = (short)os2->usWinAscent;
		desc = -(short)os2->usWinDescent;
	}
	if (asc - desc == 0) {
		if (os2 != NULL && os2->sTypoAscender - os2->sTypoDescender
		    != 0) {
			asc = os2->sTypoAscender;
			desc = os2->sTypoDescender;
		} else {
			asc = ft->bbox.yMax;
			desc = ft->bbox.yMin;
		}
	}
	if (asc - desc <= 0) {		/* a broken font: use the em */
		asc = ft->units_per_EM;
		desc = 0;
	}
	fc->asc = asc;
	fc->desc = desc;
}

static int
face_load(struct font *f, int i)
{
	struct face *fc = &f->faces[i];
	FcChar8 *file;
	int index = 0;

	if (fc->ft != NULL)
		return 0;
	if (fc->failed)
		return -1;
	if (FcPatternGetString(f->set->fonts[i], FC_FILE, 0, &file) !=
	    FcResultMatch)
		goto fail;
	(void)FcPatternGetInteger(f->set->fonts[i], FC_INDEX, 0, &index);
	if (FT_New_Face(f->lib, (const char *)file, index, &fc->ft) != 0) {
		fc->ft = NULL;
		goto fail;
	}
	if (!FT_IS_SCALABLE(fc->ft)) {	/* libass draws outlines only */
		FT_Done_Face(fc->ft);
		fc->ft = NULL;
		goto fail;
	}
	face_metrics(fc);
	return 0;
fail:
	fc->failed = 1;
	return -1;
}

static FcPattern *
pattern(FcConfig *cfg, const char *family, int bold)
{
	FcPattern *p = FcPatternCreate();

	if (p == NULL)
		ag_oom();
	FcPatternAddString(p, FC_FAMILY, (const FcChar8 *)(family != NULL
	    && *family != '\0' ? family : "sans"));
	FcPatternAddInteger(p, FC_WEIGHT, bold ? FC_WEIGHT_BOLD :
	    FC_WEIGHT_REGULAR);
	FcPatternAddInteger(p, FC_SLANT, FC_SLANT_ROMAN);
	FcPatternAddBool(p, FC_OUTLINE, FcTrue);
	FcConfigSubstitute(cfg, p, FcMatchPattern);
	FcDefaultSubstitute(p);
	return p;
}

int
font_open(struct agency *ag, const char *family, int bold,
    struct font **out)
{
	struct font *f;
	FcPattern *p;
	FcResult res;
	FcChar8 *s;
	int i, rc;

	f = xcalloc(1, sizeof(*f));
	f->want_bold = bold;
	if ((f->cfg = FcInitLoadConfigAndFonts()) == NULL) {
		free(f);
		return ag_fail(ag, AG_UNAVAILABLE, "cannot start fontconfig");
	}
	if (FT_Init_FreeType(&f->lib) != 0) {
		FcConfigDestroy(f->cfg);
		free(f);
		return ag_fail(ag, AG_UNAVAILABLE, "cannot start freetype");
	}
	p = pattern(f->cfg, family, bold);
	f->set = FcFontSort(f->cfg, p, FcTrue, NULL, &res);
	FcPatternDestroy(p);
	if (f->set == NULL || f->set->nfont == 0) {
		rc = ag_fail(ag, AG_UNAVAILABLE, "no font for family '%s': "
		    "fontconfig knows no scalable font", family ? family :
		    "sans");
		goto fail;
	}
	f->faces = xcalloc((size_t)f->set->nfont, sizeof(*f->faces));
	for (i = 0; i < f->set->nfont; i++)
		if (FcPatternGetCharSet(f->set->fonts[i], FC_CHARSET, 0,
		    &f->faces[i].charset) != FcResultMatch)
			f->faces[i].charset = NULL;
	if (face_load(f, 0) != 0) {
		rc = ag_fail(ag, AG_DATAERR, "font for family '%s': freetype "
		    "cannot read the file fontconfig chose", family ? family :
		    "sans");
		goto fail;
	}
	if (FcPatternGetString(f->set->fonts[0], FC_FAMILY, 0, &s) ==
	    FcResultMatch)
		f->family = xstrdup((const char *)s);
	else
		f->family = xstrdup(f->faces[0].ft->family_name ?
		    f->faces[0].ft->family_name : "sans");
	if (FcPatternGetString(f->set->fonts[0], FC_FILE, 0, &s) ==
	    FcResultMatch)
		f->file = xstrdup((const char *)s);
	else
		f->file = xstrdup("");
	f->bold = (f->faces[0].ft->style_flags & FT_STYLE_FLAG_BOLD) != 0;
	*out = f;
	return AG_OK;
fail:
	font_free(f);
	return rc;
}

void
font_free(struct font *f)
{
	int i;

	if (f == NULL)
		return;
	if (f->faces != NULL)
		for (i = 0; i < f->set->nfont; i++)
			if (f->faces[i].ft != NULL)
				FT_Done_Face(f->faces[i].ft);
	free(f->faces);
	if (f->set != NULL)
		FcFontSetDestroy(f->set);
	FT_Done_FreeType(f->lib);
	FcConfigDestroy(f->cfg);
	free(f->family);
	free(f->file);
	free(f);
}

const char *
font_family(const struct font *f)
{
	return f->family;
}

const char *
font_file(const struct font *f)
{
	return f->file;
}

int
font_is_bold(const struct font *f)
{
	return f->bold;
}

int
font_has(struct font *f, unsigned long cp)
{
	return FT_Get_Char_Index(f->faces[0].ft, cp) != 0;
}

/* The face that draws cp and its glyph: a fallback, else .notdef. */
static struct face *
glyph_for(struct font *f, unsigned long cp, FT_UInt *gid, int *kind)
{
	int i;

	*kind = 0;
	if ((*gid = FT_Get_Char_Index(f->faces[0].ft, cp)) != 0)
		return &f->faces[0];
	for (i = 1; i < f->set->nfont; i++) {
		if (f->faces[i].charset == NULL ||
		    !FcCharSetHasChar(f->faces[i].charset, (FcChar32)cp))
			continue;
		if (face_load(f, i) != 0)
			continue;
		if ((*gid = FT_Get_Char_Index(f->faces[i].ft, cp)) != 0) {
			*kind = 1;
			return &f->faces[i];
		}
	}
	*kind = 2;
	*gid = 0;
	return &f->faces[0];
}

double
font_measure(struct font *f, const char *text, double size,
    struct font_extent *ext)
{
	struct font_extent e = { 0, 0, 0, 0, 0 };
	struct face *fc;
	unsigned long cp;
	FT_Fixed adv;
	FT_UInt gid;
	double scale, em;
	size_t len;
	int kind;

	/* The main face's line box even for empty text: libass's. */
	scale = size / (f->faces[0].asc - f->faces[0].desc);
	e.ascent = f->faces[0].asc * scale;
	e.descent = -f->faces[0].desc * scale;
	for (; *text != '\0'; text += len) {
		cp = ag_utf8_decode(text, &len);
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			continue;	/* controls draw nothing */
		fc = glyph_for(f, cp, &gid, &kind);
		if (kind == 1)
			e.fallback++;
		else if (kind == 2)
			e.missing++;
		scale = size / (fc->asc - fc->desc);
		if (FT_Get_Advance(fc->ft, gid, FT_LOAD_NO_SCALE, &adv) != 0)
			adv = fc->ft->units_per_EM / 2;
		em = fc->ft->units_per_EM * scale;
		e.width += (double)adv * scale;
		/* libass emboldens a regular face by about em/64. */
		if (f->want_bold && !(fc->ft->style_flags &
		    FT_STYLE_FLAG_BOLD))
			e.width += em / 32;
		if (fc->asc * scale > e.ascent)
			e.ascent = fc->asc * scale;
		if (-fc->desc * scale > e.descent)
			e.descent = -fc->desc * scale;
	}
	if (ext != NULL)
		*ext = e;
	return e.width;
}
