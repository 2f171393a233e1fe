#!/bin/sh
# agency-produce render, from hand-written EDLs: every kind of source and
# transition, fitting and cropping, overlays, frame counts; EDLs that are
# refused with the JSON path named; broken media, outputs that cannot be
# made, and signals, none of which may leave a file behind.
. "${0%/*}/../lib.sh"
. "$TESTS/lib-produce.sh"
plan 83

make_pattern pattern.png
make_white white.png
make_halves halves.png
make_clip clip.mp4
make_tone tone.wav 4
cp "$PFIX"/transitions.edl "$PFIX"/sources.edl "$PFIX"/fit.edl .

# means FILE FRAMES... [--rect X Y W H]: the frames' mean luma (0-255,
# full range as ffmpeg converts it) into means.json.
means() {
	$VC steps "$@" >means.json
}

# --- transitions: flat colours, so every frame's luma is known --------
# 10 fps, segments of 1 s, transitions of 0.4 s (4 frames) centred on
# each boundary: the one into segment k blends frames 10k-2 .. 10k+1 with
# 0, 1/4, 2/4 and 3/4 of the new segment.  Light is #E0E0E0 (224), dark
# #202020 (31).
check 'every kind of transition renders' \
    'agency-produce render transitions.edl -o tr.mp4 >tr.json'
$VC count tr.mp4 >count.json
py_ok 'into exactly 60 frames (6 s at 10 fps)' '
assert J("count.json")["frames"] == 60, J("count.json")'
means tr.mp4 $(seq 0 59)
py_ok 'the first segment fades in from black over 4 frames' '
m = J("means.json")["means"]
assert [round(v) for v in m[:5]] == [0, 56, 112, 168, 224], m[:5]'
py_ok 'a cut changes from one frame to the next' '
m = J("means.json")["means"]
assert abs(m[9] - 224) < 2 and abs(m[10] - 31) < 2, m[8:12]'
py_ok 'fade, wipe, slide and dissolve blend 1/4, 2/4, 3/4 at the right frames' '
m = J("means.json")["means"]
L, D = 224, 31
for k, a, b in ((2, D, L), (3, L, D), (4, D, L), (5, L, D)):
    for j in range(-3, 3):
        f = max(0, min(4, j + 2)) / 4
        want = a + (b - a) * f
        got = m[10 * k + j]
        assert abs(got - want) < 4, ("boundary", k, "frame", 10 * k + j,
                                     got, want)'
means tr.mp4 29 30 31 --rect 0 0 64 224
cp means.json left.json
means tr.mp4 29 30 31 --rect 64 0 64 224
py_ok 'a wipe is one picture on one side and the other on the other' '
l, r = J("left.json")["means"], J("means.json")["means"]
assert l[1] > 200 and r[1] < 40, (l, r)'
means tr.mp4 39 40 41 --rect 0 0 128 112
cp means.json top.json
means tr.mp4 39 40 41 --rect 0 112 128 112
py_ok 'a slide up brings the new picture in from below' '
t, b = J("top.json")["means"], J("means.json")["means"]
assert t[1] < 40 and b[1] > 200, (t, b)'
means tr.mp4 49 50 51 --rect 0 0 64 224
cp means.json left.json
means tr.mp4 49 50 51 --rect 64 0 64 224
py_ok 'a dissolve is mixed everywhere, not split' '
l, r = J("left.json")["means"], J("means.json")["means"]
assert 100 < l[1] < 160 and 100 < r[1] < 160, (l, r)'

# --- every kind of source ---------------------------------------------
check 'image, clip, colour, gradient, a gap, overlays and a word' \
    'agency-produce render sources.edl -o src.mp4 --ass-file src.ass >src.json'
$VC count src.mp4 >count.json
$VC probe src.mp4 >probe.json
py_ok '70 frames: 7 s at 10 fps, the gap included' '
assert J("count.json")["frames"] == 70, J("count.json")'
py_ok 'its video and sound last 7 s to within a frame' '
p = J("probe.json")
for k in ("video", "audio"):
    assert abs(float(p[k]["duration"]) - 7) <= 0.1, (k, p[k]["duration"])
assert abs(p["duration"] - 7) <= 0.1, p["duration"]
assert p["video"]["width"] == 128 and p["video"]["height"] == 224, p'
py_ok 'the production says the same' '
d = J("src.json")
assert d["duration"] == 7 and d["width"] == 128 and d["height"] == 224 \
    and d["fps"] == 10, d'
