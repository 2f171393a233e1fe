/*
 * transcode.c - another rendition of a finished video (media.h).
 *
 * A rendition is a render like any other: an edit decision list of one
 * segment, the video itself fitted to the preset's frame, with its own
 * sound as the only track, not ducked, brought to the same loudness.
 * So it gets everything a render does: the platform-ready encoding, the
 * atomic outputs, the production document and the store.
 */
#include <math.h>

#include "agency.h"
#include "media/media.h"

int
media_transcode(struct agency *ag, const char *in, const char *preset,
    const char *out, const char *quality, cJSON **production)
{
	struct render_args ra;
	struct media_probe p;
	struct edl e;
	cJSON *doc, *o, *v, *seg, *src, *a, *m;
	int rc;

	if ((rc = media_probe(ag, in, &p)) != AG_OK)
		return rc;
	if (p.kind != PROBE_VIDEO || p.duration <= 0)
		return ag_fail(ag, AG_DATAERR, "'%s' is not a video", in);
	doc = ag_doc_new("agency.edl");
	o = cJSON_AddObjectToObject(doc, "output");
	cJSON_AddStringToObject(o, "preset", preset);
	if (quality != NULL)
		cJSON_AddStringToObject(o, "quality", quality);
	v = cJSON_AddArrayToObject(doc, "video");
	seg = cJSON_CreateObject();
	cJSON_AddNumberToObject(seg, "start", 0);
	cJSON_AddNumberToObject(seg, "end", p.duration);
	src = cJSON_AddObjectToObject(seg, "source");
	cJSON_AddStringToObject(src, "video", in);
	cJSON_AddItemToArray(v, seg);
	if (p.has_audio) {
		a = cJSON_AddObjectToObject(doc, "audio");
		m = cJSON_AddObjectToObject(a, "music");
		cJSON_AddStringToObject(m, "path", in);
		cJSON_AddBoolToObject(m, "duck", 0);
	}
	rc = edl_parse(ag, doc, in, NULL, &e);
	cJSON_Delete(doc);
	if (rc != AG_OK)
		return rc;
	memset(&ra, 0, sizeof(ra));
	ra.output = out;
	rc = media_render(ag, &e, &ra, production);
	edl_release(&e);
	return rc;
}
