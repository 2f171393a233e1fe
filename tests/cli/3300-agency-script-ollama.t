#!/bin/sh
# agency-script against a fake Ollama: /api/tags, /api/chat with NDJSON.
. "${0%/*}/../lib.sh"
. "$TESTS/lib-llm.sh"
plan 14
fake ollama --models llama3.2:latest
L=$FAKE_URL
oll() {
	_s=$1
	shift
	OLLAMA_HOST="$L/s/$_s" agency-script --provider ollama -t "cold brew" "$@"
}

check 'a plain answer (no stream)' 'oll ok >s.json'
ok_if 'is a valid script from ollama with its counts' 'script_ok s.json &&
    [ "$(json_get s.json "d[\"meta\"][\"tokens\"][\"out\"]")" = 400 ]'
ok_if 'the model was looked up in /api/tags first' \
    'grep -q "\"path\": \"/s/ok/api/tags\"" ollama.log'
ok_if 'the schema went in format, stream false' \
    'tail -n 1 ollama.log | python3 -c "import json,sys
b=json.load(sys.stdin)[\"body\"]
assert b[\"format\"][\"type\"] == \"object\" and b[\"stream\"] is False
assert b[\"options\"][\"num_predict\"] > 0"'
check 'NDJSON streaming' 'oll ok --stream >st.json'
ok_if 'gives the same script' 'script_ok st.json'
check 'fenced JSON' 'oll fenced'
check 'an {"error"} line inside the stream: retried' \
    'oll "error-line*1" --stream -v >e.json'
ok_if 'the broken answer was thrown away' \
    '[ "$(json_get e.json "[a[\"outcome\"] for a in d[\"meta\"][\"attempts\"]]")" = "[\"transient\", \"ok\"]" ]'
check 'done_reason length: asks again for less' 'oll "length*1"'
expect_code 'a model that was never pulled' 69 \
    'OLLAMA_MODEL=mistral oll ok'
grep_err 'says how to get it' "ollama pull mistral"
check 'OLLAMA_HOST without a scheme, as Ollama writes it' \
    'OLLAMA_HOST="${L#http://}/s/ok" agency-script -P ollama -t x'
expect_code '500 with {"error"}: retried, then given up' 69 'oll 500'
done_testing
