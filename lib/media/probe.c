/*
 * probe.c - media facts through libavformat, and an ISO BMFF box walk.
 *
 * The box walk reads box headers only (8 or 16 bytes each, pread at the
 * box's offset), descending into the containers on the path to elst:
 * moov, trak, edts.  It stops at a box that claims more bytes than the
 * file has, so a truncated or hostile file cannot make it loop.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/pixdesc.h>

#include "agency.h"
#include "media/av.h"
#include "media/probe.h"

#define MAXDEPTH 8

struct boxwalk {
	int fd;
	int64_t size;			/* of the file */
	int64_t moov, mdat;		/* offsets of the first ones, or -1 */
	int elst;
	char cut[5];			/* a box the file ends inside */
	int64_t need;			/* the bytes that box needs */
};

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
walk(struct boxwalk *w, int64_t off, int64_t end, int depth)
{
	unsigned char h[16];
	int64_t size, hdr;

	while (off + 8 <= end) {
		if (pread(w->fd, h, 16, off) < 8)
			return;
		size = be32(h);
		hdr = 8;
		if (size == 1) {
			size = (int64_t)((uint64_t)be32(h + 8) << 32 |
			    be32(h + 12));
			hdr = 16;
		} else if (size == 0) {
			size = end - off;	/* to the end of the file */
		}
		if (size < hdr)
			return;
		if (size > end - off) {
			memcpy(w->cut, h + 4, 4);
			w->need = off + size;
			return;
		}
		if (depth == 0 && memcmp(h + 4, "moov", 4) == 0 &&
		    w->moov < 0)
			w->moov = off;
		if (depth == 0 && memcmp(h + 4, "mdat", 4) == 0 &&
		    w->mdat < 0)
			w->mdat = off;
		if (memcmp(h + 4, "elst", 4) == 0)
			w->elst++;
		if (depth < MAXDEPTH && (memcmp(h + 4, "moov", 4) == 0 ||
		    memcmp(h + 4, "trak", 4) == 0 ||
		    memcmp(h + 4, "edts", 4) == 0))
			walk(w, off + hdr, off + size, depth + 1);
		off += size;
	}
}

