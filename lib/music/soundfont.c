/*
 * soundfont.c - find the SoundFont to play with, and say which Debian
 * package to install when it is not there.
 *
 * A name without a '/' may be one of the short names below (the
 * General MIDI fonts Debian ships: timgm6mb, fluidr3, fluidr3mono,
 * default); anything else is a path.  The file
 * must be readable and a RIFF "sfbk" file (.sf2, or .sf3 with Ogg
 * samples): checking here turns FluidSynth's vague failure into a
 * message that says what to do.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "agency.h"
#include "music/score.h"

static const struct {
	const char *name;		/* short name */
	const char *path;
	const char *package;		/* Debian */
} fonts[] = {
	{ "timgm6mb", "/usr/share/sounds/sf2/TimGM6mb.sf2",
	    "timgm6mb-soundfont" },
	{ "fluidr3", "/usr/share/sounds/sf2/FluidR3_GM.sf2",
	    "fluid-soundfont-gm" },
	{ "fluidr3mono", "/usr/share/sounds/sf3/FluidR3Mono_GM.sf3",
	    "fluidr3mono-gm-soundfont" },
	/* Known by file name only, for the message. */
	{ NULL, "MuseScore_General_Lite.sf3",
	    "musescore-general-soundfont-small" },
	{ NULL, "MuseScore_General.sf3", "musescore-general-soundfont" },
	{ "default", "/usr/share/sounds/sf2/default-GM.sf2",
	    "timgm6mb-soundfont or fluid-soundfont-gm" },
};
#define NFONTS (sizeof(fonts) / sizeof(fonts[0]))

/* The package that provides path, by its file name. */
static const char *
package(const char *path)
{
	const char *base = strrchr(path, '/'), *b;
	size_t i;

	base = base ? base + 1 : path;
	for (i = 0; i < NFONTS; i++) {
		b = strrchr(fonts[i].path, '/');
		b = b ? b + 1 : fonts[i].path;
		if (strcmp(base, b) == 0)
			return fonts[i].package;
	}
	return NULL;
}

static int
missing(struct agency *ag, const char *path, const char *why)
{
	const char *pkg = package(path);

	if (pkg != NULL)
		return ag_fail(ag, AG_CONFIG, "soundfont '%s': %s; install "
		    "the Debian package %s", path, why, pkg);
	return ag_fail(ag, AG_CONFIG, "soundfont '%s': %s; give a General "
	    "MIDI SoundFont with --soundfont or music.soundfont (Debian: "
	    "timgm6mb-soundfont, fluid-soundfont-gm)", path, why);
}

int
soundfont_resolve(struct agency *ag, const char *name, char **path)
{
	unsigned char head[12];
	const char *p = name;
	ssize_t n;
	size_t i;
	int fd;

	if (name == NULL || *name == '\0')
		p = MUSIC_SOUNDFONT;
	else if (strchr(name, '/') == NULL)
		for (i = 0; i < NFONTS; i++)
			if (fonts[i].name != NULL &&
			    strcmp(name, fonts[i].name) == 0)
				p = fonts[i].path;
	if ((fd = open(p, O_RDONLY | O_CLOEXEC)) == -1)
		return missing(ag, p, strerror(errno));
	n = read(fd, head, sizeof(head));
	close(fd);
	if (n == -1)
		return missing(ag, p, strerror(errno));
	if (n < 12 || memcmp(head, "RIFF", 4) != 0 ||
	    memcmp(head + 8, "sfbk", 4) != 0)
		return missing(ag, p, "not a SoundFont (.sf2 or .sf3)");
	*path = xstrdup(p);
	return AG_OK;
}
