/*
 * registry.c - every platform agency-upload knows, by name.  A new
 * platform adds its extern and one line to the table (sorted), and
 * nothing else outside its own file.
 */
#include <string.h>

#include "agency.h"
#include "platforms/platform.h"

extern const struct platform_ops platform_bluesky;
extern const struct platform_ops platform_dir;
extern const struct platform_ops platform_facebook;
extern const struct platform_ops platform_instagram;
extern const struct platform_ops platform_linkedin;
extern const struct platform_ops platform_mastodon;
extern const struct platform_ops platform_s3;
extern const struct platform_ops platform_tiktok;
extern const struct platform_ops platform_webhook;
extern const struct platform_ops platform_x;
extern const struct platform_ops platform_youtube;

const struct platform_ops *const platform_list[] = {
	&platform_bluesky,
	&platform_dir,
	&platform_facebook,
	&platform_instagram,
	&platform_linkedin,
	&platform_mastodon,
	&platform_s3,
	&platform_tiktok,
	&platform_webhook,
	&platform_x,
	&platform_youtube,
	NULL
};

const struct platform_ops *
platform_by_name(const char *name)
{
	size_t i;

	for (i = 0; platform_list[i] != NULL; i++)
		if (strcmp(platform_list[i]->name, name) == 0)
			return platform_list[i];
	return NULL;
}
