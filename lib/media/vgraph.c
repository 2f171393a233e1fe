/*
 * vgraph.c - the video track as a libavfilter graph (vgraph.h).
 *
 * Frames on the timeline.  With F frames a second, segment i covers
 * frames [a, b) where a = round(start * F) and b = round(end * F).  A
 * transition of T frames into segment i takes T/2 (rounded down) frames
 * before a from segment i and the rest after a from segment i - 1, so
 * each source gives its own frames plus what its transitions borrow:
 * [a - pre, b + post).  xfade then blends the overlap, starting at
 * (a - pre) / F on the joined timeline; concat joins the cuts.  The first
 * segment may fade in from black instead (the fade filter).
 *
 * Filters are created one by one and their options set through AVOption,
 * never by printing a filtergraph string, so a file name with ':' or ','
 * in it needs no escaping.
 */
#include <math.h>
#include <string.h>

#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/opt.h>

#include "agency.h"
#include "media/av.h"
#include "media/burn.h"
#include "media/edl.h"
#include "media/fgraph.h"
#include "media/kenburns.h"
#include "media/picture.h"
#include "media/vgraph.h"

struct source {
	AVFilterContext *buf;		/* NULL: the clip decodes in the graph */
	int64_t n, given;		/* frames it gives, given so far */
	int ended;			/* the end was given too */
	const struct edl_segment *seg;	/* a still's, drawn when first asked */
	int open;			/* still or kb is ready */
	AVFrame *still;			/* given again and again, or NULL */
	AVFrame *kept;			/* its fitted picture, kept after its
					 * last frame for the next segment */
	struct kenburns kb;
	int moving;
	const char *clip;		/* a clip's path (the EDL's), or NULL */
	int64_t until;			/* the frame after its last one */
};

struct vgraph {
	struct fgraph fg;
	AVFilterContext *sink, *tap;
	struct source *src;
	size_t nsrc;
	struct picture_pool pool;
	struct burn *burn;		/* the captions, or NULL */
	int width, height, fps;
	int64_t frames, out;
	AVFrame *last;			/* the last frame given, to pad with */
};

/*
 * The chain of a still, a colour or a gradient: ours, via buffersrc.
 * The picture is drawn when the graph first asks for it (source_open)
 * and dropped after its last frame, so a long render with many stills
 * holds one or two of them, never all.
 */
static int
still_chain(struct agency *ag, struct vgraph *vg, const struct edl *e,
    const struct edl_segment *s, struct source *src, AVFilterContext **out)
{
	char args[160];
	int rc;

	snprintf(args, sizeof(args), "video_size=%dx%d:pix_fmt=yuv420p:"
	    "time_base=1/%d:pixel_aspect=1/1:frame_rate=%d/1", e->width,
	    e->height, e->fps, e->fps);
	if ((rc = fgraph_add(ag, &vg->fg, "buffer", args, &src->buf)) != AG_OK)
		return rc;
	src->seg = s;
	*out = src->buf;
	return AG_OK;
}

/* Do a and b show the same picture, fitted alike (both may be NULL)? */
static int
same_picture(const struct edl_segment *a, const struct edl_segment *b)
{
	if (a == NULL || b == NULL || a->kind != SRC_IMAGE ||
	    b->kind != SRC_IMAGE || strcmp(a->path, b->path) != 0 ||
	    a->motion.on != b->motion.on || a->focus_x != b->focus_x ||
	    a->focus_y != b->focus_y)
		return 0;
	if (!a->motion.on)
		return a->fit == b->fit;
	return fmax(a->motion.zoom[0], a->motion.zoom[1]) ==
	    fmax(b->motion.zoom[0], b->motion.zoom[1]);
}

/* The fitted picture a source shows, or NULL. */
static AVFrame *
fitted(struct source *src)
{
	return src->kept ? src->kept : src->moving ? src->kb.pic : src->still;
}

/*
 * A still shown by consecutive segments (one picture behind several
 * scenes, a repeated short) is decoded and fitted once: the segment
 * before hands its fitted picture on, by reference.  A 4K JPEG decoded
 * in the middle of a render is its peak: 25 MB of frame at once.
 */
