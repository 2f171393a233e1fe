/*
 * edl.h - the edit decision list: what agency-produce renders.
 *
 * An agency.edl document (agency-formats(7)) is the contract between the
 * director, which writes one from a script, and the renderer, which
 * turns one into a video; an editor may write or edit one by hand.
 * edl_parse() reads and checks the whole document before anything is
 * rendered: every error names the file and the JSON path
 * ("cut.json: $.video[2].source.image: cannot read 'x.jpg': No such
 * file or directory") and is AG_DATAERR.  Relative media paths are taken
 * from the EDL's own folder; the parsed struct holds absolute paths.
 *
 * The timeline.  Segments lie on [0, duration] in order and must not
 * overlap; a gap shows black.  A segment's transition is how it enters
 * from the one before: "cut", or any transition of libavfilter's xfade
 * filter ("fade", "wipeleft", "slideup", "circleopen", ...), lasting
 * duration seconds centred on the boundary.  So segments keep their
 * stated times and a transition borrows half its length from each side.
 *
 * Ownership: struct edl owns everything in it until edl_release().
 */
#ifndef AG_MEDIA_EDL_H
#define AG_MEDIA_EDL_H

#include <stdint.h>

#include "media/words.h"

struct agency;
struct cJSON;

enum edl_source {
	SRC_IMAGE,			/* a still, with optional Ken Burns */
	SRC_VIDEO,			/* a clip, trimmed and fitted */
	SRC_COLOR,			/* a flat colour */
	SRC_GRADIENT			/* a linear gradient of two colours */
};

enum edl_fit { FIT_COVER, FIT_CONTAIN };

/* Ken Burns: zoom and centre (0..1 of the picture) from start to end. */
struct edl_motion {
	int on;
	double zoom[2];			/* >= 1: 1 is the picture covering */
	double x[2], y[2];		/* the centre of the view */
};

struct edl_segment {
	double start, end;		/* seconds on the timeline */
	enum edl_source kind;
	char *path;			/* image or video, absolute */
	double in;			/* video: seconds into the clip */
	int rotation;			/* video: degrees clockwise to show */
	uint32_t color[2];		/* 0xRRGGBB: colour, gradient ends */
	double angle;			/* gradient: degrees, 0 = left to right */
	enum edl_fit fit;
	double focus_x, focus_y;	/* where to crop (cover), 0..1 */
	struct edl_motion motion;
	char *transition;		/* into this segment: "cut", "fade" */
	double tduration;		/* seconds; 0 for a cut */
};

struct edl_audio {
	char *path;			/* NULL: none */
	double gain;			/* dB */
	double start;			/* seconds on the timeline */
};

/* Text on screen: a title card or a label (captions.h draws them). */
struct edl_overlay {
	char *text;
	double start, end;
	char *role;			/* "title" or "text" */
	char *position;			/* "top", "middle", "bottom" */
};

struct edl_captions {
	char *style;			/* karaoke, pop, classic, none */
	char *font;			/* a fontconfig family */
	double size;			/* px at the output height; 0: auto */
	uint32_t color, highlight;	/* 0xRRGGBB */
	double outline, shadow;		/* px; < 0: the style's */
	char *position;			/* bottom, middle, top */
	int uppercase;			/* -1: as the caption style has it */
	int max_words;			/* per page; 0: auto */
	struct media_words words;
};

struct edl {
	char *file;			/* where it was read, for messages */
	char *title;
	/* output */
	char *preset;			/* "shorts", ... */
	int width, height, fps;
	char *quality;			/* draft, normal, high */
	double loudness, true_peak;	/* LUFS, dBTP */
	double duration;		/* seconds */
	/* tracks */
	struct edl_segment *seg;
	size_t nseg;
	struct edl_audio voice, music;
	int duck;			/* music ducks under the voice */
	struct edl_captions captions;
	struct edl_overlay *overlay;
	size_t noverlay;
	double thumbnail_at;		/* seconds; < 0: a third in */
	char *thumbnail_title;		/* NULL: the title */
	struct cJSON *meta;		/* passed to the production, owned */
	char hash[65];			/* sha256 of the document as read */
};

/*
 * edl_parse() - check doc (an agency.edl read from file; base is the
 * folder relative paths are taken from) and fill *out.  Media files are
 * opened and probed, so a missing or unreadable one is caught here.
 */
int edl_parse(struct agency *ag, const struct cJSON *doc, const char *file,
    const char *base, struct edl *out);
void edl_release(struct edl *e);

/* Read an EDL document from path ("-": stdin) and parse it. */
int edl_read(struct agency *ag, const char *path, struct edl *out);

/* Whether name is a transition: "cut" or one of xfade's. */
int edl_transition_known(const char *name);

/* "#RRGGBB" (or "RRGGBB") into 0xRRGGBB; -1 if it is not a colour. */
int edl_color_parse(const char *s, uint32_t *out);

#endif
