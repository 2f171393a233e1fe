/*
 * av.c - FFmpeg's logging and error text, once for lib/media.
 */
#include <libavutil/error.h>
#include <libavutil/log.h>

#include "agency.h"
#include "media/av.h"

void
av_quiet(const struct agency *ag)
{
	if (ag->loglevel >= AG_LOG_DEBUG)
		av_log_set_level(AV_LOG_INFO);
	else if (av_log_get_level() > AV_LOG_QUIET)
		av_log_set_level(AV_LOG_QUIET);
}

const char *
av_errtext(int err)
{
	static char msg[AV_ERROR_MAX_STRING_SIZE];

	av_strerror(err, msg, sizeof(msg));
	return msg;
}
