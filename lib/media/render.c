/*
 * render.c - an EDL into a finished video (media.h).
 *
 * The order of work:
 *	1. every output is opened under a temporary name (atomic.h), so a
 *	   bad path fails before any work and nothing is half-written;
 *	2. the words on screen become an ASS script in an unlinked file,
 *	   read by libass (burn.h) as /proc/self/fd/N;
 *	3. the sound is mixed and measured (mix.h, pass one);
 *	4. frames come from the video graph (vgraph.h) and go to x264;
 *	   after each, the sound up to a little past it goes to AAC (pass
 *	   two), so the muxer interleaves with little buffering;
 *	5. the thumbnail and the contact sheet are drawn from the tap;
 *	6. all outputs are renamed into place together, probed, and
 *	   recorded in the store; the production document says what was
 *	   made.
 * Memory does not grow with the length: frames stream through, the
 * sound is spooled to disk, and only the frames kept for the pictures
 * of step 5 are held.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libavutil/frame.h>

#include "agency.h"
#include "media/encode.h"
#include "media/media.h"
#include "media/mix.h"
#include "media/preset.h"
#include "media/textlayer.h"
#include "media/thumb.h"
#include "media/vgraph.h"

#define SHEET_COLS 4
#define SHEET_ROWS 4
#define SHEET_N (SHEET_COLS * SHEET_ROWS)
#define AUDIO_LEAD 0.2			/* seconds of sound ahead of picture */

/* A text kept in an unlinked file, readable by name through /proc. */
struct scratch {
	int fd;
	char name[40];
};

static int
scratch_write(struct agency *ag, const struct buf *text, struct scratch *s)
{
	const char *dir = getenv("TMPDIR");
	char *path = xasprintf("%s/agency-text.XXXXXX", dir && *dir ? dir :
	    "/tmp");
	int rc = AG_OK;

	s->fd = mkstemp(path);
	if (s->fd == -1) {
		rc = ag_fail(ag, AG_CANTCREAT, "cannot create '%s':", path);
		free(path);
		return rc;
	}
	unlink(path);
	free(path);
	if (write(s->fd, text->data, text->len) != (ssize_t)text->len) {
		close(s->fd);
		s->fd = -1;
		return ag_fail(ag, AG_IOERR, "cannot write a scratch file:");
	}
	snprintf(s->name, sizeof(s->name), "/proc/self/fd/%d", s->fd);
	return AG_OK;
}

