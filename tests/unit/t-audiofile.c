/* t-audiofile - float PCM into WAV, FLAC and M4A files. */
#include <math.h>
#include <sys/stat.h>

#include "tap.h"

#define RATE 48000

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

/* The data chunk of a WAV file in b: offset and size, or -1. */
static long
wav_data(const struct buf *b, uint32_t *size)
{
	const unsigned char *p = (const unsigned char *)b->data;
	size_t at = 12;

	if (b->len < 12 || memcmp(p, "RIFF", 4) != 0 ||
	    memcmp(p + 8, "WAVE", 4) != 0)
		return -1;
	while (at + 8 <= b->len) {
		if (memcmp(p + at, "data", 4) == 0) {
			*size = le32(p + at + 4);
			return (long)(at + 8);
		}
		at += 8 + le32(p + at + 4);
	}
	return -1;
}

int
main(void)
{
	struct agency ag;
	enum audiofile_format f;
	struct buf a = BUF_INIT, b = BUF_INIT;
	char path[512], other[512];
	const char *dir = tap_tmpdir();
	float *x;
	size_t n = 1000, i;
	uint32_t size = 0;
	long at;
	int worst = 0, d;
	struct stat sb;

	tap_agency(&ag, "t-audiofile");
	ok(audiofile_format_guess("bed.wav", &f) == 0 && f == AUDIOFILE_WAV,
	    ".wav is WAV");
	ok(audiofile_format_guess("/a/b/BED.FLAC", &f) == 0 &&
	    f == AUDIOFILE_FLAC, ".FLAC is FLAC");
	ok(audiofile_format_guess("x.m4a", &f) == 0 && f == AUDIOFILE_M4A,
	    ".m4a is M4A");
	ok(audiofile_format_guess("x.ogg", &f) == -1 &&
	    audiofile_format_guess("noext", &f) == -1 &&
	    audiofile_format_guess("dir.wav/x", &f) == -1,
	    "other names are not guessed");
	ok(audiofile_format_parse("flac", &f) == 0 && f == AUDIOFILE_FLAC &&
	    audiofile_format_parse("mp3", &f) == -1, "names parse");
	is_str(audiofile_format_mime(AUDIOFILE_M4A), "audio/mp4", "mime");

	x = xmalloc(2 * n * sizeof(*x));
	for (i = 0; i < n; i++) {
		x[2 * i] = (float)(0.5 * sin(2 * M_PI * 440 * i / RATE));
		x[2 * i + 1] = -x[2 * i];
	}
	snprintf(path, sizeof(path), "%s/t.wav", dir);
	is_int(audiofile_write(&ag, path, AUDIOFILE_WAV, x, n, 2, RATE), AG_OK,
	    "write a WAV");
	ag_read_file(&ag, path, 0, &a);
	at = wav_data(&a, &size);
	ok(at > 0 && size == 4 * n && a.len == (size_t)at + size,
	    "16-bit stereo, exactly %zu frames (data %u bytes)", n, size);
	for (i = 0; at > 0 && i < 2 * n; i++) {
		int16_t s = (int16_t)((unsigned char)a.data[at + 2 * i] |
		    (unsigned char)a.data[at + 2 * i + 1] << 8);

		d = abs(s - (int)lrint(x[i] * 32768));
		if (d > worst)
			worst = d;
	}
	ok(worst <= 2, "the samples are the input, dithered (%d LSB off at "
	    "most)", worst);

	snprintf(other, sizeof(other), "%s/u.wav", dir);
	audiofile_write(&ag, other, AUDIOFILE_WAV, x, n, 2, RATE);
	ag_read_file(&ag, other, 0, &b);
	ok(a.len == b.len && memcmp(a.data, b.data, a.len) == 0,
	    "the same input gives the same bytes");

	snprintf(path, sizeof(path), "%s/t.flac", dir);
	is_int(audiofile_write(&ag, path, AUDIOFILE_FLAC, x, n, 2, RATE),
	    AG_OK, "write a FLAC");
	ag_read_file(&ag, path, 0, &a);
	ok(a.len > 42 && memcmp(a.data, "fLaC", 4) == 0, "it is FLAC");

	snprintf(path, sizeof(path), "%s/t.m4a", dir);
	is_int(audiofile_write(&ag, path, AUDIOFILE_M4A, x, n, 2, 44100),
	    AG_OK, "write an M4A at 44.1 kHz");
	ag_read_file(&ag, path, 0, &a);
	ok(a.len > 8 && memcmp(a.data + 4, "ftyp", 4) == 0, "it is MP4");

	snprintf(path, sizeof(path), "%s/none/t.wav", dir);
	is_int(audiofile_write(&ag, path, AUDIOFILE_WAV, x, n, 2, RATE),
	    AG_CANTCREAT, "a missing folder cannot be written to");
	snprintf(path, sizeof(path), "%s/none", dir);
	ok(stat(path, &sb) == -1, "and nothing is created");
	is_int(audiofile_write(&ag, other, AUDIOFILE_WAV, x, n, 0, RATE),
	    AG_USAGE, "no channels is a usage error");

	buf_release(&a);
	buf_release(&b);
	free(x);
	ag_release(&ag);
	return done_testing();
}
