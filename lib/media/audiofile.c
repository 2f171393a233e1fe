/*
 * audiofile.c - float PCM to WAV, FLAC or M4A through libswresample,
 * libavcodec and libavformat, into a descriptor we own.
 *
 * The muxer writes through a custom AVIOContext (struct sink): straight
 * to the descriptor with write(2) and lseek(2) when it can seek, else
 * into memory, where seeking is free, and out to the descriptor at the
 * end.  So a WAV piped to stdout still carries its true data size, and
 * a write error keeps its errno for the message.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>

#include "agency.h"
#include "media/audiofile.h"
#include "media/av.h"

#define IOBUF 65536
#define PCM_FRAMES 4096		/* frames a packet, for PCM */
#define AAC_BITRATE 192000

#if LIBAVFORMAT_VERSION_MAJOR >= 61
#define AVIO_CONST const
#else
#define AVIO_CONST
#endif

static const struct {
	const char *name, *ext, *mime, *muxer;
	enum AVCodecID codec;
	enum AVSampleFormat sfmt;
} formats[] = {
	[AUDIOFILE_WAV] = { "wav", ".wav", "audio/wav", "wav",
	    AV_CODEC_ID_PCM_S16LE, AV_SAMPLE_FMT_S16 },
	[AUDIOFILE_FLAC] = { "flac", ".flac", "audio/flac", "flac",
	    AV_CODEC_ID_FLAC, AV_SAMPLE_FMT_S16 },
	[AUDIOFILE_M4A] = { "m4a", ".m4a", "audio/mp4", "ipod",
	    AV_CODEC_ID_AAC, AV_SAMPLE_FMT_FLTP },
};
#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

int
audiofile_format_parse(const char *name, enum audiofile_format *out)
{
	size_t i;

	for (i = 0; name != NULL && i < NFORMATS; i++) {
		if (strcasecmp(name, formats[i].name) == 0) {
			*out = (enum audiofile_format)i;
			return 0;
		}
	}
	return -1;
}

int
audiofile_format_guess(const char *path, enum audiofile_format *out)
{
	const char *dot = path ? strrchr(path, '.') : NULL;
	size_t i;

	if (dot == NULL || strchr(dot, '/') != NULL)
		return -1;
	for (i = 0; i < NFORMATS; i++) {
		if (strcasecmp(dot, formats[i].ext) == 0) {
			*out = (enum audiofile_format)i;
			return 0;
		}
	}
	return -1;
}

const char *
audiofile_format_name(enum audiofile_format f)
{
	return formats[f].name;
}

const char *
audiofile_format_mime(enum audiofile_format f)
{
	return formats[f].mime;
}

/* Where the muxer's bytes go. */
struct sink {
	int fd;
	int seekable;
	struct buf mem;			/* when not seekable */
	size_t pos;			/* in mem */
	int err;			/* errno of the first failed write */
};

static int
sink_write(void *opaque, AVIO_CONST uint8_t *p, int n)
{
	struct sink *s = opaque;
	size_t len = (size_t)n, over;
	ssize_t w;

	if (!s->seekable) {
		while (s->mem.len < s->pos)	/* a seek past the end */
			buf_addch(&s->mem, 0);
		over = s->mem.len - s->pos < len ? s->mem.len - s->pos : len;
		if (over > 0)
			memcpy(s->mem.data + s->pos, p, over);
		buf_add(&s->mem, p + over, len - over);
		s->pos += len;
		return n;
	}
	while (len > 0) {
		w = write(s->fd, p, len);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1) {
			if (s->err == 0)
				s->err = errno;
			return AVERROR(errno);
		}
		p += w;
		len -= (size_t)w;
	}
	return n;
}

static int64_t
sink_seek(void *opaque, int64_t off, int whence)
{
	struct sink *s = opaque;
	off_t r;

	if (s->seekable) {
		if (whence == AVSEEK_SIZE) {
			off_t cur = lseek(s->fd, 0, SEEK_CUR), size;

			size = lseek(s->fd, 0, SEEK_END);
			lseek(s->fd, cur, SEEK_SET);
			return size;
		}
		r = lseek(s->fd, (off_t)off, whence & ~AVSEEK_FORCE);
		return r == -1 ? AVERROR(errno) : (int64_t)r;
	}
	switch (whence & ~AVSEEK_FORCE) {
	case AVSEEK_SIZE:
		return (int64_t)s->mem.len;
	case SEEK_SET:
		break;
	case SEEK_CUR:
		off += (int64_t)s->pos;
		break;
	case SEEK_END:
		off += (int64_t)s->mem.len;
		break;
	default:
		return AVERROR(EINVAL);
	}
	if (off < 0)
		return AVERROR(EINVAL);
	s->pos = (size_t)off;
	return off;
}

