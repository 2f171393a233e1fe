#!/bin/sh
# agency-script against a fake Gemini API: the wire format, streaming
# with CRLF and split UTF-8, repairs, waits, blocks, cooldown.
. "${0%/*}/../lib.sh"
. "$TESTS/lib-llm.sh"
plan 39
KEY=gk-test-0123456789
export GEMINI_API_KEY=$KEY
printf "providers:\n  gemini:\n    idle_timeout: 1\nscript:\n  retries: 0\n" >idle.yaml
fake gemini --key "$KEY"
G=$FAKE_URL
# gem SCENARIO ARGS...: agency-script with Gemini at SCENARIO only.
gem() {
	_s=$1
	shift
	GEMINI_BASE_URL="$G/s/$_s" agency-script --provider gemini -t "cold brew" "$@"
}

check 'a plain answer' 'gem ok >s.json'
ok_if 'is a valid script from gemini' 'script_ok s.json &&
    [ "$(json_get s.json "d[\"provider\"]")" = gemini ]'
ok_if 'with the model that answered and the tokens' \
    '[ "$(json_get s.json "d[\"model\"]")" = gemini-fake-001 ] &&
     [ "$(json_get s.json "d[\"meta\"][\"tokens\"][\"in\"]")" = 120 ]'
ok_if 'the key went in x-goog-api-key, never in the URL' \
    'tail -n 1 gemini.log | python3 -c "import json,sys
r=json.load(sys.stdin)
assert r[\"headers\"][\"x-goog-api-key\"] == \"$KEY\"
assert \"key=\" not in r[\"path\"] and r[\"path\"].endswith(\":generateContent\")"'
ok_if 'with responseMimeType, responseSchema and the system prompt' \
    'tail -n 1 gemini.log | python3 -c "import json,sys
b=json.load(sys.stdin)[\"body\"]
g=b[\"generationConfig\"]
assert g[\"responseMimeType\"] == \"application/json\"
assert g[\"responseSchema\"][\"type\"] == \"OBJECT\"
assert g[\"responseSchema\"][\"propertyOrdering\"][:2] == [\"title\", \"hook\"]
assert \"JSON\" in b[\"systemInstruction\"][\"parts\"][0][\"text\"]"'
check 'streaming (SSE, CRLF, UTF-8 split across writes)' \
    'gem ok --stream >st.json'
ok_if 'gives the same script' '[ "$(json_get st.json "d[\"title\"]")" = \
    "Cold brew in 30 seconds — no fancy gear" ]'
grep_err 'and shows the tokens on stderr' 'Crème fraîche'
ok_if 'through streamGenerateContent?alt=sse' \
    'tail -n 1 gemini.log | grep -q "streamGenerateContent?alt=sse"'
check 'fenced JSON is unwrapped' 'gem fenced >f.json'
ok_if '(valid)' 'script_ok f.json'
check 'prose around the JSON is skipped' 'gem prose >p.json'
check 'a trailing comma is repaired locally' 'gem trailing-comma'
n0=$(requests gemini)
check 'invalid output is repaired by asking again' 'gem "invalid*1" -v >r.json'
ok_if 'two requests, the second with the problems listed' \
    '[ $(( $(requests gemini) - n0 )) -eq 2 ] && tail -n 1 gemini.log |
     grep -q "That output is invalid" && tail -n 1 gemini.log | grep -q "hook"'
ok_if 'and the attempts say so' \
    '[ "$(json_get r.json "[a[\"outcome\"] for a in d[\"meta\"][\"attempts\"]]")" = "[\"invalid\", \"ok\"]" ]'
expect_code 'output that stays invalid fails after two repairs' 69 \
    'gem invalid'
grep_err 'saying so' 'gemini: the output is still invalid after 2 repairs'
check '429 with RetryInfo 0.2s: waits and retries' 'gem "429-retryinfo*1" -v'
grep_err 'the wait it was asked for' 'retry 1 of 2 in 0\.2 s'
check '503: retries' 'gem "503*1"'
check 'MAX_TOKENS with no text: asks again for less' 'gem "maxtokens*1" -v'
ok_if 'with a doubled token budget' \
    'tail -n 1 gemini.log | grep -q "\"maxOutputTokens\": 16384"'
check 'a schema that is too complex: JSON mode instead' 'gem "schema*1" -v'
grep_err 'stepping down' 'asking with JSON mode'
expect_code 'a blocked prompt fails over at once' 69 'gem blocked'
grep_err 'saying why' 'gemini: the prompt was blocked \(SAFETY\)'
expect_code 'a safety stop likewise' 69 'gem safety'
grep_err 'naming the reason' 'blocked \(SAFETY\)'
check 'an error object inside a 200 stream: retried' \
    'gem "stream-error*1" --stream -v >se.json'
ok_if 'the broken answer was thrown away' \
    '[ "$(json_get se.json "[a[\"outcome\"] for a in d[\"meta\"][\"attempts\"]]")" = "[\"transient\", \"ok\"]" ]'
expect_code 'a bad key fails over' 69 'GEMINI_API_KEY=wrong-key-000 gem ok'
grep_err 'the key was refused' 'refused the key.*API_KEY_INVALID|API key not valid'
expect_code 'a stalled stream hits the idle timeout' 69 \
    'AGENCY_CONFIG=idle.yaml gem stall --stream'
ok_if 'no cooldown yet: no hint beside the store' \
    '[ ! -e data/agency/agency.db.cooldown ]'
expect_code 'a per-day quota: 429 and cooldown' 69 'gem 429-perday'
ok_if 'the hint beside the store is dated when the cooldown ends' \
    '[ "$(stat -c %Y data/agency/agency.db.cooldown)" -gt "$(date +%s)" ]'
n0=$(requests gemini)
expect_code 'the next run skips gemini without asking' 69 'gem ok -v'
ok_if 'no request was sent' '[ "$(requests gemini)" -eq "$n0" ] &&
    grep -q "skipped: cooling down until" err'
done_testing
