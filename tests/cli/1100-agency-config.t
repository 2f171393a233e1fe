#!/bin/sh
# agency config: path, get, set, list; errors name file:line:column.
. "${0%/*}/../lib.sh"
plan 26

check 'config path' 'agency config path'
grep_out 'is under XDG_CONFIG_HOME' "^$T/config/agency/config.yaml\$"
AGENCY_CONFIG=$T/other.yaml check 'AGENCY_CONFIG moves it' \
    'agency config path'
grep_out 'to the named file' "^$T/other.yaml\$"
check 'get prints a default' 'agency config get http.timeout'
grep_out 'the value alone' '^300$'
expect_code 'get of an unset key exits 1' 1 'agency config get store.path'
expect_code 'get of an unknown key is a config error' 78 \
    'agency config get http.timout'
grep_err 'with a suggestion' "did you mean 'http.timeout'\?"

mkdir -p config/agency
printf '# my settings\nhttp:\n  timeout: 12  # seconds\n' \
    >config/agency/config.yaml
check 'set writes a value' 'agency config set http.retries 5'
check 'get reads it back' 'agency config get http.retries'
grep_out 'as written' '^5$'
ok_if 'comments and layout are kept' \
    'grep -q "^# my settings$" config/agency/config.yaml &&
     grep -q "^  timeout: 12  # seconds$" config/agency/config.yaml &&
     grep -q "^  retries: 5$" config/agency/config.yaml'
ok_if 'no temporary file is left' \
    '[ "$(ls config/agency)" = config.yaml ]'
expect_code 'set of a wrong type is refused' 78 \
    'agency config set http.retries many'
ok_if 'and the file is unchanged' \
    'grep -q "^  retries: 5$" config/agency/config.yaml'
AGENCY_DB=$T/env.db check 'the environment beats the file' \
    'agency config get store.path'
grep_out 'AGENCY_DB for store.path' "^$T/env.db\$"
check 'list prints NDJSON' 'agency config list'
ok_if 'one JSON object per key with its origin' \
    'python3 -c "import json,sys
rows=[json.loads(l) for l in open(\"out\")]
assert {\"key\":\"http.retries\",\"value\":\"5\",\"origin\":\"file\"} in rows
assert all(set(r)=={\"key\",\"value\",\"origin\"} for r in rows)"'

printf 'http:\n  timeout: [1, 2\n' >config/agency/config.yaml
expect_code 'a malformed file is a config error' 78 'agency config path'
grep_err 'naming file:line:column' \
    "^agency: $T/config/agency/config.yaml:3:1: "
printf 'http:\n  timeout: 1\nstore:\n  pth: x\n' >config/agency/config.yaml
check 'an unknown key is only a warning' 'agency config get http.timeout'
grep_err 'with where and what to use instead' \
    "config.yaml:4:3: unknown key 'store.pth' \(did you mean 'store.path'\?\)"
expect_code 'a missing --config file is an error' 78 \
    'agency --config nope.yaml config path'
expect_code 'a bad AGENCY_LOG is reported' 78 \
    'AGENCY_LOG=loud agency config path'
done_testing
