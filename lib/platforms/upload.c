/*
 * upload.c - the engine: one production to each account, through the
 * publish journal, so that a post is never lost and never made twice.
 *
 * Protocol (../shared/reference/platforms.md §0.1).  For each (content,
 * account) there is one journal row (store.h).  Under a file lock (one
 * process drives a journal at a time; a second one exits 75), in
 * order:
 *
 *  1. A journal already "published" prints the post it recorded and
 *     stops: running the same command again is always safe.
 *  2. The media is probed and checked against the target's limits; the
 *     schedule guard is asked.  Nothing has been sent yet.
 *  3. A journal left in "publishing" (a crash or an unknown outcome in
 *     the publish step) asks the platform whether the post exists
 *     before anything else: found, it is recorded as published; not
 *     found, we publish; cannot tell, we stop with 75 and send nothing.
 *     A platform that is idempotent (PF_IDEMPOTENT) just publishes.
 *  4. Without a media id: "uploading" is saved, then the platform's
 *     upload() resumes from the session it recorded (it saves the
 *     session before its first byte and the acknowledged offset as it
 *     goes), then "uploaded" with the media id is saved.
 *  5. The guard is asked again; then "publishing" is saved with the
 *     attempt's start, the platform publishes, and "published" with the
 *     remote id, url and the agency.post is saved and printed.  An
 *     unknown outcome goes back to 3 (a few times, with backoff).
 *
 * Each save happens before the step it announces and after the step
 * it records, so a kill -9 at any instant leaves a journal that says
 * what may have happened, and step 3 settles the one ambiguous case.
 * A dry run reads the journal but writes nothing, takes no lock, and
 * has the platforms describe their requests instead of sending them.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agency.h"
#include "media/media.h"
#include "media/preset.h"
#include "platforms/platform.h"

/* The production, read once for all targets. */
struct prod {
	const cJSON *doc;
	const char *name;		/* for messages */
	const char *id;
	char *video;			/* absolute when it exists */
	const char *thumbnail, *srt, *vtt;
	long long size;			/* -1: not given */
	struct media_probe_job *job;	/* the probe, started at once */
	struct media_probe probe;
	int probed;			/* 0 not yet, 1 done, -1 failed */
	int probe_rc;
	char probe_err[sizeof(((struct agency *)0)->err)];
};

static int
read_production(struct agency *ag, const struct upload_args *a,
    struct prod *p)
{
	struct jpath jp;
	const cJSON *subs = NULL;
	const char *video = NULL;
	char real[PATH_MAX];
	int rc;

	memset(p, 0, sizeof(*p));
	p->doc = a->production;
	p->name = a->name ? a->name : "<stdin>";
	p->size = -1;
	jpath_init(&jp, p->name);
	if ((rc = ag_doc_check(ag, p->name, p->doc, "agency.production")) !=
	    AG_OK ||
	    (rc = jget_string(ag, &jp, p->doc, "id", J_REQUIRED, &p->id)) !=
	    AG_OK ||
	    (rc = jget_string(ag, &jp, p->doc, "video", J_REQUIRED, &video)) !=
	    AG_OK ||
	    (rc = jget_string(ag, &jp, p->doc, "thumbnail", J_OPTIONAL,
	    &p->thumbnail)) != AG_OK ||
	    (rc = jget_object(ag, &jp, p->doc, "subtitles", J_OPTIONAL,
	    &subs)) != AG_OK ||
	    (rc = jget_int(ag, &jp, p->doc, "size", J_OPTIONAL, &p->size)) !=
	    AG_OK)
		return rc;
	if (subs != NULL) {
		size_t mark = jpath_key(&jp, "subtitles");

		if ((rc = jget_string(ag, &jp, subs, "srt", J_OPTIONAL,
		    &p->srt)) != AG_OK ||
		    (rc = jget_string(ag, &jp, subs, "vtt", J_OPTIONAL,
		    &p->vtt)) != AG_OK)
			return rc;
		jpath_pop(&jp, mark);
	}
	if (*p->id == '\0')
		return jpath_fail(ag, &jp, "$.id: expected a content id");
	p->video = xstrdup(realpath(video, real) ? real : video);
	/* The probe runs while the accounts, the store and the network
	 * are made ready; probe() takes its answer.  One that cannot
	 * start is tried again there, to say why. */
	if (media_probe_start(ag, p->video, &p->job) != AG_OK) {
		ag_clear_error(ag);
		p->job = NULL;
	}
	return AG_OK;
}

