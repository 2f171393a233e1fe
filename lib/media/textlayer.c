/*
 * textlayer.c - XXX(#5): placeholder until lib/media/captions lands.
 */
#include "agency.h"
#include "media/edl.h"
#include "media/textlayer.h"

int
textlayer_ass(struct agency *ag, const struct edl *e, struct buf *out)
{
	(void)ag, (void)e, (void)out;
	return AG_FALSE;
}

int
textlayer_srt(struct agency *ag, const struct edl *e, struct buf *out)
{
	(void)ag, (void)e, (void)out;
	return AG_FALSE;
}

int
textlayer_vtt(struct agency *ag, const struct edl *e, struct buf *out)
{
	(void)ag, (void)e, (void)out;
	return AG_FALSE;
}

int
textlayer_title(struct agency *ag, const struct edl *e, const char *title,
    struct buf *out)
{
	(void)ag, (void)e, (void)out, (void)title;
	return AG_FALSE;
}
