#!/bin/sh
# examples/main-job.sh - the main job: the longest pipeline that exists,
# offline, on the embedded defaults (no API key, no network):
#
#   brief -> agency-script (offline provider) -> agency-produce
#         (voice, pictures, captions, music, render) -> a finished MP4
#         -> agency-upload to a folder (the dir target): published
#
# The results go to $AGENCY_OUT (default ./out): the script, the edit
# decision list, the video with its subtitles and thumbnail, and the
# production document.  Settings come from the configuration as usual,
# so `AGENCY_CONFIG=fast.yaml` with produce.quality: draft makes a quick
# preview of the same job.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
PATH="$here/bin:$PATH"
out=${AGENCY_OUT:-$here/out}
mkdir -p "$out"

echo "== the toolkit"
agency --version
agency --help
echo "== its configuration ($(agency config path))"
agency config list >"$out/config.ndjson"
wc -l <"$out/config.ndjson" | sed 's/^/keys: /'

echo "== the script (agency-script, from examples/script/sourdough.md)"
agency-script --brief "$here/examples/script/sourdough.md" \
    >"$out/sourdough.script.json"
sed 's/,"scenes".*//' "$out/sourdough.script.json"

echo "== the video (agency-produce: voice, pictures, captions, music)"
agency-produce --style cinematic --plan-out "$out/sourdough.edl.json" \
    -o "$out/sourdough.mp4" <"$out/sourdough.script.json" \
    >"$out/sourdough.production.json"
sed 's/,"captions".*//' "$out/sourdough.production.json"
ls -l "$out"/sourdough.*

echo "== published (agency-upload to the folder $out/published)"
agency-upload accounts add dir:main-job --set path="$out/published" \
    >/dev/null
agency-upload --to dir:main-job "$out/sourdough.production.json" \
    >"$out/sourdough.post.json"
cat "$out/sourdough.post.json"
find "$out/published" -type f | sort
echo "done: $out"
