/*
 * library.c - the media folder and the pictures a video can show
 * (library.h).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agency.h"
#include "media/library.h"

#define KEYWORDS 12

char *
library_dir(struct agency *ag)
{
	const char *dir = config_str(ag, "media.dir");
	char *d, *p;

	if (dir != NULL && *dir != '\0')
		return xstrdup(dir);
	d = ag_xdg_dir("DATA");
	p = xasprintf("%s/agency/media", d);
	free(d);
	return p;
}

int
library_keep_audio(struct agency *ag, const float *pcm, size_t frames,
    int channels, int rate, const char *kind, const char *tags, char **path)
{
	char sha[AG_SHA256_HEX], *dir = library_dir(ag), *tmp, *final = NULL;
	struct store *st;
	struct asset as;
	struct stat sb;
	int rc;

	tmp = xasprintf("%s/.new-%ld.wav", dir, (long)getpid());
	if ((rc = ag_mkdirs(ag, dir, 0700)) != AG_OK ||
	    (rc = audiofile_write(ag, tmp, AUDIOFILE_WAV, pcm, frames,
	    channels, rate)) != AG_OK)
		goto out;
	if ((rc = ag_sha256_file(ag, tmp, sha)) != AG_OK)
		goto fail;
	final = xasprintf("%s/%s.wav", dir, sha);
	if (rename(tmp, final) == -1) {
		rc = ag_fail(ag, AG_CANTCREAT, "cannot create '%s':", final);
		goto fail;
	}
	memset(&as, 0, sizeof(as));
	as.sha256 = sha;
	as.path = final;
	as.kind = kind;
	as.mime = "audio/wav";
	as.tags = tags;
	as.bytes = stat(final, &sb) == 0 ? (int64_t)sb.st_size : 0;
	as.duration = (double)frames / rate;
	if ((rc = ag_store(ag, &st)) != AG_OK ||
	    (rc = assets_add(ag, st, &as, NULL)) != AG_OK)
		goto out;
	*path = final;
	final = NULL;
	goto out;
fail:
	unlink(tmp);
out:
	free(final);
	free(tmp);
	free(dir);
	return rc;
}

static int
has_ext(const char *name, const char *const *exts)
{
	const char *dot = strrchr(name, '.');

	for (; dot != NULL && *exts != NULL; exts++)
		if (strcasecmp(dot + 1, *exts) == 0)
			return 1;
	return 0;
}

static const char *const image_ext[] = { "jpg", "jpeg", "png", "webp", "bmp",
    "tif", "tiff", NULL };
static const char *const video_ext[] = { "mp4", "mov", "m4v", "mkv", "webm",
    "avi", NULL };

/* The words of a file name: "sourdough-loaf_02.jpg" -> "sourdough loaf". */
static void
name_words(const char *path, struct buf *out)
{
	const char *base = strrchr(path, '/'), *dot;
	size_t i, n;
	int c;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	n = dot ? (size_t)(dot - base) : strlen(base);
	for (i = 0; i < n; i++) {
		c = (unsigned char)base[i];
		if (isalpha(c) || c >= 0x80)
			buf_addch(out, tolower(c));
		else if (out->len > 0 && out->data[out->len - 1] != ' ')
			buf_addch(out, ' ');
	}
}

static int
known(const struct library *lib, const char *path)
{
	size_t i;

	for (i = 0; i < lib->n; i++)
		if (strcmp(lib->v[i].path, path) == 0)
			return 1;
	return 0;
}

static void
add(struct agency *ag, struct library *lib, const char *path,
    const char *tags)
{
	struct library_entry *e;
	struct media_probe p;
	struct buf w = BUF_INIT;
	char *abs;

	if ((abs = realpath(path, NULL)) == NULL || known(lib, abs) ||
	    media_probe(ag, abs, &p) != AG_OK ||
	    (p.kind != PROBE_IMAGE && p.kind != PROBE_VIDEO)) {
		ag_clear_error(ag);
		free(abs);
		return;
	}
	lib->v = xreallocarray(lib->v, lib->n + 1, sizeof(*lib->v));
	e = &lib->v[lib->n++];
	memset(e, 0, sizeof(*e));
	e->path = abs;
	e->kind = p.kind == PROBE_IMAGE ? LIB_IMAGE : LIB_VIDEO;
	e->duration = p.duration;
	if (tags != NULL && *tags != '\0') {
		buf_addstr(&w, tags);
		buf_addch(&w, ' ');
	}
	name_words(abs, &w);
	e->words = buf_detach(&w);
	buf_release(&w);
}

