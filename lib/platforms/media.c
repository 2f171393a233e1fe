/*
 * media.c - a video against a target's limits, before any byte is sent
 * (../shared/reference/video.md §6).  Every failure is AG_DATAERR
 * (exit 65) with what is wrong and, where a remux or another rendition
 * fixes it, how.
 */
#include <stdlib.h>
#include <string.h>

#include "agency.h"
#include "platforms/platform.h"

/* Does one item of the comma list want appear in the comma list have? */
static int
any_in(const char *want, const char *have)
{
	const char *p, *e;
	char item[64];

	for (p = want; *p != '\0'; p = *e ? e + 1 : e) {
		e = p + strcspn(p, ",");
		snprintf(item, sizeof(item), "%.*s", (int)(e - p), p);
		if (ag_in_list(have, item))
			return 1;
	}
	return 0;
}

static int
bad(struct upload_ctx *c, const char *fmt, const char *what, double got,
    double lim)
{
	return ag_fail(c->ag, AG_DATAERR, "%s: '%s': %s %g is %s %g (the "
	    "limit of %s)", c->account, c->video, what, got, fmt, lim,
	    c->ops->name);
}

int
platform_check_media(struct upload_ctx *c, const struct media_limits *l)
{
	const struct media_probe *p = c->probe;
	double maxdur = l ? l->max_duration : 0;
	long long v;

	if (!p->has_video)
		return ag_fail(c->ag, AG_DATAERR, "%s: '%s' has no video "
		    "stream", c->account, c->video);
	if ((v = upload_setting_int(c, "max_duration", 0)) > 0)
		maxdur = (double)v;
	if (l == NULL && maxdur == 0)
		return AG_OK;
	if (maxdur > 0 && p->duration > maxdur)
		return bad(c, "over", "duration (s)", p->duration, maxdur);
	if (l == NULL)
		return AG_OK;
	if (l->min_duration > 0 && p->duration < l->min_duration)
		return bad(c, "under", "duration (s)", p->duration,
		    l->min_duration);
	if (l->max_bytes > 0 && p->bytes > l->max_bytes)
		return bad(c, "over", "size (bytes)", (double)p->bytes,
		    (double)l->max_bytes);
	if (l->min_bytes > 0 && p->bytes < l->min_bytes)
		return bad(c, "under", "size (bytes)", (double)p->bytes,
		    (double)l->min_bytes);
	if (l->containers != NULL && !any_in(l->containers, p->format))
		return ag_fail(c->ag, AG_DATAERR, "%s: '%s': the container is "
		    "%s; %s takes %s", c->account, c->video, p->format,
		    c->ops->name, l->containers);
	if (l->vcodecs != NULL && !ag_in_list(l->vcodecs, p->vcodec))
		return ag_fail(c->ag, AG_DATAERR, "%s: '%s': the video codec "
		    "is %s; %s takes %s", c->account, c->video, p->vcodec,
		    c->ops->name, l->vcodecs);
	if (l->acodecs != NULL && p->has_audio &&
	    !ag_in_list(l->acodecs, p->acodec))
		return ag_fail(c->ag, AG_DATAERR, "%s: '%s': the audio codec "
		    "is %s; %s takes %s", c->account, c->video, p->acodec,
		    c->ops->name, l->acodecs);
	if ((l->max_width > 0 && p->width > l->max_width) ||
	    (l->max_height > 0 && p->height > l->max_height)) {
		return ag_fail(c->ag, AG_DATAERR, "%s: '%s': %dx%d is larger "
		    "than the %dx%d %s takes%s%s%s", c->account, c->video,
		    p->width, p->height, l->max_width ? l->max_width :
		    p->width, l->max_height ? l->max_height : p->height,
		    c->ops->name, l->rendition ? ": it needs a " : "",
		    l->rendition ? l->rendition : "", l->rendition ?
		    " rendition (agency-upload --transcode)" : "");
	}
	if ((l->min_width > 0 && p->width < l->min_width) ||
	    (l->min_height > 0 && p->height < l->min_height))
		return ag_fail(c->ag, AG_DATAERR, "%s: '%s': %dx%d is smaller "
		    "than the %dx%d %s takes", c->account, c->video, p->width,
		    p->height, l->min_width, l->min_height, c->ops->name);
	if (l->max_fps > 0 && p->fps > l->max_fps + 0.01)
		return bad(c, "over", "frame rate", p->fps, l->max_fps);
	if (l->min_fps > 0 && p->fps < l->min_fps - 0.01)
		return bad(c, "under", "frame rate", p->fps, l->min_fps);
	if (l->faststart && p->faststart == 0)
		return ag_fail(c->ag, AG_DATAERR, "%s: '%s': the moov box "
		    "comes after the media data; %s needs it first (remux "
		    "with ffmpeg -c copy -movflags +faststart)", c->account,
		    c->video, c->ops->name);
	if (l->no_edit_lists && p->edit_lists > 0)
		return ag_fail(c->ag, AG_DATAERR, "%s: '%s' has %d edit "
		    "list%s; %s takes none (remux with ffmpeg -c copy "
		    "-use_editlist 0)", c->account, c->video, p->edit_lists,
		    p->edit_lists == 1 ? "" : "s", c->ops->name);
	return AG_OK;
}