static void
prod_release(struct prod *p)
{
	media_probe_cancel(p->job);
	free(p->video);
}

/* Probe once; every target after the first sees the same answer. */
static int
probe(struct agency *ag, struct prod *p)
{
	struct stat sb;

	if (p->probed == 0) {
		p->probe_rc = p->job != NULL ? media_probe_finish(ag, p->job,
		    &p->probe) : media_probe_by_tool(ag, p->video, &p->probe);
		p->job = NULL;
		if (p->probe_rc == AG_OK && p->size >= 0 &&
		    stat(p->video, &sb) == 0 && sb.st_size != p->size)
			p->probe_rc = ag_fail(ag, AG_DATAERR, "'%s' has %lld "
			    "bytes, but %s says %lld: the video changed after "
			    "it was produced", p->video,
			    (long long)sb.st_size, p->name, p->size);
		p->probed = p->probe_rc == AG_OK ? 1 : -1;
		memcpy(p->probe_err, ag->err, sizeof(p->probe_err));
	}
	if (p->probed < 0) {
		memcpy(ag->err, p->probe_err, sizeof(ag->err));
		return p->probe_rc;
	}
	return AG_OK;
}

/* "agency-" and 16 hex digits of sha256(content "\n" account). */
static void
marker(const char *content, const char *account, char *out, size_t len)
{
	struct ag_sha256 c;
	char hex[AG_SHA256_HEX];

	ag_sha256_init(&c);
	ag_sha256_update(&c, content, strlen(content));
	ag_sha256_update(&c, "\n", 1);
	ag_sha256_update(&c, account, strlen(account));
	ag_sha256_hex(&c, hex);
	snprintf(out, len, "agency-%.16s", hex);
}

static void
fingerprint(const char *path, char *out, size_t len)
{
	struct stat sb;

	if (stat(path, &sb) == -1)
		snprintf(out, len, "missing");
	else
		snprintf(out, len, "%lld:%lld.%09ld:%llu",
		    (long long)sb.st_size, (long long)sb.st_mtim.tv_sec,
		    sb.st_mtim.tv_nsec, (unsigned long long)sb.st_ino);
}

/* Title, description and tags: flags, then captions, then the doc. */
static void
captions(struct upload_ctx *c, const struct upload_args *a,
    const char ***tagv)
{
	const cJSON *caps = cJSON_GetObjectItem(c->production, "captions");
	const cJSON *cap = cJSON_GetObjectItem(caps, c->ops->name), *t, *x;
	const cJSON *script = cJSON_GetObjectItem(c->production, "script");
	size_t n = 0;

	if (!cJSON_IsObject(cap))
		cap = cJSON_GetObjectItem(caps, "default");
	c->title = a->title ? a->title : ag_jstr(cap, "title");
	if (c->title == NULL)
		c->title = ag_jstr(c->production, "title");
	if (c->title == NULL)
		c->title = ag_jstr(script, "title");
	if (c->title == NULL)
		c->title = c->content_id;
	c->description = a->description ? a->description :
	    ag_jstr(cap, "description");
	if (c->description == NULL)
		c->description = "";
	if (a->tags != NULL) {
		while (a->tags[n] != NULL)
			n++;
		*tagv = xcalloc(n + 1, sizeof(**tagv));
		memcpy(*tagv, a->tags, n * sizeof(**tagv));
	} else {
		t = cJSON_GetObjectItem(cap, "tags");
		if (!cJSON_IsArray(t))
			t = cJSON_GetObjectItem(script, "hashtags");
		*tagv = xcalloc((size_t)cJSON_GetArraySize(t) + 1,
		    sizeof(**tagv));
		cJSON_ArrayForEach(x, t)
			if (cJSON_IsString(x) && *x->valuestring != '\0')
				(*tagv)[n++] = x->valuestring[0] == '#' ?
				    x->valuestring + 1 : x->valuestring;
	}
	c->tags = *tagv;
	c->ntags = n;
}

static void
set_state(struct upload_ctx *c, const char *state)
{
	upload_journal_set(&c->j->state, state);
}

