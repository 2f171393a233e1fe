/* agency-compose - generate a music bed of exact length. */
#include <string.h>
#include <unistd.h>

#include "agency.h"

static struct music_bed_args a;
static const char *duration;

static int
seed_cb(struct agency *ag, const struct ag_option *o, const char *arg)
{
	long long v;

	(void)o;
	if (ag_parse_ll(arg, 0, (1LL << 53) - 1, &v) == -1)
		return ag_fail(ag, AG_USAGE, "'%s' is not a whole number from "
		    "0 to 2^53-1", arg);
	a.params.seed = (uint64_t)v;
	a.seed_set = 1;
	return AG_OK;
}

static const struct ag_option options[] = {
	AG_OPT_DOUBLE(0, "bpm", "n", &a.params.bpm,
	    "tempo, nudged to fit whole bars (default: the mood's)"),
	AG_OPT_STRING('d', "duration", "seconds", &duration,
	    "exact length: 58.3, 90s, 2m (default 30)"),
	AG_OPT_DOUBLE(0, "fade-in", "seconds", &a.params.fade_in,
	    "fade in over the first seconds"),
	AG_OPT_DOUBLE(0, "fade-out", "seconds", &a.params.fade_out,
	    "fade out over the last seconds (default 1.5)"),
	AG_OPT_CHOICE('f', "format", "wav|flac|m4a", &a.format,
	    "wav,flac,m4a", "audio format (default: from the file name)"),
	AG_OPT_STRING('k', "key", "key", &a.params.key,
	    "key: 'A minor', F#m, 'D dorian' (default: from the seed)"),
	AG_OPT_BOOL(0, "loop", &a.params.loop,
	    "make a seamless loop instead of an ending"),
	AG_OPT_KEY(0, "loudness", "lufs", "music.loudness",
	    "integrated loudness (default -18)"),
	AG_OPT_STRING(0, "midi", "file", &a.midi,
	    "also write the score as a Standard MIDI File"),
	AG_OPT_STRING('m', "mood", "name", &a.params.mood,
	    "mood: see 'agency-compose moods' (default calm)"),
	AG_OPT_STRING('o', "output", "file", &a.output,
	    "write the audio to file (.wav, .flac, .m4a; - for stdout)"),
	AG_OPT_KEY('r', "rate", "hz", "music.rate",
	    "sample rate: 44100 or 48000 (default 48000)"),
	AG_OPT_CALLBACK('s', "seed", "n", seed_cb,
	    "seed: the same seed and options give the same music"),
	AG_OPT_KEY(0, "soundfont", "file", "music.soundfont",
	    "General MIDI SoundFont: a file, timgm6mb or fluidr3"),
	AG_OPT_STRING(0, "stems", "dir", &a.stems,
	    "also write drums, bass, harmony and melody into dir"),
	AG_OPT_KEY(0, "true-peak", "dbtp", "music.true_peak",
	    "true-peak ceiling (default -1.5)"),
	AG_OPT_END
};

static const struct ag_option no_options[] = {
	AG_OPT_END
};

/* A number from the configuration (or its flag) within [lo, hi]. */
static int
ranged(struct agency *ag, const char *key, const char *flag, double lo,
    double hi, double *out)
{
	double v = config_number(ag, key);

	if (v >= lo && v <= hi) {
		*out = v;
		return AG_OK;
	}
	if (config_origin(ag, key) == CFG_FROM_FLAG)
		ag_usage_error(ag, "option '--%s': %g is not from %g to %g",
		    flag, v, lo, hi);
	return ag_fail(ag, AG_CONFIG, "%s: %g is not from %g to %g", key, v,
	    lo, hi);
}

/* Copy n bytes of s into buf as a string. */
static const char *
span(const char *s, size_t n, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", (int)n, s);
	return buf;
}

static int
moods(struct agency *ag, int argc, char **argv)
{
	struct music_mood_info mi;
	char mode[32];
	const char *p, *e;
	cJSON *row, *modes;
	int table, rc = AG_OK, i;

	argc = ag_parse_options(ag, argc, argv, no_options, "");
	if (argc != 0)
		ag_usage_error(ag, "too many arguments");
	table = !ag->json && isatty(STDOUT_FILENO);
	if (table)
		printf("%-10s %-9s %-5s %-30s %s\n", "MOOD", "BPM", "DRUMS",
		    "MODES", "SOUND");
	for (i = 0; rc == AG_OK && music_mood_info(i, &mi) == 0; i++) {
		modes = cJSON_CreateArray();
		for (p = mi.modes; *p != '\0'; p = *e ? e + 1 : e) {
			e = strchr(p, ',');
			e = e ? e : p + strlen(p);
			cJSON_AddItemToArray(modes, cJSON_CreateString(
			    span(p, (size_t)(e - p), mode,
			    sizeof(mode))));
		}
		if (table) {
			printf("%-10s %3.0f-%-5.0f %-5s %-30s %s\n", mi.name,
			    mi.bpm_lo, mi.bpm_hi, mi.drums ? "yes" : "no",
			    mi.modes, mi.summary);
			cJSON_Delete(modes);
			continue;
		}
		row = cJSON_CreateObject();
		cJSON_AddStringToObject(row, "mood", mi.name);
		cJSON_AddNumberToObject(row, "bpm", mi.bpm);
		cJSON_AddNumberToObject(row, "bpm_min", mi.bpm_lo);
		cJSON_AddNumberToObject(row, "bpm_max", mi.bpm_hi);
		cJSON_AddItemToObject(row, "modes", modes);
		cJSON_AddBoolToObject(row, "drums", mi.drums);
		cJSON_AddStringToObject(row, "summary", mi.summary);
		rc = ag_emit(ag, row);
		cJSON_Delete(row);
	}
	return rc;
}

static const struct ag_command commands[] = {
	{ "moods", moods, "list the moods with their tempo ranges" },
	{ NULL, NULL, NULL }
};

static int
compose(struct agency *ag, int argc, char **argv)
{
	cJSON *doc = NULL;
	double v;
	int rc;

	music_params_init(&a.params);
	argc = ag_parse_options(ag, argc, argv, options,
	    "[-m mood] [-d seconds] [--loop] [-s n] [options] -o file");
	if (argc != 0)
		ag_usage_error(ag, "unexpected argument '%s'", argv[0]);
	if (a.output == NULL)
		ag_usage_error(ag, "no output: give -o FILE (or -o - for "
		    "standard output)");
	if (duration != NULL && ag_duration_parse(duration,
	    &a.params.duration) == -1)
		ag_usage_error(ag, "option '--duration': '%s' is not a length "
		    "in seconds", duration);
	if ((rc = ranged(ag, "music.rate", "rate", MUSIC_RATE_MIN,
	    MUSIC_RATE_MAX, &v)) != AG_OK)
		return rc;
	a.params.rate = (int)v;
	if ((rc = ranged(ag, "music.loudness", "loudness", -60, -5,
	    &a.params.loudness)) != AG_OK ||
	    (rc = ranged(ag, "music.true_peak", "true-peak", -20, 0,
	    &a.params.true_peak)) != AG_OK)
		return rc;
	a.params.soundfont = config_str(ag, "music.soundfont");
	rc = music_bed(ag, &a, &doc);
	if (rc == AG_OK && doc != NULL)
		rc = ag_emit(ag, doc);
	cJSON_Delete(doc);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct agency ag;
	int rc;

	ag_init(&ag, argc, argv);
	rc = ag_run_main(&ag, argc, argv, commands, compose);
	return ag_finish(&ag, rc);
}
