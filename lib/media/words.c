/*
 * words.c - the list of timed words (words.h).
 */
#include "agency.h"
#include "media/words.h"

void
media_words_init(struct media_words *w)
{
	w->v = NULL;
	w->n = w->alloc = 0;
}

void
media_words_release(struct media_words *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free(w->v[i].text);
	free(w->v);
	media_words_init(w);
}

struct media_word *
media_words_add(struct media_words *w, const char *text, double start,
    double end, int scene, int flags)
{
	struct media_word *mw;

	if (w->n == w->alloc) {
		w->alloc = w->alloc ? 2 * w->alloc : 64;
		w->v = xreallocarray(w->v, w->alloc, sizeof(*w->v));
	}
	mw = &w->v[w->n++];
	mw->text = xstrdup(text);
	mw->start = start;
	mw->end = end < start ? start : end;
	mw->scene = scene;
	mw->flags = flags;
	return mw;
}

void
media_words_append(struct media_words *dst, const struct media_words *src,
    double offset, int scene)
{
	size_t i;

	for (i = 0; i < src->n; i++)
		media_words_add(dst, src->v[i].text, src->v[i].start + offset,
		    src->v[i].end + offset, scene, src->v[i].flags);
}
