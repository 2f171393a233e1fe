/* agency-produce - plan and render a finished video. */
#include <string.h>
#include <unistd.h>

#include "agency.h"
#include "media/media.h"
#include "media/preset.h"
#include "media/style.h"

static struct plan_args pa;
static struct render_args ra = { .subtitles = 1, .thumbnail = 1 };
static const char *output, *plan_out, *focus, *language, *engine;
static long long rate = -1;
static struct ag_strv config_media;	/* owned: from produce.media */

static int
focus_cb(struct agency *ag, const struct ag_option *o, const char *arg)
{
	static const struct { const char *name; double x, y; } names[] = {
		{ "center", 0.5, 0.5 }, { "centre", 0.5, 0.5 },
		{ "top", 0.5, 0.2 }, { "bottom", 0.5, 0.8 },
		{ "left", 0.2, 0.5 }, { "right", 0.8, 0.5 },
	};
	char *comma;
	size_t i;

	(void)o;
	focus = arg;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(arg, names[i].name) == 0) {
			pa.focus_x = names[i].x;
			pa.focus_y = names[i].y;
			pa.focus_set = 1;
			return AG_OK;
		}
	}
	if ((comma = strchr(arg, ',')) != NULL) {
		char x[32];

		snprintf(x, sizeof(x), "%.*s", (int)(comma - arg), arg);
		if (ag_parse_double(x, &pa.focus_x) == 0 &&
		    ag_parse_double(comma + 1, &pa.focus_y) == 0 &&
		    pa.focus_x >= 0 && pa.focus_x <= 1 && pa.focus_y >= 0 &&
		    pa.focus_y <= 1) {
			pa.focus_set = 1;
			return AG_OK;
		}
	}
	return ag_fail(ag, AG_USAGE, "'%s' is not a focus: center, top, "
	    "bottom, left, right, or X,Y from 0 to 1", arg);
}

static int
no_music_cb(struct agency *ag, const struct ag_option *o, const char *arg)
{
	(void)ag, (void)o, (void)arg;
	pa.no_music = 1;
	return AG_OK;
}

/* Each option once; the tables below list them in order. */
#define O_ASS AG_OPT_STRING(0, "ass-file", "file", &ra.ass_path, \
	"also write the burned-in captions and texts as ASS to file")
#define O_CAPTIONS AG_OPT_CHOICE(0, "captions", "karaoke|pop|classic|none", \
	&pa.captions, "karaoke,pop,classic,none", \
	"caption style (default: the style's)")
#define O_CONTACT AG_OPT_STRING(0, "contact-sheet", "file", \
	&ra.contact_sheet, "also write a grid of frames to file")
#define O_ENGINE AG_OPT_KEY(0, "engine", "espeak|flite", "produce.engine", \
	"text-to-speech engine (default espeak)")
#define O_FOCUS AG_OPT_CALLBACK(0, "focus", "where", focus_cb, \
	"crop around: center, top, bottom, left, right or X,Y")
#define O_LANGUAGE AG_OPT_STRING(0, "language", "tag", &language, \
	"language of the voice (default: the script's)")
#define O_MEDIA AG_OPT_LIST(0, "media", "dir", &pa.media, \
	"pictures and clips to choose from (repeatable)")
#define O_MUSIC AG_OPT_STRING(0, "music", "file", &pa.music, \
	"use this file as the music bed")
#define O_MOOD AG_OPT_STRING(0, "music-mood", "mood", &pa.music_mood, \
	"compose the bed in this mood (see agency-compose moods)")
#define O_NARRATION AG_OPT_STRING(0, "narration", "file", &pa.narration, \
	"a recorded voice instead of text-to-speech")
#define O_NO_MUSIC AG_OPT_CALLBACK(0, "no-music", NULL, no_music_cb, \
	"no music bed")
#define O_OUTPUT AG_OPT_STRING('o', "output", "file", &output, \
	"write the video to file (.mp4)")
