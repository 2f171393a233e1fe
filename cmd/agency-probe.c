/*
 * agency-probe - what media files hold, as agency.probe documents.
 *
 * The same facts as "agency-produce probe", from a binary that links
 * only libavformat and what it needs: agency-upload runs it before every
 * upload, and it starts in half the time of one carrying the encoders,
 * the synthesizers and the filters.
 */
#include "agency.h"

static const struct ag_option options[] = {
	AG_OPT_END
};

static int
probe(struct agency *ag, int argc, char **argv)
{
	argc = ag_parse_options(ag, argc, argv, options, "FILE...");
	if (argc == 0)
		ag_usage_error(ag, "no file: give the media files to probe");
	return media_probe_print(ag, argv, argc);
}

int
main(int argc, char *argv[])
{
	struct agency ag;

	ag_init(&ag, argc, argv);
	return ag_finish(&ag, probe(&ag, argc, argv));
}