/* The agency.post of this target. */
static cJSON *
post_doc(struct upload_ctx *c, const char *state, double seconds)
{
	cJSON *d = ag_doc_new("agency.post"), *v;
	char b[AG_TIMEBUF];

	if (c->ops != NULL) {
		cJSON_AddStringToObject(d, "platform", c->ops->name);
	} else {
		const char *colon = strchr(c->account, ':');
		char *pf = xstrndup(c->account, colon ? (size_t)(colon -
		    c->account) : strlen(c->account));

		cJSON_AddStringToObject(d, "platform", pf);
		free(pf);
	}
	cJSON_AddStringToObject(d, "account", c->account);
	cJSON_AddStringToObject(d, "content_id", c->content_id);
	if (c->remote_id != NULL)
		cJSON_AddStringToObject(d, "remote_id", c->remote_id);
	else
		cJSON_AddNullToObject(d, "remote_id");
	if (c->url != NULL)
		cJSON_AddStringToObject(d, "url", c->url);
	else
		cJSON_AddNullToObject(d, "url");
	cJSON_AddStringToObject(d, "state", state);
	cJSON_AddNumberToObject(d, "bytes", (double)c->bytes);
	cJSON_AddNumberToObject(d, "seconds", seconds);
	if (c->j != NULL && c->j->created_at > 0)
		cJSON_AddStringToObject(d, "created_at", ag_time_format(
		    (time_t)(c->j->created_at / 1000), b));
	if (c->j != NULL && c->j->published_at > 0)
		cJSON_AddStringToObject(d, "published_at", ag_time_format(
		    (time_t)(c->j->published_at / 1000), b));
	if (c->j != NULL && c->j->schedule != NULL)
		cJSON_AddStringToObject(d, "schedule", c->j->schedule);
	cJSON_ArrayForEach(v, c->post)
		if (cJSON_GetObjectItem(d, v->string) == NULL)
			cJSON_AddItemToObject(d, v->string,
			    cJSON_Duplicate(v, 1));
	return d;
}

static int
emit(struct agency *ag, const struct upload_args *a, cJSON *doc)
{
	int rc = a->emit ? a->emit(ag, a->emit_arg, doc) : AG_OK;

	cJSON_Delete(doc);
	return rc;
}

static double
elapsed(int64_t t0)
{
	return (double)(ag_mono_ms() - t0) / 1000;
}

/* The post is live: record it (after the fact) and print it. */
static int
published(struct upload_ctx *c, const struct upload_args *a, int64_t t0)
{
	cJSON *doc;
	char *text;
	int rc;

	set_state(c, "published");
	upload_journal_set(&c->j->remote_id, c->remote_id);
	upload_journal_set(&c->j->url, c->url);
	upload_journal_set(&c->j->error, NULL);
	if (!c->dry_run)
		c->j->published_at = ag_now_ms();
	doc = post_doc(c, c->dry_run ? "planned" : "published", 0);
	cJSON_DeleteItemFromObject(doc, "seconds");
	text = cJSON_PrintUnformatted(doc);
	upload_journal_set(&c->j->post, text);
	cJSON_free(text);
	rc = upload_save(c);
	cJSON_AddNumberToObject(doc, "seconds", elapsed(t0));
	if (rc != AG_OK) {
		/*
		 * The post exists but the journal could not say so: the
		 * next run asks find_existing() (the journal still says
		 * publishing).  Report it, do not hide it.
		 */
		cJSON_Delete(doc);
		return rc;
	}
	return emit(c->ag, a, doc);
}

/* A journal published already: its post again. */
static int
existing(struct upload_ctx *c, const struct upload_args *a, int64_t t0)
{
	cJSON *doc = c->j->post ? cJSON_Parse(c->j->post) : NULL;

	if (!cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		upload_journal_set(&c->remote_id, c->j->remote_id);
		upload_journal_set(&c->url, c->j->url);
		c->bytes = c->j->bytes;
		doc = post_doc(c, "published", 0);
	}
	cJSON_DeleteItemFromObject(doc, "seconds");
	cJSON_AddNumberToObject(doc, "seconds", elapsed(t0));
	cJSON_AddBoolToObject(doc, "existing", 1);
	ag_info(c->ag, "%s: '%s' was published already: %s", c->account,
	    c->content_id, c->j->url ? c->j->url : c->j->remote_id ?
	    c->j->remote_id : "");
	return emit(c->ag, a, doc);
}

