#!/bin/sh
# agency-script with no key and nothing listening: the offline provider
# writes the script, deterministically (goldens), from every kind of brief.
. "${0%/*}/../lib.sh"
. "$TESTS/lib-llm.sh"
plan 40
B=$FIX/script
# The defaults as they are, Ollama's included, unless an Ollama really
# runs on this machine (then it stays pointed at a dead port).
if python3 -c 'import socket, sys
s = socket.socket()
sys.exit(s.connect_ex(("127.0.0.1", 11434)) != 0)'; then
	quiet_skip=' # SKIP an Ollama listens on 127.0.0.1:11434'
else
	unset OLLAMA_HOST
	quiet_skip=''
fi

check 'a brief with no flags, no key, no network' \
    'agency-script --brief "$B/sourdough.md" >s.json'
ok_if "and no warning when nothing was configured$quiet_skip" \
    '[ -n "$quiet_skip" ] || ! [ -s err ]'
ok_if 'one valid agency.script document' 'script_ok s.json'
ok_if 'written by the offline provider' \
    '[ "$(json_get s.json "d[\"provider\"]")" = offline ]'
check_same 'the markdown brief matches its golden' 'norm <s.json' \
    "cat '$GOLDEN/3000-sourdough.json'"
check 'again, at -v' 'agency-script -v --brief "$B/sourdough.md"'
grep_err 'says the offline provider wrote it' \
    'info: no provider is configured.*offline provider writes'
grep_err 'and why the others were skipped' \
    'info: gemini: skipped: no API key \(GEMINI_API_KEY'
check_same 'the same brief gives the same document' 'norm <out' 'norm <s.json'

check 'a YAML brief' 'agency-script --brief "$B/brief.yaml" >y.json'
check_same 'matches its golden' 'norm <y.json' \
    "cat '$GOLDEN/3000-basil.json'"
ok_if 'its platforms and duration are used' \
    'python3 -c "import json; d=json.load(open(\"y.json\"));
assert sorted(d[\"captions\"]) == [\"x\", \"youtube\"]
assert len(d[\"captions\"][\"x\"][\"description\"]) <= 280"'
check 'markdown with YAML front matter, in German, from stdin' \
    'agency-script <"$B/front.md" >f.json'
check_same 'matches its golden' 'norm <f.json' \
    "cat '$GOLDEN/3000-front.json'"
check 'plain text on stdin with flags as parameters' \
    'agency-script -p tiktok,x -l en -d 30 <"$B/plain.txt" >p.json'
check_same 'matches its golden' 'norm <p.json' \
    "cat '$GOLDEN/3000-plain.json'"
check 'a topic alone' 'agency-script --topic "3 sourdough mistakes" >t.json'
check_same 'matches its golden' 'norm <t.json' \
    "cat '$GOLDEN/3000-topic.json'"
ok_if 'the hook is the first line of the brief' \
    '[ "$(json_get s.json "d[\"hook\"]")" = "Your starter is not the problem." ]'

check 'three variants' 'agency-script -n 3 --brief "$B/sourdough.md" >v.json'
ok_if 'are three documents, one a line, with different hooks' \
    '[ "$(wc -l <v.json)" -eq 3 ] && script_ok v.json &&
     [ "$(python3 -c "import json,sys
print(len({json.loads(l)[\"hook\"] for l in open(\"v.json\")}))")" -eq 3 ]'

expect_code 'an unknown platform is a usage error' 64 \
    'agency-script -t x -p tiktok,myspace'
grep_err 'naming it and the known ones' "unknown platform 'myspace' \(known: "
expect_code 'a missing brief file' 66 'agency-script --brief nope.md'
grep_err 'is named' "cannot read 'nope.md'"
printf '\n\n' >empty.md
expect_code 'an empty brief is bad data' 65 'agency-script --brief empty.md'
printf 'topic: [unclosed\n' >bad.yaml
expect_code 'broken YAML is bad data' 65 'agency-script --brief bad.yaml'
grep_err 'with file:line:column' '^agency-script: bad.yaml:[0-9]+:[0-9]+: '
expect_code 'an unknown template is a usage error' 64 \
    'agency-script -t x -T nosuch'

mkdir -p config/agency/templates
printf 'schema: script\nprompt: "about {{topik}}"\n' \
    >config/agency/templates/typo.yaml
expect_code 'a template with an unknown variable is refused' 65 \
    'agency-script -t x -T typo'
grep_err 'naming the variable' "unknown variable '\{\{topik\}\}'"

check 'templates lists the shipped templates' 'agency-script templates'
ok_if 'as NDJSON with name, schema, origin' \
    'grep -q "\"name\":\"script\",\"schema\":\"script\",\"origin\":\"shipped\"" out &&
     grep -q "\"name\":\"ideas\",\"schema\":\"ideas\"" out'
ok_if 'and the user'"'"'s own' \
    'grep -q "\"name\":\"typo\",\"schema\":\"script\",\"origin\":\"user\"" out'

check 'ideas for a niche, offline' \
    'agency-script ideas --niche "home espresso" --count 4 >ideas.ndjson'
ok_if 'four agency.idea documents' \
    '[ "$(grep -c "\"kind\":\"agency.idea\"" ideas.ndjson)" -eq 4 ]'
check 'an idea feeds straight back in' \
    'head -n 1 ideas.ndjson | agency-script >i.json'
ok_if 'as the topic of a script' 'script_ok i.json &&
    [ "$(json_get i.json "d[\"topic\"]")" = "3 home espresso mistakes beginners make" ]'
check 'log shows the calls' 'agency-script log -n 2 --json'
ok_if 'newest first, offline' \
    '[ "$(wc -l <out)" -eq 2 ] && head -n 1 out | grep -q "\"provider\":\"offline\""'
done_testing
