/*
 * moods.c - the moods, as data.
 *
 * A mood is a tempo range, the modes and chord progressions to draw
 * from, General MIDI instruments for each part (a part a mood leaves
 * NULL is not played), drum kits, grooves and fills (named in drums.c),
 * and how each part plays: comping, bass and arpeggio styles, how busy
 * (density) and how swung.  Progressions are roman numerals, one chord
 * a bar, four bars a phrase; a list given twice in "modes" is drawn
 * twice as often.  Everything else is the arranger's job.
 */
#include <string.h>
#include <strings.h>

#include "agency.h"
#include "music/score.h"

static const char *const calm_major[] = {
	"I V vi IV", "I iii IV I", "IV I V vi", "I vi IV V",
	"Imaj7 IVmaj7 vi7 V", "I IV I V", "I IV vi IV", NULL
};
static const char *const upbeat_major[] = {
	"I V vi IV", "I IV vi V", "vi IV I V", "I V IV V", "IV V I vi",
	"I bVII IV I", NULL
};
static const char *const cinematic_major[] = {
	"I V vi IV", "IV I V vi", "I iii vi IV", "vi IV I V", NULL
};
static const char *const cinematic_minor[] = {
	"i VI III VII", "i iv VI V", "i VI iv V", "VI III VII i",
	"i VII VI V", "i III VI VII", NULL
};
static const char *const lofi_major[] = {
	"Imaj7 vi7 ii7 V7", "ii7 V7 Imaj7 Imaj7", "IVmaj7 iii7 ii7 Imaj7",
	"Imaj7 IVmaj7 iii7 vi7", "IVmaj7 V7 iii7 vi7", NULL
};
static const char *const lofi_minor[] = {
	"i7 iv7 i7 v7", "i7 VImaj7 iv7 v7", "ii7 v7 i7 i7",
	"i7 iv7 VIImaj7 IIImaj7", "iv7 v7 i7 VImaj7", NULL
};
static const char *const corporate_major[] = {
	"I V vi IV", "I IV vi V", "vi IV I V", "IV V iii vi", "I iii IV V",
	"Iadd9 V vi IVadd9", NULL
};
static const char *const dramatic_minor[] = {
	"i VI VII i", "i iv V i", "i VI III VII", "i iv VI V", "i v VI VII",
	"i bII VII i", NULL
};
static const char *const ambient_major[] = {
	"Imaj7 IVmaj7 Imaj7 IVmaj7", "Iadd9 IVadd9 vi7 IVadd9",
	"vi7 IVmaj7 Imaj7 V", "Imaj7 iii7 IVmaj7 IVmaj7", NULL
};
static const char *const ambient_minor[] = {
	"i7 VImaj7 i7 VImaj7", "i7 IV7 i7 IV7", "i9 VImaj7 IIImaj7 VII",
	NULL
};
static const char *const energetic_major[] = {
	"I V vi IV", "vi IV I V", "I IV V IV", "IV V vi I", NULL
};
static const char *const energetic_minor[] = {
	"i VI III VII", "i VII VI VII", "i iv VI VII", "VI VII i i",
	"i III VII VI", NULL
};
static const char *const dark_minor[] = {
	"i bII i bII", "i iv i v", "i VI i VII", "i iv VI V", "i i VI v",
	NULL
};
static const char *const playful_major[] = {
	"I vi IV V", "I IV V IV", "I ii V I", "I V I IV", "I vi ii V",
	"I I IV V", NULL
};