/* Everything one encode holds, released by enc_release(). */
struct enc {
	AVFormatContext *oc;
	AVCodecContext *cc;
	AVStream *st;
	SwrContext *swr;
	AVFrame *frame;
	AVPacket *pkt;
	struct sink sink;
};

static void
enc_release(struct enc *e)
{
	if (e->oc != NULL) {
		if (e->oc->pb != NULL) {
			av_freep(&e->oc->pb->buffer);
			avio_context_free(&e->oc->pb);
		}
		avformat_free_context(e->oc);
	}
	avcodec_free_context(&e->cc);
	swr_free(&e->swr);
	av_frame_free(&e->frame);
	av_packet_free(&e->pkt);
	buf_release(&e->sink.mem);
}

static int
fferr(struct agency *ag, const char *name, const char *what, int err)
{
	return ag_fail(ag, AG_SOFTWARE, "cannot write '%s': %s: %s", name,
	    what, av_errtext(err));
}

/* A failed write through the sink is an I/O error with its errno. */
static int
ioerr(struct agency *ag, struct enc *e, const char *name, const char *what,
    int err)
{
	if (e->sink.err != 0) {
		errno = e->sink.err;
		return ag_fail(ag, AG_IOERR, "cannot write '%s':", name);
	}
	return fferr(ag, name, what, err);
}

static int
setup(struct agency *ag, struct enc *e, const char *name,
    enum audiofile_format f, int channels, int rate)
{
	const AVCodec *codec;
	AVChannelLayout layout;
	unsigned char *iobuf;
	int err;

	if ((codec = avcodec_find_encoder(formats[f].codec)) == NULL)
		return ag_fail(ag, AG_UNAVAILABLE, "cannot write '%s': this "
		    "FFmpeg has no %s encoder", name,
		    avcodec_get_name(formats[f].codec));
	err = avformat_alloc_output_context2(&e->oc, NULL, formats[f].muxer,
	    NULL);
	if (err < 0)
		return fferr(ag, name, "muxer", err);
	e->oc->flags |= AVFMT_FLAG_BITEXACT | AVFMT_FLAG_CUSTOM_IO;
	if ((e->st = avformat_new_stream(e->oc, NULL)) == NULL ||
	    (e->cc = avcodec_alloc_context3(codec)) == NULL ||
	    (e->frame = av_frame_alloc()) == NULL ||
	    (e->pkt = av_packet_alloc()) == NULL)
		ag_oom();
	av_channel_layout_default(&layout, channels);
	if ((err = av_channel_layout_copy(&e->cc->ch_layout, &layout)) < 0)
		return fferr(ag, name, "channel layout", err);
	e->cc->sample_rate = rate;
	e->cc->sample_fmt = formats[f].sfmt;
	e->cc->time_base = (AVRational){ 1, rate };
	e->cc->flags |= AV_CODEC_FLAG_BITEXACT;
	if (f == AUDIOFILE_M4A)
		e->cc->bit_rate = AAC_BITRATE;
	if (e->oc->oformat->flags & AVFMT_GLOBALHEADER)
		e->cc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
	if ((err = avcodec_open2(e->cc, codec, NULL)) < 0)
		return fferr(ag, name, "encoder", err);
	if ((err = avcodec_parameters_from_context(e->st->codecpar, e->cc)) <
	    0)
		return fferr(ag, name, "stream", err);
	e->st->time_base = e->cc->time_base;

	err = swr_alloc_set_opts2(&e->swr, &layout, formats[f].sfmt, rate,
	    &layout, AV_SAMPLE_FMT_FLT, rate, 0, NULL);
	av_channel_layout_uninit(&layout);
	if (err < 0)
		return fferr(ag, name, "converter", err);
	if (formats[f].sfmt == AV_SAMPLE_FMT_S16)
		av_opt_set_int(e->swr, "dither_method", SWR_DITHER_TRIANGULAR,
		    0);
	if ((err = swr_init(e->swr)) < 0)
		return fferr(ag, name, "converter", err);

	if ((iobuf = av_malloc(IOBUF)) == NULL)
		ag_oom();
	e->oc->pb = avio_alloc_context(iobuf, IOBUF, 1, &e->sink, NULL,
	    sink_write, sink_seek);
	if (e->oc->pb == NULL) {
		av_free(iobuf);
		ag_oom();
	}
	e->oc->pb->seekable = AVIO_SEEKABLE_NORMAL;
	return AG_OK;
}

