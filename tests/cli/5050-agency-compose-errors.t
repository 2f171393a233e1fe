#!/bin/sh
# agency-compose: bad arguments are clear errors with the right exit
# status, and leave no file behind.
. "${0%/*}/../lib.sh"
plan 33

# empty DIR: nothing at all in DIR (no output, no temporary file).
empty() {
	[ -z "$(ls -A "$1")" ]
}
mkdir w

expect_code 'a negative duration is a usage error' 64 \
    'agency-compose -d -5 -o w/x.wav'
grep_err 'naming the option' "option '--duration': '-5' is not a length"
expect_code 'so is 0 seconds' 64 'agency-compose -d 0 -o w/x.wav'
grep_err 'saying why' 'duration 0: must be more than 0 seconds'
expect_code 'and more than 600' 64 'agency-compose -d 601 -o w/x.wav'
expect_code 'an unknown mood is a usage error' 64 \
    'agency-compose -m jolly -o w/x.wav'
grep_err 'listing the moods' "unknown mood 'jolly'; the moods are calm, upbeat"
expect_code 'a bad key' 64 'agency-compose -k "H major" -o w/x.wav'
grep_err 'shows good ones' "key 'H major': expected a note and a mode"
expect_code 'an output name of no known format' 64 'agency-compose -o w/x.ogg'
grep_err 'says what to do' "cannot tell the audio format of 'w/x.ogg'"
expect_code 'a loop with a fade' 64 'agency-compose --loop --fade-out 2 -o w/x.wav'
expect_code 'a rate out of range' 64 'agency-compose -r 4000 -o w/x.wav'
expect_code 'a tempo out of range' 64 'agency-compose --bpm 1000 -o w/x.wav'
expect_code 'no output' 64 'agency-compose -d 1'
expect_code 'an unknown command-line word' 64 'agency-compose -o w/x.wav extra'
ok_if 'none of them left a file' 'empty w'

expect_code 'an output in a missing folder cannot be created' 73 \
    'agency-compose -d 1 -o w/no/x.wav'
grep_err 'says so' "cannot create 'w/no/x.wav': No such file or directory"
expect_code 'nor an output that is a folder' 73 'agency-compose -d 1 -f wav -o w'
expect_code 'a MIDI file in a missing folder fails before the render' 73 \
    'agency-compose -d 1 -o w/x.wav --midi w/no/x.mid'
ok_if 'and leaves no audio behind' 'empty w'
expect_code 'stems where a file is in the way' 73 \
    ': >w/file && agency-compose -d 1 -o w/x.wav --stems w/file'
ok_if 'leave nothing either' '[ "$(ls -A w)" = file ] && rm w/file'

expect_code 'a missing SoundFont is a configuration error' 78 \
    'agency-compose -d 1 --soundfont /nonexistent/FluidR3_GM.sf2 -o w/x.wav'
grep_err 'naming the package to install' \
    "soundfont '/nonexistent/FluidR3_GM.sf2': No such file or directory; install the Debian package fluid-soundfont-gm"
expect_code 'a file that is no SoundFont' 78 \
    'printf "not a font" >font.sf2 && agency-compose -d 1 --soundfont font.sf2 -o w/x.wav'
grep_err 'says so' "soundfont 'font.sf2': not a SoundFont"
expect_code 'AGENCY_SOUNDFONT is read' 78 \
    'AGENCY_SOUNDFONT=/nope.sf2 agency-compose -d 1 -o w/x.wav'
ok_if 'no file left by any of them' 'empty w'
expect_code 'a bad music.rate in the file is a configuration error' 78 \
    'agency config set music.rate 100 && agency-compose -d 1 -o w/x.wav'
grep_err 'naming the key' 'music.rate: 100 is not from 8000 to 96000'
agency config set music.rate 48000 >/dev/null
ok_if 'so nothing was written' 'empty w'
done_testing
