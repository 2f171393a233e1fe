#!/bin/sh
# agency-produce's options: styles (shipped, the user's, broken ones),
# the music bed (a file, none), a recorded narration, pictures chosen
# from --media by their names, focus, the listings, and usage errors.
# Plans are rendered small (shrink) where the picture or the sound is
# checked.
. "${0%/*}/../lib.sh"
. "$TESTS/lib-produce.sh"
plan 86

agency-script -P offline --brief "$PFIX/toast.md" >script.json ||
    echo "# agency-script failed"

# --- listings ----------------------------------------------------------
check 'styles lists the shipped styles' 'agency-produce styles >styles.json'
py_ok 'bold, cinematic and minimal, each with a description and its file' '
ss = [json.loads(l) for l in open("styles.json")]
assert [s["name"] for s in ss] == ["bold", "cinematic", "minimal"], ss
for s in ss:
    assert s["description"] and s["path"].endswith("/share/styles/%s.yaml"
                                                   % s["name"]), s'
check 'presets lists the output presets' 'agency-produce presets >presets.json'
py_ok 'all seven, x at 720x1280 and youtube at 1920x1080, 30 fps' '
ps = {p["preset"]: p for p in map(json.loads, open("presets.json"))}
assert sorted(ps) == sorted(["shorts", "tiktok", "reels", "youtube",
                             "square", "portrait", "x"]), ps
assert (ps["x"]["width"], ps["x"]["height"]) == (720, 1280), ps["x"]
assert (ps["youtube"]["width"], ps["youtube"]["height"]) == (1920, 1080)
assert all(p["fps"] == 30 and p["for"] for p in ps.values()), ps'
check 'voices lists the voices of both engines' 'agency-produce voices >voices.json'
py_ok 'espeak and flite voices, each with its languages and rate' '
vs = [json.loads(l) for l in open("voices.json")]
assert {v["engine"] for v in vs} == {"espeak", "flite"}, {v["engine"] for v in vs}
assert all(v["voice"] and v["languages"] and v["rate"] > 0 for v in vs)
assert any(v["engine"] == "flite" and v["voice"] == "slt" for v in vs)'
check 'voices --engine flite' 'agency-produce voices --engine flite >flite.json'
py_ok 'lists only flite voices' '
vs = [json.loads(l) for l in open("flite.json")]
assert vs and all(v["engine"] == "flite" for v in vs), vs'

# --- the shipped styles ------------------------------------------------
for s in bold cinematic minimal; do
	agency-produce plan --style "$s" --no-music script.json >"$s.edl" &&
	    shrink "$s.edl" "$s.small.edl" &&
	    agency-produce render "$s.small.edl" -o "$s.mp4" --ass-file "$s.ass" \
	    --no-thumbnail --no-subtitles >"$s.json" 2>"$s.err"
	ok_if "style $s plans and renders" "[ $? -eq 0 ] && [ -s $s.mp4 ]"
	[ -s "$s.err" ] && sed 's/^/#   stderr: /' "$s.err"
done
py_ok 'each EDL carries its style: transitions, captions, colours, name' '
want = {"bold": ("slideleft", 0.25, "pop", "#FF3D57", True),
        "cinematic": ("fade", 0.8, "karaoke", "#0B1020", None),
        "minimal": ("fade", 0.3, "classic", "#1B2A3A", None)}
for s, (kind, dur, cap, colour, upper) in want.items():
    e = J(s + ".edl")
    t = [v["transition"] for v in e["video"]]
    assert t[0]["kind"] == "fade", (s, t)
    assert all(x["kind"] == kind and x["duration"] == dur for x in t[1:]), \
        (s, t)
    assert e["captions"]["style"] == cap, (s, e["captions"])
    assert e["captions"].get("uppercase") == upper, (s, e["captions"])
    assert e["video"][0]["source"]["gradient"][0] == colour, (s, e["video"])
    assert e["meta"]["style"] == s, e["meta"]'