/* The guard said no: print a cancelled post, status 0. */
static int
cancelled(struct upload_ctx *c, const struct upload_args *a, int64_t t0,
    const char *why)
{
	cJSON *doc = post_doc(c, "cancelled", elapsed(t0));

	cJSON_AddStringToObject(doc, "reason", why);
	ag_info(c->ag, "%s: not published: %s", c->account, why);
	return emit(c->ag, a, doc);
}

/* Ask the schedule guard; AG_FALSE fills why. */
static int
guard(struct upload_ctx *c, const struct upload_args *a,
    enum upload_stage stage, char *why, size_t len)
{
	int rc;

	if (a->schedule == NULL || a->schedule_live == NULL)
		return AG_OK;
	snprintf(why, len, "the schedule entry %s is no longer live",
	    a->schedule);
	rc = a->schedule_live(c->ag, a->schedule_arg, a->schedule,
	    c->account, stage, why, len);
	return rc;
}

/* Record an error on the journal (best effort: it is the error we
 * report that matters). */
static void
note_error(struct upload_ctx *c, int rc)
{
	char saved[sizeof(c->ag->err)];

	memcpy(saved, c->ag->err, sizeof(saved));
	upload_journal_set(&c->j->error, c->ag->err);
	if (rc != AG_TEMPFAIL && strcmp(c->j->state, "publishing") != 0)
		set_state(c, "failed");
	if (upload_save(c) != AG_OK)
		ag_warn(c->ag, "%s: cannot record the error: %s", c->account,
		    c->ag->err);
	memcpy(c->ag->err, saved, sizeof(saved));
}

/*
 * After a crash or an unknown outcome in "publishing": AG_OK when the
 * post exists (c->remote_id, c->url set), AG_FALSE when publishing
 * (again) is right, an error (75) when nobody can tell.  An idempotent
 * platform is not asked: sending again is what it is made for.
 */
static int
find(struct upload_ctx *c)
{
	int rc;

	if (c->ops->flags & PF_IDEMPOTENT)
		return AG_FALSE;
	if (c->ops->find_existing == NULL)
		return ag_fail(c->ag, AG_TEMPFAIL, "%s: a publish of '%s' may "
		    "have happened and %s cannot tell; see agency-upload "
		    "status", c->account, c->content_id, c->ops->name);
	ag_info(c->ag, "%s: the last publish of '%s' may have happened; "
	    "looking for %s", c->account, c->content_id, c->marker);
	rc = c->ops->find_existing(c);
	if (rc == AG_OK || rc == AG_FALSE)
		return rc;
	ag_prefix(c->ag, "%s: cannot tell whether '%s' was published; "
	    "nothing was sent", c->account, c->content_id);
	return AG_TEMPFAIL;
}

static int
lock_journal(struct upload_ctx *c, struct store *st, int *fd)
{
	const char *path = store_path(st), *slash;
	char *lock;
	int rc;

	*fd = -1;
	if (strcmp(path, ":memory:") == 0)
		return AG_OK;
	slash = strrchr(path, '/');
	lock = xasprintf("%.*s/locks/upload-%s.lock", slash ?
	    (int)(slash - path) : 1, slash ? path : ".", c->marker);
	rc = ag_lock(c->ag, lock, config_number(c->ag, "upload.lock_wait"),
	    fd);
	if (rc == AG_TEMPFAIL)
		ag_fail(c->ag, AG_TEMPFAIL, "%s: another agency-upload is "
		    "publishing '%s' there; try again later", c->account,
		    c->content_id);
	free(lock);
	return rc;
}

static void
ctx_release(struct upload_ctx *c)
{
	if (c->progress_on)
		ag_progress_end(&c->progress);
	upload_journal_free(c->j);
	cJSON_Delete((cJSON *)c->settings);
	cJSON_Delete(c->cred);
	cJSON_Delete(c->post);
	free(c->remote_id);
	free(c->url);
	free(c->token);
	free(c->rendition);
}

/* Is the probed video larger than the target's frame? */
static int
too_large(const struct media_limits *l, const struct media_probe *p)
{
	return l != NULL && ((l->max_width > 0 && p->width > l->max_width) ||
	    (l->max_height > 0 && p->height > l->max_height));
}

/*
 * --transcode: a target whose frame the video does not fit (X) gets a
 * rendition, made once through lib/media beside the video as
 * NAME.PLATFORM.mp4 and kept, so a re-run or a resume publishes the
 * very file the journal started with.
 */
