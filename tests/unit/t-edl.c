/*
 * t-edl - the EDL parser: its defaults, the timeline it builds (gaps
 * filled with black), paths taken from the EDL's folder, and every
 * error it can give, each naming the file and the JSON path.
 */
#include <math.h>

#include "tap.h"
#include "media/edl.h"

static const char *dir;
static struct agency ag;

static int
make(const char *name, const char *args)
{
	return tap_ffmpeg(dir, name, args);
}

static int
parse(const char *json, struct edl *e)
{
	cJSON *doc = cJSON_Parse(json);
	int rc;

	if (doc == NULL) {
		printf("# not JSON: %s\n", json);
		return -1;
	}
	ag_clear_error(&ag);
	rc = edl_parse(&ag, doc, "t.edl", dir, e);
	cJSON_Delete(doc);
	return rc;
}

/* json is refused with exactly the message want (the file's name, the
 * JSON path, why). */
static void
refused(const char *json, const char *want)
{
	struct edl e;
	int rc = parse(json, &e);

	if (rc == AG_OK)
		edl_release(&e);
	if (!ok(rc == AG_DATAERR && strcmp(ag.err, want) == 0, "refused: %s",
	    want))
		printf("#   status %d, message '%s'\n#   for %s\n", rc, ag.err,
		    json);
}

#define HEAD "\"kind\": \"agency.edl\", \"version\": 1, "
#define BLACK "\"source\": {\"color\": \"#000000\"}"
/* An EDL of one black second and then whatever follows. */
#define ONE(rest) "{" HEAD "\"video\": [{\"start\": 0, \"end\": 1, " \
	BLACK "}]" rest "}"
/* One segment with these members, at 0 to 2. */
#define SEG(members) "{" HEAD "\"video\": [{\"start\": 0, \"end\": 2, " \
	members "}]}"
/* A black second, then a segment from 1 to 2 with these members. */
#define SEG2(members) "{" HEAD "\"video\": [{\"start\": 0, \"end\": 1, " \
	BLACK "}, {\"start\": 1, \"end\": 2, " members "}]}"

