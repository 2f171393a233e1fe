/*
 * bytool.c - probing and renditions through agency-produce, as a child
 * process (media.h).
 *
 * For tools that handle media files without decoding them: agency-upload
 * checks a video against a platform's limits and asks for a rendition,
 * but it streams bytes and should start fast and stay small.  Linking
 * the FFmpeg libraries would give it some 170 shared libraries and tens
 * of megabytes before it does anything; agency-produce has them already,
 * so it is asked ("agency-produce probe", "agency-produce transcode"),
 * found as every tool is (tools.h).  Its error line comes back as ours,
 * with its exit status.
 */
#include <string.h>

#include "agency.h"
#include "media/media.h"

#define TOOL_OUTPUT (1 << 20)

/* Run agency-produce with args; on success its stdout is in r->out. */
static int
produce(struct agency *ag, const char *const *args, struct proc_result *r)
{
	char *path = ag_tool_find(ag, "produce");
	const char *argv[16];
	struct proc_opts o;
	const char *line, *end;
	size_t n = 0, i;
	int rc;

	if (path == NULL)
		return ag_fail(ag, AG_UNAVAILABLE, "agency-produce is not "
		    "installed (it probes and transcodes media)");
	argv[n++] = path;
	for (i = 0; args[i] != NULL && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	proc_opts_init(&o, (char *const *)argv);
	o.max_output = TOOL_OUTPUT;
	rc = proc_run(ag, &o, r);
	free(path);
	if (rc != AG_OK)
		return rc;
	if (r->exit_code == 0)
		return AG_OK;
	/* Its last line says why: "agency-produce: what: why". */
	line = buf_str(&r->err);
	end = line + strlen(line);
	while (end > line && end[-1] == '\n')
		end--;
	for (line = end; line > buf_str(&r->err) && line[-1] != '\n'; line--)
		;
	if (strncmp(line, "agency-produce: ", 16) == 0)
		line += 16;
	rc = r->exit_code > 0 ? r->exit_code : AG_SOFTWARE;
	ag_fail(ag, rc, "%.*s", (int)(end - line), *line ? line :
	    "agency-produce failed");
	proc_result_release(r);
	return rc;
}

int
media_probe_by_tool(struct agency *ag, const char *path,
    struct media_probe *out)
{
	const char *args[] = { "probe", "--json", "--", path, NULL };
	struct proc_result r;
	cJSON *doc = NULL;
	int rc;

	memset(&r, 0, sizeof(r));
	if ((rc = produce(ag, args, &r)) != AG_OK)
		return rc;
	doc = cJSON_Parse(buf_str(&r.out));
	if (doc == NULL || media_probe_parse(doc, out) != 0)
		rc = ag_fail(ag, AG_SOFTWARE, "'%s': agency-produce probe gave "
		    "no probe", path);
	cJSON_Delete(doc);
	proc_result_release(&r);
	return rc;
}

int
media_transcode_by_tool(struct agency *ag, const char *in, const char *preset,
    const char *out)
{
	const char *args[] = { "transcode", "-q", "--preset", preset, "-o", out,
	    "--", in, NULL };
	struct proc_result r;
	int rc;

	memset(&r, 0, sizeof(r));
	if ((rc = produce(ag, args, &r)) == AG_OK)
		proc_result_release(&r);
	return rc;
}