means src.mp4 5 6 7 8 9 18 19 20 21 46 47 48 49 52 53 54 55 56 57 61 62 63 \
    64 66 69
py_ok 'a still with Ken Burns motion changes from frame to frame' '
s = J("means.json")["steps"]
assert all(v > 1 for v in s[0:4]), s[0:4]'
py_ok 'a clip moves' '
s = J("means.json")["steps"]
assert all(v > 1 for v in s[5:8]), s[5:8]'
py_ok 'a gradient and a still without motion do not move at all' '
s = J("means.json")["steps"]
assert all(v < 0.05 for v in s[9:12] + s[13:18]), (s[9:12], s[13:18])'
py_ok 'a gap in the timeline is black' '
m = J("means.json")["means"]
assert all(v < 1 for v in m[19:23]), m[19:23]'
py_ok 'and the segment after it is there, on time' '
m = J("means.json")["means"]
assert all(v > 250 for v in m[23:25]), m[23:25]'
$VC diff src.mp4 34 src.mp4 38 20 8 80 20 >label.json
$VC diff src.mp4 34 src.mp4 38 0 60 128 164 >rest.json
py_ok 'an overlay shows at the top while it lasts, and only there' '
assert J("label.json")["mean"] > 4, J("label.json")
assert J("rest.json")["mean"] < 0.05, J("rest.json")'
$VC diff src.mp4 43 src.mp4 47 20 148 80 20 >word.json
py_ok 'a caption word shows during the word' '
assert J("word.json")["mean"] > 4, J("word.json")'
$VC ass src.ass >ass.json
py_ok 'the ASS has the word and the label at their times' '
e = {(x["style"], x["text"]): x for x in J("ass.json")["events"]}
w, l = e[("Word", "CRISP")], e[("Label", "HELLO")]
assert (w["start"], w["end"]) == (4.2, 4.6), w
assert (l["start"], l["end"]) == (3.2, 3.6), l'
ok_if 'a thumbnail, SRT and WebVTT beside the video' \
    '[ -s src.jpg ] && [ -s src.srt ] && [ -s src.vtt ]'
ok_if 'and no temporary file' 'no_temps'

# --- contain and cover, focus -------------------------------------------
# 320x240 pictures into a 128x224 frame: contained, they are letterboxed;
# covering, they fill it, cropped around the focus.
check 'contain, cover and focus render' 'agency-produce render fit.edl -o fit.mp4'
means fit.mp4 5 15 25 35 45 55 65 75 --rect 0 0 128 40
cp means.json band.json
means fit.mp4 5 15 25 35 45 55 65 75 --rect 0 0 64 224
cp means.json left.json
means fit.mp4 5 15 25 35 45 55 65 75 --rect 64 0 64 224
py_ok 'a contained picture has black bars; a covering one fills the frame' '
b = J("band.json")["means"]
assert b[0] < 1 and b[1] > 250, b[:2]'
py_ok 'a contained clip too; a covering clip fills it' '
b = J("band.json")["means"]
assert b[5] < 1 and b[6] > 60, b[5:7]'
py_ok 'focus x 0 crops the left (black) half, 1 the right (white)' '
l, r = J("left.json")["means"], J("means.json")["means"]
assert l[2] < 1 and r[2] < 1, (l[2], r[2])
assert l[3] > 250 and r[3] > 250, (l[3], r[3])'
py_ok 'the default focus is the centre: half and half' '
l, r = J("left.json")["means"], J("means.json")["means"]
assert l[4] < 2 and r[4] > 250, (l[4], r[4])'
py_ok 'Ken Burns keeps the focus' '
l, r = J("left.json")["means"], J("means.json")["means"]
assert l[7] > 250 and r[7] > 250, (l[7], r[7])'

# --- the EDL on stdin, and its quality ------------------------------------
sed 's/"fps": 10}/"fps": 10, "quality": "draft"}/' fit.edl >draft.edl
check 'an EDL on stdin, its paths from the current folder' \
    'agency-produce render - -o stdin.mp4 <draft.edl >stdin.json'
py_ok 'is rendered at the quality it asks for' '
v = J("stdin.json")["codecs"]["video"]
assert (v["x264_preset"], v["crf"]) == ("ultrafast", 26), v'
agency config set produce.quality high >/dev/null
check 'with produce.quality set in the configuration' \
    'agency-produce render draft.edl -o cfg.mp4 >cfg.json'