static void
defaults(void)
{
	struct edl e;
	char *abs = realpath(dir, NULL), want[600];

	is_int(parse(ONE(""), &e), AG_OK, "a one-segment EDL");
	is_str(e.preset, "shorts", "the default preset is shorts");
	ok(e.width == 1080 && e.height == 1920 && e.fps == 30,
	    "1080x1920 at 30 fps (%dx%d %d)", e.width, e.height, e.fps);
	is_str(e.quality, "normal", "quality normal");
	ok(e.loudness == -14 && e.true_peak == -1.5, "-14 LUFS, -1.5 dBTP");
	ok(e.duration == 1, "as long as its segments (%g)", e.duration);
	is_int(e.nseg, 1, "one segment");
	is_int(e.seg[0].kind, SRC_COLOR, "a colour");
	is_int(e.seg[0].fit, FIT_COVER, "fit cover");
	ok(e.seg[0].focus_x == 0.5 && e.seg[0].focus_y == 0.5, "focus centre");
	is_str(e.seg[0].transition, "cut", "entered by a cut");
	ok(e.seg[0].tduration == 0, "of no length");
	ok(!e.seg[0].motion.on, "no motion");
	ok(e.voice.path == NULL && e.music.path == NULL, "no sound");
	is_int(e.duck, 1, "music would duck");
	is_str(e.captions.style, "karaoke", "captions karaoke");
	is_str(e.captions.font, "DejaVu Sans", "in DejaVu Sans");
	is_str(e.captions.position, "bottom", "at the bottom");
	ok(e.captions.color == 0xFFFFFF && e.captions.highlight == 0xFFE000,
	    "white, lit yellow");
	ok(e.captions.outline < 0 && e.captions.shadow < 0 &&
	    e.captions.size == 0 && e.captions.max_words == 0,
	    "outline, shadow, size and words per page: the style's");
	is_int(e.captions.uppercase, -1, "upper case: the style's");
	is_int(e.captions.words.n, 0, "no words");
	is_int(e.noverlay, 0, "no overlays");
	ok(e.thumbnail_at < 0, "the thumbnail a third in");
	ok(e.title == NULL && e.thumbnail_title == NULL && e.meta == NULL,
	    "no title, no meta");
	ok(strlen(e.hash) == 64, "a sha256 of the document");
	is_str(e.file, "t.edl", "it knows its file");
	edl_release(&e);

	is_int(parse("{" HEAD "\"output\": {\"preset\": \"x\"}, \"video\": "
	    "[{\"start\": 0, \"end\": 1, " BLACK "}]}", &e), AG_OK,
	    "preset x");
	ok(e.width == 720 && e.height == 1280 && e.fps == 30,
	    "is 720x1280 at 30 (%dx%d %d)", e.width, e.height, e.fps);
	edl_release(&e);
	is_int(parse("{" HEAD "\"output\": {\"preset\": \"youtube\", "
	    "\"width\": 640, \"fps\": 25, \"quality\": \"draft\", "
	    "\"loudness\": -16, \"true_peak\": -2}, \"video\": [{\"start\": "
	    "0, \"end\": 1, " BLACK "}]}", &e), AG_OK, "a preset, overridden");
	ok(e.width == 640 && e.height == 1080 && e.fps == 25,
	    "its height, the given width and rate (%dx%d %d)", e.width,
	    e.height, e.fps);
	ok(strcmp(e.quality, "draft") == 0 && e.loudness == -16 &&
	    e.true_peak == -2, "quality and loudness as given");
	edl_release(&e);

	/* Motion and transition defaults. */
	is_int(parse("{" HEAD "\"video\": [{\"start\": 0, \"end\": 1, "
	    "\"source\": {\"gradient\": [\"#FF0000\", \"0000ff\"]}, "
	    "\"motion\": {}, \"transition\": {\"kind\": \"fade\"}}, "
	    "{\"start\": 1, \"end\": 2, \"source\": {\"image\": \"pic.png\"}, "
	    "\"motion\": {\"kind\": \"none\"}, \"fit\": \"contain\", "
	    "\"focus\": {\"x\": 0.2}, \"transition\": {\"kind\": \"wipeleft\", "
	    "\"duration\": 0}}]}", &e), AG_OK, "motion and transitions");
	ok(e.seg[0].kind == SRC_GRADIENT && e.seg[0].color[0] == 0xFF0000 &&
	    e.seg[0].color[1] == 0x0000FF && e.seg[0].angle == 0,
	    "a gradient, with or without '#', at 0 degrees");
	ok(e.seg[0].motion.on && e.seg[0].motion.zoom[0] == 1 &&
	    e.seg[0].motion.zoom[1] == 1.15 && e.seg[0].motion.x[0] == 0.5 &&
	    e.seg[0].motion.y[1] == 0.5, "motion {} is Ken Burns 1 to 1.15 "
	    "about the centre");
	ok(strcmp(e.seg[0].transition, "fade") == 0 &&
	    e.seg[0].tduration == 0.5, "a transition lasts 0.5 s unless told");
	ok(!e.seg[1].motion.on, "motion none is none");
	ok(e.seg[1].fit == FIT_CONTAIN && e.seg[1].focus_x == 0.2 &&
	    e.seg[1].focus_y == 0.5, "contain, focus x given, y centred");
	ok(strcmp(e.seg[1].transition, "cut") == 0 && e.seg[1].tduration == 0,
	    "a transition of 0 s is a cut");
	edl_release(&e);

	/* Relative paths from the EDL's folder, made absolute. */
	is_int(parse(ONE(", \"audio\": {\"voice\": {\"path\": \"tone.wav\", "
	    "\"start\": 0.5}, \"music\": {\"path\": \"clip.mp4\", \"gain\": -9, "
	    "\"duck\": false}}"), &e), AG_OK, "voice and music");
	snprintf(want, sizeof(want), "%s/tone.wav", abs);
	is_str(e.voice.path, want, "a relative path is taken from the EDL's "
	    "folder, and made absolute");
	ok(e.voice.start == 0.5 && e.voice.gain == 0, "voice at 0.5 s, 0 dB");
	snprintf(want, sizeof(want), "%s/clip.mp4", abs);
	is_str(e.music.path, want, "a clip's sound can be the music");
	ok(e.music.gain == -9 && e.duck == 0, "at -9 dB, not ducking");
	edl_release(&e);
	snprintf(want, sizeof(want), ONE(", \"audio\": {\"voice\": {\"path\": "
	    "\"%s/tone.wav\"}}"), abs);
	is_int(parse(want, &e), AG_OK, "an absolute path");
	ok(e.voice.path != NULL && strncmp(e.voice.path, abs, strlen(abs)) ==
	    0, "is kept (%s)", e.voice.path);
	edl_release(&e);
	free(abs);

	/* Captions, overlays, thumbnail, meta. */
	is_int(parse(ONE(", \"title\": \"T\", \"captions\": {\"style\": \"pop\","
	    " \"font\": \"DejaVu Serif\", \"size\": 40, \"color\": \"#00FF00\", "
	    "\"highlight\": \"#FF00FF\", \"outline\": 2, \"shadow\": 0, "
	    "\"position\": \"top\", \"uppercase\": false, \"max_words\": 2, "
	    "\"words\": [{\"text\": \"hi\", \"start\": 0.1, \"end\": 0.3}, "
	    "{\"text\": \"there\", \"start\": 0.3, \"end\": 0.6, \"scene\": 1}]}, "
	    "\"overlays\": [{\"text\": \"A\", \"start\": 0, \"end\": 1}, "
	    "{\"text\": \"B\", \"start\": 0, \"end\": 0.5, \"role\": \"title\"}],"
	    " \"thumbnail\": {\"at\": 0.5, \"title\": \"Th\"}, "
	    "\"meta\": {\"x\": [1]}"), &e), AG_OK, "captions and the rest");
	ok(strcmp(e.captions.style, "pop") == 0 &&
	    strcmp(e.captions.font, "DejaVu Serif") == 0 &&
	    e.captions.size == 40 && e.captions.color == 0x00FF00 &&
	    e.captions.highlight == 0xFF00FF && e.captions.outline == 2 &&
	    e.captions.shadow == 0 && strcmp(e.captions.position, "top") == 0 &&
	    e.captions.max_words == 2, "every caption setting as given");
	is_int(e.captions.uppercase, 0, "uppercase false is false");
	is_int(e.captions.words.n, 2, "two words");
	ok(strcmp(e.captions.words.v[1].text, "there") == 0 &&
	    e.captions.words.v[1].start == 0.3 &&
	    e.captions.words.v[1].scene == 1, "with their times and scenes");
	ok(strcmp(e.overlay[0].role, "text") == 0 &&
	    strcmp(e.overlay[0].position, "top") == 0,
	    "an overlay is a label at the top unless told");
	ok(strcmp(e.overlay[1].role, "title") == 0 &&
	    strcmp(e.overlay[1].position, "middle") == 0,
	    "a title is in the middle unless told");
	ok(e.thumbnail_at == 0.5 && strcmp(e.thumbnail_title, "Th") == 0 &&
	    strcmp(e.title, "T") == 0, "title and thumbnail");
	ok(e.meta != NULL && cJSON_GetArraySize(cJSON_GetObjectItem(e.meta,
	    "x")) == 1, "meta is kept as it is");
	edl_release(&e);
}