/* Send frame (NULL: flush) and write what the encoder gives back. */
static int
encode(struct agency *ag, struct enc *e, const char *name, AVFrame *frame)
{
	int err;

	if ((err = avcodec_send_frame(e->cc, frame)) < 0)
		return fferr(ag, name, "encoding", err);
	for (;;) {
		err = avcodec_receive_packet(e->cc, e->pkt);
		if (err == AVERROR(EAGAIN) || err == AVERROR_EOF)
			return AG_OK;
		if (err < 0)
			return fferr(ag, name, "encoding", err);
		av_packet_rescale_ts(e->pkt, e->cc->time_base,
		    e->st->time_base);
		e->pkt->stream_index = e->st->index;
		if ((err = av_interleaved_write_frame(e->oc, e->pkt)) < 0)
			return ioerr(ag, e, name, "muxing", err);
	}
}

static int
run(struct agency *ag, struct enc *e, const char *name, const float *pcm,
    size_t frames, int channels)
{
	const uint8_t *in;
	size_t at, n, step;
	int err, rc;

	if ((err = avformat_write_header(e->oc, NULL)) < 0)
		return ioerr(ag, e, name, "header", err);
	step = e->cc->frame_size > 0 ? (size_t)e->cc->frame_size : PCM_FRAMES;
	for (at = 0; at < frames; at += n) {
		n = frames - at < step ? frames - at : step;
		av_frame_unref(e->frame);
		e->frame->nb_samples = (int)n;
		e->frame->format = e->cc->sample_fmt;
		e->frame->sample_rate = e->cc->sample_rate;
		if ((err = av_channel_layout_copy(&e->frame->ch_layout,
		    &e->cc->ch_layout)) < 0 ||
		    (err = av_frame_get_buffer(e->frame, 0)) < 0)
			return fferr(ag, name, "frame", err);
		in = (const uint8_t *)(pcm + at * (size_t)channels);
		err = swr_convert(e->swr, e->frame->data, (int)n, &in, (int)n);
		if (err != (int)n)
			return fferr(ag, name, "converting", err < 0 ? err :
			    AVERROR_BUG);
		e->frame->pts = (int64_t)at;
		if ((rc = encode(ag, e, name, e->frame)) != AG_OK)
			return rc;
	}
	if ((rc = encode(ag, e, name, NULL)) != AG_OK)
		return rc;
	if ((err = av_write_trailer(e->oc)) < 0)
		return ioerr(ag, e, name, "trailer", err);
	avio_flush(e->oc->pb);
	if (e->sink.err != 0)
		return ioerr(ag, e, name, "writing", 0);
	return AG_OK;
}

/* Copy the in-memory file out to the descriptor. */
static int
drain(struct agency *ag, struct enc *e, const char *name)
{
	const char *p = e->sink.mem.data;
	size_t len = e->sink.mem.len;
	ssize_t w;

	while (len > 0) {
		w = write(e->sink.fd, p, len);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1)
			return ag_fail(ag, AG_IOERR, "cannot write '%s':",
			    name);
		p += w;
		len -= (size_t)w;
	}
	return AG_OK;
}

int
audiofile_write_fd(struct agency *ag, int fd, const char *name,
    enum audiofile_format f, const float *pcm, size_t frames, int channels,
    int rate)
{
	struct enc e;
	int rc;

	if ((unsigned)f >= NFORMATS)
		return ag_fail(ag, AG_USAGE, "'%s': unknown audio format",
		    name);
	if (channels < 1 || channels > 8 || rate < 8000 || rate > 192000)
		return ag_fail(ag, AG_USAGE, "'%s': cannot write %d channels "
		    "at %d Hz", name, channels, rate);
	av_quiet(ag);
	memset(&e, 0, sizeof(e));
	e.sink.fd = fd;
	e.sink.seekable = lseek(fd, 0, SEEK_CUR) != -1;
	buf_init(&e.sink.mem, 0);
	rc = setup(ag, &e, name, f, channels, rate);
	if (rc == AG_OK)
		rc = run(ag, &e, name, pcm, frames, channels);
	if (rc == AG_OK && !e.sink.seekable)
		rc = drain(ag, &e, name);
	enc_release(&e);
	return rc;
}

int
audiofile_write(struct agency *ag, const char *path, enum audiofile_format f,
    const float *pcm, size_t frames, int channels, int rate)
{
	struct ag_atomic af;
	int rc;

	if (strcmp(path, "-") == 0) {
		fflush(stdout);
		return audiofile_write_fd(ag, STDOUT_FILENO, "<stdout>", f, pcm,
		    frames, channels, rate);
	}
	if ((rc = ag_atomic_open(ag, path, 0644, &af)) != AG_OK)
		return rc;
	rc = audiofile_write_fd(ag, af.fd, path, f, pcm, frames, channels,
	    rate);
	if (rc != AG_OK) {
		ag_atomic_abort(&af);
		return rc;
	}
	return ag_atomic_commit(ag, &af);
}

