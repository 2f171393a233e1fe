#!/bin/sh
# agency-queue work: SIGTERM lets running jobs finish within the grace
# period, then gives them back to the queue; a second SIGINT aborts; a
# runner killed with -9 loses its jobs to the next runner, which also
# stops what the dead one left running.
. "${0%/*}/../lib.sh"
plan 21

# wait_for FILE: until FILE exists (bounded; no timing is assumed).
wait_for() {
	_i=0
	while [ ! -e "$1" ] && [ $_i -lt 600 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
}

# gate NAME: says it started, then waits for $T/open.NAME.
plugin gate <<'EOF'
#!/bin/sh
echo "gate $1: started" >&2
echo $$ >"$T/started.$1"
while [ ! -e "$T/open.$1" ]; do sleep 0.05; done
echo "{\"gate\":\"$1\"}"
EOF
plugin nap <<'EOF'
#!/bin/sh
echo $$ >"$T/started.$1"
sleep 60
EOF
export T

agency-queue submit -n gate a >/dev/null			# 1
agency-queue work --grace 60 >work.out 2>work.err &
w=$!
wait_for started.a
agency-queue submit -n gate b >/dev/null			# 2
kill -TERM $w
sleep 0.2
: >open.a
wait $w
rc=$?
ok_if 'SIGTERM: work waits for its running job, then exits 0' '[ $rc -eq 0 ]'
ok_if 'the job it was running is done' \
    '[ "$(job_field 1 "d[\"state\"]")" = done ]'
ok_if 'it claimed nothing after the signal' \
    '[ "$(job_field 2 "d[\"state\"]")" = queued ] && [ ! -e started.b ]'

agency-queue work --grace 0.2 >work.out 2>work.err &
w=$!
wait_for started.b
kill -TERM $w
wait $w
rc=$?
ok_if 'past the grace period it stops the job and exits 0' '[ $rc -eq 0 ]'
ok_if 'the job goes back to the queue' \
    '[ "$(job_field 2 "d[\"state\"] + \" \" + d[\"runs\"][0][\"outcome\"]")" = "queued interrupted" ]'
ok_if 'without counting a failure' '[ "$(job_field 2 "d[\"failures\"]")" = 0 ]'
ok_if 'and its child is gone' 'gone "$(cat started.b)"'
: >open.b
check 'the next runner does it' 'agency-queue run --once'
ok_if 'so it is done' \
    '[ "$(job_field 2 "d[\"state\"] + \" \" + str(d[\"attempts\"])")" = "done 2" ]'

agency-queue submit -n nap c >/dev/null			# 3
agency-queue submit -n nap d >/dev/null			# 4
agency-queue work -j 2 --grace 600 >work.out 2>work.err &
w=$!
wait_for started.c
wait_for started.d
kill -INT $w
sleep 0.2
kill -INT $w
wait $w
rc=$?
ok_if 'a second SIGINT aborts (exit 130)' '[ $rc -eq 130 ]'
ok_if 'its jobs go back to the queue' \
    '[ "$(agency-queue ls -s queued | wc -l)" -eq 2 ]'
ok_if 'and their children are gone' \
    'gone "$(cat started.c)" "$(cat started.d)"'

# pid_recorded JOB: until the runner has recorded the child of the job's
# last attempt (it does so just after starting it).
pid_recorded() {
	_i=0
	while [ -z "$(sqlite3 data/agency/agency.db "SELECT pid FROM job_attempts
	    WHERE job_id = $1 ORDER BY n DESC LIMIT 1")" ] && [ $_i -lt 600 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
}

agency-queue cancel 4 >/dev/null
rm -f started.c
agency-queue run --once --lease 1 >run.out 2>run.err &
w=$!
wait_for started.c
pid_recorded 3
kill -9 $w
wait $w 2>/dev/null
child=$(cat started.c)
ok_if 'kill -9: the job stays running, held by a lease' \
    '[ "$(job_field 3 "d[\"state\"]")" = running ]'
ok_if 'and its child lives on, in its own group' 'kill -0 $child'
sleep 1.2
check 'once the lease expired, the next runner reaps it' \
    'agency-queue -v run --once -Q none'
grep_err 'saying so' \
    'job 3: attempt 2 lost: runner .* stopped renewing its lease'
ok_if 'and kills what the dead runner left running' \
    'gone $child'
ok_if 'the job is queued again, the lost attempt counted' \
    '[ "$(job_field 3 "(d[\"state\"], d[\"failures\"], d[\"runs\"][-1][\"outcome\"])")" = \
      "('"'"'queued'"'"', 1, '"'"'lost'"'"')" ]'
agency-queue cancel 3 >/dev/null

agency-queue submit -n nap e >/dev/null			# 5
agency-queue run --once --lease 600 >/dev/null 2>&1 &
w=$!
wait_for started.e
kill -9 $w
wait $w 2>/dev/null
check 'a lease that has not expired' 'agency-queue run --once'
ok_if 'is not reaped: the job is still running' \
    '[ "$(job_field 5 "d[\"state\"]")" = running ]'
ok_if 'and no one started it again' \
    '[ "$(job_field 5 "d[\"attempts\"]")" = 1 ]'
kill "$(cat started.e)" 2>/dev/null
done_testing
