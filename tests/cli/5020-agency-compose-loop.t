#!/bin/sh
# agency-compose --loop: the wrap is as smooth as a bar line inside the
# loop; and the MIDI file is a well-formed Standard MIDI File.
. "${0%/*}/../lib.sh"
plan 12
AC="python3 $TESTS/tools/audiocheck.py"

check 'a 12-second loop' 'agency-compose -m lofi -d 12 --loop -s 9 -o loop.wav --midi loop.mid >loop.json'
ok_if 'is exact' '$AC frames loop.wav | grep -q "\"frames\": 576000"'
ok_if 'in whole 4-bar phrases' 'python3 -c "import json
d = json.load(open(\"loop.json\"))
assert d[\"loop\"] is True and d[\"bars\"] % 4 == 0, d
assert abs(d[\"bars\"] * 240 / d[\"tempo\"] - 12) < 0.01"'
bars=$(json_get loop.json 'd["bars"]')
$AC seam loop.wav "$bars" >seam.json
ok_if 'the wrap has no more high-frequency energy than the bar lines' \
    'python3 -c "import json
s = json.load(open(\"seam.json\"))
assert s[\"wrap\"] <= s[\"internal_max\"], s"'
ok_if 'and no jump bigger than the music'"'"'s own steps' \
    'python3 -c "import json
s = json.load(open(\"seam.json\"))
assert s[\"jump\"] <= s[\"step_p999\"], s"'

# Without folding the tail the wrap would click: a loop's last frame
# still sounds, and its first must carry on from it.  A bed with an
# ending, by contrast, fades to silence.
check 'a bed with an ending' 'agency-compose -m lofi -d 12 -s 9 -o end.wav'
ok_if 'ends in silence' 'python3 -c "import struct
d = open(\"end.wav\", \"rb\").read()
assert max(abs(v) for v in struct.unpack(\"<8h\", d[-16:])) <= 2"'
ok_if 'while the loop does not' 'python3 -c "import struct
d = open(\"loop.wav\", \"rb\").read()
assert max(abs(v) for v in struct.unpack(\"<64h\", d[-128:])) > 2"'

$AC midi loop.mid >midi.json 2>err
ok_if 'the MIDI file parses' '[ -s midi.json ]'
[ -s midi.json ] || sed 's/^/#   /' err
ok_if 'format 1, 480 ticks a beat, a conductor track and the parts' \
    'python3 -c "import json
m = json.load(open(\"midi.json\"))
assert m[\"format\"] == 1 and m[\"division\"] == 480, m
assert m[\"tracks\"][0].startswith(\"lofi, \") and \"bass\" in m[\"tracks\"] and \"drums\" in m[\"tracks\"], m[\"tracks\"]
assert m[\"notes\"] > 50"'
ok_if 'its tempo and length are the loop'"'"'s' 'python3 -c "import json
m = json.load(open(\"midi.json\")); d = json.load(open(\"loop.json\"))
assert abs(60e6 / m[\"tempo\"] - d[\"tempo\"]) < 0.01, (m, d)
assert m[\"last\"] == d[\"bars\"] * 4 * 480, (m[\"last\"], d[\"bars\"])"'
check 'fluidsynth plays it' \
    'fluidsynth -ni -q -F fs.wav -r 22050 /usr/share/sounds/sf2/TimGM6mb.sf2 loop.mid && [ -s fs.wav ]'
done_testing
