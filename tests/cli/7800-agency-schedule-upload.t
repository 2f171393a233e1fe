#!/bin/sh
# The calendar and agency-upload together, as cron runs them: a due post
# becomes an upload job, the runner runs the real agency-upload to a
# folder (the dir target), and the post ends posted with the url; a post
# removed after its job was queued is refused by agency-upload itself
# (the schedule guard), which publishes nothing and says cancelled.
. "${0%/*}/../lib.sh"
. "$TESTS/lib-upload.sh"
plan 16

make_video v.mp4 2
make_production c_cal1 v.mp4 >p1.json
make_production c_cal2 v.mp4 >p2.json
PUB=$T/data/agency/published
now=$(date -u -d '1 minute ago' '+%Y-%m-%d %H:%M')

check 'an account for the folder' 'agency-upload accounts add dir:archive'
check 'a post due a minute ago' \
    "agency-schedule add p1.json --at '$now' --tz UTC --to dir:archive >s1.json"
id1=$(json_get s1.json 'd["id"]')
check 'the tick queues it' 'agency-schedule tick >tick.json'
ok_if 'one upload job, for agency-upload' \
    '[ "$(agency-queue ls -t upload | wc -l)" -eq 1 ] &&
     agency-queue ls -t upload | grep -q "\"--schedule\""'
check 'the runner runs it' 'agency-queue run --once'
ok_if 'the folder holds the video' 'cmp v.mp4 "$PUB/archive/c_cal1/v.mp4"'
check 'the next tick follows the job' 'agency-schedule tick >tick2.json'
check 'show the post' "agency-schedule show $id1 >show.json"
ok_if 'posted, with the url agency-upload gave' \
    '[ "$(json_get show.json "d[\"state\"]")" = posted ] &&
     [ "$(json_get show.json "d[\"url\"]")" = "file://$PUB/archive/c_cal1/v.mp4" ]'

# Removed after it was queued: the guard in agency-upload refuses it.
check 'a second post, due' \
    "agency-schedule add p2.json --at '$now' --tz UTC --to dir:archive >s2.json"
id2=$(json_get s2.json 'd["id"]')
rev2=$(json_get s2.json 'd["revision"]')
check 'queued by the tick' 'agency-schedule tick >/dev/null'
check 'then removed' "agency-schedule rm $id2"
check 'agency-upload for the removed post' \
    "agency-upload --to dir:archive --schedule $id2:$rev2 p2.json >post.json"
ok_if 'says cancelled and why' \
    '[ "$(json_get post.json "d[\"state\"]")" = cancelled ] &&
     grep -q removed post.json'
ok_if 'and published nothing' '[ ! -e "$PUB/archive/c_cal2" ]'
ok_if 'the first post is still the only one' \
    '[ "$(ls "$PUB/archive")" = c_cal1 ]'
done_testing