const struct music_mood music_moods[] = {
	{
		.name = "calm",
		.summary = "gentle piano, strings and soft brushes",
		.bpm_lo = 64, .bpm_hi = 84, .bpm = 72,
		.modes = "major,major,lydian",
		.major = calm_major,
		.pad = "string ensemble 2,pad 2 (warm),choir aahs",
		.keys = "acoustic grand piano,electric piano 1,"
		    "acoustic guitar (nylon)",
		.arp = "orchestral harp,celesta,music box",
		.lead = "flute,vibraphone,clarinet",
		.bass = "acoustic bass,fretless bass",
		.kits = "brush,jazz",
		.grooves = "soft", .fills = "soft",
		.comp = COMP_BROKEN, .bass_style = BASS_ROOT_FIFTH,
		.arp_style = ARP_UP, .arp_rate = 2,
		.lead_style = LEAD_MOTIF, .lead_rate = 2,
		.voices = 4, .density = 0.35, .reverb = 70, .room = 0.7,
		.lead_center = 76,
	},
	{
		.name = "upbeat",
		.summary = "bright pop: piano, guitars, marimba, a backbeat",
		.bpm_lo = 108, .bpm_hi = 128, .bpm = 118,
		.modes = "major,major,mixolydian",
		.major = upbeat_major,
		.pad = "synth strings 1,string ensemble 1",
		.keys = "bright acoustic piano,electric guitar (clean),"
		    "acoustic guitar (steel)",
		.arp = "marimba,glockenspiel,kalimba",
		.lead = "glockenspiel,lead 3 (calliope),marimba",
		.bass = "electric bass (finger),electric bass (pick),"
		    "synth bass 1",
		.kits = "standard,power",
		.grooves = "backbeat,shuffle", .fills = "snare,toms",
		.comp = COMP_PULSE, .bass_style = BASS_PULSE,
		.arp_style = ARP_UPDOWN, .arp_rate = 4,
		.lead_style = LEAD_MOTIF, .lead_rate = 4,
		.voices = 4, .density = 0.7, .reverb = 40, .room = 0.5,
		.lead_center = 79,
	},
	{
		.name = "cinematic",
		.summary = "strings, horns and harp over slow drums",
		.bpm_lo = 70, .bpm_hi = 100, .bpm = 84,
		.modes = "minor,minor,dorian,harmonic",
		.major = cinematic_major, .minor = cinematic_minor,
		.pad = "string ensemble 1,string ensemble 2,choir aahs",
		.keys = "acoustic grand piano",
		.arp = "orchestral harp,pizzicato strings",
		.lead = "french horn,cello,oboe",
		.bass = "contrabass,cello",
		.kits = "orchestra,room",
		.grooves = "halftime", .fills = "toms",
		.comp = COMP_BLOCK, .bass_style = BASS_SUSTAIN,
		.arp_style = ARP_UP, .arp_rate = 4,
		.lead_style = LEAD_LONG, .lead_rate = 2,
		.voices = 5, .density = 0.5, .reverb = 90, .room = 0.85,
		.lead_center = 67,
	},
	{
		.name = "lofi",
		.summary = "swung boom-bap, electric piano, seventh chords",
		.bpm_lo = 70, .bpm_hi = 90, .bpm = 80,
		.modes = "major,minor,dorian",
		.major = lofi_major, .minor = lofi_minor,
		.pad = "pad 2 (warm),pad 1 (new age)",
		.keys = "electric piano 1,electric piano 2,vibraphone",
		.lead = "electric guitar (jazz),flute,muted trumpet",
		.bass = "acoustic bass,electric bass (finger)",
		.kits = "jazz,standard",
		.grooves = "boombap", .fills = "kicksnare",
		.comp = COMP_LOFI, .bass_style = BASS_SYNCO,
		.lead_style = LEAD_MOTIF, .lead_rate = 2,
		.voices = 4, .density = 0.5, .swing = 0.3, .swing16 = 1,
		.reverb = 45, .room = 0.5, .lead_center = 72,
	},
	{
		.name = "corporate",
		.summary = "clean, positive: pulsing piano and guitar",
		.bpm_lo = 100, .bpm_hi = 120, .bpm = 110,
		.modes = "major",
		.major = corporate_major,
		.pad = "string ensemble 1,pad 1 (new age)",
		.keys = "acoustic grand piano,electric guitar (muted),"
		    "electric piano 2",
		.arp = "glockenspiel,marimba,acoustic guitar (steel)",
		.lead = "vibraphone,glockenspiel,electric piano 1",
		.bass = "electric bass (finger)",
		.kits = "standard",
		.grooves = "pulse,backbeat", .fills = "snare",
		.comp = COMP_PULSE, .bass_style = BASS_PULSE,
		.arp_style = ARP_UP, .arp_rate = 4,
		.lead_style = LEAD_MOTIF, .lead_rate = 2,
		.voices = 4, .density = 0.6, .reverb = 45, .room = 0.55,
		.lead_center = 79,
	},
	{
		.name = "dramatic",
		.summary = "driving strings, brass and big drums",
		.bpm_lo = 80, .bpm_hi = 110, .bpm = 92,
		.modes = "minor,minor,harmonic,phrygian",
		.minor = dramatic_minor,
		.pad = "string ensemble 1,choir aahs,brass section",
		.keys = "acoustic grand piano,tremolo strings",
		.arp = "string ensemble 1,pizzicato strings",
		.lead = "french horn,brass section,violin",
		.bass = "contrabass,synth bass 2",
		.kits = "power,orchestra",
		.grooves = "epic,halftime", .fills = "toms",
		.comp = COMP_BLOCK, .bass_style = BASS_PULSE,
		.arp_style = ARP_UP, .arp_rate = 4,
		.lead_style = LEAD_LONG, .lead_rate = 2,
		.voices = 5, .density = 0.7, .reverb = 80, .room = 0.8,
		.lead_center = 67,
	},
	{
		.name = "ambient",
		.summary = "slow pads and bells, no drums",
		.bpm_lo = 60, .bpm_hi = 80, .bpm = 66,
		.modes = "lydian,major,dorian",
		.major = ambient_major, .minor = ambient_minor,
		.pad = "pad 2 (warm),pad 1 (new age),pad 7 (halo),"
		    "pad 8 (sweep)",
		.arp = "fx 3 (crystal),celesta,music box,vibraphone",
		.lead = "vibraphone,kalimba,tinkle bell",
		.bass = "fretless bass,synth bass 1",
		.comp = COMP_NONE, .bass_style = BASS_SUSTAIN,
		.arp_style = ARP_BROKEN, .arp_rate = 2,
		.lead_style = LEAD_SPARSE, .lead_rate = 2,
		.voices = 5, .density = 0.2, .reverb = 110, .room = 0.95,
		.lead_center = 79,
	},
	{
		.name = "energetic",
		.summary = "four-on-the-floor, synth bass, saw leads",
		.bpm_lo = 124, .bpm_hi = 150, .bpm = 132,
		.modes = "minor,minor,major",
		.major = energetic_major, .minor = energetic_minor,
		.pad = "synth strings 2,pad 3 (polysynth)",
		.keys = "synth brass 1,pad 3 (polysynth),overdriven guitar",
		.arp = "lead 1 (square),lead 2 (sawtooth)",
		.lead = "lead 2 (sawtooth),lead 1 (square),"
		    "lead 8 (bass + lead)",
		.bass = "synth bass 2,synth bass 1,electric bass (pick)",
		.kits = "electronic,tr-808,power",
		.grooves = "four,drive", .fills = "snare",
		.comp = COMP_STAB, .bass_style = BASS_PULSE,
		.arp_style = ARP_UP, .arp_rate = 4,
		.lead_style = LEAD_MOTIF, .lead_rate = 4,
		.voices = 4, .density = 0.85, .reverb = 35, .room = 0.45,
		.lead_center = 76,
	},
	{
		.name = "dark",
		.summary = "low strings and drones, slow and tense",
		.bpm_lo = 60, .bpm_hi = 84, .bpm = 70,
		.modes = "minor,phrygian,harmonic",
		.minor = dark_minor,
		.pad = "pad 8 (sweep),string ensemble 2,choir aahs",
		.keys = "acoustic grand piano",
		.arp = "pizzicato strings,celesta",
		.lead = "cello,english horn",
		.bass = "contrabass,synth bass 2",
		.kits = "room",
		.grooves = "halftime", .fills = "toms",
		.comp = COMP_BLOCK, .bass_style = BASS_SUSTAIN,
		.arp_style = ARP_BROKEN, .arp_rate = 2,
		.lead_style = LEAD_LONG, .lead_rate = 2,
		.voices = 4, .density = 0.35, .reverb = 85, .room = 0.9,
		.lead_center = 64,
	},
	{
		.name = "playful",
		.summary = "bouncy pizzicato, clarinet and tuba",
		.bpm_lo = 96, .bpm_hi = 124, .bpm = 108,
		.modes = "major,major,mixolydian",
		.major = playful_major,
		.pad = "string ensemble 1",
		.keys = "acoustic grand piano,marimba",
		.arp = "pizzicato strings,xylophone,kalimba",
		.lead = "clarinet,xylophone,whistle,bassoon",
		.bass = "tuba,acoustic bass",
		.kits = "standard",
		.grooves = "shuffle,bounce", .fills = "snare",
		.comp = COMP_OFFBEAT, .bass_style = BASS_ROOT_FIFTH,
		.arp_style = ARP_BROKEN, .arp_rate = 4,
		.lead_style = LEAD_MOTIF, .lead_rate = 4,
		.voices = 3, .density = 0.6, .swing = 0.25,
		.reverb = 35, .room = 0.45, .lead_center = 74,
	},
	{ .name = NULL }
};

