#!/bin/sh
# agency-queue submit: jobs, input, times, unique keys, dependencies,
# pipelines and batches, and the errors a user can make.
. "${0%/*}/../lib.sh"
plan 52

plugin echo <<'EOF'
#!/bin/sh
cat
EOF

check 'submit a job' 'agency-queue submit --no-input echo hello "big world"'
ok_if 'it prints an agency.job, queued' \
    '[ "$(json_get out "[d[\"kind\"], d[\"id\"], d[\"type\"], d[\"state\"],
      d[\"args\"], d[\"attempts\"], d[\"queue\"]]")" = \
      "[\"agency.job\", 1, \"echo\", \"queued\", [\"hello\", \"big world\"], 0, \"default\"]" ]'
ok_if 'one compact line' '[ "$(wc -l <out)" -eq 1 ]'
check 'the input comes from stdin' \
    'echo "{\"kind\":\"agency.script\",\"version\":1}" | agency-queue submit echo'
ok_if 'and is kept with the job' \
    '[ "$(job_field 2 "d[\"input\"][\"kind\"]")" = agency.script ]'
echo '{"kind":"agency.edl","version":1}' >edl.json
check 'or from --input' 'agency-queue submit -i edl.json -n echo'
ok_if '--input wins over --no-input' \
    '[ "$(job_field 3 "d[\"input\"][\"kind\"]")" = agency.edl ]'
check 'input may be NDJSON' \
    'printf "{\"a\":1}\n{\"a\":2}\n" | agency-queue submit echo'
ok_if 'kept as the list of documents' \
    '[ "$(job_field 4 "len(d[\"input\"])")" = 2 ]'
printf '{"kind": oops}\n' >bad.json
expect_code 'input that is not JSON is bad data' 65 \
    'agency-queue submit -i bad.json echo'
grep_err 'naming the file, line and column' '^agency-queue: bad.json:1:'
expect_code 'a missing input file' 66 'agency-queue submit -i nope.json echo'
ok_if 'and nothing was added' \
    '[ "$(agency-queue ls | wc -l)" -eq 4 ]'

check 'options: priority, queue, attempts, timeout, a time' \
    'agency-queue submit -n -p 7 -Q slow -m 5 -t 90s --at 2030-01-02T03:04:05+01:00 echo'
ok_if 'are in the document' \
    '[ "$(json_get out "[d[\"priority\"], d[\"queue\"], d[\"max_attempts\"],
      d[\"timeout\"], d[\"run_at\"]]")" = \
      "[7, \"slow\", 5, 90, \"2030-01-02T02:04:05Z\"]" ]'
check '--in is relative to now' 'agency-queue submit -n --in 2h echo'
ok_if 'and lands in the future' \
    '"$PY" -c "import json,sys,datetime as t
