/*
 * mix.c - voice and music, ducked, mixed and normalised (mix.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/channel_layout.h>
#include <libavutil/frame.h>

#include "agency.h"
#include "media/av.h"
#include "media/edl.h"
#include "media/fgraph.h"
#include "media/mix.h"

#define CH 2
#define CHUNK 4096			/* frames read from the spool at once */
#define LIMIT_MARGIN 1.0		/* dB under the ceiling for alimiter */

struct mix {
	int fd;				/* the spool: float frames, unlinked */
	int64_t total;			/* frames in it */
	int64_t read;			/* frames read back */
	int64_t out;			/* frames given */
	struct loudness before, after;
	struct loudness_meter *meter;	/* of pass two's output */
	struct fgraph fg;		/* pass two */
	AVFilterContext *src, *sink;
	int want, eof;
	double gain, limit;		/* dB */
};

static const char FORMAT[] = "sample_fmts=flt:sample_rates=48000:"
    "channel_layouts=stereo";

/* One input: decoded, resampled, delayed and turned up or down. */
static int
input(struct agency *ag, struct fgraph *fg, const struct edl_audio *t,
    AVFilterContext **cur)
{
	char args[64];
	int rc;

	if ((rc = fgraph_add_file(ag, fg, "amovie", t->path, NULL, cur)) !=
	    AG_OK ||
	    (rc = fgraph_then(ag, fg, cur, "aresample", "48000")) != AG_OK ||
	    (rc = fgraph_then(ag, fg, cur, "aformat", FORMAT)) != AG_OK)
		return rc;
	if (t->start > 0) {
		snprintf(args, sizeof(args), "delays=%.3f:all=1",
		    t->start * 1000);
		if ((rc = fgraph_then(ag, fg, cur, "adelay", args)) != AG_OK)
			return rc;
	}
	snprintf(args, sizeof(args), "volume=%.3fdB", t->gain);
	return fgraph_then(ag, fg, cur, "volume", args);
}

static int
pass_one_graph(struct agency *ag, const struct edl *e, int64_t total,
    struct fgraph *fg, AVFilterContext **sink)
{
	AVFilterContext *voice = NULL, *music = NULL, *key = NULL, *cur;
	char args[96];
	int rc;

	if ((rc = fgraph_init(ag, fg)) != AG_OK)
		return rc;
	if (e->voice.path != NULL) {
		if ((rc = input(ag, fg, &e->voice, &voice)) != AG_OK ||
		    (rc = fgraph_then(ag, fg, &voice, "acompressor",
		    "threshold=0.1:ratio=4:attack=5:release=120:makeup=2")) !=
		    AG_OK)
			return rc;
		if (e->music.path != NULL && e->duck) {
			if ((rc = fgraph_then(ag, fg, &voice, "asplit",
			    "2")) != AG_OK)
				return rc;
			key = voice;
		}
	}
	if (e->music.path != NULL) {
		if ((rc = input(ag, fg, &e->music, &music)) != AG_OK)
			return rc;
		if (key != NULL && (rc = fgraph_add(ag, fg,
		    "sidechaincompress", "threshold=0.02:ratio=8:attack=20:"
		    "release=400:knee=4", &cur)) == AG_OK) {
			if ((rc = fgraph_link(ag, music, 0, cur, 0)) != AG_OK ||
			    (rc = fgraph_link(ag, key, 1, cur, 1)) != AG_OK)
				return rc;
			music = cur;
		}
		if (rc != AG_OK)
			return rc;
	}
	if (voice != NULL && music != NULL) {
		cur = voice;
		rc = fgraph_join(ag, fg, &cur, music, "amix",
		    "inputs=2:duration=longest:normalize=0");
	} else if (voice != NULL || music != NULL) {
		cur = voice != NULL ? voice : music;
	} else {
		rc = fgraph_add(ag, fg, "anullsrc", "r=48000:cl=stereo", &cur);
	}
	if (rc != AG_OK)
		return rc;
	snprintf(args, sizeof(args), "whole_len=%lld", (long long)total);
	if ((rc = fgraph_then(ag, fg, &cur, "apad", args)) != AG_OK)
		return rc;
	snprintf(args, sizeof(args), "end_sample=%lld", (long long)total);
	if ((rc = fgraph_then(ag, fg, &cur, "atrim", args)) != AG_OK ||
	    (rc = fgraph_then(ag, fg, &cur, "aformat", FORMAT)) != AG_OK ||
	    (rc = fgraph_add(ag, fg, "abuffersink", NULL, sink)) != AG_OK ||
	    (rc = fgraph_link(ag, cur, 0, *sink, 0)) != AG_OK)
		return rc;
	return fgraph_config(ag, fg, "audio");
}

