/*
 * fgraph.c - libavfilter graphs filter by filter (fgraph.h).
 */
#include <stdio.h>

#include <libavfilter/avfilter.h>
#include <libavutil/opt.h>

#include "agency.h"
#include "media/av.h"
#include "media/fgraph.h"

int
fgraph_init(struct agency *ag, struct fgraph *fg)
{
	av_quiet(ag);
	fg->n = 0;
	if ((fg->g = avfilter_graph_alloc()) == NULL)
		return ag_fail(ag, AG_OSERR, "out of memory");
	return AG_OK;
}

void
fgraph_release(struct fgraph *fg)
{
	avfilter_graph_free(&fg->g);
}

static const AVFilter *
find(struct agency *ag, const char *name)
{
	const AVFilter *f = avfilter_get_by_name(name);

	if (f == NULL)
		ag_fail(ag, AG_UNAVAILABLE, "this FFmpeg has no '%s' filter",
		    name);
	return f;
}

int
fgraph_add(struct agency *ag, struct fgraph *fg, const char *name,
    const char *args, AVFilterContext **out)
{
	const AVFilter *f;
	char label[32];
	int err;

	if ((f = find(ag, name)) == NULL)
		return AG_UNAVAILABLE;
	snprintf(label, sizeof(label), "%s%d", name, fg->n++);
	if ((err = avfilter_graph_create_filter(out, f, label, args, NULL,
	    fg->g)) < 0)
		return ag_fail(ag, AG_SOFTWARE, "filter %s=%s: %s", name,
		    args ? args : "", av_errtext(err));
	return AG_OK;
}

int
fgraph_add_file(struct agency *ag, struct fgraph *fg, const char *name,
    const char *path, const char *args, AVFilterContext **out)
{
	const AVFilter *f;
	AVFilterContext *ctx;
	char label[32];
	int err;

	if ((f = find(ag, name)) == NULL)
		return AG_UNAVAILABLE;
	snprintf(label, sizeof(label), "%s%d", name, fg->n++);
	if ((ctx = avfilter_graph_alloc_filter(fg->g, f, label)) == NULL)
		return ag_fail(ag, AG_OSERR, "out of memory");
	if ((err = av_opt_set(ctx, "filename", path,
	    AV_OPT_SEARCH_CHILDREN)) < 0 ||
	    (err = avfilter_init_str(ctx, args)) < 0)
		return ag_fail(ag, AG_DATAERR, "cannot read '%s': %s", path,
		    av_errtext(err));
	*out = ctx;
	return AG_OK;
}

int
fgraph_link(struct agency *ag, AVFilterContext *a, unsigned sp,
    AVFilterContext *b, unsigned dp)
{
	int err;

	if ((err = avfilter_link(a, sp, b, dp)) < 0)
		return ag_fail(ag, AG_SOFTWARE, "cannot link %s to %s: %s",
		    a->name, b->name, av_errtext(err));
	return AG_OK;
}

int
fgraph_then(struct agency *ag, struct fgraph *fg, AVFilterContext **cur,
    const char *name, const char *args)
{
	AVFilterContext *next;
	int rc;

	if ((rc = fgraph_add(ag, fg, name, args, &next)) != AG_OK ||
	    (rc = fgraph_link(ag, *cur, 0, next, 0)) != AG_OK)
		return rc;
	*cur = next;
	return AG_OK;
}

int
fgraph_join(struct agency *ag, struct fgraph *fg, AVFilterContext **cur,
    AVFilterContext *b, const char *name, const char *args)
{
	AVFilterContext *j;
	int rc;

	if ((rc = fgraph_add(ag, fg, name, args, &j)) != AG_OK ||
	    (rc = fgraph_link(ag, *cur, 0, j, 0)) != AG_OK ||
	    (rc = fgraph_link(ag, b, 0, j, 1)) != AG_OK)
		return rc;
	*cur = j;
	return AG_OK;
}

int
fgraph_config(struct agency *ag, struct fgraph *fg, const char *what)
{
	int err;

	if ((err = avfilter_graph_config(fg->g, NULL)) < 0)
		return ag_fail(ag, AG_SOFTWARE, "cannot set up the %s graph: %s",
		    what, av_errtext(err));
	return AG_OK;
}
