/*
 * probedoc.c - a probe as JSON and back (probe.h), with cJSON only, so
 * that a tool can read what "agency-produce probe" printed without
 * linking FFmpeg.
 */
#include <math.h>
#include <string.h>

#include "agency.h"
#include "media/probe.h"

const char *
media_probe_kind_name(enum probe_kind k)
{
	switch (k) {
	case PROBE_VIDEO: return "video";
	case PROBE_IMAGE: return "image";
	case PROBE_AUDIO: return "audio";
	}
	return "?";
}

static void
addstr(cJSON *o, const char *k, const char *v)
{
	if (v[0] != '\0')
		cJSON_AddStringToObject(o, k, v);
}

cJSON *
media_probe_json(const struct media_probe *p)
{
	cJSON *o = cJSON_CreateObject(), *v, *a;

	cJSON_AddStringToObject(o, "media", media_probe_kind_name(p->kind));
	cJSON_AddStringToObject(o, "format", p->format);
	cJSON_AddNumberToObject(o, "duration", p->duration);
	cJSON_AddNumberToObject(o, "bytes", (double)p->bytes);
	if (p->bit_rate > 0)
		cJSON_AddNumberToObject(o, "bit_rate", (double)p->bit_rate);
	if (p->has_video) {
		v = cJSON_AddObjectToObject(o, "video");
		cJSON_AddStringToObject(v, "codec", p->vcodec);
		addstr(v, "profile", p->vprofile);
		addstr(v, "pix_fmt", p->pix_fmt);
		addstr(v, "color_space", p->color_space);
		cJSON_AddNumberToObject(v, "width", p->width);
		cJSON_AddNumberToObject(v, "height", p->height);
		if (p->rotation != 0)
			cJSON_AddNumberToObject(v, "rotation", p->rotation);
		if (p->fps > 0)
			cJSON_AddNumberToObject(v, "fps",
			    round(p->fps * 1000) / 1000);
		if (p->frames > 0)
			cJSON_AddNumberToObject(v, "frames", (double)p->frames);
	}
	if (p->has_audio) {
		a = cJSON_AddObjectToObject(o, "audio");
		cJSON_AddStringToObject(a, "codec", p->acodec);
		addstr(a, "profile", p->aprofile);
		cJSON_AddNumberToObject(a, "sample_rate", p->sample_rate);
		cJSON_AddNumberToObject(a, "channels", p->channels);
	}
	if (p->faststart >= 0) {
		cJSON_AddBoolToObject(o, "faststart", p->faststart);
		cJSON_AddNumberToObject(o, "edit_lists", p->edit_lists);
	}
	return o;
}

static void
getstr(const cJSON *o, const char *k, char *dst, size_t n)
{
	const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(o, k));

	snprintf(dst, n, "%s", v ? v : "");
}

static double
getnum(const cJSON *o, const char *k, double def)
{
	const cJSON *v = cJSON_GetObjectItem(o, k);

	return cJSON_IsNumber(v) ? v->valuedouble : def;
}

int
media_probe_parse(const cJSON *o, struct media_probe *out)
{
	struct media_probe p;
	const cJSON *v, *a, *f;
	const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(o, "media"));

	memset(&p, 0, sizeof(p));
	if (kind == NULL)
		return -1;
	if (strcmp(kind, "video") == 0)
		p.kind = PROBE_VIDEO;
	else if (strcmp(kind, "image") == 0)
		p.kind = PROBE_IMAGE;
	else if (strcmp(kind, "audio") == 0)
		p.kind = PROBE_AUDIO;
	else
		return -1;
	getstr(o, "format", p.format, sizeof(p.format));
	p.duration = getnum(o, "duration", 0);
	p.bytes = (int64_t)getnum(o, "bytes", 0);
	p.bit_rate = (int64_t)getnum(o, "bit_rate", 0);
	if ((v = cJSON_GetObjectItem(o, "video")) != NULL) {
		p.has_video = 1;
		getstr(v, "codec", p.vcodec, sizeof(p.vcodec));
		getstr(v, "profile", p.vprofile, sizeof(p.vprofile));
		getstr(v, "pix_fmt", p.pix_fmt, sizeof(p.pix_fmt));
		getstr(v, "color_space", p.color_space, sizeof(p.color_space));
		p.width = (int)getnum(v, "width", 0);
		p.height = (int)getnum(v, "height", 0);
		p.rotation = (int)getnum(v, "rotation", 0);
		p.fps = getnum(v, "fps", 0);
		p.frames = (int64_t)getnum(v, "frames", 0);
	}
	if ((a = cJSON_GetObjectItem(o, "audio")) != NULL) {
		p.has_audio = 1;
		getstr(a, "codec", p.acodec, sizeof(p.acodec));
		getstr(a, "profile", p.aprofile, sizeof(p.aprofile));
		p.sample_rate = (int)getnum(a, "sample_rate", 0);
		p.channels = (int)getnum(a, "channels", 0);
	}
	p.faststart = p.edit_lists = -1;
	if ((f = cJSON_GetObjectItem(o, "faststart")) != NULL) {
		p.faststart = cJSON_IsTrue(f);
		p.edit_lists = (int)getnum(o, "edit_lists", 0);
	}
	*out = p;
	return 0;
}