static int
rendition(struct upload_ctx *c, const struct prod *p)
{
	const struct media_limits *l = c->ops->limits;
	const char *dot, *slash;
	size_t n;
	int rc;

	if (!c->transcode || !too_large(l, &p->probe) || l->rendition == NULL)
		return AG_OK;
	if (media_preset_find(c->ops->name) == NULL)
		return ag_fail(c->ag, AG_DATAERR, "%s: no preset makes the %s "
		    "rendition %s needs", c->account, l->rendition,
		    c->ops->name);
	dot = strrchr(p->video, '.');
	slash = strrchr(p->video, '/');
	n = dot != NULL && (slash == NULL || dot > slash) ?
	    (size_t)(dot - p->video) : strlen(p->video);
	c->rendition = xasprintf("%.*s.%s.mp4", (int)n, p->video,
	    c->ops->name);
	if (access(c->rendition, R_OK) == 0 &&
	    media_probe_by_tool(c->ag, c->rendition, &c->rprobe) == AG_OK &&
	    !too_large(l, &c->rprobe)) {
		ag_info(c->ag, "%s: the %s rendition '%s' is there already",
		    c->account, l->rendition, c->rendition);
	} else if (c->dry_run) {
		ag_clear_error(c->ag);
		ag_info(c->ag, "%s: would make the %s rendition '%s'",
		    c->account, l->rendition, c->rendition);
		return AG_OK;
	} else {
		ag_clear_error(c->ag);
		ag_info(c->ag, "%s: making the %s rendition '%s'", c->account,
		    l->rendition, c->rendition);
		if ((rc = media_transcode_by_tool(c->ag, p->video,
		    c->ops->name, c->rendition)) != AG_OK ||
		    (rc = media_probe_by_tool(c->ag, c->rendition,
		    &c->rprobe)) != AG_OK)
			return rc;
	}
	c->video = c->rendition;
	c->probe = &c->rprobe;
	c->bytes = c->rprobe.bytes;
	cJSON_AddStringToObject(c->post, "rendition", c->rendition);
	return AG_OK;
}

/*
 * The journal, created now that the media passed its checks (a dry run
 * makes a pretend one and writes nothing).  The production goes into
 * the store too, so that "agency-upload resume" can go on without it.
 */
static int
open_journal(struct upload_ctx *c)
{
	struct store *st;
	int rc;

	if (c->j != NULL && c->dry_run)
		return AG_OK;
	if (c->dry_run) {
		c->j = xcalloc(1, sizeof(*c->j));
		c->j->content_id = xstrdup(c->content_id);
		c->j->account = xstrdup(c->account);
		c->j->platform = xstrdup(c->ops->name);
		c->j->state = xstrdup("pending");
		c->j->idem_key = xstrdup(c->marker);
		c->j->extra = cJSON_CreateObject();
		return AG_OK;
	}
	if ((rc = ag_store(c->ag, &st)) != AG_OK ||
	    (rc = content_put(c->ag, st, c->content_id, c->production)) !=
	    AG_OK)
		return rc;
	if (c->j != NULL)
		return AG_OK;
	return uploads_open(c->ag, st, c->content_id, c->account,
	    c->ops->name, c->marker, &c->j);
}

