#!/bin/sh
# examples/compose.sh - music beds with agency-compose.
#
# Run it from anywhere; it works in a throw-away folder (and store) so
# it leaves yours alone.  tests/cli/9100-examples.t runs it.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
PATH="$here/bin:$PATH"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
cd "$work"

# The moods, one JSON object each when piped.
agency-compose moods | cut -c 1-72

# A calm bed of exactly 12.5 seconds: 600000 samples at 48 kHz.  The
# document on stdout says what was chosen: key, tempo, bars, loudness.
agency-compose --mood calm --duration 12.5 --seed 42 -o bed.wav >bed.json
cat bed.json
ffprobe -v error -show_entries stream=duration_ts -of csv=p=0 bed.wav

# The same seed gives the same file; another seed other music.
agency-compose --mood calm --duration 12.5 --seed 42 -o again.wav >/dev/null
agency-compose --mood calm --duration 12.5 --seed 43 -o other.wav >/dev/null
cmp bed.wav again.wav && echo "seed 42 twice: identical"
cmp -s bed.wav other.wav || echo "seed 43: different"

# A seamless 8-second loop in D minor as FLAC, with its score for a DAW
# and its stems (drums, bass, harmony, melody) to mix under a voice.
agency-compose -m lofi -d 8 --loop -k "D minor" -s 3 \
    --midi loop.mid --stems stems -o loop.flac >loop.json
ls stems

# Every file is in the store's asset library, addressed by SHA-256.
sqlite3 "$XDG_DATA_HOME/agency/agency.db" \
    'SELECT kind, tags, substr(sha256, 1, 12) FROM assets ORDER BY id'
