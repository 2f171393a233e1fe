/*
 * edl.c - read and check an agency.edl document (edl.h).
 *
 * Every member is checked where it is read, with the JSON path kept in
 * a struct jpath, so the first problem found is reported exactly; a
 * member we do not know is an error too ("did you mean"), because a
 * misspelt "transiton" silently ignored is a video rendered wrong.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <string.h>
#include <strings.h>

#include <libavfilter/avfilter.h>
#include <libavutil/opt.h>

#include "agency.h"
#include "media/edl.h"
#include "media/preset.h"
#include "media/probe.h"

#define MAX_SECONDS (4 * 3600.0)
#define EPS 1e-6

struct ctx {
	struct agency *ag;
	struct jpath jp;
	const char *base;
	struct edl *e;
};

static const char *const top_keys[] = { "kind", "version", "id", "title",
    "output", "duration", "video", "audio", "captions", "overlays",
    "thumbnail", "meta", NULL };
static const char *const output_keys[] = { "preset", "width", "height",
    "fps", "quality", "loudness", "true_peak", NULL };
static const char *const segment_keys[] = { "start", "end", "source",
    "motion", "fit", "focus", "transition", NULL };
static const char *const source_keys[] = { "image", "video", "color",
    "gradient", "in", "angle", NULL };
static const char *const motion_keys[] = { "kind", "zoom", "x", "y", NULL };
static const char *const xy_keys[] = { "x", "y", NULL };
static const char *const transition_keys[] = { "kind", "duration", NULL };
static const char *const audio_keys[] = { "voice", "music", NULL };
static const char *const track_keys[] = { "path", "gain", "start", "duck",
    NULL };
static const char *const captions_keys[] = { "style", "font", "size",
    "color", "highlight", "outline", "shadow", "position", "uppercase",
    "max_words", "words", NULL };
static const char *const word_keys[] = { "text", "start", "end", "scene",
    NULL };
static const char *const overlay_keys[] = { "text", "start", "end", "role",
    "position", NULL };
static const char *const thumbnail_keys[] = { "at", "title", NULL };

static int
known_keys(struct ctx *c, const cJSON *obj, const char *const *keys)
{
	const cJSON *it;
	const char *const *k, *near;

	cJSON_ArrayForEach(it, obj) {
		for (k = keys; *k != NULL; k++)
			if (strcmp(*k, it->string) == 0)
				break;
		if (*k != NULL)
			continue;
		jpath_key(&c->jp, it->string);
		near = ag_closest(it->string, keys);
		if (near != NULL)
			return jpath_fail(c->ag, &c->jp, "unknown member (did you "
			    "mean '%s'?)", near);
		return jpath_fail(c->ag, &c->jp, "unknown member");
	}
	return AG_OK;
}

/* A number member within [lo, hi]. */
static int
number(struct ctx *c, const cJSON *obj, const char *key, int required,
    double lo, double hi, double *out)
{
	double v = *out;
	size_t mark;
	int rc;

	if ((rc = jget_number(c->ag, &c->jp, obj, key, required, &v)) != AG_OK
	    || cJSON_GetObjectItem(obj, key) == NULL)
		return rc;
	if (!isfinite(v) || v < lo || v > hi) {
		mark = jpath_key(&c->jp, key);
		rc = jpath_fail(c->ag, &c->jp, "%g is out of range (%g to %g)",
		    v, lo, hi);
		jpath_pop(&c->jp, mark);
		return rc;
	}
	*out = v;
	return AG_OK;
}

static int
integer(struct ctx *c, const cJSON *obj, const char *key, long long lo,
    long long hi, int *out)
{
	long long v = *out;
	size_t mark;
	int rc;

	if ((rc = jget_int(c->ag, &c->jp, obj, key, J_OPTIONAL, &v)) != AG_OK
	    || cJSON_GetObjectItem(obj, key) == NULL)
		return rc;
	if (v < lo || v > hi) {
		mark = jpath_key(&c->jp, key);
		rc = jpath_fail(c->ag, &c->jp, "%lld is out of range (%lld to "
		    "%lld)", v, lo, hi);
		jpath_pop(&c->jp, mark);
		return rc;
	}
	*out = (int)v;
	return AG_OK;
}

/* A string member, copied into *out (replacing what was there). */
static int
string(struct ctx *c, const cJSON *obj, const char *key, int required,
    char **out)
{
	const char *s = NULL;
	int rc;

	if ((rc = jget_string(c->ag, &c->jp, obj, key, required, &s)) != AG_OK)
		return rc;
	if (s != NULL) {
		free(*out);
		*out = xstrdup(s);
	}
	return AG_OK;
}

