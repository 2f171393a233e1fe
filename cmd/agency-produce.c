/* agency-produce - plan and render a finished video. */
#include <string.h>

#include "agency.h"
#include "media/media.h"

static struct render_args ra = { .subtitles = 1, .thumbnail = 1 };
static const char *output;

static const struct ag_option render_options[] = {
	AG_OPT_STRING(0, "contact-sheet", "file", &ra.contact_sheet,
	    "also write a grid of frames to file"),
	AG_OPT_STRING('o', "output", "file", &output, "write the video to file"),
	AG_OPT_CHOICE(0, "quality", "draft|normal|high", &ra.quality,
	    "draft,normal,high", "x264 preset and CRF (default: the EDL's)"),
	AG_OPT_BOOL(0, "subtitles", &ra.subtitles,
	    "write .srt and .vtt next to the video (default)"),
	AG_OPT_BOOL(0, "thumbnail", &ra.thumbnail,
	    "write a .jpg thumbnail next to the video (default)"),
	AG_OPT_END
};

static int
render(struct agency *ag, int argc, char **argv)
{
	struct edl e;
	cJSON *doc = NULL;
	int rc;

	argc = ag_parse_options(ag, argc, argv, render_options,
	    "render [options] EDL -o file");
	if (argc > 1)
		ag_usage_error(ag, "unexpected argument '%s'", argv[1]);
	if (output == NULL)
		ag_usage_error(ag, "no output: give -o FILE");
	if ((rc = edl_read(ag, argc ? argv[0] : "-", &e)) != AG_OK)
		return rc;
	ra.output = output;
	rc = media_render(ag, &e, &ra, &doc);
	edl_release(&e);
	if (rc == AG_OK)
		rc = ag_emit(ag, doc);
	cJSON_Delete(doc);
	return rc;
}

static const struct ag_command commands[] = {
	{ "render", render, "render an edit decision list into a video" },
	{ NULL, NULL, NULL }
};

static int
produce(struct agency *ag, int argc, char **argv)
{
	(void)argc, (void)argv;
	ag_usage_error(ag, "give a command");
}

int
main(int argc, char *argv[])
{
	struct agency ag;
	int rc;

	ag_init(&ag, argc, argv);
	rc = ag_run_main(&ag, argc, argv, commands, produce);
	return ag_finish(&ag, rc);
}
