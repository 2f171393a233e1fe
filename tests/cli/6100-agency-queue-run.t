#!/bin/sh
# agency-queue run --once: results, pipelines that pass documents,
# failed stages retried alone, dependencies, order, limits, queues, the
# job's environment and folder, and the exit status.
. "${0%/*}/../lib.sh"
plan 41

# mark X: appends X to "trail" in its input document; counts its runs.
plugin mark <<'EOF'
#!/bin/sh
echo "$1" >>"$T/ran.$1"
sed "s/\"trail\":\"\([^\"]*\)\"/\"trail\":\"\1$1\"/"
EOF
# flaky: fails the first time, then passes its input on.
plugin flaky <<'EOF'
#!/bin/sh
if [ ! -e "$T/flaky.once" ]; then
	: >"$T/flaky.once"
	echo "flaky: first time fails" >&2
	exit 1
fi
cat
EOF
plugin env <<'EOF'
#!/bin/sh
cat >/dev/null
printf '{"id":"%s","attempt":"%s","type":"%s","dir":"%s","pwd":"%s"}\n' \
    "$AGENCY_JOB_ID" "$AGENCY_JOB_ATTEMPT" "$AGENCY_JOB_TYPE" \
    "$AGENCY_JOB_DIR" "$(pwd)"
echo made >made.txt
EOF
plugin two <<'EOF'
#!/bin/sh
echo '{"kind":"agency.post","platform":"a"}'
echo '{"kind":"agency.post","platform":"b"}'
EOF
plugin order <<'EOF'
#!/bin/sh
echo "$1" >>"$T/order"
EOF
plugin lim <<'EOF'
#!/bin/sh
mkdir "$T/lim.lock" 2>/dev/null || echo overlap >>"$T/overlaps"
sleep 0.2
rmdir "$T/lim.lock"
echo '{}'
EOF
plugin big <<'EOF'
#!/bin/sh
i=0
while [ $i -lt 100 ]; do echo '"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"'; i=$((i + 1)); done
EOF
export T
agency config set queue.backoff 0 >/dev/null

check 'run --once with nothing to do' 'agency-queue run --once'
ok_if 'prints nothing' '[ ! -s out ] && [ ! -s err ]'

echo '{"kind":"agency.test","version":1,"trail":""}' >in.json
agency-queue submit -i in.json -P 'mark a | flaky | mark c' >pipe.out
expect_code 'a pipeline with a stage that fails once: exit 1' 1 \
    'agency-queue run --once'
grep_err 'the failure is reported' 'job 2 \(flaky\): attempt 1: exit 1: flaky: first time fails'
ok_if 'every stage is done' \
    '[ "$(agency-queue ls -s done | wc -l)" -eq 3 ]'
ok_if 'each result is the next input: the last result has the trail' \
    '[ "$(job_field 3 "d[\"result\"][\"trail\"]")" = ac ]'
ok_if 'the failed stage ran twice' '[ "$(job_field 2 "d[\"attempts\"]")" = 2 ]'
ok_if 'the stage before it ran once' '[ "$(wc -l <ran.a)" -eq 1 ]'
ok_if 'its log says what happened' \
    'agency-queue logs -a 1 2 | grep -q "^flaky: first time fails$" &&
     agency-queue logs -a 1 2 | grep -q "^agency-queue: attempt 1: exit 1"'
check 'run --once again' 'agency-queue run --once'
ok_if 'finds nothing more' '[ ! -s err ]'

agency-queue submit -n env >/dev/null
check 'a job sees its id, attempt, type and folder' 'agency-queue run --once'
job_field 4 'd["result"]' >env.json
ok_if 'in its environment' \
    '[ "$(json_get env.json "[d[\"id\"], d[\"attempt\"], d[\"type\"]]")" = "[\"4\", \"1\", \"env\"]" ]'
ok_if 'and runs in its work folder' \
    '[ "$(json_get env.json "d[\"pwd\"]")" = "$T/data/agency/jobs/4/work" ] &&
     [ "$(json_get env.json "d[\"dir\"]")" = "$T/data/agency/jobs/4/work" ]'
ok_if 'what it made there stays' '[ -f data/agency/jobs/4/work/made.txt ]'
ok_if 'an empty log is not kept' '[ ! -e data/agency/jobs/4/1.log ]'
ok_if 'nor the folder of a job that left nothing' '[ ! -e data/agency/jobs/1 ]'

agency-queue submit -n two >/dev/null
check 'a job that prints several documents' 'agency-queue run --once'
ok_if 'has them as a list' '[ "$(job_field 5 "len(d[\"result\"])")" = 2 ]'
agency-queue submit -n -m 1 big >/dev/null
printf 'queue:\n  max_result: 1000\n' >small.yaml
expect_code 'a result larger than queue.max_result' 1 \
    'agency-queue run --once --config small.yaml'
ok_if 'fails the job' \
    '[ "$(job_field 6 "d[\"state\"] + \" \" + d[\"error\"]")" = "dead result larger than 1000 bytes (queue.max_result)" ]'

agency-queue submit -n -m 1 nosuchtool >/dev/null
expect_code 'a job whose tool is missing' 1 'agency-queue run --once'
ok_if 'fails, saying so' \
    'job_field 7 "d[\"error\"]" | grep -q "^no tool agency-nosuchtool"'

agency-queue submit -n order low >/dev/null
agency-queue submit -n -p 9 order high >/dev/null
agency-queue submit -n -p 5 order mid >/dev/null
agency-queue submit -n --in 1h order later >/dev/null
check 'jobs run by priority' 'agency-queue run --once'
ok_if 'highest first, nothing before its time' \
    '[ "$(tr "\n" " " <order)" = "high mid low " ]'

a=$(agency-queue submit -n order first | json_get /dev/stdin 'd["id"]')
agency-queue submit -n -p 9 --after "$a" order second >/dev/null
check 'a job waits for the job it comes after' 'agency-queue run --once'
ok_if 'even with a higher priority' \
    '[ "$(tail -n 2 order | tr "\n" " ")" = "first second " ]'

agency-queue submit -n -Q uploads order q-upload >/dev/null
agency-queue submit -n order q-default >/dev/null
check 'a runner of one queue' 'agency-queue run --once -Q uploads'
ok_if 'runs only its jobs' '[ "$(tail -n 1 order)" = q-upload ]'
check '--max-jobs' 'agency-queue run --once --max-jobs 1'
ok_if 'stops claiming' '[ "$(tail -n 1 order)" = q-default ]'

agency config set queue.types.lim.concurrency 1
for i in 1 2 3 4; do agency-queue submit -n lim >/dev/null; done
check 'four jobs of a type limited to one, with -j 3' \
    'agency-queue run --once -j 3'
ok_if 'all done' '[ "$(agency-queue ls -s done -t lim | wc -l)" -eq 4 ]'
ok_if 'never two at once' '[ ! -e overlaps ]'

expect_code 'run --once -j 0 is a usage error' 64 'agency-queue run --once -j 0'
printf 'queue:\n  heartbeat: 2\n' >hb.yaml
expect_code 'a heartbeat as long as the lease is refused' 78 \
    'agency-queue run --once --lease 2 --config hb.yaml'
grep_err 'saying why' 'queue.heartbeat \(2 s\) must be shorter than queue.lease'
expect_code 'a lease of 0 too' 78 'agency-queue run --once --lease 0'
expect_code 'a lease that is not a number is a usage error' 64 \
    'agency-queue run --once --lease soon'
check 'run --help' 'agency-queue run --help'
ok_if 'lists --once' 'grep -q -- "--once" out'
done_testing
