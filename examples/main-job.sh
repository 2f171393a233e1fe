#!/bin/sh
# examples/main-job.sh - the main job: the longest pipeline that exists,
# offline, on the embedded defaults (no API key, no network).
#
# Today: the front, its configuration and the shared store,
#   brief -> agency-script (offline: no key, no network needed)
# and a music bed from agency-compose.  As the tools land this script grows into
#   brief -> agency-script -> agency-produce -> agency-upload --to dir:
# and keeps running with no key and no network.
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

echo "== a music bed (agency-compose), offline"
agency-compose --mood calm --duration 15 --seed 1 -o "$out/bed.wav" \
    >"$out/bed.json"
cat "$out/bed.json"
echo "done: $out"