/* A box the file ends inside is a truncated file: AG_DATAERR. */
static int
iso_facts(struct agency *ag, const char *path, struct media_probe *p)
{
	struct boxwalk w = { .moov = -1, .mdat = -1 };
	struct stat sb;
	int rc = AG_OK;

	p->faststart = -1;
	p->edit_lists = -1;
	if ((w.fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return ag_fail(ag, AG_NOINPUT, "cannot read '%s':", path);
	if (fstat(w.fd, &sb) == 0) {
		w.size = sb.st_size;
		walk(&w, 0, w.size, 0);
		if (w.cut[0] != '\0')
			rc = ag_fail(ag, AG_DATAERR, "'%s': truncated: box "
			    "'%s' ends at byte %lld, the file has %lld", path,
			    w.cut, (long long)w.need, (long long)w.size);
		if (w.moov >= 0) {
			p->faststart = w.mdat < 0 || w.moov < w.mdat;
			p->edit_lists = w.elst;
		}
	}
	close(w.fd);
	return rc;
}

static void
copyname(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static int
is_still(const AVFormatContext *fc, const AVStream *st)
{
	const char *name = fc->iformat->name;
	size_t len = strlen(name);

	if (st->disposition & AV_DISPOSITION_ATTACHED_PIC)
		return 1;
	return strcmp(name, "image2") == 0 || (len > 5 &&
	    strcmp(name + len - 5, "_pipe") == 0);
}

static void
video_facts(const AVStream *st, struct media_probe *p)
{
	const AVCodecParameters *par = st->codecpar;
	const uint8_t *m;
	AVRational fr;
	double angle;

	copyname(p->vcodec, sizeof(p->vcodec), avcodec_get_name(par->codec_id));
	copyname(p->vprofile, sizeof(p->vprofile),
	    avcodec_profile_name(par->codec_id, par->profile));
	copyname(p->pix_fmt, sizeof(p->pix_fmt),
	    av_get_pix_fmt_name((enum AVPixelFormat)par->format));
	if (par->color_space != AVCOL_SPC_UNSPECIFIED)
		copyname(p->color_space, sizeof(p->color_space),
		    av_color_space_name(par->color_space));
	p->width = par->width;
	p->height = par->height;
	m = av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, NULL);
	if (m != NULL) {
		angle = -av_display_rotation_get((const int32_t *)m);
		p->rotation = ((int)lround(angle / 90) * 90 % 360 + 360) % 360;
		if (p->rotation == 90 || p->rotation == 270) {
			p->width = par->height;
			p->height = par->width;
		}
	}
	/*
	 * The average rate counts the last frame's duration, which muxers
	 * stretch to the audio's end; the base rate is the true one for a
	 * constant-rate file.  Trust it when the two nearly agree.
	 */
	fr = st->avg_frame_rate.num > 0 ? st->avg_frame_rate :
	    st->r_frame_rate;
	if (fr.num > 0 && fr.den > 0)
		p->fps = av_q2d(fr);
	if (st->r_frame_rate.num > 0 && st->r_frame_rate.den > 0 &&
	    fabs(av_q2d(st->r_frame_rate) - p->fps) < 0.05 * p->fps)
		p->fps = av_q2d(st->r_frame_rate);
	p->frames = st->nb_frames;
	p->vbit_rate = par->bit_rate;
}

static void
audio_facts(const AVStream *st, struct media_probe *p)
{
	const AVCodecParameters *par = st->codecpar;

	copyname(p->acodec, sizeof(p->acodec), avcodec_get_name(par->codec_id));
	copyname(p->aprofile, sizeof(p->aprofile),
	    avcodec_profile_name(par->codec_id, par->profile));
	p->sample_rate = par->sample_rate;
	p->channels = par->ch_layout.nb_channels;
	p->abit_rate = par->bit_rate;
}

int
media_probe(struct agency *ag, const char *path, struct media_probe *out)
{
	AVFormatContext *fc = NULL;
	const AVStream *vst = NULL, *ast = NULL, *st;
	struct media_probe p;
	struct stat sb;
	unsigned i;
	int err, rc = AG_OK;

	if (stat(path, &sb) == -1)
		return ag_fail(ag, AG_NOINPUT, "cannot read '%s':", path);
	if (!S_ISREG(sb.st_mode))
		return ag_fail(ag, AG_NOINPUT, "cannot read '%s': not a file",
		    path);
	av_quiet(ag);
	memset(&p, 0, sizeof(p));
	p.bytes = sb.st_size;
	if ((err = avformat_open_input(&fc, path, NULL, NULL)) < 0) {
		if (err == AVERROR(EACCES) || err == AVERROR(ENOENT))
			return ag_fail(ag, AG_NOINPUT, "cannot read '%s': %s",
			    path, av_errtext(err));
		return ag_fail(ag, AG_DATAERR, "'%s': not a media file: %s",
		    path, av_errtext(err));
	}
	if ((err = avformat_find_stream_info(fc, NULL)) < 0) {
		rc = ag_fail(ag, AG_DATAERR, "'%s': unreadable media: %s",
		    path, av_errtext(err));
		goto out;
	}
	for (i = 0; i < fc->nb_streams; i++) {
		st = fc->streams[i];
		if (st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
		    vst == NULL && st->codecpar->width > 0 &&
		    (!(st->disposition & AV_DISPOSITION_ATTACHED_PIC) ||
		    fc->nb_streams == 1))
			vst = st;
		else if (st->codecpar->codec_type == AVMEDIA_TYPE_AUDIO &&
		    ast == NULL && st->codecpar->sample_rate > 0)
			ast = st;
	}
	if (vst == NULL && ast == NULL) {
		rc = ag_fail(ag, AG_DATAERR, "'%s': no audio or video stream",
		    path);
		goto out;
	}
	copyname(p.format, sizeof(p.format), fc->iformat->name);
	if (fc->duration != AV_NOPTS_VALUE && fc->duration > 0)
		p.duration = fc->duration / (double)AV_TIME_BASE;
	p.bit_rate = fc->bit_rate;
	if (vst != NULL) {
		p.has_video = 1;
		video_facts(vst, &p);
	}
	if (ast != NULL) {
		p.has_audio = 1;
		audio_facts(ast, &p);
	}
	if (vst != NULL && ast == NULL && is_still(fc, vst)) {
		p.kind = PROBE_IMAGE;
		p.duration = 0;
		p.fps = 0;
	} else {
		p.kind = vst != NULL ? PROBE_VIDEO : PROBE_AUDIO;
	}
	p.faststart = p.edit_lists = -1;
	if ((strstr(p.format, "mp4") != NULL ||
	    strstr(p.format, "mov") != NULL) &&
	    (rc = iso_facts(ag, path, &p)) != AG_OK)
		goto out;
	*out = p;
out:
	avformat_close_input(&fc);
	return rc;
}

int
media_probe_print(struct agency *ag, char *const *files, int n)
{
	struct media_probe p;
	cJSON *doc, *facts, *it;
	char *abs;
	int i, rc, worst = AG_OK;

	for (i = 0; i < n; i++) {
		if ((rc = media_probe(ag, files[i], &p)) != AG_OK) {
			ag_print_error(ag, ag->err);
			worst = worst > rc ? worst : rc;
			continue;
		}
		doc = ag_doc_new("agency.probe");
		abs = realpath(files[i], NULL);
		cJSON_AddStringToObject(doc, "path", abs ? abs : files[i]);
		free(abs);
		facts = media_probe_json(&p);
		while ((it = facts->child) != NULL)
			cJSON_AddItemToObject(doc, it->string,
			    cJSON_DetachItemViaPointer(facts, it));
		cJSON_Delete(facts);
		rc = ag_emit(ag, doc);
		cJSON_Delete(doc);
		if (rc != AG_OK)
			return rc;
	}
	if (worst != AG_OK)
		ag_clear_error(ag);
	return worst;
}