static int
spool_open(struct agency *ag, int *fd)
{
	const char *dir = getenv("TMPDIR");
	char *path = xasprintf("%s/agency-mix.XXXXXX", dir && *dir ? dir :
	    "/tmp");

	*fd = mkstemp(path);
	if (*fd == -1) {
		ag_fail(ag, AG_CANTCREAT, "cannot create '%s':", path);
		free(path);
		return AG_CANTCREAT;
	}
	/* Unlinked at once: nothing is left behind, even after kill -9. */
	unlink(path);
	free(path);
	return AG_OK;
}

static int
spool_write(struct agency *ag, int fd, const void *p, size_t n)
{
	const char *c = p;
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, c, n)) == -1) {
			if (errno == EINTR)
				continue;
			return ag_fail(ag, AG_IOERR, "cannot write the audio "
			    "spool:");
		}
		c += w;
		n -= (size_t)w;
	}
	return AG_OK;
}

/* Run the mix graph into the spool, measuring it. */
static int
pass_one(struct agency *ag, const struct edl *e, struct mix *m)
{
	struct loudness_meter *meter = NULL;
	struct fgraph fg = { 0 };
	struct ag_progress pg;
	AVFilterContext *sink = NULL;
	AVFrame *f = NULL;
	int err, rc;

	ag_progress_start(ag, &pg, "mix", (double)m->total, 0);

	if ((rc = pass_one_graph(ag, e, m->total, &fg, &sink)) != AG_OK ||
	    (rc = loudness_meter_new(ag, CH, MIX_RATE, &meter)) != AG_OK)
		goto out;
	if ((f = av_frame_alloc()) == NULL) {
		rc = ag_fail(ag, AG_OSERR, "out of memory");
		goto out;
	}
	m->total = 0;
	while ((err = av_buffersink_get_frame(sink, f)) >= 0) {
		if ((rc = loudness_meter_add(ag, meter,
		    (const float *)f->data[0], (size_t)f->nb_samples)) !=
		    AG_OK || (rc = spool_write(ag, m->fd, f->data[0],
		    (size_t)f->nb_samples * CH * sizeof(float))) != AG_OK)
			goto out;
		m->total += f->nb_samples;
		av_frame_unref(f);
		ag_progress_update(&pg, (double)m->total);
	}
	if (err != AVERROR_EOF) {
		rc = ag_fail(ag, AG_DATAERR, "'%s': cannot mix the audio: %s",
		    e->file, av_errtext(err));
		goto out;
	}
	loudness_meter_result(meter, &m->before);
out:
	ag_progress_end(&pg);
	av_frame_free(&f);
	loudness_meter_free(meter);
	fgraph_release(&fg);
	return rc;
}

static int
pass_two_graph(struct agency *ag, struct mix *m)
{
	AVFilterContext *cur;
	char args[160];
	int rc;

	if ((rc = fgraph_init(ag, &m->fg)) != AG_OK)
		return rc;
	snprintf(args, sizeof(args), "sample_rate=%d:sample_fmt=flt:"
	    "channel_layout=stereo:time_base=1/%d", MIX_RATE, MIX_RATE);
	if ((rc = fgraph_add(ag, &m->fg, "abuffer", args, &m->src)) != AG_OK)
		return rc;
	cur = m->src;
	snprintf(args, sizeof(args), "volume=%.3fdB", m->gain);
	if ((rc = fgraph_then(ag, &m->fg, &cur, "volume", args)) != AG_OK)
		return rc;
	snprintf(args, sizeof(args), "limit=%.6f:attack=5:release=50:"
	    "level=0:latency=1", pow(10, m->limit / 20));
	if ((rc = fgraph_then(ag, &m->fg, &cur, "alimiter", args)) != AG_OK ||
	    (rc = fgraph_then(ag, &m->fg, &cur, "aformat", FORMAT)) != AG_OK ||
	    (rc = fgraph_add(ag, &m->fg, "abuffersink", NULL, &m->sink)) !=
	    AG_OK || (rc = fgraph_link(ag, cur, 0, m->sink, 0)) != AG_OK)
		return rc;
	return fgraph_config(ag, &m->fg, "loudness");
}

