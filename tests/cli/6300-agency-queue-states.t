#!/bin/sh
# Reliability: a job that prints invalid JSON, one that times out, one
# that exits 75 and one cancelled while it runs each end in the
# documented state, with their logs kept and nothing left running.
. "${0%/*}/../lib.sh"
plan 24

plugin junk <<'EOF'
#!/bin/sh
echo "junk: about to print nonsense" >&2
echo 'this is not JSON'
EOF
plugin hang <<'EOF'
#!/bin/sh
echo "hang: $1" >&2
sleep 60 &
echo "$$ $!" >"$T/pids.$1"
wait
echo '{}'
EOF
plugin busy <<'EOF'
#!/bin/sh
echo "busy: the service is down, try later" >&2
exit 75
EOF
export T
agency config set queue.backoff 600 >/dev/null

agency-queue submit -n -m 1 junk >/dev/null			# 1
agency-queue submit -n -m 1 -t 1 hang timeout >/dev/null	# 2
agency-queue submit -n -m 1 busy >/dev/null			# 3
agency-queue submit -n hang cancel >/dev/null			# 4
agency-queue run --once -j 4 --lease 3 >runner.out 2>runner.err &
runner=$!

# Cancel job 4 once it runs (bounded wait, no timing assumed).
i=0
while [ ! -s pids.cancel ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i + 1)); done
check 'cancel a running job' 'agency-queue cancel 4'
wait $runner
rc=$?
ok_if 'the runner ends, saying attempts failed (exit 1)' '[ $rc -eq 1 ]'

ok_if 'invalid JSON: the job is dead' \
    '[ "$(job_field 1 "d[\"state\"]")" = dead ]'
ok_if 'with a clear error' \
    '[ "$(job_field 1 "d[\"error\"]")" = "stdout:1:1: invalid JSON" ]'
ok_if 'no result' '[ "$(job_field 1 "d[\"result\"]")" = None ]'
check 'its log is kept' 'agency-queue logs 1'
ok_if 'with its stderr and the verdict' \
    'grep -q "^junk: about to print nonsense$" out &&
     grep -q "^agency-queue: attempt 1: stdout:1:1: invalid JSON; dead after 1 failures$" out'

ok_if 'timeout: the job is dead' \
    '[ "$(job_field 2 "d[\"state\"] + \" \" + d[\"runs\"][0][\"outcome\"]")" = "dead timeout" ]'
ok_if 'saying it timed out' \
    '[ "$(job_field 2 "d[\"error\"]")" = "timed out after 1 s" ]'
check 'its log is kept' 'agency-queue logs 2'
ok_if 'with its stderr' 'grep -q "^hang: timeout$" out && grep -q "timed out" out'
ok_if 'its whole process group is gone' \
    'gone $(cat pids.timeout)'

ok_if 'exit 75: the job failed and will be retried' \
    '[ "$(job_field 3 "d[\"state\"] + \" \" + d[\"runs\"][0][\"outcome\"]")" = "failed tempfail" ]'
ok_if 'the attempt does not count against max_attempts' \
    '[ "$(job_field 3 "[d[\"attempts\"], d[\"failures\"], d[\"max_attempts\"]]")" = "[1, 0, 1]" ]'
ok_if 'its next attempt is later (backoff)' \
    'job_field 3 "d[\"run_at\"] > d[\"created_at\"]" | grep -q True'
check 'its log is kept' 'agency-queue logs 3'
ok_if 'with its stderr and when it runs next' \
    'grep -q "^busy: the service is down" out && grep -q "next attempt at" out'
check 'it is not run again before its time' 'agency-queue run --once'
ok_if 'so it still has one attempt' '[ "$(job_field 3 "d[\"attempts\"]")" = 1 ]'

ok_if 'cancelled while running: the job is cancelled' \
    '[ "$(job_field 4 "d[\"state\"] + \" \" + d[\"runs\"][0][\"outcome\"]")" = "cancelled cancelled" ]'
check 'its log is kept' 'agency-queue logs 4'
ok_if 'with its stderr' \
    'grep -q "^hang: cancel$" out && grep -q "stopped: the job was cancelled" out'
ok_if 'its whole process group is gone' \
    'gone $(cat pids.cancel)'
ok_if 'the runner never said the store was locked' \
    '! grep -Eqi "locked|busy for" runner.err'
done_testing
