/*
 * style.h - how a video looks and moves, as a YAML file: colours and
 * fonts, captions, transitions, pacing, motion, music and loudness.
 *
 * A style NAME is $XDG_CONFIG_HOME/agency/styles/NAME.yaml (the user's),
 * else the shipped share/styles/NAME.yaml; a name with a '/' is a path.
 * Every key is optional: what a file leaves out comes from the built-in
 * defaults (those of the shipped "minimal").  An unknown key is a
 * warning with the closest known key; a bad value is an error naming
 * file:line:column (AG_DATAERR), a missing style AG_NOINPUT.
 *
 * Ownership: struct style owns its strings until style_release().
 */
#ifndef AG_MEDIA_STYLE_H
#define AG_MEDIA_STYLE_H

#include <stdint.h>

struct agency;
struct cJSON;

#define STYLE_PALETTE 8

struct style {
	char *name, *description, *path;
	char *preset;
	uint32_t palette[STYLE_PALETTE];	/* background gradients */
	int npalette;
	uint32_t text, highlight;
	char *caption_font, *title_font;
	char *caption_style;		/* karaoke, pop, classic, none */
	double caption_size;		/* px at 1920 high; 0: auto */
	char *caption_position;
	int uppercase;			/* -1: as the caption style has it */
	int max_words;
	double outline, shadow;		/* px; < 0: the caption default */
	char *transition;		/* cut, or an xfade transition */
	double transition_duration;
	double lead, tail;		/* quiet around each scene's voice */
	double min_scene;		/* seconds */
	double zoom;			/* Ken Burns: the zoom reached */
	char *music_mood;
	double music_gain;		/* dB */
	double loudness;		/* LUFS */
};

int style_load(struct agency *ag, const char *name, struct style *out);
void style_release(struct style *s);
/* The styles found, user's first, as agency.style objects (new). */
int style_list(struct agency *ag, struct cJSON **out);

#endif