/* A string member that must be one of a '|'-separated list of words. */
static int
choice(struct ctx *c, const cJSON *obj, const char *key, const char *words,
    char **out)
{
	const char *s = NULL, *p;
	size_t n, mark;
	int rc;

	if ((rc = jget_string(c->ag, &c->jp, obj, key, J_OPTIONAL, &s)) != AG_OK
	    || s == NULL)
		return rc;
	n = strlen(s);
	for (p = words; *p != '\0'; p += strcspn(p, "|"), p += *p == '|') {
		if (n > 0 && strncmp(p, s, n) == 0 &&
		    (p[n] == '|' || p[n] == '\0')) {
			free(*out);
			*out = xstrdup(s);
			return AG_OK;
		}
	}
	mark = jpath_key(&c->jp, key);
	rc = jpath_fail(c->ag, &c->jp, "'%s' is not one of %s", s, words);
	jpath_pop(&c->jp, mark);
	return rc;
}

int
edl_color_parse(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (s == NULL)
		return -1;
	if (*s == '#')
		s++;
	if (strlen(s) != 6 || strspn(s, "0123456789abcdefABCDEF") != 6)
		return -1;
	v = strtoul(s, &end, 16);
	*out = (uint32_t)v;
	return 0;
}

static int
color(struct ctx *c, const cJSON *obj, const char *key, int required,
    uint32_t *out)
{
	const char *s = NULL;
	size_t mark;
	int rc;

	if ((rc = jget_string(c->ag, &c->jp, obj, key, required,
	    &s)) != AG_OK || s == NULL)
		return rc;
	if (edl_color_parse(s, out) == 0)
		return AG_OK;
	mark = jpath_key(&c->jp, key);
	rc = jpath_fail(c->ag, &c->jp, "'%s' is not a colour (#RRGGBB)", s);
	jpath_pop(&c->jp, mark);
	return rc;
}

/* A media path member: resolved against the base folder and probed. */
static int
media(struct ctx *c, const cJSON *obj, const char *key, int want,
    char **out, struct media_probe *probe)
{
	const char *s = NULL;
	struct media_probe p;
	size_t mark;
	char *path;
	int rc;

	if ((rc = jget_string(c->ag, &c->jp, obj, key, J_REQUIRED,
	    &s)) != AG_OK)
		return rc;
	mark = jpath_key(&c->jp, key);
	if (*s == '\0') {
		rc = jpath_fail(c->ag, &c->jp, "an empty path");
		goto out;
	}
	path = *s == '/' || c->base == NULL ? xstrdup(s) :
	    xasprintf("%s/%s", c->base, s);
	if (media_probe(c->ag, path, &p) == AG_OK) {
		char *abs = realpath(path, NULL);

		if (abs != NULL) {
			free(path);
			path = abs;
		}
	} else {
		/* Keep the probe's reason, under the JSON path. */
		char why[sizeof(c->ag->err)];

		snprintf(why, sizeof(why), "%s", c->ag->err);
		free(path);
		rc = jpath_fail(c->ag, &c->jp, "%s", why);
		goto out;
	}
	if (want == PROBE_IMAGE && p.kind != PROBE_IMAGE) {
		rc = jpath_fail(c->ag, &c->jp, "'%s' is %s, not an image", s,
		    media_probe_kind_name(p.kind));
		free(path);
		goto out;
	}
	if (want == PROBE_VIDEO && p.kind != PROBE_VIDEO) {
		rc = jpath_fail(c->ag, &c->jp, "'%s' is %s, not a video", s,
		    media_probe_kind_name(p.kind));
		free(path);
		goto out;
	}
	if (want == PROBE_AUDIO && !p.has_audio) {
		rc = jpath_fail(c->ag, &c->jp, "'%s' has no audio", s);
		free(path);
		goto out;
	}
	free(*out);
	*out = path;
	if (probe != NULL)
		*probe = p;
out:
	jpath_pop(&c->jp, mark);
	return rc;
}

