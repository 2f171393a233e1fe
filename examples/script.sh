#!/bin/sh
# examples/script.sh - agency-script: a brief, a template of your own, a
# batch over a topics file with xargs, ideas fed back in, and the log.
#
# Offline by default: with no API key set and no Ollama running, the
# offline provider writes every script, so this runs anywhere.  Set
# GEMINI_API_KEY or GROQ_API_KEY (or start Ollama) and the same lines
# use a language model, falling back down the chain when one fails.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
PATH="$here/../bin:$PATH"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
out=${AGENCY_OUT:-$work/out}
mkdir -p "$out"

# A markdown brief in, one agency.script document out.
agency-script --brief "$here/script/sourdough.md" >"$out/sourdough.script.json"
grep -o '"title":"[^"]*"' "$out/sourdough.script.json" | head -n 1

# The brief on stdin, parameters as flags; two variants, one per line.
agency-script -n 2 -p tiktok,x -d 30 <"$here/script/sourdough.md" |
    wc -l | sed 's/^/variants: /'

# A template of your own, named by path.
agency-script --template "$here/script/listicle.yaml" \
    --topic "cold brew without special gear" >"$out/cold-brew.script.json"

# What would be sent to each provider, keys hidden, nothing sent.
agency-script --dry-run --topic "cold brew" | grep '^#'

# A batch: one script per line of a topics file, two at a time.
xargs -P 2 -I{} sh -c 'agency-script --no-log --topic "$1" >"$2/$(echo "$1" |
    tr -c "a-zA-Z0-9\n" - | tr A-Z a-z).script.json"' sh {} "$out" \
    <"$here/script/topics.txt"
ls "$out" | grep -c 'script.json$' | sed 's/^/scripts: /'

# Ideas for a niche, and the first one straight back in as a brief.
agency-script ideas --niche "home espresso" --count 3 >"$out/ideas.ndjson"
head -n 1 "$out/ideas.ndjson" | agency-script >"$out/idea.script.json"

# The templates, and what the calls cost.
agency-script templates | cut -c1-60
agency-script log -n 3 --json | cut -c1-80
