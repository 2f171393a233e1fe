/*
 * fgraph.h - building libavfilter graphs filter by filter.
 *
 * Filters are created one at a time with their options as "key=value:"
 * text, or, for a file name, set through AVOption so that ':' and ','
 * in it need no escaping; chains grow with fgraph_then(), two chains
 * meet in a two-input filter with fgraph_join().  Every error names the
 * filter and FFmpeg's reason.  Internal to lib/media.
 *
 * Ownership: the graph owns every filter; fgraph_release() frees all.
 */
#ifndef AG_MEDIA_FGRAPH_H
#define AG_MEDIA_FGRAPH_H

struct agency;
struct AVFilterGraph;
struct AVFilterContext;

struct fgraph {
	struct AVFilterGraph *g;
	int n;				/* filters made, for unique labels */
};

int fgraph_init(struct agency *ag, struct fgraph *fg);
void fgraph_release(struct fgraph *fg);

/* A new filter (args NULL: its defaults). */
int fgraph_add(struct agency *ag, struct fgraph *fg, const char *name,
    const char *args, struct AVFilterContext **out);
/* A new filter whose "filename" option is path. */
int fgraph_add_file(struct agency *ag, struct fgraph *fg, const char *name,
    const char *path, const char *args, struct AVFilterContext **out);
/* Link output pad sp of a to input pad dp of b. */
int fgraph_link(struct agency *ag, struct AVFilterContext *a, unsigned sp,
    struct AVFilterContext *b, unsigned dp);
/* Append a new filter to the chain ending at *cur; *cur becomes it. */
int fgraph_then(struct agency *ag, struct fgraph *fg,
    struct AVFilterContext **cur, const char *name, const char *args);
/* *cur and b into the two inputs of a new filter; *cur becomes it. */
int fgraph_join(struct agency *ag, struct fgraph *fg,
    struct AVFilterContext **cur, struct AVFilterContext *b,
    const char *name, const char *args);
/* Configure the graph once every filter is linked; what names it. */
int fgraph_config(struct agency *ag, struct fgraph *fg, const char *what);

#endif
