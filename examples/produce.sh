#!/bin/sh
# examples/produce.sh - agency-produce: a script to a finished video,
# the edit decision list in between, a hand-written list, a style of
# your own.
#
# Offline: the script comes from agency-script's offline provider, the
# voice from libespeak-ng, the music from agency-compose's library.
# Small and quick (720x1280 at draft quality); drop --preset and
# --quality for the real thing.  tests/cli/9100-examples.t runs it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
PATH="$here/../bin:$PATH"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
out=${AGENCY_OUT:-$work/out}
mkdir -p "$out"

# What there is to choose from.
agency-produce presets | cut -c 1-72
agency-produce styles | cut -c 1-72

# Brief -> script -> video, keeping the edit decision list.
agency-script --brief "$here/produce/brief.md" |
    agency-produce --preset x --quality draft --style cinematic \
    --plan-out "$out/cold-brew.edl.json" -o "$out/cold-brew.mp4" \
    >"$out/cold-brew.production.json"
grep -o '"duration":[0-9.]*' "$out/cold-brew.production.json" | head -n 1
ls "$out" | grep cold-brew

# The list says what the director decided: scenes timed by the voice.
grep -o '"start":[0-9.]*,"end":[0-9.]*,"source"' \
    "$out/cold-brew.edl.json" | head -n 3

# A list written by hand: gradients, a colour, transitions, a caption
# word, a title card; rendered as it is.
agency-produce render "$here/produce/edl.json" -o "$out/colours.mp4" \
    --contact-sheet "$out/colours-sheet.jpg" >"$out/colours.json"
ffprobe -v error -show_entries stream=codec_name,width,height \
    -of csv=p=0 "$out/colours.mp4"

# A style of your own, named by its file.
agency-script --brief "$here/produce/brief.md" |
    agency-produce --preset x --quality draft \
    --style "$here/produce/brand.yaml" -o "$out/brand.mp4" >/dev/null
echo "brand: $(ls "$out/brand.mp4")"