static int
output(struct ctx *c, const cJSON *doc)
{
	const struct media_preset *pr;
	const cJSON *o = NULL;
	struct edl *e = c->e;
	size_t mark;
	int rc;

	if ((rc = jget_object(c->ag, &c->jp, doc, "output", J_OPTIONAL,
	    &o)) != AG_OK)
		return rc;
	e->preset = xstrdup("shorts");
	e->quality = xstrdup("normal");
	e->loudness = -14;
	e->true_peak = -1.5;
	if (o == NULL) {
		pr = media_preset_find(e->preset);
		e->width = pr->width;
		e->height = pr->height;
		e->fps = pr->fps;
		return AG_OK;
	}
	mark = jpath_key(&c->jp, "output");
	if ((rc = known_keys(c, o, output_keys)) != AG_OK ||
	    (rc = string(c, o, "preset", J_OPTIONAL, &e->preset)) != AG_OK ||
	    (rc = choice(c, o, "quality", "draft|normal|high",
	    &e->quality)) != AG_OK)
		return rc;
	if ((pr = media_preset_find(e->preset)) == NULL) {
		jpath_key(&c->jp, "preset");
		return jpath_fail(c->ag, &c->jp, "unknown preset '%s' "
		    "(expected one of %s)", e->preset, media_preset_names());
	}
	e->width = pr->width;
	e->height = pr->height;
	e->fps = pr->fps;
	if ((rc = integer(c, o, "width", 16, 4096, &e->width)) != AG_OK ||
	    (rc = integer(c, o, "height", 16, 4096, &e->height)) != AG_OK ||
	    (rc = integer(c, o, "fps", 1, 120, &e->fps)) != AG_OK ||
	    (rc = number(c, o, "loudness", J_OPTIONAL, -40, -5,
	    &e->loudness)) != AG_OK ||
	    (rc = number(c, o, "true_peak", J_OPTIONAL, -9, 0,
	    &e->true_peak)) != AG_OK)
		return rc;
	if (e->width % 2 != 0 || e->height % 2 != 0) {
		jpath_key(&c->jp, e->width % 2 ? "width" : "height");
		return jpath_fail(c->ag, &c->jp, "must be even (4:2:0 video)");
	}
	jpath_pop(&c->jp, mark);
	return AG_OK;
}

/* The transitions libavfilter's xfade knows, from its option table. */
static int
xfade_known(const char *name)
{
	const AVFilter *f = avfilter_get_by_name("xfade");
	const AVOption *o = NULL;
	const AVClass *cls;

	if (f == NULL || (cls = f->priv_class) == NULL)
		return 0;
	while ((o = av_opt_next(&cls, o)) != NULL)
		if (o->type == AV_OPT_TYPE_CONST && o->unit != NULL &&
		    strcmp(o->unit, "transition") == 0 &&
		    strcmp(o->name, "custom") != 0 &&
		    strcmp(o->name, name) == 0)
			return 1;
	return 0;
}

int
edl_transition_known(const char *name)
{
	return strcmp(name, "cut") == 0 || xfade_known(name);
}

static int
pair(struct ctx *c, const cJSON *obj, const char *key, double lo, double hi,
    double out[2])
{
	const cJSON *a = NULL, *it;
	size_t mark, m2, i = 0;
	int rc = AG_OK;

	if ((rc = jget_array(c->ag, &c->jp, obj, key, J_OPTIONAL, &a)) != AG_OK
	    || a == NULL)
		return rc;
	mark = jpath_key(&c->jp, key);
	if (cJSON_GetArraySize(a) != 2) {
		rc = jpath_fail(c->ag, &c->jp, "expected [from, to]");
		goto out;
	}
	cJSON_ArrayForEach(it, a) {
		m2 = jpath_index(&c->jp, i);
		if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble) ||
		    it->valuedouble < lo || it->valuedouble > hi) {
			rc = jpath_fail(c->ag, &c->jp, "expected a number from "
			    "%g to %g", lo, hi);
			goto out;
		}
		out[i++] = it->valuedouble;
		jpath_pop(&c->jp, m2);
	}
out:
	jpath_pop(&c->jp, mark);
	return rc;
}

static int
motion(struct ctx *c, const cJSON *seg, struct edl_segment *s)
{
	const cJSON *m = NULL;
	char *kind = NULL;
	size_t mark;
	int rc;

	if ((rc = jget_object(c->ag, &c->jp, seg, "motion", J_OPTIONAL,
	    &m)) != AG_OK || m == NULL)
		return rc;
	mark = jpath_key(&c->jp, "motion");
	if ((rc = known_keys(c, m, motion_keys)) != AG_OK ||
	    (rc = choice(c, m, "kind", "kenburns|none", &kind)) != AG_OK)
		goto out;
	s->motion.on = kind == NULL || strcmp(kind, "kenburns") == 0;
	s->motion.zoom[0] = 1.0;
	s->motion.zoom[1] = 1.15;
	s->motion.x[0] = s->motion.x[1] = 0.5;
	s->motion.y[0] = s->motion.y[1] = 0.5;
	if ((rc = pair(c, m, "zoom", 1, 4, s->motion.zoom)) != AG_OK ||
	    (rc = pair(c, m, "x", 0, 1, s->motion.x)) != AG_OK ||
	    (rc = pair(c, m, "y", 0, 1, s->motion.y)) != AG_OK)
		goto out;
	if (s->motion.on && s->kind != SRC_IMAGE && s->kind != SRC_GRADIENT)
		rc = jpath_fail(c->ag, &c->jp, "Ken Burns motion applies to "
		    "images and gradients");
out:
	free(kind);
	jpath_pop(&c->jp, mark);
	return rc;
}