#define O_PRESET AG_OPT_KEY(0, "preset", "name", "produce.preset", \
	"shorts, tiktok, reels, youtube, square, portrait, x")
#define O_QUALITY AG_OPT_KEY(0, "quality", "draft|normal|high", \
	"produce.quality", "x264 preset and CRF: ultrafast, veryfast, medium")
#define O_RATE AG_OPT_INT(0, "rate", "wpm", &rate, 0, VOICE_WPM_MAX, \
	"speaking rate in words per minute (0: the voice's)")
#define O_SOUNDFONT AG_OPT_KEY(0, "soundfont", "file", "music.soundfont", \
	"General MIDI SoundFont for the bed")
#define O_STYLE AG_OPT_KEY(0, "style", "name", "produce.style", \
	"cinematic, minimal, bold, a user style or a file")
#define O_SUBTITLES AG_OPT_BOOL(0, "subtitles", &ra.subtitles, \
	"write .srt and .vtt next to the video (default)")
#define O_THUMBNAIL AG_OPT_BOOL(0, "thumbnail", &ra.thumbnail, \
	"write a .jpg thumbnail next to the video (default)")
#define O_THUMBFILE AG_OPT_STRING(0, "thumbnail-file", "file", \
	&ra.thumbnail_path, "where to write the thumbnail (.jpg or .png)")
#define O_VOICE AG_OPT_KEY(0, "voice", "name", "produce.voice", \
	"voice (see agency-produce voices)")

static const struct ag_option produce_options[] = {
	O_ASS, O_CAPTIONS, O_CONTACT, O_ENGINE, O_FOCUS, O_LANGUAGE, O_MEDIA,
	O_MUSIC, O_MOOD, O_NARRATION, O_NO_MUSIC, O_OUTPUT,
	AG_OPT_STRING(0, "plan-out", "file", &plan_out,
	    "also write the edit decision list to file"),
	O_PRESET, O_QUALITY, O_RATE, O_SOUNDFONT, O_STYLE, O_SUBTITLES,
	O_THUMBNAIL, O_THUMBFILE, O_VOICE,
	AG_OPT_END
};
static const struct ag_option plan_options[] = {
	O_CAPTIONS, O_ENGINE, O_FOCUS, O_LANGUAGE, O_MEDIA, O_MUSIC, O_MOOD,
	O_NARRATION, O_NO_MUSIC,
	AG_OPT_STRING('o', "output", "file", &output,
	    "write the edit decision list to file, not stdout"),
	O_PRESET, O_RATE, O_SOUNDFONT, O_STYLE, O_VOICE,
	AG_OPT_END
};
static const struct ag_option render_options[] = {
	O_ASS, O_CONTACT, O_OUTPUT, O_QUALITY, O_SUBTITLES, O_THUMBNAIL, O_THUMBFILE,
	AG_OPT_END
};
static const struct ag_option transcode_options[] = {
	O_OUTPUT, O_PRESET, O_QUALITY,
	AG_OPT_END
};
static const struct ag_option voices_options[] = {
	AG_OPT_CHOICE(0, "engine", "espeak|flite", &engine, "espeak,flite",
	    "only this engine's voices"),
	AG_OPT_END
};
static const struct ag_option no_options[] = {
	AG_OPT_END
};

