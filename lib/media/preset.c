/*
 * preset.c - the presets and quality levels (preset.h).
 */
#include <string.h>

#include "agency.h"
#include "media/preset.h"

static const struct media_preset presets[] = {
	{ "shorts", 1080, 1920, 30, "YouTube Shorts, 9:16" },
	{ "tiktok", 1080, 1920, 30, "TikTok, 9:16" },
	{ "reels", 1080, 1920, 30, "Instagram and Facebook Reels, 9:16" },
	{ "youtube", 1920, 1080, 30, "YouTube, 16:9" },
	{ "square", 1080, 1080, 30, "square feeds, 1:1" },
	{ "portrait", 1080, 1350, 30, "Instagram and LinkedIn feeds, 4:5" },
	{ "x", 720, 1280, 30, "X (its upload cap is 1280x1024), 9:16" },
};
#define NPRESETS (sizeof(presets) / sizeof(presets[0]))

static const struct media_quality qualities[] = {
	{ "draft", "ultrafast", 26, 8000 },
	{ "normal", "veryfast", 21, 12000 },
	{ "high", "medium", 19, 16000 },
};
#define NQUALITIES (sizeof(qualities) / sizeof(qualities[0]))

const struct media_preset *
media_preset_find(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < NPRESETS; i++)
		if (strcmp(presets[i].name, name) == 0)
			return &presets[i];
	return NULL;
}

const struct media_preset *
media_preset_at(int i)
{
	return i >= 0 && (size_t)i < NPRESETS ? &presets[i] : NULL;
}

const char *
media_preset_names(void)
{
	return "shorts, tiktok, reels, youtube, square, portrait, x";
}

const struct media_quality *
media_quality_find(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < NQUALITIES; i++)
		if (strcmp(qualities[i].name, name) == 0)
			return &qualities[i];
	return NULL;
}
