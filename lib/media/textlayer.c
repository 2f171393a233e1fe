/*
 * textlayer.c - an EDL's captions and overlays through captions.h
 * (textlayer.h).
 */
#include <string.h>

#include "agency.h"
#include "media/edl.h"
#include "media/textlayer.h"

#define FOREVER 36000.0			/* seconds: a still's title */

static int
look_of(struct agency *ag, const struct edl *e, struct caption_look *look,
    struct caption_area *area)
{
	const struct edl_captions *c = &e->captions;
	int style = caption_style_parse(c->style);

	caption_look_default(look, style < 0 ? CAPTION_KARAOKE : style,
	    e->width, e->height);
	look->font = c->font;
	if (c->size > 0)
		look->size = c->size;
	look->primary = c->color;
	look->highlight = c->highlight;
	if (c->outline >= 0)
		look->outline = c->outline;
	if (c->shadow >= 0)
		look->shadow = c->shadow;
	if (caption_position_parse(c->position) >= 0)
		look->position = caption_position_parse(c->position);
	if (c->uppercase >= 0)
		look->uppercase = c->uppercase;
	if (c->max_words > 0)
		look->max_words = c->max_words;
	if (caption_safe_area(e->preset, e->width, e->height, area) != 0 &&
	    caption_safe_area(NULL, e->width, e->height, area) != 0)
		return ag_fail(ag, AG_DATAERR, "'%s': no safe area for a %dx%d "
		    "frame", e->file, e->width, e->height);
	return AG_OK;
}

static struct caption_text *
texts_of(const struct edl *e)
{
	struct caption_text *t = xcalloc(e->noverlay + 1, sizeof(*t));
	size_t i;

	for (i = 0; i < e->noverlay; i++) {
		t[i].text = e->overlay[i].text;
		t[i].start = e->overlay[i].start;
		t[i].end = e->overlay[i].end;
		t[i].role = strcmp(e->overlay[i].role, "title") == 0 ?
		    CAPTION_TEXT_HOOK : CAPTION_TEXT_LABEL;
		t[i].position = caption_position_parse(e->overlay[i].position);
		if (t[i].position < 0)
			t[i].position = CAPTION_TOP;
	}
	return t;
}

int
textlayer_ass(struct agency *ag, const struct edl *e, struct buf *out)
{
	struct caption_look look;
	struct caption_area area;
	struct caption_text *t;
	int rc;

	if ((e->captions.words.n == 0 ||
	    strcmp(e->captions.style, "none") == 0) && e->noverlay == 0)
		return AG_FALSE;
	if ((rc = look_of(ag, e, &look, &area)) != AG_OK)
		return rc;
	t = texts_of(e);
	rc = captions_ass(ag, &e->captions.words, &look, &area, t,
	    e->noverlay, out);
	free(t);
	return rc;
}

static int
sidecar(struct agency *ag, const struct edl *e, int vtt, struct buf *out)
{
	struct caption_look look;
	struct caption_area area;
	int rc;

	if (e->captions.words.n == 0)
		return AG_FALSE;
	if ((rc = look_of(ag, e, &look, &area)) != AG_OK)
		return rc;
	return vtt ? captions_vtt(ag, &e->captions.words, &look, &area, out) :
	    captions_srt(ag, &e->captions.words, &look, &area, out);
}

int
textlayer_srt(struct agency *ag, const struct edl *e, struct buf *out)
{
	return sidecar(ag, e, 0, out);
}

int
textlayer_vtt(struct agency *ag, const struct edl *e, struct buf *out)
{
	return sidecar(ag, e, 1, out);
}

int
textlayer_title(struct agency *ag, const struct edl *e, const char *title,
    struct buf *out)
{
	struct media_words none = MEDIA_WORDS_INIT;
	struct caption_look look;
	struct caption_area area;
	struct caption_text t;
	int rc;

	if (title == NULL || *title == '\0')
		return AG_FALSE;
	if ((rc = look_of(ag, e, &look, &area)) != AG_OK)
		return rc;
	look.style = CAPTION_NONE;
	memset(&t, 0, sizeof(t));
	t.text = title;
	t.end = FOREVER;
	t.role = CAPTION_TEXT_HOOK;
	t.position = CAPTION_MIDDLE;
	return captions_ass(ag, &none, &look, &area, &t, 1, out);
}