py_ok 'the EDL still says how' '
v = J("cfg.json")["codecs"]["video"]
assert v["x264_preset"] == "ultrafast", v'
check 'with --quality high' \
    'agency-produce render draft.edl -o hq.mp4 --quality high >hq.json'
py_ok 'the flag says how: medium, CRF 19, High profile' '
v = J("hq.json")["codecs"]["video"]
assert (v["x264_preset"], v["crf"], v["profile"]) == ("medium", 19, "High"), v'
agency config set produce.quality normal >/dev/null

# --- EDLs refused before any work --------------------------------------
# rejected DESC NAME TEXT...: render refuses NAME.edl: exit 65, one
# line on stderr holding every TEXT, and no file left behind (none
# named NAME.* but the EDL, no temporary file).
rejected() {
	_d=$1
	_e=$2
	shift 2
	agency-produce render "$_e.edl" -o "$_e.mp4" >out 2>err
	_rc=$?
	_ok=0
	[ "$_rc" -eq 65 ] || _ok=1
	[ "$(wc -l <err)" -eq 1 ] || _ok=1
	for _s in "$@"; do
		grep -qF -- "$_s" err || _ok=1
	done
	[ -z "$(ls | grep "^$_e\." | grep -v "^$_e\.edl\$")" ] || _ok=1
	no_temps || _ok=1
	_result "$_ok" "$_d"
	[ "$_ok" -eq 0 ] || { echo "#   status $_rc, expected 65 and: $*"
	    sed 's/^/#   stderr: /' err; ls | sed 's/^/#   file: /'; }
}

# refused DESC JSON PATH WHY: the EDL is refused, its error naming the
# file, the JSON path and why.
refused() {
	printf '%s\n' "$2" >bad.edl
	rejected "$1" bad "agency-produce: bad.edl: $3: " "$4"
}
E='"kind": "agency.edl", "version": 1,
 "output": {"width": 128, "height": 224, "fps": 10}'
C='"source": {"color": "#000000"}'

refused 'a missing file' \
    "{$E, \"video\": [{\"start\": 0, \"end\": 1,
      \"source\": {\"image\": \"nope.png\"}}]}" \
    '$.video[0].source.image' "cannot read 'nope.png': No such file"
refused 'a negative time' \
    "{$E, \"video\": [{\"start\": -1, \"end\": 1, $C}]}" \
    '$.video[0].start' '-1 is out of range'
