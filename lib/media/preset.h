/*
 * preset.h - output presets (frame size and rate per destination) and
 * quality levels (x264 settings), as data.
 *
 * One 1080x1920 30 fps master serves Shorts, TikTok, Reels and Facebook
 * Reels; X caps uploads at 1280x1024, so its preset is 720x1280
 * (reference/video.md §6).  Quality maps to an x264 preset and CRF with
 * a VBV cap well under Instagram's 25 Mb/s ceiling (§5.4, §7).
 */
#ifndef AG_MEDIA_PRESET_H
#define AG_MEDIA_PRESET_H

struct media_preset {
	const char *name;
	int width, height, fps;
	const char *summary;
};

struct media_quality {
	const char *name;
	const char *x264;		/* x264 preset */
	int crf;
	int maxrate;			/* kb/s at 1080x1920, scaled by area */
};

/* By name; NULL when unknown.  media_preset_at(i) lists them. */
const struct media_preset *media_preset_find(const char *name);
const struct media_preset *media_preset_at(int i);
const struct media_quality *media_quality_find(const char *name);
/* "shorts, tiktok, ..." for messages. */
const char *media_preset_names(void);

#endif