static int
source(struct ctx *c, const cJSON *seg, struct edl_segment *s)
{
	const cJSON *src = NULL, *g, *it;
	struct media_probe p;
	size_t mark, m2, m3, i;
	int kinds = 0, rc;

	if ((rc = jget_object(c->ag, &c->jp, seg, "source", J_REQUIRED,
	    &src)) != AG_OK)
		return rc;
	mark = jpath_key(&c->jp, "source");
	if ((rc = known_keys(c, src, source_keys)) != AG_OK)
		goto out;
	kinds = (cJSON_GetObjectItem(src, "image") != NULL) +
	    (cJSON_GetObjectItem(src, "video") != NULL) +
	    (cJSON_GetObjectItem(src, "color") != NULL) +
	    (cJSON_GetObjectItem(src, "gradient") != NULL);
	if (kinds != 1) {
		rc = jpath_fail(c->ag, &c->jp, "expected exactly one of image, "
		    "video, color or gradient");
		goto out;
	}
	if (cJSON_GetObjectItem(src, "image") != NULL) {
		s->kind = SRC_IMAGE;
		rc = media(c, src, "image", PROBE_IMAGE, &s->path, NULL);
	} else if (cJSON_GetObjectItem(src, "video") != NULL) {
		s->kind = SRC_VIDEO;
		if ((rc = media(c, src, "video", PROBE_VIDEO, &s->path,
		    &p)) != AG_OK || (rc = number(c, src, "in", J_OPTIONAL, 0,
		    MAX_SECONDS, &s->in)) != AG_OK)
			goto out;
		s->rotation = p.rotation;
		if (p.duration > 0 && s->in >= p.duration) {
			jpath_key(&c->jp, "in");
			rc = jpath_fail(c->ag, &c->jp, "%g is past the clip's "
			    "end (%.3f s)", s->in, p.duration);
		}
	} else if (cJSON_GetObjectItem(src, "color") != NULL) {
		s->kind = SRC_COLOR;
		rc = color(c, src, "color", J_REQUIRED, &s->color[0]);
	} else {
		s->kind = SRC_GRADIENT;
		if ((rc = jget_array(c->ag, &c->jp, src, "gradient",
		    J_REQUIRED, &g)) != AG_OK)
			goto out;
		m2 = jpath_key(&c->jp, "gradient");
		if (cJSON_GetArraySize(g) != 2) {
			rc = jpath_fail(c->ag, &c->jp, "expected two colours");
			goto out;
		}
		i = 0;
		cJSON_ArrayForEach(it, g) {
			m3 = jpath_index(&c->jp, i);
			if (edl_color_parse(cJSON_GetStringValue(it),
			    &s->color[i]) != 0) {
				rc = jpath_fail(c->ag, &c->jp, "expected a "
				    "colour (#RRGGBB)");
				goto out;
			}
			jpath_pop(&c->jp, m3);
			i++;
		}
		jpath_pop(&c->jp, m2);
		rc = number(c, src, "angle", J_OPTIONAL, -360, 360, &s->angle);
	}
	if (rc == AG_OK && s->kind != SRC_VIDEO &&
	    cJSON_GetObjectItem(src, "in") != NULL) {
		jpath_key(&c->jp, "in");
		rc = jpath_fail(c->ag, &c->jp, "'in' applies to video sources");
	}
out:
	jpath_pop(&c->jp, mark);
	return rc;
}

static int
transition(struct ctx *c, const cJSON *seg, struct edl_segment *s)
{
	const cJSON *t = NULL;
	size_t mark;
	int rc;

	s->transition = xstrdup("cut");
	if ((rc = jget_object(c->ag, &c->jp, seg, "transition", J_OPTIONAL,
	    &t)) != AG_OK || t == NULL)
		return rc;
	mark = jpath_key(&c->jp, "transition");
	if ((rc = known_keys(c, t, transition_keys)) != AG_OK ||
	    (rc = string(c, t, "kind", J_REQUIRED, &s->transition)) != AG_OK)
		goto out;
	if (!edl_transition_known(s->transition)) {
		jpath_key(&c->jp, "kind");
		rc = jpath_fail(c->ag, &c->jp, "unknown transition '%s' "
		    "(cut, or one of xfade's: fade, dissolve, wipeleft, "
		    "slideup, circleopen, ...)", s->transition);
		goto out;
	}
	s->tduration = strcmp(s->transition, "cut") == 0 ? 0 : 0.5;
	if ((rc = number(c, t, "duration", J_OPTIONAL, 0, 10,
	    &s->tduration)) != AG_OK)
		goto out;
	if (s->tduration == 0) {
		free(s->transition);
		s->transition = xstrdup("cut");
	}
out:
	jpath_pop(&c->jp, mark);
	return rc;
}