static AVFrame *
handed_on(struct vgraph *vg, struct source *src)
{
	struct source *prev = src > vg->src ? src - 1 : NULL;
	AVFrame *f;

	if (prev == NULL || !same_picture(prev->seg, src->seg) ||
	    fitted(prev) == NULL)
		return NULL;
	f = av_frame_clone(fitted(prev));
	av_frame_free(&prev->kept);
	return f;
}

static int
source_open(struct agency *ag, struct vgraph *vg, struct source *src)
{
	const struct edl_segment *s = src->seg;
	AVFrame *pic = NULL;
	int rc;

	src->open = 1;
	switch (s->kind) {
	case SRC_IMAGE:
		if ((pic = handed_on(vg, src)) != NULL)
			ag_debug(ag, "video: segment %zu shows the picture of "
			    "the one before", (size_t)(src - vg->src));
		if (pic != NULL && !s->motion.on) {
			src->still = pic;
			return AG_OK;
		}
		/* A moving one takes a picture at its size as it is. */
		if (pic == NULL &&
		    (rc = picture_load(ag, s->path, &pic)) != AG_OK)
			return rc;
		break;
	case SRC_GRADIENT:
		/* Drawn once at the size Ken Burns needs at most. */
		rc = picture_gradient(ag, vg->width, vg->height, s->color[0],
		    s->color[1], s->angle, &pic);
		if (rc != AG_OK)
			return rc;
		break;
	default:
		return picture_color(ag, vg->width, vg->height, s->color[0],
		    &src->still);
	}
	if (s->motion.on) {
		rc = kenburns_init(ag, &src->kb, pic, vg->width, vg->height,
		    &s->motion, s->focus_x, s->focus_y);
		src->moving = rc == AG_OK;
	} else {
		rc = picture_fit(ag, pic, vg->width, vg->height, s->fit,
		    s->focus_x, s->focus_y, &src->still);
	}
	av_frame_free(&pic);
	return rc;
}

static void
source_close(struct vgraph *vg, struct source *src)
{
	struct source *next = src + 1 < vg->src + vg->nsrc ? src + 1 : NULL;
	AVFrame **pic = src->moving ? &src->kb.pic : &src->still;

	if (next != NULL && !next->open && *pic != NULL &&
	    same_picture(src->seg, next->seg)) {
		src->kept = *pic;
		*pic = NULL;
	}
	av_frame_free(&src->still);
	if (src->moving)
		kenburns_release(&src->kb);
	src->moving = 0;
}

/* The chain of a clip, decoded, timed, fitted and held to n frames. */
static int
clip_chain(struct agency *ag, struct vgraph *vg, const struct edl *e,
    const struct edl_segment *s, int64_t pre, int64_t n,
    AVFilterContext **out)
{
	AVFilterContext *cur;
	char args[256];
	double seek = s->in - (double)pre / e->fps;
	int rc;

	snprintf(args, sizeof(args), "seek_point=%.6f", seek > 0 ? seek : 0);
	if ((rc = fgraph_add_file(ag, &vg->fg, "movie", s->path, args, &cur)) != AG_OK)
		return rc;
	if (s->rotation == 90)
		rc = fgraph_then(ag, &vg->fg, &cur, "transpose", "clock");
	else if (s->rotation == 270)
		rc = fgraph_then(ag, &vg->fg, &cur, "transpose", "cclock");
	else if (s->rotation == 180 &&
	    (rc = fgraph_then(ag, &vg->fg, &cur, "hflip", NULL)) == AG_OK)
		rc = fgraph_then(ag, &vg->fg, &cur, "vflip", NULL);
	if (rc != AG_OK)
		return rc;
	snprintf(args, sizeof(args), "fps=%d:round=near", e->fps);
	if ((rc = fgraph_then(ag, &vg->fg, &cur, "setpts", "PTS-STARTPTS")) != AG_OK ||
	    (rc = fgraph_then(ag, &vg->fg, &cur, "fps", args)) != AG_OK)
		return rc;
	snprintf(args, sizeof(args), "w=%d:h=%d:force_original_aspect_ratio="
	    "%s:force_divisible_by=2:flags=bicubic:out_color_matrix=bt709:"
	    "out_range=tv", e->width, e->height,
	    s->fit == FIT_COVER ? "increase" : "decrease");
	if ((rc = fgraph_then(ag, &vg->fg, &cur, "scale", args)) != AG_OK)
		return rc;
	if (s->fit == FIT_COVER)
		snprintf(args, sizeof(args), "w=%d:h=%d:x=(iw-ow)*%.4f:"
		    "y=(ih-oh)*%.4f", e->width, e->height, s->focus_x,
		    s->focus_y);
	else
		snprintf(args, sizeof(args), "w=%d:h=%d:x=(ow-iw)/2:"
		    "y=(oh-ih)/2:color=black", e->width, e->height);
	if ((rc = fgraph_then(ag, &vg->fg, &cur, s->fit == FIT_COVER ? "crop" : "pad",
	    args)) != AG_OK)
		return rc;
	/* A clip shorter than its segment holds its last frame. */
	snprintf(args, sizeof(args), "stop_mode=clone:stop=%lld",
	    (long long)n);
	if ((rc = fgraph_then(ag, &vg->fg, &cur, "setsar", "1")) != AG_OK ||
	    (rc = fgraph_then(ag, &vg->fg, &cur, "format", "yuv420p")) != AG_OK ||
	    (rc = fgraph_then(ag, &vg->fg, &cur, "tpad", args)) != AG_OK)
		return rc;
	snprintf(args, sizeof(args), "end_frame=%lld", (long long)n);
	if ((rc = fgraph_then(ag, &vg->fg, &cur, "trim", args)) != AG_OK ||
	    (rc = fgraph_then(ag, &vg->fg, &cur, "setpts", "PTS-STARTPTS")) != AG_OK)
		return rc;
	*out = cur;
	return AG_OK;
}