static void
timeline(void)
{
	struct edl e;

	is_int(parse("{" HEAD "\"video\": [{\"start\": 1, \"end\": 2, " BLACK
	    "}, {\"start\": 2.5, \"end\": 3, \"source\": {\"color\": "
	    "\"#FFFFFF\"}, \"transition\": {\"kind\": \"fade\", \"duration\": "
	    "0.4}}], \"duration\": 4}", &e), AG_OK,
	    "gaps before, between and after the segments");
	is_int(e.nseg, 5, "five segments: three of them gaps");
	ok(e.seg[0].start == 0 && e.seg[0].end == 1 &&
	    e.seg[0].kind == SRC_COLOR && e.seg[0].color[0] == 0 &&
	    e.seg[2].start == 2 && e.seg[2].end == 2.5 &&
	    e.seg[2].color[0] == 0 && e.seg[4].start == 3 &&
	    e.seg[4].end == 4 && e.seg[4].color[0] == 0,
	    "each gap is black, from the end before to the start after");
	ok(strcmp(e.seg[0].transition, "cut") == 0 &&
	    strcmp(e.seg[2].transition, "cut") == 0, "gaps are cut to");
	ok(strcmp(e.seg[3].transition, "fade") == 0 &&
	    e.seg[3].color[0] == 0xFFFFFF, "a segment after a gap fades in "
	    "from it");
	ok(e.duration == 4, "the duration given (%g)", e.duration);
	edl_release(&e);
	is_int(parse("{" HEAD "\"video\": [{\"start\": 0.5, \"end\": 1, "
	    BLACK ", \"transition\": {\"kind\": \"wipeleft\", "
	    "\"duration\": 0.2}}]}", &e), AG_OK, "a first segment after a "
	    "gap may wipe in (from black)");
	edl_release(&e);
	is_int(parse("{" HEAD "\"video\": [{\"start\": 0, \"end\": 1, " BLACK
	    "}, {\"start\": 1, \"end\": 2, " BLACK "}], \"duration\": 2}", &e),
	    AG_OK, "a duration equal to the end");
	is_int(e.nseg, 2, "adds no gap");
	edl_release(&e);
	is_int(parse("{" HEAD "\"video\": [{\"start\": 0, \"end\": 1, " BLACK
	    ", \"transition\": {\"kind\": \"fadeblack\"}}, {\"start\": 1, "
	    "\"end\": 2, " BLACK ", \"transition\": {\"kind\": \"dissolve\", "
	    "\"duration\": 1}}]}", &e), AG_OK, "fadeblack in; a transition as "
	    "long as both segments");
	edl_release(&e);
}

