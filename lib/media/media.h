/*
 * media.h - agency-produce's library: a script planned into an edit
 * decision list (the director), and an EDL rendered into a finished
 * video (the renderer).  edl.h is the document between the two.
 *
 *	director.c	script -> EDL: voice first, scenes timed by it,
 *			visuals, transitions, music, captions, overlays
 *	render.c	EDL -> MP4, subtitles, thumbnail, contact sheet,
 *			and the agency.production document
 *
 * Ownership: documents returned through out-parameters are the
 * caller's (cJSON_Delete); argument structs are borrowed.
 */
#ifndef AG_MEDIA_MEDIA_H
#define AG_MEDIA_MEDIA_H

#include "media/edl.h"

struct agency;
struct cJSON;

struct render_args {
	const char *output;		/* the video; required */
	const char *quality;		/* NULL: the EDL's */
	int subtitles;			/* also write .srt and .vtt */
	int thumbnail;			/* also write .jpg */
	const char *thumbnail_path;	/* NULL: next to the video */
	const char *contact_sheet;	/* a path, or NULL for none */
	int threads;			/* x264 threads, 0: all cores */
	const struct cJSON *script;	/* the script it came from, or NULL */
};

/*
 * media_render() - render e into the files a names and return the
 * agency.production document.  Every output is written under a
 * temporary name and renamed into place only when all of them are
 * complete: an error, Ctrl-C or kill leaves nothing under the final
 * names.  The content and its files are recorded in the store.
 * Errors: AG_DATAERR (a media file that will not decode), AG_CANTCREAT
 * and AG_IOERR (outputs), AG_UNAVAILABLE (this FFmpeg lacks a part).
 */
int media_render(struct agency *ag, const struct edl *e,
    const struct render_args *a, struct cJSON **production);

#endif