/* Frames of each segment and of each transition (see the top). */
struct span {
	int64_t a, b, pre, post, td;
};

static void
spans(const struct edl *e, struct span *sp)
{
	int64_t total = llround(e->duration * e->fps), len, prevlen;
	size_t i;

	for (i = 0; i < e->nseg; i++) {
		sp[i].a = i == 0 ? 0 : sp[i - 1].b;
		sp[i].b = i + 1 == e->nseg ? total :
		    llround(e->seg[i].end * e->fps);
		if (sp[i].b < sp[i].a)
			sp[i].b = sp[i].a;
		sp[i].pre = sp[i].post = 0;
		sp[i].td = strcmp(e->seg[i].transition, "cut") == 0 ? 0 :
		    llround(e->seg[i].tduration * e->fps);
	}
	for (i = 0; i < e->nseg; i++) {
		len = sp[i].b - sp[i].a;
		if (i == 0) {
			if (sp[i].td > len)
				sp[i].td = len;
			continue;
		}
		prevlen = sp[i - 1].b - sp[i - 1].a;
		if (sp[i].td > len)
			sp[i].td = len;
		if (sp[i].td > prevlen)
			sp[i].td = prevlen;
		if (sp[i].td < 2)
			sp[i].td = 0;	/* too short to see: a cut */
		sp[i].pre = sp[i].td / 2;
		sp[i - 1].post = sp[i].td - sp[i].pre;
	}
}

