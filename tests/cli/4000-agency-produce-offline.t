#!/bin/sh
# agency-produce end to end and offline: a brief, the offline script,
# then one command to a finished video, checked with ffprobe and ffmpeg
# (not with our own code): codecs, size and rate, duration, the MP4's
# boxes, loudness, captions on the voice's words, and on the picture.
. "${0%/*}/../lib.sh"
. "$TESTS/lib-produce.sh"
plan 36

check 'the offline script of a three-scene brief' \
    'agency-script -P offline --brief "$PFIX/toast.md" >script.json'
check 'one command: script to video, keeping the EDL and the ASS' \
    'agency-produce script.json -o out.mp4 --preset x --quality normal \
	--captions karaoke --plan-out edl.json --ass-file out.ass \
	--progress=json >prod.json 2>progress.json'
ok_if 'beside it: subtitles and a thumbnail, and nothing else' \
    '[ "$(ls out.* | tr "\n" " ")" = "out.ass out.jpg out.mp4 out.srt out.vtt " ] && no_temps'
py_ok 'stdout is one agency.production document' '
lines = open("prod.json").read().splitlines()
assert len(lines) == 1, lines
d = json.loads(lines[0])
assert d["kind"] == "agency.production" and d["version"] == 1, d'
py_ok 'progress on stderr is NDJSON, the render stage counted to its end' '
ps = [json.loads(l) for l in open("progress.json") if l.startswith("{")]
r = [p for p in ps if p.get("label") == "render"]
assert r and r[-1]["done"] == r[-1]["total"], ps[-3:]'
py_ok 'the EDL kept is the one rendered (its hash is in the production)' '
import hashlib
e, d = J("edl.json"), J("prod.json")
assert e["kind"] == "agency.edl" and len(e["video"]) == 3, e["video"]
assert len(d["edl"]) == 64, d["edl"]'

$VC probe out.mp4 >probe.json
py_ok 'H.264 High, yuv420p' '
v = J("probe.json")["video"]
assert (v["codec_name"], v["profile"], v["pix_fmt"]) == \
    ("h264", "High", "yuv420p"), v'
py_ok '720x1280 at 30 fps, as preset x says' '
v = J("probe.json")["video"]
assert (v["width"], v["height"]) == (720, 1280), v
assert v["r_frame_rate"] == "30/1" and v["avg_frame_rate"] == "30/1", v'
py_ok 'AAC-LC, 48 kHz, stereo' '
a = J("probe.json")["audio"]
assert (a["codec_name"], a["profile"], a["sample_rate"], a["channels"]) == \
    ("aac", "LC", "48000", 2), a'
py_ok 'tagged BT.709, limited range' '
v = J("probe.json")["video"]
assert (v["color_space"], v["color_transfer"], v["color_primaries"],
        v["color_range"]) == ("bt709", "bt709", "bt709", "tv"), v'
py_ok 'video, sound and file last as long as the EDL, to within a frame' '
p, e = J("probe.json"), J("edl.json")
for what, t in (("video", float(p["video"]["duration"])),
                ("audio", float(p["audio"]["duration"])),
                ("file", p["duration"])):
    assert abs(t - e["duration"]) <= 1 / 30, (what, t, e["duration"])'
py_ok 'both streams start at zero' '
p = J("probe.json")
assert float(p["video"]["start_time"]) == 0 and \
    float(p["audio"]["start_time"]) == 0, p'
$VC count out.mp4 >count.json
py_ok 'every frame decodes: round(duration x 30) of them' '
n, e = J("count.json")["frames"], J("edl.json")["duration"]
assert n == round(e * 30), (n, e)'
$VC boxes out.mp4 >boxes.json
py_ok 'moov before mdat (faststart)' '
t = J("boxes.json")["top"]
assert t.index("moov") < t.index("mdat"), t'
py_ok 'no edit list: no elst box anywhere' '
b = J("boxes.json")["boxes"]
assert "elst" not in b and "edts" not in b, b'