py_ok 'and its captions are burned as the style says' '
import re
def events(f):
    return [l.split(",")[3] for l in open(f) if l.startswith("Dialogue:")]
b, c, m = events("bold.ass"), events("cinematic.ass"), events("minimal.ass")
assert b.count("Word") == c.count("Word") == 16, (b, c)
assert m.count("Page") >= 3 and "Word" not in m, m
assert re.search(r"\\an5", open("bold.ass").read()), "bold: middle"
assert "CRISP" in open("bold.ass").read(), "bold: upper case"'

# --- a style of the user's -----------------------------------------------
mkdir -p config/agency/styles
cat >config/agency/styles/mine.yaml <<'EOF'
# mine: one colour, hard wipes, words popping
description: my own
colors:
  background: ["#112233"]
captions:
  style: pop
transition:
  kind: wipeleft
  duration: 0.2
pacing:
  lead: 0.6
EOF
check 'styles lists a user style first' 'agency-produce styles >styles.json'
py_ok 'with its description and file' '
ss = [json.loads(l) for l in open("styles.json")]
assert ss[0]["name"] == "mine" and ss[0]["description"] == "my own", ss
assert ss[0]["path"].endswith("/config/agency/styles/mine.yaml"), ss[0]
assert len(ss) == 4, ss'
check 'a user style plans' \
    'agency-produce plan --style mine --no-music script.json >mine.edl'
py_ok 'as it says, the rest from the defaults' '
e = J("mine.edl")
assert all(v["source"]["gradient"] == ["#112233", "#112233"]
           for v in e["video"]), e["video"]
assert [v["transition"]["kind"] for v in e["video"]] == \
    ["fade", "wipeleft", "wipeleft"], e["video"]
assert e["captions"]["style"] == "pop" and e["meta"]["style"] == "mine"
assert e["captions"]["words"][0]["start"] >= 0.6, e["captions"]["words"][0]'
shrink mine.edl mine.small.edl
check 'and renders' 'agency-produce render mine.small.edl -o mine.mp4 --no-thumbnail'
printf 'captions:\n  size: 96\n' >config/agency/styles/big.yaml
check 'a style with a caption size, at preset x' \
    'agency-produce plan --style big --preset x --no-music script.json >big.edl'
py_ok 'the size is at 1920 high: 64 px in a 1280 high frame' '
assert J("big.edl")["captions"]["size"] == 64, J("big.edl")["captions"]'
cp config/agency/styles/mine.yaml bold.yaml
sed -i 's/my own/mine, by path/' bold.yaml
check 'a style named by its path' \
    'agency-produce plan --style ./bold.yaml --no-music script.json >path.edl'
py_ok 'is that file, not the shipped style of that name' '
e = J("path.edl")
assert e["video"][1]["transition"]["kind"] == "wipeleft", e["video"][1]'

# bad_style DESC YAML LINE:COL WHY: the style is refused, exit 65, with
# file:line:column and why.
bad_style() {
	printf '%s\n' "$2" >config/agency/styles/bad.yaml
	agency-produce plan --style bad --no-music script.json >out 2>err
	_rc=$?
	_ok=0
	[ "$_rc" -eq 65 ] || _ok=1
	[ "$(wc -l <err)" -eq 1 ] || _ok=1
	grep -qF -- "config/agency/styles/bad.yaml:$3: $4" err || _ok=1
	_result "$_ok" "$1"
	[ "$_ok" -eq 0 ] || { echo "#   status $_rc, expected 65 and"
	    echo "#   'bad.yaml:$3: $4'"; sed 's/^/#   stderr: /' err; }
}
bad_style 'a number that is not one' 'pacing:
  lead: lots' 2:9 "pacing.lead: 'lots' is not a number from 0 to 5"
bad_style 'a number out of range' 'motion:
  zoom: 3' 2:9 "motion.zoom: '3' is not a number from 1 to 2"
