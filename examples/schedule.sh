#!/bin/sh
# examples/schedule.sh - the content calendar: posts in three zones, a
# recurring one, posting slots, a plan from a spreadsheet, the tick that
# hands due posts to the queue exactly once, and the calendar as iCalendar.
#
# Run it from anywhere; it works in a throw-away folder with a store of
# its own.  See also examples/schedule/crontab and the systemd timer there.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
cd "$work"

# A production, as agency-produce prints it (the video is a stand-in).
: >sourdough.mp4
cat >sourdough.production.json <<EOF
{"kind":"agency.production","version":1,"id":"c_sourdough","video":"$work/sourdough.mp4",
 "captions":{"youtube":{"title":"3 sourdough mistakes","description":"And how to fix them"}}}
EOF

# An account that has no credentials yet is blocked, with the reason.
agency-schedule add sourdough.production.json --at "2027-01-04 09:00" \
    --tz Europe/Berlin --to instagram:shop 2>&1 >/dev/null | sed 's/^/stderr: /'

# The accounts that "agency-upload accounts add" sets up (agency-upload(1));
# here, their rows in the store are made directly.
agency-schedule ls >/dev/null
for a in youtube:main tiktok:brand; do
	sqlite3 "$XDG_DATA_HOME/agency/agency.db" "INSERT INTO accounts
	    (name, platform, created_at, updated_at) VALUES ('$a', '${a%%:*}', 0, 0)"
done

# One post for two accounts, in Berlin; a caption of its own for TikTok.
agency-schedule add sourdough.production.json --at "2027-01-04 09:00" \
    --tz Europe/Berlin --to youtube:main,tiktok:brand \
    -c "tiktok:brand=Three mistakes in 30 seconds" | cut -c1-120

# Every Monday at 09:00 in New York, across the DST change of 14 March:
# the wall time stays, the UTC hour moves.
agency-schedule add sourdough.production.json --tz America/New_York \
    --at "2027-03-08 09:00" --every "mon 09:00" --to youtube:main >/dev/null
agency-schedule ls --expand --tz America/New_York --from 2027-03-08 \
    --to 2027-03-23 -a youtube:main |
    sed -n 's/.*"at":"\(2027-03[^"]*\)".*/weekly: \1/p'

# Buffer-style slots, in the account's zone; --slot takes the next free.
agency-schedule slots set tiktok:brand 'mon-fri 12:00; sat 10:00' --tz Australia/Sydney >/dev/null
for i in 1 2 3; do
	agency-schedule add sourdough.production.json --slot --to tiktok:brand
done | sed 's/.*"at":"\([^"]*\)".*/slot: \1/'

# A plan from a spreadsheet: all rows or none.
cp "$here/schedule/plan.csv" .
agency-schedule import plan.csv | wc -l | sed 's/^/imported: /'

# Two posts due now; ten ticks at once still queue each exactly once.
agency-schedule add sourdough.production.json --at=-1m --to youtube:main,tiktok:brand >/dev/null
for i in 1 2 3 4 5 6 7 8 9 10; do agency-schedule tick >"tick.$i" & done
wait
cat tick.* | sed 's/.*"queued":\([0-9]*\).*/\1/' |
    awk '{ n += $1 } END { print "queued by the ticks: " n }'
agency-queue ls -t upload | wc -l | sed 's/^/upload jobs: /'
# agency-queue run --once would now run agency-upload for each.

# What cannot go out in the coming week, and the calendar for other apps.
agency-schedule check --ahead 400d | cut -c1-100 || true
agency-schedule export --ics -o posts.ics
grep -c '^BEGIN:VEVENT' posts.ics | sed 's/^/events in posts.ics: /'
