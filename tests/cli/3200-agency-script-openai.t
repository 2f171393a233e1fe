#!/bin/sh
# agency-script against a fake OpenAI-compatible server in Groq's
# flavour, and a llama.cpp-style endpoint configured by name.
. "${0%/*}/../lib.sh"
. "$TESTS/lib-llm.sh"
plan 29
KEY=gsk_test_0123456789
export GROQ_API_KEY=$KEY
fake openai --key "$KEY"
O=$FAKE_URL
grq() {
	_s=$1
	shift
	GROQ_BASE_URL="$O/s/$_s/openai/v1" agency-script --provider groq -t "cold brew" "$@"
}
last() {
	tail -n 1 openai.log | python3 -c "import json,sys
r=json.load(sys.stdin); $1"
}

check 'a plain answer' 'grq ok >s.json'
ok_if 'is a valid script from groq with its tokens' 'script_ok s.json &&
    [ "$(json_get s.json "d[\"meta\"][\"tokens\"][\"out\"]")" = 700 ]'
ok_if 'Bearer key, /chat/completions, json_schema strict, max_tokens' \
    'last "assert r[\"headers\"][\"authorization\"] == \"Bearer $KEY\"
assert r[\"path\"].endswith(\"/openai/v1/chat/completions\")
b = r[\"body\"]
assert b[\"response_format\"][\"type\"] == \"json_schema\"
assert b[\"response_format\"][\"json_schema\"][\"strict\"] is True
assert b[\"messages\"][0][\"role\"] == \"system\" and \"max_tokens\" in b"'
check 'streaming: comments, deltas, usage chunk, [DONE]' \
    'grq ok --stream >st.json'
ok_if 'the usage of the last chunk is counted' \
    '[ "$(json_get st.json "d[\"meta\"][\"tokens\"][\"in\"]")" = 150 ]'
check 'vLLM usage chunk with choices null' 'grq vllm --stream'
check 'json_validate_failed: failed_generation is repaired' \
    'grq json-failed >j.json'
ok_if 'locally, in one request' \
    '[ "$(json_get j.json "len(d[\"meta\"][\"attempts\"])")" = 1 ]'
check 'json_schema refused: steps down to json_object' \
    'grq "schema-refused*9" -v'
ok_if 'the second request asked for json_object' \
    'last "assert r[\"body\"][\"response_format\"] == {\"type\": \"json_object\"}"'
check 'any response_format refused: the prompt alone' 'grq format-refused -v'
ok_if 'the last request had no response_format' \
    'last "assert \"response_format\" not in r[\"body\"]"'
check 'finish_reason length: asks again for less' 'grq "length*1"'
check '429 with retry-after: waits and retries' 'grq "429*1" -v'
grep_err 'honouring retry-after' 'retry 1 of 2 in 1\.0 s'
check 'an error event inside a 200 stream: retried' \
    'grq "stream-error*1" --stream'
check 'prose and fences' 'grq prose && grq fenced'
expect_code 'a refusal fails over' 69 'grq refusal'
grep_err 'quoting it' 'groq: the model refused: I can.t help with that'
expect_code 'content_filter fails over' 69 'grq content-filter'
expect_code 'a wrong key fails over' 69 'GROQ_API_KEY=gsk_wrong_000 grq ok'
grep_err 'the key was refused' 'groq: the provider refused the key.*401'
expect_code 'insufficient_quota cools down' 69 'grq quota'
n0=$(requests openai)
expect_code 'and the next run does not ask' 69 'grq ok'
ok_if 'no request was sent' '[ "$(requests openai)" -eq "$n0" ]'

# A llama.cpp server: an OpenAI-compatible endpoint of any name, no key.
start_server fake_openai.py --log "$T/openai.log"
O=$SERVER_URL
cat >c.yaml <<YAML
providers:
  llamacpp:
    type: openai
    base_url: $O/s/ok/v1
    model: qwen2.5-7b-instruct
script:
  order: [llamacpp]
YAML
check 'an extra OpenAI-compatible endpoint by name, without a key' \
    'agency-script --config c.yaml -t "cold brew" >l.json'
ok_if 'answers as llamacpp with its model' \
    '[ "$(json_get l.json "d[\"provider\"]")" = llamacpp ] &&
     last "assert \"authorization\" not in r[\"headers\"]
assert r[\"body\"][\"model\"] == \"qwen2.5-7b-instruct\""'
expect_code 'a provider without a base URL is a config error' 78 \
    'agency-script -P nowhere -t x'
grep_err 'saying what to set' 'set providers.nowhere.base_url'
done_testing