static int
scan_dir(struct agency *ag, struct library *lib, const char *dir)
{
	struct dirent **ents;
	char *p;
	int i, n;

	if ((n = scandir(dir, &ents, NULL, alphasort)) < 0)
		return ag_fail(ag, AG_NOINPUT, "cannot read '%s':", dir);
	for (i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.' &&
		    (has_ext(ents[i]->d_name, image_ext) ||
		    has_ext(ents[i]->d_name, video_ext))) {
			p = xasprintf("%s/%s", dir, ents[i]->d_name);
			add(ag, lib, p, NULL);
			free(p);
		}
		free(ents[i]);
	}
	free(ents);
	return AG_OK;
}

/* Pictures and clips in the assets table that we did not make. */
static int
scan_assets(struct agency *ag, struct library *lib)
{
	static const char *const kinds[] = { "image", "video" };
	struct store *st;
	cJSON *rows = NULL;
	const cJSON *it;
	int k, rc;

	if ((rc = ag_store(ag, &st)) != AG_OK)
		return rc;
	for (k = 0; k < 2; k++) {
		if ((rc = assets_list(ag, st, kinds[k], &rows)) != AG_OK)
			return rc;
		cJSON_ArrayForEach(it, rows) {
			const cJSON *cid = cJSON_GetObjectItem(it,
			    "content_id");

			if (cid != NULL && !cJSON_IsNull(cid))
				continue;
			add(ag, lib, cJSON_GetStringValue(
			    cJSON_GetObjectItem(it, "path")),
			    cJSON_GetStringValue(cJSON_GetObjectItem(it,
			    "tags")));
		}
		cJSON_Delete(rows);
		rows = NULL;
	}
	return AG_OK;
}

int
library_scan(struct agency *ag, const char *const *dirs, size_t n,
    struct library *out)
{
	struct library lib = { NULL, 0 };
	size_t i;
	int rc = AG_OK;

	for (i = 0; i < n && rc == AG_OK; i++)
		rc = scan_dir(ag, &lib, dirs[i]);
	if (rc == AG_OK)
		rc = scan_assets(ag, &lib);
	if (rc != AG_OK) {
		library_release(&lib);
		return rc;
	}
	*out = lib;
	return AG_OK;
}

/* How many of the words appear in the entry's words (4-letter stems). */
static int
score(const struct library_entry *e, char **words, size_t n)
{
	const char *p, *q;
	size_t i, len, stem;
	int s = 0;

	for (i = 0; i < n; i++) {
		len = strlen(words[i]);
		stem = len > 4 ? 4 : len;
		for (p = e->words; *p != '\0'; p = *q ? q + 1 : q) {
			q = strchr(p, ' ');
			q = q ? q : p + strlen(p);
			if ((size_t)(q - p) >= stem &&
			    strncmp(p, words[i], stem) == 0 &&
			    ((size_t)(q - p) == len || len > 4)) {
				s++;
				break;
			}
		}
	}
	return s;
}

struct library_entry *
library_pick(struct library *lib, const char *text)
{
	struct library_entry *best = NULL;
	char **words;
	size_t n, i;
	int s, bests = -1, pass;

	if (lib->n == 0)
		return NULL;
	ag_keywords(text ? text : "", NULL, KEYWORDS, &words, &n);
	for (pass = 0; pass < 2 && best == NULL; pass++) {
		if (pass == 1)		/* all used: start over */
			for (i = 0; i < lib->n; i++)
				lib->v[i].used = 0;
		for (i = 0; i < lib->n; i++) {
			if (lib->v[i].used)
				continue;
			s = score(&lib->v[i], words, n);
			if (s > bests) {
				bests = s;
				best = &lib->v[i];
			}
		}
	}
	ag_keywords_free(words, n);
	best->used = 1;
	return best;
}

void
library_release(struct library *lib)
{
	size_t i;

	for (i = 0; i < lib->n; i++) {
		free(lib->v[i].path);
		free(lib->v[i].words);
	}
	free(lib->v);
	lib->v = NULL;
	lib->n = 0;
}
