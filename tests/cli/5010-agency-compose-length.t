#!/bin/sh
# agency-compose: a bed is exactly as long as asked, to the sample, read
# from the files themselves (the WAV data chunk, ffprobe for FLAC).
. "${0%/*}/../lib.sh"
plan 14
AC="python3 $TESTS/tools/audiocheck.py"

# frames FILE: the frames in a WAV file's data chunk.
frames() {
	$AC frames "$1" | sed 's/.*"frames": \([0-9]*\).*/\1/'
}

check '1 second' 'agency-compose -m upbeat -d 1 -s 1 -o 1.wav'
ok_if 'is 48000 frames' '[ "$(frames 1.wav)" -eq 48000 ]'
check '17.3 seconds' 'agency-compose -m lofi -d 17.3 -s 2 -o 17.wav'
ok_if 'is 830400 frames' '[ "$(frames 17.wav)" -eq 830400 ]'
check '58.3 seconds' 'agency-compose -m calm -d 58.3 -s 3 -o 58.wav >58.json'
ok_if 'is 2798400 frames' '[ "$(frames 58.wav)" -eq 2798400 ]'
ok_if 'in whole bars at a tempo in the mood'"'"'s range' 'python3 -c "import json
d = json.load(open(\"58.json\"))
assert abs(d[\"bars\"] * 240 / d[\"tempo\"] - 58.3) < 0.01
assert 64 <= d[\"tempo\"] <= 84, d[\"tempo\"]"'
# Three minutes through the whole path, at a rate that keeps it cheap.
check '180 seconds (at 8 kHz)' 'agency-compose -m ambient -d 180 -r 8000 -s 4 -o 180.wav'
ok_if 'is 1440000 frames' '[ "$(frames 180.wav)" -eq 1440000 ]'
check '17.3 seconds at 44.1 kHz' 'agency-compose -d 17.3 -r 44100 -s 5 -o 44.wav'
ok_if 'is 762930 frames' '[ "$(frames 44.wav)" -eq 762930 ]'
check 'a FLAC of 17.3 seconds' 'agency-compose -d 17.3 -s 6 -o 17.flac'
ok_if 'holds 830400 frames' \
    '[ "$(ffprobe -v error -show_entries stream=duration_ts -of csv=p=0 17.flac)" -eq 830400 ] &&
     [ "$(ffmpeg -v error -i 17.flac -f s16le - | wc -c)" -eq $((830400 * 4)) ]'
ok_if 'the same length with a unit: 2m is 120 s' \
    'agency-compose -d 2m -r 8000 -s 1 -o 2m.wav >/dev/null && [ "$(frames 2m.wav)" -eq 960000 ]'
done_testing