refused 'overlapping segments' \
    "{$E, \"video\": [{\"start\": 0, \"end\": 2, $C},
      {\"start\": 1.5, \"end\": 3, $C}]}" \
    '$.video[1].start' '1.5 overlaps the segment before, which ends at 2'
refused 'an end before the start' \
    "{$E, \"video\": [{\"start\": 2, \"end\": 1, $C}]}" \
    '$.video[0].end' '1 is not after the start (2)'
refused 'an unknown source kind' \
    "{$E, \"video\": [{\"start\": 0, \"end\": 1,
      \"source\": {\"sound\": \"tone.wav\"}}]}" \
    '$.video[0].source.sound' 'unknown member'
refused 'no source at all' \
    "{$E, \"video\": [{\"start\": 0, \"end\": 1, \"source\": {}}]}" \
    '$.video[0].source' 'expected exactly one of image, video, color or gradient'
refused 'an unknown transition' \
    "{$E, \"video\": [{\"start\": 0, \"end\": 1, $C},
      {\"start\": 1, \"end\": 2, $C, \"transition\": {\"kind\": \"swirl\"}}]}" \
    '$.video[1].transition.kind' "unknown transition 'swirl'"
refused 'a time that is a string' \
    "{$E, \"video\": [{\"start\": \"0\", \"end\": 1, $C}]}" \
    '$.video[0].start' 'expected a number'
refused 'a track that is not an array' \
    "{$E, \"video\": {\"start\": 0}}" '$.video' 'expected an array'
refused 'a colour that is a number' \
    "{$E, \"video\": [{\"start\": 0, \"end\": 1,
      \"source\": {\"color\": 255}}]}" \
    '$.video[0].source.color' 'expected a string'
refused 'an unknown member, with the likely one' \
    "{$E, \"video\": [{\"start\": 0, \"end\": 1, $C,
      \"transiton\": {\"kind\": \"fade\"}}]}" \
    '$.video[0].transiton' "unknown member (did you mean 'transition'?)"
refused 'an odd width' \
    '{"kind": "agency.edl", "version": 1, "output": {"width": 127},
      "video": [{"start": 0, "end": 1, "source": {"color": "#000000"}}]}' \
    '$.output.width' 'must be even'
refused 'Ken Burns on a video' \
    "{$E, \"video\": [{\"start\": 0, \"end\": 1,
      \"source\": {\"video\": \"clip.mp4\"}, \"motion\": {\"zoom\": [1, 1.2]}}]}" \
    '$.video[0].motion' 'Ken Burns motion applies to images and gradients'
refused 'a first segment that wipes in from nothing' \
    "{$E, \"video\": [{\"start\": 0, \"end\": 1, $C,
      \"transition\": {\"kind\": \"wipeleft\"}}]}" \
    '$.video[0].transition' "the first segment can only fade in from black"
refused 'a transition longer than its segment' \
    "{$E, \"video\": [{\"start\": 0, \"end\": 1, $C},
      {\"start\": 1, \"end\": 1.3, $C,
       \"transition\": {\"kind\": \"fade\", \"duration\": 0.5}}]}" \
    '$.video[1].transition' '0.5 s is longer than a segment it joins'
refused 'a picture as the voice' \
    "{$E, \"video\": [{\"start\": 0, \"end\": 1, $C}],
      \"audio\": {\"voice\": {\"path\": \"pattern.png\"}}}" \
    '$.audio.voice.path' "'pattern.png' has no audio"
refused 'words out of order' \
    "{$E, \"video\": [{\"start\": 0, \"end\": 2, $C}],
      \"captions\": {\"words\": [{\"text\": \"b\", \"start\": 1, \"end\": 1.5},
       {\"text\": \"a\", \"start\": 0.5, \"end\": 0.9}]}}" \
    '$.captions.words[1].start' '0.5 is before the word before it (1)'
refused 'a duration shorter than the segments' \
    "{$E, \"duration\": 1, \"video\": [{\"start\": 0, \"end\": 2, $C}]}" \
    '$.duration' '1 is before the last segment ends (2)'
printf '{"kind": "agency.edl", "version": 1,\n "video": [}\n' >bad.edl
expect_code 'a file that is not JSON' 65 'agency-produce render bad.edl -o bad.mp4'
grep_err 'says where it stops being JSON' '^agency-produce: bad\.edl:2:[0-9]+: '
ok_if 'and leaves nothing' '[ ! -e bad.mp4 ] && no_temps'

# --- broken media ------------------------------------------------------
ff -i clip.mp4 -c copy -movflags +faststart fast.mp4
head -c 30000 clip.mp4 >cut.mp4		# moov at the end: cut off
head -c 30000 fast.mp4 >cut-fast.mp4	# moov first, mdat cut short
echo 'not a picture' >text.jpg
head -c 3000 pattern.png >cut.png
"$PY" -c 'import random, sys
d = bytearray(open("fast.mp4", "rb").read())
at = d.find(b"mdat") + 64
random.seed(4)
for i in range(at, len(d), 40):
    d[i] = random.randrange(256)
open("garbled.mp4", "wb").write(d)'

# broken DESC KIND FILE WHY: an EDL showing FILE is refused, saying WHY.
broken() {
	printf '{%s, "video": [{"start": 0, "end": 2,
	    "source": {"%s": "%s"}}]}\n' "$E" "$2" "$3" >b.edl
	rejected "$1" b "$3" "$4"
}
broken 'an MP4 cut short before its moov box' video cut.mp4 'not a media file'
broken 'an MP4 whose mdat is cut short' video cut-fast.mp4 "truncated: box 'mdat'"
broken 'a clip whose pictures are garbage' video garbled.mp4 'cannot decode'
broken 'a text file named .jpg' image text.jpg 'no audio or video stream'
broken 'a PNG cut short' image cut.png "cut.png"

# --- outputs that cannot be made -----------------------------------------
expect_code 'a video in a missing folder: 73' 73 \
    'agency-produce render fit.edl -o nowhere/x.mp4'
grep_err 'saying so' "cannot create 'nowhere/x\.mp4': No such file or directory"
expect_code 'a video whose folder is a file: 73' 73 \
    'agency-produce render fit.edl -o fit.edl/x.mp4'
mkdir folder
expect_code 'a video named like a folder fails at once: 73' 73 \
    'agency-produce render fit.edl -o folder'