const struct music_mood *
mood_find(const char *name)
{
	const struct music_mood *m;

	for (m = music_moods; m->name != NULL; m++)
		if (strcasecmp(m->name, name) == 0)
			return m;
	return NULL;
}

int
music_mood_info(int i, struct music_mood_info *out)
{
	char mode[32], *p;
	size_t len;
	int n, k;

	for (n = 0; music_moods[n].name != NULL; n++)
		;
	if (i < 0 || i >= n)
		return -1;
	out->name = music_moods[i].name;
	out->summary = music_moods[i].summary;
	out->bpm_lo = music_moods[i].bpm_lo;
	out->bpm_hi = music_moods[i].bpm_hi;
	out->bpm = music_moods[i].bpm;
	/* The modes without the repeats that weigh the draw. */
	out->modes[0] = '\0';
	for (k = 0; gm_item(music_moods[i].modes, k, mode, sizeof(mode)) ==
	    0; k++) {
		len = strlen(mode);
		for (p = out->modes; (p = strstr(p, mode)) != NULL; p += len)
			if ((p == out->modes || p[-1] == ',') &&
			    (p[len] == ',' || p[len] == '\0'))
				break;
		if (p == NULL)
			snprintf(out->modes + strlen(out->modes),
			    sizeof(out->modes) - strlen(out->modes), "%s%s",
			    out->modes[0] ? "," : "", mode);
	}
	out->drums = music_moods[i].kits != NULL;
	return 0;
}