/* Publish to one account; the journal is locked (and may not exist). */
static int
drive(struct upload_ctx *c, const struct upload_args *a, struct prod *p,
    int64_t t0)
{
	char why[512], fp[128];
	int rc, try, retries = (int)config_int(c->ag, "upload.publish_retries");
	unsigned int seed = (unsigned int)ag_now_ms();

	if (c->j != NULL && strcmp(c->j->state, "published") == 0)
		return existing(c, a, t0);
	if ((rc = probe(c->ag, p)) != AG_OK)
		return rc;
	c->probe = &p->probe;
	c->bytes = p->probe.bytes;
	if ((rc = rendition(c, p)) != AG_OK)
		return rc;
	if ((rc = c->ops->validate ? c->ops->validate(c) :
	    platform_check_media(c, c->ops->limits)) != AG_OK)
		return rc;
	if ((rc = guard(c, a, UPLOAD_BEFORE_UPLOAD, why, sizeof(why))) ==
	    AG_FALSE)
		return cancelled(c, a, t0, why);
	if (rc != AG_OK)
		return rc;
	if ((rc = open_journal(c)) != AG_OK)
		return rc;
	fingerprint(c->video, fp, sizeof(fp));
	if (c->j->media_id == NULL && c->j->fingerprint != NULL &&
	    strcmp(c->j->fingerprint, fp) != 0 && c->j->session != NULL) {
		ag_warn(c->ag, "%s: '%s' changed since the last attempt; "
		    "starting the upload again", c->account, c->video);
		upload_journal_set(&c->j->session, NULL);
		c->j->sent = 0;
		cJSON_Delete(c->j->extra);
		c->j->extra = cJSON_CreateObject();
	} else if (c->j->media_id != NULL && c->j->fingerprint != NULL &&
	    strcmp(c->j->fingerprint, fp) != 0) {
		ag_warn(c->ag, "%s: '%s' changed after it was uploaded; "
		    "publishing what was uploaded", c->account, c->video);
	}
	upload_journal_set(&c->j->fingerprint, fp);
	upload_journal_set(&c->j->file, c->video);
	c->j->bytes = c->bytes;
	if (a->schedule != NULL)
		upload_journal_set(&c->j->schedule, a->schedule);
	upload_crash(c, "before-upload");

	if (strcmp(c->j->state, "publishing") == 0) {
		if ((rc = find(c)) == AG_OK)
			return published(c, a, t0);
		if (rc != AG_FALSE)
			return rc;
		set_state(c, "uploaded");
	}
	if (c->j->media_id == NULL) {
		set_state(c, "uploading");
		if ((rc = upload_save(c)) != AG_OK)
			return rc;
		ag_progress_start(c->ag, &c->progress, c->account,
		    (double)c->bytes, 1);
		c->progress_on = 1;
		ag_progress_update(&c->progress, (double)c->j->sent);
		rc = c->ops->upload(c);
		ag_progress_end(&c->progress);
		c->progress_on = 0;
		if (rc != AG_OK) {
			note_error(c, rc);
			return rc;
		}
		if (c->j->media_id == NULL)
			upload_journal_set(&c->j->media_id, "");
		upload_crash(c, "uploaded");
		set_state(c, "uploaded");
		upload_journal_set(&c->j->error, NULL);
		if ((rc = upload_save(c)) != AG_OK)
			return rc;
	}
	if ((rc = guard(c, a, UPLOAD_BEFORE_PUBLISH, why, sizeof(why))) ==
	    AG_FALSE)
		return cancelled(c, a, t0, why);
	if (rc != AG_OK)
		return rc;
	for (try = 0;; try++) {
		set_state(c, "publishing");
		c->j->attempts++;
		c->j->publish_started_at = ag_now_ms();
		if ((rc = upload_save(c)) != AG_OK)
			return rc;
		upload_crash(c, "publishing");
		rc = c->ops->publish(c);
		if (rc == AG_OK) {
			upload_crash(c, "published");
			return published(c, a, t0);
		}
		if (rc != AG_TEMPFAIL) {
			/* Refused for certain: nothing exists, publish again
			 * next time (the media id is kept). */
			set_state(c, "failed");
			note_error(c, rc);
			return rc;
		}
		note_error(c, rc);		/* still "publishing" */
		if (try >= retries || c->later)
			return rc;
		ag_info(c->ag, "%s", c->ag->err);
		ag_sleep_ms((int64_t)(1000 * http_backoff(config_number(c->ag,
		    "http.backoff"), config_number(c->ag, "http.max_wait"),
		    try, &seed)));
		if ((rc = find(c)) == AG_OK)
			return published(c, a, t0);
		if (rc != AG_FALSE)
			return rc;
	}
}