static void
scratch_close(struct scratch *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

/* One output file: its final path and its temporary. */
struct out {
	char *path;
	struct ag_atomic af;
	int open;
};

static int
out_open(struct agency *ag, struct out *o, char *path)
{
	int rc;

	o->path = path;
	if ((rc = ag_atomic_open(ag, path, 0644, &o->af)) != AG_OK)
		return rc;
	o->open = 1;
	return AG_OK;
}

static void
out_abort(struct out *o)
{
	if (o->open)
		ag_atomic_abort(&o->af);
	o->open = 0;
	free(o->path);
	o->path = NULL;
}

static int
out_write(struct agency *ag, struct out *o, const struct buf *b)
{
	if (fwrite(b->data, 1, b->len, o->af.fp) != b->len)
		return ag_fail(ag, AG_IOERR, "cannot write '%s':", o->path);
	return AG_OK;
}

/* path with its extension replaced by ext (".srt"). */
static char *
sibling(const char *path, const char *ext)
{
	const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
	size_t n = dot != NULL && (slash == NULL || dot > slash) ?
	    (size_t)(dot - path) : strlen(path);

	return xasprintf("%.*s%s", (int)n, path, ext);
}

struct rjob {
	const struct edl *e;
	const struct render_args *a;
	const struct media_quality *q;
	struct out video, srt, vtt, ass_out, thumb, sheet;
	struct scratch ass, title;
	struct vgraph *vg;
	struct mix *mix;
	struct encoder *enc;
	AVFrame *keep[SHEET_N];		/* caption-free frames for the sheet */
	AVFrame *cover;			/* and for the thumbnail */
	int64_t thumb_at, sheet_at[SHEET_N];
	struct loudness heard;		/* of the sound as encoded */
	struct ag_progress progress;
};

/*
 * Two outputs under one name would overwrite each other: refuse before
 * anything is opened.  The names are those open_outputs() will use.
 */
static int
distinct(struct agency *ag, const struct render_args *a)
{
	char *n[6];
	size_t i, k, len = 0;
	int rc = AG_OK;

	n[len++] = xstrdup(a->output);
	if (a->subtitles) {
		n[len++] = sibling(a->output, ".srt");
		n[len++] = sibling(a->output, ".vtt");
	}
	if (a->thumbnail)
		n[len++] = a->thumbnail_path ? xstrdup(a->thumbnail_path) :
		    sibling(a->output, ".jpg");
	if (a->contact_sheet != NULL)
		n[len++] = xstrdup(a->contact_sheet);
	if (a->ass_path != NULL)
		n[len++] = xstrdup(a->ass_path);
	for (i = 0; i < len && rc == AG_OK; i++)
		for (k = i + 1; k < len && rc == AG_OK; k++)
			if (strcmp(n[i], n[k]) == 0)
				rc = ag_fail(ag, AG_USAGE, "'%s' is named for "
				    "two outputs", n[i]);
	for (i = 0; i < len; i++)
		free(n[i]);
	return rc;
}

static int
open_outputs(struct agency *ag, struct rjob *j)
{
	const struct render_args *a = j->a;
	struct buf b = BUF_INIT;
	int rc;

	if ((rc = distinct(ag, a)) != AG_OK ||
	    (rc = out_open(ag, &j->video, xstrdup(a->output))) != AG_OK)
		return rc;
	if (a->subtitles) {
		if ((rc = textlayer_srt(ag, j->e, &b)) == AG_OK &&
		    (rc = out_open(ag, &j->srt, sibling(a->output, ".srt"))) ==
		    AG_OK)
			rc = out_write(ag, &j->srt, &b);
		buf_reset(&b);
		if (rc == AG_OK &&
		    (rc = textlayer_vtt(ag, j->e, &b)) == AG_OK &&
		    (rc = out_open(ag, &j->vtt, sibling(a->output, ".vtt"))) ==
		    AG_OK)
			rc = out_write(ag, &j->vtt, &b);
		buf_reset(&b);
		if (rc != AG_OK && rc != AG_FALSE)
			goto out;
	}
	if (a->thumbnail && (rc = out_open(ag, &j->thumb, a->thumbnail_path ?
	    xstrdup(a->thumbnail_path) : sibling(a->output, ".jpg"))) != AG_OK)
		goto out;
	if (a->contact_sheet != NULL && (rc = out_open(ag, &j->sheet,
	    xstrdup(a->contact_sheet))) != AG_OK)
		goto out;
	rc = textlayer_ass(ag, j->e, &b);
	if (rc == AG_OK)
		rc = scratch_write(ag, &b, &j->ass);
	else if (rc == AG_FALSE)
		rc = AG_OK;
	/* The same script as a file, when asked for and there is one. */
	if (rc == AG_OK && a->ass_path != NULL && j->ass.fd >= 0 &&
	    (rc = out_open(ag, &j->ass_out, xstrdup(a->ass_path))) == AG_OK)
		rc = out_write(ag, &j->ass_out, &b);
	buf_reset(&b);
	if (rc == AG_OK && j->thumb.open) {
		rc = textlayer_title(ag, j->e, j->e->thumbnail_title ?
		    j->e->thumbnail_title : j->e->title, &b);
		if (rc == AG_OK)
			rc = scratch_write(ag, &b, &j->title);
		else if (rc == AG_FALSE)
			rc = AG_OK;
	}
out:
	buf_release(&b);
	return rc;
}

/* Which frames the thumbnail and the contact sheet are taken from. */
static void
choose_frames(struct rjob *j, int64_t n)
{
	int k;

	j->thumb_at = j->e->thumbnail_at >= 0 ?
	    llround(j->e->thumbnail_at * j->e->fps) : n / 3;
	if (j->thumb_at >= n)
		j->thumb_at = n - 1;
	for (k = 0; k < SHEET_N; k++)
		j->sheet_at[k] = (int64_t)((k + 0.5) * (double)n / SHEET_N);
}

static void
keep_frame(struct rjob *j, int64_t i, const AVFrame *clean)
{
	int k;

	if (clean == NULL)
		return;
	if (j->thumb.open && i == j->thumb_at && j->cover == NULL)
		j->cover = av_frame_clone(clean);
	if (!j->sheet.open)
		return;
	for (k = 0; k < SHEET_N; k++)
		if (j->sheet_at[k] == i && j->keep[k] == NULL)
			j->keep[k] = av_frame_clone(clean);
}

/* Sound until it is t seconds ahead (t < 0: all that is left). */
static int
sound(struct agency *ag, struct rjob *j, double t, int64_t *sent, int *done)
{
	AVFrame *f = NULL;
	int size = encoder_audio_frame_size(j->enc);
	int rc;

	while (!*done && (t < 0 || (double)*sent / MIX_RATE < t)) {
		rc = mix_read(ag, j->mix, size, encoder_priming(j->enc), &f);
		if (rc == AG_FALSE) {
			*done = 1;
			break;
		}
		if (rc != AG_OK)
			return rc;
		rc = encoder_audio(ag, j->enc, f);
		*sent += f->nb_samples;
		av_frame_free(&f);
		if (rc != AG_OK)
			return rc;
	}
	return AG_OK;
}

static int
frames(struct agency *ag, struct rjob *j)
{
	struct encode_params ep;
	AVFrame *f = NULL, *clean = NULL;
	int64_t n = vgraph_frames(j->vg), i, sent = 0;
	int rc, done = 0;

	memset(&ep, 0, sizeof(ep));
	ep.path = j->video.af.tmp;
	ep.width = j->e->width;
	ep.height = j->e->height;
	ep.fps = j->e->fps;
	ep.quality = j->q;
	ep.threads = j->a->threads;
	if ((rc = encoder_open(ag, &ep, &j->enc)) != AG_OK)
		return rc;
	choose_frames(j, n);
	ag_progress_start(ag, &j->progress, "render", (double)n, 0);
	for (i = 0; i < n; i++) {
		if ((rc = vgraph_next(ag, j->vg, &f, &clean)) == AG_FALSE) {
			rc = ag_fail(ag, AG_SOFTWARE, "'%s': the video ended "
			    "at frame %lld of %lld", j->e->file, (long long)i,
			    (long long)n);
			break;
		}
		if (rc != AG_OK)
			break;
		keep_frame(j, i, clean);
		rc = encoder_video(ag, j->enc, f);
		av_frame_free(&f);
		av_frame_free(&clean);
		if (rc != AG_OK || (rc = sound(ag, j, (double)(i + 1) /
		    j->e->fps + AUDIO_LEAD, &sent, &done)) != AG_OK)
			break;
		ag_progress_update(&j->progress, (double)(i + 1));
	}
	ag_progress_end(&j->progress);
	if (rc == AG_OK && (rc = sound(ag, j, -1, &sent, &done)) == AG_OK)
		rc = encoder_finish(ag, j->enc);
	return rc;
}

static int
pictures(struct agency *ag, struct rjob *j)
{
	AVFrame *got[SHEET_N];
	int k, n = 0, rc = AG_OK;

	if (j->thumb.open) {
		if (j->cover == NULL)
			return ag_fail(ag, AG_SOFTWARE, "no frame for the "
			    "thumbnail");
		rc = thumb_write(ag, j->cover, j->title.fd >= 0 ?
		    j->title.name : NULL, j->thumb.af.fd, j->thumb.path);
		if (rc != AG_OK)
			return rc;
	}
	if (j->sheet.open) {
		for (k = 0; k < SHEET_N; k++)
			if (j->keep[k] != NULL)
				got[n++] = j->keep[k];
		rc = sheet_write(ag, got, n, SHEET_COLS, j->e->width / 4,
		    j->sheet.af.fd, j->sheet.path);
	}
	return rc;
}

static int
report_loudness(struct agency *ag, const struct rjob *j)
{
	struct loudness mixed, limited;

	mix_loudness(j->mix, &mixed, &limited);
	ag_debug(ag, "loudness: %.2f LUFS %.2f dBTP mixed, %.2f LUFS %.2f "
	    "dBTP limited, %.2f LUFS %.2f dBTP as encoded", mixed.integrated,
	    mixed.true_peak, limited.integrated, limited.true_peak,
	    j->heard.integrated, j->heard.true_peak);
	return AG_OK;
}

static int
commit(struct agency *ag, struct out *o)
{
	int rc;

	if (!o->open)
		return AG_OK;
	o->open = 0;
	rc = ag_atomic_commit(ag, &o->af);
	return rc;
}

static cJSON *
loud_json(const struct loudness *l)
{
	cJSON *o = cJSON_CreateObject();

	if (l->integrated != -HUGE_VAL)
		cJSON_AddNumberToObject(o, "integrated",
		    round(l->integrated * 100) / 100);
	if (l->true_peak != -HUGE_VAL)
		cJSON_AddNumberToObject(o, "true_peak",
		    round(l->true_peak * 100) / 100);
	cJSON_AddNumberToObject(o, "range", round(l->range * 100) / 100);
	return o;
}

static void
content_id(const struct edl *e, char id[24])
{
	struct ag_sha256 h;
	char hex[AG_SHA256_HEX];

	ag_sha256_init(&h);
	ag_sha256_update(&h, "agency.production", 18);
	ag_sha256_update(&h, e->hash, strlen(e->hash));
	ag_sha256_hex(&h, hex);
	snprintf(id, 24, "c_%.16s", hex);
}

static char *
absolute(const char *path)
{
	char *r = realpath(path, NULL);

	return r != NULL ? r : xstrdup(path);
}

static void
add_path(cJSON *o, const char *key, const char *path)
{
	char *abs = absolute(path);

	cJSON_AddStringToObject(o, key, abs);
	free(abs);
}

/* The agency.production document of what was made. */
static cJSON *
production(struct rjob *j, const char *id, const struct media_probe *p,
    const char *sha)
{
	const struct edl *e = j->e;
	cJSON *doc = ag_doc_new("agency.production"), *o, *v;
	char when[32];

	cJSON_AddStringToObject(doc, "id", id);
	if (e->title != NULL)
		cJSON_AddStringToObject(doc, "title", e->title);
	add_path(doc, "video", j->video.path);
	if (j->srt.path != NULL || j->vtt.path != NULL ||
	    j->ass_out.path != NULL) {
		o = cJSON_AddObjectToObject(doc, "subtitles");
		if (j->srt.path != NULL)
			add_path(o, "srt", j->srt.path);
		if (j->vtt.path != NULL)
			add_path(o, "vtt", j->vtt.path);
		if (j->ass_out.path != NULL)
			add_path(o, "ass", j->ass_out.path);
	}
	if (j->thumb.path != NULL)
		add_path(doc, "thumbnail", j->thumb.path);
	if (j->sheet.path != NULL)
		add_path(doc, "contact_sheet", j->sheet.path);
	cJSON_AddNumberToObject(doc, "duration",
	    round(p->duration * 1000) / 1000);
	cJSON_AddNumberToObject(doc, "width", p->width);
	cJSON_AddNumberToObject(doc, "height", p->height);
	cJSON_AddNumberToObject(doc, "fps", e->fps);
	cJSON_AddNumberToObject(doc, "size", (double)p->bytes);
	cJSON_AddStringToObject(doc, "sha256", sha);
	o = cJSON_AddObjectToObject(doc, "codecs");
	v = cJSON_AddObjectToObject(o, "video");
	cJSON_AddStringToObject(v, "codec", p->vcodec);
	cJSON_AddStringToObject(v, "profile", p->vprofile);
	cJSON_AddStringToObject(v, "pix_fmt", p->pix_fmt);
	cJSON_AddStringToObject(v, "x264_preset", j->q->x264);
	cJSON_AddNumberToObject(v, "crf", j->q->crf);
	v = cJSON_AddObjectToObject(o, "audio");
	cJSON_AddStringToObject(v, "codec", p->acodec);
	cJSON_AddStringToObject(v, "profile", p->aprofile);
	cJSON_AddNumberToObject(v, "sample_rate", p->sample_rate);
	cJSON_AddNumberToObject(v, "channels", p->channels);
	cJSON_AddItemToObject(doc, "loudness", loud_json(&j->heard));
	cJSON_AddBoolToObject(doc, "faststart", p->faststart == 1);
	cJSON_AddNumberToObject(doc, "edit_lists", p->edit_lists);
	cJSON_AddStringToObject(doc, "edl", e->hash);
	cJSON_AddStringToObject(doc, "preset", e->preset);
	cJSON_AddStringToObject(doc, "created", ag_time_format(time(NULL),
	    when));
	if (e->meta != NULL) {
		/* What the director passed on from the script. */
		const cJSON *it;

		cJSON_ArrayForEach(it, e->meta)
			if (cJSON_GetObjectItem(doc, it->string) == NULL)
				cJSON_AddItemToObject(doc, it->string,
				    cJSON_Duplicate(it, 1));
	}
	return doc;
}

static int
record(struct agency *ag, struct rjob *j, const char *id, const cJSON *doc,
    const struct media_probe *p, const char *sha)
{
	struct store *st;
	struct asset as;
	char tsha[AG_SHA256_HEX];
	int rc;

	if ((rc = ag_store(ag, &st)) != AG_OK ||
	    (rc = store_begin(ag, st)) != AG_OK)
		return rc;
	if ((rc = content_put(ag, st, id, doc)) != AG_OK)
		goto fail;
	memset(&as, 0, sizeof(as));
	as.sha256 = sha;
	as.path = cJSON_GetStringValue(cJSON_GetObjectItem(doc, "video"));
	as.kind = "video";
	as.mime = "video/mp4";
	as.tags = "production";
	as.content_id = id;
	as.bytes = p->bytes;
	as.duration = p->duration;
	as.width = p->width;
	as.height = p->height;
	if ((rc = assets_add(ag, st, &as, NULL)) != AG_OK)
		goto fail;
	if (j->thumb.path != NULL) {
		as.path = cJSON_GetStringValue(cJSON_GetObjectItem(doc,
		    "thumbnail"));
		if ((rc = ag_sha256_file(ag, as.path, tsha)) != AG_OK)
			goto fail;
		as.sha256 = tsha;
		as.kind = "image";
		as.mime = "image/jpeg";
		as.tags = "thumbnail";
		as.duration = 0;
		as.bytes = 0;
		if ((rc = assets_add(ag, st, &as, NULL)) != AG_OK)
			goto fail;
	}
	return store_commit(ag, st);
fail:
	store_rollback(st);
	return rc;
}

static void
job_release(struct rjob *j)
{
	int k;

	out_abort(&j->video);
	out_abort(&j->srt);
	out_abort(&j->vtt);
	out_abort(&j->ass_out);
	out_abort(&j->thumb);
	out_abort(&j->sheet);
	scratch_close(&j->ass);
	scratch_close(&j->title);
	vgraph_free(j->vg);
	mix_free(j->mix);
	encoder_free(j->enc);
	for (k = 0; k < SHEET_N; k++)
		av_frame_free(&j->keep[k]);
	av_frame_free(&j->cover);
}

int
media_render(struct agency *ag, const struct edl *e,
    const struct render_args *a, cJSON **out)
{
	struct rjob j;
	struct media_probe p;
	struct store *st;
	char id[24], sha[AG_SHA256_HEX];
	cJSON *doc = NULL;
	int rc;

	memset(&j, 0, sizeof(j));
	j.e = e;
	j.a = a;
	j.ass.fd = j.title.fd = -1;
	if ((j.q = media_quality_find(a->quality ? a->quality :
	    e->quality)) == NULL)
		return ag_fail(ag, AG_USAGE, "quality '%s': expected draft, "
		    "normal or high", a->quality);
	/* A store that cannot be used fails now, not after the work. */
	if ((rc = ag_store(ag, &st)) != AG_OK ||
	    (rc = open_outputs(ag, &j)) != AG_OK)
		goto out;
	ag_info(ag, "mixing the sound");
	if ((rc = mix_new(ag, e, &j.mix)) != AG_OK ||
	    (rc = vgraph_new(ag, e, j.ass.fd >= 0 ? j.ass.name : NULL,
	    j.thumb.open || j.sheet.open, &j.vg)) != AG_OK ||
	    (rc = frames(ag, &j)) != AG_OK ||
	    (rc = pictures(ag, &j)) != AG_OK)
		goto out;
	/*
	 * The file is complete: check it as a platform would, and measure
	 * its sound as a player hears it (AAC adds a few tenths of a dB to
	 * the true peak the mix had).
	 */
	if ((rc = media_probe(ag, j.video.af.tmp, &p)) != AG_OK ||
	    (rc = audiofile_measure(ag, j.video.af.tmp, &j.heard)) != AG_OK ||
	    (rc = report_loudness(ag, &j)) != AG_OK ||
	    (rc = ag_sha256_file(ag, j.video.af.tmp, sha)) != AG_OK)
		goto out;
	if ((rc = commit(ag, &j.video)) != AG_OK ||
	    (rc = commit(ag, &j.srt)) != AG_OK ||
	    (rc = commit(ag, &j.vtt)) != AG_OK ||
	    (rc = commit(ag, &j.ass_out)) != AG_OK ||
	    (rc = commit(ag, &j.thumb)) != AG_OK ||
	    (rc = commit(ag, &j.sheet)) != AG_OK)
		goto out;
	content_id(e, id);
	doc = production(&j, id, &p, sha);
	if ((rc = record(ag, &j, id, doc, &p, sha)) != AG_OK)
		goto out;
	*out = doc;
	doc = NULL;
out:
	cJSON_Delete(doc);
	job_release(&j);
	return rc;
}