static int
focus(struct ctx *c, const cJSON *seg, struct edl_segment *s)
{
	const cJSON *f = NULL;
	char *fit = NULL;
	size_t mark;
	int rc;

	s->focus_x = s->focus_y = 0.5;
	if ((rc = choice(c, seg, "fit", "cover|contain", &fit)) != AG_OK)
		return rc;
	s->fit = fit != NULL && strcmp(fit, "contain") == 0 ? FIT_CONTAIN :
	    FIT_COVER;
	free(fit);
	if ((rc = jget_object(c->ag, &c->jp, seg, "focus", J_OPTIONAL,
	    &f)) != AG_OK || f == NULL)
		return rc;
	mark = jpath_key(&c->jp, "focus");
	if ((rc = known_keys(c, f, xy_keys)) == AG_OK &&
	    (rc = number(c, f, "x", J_OPTIONAL, 0, 1, &s->focus_x)) == AG_OK)
		rc = number(c, f, "y", J_OPTIONAL, 0, 1, &s->focus_y);
	jpath_pop(&c->jp, mark);
	return rc;
}

static int
segment(struct ctx *c, const cJSON *seg, double prev_end,
    struct edl_segment *s)
{
	int rc;

	if (!cJSON_IsObject(seg))
		return jpath_fail(c->ag, &c->jp, "expected an object");
	if ((rc = known_keys(c, seg, segment_keys)) != AG_OK ||
	    (rc = number(c, seg, "start", J_REQUIRED, 0, MAX_SECONDS,
	    &s->start)) != AG_OK ||
	    (rc = number(c, seg, "end", J_REQUIRED, 0, MAX_SECONDS,
	    &s->end)) != AG_OK)
		return rc;
	if (s->end <= s->start) {
		jpath_key(&c->jp, "end");
		return jpath_fail(c->ag, &c->jp, "%g is not after the start "
		    "(%g)", s->end, s->start);
	}
	if (s->start < prev_end - EPS) {
		jpath_key(&c->jp, "start");
		return jpath_fail(c->ag, &c->jp, "%g overlaps the segment "
		    "before, which ends at %g", s->start, prev_end);
	}
	if ((rc = source(c, seg, s)) != AG_OK ||
	    (rc = motion(c, seg, s)) != AG_OK ||
	    (rc = focus(c, seg, s)) != AG_OK ||
	    (rc = transition(c, seg, s)) != AG_OK)
		return rc;
	return AG_OK;
}

/* A black segment for a gap in the timeline. */
static void
gap(struct edl *e, double from, double to)
{
	struct edl_segment *s = &e->seg[e->nseg++];

	memset(s, 0, sizeof(*s));
	s->start = from;
	s->end = to;
	s->kind = SRC_COLOR;
	s->transition = xstrdup("cut");
}

static int
video(struct ctx *c, const cJSON *doc)
{
	const cJSON *v = NULL, *it;
	struct edl *e = c->e;
	struct edl_segment *s, *prev;
	double prev_end = 0, len;
	size_t mark, m2, i = 0, n;
	int rc = AG_OK;

	if ((rc = jget_array(c->ag, &c->jp, doc, "video", J_REQUIRED,
	    &v)) != AG_OK)
		return rc;
	mark = jpath_key(&c->jp, "video");
	n = (size_t)cJSON_GetArraySize(v);
	if (n == 0) {
		rc = jpath_fail(c->ag, &c->jp, "no segments");
		goto out;
	}
	/* Room for a gap before each segment, and one after the last. */
	e->seg = xcalloc(2 * n + 1, sizeof(*e->seg));
	cJSON_ArrayForEach(it, v) {
		m2 = jpath_index(&c->jp, i);
		if (cJSON_IsObject(it)) {
			double st = 0;

			jget_number(c->ag, &c->jp, it, "start", J_OPTIONAL, &st);
			if (isfinite(st) && st > prev_end + EPS)
				gap(e, prev_end, st);
			ag_clear_error(c->ag);
		}
		s = &e->seg[e->nseg];
		memset(s, 0, sizeof(*s));
		e->nseg++;
		if ((rc = segment(c, it, prev_end, s)) != AG_OK)
			goto out;
		prev = e->nseg > 1 ? s - 1 : NULL;
		len = s->end - s->start;
		if (s->tduration > 0) {
			jpath_key(&c->jp, "transition");
			if (prev == NULL && strcmp(s->transition, "fade") != 0 &&
			    strcmp(s->transition, "fadeblack") != 0) {
				rc = jpath_fail(c->ag, &c->jp, "the first "
				    "segment can only fade in from black "
				    "(fade or fadeblack), not '%s'",
				    s->transition);
				goto out;
			}
			if (prev != NULL && prev->end < s->start - EPS) {
				rc = jpath_fail(c->ag, &c->jp, "a transition "
				    "needs the segment before to end where "
				    "this one starts");
				goto out;
			}
			if (s->tduration > len || (prev != NULL &&
			    s->tduration > prev->end - prev->start)) {
				rc = jpath_fail(c->ag, &c->jp, "%g s is longer "
				    "than a segment it joins", s->tduration);
				goto out;
			}
		}
		prev_end = s->end;
		jpath_pop(&c->jp, m2);
		i++;
	}
	e->duration = prev_end;
out:
	jpath_pop(&c->jp, mark);
	return rc;
}

