#!/bin/sh
# agency-queue ls, show, logs (-a, -f), retry (and --dead), cancel, purge
# and stats.
. "${0%/*}/../lib.sh"
plan 54

plugin ok <<'EOF'
#!/bin/sh
echo "ok: working on $1" >&2
echo '{"kind":"agency.test","version":1}'
EOF
plugin no <<'EOF'
#!/bin/sh
echo "no: cannot do $1" >&2
exit 2
EOF
plugin slow <<'EOF'
#!/bin/sh
echo "slow: line one" >&2
while [ ! -e "$T/go" ]; do sleep 0.05; done
echo "slow: line two" >&2
echo '{}'
EOF
export T
agency config set queue.backoff 0 >/dev/null

agency-queue submit -n ok a >/dev/null
agency-queue submit -n -m 2 no b >/dev/null
agency-queue submit -n -Q other ok c >/dev/null
agency-queue submit -n --in 1h ok d >/dev/null
expect_code 'run them: one fails' 1 'agency-queue run --once'

check 'ls prints every job' 'agency-queue ls'
ok_if 'as NDJSON when not on a terminal' \
    '[ "$(grep -c "^{\"kind\":\"agency.job\",\"version\":1," out)" -eq 4 ]'
check 'ls --state' 'agency-queue ls -s dead'
ok_if 'filters by state' '[ "$(wc -l <out)" -eq 1 ] && grep -q "\"id\":2," out'
check 'ls -s done,queued -t ok -Q default' \
    'agency-queue ls -s done,queued -t ok -Q default'
ok_if 'combines filters' '[ "$(wc -l <out)" -eq 2 ]'
check 'ls --limit' 'agency-queue ls -n 1'
ok_if 'stops there' '[ "$(wc -l <out)" -eq 1 ] && grep -q "\"id\":1," out'
check 'ls --since' 'agency-queue ls --since 1h'
ok_if 'counts from a duration ago' '[ "$(wc -l <out)" -eq 4 ]'
check 'ls --since a time' 'agency-queue ls --since 2099-01-01T00:00:00Z'
ok_if 'or from a time' '[ ! -s out ]'
expect_code 'ls with an unknown state' 64 'agency-queue ls -s finished'
check 'ls on a terminal' 'script -qec "agency-queue ls -s dead" /dev/null'
ok_if 'is a table with a header' \
    'grep -q "^ *ID  STATE " out && grep -Eq "^ +2  dead +no +default +2/2 " out'
check 'ls --json on a terminal' 'script -qec "agency-queue ls --json -s dead" /dev/null'
ok_if 'is NDJSON' 'grep -q "^{\"kind\":\"agency.job\"" out'

check 'show' 'agency-queue show 2'
ok_if 'has the attempts, each with its exit and log' \
    '"$PY" -c "import json
d=json.load(open(\"out\"))
assert [(r[\"n\"], r[\"outcome\"], r[\"exit_code\"]) for r in d[\"runs\"]] == [(1, \"failed\", 2), (2, \"failed\", 2)]
assert all(r[\"log\"].endswith(\"/2/%d.log\" % r[\"n\"]) for r in d[\"runs\"])"'
ok_if 'and the last error' \
    '[ "$(json_get out "d[\"error\"]")" = "exit 2: no: cannot do b" ]'
expect_code 'show of a job that does not exist' 66 'agency-queue show 99'
grep_err 'says so' '^agency-queue: job 99: no such job$'
expect_code 'show of something that is not an id' 64 'agency-queue show x'

check 'logs prints the last attempt' 'agency-queue logs 2'
ok_if 'its stderr and how it ended' \
    '[ "$(sed -n 1p out)" = "no: cannot do b" ] &&
     grep -q "^agency-queue: attempt 2: exit 2: no: cannot do b; dead after 2 failures$" out'
check 'logs -a 1' 'agency-queue logs -a 1 2'
ok_if 'the first attempt' 'grep -q "attempt 1: exit 2: .*; next attempt at" out'
expect_code 'logs of an attempt that never was' 66 'agency-queue logs -a 5 2'
expect_code 'logs of a job that has not run' 66 'agency-queue logs 4'
grep_err 'says so' 'job 4 has not run yet'

check 'cancel a queued job' 'agency-queue cancel 4'
ok_if 'it is cancelled' \
    '[ "$(json_get out "d[\"state\"]")" = cancelled ]'
expect_code 'cancel a done job' 65 'agency-queue cancel 1'
grep_err 'cannot' 'job 1 is done already'
expect_code 'cancel one that does not exist' 66 'agency-queue cancel 77'

check 'retry the dead job' 'agency-queue retry 2'
ok_if 'it is queued again with a fresh count' \
    '[ "$(json_get out "[d[\"state\"], d[\"failures\"], d[\"attempts\"]]")" = "[\"queued\", 0, 2]" ]'
expect_code 'retry a done job' 65 'agency-queue retry 1'
expect_code 'which fails again' 1 'agency-queue run --once'
check 'retry --dead' 'agency-queue retry --dead'
ok_if 'queues every dead job' '[ -z "$(agency-queue ls -s dead)" ]'
expect_code 'retry --dead and an id' 64 'agency-queue retry --dead 2'

agency-queue submit -n slow >/dev/null
agency-queue run --once >/dev/null 2>&1 &
runner=$!
check 'logs -f follows a running attempt' \
    '(sleep 0.5; : >"$T/go") & agency-queue logs -f 5'
ok_if 'to its end' \
    '[ "$(cat out)" = "slow: line one
slow: line two" ]'
wait $runner

check 'stats' 'agency-queue stats'
ok_if 'counts jobs by state, attempts, percentiles' \
    '"$PY" -c "import json
d=json.load(open(\"out\"))
assert d[\"kind\"]==\"agency.queue.stats\"
assert d[\"jobs\"]==dict(queued=0,running=0,done=3,failed=0,dead=1,cancelled=1), d[\"jobs\"]
assert d[\"attempts\"][\"ended\"]==9 and d[\"attempts\"][\"done\"]==3
assert d[\"wait\"][\"p50\"] <= d[\"wait\"][\"p90\"] <= d[\"wait\"][\"max\"]
assert d[\"run\"][\"p99\"] <= d[\"run\"][\"max\"] and d[\"throughput\"] > 0"'

check 'purge keeps what is recent' 'agency-queue purge --older-than 1h'
ok_if 'nothing went' '[ "$(agency-queue ls | wc -l)" -eq 5 ]'
check 'purge --older-than 0 -s dead' 'agency-queue purge --older-than 0 -s dead'
ok_if 'takes the dead job' '[ "$(agency-queue ls | wc -l)" -eq 4 ] && [ -z "$(agency-queue ls -s dead)" ]'
ok_if 'and its folder' '[ ! -e data/agency/jobs/2 ]'
expect_code 'purge of a state that never ends' 64 \
    'agency-queue purge --older-than 0 -s queued'
expect_code 'purge needs --older-than' 64 'agency-queue purge'
done_testing
