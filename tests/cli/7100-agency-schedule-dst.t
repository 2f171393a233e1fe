#!/bin/sh
# Daylight saving time: weekly 09:00 posts across the spring and autumn
# changes of 2027 in Berlin, New York and Sydney keep 09:00 on the wall;
# the gap and the repeated hour; and a server run with TZ=UTC and one
# with TZ=Asia/Tokyo schedule the same instants.
. "${0%/*}/../lib.sh"
. "$TESTS/lib-schedule.sh"
plan 12

production sour
account youtube:main

# occurrences ZONE FROM TO: the "at" of the series in add.out from FROM
# to TO (dates in ZONE), and those instants in UTC.
occurrences() {
	series=$(json_get add.out 'd["series"]')
	agency-schedule ls --expand --tz "$1" --from "$2" --to "$3" |
	    "$PY" -c 'import json,sys,datetime as D
s=int(sys.argv[1])
for l in sys.stdin:
    d=json.loads(l)
    if d.get("series")!=s: continue
    t=D.datetime.fromisoformat(d["at"]).astimezone(D.timezone.utc)
    print(t.strftime("%Y-%m-%dT%H:%MZ"), d["at"][11:])' "$series"
}

# weekly ZONE START: add a Monday 09:00 series, print its first 4
# occurrences.
weekly() {
	agency-schedule add sour.json --tz "$1" --at "$2 09:00" \
	    --to youtube:main --every "mon 09:00" >add.out 2>add.err || return 1
	occurrences "$1" "$2" "$(date -u -d "$2 + 22 days" +%F)" |
	    sed 's/ \(.....\).*/ \1/'
}

check 'Berlin, into summer time' 'weekly Europe/Berlin 2027-03-15'
check_same 'the UTC hour moves, 09:00 stays' 'cat out' 'printf "%s\n" \
    "2027-03-15T08:00Z 09:00" "2027-03-22T08:00Z 09:00" \
    "2027-03-29T07:00Z 09:00" "2027-04-05T07:00Z 09:00"'
check 'Berlin, out of it' 'weekly Europe/Berlin 2027-10-18'
check_same 'autumn' 'cat out' 'printf "%s\n" \
    "2027-10-18T07:00Z 09:00" "2027-10-25T07:00Z 09:00" \
    "2027-11-01T08:00Z 09:00" "2027-11-08T08:00Z 09:00"'
check_same 'New York' 'weekly America/New_York 2027-03-01; weekly America/New_York 2027-10-25' 'printf "%s\n" \
    "2027-03-01T14:00Z 09:00" "2027-03-08T14:00Z 09:00" \
    "2027-03-15T13:00Z 09:00" "2027-03-22T13:00Z 09:00" \
    "2027-10-25T13:00Z 09:00" "2027-11-01T13:00Z 09:00" \
    "2027-11-08T14:00Z 09:00" "2027-11-15T14:00Z 09:00"'
check_same 'Sydney, the other way round' 'weekly Australia/Sydney 2027-03-22; weekly Australia/Sydney 2027-09-20' 'printf "%s\n" \
    "2027-03-21T22:00Z 09:00" "2027-03-28T22:00Z 09:00" \
    "2027-04-04T23:00Z 09:00" "2027-04-11T23:00Z 09:00" \
    "2027-09-19T23:00Z 09:00" "2027-09-26T23:00Z 09:00" \
    "2027-10-03T22:00Z 09:00" "2027-10-10T22:00Z 09:00"'

# The gap and the repeated hour, daily at 02:30 in Berlin.
check 'daily 02:30 across the spring gap' \
    'agency-schedule add sour.json --tz Europe/Berlin --at "2027-03-27 02:30" --to youtube:main --every day >add.out'
check_same 'the gap day moves forward by the gap, the next day is 02:30 again' \
    'occurrences Europe/Berlin 2027-03-27 2027-03-30' 'printf "%s\n" \
    "2027-03-27T01:30Z 02:30:00+01:00" "2027-03-28T01:30Z 03:30:00+02:00" \
    "2027-03-29T00:30Z 02:30:00+02:00"'
check 'daily 02:30 across the autumn repeat' \
    'agency-schedule add sour.json --tz Europe/Berlin --at "2027-10-30 02:30" --to youtube:main --every day >add.out'
check_same 'the repeated 02:30 is the first (CEST)' \
    'occurrences Europe/Berlin 2027-10-30 2027-11-02' 'printf "%s\n" \
    "2027-10-30T00:30Z 02:30:00+02:00" "2027-10-31T00:30Z 02:30:00+02:00" \
    "2027-11-01T01:30Z 02:30:00+01:00"'

# Two servers, one in UTC and one in Tokyo, same calendar commands, one
# with --tz and one with the zone in the configuration: same instants.
server() {
	d=$T/server-$1
	mkdir -p "$d/config/agency"
	printf 'schedule:\n  tz: America/New_York\n' >"$d/config/agency/config.yaml"
	for cmd in \
	    'add sour.json --at "2027-03-13 09:00" --tz Europe/Berlin --to youtube:main --every "sat,mon 09:00"' \
	    'add sour.json --at "2027-03-14 02:30" --to youtube:main' \
	    'add sour.json --at "2027-11-07 01:30" --to youtube:main' \
	    'add sour.json --at 2027-06-01T12:00:00Z --to youtube:main'; do
		eval "TZ=$1 XDG_DATA_HOME=$d/data XDG_CONFIG_HOME=$d/config agency-schedule $cmd" \
		    >/dev/null 2>&1 || return 1
	done
	TZ=$1 XDG_DATA_HOME=$d/data XDG_CONFIG_HOME=$d/config \
	    agency-schedule ls --expand --to 2027-12-31 | "$PY" -c 'import json,sys,datetime as D
for l in sys.stdin:
    d=json.loads(l)
    print(D.datetime.fromisoformat(d["at"]).timestamp(), d["tz"], d["local"])'
}
check_same 'TZ=UTC and TZ=Asia/Tokyo schedule the same instants' \
    'server UTC' 'server Asia/Tokyo'
ok_if 'and there are many of them' '[ "$(wc -l <out.a)" -gt 80 ]'
done_testing