static int
publish_one(struct agency *ag, const struct upload_args *a, struct prod *p,
    const char *account)
{
	struct upload_ctx c;
	struct store *st = NULL;
	const char **tagv = NULL;
	cJSON *settings = NULL;
	char mark[32];
	int64_t t0 = ag_mono_ms();
	int rc, fd = -1;
	const char *colon = strchr(account, ':');

	memset(&c, 0, sizeof(c));
	c.ag = ag;
	c.account = account;
	c.name = colon ? colon + 1 : account;
	c.production = p->doc;
	c.content_id = p->id;
	c.video = p->video;
	c.thumbnail = p->thumbnail;
	c.srt = p->srt;
	c.vtt = p->vtt;
	c.dry_run = a->dry_run;
	c.transcode = a->transcode;
	c.privacy = a->privacy;
	c.on_request = a->on_request;
	c.request_arg = a->request_arg;
	c.post = cJSON_CreateObject();
	marker(p->id, account, mark, sizeof(mark));
	c.marker = mark;
	if ((rc = platform_account_open(ag, account, a->dry_run, &c.ops,
	    &settings, &c.cred)) != AG_OK)
		goto out;
	c.settings = settings;
	/* A platform on the network: libcurl loads while the probe runs. */
	if (c.ops->auth != PLATFORM_AUTH_NONE && !a->dry_run) {
		struct http *h;

		if ((rc = ag_http(ag, &h)) != AG_OK)
			goto out;
	}
	c.made_for_kids = a->made_for_kids >= 0 ? a->made_for_kids :
	    upload_setting_bool(&c, "made_for_kids", 0);
	captions(&c, a, &tagv);
	if ((rc = ag_store(ag, &st)) != AG_OK)
		goto out;
	if (!a->dry_run && (rc = lock_journal(&c, st, &fd)) != AG_OK)
		goto out;
	if ((rc = uploads_get(ag, st, p->id, account, &c.j)) == AG_NOINPUT) {
		ag_clear_error(ag);
		c.j = NULL;
	} else if (rc != AG_OK) {
		goto out;
	}
	rc = drive(&c, a, p, t0);
out:
	if (rc != AG_OK) {
		cJSON *doc = post_doc(&c, rc == AG_TEMPFAIL ? "retry" :
		    "failed", elapsed(t0));

		cJSON_AddStringToObject(doc, "error", ag->err);
		{
			char saved[sizeof(ag->err)];

			memcpy(saved, ag->err, sizeof(saved));
			if (emit(ag, a, doc) != AG_OK)
				rc = AG_IOERR;
			else
				memcpy(ag->err, saved, sizeof(saved));
		}
	}
	ag_unlock(fd);
	free(tagv);
	ctx_release(&c);
	return rc;
}

static int
run(struct agency *ag, const struct upload_args *a, struct prod *p,
    const char *const *to)
{
	size_t n = 0, i, k, failed = 0;
	int rc, worst = AG_OK;

	while (to[n] != NULL)
		n++;
	for (i = 0; i < n; i++) {
		for (k = 0; k < i && strcmp(to[k], to[i]) != 0; k++)
			;
		if (k < i)
			continue;	/* named twice: once is enough */
		rc = publish_one(ag, a, p, to[i]);
		if (rc == AG_OK)
			continue;
		failed++;
		if (n > 1)
			ag_log(ag, AG_LOG_ERROR, "%s", ag->err);
		if (rc > worst)
			worst = rc;
	}
	if (failed > 0 && n > 1)
		ag_fail(ag, worst, "%zu of %zu targets failed", failed, n);
	return worst;
}

int
upload_run(struct agency *ag, const struct upload_args *a)
{
	struct prod p;
	int rc;

	if (a->to == NULL || a->to[0] == NULL)
		return ag_fail(ag, AG_USAGE, "no target: give --to ACCOUNT");
	if ((rc = read_production(ag, a, &p)) == AG_OK)
		rc = run(ag, a, &p, a->to);
	prod_release(&p);
	return rc;
}

/* upload_resume: the unfinished journals, gathered first. */
struct pending {
	char **content, **account, **schedule;
	size_t n;
};

static int
collect(void *arg, const struct upload_journal *j)
{
	struct pending *pd = arg;

	pd->content = xreallocarray(pd->content, pd->n + 1, sizeof(char *));
	pd->account = xreallocarray(pd->account, pd->n + 1, sizeof(char *));
	pd->schedule = xreallocarray(pd->schedule, pd->n + 1,
	    sizeof(char *));
	pd->content[pd->n] = xstrdup(j->content_id);
	pd->schedule[pd->n] = xstrdup(j->schedule);
	pd->account[pd->n++] = xstrdup(j->account);
	return AG_OK;
}

