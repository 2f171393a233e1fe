/*
 * dir.c - publish into a folder tree: the offline target.
 *
 * A post is the folder ROOT/CONTENT_ID holding the video, its subtitles
 * and thumbnail under their own names, production.json and post.json.
 * ROOT is the account's "path" setting, by default
 * $XDG_DATA_HOME/agency/published/NAME.
 *
 * upload() copies the files into ROOT/.staging-MARKER (the journal's
 * session), resuming a copy where the staged file ends: the staged
 * file is the "server" here, and its length is what it acknowledged.
 * publish() renames the staging folder to ROOT/CONTENT_ID in one
 * rename(2): the post appears whole or not at all, and a folder
 * already there is never replaced (rename fails on a folder that is
 * not empty), so it cannot happen twice.  If that folder holds our
 * marker in its post.json, it is ours from a run that died before it
 * could record it, and the publish counts as done (PF_IDEMPOTENT).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agency.h"
#include "platforms/platform.h"

#define STEP (8 << 20)			/* journal the offset this often */

static const struct platform_setting settings[] = {
	{ "path", NULL, "the folder posts go in (default "
	    "$XDG_DATA_HOME/agency/published/NAME)", 0 },
	{ NULL, NULL, NULL, 0 }
};

/* The root folder (new string), absolute. */
static char *
root(struct upload_ctx *c)
{
	const char *p = upload_setting(c, "path");
	char *base, *r, *cwd;

	if (p == NULL) {
		base = ag_xdg_dir("DATA");
		r = xasprintf("%s/agency/published/%s", base, c->name);
		free(base);
		return r;
	}
	if (p[0] == '/')
		return xstrdup(p);
	cwd = getcwd(NULL, 0);
	r = xasprintf("%s/%s", cwd ? cwd : ".", p);
	free(cwd);
	return r;
}

static char *
final_dir(struct upload_ctx *c)
{
	char *r = root(c), *f;

	f = xasprintf("%s/%s", r, c->content_id);
	free(r);
	return f;
}

static void
sync_fd_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd != -1) {
		fsync(fd);
		close(fd);
	}
}

/*
 * Copy src to dst, going on from dst's length; report progress when
 * track is set.  The copy is fsync'd before it counts.
 */