static void
errors(void)
{
	char want[600];

	/* The document. */
	refused("[1]", "t.edl: $: expected an object (a document with "
	    "\"kind\" and \"version\")");
	refused("{\"kind\": \"agency.script\", \"version\": 1}",
	    "t.edl: $.kind: expected agency.edl, found 'agency.script'");
	refused("{" HEAD "\"video\": [], \"titel\": 1}",
	    "t.edl: $.titel: unknown member (did you mean 'title'?)");
	refused("{" HEAD "\"wibble\": 1}", "t.edl: $.wibble: unknown member");
	refused("{" HEAD "\"title\": 1}", "t.edl: $.title: expected a string");
	/* Output. */
	refused("{" HEAD "\"output\": [], \"video\": []}",
	    "t.edl: $.output: expected an object");
	refused("{" HEAD "\"output\": {\"preset\": \"imax\"}}",
	    "t.edl: $.output.preset: unknown preset 'imax' (expected one of "
	    "shorts, tiktok, reels, youtube, square, portrait, x)");
	refused("{" HEAD "\"output\": {\"quality\": \"best\"}}",
	    "t.edl: $.output.quality: 'best' is not one of draft|normal|high");
	refused("{" HEAD "\"output\": {\"width\": 8}}",
	    "t.edl: $.output.width: 8 is out of range (16 to 4096)");
	refused("{" HEAD "\"output\": {\"fps\": 29.97}}",
	    "t.edl: $.output.fps: expected a whole number");
	refused("{" HEAD "\"output\": {\"height\": 1081}, \"video\": [{"
	    "\"start\": 0, \"end\": 1, " BLACK "}]}",
	    "t.edl: $.output.height: must be even (4:2:0 video)");
	refused("{" HEAD "\"output\": {\"loudness\": 0}}",
	    "t.edl: $.output.loudness: 0 is out of range (-40 to -5)");
	refused("{" HEAD "\"output\": {\"true_peak\": 1}}",
	    "t.edl: $.output.true_peak: 1 is out of range (-9 to 0)");
	refused("{" HEAD "\"output\": {\"widht\": 640}}",
	    "t.edl: $.output.widht: unknown member (did you mean 'width'?)");
	/* The video track. */
	refused("{" HEAD "\"title\": \"x\"}",
	    "t.edl: $.video: missing, expected an array");
	refused("{" HEAD "\"video\": []}", "t.edl: $.video: no segments");
	refused("{" HEAD "\"video\": [1]}",
	    "t.edl: $.video[0]: expected an object");
	refused("{" HEAD "\"video\": [{\"end\": 1, " BLACK "}]}",
	    "t.edl: $.video[0].start: missing, expected a number");
	refused("{" HEAD "\"video\": [{\"start\": 0, \"end\": 1}]}",
	    "t.edl: $.video[0].source: missing, expected an object");
	refused("{" HEAD "\"video\": [{\"start\": 0, \"end\": 1e9, " BLACK "}]}",
	    "t.edl: $.video[0].end: 1e+09 is out of range (0 to 14400)");
	refused("{" HEAD "\"video\": [{\"start\": 1, \"end\": 1, " BLACK "}]}",
	    "t.edl: $.video[0].end: 1 is not after the start (1)");
	refused("{" HEAD "\"video\": [{\"start\": 0, \"end\": 2, " BLACK "}, "
	    "{\"start\": 1, \"end\": 3, " BLACK "}]}",
	    "t.edl: $.video[1].start: 1 overlaps the segment before, which "
	    "ends at 2");
	refused(SEG("\"source\": {}"), "t.edl: $.video[0].source: expected "
	    "exactly one of image, video, color or gradient");
	refused(SEG("\"source\": {\"color\": \"#000000\", \"image\": "
	    "\"pic.png\"}"), "t.edl: $.video[0].source: expected exactly one "
	    "of image, video, color or gradient");
	refused(SEG("\"source\": {\"colour\": \"#000000\"}"),
	    "t.edl: $.video[0].source.colour: unknown member (did you mean "
	    "'color'?)");
	refused(SEG("\"source\": {\"color\": \"black\"}"),
	    "t.edl: $.video[0].source.color: 'black' is not a colour "
	    "(#RRGGBB)");
	refused(SEG("\"source\": {\"color\": \"#00000\"}"),
	    "t.edl: $.video[0].source.color: '#00000' is not a colour "
	    "(#RRGGBB)");
	refused(SEG("\"source\": {\"gradient\": [\"#000000\"]}"),
	    "t.edl: $.video[0].source.gradient: expected two colours");
	refused(SEG("\"source\": {\"gradient\": [\"#000000\", 3]}"),
	    "t.edl: $.video[0].source.gradient[1]: expected a colour "
	    "(#RRGGBB)");
	refused(SEG("\"source\": {\"gradient\": \"#000000\"}"),
	    "t.edl: $.video[0].source.gradient: expected an array");
	refused(SEG("\"source\": {\"gradient\": [\"#000000\", \"#FFFFFF\"], "
	    "\"angle\": 400}"), "t.edl: $.video[0].source.angle: 400 is out "
	    "of range (-360 to 360)");
	refused(SEG("\"source\": {\"image\": \"\"}"),
	    "t.edl: $.video[0].source.image: an empty path");
	snprintf(want, sizeof(want), "t.edl: $.video[0].source.image: cannot "
	    "read '%s/nope.png': No such file or directory", dir);
	refused(SEG("\"source\": {\"image\": \"nope.png\"}"), want);
	refused(SEG("\"source\": {\"image\": \"clip.mp4\"}"),
	    "t.edl: $.video[0].source.image: 'clip.mp4' is video, not an "
	    "image");
	refused(SEG("\"source\": {\"video\": \"pic.png\"}"),
	    "t.edl: $.video[0].source.video: 'pic.png' is image, not a video");
	refused(SEG("\"source\": {\"video\": \"tone.wav\"}"),
	    "t.edl: $.video[0].source.video: 'tone.wav' is audio, not a video");
	refused(SEG("\"source\": {\"video\": \"clip.mp4\", \"in\": 5}"),
	    "t.edl: $.video[0].source.in: 5 is past the clip's end (2.000 s)");
	refused(SEG("\"source\": {\"video\": \"clip.mp4\", \"in\": -1}"),
	    "t.edl: $.video[0].source.in: -1 is out of range (0 to 14400)");
	refused(SEG("\"source\": {\"image\": \"pic.png\", \"in\": 1}"),
	    "t.edl: $.video[0].source.in: 'in' applies to video sources");
	refused(SEG(BLACK ", \"fit\": \"fill\""),
	    "t.edl: $.video[0].fit: 'fill' is not one of cover|contain");
	refused(SEG(BLACK ", \"focus\": {\"x\": 2}"),
	    "t.edl: $.video[0].focus.x: 2 is out of range (0 to 1)");
	refused(SEG(BLACK ", \"focus\": {\"where\": 0}"),
	    "t.edl: $.video[0].focus.where: unknown member");
	/* Motion. */
	refused(SEG(BLACK ", \"motion\": {\"zoom\": [1, 1.2]}"),
	    "t.edl: $.video[0].motion: Ken Burns motion applies to images "
	    "and gradients");
	refused(SEG("\"source\": {\"video\": \"clip.mp4\"}, \"motion\": {}"),
	    "t.edl: $.video[0].motion: Ken Burns motion applies to images "
	    "and gradients");
	refused(SEG("\"source\": {\"image\": \"pic.png\"}, \"motion\": "
	    "{\"kind\": \"spin\"}"), "t.edl: $.video[0].motion.kind: 'spin' "
	    "is not one of kenburns|none");
	refused(SEG("\"source\": {\"image\": \"pic.png\"}, \"motion\": "
	    "{\"zoom\": 1.2}"), "t.edl: $.video[0].motion.zoom: expected an "
	    "array");
	refused(SEG("\"source\": {\"image\": \"pic.png\"}, \"motion\": "
	    "{\"zoom\": [1, 1.1, 1.2]}"), "t.edl: $.video[0].motion.zoom: "
	    "expected [from, to]");
	refused(SEG("\"source\": {\"image\": \"pic.png\"}, \"motion\": "
	    "{\"zoom\": [1, 5]}"), "t.edl: $.video[0].motion.zoom[1]: "
	    "expected a number from 1 to 4");
	refused(SEG("\"source\": {\"image\": \"pic.png\"}, \"motion\": "
	    "{\"x\": [0.5, \"1\"]}"), "t.edl: $.video[0].motion.x[1]: "
	    "expected a number from 0 to 1");
	refused(SEG("\"source\": {\"image\": \"pic.png\"}, \"motion\": "
	    "{\"zooom\": [1, 2]}"), "t.edl: $.video[0].motion.zooom: unknown "
	    "member (did you mean 'zoom'?)");
	/* Transitions. */
	refused(SEG2(BLACK ", \"transition\": {\"kind\": \"swirl\"}"),
	    "t.edl: $.video[1].transition.kind: unknown transition 'swirl' "
	    "(cut, or one of xfade's: fade, dissolve, wipeleft, slideup, "
	    "circleopen, ...)");
	refused(SEG2(BLACK ", \"transition\": {\"kind\": \"custom\"}"),
	    "t.edl: $.video[1].transition.kind: unknown transition 'custom' "
	    "(cut, or one of xfade's: fade, dissolve, wipeleft, slideup, "
	    "circleopen, ...)");
	refused(SEG2(BLACK ", \"transition\": {\"duration\": 1}"),
	    "t.edl: $.video[1].transition.kind: missing, expected a string");
	refused(SEG2(BLACK ", \"transition\": \"fade\""),
	    "t.edl: $.video[1].transition: expected an object");
	refused(SEG2(BLACK ", \"transition\": {\"kind\": \"fade\", "
	    "\"duration\": 11}"), "t.edl: $.video[1].transition.duration: 11 "
	    "is out of range (0 to 10)");
	refused(SEG2(BLACK ", \"transition\": {\"kind\": \"fade\", "
	    "\"duration\": 1.5}"), "t.edl: $.video[1].transition: 1.5 s is "
	    "longer than a segment it joins");
	refused("{" HEAD "\"video\": [{\"start\": 0, \"end\": 3, " BLACK "}, "
	    "{\"start\": 3, \"end\": 3.5, " BLACK ", \"transition\": "
	    "{\"kind\": \"fade\", \"duration\": 0.6}}]}",
	    "t.edl: $.video[1].transition: 0.6 s is longer than a segment it "
	    "joins");
	refused(SEG(BLACK ", \"transition\": {\"kind\": \"slideup\"}"),
	    "t.edl: $.video[0].transition: the first segment can only fade in "
	    "from black (fade or fadeblack), not 'slideup'");
	refused(SEG(BLACK ", \"transition\": {\"kind\": \"fade\", "
	    "\"length\": 1}"), "t.edl: $.video[0].transition.length: unknown "
	    "member");
	/* The timeline as a whole. */
	refused(ONE(", \"duration\": 0.5"),
	    "t.edl: $.duration: 0.5 is before the last segment ends (1)");
	refused("{" HEAD "\"output\": {\"fps\": 10}, \"video\": [{\"start\": "
	    "0, \"end\": 0.05, " BLACK "}]}",
	    "t.edl: $.video: shorter than one frame");
	/* Audio. */
	refused(ONE(", \"audio\": {\"voice\": {}}"),
	    "t.edl: $.audio.voice.path: missing, expected a string");
	refused(ONE(", \"audio\": {\"voice\": {\"path\": \"pic.png\"}}"),
	    "t.edl: $.audio.voice.path: 'pic.png' has no audio");
	refused(ONE(", \"audio\": {\"voice\": {\"path\": \"tone.wav\", "
	    "\"duck\": true}}"),
	    "t.edl: $.audio.voice.duck: ducking applies to the music");
	refused(ONE(", \"audio\": {\"music\": {\"path\": \"tone.wav\", "
	    "\"duck\": 1}}"), "t.edl: $.audio.music.duck: expected true or "
	    "false");
	refused(ONE(", \"audio\": {\"music\": {\"path\": \"tone.wav\", "
	    "\"gain\": 30}}"), "t.edl: $.audio.music.gain: 30 is out of range "
	    "(-60 to 24)");
	refused(ONE(", \"audio\": {\"sfx\": {}}"),
	    "t.edl: $.audio.sfx: unknown member");
	/* Captions. */
	refused(ONE(", \"captions\": {\"style\": \"loud\"}"),
	    "t.edl: $.captions.style: 'loud' is not one of "
	    "karaoke|pop|classic|none");
	refused(ONE(", \"captions\": {\"style\": \"\"}"),
	    "t.edl: $.captions.style: '' is not one of "
	    "karaoke|pop|classic|none");
	refused(ONE(", \"captions\": {\"style\": \"kara\"}"),
	    "t.edl: $.captions.style: 'kara' is not one of "
	    "karaoke|pop|classic|none");
	refused(ONE(", \"captions\": {\"highlight\": \"yellow\"}"),
	    "t.edl: $.captions.highlight: 'yellow' is not a colour (#RRGGBB)");
	refused(ONE(", \"captions\": {\"max_words\": 13}"),
	    "t.edl: $.captions.max_words: 13 is out of range (0 to 12)");
	refused(ONE(", \"captions\": {\"uppercase\": \"yes\"}"),
	    "t.edl: $.captions.uppercase: expected true or false");
	refused(ONE(", \"captions\": {\"words\": [\"hi\"]}"),
	    "t.edl: $.captions.words[0]: expected an object");
	refused(ONE(", \"captions\": {\"words\": [{\"text\": \"a\", \"start\": "
	    "0.5}]}"), "t.edl: $.captions.words[0].end: missing, expected a "
	    "number");
	refused(ONE(", \"captions\": {\"words\": [{\"start\": 0, \"end\": 1}]}"),
	    "t.edl: $.captions.words[0].text: missing, expected a string");
	refused(ONE(", \"captions\": {\"words\": [{\"text\": \"a\", \"start\": "
	    "0.5, \"end\": 0.2}]}"), "t.edl: $.captions.words[0].end: 0.2 is "
	    "before the start (0.5)");
	refused(ONE(", \"captions\": {\"words\": [{\"text\": \"a\", \"start\": "
	    "0.5, \"end\": 0.6}, {\"text\": \"b\", \"start\": 0.4, \"end\": "
	    "0.6}]}"), "t.edl: $.captions.words[1].start: 0.4 is before the "
	    "word before it (0.5)");
	refused(ONE(", \"captions\": {\"words\": [{\"text\": \"a\", \"start\": "
	    "0, \"end\": 1, \"scene\": -1}]}"),
	    "t.edl: $.captions.words[0].scene: -1 is out of range (0 to "
	    "2147483647)");
	refused(ONE(", \"captions\": {\"words\": [{\"text\": \"a\", \"start\": "
	    "0, \"end\": 1, \"speaker\": 1}]}"),
	    "t.edl: $.captions.words[0].speaker: unknown member");
	/* Overlays and the thumbnail. */
	refused(ONE(", \"overlays\": {}"), "t.edl: $.overlays: expected an "
	    "array");
	refused(ONE(", \"overlays\": [3]"), "t.edl: $.overlays[0]: expected "
	    "an object");
	refused(ONE(", \"overlays\": [{\"start\": 0, \"end\": 1}]"),
	    "t.edl: $.overlays[0].text: missing, expected a string");
	refused(ONE(", \"overlays\": [{\"text\": \"a\", \"start\": 0, \"end\": "
	    "1, \"role\": \"hook\"}]"), "t.edl: $.overlays[0].role: 'hook' is "
	    "not one of title|text");
	refused(ONE(", \"overlays\": [{\"text\": \"a\", \"start\": 0, \"end\": "
	    "1, \"position\": \"left\"}]"), "t.edl: $.overlays[0].position: "
	    "'left' is not one of top|middle|bottom");
	refused(ONE(", \"overlays\": [{\"text\": \"a\", \"start\": 1, \"end\": "
	    "0}]"), "t.edl: $.overlays[0].end: 0 is before the start (1)");
	refused(ONE(", \"thumbnail\": {\"at\": -1}"),
	    "t.edl: $.thumbnail.at: -1 is out of range (0 to 14400)");
	refused(ONE(", \"thumbnail\": {\"when\": 1}"),
	    "t.edl: $.thumbnail.when: unknown member");
	refused(ONE(", \"meta\": 1"), "t.edl: $.meta: expected an object");
}