/*
 * Decoding: every frame of the first audio stream converted to float
 * at rate Hz with the given channels and handed to sink, a piece at a
 * time, so a caller that does not keep the samples holds no more than a
 * piece.  sink returns AG_OK to go on.
 */
struct sink_ctx {
	int (*fn)(struct agency *ag, void *arg, const float *pcm,
	    size_t frames);
	void *arg;
	float *buf;
	size_t cap;
	int channels;
};

static int
convert(struct agency *ag, SwrContext *swr, const AVFrame *f, int rate,
    struct sink_ctx *sk)
{
	uint8_t *dst;
	int room, got;

	room = swr_get_out_samples(swr, f ? f->nb_samples : 0) + rate / 10;
	if ((size_t)room * (size_t)sk->channels > sk->cap) {
		sk->cap = (size_t)room * (size_t)sk->channels;
		sk->buf = xreallocarray(sk->buf, sk->cap, sizeof(*sk->buf));
	}
	dst = (uint8_t *)sk->buf;
	got = swr_convert(swr, &dst, room, f ? (const uint8_t **)
	    f->extended_data : NULL, f ? f->nb_samples : 0);
	if (got < 0)
		return -1;
	return got > 0 ? sk->fn(ag, sk->arg, sk->buf, (size_t)got) : AG_OK;
}

static int
decode(struct agency *ag, const char *path, int rate, int channels,
    struct sink_ctx *sk)
{
	struct av_input in;
	SwrContext *swr = NULL;
	AVChannelLayout layout;
	AVFrame *f = NULL;
	int rc, r;

	av_channel_layout_default(&layout, channels);
	sk->channels = channels;
	if ((rc = av_input_open(ag, path, AVMEDIA_TYPE_AUDIO, "audio",
	    &in)) != AG_OK)
		return rc;
	if ((f = av_frame_alloc()) == NULL) {
		rc = ag_fail(ag, AG_OSERR, "out of memory");
		goto out;
	}
	if (swr_alloc_set_opts2(&swr, &layout, AV_SAMPLE_FMT_FLT, rate,
	    &in.cc->ch_layout, in.cc->sample_fmt, in.cc->sample_rate, 0,
	    NULL) < 0 || swr_init(swr) < 0) {
		rc = ag_fail(ag, AG_DATAERR, "'%s': cannot convert its audio",
		    path);
		goto out;
	}
	while ((rc = av_input_next(ag, &in, f)) == AG_OK) {
		r = convert(ag, swr, f, rate, sk);
		av_frame_unref(f);
		if (r != AG_OK) {
			rc = r;
			break;
		}
	}
	if (rc == AG_FALSE)
		rc = convert(ag, swr, NULL, rate, sk);
	if (rc == -1)
		rc = ag_fail(ag, AG_DATAERR, "'%s': cannot convert its audio",
		    path);
out:
	free(sk->buf);
	sk->buf = NULL;
	swr_free(&swr);
	av_frame_free(&f);
	av_input_close(&in);
	return rc;
}

struct gather {
	float *pcm;
	size_t frames, alloc;
};

static int
keep(struct agency *ag, void *arg, const float *pcm, size_t frames)
{
	struct gather *g = arg;

	(void)ag;
	if (g->frames + frames > g->alloc) {
		g->alloc = (g->frames + frames) * 2;
		g->pcm = xreallocarray(g->pcm, g->alloc, sizeof(*g->pcm));
	}
	memcpy(g->pcm + g->frames, pcm, frames * sizeof(*pcm));
	g->frames += frames;
	return AG_OK;
}

int
audiofile_read(struct agency *ag, const char *path, int rate, float **pcm,
    size_t *nframes)
{
	struct gather g = { NULL, 0, 0 };
	struct sink_ctx sk = { keep, &g, NULL, 0, 1 };
	int rc;

	if ((rc = decode(ag, path, rate, 1, &sk)) == AG_OK && g.frames == 0)
		rc = ag_fail(ag, AG_DATAERR, "'%s': no audio in it", path);
	if (rc != AG_OK) {
		free(g.pcm);
		return rc;
	}
	*pcm = g.pcm;
	*nframes = g.frames;
	return AG_OK;
}

static int
meter(struct agency *ag, void *arg, const float *pcm, size_t frames)
{
	return loudness_meter_add(ag, arg, pcm, frames);
}

int
audiofile_measure(struct agency *ag, const char *path, struct loudness *out)
{
	struct loudness_meter *m = NULL;
	struct sink_ctx sk = { meter, NULL, NULL, 0, 2 };
	int rc;

	if ((rc = loudness_meter_new(ag, 2, 48000, &m)) != AG_OK)
		return rc;
	sk.arg = m;
	if ((rc = decode(ag, path, 48000, 2, &sk)) == AG_OK)
		loudness_meter_result(m, out);
	loudness_meter_free(m);
	return rc;
}
