/* gm.c - General MIDI program and drum kit names, and picking by name. */
#include <string.h>
#include <strings.h>

#include "agency.h"
#include "music/score.h"

const char *const gm_programs[128] = {
	"acoustic grand piano", "bright acoustic piano",
	"electric grand piano", "honky-tonk piano", "electric piano 1",
	"electric piano 2", "harpsichord", "clavinet", "celesta",
	"glockenspiel", "music box", "vibraphone", "marimba", "xylophone",
	"tubular bells", "dulcimer", "drawbar organ", "percussive organ",
	"rock organ", "church organ", "reed organ", "accordion",
	"harmonica", "tango accordion", "acoustic guitar (nylon)",
	"acoustic guitar (steel)", "electric guitar (jazz)",
	"electric guitar (clean)", "electric guitar (muted)",
	"overdriven guitar", "distortion guitar", "guitar harmonics",
	"acoustic bass", "electric bass (finger)", "electric bass (pick)",
	"fretless bass", "slap bass 1", "slap bass 2", "synth bass 1",
	"synth bass 2", "violin", "viola", "cello", "contrabass",
	"tremolo strings", "pizzicato strings", "orchestral harp", "timpani",
	"string ensemble 1", "string ensemble 2", "synth strings 1",
	"synth strings 2", "choir aahs", "voice oohs", "synth voice",
	"orchestra hit", "trumpet", "trombone", "tuba", "muted trumpet",
	"french horn", "brass section", "synth brass 1", "synth brass 2",
	"soprano sax", "alto sax", "tenor sax", "baritone sax", "oboe",
	"english horn", "bassoon", "clarinet", "piccolo", "flute",
	"recorder", "pan flute", "blown bottle", "shakuhachi", "whistle",
	"ocarina", "lead 1 (square)", "lead 2 (sawtooth)",
	"lead 3 (calliope)", "lead 4 (chiff)", "lead 5 (charang)",
	"lead 6 (voice)", "lead 7 (fifths)", "lead 8 (bass + lead)",
	"pad 1 (new age)", "pad 2 (warm)", "pad 3 (polysynth)",
	"pad 4 (choir)", "pad 5 (bowed)", "pad 6 (metallic)", "pad 7 (halo)",
	"pad 8 (sweep)", "fx 1 (rain)", "fx 2 (soundtrack)", "fx 3 (crystal)",
	"fx 4 (atmosphere)", "fx 5 (brightness)", "fx 6 (goblins)",
	"fx 7 (echoes)", "fx 8 (sci-fi)", "sitar", "banjo", "shamisen",
	"koto", "kalimba", "bagpipe", "fiddle", "shanai", "tinkle bell",
	"agogo", "steel drums", "woodblock", "taiko drum", "melodic tom",
	"synth drum", "reverse cymbal", "guitar fret noise", "breath noise",
	"seashore", "bird tweet", "telephone ring", "helicopter", "applause",
	"gunshot",
};

/* The GS drum kits, selected by program number in bank 128. */
static const struct {
	const char *name;
	int program;
} kits[] = {
	{ "standard", 0 }, { "room", 8 }, { "power", 16 },
	{ "electronic", 24 }, { "tr-808", 25 }, { "jazz", 32 },
	{ "brush", 40 }, { "orchestra", 48 },
};

int
gm_program(const char *name, size_t len)
{
	int i;

	for (i = 0; i < 128; i++)
		if (strlen(gm_programs[i]) == len &&
		    strncasecmp(gm_programs[i], name, len) == 0)
			return i;
	return -1;
}

int
gm_kit(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(kits) / sizeof(kits[0]); i++)
		if (strlen(kits[i].name) == len &&
		    strncasecmp(kits[i].name, name, len) == 0)
			return kits[i].program;
	return -1;
}

int
gm_item(const char *list, int n, char *buf, size_t len)
{
	const char *p = list, *e;

	if (list == NULL)
		return -1;
	for (;;) {
		for (e = p; *e != '\0' && *e != ','; e++)
			;
		if (n-- == 0) {
			if (e == p || (size_t)(e - p) >= len)
				return -1;
			memcpy(buf, p, (size_t)(e - p));
			buf[e - p] = '\0';
			return 0;
		}
		if (*e == '\0')
			return -1;
		p = e + 1;
	}
}

int
gm_count(const char *list)
{
	int n = 1;

	if (list == NULL || *list == '\0')
		return 0;
	for (; *list != '\0'; list++)
		n += *list == ',';
	return n;
}

int
gm_pick(const char *list, struct rng *r, int kit)
{
	char name[64];
	int n = gm_count(list);

	if (n == 0)
		return -1;
	if (gm_item(list, rng_below(r, n), name, sizeof(name)) == -1)
		return -1;
	return kit ? gm_kit(name, strlen(name)) :
	    gm_program(name, strlen(name));
}