int
mix_new(struct agency *ag, const struct edl *e, struct mix **out)
{
	struct mix *m = xcalloc(1, sizeof(*m));
	int rc;

	m->fd = -1;
	m->total = llround(e->duration * MIX_RATE);
	if ((rc = spool_open(ag, &m->fd)) != AG_OK ||
	    (rc = pass_one(ag, e, m)) != AG_OK)
		goto fail;
	m->gain = m->before.integrated == -HUGE_VAL ? 0 :
	    e->loudness - m->before.integrated;
	m->limit = e->true_peak - LIMIT_MARGIN;
	ag_debug(ag, "audio: %.2f LUFS, %.2f dBTP as mixed; %+.2f dB to "
	    "%.1f LUFS", m->before.integrated, m->before.true_peak, m->gain,
	    e->loudness);
	if ((rc = pass_two_graph(ag, m)) != AG_OK ||
	    (rc = loudness_meter_new(ag, CH, MIX_RATE, &m->meter)) != AG_OK)
		goto fail;
	*out = m;
	return AG_OK;
fail:
	mix_free(m);
	return rc;
}

/* Push the next piece of the spool (or the end) into pass two. */
static int
feed(struct agency *ag, struct mix *m, int skip)
{
	AVFrame *f;
	int64_t n;
	ssize_t r;
	size_t want;
	int err;

	if (m->read < skip)
		m->read = skip < m->total ? skip : m->total;
	n = m->total - m->read < CHUNK ? m->total - m->read : CHUNK;
	if (n <= 0) {
		m->eof = 1;
		if ((err = av_buffersrc_add_frame(m->src, NULL)) < 0)
			return ag_fail(ag, AG_SOFTWARE, "audio: %s",
			    av_errtext(err));
		return AG_OK;
	}
	if ((f = av_frame_alloc()) == NULL)
		return ag_fail(ag, AG_OSERR, "out of memory");
	f->format = AV_SAMPLE_FMT_FLT;
	f->sample_rate = MIX_RATE;
	f->nb_samples = (int)n;
	av_channel_layout_default(&f->ch_layout, CH);
	if (av_frame_get_buffer(f, 0) < 0) {
		av_frame_free(&f);
		return ag_fail(ag, AG_OSERR, "out of memory");
	}
	want = (size_t)n * CH * sizeof(float);
	r = pread(m->fd, f->data[0], want, (off_t)(m->read * CH *
	    (int64_t)sizeof(float)));
	if (r != (ssize_t)want) {
		av_frame_free(&f);
		return ag_fail(ag, AG_IOERR, "cannot read the audio spool:");
	}
	f->pts = m->read - skip;
	m->read += n;
	err = av_buffersrc_add_frame(m->src, f);
	av_frame_free(&f);
	if (err < 0)
		return ag_fail(ag, AG_SOFTWARE, "audio: %s", av_errtext(err));
	return AG_OK;
}

int
mix_read(struct agency *ag, struct mix *m, int want, int skip, AVFrame **out)
{
	AVFrame *f;
	int err, rc;

	if (m->want != want) {
		av_buffersink_set_frame_size(m->sink, (unsigned)want);
		m->want = want;
	}
	if ((f = av_frame_alloc()) == NULL)
		return ag_fail(ag, AG_OSERR, "out of memory");
	for (;;) {
		err = av_buffersink_get_frame(m->sink, f);
		if (err >= 0)
			break;
		if (err == AVERROR_EOF) {
			av_frame_free(&f);
			loudness_meter_result(m->meter, &m->after);
			return AG_FALSE;
		}
		if (err != AVERROR(EAGAIN) || m->eof) {
			av_frame_free(&f);
			return ag_fail(ag, AG_SOFTWARE, "audio: %s",
			    av_errtext(err));
		}
		if ((rc = feed(ag, m, skip)) != AG_OK) {
			av_frame_free(&f);
			return rc;
		}
	}
	if ((rc = loudness_meter_add(ag, m->meter, (const float *)f->data[0],
	    (size_t)f->nb_samples)) != AG_OK) {
		av_frame_free(&f);
		return rc;
	}
	f->pts = m->out;
	m->out += f->nb_samples;
	*out = f;
	return AG_OK;
}

void
mix_loudness(const struct mix *m, struct loudness *before,
    struct loudness *after)
{
	if (before != NULL)
		*before = m->before;
	if (after != NULL)
		*after = m->after;
}

int64_t
mix_samples(const struct mix *m)
{
	return m->total;
}

void
mix_free(struct mix *m)
{
	if (m == NULL)
		return;
	if (m->fd != -1)
		close(m->fd);
	loudness_meter_free(m->meter);
	fgraph_release(&m->fg);
	free(m);
}
