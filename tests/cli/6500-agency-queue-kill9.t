#!/bin/sh
# Reliability: kill -9 the runner at many moments across 200 jobs and
# start it again each time.  Every job ends done and none is lost.  A
# job's work can run twice only when the kill fell between its child's
# delivering the result and the runner recording it: the child writes
# its result to the runner, and only then records that its work was
# delivered (a child whose runner is already dead gets SIGPIPE instead);
# so a job delivered twice must have lost an attempt to a kill, and no
# kill can cost more than the -j 2 jobs it interrupted.
. "${0%/*}/../lib.sh"
plan 8

N=200
plugin tick <<'EOF'
#!/bin/sh
cat >/dev/null
sleep 0.02
printf '{"kind":"agency.test","version":1,"job":%s}\n' "$AGENCY_JOB_ID"
echo "$AGENCY_JOB_ID" >>"$T/delivered"
EOF
export T
: >delivered

seq $N | agency-queue submit -n -m 1000 -e - tick >/dev/null
ok_if "$N jobs submitted" '[ "$(agency-queue ls | wc -l)" -eq $N ]'

# done_count: how many jobs are done.
done_count() {
	agency-queue ls -s done | wc -l
}

# Kill at moments spread over 20 to 290 ms (a fixed pseudo-random walk,
# so a failure can be replayed), until all is done or 40 kills.
kills=0
i=0
while [ $i -lt 40 ] && [ "$(done_count)" -lt $N ]; do
	agency-queue run --once -j 2 --lease 1 >/dev/null 2>>runner.err &
	pid=$!
	sleep "0.$(printf %03d $(( (i * 137 + 20) % 270 + 20 )))"
	kill -9 $pid 2>/dev/null && kills=$((kills + 1))
	wait $pid 2>/dev/null
	i=$((i + 1))
done
# Then let runners finish, without kills, as the leases expire.
i=0
while [ $i -lt 100 ] && [ "$(done_count)" -lt $N ]; do
	agency-queue run --once -j 2 --lease 1 >/dev/null 2>>runner.err
	[ "$(done_count)" -lt $N ] && sleep 0.3
	i=$((i + 1))
done

echo "# $kills kills"
ok_if 'the runner was killed many times' '[ $kills -ge 5 ]'
ok_if "every job is done" '[ "$(done_count)" -eq $N ]'
ok_if 'none was lost: every job delivered its work' \
    '[ "$(sort -un delivered | wc -l)" -eq $N ]'
twice=$(sort -n delivered | uniq -d | wc -l)
echo "# $twice jobs delivered their work twice"
ok_if 'a kill costs at most the two jobs it interrupted' \
    '[ "$twice" -le $((kills * 2)) ]'
# A job delivered k times must have lost k - 1 attempts to kills.
ok_if 'work delivered twice only where an attempt was lost to a kill' \
    '"$PY" -c "import json,collections,subprocess
c=collections.Counter(int(l) for l in open(\"delivered\"))
bad=[]
for j in [k for k,v in c.items() if v>1]:
    d=json.loads(subprocess.check_output([\"agency-queue\",\"show\",str(j)]))
    lost=sum(r[\"outcome\"]==\"lost\" for r in d[\"runs\"])
    if lost < c[j]-1: bad.append(j)
assert not bad, bad"'
cat >results.sql <<'SQL'
SELECT count(*) FROM jobs
 WHERE state = 'done' AND json_extract(result, '$.job') = id;
SQL
ok_if 'every job has its own result' \
    '[ "$(sqlite3 data/agency/agency.db <results.sql)" -eq $N ]'
ok_if 'no runner said the store was locked' \
    '! grep -Eq "locked|stayed busy" runner.err'
done_testing