static int
track(struct ctx *c, const cJSON *audio, const char *key, struct edl_audio *t)
{
	const cJSON *o = NULL;
	size_t mark;
	int rc;

	if ((rc = jget_object(c->ag, &c->jp, audio, key, J_OPTIONAL, &o)) !=
	    AG_OK || o == NULL)
		return rc;
	mark = jpath_key(&c->jp, key);
	if ((rc = known_keys(c, o, track_keys)) != AG_OK ||
	    (rc = media(c, o, "path", PROBE_AUDIO, &t->path, NULL)) != AG_OK ||
	    (rc = number(c, o, "gain", J_OPTIONAL, -60, 24, &t->gain)) != AG_OK
	    || (rc = number(c, o, "start", J_OPTIONAL, 0, MAX_SECONDS,
	    &t->start)) != AG_OK)
		goto out;
	if (strcmp(key, "music") == 0) {
		rc = jget_bool(c->ag, &c->jp, o, "duck", J_OPTIONAL,
		    &c->e->duck);
	} else if (cJSON_GetObjectItem(o, "duck") != NULL) {
		jpath_key(&c->jp, "duck");
		rc = jpath_fail(c->ag, &c->jp, "ducking applies to the music");
	}
out:
	jpath_pop(&c->jp, mark);
	return rc;
}

static int
audio(struct ctx *c, const cJSON *doc)
{
	const cJSON *a = NULL;
	size_t mark;
	int rc;

	c->e->duck = 1;
	if ((rc = jget_object(c->ag, &c->jp, doc, "audio", J_OPTIONAL, &a)) !=
	    AG_OK || a == NULL)
		return rc;
	mark = jpath_key(&c->jp, "audio");
	if ((rc = known_keys(c, a, audio_keys)) == AG_OK &&
	    (rc = track(c, a, "voice", &c->e->voice)) == AG_OK)
		rc = track(c, a, "music", &c->e->music);
	jpath_pop(&c->jp, mark);
	return rc;
}

static int
timespan(struct ctx *c, const cJSON *o, double *start, double *end)
{
	int rc;

	if ((rc = number(c, o, "start", J_REQUIRED, 0, MAX_SECONDS,
	    start)) != AG_OK || (rc = number(c, o, "end", J_REQUIRED, 0,
	    MAX_SECONDS, end)) != AG_OK)
		return rc;
	if (*end < *start) {
		jpath_key(&c->jp, "end");
		return jpath_fail(c->ag, &c->jp, "%g is before the start (%g)",
		    *end, *start);
	}
	return AG_OK;
}

static int
words(struct ctx *c, const cJSON *cap)
{
	const cJSON *w = NULL, *it;
	struct media_words *out = &c->e->captions.words;
	double start, end, last = 0;
	const char *text;
	size_t mark, m2, i = 0;
	int scene, rc;

	if ((rc = jget_array(c->ag, &c->jp, cap, "words", J_OPTIONAL, &w)) !=
	    AG_OK || w == NULL)
		return rc;
	mark = jpath_key(&c->jp, "words");
	cJSON_ArrayForEach(it, w) {
		m2 = jpath_index(&c->jp, i++);
		text = NULL;
		start = end = 0;
		scene = 0;
		if (!cJSON_IsObject(it)) {
			rc = jpath_fail(c->ag, &c->jp, "expected an object");
			goto out;
		}
		if ((rc = known_keys(c, it, word_keys)) != AG_OK ||
		    (rc = jget_string(c->ag, &c->jp, it, "text", J_REQUIRED,
		    &text)) != AG_OK ||
		    (rc = timespan(c, it, &start, &end)) != AG_OK ||
		    (rc = integer(c, it, "scene", 0, INT_MAX, &scene)) != AG_OK)
			goto out;
		if (start < last - EPS) {
			jpath_key(&c->jp, "start");
			rc = jpath_fail(c->ag, &c->jp, "%g is before the word "
			    "before it (%g)", start, last);
			goto out;
		}
		last = start;
		media_words_add(out, text, start, end, scene, 0);
		jpath_pop(&c->jp, m2);
	}
out:
	jpath_pop(&c->jp, mark);
	return rc;
}

