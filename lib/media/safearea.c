/*
 * safearea.c - where each platform's own interface covers the video.
 *
 * Each entry gives the margins (px) its interface covers on the screen
 * the platform shows a video on, for the screen size the figures were
 * published for.  A frame of another size or shape is shown fitted to
 * that screen and centred (TikTok, Reels and Shorts letterbox what is
 * not 9:16), so a margin on the frame is what of the screen margin
 * falls on the picture, scaled back to frame px: for a 9:16 frame that
 * is plain proportional scaling (720x1280 gets two thirds of the
 * 1080x1920 figures); for a landscape frame on TikTok the top and
 * bottom margins fall on the black bars and only the right-hand button
 * column still covers the picture.  Every margin is at least 3 % of the
 * frame so that no text touches an edge.
 *
 * The figures (read, not measured; platforms move their buttons, so
 * these are working margins, not promises):
 *
 *   tiktok    1080x1920: top 150, bottom 440, right 150.  adfuseai.com,
 *             "TikTok ad sizes and specs guide" (safe zone: top 150 px,
 *             bottom 440 px, right 150 px); socaptions.com, "TikTok safe
 *             zones 2026" gives the ranges top 180-250, bottom 320-460,
 *             right 120-180 and its overlay marks 250/420/170.  Left
 *             60 px: no figure published, the general 5.5 % edge.
 *   reels     1080x1920: top 14 % (270), bottom 35 % (672), sides 6 %
 *   facebook  (65).  Meta's Business Help Center figures for Reels, as
 *             quoted by adsuploader.com ("Meta ads safe zones": Reels
 *             bottom 35 %, 670 px), behaviour.digital and primores.org
 *             (Meta unified the Stories and Reels 9:16 zone on the Reels
 *             one in March 2026; Facebook Reels uses the same overlay).
 *   shorts    1080x1920: bottom 480 (25 %), top 90, right 150, left 60.
 *             youraithumbnailgenerator.com, "YouTube Shorts safe zones"
 *             (the lower 25 %, about 480 px, holds title, channel and
 *             subscribe button); getkoro.app keeps text in "the middle
 *             1080x1350", which leaves 90 px at the top; the like and
 *             comment column on the right is TikTok's size (no figure).
 *   youtube   a landscape frame plays in the ordinary player: the
 *             title-safe area of SMPTE ST 2046-1 (90 %: 5 % per side),
 *             with 10 % at the bottom for the progress bar and
 *             controls; a portrait frame is a Short (above).
 *   x         720x1280 (X's recommended portrait rendition): top 5 %,
 *             bottom 20 %, sides 5 %.  X publishes no safe zone; its
 *             media viewer lays the post text and action bar over the
 *             bottom, so this is derived, not read.
 *   linkedin  1080x1920: LinkedIn's vertical video feed lays the same
 *             kind of right-hand column and bottom text as Reels and
 *             publishes no figure, so it takes the Reels zone.
 *   square,   1080x1080 and 1080x1350 feed posts, and any other
 *   portrait, frame: title-safe, 5 % per side (SMPTE ST 2046-1).
 *   default
 */
#include <math.h>

#include "agency.h"
#include "media/captions.h"

struct zone {
	const char *names;		/* comma-separated */
	int sw, sh;			/* the screen; 0: the frame itself */
	double top, bottom, left, right; /* px on it, or fractions */
};

static const struct zone zones[] = {
	{ "tiktok", 1080, 1920, 150, 440, 60, 150 },
	{ "reels,instagram,facebook", 1080, 1920, 270, 672, 65, 65 },
	{ "shorts", 1080, 1920, 90, 480, 60, 150 },
	{ "youtube", 1920, 1080, 54, 108, 96, 96 },
	{ "x,twitter", 720, 1280, 64, 256, 36, 36 },
	{ "linkedin", 1080, 1920, 270, 672, 65, 65 },
	{ "square,portrait,default", 0, 0, 0.05, 0.05, 0.05, 0.05 },
};

const char *
caption_safe_area_names(void)
{
	return "tiktok, reels, instagram, shorts, youtube, facebook, x, "
	    "twitter, linkedin, square, portrait, default";
}

static const struct zone *
find(const char *name)
{
	size_t i;

	if (name == NULL || *name == '\0')
		name = "default";
	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		if (ag_in_list(zones[i].names, name))
			return &zones[i];
	return NULL;
}

/* What of a screen margin m falls on a picture inset by off, in frame px. */
static int
onto(double m, double off, double k, int frame)
{
	double v = (m - off) / k, floor_ = 0.03 * frame;

	if (v < floor_)
		v = floor_;
	return (int)ceil(v - 1e-9);
}

int
caption_safe_area(const char *name, int width, int height,
    struct caption_area *out)
{
	const struct zone *z;
	double k, ox, oy;

	if (width < 16 || height < 16 || width > 16384 || height > 16384)
		return -1;
	if (name != NULL && strcmp(name, "youtube") == 0 && height > width)
		name = "shorts";
	if ((z = find(name)) == NULL)
		return -1;
	out->width = width;
	out->height = height;
	if (z->sw == 0) {
		out->top = onto(z->top * height, 0, 1, height);
		out->bottom = onto(z->bottom * height, 0, 1, height);
		out->left = onto(z->left * width, 0, 1, width);
		out->right = onto(z->right * width, 0, 1, width);
		return 0;
	}
	/* Fit the frame to the screen, centred. */
	k = fmin((double)z->sw / width, (double)z->sh / height);
	ox = (z->sw - width * k) / 2;
	oy = (z->sh - height * k) / 2;
	out->top = onto(z->top, oy, k, height);
	out->bottom = onto(z->bottom, oy, k, height);
	out->left = onto(z->left, ox, k, width);
	out->right = onto(z->right, ox, k, width);
	return 0;
}
