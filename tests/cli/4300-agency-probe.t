#!/bin/sh
# agency-probe: the facts of media files, checked against ffprobe; one
# document per file; bad files say why and the others still come out;
# the same answers as agency-produce probe; agency-upload relies on it.
. "${0%/*}/../lib.sh"
plan 22

ff() {
	ffmpeg -nostdin -v error -y "$@"
}
ff -f lavfi -i testsrc=size=320x240:rate=25 -f lavfi -i sine=d=2:r=48000 \
    -t 2 -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -ac 2 \
    -movflags +faststart -use_editlist 0 fast.mp4
ff -i fast.mp4 -c copy slow.mp4
ff -f lavfi -i color=c=red:size=64x48 -frames:v 1 still.png
ff -f lavfi -i sine=d=1.5:r=44100 tone.wav
echo 'not media' >junk.mp4
head -c 20000 fast.mp4 >cut.mp4

check 'a video' 'agency-probe --json fast.mp4 >fast.json'
py_ok 'is one agency.probe document, its path absolute' '
import os
lines = open("fast.json").read().splitlines()
assert len(lines) == 1, lines
d = json.loads(lines[0])
assert d["kind"] == "agency.probe" and d["version"] == 1, d
assert d["path"] == os.path.realpath("fast.mp4"), d["path"]'
ffprobe -v error -show_streams -show_format -of json fast.mp4 >ff.json
py_ok 'duration, size and bit rate as ffprobe says' '
import os
d, f = J("fast.json"), J("ff.json")["format"]
assert d["media"] == "video" and d["format"] == f["format_name"], d
assert abs(d["duration"] - float(f["duration"])) < 0.001, (d, f)
assert d["bytes"] == int(f["size"]) == os.path.getsize("fast.mp4"), d
assert d["bit_rate"] == int(f["bit_rate"]), (d, f)'
py_ok 'the video stream as ffprobe says' '
v = J("fast.json")["video"]
s = [s for s in J("ff.json")["streams"] if s["codec_type"] == "video"][0]
assert (v["codec"], v["profile"], v["pix_fmt"]) == \
    (s["codec_name"], s["profile"], s["pix_fmt"]), (v, s)
assert (v["width"], v["height"], v["fps"]) == (320, 240, 25), v
assert v["frames"] == int(s["nb_frames"]) == 50, (v, s)'
py_ok 'the audio stream as ffprobe says' '
a = J("fast.json")["audio"]
s = [s for s in J("ff.json")["streams"] if s["codec_type"] == "audio"][0]
assert (a["codec"], a["profile"], a["channels"]) == \
    (s["codec_name"], s["profile"], s["channels"]), (a, s)
assert a["sample_rate"] == int(s["sample_rate"]) == 48000, a'
py_ok 'index first and no edit lists' '
d = J("fast.json")
assert d["faststart"] is True and d["edit_lists"] == 0, d'

check 'a remux without faststart, with edit lists' \
    'agency-probe --json slow.mp4 >slow.json'
py_ok 'says so' '
d = J("slow.json")
assert d["faststart"] is False and d["edit_lists"] >= 1, d'
check 'a still and a sound, in one run' \
    'agency-probe --json still.png tone.wav >two.json'
py_ok 'one document per file, in order' '
a, b = [json.loads(l) for l in open("two.json")]
assert a["media"] == "image" and a["duration"] == 0, a
assert (a["video"]["width"], a["video"]["height"]) == (64, 48), a
assert b["media"] == "audio" and "video" not in b, b
assert abs(b["duration"] - 1.5) < 0.01 and b["audio"]["sample_rate"] == 44100, b'

expect_code 'a missing file is exit 66' 66 'agency-probe nothing.mp4'
grep_err 'naming it' "agency-probe: cannot read 'nothing.mp4'"
expect_code 'a file that is not media is exit 65' 65 'agency-probe junk.mp4'
grep_err 'saying so' "agency-probe: 'junk.mp4': not a media file"
expect_code 'so is a truncated MP4' 65 'agency-probe cut.mp4'
expect_code 'past a bad file the others come out; the worst status' 66 \
    'agency-probe --json junk.mp4 fast.mp4 nothing.mp4'
ok_if 'the good one printed' \
    '[ "$(wc -l <out)" -eq 1 ] && grep -q "\"media\":\"video\"" out'
expect_code 'no file is a usage error' 64 'agency-probe'

check 'agency-produce probe answers the same' \
    'agency-produce probe --json fast.mp4 still.png >produce.json &&
     agency-probe --json fast.mp4 still.png >probe.json &&
     cmp produce.json probe.json'
check 'and so does the front, agency probe' \
    'agency probe --json fast.mp4 | cmp - fast.json'

# agency-upload probes through it: without it, it says what is missing
# and sends nothing (a dir target would write a folder).
mkdir lonely
cp "$ROOT/bin/agency-upload" lonely/
printf '{"kind":"agency.production","version":1,"id":"c_probe","video":"%s"}\n' \
    "$T/fast.mp4" >prod.json
agency-upload accounts add dir:out --set "path=$T/published" >/dev/null
expect_code 'agency-upload without agency-probe is exit 69' 69 \
    'PATH=$T/lonely:/usr/bin:/bin lonely/agency-upload --to dir:out prod.json'
ok_if 'saying which tool is missing, with nothing published' \
    'grep -q "agency-probe is not installed" err && [ ! -e published ]'
done_testing