int
main(void)
{
	uint32_t c;
	struct edl e;

	dir = tap_tmpdir();
	tap_agency(&ag, "t-edl");
	ok(make("pic.png", "-f lavfi -i testsrc2=s=64x48 -frames:v 1") == 0 &&
	    make("clip.mp4", "-f lavfi -i testsrc2=s=64x48:r=25:d=2 -f lavfi "
	    "-i sine=d=2 -c:v libx264 -preset ultrafast -pix_fmt yuv420p "
	    "-c:a aac -shortest") == 0 &&
	    make("tone.wav", "-f lavfi -i sine=d=1") == 0, "made the media");

	ok(edl_color_parse("#A0b1C2", &c) == 0 && c == 0xA0B1C2,
	    "colours: #RRGGBB, either case");
	ok(edl_color_parse("a0b1c2", &c) == 0 && c == 0xA0B1C2, "or no '#'");
	ok(edl_color_parse("#a0b1c", &c) == -1 &&
	    edl_color_parse("#a0b1c2d", &c) == -1 &&
	    edl_color_parse("#g0b1c2", &c) == -1 &&
	    edl_color_parse(" a0b1c2", &c) == -1 &&
	    edl_color_parse(NULL, &c) == -1, "and nothing else");
	ok(edl_transition_known("cut") && edl_transition_known("fade") &&
	    edl_transition_known("wipeleft") && edl_transition_known("slideup") &&
	    edl_transition_known("dissolve") && !edl_transition_known("custom") &&
	    !edl_transition_known("swirl") && !edl_transition_known(""),
	    "transitions: cut and xfade's own, not 'custom'");

	defaults();
	timeline();
	errors();

	/* edl_read: paths from the file's own folder, not the current one. */
	{
		static const char doc[] = "{" HEAD "\"video\": [{\"start\": 0, "
		    "\"end\": 1, \"source\": {\"image\": \"p.png\"}}]}";
		char path[512], want[600], *abs;

		snprintf(path, sizeof(path), "%s/sub", dir);
		ok(ag_mkdirs(&ag, path, 0700) == AG_OK &&
		    make("sub/p.png", "-f lavfi -i testsrc2=s=64x48 -frames:v 1")
		    == 0, "a folder with a picture");
		snprintf(path, sizeof(path), "%s/sub/x.edl", dir);
		ag_write_file(&ag, path, doc, strlen(doc), 0644);
		is_int(edl_read(&ag, path, &e), AG_OK, "an EDL file there");
		abs = realpath(dir, NULL);
		snprintf(want, sizeof(want), "%s/sub/p.png", abs);
		free(abs);
		is_str(e.seg[0].path, want, "finds the picture beside it");
		is_str(e.file, path, "and names itself as it was given");
		edl_release(&e);
		is_int(edl_read(&ag, "/nonexistent/x.edl", &e), AG_NOINPUT,
		    "a missing EDL file is 66");
	}
	ag_release(&ag);
	return done_testing();
}
