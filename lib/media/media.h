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

#include "core/opt.h"
#include "media/edl.h"
#include "media/voice.h"

struct agency;
struct cJSON;

struct plan_args {
	const char *style;		/* a name or a path; NULL: minimal */
	const char *preset;		/* NULL: the style's */
	const char *quality;		/* NULL: normal */
	struct ag_strv media;		/* folders of pictures and clips */
	int focus_set;
	double focus_x, focus_y;	/* where to crop clips and stills */
	const char *captions;		/* caption style; NULL: the style's */
	const char *music;		/* a file for the bed */
	const char *music_mood;		/* NULL: the style's */
	int no_music;
	const char *soundfont;		/* NULL: the default */
	const char *narration;		/* a recorded voice, or NULL */
	struct voice_params voice;
};

/*
 * media_plan() - the EDL (a new agency.edl document) for script, an
 * agency.script already checked (script_check()).  The narration and
 * the music bed are written to the media library.  Errors: those of
 * voice_speak() and music_compose(), AG_NOINPUT (a style, a media
 * folder or a file that is not there), AG_DATAERR (a bad style).
 */
int media_plan(struct agency *ag, const struct cJSON *script,
    const struct plan_args *a, struct cJSON **edl);

struct render_args {
	const char *output;		/* the video; required */
	const char *quality;		/* NULL: the EDL's */
	int subtitles;			/* also write .srt and .vtt */
	const char *ass_path;		/* also write the burned-in ASS, or NULL */
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

/*
 * media_transcode() - another rendition of a finished video, for a
 * platform that needs another frame (X caps uploads at 1280x1024): in,
 * fitted to preset's frame and rate (cropped to fill it), its own sound
 * kept at the usual loudness; written to out as media_render() writes,
 * with the rendition's production document.  quality NULL: normal.
 */
int media_transcode(struct agency *ag, const char *in, const char *preset,
    const char *out, const char *quality, struct cJSON **production);

/*
 * The same two through child processes (bytool.c), for tools that
 * should not link the FFmpeg libraries: the probe is media_probe()'s
 * from agency-probe, the rendition media_transcode()'s from
 * agency-produce.  Errors are the child's own line and exit status;
 * AG_UNAVAILABLE when the tool is not installed.
 */
struct media_probe;
int media_probe_by_tool(struct agency *ag, const char *path,
    struct media_probe *out);
/*
 * The probe in the background: media_probe_start() runs the child and
 * returns at once; media_probe_finish() waits for it and frees the job
 * (media_probe_by_tool() is the two in a row); media_probe_cancel()
 * kills a child whose answer is no longer wanted (NULL: nothing).
 */
struct media_probe_job;
int media_probe_start(struct agency *ag, const char *path,
    struct media_probe_job **out);
int media_probe_finish(struct agency *ag, struct media_probe_job *j,
    struct media_probe *out);
void media_probe_cancel(struct media_probe_job *j);
int media_transcode_by_tool(struct agency *ag, const char *in,
    const char *preset, const char *out);

#endif