grep_err 'as a folder' "cannot create 'folder': Is a directory"
mkdir outs
expect_code 'a thumbnail that cannot be made: 73' 73 \
    'agency-produce render fit.edl -o outs/v.mp4 --thumbnail-file nowhere/t.jpg'
ok_if 'and the video was not left either' '[ -z "$(ls outs)" ]'
expect_code 'a contact sheet that cannot be made: 73' 73 \
    'agency-produce render fit.edl -o outs/v.mp4 --contact-sheet nowhere/s.jpg'
ok_if 'nothing left' '[ -z "$(ls -a outs | grep -v "^\.\.*$")" ]'
check 'with a contact sheet where it can go' \
    'agency-produce render fit.edl -o outs/v.mp4 --contact-sheet outs/sheet.jpg >sheet.json'
ok_if 'the production names it' \
    '[ "$(json_get sheet.json "d[\"contact_sheet\"]")" = "$PWD/outs/sheet.jpg" ]'
# Four by four frames of 32x56 (a quarter of 128x224), 4 px apart and in.
ok_if 'a JPEG of 4 by 4 frames a quarter the size, 4 px apart' \
    '[ "$(ffprobe -v error -show_entries stream=codec_name,width,height \
	-of csv=p=0 outs/sheet.jpg)" = mjpeg,148,244 ]'

# --- one picture behind consecutive segments ---------------------------
# Decoded and fitted once, handed on; the same motion shows the same
# frames; another fit draws its own.
cat >again.edl <<'EOF'
{"kind": "agency.edl", "version": 1,
 "output": {"width": 128, "height": 224, "fps": 10},
 "video": [{"start": 0, "end": 1, "source": {"image": "pattern.png"},
            "motion": {"zoom": [1, 1.3]}},
           {"start": 1, "end": 2, "source": {"image": "pattern.png"},
            "motion": {"zoom": [1, 1.3]}},
           {"start": 2, "end": 3, "source": {"image": "pattern.png"}},
           {"start": 3, "end": 4, "source": {"image": "pattern.png"}}],
 "audio": {"voice": {"path": "tone.wav"}}}
EOF
check 'the same picture four times, two with motion, two without' \
    'agency-produce render -vv again.edl -o again.mp4 >again.json'
ok_if 'segments 1 and 3 take the picture of the one before' \
    '[ "$(grep -c "shows the picture of the one before" err)" -eq 2 ] &&
     grep -q "segment 1 shows the picture" err &&
     grep -q "segment 3 shows the picture" err'
ok_if 'segment 2 (no motion: another fit) draws its own' \
    '! grep -q "segment 2 shows the picture" err'
$VC diff again.mp4 0 again.mp4 10 0 0 128 224 >same.json
$VC diff again.mp4 25 again.mp4 35 0 0 128 224 >still.json
py_ok 'the handed-on segments show what their own decode would' '
assert J("same.json")["mean"] < 1, J("same.json")
assert J("still.json")["mean"] < 1, J("still.json")'
$VC diff again.mp4 0 again.mp4 9 0 0 128 224 >moved.json
py_ok 'and the motion still moves' '
assert J("moved.json")["mean"] > 1, J("moved.json")'

# --- signals -----------------------------------------------------------
cat >long.edl <<'EOF'
{"kind": "agency.edl", "version": 1,
 "output": {"width": 720, "height": 1280, "fps": 30},
 "video": [{"start": 0, "end": 120, "source": {"image": "pattern.png"},
            "motion": {"zoom": [1, 1.5]}}],
 "audio": {"voice": {"path": "tone.wav"}}}
EOF
mkdir sig
for s in INT TERM; do
	bg_render pid render long.edl -o sig/long.mp4 --ass-file sig/long.ass
	grown "sig/long.mp4.tmp.*"
	g=$?
	ok_if "a render is under way (SIG$s next)" "[ $g -eq 0 ]"
	[ $g -eq 0 ] || sed 's/^/#   stderr: /' bg.err
	kill -$s "$(cat pid)"
	wait "$(cat pid)"
	st=$?
	want=130
	[ $s = TERM ] && want=143
	ok_if "SIG$s ends it, by the signal" "[ $st -eq $want ]"
	ok_if "and leaves nothing under the final names, nor temporary files" \
	    '[ -z "$(ls -a sig | grep -v "^\.\.*$")" ]'
done
done_testing