static int
build(struct agency *ag, struct vgraph *vg, const struct edl *e,
    const char *ass, int tap)
{
	AVFilterContext *joined = NULL, *cur, *split;
	struct span *sp;
	char args[160];
	size_t i;
	int rc = AG_OK;

	sp = xcalloc(e->nseg, sizeof(*sp));
	spans(e, sp);
	vg->src = xcalloc(e->nseg, sizeof(*vg->src));
	for (i = 0; i < e->nseg; i++) {
		const struct edl_segment *s = &e->seg[i];
		struct source *src = &vg->src[vg->nsrc];
		int64_t n = sp[i].b + sp[i].post - (sp[i].a - sp[i].pre);

		if (sp[i].b == sp[i].a)
			continue;		/* less than a frame long */
		vg->nsrc++;
		src->n = n;
		src->clip = s->kind == SRC_VIDEO ? s->path : NULL;
		src->until = sp[i].b + sp[i].post;
		rc = s->kind == SRC_VIDEO ?
		    clip_chain(ag, vg, e, s, sp[i].pre, n, &cur) :
		    still_chain(ag, vg, e, s, src, &cur);
		if (rc != AG_OK)
			goto out;
		if (joined == NULL) {
			joined = cur;
			if (sp[i].td > 0) {
				snprintf(args, sizeof(args), "t=in:s=0:n=%lld",
				    (long long)sp[i].td);
				if ((rc = fgraph_then(ag, &vg->fg, &joined, "fade",
				    args)) != AG_OK)
					goto out;
			}
		} else if (sp[i].td == 0) {
			/* concat counts in microseconds: back to frames. */
			snprintf(args, sizeof(args), "expr=1/%d", e->fps);
			if ((rc = fgraph_join(ag, &vg->fg, &joined, cur,
			    "concat", "n=2:v=1:a=0")) == AG_OK)
				rc = fgraph_then(ag, &vg->fg, &joined, "settb",
				    args);
		} else {
			snprintf(args, sizeof(args), "transition=%s:"
			    "duration=%.6f:offset=%.6f", s->transition,
			    (double)sp[i].td / e->fps,
			    (double)(sp[i].a - sp[i].pre) / e->fps);
			rc = fgraph_join(ag, &vg->fg, &joined, cur, "xfade", args);
		}
		if (rc != AG_OK)
			goto out;
	}
	if (joined == NULL) {
		rc = ag_fail(ag, AG_DATAERR, "'%s': nothing to show", e->file);
		goto out;
	}
	cur = joined;
	if (tap) {
		if ((rc = fgraph_then(ag, &vg->fg, &cur, "split", "2")) != AG_OK ||
		    (rc = fgraph_add(ag, &vg->fg, "buffersink", NULL, &vg->tap)) != AG_OK)
			goto out;
		split = cur;
		if ((rc = fgraph_link(ag, split, 1, vg->tap, 0)) != AG_OK)
			goto out;
	}
	if (ass != NULL &&
	    (rc = burn_open(ag, ass, e->width, e->height, &vg->burn)) != AG_OK)
		goto out;
	if ((rc = fgraph_then(ag, &vg->fg, &cur, "format", "yuv420p")) != AG_OK ||
	    (rc = fgraph_add(ag, &vg->fg, "buffersink", NULL, &vg->sink)) != AG_OK)
		goto out;
	if ((rc = fgraph_link(ag, cur, 0, vg->sink, 0)) == AG_OK)
		rc = fgraph_config(ag, &vg->fg, "video");
out:
	free(sp);
	return rc;
}

int
vgraph_new(struct agency *ag, const struct edl *e, const char *ass, int tap,
    struct vgraph **out)
{
	struct vgraph *vg = xcalloc(1, sizeof(*vg));
	int rc;

	vg->frames = llround(e->duration * e->fps);
	vg->width = e->width;
	vg->height = e->height;
	vg->fps = e->fps;
	picture_pool_init(&vg->pool, e->width, e->height);
	if ((rc = fgraph_init(ag, &vg->fg)) != AG_OK ||
	    (rc = build(ag, vg, e, ass, tap)) != AG_OK) {
		vgraph_free(vg);
		return rc;
	}
	*out = vg;
	return AG_OK;
}

/*
 * Give one frame to the source the graph waits on most, or its end once
 * it has given all its frames and is asked for more.  The end waits to
 * be asked for: xfade (FFmpeg 5.1) ends its transition as soon as its
 * first input has ended, dropping a frame still queued there, so an end
 * given with the last frame lost the last frame of a transition and
 * everything after came one frame early.
 */