bad_style 'a word not in the list' 'captions:
  position: left' 2:13 "captions.position: 'left' is not one of bottom|middle|top"
bad_style 'a colour that is not one' 'colors:
  text: red' 2:9 'colors.text: expected a colour (#RRGGBB)'
bad_style 'a colour in the palette that is not one' 'colors:
  background: ["#000000", "blue"]' 2:27 \
    'colors.background: expected a colour (#RRGGBB)'
bad_style 'a transition xfade does not have' 'transition:
  kind: swirl' 2:9 "transition.kind: 'swirl' is not a transition"
bad_style 'a mood the composer does not have' 'music:
  mood: sleepy' 2:9 "music.mood: 'sleepy' is not a mood"
bad_style 'YAML that does not parse' 'captions: [style' 2:1 "did not find expected ','"
printf 'captoins:\n  style: pop\n' >config/agency/styles/typo.yaml
check 'an unknown key is only a warning' \
    'agency-produce plan --style typo --no-music script.json >typo.edl'
grep_err 'naming file:line:col and the likely key' \
    "typo\.yaml:2:3: unknown style key 'captoins\.style' \(did you mean 'captions\.style'\?\)"
expect_code 'a style that is not there: 66' 66 \
    'agency-produce plan --style nosuch script.json'
grep_err 'saying where to look' "no style 'nosuch' \(see 'agency-produce styles'\)"

# --- the music bed -----------------------------------------------------
ff -f lavfi -i "sine=f=220:d=20" -ac 2 bed.wav
make_pattern pattern.png
check '--music FILE is the bed' \
    'agency-produce plan --music bed.wav script.json >music.edl'
py_ok 'the EDL names it, ducked under the voice' '
import os
m = J("music.edl")["audio"]["music"]
assert m["path"] == os.path.abspath("bed.wav") and m["duck"] is True, m'
expect_code '--music with a file that is not there: 66' 66 \
    'agency-produce plan --music nope.wav script.json'
expect_code '--music with a file without sound: 65' 65 \
    'agency-produce plan --music pattern.png script.json'
grep_err 'saying so' "'pattern\.png': no audio in it"
check '--no-music' 'agency-produce plan --no-music script.json >quiet.edl'
py_ok 'has a voice and no bed' '
a = J("quiet.edl")["audio"]
assert "voice" in a and "music" not in a, a'
shrink music.edl music.small.edl
shrink quiet.edl quiet.small.edl
check 'both render' 'agency-produce render music.small.edl -o music.mp4 &&
    agency-produce render quiet.small.edl -o quiet.mp4'
$VC probe quiet.mp4 >probe.json
py_ok 'without a bed the video still has its sound track' '
a = J("probe.json")["audio"]
assert a["codec_name"] == "aac" and a["channels"] == 2, a'
# Between the first scene's last word and the second's first.
gap=$(json_get quiet.edl 'next("%.3f %.3f" % (w0["end"] + 0.15, w["start"] - 0.15)
    for w0, w in zip(d["captions"]["words"], d["captions"]["words"][1:])
    if w["scene"] != w0["scene"])')
$VC volume music.mp4 $gap >bed.vol
$VC volume quiet.mp4 $gap >quiet.vol
py_ok 'between scenes the bed is heard; without it, (near) silence' '
b, q = J("bed.vol"), J("quiet.vol")
assert b["mean"] > -45, b
assert q["mean"] < -60, q'
$AC loudness quiet.mp4 >loud.json
py_ok 'and the voice alone is still brought to -14 LUFS' '
m = J("loud.json")
assert abs(m["integrated"] + 14) <= 1 and m["true_peak"] <= -1, m'

check '--music-mood dark' \
    'agency-produce plan --music-mood dark script.json >dark.edl'
ok_if 'composes the bed in that mood, kept in the media library' \
    '[ "$(sqlite3 "$XDG_DATA_HOME/agency/agency.db" "select kind, tags from
	assets where path = '\''$(json_get dark.edl "d[\"audio\"][\"music\"][\"path\"]")'\''")" = "music|dark" ]'
expect_code 'a mood the composer does not have: 64' 64 \
    'agency-produce plan --music-mood sleepy script.json'

# --- the voice ---------------------------------------------------------
check '--engine flite' 'agency-produce plan --no-music --engine flite script.json >flite.edl'
py_ok 'speaks every word with flite, and says so' '
f, q = J("flite.edl"), J("quiet.edl")
assert f["meta"]["narration"]["engine"] == "flite", f["meta"]["narration"]
assert [w["text"] for w in f["captions"]["words"]] == \
    [w["text"] for w in q["captions"]["words"]]
assert f["audio"]["voice"]["path"] != q["audio"]["voice"]["path"]'
check '--rate 300 and --rate 120' \
    'agency-produce plan --no-music --rate 300 script.json >fast.edl &&
     agency-produce plan --no-music --rate 120 script.json >slow.edl'
py_ok 'a faster voice makes a shorter video, scenes timed by it' '
f, s = J("fast.edl"), J("slow.edl")
assert f["duration"] < s["duration"] * 0.75, (f["duration"], s["duration"])
assert f["captions"]["words"][-1]["end"] <= f["duration"]'
expect_code 'a voice that is not there: 64' 64 \
    'agency-produce plan --voice nobody script.json'
grep_err 'pointing at the list' 'no voice .nobody. \(`agency-produce voices` lists them\)'

# --- a recorded narration ---------------------------------------------
cp "$(json_get quiet.edl 'd["audio"]["voice"]["path"]')" voice.wav
check '--narration FILE: a recorded voice' \
    'agency-produce plan --no-music --narration voice.wav script.json >rec.edl'
py_ok 'is the voice track, and the plan says it is recorded, timed by sentence' '
import os
e = J("rec.edl")
assert e["audio"]["voice"]["path"] == os.path.abspath("voice.wav"), e["audio"]
assert e["meta"]["narration"] == {"kind": "recorded", "timing": "sentences"}, \
    e["meta"]["narration"]'
py_ok 'every word of the script, in order, within the recording' '
r, q = J("rec.edl"), J("quiet.edl")
rw, qw = r["captions"]["words"], q["captions"]["words"]
assert [w["text"] for w in rw] == [w["text"] for w in qw], rw
assert all(a["start"] <= a["end"] <= b["start"] for a, b in zip(rw, rw[1:]))
assert rw[-1]["end"] <= r["duration"], (rw[-1], r["duration"])'
py_ok 'each sentence starts and ends where the voice really does (0.1 s)' '
r, q = J("rec.edl"), J("quiet.edl")
rw, qw = r["captions"]["words"], q["captions"]["words"]
for i in range(len(rw)):
    if i == 0 or rw[i - 1]["scene"] != rw[i]["scene"]:
        assert abs(rw[i]["start"] - qw[i]["start"]) <= 0.1, (rw[i], qw[i])
    if i + 1 == len(rw) or rw[i + 1]["scene"] != rw[i]["scene"]:
        assert abs(rw[i]["end"] - qw[i]["end"]) <= 0.1, (rw[i], qw[i])'
py_ok 'and the scenes follow the sentences' '
r = J("rec.edl")
for s, v in enumerate(r["video"][1:], 1):
    w = next(w for w in r["captions"]["words"] if w["scene"] == s)
    assert v["start"] <= w["start"] <= v["start"] + 0.3, (v, w)'
shrink rec.edl rec.small.edl
check 'and renders' 'agency-produce render rec.small.edl -o rec.mp4 >rec.json'
py_ok 'the production says the narration was recorded' '
assert J("rec.json")["narration"]["kind"] == "recorded", J("rec.json")'
expect_code '--narration with a file without sound: 65' 65 \
    'agency-produce plan --narration pattern.png script.json'

# --- pictures from --media ----------------------------------------------
# Named for the scenes' words: "toast goes soft", "heat pan" and "steam
# escapes stays"; the zebra matches nothing, the text file is no picture.
mkdir pics
make_white pics/soft-toast.png
make_clip pics/hot-pan.mp4 6
make_halves pics/steam_rack.jpg
make_pattern pics/zebra.png
echo 'not a picture' >pics/notes.txt
check '--media DIR' 'agency-produce plan --no-music --media pics script.json >media.edl'
py_ok 'each scene shows the file whose name matches its words' '
import os
v = J("media.edl")["video"]
src = [os.path.basename(list(s["source"].values())[0]) for s in v]
assert src == ["soft-toast.png", "hot-pan.mp4", "steam_rack.jpg"], src'
py_ok 'stills get Ken Burns; the clip is cut to its scene, without motion' '
v = J("media.edl")["video"]
assert "image" in v[0]["source"] and v[0]["motion"]["kind"] == "kenburns"
assert "video" in v[1]["source"] and "motion" not in v[1], v[1]
assert v[1]["source"]["in"] > 0, v[1]'
shrink media.edl media.small.edl
check 'and renders' 'agency-produce render media.small.edl -o media.mp4'
mkdir one
make_white one/only.png
check 'a folder with one picture' \
    'agency-produce plan --no-music --media one script.json >one.edl'
py_ok 'shows it in every scene rather than nothing' '
v = J("one.edl")["video"]
assert all(s["source"]["image"].endswith("/one/only.png") for s in v), v'
mkdir odd
make_white odd/yak.png
make_pattern odd/gnu.png
make_halves odd/emu.png
check 'pictures that match no scene' \
    'agency-produce plan --no-music --media odd script.json >odd.edl'
py_ok 'are each shown once, before any is shown again' '
v = J("odd.edl")["video"]
src = sorted(s["source"]["image"].rsplit("/", 1)[1] for s in v)
assert src == ["emu.png", "gnu.png", "yak.png"], src'
expect_code '--media with a folder that is not there: 66' 66 \
    'agency-produce plan --media nowhere script.json'
check '--focus top' \
    'agency-produce plan --no-music --media pics --focus top script.json >top.edl'
py_ok 'crops every scene around the top' '
assert all(s["focus"] == {"x": 0.5, "y": 0.2} for s in J("top.edl")["video"])'
check '--focus X,Y' \
    'agency-produce plan --no-music --focus 0.25,0.75 script.json >xy.edl'
py_ok 'is taken as it is' '
assert all(s["focus"] == {"x": 0.25, "y": 0.75} for s in J("xy.edl")["video"])'

# --- usage errors --------------------------------------------------------
expect_code 'an unknown option: 64' 64 'agency-produce --bogus script.json -o x.mp4'
expect_code 'no -o: 64' 64 'agency-produce script.json'
expect_code 'render without -o: 64' 64 'agency-produce render quiet.edl'
expect_code 'two scripts: 64' 64 'agency-produce script.json script.json -o x.mp4'
expect_code 'a caption style we do not have: 64' 64 \
    'agency-produce plan --captions loud script.json'
expect_code 'a rate that is not a number: 64' 64 \
    'agency-produce plan --rate fast script.json'
expect_code 'a focus that is nowhere: 64' 64 \
    'agency-produce plan --focus 2,0.5 script.json'
expect_code 'a quality we do not have: 64' 64 \
    'agency-produce script.json -o x.mp4 --quality best'
expect_code 'a preset we do not have: 64' 64 \
    'agency-produce plan --preset huge script.json'
expect_code 'styles takes no operand: 64' 64 'agency-produce styles extra'
ok_if 'and none of them left a file' '[ ! -e x.mp4 ] && no_temps'
done_testing
