#!/bin/sh
# examples/agency.sh - the front and its configuration.
#
# Run it from anywhere; it works in a throw-away folder so it leaves
# your own config alone.  tests/cli/9100-examples.t runs it.
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"

# Where the configuration lives, and what is in it (NDJSON when piped).
agency config path
agency config list | head -n 3

# Settings are written back into the YAML file, comments kept.
agency config set http.timeout 120
agency config set providers.ollama.base_url http://127.0.0.1:11434
agency config get http.timeout
cat "$(agency config path)"

# The environment beats the file.
AGENCY_LOG=debug agency config get log.level

# Any executable called agency-NAME on PATH is a tool: a plugin.
mkdir "$work/bin"
cat >"$work/bin/agency-hello" <<'SH'
#!/bin/sh
echo "hello from a plugin, args: $*"
SH
chmod +x "$work/bin/agency-hello"
PATH="$work/bin:$PATH" agency hello world