$AC loudness out.mp4 >loud.json
py_ok 'loudness -14 LUFS to within 1 LU (ffmpeg ebur128)' '
m = J("loud.json")
assert abs(m["integrated"] + 14) <= 1, m'
py_ok 'true peak at most -1 dBTP' '
m = J("loud.json")
assert m["true_peak"] <= -1, m'
py_ok 'and the production says the same, to within 0.5' '
m, d = J("loud.json"), J("prod.json")["loudness"]
assert abs(m["integrated"] - d["integrated"]) <= 0.5 and \
    abs(m["true_peak"] - d["true_peak"]) <= 0.5, (m, d)'

py_ok 'the production states what was made' '
import hashlib, os
d, p = J("prod.json"), J("probe.json")
assert d["video"] == os.path.abspath("out.mp4"), d["video"]
assert d["thumbnail"] == os.path.abspath("out.jpg"), d
s = d["subtitles"]
assert (s["srt"], s["vtt"], s["ass"]) == tuple(os.path.abspath("out." + x)
    for x in ("srt", "vtt", "ass")), s
assert (d["width"], d["height"], d["fps"]) == (720, 1280, 30), d
assert abs(d["duration"] - p["duration"]) < 0.002, (d["duration"], p)
assert d["size"] == os.path.getsize("out.mp4"), d["size"]
assert d["sha256"] == hashlib.sha256(open("out.mp4", "rb").read()).hexdigest()
c = d["codecs"]
assert (c["video"]["codec"], c["video"]["profile"], c["audio"]["codec"],
        c["audio"]["sample_rate"]) == ("h264", "High", "aac", 48000), c
assert d["faststart"] is True and d["edit_lists"] == 0, d'
py_ok 'with the captions to post and the script it came from' '
d, s = J("prod.json"), J("script.json")
assert d["captions"] == s["captions"], d["captions"]
assert d["script"] == s["id"] and d["title"] == s["title"], d
assert d["narration"]["kind"] == "voice" and \
    d["narration"]["timing"] == "words", d["narration"]'
ok_if 'the content and its files are in the store' \
    '[ "$(sqlite3 "$XDG_DATA_HOME/agency/agency.db" \
	"select count(*) from content where id = '\''$(json_get prod.json "d[\"id\"]")'\'';
	 select kind from assets where sha256 = '\''$(json_get prod.json "d[\"sha256\"]")'\''" |
	tr "\n" " ")" = "1 video " ]'

# The captions: one Word event per word the voice said, at its times.
$VC ass out.ass >ass.json
py_ok 'one Word event per word of the voice, in order' '
w = J("edl.json")["captions"]["words"]
ev = [e for e in J("ass.json")["events"] if e["style"] == "Word"]
assert len(w) >= 12 and len(ev) == len(w), (len(w), len(ev))'
py_ok 'each starting when its word starts and ending when it ends' '
w = J("edl.json")["captions"]["words"]
ev = [e for e in J("ass.json")["events"] if e["style"] == "Word"]
for i, (a, b) in enumerate(zip(w, ev)):
    # ASS counts in centiseconds.
    assert abs(b["start"] - a["start"]) <= 0.0051, (i, a, b)
    nxt = w[i + 1]["start"] if i + 1 < len(w) else 1e9
    assert abs(b["end"] - min(a["end"], nxt)) <= 0.0051, (i, a, b)'
py_ok 'and showing that word, lit' '
import re
w = J("edl.json")["captions"]["words"]
ev = [e for e in J("ass.json")["events"] if e["style"] == "Word"]
for a, b in zip(w, ev):
    lit = re.search(r"\\t\([^)]*\)\}([^{]*)\{", b["raw"])
    assert lit and lit.group(1).lower() == a["text"].lower(), (a, b["raw"])'
