/*
 * bed.c - music_bed(): what agency-compose does, as one library call.
 *
 * Order matters for "nothing half-written, nothing left behind": the
 * parameters are checked, the SoundFont found, then every output (the
 * audio, the MIDI file, each stem) is created as a temporary file, so
 * that an unwritable place fails before minutes of rendering; then the
 * bed is composed and written, and only when everything is complete are
 * the files renamed into place and registered in the store's assets
 * table (by sha256, so running the same command twice adds nothing).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agency.h"
#include "music/score.h"

struct out {
	struct ag_atomic af;
	char *path;			/* the final name */
	int open;
};

static int
open_out(struct agency *ag, struct out *o, const char *path)
{
	struct stat sb;
	int rc;

	memset(o, 0, sizeof(*o));
	o->af.fd = -1;
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return ag_fail(ag, AG_CANTCREAT, "cannot create '%s': it is "
		    "a folder", path);
	if ((rc = ag_atomic_open(ag, path, 0644, &o->af)) != AG_OK)
		return rc;
	o->path = xstrdup(path);
	o->open = 1;
	return AG_OK;
}

static void
abort_out(struct out *o)
{
	if (o->open)
		ag_atomic_abort(&o->af);
	free(o->path);
	memset(o, 0, sizeof(*o));
}

static int
commit_out(struct agency *ag, struct out *o)
{
	int rc = ag_atomic_commit(ag, &o->af);

	o->open = 0;
	return rc;
}

/* A seed when none was given: fresh, and small enough to retype. */
static uint64_t
random_seed(void)
{
	uint32_t v;

	if (getrandom(&v, sizeof(v), 0) != (ssize_t)sizeof(v))
		v = (uint32_t)ag_now_ms() ^ (uint32_t)getpid();
	return v;
}

static char *
absolute(const char *path)
{
	char *p = realpath(path, NULL);

	return p != NULL ? p : xstrdup(path);
}

static double
round2(double v)
{
	return round(v * 100) / 100;
}

static void
add_number(cJSON *o, const char *name, double v)
{
	if (isfinite(v))
		cJSON_AddNumberToObject(o, name, round2(v));
	else
		cJSON_AddNullToObject(o, name);
}

/* Hash and register a finished file; *sha gets its sha256. */
static int
record(struct agency *ag, const char *path, const char *kind,
    const char *mime, const char *tags, double duration, char *sha)
{
	struct store *st;
	struct asset as;
	struct stat sb;
	int rc;

	if ((rc = ag_sha256_file(ag, path, sha)) != AG_OK)
		return rc;
	if ((rc = ag_store(ag, &st)) != AG_OK)
		return rc;
	memset(&as, 0, sizeof(as));
	as.sha256 = sha;
	as.path = path;
	as.kind = kind;
	as.mime = mime;
	as.tags = tags;
	as.bytes = stat(path, &sb) == 0 ? (int64_t)sb.st_size : 0;
	as.duration = duration;
	return assets_add(ag, st, &as, NULL);
}

static int
format_of(struct agency *ag, const struct music_bed_args *a,
    enum audiofile_format *f)
{
	if (a->format != NULL) {
		if (audiofile_format_parse(a->format, f) == -1)
			return ag_fail(ag, AG_USAGE, "format '%s': expected "
			    "wav, flac or m4a", a->format);
		return AG_OK;
	}
	if (strcmp(a->output, "-") == 0) {
		*f = AUDIOFILE_WAV;
		return AG_OK;
	}
	if (audiofile_format_guess(a->output, f) == -1)
		return ag_fail(ag, AG_USAGE, "cannot tell the audio format of "
		    "'%s' from its name; end it in .wav, .flac or .m4a, or "
		    "give --format", a->output);
	return AG_OK;
}

static cJSON *
document(const struct music_bed_args *a, const struct music_result *r,
    enum audiofile_format f, const char *path, const char *sha,
    const char *midi, char *const stems[MUSIC_STEMS])
{
	cJSON *doc = ag_doc_new("agency.audio"), *o;
	int g;

	cJSON_AddStringToObject(doc, "path", path);
	cJSON_AddStringToObject(doc, "format", audiofile_format_name(f));
	cJSON_AddNumberToObject(doc, "duration", a->params.duration);
	cJSON_AddNumberToObject(doc, "frames", (double)r->frames);
	cJSON_AddNumberToObject(doc, "sample_rate", r->rate);
	cJSON_AddNumberToObject(doc, "channels", r->channels);
	cJSON_AddStringToObject(doc, "mood", r->mood);
	cJSON_AddStringToObject(doc, "key", r->key);
	add_number(doc, "tempo", r->bpm);
	cJSON_AddNumberToObject(doc, "bars", r->bars);
	cJSON_AddBoolToObject(doc, "loop", a->params.loop);
	cJSON_AddNumberToObject(doc, "seed", (double)r->seed);
	add_number(doc, "loudness", r->loudness.integrated);
	add_number(doc, "true_peak", r->loudness.true_peak);
	cJSON_AddStringToObject(doc, "soundfont", r->soundfont);
	cJSON_AddStringToObject(doc, "sha256", sha);
	if (midi != NULL)
		cJSON_AddStringToObject(doc, "midi", midi);
	if (stems[0] != NULL) {
		o = cJSON_AddObjectToObject(doc, "stems");
		for (g = 0; g < MUSIC_STEMS; g++)
			cJSON_AddStringToObject(o, music_stem_names[g],
			    stems[g]);
	}
	return doc;
}