static int
feed(struct agency *ag, struct vgraph *vg)
{
	struct source *s = NULL;
	unsigned best = 0, r;
	AVFrame *f;
	size_t i;
	int err, rc;

	for (i = 0; i < vg->nsrc; i++) {
		if (vg->src[i].buf == NULL || vg->src[i].ended)
			continue;
		r = av_buffersrc_get_nb_failed_requests(vg->src[i].buf);
		if (s == NULL || r > best) {
			s = &vg->src[i];
			best = r;
		}
	}
	if (s == NULL)
		return ag_fail(ag, AG_SOFTWARE, "the video graph stalled");
	if (s->given == s->n) {
		s->ended = 1;
		if ((err = av_buffersrc_add_frame_flags(s->buf, NULL, 0)) < 0)
			return ag_fail(ag, AG_SOFTWARE, "cannot feed the video "
			    "graph: %s", av_errtext(err));
		return AG_OK;
	}
	if (!s->open) {
		ag_debug(ag, "video: segment %zu drawn at frame %lld",
		    (size_t)(s - vg->src), (long long)vg->out);
		if ((rc = source_open(ag, vg, s)) != AG_OK)
			return rc;
	}
	if (s->moving) {
		if ((f = picture_pool_get(&vg->pool)) == NULL)
			return ag_fail(ag, AG_OSERR, "out of memory");
		kenburns_render(&s->kb, s->n > 1 ?
		    (double)s->given / (double)(s->n - 1) : 0, f);
	} else if ((f = av_frame_clone(s->still)) == NULL) {
		return ag_fail(ag, AG_OSERR, "out of memory");
	}
	f->pts = s->given++;
	/* Its picture is not needed after its last frame: drop it before
	 * the next segment draws its own (the end is given later). */
	if (s->given == s->n)
		source_close(vg, s);
	err = av_buffersrc_add_frame_flags(s->buf, f, 0);
	av_frame_free(&f);
	if (err < 0)
		return ag_fail(ag, AG_SOFTWARE, "cannot feed the video graph: "
		    "%s", av_errtext(err));
	return AG_OK;
}

/*
 * The graph stopped with err.  Our own sources cannot fail that way, so
 * it is a clip that will not decode: the one on screen now, or the next.
 */
static int
graph_failed(struct agency *ag, struct vgraph *vg, int err)
{
	size_t i;

	for (i = 0; i < vg->nsrc; i++)
		if (vg->src[i].clip != NULL && vg->src[i].until > vg->out)
			return ag_fail(ag, AG_DATAERR, "cannot decode '%s' "
			    "(at frame %lld of the video): %s", vg->src[i].clip,
			    (long long)vg->out, av_errtext(err));
	return ag_fail(ag, AG_SOFTWARE, "the video graph failed: %s",
	    av_errtext(err));
}

int
vgraph_next(struct agency *ag, struct vgraph *vg, AVFrame **frame,
    AVFrame **clean)
{
	AVFrame *f, *c = NULL;
	int err, rc;

	*frame = NULL;
	if (clean != NULL)
		*clean = NULL;
	if (vg->out >= vg->frames)
		return AG_FALSE;
	if ((f = av_frame_alloc()) == NULL)
		return ag_fail(ag, AG_OSERR, "out of memory");
	for (;;) {
		err = av_buffersink_get_frame(vg->sink, f);
		if (err >= 0)
			break;
		if (err == AVERROR_EOF && vg->last != NULL) {
			/* Rounding left us a frame short: hold the last. */
			av_frame_unref(f);
			if ((err = av_frame_ref(f, vg->last)) < 0)
				break;
			goto give;
		}
		if (err != AVERROR(EAGAIN)) {
			av_frame_free(&f);
			return graph_failed(ag, vg, err);
		}
		if ((rc = feed(ag, vg)) != AG_OK) {
			av_frame_free(&f);
			return rc;
		}
	}
	/* The tap has the same frame; take it even if nobody wants it. */
	if (vg->tap != NULL && (c = av_frame_alloc()) != NULL &&
	    av_buffersink_get_frame(vg->tap, c) < 0)
		av_frame_free(&c);
	av_frame_free(&vg->last);
	vg->last = av_frame_clone(f);
give:
	if (vg->burn != NULL && (rc = burn_frame(ag, vg->burn, f,
	    vg->out * 1000 / vg->fps)) != AG_OK) {
		av_frame_free(&f);
		av_frame_free(&c);
		return rc;
	}
	f->pts = vg->out++;
	*frame = f;
	if (clean != NULL)
		*clean = c;
	else
		av_frame_free(&c);
	return AG_OK;
}

int64_t
vgraph_frames(const struct vgraph *vg)
{
	return vg->frames;
}

void
vgraph_free(struct vgraph *vg)
{
	size_t i;

	if (vg == NULL)
		return;
	fgraph_release(&vg->fg);
	for (i = 0; i < vg->nsrc; i++) {
		source_close(vg, &vg->src[i]);
		av_frame_free(&vg->src[i].kept);
	}
	free(vg->src);
	av_frame_free(&vg->last);
	picture_pool_release(&vg->pool);
	burn_free(vg->burn);
	free(vg);
}
