#!/bin/sh
# Exactly once: ten ticks at once over 10,000 due posts make exactly
# 10,000 upload jobs, one per post; a tick killed with -9 at any moment
# leaves every post either scheduled with no job or queued with its one
# job, and the next tick finishes the work with nothing doubled.
. "${0%/*}/../lib.sh"
. "$TESTS/lib-schedule.sh"
plan 12

N=10000
production sour
account youtube:main

# plan N: a CSV of N posts due five minutes ago, in UTC.
when=$(date -u -d '-5 min' '+%F,%H:%M')
{
	echo date,time,tz,production,accounts
	i=0
	while [ $i -lt $N ]; do
		echo "$when,UTC,c_sour,youtube:main"
		i=$((i + 1))
	done
} >plan.csv
agency-schedule add sour.json --at +1d --to youtube:main >/dev/null 2>&1
agency-schedule rm 1 >/dev/null
check "$N posts due" 'agency-schedule import plan.csv >/dev/null'

# consistent: every queued post has one job, made for it, and no upload
# job lacks a queued post; prints the number of jobs.
cat >consistent.sql <<'SQL'
SELECT
 (SELECT count(*) FROM schedule WHERE state = 'queued') -
 (SELECT count(*) FROM schedule s JOIN jobs j ON j.id = s.job_id
   WHERE s.state = 'queued' AND j.type = 'upload'
   AND json_extract(j.args, '$[3]') = s.id || ':' || s.revision
   AND j.unique_key = 'schedule:' || s.id || ':' || s.revision || ':' ||
       s.account),
 (SELECT count(*) FROM jobs WHERE type = 'upload') -
 (SELECT count(*) FROM schedule WHERE state = 'queued'),
 (SELECT count(*) FROM schedule WHERE state = 'scheduled' AND job_id
   IS NOT NULL),
 (SELECT count(*) FROM jobs WHERE type = 'upload');
SQL
consistent() {
	sqlite3 -separator ' ' "$DB" <consistent.sql
}

i=0
pids=''
while [ $i -lt 10 ]; do
	agency-schedule tick >tick.$i.out 2>tick.$i.err &
	pids="$pids $!"
	i=$((i + 1))
done
bad=0
for p in $pids; do
	wait "$p" || bad=$((bad + 1))
done
ok_if 'ten ticks at once all exit 0' '[ $bad -eq 0 ]'
ok_if "exactly $N upload jobs" \
    '[ "$(sqlite3 "$DB" "SELECT count(*) FROM jobs WHERE type = '"'upload'"'")" -eq $N ]'
ok_if 'the ticks together queued each post once' \
    '[ "$(cat tick.*.out | "$PY" -c "import json,sys
print(sum(json.loads(l)[\"queued\"] for l in sys.stdin))")" -eq $N ]'
ok_if 'one job per post, made for it' '[ "$(consistent)" = "0 0 0 $N" ]'
ok_if 'no two jobs for one post' \
    '[ -z "$(sqlite3 "$DB" "SELECT json_extract(args, '"'\$[3]'"') FROM jobs
      WHERE type = '"'upload'"' GROUP BY 1 HAVING count(*) > 1")" ]'
ok_if 'no "database is locked", no busy store' \
    '! cat tick.*.err | grep -Eq "locked|busy"'

# kill -9, again and again, in a fresh store: 10 to 100 ms into each
# tick, short enough that a fast machine does not finish the work
# between the kills (which would prove nothing).
export XDG_DATA_HOME=$T/data2
DB=$T/data2/agency/agency.db
account youtube:main
agency-schedule add sour.json --at +1d --to youtube:main >/dev/null 2>&1
agency-schedule rm 1 >/dev/null
agency-schedule import plan.csv >/dev/null
kills=0
broken=0
i=0
while [ $i -lt 12 ]; do
	agency-schedule tick >/dev/null 2>>kill.err &
	pid=$!
	sleep "0.$(printf %03d $(( (i * 37 + 10) % 90 + 10 )))"
	kill -9 $pid 2>/dev/null && kills=$((kills + 1))
	wait $pid 2>/dev/null
	c=$(consistent)
	case $c in "0 0 0 "*) ;; *) broken=$((broken + 1)); echo "# after kill $i: $c" ;; esac
	i=$((i + 1))
done
echo "# $kills kills, $(consistent | cut -d' ' -f4) jobs after them"
ok_if 'the tick was killed many times, mid-way' '[ $kills -ge 6 ] &&
    [ "$(consistent | cut -d" " -f4)" -lt $N ]'
ok_if 'after every kill: nothing half-done' '[ $broken -eq 0 ]'
ok_if 'the store is sound' \
    '[ "$(sqlite3 "$DB" "PRAGMA integrity_check")" = ok ]'
check 'a tick that is let be' 'agency-schedule tick'
ok_if "finishes: exactly $N jobs, one per post" \
    '[ "$(consistent)" = "0 0 0 $N" ] &&
     [ "$(sqlite3 "$DB" "SELECT count(*) FROM schedule WHERE state = '"'scheduled'"'")" -eq 0 ]'
done_testing