d=json.load(open(\"out\"))
r=t.datetime.fromisoformat(d[\"run_at\"].replace(\"Z\",\"+00:00\"))
n=t.datetime.now(t.timezone.utc)
sys.exit(not (t.timedelta(minutes=119) < r-n < t.timedelta(minutes=121)))"'
expect_code 'a time that is not RFC 3339 is a usage error' 64 \
    'agency-queue submit -n --at tomorrow echo'
grep_err 'saying what is expected' "'--at': 'tomorrow' is not a time"
expect_code '--at and --in together' 64 \
    'agency-queue submit -n --at 2030-01-01T00:00:00Z --in 1h echo'
expect_code 'a type that is not a tool name' 64 \
    'agency-queue submit -n ../../bin/sh'
expect_code 'a bad queue name' 64 'agency-queue submit -n -Q "a b" echo'
expect_code 'a bad duration' 64 'agency-queue submit -n -t soon echo'
check '--timeout 0' 'agency-queue submit -n -t 0 echo'
ok_if 'is no limit at all' '[ "$(json_get out "d[\"timeout\"]")" = 0 ]'

check 'a unique key' 'agency-queue submit -n -u daily-report echo'
id=$(json_get out 'd["id"]')
check 'the same key again' 'agency-queue submit -n -u daily-report echo other'
ok_if 'returns the job that holds it' \
    '[ "$(json_get out "[d[\"id\"], d[\"existing\"], d[\"args\"]]")" = "[$id, true, []]" ]'

for i in 1 2 3 4 5 6 7 8 9 10; do
	agency-queue submit -n -u race echo $i >/dev/null 2>>race.err &
done
wait
ok_if 'ten submits racing with one unique key make one job' \
    '[ "$(agency-queue ls | grep -c "\"unique_key\":\"race\"")" -eq 1 ] && [ ! -s race.err ]'

check '--after waits for a job' "agency-queue submit -n --after $id echo"
ok_if 'it says what it waits for' \
    '[ "$(json_get out "[d[\"after\"], d[\"waiting\"]]")" = "[[$id], 1]" ]'
expect_code '--after a job that does not exist' 66 \
    'agency-queue submit -n --after 999 echo'
grep_err 'says so' 'job 999: no such job'
check '--input-from takes a result' "agency-queue submit --input-from $id echo"
ok_if 'and waits for it' \
    '[ "$(json_get out "[d[\"after\"], d[\"input_from\"]]")" = "[[$id], $id]" ]'
expect_code '--input and --input-from are one too many' 64 \
    "agency-queue submit -i edl.json --input-from $id echo"

check 'a pipeline' \
    "agency-queue submit -n -u pipe1 -P 'echo --topic \"3 mistakes\" | echo -x | echo y'"
ok_if 'is three chained jobs' '[ "$(wc -l <out)" -eq 3 ]'
ok_if 'each taking the one before as input' \
    '"$PY" -c "import json,sys
j=[json.loads(l) for l in open(\"out\")]
assert j[0][\"args\"]==[\"--topic\",\"3 mistakes\"] and \"after\" not in j[0]
assert j[1][\"after\"]==[j[0][\"id\"]] and j[1][\"input_from\"]==j[0][\"id\"]
assert j[2][\"input_from\"]==j[1][\"id\"] and j[2][\"args\"]==[\"y\"]
assert j[0][\"unique_key\"]==\"pipe1\" and \"unique_key\" not in j[1]"'
check 'the same unique pipeline again' \
    "agency-queue submit -n -u pipe1 -P 'echo | echo | echo'"
ok_if 'returns its first stage only' \
    '[ "$(wc -l <out)" -eq 1 ] && [ "$(json_get out "d[\"existing\"]")" = True ]'
expect_code 'a pipeline with an empty stage' 64 \
    "agency-queue submit -n -P 'echo || echo'"
expect_code 'a pipeline and operands' 64 "agency-queue submit -n -P 'echo' x"

n0=$(agency-queue ls | wc -l)
printf 'sourdough\n\n{"kind":"agency.script","version":1,"title":"t"}\nrye bread\n' >topics
check 'a batch: one pipeline per line' \
    "agency-queue submit -e topics -u 'topic:{}' -P 'echo --topic {} | echo'"
ok_if 'blank lines are skipped' '[ "$(wc -l <out)" -eq 6 ]'
ok_if '{} becomes the line, a JSON line the input' \
    '"$PY" -c "import json
j=[json.loads(l) for l in open(\"out\")]
assert j[0][\"args\"]==[\"--topic\",\"sourdough\"] and j[0][\"unique_key\"]==\"topic:sourdough\"
assert j[4][\"args\"]==[\"--topic\",\"rye bread\"]"'
sed -n 3p out >line3
ok_if 'the JSON line is the first stage input' \
    '[ "$(job_field "$(json_get line3 "d[\"id\"]")" "d[\"input\"][\"title\"]")" = t ]'
printf 'one\n{"broken":\n' >badbatch
expect_code 'a batch with a bad JSON line' 65 \
    'agency-queue submit -e badbatch echo'
grep_err 'names the line' '^agency-queue: badbatch:2: '
ok_if 'and adds nothing: one transaction' \
    '[ "$(agency-queue ls | wc -l)" -eq $((n0 + 6)) ]'
check 'a batch from stdin' 'seq 3 | agency-queue submit -e - echo {}'
ok_if 'reads the lines' \
    '"$PY" -c "import json
assert [json.loads(l)[\"args\"] for l in open(\"out\")]==[[\"1\"],[\"2\"],[\"3\"]]"' 
done_testing