int
music_bed(struct agency *ag, const struct music_bed_args *a, cJSON **doc)
{
	struct music_params p = a->params;
	struct music_result res;
	struct out audio, midi, stem[MUSIC_STEMS];
	enum audiofile_format f;
	struct buf mb = BUF_INIT;
	char *font = NULL, *path = NULL, *midipath = NULL;
	char *stempath[MUSIC_STEMS] = { NULL }, sha[AG_SHA256_HEX];
	char other[AG_SHA256_HEX], tags[128];
	int tostdout = strcmp(a->output, "-") == 0, rc, g;

	memset(&res, 0, sizeof(res));
	memset(&audio, 0, sizeof(audio));
	memset(&midi, 0, sizeof(midi));
	memset(stem, 0, sizeof(stem));
	if (!a->seed_set)
		p.seed = random_seed();
	if ((rc = format_of(ag, a, &f)) != AG_OK ||
	    (rc = music_check(ag, &p)) != AG_OK)
		return rc;
	if (tostdout && isatty(STDOUT_FILENO))
		return ag_fail(ag, AG_USAGE, "not writing audio to a terminal; "
		    "give -o FILE or redirect standard output");
	if ((rc = soundfont_resolve(ag, p.soundfont, &font)) != AG_OK)
		return rc;
	free(font);

	if (!tostdout && (rc = open_out(ag, &audio, a->output)) != AG_OK)
		goto out;
	if (a->midi != NULL && (rc = open_out(ag, &midi, a->midi)) != AG_OK)
		goto out;
	if (a->stems != NULL) {
		if ((rc = ag_mkdirs(ag, a->stems, 0755)) != AG_OK)
			goto out;
		for (g = 0; g < MUSIC_STEMS; g++) {
			stempath[g] = xasprintf("%s/%s.%s", a->stems,
			    music_stem_names[g], audiofile_format_name(f));
			if ((rc = open_out(ag, &stem[g], stempath[g])) !=
			    AG_OK)
				goto out;
		}
		p.stems = 1;
	}

	p.progress = 1;
	if ((rc = music_compose(ag, &p, &res)) != AG_OK)
		goto out;
	ag_info(ag, "%s in %s at %.2f bpm, %d bars, seed %llu", res.mood,
	    res.key, res.bpm, res.bars, (unsigned long long)res.seed);
	if (tostdout)
		rc = audiofile_write(ag, "-", f, res.pcm, res.frames, 2,
		    res.rate);
	else
		rc = audiofile_write_fd(ag, audio.af.fd, a->output, f,
		    res.pcm, res.frames, 2, res.rate);
	for (g = 0; rc == AG_OK && a->stems != NULL && g < MUSIC_STEMS; g++)
		rc = audiofile_write_fd(ag, stem[g].af.fd, stempath[g], f,
		    res.stems[g], res.frames, 2, res.rate);
	if (rc == AG_OK && a->midi != NULL) {
		midi_encode(res.score, &mb);
		if (fwrite(mb.data, 1, mb.len, midi.af.fp) != mb.len)
			rc = ag_fail(ag, AG_IOERR, "cannot write '%s':",
			    a->midi);
	}
	if (rc != AG_OK)
		goto out;

	/* Everything is written: into place, then into the store. */
	for (g = 0; a->stems != NULL && g < MUSIC_STEMS; g++)
		if ((rc = commit_out(ag, &stem[g])) != AG_OK)
			goto out;
	if (a->midi != NULL && (rc = commit_out(ag, &midi)) != AG_OK)
		goto out;
	if (!tostdout && (rc = commit_out(ag, &audio)) != AG_OK)
		goto out;
	snprintf(tags, sizeof(tags), "%s%s", res.mood, p.loop ? " loop" :
	    "");
	for (g = 0; a->stems != NULL && g < MUSIC_STEMS; g++) {
		char *abs = absolute(stempath[g]), st[160];

		free(stempath[g]);
		stempath[g] = abs;
		snprintf(st, sizeof(st), "%s stem %s", tags,
		    music_stem_names[g]);
		if ((rc = record(ag, abs, "music", audiofile_format_mime(f),
		    st, p.duration, other)) != AG_OK)
			goto out;
	}
	if (a->midi != NULL) {
		midipath = absolute(a->midi);
		if ((rc = record(ag, midipath, "midi", "audio/midi", tags,
		    p.duration, other)) != AG_OK)
			goto out;
	}
	if (!tostdout) {
		path = absolute(a->output);
		if ((rc = record(ag, path, "music", audiofile_format_mime(f),
		    tags, p.duration, sha)) != AG_OK)
			goto out;
		*doc = document(a, &res, f, path, sha, midipath, stempath);
	} else {
		*doc = NULL;
	}
out:
	abort_out(&audio);
	abort_out(&midi);
	for (g = 0; g < MUSIC_STEMS; g++) {
		abort_out(&stem[g]);
		free(stempath[g]);
	}
	buf_release(&mb);
	free(path);
	free(midipath);
	music_result_release(&res);
	return rc;
}