static int
copy(struct upload_ctx *c, const char *src, const char *dst, int track)
{
	struct stat ss, ds;
	int in = -1, out = -1, rc = AG_OK;
	off_t off, next;
	ssize_t n;

	if ((in = open(src, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(in, &ss) == -1) {
		rc = ag_fail(c->ag, AG_NOINPUT, "%s: cannot read '%s':",
		    c->account, src);
		goto out;
	}
	if ((out = open(dst, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) == -1 ||
	    fstat(out, &ds) == -1) {
		rc = ag_fail(c->ag, AG_CANTCREAT, "%s: cannot create '%s':",
		    c->account, dst);
		goto out;
	}
	off = ds.st_size <= ss.st_size ? ds.st_size : 0;
	if (off != ds.st_size && ftruncate(out, 0) == -1) {
		rc = ag_fail(c->ag, AG_IOERR, "%s: '%s':", c->account, dst);
		goto out;
	}
	if (off > 0 && track)
		ag_info(c->ag, "%s: going on from byte %lld of '%s'",
		    c->account, (long long)off, src);
	while (off < ss.st_size) {
		next = off;
		n = copy_file_range(in, &next, out, &next, (size_t)
		    (ss.st_size - off < STEP ? ss.st_size - off : STEP), 0);
		if (n == -1 && (errno == EXDEV || errno == ENOSYS ||
		    errno == EINVAL)) {
			char b[1 << 16];
			ssize_t got = pread(in, b, sizeof(b), off);

			n = got > 0 ? pwrite(out, b, (size_t)got, off) : got;
		}
		if (n <= 0) {
			rc = ag_fail(c->ag, AG_IOERR, "%s: copying '%s' to "
			    "'%s':", c->account, src, dst);
			goto out;
		}
		off += n;
		if (track && (off % STEP == 0 || off == ss.st_size) &&
		    (rc = upload_sent(c, off)) != AG_OK)
			goto out;
		upload_crash(c, "dir-copy");
	}
	if (fsync(out) == -1)
		rc = ag_fail(c->ag, AG_IOERR, "%s: '%s':", c->account, dst);
out:
	if (in != -1)
		close(in);
	if (out != -1)
		close(out);
	return rc;
}

static int
dir_upload(struct upload_ctx *c)
{
	const char *side[3] = { c->srt, c->vtt, c->thumbnail };
	char *r = root(c), *stage, *dst, *text;
	int rc, i;

	stage = xasprintf("%s/.staging-%s", r, c->marker);
	if (c->dry_run) {
		if (c->on_request != NULL) {
			char *what = xasprintf("copy '%s' (%lld bytes) and its "
			    "files into '%s', then rename it to '%s/%s'\n",
			    c->video, (long long)c->bytes, stage, r,
			    c->content_id);

			c->on_request(c->request_arg, what);
			free(what);
		}
		rc = AG_OK;
		goto out;
	}
	/* A fresh start (no session) clears what an old attempt left. */
	if (c->j->session == NULL) {
		if ((rc = ag_remove_tree(c->ag, stage)) != AG_OK)
			goto out;
		upload_journal_set(&c->j->session, stage);
		c->j->sent = 0;
		if ((rc = upload_save(c)) != AG_OK)
			goto out;
	}
	if ((rc = ag_mkdirs(c->ag, stage, 0755)) != AG_OK)
		goto out;
	dst = xasprintf("%s/%s", stage, upload_base_name(c->video));
	rc = copy(c, c->video, dst, 1);
	free(dst);
	for (i = 0; rc == AG_OK && i < 3; i++) {
		if (side[i] == NULL)
			continue;
		dst = xasprintf("%s/%s", stage, upload_base_name(side[i]));
		rc = copy(c, side[i], dst, 0);
		free(dst);
	}
	if (rc != AG_OK)
		goto out;
	text = cJSON_PrintUnformatted(c->production);
	dst = xasprintf("%s/production.json", stage);
	rc = ag_write_file(c->ag, dst, text, strlen(text), 0644);
	free(dst);
	cJSON_free(text);
	if (rc == AG_OK)
		upload_journal_set(&c->j->media_id, stage);
out:
	free(stage);
	free(r);
	return rc;
}

/* Is final our post (post.json carries our marker)? */
static int
ours(struct upload_ctx *c, const char *final)
{
	char *path = xasprintf("%s/post.json", final);
	struct buf b = BUF_INIT;
	cJSON *doc = NULL;
	int r = 0;

	if (access(path, F_OK) == 0 &&
	    ag_read_file(c->ag, path, 1 << 20, &b) == AG_OK &&
	    (doc = cJSON_Parse(buf_str(&b))) != NULL) {
		const char *m = ag_jstr(doc, "marker");

		r = m != NULL && strcmp(m, c->marker) == 0 ? 1 : -1;
	} else if (access(final, F_OK) == 0) {
		r = -1;
	}
	ag_clear_error(c->ag);
	cJSON_Delete(doc);
	buf_release(&b);
	free(path);
	return r;
}

static void
set_post(struct upload_ctx *c, const char *final)
{
	char *url = xasprintf("file://%s/%s", final,
	    upload_base_name(c->video));

	upload_journal_set(&c->remote_id, c->content_id);
	upload_journal_set(&c->url, url);
	cJSON_DeleteItemFromObject(c->post, "path");
	cJSON_AddStringToObject(c->post, "path", final);
	free(url);
}

static int
dir_publish(struct upload_ctx *c)
{
	char *final = final_dir(c), *r = root(c), *path;
	const char *stage = c->j->media_id;
	cJSON *doc;
	int rc = AG_OK, o;

	if (c->dry_run || ours(c, final) == 1) {
		/* Published by a run that died before it could record it. */
		set_post(c, final);
		goto out;
	}
	/* post.json goes in first: the rename publishes it with the rest. */
	doc = ag_doc_new("agency.post");
	cJSON_AddStringToObject(doc, "platform", "dir");
	cJSON_AddStringToObject(doc, "account", c->account);
	cJSON_AddStringToObject(doc, "content_id", c->content_id);
	cJSON_AddStringToObject(doc, "remote_id", c->content_id);
	cJSON_AddStringToObject(doc, "state", "published");
	cJSON_AddStringToObject(doc, "title", c->title);
	cJSON_AddStringToObject(doc, "marker", c->marker);
	path = xasprintf("%s/post.json", stage);
	rc = ag_doc_write(c->ag, path, doc);
	free(path);
	cJSON_Delete(doc);
	if (rc != AG_OK)
		goto out;
	if (rename(stage, final) == 0) {
		sync_fd_dir(r);
		set_post(c, final);
		goto out;
	}
	if (errno == ENOENT) {
		/* The staged copy is gone: nothing was made; upload again. */
		rc = ag_fail(c->ag, AG_IOERR, "%s: cannot publish '%s' as "
		    "'%s':", c->account, stage, final);
		upload_journal_set(&c->j->media_id, NULL);
		upload_journal_set(&c->j->session, NULL);
		goto out;
	}
	if (errno != EEXIST && errno != ENOTEMPTY) {
		rc = ag_fail(c->ag, AG_CANTCREAT, "%s: cannot publish '%s' as "
		    "'%s':", c->account, stage, final);
		goto out;
	}
	if ((o = ours(c, final)) == 1) {
		ag_remove_tree(c->ag, stage);
		set_post(c, final);
	} else {
		rc = ag_fail(c->ag, AG_CANTCREAT, "%s: '%s' exists and is not "
		    "this post: move it away to publish again", c->account,
		    final);
	}
out:
	free(final);
	free(r);
	return rc;
}

static int
dir_find(struct upload_ctx *c)
{
	char *final = final_dir(c);
	int r = ours(c, final);

	if (r == 1)
		set_post(c, final);
	free(final);
	return r == 1 ? AG_OK : AG_FALSE;
}

static int
dir_status(struct upload_ctx *c, cJSON **out)
{
	char *final = final_dir(c);

	*out = upload_status_doc(ours(c, final) == 1, "path",
	    cJSON_CreateString(final), NULL);
	free(final);
	return AG_OK;
}

const struct platform_ops platform_dir = {
	.name = "dir",
	.summary = "a folder tree: the video and its files, one folder per "
	    "post",
	.auth = PLATFORM_AUTH_NONE,
	.flags = PF_IDEMPOTENT,
	.settings = settings,
	.limits = NULL,
	.upload = dir_upload,
	.publish = dir_publish,
	.find_existing = dir_find,
	.status = dir_status,
};
