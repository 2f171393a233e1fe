#!/bin/sh
# The chain: fallback order, everything down, keys from the environment,
# a credentials file or a command, redaction everywhere, log and cache.
. "${0%/*}/../lib.sh"
. "$TESTS/lib-llm.sh"
plan 32
GK=gk-secret-4f1d2c3b
QK=gsk_secret_9a8b7c6d
fake gemini --key "$GK"
G=$FAKE_URL
fake openai --key "$QK"
O=$FAKE_URL
export GEMINI_BASE_URL="$G/s/500" GROQ_BASE_URL="$O/s/ok/openai/v1"
export GEMINI_API_KEY=$GK GROQ_API_KEY=$QK
cat >fast.yaml <<'YAML'
script:
  retries: 1
YAML
export AGENCY_CONFIG=$T/fast.yaml

check 'gemini fails with 500s, groq answers' 'agency-script -t "cold brew" -v >s.json'
ok_if 'groq wrote it, after gemini was tried twice' \
    '[ "$(json_get s.json "d[\"provider\"]")" = groq ] &&
     [ "$(json_get s.json "[a[\"provider\"] for a in d[\"meta\"][\"attempts\"]]")" = "[\"gemini\", \"gemini\", \"groq\"]" ]'
ok_if 'the order was gemini then groq' '[ "$(requests gemini)" -eq 2 ] &&
    [ "$(requests openai)" -eq 1 ]'
check 'AGENCY_PROVIDERS sets the order' \
    'AGENCY_PROVIDERS=groq,gemini agency-script -t x >o.json'
ok_if 'groq first, gemini never asked' '[ "$(requests gemini)" -eq 2 ]'

export GROQ_BASE_URL="$O/s/503/openai/v1" OLLAMA_HOST="$DEAD_URL"
expect_code 'every provider down: exit 69' 69 \
    'AGENCY_PROVIDERS=gemini,groq,ollama agency-script -t x'
ok_if 'with one line per provider saying why' \
    'grep -q "^agency-script: gemini: 500 INTERNAL" err &&
     grep -q "^agency-script: groq: 503: Loading model" err &&
     grep -q "^agency-script: ollama: .*Couldn.t connect" err &&
     grep -q "^agency-script: every provider failed (3 tried)$" err'
check 'with offline last (the default order), offline writes it' \
    'agency-script -t x >f.json'
grep_err 'with a warning, since providers were configured' \
    'warning: every configured provider failed; the offline provider'

# Keys: a credentials file, refused when others can read it.
unset GEMINI_API_KEY
export GEMINI_BASE_URL="$G/s/ok"
mkdir -p config/agency/credentials
printf '%s\n' "$GK" >config/agency/credentials/gemini
chmod 644 config/agency/credentials/gemini
expect_code 'a credentials file others can read is refused' 77 \
    'agency-script -P gemini -t x'
grep_err 'saying how to fix it' "may be read by others \(mode 0644\).*chmod 600"
chmod 600 config/agency/credentials/gemini
check 'a 0600 credentials file is used' 'agency-script -P gemini -t x -vvv >k.json'
ok_if 'the key was sent' '[ "$(json_get k.json "d[\"provider\"]")" = gemini ]'
ok_if 'and is nowhere on stderr at -vvv' '! grep -q "$GK" err'
rm config/agency/credentials/gemini
cat >kc.yaml <<YAML
providers:
  gemini:
    key_cmd: printf '%s' $GK
YAML
check 'key_cmd prints the key' 'agency-script --config kc.yaml -P gemini -t x'
cat >kf.yaml <<'YAML'
providers:
  gemini:
    key_cmd: exit 3
YAML
expect_code 'a failing key_cmd is a config error' 78 \
    'agency-script --config kf.yaml -P gemini -t x'
grep_err 'naming it' 'providers.gemini.key_cmd exited 3'

export GEMINI_API_KEY=$GK
check 'dry run' 'agency-script --dry-run -t "cold brew" -P gemini'
ok_if 'prints the request with the key hidden' \
    'grep -q "^POST $G/s/ok/v1beta/models/gemini-2.5-flash:generateContent" out &&
     grep -q "^x-goog-api-key: \*\*\*" out && ! grep -q "$GK" out'
n=$(requests gemini)
ok_if 'and sends nothing' '[ "$(requests gemini)" -eq "$n" ]'
check 'dry run of the whole chain' 'agency-script --dry-run -t x'
ok_if 'describes each provider in order, keys hidden' \
    'grep -q "^# gemini: gemini" out && grep -q "^# groq: openai" out &&
     grep -q "^Authorization: Bearer \*\*\*" out &&
     grep -q "^# offline: offline" out && ! grep -q "$QK" out'
ok_if 'no key in any row of the store' \
    'sqlite3 data/agency/agency.db .dump >dump.sql &&
     grep -q "INSERT INTO llm_calls" dump.sql &&
     ! grep -q "$GK" dump.sql && ! grep -q "$QK" dump.sql'

check 'log lists the calls, newest first' 'agency-script log -n 3 --json'
ok_if 'with provider, tokens, cost and outcome' \
    'head -n 1 out | python3 -c "import json,sys
r=json.load(sys.stdin)
assert r[\"provider\"] == \"gemini\" and r[\"outcome\"] == \"ok\"
assert r[\"tokens_in\"] == 120 and r[\"cost\"] > 0 and r[\"run_id\"]"'
rows=$(sqlite3 data/agency/agency.db 'select count(*) from llm_calls')
check '--no-log' 'agency-script --no-log -P gemini -t x'
ok_if 'adds no row' \
    '[ "$(sqlite3 data/agency/agency.db "select count(*) from llm_calls")" -eq "$rows" ]'
ok_if 'and, with no cooldown to look up, does not open the store' \
    'AGENCY_DB=$T/none.db agency-script --no-log -P gemini -t x >/dev/null &&
     [ ! -e none.db ]'

n=$(requests gemini)
check '--cache: the first run asks' 'agency-script --cache -P gemini -t "cached one" >c1.json'
check 'the second run is answered from the cache' \
    'agency-script --cache -P gemini -t "cached one" >c2.json'
ok_if 'one request in all, the same script, cost 0' \
    '[ $(( $(requests gemini) - n )) -eq 1 ] &&
     [ "$(json_get c1.json "d[\"id\"]")" = "$(json_get c2.json "d[\"id\"]")" ] &&
     [ "$(json_get c2.json "d[\"meta\"][\"attempts\"][0][\"outcome\"]")" = cached ] &&
     [ "$(json_get c2.json "d[\"meta\"][\"cost\"]")" = 0 ]'
expect_code 'a terminal stdin is refused, not waited on' 66 \
    'script -qec "agency-script" /dev/null </dev/null'
done_testing
