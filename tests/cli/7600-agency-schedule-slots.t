#!/bin/sh
# Posting slots: set, ls, rm; "add --slot" fills an account's week in
# order, in the account's zone, at the same wall times on both sides of a
# DST change; and ls on a terminal draws the calendar.
. "${0%/*}/../lib.sh"
. "$TESTS/lib-schedule.sh"
plan 17

production sour
account youtube:main
account tiktok:brand

check 'slots set' \
    "agency-schedule slots set youtube:main 'mon-fri 09:00,17:30' --tz America/New_York"
grep_out 'an agency.slots document' '"kind":"agency.slots".*"slots":"mon-fri 09:00,17:30","tz":"America/New_York","next":"'
check 'in any spelling' \
    "agency-schedule slots set tiktok:brand 'Sat,Sunday 11:00; weekdays 8:00' --tz Europe/Berlin"
grep_out 'kept in one' '"slots":"sat,sun 11:00; mon-fri 08:00"'
expect_code 'bad slots are a usage error' 64 \
    "agency-schedule slots set youtube:main 'mon-fri 9am'"
grep_err 'saying what' "'9am' is neither days"
check 'slots ls' 'agency-schedule slots ls'
ok_if 'both accounts' '[ "$(wc -l <out)" -eq 2 ]'

# Fill a week that crosses New York's change (Sunday 14 March 2027): 11
# posts, from Saturday 13 March.
: >slots.out
i=0
while [ $i -lt 11 ]; do
	agency-schedule add sour.json --slot --at 2027-03-13T17:00:00Z \
	    --to youtube:main >>slots.out 2>/dev/null || break
	i=$((i + 1))
done
ok_if '11 posts placed' '[ "$(wc -l <slots.out)" -eq 11 ]'
check_same 'the week'"'"'s 10 slots in order, then the next Monday; 09:00 and 17:30 on the wall' \
    "sed 's/.*\"at\":\"\\([^\"]*\\)\".*/\\1/' slots.out" \
    'for d in 15 16 17 18 19; do
	echo "2027-03-${d}T09:00:00-04:00"; echo "2027-03-${d}T17:30:00-04:00"
     done; echo 2027-03-22T09:00:00-04:00'
ok_if 'each marked as placed in a slot' \
    '[ "$(grep -c "\"slot\":true" slots.out)" -eq 11 ]'
agency-schedule rm 3 >/dev/null
check 'a removed post frees its slot' \
    'agency-schedule add sour.json --slot --at 2027-03-13T17:00:00Z --to youtube:main'
grep_out 'which the next one takes' '"at":"2027-03-16T09:00:00-04:00"'
expect_code 'an account with no slots' 66 \
    'agency-schedule add sour.json --slot --to instagram:shop'
check 'slots rm' 'agency-schedule slots rm youtube:main'
expect_code 'then it has none' 66 'agency-schedule slots ls youtube:main'

# The calendar on a terminal (script(1) gives ls one).
if command -v script >/dev/null 2>&1; then
	COLUMNS=80 script -qec "stty cols 80 2>/dev/null; agency-schedule ls --tz America/New_York --from 2027-03-01" /dev/null >grid.out 2>&1
	ok_if 'ls on a terminal draws March 2027' \
	    'grep -q "March 2027 (America/New_York)" grid.out &&
	     grep -q "|Mon       |Tue       |Wed" grid.out &&
	     grep -Eq "\| 15 +\|" grid.out && grep -q "09:00 yt:m" grid.out'
else
	ok_if 'ls on a terminal draws March 2027 (no script(1): skipped)' true
fi
done_testing