static int
captions(struct ctx *c, const cJSON *doc)
{
	struct edl_captions *k = &c->e->captions;
	const cJSON *cap = NULL;
	size_t mark;
	int rc;

	k->style = xstrdup("karaoke");
	k->font = xstrdup("DejaVu Sans");
	k->position = xstrdup("bottom");
	k->color = 0xFFFFFF;
	k->highlight = 0xFFE000;
	k->outline = k->shadow = -1;
	k->uppercase = -1;
	if ((rc = jget_object(c->ag, &c->jp, doc, "captions", J_OPTIONAL,
	    &cap)) != AG_OK || cap == NULL)
		return rc;
	mark = jpath_key(&c->jp, "captions");
	if ((rc = known_keys(c, cap, captions_keys)) != AG_OK ||
	    (rc = choice(c, cap, "style", "karaoke|pop|classic|none",
	    &k->style)) != AG_OK ||
	    (rc = string(c, cap, "font", J_OPTIONAL, &k->font)) != AG_OK ||
	    (rc = number(c, cap, "size", J_OPTIONAL, 0, 1000, &k->size)) !=
	    AG_OK ||
	    (rc = color(c, cap, "color", J_OPTIONAL, &k->color)) != AG_OK ||
	    (rc = color(c, cap, "highlight", J_OPTIONAL, &k->highlight)) !=
	    AG_OK ||
	    (rc = number(c, cap, "outline", J_OPTIONAL, 0, 50, &k->outline)) !=
	    AG_OK ||
	    (rc = number(c, cap, "shadow", J_OPTIONAL, 0, 50, &k->shadow)) !=
	    AG_OK ||
	    (rc = choice(c, cap, "position", "bottom|middle|top",
	    &k->position)) != AG_OK ||
	    (rc = jget_bool(c->ag, &c->jp, cap, "uppercase", J_OPTIONAL,
	    &k->uppercase)) != AG_OK ||
	    (rc = integer(c, cap, "max_words", 0, 12, &k->max_words)) != AG_OK)
		goto out;
	rc = words(c, cap);
out:
	jpath_pop(&c->jp, mark);
	return rc;
}

static int
overlays(struct ctx *c, const cJSON *doc)
{
	struct edl *e = c->e;
	struct edl_overlay *o;
	const cJSON *a = NULL, *it;
	size_t mark, m2, i = 0;
	int rc;

	if ((rc = jget_array(c->ag, &c->jp, doc, "overlays", J_OPTIONAL, &a))
	    != AG_OK || a == NULL)
		return rc;
	mark = jpath_key(&c->jp, "overlays");
	e->overlay = xcalloc((size_t)cJSON_GetArraySize(a) + 1,
	    sizeof(*e->overlay));
	cJSON_ArrayForEach(it, a) {
		m2 = jpath_index(&c->jp, i++);
		o = &e->overlay[e->noverlay++];
		if (!cJSON_IsObject(it)) {
			rc = jpath_fail(c->ag, &c->jp, "expected an object");
			goto out;
		}
		if ((rc = known_keys(c, it, overlay_keys)) != AG_OK ||
		    (rc = string(c, it, "text", J_REQUIRED, &o->text)) != AG_OK
		    || (rc = timespan(c, it, &o->start, &o->end)) != AG_OK ||
		    (rc = choice(c, it, "role", "title|text", &o->role)) !=
		    AG_OK ||
		    (rc = choice(c, it, "position", "top|middle|bottom",
		    &o->position)) != AG_OK)
			goto out;
		if (o->role == NULL)
			o->role = xstrdup("text");
		if (o->position == NULL)
			o->position = xstrdup(strcmp(o->role, "title") == 0 ?
			    "middle" : "top");
		jpath_pop(&c->jp, m2);
	}
out:
	jpath_pop(&c->jp, mark);
	return rc;
}

