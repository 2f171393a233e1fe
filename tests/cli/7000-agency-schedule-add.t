#!/bin/sh
# agency-schedule add, ls, show: the forms of a post, what is stored, and
# the errors (one line, the right exit status, nothing added).
. "${0%/*}/../lib.sh"
. "$TESTS/lib-schedule.sh"
plan 38

production sour
account youtube:main
account tiktok:brand

check 'add to two accounts' \
    'agency-schedule add sour.json --at "2027-12-01 09:00" --tz Europe/Berlin --to youtube:main,tiktok:brand'
ok_if 'one post per account' '[ "$(wc -l <out)" -eq 2 ]'
cp out two.ndjson
ok_if 'stored as the UTC instant, the zone and the wall time' \
    '"$PY" -c "import json
d=[json.loads(l) for l in open(\"two.ndjson\")]
assert d[0][\"at\"]==\"2027-12-01T09:00:00+01:00\", d[0]
assert d[0][\"tz\"]==\"Europe/Berlin\" and d[0][\"local\"]==\"2027-12-01T09:00:00\"
assert [x[\"account\"] for x in d]==[\"youtube:main\",\"tiktok:brand\"]
assert all(x[\"state\"]==\"scheduled\" and x[\"revision\"]==1 for x in d)"'
ok_if 'the store holds the instant in ms' \
    '[ "$(sqlite3 "$DB" "SELECT at FROM schedule WHERE id = 1")" = 1827648000000 ]'
ok_if 'the production went into the content table' \
    '[ "$(sqlite3 "$DB" "SELECT kind FROM content WHERE id = '"'c_sour'"'")" = agency.production ]'

check 'a content id works as the production' \
    'agency-schedule add c_sour --at 2027-12-02T08:00:00Z --to youtube:main'
grep_out 'an RFC 3339 instant is kept, shown in the zone' '"at":"2027-12-02T..:00:00'
check 'the production from stdin' \
    'agency-schedule add - --at "2027-12-03 09:00" --tz UTC --to youtube:main <sour.json'
grep_out 'in UTC' '"at":"2027-12-03T09:00:00Z"'

check 'captions per account' \
    'agency-schedule add sour.json --at "2027-12-04 09:00" --tz UTC --to youtube:main,tiktok:brand -c "tiktok:brand=Watch this" -c youtube:main=Yes'
ok_if 'each account its own' \
    '[ "$(grep -c "\"caption\":\"Watch this\"" out)" -eq 1 ] && [ "$(grep -c "\"caption\":\"Yes\"" out)" -eq 1 ]'

check 'recurring, by a rule' \
    'agency-schedule add sour.json --at "2027-12-06 09:00" --tz Europe/Berlin --to youtube:main --rrule "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0"'
grep_out 'the rule is kept' '"rrule":"FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0","series":[0-9]+,"seq":1'
check 'recurring, the friendly way, starting with the next occurrence' \
    'agency-schedule add sour.json --tz America/New_York --to youtube:main --every "mon-fri 07:30"'
grep_out 'as a rule' '"rrule":"FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=7;BYMINUTE=30"'
grep_out 'at 07:30 New York' '"local":"....-..-..T07:30:00"'

check 'an unset account is added, blocked' \
    'agency-schedule add sour.json --at "2027-12-05 09:00" --to instagram:shop'
grep_out 'blocked' '"state":"blocked"'
grep_err 'with why, on stderr' "account 'instagram:shop' is not configured: agency-upload accounts add instagram:shop"

check 'a wall time in the spring gap' \
    'agency-schedule add sour.json --at "2027-03-28 02:30" --tz Europe/Berlin --to youtube:main'
grep_out 'moves forward by the gap' '"at":"2027-03-28T03:30:00\+02:00"'
grep_err 'and says so' "does not exist in Europe/Berlin.*03:30:00\+02:00"
check 'a wall time that happens twice' \
    'agency-schedule add sour.json --at "2027-10-31 02:30" --tz Europe/Berlin --to youtube:main'
grep_out 'is the first' '"at":"2027-10-31T02:30:00\+02:00"'

n=$(agency-schedule ls | wc -l)
expect_code 'a bad time is a usage error' 64 \
    'agency-schedule add sour.json --at "2027-13-01 09:00" --to youtube:main'
grep_err 'one line naming it' "^agency-schedule: --at '2027-13-01 09:00': not a time"
expect_code 'an unknown zone' 64 \
    'agency-schedule add sour.json --at "2027-12-01 09:00" --tz Mars/Olympus --to youtube:main'
grep_err 'names it' "unknown time zone 'Mars/Olympus'"
expect_code 'no account' 64 'agency-schedule add sour.json --at now'
expect_code 'an account without a platform' 64 \
    'agency-schedule add sour.json --at now --to main'
expect_code 'a bad rule' 64 \
    'agency-schedule add sour.json --to youtube:main --rrule "FREQ=HOURLY"'
expect_code 'a production that is not there' 66 \
    'agency-schedule add nothere.json --at now --to youtube:main'
echo '{"kind":"agency.script","version":1}' >script.json
expect_code 'a document that is not a production' 65 \
    'agency-schedule add script.json --at now --to youtube:main'
grep_err 'says where' "script.json: \\\$.kind: expected agency.production"
printf '{"kind":"agency.production","version":1,"video":"/no/such.mp4"}\n' >novideo.json
expect_code 'a production whose video is not there' 66 \
    'agency-schedule add novideo.json --at now --to youtube:main'
ok_if 'nothing was added by the failures' \
    '[ "$(agency-schedule ls | wc -l)" -eq "$n" ]'

check 'show' 'agency-schedule show 1'
expect_code 'show of no such post' 66 'agency-schedule show 999'
done_testing