static const char *
nonempty(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

/* The plan's settings: flags over configuration over the style. */
static void
plan_settings(struct agency *ag)
{
	const char *media = config_str(ag, "produce.media"), *p, *q;

	pa.style = nonempty(config_str(ag, "produce.style"));
	pa.preset = nonempty(config_str(ag, "produce.preset"));
	pa.quality = nonempty(config_str(ag, "produce.quality"));
	pa.soundfont = nonempty(config_str(ag, "music.soundfont"));
	pa.voice.engine = nonempty(config_str(ag, "produce.engine"));
	pa.voice.voice = nonempty(config_str(ag, "produce.voice"));
	pa.voice.language = language;
	pa.voice.wpm = rate >= 0 ? (int)rate :
	    (int)config_int(ag, "produce.rate");
	/* Folders from the configuration come after those of --media. */
	for (p = media; p != NULL && *p != '\0'; p = *q ? q + 1 : q) {
		q = strchr(p, ':');
		q = q ? q : p + strlen(p);
		if (q > p) {
			char *d = xstrndup(p, (size_t)(q - p));

			ag_strv_push(&config_media, d);
			ag_strv_push(&pa.media, d);
		}
	}
}

/* An EDL's own quality stands unless --quality says otherwise. */
static void
render_settings(struct agency *ag)
{
	ra.quality = config_origin(ag, "produce.quality") == CFG_FROM_FLAG ?
	    nonempty(config_str(ag, "produce.quality")) : NULL;
	ra.output = output;
}

static int
read_script(struct agency *ag, const char *path, cJSON **doc)
{
	int rc;

	if ((rc = ag_doc_read(ag, path, "agency.script", doc)) != AG_OK)
		return rc;
	if ((rc = script_check(ag, ag_doc_name(path), *doc)) != AG_OK) {
		cJSON_Delete(*doc);
		*doc = NULL;
	}
	return rc;
}

static int
plan(struct agency *ag, int argc, char **argv)
{
	cJSON *script = NULL, *edl = NULL;
	int rc;

	argc = ag_parse_options(ag, argc, argv, plan_options,
	    "[options] [SCRIPT]");
	if (argc > 1)
		ag_usage_error(ag, "unexpected argument '%s'", argv[1]);
	plan_settings(ag);
	if ((rc = read_script(ag, argc ? argv[0] : "-", &script)) == AG_OK &&
	    (rc = media_plan(ag, script, &pa, &edl)) == AG_OK)
		rc = output ? ag_doc_write(ag, output, edl) : ag_emit(ag, edl);
	cJSON_Delete(edl);
	cJSON_Delete(script);
	return rc;
}

static int
render(struct agency *ag, int argc, char **argv)
{
	struct edl e;
	cJSON *doc = NULL;
	int rc;

	argc = ag_parse_options(ag, argc, argv, render_options,
	    "[options] [EDL] -o file");
	if (argc > 1)
		ag_usage_error(ag, "unexpected argument '%s'", argv[1]);
	if (output == NULL)
		ag_usage_error(ag, "no output: give -o FILE");
	render_settings(ag);
	if ((rc = edl_read(ag, argc ? argv[0] : "-", &e)) != AG_OK)
		return rc;
	rc = media_render(ag, &e, &ra, &doc);
	edl_release(&e);
	if (rc == AG_OK)
		rc = ag_emit(ag, doc);
	cJSON_Delete(doc);
	return rc;
}

static int
voices(struct agency *ag, int argc, char **argv)
{
	cJSON *list = NULL;
	int rc;

	argc = ag_parse_options(ag, argc, argv, voices_options,
	    "[--engine espeak|flite]");
	if (argc != 0)
		ag_usage_error(ag, "unexpected argument '%s'", argv[0]);
	if ((rc = voice_list(ag, engine, &list)) == AG_OK)
		rc = ag_emit_all(ag, list);
	cJSON_Delete(list);
	return rc;
}

static int
styles(struct agency *ag, int argc, char **argv)
{
	cJSON *list = NULL;
	int rc;

	argc = ag_parse_options(ag, argc, argv, no_options, "");
	if (argc != 0)
		ag_usage_error(ag, "unexpected argument '%s'", argv[0]);
	if ((rc = style_list(ag, &list)) == AG_OK)
		rc = ag_emit_all(ag, list);
	cJSON_Delete(list);
	return rc;
}

static int
presets(struct agency *ag, int argc, char **argv)
{
	const struct media_preset *p;
	cJSON *o;
	int i, rc = AG_OK;

	argc = ag_parse_options(ag, argc, argv, no_options, "");
	if (argc != 0)
		ag_usage_error(ag, "unexpected argument '%s'", argv[0]);
	for (i = 0; rc == AG_OK && (p = media_preset_at(i)) != NULL; i++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "preset", p->name);
		cJSON_AddNumberToObject(o, "width", p->width);
		cJSON_AddNumberToObject(o, "height", p->height);
		cJSON_AddNumberToObject(o, "fps", p->fps);
		cJSON_AddStringToObject(o, "for", p->summary);
		rc = ag_emit(ag, o);
		cJSON_Delete(o);
	}
	return rc;
}

