#!/bin/sh
# Reliability: two "run --once" and one "work -j 2" drain 1,000 jobs at
# the same time.  No job runs twice at once (each notes its start and
# end), none is lost, none runs twice at all (no runner dies here, so no
# lease may expire), and no "database is locked" reaches anyone.  The
# job is one sh with builtins alone, so the runners, not the jobs, are
# what this measures.
. "${0%/*}/../lib.sh"
plan 9

N=1000
plugin one <<'EOF'
#!/bin/sh
echo "start $AGENCY_JOB_ID" >>"$T/runs"
echo '{}'
echo "end $AGENCY_JOB_ID" >>"$T/runs"
EOF
export T
: >runs

seq $N | agency-queue submit -n -e - one >/dev/null
ok_if "$N jobs submitted" '[ "$(agency-queue ls -s queued | wc -l)" -eq $N ]'

agency-queue work -j 2 --lease 60 >work.out 2>work.err &
w=$!
agency-queue run --once --lease 60 >run1.out 2>run1.err &
r1=$!
agency-queue run --once --lease 60 >run2.out 2>run2.err &
r2=$!
wait $r1
rc1=$?
wait $r2
rc2=$?
# work keeps going until the queue is empty; then SIGTERM stops it.
i=0
while [ $i -lt 3000 ] && [ -n "$(agency-queue ls -s queued,running -n 1)" ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -TERM $w
wait $w
rcw=$?

ok_if 'both run --once exit 0' '[ $rc1 -eq 0 ] && [ $rc2 -eq 0 ]'
ok_if 'work exits 0 on SIGTERM' '[ $rcw -eq 0 ]'
ok_if 'every job is done' '[ "$(agency-queue ls -s done | wc -l)" -eq $N ]'
ok_if 'no job ran twice at the same time' \
    '[ -z "$(awk '"'"'$1 == "start" && open[$2]++ { print $2 }
      $1 == "end" { open[$2]-- }'"'"' runs)" ]'
ok_if 'none was lost' \
    '[ "$(awk '"'"'$1 == "end" { print $2 }'"'"' runs | sort -un | wc -l)" -eq $N ]'
ok_if 'none ran twice' '[ "$(grep -c "^start " runs)" -eq $N ]'
ok_if 'all three runners took jobs' \
    '[ "$(sqlite3 data/agency/agency.db \
      "SELECT count(DISTINCT runner) FROM job_attempts")" -eq 3 ]'
ok_if 'no "database is locked", no store busy message' \
    '! cat work.err run1.err run2.err | grep -Eq "locked|stayed busy|busy for"'
done_testing
