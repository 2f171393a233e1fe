/* t-probe - media facts of files made by the ffmpeg program. */
#include <fcntl.h>
#include <math.h>
#include <sys/stat.h>

#include "tap.h"
#include "media/probe.h"

static const char *dir;

static int
make(const char *name, const char *args)
{
	return tap_ffmpeg(dir, name, args);
}

static const char *
at(const char *name)
{
	static char p[512];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

int
main(void)
{
	struct agency ag;
	struct media_probe p;
	struct stat sb;
	cJSON *j;
	int fd;

	dir = tap_tmpdir();
	tap_agency(&ag, "t-probe");

	ok(make("fast.mp4", "-f lavfi -i testsrc2=s=320x240:r=25:d=2 "
	    "-f lavfi -i sine=f=440:r=48000:d=2 -c:v libx264 -preset "
	    "veryfast -profile:v high -pix_fmt yuv420p -colorspace bt709 "
	    "-c:a aac -ar 48000 -ac 2 -movflags +faststart -use_editlist 0")
	    == 0, "made a faststart MP4");
	is_int(media_probe(&ag, at("fast.mp4"), &p), AG_OK, "probe it");
	is_str(media_probe_kind_name(p.kind), "video", "a video");
	is_str(p.vcodec, "h264", "h264");
	is_str(p.vprofile, "High", "High profile");
	is_str(p.pix_fmt, "yuv420p", "yuv420p");
	is_str(p.color_space, "bt709", "tagged bt709");
	is_int(p.width, 320, "width");
	is_int(p.height, 240, "height");
	ok(fabs(p.fps - 25) < 0.01, "25 fps (%g)", p.fps);
	ok(fabs(p.duration - 2) < 0.1, "2 s (%g)", p.duration);
	is_str(p.acodec, "aac", "aac");
	is_str(p.aprofile, "LC", "AAC-LC");
	is_int(p.sample_rate, 48000, "48 kHz");
	is_int(p.channels, 2, "stereo");
	is_int(p.faststart, 1, "moov before mdat");
	is_int(p.edit_lists, 0, "no edit list");
	stat(at("fast.mp4"), &sb);
	is_int(p.bytes, sb.st_size, "size");

	ok(make("slow.mp4", "-f lavfi -i testsrc2=s=240x320:r=30:d=1 "
	    "-f lavfi -i sine=r=44100:d=1 -c:v libx264 -preset ultrafast "
	    "-c:a aac") == 0, "made a plain MP4");
	is_int(media_probe(&ag, at("slow.mp4"), &p), AG_OK, "probe it");
	is_int(p.faststart, 0, "moov after mdat");
	ok(p.edit_lists > 0, "edit lists (%d)", p.edit_lists);
	is_int(p.width, 240, "portrait width");
	is_int(p.height, 320, "portrait height");

	ok(make("still.png", "-f lavfi -i testsrc2=s=64x48 -frames:v 1") == 0,
	    "made a PNG");
	is_int(media_probe(&ag, at("still.png"), &p), AG_OK, "probe it");
	is_str(media_probe_kind_name(p.kind), "image", "an image");
	is_int(p.width, 64, "image width");
	ok(p.duration == 0, "a still has no duration");
	is_int(p.faststart, -1, "not ISO media");

	ok(make("still.jpg", "-f lavfi -i testsrc2=s=64x48 -frames:v 1") == 0,
	    "made a JPEG");
	is_int(media_probe(&ag, at("still.jpg"), &p), AG_OK, "probe it");
	is_str(media_probe_kind_name(p.kind), "image", "a JPEG is an image");

	ok(make("tone.wav", "-f lavfi -i sine=r=22050:d=1.5") == 0,
	    "made a WAV");
	is_int(media_probe(&ag, at("tone.wav"), &p), AG_OK, "probe it");
	is_str(media_probe_kind_name(p.kind), "audio", "audio");
	is_int(p.sample_rate, 22050, "rate");
	ok(fabs(p.duration - 1.5) < 0.01, "1.5 s (%g)", p.duration);

	j = media_probe_json(&p);
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(j, "media")), "audio",
	    "json media");
	ok(cJSON_GetObjectItem(j, "video") == NULL, "no video object");
	cJSON_Delete(j);

	/* The JSON form reads back as the same facts. */
	{
		struct media_probe q, back;

		media_probe(&ag, at("fast.mp4"), &q);
		j = media_probe_json(&q);
		is_int(media_probe_parse(j, &back), 0, "parse the JSON form");
		ok(back.kind == q.kind && back.width == q.width &&
		    back.height == q.height && back.bytes == q.bytes &&
		    fabs(back.fps - q.fps) < 0.01 &&
		    fabs(back.duration - q.duration) < 0.001 &&
		    strcmp(back.vcodec, q.vcodec) == 0 &&
		    strcmp(back.vprofile, q.vprofile) == 0 &&
		    strcmp(back.acodec, q.acodec) == 0 &&
		    back.sample_rate == q.sample_rate &&
		    back.faststart == q.faststart &&
		    back.edit_lists == q.edit_lists, "the same facts");
		cJSON_Delete(j);
		j = cJSON_Parse("{\"media\":\"smell\"}");
		is_int(media_probe_parse(j, &back), -1, "an unknown media");
		cJSON_Delete(j);
	}

	fd = open(at("junk.mp4"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ok(fd >= 0 && write(fd, "this is not a video at all\n", 27) == 27,
	    "wrote junk");
	close(fd);
	is_int(media_probe(&ag, at("junk.mp4"), &p), AG_DATAERR,
	    "junk is bad data");
	ok(strstr(ag.err, "junk.mp4") != NULL, "the error names the file: %s",
	    ag.err);
	is_int(media_probe(&ag, at("missing.mp4"), &p), AG_NOINPUT,
	    "a missing file is no input");
	is_int(media_probe(&ag, dir, &p), AG_NOINPUT, "a folder is no input");

	/* The first 3 kB of a faststart file: the moov box is cut. */
	ok(system("cd \"$HOME\" && head -c 3000 fast.mp4 > cut.mp4") == 0,
	    "truncated a copy");
	is_int(media_probe(&ag, at("cut.mp4"), &p), AG_DATAERR,
	    "a truncated MP4 is bad data");
	ok(strstr(ag.err, "truncated") != NULL, "and says so: %s", ag.err);

	ag_release(&ag);
	return done_testing();
}
