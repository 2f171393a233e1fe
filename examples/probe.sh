#!/bin/sh
# examples/probe.sh - what media files hold, with agency-probe.
#
# Run it from anywhere; it works in a throw-away folder.  The media are
# made with the ffmpeg CLI here.  tests/cli/9100-examples.t runs it.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
PATH="$here/bin:$PATH"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
ffmpeg -nostdin -v error -f lavfi -i testsrc=size=320x240:rate=25 \
    -f lavfi -i sine=d=2 -t 2 -c:v libx264 -preset ultrafast \
    -pix_fmt yuv420p -c:a aac -movflags +faststart -use_editlist 0 ready.mp4
# The same video as a plain remux writes it: index last, edit lists.
ffmpeg -nostdin -v error -i ready.mp4 -c copy plain.mp4

# One agency.probe document per file, one line each when piped.
agency-probe ready.mp4 | cut -c 1-72

# The facts the platforms check, side by side.
agency-probe ready.mp4 plain.mp4 | python3 -c '
import json, sys
for line in sys.stdin:
    d = json.loads(line)
    v = d["video"]
    print("%-10s %dx%d %4.1f s %s faststart=%s edit_lists=%d" % (
        d["path"].rsplit("/", 1)[1], v["width"], v["height"],
        d["duration"], v["codec"], d["faststart"], d["edit_lists"]))'

# A file that is not media is an error naming it (exit 65); the others
# are still probed.
echo 'not a video' >notes.mp4
agency-probe notes.mp4 ready.mp4 >/dev/null || echo "exit status $?"