static int
thumbnail(struct ctx *c, const cJSON *doc)
{
	const cJSON *t = NULL;
	size_t mark;
	int rc;

	c->e->thumbnail_at = -1;
	if ((rc = jget_object(c->ag, &c->jp, doc, "thumbnail", J_OPTIONAL,
	    &t)) != AG_OK || t == NULL)
		return rc;
	mark = jpath_key(&c->jp, "thumbnail");
	if ((rc = known_keys(c, t, thumbnail_keys)) == AG_OK &&
	    (rc = number(c, t, "at", J_OPTIONAL, 0, MAX_SECONDS,
	    &c->e->thumbnail_at)) == AG_OK)
		rc = string(c, t, "title", J_OPTIONAL, &c->e->thumbnail_title);
	jpath_pop(&c->jp, mark);
	return rc;
}

static void
hash(const cJSON *doc, char *hex)
{
	struct ag_sha256 h;
	char *text = cJSON_PrintUnformatted(doc);

	ag_sha256_init(&h);
	ag_sha256_update(&h, text, strlen(text));
	ag_sha256_hex(&h, hex);
	cJSON_free(text);
}

int
edl_parse(struct agency *ag, const cJSON *doc, const char *file,
    const char *base, struct edl *out)
{
	struct ctx c = { .ag = ag, .base = base };
	struct edl e;
	const cJSON *meta = NULL;
	double dur = -1;
	int rc;

	memset(&e, 0, sizeof(e));
	media_words_init(&e.captions.words);
	c.e = &e;
	jpath_init(&c.jp, file);
	if ((rc = ag_doc_check(ag, file, doc, "agency.edl")) != AG_OK ||
	    (rc = known_keys(&c, doc, top_keys)) != AG_OK ||
	    (rc = string(&c, doc, "title", J_OPTIONAL, &e.title)) != AG_OK ||
	    (rc = output(&c, doc)) != AG_OK ||
	    (rc = video(&c, doc)) != AG_OK ||
	    (rc = number(&c, doc, "duration", J_OPTIONAL, 0, MAX_SECONDS,
	    &dur)) != AG_OK ||
	    (rc = audio(&c, doc)) != AG_OK ||
	    (rc = captions(&c, doc)) != AG_OK ||
	    (rc = overlays(&c, doc)) != AG_OK ||
	    (rc = thumbnail(&c, doc)) != AG_OK ||
	    (rc = jget_object(ag, &c.jp, doc, "meta", J_OPTIONAL, &meta)) !=
	    AG_OK)
		goto fail;
	if (dur >= 0) {
		if (dur < e.duration - EPS) {
			jpath_key(&c.jp, "duration");
			rc = jpath_fail(ag, &c.jp, "%g is before the last "
			    "segment ends (%g)", dur, e.duration);
			goto fail;
		}
		if (dur > e.duration + EPS)
			gap(&e, e.duration, dur);
		e.duration = dur;
	}
	if (e.duration * e.fps < 1) {
		jpath_key(&c.jp, "video");
		rc = jpath_fail(ag, &c.jp, "shorter than one frame");
		goto fail;
	}
	if (meta != NULL)
		e.meta = cJSON_Duplicate(meta, 1);
	e.file = xstrdup(file);
	hash(doc, e.hash);
	*out = e;
	return AG_OK;
fail:
	edl_release(&e);
	return rc;
}

void
edl_release(struct edl *e)
{
	size_t i;

	for (i = 0; i < e->nseg; i++) {
		free(e->seg[i].path);
		free(e->seg[i].transition);
	}
	free(e->seg);
	for (i = 0; i < e->noverlay; i++) {
		free(e->overlay[i].text);
		free(e->overlay[i].role);
		free(e->overlay[i].position);
	}
	free(e->overlay);
	free(e->voice.path);
	free(e->music.path);
	free(e->captions.style);
	free(e->captions.font);
	free(e->captions.position);
	media_words_release(&e->captions.words);
	free(e->file);
	free(e->title);
	free(e->preset);
	free(e->quality);
	free(e->thumbnail_title);
	cJSON_Delete(e->meta);
	memset(e, 0, sizeof(*e));
}

int
edl_read(struct agency *ag, const char *path, struct edl *out)
{
	cJSON *doc = NULL;
	char *base = NULL, *slash;
	const char *name = ag_doc_name(path);
	int rc;

	if ((rc = ag_doc_read(ag, path, "agency.edl", &doc)) != AG_OK)
		return rc;
	if (path != NULL && strcmp(path, "-") != 0) {
		base = xstrdup(path);
		if ((slash = strrchr(base, '/')) != NULL)
			*slash = '\0';
		else {
			free(base);
			base = NULL;
		}
	}
	rc = edl_parse(ag, doc, name, base, out);
	free(base);
	cJSON_Delete(doc);
	return rc;
}
