#!/bin/sh
# agency-compose: loudness on target and true peak under the ceiling, as
# ffmpeg's ebur128 filter measures them (not our own code); stems that
# add up to the bed.
. "${0%/*}/../lib.sh"
plan 12
AC="python3 $TESTS/tools/audiocheck.py"

check 'a 15-second dramatic bed' 'agency-compose -m dramatic -d 15 -s 8 -o d.wav >d.json'
$AC loudness d.wav >d.ebu
ok_if 'is -18 LUFS to within 1 LU' 'python3 -c "import json
m = json.load(open(\"d.ebu\"))
assert abs(m[\"integrated\"] + 18) <= 1, m"'
ok_if 'with its true peak at or under -1.5 dBTP' 'python3 -c "import json
m = json.load(open(\"d.ebu\"))
assert m[\"true_peak\"] <= -1.5, m"'
ok_if 'as the document says' 'python3 -c "import json
m = json.load(open(\"d.ebu\")); d = json.load(open(\"d.json\"))
assert abs(m[\"integrated\"] - d[\"loudness\"]) <= 0.3 and abs(m[\"true_peak\"] - d[\"true_peak\"]) <= 0.3, (m, d)"'

# Loud and tight: the limiter has work to do.
check 'energetic at -10 LUFS under -3 dBTP' \
    'agency-compose -m energetic -d 10 -s 8 --loudness -10 --true-peak -3 -o e.wav'
$AC loudness e.wav >e.ebu
ok_if 'is -10 LUFS to within 1 LU, peaking at most -3 dBTP' 'python3 -c "import json
m = json.load(open(\"e.ebu\"))
assert abs(m[\"integrated\"] + 10) <= 1 and m[\"true_peak\"] <= -3, m"'
check 'a quiet bed from the configuration' \
    'agency config set music.loudness -30 && agency-compose -d 6 -s 8 -o q.wav'
$AC loudness q.wav >q.ebu
ok_if 'is -30 LUFS to within 1 LU' 'python3 -c "import json
m = json.load(open(\"q.ebu\"))
assert abs(m[\"integrated\"] + 30) <= 1, m"'
agency config set music.loudness -18 >/dev/null

check 'a bed with stems' 'agency-compose -m upbeat -d 5 -s 4 --stems stems -o mix.wav'
$AC sum mix.wav stems/drums.wav stems/bass.wav stems/harmony.wav \
    stems/melody.wav >sum.json
ok_if 'four stems as long as the bed' 'grep -q "\"lengths_equal\": true" sum.json'
ok_if 'that add up to it within 8 LSB' 'python3 -c "import json
s = json.load(open(\"sum.json\"))
assert s[\"max_lsb\"] <= 8, s"'
ok_if 'each with music in it (upbeat has every part)' \
    'for s in drums bass harmony melody; do
	 $AC frames stems/$s.wav | grep -q "\"peak\": [1-9][0-9][0-9]" || exit 1
     done'
done_testing
