/*
 * bytool.c - probing and renditions through agency-probe and agency-produce,
 * as child processes (media.h).
 *
 * For tools that handle media files without decoding them: agency-upload
 * checks a video against a platform's limits and asks for a rendition,
 * but it streams bytes and should start fast and stay small.  Linking
 * the FFmpeg libraries would give it some 170 shared libraries and tens
 * of megabytes before it does anything; agency-probe (libavformat and
 * little else, so it starts in some 30 ms) and agency-produce have them,
 * so they are asked ("agency-probe", "agency-produce transcode"), found
 * as every tool is (tools.h).  The child's error line comes back as
 * ours, with its exit status.  A probe can run in the background while
 * the caller gets on with other things (media_probe_start()).
 */
#include <string.h>

#include "agency.h"
#include "media/media.h"

#define TOOL_OUTPUT (1 << 20)

struct media_probe_job {
	struct proc *proc;
	char *path;
};

/* Start agency-TOOL with args. */
static int
tool_start(struct agency *ag, const char *tool, const char *const *args,
    struct proc **out)
{
	char *path = ag_tool_find(ag, tool);
	const char *argv[16];
	struct proc_opts o;
	size_t n = 0, i;
	int rc;

	if (path == NULL)
		return ag_fail(ag, AG_UNAVAILABLE, "agency-%s is not "
		    "installed (it %s media)", tool, strcmp(tool, "probe") ?
		    "transcodes" : "probes");
	argv[n++] = path;
	for (i = 0; args[i] != NULL && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	proc_opts_init(&o, (char *const *)argv);
	o.max_output = TOOL_OUTPUT;
	rc = proc_start(ag, &o, out);
	free(path);
	return rc;
}

/* Wait for it; on success its stdout is in r->out, else its last line
 * of stderr ("agency-TOOL: what: why") is our error. */
static int
tool_finish(struct agency *ag, const char *tool, struct proc *p,
    struct proc_result *r)
{
	const char *line, *end;
	size_t n = strlen(tool);
	int rc;

	while (!proc_finished(p))
		proc_poll(&p, 1, -1, 200);
	proc_end(p, r);
	if (r->exit_code == 0)
		return AG_OK;
	line = buf_str(&r->err);
	end = line + strlen(line);
	while (end > line && end[-1] == '\n')
		end--;
	for (line = end; line > buf_str(&r->err) && line[-1] != '\n'; line--)
		;
	if (strncmp(line, "agency-", 7) == 0 &&
	    strncmp(line + 7, tool, n) == 0 && strncmp(line + 7 + n, ": ", 2) == 0)
		line += 7 + n + 2;
	rc = r->exit_code > 0 ? r->exit_code : AG_SOFTWARE;
	if (*line)
		ag_fail(ag, rc, "%.*s", (int)(end - line), line);
	else
		ag_fail(ag, rc, "agency-%s failed", tool);
	proc_result_release(r);
	return rc;
}

int
media_probe_start(struct agency *ag, const char *path,
    struct media_probe_job **out)
{
	const char *args[] = { "--json", "--", path, NULL };
	struct media_probe_job *j = xcalloc(1, sizeof(*j));
	int rc;

	if ((rc = tool_start(ag, "probe", args, &j->proc)) != AG_OK) {
		free(j);
		return rc;
	}
	j->path = xstrdup(path);
	*out = j;
	return AG_OK;
}

int
media_probe_finish(struct agency *ag, struct media_probe_job *j,
    struct media_probe *out)
{
	struct proc_result r;
	cJSON *doc;
	int rc;

	if ((rc = tool_finish(ag, "probe", j->proc, &r)) == AG_OK) {
		doc = cJSON_Parse(buf_str(&r.out));
		if (doc == NULL || media_probe_parse(doc, out) != 0)
			rc = ag_fail(ag, AG_SOFTWARE, "'%s': agency-probe gave "
			    "no probe", j->path);
		cJSON_Delete(doc);
		proc_result_release(&r);
	}
	free(j->path);
	free(j);
	return rc;
}

void
media_probe_cancel(struct media_probe_job *j)
{
	struct proc_result r;

	if (j == NULL)
		return;
	proc_end(j->proc, &r);
	proc_result_release(&r);
	free(j->path);
	free(j);
}

int
media_probe_by_tool(struct agency *ag, const char *path,
    struct media_probe *out)
{
	struct media_probe_job *j;
	int rc;

	if ((rc = media_probe_start(ag, path, &j)) != AG_OK)
		return rc;
	return media_probe_finish(ag, j, out);
}

int
media_transcode_by_tool(struct agency *ag, const char *in, const char *preset,
    const char *out)
{
	const char *args[] = { "transcode", "-q", "--preset", preset, "-o", out,
	    "--", in, NULL };
	struct proc_result r;
	struct proc *p;
	int rc;

	if ((rc = tool_start(ag, "produce", args, &p)) != AG_OK ||
	    (rc = tool_finish(ag, "produce", p, &r)) != AG_OK)
		return rc;
	proc_result_release(&r);
	return AG_OK;
}