static int
gather(struct agency *ag, struct store *st, const char *const *accounts,
    int unfinished, int (*fn)(void *, const struct upload_journal *),
    void *arg)
{
	struct upload_filter f;
	size_t i;
	int rc = AG_OK;

	memset(&f, 0, sizeof(f));
	f.unfinished = unfinished;
	if (accounts == NULL || accounts[0] == NULL)
		return uploads_list(ag, st, &f, fn, arg);
	for (i = 0; accounts[i] != NULL && rc == AG_OK; i++) {
		f.account = accounts[i];
		rc = uploads_list(ag, st, &f, fn, arg);
	}
	return rc;
}

int
upload_resume(struct agency *ag, const struct upload_args *a)
{
	struct pending pd = { NULL, NULL, NULL, 0 };
	struct store *st;
	struct prod p;
	struct upload_args one = *a;
	const char *to[2] = { NULL, NULL };
	cJSON *doc;
	size_t i;
	int rc, worst = AG_OK;

	if ((rc = ag_store(ag, &st)) != AG_OK ||
	    (rc = gather(ag, st, a->to, 1, collect, &pd)) != AG_OK)
		goto out;
	if (pd.n == 0)
		ag_info(ag, "nothing to resume");
	for (i = 0; i < pd.n; i++) {
		if ((rc = content_get(ag, st, pd.content[i], &doc)) == AG_OK) {
			one.production = doc;
			one.name = pd.content[i];
			to[0] = pd.account[i];
			one.to = to;
			/* The guard of the calendar entry that started it. */
			one.schedule = pd.schedule[i];
			if ((rc = read_production(ag, &one, &p)) == AG_OK)
				rc = run(ag, &one, &p, to);
			prod_release(&p);
			cJSON_Delete(doc);
		} else {
			ag_prefix(ag, "cannot resume '%s' to '%s'",
			    pd.content[i], pd.account[i]);
		}
		if (rc != AG_OK && i + 1 < pd.n)
			ag_log(ag, AG_LOG_ERROR, "%s", ag->err);
		if (rc > worst)
			worst = rc;
	}
	rc = worst;
out:
	for (i = 0; i < pd.n; i++) {
		free(pd.content[i]);
		free(pd.account[i]);
		free(pd.schedule[i]);
	}
	free(pd.content);
	free(pd.account);
	free(pd.schedule);
	return rc;
}

struct rows {
	struct agency *ag;
	int remote;
	int (*fn)(void *arg, const cJSON *row);
	void *arg;
};

/* Ask the platform where a published post stands: row.remote, or
 * row.remote_error when it cannot say. */
static void
remote_status(struct agency *ag, const struct upload_journal *j, cJSON *row)
{
	struct upload_ctx c;
	cJSON *settings = NULL, *out = NULL;
	const char *colon = strchr(j->account, ':');
	char mark[32];
	int rc;

	memset(&c, 0, sizeof(c));
	c.ag = ag;
	c.account = j->account;
	c.name = colon ? colon + 1 : j->account;
	c.content_id = j->content_id;
	c.video = j->file;
	c.j = (struct upload_journal *)j;	/* read only */
	c.post = cJSON_CreateObject();
	marker(j->content_id, j->account, mark, sizeof(mark));
	c.marker = mark;
	rc = platform_account_open(ag, j->account, 1, &c.ops, &settings,
	    &c.cred);
	c.settings = settings;
	if (rc == AG_OK && c.ops->status == NULL)
		rc = ag_fail(ag, AG_CONFIG, "%s cannot say", c.ops->name);
	if (rc == AG_OK)
		rc = c.ops->status(&c, &out);
	if (rc == AG_OK)
		cJSON_AddItemToObject(row, "remote", out);
	else
		cJSON_AddStringToObject(row, "remote_error", ag->err);
	ag_clear_error(ag);
	c.j = NULL;
	ctx_release(&c);
}

static int
one_row(void *arg, const struct upload_journal *j)
{
	struct rows *r = arg;
	cJSON *o = upload_journal_json(j);
	int rc;

	if (r->remote && strcmp(j->state, "published") == 0)
		remote_status(r->ag, j, o);
	rc = r->fn(r->arg, o);
	cJSON_Delete(o);
	return rc;
}

int
upload_journals(struct agency *ag, const char *const *accounts,
    int unfinished, int remote, int (*fn)(void *arg, const cJSON *row),
    void *arg)
{
	struct rows r = { ag, remote, fn, arg };
	struct store *st;
	int rc;

	if ((rc = ag_store(ag, &st)) != AG_OK)
		return rc;
	return gather(ag, st, accounts, unfinished, one_row, &r);
}