static int
transcode(struct agency *ag, int argc, char **argv)
{
	const char *preset;
	cJSON *doc = NULL;
	int rc;

	argc = ag_parse_options(ag, argc, argv, transcode_options,
	    "[--preset name] [--quality q] VIDEO -o file");
	if (argc != 1)
		ag_usage_error(ag, argc ? "unexpected argument '%s'" :
		    "no video: give the file to transcode", argv[argc ? 1 : 0]);
	if (output == NULL)
		ag_usage_error(ag, "no output: give -o FILE");
	preset = nonempty(config_str(ag, "produce.preset"));
	rc = media_transcode(ag, argv[0], preset ? preset : "shorts", output,
	    config_origin(ag, "produce.quality") == CFG_FROM_FLAG ?
	    config_str(ag, "produce.quality") : NULL, &doc);
	if (rc == AG_OK)
		rc = ag_emit(ag, doc);
	cJSON_Delete(doc);
	return rc;
}

/* What media files hold (agency-probe(1) does the same, starting faster). */
static int
probe(struct agency *ag, int argc, char **argv)
{
	argc = ag_parse_options(ag, argc, argv, no_options, "FILE...");
	if (argc == 0)
		ag_usage_error(ag, "no file: give the media files to probe");
	return media_probe_print(ag, argv, argc);
}

static const struct ag_command commands[] = {
	{ "plan", plan, "plan a script into an edit decision list" },
	{ "presets", presets, "list the output presets" },
	{ "probe", probe, "say what media files hold" },
	{ "render", render, "render an edit decision list into a video" },
	{ "styles", styles, "list the styles" },
	{ "transcode", transcode, "make another rendition of a video" },
	{ "voices", voices, "list the text-to-speech voices" },
	{ NULL, NULL, NULL }
};

/* Script to video: plan, keep the EDL if asked, render. */
static int
produce(struct agency *ag, int argc, char **argv)
{
	cJSON *script = NULL, *edl_doc = NULL;
	struct edl e;
	int rc;

	argc = ag_parse_options(ag, argc, argv, produce_options,
	    "[options] [SCRIPT] -o file");
	if (argc > 1)
		ag_usage_error(ag, "unexpected argument '%s'", argv[1]);
	if (output == NULL)
		ag_usage_error(ag, "no output: give -o FILE");
	plan_settings(ag);
	render_settings(ag);
	ra.script = NULL;
	if ((rc = read_script(ag, argc ? argv[0] : "-", &script)) != AG_OK ||
	    (rc = media_plan(ag, script, &pa, &edl_doc)) != AG_OK)
		goto out;
	if (plan_out != NULL && (rc = ag_doc_write(ag, plan_out, edl_doc)) !=
	    AG_OK)
		goto out;
	if ((rc = edl_parse(ag, edl_doc, "<plan>", NULL, &e)) != AG_OK)
		goto out;
	ra.script = script;
	{
		cJSON *doc = NULL;

		rc = media_render(ag, &e, &ra, &doc);
		if (rc == AG_OK)
			rc = ag_emit(ag, doc);
		cJSON_Delete(doc);
	}
	edl_release(&e);
out:
	cJSON_Delete(edl_doc);
	cJSON_Delete(script);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct agency ag;
	size_t i;
	int rc;

	ag_init(&ag, argc, argv);
	rc = ag_run_main(&ag, argc, argv, commands, produce);
	for (i = 0; i < config_media.n; i++)
		free((char *)config_media.v[i]);
	ag_strv_release(&config_media);
	ag_strv_release(&pa.media);
	return ag_finish(&ag, rc);
}
