#!/bin/sh
# import FILE.csv: all or nothing.  A file with one bad row adds nothing
# and names the row's line; a good file adds every post, with quoted
# fields, commas and quotes in captions, CRLF, a header in any order, and
# production paths relative to the file.
. "${0%/*}/../lib.sh"
. "$TESTS/lib-schedule.sh"
plan 16

production sour
account youtube:main
account tiktok:brand
mkdir plans
mv sour.json plans/

count() {
	agency-schedule ls | wc -l
}

printf '%s\r\n' \
    'date,time,tz,production,accounts,caption' \
    '2027-01-05,09:00,Europe/Berlin,sour.json,"youtube:main,tiktok:brand","Hello, ""world"""' \
    '2027-01-06,18:30,America/New_York,sour.json,youtube:main,' \
    '2027-01-07,07:15,,sour.json,tiktok:brand;youtube:main,"two' \
    'lines"' >plans/good.csv
printf '%s\n' \
    '2027-02-01,09:00,UTC,sour.json,youtube:main,fine' \
    '2027-02-02,09:00,UTC,sour.json,youtube:main,fine' \
    '2027-02-31,09:00,UTC,sour.json,youtube:main,no such day' \
    '2027-02-04,09:00,UTC,sour.json,youtube:main,fine' >plans/bad-date.csv
printf '%s\n' \
    'date,time,tz,production,accounts' \
    '2027-03-01,09:00,UTC,sour.json,youtube:main' \
    '2027-03-02,09:00,Mars/Base,sour.json,youtube:main' >plans/bad-zone.csv
printf '%s\n' \
    '2027-03-01,09:00,UTC,sour.json,youtube:main' \
    '2027-03-02,09:00,UTC,missing.json,youtube:main' >plans/bad-file.csv
printf '%s\n' \
    '2027-03-01,09:00,UTC,sour.json,youtube' >plans/bad-account.csv
printf '%s\n' \
    'accounts,production,date,time' \
    'youtube:main,sour.json,2027-04-01,10:00' >plans/reordered.csv
printf '%s\n' \
    'date,time,when' '2027-04-01,10:00,x' >plans/bad-header.csv

before=$(count)
expect_code 'a file with a bad date fails' 65 'agency-schedule import plans/bad-date.csv'
grep_err 'naming the line' "^agency-schedule: plans/bad-date.csv:3: date '2027-02-31' and time '09:00' are not a wall time"
ok_if 'nothing was added, not even the good rows before it' '[ "$(count)" -eq "$before" ]'
expect_code 'a bad zone' 64 'agency-schedule import plans/bad-zone.csv'
grep_err 'on its line' "plans/bad-zone.csv:3: unknown time zone 'Mars/Base'"
expect_code 'a production that is not there' 66 'agency-schedule import plans/bad-file.csv'
grep_err 'on its line, found next to the file' "plans/bad-file.csv:2: cannot read 'plans/missing.json'"
expect_code 'a bad account' 64 'agency-schedule import plans/bad-account.csv'
expect_code 'an unknown column' 65 'agency-schedule import plans/bad-header.csv'
ok_if 'still nothing added' '[ "$(count)" -eq "$before" ]'

check 'a good file' 'agency-schedule import plans/good.csv'
ok_if 'adds a post per account and row: 5' '[ "$(wc -l <out)" -eq 5 ]'
cp out good.ndjson
ok_if 'fields as they were meant' '"$PY" -c "import json
d=[json.loads(l) for l in open(\"good.ndjson\")]
assert d[0][\"caption\"]==\"Hello, \\\"world\\\"\", d[0][\"caption\"]
assert d[0][\"at\"]==\"2027-01-05T09:00:00+01:00\"
assert d[2][\"at\"]==\"2027-01-06T18:30:00-05:00\" and \"caption\" not in d[2]
assert d[3][\"caption\"]==\"two\\nlines\", d[3]
assert [x[\"account\"] for x in d]==[\"youtube:main\",\"tiktok:brand\",\"youtube:main\",\"tiktok:brand\",\"youtube:main\"]"'
ok_if 'an empty zone is the default one' \
    '[ "$(sed -n 4p good.ndjson | sed "s/.*\"tz\":\"\([^\"]*\)\".*/\1/")" = "$(agency-schedule add plans/sour.json --at now --to youtube:main 2>/dev/null | sed "s/.*\"tz\":\"\([^\"]*\)\".*/\1/")" ]'
check 'a header in another order' 'agency-schedule import plans/reordered.csv'
grep_out 'is read by name' '"account":"youtube:main","at":"2027-04-01T10:00:00'
done_testing
