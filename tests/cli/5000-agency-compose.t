#!/bin/sh
# agency-compose: the document, the store, formats, standard output,
# the moods, and the examples of its manual page.
. "${0%/*}/../lib.sh"
plan 31
AC="python3 $TESTS/tools/audiocheck.py"

check 'a short bed' 'agency-compose -m corporate -d 4 -s 11 -o bed.wav >bed.json'
ok_if 'is written' '[ -s bed.wav ]'
ok_if 'prints one agency.audio document' \
    '[ "$(wc -l <bed.json)" -eq 1 ] && [ "$(json_get bed.json "d[\"kind\"]")" = agency.audio ]'
ok_if 'with every fact' 'python3 -c "import json
d = json.load(open(\"bed.json\"))
assert d[\"version\"] == 1 and d[\"path\"] == \"$T/bed.wav\", d[\"path\"]
assert d[\"format\"] == \"wav\" and d[\"duration\"] == 4 and d[\"frames\"] == 192000
assert d[\"sample_rate\"] == 48000 and d[\"channels\"] == 2
assert d[\"mood\"] == \"corporate\" and d[\"seed\"] == 11 and d[\"loop\"] is False
assert d[\"key\"].split()[1] == \"major\" and d[\"bars\"] >= 1
assert abs(d[\"bars\"] * 240 / d[\"tempo\"] - 4) < 0.01
assert abs(d[\"loudness\"] + 18) < 0.2 and d[\"true_peak\"] <= -1.5
assert d[\"soundfont\"].endswith(\"TimGM6mb.sf2\") and len(d[\"sha256\"]) == 64
assert \"midi\" not in d and \"stems\" not in d"'
ok_if 'the sha256 is the file'"'"'s' \
    '[ "$(sha256sum bed.wav | cut -c 1-64)" = "$(json_get bed.json "d[\"sha256\"]")" ]'
ok_if 'and the file is in the assets table' \
    '[ "$(sqlite3 data/agency/agency.db "SELECT kind, mime, duration, tags, path FROM assets WHERE sha256 = '"'"'$(json_get bed.json "d[\"sha256\"]")'"'"'")" = "music|audio/wav|4.0|corporate|$T/bed.wav" ]'

check 'a FLAC, a MIDI file and stems' \
    'agency-compose -m playful -d 3 -s 2 -o bed.flac --midi bed.mid --stems st >flac.json'
ok_if 'the FLAC is exact' \
    '[ "$(ffprobe -v error -show_entries stream=codec_name,duration_ts -of csv=p=0 bed.flac)" = flac,144000 ]'
ok_if 'the document names the MIDI file and the stems' 'python3 -c "import json
d = json.load(open(\"flac.json\"))
assert d[\"format\"] == \"flac\" and d[\"midi\"] == \"$T/bed.mid\"
assert d[\"stems\"] == {s: \"$T/st/%s.flac\" % s for s in (\"melody\", \"drums\", \"bass\", \"harmony\")}"'
ok_if 'all six files are registered' \
    '[ "$(sqlite3 data/agency/agency.db "SELECT count(*) FROM assets")" -eq 7 ] &&
     [ "$(sqlite3 data/agency/agency.db "SELECT tags FROM assets WHERE kind = '"'"'midi'"'"'")" = playful ]'
ok_if 'stems are tagged' \
    '[ "$(sqlite3 data/agency/agency.db "SELECT count(*) FROM assets WHERE tags LIKE '"'"'playful stem %'"'"'")" -eq 4 ]'
check 'an M4A' 'agency-compose -d 2 -s 2 -o bed.m4a >m4a.json'
ok_if 'is AAC in MP4, 2 seconds long' \
    '[ "$(ffprobe -v error -show_entries stream=codec_name,duration -of csv=p=0 bed.m4a)" = aac,2.000000 ]'
check '--format overrides the name' 'agency-compose -d 1 -s 2 -f flac -o odd.audio >odd.json'
ok_if 'odd.audio is FLAC' '[ "$(head -c 4 odd.audio)" = fLaC ]'

check '-o - writes WAV to standard output' 'agency-compose -d 2 -s 5 -o - >piped.wav'
ok_if 'and nothing else' '$AC frames piped.wav | grep -q "\"frames\": 96000"'
check 'the same bed as a file' 'agency-compose -d 2 -s 5 -o same.wav'
ok_if 'is the same bytes' 'cmp piped.wav same.wav'
check 'a pipe gets the true sizes in the header' \
    'agency-compose -d 2 -s 5 -o - | cat >cat.wav && cmp cat.wav same.wav'

check 'moods' 'agency-compose moods'
ok_if 'lists every mood the issue asks for, and more' 'python3 -c "import json
rows = [json.loads(l) for l in open(\"out\")]
names = [r[\"mood\"] for r in rows]
for m in \"calm upbeat cinematic lofi corporate dramatic ambient energetic\".split():
    assert m in names, m
assert len(rows) >= 8
for r in rows:
    assert r[\"bpm_min\"] <= r[\"bpm\"] <= r[\"bpm_max\"] and r[\"modes\"] and r[\"summary\"]"'
check 'every mood renders' 'for m in $(agency-compose moods | sed "s/^{\"mood\":\"\([a-z]*\)\".*/\1/"); do
	agency-compose -m $m -d 1.5 -r 8000 -s 1 -o m-$m.wav >/dev/null || exit 1
done'
check 'with -v the choices are logged' 'agency-compose -v -d 1 -s 3 -o v.wav'
grep_err 'as key, tempo, bars and seed' 'info: calm in [A-G][#b]? [a-z ]+ at [0-9.]+ bpm, [0-9]+ bars, seed 3'
check '--progress=json reports progress' 'agency-compose --progress=json -d 1 -s 3 -o p.wav'
grep_err 'as agency.progress events' '"kind":"agency.progress".*"label":"composing"'
check '--help' 'agency-compose --help'
grep_out 'lists the moods command' '^  moods '

# The manual's EXAMPLES, each command as the page shows it.
sed 's/\\e/\\/g; s/\\&//g' "$ROOT/man/agency-compose.1" | awk '
/^\.Sh / { inex = ($2 == "EXAMPLES"); next }
inex && /^\$ / { print substr($0, 3) }' >examples.sh
mkdir man-examples
check 'the examples of agency-compose(1) run' \
    '[ "$(wc -l <examples.sh)" -ge 5 ] && (cd man-examples && sh -e ../examples.sh >../examples.out)'
ok_if 'and print what the page shows' 'grep -qx 2798400 examples.out'
done_testing