py_ok 'the words are the script narration, in its own spelling' '
import re
s = " ".join(x["narration"] for x in J("script.json")["scenes"])
w = [x["text"] for x in J("edl.json")["captions"]["words"]]
assert w == s.split(), (w, s.split())'
py_ok 'the hook is a title card over the opening; labels stay a second or more' '
ev = J("ass.json")["events"]
hook = [e for e in ev if e["style"] == "Hook"]
labels = [e for e in ev if e["style"] == "Label"]
assert len(hook) == 1 and hook[0]["start"] == 0, hook
assert labels and all(e["end"] - e["start"] >= 1 for e in labels), labels'
py_ok 'captions sit in the lower part of the frame, inside it' '
ev = [e for e in J("ass.json")["events"] if e["style"] == "Word"]
for e in ev:
    x, y = e["pos"]
    assert e["an"] == 2 and 0 < x < 720 and 640 < y < 1280, e'
py_ok 'the SRT has the words of the voice, in order' '
import re
srt = open("out.srt").read()
cues = re.findall(r"\d\d:\d\d:\d\d,\d\d\d --> \d\d:\d\d:\d\d,\d\d\d\n(.+?)\n\n",
                  srt + "\n", re.S)
said = " ".join(cues).split()
w = [x["text"] for x in J("edl.json")["captions"]["words"]]
assert [x.lower() for x in said] == [x.lower() for x in w], (said, w)'
ok_if 'the VTT too' 'head -n 1 out.vtt | grep -q "^WEBVTT"'
ok_if 'the thumbnail is a JPEG the size of the video' \
    '[ "$(ffprobe -v error -show_entries stream=codec_name,width,height \
	-of csv=p=0 out.jpg)" = mjpeg,720,1280 ]'

# The caption on the picture: a frame during a word, against the same
# frame rendered without captions (draft quality: it only has to be the
# same picture).
"$PY" -c 'import json
e = json.load(open("edl.json"))
e["captions"]["style"] = "none"
json.dump(e, open("nocap.edl", "w"))'
check 'the same EDL rendered without captions' \
    'agency-produce render nocap.edl -o nocap.mp4 --quality draft --no-thumbnail'
"$PY" -c 'import json
w = json.load(open("edl.json"))["captions"]["words"]
ev = [e for e in json.load(open("ass.json"))["events"] if e["style"] == "Word"]
# A word of the second scene, after the hook card has gone.
i = next(i for i, x in enumerate(w) if x["scene"] == 1)
a, e = w[i], ev[i]
n = round((a["start"] + a["end"]) / 2 * 30)
x, y = e["pos"]
print(n, int(x - 300), int(y - 130), 600, 130)' >word.at
read -r n x y rw rh <word.at
$VC diff out.mp4 "$n" nocap.mp4 "$n" "$x" "$y" "$rw" "$rh" >cap.json
$VC diff out.mp4 "$n" nocap.mp4 "$n" 0 380 720 400 >rest.json
py_ok 'a frame during a word shows the caption where the ASS puts it' '
assert J("cap.json")["mean"] > 8, J("cap.json")'
py_ok 'and is the same picture elsewhere' '
assert J("rest.json")["mean"] < 3, J("rest.json")'
"$PY" -c 'import json
w = json.load(open("edl.json"))["captions"]["words"]
i = next(i for i, x in enumerate(w) if x["scene"] == 1)
# Between the scenes: the last word of the first, the first of the second.
print(round((w[i - 1]["end"] + w[i]["start"]) / 2 * 30))' >gap.at
read -r g <gap.at
$VC diff out.mp4 "$g" nocap.mp4 "$g" "$x" "$y" "$rw" "$rh" >gapcap.json
py_ok 'between two scenes no caption is left on screen' '
assert J("gapcap.json")["mean"] < 3, J("gapcap.json")'

# The same script again: the same plan, the same content id.
check 'planned again' \
    'agency-produce plan --preset x --captions karaoke script.json >again.json'
py_ok 'gives the same EDL: planning is deterministic' '
a, e = J("again.json"), J("edl.json")
assert a == e, [k for k in e if a.get(k) != e[k]]'
done_testing
