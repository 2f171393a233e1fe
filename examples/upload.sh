#!/bin/sh
# examples/upload.sh - publish a production, offline: into a folder tree
# (the dir target), once, whatever happens; then the journal.
#
# Run it from anywhere; it works in a throw-away folder with a store of
# its own.  The video is made with the ffmpeg CLI here (agency-produce
# makes the real ones).  examples/upload/accounts.sh shows the accounts
# of the other targets; examples/upload/config.yaml their defaults.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
PATH="$here/../bin:$PATH"
cd "$work"

# A 3-second video as platforms want it (moov first, no edit list) and
# the agency.production that describes it.
ffmpeg -nostdin -v error -f lavfi -i testsrc=size=360x640:rate=30 \
    -f lavfi -i sine=frequency=440:sample_rate=48000 -t 3 -shortest \
    -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac \
    -movflags +faststart -use_editlist 0 sourdough.mp4
cat >sourdough.production.json <<DOC
{"kind":"agency.production","version":1,"id":"c_sourdough",
 "video":"$work/sourdough.mp4","duration":3,"width":360,"height":640,
 "fps":30,"captions":{"default":{"title":"3 sourdough mistakes",
 "description":"Hydration, heat, patience.","tags":["sourdough"]}}}
DOC

# What it would do, then do it: one agency.post on stdout.
agency-upload --dry-run --to dir:archive sourdough.production.json
agency-upload --to dir:archive sourdough.production.json
ls "$work/data/agency/published/archive/c_sourdough"

# The same command again prints the post it made; nothing is made twice.
agency-upload --to dir:archive <sourdough.production.json |
    grep -c '"existing":true'

# A folder of your choosing, and the journal of both.
agency-upload accounts add dir:site --set path="$work/site" >/dev/null
agency-upload --to dir:site sourdough.production.json >/dev/null
agency-upload accounts ls
agency-upload status
